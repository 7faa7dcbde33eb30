//! `teikit schema fetch`: declared schemas downloaded into the cache ahead of an offline run.

use super::Status;
use std::process::ExitCode;

/// `teikit schema`: the arguments.
#[derive(Debug, clap::Args)]
pub(super) struct SchemaArgs {
    #[command(subcommand)]
    action: SchemaAction,
}

#[derive(Debug, clap::Subcommand)]
pub(super) enum SchemaAction {
    /// Download schemas into the user's cache (again, if they are there), so that validation
    /// finds them offline: e.g. in CI before `teikit validate --offline`.
    Fetch {
        /// The schemas' URLs, as documents declare them.
        #[arg(required = true)]
        urls: Vec<String>,
    },
}

/// `teikit schema`.
pub(super) fn run(args: SchemaArgs) -> ExitCode {
    let SchemaAction::Fetch { urls } = args.action;
    let Some(cache) = teikit::relaxng::cache::directory() else {
        eprintln!("error: no schema cache (TEIKIT_CACHE_DIR=off or no home directory)");
        return Status::Trouble.into();
    };
    let mut status = Status::Success;
    for url in urls {
        let canonical = teikit::schemas::canonical_url(&url);
        let path = teikit::schemas::remote::cached_path(&cache, &canonical);
        match teikit::schemas::remote::download(&canonical, &path) {
            Ok(()) => eprintln!("fetched {url} into {}", path.display()),
            Err(e) => {
                eprintln!("{url}: error: {e}");
                status = Status::Trouble;
            }
        }
    }
    status.into()
}

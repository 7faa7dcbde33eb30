//! `teikit init`: a new edition, or a new TEI project, written where nothing is.

use super::Status;
use std::path::PathBuf;
use std::process::ExitCode;
use teikit::scaffold::{InitOptions, ProjectKind};

/// `teikit init`: the arguments.
#[derive(Debug, clap::Args)]
pub(super) struct InitArgs {
    /// The edition's root (created if missing).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// The volume's id: its folder under sources/.
    #[arg(long, default_value = "volume1", value_name = "ID")]
    volume: String,
    /// Where CI and pre-commit install teikit from (a git URL).
    #[arg(long, value_name = "URL")]
    teikit_git: Option<String>,
    /// Start a TEI project instead (TEI written by hand or elsewhere): teikit.toml with an
    /// XML catalog for the schemas documents declare, a sample document, CI and pre-commit
    /// that validate.
    #[arg(long, conflicts_with = "volume")]
    tei: bool,
}

/// `teikit init`.
pub(super) fn run(args: InitArgs) -> ExitCode {
    let options = InitOptions {
        directory: args.dir,
        volume: args.volume,
        teikit_git: args.teikit_git,
        kind: match args.tei {
            true => ProjectKind::Tei,
            false => ProjectKind::Edition,
        },
    };
    match teikit::scaffold::init(&options) {
        Ok(written) => {
            for path in &written {
                eprintln!("wrote {}", path.display());
            }
            if options.teikit_git.is_none() {
                eprintln!("note: set TEIKIT_GIT in .github/workflows/teikit.yml to where CI installs teikit from (or run init with --teikit-git URL); the pre-commit hooks run the teikit on your PATH");
            }
            let next = match options.kind {
                ProjectKind::Edition => "teikit build && teikit validate",
                ProjectKind::Tei => "teikit validate",
            };
            eprintln!("next: cd {} && {next}", options.directory.display());
            Status::Success.into()
        }
        Err(e) => {
            eprintln!("error: {e}");
            Status::Trouble.into()
        }
    }
}

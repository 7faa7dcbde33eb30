//! `teikit registers import`: register entries read from TEI, into `volume.toml`.

use super::print_all;
use super::stdout::out;
use super::Status;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use teikit::convert::editorial::VolumeData;
use teikit::output::write_atomically;
use teikit::registers::{merge_into, read_registers, to_toml, VOLUME_SKELETON};

/// Reads `file`'s registers; writes them to standard output, or merges them into `output`
/// (created with a `[volume]` table to fill in when it does not exist; never rewritten but by
/// appending entries whose id it does not hold).
fn run_import(file: &Path, output: Option<PathBuf>) -> ExitCode {
    let text = match teikit::xml::read_file(file) {
        Ok((text, _)) => text,
        Err(d) => {
            print_all(&[d]);
            return Status::Trouble.into();
        }
    };
    let import = match read_registers(file, &text) {
        Ok(i) => i,
        Err(d) => {
            print_all(&[d]);
            return Status::Problems.into();
        }
    };
    print_all(&import.warnings);
    if import.entries.is_empty() {
        eprintln!(
            "error: {}: no register found; expected listPerson/listPlace/listOrg entries or the items of div[@xml:id=\"persons\"] or div[@xml:id=\"terms\"]",
            file.display()
        );
        return Status::Problems.into();
    }
    let Some(output) = output else {
        out!("{}", to_toml(&import.entries));
        return Status::Success.into();
    };
    let (new_text, skipped) = if output.exists() {
        let existing = match VolumeData::load(&output) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("{e}");
                return Status::Problems.into();
            }
        };
        let text = match std::fs::read_to_string(&output) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {}: cannot read: {e}", output.display());
                return Status::Trouble.into();
            }
        };
        merge_into(&existing, &text, &import.entries)
    } else {
        (
            format!("{VOLUME_SKELETON}{}", to_toml(&import.entries)),
            Vec::new(),
        )
    };
    if !skipped.is_empty() {
        // A second import of the same list skips every entry: name a few, count the rest.
        const NAMED: usize = 8;
        let mut named = skipped
            .iter()
            .take(NAMED)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if skipped.len() > NAMED {
            named.push_str(&format!(" and {} more", skipped.len() - NAMED));
        }
        eprintln!(
            "warning: {} already holds {} of the entries, left as they are: {named}",
            output.display(),
            skipped.len(),
        );
    }
    if let Err(e) = write_atomically(&output, new_text.as_bytes(), &[file]) {
        eprintln!("error: {e}");
        return Status::Trouble.into();
    }
    eprintln!(
        "wrote {} entries to {}",
        import.entries.len() - skipped.len(),
        output.display()
    );
    Status::Success.into()
}

/// `teikit registers`: the arguments.
#[derive(Debug, clap::Args)]
pub(super) struct RegistersArgs {
    #[command(subcommand)]
    action: RegistersAction,
}

#[derive(Debug, clap::Subcommand)]
pub(super) enum RegistersAction {
    /// Read persons, places, organisations and terms from TEI (listPerson, listPlace, listOrg;
    /// FRUS front matter: div[@xml:id=persons] and div[@xml:id=terms]) as volume.toml entries.
    ///
    /// Name forms are derived from each entry's name; list in volume.toml only those that
    /// cannot be.
    Import {
        /// The TEI file holding the registers.
        file: PathBuf,
        /// Add the entries to this volume.toml (created if missing; entries whose id it holds
        /// are left as they are). Default: print them.
        #[arg(short, long, value_name = "VOLUME_TOML")]
        output: Option<PathBuf>,
    },
}

/// `teikit registers`.
pub(super) fn run(args: RegistersArgs) -> ExitCode {
    let RegistersAction::Import { file, output } = args.action;
    run_import(&file, output)
}

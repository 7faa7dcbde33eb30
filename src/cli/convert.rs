//! `teikit convert` and `teikit build` (with `--html`): sources to TEI, and TEI to pages.

use super::print_all;
use super::stdout::out;
use super::Status;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use teikit::base::output::OutputProfile;
use teikit::convert::editorial::VolumeData;
use teikit::convert::frus::{assemble_volume, VolumeEntry};
use teikit::convert::{
    convert_bytes_with_options, convert_file_with_options, data_paths, ConvertError, DataOptions,
};
use teikit::output::write_atomically;

pub(super) fn convert_error_status(error: &ConvertError) -> ExitCode {
    match error {
        ConvertError::Source(diagnostics) => {
            print_all(diagnostics);
            Status::Problems.into()
        }
        ConvertError::Editorial(e) => {
            eprintln!("{e}");
            Status::Problems.into()
        }
        ConvertError::Io { .. } => {
            eprintln!("error: {error}");
            Status::Trouble.into()
        }
    }
}

pub(super) fn run_convert(
    source: PathBuf,
    output: Option<PathBuf>,
    report_unknown: bool,
    strict: bool,
    volume: Option<PathBuf>,
    profile: OutputProfile,
) -> ExitCode {
    // `-`: the source from standard input, with no folder to find its data in.
    let from_stdin = source.as_os_str() == "-";
    if profile == OutputProfile::Frus && from_stdin && volume.is_none() {
        eprintln!("error: --profile frus needs the volume's data: give --volume FILE");
        return Status::Problems.into();
    }
    let options = DataOptions {
        volume: volume.clone(),
        nothing_beside: from_stdin,
    };
    let converted = if from_stdin {
        let mut bytes = Vec::new();
        match std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes) {
            Ok(_) => convert_bytes_with_options(Path::new("<stdin>"), bytes, &options),
            Err(e) => {
                eprintln!("error: cannot read standard input: {e}");
                return Status::Trouble.into();
            }
        }
    } else {
        convert_file_with_options(&source, &options)
    };
    let conversion = match converted {
        Ok(c) => c,
        Err(e) => return convert_error_status(&e),
    };
    if strict && !conversion.warnings.is_empty() {
        let errors: Vec<_> = conversion
            .warnings
            .into_iter()
            .map(|d| d.into_error())
            .collect();
        print_all(&errors);
        eprintln!(
            "error: --strict: {} warning(s) make the conversion fail; nothing written",
            errors.len()
        );
        return Status::Problems.into();
    }
    print_all(&conversion.warnings);
    if report_unknown {
        print_all(&conversion.unknown_names);
    }
    let xml = match profile {
        OutputProfile::Tei => conversion.xml,
        OutputProfile::Frus => match frus_volume_of(&source, volume.as_deref(), conversion) {
            Ok(xml) => xml,
            Err(status) => return status,
        },
    };
    match output {
        Some(path) => {
            let (beside, document) = data_paths(&source);
            let volume = volume.unwrap_or(beside);
            let inputs: Vec<&Path> = if from_stdin {
                vec![volume.as_path()]
            } else {
                vec![source.as_path(), volume.as_path(), document.as_path()]
            };
            if let Err(e) = write_atomically(&path, xml.as_bytes(), &inputs) {
                eprintln!("error: {e}");
                return Status::Trouble.into();
            }
        }
        None => out!("{xml}"),
    }
    Status::Success.into()
}

/// The FRUS volume file holding the one converted document: its volume's header and registers.
fn frus_volume_of(
    source: &Path,
    volume: Option<&Path>,
    conversion: teikit::convert::Conversion,
) -> Result<String, ExitCode> {
    let (beside, document_file) = data_paths(source);
    let volume_file = volume.map_or(beside, Path::to_path_buf);
    let data = match VolumeData::load(&volume_file) {
        Ok(data) => data,
        Err(e) => {
            eprintln!("{e}");
            return Err(Status::Problems.into());
        }
    };
    let entry = VolumeEntry {
        data_file: document_file,
        tree: conversion.document,
    };
    let volume = match assemble_volume(&data, std::slice::from_ref(&entry)) {
        Ok(volume) => volume,
        Err(problems) => {
            print_all(&problems);
            return Err(Status::Problems.into());
        }
    };
    teikit::xml::to_xml_string(&volume.tei).map_err(|e| {
        eprintln!("error: {e}");
        Status::Trouble.into()
    })
}

/// `teikit convert`: the arguments.
#[derive(Debug, clap::Args)]
pub(super) struct ConvertArgs {
    /// The plain-text source, e.g. sources/frus1969-76v10/d59.txt; `-` reads standard input
    /// (its data then only from --volume).
    source: PathBuf,
    /// Where to write the TEI (default: standard output).
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Also list capitalised words that no register covers.
    #[arg(long)]
    report_unknown: bool,
    /// Treat warnings (a note reference not found, a page marker out of order, a line of
    /// unknown shape) as errors: exit 1 and write nothing.
    #[arg(long)]
    strict: bool,
    /// The volume's data and registers (default: volume.toml beside the source; without
    /// one the text is converted with no names tagged).
    #[arg(long, value_name = "FILE")]
    volume: Option<PathBuf>,
    /// How to write it: tei (rich TEI P5, the default) or frus (the Office of the
    /// Historian's conventions: a volume file holding this document). Default: teikit.toml's
    /// `[convert] profile`, else tei.
    #[arg(long, value_enum)]
    profile: Option<super::OutputProfileArg>,
}

/// `teikit convert`.
pub(super) fn run(args: ConvertArgs) -> ExitCode {
    match super::output_profile(args.profile) {
        Ok(profile) => run_convert(
            args.source,
            args.output,
            args.report_unknown,
            args.strict,
            args.volume,
            profile,
        ),
        Err(status) => status,
    }
}

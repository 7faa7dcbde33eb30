//! `teikit convert` and `teikit build` (with `--html`): sources to TEI, and TEI to pages.

use super::print_all;
use super::stdout::out;
use super::Status;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use teikit::base::output::OutputProfile;
use teikit::build::{build_with_progress, BuildOptions, Outcome};
use teikit::convert::editorial::VolumeData;
use teikit::convert::frus::{assemble_volume, VolumeEntry};
use teikit::convert::{
    convert_bytes_with_options, convert_file_with_options, data_paths, ConvertError, DataOptions,
};
use teikit::output::write_atomically;

fn convert_error_status(error: &ConvertError) -> ExitCode {
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

fn publisher(
    stylesheet: Option<&Path>,
) -> Result<(teikit::publish::Saxon, teikit::publish::HtmlStylesheet), teikit::publish::PublishError>
{
    Ok((
        teikit::publish::Saxon::find()?,
        teikit::publish::HtmlStylesheet::locate(stylesheet)?,
    ))
}

/// `html`: write the reading edition too, with this stylesheet (or the default one).
pub(super) fn run_build(
    options: BuildOptions,
    report_unknown: bool,
    html: Option<Option<PathBuf>>,
) -> ExitCode {
    let check = options.check;
    let unit = match options.profile {
        OutputProfile::Tei => "source(s)",
        OutputProfile::Frus => "volume(s)",
    };
    // Find the processor before converting anything, so that a missing Saxon costs nothing.
    let publisher = match html.map(|sheet| publisher(sheet.as_deref())).transpose() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return Status::Trouble.into();
        }
    };
    let progress = super::progress::Progress::new("building");
    let built = build_with_progress(&options, &|done, total| progress.set(done, total));
    progress.finish();
    let report = match built {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}"); // located, with its severity
            return Status::Trouble.into();
        }
    };
    let mut status = Status::Success.into();
    let (mut converted, mut written, mut pages) = (0, 0, 0);
    for (source, outcome) in &report.outcomes {
        match outcome {
            Outcome::Current { output, written: w } => {
                converted += 1;
                if *w {
                    written += 1;
                    eprintln!("wrote {}", output.display());
                }
                if let Some((saxon, sheet)) = &publisher {
                    let page = output.with_extension("html");
                    match teikit::publish::write_html(saxon, sheet, output, &page) {
                        Ok(()) => {
                            pages += 1;
                            eprintln!("wrote {}", page.display());
                        }
                        Err(e) => {
                            eprintln!("error: {e}");
                            status = Status::Trouble.into();
                        }
                    }
                }
            }
            Outcome::Stale { output, missing } => {
                let why = if *missing {
                    "missing: nothing is committed for"
                } else {
                    "differs from a fresh conversion of"
                };
                eprintln!(
                    "{}: error: {why} {}; run `teikit build` and commit the result",
                    output.display(),
                    source.display()
                );
                status = Status::Problems.into();
            }
            Outcome::Failed(e) => {
                let s = convert_error_status(e);
                if s != Status::Success.into() {
                    status = Status::Problems.into();
                }
            }
            Outcome::Invalid {
                problems,
                after_warnings,
            } => {
                let why = if *after_warnings {
                    "see the warnings about the source"
                } else {
                    "a converter bug"
                };
                eprintln!(
                    "{}: error: the converted TEI breaks the rules ({why}):",
                    source.display()
                );
                print_all(problems);
                status = Status::Problems.into();
            }
            Outcome::Unwritable(e) => {
                eprintln!("error: {e}");
                status = Status::Trouble.into();
            }
        }
    }
    print_all(&report.warnings);
    if report_unknown {
        print_all(&report.unknown_names);
    }
    let verb = if check {
        "checked"
    } else {
        "converted and validated"
    };
    let pages = if publisher.is_some() {
        format!(", {pages} reading page(s) written")
    } else {
        String::new()
    };
    eprintln!(
        "{verb} {converted} of {} {unit}; {written} TEI file(s) written{pages}",
        report.outcomes.len()
    );
    status
}

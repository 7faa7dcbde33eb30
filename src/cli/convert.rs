//! `teikit convert` and `teikit build` (with `--html`): sources to TEI, and TEI to pages.

use super::print_all;
use super::stdout::out;
use crate::convert::build::{build, BuildOptions, Outcome};
use crate::convert::{convert_file_with_options, data_paths, ConvertError, DataOptions};
use crate::output::write_atomically;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn convert_error_status(error: &ConvertError) -> ExitCode {
    match error {
        ConvertError::Source(diagnostics) => {
            print_all(diagnostics);
            ExitCode::from(1)
        }
        ConvertError::Editorial(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
        ConvertError::Io { .. } => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

pub(super) fn run_convert(
    source: PathBuf,
    output: Option<PathBuf>,
    report_unknown: bool,
    strict: bool,
    volume: Option<PathBuf>,
) -> ExitCode {
    let options = DataOptions {
        volume: volume.clone(),
    };
    let conversion = match convert_file_with_options(&source, &options) {
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
        return ExitCode::from(1);
    }
    print_all(&conversion.warnings);
    if report_unknown {
        print_all(&conversion.unknown_names);
    }
    match output {
        Some(path) => {
            let (beside, document) = data_paths(&source);
            let volume = volume.unwrap_or(beside);
            let inputs = [source.as_path(), volume.as_path(), document.as_path()];
            if let Err(e) = write_atomically(&path, conversion.xml.as_bytes(), &inputs) {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
        None => out!("{}", conversion.xml),
    }
    ExitCode::SUCCESS
}

fn publisher(
    stylesheet: Option<&Path>,
) -> Result<(crate::publish::Saxon, crate::publish::HtmlStylesheet), crate::publish::PublishError> {
    Ok((
        crate::publish::Saxon::find()?,
        crate::publish::HtmlStylesheet::locate(stylesheet)?,
    ))
}

/// `html`: write the reading edition too, with this stylesheet (or the default one).
pub(super) fn run_build(
    options: BuildOptions,
    report_unknown: bool,
    html: Option<Option<PathBuf>>,
) -> ExitCode {
    let check = options.check;
    // Find the processor before converting anything, so that a missing Saxon costs nothing.
    let publisher = match html.map(|sheet| publisher(sheet.as_deref())).transpose() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let report = match build(&options) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut status = ExitCode::SUCCESS;
    let (mut converted, mut written) = (0, 0);
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
                    match crate::publish::write_html(saxon, sheet, output, &page) {
                        Ok(()) => eprintln!("wrote {}", page.display()),
                        Err(e) => {
                            eprintln!("error: {e}");
                            status = ExitCode::from(2);
                        }
                    }
                }
            }
            Outcome::Stale { output, missing } => {
                let why = if *missing {
                    "is missing"
                } else {
                    "differs from a fresh conversion"
                };
                eprintln!(
                    "{}: error: {why} of {}; run `teikit build` and commit the result",
                    output.display(),
                    source.display()
                );
                status = ExitCode::from(1);
            }
            Outcome::Failed(e) => {
                let s = convert_error_status(e);
                if s != ExitCode::SUCCESS {
                    status = ExitCode::from(1);
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
                status = ExitCode::from(1);
            }
            Outcome::Unwritable(e) => {
                eprintln!("error: {e}");
                status = ExitCode::from(2);
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
    eprintln!(
        "{verb} {converted} of {} source(s); {written} written",
        report.outcomes.len()
    );
    status
}

//! `teikit validate`: schema and rules over many files, with a report in one of four formats.

use super::print_all;
use super::stdout::{out, outln};
use super::Status;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use teikit::relaxng::Schema;
use teikit::report::{FileResult, Format};
use teikit::rules::RuleSet;
use teikit::validation;
use teikit::xml::ReadLimits;

pub(super) fn run_validate(
    schema: Option<PathBuf>,
    rules: RuleSet,
    limits: ReadLimits,
    cache: Option<PathBuf>,
    format: Format,
    paths: Vec<PathBuf>,
) -> ExitCode {
    let compiled = match schema.as_deref() {
        Some(path) => Schema::from_file_cached(path, cache.as_deref()),
        None => Schema::bundled(),
    };
    let schema = match compiled {
        Ok(s) => Some(s),
        Err(e) => {
            eprintln!("{e}");
            return Status::Trouble.into();
        }
    };
    let files = match validation::xml_files(&paths) {
        Ok(files) => files,
        Err((path, e)) => {
            eprintln!("{}: error: cannot read: {e}", path.display());
            return Status::Trouble.into();
        }
    };
    let options = validation::Options {
        rules,
        limits,
        ..Default::default()
    };
    // A progress line on a terminal, for batches; never in CI logs or pipes.
    let show_progress = files.len() > 1
        && std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none()
        && format == Format::Human;
    let total = files.len();
    let progress = |done: usize| {
        if show_progress {
            eprint!("\rvalidated {done}/{total}");
            let _ = std::io::stderr().flush();
        }
    };
    let outcomes = validation::check_files(schema.as_ref(), &files, &options, &progress);
    if show_progress {
        eprint!("\r\x1b[K");
    }
    let unreadable: Vec<Option<String>> = outcomes
        .iter()
        .map(|o| match o {
            validation::Outcome::Unreadable(e) => Some(e.to_string()),
            validation::Outcome::Checked(_) => None,
        })
        .collect();
    let results: Vec<FileResult> = files
        .iter()
        .zip(&outcomes)
        .zip(&unreadable)
        .map(|((path, outcome), why)| FileResult {
            path,
            problems: match outcome {
                validation::Outcome::Checked(problems) => problems,
                validation::Outcome::Unreadable(_) => &[],
            },
            unreadable: why.as_deref(),
        })
        .collect();
    match format {
        Format::Human => {
            for result in &results {
                if let Some(why) = result.unreadable {
                    eprintln!("{}: error: cannot read: {why}", result.path.display());
                }
                print_all(result.problems);
            }
        }
        Format::Json => outln!("{}", teikit::report::json(&results)),
        Format::Sarif => outln!("{}", teikit::report::sarif(&results)),
        Format::Github => out!("{}", teikit::report::github(&results)),
    }
    let invalid = outcomes.iter().filter(|o| !o.is_valid()).count();
    let status = if unreadable.iter().any(Option::is_some) {
        Status::Trouble.into()
    } else if invalid > 0 {
        Status::Problems.into()
    } else {
        Status::Success.into()
    };
    eprintln!(
        "validated {} file(s): {} valid, {invalid} invalid",
        files.len(),
        files.len() - invalid
    );
    status
}

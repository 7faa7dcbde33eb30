//! `teikit validate`: schema and rules over many files, with a report in one of four formats.

use super::print_all;
use super::stdout::{out, outln};
use super::Status;
use std::path::PathBuf;
use std::process::ExitCode;
use teikit::relaxng::Schema;
use teikit::report::{FileResult, Format};
use teikit::rules::{Profile, RuleId, RuleSet};
use teikit::validation;
use teikit::xml::ReadLimits;

/// Where the configuration comes from.
pub(super) enum ConfigChoice {
    /// teikit.toml in the working directory or above it, if there is one.
    Find,
    /// This file.
    File(PathBuf),
    /// None.
    None,
}

/// What `teikit validate` was asked for on the command line.
pub(super) struct Settings {
    pub schema: Option<PathBuf>,
    /// `Some(None)`: auto.
    pub profile: Option<Option<Profile>>,
    pub no_rules: bool,
    pub no_xinclude: bool,
    pub cache: Option<PathBuf>,
    pub disable: Vec<String>,
    pub config: ConfigChoice,
    pub format: Format,
    pub limits: teikit::config::Limits,
    pub paths: Vec<PathBuf>,
}

pub(super) fn run_validate(settings: Settings) -> ExitCode {
    let config_file = match settings.config {
        ConfigChoice::Find => std::env::current_dir()
            .ok()
            .and_then(|dir| teikit::config::find(&dir)),
        ConfigChoice::File(file) => Some(file),
        ConfigChoice::None => None,
    };
    let config = match config_file.as_deref().map(teikit::config::load) {
        Some(Ok(config)) => config,
        Some(Err(problem)) => {
            print_all(&[problem]);
            return Status::Trouble.into();
        }
        None => teikit::config::Config::default(),
    };
    let schema = settings.schema.or_else(|| config.schema.clone());
    // The bundled schema is the documentary subset: its documents get the documentary rules.
    let default_profile = if schema.is_none() {
        Some(Profile::Documentary)
    } else {
        None
    };
    let mut rules = RuleSet::for_profile(default_profile);
    config.apply_rules(&mut rules);
    if let Some(profile) = settings.profile {
        rules.set_profile(profile);
    }
    if settings.no_rules {
        for rule in RuleId::all() {
            if rule != RuleId::Schema && rule != RuleId::WellFormed {
                rules.disable_rule(rule);
            }
        }
    }
    for code in &settings.disable {
        if let Err(e) = rules.disable(code) {
            eprintln!("error: {e}");
            return Status::Trouble.into();
        }
    }
    let limits = settings
        .limits
        .apply(config.limits.apply(ReadLimits::default()));
    let paths = settings.paths;
    let format = settings.format;
    if paths.is_empty() && config.files.is_empty() {
        eprintln!(
            "error: nothing to validate: name files or directories, or list them as `files` in {}",
            config_file
                .as_deref()
                .map_or("teikit.toml".into(), |f| f.display().to_string())
        );
        return Status::Trouble.into();
    }
    let compiled = match schema.as_deref() {
        Some(path) => Schema::from_file_cached(path, settings.cache.as_deref()),
        None => Schema::bundled(),
    };
    let schema = match compiled {
        Ok(s) => Some(s),
        Err(e) => {
            eprintln!("{e}");
            return Status::Trouble.into();
        }
    };
    let listed = if paths.is_empty() {
        config.files_to_validate()
    } else {
        validation::xml_files(&paths)
    };
    let files = match listed {
        Ok(files) => files,
        Err((path, e)) => {
            eprintln!("{}: error: cannot read: {e}", path.display());
            return Status::Trouble.into();
        }
    };
    if files.is_empty() {
        // Nothing checked is not "all valid": CI must not pass on a wrong path.
        if paths.is_empty() {
            eprintln!(
                "error: the `files` of {} match no file",
                config.file.display()
            );
        } else {
            let named: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            eprintln!("error: no XML files in {}", named.join(", "));
        }
        return Status::Trouble.into();
    }
    let options = validation::Options {
        rules,
        limits,
        xinclude: !settings.no_xinclude && config.xinclude.unwrap_or(true),
        ..Default::default()
    };
    let progress = super::progress::Progress::new("validating");
    let outcomes = validation::check_files(schema.as_ref(), &files, &options, &|done| {
        progress.set(done, files.len())
    });
    progress.finish();
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
    let unreadable_count = unreadable.iter().filter(|u| u.is_some()).count();
    let invalid = outcomes.iter().filter(|o| !o.is_valid()).count() - unreadable_count;
    let status = if unreadable.iter().any(Option::is_some) {
        Status::Trouble.into()
    } else if invalid > 0 {
        Status::Problems.into()
    } else {
        Status::Success.into()
    };
    let not_read = if unreadable_count > 0 {
        format!(", {unreadable_count} not read")
    } else {
        String::new()
    };
    eprintln!(
        "validated {} file(s): {} valid, {invalid} invalid{not_read}",
        files.len(),
        files.len() - invalid - unreadable_count
    );
    status
}

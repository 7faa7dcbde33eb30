//! `teikit diff`: two files, or two directories of them.

use super::stdout::{out, outln};
use super::DiffFormat;
use crate::output::write_atomically;
use crate::report::human::print_diagnostic;
use crate::xml::ReadLimits;
use std::io::IsTerminal;
use std::process::ExitCode;

/// How `teikit diff` compares and reports, for files and directories alike.
pub(super) struct DiffSettings {
    pub(super) format: DiffFormat,
    pub(super) stat: bool,
    pub(super) normalisation: crate::diff::Normalisation,
    pub(super) limits: ReadLimits,
    pub(super) text_only: bool,
}

/// `teikit diff OLD_DIR NEW_DIR`: every document of both trees, by relative path.
pub(super) fn run_diff_trees(
    old: &std::path::Path,
    new: &std::path::Path,
    settings: &DiffSettings,
) -> ExitCode {
    let (format, stat) = (settings.format, settings.stat);
    let options = crate::diff::batch::Options {
        normalisation: settings.normalisation,
        text_only: settings.text_only,
        jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
        limits: settings.limits,
    };
    use crate::diff::batch::Outcome;
    let reports = match crate::diff::batch::compare_trees(old, new, options) {
        Ok(r) => r,
        Err((path, e)) => {
            eprintln!("{}: error: cannot read: {e}", path.display());
            return ExitCode::from(2);
        }
    };
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let (mut same, mut changed, mut only_old, mut only_new, mut trouble) = (0, 0, 0, 0, 0);
    let mut files_json = Vec::new();
    for report in &reports {
        let (old_name, new_name) = (
            report.old.display().to_string(),
            report.new.display().to_string(),
        );
        match &report.outcome {
            Outcome::Compared(changes) if changes.is_empty() => same += 1,
            Outcome::Compared(changes) => {
                changed += 1;
                if stat {
                    outln!(
                        "{}: {}",
                        report.relative.display(),
                        crate::diff::stat(changes)
                    );
                } else if matches!(format, DiffFormat::Human) {
                    out!(
                        "{}",
                        crate::diff::human(changes, &old_name, &new_name, color)
                    );
                }
            }
            Outcome::OnlyOld => {
                only_old += 1;
                if !matches!(format, DiffFormat::Json) || stat {
                    outln!("only in {}: {}", old.display(), report.relative.display());
                }
            }
            Outcome::OnlyNew => {
                only_new += 1;
                if !matches!(format, DiffFormat::Json) || stat {
                    outln!("only in {}: {}", new.display(), report.relative.display());
                }
            }
            Outcome::Trouble(d) => {
                trouble += 1;
                print_diagnostic(&d.clone().with_rule(crate::rules::RuleId::WellFormed));
            }
        }
        if matches!(format, DiffFormat::Json) && !stat {
            files_json.push(match &report.outcome {
                Outcome::Compared(changes) => crate::diff::json(changes, &old_name, &new_name),
                Outcome::OnlyOld => serde_json::json!({"old": old_name, "new": null}),
                Outcome::OnlyNew => serde_json::json!({"old": null, "new": new_name}),
                Outcome::Trouble(d) => serde_json::json!({
                    "old": old_name, "new": new_name, "error": d.to_string()
                }),
            });
        }
    }
    let summary = format!(
        "{} file(s): {same} the same, {changed} changed, {only_old} only in {}, {only_new} only in {}, {trouble} not comparable",
        reports.len(),
        old.display(),
        new.display()
    );
    if matches!(format, DiffFormat::Json) && !stat {
        outln!(
            "{}",
            serde_json::json!({
                "version": 1,
                "old": old.display().to_string(),
                "new": new.display().to_string(),
                "files": files_json,
                "summary": {"files": reports.len(), "same": same, "changed": changed,
                            "only_old": only_old, "only_new": only_new, "not_comparable": trouble},
            })
        );
    }
    eprintln!("{summary}");
    if trouble > 0 {
        ExitCode::from(2)
    } else if changed + only_old + only_new > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

pub(super) fn run_diff(
    old: &std::path::Path,
    new: &std::path::Path,
    settings: &DiffSettings,
    record: Option<(String, String)>,
) -> ExitCode {
    let (format, stat, text_only) = (settings.format, settings.stat, settings.text_only);
    // The text, and its encoding (--record writes back UTF-8 only).
    let read = |path: &std::path::Path| {
        crate::xml::read_file(path).map_err(|d| {
            print_diagnostic(&d.with_rule(crate::rules::RuleId::WellFormed));
            ExitCode::from(2)
        })
    };
    let ((old_text, _), (new_text, new_encoding)) = match (read(old), read(new)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    if record.is_some() && new_encoding != crate::xml::Encoding::Utf8 {
        eprintln!(
            "{}: error: --record writes UTF-8 files only; convert the file first",
            new.display()
        );
        return ExitCode::from(2);
    }
    let sides = crate::diff::Side::pair(
        (old, &old_text),
        (new, &new_text),
        settings.normalisation,
        settings.limits,
    );
    let (old_side, new_side) = match sides {
        Ok(sides) => sides,
        Err(d) => {
            print_diagnostic(&d.with_rule(crate::rules::RuleId::WellFormed));
            return ExitCode::from(2);
        }
    };
    let changes = if text_only {
        crate::diff::diff_reading_text(&old_side, &new_side)
    } else {
        crate::diff::diff(&old_side, &new_side)
    };
    let (old_name, new_name) = (old.display().to_string(), new.display().to_string());
    if stat {
        outln!("{}", crate::diff::stat(&changes));
    } else {
        match format {
            DiffFormat::Json => outln!("{}", crate::diff::json(&changes, &old_name, &new_name)),
            DiffFormat::Human => {
                let color =
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                out!(
                    "{}",
                    crate::diff::human(&changes, &old_name, &new_name, color)
                );
                eprintln!("{}", crate::diff::stat(&changes));
            }
        }
    }
    if let (Some((who, when)), false) = (&record, changes.is_empty()) {
        let summary = crate::diff::stat(&changes);
        let entry = crate::diff::record::Record {
            who,
            when,
            summary: &summary,
        };
        let written = crate::diff::record::add_change(new, &new_text, &entry)
            .map_err(|d| print_diagnostic(&d))
            .and_then(|text| {
                write_atomically(new, text.as_bytes(), &[old]).map_err(|e| eprintln!("error: {e}"))
            });
        if written.is_err() {
            return ExitCode::from(2);
        }
        eprintln!("recorded in {}: {summary}", new.display());
    }
    // The process ends here: freeing both trees node by node would only delay the exit.
    std::mem::forget(old_side);
    std::mem::forget(new_side);
    if changes.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

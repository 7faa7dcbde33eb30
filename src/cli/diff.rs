//! `teikit diff`: two files, or two directories of them.

use super::print_all;
use super::stdout::{out, outln};
use super::{LimitArgs, Status};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use teikit::output::write_atomically;
use teikit::xml::ReadLimits;

/// How `teikit diff` compares and reports, for files and directories alike.
pub(super) struct DiffSettings {
    pub(super) format: DiffFormat,
    pub(super) stat: bool,
    pub(super) normalisation: teikit::diff::Normalisation,
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
    if format == DiffFormat::Html {
        eprintln!(
            "error: --format html draws one review page for two files, not for two directories"
        );
        return Status::Trouble.into();
    }
    let options = teikit::diff::batch::Options {
        normalisation: settings.normalisation,
        text_only: settings.text_only,
        jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
        limits: settings.limits,
    };
    use teikit::diff::batch::Outcome;
    let progress = super::progress::Progress::new("comparing");
    let compared =
        teikit::diff::batch::compare_trees_with_progress(old, new, options, &|done, total| {
            progress.set(done, total)
        });
    progress.finish();
    let reports = match compared {
        Ok(r) => r,
        Err((path, e)) => {
            eprintln!("{}: error: cannot read: {e}", path.display());
            return Status::Trouble.into();
        }
    };
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let json = matches!(format, DiffFormat::Json) && !stat;
    for report in &reports {
        let (old_name, new_name) = (
            report.old.display().to_string(),
            report.new.display().to_string(),
        );
        match &report.outcome {
            Outcome::Compared(changes) if changes.is_empty() => {}
            Outcome::Compared(changes) => {
                if stat {
                    outln!(
                        "{}: {}",
                        report.relative.display(),
                        teikit::diff::stat(changes)
                    );
                } else if !json {
                    out!(
                        "{}",
                        teikit::diff::human(changes, &old_name, &new_name, color)
                    );
                }
            }
            Outcome::OnlyOld if !json => {
                outln!("only in {}: {}", old.display(), report.relative.display());
            }
            Outcome::OnlyNew if !json => {
                outln!("only in {}: {}", new.display(), report.relative.display());
            }
            Outcome::OnlyOld | Outcome::OnlyNew => {}
            Outcome::Trouble(d) => {
                print_all(&[d.clone().with_rule(teikit::rules::RuleId::WellFormed)]);
            }
        }
    }
    if json {
        outln!("{}", teikit::diff::batch::tree_json(old, new, &reports));
    }
    let summary = teikit::diff::batch::TreeSummary::of(&reports);
    eprintln!(
        "{} file(s): {} the same, {} changed, {} only in {}, {} only in {}, {} not comparable",
        summary.files,
        summary.same,
        summary.changed,
        summary.only_old,
        old.display(),
        summary.only_new,
        new.display(),
        summary.not_comparable
    );
    if summary.not_comparable > 0 {
        Status::Trouble.into()
    } else if summary.differs() {
        Status::Problems.into()
    } else {
        Status::Success.into()
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
        teikit::xml::read_file(path).map_err(|d| {
            print_all(&[d.with_rule(teikit::rules::RuleId::WellFormed)]);
            Status::Trouble.into()
        })
    };
    let ((old_text, _), (new_text, new_encoding)) = match (read(old), read(new)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    if record.is_some() && new_encoding != teikit::xml::Encoding::Utf8 {
        eprintln!(
            "{}: error: --record writes UTF-8 files only; convert the file first",
            new.display()
        );
        return Status::Trouble.into();
    }
    let sides = teikit::diff::Side::pair(
        (old, &old_text),
        (new, &new_text),
        settings.normalisation,
        settings.limits,
    );
    let (old_side, new_side) = match sides {
        Ok(sides) => sides,
        Err(d) => {
            print_all(&[d.with_rule(teikit::rules::RuleId::WellFormed)]);
            return Status::Trouble.into();
        }
    };
    let changes = if text_only {
        teikit::diff::diff_reading_text(&old_side, &new_side)
    } else {
        teikit::diff::diff(&old_side, &new_side)
    };
    let (old_name, new_name) = (old.display().to_string(), new.display().to_string());
    if stat {
        outln!("{}", teikit::diff::stat(&changes));
    } else {
        match format {
            DiffFormat::Json => outln!("{}", teikit::diff::json(&changes, &old_name, &new_name)),
            DiffFormat::Html => out!(
                "{}",
                teikit::diff::review_html(&changes, &old_name, &new_name, &old_text, &new_text)
            ),
            DiffFormat::Human => {
                let color =
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                out!(
                    "{}",
                    teikit::diff::human(&changes, &old_name, &new_name, color)
                );
                eprintln!("{}", teikit::diff::stat(&changes));
            }
        }
    }
    if let (Some((who, when)), false) = (&record, changes.is_empty()) {
        let summary = teikit::diff::stat(&changes);
        let entry = teikit::diff::record::Record {
            who,
            when,
            summary: &summary,
        };
        let written = teikit::diff::record::add_change(new, &new_text, &entry)
            .map_err(|d| print_all(&[d]))
            .and_then(|text| {
                write_atomically(new, text.as_bytes(), &[old]).map_err(|e| eprintln!("error: {e}"))
            });
        if written.is_err() {
            return Status::Trouble.into();
        }
        eprintln!("recorded in {}: {summary}", new.display());
    }
    if changes.is_empty() {
        Status::Success.into()
    } else {
        Status::Problems.into()
    }
}

/// `teikit diff`: the arguments.
#[derive(Debug, clap::Args)]
pub(super) struct DiffArgs {
    /// The older revision (a file, or a directory).
    old: PathBuf,
    /// The newer revision (a file, or a directory).
    new: PathBuf,
    /// Report format: human (word-level, colored on a terminal unless NO_COLOR) or json.
    #[arg(long, value_enum, default_value = "human")]
    format: DiffFormat,
    /// Print only the summary line (counts of changes by kind).
    #[arg(long)]
    stat: bool,
    /// Leave comments out of the comparison.
    #[arg(long)]
    ignore_comments: bool,
    /// Leave processing instructions out of the comparison.
    #[arg(long)]
    ignore_processing_instructions: bool,
    /// Compare the reading text only, word by word, ignoring all markup.
    #[arg(long)]
    text_only: bool,
    /// Record the summary of the changes as a `change` in NEW's revisionDesc (needs --who
    /// and --when); NEW is rewritten atomically, otherwise byte for byte as it was.
    #[arg(long, requires_all = ["who", "when"])]
    record: bool,
    /// With --record: who made the revision, as a pointer (`#ed1`).
    #[arg(long, value_name = "POINTER")]
    who: Option<String>,
    /// With --record: when, an ISO 8601 date.
    #[arg(long, value_name = "DATE")]
    when: Option<String>,
    #[command(flatten)]
    limits: LimitArgs,
}

/// The formats of `teikit diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum DiffFormat {
    /// Readable, word-level.
    Human,
    /// JSON (schema in the `diff` module's render doc).
    Json,
    /// A review page: the new revision as a reading text with the changes marked in place (two
    /// files only).
    Html,
}

/// `teikit diff`.
pub(super) fn run(args: DiffArgs) -> ExitCode {
    let DiffArgs {
        old,
        new,
        format,
        stat,
        ignore_comments,
        ignore_processing_instructions,
        text_only,
        record,
        who,
        when,
        limits,
    } = args;
    let limits = limits.apply(ReadLimits::default());
    let normalisation = teikit::diff::Normalisation {
        ignore_comments,
        ignore_processing_instructions,
    };
    let settings = DiffSettings {
        format,
        stat,
        normalisation,
        limits,
        text_only,
    };
    let max_depth = settings.limits.max_depth;
    let work = move || match (old.is_dir(), new.is_dir()) {
        (true, true) if record => {
            eprintln!("error: --record writes into one file; it cannot be used with directories");
            Status::Trouble.into()
        }
        (true, true) => run_diff_trees(&old, &new, &settings),
        (false, false) => run_diff(
            &old,
            &new,
            &settings,
            record.then_some((who.unwrap_or_default(), when.unwrap_or_default())),
        ),
        _ => {
            eprintln!(
                "error: compare two files or two directories, not a file with a directory ({} and {})",
                old.display(),
                new.display()
            );
            Status::Trouble.into()
        }
    };
    on_stack_for_depth(max_depth, work)
}

/// Runs `work` on a thread whose stack holds `max_depth` levels of the differ's alignment, which
/// recurses a level of the documents at a time (about 1.2 KiB of stack a level, measured): so
/// whatever `--max-depth` lets through is compared, not overflowed. Within the default limit
/// the main thread's stack is enough.
fn on_stack_for_depth(max_depth: usize, work: impl FnOnce() -> ExitCode + Send) -> ExitCode {
    const MAIN_THREAD_LEVELS: usize = 4096;
    const STACK_PER_LEVEL: usize = 4096;
    if max_depth <= MAIN_THREAD_LEVELS {
        return work();
    }
    let stack = max_depth
        .saturating_mul(STACK_PER_LEVEL)
        .saturating_add(1 << 24);
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("diff".into())
            .stack_size(stack)
            .spawn_scoped(scope, work);
        match worker {
            Ok(worker) => worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(e) => {
                eprintln!(
                    "error: no stack for {max_depth} levels of nesting ({e}); lower --max-depth"
                );
                Status::Trouble.into()
            }
        }
    })
}

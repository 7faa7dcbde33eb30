//! The `teikit` command line: parses arguments, calls the library, prints what it returns.
//!
//! Exit status, for every command: 0 success; 1 the input has problems (a source that does not
//! convert, a document that breaks a rule, a stale output); 2 teikit could not run (unreadable
//! files, bad arguments).

use crate::convert::build::{build, BuildOptions, Outcome};
use crate::convert::{convert_file, data_paths, ConvertError};
use crate::diagnostic::Diagnostic;
use crate::output::write_atomically;
use crate::relaxng::Schema;
use crate::report::human::print_diagnostic;
use crate::report::{FileResult, Format};
use crate::rules::{RuleSet, RULES};
use crate::validation;
use crate::xml::ReadLimits;
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A toolchain for scholarly TEI P5 XML.
#[derive(Debug, Parser)]
#[command(name = "teikit", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Convert one plain-text document to TEI P5.
    ///
    /// Reads `volume.toml` and `dN.toml` from beside the source. Writes to OUT atomically, or to
    /// standard output.
    Convert {
        /// The plain-text source, e.g. sources/frus1969-76v10/d59.txt.
        source: PathBuf,
        /// Where to write the TEI (default: standard output).
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Also list capitalised words that no register covers.
        #[arg(long)]
        report_unknown: bool,
    },
    /// Convert every source under SOURCES into OUT, checking each result.
    Build {
        /// The sources directory: VOLUME/dN.txt beside VOLUME/volume.toml.
        #[arg(long, default_value = "sources", value_name = "SOURCES")]
        sources: PathBuf,
        /// Where the TEI goes: OUT/VOLUME/dN.xml.
        #[arg(long, default_value = "tei", value_name = "OUT")]
        out: PathBuf,
        /// Write nothing; exit 1 naming every output that is missing or differs from a fresh
        /// conversion.
        #[arg(long)]
        check: bool,
        /// Also list capitalised words that no register covers.
        #[arg(long)]
        report_unknown: bool,
        /// Also write the reading edition, OUT/VOLUME/dN.html, with the XSLT 3.0 stylesheet and
        /// a Saxon found on this machine (see TEIKIT_SAXON).
        #[arg(long, conflicts_with = "check")]
        html: bool,
        /// The stylesheet for --html (default: xslt/tei-to-html.xsl when present, else
        /// teikit's own copy).
        #[arg(long, requires = "html", value_name = "XSL")]
        stylesheet: Option<PathBuf>,
    },
    /// List the validation rules: id, severity, what each requires.
    Rules,
    /// Compare two revisions of an XML (TEI) document as documents, not as lines; or two
    /// directories of them, every *.xml by its relative path, on every core.
    ///
    /// Exit status: 0 the same document(s), 1 different, 2 trouble (unreadable or not
    /// well-formed input).
    Diff {
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
    },
    /// Validate XML files against a RELAX NG schema and check them with the semantic rules
    /// (unique ids, resolvable pointers, ISO dates).
    ///
    /// Exit status: 0 all valid, 1 some invalid, 2 could not run (unreadable file, broken schema).
    Validate {
        /// The RELAX NG schema, XML (.rng) or compact (.rnc) syntax; by default the bundled TEI subset for documentary
        /// editions (schema/teikit-documentary.rng).
        #[arg(long, value_name = "FILE.rng|FILE.rnc")]
        schema: Option<PathBuf>,
        /// Skip the semantic rules (schema validation only).
        #[arg(long)]
        no_rules: bool,
        /// Compile the schema even if a compiled copy is cached (see TEIKIT_CACHE_DIR).
        #[arg(long)]
        no_cache: bool,
        /// Switch a rule off (repeatable); `teikit rules` lists them.
        #[arg(long, value_name = "RULE")]
        disable: Vec<String>,
        /// Report format: human (standard error), json, github or sarif (standard output).
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        #[command(flatten)]
        limits: LimitArgs,
        /// Files or directories (searched for *.xml).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

/// The limits on documents read (`ReadLimits`), shared by validate and diff.
#[derive(Debug, Clone, Copy, clap::Args)]
struct LimitArgs {
    /// Refuse documents nested deeper than this many elements.
    #[arg(long, value_name = "N", default_value_t = ReadLimits::default().max_depth)]
    max_depth: usize,
    /// Refuse documents larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = ReadLimits::default().max_bytes)]
    max_size: usize,
    /// Refuse documents with an element carrying more than this many attributes.
    #[arg(long, value_name = "N", default_value_t = ReadLimits::default().max_attributes)]
    max_attributes: usize,
    /// Refuse documents whose entity references expand to more than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = ReadLimits::default().max_entity_expansion)]
    max_entity_expansion: u64,
}

impl From<LimitArgs> for ReadLimits {
    fn from(args: LimitArgs) -> Self {
        ReadLimits {
            max_depth: args.max_depth,
            max_bytes: args.max_size,
            max_attributes: args.max_attributes,
            max_entity_expansion: args.max_entity_expansion,
        }
    }
}

/// The formats of `teikit diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DiffFormat {
    /// Readable, word-level.
    Human,
    /// JSON (schema in the `diff` module's render doc).
    Json,
}

/// Runs the command line and returns the exit status.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Convert {
            source,
            output,
            report_unknown,
        } => run_convert(source, output, report_unknown),
        Command::Build {
            sources,
            out,
            check,
            report_unknown,
            html,
            stylesheet,
        } => run_build(
            BuildOptions {
                sources,
                out,
                check,
            },
            report_unknown,
            html.then_some(stylesheet),
        ),
        Command::Diff {
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
        } => {
            let limits = ReadLimits::from(limits);
            let normalisation = crate::diff::Normalisation {
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
            match (old.is_dir(), new.is_dir()) {
                (true, true) if record => {
                    eprintln!(
                        "error: --record writes into one file; it cannot be used with directories"
                    );
                    ExitCode::from(2)
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
                    ExitCode::from(2)
                }
            }
        }
        Command::Rules => {
            for rule in RULES {
                println!("{:<20} {:<8} {}", rule.id, rule.severity, rule.summary);
            }
            ExitCode::SUCCESS
        }
        Command::Validate {
            schema,
            no_rules,
            no_cache,
            disable,
            format,
            limits,
            paths,
        } => {
            let limits = ReadLimits::from(limits);
            let mut rules = RuleSet::all();
            if no_rules {
                for rule in RULES {
                    if rule.id != crate::rules::SCHEMA && rule.id != crate::rules::WELL_FORMED {
                        let _ = rules.disable(rule.id);
                    }
                }
            }
            for id in &disable {
                if let Err(e) = rules.disable(id) {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            }
            let cache = if no_cache {
                None
            } else {
                crate::relaxng::cache::directory()
            };
            run_validate(schema, rules, limits, cache, format, paths)
        }
    }
}

fn print_all(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        print_diagnostic(d);
    }
}

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

fn run_convert(source: PathBuf, output: Option<PathBuf>, report_unknown: bool) -> ExitCode {
    let conversion = match convert_file(&source) {
        Ok(c) => c,
        Err(e) => return convert_error_status(&e),
    };
    print_all(&conversion.warnings);
    if report_unknown {
        print_all(&conversion.unknown_names);
    }
    match output {
        Some(path) => {
            let (volume, document) = data_paths(&source);
            let inputs = [source.as_path(), volume.as_path(), document.as_path()];
            if let Err(e) = write_atomically(&path, conversion.xml.as_bytes(), &inputs) {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
        None => print!("{}", conversion.xml),
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
fn run_build(
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
            Outcome::Invalid(problems) => {
                eprintln!(
                    "{}: error: the converted TEI breaks the rules (a converter bug):",
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

/// How `teikit diff` compares and reports, for files and directories alike.
struct DiffSettings {
    format: DiffFormat,
    stat: bool,
    normalisation: crate::diff::Normalisation,
    limits: ReadLimits,
    text_only: bool,
}

/// `teikit diff OLD_DIR NEW_DIR`: every document of both trees, by relative path.
fn run_diff_trees(
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
                    println!(
                        "{}: {}",
                        report.relative.display(),
                        crate::diff::stat(changes)
                    );
                } else if matches!(format, DiffFormat::Human) {
                    print!(
                        "{}",
                        crate::diff::human(changes, &old_name, &new_name, color)
                    );
                }
            }
            Outcome::OnlyOld => {
                only_old += 1;
                if !matches!(format, DiffFormat::Json) || stat {
                    println!("only in {}: {}", old.display(), report.relative.display());
                }
            }
            Outcome::OnlyNew => {
                only_new += 1;
                if !matches!(format, DiffFormat::Json) || stat {
                    println!("only in {}: {}", new.display(), report.relative.display());
                }
            }
            Outcome::Trouble(d) => {
                trouble += 1;
                print_diagnostic(&d.clone().with_rule(crate::rules::WELL_FORMED));
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
        println!(
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

fn run_diff(
    old: &std::path::Path,
    new: &std::path::Path,
    settings: &DiffSettings,
    record: Option<(String, String)>,
) -> ExitCode {
    let (format, stat, text_only) = (settings.format, settings.stat, settings.text_only);
    // The text, and whether the file is UTF-8 (so that --record may write it back as it is).
    let read = |path: &std::path::Path| -> Result<(String, bool), ExitCode> {
        let bytes = std::fs::read(path).map_err(|e| {
            eprintln!("{}: error: cannot read: {e}", path.display());
            ExitCode::from(2)
        })?;
        let utf16 = matches!(bytes.get(..2), Some([0xFF, 0xFE] | [0xFE, 0xFF]));
        let text = crate::xml::decode(path, bytes).map_err(|d| {
            print_diagnostic(&d.with_rule(crate::rules::WELL_FORMED));
            ExitCode::from(2)
        })?;
        Ok((text, !utf16))
    };
    let ((old_text, _), (new_text, new_is_utf8)) = match (read(old), read(new)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    if record.is_some() && !new_is_utf8 {
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
            print_diagnostic(&d.with_rule(crate::rules::WELL_FORMED));
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
        println!("{}", crate::diff::stat(&changes));
    } else {
        match format {
            DiffFormat::Json => println!("{}", crate::diff::json(&changes, &old_name, &new_name)),
            DiffFormat::Human => {
                let color =
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                print!(
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

fn run_validate(
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
            return ExitCode::from(2);
        }
    };
    let files = match validation::xml_files(&paths) {
        Ok(files) => files,
        Err((path, e)) => {
            eprintln!("{}: error: cannot read: {e}", path.display());
            return ExitCode::from(2);
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
        Format::Json => println!("{}", crate::report::json(&results)),
        Format::Sarif => println!("{}", crate::report::sarif(&results)),
        Format::Github => print!("{}", crate::report::github(&results)),
    }
    let invalid = outcomes.iter().filter(|o| !o.is_valid()).count();
    let status = if unreadable.iter().any(Option::is_some) {
        ExitCode::from(2)
    } else if invalid > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    eprintln!(
        "validated {} file(s): {} valid, {invalid} invalid",
        files.len(),
        files.len() - invalid
    );
    // The process ends here: freeing the compiled schema's many small allocations one by one
    // would only delay the exit (a measurable share of validating one small file).
    std::mem::forget(schema);
    status
}

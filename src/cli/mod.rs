//! The `teikit` command line: parses arguments, calls the library, prints what it returns.
//!
//! Exit status, for every command: 0 success; 1 the input has problems (a source that does not
//! convert, a document that breaks a rule, a stale output); 2 teikit could not run (unreadable
//! files, bad arguments).
//!
//! This module holds the argument definitions and the dispatch; each command's running and
//! printing lives beside it: `convert` (convert, build), `diff`, `registers`, `validate`.

mod convert;
mod diff;
mod progress;
mod registers;
mod stdout;
mod validate;

use clap::{Parser, Subcommand};
use convert::{run_build, run_convert};
use diff::{run_diff, run_diff_trees, DiffSettings};
use std::path::PathBuf;
use std::process::ExitCode;
use teikit::base::diagnostic::Diagnostic;
use teikit::base::output::OutputProfile;
use teikit::build::BuildOptions;
use teikit::rules::{Profile, RULES};
use teikit::xml::ReadLimits;
use validate::run_validate;

/// The version, with the TEI release whose `tei_all` the bundled schema is a tested subset of.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (bundled schema: a subset of TEI P5 4.12.0)"
);

/// How a command ended, as its exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// 0: success; the documents are valid, the same, converted.
    Success,
    /// 1: the input has problems: a source that does not convert, an invalid document, a
    /// stale output, documents that differ.
    Problems,
    /// 2: teikit could not run: unreadable files, a broken schema, bad arguments.
    Trouble,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        ExitCode::from(match status {
            Status::Success => 0,
            Status::Problems => 1,
            Status::Trouble => 2,
        })
    }
}

/// A toolchain for scholarly TEI P5 XML.
#[derive(Debug, Parser)]
#[command(name = "teikit", version = VERSION, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Convert one plain-text document to TEI P5.
    ///
    /// Reads `volume.toml` and `dN.toml` from beside the source (or the volume from --volume);
    /// without them the text is converted with defaults and a warning. Writes to OUT
    /// atomically, or to standard output.
    Convert {
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
        profile: Option<OutputProfileArg>,
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
        /// Treat the converter's warnings as errors: a source with any is not written.
        #[arg(long)]
        strict: bool,
        /// Also write the reading edition, OUT/VOLUME/dN.html, with the XSLT 3.0 stylesheet and
        /// a Saxon found on this machine (see TEIKIT_SAXON).
        #[arg(long, conflicts_with = "check")]
        html: bool,
        /// The stylesheet for --html (default: xslt/tei-to-html.xsl when present, else
        /// teikit's own copy).
        #[arg(long, requires = "html", value_name = "XSL")]
        stylesheet: Option<PathBuf>,
        /// How to write the TEI: tei (OUT/VOLUME/dN.xml, rich TEI P5, the default) or frus
        /// (OUT/VOLUME.xml, one file per volume in the Office of the Historian's conventions).
        /// Default: teikit.toml's `[convert] profile`, else tei.
        #[arg(long, value_enum, conflicts_with = "html")]
        profile: Option<OutputProfileArg>,
        /// Also check every output against this RELAX NG schema (for frus, the publisher's
        /// frus.rnc); default: the bundled schema for tei, none for frus.
        #[arg(long, value_name = "FILE.rng|FILE.rnc")]
        schema: Option<PathBuf>,
    },
    /// List the validation rules: id, severity, what each requires.
    Rules,
    /// Work with the schemas documents declare (`xml-model`).
    Schema {
        #[command(subcommand)]
        action: SchemaAction,
    },
    /// Work with the registers of persons, places, organisations and terms.
    Registers {
        #[command(subcommand)]
        action: RegistersAction,
    },
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
    /// Start an edition in DIR: teikit.toml, a volume with a sample document, a CI workflow
    /// and a pre-commit configuration. Nothing that exists is overwritten.
    Init {
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
    },
    /// Print a completion script for a shell (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `teikit man > teikit.1`.
    Man,
    /// Serve editors over the Language Server Protocol on standard input and output:
    /// diagnostics, completion from the schema, hover, go to definition, references, rename.
    Lsp,
    /// Validate XML files against a RELAX NG schema and check them with the semantic rules
    /// (unique ids, resolvable pointers, dates; FRUS house rules for documentary editions).
    ///
    /// Settings come from the command line, then from the project's teikit.toml (found by
    /// walking up from the working directory), then from the defaults.
    ///
    /// Exit status: 0 all valid, 1 some invalid, 2 could not run (unreadable file, broken schema).
    Validate {
        /// The RELAX NG schema, XML (.rng) or compact (.rnc) syntax; by default the one
        /// teikit.toml names, or else the bundled TEI subset for documentary editions
        /// (schema/teikit-documentary.rng).
        #[arg(long, value_name = "FILE.rng|FILE.rnc")]
        schema: Option<PathBuf>,
        /// The rules to apply: generic (any TEI), documentary (and FRUS's house rules), or
        /// auto: documentary for documents with FRUS-style document divisions or the FRUS
        /// namespace, generic for the rest. Default: teikit.toml's, else documentary with the
        /// bundled schema and auto with any other.
        #[arg(long, value_enum)]
        profile: Option<ProfileArg>,
        /// Skip the semantic rules (schema validation only).
        #[arg(long)]
        no_rules: bool,
        /// Compile the schema even if a compiled copy is cached (see TEIKIT_CACHE_DIR).
        #[arg(long)]
        no_cache: bool,
        /// Switch a rule off (repeatable); `teikit rules` lists them.
        #[arg(long, value_name = "RULE")]
        disable: Vec<String>,
        /// Leave xi:include elements as they are instead of resolving them (by default they are
        /// resolved, as jing does).
        #[arg(long)]
        no_xinclude: bool,
        /// Read this configuration instead of looking for teikit.toml.
        #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
        config: Option<PathBuf>,
        /// Read no configuration file.
        #[arg(long)]
        no_config: bool,
        /// Report format: human (standard error), json, github or sarif (standard output).
        #[arg(long, value_enum, default_value = "human")]
        format: ReportFormat,
        /// An OASIS XML catalog for the schemas documents declare (repeatable; after
        /// teikit.toml's `catalog` and before XML_CATALOG_FILES).
        #[arg(long, value_name = "FILE")]
        catalog: Vec<PathBuf>,
        /// Never download a declared schema: use the catalogs and the schema cache only.
        #[arg(long)]
        offline: bool,
        #[command(flatten)]
        limits: LimitArgs,
        /// Files or directories (searched for *.xml); by default the files teikit.toml lists.
        paths: Vec<PathBuf>,
    },
}

/// The profiles as the command line names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ProfileArg {
    /// Each document's own.
    Auto,
    /// Any TEI.
    Generic,
    /// Documentary editions in the manner of FRUS.
    Documentary,
}

impl From<ProfileArg> for Option<Profile> {
    fn from(profile: ProfileArg) -> Self {
        match profile {
            ProfileArg::Auto => None,
            ProfileArg::Generic => Some(Profile::Generic),
            ProfileArg::Documentary => Some(Profile::Documentary),
        }
    }
}

/// The limits on documents read (`ReadLimits`), shared by validate and diff; those not given
/// keep the configuration's or the defaults.
#[derive(Debug, Clone, Copy, clap::Args)]
struct LimitArgs {
    /// Refuse documents nested deeper than this many elements [default: 4096].
    #[arg(long, value_name = "N")]
    max_depth: Option<usize>,
    /// Refuse documents larger than this many bytes [default: 536870912].
    #[arg(long, value_name = "BYTES")]
    max_size: Option<usize>,
    /// Refuse documents with an element carrying more than this many attributes [default: 10000].
    #[arg(long, value_name = "N")]
    max_attributes: Option<usize>,
    /// Refuse documents whose entity references expand to more than this many bytes
    /// [default: 16777216].
    #[arg(long, value_name = "BYTES")]
    max_entity_expansion: Option<u64>,
}

impl LimitArgs {
    /// The limits given on the command line.
    fn given(self) -> teikit::config::Limits {
        teikit::config::Limits {
            max_depth: self.max_depth,
            max_size: self.max_size,
            max_attributes: self.max_attributes,
            max_entity_expansion: self.max_entity_expansion,
        }
    }

    /// `base` with the limits given on the command line.
    fn apply(self, base: ReadLimits) -> ReadLimits {
        self.given().apply(base)
    }
}

/// The output profiles of `convert` and `build`, as the command line names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputProfileArg {
    /// Rich TEI P5, one file per document.
    Tei,
    /// The Office of the Historian's FRUS conventions, one file per volume.
    Frus,
}

impl From<OutputProfileArg> for OutputProfile {
    fn from(profile: OutputProfileArg) -> Self {
        match profile {
            OutputProfileArg::Tei => OutputProfile::Tei,
            OutputProfileArg::Frus => OutputProfile::Frus,
        }
    }
}

/// The output profile: the command line's, else the project configuration's, else rich TEI.
/// The configuration `teikit.toml` of the project the working directory is in, if any.
fn project_config() -> Result<Option<teikit::config::Config>, ExitCode> {
    let Some(file) = std::env::current_dir()
        .ok()
        .and_then(|dir| teikit::config::find(&dir))
    else {
        return Ok(None);
    };
    teikit::config::load(&file).map(Some).map_err(|e| {
        print_all(&[e]);
        Status::Trouble.into()
    })
}

/// How `convert` and `build` write: the command line's profile, else `teikit.toml`'s.
fn output_profile(given: Option<OutputProfileArg>) -> Result<OutputProfile, ExitCode> {
    if let Some(profile) = given {
        return Ok(profile.into());
    }
    Ok(project_config()?
        .and_then(|config| config.output_profile)
        .unwrap_or_default())
}

/// What `build` writes and checks against: the command line's profile and schema, else
/// `teikit.toml`'s (the schema `validate` uses, so that build and validate agree).
fn build_settings(
    profile: Option<OutputProfileArg>,
    schema: Option<PathBuf>,
) -> Result<(OutputProfile, Option<PathBuf>), ExitCode> {
    let config = project_config()?;
    let profile = match profile {
        Some(profile) => profile.into(),
        None => config
            .as_ref()
            .and_then(|c| c.output_profile)
            .unwrap_or_default(),
    };
    let schema = schema.or_else(|| config.and_then(|c| c.schema));
    Ok((profile, schema))
}

/// The formats of `teikit validate`'s report, as the command line names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ReportFormat {
    /// Compiler-style messages with the source line, on standard error.
    Human,
    /// One JSON document, on standard output.
    Json,
    /// GitHub Actions workflow commands, on standard output.
    Github,
    /// SARIF 2.1.0, on standard output.
    Sarif,
}

impl From<ReportFormat> for teikit::report::Format {
    fn from(format: ReportFormat) -> Self {
        match format {
            ReportFormat::Human => teikit::report::Format::Human,
            ReportFormat::Json => teikit::report::Format::Json,
            ReportFormat::Github => teikit::report::Format::Github,
            ReportFormat::Sarif => teikit::report::Format::Sarif,
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
    /// A review page: the new revision as a reading text with the changes marked in place (two
    /// files only).
    Html,
}

/// Runs the command line and returns the exit status.
pub fn run() -> ExitCode {
    let status = run_command();
    if stdout::failed() {
        return Status::Trouble.into();
    }
    status
}

fn run_command() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Status::Trouble.into()
            } else {
                Status::Success.into()
            };
        }
    };
    match cli.command {
        Command::Convert {
            source,
            output,
            report_unknown,
            strict,
            volume,
            profile,
        } => match output_profile(profile) {
            Ok(profile) => run_convert(source, output, report_unknown, strict, volume, profile),
            Err(status) => status,
        },
        Command::Build {
            sources,
            out,
            check,
            report_unknown,
            strict,
            html,
            stylesheet,
            profile,
            schema,
        } => match build_settings(profile, schema) {
            Ok((profile, schema)) => run_build(
                BuildOptions {
                    sources,
                    out,
                    check,
                    strict,
                    profile,
                    schema,
                },
                report_unknown,
                html.then_some(stylesheet),
            ),
            Err(status) => status,
        },
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
            match (old.is_dir(), new.is_dir()) {
                (true, true) if record => {
                    eprintln!(
                        "error: --record writes into one file; it cannot be used with directories"
                    );
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
            }
        }
        Command::Registers {
            action: RegistersAction::Import { file, output },
        } => registers::run_import(&file, output),
        Command::Schema {
            action: SchemaAction::Fetch { urls },
        } => {
            let Some(cache) = teikit::relaxng::cache::directory() else {
                eprintln!("error: no schema cache (TEIKIT_CACHE_DIR=off or no home directory)");
                return Status::Trouble.into();
            };
            let mut status = Status::Success;
            for url in urls {
                let canonical = teikit::schemas::canonical_url(&url);
                let path = teikit::schemas::remote::cached_path(&cache, &canonical);
                match teikit::schemas::remote::download(&canonical, &path) {
                    Ok(()) => eprintln!("fetched {url} into {}", path.display()),
                    Err(e) => {
                        eprintln!("{url}: error: {e}");
                        status = Status::Trouble;
                    }
                }
            }
            status.into()
        }
        Command::Init {
            dir,
            volume,
            teikit_git,
            tei,
        } => {
            let options = teikit::scaffold::InitOptions {
                directory: dir,
                volume,
                teikit_git,
                kind: match tei {
                    true => teikit::scaffold::ProjectKind::Tei,
                    false => teikit::scaffold::ProjectKind::Edition,
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
                        teikit::scaffold::ProjectKind::Edition => "teikit build && teikit validate",
                        teikit::scaffold::ProjectKind::Tei => "teikit validate",
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
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "teikit", &mut script);
            stdout::out!("{}", String::from_utf8_lossy(&script));
            Status::Success.into()
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            let mut page = Vec::new();
            if let Err(e) = clap_mangen::Man::new(command).render(&mut page) {
                eprintln!("error: cannot render the manual page: {e}");
                return Status::Trouble.into();
            }
            stdout::out!("{}", String::from_utf8_lossy(&page));
            Status::Success.into()
        }
        Command::Lsp => match teikit::lsp::run_stdio() {
            Ok(teikit::lsp::Ending::AfterShutdown) => Status::Success.into(),
            // LSP: exit without shutdown (or the editor gone) ends with status 1.
            Ok(teikit::lsp::Ending::WithoutShutdown) => Status::Problems.into(),
            Err(e) => {
                eprintln!("error: {e}");
                Status::Trouble.into()
            }
        },
        Command::Rules => {
            for rule in RULES {
                stdout::outln!(
                    "{:<20} {:<12} {:<8} {}",
                    rule.code,
                    // Padding applies to strings; these types' Display ignores the width.
                    rule.profile.to_string(),
                    rule.severity.to_string(),
                    rule.summary
                );
            }
            Status::Success.into()
        }
        Command::Validate {
            schema,
            profile,
            no_rules,
            no_cache,
            disable,
            no_xinclude,
            config,
            no_config,
            format,
            catalog,
            offline,
            limits,
            paths,
        } => run_validate(validate::Settings {
            catalogs: catalog,
            offline,
            no_xinclude,
            schema,
            profile: profile.map(Into::into),
            no_rules,
            cache: if no_cache {
                None
            } else {
                teikit::relaxng::cache::directory()
            },
            disable,
            config: match (config, no_config) {
                (_, true) => validate::ConfigChoice::None,
                (Some(file), false) => validate::ConfigChoice::File(file),
                (None, false) => validate::ConfigChoice::Find,
            },
            format: format.into(),
            limits: limits.given(),
            paths,
        }),
    }
}

#[derive(Debug, Subcommand)]
enum SchemaAction {
    /// Download schemas into the user's cache (again, if they are there), so that validation
    /// finds them offline: e.g. in CI before `teikit validate --offline`.
    Fetch {
        /// The schemas' URLs, as documents declare them.
        #[arg(required = true)]
        urls: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
enum RegistersAction {
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

fn print_all(diagnostics: &[Diagnostic]) {
    teikit::report::human::print_diagnostics(diagnostics);
}

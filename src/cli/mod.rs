//! The `teikit` command line: parses arguments, calls the library, prints what it returns.
//!
//! Exit status, for every command: 0 success; 1 the input has problems (a source that does not
//! convert, a document that breaks a rule, a stale output); 2 teikit could not run (unreadable
//! files, bad arguments).
//!
//! This module holds the command list and the dispatch, one line a command; each command's
//! arguments (one `clap::Args` struct) and its running and printing live in a file of their
//! own: `convert`, `build`, `diff`, `init`, `registers`, `schema`, `validate`.

mod build;
mod convert;
mod diff;
mod init;
mod progress;
mod registers;
mod schema;
mod stdout;
mod validate;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use teikit::base::diagnostic::Diagnostic;
use teikit::base::output::OutputProfile;
use teikit::rules::{Profile, RULES};
use teikit::xml::ReadLimits;

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
    Convert(convert::ConvertArgs),
    /// Convert every source under SOURCES into OUT, checking each result.
    Build(build::BuildArgs),
    /// List the validation rules: id, profile, severity, what each requires; or explain one
    /// (`teikit rules page-order`): what it requires, why, an example.
    Rules {
        /// The rule to explain.
        rule: Option<String>,
    },
    /// Work with the schemas documents declare (`xml-model`).
    Schema(schema::SchemaArgs),
    /// Work with the registers of persons, places, organisations and terms.
    Registers(registers::RegistersArgs),
    /// Compare two revisions of an XML (TEI) document as documents, not as lines; or two
    /// directories of them, every *.xml by its relative path, on every core.
    ///
    /// Exit status: 0 the same document(s), 1 different, 2 trouble (unreadable or not
    /// well-formed input).
    Diff(diff::DiffArgs),
    /// Start an edition in DIR (or, with --tei, a TEI project): teikit.toml, a sample, a CI workflow
    /// and a pre-commit configuration. Nothing that exists is overwritten.
    Init(init::InitArgs),
    /// Print a completion script for a shell (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
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
    Validate(validate::ValidateArgs),
}

/// `teikit completions`: the arguments.
#[derive(Debug, clap::Args)]
pub(super) struct CompletionsArgs {
    /// The shell.
    shell: clap_complete::Shell,
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

impl From<ProfileArg> for teikit::rules::ProfileChoice {
    fn from(profile: ProfileArg) -> Self {
        use teikit::rules::ProfileChoice;
        match profile {
            ProfileArg::Auto => ProfileChoice::Auto,
            ProfileArg::Generic => ProfileChoice::Fixed(Profile::Generic),
            ProfileArg::Documentary => ProfileChoice::Fixed(Profile::Documentary),
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

/// Runs the command line and returns the exit status.
pub fn run() -> ExitCode {
    let status = run_command();
    report_peak_memory();
    if stdout::failed() {
        return Status::Trouble.into();
    }
    status
}

/// With `TEIKIT_PEAK_MEMORY` set, the process's own peak resident memory on standard error
/// (`peak memory: 7104 KiB`; Linux, from `/proc/self/status`): what the tests and benchmarks
/// measure a run's memory with, where no `time -v` can be counted on.
fn report_peak_memory() {
    if std::env::var_os("TEIKIT_PEAK_MEMORY").is_none() {
        return;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    match status.lines().find_map(|l| l.strip_prefix("VmHWM:")) {
        Some(peak) => eprintln!("peak memory: {}", peak.trim().replace("kB", "KiB")),
        None => eprintln!("peak memory: unknown (no /proc/self/status)"),
    }
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
        Command::Convert(args) => convert::run(args),
        Command::Build(args) => build::run(args),
        Command::Rules { rule: None } => rules(),
        Command::Rules { rule: Some(code) } => explain_rule(&code),
        Command::Schema(args) => schema::run(args),
        Command::Registers(args) => registers::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Init(args) => init::run(args),
        Command::Completions(args) => completions(args),
        Command::Man => manual_page(),
        Command::Lsp => language_server(),
        Command::Validate(args) => validate::run(args),
    }
}

/// `teikit rules`: the registry, one rule a line in aligned columns.
fn rules() -> ExitCode {
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

/// `teikit rules CODE`: the rule's own page.
fn explain_rule(code: &str) -> ExitCode {
    match RULES.iter().find(|r| r.code == code) {
        Some(rule) => {
            stdout::out!("{}", rule.explanation);
            Status::Success.into()
        }
        None => {
            let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
            eprintln!(
                "error: no rule `{code}`; the rules are {}",
                codes.join(", ")
            );
            Status::Trouble.into()
        }
    }
}

/// `teikit completions SHELL`.
fn completions(args: CompletionsArgs) -> ExitCode {
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "teikit", &mut script);
    stdout::out!("{}", String::from_utf8_lossy(&script));
    Status::Success.into()
}

/// `teikit man`.
fn manual_page() -> ExitCode {
    let command = <Cli as clap::CommandFactory>::command();
    let mut page = Vec::new();
    if let Err(e) = clap_mangen::Man::new(command).render(&mut page) {
        eprintln!("error: cannot render the manual page: {e}");
        return Status::Trouble.into();
    }
    stdout::out!("{}", String::from_utf8_lossy(&page));
    Status::Success.into()
}

/// `teikit lsp`.
fn language_server() -> ExitCode {
    match teikit::lsp::run_stdio() {
        Ok(teikit::lsp::Ending::AfterShutdown) => Status::Success.into(),
        // LSP: exit without shutdown (or the editor gone) ends with status 1.
        Ok(teikit::lsp::Ending::WithoutShutdown) => Status::Problems.into(),
        Err(e) => {
            eprintln!("error: {e}");
            Status::Trouble.into()
        }
    }
}

fn print_all(diagnostics: &[Diagnostic]) {
    teikit::report::human::print_diagnostics(diagnostics);
}

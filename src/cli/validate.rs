//! `teikit validate`: schema and rules over many files, with a report in one of four formats.

use super::print_all;
use super::stdout::{out, outln};
use super::{LimitArgs, ProfileArg, Status};
use std::path::PathBuf;
use std::process::ExitCode;
use teikit::config::SchemaSource;
use teikit::relaxng::Schema;
use teikit::report::{FileResult, Format};
use teikit::rules::{Profile, RuleId, RuleSet};
use teikit::schemas::{Catalogs, Resolver};
use teikit::validation;
use teikit::xml::ReadLimits;

/// Where the configuration comes from.
enum ConfigChoice {
    /// teikit.toml in the working directory or above it, if there is one.
    Find,
    /// This file.
    File(PathBuf),
    /// None.
    None,
}

/// What `teikit validate` was asked for on the command line.
struct Settings {
    pub schema: Option<PathBuf>,
    pub profile: Option<teikit::rules::ProfileChoice>,
    pub no_rules: bool,
    pub no_xinclude: bool,
    pub cache: Option<PathBuf>,
    pub disable: Vec<String>,
    pub config: ConfigChoice,
    pub format: Format,
    pub limits: teikit::config::Limits,
    pub paths: Vec<PathBuf>,
    /// Catalogs named on the command line.
    pub catalogs: Vec<PathBuf>,
    /// No downloads.
    pub offline: bool,
    /// Schematron schemas named on the command line.
    pub schematron: Vec<PathBuf>,
    /// The Schematron phase, over teikit.toml's.
    pub phase: Option<String>,
}

fn run_validate(settings: Settings) -> ExitCode {
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
    let paths = settings.paths;
    if paths.is_empty() && config.files.is_empty() {
        eprintln!(
            "error: nothing to validate: name files or directories, or list them as `files` in {}",
            config_file
                .as_deref()
                .map_or("teikit.toml".into(), |f| f.display().to_string())
        );
        return Status::Trouble.into();
    }
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
    // The schema of each file: --schema for all; else teikit.toml's (its overrides first);
    // else the document's own declaration; else the bundled subset.
    let mut plan = match &settings.schema {
        Some(path) => SchemaPlan::one(Some(path.clone()), files.len()),
        None => {
            let mut catalogs = config.catalogs.clone();
            catalogs.extend(settings.catalogs.iter().cloned());
            let loaded =
                Catalogs::load(&catalogs).and_then(|c| Ok(c.then(Catalogs::from_environment()?)));
            let resolver = match loaded {
                Ok(catalogs) => Resolver {
                    catalogs,
                    cache: teikit::relaxng::cache::directory(),
                    offline: settings.offline,
                },
                Err(e) => {
                    eprintln!("{e}");
                    return Status::Trouble.into();
                }
            };
            plan_schemas(&files, &config, &resolver)
        }
    };
    // The bundled schema is the documentary subset: its documents get the documentary rules;
    // any other schema, each document's own profile.
    let default_profile = if plan.sources.iter().all(Option::is_none) {
        Some(Profile::Documentary)
    } else {
        None
    };
    let mut rules = RuleSet::for_profile(default_profile);
    config.apply_rules(&mut rules);
    if let Some(choice) = settings.profile {
        rules.set_profile(choice.profile());
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
    let format = settings.format;
    // One compiled schema per distinct schema of the run; `compiled_as[k]`: where source `k`
    // is among them, if it compiled.
    let mut trouble = !plan.failures.is_empty();
    for failure in &plan.failures {
        eprintln!("{failure}");
    }
    let mut schemas = Vec::new();
    let mut compiled_as = Vec::new();
    for source in &plan.sources {
        let compiled = match source {
            Some(path) => Schema::from_file_cached(path, settings.cache.as_deref()),
            None => Schema::bundled(),
        };
        match compiled {
            Ok(compiled) => {
                compiled_as.push(Some(schemas.len()));
                schemas.push(compiled);
            }
            Err(e) => {
                eprintln!("{e}");
                trouble = true;
                compiled_as.push(None);
            }
        }
    }
    // Each file's source, where it compiled.
    let source_of: Vec<Option<usize>> = plan
        .schema_of
        .iter()
        .map(|k| k.filter(|&k| compiled_as[k].is_some()))
        .collect();
    // Schematron: teikit.toml's and the command line's for every file, and what each
    // schema embeds; each compiled once here so that a schema teikit cannot run is reported
    // before any file is checked (the workers compile their own copies).
    let phase = settings.phase.clone().or(config.schematron_phase.clone());
    let schematron: Vec<teikit::schematron::Spec> = config
        .schematron
        .iter()
        .chain(&settings.schematron)
        .map(|path| teikit::schematron::Spec::File {
            path: path.clone(),
            phase: phase.clone(),
        })
        .collect();
    if rules.enabled(RuleId::Schematron) {
        let embedded = schemas
            .iter()
            .filter_map(|s| teikit::schematron::Spec::embedded_in(s.path()));
        let declared: std::collections::BTreeSet<&teikit::schematron::Spec> =
            plan.schematron_of.iter().flatten().collect();
        let all: std::collections::BTreeSet<teikit::schematron::Spec> = schematron
            .iter()
            .cloned()
            .chain(embedded)
            .chain(declared.into_iter().cloned())
            .collect();
        for spec in all {
            if let Err(e) = spec.compile() {
                eprintln!("{e}; no document is checked against this Schematron");
                trouble = true;
            }
        }
    }
    let options = validation::Options {
        rules,
        limits,
        xinclude: !settings.no_xinclude && config.xinclude.unwrap_or(true),
        schematron,
        declared_schematron: std::mem::take(&mut plan.schematron_of),
        ..Default::default()
    };
    let progress = super::progress::Progress::new("validating");
    // With the schema rule off, no document was validated against one.
    let schema_checked = options.rules.enabled(RuleId::Schema);
    let schema_names: Vec<Option<String>> = source_of
        .iter()
        .map(|k| k.filter(|_| schema_checked).map(|k| plan.names[k].clone()))
        .collect();
    let compiled: Vec<&Schema> = schemas.iter().collect();
    let schema_of: Vec<Option<usize>> = source_of
        .iter()
        .map(|k| k.and_then(|k| compiled_as[k]))
        .collect();
    let read = std::mem::take(&mut plan.read);
    let outcomes =
        validation::check_files_each(&compiled, &schema_of, &files, &read, &options, &|done| {
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
        .zip(&schema_names)
        .map(|(((path, outcome), why), schema)| FileResult {
            path,
            problems: match outcome {
                validation::Outcome::Checked(problems) => problems,
                validation::Outcome::Unreadable(_) => &[],
            },
            unreadable: why.as_deref(),
            schema: schema.as_deref(),
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
    let status = if trouble || unreadable.iter().any(Option::is_some) {
        Status::Trouble.into()
    } else if invalid > 0 {
        Status::Problems.into()
    } else {
        Status::Success.into()
    };
    // Files whose schema could not be had were checked by the rules alone: not "valid".
    let without_schema = outcomes
        .iter()
        .zip(&schema_of)
        .filter(|(o, s)| s.is_none() && o.is_valid())
        .count();
    let mut not_read = String::new();
    if unreadable_count > 0 {
        not_read.push_str(&format!(", {unreadable_count} not read"));
    }
    if without_schema > 0 {
        not_read.push_str(&format!(", {without_schema} without their schema"));
    }
    let unreadable_count = unreadable_count + without_schema;
    eprintln!(
        "validated {} file(s): {} valid, {invalid} invalid{not_read}",
        files.len(),
        files.len() - invalid - unreadable_count
    );
    // Which schema each document was validated against, where it is not one for all.
    if plan.worth_naming() {
        let against: Vec<String> = plan
            .names
            .iter()
            .enumerate()
            .map(|(k, name)| {
                let count = plan.schema_of.iter().filter(|c| **c == Some(k)).count();
                format!("{name}: {count} file(s)")
            })
            .collect();
        eprintln!("schemas: {}", against.join("; "));
    }
    status
}

/// Which schema each file of a run is validated against.
struct SchemaPlan {
    /// The distinct schemas: a file, or `None` for the bundled subset.
    sources: Vec<Option<PathBuf>>,
    /// What each source is, for the report ("declared `…`", "the bundled documentary subset").
    names: Vec<String>,
    /// For each file, its schema's index in `sources`; `None`: none could be had.
    schema_of: Vec<Option<usize>>,
    /// One message per schema that could not be had, and per file that must declare one and
    /// does not.
    failures: Vec<String>,
    /// Whether some document is validated against the schema it declares (`xml-model`).
    declared_used: bool,
    /// The files read whole while their declarations were looked for (the small ones), by
    /// file; empty where none were.
    read: Vec<Option<Vec<u8>>>,
    /// The Schematron each file declares (`xml-model` with Schematron's `schematypens`), by
    /// file; empty where none, or where no declaration was read.
    schematron_of: Vec<Vec<teikit::schematron::Spec>>,
}

impl SchemaPlan {
    /// Every file against one schema (`None`: the bundled one).
    fn one(schema: Option<PathBuf>, files: usize) -> SchemaPlan {
        let name = match &schema {
            Some(path) => path.display().to_string(),
            None => "the bundled documentary subset".to_string(),
        };
        SchemaPlan {
            sources: vec![schema],
            names: vec![name],
            schema_of: vec![Some(0); files],
            failures: Vec::new(),
            declared_used: false,
            read: Vec::new(),
            schematron_of: Vec::new(),
        }
    }

    /// Whether the report should say which schema judged which documents: more than one did,
    /// or a document's own.
    fn worth_naming(&self) -> bool {
        self.declared_used || self.sources.len() > 1
    }
}

/// The schema of each file: the one `teikit.toml` sets for it (an override's, else `schema`),
/// else the one it declares (`xml-model`, located once per distinct declaration), else the
/// bundled subset — unless `teikit.toml` says `schema = "declared"`.
fn plan_schemas(
    files: &[PathBuf],
    config: &teikit::config::Config,
    resolver: &Resolver,
) -> SchemaPlan {
    use std::collections::HashMap;
    let mut plan = SchemaPlan {
        sources: Vec::new(),
        names: Vec::new(),
        schema_of: Vec::new(),
        failures: Vec::new(),
        declared_used: false,
        read: Vec::new(),
        schematron_of: Vec::new(),
    };
    let mut by_source: HashMap<Option<PathBuf>, usize> = HashMap::new();
    // Per distinct (href, folder): where it was found, or why not, and who asked.
    let mut located: HashMap<(String, PathBuf), Result<PathBuf, String>> = HashMap::new();
    let mut failed_by: HashMap<String, Vec<&PathBuf>> = HashMap::new();
    // The prologs, read on every core (a few kilobytes a file).
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let declarations = teikit::parallel::ordered_map(
        files,
        jobs,
        None,
        || (),
        |(), file| {
            let head = teikit::schemas::read_head(file).ok()?;
            let prolog = String::from_utf8_lossy(head.bytes());
            let declared = teikit::schemas::declared_relax_ng(&prolog);
            let constraints: Vec<String> = teikit::schemas::declared_schemas(&prolog)
                .into_iter()
                .filter(|d| d.language == teikit::schemas::SchemaLanguage::Schematron)
                .map(|d| d.href)
                .collect();
            // A file read whole (a small one) is not read again to be validated.
            let whole = match head {
                teikit::schemas::Head::Whole(bytes) => Some(bytes),
                teikit::schemas::Head::Part(_) => None,
            };
            Some((declared, whole, constraints))
        },
        &|_| {},
    );
    for (file, found) in files.iter().zip(declarations) {
        let (declared, whole, constraints) = found.flatten().unwrap_or((None, None, Vec::new()));
        plan.read.push(whole);
        // The Schematron it declares, located as a declared schema is; one that is the RELAX NG
        // schema's own embedded patterns runs with that schema anyway.
        let mut own = Vec::new();
        for href in constraints {
            let folder = file.parent().map(PathBuf::from).unwrap_or_default();
            let found = located
                .entry((href.clone(), folder))
                .or_insert_with(|| {
                    let path = resolver.locate(&href, file).map_err(|e| e.to_string())?;
                    Ok(path.canonicalize().unwrap_or(path))
                })
                .clone();
            match found {
                Ok(path) => own.extend(
                    teikit::schematron::Spec::embedded_in(&path)
                        .or(Some(teikit::schematron::Spec::File { path, phase: None })),
                ),
                Err(why) => failed_by
                    .entry(format!("its Schematron: {why}"))
                    .or_default()
                    .push(file),
            }
        }
        plan.schematron_of.push(own);
        let choice = config.schema_source(file, declared);
        let source = match &choice {
            SchemaSource::Configured(path) => Some(path.to_path_buf()),
            SchemaSource::Undeclared => {
                plan.failures.push(format!(
                    "{}: error: declares no schema, and teikit.toml says schema = \"declared\"; expected <?xml-model href=\"…\" schematypens=\"http://relaxng.org/ns/structure/1.0\"?> before the root element",
                    file.display()
                ));
                plan.schema_of.push(None);
                continue;
            }
            SchemaSource::Bundled => None,
            SchemaSource::Declared(href) => {
                let folder = file.parent().map(PathBuf::from).unwrap_or_default();
                let found = located
                    .entry((href.clone(), folder))
                    .or_insert_with(|| {
                        let path = resolver.locate(href, file).map_err(|e| e.to_string())?;
                        Ok(path.canonicalize().unwrap_or(path))
                    })
                    .clone();
                match found {
                    Ok(path) => Some(path),
                    Err(why) => {
                        failed_by.entry(why).or_default().push(file);
                        plan.schema_of.push(None);
                        continue;
                    }
                }
            }
        };
        let next = plan.sources.len();
        let k = *by_source.entry(source.clone()).or_insert(next);
        if k == next {
            plan.names.push(match (&source, &choice) {
                (Some(path), SchemaSource::Declared(href)) => {
                    plan.declared_used = true;
                    format!("`{href}` (declared; {})", path.display())
                }
                (Some(path), _) => path.display().to_string(),
                (None, _) => "the bundled documentary subset".to_string(),
            });
            plan.sources.push(source);
        }
        plan.schema_of.push(Some(k));
    }
    let mut failures: Vec<(String, Vec<&PathBuf>)> = failed_by.into_iter().collect();
    failures.sort();
    for (why, asked) in failures {
        let others = match asked.len() - 1 {
            0 => String::new(),
            n => format!(" (declared by {n} other file(s) too)"),
        };
        plan.failures.push(format!(
            "{}: error: {why}{others}; not validated against any schema",
            asked[0].display()
        ));
    }
    plan
}

/// `teikit validate`: the arguments.
#[derive(Debug, clap::Args)]
pub(super) struct ValidateArgs {
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
    /// An ISO Schematron schema to check every file against (repeatable), beside the
    /// patterns the RELAX NG schema embeds and teikit.toml's `schematron`.
    #[arg(long, value_name = "FILE.sch")]
    schematron: Vec<PathBuf>,
    /// The Schematron phase to run (default: teikit.toml's `schematron-phase`, else each
    /// schema's defaultPhase, else every pattern).
    #[arg(long, value_name = "PHASE")]
    phase: Option<String>,
    #[command(flatten)]
    limits: LimitArgs,
    /// Files or directories (searched for *.xml); by default the files teikit.toml lists.
    paths: Vec<PathBuf>,
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

/// `teikit validate`.
pub(super) fn run(args: ValidateArgs) -> ExitCode {
    run_validate(Settings {
        catalogs: args.catalog,
        offline: args.offline,
        no_xinclude: args.no_xinclude,
        schema: args.schema,
        profile: args.profile.map(Into::into),
        no_rules: args.no_rules,
        cache: if args.no_cache {
            None
        } else {
            teikit::relaxng::cache::directory()
        },
        disable: args.disable,
        config: match (args.config, args.no_config) {
            (_, true) => ConfigChoice::None,
            (Some(file), false) => ConfigChoice::File(file),
            (None, false) => ConfigChoice::Find,
        },
        format: args.format.into(),
        limits: args.limits.given(),
        paths: args.paths,
        schematron: args.schematron,
        phase: args.phase,
    })
}

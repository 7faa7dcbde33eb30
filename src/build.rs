//! Converting every source of a tree, and keeping the committed TEI in step with it.
//!
//! Sources live at `SOURCES/VOLUME/dN.txt` beside `SOURCES/VOLUME/volume.toml`; each becomes
//! `OUT/VOLUME/dN.xml`. A build converts them all, checks each result with the semantic rules
//! and the bundled schema (`schema/teikit-documentary.rng`), and writes it atomically — what
//! the checks find decides the exit status, and the TEI is written all the same; with `check` it writes nothing and reports every output that is
//! missing or differs from a fresh conversion, so CI catches stale TEI.

use crate::base::diagnostic::{Diagnostic, Severity};
use crate::base::output::OutputProfile;
use crate::convert::editorial::{VolumeData, VOLUME_FILE};
use crate::convert::frus::{assemble_volume, VolumeEntry};
use crate::convert::{convert_file_with, Conversion, ConvertError};
use crate::output::{write_atomically, OutputError};
use crate::rules::{Level, RuleId, RuleSet};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The sources directory.
    pub sources: PathBuf,
    /// Where the TEI goes.
    pub out: PathBuf,
    /// Compare instead of writing.
    pub check: bool,
    /// Treat the converter's warnings as errors: a source with any is not written.
    pub strict: bool,
    /// How the documents are written: one rich TEI file per document (the default), or one
    /// FRUS volume file per volume, `OUT/VOLUME.xml`.
    pub profile: OutputProfile,
    /// A schema every output is also checked against (default: the bundled one for rich TEI,
    /// none for FRUS volumes, whose schema `frus.rnc` teikit does not carry).
    pub schema: Option<PathBuf>,
}

/// What happened to one source.
#[derive(Debug)]
pub enum Outcome {
    /// Written (or, when checking, up to date).
    Current {
        /// The output file.
        output: PathBuf,
        /// Whether it was written now (false: it was already identical).
        written: bool,
    },
    /// When checking: the committed output is missing or differs.
    Stale {
        /// The output file.
        output: PathBuf,
        /// Missing rather than different.
        missing: bool,
    },
    /// The conversion failed.
    Failed(ConvertError),
    /// The conversion gave TEI that breaks the rules or the schema. It is written all the same
    /// (a build never drops a faithful conversion because of what the source lacks); the
    /// problems decide the exit status.
    Invalid {
        /// What the rules and the schema found.
        problems: Vec<Diagnostic>,
        /// Whether the conversion warned about the source: the problems then usually come from
        /// what the warnings describe (pages out of order), not from the converter.
        after_warnings: bool,
        /// What became of the output: written (or, when checking, up to date or stale).
        then: Box<Outcome>,
    },
    /// The output could not be written.
    Unwritable(OutputError),
}

/// The result of a build.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Each source with its outcome, in order.
    pub outcomes: Vec<(PathBuf, Outcome)>,
    /// Warnings: register entries no document mentions, gaps in page sequences …
    pub warnings: Vec<Diagnostic>,
    /// Names no register covers, by source.
    pub unknown_names: Vec<Diagnostic>,
}

impl BuildReport {
    /// Whether every source converted and (when checking) every output is current.
    pub fn success(&self) -> bool {
        self.outcomes
            .iter()
            .all(|(_, o)| matches!(o, Outcome::Current { .. }))
    }
}

/// Why a build could not run at all.
///
/// Each reads `path[:line:column]: error: message`, ready to print as it is.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The sources directory could not be listed.
    #[error("{path}: error: cannot list sources: {source}")]
    Unlistable {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// There was nothing to build.
    #[error(
        "{path}: error: no sources found; expected VOLUME/dN.txt files beside a VOLUME/{VOLUME_FILE}"
    )]
    Empty {
        /// The directory.
        path: PathBuf,
    },
    /// A volume's data is broken.
    #[error(transparent)]
    Volume(#[from] crate::convert::editorial::EditorialError),
    /// The schema does not compile (for the bundled one, a teikit bug).
    #[error("{}", located(.0))]
    Schema(crate::relaxng::SchemaError),
}

/// A schema error as `path[:line:column]: error: message`, as every build error reads.
fn located(error: &crate::relaxng::SchemaError) -> String {
    match error {
        crate::relaxng::SchemaError::Io { path, source } => {
            format!("{}: error: cannot read schema: {source}", path.display())
        }
        syntax => syntax.to_string(),
    }
}

/// A volume directory and its sources.
#[derive(Debug, Clone)]
pub struct VolumeSources {
    /// The directory.
    pub dir: PathBuf,
    /// The plain-text sources, sorted.
    pub sources: Vec<PathBuf>,
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, BuildError> {
    let listing = std::fs::read_dir(dir).map_err(|source| BuildError::Unlistable {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut paths = Vec::new();
    for entry in listing {
        let entry = entry.map_err(|source| BuildError::Unlistable {
            path: dir.to_path_buf(),
            source,
        })?;
        paths.push(entry.path());
    }
    paths.sort();
    Ok(paths)
}

/// Finds the volumes under `sources`: directories with a `volume.toml`, and their `.txt` files.
pub fn discover(sources: &Path) -> Result<Vec<VolumeSources>, BuildError> {
    let mut volumes = Vec::new();
    for dir in sorted_entries(sources)? {
        if !dir.is_dir() || !dir.join(VOLUME_FILE).is_file() {
            continue;
        }
        let texts: Vec<PathBuf> = sorted_entries(&dir)?
            .into_iter()
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "txt"))
            .collect();
        if !texts.is_empty() {
            volumes.push(VolumeSources {
                dir,
                sources: texts,
            });
        }
    }
    if volumes.is_empty() {
        return Err(BuildError::Empty {
            path: sources.to_path_buf(),
        });
    }
    Ok(volumes)
}

/// The volumes under `sources` with their data.
fn load_volumes(sources: &Path) -> Result<Vec<(VolumeSources, VolumeData)>, BuildError> {
    discover(sources)?
        .into_iter()
        .map(|v| {
            let data = VolumeData::load(&v.dir.join(VOLUME_FILE))?;
            Ok((v, data))
        })
        .collect()
}

/// Converts (or checks) every source under `options.sources`.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_with_progress(options, &|_, _| {})
}

/// [`build`], calling `progress` (from any thread) with the sources done so far and their
/// number.
pub fn build_with_progress(
    options: &BuildOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<BuildReport, BuildError> {
    let mut report = BuildReport::default();
    if options.profile == OutputProfile::Frus {
        let schema = options
            .schema
            .as_deref()
            .map(crate::relaxng::Schema::from_file)
            .transpose()
            .map_err(BuildError::Schema)?;
        return build_volumes(options, schema.as_ref(), progress);
    }
    let schema = match &options.schema {
        Some(file) => crate::relaxng::Schema::from_file(file),
        None => crate::relaxng::Schema::bundled(),
    }
    .map_err(BuildError::Schema)?;
    let volumes = load_volumes(&options.sources)?;
    // Every source of every volume, converted on every core; the results are read back in
    // order, so the report is the same whatever the order of the work.
    let jobs: Vec<(usize, &PathBuf, PathBuf)> = volumes
        .iter()
        .enumerate()
        .flat_map(|(v, (sources, _))| {
            let volume_name = sources
                .dir
                .file_name()
                .map(PathBuf::from)
                .unwrap_or_default();
            sources.sources.iter().map(move |source| {
                let file = source
                    .file_stem()
                    .map(|s| PathBuf::from(s).with_extension("xml"))
                    .unwrap_or_default();
                (v, source, options.out.join(&volume_name).join(file))
            })
        })
        .collect();
    let built = crate::parallel::ordered_map(
        &jobs,
        0,
        None,
        || schema.validator(),
        |validator, (v, source, output)| {
            build_one(source, &volumes[*v].1, output, options, validator)
        },
        &|done| progress(done, jobs.len()),
    );
    let mut results = jobs.iter().zip(built).peekable();
    for (v, (volume_sources, volume)) in volumes.iter().enumerate() {
        let mut mentioned: BTreeSet<String> = BTreeSet::new();
        while let Some(((_, source, _), result)) = results.next_if(|((w, _, _), _)| *w == v) {
            let built = result.unwrap_or_else(|| {
                Built::failed(source, "not converted: a worker thread could not start")
            });
            mentioned.extend(built.mentioned);
            report.warnings.extend(built.warnings);
            report.unknown_names.extend(built.unknown_names);
            report.outcomes.push(((*source).clone(), built.outcome));
        }
        // An entry that no document of the volume mentions is probably misspelt in the text or
        // the register.
        for (_, id) in volume.entries() {
            if !mentioned.contains(id.get_ref()) {
                report.warnings.push(Diagnostic::warning(
                    volume.location_of(id),
                    format!(
                        "register entry `{}` occurs in no document of {}",
                        id.get_ref(),
                        volume_sources.dir.display()
                    ),
                ));
            }
        }
    }
    Ok(report)
}

/// Checks the converted `xml` against what is on disk, and writes it unless `check`.
fn outcome_of(
    xml: &str,
    errors: Vec<Diagnostic>,
    after_warnings: bool,
    inputs: &[&Path],
    output: &Path,
    check: bool,
) -> Outcome {
    if !errors.is_empty() {
        return Outcome::Invalid {
            problems: errors,
            after_warnings,
            then: Box::new(outcome_of(
                xml,
                Vec::new(),
                after_warnings,
                inputs,
                output,
                check,
            )),
        };
    }
    let existing = std::fs::read(output).ok();
    let same = existing.as_deref() == Some(xml.as_bytes());
    if check {
        return if same {
            Outcome::Current {
                output: output.to_path_buf(),
                written: false,
            }
        } else {
            Outcome::Stale {
                output: output.to_path_buf(),
                missing: existing.is_none(),
            }
        };
    }
    if same {
        return Outcome::Current {
            output: output.to_path_buf(),
            written: false,
        };
    }
    match write_atomically(output, xml.as_bytes(), inputs) {
        Ok(()) => Outcome::Current {
            output: output.to_path_buf(),
            written: true,
        },
        Err(e) => Outcome::Unwritable(e),
    }
}

/// What building one source gave: its outcome and what the report collects from it.
struct Built {
    outcome: Outcome,
    warnings: Vec<Diagnostic>,
    unknown_names: Vec<Diagnostic>,
    mentioned: Vec<String>,
}

impl Built {
    fn of(outcome: Outcome) -> Self {
        Built {
            outcome,
            warnings: Vec::new(),
            unknown_names: Vec::new(),
            mentioned: Vec::new(),
        }
    }

    fn failed(source: &Path, why: &str) -> Self {
        Built::of(Outcome::Failed(ConvertError::Io {
            path: source.to_path_buf(),
            source: std::io::Error::other(why.to_string()),
        }))
    }
}

fn build_one(
    source_path: &Path,
    volume: &VolumeData,
    output: &Path,
    options: &BuildOptions,
    validator: &mut crate::relaxng::Validator,
) -> Built {
    let conversion = convert_source(source_path, volume);
    let conversion = match conversion {
        Ok(c) => c,
        Err(e) => return Built::of(Outcome::Failed(e)),
    };
    if options.strict && !conversion.warnings.is_empty() {
        return Built::of(Outcome::Failed(strict_failure(conversion.warnings)));
    }
    let after_warnings = !conversion.warnings.is_empty();
    let (errors, warnings) =
        check_output(output, &conversion.xml, &RuleSet::all(), Some(validator));
    let outcome = outcome_of(
        &conversion.xml,
        errors,
        after_warnings,
        &[source_path],
        output,
        options.check,
    );
    let mut all_warnings = conversion.warnings;
    all_warnings.extend(warnings);
    Built {
        outcome,
        warnings: all_warnings,
        unknown_names: conversion.unknown_names,
        mentioned: conversion.mentioned,
    }
}

/// `--strict`: a conversion's warnings as the errors that stop it.
fn strict_failure(warnings: Vec<Diagnostic>) -> ConvertError {
    ConvertError::Source(warnings.into_iter().map(Diagnostic::into_error).collect())
}

/// What the rules and the schema (if any) find in an output before it is written: errors, then
/// warnings. One parse serves both ([`crate::validation::check_text`]).
fn check_output(
    output: &Path,
    xml: &str,
    rules: &RuleSet,
    validator: Option<&mut crate::relaxng::Validator>,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let limits = crate::xml::ReadLimits::default();
    crate::validation::check_text(validator, output, xml, rules, limits)
        .into_iter()
        .partition(|d| d.severity == Severity::Error)
}

/// Converts a volume's source with the volume's data, read once for all its sources.
fn convert_source(source_path: &Path, volume: &VolumeData) -> Result<Conversion, ConvertError> {
    convert_file_with(source_path, volume, &source_path.with_extension("toml"))
}

/// [`build_with_progress`] for FRUS volumes: every source converted on every core, then each
/// volume assembled, checked with the rules (and `schema`, when given) and written as
/// `OUT/VOLUME.xml`. A volume with a document that does not convert is not written: the file
/// on disk keeps its last complete state.
fn build_volumes(
    options: &BuildOptions,
    schema: Option<&crate::relaxng::Schema>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<BuildReport, BuildError> {
    let mut report = BuildReport::default();
    let volumes = load_volumes(&options.sources)?;
    let jobs: Vec<(usize, &PathBuf)> = volumes
        .iter()
        .enumerate()
        .flat_map(|(v, (sources, _))| sources.sources.iter().map(move |s| (v, s)))
        .collect();
    let converted = crate::parallel::ordered_map(
        &jobs,
        0,
        None,
        || (),
        |(), (v, source)| convert_source(source, &volumes[*v].1),
        &|done| progress(done, jobs.len()),
    );
    let mut results = jobs.iter().zip(converted).peekable();
    let mut validator = schema.map(crate::relaxng::Schema::validator);
    // A volume in progress has gaps in its numbering: the assembly warns about them once, and
    // the volume is still written.
    let mut volume_rules = RuleSet::all();
    volume_rules.set_level(RuleId::DocumentNumbering, Level::Warning);
    for (v, (volume_sources, volume)) in volumes.iter().enumerate() {
        let mut entries = Vec::new();
        let mut failed = false;
        let mut after_warnings = false;
        let mut sources = Vec::new();
        while let Some(((_, source), result)) = results.next_if(|((w, _), _)| *w == v) {
            sources.push(source.as_path());
            let result = result.unwrap_or_else(|| {
                Err(ConvertError::Io {
                    path: (*source).clone(),
                    source: std::io::Error::other("not converted: a worker thread could not start"),
                })
            });
            match result {
                Ok(conversion) if options.strict && !conversion.warnings.is_empty() => {
                    failed = true;
                    report.outcomes.push((
                        (*source).clone(),
                        Outcome::Failed(strict_failure(conversion.warnings)),
                    ));
                }
                Ok(conversion) => {
                    after_warnings |= !conversion.warnings.is_empty();
                    report.warnings.extend(conversion.warnings);
                    report.unknown_names.extend(conversion.unknown_names);
                    entries.push(VolumeEntry {
                        data_file: source.with_extension("toml"),
                        tree: conversion.document,
                    });
                }
                Err(e) => {
                    failed = true;
                    report
                        .outcomes
                        .push(((*source).clone(), Outcome::Failed(e)));
                }
            }
        }
        if failed {
            continue;
        }
        let output = options.out.join(format!("{}.xml", volume.volume.id));
        let assembled = match assemble_volume(volume, &entries) {
            Ok(assembled) => assembled,
            Err(problems) => {
                report.outcomes.push((
                    volume_sources.dir.clone(),
                    Outcome::Failed(ConvertError::Source(problems)),
                ));
                continue;
            }
        };
        report.warnings.extend(assembled.warnings);
        let xml = match crate::xml::to_xml_string(&assembled.tei) {
            Ok(xml) => xml,
            Err(e) => {
                report.outcomes.push((
                    volume_sources.dir.clone(),
                    Outcome::Unwritable(crate::output::OutputError::Io {
                        path: output,
                        source: e,
                    }),
                ));
                continue;
            }
        };
        let (errors, warnings) = check_output(&output, &xml, &volume_rules, validator.as_mut());
        report.warnings.extend(warnings);
        let mut inputs = sources.clone();
        inputs.push(volume.path.as_path());
        let outcome = outcome_of(
            &xml,
            errors,
            after_warnings,
            &inputs,
            &output,
            options.check,
        );
        report.outcomes.push((volume_sources.dir.clone(), outcome));
    }
    Ok(report)
}

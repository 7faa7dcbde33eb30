//! Validating many files at once: the RELAX NG schema and the semantic rules over one parse
//! of each file, on every core.
//!
//! The schema is checked in one pass of the text, without a tree
//! ([`Validator::validate_with_progress`]); a tree (roxmltree's) is built only where the rules
//! in force for the file, or its inclusions, need one. A file of
//! [`crate::xml::mapped::MAP_FROM`] bytes or more that needs none is mapped rather than read,
//! and what the reading has passed is given back as it goes, so that memory does not grow with
//! the file.
//!
//! **Takes** a compiled [`Schema`] (or none: rules only) and a list of files; **gives** each
//! file's problems, in the order the files were given, whatever order they were checked in.
//! Each worker thread has its own [`crate::relaxng::Validator`], whose memo tables it keeps
//! for all the files it checks; files are handed out largest first so the cores finish
//! together.
//!
//! A file's inclusions are resolved before it is checked ([`crate::xml::xinclude`]), and its
//! problems are reported in the files their text came from. Each file is checked with the rules
//! its path calls for ([`RuleSet::for_file`]: a configuration's overrides). Pointers between the
//! files of the run are settled once all are read ([`crate::rules::settle`]).

use crate::base::diagnostic::Diagnostic;
use crate::relaxng::{Schema, Validator};
use crate::rules::{check_parsed, settle, Level, Links, RuleId, RuleSet};
use crate::schematron::{Schematron, Spec};
use crate::xml::mapped::MappedText;
use crate::xml::{decode, parse, xinclude, ReadLimits};
use std::path::{Path, PathBuf};

pub use crate::xml::files::xml_files;

/// What to check.
#[derive(Debug, Clone)]
pub struct Options {
    /// The rules to run (the schema's problems are reported under the rule `schema`).
    pub rules: RuleSet,
    /// Worker threads (at least 1).
    pub jobs: usize,
    /// Limits on each document.
    pub limits: ReadLimits,
    /// Resolve XInclude inclusions before checking ([`crate::xml::xinclude`]).
    pub xinclude: bool,
    /// Schematron schemas for every file (`--schematron`, `teikit.toml`).
    pub schematron: Vec<Spec>,
    /// Also run the Schematron each file's RELAX NG schema embeds.
    pub embedded_schematron: bool,
    /// The Schematron each file declares, by the file's index in the run (empty: none).
    pub declared_schematron: Vec<Vec<Spec>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            rules: RuleSet::all(),
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            limits: ReadLimits::default(),
            xinclude: true,
            schematron: Vec::new(),
            embedded_schematron: true,
            declared_schematron: Vec::new(),
        }
    }
}

/// One file's result.
#[derive(Debug)]
pub enum Outcome {
    /// Checked: these problems (none if valid), in document order.
    Checked(Vec<Diagnostic>),
    /// The file could not be read.
    Unreadable(std::io::Error),
}

impl Outcome {
    /// Whether the file was read and has no error.
    pub fn is_valid(&self) -> bool {
        matches!(self, Outcome::Checked(d) if !d.iter().any(|d| d.severity == crate::base::diagnostic::Severity::Error))
    }
}

/// Checks one file's bytes: its problems, and what only the other files of the run can settle
/// (none if it could not be parsed or no rule runs).
pub fn check_bytes(
    validator: Option<&mut Validator>,
    schematron: &[&Schematron],
    path: &Path,
    bytes: Vec<u8>,
    options: &Options,
) -> (Vec<Diagnostic>, Option<Links>) {
    check_buffer(validator, schematron, path, &mut { bytes }, options)
}

/// [`check_bytes`] of the bytes in `buffer`, which is left holding an allocation to read the
/// next file into (a worker checking a thousand files allocates and faults in the memory for
/// the largest once, not for each).
fn check_buffer(
    validator: Option<&mut Validator>,
    schematron: &[&Schematron],
    path: &Path,
    buffer: &mut Vec<u8>,
    options: &Options,
) -> (Vec<Diagnostic>, Option<Links>) {
    let rules = options.rules.for_file(path);
    let schematron = if rules.enabled(RuleId::Schematron) {
        schematron
    } else {
        &[]
    };
    let text = match decode(path, std::mem::take(buffer)) {
        Ok(t) => t,
        Err(diagnostic) => return (vec![diagnostic.with_rule(RuleId::WellFormed)], None),
    };
    let streamed = match validator {
        Some(v)
            if streams(&rules, schematron)
                && !(options.xinclude && xinclude::may_include(&text)) =>
        {
            Ok(stream(v, path, &text, &mut |_| {}))
        }
        other => Err(other),
    };
    let (mut problems, links) = match streamed {
        Ok(problems) => (problems, None),
        Err(validator) => check_tree(validator, schematron, path, &text, &rules, options),
    };
    settle_in_order(&mut problems);
    *buffer = text.into_bytes();
    (problems, links)
}

/// Whether a document checked with `rules` and `schematron` needs no tree: the schema alone
/// is checked, in one pass of the text (inclusions aside).
fn streams(rules: &RuleSet, schematron: &[&Schematron]) -> bool {
    rules.enabled(RuleId::Schema) && !rules.any_semantic() && schematron.is_empty()
}

/// Checks a large file mapped into memory ([`MappedText`]) whose rules need no tree: in one
/// pass, what lies behind the reader given back as it goes, so that memory does not grow with
/// the file. One with inclusions is checked over its tree, as any other.
fn check_mapped(
    validator: &mut Validator,
    path: &Path,
    mapped: &MappedText,
    rules: &RuleSet,
    options: &Options,
) -> (Vec<Diagnostic>, Option<Links>) {
    let (mut problems, links) = if options.xinclude && mapped.contains(xinclude::NS) {
        check_tree(Some(validator), &[], path, mapped.text(), rules, options)
    } else {
        let release = &mut |offset| mapped.release_before(offset);
        (stream(validator, path, mapped.text(), release), None)
    };
    settle_in_order(&mut problems);
    (problems, links)
}

/// Checks a document with the schema alone, read in one pass without a tree
/// ([`Validator::validate_with_progress`]); `progress` hears how far the reading has come.
fn stream(
    validator: &mut Validator,
    path: &Path,
    text: &str,
    progress: &mut dyn FnMut(usize),
) -> Vec<Diagnostic> {
    match validator.validate_with_progress(path, text, progress) {
        Ok(found) => found
            .into_iter()
            .map(|d| d.with_rule(RuleId::Schema))
            .collect(),
        Err(not_well_formed) => vec![not_well_formed.with_rule(RuleId::WellFormed)],
    }
}

/// Checks a document over its tree: the rules, the schema, inclusions.
fn check_tree(
    validator: Option<&mut Validator>,
    schematron: &[&Schematron],
    path: &Path,
    text: &str,
    rules: &RuleSet,
    options: &Options,
) -> (Vec<Diagnostic>, Option<Links>) {
    let limits = options.limits;
    match parse(path, text, limits) {
        Err(diagnostic) => (vec![diagnostic.with_rule(RuleId::WellFormed)], None),
        Ok(doc) if options.xinclude && xinclude::may_include(text) => {
            check_with_inclusions(validator, schematron, path, text, &doc, rules, limits)
        }
        Ok(doc) => check_parsed_document(validator, schematron, path, text, &doc, rules),
    }
}

/// A file's problems as they are reported: in document order, and a date the schema already
/// refused one problem, not two (the `iso-date` finding at the place of a schema error goes; it
/// stays where the schema leaves dates unchecked).
fn settle_in_order(problems: &mut Vec<Diagnostic>) {
    problems.sort_by(|a, b| a.location.cmp(&b.location));
    let refused: std::collections::HashSet<_> = problems
        .iter()
        .filter(|p| p.rule == Some(RuleId::Schema))
        .map(|p| (p.location.line, p.location.column))
        .collect();
    if !refused.is_empty() {
        problems.retain(|p| {
            p.rule != Some(RuleId::IsoDate)
                || !refused.contains(&(p.location.line, p.location.column))
        });
    }
}

/// Checks a document held in memory — one parse for the schema and the rules, inclusions not
/// resolved — as `build` checks what it is about to write. The problems come in document order.
pub fn check_text(
    validator: Option<&mut Validator>,
    path: &Path,
    text: &str,
    rules: &RuleSet,
    limits: ReadLimits,
) -> Vec<Diagnostic> {
    let mut problems = match parse(path, text, limits) {
        Err(diagnostic) => vec![diagnostic.with_rule(RuleId::WellFormed)],
        Ok(doc) => check_parsed_document(validator, &[], path, text, &doc, rules).0,
    };
    settle_in_order(&mut problems);
    problems
}

/// Checks a document with the schema (if any), its Schematron and the rules.
fn check_parsed_document(
    validator: Option<&mut Validator>,
    schematron: &[&Schematron],
    path: &Path,
    text: &str,
    doc: &roxmltree::Document,
    rules: &RuleSet,
) -> (Vec<Diagnostic>, Option<Links>) {
    let mut found: Vec<Diagnostic> = match validator {
        Some(v) if rules.enabled(RuleId::Schema) => v
            .validate(path, text)
            .into_iter()
            .map(|d| d.with_rule(RuleId::Schema))
            .collect(),
        _ => Vec::new(),
    };
    if !schematron.is_empty() {
        found.extend(schematron_problems(schematron, path, text, doc, rules));
    }
    let mut links = None;
    if rules.any_semantic() {
        let checked = check_parsed(path, text, doc, rules);
        found.extend(checked.diagnostics);
        links = Some(checked.links);
    }
    (found, links)
}

/// The findings of `schematron` in a document, as diagnostics of the rule `schematron`: at
/// the node each fired on, its id after the message; all warnings where the rule is set to
/// warn.
fn schematron_problems(
    schematron: &[&Schematron],
    path: &Path,
    text: &str,
    doc: &roxmltree::Document,
    rules: &RuleSet,
) -> Vec<Diagnostic> {
    use crate::base::diagnostic::{LineIndex, Location, Severity};
    // A generic rule: its level is the same whatever the document's profile.
    let level = rules.level(RuleId::Schematron, crate::rules::Profile::Generic);
    // Lines are counted only for a document with findings (most have none).
    let mut lines = None;
    let mut found = Vec::new();
    for schema in schematron {
        for finding in schema.check(doc, Some(path)) {
            let lines = lines.get_or_insert_with(|| LineIndex::new(text));
            let (line, column) = lines.line_column(text, finding.offset);
            let location = Location::new(path, line, column);
            let message = format!("{} [{}]", finding.message, finding.id);
            let severity = match level {
                Level::Warning => Severity::Warning,
                _ => finding.severity,
            };
            let diagnostic = match severity {
                Severity::Error => Diagnostic::error(location, message),
                Severity::Warning => Diagnostic::warning(location, message),
            };
            found.push(
                diagnostic
                    .with_rule(RuleId::Schematron)
                    .with_path(finding.element_path),
            );
        }
    }
    found
}

/// Checks a document with its inclusions resolved; problems are reported in the files their
/// text came from.
fn check_with_inclusions(
    validator: Option<&mut Validator>,
    schematron: &[&Schematron],
    path: &Path,
    text: &str,
    doc: &roxmltree::Document,
    rules: &RuleSet,
    limits: ReadLimits,
) -> (Vec<Diagnostic>, Option<Links>) {
    let included = match xinclude::resolve(path, text, doc, limits) {
        Ok(Some(included)) => included,
        Ok(None) => return check_parsed_document(validator, schematron, path, text, doc, rules),
        Err(problem) => return (vec![problem.with_rule(RuleId::WellFormed)], None),
    };
    let assembled = match parse(path, &included.text, limits) {
        Ok(assembled) => assembled,
        Err(mut problem) => {
            included.relocate(&mut problem);
            return (vec![problem.with_rule(RuleId::WellFormed)], None);
        }
    };
    let (mut found, mut links) = check_parsed_document(
        validator,
        schematron,
        path,
        &included.text,
        &assembled,
        rules,
    );
    for problem in found.iter_mut() {
        included.relocate(problem);
    }
    if let Some(links) = links.as_mut() {
        links.relocate(|problem| included.relocate(problem));
    }
    found.extend(
        included
            .warnings
            .into_iter()
            .map(|w| w.with_rule(RuleId::WellFormed)),
    );
    (found, links)
}

/// The Schematron schemas for a file validated against `schema`: the run's, and the one the
/// schema embeds.
pub fn specs_for(options: &Options, schema: Option<&Schema>) -> Vec<Spec> {
    let mut specs = options.schematron.clone();
    if options.embedded_schematron {
        specs.extend(schema.and_then(|s| Spec::embedded_in(s.path())));
    }
    specs
}

/// A thread's compiled Schematron schemas (a compiled schema is not `Sync`), each compiled
/// when a file first needs it; one that does not compile is left out (the command reports it
/// before the run).
#[derive(Default)]
pub struct SchematronCache {
    compiled: rustc_hash::FxHashMap<Spec, Option<Schematron>>,
}

impl SchematronCache {
    /// The schemas of `specs` that compile, compiled once.
    pub fn compiled(&mut self, specs: &[Spec]) -> Vec<&Schematron> {
        for spec in specs {
            if !self.compiled.contains_key(spec) {
                let compiled = spec.compile().ok().flatten();
                self.compiled.insert(spec.clone(), compiled);
            }
        }
        specs
            .iter()
            .filter_map(|spec| self.compiled.get(spec).and_then(Option::as_ref))
            .collect()
    }
}

/// Checks every file of `files`, on `options.jobs` threads; results in the order of `files`.
/// `progress` is called (from any thread) after each file with the number done so far.
///
/// Pointers between the files are resolved once all are read ([`crate::rules::settle`]): a
/// register in one file satisfies the references of the others.
pub fn check_files(
    schema: Option<&Schema>,
    files: &[PathBuf],
    options: &Options,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<Outcome> {
    let schemas: Vec<&Schema> = schema.into_iter().collect();
    let schema_of = vec![schema.map(|_| 0); files.len()];
    check_files_each(&schemas, &schema_of, files, &[], options, progress)
}

/// One file to check: its path, its schema's index, its bytes if already read, the Schematron
/// it declares.
type Job<'f> = (&'f PathBuf, Option<usize>, Option<&'f Vec<u8>>, &'f [Spec]);

/// [`check_files`] where each file has its own schema: `schema_of[i]` indexes `schemas` for
/// `files[i]` (`None`: the rules alone). Each thread makes a validator of a schema when it
/// first meets a file of it, so a run over a thousand files declaring three schemas compiles
/// nothing here and keeps three validators a thread. `read[i]`, where given, is the whole of
/// `files[i]` already read (choosing its schema read the small ones whole).
pub fn check_files_each(
    schemas: &[&Schema],
    schema_of: &[Option<usize>],
    files: &[PathBuf],
    read: &[Option<Vec<u8>>],
    options: &Options,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<Outcome> {
    let mut largest_first: Vec<usize> = (0..files.len()).collect();
    let size = |i: &usize| std::fs::metadata(&files[*i]).map_or(0, |m| m.len());
    largest_first.sort_by_key(|i| std::cmp::Reverse(size(i)));
    let jobs: Vec<Job> = files
        .iter()
        .zip(schema_of.iter().copied())
        .enumerate()
        .map(|(i, (path, schema))| {
            let declared = options
                .declared_schematron
                .get(i)
                .map_or(&[][..], Vec::as_slice);
            (path, schema, read.get(i).and_then(Option::as_ref), declared)
        })
        .collect();
    let checked = crate::parallel::ordered_map(
        &jobs,
        options.jobs,
        Some(&largest_first),
        || -> (Vec<Option<Validator>>, Vec<u8>, SchematronCache) {
            (
                schemas.iter().map(|_| None).collect(),
                Vec::new(),
                SchematronCache::default(),
            )
        },
        |(validators, buffer, constraints), (path, schema, bytes, declared)| {
            let mut validator = schema.map(|k| {
                validators[k]
                    .get_or_insert_with(|| schemas[k].validator().with_limits(options.limits))
            });
            let mut specs = specs_for(options, schema.map(|k| schemas[k]));
            specs.extend(
                declared
                    .iter()
                    .filter(|d| !specs.contains(d))
                    .cloned()
                    .collect::<Vec<_>>(),
            );
            let schematron = constraints.compiled(&specs);
            if let (Some(v), None) = (validator.as_deref_mut(), bytes) {
                let rules = options.rules.for_file(path);
                let schematron = if rules.enabled(RuleId::Schematron) {
                    schematron.as_slice()
                } else {
                    &[]
                };
                if streams(&rules, schematron) {
                    match MappedText::open(path, options.limits.max_bytes) {
                        Ok(Some(Ok(mapped))) => {
                            return Ok(check_mapped(v, path, &mapped, &rules, options))
                        }
                        Ok(Some(Err(refused))) => {
                            return Ok((vec![refused.with_rule(RuleId::WellFormed)], None))
                        }
                        Ok(None) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
            let read = match bytes {
                Some(bytes) => {
                    buffer.clear();
                    buffer.extend_from_slice(bytes);
                    Ok(Ok(()))
                }
                None => crate::xml::read_within_into(path, options.limits.max_bytes, buffer),
            };
            read.map(|read| match read {
                Ok(()) => check_buffer(validator, &schematron, path, buffer, options),
                Err(refused) => (vec![refused.with_rule(RuleId::WellFormed)], None),
            })
        },
        progress,
    );
    let mut outcomes = Vec::with_capacity(files.len());
    let mut links = Vec::new();
    let mut owners = Vec::new();
    for (i, result) in checked.into_iter().enumerate() {
        match result {
            Some(Ok((problems, found))) => {
                if let Some(found) = found {
                    links.push(found);
                    owners.push(i);
                }
                outcomes.push(Outcome::Checked(problems));
            }
            Some(Err(e)) => outcomes.push(Outcome::Unreadable(e)),
            None => outcomes.push(Outcome::Unreadable(std::io::Error::other(
                "not checked: a worker thread could not start",
            ))),
        }
    }
    for (owner, further) in owners.into_iter().zip(settle(links)) {
        if let Outcome::Checked(problems) = &mut outcomes[owner] {
            if !further.is_empty() {
                problems.extend(further);
                problems.sort_by(|a, b| a.location.cmp(&b.location));
            }
        }
    }
    outcomes
}

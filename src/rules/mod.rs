//! Semantic rules for TEI documents: what TEI projects otherwise write in Schematron, done
//! natively over the parsed document.
//!
//! **Takes** a parsed document and the set of rules to run; **gives** every violation, each with
//! file, line, column, element path and the id of the rule. Every rule has an id, a severity and
//! a one-line explanation ([`RULES`], listed by `teikit rules`), and can be switched off per run
//! ([`RuleSet::disable`]).
//!
//! The document is walked once ([`check_parsed`]): each family of rules (`references`, `dates`,
//! `documents`) is a checker that looks at every element as the walk passes it and reports at
//! the end, so adding a rule never adds a pass over the document.
//!
//! **Does not** check the schema: that is the RELAX NG validator's job (its problems carry the
//! rule id `schema`).

mod dates;
mod documents;
mod links;
mod pointers;
mod references;

use crate::base::diagnostic::{Diagnostic, LineIndex, Location, Severity};
use crate::base::glob::Glob;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use crate::base::rule::{Profile, Rule, RuleId, UnknownRule, RULES};
pub use links::{settle, Links};

/// How a rule is set for a run: off, or on at a severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The rule does not run.
    Off,
    /// Violations are warnings.
    Warning,
    /// Violations are errors.
    Error,
}

impl From<Severity> for Level {
    fn from(severity: Severity) -> Self {
        match severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        }
    }
}

/// Which rules run, and how.
///
/// A document is checked with the rules of its profile: the one set here, or else the one its
/// content calls for ([`Profile::Documentary`] for a document with FRUS-style document
/// divisions or the FRUS namespace, [`Profile::Generic`] for any other). A level set for a rule
/// wins over its profile and its default severity.
#[derive(Debug, Clone)]
pub struct RuleSet {
    profile: Option<Profile>,
    levels: BTreeMap<RuleId, Level>,
    overrides: Vec<Override>,
}

/// A profile as a configuration or the command line sets it: one for every document, or each
/// document's own (`auto`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileChoice {
    /// Each document's own, as [`Profile::of_document`] finds it.
    Auto,
    /// This one, for every document.
    Fixed(Profile),
}

impl ProfileChoice {
    /// The profile for every document, or `None` for each document's own.
    pub fn profile(self) -> Option<Profile> {
        match self {
            ProfileChoice::Auto => None,
            ProfileChoice::Fixed(profile) => Some(profile),
        }
    }
}

/// Rules set otherwise for some files of a project (a configuration's `[[overrides]]`).
#[derive(Debug, Clone, Default)]
pub struct Override {
    /// The directory the patterns are relative to (the project root).
    pub root: PathBuf,
    /// The files it is for.
    pub paths: Vec<Glob>,
    /// Their profile, or `None` to leave it as it is.
    pub profile: Option<ProfileChoice>,
    /// Levels of rules, winning over the run's.
    pub levels: BTreeMap<RuleId, Level>,
}

impl Override {
    /// Whether `file` (absolute, or relative to the working directory) is one of its files.
    pub fn matches(&self, file: &Path) -> bool {
        let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let absolute = absolute.canonicalize().unwrap_or(absolute);
        // An empty root is the working directory, which `canonicalize` does not take as "".
        let root = match self.root.as_os_str().is_empty() {
            true => Path::new("."),
            false => self.root.as_path(),
        };
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        absolute
            .strip_prefix(&root)
            .is_ok_and(|relative| self.paths.iter().any(|glob| glob.matches(relative)))
    }
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet::all()
    }
}

impl RuleSet {
    /// Every rule, at its default severity (the documentary profile, which holds the generic).
    pub fn all() -> Self {
        RuleSet::for_profile(Some(Profile::Documentary))
    }

    /// The rules of `profile`, or, with `None`, of the profile each document calls for.
    ///
    /// ```
    /// use teikit::rules::{Level, Profile, RuleId, RuleSet};
    /// let generic = RuleSet::for_profile(Some(Profile::Generic));
    /// assert_eq!(generic.level(RuleId::PageOrder, Profile::Generic), Level::Off);
    /// assert_eq!(generic.level(RuleId::UniqueId, Profile::Generic), Level::Error);
    /// ```
    pub fn for_profile(profile: Option<Profile>) -> Self {
        RuleSet {
            profile,
            levels: BTreeMap::new(),
            overrides: Vec::new(),
        }
    }

    /// Adds rules set otherwise for some files; later overrides win over earlier ones.
    pub fn add_override(&mut self, set: Override) {
        self.overrides.push(set);
    }

    /// The rules for `file`: these, with the overrides that match it applied.
    ///
    /// ```
    /// use teikit::base::glob::Glob;
    /// use teikit::rules::{Level, Override, Profile, ProfileChoice, RuleId, RuleSet};
    /// let mut rules = RuleSet::all();
    /// rules.add_override(Override {
    ///     root: ".".into(),
    ///     paths: vec![Glob::new("early/**")],
    ///     profile: Some(ProfileChoice::Fixed(Profile::Generic)),
    ///     levels: [(RuleId::IsoDate, Level::Warning)].into(),
    /// });
    /// let early = rules.for_file("early/1699.xml".as_ref());
    /// assert_eq!(early.level(RuleId::PageOrder, Profile::Documentary), Level::Off);
    /// assert_eq!(early.level(RuleId::IsoDate, Profile::Documentary), Level::Warning);
    /// let other = rules.for_file("tei/d1.xml".as_ref());
    /// assert_eq!(other.level(RuleId::PageOrder, Profile::Documentary), Level::Error);
    /// ```
    pub fn for_file(&self, file: &Path) -> RuleSet {
        let mut rules = RuleSet {
            profile: self.profile,
            levels: self.levels.clone(),
            overrides: Vec::new(),
        };
        for set in self.overrides.iter().filter(|o| o.matches(file)) {
            if let Some(choice) = set.profile {
                rules.profile = choice.profile();
            }
            rules
                .levels
                .extend(set.levels.iter().map(|(r, l)| (*r, *l)));
        }
        rules
    }

    /// The profile set for every document, if any.
    pub fn profile(&self) -> Option<Profile> {
        self.profile
    }

    /// Sets the profile of every document (`None`: each document's own).
    pub fn set_profile(&mut self, profile: Option<Profile>) {
        self.profile = profile;
    }

    /// Sets `rule` to `level`, whatever the profile.
    pub fn set_level(&mut self, rule: RuleId, level: Level) {
        self.levels.insert(rule, level);
    }

    /// Switches off the rule named `code`; an unknown name is an error naming the known ones.
    ///
    /// ```
    /// use teikit::rules::{RuleId, RuleSet};
    /// let mut rules = RuleSet::all();
    /// rules.disable("note-spacing").unwrap();
    /// assert!(!rules.enabled(RuleId::NoteSpacing));
    /// assert!(rules.disable("no-such-rule").is_err());
    /// ```
    pub fn disable(&mut self, code: &str) -> Result<(), UnknownRule> {
        self.set_level(RuleId::from_code(code)?, Level::Off);
        Ok(())
    }

    /// Switches off `rule`.
    pub fn disable_rule(&mut self, rule: RuleId) {
        self.set_level(rule, Level::Off);
    }

    /// The level of `rule` in a document whose profile, unless one is set, is `document`.
    pub fn level(&self, rule: RuleId, document: Profile) -> Level {
        if let Some(level) = self.levels.get(&rule) {
            return *level;
        }
        if rule.rule().profile <= self.profile.unwrap_or(document) {
            rule.severity().into()
        } else {
            Level::Off
        }
    }

    /// Whether `rule` runs in some document (of some file, overrides included).
    pub fn enabled(&self, rule: RuleId) -> bool {
        self.level(rule, Profile::Documentary) != Level::Off
            || self
                .overrides
                .iter()
                .any(|o| o.levels.get(&rule).is_some_and(|l| *l != Level::Off))
    }

    /// Whether any of teikit's own rules runs (beyond well-formedness, the schema and
    /// Schematron, which run only where a schema has constraints).
    pub fn any_semantic(&self) -> bool {
        RuleId::all().any(|r| {
            !matches!(r, RuleId::WellFormed | RuleId::Schema | RuleId::Schematron)
                && self.enabled(r)
        })
    }
}

/// The namespace of FRUS's own elements and attributes: a document that declares it is
/// documentary.
const FRUS_NS: &str = "http://history.state.gov/frus/ns/1.0";

/// Attributes whose values are pointers (whitespace-separated URIs).
pub const POINTER_ATTRIBUTES: &[&str] = &[
    "ref",
    "corresp",
    "target",
    "hand",
    "scribeRef",
    "copyOf",
    "sameAs",
    "ana",
    "resp",
    "who",
    "scheme",
    "next",
    "prev",
    "synch",
    "source",
    "facs",
    "start",
    "end",
    "spanTo",
    "exclude",
    "select",
    "scriptRef",
    "decls",
    "change",
    "wit",
];

/// What a rule sees and where it reports.
pub(crate) struct Context<'a> {
    path: &'a Path,
    text: &'a str,
    index: LineIndex,
    rules: &'a RuleSet,
    profile: Profile,
    out: Vec<Diagnostic>,
}

impl<'a> Context<'a> {
    /// The diagnostic of a violation of `rule` at byte `offset`, concerning `node`, if the rule
    /// runs in this document.
    fn diagnostic(
        &self,
        rule: RuleId,
        offset: usize,
        node: roxmltree::Node,
        message: String,
    ) -> Option<Diagnostic> {
        let location = {
            let (line, column) = self.index.line_column(self.text, offset);
            Location::new(self.path, line, column)
        };
        let diagnostic = match self.rules.level(rule, self.profile) {
            Level::Off => return None,
            Level::Error => Diagnostic::error(location, message),
            Level::Warning => Diagnostic::warning(location, message),
        };
        Some(
            diagnostic
                .with_rule(rule)
                .with_path(crate::base::path::of_node(node)),
        )
    }

    /// Reports a violation of `rule` at byte `offset`, concerning `node`.
    pub fn report(&mut self, rule: RuleId, offset: usize, node: roxmltree::Node, message: String) {
        if let Some(diagnostic) = self.diagnostic(rule, offset, node, message) {
            self.out.push(diagnostic);
        }
    }

    /// The 1-based line and column of `offset`.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        self.index.line_column(self.text, offset)
    }
}

/// Parses `text` (the contents of `path`) and checks it with every rule, as a document on its
/// own (pointers to other files are looked up on disk).
pub fn check_document(path: &Path, text: &str) -> Vec<Diagnostic> {
    check_document_with(path, text, &RuleSet::all())
}

/// [`check_document`] with the rules of `rules`.
pub fn check_document_with(path: &Path, text: &str, rules: &RuleSet) -> Vec<Diagnostic> {
    match crate::xml::parse(path, text, crate::xml::ReadLimits::default()) {
        Ok(doc) => {
            let checked = check_parsed(path, text, &doc, rules);
            let mut out = checked.diagnostics;
            out.extend(settle(vec![checked.links]).into_iter().flatten());
            out.sort_by(|a, b| a.location.cmp(&b.location));
            out
        }
        Err(diagnostic) => vec![diagnostic.with_rule(RuleId::WellFormed)],
    }
}

/// What checking one document gives: its problems, and what only the other files of the run
/// can settle ([`settle`]).
#[derive(Debug)]
pub struct Checked {
    /// The problems found in the document alone, in document order.
    pub diagnostics: Vec<Diagnostic>,
    /// Pointers it could not resolve itself and declarations it does not refer to.
    pub links: Links,
}

/// Checks a document already parsed from `text` with the rules of `rules`.
pub fn check_parsed(
    path: &Path,
    text: &str,
    doc: &roxmltree::Document,
    rules: &RuleSet,
) -> Checked {
    // One walk of the document gathers what every rule needs (and whether the document is
    // documentary); each group then reports, in a fixed order.
    let mut references = references::Check::new(rules);
    let mut dates = dates::Check::new(rules);
    let mut documents = documents::Check::new(rules);
    let mut documentary = doc
        .root_element()
        .namespaces()
        .any(|ns| ns.uri() == FRUS_NS);
    for node in doc.descendants().filter(roxmltree::Node::is_element) {
        documentary |= documents::is_document_div(&node);
        references.element(node);
        dates.element(node);
        documents.element(node);
    }
    let mut cx = Context {
        path,
        text,
        index: LineIndex::new(text),
        rules,
        profile: if documentary {
            Profile::Documentary
        } else {
            Profile::Generic
        },
        out: Vec::new(),
    };
    let links = references.report(&mut cx);
    dates.report(&mut cx);
    documents.report(&mut cx);
    let mut diagnostics = cx.out;
    diagnostics.sort_by(|a, b| a.location.cmp(&b.location));
    Checked { diagnostics, links }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn check(xml: &str) -> Vec<String> {
        check_document(Path::new("t.xml"), xml)
            .into_iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn not_well_formed() {
        let found = check("<r>\n  <a></b>\n</r>");
        assert!(found[0].starts_with("t.xml:2:"), "{found:?}");
        assert!(found[0].contains("error[well-formed]"));
    }
}

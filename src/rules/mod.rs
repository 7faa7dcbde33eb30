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
mod references;

use crate::base::diagnostic::{Diagnostic, LineIndex, Location, Severity};
use std::collections::BTreeSet;
use std::path::Path;

pub use crate::base::rule::{Profile, Rule, RuleId, UnknownRule, RULES};

/// Which rules run.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    disabled: BTreeSet<RuleId>,
}

impl RuleSet {
    /// Every rule.
    pub fn all() -> Self {
        RuleSet::default()
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
        self.disabled.insert(RuleId::from_code(code)?);
        Ok(())
    }

    /// Switches off `rule`.
    pub fn disable_rule(&mut self, rule: RuleId) {
        self.disabled.insert(rule);
    }

    /// Whether `rule` runs.
    pub fn enabled(&self, rule: RuleId) -> bool {
        !self.disabled.contains(&rule)
    }

    /// Whether any rule beyond well-formedness and the schema runs.
    pub fn any_semantic(&self) -> bool {
        RuleId::all().any(|r| r != RuleId::WellFormed && r != RuleId::Schema && self.enabled(r))
    }
}

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
pub(crate) struct Context<'a, 'd> {
    path: &'a Path,
    text: &'a str,
    index: LineIndex,
    out: Vec<Diagnostic>,
    document: std::marker::PhantomData<&'a roxmltree::Document<'d>>,
}

impl<'a, 'd> Context<'a, 'd> {
    /// Reports a violation of `rule` at byte `offset`, concerning `node`.
    pub fn report(&mut self, rule: RuleId, offset: usize, node: roxmltree::Node, message: String) {
        let (line, column) = self.index.line_column(self.text, offset);
        let location = Location::new(self.path, line, column);
        let diagnostic = match rule.severity() {
            Severity::Error => Diagnostic::error(location, message),
            Severity::Warning => Diagnostic::warning(location, message),
        };
        self.out.push(
            diagnostic
                .with_rule(rule)
                .with_path(crate::base::path::of_node(node)),
        );
    }

    /// The 1-based line and column of `offset`.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        self.index.line_column(self.text, offset)
    }
}

/// Parses `text` (the contents of `path`) and checks it with every rule.
pub fn check_document(path: &Path, text: &str) -> Vec<Diagnostic> {
    match crate::xml::parse(path, text, crate::xml::ReadLimits::default()) {
        Ok(doc) => check_parsed(path, text, &doc, &RuleSet::all()),
        Err(diagnostic) => vec![diagnostic.with_rule(RuleId::WellFormed)],
    }
}

/// Checks a document already parsed from `text` with the rules of `rules`.
pub fn check_parsed(
    path: &Path,
    text: &str,
    doc: &roxmltree::Document,
    rules: &RuleSet,
) -> Vec<Diagnostic> {
    let mut cx = Context {
        path,
        text,
        index: LineIndex::new(text),
        out: Vec::new(),
        document: std::marker::PhantomData,
    };
    // One walk of the document gathers what every rule needs; each group then reports, in a
    // fixed order.
    let mut references = references::Check::new(rules);
    let mut dates = dates::Check::new(rules);
    let mut documents = documents::Check::new(rules);
    for node in doc.descendants().filter(roxmltree::Node::is_element) {
        references.element(node);
        dates.element(node);
        documents.element(node);
    }
    references.report(&mut cx);
    dates.report(&mut cx);
    documents.report(&mut cx);
    let mut out = cx.out;
    out.sort_by(|a, b| a.location.cmp(&b.location));
    out
}

/// Whether `value` is an ISO 8601 year, year-month, date or date-time (as TEI's `@when` allows).
///
/// ```
/// use teikit::rules::is_iso_date;
/// assert!(is_iso_date("1973-05-22T10:30:00+01:00"));
/// assert!(is_iso_date("1973-05"));
/// assert!(!is_iso_date("1973-13-01"));
/// assert!(!is_iso_date("May 1973"));
/// ```
pub fn is_iso_date(value: &str) -> bool {
    dates::is_iso_date(value)
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

//! Semantic rules for TEI documents: what TEI projects otherwise write in Schematron, done
//! natively over the parsed document.
//!
//! **Takes** a parsed document and the set of rules to run; **gives** every violation, each with
//! file, line, column, element path and the id of the rule. Every rule has an id, a severity and
//! a one-line explanation ([`RULES`], listed by `teikit rules`), and can be switched off per run
//! ([`RuleSet::disable`]).
//!
//! **Does not** check the schema: that is the RELAX NG validator's job (its problems carry the
//! rule id `schema`).

mod dates;
mod documents;
mod references;

use crate::diagnostic::{Diagnostic, LineIndex, Location, Severity};
use std::collections::BTreeSet;
use std::path::Path;

/// A rule: its id, how serious a violation is, and what it checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The id used in messages and on the command line.
    pub id: &'static str,
    /// The severity of a violation.
    pub severity: Severity,
    /// What the rule requires, in one line.
    pub summary: &'static str,
}

/// The id under which schema (RELAX NG) problems are reported.
pub const SCHEMA: &str = "schema";
/// The id under which documents that are not well-formed are reported.
pub const WELL_FORMED: &str = "well-formed";

/// Every rule, in the order `teikit rules` lists them.
pub const RULES: &[Rule] = &[
    Rule { id: WELL_FORMED, severity: Severity::Error, summary: "the document is well-formed XML, UTF-8, within the size and depth limits" },
    Rule { id: SCHEMA, severity: Severity::Error, summary: "the document is valid against the RELAX NG schema" },
    Rule { id: "unique-id", severity: Severity::Error, summary: "every xml:id is unique in the document" },
    Rule { id: "pointer-resolves", severity: Severity::Error, summary: "every local pointer (#id in @ref, @corresp, @target, @hand, @scribeRef, @who, …) names an xml:id of the document" },
    Rule { id: "iso-date", severity: Severity::Error, summary: "@when, @from, @to, @notBefore, @notAfter are ISO 8601 dates (YYYY, YYYY-MM, YYYY-MM-DD, or a date-time)" },
    Rule { id: "date-order", severity: Severity::Error, summary: "@from is not after @to, and @notBefore is not after @notAfter" },
    Rule { id: "footnote-sequence", severity: Severity::Error, summary: "the numbered notes of a document run 1, 2, 3 … and their ids are the document id + \"fn\" + the number" },
    Rule { id: "note-spacing", severity: Severity::Warning, summary: "no whitespace stands before a footnote" },
    Rule { id: "page-order", severity: Severity::Error, summary: "page breaks (pb/@n) are in order, each page once" },
    Rule { id: "source-note", severity: Severity::Error, summary: "a historical document has a source note (note type=\"source\") beginning \"Source:\"" },
    Rule { id: "unused-declaration", severity: Severity::Warning, summary: "declared hands, persons, places and organisations are referred to somewhere" },
];

/// Which rules run.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    disabled: BTreeSet<&'static str>,
}

impl RuleSet {
    /// Every rule.
    pub fn all() -> Self {
        RuleSet::default()
    }

    /// Switches a rule off; an unknown id is an error naming the known ones.
    ///
    /// ```
    /// let mut rules = teikit::rules::RuleSet::all();
    /// rules.disable("note-spacing").unwrap();
    /// assert!(!rules.enabled("note-spacing"));
    /// assert!(rules.disable("no-such-rule").is_err());
    /// ```
    pub fn disable(&mut self, id: &str) -> Result<(), String> {
        match RULES.iter().find(|r| r.id == id) {
            Some(rule) => {
                self.disabled.insert(rule.id);
                Ok(())
            }
            None => Err(format!(
                "unknown rule `{id}`; the rules are {}",
                RULES.iter().map(|r| r.id).collect::<Vec<_>>().join(", ")
            )),
        }
    }

    /// Whether the rule `id` runs.
    pub fn enabled(&self, id: &str) -> bool {
        !self.disabled.contains(id)
    }

    /// Whether any rule beyond well-formedness and the schema runs.
    pub fn any_semantic(&self) -> bool {
        RULES
            .iter()
            .any(|r| r.id != WELL_FORMED && r.id != SCHEMA && self.enabled(r.id))
    }
}

/// The severity of rule `id` (errors for unknown ids).
pub fn severity_of(id: &str) -> Severity {
    RULES
        .iter()
        .find(|r| r.id == id)
        .map_or(Severity::Error, |r| r.severity)
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
    /// The document.
    pub doc: &'a roxmltree::Document<'d>,
    out: Vec<Diagnostic>,
}

impl<'a, 'd> Context<'a, 'd> {
    /// Reports a violation of `rule` at byte `offset`, concerning `node`.
    pub fn report(
        &mut self,
        rule: &'static str,
        offset: usize,
        node: roxmltree::Node,
        message: String,
    ) {
        let (line, column) = self.index.line_column(self.text, offset);
        let location = Location::new(self.path, line, column);
        let diagnostic = match severity_of(rule) {
            Severity::Error => Diagnostic::error(location, message),
            Severity::Warning => Diagnostic::warning(location, message),
        };
        self.out.push(
            diagnostic
                .with_rule(rule)
                .with_path(crate::relaxng::validate::element_path(node)),
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
        Err(diagnostic) => vec![diagnostic.with_rule(WELL_FORMED)],
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
        doc,
        out: Vec::new(),
    };
    references::check(&mut cx, rules);
    dates::check(&mut cx, rules);
    documents::check(&mut cx, rules);
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

    #[test]
    fn every_rule_is_listed_once() {
        let ids: BTreeSet<&str> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), RULES.len());
    }
}

//! The registry of validation rules: every rule declared once, with its code, profile, default
//! severity, summary and documentation.
//!
//! A rule is a [`RuleId`]: a typo in a rule's name does not compile, and a name read from the
//! command line or a configuration file is checked against the registry
//! ([`RuleId::from_code`]), so an unknown one is an error that names the known ones. The checks
//! themselves live in `crate::rules`; diagnostics carry the id they were found by.

use super::diagnostic::Severity;
use std::fmt;

/// Which projects a rule is right for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Profile {
    /// Any TEI document: what TEI itself requires.
    Generic,
    /// Documentary editions in the manner of FRUS: house rules for notes, pages and sources.
    Documentary,
}

impl Profile {
    /// The profile's name, as the command line writes it.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Generic => "generic",
            Profile::Documentary => "documentary",
        }
    }

    /// The profile named `name` (`generic`, `documentary`).
    pub fn from_name(name: &str) -> Option<Profile> {
        [Profile::Generic, Profile::Documentary]
            .into_iter()
            .find(|p| p.name() == name)
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Declares every rule once: the [`RuleId`] variant and its [`Rule`] in [`RULES`], in the same
/// order, so that the two cannot drift apart.
macro_rules! rules {
    ($($(#[$doc:meta])* $variant:ident {
        code: $code:literal,
        profile: $profile:ident,
        severity: $severity:ident,
        summary: $summary:literal $(,)?
    })*) => {
        /// A validation rule.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId {
            $($(#[$doc])* $variant,)*
        }

        /// Every rule, in the order `teikit rules` lists them.
        pub const RULES: &[Rule] = &[
            $(Rule {
                id: RuleId::$variant,
                code: $code,
                profile: Profile::$profile,
                severity: Severity::$severity,
                summary: $summary,
                documentation: concat!("docs/rules/", $code, ".md"),
                explanation: include_str!(concat!("../../docs/rules/", $code, ".md")),
            },)*
        ];
    };
}

/// A rule's declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The rule.
    pub id: RuleId,
    /// Its code in messages, reports and on the command line: `unique-id`.
    pub code: &'static str,
    /// The projects it is right for.
    pub profile: Profile,
    /// The severity of a violation, unless configured otherwise.
    pub severity: Severity,
    /// What it requires, in one line.
    pub summary: &'static str,
    /// Where it is documented: its own page in this source tree, `docs/rules/CODE.md`.
    pub documentation: &'static str,
    /// That page: what the rule requires, why, and an example (Markdown), as `teikit rules
    /// CODE` prints it and SARIF carries it.
    pub explanation: &'static str,
}

rules! {
    /// Well-formed XML within the limits.
    WellFormed {
        code: "well-formed",
        profile: Generic,
        severity: Error,
        summary: "well-formed UTF-8 XML within the size and depth limits; inclusions (XInclude) that resolve",
    }
    /// Valid against the RELAX NG schema.
    Schema {
        code: "schema",
        profile: Generic,
        severity: Error,
        summary: "valid against the RELAX NG schema (the bundled one, --schema, teikit.toml's)",
    }
    /// Schematron's constraints hold.
    Schematron {
        code: "schematron",
        profile: Generic,
        severity: Error,
        summary: "the Schematron constraints hold: those the RELAX NG schema embeds (TEI's constraintSpecs in tei_all.rng), --schematron's and teikit.toml's; each finding's severity from its role",
    }
    /// `xml:id`s unique.
    UniqueId {
        code: "unique-id",
        profile: Generic,
        severity: Error,
        summary: "every xml:id is unique in the document",
    }
    /// Local pointers resolve.
    PointerResolves {
        code: "pointer-resolves",
        profile: Generic,
        severity: Error,
        summary: "every pointer (@ref, @corresp, @target, @hand, @scribeRef, @who, @facs, …) resolves as TEI reads pointers: #id, XPointer schemes, prefixDef prefixes, other.xml#id among the files of the run",
    }
    /// Dates in ISO 8601.
    IsoDate {
        code: "iso-date",
        profile: Generic,
        severity: Error,
        summary: "@when, @from, @to, @notBefore, @notAfter are ISO 8601 dates as TEI's teidata.temporal.w3c has them (YYYY, YYYY-MM, YYYY-MM-DD, a date-time)",
    }
    /// Date ranges in order.
    DateOrder {
        code: "date-order",
        profile: Generic,
        severity: Error,
        summary: "@from is not after @to, and @notBefore is not after @notAfter",
    }
    /// Footnotes numbered in sequence, with ids after the document's.
    FootnoteSequence {
        code: "footnote-sequence",
        profile: Documentary,
        severity: Error,
        summary: "a document's numbered notes run in sequence from any number (1, 2, 3…; 50, 51… where a chapter continues; * notes apart), again from 1 after a page break where notes are numbered per page; ids are the document id + \"fn\" + the number (_2 for a number used again)",
    }
    /// No space before a footnote.
    NoteSpacing {
        code: "note-spacing",
        profile: Documentary,
        severity: Warning,
        summary: "no whitespace stands before a footnote",
    }
    /// Page breaks in order.
    PageOrder {
        code: "page-order",
        profile: Documentary,
        severity: Error,
        summary: "page breaks (pb/@n) are in order, each page once",
    }
    /// A historical document has a source note.
    SourceNote {
        code: "source-note",
        profile: Documentary,
        severity: Warning,
        summary: "a historical document has a source note (note type=\"source\") in any of FRUS's forms (Source: …, File No. 763.72/1140, 711.94/1234: Telegram); a warning, since older volumes print documents without one",
    }
    /// Documents numbered consecutively.
    DocumentNumbering {
        code: "document-numbering",
        profile: Documentary,
        severity: Error,
        summary: "the documents (div type=\"document\") of a file are numbered consecutively by @n (FRUS Schematron)",
    }
    /// No footnote inside a footnote.
    NestedNote {
        code: "nested-note",
        profile: Documentary,
        severity: Error,
        summary: "a footnote holds no other note; inline notes may (FRUS Schematron)",
    }
    /// No empty paragraphs, names or segments.
    EmptyElement {
        code: "empty-element",
        profile: Documentary,
        severity: Error,
        summary: "p, persName, placeName, seg and gloss elements have text (FRUS Schematron)",
    }
    /// Declared entries are referred to.
    UnusedDeclaration {
        code: "unused-declaration",
        profile: Documentary,
        severity: Warning,
        summary: "declared hands, persons, places and organisations are referred to, from any file of the run",
    }
}

/// A rule name that the registry does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule `{code}`; the rules are {known}", code = .0, known = RULES.iter().map(|r| r.code).collect::<Vec<_>>().join(", "))]
pub struct UnknownRule(pub String);

impl RuleId {
    /// Every rule, in registry order.
    pub fn all() -> impl Iterator<Item = RuleId> {
        RULES.iter().map(|r| r.id)
    }

    /// The rule's declaration.
    pub fn rule(self) -> &'static Rule {
        // `rules!` lists the declarations in the variants' order.
        &RULES[self as usize]
    }

    /// The rule's code: `unique-id`.
    pub fn code(self) -> &'static str {
        self.rule().code
    }

    /// The rule's default severity.
    pub fn severity(self) -> Severity {
        self.rule().severity
    }

    /// The rule named `code`.
    ///
    /// ```
    /// use teikit::base::rule::RuleId;
    /// assert_eq!(RuleId::from_code("page-order"), Ok(RuleId::PageOrder));
    /// let unknown = RuleId::from_code("page-ordr").unwrap_err().to_string();
    /// assert!(unknown.starts_with("unknown rule `page-ordr`; the rules are well-formed, schema"));
    /// ```
    pub fn from_code(code: &str) -> Result<RuleId, UnknownRule> {
        RULES
            .iter()
            .find(|r| r.code == code)
            .map(|r| r.id)
            .ok_or_else(|| UnknownRule(code.to_string()))
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn each_rule_is_declared_once_in_variant_order() {
        for (i, rule) in RULES.iter().enumerate() {
            assert_eq!(rule.id as usize, i, "{} out of place", rule.code);
            assert_eq!(RuleId::from_code(rule.code), Ok(rule.id));
        }
        let codes: BTreeSet<&str> = RULES.iter().map(|r| r.code).collect();
        assert_eq!(codes.len(), RULES.len());
        assert_eq!(RuleId::all().count(), RULES.len());
    }
}

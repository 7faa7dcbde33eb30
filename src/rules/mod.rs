//! Semantic rules for TEI documents: what Schematron checks in TEI projects, done natively.
//!
//! **Takes** an XML document as text; **gives** every rule violation found, each with file,
//! line and column. The rules so far:
//!
//! | id | severity | rule |
//! |---|---|---|
//! | `well-formed` | error | the document is well-formed XML |
//! | `unique-id` | error | every `xml:id` is unique |
//! | `pointer-resolves` | error | every local pointer (`#id` in `@ref`, `@corresp`, `@target`, `@hand`, `@scribeRef`, `@copyOf`, …) names an `xml:id` of the document |
//! | `iso-date` | error | `@when`, `@from`, `@to`, `@notBefore`, `@notAfter` hold ISO 8601 dates, and `from` ≤ `to`, `notBefore` ≤ `notAfter` |
//!
//! **Does not** check the schema: that is the RELAX NG validator's job.

use crate::diagnostic::{Diagnostic, LineIndex, Location};
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::path::Path;

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

const DATE_ATTRIBUTES: &[&str] = &["when", "from", "to", "notBefore", "notAfter"];

/// Elements whose `@from`/`@to` are not dates (page ranges, spans of a text).
const NON_DATE_RANGES: &[&str] = &["biblScope", "citedRange", "locus", "span", "spanGrp"];

/// Checks `text` (the contents of `path`) against every rule.
pub fn check_document(path: &Path, text: &str) -> Vec<Diagnostic> {
    match crate::xml::parse(path, text, crate::xml::ReadLimits::default()) {
        Ok(doc) => check_parsed(path, text, &doc),
        Err(mut diagnostic) => {
            diagnostic.message = format!("[well-formed] {}", diagnostic.message);
            vec![diagnostic]
        }
    }
}

/// Checks a document already parsed from `text`.
pub fn check_parsed(path: &Path, text: &str, doc: &roxmltree::Document) -> Vec<Diagnostic> {
    let index = LineIndex::new(text);
    let locate = |offset: usize| {
        let (line, column) = index.line_column(text, offset);
        Location::new(path, line, column)
    };
    let mut diagnostics = Vec::new();
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        if let Some(id) = node.attribute((roxmltree::NS_XML_URI, "id")) {
            let offset = node.range().start;
            match ids.entry(id) {
                Entry::Occupied(first) => {
                    let first = locate(*first.get());
                    diagnostics.push(Diagnostic::error(
                        locate(offset),
                        format!(
                            "[unique-id] duplicate xml:id `{id}`; first used at {}:{}",
                            first.line, first.column
                        ),
                    ));
                }
                Entry::Vacant(slot) => {
                    slot.insert(offset);
                }
            }
        }
    }
    for node in doc.descendants().filter(|n| n.is_element()) {
        let datable = !NON_DATE_RANGES.contains(&node.tag_name().name());
        for attribute in node.attributes() {
            if attribute.namespace().is_some() {
                continue;
            }
            let name = attribute.name();
            if POINTER_ATTRIBUTES.contains(&name) {
                for token in attribute.value().split_whitespace() {
                    if let Some(id) = token.strip_prefix('#') {
                        if !ids.contains_key(id) {
                            diagnostics.push(Diagnostic::error(
                                locate(attribute.range().start),
                                format!(
                                    "[pointer-resolves] @{name} points to `#{id}` on <{}>, but no element has xml:id `{id}`",
                                    node.tag_name().name()
                                ),
                            ));
                        }
                    }
                }
            }
            if datable && DATE_ATTRIBUTES.contains(&name) && !is_iso_date(attribute.value()) {
                diagnostics.push(Diagnostic::error(
                    locate(attribute.range().start),
                    format!(
                        "[iso-date] @{name}=\"{}\" on <{}> is not an ISO 8601 date; expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with an optional offset",
                        attribute.value(),
                        node.tag_name().name()
                    ),
                ));
            }
        }
        for (low, high) in [("from", "to"), ("notBefore", "notAfter")] {
            if let (true, Some(a), Some(b)) = (datable, node.attribute(low), node.attribute(high)) {
                // ISO dates of the same precision order as strings; compare the common precision.
                let n = a.len().min(b.len()).min(10);
                if is_iso_date(a) && is_iso_date(b) && a[..n] > b[..n] {
                    diagnostics.push(Diagnostic::error(
                        locate(node.range().start),
                        format!(
                            "[iso-date] @{low}=\"{a}\" is after @{high}=\"{b}\" on <{}>",
                            node.tag_name().name()
                        ),
                    ));
                }
            }
        }
    }
    diagnostics.sort_by(|a, b| a.location.cmp(&b.location));
    diagnostics
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
    let (date, time) = match value.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (value, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let date_ok = match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [y, m, d] => {
            digits(y, 4)
                && digits(m, 2)
                && digits(d, 2)
                && crate::convert::CivilDate::new(
                    y.parse().unwrap_or(0),
                    m.parse().unwrap_or(0),
                    d.parse().unwrap_or(0),
                )
                .is_some()
        }
        _ => false,
    };
    let time_ok = match time {
        None => true,
        Some(t) => {
            if parts.len() != 3 {
                return false;
            }
            let (clock, zone) = match t.find(['+', '-', 'Z']) {
                Some(i) => (&t[..i], &t[i..]),
                None => (t, ""),
            };
            let c: Vec<&str> = clock.split(':').collect();
            let clock_ok = c.len() == 3
                && c.iter().all(|p| digits(p, 2))
                && c[0] < "24"
                && c[1] < "60"
                && c[2] < "61";
            let zone_ok = zone.is_empty()
                || zone == "Z"
                || (zone.len() == 6
                    && digits(&zone[1..3], 2)
                    && &zone[3..4] == ":"
                    && digits(&zone[4..], 2));
            clock_ok && zone_ok
        }
    };
    date_ok && time_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(xml: &str) -> Vec<String> {
        check_document(Path::new("t.xml"), xml)
            .into_iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn duplicate_ids_and_dangling_pointers() {
        let found = check("<r xml:id=\"a\">\n<x xml:id=\"a\"/><y ref=\"#a #b\"/></r>");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].starts_with(
                "t.xml:2:1: error: [unique-id] duplicate xml:id `a`; first used at 1:1"
            ),
            "{found:?}"
        );
        assert!(
            found[1].contains("[pointer-resolves] @ref points to `#b` on <y>"),
            "{found:?}"
        );
    }

    #[test]
    fn dates_and_order() {
        let found = check(
            "<r><date when=\"1973-02-30\"/><date from=\"1973-05-23\" to=\"1973-05-17\"/></r>",
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("not an ISO 8601 date"));
        assert!(found[1].contains("is after"));
    }

    #[test]
    fn not_well_formed() {
        let found = check("<r>\n  <a></b>\n</r>");
        assert!(found[0].starts_with("t.xml:2:"), "{found:?}");
        assert!(found[0].contains("[well-formed]"));
    }
}

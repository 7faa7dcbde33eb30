//! Recording a comparison in the new revision's `revisionDesc`, so the TEI carries its history.
//!
//! The entry is inserted into the text of the file, which is otherwise left byte for byte as it
//! was: `<change when="…" who="…">3 changes: 2 text, 1 attribute</change>` at the end of the
//! `revisionDesc`, or in a new `revisionDesc` at the end of the `teiHeader`. The element prefix is
//! the one the document uses for `teiHeader`; the result must parse before it is written.

use crate::base::diagnostic::{Diagnostic, Location};
use crate::xml::{parse, ReadLimits};
use std::path::Path;

/// Who recorded the change and when.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    /// `@who`: a pointer to the person or agent (`#editor1`).
    pub who: &'a str,
    /// `@when`: an ISO 8601 date.
    pub when: &'a str,
    /// The entry's text (the summary of the changes).
    pub summary: &'a str,
}

/// The text of `path` (`text`) with the change entry added.
pub fn add_change(path: &Path, text: &str, record: &Record) -> Result<String, Diagnostic> {
    if !crate::relaxng::datatype::is_w3c_temporal(record.when) {
        return Err(Diagnostic::error(
            Location::file_start(path),
            format!("`{}` is not an ISO 8601 date for @when", record.when),
        ));
    }
    let doc = parse(path, text, ReadLimits::default())?;
    let header = doc
        .descendants()
        .find(|n| n.tag_name().name() == "teiHeader")
        .ok_or_else(|| {
            Diagnostic::error(
                Location::file_start(path),
                "no teiHeader to record the change in",
            )
        })?;
    // The prefix the document writes the header with ("" for the default namespace).
    let start = header.range().start;
    let qname: String = text[start + 1..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
        .collect();
    let prefix = qname.strip_suffix("teiHeader").unwrap_or("");
    let change = format!(
        "<{prefix}change when=\"{}\" who=\"{}\">{}</{prefix}change>",
        crate::xml::escape(record.when),
        crate::xml::escape(record.who),
        crate::xml::escape(record.summary)
    );
    let indent_of = |offset: usize| -> String {
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        text[line_start..offset]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect()
    };
    let existing = header
        .children()
        .find(|n| n.tag_name().name() == "revisionDesc");
    let (at, insertion) = match existing {
        Some(desc) => {
            let range = desc.range();
            let element = &text[range.clone()];
            if element.ends_with("/>") {
                // <revisionDesc/> becomes an element with the change inside.
                let open = element.trim_end_matches("/>").trim_end();
                let indent = indent_of(range.start);
                let replaced =
                    format!("{open}>\n{indent}  {change}\n{indent}</{prefix}revisionDesc>");
                let mut out = String::with_capacity(text.len() + replaced.len());
                out.push_str(&text[..range.start]);
                out.push_str(&replaced);
                out.push_str(&text[range.end..]);
                return verified(path, out);
            }
            let close = range.end - element.len() + element.rfind("</").unwrap_or(element.len());
            let indent = indent_of(range.start);
            (close, format!("  {change}\n{indent}"))
        }
        None => {
            let range = header.range();
            let element = &text[range.clone()];
            let close = range.start + element.rfind("</").unwrap_or(element.len());
            let indent = indent_of(range.start);
            (
                close,
                format!("  <{prefix}revisionDesc>\n{indent}    {change}\n{indent}  </{prefix}revisionDesc>\n{indent}"),
            )
        }
    };
    let mut out = String::with_capacity(text.len() + insertion.len());
    out.push_str(&text[..at]);
    out.push_str(&insertion);
    out.push_str(&text[at..]);
    verified(path, out)
}

fn verified(path: &Path, text: String) -> Result<String, Diagnostic> {
    parse(path, &text, ReadLimits::default())?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(text: &str) -> String {
        add_change(
            Path::new("t.xml"),
            text,
            &Record {
                who: "#ed",
                when: "2026-11-28",
                summary: "1 change: 1 text",
            },
        )
        .unwrap()
    }

    #[test]
    fn into_an_existing_revision_description() {
        let out = record("<TEI><teiHeader>\n  <revisionDesc>\n    <change/>\n  </revisionDesc>\n</teiHeader></TEI>");
        assert_eq!(
            out,
            "<TEI><teiHeader>\n  <revisionDesc>\n    <change/>\n    <change when=\"2026-11-28\" who=\"#ed\">1 change: 1 text</change>\n  </revisionDesc>\n</teiHeader></TEI>"
        );
    }

    #[test]
    fn into_a_new_one_with_the_documents_prefix() {
        let out = record(
            "<t:TEI xmlns:t=\"x\">\n  <t:teiHeader>\n    <t:fileDesc/>\n  </t:teiHeader>\n</t:TEI>",
        );
        assert!(out.contains("<t:revisionDesc>\n      <t:change when=\"2026-11-28\" who=\"#ed\">1 change: 1 text</t:change>\n    </t:revisionDesc>\n  </t:teiHeader>"), "{out}");
        let empty = record("<TEI><teiHeader><revisionDesc/></teiHeader></TEI>");
        assert!(
            empty.contains("<revisionDesc>\n  <change when=\"2026-11-28\""),
            "{empty}"
        );
    }

    #[test]
    fn refuses_bad_dates_and_documents_without_a_header() {
        let bad = add_change(
            Path::new("t.xml"),
            "<TEI><teiHeader/></TEI>",
            &Record {
                who: "#ed",
                when: "tomorrow",
                summary: "x",
            },
        );
        assert!(bad.unwrap_err().message.contains("not an ISO 8601 date"));
        let none = add_change(
            Path::new("t.xml"),
            "<TEI/>",
            &Record {
                who: "#ed",
                when: "2026-11-28",
                summary: "x",
            },
        );
        assert!(none.unwrap_err().message.contains("no teiHeader"));
    }
}

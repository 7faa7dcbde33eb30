//! Rules on the structure of documentary editions (as the FRUS Schematron has them):
//! `footnote-sequence`, `note-spacing`, `page-order`, `source-note`.

use super::{Context, RuleId, RuleSet};
use crate::base::pages::PageNumber;

fn is_document_div(node: &roxmltree::Node) -> bool {
    node.tag_name().name() == "div" && node.attribute("type") == Some("document")
}

pub(super) fn check(cx: &mut Context, rules: &RuleSet) {
    let doc = cx.doc;
    for div in doc.descendants().filter(is_document_div) {
        let div_id = div.attribute((roxmltree::NS_XML_URI, "id"));
        // Notes of this document, not of a document nested in it.
        let notes: Vec<roxmltree::Node> = div
            .descendants()
            .filter(|n| n.tag_name().name() == "note" && n.attribute("n").is_some())
            .filter(|n| n.ancestors().find(is_document_div) == Some(div))
            .collect();
        if rules.enabled(RuleId::FootnoteSequence) {
            // Notes marked `*`, `**` stand outside the numbering; a volume may number its source
            // notes 0 and the rest from 1.
            let numbered: Vec<&roxmltree::Node> = notes
                .iter()
                .filter(|n| !n.attribute("n").unwrap_or("").chars().all(|c| c == '*'))
                .collect();
            let first = match numbered.first().and_then(|n| n.attribute("n")) {
                Some("0") => 0,
                _ => 1,
            };
            for (i, note) in numbered.into_iter().enumerate() {
                let expected = first + i;
                let n = note.attribute("n").unwrap_or("");
                if n.parse::<usize>().ok() != Some(expected) {
                    cx.report(
                        RuleId::FootnoteSequence,
                        note.range().start,
                        *note,
                        format!("note numbered `{n}` where note {expected} was expected"),
                    );
                    continue;
                }
                if let Some(div_id) = div_id {
                    let want = format!("{div_id}fn{n}");
                    let id = note.attribute((roxmltree::NS_XML_URI, "id"));
                    if id != Some(want.as_str()) {
                        cx.report(
                            RuleId::FootnoteSequence,
                            note.range().start,
                            *note,
                            format!("note {n} has xml:id `{}`; expected `{want}` (document id + \"fn\" + number)", id.unwrap_or("")),
                        );
                    }
                }
            }
        }
        if rules.enabled(RuleId::NoteSpacing) {
            for note in &notes {
                let before = note.prev_sibling().and_then(|s| s.text());
                if before.is_some_and(|t| t.ends_with(char::is_whitespace)) {
                    cx.report(
                        RuleId::NoteSpacing,
                        note.range().start,
                        *note,
                        format!("whitespace before note {}; a footnote follows its word or punctuation directly", note.attribute("n").unwrap_or("")),
                    );
                }
            }
        }
        if rules.enabled(RuleId::SourceNote)
            && div.attribute("subtype") == Some("historical-document")
        {
            let has_source = div.descendants().any(|n| {
                n.tag_name().name() == "note"
                    && n.attribute("type") == Some("source")
                    && n.descendants()
                        .filter(|t| t.is_text())
                        .map(|t| t.text().unwrap_or(""))
                        .collect::<String>()
                        .trim_start()
                        .trim_start_matches('[')
                        .starts_with("Source:")
            });
            if !has_source {
                cx.report(
                    RuleId::SourceNote,
                    div.range().start,
                    div,
                    "historical document without a source note; expected a <note type=\"source\"> beginning \"Source:\"".to_string(),
                );
            }
        }
    }
    if rules.enabled(RuleId::PageOrder) {
        let mut last: Option<(PageNumber, usize)> = None;
        for pb in doc.descendants().filter(|n| n.tag_name().name() == "pb") {
            let Some(number) = pb.attribute("n").and_then(PageNumber::parse) else {
                continue;
            };
            if let Some((previous, offset)) = &last {
                if previous.roman == number.roman && number.value <= previous.value {
                    let (line, column) = cx.line_column(*offset);
                    let what = if number.value == previous.value {
                        "repeats"
                    } else {
                        "comes before"
                    };
                    cx.report(
                        RuleId::PageOrder,
                        pb.range().start,
                        pb,
                        format!("page {} {what} page {} (at {line}:{column}); pages must be in order, each once", number.label, previous.label),
                    );
                }
            }
            last = Some((number, pb.range().start));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::tests::check;

    const GOOD: &str = r#"<TEI><text><body><div type="document" subtype="historical-document" xml:id="d1"><head>1. A<note n="1" xml:id="d1fn1" type="source">Source: Files.</note></head><p>x.<note n="2" xml:id="d1fn2">y</note> <pb n="2"/> <pb n="3"/></p></div></body></text></TEI>"#;

    #[test]
    fn a_good_document_passes() {
        assert_eq!(check(GOOD), Vec::<String>::new());
    }

    #[test]
    fn footnotes_out_of_sequence_or_misnamed() {
        let found = check(&GOOD.replace(r#"n="2" xml:id="d1fn2""#, r#"n="3" xml:id="d1fn3""#));
        assert_eq!(
            found,
            ["t.xml:1:165: error[footnote-sequence]: note numbered `3` where note 2 was expected (in /TEI/text/body/div/p/note)"]
        );
        let found = check(&GOOD.replace(r#"xml:id="d1fn2""#, r#"xml:id="n2""#));
        assert_eq!(
            found,
            ["t.xml:1:165: error[footnote-sequence]: note 2 has xml:id `n2`; expected `d1fn2` (document id + \"fn\" + number) (in /TEI/text/body/div/p/note)"]
        );
    }

    #[test]
    fn notes_numbered_from_zero_and_notes_marked_with_asterisks_are_in_sequence() {
        let zero = GOOD
            .replace(r#"n="1" xml:id="d1fn1""#, r#"n="0" xml:id="d1fn0""#)
            .replace(r#"n="2" xml:id="d1fn2""#, r#"n="1" xml:id="d1fn1""#);
        assert_eq!(check(&zero), Vec::<String>::new());
        let starred = GOOD.replace(
            "x.<note",
            r#"x.<note n="*" xml:id="d1fnstar">z</note> w.<note n="**" xml:id="d1fnstar2">z</note><note"#,
        );
        assert_eq!(check(&starred), Vec::<String>::new());
        // Zero only as the start: 1, 0 is out of sequence.
        let found = check(&GOOD.replace(r#"n="2" xml:id="d1fn2""#, r#"n="0" xml:id="d1fn0""#));
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn whitespace_before_a_note() {
        let found = check(&GOOD.replace("x.<note", "x. <note"));
        assert_eq!(
            found,
            ["t.xml:1:166: warning[note-spacing]: whitespace before note 2; a footnote follows its word or punctuation directly (in /TEI/text/body/div/p/note)"]
        );
    }

    #[test]
    fn pages_out_of_order_or_repeated() {
        let found = check(&GOOD.replace(r#"<pb n="3"/>"#, r#"<pb n="1"/>"#));
        assert_eq!(
            found,
            ["t.xml:1:213: error[page-order]: page 1 comes before page 2 (at 1:201); pages must be in order, each once (in /TEI/text/body/div/p/pb[2])"]
        );
        let found = check(&GOOD.replace(r#"<pb n="3"/>"#, r#"<pb n="2"/>"#));
        assert_eq!(
            found,
            ["t.xml:1:213: error[page-order]: page 2 repeats page 2 (at 1:201); pages must be in order, each once (in /TEI/text/body/div/p/pb[2])"]
        );
    }

    #[test]
    fn historical_document_needs_a_source_note() {
        let found = check(&GOOD.replace("Source: Files.", "Files."));
        assert_eq!(
            found,
            ["t.xml:1:18: error[source-note]: historical document without a source note; expected a <note type=\"source\"> beginning \"Source:\" (in /TEI/text/body/div)"]
        );
        let inline = GOOD.replace(
            r#"<note n="1" xml:id="d1fn1" type="source">Source: Files.</note>"#,
            r#"<note xml:id="d1fnsource" type="source" place="inline">[Source: Files.]</note>"#,
        );
        assert_eq!(
            check(&inline).len(),
            1,
            "only the numbering of note 2 is off"
        );
        let editorial = GOOD
            .replace("historical-document", "editorial-note")
            .replace("Source: Files.", "Files.");
        assert!(
            check(&editorial).is_empty(),
            "only historical documents need one"
        );
    }
}

//! Rules on the structure of documentary editions (as the FRUS Schematron has them):
//! `footnote-sequence`, `note-spacing`, `page-order`, `source-note`, `document-numbering`,
//! `nested-note`, `empty-element`.

use super::{Context, RuleId, RuleSet};
use crate::base::pages::PageNumber;

pub(super) fn is_document_div(node: &roxmltree::Node) -> bool {
    node.tag_name().name() == "div" && node.attribute("type") == Some("document")
}

/// What the walk gathers for these rules; [`Check::report`] judges it.
pub(super) struct Check<'a, 'd> {
    rules: &'a RuleSet,
    /// The document divisions, each with its own numbered notes (not those of a document nested
    /// in it) and whether it holds a source note.
    documents: Vec<Document<'a, 'd>>,
    /// The page breaks with a page number, in order.
    pages: Vec<(roxmltree::Node<'a, 'd>, PageNumber)>,
    /// Footnotes holding another note, with the first note they hold.
    nested_notes: Vec<(roxmltree::Node<'a, 'd>, roxmltree::Node<'a, 'd>)>,
    /// Elements that must have text and have none.
    empty: Vec<roxmltree::Node<'a, 'd>>,
}

/// Elements that FRUS requires to have text.
const MUST_HAVE_TEXT: &[&str] = &["p", "persName", "placeName", "seg", "gloss"];

struct Document<'a, 'd> {
    div: roxmltree::Node<'a, 'd>,
    notes: Vec<roxmltree::Node<'a, 'd>>,
    has_source_note: bool,
}

impl<'a, 'd> Check<'a, 'd> {
    pub(super) fn new(rules: &'a RuleSet) -> Self {
        Check {
            rules,
            documents: Vec::new(),
            pages: Vec::new(),
            nested_notes: Vec::new(),
            empty: Vec::new(),
        }
    }

    /// Takes in one element of the walk (in document order, so a division comes before what
    /// it holds).
    pub(super) fn element(&mut self, node: roxmltree::Node<'a, 'd>) {
        match node.tag_name().name() {
            "div" if is_document_div(&node) => self.documents.push(Document {
                div: node,
                notes: Vec::new(),
                has_source_note: false,
            }),
            "note" => {
                if node.attribute("n").is_some() {
                    if let Some(owner) = node.ancestors().find(is_document_div) {
                        if let Some(document) =
                            self.documents.iter_mut().rev().find(|d| d.div == owner)
                        {
                            document.notes.push(node);
                        }
                    }
                }
                if is_source_note(node) {
                    for document in self.documents.iter_mut() {
                        if node.ancestors().any(|a| a == document.div) {
                            document.has_source_note = true;
                        }
                    }
                }
            }
            "pb" => {
                if let Some(number) = node.attribute("n").and_then(PageNumber::parse) {
                    self.pages.push((node, number));
                }
            }
            name if MUST_HAVE_TEXT.contains(&name) && self.rules.enabled(RuleId::EmptyElement) => {
                let has_text = node
                    .descendants()
                    .any(|t| t.is_text() && t.text().is_some_and(|t| !t.trim().is_empty()));
                if !has_text {
                    self.empty.push(node);
                }
            }
            _ => {}
        }
        if node.tag_name().name() == "note"
            && !is_inline(node)
            && self.rules.enabled(RuleId::NestedNote)
        {
            if let Some(inner) = node
                .descendants()
                .skip(1)
                .find(|d| d.is_element() && d.tag_name().name() == "note")
            {
                self.nested_notes.push((node, inner));
            }
        }
    }

    /// Reports what the walk found: each document's notes and source note, then the pages.
    pub(super) fn report(self, cx: &mut Context) {
        for document in &self.documents {
            if self.rules.enabled(RuleId::FootnoteSequence) {
                footnote_sequence(cx, document, &self.pages);
            }
            if self.rules.enabled(RuleId::NoteSpacing) {
                for note in &document.notes {
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
            if self.rules.enabled(RuleId::SourceNote)
                && document.div.attribute("subtype") == Some("historical-document")
                && !document.has_source_note
            {
                cx.report(
                    RuleId::SourceNote,
                    document.div.range().start,
                    document.div,
                    "historical document without a source note; expected a <note type=\"source\"> naming the archival source (`Source: …`, or a file number such as `File No. 763.72/1140`); a document printed without one may stand so".to_string(),
                );
            }
        }
        if self.rules.enabled(RuleId::PageOrder) {
            page_order(cx, &self.pages);
        }
        if self.rules.enabled(RuleId::DocumentNumbering) {
            document_numbering(cx, &self.documents);
        }
        for (note, inner) in &self.nested_notes {
            cx.report(
                RuleId::NestedNote,
                inner.range().start,
                *inner,
                format!(
                    "a note inside footnote {}; a footnote cannot hold another (FRUS: notes stand side by side; an inline note, rend=\"inline\", may be inside)",
                    note.attribute("n").unwrap_or("")
                ),
            );
        }
        for element in &self.empty {
            let name = element.tag_name().name();
            cx.report(
                RuleId::EmptyElement,
                element.range().start,
                *element,
                format!("empty <{name}>; FRUS requires a {name} to have text: remove it, or give it its text"),
            );
        }
    }
}

/// Whether `note` is printed inline (`rend="inline"`, or `place="inline"` as the converter
/// writes an inline source note).
fn is_inline(note: roxmltree::Node) -> bool {
    note.attribute("rend") == Some("inline") || note.attribute("place") == Some("inline")
}

/// Each document whose `@n` is a number follows the number of the numbered document before it.
/// Documents numbered in brackets (`[1]`, outside the run of numbers) are not counted.
fn document_numbering(cx: &mut Context, documents: &[Document]) {
    let mut previous: Option<(u64, &roxmltree::Node)> = None;
    for document in documents {
        let Some(n) = document
            .div
            .attribute("n")
            .and_then(|n| n.trim().parse::<u64>().ok())
        else {
            continue;
        };
        if let Some((before, div)) = previous {
            if n != before + 1 {
                let (line, column) = cx.line_column(div.range().start);
                cx.report(
                    RuleId::DocumentNumbering,
                    document.div.range().start,
                    document.div,
                    format!("document {n} follows document {before} (at {line}:{column}); a volume numbers its documents consecutively"),
                );
            }
        }
        previous = Some((n, &document.div));
    }
}

/// Whether `note` is a source note: `type="source"` with text. FRUS prints the archival source
/// in several forms over its eras — `Source: …` since the 1950s volumes, a file number such as
/// `File No. 763.72/1140` or `711.94/1234: Telegram`, `Treasury Files` — and encodes each as
/// such a note.
fn is_source_note(note: roxmltree::Node) -> bool {
    note.attribute("type") == Some("source")
        && note
            .descendants()
            .any(|t| t.is_text() && t.text().is_some_and(|t| !t.trim().is_empty()))
}

/// The numbered notes of a document follow one another. Notes marked `*`, `**` stand outside
/// the numbering. The run may begin at any number (a volume that numbers its source notes 0, a
/// chapter whose numbering continues from document to document: 50, 51…), and it may begin
/// again at 1 after a page break (notes numbered per page, as the older volumes print them).
/// Ids are the document's id, `fn` and the number, with `_2`, `_3`… for a number used again.
fn footnote_sequence(
    cx: &mut Context,
    document: &Document,
    pages: &[(roxmltree::Node, PageNumber)],
) {
    let div_id = document.div.attribute((roxmltree::NS_XML_URI, "id"));
    let numbered: Vec<&roxmltree::Node> = document
        .notes
        .iter()
        .filter(|n| !n.attribute("n").unwrap_or("").chars().all(|c| c == '*'))
        .collect();
    let page_turns_between = |from: usize, to: usize| {
        let first_after = pages.partition_point(|(pb, _)| pb.range().start < from);
        pages
            .get(first_after)
            .is_some_and(|(pb, _)| pb.range().start < to)
    };
    let mut expected: Option<usize> = None;
    let mut previous_end = 0;
    let mut used: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for note in numbered {
        let n = note.attribute("n").unwrap_or("");
        let number = n.parse::<usize>().ok();
        let restarts_on_new_page =
            number == Some(1) && page_turns_between(previous_end, note.range().start);
        match (number, expected) {
            (Some(number), Some(want)) if number != want && !restarts_on_new_page => {
                cx.report(
                    RuleId::FootnoteSequence,
                    note.range().start,
                    *note,
                    format!("note numbered `{n}` where note {want} was expected (or 1 after a page break, where notes are numbered per page)"),
                );
            }
            (None, _) => {
                cx.report(
                    RuleId::FootnoteSequence,
                    note.range().start,
                    *note,
                    format!("note numbered `{n}`; expected a number (or `*` for a note outside the numbering)"),
                );
            }
            _ => {}
        }
        expected = number.map(|number| number + 1).or(expected);
        previous_end = note.range().end;
        let times = used.entry(n).or_insert(0);
        *times += 1;
        if let (Some(div_id), Some(_)) = (div_id, number) {
            let want = match *times {
                1 => format!("{div_id}fn{n}"),
                k => format!("{div_id}fn{n}_{k}"),
            };
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

/// Page breaks in order, each page once (arabic and roman numbers each in their own sequence).
fn page_order(cx: &mut Context, pages: &[(roxmltree::Node, PageNumber)]) {
    let mut last: Option<(&PageNumber, usize)> = None;
    for (pb, number) in pages {
        if let Some((previous, offset)) = last {
            if previous.roman == number.roman && number.value <= previous.value {
                let (line, column) = cx.line_column(offset);
                let what = if number.value == previous.value {
                    "repeats"
                } else {
                    "comes before"
                };
                cx.report(
                    RuleId::PageOrder,
                    pb.range().start,
                    *pb,
                    format!("page {} {what} page {} (at {line}:{column}); pages must be in order, each once", number.label, previous.label),
                );
            }
        }
        last = Some((number, pb.range().start));
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
            ["t.xml:1:165: error[footnote-sequence]: note numbered `3` where note 2 was expected (or 1 after a page break, where notes are numbered per page) (in /TEI/text/body/div/p/note)"]
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
    fn notes_numbered_per_page_or_continuing_a_chapter_are_in_sequence() {
        // Per page: 1, 2, then 1 again after the page turns; the repeated number gets `_2`.
        let per_page = r#"<TEI><text><body><div type="document" subtype="historical-document" xml:id="d1"><head>A<note n="1" xml:id="d1fn1" type="source">File No. 1.</note></head><p>x.<note n="2" xml:id="d1fn2">y</note> <pb n="2"/> z.<note n="1" xml:id="d1fn1_2">w</note></p></div></body></text></TEI>"#;
        assert_eq!(check(per_page), Vec::<String>::new());
        // Without the page break, 1 after 2 is out of sequence.
        let found = check(&per_page.replace(r#"<pb n="2"/>"#, ""));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("note numbered `1` where note 3"),
            "{found:?}"
        );
        // A chapter's numbering continued: 50, 51.
        let continued = GOOD
            .replace(r#"n="1" xml:id="d1fn1""#, r#"n="50" xml:id="d1fn50""#)
            .replace(r#"n="2" xml:id="d1fn2""#, r#"n="51" xml:id="d1fn51""#);
        assert_eq!(check(&continued), Vec::<String>::new());
    }

    #[test]
    fn historical_document_without_a_source_note_is_a_warning() {
        let found = check(&GOOD.replace("Source: Files.", ""));
        assert_eq!(
            found,
            ["t.xml:1:18: warning[source-note]: historical document without a source note; expected a <note type=\"source\"> naming the archival source (`Source: …`, or a file number such as `File No. 763.72/1140`); a document printed without one may stand so (in /TEI/text/body/div)"]
        );
        // Older volumes print the source as a file number: that is a source note too.
        let file_number = GOOD.replace("Source: Files.", "File No. 763.72/1140");
        assert_eq!(check(&file_number), Vec::<String>::new());
        let inline = GOOD.replace(
            r#"<note n="1" xml:id="d1fn1" type="source">Source: Files.</note>"#,
            r#"<note xml:id="d1fnsource" type="source" place="inline">[Source: Files.]</note>"#,
        );
        assert_eq!(
            check(&inline),
            Vec::<String>::new(),
            "an inline source note; the notes then begin at 2"
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

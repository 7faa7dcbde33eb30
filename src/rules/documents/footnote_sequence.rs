//! `footnote-sequence`: a document's notes are numbered in sequence, with ids that follow.

use super::Document;
use crate::base::pages::PageNumber;
use crate::rules::{Context, RuleId};

/// The numbered notes of a document follow one another. Notes marked `*`, `**` stand outside
/// the numbering. The run may begin at any number (a volume that numbers its source notes 0, a
/// chapter whose numbering continues from document to document: 50, 51…), and it may begin
/// again at 1 after a page break (notes numbered per page, as the older volumes print them).
/// Ids are the document's id, `fn` and the number, with `_2`, `_3`… for a number used again.
pub(super) fn check(
    cx: &mut Context,
    document: &Document,
    pages: &[(roxmltree::Node, PageNumber)],
) {
    let div_id = document.div.attribute((roxmltree::NS_XML_URI, "id"));
    let mut numbered: Vec<&roxmltree::Node> = document
        .notes
        .iter()
        .filter(|n| !n.attribute("n").unwrap_or("").chars().all(|c| c == '*'))
        .collect();
    // The notes of the document's head and opener are one group, in any order: a rendering
    // may print the title (with its note 2) above the source line (with note 1) that the
    // volume prints first.
    let top = numbered
        .iter()
        .take_while(|note| in_top_matter(document.div, note))
        .count();
    numbered[..top].sort_by_key(|note| note.attribute("n").and_then(|n| n.parse::<usize>().ok()));
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

/// Whether `note` stands in the top matter of the document `div`: its title, opener, byline,
/// dateline and the like (TEI's `divTop`), not its text.
fn in_top_matter(div: roxmltree::Node, note: &roxmltree::Node) -> bool {
    const TOP: &[&str] = &[
        "head",
        "opener",
        "byline",
        "dateline",
        "docAuthor",
        "docDate",
        "argument",
        "epigraph",
        "salute",
        "meeting",
    ];
    note.ancestors()
        .take_while(|a| *a != div)
        .last()
        .is_some_and(|child| TOP.contains(&child.tag_name().name()))
}

#[cfg(test)]
mod tests {
    use super::super::tests::GOOD;
    use crate::rules::tests::check;

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
        // The head's note before the opener's, where the volume prints the source line (and
        // its note 1) above the title: one group, in sequence.
        let swapped = r#"<TEI><text><body><div type="document" subtype="historical-document" xml:id="d1"><head>A<note n="2" xml:id="d1fn2">y</note></head><opener><seg>Files<note n="1" xml:id="d1fn1" type="source">Lot 1.</note></seg></opener><p>x.<note n="3" xml:id="d1fn3">w</note></p></div></body></text></TEI>"#;
        assert_eq!(check(swapped), Vec::<String>::new());
        // Not so in the text: 2 then 1 in paragraphs is out of sequence.
        let found = check(
            &swapped
                .replace("<head>A<note", "<head>A</head><p>a<note")
                .replace("y</note></head>", "y</note></p>"),
        );
        assert_eq!(found.len(), 2, "{found:?}");
        // A chapter's numbering continued: 50, 51.
        let continued = GOOD
            .replace(r#"n="1" xml:id="d1fn1""#, r#"n="50" xml:id="d1fn50""#)
            .replace(r#"n="2" xml:id="d1fn2""#, r#"n="51" xml:id="d1fn51""#);
        assert_eq!(check(&continued), Vec::<String>::new());
    }
}

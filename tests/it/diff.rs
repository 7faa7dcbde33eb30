//! `teikit diff`: cosmetic revisions report nothing; known edits are reported exactly, each
//! once, at the right place.

use crate::common;
use crate::common::*;
use std::path::Path;
use teikit::diff::{diff, ChangeKind, Normalisation, Side};

fn memo() -> String {
    std::fs::read_to_string(root().join("tei/frus1969-76v10/d59.xml")).unwrap()
}

/// The Office of the Historian's 2.2 MB monograph from the reference data (None, outside CI,
/// when the data is missing: `reference_dir` decides).
fn frus_history() -> Option<String> {
    let reference = reference_dir()?;
    Some(
        std::fs::read_to_string(reference.join("corpus/valid-or-invalid/frus-history.xml"))
            .unwrap(),
    )
}

fn changes(old: &str, new: &str) -> Vec<teikit::diff::Change> {
    let a = Side::new(Path::new("old.xml"), old, Normalisation::default()).unwrap();
    let b = Side::new(Path::new("new.xml"), new, Normalisation::default()).unwrap();
    diff(&a, &b)
}

/// Each change as (context, a line saying what changed), to compare with what is expected.
fn summarise(found: &[teikit::diff::Change]) -> Vec<(String, String)> {
    found
        .iter()
        .map(|c| {
            let kind = match &c.kind {
                ChangeKind::Text { old, new } => format!("text {} → {}", old.len(), new.len()),
                ChangeKind::Attribute { name, old, new } => {
                    format!("attribute {name} {old:?} → {new:?}")
                }
                ChangeKind::Inserted { what } => format!("inserted {what}"),
                ChangeKind::Deleted { what } => format!("deleted {what}"),
                ChangeKind::Moved { what, .. } => format!("moved {what}"),
                ChangeKind::Renamed { old, new } => format!("renamed {old} → {new}"),
                ChangeKind::Split { after, .. } => format!("split after {after}"),
                ChangeKind::Joined { after, .. } => format!("joined after {after}"),
            };
            (c.context.clone(), kind)
        })
        .collect()
}

/// Re-indents every line, reflows one paragraph, reorders attributes, swaps empty-element
/// syntax and writes a character as a reference.
fn cosmetic(xml: &str) -> String {
    let mut out: String = xml.lines().map(|l| format!("    {l}\n")).collect();
    out = out.trim_start().to_string();
    out = out.replace(
        "I concluded six days of negotiations",
        "I concluded six\n        days of    negotiations",
    );
    out = out.replace(
        r#"<pb n="287" xml:id="pg_287"/>"#,
        r#"<pb xml:id="pg_287"   n="287" ></pb>"#,
    );
    out = out.replace("communiqué", "communiqu&#233;");
    // Another prefix for the same namespace on the root.
    out = out.replace(
        r#"<TEI xmlns="http://www.tei-c.org/ns/1.0""#,
        r#"<tei:TEI xmlns:tei="http://www.tei-c.org/ns/1.0" xmlns="http://www.tei-c.org/ns/1.0""#,
    );
    out = out.replace("</TEI>", "</tei:TEI>");
    out
}

#[test]
fn cosmetic_revisions_report_nothing() {
    let original = memo();
    let revised = cosmetic(&original);
    assert_ne!(original, revised);
    assert_eq!(changes(&original, &revised), Vec::new());
    let out = {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.xml"), &original).unwrap();
        std::fs::write(dir.path().join("b.xml"), &revised).unwrap();
        teikit_in(dir.path(), &["diff", "a.xml", "b.xml"])
    };
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn known_edits_are_reported_exactly_once_where_they_are() {
    let original = memo();
    let edited = original
        // A word in the first paragraph of the body.
        .replacen(
            "We have agreed to meet again",
            "We have agreed to convene again",
            1,
        )
        // An attribute.
        .replacen(r#"when="1973-06-09""#, r#"when="1973-06-10""#, 1)
        // A page break deleted.
        .replacen(r#" <pb n="288" xml:id="pg_288"/> movement"#, " movement", 1)
        // A note inserted.
        .replacen(
            "at the latest;",
            r#"at the latest;<note n="4" xml:id="d59fn4">A new note.</note>"#,
            1,
        )
        // An element renamed.
        .replacen(
            r#"<label type="run-in">Our Objectives</label>"#,
            r#"<hi type="run-in">Our Objectives</hi>"#,
            1,
        );
    let found = changes(&original, &edited);
    let summary = summarise(&found);
    assert_eq!(found.len(), 5, "{summary:#?}");
    assert!(
        summary
            .iter()
            .any(|(c, k)| c == "div d59 › p 1" && k.starts_with("text")),
        "{summary:#?}"
    );
    let text = found.iter().find_map(|c| match &c.kind {
        ChangeKind::Text { old, new } => Some((old.clone(), new.clone())),
        _ => None,
    });
    let (old, new) = text.unwrap();
    assert!(old.contains("agreed to meet again") && new.contains("agreed to convene again"));
    assert!(
        summary.contains(&(
            "div d59 › p 7 › date 1".into(),
            r#"attribute when Some("1973-06-09") → Some("1973-06-10")"#.into()
        )),
        "{summary:#?}"
    );
    assert!(
        summary
            .iter()
            .any(|(c, k)| c == "div d59 › p 7" && k == r#"deleted <pb xml:id="pg_288">"#),
        "{summary:#?}"
    );
    assert!(
        summary.iter().any(|(c, k)| c == "div d59 › p 9"
            && k.starts_with(r#"inserted <note xml:id="d59fn4"> “A new note.”"#)),
        "{summary:#?}"
    );
    assert!(
        summary.iter().any(|(_, k)| k == "renamed label → hi"),
        "{summary:#?}"
    );
    // Located in both files.
    let attribute = found
        .iter()
        .find(|c| matches!(c.kind, ChangeKind::Attribute { .. }))
        .unwrap();
    assert!(attribute.old.is_some() && attribute.new.is_some());
    assert_eq!(attribute.path, "/TEI/text/body/div/p[7]/date");

    // Cosmetic changes on top change nothing in the report.
    assert_eq!(changes(&original, &cosmetic(&edited)).len(), 5);
}

#[test]
fn an_inserted_note_renumbers_the_notes_after_it() {
    let original = memo();
    // The notes after the new one take the next number and id, as FRUS numbers them.
    let renumbered = original
        .replace(r#"n="3" xml:id="d59fn3""#, r#"n="4" xml:id="d59fn4""#)
        .replace(r#"n="2" xml:id="d59fn2""#, r#"n="3" xml:id="d59fn3""#);
    let at = renumbered.find(r#"<note n="3" xml:id="d59fn3""#).unwrap();
    let revised = format!(
        r#"{}<note n="2" xml:id="d59fn2">An inserted note.</note>{}"#,
        &renumbered[..at],
        &renumbered[at..]
    );
    let mut found = summarise(&changes(&original, &revised));
    found.sort();
    let expected: Vec<(String, String)> = [
        (
            "div d59 › p 1",
            r#"inserted <note xml:id="d59fn2"> “An inserted note.”"#,
        ),
        ("note d59fn3", r#"attribute n Some("2") → Some("3")"#),
        (
            "note d59fn3",
            r#"attribute xml:id Some("d59fn2") → Some("d59fn3")"#,
        ),
        ("note d59fn4", r#"attribute n Some("3") → Some("4")"#),
        (
            "note d59fn4",
            r#"attribute xml:id Some("d59fn3") → Some("d59fn4")"#,
        ),
    ]
    .iter()
    .map(|(c, k)| (c.to_string(), k.to_string()))
    .collect();
    assert_eq!(found, expected);
}

#[test]
fn a_name_tagged_or_untagged_is_the_element_alone() {
    let original = memo();
    let plain = "negotiations in Paris with Le Duc Tho.”";
    assert!(original.contains(plain));
    let tagged = original.replacen(
        plain,
        "negotiations in <placeName>Paris</placeName> with Le Duc Tho.”",
        1,
    );
    assert_eq!(
        summarise(&changes(&original, &tagged)),
        [(
            "p d59_dating".to_string(),
            "inserted <placeName> “Paris”".to_string()
        )],
        "the text is the same: only the element is new"
    );
    assert_eq!(
        summarise(&changes(&tagged, &original)),
        [(
            "p d59_dating".to_string(),
            "deleted <placeName> “Paris”".to_string()
        )]
    );
}

#[test]
fn a_paragraph_split_in_two_or_two_joined_is_one_change() {
    let original = memo();
    let sentence_end = "several private understandings. <persName";
    assert_eq!(original.matches(sentence_end).count(), 1);
    let split = original.replacen(
        sentence_end,
        "several private understandings.</p>\n<p><persName",
        1,
    );
    let after = "split after …as well as several private understandings.";
    assert_eq!(
        summarise(&changes(&original, &split)),
        [("div d59 › p 1".to_string(), after.to_string())]
    );
    assert_eq!(
        summarise(&changes(&split, &original)),
        [(
            "div d59 › p 1".to_string(),
            after.replace("split", "joined")
        )]
    );
    // A split with an edit in it is no mere split: the edit is not hidden.
    let split_and_edited = split.replacen("has gone to", "has flown to", 1);
    let found = summarise(&changes(&original, &split_and_edited));
    assert!(
        found.iter().all(|(_, k)| !k.starts_with("split"))
            && found.iter().any(|(_, k)| k.starts_with("inserted <p>")),
        "{found:#?}"
    );
}

#[test]
fn renamed_elements_and_unrelated_replacements() {
    // A paragraph renamed with a paragraph inside it: two renames, not a deletion and an
    // insertion of the outer one.
    let found = changes(
        "<div><p>Before <quote><p>inner words</p></quote> and after.</p><p>Next.</p></div>",
        "<div><ab>Before <quote><ab>inner words</ab></quote> and after.</ab><p>Next.</p></div>",
    );
    assert_eq!(
        summarise(&found),
        [
            ("div 1 › ab 1".to_string(), "renamed p → ab".to_string()),
            (
                "div 1 › ab 1 › quote 1 › ab 1".into(),
                "renamed p → ab".into()
            ),
        ],
    );
    // A paragraph with another id and other text is another paragraph.
    let found = changes(
        "<div><p xml:id='a'>One text here.</p></div>",
        "<div><p xml:id='b'>Quite another text.</p></div>",
    );
    let kinds: Vec<String> = summarise(&found).into_iter().map(|(_, k)| k).collect();
    assert_eq!(
        kinds,
        [
            r#"inserted <p xml:id="b"> “Quite another text.”"#,
            r#"deleted <p xml:id="a"> “One text here.”"#,
        ]
    );
}

/// The memo's paragraphs in its document `div`: (start, end) of each `<p>…</p>`.
fn memo_paragraphs(memo: &str) -> Vec<(usize, usize)> {
    let body = memo.find(r#"<div type="document""#).unwrap();
    let mut spans = Vec::new();
    let mut at = body;
    while let Some(start) = memo[at..].find("<p>").map(|p| at + p) {
        let end = start + memo[start..].find("</p>").unwrap() + "</p>".len();
        spans.push((start, end));
        at = end;
    }
    spans
}

#[test]
fn a_paragraph_moved_and_edited_is_a_move_and_the_edit() {
    let original = memo();
    let spans = memo_paragraphs(&original);
    let (third, sixth) = (spans[2], spans[5]);
    let paragraph = &original[third.0..third.1];
    let edited = paragraph.replacen(" the ", " THE ", 1);
    assert_ne!(edited, paragraph);
    // The third paragraph, edited, after the sixth.
    let revised = format!(
        "{}{}{}{}",
        &original[..third.0],
        &original[third.1..sixth.1],
        edited,
        &original[sixth.1..]
    );
    let found = changes(&original, &revised);
    let summary = summarise(&found);
    assert_eq!(found.len(), 2, "{summary:#?}");
    assert!(
        summary[0].1.starts_with("moved <p> “Concerning Vietnam"),
        "{summary:#?}"
    );
    match &found[1].kind {
        ChangeKind::Text { old, new } => assert_eq!(*new, old.replacen(" the ", " THE ", 1)),
        other => panic!("expected the word changed, found {other:?}"),
    }
    // Another paragraph in its place is no move.
    let replaced = format!(
        "{}{}<p>An entirely different paragraph, with its own words.</p>{}",
        &original[..third.0],
        &original[third.1..sixth.1],
        &original[sixth.1..]
    );
    let kinds: Vec<String> = summarise(&changes(&original, &replaced))
        .into_iter()
        .map(|(_, k)| k)
        .collect();
    assert!(
        kinds.len() == 2
            && kinds.iter().any(|k| k.starts_with("deleted <p>"))
            && kinds.iter().any(|k| k.starts_with("inserted <p>")),
        "{kinds:#?}"
    );
}

#[test]
fn paragraphs_swapped_and_edited_are_moves_and_the_edits() {
    let original = memo();
    let spans = memo_paragraphs(&original);
    let with_the = |span: &(usize, usize)| original[span.0..span.1].contains(" the ");
    let at = spans
        .windows(2)
        .position(|pair| with_the(&pair[0]) && with_the(&pair[1]))
        .unwrap();
    let (second, third) = (spans[at], spans[at + 1]);
    let edit = |span: (usize, usize)| original[span.0..span.1].replacen(" the ", " THE ", 1);
    let revised = format!(
        "{}{}{}{}{}",
        &original[..second.0],
        edit(third),
        &original[second.1..third.0],
        edit(second),
        &original[third.1..]
    );
    let found = changes(&original, &revised);
    let summary = summarise(&found);
    // Paired by place, each paragraph's text would have been rewritten into the other's.
    let texts: Vec<(&String, &String)> = found
        .iter()
        .filter_map(|c| match &c.kind {
            ChangeKind::Text { old, new } => Some((old, new)),
            _ => None,
        })
        .collect();
    assert_eq!(texts.len(), 2, "{summary:#?}");
    for (old, new) in texts {
        assert_eq!(*new, old.replacen(" the ", " THE ", 1), "{summary:#?}");
    }
    let moves = summary
        .iter()
        .filter(|(_, k)| k.starts_with("moved <p>"))
        .count();
    assert!(moves >= 1 && found.len() == 2 + moves, "{summary:#?}");
}

#[test]
fn a_moved_paragraph_is_one_move() {
    let original = memo();
    let start = original
        .find("<p>With respect to Americans missing")
        .unwrap();
    let end = original[start..].find("</p>").unwrap() + start + 4;
    let paragraph = original[start..end].to_string();
    let without = format!("{}{}", &original[..start], &original[end..]);
    let anchor = without
        .find("<p><label type=\"run-in\">Summary of Results")
        .unwrap();
    let moved = format!(
        "{}{}\n{}",
        &without[..anchor],
        paragraph,
        &without[anchor..]
    );
    let found = changes(&original, &moved);
    assert_eq!(found.len(), 1, "{found:#?}");
    match &found[0].kind {
        ChangeKind::Moved { what, from } => {
            assert!(
                what.starts_with("<p> “With respect to Americans missing"),
                "{what}"
            );
            // The tenth paragraph of the document division before the move.
            assert_eq!(from, "div d59 › p 10");
        }
        other => panic!("expected a move, got {other:?}"),
    }
    assert_eq!(found[0].context, "div d59 › p 1");
}

#[test]
fn exit_codes_formats_and_trouble() {
    let dir = tempfile::tempdir().unwrap();
    let original = memo();
    std::fs::write(dir.path().join("a.xml"), &original).unwrap();
    std::fs::write(
        dir.path().join("b.xml"),
        original.replacen("six days", "seven days", 2),
    )
    .unwrap();
    std::fs::write(dir.path().join("broken.xml"), "<TEI>\n  <text>\n</TEI>").unwrap();
    let same = teikit_in(dir.path(), &["diff", "a.xml", "a.xml"]);
    assert_eq!(same.status.code(), Some(0));
    let human = teikit_in(dir.path(), &["diff", "a.xml", "b.xml"]);
    assert_eq!(human.status.code(), Some(1));
    let report = String::from_utf8_lossy(&human.stdout);
    assert!(report.contains("[-six-]{+seven+}"), "{report}");
    assert!(!report.contains('\x1b'), "no colors when not a terminal");
    let stat = teikit_in(dir.path(), &["diff", "--stat", "a.xml", "b.xml"]);
    assert_eq!(
        String::from_utf8_lossy(&stat.stdout).trim(),
        "2 changes: 2 text"
    );
    let json = teikit_in(dir.path(), &["diff", "--format", "json", "a.xml", "b.xml"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["version"], 1);
    assert_eq!(value["summary"]["text"], 2);
    assert_eq!(value["changes"][0]["kind"], "text");
    assert!(value["changes"][0]["old"]["line"].as_u64().unwrap() > 1);
    let trouble = teikit_in(dir.path(), &["diff", "a.xml", "broken.xml"]);
    assert_eq!(trouble.status.code(), Some(2));
    assert!(
        stderr(&trouble).contains("--> broken.xml:3:"),
        "{}",
        stderr(&trouble)
    );
    let missing = teikit_in(dir.path(), &["diff", "a.xml", "nope.xml"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn the_frus_history_monograph_with_a_handful_of_edits() {
    let Some(original) = frus_history() else {
        return;
    };
    let reflowed = cosmetic(&original);
    assert_eq!(
        changes(&original, &reflowed),
        Vec::new(),
        "reflow and re-indent are no change"
    );
    let first_p = original.find("<p>").unwrap();
    let edited = format!(
        "{}<p>Inserted paragraph.</p>{}",
        &original[..first_p],
        &original[first_p..]
    );
    let found = changes(&original, &edited);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        matches!(&found[0].kind, ChangeKind::Inserted { what } if what.contains("Inserted paragraph"))
    );
}

#[test]
fn every_id_renamed_and_a_word_changed_in_the_frus_history_monograph() {
    let Some(original) = frus_history() else {
        return;
    };
    // A new id scheme: every xml:id gets a suffix (references to them are left as they were).
    let mut revised = original.replace(r#" xml:id=""#, r#" xml:id="new-"#);
    let chapter = revised.find(r#"xml:id="new-chapter-3""#).unwrap();
    let word = chapter + revised[chapter..].find(" the ").unwrap();
    revised.replace_range(word..word + 5, " THE ");
    let found = changes(&original, &revised);
    let ids = original.matches(r#" xml:id=""#).count();
    let renamed_ids = found
        .iter()
        .filter(|c| {
            matches!(&c.kind, ChangeKind::Attribute { name, old: Some(old), new: Some(new) }
                if name == "xml:id" && *new == format!("new-{old}"))
        })
        .count();
    assert_eq!(renamed_ids, ids, "each id renamed once");
    // And the word, where it is: the chapter is not deleted and inserted again.
    let others: Vec<_> = found
        .iter()
        .filter(|c| !matches!(&c.kind, ChangeKind::Attribute { name, .. } if name == "xml:id"))
        .collect();
    assert_eq!(others.len(), 1, "{:#?}", summarise(&found));
    assert_eq!(others[0].context, "div new-chapter-3 › p 1");
    match &others[0].kind {
        ChangeKind::Text { old, new } => assert_eq!(*new, old.replacen(" the ", " THE ", 1)),
        other => panic!("expected the word changed, found {other:?}"),
    }
}

#[test]
fn the_summary_can_be_recorded_in_the_new_revision() {
    let dir = tempfile::tempdir().unwrap();
    let original = memo();
    let revised = original.replacen("six days", "seven days", 2);
    std::fs::write(dir.path().join("a.xml"), &original).unwrap();
    std::fs::write(dir.path().join("b.xml"), &revised).unwrap();
    let out = teikit_in(
        dir.path(),
        &[
            "diff",
            "--record",
            "--who",
            "#teikit",
            "--when",
            "2026-11-28",
            "a.xml",
            "b.xml",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let recorded = std::fs::read_to_string(dir.path().join("b.xml")).unwrap();
    assert!(
        recorded
            .contains(r##"<change when="2026-11-28" who="#teikit">2 changes: 2 text</change>"##),
        "{recorded}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.xml")).unwrap(),
        original,
        "the old file is untouched"
    );
    // Only the entry was added; the rest of the file is as it was.
    let without: String = recorded
        .lines()
        .filter(|l| !l.contains("revisionDesc") && !l.contains("<change "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(without, revised);
    // The recorded file is still valid against the bundled schema and the rules.
    let valid = teikit_in(dir.path(), &["validate", "b.xml"]);
    assert!(valid.status.success(), "{}", stderr(&valid));
    // --record needs --who and --when.
    let incomplete = teikit_in(dir.path(), &["diff", "--record", "a.xml", "b.xml"]);
    assert_eq!(incomplete.status.code(), Some(2));
}

#[test]
fn reading_text_only_ignores_markup_and_reports_words() {
    let dir = tempfile::tempdir().unwrap();
    let original = memo();
    // Markup changes only: a name untagged, an attribute changed.
    let retagged = original
        .replacen(
            r##"<persName ref="#p_BLI_1">Brezhnev</persName>"##,
            "Brezhnev",
            1,
        )
        .replacen(r#"when="1973-06-09""#, r#"when="1973-06-10""#, 1);
    std::fs::write(dir.path().join("a.xml"), &original).unwrap();
    std::fs::write(dir.path().join("b.xml"), &retagged).unwrap();
    let markup_only = teikit_in(dir.path(), &["diff", "--text-only", "a.xml", "b.xml"]);
    assert_eq!(
        markup_only.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&markup_only.stdout)
    );
    assert!(
        teikit_in(dir.path(), &["diff", "a.xml", "b.xml"])
            .status
            .code()
            == Some(1),
        "markup changes count without --text-only"
    );
    // A word changed is reported, located in its paragraph.
    std::fs::write(
        dir.path().join("c.xml"),
        retagged.replacen("Realistically", "Frankly", 1),
    )
    .unwrap();
    let words = teikit_in(dir.path(), &["diff", "--text-only", "a.xml", "c.xml"]);
    assert_eq!(words.status.code(), Some(1));
    let report = String::from_utf8_lossy(&words.stdout);
    assert!(
        report.contains("[-Realistically,-]{+Frankly,+}"),
        "{report}"
    );
    assert!(report.contains("@@ div d59 › p 11"), "{report}");
}

#[test]
fn edits_of_every_kind_in_the_frus_history_monograph() {
    let Some(original) = frus_history() else {
        return;
    };
    let chapter = original.find(r#"xml:id="chapter-1""#).unwrap();
    let (head, body) = original.split_at(chapter);
    let edit = |from: &str, to: &str| -> String {
        assert!(body.contains(from), "{from}");
        format!("{head}{}", body.replacen(from, to, 1))
    };
    let single = |revised: &str| -> (String, String) {
        let found = changes(&original, revised);
        assert_eq!(found.len(), 1, "{found:#?}");
        (found[0].kind.name().to_string(), found[0].context.clone())
    };
    assert_eq!(
        single(&edit(
            "which began publication in 1861,",
            "which started publication in 1861,"
        )),
        ("text".into(), "div chapter-1 › p 1".into())
    );
    assert_eq!(
        single(&edit(
            r#"<note place="foot" n="1""#,
            r#"<note place="end" n="1""#
        )),
        ("attribute".into(), "note chapter-1fn1".into())
    );
    assert_eq!(
        single(&edit(
            "<byline>William B. McAllister and Aaron W. Marrs</byline>",
            "<docAuthor>William B. McAllister and Aaron W. Marrs</docAuthor>"
        )),
        ("renamed".into(), "div chapter-1 › docAuthor 1".into())
    );
    assert_eq!(
        single(&edit(
            "<byline>William B. McAllister and Aaron W. Marrs</byline>",
            ""
        )),
        ("deleted".into(), "div chapter-1".into())
    );
    let inserted = edit(
        "which began publication in 1861,",
        r#"which began publication in 1861,<note place="foot" n="99" xml:id="chapter-1fn99">New.</note>"#,
    );
    assert_eq!(
        single(&inserted),
        ("inserted".into(), "div chapter-1 › p 1".into())
    );
    // The second paragraph of the chapter moved after the fourth.
    let paragraphs: Vec<usize> = body.match_indices("<p>").map(|(i, _)| i).take(5).collect();
    let second = &body[paragraphs[1]..paragraphs[2]];
    let moved_body = format!(
        "{}{}{}{}",
        &body[..paragraphs[1]],
        &body[paragraphs[2]..paragraphs[4]],
        second,
        &body[paragraphs[4]..]
    );
    let (kind_moved, _) = single(&format!("{head}{moved_body}"));
    assert_eq!(kind_moved, "moved");
}

#[test]
fn two_directories_are_compared_file_by_file() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    std::fs::create_dir_all(old.join("v1")).unwrap();
    std::fs::create_dir_all(new.join("v1")).unwrap();
    std::fs::write(old.join("v1/same.xml"), "<p n='1' xml:id='a'>Paris</p>").unwrap();
    std::fs::write(new.join("v1/same.xml"), "<p xml:id=\"a\" n=\"1\">Paris</p>").unwrap();
    std::fs::write(old.join("v1/edited.xml"), "<p>Paris in May</p>").unwrap();
    std::fs::write(new.join("v1/edited.xml"), "<p>Paris in June</p>").unwrap();
    std::fs::write(old.join("gone.xml"), "<p/>").unwrap();
    std::fs::write(new.join("added.xml"), "<p/>").unwrap();
    let run = |args: &[&str]| common::teikit_in(dir.path(), args);

    let out = run(&["diff", "old", "new"]);
    assert_eq!(out.status.code(), Some(1));
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("only in old: gone.xml"), "{report}");
    assert!(report.contains("only in new: added.xml"), "{report}");
    assert!(report.contains("[-May-]{+June+}"), "{report}");
    assert!(!report.contains("same.xml"), "{report}");
    assert!(common::stderr(&out).contains(
        "4 file(s): 1 the same, 1 changed, 1 only in old, 1 only in new, 0 not comparable"
    ));

    let out = run(&["diff", "--format", "json", "old", "new"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 4);
    assert_eq!(json["summary"]["changed"], 1);
    assert_eq!(files[0]["new"], "new/added.xml");
    assert!(files[0]["old"].is_null());
    assert_eq!(files[2]["changes"][0]["new_text"], "Paris in June");

    // Trouble in one pair is exit 2, with the file named; the others are still compared.
    std::fs::write(new.join("v1/same.xml"), "<p>unclosed").unwrap();
    let out = run(&["diff", "old", "new"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains("new/v1/same.xml:1:1"),
        "{}",
        common::stderr(&out)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("[-May-]{+June+}"));

    for args in [
        &["diff", "old", "new/added.xml"][..],
        &[
            "diff",
            "--record",
            "--who",
            "#me",
            "--when",
            "2026-11-28",
            "old",
            "new",
        ],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

/// Colors on a terminal (a pseudo-terminal from util-linux `script`), none with NO_COLOR or
/// into a pipe.
#[test]
fn colors_on_a_terminal_and_never_with_no_color_or_in_a_pipe() {
    if !program("script", "apt-get install bsdutils") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.xml"), "<p>Paris in May</p>").unwrap();
    std::fs::write(dir.path().join("b.xml"), "<p>Paris in June</p>").unwrap();
    let on_terminal = |no_color: bool| {
        let mut command = std::process::Command::new("script");
        command
            .args([
                "-qec",
                &format!("{} diff a.xml b.xml", env!("CARGO_BIN_EXE_teikit")),
                "/dev/null",
            ])
            .current_dir(dir.path())
            .env_remove("NO_COLOR");
        if no_color {
            command.env("NO_COLOR", "1");
        }
        let out = command.output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stdout).unwrap()
    };
    let colored = on_terminal(false);
    assert!(
        colored.contains("\x1b[31m[-May-]\x1b[0m\x1b[32m{+June+}\x1b[0m"),
        "{colored:?}"
    );
    assert!(colored.contains("\x1b[1m@@ p 1\x1b[0m"), "{colored:?}");
    let plain = on_terminal(true);
    assert!(
        !plain.contains('\x1b') && plain.contains("[-May-]{+June+}"),
        "{plain:?}"
    );
    let piped = std::process::Command::new(env!("CARGO_BIN_EXE_teikit"))
        .args(["diff", "a.xml", "b.xml"])
        .current_dir(dir.path())
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(!String::from_utf8(piped.stdout).unwrap().contains('\x1b'));
}

#[test]
fn output_cut_short_by_its_reader_or_a_full_disk_is_no_panic() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    // Thousands of changed paragraphs: far more report than a pipe holds.
    let document = |word: &str| {
        let body: String = (0..5000)
            .map(|i| format!("<p n='{i}'>Paragraph {i} says {word}.</p>\n"))
            .collect();
        format!("<div>\n{body}</div>\n")
    };
    std::fs::write(dir.path().join("a.xml"), document("yes")).unwrap();
    std::fs::write(dir.path().join("b.xml"), document("no")).unwrap();
    let teikit = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_teikit"));
        command
            .args(["diff", "a.xml", "b.xml"])
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .stderr(Stdio::piped());
        command
    };
    // The reader takes a few bytes and goes, as `| head -1` does.
    let mut child = teikit().stdout(Stdio::piped()).spawn().unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    // A write that fails otherwise is trouble, said once.
    if let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") {
        let out = teikit().stdout(full).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert_eq!(
            stderr(&out)
                .matches("cannot write to standard output")
                .count(),
            1,
            "{}",
            stderr(&out)
        );
    }
}

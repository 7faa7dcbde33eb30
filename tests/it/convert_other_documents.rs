//! Not a one-off: every bundled source converts with the same guarantees as the memo, and
//! documents of other shapes (a telegram with a dateline and signature, an editorial note with no
//! notes and a page break inside a word) come out right.

use crate::common::*;
use roxmltree::Document;

fn bundled_sources() -> Vec<String> {
    let mut found = Vec::new();
    for volume in std::fs::read_dir(root().join("sources")).unwrap() {
        let volume = volume.unwrap().path();
        for file in std::fs::read_dir(&volume).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|e| e == "txt") {
                found.push(
                    file.strip_prefix(root())
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    found.sort();
    found
}

#[test]
fn there_are_at_least_three_documents_in_two_shapes() {
    let sources = bundled_sources();
    assert!(sources.len() >= 3, "{sources:?}");
}

#[test]
fn every_source_is_lossless_resolvable_and_deterministic() {
    for source in bundled_sources() {
        let xml = convert(&source);
        let doc = Document::parse(&xml).unwrap();
        let text = std::fs::read_to_string(root().join(&source)).unwrap();
        assert_eq!(
            reading_words(document_div(&doc)),
            source_words(&text),
            "{source}: lossless"
        );
        assert_eq!(
            unresolved_pointers(&doc),
            Vec::<String>::new(),
            "{source}: pointers"
        );
        assert_eq!(convert(&source), xml, "{source}: deterministic");
    }
}

#[test]
fn telegram_dateline_signature_source_note_and_relative_date() {
    let xml = convert("sources/frus1969-76v20/d1.txt");
    let doc = Document::parse(&xml).unwrap();
    let dateline = elements(&doc, "dateline")[0];
    assert_eq!(text(dateline), "Bangkok, January 14, 1969, 1119Z.");
    let date = dateline
        .children()
        .find(|c| c.has_tag_name((TEI, "date")))
        .unwrap();
    assert_eq!(date.attribute("when"), Some("1969-01-14T11:19:00+00:00"));
    let creation = elements(&doc, "creation")[0].first_element_child().unwrap();
    assert_eq!(
        creation.attribute("when"),
        Some("1969-01-14T11:19:00+00:00")
    );
    assert_eq!(
        creation.attribute("resp"),
        None,
        "a printed date is no inference"
    );
    let signed = elements(&doc, "signed")[0];
    assert_eq!(text(signed), "Unger");
    assert!(signed.parent().unwrap().has_tag_name((TEI, "closer")));
    // "Secret; Priority; Limdis." and the RG 59 citation, split without a box.
    let keywords: Vec<String> = elements(&doc, "term")
        .into_iter()
        .filter(|t| t.attribute("type").is_some())
        .map(text)
        .collect();
    assert_eq!(keywords, ["Secret", "Priority", "Limdis"]);
    let ms = elements(&doc, "msIdentifier")[0];
    let parts: Vec<String> = ms.children().filter(|c| c.is_element()).map(text).collect();
    assert_eq!(
        parts,
        [
            "National Archives",
            "RG 59",
            "Central Files 1967–69",
            "POL US"
        ]
    );
    // "last Saturday" before January 14, 1969 (a Tuesday) is January 11, as note 3 says.
    let saturday = elements(&doc, "date")
        .into_iter()
        .find(|d| text(*d) == "last Saturday")
        .unwrap();
    assert_eq!(saturday.attribute("when"), Some("1969-01-11"));
    let note3 = by_id(&doc, "d1fn3");
    assert_eq!(
        note3.first_element_child().unwrap().attribute("when"),
        Some("1969-01-11")
    );
    // Pages: the telegram begins on page 1, turns to page 2 mid-sentence.
    let pages: Vec<&str> = elements(&doc, "pb")
        .iter()
        .map(|p| p.attribute("n").unwrap())
        .collect();
    assert_eq!(pages, ["1", "2"]);
    // The Prime Minister is Thanom wherever no name follows the title.
    let pm = elements(&doc, "persName")
        .into_iter()
        .filter(|p| text(*p) == "Prime Minister")
        .count();
    assert!(pm >= 5, "{pm}");
    assert!(elements(&doc, "persName")
        .iter()
        .all(|p| text(*p) != "Prime Minister" || p.attribute("ref") == Some("#p_TK5")));
}

#[test]
fn editorial_note_without_notes_and_with_a_page_break_inside_a_word() {
    let xml = convert("sources/frus1969-76v38p1/d2.txt");
    let doc = Document::parse(&xml).unwrap();
    let div = document_div(&doc);
    assert_eq!(div.attribute("subtype"), Some("editorial-note"));
    assert!(elements(&doc, "note")
        .iter()
        .all(|n| n.attribute("n").is_none()));
    assert!(
        elements(&doc, "msDesc").is_empty(),
        "no source note, no archival source"
    );
    let pb4 = elements(&doc, "pb")
        .into_iter()
        .find(|p| p.attribute("n") == Some("4"))
        .unwrap();
    let before = pb4.prev_sibling().unwrap().text().unwrap();
    let after = pb4.next_sibling().unwrap().text().unwrap();
    assert!(
        before.ends_with("very impor") && after.starts_with("tant in both"),
        "{before:?} | {after:?}"
    );
    // The page turns inside the word, and the break says so; the others fall between words.
    assert_eq!(pb4.attribute("break"), Some("no"));
    assert!(elements(&doc, "pb")
        .iter()
        .filter(|p| p.attribute("n") != Some("4"))
        .all(|p| p.attribute("break").is_none()));
    let pages: Vec<&str> = elements(&doc, "pb")
        .iter()
        .map(|p| p.attribute("n").unwrap())
        .collect();
    assert_eq!(pages, ["3", "4", "5", "6"]);
    // The editor's date, with the editor's basis, is not marked as the converter's inference.
    let creation = elements(&doc, "creation")[0].first_element_child().unwrap();
    assert_eq!(creation.attribute("when"), Some("1973-02-15"));
    assert_eq!(creation.attribute("resp"), None);
    let richard = elements(&doc, "persName")
        .into_iter()
        .find(|p| text(*p) == "President Richard Nixon")
        .unwrap();
    assert_eq!(richard.attribute("ref"), Some("#p_NRM_1"));
}

//! The Kissinger memo (FRUS 1969–1976, Volume X, Document 59) converted end to end: each item the
//! conversion issue asks for, read back from the output XML.

use crate::common::*;
use roxmltree::Document;
use std::sync::LazyLock;

const MEMO: &str = "sources/frus1969-76v10/d59.txt";

static XML: LazyLock<String> = LazyLock::new(|| convert(MEMO));

fn doc() -> Document<'static> {
    Document::parse(&XML).expect("well-formed TEI")
}

fn first<'a>(doc: &'a Document<'a>, name: &str, attr: (&str, &str)) -> roxmltree::Node<'a, 'a> {
    elements(doc, name)
        .into_iter()
        .find(|n| n.attribute(attr.0) == Some(attr.1))
        .unwrap_or_else(|| panic!("no <{name} {}=\"{}\">", attr.0, attr.1))
}

#[test]
fn bundled_source_is_the_memo_as_received() {
    let bundled = std::fs::read(root().join(MEMO)).unwrap();
    let Some(shared) = shared_sources_dir() else {
        return;
    };
    let original = std::fs::read(shared.join("frus1969-76v10-d59.txt"))
        .expect("the memo as received is in the shared sources");
    assert_eq!(
        bundled, original,
        "sources/ must hold the memo byte for byte"
    );
}

#[test]
fn header_titles_publication_and_volume() {
    let doc = doc();
    let title = |t: &str| text(first(&doc, "title", ("type", t)));
    assert_eq!(
        title("main"),
        "Memorandum From the President’s Assistant for National Security Affairs (Kissinger) to President Nixon"
    );
    assert_eq!(title("series"), "Foreign Relations of the United States");
    assert_eq!(title("sub-series"), "1969–1976");
    assert_eq!(title("volume-number"), "Volume X");
    assert_eq!(title("volume"), "Vietnam, January 1973–July 1975");
    let publication = elements(&doc, "publicationStmt")[0];
    assert!(publication
        .children()
        .any(|c| c.has_tag_name((TEI, "publisher"))));
    assert_eq!(
        text(first(&doc, "idno", ("type", "frus"))),
        "frus1969-76v10d59"
    );
    let pages = first(&doc, "biblScope", ("unit", "page"));
    assert_eq!(
        (pages.attribute("from"), pages.attribute("to")),
        (Some("286"), Some("289"))
    );
}

#[test]
fn header_archival_source_in_parts_while_the_note_keeps_its_text() {
    let doc = doc();
    let ms = elements(&doc, "msIdentifier")[0];
    let child = |name: &str, kind: Option<&str>| {
        ms.children()
            .find(|c| c.has_tag_name((TEI, name)) && c.attribute("type") == kind)
            .map(text)
            .unwrap_or_else(|| panic!("msIdentifier has no {name} {kind:?}"))
    };
    assert_eq!(child("repository", None), "National Archives");
    assert_eq!(child("collection", None), "Nixon Presidential Materials");
    assert_eq!(child("collection", Some("series")), "NSC Files");
    assert_eq!(
        child("collection", Some("subseries")),
        "Kissinger Office Files"
    );
    assert_eq!(child("idno", Some("box")), "Box 114");
    assert_eq!(
        child("idno", Some("folder")),
        "Country Files, Far East, Vietnam, Paris Memcons, May 17–23, 1973"
    );
    assert_eq!(
        elements(&doc, "msDesc")[0].attribute("corresp"),
        Some("#d59fn1")
    );
    let source_note = std::fs::read_to_string(root().join(MEMO)).unwrap();
    let note_line = source_note
        .lines()
        .find(|l| l.trim_start().starts_with("1. Source:"))
        .unwrap();
    assert_eq!(
        text(by_id(&doc, "d59fn1")),
        note_line.trim_start().trim_start_matches("1. ")
    );
}

#[test]
fn header_classification_readable_by_a_program() {
    let doc = doc();
    let keywords = first(&doc, "keywords", ("scheme", "#security-classification"));
    let terms: Vec<(String, String)> = keywords
        .children()
        .filter(|c| c.is_element())
        .map(|t| (t.attribute("type").unwrap().to_string(), text(t)))
        .collect();
    assert_eq!(
        terms,
        [
            ("classification".to_string(), "Top Secret".to_string()),
            ("handling".to_string(), "Sensitive".to_string()),
            ("handling".to_string(), "Exclusively Eyes Only".to_string()),
        ]
    );
    assert_eq!(
        by_id(&doc, "security-classification").tag_name().name(),
        "taxonomy"
    );
}

#[test]
fn header_lists_persons_places_organisations_with_identifications() {
    let doc = doc();
    let ids = |name: &str| -> Vec<String> {
        elements(&doc, name)
            .iter()
            .filter_map(|n| {
                n.attribute((roxmltree::NS_XML_URI, "id"))
                    .map(str::to_string)
            })
            .collect()
    };
    assert_eq!(
        ids("person"),
        ["p_KHA_1", "p_NRM_1", "p_LDT_1", "p_SWH_1", "p_NVT_1", "p_BLI_1"]
    );
    for place in [
        "pl_Paris",
        "pl_Saigon",
        "pl_Laos",
        "pl_Cambodia",
        "pl_NorthVietnam",
        "pl_SouthVietnam",
        "pl_DMZ",
    ] {
        assert!(ids("place").contains(&place.to_string()), "{place} listed");
    }
    for org in [
        "o_DRV",
        "o_GVN",
        "o_PRG",
        "o_ICCS",
        "o_PathetLao",
        "o_Vietcong",
        "o_Congress",
        "o_SovietGovernment",
        "o_ChineseGovernment",
        "o_NARA",
    ] {
        assert!(ids("org").contains(&org.to_string()), "{org} listed");
    }
    let kissinger = by_id(&doc, "p_KHA_1");
    assert_eq!(
        text(kissinger)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        "Kissinger, Henry A. Assistant to the President for National Security Affairs"
    );
}

#[test]
fn header_declares_the_presidents_hand_and_every_normalisation() {
    let doc = doc();
    let hand = elements(&doc, "handNote")[0];
    assert_eq!(hand.attribute("scribeRef"), Some("#p_NRM_1"));
    let editorial = text(elements(&doc, "editorialDecl")[0]);
    for said in [
        "“VietnamTho” → “Vietnam—Tho”",
        "“CambodiaTho” → “Cambodia—Tho”",
        "page markers",
        "begins on page 286",
        "3 notes",
        "ISO 8601",
        "the end 21 to the last day",
        "run-in",
        "by office alone",
        "The date of the document is not printed",
    ] {
        assert!(
            editorial.contains(said),
            "editorialDecl says {said:?}:\n{editorial}"
        );
    }
}

#[test]
fn document_division_head_subject_and_run_in_heads() {
    let doc = doc();
    let div = document_div(&doc);
    assert_eq!(div.attribute("n"), Some("59"));
    assert_eq!(div.attribute((roxmltree::NS_XML_URI, "id")), Some("d59"));
    assert_eq!(div.attribute("subtype"), Some("historical-document"));
    let head = div.children().find(|c| c.is_element()).unwrap();
    assert!(head.has_tag_name((TEI, "head")));
    assert!(text(head).starts_with("59. Memorandum From the President’s Assistant"));
    let subject = first(&doc, "list", ("type", "subject"));
    assert_eq!(
        text(subject).trim(),
        "Results of Negotiations with the North Vietnamese, May 17–23, 1973"
    );
    let run_in = |n: &roxmltree::Node| n.attribute("type") == Some("run-in");
    let labels: Vec<String> = elements(&doc, "label")
        .into_iter()
        .filter(run_in)
        .map(text)
        .collect();
    assert_eq!(
        labels,
        [
            "Summary of Results",
            "Our Objectives",
            "Concerning Vietnam",
            "Concerning Laos",
            "Concerning Cambodia",
            "Our Accomplishments",
            "Vietnam",
            "Laos",
            "Cambodia"
        ]
    );
    // Every label opens its paragraph and is followed by its delimiter, supplied or printed.
    for label in elements(&doc, "label").into_iter().filter(run_in) {
        assert!(label.parent().unwrap().has_tag_name((TEI, "p")));
        assert_eq!(label.prev_sibling(), None, "label opens the paragraph");
        let next = label.next_sibling().unwrap();
        let delimiter = if next.is_element() {
            assert!(next.has_tag_name((TEI, "supplied")));
            assert_eq!(next.attribute("resp"), Some("#teikit"));
            text(next)
        } else {
            next.text().unwrap().chars().next().unwrap().to_string()
        };
        assert!(
            delimiter == ":" || delimiter == "—",
            "{delimiter:?} after {}",
            text(label)
        );
    }
    let supplied: Vec<String> = elements(&doc, "supplied")
        .into_iter()
        .map(|s| text(s.prev_sibling().unwrap()))
        .collect();
    assert_eq!(supplied, ["Vietnam", "Cambodia"]);
}

#[test]
fn page_breaks_where_the_page_turns() {
    let doc = doc();
    let pbs = elements(&doc, "pb");
    let numbers: Vec<&str> = pbs.iter().map(|p| p.attribute("n").unwrap()).collect();
    assert_eq!(numbers, ["286", "287", "288", "289"]);
    for pb in &pbs {
        let id = pb.attribute((roxmltree::NS_XML_URI, "id")).unwrap();
        assert_eq!(id, format!("pg_{}", pb.attribute("n").unwrap()));
    }
    // 286: the document begins on it, before the document division.
    assert!(pbs[0]
        .next_sibling_element()
        .unwrap()
        .has_tag_name((TEI, "div")));
    // 287 and 288 fall mid-sentence: inside paragraphs, a space on both sides.
    for (pb, before, after) in [
        (pbs[1], "again in Paris ", " on June 6"),
        (pbs[2], "safety of ICCS ", " movement."),
    ] {
        assert!(pb.parent().unwrap().has_tag_name((TEI, "p")));
        let p = pb.parent().unwrap();
        let full = text(p);
        let before_text: String = p
            .descendants()
            .filter(|n| n.is_text() && n.range().end <= pb.range().start)
            .map(|n| n.text().unwrap())
            .collect();
        assert!(
            before_text.ends_with(before),
            "{before:?} before pb {}",
            pb.attribute("n").unwrap()
        );
        assert!(full[before_text.len()..].starts_with(after));
    }
    // 289 stands alone: between paragraphs.
    assert!(pbs[3].parent().unwrap().has_tag_name((TEI, "div")));
    assert!(pbs[3]
        .prev_sibling_element()
        .unwrap()
        .has_tag_name((TEI, "p")));
    assert!(pbs[3]
        .next_sibling_element()
        .unwrap()
        .has_tag_name((TEI, "p")));
    assert!(!text(document_div(&doc)).contains("[Page"));
}

#[test]
fn footnotes_at_their_reference_points() {
    let doc = doc();
    let notes = elements(&doc, "note")
        .into_iter()
        .filter(|n| n.attribute("n").is_some())
        .collect::<Vec<_>>();
    let ids: Vec<&str> = notes
        .iter()
        .map(|n| n.attribute((roxmltree::NS_XML_URI, "id")).unwrap())
        .collect();
    assert_eq!(ids, ["d59fn1", "d59fn2", "d59fn3"]);
    assert_eq!(notes[0].attribute("type"), Some("source"));
    assert_eq!(notes[1].attribute("type"), None);
    // Note 1 closes the head, right after "Nixon".
    assert!(notes[0].parent().unwrap().has_tag_name((TEI, "head")));
    assert_eq!(text(notes[0].prev_sibling().unwrap()), "President Nixon");
    assert!(notes[0].next_sibling().is_none());
    // Notes 2 and 3 follow "Le Duc Tho." and "January," with no space before them.
    let text_before = |note: roxmltree::Node| -> String {
        let p = note
            .ancestors()
            .find(|a| a.has_tag_name((TEI, "p")))
            .unwrap();
        p.descendants()
            .filter(|n| n.is_text() && n.range().end <= note.range().start)
            .map(|n| n.text().unwrap())
            .collect()
    };
    assert!(text_before(notes[1]).ends_with("with Le Duc Tho."));
    assert!(text_before(notes[2]).ends_with("private undertaking of January,"));
    // Numbers that are not note references stay text.
    let body = text(document_div(&doc));
    for kept in [
        "Article 20",
        "60 days",
        "45 days",
        "Box 114",
        "June 6",
        "July 1",
        "1973",
    ] {
        assert!(body.contains(kept), "{kept:?} stays in the text");
    }
    assert!(!body.contains("Nixon1") && !body.contains("Tho.2") && !body.contains("January,3"));
}

/// Every text occurrence of `word` in the document division lies inside an element `name` whose
/// `@ref` is `target`.
fn assert_every_mention(doc: &Document, word: &str, name: &str, target: &str) -> usize {
    let div = document_div(doc);
    let mut count = 0;
    for node in div.descendants().filter(|n| n.is_text()) {
        let t = node.text().unwrap();
        let mut search = 0;
        while let Some(pos) = t[search..].find(word) {
            let start = search + pos;
            search = start + word.len();
            let before = t[..start].chars().next_back();
            let after = t[search..].chars().next();
            if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            count += 1;
            let tagged = node
                .ancestors()
                .any(|a| a.has_tag_name((TEI, name)) && a.attribute("ref") == Some(target));
            assert!(
                tagged,
                "“{word}” at byte {} is not a {name} pointing to {target}: …{}…",
                node.range().start,
                &t[start.saturating_sub(30)..(search + 10).min(t.len())]
            );
        }
    }
    count
}

#[test]
fn persons_are_tagged_and_point_to_their_entries() {
    let doc = doc();
    let counts = [
        ("Kissinger", "#p_KHA_1"),
        ("Nixon", "#p_NRM_1"),
        ("Tho", "#p_LDT_1"),
        ("Sullivan", "#p_SWH_1"),
        ("Thieu", "#p_NVT_1"),
        ("Brezhnev", "#p_BLI_1"),
    ]
    .map(|(w, t)| assert_every_mention(&doc, w, "persName", t));
    assert!(counts.iter().all(|c| *c > 0), "{counts:?}");
    // "the President" means Nixon; "President Thieu" does not.
    let president: Vec<(String, String)> = elements(&doc, "persName")
        .into_iter()
        .filter(|p| text(*p).contains("President"))
        .map(|p| (text(p), p.attribute("ref").unwrap().to_string()))
        .collect();
    assert!(president.contains(&("President".into(), "#p_NRM_1".into())));
    assert!(president.contains(&("President Thieu".into(), "#p_NVT_1".into())));
    assert!(!president
        .iter()
        .any(|(t, r)| t.contains("Thieu") && r == "#p_NRM_1"));
}

#[test]
fn places_and_organisations_are_tagged_and_abbreviations_expanded() {
    let doc = doc();
    for (word, name, target) in [
        ("Paris", "placeName", "#pl_Paris"),
        ("Saigon", "placeName", "#pl_Saigon"),
        ("Laos", "placeName", "#pl_Laos"),
        ("Cambodia", "placeName", "#pl_Cambodia"),
        ("North Vietnam", "placeName", "#pl_NorthVietnam"),
        ("South Vietnam", "placeName", "#pl_SouthVietnam"),
        ("DMZ", "placeName", "#pl_DMZ"),
        ("DRV", "orgName", "#o_DRV"),
        ("GVN", "orgName", "#o_GVN"),
        ("PRG", "orgName", "#o_PRG"),
        ("ICCS", "orgName", "#o_ICCS"),
        ("Pathet Lao", "orgName", "#o_PathetLao"),
        ("Vietcong", "orgName", "#o_Vietcong"),
        ("Congressional", "orgName", "#o_Congress"),
        ("Soviets", "orgName", "#o_SovietGovernment"),
        ("Russians", "orgName", "#o_SovietGovernment"),
        ("Chinese", "orgName", "#o_ChineseGovernment"),
        ("National Archives", "orgName", "#o_NARA"),
    ] {
        assert!(
            assert_every_mention(&doc, word, name, target) > 0,
            "{word} occurs"
        );
    }
    for abbr in elements(&doc, "abbr") {
        let term = by_id(
            &doc,
            abbr.attribute("corresp").unwrap().trim_start_matches('#'),
        );
        assert_eq!(text(term), text(abbr));
        let gloss = term.next_sibling_element().unwrap();
        assert!(gloss.has_tag_name((TEI, "gloss")) && !text(gloss).is_empty());
    }
    let drv = by_id(&doc, "t_DRV_1").next_sibling_element().unwrap();
    assert_eq!(text(drv), "Democratic Republic of Vietnam (North Vietnam)");
}

#[test]
fn dates_are_normalised_with_inferences_marked() {
    let doc = doc();
    let dates: Vec<(String, Vec<(String, String)>)> = elements(&doc, "date")
        .into_iter()
        .filter(|d| {
            d.ancestors()
                .any(|a| a.attribute("type") == Some("document"))
        })
        .map(|d| {
            let attrs = d
                .attributes()
                .filter(|a| a.namespace().is_none())
                .map(|a| (a.name().to_string(), a.value().to_string()))
                .collect();
            (text(d), attrs)
        })
        .collect();
    let find = |t: &str| -> Vec<(String, String)> {
        dates
            .iter()
            .find(|(text, _)| text == t)
            .unwrap_or_else(|| panic!("no date “{t}” in {dates:?}"))
            .1
            .clone()
    };
    let attr = |attrs: &[(String, String)], name: &str| {
        attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let subject = find("May 17–23, 1973");
    assert_eq!(
        (attr(&subject, "from"), attr(&subject, "to")),
        (Some("1973-05-17".into()), Some("1973-05-23".into()))
    );
    for (t, when) in [
        ("June 6", "1973-06-06"),
        ("June 9", "1973-06-09"),
        ("July 1", "1973-07-01"),
        ("January", "1973-01"),
        ("February", "1973-02"),
    ] {
        let d = find(t);
        assert_eq!(attr(&d, "when").as_deref(), Some(when), "{t}");
        assert_eq!(
            attr(&d, "resp").as_deref(),
            Some("#teikit"),
            "{t}: inferred year marked"
        );
    }
    let april = find("the end of April");
    assert_eq!(attr(&april, "notBefore").as_deref(), Some("1973-04-21"));
    assert_eq!(attr(&april, "notAfter").as_deref(), Some("1973-04-30"));
    let session = find("May 22, 10:30 a.m.–5:05 p.m.");
    assert_eq!(
        attr(&session, "from").as_deref(),
        Some("1973-05-22T10:30:00+01:00")
    );
    assert_eq!(
        attr(&session, "to").as_deref(),
        Some("1973-05-22T17:05:00+01:00")
    );
    let yesterday = find("Yesterday");
    assert_eq!(attr(&yesterday, "when").as_deref(), Some("1973-05-23"));
    assert_eq!(attr(&yesterday, "cert").as_deref(), Some("medium"));
    // The memo's own date: not printed, inferred, marked as an inference.
    let creation = elements(&doc, "creation")[0].first_element_child().unwrap();
    assert_eq!(creation.attribute("when"), Some("1973-05-24"));
    assert_eq!(creation.attribute("cert"), Some("medium"));
    assert_eq!(creation.attribute("resp"), Some("#teikit"));
    assert_eq!(creation.attribute("evidence"), Some("internal"));
    let basis = by_id(
        &doc,
        creation.attribute("ana").unwrap().trim_start_matches('#'),
    );
    assert!(text(basis).contains("Yesterday I concluded six days of negotiations"));
}

#[test]
fn the_presidents_annotation_is_machine_readable() {
    let doc = doc();
    let adds = elements(&doc, "add");
    assert_eq!(adds.len(), 2);
    let hand = adds[0].attribute("hand").unwrap().trim_start_matches('#');
    assert_eq!(by_id(&doc, hand).attribute("scribeRef"), Some("#p_NRM_1"));
    for add in &adds {
        assert_eq!(add.attribute("place"), Some("top"));
        assert_eq!(add.attribute("corresp"), Some("#d59fn1"));
        assert!(add.parent().unwrap().has_tag_name((TEI, "opener")));
    }
    let mark = adds[0].first_element_child().unwrap();
    assert!(mark.has_tag_name((TEI, "metamark")));
    assert_eq!(mark.attribute("function"), Some("circle"));
    assert_eq!(mark.attribute("target"), Some("#p_KHA_1"));
    let words = by_id(
        &doc,
        adds[1].attribute("copyOf").unwrap().trim_start_matches('#'),
    );
    assert_eq!(text(words), "Excellent job against great odds.");
    assert!(words
        .ancestors()
        .any(|a| a.attribute((roxmltree::NS_XML_URI, "id")) == Some("d59fn1")));
}

#[test]
fn lossless_every_word_of_the_source_in_order() {
    let doc = doc();
    let source = std::fs::read_to_string(root().join(MEMO)).unwrap();
    assert_eq!(reading_words(document_div(&doc)), source_words(&source));
}

#[test]
fn resolvable_every_pointer_and_unique_ids() {
    let doc = doc();
    assert_eq!(unresolved_pointers(&doc), Vec::<String>::new());
    let pointers = doc
        .descendants()
        .filter(|n| n.attribute("ref").is_some())
        .count();
    assert!(pointers > 50, "names point to their entries ({pointers})");
}

#[test]
fn deterministic_byte_identical_twice() {
    assert_eq!(convert(MEMO), *XML);
}

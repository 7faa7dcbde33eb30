//! The publisher stylesheets of `xslt/`, run with Saxon-HE as Debian ships it (9.9, Java) and
//! with SaxonC-HE (Python `saxonche`) on every document teikit converts.
//!
//! Each page must parse as HTML5 without a single parse error (html5lib, the WHATWG algorithm,
//! via `tests/publish/html5_to_xml.py`, which hands the tree back as XML), and contain what a
//! reader needs: an anchor at every page break, every note linked both ways, every person,
//! place and organisation of the header in the index and linked from its mentions, the
//! handwritten annotation in its hand. The text stylesheet must give back the source.
//!
//! Outside CI a missing processor skips these tests with a note; in CI (`CI` set) it fails them.

use crate::common;
use crate::common::{browser_check, optional_tool, program, python_module, root, TEI};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use teikit::publish::Saxon;

const DEBIAN_SAXON_JAR: &str = "/usr/share/java/Saxon-HE.jar";

/// The processors to test with: both in CI, whichever is installed elsewhere.
fn processors() -> Vec<(&'static str, Saxon)> {
    let mut found = Vec::new();
    let jar = Path::new(DEBIAN_SAXON_JAR).is_file()
        && program("java", "apt-get install default-jre-headless");
    if optional_tool("Saxon-HE", jar, "apt-get install libsaxonhe-java") {
        found.push((
            "saxon-he-9.9",
            Saxon::with_jar(PathBuf::from(DEBIAN_SAXON_JAR)),
        ));
    }
    if python_module("saxonche", "pip install saxonche") {
        found.push(("saxonc-he", Saxon::with_saxonc(PathBuf::from("python3"))));
    }
    found
}

/// Every document teikit converts, as committed (`teikit build --check` keeps them current).
fn converted_documents() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for volume in std::fs::read_dir(root().join("tei")).unwrap() {
        for file in std::fs::read_dir(volume.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|e| e == "xml") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 3, "expected the three converted sources");
    files
}

fn transform(saxon: &Saxon, sheet: &str, tei: &Path, params: &[(&str, &str)]) -> String {
    let out = saxon
        .transform(&root().join("xslt").join(sheet), tei, params)
        .unwrap_or_else(|e| panic!("{sheet} on {}: {e}", tei.display()));
    String::from_utf8(out).expect("UTF-8 output")
}

/// Whether html5lib, which the pages are parsed with, is there ([`optional_tool`]'s rule).
fn html5lib() -> bool {
    python_module("html5lib", "pip install html5lib")
}

/// The page parsed as HTML5, as XML text; panics with every parse error.
fn parse_html5(html: &str, label: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join(format!("{label}.html"));
    std::fs::write(&page, html).unwrap();
    let out = Command::new("python3")
        .arg(root().join("tests/publish/html5_to_xml.py"))
        .arg(&page)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{label}: not valid HTML5:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn text_of(node: roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

fn has_class(node: roxmltree::Node, class: &str) -> bool {
    node.attribute("class")
        .is_some_and(|c| c.split_whitespace().any(|x| x == class))
}

fn html_ids<'a>(page: &'a roxmltree::Document<'a>) -> BTreeMap<&'a str, roxmltree::Node<'a, 'a>> {
    let mut ids = BTreeMap::new();
    for node in page.descendants().filter(|n| n.is_element()) {
        if let Some(id) = node.attribute("id") {
            assert!(ids.insert(id, node).is_none(), "id {id} occurs twice");
        }
    }
    ids
}

/// Links to `#target`, anywhere on the page.
fn links_to<'a>(page: &'a roxmltree::Document<'a>, target: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    let href = format!("#{target}");
    page.descendants()
        .filter(|n| n.has_tag_name("a") && n.attribute("href") == Some(href.as_str()))
        .collect()
}

fn xml_id<'a>(node: roxmltree::Node<'a, 'a>) -> Option<&'a str> {
    node.attribute(("http://www.w3.org/XML/1998/namespace", "id"))
}

/// What the TEI says the page must show.
struct Expected {
    pages: Vec<String>,
    notes: Vec<(String, String)>,
    entries: Vec<String>,
    mentioned: BTreeSet<String>,
}

fn expected(tei: &str) -> Expected {
    let doc = roxmltree::Document::parse(tei).unwrap();
    // A whole TEI file, or a FRUS document div on its own.
    let body = doc
        .descendants()
        .find(|n| n.has_tag_name((TEI, "body")))
        .unwrap_or(doc.root_element());
    let pages = body
        .descendants()
        .filter(|n| n.has_tag_name((TEI, "pb")))
        .map(|pb| {
            xml_id(pb)
                .map(str::to_string)
                .unwrap_or_else(|| format!("pg_{}", pb.attribute("n").unwrap()))
        })
        .collect();
    // Notes with an id and a number (all of teikit's; FRUS's editorial notes may lack them).
    let notes = body
        .descendants()
        .filter(|n| n.has_tag_name((TEI, "note")))
        .filter_map(|n| Some((xml_id(n)?.to_string(), n.attribute("n")?.to_string())))
        .collect();
    let entries = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name((TEI, "person"))
                || n.has_tag_name((TEI, "place"))
                || n.has_tag_name((TEI, "org"))
        })
        .filter_map(|n| xml_id(n).map(str::to_string))
        .collect();
    let mentioned = body
        .descendants()
        .filter_map(|n| n.attribute("ref"))
        .map(|r| r.trim_start_matches('#').to_string())
        .collect();
    Expected {
        pages,
        notes,
        entries,
        mentioned,
    }
}

/// What every page must have, whatever the document.
fn check_page(label: &str, tei: &str, page_xml: &str) {
    let page = roxmltree::Document::parse(page_xml).unwrap();
    let html = page.root_element();
    assert_eq!(html.attribute("lang"), Some("en"), "{label}: html@lang");
    let count = |tag: &str| page.descendants().filter(|n| n.has_tag_name(tag)).count();
    assert_eq!(count("h1"), 1, "{label}: one h1");
    let h1 = page.descendants().find(|n| n.has_tag_name("h1")).unwrap();
    assert!(!text_of(h1).trim().is_empty(), "{label}: the h1 has text");
    for landmark in ["header", "nav", "main", "footer"] {
        assert_eq!(count(landmark), 1, "{label}: one {landmark} landmark");
    }
    let ids = html_ids(&page);
    // Every link has text, and every link inside the page goes somewhere.
    for a in page.descendants().filter(|n| n.has_tag_name("a")) {
        let text = text_of(a);
        assert!(
            !text.trim().is_empty() || a.attribute("aria-label").is_some(),
            "{label}: a link without text: {:?}",
            a.attribute("href")
        );
        if let Some(target) = a.attribute("href").and_then(|h| h.strip_prefix('#')) {
            assert!(ids.contains_key(target), "{label}: #{target} goes nowhere");
        }
    }
    let expected = expected(tei);
    for page_id in &expected.pages {
        let anchor = ids
            .get(page_id.as_str())
            .unwrap_or_else(|| panic!("{label}: no anchor {page_id}"));
        let n = page_id.trim_start_matches("pg_");
        assert!(
            text_of(*anchor).contains(n),
            "{label}: {page_id} shows {:?}",
            text_of(*anchor)
        );
    }
    for (note, n) in &expected.notes {
        let note_el = ids
            .get(note.as_str())
            .unwrap_or_else(|| panic!("{label}: note {note} missing"));
        let reference = format!("ref_{note}");
        let refs = links_to(&page, note);
        assert!(
            refs.iter()
                .any(|a| a.attribute("id") == Some(reference.as_str()) && text_of(*a).trim() == n),
            "{label}: no reference numbered {n} linking to note {note}"
        );
        let back = links_to(&page, &reference);
        assert!(
            back.iter().any(|a| a.ancestors().any(|x| x == *note_el)),
            "{label}: note {note} does not link back"
        );
    }
    for entry in &expected.entries {
        let index_entry = ids
            .get(format!("idx_{entry}").as_str())
            .unwrap_or_else(|| panic!("{label}: {entry} not in the index"));
        let mentions = links_to(&page, &format!("idx_{entry}"));
        if expected.mentioned.contains(entry) {
            assert!(!mentions.is_empty(), "{label}: {entry} is linked nowhere");
        }
        // Each mention links to the entry; the entry links back to mentions, its first one
        // included, once a page (a printed index's "p. 12", not "p. 12, p. 12").
        let mention_ids: Vec<String> = mentions
            .iter()
            .map(|m| format!("#{}", m.attribute("id").unwrap()))
            .collect();
        let back: Vec<roxmltree::Node> = index_entry
            .descendants()
            .filter(|a| a.attribute("href").is_some_and(|h| h.starts_with("#m_")))
            .collect();
        if let Some(first) = mention_ids.first() {
            assert!(
                back.iter()
                    .any(|a| a.attribute("href") == Some(first.as_str())),
                "{label}: index entry {entry} does not link back to its first mention {first}"
            );
        }
        for link in &back {
            let href = link.attribute("href").unwrap();
            assert!(
                mention_ids.iter().any(|m| m == href),
                "{label}: {entry} links to {href}, no mention of it"
            );
        }
        let texts: Vec<String> = back.iter().map(|a| common::text(*a)).collect();
        let distinct: BTreeSet<&String> = texts.iter().collect();
        assert_eq!(
            distinct.len(),
            texts.len(),
            "{label}: {entry} names a page twice: {texts:?}"
        );
    }
}

#[test]
fn every_converted_document_becomes_a_valid_html5_page_linked_both_ways() {
    if !html5lib() {
        return;
    }
    for (name, saxon) in processors() {
        for tei_path in converted_documents() {
            let label = format!("{name} {}", tei_path.display());
            let html = transform(&saxon, "tei-to-html.xsl", &tei_path, &[]);
            assert!(html.starts_with("<!DOCTYPE"), "{label}: no doctype");
            let tree = parse_html5(&html, "page");
            check_page(&label, &std::fs::read_to_string(&tei_path).unwrap(), &tree);
        }
    }
}

#[test]
fn frus_tei_from_the_office_of_the_historian_becomes_a_valid_page_too() {
    let Some(reference) = common::reference_dir() else {
        return;
    };
    if !html5lib() {
        return;
    }
    // The Office of the Historian's monograph: chapters, not documents, and a thousand notes.
    // (The FRUS document fragments under frus/documents carry no namespace declaration, so they
    // are not TEI on their own.)
    let documents = [("corpus/valid-or-invalid/frus-history.xml", 0, 1000)];
    for (name, saxon) in processors() {
        for (document, pages, notes) in documents {
            let tei_path = reference.join(document);
            let label = format!("{name} {document}");
            let html = transform(&saxon, "tei-to-html.xsl", &tei_path, &[]);
            let tree = parse_html5(&html, "page");
            let tei = std::fs::read_to_string(&tei_path).unwrap();
            check_page(&label, &tei, &tree);
            let expected = expected(&tei);
            assert_eq!(expected.pages.len(), pages, "{label}: page breaks checked");
            assert!(expected.notes.len() >= notes, "{label}: notes checked");
        }
    }
}

#[test]
fn the_memo_page_shows_the_annotation_the_inferred_date_the_source_and_the_terms() {
    let tei = root().join("tei/frus1969-76v10/d59.xml");
    if !html5lib() {
        return;
    }
    for (name, saxon) in processors() {
        let tree = parse_html5(&transform(&saxon, "tei-to-html.xsl", &tei, &[]), "d59");
        let page = roxmltree::Document::parse(&tree).unwrap();
        let ids = html_ids(&page);

        // The three markers of the source and the page the document begins on.
        for p in ["pg_286", "pg_287", "pg_288", "pg_289"] {
            assert!(ids.contains_key(p), "{name}: {p}");
        }
        // The President's annotation: an aside in his hand, with the words the note quotes,
        // standing above the title as it stands at the top of the page.
        let aside = page
            .descendants()
            .find(|n| n.has_tag_name("aside") && has_class(*n, "annotation"))
            .unwrap_or_else(|| panic!("{name}: no annotation"));
        assert!(has_class(aside, "place-top"));
        assert_eq!(
            aside.attribute("aria-label"),
            Some("Handwritten annotation in the hand of Richard M. Nixon")
        );
        let words = ids["d59_annotation2"];
        assert_eq!(text_of(words).trim(), "Excellent job against great odds.");
        assert!(has_class(words, "hand"));
        let h1 = page.descendants().find(|n| n.has_tag_name("h1")).unwrap();
        assert!(
            aside.next_sibling_element() == Some(h1),
            "{name}: the annotation stands above the title"
        );
        // The circled name is circled, and says so to a screen reader.
        let circled: Vec<_> = page
            .descendants()
            .filter(|n| has_class(*n, "circled"))
            .collect();
        assert_eq!(circled.len(), 1, "{name}: one circled name");
        assert_eq!(circled[0].attribute("href"), Some("#idx_p_KHA_1"));
        assert!(circled[0].ancestors().any(|a| a == h1));
        assert!(text_of(circled[0]).contains("Kissinger (circled by hand)"));
        assert!(text_of(aside).contains("circled: Henry A. Kissinger"));

        // The date the editors inferred, in brackets, marked and linked to the reasoning.
        let inferred = page
            .descendants()
            .find(|n| has_class(*n, "inferred"))
            .unwrap();
        assert_eq!(text_of(inferred), "[May 24, 1973]");
        let dateline = inferred.parent().unwrap();
        assert!(text_of(dateline).contains("inferred"));
        assert!(text_of(ids["dating"]).contains("It is inferred from the first sentence"));

        // Run-in heads and the supplied dash.
        let run_ins: Vec<String> = page
            .descendants()
            .filter(|n| has_class(*n, "run-in"))
            .map(text_of)
            .collect();
        assert_eq!(run_ins.len(), 9, "{name}: {run_ins:?}");
        assert_eq!(run_ins[0], "Summary of Results");

        // Abbreviations expand on hover and in the index.
        let drv = page
            .descendants()
            .find(|n| n.has_tag_name("abbr") && text_of(*n) == "DRV")
            .unwrap();
        assert_eq!(
            drv.attribute("title"),
            Some("Democratic Republic of Vietnam (North Vietnam)")
        );
        assert!(text_of(ids["index"]).contains("Democratic Republic of Vietnam (North Vietnam)"));

        // The source block: repository, box, folder, classification.
        let source = text_of(ids["source"]);
        for fact in [
            "National Archives",
            "Box 114",
            "Country Files, Far East, Vietnam, Paris Memcons, May 17–23, 1973",
            "Top Secret",
            "Exclusively Eyes Only",
        ] {
            assert!(source.contains(fact), "{name}: source block lacks {fact}");
        }
        // The index mentions of Brezhnev: one, on page 289.
        assert_eq!(
            text_of(ids["idx_p_BLI_1"])
                .split("Mentioned on")
                .nth(1)
                .map(str::trim),
            Some("p. 289")
        );
    }
}

/// Non-blank lines, without the spaces around them.
fn lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_text_stylesheet_gives_back_every_source_line_for_line() {
    for (name, saxon) in processors() {
        for tei in converted_documents() {
            let source = root()
                .join("sources")
                .join(tei.parent().unwrap().file_name().unwrap())
                .join(tei.file_name().unwrap())
                .with_extension("txt");
            let text = transform(&saxon, "tei-to-text.xsl", &tei, &[]);
            let source = std::fs::read_to_string(&source).unwrap();
            assert_eq!(
                lines(&text),
                lines(&source),
                "{name}: {} does not give back its source",
                tei.display()
            );
        }
    }
}

#[test]
fn the_reading_text_keeps_what_the_editors_supplied_and_drops_the_markers() {
    let tei = root().join("tei/frus1969-76v10/d59.xml");
    for (name, saxon) in processors() {
        let text = transform(&saxon, "tei-to-text.xsl", &tei, &[("form", "reading")]);
        assert!(text.contains("Vietnam—Tho and I have agreed"), "{name}");
        assert!(!text.contains("[Page"), "{name}");
        assert!(
            text.contains("with Le Duc Tho. We have agreed"),
            "{name}: no note number"
        );
        assert!(
            text.contains("  2. Kissinger and Le Duc Tho’s final session"),
            "{name}"
        );
    }
}

#[test]
fn a_form_the_text_stylesheet_does_not_know_is_an_error() {
    let tei = root().join("tei/frus1969-76v10/d59.xml");
    for (name, saxon) in processors() {
        let err = saxon
            .transform(
                &root().join("xslt/tei-to-text.xsl"),
                &tei,
                &[("form", "poetry")],
            )
            .expect_err(name);
        assert!(err.to_string().contains("form must be"), "{name}: {err}");
    }
}

#[test]
fn build_writes_the_html_next_to_the_tei_when_asked() {
    if processors().is_empty() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let run = common::teikit(&["build", "--out", out.path().to_str().unwrap(), "--html"]);
    assert!(run.status.success(), "{}", common::stderr(&run));
    for volume_doc in [
        "frus1969-76v10/d59",
        "frus1969-76v20/d1",
        "frus1969-76v38p1/d2",
    ] {
        let page = out.path().join(format!("{volume_doc}.html"));
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(html.starts_with("<!DOCTYPE"), "{}", page.display());
        assert!(common::stderr(&run).contains(&page.display().to_string()));
    }
}

#[test]
fn build_html_without_a_processor_says_how_to_get_one_and_converts_nothing() {
    let out = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_teikit"))
        .args(["build", "--out", out.path().to_str().unwrap(), "--html"])
        .current_dir(root())
        .env("PATH", out.path())
        .env_remove("TEIKIT_SAXON")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let message = common::stderr(&run);
    assert!(message.contains("no XSLT 3.0 processor found"), "{message}");
    assert!(message.contains("libsaxonhe-java") && message.contains("saxonche"));
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn build_html_with_a_missing_stylesheet_fails_before_converting() {
    let out = tempfile::tempdir().unwrap();
    let run = common::teikit(&[
        "build",
        "--out",
        out.path().to_str().unwrap(),
        "--html",
        "--stylesheet",
        "xslt/no-such.xsl",
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(common::stderr(&run).contains("xslt/no-such.xsl: no such stylesheet"));
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn a_reader_follows_a_note_and_its_back_link_in_chromium() {
    let Some((_, saxon)) = processors().into_iter().next() else {
        return;
    };
    if !program("chromium", "apt-get install chromium")
        || !program("chromedriver", "apt-get install chromium-driver")
    {
        return;
    }
    let tei = root().join("tei/frus1969-76v10/d59.xml");
    let html = transform(&saxon, "tei-to-html.xsl", &tei, &[]);
    let scratch = tempfile::tempdir().unwrap();
    let page = scratch.path().join("d59.html");
    std::fs::write(&page, html).unwrap();
    browser_check(
        "browser_check.py",
        &page,
        &["d59fn2"],
        "publish",
        &[
            "ok: reference -> note d59fn2, in view",
            "ok: note d59fn2 -> back to its reference, in view",
            "ok: fits a phone screen",
        ],
        &["first-screen.png", "annotation.png", "phone.png"],
    );
}

#[test]
fn one_run_renders_every_page_as_alone_and_only_pages_older_than_their_tei_again() {
    let sheet = teikit::publish::HtmlStylesheet::locate(Some(&root().join("xslt/tei-to-html.xsl")))
        .unwrap();
    for (name, saxon) in processors() {
        let dir = tempfile::tempdir().unwrap();
        let mut teis = Vec::new();
        for (k, source) in converted_documents().iter().take(3).enumerate() {
            let tei = dir.path().join(format!("d{k}.xml"));
            std::fs::copy(source, &tei).unwrap();
            teis.push(tei);
        }
        let pairs: Vec<(&Path, PathBuf)> = teis
            .iter()
            .map(|t| (t.as_path(), t.with_extension("html")))
            .collect();
        let pages = teikit::publish::write_all_html(&saxon, &sheet, &pairs);
        assert!(
            pages
                .iter()
                .all(|p| matches!(p, teikit::publish::Page::Written)),
            "{name}: {pages:?}"
        );
        // The same page as a run of its own.
        for (tei, html) in &pairs {
            let alone = saxon.transform(sheet.path(), tei, &[]).unwrap();
            assert!(
                std::fs::read(html).unwrap() == alone,
                "{name}: {}",
                html.display()
            );
        }
        // Nothing changed: nothing rendered. One TEI rewritten: its page alone.
        let again = teikit::publish::write_all_html(&saxon, &sheet, &pairs);
        assert!(
            again
                .iter()
                .all(|p| matches!(p, teikit::publish::Page::UpToDate)),
            "{name}: {again:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        let text = std::fs::read(&teis[1]).unwrap();
        std::fs::write(&teis[1], text).unwrap();
        let edited = teikit::publish::write_all_html(&saxon, &sheet, &pairs);
        let written: Vec<bool> = edited
            .iter()
            .map(|p| matches!(p, teikit::publish::Page::Written))
            .collect();
        assert_eq!(written, [false, true, false], "{name}: {edited:?}");
    }
}

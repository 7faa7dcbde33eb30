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

/// A processor, if Chromium and ChromeDriver are there to read its pages with.
fn browser_and_processor() -> Option<Saxon> {
    let (_, saxon) = processors().into_iter().next()?;
    let browser = program("chromium", "apt-get install chromium")
        && program("chromedriver", "apt-get install chromium-driver");
    browser.then_some(saxon)
}

/// The converted documents copied into `volume` as its documents 1, 2, 3… (`d1.xml`…),
/// `count` of them, renumbered (`div/@n` and every `n` of the same value).
fn renumbered_volume(volume: &Path, count: usize) -> Vec<PathBuf> {
    std::fs::create_dir_all(volume).unwrap();
    let sources = converted_documents();
    (1..=count)
        .map(|k| {
            let text = std::fs::read_to_string(&sources[(k - 1) % sources.len()]).unwrap();
            let doc = roxmltree::Document::parse(&text).unwrap();
            let n = common::document_div(&doc)
                .attribute("n")
                .unwrap()
                .to_string();
            let tei = volume.join(format!("d{k}.xml"));
            std::fs::write(
                &tei,
                text.replace(&format!("n=\"{n}\""), &format!("n=\"{k}\"")),
            )
            .unwrap();
            tei
        })
        .collect()
}

#[test]
fn a_reader_follows_a_note_and_its_back_link_in_chromium() {
    let Some(saxon) = browser_and_processor() else {
        return;
    };
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

/// The pages `write_edition` reports as written, by file name, sorted.
fn written(pages: &[(PathBuf, teikit::publish::Page)]) -> Vec<String> {
    let mut names: Vec<String> = pages
        .iter()
        .filter(|(_, p)| matches!(p, teikit::publish::Page::Written))
        .map(|(path, _)| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn one_run_renders_every_page_and_after_an_edit_only_what_changed() {
    let sheet = teikit::publish::HtmlStylesheet::locate(Some(&root().join("xslt/tei-to-html.xsl")))
        .unwrap();
    let nav =
        regex::Regex::new(r#"<link rel="(prev|next)"[^>]*>|<nav class="volume-nav".*?</nav>"#)
            .unwrap();
    for (name, saxon) in processors() {
        let dir = tempfile::tempdir().unwrap();
        let volume = dir.path().join("v1");
        // Four documents of one volume, numbered 1–4 in this order.
        let teis = renumbered_volume(&volume, 4);
        let volumes = [teikit::publish::VolumeFiles {
            folder: volume.clone(),
            documents: teis.clone(),
            ..Default::default()
        }];
        let pages = teikit::publish::write_edition(&saxon, &sheet, &volumes);
        assert_eq!(
            written(&pages),
            ["d1.html", "d2.html", "d3.html", "d4.html", "index.html"],
            "{name}: {pages:?}"
        );
        // A page made in the one run is the page a run of its own makes, but for its links
        // through the volume.
        let alone =
            String::from_utf8(saxon.transform(sheet.path(), &teis[1], &[]).unwrap()).unwrap();
        let in_volume = std::fs::read_to_string(volume.join("d2.html")).unwrap();
        let without_nav = nav.replace_all(&in_volume, "");
        assert!(
            without_nav == alone,
            "{name}: d2.html differs from its page alone"
        );
        // Nothing changed: nothing rendered. One TEI rewritten: its page (the volume's index
        // shows nothing that changed, its summary is the same).
        let again = teikit::publish::write_edition(&saxon, &sheet, &volumes);
        assert!(written(&again).is_empty(), "{name}: {again:?}");
        std::thread::sleep(std::time::Duration::from_millis(20));
        let text = std::fs::read(&teis[2]).unwrap();
        std::fs::write(&teis[2], text).unwrap();
        let edited = teikit::publish::write_edition(&saxon, &sheet, &volumes);
        assert_eq!(written(&edited), ["d3.html"], "{name}: {edited:?}");
        // Its head changed: its page, and the index whose contents show the head.
        std::thread::sleep(std::time::Duration::from_millis(20));
        let text = std::fs::read_to_string(&teis[2]).unwrap();
        std::fs::write(&teis[2], text.replacen("<head>", "<head>Revised: ", 1)).unwrap();
        let retitled = teikit::publish::write_edition(&saxon, &sheet, &volumes);
        assert_eq!(written(&retitled), ["d3.html", "index.html"], "{name}");
        let index = std::fs::read_to_string(volume.join("index.html")).unwrap();
        assert!(index.contains("Revised: "), "{name}");
        // A document added after d4: it, d4 (whose next link is new) and the index. Then d2
        // removed: d1 and d3, whose links named it, and the index.
        let added = volume.join("d5.xml");
        let text = std::fs::read_to_string(&teis[0]).unwrap();
        std::fs::write(&added, text.replace(r#"n="1""#, r#"n="5""#)).unwrap();
        let mut grown = volumes.clone();
        grown[0].documents.push(added);
        let pages = teikit::publish::write_edition(&saxon, &sheet, &grown);
        assert_eq!(
            written(&pages),
            ["d4.html", "d5.html", "index.html"],
            "{name}"
        );
        let d4 = std::fs::read_to_string(volume.join("d4.html")).unwrap();
        assert!(
            d4.contains(r#"<link rel="next" href="d5.html" data-document="5">"#),
            "{name}"
        );
        grown[0].documents.retain(|d| !d.ends_with("d2.xml"));
        let pages = teikit::publish::write_edition(&saxon, &sheet, &grown);
        assert_eq!(
            written(&pages),
            ["d1.html", "d3.html", "index.html"],
            "{name}"
        );
        let d1 = std::fs::read_to_string(volume.join("d1.html")).unwrap();
        assert!(
            d1.contains(r#"<link rel="next" href="d3.html" data-document="3">"#),
            "{name}"
        );
    }
}

/// The text of the element, whitespace normalised.
fn words(node: roxmltree::Node) -> String {
    text_of(node)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A TEI document of the volume as the test reads it, independently of teikit.
struct VolumeDocument {
    page: String,
    number: String,
    head: String,
    /// Per header entry mentioned in the text: its name.
    mentioned: BTreeSet<String>,
}

fn read_volume_document(tei: &Path) -> VolumeDocument {
    let text = std::fs::read_to_string(tei).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let page = tei
        .with_extension("html")
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    read_document_div(&doc, common::document_div(&doc), page)
}

/// The documents of a FRUS volume file, each with the page named by its `xml:id`.
fn read_volume_file(volume: &Path) -> Vec<VolumeDocument> {
    let text = std::fs::read_to_string(volume).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name((TEI, "div")) && n.attribute("type") == Some("document"))
        .map(|div| read_document_div(&doc, div, format!("{}.html", xml_id(div).unwrap())))
        .collect()
}

fn read_document_div(
    doc: &roxmltree::Document,
    div: roxmltree::Node,
    page: String,
) -> VolumeDocument {
    let head = div
        .children()
        .find(|c| c.has_tag_name((TEI, "head")))
        .map(|h| {
            let text: String = h
                .descendants()
                .filter(|n| n.is_text() && !n.ancestors().any(|a| a.has_tag_name((TEI, "note"))))
                .filter_map(|n| n.text())
                .collect();
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .unwrap_or_default();
    // The entries: the header's persons, places and organisations (teikit), or the names of a
    // FRUS volume's list of persons.
    let mut names = BTreeMap::new();
    for entry in doc.descendants().filter(|n| {
        n.has_tag_name((TEI, "person"))
            || n.has_tag_name((TEI, "place"))
            || n.has_tag_name((TEI, "org"))
    }) {
        if let (Some(id), Some(name)) = (xml_id(entry), entry.first_element_child()) {
            names.insert(id.to_string(), words(name));
        }
    }
    for list in doc
        .descendants()
        .filter(|n| n.has_tag_name((TEI, "div")) && xml_id(*n) == Some("persons"))
    {
        for name in list
            .descendants()
            .filter(|n| n.has_tag_name((TEI, "persName")))
        {
            if let Some(id) = xml_id(name) {
                names.insert(id.to_string(), words(name));
            }
        }
    }
    let mentioned = div
        .descendants()
        .filter(|n| {
            ["persName", "placeName", "orgName"]
                .iter()
                .any(|t| n.has_tag_name((TEI, *t)))
        })
        .filter_map(|n| n.attribute("ref").or(n.attribute("corresp")))
        .filter_map(|p| names.get(p.split_whitespace().next()?.trim_start_matches('#')))
        .cloned()
        .collect();
    VolumeDocument {
        page,
        number: div.attribute("n").unwrap().to_string(),
        head,
        mentioned,
    }
}

/// Every page of `pages`, parsed as HTML5 in one run of the parser, as XML text by path.
fn parse_html5_all(pages: &[PathBuf]) -> BTreeMap<PathBuf, String> {
    let out = Command::new("python3")
        .arg(root().join("tests/publish/html5_to_xml.py"))
        .args(pages)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "not valid HTML5:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&all).unwrap();
    doc.root_element()
        .children()
        .filter(|c| c.has_tag_name("page"))
        .map(|p| {
            let html = p.first_element_child().unwrap();
            (
                PathBuf::from(p.attribute("path").unwrap()),
                all[html.range()].to_string(),
            )
        })
        .collect()
}

/// Checks a volume's published pages: its `index.html` (contents in number order with each
/// document's number and head; every entry a document mentions, linked into that document;
/// every link resolving to a page and an anchor on it) and every document page's links through
/// the volume. `parsed` holds every page, parsed as HTML5.
fn check_volume_pages(
    label: &str,
    folder: &Path,
    mut docs: Vec<VolumeDocument>,
    parsed: &BTreeMap<PathBuf, String>,
) {
    let page_of = |path: &Path| roxmltree::Document::parse(&parsed[path]).unwrap();
    docs.sort_by_key(|d| d.number.parse::<u32>().unwrap());
    let index = page_of(&folder.join("index.html"));
    // The landmarks of every page, each with something in it.
    for landmark in ["header", "nav", "main", "footer", "h1"] {
        let found: Vec<_> = index
            .descendants()
            .filter(|n| n.has_tag_name(landmark))
            .collect();
        assert_eq!(found.len(), 1, "{label}: one {landmark}");
        assert!(!words(found[0]).is_empty(), "{label}: an empty {landmark}");
    }
    // The contents: every document, in number order, with its number and title.
    let toc: Vec<roxmltree::Node> = index
        .descendants()
        .filter(|n| n.has_tag_name("ol") && has_class(*n, "toc"))
        .flat_map(|ol| ol.children().filter(|li| li.has_tag_name("li")))
        .collect();
    assert_eq!(toc.len(), docs.len(), "{label}: contents");
    for (li, doc) in toc.iter().zip(&docs) {
        let link = li.descendants().find(|n| n.has_tag_name("a")).unwrap();
        assert_eq!(link.attribute("href"), Some(doc.page.as_str()), "{label}");
        let shown = words(link);
        assert!(
            shown.starts_with(&format!("{}. ", doc.number))
                && doc.head.ends_with(&shown[doc.number.len() + 2..]),
            "{label}: contents entry {shown:?} for the head {:?}",
            doc.head
        );
    }
    // The index: every entry a document mentions, with that document among its places.
    let entries: BTreeMap<String, roxmltree::Node> = index
        .descendants()
        .filter(|n| {
            n.has_tag_name("li") && n.attribute("id").is_some_and(|i| i.starts_with("idx_"))
        })
        .map(|li| {
            let name = li
                .descendants()
                .find(|n| has_class(*n, "entry-name"))
                .unwrap();
            (words(name), li)
        })
        .collect();
    for doc in &docs {
        for mentioned in &doc.mentioned {
            let entry = entries.get(mentioned).unwrap_or_else(|| {
                panic!("{label}: {mentioned} (in {}) not in the index", doc.page)
            });
            let prefix = format!("{}#", doc.page);
            assert!(
                entry.descendants().any(|a| a.has_tag_name("a")
                    && a.attribute("href").is_some_and(|h| h.starts_with(&prefix))),
                "{label}: the index entry {mentioned} links to no mention in {}",
                doc.page
            );
        }
    }
    // Every link of the index page resolves: a page of the volume, and the anchor on it.
    for link in index.descendants().filter(|n| n.has_tag_name("a")) {
        let href = link.attribute("href").unwrap();
        let (file, anchor) = href.split_once('#').unwrap_or((href, ""));
        let target = folder.join(if file.is_empty() { "index.html" } else { file });
        assert!(
            parsed.contains_key(&target),
            "{label}: {href} leads nowhere"
        );
        if !anchor.is_empty() {
            let page = page_of(&target);
            assert!(
                html_ids(&page).contains_key(anchor),
                "{label}: {href}: no such anchor"
            );
        }
    }
    // Every document page: previous, contents, next.
    for (k, doc) in docs.iter().enumerate() {
        let page = page_of(&folder.join(&doc.page));
        let rel = |r: &str| {
            page.descendants()
                .find(|n| n.has_tag_name("a") && n.attribute("rel") == Some(r))
                .and_then(|a| a.attribute("href"))
                .map(str::to_string)
        };
        let previous = k.checked_sub(1).map(|j| docs[j].page.clone());
        assert_eq!(rel("prev"), previous, "{label}: {}", doc.page);
        assert_eq!(
            rel("next"),
            docs.get(k + 1).map(|d| d.page.clone()),
            "{label}: {}",
            doc.page
        );
        assert!(
            page.descendants()
                .any(|n| n.has_tag_name("a") && n.attribute("href") == Some("index.html")),
            "{label}: {} does not link to the volume's contents",
            doc.page
        );
    }
}

/// The development set's sources, copied into a new folder, and the Saxon jar to publish with.
fn devset_project() -> Option<(tempfile::TempDir, PathBuf)> {
    let devset = common::frus_devset_dir()?;
    if !html5lib() || processors().is_empty() {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&devset.join("sources"), &dir.path().join("sources"));
    Some((dir, PathBuf::from(DEBIAN_SAXON_JAR)))
}

#[test]
fn each_volume_of_the_development_set_has_an_index_page_with_its_contents_and_every_mention() {
    let Some((dir, _)) = devset_project() else {
        return;
    };
    let sheet = teikit::publish::HtmlStylesheet::locate(Some(&root().join("xslt/tei-to-html.xsl")))
        .unwrap();
    let build = common::teikit_in(dir.path(), &["build"]);
    let mut volumes = Vec::new();
    for folder in std::fs::read_dir(dir.path().join("tei")).unwrap() {
        let folder = folder.unwrap().path();
        let mut documents: Vec<PathBuf> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|f| f.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "xml"))
            .collect();
        documents.sort();
        volumes.push(teikit::publish::VolumeFiles {
            folder,
            documents,
            ..Default::default()
        });
    }
    let documents: usize = volumes.iter().map(|v| v.documents.len()).sum();
    assert_eq!(documents, 72, "{}", common::stderr(&build));
    // Each processor renders all: SaxonC shares its 91 pages between processes.
    for (name, saxon) in processors() {
        for volume in &volumes {
            for page in std::fs::read_dir(&volume.folder).unwrap() {
                let page = page.unwrap().path();
                if page.extension().is_some_and(|e| e == "html") {
                    std::fs::remove_file(page).unwrap();
                }
            }
        }
        let pages = teikit::publish::write_edition(&saxon, &sheet, &volumes);
        let failed: Vec<_> = pages
            .iter()
            .filter(|(_, p)| !matches!(p, teikit::publish::Page::Written))
            .collect();
        assert!(failed.is_empty(), "{name}: {failed:?}");
        assert_eq!(pages.len(), 72 + volumes.len());
        let html_files: Vec<PathBuf> = pages.iter().map(|(p, _)| p.clone()).collect();
        let parsed = parse_html5_all(&html_files);
        for volume in &volumes {
            let label = format!("{name} {}", volume.folder.display());
            let docs = volume
                .documents
                .iter()
                .map(|d| read_volume_document(d))
                .collect();
            check_volume_pages(&label, &volume.folder, docs, &parsed);
        }
    }
}

#[test]
fn frus_volume_files_are_published_document_by_document_with_their_index_pages() {
    let Some((dir, jar)) = devset_project() else {
        return;
    };
    if !jar.is_file() {
        return; // SaxonC alone: the library test above covers it
    }
    let run = Command::new(env!("CARGO_BIN_EXE_teikit"))
        .args(["build", "--profile", "frus", "--html"])
        .current_dir(dir.path())
        .env("TEIKIT_SAXON", &jar)
        .output()
        .unwrap();
    let stderr = common::stderr(&run);
    assert!(!stderr.contains("error: cannot"), "{stderr}");
    let mut html_files = Vec::new();
    let mut volumes = Vec::new();
    for file in std::fs::read_dir(dir.path().join("tei")).unwrap() {
        let file = file.unwrap().path();
        if file.extension().is_some_and(|e| e == "xml") {
            let folder = file.with_extension("");
            let docs = read_volume_file(&file);
            html_files.push(folder.join("index.html"));
            html_files.extend(docs.iter().map(|d| folder.join(&d.page)));
            volumes.push((folder, docs));
        }
    }
    assert_eq!(volumes.len(), 19, "{stderr}");
    assert_eq!(html_files.len(), 72 + 19, "{stderr}");
    assert!(stderr.contains("91 reading page(s) written"), "{stderr}");
    let parsed = parse_html5_all(&html_files);
    for (folder, docs) in volumes {
        check_volume_pages(&folder.display().to_string(), &folder, docs, &parsed);
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn a_reader_goes_from_the_contents_to_a_document_to_the_index_and_back_in_chromium() {
    let Some(saxon) = browser_and_processor() else {
        return;
    };
    let sheet = teikit::publish::HtmlStylesheet::locate(Some(&root().join("xslt/tei-to-html.xsl")))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let volume = dir.path().join("v1");
    let documents = renumbered_volume(&volume, converted_documents().len());
    let pages = teikit::publish::write_edition(
        &saxon,
        &sheet,
        &[teikit::publish::VolumeFiles {
            folder: volume.clone(),
            documents,
            ..Default::default()
        }],
    );
    assert!(
        pages
            .iter()
            .all(|(_, p)| matches!(p, teikit::publish::Page::Written)),
        "{pages:?}"
    );
    browser_check(
        "volume_check.py",
        &volume.join("index.html"),
        &[],
        "volume",
        &[
            "ok: contents -> d1.html",
            "ok: d1.html -> next d2.html -> previous d1.html",
            "ok: document -> volume contents",
            "ok: index -> mention",
            "ok: back to the volume index",
        ],
        &["volume-index.png", "mention.png"],
    );
}

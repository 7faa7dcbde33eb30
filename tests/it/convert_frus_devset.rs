//! Real FRUS documents nobody here wrote (`../shared/frus-devset`, or `$TEIKIT_FRUS_DEVSET`):
//! every one converts, and the converter's invariants hold for each — nothing lost, the same
//! bytes twice, every pointer resolving, valid against the bundled subset with no rule broken and
//! against `tei_all` (jing). The development set's own scorer measures the encoding against the
//! Office of the Historian's.

use crate::common;
use crate::common::*;
use roxmltree::{Document, Node};
use std::path::{Path, PathBuf};

/// The plain-text sources of the development set, sorted.
fn devset_sources() -> Option<Vec<PathBuf>> {
    let dir = frus_devset_dir()?.join("sources");
    let mut found = Vec::new();
    for volume in std::fs::read_dir(&dir).unwrap() {
        let volume = volume.unwrap().path();
        if !volume.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&volume).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|e| e == "txt") {
                found.push(file);
            }
        }
    }
    found.sort();
    assert!(
        found.len() >= 70,
        "the development set has 72 documents: {found:?}"
    );
    Some(found)
}

/// A source as the converter's reader should see it, written independently of the converter:
/// the body (title to the last line before the notes) without page markers, subject bullets
/// and white space; and the notes at the end, by their printed label, without white space.
fn source_characters(text: &str) -> (String, Vec<(String, String)>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut notes = Vec::new();
    let mut body_end = lines.len();
    for (i, line) in lines.iter().enumerate().rev() {
        if line.trim().is_empty() {
            continue;
        }
        let trimmed = line.trim_start();
        let Some((label, note)) = trimmed.split_once(' ') else {
            break;
        };
        let label = label.trim_end_matches('.');
        let is_label = !label.is_empty()
            && (label.chars().all(|c| c.is_ascii_digit()) || label.chars().all(|c| c == '*'));
        if !line.starts_with(' ') || !is_label {
            break;
        }
        notes.insert(0, (label.to_string(), squeeze(note)));
        body_end = i;
    }
    let mut body = lines[..body_end].join("\n").replace('•', "");
    while let Some(start) = body.find("[Page ") {
        let end = body[start..].find(']').unwrap() + start + 1;
        body.replace_range(start..end, "");
    }
    (squeeze(&body), notes)
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The document division as a reader reads it: its text without white space, each note
/// referenced in the text replaced by its printed label, supplied text left out; and the notes,
/// by label, in document order.
fn tei_characters(div: Node) -> (String, Vec<(String, String)>) {
    fn walk(node: Node, text: &mut String, notes: &mut Vec<(String, String)>) {
        for child in node.children() {
            if child.is_text() {
                text.push_str(&squeeze(child.text().unwrap_or("")));
            } else if child.is_element() {
                match child.tag_name().name() {
                    "supplied" => {}
                    "note" if child.attribute("place") != Some("inline") => {
                        let label = child.attribute("n").unwrap_or("").to_string();
                        if child.attribute("place") != Some("end") {
                            text.push_str(&label);
                        }
                        notes.push((label, squeeze(&common::text(child))));
                    }
                    _ => walk(child, text, notes),
                }
            }
        }
    }
    let (mut text, mut notes) = (String::new(), Vec::new());
    walk(div, &mut text, &mut notes);
    (text, notes)
}

#[test]
fn every_document_converts_with_the_invariants() {
    let Some(sources) = devset_sources() else {
        return;
    };
    let schema = teikit::relaxng::Schema::bundled().expect("the bundled schema compiles");
    let mut validator = schema.validator();
    for source in &sources {
        let name = source.display();
        let conversion = teikit::convert::convert_file(source)
            .unwrap_or_else(|e| panic!("{name} does not convert:\n{e}"));
        let xml = &conversion.xml;
        let doc = Document::parse(xml).unwrap();

        let (text, mut notes) = source_characters(&std::fs::read_to_string(source).unwrap());
        let (tei_text, mut tei_notes) = tei_characters(document_div(&doc));
        assert_eq!(
            tei_text, text,
            "{name}: the text, notes at their references"
        );
        notes.sort();
        tei_notes.sort();
        assert_eq!(tei_notes, notes, "{name}: every note, by its label");

        assert_eq!(unresolved_pointers(&doc), Vec::<String>::new(), "{name}");
        let again = teikit::convert::convert_file(source).unwrap().xml;
        assert_eq!(&again, xml, "{name}: deterministic");

        let out = Path::new("out.xml");
        let schema_problems: Vec<String> = validator
            .validate(out, xml)
            .into_iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(
            schema_problems,
            Vec::<String>::new(),
            "{name}: bundled subset"
        );
        // Modern volumes break no rule; the older ones no rule's error either (what a source
        // of theirs lacks, a `Source:` note say, is a warning), so `build` passes on them.
        let modern = source.parent().is_some_and(is_modern_devset_volume);
        let rule_problems: Vec<String> = teikit::rules::check_document(out, xml)
            .into_iter()
            .filter(|d| modern || d.severity == teikit::base::diagnostic::Severity::Error)
            .map(|d| d.to_string())
            .collect();
        assert_eq!(rule_problems, Vec::<String>::new(), "{name}: rules");
    }
}

#[test]
fn every_document_is_valid_against_tei_all_with_jing() {
    let (Some(sources), Some(reference)) = (devset_sources(), reference_dir()) else {
        return;
    };
    if !program("jing", "apt-get install jing") {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        let conversion = teikit::convert::convert_file(source).unwrap();
        let file = out.path().join(format!("{i}.xml"));
        std::fs::write(&file, conversion.xml).unwrap();
        files.push(file);
    }
    let jing = std::process::Command::new("jing")
        .arg(reference.join("tei/tei_all.rng"))
        .args(&files)
        .output()
        .unwrap();
    assert!(
        jing.status.success(),
        "jing rejects a conversion:\n{}",
        String::from_utf8_lossy(&jing.stdout)
    );
}

/// One document's line of the scorer: `frus1961-63v01/d77: converted F1 1.00 pb 2/2 notes 1/1
/// head ok persons 3/3 dates 1/1`.
#[derive(Debug)]
struct DocumentScore {
    volume: String,
    converted: bool,
    f1: f64,
    persons: (u32, u32),
    dates: (u32, u32),
}

fn parse_document_line(line: &str) -> Option<DocumentScore> {
    let (name, rest) = line.split_once(": ")?;
    let (volume, _) = name.split_once('/')?;
    let words: Vec<&str> = rest.split_whitespace().collect();
    let after = |key: &str| -> Option<&str> {
        let at = words.iter().position(|w| *w == key)?;
        words.get(at + 1).copied()
    };
    let fraction = |key: &str| -> Option<(u32, u32)> {
        let (a, b) = after(key)?.split_once('/')?;
        Some((a.parse().ok()?, b.parse().ok()?))
    };
    Some(DocumentScore {
        volume: volume.to_string(),
        converted: words.first() == Some(&"converted"),
        f1: after("F1").and_then(|f| f.parse().ok()).unwrap_or(0.0),
        persons: fraction("persons")?,
        dates: fraction("dates")?,
    })
}

#[test]
fn the_development_set_scores_against_the_official_encoding() {
    let Some(devset) = frus_devset_dir() else {
        return;
    };
    if !python_module("lxml", "pip install lxml") {
        return;
    }
    let run = std::process::Command::new("python3")
        .arg(devset.join("score.py"))
        .arg(env!("CARGO_BIN_EXE_teikit"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let documents: Vec<DocumentScore> = stdout
        .lines()
        .filter(|l| l.starts_with("frus") && !l.starts_with("frus-devset:"))
        .filter_map(parse_document_line)
        .collect();
    assert!(documents.len() >= 70, "{stdout}\n{}", stderr(&run));
    // Every document of every era converts.
    let failed: Vec<&DocumentScore> = documents.iter().filter(|d| !d.converted).collect();
    assert!(failed.is_empty(), "{failed:?}");
    // What the converter reaches on the volumes of 1952–1988 (README, "The FRUS development
    // set"); a fall below is a regression. The misses left are named there. The older eras'
    // scores are being raised (issue 25) and printed here, not yet held.
    for (era, modern) in [("1952–1988", true), ("1861–1951", false)] {
        let of_era: Vec<&DocumentScore> = documents
            .iter()
            .filter(|d| is_modern_devset_volume(Path::new(&d.volume)) == modern)
            .collect();
        let mean_f1 = of_era.iter().map(|d| d.f1).sum::<f64>() / of_era.len() as f64;
        let sum = |pick: fn(&DocumentScore) -> (u32, u32)| {
            of_era
                .iter()
                .map(|d| pick(d))
                .fold((0, 0), |(a, b), (c, d)| (a + c, b + d))
        };
        let persons = sum(|d| d.persons);
        let dates = sum(|d| d.dates);
        let summary = format!(
            "{era}: {} documents, F1 mean {mean_f1:.3}, persons {persons:?}, dates {dates:?}",
            of_era.len()
        );
        eprintln!("{summary}");
        if modern {
            assert_eq!(of_era.len(), 42, "{summary}");
            assert!(mean_f1 >= 0.97, "{summary}");
            assert!(
                f64::from(persons.0) >= 0.90 * f64::from(persons.1),
                "{summary}"
            );
            assert!(f64::from(dates.0) >= 0.95 * f64::from(dates.1), "{summary}");
        }
    }
}

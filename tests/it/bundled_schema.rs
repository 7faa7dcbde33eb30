//! The bundled TEI subset (`schema/teikit-documentary.rng`): its description agrees with it, it
//! is a true subset of TEI (everything valid against it is valid against `tei_all`), it is
//! tighter where it says, and it is the default of `teikit validate` and `teikit build`.

use crate::common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use teikit::relaxng::Schema;

const GLOBAL: &[&str] = &[
    "xml:id", "xml:lang", "n", "rend", "corresp", "copyOf", "ana", "resp", "cert",
];

/// The element table of schema/README.md: element → attributes ("global" expanded).
fn described() -> BTreeMap<String, BTreeSet<String>> {
    let readme = std::fs::read_to_string(root().join("schema/README.md")).unwrap();
    let mut out = BTreeMap::new();
    for line in readme.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let element = cells[1].trim_matches('`').to_string();
        let mut attributes = BTreeSet::new();
        for a in cells[2].split(", ") {
            if a == "global" {
                attributes.extend(GLOBAL.iter().map(|g| g.to_string()));
            } else {
                attributes.insert(a.trim_matches('`').to_string());
            }
        }
        out.insert(element, attributes);
    }
    out
}

#[test]
fn the_description_and_the_schema_agree() {
    let schema = Schema::bundled().expect("the bundled schema compiles");
    let vocabulary = schema.vocabulary();
    let description = described();
    let schema_elements: BTreeSet<&String> = vocabulary.keys().collect();
    let described_elements: BTreeSet<&String> = description.keys().collect();
    assert_eq!(schema_elements, described_elements, "elements");
    for (element, attributes) in &vocabulary {
        assert_eq!(
            attributes, &description[element],
            "attributes of `{element}`"
        );
    }
}

fn documents() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [
        "tei/frus1969-76v10",
        "tei/frus1969-76v20",
        "tei/frus1969-76v38p1",
        "tests/fixtures/subset",
    ] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            files.push(entry.unwrap().path());
        }
    }
    if let Some(reference) = reference_dir() {
        for dir in ["corpus/valid-or-invalid", "corpus/mutants"] {
            for entry in std::fs::read_dir(reference.join(dir)).unwrap() {
                files.push(entry.unwrap().path());
            }
        }
    }
    files.sort();
    files
}

#[test]
fn everything_valid_against_the_subset_is_valid_against_tei_all() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let subset = Schema::bundled().unwrap();
    let tei_all = Schema::from_file(&reference.join("tei/tei_all.rng")).unwrap();
    let (mut sub, mut all) = (subset.validator(), tei_all.validator());
    let mut passing = Vec::new();
    for file in documents() {
        let text = std::fs::read_to_string(&file).unwrap();
        if sub.validate(&file, &text).is_empty() {
            let errors = all.validate(&file, &text);
            assert!(
                errors.is_empty(),
                "{} passes the subset but not tei_all: {errors:#?}",
                file.display()
            );
            passing.push(file);
        }
    }
    assert!(
        passing.len() >= 4,
        "the converted documents and the fixture pass the subset: {passing:?}"
    );
    if program("jing", "apt-get install jing") {
        let out = std::process::Command::new("jing")
            .arg(reference.join("tei/tei_all.rng"))
            .args(&passing)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "jing: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let out = std::process::Command::new("jing")
            .arg(root().join("schema/teikit-documentary.rng"))
            .args(&passing)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "jing agrees with teikit on the subset: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn tighter_than_tei_where_it_says() {
    let subset = Schema::bundled().unwrap();
    let mut validator = subset.validator();
    let fixture =
        std::fs::read_to_string(root().join("tests/fixtures/subset/every-element.xml")).unwrap();
    for (from, to, message) in [
        (
            r#"<pb n="2" xml:id="pg_2"/>"#,
            r#"<pb n="2"/>"#,
            "element `pb` is missing required attribute `xml:id`",
        ),
        (
            r#"<note n="2" xml:id="d1fn2">"#,
            r#"<note n="2">"#,
            "element `note` is missing required attribute `xml:id`",
        ),
        (
            r#"xml:id="d1">"#,
            r#">"#,
            "element `div` is missing required attribute `xml:id`",
        ),
        (
            r#"cert="high""#,
            r#"cert="0.9""#,
            "value `0.9` of attribute `cert` is invalid",
        ),
    ] {
        assert!(fixture.contains(from), "{from}");
        let errors = validator.validate(Path::new("t.xml"), &fixture.replacen(from, to, 1));
        assert!(
            errors.iter().any(|e| e.message.contains(message)),
            "{message}: {errors:#?}"
        );
    }
}

#[test]
fn validate_uses_the_bundled_schema_by_default() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.xml"),
        r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><text/></TEI>"#,
    )
    .unwrap();
    let out = teikit_in(dir.path(), &["validate", "bad.xml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "error[schema]: element `text` not allowed yet; expected element `teiHeader` first"
        ),
        "{}",
        stderr(&out)
    );
    let tei = teikit(&["validate", "tei"]);
    assert!(tei.status.success(), "{}", stderr(&tei));
}

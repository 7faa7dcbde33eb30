//! The compiled-schema cache: used when current, ignored when stale or corrupt, and the same
//! verdicts either way.

use crate::common;
use std::path::Path;
use teikit::relaxng::Schema;

const MAIN: &str = r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0"
    datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <include href="part.rng"/>
  <start><element name="doc"><zeroOrMore><ref name="item"/></zeroOrMore></element></start>
</grammar>"#;

fn part(item: &str) -> String {
    format!(
        r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0"
    datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <define name="item"><element name="{item}"><attribute name="when"><data type="date"/></attribute></element></define>
</grammar>"#
    )
}

fn errors(schema: &Schema, xml: &str) -> Vec<String> {
    schema
        .validator()
        .validate(Path::new("t.xml"), xml)
        .into_iter()
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn cache_is_used_invalidated_and_survives_corruption() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let main = dir.path().join("main.rng");
    std::fs::write(&main, MAIN).unwrap();
    std::fs::write(dir.path().join("part.rng"), part("item")).unwrap();
    let good = r#"<doc><item when="1973-05-24"/></doc>"#;
    let bad = r#"<doc><item when="May 24"/><other/></doc>"#;

    let compiled = Schema::from_file_cached(&main, Some(&cache)).unwrap();
    let cached_files: Vec<_> = std::fs::read_dir(&cache).unwrap().collect();
    assert_eq!(cached_files.len(), 1, "the compiled schema is saved");
    let loaded = Schema::from_file_cached(&main, Some(&cache)).unwrap();
    assert_eq!(errors(&compiled, good), errors(&loaded, good));
    assert_eq!(errors(&compiled, bad), errors(&loaded, bad));
    assert_eq!(errors(&loaded, bad).len(), 2, "{:?}", errors(&loaded, bad));
    assert_eq!(compiled.pattern_count(), loaded.pattern_count());

    // An included file changes: the cached copy is stale and not used.
    std::fs::write(dir.path().join("part.rng"), part("entry")).unwrap();
    let changed = Schema::from_file_cached(&main, Some(&cache)).unwrap();
    assert!(
        !errors(&changed, good).is_empty(),
        "`item` is no longer allowed"
    );
    assert!(errors(&changed, r#"<doc><entry when="1973-05-24"/></doc>"#).is_empty());

    // A corrupt cache file is ignored.
    for entry in std::fs::read_dir(&cache).unwrap() {
        let path = entry.unwrap().path();
        let mut bytes = std::fs::read(&path).unwrap();
        let half = bytes.len() / 2;
        bytes.truncate(half);
        std::fs::write(&path, bytes).unwrap();
    }
    let recovered = Schema::from_file_cached(&main, Some(&cache)).unwrap();
    assert!(errors(&recovered, r#"<doc><entry when="1973-05-24"/></doc>"#).is_empty());
}

#[test]
fn cached_tei_all_gives_the_same_verdicts() {
    let Some(reference) = common::reference_dir() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let schema_path = reference.join("tei/tei_all.rng");
    let fresh = Schema::from_file_cached(&schema_path, Some(dir.path())).unwrap();
    let cached = Schema::from_file_cached(&schema_path, Some(dir.path())).unwrap();
    for file in [
        "mutants/m02-bad-date.xml",
        "mutants/m09-cert-out-of-range.xml",
        "valid-or-invalid/5721.xml",
        "valid-or-invalid/base.xml",
    ] {
        let path = reference.join("corpus").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let a = fresh.validator().validate(&path, &text);
        let b = cached.validator().validate(&path, &text);
        assert_eq!(a, b, "{file}");
    }
}

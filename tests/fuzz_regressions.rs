//! Every input the fuzzers of `fuzz/` found to crash teikit, kept and run the way its target ran
//! it, so that a fixed crash stays fixed. The inputs live in
//! `tests/fixtures/fuzz/crashes/TARGET/`; to keep a new one, copy it there from
//! `fuzz/artifacts/TARGET/` with a name that says what it exercises.
//!
//! Each case must not panic, and must end the way a user can act on: a conversion, or errors
//! located in the file; a verdict, or a located not-well-formed error.

mod common;

use common::root;
use std::path::PathBuf;
use teikit::convert::editorial::{DocumentData, VolumeData};
use teikit::convert::{convert, source::SourceText, ConvertError};

fn crashes(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = root().join("tests/fixtures/fuzz/crashes").join(target);
    let Ok(listing) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut cases: Vec<(PathBuf, Vec<u8>)> = listing
        .map(|e| e.unwrap().path())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    cases.sort();
    cases
}

#[test]
fn converter_crashes_now_convert_or_give_located_errors() {
    let dir = root().join("sources/frus1969-76v10");
    let volume = VolumeData::load(&dir.join("volume.toml")).unwrap();
    let document = DocumentData::load(&dir.join("d59.toml")).unwrap();
    let cases = crashes("convert_text");
    assert!(!cases.is_empty(), "the converter's crash inputs are kept");
    for (path, bytes) in cases {
        let source = match SourceText::decode(&path, bytes) {
            Ok(source) => source,
            // Refused as it is read: a located error is an acceptable end.
            Err(error) => {
                assert!(error.location.line > 0, "{}", path.display());
                continue;
            }
        };
        match convert(&source, &volume, &document) {
            Ok(conversion) => assert!(conversion.xml.contains("<TEI"), "{}", path.display()),
            Err(ConvertError::Source(errors)) => {
                assert!(!errors.is_empty(), "{}", path.display());
                assert!(errors.iter().all(|e| e.location.line > 0));
            }
            Err(other) => panic!("{}: {other}", path.display()),
        }
    }
}

#[test]
fn converter_crash_with_a_classification_before_a_closing_quote_keeps_the_quote() {
    let dir = root().join("sources/frus1969-76v10");
    let volume = VolumeData::load(&dir.join("volume.toml")).unwrap();
    let document = DocumentData::load(&dir.join("d59.toml")).unwrap();
    let path = root()
        .join("tests/fixtures/fuzz/crashes/convert_text/classification-before-closing-quote.txt");
    // The fuzzer's input also holds a NUL, which the converter now refuses before it reaches
    // the source note; without it, the input still takes the path that crashed.
    let text = String::from_utf8(std::fs::read(&path).unwrap())
        .unwrap()
        .replace('\0', " ");
    let source = SourceText::new(&path, text);
    let conversion = convert(&source, &volume, &document).expect("converts");
    // The source note's text stays as received, up to and including the closing quote.
    assert!(
        conversion
            .xml
            .contains("Exclusively Eyllent job against great odds.”"),
        "the note's text is kept"
    );
}

/// The small schema of `fuzz/fuzz_targets/validate_small_schema.rs`.
const SMALL_SCHEMA: &str = include_str!("fixtures/fuzz/small.rnc");

#[test]
fn validator_crashes_now_give_verdicts() {
    let schema =
        teikit::relaxng::Schema::from_str(SMALL_SCHEMA, std::path::Path::new("small.rnc")).unwrap();
    let cases = crashes("validate_small_schema");
    assert!(!cases.is_empty(), "the validator's crash inputs are kept");
    for (path, bytes) in cases {
        let text = teikit::xml::decode(&path, bytes).unwrap();
        let problems = schema.validator().validate(&path, &text);
        assert!(
            problems.iter().all(|p| p.location.line > 0),
            "{}",
            path.display()
        );
    }
}

#[test]
fn a_date_with_a_byte_order_mark_inside_is_invalid_not_a_crash() {
    let schema =
        teikit::relaxng::Schema::from_str(SMALL_SCHEMA, std::path::Path::new("small.rnc")).unwrap();
    let path = root().join(
        "tests/fixtures/fuzz/crashes/validate_small_schema/date-with-a-byte-order-mark-inside.xml",
    );
    let text = teikit::xml::decode(&path, std::fs::read(&path).unwrap()).unwrap();
    let problems = schema.validator().validate(&path, &text);
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("when") && p.location.line == 1),
        "{problems:?}"
    );
}

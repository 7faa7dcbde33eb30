//! Every input the fuzzers of `fuzz/` found to crash teikit, kept and run the way its target ran
//! it, so that a fixed crash stays fixed. The inputs live in
//! `tests/fixtures/fuzz/crashes/TARGET/`; to keep a new one, copy it there from
//! `fuzz/artifacts/TARGET/` with a name that says what it exercises.
//!
//! Each kept input has its expected outcome in the tables below, asserted exactly (where the
//! input is refused or what the verdict says), so a new input without one fails the test.

use crate::common::root;
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

/// What a kept converter input must give: refused at line and column with a message, or
/// converted.
enum Conversion {
    RefusedAt(usize, usize, &'static str),
}

/// The expected outcome of every input in `crashes/convert_text/`.
const CONVERTER_CASES: &[(&str, Conversion)] = &[(
    "classification-before-closing-quote.txt",
    // The NUL the fuzzer put in is refused where it stands, before the source note that crashed.
    Conversion::RefusedAt(5, 771, "a character XML cannot hold (U+0000)"),
)];

/// A problem: line, column and a part of its message.
type Problem = (usize, usize, &'static str);

/// The expected outcome of every input in `crashes/validate_small_schema/`: the line, column
/// and message of each problem, in order.
const VALIDATOR_CASES: &[(&str, &[Problem])] = &[(
    "date-with-a-byte-order-mark-inside.xml",
    // The date with a byte-order mark inside; an attribute the schema has not; `hanD`, which
    // the note's pattern (words in lower case after the first) refuses.
    &[
        (
            1,
            43,
            "value `1973\u{feff}z-05` of attribute `when` is invalid",
        ),
        (1, 60, "attribute `reA` not allowed on `item`"),
        (
            1,
            104,
            "the text `Circled by hanD.` of element `note` is invalid",
        ),
    ],
)];

fn file_name(path: &std::path::Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn converter_crashes_give_their_expected_outcome() {
    let dir = root().join("sources/frus1969-76v10");
    let volume = VolumeData::load(&dir.join("volume.toml")).unwrap();
    let document = DocumentData::load(&dir.join("d59.toml")).unwrap();
    let cases = crashes("convert_text");
    assert_eq!(
        cases.len(),
        CONVERTER_CASES.len(),
        "every kept input has its expected outcome"
    );
    for (path, bytes) in cases {
        let name = file_name(&path);
        let (_, expected) = CONVERTER_CASES
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("{name}: no expected outcome"));
        let outcome = SourceText::decode(&path, bytes)
            .map_err(|d| vec![d])
            .and_then(|source| match convert(&source, &volume, &document) {
                Ok(conversion) => Ok(conversion),
                Err(ConvertError::Source(errors)) => Err(errors),
                Err(other) => panic!("{name}: {other}"),
            });
        match expected {
            Conversion::RefusedAt(line, column, message) => {
                let errors = outcome.err().unwrap_or_else(|| panic!("{name}: converted"));
                assert_eq!(errors.len(), 1, "{name}: {errors:?}");
                assert_eq!(
                    (errors[0].location.line, errors[0].location.column),
                    (*line, *column)
                );
                assert!(errors[0].message.contains(message), "{name}: {}", errors[0]);
            }
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
const SMALL_SCHEMA: &str = include_str!("../fixtures/fuzz/small.rnc");

#[test]
fn validator_crashes_give_their_expected_verdicts() {
    let schema =
        teikit::relaxng::Schema::from_str(SMALL_SCHEMA, std::path::Path::new("small.rnc")).unwrap();
    let cases = crashes("validate_small_schema");
    assert_eq!(
        cases.len(),
        VALIDATOR_CASES.len(),
        "every kept input has its expected verdict"
    );
    for (path, bytes) in cases {
        let name = file_name(&path);
        let (_, expected) = VALIDATOR_CASES
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("{name}: no expected verdict"));
        let text = teikit::xml::decode(&path, bytes).unwrap();
        let problems = schema.validator().validate(&path, &text);
        let found: Vec<(usize, usize)> = problems
            .iter()
            .map(|p| (p.location.line, p.location.column))
            .collect();
        let wanted: Vec<(usize, usize)> = expected.iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(found, wanted, "{name}: {problems:?}");
        for (problem, (_, _, message)) in problems.iter().zip(expected.iter()) {
            assert!(
                problem.message.contains(message),
                "{name}: {}",
                problem.message
            );
        }
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

//! Bad input. What makes output impossible (an empty or undecodable file, broken editor's data)
//! gives an error with file, line and column, a non-zero exit, and leaves the output file as it
//! was. A surprise in the text (a note whose reference cannot be found, a page marker out of
//! order) costs a warning at its place: the document still converts, nothing of it lost, and
//! `--strict` turns the warning into a failure that writes nothing.

use crate::common::*;
use std::path::Path;

const VOLUME: &str = r#"
[volume]
id = "v1"
series = "Foreign Relations of the United States"
subseries = "1969–1976"
number = "I"
title = "Test"
publisher = "GPO"
pub_place = "Washington"
published = "2000"
availability = "Public domain"

[[person]]
id = "p_A_1"
name = "Able, A."
forms = ["Able"]
identification = "a person"

[[person]]
id = "p_B_1"
name = "Baker, B."
forms = ["Baker"]
identification = "a person never mentioned"
"#;

const DOCUMENT: &str = "[document]\nnumber = 1\nid = \"d1\"\n";

/// A volume directory with `d1.txt` holding `source`; returns the directory.
fn fixture(source: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("volume.toml"), VOLUME).unwrap();
    std::fs::write(dir.path().join("d1.toml"), DOCUMENT).unwrap();
    std::fs::write(dir.path().join("d1.txt"), source).unwrap();
    std::fs::write(dir.path().join("out.xml"), "previous output").unwrap();
    dir
}

/// Converts `d1.txt` of `dir` into `out.xml`; asserts failure, the location and message, and
/// that `out.xml` is untouched.
fn assert_rejected(dir: &Path, location: &str, message: &str) {
    let out = teikit_in(dir, &["convert", "d1.txt", "-o", "out.xml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "exit status; stderr:\n{err}");
    assert!(
        err.contains(location),
        "expected location {location:?} in:\n{err}"
    );
    assert!(err.contains(message), "expected {message:?} in:\n{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("out.xml")).unwrap(),
        "previous output"
    );
    assert!(!err.contains("panicked"), "{err}");
}

/// Converts `d1.txt` of `dir`: asserts success with a warning at `location` saying `message`,
/// and returns the TEI written. Then asserts that `--strict` fails on the same warning and
/// leaves the output as it was.
fn assert_converted_with_warning(dir: &Path, location: &str, message: &str) -> String {
    let out = teikit_in(dir, &["convert", "d1.txt", "-o", "out.xml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "exit status; stderr:\n{err}");
    assert!(
        err.contains(&format!("warning: {message}")),
        "expected a warning {message:?} in:\n{err}"
    );
    assert!(
        err.contains(location),
        "expected location {location:?} in:\n{err}"
    );
    let xml = std::fs::read_to_string(dir.join("out.xml")).unwrap();
    assert!(xml.starts_with("<?xml"), "{xml}");

    std::fs::write(dir.join("out.xml"), "previous output").unwrap();
    let strict = teikit_in(dir, &["convert", "d1.txt", "-o", "out.xml", "--strict"]);
    let err = stderr(&strict);
    assert_eq!(strict.status.code(), Some(1), "--strict; stderr:\n{err}");
    assert!(err.contains(&format!("error: {message}")), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("out.xml")).unwrap(),
        "previous output"
    );
    xml
}

#[test]
fn empty_file() {
    let dir = fixture(b"");
    assert_rejected(
        dir.path(),
        "d1.txt:1:1",
        "empty source: expected a title line",
    );
}

#[test]
fn no_title_line() {
    let dir = fixture(b"\nMemorandum for the President\nText.\n");
    let xml = assert_converted_with_warning(
        dir.path(),
        "d1.txt:2:1",
        "expected a title line such as `59. Memorandum",
    );
    assert!(
        xml.contains("<head>Memorandum for the President</head>"),
        "{xml}"
    );
    assert!(xml.contains("<p>Text.</p>"), "{xml}");
}

#[test]
fn a_number_glued_to_a_word_without_a_note_stays_text() {
    let dir = fixture(b"1. Memorandum\n\nAble said so.1 Then he left.\n");
    let out = teikit_in(dir.path(), &["convert", "d1.txt", "-o", "out.xml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let xml = std::fs::read_to_string(dir.path().join("out.xml")).unwrap();
    assert!(xml.contains("said so.1 Then he left."), "{xml}");
    assert!(!xml.contains("<note n="), "{xml}");
}

#[test]
fn note_without_a_reference_is_kept_at_the_end_of_its_document() {
    let dir = fixture(b"1. Memorandum1\n\nAble said so. Then he left.\n  1. Source: Files.\n  2. Never referenced.\n");
    let xml = assert_converted_with_warning(dir.path(), "d1.txt:5:3", "note 2 is never referenced");
    assert!(
        xml.contains(
            "<note n=\"2\" xml:id=\"d1fn2\" place=\"end\">Never referenced.</note>\n      </div>"
        ),
        "{xml}"
    );
}

#[test]
fn notes_numbered_out_of_sequence_keep_their_numbers() {
    let dir =
        fixture(b"1. Memorandum1\n\nAble said so.3 Then.\n  1. Source: Files.\n  3. Three.\n");
    let xml = assert_converted_with_warning(
        dir.path(),
        "d1.txt:5:3",
        "note numbered 3 where note 2 was expected",
    );
    assert!(
        xml.contains("so.<note n=\"3\" xml:id=\"d1fn3\">Three.</note> Then."),
        "{xml}"
    );
}

#[test]
fn page_markers_out_of_order_are_kept_where_they_stand() {
    let dir = fixture(b"1. Memorandum\n\nAble [Page 5] said [Page 4] so.\n");
    let xml = assert_converted_with_warning(
        dir.path(),
        "d1.txt:3:20",
        "page marker [Page 4] out of order",
    );
    assert!(
        xml.contains("said <pb n=\"4\" xml:id=\"pg_4_2\"/> so."),
        "{xml}"
    );
}

#[test]
fn page_marker_duplicated_gets_an_id_of_its_own() {
    let dir = fixture(b"1. Memorandum\n\nAble [Page 5] said.\n[Page 5]\nMore.\n");
    let xml =
        assert_converted_with_warning(dir.path(), "d1.txt:4:1", "duplicate page marker [Page 5]");
    assert!(xml.contains("<pb n=\"5\" xml:id=\"pg_5_2\"/>"), "{xml}");
}

#[test]
fn malformed_page_marker_stays_text() {
    let dir = fixture(b"1. Memorandum\n\nAble [Page five] said.\n");
    let xml = assert_converted_with_warning(dir.path(), "d1.txt:3:6", "malformed page marker");
    assert!(xml.contains("[Page five] said."), "{xml}");
}

#[test]
fn invalid_utf8() {
    let dir = fixture(b"1. Memorandum\n\nAble said \xFF so.\n");
    assert_rejected(dir.path(), "d1.txt:3:11", "invalid UTF-8");
}

#[test]
fn title_number_disagrees_with_the_document_data() {
    let dir = fixture(b"2. Memorandum\n\nAble said so.\n");
    let xml = assert_converted_with_warning(
        dir.path(),
        "d1.txt:1:1",
        "the title line gives document number 2, but",
    );
    assert!(
        xml.contains("<div type=\"document\" n=\"1\""),
        "the editor's number: {xml}"
    );
}

#[test]
fn historical_document_without_a_source_note() {
    let dir = fixture(b"1. Memorandum\n\nAble said so.\n");
    assert_converted_with_warning(
        dir.path(),
        "d1.txt:1:1",
        "a historical document should have a source note",
    );
}

#[test]
fn missing_register_file_converts_without_names_and_says_what_would_enrich_it() {
    let dir = fixture(b"1. Memorandum1\n\nAble said so.\n  1. Source: Files.\n");
    std::fs::remove_file(dir.path().join("volume.toml")).unwrap();
    let xml = assert_converted_with_warning(
        dir.path(),
        "d1.txt:1:1",
        "converted without the editor's data; it would be enriched by",
    );
    assert!(
        xml.contains("<p>Able said so.</p>"),
        "no names tagged: {xml}"
    );

    // A volume named on the command line must exist.
    let out = teikit_in(
        dir.path(),
        &[
            "convert",
            "d1.txt",
            "--volume",
            "elsewhere.toml",
            "-o",
            "out.xml",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("elsewhere.toml: error: cannot read editorial data"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.xml")).unwrap(),
        "previous output"
    );

    // With --volume, the registers of another folder tag the names.
    std::fs::write(dir.path().join("elsewhere.toml"), VOLUME).unwrap();
    let out = teikit_in(
        dir.path(),
        &["convert", "d1.txt", "--volume", "elsewhere.toml"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(
        xml.contains("<persName ref=\"#p_A_1\">Able</persName>"),
        "{xml}"
    );
}

#[test]
fn a_lone_text_converts_with_defaults() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("letter.txt"),
        "Washington, June 3, 1977.\nDear Cy:\nThank you for your letter.\nIt helped.\nSincerely,\nJimmy\n",
    )
    .unwrap();
    let out = teikit_in(dir.path(), &["convert", "letter.txt", "-o", "letter.xml"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("volume.toml (the volume and its registers"),
        "{err}"
    );
    assert!(err.contains("letter.toml (the document's number"), "{err}");
    let xml = std::fs::read_to_string(dir.path().join("letter.xml")).unwrap();
    assert!(
        xml.contains(r#"<div type="document" n="1" xml:id="letter""#),
        "{xml}"
    );
    assert!(
        xml.contains(
            r#"<dateline>Washington, <date when="1977-06-03">June 3, 1977</date>.</dateline>"#
        ),
        "{xml}"
    );
    assert!(!xml.contains("<head>"), "no title line, no head: {xml}");
    assert!(
        xml.contains(r#"<title type="main">letter</title>"#),
        "{xml}"
    );
    assert!(xml.contains("<salute>Dear Cy:</salute>"), "{xml}");
    assert!(
        xml.contains(
            "<closer>\n          <salute>Sincerely,</salute>\n          <signed>Jimmy</signed>"
        ),
        "{xml}"
    );
    let validate = teikit_in(
        dir.path(),
        &["validate", "--disable", "source-note", "letter.xml"],
    );
    assert!(validate.status.success(), "{}", stderr(&validate));
}

#[test]
fn malformed_register_file() {
    let dir = fixture(b"1. Memorandum\n\nAble said so.\n");
    let broken = VOLUME.replace("forms = [\"Baker\"]", "forms = [\"Baker\"");
    std::fs::write(dir.path().join("volume.toml"), broken).unwrap();
    let out = teikit_in(dir.path(), &["convert", "d1.txt", "-o", "out.xml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("volume.toml:23:1: error: invalid array"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.xml")).unwrap(),
        "previous output"
    );

    let duplicate = VOLUME.replace("id = \"p_B_1\"", "id = \"p_A_1\"");
    std::fs::write(dir.path().join("volume.toml"), duplicate).unwrap();
    let err = stderr(&teikit_in(dir.path(), &["convert", "d1.txt"]));
    assert!(
        err.contains("volume.toml:20:6: error: duplicate register id `p_A_1`"),
        "{err}"
    );

    let unknown_field = VOLUME.replace(
        "forms = [\"Baker\"]",
        "forms = [\"Baker\"]\nnickname = \"B\"",
    );
    std::fs::write(dir.path().join("volume.toml"), unknown_field).unwrap();
    let err = stderr(&teikit_in(dir.path(), &["convert", "d1.txt"]));
    assert!(err.contains("unknown field `nickname`"), "{err}");
}

#[test]
fn output_never_overwrites_the_input() {
    let dir = fixture(b"1. Memorandum1\n\nAble said so.\n  1. Source: Files.\n");
    let out = teikit_in(dir.path(), &["convert", "d1.txt", "-o", "./d1.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("refusing to overwrite an input file"));
    assert_eq!(
        std::fs::read(dir.path().join("d1.txt")).unwrap(),
        b"1. Memorandum1\n\nAble said so.\n  1. Source: Files.\n"
    );
}

#[test]
fn a_good_source_replaces_the_output_and_reports_unknown_names_on_request() {
    let dir = fixture(
        b"1. Memorandum From Able1\n\nAble met Mr. Charlie Dodd in Zembla.\n  1. Source: Files.\n",
    );
    let out = teikit_in(
        dir.path(),
        &["convert", "d1.txt", "-o", "out.xml", "--report-unknown"],
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("`Charlie Dodd` looks like a name that no register covers"),
        "{err}"
    );
    assert!(err.contains("d1.txt:3:14"), "{err}");
    assert!(err.contains("`Zembla`"), "{err}");
    let xml = std::fs::read_to_string(dir.path().join("out.xml")).unwrap();
    assert!(xml.contains("<persName ref=\"#p_A_1\">Able</persName> met Mr. Charlie Dodd"));
}

#[test]
fn build_warns_of_register_entries_that_never_occur_and_checks_staleness() {
    let sources = tempfile::tempdir().unwrap();
    let volume = sources.path().join("sources/v1");
    std::fs::create_dir_all(&volume).unwrap();
    std::fs::write(volume.join("volume.toml"), VOLUME).unwrap();
    std::fs::write(volume.join("d1.toml"), DOCUMENT).unwrap();
    std::fs::write(
        volume.join("d1.txt"),
        "1. Memorandum1\n\nAble said so.\n  1. Source: Files.\n",
    )
    .unwrap();
    let dir = sources.path();

    let check = teikit_in(dir, &["build", "--check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stderr(&check).contains("tei/v1/d1.xml: error: missing: nothing is committed for"),
        "{}",
        stderr(&check)
    );

    let build = teikit_in(dir, &["build"]);
    let err = stderr(&build);
    assert!(build.status.success(), "{err}");
    assert!(
        err.contains("register entry `p_B_1` occurs in no document"),
        "{err}"
    );
    assert!(err.contains("volume.toml:20:6"), "{err}");
    assert!(!err.contains("`p_A_1` occurs"), "{err}");

    assert!(teikit_in(dir, &["build", "--check"]).status.success());
    std::fs::write(
        volume.join("d1.txt"),
        "1. Memorandum1\n\nAble said more.\n  1. Source: Files.\n",
    )
    .unwrap();
    let stale = teikit_in(dir, &["build", "--check"]);
    assert_eq!(stale.status.code(), Some(1));
    assert!(stderr(&stale).contains("tei/v1/d1.xml: error: differs from a fresh conversion"));
}

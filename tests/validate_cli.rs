//! `teikit validate --schema`: exit codes the conformance runner depends on, and hostile input.

mod common;

use common::*;
use std::path::Path;

const SCHEMA: &str = r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0"
    datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start><ref name="doc"/></start>
  <define name="doc">
    <element name="doc">
      <optional><attribute name="xml:id"><data type="ID"/></attribute></optional>
      <zeroOrMore><choice><ref name="doc"/><element name="date"><data type="date"/></element><text/></choice></zeroOrMore>
    </element>
  </define>
</grammar>"#;

fn dir_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.rng"), SCHEMA).unwrap();
    for (name, content) in files {
        std::fs::write(dir.path().join(name), content).unwrap();
    }
    dir
}

fn validate(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["validate", "--no-rules", "--schema", "s.rng"];
    all.extend_from_slice(args);
    let out = teikit_in(dir, &all);
    (out.status.code(), stderr(&out))
}

#[test]
fn exit_codes_valid_invalid_could_not_run() {
    let dir = dir_with(&[
        ("ok.xml", b"<doc><date>1973-05-24</date> text <doc/></doc>"),
        (
            "bad.xml",
            b"<doc>\n  <date>May 24</date>\n  <note/>\n</doc>",
        ),
    ]);
    assert_eq!(validate(dir.path(), &["ok.xml"]).0, Some(0));
    let (code, err) = validate(dir.path(), &["ok.xml", "bad.xml"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("bad.xml:2:9"), "{err}");
    assert!(
        err.contains(
            "the text `May 24` of element `date` is invalid; expected a value of type xsd:date"
        ),
        "{err}"
    );
    assert!(
        err.contains("bad.xml:3:3"),
        "all errors, not only the first: {err}"
    );
    assert!(err.contains("element `note` not allowed anywhere"), "{err}");
    assert!(
        err.contains("validated 2 file(s): 1 valid, 1 invalid"),
        "{err}"
    );
    assert_eq!(validate(dir.path(), &["missing.xml"]).0, Some(2));
    std::fs::write(
        dir.path().join("s.rng"),
        "<element xmlns=\"http://relaxng.org/ns/structure/1.0\"/>",
    )
    .unwrap();
    let (code, err) = validate(dir.path(), &["ok.xml"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("s.rng:1:1: error: `element` needs a name or a name class"),
        "{err}"
    );
}

#[test]
fn not_well_formed_and_not_utf8_are_reported_with_location() {
    let dir = dir_with(&[
        ("broken.xml", b"<doc>\n<date>x</doc>"),
        ("latin1.xml", b"<doc>caf\xe9</doc>"),
    ]);
    let (code, err) = validate(dir.path(), &["broken.xml", "latin1.xml"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("broken.xml:2:"), "{err}");
    assert!(err.contains("not well-formed XML"), "{err}");
    assert!(
        err.contains("error: invalid UTF-8") && err.contains("--> latin1.xml:1:9"),
        "{err}"
    );
}

#[test]
fn duplicate_ids_are_invalid() {
    let dir = dir_with(&[("ids.xml", b"<doc xml:id=\"a\"><doc xml:id=\"a\"/></doc>")]);
    let (code, err) = validate(dir.path(), &["ids.xml"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("ID `a` has already been defined at 1:6"),
        "{err}"
    );
}

#[test]
fn hostile_documents_are_refused_without_harm() {
    let laughs = {
        let mut s = String::from("<?xml version=\"1.0\"?><!DOCTYPE doc [<!ENTITY l0 \"ha\">");
        for i in 1..10 {
            s.push_str(&format!(
                "<!ENTITY l{i} \"{}\">",
                format!("&l{};", i - 1).repeat(10)
            ));
        }
        s.push_str("]><doc>&l9;</doc>");
        s
    };
    let xxe = b"<?xml version=\"1.0\"?><!DOCTYPE doc [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><doc>&e;</doc>";
    let deep = "<doc>".repeat(100_000) + &"</doc>".repeat(100_000);
    let dir = dir_with(&[
        ("laughs.xml", laughs.as_bytes()),
        ("xxe.xml", xxe),
        ("deep.xml", deep.as_bytes()),
    ]);
    let (code, err) = validate(dir.path(), &["laughs.xml"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("entity reference loop"), "{err}");
    let (code, err) = validate(dir.path(), &["xxe.xml"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        !err.contains("root:"),
        "/etc/passwd must never be read: {err}"
    );
    assert!(err.contains("unknown entity reference"), "{err}");
    let (code, err) = validate(dir.path(), &["deep.xml"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("nested deeper than 4096 levels"), "{err}");
    assert!(!err.contains("overflow"), "{err}");
}

#[test]
fn hostile_schemas_are_refused() {
    let dir = dir_with(&[("ok.xml", b"<doc/>")]);
    let self_including = r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0"><include href="s.rng"/><start><element name="doc"><empty/></element></start></grammar>"#;
    std::fs::write(dir.path().join("s.rng"), self_including).unwrap();
    let (code, err) = validate(dir.path(), &["ok.xml"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("s.rng includes itself"), "{err}");
    let missing = r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0"><include href="gone.rng"/><start><element name="doc"><empty/></element></start></grammar>"#;
    std::fs::write(dir.path().join("s.rng"), missing).unwrap();
    let (code, err) = validate(dir.path(), &["ok.xml"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("s.rng:1:54: error: cannot read") && err.contains("gone.rng"),
        "{err}"
    );
    let remote = r#"<externalRef xmlns="http://relaxng.org/ns/structure/1.0" href="http://example.com/x.rng"/>"#;
    std::fs::write(dir.path().join("s.rng"), remote).unwrap();
    let (code, err) = validate(dir.path(), &["ok.xml"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("never fetches schemas from the network"),
        "{err}"
    );
}

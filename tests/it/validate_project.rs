//! `teikit validate` in a project: teikit.toml found from the working directory, its files,
//! profile and overrides, and pointers between the project's files.

use crate::common::{stderr, teikit_in};
use std::path::Path;

/// A schema that accepts any document, so that these tests see the rules alone.
const ANY: &str = r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <start><ref name="any"/></start>
  <define name="any"><element><anyName/><zeroOrMore><choice>
    <attribute><anyName/></attribute><text/><ref name="any"/>
  </choice></zeroOrMore></element></define>
</grammar>"#;

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A project of three files: a register, a letter that points into it in every way TEI allows,
/// and an early print whose pages are out of order.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "schema/any.rng", ANY);
    write(
        dir.path(),
        "teikit.toml",
        r#"schema = "schema/any.rng"
profile = "documentary"
files = ["tei/**/*.xml"]

[[overrides]]
paths = ["tei/early/**"]
profile = "generic"
"#,
    );
    write(
        dir.path(),
        "tei/register.xml",
        r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><listPerson>
<person xml:id="p1"/><person xml:id="p2"/><person xml:id="p4"/>
</listPerson></body></text></TEI>"#,
    );
    write(
        dir.path(),
        "tei/letter.xml",
        r##"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><encodingDesc><listPrefixDef>
<prefixDef ident="psn" matchPattern="(p\d+)" replacementPattern="register.xml#$1"/>
</listPrefixDef></encodingDesc></teiHeader><text><body>
<p><persName ref="#p1">A</persName> <persName ref="psn:p2">B</persName>
<persName ref="register.xml#p3">C</persName> <persName ref="elsewhere.xml#p9">D</persName>
<anchor xml:id="a"/>text<anchor xml:id="b"/><ref target="#range(a,b)">r</ref>
<ref target="#range(a,c)">s</ref> <ref target="#50">t</ref>
<ref target="https://history.state.gov/#x">u</ref> <ref target="../chapter-9#fn1">v</ref>
</p></body></text></TEI>"##,
    );
    write(
        dir.path(),
        "tei/early/print.xml",
        r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>
<pb n="17"/><p>a</p><pb n="12"/><p>b</p><pb n="17"/>
<listPerson><person xml:id="q1"/></listPerson></body></text></TEI>"#,
    );
    write(dir.path(), "notes/ignored.xml", "<not-listed/>");
    dir
}

/// `(file, rule, severity, message)` of each problem of a JSON report.
fn problems(report: &[u8]) -> Vec<(String, String, String, String)> {
    let report: serde_json::Value = serde_json::from_slice(report).expect("a JSON report");
    let mut found = Vec::new();
    for file in report["files"].as_array().unwrap() {
        let name = file["path"].as_str().unwrap().replace('\\', "/");
        for p in file["problems"].as_array().unwrap() {
            found.push((
                name.clone(),
                p["rule"].as_str().unwrap().to_string(),
                p["severity"].as_str().unwrap().to_string(),
                p["message"].as_str().unwrap().to_string(),
            ));
        }
    }
    found
}

#[test]
fn the_configuration_names_files_schema_profile_and_overrides() {
    let dir = project();
    let out = teikit_in(dir.path(), &["validate", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let found = problems(&out.stdout);
    let files: std::collections::BTreeSet<&str> = found.iter().map(|p| p.0.as_str()).collect();
    // Only the files the configuration lists, and all of them that have problems.
    assert!(files.iter().all(|f| f.starts_with("tei/")), "{files:?}");
    let summary: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|(file, rule, severity, _)| (file.as_str(), rule.as_str(), severity.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("tei/letter.xml", "pointer-resolves", "error"),
            ("tei/letter.xml", "pointer-resolves", "warning"),
            ("tei/letter.xml", "pointer-resolves", "error"),
            ("tei/letter.xml", "pointer-resolves", "error"),
            ("tei/register.xml", "unused-declaration", "warning"),
        ],
        "{found:#?}"
    );
    let messages: Vec<&str> = found.iter().map(|p| p.3.as_str()).collect();
    assert!(
        messages[0].contains("`register.xml#p3`")
            && messages[0].contains("no element of `register.xml` has xml:id `p3`")
    );
    assert!(messages[1].contains("`elsewhere.xml` is not beside the document"));
    assert!(messages[2].contains("`#range(a,c)`") && messages[2].contains("xml:id `c`"));
    assert!(messages[3].contains("`#50`") && messages[3].contains("cannot begin with a digit"));
    // p1 (bare, from the letter) and p2 (through psn:) are referred to; p4 is not. The early
    // print is generic: neither its pages nor its unused person are judged.
    assert!(messages[4].contains("person `p4`"), "{}", messages[4]);
}

#[test]
fn the_command_line_wins_over_the_configuration() {
    let dir = project();
    let out = teikit_in(
        dir.path(),
        &[
            "validate",
            "--format",
            "json",
            "--profile",
            "generic",
            "tei/register.xml",
            "tei/early",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The override keeps the early print generic even so; without the configuration, the house
    // rules judge it when asked for.
    let out = teikit_in(
        dir.path(),
        &[
            "validate",
            "--format",
            "json",
            "--no-config",
            "--schema",
            "schema/any.rng",
            "--profile",
            "documentary",
            "tei/early",
        ],
    );
    let found = problems(&out.stdout);
    assert_eq!(
        found.iter().filter(|p| p.1 == "page-order").count(),
        1,
        "{found:#?}"
    );
}

#[test]
fn mistakes_in_the_configuration_are_located_and_stop_the_run() {
    let dir = project();
    write(
        dir.path(),
        "teikit.toml",
        "files = [\"tei\"]\n[rules]\npage-ordr = \"off\"\n",
    );
    std::fs::create_dir_all(dir.path().join("tei/sub")).unwrap();
    // Found from a directory below the root.
    let out = teikit_in(&dir.path().join("tei/sub"), &["validate"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("unknown rule `page-ordr`; the rules are well-formed"),
        "{err}"
    );
    assert!(err.contains("teikit.toml:3:1"), "{err}");
}

#[test]
fn nothing_to_validate_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let out = teikit_in(dir.path(), &["validate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("nothing to validate"),
        "{}",
        stderr(&out)
    );
}

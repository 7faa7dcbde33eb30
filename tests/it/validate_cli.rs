//! `teikit validate --schema`: exit codes the conformance runner depends on, and hostile input.

use crate::common::*;
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
        err.contains("error[well-formed]: invalid UTF-8") && err.contains("--> latin1.xml:1:9"),
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
    assert!(
        err.contains("entity references expand to more than 16777216 bytes")
            && err.contains("laughs.xml:1:556"),
        "{err}"
    );
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

const TEI_LIKE: &[u8] = br##"<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>
<div type="document" subtype="historical-document" xml:id="d1"><head>1. A<note n="1" xml:id="d1fn1" type="source">Source: X.</note></head>
<p>One. <note n="3" xml:id="d1fn3">Misnumbered.</note><date when="1973-02-30">never</date><persName ref="#nobody">X</persName></p>
</div></body></text></TEI>"##;

/// `teikit validate` with the semantic rules only (the bundled schema switched off).
fn rules_only(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["validate", "--disable", "schema"];
    all.extend_from_slice(args);
    teikit_in(dir, &all)
}

#[test]
fn rules_are_listed_and_can_be_switched_off() {
    let dir = dir_with(&[("doc.xml", TEI_LIKE)]);
    let listed = teikit_in(dir.path(), &["rules"]);
    let listing = String::from_utf8_lossy(&listed.stdout);
    for id in [
        "unique-id",
        "pointer-resolves",
        "iso-date",
        "date-order",
        "footnote-sequence",
        "page-order",
        "source-note",
        "unused-declaration",
    ] {
        assert!(
            listing.lines().any(|l| l.starts_with(id)),
            "{id} listed:\n{listing}"
        );
    }
    let out = rules_only(dir.path(), &["doc.xml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    for rule in [
        "footnote-sequence",
        "note-spacing",
        "iso-date",
        "pointer-resolves",
    ] {
        assert!(err.contains(&format!("[{rule}]")), "{rule}: {err}");
    }
    let quiet = rules_only(
        dir.path(),
        &[
            "--disable",
            "footnote-sequence",
            "--disable",
            "iso-date",
            "--disable",
            "pointer-resolves",
            "doc.xml",
        ],
    );
    assert_eq!(
        quiet.status.code(),
        Some(0),
        "only a warning is left: {}",
        stderr(&quiet)
    );
    assert!(stderr(&quiet).contains("warning[note-spacing]"));
    let unknown = rules_only(dir.path(), &["--disable", "no-such-rule", "doc.xml"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("unknown rule `no-such-rule`"));
}

#[test]
fn json_sarif_and_github_reports_carry_the_same_facts() {
    let dir = dir_with(&[("doc.xml", TEI_LIKE), ("ok.xml", b"<doc/>")]);
    let json = rules_only(dir.path(), &["--format", "json", "doc.xml", "ok.xml"]);
    assert_eq!(json.status.code(), Some(1));
    let report: serde_json::Value =
        serde_json::from_slice(&json.stdout).expect("one JSON document");
    assert_eq!(report["version"], 1);
    assert_eq!(report["summary"]["files"], 2);
    assert_eq!(report["summary"]["invalid"], 1);
    let problems = report["files"][0]["problems"].as_array().unwrap();
    let iso = problems
        .iter()
        .find(|p| p["rule"] == "iso-date")
        .expect("iso-date problem");
    assert_eq!(
        (iso["line"].as_u64(), iso["severity"].as_str()),
        (Some(3), Some("error"))
    );
    assert_eq!(iso["element"], "/TEI/text/body/div/p/date");
    assert_eq!(report["files"][1]["valid"], true);

    let sarif = rules_only(dir.path(), &["--format", "sarif", "doc.xml"]);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "teikit");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), problems.len(), "the same problems as JSON");
    for result in results {
        let rule = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][index]["id"], rule);
        assert!(["error", "warning"].contains(&result["level"].as_str().unwrap()));
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(
            region["startLine"].as_u64().unwrap() >= 1
                && region["startColumn"].as_u64().unwrap() >= 1
        );
        assert_eq!(
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "doc.xml"
        );
    }

    let github = rules_only(dir.path(), &["--format", "github", "doc.xml"]);
    let lines: Vec<String> = String::from_utf8_lossy(&github.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(lines.len(), problems.len());
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::error file=doc.xml,line=3,")
                && l.contains("title=teikit iso-date::")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::warning file=doc.xml,") && l.contains("note-spacing")),
        "{lines:?}"
    );
}

#[test]
fn many_files_in_one_call_in_parallel_without_progress_in_ci() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.rng"), SCHEMA).unwrap();
    let files = dir.path().join("many");
    std::fs::create_dir(&files).unwrap();
    for i in 0..1000 {
        let body = if i % 250 == 7 {
            "<doc><date>not a date</date></doc>".to_string()
        } else {
            format!(
                "<doc xml:id=\"d{i}\"><date>1973-05-{:02}</date></doc>",
                1 + i % 28
            )
        };
        std::fs::write(files.join(format!("f{i:04}.xml")), body).unwrap();
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_teikit"))
        .args(["validate", "--no-rules", "--schema", "s.rng", "many"])
        .current_dir(dir.path())
        .env("CI", "true")
        .env("TEIKIT_CACHE_DIR", "off")
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("validated 1000 file(s): 996 valid, 4 invalid"),
        "{err}"
    );
    assert!(!err.contains('\r'), "no progress line in CI");
    // Results come in the order of the files, whatever order the workers took them in.
    let reported: Vec<&str> = err
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--> "))
        .collect();
    let mut sorted = reported.clone();
    sorted.sort();
    assert_eq!(reported, sorted);
    assert_eq!(reported.len(), 4);
}

#[test]
fn byte_order_marks_utf16_and_nul_bytes() {
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "<doc><date>1973-05-24</date></doc>"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let dir = dir_with(&[
        ("bom.xml", b"\xEF\xBB\xBF<doc/>"),
        ("utf16.xml", &utf16),
        ("nul.xml", b"<doc>a\x00b</doc>"),
        ("odd.xml", b"\xFF\xFE<\x00d"),
    ]);
    assert_eq!(validate(dir.path(), &["bom.xml", "utf16.xml"]).0, Some(0));
    let (code, err) = validate(dir.path(), &["nul.xml"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("--> nul.xml:1:7") && err.contains("non-XML character"),
        "{err}"
    );
    let (code, err) = validate(dir.path(), &["odd.xml"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("invalid UTF-16"), "{err}");
}

#[test]
fn limits_are_configurable() {
    let nested = "<doc>".repeat(50) + &"</doc>".repeat(50);
    let dir = dir_with(&[("nested.xml", nested.as_bytes())]);
    assert_eq!(validate(dir.path(), &["nested.xml"]).0, Some(0));
    let (code, err) = validate(dir.path(), &["--max-depth", "20", "nested.xml"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("nested deeper than 20 levels"), "{err}");
    let (code, err) = validate(dir.path(), &["--max-size", "100", "nested.xml"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("larger than the 100 byte limit"), "{err}");
}

#[test]
fn a_path_with_nothing_to_validate_or_not_there_is_trouble_not_success() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let empty = teikit_in(dir.path(), &["validate", "empty"]);
    assert_eq!(
        empty.status.code(),
        Some(2),
        "CI must not pass on a wrong path"
    );
    assert!(
        stderr(&empty).contains("error: no XML files in empty"),
        "{}",
        stderr(&empty)
    );
    let missing = teikit_in(dir.path(), &["validate", "gone.xml"]);
    let err = stderr(&missing);
    assert_eq!(missing.status.code(), Some(2), "{err}");
    assert!(err.contains("gone.xml: error: cannot read"), "{err}");
    assert!(
        err.contains("0 valid, 0 invalid, 1 not read"),
        "not counted as invalid: {err}"
    );
}

#[test]
fn teikit_rules_prints_aligned_columns_and_the_readme_says_the_same() {
    let out = teikit(&["rules"]);
    assert!(out.status.success());
    let listing = String::from_utf8(out.stdout).unwrap();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut summary_columns = std::collections::BTreeSet::new();
    for line in listing.lines() {
        let fields: Vec<&str> = line.split_whitespace().take(3).collect();
        let [code, profile, severity] = fields[..] else {
            panic!("{line}");
        };
        let summary_at = line.find(&format!(" {severity} ")).unwrap() + severity.len() + 2;
        let summary = line[summary_at..].trim_start();
        summary_columns.insert(line.len() - summary.len());
        let row =
            format!("| [`{code}`](docs/rules/{code}.md) | {profile} | {severity} | {summary} |");
        assert!(
            readme.contains(&row),
            "the README's rules table lacks\n{row}"
        );
    }
    assert_eq!(
        summary_columns.len(),
        1,
        "summaries start in one column:\n{listing}"
    );
}

#[test]
fn a_bad_date_is_one_problem_not_two() {
    let dir = tempfile::tempdir().unwrap();
    let memo = std::fs::read_to_string(root().join("tei/frus1969-76v10/d59.xml")).unwrap();
    assert!(memo.contains("when=\"1973-06-09\""));
    let broken = memo.replacen("when=\"1973-06-09\"", "when=\"1973-13-09\"", 1);
    std::fs::write(dir.path().join("d.xml"), broken).unwrap();
    let err = stderr(&teikit_in(dir.path(), &["validate", "d.xml"]));
    assert_eq!(
        err.matches("1973-13-09").count(),
        2,
        "one message and its quoted line: {err}"
    );
    assert!(err.contains("error[schema]"), "{err}");
    // Without a schema that checks dates, the rule still finds it.
    std::fs::write(
        dir.path().join("any.rnc"),
        "start = any\nany = element * { attribute * { text }*, (text | any)* }\n",
    )
    .unwrap();
    let err = stderr(&teikit_in(
        dir.path(),
        &[
            "validate",
            "--schema",
            "any.rnc",
            "--profile",
            "generic",
            "d.xml",
        ],
    ));
    assert!(err.contains("error[iso-date]"), "{err}");
}

#[test]
fn teikit_rules_explains_each_rule_from_its_own_page() {
    for rule in teikit::rules::RULES {
        let out = teikit(&["rules", rule.code]);
        assert!(out.status.success(), "{}", rule.code);
        let page = String::from_utf8(out.stdout).unwrap();
        assert!(page.starts_with(&format!("# {} (", rule.code)), "{page}");
        for part in ["**Requires**", "**Why.**", "```"] {
            assert!(page.contains(part), "{}: no {part}", rule.code);
        }
    }
    let out = teikit(&["rules", "page-ordre"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the rules are well-formed, schema"),
        "{}",
        stderr(&out)
    );
}

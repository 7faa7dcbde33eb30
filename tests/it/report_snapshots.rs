//! What `teikit validate` reports, byte for byte: one fixture document a rule
//! (`tests/fixtures/rules/CODE.xml`, breaking that rule and no other) beside its expected human
//! report, carets and all (`CODE.expected`), and the JSON and GitHub reports of one of them. A
//! change in wording or layout shows here as a diff to read; after reading it,
//! `TEIKIT_BLESS=1 cargo test --test it report_snapshots` writes the new reports.

use crate::common::*;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/rules")
}

/// `teikit validate` of one fixture, as the rule's own check: the documentary profile, no
/// configuration, the schema only for the rules that need it.
fn report(code: &str, format: &str) -> String {
    let mut args = vec![
        "validate",
        "--no-config",
        "--profile",
        "documentary",
        "--format",
        format,
    ];
    if !matches!(code, "schema" | "well-formed") {
        args.extend(["--disable", "schema"]);
    }
    if code == "schematron" {
        args.extend(["--schematron", "schematron.sch"]);
    }
    let file = format!("{code}.xml");
    args.push(&file);
    let out = teikit_in(&fixtures(), &args);
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&stderr(&out));
    text
}

/// Compares `actual` with the file `expected`, or writes it when blessing.
fn check(expected: &Path, actual: &str, wrong: &mut Vec<String>) {
    if std::env::var_os("TEIKIT_BLESS").is_some() {
        std::fs::write(expected, actual).unwrap();
        return;
    }
    let wanted = std::fs::read_to_string(expected).unwrap_or_default();
    if wanted != actual {
        wrong.push(format!(
            "{}:\n--- expected\n{wanted}\n--- actual\n{actual}",
            expected.display()
        ));
    }
}

#[test]
fn every_rule_reports_its_fixture_as_it_did() {
    let mut wrong = Vec::new();
    for rule in teikit::rules::RULES {
        let text = report(rule.code, "human");
        // The fixture breaks its rule, and no other.
        let tagged: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("error[") || l.starts_with("warning["))
            .collect();
        assert!(!tagged.is_empty(), "{}: nothing found", rule.code);
        for line in &tagged {
            assert!(
                line.contains(&format!("[{}]", rule.code)),
                "{}: {line}",
                rule.code
            );
        }
        check(
            &fixtures().join(format!("{}.expected", rule.code)),
            &text,
            &mut wrong,
        );
    }
    assert_unchanged(&wrong);
}

#[test]
fn the_machine_formats_report_a_fixture_as_they_did() {
    let mut wrong = Vec::new();
    for format in ["json", "github"] {
        let text = report("page-order", format);
        check(
            &fixtures().join(format!("page-order.{format}.expected")),
            &text,
            &mut wrong,
        );
    }
    assert_unchanged(&wrong);
}

fn assert_unchanged(wrong: &[String]) {
    assert!(
        wrong.is_empty(),
        "reports changed (TEIKIT_BLESS=1 after reading them):\n{}",
        wrong.join("\n")
    );
}

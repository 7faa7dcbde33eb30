//! The JSON report is valid against its published schema (`schema/report.schema.json`) and the
//! SARIF report against the SARIF 2.1.0 schema, both checked by Python's `jsonschema`.
//!
//! The SARIF schema is third-party: `.ci/run` takes it from the npm package
//! `@microsoft/jest-sarif` and names it in `TEIKIT_SARIF_SCHEMA`. Outside CI the SARIF check is
//! skipped when it is missing; in CI it fails.

use crate::common::*;
use std::path::Path;
use std::process::Command;

fn jsonschema_available() -> bool {
    python_module("jsonschema", "pip install jsonschema")
}

fn check_against(schema: &Path, document: &Path) {
    let script = "import json,sys,jsonschema\n\
        schema=json.load(open(sys.argv[1]))\n\
        doc=json.load(open(sys.argv[2]))\n\
        jsonschema.validators.validator_for(schema)(schema).validate(doc)";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(schema)
        .arg(document)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{} is not valid against {}:\n{}",
        document.display(),
        schema.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn reports(format: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.xml"),
        "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text/></TEI>",
    )
    .unwrap();
    std::fs::write(dir.path().join("broken.xml"), "<TEI>").unwrap();
    let good = root().join("tei/frus1969-76v10/d59.xml");
    let out = teikit_in(
        dir.path(),
        &[
            "validate",
            "--format",
            format,
            "bad.xml",
            "broken.xml",
            good.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let path = dir.path().join(format!("report.{format}"));
    std::fs::write(&path, &out.stdout).unwrap();
    (dir, path)
}

#[test]
fn json_report_matches_its_schema() {
    if !jsonschema_available() {
        return;
    }
    let (_dir, report) = reports("json");
    check_against(&root().join("schema/report.schema.json"), &report);
}

#[test]
fn sarif_report_matches_the_sarif_2_1_0_schema() {
    let schema = std::env::var_os("TEIKIT_SARIF_SCHEMA").map(std::path::PathBuf::from);
    let Some(schema) = schema.filter(|p| p.is_file()) else {
        optional_tool(
            "the SARIF 2.1.0 schema",
            false,
            "npm pack @microsoft/jest-sarif and name its schema in TEIKIT_SARIF_SCHEMA",
        );
        return;
    };
    if !jsonschema_available() {
        return;
    }
    let (_dir, report) = reports("sarif");
    check_against(&schema, &report);
}

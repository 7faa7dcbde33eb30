//! Valid: every bundled conversion is valid against TEI P5 `tei_all` (checked with jing, James
//! Clark's reference validator; CI installs it), and the committed TEI is what the sources give.

use crate::common::*;
use std::process::Command;

#[test]
fn every_conversion_is_valid_against_tei_all_with_jing() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let schema = reference.join("tei/tei_all.rng");
    assert!(schema.is_file(), "{} missing", schema.display());
    if !program("jing", "apt-get install jing") {
        return;
    }
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().to_str().unwrap();
    let build = teikit(&["build", "--out", out]);
    assert!(build.status.success(), "{}", stderr(&build));
    let mut files: Vec<String> = Vec::new();
    for volume in std::fs::read_dir(out_dir.path()).unwrap() {
        for file in std::fs::read_dir(volume.unwrap().path()).unwrap() {
            files.push(file.unwrap().path().to_string_lossy().into_owned());
        }
    }
    assert!(files.len() >= 3, "{files:?}");
    let jing = Command::new("jing")
        .arg(&schema)
        .args(&files)
        .output()
        .unwrap();
    assert!(
        jing.status.success(),
        "jing rejects the conversion:\n{}",
        String::from_utf8_lossy(&jing.stdout)
    );
}

#[test]
fn every_conversion_is_valid_against_tei_all_with_teikits_own_validator() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let schema = teikit::relaxng::Schema::from_file(&reference.join("tei/tei_all.rng")).unwrap();
    let mut validator = schema.validator();
    for source in [
        "sources/frus1969-76v10/d59.txt",
        "sources/frus1969-76v20/d1.txt",
        "sources/frus1969-76v38p1/d2.txt",
    ] {
        let xml = convert(source);
        let errors = validator.validate(std::path::Path::new(source), &xml);
        assert!(errors.is_empty(), "{source}: {errors:#?}");
    }
}

#[test]
fn committed_tei_is_current() {
    let check = teikit(&["build", "--check"]);
    assert!(
        check.status.success(),
        "run `teikit build`:\n{}",
        stderr(&check)
    );
}

#[test]
fn committed_tei_passes_the_semantic_rules() {
    let validate = teikit(&["validate", "tei"]);
    assert!(validate.status.success(), "{}", stderr(&validate));
    assert!(
        !stderr(&validate).contains("validated 0 file(s)"),
        "{}",
        stderr(&validate)
    );
}

//! Validation in one pass without a tree (issue 28): a document larger than memory should
//! allow is checked in memory bounded by its depth and its IDs, problems far into it are
//! located exactly, and a schema-only check (`--no-rules`, which streams) reports what the
//! full check (which reads a tree for the rules) reports of the schema.
//!
//! Memory is the process's own peak (`TEIKIT_PEAK_MEMORY`), never a time.

use crate::common::{reference_dir, run_measured};
use std::path::Path;
use teikit::base::diagnostic::Diagnostic;
use teikit::rules::{RuleId, RuleSet};
use teikit::validation::{check_files, Options, Outcome};

/// IDs, integers and dates checked in every division, so that the walk does real work.
const SCHEMA: &str = r#"default namespace = "http://www.tei-c.org/ns/1.0"
datatypes xsd = "http://www.w3.org/2001/XMLSchema-datatypes"
start = element TEI { element body { division+ } }
division = element div { attribute xml:id { xsd:ID }, attribute n { xsd:integer }, paragraph+ }
paragraph = element p { (text | date | element hi { text })* }
date = element date { attribute when { xsd:date }, text }
"#;

fn division(k: usize, when: &str) -> String {
    format!(
        "<div xml:id=\"d{k}\" n=\"{k}\">\n<p>On <date when=\"{when}\">a day</date> the \
         <hi>Secretary</hi> said that the matter would be taken up again, and that the Embassy \
         should report.</p>\n<p>A second paragraph, on <date when=\"1970-01-02\">the next \
         day</date>, of plain prose long enough to weigh as prose weighs.</p>\n</div>\n"
    )
}

/// A document of at least `size` bytes of divisions; the last one's second date is `last_when`
/// and its id `last_id`. Returns the text.
fn document(size: usize, last_when: &str, last_id: &str) -> String {
    let mut text = String::with_capacity(size + 4096);
    text.push_str("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">\n<body>\n");
    let mut k = 0;
    while text.len() < size {
        text.push_str(&division(k, "1969-03-04"));
        k += 1;
    }
    let last = division(k, "1969-03-04")
        .replace("1970-01-02", last_when)
        .replacen(
            &format!("xml:id=\"d{k}\""),
            &format!("xml:id=\"{last_id}\""),
            1,
        );
    text.push_str(&last);
    text.push_str("</body>\n</TEI>\n");
    text
}

/// `teikit validate --no-rules` of `name` in `dir` against `schema.rnc`, its peak memory
/// reported: exit code, standard error, peak KiB (`None` off Linux).
fn validate_measured(dir: &Path, name: &str) -> (Option<i32>, String, Option<u64>) {
    run_measured(
        dir,
        &[
            "validate",
            "--no-rules",
            "--max-size",
            "1000000000",
            "--schema",
            "schema.rnc",
            name,
        ],
    )
}

#[test]
fn a_document_larger_than_its_memory_is_validated_and_its_late_problems_located() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("schema.rnc"), SCHEMA).unwrap();
    let size = 160 << 20;

    let valid = document(size, "1970-01-02", "last");
    std::fs::write(dir.path().join("valid.xml"), &valid).unwrap();
    let divisions = valid.matches("<div ").count();
    // Cut before its last end tag, it is not well-formed, and says where it ends.
    let cut = valid.trim_end().strip_suffix("</TEI>").unwrap();
    let lines = cut.matches('\n').count() + 1;
    std::fs::write(dir.path().join("cut.xml"), cut).unwrap();
    drop(valid);
    let (code, err, _) = validate_measured(dir.path(), "cut.xml");
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(&format!("cut.xml:{lines}:1"))
            && err.contains("not well-formed XML: the document ends inside an element"),
        "{err}"
    );
    let (code, err, peak) = validate_measured(dir.path(), "valid.xml");
    assert_eq!(code, Some(0), "{err}");
    if let Some(peak) = peak {
        // Reading the file whole would take its 160 MiB before a byte was checked; its
        // 360,000 IDs take about 15 MB here.
        assert!(
            peak < 80 * 1024,
            "{peak} KiB to validate a {size} byte document"
        );
    }

    // The last division: a date that is no date, and the first division's ID again.
    let invalid = document(size, "1970-02-30", "d0");
    let bad_date = invalid.rfind("1970-02-30").unwrap();
    let bad_id = invalid.rfind("xml:id=\"d0\"").unwrap();
    let line_column = |offset: usize| {
        let before = &invalid[..offset];
        let line = before.matches('\n').count() + 1;
        let column = offset - before.rfind('\n').map_or(0, |p| p + 1) + 1;
        (line, column)
    };
    // Reported at the attribute: its name starts `when="` before the value.
    let (date_line, date_column) = line_column(bad_date - "when=\"".len());
    let (id_line, id_column) = line_column(bad_id);
    let (first_line, first_column) = line_column(invalid.find("xml:id=\"d0\"").unwrap());
    std::fs::write(dir.path().join("invalid.xml"), &invalid).unwrap();
    drop(invalid);
    let (code, err, peak) = validate_measured(dir.path(), "invalid.xml");
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(&format!("invalid.xml:{date_line}:{date_column}"))
            && err.contains("value `1970-02-30` of attribute `when` is invalid"),
        "{err}"
    );
    assert!(
        err.contains(&format!("invalid.xml:{id_line}:{id_column}"))
            && err.contains(&format!(
                "ID `d0` has already been defined at {first_line}:{first_column}"
            )),
        "{err}"
    );
    // The path counts the division among its siblings, known only once the body ends.
    assert!(
        err.contains(&format!("/TEI/body/div[{divisions}]/p[2]/date")),
        "{err}"
    );
    if let Some(peak) = peak {
        assert!(
            peak < 80 * 1024,
            "{peak} KiB to validate a {size} byte document"
        );
    }
}

#[test]
fn a_large_document_with_inclusions_is_checked_with_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("schema.rnc"), SCHEMA).unwrap();
    std::fs::write(
        dir.path().join("part.xml"),
        "<div xmlns=\"http://www.tei-c.org/ns/1.0\" xml:id=\"part\" n=\"x\"><p>text</p></div>",
    )
    .unwrap();
    let text = document(40 << 20, "1970-01-02", "last").replace(
        "<body>\n",
        "<body>\n<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"part.xml\"/>\n",
    );
    std::fs::write(dir.path().join("whole.xml"), text).unwrap();
    let (code, err, _) = validate_measured(dir.path(), "whole.xml");
    assert_eq!(code, Some(1), "{err}");
    // The included division's `n` is no integer: reported in the file it comes from.
    assert!(
        err.contains("part.xml:1:") && err.contains("value `x` of attribute `n` is invalid"),
        "{err}"
    );
}

/// The schema's problems of each file, as `rules` check it.
fn schema_problems(files: &[std::path::PathBuf], rules: RuleSet) -> Vec<Vec<Diagnostic>> {
    let reference = reference_dir().expect("reference data");
    let schema = teikit::relaxng::Schema::from_file(&reference.join("tei/tei_all.rng"))
        .expect("tei_all compiles");
    let options = Options {
        rules,
        ..Options::default()
    };
    check_files(Some(&schema), files, &options, &|_| {})
        .into_iter()
        .map(|outcome| match outcome {
            Outcome::Checked(problems) => problems
                .into_iter()
                .filter(|p| matches!(p.rule, Some(RuleId::Schema | RuleId::WellFormed)))
                .collect(),
            Outcome::Unreadable(e) => panic!("{e}"),
        })
        .collect()
}

#[test]
fn a_schema_only_check_reports_what_the_full_check_reports_of_the_schema() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let files =
        teikit::xml::files::xml_files(&[reference.join("corpus/valid-or-invalid")]).unwrap();
    assert!(files.len() > 10, "{} corpus files", files.len());
    let mut schema_only = RuleSet::all();
    for rule in RuleId::all() {
        if rule != RuleId::Schema && rule != RuleId::WellFormed {
            schema_only.disable_rule(rule);
        }
    }
    assert!(!schema_only.any_semantic());
    let streamed = schema_problems(&files, schema_only);
    let with_tree = schema_problems(&files, RuleSet::all());
    let mut problems = 0;
    for ((file, a), b) in files.iter().zip(&streamed).zip(&with_tree) {
        assert_eq!(a, b, "{}", file.display());
        problems += a.len();
    }
    assert!(problems > 0, "no corpus file has a schema problem");
}

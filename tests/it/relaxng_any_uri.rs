//! `xsd:anyURI` judged as jing judges it: TEI types every pointer as `anyURI`, so a value jing
//! rejects (`%zz`, `#a#b`) must not pass here. Each value's expected verdict is asserted for
//! teikit, and for jing where it is installed (required in CI), so both sides are held to it.

use crate::common::*;

const SCHEMA: &str = r#"datatypes xsd = "http://www.w3.org/2001/XMLSchema-datatypes"
start = element r { element u { xsd:anyURI }* }
"#;

/// (value, whether it is an anyURI).
const VALUES: &[(&str, bool)] = &[
    ("", true),
    ("../d59.xml#p_KHA_1", true),
    ("#d59fn1", true),
    ("#range(b_446-start,b_446-end)", true),
    ("http://example.org/a%20b?x=1#top", true),
    ("a b", true),
    ("  mailto:editor@example.org  ", true),
    ("urn:isbn:0-395-36341-1", true),
    ("édition.xml", true),
    ("a/b:c", true),
    ("?q=a:b", true),
    ("%41", true),
    ("%zz", false),
    ("%4", false),
    ("a%", false),
    ("#a#b", false),
    (":a", false),
    ("1a:b", false),
    ("a:", false),
    ("a_b:c", false),
    ("a b:c", false),
    ("x:%", false),
];

fn escaped(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[test]
fn any_uri_values_are_judged_as_jing_judges_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.rnc"), SCHEMA).unwrap();
    let jing = program("jing", "apt-get install jing");
    for (i, (value, valid)) in VALUES.iter().enumerate() {
        let file = format!("v{i}.xml");
        std::fs::write(
            dir.path().join(&file),
            format!("<r><u>{}</u></r>", escaped(value)),
        )
        .unwrap();
        let teikit = teikit_in(
            dir.path(),
            &["validate", "--no-rules", "--schema", "s.rnc", &file],
        );
        assert_eq!(
            teikit.status.success(),
            *valid,
            "teikit on {value:?}:\n{}",
            stderr(&teikit)
        );
        if jing {
            let verdict = std::process::Command::new("jing")
                .args(["-c", "s.rnc", &file])
                .current_dir(dir.path())
                .output()
                .unwrap();
            assert_eq!(verdict.status.success(), *valid, "jing on {value:?}");
        }
    }
}

//! XInclude: the verdict of `teikit validate` on documents with inclusions, fallbacks, missing
//! and broken files, loops and nesting is the one written here, and jing's (Debian's jing
//! resolves XInclude through Xerces) where jing is installed.

use crate::common::{program, stderr, teikit_in};
use std::path::Path;
use std::process::Command;

/// Parts with xml:base and xml:lang allowed, as TEI allows them on every element.
const OPEN: &str = r#"default namespace = "urn:t"
start = element doc { attribute xml:lang { text }?, (part | text)* }
part = element part {
  attribute id { text }?, attribute xml:id { text }?,
  attribute xml:base { text }?, attribute xml:lang { text }?, text }
"#;

/// Parts without xml:base: what XInclude adds to an included element breaks this schema.
const STRICT: &str = r#"default namespace = "urn:t"
start = element doc { (part | text)* }
part = element part { attribute id { text }?, text }
"#;

const XI: &str = r#"xmlns="urn:t" xmlns:xi="http://www.w3.org/2001/XInclude""#;

struct Case {
    name: &'static str,
    schema: &'static str,
    main: String,
    valid: bool,
    /// The file of the first problem, where the document is invalid.
    first_problem_in: Option<&'static str>,
}

fn files(dir: &Path) {
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("open.rnc", OPEN);
    write("strict.rnc", STRICT);
    write("sub/part.xml", r#"<part xmlns="urn:t">included</part>"#);
    write(
        "sub/two.xml",
        r#"<wrap xmlns="urn:t"><part>one</part><part id="2">two</part></wrap>"#,
    );
    write("sub/text.txt", "a < b & c");
    write("sub/broken.xml", r#"<part xmlns="urn:t">never closed"#);
    write(
        "sub/nested.xml",
        r#"<part xmlns="urn:t" xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="text.txt" parse="text"/></part>"#,
    );
    write("sub/no-namespace.xml", "<part>lost</part>");
    write(
        "sub/bad-content.xml",
        r#"<part xmlns="urn:t"><part>a part in a part</part></part>"#,
    );
}

fn cases() -> Vec<Case> {
    let doc = |body: &str| format!("<doc {XI}>{body}</doc>");
    vec![
        Case {
            name: "included",
            schema: "open.rnc",
            main: doc(r#"<xi:include href="sub/part.xml"/>"#),
            valid: true,
            first_problem_in: None,
        },
        Case {
            name: "xml-base-added",
            schema: "strict.rnc",
            main: doc(r#"<xi:include href="sub/part.xml"/>"#),
            valid: false,
            first_problem_in: Some("sub/part.xml"),
        },
        Case {
            name: "missing-no-fallback",
            schema: "open.rnc",
            main: doc(r#"<xi:include href="sub/missing.xml"/>"#),
            valid: false,
            first_problem_in: Some("missing-no-fallback.xml"),
        },
        Case {
            name: "missing-with-fallback",
            schema: "open.rnc",
            main: doc(
                r#"<xi:include href="sub/missing.xml"><xi:fallback><part>instead</part></xi:fallback></xi:include>"#,
            ),
            valid: true,
            first_problem_in: None,
        },
        Case {
            name: "fallback-invalid",
            schema: "open.rnc",
            main: doc(
                r#"<xi:include href="sub/missing.xml"><xi:fallback><bogus/></xi:fallback></xi:include>"#,
            ),
            valid: false,
            first_problem_in: Some("fallback-invalid.xml"),
        },
        Case {
            name: "fallback-includes",
            schema: "open.rnc",
            main: doc(
                r#"<xi:include href="sub/missing.xml"><xi:fallback><xi:include href="sub/part.xml"/></xi:fallback></xi:include>"#,
            ),
            valid: true,
            first_problem_in: None,
        },
        Case {
            name: "text",
            schema: "strict.rnc",
            main: doc(r#"<part><xi:include href="sub/text.txt" parse="text"/></part>"#),
            valid: true,
            first_problem_in: None,
        },
        Case {
            name: "child-sequence",
            schema: "open.rnc",
            main: doc(r#"<xi:include href="sub/two.xml" xpointer="element(/1/2)"/>"#),
            valid: true,
            first_problem_in: None,
        },
        Case {
            name: "loop",
            schema: "open.rnc",
            main: doc(r#"<xi:include href="loop.xml"/>"#),
            valid: false,
            first_problem_in: Some("loop.xml"),
        },
        Case {
            name: "broken-with-fallback",
            schema: "open.rnc",
            main: doc(
                r#"<xi:include href="sub/broken.xml"><xi:fallback><part>fb</part></xi:fallback></xi:include>"#,
            ),
            valid: false,
            first_problem_in: Some("sub/broken.xml"),
        },
        Case {
            name: "nested",
            schema: "open.rnc",
            main: doc(r#"<xi:include href="sub/nested.xml"/>"#),
            valid: true,
            first_problem_in: None,
        },
        Case {
            name: "no-namespace",
            schema: "open.rnc",
            main: doc(r#"<xi:include href="sub/no-namespace.xml"/>"#),
            valid: false,
            first_problem_in: Some("sub/no-namespace.xml"),
        },
        Case {
            name: "bad-content",
            schema: "open.rnc",
            main: doc(r#"<xi:include href="sub/bad-content.xml"/>"#),
            valid: false,
            first_problem_in: Some("sub/bad-content.xml"),
        },
    ]
}

#[test]
fn verdicts_and_locations_with_inclusions() {
    let dir = tempfile::tempdir().unwrap();
    files(dir.path());
    let jing = program("jing", "apt-get install jing");
    for case in cases() {
        let main = format!("{}.xml", case.name);
        std::fs::write(dir.path().join(&main), &case.main).unwrap();
        let out = teikit_in(
            dir.path(),
            &["validate", "--no-config", "--schema", case.schema, &main],
        );
        let err = stderr(&out);
        assert_eq!(
            out.status.code(),
            Some(if case.valid { 0 } else { 1 }),
            "{}: {err}",
            case.name
        );
        if let Some(file) = case.first_problem_in {
            let first_error = err
                .lines()
                .skip_while(|l| !l.starts_with("error"))
                .find(|l| l.trim_start().starts_with("-->"))
                .unwrap_or_default();
            assert!(
                first_error.contains(&format!("--> {file}:")),
                "{}: expected the first error in {file}: {err}",
                case.name
            );
        }
        if jing {
            let verdict = Command::new("jing")
                .args(["-c", case.schema, &main])
                .current_dir(dir.path())
                .output()
                .unwrap();
            assert_eq!(
                verdict.status.success(),
                case.valid,
                "jing on {}",
                case.name
            );
        }
    }
}

#[test]
fn fallbacks_are_warnings_and_inclusion_can_be_switched_off() {
    let dir = tempfile::tempdir().unwrap();
    files(dir.path());
    std::fs::write(
        dir.path().join("main.xml"),
        format!(
            r#"<doc {XI}><xi:include href="sub/missing.xml"><xi:fallback><part>instead</part></xi:fallback></xi:include></doc>"#
        ),
    )
    .unwrap();
    let out = teikit_in(
        dir.path(),
        &[
            "validate",
            "--no-config",
            "--schema",
            "open.rnc",
            "main.xml",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("`sub/missing.xml` cannot be included (it does not exist); its xi:fallback stands in its place"),
        "{}",
        stderr(&out)
    );
    // Without inclusion, xi:include is an element the schema does not know.
    let out = teikit_in(
        dir.path(),
        &[
            "validate",
            "--no-config",
            "--no-xinclude",
            "--schema",
            "open.rnc",
            "main.xml",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("include"), "{}", stderr(&out));
}

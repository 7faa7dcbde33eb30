//! Real TEI documents against TEI P5 `tei_all`: the verdict jing gives for every corpus file
//! (`corpus/jing-verdicts.tsv`), and messages that say what was expected.

use crate::common::reference_dir;
use std::path::PathBuf;
use std::sync::LazyLock;
use teikit::relaxng::Schema;

static SCHEMA: LazyLock<Option<(PathBuf, Schema)>> = LazyLock::new(|| {
    let reference = reference_dir()?;
    let schema = Schema::from_file(&reference.join("tei/tei_all.rng")).expect("tei_all compiles");
    Some((reference, schema))
});

fn errors_of(file: &str) -> Vec<teikit::base::diagnostic::Diagnostic> {
    let (reference, schema) = SCHEMA.as_ref().expect("reference data");
    let path = reference.join("corpus").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    schema.validator().validate(&path, &text)
}

#[test]
fn every_corpus_file_gets_jings_verdict() {
    let Some((reference, schema)) = SCHEMA.as_ref() else {
        return;
    };
    let verdicts = std::fs::read_to_string(reference.join("corpus/jing-verdicts.tsv")).unwrap();
    let mut validator = schema.validator();
    let mut disagreements = Vec::new();
    let mut count = 0;
    for line in verdicts.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let (file, verdict) = (fields[0], fields[1]);
        let path = reference.join("corpus").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let errors = validator.validate(&path, &text);
        let ours = if errors.is_empty() {
            "valid"
        } else {
            "invalid"
        };
        count += 1;
        if ours != verdict {
            disagreements.push(format!(
                "{file}: jing {verdict}, teikit {ours}: {:?}",
                errors.first().map(|e| e.to_string())
            ));
        }
    }
    assert_eq!(count, 29, "every corpus file checked");
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

#[test]
fn messages_say_what_was_expected_and_where() {
    if SCHEMA.is_none() {
        return;
    }
    let e = errors_of("mutants/m04-missing-titleStmt.xml");
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!((e[0].location.line, e[0].location.column), (5, 7));
    assert_eq!(
        e[0].message,
        "element `publicationStmt` not allowed yet; expected element `titleStmt` first"
    );
    assert_eq!(
        e[0].path.as_deref(),
        Some("/TEI/teiHeader/fileDesc/publicationStmt")
    );

    let e = errors_of("valid-or-invalid/1957-hac-minutes-transcript.xml");
    assert_eq!(
        e[0].message,
        "element `date` not allowed yet; expected element `ab`, `authority`, `distributor`, `p` or `publisher` first"
    );

    let e = errors_of("mutants/m08-unknown-element.xml");
    assert!(
        e[0].message.starts_with(
            "element `foo` not allowed anywhere; expected the end of the element or element `ab`"
        ),
        "{}",
        e[0]
    );

    let e = errors_of("mutants/m07-no-namespace.xml");
    assert_eq!(
        e[0].message,
        "element `TEI` not allowed anywhere; expected element `TEI` or `teiCorpus` (in namespace http://www.tei-c.org/ns/1.0)"
    );

    let e = errors_of("mutants/m01-unknown-attr.xml");
    assert!(
        e[0].message.starts_with("attribute `foo` not allowed on `"),
        "{}",
        e[0]
    );
    assert!(e[0].message.contains("`xml:lang`"), "{}", e[0]);

    let e = errors_of("mutants/m09-cert-out-of-range.xml");
    assert!(e[0].message.starts_with("value `"), "{}", e[0]);
    assert!(e[0].message.contains("of attribute `cert` is invalid; expected a value of type xsd:double or one of `high`, `low`, `medium`, `unknown`"), "{}", e[0]);

    let e = errors_of("mutants/m10-duplicate-id.xml");
    assert_eq!(e[0].message, "ID `SJ` has already been defined at 19:17");

    let e = errors_of("mutants/m06-text-in-listPerson.xml");
    assert!(
        e[0].message
            .starts_with("text not allowed here; expected element `desc`, `head`, `listPerson`"),
        "{}",
        e[0]
    );
}

#[test]
fn all_errors_of_a_file_not_only_the_first() {
    if SCHEMA.is_none() {
        return;
    }
    let e = errors_of("valid-or-invalid/5721.xml");
    assert_eq!(e.len(), 8, "jing reports 8: {e:#?}");
    let e = errors_of("mutants/m12-frus-history-late-errors.xml");
    assert_eq!(e.len(), 2, "{e:#?}");
    assert_eq!(e[0].location.line, 19721);
}

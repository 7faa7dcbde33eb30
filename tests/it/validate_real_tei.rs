//! The rules on real TEI from other projects: on every corpus document jing calls valid,
//! `teikit validate --schema tei_all.rng` reports only the document's real defects, each listed
//! here and each checked against the document's text independently of teikit.

use crate::common::{reference_dir, teikit};
use std::collections::BTreeSet;
use std::path::Path;

/// What a valid document is expected to hold: its errors (all `pointer-resolves`), the number of
/// distinct pointers they concern, and some of those pointers.
struct Expected {
    file: &'static str,
    errors: usize,
    distinct: usize,
    some: &'static [&'static str],
}

/// Read off the documents: each pointer names an id that no element of the document carries (a
/// taxonomy or register the project keeps in a file that is not part of the corpus, a facsimile
/// not encoded, a responsibility never declared), or is no pointer at all.
const EXPECTED: &[Expected] = &[
    Expected {
        file: "Farfalla_1877_3_5_Bibliografia.xml",
        errors: 20,
        distinct: 5,
        some: &["#classiUmili", "#themesTaxonomy"],
    },
    Expected {
        file: "Farfalla_1877_4_8_Pompei.xml",
        errors: 2,
        distinct: 2,
        some: &["#LM", "#themesTaxonomy"],
    },
    Expected {
        file: "abel_leibmedicus_1699.TEI-P5.xml",
        errors: 412,
        distinct: 412,
        some: &["#f0001", "#f0412"],
    },
    Expected {
        file: "base.xml",
        errors: 0,
        distinct: 0,
        some: &[],
    },
    Expected {
        file: "castello-anima-full.xml",
        errors: 0,
        distinct: 0,
        some: &[],
    },
    Expected {
        file: "castello-anima-teiHeader.xml",
        errors: 0,
        distinct: 0,
        some: &[],
    },
    Expected {
        file: "coverlessListPerson.xml",
        errors: 616,
        distinct: 125,
        // The last is no pointer: an xml:id cannot end with a comma.
        some: &["#Rassegna", "#AM", "TEI-ListPlace.xml#mouilleronenpareds,"],
    },
    Expected {
        file: "coverlessListPlace.xml",
        errors: 14,
        distinct: 7,
        some: &["#BL", "#IT"],
    },
    Expected {
        file: "dojung_persons_with_notes.xml",
        errors: 0,
        distinct: 0,
        some: &[],
    },
    Expected {
        file: "dojung_ultra_simple.xml",
        errors: 0,
        distinct: 0,
        some: &[],
    },
    // `<anchor xml:id="b_389-end" corresp="#b_389-start"/>` has no start anchor; its 424
    // `#range(b_N-start,b_N-end)` pointers all resolve.
    Expected {
        file: "frus-history.xml",
        errors: 1,
        distinct: 1,
        some: &["#b_389-start"],
    },
    Expected {
        file: "tassonomia-gh.xml",
        errors: 0,
        distinct: 0,
        some: &[],
    },
    Expected {
        file: "testP5ExTcp1.xml",
        errors: 23,
        distinct: 1,
        some: &["#oxf"],
    },
    Expected {
        file: "testsimple-nodtd.xml",
        errors: 319,
        distinct: 1,
        some: &["#PDCC"],
    },
];

fn jing_valid(reference: &Path) -> BTreeSet<String> {
    let verdicts = std::fs::read_to_string(reference.join("corpus/jing-verdicts.tsv"))
        .expect("corpus/jing-verdicts.tsv");
    verdicts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let file = fields.next()?.strip_prefix("valid-or-invalid/")?;
            (fields.next()? == "valid").then(|| file.to_string())
        })
        .collect()
}

/// The JSON report of `teikit validate --no-config --format json ARGS…`.
fn validate_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["validate", "--no-config", "--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_slice(&teikit(&all).stdout).expect("a JSON report")
}

fn errors(reference: &Path, file: &Path) -> Vec<serde_json::Value> {
    let schema = reference.join("tei/tei_all.rng");
    let report = validate_json(&["--schema", schema.to_str().unwrap(), file.to_str().unwrap()]);
    report["files"][0]["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter(|p| p["severity"] == "error")
        .cloned()
        .collect()
}

#[test]
fn valid_documents_of_other_projects_have_only_their_real_defects() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let valid = jing_valid(&reference);
    let listed: BTreeSet<String> = EXPECTED.iter().map(|e| e.file.to_string()).collect();
    assert_eq!(
        valid, listed,
        "every document jing calls valid is listed here"
    );
    for expected in EXPECTED {
        let path = reference
            .join("corpus/valid-or-invalid")
            .join(expected.file);
        let text = std::fs::read_to_string(&path).unwrap();
        let ids: BTreeSet<&str> = text
            .split("xml:id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        let found = errors(&reference, &path);
        let mut pointers = BTreeSet::new();
        for error in &found {
            let message = error["message"].as_str().unwrap();
            assert_eq!(
                error["rule"], "pointer-resolves",
                "{}: {message}",
                expected.file
            );
            let pointer = message
                .split('`')
                .nth(1)
                .unwrap_or_else(|| panic!("{}: {message}", expected.file));
            // Independently of teikit: the id is not in the document, or the pointer is none.
            match pointer.strip_prefix('#') {
                Some(id) => assert!(
                    !ids.contains(id) && text.contains(&format!("\"{pointer}")),
                    "{}: `{pointer}` is no defect",
                    expected.file
                ),
                None => assert!(
                    message.contains("not a pointer TEI can follow"),
                    "{message}"
                ),
            }
            pointers.insert(pointer.to_string());
        }
        assert_eq!(found.len(), expected.errors, "{}", expected.file);
        assert_eq!(pointers.len(), expected.distinct, "{}", expected.file);
        for pointer in expected.some {
            assert!(pointers.contains(*pointer), "{}: {pointer}", expected.file);
        }
    }
}

#[test]
fn house_rules_apply_to_documentary_editions_only() {
    let Some(reference) = reference_dir() else {
        return;
    };
    // An early printed book transcribes its misprinted page numbers: generic by default…
    let book = reference.join("corpus/valid-or-invalid/testsimple-nodtd.xml");
    let schema = reference.join("tei/tei_all.rng");
    let run = |profile: &[&str]| {
        let mut args = vec!["--schema", schema.to_str().unwrap()];
        args.extend_from_slice(profile);
        args.push(book.to_str().unwrap());
        let report = validate_json(&args);
        report["files"][0]["problems"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["rule"] == "page-order")
            .count()
    };
    assert_eq!(run(&[]), 0);
    // …and the house rules still run when asked for.
    assert_eq!(run(&["--profile", "documentary"]), 2);
    // A FRUS document is documentary by its own content.
    let telegram = reference.join("frus/documents/frus1969-76v20_d1_telegram.xml");
    let report = validate_json(&[
        "--schema",
        schema.to_str().unwrap(),
        telegram.to_str().unwrap(),
    ]);
    let rules: BTreeSet<&str> = report["files"][0]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["rule"].as_str())
        .collect();
    assert!(rules.contains("note-spacing"), "{rules:?}");
}

/// The house rules taken from FRUS's Schematron, on two real FRUS documents put together as a
/// volume puts them: silent on the documents as published, each firing on one change.
#[test]
fn frus_house_rules_on_frus_documents() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let fragment = |name: &str| {
        let text = std::fs::read_to_string(reference.join("frus/documents").join(name)).unwrap();
        let start = text
            .find("<div type=\"document\"")
            .expect("a document division");
        text[start..].to_string()
    };
    let d1 = fragment("frus1969-76v20_d1_telegram.xml");
    let d2 = fragment("frus1969-76v20_d2_memorandum-of-conversation.xml");
    let volume = |d1: &str, d2: &str| format!("<TEI><text><body>{d1}{d2}</body></text></TEI>");
    let rules_found = |text: String| -> Vec<String> {
        teikit::rules::check_document(Path::new("v20.xml"), &text)
            .into_iter()
            .filter_map(|d| d.rule.map(|r| r.code().to_string()))
            .filter(|code| {
                ["document-numbering", "nested-note", "empty-element"].contains(&code.as_str())
            })
            .collect()
    };
    assert_eq!(rules_found(volume(&d1, &d2)), Vec::<String>::new());
    // Document 2 numbered 3.
    let renumbered = d2.replacen("n=\"2\"", "n=\"3\"", 1);
    assert_eq!(
        rules_found(volume(&d1, &renumbered)),
        ["document-numbering"]
    );
    // A note put inside the first footnote.
    let nested = d1.replacen(
        "Source: National Archives,",
        "Source: <note>Inner.</note> National Archives,",
        1,
    );
    assert_eq!(rules_found(volume(&nested, &d2)), ["nested-note"]);
    // A name emptied.
    let emptied = d1.replacen("<persName>Johnson</persName>", "<persName> </persName>", 1);
    assert_eq!(rules_found(volume(&emptied, &d2)), ["empty-element"]);
}

/// The FRUS samples, checked together as a volume's files are: the documents' persons and terms
/// resolve in the register file beside them, and the documentary rules find what they found
/// before profiles and pointers between files came in (the whitespace before two notes), apart
/// from the pointers now resolved.
#[test]
fn frus_samples_keep_their_findings() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let samples = reference.join("frus/documents");
    let report = validate_json(&[samples.to_str().unwrap()]);
    let mut found = Vec::new();
    for file in report["files"].as_array().unwrap() {
        let name = file["path"]
            .as_str()
            .unwrap()
            .rsplit(['/', '\\'])
            .next()
            .unwrap()
            .to_string();
        for p in file["problems"].as_array().unwrap() {
            let rule = p["rule"].as_str().unwrap();
            // The samples are fragments of volumes: the bundled schema's verdict on them is not
            // the point here.
            if rule != "schema" && rule != "well-formed" {
                found.push((name.clone(), rule.to_string(), p["line"].as_u64().unwrap()));
            }
        }
    }
    let expected = [
        ("frus1969-76v20_d1_telegram.xml", "note-spacing", 7),
        (
            "frus1969-76v20_d2_memorandum-of-conversation.xml",
            "pointer-resolves",
            6,
        ),
        (
            "frus1969-76v20_d2_memorandum-of-conversation.xml",
            "note-spacing",
            140,
        ),
        (
            "frus1969-76v20_d2_memorandum-of-conversation.xml",
            "pointer-resolves",
            147,
        ),
        (
            "frus1969-76v20_persons-terms_for_d1_d2.xml",
            "pointer-resolves",
            68,
        ),
        (
            "frus1969-76v20_persons-terms_for_d1_d2.xml",
            "pointer-resolves",
            84,
        ),
    ];
    let expected: Vec<(String, String, u64)> = expected
        .iter()
        .map(|(f, r, l)| (f.to_string(), r.to_string(), *l))
        .collect();
    assert_eq!(found, expected);
    // Each remaining pointer names a term the excerpted register does not hold.
    let register =
        std::fs::read_to_string(samples.join("frus1969-76v20_persons-terms_for_d1_d2.xml"))
            .unwrap();
    for id in ["t_INR1", "t_SEATO1", "t_RTA1"] {
        assert!(!register.contains(&format!("xml:id=\"{id}\"")), "{id}");
    }
}

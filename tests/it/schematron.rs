//! Schematron against the oracle: SchXslt 2.0 on SaxonC-HE (`scripts/schematron_oracle.py`)
//! and teikit run the same schema on the same documents, and must find the same things — per
//! assertion, per node (SVRL's location), with the same role — and fire rules as many times.

use crate::common::{python_module, reference_dir, root};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use teikit::schematron::Schematron;

/// What one tool found in one document: (assertion id, location, role) → how many times.
type Found = BTreeMap<(String, String, Option<String>), usize>;

/// The oracle's findings and fired-rule counts, by file.
fn oracle(sch: &Path, files: &[PathBuf]) -> BTreeMap<PathBuf, (usize, Found)> {
    let output = Command::new("python3")
        .arg(root().join("scripts/schematron_oracle.py"))
        .arg(sch)
        .args(files)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "the oracle failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut by_file = BTreeMap::new();
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let Some(file) = value["file"].as_str() else {
            continue;
        };
        let mut found = Found::new();
        for f in value["findings"].as_array().unwrap() {
            let key = (
                f[0].as_str().unwrap().to_string(),
                f[1].as_str().unwrap().to_string(),
                f[2].as_str().map(str::to_string),
            );
            *found.entry(key).or_default() += 1;
        }
        by_file.insert(
            PathBuf::from(file),
            (value["fired"].as_u64().unwrap() as usize, found),
        );
    }
    by_file
}

fn teikit_findings(schema: &Schematron, file: &Path) -> (usize, Found) {
    let text = std::fs::read_to_string(file).unwrap();
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(&text, options).unwrap();
    let checked = schema.run(&doc, Some(file));
    let mut found = Found::new();
    for f in checked.findings {
        assert!(!f.failed_to_evaluate, "{}: {}", file.display(), f.message);
        *found.entry((f.id, f.location, f.role)).or_default() += 1;
    }
    (checked.fired_rules, found)
}

/// Compares the two on every file; returns how many findings agreed.
fn agree(schema: &Schematron, sch: &Path, files: &[PathBuf]) -> usize {
    let expected = oracle(sch, files);
    assert_eq!(expected.len(), files.len(), "the oracle ran on every file");
    let mut agreed = 0;
    for file in files {
        let (oracle_fired, oracle_found) = &expected[file];
        let (fired, found) = teikit_findings(schema, file);
        let missing: Vec<_> = oracle_found
            .iter()
            .filter(|(k, n)| found.get(*k) != Some(n))
            .collect();
        let extra: Vec<_> = found
            .iter()
            .filter(|(k, n)| oracle_found.get(*k) != Some(n))
            .collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}: the oracle alone found {missing:#?}\nteikit alone found {extra:#?}",
            file.display()
        );
        assert_eq!(fired, *oracle_fired, "{}: rules fired", file.display());
        agreed += found.values().sum::<usize>();
    }
    agreed
}

/// tei_all's embedded Schematron as a standalone file, extracted by the reference's script
/// (TEI's own extraction), for the oracle.
fn extracted_tei_all(reference: &Path) -> PathBuf {
    let dir = tempfile::tempdir().unwrap().keep();
    let out = dir.join("tei_all.sch");
    let status = Command::new("python3")
        .arg(reference.join("schematron/extract_rng_schematron.py"))
        .arg(reference.join("tei/tei_all.rng"))
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    out
}

/// The XML files of a folder, in order, as `teikit validate` lists them.
fn xml_files(dir: &Path) -> Vec<PathBuf> {
    teikit::xml::files::xml_files(&[dir.to_path_buf()]).unwrap()
}

#[test]
fn tei_all_constraints_agree_with_the_oracle_on_the_corpus_the_mutants_and_the_probe() {
    let Some(reference) = reference_dir() else {
        return;
    };
    if !python_module("saxonche", "pip install saxonche")
        || !python_module("lxml", "pip install lxml")
    {
        return;
    }
    let schema = Schematron::embedded_in_rng(&reference.join("tei/tei_all.rng"))
        .unwrap()
        .expect("tei_all embeds Schematron");
    assert_eq!(
        schema.check_count(),
        103,
        "tei_all 4.12's asserts and reports"
    );
    let sch = extracted_tei_all(&reference);
    let probe = root().join("tests/fixtures/schematron/tei-probe.xml");
    let mut files = xml_files(&reference.join("corpus/valid-or-invalid"));
    files.extend(xml_files(&reference.join("corpus/mutants")));
    files.push(probe.clone());
    // The corpus documents, mutated where TEI's constraints look: real documents whose
    // pointers, dates, lists, spans and paragraphs now break them, at many nodes each.
    let mutated = tempfile::tempdir().unwrap();
    for file in xml_files(&reference.join("corpus/valid-or-invalid")) {
        let text = std::fs::read_to_string(&file).unwrap();
        let broken = mutate_for_tei_constraints(&text);
        if broken != text {
            let out = mutated.path().join(file.file_name().unwrap());
            std::fs::write(&out, broken).unwrap();
            files.push(out);
        }
    }
    let agreed = agree(&schema, &sch, &files);
    let on_mutants: usize = files
        .iter()
        .filter(|f| f.starts_with(mutated.path()))
        .map(|f| teikit_findings(&schema, f).1.values().sum::<usize>())
        .sum();
    assert!(
        on_mutants >= 100,
        "the mutated corpus fires {on_mutants} findings"
    );
    // The probe fires every assertion: a disagreement cannot hide behind one that never runs.
    let (_, on_probe) = teikit_findings(&schema, &probe);
    let fired: std::collections::BTreeSet<&str> =
        on_probe.keys().map(|(id, _, _)| id.as_str()).collect();
    let never: Vec<String> = schema
        .check_ids()
        .into_iter()
        .filter(|id| !fired.contains(id.as_str()))
        .collect();
    assert!(never.is_empty(), "the probe fires no finding of {never:?}");
    assert!(agreed >= 103, "{agreed} findings agreed");
    let _ = std::fs::remove_dir_all(sch.parent().unwrap());
}

/// `text` with changes TEI's Schematron refuses, each at a kind of place real documents have
/// many of: pointers with both `@target` and `@cRef`, dated elements with `@notBefore` too,
/// lists turned into gloss lists without labels, `@subtype`s without `@type`, paragraphs
/// nested in paragraphs. A change that would leave the document not well-formed (an attribute
/// it already has) is not made.
fn mutate_for_tei_constraints(text: &str) -> String {
    let changes: [(&str, &str); 7] = [
        ("<ptr target=", "<ptr cRef=\"x\" target="),
        ("<ref target=", "<ref cRef=\"x\" target="),
        (" when=\"", " notBefore=\"1000\" when=\""),
        ("<list>", "<list type=\"gloss\">"),
        ("<list rend=", "<list type=\"gloss\" rend="),
        ("<name ", "<name subtype=\"s\" "),
        ("</p>\n", "<p>nested</p></p>\n"),
    ];
    let mut out = text.to_string();
    for (from, to) in changes {
        let changed = out.replace(from, to);
        if roxmltree::Document::parse(&changed).is_ok() {
            out = changed;
        }
    }
    out
}

#[test]
fn a_schema_using_every_assembly_feature_agrees_with_the_oracle() {
    if reference_dir().is_none()
        || !python_module("saxonche", "pip install saxonche")
        || !python_module("lxml", "pip install lxml")
    {
        return;
    }
    let fixtures = root().join("tests/fixtures/schematron");
    let sch = fixtures.join("features.sch");
    let schema = Schematron::load(&sch, None).unwrap();
    assert_eq!(schema.check_count(), 8, "{:?}", schema.check_ids());
    let document = fixtures.join("features.xml");
    let agreed = agree(&schema, &sch, std::slice::from_ref(&document));
    assert!(agreed >= 8, "{agreed}");
    // The messages, rendered: names, values, diagnostics.
    let text = std::fs::read_to_string(&document).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let messages: Vec<String> = schema
        .check(&doc, Some(&document))
        .into_iter()
        .map(|f| format!("{} {}", f.id, f.message))
        .collect();
    for expected in [
        "person-known persName points to cy, who is not in the list of persons. — Known: ada, bea.",
        "head-shouts The head \"A LETTER\" is in capitals.",
        "not-empty An empty head.",
        "dated A div needs tei:dateline/tei:date/@when.",
        "number-integer The number iv is not an integer.",
        "number-after-previous Division 2 does not follow 3.",
        "date-in-future The date 2150-01-01 is in the future.",
    ] {
        assert!(
            messages.iter().any(|m| m == expected),
            "{expected}\nnot in {messages:#?}"
        );
    }
    // A phase runs its patterns only.
    let pointers = Schematron::load(&sch, Some("pointers-only")).unwrap();
    assert_eq!(pointers.check_ids(), ["person-known"]);
    let unknown = Schematron::load(&sch, Some("nope")).unwrap_err();
    assert!(unknown.message.contains("all, pointers-only"), "{unknown}");
}

/// FRUS's five Schematron files, prepared to run offline (`scripts/prepare_frus_schematron.py`:
/// the reference's preparation, the volume-id service replaced by a snapshot of the ids the
/// documents name), written to `dir`; returns their paths.
fn prepared_frus_schemas(dir: &Path, documents: &[PathBuf]) -> Vec<PathBuf> {
    let output = Command::new("python3")
        .arg(root().join("scripts/prepare_frus_schematron.py"))
        .arg(dir)
        .args(documents)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(PathBuf::from)
        .collect()
}

#[test]
fn frus_schematron_agrees_with_the_oracle_on_frus_documents() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let Some(devset) = crate::common::frus_devset_dir() else {
        return;
    };
    if !python_module("saxonche", "pip install saxonche")
        || !python_module("lxml", "pip install lxml")
    {
        return;
    }
    // FRUS's samples, the development set's official documents of every era and the FRUS
    // history monograph: those that are namespace-well-formed on their own (some are
    // fragments of a volume that declares their prefixes).
    let mut documents: Vec<PathBuf> = xml_files(&reference.join("frus/documents"));
    documents.extend(xml_files(&devset.join("official")));
    documents.push(reference.join("corpus/valid-or-invalid/frus-history.xml"));
    let parses =
        |f: &PathBuf| roxmltree::Document::parse(&std::fs::read_to_string(f).unwrap()).is_ok();
    documents.retain(parses);
    assert!(documents.len() > 20, "{documents:?}");
    // And teikit's own FRUS volume files: the first document of each volume of the set,
    // converted with --profile frus.
    let dir = tempfile::tempdir().unwrap();
    let mut volumes: Vec<PathBuf> = std::fs::read_dir(devset.join("sources"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    volumes.sort();
    for volume in &volumes {
        let mut sources: Vec<PathBuf> = std::fs::read_dir(volume)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        sources.sort();
        let name = volume.file_name().unwrap().to_string_lossy().into_owned();
        let out = dir.path().join(format!("{name}.xml"));
        let converted = crate::common::teikit(&[
            "convert",
            "--profile",
            "frus",
            sources[0].to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(out.is_file(), "{}", crate::common::stderr(&converted));
        documents.push(out);
    }
    let mut agreed = 0;
    let prepared = prepared_frus_schemas(&dir.path().join("schema"), &documents);
    assert_eq!(prepared.len(), 5);
    for sch in prepared {
        let schema = Schematron::load(&sch, None).unwrap_or_else(|e| panic!("{e}"));
        agreed += agree(&schema, &sch, &documents);
    }
    assert!(agreed > 100, "{agreed} findings agreed");
}

/// The FRUS rules teikit has natively, each a port of one FRUS Schematron assertion, and that
/// assertion's id as teikit names it (`pattern#place`).
const NATIVE_FRUS_RULES: &[(teikit::rules::RuleId, &str)] = &[
    (
        teikit::rules::RuleId::DocumentNumbering,
        "div-numbering-checks#1",
    ),
    (
        teikit::rules::RuleId::NestedNote,
        "element-nesting-checks#1",
    ),
    (
        teikit::rules::RuleId::EmptyElement,
        "empty-missing-content-checks#1",
    ),
];

#[test]
fn the_native_frus_rules_find_what_frus_schematron_finds() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let Some(devset) = crate::common::frus_devset_dir() else {
        return;
    };
    if !python_module("lxml", "pip install lxml") {
        return;
    }
    use teikit::rules::{Level, Profile, RuleSet};
    // The rules' own fixtures (each breaks its rule), the development set's documents and the
    // monograph.
    let mut documents: Vec<PathBuf> = ["document-numbering", "nested-note", "empty-element"]
        .iter()
        .map(|code| root().join(format!("tests/fixtures/rules/{code}.xml")))
        .collect();
    documents.extend(xml_files(&devset.join("official")));
    documents.push(reference.join("corpus/valid-or-invalid/frus-history.xml"));
    let dir = tempfile::tempdir().unwrap();
    let frus = prepared_frus_schemas(dir.path(), &documents)
        .into_iter()
        .find(|p| p.ends_with("frus.sch"))
        .unwrap();
    let schema = Schematron::load(&frus, None).unwrap();
    let mut compared = 0;
    for document in &documents {
        let text = std::fs::read_to_string(document).unwrap();
        let Ok(doc) = roxmltree::Document::parse(&text) else {
            continue;
        };
        let findings = schema.check(&doc, Some(document));
        for (rule, assertion) in NATIVE_FRUS_RULES {
            let mut only = RuleSet::for_profile(Some(Profile::Documentary));
            for other in teikit::rules::RuleId::all().filter(|r| r != rule) {
                only.set_level(other, Level::Off);
            }
            let native: std::collections::BTreeSet<String> =
                teikit::rules::check_document_with(document, &text, &only)
                    .into_iter()
                    .filter(|d| d.rule == Some(*rule))
                    .filter_map(|d| d.path)
                    .collect();
            let schematron: std::collections::BTreeSet<String> = findings
                .iter()
                .filter(|f| f.id == *assertion)
                .map(|f| f.element_path.clone())
                .collect();
            if *rule == teikit::rules::RuleId::NestedNote {
                // teikit points at the nested note, FRUS at the footnote holding it: each
                // nested note lies in a footnote FRUS names, and each such footnote holds one.
                let within =
                    |outer: &String, inner: &String| inner.starts_with(&format!("{outer}/"));
                for inner in &native {
                    assert!(
                        schematron.iter().any(|outer| within(outer, inner)),
                        "{}: {inner} is in no footnote {assertion} names ({schematron:?})",
                        document.display()
                    );
                }
                for outer in &schematron {
                    assert!(
                        native.iter().any(|inner| within(outer, inner)),
                        "{}: {outer} holds no note {rule:?} names ({native:?})",
                        document.display()
                    );
                }
            } else {
                assert_eq!(
                    native,
                    schematron,
                    "{}: {rule:?} and {assertion}",
                    document.display()
                );
            }
            compared += native.len();
        }
    }
    assert!(compared >= 3, "each fixture breaks its rule: {compared}");
}

#[test]
fn hostile_schemas_are_refused_or_fail_at_the_node_without_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let document = write(
        "d.xml",
        "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><p>x</p></TEI>",
    );
    let head = r#"<schema xmlns="http://purl.oclc.org/dsdl/schematron" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:f="urn:f" queryBinding="xslt2"><ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/><ns prefix="f" uri="urn:f"/>"#;
    // A function that calls itself for ever: an error at the node, and the run goes on.
    let endless = write(
        "endless.sch",
        &format!(
            r#"{head}<xsl:function name="f:down"><xsl:param name="n"/><xsl:sequence select="f:down($n + 1)"/></xsl:function>
            <pattern id="p"><rule context="tei:p"><assert id="never" test="f:down(1)">x</assert><assert id="plain" test="false()">plain</assert></rule></pattern></schema>"#
        ),
    );
    let out = crate::common::teikit(&[
        "validate",
        "--no-config",
        "--disable",
        "schema",
        "--schematron",
        endless.to_str().unwrap(),
        document.to_str().unwrap(),
    ]);
    let err = crate::common::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("could not evaluate never") && err.contains("deep"),
        "{err}"
    );
    assert!(
        err.contains("plain [plain]"),
        "the other assertion still ran: {err}"
    );
    // An abstract rule that extends itself, an unknown function, XSLT 1.0, a missing include:
    // refused when loaded, by name and line.
    for (name, body, expected) in [
        (
            "cycle.sch",
            r#"<pattern><rule abstract="true" id="a"><extends rule="a"/></rule><rule context="tei:p"><extends rule="a"/></rule></pattern>"#,
            "extends itself",
        ),
        (
            "function.sch",
            r#"<pattern><rule context="tei:p"><assert test="format-number(1, '0')">x</assert></rule></pattern>"#,
            "format-number",
        ),
        (
            "include.sch",
            r#"<pattern><include href="missing.sch"/></pattern>"#,
            "missing.sch",
        ),
    ] {
        let sch = write(name, &format!("{head}{body}</schema>"));
        let out = crate::common::teikit(&[
            "validate",
            "--no-config",
            "--schematron",
            sch.to_str().unwrap(),
            document.to_str().unwrap(),
        ]);
        let err = crate::common::stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains(expected) && err.contains(&format!("{name}:1:")),
            "{name}: {err}"
        );
    }
    let xslt1 = write(
        "xslt1.sch",
        r#"<schema xmlns="http://purl.oclc.org/dsdl/schematron"><pattern><rule context="p"><assert test="1">x</assert></rule></pattern></schema>"#,
    );
    let out = crate::common::teikit(&[
        "validate",
        "--no-config",
        "--schematron",
        xslt1.to_str().unwrap(),
        document.to_str().unwrap(),
    ]);
    let err = crate::common::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("XSLT 1.0"), "{err}");
}

#[test]
fn the_schematron_a_document_declares_runs_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("tests/fixtures/rules/schematron.sch"),
        dir.path().join("project.sch"),
    )
    .unwrap();
    let body = std::fs::read_to_string(root().join("tests/fixtures/rules/schematron.xml")).unwrap();
    let declaring = dir.path().join("declaring.xml");
    std::fs::write(
        &declaring,
        format!(
            "<?xml-model href=\"project.sch\" type=\"application/xml\" schematypens=\"http://purl.oclc.org/dsdl/schematron\"?>\n{body}"
        ),
    )
    .unwrap();
    let out = crate::common::teikit_in(
        dir.path(),
        &[
            "validate",
            "--no-config",
            "--disable",
            "schema",
            "declaring.xml",
        ],
    );
    let err = crate::common::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("[document-head]").count(), 1, "{err}");
    assert!(err.contains("declaring.xml:12:7"), "at the division: {err}");
    // A declaration that cannot be had is a failure of the run, by file.
    std::fs::write(
        dir.path().join("lost.xml"),
        format!(
            "<?xml-model href=\"nowhere.sch\" schematypens=\"http://purl.oclc.org/dsdl/schematron\"?>\n{body}"
        ),
    )
    .unwrap();
    let out = crate::common::teikit_in(
        dir.path(),
        &[
            "validate",
            "--no-config",
            "--offline",
            "--disable",
            "schema",
            "lost.xml",
        ],
    );
    let err = crate::common::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("lost.xml") && err.contains("nowhere.sch"),
        "{err}"
    );
    // tei_all declared as both halves: its embedded patterns run once.
    if let Some(reference) = reference_dir() {
        let rng = reference.join("tei/tei_all.rng");
        let both = dir.path().join("both.xml");
        std::fs::write(
            &both,
            format!(
                "<?xml-model href=\"{0}\" schematypens=\"http://relaxng.org/ns/structure/1.0\"?>\n<?xml-model href=\"{0}\" schematypens=\"http://purl.oclc.org/dsdl/schematron\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader><text><body><p xml:id=\"a\"><ptr target=\"#a\" cRef=\"b\"/></p></body></text></TEI>",
                rng.display()
            ),
        )
        .unwrap();
        let out = crate::common::teikit_in(dir.path(), &["validate", "--no-config", "both.xml"]);
        let err = crate::common::stderr(&out);
        assert_eq!(err.matches("ptrAtts").count(), 1, "{err}");
    }
}

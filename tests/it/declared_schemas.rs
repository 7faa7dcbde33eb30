//! Documents that name their schema (`xml-model`): found beside the document, through an XML
//! catalog, or downloaded once from a loopback HTTP server this test starts; `--offline`; a
//! schema that cannot be had; two schemas in one run; the precedence of `--schema` and
//! `teikit.toml`; and the reference corpus with a catalog, against jing's verdicts.

use crate::common::*;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A schema of a tiny vocabulary: `<r n="integer">text</r>`.
const SMALL: &str = "start = element r { attribute n { xsd:integer }?, text }\n";
/// Another: `<s/>`.
const OTHER: &str = "start = element s { empty }\n";

fn declaring(href: &str, body: &str) -> String {
    format!("<?xml version=\"1.0\"?>\n<?xml-model href=\"{href}\" type=\"application/xml\" schematypens=\"http://relaxng.org/ns/structure/1.0\"?>\n{body}\n")
}

/// Serves `body` at any path on a loopback port, counting the requests; the thread ends with
/// the test process.
fn serve(body: &'static str) -> (String, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut buffer = [0; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buffer[..n]),
                }
            }
            counted.fetch_add(1, Ordering::SeqCst);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (format!("http://{address}"), requests)
}

fn validate_in(dir: &Path, cache: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_teikit"))
        .arg("validate")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("TEIKIT_CACHE_DIR", cache)
        .env_remove("XML_CATALOG_FILES")
        .output()
        .unwrap();
    (out.status.code(), stderr(&out))
}

#[test]
fn each_document_is_validated_against_the_schema_it_declares() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("schema")).unwrap();
    std::fs::create_dir_all(root.join("text/more")).unwrap();
    std::fs::write(root.join("schema/small.rnc"), SMALL).unwrap();
    std::fs::write(root.join("schema/other.rnc"), OTHER).unwrap();
    std::fs::write(
        root.join("text/good.xml"),
        declaring("../schema/small.rnc", "<r n=\"5\">x</r>"),
    )
    .unwrap();
    std::fs::write(
        root.join("text/bad.xml"),
        declaring("../schema/small.rnc", "<r n=\"five\">x</r>"),
    )
    .unwrap();
    std::fs::write(
        root.join("text/more/s.xml"),
        declaring("../../schema/other.rnc", "<s/>"),
    )
    .unwrap();
    let cache = root.join("cache");
    let (status, err) = validate_in(root, &cache, &["text"]);
    assert_eq!(status, Some(1), "{err}");
    assert!(
        err.contains("text/bad.xml:3:4"),
        "the bad value, against small.rnc: {err}"
    );
    assert!(
        !err.contains("good.xml:") && !err.contains("s.xml:"),
        "{err}"
    );
    assert!(
        err.contains("validated 3 file(s): 2 valid, 1 invalid"),
        "{err}"
    );
    // The report names the schema each was validated against.
    assert!(
        err.contains("`../schema/small.rnc` (declared") && err.contains(": 2 file(s)"),
        "{err}"
    );
    assert!(
        err.contains("`../../schema/other.rnc` (declared") && err.contains(": 1 file(s)"),
        "{err}"
    );
    // --schema wins over the declaration, and so does teikit.toml's schema.
    let (status, err) = validate_in(
        root,
        &cache,
        &["--schema", "schema/other.rnc", "text/good.xml"],
    );
    assert_eq!(status, Some(1), "{err}");
    assert!(err.contains("element `r` not allowed"), "{err}");
    std::fs::write(root.join("teikit.toml"), "schema = \"schema/other.rnc\"\n").unwrap();
    let (status, err) = validate_in(root, &cache, &["text/more/s.xml", "text/good.xml"]);
    assert_eq!(status, Some(1), "{err}");
    assert!(err.contains("text/good.xml:3:1"), "{err}");
    // An override's schema wins over the documents' declarations, for its files only.
    std::fs::write(
        root.join("teikit.toml"),
        "[[overrides]]\npaths = [\"text/more/**\"]\nschema = \"schema/small.rnc\"\n",
    )
    .unwrap();
    let (status, err) = validate_in(root, &cache, &["text/more/s.xml", "text/good.xml"]);
    assert_eq!(status, Some(1), "{err}");
    assert!(
        err.contains("text/more/s.xml:3:1") && !err.contains("good.xml:"),
        "{err}"
    );
    assert!(
        err.contains("schema/small.rnc: 1 file(s)") && err.contains("(declared;"),
        "{err}"
    );
    // schema = "declared": a document that names none is an error, not the bundled subset's.
    std::fs::write(root.join("teikit.toml"), "schema = \"declared\"\n").unwrap();
    std::fs::write(root.join("text/none.xml"), "<r/>\n").unwrap();
    let (status, err) = validate_in(root, &cache, &["text"]);
    assert_eq!(status, Some(2), "{err}");
    assert!(
        err.contains("text/none.xml: error: declares no schema"),
        "{err}"
    );
}

#[test]
fn a_schema_that_cannot_be_had_is_one_error_naming_what_was_tried() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for name in ["a", "b", "c"] {
        std::fs::write(
            root.join(format!("{name}.xml")),
            declaring("schema/gone.rnc", "<r/>"),
        )
        .unwrap();
    }
    let (status, err) = validate_in(root, &root.join("cache"), &["a.xml", "b.xml", "c.xml"]);
    assert_eq!(status, Some(2), "teikit could not do what was asked: {err}");
    assert_eq!(
        err.matches("schema `schema/gone.rnc`").count(),
        1,
        "one error for the schema: {err}"
    );
    assert!(
        err.contains("no file at") && err.contains("gone.rnc"),
        "what was tried: {err}"
    );
    assert!(err.contains("declared by 2 other file(s) too"), "{err}");
    assert!(
        err.contains("3 without their schema"),
        "never a silent fallback: {err}"
    );
}

#[test]
fn a_remote_schema_is_downloaded_once_and_then_read_offline() {
    if !program("curl", "apt-get install curl") {
        return;
    }
    let (server, requests) = serve(SMALL);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let cache = root.join("cache");
    let url = format!("{server}/schemas/small.rnc");
    std::fs::write(root.join("d.xml"), declaring(&url, "<r n=\"x\"/>")).unwrap();
    // Offline and not cached: an error saying how to get it.
    let (status, err) = validate_in(root, &cache, &["--offline", "d.xml"]);
    assert_eq!(status, Some(2), "{err}");
    assert!(
        err.contains("--offline forbids downloading it") && err.contains("teikit schema fetch"),
        "{err}"
    );
    assert_eq!(requests.load(Ordering::SeqCst), 0);
    // Online: downloaded once, validated against it.
    let (status, err) = validate_in(root, &cache, &["d.xml"]);
    assert_eq!(status, Some(1), "{err}");
    assert!(
        err.contains("value `x` of attribute `n` is invalid"),
        "{err}"
    );
    assert_eq!(requests.load(Ordering::SeqCst), 1);
    // Then from the cache, online or not.
    for args in [&["d.xml"][..], &["--offline", "d.xml"]] {
        let (status, err) = validate_in(root, &cache, args);
        assert_eq!(status, Some(1), "{err}");
    }
    assert_eq!(requests.load(Ordering::SeqCst), 1, "no second download");
    // `teikit schema fetch` warms another cache.
    let warmed = root.join("warmed");
    let fetch = std::process::Command::new(env!("CARGO_BIN_EXE_teikit"))
        .args(["schema", "fetch", &url])
        .env("TEIKIT_CACHE_DIR", &warmed)
        .output()
        .unwrap();
    assert!(fetch.status.success(), "{}", stderr(&fetch));
    let (status, err) = validate_in(root, &warmed, &["--offline", "d.xml"]);
    assert_eq!(status, Some(1), "{err}");
    // A server that is not there: the error names the URL.
    let gone = "http://127.0.0.1:9/none.rnc";
    std::fs::write(root.join("e.xml"), declaring(gone, "<r/>")).unwrap();
    let (status, err) = validate_in(root, &cache, &["e.xml"]);
    assert_eq!(status, Some(2), "{err}");
    assert!(
        err.contains(&format!("schema `{gone}`: cannot download it")),
        "{err}"
    );
}

#[test]
fn declared_tei_all_through_a_catalog_gets_jings_verdicts_on_the_corpus() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // Every way the corpus writes tei_all's address (http, https, www., a GitHub copy, a
    // relative path) ends the same: one suffix entry maps them all to the reference copy.
    let catalog = dir.path().join("catalog.xml");
    std::fs::write(
        &catalog,
        format!(
            r#"<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog"><uriSuffix uriSuffix="/tei_all.rng" uri="{}"/></catalog>"#,
            reference.join("tei/tei_all.rng").display()
        ),
    )
    .unwrap();
    let verdicts = std::fs::read_to_string(reference.join("corpus/jing-verdicts.tsv")).unwrap();
    let mut files = Vec::new();
    let mut expected = Vec::new();
    for line in verdicts.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let path = reference.join("corpus").join(fields[0]);
        let prolog = teikit::schemas::read_prolog(&path).unwrap();
        let declared = teikit::schemas::declared_relax_ng(&prolog);
        if declared.is_some_and(|href| href.ends_with("/tei_all.rng")) {
            files.push(path.display().to_string());
            expected.push((fields[0].to_string(), fields[1] == "valid"));
        }
    }
    assert!(
        files.len() >= 8,
        "the corpus declares tei_all in {} files",
        files.len()
    );
    let mut args = vec![
        "--offline",
        "--catalog",
        catalog.to_str().unwrap(),
        "--format",
        "json",
        "--no-config",
    ];
    args.extend(files.iter().map(String::as_str));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_teikit"))
        .arg("validate")
        .args(&args)
        .env("TEIKIT_CACHE_DIR", "off")
        .env_remove("XML_CATALOG_FILES")
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "tei_all.rng` (declared; {}",
            reference
                .join("tei/tei_all.rng")
                .canonicalize()
                .unwrap()
                .display()
        )),
        "{err}"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reported = report["files"].as_array().expect("files");
    for ((name, valid), file) in expected.iter().zip(reported) {
        let errors = file["problems"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["severity"] == "error" && p["rule"] == "schema")
            .count();
        assert_eq!(
            errors == 0,
            *valid,
            "{name}: jing says valid={valid}, teikit found {errors} schema errors: {file}"
        );
        let schema = file["schema"].as_str().unwrap_or_default();
        assert!(
            schema.contains("tei_all.rng` (declared;"),
            "{name}: {schema}"
        );
    }
}

//! `teikit lsp` driven as an editor drives it: JSON-RPC over the server's standard input and
//! output (initialize, didOpen, didChange, completion, hover, definition, references, rename,
//! shutdown), on TEI fixtures and on the converted memo; partial documents never crash it, and
//! after random edits its diagnostics are those of a fresh `teikit validate` of the same text.

use crate::common::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

struct Client {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: i64,
    /// Diagnostics published, by URI, the latest last.
    diagnostics: Vec<(String, Vec<Value>)>,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_teikit"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("teikit lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut client = Client {
            child,
            stdin,
            stdout,
            next_id: 1,
            diagnostics: Vec::new(),
        };
        let init = client.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {}}),
        );
        let capabilities = &init["result"]["capabilities"];
        assert_eq!(
            capabilities["textDocumentSync"], 2,
            "incremental sync: {init}"
        );
        assert_eq!(capabilities["definitionProvider"], true);
        assert_eq!(capabilities["renameProvider"], true);
        client.notify("initialized", json!({}));
        client
    }

    fn write(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn read(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.stdout.read_line(&mut line).unwrap();
            assert!(!line.is_empty(), "the server closed its output");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.write(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and reads until its response, keeping the diagnostics published meanwhile.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.write(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.read();
            if message["id"] == id {
                return message;
            }
            self.keep(message);
        }
    }

    fn keep(&mut self, message: Value) {
        if message["method"] == "textDocument/publishDiagnostics" {
            let uri = message["params"]["uri"].as_str().unwrap().to_string();
            let list = message["params"]["diagnostics"].as_array().unwrap().clone();
            self.diagnostics.push((uri, list));
        }
    }

    /// Waits for the next diagnostics of `uri`.
    fn diagnostics_of(&mut self, uri: &str) -> Vec<Value> {
        loop {
            if let Some(at) = self.diagnostics.iter().position(|(u, _)| u == uri) {
                return self.diagnostics.remove(at).1;
            }
            let message = self.read();
            self.keep(message);
        }
    }

    fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": text}}),
        );
        self.diagnostics_of(uri)
    }

    fn replace(&mut self, uri: &str, version: i64, range: Value, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": range, "text": text}]}),
        );
        self.diagnostics_of(uri)
    }

    fn at(
        &mut self,
        method: &str,
        uri: &str,
        (line, character): (usize, usize),
        extra: Value,
    ) -> Value {
        let mut params = json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
        if let (Some(p), Some(e)) = (params.as_object_mut(), extra.as_object()) {
            p.extend(e.clone());
        }
        self.request(method, params)
    }

    fn stop(mut self) {
        let response = self.request("shutdown", Value::Null);
        assert!(response["error"].is_null(), "{response}");
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(
            status.success(),
            "teikit lsp exits 0 after shutdown and exit"
        );
    }
}

/// The line and UTF-16 column of the first occurrence of `needle` in `text`, plus `shift`
/// characters (ASCII fixtures).
fn position(text: &str, needle: &str, shift: usize) -> (usize, usize) {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in the fixture"))
        + shift;
    let line = text[..offset].matches('\n').count();
    let column = offset - text[..offset].rfind('\n').map_or(0, |p| p + 1);
    (line, column)
}

fn labels(response: &Value) -> Vec<String> {
    response["result"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items: {response}"))
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

const FIXTURE: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>A test</title></titleStmt>
      <publicationStmt><publisher>P</publisher></publicationStmt>
      <sourceDesc>
        <listPerson>
          <person xml:id="p_KHA_1"><persName>Kissinger, Henry A.</persName></person>
        </listPerson>
      </sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
      <div type="document" xml:id="d1">
        <p xml:id="d1">Met <persName ref="#p_KHA_1">Kissinger</persName> and <persName ref="#p_KHA_1">him</persName>.</p>
      </div>
    </body>
  </text>
</TEI>
"##;

fn fixture_uri(dir: &Path) -> String {
    format!("file://{}/fixture.xml", dir.display())
}

#[test]
fn diagnostics_follow_the_edits_with_rule_ids_links_and_the_first_use_of_an_id() {
    let dir = tempfile::tempdir().unwrap();
    let uri = fixture_uri(dir.path());
    let mut client = Client::start();
    let diagnostics = client.open(&uri, FIXTURE);
    let duplicate = diagnostics
        .iter()
        .find(|d| d["code"] == "unique-id")
        .unwrap_or_else(|| panic!("the duplicated d1 is reported: {diagnostics:?}"));
    assert_eq!(duplicate["range"]["start"]["line"], 16);
    let related = &duplicate["relatedInformation"][0]["location"]["range"]["start"];
    assert_eq!(related["line"], 15, "the first use of d1: {duplicate}");
    assert!(duplicate["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("README.md#validation-rules-and-reports"));
    // Fix it: the id of the paragraph becomes d1p1.
    let (line, character) = position(FIXTURE, "<p xml:id=\"d1\"", 11);
    let range = json!({"start": {"line": line, "character": character}, "end": {"line": line, "character": character + 2}});
    let after = client.replace(&uri, 2, range, "d1p1");
    assert!(after.is_empty(), "{after:?}");
    let text = FIXTURE.replace("<p xml:id=\"d1\"", "<p xml:id=\"d1p1\"");
    // Break a pointer: a schema-valid document with one unresolved pointer.
    let (line, character) = position(&text, "#p_KHA_1\">him", 1);
    let range = json!({"start": {"line": line, "character": character}, "end": {"line": line, "character": character + 7}});
    let broken = client.replace(&uri, 3, range, "p_XYZ_9");
    assert!(
        broken.len() == 1
            && broken[0]["code"] == "pointer-resolves"
            && broken[0]["message"].as_str().unwrap().contains("p_XYZ_9"),
        "{broken:?}"
    );
    client.stop();
}

#[test]
fn completion_offers_what_the_schema_allows_at_the_cursor() {
    let dir = tempfile::tempdir().unwrap();
    let uri = fixture_uri(dir.path());
    let mut client = Client::start();
    // A document being typed: an open paragraph and a `<` after its text.
    let typing = FIXTURE.replace("<p xml:id=\"d1\">Met", "<p xml:id=\"d1p1\">Met <");
    client.open(&uri, &typing);
    let elements = client.at(
        "textDocument/completion",
        &uri,
        position(&typing, "Met <", 5),
        json!({}),
    );
    let names = labels(&elements);
    for name in ["persName", "note", "date", "hi"] {
        assert!(names.contains(&name.to_string()), "{name} in {names:?}");
    }
    assert!(
        !names.contains(&"div".to_string()),
        "no div inside p: {names:?}"
    );
    // In the division's start tag: attributes it may still take; type is given already.
    let attributes = client.at(
        "textDocument/completion",
        &uri,
        position(&typing, "type=\"document\"", 15),
        json!({}),
    );
    let names = labels(&attributes);
    assert!(names.contains(&"subtype".to_string()), "{names:?}");
    assert!(
        !names.contains(&"type".to_string()) && !names.contains(&"xml:id".to_string()),
        "{names:?}"
    );
    client.stop();

    // Values the schema enumerates, and pointers with what they name.
    let mut client = Client::start();
    let values = FIXTURE.replace(
        "<persName ref=\"#p_KHA_1\">him</persName>",
        "<date cert=\"\">then</date> <persName ref=\"#\">him</persName>",
    );
    client.open(&uri, &values);
    let cert = client.at(
        "textDocument/completion",
        &uri,
        position(&values, "cert=\"", 6),
        json!({}),
    );
    assert_eq!(labels(&cert), ["high", "medium", "low", "unknown"]);
    let pointers = client.at(
        "textDocument/completion",
        &uri,
        position(&values, "ref=\"#\">him", 6),
        json!({}),
    );
    let names = labels(&pointers);
    assert!(
        names.contains(&"#p_KHA_1 — Kissinger, Henry A.".to_string()),
        "{names:?}"
    );
    client.stop();
}

#[test]
fn hover_definition_references_and_rename_of_an_id() {
    let dir = tempfile::tempdir().unwrap();
    let uri = fixture_uri(dir.path());
    let fixed = FIXTURE.replace("<p xml:id=\"d1\">", "<p xml:id=\"d1p1\">");
    let mut client = Client::start();
    assert!(client.open(&uri, &fixed).is_empty());
    let pointer = position(&fixed, "#p_KHA_1\">Kissinger", 3);

    let hover = client.at("textDocument/hover", &uri, pointer, json!({}));
    let text = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("Kissinger, Henry A.") && text.contains("line 9"),
        "{text}"
    );
    let element = client.at(
        "textDocument/hover",
        &uri,
        position(&fixed, "<persName ref", 3),
        json!({}),
    );
    assert!(
        element["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .starts_with("**persName** — "),
        "{element}"
    );

    let definition = client.at("textDocument/definition", &uri, pointer, json!({}));
    assert_eq!(
        definition["result"]["range"]["start"]["line"], 8,
        "{definition}"
    );

    let references = client.at(
        "textDocument/references",
        &uri,
        pointer,
        json!({"context": {"includeDeclaration": true}}),
    );
    assert_eq!(
        references["result"].as_array().unwrap().len(),
        3,
        "{references}"
    );

    let rename = client.at(
        "textDocument/rename",
        &uri,
        pointer,
        json!({"newName": "p_HAK"}),
    );
    let edits = rename["result"]["changes"][&uri].as_array().unwrap();
    assert_eq!(edits.len(), 3);
    assert!(edits.iter().all(|e| e["newText"] == "p_HAK"));
    let taken = client.at(
        "textDocument/rename",
        &uri,
        pointer,
        json!({"newName": "d1"}),
    );
    assert!(
        taken["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already has the id `d1`"),
        "{taken}"
    );
    let bad = client.at(
        "textDocument/rename",
        &uri,
        pointer,
        json!({"newName": "1 2"}),
    );
    assert!(
        bad["error"]["message"]
            .as_str()
            .unwrap()
            .contains("cannot be an xml:id"),
        "{bad}"
    );
    client.stop();
}

#[test]
fn the_converted_memo_is_clean_and_its_pointers_lead_to_the_register() {
    let path = root().join("tei/frus1969-76v10/d59.xml");
    let text = std::fs::read_to_string(&path).unwrap();
    let uri = format!("file://{}", path.display());
    let mut client = Client::start();
    let diagnostics = client.open(&uri, &text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let pointer = position(&text, "ref=\"#p_KHA_1\"", 7);
    let definition = client.at("textDocument/definition", &uri, pointer, json!({}));
    let target = definition["result"]["range"]["start"]["line"]
        .as_u64()
        .unwrap() as usize;
    assert!(text
        .lines()
        .nth(target)
        .unwrap()
        .contains("<person xml:id=\"p_KHA_1\">"));
    let references = client.at(
        "textDocument/references",
        &uri,
        pointer,
        json!({"context": {"includeDeclaration": false}}),
    );
    assert_eq!(
        references["result"].as_array().unwrap().len(),
        text.matches("\"#p_KHA_1\"").count()
    );
    client.stop();
}

/// A small deterministic generator (no dependency), for reproducible random edits.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

fn char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn lsp_position(text: &str, offset: usize) -> Value {
    let line = text[..offset].matches('\n').count();
    let start = text[..offset].rfind('\n').map_or(0, |p| p + 1);
    let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

#[test]
fn partial_documents_never_crash_it_and_random_edits_give_the_diagnostics_of_validate() {
    let memo = std::fs::read_to_string(root().join("tei/frus1969-76v10/d59.xml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("edited.xml");
    let uri = format!("file://{}", file.display());
    let mut client = Client::start();
    let mut text = memo.clone();
    client.open(&uri, &text);
    let mut random = Lcg(59);
    const PIECES: [&str; 9] = [
        "<",
        "</p>",
        "<p>",
        "\"",
        " xml:id=\"d59\"",
        "&",
        "x",
        "<persName ref=\"#nowhere\">",
        ">",
    ];
    for version in 2..42 {
        // Replace a random stretch (up to 40 bytes) with a random piece.
        let start = char_boundary(&text, random.next(text.len()));
        let end = char_boundary(&text, (start + random.next(40)).min(text.len()));
        let piece = PIECES[random.next(PIECES.len())];
        let range = json!({"start": lsp_position(&text, start), "end": lsp_position(&text, end)});
        text.replace_range(start..end, piece);
        let ours = client.replace(&uri, version, range, piece);
        // Completion at the edit still answers, whatever state the document is in.
        let completion = client.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": lsp_position(&text, start + piece.len())}),
        );
        assert!(completion["error"].is_null(), "{completion}");

        std::fs::write(&file, &text).unwrap();
        let fresh = teikit_in(
            dir.path(),
            &["validate", "--no-config", "--format", "json", "edited.xml"],
        );
        let report: Value = serde_json::from_slice(&fresh.stdout).unwrap();
        let mut expected: Vec<(u64, String, String)> = report["files"][0]["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["line"].as_u64().unwrap() - 1,
                    p["rule"].as_str().unwrap_or("").to_string(),
                    p["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let mut got: Vec<(u64, String, String)> = ours
            .iter()
            .map(|d| {
                (
                    d["range"]["start"]["line"].as_u64().unwrap(),
                    d["code"].as_str().unwrap_or("").to_string(),
                    d["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        expected.sort();
        got.sort();
        assert_eq!(
            got, expected,
            "after edit {version} ({start}..{end} → {piece:?})"
        );
    }
    client.stop();
}

#[test]
fn a_document_cut_off_while_typing_still_gets_diagnostics_and_completion() {
    let memo = std::fs::read_to_string(root().join("tei/frus1969-76v10/d59.xml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let uri = format!("file://{}/typing.xml", dir.path().display());
    let mut client = Client::start();
    // Cut after each of several paragraphs' first words, and type `<` there.
    let mut cuts: Vec<usize> = memo.match_indices("<p>").map(|(i, _)| i + 3).collect();
    cuts.truncate(8);
    assert!(cuts.len() >= 4);
    for (n, cut) in cuts.into_iter().enumerate() {
        let text = format!("{}<", &memo[..cut]);
        let uri = format!("{uri}{n}");
        let diagnostics = client.open(&uri, &text);
        assert!(
            diagnostics.iter().any(|d| d["code"] == "well-formed"),
            "a cut document is reported: {diagnostics:?}"
        );
        let completion = client.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": lsp_position(&text, text.len())}),
        );
        let names = labels(&completion);
        assert!(
            names.contains(&"persName".to_string()) && names.contains(&"note".to_string()),
            "inside a paragraph: {names:?}"
        );
    }
    client.stop();
}

#[test]
fn a_projects_own_schema_from_teikit_toml_gives_diagnostics_completion_and_its_documentation() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("teikit.toml"),
        format!(
            "schema = \"{}\"\nprofile = \"generic\"\n",
            reference.join("tei/tei_all.rng").display()
        ),
    )
    .unwrap();
    // `floatingText` is in tei_all and not in the bundled subset.
    let text = FIXTURE
        .replace("<p xml:id=\"d1\">", "<p xml:id=\"d1p1\">")
        .replace(
        "<div type=\"document\" xml:id=\"d1\">",
        "<div type=\"document\" xml:id=\"d1\"><floatingText><body><p>x</p></body></floatingText>",
    );
    let uri = format!("file://{}/doc.xml", dir.path().display());
    let mut client = Client::start();
    let diagnostics = client.open(&uri, &text);
    assert!(
        diagnostics.is_empty(),
        "valid against tei_all: {diagnostics:?}"
    );
    let hover = client.at(
        "textDocument/hover",
        &uri,
        position(&text, "<persName ref", 3),
        json!({}),
    );
    let value = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("(personal name)"),
        "TEI's own documentation: {value}"
    );
    client.stop();
}

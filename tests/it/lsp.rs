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

    /// Sends bytes as they are, framed or not.
    fn write_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Reads until a response (one with an `id` and no `method`), keeping diagnostics.
    fn response(&mut self) -> Value {
        loop {
            let message = self.read();
            if message.get("method").is_none() && message.get("id").is_some() {
                return message;
            }
            self.keep(message);
        }
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

/// The LSP range of `length` characters from `(line, character)`.
fn line_range(line: usize, character: usize, length: usize) -> Value {
    json!({"start": {"line": line, "character": character},
           "end": {"line": line, "character": character + length}})
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
        .ends_with("docs/rules/unique-id.md"));
    // Fix it: the id of the paragraph becomes d1p1.
    let (line, character) = position(FIXTURE, "<p xml:id=\"d1\"", 11);
    let range = line_range(line, character, 2);
    let after = client.replace(&uri, 2, range, "d1p1");
    assert!(after.is_empty(), "{after:?}");
    let text = FIXTURE.replace("<p xml:id=\"d1\"", "<p xml:id=\"d1p1\"");
    // Break a pointer: a schema-valid document with one unresolved pointer.
    let (line, character) = position(&text, "#p_KHA_1\">him", 1);
    let range = line_range(line, character, 7);
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
    // TEI's Schematron, embedded in tei_all, as you type: a pointer with both @target and
    // @cRef.
    let (line, character) = position(&text, "<persName ref", 0);
    let diagnostics = client.replace(
        &uri,
        2,
        line_range(line, character, 0),
        "<ptr target=\"#d1\" cRef=\"x\"/>",
    );
    let schematron: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| d["code"] == "schematron")
        .collect();
    assert_eq!(schematron.len(), 1, "{diagnostics:?}");
    let message = schematron[0]["message"].as_str().unwrap();
    assert!(
        message.contains("@target and @cRef") && message.contains("ptrAtts"),
        "{message}"
    );
    assert_eq!(schematron[0]["range"]["start"]["line"], line);
    client.stop();
}

/// `Content-Length` and `body` as one message.
fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

#[test]
fn bad_messages_are_answered_with_json_rpc_errors_and_the_session_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let uri = fixture_uri(dir.path());
    let mut client = Client::start();
    let cases: [(&[u8], i64); 6] = [
        (b"{not json", -32700),
        (b"\xff\xfe\x00{}", -32700),
        (
            br#"[{"jsonrpc":"2.0","id":90,"method":"shutdown"}]"#,
            -32600,
        ),
        (
            br#"{"jsonrpc":"2.0","id":{"a":1},"method":"textDocument/hover","params":{}}"#,
            -32600,
        ),
        (
            br#"{"jsonrpc":"2.0","id":null,"method":"textDocument/hover","params":{}}"#,
            -32600,
        ),
        (br#""a string""#, -32600),
    ];
    for (body, code) in cases {
        client.write_raw(&framed(body));
        let answer = client.response();
        assert_eq!(answer["error"]["code"], code, "{answer}");
        assert_eq!(answer["id"], Value::Null, "{answer}");
    }
    // A body sent without its header: answered once, and the next message read as usual.
    client.write_raw(br#"{"jsonrpc":"2.0","id":91,"method":"shutdown"}"#);
    client.write_raw(&framed(br#"{"jsonrpc":"2.0","id":92,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///none.xml"},"position":{"line":0,"character":0}}}"#));
    let garbage = client.response();
    assert_eq!(garbage["error"]["code"], -32700, "{garbage}");
    assert_eq!(garbage["id"], Value::Null, "{garbage}");
    let hover = client.response();
    assert_eq!(hover["id"], 92, "{hover}");
    assert!(hover["error"].is_null(), "{hover}");
    let diagnostics = client.open(&uri, FIXTURE);
    assert!(!diagnostics.is_empty());
    // Parameters that do not fit, and a method teikit does not know.
    let wrong = client.request("textDocument/hover", json!({"position": 3}));
    assert_eq!(wrong["error"]["code"], -32602, "{wrong}");
    let unknown = client.request("workspace/symbol", json!({"query": ""}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    // Still serving: an id's definition.
    let (line, character) = position(FIXTURE, "#p_KHA_1\">Kissinger", 2);
    let definition = client.at(
        "textDocument/definition",
        &uri,
        (line, character),
        json!({}),
    );
    assert_eq!(
        definition["result"]["range"]["start"]["line"], 8,
        "{definition}"
    );
    // After shutdown, a request is refused and the server waits for exit, then ends with 0.
    let shutdown = client.request("shutdown", Value::Null);
    assert!(shutdown["error"].is_null(), "{shutdown}");
    let late = client.at(
        "textDocument/definition",
        &uri,
        (line, character),
        json!({}),
    );
    assert_eq!(late["error"]["code"], -32600, "{late}");
    client.notify("exit", Value::Null);
    assert_eq!(client.child.wait().unwrap().code(), Some(0));
}

#[test]
fn huge_lengths_end_only_with_the_input_and_the_exit_status_says_whether_shutdown_came() {
    // Lengths no input fills: the server reads until the input ends, then ends with 1 (no
    // shutdown), neither aborting nor panicking (101).
    for length in ["1000000000000", "18446744073709551615"] {
        let mut client = Client::start();
        client.write_raw(format!("Content-Length: {length}\r\n\r\n{{}}").as_bytes());
        let Client {
            mut child, stdin, ..
        } = client;
        drop(stdin);
        assert_eq!(
            child.wait().unwrap().code(),
            Some(1),
            "Content-Length {length}"
        );
    }
    // exit without shutdown: 1.
    let mut client = Client::start();
    client.notify("exit", Value::Null);
    assert_eq!(client.child.wait().unwrap().code(), Some(1));
    // A request before initialize is refused, not answered as if initialized.
    let mut child = Command::new(env!("CARGO_BIN_EXE_teikit"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(&framed(br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#))
        .unwrap();
    drop(stdin);
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert!(out.contains("-32002"), "{out}");
    assert_eq!(child.wait().unwrap().code(), Some(1));
}

#[test]
fn a_problem_at_a_multibyte_character_is_published_after_every_edit() {
    let dir = tempfile::tempdir().unwrap();
    let uri = fixture_uri(dir.path());
    // Text where the body allows none, beginning with an ideographic space, and an attribute
    // value after a no-break space.
    let text = FIXTURE.replace("<body>", "<body>\u{3000}stray\u{a0}text");
    let mut client = Client::start();
    let first = client.open(&uri, &text);
    let stray = |diagnostics: &[Value]| {
        diagnostics
            .iter()
            .find(|d| d["range"]["start"]["line"] == 14)
            .cloned()
    };
    let found = stray(&first).unwrap_or_else(|| panic!("{first:?}"));
    assert_eq!(found["range"]["start"]["character"], 10, "{found}");
    // The range ends after the whole character (one UTF-16 unit), never inside it.
    assert_eq!(found["range"]["end"]["character"], 11, "{found}");
    for version in 2..8 {
        let (line, character) = position(&text, "A test", 0);
        let range = line_range(line, character, 1);
        let diagnostics = client.replace(
            &uri,
            version,
            range,
            if version % 2 == 0 { "B" } else { "A" },
        );
        assert!(
            stray(&diagnostics).is_some(),
            "edit {version}: {diagnostics:?}"
        );
    }
    client.stop();
}

#[test]
fn a_document_with_carriage_returns_alone_is_edited_where_the_editor_says() {
    let dir = tempfile::tempdir().unwrap();
    let uri = fixture_uri(dir.path());
    let text = FIXTURE.replace('\n', "\r");
    let mut client = Client::start();
    let diagnostics = client.open(&uri, &text);
    assert!(
        diagnostics.iter().any(|d| d["code"] == "unique-id"),
        "{diagnostics:?}"
    );
    // Line 16 (0-based) holds `<p xml:id="d1"`: the edit renames that id, which clears the
    // duplicate; applied anywhere else it would not.
    let (line, character) = position(FIXTURE, "<p xml:id=\"d1\"", 11);
    assert_eq!(line, 16);
    let range = line_range(line, character, 2);
    let after = client.replace(&uri, 2, range, "d1p1");
    assert!(after.is_empty(), "{after:?}");
    client.stop();
}

#[test]
fn keystrokes_in_quick_succession_on_a_large_document_end_in_the_diagnostics_of_the_last() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let monograph = reference.join("corpus/valid-or-invalid/frus-history.xml");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("frus-history.xml");
    let uri = format!("file://{}", file.display());
    let mut text = std::fs::read_to_string(&monograph).unwrap();
    let mut client = Client::start();
    let opened = client.open(&uri, &text);
    assert!(
        opened.len() > 1000,
        "thousands of findings: {}",
        opened.len()
    );
    // Five keystrokes sent at once (an editor's 50 ms), each adding a letter to the first
    // paragraph's text, then a completion request.
    let at = text.find("<p>").unwrap() + 3;
    for (version, letter) in (2..7).zip(["a", "b", "c", "d", "e"]) {
        let position = lsp_position(&text, at);
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {"start": position, "end": position}, "text": letter}]}),
        );
        text.insert_str(at, letter);
    }
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": lsp_position(&text, at)}),
    );
    assert!(completion["error"].is_null(), "{completion}");
    // The diagnostics that arrive last are those of the last text.
    let mut last = client.diagnostics_of(&uri);
    loop {
        let probe = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
        );
        assert!(probe["error"].is_null(), "{probe}");
        match client.diagnostics.iter().position(|(u, _)| *u == uri) {
            Some(at) => last = client.diagnostics.remove(at).1,
            None => break,
        }
    }
    std::fs::write(&file, &text).unwrap();
    let fresh = teikit_in(
        dir.path(),
        &[
            "validate",
            "--no-config",
            "--format",
            "json",
            "frus-history.xml",
        ],
    );
    let report: Value = serde_json::from_slice(&fresh.stdout).unwrap();
    let expected = report["files"][0]["problems"].as_array().unwrap().len();
    assert_eq!(last.len(), expected);
    client.stop();
}

#[test]
fn the_schema_a_document_declares_is_the_one_its_diagnostics_come_from() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("small.rnc"),
        "start = element r { attribute n { xsd:integer }?, text }\n",
    )
    .unwrap();
    let uri = format!("file://{}/d.xml", dir.path().display());
    let text = "<?xml-model href=\"small.rnc\" schematypens=\"http://relaxng.org/ns/structure/1.0\"?>\n<r n=\"five\">x</r>\n";
    let mut client = Client::start();
    let diagnostics = client.open(&uri, text);
    assert_eq!(
        diagnostics.len(),
        1,
        "only the bad value, not the bundled subset's complaints: {diagnostics:?}"
    );
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("xsd:integer"),
        "{diagnostics:?}"
    );
    // A declaration of a schema that is not there: one diagnostic at the declaration.
    let gone = "<?xml-model href=\"gone.rnc\"?>\n<r/>\n";
    let other = format!("file://{}/e.xml", dir.path().display());
    let diagnostics = client.open(&other, gone);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["range"]["start"]["line"], 0);
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("schema `gone.rnc`"),
        "{diagnostics:?}"
    );
    // Completion offers what the declared schema allows, not the bundled subset's elements.
    std::fs::write(
        dir.path().join("list.rnc"),
        "start = element list { element alpha { empty }*, element omega { empty }? }\n",
    )
    .unwrap();
    let typing = "<?xml-model href=\"list.rnc\"?>\n<list><alpha/><</list>\n";
    let listed = format!("file://{}/f.xml", dir.path().display());
    client.open(&listed, typing);
    let elements = client.at(
        "textDocument/completion",
        &listed,
        position(typing, "<alpha/><", 9),
        json!({}),
    );
    let names = labels(&elements);
    assert!(
        names.contains(&"alpha".to_string()) && names.contains(&"omega".to_string()),
        "{names:?}"
    );
    assert!(!names.contains(&"p".to_string()), "{names:?}");
    client.stop();
}

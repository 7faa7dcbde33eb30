//! `teikit lsp`: the validator inside the editor, over the Language Server Protocol (standard
//! input and output, `lsp-server` and `lsp-types`, the crates rust-analyzer is built on).
//!
//! For XML documents it gives:
//! - **diagnostics** on open, change and save: the schema and the rules that `teikit validate`
//!   would run for the file (the `teikit.toml` governing it, or the bundled schema with the
//!   documentary rules), each with its rule id, a link to the rule's documentation, and for a
//!   duplicated id the place of its first use;
//! - **completion** from the schema's derivatives ([`crate::relaxng::expect`]): after `<` the
//!   elements allowed there in the content model's order; in a start tag the attributes allowed
//!   and not yet given, required ones first; in a value the values the schema enumerates, and for
//!   pointers the ids of the document and of the project's other files with what each names;
//! - **hover**: the schema's documentation of the element or attribute, the entry a pointer names;
//! - **navigation**: go to an id's definition, find its references, rename it with all of them
//!   (refused where the new name is taken or is no id).
//!
//! The document is re-read whole after each edit: validating the 2.2 MB monograph takes tens of
//! milliseconds (README, "The language server"), and the validator's memo tables are kept
//! between edits.

pub mod analysis;
pub mod navigate;
pub mod scan;
pub mod text;

use crate::xml::chars::is_ncname;
use analysis::{file_uri, to_lsp, uri_path, Project};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    Completion, GotoDefinition, HoverRequest, References, Rename, Request as _,
};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionOptions, CompletionParams, CompletionResponse,
    GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents, HoverParams,
    HoverProviderCapability, InsertTextFormat, Location, MarkupContent, MarkupKind, OneOf,
    PublishDiagnosticsParams, ReferenceParams, RenameParams, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri, WorkspaceEdit,
};
use navigate::{labelled_ids, IdIndex};
use scan::{cursor, Cursor};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use text::{apply_change, offset_of, range_of};

/// Why the server stopped.
#[derive(Debug, thiserror::Error)]
pub enum LspError {
    /// The connection failed or the client broke the protocol.
    #[error("language server: {0}")]
    Protocol(String),
}

/// Attributes whose values are pointers in TEI even before their `#` is typed.
const POINTER_ATTRIBUTES: [&str; 12] = [
    "ref",
    "corresp",
    "target",
    "who",
    "ana",
    "hand",
    "resp",
    "copyOf",
    "sameAs",
    "scribeRef",
    "source",
    "next",
];

/// The most pointers one completion answer carries; the list is marked incomplete beyond it,
/// and the ids are filtered by what is typed when the editor asks again.
const MAX_POINTERS: usize = 200;

/// Serves one editor session over standard input and output until it says `exit`.
pub fn run_stdio() -> Result<(), LspError> {
    let (connection, threads) = Connection::stdio();
    let result = serve(&connection);
    drop(connection);
    threads
        .join()
        .map_err(|e| LspError::Protocol(e.to_string()))?;
    result
}

/// What the server offers.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["<".into(), " ".into(), "\"".into(), "#".into()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

/// Serves requests on `connection` until `shutdown` and `exit`.
pub fn serve(connection: &Connection) -> Result<(), LspError> {
    let capabilities =
        serde_json::to_value(capabilities()).map_err(|e| LspError::Protocol(e.to_string()))?;
    connection
        .initialize(capabilities)
        .map_err(|e| LspError::Protocol(e.to_string()))?;
    let mut server = Server::default();
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection
                    .handle_shutdown(&request)
                    .map_err(|e| LspError::Protocol(e.to_string()))?
                {
                    return Ok(());
                }
                // A bug in one answer costs that answer, not the editor's session.
                let id = request.id.clone();
                let method = request.method.clone();
                let response = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    server.request(request)
                }))
                .unwrap_or_else(|_| {
                    error(id, format!("teikit lsp failed to answer {method} (a bug)"))
                });
                send(connection, Message::Response(response))?;
            }
            Message::Notification(notification) => {
                let messages = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    server.notification(notification)
                }))
                .unwrap_or_default();
                for message in messages {
                    send(connection, message)?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

fn send(connection: &Connection, message: Message) -> Result<(), LspError> {
    connection
        .sender
        .send(message)
        .map_err(|e| LspError::Protocol(e.to_string()))
}

/// An open document.
struct Document {
    text: String,
    path: PathBuf,
    /// Its ids with what each names, read at the first pointer completion after an edit.
    labelled_ids: Option<std::rc::Rc<Vec<(String, String)>>>,
}

impl Document {
    fn new(text: String, path: PathBuf) -> Self {
        Document {
            text,
            path,
            labelled_ids: None,
        }
    }

    fn labelled_ids(&mut self) -> std::rc::Rc<Vec<(String, String)>> {
        self.labelled_ids
            .get_or_insert_with(|| std::rc::Rc::new(labelled_ids(&self.text)))
            .clone()
    }
}

/// The open documents and the projects they belong to.
#[derive(Default)]
struct Server {
    documents: HashMap<String, Document>,
    /// Projects by the directory their documents are in.
    projects: HashMap<PathBuf, Result<Project, String>>,
}

fn error(id: RequestId, message: String) -> Response {
    Response::new_err(id, ErrorCode::RequestFailed as i32, message)
}

fn params<P: serde::de::DeserializeOwned>(request: &Request) -> Result<P, Response> {
    serde_json::from_value(request.params.clone()).map_err(|e| {
        Response::new_err(
            request.id.clone(),
            ErrorCode::InvalidParams as i32,
            e.to_string(),
        )
    })
}

impl Server {
    fn project(&mut self, path: &Path) -> Result<&mut Project, String> {
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        self.projects
            .entry(dir.clone())
            .or_insert_with(|| Project::for_directory(&dir).map_err(|e| e.to_string()))
            .as_mut()
            .map_err(|e| e.clone())
    }

    fn notification(&mut self, notification: Notification) -> Vec<Message> {
        let uri = match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(
                    notification.params,
                ) else {
                    return Vec::new();
                };
                let uri = p.text_document.uri;
                let path = uri_path(&uri).unwrap_or_else(|| PathBuf::from(uri.as_str()));
                self.documents.insert(
                    uri.as_str().to_string(),
                    Document::new(p.text_document.text, path),
                );
                uri
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(
                    notification.params,
                ) else {
                    return Vec::new();
                };
                let uri = p.text_document.uri;
                let Some(document) = self.documents.get_mut(uri.as_str()) else {
                    return Vec::new();
                };
                for change in &p.content_changes {
                    apply_change(&mut document.text, change);
                }
                document.labelled_ids = None;
                uri
            }
            DidSaveTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(
                    notification.params,
                ) else {
                    return Vec::new();
                };
                if let (Some(text), Some(document)) =
                    (p.text, self.documents.get_mut(p.text_document.uri.as_str()))
                {
                    document.text = text;
                    document.labelled_ids = None;
                }
                p.text_document.uri
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(
                    notification.params,
                ) else {
                    return Vec::new();
                };
                self.documents.remove(p.text_document.uri.as_str());
                return vec![publish(p.text_document.uri, Vec::new())];
            }
            _ => return Vec::new(),
        };
        vec![publish(uri.clone(), self.diagnostics(&uri))]
    }

    /// The diagnostics of an open document, as `teikit validate` finds them.
    fn diagnostics(&mut self, uri: &Uri) -> Vec<lsp_types::Diagnostic> {
        let Some(document) = self.documents.get(uri.as_str()) else {
            return Vec::new();
        };
        let (path, text) = (document.path.clone(), document.text.clone());
        match self.project(&path) {
            Ok(project) => {
                let problems = project.diagnostics(&path, &text);
                to_lsp(uri, &path, &text, &problems)
            }
            Err(message) => vec![lsp_types::Diagnostic {
                range: lsp_types::Range::default(),
                severity: Some(lsp_types::DiagnosticSeverity::ERROR),
                source: Some("teikit".into()),
                message,
                ..lsp_types::Diagnostic::default()
            }],
        }
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            Completion::METHOD => params::<CompletionParams>(&request).map(|p| {
                let items = self.completion(
                    &p.text_document_position.text_document.uri,
                    p.text_document_position.position,
                );
                let (items, is_incomplete) = items;
                serde_json::to_value(CompletionResponse::List(lsp_types::CompletionList {
                    is_incomplete,
                    items,
                }))
            }),
            HoverRequest::METHOD => params::<HoverParams>(&request).map(|p| {
                serde_json::to_value(self.hover(
                    &p.text_document_position_params.text_document.uri,
                    p.text_document_position_params.position,
                ))
            }),
            GotoDefinition::METHOD => params::<GotoDefinitionParams>(&request).map(|p| {
                let position = p.text_document_position_params;
                serde_json::to_value(
                    self.definition(&position.text_document.uri, position.position)
                        .map(GotoDefinitionResponse::Scalar),
                )
            }),
            References::METHOD => params::<ReferenceParams>(&request).map(|p| {
                let position = p.text_document_position;
                serde_json::to_value(self.references(
                    &position.text_document.uri,
                    position.position,
                    p.context.include_declaration,
                ))
            }),
            Rename::METHOD => match params::<RenameParams>(&request) {
                Ok(p) => {
                    let position = p.text_document_position;
                    match self.rename(&position.text_document.uri, position.position, &p.new_name) {
                        Ok(edit) => Ok(serde_json::to_value(edit)),
                        Err(message) => return error(id, message),
                    }
                }
                Err(response) => Err(response),
            },
            _ => {
                return Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("teikit lsp does not handle {}", request.method),
                )
            }
        };
        match result {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err(e)) => error(id, e.to_string()),
            Err(response) => response,
        }
    }

    /// The completion items at `position`, and whether the list was cut (the ids of a large
    /// register: the editor asks again as more is typed).
    fn completion(
        &mut self,
        uri: &Uri,
        position: lsp_types::Position,
    ) -> (Vec<CompletionItem>, bool) {
        let mut cut = false;
        let items = self.completion_items(uri, position, &mut cut);
        (items, cut)
    }

    fn completion_items(
        &mut self,
        uri: &Uri,
        position: lsp_types::Position,
        cut: &mut bool,
    ) -> Vec<CompletionItem> {
        let Some(document) = self.documents.get(uri.as_str()) else {
            return Vec::new();
        };
        let text = document.text.clone();
        let path = document.path.clone();
        let offset = offset_of(&text, position);
        let here = cursor(&text, offset);
        let Ok(project) = self.project(&path) else {
            return Vec::new();
        };
        match here {
            Cursor::ElementName { open, typed_from } => {
                let range = range_of(&text, typed_from, offset);
                project
                    .validator
                    .allowed_elements(&open)
                    .into_iter()
                    .enumerate()
                    .map(|(order, (ns, local))| {
                        let label = display_name(&ns, &local);
                        CompletionItem {
                            kind: Some(CompletionItemKind::CLASS),
                            detail: project.docs.elements.get(&local).map(|d| first_line(d)),
                            sort_text: Some(format!("{order:05}")),
                            filter_text: Some(label.clone()),
                            text_edit: Some(lsp_types::CompletionTextEdit::Edit(TextEdit::new(
                                range,
                                label.clone(),
                            ))),
                            label,
                            ..CompletionItem::default()
                        }
                    })
                    .collect()
            }
            Cursor::AttributeName { open, typed_from } => {
                let range = range_of(&text, typed_from, offset);
                project
                    .validator
                    .allowed_attributes(&open)
                    .into_iter()
                    .enumerate()
                    .map(|(order, attribute)| {
                        let label = display_name(&attribute.name.0, &attribute.name.1);
                        let documentation = project.docs.attributes.get(&attribute.name.1);
                        CompletionItem {
                            kind: Some(CompletionItemKind::PROPERTY),
                            detail: Some(match (attribute.required, documentation) {
                                (true, Some(d)) => format!("required — {}", first_line(d)),
                                (true, None) => "required".into(),
                                (false, Some(d)) => first_line(d),
                                (false, None) => "optional".into(),
                            }),
                            sort_text: Some(format!("{order:05}")),
                            filter_text: Some(label.clone()),
                            insert_text_format: Some(InsertTextFormat::SNIPPET),
                            text_edit: Some(lsp_types::CompletionTextEdit::Edit(TextEdit::new(
                                range,
                                format!("{label}=\"$1\""),
                            ))),
                            label,
                            ..CompletionItem::default()
                        }
                    })
                    .collect()
            }
            Cursor::AttributeValue {
                open,
                attribute,
                value_from,
            } => {
                let typed = &text[value_from..offset];
                let token_from = value_from
                    + typed
                        .rfind(|c: char| c.is_ascii_whitespace())
                        .map_or(0, |p| p + 1);
                let range = range_of(&text, token_from, offset);
                let mut items: Vec<CompletionItem> = project
                    .validator
                    .allowed_values(&open, &attribute)
                    .into_iter()
                    .map(|value| CompletionItem {
                        kind: Some(CompletionItemKind::ENUM_MEMBER),
                        text_edit: Some(lsp_types::CompletionTextEdit::Edit(TextEdit::new(
                            range,
                            value.clone(),
                        ))),
                        label: value,
                        ..CompletionItem::default()
                    })
                    .collect();
                let pointer = text[token_from..offset].starts_with('#')
                    || POINTER_ATTRIBUTES.contains(&attribute.1.as_str());
                if pointer {
                    let typed = text[token_from..offset]
                        .trim_start_matches('#')
                        .to_lowercase();
                    let matching: Vec<CompletionItem> = self
                        .pointer_items(uri, &path, range)
                        .into_iter()
                        .filter(|item| {
                            typed.is_empty() || item.label.to_lowercase().contains(&typed)
                        })
                        .collect();
                    *cut = matching.len() > MAX_POINTERS;
                    items.extend(matching.into_iter().take(MAX_POINTERS));
                }
                items
            }
            Cursor::Elsewhere => Vec::new(),
        }
    }

    /// `#id — what it names` for the document's ids, then `file.xml#id` for the ids of the
    /// project's other files.
    fn pointer_items(
        &mut self,
        uri: &Uri,
        path: &Path,
        range: lsp_types::Range,
    ) -> Vec<CompletionItem> {
        let own = match self.documents.get_mut(uri.as_str()) {
            Some(document) => document.labelled_ids(),
            None => std::rc::Rc::new(Vec::new()),
        };
        let mut items: Vec<CompletionItem> = own
            .iter()
            .map(|(id, label)| pointer_item(format!("#{id}"), label.clone(), range))
            .collect();
        let Ok(project) = self.project(path) else {
            return items;
        };
        let dir = path.parent().unwrap_or(Path::new(""));
        let this = std::path::absolute(path).ok();
        for file in project.files.clone() {
            if std::path::absolute(&file).ok() == this {
                continue;
            }
            let Ok(other) = std::fs::read_to_string(&file) else {
                continue;
            };
            let relative = relative_path(dir, &file);
            for (id, label) in labelled_ids(&other) {
                items.push(pointer_item(format!("{relative}#{id}"), label, range));
            }
        }
        items
    }

    fn hover(&mut self, uri: &Uri, position: lsp_types::Position) -> Option<Hover> {
        let document = self.documents.get(uri.as_str())?;
        let text = document.text.clone();
        let path = document.path.clone();
        let offset = offset_of(&text, position);
        let index = IdIndex::of(&text);
        if let Some(id) = index
            .references
            .iter()
            .find(|(_, r)| r.start <= offset && offset <= r.end)
            .map(|(id, _)| id.clone())
        {
            let label = self
                .documents
                .get_mut(uri.as_str())
                .and_then(|d| d.labelled_ids().iter().find(|(i, _)| *i == id).cloned())
                .map(|(_, label)| label);
            let value = match (label, index.definition(&id)) {
                (Some(label), Some(range)) => {
                    let line = text::position_of(&text, range.start).line + 1;
                    format!("`#{id}` — {label} (line {line})")
                }
                _ => format!("`#{id}` names no element of this document"),
            };
            return Some(markdown(value));
        }
        let project = self.project(&path).ok()?;
        let (kind, name) = name_at(&text, offset)?;
        let local = name.rsplit(':').next().unwrap_or(&name).to_string();
        let docs = match kind {
            NameKind::Element => project.docs.elements.get(&local),
            NameKind::Attribute => project.docs.attributes.get(&local),
        }?;
        Some(markdown(format!("**{name}** — {docs}")))
    }

    fn definition(&mut self, uri: &Uri, position: lsp_types::Position) -> Option<Location> {
        let text = &self.documents.get(uri.as_str())?.text;
        let offset = offset_of(text, position);
        let index = IdIndex::of(text);
        let id = index.id_at(offset)?;
        let range = index.definition(id)?;
        Some(Location::new(
            uri.clone(),
            range_of(text, range.start, range.end),
        ))
    }

    fn references(
        &mut self,
        uri: &Uri,
        position: lsp_types::Position,
        declaration: bool,
    ) -> Vec<Location> {
        let Some(document) = self.documents.get(uri.as_str()) else {
            return Vec::new();
        };
        let text = &document.text;
        let offset = offset_of(text, position);
        let index = IdIndex::of(text);
        let Some(id) = index.id_at(offset) else {
            return Vec::new();
        };
        let mut ranges: Vec<&std::ops::Range<usize>> = Vec::new();
        if declaration {
            ranges.extend(index.definition(id));
        }
        ranges.extend(index.references_to(id));
        ranges
            .into_iter()
            .map(|r| Location::new(uri.clone(), range_of(text, r.start, r.end)))
            .collect()
    }

    fn rename(
        &mut self,
        uri: &Uri,
        position: lsp_types::Position,
        new_name: &str,
    ) -> Result<WorkspaceEdit, String> {
        let text = &self
            .documents
            .get(uri.as_str())
            .ok_or("the document is not open")?
            .text;
        let offset = offset_of(text, position);
        let index = IdIndex::of(text);
        let id = index
            .id_at(offset)
            .ok_or("no id here: put the cursor on an xml:id or a #pointer")?;
        let new_name = new_name.trim_start_matches('#');
        if !is_ncname(new_name) {
            return Err(format!("`{new_name}` cannot be an xml:id (a letter or `_`, then letters, digits, `_`, `-` or `.`)"));
        }
        if index.definition(new_name).is_some() {
            return Err(format!(
                "an element of this document already has the id `{new_name}`"
            ));
        }
        let definition = index
            .definition(id)
            .ok_or_else(|| format!("`#{id}` names no element of this document"))?;
        let edits: Vec<TextEdit> = std::iter::once(definition)
            .chain(index.references_to(id))
            .map(|r| TextEdit::new(range_of(text, r.start, r.end), new_name.to_string()))
            .collect();
        Ok(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        })
    }
}

enum NameKind {
    Element,
    Attribute,
}

/// The element or attribute name under `offset`, from the tag around it.
fn name_at(text: &str, offset: usize) -> Option<(NameKind, String)> {
    let is_name_char = |c: char| c.is_alphanumeric() || matches!(c, ':' | '_' | '-' | '.');
    let start = text[..offset]
        .char_indices()
        .rev()
        .find(|(_, c)| !is_name_char(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[offset..]
        .find(|c: char| !is_name_char(c))
        .map_or(text.len(), |e| offset + e);
    if start >= end {
        return None;
    }
    let name = text[start..end].to_string();
    let before = text[..start].trim_end_matches('/');
    if before.ends_with('<') {
        return Some((NameKind::Element, name));
    }
    // Inside a tag (the nearest `<` is after the nearest `>`), a name followed by `=`.
    let in_tag = text[..start].rfind('<') > text[..start].rfind('>');
    let is_attribute = text[end..].trim_start().starts_with('=');
    (in_tag && is_attribute).then_some((NameKind::Attribute, name))
}

/// The name as a document writes it: `xml:id` for the XML namespace; other names by their local
/// part (the document's default namespace, TEI's, is where completion is asked).
fn display_name(ns: &str, local: &str) -> String {
    if ns == crate::base::ns::XML {
        format!("xml:{local}")
    } else {
        local.to_string()
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").to_string()
}

fn markdown(value: String) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: None,
    }
}

fn pointer_item(pointer: String, label: String, range: lsp_types::Range) -> CompletionItem {
    CompletionItem {
        label: format!("{pointer} — {label}"),
        kind: Some(CompletionItemKind::REFERENCE),
        filter_text: Some(pointer.clone()),
        text_edit: Some(lsp_types::CompletionTextEdit::Edit(TextEdit::new(
            range, pointer,
        ))),
        detail: Some(label),
        ..CompletionItem::default()
    }
}

fn relative_path(dir: &Path, file: &Path) -> String {
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let file = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let common = dir
        .components()
        .zip(file.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = dir
        .components()
        .skip(common)
        .map(|_| "..".to_string())
        .collect();
    parts.extend(
        file.components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

fn publish(uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>) -> Message {
    Message::Notification(Notification::new(
        PublishDiagnostics::METHOD.to_string(),
        PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        },
    ))
}

/// The `file:` URI of `path`, as an editor names the document.
pub fn uri_of(path: &Path) -> Option<Uri> {
    Uri::from_str(&file_uri(path)).ok()
}

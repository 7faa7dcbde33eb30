//! `teikit lsp`: the validator inside the editor, over the Language Server Protocol (standard
//! input and output; the messages' types from `lsp-types`, the base protocol read by
//! [`transport`]).
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
//! **Responsive whatever the document.** Three threads: one reads the input, one validates, and
//! the main one applies edits and answers requests at once — completion and hover never wait
//! for a validation. An edit cancels the validation of the version before it (the validator
//! stops at its next element) and queues the new one; the validating thread takes only the
//! newest version of each document from its queue, and a result is published only if its
//! version is still the document's. So five keystrokes in 50 ms cost one validation after the
//! last, not five in a row. Positions are computed from a line index made once per version
//! ([`text::TextIndex`]), so ten thousand findings cost their lines, not ten thousand scans of
//! the document.
//!
//! **Robust.** No input ends the server but `exit` or the end of the input: a malformed message
//! is answered with JSON-RPC's error (see [`transport`]); a request before `initialize` or after
//! `shutdown` is refused with an error; a failure (a bug) in one handler costs that answer — an
//! error response — or, for diagnostics, publishes one diagnostic saying so instead of leaving
//! stale ones. `exit` after `shutdown` ends with status 0, otherwise 1, as LSP asks.

pub mod analysis;
mod completion;
mod diagnostics;
mod goto;
mod hover;
pub mod navigate;
pub mod scan;
pub mod text;
pub mod transport;

use crate::base::uri::file_uri;
use crate::xml::chars::is_ncname;
use analysis::{to_lsp, uri_path, Project};
use diagnostics::{publish, validate_jobs};
use hover::{display_name, first_line};
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
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use text::{apply_change, offset_of, range_of, TextIndex};
use transport::{code, Incoming};

/// Why the server stopped other than by `exit`.
#[derive(Debug, thiserror::Error)]
pub enum LspError {
    /// The output could not be written (the editor went away).
    #[error("language server: cannot write to the editor: {0}")]
    Output(#[from] std::io::Error),
}

/// How the session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `exit` after `shutdown`: exit status 0.
    AfterShutdown,
    /// `exit` without `shutdown`, or the input ended: exit status 1.
    WithoutShutdown,
}

/// The most pointers one completion answer carries; the list is marked incomplete beyond it,
/// and the ids are filtered by what is typed when the editor asks again.
const MAX_POINTERS: usize = 200;

/// The largest message read: a document of teikit's default size limit, escaped as JSON.
const MAX_MESSAGE_BYTES: u64 = 2 * 512 * 1024 * 1024;

/// Serves one editor session over standard input and output until it says `exit` or the input
/// ends.
pub fn run_stdio() -> Result<Ending, LspError> {
    serve(std::io::BufReader::new(std::io::stdin()), std::io::stdout())
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

/// What the main thread waits for.
enum Event {
    /// A message from the editor.
    Incoming(Incoming),
    /// The input ended.
    Closed,
    /// A validation finished.
    Validated {
        uri: String,
        version: u64,
        /// The editor's number of that version, given back with the diagnostics.
        editor_version: Option<i32>,
        diagnostics: Vec<lsp_types::Diagnostic>,
    },
}

/// A version of a document to validate.
struct Job {
    uri: String,
    version: u64,
    editor_version: Option<i32>,
    path: PathBuf,
    text: Arc<String>,
    cancel: Arc<AtomicBool>,
}

/// The projects of the open documents, by the directory their documents are in: set up once,
/// shared by the thread that answers and the one that validates.
type Projects = Arc<Mutex<HashMap<PathBuf, Result<Arc<Project>, String>>>>;

/// The directory whose project a document at `path` belongs to.
fn project_dir(path: &Path) -> PathBuf {
    path.parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn project_of(projects: &Projects, path: &Path) -> Result<Arc<Project>, String> {
    let dir = project_dir(path);
    let mut projects = projects.lock().unwrap_or_else(|e| e.into_inner());
    projects
        .entry(dir.clone())
        .or_insert_with(|| {
            Project::for_directory(&dir)
                .map(Arc::new)
                .map_err(|e| e.to_string())
        })
        .clone()
}

/// One thread's validators, one per project and one per schema a document declares (each
/// keeps its memo tables between edits).
#[derive(Default)]
struct Validators(
    HashMap<PathBuf, crate::relaxng::Validator<'static>>,
    HashMap<usize, crate::relaxng::Validator<'static>>,
);

impl Validators {
    /// The project of a document at `path`, with this thread's validator of its schema.
    fn of(
        &mut self,
        projects: &Projects,
        path: &Path,
    ) -> Result<(Arc<Project>, &mut crate::relaxng::Validator<'static>), String> {
        let project = project_of(projects, path)?;
        let validator = self
            .0
            .entry(project_dir(path))
            .or_insert_with(|| project.validator());
        Ok((project, validator))
    }

    /// [`Validators::of`] for the document's own schema where it has one (declared, or set
    /// for it by an override), so that completion offers what that schema allows.
    fn of_document(
        &mut self,
        projects: &Projects,
        path: &Path,
        text: &str,
    ) -> Result<(Arc<Project>, &mut crate::relaxng::Validator<'static>), String> {
        let project = project_of(projects, path)?;
        match project.own_schema(path, text) {
            Some(schema) => {
                let validator = self
                    .1
                    .entry(schema as *const crate::relaxng::Schema as usize)
                    .or_insert_with(|| schema.validator());
                validator.limits = project.options.limits;
                Ok((project, validator))
            }
            None => self.of(projects, path),
        }
    }
}

/// Serves one session: messages read from `input`, answers and notifications written to
/// `output`.
pub fn serve<R, W>(input: R, mut output: W) -> Result<Ending, LspError>
where
    R: std::io::BufRead + Send + 'static,
    W: std::io::Write,
{
    let (events, received) = mpsc::channel::<Event>();
    let reader_events = events.clone();
    std::thread::spawn(move || {
        for incoming in transport::Reader::new(input, MAX_MESSAGE_BYTES) {
            if reader_events.send(Event::Incoming(incoming)).is_err() {
                return;
            }
        }
        let _ = reader_events.send(Event::Closed);
    });
    let projects: Projects = Arc::default();
    let (jobs, job_queue) = mpsc::channel::<Job>();
    let worker_projects = projects.clone();
    std::thread::spawn(move || validate_jobs(job_queue, worker_projects, events));

    let mut server = Server::new(projects);
    let mut initialized = false;
    let mut shutdown = false;
    let mut in_flight: HashMap<String, Arc<AtomicBool>> = HashMap::new();
    for event in received {
        let incoming = match event {
            Event::Closed => return Ok(ending(shutdown)),
            Event::Validated {
                uri,
                version,
                editor_version,
                diagnostics,
            } => {
                if server.version(&uri) == Some(version) {
                    write(&mut output, &publish(&uri, editor_version, diagnostics))?;
                }
                continue;
            }
            Event::Incoming(incoming) => incoming,
        };
        match incoming {
            Incoming::Invalid { id, code, message } => {
                write(&mut output, &transport::error_response(id, code, &message))?;
            }
            Incoming::Response => {}
            Incoming::Request { id, method, params } => {
                let answer = if method == "initialize" {
                    initialized = true;
                    Ok(serde_json::json!({
                        "capabilities": capabilities(),
                        "serverInfo": {"name": "teikit", "version": env!("CARGO_PKG_VERSION")},
                    }))
                } else if !initialized {
                    Err((
                        code::SERVER_NOT_INITIALIZED,
                        format!("`{method}` before `initialize`"),
                    ))
                } else if shutdown {
                    Err((
                        code::INVALID_REQUEST,
                        format!("`{method}` after `shutdown`: the server only waits for `exit`"),
                    ))
                } else if method == "shutdown" {
                    shutdown = true;
                    Ok(Value::Null)
                } else {
                    // A bug in one answer costs that answer, not the editor's session.
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        server.request(&method, params)
                    }))
                    .unwrap_or_else(|_| {
                        Err((
                            code::REQUEST_FAILED,
                            format!("teikit lsp failed to answer {method} (a bug)"),
                        ))
                    })
                };
                let message = match answer {
                    Ok(result) => transport::response(id, result),
                    Err((code, message)) => transport::error_response(id, code, &message),
                };
                write(&mut output, &message)?;
            }
            Incoming::Notification { method, params } => {
                if method == "exit" {
                    return Ok(ending(shutdown));
                }
                if !initialized {
                    continue;
                }
                let changed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    server.notification(&method, params)
                }))
                .unwrap_or_else(|_| {
                    eprintln!(
                        "teikit lsp: failed to take {method} (a bug); the notification is skipped"
                    );
                    Change::None
                });
                match changed {
                    Change::None => {}
                    Change::Closed(uri) => {
                        if let Some(flag) = in_flight.remove(&uri) {
                            flag.store(true, Ordering::Relaxed);
                        }
                        write(&mut output, &publish(&uri, None, Vec::new()))?;
                    }
                    Change::Edited(uri) => {
                        if let Some(job) = server.job(&uri) {
                            if let Some(previous) = in_flight.insert(uri, job.cancel.clone()) {
                                previous.store(true, Ordering::Relaxed);
                            }
                            // The validating thread ends only with the server.
                            let _ = jobs.send(job);
                        }
                    }
                }
            }
        }
    }
    Ok(ending(shutdown))
}

fn ending(shutdown: bool) -> Ending {
    if shutdown {
        Ending::AfterShutdown
    } else {
        Ending::WithoutShutdown
    }
}

fn write(output: &mut impl std::io::Write, message: &Value) -> Result<(), LspError> {
    transport::write_message(output, message).map_err(LspError::Output)
}

/// What a notification changed.
enum Change {
    None,
    Edited(String),
    Closed(String),
}

/// An open document.
struct Document {
    text: Arc<String>,
    path: PathBuf,
    /// Counts the versions this server has seen.
    version: u64,
    /// The editor's number of the current version.
    editor_version: Option<i32>,
    /// Its ids with what each names, read at the first pointer completion after an edit.
    labelled_ids: Option<std::rc::Rc<Vec<(String, String)>>>,
}

impl Document {
    fn new(text: String, path: PathBuf) -> Self {
        Document {
            text: Arc::new(text),
            path,
            version: 0,
            editor_version: None,
            labelled_ids: None,
        }
    }

    fn labelled_ids(&mut self) -> std::rc::Rc<Vec<(String, String)>> {
        self.labelled_ids
            .get_or_insert_with(|| std::rc::Rc::new(labelled_ids(&self.text)))
            .clone()
    }

    /// Records a new version.
    fn edited(&mut self) {
        self.version += 1;
        self.labelled_ids = None;
    }
}

/// The open documents, and what completion needs of their projects.
struct Server {
    documents: HashMap<String, Document>,
    projects: Projects,
    /// This thread's validators (completion asks them what the schema allows).
    validators: Validators,
}

type Answer = Result<Value, (i64, String)>;

fn params<P: serde::de::DeserializeOwned>(params: Value) -> Result<P, (i64, String)> {
    serde_json::from_value(params).map_err(|e| (code::INVALID_PARAMS, e.to_string()))
}

fn to_value(value: impl serde::Serialize) -> Answer {
    serde_json::to_value(value).map_err(|e| (code::REQUEST_FAILED, e.to_string()))
}

impl Server {
    fn new(projects: Projects) -> Self {
        Server {
            documents: HashMap::new(),
            projects,
            validators: Validators::default(),
        }
    }

    /// The current version of an open document.
    fn version(&self, uri: &str) -> Option<u64> {
        self.documents.get(uri).map(|d| d.version)
    }

    /// The current version of a document, to validate.
    fn job(&self, uri: &str) -> Option<Job> {
        let document = self.documents.get(uri)?;
        Some(Job {
            uri: uri.to_string(),
            version: document.version,
            editor_version: document.editor_version,
            path: document.path.clone(),
            text: document.text.clone(),
            cancel: Arc::new(AtomicBool::new(false)),
        })
    }

    /// Takes a notification: the document it changed, if any.
    fn notification(&mut self, method: &str, params: Value) -> Change {
        match method {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(params)
                else {
                    return Change::None;
                };
                let uri = p.text_document.uri;
                let path = uri_path(&uri).unwrap_or_else(|| PathBuf::from(uri.as_str()));
                let key = uri.as_str().to_string();
                let mut document = Document::new(p.text_document.text, path);
                if let Some(before) = self.documents.get(&key) {
                    document.version = before.version + 1;
                }
                document.editor_version = Some(p.text_document.version);
                self.documents.insert(key.clone(), document);
                Change::Edited(key)
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(params)
                else {
                    return Change::None;
                };
                let key = p.text_document.uri.as_str().to_string();
                let Some(document) = self.documents.get_mut(&key) else {
                    return Change::None;
                };
                let text = Arc::make_mut(&mut document.text);
                for change in &p.content_changes {
                    apply_change(text, change);
                }
                document.edited();
                document.editor_version = Some(p.text_document.version);
                Change::Edited(key)
            }
            DidSaveTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(params)
                else {
                    return Change::None;
                };
                let key = p.text_document.uri.as_str().to_string();
                let Some(document) = self.documents.get_mut(&key) else {
                    return Change::None;
                };
                if let Some(text) = p.text {
                    document.text = Arc::new(text);
                }
                document.edited();
                Change::Edited(key)
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(params)
                else {
                    return Change::None;
                };
                let key = p.text_document.uri.as_str().to_string();
                self.documents.remove(&key);
                Change::Closed(key)
            }
            _ => Change::None,
        }
    }

    /// Answers a request.
    fn request(&mut self, method: &str, request: Value) -> Answer {
        match method {
            Completion::METHOD => {
                let p: CompletionParams = params(request)?;
                let (items, is_incomplete) = self.completion(
                    &p.text_document_position.text_document.uri,
                    p.text_document_position.position,
                );
                to_value(CompletionResponse::List(lsp_types::CompletionList {
                    is_incomplete,
                    items,
                }))
            }
            HoverRequest::METHOD => {
                let p: HoverParams = params(request)?;
                to_value(self.hover(
                    &p.text_document_position_params.text_document.uri,
                    p.text_document_position_params.position,
                ))
            }
            GotoDefinition::METHOD => {
                let p: GotoDefinitionParams = params(request)?;
                let position = p.text_document_position_params;
                to_value(
                    self.definition(&position.text_document.uri, position.position)
                        .map(GotoDefinitionResponse::Scalar),
                )
            }
            References::METHOD => {
                let p: ReferenceParams = params(request)?;
                let position = p.text_document_position;
                to_value(self.references(
                    &position.text_document.uri,
                    position.position,
                    p.context.include_declaration,
                ))
            }
            Rename::METHOD => {
                let p: RenameParams = params(request)?;
                let position = p.text_document_position;
                let edit = self
                    .rename(&position.text_document.uri, position.position, &p.new_name)
                    .map_err(|message| (code::REQUEST_FAILED, message))?;
                to_value(edit)
            }
            _ => Err((
                code::METHOD_NOT_FOUND,
                format!("teikit lsp does not handle {method}"),
            )),
        }
    }
}

enum NameKind {
    Element,
    Attribute,
}

/// The `file:` URI of `path`, as an editor names the document.
pub fn uri_of(path: &Path) -> Option<Uri> {
    Uri::from_str(&file_uri(path)).ok()
}

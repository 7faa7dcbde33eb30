//! Diagnostics: the validating thread, which takes the newest version of each document, and
//! the notification that publishes what it found.

use super::*;

/// The validating thread: takes the newest version of each document from the queue, validates
/// it unless it was cancelled meanwhile, and hands the diagnostics back.
pub(super) fn validate_jobs(
    queue: mpsc::Receiver<Job>,
    projects: Projects,
    events: mpsc::Sender<Event>,
) {
    let mut validators = Validators::default();
    while let Ok(first) = queue.recv() {
        let mut newest: Vec<Job> = vec![first];
        for job in queue.try_iter() {
            newest.retain(|j| j.uri != job.uri);
            newest.push(job);
        }
        for job in newest {
            if job.cancel.load(Ordering::Relaxed) {
                continue;
            }
            let diagnostics = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                diagnose(&job, &projects, &mut validators)
            }))
            .unwrap_or_else(|_| {
                // A stale list would mislead more than this one line.
                vec![lsp_types::Diagnostic {
                    range: lsp_types::Range::default(),
                    severity: Some(lsp_types::DiagnosticSeverity::ERROR),
                    source: Some("teikit".into()),
                    message: "teikit could not check this version of the document (a bug in teikit); edit again or report it".into(),
                    ..lsp_types::Diagnostic::default()
                }]
            });
            if job.cancel.load(Ordering::Relaxed) {
                continue;
            }
            let validated = Event::Validated {
                uri: job.uri,
                version: job.version,
                editor_version: job.editor_version,
                diagnostics,
            };
            if events.send(validated).is_err() {
                return;
            }
        }
    }
}

/// The diagnostics of one version of a document, as `teikit validate` finds them.
pub(super) fn diagnose(
    job: &Job,
    projects: &Projects,
    validators: &mut Validators,
) -> Vec<lsp_types::Diagnostic> {
    let (project, validator) = match validators.of(projects, &job.path) {
        Ok(found) => found,
        Err(message) => {
            return vec![lsp_types::Diagnostic {
                range: lsp_types::Range::default(),
                severity: Some(lsp_types::DiagnosticSeverity::ERROR),
                source: Some("teikit".into()),
                message,
                ..lsp_types::Diagnostic::default()
            }]
        }
    };
    validator.cancel_when(Some(job.cancel.clone()));
    let problems = project.diagnostics(validator, &job.path, &job.text);
    validator.cancel_when(None);
    let Ok(uri) = Uri::from_str(&job.uri) else {
        return Vec::new();
    };
    let index = TextIndex::new(&job.text);
    to_lsp(&uri, &job.path, &job.text, &index, &problems)
}

pub(super) fn publish(
    uri: &str,
    version: Option<i32>,
    diagnostics: Vec<lsp_types::Diagnostic>,
) -> Value {
    let params = match Uri::from_str(uri) {
        Ok(uri) => serde_json::to_value(PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        })
        .unwrap_or(Value::Null),
        Err(_) => serde_json::json!({"uri": uri, "diagnostics": []}),
    };
    transport::notification(PublishDiagnostics::METHOD, params)
}

//! The JSON report (version 1; its schema is in `schema/report.schema.json` and the
//! module doc of [`crate::report`]).

use super::{count, severity, FileResult};
use crate::base::diagnostic::Severity;
use crate::rules::RuleId;
use serde_json::{json, Value};

/// The JSON report.
pub fn json(results: &[FileResult]) -> Value {
    let files: Vec<Value> = results
        .iter()
        .map(|r| {
            json!({
                "path": r.path.to_string_lossy(),
                "valid": r.valid(),
                "error": r.unreadable,
                "schema": r.schema,
                "problems": r.problems.iter().map(|d| json!({
                    "severity": severity(d.severity),
                    "rule": d.rule.map(RuleId::code),
                    "line": d.location.line,
                    "column": d.location.column,
                    "element": d.path,
                    "message": d.message,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let valid = results.iter().filter(|r| r.valid()).count();
    let unreadable = results.iter().filter(|r| r.unreadable.is_some()).count();
    json!({
        "version": 1,
        "tool": {"name": "teikit", "version": env!("CARGO_PKG_VERSION")},
        "files": files,
        "summary": {
            "files": results.len(),
            "valid": valid,
            "invalid": results.len() - valid - unreadable,
            "unreadable": unreadable,
            "errors": count(results, Severity::Error),
            "warnings": count(results, Severity::Warning),
        }
    })
}

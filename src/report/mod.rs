//! Reports of validation results, one printer a format over one model of the result
//! ([`FileResult`]): `human` (compiler-style, for people), `json` (teikit's own schema, below),
//! `github` (workflow annotations), `sarif` (SARIF 2.1.0, for code-scanning tools).
//!
//! The JSON report, version 1:
//!
//! ```json
//! {
//!   "version": 1,
//!   "tool": {"name": "teikit", "version": "0.1.0"},
//!   "files": [
//!     {"path": "tei/d59.xml", "valid": false, "error": null,
//!      "problems": [{"severity": "error", "rule": "schema", "line": 12, "column": 7,
//!                    "element": "/TEI/text/body/div", "message": "…"}]}
//!   ],
//!   "summary": {"files": 1, "valid": 0, "invalid": 1, "unreadable": 0, "errors": 1, "warnings": 0}
//! }
//! ```
//!
//! `error` is a message when the file could not be read (then `problems` is empty); `element`
//! is null for problems that concern no element. Fields are only ever added, never renamed.

pub mod human;

use crate::base::diagnostic::{Diagnostic, Severity};
use crate::rules::{RuleId, RULES};
use serde_json::{json, Value};
use std::path::Path;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Compiler-style messages with the source line, on standard error.
    Human,
    /// One JSON document (schema in the `report` module doc), on standard output.
    Json,
    /// GitHub Actions workflow commands (`::error file=…`), on standard output.
    Github,
    /// SARIF 2.1.0, on standard output.
    Sarif,
}

/// One file's result.
#[derive(Debug, Clone, Copy)]
pub struct FileResult<'a> {
    /// The file.
    pub path: &'a Path,
    /// Its problems (empty if valid or unreadable).
    pub problems: &'a [Diagnostic],
    /// Why it could not be read, if it could not.
    pub unreadable: Option<&'a str>,
}

impl FileResult<'_> {
    fn valid(&self) -> bool {
        self.unreadable.is_none() && !self.problems.iter().any(|d| d.severity == Severity::Error)
    }
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn count(results: &[FileResult], s: Severity) -> usize {
    results
        .iter()
        .map(|r| r.problems.iter().filter(|d| d.severity == s).count())
        .sum()
}

/// The JSON report.
pub fn json(results: &[FileResult]) -> Value {
    let files: Vec<Value> = results
        .iter()
        .map(|r| {
            json!({
                "path": r.path.to_string_lossy(),
                "valid": r.valid(),
                "error": r.unreadable,
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

/// The SARIF 2.1.0 log.
pub fn sarif(results: &[FileResult]) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "shortDescription": {"text": r.summary},
                "defaultConfiguration": {"level": severity(r.severity)},
            })
        })
        .collect();
    let mut sarif_results = Vec::new();
    for r in results {
        let uri = r.path.to_string_lossy().replace('\\', "/");
        if let Some(why) = r.unreadable {
            sarif_results.push(json!({
                "ruleId": RuleId::WellFormed.code(),
                "level": "error",
                "message": {"text": format!("cannot read: {why}")},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
            }));
        }
        for d in r.problems {
            let rule = d.rule.unwrap_or(RuleId::Schema);
            let mut result = json!({
                "ruleId": rule.code(),
                "level": severity(d.severity),
                "message": {"text": d.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {"startLine": d.location.line.max(1), "startColumn": d.location.column.max(1)},
                }}],
            });
            if let Some(index) = RULES.iter().position(|x| x.id == rule) {
                result["ruleIndex"] = json!(index);
            }
            if let Some(path) = &d.path {
                result["locations"][0]["logicalLocations"] =
                    json!([{"fullyQualifiedName": path, "kind": "element"}]);
            }
            sarif_results.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "teikit",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/teikit/teikit",
                "rules": rules,
            }},
            "results": sarif_results,
        }]
    })
}

/// Escapes workflow-command data (`%`, CR, LF) and, for properties, `:` and `,`.
fn escape(s: &str, property: bool) -> String {
    let mut out = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

/// GitHub Actions workflow commands, one line a problem.
pub fn github(results: &[FileResult]) -> String {
    let mut out = String::new();
    for r in results {
        let file = escape(&r.path.to_string_lossy(), true);
        if let Some(why) = r.unreadable {
            out.push_str(&format!(
                "::error file={file},title=teikit::{}\n",
                escape(&format!("cannot read: {why}"), false)
            ));
        }
        for d in r.problems {
            let title = escape(
                &format!("teikit {}", d.rule.unwrap_or(RuleId::Schema)),
                true,
            );
            out.push_str(&format!(
                "::{} file={file},line={},col={},title={title}::{}\n",
                severity(d.severity),
                d.location.line,
                d.location.column,
                escape(&d.message, false)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diagnostic::Location;

    fn sample() -> Vec<Diagnostic> {
        vec![
            Diagnostic::error(Location::new("a.xml", 3, 5), "bad, very: bad\nreally")
                .with_rule(RuleId::Schema)
                .with_path("/TEI/text"),
        ]
    }

    #[test]
    fn github_commands_escape_data_and_properties() {
        let problems = sample();
        let results = [FileResult {
            path: Path::new("dir,1/a.xml"),
            problems: &problems,
            unreadable: None,
        }];
        assert_eq!(
            github(&results),
            "::error file=dir%2C1/a.xml,line=3,col=5,title=teikit schema::bad, very: bad%0Areally\n"
        );
    }

    #[test]
    fn json_and_sarif_carry_the_same_facts() {
        let problems = sample();
        let results = [FileResult {
            path: Path::new("a.xml"),
            problems: &problems,
            unreadable: None,
        }];
        let j = json(&results);
        assert_eq!(j["files"][0]["problems"][0]["line"], 3);
        assert_eq!(j["files"][0]["problems"][0]["element"], "/TEI/text");
        assert_eq!(j["summary"]["invalid"], 1);
        let s = sarif(&results);
        let result = &s["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "schema");
        assert_eq!(
            result["locations"][0]["physicalLocation"]["region"]["startColumn"],
            5
        );
        assert_eq!(
            s["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"].as_u64().unwrap() as usize]
                ["id"],
            "schema"
        );
    }
}

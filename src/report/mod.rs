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
//!      "schema": "the bundled documentary subset",
//!      "problems": [{"severity": "error", "rule": "schema", "line": 12, "column": 7,
//!                    "element": "/TEI/text/body/div", "message": "…"}]}
//!   ],
//!   "summary": {"files": 1, "valid": 0, "invalid": 1, "unreadable": 0, "errors": 1, "warnings": 0}
//! }
//! ```
//!
//! `schema` names the schema the file was validated against (a path, a declared `href` with
//! its local copy, or the bundled subset), null where none could be had or the `schema` rule
//! is off.
//! `error` is a message when the file could not be read (then `problems` is empty); `element`
//! is null for problems that concern no element. Fields are only ever added, never renamed.

mod github;
pub mod human;
mod json;
mod sarif;

pub use github::github;
pub use json::json;
pub use sarif::sarif;

use crate::base::diagnostic::{Diagnostic, Severity};
use std::path::Path;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// The schema it was validated against, as the run names it (a path, a declared `href`,
    /// the bundled subset); `None`: none could be had.
    pub schema: Option<&'a str>,
}

impl FileResult<'_> {
    pub(crate) fn valid(&self) -> bool {
        self.unreadable.is_none() && !self.problems.iter().any(|d| d.severity == Severity::Error)
    }
}

pub(crate) fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

pub(crate) fn count(results: &[FileResult], s: Severity) -> usize {
    results
        .iter()
        .map(|r| r.problems.iter().filter(|d| d.severity == s).count())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diagnostic::Location;
    use crate::rules::RuleId;

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
            schema: None,
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
            schema: None,
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

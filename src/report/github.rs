//! GitHub Actions workflow commands, which annotate the files of a pull request.

use super::{severity, FileResult};
use crate::rules::RuleId;

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

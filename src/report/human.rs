//! The human format: diagnostics the way compilers print them, the message, the place, the
//! source line and a marker under the column.

use crate::base::diagnostic::Diagnostic;
use std::path::PathBuf;
use std::sync::Mutex;

/// The last file read for its lines: diagnostics come file by file, so one is enough.
static LAST_SOURCE: Mutex<Option<(PathBuf, Option<String>)>> = Mutex::new(None);

fn source_line(path: &PathBuf, line: usize) -> Option<String> {
    let mut last = LAST_SOURCE.lock().ok()?;
    if last.as_ref().is_none_or(|(p, _)| p != path) {
        *last = Some((path.clone(), std::fs::read_to_string(path).ok()));
    }
    let (_, text) = last.as_ref()?;
    text.as_ref()?
        .lines()
        .nth(line.checked_sub(1)?)
        .map(str::to_string)
}

/// Formats `diagnostic` with its source line, if the file can be read.
///
/// ```text
/// error[schema]: element `date` not allowed here; expected element `p`
///   --> memo.xml:12:7
///   in /TEI/teiHeader/fileDesc/publicationStmt/date
///    |
/// 12 |       <date>1973</date>
///    |       ^
/// ```
pub fn render(diagnostic: &Diagnostic) -> String {
    let loc = &diagnostic.location;
    let rule = diagnostic
        .rule
        .map(|r| format!("[{r}]"))
        .unwrap_or_default();
    let mut out = format!(
        "{}{rule}: {}\n  --> {loc}",
        diagnostic.severity, diagnostic.message
    );
    if let Some(path) = &diagnostic.path {
        out.push_str(&format!("\n  in {path}"));
    }
    if let Some(line) = source_line(&loc.file, loc.line) {
        // Show at most 100 characters around the column, so long paragraph lines stay readable.
        let chars: Vec<char> = line.chars().collect();
        let column = loc.column.saturating_sub(1).min(chars.len());
        let start = column.saturating_sub(50);
        let end = (start + 100).min(chars.len());
        let shown: String = chars[start..end].iter().collect();
        let prefix = if start > 0 { "…" } else { "" };
        let number = loc.line.to_string();
        let pad = " ".repeat(number.len());
        let marker_pad = " ".repeat(column - start + prefix.chars().count());
        out.push_str(&format!(
            "\n{pad} |\n{number} | {prefix}{shown}\n{pad} | {marker_pad}^"
        ));
    }
    out
}

/// Prints `diagnostic` to standard error.
pub fn print_diagnostic(diagnostic: &Diagnostic) {
    eprintln!("{}\n", render(diagnostic));
}

//! The human format: diagnostics the way compilers print them, the message, the place, the
//! source line and a marker under the column.
//!
//! The source lines come from [`SourceLines`], which reads each file once and indexes its line
//! starts, so that thousands of problems in one large file cost one read, not one scan of the
//! file per problem; the output is written through one buffered lock of standard error.

use crate::base::diagnostic::Diagnostic;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The lines of the file diagnostics point into: diagnostics come file by file, so the last
/// file read is kept.
#[derive(Debug, Default)]
pub struct SourceLines {
    file: Option<PathBuf>,
    text: Option<String>,
    starts: Vec<usize>,
}

impl SourceLines {
    /// Line `line` (1-based) of `path`, if the file can be read and has it.
    pub fn line(&mut self, path: &Path, line: usize) -> Option<&str> {
        if self.file.as_deref() != Some(path) {
            self.file = Some(path.to_path_buf());
            self.text = std::fs::read_to_string(path).ok();
            self.starts = std::iter::once(0)
                .chain(
                    self.text
                        .iter()
                        .flat_map(|t| memchr::memchr_iter(b'\n', t.as_bytes()).map(|i| i + 1)),
                )
                .collect();
        }
        let text = self.text.as_deref()?;
        let start = *self.starts.get(line.checked_sub(1)?)?;
        if start > text.len() || (start == text.len() && line > 1) {
            return None;
        }
        let end = self.starts.get(line).map_or(text.len(), |&next| next - 1);
        Some(text[start..end].trim_end_matches('\r'))
    }
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
pub fn render(diagnostic: &Diagnostic, lines: &mut SourceLines) -> String {
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
    if let Some(line) = lines.line(&loc.file, loc.line) {
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

/// Prints `diagnostics` to standard error, each followed by a blank line.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let mut lines = SourceLines::default();
    let stderr = std::io::stderr();
    let mut out = std::io::BufWriter::new(stderr.lock());
    for diagnostic in diagnostics {
        // Standard error gone: nothing else can be said.
        if writeln!(out, "{}\n", render(diagnostic, &mut lines)).is_err() {
            return;
        }
    }
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diagnostic::Location;

    #[test]
    fn the_source_line_under_the_message() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("t.xml");
        std::fs::write(&file, "<a>\r\n  <b/>\n</a>").unwrap();
        let mut lines = SourceLines::default();
        assert_eq!(lines.line(&file, 1), Some("<a>"));
        assert_eq!(lines.line(&file, 2), Some("  <b/>"));
        assert_eq!(lines.line(&file, 3), Some("</a>"));
        assert_eq!(lines.line(&file, 4), None);
        assert_eq!(lines.line(&file, 0), None);
        let d = Diagnostic::error(Location::new(&file, 2, 3), "bad b");
        let shown = render(&d, &mut lines);
        assert!(shown.ends_with("\n  |\n2 |   <b/>\n  |   ^"), "{shown}");
    }
}

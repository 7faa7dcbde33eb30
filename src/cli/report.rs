//! Printing diagnostics the way compilers do: the message, the place, the source line and a
//! marker under the column.

use crate::diagnostic::Diagnostic;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

static SOURCES: Mutex<Option<HashMap<PathBuf, Option<String>>>> = Mutex::new(None);

fn source_line(path: &PathBuf, line: usize) -> Option<String> {
    let mut cache = SOURCES.lock().ok()?;
    let map = cache.get_or_insert_with(HashMap::new);
    let text = map
        .entry(path.clone())
        .or_insert_with(|| std::fs::read_to_string(path).ok());
    text.as_ref()?
        .lines()
        .nth(line.checked_sub(1)?)
        .map(str::to_string)
}

/// Formats `diagnostic` with its source line, if the file can be read.
pub fn render(diagnostic: &Diagnostic) -> String {
    let loc = &diagnostic.location;
    let mut out = format!(
        "{}: {}\n  --> {}",
        diagnostic.severity, diagnostic.message, loc
    );
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

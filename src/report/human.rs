//! The human format: diagnostics the way compilers print them, the message, the place, the
//! source line and a marker under the column.
//!
//! The source lines come from [`SourceLines`], which indexes a file's line starts in one
//! streaming pass and then reads only the part of a line a diagnostic shows (100 characters
//! around its column): thousands of problems in one large file cost one pass, not one scan per
//! problem, and a gigabyte on one line is never held in memory. The output is written through
//! one buffered lock of standard error.

use crate::base::diagnostic::Diagnostic;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

/// Characters shown before the column, and in all.
const BEFORE_COLUMN: usize = 50;
const SHOWN: usize = 100;

/// The lines of the file diagnostics point into: diagnostics come file by file, so the last
/// file read is kept, with where its lines start (as far as a diagnostic needed).
#[derive(Debug, Default)]
pub struct SourceLines {
    file: Option<PathBuf>,
    reader: Option<BufReader<std::fs::File>>,
    /// The starts of the lines found so far: line 1's, and after every line end read.
    starts: Vec<u64>,
    /// How far the line ends have been looked for, and whether that is the file's end.
    scanned: u64,
    at_end: bool,
    /// Where the last window began: (line, character, byte), to go on from there for the next
    /// diagnostic of the same line (they come in order).
    last: Option<(usize, usize, u64)>,
    /// The reader's position in the file.
    position: u64,
}

/// The part of a source line a diagnostic shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// At most 100 characters of the line, without its line end.
    pub text: String,
    /// The first character shown, counted from the line's start (0-based).
    pub first: usize,
}

impl SourceLines {
    /// Opens `path`, unless it is the file open already.
    fn open(&mut self, path: &Path) -> Option<&mut BufReader<std::fs::File>> {
        if self.file.as_deref() != Some(path) {
            *self = SourceLines {
                file: Some(path.to_path_buf()),
                reader: std::fs::File::open(path)
                    .ok()
                    .map(|f| BufReader::with_capacity(1 << 16, f)),
                starts: vec![0],
                ..SourceLines::default()
            };
        }
        self.reader.as_mut()
    }

    /// Looks for line ends until line `k` (0-based) has its start, or the file ends.
    fn find_line(&mut self, k: usize) -> Option<u64> {
        while self.starts.len() <= k && !self.at_end {
            let reader = self.reader.as_mut()?;
            reader
                .seek_relative(self.scanned as i64 - self.position as i64)
                .ok()?;
            self.position = self.scanned;
            let chunk = reader.fill_buf().ok()?;
            if chunk.is_empty() {
                self.at_end = true;
                break;
            }
            let n = chunk.len();
            let from = self.scanned;
            self.starts
                .extend(memchr::memchr_iter(b'\n', chunk).map(|i| from + i as u64 + 1));
            reader.consume(n);
            self.scanned += n as u64;
            self.position = self.scanned;
        }
        let start = *self.starts.get(k)?;
        // A line end as the file's last byte starts no line.
        (!(self.at_end && start == self.scanned && k > 0)).then_some(start)
    }

    /// The part of line `line` (1-based) of `path` around the character `column` (1-based):
    /// from 50 characters before it, 100 characters at most. Only the line's start is looked
    /// for (its end is where the window's reading stops), so a window costs the bytes up to it.
    pub fn window(&mut self, path: &Path, line: usize, column: usize) -> Option<Window> {
        self.open(path)?;
        let start = self.find_line(line.checked_sub(1)?)?;
        let first = column.saturating_sub(1).saturating_sub(BEFORE_COLUMN);
        // Skip `first` characters: from the line's start, or from the last window's start.
        let (skipped, from) = match self.last {
            Some((l, c, b)) if l == line && c <= first => (c, b),
            _ => (0, start),
        };
        let reader = self.reader.as_mut()?;
        // Relative, so that a window near the last one is read from the buffer.
        reader
            .seek_relative(from as i64 - self.position as i64)
            .ok()?;
        let mut chars = Utf8Chars {
            bytes: reader.by_ref().bytes(),
            consumed: 0,
        };
        let mut text = String::new();
        let mut shown = 0;
        let mut skipped = skipped;
        let mut window_from = from;
        loop {
            let at = from + chars.consumed;
            let Some(c) = chars.next() else { break };
            if c == '\n' || shown == SHOWN {
                break;
            }
            if skipped < first {
                skipped += 1;
                continue;
            }
            if shown == 0 {
                window_from = at;
            }
            // A control character (a NUL of a damaged file) would be invisible, or worse, on
            // a terminal.
            let visible = c == '\t' || c == '\r' || !c.is_control();
            text.push(if visible { c } else { '\u{FFFD}' });
            shown += 1;
        }
        self.position = from + chars.consumed;
        if skipped < first {
            return None; // the line is shorter than the column
        }
        if shown > 0 {
            self.last = Some((line, first, window_from));
        }
        let text = text.trim_end_matches('\r').to_string();
        Some(Window { text, first })
    }
}

/// The characters of UTF-8 bytes read one at a time (a malformed sequence is one U+FFFD),
/// counting the bytes read.
struct Utf8Chars<I> {
    bytes: I,
    consumed: u64,
}

impl<I: Iterator<Item = std::io::Result<u8>>> Iterator for Utf8Chars<I> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let lead = self.bytes.next()?.ok()?;
        self.consumed += 1;
        let width = match lead {
            0x00..=0x7F => return Some(lead as char),
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        let mut buf = [lead, 0, 0, 0];
        for slot in buf.iter_mut().take(width).skip(1) {
            *slot = self.bytes.next()?.ok()?;
            self.consumed += 1;
        }
        Some(
            std::str::from_utf8(&buf[..width])
                .ok()
                .and_then(|s| s.chars().next())
                .unwrap_or('\u{FFFD}'),
        )
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
    if let Some(window) = lines.window(&loc.file, loc.line, loc.column) {
        // At most 100 characters around the column, so long paragraph lines stay readable.
        let column = loc.column.saturating_sub(1);
        let prefix = if window.first > 0 { "…" } else { "" };
        let shown_to = window.first + window.text.chars().count();
        let number = loc.line.to_string();
        let pad = " ".repeat(number.len());
        let marker_pad = " ".repeat(column.min(shown_to) - window.first + prefix.chars().count());
        out.push_str(&format!(
            "\n{pad} |\n{number} | {prefix}{}\n{pad} | {marker_pad}^",
            window.text
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
        let text = |lines: &mut SourceLines, n| lines.window(&file, n, 1).map(|w| w.text);
        assert_eq!(text(&mut lines, 1).as_deref(), Some("<a>"));
        assert_eq!(text(&mut lines, 2).as_deref(), Some("  <b/>"));
        assert_eq!(text(&mut lines, 3).as_deref(), Some("</a>"));
        assert_eq!(text(&mut lines, 4), None);
        assert_eq!(text(&mut lines, 0), None);
        let d = Diagnostic::error(Location::new(&file, 2, 3), "bad b");
        let shown = render(&d, &mut lines);
        assert!(shown.ends_with("\n  |\n2 |   <b/>\n  |   ^"), "{shown}");
    }

    #[test]
    fn a_long_line_is_shown_around_the_column_one_window_after_another() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("long.xml");
        let line: String = (0..10_000)
            .map(|i| if i % 10 == 0 { 'é' } else { 'x' })
            .collect();
        std::fs::write(&file, format!("<a>\n{line}\n</a>")).unwrap();
        let mut lines = SourceLines::default();
        for column in [1, 500, 5_000, 9_990] {
            let window = lines.window(&file, 2, column).unwrap();
            let expected: String = line
                .chars()
                .skip(column.saturating_sub(51))
                .take(100)
                .collect();
            assert_eq!(window.text, expected, "column {column}");
            assert_eq!(window.first, column.saturating_sub(51));
        }
        // Back to an earlier column: read from the line's start again.
        assert_eq!(lines.window(&file, 2, 1).unwrap().text.chars().count(), 100);
        assert_eq!(lines.window(&file, 3, 1).unwrap().text, "</a>");
        let d = Diagnostic::error(Location::new(&file, 2, 5_000), "here");
        let shown = render(&d, &mut lines);
        let marker = shown.lines().last().unwrap();
        let source = shown.lines().nth(shown.lines().count() - 2).unwrap();
        let under: String = source
            .chars()
            .skip(marker.chars().count() - 1)
            .take(1)
            .collect();
        assert_eq!(
            under,
            line.chars().nth(4_999).unwrap().to_string(),
            "{shown}"
        );
    }
}

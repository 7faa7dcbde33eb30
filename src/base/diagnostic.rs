//! Diagnostics shared by every teikit command: a location in a file, a severity and a message.
//!
//! Library code returns these (inside typed errors or as warnings); the binary decides how to
//! print them. The `Display` form is the one compilers use, `file:line:column: severity: message`,
//! so editors and CI logs can jump to the place.

use super::rule::RuleId;
use std::fmt;
use std::path::{Path, PathBuf};

/// A 1-based line and column (counted in characters) in a named file.
///
/// ```
/// use teikit::base::diagnostic::Location;
/// let loc = Location::new("memo.txt", 3, 14);
/// assert_eq!(loc.to_string(), "memo.txt:3:14");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file the location is in.
    pub file: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters (not bytes).
    pub column: usize,
}

impl Location {
    /// A location in `file` at `line`:`column` (both 1-based).
    pub fn new(file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location {
            file: file.into(),
            line,
            column,
        }
    }

    /// The start of a file, for problems that concern the file as a whole.
    pub fn file_start(file: &Path) -> Self {
        Location::new(file, 1, 1)
    }

    /// Where in `file` its bytes stop being UTF-8, for a decoding error.
    ///
    /// ```
    /// use teikit::base::diagnostic::Location;
    /// let error = String::from_utf8(b"ab\ncd\xFF".to_vec()).unwrap_err();
    /// let at = Location::of_utf8_error(std::path::Path::new("x.txt"), &error);
    /// assert_eq!((at.line, at.column), (2, 3));
    /// ```
    pub fn of_utf8_error(file: &Path, error: &std::string::FromUtf8Error) -> Self {
        let valid = error.utf8_error().valid_up_to();
        Location::after(file, &error.as_bytes()[..valid])
    }

    /// Where in `file` the text after `before` (its first bytes, UTF-8) begins.
    ///
    /// ```
    /// use teikit::base::diagnostic::Location;
    /// let at = Location::after(std::path::Path::new("x.txt"), "ab\ncé".as_bytes());
    /// assert_eq!((at.line, at.column), (2, 3));
    /// ```
    pub fn after(file: &Path, before: &[u8]) -> Self {
        let prefix = String::from_utf8_lossy(before);
        let (line, column) = LineIndex::new(&prefix).line_column(&prefix, prefix.len());
        Location::new(file, line, column)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; never changes the exit status.
    Warning,
    /// The input cannot be processed as it is.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One problem found in an input, with where it is and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// Where it is.
    pub location: Location,
    /// What is wrong, in one sentence, naming what was expected where that helps.
    pub message: String,
    /// The path of the element concerned in an XML document (`/TEI/text/body/div[2]`), if any.
    pub path: Option<String>,
    /// The rule that found it (`unique-id`, `schema`, …), if any: see `teikit rules`.
    pub rule: Option<RuleId>,
}

impl Diagnostic {
    /// An error at `location`.
    pub fn error(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location,
            message: message.into(),
            path: None,
            rule: None,
        }
    }

    /// A warning at `location`.
    pub fn warning(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            location,
            message: message.into(),
            path: None,
            rule: None,
        }
    }

    /// The same problem, raised to an error (for `--strict`).
    ///
    /// ```
    /// use teikit::base::diagnostic::{Diagnostic, Location, Severity};
    /// let d = Diagnostic::warning(Location::new("d1.txt", 3, 5), "page skipped").into_error();
    /// assert_eq!(d.severity, Severity::Error);
    /// ```
    pub fn into_error(mut self) -> Self {
        self.severity = Severity::Error;
        self
    }

    /// The same diagnostic, found by rule `rule`.
    pub fn with_rule(mut self, rule: RuleId) -> Self {
        self.rule = Some(rule);
        self
    }

    /// The same diagnostic, concerning the element at `path`.
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.severity)?;
        if let Some(rule) = self.rule {
            write!(f, "[{rule}]")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(path) = &self.path {
            write!(f, " (in {path})")?;
        }
        Ok(())
    }
}

/// Maps byte offsets of a text to 1-based line and character columns.
///
/// Sparse: it keeps the number of lines before every 4 KiB block (a few kilobytes for a
/// megabyte of text, where a table of line starts took a quarter of a megabyte) and counts the
/// rest of the way with memchr when asked.
///
/// ```
/// use teikit::base::diagnostic::LineIndex;
/// let index = LineIndex::new("ab\ncé d\n");
/// assert_eq!(index.line_column("ab\ncé d\n", 6), (2, 3));
/// ```
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Line feeds before each block.
    lines_before_block: Vec<usize>,
}

const BLOCK: usize = 4096;

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut lines_before_block = Vec::with_capacity(text.len() / BLOCK + 1);
        let mut lines = 0;
        for block in text.as_bytes().chunks(BLOCK) {
            lines_before_block.push(lines);
            lines += memchr::memchr_iter(b'\n', block).count();
        }
        LineIndex { lines_before_block }
    }

    /// The 1-based line and column of byte `offset` in `text` (the text this index was made from).
    pub fn line_column(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let bytes = text.as_bytes();
        let block = offset / BLOCK;
        let line = self.lines_before_block.get(block).copied().unwrap_or(0)
            + memchr::memchr_iter(b'\n', &bytes[block * BLOCK..offset]).count();
        (line + 1, column_at(text, offset))
    }
}

/// The 1-based column of byte `offset` in `text`: characters from the start of its line.
pub(crate) fn column_at(text: &str, offset: usize) -> usize {
    let start = memchr::memrchr(b'\n', &text.as_bytes()[..offset]).map_or(0, |p| p + 1);
    let column = text
        .get(start..offset)
        .map_or(offset - start, |s| s.chars().count());
    column + 1
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn line_index_agrees_with_counting_from_the_start_across_blocks() {
        // Lines of every length, multi-byte characters, and a line longer than a block.
        let mut text = String::new();
        for k in 0..900 {
            text.push_str(&"é".repeat(k % 37));
            text.push_str(&"x".repeat(k * 7 % 53));
            text.push('\n');
        }
        text.push_str(&"long ".repeat(3000));
        let index = LineIndex::new(&text);
        let boundaries = text.char_indices().map(|(i, _)| i).chain([text.len()]);
        for offset in boundaries.filter(|i| i % 97 == 0 || i % 4096 < 3 || *i == text.len()) {
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            assert_eq!(
                index.line_column(&text, offset),
                (line, column),
                "at {offset}"
            );
        }
    }
}

//! The plain-text source as received: decoded, with offsets that map back to lines and columns.

use crate::diagnostic::{Diagnostic, LineIndex, Location};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A source document's text, validated as UTF-8 (a leading byte-order mark is dropped).
#[derive(Debug, Clone)]
pub struct SourceText {
    path: PathBuf,
    text: String,
    index: LineIndex,
}

impl SourceText {
    /// Decodes `bytes` read from `path`. Invalid UTF-8 is an error located at the first bad byte.
    pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<Self, Diagnostic> {
        let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => rest.to_vec(),
            None => bytes,
        };
        match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceText::new(path, text)),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
                let (line, column) = LineIndex::new(&prefix).line_column(&prefix, valid);
                Err(Diagnostic::error(
                    Location::new(path, line, column),
                    format!(
                        "invalid UTF-8 (byte 0x{:02X} at offset {valid}); the source must be UTF-8 text",
                        e.as_bytes()[valid]
                    ),
                ))
            }
        }
    }

    /// A source from text already in memory.
    pub fn new(path: &Path, text: String) -> Self {
        let index = LineIndex::new(&text);
        SourceText {
            path: path.to_path_buf(),
            text,
            index,
        }
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The file the text came from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The text of a byte range.
    pub fn slice(&self, range: &Range<usize>) -> &str {
        &self.text[range.clone()]
    }

    /// The file, line and column of a byte offset.
    pub fn location(&self, offset: usize) -> Location {
        let (line, column) = self.index.line_column(&self.text, offset);
        Location::new(&self.path, line, column)
    }
}

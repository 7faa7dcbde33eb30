//! The plain-text source as received: decoded, with offsets that map back to lines and columns.

use crate::base::diagnostic::{Diagnostic, LineIndex, Location};
use crate::xml::chars::is_xml_char;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A source document's text, decoded and checked to hold only characters XML allows.
#[derive(Debug, Clone)]
pub struct SourceText {
    path: PathBuf,
    text: String,
    index: LineIndex,
}

fn decode_utf8(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        Diagnostic::error(
            Location::of_utf8_error(path, &e),
            format!(
                "invalid UTF-8 (byte 0x{:02X} at offset {valid}); the source must be UTF-8 text",
                e.as_bytes()[valid]
            ),
        )
    })
}

/// `text` with every `\r` not followed by `\n` replaced by `\n` (the same length).
fn lone_carriage_returns_as_line_feeds(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut bytes = text.into_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    // Only one ASCII byte was replaced by another: still UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

impl SourceText {
    /// Decodes `bytes` read from `path`: UTF-8 (a leading byte-order mark is dropped), or UTF-16
    /// with a byte-order mark. Invalid UTF-8 is an error located at the first bad byte; so is a
    /// character that XML cannot hold (a control character such as NUL), since the TEI written
    /// from it would not be well-formed.
    ///
    /// ```
    /// use std::path::Path;
    /// use teikit::convert::source::SourceText;
    /// let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("59. A".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    /// assert_eq!(SourceText::decode(Path::new("d.txt"), utf16).unwrap().text(), "59. A");
    /// let err = SourceText::decode(Path::new("d.txt"), b"59. A\nsix\0days".to_vec()).unwrap_err();
    /// assert_eq!((err.location.line, err.location.column), (2, 4));
    /// ```
    pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<Self, Diagnostic> {
        let text = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            crate::xml::decode(path, bytes)?
        } else {
            decode_utf8(path, bytes)?
        };
        if let Some((offset, c)) = text.char_indices().find(|(_, c)| !is_xml_char(*c)) {
            let (line, column) = LineIndex::new(&text).line_column(&text, offset);
            return Err(Diagnostic::error(
                Location::new(path, line, column),
                format!(
                    "a character XML cannot hold (U+{:04X}); remove it from the source",
                    u32::from(c)
                ),
            ));
        }
        Ok(SourceText::new(path, text))
    }

    /// A source from text already in memory. Line ends may be `\n`, `\r\n` or a lone `\r` (old
    /// Mac files, some scanners' exports): a lone `\r` is read as `\n`, byte for byte, so that
    /// offsets, lines and columns still name the text as received.
    pub fn new(path: &Path, text: String) -> Self {
        let text = lone_carriage_returns_as_line_feeds(text);
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

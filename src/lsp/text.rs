//! An open document's text, and the editor's positions in it.
//!
//! LSP counts lines ended by `\n`, `\r\n` or a lone `\r`, and columns in UTF-16 code units;
//! teikit's diagnostics count lines ended by `\n` (as XML's line-end normalisation leaves
//! them) and columns in characters. A [`TextIndex`] is made once per version of a document and
//! answers both in time proportional to the line, not the document.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

/// The line starts of one version of a text, as LSP and as teikit count lines.
#[derive(Debug, Clone)]
pub struct TextIndex {
    /// The byte offset where each line starts, any line end counted.
    lines: Vec<usize>,
    /// The byte offset where each line starts, `\n` alone counted.
    feed_lines: Vec<usize>,
}

impl TextIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut lines = vec![0];
        let mut feed_lines = vec![0];
        for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            match bytes[at] {
                b'\n' => {
                    feed_lines.push(at + 1);
                    lines.push(at + 1);
                }
                // A `\r` ends a line unless a `\n` follows (then the `\n` ends it).
                _ if bytes.get(at + 1) != Some(&b'\n') => lines.push(at + 1),
                _ => {}
            }
        }
        TextIndex { lines, feed_lines }
    }

    /// The byte offset of `position`, clamped to its line's end (before the line end) and to
    /// the text's end.
    ///
    /// ```
    /// use lsp_types::Position;
    /// use teikit::lsp::text::TextIndex;
    /// let text = "ab\r\ncé d\rx";
    /// let index = TextIndex::new(text);
    /// assert_eq!(index.offset(text, Position::new(1, 3)), 8);
    /// assert_eq!(index.offset(text, Position::new(2, 0)), 10);
    /// assert_eq!(index.offset(text, Position::new(0, 99)), 2);
    /// ```
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.lines.get(position.line as usize) else {
            return text.len();
        };
        let end = self.content_end(text, position.line as usize);
        let mut units = 0u32;
        for (i, c) in text[start..end].char_indices() {
            if units >= position.character {
                return start + i;
            }
            units += c.len_utf16() as u32;
        }
        end
    }

    /// Where line `line`'s content ends: before its `\n`, `\r\n` or `\r`.
    fn content_end(&self, text: &str, line: usize) -> usize {
        let next = self.lines.get(line + 1).copied().unwrap_or(text.len());
        let content = &text.as_bytes()[self.lines[line]..next];
        let trimmed = match content {
            [.., b'\r', b'\n'] => 2,
            [.., b'\n'] | [.., b'\r'] => 1,
            _ => 0,
        };
        next - trimmed
    }

    /// The position of byte `offset` (moved back to a character's start if inside one).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.lines.partition_point(|start| *start <= offset) - 1;
        let start = self.lines[line];
        // Inside a `\r\n`: at the line's end.
        let offset = offset.min(self.content_end(text, line).max(start));
        let character = text[start..offset]
            .chars()
            .map(|c| c.len_utf16() as u32)
            .sum();
        Position::new(line as u32, character)
    }

    /// The range of bytes `start..end`.
    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range::new(self.position(text, start), self.position(text, end))
    }

    /// The byte offset of teikit's 1-based line (counted by `\n`) and character column.
    pub fn offset_of_line_column(&self, text: &str, line: usize, column: usize) -> usize {
        let Some(&start) = self.feed_lines.get(line.saturating_sub(1)) else {
            return text.len();
        };
        let end = self
            .feed_lines
            .get(line)
            .map_or(text.len(), |next| next - 1);
        text[start..end]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(end, |(i, _)| start + i)
    }
}

/// The byte offset of `position` in `text` (see [`TextIndex::offset`]).
///
/// ```
/// use lsp_types::Position;
/// use teikit::lsp::text::offset_of;
/// assert_eq!(offset_of("ab\ncé d", Position::new(1, 3)), 7);
/// ```
pub fn offset_of(text: &str, position: Position) -> usize {
    TextIndex::new(text).offset(text, position)
}

/// The position of byte `offset` in `text`.
pub fn position_of(text: &str, offset: usize) -> Position {
    TextIndex::new(text).position(text, offset)
}

/// The range of bytes `start..end` of `text`.
pub fn range_of(text: &str, start: usize, end: usize) -> Range {
    TextIndex::new(text).range(text, start, end)
}

/// Applies one change the editor sent: a range replaced, or (without a range) the whole text.
pub fn apply_change(text: &mut String, change: &TextDocumentContentChangeEvent) {
    match change.range {
        Some(range) => {
            let index = TextIndex::new(text);
            let start = index.offset(text, range.start);
            let end = index.offset(text, range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
        None => *text = change.text.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "a𝄞b\nxé";
        let index = TextIndex::new(text);
        assert_eq!(index.position(text, 5), Position::new(0, 3));
        assert_eq!(index.offset(text, Position::new(0, 3)), 5);
        assert_eq!(index.offset(text, Position::new(1, 2)), text.len());
        assert_eq!(index.offset(text, Position::new(9, 0)), text.len());
        assert_eq!(index.offset_of_line_column(text, 1, 3), 5);
        assert_eq!(index.offset_of_line_column(text, 2, 2), 8);
        // Inside a character: its start.
        assert_eq!(index.position(text, 2), Position::new(0, 1));
    }

    #[test]
    fn every_line_end_ends_a_line_for_the_editor_and_only_line_feeds_for_teikit() {
        let text = "a\rb\r\nc\nd";
        let index = TextIndex::new(text);
        assert_eq!(index.offset(text, Position::new(1, 0)), 2);
        assert_eq!(index.offset(text, Position::new(2, 0)), 5);
        assert_eq!(index.offset(text, Position::new(3, 0)), 7);
        assert_eq!(
            index.offset(text, Position::new(1, 5)),
            3,
            "before the CR LF"
        );
        assert_eq!(
            index.position(text, 4),
            Position::new(1, 1),
            "inside the CR LF"
        );
        assert_eq!(index.position(text, 8), Position::new(3, 1));
        // teikit's line 2 is `c`: the lone CR and the CR LF's CR are part of line 1.
        assert_eq!(index.offset_of_line_column(text, 2, 1), 5);
    }

    #[test]
    fn changes_replace_ranges_whatever_the_line_ends() {
        let mut text = String::from("<p>one</p>\n<p>two</p>");
        apply_change(
            &mut text,
            &TextDocumentContentChangeEvent {
                range: Some(Range::new(Position::new(1, 3), Position::new(1, 6))),
                range_length: None,
                text: "three".into(),
            },
        );
        assert_eq!(text, "<p>one</p>\n<p>three</p>");
        // A CR-only document: line 3 is where the editor says, not the end of the text.
        let mut text = String::from("<a>\r<b/>\r<c/>\r<d/>\r</a>");
        apply_change(
            &mut text,
            &TextDocumentContentChangeEvent {
                range: Some(Range::new(Position::new(3, 1), Position::new(3, 2))),
                range_length: None,
                text: "e".into(),
            },
        );
        assert_eq!(text, "<a>\r<b/>\r<c/>\r<e/>\r</a>");
    }
}

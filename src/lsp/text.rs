//! An open document's text, and the editor's positions in it: LSP counts columns in UTF-16 code
//! units, teikit in bytes (and its diagnostics in characters).

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

/// The byte offset of `position` in `text` (clamped to the line's end and the text's end).
///
/// ```
/// use lsp_types::Position;
/// use teikit::lsp::text::offset_of;
/// assert_eq!(offset_of("ab\ncé d", Position::new(1, 3)), 7);
/// ```
pub fn offset_of(text: &str, position: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        match text[line_start..].find('\n') {
            Some(end) => line_start += end + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |e| line_start + e);
    let mut units = 0u32;
    for (i, c) in text[line_start..line_end].char_indices() {
        if units >= position.character {
            return line_start + i;
        }
        units += c.len_utf16() as u32;
    }
    line_end
}

/// The position of byte `offset` in `text`.
pub fn position_of(text: &str, offset: usize) -> Position {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    let character = text[line_start..offset]
        .chars()
        .map(|c| c.len_utf16() as u32)
        .sum();
    Position::new(line, character)
}

/// The range of bytes `start..end` of `text`.
pub fn range_of(text: &str, start: usize, end: usize) -> Range {
    Range::new(position_of(text, start), position_of(text, end))
}

/// The position of a 1-based line and 1-based character column (teikit's diagnostics).
pub fn position_of_line_column(text: &str, line: usize, column: usize) -> Position {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    let line_text = text[line_start..].split('\n').next().unwrap_or("");
    let character = line_text
        .chars()
        .take(column.saturating_sub(1))
        .map(|c| c.len_utf16() as u32)
        .sum();
    Position::new(line.saturating_sub(1) as u32, character)
}

/// Applies one change the editor sent: a range replaced, or (without a range) the whole text.
pub fn apply_change(text: &mut String, change: &TextDocumentContentChangeEvent) {
    match change.range {
        Some(range) => {
            let start = offset_of(text, range.start);
            let end = offset_of(text, range.end).max(start);
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
        assert_eq!(position_of(text, 5), Position::new(0, 3));
        assert_eq!(offset_of(text, Position::new(0, 3)), 5);
        assert_eq!(offset_of(text, Position::new(1, 2)), text.len());
        assert_eq!(offset_of(text, Position::new(9, 0)), text.len());
        assert_eq!(position_of_line_column(text, 1, 3), Position::new(0, 3));
        assert_eq!(position_of_line_column(text, 2, 2), Position::new(1, 1));
    }

    #[test]
    fn changes_replace_ranges() {
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
    }
}

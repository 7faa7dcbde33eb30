//! The line structure of a plain-text FRUS document.
//!
//! The form the converter reads (the memo's, and that of any document rendered the same way):
//!
//! ```text
//! 59. Memorandum From … to President Nixon1          ← number, full stop, title (+ note ref)
//!
//!   • Results of Negotiations with …                   ← subject line (optional)
//! Washington, May 24, 1973.                            ← dateline (optional, first block)
//! Summary of Results: Yesterday I concluded …          ← one paragraph a line
//! [Page 289]                                           ← page marker between paragraphs
//! Unger                                                ← signature (optional, last block)
//!   1. Source: National Archives, …                    ← numbered notes, indented, at the end
//! ```

use super::source::SourceText;
use crate::diagnostic::Diagnostic;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// The title line: "59. Memorandum From …".
#[derive(Debug, Clone)]
pub struct TitleLine {
    /// The document number printed before the title.
    pub number: u32,
    /// The whole line, without surrounding whitespace.
    pub range: Range<usize>,
}

/// What a body line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// The subject line, printed with a bullet.
    Subject,
    /// Place and date of writing.
    Dateline,
    /// A paragraph (or a lone page marker, which the encoder turns into a page break).
    Paragraph,
    /// The signature at the end.
    Signature,
}

/// One non-blank body line.
#[derive(Debug, Clone)]
pub struct Block {
    /// What it is.
    pub kind: BlockKind,
    /// Its content (without a subject bullet or surrounding whitespace).
    pub range: Range<usize>,
}

/// A note from the list at the end.
#[derive(Debug, Clone)]
pub struct NoteText {
    /// Its number.
    pub number: u32,
    /// Where its number stands, for messages.
    pub number_offset: usize,
    /// Its text, after "N. ".
    pub range: Range<usize>,
}

/// The parts of a source, by line.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The title line.
    pub title: TitleLine,
    /// The body lines, in order.
    pub blocks: Vec<Block>,
    /// The notes, in order.
    pub notes: Vec<NoteText>,
}

static TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,6})\.\s+\S").expect("title pattern"));
static NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s+(\d{1,4})\.\s+(\S.*?)\s*$").expect("note pattern"));
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[A-Z][\p{L}.’' -]{0,40}, (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}\b[^.]*\.$",
    )
    .expect("dateline pattern")
});

struct LineRef {
    start: usize,
    text_range: Range<usize>,
}

fn lines(source: &SourceText) -> Vec<LineRef> {
    let text = source.text();
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        out.push(LineRef {
            start,
            text_range: start..start + content.len(),
        });
        start += line.len();
    }
    out
}

fn trimmed(source: &SourceText, range: &Range<usize>) -> Range<usize> {
    let s = source.slice(range);
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    range.start + lead..range.end - trail
}

/// Splits a source into title, body lines and notes, reporting every structural problem.
pub fn parse_layout(source: &SourceText) -> Result<Layout, Vec<Diagnostic>> {
    let all = lines(source);
    let mut diagnostics = Vec::new();
    let Some(first) = all
        .iter()
        .position(|l| !source.slice(&l.text_range).trim().is_empty())
    else {
        return Err(vec![Diagnostic::error(
            source.location(0),
            "empty source: expected a title line such as `59. Memorandum From … to …` (document number, full stop, title)",
        )]);
    };
    let title_range = trimmed(source, &all[first].text_range);
    let title_text = source.slice(&title_range);
    let number = match TITLE.captures(title_text) {
        Some(c) => c[1].parse::<u32>().ok(),
        None => None,
    };
    let Some(number) = number else {
        return Err(vec![Diagnostic::error(
            source.location(title_range.start),
            format!(
                "expected a title line such as `59. Memorandum From … to …` (document number, full stop, title), found `{}`",
                truncate(title_text, 60)
            ),
        )]);
    };

    // Notes: the indented, numbered lines at the end of the file.
    let mut note_lines = Vec::new();
    let mut body_end = all.len();
    for (i, line) in all.iter().enumerate().skip(first + 1).rev() {
        let s = source.slice(&line.text_range);
        if s.trim().is_empty() {
            continue;
        }
        match NOTE.captures(s) {
            Some(c) => {
                let (num, text) = (c.get(1).expect("group 1"), c.get(2).expect("group 2"));
                note_lines.push(NoteText {
                    number: num.as_str().parse().unwrap_or(u32::MAX),
                    number_offset: line.start + num.start(),
                    range: line.start + text.start()..line.start + text.end(),
                });
                body_end = i;
            }
            None => break,
        }
    }
    note_lines.reverse();
    for (i, note) in note_lines.iter().enumerate() {
        let expected = i as u32 + 1;
        if note.number != expected {
            diagnostics.push(Diagnostic::error(
                source.location(note.number_offset),
                format!(
                    "note numbered {} where note {expected} was expected; notes must run 1, 2, 3, … in the list at the end",
                    note.number
                ),
            ));
        }
    }

    let mut blocks: Vec<Block> = all[first + 1..body_end]
        .iter()
        .map(|l| trimmed(source, &l.text_range))
        .filter(|r| !r.is_empty())
        .map(|range| {
            let text = source.slice(&range);
            match text.strip_prefix('•') {
                Some(rest) => Block {
                    kind: BlockKind::Subject,
                    range: range.end - rest.trim_start().len()..range.end,
                },
                None => Block {
                    kind: BlockKind::Paragraph,
                    range,
                },
            }
        })
        .collect();
    if let Some(first_text) = blocks.iter_mut().find(|b| b.kind != BlockKind::Subject) {
        if DATELINE.is_match(source.slice(&first_text.range)) {
            first_text.kind = BlockKind::Dateline;
        }
    }
    let paragraphs = blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph)
        .count();
    if paragraphs > 1 {
        if let Some(last) = blocks.last_mut() {
            if last.kind == BlockKind::Paragraph && looks_like_signature(source.slice(&last.range))
            {
                last.kind = BlockKind::Signature;
            }
        }
    }
    if diagnostics.is_empty() {
        Ok(Layout {
            title: TitleLine {
                number,
                range: title_range,
            },
            blocks,
            notes: note_lines,
        })
    } else {
        Err(diagnostics)
    }
}

/// A signature is a short line of capitalised words without sentence punctuation: "Unger",
/// "William P. Rogers".
fn looks_like_signature(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 4
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && !text.ends_with([':', ';', ',', '?', '!'])
        && !text.contains('[')
        && !text.chars().any(|c| c.is_ascii_digit())
        // A full stop only after an initial ("William P.").
        && (!text.ends_with('.') || words.last().is_some_and(|w| w.len() <= 2))
}

pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn layout(text: &str) -> Result<Layout, Vec<Diagnostic>> {
        parse_layout(&SourceText::new(Path::new("t.txt"), text.to_string()))
    }

    #[test]
    fn finds_title_subject_dateline_paragraphs_signature_and_notes() {
        let l = layout("7. Telegram From A to B1\n\n  • Things\nParis, May 2, 1973.\nOne.\nTwo.\nSmith\n  1. Source: X.\n").unwrap();
        assert_eq!(l.title.number, 7);
        let kinds: Vec<BlockKind> = l.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::Subject,
                BlockKind::Dateline,
                BlockKind::Paragraph,
                BlockKind::Paragraph,
                BlockKind::Signature
            ]
        );
        assert_eq!(l.notes.len(), 1);
    }

    #[test]
    fn rejects_missing_title_and_misnumbered_notes() {
        let e = layout("Memorandum without number\n").unwrap_err();
        assert!(e[0].message.contains("expected a title line"), "{}", e[0]);
        let e = layout("1. T\nText.\n  1. A\n  3. B\n").unwrap_err();
        assert_eq!(e[0].location.line, 4);
        assert!(e[0].message.contains("note numbered 3 where note 2"));
        let e = layout("\n\n").unwrap_err();
        assert!(e[0].message.starts_with("empty source"));
    }
}

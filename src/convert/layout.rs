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
    /// The document number printed before the title, if it is printed.
    pub number: Option<u32>,
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
    /// A short line of the opener before the dateline: `SNIE 14.2–69`, `Memo No. 631–79`.
    OpenerLine,
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
    /// Its number as printed (`"1"`; `"0"` for a source note some volumes number 0; `"*"` for an
    /// unnumbered note).
    pub label: String,
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
    /// What did not fit the expected form and was read as well as it could be.
    pub warnings: Vec<Diagnostic>,
}

static TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,6})\.\s+\S").expect("title pattern"));
static NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s+(\d{1,4}\.|\*{1,3}\.?)\s+(\S.*?)\s*$").expect("note pattern")
});
/// A dateline: an optional place of one to three parts (`San Clemente, California`, `[place
/// not declassified]`), a date (`June 23, 1961`, `January 29–30, 1954`) or `undated`, an
/// optional time (`, 4 p.m.`, `—3:43 p.m.`, `, 1119Z`, `, 10:30 a.m.–5:05 p.m.`, `, midnight`),
/// an optional final full stop.
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    let place = r"[\p{L}\[][\p{L}\[\]().’' -]{0,60}";
    let month = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)";
    let time = r"(?:\d{1,2}(?::\d{2})?\s?[ap]\.\s?m\.?|\d{4}\s?Z|midnight|noon)";
    Regex::new(&format!(
        r"^(?:{place}(?:, {place}){{0,2}}, )?(?:{month} \d{{1,2}}(?:\s?[–-]\s?\d{{1,2}})?, \d{{4}}|[Uu]ndated)(?:(?:, |\s?[—–]\s?|\s)(?:{time})(?:\s?[–-]\s?{time})?)?\.?$"
    ))
    .expect("dateline pattern")
});
/// How many lines before the dateline can belong to the opener (`SNIE 14.2–69`).
const OPENER_LINES_BEFORE_DATELINE: usize = 2;

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
    let number = TITLE
        .captures(title_text)
        .and_then(|c| c[1].parse::<u32>().ok());
    if number.is_none() {
        diagnostics.push(Diagnostic::warning(
            source.location(title_range.start),
            format!(
                "expected a title line such as `59. Memorandum From … to …` (document number, full stop, title), found `{}`; the line is taken as the title as it stands",
                truncate(title_text, 60)
            ),
        ));
    }

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
                    label: num.as_str().trim_end_matches('.').to_string(),
                    number_offset: line.start + num.start(),
                    range: line.start + text.start()..line.start + text.end(),
                });
                body_end = i;
            }
            None => break,
        }
    }
    note_lines.reverse();
    check_note_numbers(source, &note_lines, &mut diagnostics);

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
    mark_opener(source, &mut blocks);
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
    Ok(Layout {
        title: TitleLine {
            number,
            range: title_range,
        },
        blocks,
        notes: note_lines,
        warnings: diagnostics,
    })
}

/// Numbered notes run 1, 2, 3… or, where a volume numbers the source note 0, 0, 1, 2…; notes
/// marked `*` stand anywhere. Anything else is kept as numbered, with a warning.
fn check_note_numbers(source: &SourceText, notes: &[NoteText], warnings: &mut Vec<Diagnostic>) {
    let numbered: Vec<(&NoteText, u32)> = notes
        .iter()
        .filter_map(|n| n.label.parse::<u32>().ok().map(|v| (n, v)))
        .collect();
    let first = numbered.first().map_or(1, |(_, v)| (*v).min(1));
    for (i, (note, value)) in numbered.iter().enumerate() {
        let expected = first + i as u32;
        if *value != expected {
            warnings.push(Diagnostic::warning(
                source.location(note.number_offset),
                format!(
                    "note numbered {value} where note {expected} was expected; notes run 1, 2, 3, … (or 0, 1, 2, … where the source note is 0) in the list at the end; kept with its own number"
                ),
            ));
            return;
        }
    }
}

/// Finds the dateline among the first lines (after any subject lines) and marks the short lines
/// before it as part of the opener.
fn mark_opener(source: &SourceText, blocks: &mut [Block]) {
    let candidates: Vec<usize> = blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| b.kind != BlockKind::Subject)
        .map(|(i, _)| i)
        .take(OPENER_LINES_BEFORE_DATELINE + 1)
        .collect();
    let Some(position) = candidates
        .iter()
        .position(|&i| is_dateline(source.slice(&blocks[i].range)))
    else {
        return;
    };
    let before = &candidates[..position];
    if before
        .iter()
        .all(|&i| looks_like_opener_line(source.slice(&blocks[i].range)))
    {
        for &i in before {
            blocks[i].kind = BlockKind::OpenerLine;
        }
        blocks[candidates[position]].kind = BlockKind::Dateline;
    }
}

/// Whether a line is a dateline (page markers inside it are ignored).
pub fn is_dateline(line: &str) -> bool {
    let without_pages = PAGE_MARKER.replace_all(line, "");
    DATELINE.is_match(without_pages.trim())
}

static PAGE_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*\[\s*[Pp]age\b[^\]\n]*\]\s*").expect("page marker pattern"));

/// A line of the opener before the dateline: short, and not a sentence (`SNIE 14.2–69`,
/// `Memo No. 631–79`, `No. 16`).
fn looks_like_opener_line(text: &str) -> bool {
    text.chars().count() <= 40
        && text.split_whitespace().count() <= 6
        && !text.ends_with([':', ',', ';'])
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
        assert_eq!(l.title.number, Some(7));
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
        assert!(l.warnings.is_empty());
    }

    #[test]
    fn a_missing_title_number_and_misnumbered_notes_are_warnings() {
        let l = layout("Memorandum without number\nText.\n").unwrap();
        assert_eq!(l.title.number, None);
        assert!(
            l.warnings[0].message.contains("expected a title line"),
            "{}",
            l.warnings[0]
        );
        let l = layout("1. T\nText.\n  1. A\n  3. B\n").unwrap();
        assert_eq!(l.warnings[0].location.line, 4);
        assert!(l.warnings[0]
            .message
            .contains("note numbered 3 where note 2"));
        assert_eq!(l.notes[1].label, "3", "kept with its own number");
        let e = layout("\n\n").unwrap_err();
        assert!(e[0].message.starts_with("empty source"));
    }

    #[test]
    fn notes_numbered_from_zero_and_unnumbered_notes() {
        let l = layout("1. T0\nText.1 More*\n  0. Source: X.\n  1. A.\n  * B.\n").unwrap();
        let labels: Vec<&str> = l.notes.iter().map(|n| n.label.as_str()).collect();
        assert_eq!(labels, ["0", "1", "*"]);
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
    }

    #[test]
    fn datelines_in_their_common_forms() {
        for line in [
            "Washington, June 23, 1961, 4 p.m.",
            "Washington, June 23, 1961, 4 p.m",
            "Washington, undated.",
            "June 23, 1961.",
            "Bangkok, January 14, 1969, 1119Z.",
            "Washington, December 23, 1955—3:43 p.m.",
            "Camp David, May 22, 1973, 10:30 a.m.–5:05 p.m.",
            "San Clemente, California, August 25, 1969.",
            "[place not declassified], January 29-30, 1954.",
            "Saigon, October 20, 1961, midnight.",
            "Kathmandu, August 5, 1977, 0550Z",
        ] {
            assert!(is_dateline(line), "{line}");
        }
        for line in [
            "Washington, June 23, 1961. The Secretary called.",
            "On June 23, 1961, the President said so.",
            "He arrived May 2, 1973.",
        ] {
            assert!(!is_dateline(line), "{line}");
        }
    }

    #[test]
    fn opener_lines_before_the_dateline() {
        let l =
            layout("1. T1\nSNIE 14.2–69\nWashington, January 30, 1969.\nText.\n  1. Source: X.\n")
                .unwrap();
        let kinds: Vec<BlockKind> = l.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::OpenerLine,
                BlockKind::Dateline,
                BlockKind::Paragraph
            ]
        );
    }
}

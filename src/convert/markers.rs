//! Page markers (`[Page 287]`) and note reference numbers (`Tho.2`) inside lines of text.
//!
//! A line is cut into [`Piece`]s: runs of text, page markers and note references, each with
//! its byte range in the source so that every later message can point at it.
//!
//! Note references are recognised by position and sequence, not by shape alone: a number is a
//! reference only when it is glued to the end of a word or punctuation mark ("Nixon1",
//! "Tho.2", "January,3"), is followed by a space or the end of the line, and is the next
//! number expected. So "Article 20", "60 days", "Box 114", "June 6" and "1973" stay text.

use super::layout::truncate;
use super::source::SourceText;
use crate::diagnostic::Diagnostic;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// A page number as printed: arabic ("287") or roman ("XXIII").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageNumber {
    /// As printed.
    pub label: String,
    /// Its value, for ordering.
    pub value: u32,
    /// Whether it is a roman numeral (front matter).
    pub roman: bool,
}

impl PageNumber {
    /// Parses "287" or "xxiii"/"XXIII".
    ///
    /// ```
    /// use teikit::convert::PageNumber;
    /// assert_eq!(PageNumber::parse("287").unwrap().value, 287);
    /// assert_eq!(PageNumber::parse("XIV").unwrap().value, 14);
    /// assert!(PageNumber::parse("28a").is_none());
    /// ```
    pub fn parse(label: &str) -> Option<Self> {
        if let Ok(value) = label.parse::<u32>() {
            return Some(PageNumber {
                label: label.to_string(),
                value,
                roman: false,
            });
        }
        roman_value(label).map(|value| PageNumber {
            label: label.to_string(),
            value,
            roman: true,
        })
    }

    /// The page before this one, for documents that begin on the page before their first marker.
    pub fn previous(&self) -> Option<PageNumber> {
        if self.roman || self.value <= 1 {
            return None;
        }
        let value = self.value - 1;
        Some(PageNumber {
            label: value.to_string(),
            value,
            roman: false,
        })
    }
}

fn roman_value(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 15 {
        return None;
    }
    let digit = |c: char| match c.to_ascii_uppercase() {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        'D' => Some(500),
        'M' => Some(1000),
        _ => None,
    };
    let values: Option<Vec<u32>> = s.chars().map(digit).collect();
    let values = values?;
    let mut total = 0;
    for (i, v) in values.iter().enumerate() {
        if values.get(i + 1).is_some_and(|next| next > v) {
            total -= *v as i64;
        } else {
            total += *v as i64;
        }
    }
    u32::try_from(total).ok().filter(|v| *v > 0)
}

/// A run of text, a page marker or a note reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text to encode.
    Text(Range<usize>),
    /// A page marker.
    Page {
        /// The page that begins here.
        number: PageNumber,
        /// The marker in the source.
        range: Range<usize>,
    },
    /// A reference to a note.
    NoteRef {
        /// The note's number.
        number: u32,
        /// The digits in the source.
        range: Range<usize>,
    },
}

static PAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[\s*[Pp]age\b([^\]\n]*)\]|\[\s*[Pp]age\b[^\]\n]*$").expect("page pattern")
});

/// Cuts lines into pieces while tracking page and note sequence across the whole document.
#[derive(Debug)]
pub struct MarkerScanner<'s> {
    source: &'s SourceText,
    note_count: u32,
    next_note: u32,
    last_page: Option<(PageNumber, usize)>,
    /// Problems found so far.
    pub diagnostics: Vec<Diagnostic>,
    /// Gaps in the page sequence (warnings).
    pub warnings: Vec<Diagnostic>,
}

impl<'s> MarkerScanner<'s> {
    /// A scanner for a document with `note_count` notes at its end.
    pub fn new(source: &'s SourceText, note_count: u32) -> Self {
        MarkerScanner {
            source,
            note_count,
            next_note: 1,
            last_page: None,
            diagnostics: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The number of note references found so far.
    pub fn references_found(&self) -> u32 {
        self.next_note - 1
    }

    /// Cuts the line at `range` into pieces.
    pub fn scan(&mut self, range: Range<usize>) -> Vec<Piece> {
        let text = self.source.slice(&range);
        let mut pieces = Vec::new();
        let mut cursor = 0;
        for m in PAGE.captures_iter(text) {
            let whole = m.get(0).expect("match");
            self.scan_text(
                range.start + cursor,
                range.start + whole.start(),
                &mut pieces,
            );
            let marker = range.start + whole.start()..range.start + whole.end();
            let label = m.get(1).map(|g| g.as_str().trim()).unwrap_or("");
            match PageNumber::parse(label).filter(|_| whole.as_str().ends_with(']')) {
                Some(number) => {
                    self.check_page_order(&number, marker.start);
                    pieces.push(Piece::Page {
                        number,
                        range: marker,
                    });
                }
                None => self.diagnostics.push(Diagnostic::error(
                    self.source.location(marker.start),
                    format!(
                        "malformed page marker `{}`; expected `[Page N]` with an arabic or roman page number",
                        truncate(whole.as_str(), 30)
                    ),
                )),
            }
            cursor = whole.end();
        }
        self.scan_text(range.start + cursor, range.end, &mut pieces);
        pieces
    }

    fn check_page_order(&mut self, number: &PageNumber, offset: usize) {
        if let Some((last, last_offset)) = &self.last_page {
            let here = self.source.location(offset);
            let before = self.source.location(*last_offset);
            if number.roman == last.roman && number.value == last.value {
                self.diagnostics.push(Diagnostic::error(
                    here,
                    format!(
                        "duplicate page marker [Page {}]; page {} already began at {}:{}",
                        number.label, last.label, before.line, before.column
                    ),
                ));
            } else if number.roman == last.roman && number.value < last.value {
                self.diagnostics.push(Diagnostic::error(
                    here,
                    format!(
                        "page marker [Page {}] out of order: it follows [Page {}] (at {}:{}); expected page {}",
                        number.label,
                        last.label,
                        before.line,
                        before.column,
                        last.value + 1
                    ),
                ));
            } else if number.roman == last.roman && number.value > last.value + 1 {
                self.warnings.push(Diagnostic::warning(
                    here,
                    format!(
                        "page marker [Page {}] skips pages after [Page {}]",
                        number.label, last.label
                    ),
                ));
            }
        }
        self.last_page = Some((number.clone(), offset));
    }

    /// Splits text between markers into text and note references.
    fn scan_text(&mut self, start: usize, end: usize, pieces: &mut Vec<Piece>) {
        let text = self.source.slice(&(start..end));
        let mut text_start = 0;
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            if !chars[i].1.is_ascii_digit() {
                i += 1;
                continue;
            }
            let run_start = i;
            while i < chars.len() && chars[i].1.is_ascii_digit() {
                i += 1;
            }
            let (from, to) = (chars[run_start].0, chars.get(i).map_or(text.len(), |c| c.0));
            let before = run_start.checked_sub(1).map(|j| chars[j].1);
            let before2 = run_start.checked_sub(2).map(|j| chars[j].1);
            let after = chars.get(i).map(|c| c.1);
            if !is_reference_position(before, before2, after) {
                continue;
            }
            let Ok(number) = text[from..to].parse::<u32>() else {
                continue;
            };
            if number != self.next_note {
                continue;
            }
            if number > self.note_count {
                self.diagnostics.push(Diagnostic::error(
                    self.source.location(start + from),
                    format!(
                        "note reference {number} has no note: the list at the end has {} note(s); expected a line `  {number}. …` there",
                        self.note_count
                    ),
                ));
            }
            self.next_note += 1;
            if from > text_start {
                pieces.push(Piece::Text(start + text_start..start + from));
            }
            pieces.push(Piece::NoteRef {
                number,
                range: start + from..start + to,
            });
            text_start = to;
        }
        if text.len() > text_start {
            pieces.push(Piece::Text(start + text_start..end));
        }
    }
}

/// Whether digits between `before` and `after` stand where a note reference is printed: glued to
/// a word or closing punctuation, and followed by a space or the end of the line.
fn is_reference_position(before: Option<char>, before2: Option<char>, after: Option<char>) -> bool {
    let glued = match before {
        Some(c) if c.is_alphabetic() => true,
        // "1.5" and "45,000" are numbers, not "word.5".
        Some('.' | ',') => !before2.is_some_and(|c| c.is_ascii_digit()),
        Some(';' | ':' | '’' | '”' | '"' | ')' | ']' | '?' | '!') => true,
        _ => false,
    };
    glued && after.is_none_or(|c| c.is_whitespace() || c == '[')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn scan(text: &str, notes: u32) -> (Vec<Piece>, MarkerScanner<'static>) {
        let source: &'static SourceText = Box::leak(Box::new(SourceText::new(
            Path::new("t.txt"),
            text.to_string(),
        )));
        let mut scanner = MarkerScanner::new(source, notes);
        let pieces = scanner.scan(0..text.len());
        (pieces, scanner)
    }

    #[test]
    fn note_references_are_glued_and_sequential() {
        let (pieces, s) = scan(
            "Tho.2 no; Nixon1 and January,2 Article 20, 60 days 1973.",
            2,
        );
        let refs: Vec<u32> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::NoteRef { number, .. } => Some(*number),
                _ => None,
            })
            .collect();
        assert_eq!(refs, [1, 2]);
        assert!(s.diagnostics.is_empty());
    }

    #[test]
    fn page_markers_inside_words_and_between_words() {
        let (pieces, _) = scan("impor[Page 4]tant and [Page 5] more", 0);
        assert!(matches!(&pieces[1], Piece::Page { number, .. } if number.value == 4));
        assert_eq!(pieces.len(), 5);
    }

    #[test]
    fn disordered_duplicate_and_malformed_markers_are_errors() {
        let (_, s) = scan("a [Page 5] b [Page 4] c [Page 4] d [Page x7]", 0);
        let messages: Vec<&str> = s.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert!(messages[0].contains("out of order"), "{messages:?}");
        assert!(messages[1].contains("duplicate"), "{messages:?}");
        assert!(messages[2].contains("malformed"), "{messages:?}");
    }

    #[test]
    fn reference_without_note_is_an_error() {
        let (_, s) = scan("He said so.1 Then", 0);
        assert!(s.diagnostics[0].message.contains("has no note"));
        assert_eq!(s.diagnostics[0].location.column, 12);
    }

    #[test]
    fn roman_numbers() {
        assert_eq!(PageNumber::parse("XXIII").unwrap().value, 23);
        assert_eq!(PageNumber::parse("iv").unwrap().value, 4);
        assert_eq!(
            PageNumber::parse("287").unwrap().previous().unwrap().label,
            "286"
        );
    }
}

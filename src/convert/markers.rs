//! Page markers (`[Page 287]`) and note reference numbers (`Tho.2`) inside lines of text.
//!
//! A line is cut into [`Piece`]s: runs of text, page markers and note references, each with
//! its byte range in the source so that every later message can point at it.
//!
//! Note references are recognised by position and sequence, not by shape alone
//! ([`note_refs`]): a number is a reference only where it is glued to what precedes it
//! ("Nixon1", "Tho.2", "January,3", "State 122979.3", "July 19712") and the notes' order allows
//! it there. So "Article 20", "60 days", "Box 114", "June 6" and "1973" stay text.

use super::layout::truncate;
use super::note_refs::{self, Labels};
use super::source::SourceText;
use crate::base::diagnostic::Diagnostic;
pub use crate::base::pages::PageNumber;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

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
        /// Whether the same page began before (the page break then gets an id of its own).
        repeated: u32,
    },
    /// A reference to a note.
    NoteRef {
        /// The note's index in the list at the end.
        note: usize,
        /// The reference's characters in the source.
        range: Range<usize>,
    },
}

static PAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[\s*[Pp]age\b([^\]\n]*)\]|\[\s*[Pp]age\b[^\]\n]*$").expect("page pattern")
});

/// Cuts the lines of a document into pieces: page markers checked for order, note references
/// placed in sequence across the whole document ([`note_refs`]).
///
/// Nothing here stops a conversion: a marker out of order, a malformed marker and a note whose
/// reference cannot be found are warnings, and the text stays as it is.
#[derive(Debug)]
pub struct MarkerScanner<'s> {
    source: &'s SourceText,
    note_labels: Vec<&'s str>,
    last_page: Option<(PageNumber, usize)>,
    pages_seen: Vec<(PageNumber, usize)>,
    /// Problems found (markers out of order, malformed markers), as warnings.
    pub warnings: Vec<Diagnostic>,
    /// The notes whose reference was not found, by index.
    pub unplaced: Vec<usize>,
}

/// A line cut at its page markers, before the note references are placed.
enum Segment {
    Text(Range<usize>),
    Page(Piece),
}

impl<'s> MarkerScanner<'s> {
    /// A scanner for a document whose notes carry `note_labels` (`"1"`, `"0"`, `"*"`…), in order.
    pub fn new(source: &'s SourceText, note_labels: Vec<&'s str>) -> Self {
        MarkerScanner {
            source,
            note_labels,
            last_page: None,
            pages_seen: Vec::new(),
            warnings: Vec::new(),
            unplaced: Vec::new(),
        }
    }

    /// Cuts every line of the document (title first, in source order) into pieces.
    pub fn scan_document(&mut self, lines: &[Range<usize>]) -> Vec<Vec<Piece>> {
        let segmented: Vec<Vec<Segment>> = lines.iter().map(|r| self.segments(r.clone())).collect();
        let labels = Labels::new(self.note_labels.iter().copied());
        let mut found = Vec::new();
        for segment in segmented.iter().flatten() {
            if let Segment::Text(range) = segment {
                found.extend(note_refs::candidates(
                    self.source.slice(range),
                    range.start,
                    &labels,
                ));
            }
        }
        let placed = note_refs::place(&found, self.note_labels.len());
        let mut references: Vec<(Range<usize>, usize)> = placed
            .iter()
            .enumerate()
            .filter_map(|(note, r)| r.clone().map(|r| (r, note)))
            .collect();
        references.sort_by_key(|(r, _)| r.start);
        self.unplaced = (0..placed.len()).filter(|&i| placed[i].is_none()).collect();
        let mut next = references.into_iter().peekable();
        segmented
            .into_iter()
            .map(|segments| {
                let mut pieces = Vec::new();
                for segment in segments {
                    match segment {
                        Segment::Page(piece) => pieces.push(piece),
                        Segment::Text(range) => {
                            let mut cursor = range.start;
                            while let Some((r, note)) = next.next_if(|(r, _)| r.end <= range.end) {
                                if r.start > cursor {
                                    pieces.push(Piece::Text(cursor..r.start));
                                }
                                cursor = r.end;
                                pieces.push(Piece::NoteRef { note, range: r });
                            }
                            if range.end > cursor {
                                pieces.push(Piece::Text(cursor..range.end));
                            }
                        }
                    }
                }
                pieces
            })
            .collect()
    }

    /// Cuts a line at its page markers.
    fn segments(&mut self, range: Range<usize>) -> Vec<Segment> {
        let text = self.source.slice(&range);
        let mut segments = Vec::new();
        let mut cursor = 0;
        for m in PAGE.captures_iter(text) {
            let whole = m.get(0).expect("match");
            let marker = range.start + whole.start()..range.start + whole.end();
            let label = m.get(1).map(|g| g.as_str().trim()).unwrap_or("");
            match PageNumber::parse(label).filter(|_| whole.as_str().ends_with(']')) {
                Some(number) => {
                    if whole.start() > cursor {
                        segments.push(Segment::Text(range.start + cursor..marker.start));
                    }
                    let repeated = self.check_page_order(&number, marker.start);
                    segments.push(Segment::Page(Piece::Page {
                        number,
                        range: marker,
                        repeated,
                    }));
                    cursor = whole.end();
                }
                // Kept as text: the words of the source are never dropped.
                None => self.warnings.push(Diagnostic::warning(
                    self.source.location(marker.start),
                    format!(
                        "malformed page marker `{}` kept as text; expected `[Page N]` with an arabic or roman page number",
                        truncate(whole.as_str(), 30)
                    ),
                )),
            }
        }
        if text.len() > cursor {
            segments.push(Segment::Text(range.start + cursor..range.end));
        }
        segments
    }

    /// Checks a marker against the one before; returns how often the page began already.
    fn check_page_order(&mut self, number: &PageNumber, offset: usize) -> u32 {
        let here = self.source.location(offset);
        let repeated = self
            .pages_seen
            .iter()
            .filter(|(p, _)| p.roman == number.roman && p.value == number.value)
            .count() as u32;
        if let Some((last, last_offset)) = &self.last_page {
            let before = self.source.location(*last_offset);
            if repeated > 0 {
                self.warnings.push(Diagnostic::warning(
                    here,
                    format!(
                        "duplicate page marker [Page {}]; page {} already began at {}:{}; kept, with an id of its own",
                        number.label, number.label, before.line, before.column
                    ),
                ));
            } else if number.roman == last.roman && number.value < last.value {
                self.warnings.push(Diagnostic::warning(
                    here,
                    format!(
                        "page marker [Page {}] out of order: it follows [Page {}] (at {}:{}); expected page {}; kept where it stands",
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
        self.pages_seen.push((number.clone(), offset));
        repeated
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn scan(text: &str, labels: &[&'static str]) -> (Vec<Piece>, Vec<Diagnostic>, Vec<usize>) {
        let source = SourceText::new(Path::new("t.txt"), text.to_string());
        let mut scanner = MarkerScanner::new(&source, labels.to_vec());
        let whole_line = 0..text.len();
        let mut pieces = scanner.scan_document(std::slice::from_ref(&whole_line));
        (pieces.remove(0), scanner.warnings, scanner.unplaced)
    }

    fn notes(pieces: &[Piece]) -> Vec<usize> {
        pieces
            .iter()
            .filter_map(|p| match p {
                Piece::NoteRef { note, .. } => Some(*note),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn note_references_are_glued_and_sequential() {
        let (pieces, warnings, unplaced) = scan(
            "Tho.2 no; Nixon1 and January,2 Article 20, 60 days 1973.",
            &["1", "2"],
        );
        assert_eq!(notes(&pieces), [0, 1]);
        assert!(warnings.is_empty() && unplaced.is_empty());
    }

    #[test]
    fn page_markers_inside_words_and_between_words() {
        let (pieces, _, _) = scan("impor[Page 4]tant and [Page 5] more", &[]);
        assert!(matches!(&pieces[1], Piece::Page { number, .. } if number.value == 4));
        assert_eq!(pieces.len(), 5);
    }

    #[test]
    fn disordered_duplicate_and_malformed_markers_are_warnings_and_nothing_is_lost() {
        let text = "a [Page 5] b [Page 4] c [Page 4] d [Page x7]";
        let (pieces, warnings, _) = scan(text, &[]);
        let messages: Vec<&str> = warnings.iter().map(|d| d.message.as_str()).collect();
        assert!(messages[0].contains("out of order"), "{messages:?}");
        assert!(messages[1].contains("duplicate"), "{messages:?}");
        assert!(messages[2].contains("malformed"), "{messages:?}");
        assert!(
            matches!(&pieces[5], Piece::Page { repeated: 1, .. }),
            "{pieces:?}"
        );
        let Piece::Text(last) = pieces.last().expect("pieces") else {
            panic!("{pieces:?}")
        };
        assert_eq!(&text[last.clone()], " d [Page x7]");
    }

    #[test]
    fn a_note_whose_reference_is_missing_is_reported_unplaced() {
        let (pieces, _, unplaced) = scan("He said so.1 Then3 more", &["1", "2", "3"]);
        assert_eq!(notes(&pieces), [0, 2]);
        assert_eq!(unplaced, [1]);
    }
}

//! Where each note is referenced: the note numbers printed in the text, placed in sequence.
//!
//! FRUS prints a note reference as the note's number glued to what precedes it: a word
//! (`Nixon1`), punctuation (`Tho.2`, `(Guat 046),3`), and also a number, with or without
//! punctuation between them: `State 122979.3`, `October 28,6`, `July 19712`, `November 262`,
//! `Embtel 10432)`. Where a number precedes, the digits alone cannot say where the number ends
//! and the reference begins, so the text is read as an editor reads it:
//!
//! 1. **Candidates.** Every place where a note's number can stand, each with a strength: glued to
//!    a word or punctuation is [`Strength::Glued`]; after a number and punctuation
//!    (`21969.2`) is [`Strength::AfterNumber`]; cut from the end of a longer number
//!    (`19712` → `1971` + `2`) is [`Strength::Split`]. The last two count only where the number
//!    left before the reference stays plausible: a year of the period (1700–2099), a day of the
//!    month named just before it, or an identifier after a word that introduces one (`State`,
//!    `Embtel`, `DIR`, `telegram`, `Document`, also through a list: `Contels 110, 114, 1154`).
//! 2. **Sequence.** The notes run in the order of the list at the end, so the references must
//!    too. Of all the ways to choose at most one candidate per note with both positions and note
//!    order increasing, the one that places the most notes wins, then the one with the strongest
//!    candidates, then the earliest. A weak candidate is therefore taken only where no stronger
//!    one fits the sequence: `1973` stays a year unless a note's reference can stand nowhere else.
//! 3. **What is left.** A note that no candidate places is reported by the caller and kept at the
//!    end of its document; nothing is lost.
//!
//! The choice is a longest chain under two orders, solved in O(C log N) for C candidates and N
//! notes with a Fenwick tree of prefix maxima, so hostile input cannot make it quadratic.

use std::collections::HashMap;
use std::ops::Range;

/// How sure a candidate is, from how its digits stand in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Cut from the end of a longer number: `19712`, `November 262`, `LINC 3214`.
    Split = 1,
    /// After a number and punctuation: `DIR 21969.2`, `October 28,6`.
    AfterNumber = 2,
    /// Glued to a word or punctuation: `Nixon1`, `Tho.2`, `said:*`.
    Glued = 4,
}

/// A place where a note's reference can stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The note's index in the list at the end.
    pub note: usize,
    /// The reference's characters in the source.
    pub range: Range<usize>,
    /// How it stands.
    pub strength: Strength,
}

/// The notes' labels, for looking up digits and asterisks found in the text.
#[derive(Debug, Default)]
pub struct Labels<'a> {
    by_label: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Labels<'a> {
    /// Indexes the labels of the notes, in list order (`"1"`, `"0"`, `"*"`…).
    pub fn new(labels: impl IntoIterator<Item = &'a str>) -> Self {
        let mut by_label: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, label) in labels.into_iter().enumerate() {
            by_label.entry(label).or_default().push(i);
        }
        Labels { by_label }
    }

    fn get(&self, label: &str) -> &[usize] {
        self.by_label.get(label).map_or(&[], Vec::as_slice)
    }
}

/// Collects the candidates in `text`, which stands at byte `base` of the source.
///
/// ```
/// use teikit::convert::note_refs::{candidates, Labels, Strength};
/// let labels = Labels::new(["1", "2"]);
/// let found = candidates("Embtel 1945.2 and Nixon1 said", 0, &labels);
/// assert_eq!(found.len(), 2);
/// assert_eq!(found[0].note, 1);
/// assert_eq!(found[0].strength, Strength::AfterNumber);
/// assert_eq!(found[1].strength, Strength::Glued);
/// ```
pub fn candidates(text: &str, base: usize, labels: &Labels) -> Vec<Candidate> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if !(c.is_ascii_digit() || c == b'*') {
            i += 1;
            continue;
        }
        let start = i;
        let same_kind = |b: u8| {
            if c == b'*' {
                b == b'*'
            } else {
                b.is_ascii_digit()
            }
        };
        while i < bytes.len() && same_kind(bytes[i]) {
            i += 1;
        }
        let end = i;
        let after = text[end..].chars().next();
        if !after.is_none_or(may_follow_reference) {
            continue;
        }
        let run = &text[start..end];
        let before = text[..start].chars().next_back();
        let before2 = text[..start].chars().rev().nth(1);
        let mut push = |from: usize, strength: Strength| {
            for &note in labels.get(&text[from..end]) {
                found.push(Candidate {
                    note,
                    range: base + from..base + end,
                    strength,
                });
            }
        };
        if c == b'*' {
            if before.is_some_and(|b| b.is_alphabetic() || is_closing_punctuation(b)) {
                push(start, Strength::Glued);
            }
            continue;
        }
        // The whole run of digits as the reference.
        match (before, before2) {
            (Some(b), _) if b.is_alphabetic() => push(start, Strength::Glued),
            (Some('.' | ',' | ';' | ':'), Some(d)) if d.is_ascii_digit() => {
                let number_start = start
                    - 1
                    - text.as_bytes()[..start - 1]
                        .iter()
                        .rev()
                        .take_while(|b| b.is_ascii_digit())
                        .count();
                let number = &text[number_start..start - 1];
                if plausible_number(text, number_start, number) {
                    push(start, Strength::AfterNumber);
                }
            }
            (Some(b), _) if is_closing_punctuation(b) || b == '.' || b == ',' => {
                push(start, Strength::Glued)
            }
            _ => {}
        }
        // A suffix of the run as the reference, the rest a number that stays plausible.
        for cut in start + 1..end {
            let suffix = &text[cut..end];
            if suffix.len() > 1 && suffix.starts_with('0') {
                continue;
            }
            if labels.get(suffix).is_empty() {
                continue;
            }
            if plausible_number(text, start, &run[..cut - start]) {
                push(cut, Strength::Split);
            }
        }
    }
    found
}

/// What may follow a reference: the end of the line, a space, a page marker, a closing bracket.
fn may_follow_reference(c: char) -> bool {
    c.is_whitespace() || matches!(c, '[' | ')' | ']')
}

fn is_closing_punctuation(c: char) -> bool {
    matches!(c, ';' | ':' | '’' | '”' | '"' | ')' | ']' | '?' | '!')
}

/// Lower-case words after which a number is an identifier (of a telegram, a document…).
const IDENTIFIER_WORDS: &[&str] = &[
    "telegram",
    "telegrams",
    "cable",
    "cables",
    "airgram",
    "airgrams",
    "despatch",
    "dispatch",
    "memorandum",
    "document",
    "documents",
    "letter",
    "message",
    "no",
    "nos",
    "number",
    "numbers",
    "tel",
    "tels",
    "reftel",
    "reftels",
    "deptel",
    "deptels",
    "embtel",
    "embtels",
    "contel",
    "contels",
    // Cable-ese for "your telegram", "our telegram", "my telegram", a circular telegram.
    "urtel",
    "urtels",
    "ourtel",
    "ourtels",
    "mytel",
    "mytels",
    "yourtel",
    "circtel",
    "circular",
    "instruction",
    "report",
    // "your 1234", "my 3184": the telegrams of the two posts, as cables cite them.
    "my",
    "your",
    "our",
    "paragraph",
    "paragraphs",
    "para",
    "paras",
];

/// Capitalised words that begin sentences rather than introduce identifiers.
const FUNCTION_WORDS: &[&str] = &[
    "In",
    "On",
    "At",
    "By",
    "The",
    "Of",
    "For",
    "From",
    "To",
    "After",
    "Before",
    "Since",
    "Until",
    "About",
    "Some",
    "All",
    "And",
    "But",
    "Or",
    "With",
    "Within",
    "Over",
    "Under",
    "Only",
    "About",
    "Around",
    "Nearly",
    "Almost",
    "Approximately",
    "Between",
    "During",
    "Each",
    "Every",
    "Of",
    "Per",
    "Page",
    "Pages",
    "Paragraph",
    "Para",
    "Article",
    "Section",
    "Chapter",
    "Part",
    "Item",
    "Point",
    "Table",
    "Annex",
    "Appendix",
    "Volume",
    "Box",
    "Folder",
];

/// Whether `number`, which starts at byte `at` of `text`, stays a plausible number once a note
/// reference is read after it: a year of the period, a day of the month named before it, or an
/// identifier introduced by the word before it.
fn plausible_number(text: &str, at: usize, number: &str) -> bool {
    if number.is_empty() {
        return false;
    }
    if number.len() == 4 && matches!(number.parse::<u32>(), Ok(1700..=2099)) {
        return true;
    }
    let word = word_before_number(&text[..at]);
    if let Some(month) = super::dates::MONTHS.iter().position(|m| {
        word.trim_end_matches('.').len() >= 3 && m.starts_with(word.trim_end_matches('.'))
    }) {
        let longest = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month];
        return !number.starts_with('0')
            && number
                .parse::<u32>()
                .is_ok_and(|d| (1..=longest).contains(&d));
    }
    // A possessive names the post whose telegram it is: "London's 2417".
    let bare = word
        .trim_end_matches('.')
        .trim_end_matches("'s")
        .trim_end_matches("’s");
    let capitalised = bare.chars().next().is_some_and(char::is_uppercase)
        && bare
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '/')
        && !FUNCTION_WORDS.contains(&bare);
    capitalised || IDENTIFIER_WORDS.contains(&word.trim_end_matches('.').to_lowercase().as_str())
}

/// The word before a number, looking back through a list of numbers (`Contels 110, 114, `) and a
/// list marker (`(B) `).
fn word_before_number(before: &str) -> &str {
    let mut rest = before;
    loop {
        let trimmed = rest.trim_end();
        if trimmed.len() == rest.len() && !rest.is_empty() {
            // Glued to what precedes: no word stands before it.
            return "";
        }
        let word_start = trimmed
            .rfind(|c: char| c.is_whitespace() || c == '(')
            .map_or(0, |k| {
                k + trimmed[k..].chars().next().map_or(1, char::len_utf8)
            });
        let word = &trimmed[word_start..];
        let bare = word.trim_end_matches([',', ';']);
        let is_number = !bare.is_empty() && bare.chars().all(|c| c.is_ascii_digit());
        if (is_number && word.len() > bare.len()) || word == "and" {
            rest = &trimmed[..word_start];
            continue;
        }
        return word.trim_start_matches('(');
    }
}

/// Chooses at most one candidate per note so that references run in note order, placing as many
/// notes as possible, with the strongest candidates, as early as possible. Returns, per note,
/// where its reference stands (or `None`).
///
/// ```
/// use teikit::convert::note_refs::{place, Candidate, Strength::*};
/// let c = |note, at: usize, strength| Candidate { note, range: at..at + 1, strength };
/// // Note 0 glued at 10, note 1 only as a split at 5 or glued at 20: the sequence picks 20.
/// let placed = place(&[c(1, 5, Split), c(0, 10, Glued), c(1, 20, Glued)], 2);
/// assert_eq!(placed, vec![Some(10..11), Some(20..21)]);
/// ```
pub fn place(candidates: &[Candidate], note_count: usize) -> Vec<Option<Range<usize>>> {
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by_key(|&i| (candidates[i].range.start, candidates[i].note));
    // Candidates enter the tree once the text has passed their end, so that a chain never holds
    // two overlapping references.
    let mut by_end: Vec<usize> = order.clone();
    by_end.sort_by_key(|&i| candidates[i].range.end);
    let mut tree = PrefixMax::new(note_count);
    let mut best: Vec<Score> = vec![Score::default(); candidates.len()];
    let mut previous: Vec<Option<usize>> = vec![None; candidates.len()];
    let mut entered = 0;
    for &i in &order {
        let candidate = &candidates[i];
        while entered < by_end.len()
            && candidates[by_end[entered]].range.end <= candidate.range.start
        {
            let j = by_end[entered];
            tree.raise(candidates[j].note, best[j], j);
            entered += 1;
        }
        let (before, from) = tree.max_below(candidate.note);
        best[i] = Score {
            placed: before.placed + 1,
            strength: before.strength + candidate.strength as u64,
            // Earlier is better: count the positions left after this one.
            earliness: before.earliness
                + (u64::MAX >> 24).saturating_sub(candidate.range.start as u64),
        };
        previous[i] = from;
    }
    let mut placed = vec![None; note_count];
    let mut at = (0..candidates.len()).max_by_key(|&i| (best[i], std::cmp::Reverse(i)));
    while let Some(i) = at {
        placed[candidates[i].note] = Some(candidates[i].range.clone());
        at = previous[i];
    }
    placed
}

/// How good a chain of references is, compared in field order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Score {
    placed: u64,
    strength: u64,
    earliness: u64,
}

/// A Fenwick tree over note indices answering "the best chain ending in a note below k".
struct PrefixMax {
    tree: Vec<(Score, Option<usize>)>,
}

impl PrefixMax {
    fn new(len: usize) -> Self {
        PrefixMax {
            tree: vec![(Score::default(), None); len + 1],
        }
    }

    fn raise(&mut self, note: usize, score: Score, candidate: usize) {
        let mut k = note + 1;
        while k < self.tree.len() {
            if score > self.tree[k].0 {
                self.tree[k] = (score, Some(candidate));
            }
            k += k & k.wrapping_neg();
        }
    }

    /// The best over notes `0..note`.
    fn max_below(&self, note: usize) -> (Score, Option<usize>) {
        let mut best = (Score::default(), None);
        let mut k = note;
        while k > 0 {
            if self.tree[k].0 > best.0 {
                best = self.tree[k];
            }
            k -= k & k.wrapping_neg();
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// For each note, the text before its reference, or "-" where it has none.
    fn before(text: &str, labels: &[&str]) -> Vec<String> {
        let index = Labels::new(labels.iter().copied());
        place(&candidates(text, 0, &index), labels.len())
            .into_iter()
            .map(|r| r.map_or("-".to_string(), |r| text[..r.start].to_string()))
            .collect()
    }

    #[test]
    fn references_glued_to_numbers() {
        assert_eq!(before("Ref: DIR 21969.2 For", &["2"]), ["Ref: DIR 21969."]);
        assert_eq!(
            before("letter of February 7,2 which", &["2"]),
            ["letter of February 7,"]
        );
        assert_eq!(
            before("replying by July 19712 and", &["2"]),
            ["replying by July 1971"]
        );
        assert_eq!(
            before("telegram November 262 told", &["2"]),
            ["telegram November 26"]
        );
        assert_eq!(
            before("(ref Embtel 10432). Then", &["2"]),
            ["(ref Embtel 1043"]
        );
        assert_eq!(
            before("(Contels 110, 114, 1154) and", &["4"]),
            ["(Contels 110, 114, 115"]
        );
        assert_eq!(
            before("(A) Kathmandu 2219;2 (B) State 122979.3", &["2", "3"]),
            [
                "(A) Kathmandu 2219;",
                "(A) Kathmandu 2219;2 (B) State 122979."
            ]
        );
        // The telegram a cable answers, by its cable-ese name: "urtel 2824" and note 5.
        assert_eq!(
            before("whether Lombardo4 (urtel 28245) able convince", &["4", "5"]),
            ["whether Lombardo", "whether Lombardo4 (urtel 2824"]
        );
        assert_eq!(
            before("Study Memorandum 271", &["1"]),
            ["Study Memorandum 27"]
        );
        assert_eq!(
            before("This of this info was. LINC 3214", &["4"]),
            ["This of this info was. LINC 321"]
        );
    }

    #[test]
    fn references_after_the_numbers_of_posts_telegrams_and_paragraphs() {
        assert_eq!(
            before("as in London's 2417.3 the", &["3"]),
            ["as in London's 2417."]
        );
        assert_eq!(
            before("see paragraph 4.27 below", &["27"]),
            ["see paragraph 4."]
        );
        assert_eq!(
            before("answering your 1234.5 I", &["5"]),
            ["answering your 1234."]
        );
    }

    #[test]
    fn numbers_that_are_not_references_stay_numbers() {
        // Nothing plausible is left before the note number.
        assert_eq!(before("an increase of 1.5 percent", &["5"]), ["-"]);
        assert_eq!(before("He paid $4.5 million", &["5"]), ["-"]);
        assert_eq!(before("on February 302 there", &["2"]), ["-"]);
        assert_eq!(before("on October 32 there", &["2"]), ["on October 3"]);
        assert_eq!(before("Article 20, 60 days 1973.", &["0"]), ["-"]);
        assert_eq!(before("increased by 1234 tons", &["4"]), ["-"]);
        assert_eq!(before("December 23, 1955—3:43 p.m. ok", &["43"]), ["-"]);
        // A year is split only where no glued reference fits the sequence.
        assert_eq!(before("In 1973 Nixon3 said", &["3"]), ["In 1973 Nixon"]);
        assert_eq!(
            before("in 19712 said Smith2 too", &["2"]),
            ["in 19712 said Smith"]
        );
    }

    #[test]
    fn sequence_decides_between_places() {
        // Note 1's glued place comes after note 2's only place: note 1 takes the year before it.
        assert_eq!(
            before("In 19711 he wrote Tho2 and Nixon1 too", &["1", "2"]),
            ["In 1971", "In 19711 he wrote Tho"]
        );
        // A source note numbered 0, the rest from 1.
        assert_eq!(
            before("Council0 first.1 then2", &["0", "1", "2"]),
            ["Council", "Council0 first.", "Council0 first.1 then"]
        );
        // Asterisks.
        assert_eq!(
            before("He said:* and more.1", &["*", "1"]),
            ["He said:", "He said:* and more."]
        );
    }

    #[test]
    fn a_note_without_any_place_is_left_unplaced_and_the_rest_still_run() {
        assert_eq!(
            before("One1 two three3", &["1", "2", "3"]),
            ["One", "-", "One1 two three"]
        );
    }

    #[test]
    fn many_candidates_stay_linear() {
        let text = "State 12345 ".repeat(20_000);
        let labels: Vec<String> = (1..=200).map(|n| n.to_string()).collect();
        let index = Labels::new(labels.iter().map(String::as_str));
        let found = candidates(&text, 0, &index);
        assert_eq!(found.len(), 40_000, "5 and 45 in every run");
        let placed = place(&found, labels.len());
        let notes: Vec<usize> = (0..labels.len()).filter(|&i| placed[i].is_some()).collect();
        assert_eq!(notes, [4, 44], "note 5, then note 45 in a later run");
    }
}

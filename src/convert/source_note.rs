//! Reading a FRUS source note: the archival citation, the classification, and reports of
//! handwritten annotations.
//!
//! ```text
//! Source: National Archives, Nixon Presidential Materials, NSC Files, Kissinger Office Files,
//! Box 114, Country Files, Far East, Vietnam, Paris Memcons, May 17–23, 1973. Top Secret;
//! Sensitive; Exclusively Eyes Only. The President circled Kissinger’s name at the top of the
//! first page and wrote: “Excellent job against great odds.”
//! ```
//!
//! The citation is split at its commas: repository, collection, series (and subseries) up to the
//! box, the box, and the folder title after it (folder titles contain commas, so everything after
//! the box is the folder). The classification is a level ("Top Secret") followed by handling
//! caveats, separated by semicolons. Annotation reports are sentences whose verb is one of
//! "circled", "underlined", "bracketed", "highlighted", "checked", "initialed" or "wrote".

use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// The parts of an archival citation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ArchivalSource {
    /// The whole citation, as a range of the note text.
    pub range: Range<usize>,
    /// The repository: "National Archives".
    pub repository: String,
    /// The collection: "Nixon Presidential Materials".
    pub collection: Option<String>,
    /// Series and subseries: "NSC Files", "Kissinger Office Files".
    pub series: Vec<String>,
    /// The box: "Box 114".
    pub box_number: Option<String>,
    /// The folder or file: "Country Files, Far East, Vietnam, Paris Memcons, May 17–23, 1973".
    pub folder: Option<String>,
}

/// A security classification with its handling caveats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    /// The sentence, as a range of the note text.
    pub range: Range<usize>,
    /// "Top Secret", "Secret", "Confidential", …
    pub level: String,
    /// "Sensitive", "Exclusively Eyes Only", …
    pub handling: Vec<String>,
}

/// Where on the page an annotation stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Placement {
    /// TEI `@place`: `top`, `bottom`, `margin`, `margin-left`, `margin-right`.
    pub place: Option<String>,
    /// The page of the original document, where the note says ("first page" → 1).
    pub page: Option<u32>,
}

/// One thing an annotator did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnnotationAct {
    /// A mark: circling, underlining … `object` is what was marked ("Kissinger’s name").
    Mark {
        /// `circle`, `underline`, `bracket`, `highlight`, `check`, `initial`.
        function: String,
        /// The words of the note that say what was marked.
        object: Range<usize>,
    },
    /// Words written; `quote` is their text in the note, without the quotation marks.
    Writing {
        /// The written words as quoted by the note.
        quote: Range<usize>,
    },
}

/// A sentence of a note that reports handwriting on the original document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnotationReport {
    /// The words naming the annotator ("The President"), as a range of the note text.
    pub annotator: Range<usize>,
    /// What the annotator did, with where.
    pub acts: Vec<(AnnotationAct, Placement)>,
}

/// What a note says about its document, beyond its text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NoteAnalysis {
    /// For a source note: the archival citation.
    pub archival: Option<ArchivalSource>,
    /// For a source note: the classification.
    pub classification: Option<Classification>,
    /// Reports of handwriting.
    pub annotations: Vec<AnnotationReport>,
}

const LEVELS: [&str; 7] = [
    "Top Secret",
    "Secret",
    "Confidential",
    "Limited Official Use",
    "Official Use Only",
    "Unclassified",
    "No classification marking",
];

static VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<verb>circled|underlined|bracketed|highlighted|checked|initialed|wrote)\b")
        .expect("verb pattern")
});
static PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:(?:at|on) the (?P<pos>top|bottom) of (?:the )?(?P<page>first|second|third|last) page|in the (?:(?P<side>left|right) )?margin|on the (?P<page2>first|second|third|last) page)",
    )
    .expect("placement pattern")
});
static QUOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"“(?P<q>[^”]+)”").expect("quote pattern"));

/// Reads what `text` (a note's text) says. `is_source` is true for the source note.
///
/// ```
/// use teikit::convert::analyse_note;
/// let a = analyse_note("Source: National Archives, RG 59, Central Files 1967–69, POL US. Secret; Priority.", true);
/// let src = a.archival.unwrap();
/// assert_eq!(src.collection.as_deref(), Some("RG 59"));
/// assert_eq!(a.classification.unwrap().handling, ["Priority"]);
/// ```
pub fn analyse_note(text: &str, is_source: bool) -> NoteAnalysis {
    let mut analysis = NoteAnalysis::default();
    let mut rest_start = 0;
    if is_source {
        if let Some(body) = text.strip_prefix("Source:") {
            let offset = text.len() - body.len();
            let lead = body.len() - body.trim_start().len();
            let start = offset + lead;
            let end = citation_end(text, start);
            analysis.archival = Some(parse_citation(text, start..end));
            rest_start = after_char_at(text, end);
            if let Some(class) = parse_classification(text, rest_start) {
                rest_start = after_char_at(text, class.range.end);
                analysis.classification = Some(class);
            }
        }
    }
    for sentence in sentences(text, rest_start) {
        if let Some(report) = parse_annotation(text, sentence) {
            analysis.annotations.push(report);
        }
    }
    analysis
}

/// The end of the citation sentence: the first ". " before a capital that is not the end of an
/// initial or an abbreviation like "U.S.".
fn citation_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut search = start;
    while let Some(pos) = text[search..].find(". ") {
        let dot = search + pos;
        let next = text[dot + 2..].chars().next();
        let token_start = text[..dot].rfind([' ', ',']).map_or(start, |i| i + 1);
        let token = &text[token_start..dot];
        // An initial ("John F. Kennedy") is one letter; a number ("Folder 2.") ends the sentence.
        let initial = token.chars().count() == 1 && token.chars().all(char::is_alphabetic);
        let abbreviation = token.contains('.') || initial;
        if next.is_some_and(char::is_uppercase) && !abbreviation {
            return dot;
        }
        search = dot + 1;
    }
    let end = text.trim_end().len();
    if bytes.get(end.wrapping_sub(1)) == Some(&b'.') {
        end - 1
    } else {
        end
    }
}

fn parse_citation(text: &str, range: Range<usize>) -> ArchivalSource {
    let parts = split_outside_parentheses(&text[range.clone()]);
    let mut source = ArchivalSource {
        range,
        repository: parts.first().cloned().unwrap_or_default(),
        ..ArchivalSource::default()
    };
    let box_index = parts
        .iter()
        .position(|p| p.starts_with("Box ") && p.len() > 4);
    if parts.len() > 1 && box_index != Some(1) {
        source.collection = Some(parts[1].clone());
    }
    match box_index {
        Some(b) => {
            source.series = parts[2.min(b)..b].to_vec();
            source.box_number = Some(parts[b].clone());
            let folder = parts[b + 1..].join(", ");
            source.folder = (!folder.is_empty()).then_some(folder);
        }
        None => {
            if parts.len() > 2 {
                source.series = vec![parts[2].clone()];
            }
            if parts.len() > 3 {
                source.folder = Some(parts[3..].join(", "));
            }
        }
    }
    source
}

fn split_outside_parentheses(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 && chars.peek() == Some(&' ') => {
                parts.push(current.trim().to_string());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        parts.push(current.trim().to_string());
    }
    parts
}

fn parse_classification(text: &str, start: usize) -> Option<Classification> {
    let lead = text[start..].len() - text[start..].trim_start().len();
    let start = start + lead;
    let rest = &text[start..];
    let level = LEVELS
        .iter()
        .find(|l| rest.starts_with(**l) && rest[l.len()..].starts_with([';', '.']))?;
    let end = rest.find('.').map_or(text.len(), |i| start + i);
    let items: Vec<String> = text[start..end]
        .split(';')
        .map(|s| s.trim().to_string())
        .collect();
    let handling: Vec<String> = items[1..]
        .iter()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect();
    let plausible = handling
        .iter()
        .all(|h| h.split_whitespace().count() <= 6 && h.starts_with(char::is_uppercase));
    plausible.then(|| Classification {
        range: start..after_char_at(text, end),
        level: level.to_string(),
        handling,
    })
}

/// The offset just past the character at `at` (the end of `text` if there is none): the
/// delimiter after a citation or classification may be any character, not only one byte.
fn after_char_at(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(text.len(), |c| at + c.len_utf8())
}

/// Sentence ranges of `text` from `start`: ends at ". " or ".” " outside quotation marks.
fn sentences(text: &str, start: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut sentence_start = start;
    let mut in_quote = false;
    let mut iter = text[start..].char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let at = start + i;
        match c {
            '“' => in_quote = true,
            '”' => {
                in_quote = false;
                let ends_sentence = text[..at].ends_with(['.', '!', '?'])
                    && iter.peek().is_none_or(|(_, n)| *n == ' ');
                if ends_sentence {
                    out.push(sentence_start..at + c.len_utf8());
                    sentence_start = at + c.len_utf8();
                }
            }
            '.' if !in_quote && iter.peek().is_none_or(|(_, n)| *n == ' ') => {
                out.push(sentence_start..at + 1);
                sentence_start = at + 1;
            }
            _ => {}
        }
    }
    if sentence_start < text.len() {
        out.push(sentence_start..text.len());
    }
    out.into_iter()
        .map(|r| {
            let lead = text[r.clone()].len() - text[r.clone()].trim_start().len();
            r.start + lead..r.end
        })
        .filter(|r| !r.is_empty())
        .collect()
}

fn parse_annotation(text: &str, sentence: Range<usize>) -> Option<AnnotationReport> {
    let s = &text[sentence.clone()];
    let first = VERB.captures(s)?;
    let verb = first.name("verb")?;
    let annotator = sentence.start..sentence.start + verb.start() - 1;
    if verb.start() == 0 || text[annotator.clone()].trim().is_empty() {
        return None;
    }
    // Split the predicate into acts at " and " before another annotation verb.
    let mut act_starts: Vec<usize> = vec![verb.start()];
    for m in VERB.find_iter(s).skip(1) {
        if s[..m.start()].ends_with(" and ") {
            act_starts.push(m.start());
        }
    }
    let mut acts = Vec::new();
    let mut placement = Placement::default();
    for (i, &act_start) in act_starts.iter().enumerate() {
        let act_end = act_starts
            .get(i + 1)
            .map_or(s.len(), |next| next - " and ".len());
        let act = &s[act_start..act_end];
        let verb = VERB.captures(act)?.name("verb")?.as_str();
        let args_start = verb.len();
        if let Some(p) = PLACE.captures(act) {
            let page = p.name("page").or(p.name("page2")).and_then(|m| {
                ["first", "second", "third"]
                    .iter()
                    .position(|w| *w == m.as_str())
                    .map(|i| i as u32 + 1)
            });
            let place = match (p.name("pos"), p.name("side")) {
                (Some(pos), _) => Some(pos.as_str().to_string()),
                (None, Some(side)) => Some(format!("margin-{}", side.as_str())),
                (None, None) if p[0].contains("margin") => Some("margin".to_string()),
                _ => None,
            };
            placement = Placement { place, page };
        }
        let base = sentence.start + act_start;
        let parsed = if verb == "wrote" {
            QUOTE
                .captures(act)
                .and_then(|q| q.name("q"))
                .map(|q| AnnotationAct::Writing {
                    quote: base + q.start()..base + q.end(),
                })
        } else {
            let object_end = PLACE.find(act).map_or(act.len(), |m| m.start());
            let object = act[args_start..object_end].trim();
            let lead = act[args_start..].len() - act[args_start..].trim_start().len();
            let function = match verb {
                "circled" => "circle",
                "underlined" => "underline",
                "bracketed" => "bracket",
                "highlighted" => "highlight",
                "checked" => "check",
                _ => "initial",
            }
            .to_string();
            (!object.is_empty()).then(|| AnnotationAct::Mark {
                function,
                object: base + args_start + lead..base + args_start + lead + object.len(),
            })
        };
        if let Some(act) = parsed {
            acts.push((act, placement.clone()));
        }
    }
    (!acts.is_empty()).then_some(AnnotationReport { annotator, acts })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEMO: &str = "Source: National Archives, Nixon Presidential Materials, NSC Files, Kissinger Office Files, Box 114, Country Files, Far East, Vietnam, Paris Memcons, May 17–23, 1973. Top Secret; Sensitive; Exclusively Eyes Only. The President circled Kissinger’s name at the top of the first page and wrote: “Excellent job against great odds.”";

    #[test]
    fn archival_citation_parts() {
        let a = analyse_note(MEMO, true).archival.unwrap();
        assert_eq!(a.repository, "National Archives");
        assert_eq!(
            a.collection.as_deref(),
            Some("Nixon Presidential Materials")
        );
        assert_eq!(a.series, ["NSC Files", "Kissinger Office Files"]);
        assert_eq!(a.box_number.as_deref(), Some("Box 114"));
        assert_eq!(
            a.folder.as_deref(),
            Some("Country Files, Far East, Vietnam, Paris Memcons, May 17–23, 1973")
        );
        assert_eq!(&MEMO[a.range], "National Archives, Nixon Presidential Materials, NSC Files, Kissinger Office Files, Box 114, Country Files, Far East, Vietnam, Paris Memcons, May 17–23, 1973");
    }

    #[test]
    fn a_box_right_after_the_repository_and_a_folder_ending_in_a_number() {
        let note = "Source: Sample Archive, Box 1, Folder 2. No classification marking.";
        let analysis = analyse_note(note, true);
        let a = analysis.archival.unwrap();
        assert_eq!(a.repository, "Sample Archive");
        assert_eq!(a.collection, None);
        assert_eq!(a.box_number.as_deref(), Some("Box 1"));
        assert_eq!(a.folder.as_deref(), Some("Folder 2"));
        assert_eq!(
            analysis.classification.unwrap().level,
            "No classification marking"
        );
    }

    #[test]
    fn classification_and_handling() {
        let c = analyse_note(MEMO, true).classification.unwrap();
        assert_eq!(c.level, "Top Secret");
        assert_eq!(c.handling, ["Sensitive", "Exclusively Eyes Only"]);
        assert_eq!(
            &MEMO[c.range],
            "Top Secret; Sensitive; Exclusively Eyes Only."
        );
    }

    #[test]
    fn annotation_report() {
        let a = analyse_note(MEMO, true);
        let report = &a.annotations[0];
        assert_eq!(&MEMO[report.annotator.clone()], "The President");
        let top_of_first = Placement {
            place: Some("top".into()),
            page: Some(1),
        };
        match &report.acts[0] {
            (AnnotationAct::Mark { function, object }, place) => {
                assert_eq!(function, "circle");
                assert_eq!(&MEMO[object.clone()], "Kissinger’s name");
                assert_eq!(place, &top_of_first);
            }
            other => panic!("expected a mark, got {other:?}"),
        }
        match &report.acts[1] {
            (AnnotationAct::Writing { quote }, place) => {
                assert_eq!(&MEMO[quote.clone()], "Excellent job against great odds.");
                assert_eq!(place, &top_of_first);
            }
            other => panic!("expected writing, got {other:?}"),
        }
    }

    #[test]
    fn notes_without_annotations_or_classification() {
        let a = analyse_note("Prime Minister Thanom Kittikachorn of Thailand.", false);
        assert_eq!(a, NoteAnalysis::default());
        let a = analyse_note(
            "Source: Department of State, Central Files. Drafted by Unger.",
            true,
        );
        assert!(a.classification.is_none());
        assert_eq!(a.archival.unwrap().repository, "Department of State");
    }
}

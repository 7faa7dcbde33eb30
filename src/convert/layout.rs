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
use crate::base::diagnostic::Diagnostic;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// The title line: "59. Memorandum From …".
#[derive(Debug, Clone)]
pub struct TitleLine {
    /// The document number printed before the title, if it is printed.
    pub number: Option<u32>,
    /// The whole line, without surrounding whitespace; empty where the text has no title line
    /// and begins with its dateline or salutation.
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
    /// A line under the signature giving the signer's office: `Secretary of State`.
    SignerTitle,
    /// A salutation opening a letter: `Dear Cy:`, `Your Excellency,`.
    Salute,
    /// A closing phrase before the signature: `Sincerely,`.
    Closing,
    /// The heading of a list of participants: `PARTICIPANTS`.
    ParticipantsHead,
    /// One participant, one line each, after [`BlockKind::ParticipantsHead`].
    Participant,
    /// `TO` or `FROM` alone on a line, heading the list of addressees (or senders) after it.
    AddresseeHead,
    /// A source note printed in brackets in the text, not numbered: `[Source: Carter Library, …]`.
    InlineSourceNote,
    /// A postscript after the signature: `PS—Some of the statements …`.
    Postscript,
    /// The line that begins an attachment: `[Enclosure]`, `Tab A`, `Attachment 2`.
    AttachmentMarker,
    /// The title of an attachment, on the line after its marker.
    AttachmentHead,
    /// An item of a list, printed with a bullet, after the first paragraph.
    ListItem,
    /// The label of the list item on the next line (`1.`, `A.`, `(a)`).
    ItemLabel,
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
    // Unbounded repetitions: bounded ones of Unicode classes make a large automaton, and
    // [`is_dateline`] bounds the line's length instead.
    let place = r"[\p{L}\[][^,\d\n]*";
    let month = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)";
    // `2:35 p.m.`, and in older volumes `2.35 p.m.`.
    let time = r"(?:\d\d?(?:[:.]\d\d)?\s?[ap]\.\s?m\.?|\d{4}\s?Z|midnight|noon)";
    // A place the editors supplied: `[Washington,] March 3, 1950.`
    let supplied = r"\[[^\]\n]+,\] ";
    Regex::new(&format!(
        r"^(?:{place}(?:, {place})?(?:, {place})?, |{supplied})?(?:{month} \d\d?(?:\s?[–-]\s?\d\d?)?, \d{{4}}|[Uu]ndated)(?:(?:, |\s?[—–]\s?|\s)(?:{time})(?:\s?[–-]\s?{time})?)?\.?$"
    ))
    .expect("dateline pattern")
});
/// The longest line read as a dateline.
const DATELINE_MAX_CHARS: usize = 160;
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

/// The document number printed at the start of the first line (`59. Memorandum …`), if any.
pub fn printed_number(source: &SourceText) -> Option<u32> {
    let first = source.text().lines().find(|l| !l.trim().is_empty())?;
    TITLE.captures(first.trim()).and_then(|c| c[1].parse().ok())
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
    let mut title_range = trimmed(source, &all[first].text_range);
    let title_text = source.slice(&title_range);
    let number = TITLE
        .captures(title_text)
        .and_then(|c| c[1].parse::<u32>().ok());
    // The first line of the body, when the text begins with its dateline or salutation.
    let mut body_start = first + 1;
    if number.is_none() {
        let untitled = is_dateline(title_text) || SALUTE.is_match(title_text);
        let consequence = if untitled {
            body_start = first;
            title_range = title_range.start..title_range.start;
            "the document is left without a head"
        } else {
            "the line is taken as the title as it stands"
        };
        diagnostics.push(Diagnostic::warning(
            source.location(title_range.start),
            format!(
                "expected a title line such as `59. Memorandum From … to …` (document number, full stop, title), found `{}`; {consequence}",
                truncate(title_text, 60)
            ),
        ));
    }

    // Notes: the indented, numbered lines at the end of the file.
    let mut note_lines = Vec::new();
    let mut body_end = all.len();
    for (i, line) in all.iter().enumerate().skip(body_start).rev() {
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

    let mut blocks: Vec<Block> = all[body_start..body_end.max(body_start)]
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
    // The document, then each attachment from its marker on, read alike.
    let markers: Vec<usize> = (0..blocks.len())
        .filter(|&i| i > 0 && ATTACHMENT.is_match(source.slice(&blocks[i].range)))
        .collect();
    let mut starts = vec![0];
    starts.extend(&markers);
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(blocks.len());
        let mut from = start;
        if k > 0 {
            blocks[start].kind = BlockKind::AttachmentMarker;
            from += 1;
            if blocks
                .get(from)
                .is_some_and(|b| from < end && looks_like_attachment_head(source.slice(&b.range)))
            {
                blocks[from].kind = BlockKind::AttachmentHead;
                from += 1;
            }
        }
        mark_part(source, &mut blocks[from..end]);
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

/// Reads the parts of a document (or of an attachment): opener, salutation, source note in
/// brackets, participants, closer.
fn mark_part(source: &SourceText, blocks: &mut [Block]) {
    mark_opener(source, blocks);
    mark_lists(source, blocks);
    for block in blocks.iter_mut().filter(|b| b.kind == BlockKind::Paragraph) {
        let text = source.slice(&block.range);
        if text.starts_with("[Source:") && text.ends_with(']') {
            block.kind = BlockKind::InlineSourceNote;
        }
    }
    mark_salute(source, blocks);
    mark_addressees(source, blocks);
    mark_participants(source, blocks);
    mark_closer(source, blocks);
}

/// A bullet is the subject line only at the top, before the first paragraph; further down it
/// is an item of a list, and a line holding only a label (`1.`, `A.`) before it is the item's.
fn mark_lists(source: &SourceText, blocks: &mut [Block]) {
    let Some(first_paragraph) = blocks.iter().position(|b| {
        b.kind == BlockKind::Paragraph && !is_page_marker_line(source.slice(&b.range))
    }) else {
        return;
    };
    for i in first_paragraph..blocks.len() {
        if blocks[i].kind != BlockKind::Subject {
            continue;
        }
        blocks[i].kind = BlockKind::ListItem;
        if i > 0
            && blocks[i - 1].kind == BlockKind::Paragraph
            && ITEM_LABEL.is_match(source.slice(&blocks[i - 1].range))
        {
            blocks[i - 1].kind = BlockKind::ItemLabel;
        }
    }
}

/// A list item's label on a line of its own.
static ITEM_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\(?(?:\d{1,3}|[A-Za-z]|[ivxlcIVXLC]{1,6})[.)]|[—–-])$")
        .expect("item label pattern")
});

/// The line that opens an attachment, as FRUS prints it.
static ATTACHMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\[?(?:Enclosure|Attachment|Tab|Annex|Appendix|Exhibit)(?: [A-Z0-9]{1,3})?\]?\.?$")
        .expect("attachment pattern")
});

/// The title of an attachment: a line that is no dateline and no sentence (`Memorandum
/// Prepared in the Department of State3`, `Draft Telegram From …`).
fn looks_like_attachment_head(text: &str) -> bool {
    text.chars().count() <= 250
        && !is_dateline(text)
        && !text.ends_with(['.', ':', '?', '!'])
        && text.chars().next().is_some_and(char::is_uppercase)
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
    // Older telegrams print when they arrived after the dateline: `[Received 9:15 p.m.]`,
    // `(Received May 9.)`; the dateline is what stands before.
    let line = RECEIVED.replace(line, "");
    if line.chars().count() > DATELINE_MAX_CHARS {
        return false;
    }
    let without_pages = PAGE_MARKER.replace_all(&line, "");
    DATELINE.is_match(without_pages.trim())
}

static RECEIVED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\s*(?:\[Received [^\]
]{1,60}\]|\(Received [^)
]{1,60}\))\.?\s*$",
    )
    .expect("received pattern")
});

static PAGE_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*\[\s*[Pp]age\b[^\]\n]*\]\s*").expect("page marker pattern"));

/// A line of the opener before the dateline: short, and not a sentence (`SNIE 14.2–69`,
/// `Memo No. 631–79`, `No. 16`).
fn looks_like_opener_line(text: &str) -> bool {
    text.chars().count() <= 40
        && text.split_whitespace().count() <= 6
        && !text.ends_with([':', ',', ';'])
}

static SALUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:My [Dd]ear|Dear)\b|Your (?:Excellency|Majesty|Highness)\b|(?:Mr\.|Madam) (?:President|Secretary|Prime Minister|Chairman|Ambassador)\b|Sir\b|Gentlemen\b)(?:[^.;]|(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Sen|Amb|Prof|Rev|Col|Adm|Gov|Rep|Hon|St|[A-Z])\.)){0,50}[:,]$")
        .expect("salute pattern")
});
static CLOSING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:Very |Most )?(?:[Ss]incerely|[Ff]aithfully|[Rr]espectfully|[Cc]ordially|[Tt]ruly)(?: yours| submitted)?|Yours (?:sincerely|faithfully|truly|ever)|As ever|Ever yours|(?:With )?(?:[Bb]est|[Ww]arm|[Kk]ind|[Ww]armest|[Kk]indest) (?:regards|wishes|personal regards)|Regards)[^.;:]{0,30},$")
        .expect("closing pattern")
});
/// Words that open a signer's office under a signature: `Secretary of State`.
const OFFICE_WORDS: &[&str] = &[
    "Secretary",
    "Under",
    "Assistant",
    "Deputy",
    "Acting",
    "Director",
    "Ambassador",
    "Chairman",
    "Administrator",
    "Special",
    "Executive",
    "Counselor",
    "Chief",
    "Commander",
    "President",
    "Vice",
    "Minister",
    "Prime",
    "Chargé",
    "Charge",
    "Consul",
    "Attorney",
    "Legal",
    "National",
];

/// The salutation of a letter: the first line after the opener, when it is one.
fn mark_salute(source: &SourceText, blocks: &mut [Block]) {
    let Some(first) = blocks.iter().position(|b| {
        !matches!(
            b.kind,
            BlockKind::Subject | BlockKind::OpenerLine | BlockKind::Dateline
        )
    }) else {
        return;
    };
    if blocks[first].kind == BlockKind::Paragraph
        && SALUTE.is_match(source.slice(&blocks[first].range))
    {
        blocks[first].kind = BlockKind::Salute;
    }
}

/// `TO` (or `FROM`) alone on a line, followed by a list: the heading of the list of addressees,
/// as a memorandum to several agencies prints it.
fn mark_addressees(source: &SourceText, blocks: &mut [Block]) {
    for i in 0..blocks.len().saturating_sub(1) {
        let text = source.slice(&blocks[i].range).trim_end_matches(':');
        if blocks[i].kind == BlockKind::Paragraph
            && matches!(text, "TO" | "FROM")
            && blocks[i + 1].kind == BlockKind::ListItem
        {
            blocks[i].kind = BlockKind::AddresseeHead;
        }
    }
}

/// A `PARTICIPANTS` line and the participants after it, one a line, up to the first sentence,
/// page markers between them allowed. A last short line without a comma or a title before the
/// paragraphs is a section heading (`Military Aid`), not a participant.
fn mark_participants(source: &SourceText, blocks: &mut [Block]) {
    let Some(head) = blocks.iter().position(|b| {
        b.kind == BlockKind::Paragraph && {
            let t = source.slice(&b.range).trim_end_matches(':');
            t.eq_ignore_ascii_case("participants") || t.eq_ignore_ascii_case("present")
        }
    }) else {
        return;
    };
    let text = |i: usize| source.slice(&blocks[i].range);
    let mut items = Vec::new();
    for (i, block) in blocks.iter().enumerate().skip(head + 1) {
        let line = source.slice(&block.range);
        if block.kind != BlockKind::Paragraph {
            break;
        }
        if is_page_marker_line(line) {
            continue;
        }
        if line.chars().count() > 160
            || line.ends_with(['.', ':', '?', '!']) && !line.ends_with("Jr.")
        {
            break;
        }
        items.push(i);
    }
    // The last one is a heading of the first section where nothing marks it as a person.
    if let Some(&last) = items.last() {
        let line = text(last);
        let followed_by_text = blocks.get(last + 1).is_some();
        let personal = line.contains(',')
            || line.starts_with("The ")
            || PARTICIPANT_TITLES.iter().any(|t| line.starts_with(t));
        if followed_by_text && !personal && items.len() > 1 {
            items.pop();
        }
    }
    if items.is_empty() {
        return;
    }
    blocks[head].kind = BlockKind::ParticipantsHead;
    for i in items {
        blocks[i].kind = BlockKind::Participant;
    }
}

/// Titles that open a participant's line.
const PARTICIPANT_TITLES: &[&str] = &[
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "His ",
    "Her ",
    "Honorable",
    "Ambassador",
    "Admiral",
    "General",
    "Gen.",
    "Colonel",
    "Secretary",
    "President",
    "Vice President",
    "Prime Minister",
    "Minister",
    "Senator",
    "Congressman",
    "Governor",
    "Deputy",
    "Under Secretary",
    "Assistant",
    "Director",
    "Chairman",
    "Prince",
    "King",
    "Sir",
    "Lord",
];

/// Whether a line is nothing but page markers.
fn is_page_marker_line(line: &str) -> bool {
    PAGE_MARKER.replace_all(line, "").trim().is_empty()
}

/// The signature at the end (after at least one paragraph), the office under it, and a closing
/// phrase (`Sincerely,`) before it.
fn mark_closer(source: &SourceText, blocks: &mut [Block]) {
    let text = |b: &Block| source.slice(&b.range);
    // The lines that say something: a page marker between the signature and what surrounds it
    // is passed over.
    let mut lines: Vec<usize> = (0..blocks.len())
        .filter(|&i| !is_page_marker_line(text(&blocks[i])))
        .collect();
    let paragraph = |blocks: &[Block], i: usize| blocks[i].kind == BlockKind::Paragraph;
    // A postscript after the signature: the closer is read before it.
    if let [.., signature, last] = lines[..] {
        if lines.len() >= 3
            && paragraph(blocks, last)
            && is_postscript(text(&blocks[last]))
            && looks_like_signature(text(&blocks[signature]))
        {
            blocks[last].kind = BlockKind::Postscript;
            lines.pop();
        }
    }
    let paragraphs = lines.iter().filter(|&&i| paragraph(blocks, i)).count();
    let mut first_closer = lines.len();
    match lines[..] {
        [.., name, office]
            if paragraphs > 2
                && paragraph(blocks, office)
                && paragraph(blocks, name)
                && looks_like_signer_title(text(&blocks[office]))
                && looks_like_signature(text(&blocks[name])) =>
        {
            blocks[name].kind = BlockKind::Signature;
            blocks[office].kind = BlockKind::SignerTitle;
            first_closer = lines.len() - 2;
        }
        [.., name]
            if paragraphs > 1
                && paragraph(blocks, name)
                && looks_like_signature(text(&blocks[name])) =>
        {
            blocks[name].kind = BlockKind::Signature;
            first_closer = lines.len() - 1;
        }
        _ => {}
    }
    if let Some(&closing) = first_closer.checked_sub(1).and_then(|k| lines.get(k)) {
        if first_closer < lines.len()
            && paragraph(blocks, closing)
            && CLOSING.is_match(text(&blocks[closing]))
        {
            blocks[closing].kind = BlockKind::Closing;
        }
    }
}

/// A postscript: `PS—…`, `P.S. …`.
fn is_postscript(text: &str) -> bool {
    ["PS—", "PS.", "PS:", "P.S.", "PPS", "P.P.S."]
        .iter()
        .any(|p| text.starts_with(p))
}

/// An office under a signature: a short line opening with an office word, without sentence
/// punctuation.
fn looks_like_signer_title(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 12
        && OFFICE_WORDS.contains(&words[0])
        && !text.ends_with(['.', ':', ';', ',', '?', '!'])
        && !text.contains('[')
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
        // A full stop only after an initial ("William P."), or closing a name printed in
        // capitals or with an initial, as older volumes sign ("JOHN HAY.", "R. Olney.").
        && (!text.ends_with('.')
            || words.last().is_some_and(|w| w.len() <= 2)
            || is_signed_name_with_full_stop(&words))
}

/// `JOHN HAY.` (in capitals) or `R. Olney.` (an initial before the surname).
fn is_signed_name_with_full_stop(words: &[&str]) -> bool {
    let capitals = words.iter().all(|w| {
        w.chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
    });
    let initial = words[..words.len().saturating_sub(1)]
        .iter()
        .any(|w| w.len() == 2 && w.ends_with('.'));
    capitals || initial
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
            "London, November 11, 1917, 2 p.m. [Received November 12, 2.35 a.m.]",
            "Copenhagen, November 13, 1917, 4 p.m. [Received 10.30 p.m.]",
            "Tokyo, May 8, 1936. (Received May 9.)",
            "[Washington,] March 3, 1950.",
            "[Paris,] March 3, 1950, 11.30 a.m.",
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

    fn kinds(text: &str) -> Vec<BlockKind> {
        layout(text)
            .unwrap()
            .blocks
            .iter()
            .map(|b| b.kind)
            .collect()
    }

    #[test]
    fn letters_open_with_a_salutation_and_close_with_a_closing_and_a_signature() {
        use BlockKind::*;
        assert_eq!(
            kinds("1. Letter1\nWashington, May 2, 1973.\nDear Cy:\nOne.\nTwo.\nSincerely,\nJimmy Carter\n  1. Source: X.\n"),
            [Dateline, Salute, Paragraph, Paragraph, Closing, Signature]
        );
        assert_eq!(
            kinds("1. Letter1\nYour Excellency,\nOne.\nTwo.\nThree.\nWilliam P. Rogers\nSecretary of State\n  1. Source: X.\n"),
            [Salute, Paragraph, Paragraph, Paragraph, Signature, SignerTitle]
        );
        // Titles and initials abbreviated with a period, as FRUS letters address their readers.
        for salute in [
            "Dear Mr. President:",
            "Dear Mrs. Reader:",
            "My dear Gen. M. Smith,",
        ] {
            assert_eq!(
                kinds(&format!(
                    "1. Letter1\n{salute}\nOne.\nTwo.\nSmith\n  1. Source: X.\n"
                )),
                [Salute, Paragraph, Paragraph, Signature],
                "{salute}"
            );
        }
        // A sentence is no salutation, a sentence ending in a comma no closing.
        assert_eq!(
            kinds("1. M1\nDear as it was, the price rose.\nOne.\nTwo.\nSmith\n  1. Source: X.\n"),
            [Paragraph, Paragraph, Paragraph, Signature]
        );
    }

    #[test]
    fn older_signatures_in_capitals_or_after_an_initial_end_with_a_full_stop() {
        use BlockKind::*;
        for signature in ["JOHN HAY.", "R. Olney.", "W. Q. GRESHAM."] {
            assert_eq!(
                kinds(&format!(
                    "1. Despatch1\nSir:\nOne.\nTwo.\n{signature}\n  1. Source: X.\n"
                )),
                [Salute, Paragraph, Paragraph, Signature],
                "{signature}"
            );
        }
        // A short sentence is no signature.
        assert_eq!(
            kinds("1. Despatch1\nSir:\nOne.\nTwo.\nThank You.\n  1. Source: X.\n"),
            [Salute, Paragraph, Paragraph, Paragraph]
        );
    }

    #[test]
    fn participants_one_a_line_until_the_first_section() {
        use BlockKind::*;
        assert_eq!(
            kinds("1. M1\nPARTICIPANTS\nThe President\n[Page 9]\nJames F. Leonard, Country Director\nMilitary Aid\nAfter some preliminaries he spoke.\n  1. Source: X.\n"),
            [ParticipantsHead, Participant, Paragraph, Participant, Paragraph, Paragraph]
        );
    }

    #[test]
    fn attachments_with_their_own_head_dateline_and_signature_and_a_postscript() {
        use BlockKind::*;
        assert_eq!(
            kinds("1. Letter1\nWashington, May 2, 1973.\nOne.\nTwo.\nWalter\nPS—Also this.\n[Enclosure]\nMemorandum Prepared in the Department2\nWashington, May 1, 1973.\nThree.\nFour.\nRusk\nTab B\nThe text of tab B.\n  1. Source: X.\n  2. Secret.\n"),
            [
                Dateline, Paragraph, Paragraph, Signature, Postscript,
                AttachmentMarker, AttachmentHead, Dateline, Paragraph, Paragraph, Signature,
                AttachmentMarker, Paragraph
            ]
        );
        // A paragraph that mentions Tab A is no attachment.
        assert_eq!(
            kinds(
                "1. M1\nAttached at Tab A is a memorandum.\nTab A is attached.\n  1. Source: X.\n"
            ),
            [Paragraph, Paragraph]
        );
    }

    #[test]
    fn bullets_below_the_first_paragraph_are_list_items_with_their_labels() {
        use BlockKind::*;
        assert_eq!(
            kinds("1. M1\nWashington, May 2, 1973.\n  • The subject\nText.\n1.\n  • First.\n2.\n  • Second.\n  • Third.\nEnd.\n  1. Source: X.\n"),
            [Dateline, Subject, Paragraph, ItemLabel, ListItem, ItemLabel, ListItem, ListItem, Paragraph]
        );
    }

    #[test]
    fn a_source_note_printed_in_brackets() {
        use BlockKind::*;
        assert_eq!(
            kinds("1. M\nWashington, July 26, 1979\n[Source: Carter Library, Box 2. Secret.]\nText.\n"),
            [Dateline, InlineSourceNote, Paragraph]
        );
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

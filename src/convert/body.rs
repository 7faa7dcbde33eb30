//! Encoding the document's text: paragraphs, heads, page breaks, notes, names, dates and the
//! handwritten annotations that the notes report.
//!
//! The [`TextEncoder`] walks the pieces of each line once and records what it found in
//! [`Findings`], from which the header is then written: the header describes exactly what the
//! text contains and what the converter did to it.

use super::dates::{find_dates, DateContext, DateMention, DateValue, Inference, LOCAL_OFFSET};
use super::editorial::{EntryKind, VolumeData};
use super::layout::NoteText;
use super::markers::{PageNumber, Piece};
use super::mentions::{Gazetteer, Mention, Recent};
use super::runin::{find_run_in_head, Delimiter};
use super::source::SourceText;
use super::source_note::{analyse_note, AnnotationAct, ArchivalSource, Classification};
use super::spans::{build_nodes, Reach, Span};
use super::zone::{DaylightSaving, LocalTime};
use crate::base::diagnostic::{Diagnostic, Location};
use crate::xml::{Element, Node};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// The `xml:id` of the converter in the header (`appInfo`), which `@resp` points to wherever
/// the converter made an editorial decision.
pub const CONVERTER_ID: &str = "teikit";

/// A dash (or other text) the received text lost and the converter supplied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// The `xml:id` of the `supplied` element.
    pub id: String,
    /// The text as received ("VietnamTho").
    pub received: String,
    /// The text as encoded ("Vietnam—Tho").
    pub encoded: String,
    /// Where it is in the source.
    pub location: Location,
}

/// A hand seen on the original document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hand {
    /// The `xml:id` of the `handNote`.
    pub id: String,
    /// The person the hand belongs to.
    pub person: String,
    /// The notes that report it.
    pub notes: Vec<String>,
}

/// What the text contains and what the converter did, for the header and the report.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// Register entries mentioned, by kind.
    pub entries: BTreeSet<(EntryKind, String)>,
    /// Abbreviations used.
    pub abbreviations: BTreeSet<String>,
    /// Person mentions by office alone ("the President"), resolved from the registers.
    pub role_mentions: usize,
    /// Date expressions normalised.
    pub dates: usize,
    /// Of which the year was taken from the document.
    pub dates_with_inferred_year: usize,
    /// Of which the day was computed from the document's date.
    pub relative_dates: usize,
    /// Of which a vague period was given bounds.
    pub periods: usize,
    /// Of which a time was given the UTC offset of its place.
    pub zoned_times: usize,
    /// Run-in heads.
    pub run_in_heads: usize,
    /// Supplied text.
    pub repairs: Vec<Repair>,
    /// Page numbers, in order.
    pub pages: Vec<String>,
    /// How many of those pages turn inside a word (`break="no"`).
    pub pages_inside_words: usize,
    /// Notes moved to their reference points.
    pub notes: usize,
    /// The archival source of the source note, with the note's id.
    pub archival: Option<(ArchivalSource, String)>,
    /// The classification stated in the source note.
    pub classification: Option<Classification>,
    /// Hands that annotated the original.
    pub hands: BTreeMap<String, Hand>,
    /// Elements describing handwriting on the original, for the document's opener.
    pub annotations: Vec<Element>,
    /// Capitalised words that no register covers (reported on request).
    pub unknown_names: Vec<Diagnostic>,
}

/// Encodes runs of the source as TEI, collecting [`Findings`].
pub struct TextEncoder<'a> {
    source: &'a SourceText,
    volume: &'a VolumeData,
    gazetteer: &'a Gazetteer,
    dates: DateContext,
    doc_id: &'a str,
    notes: &'a [NoteText],
    heads: Vec<String>,
    /// The entries named so far, which resolve forms several entries share.
    recent: Recent,
    /// What was found so far.
    pub findings: Findings,
}

impl<'a> TextEncoder<'a> {
    /// An encoder for the document `doc_id` of `source`.
    pub fn new(
        source: &'a SourceText,
        volume: &'a VolumeData,
        gazetteer: &'a Gazetteer,
        dates: DateContext,
        doc_id: &'a str,
        notes: &'a [NoteText],
    ) -> Self {
        TextEncoder {
            source,
            volume,
            gazetteer,
            dates,
            doc_id,
            notes,
            heads: Vec::new(),
            recent: Recent::default(),
            findings: Findings::default(),
        }
    }

    /// Encodes a line's pieces; `run_in` looks for a run-in head at its start.
    pub fn encode_pieces(&mut self, pieces: &[Piece], run_in: bool) -> Vec<Node> {
        let mut nodes = Vec::new();
        for (i, piece) in pieces.iter().enumerate() {
            match piece {
                Piece::Text(range) if run_in && i == 0 => {
                    nodes.extend(self.encode_opening_text(range.clone()));
                }
                Piece::Text(range) => nodes.extend(self.encode_text(range.clone(), Vec::new())),
                Piece::Page {
                    number, repeated, ..
                } => {
                    let mut pb = self.page_break(number, *repeated);
                    if self.splits_word(pieces, i) {
                        pb = pb.with_attribute("break", "no");
                        self.findings.pages_inside_words += 1;
                    }
                    nodes.push(Node::Element(pb));
                }
                Piece::NoteRef { note, .. } => nodes.push(Node::Element(self.note(*note))),
            }
        }
        nodes
    }

    /// Whether the page marker at `pieces[at]` stands inside a word ("impor[Page 4]tant"): a
    /// letter or digit touches it on both sides. The page break then says `break="no"`, so
    /// that a reader of the TEI joins the word again.
    fn splits_word(&self, pieces: &[Piece], at: usize) -> bool {
        let touches = |piece: Option<&Piece>, last: bool| match piece {
            Some(Piece::Text(range)) => {
                let text = self.source.slice(range);
                let c = if last {
                    text.chars().next_back()
                } else {
                    text.chars().next()
                };
                c.is_some_and(char::is_alphanumeric)
            }
            _ => false,
        };
        at > 0 && touches(pieces.get(at - 1), true) && touches(pieces.get(at + 1), false)
    }

    /// Whether a range of the source is only whitespace.
    pub fn is_blank(&self, range: &Range<usize>) -> bool {
        self.source.slice(range).trim().is_empty()
    }

    /// A page break, recorded in the page sequence.
    pub fn page_break(&mut self, number: &PageNumber, repeated: u32) -> Element {
        self.findings.pages.push(number.label.clone());
        let pb = page_break_element(number);
        match repeated {
            0 => pb,
            k => pb.with_attribute("xml:id", page_id(&number.label, k + 1)),
        }
    }

    /// Encodes the text that opens a paragraph, with its run-in head if it has one. A head whose
    /// dash was lost is encoded apart from the word it was glued to, so that both are recognised,
    /// and the dash is supplied between them.
    fn encode_opening_text(&mut self, range: Range<usize>) -> Vec<Node> {
        let text = self.source.slice(&range);
        let gazetteer = self.gazetteer;
        let Some(head) = find_run_in_head(text, &self.heads, |w| gazetteer.knows(w)) else {
            return self.encode_text(range, Vec::new());
        };
        self.findings.run_in_heads += 1;
        self.heads.push(text[head.head.clone()].to_string());
        let label = Span::new(
            head.head.clone(),
            Element::new("label").with_attribute("type", "run-in"),
        );
        if head.kind != Delimiter::LostDash {
            return self.encode_text(range, vec![label]);
        }
        let id = format!(
            "{}_supplied{}",
            self.doc_id,
            self.findings.repairs.len() + 1
        );
        let word_end = text[head.head.end..]
            .find(|c: char| !c.is_alphanumeric())
            .map_or(text.len(), |i| head.head.end + i);
        self.findings.repairs.push(Repair {
            id: id.clone(),
            received: text[head.head.start..word_end].to_string(),
            encoded: format!(
                "{}—{}",
                &text[head.head.clone()],
                &text[head.head.end..word_end]
            ),
            location: self.source.location(range.start + head.head.start),
        });
        let split = range.start + head.head.end;
        let mut nodes = self.encode_text(range.start..split, vec![label]);
        nodes.push(Node::Element(
            Element::new("supplied")
                .with_attribute("xml:id", id)
                .with_attribute("reason", "omitted-in-transmission")
                .with_attribute("resp", format!("#{CONVERTER_ID}"))
                .with_text("—"),
        ));
        nodes.extend(self.encode_text(split..range.end, Vec::new()));
        nodes
    }

    /// Encodes a run of text: names, dates and any `extra` spans (offsets within the run).
    pub fn encode_text(&mut self, range: Range<usize>, extra: Vec<Span>) -> Vec<Node> {
        let text = self.source.slice(&range);
        let mentions = self.gazetteer.find_in_context(text, &self.recent);
        for (_, id) in mentions.iter().filter_map(|m| m.entry.as_ref()) {
            self.recent.named(id);
        }
        let dates = find_dates(text, self.dates);
        let mut spans = extra;
        let times = PlaceTimes::new(self.volume, &mentions);
        for date in &dates {
            spans.push(Span::new(
                date.range.clone(),
                self.date_element(date, &times),
            ));
        }
        // A mention overlaps a date when a date starting before the mention ends reaches past
        // its start.
        let date_reach = Reach::new(dates.iter().map(|d| d.range.clone()));
        for mention in &mentions {
            let overlaps_date = date_reach
                .furthest_end_starting_before(mention.range.end)
                .is_some_and(|end| end > mention.range.start);
            if !overlaps_date {
                spans.extend(self.mention_spans(mention));
            }
        }
        self.report_unknown_names(text, range.start, &spans);
        build_nodes(text, spans)
    }

    fn mention_spans(&mut self, mention: &Mention) -> Vec<Span> {
        let mut spans = Vec::new();
        // A title and its name are one space apart ("Ambassador Sullivan").
        let name_start = if mention.title_len > 0 && mention.title_len < mention.range.len() {
            mention.range.start + mention.title_len + 1
        } else {
            mention.range.start
        };
        match &mention.entry {
            Some((kind, id)) => {
                self.findings.entries.insert((*kind, id.clone()));
                let element = match kind {
                    EntryKind::Person => "persName",
                    EntryKind::Place => "placeName",
                    EntryKind::Org => "orgName",
                };
                spans.push(Span::new(
                    mention.range.clone(),
                    Element::new(element).with_attribute("ref", format!("#{id}")),
                ));
                if mention.title_len > 0 {
                    if mention.title_len == mention.range.len() {
                        self.findings.role_mentions += 1;
                    }
                    spans.push(Span::new(
                        mention.range.start..mention.range.start + mention.title_len,
                        Element::new("roleName"),
                    ));
                }
                if let Some(abbreviation) = &mention.abbreviation {
                    self.findings.abbreviations.insert(abbreviation.clone());
                    spans.push(Span::new(
                        name_start..mention.range.end,
                        Element::new("abbr").with_attribute("corresp", format!("#{abbreviation}")),
                    ));
                }
            }
            None => {
                if let Some(abbreviation) = &mention.abbreviation {
                    self.findings.abbreviations.insert(abbreviation.clone());
                    spans.push(Span::new(
                        mention.range.clone(),
                        Element::new("abbr").with_attribute("corresp", format!("#{abbreviation}")),
                    ));
                }
            }
        }
        spans
    }

    fn date_element(&mut self, date: &DateMention, times: &PlaceTimes) -> Element {
        self.findings.dates += 1;
        let offset = times.before(date.range.start);
        let zone = |v: &str| -> String {
            match &offset {
                Some(local) => v.replace(LOCAL_OFFSET, &local.offset_at(v)),
                None => v.replace(LOCAL_OFFSET, ""),
            }
        };
        let mut element = Element::new("date");
        let zoned = match &date.value {
            DateValue::When(v) => {
                element.set_attribute("when", zone(v));
                v.contains(LOCAL_OFFSET)
            }
            DateValue::Span(a, b) => {
                element.set_attribute("from", zone(a));
                element.set_attribute("to", zone(b));
                a.contains(LOCAL_OFFSET)
            }
            DateValue::Period(a, b) => {
                element.set_attribute("notBefore", zone(a));
                element.set_attribute("notAfter", zone(b));
                false
            }
        };
        if zoned && offset.is_some() {
            self.findings.zoned_times += 1;
        }
        if let Some(inference) = date.inference {
            let cert = match inference {
                Inference::Year => {
                    self.findings.dates_with_inferred_year += 1;
                    "high"
                }
                Inference::RelativeToDocument => {
                    self.findings.relative_dates += 1;
                    "medium"
                }
                Inference::PeriodBounds => {
                    self.findings.periods += 1;
                    "medium"
                }
            };
            element.set_attribute("cert", cert);
            element.set_attribute("resp", format!("#{CONVERTER_ID}"));
            element.set_attribute("evidence", "internal");
        }
        element
    }

    /// The note at `index` of the list at the end, encoded where it is referenced.
    pub fn note(&mut self, index: usize) -> Element {
        let Some(text) = self.notes.get(index) else {
            return Element::new_mixed("note");
        };
        let id = note_id(self.doc_id, self.notes, index);
        let mut note = Element::new_mixed("note")
            .with_attribute("n", text.label.clone())
            .with_attribute("xml:id", id.clone());
        self.findings.notes += 1;
        let range = text.range.clone();
        let note_text = self.source.slice(&range);
        let is_source = index == 0 && note_text.starts_with("Source:");
        if is_source {
            note.set_attribute("type", "source");
        }
        let analysis = analyse_note(note_text, is_source);
        let mut extra = Vec::new();
        let mut quote_count = 0;
        for report in &analysis.annotations {
            let annotator_text = &note_text[report.annotator.clone()];
            let annotator = self
                .gazetteer
                .find(annotator_text)
                .into_iter()
                .find_map(|m| match m.entry {
                    Some((EntryKind::Person, id)) => Some(id),
                    _ => None,
                });
            let Some(person) = annotator else {
                continue;
            };
            let hand_id = format!("hand_{person}");
            let hand = self
                .findings
                .hands
                .entry(person.clone())
                .or_insert_with(|| Hand {
                    id: hand_id.clone(),
                    person: person.clone(),
                    notes: Vec::new(),
                });
            if !hand.notes.contains(&id) {
                hand.notes.push(id.clone());
            }
            for (act, placement) in &report.acts {
                let n = self.findings.annotations.len() + 1;
                let mut add = Element::new("add")
                    .with_attribute("xml:id", format!("{}_annotation{n}", self.doc_id))
                    .with_attribute("hand", format!("#{hand_id}"));
                if let Some(place) = &placement.place {
                    add.set_attribute("place", place.clone());
                }
                match act {
                    AnnotationAct::Mark { function, object } => {
                        add.set_attribute("type", "mark");
                        let mut mark =
                            Element::new("metamark").with_attribute("function", function.clone());
                        let target = self
                            .gazetteer
                            .find(&note_text[object.clone()])
                            .into_iter()
                            .find_map(|m| m.entry.map(|(_, id)| id));
                        if let Some(target) = target {
                            mark.set_attribute("target", format!("#{target}"));
                        }
                        add.set_attribute("corresp", format!("#{id}"));
                        add.push_element(mark);
                    }
                    AnnotationAct::Writing { quote } => {
                        quote_count += 1;
                        let quote_id = format!("{id}_quote{quote_count}");
                        extra.push(Span::new(
                            quote.clone(),
                            Element::new("quote").with_attribute("xml:id", quote_id.clone()),
                        ));
                        add.set_attribute("type", "words");
                        add.set_attribute("corresp", format!("#{id}"));
                        add.set_attribute("copyOf", format!("#{quote_id}"));
                    }
                }
                self.findings.annotations.push(add);
            }
        }
        if let Some(archival) = analysis.archival {
            self.findings.archival = Some((archival, id.clone()));
        }
        if analysis.classification.is_some() {
            self.findings.classification = analysis.classification;
        }
        note.extend(self.encode_text(range, extra));
        note
    }

    /// Reports runs of capitalised words that no span covers, except at the start of a sentence
    /// or clause: "Mr. Tanham", "Generals Surakij". A possessive "’s" is not part of the name.
    fn report_unknown_names(&mut self, text: &str, base: usize, spans: &[Span]) {
        // A word is covered when a span starting at or before it reaches its end.
        let span_reach = Reach::new(
            spans
                .iter()
                .filter(|s| !s.range.is_empty())
                .map(|s| s.range.clone()),
        );
        let covered = |r: &Range<usize>| {
            span_reach
                .furthest_end_starting_before(r.start + 1)
                .is_some_and(|end| end >= r.end)
        };
        let mut clause_start = true;
        let mut run: Option<Range<usize>> = None;
        let mut words = Vec::new();
        let mut start = None;
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            let separator = c.is_whitespace() || c == '—';
            match (start, separator) {
                (None, false) => start = Some(i),
                (Some(s), true) => {
                    words.push(s..i);
                    start = None;
                }
                _ => {}
            }
        }
        let flush = |run: &mut Option<Range<usize>>, this: &mut Self| {
            if let Some(r) = run.take() {
                this.findings.unknown_names.push(Diagnostic::warning(
                    this.source.location(base + r.start),
                    format!(
                        "`{}` looks like a name that no register covers; left as text",
                        &text[r]
                    ),
                ));
            }
        };
        for word in words {
            let token = &text[word.clone()];
            let lead = token.len()
                - token
                    .trim_start_matches(|c: char| !c.is_alphanumeric())
                    .len();
            let core = token[lead..].trim_end_matches(|c: char| !c.is_alphanumeric());
            let core = core
                .strip_suffix("’s")
                .or_else(|| core.strip_suffix("'s"))
                .unwrap_or(core);
            let range = word.start + lead..word.start + lead + core.len();
            let honorific = HONORIFICS.contains(&token);
            let name_like = core.chars().next().is_some_and(char::is_uppercase)
                && !honorific
                && core.chars().count() > 1
                && lead == 0
                && !clause_start
                && !covered(&range);
            if name_like {
                run = Some(match run.take() {
                    Some(r) => r.start..range.end,
                    None => range.clone(),
                });
            } else {
                flush(&mut run, self);
            }
            // A name run ends at punctuation after the word.
            if !honorific
                && token[lead + core.len()..]
                    .chars()
                    .any(|c| !c.is_alphanumeric())
            {
                flush(&mut run, self);
            }
            let end = text[word.end..].chars().next();
            clause_start = (token.ends_with(['.', ':', '?', '!', '”', ';']) && !honorific)
                || end == Some('—')
                || (core.is_empty() && clause_start);
        }
        flush(&mut run, self);
    }
}

/// The local times of a run's text: where each place that gives one was named, and the
/// volume's default. Built once a run, so that each of its times finds its place by one search.
pub struct PlaceTimes {
    /// The end of each mention of a place with a UTC offset, in order, with its local time.
    by_end: Vec<(usize, LocalTime)>,
    default: Option<LocalTime>,
}

impl PlaceTimes {
    /// The local times of `mentions` (in reading order) under `volume`'s registers.
    pub fn new(volume: &VolumeData, mentions: &[Mention]) -> Self {
        let rule = |name: &Option<toml::Spanned<String>>| {
            name.as_ref()
                .and_then(|n| DaylightSaving::from_name(n.get_ref()))
        };
        let mut by_end: Vec<(usize, LocalTime)> = mentions
            .iter()
            .filter_map(|m| match &m.entry {
                Some((EntryKind::Place, id)) => volume
                    .places
                    .iter()
                    .find(|p| p.id.get_ref() == id)
                    .and_then(|p| {
                        Some((
                            m.range.end,
                            LocalTime {
                                standard: p.utc_offset.clone()?,
                                daylight_saving: rule(&p.daylight_saving),
                            },
                        ))
                    }),
                _ => None,
            })
            .collect();
        by_end.sort_by_key(|(end, _)| *end);
        PlaceTimes {
            by_end,
            default: volume
                .volume
                .default_utc_offset
                .clone()
                .map(|standard| LocalTime {
                    standard,
                    daylight_saving: rule(&volume.volume.daylight_saving),
                }),
        }
    }

    /// The local time at `position`: the last place named before it that gives one, or the
    /// volume's default.
    pub fn before(&self, position: usize) -> Option<LocalTime> {
        let named_before = self.by_end.partition_point(|(end, _)| *end <= position);
        match named_before {
            0 => self.default.clone(),
            n => Some(self.by_end[n - 1].1.clone()),
        }
    }
}

/// Abbreviated titles before names: their full stop ends no sentence.
const HONORIFICS: &[&str] = &[
    "Mr.", "Mrs.", "Ms.", "Dr.", "Gen.", "Amb.", "Adm.", "Sen.", "Rep.", "Gov.", "Col.", "Lt.",
    "Capt.", "Prof.", "St.",
];

/// The id of the note at `index`: the document's id, `fn` and the note's number (`d59fn1`, as
/// FRUS writes it); `fnstar`, `fnstar2`… for notes marked with asterisks; a suffix where a
/// number repeats.
pub fn note_id(doc_id: &str, notes: &[NoteText], index: usize) -> String {
    let label = &notes[index].label;
    let stem = if label.chars().all(|c| c.is_ascii_digit()) {
        label.clone()
    } else {
        match label.chars().count() {
            1 => "star".to_string(),
            n => format!("star{n}"),
        }
    };
    let same_before = notes[..index].iter().filter(|n| &n.label == label).count();
    match same_before {
        0 => format!("{doc_id}fn{stem}"),
        k => format!("{doc_id}fn{stem}_{}", k + 1),
    }
}

/// A `pb` element for `number`.
pub fn page_break_element(number: &PageNumber) -> Element {
    Element::new("pb")
        .with_attribute("n", number.label.clone())
        .with_attribute("xml:id", page_id(&number.label, 1))
}

/// The id of the `occurrence`th break of the page `label`: `pg_5`, then `pg_5_2`, `pg_5_3`…
pub fn page_id(label: &str, occurrence: u32) -> String {
    match occurrence {
        0 | 1 => format!("pg_{label}"),
        k => format!("pg_{label}_{k}"),
    }
}

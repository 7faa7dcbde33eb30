//! A volume as a publication: what its reading pages have in common, gathered from its TEI
//! documents — the title page data, the table of contents and the index across the volume —
//! and written as one XML summary (namespace [`EDITION_NS`]) that the stylesheet renders as the
//! volume's `index.html` and reads for every page's previous/next links.
//!
//! The summary is data, not presentation: which words a page shows and how is the stylesheet's
//! business (`xslt/tei-to-volume.xsl`, overridable like the rest), and a publisher's own
//! pipeline can read the summary as it is.
//!
//! What is read from each document (teikit's documents, and TEI of the Office of the Historian's
//! kind generally):
//! - its number (`div[@type='document']/@n`, else the file name) and title (the `head`, less the
//!   number it repeats and any notes);
//! - its date: the header's `creation/date`, else the first `dateline` date, with `@cert`
//!   telling an editors' inference;
//! - its pages: the first and last `pb` from the one before the document to its end;
//! - its chapter: the `div[@type='chapter']` holding it (a volume file), else the header's
//!   `biblScope[@unit='chapter']`; documents are listed in number order, grouped by chapter;
//! - the persons, places and organisations of the header (`listPerson`, `listPlace`,
//!   `listOrg`; a FRUS volume's persons: `div[@xml:id='persons']//persName[@xml:id]`) and the
//!   terms of the text (`term[@xml:id]` with their `gloss`), with every
//!   mention in the text: names pointing to an entry with `@ref` or `@corresp`, abbreviations
//!   with `abbr/@corresp` or `gloss/@target`. Entries of several documents are one entry when
//!   they have the same kind, id and name.

use crate::xml::Element;
use std::collections::BTreeMap;
use std::path::Path;

/// The namespace of the summary's elements.
pub const EDITION_NS: &str = "urn:teikit:edition";
const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Why a document could not be read for its volume's summary.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct SummaryError {
    /// The document.
    pub path: std::path::PathBuf,
    /// What went wrong.
    pub message: String,
}

/// One document of a volume, as its table of contents lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    /// The reading page, relative to the volume's folder (`d59.html`).
    pub href: String,
    /// The document's number as printed (`59`).
    pub number: String,
    /// Its title, without the number.
    pub title: String,
    /// Its date as the document gives it, and in ISO form where known.
    pub date: Option<DocumentDate>,
    /// The first and last page it stands on.
    pub pages: Option<(String, String)>,
    /// The chapter holding it, if the TEI names one.
    pub chapter: Option<String>,
}

/// A document's date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentDate {
    /// The date in words (`May 24, 1973`), or the ISO form where the TEI gives no words.
    pub text: String,
    /// `@when` (or `@from`, `@notBefore`), for `<time datetime>` and for sorting.
    pub iso: Option<String>,
    /// Inferred by the editors (`@cert` present).
    pub inferred: bool,
}

/// What an index entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryKind {
    /// A `person`.
    Person,
    /// A `place`.
    Place,
    /// An `org`.
    Organisation,
    /// A `term` with its gloss.
    Term,
}

impl EntryKind {
    /// The word the summary uses (`person`, `place`, `organisation`, `term`).
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Person => "person",
            EntryKind::Place => "place",
            EntryKind::Organisation => "organisation",
            EntryKind::Term => "term",
        }
    }
}

/// One entry of the volume's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    /// Person, place, organisation or term.
    pub kind: EntryKind,
    /// The entry's `xml:id` in the documents.
    pub id: String,
    /// Its name as the header gives it (`Kissinger, Henry A.`; a term itself, `DRV`).
    pub name: String,
    /// The identification of a person, or the gloss of a term.
    pub description: Option<String>,
    /// Where it is mentioned: per document, in volume order, the pages.
    pub mentions: Vec<DocumentMentions>,
}

/// The mentions of one entry in one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentMentions {
    /// The document's number.
    pub number: String,
    /// One link a page, to the first mention there: (`p. 288`, `d59.html#m_p_KHA_1_3`).
    pub places: Vec<(String, String)>,
}

/// A volume's summary: title page, contents and index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VolumeSummary {
    /// The volume's folder name (`frus1969-76v10`).
    pub id: String,
    /// The title lines of the first document's header: (`series`, `Foreign Relations …`), …
    pub titles: Vec<(String, String)>,
    /// Its editors.
    pub editors: Vec<String>,
    /// Publisher, place, year and terms of availability, where given.
    pub imprint: Vec<(String, String)>,
    /// The documents, in number order.
    pub contents: Vec<Contents>,
    /// The index, sorted by kind then name.
    pub index: Vec<IndexEntry>,
}

/// Reads the volume `id` from its documents: `(TEI text, reading page href)` pairs in any order.
///
/// ```
/// use teikit::publish::volume::summarise;
/// let tei = r##"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>
///   <title type="volume">Vietnam</title></titleStmt><sourceDesc><listPerson>
///   <person xml:id="p_K"><persName>Kissinger, Henry A.</persName></person></listPerson>
///   </sourceDesc></fileDesc></teiHeader><text><body><pb n="286"/>
///   <div type="document" n="59"><head>59. Memorandum From <persName corresp="#p_K">Kissinger</persName></head>
///   </div></body></text></TEI>"##;
/// let volume = summarise("v10", &[(tei.to_string(), "d59.html".to_string())]).unwrap();
/// assert_eq!(volume.contents[0].title, "Memorandum From Kissinger");
/// assert_eq!(volume.index[0].mentions[0].places[0], ("p. 286".to_string(), "d59.html#m_p_K_1".to_string()));
/// ```
pub fn summarise(id: &str, documents: &[(String, String)]) -> Result<VolumeSummary, SummaryError> {
    let mut volume = VolumeSummary {
        id: id.to_string(),
        ..VolumeSummary::default()
    };
    let mut read = Vec::new();
    for (text, href) in documents {
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        };
        let doc =
            roxmltree::Document::parse_with_options(text, options).map_err(|e| SummaryError {
                path: href.into(),
                message: format!("not well-formed XML: {e}"),
            })?;
        if volume.titles.is_empty() {
            title_page(&doc, &mut volume);
        }
        let contents = contents_of(&doc, href);
        let entries = entries_of(&doc, href, &contents.number);
        read.push((contents, entries));
    }
    read.sort_by_key(|(contents, _)| natural_key(&contents.number));
    let mut index: BTreeMap<(EntryKind, String, String), IndexEntry> = BTreeMap::new();
    for (contents, entries) in read {
        for entry in entries {
            let key = (entry.kind, entry.name.to_lowercase(), entry.id.clone());
            match index.get_mut(&key) {
                Some(known) => {
                    known.mentions.extend(entry.mentions);
                    if known.description.is_none() {
                        known.description = entry.description;
                    }
                }
                None => {
                    index.insert(key, entry);
                }
            }
        }
        volume.contents.push(contents);
    }
    volume.index = index.into_values().collect();
    Ok(volume)
}

/// Numbers in number order (`9` before `10`), then anything else by its text.
fn natural_key(number: &str) -> (u64, String) {
    let digits: String = number.chars().take_while(char::is_ascii_digit).collect();
    (digits.parse().unwrap_or(u64::MAX), number.to_string())
}

fn tei<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> bool {
    node.has_tag_name((TEI_NS, name))
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|c| tei(*c, name))
}

fn normalised(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of `node`, notes left out.
pub(super) fn text_without_notes(node: roxmltree::Node) -> String {
    let mut text = String::new();
    for d in node.descendants() {
        if d.is_text() && !d.ancestors().any(|a| tei(a, "note")) {
            text.push_str(d.text().unwrap_or(""));
        }
    }
    normalised(&text)
}

/// All the text of `node`, whitespace normalised.
fn all_text(node: roxmltree::Node) -> String {
    normalised(
        &node
            .descendants()
            .filter(|d| d.is_text())
            .filter_map(|d| d.text())
            .collect::<String>(),
    )
}

fn title_page(doc: &roxmltree::Document, volume: &mut VolumeSummary) {
    let Some(file_desc) = doc.descendants().find(|n| tei(*n, "fileDesc")) else {
        return;
    };
    if let Some(stmt) = child(file_desc, "titleStmt") {
        for title in stmt.children().filter(|c| tei(*c, "title")) {
            let kind = title.attribute("type").unwrap_or("main");
            let text = text_without_notes(title);
            // A document's own title is not the volume's.
            if kind != "main" && !text.is_empty() {
                volume.titles.push((kind.to_string(), text));
            }
        }
        volume.editors = stmt
            .children()
            .filter(|c| tei(*c, "editor"))
            .map(|e| normalised(&text_without_notes(e)))
            .filter(|e| !e.is_empty())
            .collect();
    }
    if let Some(publication) = child(file_desc, "publicationStmt") {
        for name in ["publisher", "pubPlace", "date", "availability"] {
            if let Some(n) = child(publication, name) {
                let text = normalised(&text_without_notes(n));
                if !text.is_empty() {
                    volume.imprint.push((name.to_string(), text));
                }
            }
        }
    }
}

fn contents_of(doc: &roxmltree::Document, href: &str) -> Contents {
    let document = doc
        .descendants()
        .find(|n| tei(*n, "div") && n.attribute("type") == Some("document"));
    let stem = href.trim_end_matches(".html");
    let number = document
        .and_then(|d| d.attribute("n"))
        .map(str::to_string)
        .unwrap_or_else(|| stem.trim_start_matches('d').to_string());
    let head = document.and_then(|d| child(d, "head"));
    let title = match head {
        Some(head) => strip_number(&text_without_notes(head), &number),
        None => doc
            .descendants()
            .find(|n| tei(*n, "title"))
            .map(text_without_notes)
            .unwrap_or_default(),
    };
    let chapter = document
        .and_then(|d| {
            d.ancestors()
                .find(|a| tei(*a, "div") && a.attribute("type") == Some("chapter"))
        })
        .and_then(|c| child(c, "head"))
        .map(text_without_notes)
        .or_else(|| {
            doc.descendants()
                .find(|n| tei(*n, "biblScope") && n.attribute("unit") == Some("chapter"))
                .map(text_without_notes)
        })
        .filter(|c| !c.is_empty());
    Contents {
        href: href.to_string(),
        number,
        title,
        date: date_of(doc),
        pages: document.and_then(pages_of),
        chapter,
    }
}

/// `59. Memorandum …` is `Memorandum …` in a list that shows the number beside it.
fn strip_number(head: &str, number: &str) -> String {
    head.strip_prefix(number)
        .and_then(|rest| rest.strip_prefix('.'))
        .map(|rest| rest.trim_start().to_string())
        .unwrap_or_else(|| head.to_string())
}

fn date_of(doc: &roxmltree::Document) -> Option<DocumentDate> {
    let creation = doc
        .descendants()
        .find(|n| tei(*n, "creation"))
        .and_then(|c| child(c, "date"));
    let dateline = || {
        doc.descendants()
            .filter(|n| tei(*n, "dateline"))
            .find_map(|d| d.descendants().find(|n| tei(*n, "date")))
    };
    let date = creation.or_else(dateline)?;
    let iso = ["when", "from", "notBefore"]
        .iter()
        .find_map(|a| date.attribute(*a))
        .map(str::to_string);
    let words = text_without_notes(date);
    let text = if words.is_empty() {
        iso.clone()?
    } else {
        words
    };
    Some(DocumentDate {
        text,
        iso,
        inferred: date.attribute("cert").is_some(),
    })
}

/// The page breaks of a document: the last before it, and those within it.
fn pages_of(document: roxmltree::Node) -> Option<(String, String)> {
    let before = preceding_page_break(document).and_then(|pb| pb.attribute("n"));
    let within: Vec<&str> = document
        .descendants()
        .filter(|n| tei(*n, "pb"))
        .filter_map(|pb| pb.attribute("n"))
        .collect();
    let first = before.or_else(|| within.first().copied())?;
    let last = within.last().copied().unwrap_or(first);
    Some((first.to_string(), last.to_string()))
}

/// The last numbered `pb` before `node` in document order.
fn preceding_page_break<'a, 'i>(node: roxmltree::Node<'a, 'i>) -> Option<roxmltree::Node<'a, 'i>> {
    let start = node.range().start;
    node.document()
        .descendants()
        .take_while(|n| n.range().start < start)
        .filter(|n| tei(*n, "pb") && n.has_attribute("n") && !node.ancestors().any(|a| a == *n))
        .last()
}

/// The first pointer of `@ref` or `@corresp` (or `@target`), without its `#`.
fn pointer<'a>(node: roxmltree::Node<'a, '_>, attributes: &[&str]) -> Option<&'a str> {
    let value = attributes.iter().find_map(|a| node.attribute(*a))?;
    let first = value.split_whitespace().next()?;
    Some(first.strip_prefix('#').unwrap_or(first))
}

/// The index entries of the document `doc`, numbered `number`, with its mentions of each.
fn entries_of(doc: &roxmltree::Document, href: &str, number: &str) -> Vec<IndexEntry> {
    let Some(text) = doc.descendants().find(|n| tei(*n, "text")) else {
        return Vec::new();
    };
    let header = doc.descendants().find(|n| tei(*n, "teiHeader"));
    let mut entries: Vec<IndexEntry> = Vec::new();
    let mut by_id: BTreeMap<&str, usize> = BTreeMap::new();
    let kinds = [
        ("person", "persName", EntryKind::Person),
        ("place", "placeName", EntryKind::Place),
        ("org", "orgName", EntryKind::Organisation),
    ];
    for node in header.into_iter().flat_map(|h| h.descendants()) {
        let Some((_, name_element, kind)) = kinds.iter().find(|(e, _, _)| tei(node, e)) else {
            continue;
        };
        let Some(id) = node.attribute((XML_NS, "id")) else {
            continue;
        };
        let Some(name) = child(node, name_element).map(text_without_notes) else {
            continue;
        };
        let description = node
            .children()
            .find(|c| tei(*c, "note") && c.attribute("type") == Some("identification"))
            .map(all_text)
            .filter(|d| !d.is_empty());
        by_id.insert(id, entries.len());
        entries.push(IndexEntry {
            kind: *kind,
            id: id.to_string(),
            name,
            description,
            mentions: Vec::new(),
        });
    }
    // A FRUS volume lists its persons in the text: `div[@xml:id='persons']//item` holding a
    // `persName[@xml:id]` and the identification after it.
    let persons_list = text
        .descendants()
        .filter(|n| tei(*n, "div") && n.attribute((XML_NS, "id")) == Some("persons"));
    for name in persons_list.flat_map(|d| d.descendants().filter(|n| tei(*n, "persName"))) {
        let Some(id) = name.attribute((XML_NS, "id")) else {
            continue;
        };
        let description = name
            .ancestors()
            .find(|a| tei(*a, "item"))
            .map(|item| {
                let rest: String = item
                    .descendants()
                    .filter(|d| d.is_text() && !d.ancestors().any(|a| a == name))
                    .filter_map(|d| d.text())
                    .collect();
                normalised(rest.trim_start().trim_start_matches(','))
            })
            .filter(|d| !d.is_empty());
        by_id.insert(id, entries.len());
        entries.push(IndexEntry {
            kind: EntryKind::Person,
            id: id.to_string(),
            name: text_without_notes(name),
            description,
            mentions: Vec::new(),
        });
    }
    for term in text
        .descendants()
        .filter(|n| tei(*n, "term") && !n.ancestors().any(|a| tei(a, "body")))
    {
        let Some(id) = term.attribute((XML_NS, "id")) else {
            continue;
        };
        let gloss = term
            .next_siblings()
            .find(|s| tei(*s, "gloss"))
            .or_else(|| term.parent().and_then(|p| child(p, "gloss")))
            .map(text_without_notes)
            .filter(|g| !g.is_empty());
        by_id.insert(id, entries.len());
        entries.push(IndexEntry {
            kind: EntryKind::Term,
            id: id.to_string(),
            name: text_without_notes(term),
            description: gloss,
            mentions: Vec::new(),
        });
    }
    // Per entry: the pages in order, each with the link to its first mention.
    let mut places: Vec<Vec<(String, String)>> = vec![Vec::new(); entries.len()];
    let mut ordinals: BTreeMap<&str, usize> = BTreeMap::new();
    // The page break the walk is on.
    let mut page = preceding_page_break(text);
    for node in text.descendants() {
        if tei(node, "pb") {
            if node.has_attribute("n") {
                page = Some(node);
            }
            continue;
        }
        let is_name = ["persName", "placeName", "orgName"]
            .iter()
            .any(|n| tei(node, n));
        let is_term = tei(node, "abbr") || (tei(node, "gloss") && node.has_attribute("target"));
        let target = if is_name {
            pointer(node, &["ref", "corresp"])
        } else if is_term {
            pointer(node, &["corresp", "target"])
        } else {
            None
        };
        let Some(&k) = target.and_then(|t| by_id.get(t)) else {
            continue;
        };
        let entry = &entries[k];
        // A name points to a person, place or organisation; an abbreviation to a term.
        if is_name == (entry.kind == EntryKind::Term) {
            continue;
        }
        let label = match page.and_then(|pb| pb.attribute("n")) {
            Some(n) => format!("p. {n}"),
            None => "Text".to_string(),
        };
        let anchor = if entry.kind == EntryKind::Term {
            page_anchor(page)
        } else {
            // The reading page numbers the mentions of each entry in document order
            // (`m_ID_K`) and anchors those not inside another linked name.
            let ordinal = ordinals.entry(&entry.id).or_insert(0);
            *ordinal += 1;
            let nested = node.ancestors().skip(1).any(|a| {
                ["persName", "placeName", "orgName"]
                    .iter()
                    .any(|n| tei(a, n))
                    && pointer(a, &["ref", "corresp"]).is_some_and(|t| {
                        by_id
                            .get(t)
                            .is_some_and(|&j| entries[j].kind != EntryKind::Term)
                    })
            });
            if nested {
                continue;
            }
            format!("m_{}_{}", entry.id, ordinal)
        };
        if places[k].iter().all(|(l, _)| *l != label) {
            places[k].push((label, format!("{href}#{anchor}")));
        }
    }
    for (entry, places) in entries.iter_mut().zip(places) {
        if !places.is_empty() {
            entry.mentions.push(DocumentMentions {
                number: number.to_string(),
                places,
            });
        }
    }
    entries
}

/// The anchor of a page break on the reading page (`pb/@xml:id`, else `pg_N`), or the text.
fn page_anchor(page: Option<roxmltree::Node>) -> String {
    let Some(pb) = page else {
        return "text".to_string();
    };
    match pb.attribute((XML_NS, "id")) {
        Some(id) => id.to_string(),
        None => format!("pg_{}", pb.attribute("n").unwrap_or("")),
    }
}

impl VolumeSummary {
    /// A fingerprint of everything the summary holds (FNV-1a of its XML, in hexadecimal): two
    /// summaries that differ in anything an index page shows differ in it.
    pub fn fingerprint(&self) -> String {
        let xml = crate::xml::to_xml_string(&self.to_element(&BTreeMap::new())).unwrap_or_default();
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in xml.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{hash:016x}")
    }

    /// The summary as XML, in [`EDITION_NS`]; `sources` names, per document of the contents,
    /// the file its reading page is rendered from where that is not the page's own name (the
    /// stylesheet finds a page's place in the volume by the name of its source).
    pub fn to_element(&self, sources: &BTreeMap<String, String>) -> Element {
        let mut volume = Element::new("ed:volume")
            .with_attribute("xmlns:ed", EDITION_NS)
            .with_attribute("id", &self.id)
            .with_attribute("href", "index.html");
        for (kind, text) in &self.titles {
            volume.push_element(
                Element::new("ed:title")
                    .with_attribute("type", kind)
                    .with_text(text),
            );
        }
        for editor in &self.editors {
            volume.push_element(Element::new("ed:editor").with_text(editor));
        }
        for (kind, text) in &self.imprint {
            volume.push_element(
                Element::new("ed:imprint")
                    .with_attribute("type", kind)
                    .with_text(text),
            );
        }
        let mut contents = Element::new("ed:contents");
        let mut chapter: Option<(Option<&String>, Element)> = None;
        for document in &self.contents {
            let mut entry = Element::new("ed:document")
                .with_attribute("n", &document.number)
                .with_attribute("href", &document.href);
            if let Some(source) = sources.get(&document.href) {
                entry.set_attribute("source", source);
            }
            if let Some((first, last)) = &document.pages {
                entry.set_attribute("first-page", first);
                entry.set_attribute("last-page", last);
            }
            entry.push_element(Element::new("ed:title").with_text(&document.title));
            if let Some(date) = &document.date {
                let mut d = Element::new("ed:date").with_text(&date.text);
                if let Some(iso) = &date.iso {
                    d.set_attribute("when", iso);
                }
                if date.inferred {
                    d.set_attribute("inferred", "true");
                }
                entry.push_element(d);
            }
            // Consecutive documents of one chapter are grouped under it.
            match &mut chapter {
                Some((name, group)) if *name == document.chapter.as_ref() => {
                    group.push_element(entry)
                }
                _ => {
                    if let Some((_, group)) = chapter.take() {
                        contents.push_element(group);
                    }
                    let mut group = Element::new("ed:chapter");
                    if let Some(name) = &document.chapter {
                        group.push_element(Element::new("ed:title").with_text(name));
                    }
                    group.push_element(entry);
                    chapter = Some((document.chapter.as_ref(), group));
                }
            }
        }
        if let Some((_, group)) = chapter {
            contents.push_element(group);
        }
        volume.push_element(contents);
        let mut index = Element::new("ed:index");
        for entry in &self.index {
            let mut e = Element::new("ed:entry")
                .with_attribute("kind", entry.kind.as_str())
                .with_attribute("id", &entry.id)
                .with_child(Element::new("ed:name").with_text(&entry.name));
            if let Some(description) = &entry.description {
                e.push_element(Element::new("ed:description").with_text(description));
            }
            for mentions in &entry.mentions {
                let mut d = Element::new("ed:in").with_attribute("n", &mentions.number);
                for (label, href) in &mentions.places {
                    d.push_element(
                        Element::new("ed:at")
                            .with_attribute("href", href)
                            .with_text(label),
                    );
                }
                e.push_element(d);
            }
            index.push_element(e);
        }
        volume.push_element(index);
        volume
    }
}

/// Reads the files of a volume and summarises them: `(TEI file, reading page href)`.
pub fn summarise_files(id: &str, files: &[(&Path, String)]) -> Result<VolumeSummary, SummaryError> {
    let mut documents = Vec::with_capacity(files.len());
    for (path, href) in files {
        let text = std::fs::read_to_string(path).map_err(|e| SummaryError {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        documents.push((text, href.clone()));
    }
    summarise(id, &documents).map_err(|mut e| {
        if let Some((path, _)) = files.iter().find(|(_, h)| e.path == Path::new(h)) {
            e.path = path.to_path_buf();
        }
        e
    })
}

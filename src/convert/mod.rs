//! The converter: a FRUS document in plain text becomes TEI P5.
//!
//! **Takes** a source file `sources/VOLUME/dN.txt` (the form is described in [`layout`]) and its
//! editorial data beside it ([`editorial`]: `volume.toml` with the registers, `dN.toml` with the
//! document). **Gives** one TEI document as a string, with warnings; or, for bad input, every
//! problem found, each with file, line and column.
//!
//! The stages run one way: decode ([`source`]) → lines ([`layout`]) → page markers and note
//! references ([`markers`]) → the document's date → encoding of the text ([`body`]: names from
//! [`mentions`], dates from [`dates`], run-in heads from [`runin`], source notes read by
//! [`source_note`], nested by [`spans`]) → the header ([`header`]) → serialisation once.
//!
//! **Does not**: guess names that no register covers (it reports them on request), invent page
//! scans (`@facs`), or read anything but the three files named above.

pub mod body;
pub mod dates;
pub mod editorial;
pub mod frus;
pub mod header;
pub mod layout;
pub mod markers;
pub mod mentions;
pub mod names;
pub mod note_refs;
pub mod runin;
pub mod source;
pub mod source_note;
pub mod spans;
pub mod zone;

pub use dates::{find_dates, CivilDate, DateContext, DateValue};
pub use markers::PageNumber;
pub use runin::{find_run_in_head, Delimiter};
pub use source_note::analyse_note;
pub use spans::{build_nodes, Span};

use crate::base::diagnostic::{self, Diagnostic};
use crate::xml::{to_xml_string, Element, Node, TEI_NS};
use body::{page_break_element, page_id, Findings, TextEncoder, CONVERTER_ID};
use editorial::{DocumentData, EditorialError, VolumeData, VOLUME_FILE};
use header::{build_header, set_date_value, DocumentDate, HeaderInput};
use layout::{parse_layout, BlockKind};
use markers::{MarkerScanner, Piece};
use mentions::Gazetteer;
use source::SourceText;
use std::path::{Path, PathBuf};

/// Why a conversion failed.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// A file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The editorial data is missing or malformed.
    #[error(transparent)]
    Editorial(#[from] EditorialError),
    /// The source text has problems; all of them are listed.
    #[error("{}", render_diagnostics(.0))]
    Source(Vec<Diagnostic>),
}

fn render_diagnostics(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A finished conversion.
#[derive(Debug, Clone)]
pub struct Conversion {
    /// The TEI document.
    pub xml: String,
    /// Things worth knowing that did not stop the conversion.
    pub warnings: Vec<Diagnostic>,
    /// Capitalised words no register covers (see [`Conversion::warnings`] for the rest).
    pub unknown_names: Vec<Diagnostic>,
    /// Ids of the register entries the document mentions.
    pub mentioned: Vec<String>,
    /// The document as a tree, for writers other than the default one ([`frus`]).
    pub document: DocumentTree,
}

/// The converted document as a tree: what [`frus`] writes in the publisher's conventions.
#[derive(Debug, Clone)]
pub struct DocumentTree {
    /// The document's division (`div type="document"`), as the default output has it.
    pub division: Element,
    /// The page break that stands before the division when the document begins a page.
    pub page_before: Option<Element>,
    /// The document's date, printed or established.
    pub date: Option<DateValue>,
    /// The number and id the editor gave the document.
    pub number: u32,
}

/// The editorial data files of a source: `(volume.toml, dN.toml)` beside it.
pub fn data_paths(source: &Path) -> (PathBuf, PathBuf) {
    let dir = source.parent().unwrap_or(Path::new("."));
    (dir.join(VOLUME_FILE), source.with_extension("toml"))
}

/// Where a conversion takes its editor's data from.
#[derive(Debug, Clone, Default)]
pub struct DataOptions {
    /// The volume's data and registers (`--volume`); by default `volume.toml` beside the source.
    pub volume: Option<PathBuf>,
    /// Look for no data beside the source (a text read from standard input has no folder).
    pub nothing_beside: bool,
}

/// Converts the source at `path`, reading its editorial data from beside it.
///
/// A source without `volume.toml` or `dN.toml` beside it is still converted, with defaults (no
/// names tagged, the number printed in the title, the date from the dateline), and a warning
/// saying which data would enrich it. A data file that exists but cannot be read or parsed is
/// an error.
pub fn convert_file(path: &Path) -> Result<Conversion, ConvertError> {
    convert_file_with_options(path, &DataOptions::default())
}

/// [`convert_file`] with the volume's data taken from `options`.
pub fn convert_file_with_options(
    path: &Path,
    options: &DataOptions,
) -> Result<Conversion, ConvertError> {
    let bytes = std::fs::read(path).map_err(|source| ConvertError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    convert_bytes_with_options(path, bytes, options)
}

/// [`convert_file_with_options`] for a source already read: `bytes`, named `path` in messages
/// (and, unless `options.nothing_beside`, where its data is looked for).
pub fn convert_bytes_with_options(
    path: &Path,
    bytes: Vec<u8>,
    options: &DataOptions,
) -> Result<Conversion, ConvertError> {
    let (beside, document_path) = data_paths(path);
    let source = SourceText::decode(path, bytes).map_err(|d| ConvertError::Source(vec![d]))?;
    let mut missing = Vec::new();
    let volume = match &options.volume {
        Some(file) => VolumeData::load(file)?,
        None if !options.nothing_beside && beside.exists() => VolumeData::load(&beside)?,
        None => {
            let volume_file = if options.nothing_beside {
                "a volume.toml given with --volume".to_string()
            } else {
                beside.display().to_string()
            };
            missing.push(format!(
                "{volume_file} (the volume and its registers: persons, places, organisations and terms would be tagged; `teikit registers import` makes one from TEI lists)"
            ));
            VolumeData::none()
        }
    };
    let document = if !options.nothing_beside && document_path.exists() {
        DocumentData::load(&document_path)?
    } else {
        missing.push(format!(
            "{} (the document's number, id, subtype, first page and an established date)",
            document_path.display()
        ));
        DocumentData::defaults(path, layout::printed_number(&source))
    };
    let mut conversion = convert(&source, &volume, &document)?;
    if !missing.is_empty() {
        conversion.warnings.insert(
            0,
            Diagnostic::warning(
                diagnostic::Location::file_start(path),
                format!(
                    "converted without the editor's data; it would be enriched by {}",
                    missing.join(" and ")
                ),
            ),
        );
    }
    Ok(conversion)
}

/// Converts the source at `path` with an already loaded volume and the document's data at
/// `document_path` (`build` converts every source of a volume this way, its data read once).
pub fn convert_file_with(
    path: &Path,
    volume: &VolumeData,
    document_path: &Path,
) -> Result<Conversion, ConvertError> {
    let bytes = std::fs::read(path).map_err(|source| ConvertError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let source = SourceText::decode(path, bytes).map_err(|d| ConvertError::Source(vec![d]))?;
    let document = DocumentData::load(document_path)?;
    convert(&source, volume, &document)
}

/// A line of the body with its pieces.
struct ScannedBlock {
    kind: BlockKind,
    pieces: Vec<Piece>,
}

/// Converts a decoded source with its editorial data.
pub fn convert(
    source: &SourceText,
    volume: &VolumeData,
    document: &DocumentData,
) -> Result<Conversion, ConvertError> {
    let mut layout = parse_layout(source).map_err(ConvertError::Source)?;
    let meta = &document.document;
    let mut warnings = std::mem::take(&mut layout.warnings);
    if let Some(number) = layout.title.number.filter(|n| *n != meta.number) {
        warnings.push(Diagnostic::warning(
            source.location(layout.title.range.start),
            format!(
                "the title line gives document number {number}, but {} says {}; the editor's number is used",
                document.path.display(),
                meta.number
            ),
        ));
    }

    let has_source_note = layout
        .notes
        .first()
        .is_some_and(|n| source.slice(&n.range).starts_with("Source:"))
        || layout
            .blocks
            .iter()
            .any(|b| b.kind == BlockKind::InlineSourceNote);
    if meta.subtype == "historical-document" && !has_source_note {
        warnings.push(Diagnostic::warning(
            source.location(layout.title.range.start),
            format!(
                "a historical document should have a source note: expected the first note at the end to begin `Source:` (or set `subtype` in {} if this is not a historical document)",
                document.path.display()
            ),
        ));
    }
    let labels: Vec<&str> = layout.notes.iter().map(|n| n.label.as_str()).collect();
    let mut scanner = MarkerScanner::new(source, labels);
    let lines: Vec<std::ops::Range<usize>> = std::iter::once(layout.title.range.clone())
        .chain(layout.blocks.iter().map(|b| b.range.clone()))
        .collect();
    let mut scanned = scanner.scan_document(&lines).into_iter();
    let title_pieces = scanned.next().unwrap_or_default();
    let blocks: Vec<ScannedBlock> = layout
        .blocks
        .iter()
        .zip(scanned)
        .map(|(b, pieces)| ScannedBlock {
            kind: b.kind,
            pieces,
        })
        .collect();
    for &index in &scanner.unplaced {
        let note = &layout.notes[index];
        let label = |i: usize| layout.notes[i].label.as_str();
        let between = match (index.checked_sub(1), layout.notes.get(index + 1)) {
            (Some(p), Some(_)) => format!(
                " between note {}'s reference and note {}'s",
                label(p),
                label(index + 1)
            ),
            (Some(p), None) => format!(" after note {}'s reference", label(p)),
            (None, Some(_)) => format!(" before note {}'s reference", label(index + 1)),
            (None, None) => String::new(),
        };
        warnings.push(Diagnostic::warning(
            source.location(note.number_offset),
            format!(
                "note {} is never referenced: expected its number glued to the text{between}, as in `word.{}`; kept at the end of the document with place=\"end\"",
                note.label, note.label
            ),
        ));
    }
    warnings.append(&mut scanner.warnings);
    let unplaced_notes = std::mem::take(&mut scanner.unplaced);

    let gazetteer = Gazetteer::new(volume);
    let date = document_date(source, &title_pieces, &blocks, meta, &gazetteer, volume);
    let context = DateContext {
        year: date
            .as_ref()
            .and_then(|d| year_of(&d.value))
            .or_else(|| first_year(source, &title_pieces, &blocks)),
        document_date: date.as_ref().and_then(|d| match &d.value {
            DateValue::When(w) => CivilDate::parse(w),
            _ => None,
        }),
    };
    if date.is_none() {
        warnings.push(Diagnostic::warning(
            source.location(layout.title.range.start),
            format!(
                "the document's date could not be determined: no dateline, no date in {}, and nothing to infer it from",
                document.path.display()
            ),
        ));
    }

    let mut encoder =
        TextEncoder::new(source, volume, &gazetteer, context, &meta.id, &layout.notes);
    let first_page = first_page(meta, &title_pieces, &blocks);
    let mut div = encode_document(&mut encoder, meta, &title_pieces, &blocks, date.as_ref());
    for index in unplaced_notes {
        div.push_element(encoder.note(index).with_attribute("place", "end"));
    }
    let findings = std::mem::take(&mut encoder.findings);

    let title = match header_title(source, &title_pieces) {
        // A text without a title line is named by its file.
        t if t.is_empty() => source.path().file_stem().map_or_else(
            || "Untitled document".to_string(),
            |s| s.to_string_lossy().into_owned(),
        ),
        t => t,
    };
    let parts = (
        blocks.iter().any(|b| b.kind == BlockKind::Dateline),
        blocks.iter().any(|b| b.kind == BlockKind::Subject),
        blocks.iter().any(|b| b.kind == BlockKind::Signature),
    );
    let header = build_header(&HeaderInput {
        volume,
        document: meta,
        title,
        date: date.as_ref(),
        first_page: first_page.clone(),
        parts,
        findings: &findings,
    });

    let mut body = Element::new("body");
    let mut page_before = match &first_page {
        Some((label, true)) => PageNumber::parse(label).map(|n| page_break_element(&n)),
        _ => None,
    };
    unique_page_ids(page_before.iter_mut().chain(std::iter::once(&mut div)));
    if let Some(pb) = &page_before {
        body.push_element(
            pb.clone()
                .with_attribute("resp", format!("#{CONVERTER_ID}")),
        );
    }
    let document_tree = DocumentTree {
        division: div.clone(),
        page_before,
        date: date.as_ref().map(|d| d.value.clone()),
        number: meta.number,
    };
    body.push_element(div);
    let mut text = Element::new("text").with_child(body);
    if let Some(back) = terms_list(volume, &findings) {
        text.push_element(back);
    }
    let tei = Element::new("TEI")
        .with_attribute("xmlns", TEI_NS)
        .with_attribute("xml:lang", "en")
        .with_child(header)
        .with_child(text);
    let xml = to_xml_string(&tei).map_err(|e| ConvertError::Io {
        path: source.path().to_path_buf(),
        source: e,
    })?;
    Ok(Conversion {
        xml,
        warnings,
        unknown_names: findings.unknown_names,
        mentioned: findings.entries.iter().map(|(_, id)| id.clone()).collect(),
        document: document_tree,
    })
}

fn encode_document(
    encoder: &mut TextEncoder,
    meta: &editorial::DocumentMeta,
    title_pieces: &[Piece],
    blocks: &[ScannedBlock],
    date: Option<&DocumentDate>,
) -> Element {
    let mut div = Element::new("div")
        .with_attribute("type", "document")
        .with_attribute("n", meta.number.to_string())
        .with_attribute("xml:id", meta.id.clone())
        .with_attribute("subtype", meta.subtype.clone());
    if !title_pieces.is_empty() {
        let mut head = Element::new_mixed("head");
        head.extend(encoder.encode_pieces(title_pieces, false));
        div.push_element(head);
    }
    let first_attachment = blocks
        .iter()
        .position(|b| b.kind == BlockKind::AttachmentMarker)
        .unwrap_or(blocks.len());
    let (mut opener, content, has_dateline) =
        encode_part(encoder, meta, &blocks[..first_attachment]);
    if !has_dateline {
        if let Some(date) = date {
            // The date is not printed: an empty date (no words added to the text) that points
            // to its statement in the header.
            let mut element =
                Element::new("date").with_attribute("corresp", format!("#{}_date", meta.id));
            set_date_value(&mut element, &date.value);
            if let Some(cert) = &date.cert {
                element.set_attribute("cert", cert.clone());
            }
            if date.inferred_by_converter {
                element.set_attribute("resp", format!("#{CONVERTER_ID}"));
            }
            opener.push_element(
                Element::new_mixed("dateline")
                    .with_attribute("resp", format!("#{CONVERTER_ID}"))
                    .with_child(element),
            );
        }
    }
    let attachments = encode_attachments(encoder, meta, &blocks[first_attachment..]);
    for annotation in &encoder.findings.annotations {
        opener.push_element(annotation.clone());
    }
    if !opener.children.is_empty() {
        div.push_element(opener);
    }
    if attachments.is_empty() {
        for element in content {
            div.push(Node::Element(element));
        }
    } else {
        // TEI lets a division hold paragraphs and then divisions, with the closer after them
        // all; a document with attachments therefore holds its own text, closer included, in a
        // division of its own, followed by one division per attachment.
        let mut main = Element::new("div")
            .with_attribute("type", "main")
            .with_attribute("xml:id", format!("{}_main", meta.id));
        for element in content {
            main.push(Node::Element(element));
        }
        div.push_element(main);
        for attachment in attachments {
            div.push_element(attachment);
        }
    }
    div
}

/// Whether a line holds nothing but page markers.
fn is_only_page(encoder: &TextEncoder, block: &ScannedBlock) -> bool {
    block.pieces.iter().all(|p| match p {
        Piece::Page { .. } => true,
        Piece::Text(r) => encoder.is_blank(r),
        Piece::NoteRef { .. } => false,
    })
}

/// Whether a list is one of addressees or senders (`TO`, `FROM`).
fn is_addressee_list(list: &Element) -> bool {
    matches!(list.attribute("type"), Some("to" | "from"))
}

/// Whether a list's items carry labels.
fn list_is_labelled(list: &Element) -> bool {
    list.children
        .iter()
        .any(|c| matches!(c, Node::Element(e) if e.name == "label"))
}

/// One division per attachment: its marker and title as heads, then its parts.
fn encode_attachments(
    encoder: &mut TextEncoder,
    meta: &editorial::DocumentMeta,
    blocks: &[ScannedBlock],
) -> Vec<Element> {
    let mut divisions = Vec::new();
    let mut rest = blocks;
    while let Some((marker, after)) = rest.split_first() {
        let end = after
            .iter()
            .position(|b| b.kind == BlockKind::AttachmentMarker)
            .unwrap_or(after.len());
        let (own, next) = after.split_at(end);
        rest = next;
        let number = divisions.len() + 1;
        let mut div = Element::new("div")
            .with_attribute("type", "attachment")
            .with_attribute("xml:id", format!("{}_attachment{number}", meta.id));
        let mut label = Element::new_mixed("head").with_attribute("type", "label");
        label.extend(encoder.encode_pieces(&marker.pieces, false));
        div.push_element(label);
        let own = match own.split_first() {
            Some((head, body)) if head.kind == BlockKind::AttachmentHead => {
                let mut title = Element::new_mixed("head");
                title.extend(encoder.encode_pieces(&head.pieces, false));
                div.push_element(title);
                body
            }
            _ => own,
        };
        let (opener, content, _) = encode_part(encoder, meta, own);
        if !opener.children.is_empty() {
            div.push_element(opener);
        }
        for element in content {
            div.push(Node::Element(element));
        }
        divisions.push(div);
    }
    divisions
}

/// The opener and the content of a document or an attachment, and whether it has a dateline.
fn encode_part(
    encoder: &mut TextEncoder,
    meta: &editorial::DocumentMeta,
    blocks: &[ScannedBlock],
) -> (Element, Vec<Element>, bool) {
    let mut opener = Element::new("opener");
    let mut content: Vec<Element> = Vec::new();
    let mut has_dateline = false;
    for (index, block) in blocks.iter().enumerate() {
        let only_page = is_only_page(encoder, block);
        match block.kind {
            BlockKind::Paragraph if only_page => {
                // Between two participants the page turns inside their list.
                let inside_list = blocks.get(index + 1).is_some_and(|b| {
                    matches!(
                        b.kind,
                        BlockKind::Participant | BlockKind::ListItem | BlockKind::ItemLabel
                    )
                }) && content.last().is_some_and(|e| e.name == "list");
                for piece in &block.pieces {
                    if let Piece::Page {
                        number, repeated, ..
                    } = piece
                    {
                        let pb = encoder.page_break(number, *repeated);
                        match content.last_mut() {
                            Some(list) if inside_list => list.push_element(pb),
                            _ => content.push(pb),
                        }
                    }
                }
            }
            BlockKind::ParticipantsHead => {
                let mut head = Element::new_mixed("head");
                head.extend(encoder.encode_pieces(&block.pieces, false));
                content.push(
                    Element::new("list")
                        .with_attribute("type", "participants")
                        .with_child(head),
                );
            }
            BlockKind::AddresseeHead => {
                let mut head = Element::new_mixed("head");
                head.extend(encoder.encode_pieces(&block.pieces, false));
                let kind = if head.text_content().starts_with("FROM") {
                    "from"
                } else {
                    "to"
                };
                content.push(
                    Element::new("list")
                        .with_attribute("type", kind)
                        .with_child(head),
                );
            }
            BlockKind::Participant => {
                let mut item = Element::new_mixed("item");
                item.extend(encoder.encode_pieces(&block.pieces, false));
                if let Some(list) = content.last_mut().filter(|e| e.name == "list") {
                    list.push_element(item);
                }
            }
            BlockKind::Postscript => {
                let mut p = Element::new_mixed("p");
                p.extend(encoder.encode_pieces(&block.pieces, false));
                content.push(Element::new("postscript").with_child(p));
            }
            BlockKind::ItemLabel | BlockKind::ListItem => {
                let name = match block.kind {
                    BlockKind::ItemLabel => "label",
                    _ => "item",
                };
                let mut element = Element::new_mixed(name);
                element.extend(encoder.encode_pieces(&block.pieces, false));
                // The block before, page markers passed over.
                let previous = blocks[..index]
                    .iter()
                    .rev()
                    .find(|b| !(b.kind == BlockKind::Paragraph && is_only_page(encoder, b)))
                    .map(|b| b.kind);
                let after_its_label =
                    block.kind == BlockKind::ListItem && previous == Some(BlockKind::ItemLabel);
                // TEI lists label every item or none: a change starts another list, as does
                // anything else between items.
                let labelled = block.kind == BlockKind::ItemLabel;
                let continues = after_its_label
                    || matches!(previous, Some(BlockKind::ListItem))
                        && content.last().is_some_and(|list| {
                            list.name == "list"
                                && (list.attributes.is_empty() || is_addressee_list(list))
                                && list_is_labelled(list) == labelled
                        })
                    || previous == Some(BlockKind::AddresseeHead) && !labelled;
                if !continues {
                    content.push(Element::new("list"));
                }
                if let Some(list) = content.last_mut() {
                    list.push_element(element);
                }
            }
            // Read by encode_attachments before the parts of an attachment.
            BlockKind::AttachmentMarker | BlockKind::AttachmentHead => {}
            BlockKind::InlineSourceNote => {
                let mut note = Element::new_mixed("note")
                    .with_attribute("type", "source")
                    .with_attribute("place", "inline")
                    .with_attribute("xml:id", format!("{}fnsource", meta.id));
                note.extend(encoder.encode_pieces(&block.pieces, false));
                content.push(note);
            }
            BlockKind::Salute => {
                let mut salute = Element::new_mixed("salute");
                salute.extend(encoder.encode_pieces(&block.pieces, false));
                opener.push_element(salute);
            }
            BlockKind::Closing | BlockKind::Signature | BlockKind::SignerTitle => {
                if content.last().is_none_or(|e| e.name != "closer") {
                    content.push(Element::new("closer"));
                }
                let closer = content.last_mut().expect("a closer was just pushed");
                let pieces = encoder.encode_pieces(&block.pieces, false);
                match block.kind {
                    BlockKind::Closing => {
                        let mut salute = Element::new_mixed("salute");
                        salute.extend(pieces);
                        closer.push_element(salute);
                    }
                    BlockKind::Signature => {
                        let mut signed = Element::new_mixed("signed");
                        signed.extend(pieces);
                        closer.push_element(signed);
                    }
                    _ => {
                        // The office, on its own line under the name, inside the signature.
                        if let Some(Node::Element(signed)) = closer.children.last_mut() {
                            signed.push_element(Element::new("lb"));
                            signed.extend(pieces);
                        }
                    }
                }
            }
            BlockKind::Paragraph => {
                let mut p = Element::new_mixed("p");
                p.extend(encoder.encode_pieces(&block.pieces, true));
                content.push(p);
            }
            BlockKind::Subject => {
                let mut item = Element::new_mixed("item");
                item.extend(encoder.encode_pieces(&block.pieces, false));
                content.push(
                    Element::new("list")
                        .with_attribute("type", "subject")
                        .with_child(item),
                );
            }
            BlockKind::OpenerLine => {
                let mut seg = Element::new_mixed("seg");
                seg.extend(encoder.encode_pieces(&block.pieces, false));
                opener.push_element(seg);
            }
            BlockKind::Dateline => {
                has_dateline = true;
                let mut dateline = Element::new_mixed("dateline");
                dateline.extend(encoder.encode_pieces(&block.pieces, false));
                opener.push_element(dateline);
            }
        }
    }
    (opener, content, has_dateline)
}

/// The title for the header: the title line's text without the number and the note reference.
fn header_title(source: &SourceText, pieces: &[Piece]) -> String {
    let text: String = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Text(r) => Some(source.slice(r)),
            _ => None,
        })
        .collect();
    let without_number = text
        .split_once(". ")
        .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
        .map_or(text.as_str(), |(_, t)| t);
    without_number.trim().to_string()
}

/// The page the document begins on: the editor's, or the page before the first marker where
/// text (the title's included) precedes that marker. `true` marks a page the converter supplied.
fn first_page(
    meta: &editorial::DocumentMeta,
    title_pieces: &[Piece],
    blocks: &[ScannedBlock],
) -> Option<(String, bool)> {
    if let Some(page) = &meta.first_page {
        return Some((page.clone(), false));
    }
    let mut pieces = title_pieces
        .iter()
        .chain(blocks.iter().flat_map(|b| &b.pieces));
    let first_marker = pieces.clone().find_map(|p| match p {
        Piece::Page { number, .. } => Some(number),
        _ => None,
    })?;
    if matches!(pieces.next(), Some(Piece::Page { .. })) {
        None
    } else {
        first_marker.previous().map(|p| (p.label, true))
    }
}

/// Gives every page break an id of its own, in document order: a page the converter supplied
/// before the first marker, or a marker that repeats a page, must not share an id with another
/// break (`pg_5`, then `pg_5_2`, `pg_5_3`…).
fn unique_page_ids<'e>(elements: impl IntoIterator<Item = &'e mut Element>) {
    fn visit(element: &mut Element, taken: &mut std::collections::HashSet<String>) {
        if element.name == "pb" {
            if let Some(id) = element.attribute("xml:id").map(str::to_string) {
                if !taken.insert(id.clone()) {
                    let label = element.attribute("n").unwrap_or_default().to_string();
                    let unique = (2..)
                        .map(|k| page_id(&label, k))
                        .find(|candidate| !taken.contains(candidate))
                        .unwrap_or_default();
                    taken.insert(unique.clone());
                    element.set_attribute("xml:id", unique);
                }
            }
        }
        for child in element.children.iter_mut() {
            if let Node::Element(child) = child {
                visit(child, taken);
            }
        }
    }
    let mut taken = std::collections::HashSet::new();
    for element in elements {
        visit(element, &mut taken);
    }
}

fn year_of(value: &DateValue) -> Option<i32> {
    let iso = match value {
        DateValue::When(w) => w,
        DateValue::Span(a, _) | DateValue::Period(a, _) => a,
    };
    iso.get(..4)?.parse().ok()
}

fn text_of(source: &SourceText, pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(r) => source.slice(r),
            _ => " ",
        })
        .collect()
}

fn first_year(source: &SourceText, title: &[Piece], blocks: &[ScannedBlock]) -> Option<i32> {
    std::iter::once(title)
        .chain(blocks.iter().map(|b| b.pieces.as_slice()))
        .find_map(|pieces| {
            find_dates(&text_of(source, pieces), DateContext::default())
                .into_iter()
                .find(|d| d.inference.is_none())
                .and_then(|d| year_of(&d.value))
        })
}

/// The document's date: the editor's, the dateline's, or inferred from a word like "Yesterday"
/// in the first paragraph and the dates of the subject line or title.
fn document_date(
    source: &SourceText,
    title: &[Piece],
    blocks: &[ScannedBlock],
    meta: &editorial::DocumentMeta,
    gazetteer: &Gazetteer,
    volume: &VolumeData,
) -> Option<DocumentDate> {
    if let Some(date) = &meta.date {
        let value = match (&date.when, &date.not_before, &date.not_after) {
            (Some(w), _, _) => DateValue::When(w.clone()),
            (None, Some(a), Some(b)) => DateValue::Period(a.clone(), b.clone()),
            _ => return None,
        };
        return Some(DocumentDate {
            value,
            cert: date.cert.clone(),
            basis: Some(date.basis.clone()),
            inferred_by_converter: false,
        });
    }
    if let Some(dateline) = blocks.iter().find(|b| b.kind == BlockKind::Dateline) {
        let text = text_of(source, &dateline.pieces);
        if let Some(found) = find_dates(&text, DateContext::default())
            .into_iter()
            .find(|d| d.inference.is_none() && !matches!(d.value, DateValue::Period(..)))
        {
            // A time is local to the place named before it.
            let offset =
                body::PlaceTimes::new(volume, &gazetteer.find(&text)).before(found.range.start);
            let zone = |v: String| {
                let local = offset.as_ref().map(|o| o.offset_at(&v)).unwrap_or_default();
                v.replace(dates::LOCAL_OFFSET, &local)
            };
            let value = match found.value {
                DateValue::When(v) => DateValue::When(zone(v)),
                DateValue::Span(a, b) => DateValue::Span(zone(a), zone(b)),
                other => other,
            };
            return Some(DocumentDate {
                value,
                cert: None,
                basis: None,
                inferred_by_converter: false,
            });
        }
    }
    // Anchor: the first complete date or span of the subject line, else of the title.
    let subject = blocks.iter().find(|b| b.kind == BlockKind::Subject);
    let (anchor_text, anchor_where) = match subject {
        Some(s) => (text_of(source, &s.pieces), "the subject line"),
        None => (text_of(source, title), "the title"),
    };
    let anchor = find_dates(&anchor_text, DateContext::default())
        .into_iter()
        .find(|d| d.inference.is_none())?;
    let anchor_day = match &anchor.value {
        DateValue::When(w) | DateValue::Span(_, w) => CivilDate::parse(w)?,
        DateValue::Period(..) => return None,
    };
    let paragraph = blocks.iter().find(|b| b.kind == BlockKind::Paragraph)?;
    let paragraph_text = text_of(source, &paragraph.pieces);
    let first_sentence_end = paragraph_text
        .find(". ")
        .map_or(paragraph_text.len(), |i| i + 1);
    let first_sentence = &paragraph_text[..first_sentence_end];
    let relative = find_dates(
        first_sentence,
        DateContext {
            year: None,
            document_date: Some(anchor_day),
        },
    )
    .into_iter()
    .find(|d| d.inference == Some(dates::Inference::RelativeToDocument))?;
    let word = first_sentence[relative.range.clone()].to_lowercase();
    let day = match word.as_str() {
        "yesterday" => anchor_day.succ(),
        "today" => anchor_day,
        "tomorrow" => anchor_day.pred(),
        _ => return None,
    };
    let sentence_text = first_sentence
        .split_once(": ")
        .map_or(first_sentence, |(_, s)| s)
        .trim();
    let basis = format!(
        "The date of the document is not printed in the source. It is inferred from the first sentence (“{sentence_text}”), which is dated relative to the events of {anchor_where} ({}, ending {}): the document was written on {}.",
        &anchor_text[anchor.range.clone()],
        human(anchor_day),
        human(day),
    );
    Some(DocumentDate {
        value: DateValue::When(day.to_string()),
        cert: Some("medium".to_string()),
        basis: Some(basis),
        inferred_by_converter: true,
    })
}

fn human(day: CivilDate) -> String {
    header::human_date(&DateValue::When(day.to_string()))
}

/// The list of the abbreviations used, as FRUS prints it at the front of a volume.
fn terms_list(volume: &VolumeData, findings: &Findings) -> Option<Element> {
    if findings.abbreviations.is_empty() {
        return None;
    }
    let mut list = Element::new("list").with_attribute("type", "terms");
    for abbreviation in &volume.abbreviations {
        if findings.abbreviations.contains(abbreviation.id.get_ref()) {
            list.push_element(
                Element::new_mixed("item")
                    .with_child(
                        Element::new("term")
                            .with_attribute("xml:id", abbreviation.id.get_ref().clone())
                            .with_text(&abbreviation.form),
                    )
                    .with_text(", ")
                    .with_child(Element::new("gloss").with_text(&abbreviation.expansion)),
            );
        }
    }
    Some(
        Element::new("back").with_child(
            Element::new("div")
                .with_attribute("type", "section")
                .with_attribute("subtype", "index")
                .with_attribute("xml:id", "terms")
                .with_child(Element::new_mixed("head").with_text("Abbreviations and Terms"))
                .with_child(list),
        ),
    )
}

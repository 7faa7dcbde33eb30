//! A FRUS volume file: the header, the front matter built from the registers, and the documents
//! in number order in one compilation division — the shape of `volumes/VOLUME.xml` in the
//! Office of the Historian's repository.

use super::document::{frus_document, FrusDocument, FRUS_NS};
use crate::base::calendar::parse_utc_offset;
use crate::base::diagnostic::Diagnostic;
use crate::convert::editorial::{key_location, VolumeData};
use crate::convert::DocumentTree;
use crate::xml::{Element, Node, TEI_NS};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// One converted document of a volume, with the file its number and id come from.
#[derive(Debug, Clone)]
pub struct VolumeEntry {
    /// The document's data file (`dN.toml`), named in messages about its number or id.
    pub data_file: PathBuf,
    /// The converted document.
    pub tree: DocumentTree,
}

/// A volume ready to write, and what is worth knowing about it.
#[derive(Debug, Clone)]
pub struct FrusVolume {
    /// The `TEI` element, with `xml:id` the volume's id.
    pub tei: Element,
    /// Things that did not stop the volume: gaps in the document numbers, a page break two
    /// documents both begin with.
    pub warnings: Vec<Diagnostic>,
}

/// Ids the volume's own structure uses; a register entry may not take one.
const STRUCTURAL_IDS: [&str; 4] = ["terms", "persons", "comp1", "right"];

/// Assembles the volume from its data and its converted documents (in any order).
///
/// Fails, naming each file and line, where the volume cannot be written as FRUS writes it: a
/// header field the volume needs is missing, a register entry FRUS's lists cannot express, two
/// documents with one number or one id, or ids that collide across the volume.
pub fn assemble_volume(
    volume: &VolumeData,
    entries: &[VolumeEntry],
) -> Result<FrusVolume, Vec<Diagnostic>> {
    let mut errors = header_problems(volume);
    errors.extend(register_problems(volume));
    let offset = volume
        .volume
        .default_utc_offset
        .as_deref()
        .and_then(parse_utc_offset)
        .unwrap_or(0);
    let mut by_number: BTreeMap<u32, &VolumeEntry> = BTreeMap::new();
    let mut by_id: HashMap<&str, &VolumeEntry> = HashMap::new();
    for entry in entries {
        if let Some(first) = by_number.insert(entry.tree.number, entry) {
            errors.push(Diagnostic::error(
                key_location(&entry.data_file, "document", "number"),
                format!(
                    "document number {} is also the number of {}; a volume numbers its documents once",
                    entry.tree.number,
                    first.data_file.display()
                ),
            ));
        }
        let id = entry.tree.division.attribute("xml:id").unwrap_or_default();
        if let Some(first) = by_id.insert(id, entry) {
            errors.push(Diagnostic::error(
                key_location(&entry.data_file, "document", "id"),
                format!(
                    "document id `{id}` is also the id of {}; ids are unique across the volume",
                    first.data_file.display()
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut warnings = Vec::new();
    let documents: Vec<(&VolumeEntry, FrusDocument)> = by_number
        .values()
        .map(|entry| (*entry, frus_document(&entry.tree, offset)))
        .collect();
    let numbers: Vec<u32> = by_number.keys().copied().collect();
    if let Some(gaps) = gaps(&numbers) {
        warnings.push(Diagnostic::warning(
            crate::base::diagnostic::Location::file_start(&volume.path),
            format!(
                "the volume's documents are not numbered consecutively (missing {gaps}); FRUS's Schematron expects every document of a volume"
            ),
        ));
    }

    let mut compilation = Element::new("div")
        .with_attribute("type", "compilation")
        .with_attribute("xml:id", "comp1")
        .with_child(Element::new_mixed("head").with_text("Documents"));
    // The register's ids are unique among themselves (checked when volume.toml is read) and
    // none has a structural form (checked above): these claims cannot fail.
    let mut ids = IdRegistry::default();
    for id in STRUCTURAL_IDS {
        let _ = ids.claim(id, "the volume's structure");
    }
    for person in &volume.persons {
        let _ = ids.claim(person.id.get_ref(), "the list of persons");
    }
    for term in &volume.abbreviations {
        let _ = ids.claim(term.id.get_ref(), "the list of terms");
    }
    let mut bounds: Option<(String, String)> = None;
    let mut pending_pages: Vec<Element> = Vec::new();
    for (entry, mut document) in documents {
        let owner = entry.data_file.display().to_string();
        for pb in pending_pages.drain(..) {
            compilation.push_element(pb);
        }
        if let Some(pb) = document.page_before.take() {
            // The converter infers that a document stands on the page before its first page
            // marker; where an earlier document of the volume holds that page's break, the page
            // began there.
            let id = pb.attribute("xml:id").unwrap_or_default().to_string();
            if ids.claim(&id, &owner).is_ok() {
                compilation.push_element(pb);
            }
        }
        if let Err(problems) = ids.claim_all(&mut document.division, &owner) {
            errors.extend(problems.into_iter().map(|message| {
                Diagnostic::error(
                    crate::base::diagnostic::Location::file_start(&entry.data_file),
                    message,
                )
            }));
        }
        if let (Some(min), Some(max)) = (
            document.division.attribute("frus:doc-dateTime-min"),
            document.division.attribute("frus:doc-dateTime-max"),
        ) {
            bounds = Some(match bounds {
                None => (min.to_string(), max.to_string()),
                Some((low, high)) => (
                    if min < low.as_str() {
                        min.to_string()
                    } else {
                        low
                    },
                    if max > high.as_str() {
                        max.to_string()
                    } else {
                        high
                    },
                ),
            });
        }
        compilation.push_element(document.division);
        // A page that begins after a document's last words begins before the next document;
        // after the last one, in the body (where FRUS allows a page break to end its parent).
        for pb in document.pages_after {
            let id = pb.attribute("xml:id").unwrap_or_default().to_string();
            if id.is_empty() || ids.claim(&id, &owner).is_ok() {
                pending_pages.push(pb);
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let tei = Element::new("TEI")
        .with_attribute("xmlns", TEI_NS)
        .with_attribute("xmlns:frus", FRUS_NS)
        .with_attribute("xml:id", volume.volume.id.clone())
        .with_child(header(volume, bounds.as_ref()))
        .with_child(Element::new("text").with_child(front(volume)).with_child({
            let mut body = Element::new("body").with_child(compilation);
            for pb in pending_pages {
                body.push_element(pb);
            }
            body
        }));
    Ok(FrusVolume { tei, warnings })
}

/// The missing numbers between the first and the last, as `4, 6–35`.
fn gaps(numbers: &[u32]) -> Option<String> {
    let ranges: Vec<String> = numbers
        .windows(2)
        .filter(|w| w[1] > w[0] + 1)
        .map(|w| match (w[0] + 1, w[1] - 1) {
            (a, b) if a == b => a.to_string(),
            (a, b) => format!("{a}–{b}"),
        })
        .collect();
    (!ranges.is_empty()).then(|| ranges.join(", "))
}

/// Every `xml:id` of the volume and what holds it.
#[derive(Default)]
struct IdRegistry {
    owners: HashMap<String, String>,
}

impl IdRegistry {
    fn claim(&mut self, id: &str, owner: &str) -> Result<(), String> {
        match self.owners.get(id) {
            Some(first) => Err(first.clone()),
            None => {
                self.owners.insert(id.to_string(), owner.to_string());
                Ok(())
            }
        }
    }

    /// Claims every id in `element`; a page break whose page another document already began
    /// loses its id (the page number stays), anything else that collides is a problem.
    fn claim_all(&mut self, element: &mut Element, owner: &str) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        self.walk(element, owner, &mut problems);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    fn walk(&mut self, element: &mut Element, owner: &str, problems: &mut Vec<String>) {
        if let Some(id) = element.attribute("xml:id").map(str::to_string) {
            if let Err(first) = self.claim(&id, owner) {
                problems.push(format!(
                    "the id `{id}` of a <{}> is already used by {first}; ids are unique across the volume",
                    element.name
                ));
            }
        }
        for child in &mut element.children {
            if let Node::Element(child) = child {
                self.walk(child, owner, problems);
            }
        }
    }
}

fn header_problems(volume: &VolumeData) -> Vec<Diagnostic> {
    let data = &volume.volume;
    let missing = |key: &str, why: &str| {
        Diagnostic::error(
            key_location(&volume.path, "volume", key),
            format!("`{key}` is needed for a FRUS volume: {why}"),
        )
    };
    let mut problems = Vec::new();
    let fields = [
        (
            "id",
            &data.id,
            "the volume's id (`frus1969-76v10`) names the file and its root",
        ),
        ("title", &data.title, "the volume's title"),
        ("publisher", &data.publisher, "the publisher"),
        ("pub_place", &data.pub_place, "the place of publication"),
        ("published", &data.published, "the year of publication"),
    ];
    for (key, value, why) in fields {
        if value.trim().is_empty() {
            problems.push(missing(key, why));
        }
    }
    if !data.id.is_empty() && !crate::convert::editorial::is_ncname(&data.id) {
        problems.push(Diagnostic::error(
            key_location(&volume.path, "volume", "id"),
            format!(
                "`{}` cannot be the volume's xml:id (expected a name such as `frus1969-76v10`)",
                data.id
            ),
        ));
    }
    match data.default_utc_offset.as_deref() {
        None => problems.push(missing(
            "default_utc_offset",
            "FRUS writes every document's date bounds in one offset (`-05:00`, Washington)",
        )),
        Some(offset) if parse_utc_offset(offset).is_none() => problems.push(Diagnostic::error(
            key_location(&volume.path, "volume", "default_utc_offset"),
            format!("`{offset}` is not a UTC offset (expected `-05:00`, `+09:00` or `Z`)"),
        )),
        Some(_) => {}
    }
    problems
}

/// Entries FRUS's lists cannot hold: a person without a name, a term without its expansion, an
/// id the volume's structure uses.
fn register_problems(volume: &VolumeData) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut check = |id: &toml::Spanned<String>, empty: Option<&str>| {
        if let Some(what) = empty {
            problems.push(Diagnostic::error(
                volume.location_of(id),
                format!(
                    "register entry `{}` has no {what}; FRUS's list gives every entry one in bold",
                    id.get_ref()
                ),
            ));
        }
        if STRUCTURAL_IDS.contains(&id.get_ref().as_str()) || is_document_style_id(id.get_ref()) {
            problems.push(Diagnostic::error(
                volume.location_of(id),
                format!(
                    "register id `{}` has the form of an id the volume gives its own parts (documents `d59`, notes `d59fn1`, pages `pg_287`, lists `persons`, `terms`)",
                    id.get_ref()
                ),
            ));
        }
    };
    for person in &volume.persons {
        check(&person.id, person.name.trim().is_empty().then_some("name"));
    }
    for term in &volume.abbreviations {
        let empty = if term.form.trim().is_empty() {
            Some("form")
        } else if term.expansion.trim().is_empty() {
            Some("expansion")
        } else {
            None
        };
        check(&term.id, empty);
    }
    problems
}

/// `d59`, `d59fn1`, `pg_287`: the forms of the ids of documents, notes and pages.
fn is_document_style_id(id: &str) -> bool {
    let document = id
        .strip_prefix('d')
        .map(|rest| rest.trim_start_matches(|c: char| c.is_ascii_digit()))
        .filter(|rest| rest.len() < id.len() - 1);
    matches!(document, Some(rest) if rest.is_empty() || rest.starts_with("fn"))
        || id.starts_with("pg_")
}

fn header(volume: &VolumeData, bounds: Option<&(String, String)>) -> Element {
    let data = &volume.volume;
    let volume_number = data.number_title();
    // Older volumes have no sub-series, number or editors: the header has what the volume has.
    let mut parts: Vec<&str> = [
        data.series.as_str(),
        &data.subseries,
        &volume_number,
        &data.title,
    ]
    .into_iter()
    .map(str::trim)
    .filter(|part| !part.is_empty())
    .collect();
    parts.dedup(); // 1861: the sub-series and the title are the same words
    let complete = parts.join(", ");
    let title = |kind: &str, text: &str| {
        Element::new_mixed("title")
            .with_attribute("type", kind)
            .with_text(text)
    };
    let mut title_stmt = Element::new("titleStmt").with_child(title("complete", &complete));
    for (kind, text) in [
        ("series", data.series.as_str()),
        ("sub-series", &data.subseries),
        ("volume-number", &volume_number),
        ("volume", &data.title),
    ] {
        if !text.trim().is_empty() {
            title_stmt.push_element(title(kind, text));
        }
    }
    for editor in data.editors.iter().filter(|e| !e.trim().is_empty()) {
        title_stmt.push_element(
            Element::new_mixed("editor")
                .with_attribute("role", "primary")
                .with_text(editor),
        );
    }
    let mut publication = Element::new("publicationStmt")
        .with_child(Element::new_mixed("publisher").with_text(&data.publisher))
        .with_child(Element::new_mixed("pubPlace").with_text(&data.pub_place))
        .with_child(
            Element::new_mixed("date")
                .with_attribute("type", "publication-date")
                .with_attribute("calendar", "gregorian")
                .with_text(&data.published),
        )
        .with_child(
            Element::new_mixed("idno")
                .with_attribute("type", "frus")
                .with_text(&data.id),
        );
    if let Some((min, max)) = bounds {
        let years = (&min[..4], &max[..4]);
        let text = if years.0 == years.1 {
            years.0.to_string()
        } else {
            format!("{} to {}", years.0, years.1)
        };
        publication.push_element(
            Element::new_mixed("date")
                .with_attribute("type", "content-date")
                .with_attribute("calendar", "gregorian")
                .with_attribute("notBefore", min.clone())
                .with_attribute("notAfter", max.clone())
                .with_text(&text),
        );
    }
    let mut statement = format!(
        "Encoded from the plain text of the printed volume by teikit {}.",
        env!("CARGO_PKG_VERSION")
    );
    if let Some(distributor) = &data.distributor {
        statement.push_str(&format!(" Distributed by {distributor}."));
    }
    if !data.availability.trim().is_empty() {
        statement.push(' ');
        statement.push_str(data.availability.trim());
    }
    let notes = Element::new("notesStmt").with_child(
        Element::new_mixed("note").with_text(
            "Names are linked to the list of persons and abbreviations to the list of terms; places, organisations and the evidence for inferred dates, recorded in teikit's default TEI output, are not part of this file.",
        ),
    );
    let file_desc = Element::new("fileDesc")
        .with_child(title_stmt)
        .with_child(publication)
        .with_child(notes)
        .with_child(
            Element::new("sourceDesc").with_child(Element::new_mixed("p").with_text(&statement)),
        );
    let renditions = [
        ("right", "display: inline; float: right;"),
        ("left", "display: inline; float: left;"),
    ];
    let mut tags = Element::new("tagsDecl");
    for (id, css) in renditions {
        tags.push_element(
            Element::new_mixed("rendition")
                .with_attribute("xml:id", id)
                .with_text(css),
        );
    }
    let encoding = Element::new("encodingDesc")
        .with_child(
            Element::new("styleDefDecl")
                .with_attribute("scheme", "css")
                .with_attribute("schemeVersion", "2.1"),
        )
        .with_child(tags);
    Element::new("teiHeader")
        .with_child(file_desc)
        .with_child(encoding)
}

/// The title page and the lists of terms and persons, sorted as FRUS prints them.
fn front(volume: &VolumeData) -> Element {
    let data = &volume.volume;
    let part = |kind: &str, text: &str| {
        Element::new_mixed("titlePart")
            .with_attribute("type", kind)
            .with_text(text)
    };
    let mut title_page = Element::new("titlePage")
        .with_attribute("type", "main")
        .with_child(
            [
                ("series", data.series.clone()),
                ("subseries", data.subseries.clone()),
                ("volumenumber", data.number_title()),
                ("volume", data.title.clone()),
            ]
            .into_iter()
            .filter(|(_, text)| !text.trim().is_empty())
            .fold(Element::new("docTitle"), |title, (kind, text)| {
                title.with_child(part(kind, &text))
            }),
        );
    for editor in data.editors.iter().filter(|e| !e.trim().is_empty()) {
        title_page.push_element(
            Element::new_mixed("byline")
                .with_text("Editor: ")
                .with_child(Element::new_mixed("persName").with_text(editor)),
        );
    }
    title_page.push_element(
        Element::new("docImprint")
            .with_child(Element::new_mixed("publisher").with_text(&data.publisher))
            .with_child(Element::new_mixed("pubPlace").with_text(&data.pub_place))
            .with_child(Element::new_mixed("docDate").with_text(&data.published)),
    );
    let mut front = Element::new("front").with_child(title_page);

    let mut terms: Vec<_> = volume.abbreviations.iter().collect();
    terms.sort_by_key(|t| (t.form.to_lowercase(), t.id.get_ref().clone()));
    let items = terms.iter().map(|t| {
        list_item(
            Element::new_mixed("term")
                .with_attribute("xml:id", t.id.get_ref().clone())
                .with_text(&t.form),
            Some(&t.expansion),
        )
    });
    if let Some(div) = index_division("terms", "Abbreviations and Terms", "terms", items) {
        front.push_element(div);
    }
    let mut persons: Vec<_> = volume.persons.iter().collect();
    persons.sort_by_key(|p| (p.name.to_lowercase(), p.id.get_ref().clone()));
    let items = persons.iter().map(|p| {
        list_item(
            Element::new_mixed("persName")
                .with_attribute("xml:id", p.id.get_ref().clone())
                .with_text(&p.name),
            Some(&p.identification),
        )
    });
    if let Some(div) = index_division("persons", "Persons", "names", items) {
        front.push_element(div);
    }
    front
}

/// `<item><hi rend="strong"><term xml:id="t_X">X</term>,</hi> what it is</item>`.
fn list_item(entry: Element, description: Option<&str>) -> Element {
    let description = description.map(str::trim).filter(|d| !d.is_empty());
    let mut strong = Element::new_mixed("hi")
        .with_attribute("rend", "strong")
        .with_child(entry);
    let mut item = Element::new_mixed("item");
    match description {
        Some(text) => {
            strong.push_text(",");
            item.push_element(strong);
            item.push_text(&format!(" {text}"));
        }
        None => item.push_element(strong),
    }
    item
}

fn index_division(
    id: &str,
    head: &str,
    list_type: &str,
    items: impl Iterator<Item = Element>,
) -> Option<Element> {
    let mut list = Element::new("list").with_attribute("type", list_type);
    for item in items {
        list.push_element(item);
    }
    (!list.children.is_empty()).then(|| {
        Element::new("div")
            .with_attribute("type", "section")
            .with_attribute("subtype", "index")
            .with_attribute("xml:id", id)
            .with_child(Element::new_mixed("head").with_text(head))
            .with_child(list)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_listed_as_ranges() {
        assert_eq!(gaps(&[1, 2, 3]), None);
        assert_eq!(
            gaps(&[1, 2, 3, 5, 36, 91]).as_deref(),
            Some("4, 6–35, 37–90")
        );
    }

    #[test]
    fn ids_in_the_form_of_the_volumes_own_are_recognised() {
        assert!(is_document_style_id("d59"));
        assert!(is_document_style_id("d59fn1"));
        assert!(is_document_style_id("pg_287"));
        assert!(!is_document_style_id("d_Dobrynin"));
        assert!(!is_document_style_id("p_KHA_1"));
        assert!(!is_document_style_id("d"));
    }
}

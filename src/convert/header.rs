//! The `teiHeader`: what the document is, where it comes from, who and what it mentions, and
//! what the converter did to it.

use super::body::{Findings, CONVERTER_ID};
use super::dates::DateValue;
use super::editorial::{DocumentMeta, Entity, EntryKind, VolumeData};
use crate::xml::Element;

/// The document's own date, as determined before encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentDate {
    /// The value.
    pub value: DateValue,
    /// How sure (`@cert`), where it is not printed.
    pub cert: Option<String>,
    /// How it was determined, where it is not printed.
    pub basis: Option<String>,
    /// Whether the converter inferred it (rather than reading it or taking it from the editor).
    pub inferred_by_converter: bool,
}

/// What the header is made from.
pub struct HeaderInput<'a> {
    /// The volume and its registers.
    pub volume: &'a VolumeData,
    /// The document's editorial data.
    pub document: &'a DocumentMeta,
    /// The title, without number and note reference.
    pub title: String,
    /// The document's date, if known.
    pub date: Option<&'a DocumentDate>,
    /// The page the document begins on, and whether that was inferred.
    pub first_page: Option<(String, bool)>,
    /// Whether the source had a dateline, a subject line and a signature.
    pub parts: (bool, bool, bool),
    /// What the text contains.
    pub findings: &'a Findings,
}

/// `teiHeader` for the document.
pub fn build_header(input: &HeaderInput) -> Element {
    Element::new("teiHeader")
        .with_child(file_desc(input))
        .with_child(encoding_desc(input))
        .with_child(profile_desc(input))
}

fn text_element(name: &str, text: &str) -> Element {
    Element::new(name).with_text(text)
}

/// `name` holding `text`, or nothing where the volume leaves the field empty.
fn filled(name: &str, text: &str) -> Option<Element> {
    (!text.trim().is_empty()).then(|| text_element(name, text.trim()))
}

/// The year (or date) of publication; `@when` only where it is an ISO year or date.
fn publication_date(volume: &crate::convert::editorial::Volume) -> Option<Element> {
    let date = filled("date", &volume.published)?;
    let iso = crate::relaxng::datatype::is_w3c_temporal(volume.published.trim());
    Some(if iso {
        date.with_attribute("when", volume.published.trim().to_string())
    } else {
        date
    })
}

fn resp() -> String {
    format!("#{CONVERTER_ID}")
}

fn file_desc(input: &HeaderInput) -> Element {
    let v = &input.volume.volume;
    let described = input.volume.is_described();
    let mut title_stmt = Element::new("titleStmt")
        .with_child(text_element("title", &input.title).with_attribute("type", "main"));
    if described {
        // A field the volume leaves empty (older volumes have no number or sub-series; a new
        // volume.toml may not be filled in yet) is left out, not written empty.
        let titles = [
            (v.series.clone(), "series"),
            (v.subseries.clone(), "sub-series"),
            (v.number_title(), "volume-number"),
            (v.title.clone(), "volume"),
        ];
        for (title, kind) in titles {
            if !title.trim().is_empty() {
                title_stmt.push_element(text_element("title", &title).with_attribute("type", kind));
            }
        }
    }
    for editor in &v.editors {
        title_stmt.push_element(text_element("editor", editor).with_attribute("role", "primary"));
    }
    title_stmt.push_element(
        Element::new("respStmt")
            .with_child(text_element("resp", "Conversion from plain text to TEI P5"))
            .with_child(text_element("name", "teikit").with_attribute("ref", resp())),
    );

    let publication = if described {
        // TEI names a publisher before any other detail of publication: where volume.toml
        // names none yet, that is said there.
        let publisher = v.distributor.as_deref().unwrap_or(&v.publisher);
        let publisher = filled("publisher", publisher).unwrap_or_else(|| {
            text_element(
                "publisher",
                "Not yet named in the volume's data (volume.toml)",
            )
        });
        let mut publication = Element::new("publicationStmt").with_child(publisher);
        if let Some(element) = filled("pubPlace", &v.pub_place) {
            publication.push_element(element);
        }
        if let Some(element) = publication_date(v) {
            publication.push_element(element);
        }
        publication.push_element(
            text_element("idno", &format!("{}{}", v.id, input.document.id))
                .with_attribute("type", "frus"),
        );
        if let Some(paragraph) = filled("p", &v.availability) {
            publication.push_element(Element::new("availability").with_child(paragraph));
        }
        publication
    } else {
        // No volume.toml: nothing is known of a publication, and nothing is invented.
        Element::new("publicationStmt").with_child(text_element(
            "publisher",
            "Unpublished: converted by teikit without the editor's data of a volume",
        ))
    };

    let mut source_desc = Element::new("sourceDesc");
    if described {
        source_desc.push_element(volume_bibl(input));
    }
    if let Some((archival, note_id)) = &input.findings.archival {
        let mut identifier = Element::new("msIdentifier")
            .with_child(text_element("repository", &archival.repository));
        if let Some(collection) = &archival.collection {
            identifier.push_element(text_element("collection", collection));
        }
        for (i, series) in archival.series.iter().enumerate() {
            let kind = if i == 0 { "series" } else { "subseries" };
            identifier
                .push_element(text_element("collection", series).with_attribute("type", kind));
        }
        if let Some(box_number) = &archival.box_number {
            identifier.push_element(text_element("idno", box_number).with_attribute("type", "box"));
        }
        if let Some(folder) = &archival.folder {
            identifier.push_element(text_element("idno", folder).with_attribute("type", "folder"));
        }
        source_desc.push_element(
            Element::new("msDesc")
                .with_attribute("corresp", format!("#{note_id}"))
                .with_child(identifier),
        );
    }
    let registers = [
        (EntryKind::Person, "listPerson"),
        (EntryKind::Place, "listPlace"),
        (EntryKind::Org, "listOrg"),
    ];
    for (kind, list_name) in registers {
        let entries = register_entries(input, kind);
        if !entries.is_empty() {
            let mut list = Element::new(list_name);
            for entry in entries {
                list.push_element(entry);
            }
            source_desc.push_element(list);
        }
    }
    if source_desc.children.is_empty() {
        source_desc.push_element(text_element(
            "p",
            "A document received as plain text; no volume describes it.",
        ));
    }
    Element::new("fileDesc")
        .with_child(title_stmt)
        .with_child(publication)
        .with_child(source_desc)
}

fn volume_bibl(input: &HeaderInput) -> Element {
    let v = &input.volume.volume;
    let mut bibl = Element::new("bibl").with_attribute("type", "volume");
    let mut started = false;
    if let Some(series) = filled("title", &v.series) {
        bibl.push_element(series.with_attribute("level", "s"));
        started = true;
    }
    let number = v.number_title();
    let monograph: Vec<&str> = [v.subseries.as_str(), number.as_str(), v.title.as_str()]
        .into_iter()
        .filter(|part| !part.trim().is_empty())
        .collect();
    if !monograph.is_empty() {
        if started {
            bibl.push_text(", ");
        }
        bibl.push_element(
            text_element("title", &monograph.join(", ")).with_attribute("level", "m"),
        );
    }
    for editor in v.editors.iter().filter(|e| !e.trim().is_empty()) {
        bibl.push_text(", ");
        bibl.push_element(text_element("editor", editor));
    }
    let place = filled("pubPlace", &v.pub_place);
    let publisher = filled("publisher", &v.publisher);
    let date = publication_date(v);
    if place.is_some() || publisher.is_some() || date.is_some() {
        bibl.push_text(" (");
        let mut first = true;
        for (element, before) in [(place, ""), (publisher, ": "), (date, ", ")] {
            if let Some(element) = element {
                if !first {
                    bibl.push_text(before);
                }
                bibl.push_element(element);
                first = false;
            }
        }
        bibl.push_text(")");
    }
    bibl.push_text(", ");
    let number = input.document.number.to_string();
    bibl.push_element(
        text_element("biblScope", &format!("Document {number}"))
            .with_attribute("unit", "document")
            .with_attribute("n", number),
    );
    let pages = &input.findings.pages;
    let first = input
        .first_page
        .as_ref()
        .map(|(p, _)| p.clone())
        .or_else(|| pages.first().cloned());
    if let Some(first) = first {
        let last = pages.last().cloned().unwrap_or_else(|| first.clone());
        bibl.push_text(", ");
        let scope = if first == last {
            text_element("biblScope", &format!("p. {first}")).with_attribute("unit", "page")
        } else {
            text_element("biblScope", &format!("pp. {first}–{last}")).with_attribute("unit", "page")
        };
        bibl.push_element(
            scope
                .with_attribute("from", first)
                .with_attribute("to", last),
        );
    }
    bibl
}

fn register_entries(input: &HeaderInput, kind: EntryKind) -> Vec<Element> {
    let used = |id: &str| input.findings.entries.contains(&(kind, id.to_string()));
    let entity = |e: &Entity, element: &str, name: &str| {
        let mut entry = Element::new(element)
            .with_attribute("xml:id", e.id.get_ref().clone())
            .with_child(text_element(name, &e.name));
        if let Some(identification) = &e.identification {
            entry.push_element(
                text_element("note", identification).with_attribute("type", "identification"),
            );
        }
        entry
    };
    let volume = input.volume;
    match kind {
        EntryKind::Person => volume
            .persons
            .iter()
            .filter(|p| used(p.id.get_ref()))
            .map(|p| {
                Element::new("person")
                    .with_attribute("xml:id", p.id.get_ref().clone())
                    .with_child(text_element("persName", &p.name))
                    .with_child(
                        text_element("note", &p.identification)
                            .with_attribute("type", "identification"),
                    )
            })
            .collect(),
        EntryKind::Place => volume
            .places
            .iter()
            .filter(|p| used(p.id.get_ref()))
            .map(|p| entity(p, "place", "placeName"))
            .collect(),
        EntryKind::Org => volume
            .orgs
            .iter()
            .filter(|o| used(o.id.get_ref()))
            .map(|o| entity(o, "org", "orgName"))
            .collect(),
    }
}

fn paragraph(text: &str) -> Element {
    text_element("p", text)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn encoding_desc(input: &HeaderInput) -> Element {
    let f = input.findings;
    let doc_id = &input.document.id;
    let app = Element::new("appInfo").with_child(
        Element::new("application")
            .with_attribute("xml:id", CONVERTER_ID)
            .with_attribute("ident", "teikit")
            .with_attribute("version", env!("CARGO_PKG_VERSION"))
            .with_child(text_element("label", "teikit"))
            .with_child(text_element(
                "desc",
                "Converts FRUS documents from plain text to TEI P5; every decision it made is described in editorialDecl and marked with @resp where it stands.",
            )),
    );

    let mut editorial = Element::new("editorialDecl");
    let (dateline, subject, signature) = input.parts;
    let mut segmentation = String::from(
        "Each line of the source is a paragraph; a paragraph consisting only of a page marker is a page break between paragraphs.",
    );
    if subject {
        segmentation.push_str(" The subject line, printed with a bullet, is a list of type “subject”; the bullet is not kept.");
    }
    if dateline {
        segmentation.push_str(" The dateline opens the document.");
    }
    if signature {
        segmentation.push_str(" The last line, a signature, closes the document.");
    }
    if f.run_in_heads > 0 {
        segmentation.push_str(&format!(
            " {} at the start of paragraphs, ended by a colon or a dash, are labels of type “run-in”; the delimiter stays in the text after the label.",
            plural(f.run_in_heads, "run-in head", "run-in heads")
        ));
    }
    editorial.push_element(Element::new("segmentation").with_child(paragraph(&segmentation)));

    if !f.repairs.is_empty() {
        let mut p = Element::new("p").with_text(&format!(
            "The received text lost the dash after {}, gluing the head to the following word. The converter recognised them (the first part ends an earlier head of the document, the second is a name of the registers) and supplied the dash as the other heads have it, marked as supplied with reason “omitted-in-transmission”:",
            plural(f.repairs.len(), "run-in head", "run-in heads")
        ));
        for (i, repair) in f.repairs.iter().enumerate() {
            p.push_text(if i == 0 { " " } else { "; " });
            p.push_text(&format!(
                "“{}” → “{}” (line {}, ",
                repair.received, repair.encoded, repair.location.line
            ));
            p.push_element(Element::new("ptr").with_attribute("target", format!("#{}", repair.id)));
            p.push_text(")");
        }
        p.push_text(".");
        editorial.push_element(Element::new("correction").with_child(p));
    }

    let mut normalization = Vec::new();
    if !f.pages.is_empty() {
        let inside_words = match f.pages_inside_words {
            0 => String::new(),
            n => format!("; {n} of them inside a word, marked break=\"no\""),
        };
        normalization.push(format!(
            "The page markers “[Page N]” of the source are page breaks (pb) where the page turns: {}{inside_words}.",
            plural(f.pages.len(), "marker", "markers")
        ));
    }
    if let Some((first, true)) = &input.first_page {
        normalization.push(format!(
            "The document begins on page {first}, the page before its first marker; a page break before the document records it."
        ));
    }
    if f.notes > 0 {
        normalization.push(format!(
            "The note numbers printed in the text are removed; the {} listed at the end of the source stand at their reference points, numbered as printed, with ids of the form {doc_id}fnN.",
            plural(f.notes, "note", "notes")
        ));
    }
    normalization.push(
        "Text is kept as received, character for character, apart from the markers named here; spaces at the ends of lines are not kept."
            .to_string(),
    );
    let mut norm = Element::new("normalization");
    for p in normalization {
        norm.push_element(paragraph(&p));
    }
    editorial.push_element(norm);

    if f.dates > 0 {
        let mut text = format!(
            "{} normalised to ISO 8601 in @when, @from/@to (stated spans) or @notBefore/@notAfter (vague periods).",
            plural(f.dates, "date expression is", "date expressions are")
        );
        if f.dates_with_inferred_year > 0 {
            text.push_str(&format!(
                " The year of {} not printed with it is the document's (@cert high, @resp, @evidence internal).",
                plural(f.dates_with_inferred_year, "date", "dates")
            ));
        }
        if f.relative_dates > 0 {
            text.push_str(&format!(
                " {} relative to the document (“yesterday”, “last Saturday”) computed from the document's date (@cert medium).",
                plural(f.relative_dates, "date", "dates")
            ));
        }
        if f.periods > 0 {
            text.push_str(&format!(
                " {} given bounds: the beginning of a month is days 1–10, the middle 11–20, the end 21 to the last day (@cert medium).",
                plural(f.periods, "vague period is", "vague periods are")
            ));
        }
        if f.zoned_times > 0 {
            text.push_str(&format!(
                " {} the UTC offset of the place named before them.",
                plural(f.zoned_times, "time carries", "times carry")
            ));
        }
        editorial.push_element(Element::new("stdVals").with_child(paragraph(&text)));
    }

    let mut interpretation = Element::new("interpretation");
    let count = |kind| f.entries.iter().filter(|(k, _)| *k == kind).count();
    let mut names = format!(
        "Names are tagged from the registers of the volume ({}, {}, {}), each pointing with @ref to its entry in the source description; a title printed before a name is a roleName inside it.",
        plural(count(EntryKind::Person), "person", "persons"),
        plural(count(EntryKind::Place), "place", "places"),
        plural(count(EntryKind::Org), "organisation", "organisations"),
    );
    if f.role_mentions > 0 {
        names.push_str(&format!(
            " {} the person by office alone (“the President”) where no name follows, and are tagged as that person.",
            plural(f.role_mentions, "mention names", "mentions name")
        ));
    }
    if !f.abbreviations.is_empty() {
        names.push_str(" Abbreviations are abbr elements pointing with @corresp to the list of terms at the back.");
    }
    interpretation.push_element(paragraph(&names));
    if let Some(date) = input.date {
        if let Some(basis) = &date.basis {
            interpretation.push_element(
                paragraph(basis).with_attribute("xml:id", format!("{doc_id}_dating")),
            );
        }
    }
    if !f.annotations.is_empty() {
        interpretation.push_element(paragraph(
            "Handwriting on the original that a note reports is encoded in the document's opener as add elements in the annotator's hand (@hand, declared in handNotes), with @place for where it stands and @corresp to the reporting note: marks as metamark (@function, @target naming what was marked), words as a copy (@copyOf) of the words the note quotes, so the note's text stays as received.",
        ));
    }
    editorial.push_element(interpretation);

    let mut encoding = Element::new("encodingDesc")
        .with_child(app)
        .with_child(editorial);
    if f.classification.is_some() {
        encoding.push_element(
            Element::new("classDecl").with_child(
                Element::new("taxonomy")
                    .with_attribute("xml:id", "security-classification")
                    .with_child(text_element(
                        "desc",
                        "Security classification of U.S. government documents (Top Secret, Secret, Confidential …) and the handling caveats stated with it, as the source note gives them.",
                    )),
            ),
        );
    }
    encoding
}

fn profile_desc(input: &HeaderInput) -> Element {
    let mut profile = Element::new("profileDesc");
    if let Some(date) = input.date {
        let mut element =
            Element::new("date").with_attribute("xml:id", format!("{}_date", input.document.id));
        set_date_value(&mut element, &date.value);
        if let Some(cert) = &date.cert {
            element.set_attribute("cert", cert.clone());
        }
        if date.inferred_by_converter {
            element.set_attribute("resp", resp());
            element.set_attribute("evidence", "internal");
        }
        if date.basis.is_some() {
            element.set_attribute("ana", format!("#{}_dating", input.document.id));
        }
        element.push_text(&human_date(&date.value));
        profile.push_element(Element::new("creation").with_child(element));
    }
    profile.push_element(
        Element::new("langUsage")
            .with_child(text_element("language", "English").with_attribute("ident", "en")),
    );
    if let Some(class) = &input.findings.classification {
        let mut keywords = Element::new("keywords")
            .with_attribute("scheme", "#security-classification")
            .with_child(
                text_element("term", &class.level).with_attribute("type", "classification"),
            );
        for handling in &class.handling {
            keywords
                .push_element(text_element("term", handling).with_attribute("type", "handling"));
        }
        profile.push_element(Element::new("textClass").with_child(keywords));
    }
    if !input.findings.hands.is_empty() {
        let mut notes = Element::new("handNotes");
        for hand in input.findings.hands.values() {
            let name = input
                .volume
                .persons
                .iter()
                .find(|p| p.id.get_ref() == &hand.person)
                .map_or(hand.person.as_str(), |p| p.name.as_str());
            let mut p = Element::new("p")
                .with_text("The hand of ")
                .with_child(
                    text_element("persName", name)
                        .with_attribute("ref", format!("#{}", hand.person)),
                )
                .with_text(", annotating the original as reported in ");
            for (i, note) in hand.notes.iter().enumerate() {
                if i > 0 {
                    p.push_text(", ");
                }
                p.push_element(Element::new("ptr").with_attribute("target", format!("#{note}")));
            }
            p.push_text(".");
            notes.push_element(
                Element::new("handNote")
                    .with_attribute("xml:id", hand.id.clone())
                    .with_attribute("scribeRef", format!("#{}", hand.person))
                    .with_attribute("scope", "minor")
                    .with_child(p),
            );
        }
        profile.push_element(notes);
    }
    profile
}

/// Sets `@when`, `@from`/`@to` or `@notBefore`/`@notAfter`.
pub fn set_date_value(element: &mut Element, value: &DateValue) {
    match value {
        DateValue::When(w) => element.set_attribute("when", w.clone()),
        DateValue::Span(a, b) => {
            element.set_attribute("from", a.clone());
            element.set_attribute("to", b.clone());
        }
        DateValue::Period(a, b) => {
            element.set_attribute("notBefore", a.clone());
            element.set_attribute("notAfter", b.clone());
        }
    }
}

/// "1973-05-24" → "May 24, 1973"; ranges as "A – B"; other values as they are.
pub fn human_date(value: &DateValue) -> String {
    fn one(iso: &str) -> String {
        match super::dates::CivilDate::parse(iso) {
            Some(d) => format!(
                "{} {}, {}",
                super::dates::MONTHS[d.month as usize - 1],
                d.day,
                d.year
            ),
            None => iso.to_string(),
        }
    }
    match value {
        DateValue::When(w) => one(w),
        DateValue::Span(a, b) | DateValue::Period(a, b) => format!("{} – {}", one(a), one(b)),
    }
}

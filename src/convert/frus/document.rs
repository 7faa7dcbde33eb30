//! One document in FRUS's conventions: the converter's division, rewritten element by element.
//!
//! The rewriting never adds or drops a character of the document's text: an element FRUS has no
//! place for is unwrapped (its text stays), and only elements without text (the converter's
//! records of handwritten marks, its empty dateline for an unprinted date) are left out.

use super::instant::document_bounds;
use crate::convert::DocumentTree;
use crate::xml::{Element, Node};

/// The namespace of FRUS's own elements and attributes.
pub const FRUS_NS: &str = "http://history.state.gov/frus/ns/1.0";

/// The attributes of the default output that FRUS's schema has no place for, or that point to
/// declarations a FRUS volume does not carry (the converter's `#teikit` responsibility).
const DROPPED_ATTRIBUTES: [&str; 6] = ["ref", "resp", "cert", "evidence", "hand", "copyOf"];

/// A document written for a FRUS volume.
#[derive(Debug, Clone)]
pub struct FrusDocument {
    /// The page break before the division, when the document begins a page.
    pub page_before: Option<Element>,
    /// `div type="document"` with FRUS's attributes and markup.
    pub division: Element,
    /// Page breaks that ended the document's text: in the volume they stand after it.
    pub pages_after: Vec<Element>,
}

/// Rewrites `tree` in FRUS's conventions; the date bounds are written in `offset` minutes east
/// of UTC (see [`document_bounds`]).
pub fn frus_document(tree: &DocumentTree, offset: i32) -> FrusDocument {
    let mut division = Element::new("div");
    for name in ["type", "n", "xml:id", "subtype"] {
        if let Some(value) = tree.division.attribute(name) {
            division.set_attribute(name, value);
        }
    }
    if let Some((min, max)) = tree.date.as_ref().and_then(|d| document_bounds(d, offset)) {
        division.set_attribute("frus:doc-dateTime-min", min);
        division.set_attribute("frus:doc-dateTime-max", max);
    }
    for child in &tree.division.children {
        match child {
            // The text of a document with attachments stands in a division of its own in the
            // default output; FRUS writes it in the document division, attachments after it.
            Node::Element(main) if main.name == "div" && main.attribute("type") == Some("main") => {
                division.extend(rewrite_children(main, Context::default()));
            }
            other => division.extend(rewrite(other, Context::default())),
        }
    }
    let (_, pages_after) = hoist_edge_page_breaks(&mut division);
    FrusDocument {
        page_before: tree.page_before.clone(),
        division,
        pages_after,
    }
}

/// FRUS's rule that a page break is never the first or last element of its parent (but for
/// `body`): a break that opens an element's content moves before the element, one that closes
/// it after, up to the document division; those that close the division are returned.
fn hoist_edge_page_breaks(element: &mut Element) -> (Vec<Element>, Vec<Element>) {
    let mut children = Vec::with_capacity(element.children.len());
    for child in std::mem::take(&mut element.children) {
        match child {
            Node::Element(mut inner) if inner.name != "pb" => {
                let (before, after) = hoist_edge_page_breaks(&mut inner);
                children.extend(before.into_iter().map(Node::Element));
                children.push(Node::Element(inner));
                children.extend(after.into_iter().map(Node::Element));
            }
            other => children.push(other),
        }
    }
    element.children = children;
    let is_page = |n: &Node| matches!(n, Node::Element(e) if e.name == "pb");
    let is_blank = |n: &Node| matches!(n, Node::Text(t) if t.trim().is_empty());
    let mut before = Vec::new();
    while let Some(first) = element.children.iter().position(|n| !is_blank(n)) {
        if !is_page(&element.children[first]) {
            break;
        }
        if let Node::Element(pb) = element.children.remove(first) {
            before.push(pb);
        }
    }
    let mut after = Vec::new();
    while let Some(last) = element.children.iter().rposition(|n| !is_blank(n)) {
        if !is_page(&element.children[last]) {
            break;
        }
        if let Node::Element(pb) = element.children.remove(last) {
            after.insert(0, pb);
        }
    }
    (before, after)
}

/// Where in the document a node stands, as far as the rewriting depends on it.
#[derive(Debug, Clone, Copy, Default)]
struct Context {
    in_dateline: bool,
    in_signed: bool,
}

fn rewrite_children(element: &Element, context: Context) -> Vec<Node> {
    element
        .children
        .iter()
        .flat_map(|child| rewrite(child, context))
        .collect()
}

/// A copy of `element` under `name` with the attributes FRUS keeps and rewritten children.
fn copy(element: &Element, name: &str, context: Context) -> Element {
    let mut copy = Element {
        name: name.to_string(),
        attributes: element
            .attributes
            .iter()
            .filter(|(n, _)| !DROPPED_ATTRIBUTES.contains(&n.as_str()))
            .cloned()
            .collect(),
        children: Vec::new(),
        mixed: element.mixed,
    };
    copy.extend(rewrite_children(element, context));
    copy
}

fn rewrite(node: &Node, context: Context) -> Vec<Node> {
    let element = match node {
        Node::Text(text) => return vec![Node::Text(text.clone())],
        Node::Element(element) => element,
    };
    let one = |e: Element| vec![Node::Element(e)];
    match element.name.as_str() {
        "persName" => person(element, context),
        "abbr" => match element.attribute("corresp") {
            Some(target) => {
                let mut gloss = Element::new_mixed("gloss").with_attribute("target", target);
                gloss.extend(rewrite_children(element, context));
                one(gloss)
            }
            None => rewrite_children(element, context),
        },
        // FRUS names places only in datelines, and organisations not at all: their text stays.
        "placeName" if context.in_dateline => {
            let mut place = Element::new_mixed("placeName");
            place.extend(rewrite_children(element, context));
            one(place)
        }
        // The converter's supplied dash and recorded additions: the text as printed stays.
        "placeName" | "orgName" | "roleName" | "add" | "supplied" => {
            rewrite_children(element, context)
        }
        // A page break inside a word needs no attribute in FRUS: no space stands around it.
        "pb" => {
            let mut pb = copy(element, "pb", context);
            pb.attributes.retain(|(n, _)| n != "break");
            one(pb)
        }
        "date" => date(element, context),
        // Records of a handwritten mark: no text of the document is in them.
        "metamark" => Vec::new(),
        // An unprinted date is carried by the division's date bounds instead.
        "dateline" if element.attribute("resp").is_some() => Vec::new(),
        "dateline" => {
            let mut dateline = copy(
                element,
                "dateline",
                Context {
                    in_dateline: true,
                    ..context
                },
            );
            dateline
                .attributes
                .insert(0, ("rendition".into(), "#right".into()));
            one(dateline)
        }
        "opener" => {
            let opener = copy(element, "opener", context);
            if opener.children.is_empty() {
                Vec::new()
            } else {
                one(opener)
            }
        }
        "signed" => one(signed(element, context)),
        "div" if element.attribute("type") == Some("attachment") => one(attachment(element)),
        "label" => {
            let mut label = copy(element, "label", context);
            label.attributes.retain(|(n, _)| n != "type");
            one(label)
        }
        // A source note printed in the text (FRUS: inline, with no number or id).
        "note" if element.attribute("place") == Some("inline") => {
            let mut note = copy(element, "note", context);
            note.attributes
                .retain(|(n, _)| !matches!(n.as_str(), "place" | "xml:id" | "n"));
            note.set_attribute("rend", "inline");
            one(note)
        }
        // Opener lines other than the dateline are set on the left (FRUS's rule for openers).
        "seg" => {
            let mut seg = copy(element, "seg", context);
            seg.set_attribute("rendition", "#left");
            one(seg)
        }
        "quote" => {
            // The id existed for the converter's record of a handwritten copy, left out here.
            let mut quote = copy(element, "quote", context);
            quote.attributes.retain(|(n, _)| n != "xml:id");
            one(quote)
        }
        name => one(copy(element, name, context)),
    }
}

/// A name: `persName/@corresp` for the register's id; a title or office before the name stays
/// outside it (`Ambassador <persName>Kim</persName>`), as FRUS tags only the name. In a
/// signature the name is set in bold, as FRUS prints it.
fn person(element: &Element, context: Context) -> Vec<Node> {
    let mut out = Vec::new();
    let mut rest: &[Node] = &element.children;
    let named_after_role =
        rest.len() > 1 && matches!(rest.first(), Some(Node::Element(e)) if e.name == "roleName");
    if named_after_role {
        if let Some(Node::Element(role)) = rest.first() {
            out.extend(rewrite_children(role, context));
        }
        rest = &rest[1..];
    }
    let mut inner: Vec<Node> = rest.iter().flat_map(|c| rewrite(c, context)).collect();
    if named_after_role {
        if let Some(Node::Text(text)) = inner.first_mut() {
            let trimmed = text.trim_start();
            let space = text[..text.len() - trimmed.len()].to_string();
            *text = trimmed.to_string();
            out.push(Node::Text(space));
        }
    }
    let mut name = Element::new_mixed("persName");
    if let Some(id) = element.attribute("ref") {
        name.set_attribute("corresp", id);
    }
    if context.in_signed {
        let mut strong = Element::new_mixed("hi").with_attribute("rend", "strong");
        strong.extend(inner);
        name.push_element(strong);
    } else {
        name.extend(inner);
    }
    out.push(Node::Element(name));
    out
}

/// A date: its value and calendar. A date in the text whose year or bounds the converter
/// supplied is left as text, since FRUS's dates state what the document states.
fn date(element: &Element, context: Context) -> Vec<Node> {
    if !context.in_dateline && element.attribute("resp").is_some() {
        return rewrite_children(element, context);
    }
    let mut date = Element::new_mixed("date");
    for name in ["when", "from", "to", "notBefore", "notAfter"] {
        if let Some(value) = element.attribute(name) {
            date.set_attribute(name, value);
        }
    }
    date.set_attribute("calendar", "gregorian");
    date.extend(rewrite_children(element, context));
    vec![Node::Element(date)]
}

/// A signature: every signature is a name set in bold (FRUS's rule), the whole of what is
/// signed on its first line (`Birendra R.`), pointing to the signer's register entry where the
/// converter found one; the lines after it (a title) in italics, as FRUS prints them. A
/// signature naming several registered persons keeps one name element for each.
fn signed(element: &Element, context: Context) -> Element {
    let mut lines: Vec<Vec<&Node>> = vec![Vec::new()];
    for child in &element.children {
        match child {
            Node::Element(e) if e.name == "lb" => lines.push(Vec::new()),
            other => lines.last_mut().map_or((), |line| line.push(other)),
        }
    }
    let first = &lines[0];
    let names: Vec<&str> = first
        .iter()
        .filter_map(|c| match c {
            Node::Element(e) if e.name == "persName" => Some(e.attribute("ref").unwrap_or("")),
            _ => None,
        })
        .collect();
    let mut signed = Element::new_mixed("signed");
    if names.len() > 1 {
        let inner = Context {
            in_signed: true,
            ..context
        };
        signed.extend(first.iter().flat_map(|c| rewrite(c, inner)));
    } else {
        let text: Vec<Node> = first
            .iter()
            .flat_map(|c| match c {
                Node::Element(e) if e.name == "persName" => rewrite_children(e, context),
                other => rewrite(other, context),
            })
            .collect();
        let (lead, words, trail) = split_space(text);
        signed.extend(lead);
        let mut strong = Element::new_mixed("hi").with_attribute("rend", "strong");
        strong.extend(words);
        let mut name = Element::new_mixed("persName");
        if let Some(id) = names.first().filter(|id| !id.is_empty()) {
            name.set_attribute("corresp", *id);
        }
        signed.push_element(name.with_child(strong));
        signed.extend(trail);
    }
    for line in &lines[1..] {
        let (_, words, _) = split_space(line.iter().flat_map(|c| rewrite(c, context)).collect());
        signed.push_element(Element::new("lb"));
        let mut title = Element::new_mixed("hi").with_attribute("rend", "italic");
        title.extend(words);
        signed.push_element(title);
    }
    signed
}

/// Moves leading and trailing white space out of a run of nodes.
fn split_space(mut nodes: Vec<Node>) -> (Option<Node>, Vec<Node>, Option<Node>) {
    let mut lead = None;
    if let Some(Node::Text(first)) = nodes.first_mut() {
        let trimmed = first.trim_start().to_string();
        if trimmed.len() < first.len() {
            lead = Some(Node::Text(first[..first.len() - trimmed.len()].to_string()));
            *first = trimmed;
        }
    }
    let mut trail = None;
    if let Some(Node::Text(last)) = nodes.last_mut() {
        let trimmed = last.trim_end().to_string();
        if trimmed.len() < last.len() {
            trail = Some(Node::Text(last[trimmed.len()..].to_string()));
            *last = trimmed;
        }
    }
    (lead, nodes, trail)
}

/// An attachment (`frus:attachment`): its printed label (`[Enclosure]`, `Tab A`) and its title
/// make one heading, on two lines.
fn attachment(element: &Element) -> Element {
    let mut attachment = Element::new("frus:attachment");
    let mut heads: Vec<&Element> = Vec::new();
    let mut rest: Vec<&Node> = Vec::new();
    for child in &element.children {
        match child {
            Node::Element(e) if e.name == "head" => heads.push(e),
            other => rest.push(other),
        }
    }
    if !heads.is_empty() {
        let mut head = Element::new_mixed("head");
        for (i, part) in heads.iter().enumerate() {
            if i > 0 {
                head.push_element(Element::new("lb"));
            }
            head.extend(rewrite_children(part, Context::default()));
        }
        attachment.push_element(head);
    }
    for node in rest {
        attachment.extend(rewrite(node, Context::default()));
    }
    attachment
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::DateValue;
    use crate::xml::to_xml_string;

    fn tree(division: Element) -> DocumentTree {
        DocumentTree {
            division,
            page_before: None,
            date: Some(DateValue::When("1969-03-19".into())),
            number: 3,
        }
    }

    fn written(division: Element) -> String {
        to_xml_string(&frus_document(&tree(division), -300).division).unwrap()
    }

    #[test]
    fn names_point_with_corresp_and_titles_stay_outside() {
        let p = Element::new_mixed("p").with_text("After ").with_child(
            Element::new_mixed("persName")
                .with_attribute("ref", "#p_KDJ2")
                .with_child(Element::new_mixed("roleName").with_text("Ambassador"))
                .with_text(" Kim"),
        );
        let xml = written(
            Element::new("div")
                .with_attribute("type", "document")
                .with_child(p),
        );
        assert!(
            xml.contains(r##"<p>After Ambassador <persName corresp="#p_KDJ2">Kim</persName></p>"##),
            "{xml}"
        );
        assert!(xml.contains(r#"frus:doc-dateTime-min="1969-03-19T00:00:00-05:00""#));
    }

    #[test]
    fn terms_become_glosses_and_places_outside_datelines_plain_text() {
        let p = Element::new_mixed("p")
            .with_child(
                Element::new_mixed("abbr")
                    .with_attribute("corresp", "#t_MAP1")
                    .with_text("MAP"),
            )
            .with_text(" in ")
            .with_child(
                Element::new_mixed("placeName")
                    .with_attribute("ref", "#pl_Seoul")
                    .with_text("Seoul"),
            );
        let dateline = Element::new_mixed("dateline")
            .with_child(
                Element::new_mixed("placeName")
                    .with_attribute("ref", "#pl_W")
                    .with_text("Washington"),
            )
            .with_text(", ")
            .with_child(
                Element::new_mixed("date")
                    .with_attribute("when", "1969-03-19")
                    .with_text("March 19, 1969"),
            );
        let xml = written(
            Element::new("div")
                .with_child(Element::new("opener").with_child(dateline))
                .with_child(p),
        );
        assert!(
            xml.contains(r##"<p><gloss target="#t_MAP1">MAP</gloss> in Seoul</p>"##),
            "{xml}"
        );
        assert!(xml.contains(r##"<dateline rendition="#right"><placeName>Washington</placeName>, <date when="1969-03-19" calendar="gregorian">March 19, 1969</date></dateline>"##), "{xml}");
    }

    #[test]
    fn inferred_dates_in_the_text_and_handwritten_marks_leave_only_their_text() {
        let p = Element::new_mixed("p").with_text("in ").with_child(
            Element::new_mixed("date")
                .with_attribute("when", "1969-06")
                .with_attribute("resp", "#teikit")
                .with_text("June"),
        );
        let opener = Element::new("opener").with_child(
            Element::new("add")
                .with_attribute("hand", "#hand_x")
                .with_child(Element::new("metamark")),
        );
        let xml = written(Element::new("div").with_child(opener).with_child(p));
        assert!(xml.contains("<p>in June</p>"), "{xml}");
        assert!(!xml.contains("opener") && !xml.contains("add"), "{xml}");
    }

    #[test]
    fn page_breaks_never_open_or_close_an_element() {
        let pb = |n: &str| Element::new("pb").with_attribute("n", n);
        let division = Element::new("div")
            .with_child(Element::new_mixed("head").with_text("1. Memo"))
            .with_child(
                Element::new_mixed("p")
                    .with_child(pb("5"))
                    .with_text("Text"),
            )
            .with_child(
                Element::new_mixed("p")
                    .with_text("More")
                    .with_child(pb("6")),
            );
        let document = frus_document(&tree(division), -300);
        let xml = to_xml_string(&document.division).unwrap();
        assert!(
            xml.contains("<pb n=\"5\"/>\n  <p>Text</p>\n  <p>More</p>"),
            "{xml}"
        );
        assert!(!xml.contains("n=\"6\""), "{xml}");
        assert_eq!(document.pages_after.len(), 1);
        assert_eq!(document.pages_after[0].attribute("n"), Some("6"));
    }

    #[test]
    fn a_signature_is_a_name_in_bold() {
        let closer =
            Element::new("closer").with_child(Element::new_mixed("signed").with_text("Dulles"));
        let xml = written(Element::new("div").with_child(closer));
        assert!(
            xml.contains(r#"<signed><persName><hi rend="strong">Dulles</hi></persName></signed>"#),
            "{xml}"
        );
    }

    #[test]
    fn a_signature_is_one_name_with_what_follows_it() {
        let closer = Element::new("closer").with_child(
            Element::new_mixed("signed")
                .with_child(
                    Element::new_mixed("persName")
                        .with_attribute("ref", "#p_B")
                        .with_text("Birendra"),
                )
                .with_text(" R."),
        );
        let xml = written(Element::new("div").with_child(closer));
        assert!(
            xml.contains(r##"<signed><persName corresp="#p_B"><hi rend="strong">Birendra R.</hi></persName></signed>"##),
            "{xml}"
        );
    }

    #[test]
    fn a_signers_title_is_on_its_own_line_in_italics() {
        let closer = Element::new("closer").with_child(
            Element::new_mixed("signed")
                .with_text("Creighton W. Abrams")
                .with_child(Element::new("lb"))
                .with_text("General, United States Army"),
        );
        let xml = written(Element::new("div").with_child(closer));
        assert!(
            xml.contains(r#"<signed><persName><hi rend="strong">Creighton W. Abrams</hi></persName><lb/><hi rend="italic">General, United States Army</hi></signed>"#),
            "{xml}"
        );
    }

    #[test]
    fn a_source_note_in_the_text_is_inline_without_number_or_id() {
        let note = Element::new_mixed("note")
            .with_attribute("type", "source")
            .with_attribute("place", "inline")
            .with_attribute("xml:id", "d352fnsource")
            .with_text("[Source: Carter Library.]");
        let xml = written(Element::new("div").with_child(note));
        assert!(
            xml.contains(r#"<note type="source" rend="inline">[Source: Carter Library.]</note>"#),
            "{xml}"
        );
    }

    #[test]
    fn attachments_are_frus_attachments_after_the_documents_own_text() {
        let main = Element::new("div")
            .with_attribute("type", "main")
            .with_child(Element::new_mixed("p").with_text("Text."));
        let attachment = Element::new("div")
            .with_attribute("type", "attachment")
            .with_child(
                Element::new_mixed("head")
                    .with_attribute("type", "label")
                    .with_text("[Enclosure]"),
            )
            .with_child(Element::new_mixed("head").with_text("Memorandum"))
            .with_child(Element::new_mixed("p").with_text("Plan."));
        let xml = written(Element::new("div").with_child(main).with_child(attachment));
        assert!(xml.contains("<p>Text.</p>"), "{xml}");
        assert!(xml.contains("<frus:attachment>"), "{xml}");
        assert!(
            xml.contains("<head>[Enclosure]<lb/>Memorandum</head>"),
            "{xml}"
        );
        assert!(!xml.contains("type=\"main\""), "{xml}");
    }
}

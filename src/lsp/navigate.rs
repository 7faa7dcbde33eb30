//! Ids and the pointers to them in one document: where an id is given, every `#id` that points
//! to it, what stands under the cursor, and what an id names (for completion and hover).

use super::scan::{attributes, pointers_in, AttributeToken};
use std::ops::Range;

/// The ids of a document and the pointers to them, with their ranges (of the id itself).
#[derive(Debug, Clone, Default)]
pub struct IdIndex {
    /// `xml:id` values: the id, its range, the element's name.
    pub definitions: Vec<(String, Range<usize>, String)>,
    /// `#id` in attribute values: the id (after `#`) and its range.
    pub references: Vec<(String, Range<usize>)>,
    /// Every attribute, as [`attributes`] finds them.
    pub attributes: Vec<AttributeToken>,
}

impl IdIndex {
    /// Reads `text` (which need not be well-formed).
    pub fn of(text: &str) -> IdIndex {
        let attributes = attributes(text);
        let mut index = IdIndex::default();
        for token in &attributes {
            if token.name == "xml:id" {
                index.definitions.push((
                    text[token.value.clone()].to_string(),
                    token.value.clone(),
                    token.element.clone(),
                ));
            } else {
                index
                    .references
                    .extend(pointers_in(text, token.value.clone()));
            }
        }
        index.attributes = attributes;
        index
    }

    /// The id under `offset`, in a definition or a pointer.
    pub fn id_at(&self, offset: usize) -> Option<&str> {
        self.definitions
            .iter()
            .map(|(id, range, _)| (id, range))
            .chain(self.references.iter().map(|(id, range)| (id, range)))
            .find(|(_, range)| range.start <= offset && offset <= range.end)
            .map(|(id, _)| id.as_str())
    }

    /// Where `id` is given.
    pub fn definition(&self, id: &str) -> Option<&Range<usize>> {
        self.definitions
            .iter()
            .find(|(d, _, _)| d == id)
            .map(|(_, range, _)| range)
    }

    /// Every pointer to `id`.
    pub fn references_to<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Range<usize>> + 'a {
        self.references
            .iter()
            .filter(move |(r, _)| r == id)
            .map(|(_, range)| range)
    }
}

/// Every id of a well-formed `text` with what it names: the text of a name, term or heading
/// inside the element, else the element's own text, in one line (`Kissinger, Henry A.`).
pub fn labelled_ids(text: &str) -> Vec<(String, String)> {
    let Some(doc) = parse_within_limits(text) else {
        return IdIndex::of(text)
            .definitions
            .into_iter()
            .map(|(id, _, element)| (id, element))
            .collect();
    };
    doc.descendants()
        .filter_map(|node| {
            let id = node.attribute((crate::base::ns::XML, "id"))?;
            Some((id.to_string(), label(node)))
        })
        .collect()
}

/// `text` parsed behind teikit's limits on documents (depth, size, entity expansion), as
/// everything teikit reads; `None` where it is not well-formed.
pub fn parse_within_limits(text: &str) -> Option<roxmltree::Document<'_>> {
    crate::xml::parse(
        std::path::Path::new("document"),
        text,
        crate::xml::ReadLimits::default(),
    )
    .ok()
}

fn label(node: roxmltree::Node) -> String {
    const NAMING: [&str; 7] = [
        "persName",
        "placeName",
        "orgName",
        "term",
        "name",
        "head",
        "title",
    ];
    let named = node
        .descendants()
        .skip(1)
        .find(|n| NAMING.contains(&n.tag_name().name()))
        .unwrap_or(node);
    let text: String = named
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("");
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut line = words.join(" ");
    if line.chars().count() > 80 {
        line = line.chars().take(79).collect::<String>() + "…";
    }
    if line.is_empty() {
        node.tag_name().name().to_string()
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_pointers_are_indexed_with_ranges() {
        let text = r##"<TEI><person xml:id="p_K"><persName>Kissinger, Henry A.</persName></person><p><persName ref="#p_K">K</persName> <ref target="#p_K #x"/></p></TEI>"##;
        let index = IdIndex::of(text);
        assert_eq!(index.definitions.len(), 1);
        assert_eq!(index.references_to("p_K").count(), 2);
        let reference = index.references[0].1.clone();
        assert_eq!(index.id_at(reference.start + 1), Some("p_K"));
        assert_eq!(&text[index.definition("p_K").unwrap().clone()], "p_K");
        assert_eq!(
            labelled_ids(text),
            [("p_K".to_string(), "Kissinger, Henry A.".to_string())]
        );
    }
}

//! Hover: the schema's documentation of the element or attribute under the cursor, the entry a
//! pointer names.

use super::*;

impl Server {
    pub(super) fn hover(&mut self, uri: &Uri, position: lsp_types::Position) -> Option<Hover> {
        let document = self.documents.get(uri.as_str())?;
        let text = document.text.clone();
        let path = document.path.clone();
        let offset = offset_of(&text, position);
        let index = IdIndex::of(&text);
        if let Some(id) = index
            .references
            .iter()
            .find(|(_, r)| r.start <= offset && offset <= r.end)
            .map(|(id, _)| id.clone())
        {
            let label = self
                .documents
                .get_mut(uri.as_str())
                .and_then(|d| d.labelled_ids().iter().find(|(i, _)| *i == id).cloned())
                .map(|(_, label)| label);
            let value = match (label, index.definition(&id)) {
                (Some(label), Some(range)) => {
                    let line = text::position_of(&text, range.start).line + 1;
                    format!("`#{id}` — {label} (line {line})")
                }
                _ => format!("`#{id}` names no element of this document"),
            };
            return Some(markdown(value));
        }
        let project = project_of(&self.projects, &path).ok()?;
        let (kind, name) = name_at(&text, offset)?;
        let local = name.rsplit(':').next().unwrap_or(&name).to_string();
        let docs = match kind {
            NameKind::Element => project.docs.elements.get(&local),
            NameKind::Attribute => project.docs.attributes.get(&local),
        }?;
        Some(markdown(format!("**{name}** — {docs}")))
    }
}

/// The element or attribute name under `offset`, from the tag around it.
pub(super) fn name_at(text: &str, offset: usize) -> Option<(NameKind, String)> {
    let is_name_char = |c: char| c.is_alphanumeric() || matches!(c, ':' | '_' | '-' | '.');
    let start = text[..offset]
        .char_indices()
        .rev()
        .find(|(_, c)| !is_name_char(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[offset..]
        .find(|c: char| !is_name_char(c))
        .map_or(text.len(), |e| offset + e);
    if start >= end {
        return None;
    }
    let name = text[start..end].to_string();
    let before = text[..start].trim_end_matches('/');
    if before.ends_with('<') {
        return Some((NameKind::Element, name));
    }
    // Inside a tag (the nearest `<` is after the nearest `>`), a name followed by `=`.
    let in_tag = text[..start].rfind('<') > text[..start].rfind('>');
    let is_attribute = text[end..].trim_start().starts_with('=');
    (in_tag && is_attribute).then_some((NameKind::Attribute, name))
}

/// The name as a document writes it: `xml:id` for the XML namespace; other names by their local
/// part (the document's default namespace, TEI's, is where completion is asked).
pub(super) fn display_name(ns: &str, local: &str) -> String {
    if ns == crate::base::ns::XML {
        format!("xml:{local}")
    } else {
        local.to_string()
    }
}

pub(super) fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").to_string()
}

pub(super) fn markdown(value: String) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: None,
    }
}

//! Navigation requests: go to an id's definition, find its references, rename it with all of
//! them (the index they use is [`super::navigate`]'s).

use super::*;

impl Server {
    pub(super) fn definition(
        &mut self,
        uri: &Uri,
        position: lsp_types::Position,
    ) -> Option<Location> {
        let text = &self.documents.get(uri.as_str())?.text;
        let offset = offset_of(text, position);
        let index = IdIndex::of(text);
        let id = index.id_at(offset)?;
        let range = index.definition(id)?;
        Some(Location::new(
            uri.clone(),
            range_of(text, range.start, range.end),
        ))
    }

    pub(super) fn references(
        &mut self,
        uri: &Uri,
        position: lsp_types::Position,
        declaration: bool,
    ) -> Vec<Location> {
        let Some(document) = self.documents.get(uri.as_str()) else {
            return Vec::new();
        };
        let text = &document.text;
        let offset = offset_of(text, position);
        let index = IdIndex::of(text);
        let Some(id) = index.id_at(offset) else {
            return Vec::new();
        };
        let mut ranges: Vec<&std::ops::Range<usize>> = Vec::new();
        if declaration {
            ranges.extend(index.definition(id));
        }
        ranges.extend(index.references_to(id));
        ranges
            .into_iter()
            .map(|r| Location::new(uri.clone(), range_of(text, r.start, r.end)))
            .collect()
    }

    pub(super) fn rename(
        &mut self,
        uri: &Uri,
        position: lsp_types::Position,
        new_name: &str,
    ) -> Result<WorkspaceEdit, String> {
        let text = &self
            .documents
            .get(uri.as_str())
            .ok_or("the document is not open")?
            .text;
        let offset = offset_of(text, position);
        let index = IdIndex::of(text);
        let id = index
            .id_at(offset)
            .ok_or("no id here: put the cursor on an xml:id or a #pointer")?;
        let new_name = new_name.trim_start_matches('#');
        if !is_ncname(new_name) {
            return Err(format!("`{new_name}` cannot be an xml:id (a letter or `_`, then letters, digits, `_`, `-` or `.`)"));
        }
        if index.definition(new_name).is_some() {
            return Err(format!(
                "an element of this document already has the id `{new_name}`"
            ));
        }
        let definition = index
            .definition(id)
            .ok_or_else(|| format!("`#{id}` names no element of this document"))?;
        let edits: Vec<TextEdit> = std::iter::once(definition)
            .chain(index.references_to(id))
            .map(|r| TextEdit::new(range_of(text, r.start, r.end), new_name.to_string()))
            .collect();
        Ok(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        })
    }
}

//! Completion: the elements, attributes and values the schema allows at the cursor, and the
//! ids a pointer may name.

use super::*;

impl Server {
    /// The completion items at `position`, and whether the list was cut (the ids of a large
    /// register: the editor asks again as more is typed).
    pub(super) fn completion(
        &mut self,
        uri: &Uri,
        position: lsp_types::Position,
    ) -> (Vec<CompletionItem>, bool) {
        let mut cut = false;
        let items = self.completion_items(uri, position, &mut cut);
        (items, cut)
    }

    pub(super) fn completion_items(
        &mut self,
        uri: &Uri,
        position: lsp_types::Position,
        cut: &mut bool,
    ) -> Vec<CompletionItem> {
        let Some(document) = self.documents.get(uri.as_str()) else {
            return Vec::new();
        };
        let text = document.text.clone();
        let path = document.path.clone();
        let offset = offset_of(&text, position);
        let here = cursor(&text, offset);
        let Ok((project, validator)) = self.validators.of_document(&self.projects, &path, &text)
        else {
            return Vec::new();
        };
        match here {
            Cursor::ElementName { open, typed_from } => {
                let range = range_of(&text, typed_from, offset);
                validator
                    .allowed_elements(&open)
                    .into_iter()
                    .enumerate()
                    .map(|(order, (ns, local))| {
                        let label = display_name(&ns, &local);
                        CompletionItem {
                            kind: Some(CompletionItemKind::CLASS),
                            detail: project.docs.elements.get(&local).map(|d| first_line(d)),
                            sort_text: Some(format!("{order:05}")),
                            filter_text: Some(label.clone()),
                            text_edit: Some(lsp_types::CompletionTextEdit::Edit(TextEdit::new(
                                range,
                                label.clone(),
                            ))),
                            label,
                            ..CompletionItem::default()
                        }
                    })
                    .collect()
            }
            Cursor::AttributeName { open, typed_from } => {
                let range = range_of(&text, typed_from, offset);
                validator
                    .allowed_attributes(&open)
                    .into_iter()
                    .enumerate()
                    .map(|(order, attribute)| {
                        let label = display_name(&attribute.name.0, &attribute.name.1);
                        let documentation = project.docs.attributes.get(&attribute.name.1);
                        CompletionItem {
                            kind: Some(CompletionItemKind::PROPERTY),
                            detail: Some(match (attribute.required, documentation) {
                                (true, Some(d)) => format!("required — {}", first_line(d)),
                                (true, None) => "required".into(),
                                (false, Some(d)) => first_line(d),
                                (false, None) => "optional".into(),
                            }),
                            sort_text: Some(format!("{order:05}")),
                            filter_text: Some(label.clone()),
                            insert_text_format: Some(InsertTextFormat::SNIPPET),
                            text_edit: Some(lsp_types::CompletionTextEdit::Edit(TextEdit::new(
                                range,
                                format!("{label}=\"$1\""),
                            ))),
                            label,
                            ..CompletionItem::default()
                        }
                    })
                    .collect()
            }
            Cursor::AttributeValue {
                open,
                attribute,
                value_from,
            } => {
                let typed = &text[value_from..offset];
                let token_from = value_from
                    + typed
                        .rfind(|c: char| c.is_ascii_whitespace())
                        .map_or(0, |p| p + 1);
                let range = range_of(&text, token_from, offset);
                let mut items: Vec<CompletionItem> = validator
                    .allowed_values(&open, &attribute)
                    .into_iter()
                    .map(|value| CompletionItem {
                        kind: Some(CompletionItemKind::ENUM_MEMBER),
                        text_edit: Some(lsp_types::CompletionTextEdit::Edit(TextEdit::new(
                            range,
                            value.clone(),
                        ))),
                        label: value,
                        ..CompletionItem::default()
                    })
                    .collect();
                let pointer = text[token_from..offset].starts_with('#')
                    // A pointer attribute offers ids even before its `#` is typed.
                    || crate::rules::POINTER_ATTRIBUTES.contains(&attribute.1.as_str());
                if pointer {
                    let typed = text[token_from..offset]
                        .trim_start_matches('#')
                        .to_lowercase();
                    let matching: Vec<CompletionItem> = self
                        .pointer_items(uri, &path, range)
                        .into_iter()
                        .filter(|item| {
                            typed.is_empty() || item.label.to_lowercase().contains(&typed)
                        })
                        .collect();
                    *cut = matching.len() > MAX_POINTERS;
                    items.extend(matching.into_iter().take(MAX_POINTERS));
                }
                items
            }
            Cursor::Elsewhere => Vec::new(),
        }
    }

    /// `#id — what it names` for the document's ids, then `file.xml#id` for the ids of the
    /// project's other files.
    pub(super) fn pointer_items(
        &mut self,
        uri: &Uri,
        path: &Path,
        range: lsp_types::Range,
    ) -> Vec<CompletionItem> {
        let own = match self.documents.get_mut(uri.as_str()) {
            Some(document) => document.labelled_ids(),
            None => std::rc::Rc::new(Vec::new()),
        };
        let mut items: Vec<CompletionItem> = own
            .iter()
            .map(|(id, label)| pointer_item(format!("#{id}"), label.clone(), range))
            .collect();
        let Ok(project) = project_of(&self.projects, path) else {
            return items;
        };
        let dir = path.parent().unwrap_or(Path::new(""));
        let this = std::path::absolute(path).ok();
        for file in project.files.clone() {
            if std::path::absolute(&file).ok() == this {
                continue;
            }
            let Ok(other) = std::fs::read_to_string(&file) else {
                continue;
            };
            let relative = relative_path(dir, &file);
            for (id, label) in labelled_ids(&other) {
                items.push(pointer_item(format!("{relative}#{id}"), label, range));
            }
        }
        items
    }
}

pub(super) fn pointer_item(
    pointer: String,
    label: String,
    range: lsp_types::Range,
) -> CompletionItem {
    CompletionItem {
        label: format!("{pointer} — {label}"),
        kind: Some(CompletionItemKind::REFERENCE),
        filter_text: Some(pointer.clone()),
        text_edit: Some(lsp_types::CompletionTextEdit::Edit(TextEdit::new(
            range, pointer,
        ))),
        detail: Some(label),
        ..CompletionItem::default()
    }
}

pub(super) fn relative_path(dir: &Path, file: &Path) -> String {
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let file = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let common = dir
        .components()
        .zip(file.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = dir
        .components()
        .skip(common)
        .map(|_| "..".to_string())
        .collect();
    parts.extend(
        file.components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

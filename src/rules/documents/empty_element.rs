//! `empty-element`: the elements FRUS requires to have text have some.

use crate::rules::{Context, RuleId};

/// Elements that FRUS requires to have text.
pub(super) const MUST_HAVE_TEXT: &[&str] = &["p", "persName", "placeName", "seg", "gloss"];

/// Whether `node` holds no text but whitespace.
pub(super) fn is_empty(node: roxmltree::Node) -> bool {
    !node
        .descendants()
        .any(|t| t.is_text() && t.text().is_some_and(|t| !t.trim().is_empty()))
}

/// Each element found empty.
pub(super) fn check(cx: &mut Context, empty: &[roxmltree::Node]) {
    for element in empty {
        let name = element.tag_name().name();
        cx.report(
            RuleId::EmptyElement,
            element.range().start,
            *element,
            format!("empty <{name}>; FRUS requires a {name} to have text: remove it, or give it its text"),
        );
    }
}

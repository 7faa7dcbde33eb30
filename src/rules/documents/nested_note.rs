//! `nested-note`: a footnote cannot hold another (an inline note may be inside one).

use crate::rules::{Context, RuleId};

/// The first note inside `note`, where `note` is a footnote (not printed inline).
pub(super) fn note_inside<'a, 'd>(
    note: roxmltree::Node<'a, 'd>,
) -> Option<roxmltree::Node<'a, 'd>> {
    if is_inline(note) {
        return None;
    }
    note.descendants()
        .skip(1)
        .find(|d| d.is_element() && d.tag_name().name() == "note")
}

/// Each footnote found holding a note, with the first it holds.
pub(super) fn check(cx: &mut Context, nested: &[(roxmltree::Node, roxmltree::Node)]) {
    for (note, inner) in nested {
        cx.report(
            RuleId::NestedNote,
            inner.range().start,
            *inner,
            format!(
                "a note inside footnote {}; a footnote cannot hold another (FRUS: notes stand side by side; an inline note, rend=\"inline\", may be inside)",
                note.attribute("n").unwrap_or("")
            ),
        );
    }
}

/// Whether `note` is printed inline (`rend="inline"`, or `place="inline"` as the converter
/// writes an inline source note).
fn is_inline(note: roxmltree::Node) -> bool {
    note.attribute("rend") == Some("inline") || note.attribute("place") == Some("inline")
}

//! `note-spacing`: a footnote follows its word or punctuation directly.

use super::Document;
use crate::rules::{Context, RuleId};

/// Each numbered note of `document` preceded by whitespace.
pub(super) fn check(cx: &mut Context, document: &Document) {
    for note in &document.notes {
        let before = note.prev_sibling().and_then(|s| s.text());
        if before.is_some_and(|t| t.ends_with(char::is_whitespace)) {
            cx.report(
                RuleId::NoteSpacing,
                note.range().start,
                *note,
                format!(
                    "whitespace before note {}; a footnote follows its word or punctuation directly",
                    note.attribute("n").unwrap_or("")
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::GOOD;
    use crate::rules::tests::check;

    #[test]
    fn whitespace_before_a_note() {
        let found = check(&GOOD.replace("x.<note", "x. <note"));
        assert_eq!(
            found,
            ["t.xml:1:166: warning[note-spacing]: whitespace before note 2; a footnote follows its word or punctuation directly (in /TEI/text/body/div/p/note)"]
        );
    }
}

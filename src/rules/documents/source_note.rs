//! `source-note`: a historical document names its archival source.

use super::Document;
use crate::rules::{Context, RuleId};

/// A historical document names its archival source in a source note; one printed without
/// one is told of as a warning (it may stand so).
pub(super) fn check(cx: &mut Context, document: &Document) {
    if document.div.attribute("subtype") == Some("historical-document") && !document.has_source_note
    {
        cx.report(
            RuleId::SourceNote,
            document.div.range().start,
            document.div,
            "historical document without a source note; expected a <note type=\"source\"> naming the archival source (`Source: …`, or a file number such as `File No. 763.72/1140`); a document printed without one may stand so".to_string(),
        );
    }
}

/// Whether `note` is a source note: `type="source"` with text. FRUS prints the archival source
/// in several forms over its eras — `Source: …` since the 1950s volumes, a file number such as
/// `File No. 763.72/1140` or `711.94/1234: Telegram`, `Treasury Files` — and encodes each as
/// such a note.
pub(super) fn is_source_note(note: roxmltree::Node) -> bool {
    note.attribute("type") == Some("source")
        && note
            .descendants()
            .any(|t| t.is_text() && t.text().is_some_and(|t| !t.trim().is_empty()))
}

#[cfg(test)]
mod tests {
    use super::super::tests::GOOD;
    use crate::rules::tests::check;

    #[test]
    fn historical_document_without_a_source_note_is_a_warning() {
        let found = check(&GOOD.replace("Source: Files.", ""));
        assert_eq!(
            found,
            ["t.xml:1:18: warning[source-note]: historical document without a source note; expected a <note type=\"source\"> naming the archival source (`Source: …`, or a file number such as `File No. 763.72/1140`); a document printed without one may stand so (in /TEI/text/body/div)"]
        );
        // Older volumes print the source as a file number: that is a source note too.
        let file_number = GOOD.replace("Source: Files.", "File No. 763.72/1140");
        assert_eq!(check(&file_number), Vec::<String>::new());
        let inline = GOOD.replace(
            r#"<note n="1" xml:id="d1fn1" type="source">Source: Files.</note>"#,
            r#"<note xml:id="d1fnsource" type="source" place="inline">[Source: Files.]</note>"#,
        );
        assert_eq!(
            check(&inline),
            Vec::<String>::new(),
            "an inline source note; the notes then begin at 2"
        );
        let editorial = GOOD
            .replace("historical-document", "editorial-note")
            .replace("Source: Files.", "Files.");
        assert!(
            check(&editorial).is_empty(),
            "only historical documents need one"
        );
    }
}

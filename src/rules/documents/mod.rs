//! Rules on the structure of documentary editions (as the FRUS Schematron has them), one file
//! a rule: `footnote-sequence`, `note-spacing`, `page-order`, `source-note`,
//! `document-numbering`, `nested-note`, `empty-element`. One walk gathers what they judge
//! ([`Check`]); each rule's file judges it.

mod document_numbering;
mod empty_element;
mod footnote_sequence;
mod nested_note;
mod note_spacing;
mod page_order;
mod source_note;

use super::{Context, RuleId, RuleSet};
use crate::base::pages::PageNumber;

pub(super) fn is_document_div(node: &roxmltree::Node) -> bool {
    node.tag_name().name() == "div" && node.attribute("type") == Some("document")
}

/// What the walk gathers for these rules; [`Check::report`] judges it.
pub(super) struct Check<'a, 'd> {
    rules: &'a RuleSet,
    /// The document divisions, each with its own numbered notes (not those of a document nested
    /// in it) and whether it holds a source note.
    documents: Vec<Document<'a, 'd>>,
    /// The page breaks with a page number, in order.
    pages: Vec<(roxmltree::Node<'a, 'd>, PageNumber)>,
    /// Footnotes holding another note, with the first note they hold.
    nested_notes: Vec<(roxmltree::Node<'a, 'd>, roxmltree::Node<'a, 'd>)>,
    /// Elements that must have text and have none.
    empty: Vec<roxmltree::Node<'a, 'd>>,
}

/// A document division, with its own numbered notes (not those of a document nested in it).
struct Document<'a, 'd> {
    div: roxmltree::Node<'a, 'd>,
    notes: Vec<roxmltree::Node<'a, 'd>>,
    has_source_note: bool,
}

impl<'a, 'd> Check<'a, 'd> {
    pub(super) fn new(rules: &'a RuleSet) -> Self {
        Check {
            rules,
            documents: Vec::new(),
            pages: Vec::new(),
            nested_notes: Vec::new(),
            empty: Vec::new(),
        }
    }

    /// Takes in one element of the walk (in document order, so a division comes before what
    /// it holds).
    pub(super) fn element(&mut self, node: roxmltree::Node<'a, 'd>) {
        match node.tag_name().name() {
            "div" if is_document_div(&node) => self.documents.push(Document {
                div: node,
                notes: Vec::new(),
                has_source_note: false,
            }),
            "note" => {
                if node.attribute("n").is_some() {
                    if let Some(owner) = node.ancestors().find(is_document_div) {
                        if let Some(document) =
                            self.documents.iter_mut().rev().find(|d| d.div == owner)
                        {
                            document.notes.push(node);
                        }
                    }
                }
                if source_note::is_source_note(node) {
                    for document in self.documents.iter_mut() {
                        if node.ancestors().any(|a| a == document.div) {
                            document.has_source_note = true;
                        }
                    }
                }
            }
            "pb" => {
                if let Some(number) = node.attribute("n").and_then(PageNumber::parse) {
                    self.pages.push((node, number));
                }
            }
            name if empty_element::MUST_HAVE_TEXT.contains(&name)
                && self.rules.enabled(RuleId::EmptyElement)
                && empty_element::is_empty(node) =>
            {
                self.empty.push(node);
            }
            _ => {}
        }
        if node.tag_name().name() == "note" && self.rules.enabled(RuleId::NestedNote) {
            if let Some(inner) = nested_note::note_inside(node) {
                self.nested_notes.push((node, inner));
            }
        }
    }

    /// Reports what the walk found: each document's notes and source note, then the pages.
    pub(super) fn report(self, cx: &mut Context) {
        for document in &self.documents {
            if self.rules.enabled(RuleId::FootnoteSequence) {
                footnote_sequence::check(cx, document, &self.pages);
            }
            if self.rules.enabled(RuleId::NoteSpacing) {
                note_spacing::check(cx, document);
            }
            if self.rules.enabled(RuleId::SourceNote) {
                source_note::check(cx, document);
            }
        }
        if self.rules.enabled(RuleId::PageOrder) {
            page_order::check(cx, &self.pages);
        }
        if self.rules.enabled(RuleId::DocumentNumbering) {
            document_numbering::check(cx, &self.documents);
        }
        nested_note::check(cx, &self.nested_notes);
        empty_element::check(cx, &self.empty);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::tests::check;

    /// A document every rule of this folder passes; the rules' tests break it.
    pub(super) const GOOD: &str = r#"<TEI><text><body><div type="document" subtype="historical-document" xml:id="d1"><head>1. A<note n="1" xml:id="d1fn1" type="source">Source: Files.</note></head><p>x.<note n="2" xml:id="d1fn2">y</note> <pb n="2"/> <pb n="3"/></p></div></body></text></TEI>"#;

    #[test]
    fn a_good_document_passes() {
        assert_eq!(check(GOOD), Vec::<String>::new());
    }
}

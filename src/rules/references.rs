//! Rules on identifiers and pointers: `unique-id`, `pointer-resolves`, `unused-declaration`.

use super::{Context, RuleId, RuleSet, POINTER_ATTRIBUTES};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

const DECLARATIONS: &[&str] = &["handNote", "person", "personGrp", "place", "org"];

/// What the walk gathers for these rules; [`Check::report`] judges it.
pub(super) struct Check<'a, 'd> {
    rules: &'a RuleSet,
    /// Each id and where it first stands.
    ids: HashMap<&'a str, usize>,
    /// Elements whose id was used before them, with the first use.
    duplicates: Vec<(roxmltree::Node<'a, 'd>, &'a str, usize)>,
    /// Every local pointer: the element, the attribute, the id it names.
    pointers: Vec<(
        roxmltree::Node<'a, 'd>,
        roxmltree::Attribute<'a, 'd>,
        &'a str,
    )>,
    /// Declarations with an id.
    declarations: Vec<(roxmltree::Node<'a, 'd>, &'a str)>,
}

impl<'a, 'd> Check<'a, 'd> {
    pub(super) fn new(rules: &'a RuleSet) -> Self {
        Check {
            rules,
            ids: HashMap::new(),
            duplicates: Vec::new(),
            pointers: Vec::new(),
            declarations: Vec::new(),
        }
    }

    /// Takes in one element of the walk.
    pub(super) fn element(&mut self, node: roxmltree::Node<'a, 'd>) {
        if let Some(id) = node.attribute((roxmltree::NS_XML_URI, "id")) {
            match self.ids.entry(id) {
                Entry::Occupied(first) => self.duplicates.push((node, id, *first.get())),
                Entry::Vacant(slot) => {
                    slot.insert(node.range().start);
                }
            }
            if DECLARATIONS.contains(&node.tag_name().name()) {
                self.declarations.push((node, id));
            }
        }
        for attribute in node.attributes() {
            if attribute.namespace().is_some() || !POINTER_ATTRIBUTES.contains(&attribute.name()) {
                continue;
            }
            for token in attribute.value().split_whitespace() {
                if let Some(id) = token.strip_prefix('#') {
                    self.pointers.push((node, attribute, id));
                }
            }
        }
    }

    /// Reports what the walk found.
    pub(super) fn report(self, cx: &mut Context) {
        if self.rules.enabled(RuleId::UniqueId) {
            for (node, id, first) in &self.duplicates {
                let (line, column) = cx.line_column(*first);
                cx.report(
                    RuleId::UniqueId,
                    node.range().start,
                    *node,
                    format!("duplicate xml:id `{id}`; first used at {line}:{column}"),
                );
            }
        }
        let mut pointed: HashSet<&str> = HashSet::new();
        for (node, attribute, id) in &self.pointers {
            pointed.insert(id);
            if !self.ids.contains_key(id) && self.rules.enabled(RuleId::PointerResolves) {
                cx.report(
                    RuleId::PointerResolves,
                    attribute.range().start,
                    *node,
                    format!(
                        "@{} points to `#{id}` on <{}>, but no element has xml:id `{id}`",
                        attribute.name(),
                        node.tag_name().name()
                    ),
                );
            }
        }
        if self.rules.enabled(RuleId::UnusedDeclaration) {
            for (node, id) in &self.declarations {
                if pointed.contains(id) {
                    continue;
                }
                let what = match node.tag_name().name() {
                    "handNote" => "hand",
                    "person" | "personGrp" => "person",
                    "place" => "place",
                    _ => "organisation",
                };
                cx.report(
                    RuleId::UnusedDeclaration,
                    node.range().start,
                    *node,
                    format!("{what} `{id}` is declared but nothing refers to it"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::tests::check;

    #[test]
    fn duplicate_ids_and_dangling_pointers() {
        let found = check("<r xml:id=\"a\">\n<x xml:id=\"a\"/><y ref=\"#a #b\"/></r>");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[0],
            "t.xml:2:1: error[unique-id]: duplicate xml:id `a`; first used at 1:1 (in /r/x)"
        );
        assert_eq!(found[1], "t.xml:2:19: error[pointer-resolves]: @ref points to `#b` on <y>, but no element has xml:id `b` (in /r/y)");
    }

    #[test]
    fn unused_declarations_are_warnings() {
        let found = check("<r><person xml:id=\"p1\"/><person xml:id=\"p2\"/><handNote xml:id=\"h\"/><persName ref=\"#p1\"/></r>");
        assert_eq!(
            found,
            [
                "t.xml:1:25: warning[unused-declaration]: person `p2` is declared but nothing refers to it (in /r/person[2])",
                "t.xml:1:46: warning[unused-declaration]: hand `h` is declared but nothing refers to it (in /r/handNote)",
            ]
        );
    }
}

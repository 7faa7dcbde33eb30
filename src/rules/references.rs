//! Rules on identifiers and pointers: `unique-id`, `pointer-resolves`, `unused-declaration`.

use super::{Context, RuleId, RuleSet, POINTER_ATTRIBUTES};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

const DECLARATIONS: &[&str] = &["handNote", "person", "personGrp", "place", "org"];

pub(super) fn check(cx: &mut Context, rules: &RuleSet) {
    let doc = cx.doc;
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        let Some(id) = node.attribute((roxmltree::NS_XML_URI, "id")) else {
            continue;
        };
        let offset = node.range().start;
        match ids.entry(id) {
            Entry::Occupied(first) => {
                if rules.enabled(RuleId::UniqueId) {
                    let (line, column) = cx.line_column(*first.get());
                    cx.report(
                        RuleId::UniqueId,
                        offset,
                        node,
                        format!("duplicate xml:id `{id}`; first used at {line}:{column}"),
                    );
                }
            }
            Entry::Vacant(slot) => {
                slot.insert(offset);
            }
        }
    }
    let mut pointed: HashSet<&str> = HashSet::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        for attribute in node.attributes() {
            if attribute.namespace().is_some() || !POINTER_ATTRIBUTES.contains(&attribute.name()) {
                continue;
            }
            for token in attribute.value().split_whitespace() {
                let Some(id) = token.strip_prefix('#') else {
                    continue;
                };
                pointed.insert(id);
                if !ids.contains_key(id) && rules.enabled(RuleId::PointerResolves) {
                    cx.report(
                        RuleId::PointerResolves,
                        attribute.range().start,
                        node,
                        format!(
                            "@{} points to `#{id}` on <{}>, but no element has xml:id `{id}`",
                            attribute.name(),
                            node.tag_name().name()
                        ),
                    );
                }
            }
        }
    }
    if rules.enabled(RuleId::UnusedDeclaration) {
        for node in doc
            .descendants()
            .filter(|n| DECLARATIONS.contains(&n.tag_name().name()))
        {
            let Some(id) = node.attribute((roxmltree::NS_XML_URI, "id")) else {
                continue;
            };
            if !pointed.contains(id) {
                let what = match node.tag_name().name() {
                    "handNote" => "hand",
                    "person" | "personGrp" => "person",
                    "place" => "place",
                    _ => "organisation",
                };
                cx.report(
                    RuleId::UnusedDeclaration,
                    node.range().start,
                    node,
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

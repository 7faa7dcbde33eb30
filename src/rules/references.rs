//! Rules on identifiers and pointers: `unique-id`, `pointer-resolves`, `unused-declaration`.
//!
//! Pointers are read as TEI reads them ([`super::pointers`]); what this document cannot resolve
//! itself, and the declarations it does not refer to, are left in its [`Links`] for the other
//! files of the run ([`super::links`]).

use super::links::{Links, OpenPointer};
use super::pointers::{self, Pointer, PrefixDef};
use super::{Context, RuleId, RuleSet, POINTER_ATTRIBUTES};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::path::Path;

const DECLARATIONS: &[&str] = &["handNote", "person", "personGrp", "place", "org"];

/// Where TEI defines its pointers, for messages.
const POINTERS_SECTION: &str =
    "TEI Guidelines 16.2.4, https://tei-c.org/release/doc/tei-p5-doc/en/html/SA.html#SATS";

/// What the walk gathers for these rules; [`Check::report`] judges it.
pub(super) struct Check<'a, 'd> {
    rules: &'a RuleSet,
    /// Each id and where it first stands.
    ids: HashMap<&'a str, usize>,
    /// Elements whose id was used before them, with the first use.
    duplicates: Vec<(roxmltree::Node<'a, 'd>, &'a str, usize)>,
    /// Every pointer token: the element, the attribute, the token.
    pointers: Vec<(
        roxmltree::Node<'a, 'd>,
        roxmltree::Attribute<'a, 'd>,
        &'a str,
    )>,
    /// Declarations with an id.
    declarations: Vec<(roxmltree::Node<'a, 'd>, &'a str)>,
    /// The document's `prefixDef`s.
    prefixes: Vec<PrefixDef>,
}

impl<'a, 'd> Check<'a, 'd> {
    pub(super) fn new(rules: &'a RuleSet) -> Self {
        Check {
            rules,
            ids: HashMap::new(),
            duplicates: Vec::new(),
            pointers: Vec::new(),
            declarations: Vec::new(),
            prefixes: Vec::new(),
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
        if node.tag_name().name() == "prefixDef" {
            if let (Some(ident), Some(pattern), Some(replacement)) = (
                node.attribute("ident"),
                node.attribute("matchPattern"),
                node.attribute("replacementPattern"),
            ) {
                self.prefixes
                    .extend(PrefixDef::new(ident, pattern, replacement));
            }
        }
        for attribute in node.attributes() {
            if attribute.namespace().is_some() || !POINTER_ATTRIBUTES.contains(&attribute.name()) {
                continue;
            }
            for token in attribute.value().split_whitespace() {
                self.pointers.push((node, attribute, token));
            }
        }
    }

    /// Reports what the walk found; gives what only other files can settle.
    pub(super) fn report(self, cx: &mut Context) -> Links {
        if self.rules.enabled(RuleId::UniqueId) {
            for (node, id, first) in &self.duplicates {
                let (line, column) = cx.line_column(*first);
                cx.report(
                    RuleId::UniqueId,
                    node.range().start,
                    *node,
                    format!("duplicate xml:id `{id}`; first used at {line}:{column}; an xml:id names one element of its document (TEI att.global)"),
                );
            }
        }
        let mut links = Links {
            file: cx.path.to_path_buf(),
            ids: self.ids.keys().map(|id| id.to_string()).collect(),
            ..Links::default()
        };
        let directory = cx.path.parent().unwrap_or(Path::new(""));
        let mut pointed: HashSet<&str> = HashSet::new();
        let mut there: HashMap<std::path::PathBuf, bool> = HashMap::new();
        let mut missing: Vec<(String, crate::base::diagnostic::Diagnostic, usize)> = Vec::new();
        for &(node, attribute, token) in &self.pointers {
            let expanded = crate::base::uri::scheme(token).and_then(|prefix| {
                self.prefixes
                    .iter()
                    .filter(|def| def.ident() == prefix)
                    .find_map(|def| def.expand(token))
            });
            let read = pointers::read(expanded.as_deref().unwrap_or(token));
            let here = |cx: &Context| {
                let shown = match &expanded {
                    Some(e) => format!("`{token}` (`{e}`)"),
                    None => format!("`{token}`"),
                };
                cx.diagnostic(
                    RuleId::PointerResolves,
                    attribute.range().start,
                    node,
                    format!(
                        "@{} points to {shown} on <{}>",
                        attribute.name(),
                        node.tag_name().name()
                    ),
                )
            };
            match read {
                Pointer::Absolute => {}
                Pointer::Malformed(why) => {
                    if let Some(mut problem) = here(cx) {
                        problem.message = format!(
                            "{}, which is not a pointer TEI can follow: {why} ({POINTERS_SECTION})",
                            problem.message
                        );
                        cx.out.push(problem);
                    }
                }
                Pointer::Reference { file: None, ids } => {
                    for id in ids {
                        if let Some((id, _)) = self.ids.get_key_value(id) {
                            pointed.insert(id);
                        } else if let Some(problem) = here(cx) {
                            links.open.push(OpenPointer {
                                file: None,
                                written: String::new(),
                                id: Some(id.to_string()),
                                problem,
                            });
                        }
                    }
                }
                Pointer::Reference {
                    file: Some(file),
                    ids,
                } => {
                    // Only XML files, and files whose ids are named, are TEI's to check; an
                    // image or a PDF named by @facs or @target is not.
                    let decoded = crate::base::uri::percent_decoded(file);
                    if decoded.contains('?') || (ids.is_empty() && !decoded.ends_with(".xml")) {
                        continue;
                    }
                    let path = directory.join(&decoded);
                    let exists = *there.entry(path.clone()).or_insert_with(|| path.exists());
                    if !exists {
                        // A page of a website (`../chapter-9#fn108`) is not ours to check; an
                        // XML file may be one the project keeps elsewhere: one warning a file.
                        if decoded.ends_with(".xml") {
                            match missing.iter_mut().find(|(written, ..)| *written == file) {
                                Some((_, _, count)) => *count += 1,
                                None => {
                                    if let Some(problem) = here(cx) {
                                        missing.push((file.to_string(), problem, 1));
                                    }
                                }
                            }
                        }
                        continue;
                    }
                    let Some(problem) = here(cx) else { continue };
                    let open = |id: Option<&str>| OpenPointer {
                        file: Some(path.clone()),
                        written: file.to_string(),
                        id: id.map(str::to_string),
                        problem: problem.clone(),
                    };
                    if ids.is_empty() {
                        links.open.push(open(None));
                    }
                    for id in ids {
                        links.open.push(open(Some(id)));
                    }
                }
            }
        }
        for (written, mut problem, count) in missing {
            problem.severity = crate::base::diagnostic::Severity::Warning;
            problem.message = format!(
                "{}, but `{written}` is not beside the document, so the pointer cannot be checked",
                problem.message
            );
            if count > 1 {
                problem.message.push_str(&format!(
                    " (nor can the {} other pointers of this document to it)",
                    count - 1
                ));
            }
            cx.out.push(problem);
        }
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
            if let Some(warning) = cx.diagnostic(
                RuleId::UnusedDeclaration,
                node.range().start,
                *node,
                format!("{what} `{id}` is declared but nothing refers to it"),
            ) {
                links.unused.push((id.to_string(), warning));
            }
        }
        links
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
            "t.xml:2:1: error[unique-id]: duplicate xml:id `a`; first used at 1:1; an xml:id names one element of its document (TEI att.global) (in /r/x)"
        );
        assert_eq!(found[1], "t.xml:2:19: error[pointer-resolves]: @ref points to `#b` on <y>, but no element has xml:id `b` (in /r/y)");
    }

    #[test]
    fn unused_declarations_are_warnings() {
        let found = check("<r><person xml:id=\"p1\"/><person xml:id=\"p2\"/><handNote xml:id=\"h\"/><persName ref=\"#p1\">A</persName></r>");
        assert_eq!(
            found,
            [
                "t.xml:1:25: warning[unused-declaration]: person `p2` is declared but nothing refers to it (in /r/person[2])",
                "t.xml:1:46: warning[unused-declaration]: hand `h` is declared but nothing refers to it (in /r/handNote)",
            ]
        );
    }
}

//! The document as the differ compares it: what changes the document, and nothing else.
//!
//! Attribute order, namespace prefixes, empty-element syntax, character references and
//! insignificant whitespace leave no trace here: attributes are sorted by expanded name;
//! text has runs of whitespace collapsed to one space (except under `xml:space="preserve"`), and
//! whitespace-only text between elements is dropped where the parent holds no other text.

use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, LazyLock};

/// Which markup besides elements and text counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Normalisation {
    /// Leave comments out.
    pub ignore_comments: bool,
    /// Leave processing instructions out.
    pub ignore_processing_instructions: bool,
}

/// What a node is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Kind {
    /// An element: namespace URI, local name, attributes as (namespace, name, value).
    Element {
        /// Namespace URI ("" for none), shared by every element that has it.
        ns: Arc<str>,
        /// Local name, shared likewise.
        name: Arc<str>,
        /// Attributes, sorted by namespace and name.
        attributes: Vec<(Arc<str>, Arc<str>, String)>,
    },
    /// Text, normalised.
    Text(String),
    /// A comment.
    Comment(String),
    /// A processing instruction: target and data.
    Pi(String, String),
}

/// A node of the compared tree.
#[derive(Debug, Clone)]
pub struct Node {
    /// What it is.
    pub kind: Kind,
    /// Its children.
    pub children: Vec<usize>,
    /// Its parent.
    pub parent: Option<usize>,
    /// Where it starts in the source (bytes).
    pub offset: usize,
    /// A hash of the whole subtree.
    pub hash: u64,
    /// A hash of the subtree without the node's own name (to recognise renamed elements).
    pub content_hash: u64,
}

/// A document ready to compare.
#[derive(Debug, Clone)]
pub struct Tree {
    /// Every node; the root element is node 0.
    pub nodes: Vec<Node>,
}

impl Node {
    fn attribute_ns(&self, ns: &str, name: &str) -> Option<&str> {
        match &self.kind {
            Kind::Element { attributes, .. } => attributes
                .iter()
                .find(|(n, l, _)| &**n == ns && &**l == name)
                .map(|(_, _, v)| v.as_str()),
            _ => None,
        }
    }

    /// The `xml:id` of an element.
    pub fn id(&self) -> Option<&str> {
        self.attribute_ns("http://www.w3.org/XML/1998/namespace", "id")
    }

    /// The value of an attribute in no namespace.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attribute_ns("", name)
    }

    /// The element's local name, or `#text`, `#comment`, `#pi`.
    pub fn name(&self) -> &str {
        match &self.kind {
            Kind::Element { name, .. } => name,
            Kind::Text(_) => "#text",
            Kind::Comment(_) => "#comment",
            Kind::Pi(..) => "#pi",
        }
    }
}

/// Collapses runs of XML whitespace to one space.
///
/// Single spaces, by far the commonest whitespace in text, stay where they are; only a tab, a
/// line end or two spaces in a row start a replacement, and those are found with memchr's
/// vectorised search, so the text between them is copied at once (this is the differ's
/// hottest loop on large files). XML whitespace is ASCII, so every cut falls on a character
/// boundary.
fn collapse(s: &str) -> String {
    static DOUBLE_SPACE: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"  "));
    let bytes = s.as_bytes();
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let find_break =
        |from: usize| memchr::memchr3(b'\n', b'\t', b'\r', &bytes[from..]).map(|p| from + p);
    let find_spaces = |from: usize| DOUBLE_SPACE.find(&bytes[from..]).map(|p| from + p);
    // The next of each, searched again only once passed, so each byte is searched once.
    let (mut next_break, mut next_spaces) = (find_break(0), find_spaces(0));
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    loop {
        let at = match (next_break, next_spaces) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => break,
        };
        // A space just before a line break belongs to the run being replaced.
        let run_start = if at > copied && bytes[at - 1] == b' ' {
            at - 1
        } else {
            at
        };
        out.push_str(&s[copied..run_start]);
        out.push(' ');
        copied = at;
        while copied < bytes.len() && is_space(bytes[copied]) {
            copied += 1;
        }
        if next_break.is_some_and(|p| p < copied) {
            next_break = find_break(copied);
        }
        if next_spaces.is_some_and(|p| p < copied) {
            next_spaces = find_spaces(copied);
        }
    }
    out.push_str(&s[copied..]);
    out
}

impl Tree {
    /// The compared form of a parsed document.
    pub fn from_document(doc: &roxmltree::Document, options: Normalisation) -> Tree {
        let mut tree = Tree { nodes: Vec::new() };
        // Our index of each source element, and whether it preserves whitespace and holds text,
        // by the source node's id.
        let mut elements: Vec<Option<(usize, bool, bool)>> = Vec::new();
        // Names and namespaces are few and repeated: each is stored once.
        let mut names: rustc_hash::FxHashMap<Box<str>, Arc<str>> = Default::default();
        let mut intern = |s: &str| -> Arc<str> {
            if let Some(name) = names.get(s) {
                return name.clone();
            }
            let name: Arc<str> = s.into();
            names.insert(s.into(), name.clone());
            name
        };
        // roxmltree walks in document order and merges adjacent text, without recursion.
        for source in doc.root_element().descendants() {
            let parent = source
                .parent()
                .and_then(|p| elements.get(p.id().get_usize()).copied().flatten());
            let (parent_index, preserve_parent, parent_has_text) = match parent {
                Some(p) => (Some(p.0), p.1, p.2),
                None => (None, false, false),
            };
            if source.is_element() {
                let preserve =
                    match source.attribute(("http://www.w3.org/XML/1998/namespace", "space")) {
                        Some("preserve") => true,
                        Some("default") => false,
                        _ => preserve_parent,
                    };
                let has_text = source
                    .children()
                    .any(|c| c.is_text() && !c.text().unwrap_or("").trim().is_empty());
                let mut attributes: Vec<(Arc<str>, Arc<str>, String)> = source
                    .attributes()
                    .map(|a| {
                        (
                            intern(a.namespace().unwrap_or("")),
                            intern(a.name()),
                            a.value().to_string(),
                        )
                    })
                    .collect();
                attributes.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
                let kind = Kind::Element {
                    ns: intern(source.tag_name().namespace().unwrap_or("")),
                    name: intern(source.tag_name().name()),
                    attributes,
                };
                let index = tree.push(kind, parent_index, source.range().start);
                let slot = source.id().get_usize();
                if elements.len() <= slot {
                    elements.resize(slot + 1, None);
                }
                elements[slot] = Some((index, preserve, has_text));
            } else if parent_index.is_none() {
                continue;
            } else if source.is_text() {
                let raw = source.text().unwrap_or("");
                let value = if preserve_parent {
                    raw.to_string()
                } else {
                    collapse(raw)
                };
                let blank = value.trim().is_empty();
                if !value.is_empty() && (preserve_parent || parent_has_text || !blank) {
                    tree.push(Kind::Text(value), parent_index, source.range().start);
                }
            } else if source.is_comment() {
                if !options.ignore_comments {
                    let text = collapse(source.text().unwrap_or("")).trim().to_string();
                    tree.push(Kind::Comment(text), parent_index, source.range().start);
                }
            } else if let Some(pi) = source.pi() {
                if !options.ignore_processing_instructions {
                    let kind = Kind::Pi(
                        pi.target.to_string(),
                        pi.value.unwrap_or("").trim().to_string(),
                    );
                    tree.push(kind, parent_index, source.range().start);
                }
            }
        }
        tree.hash_all();
        tree
    }

    fn push(&mut self, kind: Kind, parent: Option<usize>, offset: usize) -> usize {
        let index = self.nodes.len();
        if let Some(p) = parent {
            self.nodes[p].children.push(index);
        }
        self.nodes.push(Node {
            kind,
            children: Vec::new(),
            parent,
            offset,
            hash: 0,
            content_hash: 0,
        });
        index
    }

    /// Hashes every subtree: children come after their parents, so in reverse order.
    fn hash_all(&mut self) {
        for i in (0..self.nodes.len()).rev() {
            let mut content = FxHasher::default();
            match &self.nodes[i].kind {
                Kind::Element { ns, attributes, .. } => {
                    ns.hash(&mut content);
                    attributes.hash(&mut content);
                }
                other => other.hash(&mut content),
            }
            for &c in &self.nodes[i].children {
                self.nodes[c].hash.hash(&mut content);
            }
            let content_hash = content.finish();
            let mut full = FxHasher::default();
            content_hash.hash(&mut full);
            self.nodes[i].name().hash(&mut full);
            self.nodes[i].content_hash = content_hash;
            self.nodes[i].hash = full.finish();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::collapse;

    #[test]
    fn collapse_joins_whitespace_runs_and_keeps_everything_else() {
        assert_eq!(collapse("a  b\n\t c"), "a b c");
        assert_eq!(collapse("\n  Tho’s\r\n"), " Tho’s ");
        assert_eq!(collapse("é—ü"), "é—ü");
        assert_eq!(collapse(""), "");
        assert_eq!(collapse("   "), " ");
        assert_eq!(collapse("a \n b"), "a b");
        assert_eq!(collapse("a b  c\td"), "a b c d");
        assert_eq!(collapse("end \n"), "end ");
        assert_eq!(collapse("\tx"), " x");
    }
}

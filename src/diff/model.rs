//! The document as the differ compares it: what changes the document, and nothing else.
//!
//! Attribute order, namespace prefixes, empty-element syntax, character references and
//! insignificant whitespace leave no trace here: attributes are a sorted map of expanded names;
//! text has runs of whitespace collapsed to one space (except under `xml:space="preserve"`), and
//! whitespace-only text between elements is dropped where the parent holds no other text.

use rustc_hash::FxHasher;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

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
    /// An element: namespace URI, local name, attributes by (namespace, name).
    Element {
        /// Namespace URI ("" for none).
        ns: String,
        /// Local name.
        name: String,
        /// Attributes, sorted.
        attributes: BTreeMap<(String, String), String>,
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
    /// The `xml:id` of an element.
    pub fn id(&self) -> Option<&str> {
        match &self.kind {
            Kind::Element { attributes, .. } => attributes
                .get(&(
                    "http://www.w3.org/XML/1998/namespace".to_string(),
                    "id".to_string(),
                ))
                .map(String::as_str),
            _ => None,
        }
    }

    /// The value of an attribute in no namespace.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        match &self.kind {
            Kind::Element { attributes, .. } => attributes
                .get(&(String::new(), name.to_string()))
                .map(String::as_str),
            _ => None,
        }
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
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

impl Tree {
    /// The compared form of a parsed document.
    pub fn from_document(doc: &roxmltree::Document, options: Normalisation) -> Tree {
        let mut tree = Tree { nodes: Vec::new() };
        // Our index of each source element, and whether it preserves whitespace and holds text,
        // by the source node's id.
        let mut elements: Vec<Option<(usize, bool, bool)>> = Vec::new();
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
                let attributes = source
                    .attributes()
                    .map(|a| {
                        (
                            (
                                a.namespace().unwrap_or("").to_string(),
                                a.name().to_string(),
                            ),
                            a.value().to_string(),
                        )
                    })
                    .collect();
                let kind = Kind::Element {
                    ns: source.tag_name().namespace().unwrap_or("").to_string(),
                    name: source.tag_name().name().to_string(),
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

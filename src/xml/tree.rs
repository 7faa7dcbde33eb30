//! The owned element tree.

/// A node of the tree: an element or a run of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A child element.
    Element(Element),
    /// Character data, unescaped.
    Text(String),
}

/// An element with its attributes (in the order given) and children.
///
/// ```
/// use teikit::xml::{Element, to_xml_string};
/// let p = Element::new("p").with_text("Hello, ").with_child(Element::new("hi").with_text("world"));
/// assert_eq!(p.text_content(), "Hello, world");
/// assert!(to_xml_string(&p).unwrap().contains("<p>Hello, <hi>world</hi></p>"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    /// Qualified name, e.g. `persName` or `xml:id`-style prefixed names.
    pub name: String,
    /// Attributes in document order.
    pub attributes: Vec<(String, String)>,
    /// Child nodes in document order.
    pub children: Vec<Node>,
    /// Whether the content is mixed (text with phrase-level elements) even where it happens to
    /// hold only elements, like `<signed><persName>Unger</persName></signed>`: the serialiser
    /// then adds no layout whitespace inside it.
    pub mixed: bool,
}

impl Element {
    /// An element with no attributes and no children.
    pub fn new(name: impl Into<String>) -> Self {
        Element {
            name: name.into(),
            ..Element::default()
        }
    }

    /// An element whose content is mixed (see [`Element::mixed`]).
    pub fn new_mixed(name: impl Into<String>) -> Self {
        Element {
            mixed: true,
            ..Element::new(name)
        }
    }

    /// Builder form of [`Element::set_attribute`].
    pub fn with_attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.set_attribute(name, value);
        self
    }

    /// Builder form of [`Element::push`] for an element.
    pub fn with_child(mut self, child: Element) -> Self {
        self.push(Node::Element(child));
        self
    }

    /// Builder form of [`Element::push_text`].
    pub fn with_text(mut self, text: &str) -> Self {
        self.push_text(text);
        self
    }

    /// Sets an attribute, replacing an earlier value of the same name in place.
    pub fn set_attribute(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        let value = value.into();
        match self.attributes.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.attributes.push((name, value)),
        }
    }

    /// The value of an attribute, if set.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Appends a child node; adjacent text nodes are merged.
    pub fn push(&mut self, node: Node) {
        match node {
            Node::Text(text) => self.push_text(&text),
            element => self.children.push(element),
        }
    }

    /// Appends text, merging it with a preceding text node. Empty text is ignored.
    pub fn push_text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if let Some(Node::Text(last)) = self.children.last_mut() {
            last.push_str(text);
        } else {
            self.children.push(Node::Text(text.to_string()));
        }
    }

    /// Appends a child element.
    pub fn push_element(&mut self, child: Element) {
        self.children.push(Node::Element(child));
    }

    /// Appends every node of `nodes`.
    pub fn extend(&mut self, nodes: impl IntoIterator<Item = Node>) {
        for node in nodes {
            self.push(node);
        }
    }

    /// Whether the content is mixed: marked so, or with text children that are not only
    /// whitespace. Mixed content is written without added indentation.
    pub fn has_significant_text(&self) -> bool {
        self.mixed
            || self
                .children
                .iter()
                .any(|c| matches!(c, Node::Text(t) if !t.trim().is_empty()))
    }

    /// All descendant text, concatenated in document order.
    pub fn text_content(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        for child in &self.children {
            match child {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.collect_text(out),
            }
        }
    }
}

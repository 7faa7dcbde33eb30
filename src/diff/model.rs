//! The document as the differ compares it: what changes the document, and nothing else.
//!
//! Attribute order, namespace prefixes, empty-element syntax, character references and
//! insignificant whitespace leave no trace here: attributes are sorted by expanded name;
//! text has runs of whitespace collapsed to one space (except under `xml:space="preserve"`), and
//! whitespace-only text between elements is dropped where the parent holds no other text.
//!
//! The tree is built straight from [`scan`], without a parser's tree in between, and keeps
//! what comparing needs: per node 32 bytes (kind and interned name packed in one word, parent,
//! first child, offset, span, subtree hash), and attribute values. Text stays in the source: a text node holds its
//! span, hashed once when read, and is decoded and normalised again only when a change has to
//! show it. For the 2.2 MB FRUS history that is about 1.4 MB a side, where the roxmltree
//! document and a tree of owned strings took 11 MB.
//!
//! The source itself is then the larger part of a comparison's memory (the whole of each
//! revision, for the scan and for quoting changes). Doing without it would take a scanner that
//! reads a file in pieces, and a tree that reads a changed node's text and position from the
//! file again (checking the file has not changed meanwhile): not done, since the pair of
//! revisions already costs under three times its size.

use crate::xml::scan::{self, Chars, ScanError, StartTag};
use crate::xml::ReadLimits;
use rustc_hash::{FxHashMap, FxHasher};
use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::sync::LazyLock;

/// Which markup besides elements and text counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Normalisation {
    /// Leave comments out.
    pub ignore_comments: bool,
    /// Leave processing instructions out.
    pub ignore_processing_instructions: bool,
}

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// An element.
    Element,
    /// Text, normalised.
    Text,
    /// A comment.
    Comment,
    /// A processing instruction.
    Pi,
}

/// Where a node's text is: a span of the source, read again when wanted, or a copy for the rare
/// text that came from an entity's replacement text.
#[derive(Debug, Clone, Copy)]
enum Content {
    None,
    Span { start: u32, end: u32 },
    Owned(u32),
}

/// No node: the root's parent.
const NONE: u32 = u32::MAX;

/// Marks a node's text as `Tree::owned[span.0]` (a source span never ends there: the scanner
/// refuses documents of 4 GiB and more).
const OWNED: u32 = u32::MAX;

/// A node of the compared tree, in 32 bytes (a large document has hundreds of thousands, and
/// the node list is most of what a comparison keeps besides the two texts). Its text is not
/// kept: [`Tree::text`] reads it from the source.
#[derive(Debug, Clone)]
struct Node {
    /// A hash of the whole subtree. While the tree is built, a leaf's holds the hash of its
    /// text alone, which [`Tree::hash_all`] then combines with the node's kind.
    hash: u64,
    /// Kind, flags and name in one word: see [`Node::kind`], [`Node::preserve`],
    /// [`Node::dead`] and [`Node::name`].
    packed: u32,
    parent: u32,
    /// Where its children start in `Tree::child_list`; they end where the next node's start.
    first_child: u32,
    /// Where it starts in the source (bytes).
    offset: u32,
    /// An element's attributes: a range of `Tree::attributes`, sorted by namespace and name.
    /// Any other node's text: see [`Node::content`].
    span: (u32, u32),
}

const _: () = assert!(std::mem::size_of::<Node>() == 32);

/// Names (see [`Node::name`]) take the low 28 bits of [`Node::packed`]; the scanner refuses
/// documents of 4 GiB and more, so a document with more distinct names than that is refused
/// by the builder (see `Builder::too_many_names`).
const NAME_BITS: u32 = 28;
const NAME_MASK: u32 = (1 << NAME_BITS) - 1;
const KIND_SHIFT: u32 = NAME_BITS;
const PRESERVE_BIT: u32 = 1 << 30;
const DEAD_BIT: u32 = 1 << 31;

impl Node {
    fn new(kind: NodeKind, preserve: bool, offset: usize, content: Content, hash: u64) -> Node {
        let kind_bits = match kind {
            NodeKind::Element => 0,
            NodeKind::Text => 1,
            NodeKind::Comment => 2,
            NodeKind::Pi => 3,
        };
        Node {
            hash,
            packed: (kind_bits << KIND_SHIFT) | if preserve { PRESERVE_BIT } else { 0 },
            parent: NONE,
            first_child: 0,
            offset: offset as u32,
            span: Node::span_of(content),
        }
    }

    fn kind(&self) -> NodeKind {
        match (self.packed >> KIND_SHIFT) & 3 {
            0 => NodeKind::Element,
            1 => NodeKind::Text,
            2 => NodeKind::Comment,
            _ => NodeKind::Pi,
        }
    }

    /// Text under `xml:space="preserve"` keeps its whitespace.
    fn preserve(&self) -> bool {
        self.packed & PRESERVE_BIT != 0
    }

    /// Dropped: whitespace that only separated elements (removed before the tree is used).
    fn dead(&self) -> bool {
        self.packed & DEAD_BIT != 0
    }

    fn mark_dead(&mut self) {
        self.packed |= DEAD_BIT;
    }

    /// An element's expanded name (an index of `Tree::element_names`), a processing
    /// instruction's target (a symbol); 0 for other nodes.
    fn name(&self) -> u32 {
        self.packed & NAME_MASK
    }

    fn set_name(&mut self, name: u32) {
        self.packed = (self.packed & !NAME_MASK) | (name & NAME_MASK);
    }

    fn content(&self) -> Content {
        match (self.kind(), self.span) {
            (NodeKind::Element, _) => Content::None,
            (_, (k, OWNED)) => Content::Owned(k),
            (_, (start, end)) => Content::Span { start, end },
        }
    }

    fn span_of(content: Content) -> (u32, u32) {
        match content {
            Content::None => (0, 0),
            Content::Span { start, end } => (start, end),
            Content::Owned(k) => (k, OWNED),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Attribute {
    ns: u32,
    name: u32,
    /// A range of `Tree::values`.
    value: (u32, u32),
}

/// The places of a parent's children among their namesakes: (1-based position, how many).
type Places = Box<[(u32, u32)]>;

/// A document ready to compare: every node in document order (the root element is node 0),
/// 32 bytes each, with text left where it is in the source.
#[derive(Debug, Clone)]
pub struct Tree<'t> {
    source: &'t str,
    nodes: Vec<Node>,
    child_list: Vec<u32>,
    attributes: Vec<Attribute>,
    /// Attribute values, one after another.
    values: String,
    /// Names and namespace URIs, each stored once.
    symbols: Vec<Box<str>>,
    /// The expanded names of elements, as (namespace, local name) symbols, each stored once.
    element_names: Vec<(u32, u32)>,
    /// The places of a parent's children among their namesakes, by parent, for the parents
    /// asked about: see [`Tree::place_among_namesakes`].
    namesakes: std::cell::RefCell<FxHashMap<usize, Places>>,
    owned: Vec<String>,
}

/// Collapses runs of XML whitespace to one space.
///
/// Single spaces, by far the commonest whitespace in text, stay where they are; only a tab, a
/// line end or two spaces in a row start a replacement, and those are found with memchr's
/// vectorised search, so the text between them is copied at once (this is the differ's
/// hottest loop on large files). XML whitespace is ASCII, so every cut falls on a character
/// boundary. Borrowed when there is nothing to collapse.
fn collapse(s: &str) -> Cow<'_, str> {
    static DOUBLE_SPACE: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"  "));
    let bytes = s.as_bytes();
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let find_break =
        |from: usize| memchr::memchr3(b'\n', b'\t', b'\r', &bytes[from..]).map(|p| from + p);
    let find_spaces = |from: usize| DOUBLE_SPACE.find(&bytes[from..]).map(|p| from + p);
    // The next of each, searched again only once passed, so each byte is searched once.
    let (mut next_break, mut next_spaces) = (find_break(0), find_spaces(0));
    if next_break.is_none() && next_spaces.is_none() {
        return Cow::Borrowed(s);
    }
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
    Cow::Owned(out)
}

/// The text a leaf compares by, from its raw text (references decoded, line ends normalised):
/// text with whitespace collapsed (kept under `xml:space="preserve"`), a comment collapsed and
/// trimmed, a processing instruction's data trimmed. The builder hashes it, [`Tree::text`]
/// shows it: one function, so the two cannot drift apart.
fn compared_text(kind: NodeKind, preserve: bool, raw: Cow<'_, str>) -> Cow<'_, str> {
    match kind {
        NodeKind::Text if preserve => raw,
        NodeKind::Text => match raw {
            Cow::Borrowed(s) => collapse(s),
            Cow::Owned(s) => Cow::Owned(collapse(&s).into_owned()),
        },
        NodeKind::Comment => Cow::Owned(collapse(&raw).trim().to_string()),
        NodeKind::Pi => Cow::Owned(raw.trim().to_string()),
        NodeKind::Element => Cow::Borrowed(""),
    }
}

fn leaf_hash(kind: NodeKind, text: &str) -> u64 {
    let mut h = FxHasher::default();
    kind.hash(&mut h);
    text.hash(&mut h);
    h.finish()
}

impl<'t> Tree<'t> {
    /// Reads `source` into the compared form, checking on the way that it is well-formed and
    /// within `limits` (see [`scan`]).
    ///
    /// ```
    /// use teikit::diff::{Normalisation, Tree};
    /// use teikit::xml::ReadLimits;
    /// let tree = Tree::parse("<p n='1'>Paris\n  in <hi>May</hi></p>", Normalisation::default(), ReadLimits::default()).unwrap();
    /// assert_eq!(tree.len(), 4);
    /// assert_eq!(tree.text(1), "Paris in ");
    /// assert_eq!(tree.attribute(0, "n"), Some("1"));
    /// ```
    pub fn parse(
        source: &'t str,
        normalisation: Normalisation,
        limits: ReadLimits,
    ) -> Result<Tree<'t>, ScanError> {
        let mut builder = Builder {
            tree: Tree {
                source,
                nodes: Vec::new(),
                child_list: Vec::new(),
                // Every attribute has an `=`: room for all of them at once, rather than a
                // trail of outgrown copies (which stay in the process's memory).
                attributes: Vec::with_capacity(
                    memchr::memchr_iter(b'=', source.as_bytes()).count(),
                ),
                values: String::new(),
                symbols: Vec::new(),
                element_names: Vec::new(),
                namesakes: std::cell::RefCell::default(),
                owned: Vec::new(),
            },
            normalisation,
            open: Vec::new(),
            blanks: Vec::new(),
            run: None,
            symbols: FxHashMap::default(),
            element_names: FxHashMap::default(),
            too_many_names: false,
            sorted: Vec::new(),
            dead: 0,
        };
        scan::scan(source, limits, &mut builder)?;
        if builder.too_many_names {
            return Err(ScanError {
                offset: 0,
                message: format!("the document has more than {NAME_MASK} distinct names"),
            });
        }
        let mut tree = builder.tree;
        if builder.dead > 0 {
            tree.drop_dead();
        }
        // The node list grew by doubling; up to half of it would be spare for good.
        tree.nodes.shrink_to_fit();
        tree.link_children();
        tree.hash_all();
        Ok(tree)
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether there are no nodes (never, for a tree that parsed).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// What node `i` is.
    pub fn kind(&self, i: usize) -> NodeKind {
        self.nodes[i].kind()
    }

    /// Whether node `i` is an element.
    pub fn is_element(&self, i: usize) -> bool {
        self.nodes[i].kind() == NodeKind::Element
    }

    /// The element's local name, or `#text`, `#comment`, `#pi`.
    pub fn name(&self, i: usize) -> &str {
        match self.nodes[i].kind() {
            NodeKind::Element => {
                let (_, local) = self.element_names[self.nodes[i].name() as usize];
                &self.symbols[local as usize]
            }
            NodeKind::Text => "#text",
            NodeKind::Comment => "#comment",
            NodeKind::Pi => "#pi",
        }
    }

    /// The element's namespace URI ("" for none), or a processing instruction's target.
    pub fn namespace_or_target(&self, i: usize) -> &str {
        let node = &self.nodes[i];
        match node.kind() {
            NodeKind::Element => {
                let (namespace, _) = self.element_names[node.name() as usize];
                &self.symbols[namespace as usize]
            }
            NodeKind::Pi => &self.symbols[node.name() as usize],
            _ => "",
        }
    }

    /// The element's attributes as (namespace, local name, value), sorted by namespace and
    /// name.
    pub fn attributes(&self, i: usize) -> impl Iterator<Item = (&str, &str, &str)> + '_ {
        let (from, to) = match self.nodes[i].kind() {
            NodeKind::Element => self.nodes[i].span,
            _ => (0, 0),
        };
        self.attributes[from as usize..to as usize].iter().map(|a| {
            (
                &*self.symbols[a.ns as usize],
                &*self.symbols[a.name as usize],
                &self.values[a.value.0 as usize..a.value.1 as usize],
            )
        })
    }

    fn attribute_ns(&self, i: usize, ns: &str, name: &str) -> Option<&str> {
        self.attributes(i)
            .find(|(n, l, _)| *n == ns && *l == name)
            .map(|(_, _, v)| v)
    }

    /// The `xml:id` of an element.
    pub fn id(&self, i: usize) -> Option<&str> {
        self.attribute_ns(i, scan::XML_NAMESPACE, "id")
    }

    /// The value of an attribute in no namespace.
    pub fn attribute(&self, i: usize, name: &str) -> Option<&str> {
        self.attribute_ns(i, "", name)
    }

    /// The text of a text node (normalised), of a comment (whitespace collapsed and trimmed),
    /// or the data of a processing instruction; empty for an element.
    pub fn text(&self, i: usize) -> Cow<'_, str> {
        let node = &self.nodes[i];
        let raw: Cow<'_, str> = match node.content() {
            Content::None => return Cow::Borrowed(""),
            Content::Owned(k) => match node.kind() {
                NodeKind::Text => Cow::Borrowed(self.owned[k as usize].as_str()),
                _ => scan::normalise_line_ends(&self.owned[k as usize]),
            },
            Content::Span { start, end } => {
                let span = &self.source[start as usize..end as usize];
                match node.kind() {
                    NodeKind::Text => scan::decode(span),
                    _ => scan::normalise_line_ends(span),
                }
            }
        };
        compared_text(node.kind(), node.preserve(), raw)
    }

    /// The parent of node `i`.
    pub fn parent(&self, i: usize) -> Option<usize> {
        let parent = self.nodes[i].parent;
        (parent != NONE).then_some(parent as usize)
    }

    /// The children of node `i`, in document order.
    pub fn children(
        &self,
        i: usize,
    ) -> impl ExactSizeIterator<Item = usize> + DoubleEndedIterator + '_ {
        let from = self.nodes[i].first_child;
        let to = self
            .nodes
            .get(i + 1)
            .map_or(self.child_list.len() as u32, |next| next.first_child);
        self.child_list[from as usize..to as usize]
            .iter()
            .map(|c| *c as usize)
    }

    /// A hash of the subtree at `i`: equal subtrees compare equal.
    pub fn hash(&self, i: usize) -> u64 {
        self.nodes[i].hash
    }

    /// For an element, a hash of its subtree without its own name, to recognise a renamed
    /// element (computed on each call: keep it if it is wanted again); for any other node, its
    /// [`hash`](Tree::hash).
    pub fn content_hash(&self, i: usize) -> u64 {
        if !self.is_element(i) {
            return self.nodes[i].hash;
        }
        self.element_content_hash(i, |_| true, |c| self.nodes[c].hash)
    }

    /// A hash of element `i` without its own name: its namespace, the attributes `keep` keeps,
    /// and its children's hashes as `child_hash` gives them.
    fn element_content_hash(
        &self,
        i: usize,
        keep: impl Fn(&(&str, &str, &str)) -> bool,
        child_hash: impl Fn(usize) -> u64,
    ) -> u64 {
        let mut content = FxHasher::default();
        self.namespace_or_target(i).hash(&mut content);
        for attribute in self.attributes(i).filter(|a| keep(a)) {
            attribute.hash(&mut content);
        }
        for c in self.children(i) {
            child_hash(c).hash(&mut content);
        }
        content.finish()
    }

    /// A node's hash from the hash of its content and its name.
    fn with_name(&self, content_hash: u64, i: usize) -> u64 {
        let mut full = FxHasher::default();
        content_hash.hash(&mut full);
        self.name(i).hash(&mut full);
        full.finish()
    }

    /// A hash of the subtree at `i` that ignores every `xml:id` and `n` in it: equal for an
    /// element and its renumbered self (a footnote that became the next one when a note was
    /// inserted before it, a chapter whose ids were all renamed). Computed on each call, in time
    /// linear in the size of the subtree.
    pub fn hash_ignoring_numbering(&self, i: usize) -> u64 {
        // A subtree is a run of the node list: node `i` and its descendants, in document order,
        // so each node's children come after it.
        let end = self.subtree_end(i);
        let mut hashes = vec![0u64; end - i];
        for k in (i..end).rev() {
            hashes[k - i] = if self.is_element(k) {
                let not_numbering = |a: &(&str, &str, &str)| {
                    !matches!(a, (scan::XML_NAMESPACE, "id", _) | ("", "n", _))
                };
                let content = self.element_content_hash(k, not_numbering, |c| hashes[c - i]);
                self.with_name(content, k)
            } else {
                self.nodes[k].hash
            };
        }
        hashes[0]
    }

    /// One past the last descendant of node `i`.
    fn subtree_end(&self, i: usize) -> usize {
        let mut last = i;
        while let Some(child) = self.children(last).next_back() {
            last = child;
        }
        last + 1
    }

    /// Where node `i` stands among its parent's children of the same local name (or, for text,
    /// comments and processing instructions, of the same kind): its 1-based position and how
    /// many there are. Reports locate changes by it (`p 4`, `p[4]`); it is worked out for all
    /// of a parent's children at once, the first time one of them is asked about, so that
    /// locating thousands of changes among thousands of siblings stays linear.
    pub fn place_among_namesakes(&self, i: usize) -> (usize, usize) {
        let Some(parent) = self.parent(i) else {
            return (1, 1);
        };
        let mut namesakes = self.namesakes.borrow_mut();
        let places = namesakes.entry(parent).or_insert_with(|| {
            let mut counts: FxHashMap<u32, u32> = FxHashMap::default();
            let positions: Vec<u32> = self
                .children(parent)
                .map(|c| {
                    let count = counts.entry(self.namesake_key(c)).or_insert(0);
                    *count += 1;
                    *count
                })
                .collect();
            self.children(parent)
                .zip(positions)
                .map(|(c, position)| (position, counts[&self.namesake_key(c)]))
                .collect()
        });
        // Children are listed in document order, so a child's index is found by halving.
        let first = self.nodes[parent].first_child as usize;
        let index = self.child_list[first..first + places.len()]
            .binary_search(&(i as u32))
            .unwrap_or(0);
        let (position, count) = places[index];
        (position as usize, count as usize)
    }

    /// What makes two siblings namesakes: an element's local name (a symbol), or a kind.
    fn namesake_key(&self, i: usize) -> u32 {
        let node = &self.nodes[i];
        match node.kind() {
            NodeKind::Element => self.element_names[node.name() as usize].1,
            NodeKind::Text => u32::MAX,
            NodeKind::Comment => u32::MAX - 1,
            NodeKind::Pi => u32::MAX - 2,
        }
    }

    /// Where node `i` starts in the source (bytes).
    pub fn offset(&self, i: usize) -> usize {
        self.nodes[i].offset as usize
    }

    /// Removes the nodes marked dead, keeping document order.
    fn drop_dead(&mut self) {
        let mut new_index = vec![NONE; self.nodes.len()];
        let mut kept = 0;
        for i in 0..self.nodes.len() {
            if self.nodes[i].dead() {
                continue;
            }
            let mut node = self.nodes[i].clone();
            if node.parent != NONE {
                node.parent = new_index[node.parent as usize];
            }
            new_index[i] = kept as u32;
            self.nodes[kept] = node;
            kept += 1;
        }
        self.nodes.truncate(kept);
    }

    /// Fills in each node's children: parents come before their children, in document order.
    fn link_children(&mut self) {
        let mut counts = vec![0u32; self.nodes.len() + 1];
        for node in &self.nodes {
            if node.parent != NONE {
                counts[node.parent as usize + 1] += 1;
            }
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        for (i, node) in self.nodes.iter_mut().enumerate() {
            node.first_child = counts[i];
        }
        // `counts` now says where each node's next child goes.
        self.child_list = vec![0; self.nodes.len().saturating_sub(1)];
        for i in 1..self.nodes.len() {
            let parent = self.nodes[i].parent as usize;
            self.child_list[counts[parent] as usize] = i as u32;
            counts[parent] += 1;
        }
    }

    /// Hashes every subtree: children come after their parents, so in reverse order.
    fn hash_all(&mut self) {
        for i in (0..self.nodes.len()).rev() {
            // A leaf's hash is still that of its text (see `Node::hash`).
            self.nodes[i].hash = self.with_name(self.content_hash(i), i);
        }
    }
}

/// Text read but not yet a node: adjacent character data, references and CDATA sections make
/// one text node.
struct TextRun {
    offset: usize,
    start: usize,
    end: usize,
    /// Set once the run takes in text that is not in the source.
    owned: Option<String>,
}

struct OpenElement {
    node: u32,
    preserve: bool,
    has_text: bool,
    /// Where its whitespace-only children start in `Builder::blanks`.
    blanks_from: usize,
}

/// Builds a [`Tree`] from what the scanner reports.
struct Builder<'t> {
    tree: Tree<'t>,
    normalisation: Normalisation,
    open: Vec<OpenElement>,
    /// Whitespace-only text nodes that go if their parent holds no other text.
    blanks: Vec<u32>,
    run: Option<TextRun>,
    symbols: FxHashMap<Box<str>, u32>,
    element_names: FxHashMap<(u32, u32), u32>,
    /// Set when a name no longer fits in [`NAME_BITS`]: the document is then refused.
    too_many_names: bool,
    /// Reused to sort each element's attributes.
    sorted: Vec<(u32, u32, usize)>,
    dead: usize,
}

impl<'t> Builder<'t> {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(symbol) = self.symbols.get(s) {
            return *symbol;
        }
        let symbol = self.tree.symbols.len() as u32;
        self.too_many_names |= symbol > NAME_MASK;
        self.tree.symbols.push(s.into());
        self.symbols.insert(s.into(), symbol);
        symbol
    }

    fn intern_element_name(&mut self, namespace: &str, local: &str) -> u32 {
        let key = (self.intern(namespace), self.intern(local));
        let next = self.tree.element_names.len() as u32;
        let name = *self.element_names.entry(key).or_insert(next);
        if name == next {
            self.too_many_names |= name > NAME_MASK;
            self.tree.element_names.push(key);
        }
        name
    }

    /// Adds a node under the open element; `text_hash` is a leaf's [`leaf_hash`] (0 for an
    /// element).
    fn push(&mut self, kind: NodeKind, offset: usize, content: Content, text_hash: u64) -> u32 {
        let parent = self.open.last();
        let mut node = Node::new(
            kind,
            parent.is_some_and(|p| p.preserve),
            offset,
            content,
            text_hash,
        );
        node.parent = parent.map_or(NONE, |p| p.node);
        let index = self.tree.nodes.len() as u32;
        self.tree.nodes.push(node);
        index
    }

    /// Turns the pending text into a node.
    fn end_text(&mut self) {
        let Some(run) = self.run.take() else {
            return;
        };
        let Some(parent) = self.open.last() else {
            return;
        };
        let preserve = parent.preserve;
        let source = self.tree.source;
        let raw: Cow<'_, str> = match &run.owned {
            Some(owned) => Cow::Borrowed(owned.as_str()),
            None => scan::decode(&source[run.start..run.end]),
        };
        let value = compared_text(NodeKind::Text, preserve, raw);
        if value.is_empty() {
            return;
        }
        let blank = value.trim().is_empty();
        let content_hash = leaf_hash(NodeKind::Text, &value);
        let content = match run.owned {
            Some(owned) => {
                self.tree.owned.push(owned);
                Content::Owned(self.tree.owned.len() as u32 - 1)
            }
            None => Content::Span {
                start: run.start as u32,
                end: run.end as u32,
            },
        };
        let index = self.push(NodeKind::Text, run.offset, content, content_hash);
        if blank && !preserve {
            self.blanks.push(index);
        } else if !blank {
            if let Some(parent) = self.open.last_mut() {
                parent.has_text = true;
            }
        }
    }

    /// A comment's or processing instruction's text, as stored.
    fn content_of(&mut self, chars: Chars<'_>) -> Content {
        match chars {
            Chars::Source { start, end } => Content::Span {
                start: start as u32,
                end: end as u32,
            },
            Chars::Expanded(text) => {
                self.tree.owned.push(text.to_string());
                Content::Owned(self.tree.owned.len() as u32 - 1)
            }
        }
    }

    fn chars_text<'a>(&self, chars: &Chars<'a>) -> Cow<'a, str>
    where
        't: 'a,
    {
        scan::normalise_line_ends(match *chars {
            Chars::Source { start, end } => &self.tree.source[start..end],
            Chars::Expanded(text) => text,
        })
    }
}

impl scan::Handler for Builder<'_> {
    fn start_element(&mut self, tag: &StartTag<'_>) {
        self.end_text();
        let preserve = match tag
            .attributes
            .iter()
            .find(|a| a.namespace == scan::XML_NAMESPACE && a.local == "space")
        {
            Some(a) if a.value == "preserve" => true,
            Some(a) if a.value == "default" => false,
            _ => self.open.last().is_some_and(|p| p.preserve),
        };
        let name = self.intern_element_name(tag.namespace, tag.local);
        let mut sorted = std::mem::take(&mut self.sorted);
        sorted.clear();
        for (k, attribute) in tag.attributes.iter().enumerate() {
            let ns = self.intern(attribute.namespace);
            let name = self.intern(attribute.local);
            sorted.push((ns, name, k));
        }
        let symbols = &self.tree.symbols;
        sorted.sort_by(|a, b| {
            (&symbols[a.0 as usize], &symbols[a.1 as usize])
                .cmp(&(&symbols[b.0 as usize], &symbols[b.1 as usize]))
        });
        let first = self.tree.attributes.len() as u32;
        for &(ns, name, k) in &sorted {
            let start = self.tree.values.len() as u32;
            self.tree.values.push_str(tag.attributes[k].value);
            let end = self.tree.values.len() as u32;
            self.tree.attributes.push(Attribute {
                ns,
                name,
                value: (start, end),
            });
        }
        self.sorted = sorted;
        let last = self.tree.attributes.len() as u32;
        let index = self.push(NodeKind::Element, tag.offset, Content::None, 0);
        let node = &mut self.tree.nodes[index as usize];
        node.set_name(name);
        node.span = (first, last);
        self.open.push(OpenElement {
            node: index,
            preserve,
            has_text: false,
            blanks_from: self.blanks.len(),
        });
    }

    fn end_element(&mut self, _: usize) {
        self.end_text();
        let Some(element) = self.open.pop() else {
            return;
        };
        if !element.has_text {
            for &blank in &self.blanks[element.blanks_from..] {
                self.tree.nodes[blank as usize].mark_dead();
            }
            self.dead += self.blanks.len() - element.blanks_from;
        }
        self.blanks.truncate(element.blanks_from);
    }

    fn text(&mut self, chars: Chars<'_>, offset: usize) {
        let source = self.tree.source;
        match (&mut self.run, chars) {
            (Some(run), Chars::Source { start, end })
                if run.owned.is_none() && run.end == start =>
            {
                run.end = end;
            }
            (None, Chars::Source { start, end }) => {
                self.run = Some(TextRun {
                    offset,
                    start,
                    end,
                    owned: None,
                })
            }
            (run, chars) => {
                let run = run.get_or_insert(TextRun {
                    offset,
                    start: 0,
                    end: 0,
                    owned: None,
                });
                let owned = run
                    .owned
                    .get_or_insert_with(|| scan::decode(&source[run.start..run.end]).into_owned());
                match chars {
                    Chars::Source { start, end } => {
                        owned.push_str(&scan::decode(&source[start..end]))
                    }
                    Chars::Expanded(text) => owned.push_str(text),
                }
            }
        }
    }

    fn comment(&mut self, body: Chars<'_>, offset: usize) {
        self.end_text();
        if self.normalisation.ignore_comments {
            return;
        }
        let text = compared_text(NodeKind::Comment, false, self.chars_text(&body));
        let content = self.content_of(body);
        self.push(
            NodeKind::Comment,
            offset,
            content,
            leaf_hash(NodeKind::Comment, &text),
        );
    }

    fn processing_instruction(&mut self, target: &str, data: Chars<'_>, offset: usize) {
        self.end_text();
        if self.normalisation.ignore_processing_instructions {
            return;
        }
        let mut h = FxHasher::default();
        NodeKind::Pi.hash(&mut h);
        target.hash(&mut h);
        compared_text(NodeKind::Pi, false, self.chars_text(&data)).hash(&mut h);
        let content = self.content_of(data);
        let target = self.intern(target);
        let index = self.push(NodeKind::Pi, offset, content, h.finish());
        self.tree.nodes[index as usize].set_name(target);
    }
}

#[cfg(test)]
mod tests {
    use super::{collapse, NodeKind, Normalisation, Tree};
    use crate::xml::ReadLimits;

    fn tree(text: &str) -> Tree<'_> {
        Tree::parse(text, Normalisation::default(), ReadLimits::default()).unwrap()
    }

    #[test]
    fn entities_references_and_cdata_compare_like_the_text_they_stand_for() {
        let expanded = tree("<p>Paris, <hi rend='i'>May</hi> 1973 &amp; after</p>");
        let with_entity = tree(
            "<!DOCTYPE p [<!ENTITY when '<hi rend=\"i\">May</hi> 1973'>]>\n<p>Paris, &when; &#38; after</p>",
        );
        let with_cdata = tree("<p>Paris,\n  <hi rend='i'>May</hi><![CDATA[ 1973 & after]]></p>");
        assert_eq!(expanded.hash(0), with_entity.hash(0));
        assert_eq!(expanded.hash(0), with_cdata.hash(0));
        // Text from an entity is kept as a copy; from the source, read again from it.
        let last = with_entity.len() - 1;
        assert_eq!(with_entity.kind(last), NodeKind::Text);
        assert_eq!(with_entity.text(last), " 1973 & after");
        assert_eq!(with_cdata.text(with_cdata.len() - 1), " 1973 & after");
        let other = tree("<!DOCTYPE p [<!ENTITY when '<hi rend=\"i\">June</hi> 1973'>]><p>Paris, &when; &#38; after</p>");
        assert_ne!(expanded.hash(0), other.hash(0));
    }

    #[test]
    fn whitespace_between_elements_goes_unless_the_parent_holds_text_or_preserves_it() {
        let t = tree("<div>\n  <p>a</p>\n  <p>b <hi>c</hi> <hi>d</hi></p>\n  <lg xml:space='preserve'> <l/> </lg>\n</div>");
        let names: Vec<&str> = (0..t.len()).map(|i| t.name(i)).collect();
        assert_eq!(
            names,
            [
                "div", "p", "#text", "p", "#text", "hi", "#text", "#text", "hi", "#text", "lg",
                "#text", "l", "#text"
            ]
        );
        assert_eq!(
            t.text(7),
            " ",
            "the space between two elements in text is text"
        );
        assert_eq!(
            t.text(11),
            " ",
            "and under xml:space=\"preserve\" any space is"
        );
        let children: Vec<usize> = t.children(0).collect();
        assert_eq!(children, [1, 3, 10]);
    }

    #[test]
    fn names_kinds_and_flags_survive_packing_into_one_word() {
        let t = tree(
            "<TEI xmlns='http://www.tei-c.org/ns/1.0' xmlns:x='urn:x'><x:p>a</x:p><p xml:space='preserve'>  b  </p><?target data?><!-- c --></TEI>",
        );
        let described: Vec<(NodeKind, &str, &str)> = (0..t.len())
            .map(|i| (t.kind(i), t.name(i), t.namespace_or_target(i)))
            .collect();
        let tei = "http://www.tei-c.org/ns/1.0";
        assert_eq!(
            described,
            [
                (NodeKind::Element, "TEI", tei),
                (NodeKind::Element, "p", "urn:x"),
                (NodeKind::Text, "#text", ""),
                (NodeKind::Element, "p", tei),
                (NodeKind::Text, "#text", ""),
                (NodeKind::Pi, "#pi", "target"),
                (NodeKind::Comment, "#comment", ""),
            ]
        );
        // The same local name in two namespaces is two names.
        assert_ne!(t.hash(1), t.hash(3));
        assert_eq!(t.text(4), "  b  ", "preserved under xml:space");
        assert_eq!(t.text(5), "data");
    }

    #[test]
    fn a_renamed_element_keeps_its_content_hash_but_not_its_hash() {
        let old = tree("<div><label n='1'>Note <hi>one</hi></label></div>");
        let new = tree("<div><head n='1'>Note <hi>one</hi></head></div>");
        let other = tree("<div><head n='2'>Note <hi>one</hi></head></div>");
        assert_ne!(old.hash(1), new.hash(1));
        assert_eq!(old.content_hash(1), new.content_hash(1));
        assert_ne!(old.content_hash(1), other.content_hash(1));
        // A leaf's content hash is its hash.
        assert_eq!(old.content_hash(2), old.hash(2));
    }

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

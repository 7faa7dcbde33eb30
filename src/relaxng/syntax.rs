//! Reading the RELAX NG XML syntax into a typed syntax tree.
//!
//! This stage does the parts of simplification (spec section 4) that concern single files and
//! their context: foreign elements and attributes are dropped (4.1), whitespace is trimmed (4.2),
//! `datatypeLibrary` (4.3) and `ns` (4.9) are inherited, `value` defaults to the built-in `token`
//! (4.4), `href` is resolved against the file and `xml:base` (4.5), `name` attributes become name
//! classes (4.8) and QNames are resolved (4.10). Every element is checked against the syntax of
//! section 3, so a misspelt or misplaced construct is an error with its location.
//!
//! `externalRef` and `include` are left as references to files: [`super::compile`] follows them.

use super::SchemaError;
use crate::base::diagnostic::{LineIndex, Location};
use crate::xml::chars::{is_name_char, is_name_start};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The RELAX NG namespace.
pub const RNG_NS: &str = "http://relaxng.org/ns/structure/1.0";
const XML_NS: &str = crate::base::ns::XML;

/// In-scope namespace declarations of a schema element (prefix → URI), for QNames in values.
pub type NsContext = Arc<Vec<(String, String)>>;

/// Resolves `prefix` in a value pattern's namespace context; the innermost declaration wins,
/// and the empty prefix with no declaration means no namespace.
///
/// ```
/// use teikit::relaxng::syntax::resolve_prefix;
/// let context = vec![("x".to_string(), "urn:a".to_string()), ("x".to_string(), "urn:b".to_string())];
/// assert_eq!(resolve_prefix(&context, "x").as_deref(), Some("urn:b"));
/// assert_eq!(resolve_prefix(&context, "").as_deref(), Some(""));
/// assert_eq!(resolve_prefix(&context, "y"), None);
/// ```
pub fn resolve_prefix(namespaces: &[(String, String)], prefix: &str) -> Option<String> {
    namespaces
        .iter()
        .rev()
        .find(|(p, _)| p == prefix)
        .map(|(_, u)| u.clone())
        .or_else(|| prefix.is_empty().then(String::new))
}

/// A name class.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NameClass {
    /// One name: namespace URI and local name.
    Name(String, String),
    /// Any name, minus the exception.
    AnyName(Option<Box<NameClass>>),
    /// Any name in a namespace, minus the exception.
    NsName(String, Option<Box<NameClass>>),
    /// Either.
    Choice(Box<NameClass>, Box<NameClass>),
}

/// A datatype reference: library URI and type name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DatatypeRef {
    /// The datatype library URI ("" for the built-in library).
    pub library: String,
    /// The type's local name.
    pub name: String,
}

/// A pattern of the syntax tree. Children lists are as written (4.12 groups them later).
#[derive(Debug, Clone)]
pub enum Pattern {
    /// `element`.
    Element(NameClass, Vec<Node>),
    /// `attribute`; no child means `<text/>`.
    Attribute(NameClass, Option<Box<Node>>),
    /// `group`.
    Group(Vec<Node>),
    /// `interleave`.
    Interleave(Vec<Node>),
    /// `choice`.
    Choice(Vec<Node>),
    /// `optional`.
    Optional(Vec<Node>),
    /// `zeroOrMore`.
    ZeroOrMore(Vec<Node>),
    /// `oneOrMore`.
    OneOrMore(Vec<Node>),
    /// `list`.
    List(Vec<Node>),
    /// `mixed`.
    Mixed(Vec<Node>),
    /// `ref`.
    Ref(String),
    /// `parentRef`.
    ParentRef(String),
    /// `empty`.
    Empty,
    /// `text`.
    Text,
    /// `notAllowed`.
    NotAllowed,
    /// `value`: datatype, the value, and the namespace context for QName values.
    Value(DatatypeRef, String, NsContext),
    /// `data`: datatype, parameters (name, value), exception.
    Data(DatatypeRef, Vec<(String, String)>, Option<Vec<Node>>),
    /// `externalRef`: the file and the inherited namespace.
    ExternalRef(PathBuf, String),
    /// `grammar`.
    Grammar(Vec<GrammarItem>),
}

/// A pattern with where it was written.
#[derive(Debug, Clone)]
pub struct Node {
    /// The pattern.
    pub pattern: Pattern,
    /// Its element in the schema file.
    pub location: Location,
}

/// How same-named definitions combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combine {
    /// `combine="choice"`.
    Choice,
    /// `combine="interleave"`.
    Interleave,
}

/// A component of a grammar.
#[derive(Debug, Clone)]
pub enum GrammarItem {
    /// `start`.
    Start(Option<Combine>, Node, Location),
    /// `define`.
    Define(String, Option<Combine>, Vec<Node>, Location),
    /// `div` (its contents belong to the grammar).
    Div(Vec<GrammarItem>),
    /// `include`: the file, the inherited namespace, and the overriding components.
    Include(PathBuf, String, Vec<GrammarItem>, Location),
}

/// What a child element inherits from its ancestors.
#[derive(Debug, Clone)]
struct Inherited {
    ns: Arc<str>,
    datatype_library: Arc<str>,
    base: Arc<Path>,
}

/// Parses a schema document (XML syntax); `ns` is the namespace inherited from an
/// `externalRef` or `include` (empty at the top).
pub fn parse_schema(path: &Path, text: &str, ns: &str) -> Result<Node, SchemaError> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        SchemaError::Syntax {
            location: Location::new(path, pos.row as usize, pos.col as usize),
            message: format!("not well-formed XML: {e}"),
        }
    })?;
    let reader = Reader {
        path,
        text,
        index: LineIndex::new(text),
    };
    let root = doc.root_element();
    let inherited = Inherited {
        ns: ns.into(),
        datatype_library: "".into(),
        base: path.into(),
    };
    if root.tag_name().namespace() != Some(RNG_NS) {
        return Err(reader.error(
            root,
            format!(
                "the document element `{}` is not in the RELAX NG namespace ({RNG_NS})",
                root.tag_name().name()
            ),
        ));
    }
    reader.pattern(root, &inherited)
}

struct Reader<'a> {
    path: &'a Path,
    text: &'a str,
    index: LineIndex,
}

fn is_rng(node: &roxmltree::Node) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(RNG_NS)
}

/// XML whitespace, as section 4.2 trims it.
fn trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\n', '\r'])
}

impl<'a> Reader<'a> {
    fn location(&self, node: roxmltree::Node) -> Location {
        let (line, column) = self.index.line_column(self.text, node.range().start);
        Location::new(self.path, line, column)
    }

    fn error(&self, node: roxmltree::Node, message: impl Into<String>) -> SchemaError {
        SchemaError::Syntax {
            location: self.location(node),
            message: message.into(),
        }
    }

    /// The context for the children of `node`.
    fn inherit(&self, node: roxmltree::Node, parent: &Inherited) -> Result<Inherited, SchemaError> {
        let mut inherited = parent.clone();
        if let Some(ns) = node.attribute("ns") {
            inherited.ns = ns.into();
        }
        if let Some(library) = node.attribute("datatypeLibrary") {
            check_datatype_library(library).map_err(|m| self.error(node, m))?;
            inherited.datatype_library = library.into();
        }
        if let Some(base) = node.attribute((XML_NS, "base")) {
            inherited.base = resolve_href(&parent.base, base).into();
        }
        Ok(inherited)
    }

    /// Checks the element's unqualified attributes against those its kind allows.
    fn check_attributes(&self, node: roxmltree::Node, allowed: &[&str]) -> Result<(), SchemaError> {
        for attribute in node.attributes() {
            if attribute.namespace() == Some(RNG_NS) {
                return Err(self.error(
                    node,
                    format!(
                        "attribute `{}` may not be in the RELAX NG namespace",
                        attribute.name()
                    ),
                ));
            }
            if attribute.namespace().is_some() {
                continue; // foreign (annotation) or xml:base: ignored (4.1)
            }
            let name = attribute.name();
            if !allowed.contains(&name) && name != "ns" && name != "datatypeLibrary" {
                return Err(self.error(
                    node,
                    format!(
                        "attribute `{name}` is not allowed on `{}`",
                        node.tag_name().name()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The RELAX NG child elements, rejecting text other than whitespace.
    fn rng_children(
        &self,
        node: roxmltree::Node<'a, 'a>,
    ) -> Result<Vec<roxmltree::Node<'a, 'a>>, SchemaError> {
        let mut out = Vec::new();
        for child in node.children() {
            if child.is_text() && !trim(child.text().unwrap_or("")).is_empty() {
                return Err(self.error(
                    node,
                    format!("text is not allowed in `{}`", node.tag_name().name()),
                ));
            }
            if is_rng(&child) {
                out.push(child);
            }
        }
        Ok(out)
    }

    fn text_content(&self, node: roxmltree::Node) -> Result<String, SchemaError> {
        let mut text = String::new();
        for child in node.children() {
            if child.is_text() {
                text.push_str(child.text().unwrap_or(""));
            } else if child.is_element() {
                return Err(self.error(
                    child,
                    format!(
                        "element `{}` is not allowed in `{}`",
                        child.tag_name().name(),
                        node.tag_name().name()
                    ),
                ));
            }
        }
        Ok(text)
    }

    fn patterns(
        &self,
        children: &[roxmltree::Node<'a, 'a>],
        inherited: &Inherited,
    ) -> Result<Vec<Node>, SchemaError> {
        children
            .iter()
            .map(|c| self.pattern(*c, inherited))
            .collect()
    }

    fn one_or_more(
        &self,
        node: roxmltree::Node<'a, 'a>,
        inherited: &Inherited,
    ) -> Result<Vec<Node>, SchemaError> {
        let children = self.rng_children(node)?;
        if children.is_empty() {
            return Err(self.error(
                node,
                format!("`{}` needs at least one pattern", node.tag_name().name()),
            ));
        }
        self.patterns(&children, inherited)
    }

    fn pattern(
        &self,
        node: roxmltree::Node<'a, 'a>,
        parent: &Inherited,
    ) -> Result<Node, SchemaError> {
        let inherited = self.inherit(node, parent)?;
        let location = self.location(node);
        let name = node.tag_name().name();
        let pattern = match name {
            "element" => {
                self.check_attributes(node, &["name"])?;
                let mut children = self.rng_children(node)?;
                let name_class = match node.attribute("name") {
                    Some(qname) => self.qname(node, qname, &inherited, true)?,
                    None => {
                        if children.is_empty() {
                            return Err(self.error(node, "`element` needs a name or a name class"));
                        }
                        let first = children.remove(0);
                        self.name_class(first, &inherited)?
                    }
                };
                if children.is_empty() {
                    return Err(self.error(node, "`element` needs at least one pattern"));
                }
                Pattern::Element(name_class, self.patterns(&children, &inherited)?)
            }
            "attribute" => {
                self.check_attributes(node, &["name"])?;
                let mut children = self.rng_children(node)?;
                let name_class = match node.attribute("name") {
                    Some(qname) => self.qname(node, qname, &inherited, false)?,
                    None => {
                        if children.is_empty() {
                            return Err(
                                self.error(node, "`attribute` needs a name or a name class")
                            );
                        }
                        let first = children.remove(0);
                        self.name_class(first, &inherited)?
                    }
                };
                if children.len() > 1 {
                    return Err(self.error(node, "`attribute` takes at most one pattern"));
                }
                let child = match children.first() {
                    Some(c) => Some(Box::new(self.pattern(*c, &inherited)?)),
                    None => None,
                };
                Pattern::Attribute(name_class, child)
            }
            "group" | "interleave" | "choice" | "optional" | "zeroOrMore" | "oneOrMore"
            | "list" | "mixed" => {
                self.check_attributes(node, &[])?;
                let children = self.one_or_more(node, &inherited)?;
                match name {
                    "group" => Pattern::Group(children),
                    "interleave" => Pattern::Interleave(children),
                    "choice" => Pattern::Choice(children),
                    "optional" => Pattern::Optional(children),
                    "zeroOrMore" => Pattern::ZeroOrMore(children),
                    "oneOrMore" => Pattern::OneOrMore(children),
                    "list" => Pattern::List(children),
                    _ => Pattern::Mixed(children),
                }
            }
            "ref" | "parentRef" => {
                self.check_attributes(node, &["name"])?;
                if !self.rng_children(node)?.is_empty() {
                    return Err(self.error(node, format!("`{name}` must be empty")));
                }
                let target = self.ncname_attribute(node, "name")?;
                if name == "ref" {
                    Pattern::Ref(target)
                } else {
                    Pattern::ParentRef(target)
                }
            }
            "empty" | "text" | "notAllowed" => {
                self.check_attributes(node, &[])?;
                if !self.rng_children(node)?.is_empty() {
                    return Err(self.error(node, format!("`{name}` must be empty")));
                }
                match name {
                    "empty" => Pattern::Empty,
                    "text" => Pattern::Text,
                    _ => Pattern::NotAllowed,
                }
            }
            "value" => {
                self.check_attributes(node, &["type"])?;
                let value = self.text_content(node)?;
                let datatype = match node.attribute("type") {
                    Some(t) => DatatypeRef {
                        library: inherited.datatype_library.to_string(),
                        name: self.ncname(node, trim(t))?,
                    },
                    None => DatatypeRef {
                        library: String::new(),
                        name: "token".to_string(),
                    },
                };
                // The default namespace of a value's context is the `ns` attribute (4.9), not
                // the schema document's default namespace.
                let mut context: Vec<(String, String)> = node
                    .namespaces()
                    .filter_map(|n| n.name().map(|p| (p.to_string(), n.uri().to_string())))
                    .collect();
                context.push((String::new(), inherited.ns.to_string()));
                Pattern::Value(datatype, value, Arc::new(context))
            }
            "data" => {
                self.check_attributes(node, &["type"])?;
                let type_name = node
                    .attribute("type")
                    .ok_or_else(|| self.error(node, "`data` needs a `type` attribute"))?;
                let datatype = DatatypeRef {
                    library: inherited.datatype_library.to_string(),
                    name: self.ncname(node, trim(type_name))?,
                };
                let mut params = Vec::new();
                let mut except = None;
                for child in self.rng_children(node)? {
                    match child.tag_name().name() {
                        "param" if except.is_none() => {
                            self.check_attributes(child, &["name"])?;
                            let name = self.ncname_attribute(child, "name")?;
                            params.push((name, self.text_content(child)?));
                        }
                        "except" if except.is_none() => {
                            self.check_attributes(child, &[])?;
                            let child_inherited = self.inherit(child, &inherited)?;
                            except = Some(self.one_or_more(child, &child_inherited)?);
                        }
                        other => {
                            return Err(self
                                .error(child, format!("`{other}` is not allowed here in `data`")))
                        }
                    }
                }
                Pattern::Data(datatype, params, except)
            }
            "externalRef" => {
                self.check_attributes(node, &["href"])?;
                if !self.rng_children(node)?.is_empty() {
                    return Err(self.error(node, "`externalRef` must be empty"));
                }
                let href = self.href(node, &inherited)?;
                Pattern::ExternalRef(href, inherited.ns.to_string())
            }
            "grammar" => {
                self.check_attributes(node, &[])?;
                Pattern::Grammar(self.grammar_items(node, &inherited)?)
            }
            other => return Err(self.error(node, format!("`{other}` is not a RELAX NG pattern"))),
        };
        Ok(Node { pattern, location })
    }

    fn grammar_items(
        &self,
        node: roxmltree::Node<'a, 'a>,
        inherited: &Inherited,
    ) -> Result<Vec<GrammarItem>, SchemaError> {
        let mut items = Vec::new();
        for child in self.rng_children(node)? {
            let child_inherited = self.inherit(child, inherited)?;
            let location = self.location(child);
            let item = match child.tag_name().name() {
                "start" => {
                    self.check_attributes(child, &["combine"])?;
                    let children = self.rng_children(child)?;
                    if children.len() != 1 {
                        return Err(self.error(child, "`start` takes exactly one pattern"));
                    }
                    let combine = self.combine(child)?;
                    GrammarItem::Start(combine, self.pattern(children[0], &child_inherited)?, location)
                }
                "define" => {
                    self.check_attributes(child, &["name", "combine"])?;
                    let name = self.ncname_attribute(child, "name")?;
                    let combine = self.combine(child)?;
                    let patterns = self.one_or_more(child, &child_inherited)?;
                    GrammarItem::Define(name, combine, patterns, location)
                }
                "div" => {
                    self.check_attributes(child, &[])?;
                    GrammarItem::Div(self.grammar_items(child, &child_inherited)?)
                }
                "include" => {
                    self.check_attributes(child, &["href"])?;
                    let href = self.href(child, &child_inherited)?;
                    let overrides = self.grammar_items(child, &child_inherited)?;
                    if overrides.iter().any(|o| matches!(o, GrammarItem::Include(..))) {
                        return Err(self.error(child, "`include` may not contain `include`"));
                    }
                    GrammarItem::Include(href, child_inherited.ns.to_string(), overrides, location)
                }
                other => {
                    return Err(self.error(
                        child,
                        format!("`{other}` is not allowed in a grammar; expected `start`, `define`, `div` or `include`"),
                    ))
                }
            };
            items.push(item);
        }
        Ok(items)
    }

    fn combine(&self, node: roxmltree::Node) -> Result<Option<Combine>, SchemaError> {
        match node.attribute("combine").map(trim) {
            None => Ok(None),
            Some("choice") => Ok(Some(Combine::Choice)),
            Some("interleave") => Ok(Some(Combine::Interleave)),
            Some(other) => Err(self.error(
                node,
                format!("`combine` must be `choice` or `interleave`, not `{other}`"),
            )),
        }
    }

    fn href(&self, node: roxmltree::Node, inherited: &Inherited) -> Result<PathBuf, SchemaError> {
        let href = node.attribute("href").ok_or_else(|| {
            self.error(
                node,
                format!("`{}` needs an `href`", node.tag_name().name()),
            )
        })?;
        let href = trim(href);
        if href.contains('#') {
            return Err(self.error(
                node,
                format!("`href` must not have a fragment identifier: `{href}`"),
            ));
        }
        if href.contains("://") {
            return Err(self.error(
                node,
                format!(
                    "`{href}` is not a local file; teikit never fetches schemas from the network"
                ),
            ));
        }
        Ok(resolve_href(&inherited.base, href))
    }

    fn ncname_attribute(&self, node: roxmltree::Node, name: &str) -> Result<String, SchemaError> {
        let value = node.attribute(name).ok_or_else(|| {
            self.error(
                node,
                format!("`{}` needs a `{name}` attribute", node.tag_name().name()),
            )
        })?;
        self.ncname(node, trim(value))
    }

    fn ncname(&self, node: roxmltree::Node, value: &str) -> Result<String, SchemaError> {
        if is_ncname(value) {
            Ok(value.to_string())
        } else {
            Err(self.error(node, format!("`{value}` is not a valid name (NCName)")))
        }
    }

    /// Resolves a QName of a `name` attribute or element.
    fn qname(
        &self,
        node: roxmltree::Node,
        qname: &str,
        inherited: &Inherited,
        is_element: bool,
    ) -> Result<NameClass, SchemaError> {
        let qname = trim(qname);
        let (ns, local) = match qname.split_once(':') {
            Some((prefix, local)) => {
                if !is_ncname(prefix) || !is_ncname(local) {
                    return Err(self.error(node, format!("`{qname}` is not a valid QName")));
                }
                let uri = if prefix == "xml" {
                    XML_NS.to_string()
                } else {
                    node.lookup_namespace_uri(Some(prefix))
                        .ok_or_else(|| {
                            self.error(node, format!("namespace prefix `{prefix}` is not declared"))
                        })?
                        .to_string()
                };
                (uri, local.to_string())
            }
            None => {
                if !is_ncname(qname) {
                    return Err(self.error(node, format!("`{qname}` is not a valid name")));
                }
                // 4.8: an attribute's name without prefix is in no namespace unless `ns` is given
                // on the attribute element itself.
                let ns = if is_element || node.attribute("ns").is_some() {
                    inherited.ns.to_string()
                } else {
                    String::new()
                };
                (ns, qname.to_string())
            }
        };
        Ok(NameClass::Name(ns, local))
    }

    fn name_class(
        &self,
        node: roxmltree::Node<'a, 'a>,
        parent: &Inherited,
    ) -> Result<NameClass, SchemaError> {
        let inherited = self.inherit(node, parent)?;
        match node.tag_name().name() {
            "name" => {
                self.check_attributes(node, &[])?;
                let text = self.text_content(node)?;
                self.qname(node, &text, &inherited, true)
            }
            "anyName" | "nsName" => {
                self.check_attributes(node, &[])?;
                let mut except = None;
                for child in self.rng_children(node)? {
                    if child.tag_name().name() != "except" || except.is_some() {
                        return Err(self.error(
                            child,
                            format!(
                                "`{}` is not allowed in `{}`",
                                child.tag_name().name(),
                                node.tag_name().name()
                            ),
                        ));
                    }
                    self.check_attributes(child, &[])?;
                    let except_inherited = self.inherit(child, &inherited)?;
                    let classes = self.rng_children(child)?;
                    if classes.is_empty() {
                        return Err(self.error(child, "`except` needs at least one name class"));
                    }
                    let mut result: Option<NameClass> = None;
                    for class in classes {
                        let nc = self.name_class(class, &except_inherited)?;
                        result = Some(match result {
                            Some(r) => NameClass::Choice(Box::new(r), Box::new(nc)),
                            None => nc,
                        });
                    }
                    except = result.map(Box::new);
                }
                if node.tag_name().name() == "anyName" {
                    if except.as_deref().is_some_and(contains_any_name) {
                        return Err(self.error(node, "`anyName` inside `except` of `anyName`"));
                    }
                    Ok(NameClass::AnyName(except))
                } else {
                    if except
                        .as_deref()
                        .is_some_and(|e| contains_any_name(e) || contains_ns_name(e))
                    {
                        return Err(
                            self.error(node, "`anyName` or `nsName` inside `except` of `nsName`")
                        );
                    }
                    Ok(NameClass::NsName(inherited.ns.to_string(), except))
                }
            }
            "choice" => {
                self.check_attributes(node, &[])?;
                let classes = self.rng_children(node)?;
                if classes.is_empty() {
                    return Err(self.error(node, "`choice` needs at least one name class"));
                }
                let mut result: Option<NameClass> = None;
                for class in classes {
                    let nc = self.name_class(class, &inherited)?;
                    result = Some(match result {
                        Some(r) => NameClass::Choice(Box::new(r), Box::new(nc)),
                        None => nc,
                    });
                }
                Ok(result.expect("at least one class"))
            }
            other => Err(self.error(node, format!("`{other}` is not a name class"))),
        }
    }
}

fn contains_any_name(nc: &NameClass) -> bool {
    match nc {
        NameClass::AnyName(_) => true,
        NameClass::Choice(a, b) => contains_any_name(a) || contains_any_name(b),
        _ => false,
    }
}

fn contains_ns_name(nc: &NameClass) -> bool {
    match nc {
        NameClass::NsName(..) => true,
        NameClass::Choice(a, b) => contains_ns_name(a) || contains_ns_name(b),
        _ => false,
    }
}

/// Whether `s` is an XML NCName.
///
/// Like jing (and XML 1.0 before its fifth edition), a name may not begin with a combining mark.
pub fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if is_name_start(c) && c != ':' && !is_combining(c))
        && chars.all(|c| is_name_char(c) && c != ':')
}

fn is_combining(c: char) -> bool {
    static MARK: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"^\p{M}$").expect("mark pattern"));
    !c.is_ascii() && MARK.is_match(c.encode_utf8(&mut [0; 4]))
}

/// Resolves `href` against the file (or `xml:base`) `base`.
pub fn resolve_href(base: &Path, href: &str) -> PathBuf {
    let href = href.strip_prefix("file://").unwrap_or(href);
    let decoded = percent_decode(href);
    let path = Path::new(&decoded);
    let resolved = if path.is_absolute() {
        path.to_path_buf()
    } else {
        let dir = base.parent().unwrap_or(Path::new(""));
        normalise(&dir.join(path))
    };
    // A base ending in `/` names a directory: resolve against a name inside it.
    if decoded.ends_with('/') {
        resolved.join(".base")
    } else {
        resolved
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Removes `.` and `a/..` components without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Section 4.3: a datatype library is empty or an absolute URI without a fragment, whose
/// escapes are well formed.
fn check_datatype_library(uri: &str) -> Result<(), String> {
    if uri.is_empty() {
        return Ok(());
    }
    let bad = |why: &str| {
        Err(format!(
            "`{uri}` is not a valid datatype library URI: {why}"
        ))
    };
    let Some((scheme, rest)) = uri.split_once(':') else {
        return bad("it is not absolute (no scheme)");
    };
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return bad("its scheme is malformed");
    }
    if uri.contains('#') {
        return bad("it has a fragment identifier");
    }
    if rest.is_empty() {
        return bad("nothing follows its scheme");
    }
    let bytes = rest.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'%' {
            let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return bad("a `%` escape is malformed");
            }
        }
        if b.is_ascii_whitespace()
            || matches!(
                b,
                b'<' | b'>' | b'"' | b'{' | b'}' | b'|' | b'\\' | b'^' | b'`'
            )
        {
            return bad("it contains a character not allowed in URIs");
        }
    }
    Ok(())
}

//! Reading a schema's elements into a tree of our own, with what ISO Schematron assembles
//! before anything is compiled: `include` and `extends href` replaced by what they name,
//! abstract patterns instantiated with their parameters, abstract rules copied into the
//! rules that extend them.

use super::SchematronError;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// ISO Schematron's namespace.
pub const ISO: &str = "http://purl.oclc.org/dsdl/schematron";
/// Schematron 1.5's namespace, refused with a message that says so.
pub const OLD: &str = "http://www.ascc.net/xml/schematron";
/// XSLT's namespace (`xsl:function` in a schema).
pub const XSL: &str = "http://www.w3.org/1999/XSL/Transform";

/// An element of a schema, owned.
#[derive(Debug, Clone)]
pub struct Element {
    pub namespace: String,
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Child>,
    /// The file and line it was read from, for messages.
    pub file: PathBuf,
    pub line: u32,
    /// The namespaces in scope where it stands (for `xsl:` content's own prefixes).
    pub namespaces: Vec<(String, String)>,
}

/// An element's child.
#[derive(Debug, Clone)]
pub enum Child {
    Element(Element),
    Text(String),
}

impl Element {
    /// Whether it is the Schematron element `name`.
    pub fn is(&self, name: &str) -> bool {
        self.namespace == ISO && self.name == name
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|c| match c {
            Child::Element(e) => Some(e),
            Child::Text(_) => None,
        })
    }

    pub fn error(&self, message: impl Into<String>) -> SchematronError {
        SchematronError {
            file: self.file.clone(),
            line: self.line,
            message: message.into(),
        }
    }

    fn from_node(node: roxmltree::Node, file: &Path, lines: &Lines) -> Element {
        Element {
            namespace: node.tag_name().namespace().unwrap_or("").to_string(),
            name: node.tag_name().name().to_string(),
            attributes: node
                .attributes()
                .filter(|a| a.namespace().is_none())
                .map(|a| (a.name().to_string(), a.value().to_string()))
                .collect(),
            children: node
                .children()
                .filter_map(|c| {
                    if c.is_element() {
                        Some(Child::Element(Element::from_node(c, file, lines)))
                    } else if c.is_text() {
                        Some(Child::Text(c.text().unwrap_or("").to_string()))
                    } else {
                        None
                    }
                })
                .collect(),
            file: file.to_path_buf(),
            line: lines.line(node.range().start),
            namespaces: node
                .namespaces()
                .filter_map(|ns| ns.name().map(|p| (p.to_string(), ns.uri().to_string())))
                .collect(),
        }
    }
}

/// Line numbers of a schema's text.
struct Lines<'t> {
    text: &'t str,
    index: crate::base::diagnostic::LineIndex,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Lines {
            text,
            index: crate::base::diagnostic::LineIndex::new(text),
        }
    }

    fn line(&self, offset: usize) -> u32 {
        self.index.line_column(self.text, offset).0 as u32
    }
}

/// Reads `path` (or the element `#id` of it) into a tree.
pub fn read(path: &Path) -> Result<Element, SchematronError> {
    read_fragment(path, None, &mut Vec::new())
}

/// The Schematron elements embedded in a RELAX NG schema (`ns`, `pattern`, and `rule` outside
/// a pattern), in document order, without copying the rest of the schema.
pub fn read_embedded(path: &Path) -> Result<Vec<Element>, SchematronError> {
    let text = read_text(path)?;
    let doc = parse_text(path, &text)?;
    let lines = Lines::new(&text);
    let mut found = Vec::new();
    let mut descendants = doc.root_element().descendants();
    while let Some(node) = descendants.next() {
        let is_schematron = node.tag_name().namespace() == Some(ISO)
            && matches!(node.tag_name().name(), "ns" | "pattern" | "rule");
        if is_schematron {
            let mut element = Element::from_node(node, path, &lines);
            resolve_inclusions(&mut element, &mut vec![path.to_path_buf()])?;
            found.push(element);
            // Skip the element's own descendants.
            let end = node.range().end;
            while descendants
                .clone()
                .next()
                .is_some_and(|n| n.range().start < end)
            {
                descendants.next();
            }
        }
    }
    Ok(found)
}

fn read_text(path: &Path) -> Result<String, SchematronError> {
    std::fs::read_to_string(path).map_err(|e| SchematronError {
        file: path.to_path_buf(),
        line: 1,
        message: format!("cannot read: {e}"),
    })
}

fn parse_text<'t>(path: &Path, text: &'t str) -> Result<roxmltree::Document<'t>, SchematronError> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| SchematronError {
        file: path.to_path_buf(),
        line: e.pos().row,
        message: format!("not well-formed XML: {e}"),
    })
}

fn read_fragment(
    path: &Path,
    fragment: Option<&str>,
    open: &mut Vec<PathBuf>,
) -> Result<Element, SchematronError> {
    let at_start = |message: String| SchematronError {
        file: path.to_path_buf(),
        line: 1,
        message,
    };
    let text = read_text(path)?;
    let doc = parse_text(path, &text)?;
    let node = match fragment {
        None => doc.root_element(),
        Some(id) => doc
            .descendants()
            .find(|n| {
                n.attribute("id") == Some(id)
                    || n.attribute((crate::base::ns::XML, "id")) == Some(id)
            })
            .ok_or_else(|| at_start(format!("no element with the id `{id}`")))?,
    };
    let mut element = Element::from_node(node, path, &Lines::new(&text));
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if open.contains(&canonical) {
        return Err(at_start(
            "includes itself (through `include` or `extends`)".into(),
        ));
    }
    open.push(canonical);
    resolve_inclusions(&mut element, open)?;
    open.pop();
    Ok(element)
}

/// Replaces `include` by the element it names and `extends href` by the children of the
/// schema it names.
fn resolve_inclusions(
    element: &mut Element,
    open: &mut Vec<PathBuf>,
) -> Result<(), SchematronError> {
    let mut children = Vec::with_capacity(element.children.len());
    for child in std::mem::take(&mut element.children) {
        match child {
            Child::Element(e)
                if e.is("include") || (e.is("extends") && e.attribute("href").is_some()) =>
            {
                let href = e
                    .attribute("href")
                    .ok_or_else(|| e.error("`include` without `href`"))?;
                let (file, fragment) = match href.split_once('#') {
                    Some((f, id)) => (f, Some(id)),
                    None => (href, None),
                };
                let base = e.file.parent().unwrap_or(Path::new("."));
                let target = if file.is_empty() {
                    e.file.clone()
                } else {
                    base.join(file)
                };
                if href.contains("://") {
                    return Err(e.error(format!("`{href}`: only local files are read")));
                }
                let included = read_fragment(&target, fragment, open).map_err(|inner| {
                    if inner.line == 1 && inner.file == target {
                        e.error(format!("`{href}`: {}", inner.message))
                    } else {
                        inner
                    }
                })?;
                if e.is("extends") {
                    // The other schema's content, not its `schema` element.
                    children.extend(included.children);
                } else {
                    children.push(Child::Element(included));
                }
            }
            Child::Element(mut e) => {
                resolve_inclusions(&mut e, open)?;
                children.push(Child::Element(e));
            }
            text => children.push(text),
        }
    }
    element.children = children;
    Ok(())
}

/// Instantiates abstract patterns (`is-a` with `param`s) and copies abstract rules into the
/// rules that `extends` them; abstract patterns and rules themselves are then dropped.
pub fn instantiate(schema: &mut Element) -> Result<(), SchematronError> {
    let abstract_patterns: HashMap<String, Element> = schema
        .elements()
        .filter(|e| e.is("pattern") && e.attribute("abstract") == Some("true"))
        .filter_map(|e| e.attribute("id").map(|id| (id.to_string(), e.clone())))
        .collect();
    // Abstract rules are found in the pattern that extends them, or in the schema's `rules`.
    let mut shared_rules: HashMap<String, Element> = HashMap::new();
    for container in schema.elements().filter(|e| e.is("rules")) {
        collect_abstract_rules(container, &mut shared_rules);
    }
    let mut children = Vec::new();
    for child in std::mem::take(&mut schema.children) {
        match child {
            Child::Element(e) if e.is("pattern") && e.attribute("abstract") == Some("true") => {}
            Child::Element(e) if e.is("pattern") && e.attribute("is-a").is_some() => {
                let name = e.attribute("is-a").unwrap_or_default();
                let template = abstract_patterns.get(name).ok_or_else(|| {
                    e.error(format!(
                        "`is-a=\"{name}\"`: no abstract pattern has that id"
                    ))
                })?;
                let mut params: Vec<(String, String)> = e
                    .elements()
                    .filter(|p| p.is("param"))
                    .map(|p| {
                        (
                            p.attribute("name").unwrap_or_default().to_string(),
                            p.attribute("value").unwrap_or_default().to_string(),
                        )
                    })
                    .collect();
                params.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
                let mut instance = template.clone();
                instance
                    .attributes
                    .retain(|(n, _)| n != "abstract" && n != "id");
                if let Some(id) = e.attribute("id") {
                    instance.attributes.push(("id".into(), id.into()));
                }
                substitute(&mut instance, &params);
                children.push(Child::Element(instance));
            }
            other => children.push(other),
        }
    }
    schema.children = children;
    for child in schema.children.iter_mut() {
        if let Child::Element(pattern) = child {
            if pattern.is("pattern") {
                let mut abstract_rules = shared_rules.clone();
                collect_abstract_rules(pattern, &mut abstract_rules);
                extend_rules(pattern, &abstract_rules)?;
            }
        }
    }
    Ok(())
}

fn collect_abstract_rules(element: &Element, into: &mut HashMap<String, Element>) {
    for e in element.elements() {
        if e.is("rule") && e.attribute("abstract") == Some("true") {
            if let Some(id) = e.attribute("id") {
                into.insert(id.to_string(), e.clone());
            }
        } else {
            collect_abstract_rules(e, into);
        }
    }
}

fn extend_rules(
    element: &mut Element,
    abstract_rules: &HashMap<String, Element>,
) -> Result<(), SchematronError> {
    extend_rules_within(element, abstract_rules, &mut Vec::new())
}

/// [`extend_rules`], `within` the abstract rules being copied (one that extends itself,
/// directly or not, is an error, not an endless copy).
fn extend_rules_within(
    element: &mut Element,
    abstract_rules: &HashMap<String, Element>,
    within: &mut Vec<String>,
) -> Result<(), SchematronError> {
    let mut children = Vec::new();
    for child in std::mem::take(&mut element.children) {
        match child {
            Child::Element(e) if e.is("rule") && e.attribute("abstract") == Some("true") => {}
            Child::Element(e) if e.is("extends") => {
                let name = e
                    .attribute("rule")
                    .ok_or_else(|| e.error("`extends` needs `rule` or `href`"))?;
                let rule = abstract_rules.get(name).ok_or_else(|| {
                    e.error(format!(
                        "`extends rule=\"{name}\"`: no abstract rule of that id in this pattern or the schema's `rules`"
                    ))
                })?;
                if within.iter().any(|w| w == name) {
                    return Err(e.error(format!(
                        "`extends rule=\"{name}\"`: the abstract rule extends itself"
                    )));
                }
                let mut copied = rule.clone();
                within.push(name.to_string());
                extend_rules_within(&mut copied, abstract_rules, within)?;
                within.pop();
                children.extend(copied.children);
            }
            Child::Element(mut e) => {
                extend_rules_within(&mut e, abstract_rules, within)?;
                children.push(Child::Element(e));
            }
            text => children.push(text),
        }
    }
    element.children = children;
    Ok(())
}

/// Replaces each `$name` of the parameters in the expressions of an abstract pattern.
fn substitute(element: &mut Element, params: &[(String, String)]) {
    for (name, value) in element.attributes.iter_mut() {
        if matches!(
            name.as_str(),
            "context" | "test" | "select" | "path" | "value" | "subject"
        ) {
            *value = replace_params(value, params);
        }
    }
    for child in element.children.iter_mut() {
        if let Child::Element(e) = child {
            substitute(e, params);
        }
    }
}

fn replace_params(text: &str, params: &[(String, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'outer: while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        for (name, value) in params {
            if let Some(tail) = after.strip_prefix(name.as_str()) {
                let continues = tail
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'));
                if !continues {
                    out.push_str(value);
                    rest = tail;
                    continue 'outer;
                }
            }
        }
        out.push('$');
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_replace_whole_names_only() {
        let params = vec![
            ("ab".to_string(), "X".to_string()),
            ("a".to_string(), "Y".to_string()),
        ];
        assert_eq!(
            replace_params("$a = $ab and $abc", &params),
            "Y = X and $abc"
        );
    }
}

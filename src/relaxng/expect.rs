//! What the schema allows at a point of a document being written: the elements that may come
//! next, the attributes a start tag may still take, the values an attribute may have. The
//! derivatives the validator keeps give them directly: the state at a point is the schema's
//! start derived by everything before it.
//!
//! The document before the point need not be valid or complete (it is being typed): an element
//! the schema does not allow where it stands is entered by its own definition, a child that does
//! not fit is passed over, missing attributes are forgiven.

use super::derive::NameId;
use super::pattern::{Pat, PatId, NOT_ALLOWED};
use super::syntax::NameClass;
use super::validate::Validator;
use std::collections::HashSet;

/// An element name: namespace URI and local name.
pub type QName = (String, String);

/// What stands before the point inside one open element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preceding {
    /// A complete child element.
    Element(QName),
    /// Text that is not only white space.
    Text,
}

/// An element open at the point: its name, the attributes its start tag has, and its children
/// so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenElement {
    /// The element's name.
    pub name: QName,
    /// The names of its attributes.
    pub attributes: Vec<QName>,
    /// Its own children before the point (for the innermost element) or before the next open
    /// element (for the others); none for an element whose start tag the point is in.
    pub children: Vec<Preceding>,
}

/// An attribute a start tag may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedAttribute {
    /// Its name.
    pub name: QName,
    /// Whether the element needs it (it is not part of a choice).
    pub required: bool,
}

impl Validator<'_> {
    /// The state inside the innermost of `open` (after its children), or `None` at the top.
    fn state_inside(&mut self, open: &[OpenElement]) -> PatId {
        let mut state = self.schema.compiled.start;
        for element in open {
            let tag = self.start_tag(state, element);
            state = self.deriver.start_tag_close_forgiving(tag);
            state = self.after_children(state, &element.children);
        }
        state
    }

    /// `state` after a start tag `<name`, by the element's own definition where it is not
    /// allowed there.
    fn enter(&mut self, state: PatId, name: NameId) -> PatId {
        let opened = self.deriver.start_tag_open(state, name);
        if opened != NOT_ALLOWED {
            return opened;
        }
        let skipping = self.deriver.start_tag_open_skipping(state, name);
        if skipping != NOT_ALLOWED {
            return skipping;
        }
        self.elements_named(name)
    }

    fn after_children(&mut self, mut state: PatId, children: &[Preceding]) -> PatId {
        for child in children {
            let next = match child {
                Preceding::Element((ns, local)) => {
                    let name = self.deriver.name(ns, local);
                    let opened = self.deriver.start_tag_open(state, name);
                    let opened = if opened == NOT_ALLOWED {
                        self.deriver.start_tag_open_skipping(state, name)
                    } else {
                        opened
                    };
                    self.deriver.continuation(opened)
                }
                Preceding::Text => self.deriver.text(state, "x", &|_| None),
            };
            if next != NOT_ALLOWED {
                state = next;
            }
        }
        state
    }

    /// The elements allowed as the next child of the innermost of `open` (the document element
    /// where `open` is empty), in the order of the content model, each once.
    pub fn allowed_elements(&mut self, open: &[OpenElement]) -> Vec<QName> {
        let state = self.state_inside(open);
        let mut names = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![state];
        while let Some(p) = stack.pop() {
            if !seen.insert(p) {
                continue;
            }
            match self.deriver.store.get(p) {
                Pat::Choice(a, b) | Pat::Interleave(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                Pat::Group(a, b) => {
                    if self.deriver.nullable(a) {
                        stack.push(b);
                    }
                    stack.push(a);
                }
                Pat::OneOrMore(a) | Pat::After(a, _) => stack.push(a),
                Pat::Element(nc, _) => {
                    explicit_names(&self.deriver.store.name_classes[nc as usize], &mut names)
                }
                _ => {}
            }
        }
        dedupe(names)
    }

    /// The state of the start tag of the innermost of `open`, its attributes so far applied.
    fn start_tag_state(&mut self, open: &[OpenElement]) -> Option<PatId> {
        let (last, before) = open.split_last()?;
        let state = self.state_inside(before);
        Some(self.start_tag(state, last))
    }

    /// `state` after the start tag of `element` up to its `>`: its name and its attributes (an
    /// attribute the schema does not allow there is passed over).
    fn start_tag(&mut self, state: PatId, element: &OpenElement) -> PatId {
        let name = self.deriver.name(&element.name.0, &element.name.1);
        let mut state = self.enter(state, name);
        for (ns, local) in &element.attributes {
            let attribute = self.deriver.name(ns, local);
            let next = self.deriver.attribute_any_value(state, attribute);
            if next != NOT_ALLOWED {
                state = next;
            }
        }
        state
    }

    /// The attributes the start tag of the innermost of `open` may still take (those it has
    /// are left out), required ones first.
    pub fn allowed_attributes(&mut self, open: &[OpenElement]) -> Vec<AllowedAttribute> {
        let Some(state) = self.start_tag_state(open) else {
            return Vec::new();
        };
        let mut found: Vec<AllowedAttribute> = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![(state, true)];
        while let Some((p, required)) = stack.pop() {
            if !seen.insert((p, required)) {
                continue;
            }
            match self.deriver.store.get(p) {
                // Either side of a choice may be left out (`a?` is a choice with empty).
                Pat::Choice(a, b) => {
                    stack.push((b, false));
                    stack.push((a, false));
                }
                Pat::Group(a, b) | Pat::Interleave(a, b) => {
                    stack.push((b, required));
                    stack.push((a, required));
                }
                Pat::OneOrMore(a) | Pat::After(a, _) => stack.push((a, required)),
                Pat::Attribute(nc, _) => {
                    let mut names = Vec::new();
                    explicit_names(&self.deriver.store.name_classes[nc as usize], &mut names);
                    for name in names {
                        found.push(AllowedAttribute { name, required });
                    }
                }
                _ => {}
            }
        }
        let given: HashSet<&QName> = open
            .last()
            .map(|e| e.attributes.iter().collect())
            .unwrap_or_default();
        let mut out: Vec<AllowedAttribute> = Vec::new();
        for attribute in found {
            if given.contains(&attribute.name) {
                continue;
            }
            match out.iter_mut().find(|a| a.name == attribute.name) {
                Some(existing) => existing.required |= attribute.required,
                None => out.push(attribute),
            }
        }
        out.sort_by_key(|a| !a.required);
        out
    }

    /// The values the schema enumerates for attribute `attribute` of the innermost of `open`
    /// (`type`, `cert`, `place`…), in the schema's order; empty where any text of a type goes.
    pub fn allowed_values(&mut self, open: &[OpenElement], attribute: &QName) -> Vec<String> {
        let Some(state) = self.start_tag_state(open) else {
            return Vec::new();
        };
        let name = self.deriver.name(&attribute.0, &attribute.1);
        let candidates = self.deriver.candidates(state, name).to_vec();
        let mut values = Vec::new();
        let mut seen = HashSet::new();
        let mut stack: Vec<PatId> = candidates.into_iter().rev().collect();
        while let Some(p) = stack.pop() {
            if !seen.insert(p) {
                continue;
            }
            match self.deriver.store.get(p) {
                Pat::Choice(a, b) | Pat::Group(a, b) | Pat::Interleave(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                Pat::OneOrMore(a) | Pat::List(a) => stack.push(a),
                Pat::Value(v) => values.push(self.deriver.store.values[v as usize].text.clone()),
                _ => {}
            }
        }
        dedupe(values)
    }
}

fn explicit_names(nc: &NameClass, out: &mut Vec<QName>) {
    match nc {
        NameClass::Name(ns, local) => out.push((ns.clone(), local.clone())),
        NameClass::Choice(a, b) => {
            explicit_names(a, out);
            explicit_names(b, out);
        }
        NameClass::AnyName(_) | NameClass::NsName(..) => {}
    }
}

fn dedupe<T: Eq + std::hash::Hash + Clone>(items: Vec<T>) -> Vec<T> {
    let mut seen = HashSet::new();
    items
        .into_iter()
        .filter(|i| seen.insert(i.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relaxng::Schema;

    const TEI: &str = "http://www.tei-c.org/ns/1.0";

    fn tei(local: &str) -> QName {
        (TEI.to_string(), local.to_string())
    }

    fn open(path: &[&str]) -> Vec<OpenElement> {
        path.iter()
            .map(|n| OpenElement {
                name: tei(n),
                ..OpenElement::default()
            })
            .collect()
    }

    #[test]
    fn the_bundled_schema_says_what_comes_next() {
        let schema = Schema::bundled().unwrap();
        let mut validator = schema.validator();
        assert_eq!(validator.allowed_elements(&[]), [tei("TEI")]);
        let top = validator.allowed_elements(&open(&["TEI"]));
        assert_eq!(top.first(), Some(&tei("teiHeader")), "{top:?}");
        let mut path = open(&["TEI"]);
        path[0].children.push(Preceding::Element(tei("teiHeader")));
        assert!(validator.allowed_elements(&path).contains(&tei("text")));
        assert!(!validator
            .allowed_elements(&path)
            .contains(&tei("teiHeader")));
        let in_p = validator.allowed_elements(&open(&["TEI", "text", "body", "div", "p"]));
        assert!(
            in_p.contains(&tei("persName")) && in_p.contains(&tei("note")),
            "{in_p:?}"
        );
    }

    #[test]
    fn attributes_still_missing_come_required_first_and_values_are_enumerated() {
        let schema = Schema::bundled().unwrap();
        let mut validator = schema.validator();
        let attribute = |n: &str| (String::new(), n.to_string());
        let mut path = open(&["TEI", "text", "body", "div"]);
        let attributes = validator.allowed_attributes(&path);
        let names: Vec<&str> = attributes.iter().map(|a| a.name.1.as_str()).collect();
        assert!(names.contains(&"type") && names.contains(&"n"), "{names:?}");
        // The bundled schema requires xml:id on div: it comes first.
        assert_eq!(attributes[0].name.1, "id", "{attributes:?}");
        assert!(attributes[0].required);
        assert!(
            !attributes
                .iter()
                .find(|a| a.name.1 == "n")
                .unwrap()
                .required
        );
        path[3].attributes.push(attribute("type"));
        assert!(!validator
            .allowed_attributes(&path)
            .iter()
            .any(|a| a.name.1 == "type"));
        let mut note = open(&["TEI", "text", "body", "div", "p", "note"]);
        let values = validator.allowed_values(&note, &attribute("type"));
        let _ = &mut note;
        let cert = validator.allowed_values(
            &open(&["TEI", "text", "body", "div", "p", "date"]),
            &attribute("cert"),
        );
        assert!(cert.contains(&"high".to_string()), "{cert:?} {values:?}");
    }
}

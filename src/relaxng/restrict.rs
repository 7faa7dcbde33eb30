//! The restrictions of spec section 7, checked on the simplified schema: prohibited paths (7.1),
//! string sequences (7.2), attribute uniqueness and repetition (7.3), and interleave (7.4).
//! A schema that breaks one is incorrect and is rejected, as jing rejects it.

use super::compile::Compiled;
use super::pattern::{is_infinite, overlap, NcId, Pat, PatId, Store};
use super::syntax::NameClass;
use super::SchemaError;
use crate::base::diagnostic::Location;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
struct Context {
    in_attribute: bool,
    in_one_or_more: bool,
    in_one_or_more_group: bool,
    in_list: bool,
    in_except: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ContentType {
    Empty,
    Complex,
    Simple,
}

struct Checker<'a> {
    store: &'a Store,
    location: Location,
    visited: HashSet<(PatId, Context)>,
    attributes: HashMap<PatId, Rc<Vec<NcId>>>,
    elements: HashMap<PatId, Rc<Vec<NcId>>>,
    content_types: HashMap<PatId, Option<ContentType>>,
}

/// Checks every restriction; the first broken one is the error.
pub fn check(compiled: &Compiled, root: &Location) -> Result<(), SchemaError> {
    let store = &compiled.store;
    let mut checker = Checker {
        store,
        location: root.clone(),
        visited: HashSet::new(),
        attributes: HashMap::new(),
        elements: HashMap::new(),
        content_types: HashMap::new(),
    };
    checker.start(compiled.start)?;
    for &content in &compiled.reachable {
        checker.location = store.content_locations[content as usize].clone();
        let p = store.contents[content as usize];
        checker.walk(p, Context::default())?;
        if checker.content_type(p).is_none() {
            return Err(checker.error("the element's content mixes data with other content in a way RELAX NG forbids (section 7.2)"));
        }
    }
    Ok(())
}

impl Checker<'_> {
    fn error(&self, message: impl Into<String>) -> SchemaError {
        SchemaError::Syntax {
            location: self.location.clone(),
            message: message.into(),
        }
    }

    fn start(&self, p: PatId) -> Result<(), SchemaError> {
        match self.store.get(p) {
            Pat::Choice(a, b) => {
                self.start(a)?;
                self.start(b)
            }
            Pat::Element(..) | Pat::NotAllowed => Ok(()),
            other => Err(self.error(format!(
                "the start pattern must be elements, found {} (section 7.1.5)",
                describe(&other)
            ))),
        }
    }

    fn walk(&mut self, p: PatId, ctx: Context) -> Result<(), SchemaError> {
        if !self.visited.insert((p, ctx)) {
            return Ok(());
        }
        let pat = self.store.get(p);
        let forbidden = |what: &str| Err(self.error(format!("{what} (section 7.1)")));
        match pat {
            Pat::Attribute(nc, value) => {
                if ctx.in_attribute {
                    return forbidden("an attribute inside an attribute");
                }
                if ctx.in_one_or_more_group {
                    return forbidden("an attribute in a group or interleave inside oneOrMore");
                }
                if ctx.in_list {
                    return forbidden("an attribute inside a list");
                }
                if ctx.in_except {
                    return forbidden("an attribute inside data/except");
                }
                if is_infinite(&self.store.name_classes[nc as usize]) && !ctx.in_one_or_more {
                    return Err(self.error("an attribute with anyName or nsName must be repeated (inside oneOrMore) (section 7.3)"));
                }
                if self.content_type(value).is_none() {
                    return Err(self.error("the attribute's value pattern mixes data in a way RELAX NG forbids (section 7.2)"));
                }
                self.walk(
                    value,
                    Context {
                        in_attribute: true,
                        ..ctx
                    },
                )
            }
            Pat::Element(..) => {
                if ctx.in_attribute {
                    return forbidden("an element inside an attribute");
                }
                if ctx.in_list {
                    return forbidden("an element inside a list");
                }
                if ctx.in_except {
                    return forbidden("an element inside data/except");
                }
                Ok(())
            }
            Pat::OneOrMore(a) => {
                if ctx.in_except {
                    return forbidden("oneOrMore inside data/except");
                }
                self.walk(
                    a,
                    Context {
                        in_one_or_more: true,
                        ..ctx
                    },
                )
            }
            Pat::Group(a, b) | Pat::Interleave(a, b) => {
                let interleave = matches!(pat, Pat::Interleave(..));
                if ctx.in_except {
                    return forbidden("group or interleave inside data/except");
                }
                if interleave && ctx.in_list {
                    return forbidden("interleave inside a list");
                }
                self.duplicate_attributes(a, b)?;
                if interleave {
                    self.interleave_restrictions(a, b)?;
                }
                let inner = Context {
                    in_one_or_more_group: ctx.in_one_or_more_group || ctx.in_one_or_more,
                    ..ctx
                };
                self.walk(a, inner)?;
                self.walk(b, inner)
            }
            Pat::Choice(a, b) => {
                self.walk(a, ctx)?;
                self.walk(b, ctx)
            }
            Pat::List(a) => {
                if ctx.in_list {
                    return forbidden("a list inside a list");
                }
                if ctx.in_except {
                    return forbidden("a list inside data/except");
                }
                self.walk(
                    a,
                    Context {
                        in_list: true,
                        ..ctx
                    },
                )
            }
            Pat::Text => {
                if ctx.in_list {
                    return forbidden("text inside a list");
                }
                if ctx.in_except {
                    return forbidden("text inside data/except");
                }
                Ok(())
            }
            Pat::Empty if ctx.in_except => forbidden("empty inside data/except"),
            Pat::DataExcept(_, e) => self.walk(
                e,
                Context {
                    in_except: true,
                    ..ctx
                },
            ),
            _ => Ok(()),
        }
    }

    /// Attribute name classes of `p`, not looking inside elements or attribute values.
    fn attribute_classes(&mut self, p: PatId) -> Rc<Vec<NcId>> {
        if let Some(found) = self.attributes.get(&p) {
            return found.clone();
        }
        let result = match self.store.get(p) {
            Pat::Attribute(nc, _) => Rc::new(vec![nc]),
            Pat::Choice(a, b) | Pat::Group(a, b) | Pat::Interleave(a, b) => {
                let (x, y) = (self.attribute_classes(a), self.attribute_classes(b));
                Rc::new(x.iter().chain(y.iter()).copied().collect())
            }
            Pat::OneOrMore(a) => self.attribute_classes(a),
            _ => Rc::new(Vec::new()),
        };
        self.attributes.insert(p, result.clone());
        result
    }

    fn element_classes(&mut self, p: PatId) -> Rc<Vec<NcId>> {
        if let Some(found) = self.elements.get(&p) {
            return found.clone();
        }
        let result = match self.store.get(p) {
            Pat::Element(nc, _) => Rc::new(vec![nc]),
            Pat::Choice(a, b) | Pat::Group(a, b) | Pat::Interleave(a, b) => {
                let (x, y) = (self.element_classes(a), self.element_classes(b));
                Rc::new(x.iter().chain(y.iter()).copied().collect())
            }
            Pat::OneOrMore(a) => self.element_classes(a),
            _ => Rc::new(Vec::new()),
        };
        self.elements.insert(p, result.clone());
        result
    }

    fn classes_overlap(&self, xs: &[NcId], ys: &[NcId]) -> bool {
        let classes = &self.store.name_classes;
        xs.iter().any(|x| {
            ys.iter().any(|y| {
                let (a, b) = (&classes[*x as usize], &classes[*y as usize]);
                match (a, b) {
                    // Interned: two single names overlap only if they are the same class.
                    (NameClass::Name(..), NameClass::Name(..)) => x == y,
                    _ => x == y || overlap(a, b),
                }
            })
        })
    }

    fn duplicate_attributes(&mut self, a: PatId, b: PatId) -> Result<(), SchemaError> {
        let (x, y) = (self.attribute_classes(a), self.attribute_classes(b));
        if !x.is_empty() && !y.is_empty() && self.classes_overlap(&x, &y) {
            return Err(self.error("the same attribute can occur twice (section 7.3)"));
        }
        Ok(())
    }

    fn interleave_restrictions(&mut self, a: PatId, b: PatId) -> Result<(), SchemaError> {
        let (x, y) = (self.element_classes(a), self.element_classes(b));
        if self.classes_overlap(&x, &y) {
            return Err(self.error(
                "both sides of an interleave can start with the same element (section 7.4)",
            ));
        }
        if self.has_text(a) && self.has_text(b) {
            return Err(self.error("both sides of an interleave contain text (section 7.4)"));
        }
        Ok(())
    }

    fn has_text(&self, p: PatId) -> bool {
        match self.store.get(p) {
            Pat::Text => true,
            Pat::Choice(a, b) | Pat::Group(a, b) | Pat::Interleave(a, b) => {
                self.has_text(a) || self.has_text(b)
            }
            Pat::OneOrMore(a) => self.has_text(a),
            _ => false,
        }
    }

    fn content_type(&mut self, p: PatId) -> Option<ContentType> {
        if let Some(ct) = self.content_types.get(&p) {
            return *ct;
        }
        let groupable = |a: ContentType, b: ContentType| {
            a == ContentType::Empty
                || b == ContentType::Empty
                || (a == ContentType::Complex && b == ContentType::Complex)
        };
        let ct = match self.store.get(p) {
            Pat::Value(_) | Pat::Data(_) | Pat::List(_) => Some(ContentType::Simple),
            Pat::DataExcept(_, e) => self.content_type(e).map(|_| ContentType::Simple),
            Pat::Text | Pat::Element(..) => Some(ContentType::Complex),
            Pat::Empty | Pat::NotAllowed => Some(ContentType::Empty),
            Pat::Attribute(_, v) => self.content_type(v).map(|_| ContentType::Empty),
            Pat::Group(a, b) | Pat::Interleave(a, b) => {
                match (self.content_type(a), self.content_type(b)) {
                    (Some(x), Some(y)) if groupable(x, y) => Some(x.max(y)),
                    _ => None,
                }
            }
            Pat::OneOrMore(a) => self.content_type(a).filter(|x| groupable(*x, *x)),
            Pat::Choice(a, b) => match (self.content_type(a), self.content_type(b)) {
                (Some(x), Some(y)) => Some(x.max(y)),
                _ => None,
            },
            Pat::Ref(_) | Pat::After(..) => Some(ContentType::Complex),
        };
        self.content_types.insert(p, ct);
        ct
    }
}

fn describe(p: &Pat) -> &'static str {
    match p {
        Pat::Empty => "empty",
        Pat::Text => "text",
        Pat::Attribute(..) => "an attribute",
        Pat::Data(_) | Pat::DataExcept(..) => "data",
        Pat::Value(_) => "a value",
        Pat::List(_) => "a list",
        Pat::Group(..) => "a group",
        Pat::Interleave(..) => "an interleave",
        Pat::OneOrMore(_) => "oneOrMore",
        _ => "a non-element pattern",
    }
}

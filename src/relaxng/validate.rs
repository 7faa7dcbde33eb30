//! Validating documents: the document walk over derivatives, recovery after errors, messages
//! that say what was expected, and ID uniqueness.
//!
//! The walk is iterative (an explicit stack), so the depth of a document costs heap, not the
//! call stack. After an error the validator recovers as jing does and goes on to report every
//! error of the document: an element not allowed is checked against its own definition and then
//! skipped; an attribute not allowed is ignored; missing content and attributes are forgiven.

use super::datatype::XsdType;
use super::derive::{is_whitespace, Deriver, NameId};
use super::pattern::{NcId, Pat, PatId, NOT_ALLOWED};
use super::syntax::NameClass;
use super::Schema;
use crate::base::diagnostic::{Diagnostic, LineIndex, Location};
use crate::xml::ReadLimits;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

/// Validates documents against one schema; reuse it for a batch (its memo tables persist).
pub struct Validator<'s> {
    pub(super) schema: &'s Schema,
    pub(super) deriver: Deriver,
    id_names: HashMap<NameId, XsdType>,
    /// Every element pattern by name, for checking the contents of misplaced elements; built at
    /// the first such error.
    by_name: Option<HashMap<NameId, PatId>>,
    /// Limits applied to every document.
    pub limits: ReadLimits,
    /// Set from another thread when the result is no longer wanted (the language server's
    /// document changed again): the walk stops at the next element.
    cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

enum Child<'a, 'i> {
    Element(roxmltree::Node<'a, 'i>),
    /// Text (adjacent text nodes merged: they are one in RELAX NG's data model) and its offset.
    Text(std::borrow::Cow<'a, str>, usize),
}

struct Frame<'a, 'i> {
    node: roxmltree::Node<'a, 'i>,
    outer: PatId,
    inside: PatId,
    recovering: bool,
    children: Vec<Child<'a, 'i>>,
    next: usize,
    /// The content was reported invalid already; the end tag is forgiven.
    content_failed: bool,
}

struct Walk<'t> {
    path: &'t Path,
    text: &'t str,
    index: LineIndex,
    diagnostics: Vec<Diagnostic>,
    ids: HashMap<String, usize>,
    idrefs: Vec<(String, usize)>,
}

impl Walk<'_> {
    fn location(&self, offset: usize) -> Location {
        let (line, column) = self.index.line_column(self.text, offset);
        Location::new(self.path, line, column)
    }

    fn report(&mut self, offset: usize, node: roxmltree::Node, message: String) {
        let location = self.location(offset);
        self.diagnostics
            .push(Diagnostic::error(location, message).with_path(crate::base::path::of_node(node)));
    }
}

/// Resolves the prefixes of QName values (`xsd:QName`, `QName` values) against the namespaces
/// in scope at `node`; the empty prefix means the default namespace.
fn prefix_resolver<'a>(node: roxmltree::Node<'a, '_>) -> impl Fn(&str) -> Option<String> + 'a {
    move |prefix: &str| {
        node.lookup_namespace_uri((!prefix.is_empty()).then_some(prefix))
            .map(str::to_string)
    }
}

fn children<'a, 'i>(node: roxmltree::Node<'a, 'i>) -> Vec<Child<'a, 'i>> {
    let mut out = Vec::new();
    let mut text: Option<(std::borrow::Cow<'a, str>, usize)> = None;
    for child in node.children() {
        if child.is_text() {
            let piece = child.text().unwrap_or("");
            text = Some(match text.take() {
                None => (std::borrow::Cow::Borrowed(piece), child.range().start),
                Some((mut merged, start)) => {
                    merged.to_mut().push_str(piece);
                    (merged, start)
                }
            });
        } else if child.is_element() {
            if let Some((t, start)) = text.take() {
                out.push(Child::Text(t, start));
            }
            out.push(Child::Element(child));
        }
    }
    if let Some((t, start)) = text {
        out.push(Child::Text(t, start));
    }
    out
}

impl<'s> Validator<'s> {
    /// The validator, checking documents within `limits` (its depth among them).
    pub fn with_limits(mut self, limits: ReadLimits) -> Self {
        self.limits = limits;
        self
    }

    pub(super) fn new(schema: &'s Schema) -> Self {
        let mut deriver = Deriver::new(schema.compiled.store.clone());
        let mut id_names = HashMap::new();
        for (ns, local, kind) in &schema.id_attributes {
            id_names.insert(deriver.name(ns, local), *kind);
        }
        Validator {
            schema,
            deriver,
            id_names,
            by_name: None,
            limits: ReadLimits::default(),
            cancel: None,
        }
    }

    /// Stops validations once `flag` is set (they then return what they found so far, which
    /// the caller, having asked to cancel, discards); `None` to validate to the end.
    pub fn cancel_when(&mut self, flag: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>) {
        self.cancel = flag;
    }

    /// The flag this validator stops at, if any (to hand on to another validator).
    pub fn cancellation(&self) -> Option<std::sync::Arc<std::sync::atomic::AtomicBool>> {
        self.cancel.clone()
    }

    fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|flag| flag.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Validates the document `text` read from `path`; returns every problem, in document order.
    /// A document that is not well-formed gives one error, located where parsing stopped.
    pub fn validate(&mut self, path: &Path, text: &str) -> Vec<Diagnostic> {
        match crate::xml::parse(path, text, self.limits) {
            Ok(doc) => self.validate_document(path, text, &doc),
            Err(diagnostic) => vec![diagnostic],
        }
    }

    /// Validates a document already parsed from `text` (so that other checks can share the
    /// parse).
    pub fn validate_document(
        &mut self,
        path: &Path,
        text: &str,
        doc: &roxmltree::Document,
    ) -> Vec<Diagnostic> {
        let mut walk = Walk {
            path,
            text,
            index: LineIndex::new(text),
            diagnostics: Vec::new(),
            ids: HashMap::new(),
            idrefs: Vec::new(),
        };
        self.walk(doc, &mut walk);
        for (id, offset) in std::mem::take(&mut walk.idrefs) {
            if !walk.ids.contains_key(&id) {
                let location = walk.location(offset);
                walk.diagnostics.push(Diagnostic::error(
                    location,
                    format!("IDREF `{id}` does not match any ID of the document"),
                ));
            }
        }
        walk.diagnostics.sort_by(|a, b| a.location.cmp(&b.location));
        walk.diagnostics
    }

    fn walk<'a, 'i>(&mut self, doc: &'a roxmltree::Document<'i>, walk: &mut Walk) {
        let root = doc.root_element();
        let start = self.schema.compiled.start;
        if start == NOT_ALLOWED {
            walk.report(
                root.range().start,
                root,
                "the schema allows no document at all (its start is notAllowed)".into(),
            );
        }
        let mut stack: Vec<Frame<'a, 'i>> = Vec::new();
        let (inside, recovering) = self.open(root, start, walk);
        let mut pending = Some((root, start, inside, recovering));
        loop {
            if let Some((node, outer, inside, recovering)) = pending.take() {
                if stack.len() >= self.limits.max_depth {
                    walk.report(
                        node.range().start,
                        node,
                        format!("elements nested deeper than {} levels; the rest of this element is not checked", self.limits.max_depth),
                    );
                    if let Some(parent) = stack.last_mut() {
                        parent.inside = if recovering {
                            outer
                        } else {
                            self.deriver.continuation(inside)
                        };
                    }
                } else {
                    stack.push(Frame {
                        node,
                        outer,
                        inside,
                        recovering,
                        children: children(node),
                        next: 0,
                        content_failed: false,
                    });
                }
            }
            if self.cancelled() {
                break;
            }
            let Some(frame) = stack.last_mut() else { break };
            if frame.children.iter().all(|c| matches!(c, Child::Text(..))) && frame.next == 0 {
                // Text-only (or empty) content: one text node, as the spec's childrenDeriv says.
                let (text, offset) = match frame.children.first() {
                    Some(Child::Text(t, o)) => (t.clone(), *o),
                    _ => (std::borrow::Cow::Borrowed(""), frame.node.range().end),
                };
                frame.next = frame.children.len().max(1);
                let inside = frame.inside;
                let node = frame.node;
                let resolve = prefix_resolver(node);
                let derived = self.deriver.text(inside, &text, &resolve);
                let derived = if is_whitespace(&text) {
                    self.deriver.store.choice(inside, derived)
                } else {
                    derived
                };
                if derived == NOT_ALLOWED && inside != NOT_ALLOWED {
                    let expected = self.describe_text(inside);
                    walk.report(
                        offset,
                        node,
                        format!(
                            "{} of element `{}` is invalid; expected {expected}",
                            describe_found_text(&text),
                            node.tag_name().name()
                        ),
                    );
                    stack.last_mut().expect("frame").content_failed = true;
                    continue;
                }
                stack.last_mut().expect("frame").inside = derived;
                continue;
            }
            if frame.next < frame.children.len() {
                let index = frame.next;
                frame.next += 1;
                match &frame.children[index] {
                    Child::Text(text, offset) => {
                        if is_whitespace(text) {
                            continue;
                        }
                        let (node, inside, offset) = (frame.node, frame.inside, *offset);
                        let resolve = prefix_resolver(node);
                        let text = text.clone();
                        let derived = self.deriver.text(inside, &text, &resolve);
                        if derived == NOT_ALLOWED {
                            if inside != NOT_ALLOWED {
                                let expected = self.describe_expected(inside, node);
                                walk.report(
                                    offset,
                                    node,
                                    format!("text not allowed here; expected {expected}"),
                                );
                            }
                        } else {
                            stack.last_mut().expect("frame").inside = derived;
                        }
                    }
                    Child::Element(child) => {
                        let (child, outer) = (*child, frame.inside);
                        let (inside, recovering) = self.open(child, outer, walk);
                        pending = Some((child, outer, inside, recovering));
                    }
                }
                continue;
            }
            // All children done: the end tag.
            let done = stack.pop().expect("frame");
            let result = self.finish(&done, walk);
            if let Some(parent) = stack.last_mut() {
                parent.inside = result;
            }
        }
    }

    /// Processes a start tag and its attributes; returns the pattern for the content and whether
    /// the element is being checked only for recovery (it was not allowed where it stands).
    fn open(&mut self, node: roxmltree::Node, outer: PatId, walk: &mut Walk) -> (PatId, bool) {
        let ns = node.tag_name().namespace().unwrap_or("");
        let local = node.tag_name().name();
        let name = self.deriver.name(ns, local);
        let mut p = self.deriver.start_tag_open(outer, name);
        let mut recovering = false;
        if p == NOT_ALLOWED && outer != NOT_ALLOWED {
            // Allowed once missing content is skipped? Then it is only early: say what is
            // missing and go on from there, as jing does.
            let skipped = self.deriver.start_tag_open_skipping(outer, name);
            if skipped != NOT_ALLOWED {
                let expected = self.describe_expected(outer, node);
                walk.report(
                    node.range().start,
                    node,
                    format!("element `{local}` not allowed yet; expected {expected} first"),
                );
                p = skipped;
            }
        }
        if p == NOT_ALLOWED {
            recovering = true;
            if outer != NOT_ALLOWED {
                let known = self.elements_named(name) != NOT_ALLOWED;
                let expected = self.describe_expected(outer, node);
                let place = if known { "here" } else { "anywhere" };
                walk.report(
                    node.range().start,
                    node,
                    format!("element `{local}` not allowed {place}; expected {expected}"),
                );
            }
            p = self.elements_named(name);
        }
        for attribute in node.attributes() {
            let ans = attribute.namespace().unwrap_or("");
            let aname = self.deriver.name(ans, attribute.name());
            self.check_id(
                aname,
                attribute.value(),
                attribute.range().start,
                node,
                walk,
            );
            if p == NOT_ALLOWED {
                continue;
            }
            let resolve = prefix_resolver(node);
            let q = self
                .deriver
                .attribute(p, aname, attribute.value(), &resolve);
            if q == NOT_ALLOWED {
                let shown = display_name(ans, attribute.name());
                let accepting = self.deriver.candidates(p, aname);
                if accepting.is_empty() {
                    let expected = self.describe_attributes(p);
                    walk.report(
                        attribute.range().start,
                        node,
                        format!(
                            "attribute `{shown}` not allowed on `{local}`; expected {expected}"
                        ),
                    );
                } else {
                    let expected = accepting
                        .iter()
                        .map(|v| self.describe_text(*v))
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect::<Vec<_>>()
                        .join(" or ");
                    walk.report(
                        attribute.range().start,
                        node,
                        format!(
                            "value `{}` of attribute `{shown}` is invalid; expected {expected}",
                            attribute.value()
                        ),
                    );
                    // Forgive the value, so the attribute does not also count as missing.
                    p = self.deriver.attribute_any_value(p, aname);
                }
            } else {
                p = q;
            }
        }
        let closed = self.deriver.start_tag_close(p);
        if closed == NOT_ALLOWED && p != NOT_ALLOWED {
            let missing = self.required_attributes(p);
            walk.report(
                node.range().start,
                node,
                format!(
                    "element `{local}` is missing required attribute {}",
                    or_list(&missing)
                ),
            );
            return (self.deriver.start_tag_close_forgiving(p), recovering);
        }
        (closed, recovering)
    }

    /// The choice of every element pattern of the schema named `name`, ready for its content.
    pub(super) fn elements_named(&mut self, name: NameId) -> PatId {
        if self.by_name.is_none() {
            let mut by_name: HashMap<NameId, PatId> = HashMap::new();
            let deriver = &mut self.deriver;
            let elements: Vec<(NcId, u32)> = (0..deriver.store.len() as PatId)
                .filter_map(|p| match deriver.store.get(p) {
                    Pat::Element(nc, c) => Some((nc, c)),
                    _ => None,
                })
                .collect();
            for (nc, content) in elements {
                if let NameClass::Name(ns, local) = deriver.store.name_classes[nc as usize].clone()
                {
                    let element = deriver.name(&ns, &local);
                    let c = deriver.store.contents[content as usize];
                    let after = deriver.store.after(c, super::pattern::EMPTY);
                    let entry = by_name.entry(element).or_insert(NOT_ALLOWED);
                    *entry = deriver.store.choice(*entry, after);
                }
            }
            self.by_name = Some(by_name);
        }
        self.by_name
            .as_ref()
            .and_then(|m| m.get(&name).copied())
            .unwrap_or(NOT_ALLOWED)
    }

    fn finish(&mut self, frame: &Frame, walk: &mut Walk) -> PatId {
        let inside = frame.inside;
        let mut after = if frame.content_failed {
            self.deriver.continuation(inside)
        } else {
            self.deriver.end_tag(inside)
        };
        if after == NOT_ALLOWED && !frame.content_failed {
            if inside != NOT_ALLOWED {
                let expected = self.describe_expected(inside, frame.node);
                walk.report(
                    frame.node.range().start,
                    frame.node,
                    format!(
                        "element `{}` incomplete; expected {expected}",
                        frame.node.tag_name().name()
                    ),
                );
            }
            after = self.deriver.continuation(inside);
        }
        if frame.recovering || after == NOT_ALLOWED {
            frame.outer
        } else {
            after
        }
    }

    fn check_id(
        &mut self,
        name: NameId,
        value: &str,
        offset: usize,
        node: roxmltree::Node,
        walk: &mut Walk,
    ) {
        let Some(kind) = self.id_names.get(&name).copied() else {
            return;
        };
        match kind {
            XsdType::Id => {
                let id = value.trim().to_string();
                if let Some(first) = walk.ids.get(&id).copied() {
                    let at = walk.location(first);
                    walk.report(
                        offset,
                        node,
                        format!(
                            "ID `{id}` has already been defined at {}:{}",
                            at.line, at.column
                        ),
                    );
                } else {
                    walk.ids.insert(id, offset);
                }
            }
            XsdType::IdRef => walk.idrefs.push((value.trim().to_string(), offset)),
            _ => {
                for id in value.split_whitespace() {
                    walk.idrefs.push((id.to_string(), offset));
                }
            }
        }
    }

    fn describe_attributes(&mut self, p: PatId) -> String {
        let store = &self.deriver.store;
        let names: BTreeSet<String> = store
            .attributes_at(p)
            .into_iter()
            .map(|(nc, _)| describe_name_class(&store.name_classes[nc as usize]))
            .collect();
        if names.is_empty() {
            "no attributes".to_string()
        } else {
            format!(
                "attribute {}",
                or_list(&names.into_iter().collect::<Vec<_>>())
            )
        }
    }

    fn required_attributes(&mut self, p: PatId) -> Vec<String> {
        fn walk(v: &mut Validator, p: PatId, out: &mut BTreeSet<String>, depth: usize) {
            if depth > 200 {
                return;
            }
            match v.deriver.store.get(p) {
                Pat::Group(a, b) | Pat::Interleave(a, b) => {
                    walk(v, a, out, depth + 1);
                    walk(v, b, out, depth + 1);
                }
                Pat::Choice(a, b) => {
                    let (mut x, mut y) = (BTreeSet::new(), BTreeSet::new());
                    walk(v, a, &mut x, depth + 1);
                    walk(v, b, &mut y, depth + 1);
                    if !x.is_empty() && !y.is_empty() {
                        out.extend(x);
                        out.extend(y);
                    }
                }
                Pat::OneOrMore(a) | Pat::After(a, _) => walk(v, a, out, depth + 1),
                Pat::Attribute(nc, _) => {
                    out.insert(describe_name_class(
                        &v.deriver.store.name_classes[nc as usize],
                    ));
                }
                _ => {}
            }
        }
        let mut out = BTreeSet::new();
        walk(self, p, &mut out, 0);
        out.into_iter().collect()
    }

    /// "element `p`, `list` or `table`", "the end of the element or element `p`", "text".
    fn describe_expected(&mut self, p: PatId, context: roxmltree::Node) -> String {
        let mut names: BTreeSet<(String, String)> = BTreeSet::new();
        let mut end = false;
        let mut text = false;
        let mut seen = HashSet::new();
        let mut stack = vec![p];
        while let Some(q) = stack.pop() {
            if !seen.insert(q) {
                continue;
            }
            match self.deriver.store.get(q) {
                Pat::Choice(a, b) | Pat::Interleave(a, b) => {
                    stack.push(a);
                    stack.push(b);
                }
                Pat::Group(a, b) => {
                    stack.push(a);
                    if self.deriver.nullable(a) {
                        stack.push(b);
                    }
                }
                Pat::OneOrMore(a) => stack.push(a),
                Pat::After(a, _) => {
                    if self.deriver.nullable(a) {
                        end = true;
                    }
                    stack.push(a);
                }
                Pat::Element(nc, _) => {
                    collect_names(&self.deriver.store.name_classes[nc as usize], &mut names);
                }
                Pat::Text | Pat::Data(_) | Pat::DataExcept(..) | Pat::Value(_) | Pat::List(_) => {
                    text = true
                }
                _ => {}
            }
        }
        let context_ns = context.tag_name().namespace().unwrap_or("");
        let mut parts = Vec::new();
        if end {
            parts.push("the end of the element".to_string());
        }
        if !names.is_empty() {
            let foreign: BTreeSet<&str> = names
                .iter()
                .map(|(ns, _)| ns.as_str())
                .filter(|ns| *ns != context_ns)
                .collect();
            let list: Vec<String> = names.iter().map(|(_, l)| l.clone()).collect();
            let mut s = format!("element {}", or_list(&list));
            if foreign.len() == 1 {
                let ns = foreign.iter().next().expect("one");
                if ns.is_empty() {
                    s.push_str(" (in no namespace)");
                } else {
                    s.push_str(&format!(" (in namespace {ns})"));
                }
            }
            parts.push(s);
        }
        if text {
            parts.push("text".to_string());
        }
        if parts.is_empty() {
            "nothing more".to_string()
        } else {
            parts.join(" or ")
        }
    }

    /// What text a pattern accepts: "a value of type xsd:date", "`high`, `low` or …".
    fn describe_text(&mut self, p: PatId) -> String {
        let mut values = BTreeSet::new();
        let mut types = BTreeSet::new();
        let mut seen = HashSet::new();
        let mut stack = vec![p];
        let mut any_text = false;
        while let Some(q) = stack.pop() {
            if !seen.insert(q) {
                continue;
            }
            match self.deriver.store.get(q) {
                Pat::Choice(a, b) | Pat::Group(a, b) | Pat::Interleave(a, b) => {
                    stack.push(a);
                    stack.push(b);
                }
                Pat::OneOrMore(a) | Pat::After(a, _) => stack.push(a),
                Pat::List(a) => {
                    types.insert("a whitespace-separated list".to_string());
                    stack.push(a);
                }
                Pat::Value(v) => {
                    values.insert(format!("`{}`", self.deriver.store.values[v as usize].text));
                }
                Pat::Data(dt) | Pat::DataExcept(dt, _) => {
                    types.insert(format!(
                        "a value of type {}",
                        self.deriver.store.datatypes[dt as usize].name()
                    ));
                }
                Pat::Text => any_text = true,
                Pat::Element(nc, _) => {
                    types.insert(format!(
                        "element {}",
                        describe_name_class(&self.deriver.store.name_classes[nc as usize])
                    ));
                }
                _ => {}
            }
        }
        let mut parts: Vec<String> = types.into_iter().collect();
        if !values.is_empty() {
            parts.push(format!(
                "one of {}",
                values.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        if any_text {
            parts.push("text".into());
        }
        if parts.is_empty() {
            "no content".into()
        } else {
            parts.join(" or ")
        }
    }
}

fn collect_names(nc: &NameClass, out: &mut BTreeSet<(String, String)>) {
    match nc {
        NameClass::Name(ns, local) => {
            out.insert((ns.clone(), local.clone()));
        }
        NameClass::Choice(a, b) => {
            collect_names(a, out);
            collect_names(b, out);
        }
        NameClass::AnyName(_) => {
            out.insert((String::new(), "(any name)".into()));
        }
        NameClass::NsName(ns, _) => {
            out.insert((ns.clone(), format!("(any name in {ns})")));
        }
    }
}

fn describe_name_class(nc: &NameClass) -> String {
    match nc {
        NameClass::Name(ns, local) => display_name(ns, local),
        NameClass::Choice(a, b) => {
            format!("{} or {}", describe_name_class(a), describe_name_class(b))
        }
        NameClass::AnyName(_) => "(any name)".into(),
        NameClass::NsName(ns, _) => format!("(any name in {ns})"),
    }
}

fn display_name(ns: &str, local: &str) -> String {
    if ns == crate::base::ns::XML {
        format!("xml:{local}")
    } else {
        local.to_string()
    }
}

fn describe_found_text(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        "the empty content".to_string()
    } else {
        let shown: String = trimmed.chars().take(40).collect();
        let ellipsis = if trimmed.chars().count() > 40 {
            "…"
        } else {
            ""
        };
        format!("the text `{shown}{ellipsis}`")
    }
}

/// "`a`", "`a` or `b`", "`a`, `b` or `c`".
fn or_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.len() {
        0 => "(none)".to_string(),
        1 => quoted[0].clone(),
        n => format!("{} or {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

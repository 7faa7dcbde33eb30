//! Interned patterns: each distinct pattern exists once and is named by a small integer, so
//! derivatives can be memoised by identity and shared structure costs nothing.
//!
//! The smart constructors apply the simplifications of spec section 4.20 (and a few algebraic
//! identities of the derivative algorithm) as patterns are built, so `notAllowed` and `empty`
//! never survive where they would be redundant.
//!
//! Element content is held apart (`Element` names a content slot), which is what lets
//! recursive schemas be finite graphs while everything else is a tree of ids.

use super::datatype::{Datatype, Value};
use super::syntax::{NameClass, NsContext};
use rustc_hash::FxHashMap as HashMap;
use std::collections::HashMap as StdHashMap;

/// A pattern's id.
pub type PatId = u32;
/// A name class's id.
pub type NcId = u32;
/// An element content slot's id.
pub type ContentId = u32;
/// A datatype's id.
pub type DtId = u32;
/// A `value` pattern's id.
pub type ValueId = u32;
/// A definition's id (only before references are expanded).
pub type DefId = u32;

/// One pattern, its children by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pat {
    /// Matches nothing at all: the empty sequence.
    Empty,
    /// Matches nothing: an error.
    NotAllowed,
    /// Any text.
    Text,
    /// Either.
    Choice(PatId, PatId),
    /// Both, in any order.
    Interleave(PatId, PatId),
    /// Both, in order.
    Group(PatId, PatId),
    /// One or more.
    OneOrMore(PatId),
    /// A whitespace-separated list.
    List(PatId),
    /// An element: name class and content slot.
    Element(NcId, ContentId),
    /// An attribute: name class and value pattern.
    Attribute(NcId, PatId),
    /// A datatype.
    Data(DtId),
    /// A datatype except a pattern.
    DataExcept(DtId, PatId),
    /// A value.
    Value(ValueId),
    /// A reference to a definition (replaced by its expansion before validation).
    Ref(DefId),
    /// The derivative algorithm's continuation: the rest of the element, then what follows it.
    After(PatId, PatId),
}

/// A `value` pattern's datatype, value and namespace context.
#[derive(Debug, Clone)]
pub struct ValuePattern {
    /// The datatype.
    pub datatype: DtId,
    /// The value as written.
    pub text: String,
    /// Its value.
    pub value: Value,
    /// The namespaces in scope where it was written.
    pub namespaces: NsContext,
}

/// All patterns of a schema and everything they refer to.
#[derive(Debug, Clone, Default)]
pub struct Store {
    pats: Vec<Pat>,
    index: HashMap<Pat, PatId>,
    nullable: Vec<Option<bool>>,
    /// Name classes.
    pub name_classes: Vec<NameClass>,
    nc_index: StdHashMap<NameClass, NcId>,
    /// Element content slots.
    pub contents: Vec<PatId>,
    /// Where each content slot's element was written, for messages.
    pub content_locations: Vec<crate::base::diagnostic::Location>,
    /// Datatypes.
    pub datatypes: Vec<Datatype>,
    /// Values.
    pub values: Vec<ValuePattern>,
    /// Definitions (before expansion).
    pub defs: Vec<Option<PatId>>,
}

/// The ids of the constant patterns, the same in every store.
pub const EMPTY: PatId = 0;
/// `notAllowed`.
pub const NOT_ALLOWED: PatId = 1;
/// `text`.
pub const TEXT: PatId = 2;

impl Store {
    /// A store holding the constants.
    pub fn new() -> Self {
        let mut store = Store::default();
        store.intern(Pat::Empty);
        store.intern(Pat::NotAllowed);
        store.intern(Pat::Text);
        store
    }

    /// A store made of parts saved earlier (see [`Store::patterns`]); the index and the
    /// nullability cache are rebuilt.
    pub fn from_parts(
        pats: Vec<Pat>,
        name_classes: Vec<NameClass>,
        contents: Vec<PatId>,
        content_locations: Vec<crate::base::diagnostic::Location>,
        datatypes: Vec<Datatype>,
        values: Vec<ValuePattern>,
    ) -> Self {
        let mut index = HashMap::default();
        for (i, p) in pats.iter().enumerate() {
            index.entry(*p).or_insert(i as PatId);
        }
        let nc_index = name_classes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as NcId))
            .collect();
        Store {
            nullable: vec![None; pats.len()],
            pats,
            index,
            name_classes,
            nc_index,
            contents,
            content_locations,
            datatypes,
            values,
            defs: Vec::new(),
        }
    }

    /// Every pattern, by id.
    pub fn patterns(&self) -> &[Pat] {
        &self.pats
    }

    /// The pattern `id`.
    #[inline]
    pub fn get(&self, id: PatId) -> Pat {
        self.pats[id as usize]
    }

    /// How many patterns there are.
    pub fn len(&self) -> usize {
        self.pats.len()
    }

    /// Whether the store is empty (never, after [`Store::new`]).
    pub fn is_empty(&self) -> bool {
        self.pats.is_empty()
    }

    /// The id of `pat`, adding it if new.
    pub fn intern(&mut self, pat: Pat) -> PatId {
        if let Some(id) = self.index.get(&pat) {
            return *id;
        }
        let id = self.pats.len() as PatId;
        self.pats.push(pat);
        self.nullable.push(None);
        self.index.insert(pat, id);
        id
    }

    /// The id of a name class.
    pub fn name_class(&mut self, nc: NameClass) -> NcId {
        if let Some(id) = self.nc_index.get(&nc) {
            return *id;
        }
        let id = self.name_classes.len() as NcId;
        self.name_classes.push(nc.clone());
        self.nc_index.insert(nc, id);
        id
    }

    /// `choice`, with `notAllowed` dropped and duplicates merged.
    pub fn choice(&mut self, a: PatId, b: PatId) -> PatId {
        if a == NOT_ALLOWED {
            return b;
        }
        if b == NOT_ALLOWED || a == b {
            return a;
        }
        // Already an alternative of a? (Keeps repeated derivatives from growing.)
        if self.choice_contains(a, b) {
            return a;
        }
        if self.choice_contains(b, a) {
            return b;
        }
        let (x, y) = if a < b { (a, b) } else { (b, a) };
        self.intern(Pat::Choice(x, y))
    }

    fn choice_contains(&self, choice: PatId, p: PatId) -> bool {
        let mut stack = vec![choice];
        let mut budget = 64;
        while let Some(c) = stack.pop() {
            if c == p {
                return true;
            }
            budget -= 1;
            if budget == 0 {
                return false;
            }
            if let Pat::Choice(x, y) = self.get(c) {
                stack.push(x);
                stack.push(y);
            }
        }
        false
    }

    /// `group`.
    pub fn group(&mut self, a: PatId, b: PatId) -> PatId {
        if a == NOT_ALLOWED || b == NOT_ALLOWED {
            return NOT_ALLOWED;
        }
        if a == EMPTY {
            return b;
        }
        if b == EMPTY {
            return a;
        }
        self.intern(Pat::Group(a, b))
    }

    /// `interleave`.
    pub fn interleave(&mut self, a: PatId, b: PatId) -> PatId {
        if a == NOT_ALLOWED || b == NOT_ALLOWED {
            return NOT_ALLOWED;
        }
        if a == EMPTY {
            return b;
        }
        if b == EMPTY {
            return a;
        }
        let (x, y) = if a < b { (a, b) } else { (b, a) };
        self.intern(Pat::Interleave(x, y))
    }

    /// `after`.
    pub fn after(&mut self, a: PatId, b: PatId) -> PatId {
        if a == NOT_ALLOWED || b == NOT_ALLOWED {
            return NOT_ALLOWED;
        }
        self.intern(Pat::After(a, b))
    }

    /// `oneOrMore`.
    pub fn one_or_more(&mut self, p: PatId) -> PatId {
        if p == NOT_ALLOWED || p == EMPTY {
            return p;
        }
        self.intern(Pat::OneOrMore(p))
    }

    /// `list`.
    pub fn list(&mut self, p: PatId) -> PatId {
        if p == NOT_ALLOWED {
            return NOT_ALLOWED;
        }
        self.intern(Pat::List(p))
    }

    /// `attribute`.
    pub fn attribute(&mut self, nc: NcId, p: PatId) -> PatId {
        if p == NOT_ALLOWED {
            return NOT_ALLOWED;
        }
        self.intern(Pat::Attribute(nc, p))
    }

    /// `data` with an optional exception.
    pub fn data(&mut self, dt: DtId, except: Option<PatId>) -> PatId {
        match except {
            None | Some(NOT_ALLOWED) => self.intern(Pat::Data(dt)),
            Some(e) => self.intern(Pat::DataExcept(dt, e)),
        }
    }

    /// A new element content slot holding `content`, for the element written at `location`.
    pub fn new_content(
        &mut self,
        content: PatId,
        location: crate::base::diagnostic::Location,
    ) -> ContentId {
        self.contents.push(content);
        self.content_locations.push(location);
        (self.contents.len() - 1) as ContentId
    }

    /// The attribute patterns `(name class, value)` that `p` allows now: those not inside an
    /// element, nor in the continuation of an `After`.
    pub fn attributes_at(&self, p: PatId) -> Vec<(NcId, PatId)> {
        let mut out = Vec::new();
        let mut seen = rustc_hash::FxHashSet::default();
        let mut stack = vec![p];
        while let Some(q) = stack.pop() {
            if !seen.insert(q) {
                continue;
            }
            match self.get(q) {
                Pat::Choice(a, b) | Pat::Group(a, b) | Pat::Interleave(a, b) => {
                    stack.push(a);
                    stack.push(b);
                }
                Pat::OneOrMore(a) | Pat::After(a, _) => stack.push(a),
                Pat::Attribute(nc, v) => out.push((nc, v)),
                _ => {}
            }
        }
        out
    }

    /// Whether `p` matches the empty sequence.
    pub fn nullable(&mut self, p: PatId) -> bool {
        if let Some(n) = self.nullable[p as usize] {
            return n;
        }
        // A reference loop (rejected by the schema checks) must not recurse forever.
        self.nullable[p as usize] = Some(false);
        let n = match self.get(p) {
            Pat::Empty | Pat::Text => true,
            Pat::Choice(a, b) => self.nullable(a) || self.nullable(b),
            Pat::Group(a, b) | Pat::Interleave(a, b) => self.nullable(a) && self.nullable(b),
            Pat::OneOrMore(a) => self.nullable(a),
            Pat::Ref(d) => match self.defs.get(d as usize).copied().flatten() {
                Some(target) => self.nullable(target),
                None => false,
            },
            _ => false,
        };
        self.nullable[p as usize] = Some(n);
        n
    }
}

/// Whether name class `nc` contains the name (`ns`, `local`).
pub fn contains(nc: &NameClass, ns: &str, local: &str) -> bool {
    match nc {
        NameClass::Name(n, l) => n == ns && l == local,
        NameClass::AnyName(except) => !except.as_deref().is_some_and(|e| contains(e, ns, local)),
        NameClass::NsName(n, except) => {
            n == ns && !except.as_deref().is_some_and(|e| contains(e, ns, local))
        }
        NameClass::Choice(a, b) => contains(a, ns, local) || contains(b, ns, local),
    }
}

/// Whether two name classes share a name (spec section 7.3's test, by representative names).
pub fn overlap(a: &NameClass, b: &NameClass) -> bool {
    let mut names = Vec::new();
    representatives(a, &mut names);
    representatives(b, &mut names);
    names
        .iter()
        .any(|(ns, l)| contains(a, ns, l) && contains(b, ns, l))
}

const ILLEGAL: &str = "\u{0}";

fn representatives(nc: &NameClass, out: &mut Vec<(String, String)>) {
    match nc {
        NameClass::Name(n, l) => out.push((n.clone(), l.clone())),
        NameClass::AnyName(except) => {
            out.push((ILLEGAL.into(), ILLEGAL.into()));
            if let Some(e) = except {
                representatives(e, out);
            }
        }
        NameClass::NsName(n, except) => {
            out.push((n.clone(), ILLEGAL.into()));
            if let Some(e) = except {
                representatives(e, out);
            }
        }
        NameClass::Choice(x, y) => {
            representatives(x, out);
            representatives(y, out);
        }
    }
}

/// Whether a name class contains infinitely many names (`anyName` or `nsName`).
pub fn is_infinite(nc: &NameClass) -> bool {
    match nc {
        NameClass::Name(..) => false,
        NameClass::AnyName(_) | NameClass::NsName(..) => true,
        NameClass::Choice(a, b) => is_infinite(a) || is_infinite(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplifying_constructors() {
        let mut s = Store::new();
        let nc = s.name_class(NameClass::Name(String::new(), "a".into()));
        let c = s.new_content(EMPTY, crate::base::diagnostic::Location::new("t", 1, 1));
        let e = s.intern(Pat::Element(nc, c));
        assert_eq!(s.choice(NOT_ALLOWED, e), e);
        assert_eq!(s.group(EMPTY, e), e);
        assert_eq!(s.group(NOT_ALLOWED, e), NOT_ALLOWED);
        let ch = s.choice(e, TEXT);
        assert_eq!(s.choice(ch, e), ch, "duplicates merge");
        assert_eq!(s.choice(TEXT, e), ch, "choice is commutative");
        assert!(s.nullable(ch));
        assert!(!s.nullable(e));
    }

    #[test]
    fn name_class_overlap() {
        let any = NameClass::AnyName(Some(Box::new(NameClass::Name("".into(), "a".into()))));
        let a = NameClass::Name("".into(), "a".into());
        let b = NameClass::Name("".into(), "b".into());
        assert!(!overlap(&any, &a));
        assert!(overlap(&any, &b));
        assert!(overlap(
            &NameClass::NsName("x".into(), None),
            &NameClass::Name("x".into(), "y".into())
        ));
    }
}

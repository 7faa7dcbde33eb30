//! Derivatives of patterns (James Clark, "An algorithm for RELAX NG validation"), memoised.
//!
//! A validator walks the document and replaces its current pattern by its derivative with
//! respect to each start tag, attribute, text and end tag. Derivatives of start tags, tag closes
//! and end tags are memoised by pattern and name, so a schema's states are computed once per
//! batch of documents, however many elements share them.

use super::datatype::Datatype;
use super::pattern::{contains, NcId, Pat, PatId, Store, EMPTY, NOT_ALLOWED};
use rustc_hash::FxHashMap as HashMap;

/// An interned element or attribute name.
pub type NameId = u32;

/// What `applyAfter` applies to the continuation of an `After`.
#[derive(Clone, Copy)]
enum AfterOp {
    /// x → group(x, q)
    GroupWith(PatId),
    /// x → interleave(x, q)
    InterleaveWith(PatId),
    /// x → interleave(q, x)
    InterleaveBefore(PatId),
    /// x → after(x, q)
    AfterWith(PatId),
}

/// Resolves namespace prefixes of QName values in the instance.
pub type Resolver<'r> = &'r dyn Fn(&str) -> Option<String>;

/// The derivative engine over a store of patterns.
pub struct Deriver {
    /// The patterns (grown by derivatives).
    pub store: Store,
    /// Local name → id, for each namespace met: (namespace, table).
    names: Vec<(String, HashMap<String, NameId>)>,
    /// The namespaces of the last two names looked up: most names of a document are in one
    /// of two (its elements' and its attributes' none).
    recent_namespaces: [usize; 2],
    name_list: Vec<(String, String)>,
    contains_memo: HashMap<(NcId, NameId), bool>,
    open_memo: HashMap<(PatId, NameId), PatId>,
    close_memo: HashMap<PatId, PatId>,
    end_memo: HashMap<PatId, PatId>,
    /// Value patterns of the attributes of a pattern that can take a name.
    candidates_memo: HashMap<(PatId, NameId), std::rc::Rc<[PatId]>>,
    /// Sets of value patterns that matched an attribute's value, interned.
    matched_sets: HashMap<Vec<PatId>, u32>,
    single_sets: HashMap<PatId, u32>,
    empty_set: Option<u32>,
    /// Reused for the patterns a value matched.
    matched_scratch: Vec<PatId>,
    /// Short values already checked against a data or value pattern, and the verdict.
    leaf_memo: HashMap<PatId, HashMap<Box<str>, bool>>,
    leaf_memo_size: usize,
    matched_list: Vec<Vec<PatId>>,
    /// Text derivatives by pattern and the set of leaf patterns the text matched.
    text_memo: HashMap<(PatId, u32), PatId>,
    text_candidates_memo: HashMap<PatId, std::rc::Rc<[PatId]>>,
    /// Attribute derivatives by pattern, name, and the set of value patterns the value matched:
    /// values themselves never enter the key, so the table stays small.
    attribute_memo: HashMap<(PatId, NameId, u32), PatId>,
}

impl Deriver {
    /// An engine over `store`.
    pub fn new(store: Store) -> Self {
        Deriver {
            candidates_memo: HashMap::default(),
            text_memo: HashMap::default(),
            text_candidates_memo: HashMap::default(),
            matched_sets: HashMap::default(),
            single_sets: HashMap::default(),
            empty_set: None,
            matched_scratch: Vec::new(),
            leaf_memo: HashMap::default(),
            leaf_memo_size: 0,
            matched_list: Vec::new(),
            store,
            names: Vec::new(),
            recent_namespaces: [0, 0],
            name_list: Vec::new(),
            contains_memo: HashMap::default(),
            open_memo: HashMap::default(),
            close_memo: HashMap::default(),
            end_memo: HashMap::default(),
            attribute_memo: HashMap::default(),
        }
    }

    /// The id of the name (`ns`, `local`).
    pub fn name(&mut self, ns: &str, local: &str) -> NameId {
        let is = |k: usize| self.names.get(k).is_some_and(|(known, _)| known == ns);
        let [last, before] = self.recent_namespaces;
        let namespace = if is(last) {
            last
        } else if is(before) {
            self.recent_namespaces = [before, last];
            before
        } else {
            let k = match self.names.iter().position(|(known, _)| known == ns) {
                Some(k) => k,
                None => {
                    self.names.push((ns.to_string(), HashMap::default()));
                    self.names.len() - 1
                }
            };
            self.recent_namespaces = [k, last];
            k
        };
        let table = &mut self.names[namespace].1;
        if let Some(id) = table.get(local) {
            return *id;
        }
        let id = self.name_list.len() as NameId;
        table.insert(local.to_string(), id);
        self.name_list.push((ns.to_string(), local.to_string()));
        id
    }

    /// The namespace and local name of an interned name.
    pub fn name_parts(&self, id: NameId) -> (&str, &str) {
        let (ns, local) = &self.name_list[id as usize];
        (ns, local)
    }

    /// The local name of an interned name.
    pub fn local_name(&self, id: NameId) -> &str {
        self.name_parts(id).1
    }

    /// Whether name class `nc` contains name `name`.
    pub fn contains(&mut self, nc: NcId, name: NameId) -> bool {
        if let Some(c) = self.contains_memo.get(&(nc, name)) {
            return *c;
        }
        let (ns, local) = &self.name_list[name as usize];
        let c = contains(&self.store.name_classes[nc as usize], ns, local);
        self.contains_memo.insert((nc, name), c);
        c
    }

    /// Whether `p` matches the empty sequence.
    pub fn nullable(&mut self, p: PatId) -> bool {
        self.store.nullable(p)
    }

    /// The derivative for a start tag `<name`.
    pub fn start_tag_open(&mut self, p: PatId, name: NameId) -> PatId {
        if let Some(d) = self.open_memo.get(&(p, name)) {
            return *d;
        }
        let d = match self.store.get(p) {
            Pat::Choice(a, b) => {
                let (x, y) = (self.start_tag_open(a, name), self.start_tag_open(b, name));
                self.store.choice(x, y)
            }
            Pat::Element(nc, content) => {
                if self.contains(nc, name) {
                    let c = self.store.contents[content as usize];
                    self.store.after(c, EMPTY)
                } else {
                    NOT_ALLOWED
                }
            }
            Pat::Interleave(a, b) => {
                let x = self.start_tag_open(a, name);
                let x = self.apply_after(x, AfterOp::InterleaveWith(b));
                let y = self.start_tag_open(b, name);
                let y = self.apply_after(y, AfterOp::InterleaveBefore(a));
                self.store.choice(x, y)
            }
            Pat::OneOrMore(a) => {
                let x = self.start_tag_open(a, name);
                let rest = self.store.choice(p, EMPTY);
                self.apply_after(x, AfterOp::GroupWith(rest))
            }
            Pat::Group(a, b) => {
                let x = self.start_tag_open(a, name);
                let x = self.apply_after(x, AfterOp::GroupWith(b));
                if self.nullable(a) {
                    let y = self.start_tag_open(b, name);
                    self.store.choice(x, y)
                } else {
                    x
                }
            }
            Pat::After(a, b) => {
                let x = self.start_tag_open(a, name);
                self.apply_after(x, AfterOp::AfterWith(b))
            }
            _ => NOT_ALLOWED,
        };
        self.open_memo.insert((p, name), d);
        d
    }

    /// Like [`Deriver::start_tag_open`], but as if every required item before the element could
    /// be skipped: where the element would be allowed once missing content is forgiven. Used
    /// only to recover from an error ("not allowed yet"), so not memoised.
    pub fn start_tag_open_skipping(&mut self, p: PatId, name: NameId) -> PatId {
        match self.store.get(p) {
            Pat::Choice(a, b) => {
                let (x, y) = (
                    self.start_tag_open_skipping(a, name),
                    self.start_tag_open_skipping(b, name),
                );
                self.store.choice(x, y)
            }
            Pat::Element(..) => self.start_tag_open(p, name),
            Pat::Interleave(a, b) => {
                let x = self.start_tag_open_skipping(a, name);
                let x = self.apply_after(x, AfterOp::InterleaveWith(b));
                let y = self.start_tag_open_skipping(b, name);
                let y = self.apply_after(y, AfterOp::InterleaveBefore(a));
                self.store.choice(x, y)
            }
            Pat::OneOrMore(a) => {
                let x = self.start_tag_open_skipping(a, name);
                let rest = self.store.choice(p, EMPTY);
                self.apply_after(x, AfterOp::GroupWith(rest))
            }
            Pat::Group(a, b) => {
                let x = self.start_tag_open_skipping(a, name);
                let x = self.apply_after(x, AfterOp::GroupWith(b));
                let y = self.start_tag_open_skipping(b, name);
                self.store.choice(x, y)
            }
            Pat::After(a, b) => {
                let x = self.start_tag_open_skipping(a, name);
                self.apply_after(x, AfterOp::AfterWith(b))
            }
            _ => NOT_ALLOWED,
        }
    }

    fn apply_after(&mut self, p: PatId, op: AfterOp) -> PatId {
        match self.store.get(p) {
            Pat::After(a, b) => {
                let b = match op {
                    AfterOp::GroupWith(q) => self.store.group(b, q),
                    AfterOp::InterleaveWith(q) => self.store.interleave(b, q),
                    AfterOp::InterleaveBefore(q) => self.store.interleave(q, b),
                    AfterOp::AfterWith(q) => self.store.after(b, q),
                };
                self.store.after(a, b)
            }
            Pat::Choice(a, b) => {
                let (x, y) = (self.apply_after(a, op), self.apply_after(b, op));
                self.store.choice(x, y)
            }
            _ => NOT_ALLOWED,
        }
    }

    /// The derivative for an attribute `name="value"`.
    ///
    /// The value is checked once against each value pattern that an attribute of that name has
    /// in `p`; the derivative then depends only on which of them matched, and is memoised so.
    pub fn attribute(&mut self, p: PatId, name: NameId, value: &str, resolve: Resolver) -> PatId {
        let candidates = self.candidates(p, name);
        let mut matched = std::mem::take(&mut self.matched_scratch);
        matched.clear();
        for &v in candidates.iter() {
            if self.value_matches(v, value, resolve) {
                matched.push(v);
            }
        }
        let set = self.intern_set(&matched);
        self.matched_scratch = matched;
        self.attribute_with(p, name, set)
    }

    /// The derivative for an attribute `name` as if its value were valid (to recover after
    /// reporting an invalid value, so the attribute does not also count as missing).
    pub fn attribute_any_value(&mut self, p: PatId, name: NameId) -> PatId {
        let all = self.candidates(p, name);
        let set = self.intern_set(&all);
        self.attribute_with(p, name, set)
    }

    /// Value patterns of attributes in `p` (outside elements) whose name class has `name`.
    pub fn candidates(&mut self, p: PatId, name: NameId) -> std::rc::Rc<[PatId]> {
        if let Some(c) = self.candidates_memo.get(&(p, name)) {
            return c.clone();
        }
        let mut found: Vec<PatId> = Vec::new();
        for (nc, v) in self.store.attributes_at(p) {
            if self.contains(nc, name) && !found.contains(&v) {
                found.push(v);
            }
        }
        found.sort_unstable();
        let found: std::rc::Rc<[PatId]> = found.into();
        self.candidates_memo.insert((p, name), found.clone());
        found
    }

    fn attribute_with(&mut self, p: PatId, name: NameId, set: u32) -> PatId {
        if let Some(d) = self.attribute_memo.get(&(p, name, set)) {
            return *d;
        }
        let d = match self.store.get(p) {
            Pat::After(a, b) => {
                let x = self.attribute_with(a, name, set);
                self.store.after(x, b)
            }
            Pat::Choice(a, b) => {
                let (x, y) = (
                    self.attribute_with(a, name, set),
                    self.attribute_with(b, name, set),
                );
                self.store.choice(x, y)
            }
            Pat::Group(a, b) => {
                let x = self.attribute_with(a, name, set);
                let x = self.store.group(x, b);
                let y = self.attribute_with(b, name, set);
                let y = self.store.group(a, y);
                self.store.choice(x, y)
            }
            Pat::Interleave(a, b) => {
                let x = self.attribute_with(a, name, set);
                let x = self.store.interleave(x, b);
                let y = self.attribute_with(b, name, set);
                let y = self.store.interleave(a, y);
                self.store.choice(x, y)
            }
            Pat::OneOrMore(a) => {
                let x = self.attribute_with(a, name, set);
                let rest = self.store.choice(p, EMPTY);
                self.store.group(x, rest)
            }
            Pat::Attribute(nc, v) => {
                if self.contains(nc, name)
                    && self.matched_list[set as usize].binary_search(&v).is_ok()
                {
                    EMPTY
                } else {
                    NOT_ALLOWED
                }
            }
            _ => NOT_ALLOWED,
        };
        self.attribute_memo.insert((p, name, set), d);
        d
    }

    /// Whether an attribute value (or an element's only text) matches `p`.
    pub fn value_matches(&mut self, p: PatId, value: &str, resolve: Resolver) -> bool {
        if self.nullable(p) && is_whitespace(value) {
            return true;
        }
        let d = self.text(p, value, resolve);
        self.nullable(d)
    }

    /// The derivative for a tag's `>`: attributes not given are no longer possible.
    pub fn start_tag_close(&mut self, p: PatId) -> PatId {
        if let Some(d) = self.close_memo.get(&p) {
            return *d;
        }
        let d = self.close(p, false);
        self.close_memo.insert(p, d);
        d
    }

    /// Like [`Deriver::start_tag_close`], but forgiving missing attributes (for recovery).
    pub fn start_tag_close_forgiving(&mut self, p: PatId) -> PatId {
        self.close(p, true)
    }

    fn close(&mut self, p: PatId, forgive: bool) -> PatId {
        match self.store.get(p) {
            Pat::After(a, b) => {
                let x = self.close(a, forgive);
                self.store.after(x, b)
            }
            Pat::Choice(a, b) => {
                let (x, y) = (self.close(a, forgive), self.close(b, forgive));
                self.store.choice(x, y)
            }
            Pat::Group(a, b) => {
                let (x, y) = (self.close(a, forgive), self.close(b, forgive));
                self.store.group(x, y)
            }
            Pat::Interleave(a, b) => {
                let (x, y) = (self.close(a, forgive), self.close(b, forgive));
                self.store.interleave(x, y)
            }
            Pat::OneOrMore(a) => {
                let x = self.close(a, forgive);
                self.store.one_or_more(x)
            }
            Pat::Attribute(..) if forgive => EMPTY,
            Pat::Attribute(..) => NOT_ALLOWED,
            _ => p,
        }
    }

    /// The derivative for text.
    ///
    /// Like attributes: the text is checked once against each datatype, value and list pattern
    /// it could match in `p`, and the derivative, memoised, depends only on which matched. Mixed
    /// content (`text` alone) then costs one table look-up per text node.
    pub fn text(&mut self, p: PatId, text: &str, resolve: Resolver) -> PatId {
        let candidates = self.text_candidates(p);
        if candidates.is_empty() {
            let set = self.intern_set(&[]);
            return self.text_with(p, set);
        }
        let mut matched = std::mem::take(&mut self.matched_scratch);
        matched.clear();
        for &leaf in candidates.iter() {
            if self.leaf_matches(leaf, text, resolve) {
                matched.push(leaf);
            }
        }
        let set = self.intern_set(&matched);
        self.matched_scratch = matched;
        self.text_with(p, set)
    }

    /// The id of a set of matched patterns (sorted); most are empty or hold one pattern, and
    /// are found without hashing a list.
    fn intern_set(&mut self, matched: &[PatId]) -> u32 {
        let known = match matched {
            [] => self.empty_set,
            [one] => self.single_sets.get(one).copied(),
            _ => self.matched_sets.get(matched).copied(),
        };
        if let Some(set) = known {
            return set;
        }
        let set = self.matched_list.len() as u32;
        self.matched_list.push(matched.to_vec());
        match matched {
            [] => self.empty_set = Some(set),
            [one] => {
                self.single_sets.insert(*one, set);
            }
            _ => {
                self.matched_sets.insert(matched.to_vec(), set);
            }
        }
        set
    }

    /// Data, value and list patterns that text in `p` could meet.
    fn text_candidates(&mut self, p: PatId) -> std::rc::Rc<[PatId]> {
        if let Some(c) = self.text_candidates_memo.get(&p) {
            return c.clone();
        }
        let mut found: Vec<PatId> = Vec::new();
        let mut stack = vec![p];
        let mut seen = rustc_hash::FxHashSet::default();
        while let Some(q) = stack.pop() {
            if !seen.insert(q) {
                continue;
            }
            match self.store.get(q) {
                Pat::Choice(a, b) | Pat::Group(a, b) | Pat::Interleave(a, b) => {
                    stack.push(a);
                    stack.push(b);
                }
                Pat::OneOrMore(a) | Pat::After(a, _) => stack.push(a),
                Pat::Data(_) | Pat::DataExcept(..) | Pat::Value(_) | Pat::List(_) => found.push(q),
                _ => {}
            }
        }
        found.sort_unstable();
        let found: std::rc::Rc<[PatId]> = found.into();
        self.text_candidates_memo.insert(p, found.clone());
        found
    }

    /// Whether `text` matches the data, value or list pattern `leaf`. Short values are
    /// remembered by pattern: a document's attribute values repeat (`rend="italic"`,
    /// `unit="page"`), and a regular expression need not run again on each.
    fn leaf_matches(&mut self, leaf: PatId, text: &str, resolve: Resolver) -> bool {
        const SHORT: usize = 64;
        const REMEMBERED: usize = 1 << 16;
        if text.len() > SHORT || !self.text_alone_decides(leaf) {
            return self.leaf_matches_now(leaf, text, resolve);
        }
        if let Some(known) = self.leaf_memo.get(&leaf).and_then(|m| m.get(text)) {
            return *known;
        }
        let matches = self.leaf_matches_now(leaf, text, resolve);
        if self.leaf_memo_size >= REMEMBERED {
            self.leaf_memo.clear();
            self.leaf_memo_size = 0;
        }
        self.leaf_memo
            .entry(leaf)
            .or_default()
            .insert(text.into(), matches);
        self.leaf_memo_size += 1;
        matches
    }

    /// Whether a value's text alone decides whether it matches `leaf` (not the namespaces in
    /// scope, as for a QName).
    fn text_alone_decides(&self, leaf: PatId) -> bool {
        let datatype = match self.store.get(leaf) {
            Pat::Value(v) => self.store.values[v as usize].datatype,
            Pat::Data(dt) => dt,
            // An exception is a pattern of its own, which may depend on more.
            _ => return false,
        };
        !self.store.datatypes[datatype as usize].depends_on_namespaces()
    }

    fn leaf_matches_now(&mut self, leaf: PatId, text: &str, resolve: Resolver) -> bool {
        match self.store.get(leaf) {
            Pat::Value(v) => {
                let pattern = &self.store.values[v as usize];
                let datatype: &Datatype = &self.store.datatypes[pattern.datatype as usize];
                datatype.value(text, resolve).as_ref() == Some(&pattern.value)
            }
            Pat::Data(dt) => self.store.datatypes[dt as usize].allows(text, resolve),
            Pat::DataExcept(dt, except) => {
                self.store.datatypes[dt as usize].allows(text, resolve) && {
                    let d = self.text(except, text, resolve);
                    !self.nullable(d)
                }
            }
            Pat::List(a) => {
                let mut d = a;
                for word in text
                    .split([' ', '\t', '\n', '\r'])
                    .filter(|w| !w.is_empty())
                {
                    d = self.text(d, word, resolve);
                    if d == NOT_ALLOWED {
                        break;
                    }
                }
                self.nullable(d)
            }
            _ => false,
        }
    }

    fn text_with(&mut self, p: PatId, set: u32) -> PatId {
        if let Some(d) = self.text_memo.get(&(p, set)) {
            return *d;
        }
        let d = match self.store.get(p) {
            Pat::Choice(a, b) => {
                let (x, y) = (self.text_with(a, set), self.text_with(b, set));
                self.store.choice(x, y)
            }
            Pat::Interleave(a, b) => {
                let x = self.text_with(a, set);
                let x = self.store.interleave(x, b);
                let y = self.text_with(b, set);
                let y = self.store.interleave(a, y);
                self.store.choice(x, y)
            }
            Pat::Group(a, b) => {
                let x = self.text_with(a, set);
                let x = self.store.group(x, b);
                if self.nullable(a) {
                    let y = self.text_with(b, set);
                    self.store.choice(x, y)
                } else {
                    x
                }
            }
            Pat::After(a, b) => {
                let x = self.text_with(a, set);
                self.store.after(x, b)
            }
            Pat::OneOrMore(a) => {
                let x = self.text_with(a, set);
                let rest = self.store.choice(p, EMPTY);
                self.store.group(x, rest)
            }
            Pat::Text => p,
            Pat::Value(_) | Pat::Data(_) | Pat::DataExcept(..) | Pat::List(_) => {
                if self.matched_list[set as usize].binary_search(&p).is_ok() {
                    EMPTY
                } else {
                    NOT_ALLOWED
                }
            }
            _ => NOT_ALLOWED,
        };
        self.text_memo.insert((p, set), d);
        d
    }

    /// The derivative for an end tag.
    pub fn end_tag(&mut self, p: PatId) -> PatId {
        if let Some(d) = self.end_memo.get(&p) {
            return *d;
        }
        let d = match self.store.get(p) {
            Pat::Choice(a, b) => {
                let (x, y) = (self.end_tag(a), self.end_tag(b));
                self.store.choice(x, y)
            }
            Pat::After(a, b) => {
                if self.nullable(a) {
                    b
                } else {
                    NOT_ALLOWED
                }
            }
            _ => NOT_ALLOWED,
        };
        self.end_memo.insert(p, d);
        d
    }

    /// What follows the current element, whatever its content was (for recovery).
    pub fn continuation(&mut self, p: PatId) -> PatId {
        match self.store.get(p) {
            Pat::Choice(a, b) => {
                let (x, y) = (self.continuation(a), self.continuation(b));
                self.store.choice(x, y)
            }
            Pat::After(_, b) => b,
            _ => NOT_ALLOWED,
        }
    }
}

/// XML whitespace only (or nothing).
pub fn is_whitespace(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

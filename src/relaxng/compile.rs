//! From the syntax tree to interned patterns: grammars and their definitions (4.17, 4.18),
//! `include` with overrides (4.7), `externalRef` (4.6), the n-ary forms made binary (4.12–4.15),
//! datatypes compiled, and finally every reference expanded (4.19), so that validation sees
//! only patterns and element content slots.

use super::datatype::{Datatype, RegexCache};
use super::pattern::{ContentId, DefId, Pat, PatId, Store, ValuePattern, EMPTY, NOT_ALLOWED, TEXT};
use super::syntax::{resolve_prefix, Combine, GrammarItem, NameClass, Node, Pattern};
use super::SchemaError;
use crate::base::diagnostic::Location;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns";

/// A compiled schema's patterns and its start.
pub struct Compiled {
    /// The patterns.
    pub store: Store,
    /// The start pattern.
    pub start: PatId,
    /// Element content slots reachable from the start.
    pub reachable: Vec<ContentId>,
    /// Every file the schema was read from, the main one first.
    pub files: Vec<PathBuf>,
}

struct Scope {
    defs: HashMap<String, DefId>,
    parent: Option<usize>,
}

type Defines = BTreeMap<String, Vec<(Option<Combine>, Vec<Node>, Location)>>;
type Starts = Vec<(Option<Combine>, Node, Location)>;

struct Compiler {
    store: Store,
    regexes: RegexCache,
    scopes: Vec<Scope>,
    loading: Vec<PathBuf>,
    loaded: Vec<PathBuf>,
    def_locations: Vec<Location>,
    def_names: Vec<String>,
    max_bytes: u64,
    /// The definition whose body is being built (None: a start or the top).
    current_def: Option<DefId>,
    /// Elements entered since that definition's body began.
    element_depth: usize,
    /// References as written, before `notAllowed` removed any: (from, to), for reachability.
    reach_edges: Vec<(Option<DefId>, DefId)>,
    /// References not inside an element of the referring definition, for loops.
    loop_edges: Vec<(DefId, DefId)>,
}

/// Compiles the schema whose root element is `root`, read from `path`.
pub fn compile(root: Node, path: &Path, max_bytes: u64) -> Result<Compiled, SchemaError> {
    let mut compiler = Compiler {
        store: Store::new(),
        regexes: RegexCache::new(),
        scopes: Vec::new(),
        loading: vec![canonical(path)],
        loaded: vec![path.to_path_buf()],
        def_locations: Vec::new(),
        def_names: Vec::new(),
        max_bytes,
        current_def: None,
        element_depth: 0,
        reach_edges: Vec::new(),
        loop_edges: Vec::new(),
    };
    let start = compiler.pattern(root, None)?;
    compiler.expand_all(start)
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

fn error(location: &Location, message: impl Into<String>) -> SchemaError {
    SchemaError::Syntax {
        location: location.clone(),
        message: message.into(),
    }
}

impl Compiler {
    fn load(&mut self, path: &Path, ns: &str, from: &Location) -> Result<Node, SchemaError> {
        let key = canonical(path);
        if self.loading.contains(&key) {
            return Err(error(
                from,
                format!(
                    "{} includes itself (directly or through other files)",
                    path.display()
                ),
            ));
        }
        let metadata = std::fs::metadata(path)
            .map_err(|e| error(from, format!("cannot read {}: {e}", path.display())))?;
        if metadata.len() > self.max_bytes {
            return Err(error(
                from,
                format!(
                    "{} is larger than the {} byte limit for schema files",
                    path.display(),
                    self.max_bytes
                ),
            ));
        }
        let bytes = std::fs::read(path)
            .map_err(|e| error(from, format!("cannot read {}: {e}", path.display())))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| error(from, format!("{} is not UTF-8", path.display())))?;
        self.loading.push(key);
        if !self.loaded.iter().any(|p| p == path) {
            self.loaded.push(path.to_path_buf());
        }
        super::parse_schema_text(path, &text, ns)
    }

    fn done_loading(&mut self) {
        self.loading.pop();
    }

    fn group_all(&mut self, nodes: Vec<Node>, scope: Option<usize>) -> Result<PatId, SchemaError> {
        let mut result = EMPTY;
        let mut first = true;
        for node in nodes {
            let p = self.pattern(node, scope)?;
            result = if first {
                p
            } else {
                self.store.group(result, p)
            };
            first = false;
        }
        Ok(result)
    }

    fn fold(
        &mut self,
        nodes: Vec<Node>,
        scope: Option<usize>,
        op: fn(&mut Store, PatId, PatId) -> PatId,
    ) -> Result<PatId, SchemaError> {
        let mut result: Option<PatId> = None;
        for node in nodes {
            let p = self.pattern(node, scope)?;
            result = Some(match result {
                Some(r) => op(&mut self.store, r, p),
                None => p,
            });
        }
        Ok(result.unwrap_or(EMPTY))
    }

    fn pattern(&mut self, node: Node, scope: Option<usize>) -> Result<PatId, SchemaError> {
        let Node { pattern, location } = node;
        let loc = &location;
        Ok(match pattern {
            Pattern::Element(nc, children) => {
                let nc = self.store.name_class(nc);
                self.element_depth += 1;
                let content = self.group_all(children, scope);
                self.element_depth -= 1;
                let content = content?;
                let slot = self.store.new_content(content, loc.clone());
                self.store.intern(Pat::Element(nc, slot))
            }
            Pattern::Attribute(nc, child) => {
                if names_xmlns(&nc) {
                    return Err(error(
                        loc,
                        "an attribute may not be named `xmlns` or be in the xmlns namespace",
                    ));
                }
                let nc = self.store.name_class(nc);
                let value = match child {
                    Some(c) => self.pattern(*c, scope)?,
                    None => TEXT,
                };
                self.store.attribute(nc, value)
            }
            Pattern::Group(children) => self.fold(children, scope, Store::group)?,
            Pattern::Interleave(children) => self.fold(children, scope, Store::interleave)?,
            Pattern::Choice(children) => self.fold(children, scope, Store::choice)?,
            Pattern::Optional(children) => {
                let p = self.group_all(children, scope)?;
                self.store.choice(p, EMPTY)
            }
            Pattern::ZeroOrMore(children) => {
                let p = self.group_all(children, scope)?;
                let more = self.store.one_or_more(p);
                self.store.choice(more, EMPTY)
            }
            Pattern::OneOrMore(children) => {
                let p = self.group_all(children, scope)?;
                self.store.one_or_more(p)
            }
            Pattern::List(children) => {
                let p = self.group_all(children, scope)?;
                self.store.list(p)
            }
            Pattern::Mixed(children) => {
                let p = self.group_all(children, scope)?;
                self.store.interleave(p, TEXT)
            }
            Pattern::Ref(name) => {
                let Some(s) = scope else {
                    return Err(error(loc, format!("`ref` to `{name}` outside a grammar")));
                };
                self.reference(s, &name, loc)?
            }
            Pattern::ParentRef(name) => {
                let parent = scope.and_then(|s| self.scopes[s].parent);
                let Some(p) = parent else {
                    return Err(error(
                        loc,
                        format!("`parentRef` to `{name}` without a parent grammar"),
                    ));
                };
                self.reference(p, &name, loc)?
            }
            Pattern::Empty => EMPTY,
            Pattern::Text => TEXT,
            Pattern::NotAllowed => NOT_ALLOWED,
            Pattern::Value(dt, text, namespaces) => {
                let datatype = Datatype::compile(&dt.library, &dt.name, &[], &mut self.regexes)
                    .map_err(|m| error(loc, m))?;
                let resolve = |prefix: &str| resolve_prefix(&namespaces, prefix);
                let value = datatype.value(&text, &resolve).ok_or_else(|| {
                    error(
                        loc,
                        format!(
                            "`{text}` is not a valid value of type `{}`",
                            datatype.name()
                        ),
                    )
                })?;
                self.store.datatypes.push(datatype);
                let dt_id = (self.store.datatypes.len() - 1) as u32;
                self.store.values.push(ValuePattern {
                    datatype: dt_id,
                    text: text.clone(),
                    value,
                    namespaces: namespaces.clone(),
                });
                let id = (self.store.values.len() - 1) as u32;
                self.store.intern(Pat::Value(id))
            }
            Pattern::Data(dt, params, except) => {
                let datatype = Datatype::compile(&dt.library, &dt.name, &params, &mut self.regexes)
                    .map_err(|m| error(loc, m))?;
                let except = match except {
                    Some(nodes) => Some(self.fold(nodes, scope, Store::choice)?),
                    None => None,
                };
                self.store.datatypes.push(datatype);
                let dt_id = (self.store.datatypes.len() - 1) as u32;
                self.store.data(dt_id, except)
            }
            Pattern::ExternalRef(path, ns) => {
                let root = self.load(&path, &ns, loc)?;
                let result = self.pattern(root, scope);
                self.done_loading();
                result?
            }
            Pattern::Grammar(items) => self.grammar(items, scope, loc)?,
        })
    }

    fn reference(
        &mut self,
        scope: usize,
        name: &str,
        loc: &Location,
    ) -> Result<PatId, SchemaError> {
        match self.scopes[scope].defs.get(name).copied() {
            Some(def) => {
                self.reach_edges.push((self.current_def, def));
                if let (Some(from), 0) = (self.current_def, self.element_depth) {
                    self.loop_edges.push((from, def));
                }
                Ok(self.store.intern(Pat::Ref(def)))
            }
            None => Err(error(
                loc,
                format!("no definition named `{name}` in this grammar"),
            )),
        }
    }

    /// Flattens `div`s and resolves `include`s into start and define components.
    fn collect(
        &mut self,
        items: Vec<GrammarItem>,
        starts: &mut Starts,
        defines: &mut Defines,
    ) -> Result<(), SchemaError> {
        for item in items {
            match item {
                GrammarItem::Start(combine, node, loc) => starts.push((combine, node, loc)),
                GrammarItem::Define(name, combine, nodes, loc) => {
                    defines.entry(name).or_default().push((combine, nodes, loc))
                }
                GrammarItem::Div(inner) => self.collect(inner, starts, defines)?,
                GrammarItem::Include(path, ns, overrides, loc) => {
                    let root = self.load(&path, &ns, &loc)?;
                    let Pattern::Grammar(included) = root.pattern else {
                        self.done_loading();
                        return Err(error(
                            &loc,
                            format!(
                                "{} is not a grammar, so it cannot be included",
                                path.display()
                            ),
                        ));
                    };
                    let (mut inc_starts, mut inc_defines) = (Starts::new(), Defines::new());
                    let collected = self.collect(included, &mut inc_starts, &mut inc_defines);
                    self.done_loading();
                    collected?;
                    let (mut own_starts, mut own_defines) = (Starts::new(), Defines::new());
                    self.collect(overrides, &mut own_starts, &mut own_defines)?;
                    if !own_starts.is_empty() {
                        if inc_starts.is_empty() {
                            return Err(error(
                                &loc,
                                format!(
                                    "`include` overrides `start`, but {} has none",
                                    path.display()
                                ),
                            ));
                        }
                        inc_starts.clear();
                    }
                    for name in own_defines.keys() {
                        if inc_defines.remove(name).is_none() {
                            return Err(error(
                                &loc,
                                format!(
                                    "`include` overrides `{name}`, but {} does not define it",
                                    path.display()
                                ),
                            ));
                        }
                    }
                    starts.extend(inc_starts);
                    starts.extend(own_starts);
                    for (name, parts) in inc_defines.into_iter().chain(own_defines) {
                        defines.entry(name).or_default().extend(parts);
                    }
                }
            }
        }
        Ok(())
    }

    fn grammar(
        &mut self,
        items: Vec<GrammarItem>,
        parent: Option<usize>,
        loc: &Location,
    ) -> Result<PatId, SchemaError> {
        let (mut starts, mut defines) = (Starts::new(), Defines::new());
        self.collect(items, &mut starts, &mut defines)?;
        let scope = self.scopes.len();
        let mut defs = HashMap::new();
        for (name, parts) in &defines {
            let id = self.store.defs.len() as DefId;
            self.store.defs.push(None);
            self.def_locations.push(parts[0].2.clone());
            self.def_names.push(name.clone());
            defs.insert(name.clone(), id);
        }
        self.scopes.push(Scope { defs, parent });
        for (name, parts) in defines {
            let combine = combine_of(
                parts.iter().map(|(c, _, l)| (*c, l)),
                &format!("definition `{name}`"),
            )?;
            let mut result: Option<PatId> = None;
            let id = self.scopes[scope].defs[&name];
            let saved = (self.current_def, self.element_depth);
            (self.current_def, self.element_depth) = (Some(id), 0);
            for (_, nodes, _) in parts {
                let p = self.group_all(nodes, Some(scope));
                let p = match p {
                    Ok(p) => p,
                    Err(e) => {
                        (self.current_def, self.element_depth) = saved;
                        return Err(e);
                    }
                };
                result = Some(match result {
                    None => p,
                    Some(r) if combine == Some(Combine::Interleave) => self.store.interleave(r, p),
                    Some(r) => self.store.choice(r, p),
                });
            }
            (self.current_def, self.element_depth) = saved;
            self.store.defs[id as usize] = result;
        }
        if starts.is_empty() {
            return Err(error(loc, "this grammar has no `start`"));
        }
        let combine = combine_of(starts.iter().map(|(c, _, l)| (*c, l)), "`start`")?;
        let mut result: Option<PatId> = None;
        for (_, node, _) in starts {
            let p = self.pattern(node, Some(scope))?;
            result = Some(match result {
                None => p,
                Some(r) if combine == Some(Combine::Interleave) => self.store.interleave(r, p),
                Some(r) => self.store.choice(r, p),
            });
        }
        Ok(result.unwrap_or(NOT_ALLOWED))
    }

    /// Rejects a definition that refers to itself without an element in between (4.19). Only
    /// definitions reachable from the start count, reachability judged on the references as
    /// written (before `notAllowed` is simplified away), as the spec orders the steps.
    fn check_reference_loops(&self) -> Result<(), SchemaError> {
        let n = self.store.defs.len();
        let mut reachable = vec![false; n];
        let mut stack: Vec<DefId> = self
            .reach_edges
            .iter()
            .filter(|(from, _)| from.is_none())
            .map(|(_, to)| *to)
            .collect();
        let mut out: Vec<Vec<DefId>> = vec![Vec::new(); n];
        for (from, to) in &self.reach_edges {
            if let Some(f) = from {
                out[*f as usize].push(*to);
            }
        }
        while let Some(d) = stack.pop() {
            if !std::mem::replace(&mut reachable[d as usize], true) {
                stack.extend(out[d as usize].iter().copied());
            }
        }
        let mut direct: Vec<Vec<DefId>> = vec![Vec::new(); n];
        for (from, to) in &self.loop_edges {
            if reachable[*from as usize] {
                direct[*from as usize].push(*to);
            }
        }
        // 0 unvisited, 1 on the current path, 2 done.
        let mut state = vec![0u8; n];
        for root in 0..n {
            if state[root] != 0 || !reachable[root] {
                continue;
            }
            let mut path: Vec<(usize, usize)> = vec![(root, 0)];
            state[root] = 1;
            while let Some((node, next)) = path.last_mut() {
                if let Some(&target) = direct[*node].get(*next) {
                    *next += 1;
                    let target = target as usize;
                    match state[target] {
                        0 => {
                            state[target] = 1;
                            path.push((target, 0));
                        }
                        1 => {
                            return Err(error(
                                &self.def_locations[target],
                                format!(
                                "definition `{}` refers to itself without an element in between",
                                self.def_names[target]
                            ),
                            ))
                        }
                        _ => {}
                    }
                } else {
                    state[*node] = 2;
                    path.pop();
                }
            }
        }
        Ok(())
    }

    /// Replaces every reference reachable from `start` by what it stands for (4.19).
    fn expand_all(mut self, start: PatId) -> Result<Compiled, SchemaError> {
        self.check_reference_loops()?;
        let mut expander = Expander {
            memo: HashMap::new(),
            state: vec![DefState::Todo; self.store.defs.len()],
            found_contents: Vec::new(),
            seen_contents: vec![false; self.store.contents.len()],
        };
        let start =
            expander.expand(&mut self.store, start, &self.def_locations, &self.def_names)?;
        let mut reachable = Vec::new();
        while let Some(content) = expander.found_contents.pop() {
            reachable.push(content);
            let p = self.store.contents[content as usize];
            let expanded =
                expander.expand(&mut self.store, p, &self.def_locations, &self.def_names)?;
            self.store.contents[content as usize] = expanded;
        }
        reachable.sort_unstable();
        Ok(Compiled {
            store: self.store,
            start,
            reachable,
            files: self.loaded,
        })
    }
}

#[derive(Clone, Copy, PartialEq)]
enum DefState {
    Todo,
    InProgress,
    Done(PatId),
}

struct Expander {
    memo: HashMap<PatId, PatId>,
    state: Vec<DefState>,
    found_contents: Vec<ContentId>,
    seen_contents: Vec<bool>,
}

impl Expander {
    fn expand(
        &mut self,
        store: &mut Store,
        p: PatId,
        locations: &[Location],
        names: &[String],
    ) -> Result<PatId, SchemaError> {
        if let Some(done) = self.memo.get(&p) {
            return Ok(*done);
        }
        let result = match store.get(p) {
            Pat::Ref(d) => match self.state[d as usize] {
                DefState::Done(x) => x,
                DefState::InProgress => {
                    return Err(error(
                        &locations[d as usize],
                        format!(
                            "definition `{}` refers to itself without an element in between",
                            names[d as usize]
                        ),
                    ))
                }
                DefState::Todo => {
                    self.state[d as usize] = DefState::InProgress;
                    let target = store.defs[d as usize].unwrap_or(NOT_ALLOWED);
                    let x = self.expand(store, target, locations, names)?;
                    self.state[d as usize] = DefState::Done(x);
                    x
                }
            },
            Pat::Choice(a, b) => {
                let (a, b) = (
                    self.expand(store, a, locations, names)?,
                    self.expand(store, b, locations, names)?,
                );
                store.choice(a, b)
            }
            Pat::Group(a, b) => {
                let (a, b) = (
                    self.expand(store, a, locations, names)?,
                    self.expand(store, b, locations, names)?,
                );
                store.group(a, b)
            }
            Pat::Interleave(a, b) => {
                let (a, b) = (
                    self.expand(store, a, locations, names)?,
                    self.expand(store, b, locations, names)?,
                );
                store.interleave(a, b)
            }
            Pat::OneOrMore(a) => {
                let a = self.expand(store, a, locations, names)?;
                store.one_or_more(a)
            }
            Pat::List(a) => {
                let a = self.expand(store, a, locations, names)?;
                store.list(a)
            }
            Pat::Attribute(nc, a) => {
                let a = self.expand(store, a, locations, names)?;
                store.attribute(nc, a)
            }
            Pat::DataExcept(dt, a) => {
                let a = self.expand(store, a, locations, names)?;
                store.data(dt, Some(a))
            }
            Pat::Element(_, content) => {
                if !self.seen_contents[content as usize] {
                    self.seen_contents[content as usize] = true;
                    self.found_contents.push(content);
                }
                p
            }
            _ => p,
        };
        self.memo.insert(p, result);
        Ok(result)
    }
}

fn combine_of<'a>(
    parts: impl Iterator<Item = (Option<Combine>, &'a Location)>,
    what: &str,
) -> Result<Option<Combine>, SchemaError> {
    let mut without: Option<&Location> = None;
    let mut combine: Option<Combine> = None;
    for (c, loc) in parts {
        match c {
            None => {
                if without.is_some() {
                    return Err(error(
                        loc,
                        format!("{what} is given twice without `combine`"),
                    ));
                }
                without = Some(loc);
            }
            Some(c) => {
                if combine.is_some_and(|prev| prev != c) {
                    return Err(error(
                        loc,
                        format!("{what} is combined both by `choice` and by `interleave`"),
                    ));
                }
                combine = Some(c);
            }
        }
    }
    Ok(combine)
}

/// Whether an attribute's name class mentions `xmlns` anywhere, exceptions included (4.16).
fn names_xmlns(nc: &NameClass) -> bool {
    match nc {
        NameClass::Name(ns, local) => (ns.is_empty() && local == "xmlns") || ns == XMLNS_NS,
        NameClass::NsName(ns, except) => {
            ns == XMLNS_NS || except.as_deref().is_some_and(names_xmlns)
        }
        NameClass::AnyName(except) => except.as_deref().is_some_and(names_xmlns),
        NameClass::Choice(a, b) => names_xmlns(a) || names_xmlns(b),
    }
}

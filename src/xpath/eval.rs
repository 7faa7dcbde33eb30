//! Evaluating expressions over a document: paths on roxmltree's axes, predicates, operators.
//!
//! Sequences are vectors of items; a variable's value is shared ([`Value::Shared`]), not
//! copied, since a Schematron `let` such as `//*/@xml:id` may be read at every node. Reverse
//! axes are walked lazily in reverse document order, so `preceding::text()[1]` stops at the
//! first text node it meets instead of collecting the whole axis.

use super::ast::*;
use super::functions::Function;
use super::value::{
    compare_values, is_nan_pair, Atomic, AtomicType, Item, Moment, NodeKind, Sequence, XNode,
};
use super::{UserFunction, XPathError};
use rustc_hash::FxHashMap;
use std::cell::OnceCell;
use std::cmp::Ordering;
use std::ops::{ControlFlow, Deref};
use std::rc::Rc;

/// A sequence computed or shared with a variable.
#[derive(Debug, Clone)]
pub enum Value<'a, 'i> {
    /// Computed here.
    Owned(Sequence<'a, 'i>),
    /// A variable's value.
    Shared(Rc<Sequence<'a, 'i>>),
}

impl<'a, 'i> Deref for Value<'a, 'i> {
    type Target = [Item<'a, 'i>];
    fn deref(&self) -> &Self::Target {
        match self {
            Value::Owned(v) => v,
            Value::Shared(v) => v,
        }
    }
}

impl<'a, 'i> Value<'a, 'i> {
    /// The items, copied only if shared.
    pub fn into_vec(self) -> Sequence<'a, 'i> {
        match self {
            Value::Owned(v) => v,
            Value::Shared(v) => Rc::try_unwrap(v).unwrap_or_else(|v| (*v).clone()),
        }
    }

    /// The items, shareable (as a variable's value is).
    pub fn into_rc(self) -> Rc<Sequence<'a, 'i>> {
        match self {
            Value::Owned(v) => Rc::new(v),
            Value::Shared(v) => v,
        }
    }

    fn one(item: Item<'a, 'i>) -> Self {
        Value::Owned(vec![item])
    }

    pub(crate) fn atomic(a: Atomic) -> Self {
        Value::Owned(vec![Item::Atomic(a)])
    }

    pub(crate) fn boolean(b: bool) -> Self {
        Value::atomic(Atomic::Boolean(b))
    }

    /// A string.
    pub(crate) fn string(s: String) -> Self {
        Value::atomic(Atomic::String(s.into()))
    }

    pub(crate) fn empty() -> Self {
        Value::Owned(Vec::new())
    }
}

/// The focus: the context item, its position and the size of its sequence.
#[derive(Debug, Clone)]
pub struct Focus<'a, 'i> {
    /// The context item (none inside a function's body).
    pub item: Option<Item<'a, 'i>>,
    /// Its position, from 1: `position()`.
    pub position: usize,
    /// The size of its sequence: `last()`.
    pub size: usize,
}

impl<'a, 'i> Focus<'a, 'i> {
    /// A node alone.
    pub fn node(node: XNode<'a, 'i>) -> Self {
        Focus {
            item: Some(Item::Node(node)),
            position: 1,
            size: 1,
        }
    }
}

/// Variables in scope and XSLT's `current()`.
#[derive(Debug, Default)]
pub struct Env<'a, 'i> {
    vars: Vec<(Rc<str>, Rc<Sequence<'a, 'i>>)>,
    /// The node a Schematron rule fired on: `current()`.
    pub current: Option<XNode<'a, 'i>>,
}

impl<'a, 'i> Env<'a, 'i> {
    /// Binds `name` (shadowing an outer binding) until [`Env::unbind`].
    pub fn bind(&mut self, name: Rc<str>, value: Rc<Sequence<'a, 'i>>) {
        self.vars.push((name, value));
    }

    /// Undoes the last `count` bindings.
    pub fn unbind(&mut self, count: usize) {
        let keep = self.vars.len().saturating_sub(count);
        self.vars.truncate(keep);
    }

    fn get(&self, name: &str) -> Option<&Rc<Sequence<'a, 'i>>> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| **n == *name)
            .map(|(_, v)| v)
    }
}

/// Evaluates expressions over one document.
pub struct Evaluator<'a, 'i> {
    pub(crate) doc: &'a roxmltree::Document<'i>,
    ids: OnceCell<FxHashMap<&'a str, roxmltree::Node<'a, 'i>>>,
    pub(crate) today: Moment,
    pub(crate) now: Moment,
    pub(crate) functions: &'a [UserFunction],
    /// Where the document was read from, for `base-uri()`.
    pub(crate) base: Option<std::path::PathBuf>,
    /// Where the expressions were read from (the schema), for `doc()`'s relative URIs.
    pub(crate) static_base: Option<std::path::PathBuf>,
    pub(crate) regexes: std::cell::RefCell<FxHashMap<(String, String), Rc<regex::Regex>>>,
    /// The strings of large variable values, indexed, for `=` and `index-of` against them
    /// (`@ref = $ids`, `index-of($ids, .)`): by the value's address, the value kept so that the
    /// address stays its own.
    string_indexes: std::cell::RefCell<FxHashMap<usize, SharedStrings<'a, 'i>>>,
    /// User functions being evaluated, one inside another.
    pub(crate) calls: std::cell::Cell<usize>,
}

/// Where each string stands in a sequence (1-based positions).
pub(crate) type StringIndex = FxHashMap<Box<str>, Vec<u32>>;

/// A variable's value and, if it is all strings (nodes' values included), their index.
type SharedStrings<'a, 'i> = (Rc<Sequence<'a, 'i>>, Option<Rc<StringIndex>>);

impl<'a, 'i> Evaluator<'a, 'i> {
    /// An evaluator over `doc`; `functions` are the user functions the expressions call.
    pub fn new(
        doc: &'a roxmltree::Document<'i>,
        functions: &'a [UserFunction],
        base: Option<std::path::PathBuf>,
    ) -> Self {
        let (today, now) = super::functions::clock();
        Evaluator {
            doc,
            ids: OnceCell::new(),
            today,
            now,
            functions,
            base,
            static_base: None,
            regexes: Default::default(),
            string_indexes: Default::default(),
            calls: Default::default(),
        }
    }

    /// The same evaluator, reading `doc()`'s relative URIs from beside `file` (the schema).
    pub fn with_static_base(mut self, file: &std::path::Path) -> Self {
        self.static_base = Some(file.to_path_buf());
        self
    }

    /// The element whose `xml:id` is `id`.
    pub(crate) fn element_by_id(&self, id: &str) -> Option<roxmltree::Node<'a, 'i>> {
        let ids = self.ids.get_or_init(|| {
            let mut ids = FxHashMap::default();
            for node in self.doc.descendants() {
                if let Some(id) = node.attribute((crate::base::ns::XML, "id")) {
                    ids.entry(id.trim()).or_insert(node);
                }
            }
            ids
        });
        ids.get(id).copied()
    }

    /// The value of `expr`.
    pub(crate) fn eval(
        &self,
        expr: &Expr,
        focus: &Focus<'a, 'i>,
        env: &mut Env<'a, 'i>,
    ) -> Result<Value<'a, 'i>, XPathError> {
        Ok(match expr {
            Expr::Literal(a) => Value::atomic(a.clone()),
            Expr::Var(name) => Value::Shared(env.get(name).cloned().ok_or_else(|| {
                XPathError::dynamic(format!("the variable `${name}` has no value"))
            })?),
            Expr::ContextItem => Value::one(context_item(focus)?.clone()),
            Expr::Sequence(items) => {
                if items.len() == 1 {
                    return self.eval(&items[0], focus, env);
                }
                let mut out = Vec::new();
                for e in items {
                    out.extend(self.eval(e, focus, env)?.iter().cloned());
                }
                Value::Owned(out)
            }
            Expr::Path(path) => self.path(path, focus, env)?,
            Expr::Filter(primary, predicates) => {
                let base = self.eval(primary, focus, env)?.into_vec();
                Value::Owned(self.filter(base, predicates, env)?)
            }
            Expr::Call(f, args) => self.call(*f, args, focus, env)?,
            // XPath lets either operand decide: an error in one is no error if the other
            // settles the value (`error or true()` is true), as Saxon evaluates it.
            Expr::Or(a, b) => Value::boolean(match self.ebv_of(a, focus, env) {
                Ok(true) => true,
                Ok(false) => self.ebv_of(b, focus, env)?,
                Err(e) => match self.ebv_of(b, focus, env) {
                    Ok(true) => true,
                    _ => return Err(e),
                },
            }),
            Expr::And(a, b) => Value::boolean(match self.ebv_of(a, focus, env) {
                Ok(false) => false,
                Ok(true) => self.ebv_of(b, focus, env)?,
                Err(e) => match self.ebv_of(b, focus, env) {
                    Ok(false) => false,
                    _ => return Err(e),
                },
            }),
            Expr::General(op, a, b) => {
                let left = self.eval(a, focus, env)?;
                let right = self.eval(b, focus, env)?;
                if *op == Comparison::Eq {
                    if let Some(equal) = self.equal_through_set(&left, &right) {
                        return Ok(Value::boolean(equal));
                    }
                }
                Value::boolean(general_compare(*op, &left, &right)?)
            }
            Expr::Value(op, a, b) => {
                let left = self.atomized_optional(a, focus, env)?;
                let right = self.atomized_optional(b, focus, env)?;
                match (left, right) {
                    (Some(l), Some(r)) => {
                        let l = untyped_to_string(l);
                        let r = untyped_to_string(r);
                        Value::boolean(value_compare(*op, &l, &r)?)
                    }
                    _ => Value::empty(),
                }
            }
            Expr::Node(op, a, b) => {
                let left = self.optional_node(a, focus, env)?;
                let right = self.optional_node(b, focus, env)?;
                match (left, right) {
                    (Some(l), Some(r)) => Value::boolean(match op {
                        NodeComparison::Is => l == r,
                        NodeComparison::Precedes => l < r,
                        NodeComparison::Follows => l > r,
                    }),
                    _ => Value::empty(),
                }
            }
            Expr::Concat(a, b) => {
                let mut text = self.string_of_optional(a, focus, env)?;
                text.push_str(&self.string_of_optional(b, focus, env)?);
                Value::atomic(Atomic::String(text.into()))
            }
            Expr::Range(a, b) => {
                let from = self.atomized_optional(a, focus, env)?;
                let to = self.atomized_optional(b, focus, env)?;
                match (from, to) {
                    (Some(f), Some(t)) => {
                        let f = integer_of(&f)?;
                        let t = integer_of(&t)?;
                        if t.saturating_sub(f) > 10_000_000 {
                            return Err(XPathError::dynamic(
                                "a range of more than ten million integers".into(),
                            ));
                        }
                        Value::Owned((f..=t).map(|n| Item::Atomic(Atomic::Integer(n))).collect())
                    }
                    _ => Value::empty(),
                }
            }
            Expr::Arithmetic(op, a, b) => {
                let left = self.atomized_optional(a, focus, env)?;
                let right = self.atomized_optional(b, focus, env)?;
                match (left, right) {
                    (Some(l), Some(r)) => Value::atomic(arithmetic(*op, l, r)?),
                    _ => Value::empty(),
                }
            }
            Expr::Negate(a) => match self.atomized_optional(a, focus, env)? {
                Some(v) => Value::atomic(match untyped_to_double(v) {
                    Atomic::Integer(n) => Atomic::Integer(-n),
                    Atomic::Decimal(x) => Atomic::Decimal(-x),
                    Atomic::Double(x) => Atomic::Double(-x),
                    other => {
                        return Err(XPathError::dynamic(format!(
                            "cannot negate a {}",
                            other.type_name()
                        )))
                    }
                }),
                None => Value::empty(),
            },
            Expr::Union(a, b) | Expr::Intersect(a, b) | Expr::Except(a, b) => {
                let left = self.nodes_of(a, focus, env)?;
                let right = self.nodes_of(b, focus, env)?;
                let mut out: Vec<XNode> = match expr {
                    Expr::Union(..) => left.into_iter().chain(right).collect(),
                    Expr::Intersect(..) => {
                        let keep: std::collections::HashSet<_> =
                            right.iter().map(XNode::key).collect();
                        left.into_iter()
                            .filter(|n| keep.contains(&n.key()))
                            .collect()
                    }
                    _ => {
                        let drop: std::collections::HashSet<_> =
                            right.iter().map(XNode::key).collect();
                        left.into_iter()
                            .filter(|n| !drop.contains(&n.key()))
                            .collect()
                    }
                };
                out.sort();
                out.dedup();
                Value::Owned(out.into_iter().map(Item::Node).collect())
            }
            Expr::InstanceOf(a, t) => {
                let v = self.eval(a, focus, env)?;
                Value::boolean(instance_of(&v, t))
            }
            Expr::Treat(a, t) => {
                let v = self.eval(a, focus, env)?;
                if !instance_of(&v, t) {
                    return Err(XPathError::dynamic(
                        "`treat as`: the value is not of the type".into(),
                    ));
                }
                v
            }
            Expr::Castable(a, t, optional) => {
                let v = self.eval(a, focus, env)?;
                Value::boolean(match v.len() {
                    0 => *optional,
                    1 => v[0].atomize().cast(*t).is_ok(),
                    _ => false,
                })
            }
            Expr::Cast(a, t, optional) => {
                let v = self.eval(a, focus, env)?;
                match v.len() {
                    0 if *optional => Value::empty(),
                    1 => Value::atomic(v[0].atomize().cast(*t)?),
                    n => {
                        return Err(XPathError::dynamic(format!(
                            "`cast as` needs one item, not {n}"
                        )))
                    }
                }
            }
            Expr::If(c, t, e) => {
                if self.ebv_of(c, focus, env)? {
                    self.eval(t, focus, env)?
                } else {
                    self.eval(e, focus, env)?
                }
            }
            Expr::For(name, over, body) => {
                let items = self.eval(over, focus, env)?;
                let mut out = Vec::new();
                for item in items.iter() {
                    env.bind(name.clone(), Rc::new(vec![item.clone()]));
                    let result = self.eval(body, focus, env);
                    env.unbind(1);
                    out.extend(result?.iter().cloned());
                }
                Value::Owned(out)
            }
            Expr::Let(name, value, body) => {
                let v = self.eval(value, focus, env)?.into_rc();
                env.bind(name.clone(), v);
                let result = self.eval(body, focus, env);
                env.unbind(1);
                result?
            }
            Expr::Quantified(every, name, over, body) => {
                let items = self.eval(over, focus, env)?;
                let mut result = *every;
                for item in items.iter() {
                    env.bind(name.clone(), Rc::new(vec![item.clone()]));
                    let holds = self.ebv_of(body, focus, env);
                    env.unbind(1);
                    if holds? != *every {
                        result = !*every;
                        break;
                    }
                }
                Value::boolean(result)
            }
            Expr::Map(a, b) => {
                let items = self.eval(a, focus, env)?;
                let size = items.len();
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let inner = Focus {
                        item: Some(item.clone()),
                        position: i + 1,
                        size,
                    };
                    out.extend(self.eval(b, &inner, env)?.iter().cloned());
                }
                Value::Owned(out)
            }
        })
    }

    /// `left = right` where one side is a large variable of strings: looked up in its set
    /// (built once per variable); `None` where the shortcut does not apply.
    fn equal_through_set(&self, left: &Value<'a, 'i>, right: &Value<'a, 'i>) -> Option<bool> {
        let (shared, other) = match (left, right) {
            (_, Value::Shared(r)) if r.len() > 16 && r.len() >= left.len() => (r, left),
            (Value::Shared(l), _) if l.len() > 16 => (l, right),
            _ => return None,
        };
        let set = self.string_index(shared)?;
        let mut found = false;
        for item in other.iter() {
            let holds = match item {
                Item::Node(n) => set.contains_key(n.string_value().as_str()),
                Item::Atomic(Atomic::String(s) | Atomic::Untyped(s)) => set.contains_key(&**s),
                // A number or a date compares by value, not as a string.
                Item::Atomic(_) => return None,
            };
            found |= holds;
        }
        Some(found)
    }

    /// The index of a large shared value's strings (built once per value), if all its items
    /// are strings or nodes; `None` for a small value or one with other atomic values.
    pub(crate) fn string_index(&self, shared: &Rc<Sequence<'a, 'i>>) -> Option<Rc<StringIndex>> {
        if shared.len() <= 16 {
            return None;
        }
        let key = Rc::as_ptr(shared) as usize;
        let mut indexes = self.string_indexes.borrow_mut();
        let (_, index) = indexes.entry(key).or_insert_with(|| {
            let mut index = StringIndex::default();
            for (i, item) in shared.iter().enumerate() {
                let text: Box<str> = match item {
                    Item::Node(n) => n.string_value().into_boxed_str(),
                    Item::Atomic(Atomic::String(s) | Atomic::Untyped(s)) => Box::from(&**s),
                    Item::Atomic(_) => return (shared.clone(), None),
                };
                index.entry(text).or_default().push(i as u32 + 1);
            }
            (shared.clone(), Some(Rc::new(index)))
        });
        index.clone()
    }

    /// The effective boolean value of `expr`.
    pub(crate) fn ebv_of(
        &self,
        expr: &Expr,
        focus: &Focus<'a, 'i>,
        env: &mut Env<'a, 'i>,
    ) -> Result<bool, XPathError> {
        match expr {
            // A path's truth is whether it selects anything: stop at the first node.
            Expr::Path(path) if path.steps.iter().all(|s| matches!(s, Step::Axis { .. })) => {
                self.path_exists(path, focus, env)
            }
            _ => ebv(&self.eval(expr, focus, env)?),
        }
    }

    /// The string value of `expr` (`""` for the empty sequence); more than one item is an error.
    pub(crate) fn string_of_optional(
        &self,
        expr: &Expr,
        focus: &Focus<'a, 'i>,
        env: &mut Env<'a, 'i>,
    ) -> Result<String, XPathError> {
        let v = self.eval(expr, focus, env)?;
        match v.len() {
            0 => Ok(String::new()),
            1 => Ok(v[0].string()),
            n => Err(XPathError::dynamic(format!(
                "a sequence of {n} items where one string was expected"
            ))),
        }
    }

    /// The atomized value of `expr`, if it is one item; `None` if empty.
    pub(crate) fn atomized_optional(
        &self,
        expr: &Expr,
        focus: &Focus<'a, 'i>,
        env: &mut Env<'a, 'i>,
    ) -> Result<Option<Atomic>, XPathError> {
        let v = self.eval(expr, focus, env)?;
        match v.len() {
            0 => Ok(None),
            1 => Ok(Some(v[0].atomize())),
            n => Err(XPathError::dynamic(format!(
                "a sequence of {n} items where at most one value was expected"
            ))),
        }
    }

    fn optional_node(
        &self,
        expr: &Expr,
        focus: &Focus<'a, 'i>,
        env: &mut Env<'a, 'i>,
    ) -> Result<Option<XNode<'a, 'i>>, XPathError> {
        let v = self.eval(expr, focus, env)?;
        match &v[..] {
            [] => Ok(None),
            [Item::Node(n)] => Ok(Some(*n)),
            [_] => Err(XPathError::dynamic(
                "a node comparison of a value that is not a node".into(),
            )),
            _ => Err(XPathError::dynamic(
                "a node comparison of more than one node".into(),
            )),
        }
    }

    pub(crate) fn nodes_of(
        &self,
        expr: &Expr,
        focus: &Focus<'a, 'i>,
        env: &mut Env<'a, 'i>,
    ) -> Result<Vec<XNode<'a, 'i>>, XPathError> {
        self.eval(expr, focus, env)?
            .iter()
            .map(|item| match item {
                Item::Node(n) => Ok(*n),
                Item::Atomic(a) => Err(XPathError::dynamic(format!(
                    "a set operation on a {}, not a node",
                    a.type_name()
                ))),
            })
            .collect()
    }

    fn filter(
        &self,
        mut items: Sequence<'a, 'i>,
        predicates: &[Expr],
        env: &mut Env<'a, 'i>,
    ) -> Result<Sequence<'a, 'i>, XPathError> {
        for predicate in predicates {
            if let Expr::Literal(Atomic::Integer(k)) = predicate {
                let k = *k;
                items = if k >= 1 && (k as usize) <= items.len() {
                    vec![items.swap_remove(k as usize - 1)]
                } else {
                    Vec::new()
                };
                continue;
            }
            let size = items.len();
            let mut kept = Vec::new();
            for (i, item) in items.into_iter().enumerate() {
                let focus = Focus {
                    item: Some(item),
                    position: i + 1,
                    size,
                };
                if self.predicate_holds(predicate, &focus, env)? {
                    kept.extend(focus.item);
                }
            }
            items = kept;
        }
        Ok(items)
    }

    fn predicate_holds(
        &self,
        predicate: &Expr,
        focus: &Focus<'a, 'i>,
        env: &mut Env<'a, 'i>,
    ) -> Result<bool, XPathError> {
        if is_boolean_valued(predicate) {
            return self.ebv_of(predicate, focus, env);
        }
        let v = self.eval(predicate, focus, env)?;
        if let [Item::Atomic(a)] = &v[..] {
            if a.is_numeric() {
                return Ok(a.to_double() == focus.position as f64);
            }
        }
        ebv(&v)
    }

    fn root_of(&self, focus: &Focus<'a, 'i>) -> Result<XNode<'a, 'i>, XPathError> {
        match context_item(focus)? {
            Item::Node(n) => Ok(XNode::of(n.tree_node().document().root())),
            Item::Atomic(_) => Err(XPathError::dynamic(
                "`/` where the context item is not a node".into(),
            )),
        }
    }

    /// Whether `path` selects at least one node, stopping at the first.
    fn path_exists(
        &self,
        path: &Path,
        focus: &Focus<'a, 'i>,
        env: &mut Env<'a, 'i>,
    ) -> Result<bool, XPathError> {
        let start = match path.start {
            Start::Root => self.root_of(focus)?,
            Start::Context => match context_item(focus)? {
                Item::Node(n) => *n,
                Item::Atomic(_) => {
                    return Err(XPathError::dynamic(
                        "a path step where the context item is not a node".into(),
                    ))
                }
            },
        };
        self.exists_from(start, &path.steps, env)
    }

    fn exists_from(
        &self,
        node: XNode<'a, 'i>,
        steps: &[Step],
        env: &mut Env<'a, 'i>,
    ) -> Result<bool, XPathError> {
        let Some((first, rest)) = steps.split_first() else {
            return Ok(true);
        };
        let Step::Axis {
            axis,
            test,
            predicates,
        } = first
        else {
            return Ok(true);
        };
        if predicates.is_empty() {
            let mut found = Ok(false);
            walk_axis(node, *axis, &mut |n| {
                if !matches_test(test, n, *axis) {
                    return ControlFlow::Continue(());
                }
                match self.exists_from(n, rest, env) {
                    Ok(true) => {
                        found = Ok(true);
                        ControlFlow::Break(())
                    }
                    Ok(false) => ControlFlow::Continue(()),
                    Err(e) => {
                        found = Err(e);
                        ControlFlow::Break(())
                    }
                }
            });
            return found;
        }
        for n in self.step_from(node, *axis, test, predicates, env)? {
            if self.exists_from(n, rest, env)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn path(
        &self,
        path: &Path,
        focus: &Focus<'a, 'i>,
        env: &mut Env<'a, 'i>,
    ) -> Result<Value<'a, 'i>, XPathError> {
        let mut steps = path.steps.iter().enumerate();
        let mut current: Sequence<'a, 'i> = match (path.start, path.steps.first()) {
            (Start::Root, _) => vec![Item::Node(self.root_of(focus)?)],
            // `$x/…`, `id(…)/…`: the first step is evaluated in the path's own focus.
            (Start::Context, Some(Step::Expr(e))) => {
                steps.next();
                self.eval(e, focus, env)?.into_vec()
            }
            (Start::Context, _) => vec![context_item(focus)?.clone()],
        };
        for (index, step) in steps {
            match step {
                Step::Axis {
                    axis,
                    test,
                    predicates,
                } => {
                    let mut out: Vec<XNode> = Vec::new();
                    let several = current.len() > 1;
                    for item in &current {
                        let Item::Node(n) = item else {
                            return Err(XPathError::dynamic(format!(
                                "a path step on a {}, not a node",
                                item.atomize().type_name()
                            )));
                        };
                        out.extend(self.step_from(*n, *axis, test, predicates, env)?);
                    }
                    if several && !matches!(axis, Axis::SelfNode | Axis::Attribute) {
                        out.sort();
                        out.dedup();
                    }
                    current = out.into_iter().map(Item::Node).collect();
                }
                Step::Expr(e) => {
                    let size = current.len();
                    let mut out = Vec::new();
                    for (i, item) in current.iter().enumerate() {
                        if !matches!(item, Item::Node(_)) {
                            return Err(XPathError::dynamic(
                                "a path step on a value that is not a node".into(),
                            ));
                        }
                        let inner = Focus {
                            item: Some(item.clone()),
                            position: i + 1,
                            size,
                        };
                        out.extend(self.eval(e, &inner, env)?.iter().cloned());
                    }
                    let nodes = out.iter().filter(|i| matches!(i, Item::Node(_))).count();
                    if nodes == out.len() {
                        let mut ns: Vec<XNode> = out
                            .into_iter()
                            .filter_map(|i| match i {
                                Item::Node(n) => Some(n),
                                Item::Atomic(_) => None,
                            })
                            .collect();
                        ns.sort();
                        ns.dedup();
                        current = ns.into_iter().map(Item::Node).collect();
                    } else if nodes == 0 && index + 1 == path.steps.len() {
                        current = out;
                    } else {
                        return Err(XPathError::dynamic(
                            "a path whose step gives both nodes and values".into(),
                        ));
                    }
                }
            }
        }
        Ok(Value::Owned(current))
    }

    /// The nodes one axis step selects from `node`, in document order.
    fn step_from(
        &self,
        node: XNode<'a, 'i>,
        axis: Axis,
        test: &NodeTest,
        predicates: &[Expr],
        env: &mut Env<'a, 'i>,
    ) -> Result<Vec<XNode<'a, 'i>>, XPathError> {
        // A first predicate `[k]` stops the walk at the k-th match.
        let limit = match predicates.first() {
            Some(Expr::Literal(Atomic::Integer(k))) if *k >= 1 => Some(*k as usize),
            _ => None,
        };
        let mut found = Vec::new();
        walk_axis(node, axis, &mut |n| {
            if matches_test(test, n, axis) {
                found.push(n);
                if limit.is_some_and(|k| found.len() >= k) {
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        });
        if !predicates.is_empty() {
            let items = found.into_iter().map(Item::Node).collect();
            found = self
                .filter(items, predicates, env)?
                .into_iter()
                .filter_map(|i| match i {
                    Item::Node(n) => Some(n),
                    Item::Atomic(_) => None,
                })
                .collect();
        }
        if axis.is_reverse() {
            found.reverse();
        }
        Ok(found)
    }

    pub(crate) fn call(
        &self,
        f: Function,
        args: &[Expr],
        focus: &Focus<'a, 'i>,
        env: &mut Env<'a, 'i>,
    ) -> Result<Value<'a, 'i>, XPathError> {
        super::functions::call(self, f, args, focus, env)
    }
}

pub(crate) fn context_item<'f, 'a, 'i>(
    focus: &'f Focus<'a, 'i>,
) -> Result<&'f Item<'a, 'i>, XPathError> {
    focus
        .item
        .as_ref()
        .ok_or_else(|| XPathError::dynamic("there is no context item here".into()))
}

/// Whether an expression's value is certainly not a number, so a predicate of it is a test and
/// never a position.
pub(crate) fn is_boolean_valued(expr: &Expr) -> bool {
    match expr {
        Expr::Or(..)
        | Expr::And(..)
        | Expr::General(..)
        | Expr::Value(..)
        | Expr::Node(..)
        | Expr::InstanceOf(..)
        | Expr::Castable(..)
        | Expr::Quantified(..) => true,
        Expr::Path(p) => p.steps.iter().all(|s| matches!(s, Step::Axis { .. })),
        Expr::Call(f, _) => f.returns_boolean(),
        _ => false,
    }
}

/// Calls `visit` on each node of `axis` from `node`, in the axis's order (reverse document
/// order for the reverse axes), until it breaks.
pub(crate) fn walk_axis<'a, 'i>(
    node: XNode<'a, 'i>,
    axis: Axis,
    visit: &mut dyn FnMut(XNode<'a, 'i>) -> ControlFlow<()>,
) {
    let is_attribute = node.kind() == NodeKind::Attribute;
    let tree = node.tree_node();
    let _ = match axis {
        Axis::SelfNode => visit(node),
        Axis::Attribute => {
            if is_attribute || !tree.is_element() {
                return;
            }
            for i in 0..tree.attributes().len() {
                if visit(XNode::attribute_of(tree, i)).is_break() {
                    return;
                }
            }
            ControlFlow::Continue(())
        }
        Axis::Child => {
            if is_attribute {
                return;
            }
            for c in tree.children() {
                if visit(XNode::of(c)).is_break() {
                    return;
                }
            }
            ControlFlow::Continue(())
        }
        Axis::Descendant | Axis::DescendantOrSelf => {
            if axis == Axis::DescendantOrSelf && visit(node).is_break() {
                return;
            }
            if is_attribute {
                return;
            }
            for d in tree.descendants().skip(1) {
                if visit(XNode::of(d)).is_break() {
                    return;
                }
            }
            ControlFlow::Continue(())
        }
        Axis::Parent => match node.parent() {
            Some(p) => visit(p),
            None => ControlFlow::Continue(()),
        },
        Axis::Ancestor | Axis::AncestorOrSelf => {
            if axis == Axis::AncestorOrSelf && visit(node).is_break() {
                return;
            }
            let mut up = node.parent();
            while let Some(p) = up {
                if visit(p).is_break() {
                    return;
                }
                up = p.parent();
            }
            ControlFlow::Continue(())
        }
        Axis::FollowingSibling => {
            if is_attribute {
                return;
            }
            for s in tree.next_siblings().skip(1) {
                if visit(XNode::of(s)).is_break() {
                    return;
                }
            }
            ControlFlow::Continue(())
        }
        Axis::PrecedingSibling => {
            if is_attribute {
                return;
            }
            for s in tree.prev_siblings().skip(1) {
                if visit(XNode::of(s)).is_break() {
                    return;
                }
            }
            ControlFlow::Continue(())
        }
        Axis::Following => {
            // Everything after the node's subtree (an attribute's: after its element's start).
            let doc = tree.document();
            let first = if is_attribute {
                Some(tree.id().get() + 1)
            } else {
                let mut start = None;
                let mut up = Some(tree);
                while let Some(n) = up {
                    if let Some(next) = n.next_sibling() {
                        start = Some(next.id().get());
                        break;
                    }
                    up = n.parent();
                }
                start
            };
            if let Some(first) = first {
                let mut id = first;
                while let Some(n) = doc.get_node(roxmltree::NodeId::new(id)) {
                    if visit(XNode::of(n)).is_break() {
                        return;
                    }
                    id += 1;
                }
            }
            ControlFlow::Continue(())
        }
        Axis::Preceding => {
            // Every node before, in reverse, but the ancestors (an attribute's element is one).
            let doc = tree.document();
            let mut ancestors: Vec<u32> = tree.ancestors().map(|a| a.id().get()).collect();
            if !is_attribute {
                ancestors.remove(0);
            }
            let mut next_ancestor = ancestors.iter().peekable();
            let mut id = tree.id().get();
            if is_attribute {
                id += 1;
            }
            while id > 0 {
                id -= 1;
                if next_ancestor.peek() == Some(&&id) {
                    next_ancestor.next();
                    continue;
                }
                if let Some(n) = doc.get_node(roxmltree::NodeId::new(id)) {
                    if visit(XNode::of(n)).is_break() {
                        return;
                    }
                }
            }
            ControlFlow::Continue(())
        }
    };
}

/// Whether `node` passes `test` on `axis` (whose principal kind is attribute on the attribute
/// axis, element elsewhere).
pub(crate) fn matches_test(test: &NodeTest, node: XNode, axis: Axis) -> bool {
    let kind = node.kind();
    match test {
        NodeTest::AnyNode => true,
        NodeTest::Text => kind == NodeKind::Text,
        NodeTest::Comment => kind == NodeKind::Comment,
        NodeTest::Document => kind == NodeKind::Document,
        NodeTest::ProcessingInstruction(name) => {
            kind == NodeKind::ProcessingInstruction
                && name.as_ref().is_none_or(|n| **n == *node.local_name())
        }
        NodeTest::Element(name) => {
            kind == NodeKind::Element && name.as_ref().is_none_or(|t| name_matches(t, node))
        }
        NodeTest::Attribute(name) => {
            kind == NodeKind::Attribute && name.as_ref().is_none_or(|t| name_matches(t, node))
        }
        NodeTest::Name(t) => {
            let principal = if axis == Axis::Attribute {
                NodeKind::Attribute
            } else {
                NodeKind::Element
            };
            kind == principal && name_matches(t, node)
        }
    }
}

fn name_matches(test: &NameTest, node: XNode) -> bool {
    test.local
        .as_ref()
        .is_none_or(|l| **l == *node.local_name())
        && test
            .namespace
            .as_ref()
            .is_none_or(|ns| **ns == *node.namespace())
}

/// The effective boolean value of a sequence.
pub(crate) fn ebv(v: &[Item]) -> Result<bool, XPathError> {
    match v {
        [] => Ok(false),
        [Item::Node(_), ..] => Ok(true),
        [Item::Atomic(a)] => match a {
            Atomic::Boolean(b) => Ok(*b),
            Atomic::String(s) | Atomic::Untyped(s) | Atomic::AnyUri(s) => Ok(!s.is_empty()),
            Atomic::Integer(n) => Ok(*n != 0),
            Atomic::Decimal(x) | Atomic::Double(x) => Ok(*x != 0.0 && !x.is_nan()),
            other => Err(XPathError::dynamic(format!(
                "a {} has no boolean value",
                other.type_name()
            ))),
        },
        _ => Err(XPathError::dynamic(
            "a sequence of several values has no boolean value".into(),
        )),
    }
}

fn untyped_to_string(a: Atomic) -> Atomic {
    match a {
        Atomic::Untyped(s) => Atomic::String(s),
        other => other,
    }
}

pub(crate) fn untyped_to_double(a: Atomic) -> Atomic {
    match a {
        Atomic::Untyped(s) => {
            Atomic::Double(super::value::parse_double(s.trim()).unwrap_or(f64::NAN))
        }
        other => other,
    }
}

fn integer_of(a: &Atomic) -> Result<i64, XPathError> {
    match a.cast(AtomicType::Integer)? {
        Atomic::Integer(n) => Ok(n),
        _ => Err(XPathError::dynamic("not an integer".into())),
    }
}

fn value_compare(op: Comparison, l: &Atomic, r: &Atomic) -> Result<bool, XPathError> {
    if is_nan_pair(l, r) && l.is_numeric() && r.is_numeric() {
        return Ok(op == Comparison::Ne);
    }
    let ordering = compare_values(l, r).ok_or_else(|| {
        XPathError::dynamic(format!(
            "cannot compare a {} with a {}",
            l.type_name(),
            r.type_name()
        ))
    })?;
    Ok(match op {
        Comparison::Eq => ordering == Ordering::Equal,
        Comparison::Ne => ordering != Ordering::Equal,
        Comparison::Lt => ordering == Ordering::Less,
        Comparison::Le => ordering != Ordering::Greater,
        Comparison::Gt => ordering == Ordering::Greater,
        Comparison::Ge => ordering != Ordering::Less,
    })
}

/// `=`, `!=`, …: whether some pair of items compares so, untyped values taking the other's type.
fn general_compare(op: Comparison, left: &[Item], right: &[Item]) -> Result<bool, XPathError> {
    if left.is_empty() || right.is_empty() {
        return Ok(false);
    }
    let left: Vec<Atomic> = left.iter().map(Item::atomize).collect();
    let right: Vec<Atomic> = right.iter().map(Item::atomize).collect();
    // Many strings against many: compare through a set (`@ref = $all-ids`).
    if op == Comparison::Eq && left.len() * right.len() > 64 {
        let all_strings = |v: &[Atomic]| {
            v.iter()
                .all(|a| matches!(a, Atomic::String(_) | Atomic::Untyped(_)))
        };
        if all_strings(&left) && all_strings(&right) {
            let (small, large) = if left.len() < right.len() {
                (&left, &right)
            } else {
                (&right, &left)
            };
            let set: std::collections::HashSet<&str> = large.iter().map(atomic_str).collect();
            return Ok(small.iter().any(|a| set.contains(atomic_str(a))));
        }
    }
    for l in &left {
        for r in &right {
            let (l2, r2) = match (l, r) {
                (Atomic::Untyped(_), Atomic::Untyped(_)) => {
                    (untyped_to_string(l.clone()), untyped_to_string(r.clone()))
                }
                (Atomic::Untyped(_), other) => (general_operand(l, other)?, other.clone()),
                (other, Atomic::Untyped(_)) => (other.clone(), general_operand(r, other)?),
                _ => (l.clone(), r.clone()),
            };
            if value_compare(op, &l2, &r2)? {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

fn atomic_str(a: &Atomic) -> &str {
    match a {
        Atomic::String(s) | Atomic::Untyped(s) => s,
        _ => "",
    }
}

/// An untyped operand of a general comparison, cast to the other operand's type.
fn general_operand(untyped: &Atomic, other: &Atomic) -> Result<Atomic, XPathError> {
    match other {
        o if o.is_numeric() => untyped.cast(AtomicType::Double),
        Atomic::String(_) | Atomic::AnyUri(_) => Ok(untyped_to_string(untyped.clone())),
        Atomic::Boolean(_) => untyped.cast(AtomicType::Boolean),
        Atomic::Date(_) => untyped.cast(AtomicType::Date),
        Atomic::DateTime(_) => untyped.cast(AtomicType::DateTime),
        Atomic::DayTimeDuration(_) => untyped.cast(AtomicType::DayTimeDuration),
        _ => Ok(untyped_to_string(untyped.clone())),
    }
}

fn arithmetic(op: Arithmetic, l: Atomic, r: Atomic) -> Result<Atomic, XPathError> {
    let l = untyped_to_double(l);
    let r = untyped_to_double(r);
    let type_error = |l: &Atomic, r: &Atomic| {
        XPathError::dynamic(format!(
            "arithmetic on a {} and a {}",
            l.type_name(),
            r.type_name()
        ))
    };
    match (&l, &r) {
        (Atomic::Integer(a), Atomic::Integer(b)) => {
            let (a, b) = (*a, *b);
            match op {
                Arithmetic::Add => a.checked_add(b).map(Atomic::Integer),
                Arithmetic::Subtract => a.checked_sub(b).map(Atomic::Integer),
                Arithmetic::Multiply => a.checked_mul(b).map(Atomic::Integer),
                Arithmetic::Divide => {
                    if b == 0 {
                        return Err(XPathError::dynamic("division by zero".into()));
                    }
                    Some(Atomic::Decimal(a as f64 / b as f64))
                }
                Arithmetic::IntegerDivide | Arithmetic::Modulo => {
                    if b == 0 {
                        return Err(XPathError::dynamic("division by zero".into()));
                    }
                    Some(Atomic::Integer(if op == Arithmetic::Modulo {
                        a % b
                    } else {
                        a / b
                    }))
                }
            }
            .ok_or_else(|| XPathError::dynamic("integer overflow".into()))
        }
        (a, b) if a.is_numeric() && b.is_numeric() => {
            let double = matches!(a, Atomic::Double(_)) || matches!(b, Atomic::Double(_));
            let (x, y) = (a.to_double(), b.to_double());
            if op == Arithmetic::IntegerDivide {
                if y == 0.0 {
                    return Err(XPathError::dynamic("division by zero".into()));
                }
                let q = (x / y).trunc();
                if !q.is_finite() {
                    return Err(XPathError::dynamic(
                        "integer division of an infinite or NaN value".into(),
                    ));
                }
                return Ok(Atomic::Integer(q as i64));
            }
            if !double && y == 0.0 && matches!(op, Arithmetic::Divide | Arithmetic::Modulo) {
                return Err(XPathError::dynamic("division by zero".into()));
            }
            let z = match op {
                Arithmetic::Add => x + y,
                Arithmetic::Subtract => x - y,
                Arithmetic::Multiply => x * y,
                Arithmetic::Divide => x / y,
                Arithmetic::Modulo => x % y,
                Arithmetic::IntegerDivide => unreachable!("handled above"),
            };
            Ok(if double {
                Atomic::Double(z)
            } else {
                Atomic::Decimal(z)
            })
        }
        (Atomic::Date(m), Atomic::DayTimeDuration(d))
        | (Atomic::DateTime(m), Atomic::DayTimeDuration(d))
            if matches!(op, Arithmetic::Add | Arithmetic::Subtract) =>
        {
            let d = if op == Arithmetic::Add { *d } else { -*d };
            let moved = Moment {
                millis: m.millis + d,
                zone: m.zone,
            };
            Ok(match l {
                Atomic::Date(_) => Atomic::Date(Moment {
                    millis: moved.millis.div_euclid(86_400_000) * 86_400_000,
                    zone: m.zone,
                }),
                _ => Atomic::DateTime(moved),
            })
        }
        (Atomic::DayTimeDuration(d), Atomic::Date(_) | Atomic::DateTime(_))
            if op == Arithmetic::Add =>
        {
            arithmetic(op, r.clone(), Atomic::DayTimeDuration(*d))
        }
        (Atomic::Date(a), Atomic::Date(b)) | (Atomic::DateTime(a), Atomic::DateTime(b))
            if op == Arithmetic::Subtract =>
        {
            let offset = |m: &Moment| m.millis - i64::from(m.zone.unwrap_or(0)) * 60_000;
            Ok(Atomic::DayTimeDuration(offset(a) - offset(b)))
        }
        (Atomic::DayTimeDuration(a), Atomic::DayTimeDuration(b)) => match op {
            Arithmetic::Add => Ok(Atomic::DayTimeDuration(a + b)),
            Arithmetic::Subtract => Ok(Atomic::DayTimeDuration(a - b)),
            Arithmetic::Divide if *b != 0 => Ok(Atomic::Decimal(*a as f64 / *b as f64)),
            _ => Err(type_error(&l, &r)),
        },
        _ => Err(type_error(&l, &r)),
    }
}

fn instance_of(v: &[Item], t: &SequenceType) -> bool {
    let Some(item_type) = &t.item else {
        return v.is_empty();
    };
    let count_ok = match t.occurrence {
        Occurrence::One => v.len() == 1,
        Occurrence::Optional => v.len() <= 1,
        Occurrence::Many => true,
        Occurrence::OneOrMore => !v.is_empty(),
    };
    count_ok
        && v.iter().all(|item| match (item_type, item) {
            (ItemType::Item, _) => true,
            (ItemType::Node(test), Item::Node(n)) => {
                let axis = if matches!(test, NodeTest::Attribute(_)) {
                    Axis::Attribute
                } else {
                    Axis::Child
                };
                matches_test(test, *n, axis)
            }
            (ItemType::Atomic(t), Item::Atomic(a)) => a.is_instance_of(*t),
            _ => false,
        })
}

//! The parsed form of an XPath expression: names resolved to namespaces, functions to the
//! library, so that evaluation never meets a name it does not know.

use super::functions::Function;
use super::value::{Atomic, AtomicType};
use std::rc::Rc;

/// An expression.
#[derive(Debug, Clone)]
pub(crate) enum Expr {
    Literal(Atomic),
    Var(Rc<str>),
    ContextItem,
    /// `a, b` and `()`.
    Sequence(Vec<Expr>),
    Path(Box<Path>),
    /// A primary expression with predicates: `$x[1]`, `(a|b)[last()]`.
    Filter(Box<Expr>, Vec<Expr>),
    Call(Function, Vec<Expr>),
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    /// `=`, `!=`, `<`, …: some pair of the two sequences' items compares so.
    General(Comparison, Box<Expr>, Box<Expr>),
    /// `eq`, `ne`, `lt`, …: one item each.
    Value(Comparison, Box<Expr>, Box<Expr>),
    /// `is`, `<<`, `>>`.
    Node(NodeComparison, Box<Expr>, Box<Expr>),
    /// `a || b`.
    Concat(Box<Expr>, Box<Expr>),
    /// `a to b`.
    Range(Box<Expr>, Box<Expr>),
    Arithmetic(Arithmetic, Box<Expr>, Box<Expr>),
    Negate(Box<Expr>),
    Union(Box<Expr>, Box<Expr>),
    Intersect(Box<Expr>, Box<Expr>),
    Except(Box<Expr>, Box<Expr>),
    InstanceOf(Box<Expr>, SequenceType),
    Treat(Box<Expr>, SequenceType),
    /// `castable as T` (`T?` when the flag is set: the empty sequence is castable).
    Castable(Box<Expr>, AtomicType, bool),
    Cast(Box<Expr>, AtomicType, bool),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    For(Rc<str>, Box<Expr>, Box<Expr>),
    Let(Rc<str>, Box<Expr>, Box<Expr>),
    /// `some` (false) or `every` (true) `$v in … satisfies …`.
    Quantified(bool, Rc<str>, Box<Expr>, Box<Expr>),
    /// `a ! b`.
    Map(Box<Expr>, Box<Expr>),
}

/// A path: where it starts and its steps.
#[derive(Debug, Clone)]
pub(crate) struct Path {
    pub start: Start,
    pub steps: Vec<Step>,
}

/// Where a path starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Start {
    /// At the context item.
    Context,
    /// `/…`: at the root of the context node's tree.
    Root,
}

/// A step of a path.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    Axis {
        axis: Axis,
        test: NodeTest,
        predicates: Vec<Expr>,
    },
    /// Any other expression as a step: `$x/…`, `…/string(.)`, `id(…)/…`.
    Expr(Expr),
}

/// An axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Axis {
    Child,
    Descendant,
    Attribute,
    SelfNode,
    DescendantOrSelf,
    FollowingSibling,
    Following,
    Parent,
    Ancestor,
    PrecedingSibling,
    Preceding,
    AncestorOrSelf,
}

impl Axis {
    pub fn from_name(name: &str) -> Option<Axis> {
        Some(match name {
            "child" => Axis::Child,
            "descendant" => Axis::Descendant,
            "attribute" => Axis::Attribute,
            "self" => Axis::SelfNode,
            "descendant-or-self" => Axis::DescendantOrSelf,
            "following-sibling" => Axis::FollowingSibling,
            "following" => Axis::Following,
            "parent" => Axis::Parent,
            "ancestor" => Axis::Ancestor,
            "preceding-sibling" => Axis::PrecedingSibling,
            "preceding" => Axis::Preceding,
            "ancestor-or-self" => Axis::AncestorOrSelf,
            _ => return None,
        })
    }

    /// Whether positions count backwards from the context node.
    pub fn is_reverse(self) -> bool {
        matches!(
            self,
            Axis::Parent
                | Axis::Ancestor
                | Axis::PrecedingSibling
                | Axis::Preceding
                | Axis::AncestorOrSelf
        )
    }
}

/// A name test: `tei:p`, `*`, `tei:*`, `*:p`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameTest {
    /// `None`: any namespace; `Some("")`: no namespace.
    pub namespace: Option<Rc<str>>,
    /// `None`: any local name.
    pub local: Option<Rc<str>>,
}

/// What a step selects of its axis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NodeTest {
    /// A name test, of the axis's principal kind (attributes on `attribute::`, else elements).
    Name(NameTest),
    AnyNode,
    Text,
    Comment,
    ProcessingInstruction(Option<Rc<str>>),
    Element(Option<NameTest>),
    Attribute(Option<NameTest>),
    Document,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comparison {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NodeComparison {
    Is,
    Precedes,
    Follows,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arithmetic {
    Add,
    Subtract,
    Multiply,
    Divide,
    IntegerDivide,
    Modulo,
}

/// A sequence type, as `instance of` and `treat as` name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SequenceType {
    /// `None`: `empty-sequence()`.
    pub item: Option<ItemType>,
    pub occurrence: Occurrence,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ItemType {
    Item,
    Node(NodeTest),
    Atomic(AtomicType),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Occurrence {
    One,
    Optional,
    Many,
    OneOrMore,
}

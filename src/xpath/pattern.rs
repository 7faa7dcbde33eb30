//! XSLT match patterns, as a Schematron rule's `context` is: `tei:p`, `tei:l//tei:p`,
//! `tei:rt/@target`, `/`, `(tei:a | tei:b)[@x]/tei:c`. A node matches when it is the last step
//! of the path and its ancestors match the steps before, read right to left, predicates
//! evaluated with the node as context.

use super::ast::*;
use super::eval::{is_boolean_valued, matches_test, Env, Evaluator, Focus};
use super::value::{NodeKind, XNode};
use super::{StaticContext, XPathError};
use std::rc::Rc;

/// A compiled match pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    expr: Expr,
}

/// What kind of node a pattern can match and, for elements, which names: to try a rule only
/// on the nodes it can match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Candidates {
    /// Elements of these local names only.
    Elements(Vec<Rc<str>>),
    /// Attributes only.
    Attributes,
    /// Any node.
    Any,
}

impl Pattern {
    /// Compiles `text` as a pattern: an XPath expression of the forms patterns allow.
    pub fn compile(text: &str, context: &StaticContext) -> Result<Pattern, XPathError> {
        let expr = super::parser::parse(text, context)?;
        check(&expr).map_err(|m| XPathError::syntax(text, 0, m))?;
        Ok(Pattern { expr })
    }

    /// Which nodes the pattern can match at all.
    pub fn candidates(&self) -> Candidates {
        candidates(&self.expr)
    }

    /// Whether `node` matches; `env` holds the variables and `current()`.
    pub fn matches<'a, 'i>(
        &self,
        evaluator: &Evaluator<'a, 'i>,
        node: XNode<'a, 'i>,
        env: &mut Env<'a, 'i>,
    ) -> Result<bool, XPathError> {
        matches(evaluator, &self.expr, node, env)
    }
}

/// Refuses expressions that are not patterns.
fn check(expr: &Expr) -> Result<(), String> {
    match expr {
        Expr::Union(a, b) => {
            check(a)?;
            check(b)
        }
        Expr::Sequence(items) if items.len() == 1 => check(&items[0]),
        Expr::Filter(inner, _) => check(inner),
        Expr::Path(path) => {
            for (i, step) in path.steps.iter().enumerate() {
                match step {
                    Step::Axis { axis, .. } => {
                        if !matches!(
                            axis,
                            Axis::Child
                                | Axis::Attribute
                                | Axis::SelfNode
                                | Axis::Descendant
                                | Axis::DescendantOrSelf
                        ) {
                            return Err(format!("a pattern may not use the {axis:?} axis"));
                        }
                    }
                    Step::Expr(e) if i == 0 => check(e)?,
                    Step::Expr(_) => return Err("a pattern's later steps must be axis steps".into()),
                }
            }
            Ok(())
        }
        Expr::Call(..) => Err("patterns starting with a function call (`id()`, `key()`) are not supported".into()),
        _ => Err("not a pattern: a pattern is a path of child, attribute and descendant steps, or a union of them".into()),
    }
}

fn candidates(expr: &Expr) -> Candidates {
    match expr {
        Expr::Union(a, b) => match (candidates(a), candidates(b)) {
            (Candidates::Elements(mut x), Candidates::Elements(y)) => {
                x.extend(y);
                Candidates::Elements(x)
            }
            (Candidates::Attributes, Candidates::Attributes) => Candidates::Attributes,
            _ => Candidates::Any,
        },
        Expr::Sequence(items) if items.len() == 1 => candidates(&items[0]),
        Expr::Filter(inner, _) => candidates(inner),
        Expr::Path(path) => match path.steps.last() {
            Some(Step::Axis { axis, test, .. }) => match (axis, test) {
                (Axis::Attribute, _) => Candidates::Attributes,
                (
                    Axis::Child | Axis::Descendant | Axis::SelfNode,
                    NodeTest::Name(NameTest {
                        local: Some(local), ..
                    })
                    | NodeTest::Element(Some(NameTest {
                        local: Some(local), ..
                    })),
                ) => Candidates::Elements(vec![local.clone()]),
                _ => Candidates::Any,
            },
            Some(Step::Expr(e)) => candidates(e),
            None => Candidates::Any,
        },
        _ => Candidates::Any,
    }
}

fn matches<'a, 'i>(
    ev: &Evaluator<'a, 'i>,
    expr: &Expr,
    node: XNode<'a, 'i>,
    env: &mut Env<'a, 'i>,
) -> Result<bool, XPathError> {
    match expr {
        Expr::Union(a, b) => Ok(matches(ev, a, node, env)? || matches(ev, b, node, env)?),
        Expr::Sequence(items) if items.len() == 1 => matches(ev, &items[0], node, env),
        Expr::Filter(inner, predicates) => {
            if !matches(ev, inner, node, env)? {
                return Ok(false);
            }
            for p in predicates {
                if !ev.ebv_of(p, &Focus::node(node), env)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Expr::Path(path) => match_steps(ev, node, &path.steps, path.start, env),
        _ => Ok(false),
    }
}

fn match_steps<'a, 'i>(
    ev: &Evaluator<'a, 'i>,
    node: XNode<'a, 'i>,
    steps: &[Step],
    start: Start,
    env: &mut Env<'a, 'i>,
) -> Result<bool, XPathError> {
    let Some((last, rest)) = steps.split_last() else {
        return Ok(match start {
            Start::Root => node.kind() == NodeKind::Document,
            Start::Context => true,
        });
    };
    match last {
        Step::Axis {
            axis: Axis::DescendantOrSelf,
            test: NodeTest::AnyNode,
            predicates,
        } if predicates.is_empty() => {
            // `//`: this node or one of its ancestors matches what comes before.
            let mut at = Some(node);
            while let Some(n) = at {
                if match_steps(ev, n, rest, start, env)? {
                    return Ok(true);
                }
                at = n.parent();
            }
            Ok(false)
        }
        Step::Axis {
            axis,
            test,
            predicates,
        } => {
            let kind = node.kind();
            let fits_axis = match axis {
                Axis::Attribute => kind == NodeKind::Attribute,
                Axis::SelfNode | Axis::DescendantOrSelf => true,
                _ => kind != NodeKind::Attribute && kind != NodeKind::Document,
            };
            if !fits_axis || !matches_test(test, node, *axis) {
                return Ok(false);
            }
            // The structure first: a predicate may be costly (`count(//x)`), the parent chain
            // never is.
            let structure = match axis {
                Axis::SelfNode => match_steps(ev, node, rest, start, env)?,
                Axis::Descendant | Axis::DescendantOrSelf => {
                    let mut at = if *axis == Axis::Descendant {
                        node.parent()
                    } else {
                        Some(node)
                    };
                    let mut found = false;
                    while let Some(n) = at {
                        if match_steps(ev, n, rest, start, env)? {
                            found = true;
                            break;
                        }
                        at = n.parent();
                    }
                    found
                }
                _ => match node.parent() {
                    Some(parent) => match_steps(ev, parent, rest, start, env)?,
                    None => false,
                },
            };
            if !structure {
                return Ok(false);
            }
            Ok(predicates.is_empty() || predicates_hold(ev, node, *axis, test, predicates, env)?)
        }
        Step::Expr(e) => {
            if !rest.is_empty() {
                return Ok(false);
            }
            matches(ev, e, node, env)
        }
    }
}

/// A step's predicates, with the node's position among its siblings that pass the same test
/// (computed only if a predicate may be positional).
fn predicates_hold<'a, 'i>(
    ev: &Evaluator<'a, 'i>,
    node: XNode<'a, 'i>,
    axis: Axis,
    test: &NodeTest,
    predicates: &[Expr],
    env: &mut Env<'a, 'i>,
) -> Result<bool, XPathError> {
    let mut focus = Focus::node(node);
    if axis == Axis::Child && predicates.iter().any(|p| !is_boolean_valued(p)) {
        if let Some(parent) = node.parent() {
            let siblings: Vec<XNode> = parent
                .tree_node()
                .children()
                .map(XNode::of)
                .filter(|s| matches_test(test, *s, axis))
                .collect();
            focus.size = siblings.len();
            focus.position = siblings
                .iter()
                .position(|s| *s == node)
                .map_or(1, |p| p + 1);
        }
    }
    // Predicates filter one after another: positions after the first are among the
    // survivors, which only a second positional predicate would notice.
    for p in predicates {
        let v = ev.eval(p, &focus, env)?;
        let holds = match &v[..] {
            [super::value::Item::Atomic(a)] if a.is_numeric() => {
                a.to_double() == focus.position as f64
            }
            other => super::eval::ebv(other)?,
        };
        if !holds {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matching(pattern: &str, xml: &str) -> Vec<String> {
        let doc = roxmltree::Document::parse(xml).unwrap();
        let mut context = StaticContext::default();
        context.bind_namespace("t", "urn:t");
        let p = Pattern::compile(pattern, &context).unwrap();
        let ev = Evaluator::new(&doc, &[], None);
        let mut out = Vec::new();
        for n in doc.descendants() {
            let x = XNode::of(n);
            if p.matches(&ev, x, &mut Env::default()).unwrap() {
                out.push(format!("{}{}", x.name(), n.attribute("k").unwrap_or("")));
            }
            for i in 0..n.attributes().len() {
                let a = XNode::attribute_of(n, i);
                if p.matches(&ev, a, &mut Env::default()).unwrap() {
                    out.push(format!("@{}", a.name()));
                }
            }
        }
        out
    }

    const DOC: &str = "<t:r xmlns:t='urn:t'><t:l k='1'><t:p k='2'/><t:x><t:p k='3'/></t:x></t:l><t:p k='4' n='1'/><p k='5'/></t:r>";

    #[test]
    fn steps_read_right_to_left() {
        assert_eq!(matching("t:p", DOC), ["t:p2", "t:p3", "t:p4"]);
        assert_eq!(matching("t:l//t:p", DOC), ["t:p2", "t:p3"]);
        assert_eq!(matching("t:l/t:p", DOC), ["t:p2"]);
        assert_eq!(matching("/t:r/t:p", DOC), ["t:p4"]);
        assert_eq!(matching("t:p/@n", DOC), ["@n"]);
        assert_eq!(matching("p", DOC), ["p5"]);
        assert_eq!(matching("(t:l | t:x)[t:p]/t:p", DOC), ["t:p2", "t:p3"]);
        assert_eq!(matching("t:*[@n]", DOC), ["t:p4"]);
        assert_eq!(matching("t:p[1]", DOC), ["t:p2", "t:p3", "t:p4"]);
        assert_eq!(matching("t:p[2]", DOC), Vec::<String>::new());
        assert_eq!(matching("t:*[2]", DOC), ["t:x", "t:p4"]);
    }

    #[test]
    fn candidates_name_the_last_step() {
        let context = StaticContext::default();
        let names = |p: &str| Pattern::compile(p, &context).unwrap().candidates();
        assert_eq!(
            names("a//b | c"),
            Candidates::Elements(vec!["b".into(), "c".into()])
        );
        assert_eq!(names("a/@b"), Candidates::Attributes);
        assert_eq!(names("*[@x]"), Candidates::Any);
        assert!(Pattern::compile("count(a)", &context).is_err());
        assert!(Pattern::compile("a/preceding::b", &context).is_err());
    }
}

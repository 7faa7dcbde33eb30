//! XPath 2.0/3.1 for Schematron: expressions and XSLT match patterns over a roxmltree document.
//!
//! An evaluator of our own rather than a general XPath engine: it implements the expression
//! forms, functions, axes and types that Schematron schemas in the TEI world use (TEI's own
//! `constraintSpec`s, FRUS's `.sch` files), with XPath 2.0's semantics — general and value
//! comparisons with untyped values, effective boolean values, document order, the `cast`
//! rules of XML Schema's types, XPath's regular expressions with flags. What it does not
//! implement is refused when an expression is compiled, naming the construct (a function by
//! name and arity, an axis, a type), so that no assertion is ever silently skipped.
//!
//! Not implemented: schema types beyond the built-in atomic ones listed in
//! `xs:` atomic types named in `value.rs`, the namespace axis, higher-order functions, maps and arrays,
//! collations other than codepoint, `format-*`, `key()`, `regex-group()`. Decimals are held as
//! doubles.
//!
//! ```
//! use teikit::xpath::{Evaluator, StaticContext, XPath};
//! let doc = roxmltree::Document::parse("<a><b n='2'/><b n='10'/></a>").unwrap();
//! let context = StaticContext::default();
//! let xpath = XPath::compile("count(//b[@n > 3]), string(/a/b[1]/@n)", &context).unwrap();
//! let evaluator = Evaluator::new(&doc, &[], None);
//! let value = xpath.evaluate_on(&evaluator, doc.root()).unwrap();
//! let texts: Vec<String> = value.iter().map(|item| item.string()).collect();
//! assert_eq!(texts, ["1", "2"]);
//! ```

mod ast;
mod eval;
mod functions;
mod lexer;
mod parser;
mod pattern;
mod value;

pub use eval::{Env, Evaluator, Focus, Value};
pub use pattern::{Candidates, Pattern};
pub use value::{Atomic, Item, Moment, NodeKind, Sequence, XNode};

use std::fmt;
use std::rc::Rc;

/// The namespace of XPath's functions.
pub const FN: &str = "http://www.w3.org/2005/xpath-functions";
/// The namespace of XML Schema's types.
pub const XS: &str = "http://www.w3.org/2001/XMLSchema";

/// What an expression may name: namespace prefixes, variables, functions.
#[derive(Debug, Clone, Default)]
pub struct StaticContext {
    namespaces: Vec<(String, String)>,
    variables: Vec<String>,
    functions: Vec<(String, String, usize)>,
}

impl StaticContext {
    /// Binds `prefix` to `uri` (a later binding of a prefix wins).
    pub fn bind_namespace(&mut self, prefix: &str, uri: &str) {
        self.namespaces.push((prefix.to_string(), uri.to_string()));
    }

    /// Declares a variable the expressions may read.
    pub fn declare_variable(&mut self, name: &str) {
        self.variables.push(name.to_string());
    }

    /// Declares the user function `{uri}local` with `arity` parameters; calls of it compile to
    /// the index it was declared at.
    pub fn declare_function(&mut self, uri: &str, local: &str, arity: usize) -> usize {
        self.functions
            .push((uri.to_string(), local.to_string(), arity));
        self.functions.len() - 1
    }

    /// The namespace `prefix` is bound to.
    pub fn namespace(&self, prefix: &str) -> Option<&str> {
        self.namespaces
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, u)| u.as_str())
    }

    pub(crate) fn has_variable(&self, name: &str) -> bool {
        self.variables.iter().any(|v| v == name)
    }

    pub(crate) fn function(&self, uri: &str, local: &str, arity: usize) -> Option<usize> {
        self.functions
            .iter()
            .rposition(|(u, l, a)| u == uri && l == local && *a == arity)
    }
}

/// A function a schema declares (`xsl:function` with one expression as its body).
#[derive(Debug, Clone)]
pub struct UserFunction {
    /// Its parameters' names, in order.
    pub params: Vec<Rc<str>>,
    pub(crate) body: ast::Expr,
}

impl UserFunction {
    /// A function of `params` whose value is `body`.
    pub fn new(params: Vec<String>, body: XPath) -> Self {
        UserFunction {
            params: params.into_iter().map(Rc::from).collect(),
            body: body.expr,
        }
    }
}

/// What went wrong: a syntax or static error (at compile time) or a dynamic one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XPathError {
    /// What is wrong.
    pub message: String,
    /// Where in the expression, as a character offset, for errors found while compiling.
    pub at: Option<usize>,
    /// The expression, for errors found while compiling.
    pub expression: Option<String>,
}

impl XPathError {
    pub(crate) fn syntax(expression: &str, at: usize, message: String) -> Self {
        XPathError {
            message,
            at: Some(at),
            expression: Some(expression.to_string()),
        }
    }

    pub(crate) fn dynamic(message: String) -> Self {
        XPathError {
            message,
            at: None,
            expression: None,
        }
    }
}

impl fmt::Display for XPathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let (Some(expression), Some(at)) = (&self.expression, self.at) {
            let shown: String = expression.split_whitespace().collect::<Vec<_>>().join(" ");
            write!(f, " (character {} of `{}`)", at + 1, shown)?;
        }
        Ok(())
    }
}

impl std::error::Error for XPathError {}

/// A compiled expression.
#[derive(Debug, Clone)]
pub struct XPath {
    pub(crate) expr: ast::Expr,
}

impl XPath {
    /// Compiles `text`: every name resolved, every function known, or an error naming what is
    /// not.
    pub fn compile(text: &str, context: &StaticContext) -> Result<XPath, XPathError> {
        Ok(XPath {
            expr: parser::parse(text, context)?,
        })
    }

    /// Its value with `node` as the context item.
    pub fn evaluate_on<'a, 'i>(
        &self,
        evaluator: &Evaluator<'a, 'i>,
        node: roxmltree::Node<'a, 'i>,
    ) -> Result<Value<'a, 'i>, XPathError> {
        evaluator.eval(
            &self.expr,
            &Focus::node(XNode::of(node)),
            &mut Env::default(),
        )
    }

    /// Its value in `focus` with the variables of `env`.
    pub fn evaluate<'a, 'i>(
        &self,
        evaluator: &Evaluator<'a, 'i>,
        focus: &Focus<'a, 'i>,
        env: &mut Env<'a, 'i>,
    ) -> Result<Value<'a, 'i>, XPathError> {
        evaluator.eval(&self.expr, focus, env)
    }

    /// Its effective boolean value in `focus` with the variables of `env`.
    pub fn test<'a, 'i>(
        &self,
        evaluator: &Evaluator<'a, 'i>,
        focus: &Focus<'a, 'i>,
        env: &mut Env<'a, 'i>,
    ) -> Result<bool, XPathError> {
        evaluator.ebv_of(&self.expr, focus, env)
    }
}

#[cfg(test)]
mod tests;

//! XPath 3.1's grammar, as far as Schematron's query bindings use it: every expression form of
//! XPath 2.0, plus `||`, `!` and `let`. Names are resolved as they are read: element and
//! attribute names through the schema's namespace prefixes, functions through the library, so
//! that an unknown prefix, function or type is an error here, before any document is checked.

use super::ast::*;
use super::functions::Function;
use super::lexer::{tokens, Tok, Token};
use super::value::{Atomic, AtomicType};
use super::{StaticContext, XPathError, XS};
use std::rc::Rc;

/// Parses `text` in `context`.
pub(crate) fn parse(text: &str, context: &StaticContext) -> Result<Expr, XPathError> {
    let mut parser = Parser {
        text,
        tokens: tokens(text)?,
        pos: 0,
        context,
        bound: Vec::new(),
        depth: 0,
    };
    let expr = parser.expr()?;
    if parser.peek() != &Tok::End {
        return Err(parser.unexpected("the end of the expression"));
    }
    Ok(expr)
}

struct Parser<'t, 'c> {
    text: &'t str,
    tokens: Vec<Token>,
    pos: usize,
    context: &'c StaticContext,
    /// Variables bound by `for`, `let`, `some`, `every` around the current point.
    bound: Vec<Rc<str>>,
    depth: usize,
}

/// Names that start a kind test rather than a function call.
const KIND_TESTS: &[&str] = &[
    "node",
    "text",
    "comment",
    "processing-instruction",
    "element",
    "attribute",
    "document-node",
    "schema-element",
    "schema-attribute",
    "namespace-node",
    "item",
    "empty-sequence",
];

impl Parser<'_, '_> {
    fn peek(&self) -> &Tok {
        &self.tokens[self.pos].kind
    }

    fn peek_at(&self, ahead: usize) -> &Tok {
        let at = (self.pos + ahead).min(self.tokens.len() - 1);
        &self.tokens[at].kind
    }

    fn at(&self) -> usize {
        self.tokens[self.pos].at
    }

    fn advance(&mut self) -> Tok {
        let t = self.tokens[self.pos].kind.clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn is_sym(&self, symbol: &str) -> bool {
        matches!(self.peek(), Tok::Sym(s) if *s == symbol)
    }

    fn is_name(&self, name: &str) -> bool {
        matches!(self.peek(), Tok::Name(n) if n == name)
    }

    fn eat_sym(&mut self, symbol: &str) -> bool {
        let found = self.is_sym(symbol);
        if found {
            self.advance();
        }
        found
    }

    fn eat_name(&mut self, name: &str) -> bool {
        let found = self.is_name(name);
        if found {
            self.advance();
        }
        found
    }

    fn expect_sym(&mut self, symbol: &str) -> Result<(), XPathError> {
        if self.eat_sym(symbol) {
            Ok(())
        } else {
            Err(self.unexpected(&format!("`{symbol}`")))
        }
    }

    fn expect_name(&mut self, name: &str) -> Result<(), XPathError> {
        if self.eat_name(name) {
            Ok(())
        } else {
            Err(self.unexpected(&format!("`{name}`")))
        }
    }

    fn unexpected(&self, expected: &str) -> XPathError {
        let found = match self.peek() {
            Tok::End => "the end".to_string(),
            Tok::Str(s) => format!("'{s}'"),
            Tok::Integer(n) => n.to_string(),
            Tok::Decimal(x) | Tok::Double(x) => x.to_string(),
            Tok::Name(n) => format!("`{n}`"),
            Tok::UriName(u, l) => format!("`Q{{{u}}}{l}`"),
            Tok::Var(v) => format!("`${v}`"),
            Tok::Sym(s) => format!("`{s}`"),
        };
        self.error(format!("expected {expected}, found {found}"))
    }

    fn error(&self, message: String) -> XPathError {
        XPathError::syntax(self.text, self.at(), message)
    }

    fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, XPathError>,
    ) -> Result<T, XPathError> {
        self.depth += 1;
        if self.depth > 200 {
            return Err(self.error("expression nested too deeply".into()));
        }
        let result = f(self);
        self.depth -= 1;
        result
    }

    /// `Expr ::= ExprSingle ("," ExprSingle)*`
    fn expr(&mut self) -> Result<Expr, XPathError> {
        let first = self.expr_single()?;
        if !self.is_sym(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_sym(",") {
            items.push(self.expr_single()?);
        }
        Ok(Expr::Sequence(items))
    }

    fn expr_single(&mut self) -> Result<Expr, XPathError> {
        self.nested(|p| {
            let keyword_then_var = matches!(p.peek_at(1), Tok::Var(_));
            match p.peek() {
                Tok::Name(n) if keyword_then_var && n == "for" => p.binding(Binding::For),
                Tok::Name(n) if keyword_then_var && n == "let" => p.binding(Binding::Let),
                Tok::Name(n) if keyword_then_var && n == "some" => p.binding(Binding::Some),
                Tok::Name(n) if keyword_then_var && n == "every" => p.binding(Binding::Every),
                Tok::Name(n) if n == "if" && matches!(p.peek_at(1), Tok::Sym("(")) => {
                    p.advance();
                    p.advance();
                    let condition = p.expr()?;
                    p.expect_sym(")")?;
                    p.expect_name("then")?;
                    let then = p.expr_single()?;
                    p.expect_name("else")?;
                    let otherwise = p.expr_single()?;
                    Ok(Expr::If(
                        Box::new(condition),
                        Box::new(then),
                        Box::new(otherwise),
                    ))
                }
                _ => p.or_expr(),
            }
        })
    }

    /// `for`, `let`, `some`, `every`: one or more bindings, then the body.
    fn binding(&mut self, kind: Binding) -> Result<Expr, XPathError> {
        self.advance();
        let mut clauses = Vec::new();
        loop {
            let name: Rc<str> = match self.advance() {
                Tok::Var(v) => v.into(),
                _ => return Err(self.unexpected("a variable")),
            };
            if kind == Binding::Let {
                self.expect_sym(":=")?;
            } else {
                self.expect_name("in")?;
            }
            let value = self.expr_single()?;
            self.bound.push(name.clone());
            clauses.push((name, value));
            if !self.eat_sym(",") {
                break;
            }
            if !matches!(self.peek(), Tok::Var(_)) {
                return Err(self.unexpected("a variable"));
            }
        }
        let keyword = match kind {
            Binding::For | Binding::Let => "return",
            Binding::Some | Binding::Every => "satisfies",
        };
        self.expect_name(keyword)?;
        let mut body = self.expr_single()?;
        for (name, value) in clauses.into_iter().rev() {
            self.bound.pop();
            body = match kind {
                Binding::For => Expr::For(name, Box::new(value), Box::new(body)),
                Binding::Let => Expr::Let(name, Box::new(value), Box::new(body)),
                Binding::Some => Expr::Quantified(false, name, Box::new(value), Box::new(body)),
                Binding::Every => Expr::Quantified(true, name, Box::new(value), Box::new(body)),
            };
        }
        Ok(body)
    }

    fn or_expr(&mut self) -> Result<Expr, XPathError> {
        let mut left = self.and_expr()?;
        while self.eat_name("or") {
            left = Expr::Or(Box::new(left), Box::new(self.and_expr()?));
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> Result<Expr, XPathError> {
        let mut left = self.comparison()?;
        while self.eat_name("and") {
            left = Expr::And(Box::new(left), Box::new(self.comparison()?));
        }
        Ok(left)
    }

    fn comparison(&mut self) -> Result<Expr, XPathError> {
        let left = self.concat()?;
        let general = |s: &str| match s {
            "=" => Some(Comparison::Eq),
            "!=" => Some(Comparison::Ne),
            "<" => Some(Comparison::Lt),
            "<=" => Some(Comparison::Le),
            ">" => Some(Comparison::Gt),
            ">=" => Some(Comparison::Ge),
            _ => None,
        };
        let value = |s: &str| match s {
            "eq" => Some(Comparison::Eq),
            "ne" => Some(Comparison::Ne),
            "lt" => Some(Comparison::Lt),
            "le" => Some(Comparison::Le),
            "gt" => Some(Comparison::Gt),
            "ge" => Some(Comparison::Ge),
            _ => None,
        };
        let built = match self.peek().clone() {
            Tok::Sym(s) if general(s).is_some() => {
                self.advance();
                let right = self.concat()?;
                Expr::General(
                    general(s).unwrap_or(Comparison::Eq),
                    Box::new(left),
                    Box::new(right),
                )
            }
            Tok::Sym(s) if s == "<<" || s == ">>" => {
                self.advance();
                let right = self.concat()?;
                let op = if s == "<<" {
                    NodeComparison::Precedes
                } else {
                    NodeComparison::Follows
                };
                Expr::Node(op, Box::new(left), Box::new(right))
            }
            Tok::Name(n) if value(&n).is_some() => {
                self.advance();
                let right = self.concat()?;
                Expr::Value(
                    value(&n).unwrap_or(Comparison::Eq),
                    Box::new(left),
                    Box::new(right),
                )
            }
            Tok::Name(n) if n == "is" => {
                self.advance();
                let right = self.concat()?;
                Expr::Node(NodeComparison::Is, Box::new(left), Box::new(right))
            }
            _ => left,
        };
        Ok(built)
    }

    fn concat(&mut self) -> Result<Expr, XPathError> {
        let mut left = self.range()?;
        while self.eat_sym("||") {
            left = Expr::Concat(Box::new(left), Box::new(self.range()?));
        }
        Ok(left)
    }

    fn range(&mut self) -> Result<Expr, XPathError> {
        let left = self.additive()?;
        if self.eat_name("to") {
            return Ok(Expr::Range(Box::new(left), Box::new(self.additive()?)));
        }
        Ok(left)
    }

    fn additive(&mut self) -> Result<Expr, XPathError> {
        let mut left = self.multiplicative()?;
        loop {
            let op = if self.eat_sym("+") {
                Arithmetic::Add
            } else if self.eat_sym("-") {
                Arithmetic::Subtract
            } else {
                return Ok(left);
            };
            left = Expr::Arithmetic(op, Box::new(left), Box::new(self.multiplicative()?));
        }
    }

    fn multiplicative(&mut self) -> Result<Expr, XPathError> {
        let mut left = self.union()?;
        loop {
            let op = if self.eat_sym("*") {
                Arithmetic::Multiply
            } else if self.eat_name("div") {
                Arithmetic::Divide
            } else if self.eat_name("idiv") {
                Arithmetic::IntegerDivide
            } else if self.eat_name("mod") {
                Arithmetic::Modulo
            } else {
                return Ok(left);
            };
            left = Expr::Arithmetic(op, Box::new(left), Box::new(self.union()?));
        }
    }

    fn union(&mut self) -> Result<Expr, XPathError> {
        let mut left = self.intersect()?;
        while self.eat_sym("|") || self.eat_name("union") {
            left = Expr::Union(Box::new(left), Box::new(self.intersect()?));
        }
        Ok(left)
    }

    fn intersect(&mut self) -> Result<Expr, XPathError> {
        let mut left = self.instance_of()?;
        loop {
            if self.eat_name("intersect") {
                left = Expr::Intersect(Box::new(left), Box::new(self.instance_of()?));
            } else if self.eat_name("except") {
                left = Expr::Except(Box::new(left), Box::new(self.instance_of()?));
            } else {
                return Ok(left);
            }
        }
    }

    fn instance_of(&mut self) -> Result<Expr, XPathError> {
        let left = self.treat()?;
        if self.is_name("instance") && matches!(self.peek_at(1), Tok::Name(n) if n == "of") {
            self.advance();
            self.advance();
            return Ok(Expr::InstanceOf(Box::new(left), self.sequence_type()?));
        }
        Ok(left)
    }

    fn treat(&mut self) -> Result<Expr, XPathError> {
        let left = self.castable()?;
        if self.is_name("treat") && matches!(self.peek_at(1), Tok::Name(n) if n == "as") {
            self.advance();
            self.advance();
            return Ok(Expr::Treat(Box::new(left), self.sequence_type()?));
        }
        Ok(left)
    }

    fn castable(&mut self) -> Result<Expr, XPathError> {
        let left = self.cast()?;
        if self.is_name("castable") && matches!(self.peek_at(1), Tok::Name(n) if n == "as") {
            self.advance();
            self.advance();
            let (target, optional) = self.single_type()?;
            return Ok(Expr::Castable(Box::new(left), target, optional));
        }
        Ok(left)
    }

    fn cast(&mut self) -> Result<Expr, XPathError> {
        let left = self.arrow()?;
        if self.is_name("cast") && matches!(self.peek_at(1), Tok::Name(n) if n == "as") {
            self.advance();
            self.advance();
            let (target, optional) = self.single_type()?;
            return Ok(Expr::Cast(Box::new(left), target, optional));
        }
        Ok(left)
    }

    /// `a => f(b)` is `f(a, b)`.
    fn arrow(&mut self) -> Result<Expr, XPathError> {
        let mut left = self.unary()?;
        while self.eat_sym("=>") {
            let at = self.at();
            let name = match self.advance() {
                Tok::Name(n) => n,
                _ => return Err(self.unexpected("a function name")),
            };
            self.expect_sym("(")?;
            let mut args = vec![left];
            args.extend(self.arguments()?);
            left = self.call(&name, args, at)?;
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, XPathError> {
        let mut negate = false;
        let mut signed = false;
        loop {
            if self.eat_sym("-") {
                negate = !negate;
                signed = true;
            } else if self.eat_sym("+") {
                signed = true;
            } else {
                break;
            }
        }
        let operand = self.simple_map()?;
        Ok(match (signed, negate) {
            (false, _) => operand,
            (true, true) => Expr::Negate(Box::new(operand)),
            // `+x` is x as a number.
            (true, false) => Expr::Arithmetic(
                Arithmetic::Add,
                Box::new(Expr::Literal(Atomic::Integer(0))),
                Box::new(operand),
            ),
        })
    }

    fn simple_map(&mut self) -> Result<Expr, XPathError> {
        let mut left = self.path()?;
        while self.is_sym("!") && !matches!(self.peek_at(1), Tok::Sym("=")) {
            self.advance();
            left = Expr::Map(Box::new(left), Box::new(self.path()?));
        }
        Ok(left)
    }

    /// Whether the current token can start a relative path (after a leading `/`).
    fn starts_step(&self) -> bool {
        match self.peek() {
            Tok::Name(n) => {
                !matches!(
                    n.as_str(),
                    "and"
                        | "or"
                        | "div"
                        | "idiv"
                        | "mod"
                        | "eq"
                        | "ne"
                        | "lt"
                        | "le"
                        | "gt"
                        | "ge"
                        | "is"
                        | "to"
                        | "union"
                        | "intersect"
                        | "except"
                        | "instance"
                        | "treat"
                        | "castable"
                        | "cast"
                        | "return"
                        | "satisfies"
                        | "then"
                        | "else"
                        | "in"
                ) || matches!(self.peek_at(1), Tok::Sym("(" | "::" | "/" | "//" | "["))
                    || matches!(self.peek_at(1), Tok::End)
            }
            Tok::UriName(..) | Tok::Str(_) | Tok::Var(_) => true,
            Tok::Integer(_) | Tok::Decimal(_) | Tok::Double(_) => true,
            Tok::Sym(s) => matches!(*s, "@" | "*" | "." | ".." | "("),
            Tok::End => false,
        }
    }

    fn path(&mut self) -> Result<Expr, XPathError> {
        if self.eat_sym("/") {
            let mut steps = Vec::new();
            if self.starts_step() {
                self.relative_path(&mut steps)?;
            }
            return Ok(Expr::Path(Box::new(Path {
                start: Start::Root,
                steps,
            })));
        }
        if self.eat_sym("//") {
            let mut steps = vec![descendant_or_self()];
            self.relative_path(&mut steps)?;
            return Ok(Expr::Path(Box::new(Path {
                start: Start::Root,
                steps,
            })));
        }
        let at = self.at();
        let mut steps = Vec::new();
        self.relative_path(&mut steps)?;
        if let Some(Step::Expr(Expr::Call(Function::AnalyzeStringMatches, _))) = steps.first() {
            return self.analyze_string(steps, at);
        }
        if steps.len() == 1 {
            if let Step::Expr(_) = &steps[0] {
                if let Some(Step::Expr(e)) = steps.pop() {
                    return Ok(e);
                }
            }
        }
        Ok(Expr::Path(Box::new(Path {
            start: Start::Context,
            steps,
        })))
    }

    /// `analyze-string(…)/fn:match` or `/fn:non-match`: the matched (or unmatched) substrings,
    /// the one use of the function's element result supported.
    fn analyze_string(&self, mut steps: Vec<Step>, at: usize) -> Result<Expr, XPathError> {
        let which = match steps.get(1) {
            Some(Step::Axis {
                axis: Axis::Child,
                test:
                    NodeTest::Name(NameTest {
                        namespace: Some(ns),
                        local: Some(local),
                    }),
                predicates,
            }) if **ns == *super::FN && predicates.is_empty() && steps.len() == 2 => match &**local
            {
                "match" => Some(Function::AnalyzeStringMatches),
                "non-match" => Some(Function::AnalyzeStringNonMatches),
                _ => None,
            },
            _ => None,
        };
        match (which, steps.swap_remove(0)) {
            (Some(f), Step::Expr(Expr::Call(_, args))) => Ok(Expr::Call(f, args)),
            _ => Err(XPathError::syntax(
                self.text,
                at,
                "analyze-string() is supported only as analyze-string(…)/fn:match or /fn:non-match"
                    .into(),
            )),
        }
    }

    fn relative_path(&mut self, steps: &mut Vec<Step>) -> Result<(), XPathError> {
        steps.push(self.step()?);
        loop {
            if self.eat_sym("/") {
                steps.push(self.step()?);
            } else if self.eat_sym("//") {
                let step = self.step()?;
                // `//x[test]` is `descendant::x[test]` where no predicate counts positions:
                // one walk instead of every node's children.
                match step {
                    Step::Axis {
                        axis: Axis::Child,
                        test,
                        predicates,
                    } if predicates.iter().all(is_positionless) => steps.push(Step::Axis {
                        axis: Axis::Descendant,
                        test,
                        predicates,
                    }),
                    step => {
                        steps.push(descendant_or_self());
                        steps.push(step);
                    }
                }
            } else {
                return Ok(());
            }
        }
    }

    fn step(&mut self) -> Result<Step, XPathError> {
        if self.eat_sym("..") {
            return Ok(Step::Axis {
                axis: Axis::Parent,
                test: NodeTest::AnyNode,
                predicates: Vec::new(),
            });
        }
        if self.eat_sym("@") {
            let test = self.node_test(Axis::Attribute)?;
            return self.axis_step(Axis::Attribute, test);
        }
        if let Tok::Name(n) = self.peek().clone() {
            if matches!(self.peek_at(1), Tok::Sym("::")) {
                let axis = Axis::from_name(&n).ok_or_else(|| {
                    if n == "namespace" {
                        self.error("the namespace axis is not supported".into())
                    } else {
                        self.error(format!("unknown axis `{n}`"))
                    }
                })?;
                self.advance();
                self.advance();
                let test = self.node_test(axis)?;
                return self.axis_step(axis, test);
            }
            let kind_test =
                KIND_TESTS.contains(&n.as_str()) && matches!(self.peek_at(1), Tok::Sym("("));
            let call = matches!(self.peek_at(1), Tok::Sym("("))
                || matches!(self.peek_at(1), Tok::Sym("#"));
            if kind_test || !call {
                let axis = if matches!(self.peek(), Tok::Name(n) if n == "attribute") && kind_test {
                    Axis::Attribute
                } else {
                    Axis::Child
                };
                let test = self.node_test(axis)?;
                return self.axis_step(axis, test);
            }
        }
        if let Tok::UriName(..) = self.peek() {
            if !matches!(self.peek_at(1), Tok::Sym("(")) {
                let test = self.node_test(Axis::Child)?;
                return self.axis_step(Axis::Child, test);
            }
        }
        if self.is_sym("*") {
            let test = self.node_test(Axis::Child)?;
            return self.axis_step(Axis::Child, test);
        }
        let primary = self.primary()?;
        let predicates = self.predicates()?;
        if matches!(primary, Expr::Call(Function::AnalyzeStringMatches, _))
            && !predicates.is_empty()
        {
            return Err(self.error(
                "analyze-string() is supported only as analyze-string(…)/fn:match or /fn:non-match"
                    .into(),
            ));
        }
        Ok(Step::Expr(if predicates.is_empty() {
            primary
        } else {
            Expr::Filter(Box::new(primary), predicates)
        }))
    }

    fn axis_step(&mut self, axis: Axis, test: NodeTest) -> Result<Step, XPathError> {
        let predicates = self.predicates()?;
        Ok(Step::Axis {
            axis,
            test,
            predicates,
        })
    }

    fn predicates(&mut self) -> Result<Vec<Expr>, XPathError> {
        let mut predicates = Vec::new();
        while self.eat_sym("[") {
            predicates.push(self.expr()?);
            self.expect_sym("]")?;
        }
        Ok(predicates)
    }

    /// A name test or a kind test.
    fn node_test(&mut self, axis: Axis) -> Result<NodeTest, XPathError> {
        let attribute = axis == Axis::Attribute;
        match self.peek().clone() {
            Tok::Sym("*") => {
                self.advance();
                Ok(NodeTest::Name(NameTest {
                    namespace: None,
                    local: None,
                }))
            }
            Tok::UriName(uri, local) => {
                self.advance();
                Ok(NodeTest::Name(NameTest {
                    namespace: Some(uri.into()),
                    local: (local != "*").then(|| local.into()),
                }))
            }
            Tok::Name(n)
                if KIND_TESTS.contains(&n.as_str()) && matches!(self.peek_at(1), Tok::Sym("(")) =>
            {
                self.advance();
                self.advance();
                self.kind_test(&n)
            }
            Tok::Name(n) => {
                self.advance();
                Ok(NodeTest::Name(self.name_test(&n, attribute)?))
            }
            _ => Err(self.unexpected("a name or a node test")),
        }
    }

    /// After `kind(`: the rest of a kind test, to its `)`.
    fn kind_test(&mut self, kind: &str) -> Result<NodeTest, XPathError> {
        let test = match kind {
            "node" => NodeTest::AnyNode,
            "text" => NodeTest::Text,
            "comment" => NodeTest::Comment,
            "document-node" => {
                if self.is_name("element") {
                    return Err(self.error("document-node(element(…)) is not supported".into()));
                }
                NodeTest::Document
            }
            "processing-instruction" => match self.peek().clone() {
                Tok::Name(n) => {
                    self.advance();
                    NodeTest::ProcessingInstruction(Some(n.into()))
                }
                Tok::Str(s) => {
                    self.advance();
                    NodeTest::ProcessingInstruction(Some(s.trim().into()))
                }
                _ => NodeTest::ProcessingInstruction(None),
            },
            "element" | "attribute" => {
                let attribute = kind == "attribute";
                let name = match self.peek().clone() {
                    Tok::Sym("*") => {
                        self.advance();
                        None
                    }
                    Tok::Name(n) => {
                        self.advance();
                        Some(self.name_test(&n, attribute)?)
                    }
                    _ => None,
                };
                if self.eat_sym(",") {
                    // A type name: only the untyped annotations a schema-less document has.
                    match self.advance() {
                        Tok::Name(t)
                            if t.ends_with(":untyped")
                                || t.ends_with(":anyType")
                                || t.ends_with(":untypedAtomic")
                                || t.ends_with(":anyAtomicType") => {}
                        _ => {
                            return Err(self
                                .error("type annotations in kind tests are not supported".into()))
                        }
                    }
                    self.eat_sym("?");
                }
                if attribute {
                    NodeTest::Attribute(name)
                } else {
                    NodeTest::Element(name)
                }
            }
            other => return Err(self.error(format!("`{other}()` is not supported"))),
        };
        self.expect_sym(")")?;
        Ok(test)
    }

    /// A lexical name test (`tei:p`, `p`, `tei:*`, `*:p`) resolved through the namespaces.
    fn name_test(&self, name: &str, attribute: bool) -> Result<NameTest, XPathError> {
        if let Some(local) = name.strip_prefix("*:") {
            return Ok(NameTest {
                namespace: None,
                local: Some(local.into()),
            });
        }
        match name.split_once(':') {
            Some((prefix, local)) => {
                let uri = self.namespace(prefix)?;
                Ok(NameTest {
                    namespace: Some(uri),
                    local: (local != "*").then(|| local.into()),
                })
            }
            // Unprefixed names are in no namespace (XPath's default element namespace is
            // none in Schematron), attributes always.
            None => {
                let _ = attribute;
                Ok(NameTest {
                    namespace: Some("".into()),
                    local: Some(name.into()),
                })
            }
        }
    }

    fn namespace(&self, prefix: &str) -> Result<Rc<str>, XPathError> {
        if prefix == "xml" {
            return Ok(crate::base::ns::XML.into());
        }
        self.context.namespace(prefix).map(Rc::from).ok_or_else(|| {
            self.error(format!(
                "the prefix `{prefix}` is not declared (an `ns` element binds it)"
            ))
        })
    }

    fn primary(&mut self) -> Result<Expr, XPathError> {
        let at = self.at();
        match self.advance() {
            Tok::Str(s) => Ok(Expr::Literal(Atomic::String(s.into()))),
            Tok::Integer(n) => Ok(Expr::Literal(Atomic::Integer(n))),
            Tok::Decimal(x) => Ok(Expr::Literal(Atomic::Decimal(x))),
            Tok::Double(x) => Ok(Expr::Literal(Atomic::Double(x))),
            Tok::Var(v) => {
                let known = self.bound.iter().any(|b| **b == *v) || self.context.has_variable(&v);
                if !known {
                    self.pos -= 1;
                    return Err(self.error(format!("the variable `${v}` is not declared")));
                }
                Ok(Expr::Var(v.into()))
            }
            Tok::Sym("(") => {
                if self.eat_sym(")") {
                    return Ok(Expr::Sequence(Vec::new()));
                }
                let inner = self.expr()?;
                self.expect_sym(")")?;
                // Parentheses keep a sequence whole: `(a, b)[1]`.
                Ok(match inner {
                    e @ Expr::Sequence(_) => e,
                    other => Expr::Sequence(vec![other]),
                })
            }
            Tok::Sym(".") => Ok(Expr::ContextItem),
            Tok::Name(name) => {
                if self.is_sym("#") {
                    return Err(
                        self.error("function references (`name#arity`) are not supported".into())
                    );
                }
                self.expect_sym("(")?;
                let args = self.arguments()?;
                self.call(&name, args, at)
            }
            Tok::UriName(uri, local) => {
                self.expect_sym("(")?;
                let args = self.arguments()?;
                self.call_resolved(&uri, &local, args, at)
            }
            _ => {
                self.pos -= 1;
                Err(self.unexpected("an expression"))
            }
        }
    }

    /// After `(`: arguments to `)`.
    fn arguments(&mut self) -> Result<Vec<Expr>, XPathError> {
        let mut args = Vec::new();
        if self.eat_sym(")") {
            return Ok(args);
        }
        loop {
            if self.is_sym("?") {
                return Err(
                    self.error("partial function application (`?`) is not supported".into())
                );
            }
            args.push(self.expr_single()?);
            if self.eat_sym(")") {
                return Ok(args);
            }
            self.expect_sym(",")?;
        }
    }

    fn call(&self, name: &str, args: Vec<Expr>, at: usize) -> Result<Expr, XPathError> {
        let (uri, local): (Rc<str>, &str) = match name.split_once(':') {
            Some((prefix, local)) => (self.namespace_at(prefix, at)?, local),
            None => (super::FN.into(), name),
        };
        self.call_resolved(&uri, local, args, at)
    }

    fn namespace_at(&self, prefix: &str, at: usize) -> Result<Rc<str>, XPathError> {
        match prefix {
            "fn" => Ok(super::FN.into()),
            "xs" if self.context.namespace("xs").is_none() => Ok(XS.into()),
            _ => self.context.namespace(prefix).map(Rc::from).ok_or_else(|| {
                XPathError::syntax(
                    self.text,
                    at,
                    format!("the prefix `{prefix}` is not declared (an `ns` element binds it)"),
                )
            }),
        }
    }

    fn call_resolved(
        &self,
        uri: &str,
        local: &str,
        args: Vec<Expr>,
        at: usize,
    ) -> Result<Expr, XPathError> {
        if uri == XS {
            let target = AtomicType::from_local_name(local).ok_or_else(|| {
                XPathError::syntax(self.text, at, format!("unknown type `xs:{local}`"))
            })?;
            if args.len() != 1 {
                return Err(XPathError::syntax(
                    self.text,
                    at,
                    format!("`xs:{local}` takes one argument"),
                ));
            }
            return Ok(Expr::Cast(
                Box::new(args.into_iter().next().unwrap_or(Expr::ContextItem)),
                target,
                true,
            ));
        }
        if uri == super::FN {
            if local == "analyze-string" && (2..=3).contains(&args.len()) {
                // Completed, or refused, by the path it starts (`analyze_string`).
                return Ok(Expr::Call(Function::AnalyzeStringMatches, args));
            }
            if let Some(f) = Function::resolve(local, args.len()) {
                return Ok(Expr::Call(f, args));
            }
            let message = if Function::resolve_any_arity(local) {
                format!("`{local}()` does not take {} arguments", args.len())
            } else {
                format!("the function `{local}()` is not supported")
            };
            return Err(XPathError::syntax(self.text, at, message));
        }
        if let Some(user) = self.context.function(uri, local, args.len()) {
            return Ok(Expr::Call(Function::User(user), args));
        }
        Err(XPathError::syntax(
            self.text,
            at,
            format!(
                "the function `Q{{{uri}}}{local}#{}` is not declared",
                args.len()
            ),
        ))
    }

    fn single_type(&mut self) -> Result<(AtomicType, bool), XPathError> {
        let t = self.atomic_type()?;
        let optional = self.eat_sym("?");
        Ok((t, optional))
    }

    fn atomic_type(&mut self) -> Result<AtomicType, XPathError> {
        let at = self.at();
        let (uri, local) = match self.advance() {
            Tok::Name(n) => match n.split_once(':') {
                Some((prefix, local)) => (
                    self.namespace_at(prefix, at)?.to_string(),
                    local.to_string(),
                ),
                None => (String::new(), n),
            },
            Tok::UriName(u, l) => (u, l),
            _ => {
                self.pos -= 1;
                return Err(self.unexpected("a type name"));
            }
        };
        if uri != XS {
            return Err(XPathError::syntax(
                self.text,
                at,
                format!("unknown type `{local}`"),
            ));
        }
        AtomicType::from_local_name(&local)
            .ok_or_else(|| XPathError::syntax(self.text, at, format!("unknown type `xs:{local}`")))
    }

    fn sequence_type(&mut self) -> Result<SequenceType, XPathError> {
        if self.is_name("empty-sequence") && matches!(self.peek_at(1), Tok::Sym("(")) {
            self.advance();
            self.advance();
            self.expect_sym(")")?;
            return Ok(SequenceType {
                item: None,
                occurrence: Occurrence::Optional,
            });
        }
        let item = match self.peek().clone() {
            Tok::Name(n) if n == "item" && matches!(self.peek_at(1), Tok::Sym("(")) => {
                self.advance();
                self.advance();
                self.expect_sym(")")?;
                ItemType::Item
            }
            Tok::Name(n)
                if KIND_TESTS.contains(&n.as_str()) && matches!(self.peek_at(1), Tok::Sym("(")) =>
            {
                self.advance();
                self.advance();
                ItemType::Node(self.kind_test(&n)?)
            }
            _ => ItemType::Atomic(self.atomic_type()?),
        };
        let occurrence = if self.eat_sym("?") {
            Occurrence::Optional
        } else if self.eat_sym("*") {
            Occurrence::Many
        } else if self.eat_sym("+") {
            Occurrence::OneOrMore
        } else {
            Occurrence::One
        };
        Ok(SequenceType {
            item: Some(item),
            occurrence,
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Binding {
    For,
    Let,
    Some,
    Every,
}

/// Whether a predicate's truth is the same whatever the node's position: a test (never a
/// number) that names neither `position()` nor `last()` anywhere (looked for in its debug form,
/// which names every function it calls — conservative, and read once at compile time).
fn is_positionless(predicate: &Expr) -> bool {
    let written = format!("{predicate:?}");
    super::eval::is_boolean_valued(predicate)
        && !written.contains("Call(Position")
        && !written.contains("Call(Last")
}

fn descendant_or_self() -> Step {
    Step::Axis {
        axis: Axis::DescendantOrSelf,
        test: NodeTest::AnyNode,
        predicates: Vec::new(),
    }
}

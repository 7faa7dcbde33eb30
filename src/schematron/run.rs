//! Checking a document: every node in document order, each pattern's first matching rule,
//! its variables, its assertions, their messages.

use super::{CheckKind, CompiledPattern, Message, Piece, Schematron};
use crate::base::diagnostic::Severity;
use crate::xpath::{Env, Evaluator, Focus, Item, Sequence, Value, XNode};
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// A failed `assert` or a successful `report`, or an assertion that could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Where the node it fired on starts in the document's text (an attribute: its name).
    pub offset: usize,
    /// The assertion's id (its `id`, or its pattern's and its number in the pattern:
    /// `pattern-id#2`).
    pub id: String,
    /// The node, as SVRL locates it: `fn:path()` (`/Q{ns}TEI[1]/Q{ns}text[1]/@n`), with
    /// XSLT 2's `@Q{}n` for an attribute in no namespace under the `xslt2`/`xpath2` bindings,
    /// as SchXslt writes them.
    pub location: String,
    /// The element it concerns as reports write paths (`/TEI/text/body/div[2]`; an
    /// attribute's element, a text's parent).
    pub element_path: String,
    /// Its pattern's id, if the pattern has one.
    pub pattern: Option<String>,
    /// Assert or report.
    pub kind: CheckKind,
    /// Its `role`.
    pub role: Option<String>,
    /// Its `flag`.
    pub flag: Option<String>,
    /// Error or warning, from its role (or its rule's).
    pub severity: Severity,
    /// The message, rendered, whitespace collapsed; diagnostics appended.
    pub message: String,
    /// The test as written.
    pub test: String,
    /// Where the assertion stands in the schema.
    pub schema_file: PathBuf,
    /// Its line there.
    pub schema_line: u32,
    /// The test could not be evaluated here: `message` says why.
    pub failed_to_evaluate: bool,
}

/// The severity a `role` means: `warn`, `warning`, `nonfatal`, `info`, `information` are
/// warnings; `error`, `fatal`, any other and none are errors.
pub fn severity_of_role(role: Option<&str>) -> Severity {
    match role.map(str::to_ascii_lowercase).as_deref() {
        Some("warn" | "warning" | "nonfatal" | "info" | "information" | "informational") => {
            Severity::Warning
        }
        _ => Severity::Error,
    }
}

/// Which rules can match which nodes, in (pattern, rule) order.
#[derive(Debug, Default)]
pub(crate) struct Dispatch {
    by_name: FxHashMap<Rc<str>, Vec<(u32, u32)>>,
    any: Vec<(u32, u32)>,
    attributes: Vec<(u32, u32)>,
}

impl Dispatch {
    pub(crate) fn new(patterns: &[CompiledPattern]) -> Self {
        use crate::xpath::Candidates;
        let mut dispatch = Dispatch::default();
        for (p, pattern) in patterns.iter().enumerate() {
            for (r, rule) in pattern.rules.iter().enumerate() {
                let key = (p as u32, r as u32);
                match rule.context.candidates() {
                    Candidates::Elements(names) => {
                        for name in names {
                            let list = dispatch.by_name.entry(name).or_default();
                            if list.last() != Some(&key) {
                                list.push(key);
                            }
                        }
                    }
                    Candidates::Attributes => dispatch.attributes.push(key),
                    Candidates::Any => dispatch.any.push(key),
                }
            }
        }
        dispatch
    }

    /// The rules that can match `node`, merged in order into `out`.
    fn candidates(&self, node: XNode, out: &mut Vec<(u32, u32)>) {
        out.clear();
        let specific: &[(u32, u32)] = if node.is_element() {
            self.by_name
                .get(node.local_name())
                .map_or(&[], Vec::as_slice)
        } else if node.kind() == crate::xpath::NodeKind::Attribute {
            &self.attributes
        } else {
            &[]
        };
        let (mut i, mut j) = (0, 0);
        while i < specific.len() || j < self.any.len() {
            let take_specific =
                j >= self.any.len() || (i < specific.len() && specific[i] < self.any[j]);
            if take_specific {
                out.push(specific[i]);
                i += 1;
            } else {
                out.push(self.any[j]);
                j += 1;
            }
        }
    }
}

type Bindings<'a, 'i> = Vec<(Rc<str>, Rc<Sequence<'a, 'i>>)>;

impl Schematron {
    /// Checks `doc`, read from `base` (for `base-uri()` and `doc()`): its findings, in document
    /// order, each assertion's evaluation errors reported once (at its first node).
    pub fn check(&self, doc: &roxmltree::Document, base: Option<&Path>) -> Vec<Finding> {
        self.run(doc, base).findings
    }

    /// [`Schematron::check`], and how many times a rule fired (as SVRL counts `fired-rule`).
    pub fn run(&self, doc: &roxmltree::Document, base: Option<&Path>) -> Checked {
        let evaluator = Evaluator::new(doc, &self.functions, base.map(Path::to_path_buf))
            .with_static_base(&self.source);
        let root = XNode::of(doc.root());
        let mut run = Run {
            schema: self,
            evaluator: &evaluator,
            env: Env::default(),
            findings: Vec::new(),
            failed: FxHashMap::default(),
            fired: 0,
        };
        // The schema's variables, then each pattern's, with the document node as context.
        for v in &self.globals {
            let value = run.evaluate(&v.value, root, v.name.as_ref(), self.source.as_path());
            run.env.bind(v.name.clone(), value);
        }
        let mut pattern_bindings: Vec<Bindings> = Vec::with_capacity(self.patterns.len());
        for p in &self.patterns {
            let mut bound = Vec::new();
            for v in &p.variables {
                let value = run.evaluate(&v.value, root, v.name.as_ref(), self.source.as_path());
                run.env.bind(v.name.clone(), value.clone());
                bound.push((v.name.clone(), value));
            }
            run.env.unbind(bound.len());
            pattern_bindings.push(bound);
        }
        let mut candidates = Vec::new();
        for node in doc.descendants() {
            let x = XNode::of(node);
            run.visit(x, &pattern_bindings, &mut candidates);
            if node.is_element() {
                for i in 0..node.attributes().len() {
                    run.visit(
                        XNode::attribute_of(node, i),
                        &pattern_bindings,
                        &mut candidates,
                    );
                }
            }
        }
        let mut findings = run.findings;
        for finding in findings.iter_mut().filter(|f| f.failed_to_evaluate) {
            if let Some(more) = run.failed.get(&finding.id).filter(|n| **n > 1) {
                finding
                    .message
                    .push_str(&format!(" (and at {} more nodes)", more - 1));
            }
        }
        findings.sort_by_key(|f| f.offset);
        Checked {
            findings,
            fired_rules: run.fired,
        }
    }
}

/// What a run found.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The findings, in document order.
    pub findings: Vec<Finding>,
    /// How many times a rule fired on a node.
    pub fired_rules: usize,
}

struct Run<'s, 'e, 'a, 'i> {
    schema: &'s Schematron,
    evaluator: &'e Evaluator<'a, 'i>,
    env: Env<'a, 'i>,
    findings: Vec<Finding>,
    /// Assertions that failed to evaluate, and at how many nodes.
    failed: FxHashMap<String, usize>,
    fired: usize,
}

impl<'a, 'i> Run<'_, '_, 'a, 'i> {
    /// A variable's value; an error is reported at the document's start and the variable is
    /// empty.
    fn evaluate(
        &mut self,
        value: &crate::xpath::XPath,
        node: XNode<'a, 'i>,
        name: &str,
        file: &Path,
    ) -> Rc<Sequence<'a, 'i>> {
        match value.evaluate(self.evaluator, &Focus::node(node), &mut self.env) {
            Ok(v) => v.into_rc(),
            Err(e) => {
                let message = format!("the variable `${name}` could not be evaluated: {e}");
                self.fail(node, &format!("${name}"), None, message, file, 0);
                Rc::new(Vec::new())
            }
        }
    }

    fn visit(
        &mut self,
        node: XNode<'a, 'i>,
        pattern_bindings: &[Bindings<'a, 'i>],
        candidates: &mut Vec<(u32, u32)>,
    ) {
        self.schema.dispatch.candidates(node, candidates);
        let mut fired_pattern = None;
        for &(p, r) in candidates.iter() {
            if fired_pattern == Some(p) {
                continue;
            }
            let pattern = &self.schema.patterns[p as usize];
            let rule = &pattern.rules[r as usize];
            let bound = &pattern_bindings[p as usize];
            for (name, value) in bound {
                self.env.bind(name.clone(), value.clone());
            }
            self.env.current = Some(node);
            let matched = rule.context.matches(self.evaluator, node, &mut self.env);
            // An error while matching a pattern means no match (XSLT 3.0, 6.3).
            let matched = matched.unwrap_or(false);
            if matched {
                fired_pattern = Some(p);
                self.fired += 1;
                self.fire(node, pattern, r as usize);
            }
            self.env.unbind(bound.len());
        }
    }

    fn fire(&mut self, node: XNode<'a, 'i>, pattern: &CompiledPattern, r: usize) {
        let rule = &pattern.rules[r];
        let focus = Focus::node(node);
        let mut bound = 0;
        for v in &rule.variables {
            let value = match v.value.evaluate(self.evaluator, &focus, &mut self.env) {
                Ok(value) => value.into_rc(),
                Err(e) => {
                    let id = format!("${}", v.name);
                    let message = format!("could not evaluate {id} here: {e}");
                    let schema = self.schema;
                    self.fail(node, &id, pattern.id.clone(), message, &schema.source, 0);
                    Rc::new(Vec::new())
                }
            };
            self.env.bind(v.name.clone(), value);
            bound += 1;
        }
        for check in &rule.checks {
            let holds = match check.test.test(self.evaluator, &focus, &mut self.env) {
                Ok(h) => h,
                Err(e) => {
                    let message = format!("could not evaluate {} here: {e}", check.id);
                    self.fail(
                        node,
                        &check.id,
                        pattern.id.clone(),
                        message,
                        &check.file,
                        check.line,
                    );
                    continue;
                }
            };
            let fires = match check.kind {
                CheckKind::Assert => !holds,
                CheckKind::Report => holds,
            };
            if !fires {
                continue;
            }
            let mut message = self.render(&check.message, node);
            for d in &check.diagnostics {
                if let Some(diagnostic) = self.schema.diagnostics.get(d) {
                    let text = self.render(diagnostic, node);
                    if !text.is_empty() {
                        message.push_str(" — ");
                        message.push_str(&text);
                    }
                }
            }
            // SVRL reports the assertion's own role; its severity falls back on the rule's.
            let role = check.role.clone();
            let severity = severity_of_role(role.as_deref().or(rule.role.as_deref()));
            self.findings.push(Finding {
                offset: node.offset(),
                location: self.schema.location(node),
                element_path: element_path(node),
                id: check.id.clone(),
                pattern: pattern.id.clone(),
                kind: check.kind,
                severity,
                role,
                flag: check.flag.clone(),
                message,
                test: check.test_text.clone(),
                schema_file: check.file.clone(),
                schema_line: check.line,
                failed_to_evaluate: false,
            });
        }
        self.env.unbind(bound);
    }

    /// An assertion, rule or variable that could not be evaluated at `node`: reported once,
    /// at the first node, with how many more the message says at the end of the run.
    fn fail(
        &mut self,
        node: XNode<'a, 'i>,
        id: &str,
        pattern: Option<String>,
        message: String,
        file: &Path,
        line: u32,
    ) {
        let count = self.failed.entry(id.to_string()).or_insert(0);
        *count += 1;
        if *count > 1 {
            return;
        }
        self.findings.push(Finding {
            offset: node.offset(),
            location: self.schema.location(node),
            element_path: element_path(node),
            id: id.to_string(),
            pattern,
            kind: CheckKind::Assert,
            role: None,
            flag: None,
            severity: Severity::Error,
            message,
            test: String::new(),
            schema_file: file.to_path_buf(),
            schema_line: line,
            failed_to_evaluate: true,
        });
    }

    /// A message's text, `value-of` and `name` filled in, whitespace collapsed.
    fn render(&mut self, message: &Message, node: XNode<'a, 'i>) -> String {
        let focus = Focus::node(node);
        let mut text = String::new();
        for piece in &message.pieces {
            match piece {
                Piece::Text(t) => text.push_str(t),
                Piece::ValueOf(x) => match x.evaluate(self.evaluator, &focus, &mut self.env) {
                    Ok(v) => text.push_str(&join(&v)),
                    Err(e) => text.push_str(&format!("[value-of failed: {e}]")),
                },
                Piece::Name(None) => text.push_str(&node.name()),
                Piece::Name(Some(x)) => match x.evaluate(self.evaluator, &focus, &mut self.env) {
                    Ok(v) => {
                        if let Some(Item::Node(n)) = v.first() {
                            text.push_str(&n.name());
                        }
                    }
                    Err(e) => text.push_str(&format!("[name failed: {e}]")),
                },
            }
        }
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

impl Schematron {
    /// A node's SVRL location under this schema's query binding.
    fn location(&self, node: XNode) -> String {
        let path = node.path();
        if !self.xpath2
            || node.kind() != crate::xpath::NodeKind::Attribute
            || !node.namespace().is_empty()
        {
            return path;
        }
        match path.rsplit_once("/@") {
            Some((element, name)) => format!("{element}/@Q{{}}{name}"),
            None => path,
        }
    }
}

/// The path of the element a node is or belongs to, `/@name` added for an attribute.
fn element_path(node: XNode) -> String {
    let element = node.tree_node();
    let path = crate::base::path::of_node(element);
    match node.attribute() {
        Some(_) => format!("{path}/@{}", node.name()),
        None => path,
    }
}

/// A sequence as `xsl:value-of` writes it: items' strings separated by spaces.
fn join(v: &Value) -> String {
    v.iter().map(Item::string).collect::<Vec<_>>().join(" ")
}

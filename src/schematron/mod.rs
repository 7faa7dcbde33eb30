//! ISO Schematron: the constraints half of TEI validation, run natively.
//!
//! A schema comes from a standalone `.sch` file ([`Schematron::load`]) or from the patterns a
//! RELAX NG schema embeds in the `sch:` namespace, as TEI's `constraintSpec`s do in
//! `tei_all.rng` ([`Schematron::embedded_in_rng`]). Loading assembles it as ISO Schematron
//! says — `include`, `extends` (of a rule or of another schema), abstract patterns with
//! parameters and abstract rules, `let` at every level, `ns`, `phase`, `diagnostics` — and
//! compiles every expression with [`crate::xpath`]; anything that cannot be evaluated is an
//! error naming it and its place in the schema, never an assertion silently skipped.
//!
//! **Takes** a parsed document (roxmltree's); **gives** its [`Finding`]s in document order:
//! each failed `assert` and successful `report`, with the node it fired on (as a byte offset in
//! the text), its pattern and id, its severity from `role`, and its message rendered
//! (`value-of`, `name`, `diagnostics`).
//!
//! Semantics, as SchXslt implements the standard: each pattern sees every node of the document
//! (the document node, elements, attributes, text, comments, processing instructions) in
//! document order, and fires on a node the first of its rules whose context matches it.
//! Variables of the schema and of a pattern are evaluated once per document, with the document
//! node as context; a rule's for each node it fires on.
//!
//! Query bindings `xslt2`, `xslt3`, `xpath2`, `xpath3`, `xpath31` (all read as XPath 2.0 with
//! the 3.x additions [`crate::xpath`] has); another, including the XSLT 1.0 default of a schema
//! that names none, is refused.

mod compile;
mod run;
mod source;

pub use run::{severity_of_role, Checked, Finding};

use crate::xpath::{Pattern, UserFunction, XPath};
use std::fmt;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// A schema that cannot be used: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchematronError {
    /// The schema file.
    pub file: PathBuf,
    /// The line of the element at fault.
    pub line: u32,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SchematronError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

impl std::error::Error for SchematronError {}

/// Where a Schematron schema comes from: what a run names, shared between threads, each of
/// which compiles its own copy ([`Spec::compile`]; the compiled schema is not `Sync`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Spec {
    /// A standalone ISO Schematron file, in a phase (its default if none).
    File {
        /// The `.sch` file.
        path: PathBuf,
        /// The phase.
        phase: Option<String>,
    },
    /// The patterns a RELAX NG schema (`.rng`) embeds.
    EmbeddedIn(PathBuf),
}

impl Spec {
    /// The schema, compiled; `None` for a RELAX NG schema that embeds no Schematron.
    pub fn compile(&self) -> Result<Option<Schematron>, SchematronError> {
        match self {
            Spec::File { path, phase } => Schematron::load(path, phase.as_deref()).map(Some),
            Spec::EmbeddedIn(path) => Schematron::embedded_in_rng(path),
        }
    }

    /// The Schematron a RELAX NG schema file may embed: `Some` for an `.rng` file on disk
    /// (the compact syntax's annotations are not read).
    pub fn embedded_in(schema: &Path) -> Option<Spec> {
        let is_rng = schema
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("rng"));
        (is_rng && schema.is_file()).then(|| Spec::EmbeddedIn(schema.to_path_buf()))
    }
}

/// Whether an assertion fires when its test is false (`assert`) or true (`report`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckKind {
    /// `assert`: fires when the test is false.
    Assert,
    /// `report`: fires when the test is true.
    Report,
}

/// A compiled Schematron schema.
#[derive(Debug)]
pub struct Schematron {
    source: PathBuf,
    globals: Vec<Variable>,
    patterns: Vec<CompiledPattern>,
    functions: Vec<UserFunction>,
    diagnostics: std::collections::HashMap<String, Message>,
    /// For each element local name, the rules (pattern, rule) that can match it, in order.
    dispatch: run::Dispatch,
    /// The query binding is XSLT 2 or XPath 2 (SVRL locations differ slightly from 3's).
    xpath2: bool,
}

#[derive(Debug)]
struct Variable {
    name: Rc<str>,
    value: XPath,
}

#[derive(Debug)]
struct CompiledPattern {
    id: Option<String>,
    variables: Vec<Variable>,
    rules: Vec<Rule>,
}

#[derive(Debug)]
struct Rule {
    context: Pattern,
    variables: Vec<Variable>,
    checks: Vec<Check>,
    role: Option<String>,
}

#[derive(Debug)]
struct Check {
    kind: CheckKind,
    /// Its `id`, or one made of its pattern's and its place (`pattern#3`).
    id: String,
    test: XPath,
    test_text: String,
    role: Option<String>,
    flag: Option<String>,
    message: Message,
    diagnostics: Vec<String>,
    /// Where it stands in the schema.
    file: PathBuf,
    line: u32,
}

/// A message: text, with `value-of` and `name` filled in where it is rendered.
#[derive(Debug, Default)]
struct Message {
    pieces: Vec<Piece>,
}

#[derive(Debug)]
enum Piece {
    Text(String),
    ValueOf(XPath),
    /// `name`, of the context node or of `path`.
    Name(Option<XPath>),
}

impl Schematron {
    /// Loads the standalone schema at `path`, in `phase` (its `defaultPhase` if none; `#ALL`
    /// for every pattern).
    pub fn load(path: &Path, phase: Option<&str>) -> Result<Schematron, SchematronError> {
        let root = source::read(path)?;
        if root.namespace == source::OLD {
            return Err(root.error("Schematron 1.5 (http://www.ascc.net/xml/schematron) is not supported: ISO Schematron is"));
        }
        if !root.is("schema") {
            return Err(root.error(format!(
                "`{}` is not an ISO Schematron schema (its root must be `schema` in {})",
                root.name,
                source::ISO
            )));
        }
        compile::compile(root, path, phase)
    }

    /// The Schematron a RELAX NG schema embeds (`sch:pattern`, `sch:ns` anywhere in it), as
    /// TEI's `constraintSpec`s are in `tei_all.rng`; `None` if it embeds none. The prefixes
    /// `tei` and `xs` are bound as TEI's extraction binds them, unless the schema binds them.
    pub fn embedded_in_rng(path: &Path) -> Result<Option<Schematron>, SchematronError> {
        let embedded = source::read_embedded(path)?;
        if !embedded.iter().any(|e| e.name != "ns") {
            return Ok(None);
        }
        let bind = |prefix: &str, uri: &str| {
            source::Child::Element(source::Element {
                namespace: source::ISO.into(),
                name: "ns".into(),
                attributes: vec![("prefix".into(), prefix.into()), ("uri".into(), uri.into())],
                children: Vec::new(),
                file: path.to_path_buf(),
                line: 1,
                namespaces: Vec::new(),
            })
        };
        let mut children = Vec::new();
        let mut prefixes = Vec::new();
        for e in embedded {
            if e.name == "ns" {
                // The first binding of a prefix wins, as TEI's extraction keeps it.
                let prefix = e.attribute("prefix").unwrap_or_default().to_string();
                if prefixes.contains(&prefix) {
                    continue;
                }
                prefixes.push(prefix);
                children.push(source::Child::Element(e));
            } else if e.name == "rule" {
                // A rule outside any pattern: a pattern of its own, as TEI's extraction makes.
                let mut pattern = e.clone();
                pattern.name = "pattern".into();
                pattern.attributes.clear();
                pattern.children = vec![source::Child::Element(e)];
                children.push(source::Child::Element(pattern));
            } else {
                children.push(source::Child::Element(e));
            }
        }
        for (prefix, uri) in [("tei", crate::base::ns::TEI), ("xs", crate::xpath::XS)] {
            if !prefixes.iter().any(|p| p == prefix) {
                children.insert(0, bind(prefix, uri));
            }
        }
        let schema = source::Element {
            namespace: source::ISO.into(),
            name: "schema".into(),
            attributes: vec![("queryBinding".into(), "xslt2".into())],
            children,
            file: path.to_path_buf(),
            line: 1,
            namespaces: Vec::new(),
        };
        compile::compile(schema, path, None).map(Some)
    }

    /// The schema file it was read from.
    pub fn source(&self) -> &Path {
        &self.source
    }

    /// The ids of the active asserts and reports, in schema order.
    pub fn check_ids(&self) -> Vec<String> {
        self.patterns
            .iter()
            .flat_map(|p| &p.rules)
            .flat_map(|r| &r.checks)
            .map(|c| c.id.clone())
            .collect()
    }

    /// How many asserts and reports are active.
    pub fn check_count(&self) -> usize {
        self.patterns
            .iter()
            .flat_map(|p| &p.rules)
            .map(|r| r.checks.len())
            .sum()
    }
}

//! From the assembled schema to compiled patterns: the phase chosen, every expression
//! compiled in the scope ISO Schematron gives it (the schema's variables, the pattern's, the
//! rule's before it), every message split into text and expressions.

use super::source::{Child, Element, ISO, XSL};
use super::{
    Check, CheckKind, CompiledPattern, Message, Piece, Rule, Schematron, SchematronError, Variable,
};
use crate::xpath::{Pattern, StaticContext, UserFunction, XPath};
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

/// The query bindings whose expressions are XPath 2.0 or later.
const BINDINGS: &[&str] = &["xslt2", "xslt3", "xpath2", "xpath3", "xpath31"];

pub(super) fn compile(
    mut root: Element,
    path: &Path,
    phase: Option<&str>,
) -> Result<Schematron, SchematronError> {
    let binding = root
        .attribute("queryBinding")
        .unwrap_or("xslt")
        .to_ascii_lowercase();
    if !BINDINGS.contains(&binding.as_str()) {
        let why = if root.attribute("queryBinding").is_none() {
            "the schema names no queryBinding, which means XSLT 1.0"
        } else {
            "its queryBinding is not one of xslt2, xslt3, xpath2, xpath3, xpath31"
        };
        return Err(root.error(format!(
            "query binding `{binding}` is not supported: {why}; teikit evaluates XPath 2.0 and later (declare queryBinding=\"xslt2\" if the expressions are XPath 2.0)"
        )));
    }
    super::source::instantiate(&mut root)?;

    let mut context = StaticContext::default();
    for ns in root.elements().filter(|e| e.is("ns")) {
        let prefix = ns
            .attribute("prefix")
            .ok_or_else(|| ns.error("`ns` without `prefix`"))?;
        let uri = ns
            .attribute("uri")
            .ok_or_else(|| ns.error("`ns` without `uri`"))?;
        context.bind_namespace(prefix, uri);
    }

    // Functions first, so that any expression may call them.
    let function_elements: Vec<&Element> = root
        .elements()
        .filter(|e| e.namespace == XSL && e.name == "function")
        .collect();
    let mut signatures = Vec::new();
    for f in &function_elements {
        let name = f
            .attribute("name")
            .ok_or_else(|| f.error("`xsl:function` without `name`"))?;
        let (prefix, local) = name
            .split_once(':')
            .ok_or_else(|| f.error(format!("`xsl:function` `{name}` needs a prefixed name")))?;
        let uri = f
            .namespaces
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, u)| u.as_str())
            .or_else(|| context.namespace(prefix))
            .ok_or_else(|| {
                f.error(format!(
                    "`xsl:function` `{name}`: the prefix `{prefix}` is not declared"
                ))
            })?
            .to_string();
        let params: Vec<String> = f
            .elements()
            .filter(|p| p.namespace == XSL && p.name == "param")
            .map(|p| p.attribute("name").unwrap_or_default().to_string())
            .collect();
        context.declare_function(&uri, local, params.len());
        signatures.push((name.to_string(), params));
    }
    for e in root.elements() {
        if e.namespace == XSL && e.name != "function" {
            return Err(e.error(format!(
                "`xsl:{}` in a schema is not supported (only `xsl:function` whose body is one `xsl:sequence`)",
                e.name
            )));
        }
    }

    // Every variable of the schema is declared for every expression: a `let` may name one
    // declared after it, as XSLT's global variables may.
    let globals_elements: Vec<&Element> = root.elements().filter(|e| e.is("let")).collect();
    for g in &globals_elements {
        context.declare_variable(g.attribute("name").unwrap_or_default());
    }

    let mut functions = Vec::new();
    for (f, (name, params)) in function_elements.iter().zip(signatures) {
        let select = function_body(f, &name)?;
        let mut scope = context.clone();
        for p in &params {
            scope.declare_variable(p);
        }
        let body = compile_xpath(&select, &scope, f)?;
        functions.push(UserFunction::new(params, body));
    }

    let mut globals = Vec::new();
    for g in globals_elements {
        globals.push(variable(g, &context)?);
    }

    let active = active_patterns(&root, phase)?;
    if let Some(phase_element) = &active.phase {
        for l in phase_element.elements().filter(|e| e.is("let")) {
            context.declare_variable(l.attribute("name").unwrap_or_default());
            globals.push(variable(l, &context)?);
        }
    }

    // Diagnostics are rendered in the scope of whichever assertion names them.
    let mut everything = context.clone();
    declare_all_lets(&root, &mut everything);
    let mut diagnostics = HashMap::new();
    for group in root.elements().filter(|e| e.is("diagnostics")) {
        for d in group.elements().filter(|e| e.is("diagnostic")) {
            let id = d
                .attribute("id")
                .ok_or_else(|| d.error("`diagnostic` without `id`"))?;
            diagnostics.insert(id.to_string(), message(d, &everything)?);
        }
    }

    let mut patterns = Vec::new();
    for (index, p) in root.elements().filter(|e| e.is("pattern")).enumerate() {
        if !active.includes(p) {
            continue;
        }
        if p.attribute("documents").is_some() {
            return Err(p.error("patterns over other documents (`documents`) are not supported"));
        }
        let pattern_id = p.attribute("id").map(str::to_string);
        let mut scope = context.clone();
        let mut variables = Vec::new();
        for l in p.elements().filter(|e| e.is("let")) {
            scope.declare_variable(l.attribute("name").unwrap_or_default());
            variables.push(variable(l, &scope)?);
        }
        let mut rules = Vec::new();
        let mut check_number = 0;
        for r in p.elements().filter(|e| e.is("rule")) {
            let context_text = r
                .attribute("context")
                .ok_or_else(|| r.error("`rule` without `context`"))?;
            let mut rule_scope = scope.clone();
            let pattern = Pattern::compile(context_text, &rule_scope)
                .map_err(|e| r.error(format!("rule context: {e}")))?;
            let mut rule_variables = Vec::new();
            let mut checks = Vec::new();
            for e in r.elements() {
                if e.is("let") {
                    rule_scope.declare_variable(e.attribute("name").unwrap_or_default());
                    rule_variables.push(variable(e, &rule_scope)?);
                } else if e.is("assert") || e.is("report") {
                    check_number += 1;
                    let test_text = e
                        .attribute("test")
                        .ok_or_else(|| e.error(format!("`{}` without `test`", e.name)))?;
                    let id = match e.attribute("id") {
                        Some(id) => id.to_string(),
                        None => format!(
                            "{}#{check_number}",
                            pattern_id
                                .clone()
                                .unwrap_or_else(|| format!("pattern-{}", index + 1))
                        ),
                    };
                    let diagnostics_named: Vec<String> = e
                        .attribute("diagnostics")
                        .unwrap_or_default()
                        .split_whitespace()
                        .map(str::to_string)
                        .collect();
                    if let Some(missing) = diagnostics_named
                        .iter()
                        .find(|d| !diagnostics.contains_key(*d))
                    {
                        return Err(e.error(format!("no `diagnostic` has the id `{missing}`")));
                    }
                    checks.push(Check {
                        kind: if e.is("assert") {
                            CheckKind::Assert
                        } else {
                            CheckKind::Report
                        },
                        id,
                        test: compile_xpath(test_text, &rule_scope, e)?,
                        test_text: test_text.to_string(),
                        role: e.attribute("role").map(str::to_string),
                        flag: e.attribute("flag").map(str::to_string),
                        message: message(e, &rule_scope)?,
                        diagnostics: diagnostics_named,
                        file: e.file.clone(),
                        line: e.line,
                    });
                } else if e.namespace == ISO && !matches!(e.name.as_str(), "p" | "title") {
                    return Err(e.error(format!("`{}` inside a rule is not supported", e.name)));
                }
            }
            rules.push(Rule {
                context: pattern,
                variables: rule_variables,
                checks,
                role: r.attribute("role").map(str::to_string),
            });
        }
        patterns.push(CompiledPattern {
            id: pattern_id,
            variables,
            rules,
        });
    }
    let dispatch = super::run::Dispatch::new(&patterns);
    Ok(Schematron {
        source: path.to_path_buf(),
        globals,
        patterns,
        functions,
        diagnostics,
        dispatch,
        xpath2: binding.ends_with('2'),
    })
}

/// An `xsl:function`'s body as one XPath expression: its `xsl:variable`s become `let`
/// clauses, an `xsl:choose` nested `if`s, `xsl:sequence` and `xsl:value-of` their `select`.
fn function_body(f: &Element, name: &str) -> Result<String, SchematronError> {
    let body: Vec<&Element> = f
        .elements()
        .filter(|e| !(e.namespace == XSL && e.name == "param"))
        .collect();
    let unsupported = |e: &Element| {
        e.error(format!(
            "`xsl:function` `{name}`: `xsl:{}` is not supported (a body of `xsl:variable`s, then `xsl:sequence`, `xsl:value-of` or `xsl:choose` of those, is)",
            e.name
        ))
    };
    let Some((last, variables)) = body.split_last() else {
        return Err(f.error(format!("`xsl:function` `{name}` has no body")));
    };
    let mut text = String::new();
    for v in variables {
        if v.namespace != XSL || v.name != "variable" {
            return Err(unsupported(v));
        }
        let select = v.attribute("select").ok_or_else(|| unsupported(v))?;
        text.push_str(&format!(
            "let ${} := ({select}) return ",
            v.attribute("name").unwrap_or_default()
        ));
    }
    text.push_str(&instruction(last, &unsupported)?);
    Ok(text)
}

/// One XSLT instruction of a function's body as an expression.
fn instruction(
    e: &Element,
    unsupported: &dyn Fn(&Element) -> SchematronError,
) -> Result<String, SchematronError> {
    if e.namespace != XSL {
        return Err(unsupported(e));
    }
    match e.name.as_str() {
        "sequence" => Ok(format!(
            "({})",
            e.attribute("select").ok_or_else(|| unsupported(e))?
        )),
        "value-of" => match e.attribute("select") {
            Some(select) => Ok(format!("string-join(({select}) ! string(.), ' ')")),
            None => Err(unsupported(e)),
        },
        "choose" => {
            let mut branches = String::new();
            let mut closing = String::new();
            let mut otherwise = "()".to_string();
            for branch in e.elements() {
                let content = branch_content(branch, unsupported)?;
                match branch.name.as_str() {
                    "when" => {
                        let test = branch
                            .attribute("test")
                            .ok_or_else(|| unsupported(branch))?;
                        branches.push_str(&format!("if ({test}) then {content} else ("));
                        closing.push(')');
                    }
                    "otherwise" => otherwise = content,
                    _ => return Err(unsupported(branch)),
                }
            }
            Ok(format!("({branches}{otherwise}{closing})"))
        }
        _ => Err(unsupported(e)),
    }
}

/// A `when`'s or `otherwise`'s content: one instruction, or text.
fn branch_content(
    branch: &Element,
    unsupported: &dyn Fn(&Element) -> SchematronError,
) -> Result<String, SchematronError> {
    let elements: Vec<&Element> = branch.elements().collect();
    match elements.as_slice() {
        [only] => instruction(only, unsupported),
        [] => {
            let text: String = branch
                .children
                .iter()
                .filter_map(|c| match c {
                    Child::Text(t) => Some(t.as_str()),
                    Child::Element(_) => None,
                })
                .collect();
            Ok(format!("'{}'", text.trim().replace('\'', "''")))
        }
        _ => Err(unsupported(branch)),
    }
}

fn compile_xpath(
    text: &str,
    context: &StaticContext,
    at: &Element,
) -> Result<XPath, SchematronError> {
    XPath::compile(text, context).map_err(|e| at.error(format!("`{}`: {e}", at.name)))
}

fn variable(e: &Element, context: &StaticContext) -> Result<Variable, SchematronError> {
    let name = e
        .attribute("name")
        .ok_or_else(|| e.error("`let` without `name`"))?;
    let value = e.attribute("value").ok_or_else(|| {
        e.error(format!(
            "`let` `{name}` without `value` (a value given as content is not supported)"
        ))
    })?;
    Ok(Variable {
        name: Rc::from(name),
        value: compile_xpath(value, context, e)?,
    })
}

fn declare_all_lets(element: &Element, context: &mut StaticContext) {
    for e in element.elements() {
        if e.is("let") {
            context.declare_variable(e.attribute("name").unwrap_or_default());
        }
        declare_all_lets(e, context);
    }
}

/// A message's text and expressions, from an `assert`'s, `report`'s or `diagnostic`'s content.
fn message(e: &Element, context: &StaticContext) -> Result<Message, SchematronError> {
    let mut pieces = Vec::new();
    message_pieces(e, context, &mut pieces)?;
    Ok(Message { pieces })
}

fn message_pieces(
    e: &Element,
    context: &StaticContext,
    pieces: &mut Vec<Piece>,
) -> Result<(), SchematronError> {
    for child in &e.children {
        match child {
            Child::Text(t) => pieces.push(Piece::Text(t.clone())),
            Child::Element(c) if c.is("value-of") => {
                let select = c
                    .attribute("select")
                    .ok_or_else(|| c.error("`value-of` without `select`"))?;
                pieces.push(Piece::ValueOf(compile_xpath(select, context, c)?));
            }
            Child::Element(c) if c.is("name") => {
                let path = match c.attribute("path") {
                    Some(p) => Some(compile_xpath(p, context, c)?),
                    None => None,
                };
                pieces.push(Piece::Name(path));
            }
            // `emph`, `dir`, `span`, foreign markup: their text.
            Child::Element(c) => message_pieces(c, context, pieces)?,
        }
    }
    Ok(())
}

/// Which patterns the chosen phase makes active.
struct Active<'s> {
    phase: Option<&'s Element>,
}

impl Active<'_> {
    fn includes(&self, pattern: &Element) -> bool {
        match self.phase {
            None => true,
            Some(phase) => {
                let id = pattern.attribute("id");
                id.is_some()
                    && phase
                        .elements()
                        .filter(|a| a.is("active"))
                        .any(|a| a.attribute("pattern") == id)
            }
        }
    }
}

fn active_patterns<'s>(
    root: &'s Element,
    phase: Option<&str>,
) -> Result<Active<'s>, SchematronError> {
    let chosen = phase.or(root.attribute("defaultPhase"));
    match chosen {
        None | Some("#ALL") => Ok(Active { phase: None }),
        Some(name) => {
            let name = if name == "#DEFAULT" {
                root.attribute("defaultPhase").unwrap_or("#ALL")
            } else {
                name
            };
            if name == "#ALL" {
                return Ok(Active { phase: None });
            }
            root.elements()
                .find(|e| e.is("phase") && e.attribute("id") == Some(name))
                .map(|p| Active { phase: Some(p) })
                .ok_or_else(|| {
                    let known: Vec<&str> = root
                        .elements()
                        .filter(|e| e.is("phase"))
                        .filter_map(|e| e.attribute("id"))
                        .collect();
                    root.error(format!(
                        "no phase `{name}`; the schema's phases: {}",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ))
                })
        }
    }
}

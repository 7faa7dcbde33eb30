//! Reading the RELAX NG compact syntax (`.rnc`) into the same syntax tree as the XML syntax.
//!
//! Follows the compact syntax specification (OASIS, 2002): declarations (`namespace`,
//! `default namespace`, `datatypes`), grammars with `start`, definitions (`=`, `|=`, `&=`),
//! `div`, `include` with overrides, every pattern and name class, datatype parameters and
//! exceptions, literal concatenation (`~`), `\x{…}` escapes and escaped keywords. Annotations
//! (`[…]`, `>>`, `##` documentation) are read and dropped, as foreign elements are in the XML
//! syntax.

use super::syntax::{
    is_ncname, resolve_href, Combine, DatatypeRef, GrammarItem, NameClass, Node, Pattern,
};
use super::SchemaError;
use crate::base::diagnostic::{LineIndex, Location};
use std::path::Path;
use std::sync::Arc;

const XSD: &str = "http://www.w3.org/2001/XMLSchema-datatypes";
const XML_NS: &str = crate::base::ns::XML;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// An identifier or keyword; `escaped` if written `\name` (then never a keyword).
    Ident(String, bool),
    /// `prefix:local`.
    CName(String, String),
    /// `prefix:*`.
    NsName(String),
    Literal(String),
    Punct(&'static str),
    /// `##` documentation (skipped like annotations).
    Doc,
    Eof,
}

struct Lexer {
    chars: Vec<char>,
    offsets: Vec<usize>,
    pos: usize,
}

impl Lexer {
    fn new(text: &str) -> Result<Self, (usize, String)> {
        // `\x{N}` escapes apply everywhere, before anything else.
        let raw: Vec<(usize, char)> = text.char_indices().collect();
        let mut chars = Vec::with_capacity(raw.len());
        let mut offsets = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            let (offset, c) = raw[i];
            if c == '\\' && raw.get(i + 1).is_some_and(|x| x.1 == 'x') {
                let mut j = i + 1;
                while raw.get(j).is_some_and(|x| x.1 == 'x') {
                    j += 1;
                }
                if raw.get(j).is_some_and(|x| x.1 == '{') {
                    let close = raw[j..].iter().position(|x| x.1 == '}').map(|p| j + p);
                    if let Some(close) = close {
                        let hex: String = raw[j + 1..close].iter().map(|x| x.1).collect();
                        let ch = u32::from_str_radix(&hex, 16)
                            .ok()
                            .and_then(char::from_u32)
                            .ok_or((offset, format!("invalid escape `\\x{{{hex}}}`")))?;
                        chars.push(ch);
                        offsets.push(offset);
                        i = close + 1;
                        continue;
                    }
                }
            }
            chars.push(c);
            offsets.push(offset);
            i += 1;
        }
        offsets.push(text.len());
        Ok(Lexer {
            chars,
            offsets,
            pos: 0,
        })
    }

    fn offset(&self) -> usize {
        self.offsets[self.pos.min(self.offsets.len() - 1)]
    }

    fn peek_char(&self, k: usize) -> Option<char> {
        self.chars.get(self.pos + k).copied()
    }

    fn skip_space(&mut self) {
        while let Some(c) = self.peek_char(0) {
            if c.is_whitespace() {
                self.pos += 1;
            } else if c == '#' && self.peek_char(1) != Some('#') {
                while self.peek_char(0).is_some_and(|c| c != '\n') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn next(&mut self) -> Result<(Tok, usize), (usize, String)> {
        self.skip_space();
        let start = self.offset();
        let Some(c) = self.peek_char(0) else {
            return Ok((Tok::Eof, start));
        };
        let tok = if c == '#' {
            // `##` documentation: to the end of the line.
            while self.peek_char(0).is_some_and(|c| c != '\n') {
                self.pos += 1;
            }
            Tok::Doc
        } else if c == '"' || c == '\'' {
            self.literal(c).map_err(|m| (start, m))?
        } else if let Some(p) = [
            "|=", "&=", ">>", "=", "{", "}", "(", ")", "[", "]", ",", "&", "|", "?", "*", "+", "-",
            "~",
        ]
        .iter()
        .find(|p| {
            p.chars()
                .enumerate()
                .all(|(k, ch)| self.peek_char(k) == Some(ch))
        }) {
            self.pos += p.len();
            Tok::Punct(p)
        } else {
            let escaped = c == '\\';
            if escaped {
                self.pos += 1;
            }
            let name = self.ncname();
            if name.is_empty() {
                return Err((start, format!("unexpected character `{c}`")));
            }
            if self.peek_char(0) == Some(':') && !escaped {
                if self.peek_char(1) == Some('*') {
                    self.pos += 2;
                    Tok::NsName(name)
                } else {
                    self.pos += 1;
                    let local = self.ncname();
                    if local.is_empty() {
                        return Err((
                            start,
                            format!("`{name}:` must be followed by a name or `*`"),
                        ));
                    }
                    Tok::CName(name, local)
                }
            } else {
                Tok::Ident(name, escaped)
            }
        };
        Ok((tok, start))
    }

    fn ncname(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek_char(0) {
            let ok = if s.is_empty() {
                c.is_alphabetic() || c == '_'
            } else {
                c.is_alphanumeric()
                    || matches!(c, '_' | '-' | '.' | '\u{B7}')
                    || crate::xml::chars::is_name_char(c) && c != ':'
            };
            if !ok {
                break;
            }
            s.push(c);
            self.pos += 1;
        }
        s
    }

    fn literal(&mut self, quote: char) -> Result<Tok, String> {
        let triple = self.peek_char(1) == Some(quote) && self.peek_char(2) == Some(quote);
        self.pos += if triple { 3 } else { 1 };
        let mut s = String::new();
        loop {
            let c = self.peek_char(0).ok_or("unterminated literal")?;
            if triple {
                if c == quote
                    && self.peek_char(1) == Some(quote)
                    && self.peek_char(2) == Some(quote)
                {
                    self.pos += 3;
                    break;
                }
            } else if c == quote {
                self.pos += 1;
                break;
            }
            s.push(c);
            self.pos += 1;
        }
        Ok(Tok::Literal(s))
    }
}

struct Parser<'a> {
    lexer: Lexer,
    tok: Tok,
    at: usize,
    path: &'a Path,
    text: &'a str,
    index: LineIndex,
    namespaces: Vec<(String, String)>,
    default_ns: String,
    datatypes: Vec<(String, String)>,
}

type R<T> = Result<T, SchemaError>;

/// Parses a compact-syntax schema; `ns` is the namespace inherited from an `externalRef` or
/// `include` (the default namespace unless the file declares one).
pub fn parse_compact(path: &Path, text: &str, ns: &str) -> R<Node> {
    let index = LineIndex::new(text);
    let lexer = Lexer::new(text).map_err(|(offset, message)| {
        let (line, column) = index.line_column(text, offset);
        SchemaError::Syntax {
            location: Location::new(path, line, column),
            message,
        }
    })?;
    let mut p = Parser {
        lexer,
        tok: Tok::Eof,
        at: 0,
        path,
        text,
        index,
        namespaces: vec![("xml".into(), XML_NS.into())],
        default_ns: ns.to_string(),
        datatypes: vec![("xsd".into(), XSD.into())],
    };
    p.advance()?;
    p.declarations()?;
    let location = p.location(p.at);
    let is_grammar = matches!(&p.tok, Tok::Ident(w, false) if w == "start" || w == "div" || w == "include")
        || matches!(&p.tok, Tok::Ident(_, _)) && p.peek_is_assign()
        || p.tok == Tok::Eof;
    let node = if is_grammar {
        let items = p.grammar_content(true)?;
        Node {
            pattern: Pattern::Grammar(items),
            location,
        }
    } else {
        p.pattern()?
    };
    if p.tok != Tok::Eof {
        return Err(p.error("unexpected text after the schema"));
    }
    Ok(node)
}

impl Parser<'_> {
    fn location(&self, offset: usize) -> Location {
        let (line, column) = self.index.line_column(self.text, offset);
        Location::new(self.path, line, column)
    }

    fn error(&self, message: impl Into<String>) -> SchemaError {
        SchemaError::Syntax {
            location: self.location(self.at),
            message: message.into(),
        }
    }

    fn advance(&mut self) -> R<()> {
        loop {
            let (tok, at) = self
                .lexer
                .next()
                .map_err(|(offset, message)| SchemaError::Syntax {
                    location: self.location(offset),
                    message,
                })?;
            self.tok = tok;
            self.at = at;
            if self.tok != Tok::Doc {
                return Ok(());
            }
        }
    }

    /// Whether the current identifier is followed by `=`, `|=` or `&=` (a definition).
    fn peek_is_assign(&self) -> bool {
        let mut probe = Lexer {
            chars: self.lexer.chars.clone(),
            offsets: self.lexer.offsets.clone(),
            pos: self.lexer.pos,
        };
        loop {
            match probe.next() {
                Ok((Tok::Doc, _)) => continue,
                Ok((Tok::Punct("=" | "|=" | "&="), _)) => return true,
                _ => return false,
            }
        }
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(&self.tok, Tok::Ident(w, false) if w == word)
    }

    fn punct(&self, p: &str) -> bool {
        matches!(&self.tok, Tok::Punct(x) if *x == p)
    }

    fn expect(&mut self, p: &'static str) -> R<()> {
        if self.punct(p) {
            self.advance()
        } else {
            Err(self.error(format!("expected `{p}`")))
        }
    }

    fn literal(&mut self) -> R<String> {
        let mut s = match &self.tok {
            Tok::Literal(l) => l.clone(),
            _ => return Err(self.error("expected a literal string")),
        };
        self.advance()?;
        while self.punct("~") {
            self.advance()?;
            match &self.tok {
                Tok::Literal(l) => s.push_str(l),
                _ => return Err(self.error("expected a literal after `~`")),
            }
            self.advance()?;
        }
        Ok(s)
    }

    fn identifier_or_keyword(&mut self) -> R<String> {
        match &self.tok {
            Tok::Ident(w, _) => {
                let w = w.clone();
                self.advance()?;
                Ok(w)
            }
            _ => Err(self.error("expected a name")),
        }
    }

    /// Skips annotations: `[ … ]` (balanced) and `>> name [ … ]`.
    fn skip_annotations(&mut self) -> R<()> {
        loop {
            if self.punct("[") {
                self.skip_brackets()?;
            } else if self.punct(">>") {
                self.advance()?;
                match &self.tok {
                    Tok::Ident(..) | Tok::CName(..) => self.advance()?,
                    _ => return Err(self.error("expected an annotation element name after `>>`")),
                }
                if !self.punct("[") {
                    return Err(self.error("expected `[` after the annotation element name"));
                }
                self.skip_brackets()?;
            } else {
                return Ok(());
            }
        }
    }

    fn skip_brackets(&mut self) -> R<()> {
        let mut depth = 0;
        loop {
            if self.punct("[") {
                depth += 1;
            } else if self.punct("]") {
                depth -= 1;
            } else if self.tok == Tok::Eof {
                return Err(self.error("unterminated annotation `[`"));
            }
            self.advance()?;
            if depth == 0 {
                return Ok(());
            }
        }
    }

    fn declarations(&mut self) -> R<()> {
        loop {
            self.skip_annotations()?;
            if self.keyword("namespace") {
                self.advance()?;
                let prefix = self.identifier_or_keyword()?;
                self.expect("=")?;
                let uri = self.namespace_uri()?;
                self.namespaces.push((prefix, uri));
            } else if self.keyword("default") {
                self.advance()?;
                if !self.keyword("namespace") {
                    return Err(self.error("expected `namespace` after `default`"));
                }
                self.advance()?;
                let prefix = if self.punct("=") {
                    None
                } else {
                    Some(self.identifier_or_keyword()?)
                };
                self.expect("=")?;
                let uri = self.namespace_uri()?;
                if let Some(prefix) = prefix {
                    self.namespaces.push((prefix, uri.clone()));
                }
                self.default_ns = uri;
            } else if self.keyword("datatypes") {
                self.advance()?;
                let prefix = self.identifier_or_keyword()?;
                self.expect("=")?;
                let uri = self.literal()?;
                self.datatypes.push((prefix, uri));
            } else {
                return Ok(());
            }
        }
    }

    fn namespace_uri(&mut self) -> R<String> {
        if self.keyword("inherit") {
            self.advance()?;
            return Ok(self.default_ns.clone());
        }
        self.literal()
    }

    fn grammar_content(&mut self, top: bool) -> R<Vec<GrammarItem>> {
        let mut items = Vec::new();
        loop {
            self.skip_annotations()?;
            let location = self.location(self.at);
            if self.tok == Tok::Eof || (!top && self.punct("}")) {
                return Ok(items);
            }
            if let Tok::CName(..) = self.tok {
                // An annotation element among the grammar's components (`sch:pattern [ … ]`).
                self.advance()?;
                if !self.punct("[") {
                    return Err(self.error("expected `[` after an annotation element name"));
                }
                self.skip_brackets()?;
            } else if self.keyword("div") {
                self.advance()?;
                self.expect("{")?;
                let inner = self.grammar_content(false)?;
                self.expect("}")?;
                items.push(GrammarItem::Div(inner));
            } else if self.keyword("include") {
                self.advance()?;
                let href = self.literal()?;
                let ns = self.inherit()?;
                let overrides = if self.punct("{") {
                    self.advance()?;
                    let inner = self.grammar_content(false)?;
                    self.expect("}")?;
                    inner
                } else {
                    Vec::new()
                };
                items.push(GrammarItem::Include(
                    resolve_href(self.path, &href),
                    ns,
                    overrides,
                    location,
                ));
            } else if let Tok::Ident(name, escaped) = self.tok.clone() {
                self.advance()?;
                let combine = match &self.tok {
                    Tok::Punct("=") => None,
                    Tok::Punct("|=") => Some(Combine::Choice),
                    Tok::Punct("&=") => Some(Combine::Interleave),
                    _ => {
                        return Err(self.error(format!("expected `=`, `|=` or `&=` after `{name}`")))
                    }
                };
                self.advance()?;
                let pattern = self.pattern()?;
                if name == "start" && !escaped {
                    items.push(GrammarItem::Start(combine, pattern, location));
                } else {
                    if !is_ncname(&name) {
                        return Err(self.error(format!("`{name}` is not a valid name")));
                    }
                    items.push(GrammarItem::Define(name, combine, vec![pattern], location));
                }
            } else {
                return Err(self.error("expected `start`, a definition, `div` or `include`"));
            }
        }
    }

    fn inherit(&mut self) -> R<String> {
        if self.keyword("inherit") {
            self.advance()?;
            self.expect("=")?;
            let prefix = self.identifier_or_keyword()?;
            return self.namespace_of(&prefix);
        }
        Ok(self.default_ns.clone())
    }

    fn namespace_of(&self, prefix: &str) -> R<String> {
        self.namespaces
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, u)| u.clone())
            .ok_or_else(|| self.error(format!("namespace prefix `{prefix}` is not declared")))
    }

    fn pattern(&mut self) -> R<Node> {
        let location = self.location(self.at);
        let first = self.particle()?;
        let op = match &self.tok {
            Tok::Punct(p @ ("," | "&" | "|")) => *p,
            _ => return Ok(first),
        };
        let mut items = vec![first];
        while self.punct(op) {
            self.advance()?;
            items.push(self.particle()?);
        }
        if matches!(&self.tok, Tok::Punct("," | "&" | "|")) {
            return Err(self.error("different operators mixed without parentheses"));
        }
        let pattern = match op {
            "," => Pattern::Group(items),
            "&" => Pattern::Interleave(items),
            _ => Pattern::Choice(items),
        };
        Ok(Node { pattern, location })
    }

    fn particle(&mut self) -> R<Node> {
        self.skip_annotations()?;
        let location = self.location(self.at);
        let primary = self.primary()?;
        self.skip_annotations()?;
        let pattern = match &self.tok {
            Tok::Punct("?") => Pattern::Optional(vec![primary]),
            Tok::Punct("*") => Pattern::ZeroOrMore(vec![primary]),
            Tok::Punct("+") => Pattern::OneOrMore(vec![primary]),
            _ => return Ok(primary),
        };
        self.advance()?;
        self.skip_annotations()?;
        Ok(Node { pattern, location })
    }

    fn braced(&mut self) -> R<Node> {
        self.expect("{")?;
        let p = self.pattern()?;
        self.expect("}")?;
        Ok(p)
    }

    fn primary(&mut self) -> R<Node> {
        let location = self.location(self.at);
        let node = |pattern| {
            Ok(Node {
                pattern,
                location: location.clone(),
            })
        };
        match self.tok.clone() {
            Tok::Punct("(") => {
                self.advance()?;
                let p = self.pattern()?;
                self.expect(")")?;
                Ok(p)
            }
            Tok::Ident(w, false) if w == "element" || w == "attribute" => {
                self.advance()?;
                let nc = self.name_class(w == "element")?;
                let content = self.braced()?;
                if w == "element" {
                    node(Pattern::Element(nc, vec![content]))
                } else {
                    node(Pattern::Attribute(nc, Some(Box::new(content))))
                }
            }
            Tok::Ident(w, false) if w == "list" || w == "mixed" => {
                self.advance()?;
                let content = self.braced()?;
                node(if w == "list" {
                    Pattern::List(vec![content])
                } else {
                    Pattern::Mixed(vec![content])
                })
            }
            Tok::Ident(w, false) if w == "empty" => {
                self.advance()?;
                node(Pattern::Empty)
            }
            Tok::Ident(w, false) if w == "text" => {
                self.advance()?;
                node(Pattern::Text)
            }
            Tok::Ident(w, false) if w == "notAllowed" => {
                self.advance()?;
                node(Pattern::NotAllowed)
            }
            Tok::Ident(w, false) if w == "parent" => {
                self.advance()?;
                let name = self.identifier_or_keyword()?;
                node(Pattern::ParentRef(name))
            }
            Tok::Ident(w, false) if w == "external" => {
                self.advance()?;
                let href = self.literal()?;
                let ns = self.inherit()?;
                node(Pattern::ExternalRef(resolve_href(self.path, &href), ns))
            }
            Tok::Ident(w, false) if w == "grammar" => {
                self.advance()?;
                self.expect("{")?;
                let items = self.grammar_content(false)?;
                self.expect("}")?;
                node(Pattern::Grammar(items))
            }
            Tok::Ident(w, false) if w == "string" || w == "token" => {
                self.advance()?;
                let datatype = DatatypeRef {
                    library: String::new(),
                    name: w,
                };
                self.datatype(datatype, location)
            }
            Tok::CName(prefix, local) => {
                self.advance()?;
                let library = self
                    .datatypes
                    .iter()
                    .rev()
                    .find(|(p, _)| *p == prefix)
                    .map(|(_, u)| u.clone())
                    .ok_or_else(|| {
                        self.error(format!("datatype prefix `{prefix}` is not declared"))
                    })?;
                self.datatype(
                    DatatypeRef {
                        library,
                        name: local,
                    },
                    location,
                )
            }
            Tok::Literal(_) => {
                let value = self.literal()?;
                node(Pattern::Value(
                    DatatypeRef {
                        library: String::new(),
                        name: "token".into(),
                    },
                    value,
                    self.value_context(),
                ))
            }
            Tok::Ident(name, _) => {
                self.advance()?;
                node(Pattern::Ref(name))
            }
            _ => Err(self.error("expected a pattern")),
        }
    }

    fn value_context(&self) -> Arc<Vec<(String, String)>> {
        let mut context: Vec<(String, String)> = self.namespaces.clone();
        context.push((String::new(), self.default_ns.clone()));
        Arc::new(context)
    }

    fn datatype(&mut self, datatype: DatatypeRef, location: Location) -> R<Node> {
        if matches!(self.tok, Tok::Literal(_)) {
            let value = self.literal()?;
            return Ok(Node {
                pattern: Pattern::Value(datatype, value, self.value_context()),
                location,
            });
        }
        let mut params = Vec::new();
        if self.punct("{") {
            self.advance()?;
            while !self.punct("}") {
                self.skip_annotations()?;
                if self.punct("}") {
                    break;
                }
                let name = self.identifier_or_keyword()?;
                self.expect("=")?;
                params.push((name, self.literal()?));
            }
            self.advance()?;
        }
        let except = if self.punct("-") {
            self.advance()?;
            Some(vec![self.particle_primary()?])
        } else {
            None
        };
        Ok(Node {
            pattern: Pattern::Data(datatype, params, except),
            location,
        })
    }

    /// A primary pattern (for `datatype - primary`), with its annotations.
    fn particle_primary(&mut self) -> R<Node> {
        self.skip_annotations()?;
        let p = self.primary()?;
        self.skip_annotations()?;
        Ok(p)
    }

    fn name_class(&mut self, is_element: bool) -> R<NameClass> {
        let first = self.name_class_primary(is_element)?;
        if self.punct("|") {
            let mut result = first;
            while self.punct("|") {
                self.advance()?;
                let next = self.name_class_primary(is_element)?;
                result = NameClass::Choice(Box::new(result), Box::new(next));
            }
            return Ok(result);
        }
        Ok(first)
    }

    fn name_class_primary(&mut self, is_element: bool) -> R<NameClass> {
        self.skip_annotations()?;
        let nc = match self.tok.clone() {
            Tok::Punct("(") => {
                self.advance()?;
                let nc = self.name_class(is_element)?;
                self.expect(")")?;
                nc
            }
            Tok::Punct("*") => {
                self.advance()?;
                let except = self.name_class_except(is_element)?;
                NameClass::AnyName(except)
            }
            Tok::NsName(prefix) => {
                self.advance()?;
                let ns = self.namespace_of(&prefix)?;
                let except = self.name_class_except(is_element)?;
                NameClass::NsName(ns, except)
            }
            Tok::CName(prefix, local) => {
                self.advance()?;
                NameClass::Name(self.namespace_of(&prefix)?, local)
            }
            Tok::Ident(name, _) => {
                self.advance()?;
                let ns = if is_element {
                    self.default_ns.clone()
                } else {
                    String::new()
                };
                NameClass::Name(ns, name)
            }
            _ => return Err(self.error("expected a name class")),
        };
        self.skip_annotations()?;
        Ok(nc)
    }

    fn name_class_except(&mut self, is_element: bool) -> R<Option<Box<NameClass>>> {
        if self.punct("-") {
            self.advance()?;
            Ok(Some(Box::new(self.name_class_primary(is_element)?)))
        } else {
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::relaxng::Schema;
    use std::path::Path;

    fn schema(rnc: &str) -> Schema {
        Schema::from_str(rnc, Path::new("t.rnc")).unwrap_or_else(|e| panic!("{e}"))
    }

    fn valid(schema: &Schema, xml: &str) -> bool {
        schema
            .validator()
            .validate(Path::new("t.xml"), xml)
            .is_empty()
    }

    #[test]
    fn declarations_patterns_and_datatypes() {
        let s = schema(
            r#"
            # A comment.
            default namespace = "http://example.com/ns"
            namespace x = "http://example.com/x"
            datatypes d = "http://www.w3.org/2001/XMLSchema-datatypes"
            ## Documentation is dropped.
            start = doc
            doc = element doc { attribute x:when { d:date }?, (item+ & note?), mixed { empty } }
            item = [ a:documentation [ "an item" ] ] element item { d:token { maxLength = "3" } - "bad" }
            note = element note { "fixed" | string "exact " ~ "text" } >> a:note [ "after" ]
            "#,
        );
        let ns = r#"xmlns="http://example.com/ns" xmlns:x="http://example.com/x""#;
        assert!(valid(
            &s,
            &format!(r#"<doc {ns} x:when="1973-05-24"><item>abc</item><note>fixed</note></doc>"#)
        ));
        assert!(valid(
            &s,
            &format!(r#"<doc {ns}><note>exact text</note><item>ab</item></doc>"#)
        ));
        assert!(
            !valid(&s, &format!(r#"<doc {ns}><item>bad</item></doc>"#)),
            "except"
        );
        assert!(
            !valid(&s, &format!(r#"<doc {ns}><item>abcd</item></doc>"#)),
            "maxLength"
        );
        assert!(
            !valid(
                &s,
                &format!(r#"<doc {ns} x:when="May"><item>a</item></doc>"#)
            ),
            "date"
        );
        assert!(!valid(&s, r#"<doc><item>a</item></doc>"#), "namespace");
    }

    #[test]
    fn name_classes_escapes_and_combine() {
        let s = schema(
            r#"
            start = element \element { attribute * - (foo | bar) { text }*, any* }
            any |= element x { empty }
            any |= element (y | z) { empty }
            "#,
        );
        assert!(valid(&s, r#"<element a="1" b="2"><x/><z/></element>"#));
        assert!(!valid(&s, r#"<element foo="1"/>"#));
        let escaped = schema("start = element \\x{41}b { empty }");
        assert!(valid(&escaped, "<Ab/>"));
    }

    #[test]
    fn syntax_errors_have_locations() {
        let e = Schema::from_str(
            "start = element a { empty, text | empty }",
            Path::new("t.rnc"),
        )
        .err()
        .unwrap();
        assert!(
            e.to_string().contains("t.rnc:1:33")
                && e.to_string().contains("mixed without parentheses"),
            "{e}"
        );
        let e = Schema::from_str("start = element p:a { empty }", Path::new("t.rnc"))
            .err()
            .unwrap();
        assert!(
            e.to_string()
                .contains("namespace prefix `p` is not declared"),
            "{e}"
        );
        let e = Schema::from_str("start = element a { empty ", Path::new("t.rnc"))
            .err()
            .unwrap();
        assert!(e.to_string().contains("expected `}`"), "{e}");
    }

    #[test]
    fn includes_and_external_patterns_in_compact_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("part.rnc"),
            "item = element item { text }\nstart = element other { empty }",
        )
        .unwrap();
        std::fs::write(dir.path().join("leaf.rnc"), "element leaf { empty }").unwrap();
        let main = dir.path().join("main.rnc");
        std::fs::write(
            &main,
            "include \"part.rnc\" { start = element doc { item*, external \"leaf.rnc\" } }",
        )
        .unwrap();
        let s = Schema::from_file(&main).unwrap();
        assert!(valid(&s, "<doc><item>a</item><leaf/></doc>"));
        assert!(!valid(&s, "<other/>"), "the include's start is overridden");
    }
}

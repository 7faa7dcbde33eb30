//! Reading a document in one flat pass, checking that it is well-formed, for readers that need
//! no tree of their own.
//!
//! [`scan`] walks the text once, from left to right, and tells a [`Handler`] what it finds in
//! the root element: start and end tags with their names resolved to namespaces, character data,
//! comments and processing instructions. Nothing is copied that can be pointed at: character
//! data comes as spans of the document ([`Chars::Source`]), read back with [`decode`] only when
//! somebody wants the text. It was written for the differ, which keeps a compact tree of its own
//! and used to spend most of its time building roxmltree's; the RELAX NG validator now reads
//! every document with it, building no tree at all.
//!
//! It checks what XML 1.0 and Namespaces in XML make a well-formedness error, as roxmltree does:
//! names, matching tags, unique attributes (by expanded name), declared prefixes, references to
//! declared entities and to characters XML allows, comments, CDATA sections, the XML
//! declaration, one root element. The internal subset of a DOCTYPE is read for its general
//! entities, and an entity's replacement text is read as content in place of the reference,
//! markup and all. External entities are never read: a reference to one is an error.
//! `tests/xml_scan.rs` holds it to roxmltree's verdict on documents of a real corpus and on
//! thousands of broken variants of them.
//!
//! [`ReadLimits`] are checked on the way (depth, attributes, size, entity expansion), so no
//! document makes the scan slower than linear.

use super::chars::{is_name_char, is_name_start, is_xml_char};
use super::ReadLimits;
use std::borrow::Cow;

/// The namespace of the `xml` prefix.
pub const XML_NAMESPACE: &str = crate::base::ns::XML;
const XMLNS_NAMESPACE: &str = "http://www.w3.org/2000/xmlns/";

/// Why a document is not well-formed (or passes a limit), and where: a byte offset into the
/// document (for a problem inside an entity's replacement text, the offset of the reference).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    /// Byte offset into the document.
    pub offset: usize,
    /// What was wrong, for people.
    pub message: String,
}

/// Where character data comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chars<'a> {
    /// A span of the document (byte offsets): character data, with character references,
    /// references to the five predefined entities and CDATA sections in it; [`decode`] reads it.
    Source {
        /// First byte.
        start: usize,
        /// One past the last byte.
        end: usize,
    },
    /// Text from an entity's replacement text, already decoded.
    Expanded(&'a str),
}

/// An attribute, its name resolved and its value normalised (XML 1.0 §3.3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attribute<'a> {
    /// Namespace URI; empty for none.
    pub namespace: &'a str,
    /// Local name.
    pub local: &'a str,
    /// The value, references expanded and whitespace characters turned to spaces.
    pub value: &'a str,
    /// Where the attribute's name starts (for one in an entity's replacement text, the
    /// reference's offset).
    pub offset: usize,
}

/// A namespace declaration: `xmlns:prefix="uri"`, or `xmlns="uri"` with an empty prefix
/// (`uri` empty: the default namespace undeclared, or the prefix bound to no namespace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespace<'a> {
    /// The prefix declared; empty for the default namespace.
    pub prefix: &'a str,
    /// The namespace URI it stands for.
    pub uri: Cow<'a, str>,
}

/// A start tag (or an empty-element tag), its names resolved. Namespace declarations are not
/// among its attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartTag<'a> {
    /// Namespace URI; empty for none.
    pub namespace: &'a str,
    /// Local name.
    pub local: &'a str,
    /// The attributes, in the order written.
    pub attributes: &'a [Attribute<'a>],
    /// Where the tag starts (its `<`).
    pub offset: usize,
    /// The namespaces this tag declares (in force for it and its content), in the order
    /// written; those of the `xml` prefix are left out, as that prefix is always bound.
    pub declared: &'a [Namespace<'a>],
}

/// What a scan reports, in document order, from the root element's start tag to its end tag.
/// Adjacent character data may come in several pieces.
pub trait Handler {
    /// An element starts.
    fn start_element(&mut self, tag: &StartTag<'_>);
    /// The innermost open element ends; `end` is the offset just past its end tag (or past
    /// the `/>` of an empty-element tag).
    fn end_element(&mut self, end: usize);
    /// Character data starting at `offset`.
    fn text(&mut self, chars: Chars<'_>, offset: usize);
    /// A comment's body. It holds no references: a [`Chars::Source`] span is read with
    /// [`normalise_line_ends`], not [`decode`], and [`Chars::Expanded`] text has its line
    /// ends as written too.
    fn comment(&mut self, body: Chars<'_>, offset: usize);
    /// A processing instruction: its target and its data (from the first character that is not
    /// whitespace), literal like a comment's body.
    fn processing_instruction(&mut self, target: &str, data: Chars<'_>, offset: usize);
    /// The scan has read the document up to `offset` in a pass of its own (the check of its
    /// characters, before its content is read from the start); nothing to do by default.
    fn reached(&mut self, offset: usize) {
        let _ = offset;
    }
}

/// Scans `text`, reporting the root element's content to `handler`; the first well-formedness
/// error or limit passed ends the scan.
///
/// ```
/// use teikit::xml::scan::{scan, Chars, Handler, StartTag};
/// use teikit::xml::ReadLimits;
/// #[derive(Default)]
/// struct Names(Vec<String>);
/// impl Handler for Names {
///     fn start_element(&mut self, tag: &StartTag<'_>) {
///         self.0.push(format!("{{{}}}{}", tag.namespace, tag.local));
///     }
///     fn end_element(&mut self, _: usize) {}
///     fn text(&mut self, _: Chars<'_>, _: usize) {}
///     fn comment(&mut self, _: Chars<'_>, _: usize) {}
///     fn processing_instruction(&mut self, _: &str, _: Chars<'_>, _: usize) {}
/// }
/// let mut names = Names::default();
/// scan("<t:a xmlns:t='urn:t'><b/></t:a>", ReadLimits::default(), &mut names).unwrap();
/// assert_eq!(names.0, ["{urn:t}a", "{}b"]);
/// let err = scan("<a><b></a>", ReadLimits::default(), &mut names).unwrap_err();
/// assert_eq!(err.offset, 6);
/// ```
pub fn scan(text: &str, limits: ReadLimits, handler: &mut impl Handler) -> Result<(), ScanError> {
    if text.len() > limits.max_bytes || text.len() >= u32::MAX as usize {
        return Err(error(0, "the document is larger than the size limit"));
    }
    let entities = Entities::default();
    let mut scanner = Scanner {
        text,
        limits,
        handler,
        entities: &entities,
        open: Vec::new(),
        bindings: Vec::new(),
        expanding: Vec::new(),
        expanded: 0,
        nested_references: 0,
        reference_offset: None,
        attributes: Vec::new(),
    };
    let (start, entities, doctype) = scanner.prolog()?;
    let mut reached = |offset: usize| scanner.handler.reached(offset);
    match doctype {
        Some((from, to)) => {
            check_characters_in_parts(&text[..from], 0, &mut reached)?;
            check_characters_in_parts(&text[to..], to, &mut reached)?;
        }
        None => check_characters_in_parts(text, 0, &mut reached)?,
    }
    scanner.entities = &entities;
    let end = scanner.content(text, start, 0)?;
    scanner.epilog(end)
}

/// The text of a span reported as [`Chars::Source`]: references replaced, CDATA sections opened,
/// line ends normalised to `\n`. Borrowed when there is nothing to replace.
///
/// ```
/// use teikit::xml::scan::decode;
/// assert_eq!(decode("a &amp; b&#x20;<![CDATA[<c>]]>\r\n"), "a & b <c>\n");
/// assert!(matches!(decode("plain"), std::borrow::Cow::Borrowed("plain")));
/// ```
pub fn decode(span: &str) -> Cow<'_, str> {
    let bytes = span.as_bytes();
    if memchr::memchr3(b'&', b'<', b'\r', bytes).is_none() {
        return Cow::Borrowed(span);
    }
    let mut out = String::with_capacity(span.len());
    let mut i = 0;
    while let Some(p) = memchr::memchr3(b'&', b'<', b'\r', &bytes[i..]) {
        let at = i + p;
        out.push_str(&span[i..at]);
        match bytes[at] {
            b'&' => {
                let end = memchr::memchr(b';', &bytes[at..]).map_or(bytes.len(), |e| at + e);
                match predefined_or_character(&span[at + 1..end.min(span.len())]) {
                    Some(c) => out.push(c),
                    None => out.push_str(&span[at..(end + 1).min(span.len())]),
                }
                i = (end + 1).min(span.len());
            }
            b'<' if bytes[at..].starts_with(b"<![CDATA[") => {
                let body = at + 9;
                let end =
                    memchr::memmem::find(&bytes[body..], b"]]>").map_or(bytes.len(), |e| body + e);
                out.push_str(&normalise_line_ends(&span[body..end]));
                i = (end + 3).min(span.len());
            }
            b'<' => {
                out.push('<');
                i = at + 1;
            }
            _ => {
                out.push('\n');
                i = if bytes.get(at + 1) == Some(&b'\n') {
                    at + 2
                } else {
                    at + 1
                };
            }
        }
    }
    out.push_str(&span[i..]);
    Cow::Owned(out)
}

fn error(offset: usize, message: impl Into<String>) -> ScanError {
    ScanError {
        offset,
        message: message.into(),
    }
}

/// [`check_characters`] a part at a time, telling `reached` where each part ends (so that a
/// reader of a mapped file can give back what has been checked).
fn check_characters_in_parts(
    text: &str,
    base: usize,
    reached: &mut dyn FnMut(usize),
) -> Result<(), ScanError> {
    const PART: usize = 8 << 20;
    let mut at = 0;
    while at < text.len() {
        let mut end = (at + PART).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        check_characters(&text[at..end], base + at)?;
        at = end;
        reached(base + at);
    }
    Ok(())
}

/// Refuses characters XML does not allow ([`is_xml_char`]), looking at bytes rather than
/// decoding characters: this runs over every byte of the document.
fn check_characters(text: &str, base: usize) -> Result<(), ScanError> {
    let bytes = text.as_bytes();
    let forbidden = |b: u8| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r');
    // A block at a time, without a branch a byte, which the compiler turns into vector code.
    const BLOCK: usize = 64;
    for (k, block) in bytes.chunks(BLOCK).enumerate() {
        if block.iter().fold(false, |any, &b| any | forbidden(b)) {
            let p = block.iter().position(|&b| forbidden(b)).unwrap_or(0);
            return Err(error(
                base + k * BLOCK + p,
                "a character XML does not allow",
            ));
        }
    }
    let mut i = 0;
    while let Some(p) = memchr::memchr(0xEF, &bytes[i..]) {
        let at = i + p;
        if bytes.get(at + 1) == Some(&0xBF) && matches!(bytes.get(at + 2), Some(0xBE | 0xBF)) {
            return Err(error(base + at, "a character XML does not allow"));
        }
        i = at + 1;
    }
    Ok(())
}

/// The character a predefined entity or a character reference stands for (`name` is what lies
/// between `&` and `;`). As roxmltree reads them (the verdict teikit keeps to everywhere): a
/// reference to a C0 control other than tab, line feed and carriage return, or to U+FFFE or
/// U+FFFF, is an error, and one to a surrogate or beyond U+10FFFF stands for U+FFFD.
fn predefined_or_character(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "apos" => '\'',
        "quot" => '"',
        _ => {
            let number = name.strip_prefix('#')?;
            let code: u32 = match number.strip_prefix('x') {
                Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    u32::from_str_radix(hex, 16).ok()?
                }
                None if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) => {
                    number.parse().ok()?
                }
                _ => return None,
            };
            Some(char::from_u32(code).unwrap_or('\u{FFFD}')).filter(|c| is_xml_char(*c))?
        }
    })
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Past the whitespace at `i`.
fn skip_spaces(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(|b| is_space(*b)) {
        i += 1;
    }
    i
}

/// Past the whitespace at `i`, which must be there.
fn spaces(bytes: &[u8], i: usize) -> Result<usize, ScanError> {
    let after = skip_spaces(bytes, i);
    if after == i {
        return Err(error(i, "expected whitespace"));
    }
    Ok(after)
}

/// The end of the qualified name at `at`, or `None` when none is there.
fn qname_end(text: &str, at: usize) -> Option<usize> {
    name_end(text, at).filter(|end| split_qname(&text[at..*end]).is_some())
}

/// The end of the XML name starting at `at`, or `None` when none starts there.
fn name_end(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = at;
    // ASCII names, nearly all of them, without decoding characters.
    while let Some(&b) = bytes.get(i) {
        let ok = if i == at {
            b.is_ascii_alphabetic() || b == b'_' || b == b':'
        } else {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'-' | b'.')
        };
        if ok {
            i += 1;
        } else if b < 0x80 {
            break;
        } else {
            let c = text[i..].chars().next()?;
            let ok = if i == at {
                is_name_start(c)
            } else {
                is_name_char(c)
            };
            if !ok {
                break;
            }
            i += c.len_utf8();
        }
    }
    (i > at).then_some(i)
}

/// Splits a qualified name; `None` when it is not one (an empty part, or two colons).
fn split_qname(qname: &str) -> Option<(&str, &str)> {
    // Bytes, not characters: names are short, and `:` is ASCII.
    let (prefix, local) = match qname.bytes().position(|b| b == b':') {
        Some(k) => (&qname[..k], &qname[k + 1..]),
        None => ("", qname),
    };
    let starts_a_name = |s: &str| {
        s.chars()
            .next()
            .is_some_and(|c| c != ':' && is_name_start(c))
    };
    // roxmltree reads `:a` as `a`: an empty prefix is no prefix.
    (starts_a_name(local)
        && !local.bytes().any(|b| b == b':')
        && (prefix.is_empty() || starts_a_name(prefix)))
    .then_some((prefix, local))
}

/// Entities declared in the internal subset: name → literal value (external ones are never
/// read, so not kept: a reference to one is a reference to an unknown entity). As in roxmltree, the literal is read as content where the entity is
/// referenced, references in it included (so `&#60;` in it is text, not markup).
#[derive(Default)]
struct Entities {
    declared: rustc_hash::FxHashMap<String, String>,
}

struct OpenElement<'s> {
    qname: &'s str,
    bindings: usize,
}

/// An attribute as written, before namespaces are resolved.
struct RawAttribute<'s> {
    qname: &'s str,
    value: Cow<'s, str>,
    offset: usize,
}

struct Scanner<'s, 'h, H> {
    text: &'s str,
    limits: ReadLimits,
    handler: &'h mut H,
    entities: &'s Entities,
    open: Vec<OpenElement<'s>>,
    bindings: Vec<Namespace<'s>>,
    /// Entities being expanded, innermost last (a reference to one of them is a loop).
    expanding: Vec<&'s str>,
    /// Bytes of replacement text read so far.
    expanded: u64,
    /// References met inside the expansion of the current reference in the document.
    nested_references: usize,
    /// Inside an entity's replacement text: the offset of the outermost reference.
    reference_offset: Option<usize>,
    /// Reused for every start tag.
    attributes: Vec<RawAttribute<'s>>,
}

impl<'s, H: Handler> Scanner<'s, '_, H> {
    /// Where something at `at` of `source` is, in the document.
    fn at(&self, at: usize) -> usize {
        self.reference_offset.unwrap_or(at)
    }

    fn fail<T>(&self, at: usize, message: impl Into<String>) -> Result<T, ScanError> {
        Err(error(self.at(at), message))
    }

    fn in_document(&self, source: &str) -> bool {
        std::ptr::eq(source.as_ptr(), self.text.as_ptr()) && source.len() == self.text.len()
    }

    /// The XML declaration, comments, processing instructions and the DOCTYPE before the root
    /// element: the offset of the root's `<`, the entities declared, and where the DOCTYPE
    /// lies (its markup declarations are not checked for characters, as in roxmltree).
    #[allow(clippy::type_complexity)]
    fn prolog(&mut self) -> Result<(usize, Entities, Option<(usize, usize)>), ScanError> {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut i = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
        if bytes[i..].starts_with(b"<?xml ") {
            i = self.xml_declaration(i)?;
        }
        i = self.misc(i)?;
        let mut entities = Entities::default();
        let mut doctype = None;
        if bytes[i..].starts_with(b"<!DOCTYPE") {
            let end = self.doctype(i, &mut entities)?;
            doctype = Some((i, end));
            i = self.misc(end)?;
        }
        match bytes.get(i) {
            Some(b'<') => Ok((i, entities, doctype)),
            None => self.fail(i, "no root element"),
            Some(_) => self.fail(i, "expected the root element"),
        }
    }

    /// Whitespace, comments and processing instructions from `i`: where they end.
    fn misc(&mut self, mut i: usize) -> Result<usize, ScanError> {
        let text = self.text;
        let bytes = text.as_bytes();
        loop {
            i = skip_spaces(bytes, i);
            if bytes[i..].starts_with(b"<!--") {
                i = self.comment(text, i, false)?;
            } else if bytes[i..].starts_with(b"<?") {
                i = self.processing_instruction(text, i, false)?;
            } else {
                return Ok(i);
            }
        }
    }

    /// The XML declaration at `at`: where it ends. Read as roxmltree reads it: `version`,
    /// then optionally `encoding` and `standalone`, in that order, each name only checked for
    /// its beginning and no value checked (the text is UTF-8 whatever it says).
    fn xml_declaration(&mut self, at: usize) -> Result<usize, ScanError> {
        let text = self.text;
        let bytes = text.as_bytes();
        // Whitespace is needed between pseudo-attributes, or `?>`.
        let separated = |i: usize| -> Result<usize, ScanError> {
            let after = skip_spaces(bytes, i);
            if after == i && !bytes[i..].starts_with(b"?>") && i < bytes.len() {
                return Err(error(i, "expected whitespace in the XML declaration"));
            }
            Ok(after)
        };
        let pseudo_attribute = |i: usize| -> Result<usize, ScanError> {
            let end = qname_end(text, i).ok_or_else(|| error(i, "a malformed name"))?;
            let mut i = skip_spaces(bytes, end);
            if bytes.get(i) != Some(&b'=') {
                return Err(error(i, "expected `=` in the XML declaration"));
            }
            i = skip_spaces(bytes, i + 1);
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => match memchr::memchr2(q, b'<', &bytes[i + 1..]) {
                    Some(p) if bytes[i + 1 + p] == q => Ok(i + p + 2),
                    _ => Err(error(i, "an unclosed value in the XML declaration")),
                },
                _ => Err(error(i, "expected a quoted value in the XML declaration")),
            }
        };
        let mut i = separated(at + 5)?;
        if !bytes[i..].starts_with(b"version") {
            return self.fail(i, "expected `version` in the XML declaration");
        }
        i = separated(pseudo_attribute(i)?)?;
        if bytes[i..].starts_with(b"encoding") {
            i = separated(pseudo_attribute(i)?)?;
        }
        if bytes[i..].starts_with(b"standalone") {
            i = pseudo_attribute(i)?;
        }
        i = skip_spaces(bytes, i);
        if !bytes[i..].starts_with(b"?>") {
            return self.fail(i, "expected `?>` to close the XML declaration");
        }
        Ok(i + 2)
    }

    /// A DOCTYPE: where it ends. The general (and parameter) entities of its internal subset
    /// go into `entities`.
    fn doctype(&mut self, at: usize, entities: &mut Entities) -> Result<usize, ScanError> {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut i = spaces(bytes, at + 9)?;
        i = name_end(text, i).ok_or_else(|| error(i, "expected the document type's name"))?;
        i = skip_spaces(bytes, i);
        if let Some(end) = self.external_id(i)? {
            i = skip_spaces(bytes, end);
        }
        match bytes.get(i) {
            Some(b'>') => return Ok(i + 1),
            Some(b'[') => i += 1,
            _ => return self.fail(i, "expected `[` or `>` in the DOCTYPE"),
        }
        while i < bytes.len() {
            i = skip_spaces(bytes, i);
            let rest = &bytes[i..];
            if rest.starts_with(b"<!ENTITY") {
                i = self.entity_declaration(i, entities)?;
            } else if rest.starts_with(b"<!--") || rest.starts_with(b"<?") {
                let end = if rest.starts_with(b"<!--") {
                    self.comment(text, i, false)?
                } else {
                    self.processing_instruction(text, i, false)?
                };
                check_characters(&text[i..end], i)?;
                i = end;
            } else if rest.starts_with(b"]") {
                i = skip_spaces(bytes, i + 1);
                if bytes.get(i) != Some(&b'>') {
                    return self.fail(i, "expected `>` to close the DOCTYPE");
                }
                return Ok(i + 1);
            } else if rest.starts_with(b"<!ELEMENT")
                || rest.starts_with(b"<!ATTLIST")
                || rest.starts_with(b"<!NOTATION")
            {
                // Up to the first `>`, quoted or not, as roxmltree skips them.
                i = memchr::memchr(b'>', rest)
                    .map(|p| i + p + 1)
                    .ok_or_else(|| error(i, "a markup declaration is not closed"))?;
            } else if !rest.is_empty() {
                return self.fail(i, "expected a markup declaration in the internal subset");
            }
        }
        // The document ends in the internal subset: there is no root element.
        Ok(i)
    }

    /// A `SYSTEM "..."` or `PUBLIC "..." "..."` at `at`: where it ends, or `None` when there
    /// is none.
    fn external_id(&self, at: usize) -> Result<Option<usize>, ScanError> {
        let bytes = self.text.as_bytes();
        let literals = if bytes[at..].starts_with(b"SYSTEM") {
            1
        } else if bytes[at..].starts_with(b"PUBLIC") {
            2
        } else {
            return Ok(None);
        };
        let mut i = at + 6;
        for _ in 0..literals {
            i = spaces(bytes, i)?;
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let close = memchr::memchr(q, &bytes[i + 1..])
                        .ok_or_else(|| error(i, "an unclosed literal"))?;
                    i += close + 2;
                }
                _ => return self.fail(i, "expected a quoted literal"),
            }
        }
        Ok(Some(i))
    }

    fn entity_declaration(
        &mut self,
        at: usize,
        entities: &mut Entities,
    ) -> Result<usize, ScanError> {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut i = spaces(bytes, at + 8)?;
        let general = bytes.get(i) != Some(&b'%');
        if !general {
            i = spaces(bytes, i + 1)?;
        }
        let end = name_end(text, i).ok_or_else(|| error(i, "expected the entity's name"))?;
        let name = &text[i..end];
        i = spaces(bytes, end)?;
        let value = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let close = memchr::memchr(q, &bytes[i + 1..])
                    .ok_or_else(|| error(i, "an unclosed entity value"))?;
                let literal = &text[i + 1..i + 1 + close];
                i += close + 2;
                Some(literal.to_string())
            }
            Some(b'S' | b'P') => {
                i = self
                    .external_id(i)?
                    .ok_or_else(|| error(i, "expected an external identifier"))?;
                if general {
                    i = skip_spaces(bytes, i);
                    if bytes[i..].starts_with(b"NDATA") {
                        i = spaces(bytes, i + 5)?;
                        i = name_end(text, i).unwrap_or(i);
                    }
                }
                None
            }
            _ => return self.fail(i, "expected an entity value or an external identifier"),
        };
        i = skip_spaces(bytes, i);
        if bytes.get(i) != Some(&b'>') {
            return self.fail(i, "expected `>` to close the entity declaration");
        }
        // The first declaration of a name is binding (XML 1.0 §4.2). roxmltree keeps parameter
        // entities in the same table and never reads an external one.
        if let Some(value) = value {
            entities.declared.entry(name.to_string()).or_insert(value);
        }
        Ok(i + 1)
    }

    /// Element content of `source` from `at`, until the element open at `base` ends (the
    /// document) or the source ends (an entity's replacement text, which must close what it
    /// opens). Returns where it stopped.
    fn content(&mut self, source: &'s str, mut i: usize, base: usize) -> Result<usize, ScanError> {
        let bytes = source.as_bytes();
        let in_document = self.in_document(source);
        // The start of character data not yet reported.
        let mut text_from = i;
        loop {
            let next =
                memchr::memchr3(b'<', b'&', b']', &bytes[i..]).map_or(bytes.len(), |p| i + p);
            if next == bytes.len() {
                if in_document {
                    return self.fail(next, "the document ends inside an element");
                }
                self.flush_text(source, text_from, next);
                if self.open.len() != base {
                    return self.fail(next, "an entity's replacement text leaves an element open");
                }
                return Ok(next);
            }
            i = next;
            match bytes[i] {
                b']' => {
                    if bytes[i..].starts_with(b"]]>") {
                        return self.fail(i, "`]]>` in character data");
                    }
                    i += 1;
                }
                b'&' => {
                    let end = memchr::memchr(b';', &bytes[i..])
                        .map(|e| i + e)
                        .ok_or_else(|| error(self.at(i), "a reference without `;`"))?;
                    let name = &source[i + 1..end];
                    if let Some(c) = predefined_or_character(name) {
                        // In the document the reference stays in the span, decoded when read;
                        // replacement text is reported decoded, a piece at a time.
                        if !in_document {
                            self.flush_text(source, text_from, i);
                            let mut buffer = [0u8; 4];
                            let offset = self.at(i);
                            self.handler
                                .text(Chars::Expanded(c.encode_utf8(&mut buffer)), offset);
                            text_from = end + 1;
                        }
                    } else if name.starts_with('#') {
                        return self.fail(i, "a reference to a character XML does not allow");
                    } else {
                        self.flush_text(source, text_from, i);
                        self.expand_in_content(name, i)?;
                        text_from = end + 1;
                    }
                    i = end + 1;
                }
                _ => {
                    let rest = &bytes[i..];
                    if rest.starts_with(b"<![CDATA[") {
                        let body = i + 9;
                        let close = memchr::memmem::find(&bytes[body..], b"]]>")
                            .ok_or_else(|| error(self.at(i), "a CDATA section is not closed"))?;
                        if !in_document {
                            self.flush_text(source, text_from, i);
                            let offset = self.at(i);
                            let body_text = normalise_line_ends(&source[body..body + close]);
                            self.handler.text(Chars::Expanded(&body_text), offset);
                            text_from = body + close + 3;
                        }
                        i = body + close + 3;
                        continue;
                    }
                    self.flush_text(source, text_from, i);
                    if rest.starts_with(b"</") {
                        i = self.end_tag(source, i, base)?;
                        if in_document && self.open.len() == base {
                            return Ok(i);
                        }
                    } else if rest.starts_with(b"<!--") {
                        i = self.comment(source, i, true)?;
                    } else if rest.starts_with(b"<?") {
                        i = self.processing_instruction(source, i, true)?;
                    } else if rest.starts_with(b"<!") {
                        return self.fail(i, "markup declarations are not allowed in content");
                    } else {
                        i = self.start_tag(source, i)?;
                        if in_document && self.open.len() == base {
                            return Ok(i);
                        }
                    }
                    text_from = i;
                }
            }
        }
    }

    fn flush_text(&mut self, source: &'s str, from: usize, to: usize) {
        if from >= to {
            return;
        }
        if self.in_document(source) {
            self.handler.text(
                Chars::Source {
                    start: from,
                    end: to,
                },
                from,
            );
        } else {
            let text = normalise_line_ends(&source[from..to]);
            let offset = self.at(from);
            self.handler.text(Chars::Expanded(&text), offset);
        }
    }

    /// Reads the replacement text of entity `name`, referenced at `at`, as content.
    fn expand_in_content(&mut self, name: &str, at: usize) -> Result<(), ScanError> {
        let (replacement, outermost) = self.enter_entity(name, at)?;
        // Declarations are not checked for characters; content is, wherever it comes from.
        check_characters(replacement, 0).map_err(|e| error(self.at(at), e.message))?;
        let base = self.open.len();
        self.content(replacement, 0, base)?;
        self.leave_entity(outermost);
        Ok(())
    }

    /// Starts reading entity `name`, referenced at `at`: its replacement text, and whether
    /// the reference is in the document itself (not in another entity).
    fn enter_entity(&mut self, name: &str, at: usize) -> Result<(&'s str, bool), ScanError> {
        let entities = self.entities;
        let Some((key, value)) = entities.declared.get_key_value(name) else {
            return self.fail(at, format!("an unknown entity `{name}`"));
        };
        if self.expanding.contains(&name) {
            return self.fail(at, format!("the entity `{name}` refers to itself"));
        }
        // roxmltree's bounds: entities nested at most 10 deep, and at most 255 references
        // within the expansion of one reference in the document.
        if self.expanding.len() >= 10 {
            return self.fail(at, "entities nested more than 10 deep");
        }
        if !self.expanding.is_empty() {
            self.nested_references += 1;
            if self.nested_references > 255 {
                return self.fail(at, "more than 255 references within one entity");
            }
        }
        self.expanded = self.expanded.saturating_add(value.len() as u64);
        if self.expanded > self.limits.max_entity_expansion {
            return self.fail(
                at,
                format!(
                    "entity references expand to more than {} bytes of text",
                    self.limits.max_entity_expansion
                ),
            );
        }
        let outermost = self.reference_offset.is_none();
        if outermost {
            self.reference_offset = Some(at);
        }
        self.expanding.push(key);
        Ok((value.as_str(), outermost))
    }

    fn leave_entity(&mut self, outermost: bool) {
        self.expanding.pop();
        if self.expanding.is_empty() {
            self.nested_references = 0;
        }
        if outermost {
            self.reference_offset = None;
        }
    }

    fn start_tag(&mut self, source: &'s str, at: usize) -> Result<usize, ScanError> {
        let bytes = source.as_bytes();
        let qname_end = name_end(source, at + 1)
            .ok_or_else(|| error(self.at(at), "expected an element name"))?;
        let qname = &source[at + 1..qname_end];
        let mut attributes = std::mem::take(&mut self.attributes);
        attributes.clear();
        let mut i = qname_end;
        let empty = loop {
            let space_from = i;
            i = skip_spaces(bytes, i);
            match bytes.get(i) {
                Some(b'>') => {
                    i += 1;
                    break false;
                }
                Some(b'/') if bytes.get(i + 1) == Some(&b'>') => {
                    i += 2;
                    break true;
                }
                Some(_) if i > space_from => {
                    let end = name_end(source, i)
                        .ok_or_else(|| error(self.at(i), "expected an attribute name"))?;
                    let attribute_at = i;
                    let attribute_qname = &source[i..end];
                    i = skip_spaces(bytes, end);
                    if bytes.get(i) != Some(&b'=') {
                        return self.fail(i, "expected `=` after the attribute name");
                    }
                    i = skip_spaces(bytes, i + 1);
                    let quote = match bytes.get(i) {
                        Some(&q @ (b'"' | b'\'')) => q,
                        _ => return self.fail(i, "expected a quoted attribute value"),
                    };
                    let close = memchr::memchr(quote, &bytes[i + 1..])
                        .map(|p| i + 1 + p)
                        .ok_or_else(|| error(self.at(i), "an attribute value is not closed"))?;
                    let value = self.attribute_value(source, i + 1, close)?;
                    attributes.push(RawAttribute {
                        qname: attribute_qname,
                        value,
                        offset: attribute_at,
                    });
                    if attributes.len() > self.limits.max_attributes {
                        return self.fail(
                            at,
                            format!(
                                "an element with more than {} attributes",
                                self.limits.max_attributes
                            ),
                        );
                    }
                    i = close + 1;
                }
                _ => return self.fail(i, "expected an attribute, `>` or `/>`"),
            }
        };
        if self.open.len() >= self.limits.max_depth {
            return self.fail(
                at,
                format!(
                    "elements nested deeper than {} levels",
                    self.limits.max_depth
                ),
            );
        }
        let result = self.open_element(qname, &attributes, at, empty.then_some(i));
        self.attributes = attributes;
        result?;
        Ok(i)
    }

    /// Declares the tag's namespaces, resolves its names, checks its attributes are unique and
    /// reports it. Namespaces as roxmltree reads them: `xmlns:p=""` binds `p` to no namespace;
    /// a repeated `xmlns` passes and the first counts; the `xml` prefix is bound for
    /// attributes only.
    fn open_element(
        &mut self,
        qname: &'s str,
        attributes: &[RawAttribute<'s>],
        at: usize,
        empty: Option<usize>,
    ) -> Result<(), ScanError> {
        let bindings_before = self.bindings.len();
        for attribute in attributes {
            let (prefix, local) = split_qname(attribute.qname)
                .ok_or_else(|| error(self.at(attribute.offset), "a malformed attribute name"))?;
            let uri = attribute.value.as_ref();
            let declared_here = |bindings: &[Namespace<'_>], prefix: &str| {
                bindings[bindings_before..]
                    .iter()
                    .any(|b| b.prefix == prefix)
            };
            if prefix == "xmlns" {
                if uri == XMLNS_NAMESPACE || (local == "xml") != (uri == XML_NAMESPACE) {
                    return self.fail(
                        attribute.offset,
                        "a namespace declaration that is not allowed",
                    );
                }
                if declared_here(&self.bindings, local) {
                    return self.fail(attribute.offset, "a prefix declared twice");
                }
                if uri != XML_NAMESPACE {
                    self.bindings.push(Namespace {
                        prefix: local,
                        uri: attribute.value.clone(),
                    });
                }
            } else if local == "xmlns" {
                // roxmltree takes any `…:xmlns` for a default declaration too.
                if uri == XML_NAMESPACE || uri == XMLNS_NAMESPACE {
                    return self.fail(
                        attribute.offset,
                        "a namespace declaration that is not allowed",
                    );
                }
                if !declared_here(&self.bindings, "") {
                    self.bindings.push(Namespace {
                        prefix: "",
                        uri: attribute.value.clone(),
                    });
                }
            }
        }
        let bound = |bindings: &[Namespace<'s>], prefix: &str| {
            bindings.iter().rposition(|b| b.prefix == prefix)
        };
        let (prefix, local) =
            split_qname(qname).ok_or_else(|| error(self.at(at), "a malformed element name"))?;
        let element_binding = match prefix {
            "" => bound(&self.bindings, ""),
            "xml" | "xmlns" => {
                return self.fail(
                    at,
                    format!("the prefix `{prefix}` may not be used on an element"),
                )
            }
            _ => Some(bound(&self.bindings, prefix).ok_or_else(|| {
                error(
                    self.at(at),
                    format!("the prefix `{prefix}` is not declared"),
                )
            })?),
        };
        // Each attribute's namespace: a binding, or the `xml` namespace, or none; the
        // declarations, read above, are not attributes.
        let mut tag_attributes: Vec<Attribute<'_>> = Vec::with_capacity(attributes.len());
        for attribute in attributes {
            let Some((prefix, local)) = split_qname(attribute.qname) else {
                continue;
            };
            if prefix == "xmlns" || local == "xmlns" {
                continue;
            }
            let namespace = match prefix {
                "" => "",
                "xml" => XML_NAMESPACE,
                _ => match bound(&self.bindings, prefix) {
                    Some(b) => self.bindings[b].uri.as_ref(),
                    None => {
                        return Err(error(
                            self.at(attribute.offset),
                            format!("the prefix `{prefix}` is not declared"),
                        ))
                    }
                },
            };
            tag_attributes.push(Attribute {
                namespace,
                local,
                value: attribute.value.as_ref(),
                offset: self.at(attribute.offset),
            });
        }
        // Unique by expanded name.
        let duplicate = if tag_attributes.len() <= 16 {
            (1..tag_attributes.len()).find(|&k| {
                tag_attributes[..k].iter().any(|a| {
                    a.local == tag_attributes[k].local && a.namespace == tag_attributes[k].namespace
                })
            })
        } else {
            let mut seen = rustc_hash::FxHashSet::default();
            (0..tag_attributes.len())
                .find(|&k| !seen.insert((tag_attributes[k].namespace, tag_attributes[k].local)))
        };
        if let Some(k) = duplicate {
            return Err(error(tag_attributes[k].offset, "an attribute given twice"));
        }
        let offset = self.at(at);
        self.handler.start_element(&StartTag {
            namespace: element_binding.map_or("", |b| self.bindings[b].uri.as_ref()),
            local,
            attributes: &tag_attributes,
            offset,
            declared: &self.bindings[bindings_before..],
        });
        self.open.push(OpenElement {
            // roxmltree reads `<:a>` as `<a>`, and closes it with `</a>`.
            qname: qname.strip_prefix(':').unwrap_or(qname),
            bindings: bindings_before,
        });
        if let Some(end) = empty {
            self.close_element(end);
        }
        Ok(())
    }

    fn close_element(&mut self, end: usize) {
        if let Some(open) = self.open.pop() {
            self.bindings.truncate(open.bindings);
            let end = self.reference_offset.unwrap_or(end);
            self.handler.end_element(end);
        }
    }

    fn end_tag(&mut self, source: &'s str, at: usize, base: usize) -> Result<usize, ScanError> {
        let bytes = source.as_bytes();
        let end = name_end(source, at + 2)
            .ok_or_else(|| error(self.at(at), "expected an element name"))?;
        let written = &source[at + 2..end];
        if split_qname(written).is_none() {
            return self.fail(at, "a malformed element name");
        }
        let qname = written.strip_prefix(':').unwrap_or(written);
        let i = skip_spaces(bytes, end);
        if bytes.get(i) != Some(&b'>') {
            return self.fail(i, "expected `>` to close the end tag");
        }
        match self.open.last() {
            Some(open) if self.open.len() > base && open.qname == qname => {}
            Some(open) if self.open.len() > base => {
                let expected = open.qname;
                return self.fail(at, format!("expected `</{expected}>`, found `</{qname}>`"));
            }
            _ => return self.fail(at, format!("an end tag `</{qname}>` with no element open")),
        }
        self.close_element(i + 1);
        Ok(i + 1)
    }

    fn comment(&mut self, source: &'s str, at: usize, report: bool) -> Result<usize, ScanError> {
        let bytes = source.as_bytes();
        let body = at + 4;
        let dashes = memchr::memmem::find(&bytes[body..], b"--")
            .map(|p| body + p)
            .ok_or_else(|| error(self.at(at), "a comment is not closed"))?;
        if bytes.get(dashes + 2) != Some(&b'>') {
            return self.fail(dashes, "`--` inside a comment");
        }
        if report {
            let body = self.literal(source, body, dashes);
            let offset = self.at(at);
            self.handler.comment(body, offset);
        }
        Ok(dashes + 3)
    }

    fn processing_instruction(
        &mut self,
        source: &'s str,
        at: usize,
        report: bool,
    ) -> Result<usize, ScanError> {
        let bytes = source.as_bytes();
        let end = name_end(source, at + 2)
            .ok_or_else(|| error(self.at(at), "expected a processing instruction's target"))?;
        let target = &source[at + 2..end];
        // `<?xml ` is an XML declaration, allowed only at the very start; roxmltree reads
        // `<?xml?>` as a processing instruction.
        if bytes[at..].starts_with(b"<?xml ") {
            return self.fail(at, "the XML declaration is only allowed at the very start");
        }
        let close = memchr::memmem::find(&bytes[end..], b"?>")
            .map(|p| end + p)
            .ok_or_else(|| error(self.at(at), "a processing instruction is not closed"))?;
        // roxmltree asks for no whitespace between target and data.
        let mut data = end;
        while data < close && is_space(bytes[data]) {
            data += 1;
        }
        if report {
            let data = self.literal(source, data, close);
            let offset = self.at(at);
            self.handler.processing_instruction(target, data, offset);
        }
        Ok(close + 2)
    }

    /// A comment's body or a processing instruction's data, which hold no references: a span
    /// of the document, or the text itself in replacement text.
    fn literal(&self, source: &'s str, from: usize, to: usize) -> Chars<'s> {
        if self.in_document(source) {
            Chars::Source {
                start: from,
                end: to,
            }
        } else {
            Chars::Expanded(&source[from..to])
        }
    }

    /// An attribute value normalised: references replaced, each whitespace character a space.
    fn attribute_value(
        &mut self,
        source: &'s str,
        from: usize,
        to: usize,
    ) -> Result<Cow<'s, str>, ScanError> {
        let raw = &source[from..to];
        let bytes = raw.as_bytes();
        if memchr::memchr(b'<', bytes).is_some() {
            return self.fail(from, "`<` in an attribute value");
        }
        if !bytes
            .iter()
            .any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'))
        {
            return Ok(Cow::Borrowed(raw));
        }
        let mut out = String::with_capacity(raw.len());
        self.normalise_value(raw, from, false, &mut out)?;
        Ok(Cow::Owned(out))
    }

    /// Appends `raw` (an attribute value, or with `in_entity` the literal of an entity referred
    /// to in one) to `out`, normalised. Inside an entity, as in roxmltree, a character
    /// reference is normalised like the character itself and may not stand for `<`, while a
    /// literal `<` passes.
    fn normalise_value(
        &mut self,
        raw: &'s str,
        at: usize,
        in_entity: bool,
        out: &mut String,
    ) -> Result<(), ScanError> {
        let bytes = raw.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    out.push(' ');
                    i += 2;
                }
                b'\t' | b'\n' | b'\r' => {
                    out.push(' ');
                    i += 1;
                }
                b'<' if !in_entity => return self.fail(at, "`<` in an attribute value"),
                b'&' => {
                    let end = memchr::memchr(b';', &bytes[i..])
                        .map(|e| i + e)
                        .ok_or_else(|| error(self.at(at + i), "a reference without `;`"))?;
                    let name = &raw[i + 1..end];
                    if let Some(c) = predefined_or_character(name) {
                        match c {
                            '<' if in_entity && name.starts_with('#') => {
                                return self.fail(at + i, "`<` in an attribute value");
                            }
                            '\t' | '\n' | '\r' if in_entity => out.push(' '),
                            c => out.push(c),
                        }
                    } else if name.starts_with('#') {
                        return self.fail(at + i, "a reference to a character XML does not allow");
                    } else {
                        let (replacement, outermost) = self.enter_entity(name, at + i)?;
                        self.normalise_value(replacement, at + i, true, out)?;
                        self.leave_entity(outermost);
                    }
                    i = end + 1;
                }
                _ => {
                    // At least this byte, then up to the next that needs a look (ASCII, so a
                    // character boundary).
                    let next = bytes[i + 1..]
                        .iter()
                        .position(|b| matches!(b, b'&' | b'<' | b'\t' | b'\n' | b'\r'))
                        .map_or(bytes.len(), |p| i + 1 + p);
                    out.push_str(&raw[i..next]);
                    i = next;
                }
            }
        }
        Ok(())
    }

    /// After the root element: only comments, processing instructions and whitespace.
    fn epilog(&mut self, i: usize) -> Result<(), ScanError> {
        let end = self.misc(i)?;
        if end < self.text.len() {
            return self.fail(
                end,
                "only comments and processing instructions may follow the root element",
            );
        }
        Ok(())
    }
}

/// `s` with its line ends (`\r\n`, `\r`) turned to `\n`, as XML reads them (§2.11).
pub fn normalise_line_ends(s: &str) -> Cow<'_, str> {
    if s.contains('\r') {
        Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Events(Vec<String>);

    impl Handler for Events {
        fn start_element(&mut self, tag: &StartTag<'_>) {
            let attributes: Vec<String> = tag
                .attributes
                .iter()
                .map(|a| format!(" {{{}}}{}={:?}", a.namespace, a.local, a.value))
                .collect();
            self.0.push(format!(
                "<{{{}}}{}{}>",
                tag.namespace,
                tag.local,
                attributes.concat()
            ));
        }
        fn end_element(&mut self, _: usize) {
            self.0.push("</>".into());
        }
        fn text(&mut self, chars: Chars<'_>, _: usize) {
            self.0.push(format!("{chars:?}"));
        }
        fn comment(&mut self, body: Chars<'_>, _: usize) {
            self.0.push(format!("comment {body:?}"));
        }
        fn processing_instruction(&mut self, target: &str, data: Chars<'_>, _: usize) {
            self.0.push(format!("pi {target} {data:?}"));
        }
    }

    fn events(text: &str) -> Result<Vec<String>, ScanError> {
        let mut events = Events::default();
        scan(text, ReadLimits::default(), &mut events).map(|()| events.0)
    }

    #[test]
    fn reports_spans_of_the_document_and_resolves_names() {
        let doc = "<?xml version='1.0'?><!--c--><a xmlns='urn:a' xmlns:b='urn:b' b:x='1&amp;2' y='\t'>t&lt;<b:c/><!--d--><?p  q?></a>";
        let span = |from: &str, len: usize| {
            let start = doc.find(from).unwrap();
            format!("Source {{ start: {start}, end: {} }}", start + len)
        };
        assert_eq!(
            events(doc).unwrap(),
            [
                "<{urn:a}a {urn:b}x=\"1&2\" {}y=\" \">".to_string(),
                span("t&lt;", 5),
                "<{urn:b}c>".into(),
                "</>".into(),
                format!("comment {}", span("d-->", 1)),
                format!("pi p {}", span("q?>", 1)),
                "</>".into(),
            ]
        );
    }

    #[test]
    fn expands_internal_entities_with_markup_and_refuses_external_ones() {
        // In an attribute, a `<` from a character reference in an entity is refused, a
        // literal one passes (as in roxmltree).
        let doc = "<!DOCTYPE a [<!ENTITY e 'x&#60;'>]><a t='&e;'/>";
        let err = events(doc).unwrap_err();
        assert!(err.message.contains("`<` in an attribute value"), "{err:?}");
        let doc = "<!DOCTYPE a [<!ENTITY e 'x<'>]><a t='&e;'/>";
        assert_eq!(events(doc).unwrap(), ["<{}a {}t=\"x<\">", "</>"]);
        // In content the literal is read as markup; a character reference in it is text.
        let doc = "<!DOCTYPE a [<!ENTITY e 'x<b>&#60;i/></b>y'>]><a>&e;</a>";
        assert_eq!(
            events(doc).unwrap(),
            [
                "<{}a>",
                "Expanded(\"x\")",
                "<{}b>",
                "Expanded(\"<\")",
                "Expanded(\"i/>\")",
                "</>",
                "Expanded(\"y\")",
                "</>"
            ]
        );
        let external = "<!DOCTYPE a [<!ENTITY f SYSTEM 'f.xml'>]><a>&f;</a>";
        let err = events(external).unwrap_err();
        assert!(err.message.contains("unknown entity `f`"), "{err:?}");
        let looping = "<!DOCTYPE a [<!ENTITY e '&f;'><!ENTITY f '&e;'>]><a>&e;</a>";
        let err = events(looping).unwrap_err();
        assert!(err.message.contains("refers to itself"), "{err:?}");
        assert_eq!(err.offset, looping.find("&e;</a>").unwrap());
    }

    #[test]
    fn refuses_what_is_not_well_formed_where_it_is() {
        for (doc, at) in [
            ("<a><b></a>", 6),
            ("<a x='1' x='2'/>", 9),
            ("<a xmlns:p='u' xmlns:q='u' p:x='1' q:x='2'/>", 35),
            ("<p:a/>", 0),
            ("<a>&unknown;</a>", 3),
            ("<a>&#0;</a>", 3),
            ("<a>]]></a>", 3),
            ("<a><!-- a -- b --></a>", 10),
            ("<a/><b/>", 4),
            ("text<a/>", 0),
            ("<a>\u{1}</a>", 3),
            ("<a x='<'/>", 6),
            ("<a><?xml version='1.0'?></a>", 3),
            ("<a>", 3),
            ("", 0),
        ] {
            let err = events(doc).expect_err(doc);
            assert_eq!(err.offset, at, "{doc}: {err:?}");
        }
    }

    #[test]
    fn limits_are_checked_on_the_way() {
        let limits = ReadLimits {
            max_depth: 2,
            max_attributes: 1,
            ..ReadLimits::default()
        };
        let mut events = Events::default();
        assert!(scan("<a><b><c/></b></a>", limits, &mut events).is_err());
        assert!(scan("<a x='1' y='2'/>", limits, &mut events).is_err());
        assert!(scan("<a><b x='1'/></a>", limits, &mut events).is_ok());
    }
}

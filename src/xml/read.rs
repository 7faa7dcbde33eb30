//! Reading XML documents safely: roxmltree behind limits it does not enforce itself.
//!
//! roxmltree refuses external entities (it never reads or fetches them) and detects entity
//! reference loops. It does not bound the rest: it recurses once per level of element nesting
//! (a document nested a hundred thousand deep exhausts the stack), checks duplicate attributes
//! pairwise (ten million attributes on one element take hours), and expands every entity
//! reference in full (one 50 kB entity referenced 50 000 times is 2.5 GB of text: the
//! "quadratic blow-up"). [`parse`] therefore scans the markup first, flat and in linear time,
//! and refuses a document beyond any of the [`ReadLimits`], naming the limit and where it was
//! passed.

use crate::base::diagnostic::{Diagnostic, LineIndex, Location};
use std::path::Path;

/// Limits on documents read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// The largest document, in bytes.
    pub max_bytes: usize,
    /// The deepest element nesting.
    pub max_depth: usize,
    /// The most attributes on one element.
    pub max_attributes: usize,
    /// The most text that entity references may expand to, in bytes, over the whole document.
    pub max_entity_expansion: u64,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_bytes: 512 * 1024 * 1024,
            max_depth: 4096,
            max_attributes: 10_000,
            max_entity_expansion: 16 * 1024 * 1024,
        }
    }
}

/// Decodes the bytes of an XML file: UTF-8 (with or without a byte-order mark) or UTF-16 with a
/// byte-order mark; anything else is a located error.
///
/// ```
/// use teikit::xml::decode;
/// let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("<a/>".encode_utf16().flat_map(u16::to_le_bytes)).collect();
/// assert_eq!(decode(std::path::Path::new("a.xml"), utf16).unwrap(), "<a/>");
/// assert!(decode(std::path::Path::new("b.xml"), vec![b'<', 0xFF]).is_err());
/// ```
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let utf16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(false),
        Some([0xFE, 0xFF]) => Some(true),
        _ => None,
    };
    if let Some(big_endian) = utf16 {
        let units = bytes[2..].chunks(2).map(|pair| match (pair, big_endian) {
            ([a, b], true) => u16::from_be_bytes([*a, *b]),
            ([a, b], false) => u16::from_le_bytes([*a, *b]),
            _ => 0xFFFF,
        });
        let mut text = String::with_capacity(bytes.len() / 2);
        for unit in char::decode_utf16(units) {
            match unit {
                Ok(c) if c != '\u{FFFF}' => text.push(c),
                _ => {
                    let (line, column) = LineIndex::new(&text).line_column(&text, text.len());
                    return Err(Diagnostic::error(
                        Location::new(path, line, column),
                        "invalid UTF-16 (an unpaired surrogate or an odd byte at the end)",
                    ));
                }
            }
        }
        return Ok(text);
    }
    String::from_utf8(bytes).map_err(|e| {
        Diagnostic::error(
            Location::of_utf8_error(path, &e),
            "invalid UTF-8; teikit reads UTF-8 XML, or UTF-16 with a byte-order mark (convert the file, e.g. with iconv)",
        )
    })
}

/// The character encoding a document was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// UTF-16 with a byte-order mark, either byte order.
    Utf16,
}

/// Reads an XML file and decodes it (see [`decode`]): its text, and the encoding it was in
/// (for callers that write it back). A file that cannot be read is an error at its start.
///
/// ```
/// use teikit::xml::{read_file, Encoding};
/// let err = read_file(std::path::Path::new("no/such/file.xml")).unwrap_err();
/// assert!(err.message.starts_with("cannot read"));
/// # let dir = tempfile::tempdir().unwrap();
/// # let path = dir.path().join("a.xml");
/// # std::fs::write(&path, "<a/>").unwrap();
/// assert_eq!(read_file(&path).unwrap(), ("<a/>".to_string(), Encoding::Utf8));
/// ```
pub fn read_file(path: &Path) -> Result<(String, Encoding), Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(Location::file_start(path), format!("cannot read: {e}")))?;
    let encoding = match bytes.get(..2) {
        Some([0xFF, 0xFE] | [0xFE, 0xFF]) => Encoding::Utf16,
        _ => Encoding::Utf8,
    };
    Ok((decode(path, bytes)?, encoding))
}

/// Parses `text` (read from `path`) within `limits`; problems come as one located error.
///
/// ```
/// use teikit::xml::{parse, ReadLimits};
/// let deep = "<a>".repeat(5000) + &"</a>".repeat(5000);
/// let err = parse(std::path::Path::new("d.xml"), &deep, ReadLimits::default()).unwrap_err();
/// assert!(err.message.contains("nested deeper than 4096"));
/// ```
pub fn parse<'t>(
    path: &Path,
    text: &'t str,
    limits: ReadLimits,
) -> Result<roxmltree::Document<'t>, Diagnostic> {
    if text.len() > limits.max_bytes {
        return Err(Diagnostic::error(
            Location::file_start(path),
            format!(
                "the document is larger than the {} byte limit",
                limits.max_bytes
            ),
        ));
    }
    if let Some((offset, message)) = prescan(text, &limits) {
        let (line, column) = LineIndex::new(text).line_column(text, offset);
        return Err(Diagnostic::error(
            Location::new(path, line, column),
            format!("{message}; refusing the document (the limit is configurable)"),
        ));
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        Diagnostic::error(
            Location::new(path, pos.row as usize, pos.col as usize),
            format!("not well-formed XML: {e}"),
        )
    })
}

/// The first place where `text` passes one of `limits` (depth, attributes, entity expansion),
/// with what was passed, by one flat scan of the markup.
fn prescan(text: &str, limits: &ReadLimits) -> Option<(usize, String)> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut entities = EntityTable::default();
    let mut i = 0;
    let skip_to = |from: usize, end: &[u8]| -> usize {
        bytes[from..]
            .windows(end.len())
            .position(|w| w == end)
            .map_or(bytes.len(), |p| from + p + end.len())
    };
    let mut expanded = 0u64;
    let mut count_references = |from: usize, to: usize, entities: &EntityTable| {
        if entities.is_empty() {
            return None;
        }
        let mut at = from;
        while let Some(p) = memchr::memchr(b'&', &bytes[at..to]) {
            let start = at + p;
            let end = bytes[start..to]
                .iter()
                .position(|b| *b == b';')
                .map_or(to, |e| start + e);
            if let Some(size) = entities.expanded_size(&text[start + 1..end]) {
                expanded = expanded.saturating_add(size);
                if expanded > limits.max_entity_expansion {
                    return Some((
                        start,
                        format!(
                            "entity references expand to more than {} bytes of text",
                            limits.max_entity_expansion
                        ),
                    ));
                }
            }
            at = end.max(start + 1);
        }
        None
    };
    let mut content_from = 0;
    // Most of a document is text between tags: memchr's vectorised search skips it.
    while let Some(p) = memchr::memchr(b'<', &bytes[i..]) {
        let at = i + p;
        if let Some(found) = count_references(content_from, at, &entities) {
            return Some(found);
        }
        let rest = &bytes[at..];
        if rest.starts_with(b"<!--") {
            i = skip_to(at + 4, b"-->");
        } else if rest.starts_with(b"<![CDATA[") {
            i = skip_to(at + 9, b"]]>");
        } else if rest.starts_with(b"<?") {
            i = skip_to(at + 2, b"?>");
        } else if rest.starts_with(b"<!") {
            // A declaration, with an internal subset in brackets.
            let close = markup_close(bytes, at + 2, true);
            if rest.starts_with(b"<!DOCTYPE") {
                entities = EntityTable::declared_in(&text[at..close.min(text.len())]);
            }
            i = close + 1;
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            i = at + 2;
        } else {
            let j = markup_close(bytes, at + 1, false);
            if bytes.get(j.wrapping_sub(1)) != Some(&b'/') {
                depth += 1;
                if depth > limits.max_depth {
                    return Some((
                        at,
                        format!("elements nested deeper than {} levels", limits.max_depth),
                    ));
                }
            }
            let end = j.min(bytes.len());
            let attributes = count_attributes(&bytes[at..end], limits.max_attributes);
            if attributes > limits.max_attributes {
                return Some((
                    at,
                    format!(
                        "an element with more than {} attributes",
                        limits.max_attributes
                    ),
                ));
            }
            // Attribute values may hold references too.
            if let Some(found) = count_references(at, end, &entities) {
                return Some(found);
            }
            i = j + 1;
        }
        content_from = i.min(bytes.len());
        if i >= bytes.len() {
            break;
        }
    }
    count_references(content_from, bytes.len(), &entities)
}

/// The attributes of a start tag (its `=` signs outside quoted values), counted up to
/// `max + 1`.
fn count_attributes(tag: &[u8], max: usize) -> usize {
    let mut count = 0;
    let mut quote = None;
    for &c in tag {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(c),
            (None, b'=') => {
                count += 1;
                if count > max {
                    break;
                }
            }
            _ => {}
        }
    }
    count
}

/// The internal general entities of a DOCTYPE, with the size of text each expands to.
#[derive(Default)]
struct EntityTable {
    /// Name → literal value (references in it not yet expanded).
    values: std::collections::HashMap<String, String>,
    /// Name → expanded size, filled on demand; `u64::MAX` for an entity that refers to itself.
    sizes: std::cell::RefCell<std::collections::HashMap<String, u64>>,
}

impl EntityTable {
    fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Reads `<!ENTITY name "value">` declarations; parameter entities and external entities
    /// (never read) expand to nothing here.
    fn declared_in(doctype: &str) -> EntityTable {
        let mut table = EntityTable::default();
        let mut rest = doctype;
        while let Some(p) = rest.find("<!ENTITY") {
            rest = &rest[p + "<!ENTITY".len()..];
            let body = rest.trim_start();
            if body.starts_with('%') {
                continue;
            }
            let name_end = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
            let name = &body[..name_end];
            let after = body[name_end..].trim_start();
            let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            if let Some(close) = after[1..].find(quote) {
                // The first declaration of a name is binding (XML 1.0 §4.2).
                table
                    .values
                    .entry(name.to_string())
                    .or_insert_with(|| after[1..1 + close].to_string());
            }
        }
        table
    }

    /// The size of text `&name;` expands to, or `None` if `name` is not declared here.
    fn expanded_size(&self, name: &str) -> Option<u64> {
        self.size_within(name, 0)
    }

    fn size_within(&self, name: &str, depth: usize) -> Option<u64> {
        let value = self.values.get(name)?;
        if let Some(size) = self.sizes.borrow().get(name) {
            return Some(*size);
        }
        // Deeper than any honest document nests its entities: treat as unbounded (roxmltree
        // reports the loop itself).
        if depth > 64 {
            return Some(u64::MAX);
        }
        let mut size = 0u64;
        let mut rest = value.as_str();
        while let Some(p) = rest.find('&') {
            size = size.saturating_add(p as u64);
            let Some(end) = rest[p..].find(';') else {
                break;
            };
            let reference = &rest[p + 1..p + end];
            size = size.saturating_add(
                self.size_within(reference, depth + 1)
                    .unwrap_or(end as u64 + 1),
            );
            rest = &rest[p + end + 1..];
        }
        size = size.saturating_add(rest.len() as u64);
        self.sizes.borrow_mut().insert(name.to_string(), size);
        Some(size)
    }
}

/// The index of the `>` that closes markup whose body starts at `from`, skipping quoted
/// literals and, for a declaration (`brackets_nest`), its bracketed internal subset;
/// `bytes.len()` when the markup is never closed.
fn markup_close(bytes: &[u8], from: usize, brackets_nest: bool) -> usize {
    let mut brackets = 0i32;
    let mut quote = None;
    for (j, &c) in bytes.iter().enumerate().skip(from) {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(c),
            (None, b'[') if brackets_nest => brackets += 1,
            (None, b']') if brackets_nest => brackets -= 1,
            (None, b'>') if brackets <= 0 => return j,
            _ => {}
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max_depth: usize, max_attributes: usize, max_entity_expansion: u64) -> ReadLimits {
        ReadLimits {
            max_depth,
            max_attributes,
            max_entity_expansion,
            ..ReadLimits::default()
        }
    }

    fn offset(text: &str, limits: ReadLimits) -> Option<usize> {
        prescan(text, &limits).map(|(at, _)| at)
    }

    #[test]
    fn counts_only_open_elements() {
        let text = "<a><!-- <b> --><![CDATA[<c>]]><?pi <d>?><e x='>'/><f>text</f></a>";
        assert_eq!(offset(text, limits(2, 10, 10)), None);
        assert_eq!(offset("<a><b><c/></b></a>", limits(1, 10, 10)), Some(3));
        let doctype = "<!DOCTYPE a [<!ENTITY e '<b>'>]><a/>";
        assert_eq!(offset(doctype, limits(1, 10, 10)), None);
    }

    #[test]
    fn counts_attributes_outside_quoted_values() {
        let text = "<a x='1=2' y=\"=\"><b z='1'/></a>";
        assert_eq!(offset(text, limits(9, 2, 10)), None);
        assert_eq!(offset(text, limits(9, 1, 10)), Some(0));
    }

    #[test]
    fn measures_what_entity_references_expand_to_nested_and_in_attributes() {
        let doc = "<!DOCTYPE a [<!ENTITY b 'xyz'><!ENTITY c '&b;&b;-'>]><a t='&c;'>&c;&amp;</a>";
        // &c; is 7 bytes; twice is 14.
        assert_eq!(offset(doc, limits(9, 9, 14)), None);
        let (at, message) = prescan(doc, &limits(9, 9, 13)).unwrap();
        assert_eq!(&doc[at..at + 3], "&c;");
        assert!(message.contains("more than 13 bytes"), "{message}");
        // An entity that refers to itself is unbounded, and refused before roxmltree sees it.
        let looping = "<!DOCTYPE a [<!ENTITY e '&e;'>]><a>&e;</a>";
        assert!(offset(looping, ReadLimits::default()).is_some());
    }
}

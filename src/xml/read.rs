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
    decode_text(path, bytes).map(flatten_nested_entities)
}

fn decode_text(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
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
    String::from_utf8(bytes)
        .map_err(|e| not_utf8(path, &e.as_bytes()[..e.utf8_error().valid_up_to()]))
}

/// The refusal of a file that is not UTF-8, at the first byte that is not (`before`: the
/// bytes before it, all UTF-8).
pub(super) fn not_utf8(path: &Path, before: &[u8]) -> Diagnostic {
    Diagnostic::error(
        Location::after(path, before),
        "invalid UTF-8; teikit reads UTF-8 XML, or UTF-16 with a byte-order mark (convert the file, e.g. with iconv)",
    )
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

/// Reads a file of at most `max_bytes`. A larger one is refused from its size before a byte of
/// it is read, and a file without a size (a pipe, a device) or one that grows meanwhile is cut
/// off at the limit: refusing a file costs nothing, whatever its size. The outer error is the
/// file's (it cannot be opened or read); the inner one the refusal, located at the file.
///
/// ```
/// use teikit::xml::read_within;
/// # let dir = tempfile::tempdir().unwrap();
/// # let path = dir.path().join("big.xml");
/// std::fs::File::create(&path).unwrap().set_len(4 << 30).unwrap(); // 4 GiB, sparse
/// let refused = read_within(&path, 1000).unwrap().unwrap_err();
/// assert!(refused.message.contains("larger than the 1000 byte limit"));
/// ```
pub fn read_within(path: &Path, max_bytes: usize) -> std::io::Result<Result<Vec<u8>, Diagnostic>> {
    let mut bytes = Vec::new();
    Ok(read_within_into(path, max_bytes, &mut bytes)?.map(|()| bytes))
}

/// [`read_within`] into `buffer` (cleared first), so that a caller reading many files reuses
/// one allocation.
pub fn read_within_into(
    path: &Path,
    max_bytes: usize,
    buffer: &mut Vec<u8>,
) -> std::io::Result<Result<(), Diagnostic>> {
    use std::io::Read;
    buffer.clear();
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > max_bytes as u64 {
        return Ok(Err(too_large(path, max_bytes)));
    }
    buffer.reserve(size as usize);
    file.take(max_bytes as u64 + 1).read_to_end(buffer)?;
    if buffer.len() > max_bytes {
        buffer.clear();
        return Ok(Err(too_large(path, max_bytes)));
    }
    Ok(Ok(()))
}

/// The refusal of a document over the size limit, whether its size or its text told.
pub(super) fn too_large(path: &Path, max_bytes: usize) -> Diagnostic {
    Diagnostic::error(
        Location::file_start(path),
        format!("the document is larger than the {max_bytes} byte limit"),
    )
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
        return Err(too_large(path, limits.max_bytes));
    }
    let deepest = match prescan(text, &limits) {
        Ok(deepest) => deepest,
        Err((offset, message)) => {
            let (line, column) = LineIndex::new(text).line_column(text, offset);
            return Err(Diagnostic::error(
                Location::new(path, line, column),
                format!("{message}; refusing the document (the limit is configurable)"),
            ));
        }
    };
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let parse = || roxmltree::Document::parse_with_options(text, options);
    let parsed = if deepest <= SHALLOW_ENOUGH {
        parse()
    } else {
        // roxmltree parses by recursion, hundreds of bytes of stack a level: a document
        // deeper than any thread's stack is parsed on a thread with a stack for its depth, so
        // that whatever depth the limits allow is parsed, and nothing overflows.
        let stack = deepest
            .saturating_mul(STACK_PER_LEVEL)
            .saturating_add(1 << 24);
        let spawned = std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("deep-parse".into())
                .stack_size(stack)
                .spawn_scoped(scope, parse)
                .map(|worker| worker.join())
        });
        match spawned {
            Ok(Ok(parsed)) => parsed,
            _ => {
                return Err(Diagnostic::error(
                    Location::file_start(path),
                    format!(
                        "elements nested {deepest} levels deep, more than this machine can \
                         parse (a stack of {stack} bytes could not be had)"
                    ),
                ))
            }
        }
    };
    parsed.map_err(|e| {
        let pos = e.pos();
        Diagnostic::error(
            Location::new(path, pos.row as usize, pos.col as usize),
            format!("not well-formed XML: {}", describe(&e, text)),
        )
    })
}

/// The deepest document parsed on the calling thread's stack: roxmltree needs about 700 bytes
/// of stack a level (measured: a 64 MiB stack overflows at about 95,000 levels), and a thread
/// may have as little as 2 MiB.
const SHALLOW_ENOUGH: usize = 1000;
/// The stack given a level of a deeper document: three times what roxmltree was measured to
/// need (only the pages used are ever committed).
const STACK_PER_LEVEL: usize = 2048;

/// roxmltree's message, with the character found named as the text has it: roxmltree names
/// only its first byte, as if Latin-1 (`not 'Â'` for a no-break space).
fn describe(error: &roxmltree::Error, text: &str) -> String {
    let found = |pos: roxmltree::TextPos| -> String {
        let line_start = match pos.row {
            0 | 1 => Some(0),
            row => text
                .match_indices('\n')
                .nth(row as usize - 2)
                .map(|(at, _)| at + 1),
        };
        match line_start.and_then(|start| {
            text[start..]
                .chars()
                .nth((pos.col as usize).saturating_sub(1))
        }) {
            Some(c) if c.is_ascii_graphic() => format!("'{c}'"),
            Some(c) => format!("'{c}' (U+{:04X})", u32::from(c)),
            None => "the end of the text".to_string(),
        }
    };
    match error {
        roxmltree::Error::InvalidChar(expected, _, pos) => {
            format!(
                "expected '{}' not {} at {pos}",
                *expected as char,
                found(*pos)
            )
        }
        roxmltree::Error::InvalidChar2(expected, _, pos) => {
            format!("expected {expected} not {} at {pos}", found(*pos))
        }
        other => other.to_string(),
    }
}

/// The most text the flattened entity values of one internal subset may hold; beyond it the
/// document is left as it is, for [`parse`]'s limit on entity expansion to refuse.
const MAX_FLATTENED_ENTITIES: usize = 16 * 1024 * 1024;

/// `text` with the internal entities its DOCTYPE declares in terms of one another declared by
/// their full replacement text instead (`<!ENTITY b "&a;&a;">` → `<!ENTITY b "xx">`), so that no
/// reference in the document nests: the same document, as XML defines it. roxmltree refuses
/// entity references nested more than ten deep, or more than 255 in one, as "a possible loop"
/// whatever their size (a chain of ten one-character entities); libxml2 and jing accept them,
/// and teikit's own limit on expansion ([`ReadLimits::max_entity_expansion`]) is what bounds
/// the cost. Lines and columns after the DOCTYPE are kept: the rewritten DOCTYPE has as many
/// lines as the original, and its last line is padded to the same length where it can be.
/// Real loops, parameter entities and anything unusual leave the text as it is.
/// Whether the document's DOCTYPE declares entities (whose values [`decode`] may rewrite).
pub(super) fn declares_entities(text: &str) -> bool {
    entity_doctype(text).is_some()
}

/// Where the DOCTYPE of the prolog starts and where its `>` is (the text's end where it has
/// none), if it declares entities.
fn entity_doctype(text: &str) -> Option<(usize, usize)> {
    let start = doctype_in_prolog(text)?;
    let close = markup_close(text.as_bytes(), start + 2, true);
    text[start..close]
        .contains("<!ENTITY")
        .then_some((start, close))
}

fn flatten_nested_entities(text: String) -> String {
    let Some((start, close)) = entity_doctype(&text) else {
        return text;
    };
    if close >= text.len() {
        return text;
    }
    let doctype = &text[start..=close];
    let Some(subset_end) = doctype.rfind(']') else {
        return text;
    };
    if doctype.contains('%') || doctype[subset_end..].contains('\n') {
        return text;
    }
    let table = EntityTable::declared_in(doctype);
    let nests = table
        .values
        .values()
        .any(|v| references(v).any(|name| table.values.contains_key(name)));
    if !nests {
        return text;
    }
    let mut flattened: std::collections::HashMap<String, String> = Default::default();
    let mut total = 0usize;
    for name in table.values.keys() {
        match flatten(&table, name, &mut flattened, 0) {
            Some(value) => total += value.len(),
            None => return text,
        }
        if total > MAX_FLATTENED_ENTITIES {
            return text;
        }
    }
    // Each declaration's literal replaced by its flattened one: a quote and line ends as
    // character references, which read as content give the same characters.
    let mut rewritten = String::with_capacity(doctype.len() + total * 2);
    let mut copied = 0;
    for (name, literal) in &table.literals {
        let Some(value) = flattened.get(name) else {
            continue;
        };
        rewritten.push_str(&doctype[copied..literal.start]);
        rewritten.push('"');
        for c in value.chars() {
            match c {
                '"' => rewritten.push_str("&#34;"),
                '\n' => rewritten.push_str("&#10;"),
                '\r' => rewritten.push_str("&#13;"),
                '\t' => rewritten.push_str("&#9;"),
                c => rewritten.push(c),
            }
        }
        rewritten.push('"');
        copied = literal.end;
    }
    rewritten.push_str(&doctype[copied..]);
    // As many lines as before: the missing line ends go before the subset's `]`; then the
    // last line padded to its former length.
    let lines = |s: &str| s.matches('\n').count();
    let Some(bracket) = rewritten.rfind(']') else {
        return text;
    };
    let missing = lines(doctype).saturating_sub(lines(&rewritten));
    let (before, tail) = rewritten.split_at(bracket);
    let mut padded = format!("{before}{}", "\n".repeat(missing));
    let last_line = |s: &str| s[s.rfind('\n').map_or(0, |p| p + 1)..].chars().count();
    let old_last = last_line(doctype);
    let new_last = last_line(&padded) + tail.chars().count();
    padded.push_str(&" ".repeat(old_last.saturating_sub(new_last)));
    padded.push_str(tail);
    if lines(&padded) != lines(doctype) {
        return text;
    }
    format!("{}{padded}{}", &text[..start], &text[close + 1..])
}

/// Where the DOCTYPE begins, if the prolog has one: only the XML declaration, comments,
/// processing instructions and white space may stand before it, so the search ends at the first
/// other markup (the root element) instead of reading the whole document.
fn doctype_in_prolog(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = 0;
    loop {
        at += memchr::memchr(b'<', &bytes[at..])?;
        let rest = &text[at..];
        let skip_to = |end: &str| rest.find(end).map(|p| at + p + end.len());
        if rest.starts_with("<!DOCTYPE") {
            return Some(at);
        } else if rest.starts_with("<?") {
            at = skip_to("?>")?;
        } else if rest.starts_with("<!--") {
            at = skip_to("-->")?;
        } else {
            return None;
        }
    }
}

/// The names of the general entity references in an entity's literal value.
fn references(value: &str) -> impl Iterator<Item = &str> {
    value.split('&').skip(1).filter_map(|after| {
        let (name, _) = after.split_once(';')?;
        (!name.starts_with('#')).then_some(name)
    })
}

/// The literal of `name` with every reference to a declared internal entity replaced by that
/// entity's flattened literal (the parsers teikit uses read a literal as content where it is
/// referenced, character references included); `None` for a loop or a reference too deep.
fn flatten(
    table: &EntityTable,
    name: &str,
    done: &mut std::collections::HashMap<String, String>,
    depth: usize,
) -> Option<String> {
    if let Some(value) = done.get(name) {
        return Some(value.clone());
    }
    if depth > 64 {
        return None;
    }
    let literal = table.values.get(name)?;
    let mut out = String::with_capacity(literal.len());
    let mut rest = literal.as_str();
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        let after = &rest[p + 1..];
        let end = after.find(';')?;
        let reference = &after[..end];
        if table.values.contains_key(reference) {
            out.push_str(&flatten(table, reference, done, depth + 1)?);
        } else {
            // A predefined entity, or one declared elsewhere: left for the parser.
            out.push('&');
            out.push_str(reference);
            out.push(';');
        }
        rest = &after[end + 1..];
        if out.len() > MAX_FLATTENED_ENTITIES {
            return None;
        }
    }
    out.push_str(rest);
    done.insert(name.to_string(), out.clone());
    Some(out)
}

/// The first place where `text` passes one of `limits` (depth, attributes, entity expansion),
/// with what was passed, by one flat scan of the markup.
/// Checks the limits on `text` before it is parsed: the deepest nesting found, or where a limit
/// is broken and how.
fn prescan(text: &str, limits: &ReadLimits) -> Result<usize, (usize, String)> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut deepest = 0usize;
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
            return Err(found);
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
                deepest = deepest.max(depth);
                if depth > limits.max_depth {
                    return Err((
                        at,
                        format!("elements nested deeper than {} levels", limits.max_depth),
                    ));
                }
            }
            let end = j.min(bytes.len());
            let attributes = count_attributes(&bytes[at..end], limits.max_attributes);
            if attributes > limits.max_attributes {
                return Err((
                    at,
                    format!(
                        "an element with more than {} attributes",
                        limits.max_attributes
                    ),
                ));
            }
            // Attribute values may hold references too.
            if let Some(found) = count_references(at, end, &entities) {
                return Err(found);
            }
            i = j + 1;
        }
        content_from = i.min(bytes.len());
        if i >= bytes.len() {
            break;
        }
    }
    match count_references(content_from, bytes.len(), &entities) {
        Some(found) => Err(found),
        None => Ok(deepest),
    }
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
    /// Every declaration's name and where its quoted literal stands in the DOCTYPE, quotes
    /// included, in order.
    literals: Vec<(String, std::ops::Range<usize>)>,
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
        let mut at = 0;
        while let Some(p) = doctype[at..].find("<!ENTITY") {
            at += p + "<!ENTITY".len();
            let body = doctype[at..].trim_start();
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
                let literal_start = doctype.len() - after.len();
                table
                    .literals
                    .push((name.to_string(), literal_start..literal_start + close + 2));
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
        prescan(text, &limits).err().map(|(at, _)| at)
    }

    #[test]
    fn entities_declared_by_one_another_are_flattened_keeping_lines_and_columns() {
        // Ten chained one-character entities: roxmltree alone calls it a loop.
        let mut subset = String::from("<!ENTITY e0 \"x\">\n");
        for i in 1..=10 {
            subset.push_str(&format!("<!ENTITY e{i} \"&e{};\">\n", i - 1));
        }
        let doc = format!("<!DOCTYPE a [\n{subset}]>\n<a>&e10; <b>&amp;</b></a>");
        assert!(roxmltree::Document::parse_with_options(
            &doc,
            roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            }
        )
        .is_err());
        let flat = flatten_nested_entities(doc.clone());
        let parsed = parse(Path::new("a.xml"), &flat, ReadLimits::default()).unwrap();
        assert_eq!(parsed.root_element().text(), Some("x "));
        // The root element stands where it stood.
        let line_column = |t: &str| LineIndex::new(t).line_column(t, t.find("<a>").unwrap());
        assert_eq!(line_column(&flat), line_column(&doc));
        // 300 references in one entity (more than roxmltree's 255), markup and `&amp;` kept.
        let doc = format!(
            "<!DOCTYPE a [<!ENTITY b '<i>y</i>&amp;'><!ENTITY c '{}'>]>\n<a>&c;</a>",
            "&b;".repeat(300)
        );
        let flat = flatten_nested_entities(doc);
        let parsed = parse(Path::new("a.xml"), &flat, ReadLimits::default()).unwrap();
        let root = parsed.root_element();
        assert_eq!(root.children().filter(|n| n.has_tag_name("i")).count(), 300);
        let texts: Vec<_> = root.children().filter_map(|n| n.text()).take(3).collect();
        assert_eq!(texts, ["y", "&", "y"], "{}", &flat[..200]);
        // A real loop is left for the limits to refuse.
        let looping = "<!DOCTYPE a [<!ENTITY e '&f;'><!ENTITY f '&e;'>]><a>&e;</a>".to_string();
        assert_eq!(flatten_nested_entities(looping.clone()), looping);
    }

    #[test]
    fn a_wrong_character_is_named_as_the_text_has_it() {
        let err = parse(
            Path::new("a.xml"),
            "<a x\u{a0}=\"1\"/>",
            ReadLimits::default(),
        )
        .unwrap_err();
        assert!(
            err.message
                .contains("expected '=' not '\u{a0}' (U+00A0) at 1:5"),
            "{}",
            err.message
        );
        assert!(!err.message.contains('Â'), "{}", err.message);
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
        let (at, message) = prescan(doc, &limits(9, 9, 13)).unwrap_err();
        assert_eq!(&doc[at..at + 3], "&c;");
        assert!(message.contains("more than 13 bytes"), "{message}");
        // An entity that refers to itself is unbounded, and refused before roxmltree sees it.
        let looping = "<!DOCTYPE a [<!ENTITY e '&e;'>]><a>&e;</a>";
        assert!(offset(looping, ReadLimits::default()).is_some());
    }
}

//! Reading XML documents safely: roxmltree behind limits it does not enforce itself.
//!
//! roxmltree refuses external entities (it never reads or fetches them) and detects entity
//! expansion bombs; it does recurse once per level of element nesting, so a hostile document
//! nested a hundred thousand deep would exhaust the stack. [`parse`] measures the nesting first
//! with a flat scan and refuses documents deeper than [`ReadLimits::max_depth`].

use crate::diagnostic::{Diagnostic, LineIndex, Location};
use std::path::Path;

/// Limits on documents read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// The largest document, in bytes.
    pub max_bytes: usize,
    /// The deepest element nesting.
    pub max_depth: usize,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_bytes: 512 * 1024 * 1024,
            max_depth: 4096,
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
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let (line, column) = LineIndex::new(&prefix).line_column(&prefix, valid);
        Diagnostic::error(
            Location::new(path, line, column),
            "invalid UTF-8; teikit reads UTF-8 XML, or UTF-16 with a byte-order mark (convert the file, e.g. with iconv)",
        )
    })
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
    if let Some(offset) = depth_exceeded(text, limits.max_depth) {
        let (line, column) = LineIndex::new(text).line_column(text, offset);
        return Err(Diagnostic::error(
            Location::new(path, line, column),
            format!("elements nested deeper than {} levels; refusing the document (the limit is configurable)", limits.max_depth),
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

/// The offset of the first start tag deeper than `max`, by a flat scan of the markup.
fn depth_exceeded(text: &str, max: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    let skip_to = |from: usize, end: &[u8]| -> usize {
        bytes[from..]
            .windows(end.len())
            .position(|w| w == end)
            .map_or(bytes.len(), |p| from + p + end.len())
    };
    while let Some(p) = bytes[i..].iter().position(|b| *b == b'<') {
        let at = i + p;
        let rest = &bytes[at..];
        if rest.starts_with(b"<!--") {
            i = skip_to(at + 4, b"-->");
        } else if rest.starts_with(b"<![CDATA[") {
            i = skip_to(at + 9, b"]]>");
        } else if rest.starts_with(b"<?") {
            i = skip_to(at + 2, b"?>");
        } else if rest.starts_with(b"<!") {
            // A declaration, with an internal subset in brackets.
            i = markup_close(bytes, at + 2, true) + 1;
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            i = at + 2;
        } else {
            let j = markup_close(bytes, at + 1, false);
            if bytes.get(j.wrapping_sub(1)) != Some(&b'/') {
                depth += 1;
                if depth > max {
                    return Some(at);
                }
            }
            i = j + 1;
        }
        if i >= bytes.len() {
            break;
        }
    }
    None
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

    #[test]
    fn counts_only_open_elements() {
        let text = "<a><!-- <b> --><![CDATA[<c>]]><?pi <d>?><e x='>'/><f>text</f></a>";
        assert_eq!(depth_exceeded(text, 2), None);
        assert_eq!(depth_exceeded("<a><b><c/></b></a>", 1), Some(3));
        let doctype = "<!DOCTYPE a [<!ENTITY e '<b>'>]><a/>";
        assert_eq!(depth_exceeded(doctype, 1), None);
    }
}

//! XML in and out.
//!
//! Reading goes through `roxmltree` (fast, borrowed, read-only) behind the limits of [`parse`]
//! ([`read_file`] and [`decode`] turn a file's bytes into text first). Readers that need no
//! tree (the validator) or keep one of their own (the differ) use [`scan`] instead: one flat
//! pass that checks well-formedness as roxmltree does and copies nothing; [`mapped`] hands
//! them a large file's text without reading it into memory. [`chars`] says which characters
//! XML allows, and which make its names.
//!
//! Writing goes through a small owned tree ([`Element`], [`Node`]), which the converter builds
//! completely before serialising it once with `quick-xml`. The tree knows nothing about TEI.
//! The serialiser indents element-only content and leaves mixed content exactly as built, so
//! indentation never changes the text of a document.

pub mod chars;
pub mod files;
pub mod mapped;
mod read;
pub mod scan;
mod tree;
mod write;
pub mod xinclude;

pub use read::{decode, parse, read_file, read_within, read_within_into, Encoding, ReadLimits};
pub use tree::{Element, Node};
pub use write::to_xml_string;

/// The TEI P5 namespace.
pub const TEI_NS: &str = crate::base::ns::TEI;

/// `text` escaped for XML: `&`, `<`, `>` and `"`, so that it can stand as content or as a
/// double-quoted attribute value (and as HTML text).
///
/// ```
/// assert_eq!(teikit::xml::escape(r#"a < b & "c""#), "a &lt; b &amp; &quot;c&quot;");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

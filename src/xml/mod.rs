//! A small owned XML tree for documents teikit *writes*, and its serialiser.
//!
//! Reading goes through `roxmltree` (fast, borrowed, read-only) behind the limits of [`parse`],
//! or, for readers that keep a tree of their own (the differ), through [`scan`], one flat pass
//! that checks well-formedness as roxmltree does and copies nothing. Writing goes through
//! this tree,
//! which the converter builds completely before serialising it once with `quick-xml`. The tree
//! knows nothing about TEI.
//!
//! The serialiser indents element-only content and leaves mixed content exactly as built, so
//! indentation never changes the text of a document.

mod read;
pub mod scan;
mod tree;
mod write;

pub use read::{decode, parse, read_file, Encoding, ReadLimits};
pub use tree::{Element, Node};
pub use write::to_xml_string;

/// The TEI P5 namespace.
pub const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";

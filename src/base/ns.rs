//! Namespace names.

/// The XML namespace, bound to the prefix `xml` (`xml:id`, `xml:lang`, `xml:space`).
pub const XML: &str = "http://www.w3.org/XML/1998/namespace";

/// The TEI namespace.
pub const TEI: &str = "http://www.tei-c.org/ns/1.0";

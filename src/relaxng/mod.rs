//! A RELAX NG validator of our own: complete, following the specification (OASIS, 2001) and
//! James Clark's derivative algorithm.
//!
//! **Takes** a schema in the XML syntax (`.rng`) or the compact syntax (`.rnc`, read by
//! [`compact`]) and documents to validate. **Gives** a
//! compiled [`Schema`] (or a [`SchemaError`] with file, line and column), and for each document
//! every problem found, with file, line, column, element path, and what was expected.
//!
//! The stages, each its own module: [`syntax`] reads the XML syntax and checks it (section 3,
//! the per-file parts of section 4); [`compile`] resolves grammars, includes and external
//! references into interned [`pattern`]s and expands references (section 4); [`restrict`]
//! rejects incorrect schemas (section 7); [`derive`](mod@derive) computes memoised derivatives; [`validate`]
//! walks documents in one pass of [`crate::xml::scan`]'s events (no tree), recovers after
//! errors and words the messages, keeping the document's IDs compactly (`ids`). [`datatype`]
//! holds the built-in and XML Schema datatype libraries.
//!
//! **Does not** fetch anything from the network (an `href` must name a local file), apply DTD
//! attribute defaults, or check the DTD-compatibility spec beyond ID uniqueness and IDREFs.
//!
//! ```
//! use teikit::relaxng::Schema;
//! let schema = Schema::from_str(
//!     r#"<element name="memo" xmlns="http://relaxng.org/ns/structure/1.0"><text/></element>"#,
//!     std::path::Path::new("memo.rng"),
//! ).unwrap();
//! let mut validator = schema.validator();
//! assert!(validator.validate(std::path::Path::new("a.xml"), "<memo>hi</memo>").is_empty());
//! let errors = validator.validate(std::path::Path::new("b.xml"), "<note/>");
//! assert!(errors[0].message.contains("element `note` not allowed"));
//! ```

pub mod cache;
pub mod compact;
pub mod compile;
pub mod datatype;
pub mod derive;
pub mod expect;
mod ids;
pub mod pattern;
pub mod restrict;
pub mod syntax;
pub mod validate;

pub use datatype::translate_xsd_regex;
pub use validate::Validator;

use crate::base::diagnostic::Location;
use compile::Compiled;
use datatype::XsdType;
use pattern::Pat;
use std::path::{Path, PathBuf};

/// teikit's own TEI customization for documentary editions (`schema/teikit-documentary.rng`),
/// shipped inside the binary: the default schema of `teikit validate` and `teikit build`.
pub const BUNDLED_SCHEMA: &str = include_str!("../../schema/teikit-documentary.rng");

/// The name under which the bundled schema appears in messages.
pub const BUNDLED_SCHEMA_NAME: &str = "(bundled) teikit-documentary.rng";

/// The largest schema file read.
pub const MAX_SCHEMA_BYTES: u64 = 64 * 1024 * 1024;

/// Why a schema could not be compiled.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The schema file could not be read.
    #[error("{path}: cannot read schema: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The schema is not well-formed, not RELAX NG, or incorrect.
    #[error("{location}: error: {message}")]
    Syntax {
        /// Where.
        location: Location,
        /// What is wrong.
        message: String,
    },
}

/// A compiled schema, ready to validate any number of documents.
pub struct Schema {
    compiled: Compiled,
    id_attributes: Vec<(String, String, XsdType)>,
    path: PathBuf,
}

impl Schema {
    /// Reads and compiles the schema at `path`.
    pub fn from_file(path: &Path) -> Result<Self, SchemaError> {
        Self::from_file_cached(path, None)
    }

    /// Like [`Schema::from_file`], using the compiled-schema cache in `cache_dir` (see
    /// [`cache`]): a schema compiled before, whose files have not changed, is loaded instead of
    /// compiled; a schema compiled now is saved there.
    pub fn from_file_cached(path: &Path, cache_dir: Option<&Path>) -> Result<Self, SchemaError> {
        let metadata = std::fs::metadata(path).map_err(|source| SchemaError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        if metadata.len() > MAX_SCHEMA_BYTES {
            return Err(SchemaError::Syntax {
                location: Location::file_start(path),
                message: format!("the schema is larger than the {MAX_SCHEMA_BYTES} byte limit"),
            });
        }
        let bytes = std::fs::read(path).map_err(|source| SchemaError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|_| SchemaError::Syntax {
            location: Location::file_start(path),
            message: "the schema is not UTF-8".into(),
        })?;
        let Some(dir) = cache_dir else {
            return Self::from_str(&text, path);
        };
        if let Some(schema) = cache::load(dir, path, &text) {
            return Ok(schema);
        }
        let schema = Self::from_str(&text, path)?;
        cache::save(dir, &schema, &text);
        Ok(schema)
    }

    /// Compiles the schema `text`, as if read from `path` (relative `href`s resolve against it).
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str, path: &Path) -> Result<Self, SchemaError> {
        let root = parse_schema_text(path, text, "")?;
        let root_location = root.location.clone();
        let compiled = compile::compile(root, path, MAX_SCHEMA_BYTES)?;
        restrict::check(&compiled, &root_location)?;
        let id_attributes = id_attributes(&compiled);
        Ok(Schema {
            compiled,
            id_attributes,
            path: path.to_path_buf(),
        })
    }

    /// The bundled TEI subset for documentary editions ([`BUNDLED_SCHEMA`]).
    pub fn bundled() -> Result<Self, SchemaError> {
        Self::from_str(BUNDLED_SCHEMA, Path::new(BUNDLED_SCHEMA_NAME))
    }

    /// A validator for this schema. Keep it for a batch: what it learns about the schema's
    /// states is reused for every document.
    pub fn validator(&self) -> Validator<'_> {
        Validator::new(self)
    }

    /// Where the schema was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every element the schema allows (by local name), with the attributes each may carry
    /// (`xml:` attributes prefixed so): the schema's vocabulary, for documentation and tests.
    pub fn vocabulary(
        &self,
    ) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
        use syntax::NameClass;
        let store = &self.compiled.store;
        let mut out: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
            Default::default();
        let name = |nc: &NameClass| match nc {
            NameClass::Name(ns, local) if ns == crate::base::ns::XML => {
                Some(format!("xml:{local}"))
            }
            NameClass::Name(_, local) => Some(local.clone()),
            _ => None,
        };
        for &p in &store.patterns().to_vec() {
            let Pat::Element(nc, content) = p else {
                continue;
            };
            if !self.compiled.reachable.contains(&content) {
                continue;
            }
            let Some(element) = name(&store.name_classes[nc as usize]) else {
                continue;
            };
            let attributes = out.entry(element).or_default();
            let mut stack = vec![store.contents[content as usize]];
            let mut seen = std::collections::HashSet::new();
            while let Some(q) = stack.pop() {
                if !seen.insert(q) {
                    continue;
                }
                match store.get(q) {
                    Pat::Choice(a, b) | Pat::Group(a, b) | Pat::Interleave(a, b) => {
                        stack.push(a);
                        stack.push(b);
                    }
                    Pat::OneOrMore(a) => stack.push(a),
                    Pat::Attribute(anc, _) => {
                        if let Some(a) = name(&store.name_classes[anc as usize]) {
                            attributes.insert(a);
                        }
                    }
                    _ => {}
                }
            }
        }
        out
    }

    /// How many distinct patterns the compiled schema has.
    pub fn pattern_count(&self) -> usize {
        self.compiled.store.len()
    }
}

/// Parses a schema in the syntax its file name says: compact (`.rnc`) or XML (anything else).
pub fn parse_schema_text(path: &Path, text: &str, ns: &str) -> Result<syntax::Node, SchemaError> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("rnc"))
    {
        compact::parse_compact(path, text, ns)
    } else {
        syntax::parse_schema(path, text, ns)
    }
}

/// Attributes whose value is an XSD ID, IDREF or IDREFS (DTD compatibility): by name.
fn id_attributes(compiled: &Compiled) -> Vec<(String, String, XsdType)> {
    let store = &compiled.store;
    let mut out = Vec::new();
    for p in 0..store.len() as u32 {
        if let Pat::Attribute(nc, value) = store.get(p) {
            if let (Pat::Data(dt), syntax::NameClass::Name(ns, local)) =
                (store.get(value), &store.name_classes[nc as usize])
            {
                if let Some(kind) = store.datatypes[dt as usize].id_type() {
                    if !out.iter().any(|(n, l, _)| n == ns && l == local) {
                        out.push((ns.clone(), local.clone(), kind));
                    }
                }
            }
        }
    }
    out
}

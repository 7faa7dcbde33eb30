//! teikit: a toolchain for scholarly TEI P5 XML.
//!
//! - [`convert`]: historical documents in plain text become rich TEI P5;
//! - [`build`]: every source of an edition converted, checked by [`validation`] and written —
//!   the front-end over those stages that `teikit build` runs;
//! - [`registers`]: the other direction, registers an editor has in TEI read into `volume.toml`;
//! - [`relaxng`]: a RELAX NG validator of our own (derivatives, XSD datatypes);
//! - [`rules`]: semantic checks of TEI documents (ids, pointers, dates);
//! - [`validation`]: both over many files, in parallel;
//! - [`schemas`]: which schema a document declares (`xml-model`), found through catalogs or
//!   downloaded once into the cache;
//! - [`config`]: the project configuration, `teikit.toml`;
//! - [`scaffold`]: the files of a new edition (`teikit init`);
//! - [`xml`]: the small tree the converter writes with;
//! - [`diff`]: two revisions compared as documents;
//! - [`lsp`]: the language server, `teikit lsp`: diagnostics, completion, hover, navigation;
//! - [`publish`]: the XSLT reading edition, run by a Saxon found on the machine;
//! - [`output`]: atomic writes that never lose an editor's file;
//! - [`parallel`]: the ordered parallel map that validation, directory diffs and builds share;
//! - [`base`]: what all of them share: locations and messages, calendar dates, page numbers,
//!   element paths, namespaces, the registry of rules;
//!
//! The `teikit` command line (`src/cli/`, in the binary) parses arguments and calls these.
//!
//! No module uses `unsafe` but one: [`xml::mapped`], which maps large documents into memory
//! (there is no safe way to map a file), each use justified where it stands.
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod base;
pub mod build;
pub mod config;
pub mod convert;
pub mod diff;
pub mod lsp;
pub mod output;
pub mod parallel;
pub mod publish;
pub mod registers;
pub mod relaxng;
pub mod report;
pub mod rules;
pub mod scaffold;
pub mod schemas;
pub mod schematron;
pub mod validation;
pub mod xml;
pub mod xpath;

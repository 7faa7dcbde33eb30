//! The base layer: types that several stages share, so that no stage reaches into another for
//! them.
//!
//! - [`diagnostic`]: locations in files and the messages reported at them;
//! - [`calendar`]: days of the proleptic Gregorian calendar and their validity;
//! - [`pages`]: printed page numbers, arabic and roman;
//! - [`path`]: element paths (`/TEI/text/body/div[2]/p[4]`) as every report writes them;
//! - [`ns`]: the namespace names;
//! - [`glob`]: path patterns as a project configuration writes them;
//! - [`uri`]: URI references: schemes, escapes;
//! - [`regex`]: XSD's and XPath's regular expressions, translated for the `regex` crate;
//! - [`output`]: the output profiles of the converter (rich TEI, FRUS volumes);
//! - [`rule`]: the registry of validation rules, whose ids every diagnostic may carry.
//!
//! Everything above uses these; they use nothing of the crate above them.

pub mod calendar;
pub mod diagnostic;
pub mod glob;
pub mod ns;
pub mod output;
pub mod pages;
pub mod path;
pub mod regex;
pub mod rule;
pub mod uri;

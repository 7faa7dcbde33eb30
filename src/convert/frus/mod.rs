//! The publisher's profile: documents and volumes written as the Office of the Historian writes
//! FRUS (`volumes/VOLUME.xml` of `HistoryAtState/frus`, valid against its `frus.rnc` and
//! Schematron), from the same analysis as the default TEI output.
//!
//! What changes from the default output ([`document`] rewrites one document, [`volume`] puts
//! them in a volume):
//!
//! | default output | FRUS |
//! |---|---|
//! | `persName/@ref`, a title inside the name (`roleName`) | `persName/@corresp`, the title before it |
//! | `abbr/@corresp` and a terms list in `back` | `gloss/@target`, the terms list in `front` (`div xml:id="terms"`) |
//! | `listPerson` in the header | the list of persons in `front` (`div xml:id="persons"`) |
//! | `dateline/date` | `dateline/@rendition="#right"`, `date/@calendar`, `frus:doc-dateTime-min`/`-max` on the document |
//! | a signature's text | `signed/persName/hi[@rend="strong"]` |
//! | attachments in divisions | `frus:attachment` |
//!
//! What FRUS's schema or practice has no place for is left out, its text always kept: names of
//! places outside datelines and of organisations (unwrapped), the converter's record of
//! handwritten marks (`add`, `metamark`: the notes that report them stay verbatim), dates in the
//! text whose year the converter inferred (unwrapped; FRUS tags dates it can state), the
//! evidence and certainty of an inferred document date (its bounds remain), and the label type
//! of run-in heads.

pub mod document;
mod instant;
pub mod volume;

pub use document::{frus_document, FrusDocument, FRUS_NS};
pub use instant::document_bounds;
pub use volume::{assemble_volume, FrusVolume, VolumeEntry};

pub use crate::base::output::OutputProfile;

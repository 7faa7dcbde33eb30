//! The integration tests: one binary, so that the shared helpers and the library are compiled
//! and linked once (see README, "Tests").

mod bad_input;
mod bundled_schema;
mod common;
mod convert_frus_devset;
mod convert_memo;
mod convert_other_documents;
mod declared_schemas;
mod diff;
mod diff_review;
mod differential;
mod faults;
mod frus_volumes;
mod fuzz_regressions;
mod hostile_input;
mod jing_mutants;
mod layers;
mod lsp;
mod newcomer;
mod optional_tools;
mod progress;
mod publish;
mod registers_import;
mod relaxng_any_uri;
mod relaxng_cache;
mod relaxng_compact;
mod relaxng_corpus;
mod relaxng_spectest;
mod report_schemas;
mod tei_all_validity;
mod under_load;
mod validate_cli;
mod validate_project;
mod validate_real_tei;
mod xinclude;
mod xml_scan;

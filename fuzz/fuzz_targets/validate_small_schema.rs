//! The validator with a small schema that exercises interleave, lists, data types with facets,
//! name classes with exceptions, and mixed content, on arbitrary documents.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::LazyLock;
use teikit::relaxng::Schema;

/// Kept beside the regression tests, which validate the crashes found here with it.
const SMALL: &str = include_str!("../../tests/fixtures/fuzz/small.rnc");

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::from_str(SMALL, Path::new("small.rnc")).expect("the small schema compiles")
});

fuzz_target!(|bytes: &[u8]| {
    let path = Path::new("fuzz.xml");
    if let Ok(text) = teikit::xml::decode(path, bytes.to_vec()) {
        let _ = SCHEMA.validator().validate(path, &text);
    }
});

//! The XML reader and the validator with the bundled TEI subset, and the semantic rules, on
//! arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::LazyLock;
use teikit::relaxng::Schema;

static SCHEMA: LazyLock<Schema> =
    LazyLock::new(|| Schema::bundled().expect("the bundled schema compiles"));

fuzz_target!(|bytes: &[u8]| {
    let path = Path::new("fuzz.xml");
    let Ok(text) = teikit::xml::decode(path, bytes.to_vec()) else {
        return;
    };
    let _ = SCHEMA.validator().validate(path, &text);
    let _ = teikit::rules::check_document(path, &text);
});

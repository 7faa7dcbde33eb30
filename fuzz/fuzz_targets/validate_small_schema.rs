//! The validator with a small schema that exercises interleave, lists, data types with facets,
//! name classes with exceptions, and mixed content, on arbitrary documents.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::LazyLock;
use teikit::relaxng::Schema;

const SMALL: &str = r#"
default namespace = "urn:fuzz"
datatypes xsd = "http://www.w3.org/2001/XMLSchema-datatypes"
start = element doc { attribute id { xsd:ID }?, (item* & note?), any? }
item = element item {
  attribute n { xsd:positiveInteger { maxInclusive = "99" } }?,
  attribute when { xsd:date | xsd:gYearMonth }?,
  attribute refs { list { xsd:IDREF+ } }?,
  mixed { element hi { text }* }
}
note = element note { xsd:string { pattern = "[A-Z][a-z]*( [a-z]+)*\.?" } }
any = element * - (item | note) { attribute * { text }*, (text | any)* }
"#;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::from_str(SMALL, Path::new("small.rnc")).expect("the small schema compiles")
});

fuzz_target!(|bytes: &[u8]| {
    let path = Path::new("fuzz.xml");
    if let Ok(text) = teikit::xml::decode(path, bytes.to_vec()) {
        let _ = SCHEMA.validator().validate(path, &text);
    }
});

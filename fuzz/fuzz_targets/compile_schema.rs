//! The RELAX NG schema compiler, XML syntax and compact syntax, on arbitrary bytes: a schema
//! compiles or gives a located error. (include and externalRef resolve against a directory
//! that does not exist, so nothing is read.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use teikit::relaxng::Schema;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let _ = Schema::from_str(text, Path::new("/nonexistent/fuzz.rng"));
    let _ = Schema::from_str(text, Path::new("/nonexistent/fuzz.rnc"));
});

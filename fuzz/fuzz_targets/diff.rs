//! The differ on two arbitrary documents (the input split at the first NUL byte), in both
//! modes, and the JSON and human reports of the result.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use teikit::diff::{diff, diff_reading_text, Normalisation, Side};

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let (old, new) = text.split_once('\0').unwrap_or((text, text));
    let options = Normalisation::default();
    let (Ok(old), Ok(new)) = (
        Side::new(Path::new("old.xml"), old, options),
        Side::new(Path::new("new.xml"), new, options),
    ) else {
        return;
    };
    let _ = diff(&old, &new);
    let _ = diff_reading_text(&old, &new);
});

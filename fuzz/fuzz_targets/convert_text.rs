//! The plain-text converter on arbitrary bytes, with the memo's volume and document data:
//! it must return a conversion or located errors, never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::LazyLock;
use teikit::convert::editorial::{DocumentData, VolumeData};
use teikit::convert::{convert, source::SourceText};

static DATA: LazyLock<(VolumeData, DocumentData)> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../sources/frus1969-76v10");
    (
        VolumeData::load(&dir.join("volume.toml")).expect("the bundled volume data loads"),
        DocumentData::load(&dir.join("d59.toml")).expect("the bundled document data loads"),
    )
});

fuzz_target!(|bytes: &[u8]| {
    let (volume, document) = &*DATA;
    if let Ok(source) = SourceText::decode(Path::new("fuzz.txt"), bytes.to_vec()) {
        let _ = convert(&source, volume, document);
    }
});

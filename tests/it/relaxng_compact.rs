//! The compact syntax: TEI's own `.rnc` schemas give exactly the diagnostics their `.rng` twins
//! give, on every corpus file.

use crate::common::reference_dir;
use teikit::relaxng::Schema;

fn same_verdicts(rnc: &str, rng: &str) {
    let Some(reference) = reference_dir() else {
        return;
    };
    let compact = Schema::from_file(&reference.join(rnc)).unwrap_or_else(|e| panic!("{e}"));
    let xml = Schema::from_file(&reference.join(rng)).unwrap();
    let (mut a, mut b) = (compact.validator(), xml.validator());
    let mut checked = 0;
    for dir in ["corpus/valid-or-invalid", "corpus/mutants"] {
        for entry in std::fs::read_dir(reference.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let from_compact: Vec<String> = a
                .validate(&path, &text)
                .into_iter()
                .map(|d| d.to_string())
                .collect();
            let from_xml: Vec<String> = b
                .validate(&path, &text)
                .into_iter()
                .map(|d| d.to_string())
                .collect();
            assert_eq!(from_compact, from_xml, "{}", path.display());
            checked += 1;
        }
    }
    assert_eq!(checked, 29);
}

#[test]
fn tei_all_rnc_and_rng_agree() {
    same_verdicts("tei/tei_all.rnc", "tei/tei_all.rng");
}

#[test]
fn teisimple_rnc_and_rng_agree() {
    same_verdicts("tei/teisimple.rnc", "tei/teisimple.rng");
}

//! How much validation costs over parsing: roxmltree parse alone versus parse and validate
//! against tei_all, on the 2.2 MB FRUS history monograph (median of repeated runs, warm
//! validator, as in a batch). Run with `cargo bench --bench parse_vs_validate`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let reference = std::env::var_os("TEIKIT_REFERENCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/reference"));
    let schema_path = reference.join("tei/tei_all.rng");
    let doc_path = reference.join("corpus/valid-or-invalid/frus-history.xml");
    let Ok(text) = std::fs::read_to_string(&doc_path) else {
        eprintln!("no reference data at {}", reference.display());
        return;
    };
    let schema_text = std::fs::read_to_string(&schema_path).unwrap();
    let t = Instant::now();
    let parsed = teikit::xml::parse(
        &schema_path,
        &schema_text,
        teikit::xml::ReadLimits::default(),
    )
    .unwrap();
    println!(
        "tei_all.rng roxmltree parse: {:.1} ms ({} nodes)",
        t.elapsed().as_secs_f64() * 1e3,
        parsed.descendants().count()
    );
    drop(parsed);
    let compile_start = Instant::now();
    let schema = teikit::relaxng::Schema::from_file(&schema_path).expect("tei_all compiles");
    let compile = compile_start.elapsed();
    let mut validator = schema.validator();
    let runs = 15;
    let mut parse = Vec::new();
    let mut validate = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let doc = teikit::xml::parse(&doc_path, &text, teikit::xml::ReadLimits::default()).unwrap();
        parse.push(t.elapsed());
        drop(doc);
        let t = Instant::now();
        let errors = validator.validate(&doc_path, &text);
        validate.push(t.elapsed());
        assert!(errors.is_empty());
    }
    let (p, v) = (median(parse), median(validate));
    println!("tei_all compile: {:.1} ms", compile.as_secs_f64() * 1e3);
    println!(
        "frus-history.xml ({} bytes): parse {:.1} ms, parse+validate {:.1} ms, ratio {:.2}",
        text.len(),
        p.as_secs_f64() * 1e3,
        v.as_secs_f64() * 1e3,
        v.as_secs_f64() / p.as_secs_f64()
    );
}

//! How much validation costs over parsing: a roxmltree parse of the document (what reading it
//! into a tree costs) against validating it against tei_all, which reads the text once with
//! teikit's scanner and builds no tree, on the 2.2 MB FRUS history monograph (median of
//! repeated runs, warm validator, as in a batch). Run with `cargo bench --bench
//! parse_vs_validate`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// A handler that does nothing: what the scan alone costs.
struct Nothing;

impl teikit::xml::scan::Handler for Nothing {
    fn start_element(&mut self, _: &teikit::xml::scan::StartTag<'_>) {}
    fn end_element(&mut self, _: usize) {}
    fn text(&mut self, _: teikit::xml::scan::Chars<'_>, _: usize) {}
    fn comment(&mut self, _: teikit::xml::scan::Chars<'_>, _: usize) {}
    fn processing_instruction(&mut self, _: &str, _: teikit::xml::scan::Chars<'_>, _: usize) {}
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
    let mut scan = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        teikit::xml::scan::scan(&text, teikit::xml::ReadLimits::default(), &mut Nothing).unwrap();
        scan.push(t.elapsed());
        let t = Instant::now();
        let doc = teikit::xml::parse(&doc_path, &text, teikit::xml::ReadLimits::default()).unwrap();
        parse.push(t.elapsed());
        drop(doc);
        let t = Instant::now();
        let errors = validator.validate(&doc_path, &text);
        validate.push(t.elapsed());
        assert!(errors.is_empty());
    }
    let (p, v, s) = (median(parse), median(validate), median(scan));
    println!("tei_all compile: {:.1} ms", compile.as_secs_f64() * 1e3);
    println!(
        "frus-history.xml ({} bytes): roxmltree parse {:.1} ms, validate {:.1} ms, ratio {:.2}",
        text.len(),
        p.as_secs_f64() * 1e3,
        v.as_secs_f64() * 1e3,
        v.as_secs_f64() / p.as_secs_f64()
    );
    println!(
        "the scan alone (no handler): {:.1} ms, {:.0}% of validation",
        s.as_secs_f64() * 1e3,
        s.as_secs_f64() / v.as_secs_f64() * 100.0
    );
}

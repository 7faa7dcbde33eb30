//! Under load: validating and diffing 1 000 files in one call stays within a stated memory
//! bound. How busy the cores are is a benchmark's business (`scripts/bench_validate.py`), not a
//! test's: a test that reads CPU time fails on a busy machine for a slow neighbour.
//!
//! The bound (README, "Limits"): workers hold one document (validate) or one pair (diff) at a
//! time and keep only the problems or changes, so peak memory is about the number of cores
//! times the largest document, plus the reports — for 1 000 copies of the memo (15 MB in all)
//! well under 64 MB. Measured with getrusage(2) through `tests/load/rusage.py`.

use crate::common;
use crate::common::root;
use std::path::Path;
use std::process::Command;

const FILES: usize = 1000;
const MEMORY_BOUND_KIB: u64 = 64 * 1024;

struct Usage {
    exit: i64,
    peak_kib: u64,
}

fn measure(dir: &Path, args: &[&str]) -> Usage {
    let out = Command::new("python3")
        .arg(root().join("tests/load/rusage.py"))
        .arg(env!("CARGO_BIN_EXE_teikit"))
        .args(args)
        .current_dir(dir)
        .env("TEIKIT_CACHE_DIR", "off")
        .output()
        .expect("python3 runs");
    let line = String::from_utf8(out.stdout).unwrap();
    let v: serde_json::Value = serde_json::from_str(line.trim()).expect("one JSON line");
    Usage {
        exit: v["exit"].as_i64().unwrap(),
        peak_kib: v["peak_rss_kib"].as_u64().unwrap(),
    }
}

/// 1 000 copies of the memo under `old/`, and under `new/` the same with one word changed in
/// every tenth.
fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let memo = std::fs::read_to_string(root().join("tei/frus1969-76v10/d59.xml")).unwrap();
    let edited = memo.replacen("six days of negotiations", "seven days of negotiations", 1);
    for side in ["old", "new"] {
        std::fs::create_dir(dir.path().join(side)).unwrap();
    }
    for i in 0..FILES {
        let name = format!("d{i:04}.xml");
        std::fs::write(dir.path().join("old").join(&name), &memo).unwrap();
        let new = if i % 10 == 0 { &edited } else { &memo };
        std::fs::write(dir.path().join("new").join(&name), new).unwrap();
    }
    dir
}

fn check(what: &str, usage: &Usage, expected_exit: i64) {
    assert_eq!(usage.exit, expected_exit, "{what}: exit status");
    assert!(
        usage.peak_kib < MEMORY_BOUND_KIB,
        "{what}: {} KiB at peak, over the stated {MEMORY_BOUND_KIB} KiB",
        usage.peak_kib
    );
}

#[test]
fn a_thousand_files_validated_and_diffed_in_one_call_within_the_memory_bound() {
    let dir = corpus();
    let validate = measure(dir.path(), &["validate", "old"]);
    check("validate", &validate, 0);
    let diff = measure(dir.path(), &["diff", "old", "new"]);
    check("diff", &diff, 1);

    // And the report says what changed where: exactly the hundred edited files.
    let out = common::teikit_in(dir.path(), &["diff", "--stat", "old", "new"]);
    let listed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(listed.lines().count(), FILES / 10, "{listed}");
    assert!(
        listed.lines().all(|l| l.ends_with(": 1 change: 1 text")),
        "{listed}"
    );
    assert!(common::stderr(&out).contains("1000 file(s): 900 the same, 100 changed"));
}

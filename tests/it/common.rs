//! Helpers shared by the end-to-end tests: running the binary, finding reference data, and
//! reading TEI the way a reader would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const TEI: &str = "http://www.tei-c.org/ns/1.0";

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the `teikit` binary with `args` in `dir`.
pub fn teikit_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_teikit"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("TEIKIT_CACHE_DIR", "off")
        .output()
        .expect("the teikit binary runs")
}

/// Runs the `teikit` binary with `args` in the project root.
pub fn teikit(args: &[&str]) -> Output {
    teikit_in(&root(), args)
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Converts a bundled source and returns the TEI.
pub fn convert(source: &str) -> String {
    let out = teikit(&["convert", source]);
    assert!(
        out.status.success(),
        "convert {source} failed:\n{}",
        stderr(&out)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The reference data directory (`../shared/reference`, or `$TEIKIT_REFERENCE`). `None` when it
/// is missing outside CI; in CI a missing directory fails the test.
pub fn reference_dir() -> Option<PathBuf> {
    shared_dir("reference", "TEIKIT_REFERENCE")
}

/// The sources as received (`../shared/sources`, or `$TEIKIT_SHARED_SOURCES`), under the same
/// rule as [`reference_dir`].
pub fn shared_sources_dir() -> Option<PathBuf> {
    shared_dir("sources", "TEIKIT_SHARED_SOURCES")
}

/// The FRUS development set (`../shared/frus-devset`, or `$TEIKIT_FRUS_DEVSET`), under the same
/// rule as [`reference_dir`].
pub fn frus_devset_dir() -> Option<PathBuf> {
    shared_dir("frus-devset", "TEIKIT_FRUS_DEVSET")
}

/// `$variable` if set, else `../shared/<name>`; `None` when missing outside CI, a failed test
/// when missing in CI.
fn shared_dir(name: &str, variable: &str) -> Option<PathBuf> {
    let dir = std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared").join(name));
    if dir.is_dir() {
        Some(dir)
    } else if std::env::var_os("CI").is_some() {
        panic!(
            "shared {name} missing at {} (set {variable}); required in CI",
            dir.display()
        );
    } else {
        use std::io::Write;
        // Past the harness's capture, as for a missing tool ([`optional_tool`]).
        let _ = writeln!(
            std::io::stderr(),
            "skipping: no shared {name} at {}",
            dir.display()
        );
        None
    }
}

/// Whether an optional tool is there, the one rule for all of them: present, the check runs;
/// missing outside CI, one line on standard error says what is skipped and how to install the
/// tool; missing in CI (`CI` set), the test fails, since `.ci/run` installs everything.
pub fn optional_tool(tool: &str, present: bool, install: &str) -> bool {
    if present {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{tool} is missing; .ci/run installs it ({install}) and CI requires it");
    }
    // Straight to the terminal: the test harness captures `eprintln!` of a passing test, and a
    // skip hidden behind `ok` reads as a pass.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipping a check: {tool} is not installed ({install})"
    );
    false
}

/// Whether the program `name` is on the PATH, under [`optional_tool`]'s rule.
pub fn program(name: &str, install: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    optional_tool(name, found, install)
}

/// Whether `python3` can import `module`, under [`optional_tool`]'s rule.
pub fn python_module(module: &str, install: &str) -> bool {
    let found = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    optional_tool(&format!("python3 module {module}"), found, install)
}

/// The words of a plain-text source as a reader reads them: the notes at their reference
/// points, page markers, note numbers and the subject bullet removed.
///
/// Written independently of the converter: notes are the indented "N. " lines at the end; a
/// reference is the next note number glued to the end of a token.
pub fn source_words(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut notes: Vec<&str> = Vec::new();
    let mut body_end = lines.len();
    for (i, line) in lines.iter().enumerate().rev() {
        let t = line.trim_start();
        if line.trim().is_empty() {
            continue;
        }
        let numbered = line.starts_with(' ')
            && t.split_once(". ")
                .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()));
        if !numbered {
            break;
        }
        notes.insert(0, t.split_once(". ").unwrap().1);
        body_end = i;
    }
    let mut body = lines[..body_end].join("\n").replace('•', " ");
    // Remove [Page N] markers without adding space (a marker may stand inside a word).
    while let Some(start) = body.find("[Page ") {
        let end = body[start..].find(']').unwrap() + start + 1;
        body.replace_range(start..end, "");
    }
    let mut words = Vec::new();
    let mut next_note = 1;
    for token in body.split_whitespace() {
        let digits = token.len() - token.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let stem = &token[..token.len() - digits];
        let glued = stem
            .chars()
            .last()
            .is_some_and(|c| !c.is_ascii_digit() && c != '–' && c != '-');
        if digits > 0
            && glued
            && token[stem.len()..] == next_note.to_string()
            && next_note <= notes.len()
        {
            words.push(stem.to_string());
            words.extend(notes[next_note - 1].split_whitespace().map(str::to_string));
            next_note += 1;
        } else {
            words.push(token.to_string());
        }
    }
    assert_eq!(next_note - 1, notes.len(), "every note is referenced");
    words
}

/// The words of a TEI element as a reader reads them: text in document order, notes where they
/// stand (as separate words), editorial supplies (`supplied`) and empty copies left out.
pub fn reading_words(node: roxmltree::Node) -> Vec<String> {
    fn walk(node: roxmltree::Node, out: &mut String) {
        for child in node.children() {
            if child.is_text() {
                out.push_str(child.text().unwrap_or(""));
            } else if child.is_element() {
                match child.tag_name().name() {
                    "supplied" => {}
                    "note" => {
                        out.push(' ');
                        walk(child, out);
                        out.push(' ');
                    }
                    _ => walk(child, out),
                }
            }
        }
    }
    let mut text = String::new();
    walk(node, &mut text);
    text.split_whitespace().map(str::to_string).collect()
}

/// The document division of a TEI file.
pub fn document_div<'a>(doc: &'a roxmltree::Document<'a>) -> roxmltree::Node<'a, 'a> {
    doc.descendants()
        .find(|n| n.has_tag_name((TEI, "div")) && n.attribute("type") == Some("document"))
        .expect("a div of type document")
}

/// Every element named `name` (TEI namespace).
pub fn elements<'a>(doc: &'a roxmltree::Document<'a>, name: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.has_tag_name((TEI, name)))
        .collect()
}

/// The element with `xml:id` = `id`.
pub fn by_id<'a>(doc: &'a roxmltree::Document<'a>, id: &str) -> roxmltree::Node<'a, 'a> {
    doc.descendants()
        .find(|n| n.attribute((roxmltree::NS_XML_URI, "id")) == Some(id))
        .unwrap_or_else(|| panic!("no element with xml:id {id}"))
}

/// Text content of an element.
pub fn text(node: roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .map(|n| n.text().unwrap_or(""))
        .collect()
}

/// Checks that every xml:id is unique and every local pointer resolves; returns the problems.
pub fn unresolved_pointers(doc: &roxmltree::Document) -> Vec<String> {
    let mut ids = std::collections::HashSet::new();
    let mut problems = Vec::new();
    for n in doc.descendants() {
        if let Some(id) = n.attribute((roxmltree::NS_XML_URI, "id")) {
            if !ids.insert(id.to_string()) {
                problems.push(format!("duplicate id {id}"));
            }
        }
    }
    for n in doc.descendants().filter(|n| n.is_element()) {
        for a in n.attributes() {
            if matches!(
                a.name(),
                "ref"
                    | "corresp"
                    | "target"
                    | "hand"
                    | "scribeRef"
                    | "copyOf"
                    | "sameAs"
                    | "ana"
                    | "resp"
                    | "scheme"
                    | "who"
            ) {
                for token in a.value().split_whitespace() {
                    match token.strip_prefix('#') {
                        Some(id) if ids.contains(id) => {}
                        _ => problems.push(format!(
                            "@{}={token} on <{}> does not resolve",
                            a.name(),
                            n.tag_name().name()
                        )),
                    }
                }
            }
        }
    }
    problems
}

/// Runs the browser check `tests/publish/SCRIPT` on `page` with `args` after it, its
/// screenshots into `target/tmp/artifacts/ARTIFACTS` (build artifacts, never committed); asserts
/// that it passed, that it reported each of `checks`, and that each of `shots` is a PNG.
pub fn browser_check(
    script: &str,
    page: &Path,
    args: &[&str],
    artifacts: &str,
    checks: &[&str],
    shots: &[&str],
) {
    let artifacts = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("artifacts")
        .join(artifacts);
    let _ = std::fs::remove_dir_all(&artifacts);
    let run = Command::new("python3")
        .arg(root().join("tests/publish").join(script))
        .arg(page)
        .args(args)
        .arg(&artifacts)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for check in checks {
        assert!(report.contains(check), "{report}");
    }
    for shot in shots {
        let png = std::fs::read(artifacts.join(shot)).unwrap();
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 1_000,
            "{shot} is not a screenshot"
        );
    }
}

/// The first year of a development-set volume, from its folder's name (`frus1961-63v01` → 1961,
/// `frus1917Supp02v02` → 1917).
pub fn devset_volume_year(volume: &Path) -> Option<u32> {
    let name = volume.file_name()?.to_str()?;
    name.strip_prefix("frus")?.get(..4)?.parse().ok()
}

/// Whether a development-set volume is of the eras 1952–1988, on which the converter's scores
/// and the FRUS volume files are held (README, "The FRUS development set"); the documents of
/// 1861–1951 were added for the older eras, whose shapes are still being taught to the
/// converter: they must convert, losslessly and valid against the bundled subset.
pub fn is_modern_devset_volume(volume: &Path) -> bool {
    devset_volume_year(volume).is_some_and(|year| year >= 1952)
}

/// A small deterministic generator (SplitMix64): the same sequence on every machine, so a
/// failure of a randomised test names a case that can be made again.
pub struct Random(pub u64);

impl Random {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// One of `items`, or `None` when there are none.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

/// The peak resident memory, in KiB, that a run of teikit reported of itself
/// (`TEIKIT_PEAK_MEMORY`), or `None` where the system does not tell (not Linux).
pub fn peak_memory_kib(err: &str) -> Option<u64> {
    let line = err.lines().find_map(|l| l.strip_prefix("peak memory: "))?;
    line.strip_suffix(" KiB")?.parse().ok()
}

/// `teikit ARGS` in `dir` with its peak memory reported: exit code, standard error, peak KiB.
pub fn run_measured(dir: &Path, args: &[&str]) -> (Option<i32>, String, Option<u64>) {
    let out = Command::new(env!("CARGO_BIN_EXE_teikit"))
        .args(args)
        .current_dir(dir)
        .env("TEIKIT_PEAK_MEMORY", "1")
        .output()
        .unwrap();
    let err = stderr(&out);
    let peak = peak_memory_kib(&err);
    if peak.is_none() {
        optional_tool(
            "/proc/self/status (peak memory)",
            cfg!(not(target_os = "linux")),
            "Linux",
        );
    }
    (out.status.code(), err, peak)
}

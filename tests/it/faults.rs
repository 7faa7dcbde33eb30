//! The faults a campaign of mutated documents, kills and fuzzing found (issue 23), each from its
//! case: entities roxmltree alone refuses, page ids of a supplied page, old Mac line ends, the
//! output's file mode, temporary files left by a killed run; and builds killed at random points
//! (a fixed seed) or run three at once, which must never leave a torn or partial output.

use crate::common::*;
use std::path::Path;

/// A schema that allows any element and attribute, so that only the reading is tested.
const ANYTHING: &str = "start = any\nany = element * { attribute * { text }*, (text | any)* }\n";

#[test]
fn ten_chained_entities_and_a_thousand_bytes_of_expansion_are_read_as_jing_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("any.rnc"), ANYTHING).unwrap();
    let mut subset = String::from("<!ENTITY e0 \"x\">\n");
    for i in 1..=10 {
        subset.push_str(&format!("<!ENTITY e{i} \"&e{};\">\n", i - 1));
    }
    let chained = format!("<!DOCTYPE a [\n{subset}]>\n<a>&e10;</a>\n");
    std::fs::write(dir.path().join("chained.xml"), chained).unwrap();
    let wide = format!(
        "<!DOCTYPE a [<!ENTITY b \"abc\"><!ENTITY c \"{}\">]>\n<a>&c;</a>\n",
        "&b;".repeat(340)
    );
    std::fs::write(dir.path().join("wide.xml"), wide).unwrap();
    let out = teikit_in(
        dir.path(),
        &["validate", "--schema", "any.rnc", "chained.xml", "wide.xml"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // A real loop is still refused, where it is referenced.
    std::fs::write(
        dir.path().join("loop.xml"),
        "<!DOCTYPE a [<!ENTITY e \"&f;\"><!ENTITY f \"&e;\">]>\n<a>&e;</a>\n",
    )
    .unwrap();
    let out = teikit_in(dir.path(), &["validate", "--schema", "any.rnc", "loop.xml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("loop.xml:2:4"), "{}", stderr(&out));
}

#[test]
fn a_page_supplied_before_the_first_marker_never_shares_its_id() {
    let dir = tempfile::tempdir().unwrap();
    // The fuzz case: the marker in the title, the next between paragraphs.
    std::fs::write(
        dir.path().join("d1.txt"),
        "1. T [Page 5] x.\n\nSome text.\n\n[Page 6]\n\nMore text.\n",
    )
    .unwrap();
    let out = teikit_in(dir.path(), &["convert", "d1.txt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let ids: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((TEI, "pb")))
        .filter_map(|n| n.attribute((roxmltree::NS_XML_URI, "id")))
        .collect();
    assert_eq!(ids, ["pg_4", "pg_5", "pg_6"], "{xml}");
    // And the build that refused it writes it.
    let sources = dir.path().join("sources/v1");
    std::fs::create_dir_all(&sources).unwrap();
    std::fs::copy(dir.path().join("d1.txt"), sources.join("d1.txt")).unwrap();
    for file in ["volume.toml", "d1.toml"] {
        std::fs::copy(
            root().join("sources/frus1969-76v20").join(file),
            sources.join(file),
        )
        .unwrap();
    }
    let out = teikit_in(dir.path(), &["build"]);
    assert!(
        dir.path().join("tei/v1/d1.xml").exists(),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_source_with_carriage_returns_alone_is_read_line_by_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("d1.txt"),
        "1. Memorandum From Able to Baker\r\rWashington, May 1, 1970.\r\rFirst paragraph.\r\rSecond paragraph.\r",
    )
    .unwrap();
    let out = teikit_in(dir.path(), &["convert", "d1.txt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(!xml.contains('\r'), "no raw CR in the output");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let paragraphs: Vec<String> = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name((TEI, "p")) && n.ancestors().any(|a| a.has_tag_name((TEI, "body")))
        })
        .map(|n| {
            n.descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect()
        })
        .collect();
    assert_eq!(
        paragraphs,
        ["First paragraph.", "Second paragraph."],
        "{xml}"
    );
    let head: String = doc
        .descendants()
        .find(|n| n.has_tag_name((TEI, "head")))
        .map(|n| {
            n.descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(head, "1. Memorandum From Able to Baker");
}

#[test]
fn outputs_get_the_mode_a_new_file_gets_and_killed_runs_leave_nothing_behind() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources/v1");
    std::fs::create_dir_all(&sources).unwrap();
    for file in ["d1.txt", "d1.toml", "volume.toml"] {
        std::fs::copy(
            root().join("sources/frus1969-76v20").join(file),
            sources.join(file),
        )
        .unwrap();
    }
    let out_dir = dir.path().join("tei/v1");
    std::fs::create_dir_all(&out_dir).unwrap();
    // What a run killed while writing leaves: a temporary file of a process that is gone.
    let stale = out_dir.join(".teikit-4194305-Zx81ab.tmp");
    std::fs::write(&stale, "partial").unwrap();
    let out = teikit_in(dir.path(), &["build"]);
    let written = out_dir.join("d1.xml");
    assert!(written.exists(), "{}", stderr(&out));
    assert!(
        !stale.exists(),
        "the next run removes what a killed one left"
    );
    let probe = dir.path().join("probe");
    std::fs::write(&probe, "").unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&written), mode(&probe), "the umask's mode, not 0600");
    // An existing output keeps its mode when rewritten.
    std::fs::set_permissions(&written, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::write(&written, "<stale/>").unwrap();
    teikit_in(dir.path(), &["build"]);
    assert_eq!(mode(&written), 0o644);
}

/// A project of `count` documents (copies of one FRUS document under their own numbers).
fn project_of(count: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let template = root().join("sources/frus1969-76v20");
    let sources = dir.path().join("sources/v1");
    std::fs::create_dir_all(&sources).unwrap();
    std::fs::copy(template.join("volume.toml"), sources.join("volume.toml")).unwrap();
    let text = std::fs::read_to_string(template.join("d1.txt")).unwrap();
    for n in 1..=count {
        let body = text.replacen("1. ", &format!("{n}. "), 1);
        std::fs::write(sources.join(format!("d{n}.txt")), body).unwrap();
        let metadata = format!("[document]\nnumber = {n}\nid = \"d{n}\"\n");
        std::fs::write(sources.join(format!("d{n}.toml")), metadata).unwrap();
    }
    dir
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn files_under(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                files.insert(name, std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    files
}

/// Outputs after a disturbed run: each is absent or exactly what an undisturbed build writes;
/// only a killed run may leave temporaries, and only hidden `.teikit-*.tmp` ones.
fn assert_no_torn_output(
    outputs: &Path,
    expected: &std::collections::BTreeMap<String, Vec<u8>>,
    killed: bool,
    case: &str,
) {
    for (name, bytes) in files_under(outputs) {
        let file_name = name.rsplit('/').next().unwrap_or(&name);
        if file_name.starts_with(".teikit-") && file_name.ends_with(".tmp") {
            assert!(
                killed,
                "{case}: a temporary {name} after a run that finished"
            );
            continue;
        }
        let wanted = expected
            .get(&name)
            .unwrap_or_else(|| panic!("{case}: unexpected {name}"));
        assert!(
            &bytes == wanted,
            "{case}: {name} differs from the undisturbed build's"
        );
    }
}

#[test]
fn a_build_killed_at_random_points_leaves_no_torn_output_and_the_next_run_cleans_up() {
    let dir = project_of(60);
    let outputs = dir.path().join("tei");
    let started = std::time::Instant::now();
    let out = teikit_in(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // A scale for the kill points, not a limit: the kills land before, during and after writing.
    let span = started.elapsed().as_micros().max(20_000) as usize;
    let expected = files_under(&outputs);
    assert_eq!(expected.len(), 60, "{:?}", expected.keys());
    let mut random = Random(0x06b1_11ed);
    for run in 0..6 {
        if run % 2 == 0 {
            // From nothing, and (odd runs) over the previous run's outputs.
            std::fs::remove_dir_all(&outputs).ok();
        }
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_teikit"))
            .arg("build")
            .current_dir(dir.path())
            .env("TEIKIT_CACHE_DIR", "off")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let delay = random.below(span);
        std::thread::sleep(std::time::Duration::from_micros(delay as u64));
        child.kill().ok(); // SIGKILL; the run may have finished already.
        child.wait().unwrap();
        let case = format!("run {run}, killed after {delay} µs");
        assert_no_torn_output(&outputs, &expected, true, &case);
        eprintln!(
            "{case}: {} files in the output folder",
            files_under(&outputs).len()
        );
        let out = teikit_in(dir.path(), &["build"]);
        assert!(out.status.success(), "{case}: {}", stderr(&out));
        assert_eq!(
            files_under(&outputs),
            expected,
            "{case}: the next run restores every output"
        );
    }
}

#[test]
fn concurrent_builds_of_one_project_never_tear_a_file() {
    let dir = project_of(40);
    let outputs = dir.path().join("tei");
    let out = teikit_in(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let expected = files_under(&outputs);
    for round in 0..2 {
        if round == 0 {
            std::fs::remove_dir_all(&outputs).unwrap();
        }
        let children: Vec<_> = (0..3)
            .map(|_| {
                std::process::Command::new(env!("CARGO_BIN_EXE_teikit"))
                    .arg("build")
                    .current_dir(dir.path())
                    .env("TEIKIT_CACHE_DIR", "off")
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "round {round}: {}", stderr(&out));
        }
        assert_no_torn_output(&outputs, &expected, false, &format!("round {round}"));
        assert_eq!(files_under(&outputs), expected);
    }
}

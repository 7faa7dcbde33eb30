//! Hostile input to convert, validate and diff, each case with the exact behaviour expected:
//! refused with a located message naming the limit, or handled, but never a crash, a hang, an
//! unbounded allocation, a file read or a URL fetched that the user did not name, or an
//! editor's file lost.
//!
//! The limits (`ReadLimits`: size, depth, attributes per element, entity expansion) are
//! documented in the README and configurable on `teikit validate`.

use crate::common::{root, run_measured, stderr, teikit_in};
use std::io::ErrorKind;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

/// `teikit ARGS` in `dir`: exit code and standard error.
fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = teikit_in(dir, args);
    (out.status.code(), stderr(&out))
}

/// Copies files of the memo's source folder (text, editorial data) into `dir`.
fn copy_memo_sources(dir: &Path, names: &[&str]) {
    for name in names {
        std::fs::copy(
            root().join("sources/frus1969-76v10").join(name),
            dir.join(name),
        )
        .unwrap();
    }
}

/// A schema that allows any element and attribute, so that only the reading is tested.
const ANYTHING: &str = "start = any\nany = element * { attribute * { text }*, (text | any)* }\n";

#[test]
fn quadratic_entity_blow_up_is_refused_at_the_reference_that_passes_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let entity = "x".repeat(50_000);
    let doc = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE doc [<!ENTITY e \"{entity}\">]><doc>{}</doc>",
        "&e;".repeat(50_000)
    );
    write(dir.path(), "quad.xml", doc.as_bytes());
    write(dir.path(), "any.rnc", ANYTHING.as_bytes());
    let (code, err) = run(dir.path(), &["validate", "--schema", "any.rnc", "quad.xml"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("entity references expand to more than 16777216 bytes of text"),
        "{err}"
    );
    // The first reference is at column 50 058 (after the declaration); 16 MiB is passed by
    // the 336th, 335 references of 3 characters later: column 51 063.
    assert!(err.contains("quad.xml:1:51063"), "{err}");
    let (code, err) = run(dir.path(), &["diff", "quad.xml", "quad.xml"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("entity references expand"), "{err}");
    // The limit is the user's: raised, the same document is read (50 000 × 50 000 is too much
    // for any limit that fits in memory, so a smaller one).
    let small = format!(
        "<!DOCTYPE doc [<!ENTITY e \"{}\">]><doc>{}</doc>",
        "x".repeat(1000),
        "&e;".repeat(100)
    );
    write(dir.path(), "small.xml", small.as_bytes());
    let (code, _) = run(
        dir.path(),
        &[
            "validate",
            "--schema",
            "any.rnc",
            "--max-entity-expansion",
            "99999",
            "small.xml",
        ],
    );
    assert_eq!(code, Some(1));
    let (code, err) = run(
        dir.path(),
        &[
            "validate",
            "--schema",
            "any.rnc",
            "--max-entity-expansion",
            "100000",
            "small.xml",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn ten_million_attributes_are_refused_at_the_element() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = String::with_capacity(130_000_000);
    doc.push_str("<doc>\n<p ");
    for i in 0..10_000_000 {
        doc.push('a');
        doc.push_str(&i.to_string());
        doc.push_str("='' ");
    }
    doc.push_str("/></doc>");
    write(dir.path(), "attrs.xml", doc.as_bytes());
    drop(doc);
    let (code, err) = run(dir.path(), &["validate", "attrs.xml"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("an element with more than 10000 attributes") && err.contains("attrs.xml:2:1"),
        "{err}"
    );
    assert!(
        err.len() < 2_000,
        "the message quotes a bounded part of the line"
    );
}

#[test]
fn a_hundred_thousand_levels_of_nesting_are_refused_by_validate_and_diff() {
    let dir = tempfile::tempdir().unwrap();
    let deep = "<doc>".repeat(100_000) + &"</doc>".repeat(100_000);
    write(dir.path(), "deep.xml", deep.as_bytes());
    write(dir.path(), "flat.xml", b"<doc/>");
    for args in [
        &["validate", "deep.xml"][..],
        &["diff", "deep.xml", "flat.xml"],
        &["diff", "flat.xml", "deep.xml"],
    ] {
        let (code, err) = run(dir.path(), args);
        assert_eq!(code, Some(if args[0] == "diff" { 2 } else { 1 }), "{err}");
        assert!(err.contains("nested deeper than 4096 levels"), "{err}");
        assert!(err.contains("deep.xml:1:20481"), "{err}");
    }
    // The limit is the user's, in diff as in validate.
    write(dir.path(), "three.xml", b"<a><b><c></c></b></a>");
    let (code, err) = run(
        dir.path(),
        &["diff", "--max-depth", "2", "three.xml", "flat.xml"],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("nested deeper than 2 levels") && err.contains("three.xml:1:7"),
        "{err}"
    );
}

#[test]
fn two_hundred_thousand_levels_validate_as_jing_says_when_the_limit_allows_them() {
    let dir = tempfile::tempdir().unwrap();
    // A schema that nests `d` in `d` without end, and `e` nowhere.
    write(
        dir.path(),
        "nest.rnc",
        b"start = element r { d }\nd = element d { d | empty }\n",
    );
    let depth = 200_000;
    let nested = |inner: &str| {
        format!(
            "<r>{}{inner}{}</r>",
            "<d>".repeat(depth),
            "</d>".repeat(depth)
        )
    };
    write(dir.path(), "valid.xml", nested("").as_bytes());
    write(dir.path(), "invalid.xml", nested("<e/>").as_bytes());
    let jing = crate::common::program("jing", "apt-get install jing");
    for (file, valid) in [("valid.xml", true), ("invalid.xml", false)] {
        let (code, err) = run(
            dir.path(),
            &[
                "validate",
                "--schema",
                "nest.rnc",
                "--max-depth",
                "300000",
                file,
            ],
        );
        assert_eq!(code, Some(if valid { 0 } else { 1 }), "{file}: {err}");
        if !valid {
            assert!(err.contains("element `e` not allowed anywhere"), "{err}");
            // The path of a problem 200,000 levels down shows its nearest steps only.
            assert!(err.contains("in /…/d/d/d/"), "{err}");
        }
        if jing {
            let judged = Command::new("jing")
                .args(["-c", "nest.rnc", file])
                .current_dir(dir.path())
                .output()
                .unwrap();
            assert_eq!(judged.status.success(), valid, "jing on {file}");
        }
    }
    // Under the default limit the same document is refused, located, not crashed on.
    let (code, err) = run(
        dir.path(),
        &["validate", "--schema", "nest.rnc", "valid.xml"],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("nested deeper than 4096 levels"), "{err}");
    // The differ compares them too (its alignment recurses a level at a time), and names the
    // place of the change by its nearest steps.
    let out = teikit_in(
        dir.path(),
        &["diff", "--max-depth", "300000", "valid.xml", "invalid.xml"],
    );
    let report = String::from_utf8_lossy(&out.stdout);
    let shown = &report[..report.len().min(2000)];
    assert_eq!(out.status.code(), Some(1), "{shown}{}", stderr(&out));
    assert!(report.contains("inserted <e>"), "{shown}");
    assert!(report.contains("@@ … › d 1 › "), "{shown}");
    assert!(
        report.lines().all(|l| l.len() < 1000),
        "a report line of 1000 bytes or more"
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    // 4 GiB of nothing, sparse: refused from its size, in a few megabytes.
    let file = std::fs::File::create(dir.path().join("huge.xml")).unwrap();
    file.set_len(4 << 30).unwrap();
    drop(file);
    let (code, err, peak) = run_measured(
        dir.path(),
        &["validate", "--max-size", "1000000", "huge.xml"],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("huge.xml:1:1") && err.contains("larger than the 1000000 byte limit"),
        "{err}"
    );
    if let Some(peak) = peak {
        assert!(peak < 50 * 1024, "refusing a 4 GiB file took {peak} KiB");
    }
}

#[test]
fn problems_on_one_long_line_deep_down_cost_memory_in_proportion_to_the_document() {
    // 50,000 nested elements on one line, each a problem for the bundled schema: every report
    // shows a window of the line and the nearest steps of the path, not the whole of either
    // (which took 10 GB here before).
    let dir = tempfile::tempdir().unwrap();
    let depth = 50_000;
    let doc = format!(
        "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body>{}<p>x</p>{}</body></text></TEI>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    write(dir.path(), "deep.xml", doc.as_bytes());
    let (code, err, peak) = run_measured(
        dir.path(),
        &["validate", "--max-depth", "60000", "deep.xml"],
    );
    assert_eq!(code, Some(1), "{}", &err[..err.len().min(2000)]);
    let reports = err.matches("\n  --> deep.xml:1:").count();
    assert!(reports >= depth, "{reports} problems reported");
    let longest = err.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 1000, "a report line of {longest} bytes");
    if let Some(peak) = peak {
        assert!(
            peak < 400 * 1024,
            "{peak} KiB for a {} byte document",
            doc.len()
        );
    }
}

#[test]
fn a_hundred_megabyte_text_node_is_read_validated_and_compared() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = String::with_capacity(100_000_100);
    doc.push_str("<doc>");
    while doc.len() < 100_000_000 {
        doc.push_str("word ");
    }
    doc.push_str("</doc>");
    write(dir.path(), "big.xml", doc.as_bytes());
    drop(doc);
    write(dir.path(), "any.rnc", ANYTHING.as_bytes());
    let (code, err) = run(dir.path(), &["validate", "--schema", "any.rnc", "big.xml"]);
    assert_eq!(code, Some(0), "{err}");
    let (code, err) = run(dir.path(), &["diff", "big.xml", "big.xml"]);
    assert_eq!(code, Some(0), "{err}");
    // Over a configured size limit it is refused before it is parsed.
    let (code, err) = run(
        dir.path(),
        &[
            "validate",
            "--schema",
            "any.rnc",
            "--max-size",
            "1000000",
            "big.xml",
        ],
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("larger than the 1000000 byte limit"), "{err}");
}

#[test]
fn external_entities_and_xinclude_are_never_read_nor_fetched() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/secret", listener.local_addr().unwrap());
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "any.rnc", ANYTHING.as_bytes());
    let file_entity = "<!DOCTYPE doc [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><doc>&e;</doc>";
    let url_entity = format!("<!DOCTYPE doc [<!ENTITY e SYSTEM \"{url}\">]><doc>&e;</doc>");
    let xinclude = format!(
        "<doc xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"/etc/passwd\" parse=\"text\"/><xi:include href=\"{url}\"/></doc>"
    );
    write(dir.path(), "file-entity.xml", file_entity.as_bytes());
    write(dir.path(), "url-entity.xml", url_entity.as_bytes());
    write(dir.path(), "xinclude.xml", xinclude.as_bytes());
    for name in ["file-entity.xml", "url-entity.xml"] {
        let (code, err) = run(dir.path(), &["validate", "--schema", "any.rnc", name]);
        assert_eq!(code, Some(1), "{err}");
        assert!(err.contains("unknown entity reference"), "{err}");
        let (code, err) = run(dir.path(), &["diff", name, name]);
        assert_eq!(code, Some(2), "{err}");
    }
    // XInclude is resolved, but only from the project: an absolute path and a URL are refused
    // (without a fallback, the document cannot be assembled), and neither is read.
    let (code, err) = run(
        dir.path(),
        &["validate", "--schema", "any.rnc", "xinclude.xml"],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("`/etc/passwd` cannot be included (teikit includes files named relative to the document, not absolute paths or URLs)"), "{err}");
    // A relative path that leads out of the project is refused too.
    let outside = dir.path().join("project");
    std::fs::create_dir_all(&outside).unwrap();
    write(
        &outside,
        "escape.xml",
        b"<doc xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"../../../../../../../../etc/passwd\" parse=\"text\"/></doc>",
    );
    write(&outside, "any.rnc", ANYTHING.as_bytes());
    let (code, escape_err) = run(&outside, &["validate", "--schema", "any.rnc", "escape.xml"]);
    assert_eq!(code, Some(1), "{escape_err}");
    assert!(
        escape_err.contains("outside the working directory"),
        "{escape_err}"
    );
    let err = format!("{err}{escape_err}");
    write(dir.path(), "plain.xml", b"<doc/>");
    let out = teikit_in(
        dir.path(),
        &["diff", "--format", "json", "plain.xml", "xinclude.xml"],
    );
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(report.contains("include"), "{report}");
    let passwd_line = std::fs::read_to_string("/etc/passwd")
        .ok()
        .and_then(|p| p.lines().next().map(str::to_string));
    if let Some(line) = passwd_line {
        assert!(!report.contains(&line) && !err.contains(&line));
    }
    match listener.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        other => panic!("something connected to {url}: {other:?}"),
    }
}

#[test]
fn encodings_byte_order_marks_and_nul_bytes_in_diff_and_convert() {
    let dir = tempfile::tempdir().unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("<doc>a</doc>".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    write(dir.path(), "plain.xml", b"<doc>a</doc>");
    write(dir.path(), "bom.xml", b"\xEF\xBB\xBF<doc>a</doc>");
    write(dir.path(), "utf16.xml", &utf16);
    write(dir.path(), "nul.xml", b"<doc>a\x00</doc>");
    write(dir.path(), "latin1.xml", b"<doc>\xE9</doc>");
    for same in ["bom.xml", "utf16.xml"] {
        let (code, err) = run(dir.path(), &["diff", "plain.xml", same]);
        assert_eq!(code, Some(0), "{same}: {err}");
    }
    let (code, err) = run(dir.path(), &["diff", "plain.xml", "nul.xml"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("nul.xml:1:7") && err.contains("non-XML character"),
        "{err}"
    );
    let (code, err) = run(dir.path(), &["diff", "latin1.xml", "plain.xml"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("latin1.xml:1:6") && err.contains("invalid UTF-8"),
        "{err}"
    );

    // The converter: the memo as UTF-16 converts to the same TEI as the memo as UTF-8 with a
    // byte-order mark; a NUL is refused where it stands, and nothing is written.
    let memo = std::fs::read_to_string(root().join("sources/frus1969-76v10/d59.txt")).unwrap();
    copy_memo_sources(dir.path(), &["volume.toml", "d59.toml"]);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(memo.as_bytes());
    write(dir.path(), "d59.txt", &bom);
    assert_eq!(
        run(dir.path(), &["convert", "d59.txt", "-o", "bom.tei"]).0,
        Some(0)
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(memo.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    write(dir.path(), "d59.txt", &utf16);
    assert_eq!(
        run(dir.path(), &["convert", "d59.txt", "-o", "utf16.tei"]).0,
        Some(0)
    );
    assert_eq!(
        std::fs::read(dir.path().join("bom.tei")).unwrap(),
        std::fs::read(dir.path().join("utf16.tei")).unwrap()
    );
    write(
        dir.path(),
        "d59.txt",
        memo.replacen("six days", "six\0days", 1).as_bytes(),
    );
    let (code, err) = run(dir.path(), &["convert", "d59.txt", "-o", "nul.tei"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("a character XML cannot hold (U+0000)") && err.contains("d59.txt:5:46"),
        "{err}"
    );
    assert!(!dir.path().join("nul.tei").exists());
}

#[test]
fn symlink_loops_in_a_directory_end_and_each_file_is_validated_once() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    std::fs::create_dir_all(tree.join("sub")).unwrap();
    std::fs::copy(
        root().join("tei/frus1969-76v10/d59.xml"),
        tree.join("sub/d59.xml"),
    )
    .unwrap();
    std::os::unix::fs::symlink("..", tree.join("sub/up")).unwrap();
    std::os::unix::fs::symlink(&tree, tree.join("self")).unwrap();
    std::os::unix::fs::symlink("d59.xml", tree.join("sub/again.xml")).unwrap();
    let (code, err) = run(dir.path(), &["validate", "tree"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("validated 1 file(s): 1 valid"), "{err}");
}

#[test]
fn a_schema_that_includes_itself_through_another_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let rng = |other: &str| {
        format!(
            r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0"><include href="{other}"/><start><element name="doc"><empty/></element></start></grammar>"#
        )
    };
    write(dir.path(), "a.rng", rng("b.rng").as_bytes());
    write(dir.path(), "b.rng", rng("a.rng").as_bytes());
    write(dir.path(), "doc.xml", b"<doc/>");
    let (code, err) = run(dir.path(), &["validate", "--schema", "a.rng", "doc.xml"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("a.rng includes itself"), "{err}");
}

// ---------------------------------------------------------------- no data lost

/// A conversion killed at any moment leaves the output as it was or complete, never partial.
#[test]
fn a_conversion_killed_midway_leaves_the_old_output_or_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    copy_memo_sources(dir.path(), &["volume.toml", "d59.toml", "d59.txt"]);
    let new = std::fs::read(root().join("tei/frus1969-76v10/d59.xml")).unwrap();
    let out = dir.path().join("d59.xml");
    let old = b"<old>an editor's earlier output</old>".to_vec();
    // An uninterrupted run, to learn how long one takes and what it writes.
    let start = Instant::now();
    let (code, err) = run(dir.path(), &["convert", "d59.txt", "-o", "d59.xml"]);
    let full_run = start.elapsed();
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(std::fs::read(&out).unwrap(), new);
    let (mut kept_old, mut wrote_new) = (0, 0);
    let mut attempt = 0u32;
    // At least 40 kills spread over a normal run; then, on a machine busier than when the run
    // was timed, more until both outcomes were seen (kills at once keep the old file, kills
    // ever later let the new one land): the check adapts to the machine instead of timing it.
    while attempt < 40 || (kept_old == 0 || wrote_new == 0) && attempt < 400 {
        attempt += 1;
        let delay = match (attempt < 40, kept_old, wrote_new) {
            (true, _, _) => full_run * attempt / 30,
            (false, 0, _) => std::time::Duration::ZERO,
            (false, _, _) => full_run * (attempt - 38),
        };
        std::fs::write(&out, &old).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_teikit"))
            .args(["convert", "d59.txt", "-o", "d59.xml"])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&out).unwrap();
        if now == old {
            kept_old += 1;
        } else {
            assert_eq!(now, new, "attempt {attempt}: a partial output");
            wrote_new += 1;
        }
    }
    // Both outcomes happened, so the kill did land before and after the rename.
    assert!(
        kept_old > 0 && wrote_new > 0,
        "old {kept_old}, new {wrote_new}"
    );
}

#[test]
fn an_output_that_cannot_be_written_or_fills_the_disk_is_a_clear_error_and_nothing_else_changes() {
    let dir = tempfile::tempdir().unwrap();
    copy_memo_sources(dir.path(), &["volume.toml", "d59.toml", "d59.txt"]);
    write(dir.path(), "file", b"a file, not a directory");
    let (code, err) = run(dir.path(), &["convert", "d59.txt", "-o", "file/d59.xml"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("file/d59.xml: cannot write"), "{err}");
    assert_eq!(
        std::fs::read(dir.path().join("file")).unwrap(),
        b"a file, not a directory"
    );
    // A read-only directory (the permission does not bind root, who may write anywhere).
    let readonly = dir.path().join("readonly");
    std::fs::create_dir(&readonly).unwrap();
    let mut permissions = std::fs::metadata(&readonly).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o555);
    std::fs::set_permissions(&readonly, permissions).unwrap();
    let writable_anyway = std::fs::write(readonly.join("probe"), b"").is_ok();
    if !writable_anyway {
        let (code, err) = run(
            dir.path(),
            &["convert", "d59.txt", "-o", "readonly/d59.xml"],
        );
        assert_eq!(code, Some(2), "{err}");
        assert!(err.contains("readonly/d59.xml: cannot write"), "{err}");
        assert_eq!(std::fs::read_dir(&readonly).unwrap().count(), 0);
    }
    // A disk that fills up midway (simulated by a file-size limit of 4 KiB, the memo's TEI being
    // some 40 KiB): a clear error, the earlier output intact, no temporary file left behind.
    write(dir.path(), "out.xml", b"<old/>");
    let teikit = env!("CARGO_BIN_EXE_teikit");
    let full = Command::new("bash")
        .args([
            "-c",
            &format!("trap '' XFSZ; ulimit -f 4; exec {teikit} convert d59.txt -o out.xml"),
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = stderr(&full);
    assert_eq!(full.status.code(), Some(2), "{err}");
    assert!(
        err.contains("out.xml: cannot write: File too large"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("out.xml")).unwrap(),
        b"<old/>"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".teikit-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // The source itself is never the output.
    let (code, err) = run(dir.path(), &["convert", "d59.txt", "-o", "d59.txt"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("refusing to overwrite an input"), "{err}");
    assert_eq!(
        std::fs::read(dir.path().join("d59.txt")).unwrap(),
        std::fs::read(root().join("sources/frus1969-76v10/d59.txt")).unwrap()
    );
}

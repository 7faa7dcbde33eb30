//! The one rule for optional tools (`common::optional_tool`): a present tool runs its check; a
//! missing one is skipped with a line outside CI and fails the test in CI.

use crate::common::*;

/// Runs `check`; in CI it must fail (panic), outside CI it must say no.
fn assert_missing(check: impl Fn() -> bool + std::panic::UnwindSafe) {
    let outcome = std::panic::catch_unwind(check);
    if std::env::var_os("CI").is_some() {
        assert!(outcome.is_err(), "a missing tool fails the test in CI");
    } else {
        assert_eq!(
            outcome.ok(),
            Some(false),
            "a missing tool is skipped outside CI"
        );
    }
}

#[test]
fn a_present_tool_runs_its_check() {
    assert!(program("sh", "it comes with the system"));
    assert!(optional_tool(
        "a tool that is there",
        true,
        "nothing to install"
    ));
}

#[test]
fn a_missing_program_is_skipped_outside_ci_and_fails_in_ci() {
    assert_missing(|| program("teikit-no-such-program", "nothing to install"));
}

#[test]
fn a_missing_python_module_is_skipped_outside_ci_and_fails_in_ci() {
    assert_missing(|| python_module("teikit_no_such_module", "nothing to install"));
}

/// Not a check of its own: run by [`a_tool_hidden_from_path_is_skipped_or_fails_in_ci`] in a
/// child process whose PATH hides a tool, it reports what the helpers say there.
#[test]
fn probe_the_helpers() {
    let (Ok(program_name), Ok(module)) = (
        std::env::var("TEIKIT_PROBE_PROGRAM"),
        std::env::var("TEIKIT_PROBE_MODULE"),
    ) else {
        return;
    };
    println!("probe program: {}", program(&program_name, "probe"));
    println!("probe module: {}", python_module(&module, "probe"));
    if let Ok(hidden) = std::env::var("TEIKIT_PROBE_HIDDEN_MODULE") {
        println!("probe hidden module: {}", python_module(&hidden, "probe"));
    }
}

#[test]
fn a_tool_hidden_from_path_is_skipped_or_fails_in_ci() {
    // A PATH that holds a shell and a python3 without any installed module, and nothing else.
    let dir = tempfile::tempdir().unwrap();
    let venv = dir.path().join("python");
    let made = std::process::Command::new("python3")
        .args(["-m", "venv", "--without-pip"])
        .arg(&venv)
        .status()
        .unwrap();
    assert!(made.success());
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink("/bin/sh", bin.join("sh")).unwrap();
    // The environment's own bin: a python3 found elsewhere would not know it is the bare one.
    let path = std::env::join_paths([venv.join("bin"), bin]).unwrap();
    let run = |ci: bool| {
        let mut child = std::process::Command::new(std::env::current_exe().unwrap());
        child
            .args([
                "--exact",
                "optional_tools::probe_the_helpers",
                "--nocapture",
                "--test-threads",
                "1",
            ])
            .env("PATH", &path)
            .env("TEIKIT_PROBE_PROGRAM", "jing")
            .env("TEIKIT_PROBE_MODULE", "json")
            .env("TEIKIT_PROBE_HIDDEN_MODULE", "html5lib")
            .env_remove("CI");
        if ci {
            child.env("CI", "true");
        }
        child.output().unwrap()
    };
    // Outside CI: jing and html5lib are hidden, so skipped with a line each; the standard
    // library's json is there, so its check runs.
    let out = run(false);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{said}");
    assert!(said.contains("probe program: false"), "{said}");
    assert!(
        said.contains("skipping a check: jing is not installed (probe)"),
        "{said}"
    );
    assert!(said.contains("probe module: true"), "{said}");
    assert!(said.contains("probe hidden module: false"), "{said}");
    assert!(
        said.contains("skipping a check: python3 module html5lib is not installed (probe)"),
        "{said}"
    );
    // In CI the hidden tool fails the test.
    let out = run(true);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("jing is missing"), "{said}");
}

//! Progress bars: on a terminal (run here under a pseudo-terminal with `script`), never in a
//! pipe or in CI.

use crate::common::{program, stderr};
use std::process::Command;

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.xml", "b.xml", "c.xml"] {
        std::fs::write(dir.path().join(name), "<doc/>").unwrap();
    }
    std::fs::write(
        dir.path().join("any.rnc"),
        "start = element doc { empty }\n",
    )
    .unwrap();
    dir
}

/// What `teikit validate` writes to a terminal, with `CI` set or not.
fn on_a_terminal(dir: &std::path::Path, ci: bool) -> String {
    let command = format!(
        "'{}' validate --no-config --schema any.rnc a.xml b.xml c.xml",
        env!("CARGO_BIN_EXE_teikit")
    );
    let mut script = Command::new("script");
    script
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir);
    script.env_remove("CI");
    if ci {
        script.env("CI", "true");
    }
    let out = script.output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_bar_on_a_terminal_only() {
    let dir = project();
    if program("script", "apt-get install bsdutils") {
        let shown = on_a_terminal(dir.path(), false);
        assert!(shown.contains("validating ["), "{shown}");
        assert!(shown.contains("/3 files"), "{shown}");
        assert!(shown.contains("validated 3 file(s): 3 valid"), "{shown}");
        let in_ci = on_a_terminal(dir.path(), true);
        assert!(!in_ci.contains("validating ["), "{in_ci}");
    }
    // In a pipe: the summary and nothing else.
    let out = Command::new(env!("CARGO_BIN_EXE_teikit"))
        .args([
            "validate",
            "--no-config",
            "--schema",
            "any.rnc",
            "a.xml",
            "b.xml",
            "c.xml",
        ])
        .current_dir(dir.path())
        .env_remove("CI")
        .output()
        .unwrap();
    assert_eq!(stderr(&out), "validated 3 file(s): 3 valid, 0 invalid\n");
}

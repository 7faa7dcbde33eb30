//! What a newcomer meets first: the version, shell completions, the manual page, converting from
//! standard input, `teikit init` and the pre-commit hooks.

use crate::common::{reference_dir, root, stderr, teikit, teikit_in};
use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn the_version_names_the_tei_release_of_the_bundled_schema() {
    let out = teikit(&["--version"]);
    let version = String::from_utf8(out.stdout).unwrap();
    assert!(
        version.starts_with(&format!("teikit {}", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
    // The release the tests check the bundled subset against.
    let Some(reference) = reference_dir() else {
        return;
    };
    let tei_all = std::fs::read_to_string(reference.join("tei/tei_all.rng")).unwrap();
    let release: String = tei_all
        .split("P5 Version")
        .nth(1)
        .expect("tei_all names its release")
        .trim_start() // a no-break space in the file
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let release = release.trim_end_matches('.');
    assert!(
        version.contains(&format!("TEI P5 {release}")),
        "{version} / {release}"
    );
}

#[test]
fn completions_for_every_shell_and_a_manual_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = teikit(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for word in ["teikit", "validate", "init", "profile"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    // The bash script is bash.
    let script = teikit(&["completions", "bash"]).stdout;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("teikit.bash");
    std::fs::write(&file, script).unwrap();
    let syntax = Command::new("bash").arg("-n").arg(&file).output().unwrap();
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    let page = String::from_utf8(teikit(&["man"]).stdout).unwrap();
    assert!(page.contains(".TH teikit 1"), "{page}");
    assert!(page.contains("validate") && page.contains("init"), "{page}");
}

/// `teikit convert -` with `args` and the memo on standard input.
fn convert_memo_from_stdin(args: &[&str]) -> std::process::Output {
    let memo = root().join("sources/frus1969-76v10/d59.txt");
    let mut child = Command::new(env!("CARGO_BIN_EXE_teikit"))
        .args(["convert", "-"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&std::fs::read(&memo).unwrap())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn convert_reads_standard_input() {
    let volume = root().join("sources/frus1969-76v10/volume.toml");
    let out = convert_memo_from_stdin(&["--volume", volume.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed TEI");
    // The register of --volume tags the persons; the footnotes are placed.
    assert!(doc
        .descendants()
        .any(|n| n.has_tag_name("persName") && n.attribute("ref").is_some()));
    assert!(doc.descendants().filter(|n| n.has_tag_name("note")).count() >= 5);
    // No folder: the document's own data is not looked for beside it, and the warning says how
    // to give the volume instead of naming a file beside standard input.
    let out = convert_memo_from_stdin(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("a volume.toml given with --volume"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn init_starts_an_edition_that_builds_and_validates() {
    let dir = tempfile::tempdir().unwrap();
    let edition = dir.path().join("my-edition");
    let out = teikit_in(
        dir.path(),
        &[
            "init",
            "my-edition",
            "--volume",
            "v1",
            "--teikit-git",
            "https://example.org/teikit.git",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    for step in [&["build"][..], &["validate"], &["build", "--check"]] {
        let out = teikit_in(&edition, step);
        assert!(out.status.success(), "{step:?}: {}", stderr(&out));
    }
    let tei = std::fs::read_to_string(edition.join("tei/v1/d1.xml")).unwrap();
    assert!(
        tei.contains("<salute>Dear <persName ref=\"#p_RE1\">Mrs. Reader</persName>:</salute>"),
        "{tei}"
    );
    // The workflow is YAML with what GitHub requires: triggers, and jobs that run on a runner
    // with steps that each use an action or run a command.
    let workflow: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(edition.join(".github/workflows/teikit.yml")).unwrap(),
    )
    .unwrap();
    assert!(workflow.get("on").is_some());
    let jobs = workflow["jobs"].as_mapping().expect("jobs");
    assert!(!jobs.is_empty());
    for (_, job) in jobs {
        assert!(job["runs-on"].as_str().is_some());
        let steps = job["steps"].as_sequence().expect("steps");
        assert!(steps
            .iter()
            .all(|s| s.get("uses").is_some() || s.get("run").is_some()));
        let commands: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
        assert!(commands.contains(&"teikit build --check"));
        assert!(commands.contains(&"teikit validate --format github"));
        assert!(steps.iter().any(|s| s["uses"]
            .as_str()
            .is_some_and(|u| u.contains("upload-sarif"))));
    }
    assert_eq!(
        workflow["env"]["TEIKIT_GIT"].as_str(),
        Some("https://example.org/teikit.git")
    );
    // Its pre-commit configuration names hooks this repository offers.
    let config: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(edition.join(".pre-commit-config.yaml")).unwrap(),
    )
    .unwrap();
    let offered = offered_hooks();
    for hook in config["repos"][0]["hooks"].as_sequence().unwrap() {
        assert!(offered.contains(&hook["id"].as_str().unwrap().to_string()));
    }
    // A second init writes nothing over what is there.
    let before = std::fs::read_to_string(edition.join("teikit.toml")).unwrap();
    std::fs::write(edition.join("teikit.toml"), "files = []\n").unwrap();
    let out = teikit_in(dir.path(), &["init", "my-edition", "--volume", "v1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("teikit init writes nothing where files exist"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(edition.join("teikit.toml")).unwrap(),
        "files = []\n"
    );
    assert!(before.contains("files = [\"tei/**/*.xml\"]"));
    let out = teikit_in(dir.path(), &["init", "other", "--volume", "9 bad"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("other").exists());
}

/// The ids of `.pre-commit-hooks.yaml`, each running teikit with the project's own settings.
fn offered_hooks() -> Vec<String> {
    let hooks: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap(),
    )
    .unwrap();
    hooks
        .as_sequence()
        .unwrap()
        .iter()
        .map(|hook| {
            assert_eq!(hook["language"].as_str(), Some("rust"));
            assert!(hook["entry"].as_str().unwrap().starts_with("teikit "));
            assert!(hook["name"].as_str().is_some());
            hook["id"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn the_pre_commit_hooks_validate_and_check_the_build() {
    let ids = offered_hooks();
    assert_eq!(ids, ["teikit-build-check", "teikit-validate"]);
}

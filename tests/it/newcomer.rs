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
    // Its pre-commit configuration names hooks this repository offers, at a release tag (a
    // branch such as `main` is mutable, and pre-commit warns about it).
    let config: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(edition.join(".pre-commit-config.yaml")).unwrap(),
    )
    .unwrap();
    let offered = offered_hooks();
    assert_eq!(
        config["repos"][0]["repo"].as_str(),
        Some("https://example.org/teikit.git")
    );
    assert_eq!(
        config["repos"][0]["rev"].as_str(),
        Some(format!("v{}", env!("CARGO_PKG_VERSION")).as_str())
    );
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

/// Removes the `# ` before every commented TOML setting (`key = value`, `[table]`, `[[array]]`),
/// leaving prose comments as they are.
fn uncomment_settings(text: &str) -> String {
    let setting = regex::Regex::new(r"^# ((\[\[?[a-z]+\]\]?)|([a-z_-]+ = .*))$").unwrap();
    text.lines()
        .map(|line| match setting.captures(line) {
            Some(c) => c[1].to_string(),
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn the_sample_edition_works_with_every_commented_option_uncommented() {
    let dir = tempfile::tempdir().unwrap();
    let edition = dir.path().join("ed");
    let out = teikit_in(dir.path(), &["init", "ed"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Without a URL the hooks run the teikit on the PATH: nothing to build at commit time, and
    // no placeholder repository.
    let hooks: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(edition.join(".pre-commit-config.yaml")).unwrap(),
    )
    .unwrap();
    assert_eq!(hooks["repos"][0]["repo"].as_str(), Some("local"));
    let offered = offered_hooks();
    for hook in hooks["repos"][0]["hooks"].as_sequence().unwrap() {
        assert_eq!(hook["language"].as_str(), Some("system"));
        assert!(offered.contains(&hook["id"].as_str().unwrap().to_string()));
    }
    assert!(std::fs::read_to_string(edition.join(".gitignore"))
        .unwrap()
        .contains("*.html"));

    let volume_file = edition.join("sources/volume1/volume.toml");
    let volume = uncomment_settings(&std::fs::read_to_string(&volume_file).unwrap());
    for table in ["[[place]]", "[[org]]", "[[abbreviation]]"] {
        assert!(
            volume.contains(&format!("\n{table}\n")),
            "{table} is offered: {volume}"
        );
    }
    std::fs::write(&volume_file, volume).unwrap();
    let config_file = edition.join("teikit.toml");
    let mut config = uncomment_settings(&std::fs::read_to_string(&config_file).unwrap());
    assert!(
        config.contains("\n[convert]\nprofile = \"frus\""),
        "{config}"
    );
    // FRUS volume files are valid against FRUS's own schema, which the sample says to name.
    let frus_schema = reference_dir().map(|r| r.join("frus/schema/frus.rnc"));
    match &frus_schema {
        Some(schema) => {
            config = config.replace(
                "schema = \"schema/my-edition.rng\"",
                &format!("schema = {:?}", schema.display().to_string()),
            );
        }
        None => config = config.replace("\n[convert]\nprofile = \"frus\"", "\n"),
    }
    std::fs::write(&config_file, &config).unwrap();

    // In rich TEI, the registers uncommented are found in the sample: the place, the archive, the
    // term; the source note is read as written; the page marker on its own line is a page break.
    let convert = teikit_in(
        &edition,
        &["convert", "--profile", "tei", "sources/volume1/d1.txt"],
    );
    assert!(convert.status.success(), "{}", stderr(&convert));
    let tei = String::from_utf8(convert.stdout).unwrap();
    assert!(
        tei.contains("<placeName ref=\"#pl_WAS\">Washington</placeName>"),
        "{tei}"
    );
    assert!(
        tei.contains("<orgName ref=\"#o_SA\">Sample Archive</orgName>"),
        "{tei}"
    );
    assert!(tei.contains("<abbr corresp=\"#t_UN1\">UN</abbr>"), "{tei}");
    assert!(
        tei.contains("<repository>Sample Archive</repository>"),
        "{tei}"
    );
    assert!(!tei.contains("<collection>"), "{tei}");
    assert!(
        tei.contains("<idno type=\"folder\">Folder 2</idno>"),
        "{tei}"
    );
    assert_eq!(tei.matches("<pb ").count(), 2, "{tei}");
    // Then the edition as configured (FRUS volume files where FRUS's schema is at hand).
    let build = teikit_in(&edition, &["build"]);
    assert!(build.status.success(), "{}", stderr(&build));
    let validate = teikit_in(&edition, &["validate"]);
    assert!(validate.status.success(), "{}", stderr(&validate));
    let check = teikit_in(&edition, &["build", "--check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn build_checks_against_the_schema_teikit_toml_names() {
    let dir = tempfile::tempdir().unwrap();
    let edition = dir.path().join("ed");
    assert!(teikit_in(dir.path(), &["init", "ed"]).status.success());
    // A schema that allows nothing the converter writes: build must refuse, as validate does.
    std::fs::write(
        edition.join("strict.rnc"),
        "start = element nothing { empty }\n",
    )
    .unwrap();
    let config = std::fs::read_to_string(edition.join("teikit.toml")).unwrap();
    std::fs::write(
        edition.join("teikit.toml"),
        format!("schema = \"strict.rnc\"\n{config}"),
    )
    .unwrap();
    let build = teikit_in(&edition, &["build"]);
    let err = stderr(&build);
    assert_eq!(build.status.code(), Some(1), "{err}");
    assert!(err.contains("element `TEI` not allowed"), "{err}");
    // The build fails, and the conversion is written all the same: nothing is dropped.
    assert!(err.contains("it is written, and the build fails"), "{err}");
    assert!(edition.join("tei/volume1/d1.xml").exists());
}

#[test]
fn a_broken_volume_file_is_reported_once_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let edition = dir.path().join("ed");
    assert!(teikit_in(dir.path(), &["init", "ed"]).status.success());
    let volume_file = edition.join("sources/volume1/volume.toml");
    let volume = std::fs::read_to_string(&volume_file).unwrap();
    std::fs::write(
        &volume_file,
        format!("{volume}\n[[term]]\nid = \"t_UN1\"\nterm = \"UN\"\n"),
    )
    .unwrap();
    let build = teikit_in(&edition, &["build"]);
    let err = stderr(&build);
    assert_eq!(build.status.code(), Some(2), "{err}");
    assert!(
        err.contains("volume.toml:") && err.contains(": error: unknown field `term`"),
        "{err}"
    );
    assert_eq!(err.matches("error").count(), 1, "said once: {err}");
}

#[test]
fn a_misspelled_command_gets_a_suggestion() {
    let out = teikit(&["valdate", "x.xml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("a similar subcommand exists: 'validate'"),
        "{err}"
    );
}

#[test]
fn init_tei_starts_a_project_validated_against_the_schemas_its_documents_declare() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    let out = teikit_in(dir.path(), &["init", "--tei", "p"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("next: cd p && teikit validate"),
        "{}",
        stderr(&out)
    );
    let validate = |project: &std::path::Path| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_teikit"))
            .args(["validate", "--offline"])
            .current_dir(project)
            .env("TEIKIT_CACHE_DIR", "off")
            .env_remove("XML_CATALOG_FILES")
            .output()
            .unwrap();
        (out.status.code(), stderr(&out))
    };
    let (status, err) = validate(&project);
    assert_eq!(status, Some(0), "the sample is valid as written: {err}");
    // Nothing is built: CI and the hooks validate only.
    let workflow = std::fs::read_to_string(project.join(".github/workflows/teikit.yml")).unwrap();
    assert!(
        !workflow.contains("build --check") && workflow.contains("teikit validate --format github"),
        "{workflow}"
    );
    let hooks: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(project.join(".pre-commit-config.yaml")).unwrap(),
    )
    .unwrap();
    let ids: Vec<&str> = hooks["repos"][0]["hooks"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["teikit-validate"]);
    // The sample's commented declaration, uncommented, with the catalog mapping it to tei_all.
    let Some(reference) = reference_dir() else {
        return;
    };
    let sample = project.join("tei/sample.xml");
    let text = std::fs::read_to_string(&sample).unwrap();
    let declaration = text
        .lines()
        .find(|l| l.starts_with("<?xml-model"))
        .expect("a declaration to uncomment");
    let uncommented = text
        .replace(&format!("{declaration}\n"), "")
        .replace("<TEI xmlns", &format!("{declaration}\n<TEI xmlns"));
    std::fs::write(&sample, uncommented).unwrap();
    let catalog = std::fs::read_to_string(project.join("catalog.xml")).unwrap();
    let entry = format!(
        "<uri name=\"https://tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng\" uri=\"{}\"/>\n</catalog>",
        reference.join("tei/tei_all.rng").display()
    );
    std::fs::write(
        project.join("catalog.xml"),
        catalog.replace("</catalog>", &entry),
    )
    .unwrap();
    let (status, err) = validate(&project);
    assert_eq!(status, Some(0), "{err}");
    assert!(
        err.contains("tei_all.rng` (declared;") && err.contains(": 1 file(s)"),
        "{err}"
    );
}

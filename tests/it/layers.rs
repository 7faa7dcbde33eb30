//! The architecture, checked: each module of the library uses only modules of lower layers —
//! nothing points up, and no stage reaches sideways into another (README, "Layout").

use crate::common::root;
use std::collections::BTreeSet;
use std::path::Path;

/// The library's top-level modules by layer, lowest first.
const LAYERS: &[&[&str]] = &[
    &["base", "output", "parallel"],
    &["xml", "xpath"],
    &["relaxng", "schematron"],
    &["rules", "schemas"],
    // The stages.
    &[
        "config",
        "convert",
        "validation",
        "diff",
        "report",
        "publish",
        "scaffold",
    ],
    // The front-ends over the stages.
    &["build", "registers", "lsp"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The `crate::X` paths of Rust code, comments left out.
fn crate_uses(text: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            used.insert(name);
            rest = after;
        }
    }
    used
}

fn rust_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn no_module_uses_one_of_its_own_layer_or_above() {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    let mut checked = 0;
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let top = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = top.trim_end_matches(".rs");
        if matches!(module, "main" | "cli" | "lib") {
            continue; // the binary sits on top of everything
        }
        let own =
            layer_of(module).unwrap_or_else(|| panic!("{module} is in no layer: add it to LAYERS"));
        checked += 1;
        for used in crate_uses(&std::fs::read_to_string(&file).unwrap()) {
            if used == module {
                continue;
            }
            let Some(theirs) = layer_of(&used) else {
                panic!("{}: crate::{used} is in no layer", relative.display());
            };
            if theirs >= own {
                wrong.push(format!(
                    "{} (layer {own}) uses crate::{used} (layer {theirs})",
                    relative.display()
                ));
            }
        }
    }
    assert!(checked > 50, "only {checked} files read");
    assert!(
        wrong.is_empty(),
        "uses that point up or sideways:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_check_sees_a_use_that_points_up() {
    let uses = crate_uses(
        "use crate::rules::RuleId; // crate::lsp in a comment\nlet x = crate::diff::diff(a, b);",
    );
    assert_eq!(uses.into_iter().collect::<Vec<_>>(), ["diff", "rules"]);
}

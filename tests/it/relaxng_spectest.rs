//! James Clark's RELAX NG test suite (the one jing is tested with): every incorrect schema is
//! rejected, every correct one compiles, and every instance gets the verdict the suite gives.

use crate::common::reference_dir;
use std::path::Path;
use teikit::relaxng::Schema;

fn check_case(dir: &Path, failures: &mut Vec<String>) -> usize {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let mut checks = 0;
    let incorrect = dir.join("i.rng");
    if incorrect.exists() {
        checks += 1;
        if Schema::from_file(&incorrect).is_ok() {
            failures.push(format!("{name}: incorrect schema accepted"));
        }
    }
    let correct = dir.join("c.rng");
    if correct.exists() {
        checks += 1;
        let schema = match Schema::from_file(&correct) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{name}: correct schema rejected: {e}"));
                return checks;
            }
        };
        let mut validator = schema.validator();
        let mut instances: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(".xml"))
            .collect();
        instances.sort();
        for instance in instances {
            checks += 1;
            let file = instance.file_name().unwrap().to_string_lossy().into_owned();
            let valid = file.ends_with(".v.xml");
            let text = std::fs::read_to_string(&instance).unwrap();
            let errors = validator.validate(&instance, &text);
            if valid && !errors.is_empty() {
                failures.push(format!(
                    "{name}/{file}: valid instance rejected: {}",
                    errors[0]
                ));
            }
            if !valid && errors.is_empty() {
                failures.push(format!("{name}/{file}: invalid instance accepted"));
            }
        }
    }
    checks
}

#[test]
fn every_case_of_the_suite() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let cases = reference.join("relaxng-spectest/cases");
    let mut dirs: Vec<_> = std::fs::read_dir(&cases)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    let mut checks = 0;
    for dir in &dirs {
        checks += check_case(dir, &mut failures);
    }
    assert!(dirs.len() >= 385, "{} cases", dirs.len());
    assert!(
        failures.is_empty(),
        "{} of {checks} checks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(checks, 965, "every check of the suite ran");
}

//! The one rule for optional tools (`common::optional_tool`): a present tool runs its check; a
//! missing one is skipped with a line outside CI and fails the test in CI.

mod common;

use common::*;

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

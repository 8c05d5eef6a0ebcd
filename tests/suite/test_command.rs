//! `accord test` as a user runs it: exit codes, the summary line, `--filter`, `--format json`,
//! and test files with mistakes (`tests/fixtures/test-files`), which fail and never pass.

use std::process::{Command, Output};

const FIXTURES: &str = "tests/fixtures/test-files";

fn accord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["--color", "never"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run accord")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

#[test]
fn a_passing_run_prints_only_the_summary() {
    let out = accord(&["test", "policies/strict-partner", "--filter", "employee"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "2 passed, 0 failed\n");
    let verbose = accord(&[
        "test",
        "-v",
        "policies/strict-partner",
        "--filter",
        "employee",
    ]);
    let text = stdout(&verbose);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with("PASS policies/strict-partner/tests/partner.test.yaml:"),
        "{text}"
    );
    assert!(
        lines[0].ends_with(" an employee with MFA gets in"),
        "{text}"
    );
}

#[test]
fn a_failing_case_shows_a_diff_and_the_explanation() {
    let out = accord(&["test", &fixture("mixed.test.yaml")]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert_eq!(text.lines().last(), Some("2 passed, 1 failed"));
    assert!(
        text.starts_with(
            "FAIL tests/fixtures/test-files/mixed.test.yaml:21 this case is wrong on purpose\n"
        ),
        "{text}"
    );
    for line in [
        "  - expected decision: block\n  + actual   decision: allow\n",
        "  - expected requirements: [mfa]\n  + actual   requirements: []\n",
        "  - expected not_applied: \"Require MFA for guests\"\n  + actual   not_applied: \"Require MFA for guests\" applies\n",
        "  - expected reason_contains: \"no such text\"\n  + actual   reason_contains: not in the explanation\n",
        "  explanation:\n    ALLOW\n    user: erin@fabrikam.com is b2b_guest from fabrikam",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    // Passing cases print nothing.
    assert!(!text.contains("does MFA in contoso"), "{text}");
}

#[test]
fn filter_selects_cases_by_name() {
    let out = accord(&[
        "test",
        &fixture("mixed.test.yaml"),
        "--filter",
        "EXISTING GUEST",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "1 passed, 0 failed\n");
    let none = accord(&[
        "test",
        &fixture("mixed.test.yaml"),
        "--filter",
        "no case has this",
    ]);
    assert_eq!(none.status.code(), Some(2));
    assert_eq!(stdout(&none), "0 passed, 0 failed\n");
    assert!(
        stderr(&none).contains("no case matches"),
        "{}",
        stderr(&none)
    );
}

#[test]
fn json_reports_every_case() {
    let out = accord(&["test", &fixture("mixed.test.yaml"), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(json["passed"], 2);
    assert_eq!(json["failed"], 1);
    let cases = json["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 3);
    let first = &cases[0];
    assert_eq!(first["file"], "tests/fixtures/test-files/mixed.test.yaml");
    assert_eq!(first["line"], 9);
    assert_eq!(first["name"], "a fabrikam guest does MFA in contoso");
    assert_eq!(first["status"], "pass");
    assert_eq!(first["expected"]["decision"], "challenge");
    assert_eq!(
        first["expected"]["requirements"],
        serde_json::json!(["mfa"])
    );
    assert_eq!(first["actual"]["decision"], "challenge");
    assert_eq!(
        first["actual"]["applied"],
        serde_json::json!(["Require MFA for guests"])
    );
    let share = &cases[1];
    assert_eq!(share["actual"]["rule"], "existing_guest_level");
    let failed = &cases[2];
    assert_eq!(failed["status"], "fail");
    assert_eq!(failed["mismatches"][0]["field"], "decision");
    assert_eq!(failed["mismatches"][0]["expected"], "block");
    assert_eq!(failed["mismatches"][0]["actual"], "allow");
    assert!(failed["explanation"]
        .as_str()
        .is_some_and(|e| e.starts_with("ALLOW\n")));
}

/// Each case of errors.test.yaml is an error, with its code and where it is.
#[test]
fn mistakes_in_test_files_are_errors_not_passes() {
    let out = accord(&["test", &fixture("errors.test.yaml"), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(json["passed"], 0);
    let cases = json["cases"].as_array().expect("cases");
    let found: Vec<(String, String, u64, u64, String)> = cases
        .iter()
        .map(|c| {
            assert_eq!(c["status"], "error", "{c}");
            let e = &c["errors"][0];
            (
                c["name"].as_str().unwrap_or("").to_string(),
                e["code"].as_str().unwrap_or("").to_string(),
                e["line"].as_u64().unwrap_or(0),
                e["column"].as_u64().unwrap_or(0),
                e["hint"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let expected = [
        (
            "unknown policy",
            "E2105",
            15,
            15,
            "did you mean `Require MFA for guests`?",
        ),
        (
            "unknown tenant",
            "E2106",
            19,
            30,
            "did you mean `fabrikam`?",
        ),
        ("unknown app", "E2102", 24, 21, "did you mean `sharepoint`?"),
        (
            "unknown base request",
            "E2103",
            28,
            14,
            "did you mean `fabrikam guest`?",
        ),
        (
            "extends goes round in a circle",
            "E2104",
            8,
            22,
            "remove one `extends`",
        ),
        (
            "unknown request field",
            "E2102",
            39,
            36,
            "did you mean `type`?",
        ),
        (
            "unknown decision",
            "E2107",
            45,
            13,
            "did you mean `challenge`?",
        ),
        (
            "a share decision for an access request",
            "E2107",
            50,
            13,
            "did you mean `block`?",
        ),
        (
            "unknown tenant in a requirement",
            "E2106",
            56,
            27,
            "did you mean `fabrikam`?",
        ),
        (
            "unknown share service",
            "E2102",
            59,
            23,
            "did you mean `sharepoint`?",
        ),
    ];
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for (got, want) in found.iter().zip(expected) {
        assert_eq!(got.0, want.0);
        assert_eq!(
            (got.1.as_str(), got.2, got.3),
            (want.1, want.2, want.3),
            "{}",
            want.0
        );
        assert!(got.4.contains(want.4), "{}: hint {:?}", want.0, got.4);
    }
    assert_eq!(json["failed"], expected.len());
    // The text output shows each with a caret snippet; the last line is the summary.
    let text_out = accord(&["test", &fixture("errors.test.yaml")]);
    let text = stdout(&text_out);
    assert_eq!(text.lines().last(), Some("0 passed, 10 failed"));
    insta::assert_snapshot!("errors", text);
}

#[test]
fn a_file_that_is_not_yaml_fails() {
    let out = accord(&["test", &fixture("syntax.test.yaml")]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with("FAIL tests/fixtures/test-files/syntax.test.yaml:4\n"),
        "{text}"
    );
    assert!(text.contains("error[E2101]: invalid YAML"), "{text}");
    assert_eq!(text.lines().last(), Some("0 passed, 1 failed"));
}

#[test]
fn the_whole_fixture_pack_runs_every_file() {
    let out = accord(&["test", FIXTURES]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out).lines().last(), Some("2 passed, 12 failed"));
}

#[test]
fn usage_and_input_errors_exit_2() {
    let missing = accord(&["test", "no/such/pack"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("cannot read"),
        "{}",
        stderr(&missing)
    );
    assert_eq!(stdout(&missing), "0 passed, 0 failed\n");

    let no_tests = accord(&["test", "tests/fixtures/invalid/02-unknown-keyword.policy"]);
    assert_eq!(no_tests.status.code(), Some(1), "a pack with errors fails");
    let text = stdout(&no_tests);
    assert!(
        text.contains("the pack has errors: its tests did not run"),
        "{text}"
    );
    assert_eq!(text.lines().last(), Some("0 passed, 1 failed"));

    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("pack-without-tests");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    std::fs::copy(fixture("pack.policy"), dir.join("pack.policy")).expect("copy");
    let untested = accord(&["test", dir.to_str().expect("utf-8")]);
    assert_eq!(untested.status.code(), Some(2));
    assert!(
        stderr(&untested).contains("has no test files"),
        "{}",
        stderr(&untested)
    );

    let usage = accord(&["test"]);
    assert_eq!(usage.status.code(), Some(2));
}

/// The example in the format's documentation (`src/testing/mod.rs`) is a real test file: it
/// runs, and passes, against the pack it is written for.
#[test]
fn the_documented_example_passes() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("src/testing/mod.rs")).expect("module source");
    let example: String = doc
        .lines()
        .skip_while(|l| *l != "//! ```yaml")
        .skip(1)
        .take_while(|l| *l != "//! ```")
        .map(|l| format!("{}\n", l.strip_prefix("//! ").unwrap_or("")))
        .collect();
    assert!(example.contains("cases:"), "{example}");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("documented-example");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    for entry in std::fs::read_dir(root.join("policies/contoso-group")).expect("pack") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "policy") {
            std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    std::fs::write(dir.join("example.test.yaml"), example).expect("write");
    let out = accord(&["test", dir.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "3 passed, 0 failed\n");
}

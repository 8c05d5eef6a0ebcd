//! The `accord` binary as a user runs it: exit codes, output streams, files left untouched.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn accord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run accord")
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A scratch folder under the target dir, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

#[test]
fn check_exit_codes() {
    let clean = accord(&["check", "policies/contoso-group"]);
    assert_eq!(code(&clean), 0, "{}", stdout(&clean));
    assert!(stdout(&clean).contains("0 errors"));

    let broken = accord(&["check", "tests/fixtures/invalid/02-unknown-keyword.policy"]);
    assert_eq!(code(&broken), 1);
    let text = stdout(&broken);
    assert!(text.contains("error[E0001]"), "{text}");
    assert!(text.contains("02-unknown-keyword.policy:4:1"), "{text}");
    assert!(text.contains("did you mean `policy`?"), "{text}");

    let missing = accord(&["check", "no/such/pack"]);
    assert_eq!(code(&missing), 2);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read"));

    let usage = accord(&["check"]);
    assert_eq!(code(&usage), 2);
}

#[test]
fn check_json_names_file_line_and_column() {
    let out = accord(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/invalid/03-unknown-platform.policy",
    ]);
    assert_eq!(code(&out), 1);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let first = &json[0];
    assert_eq!(first["code"], "E0002");
    assert_eq!(first["severity"], "error");
    assert!(first["line"].as_u64().is_some_and(|l| l > 0));
    assert!(first["column"].as_u64().is_some_and(|c| c > 0));
    assert!(first["hint"]
        .as_str()
        .is_some_and(|h| h.contains("android")));
}

#[test]
fn shipped_packs_are_formatted() {
    for pack in [
        "policies/contoso-group",
        "policies/b2b-guest-baseline",
        "policies/strict-partner",
    ] {
        let out = accord(&["fmt", "--check", pack]);
        assert_eq!(code(&out), 0, "{pack} is not formatted:\n{}", stdout(&out));
    }
}

#[test]
fn fmt_write_rewrites_only_files_that_parsed() {
    let dir = scratch("fmt-write");
    let good = dir.join("a.policy");
    let bad = dir.join("b.policy");
    let good_text = "tenant   a {   id = \"x\" }   # note\n";
    let bad_text = "tenant b { id = \n";
    std::fs::write(&good, good_text).expect("write");
    std::fs::write(&bad, bad_text).expect("write");
    let out = accord(&["fmt", "--write", dir.to_str().expect("utf-8 path")]);
    assert_eq!(code(&out), 1, "a file with a syntax error makes fmt fail");
    assert_eq!(
        std::fs::read_to_string(&good).expect("read"),
        "tenant a { id = \"x\" }  # note\n"
    );
    assert_eq!(std::fs::read_to_string(&bad).expect("read"), bad_text);

    let check = accord(&["fmt", "--check", good.to_str().expect("utf-8 path")]);
    assert_eq!(code(&check), 0);
}

#[test]
fn fmt_check_shows_a_diff_and_fails() {
    let dir = scratch("fmt-check");
    let file = dir.join("a.policy");
    std::fs::write(&file, "tenant a {id=\"x\"}\n").expect("write");
    let out = accord(&["fmt", "--check", file.to_str().expect("utf-8 path")]);
    assert_eq!(code(&out), 1);
    let diff = stdout(&out);
    assert!(diff.contains("-tenant a {id=\"x\"}"), "{diff}");
    assert!(diff.contains("+tenant a { id = \"x\" }"), "{diff}");
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "tenant a {id=\"x\"}\n",
        "--check never writes"
    );
}

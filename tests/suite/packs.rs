//! Every shipped pack under `policies/`, recorded: the output of `accord check`, `accord test`
//! and the decision matrix (`accord whatif --matrix <pack>/matrix.yaml`), so that any change to
//! a decision shows up as a snapshot diff in review.
//!
//! Packs are discovered: adding a folder under `policies/` adds its snapshots. Each snapshot is
//! paired with hard assertions (no check errors, no failed test case, one matrix row per
//! combination), so accepting a careless snapshot cannot bless a broken pack.
//!
//! (Issue 6 asks for `tests/packs.rs`; the project keeps one integration-test binary, so this is
//! a module of `tests/suite`.)

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use accord::eval::matrix::Matrix;

/// Every folder under `policies/`, sorted, as repo-relative paths (`policies/<name>`).
fn packs() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&root)
        .expect("policies/ exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .map(|p| {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .expect("utf-8 name")
                .to_string();
            let relative = PathBuf::from("policies").join(&name);
            (name, relative)
        })
        .collect();
    out.sort();
    assert!(
        out.len() >= 3,
        "the shipped packs are missing: {out:?} (run from the repository)"
    );
    out
}

fn accord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["--color", "never"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run accord")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn snapshot(kind: &str, pack: &str, output: &str) {
    insta::with_settings!({ snapshot_suffix => pack, prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(format!("packs__{kind}"), output);
    });
}

#[test]
fn check_is_clean() {
    for (name, pack) in packs() {
        let pack = pack.to_str().expect("utf-8 path");
        let out = accord(&["check", pack]);
        let stdout = text(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{pack}:\n{stdout}{}",
            text(&out.stderr)
        );
        assert!(stdout.contains(": 0 errors"), "{pack}:\n{stdout}");
        snapshot("check", &name, &stdout);
    }
}

#[test]
fn every_case_passes() {
    for (name, pack) in packs() {
        let pack = pack.to_str().expect("utf-8 path");
        let out = accord(&["test", pack]);
        let stdout = text(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{pack}:\n{stdout}{}",
            text(&out.stderr)
        );
        let last = stdout.lines().last().expect("a summary line");
        let (passed, failed) = last.split_once(" passed, ").expect("`N passed, N failed`");
        assert_eq!(failed, "0 failed", "{pack}:\n{stdout}");
        let passed: usize = passed.parse().expect("a count");
        assert!(passed > 0, "{pack} has no test case");
        // The snapshot lists every case, so that review sees cases come and go.
        let verbose = text(&accord(&["test", "--verbose", pack]).stdout);
        assert_eq!(verbose.lines().last(), Some(last));
        assert_eq!(verbose.lines().count(), passed + 1, "{verbose}");
        snapshot("test", &name, &verbose);
    }
}

#[test]
fn decision_matrix() {
    for (name, pack) in packs() {
        let file = pack.join("matrix.yaml");
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(&file);
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{name} ships no matrix.yaml: {e}"));
        let matrix = Matrix::parse(&source).expect("the matrix parses");
        let rows: usize = matrix.dimensions.iter().map(|d| d.values.len()).product();
        assert!(
            matrix.dimensions.len() >= 4,
            "{name}: the matrix covers segments, apps, locations, devices and MFA"
        );
        let out = accord(&[
            "whatif",
            pack.to_str().expect("utf-8"),
            "--matrix",
            file.to_str().expect("utf-8"),
        ]);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        assert_eq!(
            stdout.lines().count(),
            rows + 1,
            "{name}: a header and one row per combination"
        );
        snapshot("matrix", &name, &stdout);
    }
}

//! Every shipped pack under `policies/`, recorded: the output of `accord check`, `accord lint`,
//! `accord test` and the decision matrix (`accord whatif --matrix <pack>/matrix.yaml`), so that
//! any change to a decision or a finding shows up as a snapshot diff in review.
//!
//! Packs are discovered: adding a folder under `policies/` adds its snapshots. Each snapshot is
//! paired with hard assertions (no check errors, no failed test case, one matrix row per
//! combination, no unsuppressed lint finding), so accepting a careless snapshot cannot bless a
//! broken pack. `policies/broken-examples` (and the pack nested in it) is broken on purpose: its
//! findings must be exactly those its `# mistake: CODE` comments mark, and together they must
//! show every lint rule.
//!
//! (Issue 6 asks for `tests/packs.rs`; the project keeps one integration-test binary, so this is
//! a module of `tests/suite`.)

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use std::collections::BTreeSet;

use accord::eval::matrix::Matrix;
use accord::lint::suppress;

/// Every folder under `policies/` that holds `.policy` files (nested ones too, such as
/// `broken-examples/outside-organization`), sorted, as `(snapshot name, repo-relative path)`.
fn packs() -> Vec<(String, PathBuf)> {
    fn walk(dir: &Path, relative: &Path, out: &mut Vec<(String, PathBuf)>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("readable folder")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        if entries
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "policy"))
        {
            let name = relative
                .strip_prefix("policies")
                .expect("under policies/")
                .to_string_lossy()
                .replace(['/', '\\'], "__");
            out.push((name, relative.to_path_buf()));
        }
        for sub in entries.iter().filter(|p| p.is_dir()) {
            let file_name = sub.file_name().expect("a name");
            if file_name != "tests" {
                walk(sub, &relative.join(file_name), out);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    walk(&root.join("policies"), Path::new("policies"), &mut out);
    assert!(
        out.len() >= 3,
        "the shipped packs are missing: {out:?} (run from the repository)"
    );
    out
}

/// The packs that are broken on purpose: their lint findings are checked against their
/// `# mistake: CODE` marks instead of having to be clean.
fn is_broken_on_purpose(pack: &Path) -> bool {
    pack.starts_with("policies/broken-examples")
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
fn check_is_clean_and_formatted() {
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
        let fmt = accord(&["fmt", "--check", pack]);
        assert_eq!(
            fmt.status.code(),
            Some(0),
            "{pack} is not formatted:\n{}",
            text(&fmt.stdout)
        );
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
        let matrix =
            Matrix::parse(&source, accord::eval::matrix::MAX_ROWS).expect("the matrix parses");
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
        matrix_rows_explain_themselves(&name, &pack, &file, rows);
        snapshot("matrix", &name, &stdout);
    }
}

/// Hard assertions beside the snapshot: in the JSON rows, a challenge names what to complete
/// and who asks for it, a block names what blocked, an allow names nothing; CSV has the same
/// rows and columns.
fn matrix_rows_explain_themselves(name: &str, pack: &Path, file: &Path, rows: usize) {
    let run = |format: &str| {
        let out = accord(&[
            "whatif",
            pack.to_str().expect("utf-8"),
            "--matrix",
            file.to_str().expect("utf-8"),
            "--format",
            format,
        ]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        text(&out.stdout)
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).expect("matrix JSON");
    let list = json.as_array().expect("an array");
    assert_eq!(list.len(), rows, "{name}: one JSON object per row");
    for row in list {
        let field = |k: &str| row[k].as_array().map_or(0, Vec::len);
        let gate = row["gate_blocked"].as_bool().expect("gate_blocked");
        let assignment = row["assignment_blocked"]
            .as_bool()
            .expect("assignment_blocked");
        // What blocked before Conditional Access: at most one of the two, and then no policy.
        let before = gate || assignment;
        assert!(!(gate && assignment), "{name}: {row}");
        match row["decision"].as_str().expect("decision") {
            "challenge" => {
                assert!(field("requirements") > 0, "{name}: {row}");
                assert!(field("policies") > 0, "{name}: {row}");
                assert!(!before, "{name}: {row}");
            }
            "block" => assert!(before != (field("policies") > 0), "{name}: {row}"),
            "allow" => {
                assert_eq!(
                    (field("requirements"), field("policies")),
                    (0, 0),
                    "{name}: {row}"
                );
                assert!(!before, "{name}: {row}");
            }
            other => panic!("{name}: decision `{other}`"),
        }
    }
    let csv = run("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().expect("a header").clone();
    let tail: Vec<&str> = header.iter().rev().take(4).collect();
    assert_eq!(tail, ["policies", "requirements", "depends_on", "decision"]);
    assert_eq!(
        reader.records().count(),
        rows,
        "{name}: one CSV record per row"
    );
}

/// `(code, file, line)` of every `# mistake: CODE ...` comment of a pack's files: on its own line
/// it marks the next line that is not blank and not another mistake comment.
fn mistakes(pack: &Path) -> Vec<(String, String, u64)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(pack))
        .expect("pack folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "policy"))
        .collect();
    files.sort();
    let is_mark = |l: &str| l.trim_start().starts_with("# mistake:");
    let mut out = Vec::new();
    for file in files {
        let name = pack
            .join(file.file_name().expect("name"))
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&file).expect("read");
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(at) = line.find("# mistake:") else {
                continue;
            };
            let code = line[at + "# mistake:".len()..]
                .split_whitespace()
                .next()
                .unwrap_or_default();
            // Prose that mentions the convention (`# mistake: CODE`) is no mark.
            let is_code = code.len() == 6
                && code[..3].bytes().all(|b| b.is_ascii_uppercase())
                && code[3..].bytes().all(|b| b.is_ascii_digit());
            if !is_code {
                continue;
            }
            let code = code.to_string();
            let target = if is_mark(line) {
                (i + 1..lines.len())
                    .find(|&j| !lines[j].trim().is_empty() && !is_mark(lines[j]))
                    .expect("a mistake comment is followed by the line it marks")
            } else {
                i
            };
            out.push((code, name.clone(), target as u64 + 1));
        }
    }
    out.sort();
    out
}

#[test]
fn lint_is_clean_except_where_broken_on_purpose() {
    let mut shown = BTreeSet::new();
    for (name, pack) in packs() {
        let path = pack.to_str().expect("utf-8");
        let json = accord(&["lint", "--format", "json", path]);
        let findings: serde_json::Value =
            serde_json::from_slice(&json.stdout).expect("lint --format json");
        let mut found: Vec<(String, String, u64)> = findings
            .as_array()
            .expect("an array of findings")
            .iter()
            .map(|f| {
                (
                    f["code"].as_str().expect("code").to_string(),
                    f["file"].as_str().expect("file").to_string(),
                    f["line"].as_u64().expect("line"),
                )
            })
            .collect();
        found.sort();
        if is_broken_on_purpose(&pack) {
            assert_eq!(
                found,
                mistakes(&pack),
                "{path}: findings vs `# mistake:` marks"
            );
            shown.extend(found.iter().map(|(code, _, _)| code.clone()));
        } else {
            assert!(found.is_empty(), "{path} is not lint-clean: {found:?}");
            assert_eq!(json.status.code(), Some(0), "{path}");
        }
        let out = accord(&["lint", path]);
        snapshot("lint", &name, &text(&out.stdout));
    }
    let every: BTreeSet<String> = accord::lint::RULES
        .iter()
        .map(|r| r.code.to_string())
        .collect();
    // The suppression comments have codes of their own.
    let suppression_codes: BTreeSet<String> = [suppress::MISSING_REASON, suppress::MALFORMED]
        .map(String::from)
        .into();
    let expected: BTreeSet<String> = every.union(&suppression_codes).cloned().collect();
    assert_eq!(
        shown, expected,
        "policies/broken-examples must show every rule's mistake"
    );
}

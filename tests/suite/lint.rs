//! `accord lint`: every rule fires on its fixture and stays quiet on the other, with exactly the
//! findings the fixture marks (`# expect: CODE` on the line a finding starts, or on its own line
//! just before it); then the text output is snapshotted. Also suppressions, the JSON shape,
//! SARIF against the official schema, and the command's exit codes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use accord::diagnostic::Severity;
use accord::lint::{self, LintReport, Selection, RULES};
use accord::load::{load_pack, load_texts, Loaded};
use accord::render::{self, human::Style};

const FIXTURES: &str = "tests/lint";

/// `(code, file, line)` of a finding.
type Mark = (String, String, usize);

/// The fixture of one case: `<dir>/<case>.policy`, or a folder pack `<dir>/<case>/`.
fn case_path(code: &str, case: &str) -> Option<PathBuf> {
    let dir = Path::new(FIXTURES).join(code);
    [dir.join(format!("{case}.policy")), dir.join(case)]
        .into_iter()
        .find(|p| p.exists())
}

/// The findings a fixture marks with `# expect: CODE, CODE`.
fn expected(loaded: &Loaded) -> Vec<Mark> {
    let mut marks = Vec::new();
    for (file, parsed) in &loaded.files {
        let source = loaded.sources.get(*file).expect("file");
        for comment in &parsed.comments {
            let Some(codes) = comment.text.trim().strip_prefix("expect:") else {
                continue;
            };
            let mut line = source.line_col(comment.span.start as usize).0;
            if comment.own_line {
                // The next line that holds code.
                line = source
                    .text
                    .lines()
                    .enumerate()
                    .skip(line)
                    .find(|(_, l)| !l.trim().is_empty() && !l.trim().starts_with('#'))
                    .map(|(i, _)| i + 1)
                    .expect("an `# expect:` line is followed by code");
            }
            for code in codes.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                marks.push((code.to_string(), source.name.clone(), line));
            }
        }
    }
    marks.sort();
    marks
}

fn actual(loaded: &Loaded, report: &LintReport) -> Vec<Mark> {
    let mut marks: Vec<Mark> = report
        .diagnostics
        .iter()
        .map(|d| {
            let span = d.span.unwrap_or_else(|| panic!("{} has no span", d.code));
            let p = render::position(&loaded.sources, span).expect("position");
            (d.code.clone(), p.file, p.line)
        })
        .collect();
    marks.sort();
    marks
}

fn text(path: &Path, loaded: &Loaded, report: &LintReport) -> String {
    let style = Style {
        color: false,
        width: 100,
    };
    accord::cli::lint::text(path, loaded, report, style)
}

fn lint_path(path: &Path) -> (Loaded, LintReport) {
    let loaded = load_pack(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let report = lint::lint(&loaded, &Selection::all());
    (loaded, report)
}

#[test]
fn every_registered_rule_has_both_fixtures_and_no_fixture_is_orphaned() {
    let mut missing = Vec::new();
    for rule in RULES {
        for case in ["fires", "quiet"] {
            if case_path(rule.code, case).is_none() {
                missing.push(format!("{FIXTURES}/{}/{case}.policy", rule.code));
            }
        }
    }
    assert!(missing.is_empty(), "missing fixtures: {missing:#?}");
    let registered: BTreeSet<&str> = RULES.iter().map(|r| r.code).collect();
    for entry in std::fs::read_dir(FIXTURES).expect("tests/lint") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .to_string();
        assert!(
            registered.contains(name.as_str()),
            "{FIXTURES}/{name} is not a registered rule"
        );
    }
}

#[test]
fn fixtures_have_exactly_the_marked_findings_then_match_their_snapshots() {
    let mut failures = Vec::new();
    let mut snapshots = Vec::new();
    for rule in RULES {
        for case in ["fires", "quiet"] {
            let Some(path) = case_path(rule.code, case) else {
                continue;
            };
            let (loaded, report) = lint_path(&path);
            if !report.valid {
                failures.push(format!(
                    "{}: does not pass check: {:#?}",
                    path.display(),
                    report.diagnostics
                ));
                continue;
            }
            let want = expected(&loaded);
            let got = actual(&loaded, &report);
            if want != got {
                failures.push(format!(
                    "{}: marked {want:#?}\nbut found {got:#?}",
                    path.display()
                ));
            }
            let fired = got.iter().any(|(c, ..)| c == rule.code);
            if case == "fires" && !fired {
                failures.push(format!("{}: {} does not fire", path.display(), rule.code));
            }
            if case == "quiet" && fired {
                failures.push(format!("{}: {} fires", path.display(), rule.code));
            }
            snapshots.push((
                format!("{}_{case}", rule.code),
                text(&path, &loaded, &report),
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    for (name, output) in snapshots {
        insta::assert_snapshot!(name, output);
    }
}

#[test]
fn shipped_packs_lint_clean_or_suppressed_with_reasons() {
    let mut packs: Vec<PathBuf> = std::fs::read_dir("policies")
        .expect("policies/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        // Broken on purpose: `packs.rs` checks its findings against its `# mistake:` marks.
        .filter(|p| !p.ends_with("broken-examples"))
        .collect();
    packs.sort();
    assert!(!packs.is_empty());
    for pack in packs {
        let (loaded, report) = lint_path(&pack);
        assert!(report.valid, "{} does not pass check", pack.display());
        assert!(
            report.diagnostics.is_empty(),
            "{}: unsuppressed findings:\n{}",
            pack.display(),
            text(&pack, &loaded, &report)
        );
        for s in &report.suppressed {
            assert!(!s.reason.is_empty(), "{}: {:?}", pack.display(), s);
        }
        let name = pack
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        let listing: String = report
            .suppressed
            .iter()
            .map(|s| {
                let p = render::position(&loaded.sources, s.finding.span.expect("span"))
                    .expect("position");
                format!(
                    "{}:{}:{} {} suppressed: {}\n  because: {}\n",
                    p.file, p.line, p.column, s.finding.code, s.finding.message, s.reason
                )
            })
            .collect();
        insta::assert_snapshot!(format!("shipped_{name}"), listing);
    }
}

const SUPPRESSED: &str = r#"resource tenant contoso { domains = ["contoso.com"] }
cross_tenant default { trust mfa }
sharing {
  # accord: allow(SHR006) guests work in Teams only; groups stay closed on purpose
  teams guest_access = on
  groups guest_access = off
}
"#;

#[test]
fn a_suppression_with_a_reason_silences_the_next_line() {
    let loaded = load_texts([("s.policy", SUPPRESSED)]);
    let report = lint::lint(&loaded, &Selection::all());
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    assert_eq!(report.suppressed.len(), 1);
    assert_eq!(report.suppressed[0].finding.code, "SHR006");
    assert_eq!(
        report.suppressed[0].reason,
        "guests work in Teams only; groups stay closed on purpose"
    );
}

#[test]
fn a_suppression_before_an_item_covers_findings_inside_it() {
    let text = r#"resource tenant contoso { domains = ["contoso.com"] }
# accord: allow(CAP004) legacy clients are blocked by the network
policy "Nothing" { users { include none } apps { include all } grant mfa }
# accord: allow(CAP001) kept as a template
policy "Nobody" {
  users { include none }
  apps  { include all }
  grant mfa
}
"#;
    let loaded = load_texts([("s.policy", text)]);
    let report = lint::lint(&loaded, &Selection::all());
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    // The first policy's CAP001 is not covered (its comment names CAP004 only); CAP004 points at
    // the resource tenant, not at the line after its comment.
    assert_eq!(
        codes,
        ["CAP004", "EXT006", "CAP001"],
        "{:#?}",
        report.diagnostics
    );
    let line = report.diagnostics[2]
        .span
        .and_then(|s| render::position(&loaded.sources, s))
        .map(|p| p.line);
    assert_eq!(line, Some(3), "the first policy's users block");
    assert_eq!(report.suppressed.len(), 1);
    assert_eq!(report.suppressed[0].finding.code, "CAP001");
}

#[test]
fn a_suppression_without_a_reason_applies_but_is_reported() {
    let text = SUPPRESSED.replace(
        " guests work in Teams only; groups stay closed on purpose",
        "",
    );
    let loaded = load_texts([("s.policy", text.as_str())]);
    let report = lint::lint(&loaded, &Selection::all());
    let codes: Vec<(&str, Severity)> = report
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.severity))
        .collect();
    assert_eq!(codes, [("SUP001", Severity::Warning)]);
    assert_eq!(report.suppressed.len(), 1);
}

#[test]
fn malformed_suppressions_and_unknown_codes_are_reported() {
    let text = SUPPRESSED.replace("allow(SHR006)", "allow(SHR060)");
    let loaded = load_texts([("s.policy", text.as_str())]);
    let report = lint::lint(&loaded, &Selection::all());
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["SUP002", "SHR006"], "{:#?}", report.diagnostics);
    assert!(report.diagnostics[0].message.contains("`SHR060`"));
    assert_eq!(
        report.diagnostics[0].help.as_deref(),
        Some("did you mean `SHR006`?")
    );

    let text = SUPPRESSED.replace("allow(SHR006)", "allow SHR006");
    let loaded = load_texts([("s.policy", text.as_str())]);
    let report = lint::lint(&loaded, &Selection::all());
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["SUP002", "SHR006"]);
}

#[test]
fn selection_narrows_and_removes_codes() {
    let path = Path::new(FIXTURES).join("EXT004/fires.policy");
    let loaded = load_pack(&path).expect("fixture");
    let codes = |s: Selection| -> BTreeSet<String> {
        lint::lint(&loaded, &s)
            .diagnostics
            .into_iter()
            .map(|d| d.code)
            .collect()
    };
    let only = Selection::new(&["EXT004".into()], &[]).expect("known");
    assert_eq!(codes(only), BTreeSet::from(["EXT004".to_string()]));
    let allow = Selection::new(&[], &["EXT004".into(), "CAP004".into()]).expect("known");
    assert_eq!(
        codes(allow),
        BTreeSet::from([
            "EXT002".to_string(),
            "EXT005".to_string(),
            "EXT006".to_string()
        ])
    );
}

fn accord(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .output()
        .expect("run accord");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn json_output_has_one_object_per_finding_with_positions() {
    let (code, stdout, _) = accord(&["lint", "--format", "json", "tests/lint/SHR004/fires.policy"]);
    assert_eq!(code, 0, "warnings only");
    let value: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let findings = value.as_array().expect("array");
    assert_eq!(findings.len(), 2);
    let keys = [
        "code",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "hint",
    ];
    for f in findings {
        let object = f.as_object().expect("object");
        assert_eq!(object.keys().map(String::as_str).collect::<Vec<_>>(), keys);
    }
    let first = &findings[0];
    assert_eq!(first["code"], "SHR004");
    assert_eq!(first["severity"], "warning");
    assert_eq!(first["file"], "tests/lint/SHR004/fires.policy");
    assert_eq!(first["line"], 6);
    assert_eq!(first["column"], 34);
    assert_eq!(first["end_line"], 6);
    assert_eq!(first["end_column"], 46);
    assert!(first["hint"].as_str().is_some_and(|h| !h.is_empty()));
}

#[test]
fn exit_codes_follow_severity_deny_and_usage() {
    // Errors fail.
    assert_eq!(accord(&["lint", "tests/lint/SHR001/fires.policy"]).0, 1);
    // Warnings pass, unless denied.
    assert_eq!(accord(&["lint", "tests/lint/SHR004/fires.policy"]).0, 0);
    assert_eq!(
        accord(&[
            "lint",
            "--deny",
            "warnings",
            "tests/lint/SHR004/fires.policy"
        ])
        .0,
        1
    );
    // An allowed code no longer counts.
    assert_eq!(
        accord(&[
            "lint",
            "--allow",
            "SHR001",
            "tests/lint/SHR001/fires.policy"
        ])
        .0,
        0
    );
    assert_eq!(
        accord(&["lint", "--only", "SHR006", "tests/lint/SHR001/fires.policy"]).0,
        0
    );
    // Usage errors: unknown code, unknown flag value, missing pack.
    let (code, _, stderr) = accord(&["lint", "--allow", "SHR01", "tests/lint/SHR001/fires.policy"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown lint code `SHR01`"), "{stderr}");
    assert_eq!(accord(&["lint", "--deny", "infos", "x.policy"]).0, 2);
    assert_eq!(accord(&["lint", "does/not/exist"]).0, 2);
}

#[test]
fn a_pack_that_fails_check_is_reported_with_its_check_diagnostics() {
    let dir = std::env::temp_dir().join(format!("accord-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let file = dir.join("broken.policy");
    std::fs::write(&file, "policy \"x\" {\n  state = onn\n}\n").expect("write");
    let (code, stdout, _) = accord(&["lint", file.to_str().expect("utf-8")]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(code, 1);
    assert!(stdout.contains("error[E0002]"), "{stdout}");
    assert!(stdout.contains("not linted"), "{stdout}");
}

#[test]
fn text_output_ends_with_the_summary_line() {
    let (code, stdout, _) = accord(&["lint", "tests/lint/EXT001/fires.policy"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("error[EXT001]: policy `App protection on mobile`"));
    assert!(
        stdout.contains("╭─[tests/lint/EXT001/fires.policy:9:3]"),
        "{stdout}"
    );
    assert!(stdout.contains("note: a policy requires an approved app"));
    assert!(stdout.ends_with("tests/lint/EXT001/fires.policy: 2 errors, 2 warnings, 2 infos\n"));
}

#[test]
fn rules_lists_every_rule_and_explains_one() {
    let (code, stdout, _) = accord(&["rules"]);
    assert_eq!(code, 0);
    for rule in RULES {
        assert!(stdout.contains(rule.code), "{} missing", rule.code);
    }
    let (code, stdout, _) = accord(&["rules", "ext001"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("EXT001 unsatisfiable_app_controls (error)\n"));
    for part in ["Why:", "§4.4", "Fires:", "Does not fire:", "Fix:"] {
        assert!(stdout.contains(part), "{part} missing:\n{stdout}");
    }
    insta::assert_snapshot!("rules_EXT001", stdout);
    let (code, _, stderr) = accord(&["rules", "EXT01"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean"), "{stderr}");
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let (code, stdout, _) = accord(&[
        "lint",
        "--format",
        "sarif",
        "tests/lint/EXT001/fires.policy",
        "tests/lint/SHR004/fires.policy",
    ]);
    assert_eq!(code, 1);
    let log: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let mut schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/fixtures/sarif/sarif-schema-2.1.0.json").expect("schema"),
    )
    .expect("schema json");
    // The published schema's pattern for `language` (of a run and of a tool component) has a
    // stray `]`, which jsonschema's meta-schema check rejects as a regex. accord never writes
    // `language`; replace the pattern in memory with the one the specification describes (two
    // letters, optional region) rather than edit the vendored copy.
    for owner in ["run", "toolComponent"] {
        let language = &mut schema["definitions"][owner]["properties"]["language"]["pattern"];
        assert_eq!(language, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *language = serde_json::json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    }
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The check is not vacuous: a level SARIF does not define is refused.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&broken));

    // What GitHub code scanning needs: rules with help, results with a region.
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.len() >= RULES.len());
    assert!(rules
        .iter()
        .all(|r| r["help"]["text"].as_str().is_some_and(|t| !t.is_empty())));
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 8);
    let first = &results[0];
    assert_eq!(first["ruleId"], "CAP004");
    assert_eq!(first["level"], "note");
    let rule_index = first["ruleIndex"].as_u64().expect("index") as usize;
    assert_eq!(rules[rule_index]["id"], "CAP004");
    let location = &first["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "tests/lint/EXT001/fires.policy"
    );
    assert_eq!(location["region"]["startLine"], 2);
    assert_eq!(location["region"]["startColumn"], 17);
    assert_eq!(location["region"]["endColumn"], 24);
}

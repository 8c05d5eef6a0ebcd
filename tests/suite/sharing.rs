//! Share requests: the scenario tables under `tests/fixtures/sharing/*.yaml`.
//!
//! Each file holds a pack (inline `pack:` text, or `pack_dir:` relative to the crate root) and
//! `cases:`, each with the `source:` section of the reference it checks, the `share:` request in
//! the public shape, and the exact `decision`, `rule` and `effective_level` expected. The request
//! goes through the public parser, so the fixtures also hold the request shape to its contract.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use accord::eval::sharing::{decide_share, ShareRule};
use accord::load::{load_pack, load_texts, Loaded};
use accord::model::share::ShareRequest;
use accord::validate::Validated;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    #[serde(default)]
    pack: Option<String>,
    #[serde(default)]
    pack_dir: Option<String>,
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    source: String,
    share: serde_yaml::Value,
    decision: String,
    rule: String,
    #[serde(default)]
    effective_level: Option<String>,
    /// Words the reason must contain (where the setting is, what it says).
    #[serde(default)]
    reason_contains: Vec<String>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tables() -> Vec<(PathBuf, Table)> {
    let dir = root().join("tests/fixtures/sharing");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the sharing fixtures exist")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable fixture");
            let table: Table =
                serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, table)
        })
        .collect()
}

fn validated(path: &Path, table: &Table) -> Validated {
    let loaded: Loaded = match (&table.pack, &table.pack_dir) {
        (Some(text), None) => load_texts([("pack.policy", text.as_str())]),
        (None, Some(dir)) => load_pack(&root().join(dir)).expect("the pack loads"),
        _ => panic!(
            "{}: give exactly one of `pack` or `pack_dir`",
            path.display()
        ),
    };
    let validation = accord::check(&loaded);
    match validation.validated {
        Some(v) => v,
        None => panic!(
            "{}: the pack does not validate: {:?}",
            path.display(),
            validation.diagnostics
        ),
    }
}

fn request(case: &Case) -> ShareRequest {
    let mut doc = serde_yaml::Mapping::new();
    doc.insert("share".into(), case.share.clone());
    let text = serde_yaml::to_string(&doc).expect("the request serializes");
    ShareRequest::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", case.name))
}

#[test]
fn sharing_scenarios() {
    let mut count = 0;
    let mut failures: Vec<String> = Vec::new();
    let mut rules_seen: BTreeSet<&'static str> = BTreeSet::new();
    let mut names: BTreeSet<String> = BTreeSet::new();
    for (path, table) in tables() {
        let pack = validated(&path, &table);
        let file = path.file_name().map(|f| f.to_string_lossy().to_string());
        let file = file.unwrap_or_default();
        for case in &table.cases {
            count += 1;
            assert!(
                names.insert(format!("{file}: {}", case.name)),
                "{file}: duplicate case name `{}`",
                case.name
            );
            assert!(
                case.source.starts_with('§'),
                "{file}: `{}` must cite a section (§...)",
                case.name
            );
            let expected_rule = ShareRule::from_id(&case.rule)
                .unwrap_or_else(|| panic!("{file}: `{}`: unknown rule `{}`", case.name, case.rule));
            let d = decide_share(&pack, &request(case));
            rules_seen.insert(d.rule.id());
            let got_decision = serde_json::to_value(d.decision).expect("serializes");
            let got_level = d.effective_level.map(|l| l.name().to_string());
            let mut wrong: Vec<String> = Vec::new();
            if got_decision != case.decision.as_str() {
                wrong.push(format!("decision {got_decision} (want {})", case.decision));
            }
            if d.rule != expected_rule {
                wrong.push(format!("rule {} (want {})", d.rule, case.rule));
            }
            if got_level != case.effective_level {
                wrong.push(format!(
                    "effective_level {got_level:?} (want {:?})",
                    case.effective_level
                ));
            }
            for words in &case.reason_contains {
                if !d.reason.contains(words.as_str()) {
                    wrong.push(format!("reason lacks {words:?}"));
                }
            }
            if !wrong.is_empty() {
                failures.push(format!(
                    "{file}: `{}` ({}): {}\n    reason: {}",
                    case.name,
                    case.source,
                    wrong.join(", "),
                    d.reason
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    assert!(count >= 25, "only {count} sharing scenarios");
    // Every rule but the fail-closed fallback decides at least one scenario.
    let missing: Vec<&str> = ShareRule::ALL
        .iter()
        .map(|r| r.id())
        .filter(|id| *id != "undecided" && !rules_seen.contains(id))
        .collect();
    assert!(missing.is_empty(), "no scenario decided by {missing:?}");
}

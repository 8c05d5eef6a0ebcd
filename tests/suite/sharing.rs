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

/// A scenario table: a pack and its cases (the Teams tables share the shape).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Table<C> {
    #[serde(default)]
    pack: Option<String>,
    #[serde(default)]
    pack_dir: Option<String>,
    pub cases: Vec<C>,
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

fn tables() -> Vec<(PathBuf, Table<Case>)> {
    tables_in("tests/fixtures/sharing")
}

/// The `*.yaml` tables of a fixture folder, in name order.
pub(crate) fn tables_in<C: serde::de::DeserializeOwned>(folder: &str) -> Vec<(PathBuf, Table<C>)> {
    let dir = root().join(folder);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the fixture folder exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable fixture");
            let table: Table<C> =
                serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, table)
        })
        .collect()
}

/// The table's pack, validated.
pub(crate) fn validated<C>(path: &Path, table: &Table<C>) -> Validated {
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
    // Every rule but the fail-closed fallback decides at least one scenario (the rules only Teams
    // requests reach are held to that in `teams.rs`).
    let missing: Vec<&str> = ShareRule::ALL
        .iter()
        .map(|r| r.id())
        .filter(|id| *id != "undecided" && !rules_seen.contains(id))
        .filter(|id| !super::teams::TEAMS_ONLY_RULES.contains(id))
        .collect();
    assert!(missing.is_empty(), "no scenario decided by {missing:?}");
}

/// Every combination of service, account, link and sharer against the shipped pack: the decision
/// is the trace's, a denial stops at its failed step, and nothing panics.
#[test]
fn every_decision_agrees_with_its_trace() {
    use accord::eval::sharing::{ShareVerdict, StepOutcome};
    let pack = load_pack(&root().join("policies/contoso-group")).expect("the pack loads");
    let pack = accord::check(&pack).validated.expect("the pack validates");
    let services = [
        "sharepoint",
        "onedrive",
        "teams",
        "groups",
        "calendar",
        "power_bi",
        "viva_engage",
    ];
    let recipients = [
        "ann@fabrikam.com",
        "tom@tailspintoys.com",
        "carol@litware.com",
        "dan@northwindtraders.com",
        "bob@contoso.com",
        "someone@gmail.com",
        "not-an-address@-example.com",
    ];
    let mut count = 0;
    for service in services {
        for with in recipients {
            for existing in ["none", "guest", "member"] {
                for link in ["anyone", "specific_people"] {
                    for by in ["member", "guest", "admin", "guest_inviter"] {
                        let level = if service == "calendar" {
                            "\n  level: free_busy_detail"
                        } else {
                            ""
                        };
                        let text = format!(
                            "share:\n  service: {service}\n  with: \"{with}\"\n  existing: \
                             {existing}\n  link: {link}\n  by: {by}{level}\n"
                        );
                        let req = ShareRequest::parse(&text).expect("the request parses");
                        let d = decide_share(&pack, &req);
                        count += 1;
                        let fails: Vec<_> = d
                            .trace
                            .iter()
                            .filter(|s| s.outcome == StepOutcome::Fail)
                            .collect();
                        assert!(fails.len() <= 1, "{text}: {:?}", d.trace);
                        assert!(!d.reason.is_empty());
                        match d.decision {
                            ShareVerdict::Allow => {
                                assert!(fails.is_empty(), "{text}");
                                let grant =
                                    d.trace.iter().find(|s| s.outcome == StepOutcome::Grant);
                                assert_eq!(grant.map(|g| g.rule), Some(d.rule), "{text}");
                                assert_eq!(d.to_string(), "ALLOW");
                            }
                            ShareVerdict::Deny => {
                                let last = d.trace.last().expect("a denial has a step");
                                assert_eq!(last.outcome, StepOutcome::Fail, "{text}");
                                assert_eq!(last.rule, d.rule, "{text}");
                                assert_eq!(d.to_string(), format!("DENY: {}", d.reason));
                            }
                        }
                    }
                }
            }
        }
    }
    assert_eq!(count, 7 * 7 * 3 * 2 * 4);
}

/// Raising the SharePoint, OneDrive or a site's level never turns an allowed share into a denied
/// one (and lowering never allows what was denied).
#[test]
fn a_more_permissive_level_never_denies_more() {
    let levels = [
        "only_organization",
        "existing_guests",
        "new_and_existing_guests",
        "anyone",
    ];
    let site = "https://contoso.sharepoint.com/sites/x";
    let pack_for = |sp: &str, od: &str, st: &str| -> Validated {
        let text = format!(
            "resource tenant contoso {{ domains = [\"contoso.com\"] }}\n\
             sharing {{\n  sharepoint = {sp}\n  onedrive = {od}\n  site \"{site}\" = {st}\n}}\n"
        );
        let loaded = load_texts([("p.policy", text.as_str())]);
        accord::check(&loaded).validated.expect("valid pack")
    };
    let requests: Vec<ShareRequest> = ["sharepoint", "onedrive"]
        .iter()
        .flat_map(|service| {
            ["none", "guest"].iter().flat_map(move |existing| {
                ["anyone", "specific_people"].iter().flat_map(move |link| {
                    [true, false].map(|with_site| {
                        let site_line = if with_site {
                            format!("\n  site: \"{site}\"")
                        } else {
                            String::new()
                        };
                        let text = format!(
                            "share:\n  service: {service}\n  with: carol@litware.com\n  \
                             existing: {existing}\n  link: {link}{site_line}\n"
                        );
                        ShareRequest::parse(&text).expect("parses")
                    })
                })
            })
        })
        .collect();
    // indexes into `levels`; OneDrive may be set above SharePoint (the linter flags it)
    let mut outcomes: Vec<((usize, usize, usize), Vec<bool>)> = Vec::new();
    for sp in 0..4 {
        for od in 0..4 {
            for st in 0..4 {
                let pack = pack_for(levels[sp], levels[od], levels[st]);
                let allowed = requests
                    .iter()
                    .map(|r| decide_share(&pack, r).is_allow())
                    .collect();
                outcomes.push(((sp, od, st), allowed));
            }
        }
    }
    for (a, allowed_a) in &outcomes {
        for (b, allowed_b) in &outcomes {
            let b_at_least_a = b.0 >= a.0 && b.1 >= a.1 && b.2 >= a.2;
            if !b_at_least_a {
                continue;
            }
            for (i, (x, y)) in allowed_a.iter().zip(allowed_b).enumerate() {
                assert!(
                    !x || *y,
                    "levels {a:?} allow {:?} but the more permissive {b:?} deny it",
                    requests[i]
                );
            }
        }
    }
}

//! The assignment step and filled requests: `tests/fixtures/directory/*.yaml`.
//!
//! A case gives a request *document* (filled from the directory as `accord whatif` fills it)
//! and asserts the decision, the possible decisions and what they depend on, the assignment
//! step (`none` when the app does not require assignment or the gate blocked first), the
//! enforced policies that apply, and every line the directory filled in, exactly.

use std::collections::BTreeSet;

use accord::eval::directory::AssignmentVerdict;
use accord::eval::trace::Tri;
use accord::eval::{self, Options};
use accord::model::request::RequestDoc;
use accord::model::PolicyState;
use serde::Deserialize;

use super::{cites, load, tables};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    rule: String,
    source: String,
    request: serde_json::Value,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    decision: String,
    #[serde(default)]
    possible: Option<Vec<String>>,
    #[serde(default)]
    depends_on: Vec<String>,
    /// `none`, or `<allowed|blocked> by <user|group|global_administrator|not_assigned|no_user_object|unknown>`.
    assignment: String,
    #[serde(default)]
    applied: Vec<String>,
    #[serde(default)]
    filled: Vec<String>,
    #[serde(default)]
    gate: Option<String>,
}

fn assignment_text(e: &eval::Evaluation<'_>) -> String {
    let Some(a) = &e.trace.assignment else {
        return "none".into();
    };
    let by = match a.verdict {
        AssignmentVerdict::User(_) => "user",
        AssignmentVerdict::Group(_) => "group",
        AssignmentVerdict::GlobalAdministrator => "global_administrator",
        AssignmentVerdict::NotAssigned => "not_assigned",
        AssignmentVerdict::NoUserObject(_) => "no_user_object",
        AssignmentVerdict::Unknown(_) => "unknown",
    };
    let result = if a.allows() { "allowed" } else { "blocked" };
    format!("{result} by {by}")
}

#[test]
fn directory_scenarios() {
    let mut count = 0;
    let mut failures = Vec::new();
    let mut rules: BTreeSet<String> = BTreeSet::new();
    for path in tables("tests/fixtures/directory") {
        let (table, pack) = load::<Case>(&path);
        let c = eval::compile(&pack);
        for case in &table.cases {
            count += 1;
            assert!(
                cites(&case.source, &table.sources) && !case.rule.trim().is_empty(),
                "{}: `{}` names its rule and cites its source",
                path.display(),
                case.name
            );
            rules.insert(case.rule.clone());
            let doc: RequestDoc = serde_json::from_value(case.request.clone())
                .unwrap_or_else(|e| panic!("{}: {e}", case.name));
            let (request, filled) = eval::directory::complete(&c, &doc)
                .unwrap_or_else(|e| panic!("{}: {e}", case.name));
            let e = eval::decide_with(&c, &request, Options::default())
                .unwrap_or_else(|e| panic!("{}: {e}", case.name));
            let mut wrong = Vec::new();
            let mut check = |what: &str, got: String, want: String| {
                if got != want {
                    wrong.push(format!("{what}: got {got}, want {want}"));
                }
            };
            let x = &case.expect;
            check("decision", e.decision.name().into(), x.decision.clone());
            let possible: BTreeSet<String> =
                e.possible.iter().map(|d| d.name().to_string()).collect();
            let want: BTreeSet<String> = x
                .possible
                .clone()
                .unwrap_or_else(|| vec![x.decision.clone()])
                .into_iter()
                .collect();
            check("possible", format!("{possible:?}"), format!("{want:?}"));
            check(
                "depends_on",
                format!("{:?}", e.depends_on.names().collect::<Vec<_>>()),
                format!("{:?}", x.depends_on),
            );
            check("assignment", assignment_text(&e), x.assignment.clone());
            let applied: Vec<String> = e
                .trace
                .policies
                .iter()
                .filter(|p| p.state() == PolicyState::On && p.applies == Tri::Yes)
                .map(|p| p.policy.name.value.clone())
                .collect();
            check(
                "applied",
                format!("{applied:?}"),
                format!("{:?}", x.applied),
            );
            let filled: Vec<String> = filled.iter().map(|f| f.to_string()).collect();
            check("filled", format!("{filled:?}"), format!("{:?}", x.filled));
            if let Some(g) = &x.gate {
                let result = if e.trace.gate.allows() {
                    "allowed"
                } else {
                    "blocked"
                };
                check("gate", result.into(), g.clone());
            }
            if !wrong.is_empty() {
                failures.push(format!(
                    "{} — {}:\n  {}",
                    path.file_name()
                        .map(|f| f.to_string_lossy())
                        .unwrap_or_default(),
                    case.name,
                    wrong.join("\n  ")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(count >= 15, "only {count} directory scenarios");
    assert!(rules.len() >= 8, "rules covered: {rules:?}");
}

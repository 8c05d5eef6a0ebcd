//! The scenario tables in `tests/fixtures/scenarios/*.yaml`: specifications, asserted exactly.
//!
//! A file holds a pack (inline text under `pack:`, or a repository folder under `pack_dir:`) and
//! `cases`, each naming the `rule` it checks and its `source` in the reference. Every case
//! asserts the decision, the requirements (as displayed), the enforced policies that apply, the
//! enforced policies that may apply, the report-only policies that apply, the possible outcomes
//! and the signals they depend on; omitted lists mean "empty" (and `possible` means "only the
//! decision"), so a case cannot pass by saying nothing.

use std::collections::BTreeSet;

use accord::eval::trace::{Gate, Tri};
use accord::eval::{self, AssumeMissing, Options};
use accord::model::PolicyState;
use serde::Deserialize;

use super::support::{compile_dir, compile_text, request_value};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
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
    rule: String,
    source: String,
    request: serde_json::Value,
    #[serde(default)]
    assume_missing: Option<String>,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    decision: String,
    #[serde(default)]
    requirements: Vec<String>,
    #[serde(default)]
    applied: Vec<String>,
    #[serde(default)]
    may_apply: Vec<String>,
    #[serde(default)]
    report_only: Vec<String>,
    #[serde(default)]
    possible: Option<Vec<String>>,
    #[serde(default)]
    depends_on: Vec<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    organization: Option<String>,
    #[serde(default)]
    gate: Option<String>,
    /// A part of the explanation (`whatif` text) the case must show, e.g. the combination that
    /// met a strength.
    #[serde(default)]
    reason: Option<String>,
}

fn run_case(compiled: &accord::eval::Compiled, case: &Case) -> Result<(), String> {
    if case.rule.trim().is_empty() || !case.source.contains('§') {
        return Err("a case names its rule and its reference section (`§...`)".into());
    }
    let request = request_value(case.request.clone());
    let options = Options {
        assume_missing: match case.assume_missing.as_deref() {
            Some("not_matching") => AssumeMissing::NotMatching,
            _ => AssumeMissing::Unknown,
        },
    };
    let e = eval::decide_with(compiled, &request, options).map_err(|e| e.to_string())?;
    let t = &e.trace;
    let mut problems = Vec::new();
    let mut check = |what: &str, got: String, want: String| {
        if got != want {
            problems.push(format!("{what}: got {got}, want {want}"));
        }
    };
    check(
        "decision",
        e.decision.name().into(),
        case.expect.decision.clone(),
    );
    check(
        "requirements",
        format!(
            "{:?}",
            e.requirements
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
        ),
        format!("{:?}", case.expect.requirements),
    );
    let names = |list: &[accord::eval::trace::PolicyTrace<'_>], state: PolicyState, t: Tri| {
        let v: Vec<String> = list
            .iter()
            .filter(|p| p.state() == state && p.applies == t)
            .map(|p| p.policy.name.value.clone())
            .collect();
        format!("{v:?}")
    };
    check(
        "applied",
        names(&t.policies, PolicyState::On, Tri::Yes),
        format!("{:?}", case.expect.applied),
    );
    check(
        "may_apply",
        names(&t.policies, PolicyState::On, Tri::Unknown),
        format!("{:?}", case.expect.may_apply),
    );
    let ro: Vec<String> = t
        .report_only
        .iter()
        .filter(|p| p.applies != Tri::No)
        .map(|p| p.policy.name.value.clone())
        .collect();
    check(
        "report_only",
        format!("{ro:?}"),
        format!("{:?}", case.expect.report_only),
    );
    let possible: BTreeSet<String> = e.possible.iter().map(|d| d.name().to_string()).collect();
    let want_possible: BTreeSet<String> = case
        .expect
        .possible
        .clone()
        .unwrap_or_else(|| vec![case.expect.decision.clone()])
        .into_iter()
        .collect();
    check(
        "possible",
        format!("{possible:?}"),
        format!("{want_possible:?}"),
    );
    check(
        "depends_on",
        format!("{:?}", e.depends_on.names().collect::<Vec<_>>()),
        format!("{:?}", case.expect.depends_on),
    );
    if let Some(k) = &case.expect.kind {
        check("kind", t.user.kind.name().into(), k.clone());
    }
    if let Some(o) = &case.expect.organization {
        check("organization", t.user.organization.name().into(), o.clone());
    }
    if let Some(g) = &case.expect.gate {
        let got = match t.gate {
            Gate::Internal | Gate::NoEntraHome => "not_applicable",
            _ if t.gate.allows() => "allowed",
            _ => "blocked",
        };
        check("gate", got.into(), g.clone());
    }
    // The explanation must render without losing the decision.
    let text = accord::render::whatif::text(&e);
    if !text.starts_with(&e.decision.name().to_uppercase()) {
        problems.push(format!("text does not start with the decision: {text}"));
    }
    if let Some(reason) = &case.expect.reason {
        if !text.contains(reason.as_str()) {
            problems.push(format!("the explanation does not say `{reason}`"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}\n{}", problems.join("\n"), text))
    }
}

#[test]
fn scenario_tables() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("scenario folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut total = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).expect("read scenario file");
        let file: File = accord::yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: {}{}", path.display(), e.position(), e));
        let compiled = match (&file.pack, &file.pack_dir) {
            (Some(text), None) => compile_text(text),
            (None, Some(dir)) => compile_dir(dir),
            _ => panic!(
                "{}: give exactly one of `pack` and `pack_dir`",
                path.display()
            ),
        };
        for case in &file.cases {
            total += 1;
            if let Err(why) = run_case(&compiled, case) {
                failures.push(format!(
                    "{} / {} [{}; {}]\n{why}",
                    path.file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default(),
                    case.name,
                    case.rule,
                    case.source
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} scenarios failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(
        total >= 60,
        "the scenario tables hold {total} cases; the issue asks for 60"
    );
}

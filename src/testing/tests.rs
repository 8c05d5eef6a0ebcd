//! Reading and running test files against a small pack held in memory.

use super::*;
use crate::eval::sharing::ShareDecision;
use crate::eval::Evaluation;

const PACK: &str = r#"
resource tenant contoso { id = "2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01"  domains = ["contoso.com"] }
tenant fabrikam { id = "8d0e5b8a-6b1f-4bd7-8f0e-6c9f4a1c2b02"  domains = ["fabrikam.com"] }
cross_tenant fabrikam { trust mfa }
location embargo { countries = ["KP"] }
policy "Guests: MFA" {
  users { include guests_or_external }
  apps { include all }
  grant mfa
}
policy "Mobile" {
  users { include all  exclude guests_or_external }
  apps { include office365 }
  conditions { platforms = include(ios) }
  grant any(approved_app, app_protection)
}
policy "Embargo" {
  users { include all }
  apps { include all }
  conditions { locations = include(embargo) }
  grant block
}
policy "Reported" {
  state = report_only
  users { include all }
  apps { include all }
  grant mfa
}
sharing { sharepoint = existing_guests }
"#;

/// Shows the decision's first line only: enough to search, short in failures.
struct Headline;

impl Explain for Headline {
    fn access(&self, e: &Evaluation<'_>) -> String {
        format!("{} requirements: {}", e.decision, e.requirements.len())
    }
    fn share(&self, d: &ShareDecision) -> String {
        d.to_string()
    }
}

fn run(file: &str, filter: Option<&str>) -> Vec<CaseResult> {
    let loaded = crate::load::load_texts([("pack.policy", PACK)]);
    let validated = crate::check(&loaded).validated.expect("the pack is valid");
    let mut suite = Suite::default();
    suite.add("t.test.yaml", file.to_string());
    suite.run(&validated, filter, &Headline)
}

fn one(file: &str) -> CaseResult {
    let mut results = run(file, None);
    assert_eq!(results.len(), 1, "{results:#?}");
    results.remove(0)
}

fn codes(r: &CaseResult) -> Vec<&str> {
    r.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

const BASES: &str = "
requests:
  guest:
    user: { name: g@fabrikam.com, type: guest, home: fabrikam }
    device: { platform: windows }
    network: { ip: 192.0.2.1, country: FR }
  guest on teams: { extends: guest, app: teams }
";

#[test]
fn extends_chains_merge_from_the_root() {
    let file = format!(
        "{BASES}cases:
  - name: first
    extends: guest on teams
    expect: challenge
    requirements: [mfa in fabrikam]
    applied: [\"Guests: MFA\", Reported]
    not_applied: [Mobile, Embargo]
  - name: second
    extends: first
    request: {{ auth: {{ mfa: home }}, network: {{ country: KP }} }}
    expect: block
    applied: [Embargo]
"
    );
    let results = run(&file, None);
    assert!(results.iter().all(CaseResult::passed), "{results:#?}");
    assert_eq!(results[0].line, 9);
    assert_eq!(results[1].line, 15);
    let filtered = run(&file, Some("SECOND"));
    assert_eq!(filtered.len(), 1);
    assert_eq!(filtered[0].name, "second");
}

#[test]
fn requirements_are_an_exact_set_in_any_spelling() {
    let case = |reqs: &str| {
        one(&format!(
            "cases:
  - name: mobile
    request: {{ user: {{ name: e@contoso.com }}, app: exchange, device: {{ platform: ios }}, network: {{ country: FR, ip: 192.0.2.1 }} }}
    expect: block
    requirements: {reqs}
"
        ))
    };
    // `any(approved_app, app_protection)` is not interactive: the decision is a block with no
    // requirement, so only the empty set matches.
    assert!(case("[]").passed());
    let r = case("[mfa]");
    assert_eq!(r.status, Status::Fail);
    assert_eq!(r.mismatches[0].field, "requirements");
    let guest = |reqs: &str| {
        one(&format!(
            "{BASES}cases:
  - name: guest case
    extends: guest on teams
    expect: challenge
    requirements: {reqs}
"
        ))
        .status
    };
    let r = one(&format!(
        "{BASES}cases:\n  - name: g\n    extends: guest on teams\n    expect: challenge\n"
    ));
    assert_eq!(r.status, Status::Pass, "{r:#?}");
    assert_eq!(guest("[mfa]"), Status::Pass);
    assert_eq!(guest("[mfa in fabrikam]"), Status::Pass);
    assert_eq!(guest("[\"mfa   in fabrikam\"]"), Status::Pass);
    assert_eq!(guest("[mfa in contoso]"), Status::Fail);
    assert_eq!(guest("[mfa, compliant_device]"), Status::Fail);
}

#[test]
fn a_policy_that_may_apply_is_neither_applied_nor_not_applied() {
    let file = "cases:
  - name: no country
    request: { user: { name: e@contoso.com }, app: teams, device: { platform: windows } }
    expect: block
    applied: [Embargo]
    not_applied: [Embargo]
";
    let r = one(file);
    assert_eq!(r.status, Status::Fail);
    let fields: Vec<&str> = r.mismatches.iter().map(|m| m.field).collect();
    assert_eq!(fields, ["applied", "not_applied"]);
    assert!(
        r.mismatches[0].actual.contains("may apply"),
        "{:?}",
        r.mismatches
    );
}

#[test]
fn share_cases_check_the_rule_and_the_reason() {
    let file = "requests:
  invite: { share: { service: sharepoint, with: g@fabrikam.com } }
cases:
  - name: new guest
    extends: invite
    expect: deny
    rule: new_guest_level
    reason_contains: DENY
  - name: existing guest
    extends: new guest
    share: { existing: guest }
    expect: allow
    rule: new_guest_level
";
    let results = run(file, None);
    assert_eq!(results[0].status, Status::Pass, "{:#?}", results[0]);
    assert_eq!(results[1].status, Status::Fail);
    assert_eq!(results[1].mismatches[0].field, "rule");
    assert_eq!(results[1].mismatches[0].actual, "existing_guest_level");
}

#[test]
fn mistakes_are_errors_with_codes() {
    let cases = [
        ("extends: nobody\n    expect: allow", "E2103"),
        ("extends: c\n    expect: allow", "E2104"),
        ("request: { user: { name: a@contoso.com }, app: teams }\n    expect: deny", "E2107"),
        ("share: { service: teams, with: a@b.com }\n    expect: allow\n    applied: [Mobile]", "E2107"),
        ("request: { user: { name: a@contoso.com }, app: teams }\n    expect: allow\n    rule: site_level", "E2107"),
        ("request: { user: { name: a@contoso.com } }\n    expect: allow", "E2102"),
        ("request: { user: { name: a@contoso.com }, app: teams }\n    share: { service: teams }\n    expect: allow", "E2101"),
        ("expect: allow", "E2102"),
        ("request: { user: { name: a@contoso.com }, app: teams }\n    expect: allow\n    expected: allow", "E2101"),
        ("extends: guest\n    share: { service: teams, with: a@b.com }\n    expect: allow", "E2102"),
    ];
    for (body, code) in cases {
        let file = format!("{BASES}cases:\n  - name: c\n    {body}\n");
        let r = one(&file);
        assert_eq!(r.status, Status::Error, "{body}: {r:#?}");
        assert_eq!(codes(&r), [code], "{body}: {r:#?}");
        assert!(r.diagnostics[0].span.is_some(), "{body}: no place");
    }
}

#[test]
fn duplicate_names_and_ambiguous_extends_are_errors() {
    let file = format!(
        "{BASES}cases:
  - name: guest
    extends: guest on teams
    expect: challenge
  - name: guest
    extends: guest
    expect: challenge
"
    );
    let results = run(&file, None);
    assert_eq!(codes(&results[0]), ["E2103"], "{:#?}", results[0]);
    assert_eq!(codes(&results[1]), ["E2108", "E2103"], "{:#?}", results[1]);
}

#[test]
fn files_that_are_not_test_files_are_one_error() {
    for (text, needle) in [
        ("", "empty"),
        ("- a\n- b\n", "mapping"),
        ("cases: {}\n", "list"),
        ("requests: {}\n", "no `cases`"),
        ("cases: []\ncases: []\n", "twice"),
        ("casse: []\ncases: []\n", "unknown key `casse`"),
        ("cases: [\n", "invalid YAML"),
    ] {
        let results = run(text, None);
        assert_eq!(results.len(), 1, "{text:?}");
        let r = &results[0];
        assert_eq!(r.status, Status::Error);
        assert!(r.name.is_empty());
        assert!(
            r.diagnostics.iter().any(|d| d.message.contains(needle)),
            "{text:?}: {:#?}",
            r.diagnostics
        );
    }
}

#[test]
fn tally_counts_errors_as_failed() {
    let file = format!(
        "{BASES}cases:
  - name: passes
    extends: guest on teams
    expect: challenge
  - name: fails
    extends: guest on teams
    expect: allow
  - name: errors
    extends: guest on temas
    expect: allow
"
    );
    assert_eq!(tally(&run(&file, None)), (1, 2));
}

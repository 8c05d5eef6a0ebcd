//! `diff` and `verify` are exact: checked against the evaluator on random packs and random
//! concrete requests (issue 13, "Exactness").

use accord::analysis::diff::diff;
use accord::analysis::outcome::{Outcome, View};
use accord::analysis::verify::{self, Invariants, Verdict};
use accord::eval::{self, Compiled, Decision, Options};
use accord::model::request::Request;
use proptest::prelude::*;

use super::exactness::config;
use crate::eval::generate::{self, PackSpec, Rng};
use crate::eval::support::compile_text;

fn decided(c: &Compiled, r: &Request) -> Option<Outcome> {
    let resolved = eval::resolve(c, r).ok()?;
    Some(Outcome::of(&eval::decide_resolved(
        c,
        &resolved,
        Options::default(),
    )))
}

/// One random edit of the kinds a pull request makes: a state change, a stricter or looser
/// grant, an exclusion added or dropped, an app added, a condition dropped.
fn edit(spec: &PackSpec, seed: u64) -> PackSpec {
    let mut rng = Rng::new(seed);
    let mut out = spec.clone();
    // An edit of the directory: an app's assignment requirement turned off or on.
    if let Some(d) = &out.directory {
        if rng.chance(25) {
            out.directory = Some(if d.contains("assignment_required") {
                d.replacen("assignment_required", "", 1)
            } else {
                d.replacen("assigned = ", "assignment_required  assigned = ", 1)
            });
            return out;
        }
    }
    if out.policies.is_empty() {
        return out;
    }
    let i = rng.below(out.policies.len());
    let p = &mut out.policies[i];
    match rng.below(6) {
        0 => {
            p.state = match p.state {
                "on" => *rng.pick(&["off", "report_only"]),
                _ => "on",
            }
        }
        1 => {
            p.grant = Some(
                rng.pick(&[
                    "block",
                    "mfa",
                    "compliant_device",
                    "any(mfa, compliant_device)",
                ])
                .to_string(),
            );
        }
        2 => {
            if p.exclude_users.is_empty() {
                p.exclude_users.push("guests_or_external".into());
            } else {
                p.exclude_users.clear();
            }
        }
        3 => {
            if !p.include_apps.iter().any(|a| a == "all") {
                let app = rng.pick(&generate::APPS).to_string();
                if !p.include_apps.contains(&app) && !p.exclude_apps.contains(&app) {
                    p.include_apps.push(app);
                }
            }
        }
        4 => {
            p.conditions.pop();
        }
        _ => {
            p.state = "on";
            p.grant = Some("block".into());
        }
    }
    out
}

proptest! {
    #![proptest_config(config(12))]

    /// A pack compared with itself changes nothing.
    #[test]
    fn diff_of_a_pack_with_itself_is_empty(pack_seed in any::<u64>()) {
        let spec = generate::pack(pack_seed, 4 + (pack_seed % 10) as usize);
        let c = compile_text(&spec.render());
        let again = compile_text(&spec.render());
        let report = diff(&c, &again, &[]).expect("diff");
        prop_assert!(report.changes.is_empty(), "{} changes", report.changes.len());
    }

    /// After one random edit, every random request the diff compares is in a reported region
    /// exactly when the two packs answer it differently; and every region's example is
    /// answered differently.
    #[test]
    fn one_edit_diff_reports_exactly_the_changed_requests(pack_seed in any::<u64>(), edit_seed in any::<u64>(), request_seed in any::<u64>()) {
        let spec = generate::pack(pack_seed, 4 + (pack_seed % 10) as usize);
        let edited = edit(&spec, edit_seed);
        let old = compile_text(&spec.render());
        let new = compile_text(&edited.render());
        let report = diff(&old, &new, &[]).expect("diff");
        for change in &report.changes {
            let before = decided(&old, &change.example).expect("the example decides");
            let after = decided(&new, &change.example).expect("the example decides");
            prop_assert!(!before.same_as(&after, View::ANSWER), "example not changed: {}", change.description);
            prop_assert_eq!(&before.project(View::ANSWER), &change.before);
            prop_assert_eq!(&after.project(View::ANSWER), &change.after);
        }
        let mut compared = 0;
        for k in 0..80u64 {
            let text = generate::request_yaml(request_seed.wrapping_add(k));
            let Ok(r) = Request::parse(&text) else { continue };
            let Ok(point) = report.space.point_of(&[&old, &new], &r) else { continue };
            if !report.scope.iter().any(|c| c.holds(&report.space, &point)) {
                continue;
            }
            let (Some(before), Some(after)) = (decided(&old, &r), decided(&new, &r)) else { continue };
            let changed = !before.same_as(&after, View::ANSWER);
            let reported = report.changes.iter().any(|c| c.cube.holds(&report.space, &point));
            prop_assert_eq!(changed, reported, "request:\n{}\nold:\n{}\nnew:\n{}", text, spec.render(), edited.render());
            compared += 1;
        }
        // Most generated requests state their platform, IP and country.
        prop_assert!(compared > 10, "only {} requests compared", compared);
    }

    /// A counterexample `verify` reports really breaks the invariant (decided by the
    /// evaluator); when `verify` says an invariant holds, no random request it selects breaks it.
    #[test]
    fn verify_counterexamples_break_and_proofs_hold(pack_seed in any::<u64>(), request_seed in any::<u64>()) {
        let spec = generate::pack(pack_seed, 4 + (pack_seed % 10) as usize);
        let c = compile_text(&spec.render());
        let mut rng = Rng::new(pack_seed ^ 0x5eed);
        // Selectors that name fields a request states directly, so the test can tell by itself
        // which requests each selects.
        let mut invariants = Vec::new();
        for n in 0..6 {
            let app = *rng.pick(&generate::APPS);
            let client = *rng.pick(&["browser", "mobile_desktop", "exchange_active_sync", "other"]);
            let (expect, check): (&str, fn(&Outcome) -> bool) = match rng.below(4) {
                0 => ("{ decision: block }", |o| o.decision == Decision::Block),
                1 => ("{ not: allow }", |o| o.decision != Decision::Allow),
                2 => ("{ decision: [allow, challenge] }", |o| o.decision != Decision::Block),
                _ => ("{ requires: [mfa] }", |o| {
                    o.decision == Decision::Block
                        || (o.decision == Decision::Challenge
                            && o.required.iter().any(|alt| alt.iter().all(|(c, _)| c == "mfa")))
                }),
            };
            invariants.push((format!("inv{n}"), app, client, expect, check));
        }
        let mut text = String::from("invariants:\n");
        for (name, app, client, expect, _) in &invariants {
            text.push_str(&format!("  - name: {name}\n    for: {{ app: {app}, client_app: {client} }}\n    expect: {expect}\n"));
        }
        let mut all = Invariants::default();
        all.add("pack.verify.yaml", text.clone());
        let results = verify::run(&c, &all, None).expect("verify runs");
        prop_assert_eq!(results.len(), invariants.len());
        for (result, (_, app, client, _, check)) in results.iter().zip(&invariants) {
            match &result.verdict {
                Verdict::Error(d) => prop_assert!(false, "{:?}\n{}", d, text),
                Verdict::Violated(cx) => {
                    let o = decided(&c, &cx.request).expect("the counterexample decides");
                    prop_assert!(!check(&o), "{} does not break {}: {}", result.name, text, o.headline());
                }
                Verdict::Holds => {
                    for k in 0..60u64 {
                        let rt = generate::request_yaml(request_seed.wrapping_add(k));
                        let Ok(r) = Request::parse(&rt) else { continue };
                        // Selected: the app and client, and platform, IP and country stated.
                        let stated = rt.contains("platform:") && rt.contains("ip:")
                            && rt.contains("country:") && !rt.contains("country: unknown");
                        if !stated || !rt.contains(&format!("app: {app}\n"))
                            || !rt.contains(&format!("client_app: {client}\n")) {
                            continue;
                        }
                        let Some(o) = decided(&c, &r) else { continue };
                        prop_assert!(check(&o), "{} holds, yet:\n{}\nis {}\npack:\n{}", result.name, rt, o.headline(), spec.render());
                    }
                }
            }
        }
    }

    /// CAP005's answer is exact: each transition's example really moves from `from` to `to`
    /// when the policy is turned on, and every random request (stating its signals) whose
    /// decision turning the policy on changes shows a transition that is listed.
    #[test]
    fn cap005_transitions_are_exact(pack_seed in any::<u64>(), request_seed in any::<u64>()) {
        use accord::analysis::queries::{space_of, Queries};
        use accord::model::PolicyState;
        let spec = generate::pack(pack_seed, 4 + (pack_seed % 10) as usize);
        let c = compile_text(&spec.render());
        let space = space_of(&c).expect("space");
        let q = Queries::new(&c, &space);
        let disabled: Vec<usize> = (0..c.pack().policies.len())
            .filter(|i| c.pack().policies[*i].state.value != PolicyState::On)
            .collect();
        for index in disabled {
            let on = c.with_policy_state(index, PolicyState::On);
            let found = q.transitions(&on, index).expect("CAP005 answers");
            for t in &found {
                let before = decided(&c, &t.example).expect("decides").decision;
                let after = decided(&on, &t.example).expect("decides").decision;
                prop_assert_eq!((before, after), (t.from, t.to));
            }
            for k in 0..60u64 {
                let rt = generate::request_yaml(request_seed.wrapping_add(k));
                let stated = rt.contains("platform:") && rt.contains("ip:")
                    && rt.contains("country:") && !rt.contains("country: unknown");
                let Ok(r) = Request::parse(&rt) else { continue };
                if !stated {
                    continue;
                }
                let (Some(before), Some(after)) = (decided(&c, &r), decided(&on, &r)) else { continue };
                if before.decision != after.decision {
                    prop_assert!(
                        found.iter().any(|t| (t.from, t.to) == (before.decision, after.decision)),
                        "{:?} -> {:?} missing for\n{}\npack:\n{}", before.decision, after.decision, rt, spec.render()
                    );
                }
            }
        }
    }
}

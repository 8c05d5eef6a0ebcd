//! The decision-only path equals the traced path, over many generated packs and requests.

use accord::eval::{self, trace, AssumeMissing, Options, Signals, Tri};
use accord::model::request::Request;
use accord::model::PolicyState;
use proptest::prelude::*;

use super::generate;
use super::support::compile_text;

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn fast_path_equals_traced_path(pack_seed in any::<u64>(), request_seed in any::<u64>()) {
        let spec = generate::pack(pack_seed, 10 + (pack_seed % 20) as usize);
        let compiled = compile_text(&spec.render());
        for assume in [AssumeMissing::Unknown, AssumeMissing::NotMatching] {
            let options = Options { assume_missing: assume };
            for k in 0..40u64 {
                let text = generate::request_yaml(request_seed.wrapping_add(k));
                let request = Request::parse(&text).expect("generated requests parse");
                let Ok(resolved) = eval::resolve(&compiled, &request) else { continue };
                let traced = eval::decide_resolved(&compiled, &resolved, options);
                let fast = eval::decide_fast(&compiled, &resolved, options);
                prop_assert_eq!(traced.outcome(), fast, "request:\n{}\npack:\n{}", text, spec.render());
                // Both re-examine only undecided policies per stand-in: the oracle re-decides
                // every stand-in from scratch.
                let exhaustive = eval::decide_exhaustive(&compiled, &resolved, options);
                prop_assert_eq!(exhaustive, fast, "request:\n{}\npack:\n{}", text, spec.render());
                // The conditions recorded when the trace is read agree with the applicability
                // it decided with.
                let t = &traced.trace;
                for p in t.policies.iter().chain(&t.report_only) {
                    let conditions = t.conditions(p);
                    let applies = conditions.iter().fold(Tri::Yes, |a, c| a.and(c.outcome));
                    let needs = conditions.iter().fold(Signals::NONE, |n, c| n.union(c.needs));
                    if p.state() == PolicyState::Off {
                        prop_assert!(conditions.is_empty());
                        prop_assert_eq!(p.applies, Tri::No);
                    } else {
                        prop_assert_eq!(p.applies, applies, "policy {}", p.policy.name.value);
                        if applies == Tri::Unknown {
                            prop_assert_eq!(p.needs, needs, "policy {}", p.policy.name.value);
                        }
                        let controls = t.controls(p);
                        if applies == Tri::No {
                            prop_assert!(controls.is_empty() && p.result().is_none());
                        } else {
                            let folded = trace::result_of(p.policy, &controls);
                            prop_assert_eq!(p.result(), Some(folded), "policy {}", p.policy.name.value);
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn generated_requests_are_mostly_decidable() {
    let spec = generate::pack(7, 40);
    let compiled = compile_text(&spec.render());
    let mut decided = 0;
    for k in 0..200 {
        let request = Request::parse(&generate::request_yaml(k)).expect("parses");
        if eval::resolve(&compiled, &request).is_ok() {
            decided += 1;
        }
    }
    assert!(
        decided > 150,
        "only {decided} of 200 generated requests resolve"
    );
}
/// The generator must produce every kind of outcome, or the properties prove little.
#[test]
fn generated_outcomes_are_varied() {
    let mut counts = std::collections::BTreeMap::new();
    let mut several = 0;
    for seed in 0..6 {
        let compiled = compile_text(&generate::pack(seed, 10).render());
        for k in 0..100 {
            let request = Request::parse(&generate::request_yaml(seed * 1000 + k)).expect("parses");
            if let Ok(r) = eval::resolve(&compiled, &request) {
                let e = eval::decide_resolved(&compiled, &r, Options::default());
                *counts.entry(e.decision).or_insert(0) += 1;
                if e.possible.len() > 1 {
                    several += 1;
                }
            }
        }
    }
    for d in accord::eval::Decision::ALL {
        assert!(
            counts.get(&d).copied().unwrap_or(0) >= 20,
            "too few {d}: {counts:?}"
        );
    }
    assert!(
        several >= 5,
        "only {several} requests with several possible outcomes"
    );
}

/// The proof above covers insider risk only if generated policies list it and generated requests
/// both match and miss it.
#[test]
fn generated_packs_exercise_insider_risk() {
    let mut outcomes = std::collections::BTreeMap::new();
    for seed in 0..6 {
        let compiled = compile_text(&generate::pack(seed, 20).render());
        for k in 0..100 {
            let request = Request::parse(&generate::request_yaml(seed * 1000 + k)).expect("parses");
            let Ok(r) = eval::resolve(&compiled, &request) else {
                continue;
            };
            let e = eval::decide_resolved(&compiled, &r, Options::default());
            for p in e.trace.policies.iter().chain(&e.trace.report_only) {
                for c in e.trace.conditions(p) {
                    if c.condition.name() == "insider_risk" {
                        *outcomes.entry(c.outcome.name()).or_insert(0) += 1;
                    }
                }
            }
        }
    }
    for outcome in ["yes", "no"] {
        assert!(
            outcomes.get(outcome).copied().unwrap_or(0) >= 20,
            "too few insider_risk conditions with outcome {outcome}: {outcomes:?}"
        );
    }
}

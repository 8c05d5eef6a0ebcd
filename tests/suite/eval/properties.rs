//! Monotonicity properties of the evaluator (issue 3), over generated packs and requests:
//! - adding an exclusion never makes a decision stricter for the excluded user;
//! - adding a `block` policy never turns a block into an allow (nor makes anything laxer);
//! - a report-only policy never changes the decision;
//! - turning a trust setting on never makes a decision stricter.

use accord::eval::{self, Compiled, Evaluation};
use accord::model::request::Request;
use proptest::prelude::*;

use super::generate::{self, PackSpec, Rng, TrustSpec};
use super::support::compile_text;

const REQUESTS: u64 = 24;

/// The requests of a seed that resolve against the pack.
fn requests(seed: u64) -> Vec<Request> {
    (0..REQUESTS)
        .map(|k| Request::parse(&generate::request_yaml(seed.wrapping_add(k))).expect("parses"))
        .collect()
}

fn decide<'a>(c: &'a Compiled, r: &'a Request) -> Option<Evaluation<'a>> {
    eval::decide(c, r).ok()
}

fn small_pack(seed: u64) -> PackSpec {
    generate::pack(seed, 3 + (seed % 7) as usize)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn an_exclusion_never_makes_a_decision_stricter(
        pack_seed in any::<u64>(), request_seed in any::<u64>(), which in any::<usize>()
    ) {
        let spec = small_pack(pack_seed);
        let before = compile_text(&spec.render());
        for request in requests(request_seed) {
            let Some(old) = decide(&before, &request) else { continue };
            let mut changed = spec.clone();
            let i = which % changed.policies.len();
            changed.policies[i].exclude_users.push(format!("user {:?}", request.user.name));
            let after = compile_text(&changed.render());
            let new = decide(&after, &request).expect("resolves as before");
            prop_assert!(new.decision <= old.decision,
                "excluding {} from policy {i} made {:?} into {:?}", request.user.name, old.decision, new.decision);
        }
    }

    #[test]
    fn a_block_policy_never_turns_a_block_into_an_allow(
        pack_seed in any::<u64>(), request_seed in any::<u64>(), policy_seed in any::<u64>()
    ) {
        let spec = small_pack(pack_seed);
        let before = compile_text(&spec.render());
        let mut changed = spec.clone();
        let mut rng = Rng::new(policy_seed);
        let mut block = generate::policy(&mut rng, "added block".into(), spec.locations.len());
        block.state = "on";
        block.grant = Some("block".into());
        changed.policies.push(block);
        let after = compile_text(&changed.render());
        for request in requests(request_seed) {
            let Some(old) = decide(&before, &request) else { continue };
            let new = decide(&after, &request).expect("resolves as before");
            prop_assert!(new.decision >= old.decision, "{:?} became {:?}", old.decision, new.decision);
        }
    }

    #[test]
    fn a_report_only_policy_never_changes_the_decision(
        pack_seed in any::<u64>(), request_seed in any::<u64>(), policy_seed in any::<u64>()
    ) {
        let spec = small_pack(pack_seed);
        let before = compile_text(&spec.render());
        let mut changed = spec.clone();
        let mut rng = Rng::new(policy_seed);
        let mut p = generate::policy(&mut rng, "added report-only".into(), spec.locations.len());
        p.state = "report_only";
        changed.policies.push(p);
        let after = compile_text(&changed.render());
        for request in requests(request_seed) {
            let Some(old) = decide(&before, &request) else { continue };
            let new = decide(&after, &request).expect("resolves as before");
            prop_assert_eq!(new.outcome(), old.outcome());
            prop_assert_eq!(new.requirements, old.requirements);
        }
    }

    #[test]
    fn turning_trust_on_never_makes_a_decision_stricter(
        pack_seed in any::<u64>(), request_seed in any::<u64>(), which in any::<usize>(), claim in 0..3u8
    ) {
        let spec = small_pack(pack_seed);
        let before = compile_text(&spec.render());
        let mut changed = spec.clone();
        // The effective trust of the default block (none when absent or unset).
        let default_trust = changed
            .cross_tenant
            .iter()
            .find(|x| x.tenant.is_none())
            .and_then(|x| x.trust.clone())
            .unwrap_or(TrustSpec { mfa: false, compliant_device: false, hybrid_joined: false });
        if changed.cross_tenant.is_empty() || which % 3 == 0 {
            // Turn a claim on in the default (adding the block if there is none: no rules, so
            // the B2B settings stay the service defaults).
            match changed.cross_tenant.iter_mut().find(|x| x.tenant.is_none()) {
                Some(d) => d.trust = Some(default_trust.clone()),
                None => changed.cross_tenant.insert(0, generate::CrossTenantSpec {
                    tenant: None, rules: Vec::new(), trust: Some(default_trust.clone()), service_provider: false,
                }),
            }
        }
        let turn_on = |t: &mut TrustSpec| match claim {
            0 => t.mfa = true,
            1 => t.compliant_device = true,
            _ => t.hybrid_joined = true,
        };
        // Half the cases turn the claim on in one block, half in every block.
        let n = changed.cross_tenant.len();
        let chosen: Vec<usize> = if which % 2 == 0 { (0..n).collect() } else { vec![(which / 2) % n] };
        for i in chosen {
            let target = &mut changed.cross_tenant[i];
            let mut trust = target.trust.clone().unwrap_or_else(|| default_trust.clone());
            turn_on(&mut trust);
            target.trust = Some(trust);
        }
        // Partners without their own trust keep inheriting the (grown) default.
        let after = compile_text(&changed.render());
        for request in requests(request_seed) {
            let Some(old) = decide(&before, &request) else { continue };
            let new = decide(&after, &request).expect("resolves as before");
            prop_assert!(new.decision <= old.decision, "{:?} became {:?}", old.decision, new.decision);
        }
    }
}

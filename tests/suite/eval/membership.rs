//! Unknown group and role membership (`groups: unknown`, what `accord replay` gives a user that
//! `--directory` does not hold): the decision-only path equals the traced one, and the decision
//! fails closed: it is at least as restrictive as the decision for *any* concrete membership
//! that agrees with what the request lists, and the least restrictive possible outcome is at
//! most as restrictive as each of them.

use accord::eval::{self, Decision, Options};
use accord::model::request::Request;
use proptest::prelude::*;

use super::generate::{self, GROUPS};
use super::support::compile_text;

/// The request with some memberships made unknown, by `how` (bit 0 groups, bit 1 roles, bit 2
/// the home tenant's groups). A request's `groups` list holds both the resource tenant's and
/// the home tenant's groups, so a concrete membership varies both: the property compares with
/// concretes only when both are unknown together (as `groups: unknown` makes them).
fn unknown(mut r: Request, how: u8) -> Request {
    r.user.groups_unknown = how & 1 != 0;
    r.user.roles_unknown = how & 2 != 0;
    r.user.home_groups_unknown = how & 4 != 0;
    r
}

/// Every concrete membership the unknown request stands for: the listed groups plus any subset
/// of the others, with or without the generated packs' one role where roles are unknown.
fn concretes(r: &Request) -> Vec<Request> {
    let others: Vec<&str> = GROUPS
        .iter()
        .copied()
        .filter(|g| !r.user.groups.iter().any(|l| l == g))
        .collect();
    let group_choices = if r.user.groups_unknown || r.user.home_groups_unknown {
        1usize << others.len()
    } else {
        1
    };
    let role_choices = if r.user.roles_unknown { 2 } else { 1 };
    let mut out = Vec::new();
    for mask in 0..group_choices {
        for role in 0..role_choices {
            let mut c = r.clone();
            c.user.groups_unknown = false;
            c.user.roles_unknown = false;
            c.user.home_groups_unknown = false;
            for (i, g) in others.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    c.user.groups.push((*g).to_string());
                }
            }
            if role == 1
                && !c
                    .user
                    .roles
                    .contains(&"62e90394-69f5-4237-9190-012177145e10")
            {
                c.user.roles.push("62e90394-69f5-4237-9190-012177145e10");
            }
            out.push(c);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn unknown_membership_fails_closed_and_paths_agree(
        pack_seed in any::<u64>(),
        request_seed in any::<u64>(),
        how in prop::sample::select(vec![2u8, 5, 7]),
    ) {
        let spec = generate::pack(pack_seed, 10 + (pack_seed % 20) as usize);
        let compiled = compile_text(&spec.render());
        for k in 0..16u64 {
            let text = generate::request_yaml(request_seed.wrapping_add(k));
            let base = Request::parse(&text).expect("generated requests parse");
            let request = unknown(base, how);
            let Ok(resolved) = eval::resolve(&compiled, &request) else { continue };
            let traced = eval::decide_resolved(&compiled, &resolved, Options::default());
            let fast = eval::decide_fast(&compiled, &resolved, Options::default());
            prop_assert_eq!(traced.outcome(), fast, "request:\n{}\nhow {}\npack:\n{}", text, how, spec.render());
            let least = traced.possible.iter().min().unwrap_or(Decision::Block);
            for c in concretes(&request) {
                let d = eval::decide(&compiled, &c).expect("a concrete request resolves").decision;
                prop_assert!(d <= traced.decision,
                    "membership {:?} gives {:?}, more restrictive than the unknown's {:?}\n{}\n{}",
                    c.user.groups, d, traced.decision, text, spec.render());
                prop_assert!(d >= least,
                    "membership {:?} gives {:?}, below every possible outcome {:?}\n{}\n{}",
                    c.user.groups, d, traced.possible, text, spec.render());
            }
        }
    }
}

/// The property above proves little unless unknown membership changes outcomes often.
#[test]
fn unknown_membership_matters_in_generated_packs() {
    let mut undecided = 0;
    let mut total = 0;
    for seed in 0..6u64 {
        let compiled = compile_text(&generate::pack(seed, 20).render());
        for k in 0..100 {
            let r = unknown(
                Request::parse(&generate::request_yaml(seed * 1000 + k)).expect("parses"),
                7,
            );
            if let Ok(resolved) = eval::resolve(&compiled, &r) {
                total += 1;
                let e = eval::decide_resolved(&compiled, &resolved, Options::default());
                if e.depends_on.names().any(|n| n.starts_with("user.")) && e.possible.len() > 1 {
                    undecided += 1;
                }
            }
        }
    }
    // About one generated request in twenty-five: the property's 1,024 requests hold some forty.
    assert!(
        undecided * 30 >= total,
        "only {undecided} of {total} requests depend on membership"
    );
}

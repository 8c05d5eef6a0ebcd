//! The partition is exact: every concrete request gets, from the evaluator, the answer of the
//! class it falls in.

use accord::analysis::outcome::Outcome;
use accord::analysis::space::{Extra, Space};
use accord::analysis::{everything, partition, Leaf};
use accord::eval::{self, Compiled, Options};
use accord::model::request::Request;
use proptest::prelude::*;

use crate::eval::generate;
use crate::eval::support::{compile_dir, compile_text};

fn class_of<'l>(space: &Space, leaves: &'l [Leaf], c: &Compiled, r: &Request) -> Option<&'l Leaf> {
    let point = space.point_of(&[c], r).ok()?;
    let found: Vec<&Leaf> = leaves
        .iter()
        .filter(|l| l.cube.holds(space, &point))
        .collect();
    assert_eq!(found.len(), 1, "a request is in exactly one class");
    Some(found[0])
}

fn decided(c: &Compiled, r: &Request) -> Option<Outcome> {
    let resolved = eval::resolve(c, r).ok()?;
    Some(Outcome::of(&eval::decide_resolved(
        c,
        &resolved,
        Options::default(),
    )))
}

#[test]
fn contoso_group_partition_is_exact_on_generated_requests() {
    let c = compile_dir("policies/contoso-group");
    let space = Space::new(&[&c], &Extra::default()).expect("space");
    let started = std::time::Instant::now();
    let leaves = partition(&space, &c, &everything(&space)).expect("partition");
    eprintln!("{} leaves in {:?}", leaves.len(), started.elapsed());
    assert!(leaves.len() > 10);
    let mut checked = 0;
    for k in 0..400 {
        let text = generate::request_yaml(k);
        let Ok(r) = Request::parse(&text) else {
            continue;
        };
        let Some(expected) = decided(&c, &r) else {
            continue;
        };
        let Some(leaf) = class_of(&space, &leaves, &c, &r) else {
            continue;
        };
        assert_eq!(leaf.outcome, expected, "request:\n{text}");
        checked += 1;
    }
    assert!(checked > 100, "only {checked} requests checked");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// For random packs and random requests, the class's answer is the evaluator's.
    #[test]
    fn class_answer_equals_decide(pack_seed in any::<u64>(), request_seed in any::<u64>()) {
        let spec = generate::pack(pack_seed, 6 + (pack_seed % 12) as usize);
        let c = compile_text(&spec.render());
        let space = Space::new(&[&c], &Extra::default()).expect("space");
        let leaves = partition(&space, &c, &everything(&space)).expect("partition");
        for k in 0..60u64 {
            let text = generate::request_yaml(request_seed.wrapping_add(k));
            let Ok(r) = Request::parse(&text) else { continue };
            let Some(expected) = decided(&c, &r) else { continue };
            let Some(leaf) = class_of(&space, &leaves, &c, &r) else { continue };
            prop_assert_eq!(&leaf.outcome, &expected, "request:\n{}\npack:\n{}", text, spec.render());
        }
    }
}

#[test]
#[ignore]
fn stats() {
    for seed in 0..12u64 {
        let spec = generate::pack(seed, 6 + (seed % 12) as usize);
        let c = compile_text(&spec.render());
        let space = Space::new(&[&c], &Extra::default()).expect("space");
        let t = std::time::Instant::now();
        let leaves = partition(&space, &c, &everything(&space)).expect("partition");
        eprintln!(
            "seed {seed}: {} policies, {} leaves, {:?}",
            c.pack().policies.len(),
            leaves.len(),
            t.elapsed()
        );
    }
}

#[test]
#[ignore]
fn stats_one() {
    let seed: u64 = std::env::var("SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let spec = generate::pack(seed, 6 + (seed % 12) as usize);
    println!("{}", spec.render());
    let c = compile_text(&spec.render());
    let space = Space::new(&[&c], &Extra::default()).expect("space");
    let leaves = partition(&space, &c, &everything(&space)).expect("partition");
    let mut outcomes = std::collections::HashSet::new();
    for l in &leaves {
        outcomes.insert(l.outcome.clone());
    }
    println!("{} leaves, {} outcomes", leaves.len(), outcomes.len());
    for d in 0..space.dims.len() {
        let n = leaves.iter().filter(|l| !l.cube.is_all(&space, d)).count();
        let single = leaves
            .iter()
            .filter(|l| l.cube.is_single(&space, d))
            .count();
        println!(
            "{:30} classes {:4} restricted in {:7} single in {:7}",
            space.dims[d].name,
            space.dims[d].classes.len(),
            n,
            single
        );
    }
    let merged = accord::analysis::region::merge(
        &space,
        leaves
            .iter()
            .map(|l| (l.outcome.clone(), l.cube.clone()))
            .collect(),
    );
    println!("merged: {}", merged.len());
}

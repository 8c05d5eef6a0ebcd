//! Exact analysis speed (issue 13): partition, `verify` (the pack's invariants) and `diff` (one
//! edit: the first `grant mfa` made `grant block`) for every shipped pack; and for generated
//! tenants of 25, 50, 100 and 195 policies with 50 named groups, 30 named locations and 10
//! partners, `verify` of 20 invariants and `diff` of a typical edit (the first team or partner
//! policy's `grant mfa` made `grant block`).
//!
//! `cargo bench --bench analysis`. Targets: each shipped-pack measurement under 50 ms; the
//! 195-policy tenant's verify and diff under 1 s on one core. A run the analysis refuses (over
//! its node budget) is printed, not measured.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use accord::analysis::diff::diff;
use accord::analysis::space::{Extra, Space};
use accord::analysis::verify::{self, Invariants};
use accord::analysis::{everything, partition};
use accord::eval::{self, Compiled};
use criterion::{criterion_group, criterion_main, Criterion};

#[path = "../tests/suite/analysis/tenant.rs"]
mod tenant;

fn compile(files: &[(String, String)]) -> Compiled {
    let loaded = accord::load::load_texts(files.iter().map(|(n, t)| (n.as_str(), t.as_str())));
    let checked = accord::check(&loaded);
    match checked.validated {
        Some(v) => eval::compile(&v),
        None => panic!("does not check: {:?}", checked.diagnostics),
    }
}

fn pack_files(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("pack folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "policy"))
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}

/// The files with the first `grant mfa` after `after` made `grant block`.
fn one_edit(files: &[(String, String)], after: &str) -> Vec<(String, String)> {
    let mut out = files.to_vec();
    for f in out.iter_mut() {
        let from = f.1.find(after).unwrap_or(0);
        if let Some(at) = f.1[from..].find("grant mfa") {
            let at = from + at;
            f.1.replace_range(at..at + "grant mfa".len(), "grant block");
            break;
        }
    }
    out
}

/// Twenty invariants over the generated tenant's names (some hold, some do not: both are
/// answered exactly).
fn tenant_invariants() -> Invariants {
    let mut text = String::from("invariants:\n");
    for i in 0..20 {
        let (selector, expect) = match i % 7 {
            // Three the baseline policies make hold.
            5 => (
                "{ user: { segment: all, not_groups: [Break glass] }, app: all, client_app: [exchange_active_sync, other] }".to_string(),
                "{ decision: block }",
            ),
            6 if i < 10 => (
                "{ user: { segment: guests_or_external, not_groups: [Break glass] }, app: all, auth: { mfa: none } }".to_string(),
                "{ requires: [mfa] }",
            ),
            6 => (
                "{ user: external(all) from outside_organization, app: all, network: { location: site02 } }".to_string(),
                "{ decision: block }",
            ),
            0 => (
                format!(
                    "{{ user: external(b2b_guest) from tenants(partner{:02}), app: sharepoint, auth: {{ mfa: none }} }}",
                    i % 10
                ),
                "{ not: allow }",
            ),
            1 => (
                format!(
                    "{{ user: external(all) from outside_organization, network: {{ location: site{:02} }} }}",
                    (i * 3 + 2) % 30
                ),
                "{ decision: block }",
            ),
            2 => (
                "{ user: { segment: internal_members, not_groups: [Break glass] }, client_app: [exchange_active_sync, other] }".to_string(),
                "{ decision: block }",
            ),
            3 => (
                format!(
                    "{{ user: {{ segment: internal_members, groups: [Team {:02}] }}, app: exchange, auth: {{ mfa: none }} }}",
                    i % 50
                ),
                "{ requires: [mfa] }",
            ),
            _ => (
                "{ user: external(b2b_guest) from any }".to_string(),
                "{ never_unsatisfiable: true }",
            ),
        };
        text.push_str(&format!(
            "  - name: invariant {i}\n    for: {selector}\n    expect: {expect}\n"
        ));
    }
    let mut all = Invariants::default();
    all.add("tenant.verify.yaml", text);
    all
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("shipped packs");
    group.measurement_time(Duration::from_secs(3));
    for name in [
        "contoso-group",
        "b2b-guest-baseline",
        "strict-partner",
        "broken-examples",
    ] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("policies")
            .join(name);
        let files = pack_files(&dir);
        let old = compile(&files);
        let new = compile(&one_edit(&files, ""));
        let invariants = Invariants::load(&dir).expect("verify files");
        group.bench_function(format!("{name}: partition"), |b| {
            b.iter(|| {
                let space = Space::new(&[&old], &Extra::default()).expect("space");
                black_box(partition(&space, &old, &everything(&space)).map(|l| l.len()))
            })
        });
        group.bench_function(format!("{name}: verify"), |b| {
            b.iter(|| black_box(verify::run(&old, &invariants, None).map(|r| r.len())))
        });
        group.bench_function(format!("{name}: diff (one edit)"), |b| {
            b.iter(|| black_box(diff(&old, &new, &[]).map(|r| r.changes.len())))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("generated tenant");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    let invariants = tenant_invariants();
    for policies in [25, 50, 100, 195] {
        let shape = tenant::Shape::LIMIT.with_policies(policies);
        let files = vec![("tenant.policy".to_string(), tenant::tenant(7, shape))];
        let old = compile(&files);
        // A typical edit: a team's or partner's policy, not the baseline everyone is under.
        let new = compile(&one_edit(&files, "policy \"P"));
        // Once, to say what is measured (or that the analysis refuses it).
        let t = Instant::now();
        match verify::run(&old, &invariants, None) {
            Ok(r) => {
                let held = r.iter().filter(|x| x.holds()).count();
                eprintln!(
                    "{policies} policies: verify {held}/{} hold, {:?}",
                    r.len(),
                    t.elapsed()
                );
                group.bench_function(format!("{policies} policies: verify 20 invariants"), |b| {
                    b.iter(|| black_box(verify::run(&old, &invariants, None).map(|r| r.len())))
                });
            }
            Err(e) => eprintln!("{policies} policies: verify refused: {e}"),
        }
        let t = Instant::now();
        match diff(&old, &new, &[]) {
            Ok(r) => {
                eprintln!(
                    "{policies} policies: diff {} regions, {} cubes, {:?}",
                    r.changes.len(),
                    r.nodes,
                    t.elapsed()
                );
                group.bench_function(format!("{policies} policies: diff (one edit)"), |b| {
                    b.iter(|| black_box(diff(&old, &new, &[]).map(|r| r.changes.len())))
                });
            }
            Err(e) => eprintln!("{policies} policies: diff refused: {e}"),
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

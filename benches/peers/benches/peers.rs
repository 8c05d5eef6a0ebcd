//! accord, Cedar and regorus deciding the same requests under the same generated packs (20, 50
//! and 200 policies). Before anything is timed, the three must agree on every request of the
//! mix that states every signal (`agree::check`); the run stops if they do not.
//!
//! `cargo bench` in `benches/peers`. Prints, per pack size and engine, the per-decision median,
//! p90 and p99 over the requests (each request timed on its own: best of 5 samples, each the mean
//! of enough repetitions to last about 20 µs), then the criterion headline (each iteration decides
//! the next request of the mix). `PEERS_SIZES=20,50` limits the sizes.

use std::hint::black_box;
use std::time::Instant;

use accord::eval::{self, Options};
use accord_peers::agree;
use accord_peers::cedar::{CedarPack, CedarQuery, Classification};
use accord_peers::rego::{RegoPack, RegoVm};
use accord_peers::workload::{Workload, SIZES};
use criterion::Criterion;

/// (median, p90, p99) in µs of one decision, each request timed on its own.
fn per_request(count: usize, mut decide: impl FnMut(usize)) -> (f64, f64, f64) {
    let mut times: Vec<f64> = (0..count)
        .map(|i| {
            decide(i);
            let start = Instant::now();
            decide(i);
            let once = start.elapsed().as_secs_f64();
            let reps = ((20e-6 / once.max(1e-9)).ceil() as usize).clamp(1, 2000);
            let mut best = f64::MAX;
            for _ in 0..5 {
                let start = Instant::now();
                for _ in 0..reps {
                    decide(i);
                }
                best = best.min(start.elapsed().as_secs_f64() * 1e6 / reps as f64);
            }
            best
        })
        .collect();
    times.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    (pct(0.5), pct(0.9), pct(0.99))
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

struct Row {
    policies: usize,
    engine: &'static str,
    p50: f64,
    p90: f64,
    p99: f64,
}

fn main() {
    let sizes: Vec<usize> = std::env::var("PEERS_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| SIZES.to_vec());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    println!(
        "machine: {cpu}, {} cores; load average at start: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load()
    );
    let mut criterion = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(4))
        .configure_from_args();
    let mut rows = Vec::new();
    let options = Options::default();
    for n in sizes {
        let w = Workload::new(n);
        let pack = w.pack();
        let cedar = CedarPack::new(pack).unwrap_or_else(|e| panic!("{e}"));
        let mut rego = RegoPack::new(pack).unwrap_or_else(|e| panic!("{e}"));
        let a = agree::check(&w, &cedar, &mut rego);
        assert!(
            a.disagreements.is_empty(),
            "the engines disagree at {n} policies: nothing to time\n{}",
            a.disagreements.join("\n")
        );
        let cedar_kind =
            CedarPack::with(pack, Classification::Precomputed).unwrap_or_else(|e| panic!("{e}"));
        let b = agree::check(&w, &cedar_kind, &mut rego);
        assert!(
            b.disagreements.is_empty(),
            "Cedar with the user's kind precomputed disagrees at {n} policies\n{}",
            b.disagreements.join("\n")
        );
        let complete: Vec<_> = w.complete().collect();
        let resolved: Vec<_> = complete
            .iter()
            .map(|r| eval::resolve(&w.compiled, r).expect("resolves"))
            .collect();
        let everything: Vec<_> = w
            .requests
            .iter()
            .map(|r| eval::resolve(&w.compiled, r).expect("resolves"))
            .collect();
        let queries: Vec<CedarQuery> = complete
            .iter()
            .map(|r| cedar.query(pack, r).expect("cedar input"))
            .collect();
        let queries_kind: Vec<CedarQuery> = complete
            .iter()
            .map(|r| cedar_kind.query(pack, r).expect("cedar input"))
            .collect();
        let inputs: Vec<regorus::Value> = complete
            .iter()
            .map(|r| RegoPack::input(pack, r).expect("rego input"))
            .collect();
        let mut vm = RegoVm::new(&mut rego);
        if let Ok(vm) = &mut vm {
            for (i, input) in inputs.iter().enumerate() {
                let d = vm.decide(input).unwrap_or_else(|e| panic!("rvm: {e}"));
                assert_eq!(
                    d,
                    eval::decide_fast(&w.compiled, &resolved[i], options).decision
                );
            }
        }
        println!(
            "{n} policies: {} requests compared ({} allow, {} challenge, {} block, {} by the gate), {} left out a signal; Cedar text {} KiB, Rego module {} KiB; all agree",
            a.compared, a.allow, a.challenge, a.block, a.gate_blocked, a.accord_only,
            cedar.text.len() / 1024, rego.policies.len() / 1024
        );

        let c = &w.compiled;
        let count = complete.len();
        let mut row = |engine: &'static str, t: (f64, f64, f64)| {
            rows.push(Row {
                policies: n,
                engine,
                p50: t.0,
                p90: t.1,
                p99: t.2,
            })
        };
        row(
            "accord decide_fast (resolved)",
            per_request(count, |i| {
                black_box(eval::decide_fast(c, &resolved[i], options));
            }),
        );
        row(
            "accord resolve + decide_fast",
            per_request(count, |i| {
                let r = eval::resolve(c, complete[i]).expect("resolves");
                black_box(eval::decide_fast(c, &r, options));
            }),
        );
        row(
            "accord decide (traced)",
            per_request(count, |i| {
                black_box(eval::decide(c, complete[i]).map(|e| e.decision).ok());
            }),
        );
        row(
            "Cedar is_authorized",
            per_request(count, |i| {
                black_box(cedar.decide(&queries[i]));
            }),
        );
        row(
            "Cedar, user kind precomputed",
            per_request(count, |i| {
                black_box(cedar_kind.decide(&queries_kind[i]));
            }),
        );
        row(
            "regorus eval_rule",
            per_request(count, |i| {
                black_box(rego.decide(&inputs[i]).ok());
            }),
        );
        if let Ok(vm) = &mut vm {
            row(
                "regorus RVM",
                per_request(count, |i| {
                    black_box(vm.decide(&inputs[i]).ok());
                }),
            );
        }
        row(
            "accord decide_fast, whole mix",
            per_request(everything.len(), |i| {
                black_box(eval::decide_fast(c, &everything[i], options));
            }),
        );

        let mut group = criterion.benchmark_group(format!("peers/{n} policies"));
        let mut k = 0usize;
        let mut next = |len: usize| {
            k = (k + 1) % len;
            k
        };
        group.bench_function("accord decide_fast (resolved)", |b| {
            b.iter(|| black_box(eval::decide_fast(c, &resolved[next(count)], options)))
        });
        group.bench_function("accord resolve + decide_fast", |b| {
            b.iter(|| {
                let r = eval::resolve(c, complete[next(count)]).expect("resolves");
                black_box(eval::decide_fast(c, &r, options))
            })
        });
        group.bench_function("accord decide (traced)", |b| {
            b.iter(|| black_box(eval::decide(c, complete[next(count)]).map(|e| e.decision)))
        });
        group.bench_function("Cedar is_authorized", |b| {
            b.iter(|| black_box(cedar.decide(&queries[next(count)])))
        });
        group.bench_function("Cedar, user kind precomputed", |b| {
            b.iter(|| black_box(cedar_kind.decide(&queries_kind[next(count)])))
        });
        group.bench_function("regorus eval_rule", |b| {
            b.iter(|| black_box(rego.decide(&inputs[next(count)]).ok()))
        });
        if let Ok(vm) = &mut vm {
            group.bench_function("regorus RVM", |b| {
                b.iter(|| black_box(vm.decide(&inputs[next(count)]).ok()))
            });
        } else if let Err(e) = &vm {
            println!("regorus RVM not measured: the program does not compile: {e}");
        }
        group.bench_function("accord decide_fast, whole mix", |b| {
            b.iter(|| {
                black_box(eval::decide_fast(
                    c,
                    &everything[next(everything.len())],
                    options,
                ))
            })
        });
        group.finish();
    }

    println!("\nper decision, each request timed on its own (µs):");
    println!("| policies | engine | median | p90 | p99 |");
    println!("|---:|---|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {} | {:.2} | {:.2} | {:.2} |",
            r.policies, r.engine, r.p50, r.p90, r.p99
        );
    }
    println!("\nratios (accord time / peer time; below 1 = accord faster):");
    println!("| policies | accord path | vs | median ratio | p99 ratio |");
    println!("|---:|---|---|---:|---:|");
    for a in rows
        .iter()
        .filter(|r| r.engine.starts_with("accord") && !r.engine.ends_with("whole mix"))
    {
        for p in rows
            .iter()
            .filter(|p| p.policies == a.policies && !p.engine.starts_with("accord"))
        {
            println!(
                "| {} | {} | {} | {:.3} | {:.3} |",
                a.policies,
                a.engine,
                p.engine,
                a.p50 / p.p50,
                a.p99 / p.p99
            );
        }
    }
    println!("\nload average at end: {}", load());
    criterion.final_summary();
}

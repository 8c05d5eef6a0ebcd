//! `cargo bench --bench lsp`: what the language server does after a keystroke in a 300-policy
//! pack (issue 11: under 20 ms).
//!
//! The generated pack is cut into ten files at item boundaries, as a real pack is. A keystroke
//! changes one file: `keystroke` re-parses it, then checks the whole pack and runs every lint
//! rule but the whole-space ones (`accord::lsp::workspace::analyse`, what `accord lsp` answers
//! every change with); `full` parses every file again, for comparison; `whole_space` is what
//! the server's background worker then runs (EXT006, CAP002, CAP005 on the exact analysis),
//! once the pack has been quiet for 150 ms.

use std::path::PathBuf;

use accord::lsp::workspace::{analyse, whole_space_findings};
use criterion::{criterion_group, criterion_main, Criterion};

#[path = "../tests/suite/eval/generate.rs"]
mod generate;

fn files() -> Vec<(PathBuf, String)> {
    let text = generate::pack(2026, 300).render();
    let items = accord::lsp::lex::index(&text).items;
    let per_file = items.len().div_ceil(10);
    items
        .chunks(per_file)
        .enumerate()
        .map(|(i, chunk)| {
            let start = chunk.first().map_or(0, |it| it.start);
            let end = chunk.last().map_or(0, |it| it.end);
            (
                PathBuf::from(format!("bench/f{i:02}.policy")),
                format!("{}\n", &text[start..end]),
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let base = files();
    let first = analyse(None, base.clone());
    assert!(
        first.report.valid,
        "the generated pack checks: {:?}",
        first.report.diagnostics.first()
    );
    let policies: usize = first.loaded.pack.policies.len();
    assert_eq!(policies, 300);
    let mut group = c.benchmark_group("lsp");
    let mut k = 0u64;
    group.bench_function("keystroke", |b| {
        b.iter(|| {
            // A different text each time, so the edited file is always parsed again.
            k += 1;
            let mut texts = base.clone();
            texts[5].1.push_str(&format!("# edit {k}\n"));
            analyse(Some(&first), texts)
        })
    });
    group.bench_function("full", |b| b.iter(|| analyse(None, base.clone())));
    group.finish();
    let mut slow = c.benchmark_group("lsp_background");
    slow.sample_size(10);
    slow.bench_function("whole_space", |b| {
        b.iter(|| whole_space_findings(&first.loaded))
    });
    slow.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

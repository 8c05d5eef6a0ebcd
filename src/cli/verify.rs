//! `accord verify`: prove a pack's invariants (`*.verify.yaml`), or show the smallest request
//! that breaks each one that does not hold.
//!
//! Exit codes: 0 when every invariant holds, 1 when one does not (or cannot run as written, or
//! the pack has errors), 2 on usage or I/O errors (no verify files, a `--filter` that matches
//! nothing).

use super::{Format, VerifyArgs, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::analysis::verify::{self, Invariants};
use crate::render::{self, human::Style};

pub fn run(args: &VerifyArgs, color: bool) -> u8 {
    let style = Style {
        color,
        ..Style::default()
    };
    let (mut passed, mut failed, mut usage) = (0usize, 0usize, false);
    let mut text = String::new();
    let mut json = Vec::new();
    let mut ran = 0;
    for pack in &args.packs {
        let loaded = match crate::load::load_pack(pack) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: {e}");
                usage = true;
                continue;
            }
        };
        let name = pack.display().to_string();
        let Some(compiled) = super::packs::compile(&loaded, &name, style) else {
            failed += 1;
            continue;
        };
        let invariants = match Invariants::load(pack) {
            Ok(i) => i,
            Err(e) => {
                eprintln!("error: cannot read the verify files of `{name}`: {e}");
                usage = true;
                continue;
            }
        };
        if invariants.files.is_empty() {
            eprintln!(
                "error: `{name}` has no verify files (`*{}` in the pack folder or its `tests/` folder)",
                verify::VERIFY_FILE_SUFFIX
            );
            usage = true;
            continue;
        }
        let results =
            match super::packs::with_progress(format!("proving the invariants of `{name}`"), |p| {
                verify::run_with(&compiled, &invariants, args.filter.as_deref(), p)
            }) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("error: {name}: {e}");
                    usage = true;
                    continue;
                }
            };
        ran += results.len();
        for r in &results {
            if r.holds() {
                passed += 1;
            } else {
                failed += 1;
            }
        }
        text.push_str(&render::analysis::verify_text(
            &invariants.sources,
            &results,
            args.verbose,
            style,
        ));
        let workloads = compiled
            .pack()
            .policies
            .iter()
            .filter(|p| p.is_workload())
            .count();
        text.push_str(&render::analysis::workload_scope_note(&name, workloads));
        json.extend(
            results
                .iter()
                .map(|r| render::analysis::invariant_json(&invariants.sources, r)),
        );
    }
    if let Some(f) = &args.filter {
        if ran == 0 && !usage {
            eprintln!("error: no invariant matches `--filter {f}`");
            usage = true;
        }
    }
    match args.format {
        Format::Json => super::packs::emit(&render::analysis::verify_json(json, passed, failed)),
        Format::Text => super::packs::emit(&format!(
            "{text}{}\n",
            render::analysis::verify_summary(passed, failed)
        )),
    }
    if usage {
        EXIT_USAGE
    } else if failed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

//! `accord test`: run the `*.test.yaml` cases of packs (format: `crate::testing`).
//!
//! Exit codes: 0 when every case passed, 1 when a case failed or could not run (an error in a
//! test file or in the pack counts as a failure), 2 on usage or I/O errors (a pack or test file
//! that cannot be read, a pack without test files, a `--filter` that matches no case).

use std::path::{Path, PathBuf};

use super::{Format, TestArgs, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::analysis::verify::Invariants;
use crate::diagnostic::Diagnostic;
use crate::render::{self, human::Style};
use crate::testing::{self, CaseResult, Status, Suite};

/// Everything printed, collected in order so that the summary comes last.
#[derive(Default)]
struct Report {
    text: String,
    json: Vec<serde_json::Value>,
    invariants: Vec<serde_json::Value>,
    passed: usize,
    failed: usize,
    ran: usize,
    usage: bool,
}

pub fn run(args: &TestArgs, color: bool) -> u8 {
    let style = Style {
        color,
        ..Style::default()
    };
    let mut report = Report::default();
    for target in &args.packs {
        run_target(args, target, style, &mut report);
    }
    if let Some(filter) = &args.filter {
        if report.ran == 0 && !report.usage {
            eprintln!("error: no case matches `--filter {filter}`");
            report.usage = true;
        }
    }
    let summary = render::testing::summary(report.passed, report.failed);
    match args.format {
        Format::Json => emit(&render::testing::report_json(
            report.json,
            report.invariants,
            report.passed,
            report.failed,
        )),
        Format::Text => emit(&format!("{}{summary}\n", report.text)),
    }
    if report.usage {
        EXIT_USAGE
    } else if report.failed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// The pack a target names, and the one test file it names (when it is a test file).
fn pack_of(target: &Path) -> (PathBuf, Option<PathBuf>) {
    let is_test_file = target
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(testing::TEST_FILE_SUFFIX));
    if !is_test_file {
        return (target.to_path_buf(), None);
    }
    let folder = target.parent().unwrap_or(Path::new("."));
    let folder = if folder.file_name().is_some_and(|n| n == "tests") {
        folder.parent().unwrap_or(Path::new("."))
    } else {
        folder
    };
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    (folder.to_path_buf(), Some(target.to_path_buf()))
}

fn run_target(args: &TestArgs, target: &Path, style: Style, report: &mut Report) {
    let (pack, only) = pack_of(target);
    let loaded = match crate::load::load_pack(&pack) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            report.usage = true;
            return;
        }
    };
    let validation = crate::check(&loaded);
    let validated = match validation.validated {
        Some(v) if !crate::diagnostic::has_errors(&validation.diagnostics) => v,
        _ => {
            let errors: Vec<Diagnostic> = validation
                .diagnostics
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect();
            // The line points at the first error, in the file that holds it.
            let (file, line) = errors
                .iter()
                .find_map(|d| d.span)
                .and_then(|s| render::position(&loaded.sources, s))
                .map_or_else(
                    || (pack.display().to_string().replace('\\', "/"), 0),
                    |p| (p.file, p.line),
                );
            let broken = CaseResult {
                file,
                line,
                name: "the pack has errors: its tests did not run".to_string(),
                status: Status::Error,
                expected: None,
                actual: None,
                mismatches: Vec::new(),
                diagnostics: errors,
            };
            record(report, &loaded.sources, &[broken], args.verbose, style);
            return;
        }
    };
    let single_file = only.is_some();
    let suite = match only {
        Some(file) => crate::input::read(&file, crate::input::Kind::Yaml)
            .map(|text| {
                let mut s = Suite::default();
                s.add(file, text.text);
                s
            })
            .map_err(std::io::Error::other),
        None => Suite::load(&pack),
    };
    let suite = match suite {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "error: cannot read the test files of `{}`: {e}",
                pack.display()
            );
            report.usage = true;
            return;
        }
    };
    // A single test file runs alone; a pack runs its invariants too (`*.verify.yaml`).
    let invariants = if single_file {
        Invariants::default()
    } else {
        match Invariants::load(&pack) {
            Ok(i) => i,
            Err(e) => {
                eprintln!(
                    "error: cannot read the verify files of `{}`: {e}",
                    pack.display()
                );
                report.usage = true;
                return;
            }
        }
    };
    if suite.files.is_empty() && invariants.files.is_empty() {
        eprintln!(
            "error: `{}` has no test files (`*{}` or `*{}` in the pack folder or its `tests/` folder)",
            pack.display(),
            testing::TEST_FILE_SUFFIX,
            crate::analysis::verify::VERIFY_FILE_SUFFIX
        );
        report.usage = true;
        return;
    }
    let results = suite.run(
        &validated,
        args.filter.as_deref(),
        &render::testing::WhatifText,
    );
    record(report, &suite.sources, &results, args.verbose, style);
    if invariants.files.is_empty() {
        return;
    }
    let compiled = crate::eval::compile(&validated);
    match crate::analysis::verify::run(&compiled, &invariants, args.filter.as_deref()) {
        Ok(results) => {
            for r in &results {
                if r.holds() {
                    report.passed += 1;
                } else {
                    report.failed += 1;
                }
            }
            report.ran += results.len();
            report.text.push_str(&render::analysis::verify_text(
                &invariants.sources,
                &results,
                args.verbose,
                style,
            ));
            report.invariants.extend(
                results
                    .iter()
                    .map(|r| render::analysis::invariant_json(&invariants.sources, r)),
            );
        }
        Err(e) => {
            eprintln!("error: {}: {e}", pack.display());
            report.usage = true;
        }
    }
}

fn record(
    report: &mut Report,
    sources: &crate::source::Sources,
    results: &[CaseResult],
    verbose: bool,
    style: Style,
) {
    let (passed, failed) = testing::tally(results);
    report.passed += passed;
    report.failed += failed;
    report.ran += results.len();
    report.text.push_str(&render::testing::results_text(
        sources, results, verbose, style,
    ));
    report.json.extend(
        results
            .iter()
            .map(|r| render::testing::case_json(sources, r)),
    );
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

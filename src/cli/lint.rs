//! `accord lint`.

use std::path::PathBuf;

use super::{LintArgs, LintFormat, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{self, LintReport, Selection};
use crate::load::Loaded;
use crate::render::{self, human::Style};

/// The rule's summary and where to read more, printed under each finding.
fn note(d: &Diagnostic) -> Option<String> {
    let rule = lint::rule(&d.code)?;
    Some(format!(
        "{}; `accord rules {}` explains why",
        rule.summary, rule.code
    ))
}

fn exit_code(reports: &[(PathBuf, Loaded, LintReport)], deny_warnings: bool) -> u8 {
    let failing = |d: &Diagnostic| {
        d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
    };
    let fails = reports
        .iter()
        .any(|(_, _, r)| !r.valid || r.diagnostics.iter().any(failing));
    if fails {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

pub fn run(args: &LintArgs, color: bool) -> u8 {
    let selection = match Selection::new(&args.only, &args.allow) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let mut reports = Vec::new();
    for path in &args.packs {
        let loaded = match crate::load::load_pack(path) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_USAGE;
            }
        };
        let report =
            super::packs::with_progress(format!("linting {}", path.display()), |progress| {
                lint::lint_with(&loaded, &selection, progress)
            });
        reports.push((path.clone(), loaded, report));
    }
    match args.format {
        LintFormat::Text => {
            let style = Style {
                color,
                ..Style::default()
            };
            for (path, loaded, report) in &reports {
                print!("{}", text(path, loaded, report, style));
            }
        }
        LintFormat::Json => {
            let all: Vec<_> = reports
                .iter()
                .flat_map(|(_, l, r)| render::json::diagnostics(&l.sources, &r.diagnostics))
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".into())
            );
        }
        LintFormat::Sarif => {
            let runs: Vec<_> = reports
                .iter()
                .map(|(_, l, r)| (&l.sources, r.diagnostics.as_slice()))
                .collect();
            println!(
                "{}",
                render::sarif::render(&runs, &render::rules::sarif_rules())
            );
        }
    }
    exit_code(&reports, args.deny == Some(super::Deny::Warnings))
}

/// The text report of one pack: each finding rustc-style, then the summary line.
pub fn text(path: &std::path::Path, loaded: &Loaded, report: &LintReport, style: Style) -> String {
    let mut out =
        render::human::render_with_notes(&loaded.sources, &report.diagnostics, style, note);
    let mut summary = format!(
        "{}: {}",
        path.display().to_string().replace('\\', "/"),
        render::summary(&report.diagnostics)
    );
    if !report.suppressed.is_empty() {
        summary.push_str(&format!(" ({} suppressed)", report.suppressed.len()));
    }
    if !report.valid {
        summary.push_str(" (not linted: the pack does not pass `accord check`)");
    }
    out.push_str(&summary);
    out.push('\n');
    out
}

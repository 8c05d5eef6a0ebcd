//! `accord test` output.
//!
//! Text: one `FAIL <file>:<line> <case>` line per failed case, followed by what was expected
//! (`- expected decision: allow`) and what the evaluator decided (`+ actual   decision: block`),
//! then the explanation, indented; an error is followed by its diagnostic. Passing cases print `PASS <file>:<line> <case>` with
//! `--verbose` only. The last line is `N passed, N failed`, alone.
//!
//! JSON: `{"cases": [{"file", "line", "name", "status": "pass" | "fail" | "error", "expected",
//! "actual"}], "passed": N, "failed": N}`; a failed case also has `"mismatches": [{"field",
//! "expected", "actual"}]` and `"explanation"`, an error `"errors": [{"code", "message", "line",
//! "column", "hint"}]`.

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::human::{self, Style};
use crate::eval::sharing::{ShareDecision, StepOutcome};
use crate::eval::Evaluation;
use crate::source::Sources;
use crate::testing::{CaseResult, Explain, Status};

/// The explanations `reason_contains` searches: what `accord whatif` prints.
pub struct WhatifText;

impl Explain for WhatifText {
    fn workload(&self, decision: &crate::eval::workload::WorkloadDecision) -> String {
        super::workload::text(decision)
    }

    fn access(&self, evaluation: &Evaluation<'_>) -> String {
        super::whatif::text(evaluation)
    }

    fn share(&self, decision: &ShareDecision) -> String {
        share_text(decision)
    }
}

/// A share decision with its rule, effective level and every step.
pub fn share_text(d: &ShareDecision) -> String {
    let mut out = format!("{d}\nrule: {}\n", d.rule);
    if let Some(level) = d.effective_level {
        let _ = writeln!(out, "effective level: {level}");
    }
    if !d.trace.is_empty() {
        out.push_str("steps:\n");
    }
    for step in &d.trace {
        let outcome = match step.outcome {
            StepOutcome::Note => "note",
            StepOutcome::Pass => "pass",
            StepOutcome::Grant => "grant",
            StepOutcome::Fail => "fail",
        };
        let _ = writeln!(out, "  {outcome} {}: {}", step.rule, step.reason);
    }
    out
}

fn location(r: &CaseResult) -> String {
    if r.name.is_empty() {
        format!("{}:{}", r.file, r.line)
    } else {
        format!("{}:{} {}", r.file, r.line, r.name)
    }
}

fn indent(text: &str, by: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{by}{line}");
        }
    }
    out
}

/// The report of one suite's results, without the summary line.
pub fn results_text(
    sources: &Sources,
    results: &[CaseResult],
    verbose: bool,
    style: Style,
) -> String {
    let mut out = String::new();
    for r in results {
        match r.status {
            Status::Pass => {
                if verbose {
                    let _ = writeln!(out, "PASS {}", location(r));
                }
            }
            Status::Fail => {
                let _ = writeln!(out, "FAIL {}", location(r));
                for m in &r.mismatches {
                    let _ = writeln!(out, "  - expected {}: {}", m.field, m.expected);
                    let _ = writeln!(out, "  + actual   {}: {}", m.field, m.actual);
                }
                if let Some(a) = &r.actual {
                    out.push_str("  explanation:\n");
                    out.push_str(&indent(&a.explanation, "    "));
                }
            }
            Status::Error => {
                let _ = writeln!(out, "FAIL {}", location(r));
                out.push_str(&indent(
                    &human::render(sources, &r.diagnostics, style),
                    "  ",
                ));
            }
        }
    }
    out
}

/// `N passed, N failed`.
pub fn summary(passed: usize, failed: usize) -> String {
    format!("{passed} passed, {failed} failed")
}

/// One case as JSON.
pub fn case_json(sources: &Sources, r: &CaseResult) -> Value {
    let mut v = json!({
        "file": r.file,
        "line": r.line,
        "name": r.name,
        "status": r.status.name(),
        "expected": r.expected,
        "actual": r.actual,
    });
    if let Value::Object(map) = &mut v {
        if r.status == Status::Fail {
            map.insert("mismatches".into(), json!(r.mismatches));
            if let Some(a) = &r.actual {
                map.insert("explanation".into(), Value::from(a.explanation.clone()));
            }
        }
        if r.status == Status::Error {
            let errors: Vec<Value> = r
                .diagnostics
                .iter()
                .map(|d| {
                    let pos = d.span.and_then(|s| super::position(sources, s));
                    json!({
                        "code": d.code,
                        "message": d.message,
                        "file": pos.as_ref().map(|p| p.file.clone()),
                        "line": pos.as_ref().map(|p| p.line),
                        "column": pos.as_ref().map(|p| p.column),
                        "hint": d.help,
                    })
                })
                .collect();
            map.insert("errors".into(), Value::Array(errors));
        }
    }
    v
}

/// The whole JSON report from every suite's cases (already converted with [`case_json`]) and
/// the packs' invariants (`render::analysis::invariant_json`).
pub fn report_json(
    cases: Vec<Value>,
    invariants: Vec<Value>,
    passed: usize,
    failed: usize,
) -> String {
    let report = if invariants.is_empty() {
        json!({"cases": cases, "passed": passed, "failed": failed})
    } else {
        json!({"cases": cases, "invariants": invariants, "passed": passed, "failed": failed})
    };
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

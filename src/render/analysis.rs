//! Output of `accord diff` and `accord verify`: text, JSON and (diff) Markdown.

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::human::{self, Style};
use crate::analysis::diff::{Change, DiffReport};
use crate::analysis::example::{request_json, request_yaml};
use crate::analysis::outcome::Outcome;
use crate::analysis::verify::{Counterexample, InvariantResult, Verdict};
use crate::eval::Compiled;
use crate::model::request::Request;
use crate::source::Sources;

fn indent(text: &str, by: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let _ = writeln!(out, "{by}{line}");
    }
    out
}

fn policy_list(names: &[String]) -> String {
    if names.is_empty() {
        "no policy applies".to_string()
    } else {
        names
            .iter()
            .map(|n| {
                if n.starts_with('(') {
                    n.clone()
                } else {
                    format!("\"{n}\"")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

// ---- diff -----------------------------------------------------------------------------------

/// Workload policies that differ, which the analysed space (user sign-ins) does not reach.
fn workload_note(report: &DiffReport) -> String {
    let w = &report.workload_policies;
    if w.is_empty() {
        return String::new();
    }
    let list: Vec<String> = w
        .iter()
        .map(|c| format!("`{}` ({})", c.name, c.how))
        .collect();
    format!(
        "{} polic{} for workload identities differ{}: {}; service principal sign-ins are not in the analysed space (user sign-ins): decide them with `accord whatif` and a `workload:` request\n",
        w.len(),
        if w.len() == 1 { "y" } else { "ies" },
        if w.len() == 1 { "s" } else { "" },
        list.join(", ")
    )
}

/// `N regions changed`, then one block per region. With no region, the line says sign-ins
/// (the analysed space): the outbound settings and workload policies that differ are listed
/// after it.
pub fn diff_text(report: &DiffReport, old: &str, new: &str) -> String {
    let mut out = String::new();
    let n = report.changes.len();
    if n == 0 {
        if report.workload_policies.is_empty() {
            let _ = writeln!(
                out,
                "no sign-in decided differently: `{old}` and `{new}` decide every sign-in alike"
            );
        } else {
            let _ = writeln!(
                out,
                "no user sign-in is decided differently by `{old}` and `{new}`, but"
            );
            out.push_str(&workload_note(report));
        }
        return out;
    }
    let _ = writeln!(
        out,
        "{n} region{} of the request space decided differently (`{old}` → `{new}`)",
        if n == 1 { "" } else { "s" }
    );
    for (i, c) in report.changes.iter().enumerate() {
        let _ = writeln!(out, "\n{}. {}", i + 1, c.description);
        let _ = writeln!(out, "   {}", c.transition());
        let _ = writeln!(out, "   before: {}", policy_list(&c.policies_before));
        let _ = writeln!(out, "   after:  {}", policy_list(&c.policies_after));
        out.push_str("   example (accord whatif accepts it as is):\n");
        out.push_str(&indent(&request_yaml(&c.example), "     "));
    }
    let note = workload_note(report);
    if !note.is_empty() {
        out.push('\n');
        out.push_str(&note);
    }
    out
}

/// A side's answer in `accord whatif --format json`'s shape (its `decision`, `possible`,
/// `depends_on`, `requirements` and `session`), from the evaluator's answer to the region's
/// example; the region's own outcome where the example does not resolve.
fn answer_json(c: &Compiled, example: &Request, outcome: &Outcome) -> Value {
    let Some(e) = crate::analysis::evaluate(c, example) else {
        return outcome.json();
    };
    let whatif = super::whatif::json(&e);
    let mut out = serde_json::Map::new();
    for key in [
        "decision",
        "possible",
        "depends_on",
        "requirements",
        "session",
    ] {
        out.insert(key.into(), whatif.get(key).cloned().unwrap_or(Value::Null));
    }
    out.insert("requirements_text".into(), json!(outcome.requirements));
    Value::Object(out)
}

fn change_json(c: &Change, old: &Compiled, new: &Compiled) -> Value {
    json!({
        "description": c.description,
        "before": answer_json(old, &c.example, &c.before),
        "after": answer_json(new, &c.example, &c.after),
        "example": request_json(&c.example),
        "policies": { "before": c.policies_before, "after": c.policies_after },
    })
}

pub fn diff_json(
    report: &DiffReport,
    old: &Compiled,
    new: &Compiled,
    settings: &[crate::analysis::settings_diff::SettingChange],
) -> String {
    let v = json!({
        "changed": report.changes.len(),
        "regions": report.changes.iter().map(|c| change_json(c, old, new)).collect::<Vec<_>>(),
        "outbound_settings": settings_json(settings),
        "workload_policies_not_analysed": report.workload_policies.iter().map(|c| json!({"name": c.name, "how": c.how})).collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

fn md_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// For a pull-request comment: a table, then each region's example under a fold.
pub fn diff_markdown(report: &DiffReport, old: &str, new: &str) -> String {
    let mut out = String::new();
    let n = report.changes.len();
    if n == 0 {
        if report.workload_policies.is_empty() {
            let _ = writeln!(
                out,
                "**accord diff**: no sign-in decided differently between `{old}` and `{new}`."
            );
        } else {
            let _ = writeln!(
                out,
                "**accord diff**: no user sign-in decided differently between `{old}` and `{new}`, but {}",
                workload_note(report)
            );
        }
        return out;
    }
    let _ = writeln!(
        out,
        "### accord diff: {n} region{} decided differently\n",
        if n == 1 { "" } else { "s" }
    );
    let _ = writeln!(out, "`{old}` → `{new}`\n");
    out.push_str("| # | requests | before | after |\n|---|---|---|---|\n");
    for (i, c) in report.changes.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            i + 1,
            md_cell(&c.description),
            md_cell(&c.before.headline()),
            md_cell(&c.after.headline())
        );
    }
    for (i, c) in report.changes.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n<details><summary>{}. {}</summary>\n",
            i + 1,
            md_cell(&c.description)
        );
        let _ = writeln!(
            out,
            "- before: {}",
            md_cell(&policy_list(&c.policies_before))
        );
        let _ = writeln!(out, "- after: {}", md_cell(&policy_list(&c.policies_after)));
        let _ = writeln!(
            out,
            "\n```yaml\n{}```\n</details>",
            request_yaml(&c.example)
        );
    }
    let note = workload_note(report);
    if !note.is_empty() {
        let _ = write!(out, "\n{note}");
    }
    out
}

// ---- verify ---------------------------------------------------------------------------------

/// Invariants speak of user sign-ins: a pack's policies for workload identities are outside
/// what they prove, and the output says so.
pub fn workload_scope_note(pack: &str, workload_policies: usize) -> String {
    if workload_policies == 0 {
        return String::new();
    }
    format!(
        "note: `{pack}`: {workload_policies} polic{} for workload identities {} not in the analysed space (user sign-ins); `accord test` decides `workload:` cases\n",
        if workload_policies == 1 { "y" } else { "ies" },
        if workload_policies == 1 { "is" } else { "are" }
    )
}

fn location(sources: &Sources, r: &InvariantResult) -> String {
    match super::position(sources, r.span) {
        Some(p) => format!("{}:{} {}", p.file, p.line, r.name),
        None => r.name.clone(),
    }
}

fn counterexample_text(c: &Counterexample) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  counterexample ({} field{} from the request defaults):",
        c.weight,
        if c.weight == 1 { "" } else { "s" }
    );
    out.push_str(&indent(&request_yaml(&c.request), "    "));
    let _ = writeln!(out, "  answer: {}", c.outcome.headline());
    for b in &c.broken {
        let _ = writeln!(out, "  broken: {b}");
    }
    let _ = writeln!(out, "  decided by: {}", policy_list(&c.policies));
    let _ = writeln!(out, "  every such request: {}", c.region);
    out
}

/// One line per invariant that holds (with `verbose`), a block per one that does not.
pub fn verify_text(
    sources: &Sources,
    results: &[InvariantResult],
    verbose: bool,
    style: Style,
) -> String {
    let mut out = String::new();
    for r in results {
        match &r.verdict {
            Verdict::Holds => {
                if verbose {
                    let _ = writeln!(out, "PASS {} (proven)", location(sources, r));
                }
            }
            Verdict::Violated(c) => {
                let _ = writeln!(out, "FAIL {}", location(sources, r));
                out.push_str(&counterexample_text(c));
            }
            Verdict::Error(diagnostics) => {
                let _ = writeln!(out, "FAIL {}", location(sources, r));
                out.push_str(&indent(&human::render(sources, diagnostics, style), "  "));
            }
        }
    }
    out
}

pub fn invariant_json(sources: &Sources, r: &InvariantResult) -> Value {
    let pos = super::position(sources, r.span);
    let mut v = json!({
        "name": r.name,
        "file": pos.as_ref().map(|p| p.file.clone()),
        "line": pos.as_ref().map(|p| p.line),
        "holds": r.holds(),
        "counterexample": Value::Null,
        "regions": r.regions,
    });
    let Value::Object(map) = &mut v else {
        return v;
    };
    match &r.verdict {
        Verdict::Holds => {}
        Verdict::Violated(c) => {
            map.insert("counterexample".into(), request_json(&c.request));
            map.insert("weight".into(), json!(c.weight));
            map.insert("outcome".into(), c.outcome.json());
            map.insert("broken".into(), json!(c.broken));
            map.insert("policies".into(), json!(c.policies));
            map.insert("region".into(), json!(c.region));
        }
        Verdict::Error(diagnostics) => {
            let errors: Vec<Value> = diagnostics
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

pub fn verify_json(invariants: Vec<Value>, passed: usize, failed: usize) -> String {
    let v = json!({"invariants": invariants, "passed": passed, "failed": failed});
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// `3 invariants hold, 1 does not`.
pub fn verify_summary(passed: usize, failed: usize) -> String {
    format!(
        "{passed} invariant{} {}, {failed} {}",
        if passed == 1 { "" } else { "s" },
        if passed == 1 { "holds" } else { "hold" },
        if failed == 1 { "does not" } else { "do not" }
    )
}

/// Outbound and tenant-restrictions settings that differ (compared setting by setting, not
/// enumerated): appended to `accord diff`'s text and Markdown.
pub fn settings_text(changes: &[crate::analysis::settings_diff::SettingChange]) -> String {
    let mut out = String::new();
    if changes.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "\n{} outbound or tenant restrictions setting{} differ{} (compared setting by setting):",
        changes.len(),
        if changes.len() == 1 { "" } else { "s" },
        if changes.len() == 1 { "s" } else { "" }
    );
    for c in changes {
        let _ = writeln!(
            out,
            "- {} {}: {} → {}",
            c.tenant, c.setting, c.before, c.after
        );
    }
    out
}

/// The same as JSON: `{"outbound_settings": [{tenant, setting, before, after}]}`.
pub fn settings_json(changes: &[crate::analysis::settings_diff::SettingChange]) -> Value {
    serde_json::to_value(changes).unwrap_or(Value::Null)
}

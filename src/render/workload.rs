//! A `workload:` answer as text: the verdict and its reason, then every policy with every
//! condition it checked.

use std::fmt::Write as _;

use crate::eval::workload::{WorkloadDecision, WorkloadOutcome};
use crate::eval::Tri;
use crate::model::PolicyState;

/// `BLOCK: <reason>`, then `policy ...: applies` and its conditions, one per line.
pub fn text(d: &WorkloadDecision) -> String {
    let verdict = match (d.decision, d.decided) {
        (WorkloadOutcome::Allow, _) => "ALLOW",
        (WorkloadOutcome::Block, true) => "BLOCK",
        (WorkloadOutcome::Block, false) => "BLOCK (not decided, fail closed)",
    };
    let mut out = format!("{verdict}: {}\n", d.reason);
    if !d.depends_on.is_empty() {
        let _ = writeln!(out, "  depends on: {}", d.depends_on.join(", "));
    }
    if !d.report_only.is_empty() {
        let _ = writeln!(
            out,
            "  report-only, would block: {}",
            d.report_only.join(", ")
        );
    }
    let for_users = d.policies.iter().filter(|p| p.for_users()).count();
    if for_users > 0 {
        let _ = writeln!(
            out,
            "  {for_users} {} for users never apply to a workload identity",
            if for_users == 1 { "policy" } else { "policies" }
        );
    }
    for p in d.policies.iter().filter(|p| !p.for_users()) {
        let state = match p.state {
            PolicyState::On => "",
            PolicyState::ReportOnly => " [report-only]",
            PolicyState::Off => " [off]",
        };
        let applies = match p.applies {
            Tri::Yes => "applies",
            Tri::No => "does not apply",
            Tri::Unknown => "may apply",
        };
        let _ = writeln!(out, "  policy `{}`{state}: {applies}", p.name);
        for c in &p.checks {
            let result = match c.result {
                Tri::Yes => "matches",
                Tri::No => "does not match",
                Tri::Unknown => "not decided",
            };
            let _ = writeln!(out, "    {}: {result} ({})", c.condition, c.reason);
        }
    }
    out
}

/// The answer as the JSON document of the public contract.
pub fn json(d: &WorkloadDecision) -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(d).unwrap_or_else(|_| "{}".into())
    )
}

//! CAP005: a `report_only` or `off` policy, with what it would change if turned on.

use std::collections::BTreeMap;

use crate::analysis::example::request_yaml;
use crate::analysis::queries::turned_on;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{not_analysed, Context, Rule};
use crate::model::PolicyState;

pub static RULE: Rule = Rule {
    code: "CAP005",
    name: "policy_not_enforced",
    severity: Severity::Info,
    summary: "a `report_only` or `off` policy, with what it would change if turned on",
    explanation: "`report_only` policies are evaluated and logged but never enforced, and `off` \
policies are ignored (§2.3). The rule turns each such policy on in a copy of the pack and \
compares the two over the whole request space, exactly (as `accord diff` does), and reports in \
how many regions of requests the answer would change and how, with an example, so that a \
report-only trial can be read before it is enforced.",
    fires: r#"policy "Block outside the EU" {
  state = report_only
  users      { include guests_or_external }
  apps       { include all }
  conditions { locations = include(all) exclude(eu) }
  grant block
}"#,
    quiet: r#"policy "Block outside the EU" {
  state = on
  users      { include guests_or_external }
  apps       { include all }
  conditions { locations = include(all) exclude(eu) }
  grant block
}"#,
    fix: "turn the policy `on` when the change is wanted, or delete it; suppress the finding \
while a trial runs",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (index, policy) in ctx.pack.policies.iter().enumerate() {
        if policy.state.value == PolicyState::On {
            continue;
        }
        let report = match turned_on(ctx.compiled, index) {
            Ok(r) => r,
            Err(e) => {
                out.push(not_analysed(&RULE, &e));
                continue;
            }
        };
        let state = policy.state.value.as_str();
        let at = if policy.state_written {
            policy.state.span
        } else {
            policy.name.span
        };
        let n = report.changes.len();
        let d = if n == 0 {
            RULE.finding(format!(
                "policy `{}` is `{state}`; turned on, it would change the answer for no request",
                policy.name.value
            ))
            .at(at)
            .help("a policy that changes nothing may be redundant: check its scope, or delete it")
        } else {
            // (from, to) -> regions.
            let mut how: BTreeMap<(&str, &str), usize> = BTreeMap::new();
            for c in &report.changes {
                *how.entry((c.before.decision.name(), c.after.decision.name()))
                    .or_default() += 1;
            }
            let how: Vec<String> = how
                .iter()
                .map(|((from, to), k)| {
                    if from == to {
                        format!("{k} {from} with other requirements or session controls")
                    } else {
                        format!("{k} {from} -> {to}")
                    }
                })
                .collect();
            let first = &report.changes[0];
            let example: Vec<String> = request_yaml(&first.example)
                .lines()
                .map(str::to_string)
                .collect();
            RULE.finding(format!(
                "policy `{}` is `{state}`; turned on, it would change the answer in {n} region{} of the request space ({})",
                policy.name.value,
                if n == 1 { "" } else { "s" },
                how.join(", ")
            ))
            .at(at)
            .help(format!(
                "for example {}: {}, e.g. `{}`; `accord diff` shows every region",
                first.description,
                first.transition(),
                example.join("; ")
            ))
        };
        out.push(d);
    }
}

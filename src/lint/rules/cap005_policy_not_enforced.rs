//! CAP005: a `report_only` or `off` policy, with what it would change if turned on.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::eval::{compile, Decision};
use crate::lint::classes::decision;
use crate::lint::{Context, Rule};
use crate::model::PolicyState;
use crate::validate::validate;

pub static RULE: Rule = Rule {
    code: "CAP005",
    name: "policy_not_enforced",
    severity: Severity::Info,
    summary: "a `report_only` or `off` policy, with what it would change if turned on",
    explanation: "`report_only` policies are evaluated and logged but never enforced, and `off` \
policies are ignored (§2.3). The rule turns each such policy on in a copy of the pack, decides \
with the evaluator every sign-in class the pack tells apart (users, apps, client apps, \
platforms, locations, risk; no MFA done yet), and reports how many of those decisions would \
change and how, with an example, so that a report-only trial can be read before it is enforced.",
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
        let mut turned_on = ctx.pack.clone();
        turned_on.policies[index].state.value = PolicyState::On;
        let Some(validated) = validate(turned_on).validated else {
            continue;
        };
        let compiled = compile(&validated);
        let samples = ctx.samples();
        let before = ctx.decisions();
        // (from, to) -> (count, first example).
        let mut changes: BTreeMap<(Decision, Decision), (usize, usize)> = BTreeMap::new();
        for (i, sample) in samples.requests.iter().enumerate() {
            let (Some(from), Some(to)) = (before[i], decision(&compiled, sample)) else {
                continue;
            };
            if from != to {
                changes.entry((from, to)).or_insert((0, i)).0 += 1;
            }
        }
        let total = samples.requests.len();
        let changed: usize = changes.values().map(|(n, _)| n).sum();
        let state = policy.state.value.as_str();
        let at = if policy.state_written {
            policy.state.span
        } else {
            policy.name.span
        };
        let d = if changed == 0 {
            RULE.finding(format!(
                "policy `{}` is `{state}`; turned on, it would change none of the {total} sign-ins accord samples",
                policy.name.value
            ))
            .at(at)
            .help("a policy that changes nothing may be redundant: check its scope, or delete it")
        } else {
            let how: Vec<String> = changes
                .iter()
                .map(|((from, to), (n, _))| format!("{n} {} -> {}", from.name(), to.name()))
                .collect();
            let example = changes
                .iter()
                .next()
                .map(|((from, to), (_, i))| {
                    format!(
                        "{}: {} -> {}",
                        samples.describe(&samples.requests[*i]),
                        from.name(),
                        to.name()
                    )
                })
                .unwrap_or_default();
            RULE.finding(format!(
                "policy `{}` is `{state}`; turned on, it would change {changed} of the {total} sign-ins accord samples ({})",
                policy.name.value,
                how.join(", ")
            ))
            .at(at)
            .help(format!("for example {example}"))
        };
        out.push(d);
    }
}

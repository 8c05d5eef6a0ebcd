//! CAP005: a `report_only` or `off` policy, with what it would change if turned on.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::analysis::example::request_yaml;
use crate::analysis::queries::Queries;
use crate::analysis::transitions::Transition;
use crate::analysis::AnalysisError;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{not_analysed, Context, Rule};
use crate::model::PolicyState as State;
use crate::model::PolicyState;

pub static RULE: Rule = Rule {
    code: "CAP005",
    name: "policy_not_enforced",
    severity: Severity::Info,
    summary: "a `report_only` or `off` policy, with what it would change if turned on",
    explanation: "`report_only` policies are evaluated and logged but never enforced, and `off` \
policies are ignored (§2.3). The rule turns each such policy on in a copy of the pack and \
compares the two over the whole request space, exactly (as `accord diff` does), and reports \
which changes of decision it would make (allow -> challenge, allow -> block, challenge -> \
block), each proven to happen to some request and the others to none, with an example, so that \
a report-only trial can be read before it is enforced.",
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

/// The most cubes one policy's question may examine. A search cut short still lists the
/// transitions it found (each real, with its example) and says "at least".
const BUDGET: usize = 5_000;

/// What the progress bar says CAP005 is doing.
const WHAT: &str = "CAP005: what each report-only or off policy would change";

/// The transitions found, and whether that is all of them.
type Answer = Result<(Vec<Transition>, bool), AnalysisError>;

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if ctx
        .pack
        .policies
        .iter()
        .all(|p| p.state.value == PolicyState::On)
    {
        return;
    }
    let space = match ctx.space() {
        Ok(s) => s,
        Err(e) => return out.push(not_analysed(&RULE, e)),
    };
    // Every policy's question is answered on one pack's symbolic sets, built once per core and
    // shared by the policies that core takes (the diagrams are not shared across threads); the
    // few whose sets outgrow their limit are answered by the refinement instead, on every core,
    // each within a budget of cubes, so a pack of hundreds of policies lints in bounded time.
    let disabled: Vec<usize> = (0..ctx.pack.policies.len())
        .filter(|i| ctx.pack.policies[*i].state.value != PolicyState::On)
        // A policy for workload identities changes no user's decision: what it would change is
        // not a user request (`accord whatif` with a `workload:` request shows it).
        .filter(|i| !ctx.pack.policies[*i].is_workload())
        .collect();
    // Policies that say the same thing under another name (imports keep every copy, suffixed
    // ` (2)`) turn on to the same decisions: each distinct policy is asked once.
    let keys: Vec<String> = disabled.iter().map(|&i| same_policy_key(ctx, i)).collect();
    let mut first_of: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut unique: Vec<usize> = Vec::new();
    let rep: Vec<usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            *first_of.entry(k.as_str()).or_insert_with(|| {
                unique.push(i);
                unique.len() - 1
            })
        })
        .collect();
    let asked: Vec<usize> = unique.iter().map(|&i| disabled[i]).collect();
    let done = AtomicU64::new(0);
    let (compiled, progress, total) = (ctx.compiled, ctx.progress, asked.len() as u64);
    let chunk = asked
        .len()
        .div_ceil(rayon::current_num_threads().max(1))
        .max(1);
    let mut answers: Vec<Option<Answer>> = asked
        .par_chunks(chunk)
        .flat_map_iter(|indexes| {
            let queries = Queries::new(compiled, space);
            let done = &done;
            indexes
                .iter()
                .map(move |&index| {
                    let n = done.fetch_add(1, Ordering::Relaxed);
                    progress.report(WHAT, n, total);
                    let on = compiled.with_policy_state(index, State::On);
                    queries
                        .transitions_exact(&on, index)
                        .transpose()
                        .map(|r| r.map(|found| (found, true)))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let rest: Vec<(usize, usize)> = answers
        .iter()
        .enumerate()
        .filter(|(_, a)| a.is_none())
        .map(|(i, _)| (i, asked[i]))
        .collect();
    let refined: Vec<_> = rest
        .par_iter()
        .map(|&(i, index)| {
            let queries = Queries::new(ctx.compiled, space);
            let on = ctx.compiled.with_policy_state(index, State::On);
            (i, queries.transitions_refined(&on, index, BUDGET))
        })
        .collect();
    for (i, answer) in refined {
        answers[i] = Some(answer);
    }
    for (k, &index) in disabled.iter().enumerate() {
        let policy = &ctx.pack.policies[index];
        let Some(answer) = &answers[rep[k]] else {
            continue;
        };
        let (transitions, complete) = match answer {
            Ok((t, c)) => (t, *c),
            Err(e) => {
                out.push(not_analysed(&RULE, e));
                continue;
            }
        };
        let state = policy.state.value.as_str();
        let at = if policy.state_written {
            policy.state.span
        } else {
            policy.name.span
        };
        let at_least = if complete { "" } else { "at least " };
        let d = match transitions.first() {
            None if !complete => RULE
                .finding(format!(
                    "policy `{}` is `{state}`; what it would change turned on was not found within \
the analysis budget ({BUDGET} regions)",
                    policy.name.value
                ))
                .at(at)
                .help("`accord diff` with the policy turned on answers it exactly, or says it is too large"),
            None => RULE
                .finding(format!(
                    "policy `{}` is `{state}`; turned on, it would change the decision of no request",
                    policy.name.value
                ))
                .at(at)
                .help("a policy that changes nothing may be redundant: check its scope, or delete it"),
            Some(first) => {
                let how: Vec<String> = transitions
                    .iter()
                    .map(|t| format!("{} -> {}", t.from.name(), t.to.name()))
                    .collect();
                let example: Vec<String> = request_yaml(&first.example)
                    .lines()
                    .map(str::to_string)
                    .collect();
                RULE.finding(format!(
                    "policy `{}` is `{state}`; turned on, it would change decisions {at_least}{}",
                    policy.name.value,
                    how.join(", ")
                ))
                .at(at)
                .help(format!(
                    "for example {} -> {} for {}, e.g. `{}`; `accord diff` shows every region",
                    first.from.name(),
                    first.to.name(),
                    first.region,
                    example.join("; ")
                ))
            }
        };
        out.push(d);
    }
}

/// What a policy says, as the pack decides it, without its name, its state and its metadata:
/// two policies with the same key make the same changes when turned on.
fn same_policy_key(ctx: &Context<'_>, index: usize) -> String {
    let mut p = ctx.compiled.pack().policies[index].clone();
    p.name.value.clear();
    p.state.value = State::On;
    p.extensions
        .retain(|e| crate::model::unmodelled::effect(e) != crate::model::unmodelled::Effect::Inert);
    // A policy that cannot be written as JSON is its own class.
    serde_json::to_string(&p).unwrap_or_else(|_| format!("#{index}"))
}

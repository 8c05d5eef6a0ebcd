//! CAP002: an enabled policy whose every sign-in is already blocked by another one.

use crate::diagnostic::{Diagnostic, Severity};
use crate::eval::trace::{PolicyResult, PolicyTrace, Tri};
use crate::lint::classes::decide;
use crate::lint::facts::{and_list, is_on};
use crate::lint::{Context, Rule};
use crate::model::{Policy, PolicyState};

pub static RULE: Rule = Rule {
    code: "CAP002",
    name: "shadowed_policy",
    severity: Severity::Warning,
    summary: "an enabled policy is fully shadowed: every sign-in it applies to is already blocked by another",
    explanation: "All applicable enabled policies are enforced together and a `block` in any of \
them ends the sign-in (§2.2). A policy that applies only where another enabled policy already \
blocks changes nothing: its controls are never asked for, which usually means its scope is not \
what its author meant. The rule decides, with the evaluator, every sign-in class the pack tells \
apart (users, apps, client apps, platforms, locations, risk) and fires when the policy applies to \
some of them and each of those is blocked by another enabled policy.",
    fires: r#"policy "Block legacy authentication" {
  users      { include all  exclude group "Emergency access" }
  apps       { include all }
  conditions { client_apps = [exchange_active_sync, other] }
  grant block
}
policy "MFA on legacy clients" {
  users      { include all  exclude group "Emergency access" }
  apps       { include exchange }
  conditions { client_apps = [exchange_active_sync] }
  grant mfa
}"#,
    quiet: r#"policy "Block legacy authentication" {
  users      { include all  exclude group "Emergency access" }
  apps       { include all }
  conditions { client_apps = [exchange_active_sync, other] }
  grant block
}
policy "MFA in the browser" {
  users      { include all  exclude group "Emergency access" }
  apps       { include exchange }
  conditions { client_apps = [browser] }
  grant mfa
}"#,
    fix: "narrow or delete the shadowed policy, or fix the scope of the blocking one",
    check,
};

fn same(trace: &PolicyTrace<'_>, policy: &Policy) -> bool {
    // The compiled pack is a copy: policies are matched by where they are written.
    trace.policy.span == policy.span && trace.policy.name.value == policy.name.value
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let enabled: Vec<&Policy> = ctx.pack.policies.iter().filter(|p| is_on(p)).collect();
    if enabled.len() < 2 {
        return;
    }
    // Per enabled policy: applies somewhere, still possibly shadowed, the blockers seen.
    let mut applies = vec![false; enabled.len()];
    let mut shadowed = vec![true; enabled.len()];
    let mut blockers: Vec<Vec<&Policy>> = vec![Vec::new(); enabled.len()];
    for sample in &ctx.samples().requests {
        if !shadowed.iter().any(|s| *s) {
            break;
        }
        let Some(eval) = decide(ctx.compiled, sample) else {
            continue;
        };
        let traces = &eval.trace.policies;
        for (i, policy) in enabled.iter().enumerate() {
            if !shadowed[i] {
                continue;
            }
            let Some(own) = traces.iter().find(|t| same(t, policy)) else {
                continue;
            };
            if own.applies != Tri::Yes {
                continue;
            }
            applies[i] = true;
            let blocker = traces.iter().find(|t| {
                !same(t, policy)
                    && t.state() == PolicyState::On
                    && t.applies == Tri::Yes
                    && t.result() == Some(PolicyResult::Block)
            });
            let Some(blocker) = blocker else {
                shadowed[i] = false;
                continue;
            };
            let found = enabled.iter().find(|p| same(blocker, p));
            if let Some(found) = found {
                if !blockers[i].iter().any(|b| std::ptr::eq(*b, *found)) {
                    blockers[i].push(found);
                }
            }
        }
    }
    for (i, policy) in enabled.iter().enumerate() {
        if !(applies[i] && shadowed[i]) {
            continue;
        }
        let names: Vec<String> = blockers[i]
            .iter()
            .map(|b| format!("`{}`", b.name.value))
            .collect();
        let mut d = RULE
            .finding(format!(
                "policy `{}` is shadowed: every sign-in it applies to is already blocked by {}",
                policy.name.value,
                and_list(&names)
            ))
            .at(policy.name.span);
        for b in &blockers[i] {
            d = d.label(b.name.span, "blocks first");
        }
        out.push(d.help("narrow or delete this policy, or fix the scope of the blocking one"));
    }
}

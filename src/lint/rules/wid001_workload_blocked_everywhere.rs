//! WID001: a policy for workload identities with no location or risk condition.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};
use crate::model::{PolicyState, WorkloadTarget};

pub static RULE: Rule = Rule {
    code: "WID001",
    name: "workload_blocked_everywhere",
    severity: Severity::Warning,
    summary: "a policy for workload identities blocks its service principals unconditionally",
    explanation: "A policy for workload identities has one grant, block (Microsoft Learn, \
\"Conditional Access for workload identities\", \
https://learn.microsoft.com/entra/identity/conditional-access/workload-identity), and its conditions are where the token is asked \
from (`locations`) and the service principal's risk (`service_principal_risk`). Without either, \
the policy blocks every service principal it includes from everywhere, at any risk: with \
`include all`, every line-of-business app of the tenant stops getting tokens. That is the usual \
result of a location or risk condition left out by mistake; to stop one app for good, disable \
its service principal instead.",
    fires: r#"policy "Workloads outside the datacenter" {
  workloads { include all }
  apps      { include all }
  grant block
}"#,
    quiet: r#"policy "Workloads outside the datacenter" {
  workloads  { include all }
  apps       { include all }
  conditions { locations = include(all) exclude(all_trusted) }
  grant block
}"#,
    fix: "add the `locations` or `service_principal_risk` condition the policy is meant to have, \
or disable the service principal instead of blocking it with a policy",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for policy in &ctx.pack.policies {
        let Some(w) = &policy.conditions.workloads else {
            continue;
        };
        let c = &policy.conditions;
        let conditional =
            c.locations.is_some() || c.service_principal_risk.is_some() || c.agent_risk.is_some();
        if conditional || policy.state.value == PolicyState::Off || w.include.is_empty() {
            continue;
        }
        let whom = if w.include.iter().any(|t| t.value == WorkloadTarget::All) {
            "every service principal of the tenant"
        } else {
            "the service principals it includes"
        };
        out.push(
            RULE.finding(format!(
                "policy `{}` blocks {whom} everywhere, at any risk",
                policy.name.value
            ))
            .at(w.span)
            .help("add a `locations` or `service_principal_risk` condition"),
        );
    }
}

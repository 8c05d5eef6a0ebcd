//! Policies for workload identities (`workloads { ... }`, issue 14 item 2): codes E1120-E1127.
//!
//! Microsoft Learn, "Conditional Access for workload identities": such a policy is assigned to
//! service principals instead of users, its conditions are locations and service principal risk,
//! and "Block" is its only grant control.

use super::values::is_guid;
use super::Findings;
use crate::diagnostic::Diagnostic;
use crate::model::{Control, Policy, Spanned, UserTarget, WorkloadTarget, Workloads};

pub(super) fn check(policy: &Policy, out: &mut Findings) {
    let Some(w) = &policy.conditions.workloads else {
        risk_without_workloads(policy, out);
        return;
    };
    super::policies::not_empty(
        &policy.conditions.service_principal_risk,
        "service_principal_risk",
        out,
    );
    super::policies::not_empty(&policy.conditions.agent_risk, "agent_risk", out);
    block_only(policy, w, out);
    no_users(policy, out);
    targets(w, policy, out);
    user_conditions(policy, out);
    if let Some(s) = policy.session.as_ref().filter(|s| !s.is_empty()) {
        out.add(
            Diagnostic::error(
                "E1125",
                "a policy for workload identities has no session controls",
            )
            .at(s.span)
            .help("remove the `session` block: workload policies only block"),
        );
    }
}

/// `E1120`: block is the only grant control.
fn block_only(policy: &Policy, w: &Workloads, out: &mut Findings) {
    let only_block = policy
        .grant
        .as_ref()
        .is_some_and(|g| g.controls.len() == 1 && g.controls[0].value == Control::Block);
    if only_block || super::policies::extends(policy, "/grantControls") {
        return;
    }
    let at = policy.grant.as_ref().map_or(w.span, |g| g.span);
    out.add(
        Diagnostic::error(
            "E1120",
            format!(
                "policy `{}` is for workload identities: its only grant is `block`",
                policy.name.value
            ),
        )
        .at(at)
        .help("write `grant block`: a service principal cannot do MFA or present a device, so the platform offers block alone"),
    );
}

/// `E1121`: a policy targets users or workload identities, never both.
fn no_users(policy: &Policy, out: &mut Findings) {
    let users = &policy.users;
    let targets_users =
        users.include.iter().any(|t| t.value != UserTarget::None) || !users.exclude.is_empty();
    if targets_users {
        out.add(
            Diagnostic::error(
                "E1121",
                format!(
                    "policy `{}` targets both users and workload identities",
                    policy.name.value
                ),
            )
            .at(users.span)
            .help("write `users { include none }` (or no `users` block) here, and a second policy for the users"),
        );
    }
}

/// `E1122` (nothing included), `E1126` (`all` with others, `all` excluded), `E1127` (ids).
fn targets(w: &Workloads, policy: &Policy, out: &mut Findings) {
    let includes_by_filter = w
        .filter
        .as_ref()
        .is_some_and(|f| f.mode.value == crate::model::FilterMode::Include);
    if w.include.is_empty() && !includes_by_filter && policy.conditions.agent_risk.is_none() {
        out.add(
            Diagnostic::error(
                "E1122",
                format!(
                    "policy `{}` includes no workload identity",
                    policy.name.value
                ),
            )
            .at(w.span)
            .help("add `include all` (every single-tenant service principal of the tenant) or `include service_principal \"<object id>\"`"),
        );
    }
    let sp = |t: &&Spanned<WorkloadTarget>| {
        matches!(
            t.value,
            WorkloadTarget::All | WorkloadTarget::ServicePrincipal(_)
        )
    };
    let agents = |t: &&Spanned<WorkloadTarget>| {
        matches!(
            t.value,
            WorkloadTarget::AllAgents | WorkloadTarget::Agent(_)
        )
    };
    let crowded =
        |f: &dyn Fn(&&Spanned<WorkloadTarget>) -> bool| w.include.iter().filter(f).count() > 1;
    if crowded(&sp) || crowded(&agents) {
        let alone = |t: &&Spanned<WorkloadTarget>| {
            (t.value == WorkloadTarget::All && crowded(&sp))
                || (t.value == WorkloadTarget::AllAgents && crowded(&agents))
        };
        for t in w.include.iter().filter(alone) {
            let (word, what) = if t.value == WorkloadTarget::All {
                ("all", "service principals")
            } else {
                ("all_agents", "agent identities")
            };
            out.add(
                Diagnostic::error(
                    "E1126",
                    format!("`{word}` cannot be included with other {what}"),
                )
                .at(t.span)
                .help(format!(
                    "`{word}` already includes all the {what} of the tenant: keep it alone"
                )),
            );
        }
    }
    for t in w
        .exclude
        .iter()
        .filter(|t| matches!(t.value, WorkloadTarget::All | WorkloadTarget::AllAgents))
    {
        let word = if t.value == WorkloadTarget::All {
            "all"
        } else {
            "all_agents"
        };
        out.add(
            Diagnostic::error("E1126", format!("`{word}` cannot be excluded"))
                .at(t.span)
                .help("set `state = off` to turn a policy off"),
        );
    }
    for t in w.include.iter().chain(&w.exclude) {
        id(t, out);
    }
    for f in [&w.filter, &w.agent_filter].into_iter().flatten() {
        if f.rule.value.trim().is_empty() {
            out.add(
                Diagnostic::error("E1127", "the filter rule is empty")
                    .at(f.rule.span)
                    .help("write a rule over custom security attributes, such as `CustomSecurityAttribute.Ops_Tier -eq \"gold\"`"),
            );
        }
    }
}

fn id(t: &Spanned<WorkloadTarget>, out: &mut Findings) {
    let (what, id) = match &t.value {
        WorkloadTarget::All | WorkloadTarget::AllAgents => return,
        WorkloadTarget::ServicePrincipal(id) => ("service principal", id),
        WorkloadTarget::Agent(id) => ("agent identity", id),
    };
    if !is_guid(id) {
        out.add(
            Diagnostic::error("E1127", format!("`{id}` is not a {what} object id"))
                .at(t.span)
                .help("Graph names service principals and agent identities by their object id (a GUID)"),
        );
    }
}

/// `E1124`: conditions about a user's sign-in have no meaning for a workload identity.
fn user_conditions(policy: &Policy, out: &mut Findings) {
    let c = &policy.conditions;
    let spans = [
        ("platforms", c.platforms.as_ref().map(|x| x.span)),
        ("client_apps", c.client_apps.as_ref().map(|x| x.span)),
        ("sign_in_risk", c.sign_in_risk.as_ref().map(|x| x.span)),
        ("user_risk", c.user_risk.as_ref().map(|x| x.span)),
        ("insider_risk", c.insider_risk.as_ref().map(|x| x.span)),
        (
            "devices",
            c.devices.as_ref().map(|x| x.mode.span.to(x.rule.span)),
        ),
        ("auth_flows", c.auth_flows.as_ref().map(|x| x.span)),
    ];
    for (name, span) in spans {
        let Some(span) = span else { continue };
        out.add(
            Diagnostic::error(
                "E1124",
                format!("`{name}` is not a condition of a policy for workload identities"),
            )
            .at(span)
            .help("workload policies have `locations` and `service_principal_risk` (and, in preview, `agent_risk`)"),
        );
    }
}

/// `E1123`: workload risk levels on a policy for users.
fn risk_without_workloads(policy: &Policy, out: &mut Findings) {
    let c = &policy.conditions;
    for (name, list) in [
        ("service_principal_risk", &c.service_principal_risk),
        ("agent_risk", &c.agent_risk),
    ] {
        if let Some(list) = list {
            out.add(
                Diagnostic::error(
                    "E1123",
                    format!("`{name}` needs a `workloads` block: it is the risk of a workload identity, not of a user"),
                )
                .at(list.span)
                .help("add `workloads { include ... }` and make the policy one for workload identities"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::codes_of;

    const SP: &str = "22222222-2222-2222-2222-222222222222";

    fn policy(body: &str) -> Vec<String> {
        codes_of(&format!("policy \"p\" {{ {body} }}"))
    }

    #[test]
    fn a_workload_policy_blocks_service_principals_and_nothing_else() {
        let ok = "workloads { include all } apps { include all } grant block";
        assert!(policy(ok).is_empty(), "{:?}", policy(ok));
        let ok = format!("workloads {{ include service_principal \"{SP}\" }} users {{ include none }} apps {{ include all }} conditions {{ service_principal_risk = [high] locations = include(all) }} grant block");
        assert!(policy(&ok).is_empty(), "{:?}", policy(&ok));
        assert_eq!(
            policy("workloads { include all } apps { include all } grant mfa"),
            ["E1120"]
        );
        assert_eq!(
            policy("workloads { include all } apps { include all } grant any(block, mfa)"),
            ["E1120", "E1060"]
        );
        assert_eq!(
            policy(
                "workloads { include all } users { include all } apps { include all } grant block"
            ),
            ["E1121"]
        );
        assert_eq!(
            policy("workloads { } apps { include all } grant block"),
            ["E1122"]
        );
        assert_eq!(
            policy("users { include all } apps { include all } conditions { service_principal_risk = [high] } grant block"),
            ["E1123"]
        );
        assert_eq!(
            policy("workloads { include all } apps { include all } conditions { sign_in_risk = [high] } grant block"),
            ["E1124"]
        );
        assert_eq!(
            policy("workloads { include all } apps { include all } grant block session { persistent_browser = never }"),
            ["E1125"]
        );
        assert_eq!(
            policy(&format!("workloads {{ include all, service_principal \"{SP}\" exclude all }} apps {{ include all }} grant block")),
            ["E1126", "E1126"]
        );
        assert_eq!(
            policy("workloads { include all_agents, agent \"22222222-2222-2222-2222-222222222222\", all } apps { include all } grant block"),
            ["E1126"]
        );
        assert_eq!(
            policy("workloads { include service_principal \"payroll\" filter include \" \" } apps { include all } grant block"),
            ["E1127", "E1127"]
        );
        assert_eq!(
            policy("workloads { include all } apps { include all } conditions { service_principal_risk = [] } grant block"),
            ["E1070"]
        );
    }
}

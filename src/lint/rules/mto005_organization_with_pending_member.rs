//! MTO005: policies for `from organization` while a member is still pending.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::facts::and_list;
use crate::lint::{Context, Rule};
use crate::model::{MemberState, Origin, PolicyState, UserTarget};

pub static RULE: Rule = Rule {
    code: "MTO005",
    name: "organization_with_pending_member",
    severity: Severity::Warning,
    summary: "a policy targets `from organization` while a member tenant is pending",
    explanation: "Only active tenants are part of a multi-tenant organisation: a pending tenant \
is invisible to users and its users count as out-of-organization until it joins, which can take \
up to two hours after it accepts (§5.2; §5.4 and §10 rule 17). A policy written for \
`from organization` therefore does not reach the pending tenant's users yet.",
    fires: r#"organization "Contoso Group" { contoso owner active  tailspin member pending }
policy "Organization members" {
  users { include external(b2b_member) from organization }
  apps  { include all }
  grant mfa
}"#,
    quiet: r#"organization "Contoso Group" { contoso owner active  tailspin member active }
policy "Organization members" {
  users { include external(b2b_member) from organization }
  apps  { include all }
  grant mfa
}"#,
    fix: "make sure the pending tenant's users are covered by an out-of-organization policy until \
it joins, then mark it `active`",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(org) = ctx.facts.organization else {
        return;
    };
    let pending: Vec<_> = org
        .members
        .iter()
        .filter(|m| m.state.value == MemberState::Pending)
        .collect();
    if pending.is_empty() {
        return;
    }
    let names: Vec<String> = pending
        .iter()
        .map(|m| format!("`{}`", m.tenant.value))
        .collect();
    for policy in &ctx.pack.policies {
        if policy.state.value == PolicyState::Off {
            continue;
        }
        let targets = policy.users.include.iter().chain(&policy.users.exclude);
        for target in targets {
            let UserTarget::External { origin, .. } = &target.value else {
                continue;
            };
            if origin.value != Origin::Organization {
                continue;
            }
            let mut d = RULE
                .finding(format!(
                    "policy `{}` targets `from organization`, which does not include pending member {} yet",
                    policy.name.value,
                    and_list(&names)
                ))
                .at(origin.span);
            for m in &pending {
                d = d.label(
                    m.span,
                    "pending: its users are out-of-organization until it joins",
                );
            }
            out.push(d.help(
                "cover the pending tenant's users with an out-of-organization policy until it is `active`",
            ));
        }
    }
}

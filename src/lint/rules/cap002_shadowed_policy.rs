//! CAP002: an enabled policy whose every sign-in is already blocked by another one.

use crate::analysis::queries::{Queries, Shadow};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::facts::{and_list, is_on};
use crate::lint::{not_analysed, Context, Rule};

pub static RULE: Rule = Rule {
    code: "CAP002",
    name: "shadowed_policy",
    severity: Severity::Warning,
    summary: "an enabled policy is fully shadowed: every sign-in it applies to is already blocked by another",
    explanation: "All applicable enabled policies are enforced together and a `block` in any of \
them ends the sign-in (§2.2). A policy that applies only where another enabled policy already \
blocks changes nothing: its controls are never asked for, which usually means its scope is not \
what its author meant. The rule proves it over the whole request space, exactly: it fires when \
the policy applies to some sign-in the cross-tenant settings let through, and every such \
sign-in (in every combination of user, group, app, client, platform, location and risk) is \
also in scope of another enabled policy that blocks.",
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

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let enabled = ctx.pack.policies.iter().filter(|p| is_on(p)).count();
    if enabled < 2 {
        return;
    }
    let space = match ctx.space() {
        Ok(s) => s,
        Err(e) => return out.push(not_analysed(&RULE, e)),
    };
    let queries = Queries::new(ctx.compiled, space);
    for (index, policy) in ctx.pack.policies.iter().enumerate() {
        if !is_on(policy) {
            continue;
        }
        let blockers = match queries.shadow(index) {
            Ok(Shadow::By(b)) => b,
            Ok(_) => continue,
            Err(e) => return out.push(not_analysed(&RULE, &e)),
        };
        let names: Vec<String> = blockers
            .iter()
            .map(|b| format!("`{}`", ctx.pack.policies[*b].name.value))
            .collect();
        let mut d = RULE
            .finding(format!(
                "policy `{}` is shadowed: every sign-in it applies to is already blocked by {}",
                policy.name.value,
                and_list(&names)
            ))
            .at(policy.name.span);
        for b in &blockers {
            d = d.label(ctx.pack.policies[*b].name.span, "blocks first");
        }
        out.push(d.help("narrow or delete this policy, or fix the scope of the blocking one"));
    }
}

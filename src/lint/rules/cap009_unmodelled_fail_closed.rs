//! CAP009: a policy property accord does not model, decided fail-closed.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};
use crate::model::unmodelled;

pub static RULE: Rule = Rule {
    code: "CAP009",
    name: "unmodelled_policy_part",
    severity: Severity::Error,
    summary:
        "a policy names users, apps or grant controls accord cannot read; it is decided fail-closed",
    explanation:
        "An `extension` keeps a Graph property accord does not model (an import writes one for a \
role given by an unknown display name, an app given by name, Global Secure Access traffic, a \
grant control such as `riskRemediation`). Ignoring an unmodelled include list or grant control \
would make the policy apply to fewer people or ask less of them (every assignment of a policy \
must match and the targets inside an include list are alternatives, §2.1; every applicable policy \
must be satisfied, §2.2), so accord decides it as the stricter policy instead (README, \"Unmodelled properties\"): an unmodelled include list of users \
or applications is read as `include all`, and an unmodelled grant control makes the policy \
`block` unless its grant is `any(...)` and keeps a control accord models. The decisions of such a \
pack are safe but not exact: a user the policy does not really target may be challenged or \
blocked. Unmodelled conditions and exclusions are not reported here: ignoring them only makes a \
policy apply more, and `whatif` lists them under the policy.",
    fires: r#"policy "MFA for admins" {
  users { include group "Admins" }
  apps  { include all }
  grant mfa
  extension { "/conditions/users/includeRoles" = ["Company Administrator"] }
}"#,
    quiet: r#"policy "MFA for admins" {
  users { include group "Admins", role global_administrator }
  apps  { include all }
  grant mfa
  extension { "/conditions/clientApplications" = {"includeServicePrincipals":["None"]} }
}"#,
    fix: "write the property in the language (a role by its catalog name or template id, an app \
by its id) and delete the `extension` entry, or accept that accord decides the policy more \
strictly than the platform",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for policy in &ctx.pack.policies {
        let all_users = policy
            .users
            .include
            .iter()
            .any(|t| t.value == crate::model::UserTarget::All);
        let all_apps = policy
            .apps
            .include
            .iter()
            .any(|t| t.value == crate::model::AppTarget::All);
        for (e, effect) in unmodelled::effects(policy) {
            // Only where the fail-closed reading changes the policy: a list beside `all` (an
            // import keeps groups given beside `All` as an extension) widens nothing.
            let changes = match effect {
                unmodelled::Effect::AllUsers => !all_users,
                unmodelled::Effect::AllApps => !all_apps,
                unmodelled::Effect::Grant => true,
                _ => false,
            };
            if !changes {
                continue;
            }
            out.push(
                RULE.finding(format!(
                    "policy `{}` is decided fail-closed: `{}` is not modelled, so it is {}",
                    policy.name.value,
                    e.pointer.value,
                    match effect {
                        unmodelled::Effect::AllUsers => "taken to include every user",
                        unmodelled::Effect::AllApps => "taken to include every application",
                        _ if unmodelled::grant_kept(policy.grant.as_ref()) => {
                            "left out of the `any(...)` grant: only the other alternatives satisfy it"
                        }
                        _ => "taken to block",
                    }
                ))
                .at(e.pointer.span)
                .help("write it in the language, or accept a stricter decision than the platform's"),
            );
        }
    }
}

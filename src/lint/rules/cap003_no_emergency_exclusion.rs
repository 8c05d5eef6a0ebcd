//! CAP003: an all-users block or MFA policy without an emergency-access exclusion.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::facts::{grant_met, is_mfa, is_on};
use crate::lint::{Context, Rule};
use crate::model::{Control, UserTarget};

pub static RULE: Rule = Rule {
    code: "CAP003",
    name: "no_emergency_exclusion",
    severity: Severity::Warning,
    summary:
        "an enabled policy that blocks or requires MFA for `all` users excludes no user or group",
    explanation: "`all` is every user of the directory (§1.3) and an enabled policy is enforced \
on every sign-in it matches (§2.2, §2.3). A block or an MFA requirement for everyone with no \
excluded emergency-access (break-glass) account or group can lock every administrator out when \
MFA or the policy misbehaves; exclusion beats inclusion, so an excluded account always keeps a \
way in (§2.1). Any excluded user or group counts, since the pack cannot tell which one is the \
emergency account.",
    fires: r#"policy "MFA for everyone" {
  users { include all }
  apps  { include all }
  grant mfa
}"#,
    quiet: r#"policy "MFA for everyone" {
  users { include all  exclude group "Emergency access" }
  apps  { include all }
  grant mfa
}"#,
    fix: "exclude an emergency-access group or account: `exclude group \"Emergency access\"`",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for policy in ctx.pack.policies.iter().filter(|p| is_on(p)) {
        let Some(grant) = &policy.grant else { continue };
        let blocks = grant.is_block();
        let needs_mfa = !grant_met(grant, |c| !is_mfa(c) && *c != Control::Block);
        if !blocks && !needs_mfa {
            continue;
        }
        let Some(all) = policy
            .users
            .include
            .iter()
            .find(|t| t.value == UserTarget::All)
        else {
            continue;
        };
        let emergency = policy
            .users
            .exclude
            .iter()
            .any(|t| matches!(t.value, UserTarget::User(_) | UserTarget::Group(_)));
        if emergency {
            continue;
        }
        let what = if blocks { "blocks" } else { "requires MFA of" };
        out.push(
            RULE.finding(format!(
                "policy `{}` {what} `all` users and excludes no emergency-access user or group",
                policy.name.value
            ))
            .at(all.span)
            .label(grant.span, if blocks { "blocks" } else { "requires MFA" })
            .help(
                "add `exclude group \"Emergency access\"` (or the break-glass accounts) to `users`",
            ),
        );
    }
}

//! CAP008: `external(internal_guest) from <tenants | organization | outside_organization>`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};
use crate::model::{ExternalType, Origin, UserTarget};

pub static RULE: Rule = Rule {
    code: "CAP008",
    name: "internal_guest_with_origin",
    severity: Severity::Warning,
    summary: "internal guests are filtered by home tenant, which they never match",
    explanation:
        "An internal guest signs in with credentials of the resource tenant itself (§6.2: \
`userType` Guest, authenticating internally), so its home tenant is never a partner, never an \
active tenant of the organisation and never outside it. The home-tenant filter of an external \
user target (§1.4: `externalTenants`, enumerated or all) therefore never holds for them: \
`external(internal_guest) from tenants(...)`, `from organization` and `from \
outside_organization` match no internal guest, and the policy silently leaves them out. Only \
`from any` reaches them (accord's rule, §6.3 and the README's semantics).",
    fires: r#"policy "MFA for partner guests" {
  users { include external(b2b_guest, internal_guest) from outside_organization }
  apps  { include all }
  grant mfa
}"#,
    quiet: r#"policy "MFA for partner guests" {
  users { include external(b2b_guest) from outside_organization, external(internal_guest) from any }
  apps  { include all }
  grant mfa
}"#,
    fix: "target internal guests in a target of their own with `from any`, or drop \
`internal_guest` from a target meant for partners' users",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for policy in &ctx.pack.policies {
        for target in policy.users.include.iter().chain(&policy.users.exclude) {
            let UserTarget::External { types, origin } = &target.value else {
                continue;
            };
            if origin.value == Origin::Any {
                continue;
            }
            let Some(internal) = types
                .iter()
                .find(|t| t.value == ExternalType::InternalGuest)
            else {
                continue;
            };
            let only = types.len() == 1;
            out.push(
                RULE.finding(if only {
                    format!(
                        "`external(internal_guest)` with a home-tenant filter never matches anyone in policy `{}`",
                        policy.name.value
                    )
                } else {
                    format!(
                        "`internal_guest` never matches this target's home-tenant filter in policy `{}`",
                        policy.name.value
                    )
                })
                .at(internal.span)
                .label(origin.span, "internal guests have no partner home tenant")
                .help("give internal guests a target of their own with `from any`"),
            );
        }
    }
}

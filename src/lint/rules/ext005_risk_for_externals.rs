//! EXT005: risk conditions that apply to external users.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::facts::{external_can_meet, grant_met, is_mfa, EXTERNALLY_AUTHENTICATED};
use crate::lint::{Context, Rule};
use crate::model::{ExternalType, PolicyState};

pub static RULE: Rule = Rule {
    code: "EXT005",
    name: "risk_for_externals",
    severity: Severity::Info,
    summary: "a risk condition applies to external users, whose risk is not managed in this tenant",
    explanation: "An external user's user risk is computed by the home tenant: they do not appear \
in this tenant's risky-users report and cannot be remediated here, and a guest sent to change \
their password is blocked (§4.6). Sign-in risk is computed here at access time, but a sign-in \
risk policy requiring MFA blocks a guest who never registered MFA in this tenant when MFA from \
their tenant is not trusted (§4.6). The rule fires on a `user_risk` condition of a policy that \
reaches external users, and on a `sign_in_risk` condition whose grant needs MFA from some tenant \
whose MFA is not trusted.",
    fires: r#"policy "Risky users" {
  users      { include all }
  apps       { include all }
  conditions { user_risk = [high] }
  grant      all(mfa, password_change)
}"#,
    quiet: r#"policy "Risky users" {
  users      { include all  exclude guests_or_external }
  apps       { include all }
  conditions { user_risk = [high] }
  grant      all(mfa, password_change)
}"#,
    fix: "exclude `guests_or_external` from risk policies (Microsoft's advice, §4.6), or suppress \
the finding with the reason the policy should cover them",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for policy in &ctx.pack.policies {
        if policy.state.value == PolicyState::Off {
            continue;
        }
        let Some(reach) = ctx.facts.reaches_any(policy, &EXTERNALLY_AUTHENTICATED) else {
            continue;
        };
        if let Some(risk) = &policy.conditions.user_risk {
            out.push(
                RULE.finding(format!(
                    "policy `{}` has a `user_risk` condition that applies to external users, whose user risk is assessed by their home tenant",
                    policy.name.value
                ))
                .at(risk.span)
                .label(reach, "external users are included here")
                .help("exclude `guests_or_external`; their risk is remediated at home, not here"),
            );
        }
        let Some(risk) = &policy.conditions.sign_in_risk else {
            continue;
        };
        let Some(grant) = policy.grant.as_ref().filter(|g| !g.is_block()) else {
            continue;
        };
        let guests = [ExternalType::B2bGuest, ExternalType::B2bMember];
        let untrusted_mfa = ctx.facts.homes().iter().any(|home| {
            let trust = ctx.facts.trust(home);
            !trust.mfa
                && guests.iter().any(|ty| {
                    ctx.facts.reach(policy, *ty, home).is_some()
                        && !grant_met(grant, |c| !is_mfa(c) && external_can_meet(c, *ty, &trust))
                })
        });
        if untrusted_mfa {
            out.push(
                RULE.finding(format!(
                    "policy `{}` has a `sign_in_risk` condition that applies to external users: a guest who never registered MFA in this tenant is blocked by it",
                    policy.name.value
                ))
                .at(risk.span)
                .label(reach, "external users are included here")
                .help("trust MFA from partner tenants (`trust mfa`) or exclude `guests_or_external`"),
            );
        }
    }
}

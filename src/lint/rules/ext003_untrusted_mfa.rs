//! EXT003: MFA required of external users from tenants whose MFA is not trusted.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::facts::{and_list, control_span, external_can_meet, grant_met, is_mfa, is_on};
use crate::lint::{Context, Rule};
use crate::model::ExternalType;

pub static RULE: Rule = Rule {
    code: "EXT003",
    name: "untrusted_mfa",
    severity: Severity::Info,
    summary: "MFA is required of B2B collaboration users from tenants whose MFA is not trusted",
    explanation: "Without inbound MFA trust (`isMfaAccepted`, inherited from `default` when the \
partner does not set it) a B2B collaboration user performs MFA again in the resource tenant, \
registering methods there, even after doing MFA at home (§4.4, step 6; §4.2 for inheritance). \
That is allowed but costly for users of trusted partners, above all tenants of the same \
multi-tenant organisation (§5.4). The rule fires for enabled policies whose grant needs MFA from \
guests or members of such tenants, naming in-organization tenants first. Direct-connect users are \
blocked instead (`EXT007`); service-provider MFA is always trusted (§4.4).",
    fires: r#"cross_tenant fabrikam { inbound b2b_collaboration = allow }
policy "MFA for partners" {
  users { include external(b2b_guest, b2b_member) from tenants(fabrikam) }
  apps  { include all }
  grant mfa
}"#,
    quiet: r#"cross_tenant fabrikam { trust mfa }
policy "MFA for partners" {
  users { include external(b2b_guest, b2b_member) from tenants(fabrikam) }
  apps  { include all }
  grant mfa
}"#,
    fix: "add `trust mfa` to the `cross_tenant` block of partners whose MFA you accept (or to \
`default`), or suppress the finding with the reason MFA is repeated on purpose",
    check,
};

const COLLABORATION: [ExternalType; 2] = [ExternalType::B2bGuest, ExternalType::B2bMember];

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for policy in ctx.pack.policies.iter().filter(|p| is_on(p)) {
        let Some(grant) = &policy.grant else { continue };
        if grant.is_block() {
            continue;
        }
        let Some(mfa) = control_span(grant, is_mfa) else {
            continue;
        };
        let mut tenants = Vec::new();
        for home in ctx.facts.homes() {
            let trust = ctx.facts.trust(&home);
            if trust.mfa {
                continue;
            }
            // MFA is "needed" when the grant can be met with it and not without it.
            let needs_mfa = COLLABORATION.iter().any(|ty| {
                ctx.facts.reach(policy, *ty, &home).is_some()
                    && grant_met(grant, |c| external_can_meet(c, *ty, &trust))
                    && !grant_met(grant, |c| !is_mfa(c) && external_can_meet(c, *ty, &trust))
            });
            if needs_mfa {
                let mut label = home.label();
                if ctx.facts.in_organization(&home) {
                    label.push_str(" (in organization)");
                }
                tenants.push(label);
            }
        }
        if tenants.is_empty() {
            continue;
        }
        out.push(
            RULE.finding(format!(
                "policy `{}` requires MFA of external users from {}, whose MFA is not trusted: users who already did MFA at home are prompted again",
                policy.name.value,
                and_list(&tenants)
            ))
            .at(mfa)
            .help("add `trust mfa` to the `cross_tenant` block of the tenants whose MFA you accept"),
        );
    }
}

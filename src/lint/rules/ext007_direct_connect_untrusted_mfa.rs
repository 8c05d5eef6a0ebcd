//! EXT007: direct-connect users let in, then blocked by an MFA requirement they cannot meet.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::facts::{
    and_list, control_span, external_can_meet, grant_met, is_mfa, is_on, Trusted,
};
use crate::lint::{Context, Rule};
use crate::model::ExternalType;

pub static RULE: Rule = Rule {
    code: "EXT007",
    name: "direct_connect_untrusted_mfa",
    severity: Severity::Error,
    summary: "direct-connect users are allowed in but a policy requires MFA their tenant's settings do not trust",
    explanation: "B2B direct-connect users (Teams shared channels) have no user object in the \
resource tenant and cannot register MFA there: an MFA requirement is met only with inbound MFA \
trust for their home tenant, otherwise they are blocked (AADSTS90071) (§4.4, step 6 and support \
matrix). The rule fires when `inbound b2b_direct_connect` lets users of a tenant in (the \
partner's setting or `default`'s; the service default blocks, §4.2) and an enabled policy that \
applies to them needs MFA while MFA from that tenant is not trusted.",
    fires: r#"cross_tenant fabrikam { inbound b2b_direct_connect = allow }
policy "MFA for everyone" {
  users { include all }
  apps  { include all }
  grant mfa
}"#,
    quiet: r#"cross_tenant fabrikam { inbound b2b_direct_connect = allow  trust mfa }
policy "MFA for everyone" {
  users { include all }
  apps  { include all }
  grant mfa
}"#,
    fix: "add `trust mfa` to the `cross_tenant` block of each named tenant, or stop allowing \
`inbound b2b_direct_connect` from it",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let dc = ExternalType::DirectConnect;
    for policy in ctx.pack.policies.iter().filter(|p| is_on(p)) {
        let Some(grant) = policy.grant.as_ref().filter(|g| !g.is_block()) else {
            continue;
        };
        let Some(mfa) = control_span(grant, is_mfa) else {
            continue;
        };
        let mut tenants = Vec::new();
        let mut labels = Vec::new();
        for home in ctx.facts.homes() {
            let Some(inbound) = ctx.facts.direct_connect_inbound(&home) else {
                continue;
            };
            let trust = ctx.facts.trust(&home);
            if trust.mfa || ctx.facts.reach(policy, dc, &home).is_none() {
                continue;
            }
            let with_mfa = Trusted { mfa: true, ..trust };
            // Blocked because of MFA: the grant could be met if MFA were trusted.
            if grant_met(grant, |c| external_can_meet(c, dc, &with_mfa))
                && !grant_met(grant, |c| external_can_meet(c, dc, &trust))
            {
                tenants.push(home.label());
                if !labels.contains(&inbound.span) {
                    labels.push(inbound.span);
                }
            }
        }
        if tenants.is_empty() {
            continue;
        }
        let mut d = RULE
            .finding(format!(
                "policy `{}` requires MFA of direct-connect users from {}, whose MFA is not trusted: those users are blocked",
                policy.name.value,
                and_list(&tenants)
            ))
            .at(mfa);
        for span in labels {
            d = d.label(span, "direct-connect users are allowed in here");
        }
        out.push(d.help(
            "add `trust mfa` to the `cross_tenant` block of these tenants, or exclude `external(direct_connect)` from the policy",
        ));
    }
}

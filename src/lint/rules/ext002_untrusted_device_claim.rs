//! EXT002: device controls required of external users whose device claims are not trusted.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::facts::{
    and_list, control_span, external_can_meet, grant_met, Trusted, HOME_TENANT_TYPES,
};
use crate::lint::{Context, Rule};
use crate::model::{Control, PolicyState};

pub static RULE: Rule = Rule {
    code: "EXT002",
    name: "untrusted_device_claim",
    severity: Severity::Warning,
    summary: "a compliant or hybrid-joined device is required of external users whose tenant's device claims are not trusted",
    explanation: "The resource tenant cannot see or manage a guest's device. It accepts the home \
tenant's compliant-device or hybrid-joined claim only when its cross-tenant settings for that \
tenant (or `default`) trust it (`isCompliantDeviceAccepted`, `isHybridAzureADJoinedDeviceAccepted`); \
otherwise the requirement cannot be evaluated and the user is blocked (§4.4, step 6 and support \
matrix; §4.2 for inheritance from `default`). The rule fires when, for some home tenants, the \
grant cannot be met only because the device claim is not trusted, and names those tenants.",
    fires: r#"cross_tenant default { trust mfa }
policy "Compliant device for partners" {
  users { include external(b2b_member) from any }
  apps  { include sharepoint }
  grant all(mfa, compliant_device)
}"#,
    quiet: r#"cross_tenant default { trust mfa, compliant_device }
policy "Compliant device for partners" {
  users { include external(b2b_member) from any }
  apps  { include sharepoint }
  grant all(mfa, compliant_device)
}"#,
    fix: "add `trust compliant_device` (or `hybrid_joined`) to the `cross_tenant` block of the \
named tenants, or exclude their users from the policy",
    check,
};

fn is_device(c: &Control) -> bool {
    matches!(c, Control::CompliantDevice | Control::HybridJoined)
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for policy in &ctx.pack.policies {
        let Some(grant) = &policy.grant else { continue };
        if policy.state.value == PolicyState::Off || grant.is_block() {
            continue;
        }
        let Some(device) = control_span(grant, is_device) else {
            continue;
        };
        let mut tenants = Vec::new();
        let mut labels = Vec::new();
        let mut reach_span = None;
        for home in ctx.facts.homes() {
            let trust = ctx.facts.trust(&home);
            let trusted_devices = Trusted {
                compliant_device: true,
                hybrid_joined: true,
                ..trust
            };
            let blocked = HOME_TENANT_TYPES.iter().find_map(|ty| {
                let reach = ctx.facts.reach(policy, *ty, &home)?;
                let now = grant_met(grant, |c| external_can_meet(c, *ty, &trust));
                let with_trust = grant_met(grant, |c| external_can_meet(c, *ty, &trusted_devices));
                (!now && with_trust).then_some(reach)
            });
            if let Some(reach) = blocked {
                reach_span.get_or_insert(reach);
                tenants.push(home.label());
                if let Some(span) = trust.span {
                    if !labels.contains(&span) {
                        labels.push(span);
                    }
                }
            }
        }
        if tenants.is_empty() {
            continue;
        }
        let what =
            grant
                .controls
                .iter()
                .find(|c| is_device(&c.value))
                .map_or("a managed device", |c| match c.value {
                    Control::HybridJoined => "a hybrid-joined device",
                    _ => "a compliant device",
                });
        let mut d = RULE
            .finding(format!(
                "policy `{}` requires {what} of external users from {}, whose cross-tenant settings do not trust that device claim",
                policy.name.value,
                and_list(&tenants)
            ))
            .at(device);
        if let Some(reach) = reach_span {
            d = d.label(reach, "external users are included here");
        }
        for span in labels {
            d = d.label(span, "device claims are not trusted here");
        }
        out.push(d.help(format!(
            "trust the claim for these tenants (`trust compliant_device` or `trust hybrid_joined` in their `cross_tenant` block), or exclude their users from `{}`",
            policy.name.value
        )));
    }
}

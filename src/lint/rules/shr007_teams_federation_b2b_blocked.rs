//! SHR007: Teams external access allows a partner domain whose tenant the cross-tenant settings
//! block for B2B collaboration.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::facts::Home;
use crate::lint::{Context, Rule};
use crate::model::Access;

pub static RULE: Rule = Rule {
    code: "SHR007",
    name: "teams_federation_b2b_blocked",
    severity: Severity::Warning,
    summary: "Teams external access explicitly allows a domain whose tenant is blocked for inbound B2B collaboration and direct connect",
    explanation: "Teams external access (federation, `Set-CsTenantFederationConfiguration` \
`AllowedDomains`, §7.4) and the Entra cross-tenant access settings (§4.2) are separate: the \
first lets people of a domain find, chat with, call and meet our users with their own account, \
the second decides whether they may come in as B2B guests or reach shared channels. A partner \
written on the Teams allow list while its tenant (its own block, else the default) blocks \
inbound B2B collaboration for everyone, and has no inbound B2B direct connect either, is \
reachable in Teams chat but shut out of every other kind of collaboration: usually one of the \
settings was updated without the other (the platform's guidance on inter-tenant collaboration \
warns about settings that contradict each other for one partner). A partner kept to shared \
channels and federation, without guests, is a deliberate design and is not reported. Only \
explicit allow-list entries are checked: with open federation every domain is allowed without \
anyone having written it. The reverse (B2B allowed, Teams blocked) is a common and deliberate \
choice, and is not reported either.",
    fires: r#"tenant litware { domains = ["litware.com"] }
cross_tenant litware { inbound b2b_collaboration = block }
sharing {
  teams external_access allow ["litware.com"]
}"#,
    quiet: r#"tenant litware { domains = ["litware.com"] }
cross_tenant litware { inbound b2b_collaboration = allow }
sharing {
  teams external_access allow ["litware.com"]
}"#,
    fix: "remove the domain from the Teams allow list, or allow B2B collaboration from the tenant \
(in its `cross_tenant` block) if guests from it are expected",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for sharing in &ctx.pack.sharing {
        if sharing
            .teams_external_enabled
            .as_ref()
            .is_some_and(|e| !e.value)
        {
            continue;
        }
        let allowed = sharing
            .teams_external_domains
            .iter()
            .filter(|l| l.access.value == Access::Allow)
            .flat_map(|l| &l.domains);
        for domain in allowed {
            let Some(tenant) = ctx.facts.tenant_of_domain(&domain.value) else {
                continue;
            };
            let name = &tenant.name.value;
            let Some((rule, whose)) = ctx.facts.b2b_inbound_blocked(tenant) else {
                continue;
            };
            if ctx
                .facts
                .direct_connect_inbound(&Home::Tenant(tenant))
                .is_some()
            {
                continue;
            }
            out.push(
                RULE.finding(format!(
                    "Teams external access allows `{}`, but {whose} blocks inbound B2B collaboration from tenant `{name}`, and no setting lets it in through direct connect",
                    domain.value
                ))
                .at(domain.span)
                .label(rule.span, "B2B collaboration blocked here")
                .help("people of this domain can chat and meet in Teams but can neither be invited as guests nor reach shared channels: align the settings"),
            );
        }
    }
}

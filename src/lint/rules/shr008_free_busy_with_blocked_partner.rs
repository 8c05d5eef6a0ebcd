//! SHR008: an Exchange organization relationship or sharing policy shares calendars with a partner
//! whose tenant the cross-tenant settings shut out of B2B collaboration.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};
use crate::model::CalendarLevel;
use crate::source::Span;

pub static RULE: Rule = Rule {
    code: "SHR008",
    name: "free_busy_with_blocked_partner",
    severity: Severity::Warning,
    summary: "free/busy or calendars are shared with a domain whose tenant is blocked for inbound B2B collaboration",
    explanation: "Exchange Online shares calendars with other organizations by itself: an \
organization relationship (`Set-OrganizationRelationship`, `FreeBusyAccessEnabled`) lets the \
partner look up our users' free/busy, and a sharing policy entry for the partner's domain \
(`Set-SharingPolicy -Domains`) lets our users share their calendars with it (§7.7; Microsoft \
Learn, \"Sharing in Exchange Online\"). Neither looks at the Entra cross-tenant access settings \
(§4.2). A partner whose tenant (its own block, else the default) blocks inbound B2B \
collaboration for everyone is one the organization decided not to collaborate with, yet its \
people still see our calendars: the platform's guidance on inter-tenant collaboration warns about \
settings that contradict each other for one partner. Only relationships that share free/busy and \
policy entries that name the domain are checked (`*` entries are for everyone).",
    fires: r#"tenant litware { domains = ["litware.com"] }
cross_tenant litware { inbound b2b_collaboration = block }
sharing {
  exchange organization_relationship "Litware" {
    domains = ["litware.com"]  free_busy = on  free_busy_level = limited_details
  }
}"#,
    quiet: r#"tenant litware { domains = ["litware.com"] }
cross_tenant litware { inbound b2b_collaboration = allow }
sharing {
  exchange organization_relationship "Litware" {
    domains = ["litware.com"]  free_busy = on  free_busy_level = limited_details
  }
}"#,
    fix: "turn free/busy off in the relationship (`free_busy = off`) or remove the sharing policy \
entry, or allow B2B collaboration from the tenant if working with it is intended",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for sharing in &ctx.pack.sharing {
        let x = &sharing.exchange;
        for r in &x.relationships {
            let shares = r.enabled.as_ref().is_none_or(|e| e.value)
                && r.free_busy.as_ref().is_some_and(|f| f.value)
                && r.free_busy_level
                    .as_ref()
                    .is_some_and(|l| l.value.calendar() > CalendarLevel::None);
            if !shares {
                continue;
            }
            for d in &r.domains {
                let what = format!(
                    "organization relationship `{}` shares free/busy with",
                    r.name.value
                );
                report(ctx, &d.value, d.span, &what, out);
            }
        }
        for p in x.sharing_policies.iter().filter(|p| p.is_enabled()) {
            for e in &p.entries {
                if e.calendar() == CalendarLevel::None || e.domain.value == "*" {
                    continue;
                }
                let what = format!(
                    "sharing policy `{}` lets users share calendars with",
                    p.name.value
                );
                report(ctx, &e.domain.value, e.domain.span, &what, out);
            }
        }
    }
}

fn report(ctx: &Context<'_>, domain: &str, at: Span, what: &str, out: &mut Vec<Diagnostic>) {
    let Some(tenant) = ctx.facts.tenant_of_domain(domain) else {
        return;
    };
    let Some((rule, whose)) = ctx.facts.b2b_inbound_blocked(tenant) else {
        return;
    };
    out.push(
        RULE.finding(format!(
            "{what} `{domain}`, but {whose} blocks inbound B2B collaboration from tenant `{}`",
            tenant.name.value
        ))
        .at(at)
        .label(rule.span, "B2B collaboration blocked here")
        .help("people the organization does not collaborate with still see our calendars: align the settings"),
    );
}

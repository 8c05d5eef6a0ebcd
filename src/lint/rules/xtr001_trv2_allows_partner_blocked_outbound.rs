//! XTR001: tenant restrictions let our users sign in with accounts a partner issued, while our
//! outbound B2B collaboration to that partner is blocked for everyone.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::facts::{allows_some, own_or_default};
use crate::lint::{Context, Rule};
use crate::model::{B2bKind, Direction};

pub static RULE: Rule = Rule {
    code: "XTR001",
    name: "trv2_allows_partner_blocked_outbound",
    severity: Severity::Warning,
    summary: "tenant restrictions allow a partner's accounts while outbound B2B collaboration to that partner is blocked",
    explanation: "Outbound B2B settings govern our users' own accounts going to another tenant; \
tenant restrictions v2 govern accounts *another tenant issued* used on our networks and devices, \
and the two do not affect each other (Microsoft Learn, \"Set up tenant restrictions v2\", \
https://learn.microsoft.com/entra/external-id/tenant-restrictions-v2, \"Tenant restrictions vs. \
inbound and outbound settings\"). A partner block whose \
`tenant_restrictions` admits the partner's accounts while outbound B2B collaboration to it \
(its own setting, or the default it inherits) is blocked for everyone leaves our people one way \
to work there: with accounts the partner gave them, which our Conditional Access, sign-in logs \
and offboarding do not reach. The documentation recommends the reverse: block external accounts \
with tenant restrictions and collaborate with B2B (\"Tenant restrictions vs. B2B \
collaboration\"). One of the two settings is usually a leftover.",
    fires: r#"tenant fabrikam { }
cross_tenant default { outbound b2b_collaboration = block }
cross_tenant fabrikam { tenant_restrictions = allow }"#,
    quiet: r#"tenant fabrikam { }
cross_tenant default { outbound b2b_collaboration = block }
cross_tenant fabrikam { outbound b2b_collaboration = allow  tenant_restrictions = block }"#,
    fix: "allow outbound B2B collaboration to the partner and block its accounts with tenant \
restrictions, or drop the tenant restrictions exception",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for block in &ctx.pack.cross_tenant {
        let (Some(name), Some(tr)) = (block.tenant_name(), &block.tenant_restrictions) else {
            continue;
        };
        if !allows_some(&tr.setting) {
            continue;
        }
        // No setting anywhere: the service default allows every user out.
        let found = own_or_default(
            ctx.facts.default,
            block,
            name,
            Direction::Outbound,
            B2bKind::B2bCollaboration,
        );
        let Some((rule, whose)) = found else {
            continue;
        };
        if allows_some(&rule.setting) {
            continue;
        }
        out.push(
            RULE.finding(format!(
                "accounts issued by `{name}` are allowed by tenant restrictions, but {whose} blocks outbound B2B collaboration to it for every user"
            ))
            .at(tr.span)
            .label(rule.span, "outbound B2B collaboration blocked here")
            .help("collaborate with our own accounts (allow outbound B2B) and block the partner's accounts, or remove the exception"),
        );
    }
}

//! SHR010: automatic forwarding is allowed to every domain, or to a partner whose tenant the
//! cross-tenant settings shut out.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};

pub static RULE: Rule = Rule {
    code: "SHR010",
    name: "auto_forward_to_external",
    severity: Severity::Warning,
    summary: "a remote domain allows automatic forwarding to every domain, or to a partner blocked for B2B collaboration",
    explanation: "A remote domain's `AutoForwardEnabled` lets messages that our users' rules \
forward automatically leave for that domain (`Set-RemoteDomain`, \
https://learn.microsoft.com/powershell/module/exchange/set-remotedomain). On the remote domain `*` it \
means every domain on the internet; Microsoft's guidance on external email forwarding (\"Configuring \
and controlling external email forwarding in Microsoft 365\", \
https://learn.microsoft.com/defender-office-365/outbound-spam-policies-external-email-forwarding) treats automatic external \
forwarding as a data exfiltration path to be kept off or limited to known domains. A remote \
domain for a partner whose tenant (its own block, else the default) blocks inbound B2B \
collaboration allows forwarding to an organization the tenant decided not to collaborate with. \
Only an explicit `auto_forward = on` is reported: the outbound spam filter policy, which accord \
does not model, blocks external forwarding by default.",
    fires: r#"sharing {
  exchange remote_domain "Default" { domain = "*"  auto_forward = on }
}"#,
    quiet: r#"sharing {
  exchange remote_domain "Default" { domain = "*"  auto_forward = off }
}"#,
    fix: "set `auto_forward = off` on the remote domain, and allow forwarding only to the partner \
domains that need it (a remote domain each)",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let remote = ctx
        .pack
        .sharing
        .iter()
        .flat_map(|s| &s.exchange.remote_domains);
    for r in remote {
        let Some(on) = r.auto_forward.as_ref().filter(|a| a.value) else {
            continue;
        };
        let domain = r.domain_name();
        if domain == "*" {
            out.push(
                RULE.finding(format!(
                    "remote domain `{}` (`*`) allows automatic forwarding to every domain",
                    r.name.value
                ))
                .at(on.span)
                .help("automatic forwarding to any address outside is a data exfiltration path: turn it off here and allow it per partner domain"),
            );
            continue;
        }
        let Some(tenant) = ctx.facts.tenant_of_domain(domain) else {
            continue;
        };
        let Some((rule, whose)) = ctx.facts.b2b_inbound_blocked(tenant) else {
            continue;
        };
        out.push(
            RULE.finding(format!(
                "remote domain `{}` allows automatic forwarding to `{domain}`, but {whose} blocks inbound B2B collaboration from tenant `{}`",
                r.name.value, tenant.name.value
            ))
            .at(on.span)
            .label(rule.span, "B2B collaboration blocked here")
            .help("mail leaves automatically for an organization the tenant does not collaborate with: align the settings"),
        );
    }
}

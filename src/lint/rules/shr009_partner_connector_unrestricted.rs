//! SHR009: an inbound partner connector that does not require TLS, or does not tie the partner's
//! domains to its addresses or certificate.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};
use crate::model::exchange::ConnectorType;

pub static RULE: Rule = Rule {
    code: "SHR009",
    name: "partner_connector_unrestricted",
    severity: Severity::Warning,
    summary: "an inbound partner connector does not require TLS, or accepts the partner's domains from any server",
    explanation: "A partner connector exists to hold mail from a partner to stricter rules than \
internet mail (Microsoft Learn, \"Set up connectors for secure mail flow with a partner \
organization\", \
https://learn.microsoft.com/exchange/mail-flow-best-practices/use-connectors-to-configure-mail-flow/set-up-connectors-for-secure-mail-flow-with-a-partner): \
encryption (`RequireTls`), and the proof that a message claiming the partner's \
domain comes from the partner's servers, by address (`RestrictDomainsToIPAddresses` with \
`SenderIPAddresses`) or by certificate (`RestrictDomainsToCertificate` with \
`TlsSenderCertificateName`) (`Set-InboundConnector`, \
https://learn.microsoft.com/powershell/module/exchange/set-inboundconnector). A connector with `RequireTls` off lets the \
partner's mail in without encryption; one that restricts neither addresses nor certificate lets \
anyone send as the partner through it. Disabled and on-premises connectors are not checked.",
    fires: r#"sharing {
  exchange inbound_connector "From Fabrikam" {
    sender_domains = ["fabrikam.com"]
    require_tls = off
  }
}"#,
    quiet: r#"sharing {
  exchange inbound_connector "From Fabrikam" {
    sender_domains = ["fabrikam.com"]
    sender_ips = ["203.0.113.0/27"]
    restrict_to_ips = on
  }
}"#,
    fix: "set `require_tls = on`, and `restrict_to_ips = on` with the partner's `sender_ips` (or \
`restrict_to_certificate = on` with its `certificate`)",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let connectors = ctx
        .pack
        .sharing
        .iter()
        .flat_map(|s| &s.exchange.inbound_connectors);
    for c in connectors {
        let enabled = c.enabled.as_ref().is_none_or(|e| e.value);
        let partner = c
            .kind
            .as_ref()
            .is_none_or(|k| k.value == ConnectorType::Partner);
        if !enabled || !partner {
            continue;
        }
        let name = &c.name.value;
        if let Some(tls) = c.require_tls.as_ref().filter(|t| !t.value) {
            out.push(
                RULE.finding(format!("inbound connector `{name}` does not require TLS"))
                    .at(tls.span)
                    .help("the partner's mail can arrive unencrypted: set `require_tls = on`"),
            );
        }
        let by_ip = c.restrict_to_ips.as_ref().is_some_and(|r| r.value);
        let by_cert = c.restrict_to_certificate.as_ref().is_some_and(|r| r.value);
        if !by_ip && !by_cert {
            out.push(
                RULE.finding(format!(
                    "inbound connector `{name}` accepts its sender domains from any server"
                ))
                .at(c.name.span)
                .help("restrict the domains to the partner's addresses (`restrict_to_ips = on`) or certificate (`restrict_to_certificate = on`)"),
            );
        }
    }
}

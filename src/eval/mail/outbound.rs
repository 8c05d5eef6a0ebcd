//! Outbound mail: the remote domain (automatic replies and forwards), then the partner outbound
//! connector that covers the recipient's domain, its route and its TLS settings.

use super::{best_cover, certificate_matches, usable, MailOutcome, MailRule, Trace};
use crate::model::exchange::{
    domain_pattern_covers, domain_pattern_rank, OutboundConnector, OutboundTls, RemoteDomain,
};
use crate::model::mail::MailRequest;
use crate::model::Pack;

/// The remote domain that covers a domain: the most specific, else the platform's `Default` (`*`).
fn remote_domain<'a>(pack: &'a Pack, domain: &str) -> Option<&'a RemoteDomain> {
    pack.sharing
        .iter()
        .flat_map(|s| &s.exchange.remote_domains)
        .filter(|r| domain_pattern_covers(r.domain_name(), domain))
        .fold(None, |best: Option<&RemoteDomain>, r| match best {
            Some(b)
                if domain_pattern_rank(b.domain_name()) >= domain_pattern_rank(r.domain_name()) =>
            {
                Some(b)
            }
            _ => Some(r),
        })
}

pub(super) fn outbound(pack: &Pack, req: &MailRequest, trace: &mut Trace) {
    if req.ip.is_some() {
        trace.decide(
            MailRule::RequestInvalid,
            MailOutcome::Rejected,
            "`ip` is the address of a server sending to us: it applies to inbound messages only"
                .to_string(),
            None,
        );
        return;
    }
    let domain = req.domain.trim();
    if req.auto_forward || req.auto_reply {
        let remote = remote_domain(pack, domain);
        let label = remote.map_or(
            "the default remote domain `*` (not declared)".to_string(),
            |r| format!("remote domain `{}` (`{}`)", r.name.value, r.domain_name()),
        );
        let checks = [
            (
                req.auto_forward,
                MailRule::AutoForward,
                "auto_forward",
                remote.and_then(|r| r.auto_forward.as_ref()),
                "automatically forwarded",
            ),
            (
                req.auto_reply,
                MailRule::AutoReply,
                "auto_reply",
                remote.and_then(|r| r.auto_reply.as_ref()),
                "automatic replies",
            ),
        ];
        for (asked, rule, key, setting, what) in checks {
            if !asked {
                continue;
            }
            if setting.is_some_and(|s| !s.value) {
                trace.decide(
                    rule,
                    MailOutcome::Blocked,
                    format!(
                        "{label} has `{key} = off`: {what} messages to `{domain}` are not sent"
                    ),
                    setting.map(|s| s.span),
                );
                return;
            }
            trace.note(
                rule,
                format!(
                    "{label} allows {what} messages (`{key}` {})",
                    if setting.is_some() {
                        "on"
                    } else {
                        "not set: on by default"
                    }
                ),
                setting.map(|s| s.span),
            );
        }
        if req.auto_forward {
            trace.decide(
                MailRule::ExternalForwarding,
                MailOutcome::Blocked,
                "the outbound spam filter policy blocks automatic forwarding to external recipients by default, and accord does not model that policy: answered blocked (fail closed)".to_string(),
                None,
            );
            return;
        }
    }
    let mut best: Option<((u8, usize), &OutboundConnector)> = None;
    for c in pack
        .sharing
        .iter()
        .flat_map(|s| &s.exchange.outbound_connectors)
    {
        let Some(rank) = best_cover(c.recipient_domains.iter().map(|d| d.value.as_str()), domain)
        else {
            continue;
        };
        if !usable(&c.name.value, &c.enabled, &c.kind, c.span, trace) {
            continue;
        }
        if best.as_ref().is_none_or(|(k, _)| rank > *k) {
            best = Some((rank, c));
        }
    }
    let delivered = if req.tls {
        MailOutcome::Delivered
    } else {
        MailOutcome::DeliveredWithoutTls
    };
    let tls = if req.tls {
        "over TLS"
    } else {
        "without TLS (the server does not offer it)"
    };
    let Some((_, c)) = best else {
        trace.decide(
            MailRule::DefaultRoute,
            delivered,
            format!("no partner connector covers `{domain}`: the message goes to the domain's MX records with opportunistic TLS, {tls}"),
            None,
        );
        return;
    };
    let name = &c.name.value;
    trace.connector = Some(name.clone());
    trace.route = c.smart_hosts.iter().map(|h| h.value.clone()).collect();
    let via = if c.smart_hosts.is_empty() {
        "the domain's MX records".to_string()
    } else {
        let hosts: Vec<String> = c
            .smart_hosts
            .iter()
            .map(|h| format!("`{}`", h.value))
            .collect();
        format!("smart host {}", hosts.join(", "))
    };
    trace.note(
        MailRule::OutboundConnector,
        format!("outbound connector `{name}` covers `{domain}` and sends through {via}"),
        Some(c.name.span),
    );
    let Some(setting) = &c.tls else {
        trace.decide(
            MailRule::OutboundConnector,
            delivered,
            format!("outbound connector `{name}` sends to `{domain}` through {via} with opportunistic TLS (no `tls` setting), {tls}"),
            Some(c.name.span),
        );
        return;
    };
    let level = setting.value;
    if !req.tls {
        trace.decide(
            MailRule::TlsRequired,
            MailOutcome::Rejected,
            format!("outbound connector `{name}` requires TLS (`tls = {}`) and the server does not offer it: the message is returned to the sender", level.name()),
            Some(setting.span),
        );
        return;
    }
    if level >= OutboundTls::CertificateValidation && req.certificate.is_none() {
        trace.decide(
            MailRule::CertificateValidation,
            MailOutcome::Rejected,
            format!("outbound connector `{name}` requires a trusted certificate (`tls = {}`) and the request gives none", level.name()),
            Some(setting.span),
        );
        return;
    }
    if level == OutboundTls::DomainValidation {
        let presented = req.certificate.as_deref().unwrap_or("");
        let problem = match &c.tls_domain {
            None => Some("the connector names no `tls_domain` to check it against".to_string()),
            Some(want) if !certificate_matches(&want.value, presented) => Some(format!(
                "the certificate `{presented}` is not `{}`",
                want.value
            )),
            Some(_) => None,
        };
        if let Some(problem) = problem {
            trace.decide(
                MailRule::DomainValidation,
                MailOutcome::Rejected,
                format!("outbound connector `{name}` validates the certificate's domain: {problem}; the message is returned to the sender"),
                c.tls_domain.as_ref().map(|d| d.span).or(Some(setting.span)),
            );
            return;
        }
    }
    trace.decide(
        MailRule::OutboundConnector,
        MailOutcome::Delivered,
        format!("outbound connector `{name}` delivers to `{domain}` through {via} over TLS (`tls = {}`)", level.name()),
        Some(setting.span),
    );
}

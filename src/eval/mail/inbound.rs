//! Inbound mail: the partner inbound connector that covers the sender's domain, and its
//! restrictions (TLS, addresses, certificate).

use super::{best_cover, certificate_matches, on, usable, MailOutcome, MailRule, Trace};
use crate::model::exchange::{sender_ip_range, InboundConnector};
use crate::model::mail::MailRequest;
use crate::model::Pack;

fn inbound_connectors(pack: &Pack) -> impl Iterator<Item = &InboundConnector> {
    pack.sharing
        .iter()
        .flat_map(|s| &s.exchange.inbound_connectors)
}

/// How well an inbound connector fits a message: certificate match, address match, then the
/// specificity of the sender domain that covers it.
type InboundRank = (bool, bool, (u8, usize));

pub(super) fn inbound(pack: &Pack, req: &MailRequest, trace: &mut Trace) {
    if req.auto_forward || req.auto_reply {
        let key = if req.auto_forward {
            "auto_forward"
        } else {
            "auto_reply"
        };
        trace.decide(
            MailRule::RequestInvalid,
            MailOutcome::Rejected,
            format!("`{key}` applies to outbound messages only"),
            None,
        );
        return;
    }
    let domain = req.domain.trim();
    let mut best: Option<(InboundRank, &InboundConnector)> = None;
    for c in inbound_connectors(pack) {
        let patterns: Vec<&str> = if c.sender_domains.is_empty() {
            vec!["*"]
        } else {
            c.sender_domains.iter().map(|d| d.value.as_str()).collect()
        };
        let Some(rank) = best_cover(patterns, domain) else {
            continue;
        };
        if !usable(&c.name.value, &c.enabled, &c.kind, c.span, trace) {
            continue;
        }
        let by_cert = match (&c.certificate, &req.certificate) {
            (Some(want), Some(got)) => req.tls && certificate_matches(&want.value, got),
            _ => false,
        };
        let by_ip = req.ip.is_some_and(|ip| {
            c.sender_ips
                .iter()
                .filter_map(|r| sender_ip_range(&r.value))
                .any(|r| r.contains(&ip))
        });
        let key = (by_cert, by_ip, rank);
        if best.as_ref().is_none_or(|(k, _)| key > *k) {
            best = Some((key, c));
        }
    }
    let tls = if req.tls { "over TLS" } else { "without TLS" };
    let accepted = if req.tls {
        MailOutcome::Accepted
    } else {
        MailOutcome::AcceptedWithoutTls
    };
    let Some((_, c)) = best else {
        trace.decide(
            MailRule::DefaultRoute,
            accepted,
            format!("no partner connector covers `{domain}`: the message is accepted like any internet mail, {tls} (connectors are optional)"),
            None,
        );
        return;
    };
    let name = &c.name.value;
    trace.connector = Some(name.clone());
    trace.note(
        MailRule::InboundConnector,
        format!("inbound connector `{name}` covers `{domain}`"),
        Some(c.name.span),
    );
    if on(&c.require_tls, true) && !req.tls {
        let whence = if c.require_tls.is_some() {
            "`require_tls = on`"
        } else {
            "`require_tls` (not set: on by default)"
        };
        trace.decide(
            MailRule::RequireTls,
            MailOutcome::Rejected,
            format!("inbound connector `{name}` requires TLS ({whence}) and the message is not sent over TLS"),
            c.require_tls.as_ref().map(|r| r.span).or(Some(c.name.span)),
        );
        return;
    }
    if on(&c.restrict_to_ips, false) {
        let at = c.restrict_to_ips.as_ref().map(|r| r.span);
        let inside = req.ip.is_some_and(|ip| {
            c.sender_ips
                .iter()
                .filter_map(|r| sender_ip_range(&r.value))
                .any(|r| r.contains(&ip))
        });
        match req.ip {
            None => {
                trace.decide(
                    MailRule::RestrictToIps,
                    MailOutcome::Rejected,
                    format!("inbound connector `{name}` accepts `{domain}` only from its sender addresses, and the request gives no `ip`"),
                    at,
                );
                return;
            }
            Some(ip) if !inside => {
                trace.decide(
                    MailRule::RestrictToIps,
                    MailOutcome::Rejected,
                    format!("inbound connector `{name}` accepts `{domain}` only from its sender addresses, and `{ip}` is not one of them"),
                    at,
                );
                return;
            }
            Some(ip) => trace.note(
                MailRule::RestrictToIps,
                format!("`{ip}` is one of the connector's sender addresses"),
                at,
            ),
        }
    }
    if on(&c.restrict_to_certificate, false) {
        let at = c.restrict_to_certificate.as_ref().map(|r| r.span);
        let problem = match (&c.certificate, &req.certificate) {
            (None, _) => Some("the connector names no certificate (`certificate`)".to_string()),
            (_, _) if !req.tls => Some("the message is not sent over TLS".to_string()),
            (Some(want), None) => Some(format!(
                "the request gives no certificate, and `{}` is required",
                want.value
            )),
            (Some(want), Some(got)) if !certificate_matches(&want.value, got) => {
                Some(format!("the certificate `{got}` is not `{}`", want.value))
            }
            _ => None,
        };
        if let Some(problem) = problem {
            trace.decide(
                MailRule::RestrictToCertificate,
                MailOutcome::Rejected,
                format!("inbound connector `{name}` accepts `{domain}` only from its certificate: {problem}"),
                at,
            );
            return;
        }
    }
    trace.decide(
        MailRule::InboundConnector,
        accepted,
        format!("inbound connector `{name}` accepts the message from `{domain}`, {tls}"),
        Some(c.name.span),
    );
}

//! Mail flow with partners (issue 12, part 1): which connector handles a message between us and a
//! partner domain, and whether it is accepted, rejected, delivered without TLS or blocked.
//!
//! Sources (Microsoft Learn):
//! - "Set up connectors for secure mail flow with a partner organization": connectors are optional,
//!   mail flows without them; a message that does not meet a connector's restrictions is rejected.
//! - `Set-InboundConnector`: `SenderDomains` (`*.x` covers a domain and its subdomains),
//!   `RequireTls` (default `$true`: reject messages not sent over TLS),
//!   `RestrictDomainsToIPAddresses` (reject mail from the sender domains that comes from another
//!   address), `RestrictDomainsToCertificate` (only a source whose certificate subject is
//!   `TlsSenderCertificateName` may use the connector).
//! - `Set-OutboundConnector`: `RecipientDomains`, `SmartHosts` / `UseMXRecord`, `TlsSettings`
//!   (`EncryptionOnly`, `CertificateValidation`, `DomainValidation` with `TlsDomain`); without
//!   `TlsSettings`, TLS is opportunistic.
//! - `Set-RemoteDomain`: `AutoForwardEnabled`, `AutoReplyEnabled` (both `$true` by default).
//! - "Configuring and controlling external email forwarding in Microsoft 365": the outbound spam
//!   filter policy blocks automatic external forwarding by default; accord does not model that
//!   policy, so an auto-forwarded message the remote domain allows is still answered `blocked`
//!   (fail closed).
//!
//! Where the documentation is silent, accord decides (README, semantics): among connectors that
//! cover a message, one whose certificate name matches the request's certificate wins, then one
//! whose sender addresses hold the request's address, then the most specific domain (exact, then
//! the longest `*.x`, then `*`), then the first in the pack. A connector with no domains covers
//! every domain (inbound) or none (outbound: it is used by transport rules, not modelled).
//!
//! As for share requests, the answer is read from a trace of steps: the first step with an outcome
//! decides, and a trace without one rejects (fail closed).

use std::fmt;

use serde::{Serialize, Serializer};

use crate::model::exchange::{
    domain_pattern_covers, domain_pattern_rank, sender_ip_range, ConnectorType, InboundConnector,
    OutboundConnector, OutboundTls, RemoteDomain,
};
use crate::model::mail::{MailDirection, MailRequest};
use crate::model::Pack;
use crate::source::Span;
use crate::validate::Validated;

/// What happens to the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MailOutcome {
    /// Inbound, over TLS.
    Accepted,
    /// Inbound, without TLS.
    AcceptedWithoutTls,
    /// Outbound, over TLS.
    Delivered,
    /// Outbound, without TLS.
    DeliveredWithoutTls,
    /// Refused by a connector's restriction (inbound), or returned to the sender (outbound).
    Rejected,
    /// Not sent: automatic forwarding or replies to the domain are off.
    Blocked,
}

impl MailOutcome {
    pub const ALL: [MailOutcome; 6] = [
        MailOutcome::Accepted,
        MailOutcome::AcceptedWithoutTls,
        MailOutcome::Delivered,
        MailOutcome::DeliveredWithoutTls,
        MailOutcome::Rejected,
        MailOutcome::Blocked,
    ];

    pub fn name(self) -> &'static str {
        match self {
            MailOutcome::Accepted => "accepted",
            MailOutcome::AcceptedWithoutTls => "accepted_without_tls",
            MailOutcome::Delivered => "delivered",
            MailOutcome::DeliveredWithoutTls => "delivered_without_tls",
            MailOutcome::Rejected => "rejected",
            MailOutcome::Blocked => "blocked",
        }
    }

    pub fn from_name(name: &str) -> Option<MailOutcome> {
        Self::ALL.into_iter().find(|o| o.name() == name)
    }
}

/// The rule that decided (or was checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MailRule {
    RequestInvalid,
    /// No connector covers the message: ordinary internet mail.
    DefaultRoute,
    InboundConnector,
    OutboundConnector,
    /// A connector that covers the domain but is off, or not a partner connector.
    ConnectorSkipped,
    RequireTls,
    RestrictToIps,
    RestrictToCertificate,
    /// An outbound connector with `TlsSettings` and a server without TLS.
    TlsRequired,
    CertificateValidation,
    DomainValidation,
    AutoForward,
    AutoReply,
    /// The outbound spam filter policy's external forwarding control (not modelled).
    ExternalForwarding,
    Undecided,
}

impl MailRule {
    pub const ALL: [MailRule; 15] = [
        MailRule::RequestInvalid,
        MailRule::DefaultRoute,
        MailRule::InboundConnector,
        MailRule::OutboundConnector,
        MailRule::ConnectorSkipped,
        MailRule::RequireTls,
        MailRule::RestrictToIps,
        MailRule::RestrictToCertificate,
        MailRule::TlsRequired,
        MailRule::CertificateValidation,
        MailRule::DomainValidation,
        MailRule::AutoForward,
        MailRule::AutoReply,
        MailRule::ExternalForwarding,
        MailRule::Undecided,
    ];

    pub fn id(self) -> &'static str {
        match self {
            MailRule::RequestInvalid => "request_invalid",
            MailRule::DefaultRoute => "default_route",
            MailRule::InboundConnector => "inbound_connector",
            MailRule::OutboundConnector => "outbound_connector",
            MailRule::ConnectorSkipped => "connector_skipped",
            MailRule::RequireTls => "require_tls",
            MailRule::RestrictToIps => "restrict_to_ips",
            MailRule::RestrictToCertificate => "restrict_to_certificate",
            MailRule::TlsRequired => "tls_required",
            MailRule::CertificateValidation => "certificate_validation",
            MailRule::DomainValidation => "domain_validation",
            MailRule::AutoForward => "auto_forward",
            MailRule::AutoReply => "auto_reply",
            MailRule::ExternalForwarding => "external_forwarding",
            MailRule::Undecided => "undecided",
        }
    }

    pub fn from_id(id: &str) -> Option<MailRule> {
        Self::ALL.into_iter().find(|r| r.id() == id)
    }
}

impl fmt::Display for MailRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for MailRule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// One step of the evaluation: a fact (`outcome` none) or the step that decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MailStep {
    pub rule: MailRule,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<MailOutcome>,
    pub reason: String,
    #[serde(skip)]
    pub at: Option<Span>,
}

/// The answer to a `mail:` request.
///
/// Serializes as `{"outcome", "rule", "reason", "connector", "route", "steps"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MailDecision {
    pub outcome: MailOutcome,
    pub rule: MailRule,
    pub reason: String,
    /// The connector that handled the message, if one did.
    pub connector: Option<String>,
    /// Outbound: the smart hosts the message goes to; empty for the domain's MX records.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub route: Vec<String>,
    pub steps: Vec<MailStep>,
}

impl fmt::Display for MailDecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}",
            self.outcome.name().to_ascii_uppercase(),
            self.reason
        )
    }
}

#[derive(Default)]
struct Trace {
    steps: Vec<MailStep>,
    connector: Option<String>,
    route: Vec<String>,
}

impl Trace {
    fn note(&mut self, rule: MailRule, reason: String, at: Option<Span>) {
        self.steps.push(MailStep {
            rule,
            outcome: None,
            reason,
            at,
        });
    }

    fn decide(&mut self, rule: MailRule, outcome: MailOutcome, reason: String, at: Option<Span>) {
        self.steps.push(MailStep {
            rule,
            outcome: Some(outcome),
            reason,
            at,
        });
    }

    /// The first step with an outcome decides; none rejects.
    fn conclude(self) -> MailDecision {
        let decided = self.steps.iter().find(|s| s.outcome.is_some());
        let (outcome, rule, reason) = match decided {
            Some(s) => (
                s.outcome.unwrap_or(MailOutcome::Rejected),
                s.rule,
                s.reason.clone(),
            ),
            None => (
                MailOutcome::Rejected,
                MailRule::Undecided,
                "no rule decides this message, so it is answered rejected".to_string(),
            ),
        };
        MailDecision {
            outcome,
            rule,
            reason,
            connector: self.connector,
            route: self.route,
            steps: self.steps,
        }
    }
}

/// Decides a mail request against a validated pack.
pub fn decide_mail(pack: &Validated, req: &MailRequest) -> MailDecision {
    let pack = pack.pack();
    let mut trace = Trace::default();
    match req.direction {
        MailDirection::Inbound => inbound(pack, req, &mut trace),
        MailDirection::Outbound => outbound(pack, req, &mut trace),
    }
    trace.conclude()
}

fn inbound_connectors(pack: &Pack) -> impl Iterator<Item = &InboundConnector> {
    pack.sharing
        .iter()
        .flat_map(|s| &s.exchange.inbound_connectors)
}

fn on(v: &Option<crate::model::Spanned<bool>>, default: bool) -> bool {
    v.as_ref().map_or(default, |v| v.value)
}

/// A certificate name against a connector's (`*.x` covers the domain and its subdomains).
fn certificate_matches(pattern: &str, presented: &str) -> bool {
    pattern.trim() != "*" && domain_pattern_covers(pattern, presented.trim())
}

/// The most specific pattern of a list that covers the domain.
fn best_cover<'a>(
    patterns: impl IntoIterator<Item = &'a str>,
    domain: &str,
) -> Option<(u8, usize)> {
    patterns
        .into_iter()
        .filter(|p| domain_pattern_covers(p, domain))
        .map(domain_pattern_rank)
        .max()
}

/// Skips connectors that are off or not partner connectors, noting them.
fn usable(
    name: &str,
    enabled: &Option<crate::model::Spanned<bool>>,
    kind: &Option<crate::model::Spanned<ConnectorType>>,
    span: Span,
    trace: &mut Trace,
) -> bool {
    if !on(enabled, true) {
        trace.note(
            MailRule::ConnectorSkipped,
            format!("connector `{name}` covers the domain but is disabled"),
            enabled.as_ref().map(|e| e.span).or(Some(span)),
        );
        return false;
    }
    if kind
        .as_ref()
        .is_some_and(|k| k.value == ConnectorType::OnPremises)
    {
        trace.note(
            MailRule::ConnectorSkipped,
            format!("connector `{name}` is an on-premises connector, not a partner connector (not modelled)"),
            kind.as_ref().map(|k| k.span),
        );
        return false;
    }
    true
}

/// How well an inbound connector fits a message: certificate match, address match, then the
/// specificity of the sender domain that covers it.
type InboundRank = (bool, bool, (u8, usize));

fn inbound(pack: &Pack, req: &MailRequest, trace: &mut Trace) {
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

fn outbound(pack: &Pack, req: &MailRequest, trace: &mut Trace) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_and_outcomes_round_trip() {
        for r in MailRule::ALL {
            assert_eq!(MailRule::from_id(r.id()), Some(r));
        }
        for o in MailOutcome::ALL {
            assert_eq!(MailOutcome::from_name(o.name()), Some(o));
        }
    }

    #[test]
    fn an_empty_trace_rejects() {
        let d = Trace::default().conclude();
        assert_eq!(d.outcome, MailOutcome::Rejected);
        assert_eq!(d.rule, MailRule::Undecided);
    }
}

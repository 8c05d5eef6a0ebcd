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

mod inbound;
mod outbound;

use std::fmt;

use serde::{Serialize, Serializer};

use crate::model::exchange::{domain_pattern_covers, domain_pattern_rank, ConnectorType};
use crate::model::mail::{MailDirection, MailRequest};
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
pub(super) struct Trace {
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
        MailDirection::Inbound => inbound::inbound(pack, req, &mut trace),
        MailDirection::Outbound => outbound::outbound(pack, req, &mut trace),
    }
    trace.conclude()
}

pub(super) fn on(v: &Option<crate::model::Spanned<bool>>, default: bool) -> bool {
    v.as_ref().map_or(default, |v| v.value)
}

/// A certificate name against a connector's (`*.x` covers the domain and its subdomains).
pub(super) fn certificate_matches(pattern: &str, presented: &str) -> bool {
    pattern.trim() != "*" && domain_pattern_covers(pattern, presented.trim())
}

/// The most specific pattern of a list that covers the domain.
pub(super) fn best_cover<'a>(
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
pub(super) fn usable(
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

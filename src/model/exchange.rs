//! Exchange Online settings that decide what partners see and how mail flows with them (issue 12,
//! part 1): organization relationships and sharing policies (calendar free/busy), partner
//! connectors and remote domains (mail flow).
//!
//! Written in a `sharing` block, one `exchange <kind> "<name>" { ... }` statement per object, the
//! names and values those of the PowerShell objects (`Get-OrganizationRelationship`,
//! `Get-SharingPolicy`, `Get-InboundConnector`, `Get-OutboundConnector`, `Get-RemoteDomain`):
//!
//! ```text
//! exchange organization_relationship "Fabrikam" {
//!   domains = ["fabrikam.com"]  free_busy = on  free_busy_level = limited_details
//!   free_busy_scope = "Project Falcon"
//! }
//! exchange sharing_policy "Default Sharing Policy" {
//!   default  domain "*" = [free_busy_simple]  domain "fabrikam.com" = [free_busy_detail, contacts]
//! }
//! exchange inbound_connector "From Fabrikam" {
//!   sender_domains = ["fabrikam.com"]  sender_ips = ["203.0.113.0/24"]
//!   require_tls = on  restrict_to_ips = on
//! }
//! exchange outbound_connector "To Fabrikam" { recipient_domains = ["fabrikam.com"]  tls = domain_validation }
//! exchange remote_domain "Default" { domain = "*"  auto_forward = off }
//! ```
//!
//! Every setting is optional; an absent one takes the platform's default (see `eval::exchange`).

use serde::Serialize;

use super::{CalendarLevel, Name, Spanned};
use crate::source::Span;

/// `FreeBusyAccessLevel` of an organization relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FreeBusyLevel {
    None,
    /// Free/busy time only.
    AvailabilityOnly,
    /// Free/busy time, subject and location.
    LimitedDetails,
}

impl FreeBusyLevel {
    pub const ALL: [FreeBusyLevel; 3] = [
        FreeBusyLevel::None,
        FreeBusyLevel::AvailabilityOnly,
        FreeBusyLevel::LimitedDetails,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FreeBusyLevel::None => "none",
            FreeBusyLevel::AvailabilityOnly => "availability_only",
            FreeBusyLevel::LimitedDetails => "limited_details",
        }
    }

    /// The PowerShell value.
    pub fn powershell(self) -> &'static str {
        match self {
            FreeBusyLevel::None => "None",
            FreeBusyLevel::AvailabilityOnly => "AvailabilityOnly",
            FreeBusyLevel::LimitedDetails => "LimitedDetails",
        }
    }

    /// The calendar level it exposes: time only is `free_busy`, time, subject and location is
    /// `free_busy_detail`.
    pub fn calendar(self) -> CalendarLevel {
        match self {
            FreeBusyLevel::None => CalendarLevel::None,
            FreeBusyLevel::AvailabilityOnly => CalendarLevel::FreeBusy,
            FreeBusyLevel::LimitedDetails => CalendarLevel::FreeBusyDetail,
        }
    }
}

/// `exchange organization_relationship "<name>" { ... }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgRelationship {
    pub name: Name,
    /// `DomainNames`.
    pub domains: Vec<Spanned<String>>,
    /// `Enabled` (default on).
    pub enabled: Option<Spanned<bool>>,
    /// `FreeBusyAccessEnabled` (default off).
    pub free_busy: Option<Spanned<bool>>,
    /// `FreeBusyAccessLevel` (default `none`).
    pub free_busy_level: Option<Spanned<FreeBusyLevel>>,
    /// `FreeBusyAccessScope`: the group whose members' free/busy is exposed (default: everyone).
    pub free_busy_scope: Option<Spanned<String>>,
    #[serde(skip)]
    pub span: Span,
}

/// A sharing policy action (`domain:Action,Action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SharingAction {
    FreeBusySimple,
    FreeBusyDetail,
    FreeBusyReviewer,
    ContactsSharing,
}

impl SharingAction {
    pub const ALL: [SharingAction; 4] = [
        SharingAction::FreeBusySimple,
        SharingAction::FreeBusyDetail,
        SharingAction::FreeBusyReviewer,
        SharingAction::ContactsSharing,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SharingAction::FreeBusySimple => "free_busy_simple",
            SharingAction::FreeBusyDetail => "free_busy_detail",
            SharingAction::FreeBusyReviewer => "free_busy_reviewer",
            SharingAction::ContactsSharing => "contacts_sharing",
        }
    }

    /// The PowerShell action name.
    pub fn powershell(self) -> &'static str {
        match self {
            SharingAction::FreeBusySimple => "CalendarSharingFreeBusySimple",
            SharingAction::FreeBusyDetail => "CalendarSharingFreeBusyDetail",
            SharingAction::FreeBusyReviewer => "CalendarSharingFreeBusyReviewer",
            SharingAction::ContactsSharing => "ContactsSharing",
        }
    }

    pub fn from_powershell(text: &str) -> Option<SharingAction> {
        Self::ALL
            .into_iter()
            .find(|a| a.powershell().eq_ignore_ascii_case(text.trim()))
    }

    /// The calendar level the action lets a user share (`none` for contacts).
    pub fn calendar(self) -> CalendarLevel {
        match self {
            SharingAction::FreeBusySimple => CalendarLevel::FreeBusy,
            SharingAction::FreeBusyDetail => CalendarLevel::FreeBusyDetail,
            SharingAction::FreeBusyReviewer => CalendarLevel::Reviewer,
            SharingAction::ContactsSharing => CalendarLevel::None,
        }
    }
}

/// `domain "fabrikam.com" = [free_busy_detail, contacts_sharing]` (`"*"`: every domain;
/// `"Anonymous"`: anonymous calendar publishing).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharingEntry {
    pub domain: Spanned<String>,
    pub actions: Vec<Spanned<SharingAction>>,
    #[serde(skip)]
    pub span: Span,
}

impl SharingEntry {
    /// The most detailed calendar level the entry allows.
    pub fn calendar(&self) -> CalendarLevel {
        self.actions
            .iter()
            .map(|a| a.value.calendar())
            .max()
            .unwrap_or(CalendarLevel::None)
    }
}

/// `exchange sharing_policy "<name>" { ... }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharingPolicy {
    pub name: Name,
    /// `Default`: applies to every mailbox without a policy of its own.
    pub default: Option<Spanned<bool>>,
    /// `Enabled` (default on).
    pub enabled: Option<Spanned<bool>>,
    /// `Domains`.
    pub entries: Vec<SharingEntry>,
    /// The mailboxes the policy is assigned to (`Set-Mailbox -SharingPolicy`); not part of the
    /// policy object, written here so that a request can name a user instead of a policy.
    pub mailboxes: Vec<Spanned<String>>,
    #[serde(skip)]
    pub span: Span,
}

impl SharingPolicy {
    pub fn is_default(&self) -> bool {
        self.default.as_ref().is_some_and(|d| d.value)
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled.as_ref().is_none_or(|e| e.value)
    }
}

/// `ConnectorType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectorType {
    Partner,
    OnPremises,
}

impl ConnectorType {
    pub const ALL: [ConnectorType; 2] = [ConnectorType::Partner, ConnectorType::OnPremises];

    pub fn name(self) -> &'static str {
        match self {
            ConnectorType::Partner => "partner",
            ConnectorType::OnPremises => "on_premises",
        }
    }

    pub fn powershell(self) -> &'static str {
        match self {
            ConnectorType::Partner => "Partner",
            ConnectorType::OnPremises => "OnPremises",
        }
    }
}

/// `exchange inbound_connector "<name>" { ... }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InboundConnector {
    pub name: Name,
    /// `ConnectorType` (default `partner`).
    pub kind: Option<Spanned<ConnectorType>>,
    /// `Enabled` (default on).
    pub enabled: Option<Spanned<bool>>,
    /// `SenderDomains`: `*.fabrikam.com` covers the domain and its subdomains, `*` every domain.
    pub sender_domains: Vec<Spanned<String>>,
    /// `SenderIPAddresses`: addresses or CIDR ranges.
    pub sender_ips: Vec<Spanned<String>>,
    /// `RequireTls` (default on).
    pub require_tls: Option<Spanned<bool>>,
    /// `TlsSenderCertificateName`.
    pub certificate: Option<Spanned<String>>,
    /// `RestrictDomainsToIPAddresses` (default off).
    pub restrict_to_ips: Option<Spanned<bool>>,
    /// `RestrictDomainsToCertificate` (default off).
    pub restrict_to_certificate: Option<Spanned<bool>>,
    #[serde(skip)]
    pub span: Span,
}

/// `TlsSettings` of an outbound connector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboundTls {
    /// TLS, any certificate.
    EncryptionOnly,
    /// TLS with a certificate from a trusted authority.
    CertificateValidation,
    /// As `certificate_validation`, and the certificate names `TlsDomain`.
    DomainValidation,
}

impl OutboundTls {
    pub const ALL: [OutboundTls; 3] = [
        OutboundTls::EncryptionOnly,
        OutboundTls::CertificateValidation,
        OutboundTls::DomainValidation,
    ];

    pub fn name(self) -> &'static str {
        match self {
            OutboundTls::EncryptionOnly => "encryption_only",
            OutboundTls::CertificateValidation => "certificate_validation",
            OutboundTls::DomainValidation => "domain_validation",
        }
    }

    pub fn powershell(self) -> &'static str {
        match self {
            OutboundTls::EncryptionOnly => "EncryptionOnly",
            OutboundTls::CertificateValidation => "CertificateValidation",
            OutboundTls::DomainValidation => "DomainValidation",
        }
    }
}

/// `exchange outbound_connector "<name>" { ... }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboundConnector {
    pub name: Name,
    pub kind: Option<Spanned<ConnectorType>>,
    pub enabled: Option<Spanned<bool>>,
    /// `RecipientDomains`.
    pub recipient_domains: Vec<Spanned<String>>,
    /// `TlsSettings` (absent: opportunistic TLS).
    pub tls: Option<Spanned<OutboundTls>>,
    /// `TlsDomain`.
    pub tls_domain: Option<Spanned<String>>,
    /// `SmartHosts` (absent: the recipient domain's MX records, `UseMXRecord`).
    pub smart_hosts: Vec<Spanned<String>>,
    #[serde(skip)]
    pub span: Span,
}

/// `exchange remote_domain "<name>" { ... }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RemoteDomain {
    pub name: Name,
    /// `DomainName` (`*` for every domain; `*.x` for a domain and its subdomains).
    pub domain: Option<Spanned<String>>,
    /// `AutoForwardEnabled` (default on).
    pub auto_forward: Option<Spanned<bool>>,
    /// `AutoReplyEnabled` (default on).
    pub auto_reply: Option<Spanned<bool>>,
    #[serde(skip)]
    pub span: Span,
}

impl RemoteDomain {
    /// The domain the object covers: `domain`, else `*` (the `Default` remote domain's).
    pub fn domain_name(&self) -> &str {
        self.domain.as_ref().map_or("*", |d| d.value.as_str())
    }
}

/// The Exchange objects of a `sharing` block.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Exchange {
    pub relationships: Vec<OrgRelationship>,
    pub sharing_policies: Vec<SharingPolicy>,
    pub inbound_connectors: Vec<InboundConnector>,
    pub outbound_connectors: Vec<OutboundConnector>,
    pub remote_domains: Vec<RemoteDomain>,
}

impl Exchange {
    pub fn is_empty(&self) -> bool {
        self.relationships.is_empty()
            && self.sharing_policies.is_empty()
            && self.inbound_connectors.is_empty()
            && self.outbound_connectors.is_empty()
            && self.remote_domains.is_empty()
    }
}

/// Whether a domain pattern of a connector or remote domain covers a domain: `*` covers every
/// domain, `*.x` covers `x` and its subdomains, anything else only itself (without case).
pub fn domain_pattern_covers(pattern: &str, domain: &str) -> bool {
    let pattern = pattern.trim();
    if pattern == "*" {
        return true;
    }
    match pattern.strip_prefix("*.") {
        Some(base) => {
            domain.eq_ignore_ascii_case(base)
                || domain
                    .to_ascii_lowercase()
                    .ends_with(&format!(".{}", base.to_ascii_lowercase()))
        }
        None => pattern.eq_ignore_ascii_case(domain),
    }
}

/// How specific a pattern is: an exact domain beats a wildcard, a longer wildcard a shorter one,
/// and `*` is the least specific.
pub fn domain_pattern_rank(pattern: &str) -> (u8, usize) {
    let pattern = pattern.trim();
    if pattern == "*" {
        (0, 0)
    } else if let Some(base) = pattern.strip_prefix("*.") {
        (1, base.len())
    } else {
        (2, pattern.len())
    }
}

/// A `SenderIPAddresses` entry: an address or a CIDR range (`None` when it is neither).
pub fn sender_ip_range(text: &str) -> Option<ipnet::IpNet> {
    let text = text.trim();
    if let Ok(net) = text.parse::<ipnet::IpNet>() {
        return Some(net.trunc());
    }
    text.parse::<std::net::IpAddr>()
        .ok()
        .map(ipnet::IpNet::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_cover_as_documented() {
        assert!(domain_pattern_covers("*", "fabrikam.com"));
        assert!(domain_pattern_covers("*.fabrikam.com", "fabrikam.com"));
        assert!(domain_pattern_covers("*.fabrikam.com", "mail.Fabrikam.com"));
        assert!(!domain_pattern_covers("*.fabrikam.com", "notfabrikam.com"));
        assert!(domain_pattern_covers("Fabrikam.com", "fabrikam.COM"));
        assert!(!domain_pattern_covers("fabrikam.com", "mail.fabrikam.com"));
        assert!(domain_pattern_rank("a.com") > domain_pattern_rank("*.a.com"));
        assert!(domain_pattern_rank("*.a.com") > domain_pattern_rank("*"));
    }

    #[test]
    fn actions_read_their_powershell_names() {
        assert_eq!(
            SharingAction::from_powershell(" CalendarSharingFreeBusyDetail"),
            Some(SharingAction::FreeBusyDetail)
        );
        assert_eq!(SharingAction::from_powershell("Calendar"), None);
        assert_eq!(
            FreeBusyLevel::LimitedDetails.calendar(),
            CalendarLevel::FreeBusyDetail
        );
    }
}

//! Outbound requests (issue 14, item 3): one of our users reaches an app in another tenant.
//! Two of our settings can stop it, and they govern different identities:
//!
//! - **outbound B2B settings** (`outbound b2b_collaboration` / `b2b_direct_connect`) govern our
//!   own accounts going out: the partner block of the *resource* tenant over the default,
//!   setting by setting, else the service defaults (collaboration allowed, direct connect
//!   blocked). Users and groups are ours; apps are the other tenant's. Microsoft Learn,
//!   "Cross-tenant access overview" (default settings) and "Configure cross-tenant access
//!   settings for B2B collaboration" (modify outbound access settings).
//! - **tenant restrictions v2** (`tenant_restrictions`) govern *external* accounts (issued by
//!   another tenant, or a Microsoft Account) used on our networks and devices, and only when the
//!   sign-in carries our signal (proxy header, Global Secure Access, or a Windows device with our
//!   policy). The setting is the one for the tenant that *issued the account* (its partner block,
//!   else the default), not the resource tenant's. Tenant restrictions never apply to our own
//!   accounts, and inbound/outbound settings neither affect nor are affected by them. With
//!   universal or Windows-device enforcement, anonymous access to another tenant's resources is
//!   blocked; a proxy enforces on the authentication plane only. Microsoft Learn, "Set up tenant
//!   restrictions v2" (overview, "Tenant restrictions vs. inbound and outbound settings",
//!   "Tenant restrictions and Microsoft Teams", "Tenant restrictions v2 and SharePoint Online").
//!
//! The other tenant's inbound settings and Conditional Access also decide: the pack describes
//! our tenant only, so `allow` means "our side lets it through", and the trace says so.
//!
//! As for share requests, the decision is read from the recorded gates.

mod decide;

use std::fmt;

use serde::Serialize;

use super::trace::{write_verdict, GateSetting, Source, Verdict};
use crate::model::outbound::Enforcement;

pub use decide::decide_outbound;

/// The rule that decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboundRule {
    /// `outbound b2b_collaboration` (or its default).
    OutboundB2bCollaboration,
    /// `outbound b2b_direct_connect` (or its default).
    OutboundB2bDirectConnect,
    /// Direct connect reaches Teams shared channels (and their SharePoint sites) only.
    DirectConnectApp,
    /// `tenant_restrictions` for the account's issuing tenant.
    TenantRestrictions,
    /// Tenant restrictions block anonymous access (data plane enforcement).
    TenantRestrictionsAnonymous,
    /// None of our settings governs this sign-in.
    NotGoverned,
}

impl OutboundRule {
    pub const ALL: [OutboundRule; 6] = [
        OutboundRule::OutboundB2bCollaboration,
        OutboundRule::OutboundB2bDirectConnect,
        OutboundRule::DirectConnectApp,
        OutboundRule::TenantRestrictions,
        OutboundRule::TenantRestrictionsAnonymous,
        OutboundRule::NotGoverned,
    ];

    pub fn id(self) -> &'static str {
        match self {
            OutboundRule::OutboundB2bCollaboration => "outbound_b2b_collaboration",
            OutboundRule::OutboundB2bDirectConnect => "outbound_b2b_direct_connect",
            OutboundRule::DirectConnectApp => "direct_connect_app",
            OutboundRule::TenantRestrictions => "tenant_restrictions",
            OutboundRule::TenantRestrictionsAnonymous => "tenant_restrictions_anonymous",
            OutboundRule::NotGoverned => "not_governed",
        }
    }

    pub fn from_id(id: &str) -> Option<OutboundRule> {
        Self::ALL.into_iter().find(|r| r.id() == id)
    }
}

impl Serialize for OutboundRule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// The outbound B2B gate.
#[derive(Debug, Clone, PartialEq)]
pub enum OutboundGate<'a> {
    /// The account was issued by another tenant: that tenant's outbound settings apply, not ours.
    NotOurAccount {
        issuer: String,
    },
    /// No account: no B2B setting applies.
    Anonymous,
    DirectConnectApp,
    Checked {
        setting: GateSetting,
        source: Source<'a>,
        verdict: Verdict<'a>,
    },
}

impl OutboundGate<'_> {
    pub fn allows(&self) -> bool {
        match self {
            OutboundGate::NotOurAccount { .. } | OutboundGate::Anonymous => true,
            OutboundGate::DirectConnectApp => false,
            OutboundGate::Checked { verdict, .. } => verdict.allows(),
        }
    }
}

impl fmt::Display for OutboundGate<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutboundGate::NotOurAccount { issuer } => write!(
                f,
                "not applicable: the account was issued by {issuer}, whose own outbound settings govern it"
            ),
            OutboundGate::Anonymous => {
                f.write_str("not applicable: no account signs in (anonymous access)")
            }
            OutboundGate::DirectConnectApp => f.write_str(
                "blocked: B2B direct connect reaches only Teams shared channels and their SharePoint sites",
            ),
            OutboundGate::Checked {
                setting,
                source,
                verdict,
            } => {
                let word = if verdict.allows() { "allowed" } else { "blocked" };
                write!(f, "{word}: outbound {} ", setting.name())?;
                write_verdict(f, *source, verdict)
            }
        }
    }
}

/// The tenant restrictions v2 gate.
#[derive(Debug, Clone, PartialEq)]
pub enum TrGate<'a> {
    /// Our own account: tenant restrictions never apply to it.
    OwnAccount,
    /// The sign-in does not carry our tenant restrictions signal.
    NotEnforced,
    /// Anonymous access through a proxy: the header is added to sign-ins only.
    AnonymousProxy,
    /// Anonymous access with data-plane enforcement: blocked.
    AnonymousBlocked { enforcement: Enforcement },
    /// Neither the issuer's partner block nor the default sets tenant restrictions.
    NoPolicy { issuer: String },
    Checked {
        issuer: String,
        enforcement: Enforcement,
        source: Source<'a>,
        verdict: Verdict<'a>,
    },
}

impl TrGate<'_> {
    pub fn allows(&self) -> bool {
        match self {
            TrGate::OwnAccount
            | TrGate::NotEnforced
            | TrGate::AnonymousProxy
            | TrGate::NoPolicy { .. } => true,
            TrGate::AnonymousBlocked { .. } => false,
            TrGate::Checked { verdict, .. } => verdict.allows(),
        }
    }
}

impl fmt::Display for TrGate<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrGate::OwnAccount => f.write_str(
                "not applicable: tenant restrictions govern external accounts, never our own",
            ),
            TrGate::NotEnforced => f.write_str(
                "not applicable: the sign-in does not come through our tenant restrictions enforcement",
            ),
            TrGate::AnonymousProxy => f.write_str(
                "not applicable: a proxy adds the tenant restrictions header to sign-ins only; anonymous access has none",
            ),
            TrGate::AnonymousBlocked { enforcement } => write!(
                f,
                "blocked: tenant restrictions ({}) block anonymous access to other tenants' resources",
                enforcement.name()
            ),
            TrGate::NoPolicy { issuer } => write!(
                f,
                "allowed: no tenant restrictions for accounts of {issuer} (no partner block or default sets them)"
            ),
            TrGate::Checked {
                issuer,
                enforcement,
                source,
                verdict,
            } => {
                let word = if verdict.allows() { "allowed" } else { "blocked" };
                write!(
                    f,
                    "{word}: tenant restrictions ({}) for accounts of {issuer} ",
                    enforcement.name()
                )?;
                write_verdict(f, *source, verdict)
            }
        }
    }
}

/// The answer to an outbound request.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboundDecision<'a> {
    pub allow: bool,
    pub rule: OutboundRule,
    /// The gate that decided, as text.
    pub reason: String,
    /// Who signs in: "alice@contoso.com with their own account", ...
    pub who: String,
    /// The resource tenant, as written or declared.
    pub resource: String,
    pub outbound: OutboundGate<'a>,
    pub tenant_restrictions: TrGate<'a>,
}

impl OutboundDecision<'_> {
    pub fn is_allow(&self) -> bool {
        self.allow
    }

    pub fn verdict(&self) -> &'static str {
        if self.allow {
            "allow"
        } else {
            "block"
        }
    }
}

impl fmt::Display for OutboundDecision<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {} to {} [{}]",
            self.verdict().to_uppercase(),
            self.who,
            self.resource,
            self.rule.id()
        )?;
        writeln!(f, "  outbound B2B:        {}", self.outbound)?;
        writeln!(f, "  tenant restrictions: {}", self.tenant_restrictions)?;
        write!(
            f,
            "  {}: its inbound cross-tenant settings and Conditional Access also decide (not in this pack: accord decides our side)",
            self.resource
        )
    }
}

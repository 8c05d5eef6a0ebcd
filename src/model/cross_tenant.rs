//! Cross-tenant access settings (§4 of the reference).

use serde::Serialize;

use super::{AppTarget, Extension, Name, Spanned};
use crate::source::Span;

/// Whose settings a `cross_tenant` block holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CrossTenantTarget {
    Default,
    Tenant(Name),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Allow,
    Block,
}

/// A user/group target of a B2B setting (`AllUsers`, a group or a user of the partner tenant).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum XtUserTarget {
    All,
    User(String),
    Group(String),
}

/// One dimension of a B2B setting: an allow-list or a block-list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetList<T> {
    pub access: Spanned<Access>,
    pub targets: Vec<Spanned<T>>,
}

/// A B2B setting: `= allow`, `= block`, or `{ users ... apps ... }`.
///
/// In the full form an omitted dimension takes the access type of the other one with target
/// `all` (so `{ apps block power_bi }` blocks everyone from Power BI only); see README semantics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct B2bSetting {
    pub users: Option<TargetList<XtUserTarget>>,
    pub apps: Option<TargetList<AppTarget>>,
    /// Set for the short form `= allow` / `= block`.
    pub short: Option<Spanned<Access>>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Inbound,
    Outbound,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum B2bKind {
    B2bCollaboration,
    B2bDirectConnect,
}

/// `tenant_restrictions = block` / `tenant_restrictions { users ... apps ... }`: the same
/// shape as a B2B setting (Graph `crossTenantAccessPolicyTenantRestrictions` inherits
/// `crossTenantAccessPolicyB2BSetting`), read as "external accounts of this tenant may (not)
/// reach these apps". Users and groups are the issuing tenant's, as for inbound settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TenantRestrictions {
    pub setting: B2bSetting,
    #[serde(skip)]
    pub span: Span,
}

/// `inbound b2b_collaboration = allow`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct B2bRule {
    pub direction: Spanned<Direction>,
    pub kind: Spanned<B2bKind>,
    pub setting: B2bSetting,
    #[serde(skip)]
    pub span: Span,
}

/// `trust mfa, compliant_device` or `trust none`: which home-tenant claims are accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trust {
    pub mfa: bool,
    pub compliant_device: bool,
    pub hybrid_joined: bool,
    #[serde(skip)]
    pub span: Span,
}

/// `automatic_consent inbound` / `outbound` (the `automaticUserConsentSettings` switches).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AutoConsent {
    pub inbound: bool,
    pub outbound: bool,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossTenant {
    pub target: CrossTenantTarget,
    pub rules: Vec<B2bRule>,
    pub trust: Option<Trust>,
    #[serde(serialize_with = "super::serialize_present")]
    pub service_provider: Option<Span>,
    pub auto_consent: Option<AutoConsent>,
    /// `user_sync inbound`: cross-tenant synchronization may provision the partner's users
    /// here (Graph `identitySynchronization.userSyncInbound.isSyncAllowed`; partners only).
    #[serde(serialize_with = "super::serialize_present")]
    pub user_sync_inbound: Option<Span>,
    /// `tenant_restrictions ...`: which external accounts (issued by this tenant, or by any
    /// tenant in the default) our users may use on networks and devices that enforce tenant
    /// restrictions v2 (Graph `tenantRestrictions`).
    pub tenant_restrictions: Option<TenantRestrictions>,
    pub extensions: Vec<Extension>,
    #[serde(skip)]
    pub span: Span,
}

impl CrossTenant {
    /// The rule for one direction and kind, if this block sets it (the first, if repeated).
    pub fn rule(&self, direction: Direction, kind: B2bKind) -> Option<&B2bRule> {
        self.rules
            .iter()
            .find(|r| r.direction.value == direction && r.kind.value == kind)
    }

    pub fn tenant_name(&self) -> Option<&str> {
        match &self.target {
            CrossTenantTarget::Default => None,
            CrossTenantTarget::Tenant(n) => Some(&n.value),
        }
    }
}

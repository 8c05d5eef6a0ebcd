//! Tenants and the multi-tenant organisation.

use serde::Serialize;

use super::{Name, Spanned};
use crate::source::Span;

/// `resource tenant contoso { ... }` or `tenant fabrikam { ... }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tenant {
    pub name: Name,
    /// True for the one tenant that owns the apps and data the pack governs.
    pub resource: bool,
    /// The tenant id (a GUID), when known.
    pub id: Option<Spanned<String>>,
    pub domains: Vec<Spanned<String>>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgRole {
    Owner,
    Member,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberState {
    Active,
    Pending,
    /// A tenant that left: kept for the record, not part of the organisation (§5.1).
    Removed,
}

/// One line of an `organization` block: `fabrikam member active`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgMember {
    pub tenant: Name,
    pub role: Spanned<OrgRole>,
    pub state: Spanned<MemberState>,
    #[serde(skip)]
    pub span: Span,
}

/// `organization "Contoso Group" { ... }`: the multi-tenant organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organization {
    pub name: Name,
    pub members: Vec<OrgMember>,
    #[serde(skip)]
    pub span: Span,
}

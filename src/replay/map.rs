//! A sign-in record as an accord request (the `accord whatif` shape), with every field that
//! could not be mapped counted, every signal the record lacks noted, and every value derived
//! from another field marked. The decisions taken where the documentation is silent are in the
//! README's semantics section ("Replaying sign-in logs"); each has a test in
//! `tests/suite/replay.rs`.

use std::net::IpAddr;

use super::directory::Directory;
use super::fields::{Classified, Text};
use super::record::{LoggedUserType, Requirement, SignIn};
use super::values::{self, AccessType, FlowValue, TrustType};
use crate::eval::device_filter::DeviceAttributes;
use crate::model::request::{
    AccessKind, AppRef, Auth, Device, Flow, MfaPlace, Network, Registered, Request, RequestUser,
    Risk, UserType,
};
use crate::model::{ClientApp, RiskLevel};

/// The log fields replay reads, by their Graph names (the report's keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    UserType,
    HomeTenantId,
    CrossTenantAccessType,
    ResourceId,
    ClientAppUsed,
    OperatingSystem,
    TrustType,
    IpAddress,
    Country,
    AuthenticationDetails,
    Mfa,
    RiskLevelDuringSignIn,
    AuthenticationProtocol,
    AuthenticationContext,
    GroupMembership,
}

impl Field {
    pub const ALL: [Field; 15] = [
        Field::UserType,
        Field::HomeTenantId,
        Field::CrossTenantAccessType,
        Field::ResourceId,
        Field::ClientAppUsed,
        Field::OperatingSystem,
        Field::TrustType,
        Field::IpAddress,
        Field::Country,
        Field::AuthenticationDetails,
        Field::Mfa,
        Field::RiskLevelDuringSignIn,
        Field::AuthenticationProtocol,
        Field::AuthenticationContext,
        Field::GroupMembership,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::UserType => "userType",
            Field::HomeTenantId => "homeTenantId",
            Field::CrossTenantAccessType => "crossTenantAccessType",
            Field::ResourceId => "resourceId",
            Field::ClientAppUsed => "clientAppUsed",
            Field::OperatingSystem => "deviceDetail.operatingSystem",
            Field::TrustType => "deviceDetail.trustType",
            Field::IpAddress => "ipAddress",
            Field::Country => "location.countryOrRegion",
            Field::AuthenticationDetails => "authenticationDetails.authenticationMethod",
            Field::Mfa => "mfa (authenticationDetails / mfaDetail)",
            Field::RiskLevelDuringSignIn => "riskLevelDuringSignIn",
            Field::AuthenticationProtocol => "authenticationProtocol",
            Field::AuthenticationContext => "authenticationContextClassReferences",
            Field::GroupMembership => "group membership (--directory)",
        }
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// A set of fields.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fields(pub u32);

impl Fields {
    pub fn insert(&mut self, f: Field) {
        self.0 |= f.bit();
    }
    pub fn contains(self, f: Field) -> bool {
        self.0 & f.bit() != 0
    }
    pub fn iter(self) -> impl Iterator<Item = Field> {
        Field::ALL.into_iter().filter(move |f| self.contains(*f))
    }
}

/// What mapping one record found besides the request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Notes {
    /// Values present that accord cannot map (field, value as logged).
    pub unmapped: Vec<(Field, Box<str>)>,
    /// Signals the record does not carry.
    pub missing: Fields,
    /// Values derived from another field (see the README).
    pub inferred: Fields,
}

/// Why a record is not replayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    ServicePrincipal,
    ManagedIdentity,
    /// Our users signing in to another tenant (the home tenant logs those too): that tenant's
    /// policies decided them.
    OtherResourceTenant,
    MicrosoftSupport,
    Passthrough,
    UnmappedAccessType,
    NoUser,
    NoHomeTenant,
    NoApp,
    /// The request did not resolve against the pack (`accord whatif` would refuse it too).
    Undecidable,
    /// The record is not valid JSON (or CSV), or not a sign-in: with `--lenient`.
    Malformed,
}

impl SkipReason {
    pub const ALL: [SkipReason; 11] = [
        SkipReason::ServicePrincipal,
        SkipReason::ManagedIdentity,
        SkipReason::OtherResourceTenant,
        SkipReason::MicrosoftSupport,
        SkipReason::Passthrough,
        SkipReason::UnmappedAccessType,
        SkipReason::NoUser,
        SkipReason::NoHomeTenant,
        SkipReason::NoApp,
        SkipReason::Undecidable,
        SkipReason::Malformed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SkipReason::ServicePrincipal => "service_principal",
            SkipReason::ManagedIdentity => "managed_identity",
            SkipReason::OtherResourceTenant => "other_resource_tenant",
            SkipReason::MicrosoftSupport => "microsoft_support",
            SkipReason::Passthrough => "passthrough",
            SkipReason::UnmappedAccessType => "unmapped_cross_tenant_access_type",
            SkipReason::NoUser => "no_user",
            SkipReason::NoHomeTenant => "no_home_tenant",
            SkipReason::NoApp => "no_app",
            SkipReason::Undecidable => "undecidable",
            SkipReason::Malformed => "malformed",
        }
    }
}

/// What the mapping needs to know about the pack and the directory.
#[derive(Debug, Clone, Default)]
pub struct Context<'d> {
    /// The pack's resource tenant id, lowercase.
    pub resource_tenant: Option<String>,
    /// The pack's resource tenant name: the `home` of the log's own users.
    pub resource_name: Option<String>,
    pub directory: Option<&'d Directory>,
}

/// A mapped record.
#[derive(Debug)]
pub enum Mapped {
    Replay(Box<Request>),
    Skip(SkipReason),
}

/// Maps one record; `notes` receives what the mapping found (also for skipped records).
pub fn map(s: &SignIn<'_>, ctx: &Context<'_>, notes: &mut Notes) -> Mapped {
    if let Some(reason) = actor_skip(s) {
        return Mapped::Skip(reason);
    }
    let text = |t: &Option<Text<'_>>| t.as_ref().map(|t| t.as_str().trim().to_string());
    let resource_tenant = text(&s.resource_tenant).map(|t| t.to_ascii_lowercase());
    if let (Some(logged), Some(ours)) = (&resource_tenant, &ctx.resource_tenant) {
        if logged != ours {
            return Mapped::Skip(SkipReason::OtherResourceTenant);
        }
    }
    let Some(name) = text(&s.upn).or_else(|| text(&s.user_id)) else {
        return Mapped::Skip(SkipReason::NoUser);
    };
    let home_logged = text(&s.home_tenant).map(|t| t.to_ascii_lowercase());
    let is_home_resource = |h: &str| ctx.resource_tenant.as_deref() == Some(h);
    let access = match &s.access_type {
        Classified::Known(a) => *a,
        Classified::Unmapped(v) => {
            notes
                .unmapped
                .push((Field::CrossTenantAccessType, v.clone()));
            return Mapped::Skip(SkipReason::UnmappedAccessType);
        }
        Classified::Absent => {
            notes.missing.insert(Field::CrossTenantAccessType);
            // Without the field, a home tenant other than ours means an external user.
            match &home_logged {
                Some(h) if !is_home_resource(h) => {
                    notes.inferred.insert(Field::CrossTenantAccessType);
                    AccessType::B2bCollaboration
                }
                _ => AccessType::None,
            }
        }
    };
    let kind = match access {
        AccessType::None => None,
        AccessType::B2bCollaboration => Some(AccessKind::B2bCollaboration),
        AccessType::B2bDirectConnect => Some(AccessKind::DirectConnect),
        AccessType::ServiceProvider => Some(AccessKind::ServiceProvider),
        AccessType::MicrosoftSupport => return Mapped::Skip(SkipReason::MicrosoftSupport),
        AccessType::Passthrough => return Mapped::Skip(SkipReason::Passthrough),
    };
    // Our own users are said to be ours: without `home`, a partner's domain in the UPN would
    // make the user that partner's (`eval::resolve` infers it), but the log says otherwise.
    let (home, kind) = match kind {
        None => (ctx.resource_name.clone(), None),
        Some(kind) => {
            let home = match home_logged {
                Some(h) => Some(h),
                None => {
                    notes.missing.insert(Field::HomeTenantId);
                    let d = upn_domain(&name);
                    if d.is_some() {
                        notes.inferred.insert(Field::HomeTenantId);
                    }
                    d
                }
            };
            match home {
                None => return Mapped::Skip(SkipReason::NoHomeTenant),
                Some(h) if h == values::MSA_TENANT => (None, Some(AccessKind::Other)),
                Some(h) if is_home_resource(&h) => (ctx.resource_name.clone(), None),
                Some(h) => (Some(h), Some(kind)),
            }
        }
    };
    let external = kind.is_some();
    let dir_user = ctx
        .directory
        .and_then(|d| d.user(text(&s.user_id).as_deref(), Some(&name)));
    if ctx.directory.is_some() && dir_user.is_none() {
        notes.missing.insert(Field::GroupMembership);
    }
    let user_type = match &s.user_type {
        Classified::Known(LoggedUserType::Member) => UserType::Member,
        Classified::Known(LoggedUserType::Guest) => UserType::Guest,
        other => {
            if let Classified::Unmapped(v) = other {
                notes.unmapped.push((Field::UserType, v.clone()));
            } else {
                notes.missing.insert(Field::UserType);
            }
            match dir_user.and_then(|u| u.user_type) {
                Some(t) => t,
                None => {
                    notes.inferred.insert(Field::UserType);
                    if external {
                        UserType::Guest
                    } else {
                        UserType::Member
                    }
                }
            }
        }
    };
    let Some(app) = app_of(s, notes) else {
        return Mapped::Skip(SkipReason::NoApp);
    };
    let client_app = match &s.client_app {
        Classified::Known(c) => *c,
        Classified::Unmapped(v) => {
            notes.unmapped.push((Field::ClientAppUsed, v.clone()));
            ClientApp::Other
        }
        Classified::Absent => {
            notes.missing.insert(Field::ClientAppUsed);
            ClientApp::Browser
        }
    };
    if let Some(ctxs) = &s.auth_contexts.0 {
        if ctxs.as_array().is_some_and(|a| !a.is_empty()) {
            notes
                .unmapped
                .push((Field::AuthenticationContext, ctxs.to_string().into()));
        }
    }
    let request = Request {
        user: RequestUser {
            name,
            user_type,
            home,
            kind,
            groups: dir_user.map(|u| u.groups.clone()).unwrap_or_default(),
            roles: dir_user.map(|u| u.roles.clone()).unwrap_or_default(),
            // Logs name users, not their groups: without the user in `--directory`, every
            // membership is a missing signal. A directory is the resource tenant's, so the
            // home tenant's groups (read by cross-tenant settings) stay unknown for external
            // users even then.
            groups_unknown: dir_user.is_none(),
            roles_unknown: dir_user.is_none(),
            home_groups_unknown: dir_user.is_none() || external,
        },
        app,
        client_app,
        device: device_of(s, external, notes),
        network: network_of(s, notes),
        auth: auth_of(s, external, notes),
        risk: Risk {
            sign_in: match &s.sign_in_risk {
                Classified::Known(r) => *r,
                Classified::Unmapped(v) => {
                    notes
                        .unmapped
                        .push((Field::RiskLevelDuringSignIn, v.clone()));
                    RiskLevel::None
                }
                Classified::Absent => {
                    notes.missing.insert(Field::RiskLevelDuringSignIn);
                    RiskLevel::None
                }
            },
            ..Risk::default()
        },
    };
    Mapped::Replay(Box::new(request))
}

/// Service principals and managed identities, by every marker the shapes have.
fn actor_skip(s: &SignIn<'_>) -> Option<SkipReason> {
    if s.event_types.managed_identity {
        return Some(SkipReason::ManagedIdentity);
    }
    if s.event_types.service_principal {
        return Some(SkipReason::ServicePrincipal);
    }
    let msi = s
        .msi
        .0
        .as_ref()
        .and_then(|m| m.msi_type.as_deref())
        .or(s.csv_msi_type.as_ref().map(Text::as_str));
    if msi.is_some_and(|t| !t.trim().is_empty() && !values::norm_eq(t, "none")) {
        return Some(SkipReason::ManagedIdentity);
    }
    for t in [&s.category, &s.table].into_iter().flatten() {
        let n = values::norm(t.as_str());
        if n.contains("managedidentity") {
            return Some(SkipReason::ManagedIdentity);
        }
        if n.contains("serviceprincipal") {
            return Some(SkipReason::ServicePrincipal);
        }
    }
    if s.upn.is_none() && s.user_id.is_none() && s.service_principal.is_some() {
        return Some(SkipReason::ServicePrincipal);
    }
    None
}

/// The domain of a UPN or e-mail, reading a guest's `alias_domain#EXT#@tenant` form.
fn upn_domain(upn: &str) -> Option<String> {
    let lower = upn.to_ascii_lowercase();
    let address = match lower.find("#ext#") {
        Some(i) => lower[..i].rsplit_once('_').map(|(_, d)| d.to_string())?,
        None => lower.rsplit_once('@').map(|(_, d)| d.to_string())?,
    };
    (!address.is_empty()).then_some(address)
}

/// Conditional Access evaluates the resource being accessed: `resourceId` (Log Analytics
/// `ResourceIdentity`); the client's `appId` only when the record names no resource.
fn app_of(s: &SignIn<'_>, notes: &mut Notes) -> Option<AppRef> {
    let guid = |t: &Option<Text<'_>>| {
        t.as_ref()
            .map(|t| t.as_str().trim())
            .filter(|t| crate::model::is_guid(t))
            .map(str::to_string)
    };
    let id = match guid(&s.resource_identity).or_else(|| guid(&s.resource_id)) {
        Some(id) => id,
        None => {
            notes.missing.insert(Field::ResourceId);
            let id = guid(&s.app_id)?;
            notes.inferred.insert(Field::ResourceId);
            id
        }
    };
    AppRef::parse(&id).ok()
}

fn device_of(s: &SignIn<'_>, external: bool, notes: &mut Notes) -> Device {
    let d = s.device.0.clone().unwrap_or_default();
    let os = if d.os.is_absent() {
        s.csv_os.clone()
    } else {
        d.os
    };
    let platform = match os {
        Classified::Known(p) => Some(p),
        Classified::Unmapped(v) => {
            notes.unmapped.push((Field::OperatingSystem, v));
            None
        }
        Classified::Absent => {
            notes.missing.insert(Field::OperatingSystem);
            None
        }
    };
    let trust = if d.trust.is_absent() {
        s.csv_join.clone()
    } else {
        d.trust
    };
    let trust = match trust {
        Classified::Known(t) => Some(t),
        Classified::Unmapped(v) => {
            notes.unmapped.push((Field::TrustType, v));
            None
        }
        Classified::Absent => None,
    };
    let compliant = d.compliant.0.or(s.csv_compliant.0).unwrap_or(false);
    // What device filters can read of what the log carries; every other property (extension
    // attributes, model, manufacturer...) is unknown, so a filter reading one is undecided.
    let nonempty = |v: &Option<String>| v.clone().filter(|t| !t.trim().is_empty());
    let attributes = DeviceAttributes {
        device_id: nonempty(&d.device_id),
        display_name: nonempty(&d.display_name),
        trust_type: trust.map(|t| t.filter_value().to_string()),
        is_compliant: Some(compliant),
        ..DeviceAttributes::default()
    };
    Device {
        platform,
        compliant,
        hybrid_joined: trust == Some(TrustType::HybridJoined),
        managed: d.managed.0.or(s.csv_managed.0).unwrap_or(false),
        // A registered device of an external user is registered in their home tenant.
        registered: match trust {
            None => Registered::None,
            Some(_) if external => Registered::Home,
            Some(_) => Registered::Resource,
        },
        approved_app: false,
        app_protection: false,
        // Sign-in logs say whether token protection was enforced, not whether the session was
        // bound when it was not: not stated.
        token_bound: None,
        attributes: Some(attributes),
        attributes_partial: true,
    }
}

fn network_of(s: &SignIn<'_>, notes: &mut Notes) -> Network {
    let ip = match &s.ip {
        None => {
            notes.missing.insert(Field::IpAddress);
            None
        }
        Some(t) => match t.as_str().trim().parse::<IpAddr>() {
            Ok(ip) => Some(ip),
            Err(_) => {
                notes.unmapped.push((Field::IpAddress, t.as_str().into()));
                None
            }
        },
    };
    let country = if s.location.0.is_absent() {
        s.location_details
            .0
            .as_ref()
            .map(|l| l.country.clone())
            .unwrap_or_default()
    } else {
        s.location.0.clone()
    };
    let country = match country {
        Classified::Known(c) => Some(c),
        Classified::Unmapped(v) => {
            notes.unmapped.push((Field::Country, v));
            None
        }
        Classified::Absent => {
            notes.missing.insert(Field::Country);
            None
        }
    };
    // Sign-in logs do not say whether the sign-in came through a compliant network.
    Network {
        ip,
        country,
        compliant_network: None,
    }
}

fn auth_of(s: &SignIn<'_>, external: bool, notes: &mut Notes) -> Auth {
    let mut steps = s.auth_details.0.unwrap_or_default();
    if let Some(m) = &s.mfa_detail.0 {
        steps.step(m.method.as_deref(), m.detail.as_deref(), Some(true));
    }
    if s.csv_mfa_result.is_some() || s.csv_mfa_method.is_some() {
        steps.step(
            s.csv_mfa_method.as_ref().map(Text::as_str),
            s.csv_mfa_result.as_ref().map(Text::as_str),
            None,
        );
    }
    if steps.unknown_methods > 0 {
        notes.unmapped.push((
            Field::AuthenticationDetails,
            format!("{} step(s)", steps.unknown_methods).into(),
        ));
    }
    let succeeded =
        s.status.error_code.or(s.result_type.0) == Some(0) || s.status.word_success == Some(true);
    // Where MFA happened: a method used now was used here; a claim carried by the token came
    // from the home tenant for an external user (the stricter of the two readings: it counts
    // only where the partner's MFA is trusted), from this tenant for our own users.
    let mfa = if steps.second_factor {
        MfaPlace::Resource
    } else if steps.claim {
        if external {
            MfaPlace::Home
        } else {
            MfaPlace::Resource
        }
    } else if s.requirement.known() == Some(Requirement::MultiFactor) && succeeded {
        // The platform required MFA and let the sign-in through: it was satisfied, and the
        // record does not say how.
        notes.inferred.insert(Field::Mfa);
        if external {
            MfaPlace::Home
        } else {
            MfaPlace::Resource
        }
    } else {
        MfaPlace::None
    };
    let flow = match (s.transfer.known(), s.protocol.known()) {
        (Some(FlowValue::DeviceCode), _) | (_, Some(FlowValue::DeviceCode)) => Flow::DeviceCode,
        (Some(FlowValue::AuthTransfer), _) | (_, Some(FlowValue::AuthTransfer)) => {
            Flow::AuthTransfer
        }
        _ => Flow::None,
    };
    for c in [&s.transfer, &s.protocol] {
        if let Classified::Unmapped(v) = c {
            notes
                .unmapped
                .push((Field::AuthenticationProtocol, v.clone()));
        }
    }
    Auth {
        mfa,
        methods: steps.methods().collect(),
        terms_accepted: Vec::new(),
        flow,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guest_upns_give_their_home_domain() {
        assert_eq!(
            upn_domain("bob@Fabrikam.com").as_deref(),
            Some("fabrikam.com")
        );
        assert_eq!(
            upn_domain("bob_fabrikam.com#EXT#@contoso.onmicrosoft.com").as_deref(),
            Some("fabrikam.com")
        );
        assert_eq!(upn_domain("nobody"), None);
    }
}

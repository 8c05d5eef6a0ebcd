//! `resolve`: a request's names looked up once in a compiled pack (home tenant, groups, user,
//! roles, app, location membership), so that deciding does no lookup and no parsing.

use std::net::IpAddr;

use super::bits::{Bits, LocBits};
use super::compile::{AppKey, Compiled};
use super::device_filter::DeviceAttributes;
use crate::diagnostic::did_you_mean;
use crate::model::catalog;
use crate::model::request::{AccessKind, AppRef, Country, Request, RequestError};
use crate::model::Platform;

/// Where the user's account lives, as an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HomeIdx {
    Resource,
    /// Index in `pack.tenants`.
    Tenant(usize),
    /// An id or domain the pack does not declare: the `default` settings apply.
    Undeclared,
    /// `kind: other`: no Entra home tenant.
    NoEntra,
}

/// A request whose names are resolved against one compiled pack.
#[derive(Debug, Clone)]
pub struct Resolved<'q> {
    pub request: &'q Request,
    pub(crate) home: HomeIdx,
    pub(crate) user: Option<u32>,
    pub(crate) groups: Bits,
    pub(crate) roles: Bits,
    pub(crate) app: AppKey,
    pub(crate) app_slot: usize,
    pub(crate) net: Net,
    /// The device's attributes as a device filter reads them when the resource tenant sees
    /// them: the stated ones, `isCompliant` from `device.compliant` unless stated. Built here
    /// once, so that deciding allocates nothing.
    pub(crate) device: DeviceAttributes,
    /// The request gave no `home`: it was read from the user's e-mail domain, a declared
    /// tenant's (the trace says so).
    pub home_inferred: bool,
}

/// The signals that may be missing, and the location membership they give. `Copy`: a stand-in
/// for missing signals is a different `Net` for the same resolved request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Net {
    pub platform: Option<Platform>,
    pub ip: Option<IpAddr>,
    pub country: Option<Country>,
    /// Locations the address or country is in, and locations whose membership is known.
    pub loc_in: LocBits,
    pub loc_known: LocBits,
    /// Through a Global Secure Access compliant network; `None`: not stated.
    pub compliant_network: Option<bool>,
}

/// Resolves a request. Errors (exit code 2): an undeclared tenant *name*, a kind that needs an
/// external home tenant given none.
pub fn resolve<'q>(c: &Compiled, request: &'q Request) -> Result<Resolved<'q>, RequestError> {
    let user = &request.user;
    let home = match (&user.home, user.kind) {
        (_, Some(AccessKind::Other)) => {
            if let Some(text) = &user.home {
                if c.tenant_index(text).is_some_and(|i| Some(i) == c.resource) {
                    return Err(RequestError::new(
                        "user.home",
                        format!("a `kind: other` user has no Entra home tenant, but `home` names the resource tenant `{text}`"),
                    )
                    .help("drop `home`, or use `kind: b2b_collaboration` for an Entra account"));
                }
                check_home_name(c, text)?;
            }
            HomeIdx::NoEntra
        }
        (None, _) => match inferred_home(c, &user.name) {
            Some(i) => HomeIdx::Tenant(i),
            None => HomeIdx::Resource,
        },
        (Some(text), _) => match c.tenant_index(text) {
            Some(i) if Some(i) == c.resource => HomeIdx::Resource,
            Some(i) => HomeIdx::Tenant(i),
            None => {
                check_home_name(c, text)?;
                HomeIdx::Undeclared
            }
        },
    };
    if home == HomeIdx::Resource {
        if let Some(kind @ (AccessKind::DirectConnect | AccessKind::ServiceProvider)) = user.kind {
            return Err(RequestError::new(
                "user.kind",
                format!(
                    "`kind: {}` needs an external home tenant, but the user's home is the resource tenant `{}`",
                    kind.name(),
                    c.resource_name()
                ),
            )
            .help("set `user.home` to the partner tenant (a declared name, a tenant id or a domain)"));
        }
    }
    let mut groups = Bits::with_len(c.groups.len());
    for g in &user.groups {
        if let Some(i) = c.groups.get(&g.to_lowercase()) {
            groups.set(*i as usize);
        }
    }
    let mut roles = Bits::with_len(catalog::ROLES.len());
    for r in &user.roles {
        if let Some(i) = catalog::ROLES.iter().position(|x| x.id == *r) {
            roles.set(i);
        }
    }
    let app = app_key(c, &request.app);
    let (loc_in, loc_known) = c.locate(request.network.ip, request.network.country);
    let net = Net {
        platform: request.device.platform,
        ip: request.network.ip,
        country: request.network.country,
        loc_in,
        loc_known,
        compliant_network: request.network.compliant_network,
    };
    let mut device = request.device.attributes.clone().unwrap_or_default();
    device.is_compliant = Some(device.is_compliant.unwrap_or(request.device.compliant));
    if !extension_attributes_seen(&request.device) {
        device.clear_extension_attributes();
    }
    let home_inferred = user.home.is_none() && matches!(home, HomeIdx::Tenant(_));
    Ok(Resolved {
        request,
        home_inferred,
        home,
        user: c.users.get(&user.name.to_lowercase()).copied(),
        groups,
        roles,
        app,
        app_slot: c.app_slot(app),
        net,
        device,
    })
}

/// The declared tenant (not the resource tenant) whose domains hold the user's e-mail domain:
/// a partner's user named by e-mail without `home` is that partner's, not ours. A guest's
/// directory UPN `alias_partner.com#EXT#@contoso.onmicrosoft.com` names the partner's domain
/// before `#EXT#`.
pub(crate) fn inferred_home(c: &Compiled, name: &str) -> Option<usize> {
    let name = name.trim();
    let domain = match name.to_ascii_lowercase().split_once("#ext#") {
        Some((alias, _)) => alias.rsplit_once('_').map(|(_, d)| d.to_string())?,
        None => name.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase())?,
    };
    let i = c.tenant_index(&domain)?;
    (Some(i) != c.resource).then_some(i)
}

/// A request's app with the pack's names interned.
pub(crate) fn app_key(c: &Compiled, app: &AppRef) -> AppKey {
    match app {
        AppRef::Named(a) => AppKey::Named(*a),
        AppRef::Id(id) => AppKey::Id(c.app_ids.get(id).copied()),
        AppRef::Action(a) => AppKey::Action(*a),
        AppRef::AuthContext(ctx) => AppKey::Context(c.contexts.get(ctx).copied()),
    }
}

/// An undeclared home must be a tenant id or a domain; a bare word is a mistyped name.
fn check_home_name(c: &Compiled, text: &str) -> Result<(), RequestError> {
    if c.tenant_index(text).is_some() || Compiled::is_tenant_address(text) {
        return Ok(());
    }
    let names = c.pack.tenants.iter().map(|t| t.name.value.as_str());
    let mut err = RequestError::new("user.home", format!("`{text}` is not a declared tenant"));
    err.help = Some(match did_you_mean(text, names) {
        Some(d) => d,
        None => "name a declared tenant, or write the home tenant's id or domain (undeclared tenants get the `default` cross-tenant settings)".to_string(),
    });
    Err(err)
}

/// Whether the resource tenant sees a device's extension attributes (`extensionAttribute1..15`):
/// only on a device that is Intune-managed, compliant or hybrid joined (Microsoft Learn,
/// "Conditional Access: Filter for devices", supported attributes,
/// https://learn.microsoft.com/entra/identity/conditional-access/concept-condition-filters-for-devices);
/// on a merely registered device they are null.
pub(crate) fn extension_attributes_seen(device: &crate::model::request::Device) -> bool {
    device.managed || device.compliant || device.hybrid_joined
}

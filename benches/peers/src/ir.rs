//! The enforced policies and the named locations of a pack, in the terms both translators print:
//! names resolved to keys, IP ranges normalised, and every construct the translators do not
//! express refused here, once, with [`Unsupported`].
//!
//! Only `on` policies are kept: `report_only` policies are never enforced and `off` policies are
//! ignored, so neither changes a decision (accord's decision-only path skips them too).

use accord::model::catalog::{self, BuiltInStrength};
use accord::model::device_filter::{DeviceFilter, DeviceProperty, FilterOp, FilterValue};
use accord::model::{
    AuthStrength, Control, ExternalType, FilterMode, GrantOp, LocationKind, LocationRef, Origin,
    Pack, PolicyState, UserTarget,
};
use ipnet::IpNet;

use crate::settings::{app_target, AppTargetKey};
use crate::Unsupported;

#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub name: String,
    pub trusted: bool,
    pub kind: LocationKindIr,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LocationKindIr {
    /// Normalised CIDRs (`10.1.0.0/16`, host bits cleared).
    Ip(Vec<String>),
    /// ISO codes; `unknown`: the location holds sign-ins whose IP maps to no country.
    Countries { codes: Vec<String>, unknown: bool },
}

#[derive(Debug, Clone, PartialEq)]
pub enum User {
    All,
    GuestsOrExternal,
    /// Lowercase UPN.
    User(String),
    /// Lowercase group name.
    Group(String),
    /// A role template id.
    Role(&'static str),
    External {
        /// External type names (`b2b_guest`...); every type when the pack says `all`.
        types: Vec<&'static str>,
        origin: OriginIr,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum OriginIr {
    Any,
    Organization,
    Outside,
    Tenants(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loc {
    All,
    AllTrusted,
    /// Index in [`Ir::locations`].
    Named(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ControlIr {
    Mfa,
    CompliantDevice,
    HybridJoined,
    ApprovedApp,
    AppProtection,
    PasswordChange,
    Terms(String),
    Strength(BuiltInStrength),
}

/// `devices = include|exclude 'device.<text property> -eq "<value>"'`, the one filter shape the
/// generated packs use. String comparisons ignore case, so the value is lowercased here and the
/// request's attribute when it is read.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceEq {
    pub include: bool,
    pub property: DeviceProperty,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub name: String,
    pub users_include: Vec<User>,
    pub users_exclude: Vec<User>,
    pub apps_include: Vec<AppTargetKey>,
    pub apps_exclude: Vec<AppTargetKey>,
    /// (include, exclude) platform names; `all` is written as `all`.
    pub platforms: Option<(Vec<&'static str>, Vec<&'static str>)>,
    pub locations: Option<(Vec<Loc>, Vec<Loc>)>,
    pub client_apps: Option<Vec<&'static str>>,
    pub sign_in_risk: Option<Vec<&'static str>>,
    pub user_risk: Option<Vec<&'static str>>,
    pub insider_risk: Option<Vec<&'static str>>,
    pub auth_flows: Option<Vec<&'static str>>,
    pub device: Option<DeviceEq>,
    /// A `block` control: the policy blocks whatever else it asks.
    pub block: bool,
    /// `any(...)` (else every control is required).
    pub any: bool,
    /// The grant controls other than `block`.
    pub controls: Vec<ControlIr>,
    /// The policy has session controls (unsupported for direct connect users).
    pub session: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ir {
    pub locations: Vec<Location>,
    pub policies: Vec<Policy>,
}

pub fn lower(pack: &Pack) -> Result<Ir, Unsupported> {
    let locations = pack
        .locations
        .iter()
        .map(|l| {
            let kind = match &l.kind {
                LocationKind::Ip { ranges } => LocationKindIr::Ip(
                    ranges
                        .iter()
                        .map(|r| {
                            r.value
                                .parse::<IpNet>()
                                .map(|n| n.trunc().to_string())
                                .map_err(|_| Unsupported(format!("IP range `{}`", r.value)))
                        })
                        .collect::<Result<_, _>>()?,
                ),
                LocationKind::Countries {
                    codes,
                    include_unknown,
                    ..
                } => LocationKindIr::Countries {
                    codes: codes.iter().map(|c| c.value.clone()).collect(),
                    unknown: *include_unknown,
                },
            };
            Ok(Location {
                name: l.name.value.clone(),
                trusted: l.is_trusted(),
                kind,
            })
        })
        .collect::<Result<Vec<_>, Unsupported>>()?;
    let policies = pack
        .policies
        .iter()
        .filter(|p| p.state.value == PolicyState::On)
        .map(|p| policy(pack, p))
        .collect::<Result<_, _>>()?;
    Ok(Ir {
        locations,
        policies,
    })
}

fn policy(pack: &Pack, p: &accord::model::Policy) -> Result<Policy, Unsupported> {
    let users = |list: &[accord::model::Spanned<UserTarget>]| {
        list.iter()
            .map(|t| user(pack, &t.value))
            .collect::<Result<Vec<_>, _>>()
    };
    let apps = |list: &[accord::model::Spanned<accord::model::AppTarget>]| {
        list.iter()
            .map(|t| app_target(&t.value))
            .collect::<Result<Vec<_>, _>>()
    };
    let c = &p.conditions;
    let locations = match &c.locations {
        None => None,
        Some(l) => {
            let side = |list: &[accord::model::Spanned<LocationRef>]| {
                list.iter()
                    .map(|r| match &r.value {
                        LocationRef::All => Ok(Loc::All),
                        LocationRef::AllTrusted => Ok(Loc::AllTrusted),
                        LocationRef::Named(n) => pack
                            .locations
                            .iter()
                            .position(|x| x.name.value == *n)
                            .map(Loc::Named)
                            .ok_or_else(|| Unsupported(format!("undeclared location `{n}`"))),
                        LocationRef::MfaTrustedIps => {
                            Err(Unsupported("the MFA trusted IPs location".into()))
                        }
                    })
                    .collect::<Result<Vec<_>, _>>()
            };
            Some((side(&l.include)?, side(&l.exclude)?))
        }
    };
    let device = match &c.devices {
        None => None,
        Some(d) => match &d.filter {
            Some(DeviceFilter::Comparison(cmp))
                if cmp.op == FilterOp::Eq && text_property(cmp.property) =>
            {
                let FilterValue::String(v) = &cmp.value else {
                    return Err(Unsupported(format!("device filter `{}`", d.rule.value)));
                };
                Some(DeviceEq {
                    include: d.mode.value == FilterMode::Include,
                    property: cmp.property,
                    value: v.to_lowercase(),
                })
            }
            _ => return Err(Unsupported(format!("device filter `{}`", d.rule.value))),
        },
    };
    let mut block = false;
    let mut any = false;
    let mut controls = Vec::new();
    if let Some(g) = &p.grant {
        any = g.op.value == GrantOp::Any;
        for control in &g.controls {
            controls.push(match &control.value {
                Control::Block => {
                    block = true;
                    continue;
                }
                Control::Mfa => ControlIr::Mfa,
                Control::CompliantDevice => ControlIr::CompliantDevice,
                Control::HybridJoined => ControlIr::HybridJoined,
                Control::ApprovedApp => ControlIr::ApprovedApp,
                Control::AppProtection => ControlIr::AppProtection,
                Control::PasswordChange => ControlIr::PasswordChange,
                Control::TermsOfUse(name) => ControlIr::Terms(name.clone()),
                Control::AuthStrength(AuthStrength::BuiltIn(s)) => ControlIr::Strength(*s),
                other => return Err(Unsupported(format!("grant control {other:?}"))),
            });
        }
    }
    Ok(Policy {
        name: p.name.value.clone(),
        users_include: users(&p.users.include)?,
        users_exclude: users(&p.users.exclude)?,
        apps_include: apps(&p.apps.include)?,
        apps_exclude: apps(&p.apps.exclude)?,
        platforms: c.platforms.as_ref().map(|l| {
            let side = |v: &[accord::model::Spanned<accord::model::Platform>]| {
                v.iter().map(|x| x.value.name()).collect::<Vec<_>>()
            };
            (side(&l.include), side(&l.exclude))
        }),
        locations,
        client_apps: names(&c.client_apps, |x| x.name()),
        sign_in_risk: names(&c.sign_in_risk, |x| x.name()),
        user_risk: names(&c.user_risk, |x| x.name()),
        insider_risk: names(&c.insider_risk, |x| x.name()),
        auth_flows: names(&c.auth_flows, |x| x.name()),
        device,
        block,
        any,
        controls,
        session: p.session.as_ref().is_some_and(|s| !s.is_empty()),
    })
}

/// The names of a list condition's values.
fn names<T>(
    list: &Option<accord::model::ListCondition<T>>,
    name: fn(&T) -> &'static str,
) -> Option<Vec<&'static str>> {
    list.as_ref()
        .map(|l| l.value.iter().map(|x| name(&x.value)).collect())
}

/// The string-valued properties a request can carry (see [`device_text`]).
fn text_property(p: DeviceProperty) -> bool {
    !matches!(
        p,
        DeviceProperty::IsCompliant | DeviceProperty::PhysicalIds | DeviceProperty::SystemLabels
    )
}

/// The device properties a request states, by their filter names, lowercased.
pub fn device_attributes(
    r: &accord::model::request::Request,
) -> serde_json::Map<String, serde_json::Value> {
    let mut out = serde_json::Map::new();
    if let Some(a) = &r.device.attributes {
        for p in DeviceProperty::ALL {
            if let Some(v) = device_text(a, p) {
                out.insert(p.name().to_string(), serde_json::Value::String(v));
            }
        }
    }
    out
}

/// A string-valued device property of a request, lowercased (filters ignore case).
pub fn device_text(
    attrs: &accord::eval::device_filter::DeviceAttributes,
    p: DeviceProperty,
) -> Option<String> {
    use DeviceProperty as P;
    let v = match p {
        P::DeviceId => &attrs.device_id,
        P::MdmAppId => &attrs.mdm_app_id,
        P::DisplayName => &attrs.display_name,
        P::EnrollmentProfileName => &attrs.enrollment_profile_name,
        P::Manufacturer => &attrs.manufacturer,
        P::Model => &attrs.model,
        P::OperatingSystem => &attrs.operating_system,
        P::OperatingSystemVersion => &attrs.operating_system_version,
        P::ExtensionAttribute1 => &attrs.extension_attribute1,
        P::ExtensionAttribute2 => &attrs.extension_attribute2,
        P::ExtensionAttribute3 => &attrs.extension_attribute3,
        P::ExtensionAttribute4 => &attrs.extension_attribute4,
        P::ExtensionAttribute5 => &attrs.extension_attribute5,
        P::ExtensionAttribute6 => &attrs.extension_attribute6,
        P::ExtensionAttribute7 => &attrs.extension_attribute7,
        P::ExtensionAttribute8 => &attrs.extension_attribute8,
        P::ExtensionAttribute9 => &attrs.extension_attribute9,
        P::ExtensionAttribute10 => &attrs.extension_attribute10,
        P::ExtensionAttribute11 => &attrs.extension_attribute11,
        P::ExtensionAttribute12 => &attrs.extension_attribute12,
        P::ExtensionAttribute13 => &attrs.extension_attribute13,
        P::ExtensionAttribute14 => &attrs.extension_attribute14,
        P::ExtensionAttribute15 => &attrs.extension_attribute15,
        P::DeviceOwnership => &attrs.device_ownership,
        P::ProfileType => &attrs.profile_type,
        P::TrustType => &attrs.trust_type,
        P::IsCompliant | P::PhysicalIds | P::SystemLabels => &None,
    };
    v.as_ref().map(|s| s.to_lowercase())
}

fn user(pack: &Pack, t: &UserTarget) -> Result<User, Unsupported> {
    Ok(match t {
        UserTarget::All => User::All,
        UserTarget::GuestsOrExternal => User::GuestsOrExternal,
        UserTarget::User(u) => User::User(u.to_lowercase()),
        UserTarget::Group(g) => User::Group(g.to_lowercase()),
        UserTarget::Role(r) => User::Role(
            catalog::role_by_name(r)
                .or_else(|| catalog::role_by_id(r))
                .map(|x| x.id)
                .ok_or_else(|| Unsupported(format!("role `{r}`")))?,
        ),
        UserTarget::External { types, origin } => User::External {
            types: if types.is_empty() {
                ExternalType::ALL.iter().map(|t| t.name()).collect()
            } else {
                types.iter().map(|t| t.value.name()).collect()
            },
            origin: match &origin.value {
                Origin::Any => OriginIr::Any,
                Origin::Organization => OriginIr::Organization,
                Origin::OutsideOrganization => OriginIr::Outside,
                Origin::Tenants(names) => OriginIr::Tenants(
                    names
                        .iter()
                        .map(|n| {
                            pack.tenant(&n.value)
                                .map(|t| t.name.value.clone())
                                .ok_or_else(|| {
                                    Unsupported(format!("undeclared tenant `{}`", n.value))
                                })
                        })
                        .collect::<Result<_, _>>()?,
                ),
            },
        },
        UserTarget::None => return Err(Unsupported("user target `none`".into())),
    })
}

/// The methods of each allowed combination of a built-in strength, by name.
pub fn strength_combinations(s: BuiltInStrength) -> Vec<Vec<&'static str>> {
    s.allowed_combinations()
        .iter()
        .map(|c| c.iter().map(|m| m.name()).collect())
        .collect()
}

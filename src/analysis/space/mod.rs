//! The request space of one or two packs: every field of an access request as a *dimension*
//! with a finite list of *classes*, chosen so that no pack under analysis can tell two values of
//! one class apart. A request is one class per dimension (a [`Point`]); a set of requests that
//! is a product of class sets is a [`Cube`](super::cube::Cube).
//!
//! The classes, and why each is exact:
//! - **who**: every valid combination of `user.type`, `user.home` and `user.kind`: internal
//!   members and guests; for each declared partner tenant and for "any undeclared tenant" (they
//!   all get the `default` settings), B2B collaboration, direct connect and service provider,
//!   each as member and guest; users without an Entra tenant (`kind: other`) as member and guest.
//!   The evaluator reads nothing else of these fields.
//! - **user**: each user a policy or cross-tenant setting names, and "anyone else".
//! - **groups**, **roles**, **terms of use**: one yes/no dimension per name the packs use, so
//!   memberships are analysed in combination.
//! - **app**: the first-party apps, each app id, user action and authentication context the
//!   packs name, "any other app id" and "any other context".
//! - **client app**, **platform** (and "not stated"), **device flags**, **mfa**, **flow**,
//!   **risk levels**: their values.
//! - **ip**, **country** (and "not stated"): location membership is constant between range
//!   boundaries, so one address per distinct membership vector over every pack's IP locations
//!   (IPv4 and IPv6) covers every address; one class per distinct vector of country locations,
//!   plus "unknown" and "any other country".
//! - **methods**: one class per vector of "meets strength S" over the built-in strengths the
//!   packs require, each with a smallest set of methods that realises it (every subset of the
//!   14 methods is examined).

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::eval::bits::LocBits;
use crate::eval::compile::{AppM, Compiled, LocationTable, UserM};
use crate::model::catalog::{self, AuthMethod, FirstPartyApp};
use crate::model::request::{
    AccessKind, AppRef, Auth, Country, Device, Flow, InsiderRiskLevel, Keyword, MfaPlace, Network,
    Registered, Request, RequestUser, Risk, UserType,
};
use crate::model::strength::{self, AuthMode, MethodsAt};
use crate::model::{AuthStrength, ClientApp, Control, Platform, RiskLevel, UserAction};

mod classes;
pub mod device;
mod locate;
mod network;

use classes::*;
use network::*;

pub type DimId = usize;

/// The user's identity fields, as one dimension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    Member,
    InternalGuest,
    External {
        home: Home,
        user_type: UserType,
        /// `B2bCollaboration` (written as no `kind`), `DirectConnect` or `ServiceProvider`.
        kind: AccessKind,
    },
    /// `kind: other`: no Entra home tenant.
    NoEntra {
        user_type: UserType,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Home {
    /// Index in [`Space::tenants`].
    Tenant(usize),
    Undeclared,
}

/// A partner tenant some pack declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantName {
    pub name: String,
    /// How requests name it so that every pack resolves it: its id, else a domain, else its name.
    pub address: String,
    pub domain: Option<String>,
}

/// What a class stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Who(Who),
    /// A named user (lowercase), or `None`: anyone else.
    User(Option<String>),
    Flag(bool),
    /// A flag a request may leave out (`None`: not stated).
    Stated(Option<bool>),
    App(AppRef),
    /// "Any other app id" / "any other authentication context": the representative.
    OtherApp(AppRef),
    Client(ClientApp),
    Platform(Option<Platform>),
    Ip(Option<IpAddr>),
    Country(CountryClass),
    Registered(Registered),
    Mfa(MfaPlace),
    Methods(Vec<AuthMethod>),
    Flow(Flow),
    Risk(RiskLevel),
    Insider(InsiderRiskLevel),
    /// A device property's value (device filters).
    Attribute(device::Attribute),
}

/// A class of countries: the codes it holds (for labels) and one to put in a request.
#[derive(Debug, Clone, PartialEq)]
pub enum CountryClass {
    Missing,
    Codes {
        representative: Country,
        /// Every code of the class the packs name; empty for "any other country".
        named: Vec<Country>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    pub label: String,
    /// How many request fields (list items counted one each) differ from the defaults: the
    /// measure a minimal counterexample minimises.
    pub weight: u32,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DimKey {
    Who,
    User,
    /// Lowercase group name.
    Group(String),
    /// Index in `catalog::ROLES`.
    Role(usize),
    App,
    Client,
    Platform,
    Ip,
    Country,
    SignInRisk,
    UserRisk,
    Insider,
    Flow,
    Mfa,
    Methods,
    Terms(String),
    Compliant,
    Hybrid,
    Managed,
    Registered,
    ApprovedApp,
    AppProtection,
    /// `device.token_bound` (token protection).
    TokenBound,
    /// `network.compliant_network` (the `compliant_network` location).
    CompliantNetwork,
    Device(crate::model::device_filter::DeviceProperty),
}

#[derive(Debug, Clone)]
pub struct Dim {
    pub key: DimKey,
    /// What the dimension is called in messages and selectors (`user`, `group "Sales"`, `app`).
    pub name: String,
    pub classes: Vec<Class>,
    pub(crate) word: usize,
    pub(crate) words: usize,
}

/// The well-known dimensions.
#[derive(Debug, Clone, Copy, Default)]
pub struct Known {
    pub who: DimId,
    pub user: DimId,
    pub app: DimId,
    pub client: DimId,
    pub platform: DimId,
    pub ip: DimId,
    pub country: DimId,
    pub sign_in_risk: DimId,
    pub user_risk: DimId,
    pub insider: DimId,
    pub flow: DimId,
    pub mfa: DimId,
    pub methods: DimId,
    pub compliant: DimId,
    pub hybrid: DimId,
    pub managed: DimId,
    pub registered: DimId,
    pub approved_app: DimId,
    pub app_protection: DimId,
    pub token_bound: DimId,
    pub compliant_network: DimId,
}

/// One class index per dimension: a concrete request.
pub type Point = Vec<u16>;

#[derive(Debug, Clone)]
pub struct Space {
    pub dims: Vec<Dim>,
    pub known: Known,
    pub resource: TenantName,
    pub tenants: Vec<TenantName>,
    /// Group dimensions: (name as first written, dimension).
    pub groups: Vec<(String, DimId)>,
    pub roles: Vec<(usize, DimId)>,
    pub terms: Vec<(String, DimId)>,
    /// The dimension of every group name (lowercase) and role: interchangeable ones share one.
    pub(crate) group_dims: HashMap<String, DimId>,
    pub(crate) role_dims: HashMap<usize, DimId>,
    /// Device-filter properties: (property, dimension, the tests made on it).
    pub devices: Vec<(
        crate::model::device_filter::DeviceProperty,
        DimId,
        device::Tests,
    )>,
    /// Per address class but the first ("unstated"), what tells it apart.
    pub(crate) ip_keys: Vec<IpKey>,
    pub(crate) extra: Extra,
    /// The allowed combinations of the strengths the packs require, in the order of the methods
    /// classes' vectors.
    pub(crate) strengths: Vec<Vec<Vec<AuthMode>>>,
    pub(crate) words: usize,
}

/// What else a space must tell apart: boundaries a selector names (`network.ip: 10.0.0.0/8`).
#[derive(Debug, Clone, Default)]
pub struct Extra {
    pub ranges: Vec<ipnet::IpNet>,
    pub countries: Vec<Country>,
}

/// An app id no pack names, and the first context id none names, stand for "any other".
const OTHER_APP: &str = "00000000-0000-4000-8000-0000000000aa";
/// A tenant id no pack declares stands for "any undeclared tenant".
pub const UNDECLARED_TENANT: &str = "elsewhere.example";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpaceError {
    /// The packs govern different resource tenants, or one names as partner the other's
    /// resource tenant: their requests are not comparable.
    ResourceMismatch(String),
    NoResource,
    /// Device filters the analysis cannot enumerate exactly (refused, never approximated).
    TooComplex(String),
}

impl std::fmt::Display for SpaceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SpaceError::ResourceMismatch(m) => f.write_str(m),
            SpaceError::NoResource => f.write_str("the pack declares no resource tenant"),
            SpaceError::TooComplex(m) => f.write_str(m),
        }
    }
}

impl Space {
    /// The space of one or more compiled packs (for `diff`, the old and the new one).
    pub fn new(packs: &[&Compiled], extra: &Extra) -> Result<Space, SpaceError> {
        let resource = resource_of(packs)?;
        let tenants = partner_tenants(packs, &resource);
        let mut b = Builder::default();
        let known_who = b.dim(DimKey::Who, "user", who_classes(&tenants));
        let users = named_users(packs);
        let user = b.dim(DimKey::User, "user.name", user_classes(&users));
        let mut groups = Vec::new();
        let mut group_dims = HashMap::new();
        for class in named_groups(packs) {
            let display: Vec<String> = class.iter().map(|(_, d)| format!("`{d}`")).collect();
            let (yes, no) = match display.len() {
                1 => (
                    format!("in group {}", display[0]),
                    format!("not in group {}", display[0]),
                ),
                n => (
                    format!("in one of the {n} groups {}", short_list(&display)),
                    format!("in none of the {n} groups {}", short_list(&display)),
                ),
            };
            let d = b.dim(
                DimKey::Group(class[0].0.clone()),
                &format!("group \"{}\"", class[0].1),
                flag_classes(&no, &yes),
            );
            for (key, _) in &class {
                group_dims.insert(key.clone(), d);
            }
            groups.push((class[0].1.clone(), d));
        }
        let mut roles = Vec::new();
        let mut role_dims = HashMap::new();
        for class in named_roles(packs) {
            let names: Vec<String> = class
                .iter()
                .map(|r| format!("`{}`", catalog::ROLES[*r].name))
                .collect();
            let (yes, no) = match names.len() {
                1 => (
                    format!("with role {}", names[0]),
                    format!("without role {}", names[0]),
                ),
                n => (
                    format!("with one of the {n} roles {}", short_list(&names)),
                    format!("with none of the {n} roles {}", short_list(&names)),
                ),
            };
            let d = b.dim(
                DimKey::Role(class[0]),
                &format!("role {}", catalog::ROLES[class[0]].name),
                flag_classes(&no, &yes),
            );
            for r in &class {
                role_dims.insert(*r, d);
            }
            roles.push((class[0], d));
        }
        let app = b.dim(DimKey::App, "app", app_classes(packs));
        let client = b.dim(DimKey::Client, "client_app", client_classes());
        let platform = b.dim(DimKey::Platform, "device.platform", platform_classes());
        let (ip_list, ip_keys) = ip_classes(packs, extra);
        let ip = b.dim(DimKey::Ip, "network.ip", ip_list);
        let country = b.dim(
            DimKey::Country,
            "network.country",
            country_classes(packs, extra),
        );
        let sign_in_risk = b.dim(DimKey::SignInRisk, "risk.sign_in", risk_classes("sign-in"));
        let user_risk = b.dim(DimKey::UserRisk, "risk.user", risk_classes("user"));
        let insider = b.dim(DimKey::Insider, "risk.insider", insider_classes());
        let flow = b.dim(DimKey::Flow, "auth.flow", flow_classes());
        let mfa = b.dim(DimKey::Mfa, "auth.mfa", mfa_classes());
        let methods = b.dim(DimKey::Methods, "auth.methods", method_classes(packs));
        let mut terms = Vec::new();
        for t in named_terms(packs) {
            let d = b.dim(
                DimKey::Terms(t.clone()),
                &format!("terms_of_use \"{t}\""),
                flag_classes(
                    &format!("terms `{t}` not accepted"),
                    &format!("terms `{t}` accepted"),
                ),
            );
            terms.push((t, d));
        }
        let compliant = b.dim(
            DimKey::Compliant,
            "device.compliant",
            flag_classes("a device not marked compliant", "a compliant device"),
        );
        let hybrid = b.dim(
            DimKey::Hybrid,
            "device.hybrid_joined",
            flag_classes("not hybrid joined", "a hybrid-joined device"),
        );
        let managed = b.dim(
            DimKey::Managed,
            "device.managed",
            flag_classes("not managed by Intune", "an Intune-managed device"),
        );
        let registered = b.dim(
            DimKey::Registered,
            "device.registered",
            registered_classes(),
        );
        let approved_app = b.dim(
            DimKey::ApprovedApp,
            "device.approved_app",
            flag_classes("not an approved client app", "an approved client app"),
        );
        let app_protection = b.dim(
            DimKey::AppProtection,
            "device.app_protection",
            flag_classes("no app protection policy", "an app protection policy"),
        );
        let token_bound = b.dim(
            DimKey::TokenBound,
            "device.token_bound",
            flag_classes(
                "a session token not bound to the device (or not stated)",
                "a device-bound session token",
            ),
        );
        let compliant_network = b.dim(
            DimKey::CompliantNetwork,
            "network.compliant_network",
            classes::stated_classes(
                "not through a compliant network",
                "through a compliant network",
            ),
        );
        let filters: Vec<&crate::model::device_filter::DeviceFilter> = packs
            .iter()
            .flat_map(|c| &c.pack().policies)
            .filter_map(|p| p.conditions.devices.as_ref())
            .filter_map(|d| d.filter.as_ref())
            .collect();
        let mut devices = Vec::new();
        for (property, tests) in device::property_tests(filters.into_iter()) {
            let classes =
                device::property_classes(property, &tests).map_err(SpaceError::TooComplex)?;
            let d = b.dim(
                DimKey::Device(property),
                &format!("device.attributes.{}", property.name()),
                classes,
            );
            devices.push((property, d, tests));
        }
        Ok(Space {
            words: b.words,
            dims: b.dims,
            known: Known {
                who: known_who,
                user,
                app,
                client,
                platform,
                ip,
                country,
                sign_in_risk,
                user_risk,
                insider,
                flow,
                mfa,
                methods,
                compliant,
                hybrid,
                managed,
                registered,
                approved_app,
                app_protection,
                token_bound,
                compliant_network,
            },
            resource,
            tenants,
            groups,
            roles,
            group_dims,
            role_dims,
            terms,
            devices,
            ip_keys,
            extra: extra.clone(),
            strengths: strengths_used(packs),
        })
    }

    pub fn dim(&self, d: DimId) -> &Dim {
        &self.dims[d]
    }

    pub fn class(&self, d: DimId, class: u16) -> &Class {
        &self.dims[d].classes[class as usize]
    }

    /// The dimension telling whether a user is in a group (by name, any case).
    pub fn group_dim(&self, name: &str) -> Option<DimId> {
        self.group_dims.get(&name.to_lowercase()).copied()
    }

    /// The dimension telling whether a user has a role (index in `catalog::ROLES`).
    pub fn role_dim(&self, role: usize) -> Option<DimId> {
        self.role_dims.get(&role).copied()
    }

    /// The dimension with this key.
    pub fn find(&self, key: &DimKey) -> Option<DimId> {
        self.dims.iter().position(|d| &d.key == key)
    }

    /// Total weight of a point: how many request fields differ from their defaults.
    pub fn weight(&self, point: &[u16]) -> u32 {
        point
            .iter()
            .enumerate()
            .map(|(d, c)| self.class(d, *c).weight)
            .sum()
    }

    /// The complete request a point stands for.
    pub fn request(&self, point: &[u16]) -> Request {
        let k = &self.known;
        let value = |d: DimId| &self.class(d, point[d]).value;
        let flag = |d: DimId| matches!(value(d), Value::Flag(true));
        let (user_type, home, kind) = match value(k.who) {
            Value::Who(Who::InternalGuest) => (UserType::Guest, None, None),
            Value::Who(Who::External {
                home,
                user_type,
                kind,
            }) => (
                *user_type,
                Some(match home {
                    Home::Tenant(i) => self.tenants[*i].address.clone(),
                    Home::Undeclared => UNDECLARED_TENANT.to_string(),
                }),
                match kind {
                    AccessKind::B2bCollaboration => None,
                    other => Some(*other),
                },
            ),
            Value::Who(Who::NoEntra { user_type }) => (*user_type, None, Some(AccessKind::Other)),
            _ => (UserType::Member, None, None),
        };
        let name = match value(k.user) {
            Value::User(Some(n)) => n.clone(),
            _ => self.generated_name(point),
        };
        // An internal user named with another domain: the resource tenant said explicitly, or
        // a partner declaring that domain would make the user the partner's (`eval::resolve`).
        let foreign = |n: &str| {
            let domain = n.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase());
            domain.is_some()
                && domain
                    != self
                        .resource
                        .domain
                        .as_ref()
                        .map(|d| d.to_ascii_lowercase())
        };
        let home = match (home, kind) {
            (None, None) if foreign(&name) => Some(self.resource.address.clone()),
            (home, _) => home,
        };
        let groups = self
            .groups
            .iter()
            .filter(|(_, d)| flag(*d))
            .map(|(n, _)| n.clone())
            .collect();
        let roles = self
            .roles
            .iter()
            .filter(|(_, d)| flag(*d))
            .map(|(r, _)| catalog::ROLES[*r].id)
            .collect();
        let app = match value(k.app) {
            Value::App(a) | Value::OtherApp(a) => a.clone(),
            _ => AppRef::Named(FirstPartyApp::SharePoint),
        };
        let country = match value(k.country) {
            Value::Country(CountryClass::Codes { representative, .. }) => Some(*representative),
            _ => None,
        };
        Request {
            user: RequestUser {
                name,
                user_type,
                home,
                kind,
                groups,
                roles,
                groups_unknown: false,
                roles_unknown: false,
                home_groups_unknown: false,
            },
            app,
            client_app: match value(k.client) {
                Value::Client(c) => *c,
                _ => ClientApp::Browser,
            },
            device: Device {
                platform: match value(k.platform) {
                    Value::Platform(p) => *p,
                    _ => None,
                },
                compliant: flag(k.compliant),
                hybrid_joined: flag(k.hybrid),
                managed: flag(k.managed),
                registered: match value(k.registered) {
                    Value::Registered(r) => *r,
                    _ => Registered::None,
                },
                approved_app: flag(k.approved_app),
                app_protection: flag(k.app_protection),
                token_bound: Some(flag(k.token_bound)),
                attributes: self.attributes(point),
                attributes_partial: false,
            },
            network: Network {
                ip: match value(k.ip) {
                    Value::Ip(ip) => *ip,
                    _ => None,
                },
                country,
                compliant_network: match value(k.compliant_network) {
                    Value::Stated(s) => *s,
                    _ => None,
                },
            },
            auth: Auth {
                mfa: match value(k.mfa) {
                    Value::Mfa(m) => *m,
                    _ => MfaPlace::None,
                },
                methods: match value(k.methods) {
                    Value::Methods(m) => m.clone(),
                    _ => Vec::new(),
                },
                terms_accepted: self
                    .terms
                    .iter()
                    .filter(|(_, d)| flag(*d))
                    .map(|(t, _)| t.clone())
                    .collect(),
                flow: match value(k.flow) {
                    Value::Flow(f) => *f,
                    _ => Flow::None,
                },
            },
            risk: Risk {
                sign_in: match value(k.sign_in_risk) {
                    Value::Risk(r) => *r,
                    _ => RiskLevel::None,
                },
                user: match value(k.user_risk) {
                    Value::Risk(r) => *r,
                    _ => RiskLevel::None,
                },
                insider: match value(k.insider) {
                    Value::Insider(i) => *i,
                    _ => InsiderRiskLevel::None,
                },
            },
        }
    }

    /// The device properties a point states (`None` when it states none).
    fn attributes(&self, point: &[u16]) -> Option<crate::eval::device_filter::DeviceAttributes> {
        let mut map = serde_json::Map::new();
        for (property, d, _) in &self.devices {
            let value = match &self.class(*d, point[*d]).value {
                Value::Attribute(device::Attribute::Text(t)) => serde_json::json!(t),
                Value::Attribute(device::Attribute::Bool(b)) => serde_json::json!(b),
                Value::Attribute(device::Attribute::List(l)) => serde_json::json!(l),
                _ => continue,
            };
            map.insert(property.name().to_string(), value);
        }
        if map.is_empty() {
            return None;
        }
        serde_json::from_value(serde_json::Value::Object(map)).ok()
    }

    /// A name for "anyone else": an address at the user's home domain that no pack names.
    fn generated_name(&self, point: &[u16]) -> String {
        let (local, domain) = match &self.class(self.known.who, point[self.known.who]).value {
            Value::Who(Who::Member) => ("someone", self.resource.domain.clone()),
            Value::Who(Who::InternalGuest) => ("guest", self.resource.domain.clone()),
            Value::Who(Who::External {
                home: Home::Tenant(i),
                ..
            }) => ("someone", self.tenants[*i].domain.clone()),
            Value::Who(Who::External { .. }) => ("someone", Some("elsewhere.example".into())),
            _ => ("someone", Some("mail.example".into())),
        };
        let domain = domain.unwrap_or_else(|| "example.com".to_string());
        let named: Vec<&str> = self.dims[self.known.user]
            .classes
            .iter()
            .filter_map(|c| match &c.value {
                Value::User(Some(n)) => Some(n.as_str()),
                _ => None,
            })
            .collect();
        let mut candidate = format!("{local}@{domain}");
        let mut n = 2;
        while named.contains(&candidate.as_str()) {
            candidate = format!("{local}{n}@{domain}");
            n += 1;
        }
        candidate
    }
}

/// `a, b, c` or `a, b, c and 7 more`.
fn short_list(items: &[String]) -> String {
    if items.len() > 4 {
        format!("{} and {} more", items[..3].join(", "), items.len() - 3)
    } else {
        items.join(", ")
    }
}

#[derive(Default)]
struct Builder {
    dims: Vec<Dim>,
    words: usize,
}

impl Builder {
    fn dim(&mut self, key: DimKey, name: &str, classes: Vec<Class>) -> DimId {
        let words = classes.len().div_ceil(64).max(1);
        self.dims.push(Dim {
            key,
            name: name.to_string(),
            classes,
            word: self.words,
            words,
        });
        self.words += words;
        self.dims.len() - 1
    }
}

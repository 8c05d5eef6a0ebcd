//! Access requests: the question `accord whatif` answers.
//!
//! A request is a YAML (or JSON) document. Every field but `user` (with `user.name`) and `app` is
//! optional. The shape is a public contract:
//!
//! ```yaml
//! user:
//!   name: bob@fabrikam.com    # UPN or e-mail (required)
//!   type: guest               # member | guest (default member): userType in the resource tenant
//!   home: fabrikam            # a declared tenant's name, or a tenant id or domain (default: the
//!                             # resource tenant); undeclared ids/domains get the `default` settings
//!   kind: b2b_collaboration   # b2b_collaboration (default) | direct_connect | service_provider | other
//!   groups: ["Partners"]      # group names (or ids), matched against CA and cross-tenant targets
//!   roles: []                 # directory roles: catalog names or template ids
//! app: sharepoint             # a named app, an app id, action:register_security_info, auth_context:c1
//! client_app: browser         # browser | mobile_desktop | exchange_active_sync | other (default browser)
//! device:
//!   platform: windows         # android | ios | windows | macos | linux | windows_phone (absent = missing)
//!   compliant: false          # as stated by the tenant the device is registered in
//!   hybrid_joined: false
//!   managed: false            # enrolled in Intune (MDM); a compliant or hybrid-joined device is too
//!   registered: none          # home | resource | none
//!   approved_app: false
//!   app_protection: false
//!   token_bound: true         # the sign-in session's token is bound to the device (token
//!                             # protection); absent = not stated, decided as not bound
//!   attributes:               # optional: device properties for device filters (§1.11), e.g.
//!     extensionAttribute1: SAW  #  isCompliant, trustType, deviceOwnership, model, extensionAttribute1..15
//! network:                    # absent ip / country = missing signals
//!   ip: 198.51.100.7          # IPv4 or IPv6
//!   country: FR               # ISO 3166 alpha-2, or `unknown` (maps to no country)
//!   compliant_network: true   # through a Global Secure Access compliant network (absent =
//!                             # not stated: a `compliant_network` location condition is unknown)
//! auth:
//!   mfa: none                 # none | home | resource: where MFA was done in this session
//!   methods: []               # e.g. [password, authenticator_push, fido2]
//!   terms_accepted: []        # names of terms of use already accepted
//!   flow: none                # none | device_code | auth_transfer (authentication flow, §1.12)
//! risk:
//!   sign_in: none             # none | low | medium | high
//!   user: none                # none | low | medium | high
//!   insider: none             # none | minor | moderate | elevated (Purview adaptive protection)
//! ```
//!
//! `device.attributes`, `auth.flow` and `risk.insider` are accord additions: the language has
//! device-filter, authentication-flow and insider-risk conditions, so a request must be able to
//! state them. `risk.insider` defaults to `none`, as the platform's What-If API defaults
//! `insiderRiskLevel` (§2.5); a policy's `insider_risk` lists only `minor`, `moderate` and
//! `elevated` (§1.10), so a user without insider risk is never in its scope.
//!
//! [`RequestDoc`] is the document as written (every field optional, so that matrix dimensions and
//! `--set` overrides are partial documents that merge); [`Request`] is a complete, typed request.

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

use super::catalog::{self, AuthMethod, FirstPartyApp};
use super::{ClientApp, InsiderRisk, Platform, RiskLevel, UserAction};
use crate::diagnostic::did_you_mean;
use crate::eval::device_filter::DeviceAttributes;
use crate::yaml::{self, YamlError};

// ---- the complete request -------------------------------------------------------------------

/// A complete access request, every default applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub user: RequestUser,
    pub app: AppRef,
    pub client_app: ClientApp,
    pub device: Device,
    pub network: Network,
    pub auth: Auth,
    pub risk: Risk,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestUser {
    pub name: String,
    pub user_type: UserType,
    /// The home tenant as written; `None` = the resource tenant.
    pub home: Option<String>,
    /// `None` = not stated (b2b_collaboration for external users).
    pub kind: Option<AccessKind>,
    pub groups: Vec<String>,
    /// Template ids of built-in roles (names are resolved while reading).
    pub roles: Vec<&'static str>,
    /// `groups: unknown`: the user is in `groups` and maybe in others (a missing signal: a
    /// condition on any other group is undecided, and the decision fails closed).
    pub groups_unknown: bool,
    /// `roles: unknown`, as `groups_unknown`.
    pub roles_unknown: bool,
    /// The groups of the user's *home* tenant that cross-tenant settings name are unknown too.
    /// `groups: unknown` sets both; `accord replay` sets this one for every external user (a
    /// directory file is the resource tenant's, not the partner's).
    pub home_groups_unknown: bool,
}

/// `userType` in the resource tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UserType {
    Member,
    Guest,
}

/// How an external user reaches the resource tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessKind {
    B2bCollaboration,
    DirectConnect,
    ServiceProvider,
    /// No Entra home tenant: social accounts, e-mail one-time passcode, SAML/WS-Fed.
    Other,
}

/// The resource a request is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AppRef {
    Named(FirstPartyApp),
    /// An application id that is not a catalog app (lowercase).
    Id(String),
    Action(UserAction),
    /// `c1` ... `c99`.
    AuthContext(String),
}

impl fmt::Display for AppRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppRef::Named(a) => f.write_str(a.name()),
            AppRef::Id(id) => write!(f, "app {id}"),
            AppRef::Action(a) => write!(f, "action:{}", a.name()),
            AppRef::AuthContext(c) => write!(f, "auth_context:{c}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Registered {
    Home,
    Resource,
    #[default]
    None,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Device {
    /// `None`: the platform is a missing signal.
    pub platform: Option<Platform>,
    pub compliant: bool,
    pub hybrid_joined: bool,
    /// Enrolled in Intune (MDM). Extension attributes (`extensionAttribute1..15`) are visible to
    /// device filters only on a managed, compliant or hybrid-joined device.
    pub managed: bool,
    pub registered: Registered,
    pub approved_app: bool,
    pub app_protection: bool,
    /// The sign-in session's token is bound to the device (a PRT-bound session, what token
    /// protection requires). `None`: the request does not say; token protection then fails
    /// closed (the trace says the signal was not stated).
    pub token_bound: Option<bool>,
    /// Device properties for device filters (`extensionAttribute1`, `trustType`...), checked
    /// against the filter language's properties when the request is read.
    pub attributes: Option<DeviceAttributes>,
    /// Only the stated `attributes` are known, the others are not null but unknown: a device
    /// filter that reads one is undecided (a missing signal). `accord replay` sets it (sign-in
    /// logs carry a few device properties); request documents cannot.
    pub attributes_partial: bool,
}

/// A device property value: a string, a boolean, or a list (`physicalIds`, `systemLabels`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum AttributeValue {
    Bool(bool),
    Text(String),
    List(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Network {
    pub ip: Option<IpAddr>,
    pub country: Option<Country>,
    /// The sign-in comes through a Global Secure Access compliant network of the tenant (the
    /// `compliant_network` location). `None`: not stated, a condition on it is unknown.
    pub compliant_network: Option<bool>,
}

/// The country the lookup gives for the sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Country {
    /// ISO 3166 alpha-2, uppercase ASCII.
    Code([u8; 2]),
    /// The IP maps to no country (§3: matches only `unknown_countries` locations).
    Unknown,
}

impl Country {
    /// An uppercase ISO 3166 alpha-2 code, or `unknown`. Lowercase codes are refused here as
    /// in packs (one rule for both: Graph writes them in uppercase), with a hint.
    pub fn parse(text: &str) -> Option<Country> {
        if text == "unknown" {
            return Some(Country::Unknown);
        }
        if !catalog::is_country(text) {
            return None;
        }
        let b = text.as_bytes();
        Some(Country::Code([b[0], b[1]]))
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Country::Code([a, b]) => write!(f, "{}{}", char::from(*a), char::from(*b)),
            Country::Unknown => f.write_str("unknown"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MfaPlace {
    #[default]
    None,
    Home,
    Resource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    #[default]
    None,
    DeviceCode,
    AuthTransfer,
}

/// The user's insider risk as the resource tenant evaluates it (What-If `insiderRiskLevel`,
/// §1.10): `none` or one of the levels a policy's `insider_risk` condition can list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InsiderRiskLevel {
    #[default]
    None,
    Minor,
    Moderate,
    Elevated,
}

impl InsiderRiskLevel {
    /// The level as a policy condition names it; `None` for `none`, which no condition lists.
    pub fn level(self) -> Option<InsiderRisk> {
        match self {
            InsiderRiskLevel::None => None,
            InsiderRiskLevel::Minor => Some(InsiderRisk::Minor),
            InsiderRiskLevel::Moderate => Some(InsiderRisk::Moderate),
            InsiderRiskLevel::Elevated => Some(InsiderRisk::Elevated),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Auth {
    pub mfa: MfaPlace,
    pub methods: Vec<AuthMethod>,
    pub terms_accepted: Vec<String>,
    pub flow: Flow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Risk {
    pub sign_in: RiskLevel,
    pub user: RiskLevel,
    pub insider: InsiderRiskLevel,
}

impl Default for Risk {
    fn default() -> Self {
        Risk {
            sign_in: RiskLevel::None,
            user: RiskLevel::None,
            insider: InsiderRiskLevel::None,
        }
    }
}

// ---- the document as written ----------------------------------------------------------------

/// A request document as written: every field optional. Partial documents merge
/// ([`RequestDoc::merge`]); [`Request::from_doc`] applies the defaults.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestDoc {
    #[serde(default)]
    pub user: Option<UserDoc>,
    #[serde(default)]
    pub app: Option<AppRef>,
    #[serde(default, deserialize_with = "kw::opt")]
    pub client_app: Option<ClientApp>,
    #[serde(default)]
    pub device: Option<DeviceDoc>,
    #[serde(default)]
    pub network: Option<NetworkDoc>,
    #[serde(default)]
    pub auth: Option<AuthDoc>,
    #[serde(default)]
    pub risk: Option<RiskDoc>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserDoc {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "kw::opt")]
    pub user_type: Option<UserType>,
    #[serde(default)]
    pub home: Option<String>,
    #[serde(default, deserialize_with = "kw::opt")]
    pub kind: Option<AccessKind>,
    #[serde(default, deserialize_with = "opt_groups")]
    pub groups: Option<Membership<String>>,
    #[serde(default, deserialize_with = "opt_roles")]
    pub roles: Option<Membership<&'static str>>,
}

/// `groups:` or `roles:` as written: a list, or `unknown` (a missing signal: sign-in logs name
/// users, not their groups).
#[derive(Debug, Clone, PartialEq)]
pub enum Membership<T> {
    Listed(Vec<T>),
    Unknown,
}

impl<T: Clone> Membership<T> {
    /// The listed members (none for `unknown`) and whether others are unknown.
    fn split(m: &Option<Membership<T>>) -> (Vec<T>, bool) {
        match m {
            None => (Vec::new(), false),
            Some(Membership::Listed(list)) => (list.clone(), false),
            Some(Membership::Unknown) => (Vec::new(), true),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceDoc {
    #[serde(default, deserialize_with = "kw::opt")]
    pub platform: Option<Platform>,
    #[serde(default)]
    pub compliant: Option<bool>,
    #[serde(default)]
    pub hybrid_joined: Option<bool>,
    #[serde(default)]
    pub managed: Option<bool>,
    #[serde(default, deserialize_with = "kw::opt")]
    pub registered: Option<Registered>,
    #[serde(default)]
    pub approved_app: Option<bool>,
    #[serde(default)]
    pub app_protection: Option<bool>,
    #[serde(default)]
    pub token_bound: Option<bool>,
    #[serde(default)]
    pub attributes: Option<BTreeMap<String, AttributeValue>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkDoc {
    #[serde(default)]
    pub ip: Option<IpAddr>,
    #[serde(default, deserialize_with = "opt_country")]
    pub country: Option<Country>,
    #[serde(default)]
    pub compliant_network: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthDoc {
    #[serde(default, deserialize_with = "kw::opt")]
    pub mfa: Option<MfaPlace>,
    #[serde(default, deserialize_with = "kw::opt_list")]
    pub methods: Option<Vec<AuthMethod>>,
    #[serde(default)]
    pub terms_accepted: Option<Vec<String>>,
    #[serde(default, deserialize_with = "kw::opt")]
    pub flow: Option<Flow>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskDoc {
    #[serde(default, deserialize_with = "kw::opt")]
    pub sign_in: Option<RiskLevel>,
    #[serde(default, deserialize_with = "kw::opt")]
    pub user: Option<RiskLevel>,
    #[serde(default, deserialize_with = "kw::opt")]
    pub insider: Option<InsiderRiskLevel>,
}

/// `over` wins where it says something.
fn pick<T: Clone>(base: &mut Option<T>, over: &Option<T>) {
    if over.is_some() {
        base.clone_from(over);
    }
}

/// Merges a nested optional section.
fn merge_section<T: Default>(
    base: &mut Option<T>,
    over: &Option<T>,
    merge: impl FnOnce(&mut T, &T),
) {
    if let Some(o) = over {
        merge(base.get_or_insert_with(T::default), o);
    }
}

impl RequestDoc {
    /// Parses a request document (YAML or JSON).
    pub fn parse(text: &str) -> Result<RequestDoc, RequestError> {
        // The document as a whole first: its shape (a list at the root is not "a request
        // without `user`"), repeated keys, and alias expansion limits.
        let value = yaml::value_without_duplicate_keys(text).map_err(RequestError::from_yaml)?;
        let shape = match value {
            serde_json::Value::Object(_) => None,
            serde_json::Value::Array(_) => Some("a list"),
            serde_json::Value::Null => Some("empty"),
            serde_json::Value::String(_) => Some("a string"),
            _ => Some("a single value"),
        };
        if let Some(shape) = shape {
            let mut err = RequestError::new("", format!("the request is {shape}, not a mapping"))
                .help("a request is a mapping: `user: { name: bob@fabrikam.com }` and `app: sharepoint` on their own lines");
            err.line = Some(1);
            err.column = Some(1);
            return Err(err);
        }
        yaml::from_str(text).map_err(RequestError::from_yaml)
    }

    /// A one-field document from a `--set path=value` override; the value is read as YAML, so
    /// `--set user.groups=[Partners]` and `--set device.compliant=true` work.
    pub fn from_assignment(assignment: &str) -> Result<RequestDoc, RequestError> {
        let Some((path, value)) = assignment.split_once('=') else {
            return Err(RequestError::new(
                assignment,
                format!("`{assignment}` is not an assignment"),
            )
            .help("write `--set path=value`, e.g. `--set user.type=guest`"));
        };
        let path = path.trim();
        let parsed: serde_json::Value =
            yaml::from_str(value).unwrap_or_else(|_| serde_json::Value::String(value.to_string()));
        let parsed = match parsed {
            serde_json::Value::Null if !value.trim().is_empty() && value.trim() != "null" => {
                serde_json::Value::String(value.to_string())
            }
            // Keys such as `country: NO` must stay strings even if YAML reads them otherwise.
            serde_json::Value::Bool(_) | serde_json::Value::Number(_)
                if path.ends_with("country")
                    || path.ends_with("name")
                    || path.ends_with("home") =>
            {
                serde_json::Value::String(value.trim().to_string())
            }
            other => other,
        };
        let mut doc = parsed;
        for key in path.rsplit('.') {
            let mut map = serde_json::Map::new();
            map.insert(key.to_string(), doc);
            doc = serde_json::Value::Object(map);
        }
        serde_json::from_value(doc).map_err(|e| {
            RequestError::new(path, format!("in `--set {assignment}`: {e}")).with_suggestion()
        })
    }

    /// Overlays `over` on `self`, field by field.
    pub fn merge(&mut self, over: &RequestDoc) {
        merge_section(&mut self.user, &over.user, |b, o| {
            pick(&mut b.name, &o.name);
            pick(&mut b.user_type, &o.user_type);
            pick(&mut b.home, &o.home);
            pick(&mut b.kind, &o.kind);
            pick(&mut b.groups, &o.groups);
            pick(&mut b.roles, &o.roles);
        });
        pick(&mut self.app, &over.app);
        pick(&mut self.client_app, &over.client_app);
        merge_section(&mut self.device, &over.device, |b, o| {
            pick(&mut b.platform, &o.platform);
            pick(&mut b.compliant, &o.compliant);
            pick(&mut b.hybrid_joined, &o.hybrid_joined);
            pick(&mut b.managed, &o.managed);
            pick(&mut b.registered, &o.registered);
            pick(&mut b.approved_app, &o.approved_app);
            pick(&mut b.app_protection, &o.app_protection);
            pick(&mut b.token_bound, &o.token_bound);
            pick(&mut b.attributes, &o.attributes);
        });
        merge_section(&mut self.network, &over.network, |b, o| {
            pick(&mut b.ip, &o.ip);
            pick(&mut b.country, &o.country);
            pick(&mut b.compliant_network, &o.compliant_network);
        });
        merge_section(&mut self.auth, &over.auth, |b, o| {
            pick(&mut b.mfa, &o.mfa);
            pick(&mut b.methods, &o.methods);
            pick(&mut b.terms_accepted, &o.terms_accepted);
            pick(&mut b.flow, &o.flow);
        });
        merge_section(&mut self.risk, &over.risk, |b, o| {
            pick(&mut b.sign_in, &o.sign_in);
            pick(&mut b.user, &o.user);
            pick(&mut b.insider, &o.insider);
        });
    }
}

/// Reads `device.attributes` into the device-filter evaluator's properties; an unknown property
/// or a value of the wrong type is a request error, not a silently ignored field.
fn device_attributes(
    map: &BTreeMap<String, AttributeValue>,
) -> Result<DeviceAttributes, RequestError> {
    let json = serde_json::to_value(map).unwrap_or_default();
    serde_json::from_value(json).map_err(|e| {
        let names: Vec<&str> = crate::model::device_filter::DeviceProperty::ALL
            .iter()
            .map(|p| p.name())
            .collect();
        let unknown = map.keys().find(|k| !names.contains(&k.as_str()));
        let help = match unknown.and_then(|k| did_you_mean(k, names.iter().copied())) {
            Some(suggestion) => suggestion,
            None => format!(
                "device properties are those of device filters: {}",
                names.join(", ")
            ),
        };
        RequestError::new(
            "device.attributes",
            format!("invalid device attributes: {e}"),
        )
        .help(help)
    })
}

impl Request {
    /// Applies the documented defaults; `user.name` and `app` are required.
    pub fn from_doc(doc: &RequestDoc) -> Result<Request, RequestError> {
        let Some(user) = &doc.user else {
            return Err(RequestError::new("user", "the request has no `user`")
                .help("add `user: { name: bob@fabrikam.com }`"));
        };
        let Some(name) = &user.name else {
            return Err(
                RequestError::new("user.name", "the request has no `user.name`")
                    .help("add the user's UPN or e-mail, e.g. `name: bob@fabrikam.com`"),
            );
        };
        let Some(app) = &doc.app else {
            return Err(RequestError::new("app", "the request has no `app`").help(
                "add `app: sharepoint` (a named app, an app id, `action:...` or `auth_context:c1`)",
            ));
        };
        let device = doc.device.clone().unwrap_or_default();
        let network = doc.network.clone().unwrap_or_default();
        let auth = doc.auth.clone().unwrap_or_default();
        let risk = doc.risk.clone().unwrap_or_default();
        let attributes = device
            .attributes
            .as_ref()
            .map(device_attributes)
            .transpose()?;
        let (groups, groups_unknown) = Membership::split(&user.groups);
        let (roles, roles_unknown) = Membership::split(&user.roles);
        Ok(Request {
            user: RequestUser {
                name: name.clone(),
                user_type: user.user_type.unwrap_or(UserType::Member),
                home: user.home.clone(),
                kind: user.kind,
                groups,
                roles,
                groups_unknown,
                roles_unknown,
                home_groups_unknown: groups_unknown,
            },
            app: app.clone(),
            client_app: doc.client_app.unwrap_or(ClientApp::Browser),
            device: Device {
                platform: device.platform,
                compliant: device.compliant.unwrap_or(false),
                hybrid_joined: device.hybrid_joined.unwrap_or(false),
                managed: device.managed.unwrap_or(false),
                registered: device.registered.unwrap_or(Registered::None),
                approved_app: device.approved_app.unwrap_or(false),
                app_protection: device.app_protection.unwrap_or(false),
                token_bound: device.token_bound,
                attributes,
                attributes_partial: false,
            },
            network: Network {
                ip: network.ip,
                country: network.country,
                compliant_network: network.compliant_network,
            },
            auth: Auth {
                mfa: auth.mfa.unwrap_or_default(),
                methods: auth.methods.unwrap_or_default(),
                terms_accepted: auth.terms_accepted.unwrap_or_default(),
                flow: auth.flow.unwrap_or_default(),
            },
            risk: Risk {
                sign_in: risk.sign_in.unwrap_or(RiskLevel::None),
                user: risk.user.unwrap_or(RiskLevel::None),
                insider: risk.insider.unwrap_or_default(),
            },
        })
    }

    /// Parses and completes a request document.
    pub fn parse(text: &str) -> Result<Request, RequestError> {
        Request::from_doc(&RequestDoc::parse(text)?)
    }
}

/// True when a document is a *share* request (a top-level `share:` key) rather than an access
/// request. Sharing decisions live in `eval::sharing`; the CLI routes on this.
pub fn is_share_document(text: &str) -> bool {
    matches!(
        yaml::from_str::<serde_json::Value>(text),
        Ok(serde_json::Value::Object(map)) if map.contains_key("share")
    )
}

// ---- errors ---------------------------------------------------------------------------------

/// A request that cannot be decided: unknown field or value, undeclared tenant name... Always an
/// error (exit code 2), never an allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestError {
    /// The field, as a dotted path (`user.home`), when known.
    pub path: String,
    pub message: String,
    pub help: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl RequestError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        RequestError {
            path: path.into(),
            message: message.into(),
            help: None,
            line: None,
            column: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    fn from_yaml(e: YamlError) -> Self {
        let mut err = RequestError::new("", e.message.clone());
        err.line = e.line;
        err.column = e.column;
        err.with_suggestion()
    }

    /// Adds a "did you mean" for serde's "unknown field `x`, expected one of `a`, `b`".
    fn with_suggestion(mut self) -> Self {
        if self.help.is_some() {
            return self;
        }
        let m = &self.message;
        let Some(start) = m.find("unknown field `") else {
            return self;
        };
        let rest = &m[start + "unknown field `".len()..];
        let Some(end) = rest.find('`') else {
            return self;
        };
        let field = &rest[..end];
        let expected: Vec<&str> = rest[end..]
            .split('`')
            .skip(2)
            .step_by(2)
            .filter(|s| !s.is_empty())
            .collect();
        self.help = did_you_mean(field, expected.iter().copied());
        self
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, "{l}:{c}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(h) = &self.help {
            write!(f, " ({h})")?;
        }
        Ok(())
    }
}

impl std::error::Error for RequestError {}

// ---- keyword values with "did you mean" ------------------------------------------------------

/// An enumeration written as a snake_case keyword.
pub trait Keyword: Sized + Copy + 'static {
    /// What the value is, for messages (`platform`).
    const WHAT: &'static str;
    fn all() -> &'static [Self];
    fn keyword(self) -> &'static str;
    fn from_keyword(text: &str) -> Option<Self> {
        Self::all().iter().copied().find(|v| v.keyword() == text)
    }
}

/// The error for an unknown keyword: the value, a "did you mean", and the accepted values.
pub fn unknown_keyword<T: Keyword>(text: &str) -> String {
    let names: Vec<&str> = T::all().iter().map(|v| v.keyword()).collect();
    let list = names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match did_you_mean(text, names.iter().copied()) {
        Some(dym) => format!(
            "unknown {} `{text}`: {dym} (expected one of {list})",
            T::WHAT
        ),
        None => format!("unknown {} `{text}` (expected one of {list})", T::WHAT),
    }
}

pub(crate) mod kw {
    use super::*;

    pub fn opt<'de, D: Deserializer<'de>, T: Keyword>(d: D) -> Result<Option<T>, D::Error> {
        let Some(text) = Option::<String>::deserialize(d)? else {
            return Ok(None);
        };
        T::from_keyword(&text)
            .map(Some)
            .ok_or_else(|| de::Error::custom(unknown_keyword::<T>(&text)))
    }

    pub fn opt_list<'de, D: Deserializer<'de>, T: Keyword>(
        d: D,
    ) -> Result<Option<Vec<T>>, D::Error> {
        let Some(list) = Option::<Vec<String>>::deserialize(d)? else {
            return Ok(None);
        };
        list.iter()
            .map(|text| {
                T::from_keyword(text).ok_or_else(|| de::Error::custom(unknown_keyword::<T>(text)))
            })
            .collect::<Result<Vec<T>, D::Error>>()
            .map(Some)
    }
}

macro_rules! keyword {
    ($ty:ty, $what:literal, [$($variant:expr => $name:literal),* $(,)?]) => {
        impl Keyword for $ty {
            const WHAT: &'static str = $what;
            fn all() -> &'static [Self] {
                &[$($variant),*]
            }
            fn keyword(self) -> &'static str {
                match self {
                    $(v if v == $variant => $name,)*
                    _ => "",
                }
            }
        }
    };
}

keyword!(UserType, "user type", [UserType::Member => "member", UserType::Guest => "guest"]);
keyword!(AccessKind, "user kind", [
    AccessKind::B2bCollaboration => "b2b_collaboration",
    AccessKind::DirectConnect => "direct_connect",
    AccessKind::ServiceProvider => "service_provider",
    AccessKind::Other => "other",
]);
keyword!(Registered, "device registration", [
    Registered::Home => "home", Registered::Resource => "resource", Registered::None => "none",
]);
keyword!(MfaPlace, "mfa place", [
    MfaPlace::None => "none", MfaPlace::Home => "home", MfaPlace::Resource => "resource",
]);
keyword!(Flow, "authentication flow", [
    Flow::None => "none", Flow::DeviceCode => "device_code", Flow::AuthTransfer => "auth_transfer",
]);
keyword!(InsiderRiskLevel, "insider risk level", [
    InsiderRiskLevel::None => "none", InsiderRiskLevel::Minor => "minor",
    InsiderRiskLevel::Moderate => "moderate", InsiderRiskLevel::Elevated => "elevated",
]);
keyword!(ClientApp, "client app", [
    ClientApp::Browser => "browser",
    ClientApp::MobileDesktop => "mobile_desktop",
    ClientApp::ExchangeActiveSync => "exchange_active_sync",
    ClientApp::Other => "other",
]);
keyword!(Platform, "platform", [
    Platform::Android => "android",
    Platform::Ios => "ios",
    Platform::Windows => "windows",
    Platform::Macos => "macos",
    Platform::Linux => "linux",
    Platform::WindowsPhone => "windows_phone",
]);
keyword!(RiskLevel, "risk level", [
    RiskLevel::None => "none", RiskLevel::Low => "low", RiskLevel::Medium => "medium",
    RiskLevel::High => "high",
]);

impl Keyword for AuthMethod {
    const WHAT: &'static str = "authentication method";
    fn all() -> &'static [Self] {
        &AuthMethod::ALL
    }
    fn keyword(self) -> &'static str {
        self.name()
    }
}

impl UserType {
    pub fn name(self) -> &'static str {
        self.keyword()
    }
}

impl AccessKind {
    pub fn name(self) -> &'static str {
        self.keyword()
    }
}

impl Flow {
    pub fn name(self) -> &'static str {
        self.keyword()
    }
}

impl MfaPlace {
    pub fn name(self) -> &'static str {
        self.keyword()
    }
}

impl Registered {
    pub fn name(self) -> &'static str {
        self.keyword()
    }
}

impl InsiderRiskLevel {
    pub fn name(self) -> &'static str {
        self.keyword()
    }
}

pub(crate) fn opt_country<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Country>, D::Error> {
    let Some(text) = Option::<String>::deserialize(d)? else {
        return Ok(None);
    };
    Country::parse(&text).map(Some).ok_or_else(|| {
        let upper = text.to_ascii_uppercase();
        if catalog::is_country(&upper) || upper == "UNKNOWN" {
            let fixed = if upper == "UNKNOWN" {
                "unknown".to_string()
            } else {
                upper
            };
            return de::Error::custom(format!(
                "`{text}`: write country codes in uppercase, `{fixed}`, as in packs"
            ));
        }
        de::Error::custom(format!(
            "`{text}` is not a country: write an ISO 3166 alpha-2 code such as `FR`, or `unknown`"
        ))
    })
}

/// A membership as written: a list of names, or the word `unknown`.
#[derive(Deserialize)]
#[serde(untagged)]
enum MembershipText {
    List(Vec<String>),
    Word(String),
}

fn membership_text<'de, D: Deserializer<'de>>(
    d: D,
    what: &str,
) -> Result<Option<Option<Vec<String>>>, D::Error> {
    match Option::<MembershipText>::deserialize(d)? {
        None => Ok(None),
        Some(MembershipText::List(list)) => Ok(Some(Some(list))),
        Some(MembershipText::Word(w)) if w == "unknown" => Ok(Some(None)),
        Some(MembershipText::Word(w)) => Err(de::Error::custom(format!(
            "`{w}` is not a list of {what}: write `[{w}]`, or `unknown` when the membership is not known"
        ))),
    }
}

fn opt_groups<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Membership<String>>, D::Error> {
    Ok(membership_text(d, "groups")?.map(|m| match m {
        Some(list) => Membership::Listed(list),
        None => Membership::Unknown,
    }))
}

fn opt_roles<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Membership<&'static str>>, D::Error> {
    let Some(list) = membership_text(d, "roles")? else {
        return Ok(None);
    };
    let Some(list) = list else {
        return Ok(Some(Membership::Unknown));
    };
    list.iter()
        .map(|text| {
            catalog::role_by_name(text)
                .or_else(|| catalog::role_by_id(text))
                .map(|r| r.id)
                .ok_or_else(|| {
                    let names = catalog::ROLES.iter().map(|r| r.name);
                    let hint = did_you_mean(text, names)
                        .map(|d| format!(": {d}"))
                        .unwrap_or_default();
                    de::Error::custom(format!(
                        "unknown role `{text}`{hint} (write a built-in role name such as `global_administrator`, or its template id)"
                    ))
                })
        })
        .collect::<Result<Vec<_>, D::Error>>()
        .map(|l| Some(Membership::Listed(l)))
}

pub use super::is_guid;

impl AppRef {
    /// Reads `sharepoint`, an app id, `action:register_security_info` or `auth_context:c1`.
    pub fn parse(text: &str) -> Result<AppRef, String> {
        let text = text.trim();
        if let Some(action) = text.strip_prefix("action:") {
            return match action {
                "register_security_info" => Ok(AppRef::Action(UserAction::RegisterSecurityInfo)),
                "register_device" => Ok(AppRef::Action(UserAction::RegisterDevice)),
                other => {
                    let names = ["register_security_info", "register_device"];
                    let hint = did_you_mean(other, names)
                        .map(|d| format!(": {d}"))
                        .unwrap_or_default();
                    Err(format!(
                        "unknown user action `{other}`{hint} (expected `register_security_info` or `register_device`)"
                    ))
                }
            };
        }
        if let Some(ctx) = text.strip_prefix("auth_context:") {
            let n: Option<u32> = ctx.strip_prefix('c').and_then(|n| n.parse().ok());
            return match n {
                Some(n) if (1..=99).contains(&n) && ctx == format!("c{n}") => {
                    Ok(AppRef::AuthContext(ctx.to_string()))
                }
                _ => Err(format!(
                    "`{ctx}` is not an authentication context: write `c1` ... `c99`"
                )),
            };
        }
        if is_guid(text) {
            return Ok(match FirstPartyApp::from_id(text) {
                Some(app) => AppRef::Named(app),
                None => AppRef::Id(text.to_ascii_lowercase()),
            });
        }
        if let Some(app) = FirstPartyApp::from_name(text) {
            return Ok(AppRef::Named(app));
        }
        if matches!(text, "all" | "office365" | "admin_portals" | "none") {
            return Err(format!(
                "`{text}` is a group of apps: a request names one app (the platform's What-If matches concrete apps only, §1.5)"
            ));
        }
        let names: Vec<&str> = FirstPartyApp::ALL.iter().map(|a| a.name()).collect();
        // The catalog names dozens of apps: a close name is suggested alone, the list is given
        // only when nothing is close.
        Err(match did_you_mean(text, names.iter().copied()) {
            Some(d) => format!(
                "unknown app `{text}`: {d} (a request names a first-party app, an app id, `action:register_security_info` or `auth_context:c1`)"
            ),
            None => format!(
                "unknown app `{text}` (name one of {}, an app id, `action:register_security_info` or `auth_context:c1`)",
                names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            ),
        })
    }
}

impl<'de> Deserialize<'de> for AppRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        AppRef::parse(&text).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply() {
        let r = Request::parse("user: { name: a@contoso.com }\napp: sharepoint\n").unwrap();
        assert_eq!(r.user.user_type, UserType::Member);
        assert_eq!(r.client_app, ClientApp::Browser);
        assert_eq!(r.device.platform, None);
        assert_eq!(r.risk.sign_in, RiskLevel::None);
        assert_eq!(r.risk.insider, InsiderRiskLevel::None);
        assert_eq!(r.app, AppRef::Named(FirstPartyApp::SharePoint));
    }

    #[test]
    fn insider_risk_is_read_merged_and_checked() {
        let r =
            Request::parse("user: { name: a }\napp: teams\nrisk: { insider: moderate }\n").unwrap();
        assert_eq!(r.risk.insider, InsiderRiskLevel::Moderate);
        assert_eq!(r.risk.insider.level(), Some(InsiderRisk::Moderate));
        assert_eq!(InsiderRiskLevel::None.level(), None);
        let mut doc =
            RequestDoc::parse("user: { name: a }\napp: teams\nrisk: { user: high }\n").unwrap();
        doc.merge(&RequestDoc::from_assignment("risk.insider=elevated").unwrap());
        let r = Request::from_doc(&doc).unwrap();
        assert_eq!(r.risk.insider, InsiderRiskLevel::Elevated);
        assert_eq!(
            r.risk.user,
            RiskLevel::High,
            "merging one risk keeps the others"
        );
        doc.merge(&RequestDoc::from_assignment("risk.insider=none").unwrap());
        assert_eq!(
            Request::from_doc(&doc).unwrap().risk.insider,
            InsiderRiskLevel::None
        );
        let e = RequestDoc::from_assignment("risk.insider=elevatd").unwrap_err();
        assert!(e.message.contains("did you mean `elevated`"), "{e}");
        // A sign-in risk level is not an insider risk level.
        let e =
            Request::parse("user: { name: a }\napp: teams\nrisk: { insider: high }\n").unwrap_err();
        assert!(
            e.message.contains("unknown insider risk level `high`"),
            "{e}"
        );
    }

    #[test]
    fn unknown_values_suggest() {
        let e = Request::parse("user: { name: a, type: gest }\napp: sharepoint\n").unwrap_err();
        assert!(e.message.contains("did you mean `guest`"), "{e}");
        assert_eq!(e.line, Some(1));
        let e = Request::parse("user: { name: a }\napp: sharepoitn\n").unwrap_err();
        assert!(e.message.contains("did you mean `sharepoint`"), "{e}");
        let e = Request::parse("user: { name: a, tpye: guest }\napp: teams\n").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `type`?"));
        let e =
            Request::parse("user: { name: a, roles: [global_admin] }\napp: teams\n").unwrap_err();
        assert!(e.message.contains("global_administrator"), "{e}");
    }

    #[test]
    fn app_ids_map_to_catalog_apps() {
        assert_eq!(
            AppRef::parse("00000003-0000-0FF1-CE00-000000000000"),
            Ok(AppRef::Named(FirstPartyApp::SharePoint))
        );
        assert!(AppRef::parse("office365").is_err());
        assert_eq!(
            AppRef::parse("auth_context:c7"),
            Ok(AppRef::AuthContext("c7".into()))
        );
        assert!(AppRef::parse("auth_context:c100").is_err());
    }

    #[test]
    fn assignments_merge() {
        let mut doc = RequestDoc::parse("user: { name: a, type: member }\napp: teams\n").unwrap();
        doc.merge(&RequestDoc::from_assignment("user.type=guest").unwrap());
        doc.merge(&RequestDoc::from_assignment("network.country=NO").unwrap());
        doc.merge(&RequestDoc::from_assignment("user.groups=[A, B]").unwrap());
        let r = Request::from_doc(&doc).unwrap();
        assert_eq!(r.user.user_type, UserType::Guest);
        assert_eq!(r.network.country, Country::parse("NO"));
        assert_eq!(r.user.groups, vec!["A".to_string(), "B".to_string()]);
        assert!(RequestDoc::from_assignment("user.tpye=guest").is_err());
    }

    #[test]
    fn share_documents_are_detected() {
        assert!(is_share_document("share:\n  service: sharepoint\n"));
        assert!(!is_share_document("user: { name: a }\napp: teams\n"));
    }
}

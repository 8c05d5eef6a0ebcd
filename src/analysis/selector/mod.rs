//! Selectors: which requests an invariant (or `accord diff --scope`) is about. A selector is a
//! partial request in which every field may be one value, a list of values (any of them) or
//! `any`; a field left out is `any`. The user may also be given as a *segment*, written as in a
//! policy's `users` block:
//!
//! ```yaml
//! user: external(b2b_guest, b2b_member) from outside_organization   # a segment
//! app: [sharepoint, teams]                # `all`: every cloud app; `not_app:` leaves some out
//! device: { platform: [ios, android], compliant: false }
//! network: { location: embargo }          # or ip: 10.0.0.0/8, country: [KP, IR], not_location
//! auth: { mfa: none }
//! risk: { sign_in: [medium, high] }
//! ```
//!
//! `user` is a segment string (`all`, `guests_or_external`, `external(...) from ...`,
//! `group "Sales"`, `user "alice@contoso.com"`, `role global_administrator`, and the selector's
//! own `internal_members`, `internal`), or a mapping with `segment`, `not_segment` (users left
//! out), `type`, `home` (tenant names, `resource`, `undeclared`), `kind`, `name`, `groups`
//! (member of each), `not_groups`,
//! `roles`; `auth` takes `mfa`, `flow`, `terms_accepted` (each accepted; `[]`: none) and
//! `not_accepted`. An empty `groups: []` means a member of no group the packs name. A value
//! of `unstated` selects requests that leave the signal out (`platform`, `ip`,
//! `country`). A list of selectors selects the requests any of them selects.
//!
//! Selectors are read in two steps: [`Selector::parse`] needs no pack (its network ranges and
//! countries are boundaries the space must respect, see [`Selector::extra`]); [`Selector::cubes`]
//! resolves names against the pack.

mod cubes;

pub(crate) use cubes::cubes;

use ipnet::IpNet;
use serde_json::Value as Json;

use super::space::Extra;
use crate::diagnostic::did_you_mean;
use crate::model::catalog;
use crate::model::request::{
    unknown_keyword, AccessKind, AppRef, Country, Flow, InsiderRiskLevel, Keyword, MfaPlace,
    Registered, UserType,
};
use crate::model::{ClientApp, Platform, RiskLevel};

/// One value or any of several; `None` means any.
type AnyOf<T> = Option<Vec<T>>;

#[derive(Debug, Clone, PartialEq)]
pub enum Signal<T> {
    Unstated,
    Is(T),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selector {
    pub segments: Vec<String>,
    /// Segments whose users are left out.
    pub not_segments: Vec<String>,
    pub user_type: AnyOf<UserType>,
    pub home: AnyOf<String>,
    pub kind: AnyOf<AccessKind>,
    pub names: AnyOf<String>,
    /// Member of each (`Some(empty)`: of no group the packs name).
    pub groups: Option<Vec<String>>,
    pub not_groups: Vec<String>,
    pub roles: Vec<String>,
    pub apps: AnyOf<AppRef>,
    /// Apps left out (`all` leaves out every cloud app).
    pub not_apps: Vec<AppRef>,
    pub not_all_cloud_apps: bool,
    /// `app: all`: every cloud app.
    pub all_cloud_apps: bool,
    pub client_apps: AnyOf<ClientApp>,
    pub platforms: AnyOf<Signal<Platform>>,
    pub compliant: Option<bool>,
    pub hybrid_joined: Option<bool>,
    pub managed: Option<bool>,
    pub registered: AnyOf<Registered>,
    pub approved_app: Option<bool>,
    pub app_protection: Option<bool>,
    pub token_bound: Option<bool>,
    pub ips: AnyOf<Signal<IpNet>>,
    pub countries: AnyOf<Signal<Country>>,
    pub locations: Vec<String>,
    pub not_locations: Vec<String>,
    /// The signals a request may leave out (platform, ip, country) are selected only when they
    /// are stated, unless the selector says `any` (or lists `unstated`) for them.
    pub unstated: [bool; 3],
    pub mfa: AnyOf<MfaPlace>,
    pub flow: AnyOf<Flow>,
    /// Accepted each (`Some(empty)`: none accepted).
    pub terms_accepted: Option<Vec<String>>,
    pub not_accepted: Vec<String>,
    pub sign_in_risk: AnyOf<RiskLevel>,
    pub user_risk: AnyOf<RiskLevel>,
    pub insider: AnyOf<InsiderRiskLevel>,
}

/// A selector that cannot be read or resolved: the field (dotted path), what is wrong, a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorError {
    pub path: String,
    pub message: String,
    pub help: Option<String>,
}

impl SelectorError {
    fn new(path: &str, message: impl Into<String>) -> Self {
        SelectorError {
            path: path.to_string(),
            message: message.into(),
            help: None,
        }
    }
    fn help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

impl std::fmt::Display for SelectorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)?;
        } else {
            write!(f, "`{}`: {}", self.path, self.message)?;
        }
        if let Some(h) = &self.help {
            write!(f, " ({h})")?;
        }
        Ok(())
    }
}

type Result<T> = std::result::Result<T, SelectorError>;

fn scalar_text(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Bool(b) => Some(b.to_string()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A value or a list of values; `any` (or the field left out) is `None`.
fn list(path: &str, v: &Json) -> Result<AnyOf<String>> {
    match v {
        Json::Null => Ok(None),
        Json::Array(items) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                out.push(scalar_text(item).ok_or_else(|| {
                    SelectorError::new(&format!("{path}[{i}]"), "expected a value")
                })?);
            }
            if out.iter().any(|s| s == "any") {
                return Ok(None);
            }
            Ok(Some(out))
        }
        other => match scalar_text(other) {
            Some(s) if s == "any" => Ok(None),
            Some(s) => Ok(Some(vec![s])),
            None => Err(SelectorError::new(
                path,
                "expected a value, a list of values, or `any`",
            )),
        },
    }
}

fn keywords<T: Keyword>(path: &str, v: &Json) -> Result<AnyOf<T>> {
    let Some(items) = list(path, v)? else {
        return Ok(None);
    };
    items
        .iter()
        .map(|s| {
            T::from_keyword(s).ok_or_else(|| SelectorError::new(path, unknown_keyword::<T>(s)))
        })
        .collect::<Result<Vec<T>>>()
        .map(Some)
}

fn signals<T: Keyword>(path: &str, v: &Json) -> Result<AnyOf<Signal<T>>> {
    let Some(items) = list(path, v)? else {
        return Ok(None);
    };
    items
        .iter()
        .map(|s| {
            if s == "unstated" {
                return Ok(Signal::Unstated);
            }
            T::from_keyword(s)
                .map(Signal::Is)
                .ok_or_else(|| SelectorError::new(path, unknown_keyword::<T>(s)))
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

fn flag(path: &str, v: &Json) -> Result<Option<bool>> {
    match v {
        Json::Null => Ok(None),
        Json::Bool(b) => Ok(Some(*b)),
        Json::String(s) if s == "any" => Ok(None),
        _ => Err(SelectorError::new(
            path,
            "expected `true`, `false` or `any`",
        )),
    }
}

fn names(path: &str, v: &Json) -> Result<Vec<String>> {
    Ok(list(path, v)?.unwrap_or_default())
}

fn fields<'v>(path: &str, v: &'v Json, known: &[&str]) -> Result<Vec<(&'v String, &'v Json)>> {
    let Json::Object(map) = v else {
        return Err(SelectorError::new(path, "expected a mapping"));
    };
    for key in map.keys() {
        if !known.contains(&key.as_str()) {
            let at = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            let help = if key.contains(['(', ')']) {
                Some(
                    "a segment with commas inside a `{ }` mapping must be quoted: \
                     `segment: \"external(b2b_guest, b2b_member) from any\"`"
                        .to_string(),
                )
            } else {
                did_you_mean(key, known.iter().copied())
            };
            return Err(
                SelectorError::new(&at, format!("unknown selector field `{key}`")).help(help),
            );
        }
    }
    Ok(map.iter().collect())
}

impl Selector {
    /// A selector, or a list of them (any of which selects), from YAML/JSON data.
    pub fn parse_any(v: &Json) -> Result<Vec<Selector>> {
        match v {
            Json::Null => Ok(vec![Selector::default()]),
            Json::Array(items) => items.iter().map(Selector::parse).collect(),
            other => Ok(vec![Selector::parse(other)?]),
        }
    }

    pub fn parse(v: &Json) -> Result<Selector> {
        let mut s = Selector::default();
        let top = fields(
            "",
            v,
            &[
                "user",
                "app",
                "not_app",
                "client_app",
                "device",
                "network",
                "auth",
                "risk",
            ],
        )?;
        for (key, value) in top {
            match key.as_str() {
                "user" => s.read_user(value)?,
                "app" => s.read_apps(value)?,
                "not_app" => {
                    let mut other = Selector::default();
                    other.read_apps(value)?;
                    s.not_apps = other.apps.unwrap_or_default();
                    s.not_all_cloud_apps = other.all_cloud_apps;
                }
                "client_app" => s.client_apps = keywords("client_app", value)?,
                "device" => s.read_device(value)?,
                "network" => s.read_network(value)?,
                "auth" => s.read_auth(value)?,
                _ => s.read_risk(value)?,
            }
        }
        Ok(s)
    }

    /// Apps: names, ids, `action:...`, `auth_context:...`, and as in policies `all` (every
    /// cloud app: not user actions or authentication contexts) and `office365`.
    fn read_apps(&mut self, v: &Json) -> Result<()> {
        let Some(items) = list("app", v)? else {
            return Ok(());
        };
        let mut apps = Vec::new();
        for a in items {
            match a.as_str() {
                "all" => self.all_cloud_apps = true,
                "office365" => apps.extend(
                    crate::model::catalog::FirstPartyApp::ALL
                        .iter()
                        .filter(|x| x.in_office365())
                        .map(|x| AppRef::Named(*x)),
                ),
                "admin_portals" => apps.extend(
                    crate::model::catalog::FirstPartyApp::ALL
                        .iter()
                        .filter(|x| x.in_admin_portals())
                        .map(|x| AppRef::Named(*x)),
                ),
                other => apps.push(AppRef::parse(other).map_err(|e| SelectorError::new("app", e))?),
            }
        }
        self.apps = Some(apps);
        Ok(())
    }

    fn read_user(&mut self, v: &Json) -> Result<()> {
        if let Json::String(text) = v {
            self.segments = vec![text.clone()];
            return Ok(());
        }
        let known = [
            "segment",
            "not_segment",
            "type",
            "home",
            "kind",
            "name",
            "groups",
            "not_groups",
            "roles",
        ];
        for (key, value) in fields("user", v, &known)? {
            let path = format!("user.{key}");
            match key.as_str() {
                "segment" => self.segments = names(&path, value)?,
                "not_segment" => self.not_segments = names(&path, value)?,
                "type" => self.user_type = keywords(&path, value)?,
                "home" => self.home = list(&path, value)?,
                "kind" => self.kind = keywords(&path, value)?,
                "name" => self.names = list(&path, value)?,
                "groups" => self.groups = Some(names(&path, value)?),
                "not_groups" => self.not_groups = names(&path, value)?,
                _ => {
                    self.roles = names(&path, value)?;
                    for r in &self.roles {
                        if catalog::role_by_name(r)
                            .or_else(|| catalog::role_by_id(r))
                            .is_none()
                        {
                            return Err(SelectorError::new(&path, format!("unknown role `{r}`"))
                                .help(did_you_mean(r, catalog::ROLES.iter().map(|x| x.name))));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn read_device(&mut self, v: &Json) -> Result<()> {
        let known = [
            "platform",
            "compliant",
            "hybrid_joined",
            "managed",
            "registered",
            "approved_app",
            "app_protection",
            "token_bound",
        ];
        for (key, value) in fields("device", v, &known)? {
            let path = format!("device.{key}");
            match key.as_str() {
                "platform" => {
                    self.unstated[0] = is_any(value);
                    self.platforms = signals(&path, value)?
                }
                "compliant" => self.compliant = flag(&path, value)?,
                "hybrid_joined" => self.hybrid_joined = flag(&path, value)?,
                "managed" => self.managed = flag(&path, value)?,
                "registered" => self.registered = keywords(&path, value)?,
                "approved_app" => self.approved_app = flag(&path, value)?,
                "app_protection" => self.app_protection = flag(&path, value)?,
                _ => self.token_bound = flag(&path, value)?,
            }
        }
        Ok(())
    }

    fn read_network(&mut self, v: &Json) -> Result<()> {
        let known = ["ip", "country", "location", "not_location"];
        for (key, value) in fields("network", v, &known)? {
            let path = format!("network.{key}");
            match key.as_str() {
                "ip" | "country" if is_any(value) => {
                    let i = if key == "ip" { 1 } else { 2 };
                    self.unstated[i] = true;
                }
                "ip" => {
                    self.ips = match list(&path, value)? {
                        None => None,
                        Some(items) => Some(
                            items
                                .iter()
                                .map(|t| parse_ip(&path, t))
                                .collect::<Result<_>>()?,
                        ),
                    }
                }
                "country" => {
                    self.countries = match list(&path, value)? {
                        None => None,
                        Some(items) => Some(
                            items
                                .iter()
                                .map(|t| {
                                    if t == "unstated" {
                                        return Ok(Signal::Unstated);
                                    }
                                    Country::parse(t).map(Signal::Is).ok_or_else(|| {
                                        SelectorError::new(&path, format!(
                                            "`{t}` is not a country: write an ISO 3166 alpha-2 code such as `FR`, `unknown` or `unstated`"
                                        ))
                                    })
                                })
                                .collect::<Result<_>>()?,
                        ),
                    }
                }
                "location" => self.locations = names(&path, value)?,
                _ => self.not_locations = names(&path, value)?,
            }
        }
        Ok(())
    }

    fn read_auth(&mut self, v: &Json) -> Result<()> {
        let known = ["mfa", "flow", "terms_accepted", "not_accepted"];
        for (key, value) in fields("auth", v, &known)? {
            let path = format!("auth.{key}");
            match key.as_str() {
                "mfa" => self.mfa = keywords(&path, value)?,
                "flow" => self.flow = keywords(&path, value)?,
                "terms_accepted" => self.terms_accepted = Some(names(&path, value)?),
                _ => self.not_accepted = names(&path, value)?,
            }
        }
        Ok(())
    }

    fn read_risk(&mut self, v: &Json) -> Result<()> {
        for (key, value) in fields("risk", v, &["sign_in", "user", "insider"])? {
            let path = format!("risk.{key}");
            match key.as_str() {
                "sign_in" => self.sign_in_risk = keywords(&path, value)?,
                "user" => self.user_risk = keywords(&path, value)?,
                _ => self.insider = keywords(&path, value)?,
            }
        }
        Ok(())
    }

    /// The boundaries the space must respect for these selectors.
    pub fn extra(selectors: &[Selector]) -> Extra {
        let mut extra = Extra::default();
        for s in selectors {
            for ip in s.ips.iter().flatten() {
                if let Signal::Is(net) = ip {
                    if !extra.ranges.contains(net) {
                        extra.ranges.push(*net);
                    }
                }
            }
            for c in s.countries.iter().flatten() {
                if let Signal::Is(c) = c {
                    if !extra.countries.contains(c) {
                        extra.countries.push(*c);
                    }
                }
            }
        }
        extra
    }
}

fn is_any(v: &Json) -> bool {
    matches!(v, Json::String(s) if s == "any")
        || matches!(v, Json::Array(a) if a.iter().any(|x| x.as_str() == Some("any")))
}

impl Selector {
    /// Every request, those that leave signals out included.
    pub fn everything() -> Selector {
        Selector {
            unstated: [true; 3],
            ..Selector::default()
        }
    }
}

fn parse_ip(path: &str, text: &str) -> Result<Signal<IpNet>> {
    if text == "unstated" {
        return Ok(Signal::Unstated);
    }
    if let Ok(net) = text.parse::<IpNet>() {
        return Ok(Signal::Is(net.trunc()));
    }
    text.parse::<std::net::IpAddr>()
        .map(|ip| Signal::Is(IpNet::from(ip)))
        .map_err(|_| {
            SelectorError::new(
                path,
                format!("`{text}` is not an IP address or range (write `10.0.0.0/8`, `2001:db8::1` or `unstated`)"),
            )
        })
}

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

use ipnet::IpNet;
use serde_json::Value as Json;

use super::cube::Cube;
use super::side::Side;
use super::space::{CountryClass, DimKey, Extra, Home, Space, Value, Who};
use crate::diagnostic::did_you_mean;
use crate::eval::conditions::user_target;
use crate::eval::trace::Tri;
use crate::model::catalog;
use crate::model::request::{
    unknown_keyword, AccessKind, AppRef, Country, Flow, InsiderRiskLevel, Keyword, MfaPlace,
    Registered, UserType,
};
use crate::model::{ClientApp, Platform, RiskLevel, UserTarget};

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
    pub registered: AnyOf<Registered>,
    pub approved_app: Option<bool>,
    pub app_protection: Option<bool>,
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
            "registered",
            "approved_app",
            "app_protection",
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
                "registered" => self.registered = keywords(&path, value)?,
                "approved_app" => self.approved_app = flag(&path, value)?,
                _ => self.app_protection = flag(&path, value)?,
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

/// The selectors as disjoint cubes (overlaps removed, so no request is counted twice).
pub(crate) fn cubes(selectors: &[Selector], side: &Side<'_>) -> Result<Vec<Cube>> {
    let space = side.space;
    let mut out: Vec<Cube> = Vec::new();
    for s in selectors {
        for cube in s.cubes(side)? {
            let mut pieces = vec![cube];
            for earlier in &out {
                pieces = pieces
                    .iter()
                    .flat_map(|p| p.minus(earlier, space))
                    .collect();
            }
            out.extend(pieces.into_iter().filter(|c| !c.is_empty(space)));
        }
    }
    Ok(out)
}

impl Selector {
    /// The cubes of one selector (several when it lists segments of different kinds).
    pub(crate) fn cubes(&self, side: &Side<'_>) -> Result<Vec<Cube>> {
        let space = side.space;
        let k = space.known;
        let mut cube = Cube::full(space);
        self.restrict_who(side, &mut cube)?;
        if let Some(names) = &self.names {
            let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
            let anyone_fits = lower.iter().any(|n| !named_user(space, n));
            cube.restrict(space, k.user, |c| {
                match &space.dims[k.user].classes[c].value {
                    Value::User(Some(n)) => lower.contains(n),
                    _ => anyone_fits,
                }
            });
        }
        if self.groups.as_ref().is_some_and(|g| g.is_empty()) {
            for (_, d) in &space.groups {
                cube.restrict(space, *d, |c| c == 0);
            }
        }
        let groups = self.groups.clone().unwrap_or_default();
        for (list, member) in [(&groups, 1usize), (&self.not_groups, 0)] {
            for g in list {
                if let Some(d) = space.group_dim(g) {
                    cube.restrict(space, d, |c| c == member);
                }
            }
        }
        for r in &self.roles {
            let role = catalog::role_by_name(r).or_else(|| catalog::role_by_id(r));
            if let Some(i) =
                role.and_then(|role| catalog::ROLES.iter().position(|x| x.id == role.id))
            {
                if let Some(d) = space.role_dim(i) {
                    cube.restrict(space, d, |c| c == 1);
                }
            }
        }
        if let Some(apps) = &self.apps {
            let all = self.all_cloud_apps;
            let any_other = apps.iter().any(|a| !listed_app(space, a));
            cube.restrict(space, k.app, |c| {
                match &space.dims[k.app].classes[c].value {
                    Value::App(AppRef::Named(_) | AppRef::Id(_))
                    | Value::OtherApp(AppRef::Id(_))
                        if all =>
                    {
                        true
                    }
                    Value::App(a) => apps.contains(a),
                    Value::OtherApp(AppRef::AuthContext(_)) => apps
                        .iter()
                        .any(|a| matches!(a, AppRef::AuthContext(_)) && !listed_app(space, a)),
                    Value::OtherApp(_) => {
                        any_other
                            && apps
                                .iter()
                                .any(|a| matches!(a, AppRef::Id(_)) && !listed_app(space, a))
                    }
                    _ => false,
                }
            });
        }
        if !self.not_apps.is_empty() || self.not_all_cloud_apps {
            let all = self.not_all_cloud_apps;
            let out = &self.not_apps;
            cube.restrict(space, k.app, |c| {
                match &space.dims[k.app].classes[c].value {
                    Value::App(AppRef::Named(_) | AppRef::Id(_))
                    | Value::OtherApp(AppRef::Id(_))
                        if all =>
                    {
                        false
                    }
                    Value::App(a) => !out.contains(a),
                    _ => true,
                }
            });
        }
        restrict_values(space, &mut cube, k.client, &self.client_apps, |v| match v {
            Value::Client(c) => Some(*c),
            _ => None,
        });
        if self.platforms.is_none() && !self.unstated[0] {
            cube.restrict(space, k.platform, |c| c != 0);
        }
        if self.ips.is_none() && !self.unstated[1] {
            cube.restrict(space, k.ip, |c| c != 0);
        }
        if self.countries.is_none() && !self.unstated[2] {
            cube.restrict(space, k.country, |c| {
                !matches!(
                    space.dims[k.country].classes[c].value,
                    Value::Country(CountryClass::Missing)
                )
            });
        }
        restrict_values(space, &mut cube, k.platform, &self.platforms, |v| match v {
            Value::Platform(None) => Some(Signal::Unstated),
            Value::Platform(Some(p)) => Some(Signal::Is(*p)),
            _ => None,
        });
        for (d, want) in [
            (k.compliant, self.compliant),
            (k.hybrid, self.hybrid_joined),
            (k.approved_app, self.approved_app),
            (k.app_protection, self.app_protection),
        ] {
            if let Some(w) = want {
                cube.restrict(space, d, |c| c == usize::from(w));
            }
        }
        restrict_values(
            space,
            &mut cube,
            k.registered,
            &self.registered,
            |v| match v {
                Value::Registered(r) => Some(*r),
                _ => None,
            },
        );
        self.restrict_network(side, &mut cube)?;
        restrict_values(space, &mut cube, k.mfa, &self.mfa, |v| match v {
            Value::Mfa(m) => Some(*m),
            _ => None,
        });
        restrict_values(space, &mut cube, k.flow, &self.flow, |v| match v {
            Value::Flow(f) => Some(*f),
            _ => None,
        });
        if self.terms_accepted.as_ref().is_some_and(|t| t.is_empty()) {
            for (_, d) in &space.terms {
                cube.restrict(space, *d, |c| c == 0);
            }
        }
        let accepted = self.terms_accepted.clone().unwrap_or_default();
        for (list, yes) in [(&accepted, 1usize), (&self.not_accepted, 0)] {
            for t in list {
                if let Some(d) = space.find(&DimKey::Terms(t.clone())) {
                    cube.restrict(space, d, |c| c == yes);
                }
            }
        }
        restrict_values(
            space,
            &mut cube,
            k.sign_in_risk,
            &self.sign_in_risk,
            |v| match v {
                Value::Risk(r) => Some(*r),
                _ => None,
            },
        );
        restrict_values(
            space,
            &mut cube,
            k.user_risk,
            &self.user_risk,
            |v| match v {
                Value::Risk(r) => Some(*r),
                _ => None,
            },
        );
        restrict_values(space, &mut cube, k.insider, &self.insider, |v| match v {
            Value::Insider(r) => Some(*r),
            _ => None,
        });
        self.segment_cubes(side, cube)
    }

    fn restrict_who(&self, side: &Side<'_>, cube: &mut Cube) -> Result<()> {
        let space = side.space;
        let d = space.known.who;
        if let Some(types) = &self.user_type {
            cube.restrict(space, d, |c| match &space.dims[d].classes[c].value {
                Value::Who(Who::Member) => types.contains(&UserType::Member),
                Value::Who(Who::InternalGuest) => types.contains(&UserType::Guest),
                Value::Who(Who::External { user_type, .. } | Who::NoEntra { user_type }) => {
                    types.contains(user_type)
                }
                _ => false,
            });
        }
        if let Some(kinds) = &self.kind {
            cube.restrict(space, d, |c| match &space.dims[d].classes[c].value {
                Value::Who(Who::External { kind, .. }) => kinds.contains(kind),
                Value::Who(Who::NoEntra { .. }) => kinds.contains(&AccessKind::Other),
                Value::Who(_) => kinds.contains(&AccessKind::B2bCollaboration),
                _ => false,
            });
        }
        if let Some(homes) = &self.home {
            let mut want: Vec<Option<Home>> = Vec::new();
            for h in homes {
                want.push(match h.as_str() {
                    "resource" => None,
                    "undeclared" | "other" => Some(Home::Undeclared),
                    name if name == space.resource.name => None,
                    name => match space.tenants.iter().position(|t| t.name == name) {
                        Some(i) => Some(Home::Tenant(i)),
                        None => {
                            let names = space.tenants.iter().map(|t| t.name.as_str()).chain([
                                space.resource.name.as_str(),
                                "resource",
                                "undeclared",
                            ]);
                            return Err(SelectorError::new(
                                "user.home",
                                format!("`{name}` is not a declared tenant"),
                            )
                            .help(did_you_mean(name, names).or_else(|| {
                                Some("name a declared tenant, `resource` or `undeclared`".into())
                            })));
                        }
                    },
                });
            }
            cube.restrict(space, d, |c| match &space.dims[d].classes[c].value {
                Value::Who(Who::Member | Who::InternalGuest) => want.contains(&None),
                Value::Who(Who::External { home, .. }) => want.contains(&Some(*home)),
                _ => false,
            });
        }
        Ok(())
    }

    fn restrict_network(&self, side: &Side<'_>, cube: &mut Cube) -> Result<()> {
        let space = side.space;
        let k = space.known;
        if let Some(ips) = &self.ips {
            cube.restrict(space, k.ip, |c| {
                if c == 0 {
                    return ips.contains(&Signal::Unstated);
                }
                let key = &space.ip_keys[c - 1];
                ips.iter().any(|s| match s {
                    Signal::Unstated => false,
                    Signal::Is(net) => space
                        .extra
                        .ranges
                        .iter()
                        .position(|r| r == net)
                        .is_some_and(|i| key.1.get(i).copied().unwrap_or(false)),
                })
            });
        }
        if let Some(countries) = &self.countries {
            cube.restrict(space, k.country, |c| {
                match &space.dims[k.country].classes[c].value {
                    Value::Country(CountryClass::Missing) => countries.contains(&Signal::Unstated),
                    Value::Country(CountryClass::Codes { named, .. }) => countries
                        .iter()
                        .any(|s| matches!(s, Signal::Is(x) if named.contains(x))),
                    _ => false,
                }
            });
        }
        let pack = side.c.pack();
        for (names, inside) in [(&self.locations, true), (&self.not_locations, false)] {
            for name in names {
                let Some(i) = pack.locations.iter().position(|l| l.name.value == *name) else {
                    return Err(SelectorError::new(
                        if inside {
                            "network.location"
                        } else {
                            "network.not_location"
                        },
                        format!("`{name}` is not a named location"),
                    )
                    .help(did_you_mean(
                        name,
                        pack.locations.iter().map(|l| l.name.value.as_str()),
                    )));
                };
                let is_ip = matches!(
                    side.c.locations.get(i).map(|l| &l.table),
                    Some(crate::eval::compile::LocationTable::Ip { .. })
                );
                let dim = if is_ip { k.ip } else { k.country };
                let classes: Vec<bool> = (0..space.dims[dim].classes.len())
                    .map(|c| {
                        let point = side.point(&[(dim, c as u16)]);
                        let request = space.request(&point);
                        let (loc_in, loc_known) =
                            side.c.locate(request.network.ip, request.network.country);
                        loc_known.get(i) && loc_in.get(i) == inside
                    })
                    .collect();
                cube.restrict(space, dim, |c| classes[c]);
            }
        }
        Ok(())
    }

    /// Applies the segments: who restrictions merge into the cube; group, user and role
    /// segments make one cube each.
    fn segment_cubes(&self, side: &Side<'_>, mut cube: Cube) -> Result<Vec<Cube>> {
        let space = side.space;
        for text in &self.not_segments {
            for target in parse_segment(text)? {
                leave_out(side, &mut cube, target);
            }
        }
        if self.segments.is_empty() {
            return Ok(vec![cube]);
        }
        let who = space.known.who;
        let mut who_keep = vec![false; space.dims[who].classes.len()];
        let mut any_who = false;
        let mut out = Vec::new();
        for text in &self.segments {
            for target in parse_segment(text)? {
                match target {
                    Segment::Who(keep) => {
                        any_who = true;
                        for (c, k) in keep(side).into_iter().enumerate() {
                            who_keep[c] |= k;
                        }
                    }
                    Segment::Target(UserTarget::Group(g)) => match space.group_dim(&g) {
                        Some(d) => out.push(cube.with_classes(space, d, &[1])),
                        None => out.push(cube.clone()),
                    },
                    Segment::Target(UserTarget::Role(r)) => {
                        let role = catalog::role_by_name(&r).or_else(|| catalog::role_by_id(&r));
                        let d = role
                            .and_then(|role| catalog::ROLES.iter().position(|x| x.id == role.id))
                            .and_then(|i| space.role_dim(i));
                        match d {
                            Some(d) => out.push(cube.with_classes(space, d, &[1])),
                            None => out.push(cube.clone()),
                        }
                    }
                    Segment::Target(UserTarget::User(u)) => {
                        let d = space.known.user;
                        let lower = u.to_lowercase();
                        let classes: Vec<usize> = (0..space.dims[d].classes.len())
                            .filter(|c| match &space.dims[d].classes[*c].value {
                                Value::User(Some(n)) => *n == lower,
                                _ => !named_user(space, &lower),
                            })
                            .collect();
                        out.push(cube.with_classes(space, d, &classes));
                    }
                    Segment::Target(UserTarget::All) => out.push(cube.clone()),
                    Segment::Target(UserTarget::None) => {}
                    Segment::Target(other) => {
                        let keep = who_table(side, &other);
                        any_who = true;
                        for (c, k) in keep.into_iter().enumerate() {
                            who_keep[c] |= k;
                        }
                    }
                }
            }
        }
        if any_who {
            let keep: Vec<usize> = (0..who_keep.len()).filter(|c| who_keep[*c]).collect();
            let restricted = cube.intersect(&cube.with_classes(space, who, &keep));
            out.insert(0, restricted);
        }
        Ok(out)
    }
}

/// Removes a segment's users from a cube.
fn leave_out(side: &Side<'_>, cube: &mut Cube, target: Segment) {
    let space = side.space;
    let who = space.known.who;
    match target {
        Segment::Who(keep) => {
            let keep = keep(side);
            cube.restrict(space, who, |c| !keep[c]);
        }
        Segment::Target(UserTarget::Group(g)) => {
            if let Some(d) = space.group_dim(&g) {
                cube.restrict(space, d, |c| c == 0);
            }
        }
        Segment::Target(UserTarget::Role(r)) => {
            let role = catalog::role_by_name(&r).or_else(|| catalog::role_by_id(&r));
            let d = role
                .and_then(|role| catalog::ROLES.iter().position(|x| x.id == role.id))
                .and_then(|i| space.role_dim(i));
            if let Some(d) = d {
                cube.restrict(space, d, |c| c == 0);
            }
        }
        Segment::Target(UserTarget::User(u)) => {
            let d = space.known.user;
            let lower = u.to_lowercase();
            cube.restrict(
                space,
                d,
                |c| !matches!(&space.dims[d].classes[c].value, Value::User(Some(n)) if *n == lower),
            );
        }
        Segment::Target(UserTarget::All) => cube.restrict(space, who, |_| false),
        Segment::Target(UserTarget::None) => {}
        Segment::Target(other) => {
            let keep = who_table(side, &other);
            cube.restrict(space, who, |c| !keep[c]);
        }
    }
}

enum Segment {
    Who(fn(&Side<'_>) -> Vec<bool>),
    Target(UserTarget),
}

fn internal_members(side: &Side<'_>) -> Vec<bool> {
    let d = &side.space.dims[side.space.known.who];
    d.classes
        .iter()
        .map(|c| matches!(c.value, Value::Who(Who::Member)))
        .collect()
}

fn internal(side: &Side<'_>) -> Vec<bool> {
    let d = &side.space.dims[side.space.known.who];
    d.classes
        .iter()
        .map(|c| matches!(c.value, Value::Who(Who::Member | Who::InternalGuest)))
        .collect()
}

/// The segments a text names: the selector's own words, or user targets as a policy writes
/// them (read by the policy parser itself).
fn parse_segment(text: &str) -> Result<Vec<Segment>> {
    match text.trim() {
        "internal_members" | "members" => return Ok(vec![Segment::Who(internal_members)]),
        "internal" => return Ok(vec![Segment::Who(internal)]),
        _ => {}
    }
    // A selector reads "any external user" as `external(any)` too (a policy writes
    // `external(all)`): the same set of external user types.
    let text = text.replace("external(any)", "external(all)");
    let text = text.as_str();
    let source =
        format!("policy \"selector\" {{\n  users {{ include {text} }}\n  apps {{ include all }}\n  grant block\n}}\n");
    let parsed = crate::syntax::parse_file(crate::source::FileId(0), &source);
    if let Some(d) = parsed.diagnostics.iter().find(|d| d.is_error()) {
        return Err(SelectorError::new(
            "user",
            format!("`{text}` is not a user segment: {}", d.message),
        )
        .help(Some(
            "write a segment as in a policy's `users` block, e.g. `external(b2b_guest) from outside_organization`, `group \"Sales\"`, `guests_or_external`, or `internal_members`".into(),
        )));
    }
    let Some(policy) = parsed.pack.policies.first() else {
        return Err(SelectorError::new(
            "user",
            format!("`{text}` is not a user segment"),
        ));
    };
    Ok(policy
        .users
        .include
        .iter()
        .map(|t| Segment::Target(t.value.clone()))
        .collect())
}

/// Which who classes a user target covers, in this pack.
fn who_table(side: &Side<'_>, target: &UserTarget) -> Vec<bool> {
    let mut scratch = side.c.clone();
    let m = scratch.user_m(side.c.pack(), target);
    let d = side.space.known.who;
    (0..side.space.dims[d].classes.len())
        .map(|c| {
            let point = side.point(&[(d, c as u16)]);
            side.with_ctx(&point, |ctx| user_target(ctx, &m)) == Some(Tri::Yes)
        })
        .collect()
}

fn named_user(space: &Space, lower: &str) -> bool {
    space.dims[space.known.user]
        .classes
        .iter()
        .any(|c| matches!(&c.value, Value::User(Some(n)) if n == lower))
}

fn listed_app(space: &Space, app: &AppRef) -> bool {
    space.dims[space.known.app]
        .classes
        .iter()
        .any(|c| matches!(&c.value, Value::App(a) if a == app))
}

fn restrict_values<T: PartialEq>(
    space: &Space,
    cube: &mut Cube,
    d: usize,
    want: &AnyOf<T>,
    value: impl Fn(&Value) -> Option<T>,
) {
    if let Some(want) = want {
        cube.restrict(space, d, |c| {
            value(&space.dims[d].classes[c].value).is_some_and(|v| want.contains(&v))
        });
    }
}

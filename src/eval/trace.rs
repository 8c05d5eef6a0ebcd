//! The structured record of a decision: who the user is, what the cross-tenant gate said, and for
//! every policy every condition and every control with the fact that decided it (the group, the
//! location, the tenant, the trust setting).
//!
//! The decision is computed *from* this record ([`Trace::decision`]); the text an administrator
//! reads comes from the `Display` impls here, at the edge.

use std::fmt;
use std::net::IpAddr;

use crate::model::catalog::AuthMethod;
use crate::model::request::{Country, Flow, InsiderRiskLevel, Registered};
use crate::model::strength::{AuthMode, CombinationText, MethodsAt};
use crate::model::{
    Access, AppTarget, ClientApp, Control, CrossTenant, LocationRef, Platform, Policy, PolicyState,
    RiskLevel, Spanned, UserTarget, XtUserTarget,
};

// ---- small values ---------------------------------------------------------------------------

/// Three-valued truth: a condition that needs a missing signal is `Unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tri {
    Yes,
    No,
    Unknown,
}

impl Tri {
    pub fn from_bool(b: bool) -> Tri {
        if b {
            Tri::Yes
        } else {
            Tri::No
        }
    }
    /// Kleene conjunction.
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Yes, Tri::Yes) => Tri::Yes,
            _ => Tri::Unknown,
        }
    }
    /// Kleene disjunction.
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::No, Tri::No) => Tri::No,
            _ => Tri::Unknown,
        }
    }
    pub fn negate(self) -> Tri {
        match self {
            Tri::Yes => Tri::No,
            Tri::No => Tri::Yes,
            Tri::Unknown => Tri::Unknown,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Tri::Yes => "yes",
            Tri::No => "no",
            Tri::Unknown => "unknown",
        }
    }
}

/// The signals (or facts) an `Unknown` depends on. A small bit set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Signals(pub u8);

impl Signals {
    pub const NONE: Signals = Signals(0);
    pub const PLATFORM: Signals = Signals(1);
    pub const IP: Signals = Signals(2);
    pub const COUNTRY: Signals = Signals(4);
    /// A device filter accord could not evaluate.
    pub const DEVICE: Signals = Signals(8);
    /// A pack reference that did not resolve (a validated pack has none).
    pub const UNRESOLVED: Signals = Signals(16);
    /// Group membership the request leaves unknown (`groups: unknown`).
    pub const GROUPS: Signals = Signals(32);
    /// Directory roles the request leaves unknown (`roles: unknown`).
    pub const ROLES: Signals = Signals(64);
    /// Whether the sign-in comes through a compliant network, which the request leaves out.
    pub const COMPLIANT_NETWORK: Signals = Signals(128);
    /// Signals a request can leave out and accord can enumerate.
    pub const MISSABLE: Signals = Signals(1 | 2 | 4);

    pub fn union(self, o: Signals) -> Signals {
        Signals(self.0 | o.0)
    }
    pub fn intersect(self, o: Signals) -> Signals {
        Signals(self.0 & o.0)
    }
    pub fn contains(self, o: Signals) -> bool {
        self.0 & o.0 == o.0
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// Dotted request paths, in a fixed order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        [
            (Signals::PLATFORM, "device.platform"),
            (Signals::IP, "network.ip"),
            (Signals::COUNTRY, "network.country"),
            (Signals::DEVICE, "device.attributes"),
            (Signals::GROUPS, "user.groups"),
            (Signals::ROLES, "user.roles"),
            (Signals::COMPLIANT_NETWORK, "network.compliant_network"),
            (Signals::UNRESOLVED, "pack"),
        ]
        .into_iter()
        .filter(move |(s, _)| self.contains(*s))
        .map(|(_, n)| n)
    }
}

impl fmt::Display for Signals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.names().collect();
        f.write_str(&names.join(", "))
    }
}

/// The answer, least to most restrictive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Decision {
    Allow,
    Challenge,
    Block,
}

impl Decision {
    pub const ALL: [Decision; 3] = [Decision::Allow, Decision::Challenge, Decision::Block];
    pub fn name(self) -> &'static str {
        match self {
            Decision::Allow => "allow",
            Decision::Challenge => "challenge",
            Decision::Block => "block",
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of decisions (the possible outcomes when signals are missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DecisionSet(pub u8);

impl DecisionSet {
    pub fn single(d: Decision) -> Self {
        DecisionSet(1 << d as u8)
    }
    pub fn insert(&mut self, d: Decision) {
        self.0 |= 1 << d as u8;
    }
    pub fn extend(&mut self, other: DecisionSet) {
        for d in other.iter() {
            self.insert(d);
        }
    }
    pub fn contains(self, d: Decision) -> bool {
        self.0 & (1 << d as u8) != 0
    }
    pub fn iter(self) -> impl Iterator<Item = Decision> {
        Decision::ALL.into_iter().filter(move |d| self.contains(*d))
    }
    /// The most restrictive member (fail closed); `Block` for an empty set.
    pub fn most_restrictive(self) -> Decision {
        self.iter().last().unwrap_or(Decision::Block)
    }
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

// ---- the user -------------------------------------------------------------------------------

/// The user's segment (§6.3 and §5.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UserKind {
    /// An internal member (employee): not external.
    Member,
    InternalGuest,
    B2bGuest,
    B2bMember,
    DirectConnect,
    ServiceProvider,
    OtherExternal,
}

impl UserKind {
    pub const ALL: [UserKind; 7] = [
        UserKind::Member,
        UserKind::InternalGuest,
        UserKind::B2bGuest,
        UserKind::B2bMember,
        UserKind::DirectConnect,
        UserKind::ServiceProvider,
        UserKind::OtherExternal,
    ];

    pub fn name(self) -> &'static str {
        match self {
            UserKind::Member => "member",
            UserKind::InternalGuest => "internal_guest",
            UserKind::B2bGuest => "b2b_guest",
            UserKind::B2bMember => "b2b_member",
            UserKind::DirectConnect => "direct_connect",
            UserKind::ServiceProvider => "service_provider",
            UserKind::OtherExternal => "other_external",
        }
    }
    /// Authenticates against another tenant or identity provider.
    pub fn is_external(self) -> bool {
        !matches!(self, UserKind::Member | UserKind::InternalGuest)
    }
}

/// Whether the user's home tenant is in the resource tenant's multi-tenant organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrgStatus {
    Internal,
    /// Home and resource tenant are both `active` in the same organisation.
    In,
    /// Anything else, pending and removed tenants included.
    Out,
}

impl OrgStatus {
    pub fn name(self) -> &'static str {
        match self {
            OrgStatus::Internal => "internal",
            OrgStatus::In => "in",
            OrgStatus::Out => "out",
        }
    }
}

/// Where the user's account lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Home<'a> {
    Resource(&'a str),
    Declared(&'a str),
    /// A tenant id or domain the pack does not declare.
    Undeclared(&'a str),
    /// No Entra home tenant (`kind: other`).
    NoEntra,
}

impl fmt::Display for Home<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Home::Resource(n) | Home::Declared(n) | Home::Undeclared(n) => f.write_str(n),
            Home::NoEntra => f.write_str("no Entra tenant"),
        }
    }
}

/// Which cross-tenant block a setting came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source<'a> {
    Partner(&'a str),
    Default,
    /// No `cross_tenant default` block: the platform's service defaults (§4.2).
    ServiceDefault,
}

impl fmt::Display for Source<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Partner(t) => write!(f, "cross-tenant settings for {t}"),
            Source::Default => f.write_str("the default cross-tenant settings"),
            Source::ServiceDefault => f.write_str("the service-default cross-tenant settings"),
        }
    }
}

/// The inbound trust in force for the user's home tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrustView<'a> {
    pub mfa: bool,
    pub compliant_device: bool,
    pub hybrid_joined: bool,
    pub source: Source<'a>,
}

impl fmt::Display for TrustView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut claims = Vec::new();
        if self.mfa {
            claims.push("mfa");
        }
        if self.compliant_device {
            claims.push("compliant_device");
        }
        if self.hybrid_joined {
            claims.push("hybrid_joined");
        }
        if claims.is_empty() {
            claims.push("none");
        }
        write!(f, "{} ({})", claims.join(", "), self.source)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classification<'a> {
    pub name: &'a str,
    pub kind: UserKind,
    pub organization: OrgStatus,
    pub home: Home<'a>,
    /// The resource tenant's name.
    pub resource: &'a str,
    /// The organisation the resource tenant is active in, when it is.
    pub org_name: Option<&'a str>,
    /// Trust for users with an Entra home tenant other than the resource tenant.
    pub trust: Option<TrustView<'a>>,
    /// The home tenant was read from the e-mail domain (the request gave no `home`).
    pub home_inferred: bool,
}

impl fmt::Display for Classification<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is ", self.name)?;
        match self.kind {
            UserKind::Member => write!(f, "an internal member of {}", self.resource),
            UserKind::InternalGuest => write!(
                f,
                "an internal guest (credentials in {}, userType Guest)",
                self.resource
            ),
            UserKind::OtherExternal => f.write_str(
                "an other_external user (no Entra home tenant: social, one-time passcode or federation), out of organization",
            ),
            kind => {
                write!(f, "{} from {}, ", kind.name(), self.home)?;
                if self.home_inferred {
                    f.write_str("home inferred from the e-mail domain, ")?;
                }
                match (self.organization, self.org_name) {
                    (OrgStatus::In, Some(o)) => write!(
                        f,
                        "in organization ({} and {} are active in \"{o}\")",
                        self.home, self.resource
                    ),
                    _ => f.write_str("out of organization"),
                }
            }
        }
    }
}

// ---- the cross-tenant gate -------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateSetting {
    B2bCollaboration,
    B2bDirectConnect,
}

impl GateSetting {
    pub fn name(self) -> &'static str {
        match self {
            GateSetting::B2bCollaboration => "b2b_collaboration",
            GateSetting::B2bDirectConnect => "b2b_direct_connect",
        }
    }
}

/// One dimension (users or apps) of a full-form B2B setting.
#[derive(Debug, PartialEq)]
pub struct Dimension<'a, T> {
    pub access: Access,
    /// Omitted in the pack: the other dimension's access type with target `all`.
    pub implied: bool,
    /// The target that matched the request, if any (`None` and `in_list` for an implied `all`).
    pub matched: Option<&'a Spanned<T>>,
    /// When `uncertain`, the value that blocks (fail closed).
    pub in_list: bool,
    /// Only a group target could put the request in the list, and the request's group
    /// membership is unknown.
    pub uncertain: bool,
}

impl<T> Clone for Dimension<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Dimension<'_, T> {}

impl<T> Dimension<'_, T> {
    /// The dimension alone lets the request through.
    pub fn passes(&self) -> bool {
        (self.access == Access::Allow) == self.in_list
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict<'a> {
    /// No `cross_tenant` block sets it: collaboration allowed, direct connect blocked (§4.2).
    ServiceDefault(GateSetting),
    /// `= allow` / `= block`.
    Short(Access),
    /// A `{ }` block with neither users nor apps: accord fails closed.
    Empty,
    Lists {
        users: Dimension<'a, XtUserTarget>,
        apps: Dimension<'a, AppTarget>,
    },
}

impl Verdict<'_> {
    /// §4.3: an allow-list allows its members, a block-list its complement; the dimensions
    /// intersect, except that two block-lists deny only the pair (user in one, app in the other).
    pub fn allows(&self) -> bool {
        match self {
            Verdict::ServiceDefault(s) => *s == GateSetting::B2bCollaboration,
            Verdict::Short(a) => *a == Access::Allow,
            Verdict::Empty => false,
            Verdict::Lists { users, apps } => lists_allow(users.access, users.in_list, apps),
        }
    }

    /// Blocks only because the user's group membership is unknown: with the other membership,
    /// the setting would let the request through.
    pub fn uncertain(&self) -> bool {
        match self {
            Verdict::Lists { users, apps } => {
                users.uncertain && !self.allows() && lists_allow(users.access, !users.in_list, apps)
            }
            _ => false,
        }
    }
}

fn lists_allow<U>(users: Access, users_in_list: bool, apps: &Dimension<'_, U>) -> bool {
    if users == Access::Block && apps.access == Access::Block {
        !(users_in_list && apps.in_list)
    } else {
        ((users == Access::Allow) == users_in_list) && apps.passes()
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Gate<'a> {
    /// Internal users: cross-tenant settings do not apply.
    Internal,
    /// No Entra home tenant: cross-tenant settings govern Entra tenants only; external
    /// collaboration settings apply instead.
    NoEntraHome,
    Checked {
        setting: GateSetting,
        source: Source<'a>,
        verdict: Verdict<'a>,
    },
    /// `kind: service_provider` from a tenant not marked `service_provider`.
    NotServiceProvider { tenant: &'a str },
    /// B2B direct connect reaches Teams shared channels (and their SharePoint sites) only.
    DirectConnectApp,
}

impl Gate<'_> {
    pub fn allows(&self) -> bool {
        match self {
            Gate::Internal | Gate::NoEntraHome => true,
            Gate::Checked { verdict, .. } => verdict.allows(),
            Gate::NotServiceProvider { .. } | Gate::DirectConnectApp => false,
        }
    }

    /// Blocks (fail closed) only because the user's group membership is unknown; the policies
    /// are then evaluated too, for the outcomes the other membership would give.
    pub fn uncertain(&self) -> bool {
        match self {
            Gate::Checked { verdict, .. } => verdict.uncertain(),
            _ => false,
        }
    }

    /// The gate lets the request through, or may (see [`Gate::uncertain`]).
    pub fn may_allow(&self) -> bool {
        self.allows() || self.uncertain()
    }
}

impl fmt::Display for Gate<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = if self.allows() { "allowed" } else { "blocked" };
        match self {
            Gate::Internal => f.write_str("not applicable: internal user"),
            Gate::NoEntraHome => f.write_str(
                "not applicable: cross-tenant settings govern Entra tenants only; this user has none",
            ),
            Gate::NotServiceProvider { tenant } => write!(
                f,
                "blocked: the user signs in as a service provider, but cross-tenant settings for {tenant} do not mark it `service_provider`"
            ),
            Gate::DirectConnectApp => f.write_str(
                "blocked: B2B direct connect reaches only Teams shared channels and their SharePoint sites",
            ),
            Gate::Checked {
                setting,
                source,
                verdict,
            } => {
                write!(f, "{word}: inbound {} ", setting.name())?;
                write_verdict(f, *source, verdict)
            }
        }
    }
}

/// "= allow in <source>" or "in <source>: users ...; apps ...": one B2B setting (or tenant
/// restrictions) as it applied to a request.
pub(crate) fn write_verdict(
    f: &mut fmt::Formatter<'_>,
    source: Source<'_>,
    verdict: &Verdict<'_>,
) -> fmt::Result {
    match verdict {
        Verdict::ServiceDefault(_) => write!(
            f,
            "= {} ({source}: no `cross_tenant default` block)",
            if verdict.allows() { "allow" } else { "block" }
        ),
        Verdict::Short(a) => write!(f, "= {} in {source}", access_name(*a)),
        Verdict::Empty => {
            write!(f, "in {source} names neither users nor apps (fail closed)")
        }
        Verdict::Lists { users, apps } => {
            write!(f, "in {source}: ")?;
            write_dimension(f, "users", users, |t| XtUser(t).to_string())?;
            f.write_str("; ")?;
            write_dimension(f, "apps", apps, |t| AppName(t).to_string())?;
            if verdict.uncertain() {
                f.write_str(match users.access {
                        Access::Allow => " (group membership unknown: the user passes only as a member of a listed group; fail closed)",
                        Access::Block => " (group membership unknown: a member of a listed group is blocked; fail closed)",
                    })?;
            }
            if users.access == Access::Block && apps.access == Access::Block {
                f.write_str(if verdict.allows() {
                    " (two block-lists deny only users of the one on apps of the other)"
                } else {
                    " (both block-lists match: this user is blocked from this app)"
                })?;
            }
            Ok(())
        }
    }
}

fn write_dimension<T>(
    f: &mut fmt::Formatter<'_>,
    what: &str,
    d: &Dimension<'_, T>,
    show: impl Fn(&T) -> String,
) -> fmt::Result {
    let list = if d.access == Access::Allow {
        "allow-list"
    } else {
        "block-list"
    };
    match (d.implied, d.matched) {
        (true, _) => write!(f, "{what} {} all (implied)", access_name(d.access)),
        (false, Some(t)) => write!(f, "{what} {list} matches {}", show(&t.value)),
        (false, None) => write!(f, "not in the {what} {list}"),
    }
}

pub(crate) fn access_name(a: Access) -> &'static str {
    match a {
        Access::Allow => "allow",
        Access::Block => "block",
    }
}

// ---- conditions -----------------------------------------------------------------------------

/// Why the users assignment matched or not.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UsersReason<'a> {
    pub included_by: Option<&'a Spanned<UserTarget>>,
    pub excluded_by: Option<&'a Spanned<UserTarget>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AppsReason<'a> {
    pub included_by: Option<&'a Spanned<AppTarget>>,
    pub excluded_by: Option<&'a Spanned<AppTarget>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocationsReason<'a> {
    pub included_by: Option<&'a Spanned<LocationRef>>,
    pub excluded_by: Option<&'a Spanned<LocationRef>>,
    pub ip: Option<IpAddr>,
    pub country: Option<Country>,
}

/// One condition of one policy, with the facts it was decided on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Condition<'a> {
    Users(UsersReason<'a>),
    Apps(AppsReason<'a>),
    Platforms(Option<Platform>),
    Locations(LocationsReason<'a>),
    ClientApps(ClientApp),
    SignInRisk(RiskLevel),
    UserRisk(RiskLevel),
    InsiderRisk(InsiderRiskLevel),
    AuthFlows(Flow),
    /// A device filter (mode and rule in the policy), seen with these device facts.
    Devices {
        registered: Registered,
        /// The resource tenant sees the device's properties (internal, or trusted home claims).
        visible: bool,
    },
}

impl Condition<'_> {
    pub fn name(&self) -> &'static str {
        match self {
            Condition::Users(_) => "users",
            Condition::Apps(_) => "apps",
            Condition::Platforms(_) => "platforms",
            Condition::Locations(_) => "locations",
            Condition::ClientApps(_) => "client_apps",
            Condition::SignInRisk(_) => "sign_in_risk",
            Condition::UserRisk(_) => "user_risk",
            Condition::InsiderRisk(_) => "insider_risk",
            Condition::AuthFlows(_) => "auth_flows",
            Condition::Devices { .. } => "devices",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConditionTrace<'a> {
    pub condition: Condition<'a>,
    pub outcome: Tri,
    /// For `Unknown`: what it depends on.
    pub needs: Signals,
    /// The policy, for texts that quote its lists.
    pub policy: &'a Policy,
}

impl fmt::Display for ConditionTrace<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.policy.conditions;
        let yes = self.outcome == Tri::Yes;
        if self.outcome == Tri::Unknown && !self.needs.is_empty() {
            let what = match self.needs {
                n if n.contains(Signals::DEVICE) => {
                    "the device filter cannot be evaluated (fail closed)".to_string()
                }
                n if n.contains(Signals::UNRESOLVED) => {
                    "it names something the pack does not declare (fail closed)".to_string()
                }
                n => format!("depends on {n}, which the request leaves out"),
            };
            return write!(f, "{}: {what}", self.condition.name());
        }
        match &self.condition {
            Condition::Users(r) => match (r.included_by, r.excluded_by) {
                (_, Some(e)) => write!(f, "users: excluded by {}", UserTargetName(&e.value)),
                (Some(i), None) => write!(f, "users: included by {}", UserTargetName(&i.value)),
                (None, None) => f.write_str("users: not included by any target"),
            },
            Condition::Apps(r) => match (r.included_by, r.excluded_by) {
                (_, Some(e)) => write!(f, "apps: excluded by {}", AppName(&e.value)),
                (Some(i), None) => write!(f, "apps: included by {}", AppName(&i.value)),
                (None, None) => f.write_str("apps: the app is not included"),
            },
            Condition::Platforms(p) => {
                let shown = p.map(|p| p.name()).unwrap_or("unknown");
                let (inc, exc) = c
                    .platforms
                    .as_ref()
                    .map(|l| {
                        (
                            join(&l.include, |p| p.name()),
                            join(&l.exclude, |p| p.name()),
                        )
                    })
                    .unwrap_or_default();
                if yes {
                    write!(f, "platforms: {shown} is in include({inc})")
                } else {
                    write!(f, "platforms: {shown} is not in include({inc})")?;
                    if !exc.is_empty() {
                        write!(f, " or is in exclude({exc})")?;
                    }
                    Ok(())
                }
            }
            Condition::Locations(r) => {
                let at = match (r.ip, r.country) {
                    (Some(ip), Some(c)) => format!("{ip} ({c})"),
                    (Some(ip), None) => ip.to_string(),
                    (None, Some(c)) => format!("country {c}"),
                    (None, None) => "the sign-in".to_string(),
                };
                match (r.included_by, r.excluded_by) {
                    (_, Some(e)) => write!(
                        f,
                        "locations: {at} is in {}, which is excluded",
                        LocationName(&e.value)
                    ),
                    (Some(i), None) => {
                        write!(f, "locations: {at} is in {}", LocationName(&i.value))
                    }
                    (None, None) => write!(f, "locations: {at} is in no included location"),
                }
            }
            Condition::ClientApps(ca) => {
                let list = c
                    .client_apps
                    .as_ref()
                    .map(|l| join(&l.value, |x| x.name()))
                    .unwrap_or_default();
                let verb = if yes { "is" } else { "is not" };
                write!(f, "client_apps: {} {verb} in [{list}]", ca.name())
            }
            Condition::SignInRisk(level) | Condition::UserRisk(level) => {
                let list = match self.condition {
                    Condition::SignInRisk(_) => c.sign_in_risk.as_ref(),
                    _ => c.user_risk.as_ref(),
                }
                .map(|l| join(&l.value, |x| x.name()))
                .unwrap_or_default();
                let verb = if yes { "is" } else { "is not" };
                write!(
                    f,
                    "{}: {} {verb} in [{list}]",
                    self.condition.name(),
                    level.name()
                )
            }
            Condition::InsiderRisk(level) => {
                let list = c
                    .insider_risk
                    .as_ref()
                    .map(|l| join(&l.value, |x| x.name()))
                    .unwrap_or_default();
                let verb = if yes { "is" } else { "is not" };
                write!(f, "insider_risk: {} {verb} in [{list}]", level.name())
            }
            Condition::AuthFlows(flow) => {
                let list = c
                    .auth_flows
                    .as_ref()
                    .map(|l| join(&l.value, |x| x.name()))
                    .unwrap_or_default();
                let verb = if yes { "is" } else { "is not" };
                write!(f, "auth_flows: {} {verb} in [{list}]", flow.name())
            }
            Condition::Devices {
                registered,
                visible,
            } => {
                let (exclude, rule) = match &self.policy.conditions.devices {
                    Some(d) => (
                        d.mode.value == crate::model::FilterMode::Exclude,
                        d.rule.value.as_str(),
                    ),
                    None => (false, ""),
                };
                // In scope through an exclude filter means the filter did not match.
                let matched = yes != exclude;
                let verb = if matched { "matches" } else { "does not match" };
                let mode = if exclude { "exclude" } else { "include" };
                let seen = if *visible {
                    String::new()
                } else {
                    " (its properties are not visible here, so they count as empty)".to_string()
                };
                write!(
                    f,
                    "devices: the device (registered: {}){seen} {verb} the {mode} filter `{rule}`",
                    registered.name()
                )
            }
        }
    }
}

fn join<T>(list: &[Spanned<T>], name: impl Fn(&T) -> &str) -> String {
    list.iter()
        .map(|x| name(&x.value))
        .collect::<Vec<_>>()
        .join(", ")
}

// ---- controls -------------------------------------------------------------------------------

/// Where a challenge happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    Resource,
    Home,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Satisfied,
    /// The user can satisfy it now, interactively, in the named place.
    Challenge(Place),
    Unsatisfiable,
    Block,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Satisfied => "satisfied",
            Status::Challenge(_) => "challenge",
            Status::Unsatisfiable => "unsatisfiable",
            Status::Block => "block",
        }
    }
}

/// What a control line is about: a grant control, or the policy's session controls.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ControlRef<'a> {
    Grant(&'a Control),
    Session,
    /// The token protection session control (`secureSignInSession`): enforced, not reported.
    TokenProtection,
}

impl fmt::Display for ControlRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ControlRef::Grant(c) => write!(f, "{}", ControlName(c)),
            ControlRef::Session => f.write_str("session"),
            ControlRef::TokenProtection => f.write_str("token_protection"),
        }
    }
}

/// Why a control has its status. Tenant names are those of the pack (or as the request wrote an
/// undeclared home).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Because<'a> {
    Block,
    Legacy(ClientApp),
    /// MFA done in the resource tenant (internal users, or externals who did it there).
    MfaDoneHere {
        resource: &'a str,
    },
    MfaNeededHere {
        resource: &'a str,
    },
    MfaHomeTrusted {
        home: &'a str,
        source: Source<'a>,
    },
    MfaHomeNotTrusted {
        home: &'a str,
        source: Source<'a>,
        resource: &'a str,
    },
    MfaNoneTrusted {
        home: &'a str,
        source: Source<'a>,
    },
    MfaNoneNotTrusted {
        source: Source<'a>,
        resource: &'a str,
    },
    DirectConnectNoMfaTrust {
        source: Source<'a>,
        resource: &'a str,
    },
    ServiceProviderMfaDone {
        home: &'a str,
    },
    ServiceProviderMfaNeeded {
        home: &'a str,
    },
    OtherExternalMfa {
        done: bool,
        resource: &'a str,
    },
    /// The combination of the strength the session's methods performed, and where.
    StrengthMet {
        strength: &'a str,
        combination: &'a [AuthMode],
        tenant: &'a str,
    },
    /// No combination is among the methods that count; the user is prompted in `place`.
    StrengthNotMet {
        strength: &'a str,
        place: &'a str,
        at: MethodsAt,
    },
    /// No combination can be performed where an external user would be prompted.
    StrengthUnreachable {
        strength: &'a str,
        place: &'a str,
        at: MethodsAt,
    },
    /// Users without an Entra home tenant cannot be given an authentication strength.
    StrengthEntraOnly {
        resource: &'a str,
    },
    CustomStrength,
    DeviceOk {
        claim: &'static str,
        tenant: &'a str,
    },
    DeviceMissing {
        claim: &'static str,
        tenant: &'a str,
    },
    DeviceNotRegisteredHere {
        resource: &'a str,
        registered: Registered,
    },
    DeviceNotTrusted {
        claim: &'static str,
        source: Source<'a>,
        resource: &'a str,
    },
    DeviceNotFromHome {
        claim: &'static str,
        home: &'a str,
        registered: Registered,
    },
    DeviceOtherExternal {
        resource: &'a str,
    },
    DeviceCodeFlow,
    MamExternal {
        resource: &'a str,
    },
    MamOk,
    MamMissing {
        what: &'static str,
    },
    /// Token protection: the session's token is bound to the device.
    TokenBound,
    /// Token protection: the session's token is not bound to the device.
    TokenNotBound,
    /// Token protection: the request does not say whether the token is bound.
    TokenBindingUnstated,
    PasswordExternal {
        resource: &'a str,
    },
    PasswordChangeNow,
    TermsAccepted,
    TermsNeeded {
        resource: &'a str,
    },
    DirectConnectUnsupported {
        what: &'static str,
        resource: &'a str,
    },
    CustomExternal,
    CustomNeeded,
}

impl fmt::Display for Because<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Because as B;
        match self {
            B::Block => f.write_str("the policy blocks access"),
            B::Legacy(c) => write!(
                f,
                "{} is a legacy-authentication client: it cannot perform MFA or present device state",
                c.name()
            ),
            B::MfaDoneHere { resource } => write!(f, "MFA was done in {resource} in this session"),
            B::MfaNeededHere { resource } => {
                write!(f, "no MFA in this session: the user is prompted in {resource}")
            }
            B::MfaHomeTrusted { home, source } => {
                write!(f, "MFA was done in {home} and {source} trust MFA")
            }
            B::MfaHomeNotTrusted {
                home,
                source,
                resource,
            } => write!(
                f,
                "MFA was done in {home}, but {source} do not trust MFA: the user does MFA again in {resource}"
            ),
            B::MfaNoneTrusted { home, source } => write!(
                f,
                "no MFA yet; {source} trust MFA, so the user is prompted in {home}"
            ),
            B::MfaNoneNotTrusted { source, resource } => write!(
                f,
                "no MFA yet and {source} do not trust MFA: the user registers and does MFA in {resource}"
            ),
            B::DirectConnectNoMfaTrust { source, resource } => write!(
                f,
                "B2B direct connect users cannot do MFA in {resource} and {source} do not trust MFA (AADSTS90071)"
            ),
            B::ServiceProviderMfaDone { home } => write!(
                f,
                "service provider MFA is done in {home} and always accepted"
            ),
            B::ServiceProviderMfaNeeded { home } => write!(
                f,
                "service provider users always do MFA in {home}; it is accepted whatever the trust settings"
            ),
            B::OtherExternalMfa { done, resource } => {
                if *done {
                    write!(f, "MFA was done in {resource}; users without an Entra home tenant always do MFA there")
                } else {
                    write!(f, "users without an Entra home tenant always do MFA in {resource}; trust settings never apply")
                }
            }
            B::StrengthMet {
                strength,
                combination,
                tenant,
            } => write!(
                f,
                "strength `{strength}` is met by `{}`, performed in {tenant}",
                CombinationText(combination)
            ),
            B::StrengthNotMet {
                strength,
                place,
                at,
            } => write!(
                f,
                "no combination of strength `{strength}` is among the session's methods{}: the user is prompted in {place}",
                counted(*at)
            ),
            B::StrengthUnreachable {
                strength,
                place,
                at,
            } => write!(
                f,
                "no combination of strength `{strength}` can be performed in {place}{}: this strength cannot be met",
                counted(*at)
            ),
            B::StrengthEntraOnly { resource } => write!(
                f,
                "{resource} can require an authentication strength only of external users who sign in with Microsoft Entra ID; use the MFA grant for the others"
            ),
            B::CustomStrength => f.write_str(
                "the pack does not declare this custom authentication strength: accord cannot tell which methods it allows (fail closed)",
            ),
            B::DeviceOk { claim, tenant } => {
                write!(f, "the device is {claim} (claim from {tenant})")
            }
            B::DeviceMissing { claim, tenant } => {
                write!(f, "the device is not {claim} according to {tenant}")
            }
            B::DeviceNotRegisteredHere {
                resource,
                registered,
            } => write!(
                f,
                "the device is not registered in {resource} (registered: {})",
                registered.name()
            ),
            B::DeviceNotTrusted {
                claim,
                source,
                resource,
            } => write!(
                f,
                "{source} do not trust {claim} claims, and the device is not registered in {resource}"
            ),
            B::DeviceNotFromHome {
                claim,
                home,
                registered,
            } => write!(
                f,
                "the {claim} claim is trusted, but the device is not registered in {home} (registered: {})",
                registered.name()
            ),
            B::DeviceOtherExternal { resource } => write!(
                f,
                "users without an Entra home tenant have no trusted device claims, and the device is not registered in {resource}"
            ),
            B::DeviceCodeFlow => f.write_str(
                "the device code flow cannot present the authenticating device's state",
            ),
            B::MamExternal { resource } => write!(
                f,
                "needs a device managed by {resource}; an external user's device is managed by its home tenant"
            ),
            B::MamOk => f.write_str("the app meets it"),
            B::MamMissing { what } => write!(f, "the client app is not {what}"),
            B::TokenBound => f.write_str("the sign-in session's token is bound to the device"),
            B::TokenNotBound => f.write_str(
                "the sign-in session's token is not bound to the device: token protection blocks it",
            ),
            B::TokenBindingUnstated => f.write_str(
                "the request does not say whether the session's token is bound to the device (`device.token_bound`): token protection blocks unless it is (fail closed)",
            ),
            B::PasswordExternal { resource } => write!(
                f,
                "an external user's password cannot be changed in {resource}"
            ),
            B::PasswordChangeNow => f.write_str("the user changes the password at sign-in"),
            B::TermsAccepted => f.write_str("already accepted"),
            B::TermsNeeded { resource } => {
                write!(f, "the user is asked to accept them in {resource}")
            }
            B::DirectConnectUnsupported { what, resource } => write!(
                f,
                "{what} are not supported for B2B direct connect users, who cannot be prompted in {resource}"
            ),
            B::CustomExternal => f.write_str("custom controls do not work across tenants"),
            B::CustomNeeded => f.write_str("completed with the custom control's provider"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ControlTrace<'a> {
    pub control: ControlRef<'a>,
    pub status: Status,
    pub because: Because<'a>,
    /// The tenant a challenge happens in.
    pub place_tenant: &'a str,
}

impl fmt::Display for ControlTrace<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.control, self.status.name())?;
        if let Status::Challenge(Place::Home) = self.status {
            write!(f, " in {}", self.place_tenant)?;
        }
        write!(f, " — {}", self.because)
    }
}

/// What a policy asks of this request, least to most restrictive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PolicyResult {
    Satisfied,
    Challenge,
    Unsatisfiable,
    Block,
}

impl PolicyResult {
    pub fn name(self) -> &'static str {
        match self {
            PolicyResult::Satisfied => "satisfied",
            PolicyResult::Challenge => "challenge",
            PolicyResult::Unsatisfiable => "unsatisfiable",
            PolicyResult::Block => "block",
        }
    }
    pub fn decision(self) -> Decision {
        match self {
            PolicyResult::Satisfied => Decision::Allow,
            PolicyResult::Challenge => Decision::Challenge,
            PolicyResult::Unsatisfiable | PolicyResult::Block => Decision::Block,
        }
    }
}

// ---- policies and the whole trace -----------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
pub struct PolicyTrace<'a> {
    pub policy: &'a Policy,
    /// `Yes`, `No`, or `Unknown` when a condition could not be decided.
    pub applies: Tri,
    /// Index in the compiled pack's policies (pack order).
    pub(crate) slot: usize,
    /// For `Unknown`: the signals it depends on.
    pub needs: Signals,
    /// The result of its controls, when it applies or may apply (and is not `off`). Its
    /// conditions and controls are recorded on demand: [`Trace::conditions`],
    /// [`Trace::controls`].
    pub(crate) verdict: Option<PolicyResult>,
}

impl PolicyTrace<'_> {
    pub fn state(&self) -> PolicyState {
        self.policy.state.value
    }

    /// The policy's result from its controls (`None` when it does not apply or is off).
    pub fn result(&self) -> Option<PolicyResult> {
        if self.applies == Tri::No || self.state() == PolicyState::Off {
            return None;
        }
        self.verdict
    }
}

/// A policy's result from its control lines: `all` (or a single control) needs every grant
/// control, `any` one of them; session lines always count.
pub fn result_of(policy: &Policy, controls: &[ControlTrace<'_>]) -> PolicyResult {
    let mut fold = ResultFold::new(policy);
    for c in controls {
        match c.control {
            ControlRef::Grant(_) => fold.grant(c.status),
            ControlRef::Session | ControlRef::TokenProtection => fold.session(c.status),
        }
    }
    fold.finish()
}

/// Folds control statuses into a policy result without collecting them (shared by the traced
/// and the decision-only paths).
#[derive(Debug, Clone, Copy)]
pub struct ResultFold {
    any: bool,
    best: Option<PolicyResult>,
    worst: PolicyResult,
    blocks: bool,
    session: PolicyResult,
}

impl ResultFold {
    pub fn new(policy: &Policy) -> Self {
        ResultFold {
            any: policy
                .grant
                .as_ref()
                .is_some_and(|g| g.op.value == crate::model::GrantOp::Any),
            best: None,
            worst: PolicyResult::Satisfied,
            blocks: false,
            session: PolicyResult::Satisfied,
        }
    }

    fn rank(s: Status) -> PolicyResult {
        match s {
            Status::Satisfied => PolicyResult::Satisfied,
            Status::Challenge(_) => PolicyResult::Challenge,
            Status::Unsatisfiable => PolicyResult::Unsatisfiable,
            Status::Block => PolicyResult::Block,
        }
    }

    pub fn grant(&mut self, s: Status) {
        let r = Self::rank(s);
        self.blocks |= s == Status::Block;
        self.best = Some(self.best.map_or(r, |b| b.min(r)));
        self.worst = self.worst.max(r);
    }

    pub fn session(&mut self, s: Status) {
        self.session = self.session.max(Self::rank(s));
    }

    pub fn finish(self) -> PolicyResult {
        // `block` in an `any(...)` still blocks: accord fails closed on a contradictory grant.
        let grant = if self.blocks {
            PolicyResult::Block
        } else if self.any {
            self.best.unwrap_or(PolicyResult::Satisfied)
        } else {
            self.worst
        };
        grant.max(self.session)
    }
}

/// The outcome of one stand-in request for missing signals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scenario {
    pub platform: Option<Platform>,
    pub ip: Option<IpAddr>,
    pub country: Option<Country>,
    /// The decision when undecidable policies do not apply, and when they do.
    pub best: Decision,
    pub worst: Decision,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trace<'a> {
    pub user: Classification<'a>,
    pub gate: Gate<'a>,
    /// The app-assignment step, after the gate and before any policy: `None` when the app does
    /// not require assignment, or the gate blocked first (`eval::directory`).
    pub assignment: Option<super::directory::Assignment<'a>>,
    /// `on` and `off` policies in pack order (empty when the gate or the assignment blocked).
    pub policies: Vec<PolicyTrace<'a>>,
    /// `report_only` policies in pack order: listed apart, never enforced.
    pub report_only: Vec<PolicyTrace<'a>>,
    /// Stand-in requests for the signals enforced policies depend on (empty if none).
    pub scenarios: Vec<Scenario>,
    /// The request stated every signal but these; `Unknown` conditions on them were enumerated.
    pub missing: Signals,
    /// What recording the conditions needs ([`Trace::conditions`]).
    pub(crate) replay: super::decide::Replay<'a>,
}

impl Trace<'_> {
    /// The possible decisions: from the scenarios when signals were missing, else from the
    /// policies (undecidable policies counted both ways).
    pub fn possible(&self) -> DecisionSet {
        if !self.admitted() {
            let mut set = DecisionSet::single(Decision::Block);
            if self.may_be_admitted() {
                set.extend(self.policies_possible());
            }
            return set;
        }
        self.policies_possible()
    }

    /// The checks before Conditional Access (the cross-tenant gate, then the app assignment)
    /// let the request through.
    pub fn admitted(&self) -> bool {
        self.gate.allows() && self.assignment.is_none_or(|a| a.allows())
    }

    /// They let it through, or may: they block only for a membership the request leaves
    /// unknown (the policies are then evaluated too, for what the other membership gives).
    pub fn may_be_admitted(&self) -> bool {
        self.gate.may_allow() && self.assignment.is_none_or(|a| a.allows() || a.uncertain())
    }

    /// The signals the checks before Conditional Access depend on (none when they surely
    /// block or surely admit).
    fn admission_depends_on(&self) -> Signals {
        if self.admitted() || !self.may_be_admitted() {
            return Signals::NONE;
        }
        let gate = if self.gate.uncertain() {
            Signals::GROUPS
        } else {
            Signals::NONE
        };
        gate.union(self.assignment.map_or(Signals::NONE, |a| a.signals()))
    }

    /// The possible decisions when the gate lets the request through.
    fn policies_possible(&self) -> DecisionSet {
        if !self.scenarios.is_empty() {
            let mut set = DecisionSet::default();
            for s in &self.scenarios {
                set.insert(s.best);
                set.insert(s.worst);
            }
            return set;
        }
        let (best, worst) = combine(&self.policies);
        let mut set = DecisionSet::single(best);
        set.insert(worst);
        set
    }

    /// The decision: the most restrictive possible outcome (fail closed).
    pub fn decision(&self) -> Decision {
        self.possible().most_restrictive()
    }

    /// Signals the applicability of an enforced policy depends on.
    pub fn depends_on(&self) -> Signals {
        let gate = self.admission_depends_on();
        self.policies
            .iter()
            .filter(|p| p.state() == PolicyState::On && p.applies == Tri::Unknown)
            .fold(gate, |s, p| s.union(p.needs))
    }
}

/// (best, worst) decision over enforced policies: `Yes` policies count in both, `Unknown` ones
/// only in the worst.
pub fn combine(policies: &[PolicyTrace<'_>]) -> (Decision, Decision) {
    let mut best = Decision::Allow;
    let mut worst = Decision::Allow;
    for p in policies.iter().filter(|p| p.state() == PolicyState::On) {
        if let Some(r) = p.result() {
            let d = r.decision();
            worst = worst.max(d);
            if p.applies == Tri::Yes {
                best = best.max(d);
            }
        }
    }
    (best, worst)
}

// ---- names of model values (wrappers, so the model keeps no Display of its own) -------------

pub struct UserTargetName<'a>(pub &'a UserTarget);

impl fmt::Display for UserTargetName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::model::Origin;
        match self.0 {
            UserTarget::All => f.write_str("all"),
            UserTarget::None => f.write_str("none"),
            UserTarget::GuestsOrExternal => f.write_str("guests_or_external"),
            UserTarget::User(u) => write!(f, "user {u:?}"),
            UserTarget::Group(g) => write!(f, "group {g:?}"),
            UserTarget::Role(r) => write!(f, "role {r}"),
            UserTarget::External { types, origin } => {
                let t = if types.is_empty() {
                    "all".to_string()
                } else {
                    join(types, |t| t.name())
                };
                write!(f, "external({t}) from ")?;
                match &origin.value {
                    Origin::Any => f.write_str("any"),
                    Origin::Organization => f.write_str("organization"),
                    Origin::OutsideOrganization => f.write_str("outside_organization"),
                    Origin::Tenants(names) => {
                        write!(f, "tenants({})", join(names, |n| n.as_str()))
                    }
                }
            }
        }
    }
}

pub struct AppName<'a>(pub &'a AppTarget);

impl fmt::Display for AppName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            AppTarget::All => f.write_str("all"),
            AppTarget::None => f.write_str("none"),
            AppTarget::Office365 => f.write_str("office365"),
            AppTarget::AdminPortals => f.write_str("admin_portals"),
            AppTarget::Named(a) => f.write_str(a.name()),
            AppTarget::App(id) => write!(f, "app {id:?}"),
            AppTarget::Action(a) => write!(f, "action {}", a.name()),
            AppTarget::AuthContext(c) => write!(f, "auth_context {c:?}"),
        }
    }
}

pub struct XtUser<'a>(pub &'a XtUserTarget);

impl fmt::Display for XtUser<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            XtUserTarget::All => f.write_str("all"),
            XtUserTarget::User(u) => write!(f, "user {u:?}"),
            XtUserTarget::Group(g) => write!(f, "group {g:?}"),
        }
    }
}

pub struct LocationName<'a>(pub &'a LocationRef);

impl fmt::Display for LocationName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            LocationRef::All => f.write_str("all"),
            LocationRef::AllTrusted => f.write_str("all_trusted"),
            LocationRef::MfaTrustedIps => f.write_str("mfa_trusted_ips"),
            LocationRef::CompliantNetwork => f.write_str("compliant_network"),
            LocationRef::Named(n) => f.write_str(n),
        }
    }
}

pub struct ControlName<'a>(pub &'a Control);

impl fmt::Display for ControlName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::model::AuthStrength;
        match self.0 {
            Control::TermsOfUse(t) => write!(f, "terms_of_use {t:?}"),
            Control::Custom(c) => write!(f, "custom {c:?}"),
            Control::AuthStrength(AuthStrength::BuiltIn(s)) => {
                write!(f, "auth_strength {}", s.name())
            }
            Control::AuthStrength(AuthStrength::Custom(s)) => write!(f, "auth_strength {s:?}"),
            other => f.write_str(other.keyword()),
        }
    }
}

/// The methods of a session, for messages.
pub fn methods_text(methods: &[AuthMethod]) -> String {
    methods
        .iter()
        .map(|m| m.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The name of a `cross_tenant` block's target (`default` for the default block).
pub fn cross_tenant_name(xt: &CrossTenant) -> &str {
    xt.tenant_name().unwrap_or("default")
}

/// Which methods counted, for the strength messages.
fn counted(at: MethodsAt) -> &'static str {
    match at {
        MethodsAt::Anywhere => "",
        MethodsAt::Home => {
            " (from the home tenant only SMS, voice, Authenticator push or phone sign-in, OATH tokens, FIDO2, Windows Hello for Business and certificates count)"
        }
        MethodsAt::Resource => {
            " (externals authenticating here have only SMS, voice, Authenticator push and software OATH after their password)"
        }
    }
}

//! `compile`: a validated pack turned into indexes the evaluator reads without parsing or
//! searching: interned names, per-policy target sets and bit masks, sorted disjoint CIDR tables,
//! the effective cross-tenant settings of every declared tenant and of undeclared ones, and the
//! organisation membership of each tenant.

use std::collections::HashMap;
use std::net::IpAddr;

use ipnet::IpNet;

use super::bits::LocBits;
use super::trace::UserKind;
use crate::model::catalog::{self, FirstPartyApp};
use crate::model::request::{is_guid, Country, UserType};
use crate::model::AuthFlow;
use crate::model::{
    Access, AppTarget, B2bKind, B2bSetting, ClientApp, CrossTenantTarget, Direction, ExternalType,
    InsiderRisk, LocationKind, LocationRef, MemberState, Origin, Pack, Platform, Policy,
    PolicyState, RiskLevel, UserTarget, XtUserTarget,
};
use crate::validate::Validated;

/// A compiled pack: immutable, `Send + Sync`, built once and shared by every decision.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub(crate) pack: Pack,
    /// What `unmodelled::fail_closed` rewrote in `pack`.
    pub(crate) fail_closed: Vec<super::unmodelled::FailClosed>,
    pub(crate) resource_name: String,
    /// Index of the resource tenant in `pack.tenants`.
    pub(crate) resource: Option<usize>,
    /// The organisation the resource tenant is active in.
    pub(crate) org: Option<usize>,
    /// Parallel to `pack.tenants`.
    pub(crate) tenants: Vec<TenantInfo>,
    /// Lowercase tenant ids and domains -> index in `pack.tenants`.
    pub(crate) tenant_keys: HashMap<String, usize>,
    /// Settings for tenants without their own block (and undeclared ones).
    pub(crate) default_settings: Settings,
    /// Compiled B2B settings, `[cross_tenant index][rule index]`.
    pub(crate) b2b: Vec<Vec<B2b>>,
    /// Compiled tenant restrictions, `[cross_tenant index]`.
    pub(crate) trv2: Vec<Option<B2b>>,
    pub(crate) groups: HashMap<String, u32>,
    pub(crate) users: HashMap<String, u32>,
    pub(crate) app_ids: HashMap<String, u32>,
    pub(crate) contexts: HashMap<String, u32>,
    pub(crate) locations: Vec<LocationInfo>,
    pub(crate) location_names: HashMap<String, usize>,
    pub(crate) policies: Vec<CompiledPolicy>,
    /// Per app slot (see [`Compiled::app_slot`]), the `on` and `report_only` policies whose app
    /// assignment includes and does not exclude that app, in pack order.
    pub(crate) by_app: Vec<Vec<u32>>,
    /// The same for the `on` policies alone: what the decision-only path reads.
    pub(crate) enforced_by_app: Vec<Vec<u32>>,
    /// Stand-in values for missing signals: one per class of equivalent values, with the
    /// membership it gives over IP (resp. country) locations.
    pub(crate) ip_classes: Vec<(IpAddr, LocBits, LocBits)>,
    pub(crate) country_classes: Vec<(Country, LocBits, LocBits)>,
    /// IP locations, and country locations.
    pub(crate) ip_mask: LocBits,
    pub(crate) country_mask: LocBits,
    /// Directory objects: apps that require assignment, declared users by name.
    pub(crate) directory: super::directory::Index,
}

#[derive(Debug, Clone)]
pub(crate) struct TenantInfo {
    pub in_org: bool,
    pub settings: Settings,
}

/// Where one effective setting comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SettingRef {
    Rule { xt: usize, rule: usize },
    ServiceDefault,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SourceRef {
    Partner(usize),
    Default(usize),
    ServiceDefault,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TrustRef {
    pub mfa: bool,
    pub compliant_device: bool,
    pub hybrid_joined: bool,
    pub source: SourceRef,
}

/// A tenant's effective inbound settings: partner block setting by setting over the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Settings {
    pub collaboration: (SettingRef, SourceRef),
    pub direct_connect: (SettingRef, SourceRef),
    pub trust: TrustRef,
    pub service_provider: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum B2b {
    Short(Access),
    Empty,
    Lists {
        users: Dim<XtUserM>,
        apps: Dim<AppM>,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Dim<T> {
    pub access: Access,
    pub implied: bool,
    pub targets: Vec<T>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum XtUserM {
    All,
    User(u32),
    Group(u32),
}

/// An app target, with names interned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AppM {
    All,
    None,
    Office365,
    AdminPortals,
    Named(FirstPartyApp),
    Id(u32),
    Action(crate::model::UserAction),
    Context(u32),
}

/// The app of a request, with names interned (`None`: an id or context the pack never names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AppKey {
    Named(FirstPartyApp),
    Id(Option<u32>),
    Action(crate::model::UserAction),
    Context(Option<u32>),
}

impl AppM {
    /// Whether the target covers the app. `all` means every cloud app, not user actions or
    /// authentication contexts (they are separate target kinds on the platform).
    pub fn matches(self, app: AppKey) -> bool {
        match (self, app) {
            (AppM::All, AppKey::Named(_) | AppKey::Id(_)) => true,
            (AppM::Office365, AppKey::Named(a)) => a.in_office365(),
            (AppM::AdminPortals, AppKey::Named(a)) => a.in_admin_portals(),
            (AppM::Named(t), AppKey::Named(a)) => t == a,
            (AppM::Id(t), AppKey::Id(Some(a))) => t == a,
            (AppM::Action(t), AppKey::Action(a)) => t == a,
            (AppM::Context(t), AppKey::Context(Some(a))) => t == a,
            _ => false,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum UserM {
    All,
    None,
    GuestsOrExternal,
    User(u32),
    Group(u32),
    Role(Option<usize>),
    External { types: u8, origin: OriginM },
}

#[derive(Debug, Clone)]
pub(crate) enum OriginM {
    Any,
    Organization,
    Outside,
    /// Indexes in `pack.tenants`; `None` for a name the pack does not declare.
    Tenants(Vec<Option<usize>>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LocM {
    All,
    AllTrusted,
    MfaTrustedIps,
    CompliantNetwork,
    Named(usize),
    Unresolved,
}

#[derive(Debug, Clone)]
pub(crate) enum LocationTable {
    /// Sorted, disjoint, inclusive ranges.
    Ip {
        v4: Vec<(u32, u32)>,
        v6: Vec<(u128, u128)>,
        /// A range did not parse: addresses outside the valid ranges are undecidable.
        invalid: bool,
    },
    Countries {
        codes: Vec<[u8; 2]>,
        unknown: bool,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct LocationInfo {
    pub table: LocationTable,
    pub trusted: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledPolicy {
    pub index: usize,
    pub state: PolicyState,
    pub users_include: Vec<UserM>,
    pub users_exclude: Vec<UserM>,
    pub apps_include: Vec<AppM>,
    pub apps_exclude: Vec<AppM>,
    /// (include mask, exclude mask) over [`platform_bit`]; `All` is bit 0.
    pub platforms: Option<(u8, u8)>,
    pub locations: Option<(Vec<LocM>, Vec<LocM>)>,
    pub client_apps: Option<u8>,
    pub sign_in_risk: Option<u8>,
    pub user_risk: Option<u8>,
    /// Mask over [`insider_bit`]; a request at level `none` has no bit and never matches.
    pub insider_risk: Option<u8>,
    pub auth_flows: Option<u8>,
    pub has_devices: bool,
    pub has_session: bool,
    /// `session { token_protection }`: an unbound session is blocked.
    pub token_protection: bool,
    /// The users a policy's inclusions may cover, by segment: bit [`kind_slot`] is clear when
    /// no included target can match a user of that segment and user type, whoever they are.
    pub users_kinds: u16,
}

pub(crate) fn platform_bit(p: Platform) -> u8 {
    1 << (p as u8)
}

pub(crate) fn client_bit(c: ClientApp) -> u8 {
    1 << (c as u8)
}

pub(crate) fn risk_bit(r: RiskLevel) -> u8 {
    1 << (r as u8)
}

pub(crate) fn insider_bit(r: InsiderRisk) -> u8 {
    1 << (r as u8)
}

pub(crate) fn flow_bit(f: AuthFlow) -> u8 {
    1 << (f as u8)
}

pub(crate) fn external_bit(t: ExternalType) -> u8 {
    1 << (t as u8)
}

/// A bit per user segment and user type, for [`CompiledPolicy::users_kinds`].
pub(crate) fn kind_slot(kind: UserKind, user_type: UserType) -> u16 {
    1 << ((kind as u16) * 2 + user_type as u16)
}

/// The segments an inclusion list may cover: what `user_target` can answer other than `No`
/// for some user of that segment and user type.
fn include_kinds(targets: &[UserM]) -> u16 {
    let mut out = 0;
    for kind in UserKind::ALL {
        for user_type in [UserType::Member, UserType::Guest] {
            let may = targets.iter().any(|t| match t {
                UserM::None => false,
                UserM::GuestsOrExternal => kind != UserKind::Member,
                UserM::External { types, .. } => {
                    types & super::conditions::kind_external_bits(kind, user_type) != 0
                }
                UserM::All | UserM::User(_) | UserM::Group(_) | UserM::Role(_) => true,
            });
            if may {
                out |= kind_slot(kind, user_type);
            }
        }
    }
    out
}

struct Interner<'m> {
    map: &'m mut HashMap<String, u32>,
}

impl Interner<'_> {
    fn id(&mut self, key: String) -> u32 {
        let next = self.map.len() as u32;
        *self.map.entry(key).or_insert(next)
    }
}

/// Compiles a validated pack.
pub fn compile(validated: &Validated) -> Compiled {
    compile_pack(validated.pack().clone())
}

pub(crate) fn compile_pack(pack: Pack) -> Compiled {
    // A policy with unmodelled properties is decided as its fail-closed reading.
    let (pack, fail_closed) = super::unmodelled::fail_closed(pack);
    let resource = pack.tenants.iter().position(|t| t.resource);
    let resource_name = resource
        .map(|i| pack.tenants[i].name.value.clone())
        .unwrap_or_else(|| "the resource tenant".to_string());
    let org = resource.and_then(|r| {
        let name = &pack.tenants[r].name.value;
        pack.organizations.iter().position(|o| {
            o.members
                .iter()
                .any(|m| &m.tenant.value == name && m.state.value == MemberState::Active)
        })
    });
    let mut c = Compiled {
        resource_name,
        resource,
        org,
        tenants: Vec::new(),
        tenant_keys: HashMap::new(),
        default_settings: service_default_settings(),
        b2b: Vec::new(),
        trv2: Vec::new(),
        groups: HashMap::new(),
        users: HashMap::new(),
        app_ids: HashMap::new(),
        contexts: HashMap::new(),
        locations: Vec::new(),
        location_names: HashMap::new(),
        policies: Vec::new(),
        by_app: Vec::new(),
        enforced_by_app: Vec::new(),
        ip_classes: Vec::new(),
        country_classes: Vec::new(),
        ip_mask: LocBits::default(),
        country_mask: LocBits::default(),
        directory: super::directory::Index::default(),
        pack: Pack::default(),
        fail_closed,
    };
    c.compile_tenants(&pack);
    c.compile_locations(&pack);
    c.b2b = pack
        .cross_tenant
        .iter()
        .map(|xt| xt.rules.iter().map(|r| c.compile_b2b(&r.setting)).collect())
        .collect();
    c.trv2 = pack
        .cross_tenant
        .iter()
        .map(|xt| {
            xt.tenant_restrictions
                .as_ref()
                .map(|t| c.compile_b2b(&t.setting))
        })
        .collect();
    c.policies = pack
        .policies
        .iter()
        .enumerate()
        .map(|(i, p)| c.compile_policy(&pack, i, p))
        .collect();
    c.directory = super::directory::compile(&mut c, &pack);
    c.pack = pack;
    c.index_by_app();
    c.ip_classes = super::missing::ip_classes(&c);
    c.country_classes = super::missing::country_classes(&c);
    c
}

fn service_default_settings() -> Settings {
    Settings {
        collaboration: (SettingRef::ServiceDefault, SourceRef::ServiceDefault),
        direct_connect: (SettingRef::ServiceDefault, SourceRef::ServiceDefault),
        trust: TrustRef {
            mfa: false,
            compliant_device: false,
            hybrid_joined: false,
            source: SourceRef::ServiceDefault,
        },
        service_provider: false,
    }
}

impl Compiled {
    pub fn pack(&self) -> &Pack {
        &self.pack
    }

    /// The unmodelled properties of the pack's policies and how each is decided (fail closed).
    pub fn fail_closed(&self) -> &[super::unmodelled::FailClosed] {
        &self.fail_closed
    }

    /// Whether the pack names this group (by name or id, any case) anywhere a decision reads
    /// groups: a directory can then keep only the memberships that matter.
    pub fn has_group(&self, name_or_id: &str) -> bool {
        self.groups.contains_key(&name_or_id.to_lowercase())
    }

    pub fn resource_name(&self) -> &str {
        &self.resource_name
    }

    /// The same pack with one policy's state changed (what-if "turn it on"), its app indexes
    /// rebuilt.
    pub fn with_policy_state(&self, index: usize, state: PolicyState) -> Compiled {
        let mut c = self.clone();
        if let Some(p) = c.pack.policies.get_mut(index) {
            p.state.value = state;
        }
        for p in c.policies.iter_mut().filter(|p| p.index == index) {
            p.state = state;
        }
        c.index_by_app();
        c
    }

    fn compile_tenants(&mut self, pack: &Pack) {
        let default_xt = pack
            .cross_tenant
            .iter()
            .position(|x| x.target == CrossTenantTarget::Default);
        let mut defaults = service_default_settings();
        if let Some(d) = default_xt {
            overlay(&mut defaults, pack, d, SourceRef::Default(d));
            // The default block cannot make every tenant a service provider.
            defaults.service_provider = false;
        }
        self.default_settings = defaults;
        let org_members: Vec<(&str, MemberState)> = self
            .org
            .map(|o| {
                pack.organizations[o]
                    .members
                    .iter()
                    .map(|m| (m.tenant.value.as_str(), m.state.value))
                    .collect()
            })
            .unwrap_or_default();
        for (i, t) in pack.tenants.iter().enumerate() {
            let mut settings = defaults;
            if let Some(x) = pack
                .cross_tenant
                .iter()
                .position(|x| x.tenant_name() == Some(t.name.value.as_str()))
            {
                overlay(&mut settings, pack, x, SourceRef::Partner(x));
            }
            let in_org = org_members
                .iter()
                .any(|(n, s)| *n == t.name.value && *s == MemberState::Active);
            self.tenants.push(TenantInfo { in_org, settings });
            if let Some(id) = &t.id {
                self.tenant_keys.insert(id.value.to_ascii_lowercase(), i);
            }
            for d in &t.domains {
                self.tenant_keys.insert(d.value.to_ascii_lowercase(), i);
            }
        }
    }

    fn compile_locations(&mut self, pack: &Pack) {
        for (i, l) in pack.locations.iter().enumerate() {
            self.location_names.insert(l.name.value.clone(), i);
            let table = match &l.kind {
                LocationKind::Ip { ranges } => {
                    let mut invalid = false;
                    let mut v4 = Vec::new();
                    let mut v6 = Vec::new();
                    for r in ranges {
                        match r.value.parse::<IpNet>() {
                            Ok(IpNet::V4(n)) => {
                                v4.push((u32::from(n.network()), u32::from(n.broadcast())))
                            }
                            Ok(IpNet::V6(n)) => {
                                v6.push((u128::from(n.network()), u128::from(n.broadcast())))
                            }
                            Err(_) => invalid = true,
                        }
                    }
                    LocationTable::Ip {
                        v4: merge_ranges(v4),
                        v6: merge_ranges(v6),
                        invalid,
                    }
                }
                LocationKind::Countries {
                    codes,
                    include_unknown,
                    ..
                } => {
                    let mut list: Vec<[u8; 2]> = codes
                        .iter()
                        .filter_map(|c| match Country::parse(&c.value) {
                            Some(Country::Code(code)) => Some(code),
                            _ => None,
                        })
                        .collect();
                    list.sort_unstable();
                    list.dedup();
                    LocationTable::Countries {
                        codes: list,
                        unknown: *include_unknown,
                    }
                }
            };
            match table {
                LocationTable::Ip { .. } => self.ip_mask.set(i),
                LocationTable::Countries { .. } => self.country_mask.set(i),
            }
            self.locations.push(LocationInfo {
                table,
                trusted: l.is_trusted(),
            });
        }
    }

    fn compile_b2b(&mut self, setting: &B2bSetting) -> B2b {
        if let Some(a) = &setting.short {
            return B2b::Short(a.value);
        }
        let users = setting.users.as_ref().map(|u| Dim {
            access: u.access.value,
            implied: false,
            targets: u
                .targets
                .iter()
                .map(|t| match &t.value {
                    XtUserTarget::All => XtUserM::All,
                    XtUserTarget::User(n) => XtUserM::User(self.user_id(n)),
                    XtUserTarget::Group(g) => XtUserM::Group(self.group_id(g)),
                })
                .collect(),
        });
        let apps = setting.apps.as_ref().map(|a| Dim {
            access: a.access.value,
            implied: false,
            targets: a.targets.iter().map(|t| self.app_m(&t.value)).collect(),
        });
        // An omitted dimension takes the other's access type with target `all`.
        match (users, apps) {
            (None, None) => B2b::Empty,
            (Some(users), None) => B2b::Lists {
                apps: Dim {
                    access: users.access,
                    implied: true,
                    targets: vec![AppM::All],
                },
                users,
            },
            (None, Some(apps)) => B2b::Lists {
                users: Dim {
                    access: apps.access,
                    implied: true,
                    targets: vec![XtUserM::All],
                },
                apps,
            },
            (Some(users), Some(apps)) => B2b::Lists { users, apps },
        }
    }

    pub(crate) fn group_id(&mut self, name: &str) -> u32 {
        Interner {
            map: &mut self.groups,
        }
        .id(name.to_lowercase())
    }

    pub(crate) fn user_id(&mut self, name: &str) -> u32 {
        Interner {
            map: &mut self.users,
        }
        .id(name.to_lowercase())
    }

    pub(crate) fn app_m(&mut self, t: &AppTarget) -> AppM {
        match t {
            AppTarget::All => AppM::All,
            AppTarget::None => AppM::None,
            AppTarget::Office365 => AppM::Office365,
            AppTarget::AdminPortals => AppM::AdminPortals,
            AppTarget::Named(a) => AppM::Named(*a),
            AppTarget::App(id) => match FirstPartyApp::from_id(id) {
                Some(a) => AppM::Named(a),
                None => AppM::Id(
                    Interner {
                        map: &mut self.app_ids,
                    }
                    .id(id.to_ascii_lowercase()),
                ),
            },
            AppTarget::Action(a) => AppM::Action(*a),
            AppTarget::AuthContext(c) => AppM::Context(
                Interner {
                    map: &mut self.contexts,
                }
                .id(c.clone()),
            ),
        }
    }

    pub(crate) fn user_m(&mut self, pack: &Pack, t: &UserTarget) -> UserM {
        match t {
            UserTarget::All => UserM::All,
            UserTarget::None => UserM::None,
            UserTarget::GuestsOrExternal => UserM::GuestsOrExternal,
            UserTarget::User(u) => UserM::User(self.user_id(u)),
            UserTarget::Group(g) => UserM::Group(self.group_id(g)),
            UserTarget::Role(r) => UserM::Role(
                catalog::ROLES
                    .iter()
                    .position(|x| x.name == r.as_str() || x.id.eq_ignore_ascii_case(r)),
            ),
            UserTarget::External { types, origin } => {
                let mask = if types.is_empty() {
                    ExternalType::ALL
                        .iter()
                        .fold(0, |m, t| m | external_bit(*t))
                } else {
                    types.iter().fold(0, |m, t| m | external_bit(t.value))
                };
                let origin = match &origin.value {
                    Origin::Any => OriginM::Any,
                    Origin::Organization => OriginM::Organization,
                    Origin::OutsideOrganization => OriginM::Outside,
                    Origin::Tenants(names) => OriginM::Tenants(
                        names
                            .iter()
                            .map(|n| pack.tenants.iter().position(|t| t.name.value == n.value))
                            .collect(),
                    ),
                };
                UserM::External {
                    types: mask,
                    origin,
                }
            }
        }
    }

    pub(crate) fn loc_m(&self, l: &LocationRef) -> LocM {
        match l {
            LocationRef::All => LocM::All,
            LocationRef::AllTrusted => LocM::AllTrusted,
            LocationRef::MfaTrustedIps => LocM::MfaTrustedIps,
            LocationRef::CompliantNetwork => LocM::CompliantNetwork,
            LocationRef::Named(n) => self
                .location_names
                .get(n)
                .map_or(LocM::Unresolved, |i| LocM::Named(*i)),
        }
    }

    fn compile_policy(&mut self, pack: &Pack, index: usize, p: &Policy) -> CompiledPolicy {
        let users_include: Vec<UserM> = p
            .users
            .include
            .iter()
            .map(|t| self.user_m(pack, &t.value))
            .collect();
        let users_exclude = p
            .users
            .exclude
            .iter()
            .map(|t| self.user_m(pack, &t.value))
            .collect();
        let apps_include = p
            .apps
            .include
            .iter()
            .map(|t| self.app_m(&t.value))
            .collect();
        let apps_exclude = p
            .apps
            .exclude
            .iter()
            .map(|t| self.app_m(&t.value))
            .collect();
        let c = &p.conditions;
        let mask = |bits: &mut dyn Iterator<Item = u8>| bits.fold(0u8, |m, b| m | b);
        let users_kinds = include_kinds(&users_include);
        CompiledPolicy {
            users_kinds,
            index,
            state: p.state.value,
            users_include,
            users_exclude,
            apps_include,
            apps_exclude,
            platforms: c.platforms.as_ref().map(|l| {
                (
                    mask(&mut l.include.iter().map(|x| platform_bit(x.value))),
                    mask(&mut l.exclude.iter().map(|x| platform_bit(x.value))),
                )
            }),
            locations: c.locations.as_ref().map(|l| {
                (
                    l.include.iter().map(|x| self.loc_m(&x.value)).collect(),
                    l.exclude.iter().map(|x| self.loc_m(&x.value)).collect(),
                )
            }),
            client_apps: c
                .client_apps
                .as_ref()
                .map(|l| mask(&mut l.value.iter().map(|x| client_bit(x.value)))),
            sign_in_risk: c
                .sign_in_risk
                .as_ref()
                .map(|l| mask(&mut l.value.iter().map(|x| risk_bit(x.value)))),
            user_risk: c
                .user_risk
                .as_ref()
                .map(|l| mask(&mut l.value.iter().map(|x| risk_bit(x.value)))),
            insider_risk: c
                .insider_risk
                .as_ref()
                .map(|l| mask(&mut l.value.iter().map(|x| insider_bit(x.value)))),
            auth_flows: c
                .auth_flows
                .as_ref()
                .map(|l| mask(&mut l.value.iter().map(|x| flow_bit(x.value)))),
            has_devices: c.devices.is_some(),
            has_session: p.session.as_ref().is_some_and(|s| !s.is_empty()),
            token_protection: p
                .session
                .as_ref()
                .is_some_and(|s| s.token_protection.is_some()),
        }
    }

    /// The number of app slots: named apps, interned ids + "other id", actions, interned
    /// contexts + "other context".
    fn app_slots(&self) -> usize {
        FirstPartyApp::ALL.len() + self.app_ids.len() + 1 + 2 + self.contexts.len() + 1
    }

    /// A dense index for an app key (for `by_app`).
    pub(crate) fn app_slot(&self, key: AppKey) -> usize {
        let named = FirstPartyApp::ALL.len();
        let ids = self.app_ids.len() + 1;
        let actions = 2;
        match key {
            AppKey::Named(a) => FirstPartyApp::ALL.iter().position(|x| *x == a).unwrap_or(0),
            AppKey::Id(id) => named + id.map_or(self.app_ids.len(), |i| i as usize),
            AppKey::Action(crate::model::UserAction::RegisterSecurityInfo) => named + ids,
            AppKey::Action(crate::model::UserAction::RegisterDevice) => named + ids + 1,
            AppKey::Context(c) => {
                named + ids + actions + c.map_or(self.contexts.len(), |i| i as usize)
            }
        }
    }

    fn all_app_keys(&self) -> Vec<AppKey> {
        let mut keys: Vec<AppKey> = FirstPartyApp::ALL
            .iter()
            .map(|a| AppKey::Named(*a))
            .collect();
        keys.extend((0..self.app_ids.len() as u32).map(|i| AppKey::Id(Some(i))));
        keys.push(AppKey::Id(None));
        keys.push(AppKey::Action(
            crate::model::UserAction::RegisterSecurityInfo,
        ));
        keys.push(AppKey::Action(crate::model::UserAction::RegisterDevice));
        keys.extend((0..self.contexts.len() as u32).map(|i| AppKey::Context(Some(i))));
        keys.push(AppKey::Context(None));
        keys
    }

    fn index_by_app(&mut self) {
        let mut by_app = vec![Vec::new(); self.app_slots()];
        let mut enforced = vec![Vec::new(); self.app_slots()];
        for key in self.all_app_keys() {
            let slot = self.app_slot(key);
            for (i, p) in self.policies.iter().enumerate() {
                if p.state != PolicyState::Off && apps_match(p, key) {
                    by_app[slot].push(i as u32);
                    if p.state == PolicyState::On {
                        enforced[slot].push(i as u32);
                    }
                }
            }
        }
        self.by_app = by_app;
        self.enforced_by_app = enforced;
    }

    /// Membership of an address in the location tables: (in, known) bit sets over locations.
    pub(crate) fn locate(
        &self,
        ip: Option<IpAddr>,
        country: Option<Country>,
    ) -> (LocBits, LocBits) {
        let mut inside = LocBits::default();
        let mut known = LocBits::default();
        for (i, l) in self.locations.iter().enumerate() {
            let m = match (&l.table, ip, country) {
                (LocationTable::Ip { v4, v6, invalid }, Some(ip), _) => {
                    let hit = match ip {
                        IpAddr::V4(a) => contains(v4, u32::from(a)),
                        IpAddr::V6(a) => contains(v6, u128::from(a)),
                    };
                    if hit {
                        Some(true)
                    } else if *invalid {
                        None
                    } else {
                        Some(false)
                    }
                }
                (LocationTable::Countries { codes, unknown }, _, Some(c)) => Some(match c {
                    Country::Code(code) => codes.binary_search(&code).is_ok(),
                    Country::Unknown => *unknown,
                }),
                _ => None,
            };
            if let Some(m) = m {
                known.set(i);
                if m {
                    inside.set(i);
                }
            }
        }
        (inside, known)
    }

    /// Index in `pack.tenants` of a home written as a declared name, a tenant id or a domain.
    pub(crate) fn tenant_index(&self, text: &str) -> Option<usize> {
        self.pack
            .tenants
            .iter()
            .position(|t| t.name.value == text)
            .or_else(|| self.tenant_keys.get(&text.to_ascii_lowercase()).copied())
    }

    /// Whether a home that is not declared is written as an id or a domain (else it is a typo
    /// of a name, which is an error).
    pub(crate) fn is_tenant_address(text: &str) -> bool {
        is_guid(text) || text.contains('.')
    }
}

/// Partner (or default) settings overlaid on `base`, setting by setting (§4.2).
fn overlay(base: &mut Settings, pack: &Pack, xt: usize, source: SourceRef) {
    let block = &pack.cross_tenant[xt];
    for (rule_index, rule) in block.rules.iter().enumerate() {
        if rule.direction.value != Direction::Inbound {
            continue;
        }
        let r = (
            SettingRef::Rule {
                xt,
                rule: rule_index,
            },
            source,
        );
        match rule.kind.value {
            B2bKind::B2bCollaboration => base.collaboration = r,
            B2bKind::B2bDirectConnect => base.direct_connect = r,
        }
    }
    if let Some(t) = &block.trust {
        base.trust = TrustRef {
            mfa: t.mfa,
            compliant_device: t.compliant_device,
            hybrid_joined: t.hybrid_joined,
            source,
        };
    }
    base.service_provider = block.service_provider.is_some();
}

/// Sorts and merges inclusive ranges into disjoint ones.
fn merge_ranges<T: Ord + Copy + num_like::Succ>(mut v: Vec<(T, T)>) -> Vec<(T, T)> {
    v.sort_unstable();
    let mut out: Vec<(T, T)> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1.succ_saturating() => {
                if e > last.1 {
                    last.1 = e;
                }
            }
            _ => out.push((s, e)),
        }
    }
    out
}

/// Whether a sorted disjoint range table contains `x` (binary search).
pub(crate) fn contains<T: Ord + Copy>(table: &[(T, T)], x: T) -> bool {
    let i = table.partition_point(|(s, _)| *s <= x);
    i > 0 && table[i - 1].1 >= x
}

pub(crate) mod num_like {
    pub trait Succ {
        fn succ_saturating(self) -> Self;
    }
    impl Succ for u32 {
        fn succ_saturating(self) -> Self {
            self.saturating_add(1)
        }
    }
    impl Succ for u128 {
        fn succ_saturating(self) -> Self {
            self.saturating_add(1)
        }
    }
}

/// Whether a policy's app assignment covers the app (included and not excluded).
pub(crate) fn apps_match(p: &CompiledPolicy, key: AppKey) -> bool {
    p.apps_include.iter().any(|t| t.matches(key)) && !p.apps_exclude.iter().any(|t| t.matches(key))
}

//! What both translators read from a pack the same way: each tenant's effective inbound
//! cross-tenant settings (the partner block setting by setting over the `default` block over the
//! service defaults, reference §4.2, as `accord::eval::compile` overlays them), organisation
//! membership, and how names of apps and home tenants become keys. This is configuration, computed
//! once per pack; it becomes Cedar entity attributes and Rego data.

use accord::model::catalog::FirstPartyApp;
use accord::model::request::{AccessKind, AppRef, Request};
use accord::model::{
    Access, AppTarget, B2bKind, B2bSetting, CrossTenantTarget, Direction, MemberState, Pack,
    XtUserTarget,
};

use crate::Unsupported;

/// The key of a home tenant a request names but the pack does not declare: it gets the
/// `default` settings.
pub const UNDECLARED: &str = "(undeclared)";
/// The key of "no Entra home tenant" (`kind: other`).
pub const NO_ENTRA: &str = "(no entra home)";

/// One effective B2B setting (collaboration or direct connect).
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    Allow,
    Block,
    /// A `{ }` block naming neither users nor apps: accord fails closed (blocks).
    Empty,
    Lists(Lists),
}

/// A full-form setting; an omitted dimension has the other's access type and target `all`.
#[derive(Debug, Clone, PartialEq)]
pub struct Lists {
    pub users_allow: bool,
    pub users_all: bool,
    /// Lowercase group names.
    pub groups: Vec<String>,
    pub apps_allow: bool,
    pub apps_all: bool,
    /// App keys ([`AppKey::App`] names).
    pub apps: Vec<String>,
}

/// Everything a decision reads about one home tenant.
#[derive(Debug, Clone, PartialEq)]
pub struct TenantFacts {
    pub key: String,
    pub resource: bool,
    /// False for [`NO_ENTRA`] only.
    pub entra: bool,
    /// An active member of the resource tenant's multi-tenant organisation.
    pub in_org: bool,
    pub service_provider: bool,
    pub trust_mfa: bool,
    pub trust_compliant: bool,
    pub trust_hybrid: bool,
    pub collaboration: Setting,
    pub direct_connect: Setting,
}

/// The resource a request is for, or one an app target names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppKey {
    /// A cloud app: a catalog name (`sharepoint`) or a lowercase app id.
    App(String),
    /// A user action (`register_security_info`).
    Action(String),
    /// An authentication context (`c1`).
    Context(String),
}

/// A policy's app target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppTargetKey {
    /// Every cloud app (not user actions or authentication contexts).
    All,
    Office365,
    One(AppKey),
}

/// Catalog apps in the Office 365 grouping.
pub fn office365() -> Vec<&'static str> {
    FirstPartyApp::ALL
        .iter()
        .filter(|a| a.in_office365())
        .map(|a| a.name())
        .collect()
}

pub fn request_app(app: &AppRef) -> AppKey {
    match app {
        AppRef::Named(a) => AppKey::App(a.name().to_string()),
        AppRef::Id(id) => AppKey::App(id.to_ascii_lowercase()),
        AppRef::Action(a) => AppKey::Action(a.name().to_string()),
        AppRef::AuthContext(c) => AppKey::Context(c.clone()),
    }
}

pub fn app_target(t: &AppTarget) -> Result<AppTargetKey, Unsupported> {
    Ok(match t {
        AppTarget::All => AppTargetKey::All,
        AppTarget::Office365 => AppTargetKey::Office365,
        AppTarget::Named(a) => AppTargetKey::One(AppKey::App(a.name().to_string())),
        AppTarget::App(id) => AppTargetKey::One(AppKey::App(match FirstPartyApp::from_id(id) {
            Some(a) => a.name().to_string(),
            None => id.to_ascii_lowercase(),
        })),
        AppTarget::Action(a) => AppTargetKey::One(AppKey::Action(a.name().to_string())),
        AppTarget::AuthContext(c) => AppTargetKey::One(AppKey::Context(c.clone())),
        AppTarget::None | AppTarget::AdminPortals => {
            return Err(Unsupported(format!("app target {t:?}")))
        }
    })
}

/// The key of the user's home tenant: the declared tenant a name, id or domain designates,
/// [`UNDECLARED`] for another id or domain, [`NO_ENTRA`] for `kind: other`; without `home`,
/// the declared partner whose domains hold the user's e-mail domain, else the resource tenant.
/// A directory lookup, as `accord::eval::resolve` does it.
pub fn home_key(pack: &Pack, r: &Request) -> String {
    if r.user.kind == Some(AccessKind::Other) {
        return NO_ENTRA.to_string();
    }
    let Some(text) = &r.user.home else {
        let domain = r
            .user
            .name
            .rsplit_once('@')
            .map(|(_, d)| d.to_ascii_lowercase());
        let partner = pack.tenants.iter().find(|t| {
            !t.resource
                && t.domains
                    .iter()
                    .any(|d| Some(d.value.to_ascii_lowercase()) == domain)
        });
        return partner.map_or_else(
            || resource_name(pack).to_string(),
            |t| t.name.value.clone(),
        );
    };
    let lower = text.to_ascii_lowercase();
    pack.tenants
        .iter()
        .find(|t| {
            t.name.value == *text
                || t.id
                    .as_ref()
                    .is_some_and(|i| i.value.to_ascii_lowercase() == lower)
                || t.domains
                    .iter()
                    .any(|d| d.value.to_ascii_lowercase() == lower)
        })
        .map_or(UNDECLARED.to_string(), |t| t.name.value.clone())
}

/// The user's classification (§6.3) from the home tenant's facts, for callers that compute it
/// outside the engine: internal by userType, no Entra home, direct connect, a service-provider
/// home, then B2B by userType.
pub fn user_kind(tenants: &[TenantFacts], pack: &Pack, r: &Request) -> &'static str {
    let key = home_key(pack, r);
    let Some(t) = tenants.iter().find(|t| t.key == key) else {
        return "unknown";
    };
    let guest = r.user.user_type == accord::model::request::UserType::Guest;
    match (t.resource, t.entra, r.user.kind) {
        (true, _, _) if guest => "internal_guest",
        (true, _, _) => "member",
        (_, false, _) => "other_external",
        (_, _, Some(AccessKind::DirectConnect)) => "direct_connect",
        _ if t.service_provider => "service_provider",
        _ if guest => "b2b_guest",
        _ => "b2b_member",
    }
}

pub fn resource_name(pack: &Pack) -> &str {
    pack.resource_tenant()
        .map_or("(resource)", |t| t.name.value.as_str())
}

/// Every declared tenant's facts, then [`UNDECLARED`] and [`NO_ENTRA`].
pub fn tenants(pack: &Pack) -> Result<Vec<TenantFacts>, Unsupported> {
    let service_default = Effective {
        collaboration: Setting::Allow,
        direct_connect: Setting::Block,
        trust: (false, false, false),
        service_provider: false,
    };
    let mut default = service_default.clone();
    if let Some(d) = pack
        .cross_tenant
        .iter()
        .find(|x| x.target == CrossTenantTarget::Default)
    {
        overlay(&mut default, d)?;
        // The default block cannot make every tenant a service provider.
        default.service_provider = false;
    }
    let resource = resource_name(pack).to_string();
    let org_active: Vec<&str> = pack
        .organizations
        .iter()
        .find(|o| {
            o.members
                .iter()
                .any(|m| m.tenant.value == resource && m.state.value == MemberState::Active)
        })
        .map(|o| {
            o.members
                .iter()
                .filter(|m| m.state.value == MemberState::Active)
                .map(|m| m.tenant.value.as_str())
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    for t in &pack.tenants {
        let mut e = default.clone();
        if let Some(x) = pack
            .cross_tenant
            .iter()
            .find(|x| x.tenant_name() == Some(t.name.value.as_str()))
        {
            overlay(&mut e, x)?;
        }
        out.push(e.facts(
            &t.name.value,
            t.resource,
            true,
            !t.resource && org_active.contains(&t.name.value.as_str()),
        ));
    }
    out.push(default.facts(UNDECLARED, false, true, false));
    out.push(service_default.facts(NO_ENTRA, false, false, false));
    Ok(out)
}

#[derive(Debug, Clone)]
struct Effective {
    collaboration: Setting,
    direct_connect: Setting,
    trust: (bool, bool, bool),
    service_provider: bool,
}

impl Effective {
    fn facts(&self, key: &str, resource: bool, entra: bool, in_org: bool) -> TenantFacts {
        TenantFacts {
            key: key.to_string(),
            resource,
            entra,
            in_org,
            service_provider: self.service_provider,
            trust_mfa: self.trust.0,
            trust_compliant: self.trust.1,
            trust_hybrid: self.trust.2,
            collaboration: self.collaboration.clone(),
            direct_connect: self.direct_connect.clone(),
        }
    }
}

fn overlay(base: &mut Effective, block: &accord::model::CrossTenant) -> Result<(), Unsupported> {
    for rule in &block.rules {
        if rule.direction.value != Direction::Inbound {
            continue;
        }
        let s = setting(&rule.setting)?;
        match rule.kind.value {
            B2bKind::B2bCollaboration => base.collaboration = s,
            B2bKind::B2bDirectConnect => base.direct_connect = s,
        }
    }
    if let Some(t) = &block.trust {
        base.trust = (t.mfa, t.compliant_device, t.hybrid_joined);
    }
    base.service_provider = block.service_provider.is_some();
    Ok(())
}

fn setting(s: &B2bSetting) -> Result<Setting, Unsupported> {
    if let Some(a) = &s.short {
        return Ok(match a.value {
            Access::Allow => Setting::Allow,
            Access::Block => Setting::Block,
        });
    }
    let users = match &s.users {
        None => None,
        Some(list) => {
            let mut all = false;
            let mut groups = Vec::new();
            for t in &list.targets {
                match &t.value {
                    XtUserTarget::All => all = true,
                    XtUserTarget::Group(g) => groups.push(g.to_lowercase()),
                    XtUserTarget::User(u) => {
                        return Err(Unsupported(format!("cross-tenant user target `{u}`")))
                    }
                }
            }
            Some((list.access.value == Access::Allow, all, groups))
        }
    };
    let apps = match &s.apps {
        None => None,
        Some(list) => {
            let mut all = false;
            let mut apps = Vec::new();
            for t in &list.targets {
                match app_target(&t.value)? {
                    AppTargetKey::All => all = true,
                    AppTargetKey::One(AppKey::App(name)) => apps.push(name),
                    other => return Err(Unsupported(format!("cross-tenant app target {other:?}"))),
                }
            }
            Some((list.access.value == Access::Allow, all, apps))
        }
    };
    Ok(match (users, apps) {
        (None, None) => Setting::Empty,
        (users, apps) => {
            let (users_allow, users_all, groups) =
                users.unwrap_or_else(|| (apps.as_ref().is_some_and(|a| a.0), true, Vec::new()));
            let (apps_allow, apps_all, apps) = apps.unwrap_or((users_allow, true, Vec::new()));
            Setting::Lists(Lists {
                users_allow,
                users_all,
                groups,
                apps_allow,
                apps_all,
                apps,
            })
        }
    })
}

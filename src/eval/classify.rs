//! Who the user is (§6.3, §5.4) and what the cross-tenant gate says (§4.2, §4.3).

use super::compile::{AppKey, B2b, Compiled, Dim, SettingRef, Settings, SourceRef, XtUserM};
use super::resolve::{HomeIdx, Resolved};
use super::trace::{
    Classification, Dimension, Gate, GateSetting, Home, OrgStatus, Source, TrustView, UserKind,
    Verdict,
};
use crate::model::catalog::FirstPartyApp;
use crate::model::request::{AccessKind, UserType};
use crate::model::{Access, Spanned};

/// The user's segment and the effective cross-tenant settings of the home tenant.
///
/// Precedence (§6.3, composed): direct connect first, then a home tenant marked
/// `service_provider`, then internal (home = resource tenant) by userType, then B2B by userType;
/// users without an Entra home tenant are `other_external`.
pub(crate) fn classify<'a>(c: &'a Compiled, r: &Resolved<'a>) -> (Classification<'a>, Settings) {
    let user = &r.request.user;
    let settings = match r.home {
        HomeIdx::Tenant(i) => c.tenants[i].settings,
        _ => c.default_settings,
    };
    let home = match r.home {
        HomeIdx::Resource => Home::Resource(c.resource_name()),
        HomeIdx::Tenant(i) => Home::Declared(c.pack.tenants[i].name.value.as_str()),
        HomeIdx::Undeclared => Home::Undeclared(user.home.as_deref().unwrap_or("")),
        HomeIdx::NoEntra => Home::NoEntra,
    };
    let kind = match (r.home, user.kind) {
        (HomeIdx::NoEntra, _) => UserKind::OtherExternal,
        (HomeIdx::Resource, _) => match user.user_type {
            UserType::Member => UserKind::Member,
            UserType::Guest => UserKind::InternalGuest,
        },
        (_, Some(AccessKind::DirectConnect)) => UserKind::DirectConnect,
        _ if settings.service_provider => UserKind::ServiceProvider,
        _ => match user.user_type {
            UserType::Member => UserKind::B2bMember,
            UserType::Guest => UserKind::B2bGuest,
        },
    };
    let organization = match r.home {
        HomeIdx::Resource => OrgStatus::Internal,
        HomeIdx::Tenant(i) if c.tenants[i].in_org => OrgStatus::In,
        _ => OrgStatus::Out,
    };
    let trust = match r.home {
        HomeIdx::Tenant(_) | HomeIdx::Undeclared => Some(TrustView {
            mfa: settings.trust.mfa,
            compliant_device: settings.trust.compliant_device,
            hybrid_joined: settings.trust.hybrid_joined,
            source: source(c, settings.trust.source),
        }),
        _ => None,
    };
    let class = Classification {
        name: user.name.as_str(),
        kind,
        organization,
        home,
        resource: c.resource_name(),
        org_name: c.org.map(|o| c.pack.organizations[o].name.value.as_str()),
        trust,
        home_inferred: r.home_inferred,
    };
    (class, settings)
}

pub(crate) fn source(c: &Compiled, s: SourceRef) -> Source<'_> {
    match s {
        SourceRef::Partner(x) => {
            Source::Partner(c.pack.cross_tenant[x].tenant_name().unwrap_or(""))
        }
        SourceRef::Default(_) => Source::Default,
        SourceRef::ServiceDefault => Source::ServiceDefault,
    }
}

/// The inbound cross-tenant check, before any Conditional Access policy (§4.3, §4.4 step 2).
/// The home tenant's outbound settings are not part of the pack: accord assumes they allow.
pub(crate) fn gate<'a>(
    c: &'a Compiled,
    r: &Resolved<'a>,
    class: &Classification<'a>,
    settings: Settings,
) -> Gate<'a> {
    let (setting, (rule, src)) = match class.kind {
        UserKind::Member | UserKind::InternalGuest => return Gate::Internal,
        UserKind::OtherExternal => return Gate::NoEntraHome,
        UserKind::DirectConnect => {
            if !matches!(
                r.app,
                AppKey::Named(FirstPartyApp::Teams | FirstPartyApp::SharePoint)
            ) {
                return Gate::DirectConnectApp;
            }
            (GateSetting::B2bDirectConnect, settings.direct_connect)
        }
        _ => {
            if r.request.user.kind == Some(AccessKind::ServiceProvider)
                && !settings.service_provider
            {
                return Gate::NotServiceProvider {
                    tenant: match class.home {
                        Home::Declared(n) | Home::Undeclared(n) | Home::Resource(n) => n,
                        Home::NoEntra => "",
                    },
                };
            }
            (GateSetting::B2bCollaboration, settings.collaboration)
        }
    };
    let source = source(c, src);
    let verdict = match rule {
        SettingRef::ServiceDefault => Verdict::ServiceDefault(setting),
        SettingRef::Rule { xt, rule } => {
            let written = &c.pack.cross_tenant[xt].rules[rule].setting;
            match c.b2b.get(xt).and_then(|v| v.get(rule)) {
                Some(B2b::Short(a)) => Verdict::Short(*a),
                Some(B2b::Lists { users, apps }) => Verdict::Lists {
                    users: user_dimension(r, users, written.users.as_ref().map(|l| &l.targets[..])),
                    apps: app_dimension(r, apps, written.apps.as_ref().map(|l| &l.targets[..])),
                },
                Some(B2b::Empty) | None => Verdict::Empty,
            }
        }
    };
    Gate::Checked {
        setting,
        source,
        verdict,
    }
}

fn user_dimension<'a>(
    r: &Resolved<'_>,
    dim: &Dim<XtUserM>,
    written: Option<&'a [Spanned<crate::model::XtUserTarget>]>,
) -> Dimension<'a, crate::model::XtUserTarget> {
    let hit = dim.targets.iter().position(|t| match t {
        XtUserM::All => true,
        XtUserM::User(u) => r.user == Some(*u),
        XtUserM::Group(g) => r.groups.get(*g as usize),
    });
    let mut d = dimension(dim.access, dim.implied, hit, written);
    // Cross-tenant settings name groups of the user's home tenant: with that membership
    // unknown, a listed group the user is not known to be in may still hold the user. The
    // stored membership is then the one that blocks (fail closed); `uncertain` says so.
    if hit.is_none()
        && !dim.implied
        && r.request.user.home_groups_unknown
        && dim.targets.iter().any(|t| matches!(t, XtUserM::Group(_)))
    {
        d.uncertain = true;
        d.in_list = dim.access == Access::Block;
    }
    d
}

fn app_dimension<'a>(
    r: &Resolved<'_>,
    dim: &Dim<super::compile::AppM>,
    written: Option<&'a [Spanned<crate::model::AppTarget>]>,
) -> Dimension<'a, crate::model::AppTarget> {
    // Cross-tenant app targets are resources; `all` also covers user actions and contexts here,
    // since they are reached through some resource the setting governs.
    let hit = dim
        .targets
        .iter()
        .position(|t| t.matches(r.app) || (*t == super::compile::AppM::All));
    dimension(dim.access, dim.implied, hit, written)
}

pub(crate) fn dimension<'a, T>(
    access: Access,
    implied: bool,
    hit: Option<usize>,
    written: Option<&'a [Spanned<T>]>,
) -> Dimension<'a, T> {
    Dimension {
        access,
        implied,
        matched: if implied {
            None
        } else {
            hit.and_then(|i| written.and_then(|w| w.get(i)))
        },
        in_list: hit.is_some(),
        uncertain: false,
    }
}

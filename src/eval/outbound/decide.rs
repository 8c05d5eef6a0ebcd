//! Deciding an outbound request: resolve the names, then the two gates (see the parent module).

use super::{OutboundDecision, OutboundGate, OutboundRule, TrGate};
use crate::diagnostic::did_you_mean;
use crate::eval::classify::dimension;
use crate::eval::compile::{AppKey, AppM, B2b, Compiled, Dim, XtUserM};
use crate::eval::resolve::app_key;
use crate::eval::trace::{Dimension, GateSetting, Source, Verdict};
use crate::model::catalog::FirstPartyApp;
use crate::model::outbound::{Account, AccountWord, Enforcement, OutboundKind, OutboundRequest};
use crate::model::request::{AppRef, RequestError};
use crate::model::{Access, B2bKind, CrossTenantTarget, Direction, Spanned, XtUserTarget};

/// A tenant named by a request: declared (its index) or an undeclared id or domain.
struct TenantRef {
    index: Option<usize>,
    label: String,
}

/// Who signs in, as the settings see them: a name and groups (`None`: unknown).
struct Identity<'r> {
    name: Option<&'r str>,
    groups: Option<&'r [String]>,
}

/// Decides an outbound request. Errors (exit code 2) are requests accord cannot read: an
/// undeclared tenant *name*, our own tenant as the destination, an unknown app.
pub fn decide_outbound<'a>(
    c: &'a Compiled,
    r: &OutboundRequest,
) -> Result<OutboundDecision<'a>, RequestError> {
    let resource = tenant(c, &r.tenant, "outbound.tenant")?;
    let app = match AppRef::parse(&r.app) {
        Ok(a @ (AppRef::Named(_) | AppRef::Id(_))) => a,
        Ok(_) => {
            return Err(RequestError::new(
                "outbound.app",
                format!("`{}` is not an app of another tenant", r.app),
            )
            .help("name a first-party app (`sharepoint`, `teams`...) or an app id"))
        }
        Err(e) => return Err(RequestError::new("outbound.app", e)),
    };
    let app = app_key(c, &app);
    let (who, outbound, tr) = match &r.account {
        Account::Word(AccountWord::Own) => {
            let me = Identity {
                name: Some(&r.user),
                groups: r.groups.as_deref(),
            };
            let gate = outbound_gate(c, &resource, r.kind, app, &me);
            let who = format!("{} with their own account", r.user);
            (who, gate, TrGate::OwnAccount)
        }
        Account::Word(AccountWord::Anonymous) => {
            let tr = match r.enforcement {
                Enforcement::None => TrGate::NotEnforced,
                Enforcement::Proxy => TrGate::AnonymousProxy,
                e => TrGate::AnonymousBlocked { enforcement: e },
            };
            let who = format!("{} without an account (anonymous)", r.user);
            (who, OutboundGate::Anonymous, tr)
        }
        Account::External(a) => {
            let issuer = tenant(c, &a.tenant, "outbound.account.tenant")?;
            let account = Identity {
                name: a.name.as_deref(),
                groups: a.groups.as_deref(),
            };
            let tr = match r.enforcement {
                Enforcement::None => TrGate::NotEnforced,
                e => tr_gate(c, &issuer, e, app, &account),
            };
            let who = match &a.name {
                Some(n) => format!("{} with the account {n} issued by {}", r.user, issuer.label),
                None => format!("{} with an account issued by {}", r.user, issuer.label),
            };
            let gate = OutboundGate::NotOurAccount {
                issuer: issuer.label,
            };
            (who, gate, tr)
        }
    };
    let rule = if !outbound.allows() {
        match &outbound {
            OutboundGate::DirectConnectApp => OutboundRule::DirectConnectApp,
            _ => kind_rule(r.kind),
        }
    } else if !tr.allows() {
        match tr {
            TrGate::AnonymousBlocked { .. } => OutboundRule::TenantRestrictionsAnonymous,
            _ => OutboundRule::TenantRestrictions,
        }
    } else if matches!(outbound, OutboundGate::Checked { .. }) {
        kind_rule(r.kind)
    } else if matches!(tr, TrGate::Checked { .. } | TrGate::NoPolicy { .. }) {
        OutboundRule::TenantRestrictions
    } else {
        OutboundRule::NotGoverned
    };
    let allow = outbound.allows() && tr.allows();
    let reason =
        if !outbound.allows() || (allow && matches!(outbound, OutboundGate::Checked { .. })) {
            outbound.to_string()
        } else {
            tr.to_string()
        };
    Ok(OutboundDecision {
        allow,
        rule,
        reason,
        who,
        resource: resource.label,
        outbound,
        tenant_restrictions: tr,
    })
}

fn kind_rule(kind: OutboundKind) -> OutboundRule {
    match kind {
        OutboundKind::B2bCollaboration => OutboundRule::OutboundB2bCollaboration,
        OutboundKind::DirectConnect => OutboundRule::OutboundB2bDirectConnect,
    }
}

/// A declared tenant's name, id or domain, or an undeclared id or domain; never ours.
fn tenant(c: &Compiled, text: &str, path: &str) -> Result<TenantRef, RequestError> {
    match c.tenant_index(text) {
        Some(i) if Some(i) == c.resource => Err(RequestError::new(
            path,
            format!("`{text}` is our own tenant: an outbound request goes to another tenant"),
        )
        .help(if path.ends_with("account.tenant") {
            "an account of our tenant is the user's own: write `account: own`"
        } else {
            "name the partner tenant whose app the user reaches"
        })),
        Some(i) => Ok(TenantRef {
            index: Some(i),
            label: c.pack.tenants[i].name.value.clone(),
        }),
        None if Compiled::is_tenant_address(text) => Ok(TenantRef {
            index: None,
            label: text.to_string(),
        }),
        None => {
            let names = c.pack.tenants.iter().map(|t| t.name.value.as_str());
            Err(RequestError::new(path, format!("`{text}` is not a declared tenant")).help(
                did_you_mean(text, names).unwrap_or_else(|| {
                    "name a declared tenant, or write a tenant id or domain (undeclared tenants get the `default` settings)".to_string()
                }),
            ))
        }
    }
}

/// The `cross_tenant` block of a declared tenant.
fn partner_block(c: &Compiled, t: &TenantRef) -> Option<usize> {
    let name = &c.pack.tenants[t.index?].name.value;
    c.pack
        .cross_tenant
        .iter()
        .position(|x| x.tenant_name() == Some(name.as_str()))
}

fn default_block(c: &Compiled) -> Option<usize> {
    c.pack
        .cross_tenant
        .iter()
        .position(|x| x.target == CrossTenantTarget::Default)
}

/// The blocks a tenant's setting is looked up in, in order: its own, then the default.
fn blocks(c: &Compiled, t: &TenantRef) -> impl Iterator<Item = usize> {
    [partner_block(c, t), default_block(c)]
        .into_iter()
        .flatten()
}

fn source(c: &Compiled, xt: usize) -> Source<'_> {
    match c.pack.cross_tenant[xt].tenant_name() {
        Some(n) => Source::Partner(n),
        None => Source::Default,
    }
}

fn outbound_gate<'a>(
    c: &'a Compiled,
    resource: &TenantRef,
    kind: OutboundKind,
    app: AppKey,
    me: &Identity<'_>,
) -> OutboundGate<'a> {
    let (setting, b2b_kind) = match kind {
        OutboundKind::B2bCollaboration => {
            (GateSetting::B2bCollaboration, B2bKind::B2bCollaboration)
        }
        OutboundKind::DirectConnect => {
            if !matches!(
                app,
                AppKey::Named(FirstPartyApp::Teams | FirstPartyApp::SharePoint)
            ) {
                return OutboundGate::DirectConnectApp;
            }
            (GateSetting::B2bDirectConnect, B2bKind::B2bDirectConnect)
        }
    };
    // The partner's block, setting by setting over the default (an unset setting inherits).
    let found = blocks(c, resource).find_map(|xt| {
        let rules = &c.pack.cross_tenant[xt].rules;
        rules
            .iter()
            .position(|r| r.direction.value == Direction::Outbound && r.kind.value == b2b_kind)
            .map(|rule| (xt, rule))
    });
    let Some((xt, rule)) = found else {
        return OutboundGate::Checked {
            setting,
            source: Source::ServiceDefault,
            verdict: Verdict::ServiceDefault(setting),
        };
    };
    let written = &c.pack.cross_tenant[xt].rules[rule].setting;
    let compiled = c.b2b.get(xt).and_then(|v| v.get(rule));
    OutboundGate::Checked {
        setting,
        source: source(c, xt),
        verdict: verdict(c, compiled, written, app, me),
    }
}

fn tr_gate<'a>(
    c: &'a Compiled,
    issuer: &TenantRef,
    enforcement: Enforcement,
    app: AppKey,
    account: &Identity<'_>,
) -> TrGate<'a> {
    // The issuer's partner block when it sets tenant restrictions, else the default's.
    let found = blocks(c, issuer).find_map(|xt| {
        let tr = c.pack.cross_tenant[xt].tenant_restrictions.as_ref()?;
        Some((xt, tr))
    });
    let Some((xt, tr)) = found else {
        return TrGate::NoPolicy {
            issuer: issuer.label.clone(),
        };
    };
    let compiled = c.trv2.get(xt).and_then(Option::as_ref);
    TrGate::Checked {
        issuer: issuer.label.clone(),
        enforcement,
        source: source(c, xt),
        verdict: verdict(c, compiled, &tr.setting, app, account),
    }
}

fn verdict<'a>(
    c: &Compiled,
    compiled: Option<&B2b>,
    written: &'a crate::model::B2bSetting,
    app: AppKey,
    who: &Identity<'_>,
) -> Verdict<'a> {
    match compiled {
        Some(B2b::Short(a)) => Verdict::Short(*a),
        Some(B2b::Lists { users, apps }) => Verdict::Lists {
            users: users_dimension(
                c,
                users,
                written.users.as_ref().map(|l| &l.targets[..]),
                who,
            ),
            apps: {
                let hit = apps
                    .targets
                    .iter()
                    .position(|t| t.matches(app) || *t == AppM::All);
                dimension(
                    apps.access,
                    apps.implied,
                    hit,
                    written.apps.as_ref().map(|l| &l.targets[..]),
                )
            },
        },
        Some(B2b::Empty) | None => Verdict::Empty,
    }
}

/// As the inbound gate's: an unknown group membership that could change the answer blocks.
fn users_dimension<'a>(
    c: &Compiled,
    dim: &Dim<XtUserM>,
    written: Option<&'a [Spanned<XtUserTarget>]>,
    who: &Identity<'_>,
) -> Dimension<'a, XtUserTarget> {
    let user = who
        .name
        .and_then(|n| c.users.get(&n.to_lowercase()).copied());
    let in_group = |g: u32| {
        who.groups
            .unwrap_or_default()
            .iter()
            .any(|name| c.groups.get(&name.to_lowercase()) == Some(&g))
    };
    let hit = dim.targets.iter().position(|t| match t {
        XtUserM::All => true,
        XtUserM::User(u) => user == Some(*u),
        XtUserM::Group(g) => in_group(*g),
    });
    let mut d = dimension(dim.access, dim.implied, hit, written);
    if hit.is_none()
        && !dim.implied
        && who.groups.is_none()
        && dim.targets.iter().any(|t| matches!(t, XtUserM::Group(_)))
    {
        d.uncertain = true;
        d.in_list = dim.access == Access::Block;
    }
    d
}

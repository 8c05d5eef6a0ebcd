//! The classes of each dimension but the network ones.

use super::*;

pub(super) fn class(label: impl Into<String>, weight: u32, value: Value) -> Class {
    Class {
        label: label.into(),
        weight,
        value,
    }
}

pub(super) fn flag_classes(no: &str, yes: &str) -> Vec<Class> {
    vec![
        class(no, 0, Value::Flag(false)),
        class(yes, 1, Value::Flag(true)),
    ]
}

/// A flag a request may leave out: not stated (the lightest request), no, yes.
pub(super) fn stated_classes(no: &str, yes: &str) -> Vec<Class> {
    vec![
        class("not stated", 0, Value::Stated(None)),
        class(no, 1, Value::Stated(Some(false))),
        class(yes, 1, Value::Stated(Some(true))),
    ]
}

/// How a request names a tenant so that every pack resolves it: a domain (readable), else
/// its id, else its name.
pub(super) fn tenant_address(t: &crate::model::Tenant) -> String {
    t.domains
        .first()
        .map(|d| d.value.to_ascii_lowercase())
        .or_else(|| t.id.as_ref().map(|i| i.value.to_ascii_lowercase()))
        .unwrap_or_else(|| t.name.value.clone())
}

pub(super) fn resource_of(packs: &[&Compiled]) -> Result<TenantName, SpaceError> {
    let mut found: Option<TenantName> = None;
    for c in packs {
        let Some(t) = c.pack().resource_tenant() else {
            return Err(SpaceError::NoResource);
        };
        let name = TenantName {
            name: t.name.value.clone(),
            address: tenant_address(t),
            domain: t.domains.first().map(|d| d.value.to_ascii_lowercase()),
        };
        match &found {
            None => found = Some(name),
            Some(f) if f.name != name.name && f.address != name.address => {
                return Err(SpaceError::ResourceMismatch(format!(
                    "the packs govern different resource tenants: `{}` and `{}`",
                    f.name, name.name
                )))
            }
            Some(_) => {}
        }
    }
    let resource = found.ok_or(SpaceError::NoResource)?;
    for c in packs {
        if let Some(t) = c.pack().tenants.iter().find(|t| {
            !t.resource && (t.name.value == resource.name || tenant_address(t) == resource.address)
        }) {
            return Err(SpaceError::ResourceMismatch(format!(
                "`{}` is the resource tenant of one pack and a partner in another",
                t.name.value
            )));
        }
    }
    Ok(resource)
}

pub(super) fn partner_tenants(packs: &[&Compiled], resource: &TenantName) -> Vec<TenantName> {
    let mut out: Vec<TenantName> = Vec::new();
    for c in packs {
        for t in c.pack().tenants.iter().filter(|t| !t.resource) {
            if t.name.value == resource.name {
                continue;
            }
            if out.iter().any(|o| o.name == t.name.value) {
                continue;
            }
            out.push(TenantName {
                name: t.name.value.clone(),
                address: tenant_address(t),
                domain: t.domains.first().map(|d| d.value.to_ascii_lowercase()),
            });
        }
    }
    out
}

pub(super) fn who_classes(tenants: &[TenantName]) -> Vec<Class> {
    let mut v = vec![
        class("internal members", 0, Value::Who(Who::Member)),
        class("internal guests", 1, Value::Who(Who::InternalGuest)),
    ];
    let homes: Vec<(Home, String)> = tenants
        .iter()
        .enumerate()
        .map(|(i, t)| (Home::Tenant(i), format!("`{}`", t.name)))
        .chain(std::iter::once((
            Home::Undeclared,
            "any undeclared tenant".to_string(),
        )))
        .collect();
    for (home, from) in homes {
        for (kind, what, kind_weight) in [
            (AccessKind::B2bCollaboration, "B2B", 0),
            (AccessKind::DirectConnect, "direct-connect", 1),
            (AccessKind::ServiceProvider, "service-provider", 1),
        ] {
            for (user_type, who, type_weight) in [
                (UserType::Guest, "guests", 1),
                (UserType::Member, "members", 0),
            ] {
                v.push(class(
                    format!("{what} {who} from {from}"),
                    1 + kind_weight + type_weight,
                    Value::Who(Who::External {
                        home,
                        user_type,
                        kind,
                    }),
                ));
            }
        }
    }
    for (user_type, who, w) in [
        (UserType::Guest, "guests", 2),
        (UserType::Member, "members", 1),
    ] {
        v.push(class(
            format!("{who} without an Entra tenant (social, one-time passcode)"),
            w,
            Value::Who(Who::NoEntra { user_type }),
        ));
    }
    v
}

pub(super) fn named_users(packs: &[&Compiled]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in packs {
        let mut names: Vec<(&String, &u32)> = c.users.iter().collect();
        names.sort_by_key(|(_, id)| **id);
        for (n, _) in names {
            if !out.contains(n) {
                out.push(n.clone());
            }
        }
    }
    out
}

pub(super) fn user_classes(users: &[String]) -> Vec<Class> {
    let mut v = vec![class("anyone", 0, Value::User(None))];
    for u in users {
        v.push(class(format!("`{u}`"), 1, Value::User(Some(u.clone()))));
    }
    v
}

/// Group names the packs use (CA and cross-tenant targets), lowercase key and first spelling.
/// Where a group or role is named: (pack, place, side). A place is a policy (its index) or a
/// cross-tenant rule; the side tells include from exclude lists.
type Position = (usize, usize, usize, u8);

/// Names with the same positions are interchangeable: every list that holds one holds all, and
/// lists are read as "any of" (a policy's targets, a cross-tenant setting's targets), so only
/// whether a user has *some* name of the class matters. One dimension per class, then.
fn classes_of<K: Clone + PartialEq>(named: Vec<(K, Vec<Position>)>) -> Vec<Vec<K>> {
    let mut out: Vec<(Vec<Position>, Vec<K>)> = Vec::new();
    for (k, mut positions) in named {
        positions.sort_unstable();
        positions.dedup();
        match out.iter_mut().find(|(p, _)| *p == positions) {
            Some((_, list)) => list.push(k),
            None => out.push((positions, vec![k])),
        }
    }
    out.into_iter().map(|(_, list)| list).collect()
}

/// Group names the packs use (CA and cross-tenant targets), as classes of interchangeable
/// names: (lowercase key, first spelling) each.
pub(super) fn named_groups(packs: &[&Compiled]) -> Vec<Vec<(String, String)>> {
    use crate::model::{UserTarget, XtUserTarget};
    let mut named: Vec<((String, String), Vec<Position>)> = Vec::new();
    let mut add = |name: &str, at: Position| {
        let key = name.to_lowercase();
        match named.iter_mut().find(|((k, _), _)| *k == key) {
            Some((_, list)) => list.push(at),
            None => named.push(((key, name.to_string()), vec![at])),
        }
    };
    for (pi, c) in packs.iter().enumerate() {
        for (i, p) in c.pack().policies.iter().enumerate() {
            for (side, list) in [(0u8, &p.users.include), (1, &p.users.exclude)] {
                for t in list {
                    if let UserTarget::Group(g) = &t.value {
                        add(g, (pi, i, 0, side));
                    }
                }
            }
        }
        for (xi, xt) in c.pack().cross_tenant.iter().enumerate() {
            for (ri, rule) in xt.rules.iter().enumerate() {
                if let Some(users) = &rule.setting.users {
                    for t in &users.targets {
                        if let XtUserTarget::Group(g) = &t.value {
                            add(g, (pi, xi, 1 + ri, 2));
                        }
                    }
                }
            }
        }
        // Groups assigned to an app that requires assignment (`eval::directory`).
        for (ai, app) in c.directory.required.iter().enumerate() {
            for g in &app.groups {
                if let Some((name, _)) = c.groups.iter().find(|(_, v)| *v == g) {
                    add(name, (pi, ai, usize::MAX, 3));
                }
            }
        }
    }
    classes_of(named)
}

/// Roles the packs' policies name, as classes of interchangeable roles.
pub(super) fn named_roles(packs: &[&Compiled]) -> Vec<Vec<usize>> {
    let mut named: Vec<(usize, Vec<Position>)> = Vec::new();
    for (pi, c) in packs.iter().enumerate() {
        for (i, p) in c.policies.iter().enumerate() {
            for (side, list) in [(0u8, &p.users_include), (1, &p.users_exclude)] {
                for t in list {
                    if let UserM::Role(Some(r)) = t {
                        match named.iter_mut().find(|(k, _)| k == r) {
                            Some((_, l)) => l.push((pi, i, 0, side)),
                            None => named.push((*r, vec![(pi, i, 0, side)])),
                        }
                    }
                }
            }
        }
        // Assignment does not apply to Global Administrators (`eval::directory`): with an app
        // that requires assignment, that role tells requests apart.
        if let Some(ga) = crate::eval::directory::global_administrator(c) {
            let at = (pi, usize::MAX, usize::MAX, 3);
            match named.iter_mut().find(|(k, _)| *k == ga) {
                Some((_, l)) => l.push(at),
                None => named.push((ga, vec![at])),
            }
        }
    }
    classes_of(named)
}

pub(super) fn named_terms(packs: &[&Compiled]) -> Vec<String> {
    let mut out = Vec::new();
    for c in packs {
        for p in &c.pack().policies {
            for ctl in p.grant.iter().flat_map(|g| &g.controls) {
                if let Control::TermsOfUse(t) = &ctl.value {
                    if !out.contains(t) {
                        out.push(t.clone());
                    }
                }
            }
        }
    }
    out
}

pub(super) fn app_classes(packs: &[&Compiled]) -> Vec<Class> {
    let mut v: Vec<Class> = FirstPartyApp::ALL
        .iter()
        .map(|a| class(a.name(), 0, Value::App(AppRef::Named(*a))))
        .collect();
    let mut ids: Vec<String> = Vec::new();
    let mut contexts: Vec<String> = Vec::new();
    let mut note = |t: &AppM, c: &Compiled| match t {
        AppM::Id(i) => {
            if let Some((id, _)) = c.app_ids.iter().find(|(_, v)| **v == *i) {
                if !ids.contains(id) {
                    ids.push(id.clone());
                }
            }
        }
        AppM::Context(i) => {
            if let Some((ctx, _)) = c.contexts.iter().find(|(_, v)| **v == *i) {
                if !contexts.contains(ctx) {
                    contexts.push(ctx.clone());
                }
            }
        }
        _ => {}
    };
    for c in packs {
        for p in &c.policies {
            for t in p.apps_include.iter().chain(&p.apps_exclude) {
                note(t, c);
            }
        }
        // Apps that require assignment are decided apart from "any other app".
        for key in crate::eval::directory::required_app_keys(c) {
            if let crate::eval::compile::AppKey::Id(Some(i)) = key {
                note(&AppM::Id(i), c);
            }
        }
        for rules in &c.b2b {
            for rule in rules {
                if let Some(apps) = rule.app_targets() {
                    for t in apps {
                        note(t, c);
                    }
                }
            }
        }
    }
    for id in ids {
        v.push(class(format!("app `{id}`"), 0, Value::App(AppRef::Id(id))));
    }
    v.push(class(
        "any other app",
        0,
        Value::OtherApp(AppRef::Id(OTHER_APP.to_string())),
    ));
    for a in [UserAction::RegisterSecurityInfo, UserAction::RegisterDevice] {
        v.push(class(
            format!("action {}", a.name()),
            0,
            Value::App(AppRef::Action(a)),
        ));
    }
    for ctx in &contexts {
        v.push(class(
            format!("authentication context `{ctx}`"),
            0,
            Value::App(AppRef::AuthContext(ctx.clone())),
        ));
    }
    let other = (1..=99)
        .map(|n| format!("c{n}"))
        .find(|c| !contexts.contains(c))
        .unwrap_or_else(|| "c99".to_string());
    v.push(class(
        "any other authentication context",
        0,
        Value::OtherApp(AppRef::AuthContext(other)),
    ));
    v
}

pub(super) fn client_classes() -> Vec<Class> {
    ClientApp::ALL
        .iter()
        .map(|c| {
            class(
                c.name(),
                u32::from(*c != ClientApp::Browser),
                Value::Client(*c),
            )
        })
        .collect()
}

pub(super) fn platform_classes() -> Vec<Class> {
    let mut v = vec![class("an unstated platform", 0, Value::Platform(None))];
    for p in Platform::all() {
        v.push(class(p.name(), 1, Value::Platform(Some(*p))));
    }
    v
}

pub(super) fn risk_classes(what: &str) -> Vec<Class> {
    RiskLevel::ALL
        .iter()
        .map(|r| {
            class(
                format!("{what} risk {}", r.name()),
                u32::from(*r != RiskLevel::None),
                Value::Risk(*r),
            )
        })
        .collect()
}

pub(super) fn insider_classes() -> Vec<Class> {
    InsiderRiskLevel::all()
        .iter()
        .map(|r| {
            class(
                format!("insider risk {}", r.keyword()),
                u32::from(*r != InsiderRiskLevel::None),
                Value::Insider(*r),
            )
        })
        .collect()
}

pub(super) fn flow_classes() -> Vec<Class> {
    Flow::all()
        .iter()
        .map(|f| {
            class(
                match f {
                    Flow::None => "no special flow".to_string(),
                    other => format!("the {} flow", other.keyword()),
                },
                u32::from(*f != Flow::None),
                Value::Flow(*f),
            )
        })
        .collect()
}

pub(super) fn mfa_classes() -> Vec<Class> {
    vec![
        class("no MFA yet", 0, Value::Mfa(MfaPlace::None)),
        class("MFA done at home", 1, Value::Mfa(MfaPlace::Home)),
        class(
            "MFA done in the resource tenant",
            1,
            Value::Mfa(MfaPlace::Resource),
        ),
    ]
}

pub(super) fn registered_classes() -> Vec<Class> {
    vec![
        class(
            "an unregistered device",
            0,
            Value::Registered(Registered::None),
        ),
        class(
            "a device registered at home",
            1,
            Value::Registered(Registered::Home),
        ),
        class(
            "a device registered in the resource tenant",
            1,
            Value::Registered(Registered::Resource),
        ),
    ]
}

/// The allowed combinations of every strength the packs require (built-in, or custom and
/// declared), each list once, in a fixed order.
pub(super) fn strengths_used(packs: &[&Compiled]) -> Vec<Vec<Vec<AuthMode>>> {
    let mut out: Vec<Vec<Vec<AuthMode>>> = Vec::new();
    for c in packs {
        let pack = c.pack();
        for p in &pack.policies {
            for ctl in p.grant.iter().flat_map(|g| &g.controls) {
                let Control::AuthStrength(s) = &ctl.value else {
                    continue;
                };
                let combos = match s {
                    AuthStrength::BuiltIn(b) => b.combinations(),
                    AuthStrength::Custom(r) => match pack.strength(r) {
                        Some(def) => def.combinations(),
                        None => continue,
                    },
                };
                let list: Vec<Vec<AuthMode>> = combos.iter().map(<[AuthMode]>::to_vec).collect();
                if !out.contains(&list) {
                    out.push(list);
                }
            }
        }
    }
    out.sort();
    out
}

/// What a method set does for each strength: met by the methods wherever performed, by the
/// methods a home tenant's claim carries, by those an external user has in the resource tenant
/// (the evaluator reads exactly these three, `eval::controls`).
pub(crate) fn strength_vector(
    strengths: &[Vec<Vec<AuthMode>>],
    methods: &[AuthMethod],
) -> Vec<bool> {
    strengths
        .iter()
        .flat_map(|combos| {
            MethodsAt::ALL.into_iter().map(move |at| {
                combos
                    .iter()
                    .any(|c| strength::combination_met(c, methods, at))
            })
        })
        .collect()
}

/// One class per realisable strength vector, each with a smallest method set.
pub(super) fn method_classes(packs: &[&Compiled]) -> Vec<Class> {
    let strengths = strengths_used(packs);
    let mut best: BTreeMap<Vec<bool>, Vec<AuthMethod>> = BTreeMap::new();
    let all = AuthMethod::ALL;
    if !strengths.is_empty() {
        for mask in 0u32..(1 << all.len()) {
            let methods: Vec<AuthMethod> = all
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, m)| *m)
                .collect();
            let vector = strength_vector(&strengths, &methods);
            match best.get(&vector) {
                Some(b) if b.len() <= methods.len() => {}
                _ => {
                    best.insert(vector, methods);
                }
            }
        }
    }
    let none = vec![false; strengths.len() * MethodsAt::ALL.len()];
    let mut v = vec![class(
        "no method that meets a strength",
        0,
        Value::Methods(Vec::new()),
    )];
    for (vector, methods) in best {
        if vector == none {
            continue;
        }
        let names: Vec<&str> = methods.iter().map(|m| m.name()).collect();
        v.push(class(
            format!("methods {}", names.join(" + ")),
            methods.len() as u32,
            Value::Methods(methods),
        ));
    }
    v
}

/// Cross-tenant app targets, for the app classes.
impl crate::eval::compile::B2b {
    pub(crate) fn app_targets(&self) -> Option<&[AppM]> {
        match self {
            crate::eval::compile::B2b::Lists { apps, .. } => Some(&apps.targets),
            _ => None,
        }
    }
}

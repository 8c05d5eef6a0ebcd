//! The Cedar expressions of one enforced policy: whether it applies, and what its grant
//! controls give (§4.4), with the user's classification (§6.3) written out wherever it is needed
//! (Cedar has no functions or `let`).

use accord::model::catalog::BuiltInStrength;

use super::resource_uid;
use crate::ir::{self, ControlIr, Ir, Loc, LocationKindIr, OriginIr, User};
use crate::settings::AppTargetKey;

// The user's classification (§6.3), as accord's `classify` orders it: internal first (by
// userType), no Entra home tenant, direct connect, a service-provider home, then B2B.
pub(super) const INTERNAL: &str = "principal.home.resource";
pub(super) const MEMBER: &str = r#"(principal.home.resource && principal.userType == "member")"#;
pub(super) const ENTRA_EXTERNAL: &str = "(principal.home.entra && !principal.home.resource)";
pub(super) const OTHER: &str = "!principal.home.entra";
pub(super) const DIRECT_CONNECT: &str =
    r#"(principal.home.entra && !principal.home.resource && context.kind == "direct_connect")"#;
/// B2B collaboration users: guests, members and service providers.
pub(super) const VIA_COLLABORATION: &str =
    r#"(principal.home.entra && !principal.home.resource && context.kind != "direct_connect")"#;
pub(super) const SERVICE_PROVIDER: &str = r#"(principal.home.entra && !principal.home.resource && context.kind != "direct_connect" && principal.home.serviceProvider)"#;
/// B2B guests and members (not service providers).
pub(super) const B2B: &str = r#"(principal.home.entra && !principal.home.resource && context.kind != "direct_connect" && !principal.home.serviceProvider)"#;
pub(super) const LEGACY: &str =
    r#"(context.clientApp == "exchange_active_sync" || context.clientApp == "other")"#;

/// A policy's text with the classification read from the principal's `kind` attribute
/// instead of computed ([`super::Classification::Precomputed`]).
pub(super) fn precomputed(src: &str) -> String {
    [
        (
            SERVICE_PROVIDER,
            r#"(principal.kind == "service_provider")"#,
        ),
        (
            B2B,
            r#"(principal.kind == "b2b_guest" || principal.kind == "b2b_member")"#,
        ),
        (DIRECT_CONNECT, r#"(principal.kind == "direct_connect")"#),
        (
            VIA_COLLABORATION,
            r#"(["b2b_guest", "b2b_member", "service_provider"].contains(principal.kind))"#,
        ),
        (MEMBER, r#"(principal.kind == "member")"#),
        (OTHER, r#"(principal.kind == "other_external")"#),
    ]
    .iter()
    .fold(src.to_string(), |text, (from, to)| text.replace(from, to))
}

// ---- one Conditional Access policy ----------------------------------------------------------

/// The forbid policies of one enforced policy: (id prefix, outcome, condition).
pub(super) fn policy_forbids(ir: &Ir, p: &ir::Policy) -> Vec<(&'static str, &'static str, String)> {
    let applies = applies(ir, p);
    let mut out = Vec::new();
    let sat: Vec<String> = p.controls.iter().map(|c| control(c).0).collect();
    let unsat: Vec<String> = p.controls.iter().map(|c| control(c).1).collect();
    let mut blocks = Vec::new();
    if p.block {
        blocks.push("true".to_string());
    }
    if !p.controls.is_empty() {
        // Legacy clients can satisfy no control but `block` (§1.7).
        blocks.push(LEGACY.to_string());
        blocks.push(if p.any { and(&unsat) } else { or(&unsat) });
    }
    if p.session {
        // Session controls are unsupported for direct connect users (§4.4).
        blocks.push(DIRECT_CONNECT.to_string());
    }
    if !blocks.is_empty() {
        out.push(("b", "block", format!("{applies} &&\n  {}", or(&blocks))));
    }
    if !p.controls.is_empty() {
        let not_satisfied = if p.any {
            format!("!{}", or(&sat))
        } else {
            or(&sat.iter().map(|s| format!("!{s}")).collect::<Vec<_>>())
        };
        out.push(("c", "challenge", format!("{applies} &&\n  {not_satisfied}")));
    }
    out
}

fn or(items: &[String]) -> String {
    match items {
        [] => "false".into(),
        [one] => one.clone(),
        _ => format!("({})", items.join(" || ")),
    }
}

fn and(items: &[String]) -> String {
    match items {
        [] => "true".into(),
        [one] => one.clone(),
        _ => format!("({})", items.join(" && ")),
    }
}

/// Whether the policy applies: apps first (cheap and selective), users, then each condition.
fn applies(ir: &Ir, p: &ir::Policy) -> String {
    let mut parts = Vec::new();
    let include_exclude = |inc: Vec<String>, exc: Vec<String>| {
        if exc.is_empty() {
            or(&inc)
        } else {
            format!("{} && !({})", or(&inc), or(&exc))
        }
    };
    parts.push(include_exclude(
        p.apps_include.iter().map(app).collect(),
        p.apps_exclude.iter().map(app).collect(),
    ));
    if !(p.users_include == [User::All] && p.users_exclude.is_empty()) {
        parts.push(include_exclude(
            p.users_include.iter().map(user).collect(),
            p.users_exclude.iter().map(user).collect(),
        ));
    }
    if let Some((inc, exc)) = &p.platforms {
        let side = |list: &[&str]| -> Vec<String> {
            if list.contains(&"all") {
                vec!["true".into()]
            } else if list.is_empty() {
                Vec::new()
            } else {
                vec![one_of("context.platform", list)]
            }
        };
        parts.push(include_exclude(side(inc), side(exc)));
    }
    if let Some((inc, exc)) = &p.locations {
        let side = |list: &[Loc]| list.iter().map(|l| location(ir, *l)).collect::<Vec<_>>();
        parts.push(include_exclude(side(inc), side(exc)));
    }
    for (field, list) in [
        ("context.clientApp", &p.client_apps),
        ("context.signInRisk", &p.sign_in_risk),
        ("context.userRisk", &p.user_risk),
        ("context.insiderRisk", &p.insider_risk),
        ("context.flow", &p.auth_flows),
    ] {
        if let Some(list) = list {
            parts.push(one_of(field, list));
        }
    }
    if let Some(d) = &p.device {
        // The resource tenant sees device properties of internal users' registered devices,
        // and of external users' home-registered devices when device claims are trusted (§1.11).
        let visible = format!(
            r#"(({INTERNAL} && context.device.registered != "none") || ({ENTRA_EXTERNAL} && context.device.registered == "home" && (principal.home.trustCompliant || principal.home.trustHybrid)))"#
        );
        let attr = d.property.name();
        let matched = format!(
            "({visible} && context.deviceAttributes has {attr} && context.deviceAttributes.{attr} == {:?})",
            d.value
        );
        parts.push(if d.include {
            matched
        } else {
            format!("!{matched}")
        });
    }
    parts.join(" &&\n  ")
}

fn one_of(field: &str, list: &[&str]) -> String {
    match list {
        [one] => format!("{field} == {one:?}"),
        _ => format!(
            "[{}].contains({field})",
            list.iter()
                .map(|x| format!("{x:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn app(t: &AppTargetKey) -> String {
    match t {
        AppTargetKey::All => "resource is App".into(),
        AppTargetKey::Office365 => r#"resource in AppGroup::"office365""#.into(),
        AppTargetKey::One(k) => format!("resource == {}", resource_uid(k)),
    }
}

/// Whether the user has the external type `t` (accord's `external_types`: users without an
/// Entra home tenant are `other_external` and, by userType, `b2b_guest` or `b2b_member`).
fn external_type(t: &str) -> String {
    match t {
        "internal_guest" => format!(r#"({INTERNAL} && principal.userType == "guest")"#),
        "b2b_guest" => format!(r#"(({B2B} || {OTHER}) && principal.userType == "guest")"#),
        "b2b_member" => format!(r#"(({B2B} || {OTHER}) && principal.userType == "member")"#),
        "direct_connect" => DIRECT_CONNECT.into(),
        "other_external" => OTHER.into(),
        "service_provider" => SERVICE_PROVIDER.into(),
        other => panic!("external type `{other}`"),
    }
}

fn user(t: &User) -> String {
    match t {
        User::All => "true".into(),
        User::GuestsOrExternal => format!("!{MEMBER}"),
        User::User(u) => format!("principal == User::{u:?}"),
        User::Group(g) => format!("principal in Group::{g:?}"),
        User::Role(id) => format!("principal.roles.contains({id:?})"),
        User::External { types, origin } => {
            let types = if types.len() == accord::model::ExternalType::ALL.len() {
                // Every user but members has some external type.
                format!("!{MEMBER}")
            } else {
                or(&types.iter().map(|t| external_type(t)).collect::<Vec<_>>())
            };
            let origin = match origin {
                OriginIr::Any => return types,
                OriginIr::Organization => "principal.home.inOrg".to_string(),
                OriginIr::Outside => {
                    "(!principal.home.resource && !principal.home.inOrg)".to_string()
                }
                OriginIr::Tenants(list) => format!(
                    "(!principal.home.resource && [{}].contains(principal.home))",
                    list.iter()
                        .map(|t| format!("Tenant::{t:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            format!("({types} && {origin})")
        }
    }
}

fn location(ir: &Ir, l: Loc) -> String {
    match l {
        Loc::All => "true".into(),
        Loc::AllTrusted => or(&ir
            .locations
            .iter()
            .enumerate()
            .filter(|(_, x)| x.trusted)
            .map(|(i, _)| location(ir, Loc::Named(i)))
            .collect::<Vec<_>>()),
        Loc::Named(i) => match &ir.locations[i].kind {
            LocationKindIr::Ip(ranges) => or(&ranges
                .iter()
                .map(|r| format!("context.ip.isInRange(ip({r:?}))"))
                .collect::<Vec<_>>()),
            LocationKindIr::Countries { codes, unknown } => {
                let mut set: Vec<&str> = codes.iter().map(String::as_str).collect();
                if *unknown {
                    set.push("unknown");
                }
                one_of("context.country", &set)
            }
        },
    }
}

// ---- grant controls (§4.4) ------------------------------------------------------------------

fn mfa_satisfied() -> String {
    format!(
        r#"(({INTERNAL} && context.mfa != "none") || ({B2B} && (context.mfa == "resource" || (context.mfa == "home" && principal.home.trustMfa))) || ({DIRECT_CONNECT} && principal.home.trustMfa && context.mfa == "home") || ({SERVICE_PROVIDER} && context.mfa != "none") || ({OTHER} && context.mfa == "resource"))"#
    )
}

/// (satisfied, unsatisfiable) for one control, legacy clients left to the caller; a control
/// that is neither is a challenge.
fn control(c: &ControlIr) -> (String, String) {
    let device = |flag: &str, trust: &str| {
        let sat = format!(
            r#"(context.flow != "device_code" && context.device.{flag} && (({INTERNAL} && context.device.registered != "none") || ({ENTRA_EXTERNAL} && principal.home.{trust} && context.device.registered == "home")))"#
        );
        let unsat = format!("!{sat}");
        (sat, unsat)
    };
    match c {
        ControlIr::Mfa => (
            mfa_satisfied(),
            format!("({DIRECT_CONNECT} && !principal.home.trustMfa)"),
        ),
        ControlIr::CompliantDevice => device("compliant", "trustCompliant"),
        ControlIr::HybridJoined => device("hybridJoined", "trustHybrid"),
        ControlIr::ApprovedApp | ControlIr::AppProtection => {
            let flag = if *c == ControlIr::ApprovedApp {
                "approvedApp"
            } else {
                "appProtection"
            };
            let sat = format!("({INTERNAL} && context.device.{flag})");
            let unsat = format!("!{sat}");
            (sat, unsat)
        }
        ControlIr::PasswordChange => ("false".into(), format!("!{INTERNAL}")),
        ControlIr::Terms(name) => (
            format!("(!{DIRECT_CONNECT} && context.termsAccepted.contains({name:?}))"),
            DIRECT_CONNECT.into(),
        ),
        ControlIr::Strength(s) => {
            let methods = or(&ir::strength_combinations(*s)
                .iter()
                .map(|combo| {
                    format!(
                        "context.methods.containsAll([{}])",
                        combo
                            .iter()
                            .map(|m| format!("{m:?}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
                .collect::<Vec<_>>());
            let sat = format!("({} && {methods})", mfa_satisfied());
            let mfa_unsat = format!("({DIRECT_CONNECT} && !principal.home.trustMfa)");
            if *s == BuiltInStrength::Mfa {
                return (sat, mfa_unsat);
            }
            // The resource tenant offers external users only the weaker methods: B2B users
            // who would do MFA there (no MFA trust, or MFA already done there) and users
            // without an Entra home cannot meet a stronger strength.
            let unsat = format!(
                r#"({mfa_unsat} || (!{sat} && (({B2B} && !(principal.home.trustMfa && context.mfa != "resource")) || {OTHER})))"#
            );
            (sat, unsat)
        }
    }
}

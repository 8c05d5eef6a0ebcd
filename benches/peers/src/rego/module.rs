//! The generated Rego module: one `results` rule per enforced policy, helper rules for the
//! include and exclude lists that hold more than one target.

use std::fmt::Write as _;

use crate::ir::{self, ControlIr, Ir, Loc, OriginIr, User};
use crate::settings::{AppKey, AppTargetKey};

// ---- the generated module -------------------------------------------------------------------

pub(super) fn module(ir: &Ir) -> String {
    let mut out = String::from("package accord\n");
    for (i, p) in ir.policies.iter().enumerate() {
        policy(&mut out, ir, i, p);
    }
    out
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// A set of string literals.
fn set(items: &[&str]) -> String {
    format!(
        "{{{}}}",
        items
            .iter()
            .map(|x| format!("{x:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Helper rules for a disjunction: `name` holds when one of the bodies does. A single body is
/// returned to be inlined instead.
fn disjunction(out: &mut String, name: &str, bodies: Vec<Vec<String>>) -> Vec<String> {
    if bodies.iter().any(|b| b.is_empty()) {
        return Vec::new();
    }
    if bodies.len() == 1 {
        return bodies.into_iter().next().unwrap_or_default();
    }
    for body in bodies {
        let _ = writeln!(out, "\n{name} if {{\n\t{}\n}}", body.join("\n\t"));
    }
    vec![name.to_string()]
}

/// `not <any of the bodies>`, through a helper rule.
fn negation(out: &mut String, name: &str, bodies: Vec<Vec<String>>) -> Vec<String> {
    if bodies.is_empty() {
        return Vec::new();
    }
    if bodies.iter().any(|b| b.is_empty()) {
        return vec!["false".into()];
    }
    for body in bodies {
        let _ = writeln!(out, "\n{name} if {{\n\t{}\n}}", body.join("\n\t"));
    }
    vec![format!("not {name}")]
}

fn policy(out: &mut String, ir: &Ir, i: usize, p: &ir::Policy) {
    let mut body = Vec::new();
    let apps = |list: &[AppTargetKey]| list.iter().map(app).collect::<Vec<_>>();
    body.extend(disjunction(
        out,
        &format!("p{i}_apps"),
        apps(&p.apps_include),
    ));
    body.extend(negation(
        out,
        &format!("p{i}_apps_excluded"),
        apps(&p.apps_exclude),
    ));
    let users = |list: &[User]| list.iter().map(user).collect::<Vec<_>>();
    body.extend(disjunction(
        out,
        &format!("p{i}_users"),
        users(&p.users_include),
    ));
    body.extend(negation(
        out,
        &format!("p{i}_users_excluded"),
        users(&p.users_exclude),
    ));
    if let Some((inc, exc)) = &p.platforms {
        if !inc.contains(&"all") {
            body.push(format!("input.device.platform in {}", set(inc)));
        }
        if exc.contains(&"all") {
            body.push("false".into());
        } else if !exc.is_empty() {
            body.push(format!("not input.device.platform in {}", set(exc)));
        }
    }
    if let Some((inc, exc)) = &p.locations {
        let names = |list: &[Loc]| -> Vec<String> {
            list.iter()
                .map(|l| match l {
                    Loc::All => "all".to_string(),
                    Loc::AllTrusted => "all_trusted".to_string(),
                    Loc::Named(i) => ir.locations[*i].name.clone(),
                })
                .collect()
        };
        let (inc, exc) = (names(inc), names(exc));
        if !inc.iter().any(|n| n == "all") {
            body.push(format!("count(places & {}) > 0", set(&refs(&inc))));
        }
        if exc.iter().any(|n| n == "all") {
            body.push("false".into());
        } else if !exc.is_empty() {
            body.push(format!("count(places & {}) == 0", set(&refs(&exc))));
        }
    }
    for (field, list) in [
        ("input.client_app", &p.client_apps),
        ("input.risk.sign_in", &p.sign_in_risk),
        ("input.risk.user", &p.user_risk),
        ("input.risk.insider", &p.insider_risk),
        ("input.auth.flow", &p.auth_flows),
    ] {
        if let Some(list) = list {
            body.push(format!("{field} in {}", set(list)));
        }
    }
    if let Some(d) = &p.device {
        let matched = vec![
            "device_visible".to_string(),
            format!(
                "input.device.attributes.{} == {:?}",
                d.property.name(),
                d.value
            ),
        ];
        if d.include {
            body.extend(matched);
        } else {
            body.extend(negation(out, &format!("p{i}_device"), vec![matched]));
        }
    }
    let controls: Vec<String> = p.controls.iter().map(control).collect();
    let grant = if p.block {
        Some("3".to_string())
    } else {
        match controls.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            many => Some(format!(
                "{}([{}])",
                if p.any { "min" } else { "max" },
                many.join(", ")
            )),
        }
    };
    let result = match (grant, p.session) {
        (Some(g), true) => format!("max([{g}, session])"),
        (Some(g), false) => g,
        (None, true) => "session".into(),
        (None, false) => "0".into(),
    };
    body.push(format!("r := {result}"));
    let _ = writeln!(
        out,
        "\n# {}\nresults contains [{:?}, r] if {{\n\t{}\n}}",
        p.name,
        p.name,
        body.join("\n\t")
    );
}

fn app(t: &AppTargetKey) -> Vec<String> {
    match t {
        AppTargetKey::All => vec![r#"input.app.type == "app""#.into()],
        AppTargetKey::Office365 => vec![
            r#"input.app.type == "app""#.into(),
            "input.app.name in data.office365".into(),
        ],
        AppTargetKey::One(k) => {
            let key = match k {
                AppKey::App(n) => format!("app:{n}"),
                AppKey::Action(n) => format!("action:{n}"),
                AppKey::Context(n) => format!("context:{n}"),
            };
            vec![format!("input.app.key == {key:?}")]
        }
    }
}

fn user(t: &User) -> Vec<String> {
    match t {
        User::All => Vec::new(),
        User::GuestsOrExternal => vec![r#"kind != "member""#.into()],
        User::User(u) => vec![format!("input.user.name == {u:?}")],
        User::Group(g) => vec![format!("{g:?} in input.user.groups")],
        User::Role(id) => vec![format!("{id:?} in input.user.roles")],
        User::External { types, origin } => {
            let mut body = vec![format!("count(external_types & {}) > 0", set(types))];
            match origin {
                OriginIr::Any => {}
                OriginIr::Organization => body.push("home.in_org".into()),
                OriginIr::Outside => {
                    body.push("not home.resource".into());
                    body.push("not home.in_org".into());
                }
                OriginIr::Tenants(list) => {
                    let names: Vec<&str> = list.iter().map(String::as_str).collect();
                    body.push("not home.resource".into());
                    body.push(format!("input.user.home in {}", set(&names)));
                }
            }
            body
        }
    }
}

fn control(c: &ControlIr) -> String {
    match c {
        ControlIr::Mfa => "mfa".into(),
        ControlIr::CompliantDevice => "compliant_device".into(),
        ControlIr::HybridJoined => "hybrid_joined".into(),
        ControlIr::ApprovedApp => "approved_app".into(),
        ControlIr::AppProtection => "app_protection".into(),
        ControlIr::PasswordChange => "password_change".into(),
        ControlIr::Terms(name) => format!("terms({name:?})"),
        ControlIr::Strength(s) => format!("strength({:?})", s.name()),
    }
}

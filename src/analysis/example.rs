//! A request written the way `accord whatif` reads it, with only what differs from the defaults
//! (and the two required fields, `user.name` and `app`).

use serde_json::{json, Map, Value};

use crate::model::catalog;
use crate::model::request::{
    AccessKind, AppRef, Country, Flow, InsiderRiskLevel, Keyword, MfaPlace, Registered, Request,
    UserType,
};
use crate::model::{ClientApp, RiskLevel};

/// The request as a JSON object `accord whatif` accepts as is.
pub fn request_json(r: &Request) -> Value {
    let mut user = Map::new();
    user.insert("name".into(), json!(r.user.name));
    if r.user.user_type == UserType::Guest {
        user.insert("type".into(), json!("guest"));
    }
    if let Some(home) = &r.user.home {
        user.insert("home".into(), json!(home));
    }
    if let Some(kind) = r.user.kind {
        if kind != AccessKind::B2bCollaboration {
            user.insert("kind".into(), json!(kind.keyword()));
        }
    }
    if !r.user.groups.is_empty() {
        user.insert("groups".into(), json!(r.user.groups));
    }
    if !r.user.roles.is_empty() {
        let names: Vec<&str> = r
            .user
            .roles
            .iter()
            .map(|id| catalog::role_by_id(id).map_or(*id, |role| role.name))
            .collect();
        user.insert("roles".into(), json!(names));
    }
    let mut out = Map::new();
    out.insert("user".into(), Value::Object(user));
    out.insert("app".into(), json!(app_text(&r.app)));
    if r.client_app != ClientApp::Browser {
        out.insert("client_app".into(), json!(r.client_app.keyword()));
    }
    let mut device = Map::new();
    if let Some(p) = r.device.platform {
        device.insert("platform".into(), json!(p.keyword()));
    }
    for (key, on) in [
        ("compliant", r.device.compliant),
        ("hybrid_joined", r.device.hybrid_joined),
        ("managed", r.device.managed),
        ("approved_app", r.device.approved_app),
        ("app_protection", r.device.app_protection),
        ("token_bound", r.device.token_bound == Some(true)),
    ] {
        if on {
            device.insert(key.into(), json!(true));
        }
    }
    if r.device.registered != Registered::None {
        device.insert("registered".into(), json!(r.device.registered.keyword()));
    }
    if !device.is_empty() {
        out.insert("device".into(), Value::Object(device));
    }
    let mut network = Map::new();
    if let Some(ip) = r.network.ip {
        network.insert("ip".into(), json!(ip.to_string()));
    }
    if let Some(c) = r.network.country {
        network.insert(
            "country".into(),
            json!(match c {
                Country::Unknown => "unknown".to_string(),
                other => other.to_string(),
            }),
        );
    }
    if let Some(through) = r.network.compliant_network {
        network.insert("compliant_network".into(), json!(through));
    }
    if !network.is_empty() {
        out.insert("network".into(), Value::Object(network));
    }
    let mut auth = Map::new();
    if r.auth.mfa != MfaPlace::None {
        auth.insert("mfa".into(), json!(r.auth.mfa.keyword()));
    }
    if !r.auth.methods.is_empty() {
        let names: Vec<&str> = r.auth.methods.iter().map(|m| m.keyword()).collect();
        auth.insert("methods".into(), json!(names));
    }
    if !r.auth.terms_accepted.is_empty() {
        auth.insert("terms_accepted".into(), json!(r.auth.terms_accepted));
    }
    if r.auth.flow != Flow::None {
        auth.insert("flow".into(), json!(r.auth.flow.keyword()));
    }
    if !auth.is_empty() {
        out.insert("auth".into(), Value::Object(auth));
    }
    let mut risk = Map::new();
    if r.risk.sign_in != RiskLevel::None {
        risk.insert("sign_in".into(), json!(r.risk.sign_in.keyword()));
    }
    if r.risk.user != RiskLevel::None {
        risk.insert("user".into(), json!(r.risk.user.keyword()));
    }
    if r.risk.insider != InsiderRiskLevel::None {
        risk.insert("insider".into(), json!(r.risk.insider.keyword()));
    }
    if !risk.is_empty() {
        out.insert("risk".into(), Value::Object(risk));
    }
    Value::Object(out)
}

/// The app as a request names it.
pub fn app_text(app: &AppRef) -> String {
    match app {
        AppRef::Named(a) => a.name().to_string(),
        AppRef::Id(id) => id.clone(),
        AppRef::Action(a) => format!("action:{}", a.name()),
        AppRef::AuthContext(c) => format!("auth_context:{c}"),
    }
}

/// The request as YAML, one line per section, ready to save and pass to `accord whatif`.
pub fn request_yaml(r: &Request) -> String {
    let Value::Object(map) = request_json(r) else {
        return String::new();
    };
    let mut out = String::new();
    for (key, value) in map {
        out.push_str(&key);
        out.push_str(": ");
        out.push_str(&flow_yaml(&value));
        out.push('\n');
    }
    out
}

/// JSON is YAML: a flow mapping with the keys left bare where they are plain words.
fn flow_yaml(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k}: {}", flow_yaml(v)))
                .collect();
            format!("{{ {} }}", items.join(", "))
        }
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(flow_yaml).collect();
            format!("[{}]", items.join(", "))
        }
        Value::String(s) => {
            let plain = !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'))
                && !matches!(
                    s.to_ascii_lowercase().as_str(),
                    "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "~"
                )
                && s.parse::<f64>().is_err()
                && !s.starts_with(['-', '.', '@']);
            if plain {
                s.clone()
            } else {
                Value::String(s.clone()).to_string()
            }
        }
        other => other.to_string(),
    }
}

//! Conditional Access policies.

use super::doc::{Layout, Node, Range};
use super::items::extension;
use super::lexical::{bracketed, commas, device_rule, name, quoted};
use crate::model::*;
use crate::source::Span;

pub(super) fn policy(p: &Policy) -> Node {
    let mut children = Vec::new();
    // `state = on` is the default: printed only when written, or when a program built a policy
    // in another state without saying it was written.
    if p.state_written || p.state.value != PolicyState::On {
        children.push(Node::line(
            format!("state = {}", p.state.value.as_str()),
            Some(Range::of(p.state.span)),
        ));
    }
    children.extend(users(&p.users));
    children.extend(p.conditions.workloads.as_ref().map(workloads));
    children.extend(apps(&p.apps));
    children.extend(conditions(&p.conditions));
    if let Some(g) = &p.grant {
        children.push(Node::line(grant(g), Some(Range::of(g.span))));
    }
    if let Some(s) = &p.session {
        children.push(session(s));
    }
    children.extend(extension(&p.extensions));
    let head = format!("policy {}", quoted(&p.name.value));
    Node::block(head, Layout::Multi, Some(Range::of(p.span)), children)
}

/// `include a, b` / `exclude c` lines of a `users` or `apps` block (none for an empty list).
fn inc_exc_lines<T>(
    include: &[Spanned<T>],
    exclude: &[Spanned<T>],
    print: impl Fn(&T) -> String,
) -> Vec<Node> {
    let mut lines = Vec::new();
    for (keyword, list) in [("include", include), ("exclude", exclude)] {
        if list.is_empty() {
            continue;
        }
        let items: Vec<String> = list.iter().map(|t| print(&t.value)).collect();
        let range = Range::cover(list.iter().map(|t| t.span));
        lines.push(Node::line(format!("{keyword} {}", commas(&items)), range));
    }
    lines
}

/// The `users` block; nothing when it targets no one (an empty block reads back the same).
fn users(u: &Users) -> Option<Node> {
    let lines = inc_exc_lines(&u.include, &u.exclude, user_target);
    (!lines.is_empty()).then(|| Node::block("users", Layout::Fit, Some(Range::of(u.span)), lines))
}

/// The `workloads` block (always printed when present: it is what makes a workload policy).
fn workloads(w: &Workloads) -> Node {
    let mut lines = inc_exc_lines(&w.include, &w.exclude, |t| match t {
        WorkloadTarget::All => "all".to_string(),
        WorkloadTarget::AllAgents => "all_agents".to_string(),
        WorkloadTarget::ServicePrincipal(id) => format!("service_principal {}", quoted(id)),
        WorkloadTarget::Agent(id) => format!("agent {}", quoted(id)),
    });
    for (keyword, filter) in [("filter", &w.filter), ("agent_filter", &w.agent_filter)] {
        if let Some(f) = filter {
            let mode = match f.mode.value {
                FilterMode::Include => "include",
                FilterMode::Exclude => "exclude",
            };
            let text = format!("{keyword} {mode} {}", device_rule(&f.rule.value));
            lines.push(Node::line(text, Range::cover([f.mode.span, f.rule.span])));
        }
    }
    Node::block("workloads", Layout::Fit, Some(Range::of(w.span)), lines)
}

fn apps(a: &Apps) -> Option<Node> {
    let lines = inc_exc_lines(&a.include, &a.exclude, app_target);
    (!lines.is_empty()).then(|| Node::block("apps", Layout::Fit, Some(Range::of(a.span)), lines))
}

fn user_target(t: &UserTarget) -> String {
    match t {
        UserTarget::All => "all".to_string(),
        UserTarget::None => "none".to_string(),
        UserTarget::GuestsOrExternal => "guests_or_external".to_string(),
        UserTarget::User(u) => format!("user {}", quoted(u)),
        UserTarget::Group(g) => format!("group {}", quoted(g)),
        UserTarget::Role(r) => format!("role {}", name(r)),
        UserTarget::External { types, origin } => {
            let types: Vec<String> = if types.is_empty() {
                vec!["all".to_string()]
            } else {
                types.iter().map(|t| t.value.name().to_string()).collect()
            };
            format!(
                "external({}) from {}",
                commas(&types),
                origin_text(&origin.value)
            )
        }
    }
}

fn origin_text(origin: &Origin) -> String {
    match origin {
        Origin::Any => "any".to_string(),
        Origin::Organization => "organization".to_string(),
        Origin::OutsideOrganization => "outside_organization".to_string(),
        Origin::Tenants(names) => {
            let names: Vec<String> = names.iter().map(|n| name(&n.value)).collect();
            format!("tenants({})", commas(&names))
        }
    }
}

pub(super) fn app_target(t: &AppTarget) -> String {
    match t {
        AppTarget::All => "all".to_string(),
        AppTarget::None => "none".to_string(),
        AppTarget::Office365 => "office365".to_string(),
        AppTarget::AdminPortals => "admin_portals".to_string(),
        AppTarget::Named(app) => app.name().to_string(),
        AppTarget::App(id) => format!("app {}", quoted(id)),
        AppTarget::Action(a) => format!("action {}", a.name()),
        AppTarget::AuthContext(c) => format!("auth_context {}", quoted(c)),
    }
}

/// The `conditions` block; nothing when no condition is set.
fn conditions(c: &Conditions) -> Option<Node> {
    let mut lines = Vec::new();
    if let Some(p) = &c.platforms {
        lines.push(inc_exc_condition("platforms", p, |p| p.name().to_string()));
    }
    if let Some(l) = &c.locations {
        lines.push(inc_exc_condition("locations", l, location_ref));
    }
    if let Some(list) = &c.client_apps {
        lines.push(list_condition("client_apps", list, |a| a.name()));
    }
    if let Some(list) = &c.sign_in_risk {
        lines.push(list_condition("sign_in_risk", list, |r| r.name()));
    }
    if let Some(list) = &c.user_risk {
        lines.push(list_condition("user_risk", list, |r| r.name()));
    }
    if let Some(list) = &c.insider_risk {
        lines.push(list_condition("insider_risk", list, |r| r.name()));
    }
    if let Some(d) = &c.devices {
        let mode = match d.mode.value {
            FilterMode::Include => "include",
            FilterMode::Exclude => "exclude",
        };
        let text = format!("devices = {mode} {}", device_rule(&d.rule.value));
        lines.push(Node::line(text, Range::cover([d.mode.span, d.rule.span])));
    }
    if let Some(list) = &c.auth_flows {
        lines.push(list_condition("auth_flows", list, |f| f.name()));
    }
    if let Some(list) = &c.service_principal_risk {
        lines.push(list_condition("service_principal_risk", list, |r| r.name()));
    }
    if let Some(list) = &c.agent_risk {
        lines.push(list_condition("agent_risk", list, |r| r.name()));
    }
    (!lines.is_empty())
        .then(|| Node::block("conditions", Layout::Fit, Some(Range::of(c.span)), lines))
}

/// `platforms = include(ios, android) exclude(windows)`.
fn inc_exc_condition<T>(
    keyword: &str,
    c: &IncludeExclude<T>,
    print: impl Fn(&T) -> String,
) -> Node {
    let names = |list: &[Spanned<T>]| -> String {
        let items: Vec<String> = list.iter().map(|x| print(&x.value)).collect();
        commas(&items)
    };
    let mut text = format!("{keyword} = include({})", names(&c.include));
    if !c.exclude.is_empty() {
        text.push_str(&format!(" exclude({})", names(&c.exclude)));
    }
    Node::line(text, Some(Range::of(c.span)))
}

fn location_ref(l: &LocationRef) -> String {
    match l {
        LocationRef::All => "all".to_string(),
        LocationRef::AllTrusted => "all_trusted".to_string(),
        LocationRef::MfaTrustedIps => "mfa_trusted_ips".to_string(),
        LocationRef::CompliantNetwork => "compliant_network".to_string(),
        LocationRef::Named(n) => name(n),
    }
}

/// `client_apps = [browser, other]`.
fn list_condition<T>(
    keyword: &str,
    list: &Spanned<Vec<Spanned<T>>>,
    print: impl Fn(&T) -> &'static str,
) -> Node {
    let items: Vec<String> = list
        .value
        .iter()
        .map(|x| print(&x.value).to_string())
        .collect();
    Node::line(
        format!("{keyword} = {}", bracketed(&items)),
        Some(Range::of(list.span)),
    )
}

/// `grant mfa`, `grant all(...)`, `grant any(...)`. A single control only reads back as
/// `Single` when it is alone; otherwise the list is printed with `all`.
fn grant(g: &Grant) -> String {
    let controls: Vec<String> = g.controls.iter().map(|c| control(&c.value)).collect();
    match (g.op.value, controls.as_slice()) {
        (GrantOp::Single, [only]) => format!("grant {only}"),
        (GrantOp::Any, _) => format!("grant any({})", commas(&controls)),
        _ => format!("grant all({})", commas(&controls)),
    }
}

fn control(c: &Control) -> String {
    match c {
        Control::TermsOfUse(t) => format!("terms_of_use {}", quoted(t)),
        Control::Custom(id) => format!("custom {}", quoted(id)),
        Control::AuthStrength(AuthStrength::BuiltIn(s)) => format!("auth_strength {}", s.name()),
        // Quoting is what makes the strength a custom one, so it is quoted even when bare-able.
        Control::AuthStrength(AuthStrength::Custom(id)) => {
            format!("auth_strength {}", quoted(id))
        }
        other => other.keyword().to_string(),
    }
}

fn session(s: &Session) -> Node {
    let mut lines = Vec::new();
    let mut line = |text: String, span: Span| lines.push(Node::line(text, Some(Range::of(span))));
    if let Some(f) = &s.sign_in_frequency {
        let secondary = if s.sign_in_frequency_secondary.is_some() {
            " secondary_authentication"
        } else {
            ""
        };
        line(
            format!("sign_in_frequency = {}{secondary}", frequency(f.value)),
            f.span,
        );
    }
    if let Some(p) = &s.persistent_browser {
        let mode = match p.value {
            PersistentBrowser::Always => "always",
            PersistentBrowser::Never => "never",
        };
        line(format!("persistent_browser = {mode}"), p.span);
    }
    if let Some(span) = s.app_enforced_restrictions {
        line("app_enforced_restrictions".to_string(), span);
    }
    if let Some(c) = &s.continuous_access_evaluation {
        let mode = match c.value {
            ContinuousAccessEvaluation::Strict => "strict",
            ContinuousAccessEvaluation::StrictLocation => "strict_location",
            ContinuousAccessEvaluation::Disabled => "disabled",
        };
        line(format!("continuous_access_evaluation = {mode}"), c.span);
    }
    if let Some(c) = &s.cloud_app_security {
        let mode = match c.value {
            CloudAppSecurity::MonitorOnly => "monitor_only",
            CloudAppSecurity::BlockDownloads => "block_downloads",
            CloudAppSecurity::McasConfigured => "mcas_configured",
        };
        line(format!("cloud_app_security = {mode}"), c.span);
    }
    if let Some(span) = s.disable_resilience_defaults {
        line("disable_resilience_defaults".to_string(), span);
    }
    if let Some(span) = s.token_protection {
        line("token_protection".to_string(), span);
    }
    if let Some(p) = &s.security_profile {
        line(format!("security_profile = {}", quoted(&p.value)), p.span);
    }
    // An empty `session {}` is kept: the model tells it apart from no session block.
    Node::block("session", Layout::Fit, Some(Range::of(s.span)), lines)
}

fn frequency(f: SignInFrequency) -> String {
    match f {
        SignInFrequency::EveryTime => "every_time".to_string(),
        SignInFrequency::Every { value, unit } => match unit {
            FrequencyUnit::Hours => format!("{value}h"),
            FrequencyUnit::Days => format!("{value}d"),
        },
    }
}

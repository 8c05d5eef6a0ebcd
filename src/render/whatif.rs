//! `accord whatif` output: text for people, JSON for programs.
//!
//! # JSON (stable fields)
//!
//! ```text
//! {
//!   "decision": "allow" | "challenge" | "block",     the most restrictive possible outcome
//!   "possible": ["allow", "block"],                  every possible decision, least strict first
//!   "depends_on": ["network.country"],               missing signals (or undecidable facts:
//!                                                    "device.attributes", "pack") an enforced
//!                                                    policy's applicability depends on
//!   "requirements": [                                only for "challenge": what to complete
//!     {"control": "mfa", "where": "resource" | "home", "tenant": "contoso"},
//!     {"any": [{"control": ..., "where": ..., "tenant": ...}, ...]}
//!   ],
//!   "user": {"name", "kind": "member" | "internal_guest" | "b2b_guest" | "b2b_member" |
//!            "direct_connect" | "service_provider" | "other_external",
//!            "organization": "internal" | "in" | "out", "home": tenant or null,
//!            "home_inferred": true when `home` was read from the e-mail domain,
//!            "trust": {"mfa", "compliant_device", "hybrid_joined", "source"} or null,
//!            "summary": text,
//!            "filled": [{"field": "user.type", "value": "guest",
//!                        "from": "directory" | "dynamic" | "overridden",
//!                        "directory": the directory's value (only for "overridden")}]},
//!   "gate": {"result": "allowed" | "blocked" | "not_applicable",
//!            "setting": "b2b_collaboration" | "b2b_direct_connect" | null, "reason": text},
//!   "assignment": null (the app does not require assignment, or the gate blocked first) |
//!            {"app": name, "result": "allowed" | "blocked",
//!             "by": "user" | "group" | "global_administrator" | "not_assigned" |
//!                   "no_user_object" | "unknown",
//!             "assignee": the user or group as written, or null, "reason": text},
//!   "policies": [policy...],                         `on` and `off` policies, pack order
//!   "report_only": [policy...],                      never enforced
//!   "session": {"sign_in_frequency": {"value": "8h", "policy": name}, "persistent_browser",
//!               "app_enforced_restrictions", "continuous_access_evaluation",
//!               "cloud_app_security", "disable_resilience_defaults"}   (only those that apply)
//!   "scenarios": [{"device.platform", "network.ip", "network.country", "best", "worst"}]
//! }
//! policy = {"name", "state": "on" | "off" | "report_only",
//!           "applies": true | false | null (null: depends on a missing signal, see
//!                      "depends_on"), "reason": text,
//!           "result": "satisfied" | "challenge" | "unsatisfiable" | "block" | null,
//!           "report_result": "success" | "failure" | "user_action_required" | "not_applied"
//!                            (report-only policies only),
//!           "depends_on": [...],
//!           "conditions": [{"condition", "outcome": "yes" | "no" | "unknown", "reason"}],
//!           "controls": [{"control", "status": "satisfied" | "challenge" | "unsatisfiable" |
//!                         "block", "where": "resource" | "home" | null, "reason"}]}
//! ```

use std::fmt::Write as _;

use serde_json::{json, Map, Value};

use crate::eval::directory::{Assignment, AssignmentVerdict, Filled};
use crate::eval::trace::{
    Gate, Home, Place, PolicyResult, PolicyTrace, Signals, Status, Trace, Tri,
};
use crate::eval::{Decision, Evaluation, Requirement, RequirementItem, SessionOutcome};
use crate::model::{
    CloudAppSecurity, ContinuousAccessEvaluation, FrequencyUnit, PersistentBrowser, PolicyState,
    SignInFrequency,
};

// ---- text -----------------------------------------------------------------------------------

/// The first line: `ALLOW`, `CHALLENGE: mfa, terms_of_use "Partner terms"`, `BLOCK`, or
/// `BLOCK (ALLOW possible) depending on network.country`.
pub fn headline(e: &Evaluation<'_>) -> String {
    let mut out = e.decision.name().to_uppercase();
    if e.decision == Decision::Challenge && !e.requirements.is_empty() {
        let reqs: Vec<String> = e.requirements.iter().map(|r| r.to_string()).collect();
        let _ = write!(out, ": {}", reqs.join(", "));
    }
    if e.possible.len() > 1 {
        let others: Vec<String> = e
            .possible
            .iter()
            .filter(|d| *d != e.decision)
            .map(|d| d.name().to_uppercase())
            .collect();
        let _ = write!(out, " ({} possible)", others.join(", "));
        if !e.depends_on.is_empty() {
            let _ = write!(out, " depending on {}", e.depends_on);
        }
    }
    out
}

/// How the text explanation is shown.
#[derive(Debug, Clone, Copy, Default)]
pub struct View {
    /// Colour the decision (green allow, yellow challenge, red block) and the policy marks.
    pub color: bool,
    /// List only the policies that apply or may apply (`--applied-only`), with a count of the
    /// others.
    pub applied_only: bool,
}

/// The whole explanation.
pub fn text(e: &Evaluation<'_>) -> String {
    text_with(e, View::default())
}

/// The explanation as `accord whatif` prints it.
pub fn text_with(e: &Evaluation<'_>, view: View) -> String {
    text_filled(e, view, &[])
}

/// The explanation with what the directory filled in the request.
pub fn text_filled(e: &Evaluation<'_>, view: View, filled: &[Filled]) -> String {
    use owo_colors::OwoColorize;
    let t = &e.trace;
    let mut out = String::new();
    let head = headline(e);
    if view.color {
        let _ = match e.decision {
            Decision::Allow => writeln!(out, "{}", head.green().bold()),
            Decision::Challenge => writeln!(out, "{}", head.yellow().bold()),
            Decision::Block => writeln!(out, "{}", head.red().bold()),
        };
    } else {
        let _ = writeln!(out, "{head}");
    }
    let _ = writeln!(out, "user: {}", t.user);
    for f in filled {
        let _ = writeln!(out, "directory: {f}");
    }
    if let Some(trust) = &t.user.trust {
        let _ = writeln!(out, "trust: {trust}");
    }
    let _ = writeln!(out, "cross-tenant: {}", t.gate);
    if !t.gate.allows() {
        let _ = writeln!(
            out,
            "conditional access: not evaluated (the cross-tenant settings block first)"
        );
        return out;
    }
    if let Some(a) = &t.assignment {
        let _ = writeln!(out, "app assignment: {a}");
        if !a.allows() {
            let _ = writeln!(
                out,
                "conditional access: not evaluated (the app's assignment requirement blocks first)"
            );
            return out;
        }
    }
    let shown = |p: &&PolicyTrace<'_>| {
        !view.applied_only || (p.state() != PolicyState::Off && p.applies != Tri::No)
    };
    for (title, list) in [
        ("policies", &t.policies),
        ("report-only (never enforced)", &t.report_only),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}:");
        for p in list.iter().filter(shown) {
            policy_text(&mut out, t, p, view.color);
        }
        let hidden = list.len() - list.iter().filter(shown).count();
        if hidden > 0 {
            let _ = writeln!(
                out,
                "  ({hidden} more that {} not apply: drop `--applied-only` to list them)",
                if hidden == 1 { "does" } else { "do" }
            );
        }
    }
    if !e.session.is_empty() {
        let _ = writeln!(out, "\nsession: {}", session_text(&e.session));
        if strict_location(&e.session) {
            let _ = writeln!(out, "  note: {STRICT_LOCATION_NOTE}");
        }
    }
    if e.possible.len() > 1 && !t.scenarios.is_empty() {
        out.push_str("\npossible outcomes:\n");
        const SHOWN: usize = 24;
        for s in t.scenarios.iter().take(SHOWN) {
            let mut parts = Vec::new();
            if let Some(p) = s.platform {
                parts.push(format!("device.platform = {}", p.name()));
            }
            if let Some(ip) = s.ip {
                parts.push(format!("network.ip = {ip}"));
            }
            if let Some(c) = s.country {
                parts.push(format!("network.country = {c}"));
            }
            let d = if s.best == s.worst {
                s.worst.name().to_string()
            } else {
                format!("{} to {}", s.best.name(), s.worst.name())
            };
            let _ = writeln!(out, "  {}: {d}", parts.join(", "));
        }
        if t.scenarios.len() > SHOWN {
            let _ = writeln!(out, "  ... and {} more", t.scenarios.len() - SHOWN);
        }
    }
    out
}

fn policy_text<'a>(out: &mut String, t: &Trace<'a>, p: &PolicyTrace<'a>, color: bool) {
    use owo_colors::OwoColorize;
    let name = &p.policy.name.value;
    let state = p.state().as_str();
    if p.state() == PolicyState::Off {
        let _ = writeln!(out, "  - {name:?} (off): ignored");
        return;
    }
    let verdict = match (p.applies, p.result()) {
        (Tri::No, _) => "does not apply".to_string(),
        (Tri::Yes, Some(r)) => format!("applies -> {}", r.name()),
        (Tri::Unknown, Some(r)) => format!("may apply ({}) -> {}", p.needs, r.name()),
        (_, None) => "applies".to_string(),
    };
    let mark = match (p.applies, color) {
        (Tri::Yes, false) => "+".to_string(),
        (Tri::No, false) => "-".to_string(),
        (Tri::Unknown, false) => "?".to_string(),
        (Tri::Yes, true) => "+".green().to_string(),
        (Tri::No, true) => "-".dimmed().to_string(),
        (Tri::Unknown, true) => "?".yellow().to_string(),
    };
    let _ = writeln!(out, "  {mark} {name:?} ({state}): {verdict}");
    if p.state() == PolicyState::ReportOnly {
        let _ = writeln!(out, "      report-only result: {}", report_result(p));
    }
    for c in t.failing(p) {
        let _ = writeln!(out, "      {c}");
    }
    for c in t.controls(p) {
        let _ = writeln!(out, "      {c}");
    }
    for (e, effect) in crate::model::unmodelled::effects(p.policy) {
        let _ = writeln!(
            out,
            "      not modelled: `{}`: {}",
            e.pointer.value,
            effect.describe()
        );
    }
}

fn frequency_text(f: SignInFrequency) -> String {
    match f {
        SignInFrequency::EveryTime => "every_time".to_string(),
        SignInFrequency::Every { value, unit } => match unit {
            FrequencyUnit::Hours => format!("{value}h"),
            FrequencyUnit::Days => format!("{value}d"),
        },
    }
}

fn browser_text(b: PersistentBrowser) -> &'static str {
    match b {
        PersistentBrowser::Always => "always",
        PersistentBrowser::Never => "never",
    }
}

/// What accord does not decide under `strict_location` (README, continuous access evaluation).
const STRICT_LOCATION_NOTE: &str = "continuous access evaluation strict_location: the resource also enforces the location policies on the IP address it sees, which accord does not decide (only the sign-in's `network.ip` is)";

fn strict_location(s: &SessionOutcome<'_>) -> bool {
    s.continuous_access_evaluation
        .is_some_and(|(c, _)| c == ContinuousAccessEvaluation::StrictLocation)
}

fn cae_text(c: ContinuousAccessEvaluation) -> &'static str {
    match c {
        ContinuousAccessEvaluation::Strict => "strict",
        ContinuousAccessEvaluation::StrictLocation => "strict_location",
        ContinuousAccessEvaluation::Disabled => "disabled",
    }
}

fn mcas_text(c: CloudAppSecurity) -> &'static str {
    match c {
        CloudAppSecurity::MonitorOnly => "monitor_only",
        CloudAppSecurity::BlockDownloads => "block_downloads",
        CloudAppSecurity::McasConfigured => "mcas_configured",
    }
}

/// `(name, value, policy)` for every session control in force, in a fixed order.
fn session_entries<'a>(s: &SessionOutcome<'a>) -> Vec<(&'static str, String, &'a str)> {
    let mut v = Vec::new();
    if let Some((f, p)) = s.sign_in_frequency {
        let mut text = frequency_text(f);
        if s.sign_in_frequency_secondary {
            text.push_str(" secondary_authentication");
        }
        v.push(("sign_in_frequency", text, p));
    }
    if let Some((b, p)) = s.persistent_browser {
        v.push(("persistent_browser", browser_text(b).to_string(), p));
    }
    if let Some(p) = s.app_enforced_restrictions {
        v.push(("app_enforced_restrictions", "on".to_string(), p));
    }
    if let Some((c, p)) = s.continuous_access_evaluation {
        v.push(("continuous_access_evaluation", cae_text(c).to_string(), p));
    }
    if let Some((c, p)) = s.cloud_app_security {
        v.push(("cloud_app_security", mcas_text(c).to_string(), p));
    }
    if let Some(p) = s.disable_resilience_defaults {
        v.push(("disable_resilience_defaults", "on".to_string(), p));
    }
    if let Some(p) = s.token_protection {
        v.push(("token_protection", "on".to_string(), p));
    }
    for (id, p) in &s.security_profiles {
        v.push(("security_profile", format!("{id:?}"), *p));
    }
    v
}

fn session_text(s: &SessionOutcome<'_>) -> String {
    session_entries(s)
        .iter()
        .map(|(n, v, p)| format!("{n} = {v} (from {p:?})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The sign-in log's report-only outcome (§2.3).
fn report_result(p: &PolicyTrace<'_>) -> &'static str {
    match (p.applies, p.result()) {
        (Tri::No, _) | (_, None) => "not_applied",
        (_, Some(PolicyResult::Satisfied)) => "success",
        (_, Some(PolicyResult::Challenge)) => "user_action_required",
        (_, Some(_)) => "failure",
    }
}

// ---- JSON -----------------------------------------------------------------------------------

pub fn json(e: &Evaluation<'_>) -> Value {
    json_filled(e, &[])
}

/// The JSON answer with what the directory filled in the request.
pub fn json_filled(e: &Evaluation<'_>, filled: &[Filled]) -> Value {
    let t = &e.trace;
    let home = match t.user.home {
        Home::Resource(n) | Home::Declared(n) | Home::Undeclared(n) => Value::from(n),
        Home::NoEntra => Value::Null,
    };
    let trust = t.user.trust.map_or(Value::Null, |tr| {
        json!({
            "mfa": tr.mfa,
            "compliant_device": tr.compliant_device,
            "hybrid_joined": tr.hybrid_joined,
            "source": tr.source.to_string(),
        })
    });
    let (gate_result, setting) = match &t.gate {
        Gate::Internal | Gate::NoEntraHome => ("not_applicable", Value::Null),
        Gate::Checked { setting, .. } => (
            if t.gate.allows() {
                "allowed"
            } else {
                "blocked"
            },
            Value::from(setting.name()),
        ),
        Gate::NotServiceProvider { .. } => ("blocked", Value::from("b2b_collaboration")),
        Gate::DirectConnectApp => ("blocked", Value::from("b2b_direct_connect")),
    };
    let mut session = Map::new();
    for (n, v, p) in session_entries(&e.session) {
        if n == "security_profile" {
            continue;
        }
        session.insert(n.to_string(), json!({"value": v, "policy": p}));
    }
    if strict_location(&e.session) {
        if let Some(Value::Object(cae)) = session.get_mut("continuous_access_evaluation") {
            cae.insert("note".into(), json!(STRICT_LOCATION_NOTE));
        }
    }
    if !e.session.security_profiles.is_empty() {
        let list: Vec<Value> = e
            .session
            .security_profiles
            .iter()
            .map(|(id, p)| json!({"value": id, "policy": p}))
            .collect();
        session.insert("security_profiles".into(), Value::Array(list));
    }
    json!({
        "decision": e.decision.name(),
        "possible": e.possible.iter().map(|d| d.name()).collect::<Vec<_>>(),
        "depends_on": signal_names(e.depends_on),
        "requirements": e.requirements.iter().map(requirement_json).collect::<Vec<_>>(),
        "user": {
            "name": t.user.name,
            "kind": t.user.kind.name(),
            "organization": t.user.organization.name(),
            "home": home,
            "home_inferred": t.user.home_inferred,
            "trust": trust,
            "summary": t.user.to_string(),
            "filled": serde_json::to_value(filled).unwrap_or(Value::Null),
        },
        "gate": {
            "result": gate_result,
            "setting": setting,
            "reason": t.gate.to_string(),
        },
        "assignment": t.assignment.as_ref().map_or(Value::Null, assignment_json),
        "policies": t.policies.iter().map(|p| policy_json(t, p)).collect::<Vec<_>>(),
        "report_only": t.report_only.iter().map(|p| policy_json(t, p)).collect::<Vec<_>>(),
        "session": Value::Object(session),
        "scenarios": t.scenarios.iter().map(|s| json!({
            "device.platform": s.platform.map(|p| p.name()),
            "network.ip": s.ip.map(|ip| ip.to_string()),
            "network.country": s.country.map(|c| c.to_string()),
            "best": s.best.name(),
            "worst": s.worst.name(),
        })).collect::<Vec<_>>(),
    })
}

fn assignment_json(a: &Assignment<'_>) -> Value {
    let (by, assignee) = match a.verdict {
        AssignmentVerdict::User(u) => ("user", Value::from(u)),
        AssignmentVerdict::Group(g) => ("group", Value::from(g)),
        AssignmentVerdict::GlobalAdministrator => ("global_administrator", Value::Null),
        AssignmentVerdict::NotAssigned => ("not_assigned", Value::Null),
        AssignmentVerdict::NoUserObject(_) => ("no_user_object", Value::Null),
        AssignmentVerdict::Unknown(_) => ("unknown", Value::Null),
    };
    json!({
        "app": a.app.name.value,
        "result": if a.allows() { "allowed" } else { "blocked" },
        "by": by,
        "assignee": assignee,
        "reason": a.to_string(),
    })
}

fn signal_names(s: Signals) -> Vec<&'static str> {
    s.names().collect()
}

fn item_json(i: &RequirementItem<'_>) -> Value {
    json!({
        "control": crate::eval::trace::ControlName(i.control).to_string(),
        "where": place_name(i.place),
        "tenant": i.tenant,
    })
}

fn requirement_json(r: &Requirement<'_>) -> Value {
    match r {
        Requirement::One(i) => item_json(i),
        Requirement::AnyOf(items) => {
            json!({"any": items.iter().map(item_json).collect::<Vec<_>>()})
        }
    }
}

fn place_name(p: Place) -> &'static str {
    match p {
        Place::Resource => "resource",
        Place::Home => "home",
    }
}

fn policy_reason<'a>(t: &Trace<'a>, p: &PolicyTrace<'a>) -> String {
    if p.state() == PolicyState::Off {
        return "the policy is off".to_string();
    }
    match p.applies {
        Tri::Yes => "every condition matches".to_string(),
        _ => t
            .failing(p)
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join("; "),
    }
}

fn policy_json<'a>(t: &Trace<'a>, p: &PolicyTrace<'a>) -> Value {
    let mut v = json!({
        "name": p.policy.name.value,
        "state": p.state().as_str(),
        "applies": match p.applies {
            Tri::Yes => Value::Bool(true),
            Tri::No => Value::Bool(false),
            Tri::Unknown => Value::Null,
        },
        "reason": policy_reason(t, p),
        "result": p.result().map(|r| r.name()),
    });
    if let Value::Object(map) = &mut v {
        if p.state() == PolicyState::ReportOnly {
            map.insert("report_result".into(), Value::from(report_result(p)));
        }
        map.insert("depends_on".into(), json!(signal_names(p.needs)));
        let unmodelled = crate::model::unmodelled::effects(p.policy);
        if !unmodelled.is_empty() {
            map.insert(
                "unmodelled".into(),
                unmodelled
                    .iter()
                    .map(|(e, effect)| json!({"pointer": e.pointer.value, "effect": effect}))
                    .collect(),
            );
        }
        map.insert(
            "conditions".into(),
            Value::Array(
                t.conditions(p)
                    .iter()
                    .map(|c| {
                        json!({
                            "condition": c.condition.name(),
                            "outcome": c.outcome.name(),
                            "reason": c.to_string(),
                        })
                    })
                    .collect(),
            ),
        );
        map.insert(
            "controls".into(),
            Value::Array(
                t.controls(p)
                    .iter()
                    .map(|c| {
                        json!({
                            "control": c.control.to_string(),
                            "status": c.status.name(),
                            "where": match c.status {
                                Status::Challenge(place) => Value::from(place_name(place)),
                                _ => Value::Null,
                            },
                            "reason": c.because.to_string(),
                        })
                    })
                    .collect(),
            ),
        );
    }
    v
}

//! Workload identities (issue 14, items 2 and 6): may a service principal get a token?
//!
//! Sources (Microsoft Learn, "Conditional Access for workload identities"):
//! - policies for workload identities apply to single-tenant service principals registered in
//!   the tenant; third-party SaaS and multi-tenant apps are out of scope, and managed identities
//!   are not covered by policy;
//! - such a policy is assigned to service principals (`clientApplications`:
//!   `includeServicePrincipals` with `ServicePrincipalsInMyTenant` or object ids,
//!   `excludeServicePrincipals`, `servicePrincipalFilter` over custom security attributes),
//!   not to users; its conditions are locations and service principal risk; "Block" is the only
//!   grant control.
//! - Microsoft Graph, conditionalAccessClientApplications (v1.0 and beta: the beta adds agent
//!   identity targets, `includeAgentIdServicePrincipals`...) and conditionalAccessConditionSet
//!   (`servicePrincipalRiskLevels`; beta `agentIdRiskLevels`).
//!
//! Where accord cannot decide a condition (a signal left out of the request, a filter over
//! custom security attributes, anything about agent identities, which are in preview and not
//! documented well enough to decide) the condition is unknown; an enforced policy that may
//! apply blocks (fail closed) and the answer says it is not decided and on what it depends.
//! As for user requests, the decision is read from the trace: every policy, every condition.

use std::fmt::Write as _;

use serde::{Serialize, Serializer};

use super::compile::Compiled;
use super::conditions::location;
use super::resolve::Net;
use super::trace::Tri;
use crate::model::workload::WorkloadRequest;
use crate::model::{
    AppTarget, LocationRef, Policy, PolicyState, RiskLevel, WorkloadTarget, Workloads,
};

/// What the platform does with the token request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkloadOutcome {
    Allow,
    Block,
}

impl WorkloadOutcome {
    pub fn name(self) -> &'static str {
        match self {
            WorkloadOutcome::Allow => "allow",
            WorkloadOutcome::Block => "block",
        }
    }
}

fn tri_name<S: Serializer>(t: &Tri, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(match t {
        Tri::Yes => "yes",
        Tri::No => "no",
        Tri::Unknown => "unknown",
    })
}

/// One condition of one policy, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkloadCheck {
    pub condition: &'static str,
    #[serde(serialize_with = "tri_name")]
    pub result: Tri,
    pub reason: String,
    /// What the condition depends on when it is not decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<&'static str>,
}

/// One policy of the pack and what it does to the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkloadPolicyTrace {
    pub name: String,
    pub state: PolicyState,
    /// Whether every condition holds (`unknown`: some could not be decided).
    #[serde(serialize_with = "tri_name")]
    pub applies: Tri,
    pub checks: Vec<WorkloadCheck>,
}

impl WorkloadPolicyTrace {
    /// Whether the policy is for users (so it was not evaluated for the workload).
    pub fn for_users(&self) -> bool {
        self.checks
            .first()
            .is_some_and(|c| c.condition == "identity")
            && self.checks.len() == 1
            && self.checks[0].reason == FOR_USERS
    }
}

const FOR_USERS: &str = "a policy for users: it never applies to a workload identity";

/// The answer to a `workload:` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkloadDecision {
    pub decision: WorkloadOutcome,
    /// `false` when the decision is a fail-closed block: an enforced policy may apply.
    pub decided: bool,
    /// Why, in one sentence.
    pub reason: String,
    /// The signals and features the undecided conditions depend on.
    pub depends_on: Vec<&'static str>,
    /// Enforced policies that apply (or may: `decided` is then false).
    pub blocked_by: Vec<String>,
    /// Report-only policies that would have blocked.
    pub report_only: Vec<String>,
    pub policies: Vec<WorkloadPolicyTrace>,
}

/// Decides a workload request against a compiled pack.
pub fn decide_workload(c: &Compiled, request: &WorkloadRequest) -> WorkloadDecision {
    let (inside, known) = c.locate(request.ip, request.country);
    let net = Net {
        platform: None,
        ip: request.ip,
        country: request.country,
        loc_in: inside,
        loc_known: known,
        // A workload's token request says nothing of Global Secure Access: a policy whose
        // location condition names the compliant network is not decided for it (fail closed).
        compliant_network: None,
    };
    let out_of_scope = scope(request);
    let policies: Vec<WorkloadPolicyTrace> = c
        .pack
        .policies
        .iter()
        .map(|p| policy_trace(c, &net, p, request, out_of_scope.is_some()))
        .collect();
    from_trace(request, policies, out_of_scope)
}

/// Why the request is out of the reach of Conditional Access for workload identities.
fn scope(request: &WorkloadRequest) -> Option<&'static str> {
    if request.managed_identity {
        Some("managed identities are not covered by Conditional Access for workload identities")
    } else if !request.single_tenant && !request.agent {
        Some("Conditional Access for workload identities applies to single-tenant service principals registered in the tenant; multi-tenant and third-party apps are out of scope")
    } else {
        None
    }
}

/// The decision, read from the trace.
fn from_trace(
    request: &WorkloadRequest,
    policies: Vec<WorkloadPolicyTrace>,
    out_of_scope: Option<&'static str>,
) -> WorkloadDecision {
    let enforced = |t: Tri| {
        policies
            .iter()
            .filter(move |p| p.state == PolicyState::On && p.applies == t)
    };
    let blocked: Vec<String> = enforced(Tri::Yes).map(|p| p.name.clone()).collect();
    let maybe: Vec<&WorkloadPolicyTrace> = enforced(Tri::Unknown).collect();
    let report_only = policies
        .iter()
        .filter(|p| p.state == PolicyState::ReportOnly && p.applies != Tri::No)
        .map(|p| p.name.clone())
        .collect();
    let mut depends_on: Vec<&'static str> = Vec::new();
    for p in &maybe {
        for d in p.checks.iter().filter_map(|c| c.depends_on) {
            if !depends_on.contains(&d) {
                depends_on.push(d);
            }
        }
    }
    let who = request.label();
    let (decision, decided, reason, blocked_by) = if let Some(why) = out_of_scope {
        (
            WorkloadOutcome::Allow,
            true,
            format!("no policy applies to {who}: {why}"),
            Vec::new(),
        )
    } else if !blocked.is_empty() {
        let verb = if blocked.len() == 1 {
            "blocks"
        } else {
            "block"
        };
        let reason = format!("{} {verb} {who}", names(&blocked));
        (WorkloadOutcome::Block, true, reason, blocked)
    } else if !maybe.is_empty() {
        let names_maybe: Vec<String> = maybe.iter().map(|p| p.name.clone()).collect();
        let reason = format!(
            "not decided: {} may apply to {who} (depends on {}); a policy that may block blocks (fail closed)",
            names(&names_maybe),
            depends_on.join(", ")
        );
        (WorkloadOutcome::Block, false, reason, names_maybe)
    } else {
        (
            WorkloadOutcome::Allow,
            true,
            format!("no enforced policy for workload identities applies to {who}"),
            Vec::new(),
        )
    };
    WorkloadDecision {
        decision,
        decided,
        reason,
        depends_on,
        blocked_by,
        report_only,
        policies,
    }
}

fn names(list: &[String]) -> String {
    let quoted: Vec<String> = list.iter().map(|n| format!("policy `{n}`")).collect();
    quoted.join(", ")
}

fn check(condition: &'static str, result: Tri, reason: impl Into<String>) -> WorkloadCheck {
    WorkloadCheck {
        condition,
        result,
        reason: reason.into(),
        depends_on: None,
    }
}

fn unknown(condition: &'static str, reason: impl Into<String>, on: &'static str) -> WorkloadCheck {
    WorkloadCheck {
        condition,
        result: Tri::Unknown,
        reason: reason.into(),
        depends_on: Some(on),
    }
}

fn policy_trace(
    c: &Compiled,
    net: &Net,
    p: &Policy,
    request: &WorkloadRequest,
    out_of_scope: bool,
) -> WorkloadPolicyTrace {
    let mut checks = Vec::new();
    match (&p.conditions.workloads, p.state.value) {
        (None, _) => checks.push(check("identity", Tri::No, FOR_USERS)),
        (Some(_), PolicyState::Off) => checks.push(check("state", Tri::No, "the policy is off")),
        (Some(_), _) if out_of_scope => checks.push(check(
            "identity",
            Tri::No,
            "the service principal is out of scope",
        )),
        (Some(w), _) => {
            checks.push(identity(w, p, request));
            checks.extend(filter(w, request));
            checks.push(apps(p, request));
            checks.extend(locations(c, net, p));
            checks.extend(risk(p, request));
        }
    }
    let applies = checks.iter().fold(Tri::Yes, |a, ch| a.and(ch.result));
    WorkloadPolicyTrace {
        name: p.name.value.clone(),
        state: p.state.value,
        applies,
        checks,
    }
}

fn same_id(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// The include and exclude lists of the `workloads` block.
fn identity(w: &Workloads, p: &Policy, request: &WorkloadRequest) -> WorkloadCheck {
    if request.agent {
        // Agent identities (preview): which targets cover them is not documented well enough.
        return unknown(
            "identity",
            "agent identities (preview) are not decided by accord",
            "agent identity targets (preview)",
        );
    }
    if p.extensions.iter().any(|e| {
        e.pointer
            .value
            .starts_with("/conditions/clientApplications")
    }) {
        return unknown(
            "identity",
            "the policy's `clientApplications` holds a value accord does not model",
            "unmodelled clientApplications",
        );
    }
    if w.include.is_empty() && p.conditions.agent_risk.is_some() {
        return check(
            "identity",
            Tri::No,
            "the policy targets agent identities only",
        );
    }
    let hit = |list: &[crate::model::Spanned<WorkloadTarget>]| {
        list.iter().find_map(|t| match &t.value {
            WorkloadTarget::All => Some("`all`".to_string()),
            WorkloadTarget::ServicePrincipal(id) if same_id(id, &request.service_principal) => {
                Some(format!("`service_principal \"{id}\"`"))
            }
            _ => None,
        })
    };
    let who = request.label();
    match (hit(&w.include), hit(&w.exclude)) {
        (Some(_), Some(by)) => check("identity", Tri::No, format!("{who} is excluded by {by}")),
        (Some(by), None) => check("identity", Tri::Yes, format!("{who} is included by {by}")),
        (None, _) => check("identity", Tri::No, format!("{who} is not included")),
    }
}

/// `filter include|exclude "<rule>"` over custom security attributes: accord keeps the rule
/// and does not evaluate it, so it is not decided (fail closed).
fn filter(w: &Workloads, request: &WorkloadRequest) -> Option<WorkloadCheck> {
    let f = w.filter.as_ref()?;
    let mut reason = format!(
        "the {} filter `{}` over custom security attributes is not evaluated by accord",
        match f.mode.value {
            crate::model::FilterMode::Include => "include",
            crate::model::FilterMode::Exclude => "exclude",
        },
        f.rule.value
    );
    if !request.attributes.is_empty() {
        let _ = write!(reason, " (the request's attributes are kept for the trace)");
    }
    Some(unknown("filter", reason, "service principal filter"))
}

/// The resource: `all` covers every one; an application id must be the request's `app`.
fn apps(p: &Policy, request: &WorkloadRequest) -> WorkloadCheck {
    let side = |list: &[crate::model::Spanned<AppTarget>]| -> (Tri, Option<String>) {
        let mut out = Tri::No;
        let mut by = None;
        for t in list {
            let r = match (&t.value, &request.app) {
                (AppTarget::All, _) => Tri::Yes,
                (AppTarget::None, _) => Tri::No,
                (AppTarget::App(id), Some(app)) => Tri::from_bool(same_id(id, app)),
                (AppTarget::App(_), None) => Tri::Unknown,
                // First-party groups, actions and contexts: not decided for workloads.
                _ => Tri::Unknown,
            };
            if r == Tri::Yes && by.is_none() {
                by = Some(match &t.value {
                    AppTarget::App(id) => format!("app \"{id}\""),
                    _ => "all".to_string(),
                });
            }
            out = out.or(r);
        }
        (out, by)
    };
    let (inc, by) = side(&p.apps.include);
    let (exc, ex_by) = side(&p.apps.exclude);
    let t = inc.and(exc.negate());
    let app = request.app.as_deref().unwrap_or("(not given)");
    match t {
        Tri::Yes => check(
            "apps",
            t,
            format!("resource `{app}` is included by `{}`", by.unwrap_or_default()),
        ),
        Tri::No => match ex_by {
            Some(ex) => check("apps", t, format!("resource `{app}` is excluded by `{ex}`")),
            None => check("apps", t, format!("resource `{app}` is not included")),
        },
        Tri::Unknown => unknown(
            "apps",
            "the policy names applications the request does not decide (give `app: <application id>`)",
            "app",
        ),
    }
}

fn location_name(l: &LocationRef) -> String {
    match l {
        LocationRef::All => "all".to_string(),
        LocationRef::AllTrusted => "all_trusted".to_string(),
        LocationRef::MfaTrustedIps => "mfa_trusted_ips".to_string(),
        LocationRef::CompliantNetwork => "compliant_network".to_string(),
        LocationRef::Named(n) => n.clone(),
    }
}

fn locations(c: &Compiled, net: &Net, p: &Policy) -> Option<WorkloadCheck> {
    let l = p.conditions.locations.as_ref()?;
    let side = |list: &[crate::model::Spanned<LocationRef>]| {
        let mut out = Tri::No;
        let mut by = None;
        for r in list {
            let (t, _) = location(c, net, c.loc_m(&r.value));
            if t == Tri::Yes && by.is_none() {
                by = Some(location_name(&r.value));
            }
            out = out.or(t);
        }
        (out, by)
    };
    let (inc, by) = side(&l.include);
    let (exc, ex_by) = side(&l.exclude);
    let t = inc.and(exc.negate());
    let place = match (net.ip, net.country) {
        (Some(ip), Some(country)) => format!("`{ip}` ({country})"),
        (Some(ip), None) => format!("`{ip}`"),
        (None, Some(country)) => format!("country `{country}`"),
        (None, None) => "the request's address".to_string(),
    };
    Some(match t {
        Tri::Yes => check(
            "locations",
            t,
            format!("{place} is in `{}`", by.unwrap_or_default()),
        ),
        Tri::No => match ex_by {
            Some(ex) => check("locations", t, format!("{place} is in excluded `{ex}`")),
            None => check(
                "locations",
                t,
                format!("{place} is in no included location"),
            ),
        },
        Tri::Unknown => unknown(
            "locations",
            "where the request comes from is not known (give `ip` and `country`)",
            "ip or country",
        ),
    })
}

fn levels(list: &[crate::model::Spanned<RiskLevel>]) -> String {
    let names: Vec<&str> = list.iter().map(|r| r.name()).collect();
    format!("[{}]", names.join(", "))
}

fn risk(p: &Policy, request: &WorkloadRequest) -> Vec<WorkloadCheck> {
    let mut out = Vec::new();
    if let Some(list) = &p.conditions.service_principal_risk {
        out.push(match request.risk {
            Some(r) => {
                let hit = list.iter().any(|x| x.value == r);
                check(
                    "service_principal_risk",
                    Tri::from_bool(hit),
                    format!(
                        "risk `{}` {} {}",
                        r.name(),
                        if hit { "is in" } else { "is not in" },
                        levels(list)
                    ),
                )
            }
            None => unknown(
                "service_principal_risk",
                format!(
                    "the request gives no risk; the policy needs one of {}",
                    levels(list)
                ),
                "risk",
            ),
        });
    }
    if let Some(list) = &p.conditions.agent_risk {
        out.push(unknown(
            "agent_risk",
            format!(
                "agent risk {} (preview) is not decided by accord",
                levels(list)
            ),
            "agent risk (preview)",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decide(pack: &str, request: &str) -> WorkloadDecision {
        let loaded = crate::load::load_texts([("p.policy", pack)]);
        let validation = crate::check(&loaded);
        assert!(
            !crate::diagnostic::has_errors(&validation.diagnostics),
            "{:?}",
            validation.diagnostics
        );
        let c = super::super::compile(&validation.validated.expect("valid pack"));
        decide_workload(&c, &WorkloadRequest::parse(request).unwrap())
    }

    const PACK: &str = r#"
resource tenant contoso { id = "11111111-1111-1111-1111-111111111111" }
location corp { ip = ["203.0.113.0/24"] trusted }
policy "Workloads outside corp" {
  workloads { include all }
  users { include none }
  apps { include all }
  conditions { locations = include(all) exclude(all_trusted) }
  grant block
}
"#;

    #[test]
    fn the_decision_is_read_from_the_trace() {
        let d = decide(
            PACK,
            "workload: {service_principal: sp1, ip: 198.51.100.1, country: FR}",
        );
        assert_eq!(d.decision, WorkloadOutcome::Block);
        assert!(d.decided);
        assert_eq!(d.blocked_by, ["Workloads outside corp"]);
        let d = decide(PACK, "workload: {service_principal: sp1, ip: 203.0.113.9}");
        assert_eq!(d.decision, WorkloadOutcome::Allow);
        let d = decide(PACK, "workload: {service_principal: sp1}");
        assert_eq!((d.decision, d.decided), (WorkloadOutcome::Block, false));
        assert_eq!(d.depends_on, ["ip or country"]);
    }
}

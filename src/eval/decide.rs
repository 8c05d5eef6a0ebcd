//! `decide`: classification, the cross-tenant gate, every policy's applicability and controls,
//! recorded in a [`Trace`]; the decision, requirements and session are computed from the trace.
//!
//! A policy's conditions are recorded when the trace is read ([`Trace::conditions`]): deciding
//! only needs each policy's applicability, which the same condition functions compute without
//! a record. The decision-only path is in `fast.rs`; `tests/suite/eval/fast_path.rs` proves the
//! two equal, and the recorded conditions equal to the applicability the trace holds.

use super::classify::{classify, gate};
use super::compile::{Compiled, CompiledPolicy};
use super::conditions::{applies, applies_fast};
use super::controls;
use super::fast::{controls_result, stand_in_outcome};
use super::missing;
use super::resolve::{resolve, Net, Resolved};
use super::trace::{
    Classification, ConditionTrace, ControlRef, ControlTrace, Decision, DecisionSet, Place,
    PolicyResult, PolicyTrace, Signals, Status, Trace, Tri, UserKind,
};
use crate::model::request::{Request, RequestError};
use crate::model::{
    CloudAppSecurity, ContinuousAccessEvaluation, Control, PersistentBrowser, PolicyState,
    SignInFrequency,
};

/// What to do with a condition that needs a signal the request leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AssumeMissing {
    /// accord's default: the condition is unknown; every possible outcome is computed and the
    /// decision is the most restrictive one.
    #[default]
    Unknown,
    /// The platform's What-If behaviour: the condition is not satisfied.
    NotMatching,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    pub assume_missing: AssumeMissing,
}

/// Everything one decision reads.
pub(crate) struct Ctx<'a, 'r> {
    pub c: &'a Compiled,
    pub r: &'r Resolved<'a>,
    /// The request's signals, or a stand-in's.
    pub net: Net,
    pub class: Classification<'a>,
    pub assume: AssumeMissing,
}

/// Where condition records go (deciding records nothing: it calls `applies_fast`).
pub(crate) trait Sink<'a> {
    /// Record everything (and so evaluate every condition, not only up to the first failure).
    const RECORD: bool;
    fn condition(&mut self, c: ConditionTrace<'a>);
}

#[derive(Default)]
struct Recorder<'a> {
    conditions: Vec<ConditionTrace<'a>>,
}

impl<'a> Sink<'a> for Recorder<'a> {
    const RECORD: bool = true;
    fn condition(&mut self, c: ConditionTrace<'a>) {
        self.conditions.push(c);
    }
}

/// One requirement the user must complete (when the decision is `challenge`).
#[derive(Debug, Clone, PartialEq)]
pub struct RequirementItem<'a> {
    pub control: &'a Control,
    pub place: Place,
    /// The tenant the challenge happens in.
    pub tenant: &'a str,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Requirement<'a> {
    One(RequirementItem<'a>),
    /// From an `any(...)` grant: one of these.
    AnyOf(Vec<RequirementItem<'a>>),
}

impl std::fmt::Display for RequirementItem<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", super::trace::ControlName(self.control))?;
        if self.place == Place::Home {
            write!(f, " in {}", self.tenant)?;
        }
        Ok(())
    }
}

impl std::fmt::Display for Requirement<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Requirement::One(i) => write!(f, "{i}"),
            Requirement::AnyOf(items) => {
                let list: Vec<String> = items.iter().map(|i| i.to_string()).collect();
                write!(f, "any({})", list.join(", "))
            }
        }
    }
}

/// Session controls of the applicable enforced policies, merged to the most restrictive, each
/// with the policy it came from. Order: sign-in frequency = the shortest (`every_time` first);
/// persistent browser `never` over `always`; app-enforced restrictions and disabled resilience
/// defaults when any policy sets them; continuous access evaluation `strict` over `disabled`;
/// Defender for Cloud Apps `block_downloads` over `mcas_configured` over `monitor_only`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionOutcome<'a> {
    pub sign_in_frequency: Option<(SignInFrequency, &'a str)>,
    /// The sign-in frequency in force asks for the secondary authentication only (on equal
    /// intervals the whole sign-in, `primaryAndSecondaryAuthentication`, is the stricter).
    pub sign_in_frequency_secondary: bool,
    pub persistent_browser: Option<(PersistentBrowser, &'a str)>,
    pub app_enforced_restrictions: Option<&'a str>,
    pub continuous_access_evaluation: Option<(ContinuousAccessEvaluation, &'a str)>,
    pub cloud_app_security: Option<(CloudAppSecurity, &'a str)>,
    pub disable_resilience_defaults: Option<&'a str>,
    /// Every Global Secure Access security profile the applying policies link, each once, in
    /// policy order: the platform processes all of them (web filtering, not access).
    pub security_profiles: Vec<(&'a str, &'a str)>,
    /// Token protection, met (a granted session whose token is bound), from the first policy
    /// that asks for it. Shown only: the decision already folded it.
    pub token_protection: Option<&'a str>,
}

impl SessionOutcome<'_> {
    pub fn is_empty(&self) -> bool {
        *self == SessionOutcome::default()
    }
}

/// A decision and everything that explains it.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation<'a> {
    pub decision: Decision,
    /// What the user must complete, when the decision is `challenge` (else empty).
    pub requirements: Vec<Requirement<'a>>,
    /// The possible decisions (one, unless the request leaves out a signal that matters).
    pub possible: DecisionSet,
    /// Signals that an enforced policy's applicability depends on.
    pub depends_on: Signals,
    /// Empty unless the decision grants access.
    pub session: SessionOutcome<'a>,
    pub trace: Trace<'a>,
}

/// The decision-only answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub decision: Decision,
    pub possible: DecisionSet,
    pub depends_on: Signals,
}

/// Resolves and decides a request. A request that does not resolve (an undeclared tenant name,
/// a kind that needs a partner tenant) is an error, never an allow.
pub fn decide<'a>(c: &'a Compiled, request: &'a Request) -> Result<Evaluation<'a>, RequestError> {
    decide_with(c, request, Options::default())
}

pub fn decide_with<'a>(
    c: &'a Compiled,
    request: &'a Request,
    options: Options,
) -> Result<Evaluation<'a>, RequestError> {
    let r = resolve(c, request)?;
    Ok(decide_resolved(c, &r, options))
}

/// The traced decision of a resolved request.
pub fn decide_resolved<'a>(c: &'a Compiled, r: &Resolved<'a>, options: Options) -> Evaluation<'a> {
    let (class, settings) = classify(c, r);
    let gate = gate(c, r, &class, settings);
    let assignment = if gate.may_allow() {
        super::directory::assignment(c, r, &class)
    } else {
        None
    };
    let ctx = Ctx {
        c,
        r,
        net: r.net,
        class,
        assume: options.assume_missing,
    };
    let mut policies = Vec::new();
    let mut report_only = Vec::new();
    if gate.may_allow() && assignment.is_none_or(|a| a.allows() || a.uncertain()) {
        // Policies the app index does not list for the request's app fail the app condition.
        let mut listed = c.by_app.get(r.app_slot).map_or(&[][..], |v| &v[..]).iter();
        let mut next = listed.next();
        policies.reserve(c.policies.len());
        for (slot, cp) in c.policies.iter().enumerate() {
            let in_app = next.is_some_and(|&i| i as usize == slot);
            if in_app {
                next = listed.next();
            }
            let trace = policy_trace(&ctx, slot, cp, in_app);
            match cp.state {
                PolicyState::ReportOnly => report_only.push(trace),
                PolicyState::On | PolicyState::Off => policies.push(trace),
            }
        }
    }
    let mut trace = Trace {
        user: class,
        gate,
        assignment,
        policies,
        report_only,
        scenarios: Vec::new(),
        missing: missing_signals(r),
        replay: Replay {
            c,
            r: r.clone(),
            assume: options.assume_missing,
        },
    };
    let deps = trace.depends_on().intersect(Signals::MISSABLE);
    if options.assume_missing == AssumeMissing::Unknown && !deps.is_empty() {
        // Each stand-in re-examines the undecided enforced policies only (see `fast.rs`);
        // the test suite compares the outcome with stand-ins decided from scratch.
        let best = super::trace::combine(&trace.policies).0;
        let undecided: Vec<(u32, Decision)> = trace
            .policies
            .iter()
            .filter(|p| p.state() == PolicyState::On && p.applies == Tri::Unknown)
            .filter_map(|p| Some((p.slot as u32, p.result()?.decision())))
            .filter(|&(_, d)| d > best)
            .collect();
        let mut scenarios = Vec::new();
        missing::for_each_scenario(c, r.net, deps, |net| {
            let (best, worst) = stand_in_outcome(&ctx, net, best, &undecided);
            scenarios.push(super::trace::Scenario {
                platform: net.platform.filter(|_| deps.contains(Signals::PLATFORM)),
                ip: net.ip.filter(|_| deps.contains(Signals::IP)),
                country: net.country.filter(|_| deps.contains(Signals::COUNTRY)),
                best,
                worst,
            });
        });
        trace.scenarios = scenarios;
    }
    Evaluation::from_trace(trace)
}

/// What recording a policy's conditions needs, kept in the [`Trace`]: conditions are recorded
/// when the trace is read, not while deciding.
#[derive(Debug, Clone)]
pub(crate) struct Replay<'a> {
    pub c: &'a Compiled,
    pub r: Resolved<'a>,
    pub assume: AssumeMissing,
}

impl<'a> Replay<'a> {
    fn ctx(&self, class: Classification<'a>) -> Ctx<'a, '_> {
        Ctx {
            c: self.c,
            r: &self.r,
            net: self.r.net,
            class,
            assume: self.assume,
        }
    }
}

impl PartialEq for Replay<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.c, other.c)
            && self.r.request == other.r.request
            && self.r.net == other.r.net
            && self.assume == other.assume
    }
}

impl<'a> Trace<'a> {
    /// Every condition of a policy of this trace, in order, each with its outcome and reason
    /// (nothing for an `off` policy). Recorded now, with the same functions that decided.
    pub fn conditions(&self, p: &PolicyTrace<'a>) -> Vec<ConditionTrace<'a>> {
        let replay = &self.replay;
        let Some(cp) = replay.c.policies.get(p.slot) else {
            return Vec::new();
        };
        if cp.state == PolicyState::Off {
            return Vec::new();
        }
        let ctx = replay.ctx(self.user);
        let mut rec = Recorder::default();
        applies(&ctx, cp, &mut rec);
        rec.conditions
    }

    /// Every control line of a policy of this trace that applies or may apply (nothing for
    /// one that does not, or is `off`), with its status and reason. Recorded now, with the
    /// same functions that decided.
    pub fn controls(&self, p: &PolicyTrace<'a>) -> Vec<ControlTrace<'a>> {
        let replay = &self.replay;
        let mut out = Vec::new();
        let Some(cp) = replay.c.policies.get(p.slot) else {
            return out;
        };
        if p.result().is_none() {
            return out;
        }
        let ctx = replay.ctx(self.user);
        for_each_control(&ctx, cp, |c| out.push(c));
        out
    }

    /// The conditions of a policy that failed (or could not be decided), in order.
    pub fn failing(&self, p: &PolicyTrace<'a>) -> Vec<ConditionTrace<'a>> {
        let mut all = self.conditions(p);
        all.retain(|c| c.outcome != Tri::Yes);
        all
    }
}

fn missing_signals(r: &Resolved<'_>) -> Signals {
    let mut s = Signals::NONE;
    if r.net.platform.is_none() {
        s = s.union(Signals::PLATFORM);
    }
    if r.net.ip.is_none() {
        s = s.union(Signals::IP);
    }
    if r.net.country.is_none() {
        s = s.union(Signals::COUNTRY);
    }
    s
}

fn policy_trace<'a>(
    ctx: &Ctx<'a, '_>,
    slot: usize,
    cp: &'a CompiledPolicy,
    in_app: bool,
) -> PolicyTrace<'a> {
    let policy = &ctx.c.pack.policies[cp.index];
    let (applies, needs) = if cp.state == PolicyState::Off || !in_app {
        (Tri::No, Signals::NONE)
    } else {
        applies_fast(ctx, cp)
    };
    let verdict = (applies != Tri::No).then(|| controls_result(ctx, cp));
    PolicyTrace {
        policy,
        slot,
        applies,
        needs,
        verdict,
    }
}

/// Every grant control of a policy, then its session controls when they cannot apply.
pub(crate) fn for_each_control<'a>(
    ctx: &Ctx<'a, '_>,
    cp: &'a CompiledPolicy,
    mut f: impl FnMut(ControlTrace<'a>),
) {
    let policy = &ctx.c.pack.policies[cp.index];
    if let Some(grant) = &policy.grant {
        for control in &grant.controls {
            let (status, because, place_tenant) = control_status(ctx, &control.value);
            f(ControlTrace {
                control: ControlRef::Grant(&control.value),
                status,
                because,
                place_tenant,
            });
        }
    }
    if cp.token_protection {
        let (status, because) = token_protection(ctx);
        f(ControlTrace {
            control: ControlRef::TokenProtection,
            status,
            because,
            place_tenant: ctx.class.resource,
        });
    }
    if session_unsupported(ctx, cp) {
        f(ControlTrace {
            control: ControlRef::Session,
            status: Status::Unsatisfiable,
            because: super::trace::Because::DirectConnectUnsupported {
                what: "session controls",
                resource: ctx.class.resource,
            },
            place_tenant: ctx.class.resource,
        });
    }
}

/// One grant control's status, why, and the tenant a challenge happens in.
pub(crate) fn control_status<'a>(
    ctx: &Ctx<'a, '_>,
    control: &'a Control,
) -> (Status, super::trace::Because<'a>, &'a str) {
    let (status, because) = controls::status(ctx, control);
    let place_tenant = match status {
        Status::Challenge(Place::Home) => controls::home_name(ctx),
        _ => ctx.class.resource,
    };
    (status, because, place_tenant)
}

/// Token protection is enforced, not asked for: the platform accepts only a session whose token
/// is bound to the device and blocks any other sign-in to the resource (Microsoft Learn, "Token
/// protection in Conditional Access"). A request that does not say is decided as not bound.
pub(crate) fn token_protection<'a>(ctx: &Ctx<'a, '_>) -> (Status, super::trace::Because<'a>) {
    use super::trace::Because;
    match ctx.r.request.device.token_bound {
        Some(true) => (Status::Satisfied, Because::TokenBound),
        Some(false) => (Status::Unsatisfiable, Because::TokenNotBound),
        None => (Status::Unsatisfiable, Because::TokenBindingUnstated),
    }
}

/// Whether token protection makes a policy unsatisfiable for this request.
pub(crate) fn token_unprotected(ctx: &Ctx<'_, '_>, cp: &CompiledPolicy) -> bool {
    cp.token_protection && token_protection(ctx).0 != Status::Satisfied
}

/// Session controls are unsupported for B2B direct connect users (§4.4 support matrix): a
/// policy with any makes them unsatisfiable.
pub(crate) fn session_unsupported(ctx: &Ctx<'_, '_>, cp: &CompiledPolicy) -> bool {
    cp.has_session && ctx.class.kind == UserKind::DirectConnect
}

impl<'a> Evaluation<'a> {
    /// Everything but the trace is computed from the trace.
    pub fn from_trace(trace: Trace<'a>) -> Evaluation<'a> {
        let possible = trace.possible();
        let decision = possible.most_restrictive();
        let depends_on = trace.depends_on();
        let requirements = if decision == Decision::Challenge {
            requirements(&trace)
        } else {
            Vec::new()
        };
        let session = if decision == Decision::Block {
            SessionOutcome::default()
        } else {
            session(&trace)
        };
        Evaluation {
            decision,
            requirements,
            possible,
            depends_on,
            session,
            trace,
        }
    }

    pub fn outcome(&self) -> Outcome {
        Outcome {
            decision: self.decision,
            possible: self.possible,
            depends_on: self.depends_on,
        }
    }
}

/// Enforced policies that apply or may apply (fail closed: an undecided one counts).
fn in_force<'t, 'a>(trace: &'t Trace<'a>) -> impl Iterator<Item = &'t PolicyTrace<'a>> {
    trace
        .policies
        .iter()
        .filter(|p| p.state() == PolicyState::On && p.applies != Tri::No)
}

fn requirements<'a>(trace: &Trace<'a>) -> Vec<Requirement<'a>> {
    let mut out: Vec<Requirement<'a>> = Vec::new();
    for p in in_force(trace) {
        if p.result() != Some(PolicyResult::Challenge) {
            continue;
        }
        push_requirements(&mut out, p.policy, &trace.controls(p));
    }
    out
}

/// Adds what a challenging policy asks for (its controls in `challenge`), once each.
pub(crate) fn push_requirements<'a>(
    out: &mut Vec<Requirement<'a>>,
    policy: &'a crate::model::Policy,
    controls: &[ControlTrace<'a>],
) {
    let any = policy
        .grant
        .as_ref()
        .is_some_and(|g| g.op.value == crate::model::GrantOp::Any);
    let items: Vec<RequirementItem<'a>> = controls
        .iter()
        .filter_map(|c| match (c.control, c.status) {
            (ControlRef::Grant(control), Status::Challenge(place)) => Some(RequirementItem {
                control,
                place,
                tenant: c.place_tenant,
            }),
            _ => None,
        })
        .collect();
    let new: Vec<Requirement<'a>> = if any && items.len() > 1 {
        vec![Requirement::AnyOf(items)]
    } else {
        items.into_iter().map(Requirement::One).collect()
    };
    for r in new {
        if !out.contains(&r) {
            out.push(r);
        }
    }
}

fn session<'a>(trace: &Trace<'a>) -> SessionOutcome<'a> {
    let mut s = SessionOutcome::default();
    for p in in_force(trace) {
        let Some(sess) = &p.policy.session else {
            continue;
        };
        let name = p.policy.name.value.as_str();
        if let Some(f) = &sess.sign_in_frequency {
            let secondary = sess.sign_in_frequency_secondary.is_some();
            let stricter = match s.sign_in_frequency {
                None => true,
                Some((old, _)) => {
                    f.value.hours() < old.hours()
                        || (f.value.hours() == old.hours()
                            && s.sign_in_frequency_secondary
                            && !secondary)
                }
            };
            if stricter {
                s.sign_in_frequency = Some((f.value, name));
                s.sign_in_frequency_secondary = secondary;
            }
        }
        if let Some(b) = &sess.persistent_browser {
            if s.persistent_browser.is_none()
                || (b.value == PersistentBrowser::Never
                    && s.persistent_browser
                        .is_some_and(|(o, _)| o != PersistentBrowser::Never))
            {
                s.persistent_browser = Some((b.value, name));
            }
        }
        if sess.app_enforced_restrictions.is_some() && s.app_enforced_restrictions.is_none() {
            s.app_enforced_restrictions = Some(name);
        }
        if sess.disable_resilience_defaults.is_some() && s.disable_resilience_defaults.is_none() {
            s.disable_resilience_defaults = Some(name);
        }
        if sess.token_protection.is_some() && s.token_protection.is_none() {
            s.token_protection = Some(name);
        }
        if let Some(profile) = &sess.security_profile {
            let id = profile.value.as_str();
            if !s
                .security_profiles
                .iter()
                .any(|(p, _)| p.eq_ignore_ascii_case(id))
            {
                s.security_profiles.push((id, name));
            }
        }
        if let Some(cae) = &sess.continuous_access_evaluation {
            let rank = |v: ContinuousAccessEvaluation| match v {
                ContinuousAccessEvaluation::Disabled => 0,
                ContinuousAccessEvaluation::Strict => 1,
                ContinuousAccessEvaluation::StrictLocation => 2,
            };
            if s.continuous_access_evaluation
                .is_none_or(|(o, _)| rank(cae.value) > rank(o))
            {
                s.continuous_access_evaluation = Some((cae.value, name));
            }
        }
        if let Some(m) = &sess.cloud_app_security {
            let rank = |v: CloudAppSecurity| match v {
                CloudAppSecurity::MonitorOnly => 0,
                CloudAppSecurity::McasConfigured => 1,
                CloudAppSecurity::BlockDownloads => 2,
            };
            if s.cloud_app_security
                .is_none_or(|(o, _)| rank(m.value) > rank(o))
            {
                s.cloud_app_security = Some((m.value, name));
            }
        }
    }
    s
}

//! `decide`: classification, the cross-tenant gate, every policy's conditions and controls,
//! recorded in a [`Trace`]; the decision, requirements and session are computed from the trace.
//!
//! [`decide_fast`] is the decision-only path: the same condition and control functions with a
//! sink that records nothing and stops at the first failing condition, over the policies the
//! app index leaves. `tests/suite/eval/fast_path.rs` proves it equal to the traced path.

use super::classify::{classify, gate};
use super::compile::{Compiled, CompiledPolicy};
use super::conditions::applies;
use super::controls;
use super::missing;
use super::resolve::{resolve, Net, Resolved};
use super::trace::{
    Classification, ConditionTrace, ControlRef, ControlTrace, Decision, DecisionSet, Place,
    PolicyResult, PolicyTrace, ResultFold, Signals, Status, Trace, Tri, UserKind,
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

/// Where condition and control records go: a recorder, or nowhere (fast path).
pub(crate) trait Sink<'a> {
    /// Record everything (and so evaluate every condition, not only up to the first failure).
    const RECORD: bool;
    fn condition(&mut self, c: ConditionTrace<'a>);
}

pub(crate) struct NoSink;

impl<'a> Sink<'a> for NoSink {
    const RECORD: bool = false;
    fn condition(&mut self, _: ConditionTrace<'a>) {}
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
    pub persistent_browser: Option<(PersistentBrowser, &'a str)>,
    pub app_enforced_restrictions: Option<&'a str>,
    pub continuous_access_evaluation: Option<(ContinuousAccessEvaluation, &'a str)>,
    pub cloud_app_security: Option<(CloudAppSecurity, &'a str)>,
    pub disable_resilience_defaults: Option<&'a str>,
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
    let ctx = Ctx {
        c,
        r,
        net: r.net,
        class,
        assume: options.assume_missing,
    };
    let mut policies = Vec::new();
    let mut report_only = Vec::new();
    if gate.may_allow() {
        for cp in &c.policies {
            let trace = policy_trace(&ctx, cp);
            match cp.state {
                PolicyState::ReportOnly => report_only.push(trace),
                PolicyState::On | PolicyState::Off => policies.push(trace),
            }
        }
    }
    let mut trace = Trace {
        user: class,
        gate,
        policies,
        report_only,
        scenarios: Vec::new(),
        missing: missing_signals(r),
    };
    let deps = trace.depends_on().intersect(Signals::MISSABLE);
    if options.assume_missing == AssumeMissing::Unknown && !deps.is_empty() {
        // Each stand-in is decided from scratch (every candidate policy), independently of the
        // decision-only path's shortcut; the test suite compares the two.
        missing::for_each_scenario(c, r.net, deps, |net| {
            let (best, worst, _, _) = fast_core(c, r, net, options, &mut NoUnknowns);
            trace.scenarios.push(super::trace::Scenario {
                platform: net.platform.filter(|_| deps.contains(Signals::PLATFORM)),
                ip: net.ip.filter(|_| deps.contains(Signals::IP)),
                country: net.country.filter(|_| deps.contains(Signals::COUNTRY)),
                best,
                worst,
            });
        });
    }
    Evaluation::from_trace(trace)
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

fn policy_trace<'a>(ctx: &Ctx<'a, '_>, cp: &'a CompiledPolicy) -> PolicyTrace<'a> {
    let policy = &ctx.c.pack.policies[cp.index];
    if cp.state == PolicyState::Off {
        return PolicyTrace {
            policy,
            applies: Tri::No,
            needs: Signals::NONE,
            conditions: Vec::new(),
            controls: Vec::new(),
        };
    }
    let mut rec = Recorder::default();
    let (t, needs) = applies(ctx, cp, &mut rec);
    let mut controls = Vec::new();
    if t != Tri::No {
        for_each_control(ctx, cp, |c| controls.push(c));
    }
    PolicyTrace {
        policy,
        applies: t,
        needs,
        conditions: rec.conditions,
        controls,
    }
}

/// Every grant control of a policy, then its session controls when they cannot apply.
fn for_each_control<'a>(
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
        push_requirements(&mut out, p.policy, &p.controls);
    }
    out
}

/// Adds what a challenging policy asks for (its controls in `challenge`), once each.
fn push_requirements<'a>(
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
            if s.sign_in_frequency
                .is_none_or(|(old, _)| f.value.hours() < old.hours())
            {
                s.sign_in_frequency = Some((f.value, name));
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
        if let Some(cae) = &sess.continuous_access_evaluation {
            let rank = |v: ContinuousAccessEvaluation| match v {
                ContinuousAccessEvaluation::Disabled => 0,
                ContinuousAccessEvaluation::Strict => 1,
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

// ---- the decision-only path -----------------------------------------------------------------

/// The decision without a trace. No allocation (a thread-local list of the undecided policies
/// is reused; `tests/suite/eval/allocation.rs` counts). When a signal is missing, only the
/// policies whose applicability was unknown are re-examined for each stand-in (the others
/// cannot change, and controls do not depend on the missing signals).
pub fn decide_fast(c: &Compiled, r: &Resolved<'_>, options: Options) -> Outcome {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut unknowns) => {
            unknowns.list.clear();
            decide_fast_with(c, r, options, &mut unknowns)
        }
        // Only a re-entrant call (none today) finds the scratch in use: it gets its own.
        Err(_) => decide_fast_with(c, r, options, &mut Unknowns::default()),
    })
}

thread_local! {
    /// The decision-only path's list of undecided policies, kept between decisions so that a
    /// decision allocates nothing once a thread has decided a few requests (its capacity only
    /// grows to the largest number of undecided policies seen).
    static SCRATCH: std::cell::RefCell<Unknowns> = std::cell::RefCell::new(Unknowns::default());
}

fn decide_fast_with(
    c: &Compiled,
    r: &Resolved<'_>,
    options: Options,
    unknowns: &mut Unknowns,
) -> Outcome {
    let (best, worst, deps, gate_uncertain) = fast_core(c, r, r.net, options, unknowns);
    let missable = deps.intersect(Signals::MISSABLE);
    let mut possible = DecisionSet::default();
    if gate_uncertain {
        possible.insert(Decision::Block);
    }
    if options.assume_missing == AssumeMissing::Unknown && !missable.is_empty() {
        let (class, _) = classify(c, r);
        missing::for_each_scenario(c, r.net, missable, |net| {
            let ctx = Ctx {
                c,
                r,
                net,
                class,
                assume: options.assume_missing,
            };
            let (mut b, mut w) = (best, best);
            for &(i, d) in &unknowns.list {
                let Some(cp) = c.policies.get(i as usize) else {
                    continue;
                };
                match applies(&ctx, cp, &mut NoSink).0 {
                    Tri::Yes => {
                        b = b.max(d);
                        w = w.max(d);
                    }
                    Tri::Unknown => w = w.max(d),
                    Tri::No => {}
                }
            }
            possible.insert(b);
            possible.insert(w);
        });
    } else {
        possible.insert(best);
        possible.insert(worst);
    }
    Outcome {
        decision: possible.most_restrictive(),
        possible,
        depends_on: deps,
    }
}

/// What a matrix row shows beside its decision, computed on the decision-only path: the
/// requirements of a `challenge`, the enforced policies whose result is the decision (applying
/// or possibly applying, in pack order), and whether the cross-tenant settings blocked first.
/// The test suite proves it equal to what the traced [`Evaluation`] says ([`decide_explained`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Explanation<'a> {
    pub requirements: Vec<Requirement<'a>>,
    pub deciding: Vec<&'a str>,
    pub gate_blocked: bool,
}

/// [`decide_fast`] and the [`Explanation`] of its outcome, in one pass: the policies that apply
/// are remembered as they are decided, and only a `challenge` looks at controls again.
pub fn decide_explained<'a>(
    c: &'a Compiled,
    r: &Resolved<'a>,
    options: Options,
) -> (Outcome, Explanation<'a>) {
    let mut seen = Unknowns {
        applying: Some(Vec::new()),
        ..Unknowns::default()
    };
    let outcome = decide_fast_with(c, r, options, &mut seen);
    let mut out = Explanation::default();
    if outcome.decision == Decision::Allow {
        return (outcome, out);
    }
    let (class, settings) = classify(c, r);
    if !gate(c, r, &class, settings).allows() {
        out.gate_blocked = true;
        return (outcome, out);
    }
    let ctx = Ctx {
        c,
        r,
        net: r.net,
        class,
        assume: options.assume_missing,
    };
    let mut deciding: Vec<&'a CompiledPolicy> = seen
        .applying
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, d)| *d == outcome.decision)
        .filter_map(|(i, _)| c.policies.get(i as usize))
        .collect();
    deciding.sort_by_key(|cp| cp.index);
    for cp in deciding {
        let policy = &c.pack.policies[cp.index];
        out.deciding.push(policy.name.value.as_str());
        if outcome.decision == Decision::Challenge {
            let mut controls = Vec::new();
            for_each_control(&ctx, cp, |ct| controls.push(ct));
            push_requirements(&mut out.requirements, policy, &controls);
        }
    }
    (outcome, out)
}

/// What every `on` and `report_only` policy does to a resolved request, without a trace: for
/// each policy that applies or may apply (`Tri::Yes` or `Tri::Unknown`), `f(index in the pack's
/// policies, applies, result)`, in pack order. Returns `false`, calling nothing, when the
/// cross-tenant gate blocks (no policy is evaluated then, as in the trace). Signals are the
/// request's own: no stand-ins. `accord replay` counts per-policy impact with it; the test suite
/// proves it equal to the traced path.
pub fn policy_results(
    c: &Compiled,
    r: &Resolved<'_>,
    options: Options,
    mut f: impl FnMut(usize, Tri, PolicyResult),
) -> bool {
    let (class, settings) = classify(c, r);
    if !gate(c, r, &class, settings).allows() {
        return false;
    }
    let ctx = Ctx {
        c,
        r,
        net: r.net,
        class,
        assume: options.assume_missing,
    };
    let Some(candidates) = c.by_app.get(r.app_slot) else {
        return true;
    };
    for &i in candidates {
        let Some(cp) = c.policies.get(i as usize) else {
            continue;
        };
        if cp.state == PolicyState::Off {
            continue;
        }
        let (t, _) = applies(&ctx, cp, &mut NoSink);
        if t == Tri::No {
            continue;
        }
        f(cp.index, t, controls_result(&ctx, cp));
    }
    true
}

/// A policy's result from its controls, folded without recording them.
fn controls_result<'a>(ctx: &Ctx<'a, '_>, cp: &'a CompiledPolicy) -> PolicyResult {
    let mut fold = ResultFold::new(&ctx.c.pack.policies[cp.index]);
    for_each_control(ctx, cp, |ct| match ct.control {
        ControlRef::Grant(_) => fold.grant(ct.status),
        ControlRef::Session => fold.session(ct.status),
    });
    fold.finish()
}

/// Where the decision-only path keeps the policies whose applicability is unknown.
trait UnknownSink {
    fn push(&mut self, policy: u32, decision: Decision);
    /// Every enforced policy that applies or may apply, with its result (for explanations).
    fn applying(&mut self, _policy: u32, _decision: Decision) {}
}

struct NoUnknowns;

impl UnknownSink for NoUnknowns {
    fn push(&mut self, _: u32, _: Decision) {}
}

#[derive(Default)]
struct Unknowns {
    list: Vec<(u32, Decision)>,
    /// `Some` when the caller wants every applying policy (`decide_explained`).
    applying: Option<Vec<(u32, Decision)>>,
}

impl UnknownSink for Unknowns {
    fn push(&mut self, policy: u32, decision: Decision) {
        self.list.push((policy, decision));
    }
    fn applying(&mut self, policy: u32, decision: Decision) {
        if let Some(list) = &mut self.applying {
            list.push((policy, decision));
        }
    }
}

/// (best, worst, depends_on, the gate blocks only for unknown membership) over enforced
/// policies for one set of signals, without recording. When the gate is uncertain, `best` and
/// `worst` are what the policies would decide if it let the request through.
fn fast_core(
    c: &Compiled,
    r: &Resolved<'_>,
    net: Net,
    options: Options,
    unknowns: &mut impl UnknownSink,
) -> (Decision, Decision, Signals, bool) {
    let (class, settings) = classify(c, r);
    let g = gate(c, r, &class, settings);
    if !g.allows() && !g.uncertain() {
        return (Decision::Block, Decision::Block, Signals::NONE, false);
    }
    let gate_uncertain = !g.allows();
    let ctx = Ctx {
        c,
        r,
        net,
        class,
        assume: options.assume_missing,
    };
    let mut best = Decision::Allow;
    let mut worst = Decision::Allow;
    let mut deps = Signals::NONE;
    let Some(candidates) = c.by_app.get(r.app_slot) else {
        return (Decision::Block, Decision::Block, Signals::NONE, false);
    };
    for &i in candidates {
        let Some(cp) = c.policies.get(i as usize) else {
            continue;
        };
        if cp.state != PolicyState::On {
            continue;
        }
        let (t, needs) = applies(&ctx, cp, &mut NoSink);
        if t == Tri::No {
            continue;
        }
        let d = controls_result(&ctx, cp).decision();
        unknowns.applying(i, d);
        worst = worst.max(d);
        if t == Tri::Yes {
            best = best.max(d);
        } else {
            deps = deps.union(needs);
            unknowns.push(i, d);
        }
    }
    if gate_uncertain {
        deps = deps.union(Signals::GROUPS);
    }
    (best, worst, deps, gate_uncertain)
}

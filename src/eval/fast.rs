//! The decision-only path: the same condition and control functions as the traced path, with
//! nothing recorded, over the policies the app index leaves, each stopped at its first failing
//! condition (cheap mask conditions first). `tests/suite/eval/fast_path.rs` proves it equal to
//! the traced path and to [`decide_exhaustive`], which re-decides every stand-in from scratch.
//!
//! Missing signals: a policy that applies or does not apply with the request's signals does the
//! same for every stand-in (Kleene logic is monotone: a stand-in only settles `Unknown`s), and
//! controls do not read the signals that may be missing. So only the undecided policies whose
//! result is stricter than what the decided ones already impose are re-examined per stand-in.

use super::classify::{classify, gate};
use super::compile::{Compiled, CompiledPolicy};
use super::conditions::applies_fast;
use super::decide::AssumeMissing;
use super::decide::{for_each_control, push_requirements, Ctx, Options, Outcome, Requirement};
use super::missing;
use super::resolve::{Net, Resolved};
use super::trace::{ControlRef, Decision, DecisionSet, PolicyResult, ResultFold, Signals, Tri};
use crate::model::PolicyState;

/// The decision without a trace. No allocation (a thread-local list of the undecided policies
/// is reused; `tests/suite/eval/allocation.rs` counts).
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
        // Undecided policies no stricter than the decided ones change no stand-in's outcome.
        unknowns.list.retain(|&(_, d)| d > best);
        if unknowns.list.is_empty() {
            possible.insert(best);
        } else {
            let (class, _) = classify(c, r);
            let ctx = Ctx {
                c,
                r,
                net: r.net,
                class,
                assume: options.assume_missing,
            };
            missing::for_each_scenario(c, r.net, missable, |net| {
                let (b, w) = stand_in_outcome(&ctx, net, best, &unknowns.list);
                possible.insert(b);
                possible.insert(w);
            });
        }
    } else {
        possible.insert(best);
        possible.insert(worst);
    }
    outcome(possible, deps)
}

/// The outcome of a set of possible decisions: the most restrictive one (fail closed).
fn outcome(possible: DecisionSet, depends_on: Signals) -> Outcome {
    Outcome {
        decision: possible.most_restrictive(),
        possible,
        depends_on,
    }
}

/// (best, worst) for one stand-in: `best` from the decided policies, raised by the undecided
/// ones (`(index in c.policies, result)`) that apply or may apply with the stand-in's signals.
pub(crate) fn stand_in_outcome(
    ctx: &Ctx<'_, '_>,
    net: Net,
    best: Decision,
    undecided: &[(u32, Decision)],
) -> (Decision, Decision) {
    let ctx = Ctx { net, ..*ctx };
    let (mut b, mut w) = (best, best);
    for &(i, d) in undecided {
        let Some(cp) = ctx.c.policies.get(i as usize) else {
            continue;
        };
        match applies_fast(&ctx, cp).0 {
            Tri::Yes => {
                b = b.max(d);
                w = w.max(d);
            }
            Tri::Unknown => w = w.max(d),
            Tri::No => {}
        }
    }
    (b, w)
}

/// The decision of [`decide_fast`] computed the long way, as the traced path did before
/// issue 10: every stand-in re-decided from scratch over every candidate policy. Only the test
/// suite calls it, as the oracle for the shortcut above.
#[doc(hidden)]
pub fn decide_exhaustive(c: &Compiled, r: &Resolved<'_>, options: Options) -> Outcome {
    let (best, worst, deps, gate_uncertain) = fast_core(c, r, r.net, options, &mut NoUnknowns);
    let missable = deps.intersect(Signals::MISSABLE);
    let mut possible = DecisionSet::default();
    if gate_uncertain {
        possible.insert(Decision::Block);
    }
    if options.assume_missing == AssumeMissing::Unknown && !missable.is_empty() {
        missing::for_each_scenario(c, r.net, missable, |net| {
            let (b, w, _, _) = fast_core(c, r, net, options, &mut NoUnknowns);
            possible.insert(b);
            possible.insert(w);
        });
    } else {
        possible.insert(best);
        possible.insert(worst);
    }
    outcome(possible, deps)
}

/// What a matrix row shows beside its decision, computed on the decision-only path: the
/// requirements of a `challenge`, the enforced policies whose result is the decision (applying
/// or possibly applying, in pack order), and whether the cross-tenant settings blocked first.
/// The test suite proves it equal to what the traced [`super::Evaluation`] says
/// ([`decide_explained`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Explanation<'a> {
    pub requirements: Vec<Requirement<'a>>,
    pub deciding: Vec<&'a str>,
    pub gate_blocked: bool,
    /// The gate let the request through, and an app that requires assignment blocked it.
    pub assignment_blocked: bool,
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
    if super::directory::assignment(c, r, &class).is_some_and(|a| !a.allows()) {
        out.assignment_blocked = true;
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
    if !gate(c, r, &class, settings).allows()
        || super::directory::assignment(c, r, &class).is_some_and(|a| !a.allows())
    {
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
        let (t, _) = applies_fast(&ctx, cp);
        if t == Tri::No {
            continue;
        }
        f(cp.index, t, controls_result(&ctx, cp));
    }
    true
}

/// A policy's result from its controls, folded without recording them.
pub(crate) fn controls_result<'a>(ctx: &Ctx<'a, '_>, cp: &'a CompiledPolicy) -> PolicyResult {
    let mut fold = ResultFold::new(&ctx.c.pack.policies[cp.index]);
    for_each_control(ctx, cp, |ct| match ct.control {
        ControlRef::Grant(_) => fold.grant(ct.status),
        ControlRef::Session | ControlRef::TokenProtection => fold.session(ct.status),
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
    // The app-assignment step, as `Trace::possible` reads it (`eval::directory`).
    let assignment = super::directory::assignment(c, r, &class);
    if assignment.is_some_and(|a| !a.allows() && !a.uncertain()) {
        return (Decision::Block, Decision::Block, Signals::NONE, false);
    }
    let assignment_uncertain = assignment.is_some_and(|a| a.uncertain());
    let gate_uncertain = !g.allows() || assignment_uncertain;
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
    let Some(candidates) = c.enforced_by_app.get(r.app_slot) else {
        return (Decision::Block, Decision::Block, Signals::NONE, false);
    };
    for &i in candidates {
        let Some(cp) = c.policies.get(i as usize) else {
            continue;
        };
        let (t, needs) = applies_fast(&ctx, cp);
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
    if !g.allows() {
        deps = deps.union(Signals::GROUPS);
    }
    if let Some(a) = assignment {
        deps = deps.union(a.signals());
    }
    (best, worst, deps, gate_uncertain)
}

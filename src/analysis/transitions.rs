//! CAP005's question: what turning a `report_only` or `off` policy on would change, as the
//! transitions of decision it would make (allow -> challenge, allow -> block, challenge ->
//! block), each with an example request.
//!
//! Answered on the symbolic sets first (`symbolic`): a transition happens exactly when some
//! request the old pack decides `from` is one the policy may apply to and its controls give
//! `to` (a new policy only adds its result to the most restrictive one). Each transition found
//! is shown by a light request of that set, decided again by the evaluator with the policy off
//! and on. When the sets outgrow their limit, the bounded refinement answers instead, and says
//! when it was cut short.

use std::cell::RefCell;

use super::cube::Cube;
use super::outcome::View;
use super::queries::Queries;
use super::refine::{leaf_around, refine_bounded, Flow, Pre};
use super::side::{Side, YES};
use super::space::{Point, Space};
use super::symbolic::pack::{index, Symbolic};
use super::symbolic::{and, Encoding, TooLarge};
use super::{leaf_outcome, region, AnalysisError};
use crate::eval::{Compiled, Decision};
use crate::model::request::Request;
use crate::model::PolicyState;
use biodivine_lib_bdd::Bdd;

/// A change of decision a policy would make once turned on, with one request that shows it.
#[derive(Debug, Clone)]
pub struct Transition {
    pub from: Decision,
    pub to: Decision,
    pub example: Request,
    /// The region around the example, described; from `transitions_exact`, only for the first
    /// transition (empty for the others).
    pub region: String,
}

impl Queries<'_> {
    /// CAP005: which changes of decision turning the `report_only` or `off` policy `index` on
    /// would make (`on` is this pack with that change), each with an example; over every
    /// request that states its signals. Exact: a transition not listed happens to no request.
    pub fn transitions(
        &self,
        on: &Compiled,
        index: usize,
    ) -> Result<Vec<Transition>, AnalysisError> {
        match self.transitions_within(on, index, super::MAX_NODES)? {
            (found, true) => Ok(found),
            (_, false) => Err(AnalysisError::Refine(
                super::refine::RefineError::TooLarge {
                    nodes: super::MAX_NODES,
                },
            )),
        }
    }

    /// [`Queries::transitions`], answered on the symbolic sets, or when they outgrow their
    /// limit by the refinement within a budget of cubes: the transitions found, and whether the
    /// answer is complete (when it is not, each transition listed still happens, to its
    /// example, and others may too).
    pub fn transitions_within(
        &self,
        on: &Compiled,
        index: usize,
        budget: usize,
    ) -> Result<(Vec<Transition>, bool), AnalysisError> {
        match self.transitions_exact(on, index)? {
            Some(found) => Ok((found, true)),
            None => self.transitions_refined(on, index, budget),
        }
    }

    /// The transitions from the symbolic sets (exact); `None` when they outgrow their limit.
    pub fn transitions_exact(
        &self,
        on: &Compiled,
        index: usize,
    ) -> Result<Option<Vec<Transition>>, AnalysisError> {
        let Some(p) = self.side.policies.iter().position(|m| m.index == index) else {
            return Ok(Some(Vec::new()));
        };
        let roots = self.stated()?;
        let mut state = self.symbolic.borrow_mut();
        let state = state.get_or_insert_with(|| SymbolicState::new(self.space));
        let Ok(points) = state.transitions(&self.side, &roots, p as u32) else {
            return Ok(None);
        };
        let turned = self.side.with_state(on, index, PolicyState::On);
        let sides = [&self.side, &turned];
        let within = hull(self.space, &roots);
        let mut found = Vec::new();
        for (from, to, point) in points {
            let request = self.space.request(&point);
            let before = super::decision_of(self.side.c, &request);
            let after = super::decision_of(on, &request);
            if (before, after) != (Some(from), Some(to)) {
                return Err(AnalysisError::Refine(
                    super::refine::RefineError::Inconsistent {
                        request: super::example::request_yaml(&request),
                        detail: format!(
                            "the symbolic sets expect {} -> {}, the evaluator says {:?} -> {:?}",
                            from.name(),
                            to.name(),
                            before.map(|d| d.name()),
                            after.map(|d| d.name())
                        ),
                    },
                ));
            }
            // The region around the example is what a user reads, for the first transition
            // only (the others are listed by their decisions).
            let region = if found.is_empty() {
                let leaf = leaf_around(&sides, View::DECISION, &within, &point);
                region::describe(self.space, &leaf, &within)
            } else {
                String::new()
            };
            found.push(Transition {
                from,
                to,
                example: request,
                region,
            });
        }
        Ok(Some(found))
    }

    /// The transitions by refinement, within a budget of cubes. The search stops once every
    /// transition a new policy can make (allow -> challenge, allow -> block, challenge ->
    /// block) is found.
    pub fn transitions_refined(
        &self,
        on: &Compiled,
        index: usize,
        budget: usize,
    ) -> Result<(Vec<Transition>, bool), AnalysisError> {
        use super::diff::{directed_split, identical_policies, provably_equal};
        let turned = self.side.with_state(on, index, PolicyState::On);
        let sides = [&self.side, &turned];
        let (old_same, new_same) = identical_policies(&self.side, &turned);
        let roots = self.stated()?;
        let within = roots.iter().skip(1).fold(
            roots
                .first()
                .cloned()
                .unwrap_or_else(|| Cube::full(self.space)),
            |h, c| h.hull(c),
        );
        let found: RefCell<Vec<Transition>> = RefCell::new(Vec::new());
        let view = View::DECISION;
        let possible = possible_transitions(&turned, index, self.space);
        if possible.is_empty() {
            return Ok((Vec::new(), true));
        }
        let turned_at = turned
            .policies
            .iter()
            .position(|m| m.index == index)
            .map(|p| p as u32);
        let complete = |found: &RefCell<Vec<Transition>>| {
            let found = found.borrow();
            possible
                .iter()
                .all(|p| found.iter().any(|t| (t.from, t.to) == *p))
        };
        let record = |pair: (Decision, Decision), point: &[u16], cube: &Cube| {
            let mut found = found.borrow_mut();
            if pair.0 != pair.1 && !found.iter().any(|t| (t.from, t.to) == pair) {
                found.push(Transition {
                    from: pair.0,
                    to: pair.1,
                    example: self.space.request(point),
                    region: region::describe(self.space, cube, &within),
                });
            }
        };
        let mut left = budget;
        let mut complete_search = true;
        for root in roots {
            let run = refine_bounded(
                &sides,
                view,
                root,
                left,
                |cube, active| {
                    if provably_equal(view, sides, cube, active, &old_same, &new_same) {
                        return Pre::Settled;
                    }
                    if let Some(split) = directed_split(sides, cube, active, [&old_same, &new_same])
                    {
                        return Pre::Split(split);
                    }
                    // The turned-on policy applies on the whole cube: with one contribution
                    // there, the new answer is the old one joined with it, so nothing changes
                    // where the old pack is surely at least as strict, and nothing new is found
                    // where every transition to its decision is already known.
                    if let Some(p) = turned_at {
                        let ex = sides[1].examine_policy(p, cube);
                        if let (Some(a), super::side::Results::One(c)) = (ex.applies, &ex.results) {
                            if a == YES {
                                if sides[0].sure_join(cube).decision >= c.decision {
                                    return Pre::Settled;
                                }
                                let known = found.borrow();
                                if Decision::ALL.iter().filter(|d| **d < c.decision).all(|d| {
                                    known.iter().any(|t| (t.from, t.to) == (*d, c.decision))
                                }) {
                                    return Pre::Settled;
                                }
                            }
                        }
                    }
                    // The turned-on policy applies on the whole cube: one request decided
                    // by both packs may already show a transition (a witness, never a proof
                    // of absence: that still takes the refinement).
                    let point = cube.lightest(self.space);
                    let request = self.space.request(&point);
                    if let (Some(b), Some(a)) = (
                        super::decision_of(sides[0].c, &request),
                        super::decision_of(sides[1].c, &request),
                    ) {
                        let pair = (b, a);
                        if pair.0 != pair.1
                            && !found.borrow().iter().any(|t| (t.from, t.to) == pair)
                        {
                            let leaf = leaf_around(&sides, view, cube, &point);
                            record(pair, &point, &leaf);
                        }
                    }
                    if complete(&found) {
                        Pre::Stop
                    } else {
                        Pre::Examine
                    }
                },
                |cube, det| {
                    let (point, before) = leaf_outcome(sides[0], &det[0], cube, view)?;
                    let (_, after) = leaf_outcome(sides[1], &det[1], cube, view)?;
                    record((before.decision, after.decision), &point, cube);
                    Ok(if complete(&found) {
                        Flow::Stop
                    } else {
                        Flow::Continue
                    })
                },
            );
            match run {
                Ok(nodes) => left = left.saturating_sub(nodes),
                Err(super::refine::RefineError::TooLarge { .. }) => {
                    complete_search = complete(&found);
                    break;
                }
                Err(e) => return Err(e.into()),
            }
            if complete(&found) || left == 0 {
                complete_search = complete(&found) || left > 0;
                break;
            }
        }
        let mut found = found.into_inner();
        found.sort_by_key(|t| (t.from, t.to));
        Ok((found, complete_search))
    }
}

/// The changes of decision turning policy `index` on can make at all: a policy only adds its
/// contribution to the join, so a decision can only rise, and only to what the policy can
/// contribute (a session-only policy changes no decision; a policy that never blocks makes no
/// request blocked).
fn possible_transitions(
    turned: &Side<'_>,
    index: usize,
    space: &Space,
) -> Vec<(Decision, Decision)> {
    use super::side::Results;
    let Some(model) = turned.policies.iter().find(|m| m.index == index) else {
        return Vec::new();
    };
    let decisions: Vec<Decision> = match turned.results(model, &Cube::full(space)) {
        Results::One(c) => vec![c.decision],
        Results::Several(cs) => cs.iter().map(|c| c.decision).collect(),
        Results::Unknown => vec![Decision::Challenge, Decision::Block],
    };
    let mut out = Vec::new();
    for from in Decision::ALL {
        for &to in &decisions {
            if from < to && !out.contains(&(from, to)) {
                out.push((from, to));
            }
        }
    }
    out
}

/// The smallest cube holding every root.
fn hull(space: &Space, roots: &[Cube]) -> Cube {
    roots.iter().skip(1).fold(
        roots.first().cloned().unwrap_or_else(|| Cube::full(space)),
        |h, c| h.hull(c),
    )
}

/// The symbolic sets of one pack, and the requests that state their signals.
pub(crate) struct SymbolicState {
    sym: Symbolic,
    /// The requests that state their signals; and of those, the ones the pack allows and the
    /// ones it challenges (built once; too large stays too large).
    decided: Option<Result<(Bdd, [Bdd; 2]), TooLarge>>,
}

impl SymbolicState {
    fn new(space: &Space) -> SymbolicState {
        SymbolicState {
            sym: Symbolic::new(Encoding::new(space)),
            decided: None,
        }
    }

    /// For each transition turning policy `p` on makes, a light request that shows it: among
    /// the requests `p` may apply to whose controls give `to`, one the pack decides `from`.
    fn transitions(
        &mut self,
        side: &Side<'_>,
        roots: &[Cube],
        p: u32,
    ) -> Result<Vec<(Decision, Decision, Point)>, TooLarge> {
        if self.decided.is_none() {
            let stated = self.sym.enc.cubes(side.space, roots);
            let allow = self.sym.decided(side, &stated, Decision::Allow);
            let challenge = self.sym.decided(side, &stated, Decision::Challenge);
            self.decided = Some(match (allow, challenge) {
                (Ok(a), Ok(c)) => Ok((stated, [a, c])),
                _ => Err(TooLarge),
            });
        }
        let Some(Ok((stated, decided))) = &self.decided else {
            return Err(TooLarge);
        };
        let sets = self.sym.policy(side, p)?;
        let reach = and(stated, &sets.may_apply)?;
        // Every transition's set, in the order they are listed: the first is shown to the user
        // and gets a light request; the others get any request of their set (one pass over the
        // diagram instead of a search per dimension), which is decided again all the same.
        let mut out: Vec<(Decision, Decision, Point)> = Vec::new();
        let mut regions: [Option<Bdd>; 3] = [None, None, None];
        for from in [Decision::Allow, Decision::Challenge] {
            for to in [Decision::Challenge, Decision::Block] {
                if from >= to {
                    continue;
                }
                let region = match &regions[index(to)] {
                    Some(r) => r.clone(),
                    None => {
                        let r = and(&reach, &sets.gives[index(to)])?;
                        regions[index(to)] = Some(r.clone());
                        r
                    }
                };
                if region.is_false() {
                    continue;
                }
                let set = and(&region, &decided[index(from)])?;
                let point = if out.is_empty() {
                    self.sym.enc.lightest(side.space, &set)
                } else {
                    self.sym.enc.witness(side.space, &set)
                };
                if let Some(point) = point {
                    out.push((from, to, point));
                }
            }
        }
        out.sort_by_key(|(from, to, _)| (*from, *to));
        Ok(out)
    }
}

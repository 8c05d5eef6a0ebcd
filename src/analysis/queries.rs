//! Exact questions the lint rules ask of one pack, over every request that states its signals:
//! which external segment can sign in without MFA (EXT006), which policy only ever applies
//! where another one blocks (CAP002), what turning a policy on would change (CAP005).

use std::cell::RefCell;

use super::cube::Cube;
use super::outcome::{Outcome, View};
use super::refine::{leaf_around, refine, refine_bounded, Flow, Pre};
use super::selector::{self, Selector};
use super::side::{is_single, Side, NO, YES};
use super::space::{Extra, Space, Value};
use super::{leaf_outcome, region, AnalysisError};
use crate::eval::trace::{Classification, OrgStatus};
use crate::eval::{Compiled, Decision};
use crate::model::request::Request;
use crate::model::{Control, PolicyState};

/// One pack's space and its view of it, built once for several questions.
pub struct Queries<'a> {
    space: &'a Space,
    side: Side<'a>,
}

/// The space of one pack (for [`Queries::new`]).
pub fn space_of(c: &Compiled) -> Result<Space, AnalysisError> {
    Ok(Space::new(&[c], &Extra::default())?)
}

/// A request an exact question found, with its answer and the region of requests like it.
#[derive(Debug, Clone)]
pub struct Witness {
    pub request: Request,
    pub outcome: Outcome,
    pub region: String,
}

/// What CAP002 asks of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shadow {
    /// It applies to no request (CAP001's finding, not CAP002's).
    NeverApplies,
    /// Some request it applies to is not blocked by another policy.
    Open,
    /// Every request it applies to is blocked by one of these policies (indexes in the pack).
    By(Vec<usize>),
}

impl<'a> Queries<'a> {
    pub fn new(c: &'a Compiled, space: &'a Space) -> Queries<'a> {
        Queries {
            space,
            side: Side::new(c, space),
        }
    }

    /// Every request that states its signals, as the root cubes.
    fn stated(&self) -> Result<Vec<Cube>, AnalysisError> {
        selector::cubes(&[Selector::default()], &self.side)
            .map_err(|e| AnalysisError::Selector(e.to_string()))
    }

    /// The who classes whose classification `keep` accepts.
    fn who_where(&self, keep: impl Fn(&Classification<'_>) -> bool) -> Vec<usize> {
        let d = self.space.known.who;
        (0..self.space.dims[d].classes.len())
            .filter(|c| {
                let point = self.side.point(&[(d, *c as u16)]);
                self.side
                    .with_ctx(&point, |ctx| keep(&ctx.class))
                    .unwrap_or(false)
            })
            .collect()
    }

    /// EXT006: the lightest sign-in of a segment (B2B guests or members, from inside or outside
    /// the organisation, in no group, role or user list a policy names: the segment as a whole,
    /// not its exceptions) on a cloud app with a password alone (no MFA done, an unmanaged
    /// device, nothing accepted) that is neither blocked nor asked for MFA; `None` when there is
    /// none, or the segment has no user at all.
    pub fn uncovered(
        &self,
        kind: crate::eval::trace::UserKind,
        in_org: bool,
    ) -> Result<Option<Witness>, AnalysisError> {
        let space = self.space;
        let k = space.known;
        let who = self.who_where(|class| {
            class.kind == kind && (class.organization == OrgStatus::In) == in_org
        });
        if who.is_empty() {
            return Ok(None);
        }
        let mut roots = Vec::new();
        for mut cube in self.stated()? {
            cube = cube.with_classes(space, k.who, &who);
            cube.restrict(space, k.app, |c| {
                matches!(
                    &space.dims[k.app].classes[c].value,
                    Value::App(
                        crate::model::request::AppRef::Named(_)
                            | crate::model::request::AppRef::Id(_)
                    ) | Value::OtherApp(crate::model::request::AppRef::Id(_))
                )
            });
            for d in [
                k.mfa,
                k.methods,
                k.flow,
                k.compliant,
                k.hybrid,
                k.registered,
                k.approved_app,
                k.app_protection,
            ] {
                cube = cube.with_classes(space, d, &[0]);
            }
            for (_, d) in space.terms.iter().chain(&space.groups) {
                cube = cube.with_classes(space, *d, &[0]);
            }
            for (_, d) in &space.roles {
                cube = cube.with_classes(space, *d, &[0]);
            }
            cube = cube.with_classes(space, k.user, &[0]);
            roots.push(cube);
        }
        self.lightest(roots, View::MFA, |o| {
            o.decision != Decision::Block && !o.asks_mfa
        })
    }

    /// The lightest request of `roots` whose answer `bad` accepts.
    fn lightest(
        &self,
        roots: Vec<Cube>,
        view: View,
        bad: impl Fn(&Outcome) -> bool,
    ) -> Result<Option<Witness>, AnalysisError> {
        let space = self.space;
        let sides = [&self.side];
        let within = roots.iter().skip(1).fold(
            roots.first().cloned().unwrap_or_else(|| Cube::full(space)),
            |h, c| h.hull(c),
        );
        let mut best: Option<(u32, Cube, Outcome)> = None;
        for root in roots {
            refine(
                &sides,
                view,
                root,
                |_, _| Pre::Examine,
                |cube, det| {
                    let (point, outcome) = leaf_outcome(&self.side, &det[0], cube, view)?;
                    if bad(&outcome) {
                        let w = space.weight(&point);
                        if best.as_ref().is_none_or(|(b, ..)| w < *b) {
                            best = Some((w, cube.clone(), outcome));
                        }
                    }
                    Ok(Flow::Continue)
                },
            )?;
        }
        Ok(best.map(|(_, cube, outcome)| Witness {
            request: space.request(&cube.lightest(space)),
            region: region::describe(space, &cube, &within),
            outcome,
        }))
    }

    /// CAP002: whether every request (stating its signals, let through by the cross-tenant
    /// settings) that the enabled policy `index` applies to is blocked by another enabled
    /// policy with a `block` control.
    pub fn shadow(&self, index: usize) -> Result<Shadow, AnalysisError> {
        let side = &self.side;
        let Some(p) = side
            .policies
            .iter()
            .position(|m| m.index == index && m.state == PolicyState::On)
        else {
            return Ok(Shadow::NeverApplies);
        };
        let p = p as u32;
        let blockers: Vec<u32> = side
            .enforced
            .iter()
            .copied()
            .filter(|q| *q != p)
            .filter(|q| {
                let policy = &side.c.pack().policies[side.policies[*q as usize].index];
                policy
                    .grant
                    .as_ref()
                    .is_some_and(|g| g.controls.iter().any(|c| c.value == Control::Block))
            })
            .collect();
        let mut applies = false;
        let mut open = false;
        let mut used: Vec<u32> = Vec::new();
        let sides = [side];
        for root in self.stated()? {
            refine(
                &sides,
                View::DECISION,
                root,
                |cube, _| {
                    if open {
                        return Pre::Stop;
                    }
                    match side.atom_set(side.gate, cube) {
                        Some(s) if s == NO => return Pre::Settled,
                        Some(s) if s == YES => {}
                        _ => return Pre::Split(side.split_atom(side.gate, cube)),
                    }
                    let own = match side.observe(p, cube) {
                        Ok(s) => s,
                        Err(split) => return Pre::Split(split),
                    };
                    if own != YES {
                        return Pre::Settled;
                    }
                    applies = true;
                    let mut undecided = None;
                    for q in &blockers {
                        match side.applicability(*q, cube) {
                            (Some(s), _) if s == YES => {
                                if !used.contains(q) {
                                    used.push(*q);
                                }
                                return Pre::Settled;
                            }
                            (Some(s), _) if is_single(s) => {}
                            (_, split) => {
                                if undecided.is_none() {
                                    undecided = Some(split.unwrap_or_else(|| side.split_any(cube)));
                                }
                            }
                        }
                    }
                    match undecided {
                        Some(split) => Pre::Split(split),
                        None => {
                            open = true;
                            Pre::Stop
                        }
                    }
                },
                |_, _| Ok(Flow::Continue),
            )?;
            if open {
                return Ok(Shadow::Open);
            }
        }
        if !applies {
            return Ok(Shadow::NeverApplies);
        }
        let mut by: Vec<usize> = used
            .iter()
            .map(|q| side.policies[*q as usize].index)
            .collect();
        by.sort_unstable();
        Ok(Shadow::By(by))
    }
}

/// A change of decision a policy would make once turned on, with one request that shows it.
#[derive(Debug, Clone)]
pub struct Transition {
    pub from: Decision,
    pub to: Decision,
    pub example: Request,
    pub region: String,
}

impl Queries<'_> {
    /// CAP005: which changes of decision turning the `report_only` or `off` policy `index` on
    /// would make (`on` is this pack with that change), each with an example; over every
    /// request that states its signals. Exact: a transition not listed happens to no request.
    /// The search stops once every transition a new policy can make (allow -> challenge,
    /// allow -> block, challenge -> block) is found.
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

    /// [`Queries::transitions`] within a budget of cubes: the transitions found, and whether
    /// the search was complete (when it was not, each transition listed still happens, to its
    /// example, and others may too).
    pub fn transitions_within(
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

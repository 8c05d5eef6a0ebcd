//! Exact questions the lint rules ask of one pack, over every request that states its signals:
//! which external segment can sign in without MFA (EXT006), which policy only ever applies
//! where another one blocks (CAP002), what turning a policy on would change (CAP005).

use std::cell::RefCell;

use super::cube::Cube;
use super::outcome::{Outcome, View};
use super::refine::{refine, Flow, Pre};
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
    pub(crate) space: &'a Space,
    pub(crate) side: Side<'a>,
    /// The symbolic sets of the pack, built on the first question that needs them.
    pub(crate) symbolic: RefCell<Option<super::transitions::SymbolicState>>,
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
            symbolic: RefCell::new(None),
        }
    }

    /// Every request that states its signals, as the root cubes.
    pub(crate) fn stated(&self) -> Result<Vec<Cube>, AnalysisError> {
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
                k.token_bound,
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

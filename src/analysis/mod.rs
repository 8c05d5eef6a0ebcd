//! Exact analysis of the whole request space: the partition of every possible access request
//! into classes that one pack (or two) decide alike, `accord diff` and `accord verify`.
//!
//! ```text
//! Space::new(&[&Compiled]) -> Space       dimensions and their classes (exact, see `space`)
//! Side::new(&Compiled, &Space)            every evaluator test as an atom over the space
//! refine(sides, cube, ...)                split until every pack's answer is constant
//!   -> leaves (cube, Outcome)             the answer computed by the evaluator itself
//! region::merge / region::describe        as few, readable regions as possible
//! diff::diff(old, new, scope)             regions whose answer changed, with examples
//! verify::verify(pack, invariants)        each invariant proven, or a minimal counterexample
//! ```
//!
//! Why not a BDD: the questions are about *regions* an administrator reads, and the answer of
//! a region is needed as the evaluator gives it (requirements, session, why). Refining cubes
//! along the tests the policies make, and pruning every policy that cannot apply to a cube,
//! keeps the regions readable and the work proportional to how the policies interact; the
//! evaluator then decides one request per region. See `refine` for why this is exact.
//!
//! Questions that only ask whether some request exists (CAP005: "does turning this policy on
//! ever move an allowed request to a block?") are answered on binary decision diagrams built
//! from the same atoms (`symbolic`), with every witness decided again by the evaluator.

pub mod cube;
pub mod diff;
pub mod example;
pub mod outcome;
pub mod progress;
pub mod queries;
pub(crate) mod refine;
pub mod region;
pub mod selector;
pub mod settings_diff;
pub(crate) mod side;
pub mod space;
pub(crate) mod symbolic;
pub mod transitions;
pub mod verify;

use crate::eval::resolve::resolve;
use crate::eval::{decide_resolved, Compiled, Evaluation, Options};
use crate::model::request::Request;
use cube::Cube;
use outcome::{BlockedBy, Outcome, View};
use refine::{Determined, RefineError};
use side::Side;
use space::{Point, Space};

pub use refine::{Flow, MAX_NODES};

/// Why an analysis could not run (exit code 2): never a silent partial answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnalysisError {
    Space(space::SpaceError),
    Refine(RefineError),
    /// A selector that does not fit the packs (an unknown tenant, app or group...).
    Selector(String),
}

impl std::fmt::Display for AnalysisError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnalysisError::Space(e) => write!(f, "{e}"),
            AnalysisError::Refine(e) => write!(f, "{e}"),
            AnalysisError::Selector(e) => f.write_str(e),
        }
    }
}

impl From<RefineError> for AnalysisError {
    fn from(e: RefineError) -> Self {
        AnalysisError::Refine(e)
    }
}

impl From<space::SpaceError> for AnalysisError {
    fn from(e: space::SpaceError) -> Self {
        AnalysisError::Space(e)
    }
}

/// One class of the partition: a cube of requests, and the answer each of them gets.
#[derive(Debug, Clone)]
pub struct Leaf {
    pub cube: Cube,
    pub outcome: Outcome,
}

/// The partition of the requests in `roots` (disjoint cubes) under one pack.
pub fn partition(space: &Space, c: &Compiled, roots: &[Cube]) -> Result<Vec<Leaf>, AnalysisError> {
    partition_with(space, c, roots, View::FULL)
}

/// The partition into classes answered alike as far as `view` looks.
pub fn partition_with(
    space: &Space,
    c: &Compiled,
    roots: &[Cube],
    view: View,
) -> Result<Vec<Leaf>, AnalysisError> {
    let sides = [Side::new(c, space)];
    let mut leaves = Vec::new();
    for root in roots {
        refine::refine(
            &[&sides[0]],
            view,
            root.clone(),
            |_, _| refine::Pre::Examine,
            |cube, det| {
                let (_, outcome) = leaf_outcome(&sides[0], &det[0], cube, view)?;
                leaves.push(Leaf {
                    cube: cube.clone(),
                    outcome,
                });
                Ok(Flow::Continue)
            },
        )?;
    }
    Ok(leaves)
}

/// The traced evaluation of a point (for explanations: which policies decided).
pub fn evaluate<'c>(c: &'c Compiled, request: &'c Request) -> Option<Evaluation<'c>> {
    let r = resolve(c, request).ok()?;
    Some(decide_resolved(c, &r, Options::default()))
}

/// The decision alone (the evaluator's decision-only path, proven equal to the traced one).
pub(crate) fn decision_of(c: &Compiled, request: &Request) -> Option<crate::eval::Decision> {
    let r = resolve(c, request).ok()?;
    Some(crate::eval::decide_fast(c, &r, Options::default()).decision)
}

/// The answer of a determined cube: the evaluator's, on the cube's lightest request, checked
/// against what the analysis expects where it can tell.
pub(crate) fn leaf_outcome(
    side: &Side<'_>,
    det: &Determined,
    cube: &Cube,
    view: View,
) -> Result<(Point, Outcome), RefineError> {
    let point = cube.lightest(side.space);
    let request = side.space.request(&point);
    let inconsistent = |detail: String| RefineError::Inconsistent {
        request: example::request_yaml(&request),
        detail,
    };
    let Some(e) = evaluate(side.c, &request) else {
        return Err(inconsistent("the request does not resolve".into()));
    };
    let outcome = Outcome::of(&e);
    if det.gate_blocks {
        if outcome.blocked_by != Some(BlockedBy::Gate) {
            return Err(inconsistent(
                "expected the cross-tenant gate to block".into(),
            ));
        }
    } else if !det.unknowns {
        let j = &det.join;
        let mut ok = outcome.decision == j.decision;
        if view.lockout {
            ok &= outcome.unsatisfiable == j.locked_out();
        }
        if j.decision == crate::eval::Decision::Challenge {
            ok &= !view.requirements || outcome.requirements == j.requirements;
            ok &= !view.mfa || outcome.asks_mfa == j.asks_mfa;
        }
        if j.decision != crate::eval::Decision::Block && view.session {
            ok &= outcome.session == j.session;
        }
        if !ok {
            return Err(inconsistent(format!(
                "expected {:?} {:?}, the evaluator says {}",
                j.decision,
                j.requirements,
                outcome.headline()
            )));
        }
    }
    Ok((point, outcome))
}

/// Every request: the whole space as one cube.
pub fn everything(space: &Space) -> Vec<Cube> {
    vec![Cube::full(space)]
}

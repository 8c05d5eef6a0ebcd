//! The request space as Boolean variables, so that sets of requests are binary decision
//! diagrams (`biodivine-lib-bdd`): each dimension's class index is written in binary on its own
//! run of variables, in the space's dimension order. A cube is a conjunction of one class set
//! per dimension; any set of requests, however ragged, is one diagram.
//!
//! The refinement (`refine`) answers questions whose answer is a list of readable regions. Some
//! questions only ask whether a set of requests is empty, and then which request is in it:
//! "does turning this policy on ever move an allowed request to a block?" (CAP005). The cube
//! refinement answers those by search, which can take long when the witness is rare; the
//! diagram of the set answers at once. See [`pack`] for how a pack's decisions become sets.

pub(crate) mod pack;

use biodivine_lib_bdd::{Bdd, BddPartialValuation, BddVariable, BddVariableSet};

use super::cube::Cube;
use super::space::{DimId, DimKey, Point, Space};

/// The largest diagram (in nodes) one operation may build before the symbolic answer is given
/// up (and the caller falls back to the bounded refinement): bounds memory on hostile packs.
pub(crate) const NODE_LIMIT: usize = 2_000_000;

/// The diagram grew past [`NODE_LIMIT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLarge;

/// The variables of a space.
pub(crate) struct Encoding {
    vars: BddVariableSet,
    /// Per dimension: its first variable and how many bits its class index takes.
    bits: Vec<(u16, u16)>,
    /// Every valid point (class indexes below each dimension's class count).
    domain: Bdd,
}

impl Encoding {
    pub fn new(space: &Space) -> Encoding {
        // Variable order: the dimensions only conditions read first, then who the user is and
        // the signals controls read (the control and device atoms tie `who` to them), so the
        // diagrams of controls stay local and a condition's part stays narrow.
        let late = |k: &DimKey| {
            matches!(
                k,
                DimKey::Who
                    | DimKey::Client
                    | DimKey::Flow
                    | DimKey::Mfa
                    | DimKey::Methods
                    | DimKey::Terms(_)
                    | DimKey::Compliant
                    | DimKey::Hybrid
                    | DimKey::Managed
                    | DimKey::Registered
                    | DimKey::ApprovedApp
                    | DimKey::AppProtection
                    | DimKey::TokenBound
                    | DimKey::Device(_)
            )
        };
        let order = (0..space.dims.len())
            .filter(|d| late(&space.dims[*d].key))
            .chain((0..space.dims.len()).filter(|d| !late(&space.dims[*d].key)));
        let mut bits = vec![(0u16, 0u16); space.dims.len()];
        let mut next: u16 = 0;
        for d in order {
            let n = space.dims[d].classes.len().max(1);
            let width = usize::BITS - (n - 1).leading_zeros();
            bits[d] = (next, width as u16);
            next += width as u16;
        }
        let vars = BddVariableSet::new_anonymous(next);
        let domain = vars.mk_true();
        let mut enc = Encoding { vars, bits, domain };
        let mut domain = enc.vars.mk_true();
        for (d, dim) in space.dims.iter().enumerate() {
            let n = dim.classes.len();
            if n != 1usize << enc.bits[d].1 {
                domain = domain.and(&enc.classes(d, 0..n));
            }
        }
        enc.domain = domain;
        enc
    }

    pub fn tru(&self) -> Bdd {
        self.vars.mk_true()
    }

    pub fn fals(&self) -> Bdd {
        self.vars.mk_false()
    }

    /// Every valid point.
    pub fn domain(&self) -> &Bdd {
        &self.domain
    }

    fn var(&self, d: DimId, bit: u16) -> BddVariable {
        BddVariable::from_index((self.bits[d].0 + bit) as usize)
    }

    /// The requests whose dimension `d` is `class`.
    pub fn class(&self, d: DimId, class: usize) -> Bdd {
        self.vars
            .mk_conjunctive_clause(&BddPartialValuation::from_values(&self.literals(d, class)))
    }

    /// The requests whose dimension `d` is one of `classes`.
    pub fn classes(&self, d: DimId, classes: impl IntoIterator<Item = usize>) -> Bdd {
        classes
            .into_iter()
            .fold(self.fals(), |acc, c| acc.or(&self.class(d, c)))
    }

    /// The requests of a cube.
    pub fn cube(&self, space: &Space, cube: &Cube) -> Bdd {
        let mut out = self.domain.clone();
        for d in 0..space.dims.len() {
            if !cube.is_all(space, d) {
                out = out.and(&self.classes(d, cube.classes(space, d)));
            }
        }
        out
    }

    /// The requests of some cube of a list.
    pub fn cubes(&self, space: &Space, cubes: &[Cube]) -> Bdd {
        cubes
            .iter()
            .fold(self.fals(), |acc, c| acc.or(&self.cube(space, c)))
    }

    /// A light point of a non-empty set of valid points (within [`Encoding::domain`]):
    /// dimension by dimension, in order, the lightest class that leaves the set non-empty
    /// (fewest non-default fields first; not always the global minimum, always a member of the
    /// set). `None` for the empty set.
    pub fn lightest(&self, space: &Space, set: &Bdd) -> Option<Point> {
        // Each class fixed is a cofactor of the set (its variables restricted away), so the
        // diagram shrinks as the point is chosen.
        let mut f = set.clone();
        if f.is_false() {
            return None;
        }
        let mut point: Point = vec![0; space.dims.len()];
        for (d, dim) in space.dims.iter().enumerate() {
            let mut order: Vec<usize> = (0..dim.classes.len()).collect();
            order.sort_by_key(|c| (dim.classes[*c].weight, *c));
            for c in order {
                let g = f.restrict(&self.literals(d, c));
                if !g.is_false() {
                    f = g;
                    point[d] = c as u16;
                    break;
                }
            }
        }
        Some(point)
    }

    /// Some point of a non-empty set of valid points, in one pass over the diagram (no choice of
    /// a light one: see [`Encoding::lightest`]). `None` for the empty set.
    pub fn witness(&self, space: &Space, set: &Bdd) -> Option<Point> {
        let valuation = set.sat_witness()?;
        let point = (0..space.dims.len())
            .map(|d| {
                (0..self.bits[d].1).fold(0u16, |class, b| {
                    class | (u16::from(valuation.value(self.var(d, b))) << b)
                })
            })
            .collect();
        Some(point)
    }

    /// The variable values that say dimension `d` is `class`.
    fn literals(&self, d: DimId, class: usize) -> Vec<(BddVariable, bool)> {
        (0..self.bits[d].1)
            .map(|b| (self.var(d, b), (class >> b) & 1 == 1))
            .collect()
    }
}

/// `a ∧ b` within the node limit.
pub(crate) fn and(a: &Bdd, b: &Bdd) -> Result<Bdd, TooLarge> {
    Bdd::binary_op_with_limit(NODE_LIMIT, a, b, biodivine_lib_bdd::op_function::and).ok_or(TooLarge)
}

/// `a ∨ b` within the node limit.
pub(crate) fn or(a: &Bdd, b: &Bdd) -> Result<Bdd, TooLarge> {
    Bdd::binary_op_with_limit(NODE_LIMIT, a, b, biodivine_lib_bdd::op_function::or).ok_or(TooLarge)
}

/// `a ∧ ¬b` within the node limit.
pub(crate) fn and_not(a: &Bdd, b: &Bdd) -> Result<Bdd, TooLarge> {
    Bdd::binary_op_with_limit(NODE_LIMIT, a, b, biodivine_lib_bdd::op_function::and_not)
        .ok_or(TooLarge)
}

//! The refinement: split the request space into cubes until, on each cube, every pack's answer
//! is the same for every request, and hand each such cube to a goal.
//!
//! On a cube, each enforced policy is *examined*: the set of values each of its conditions takes
//! (exact for one-dimension tests, an over-approximation when tests share dimensions), and the
//! contributions its controls can make. A pack's answer is **determined** on the cube when
//! - the cross-tenant gate is constant, and either blocks (nothing else matters), or
//! - every policy that may apply either applies on the whole cube with one contribution, or is
//!   undecidable on the whole cube (a missing signal) with every condition constant and one
//!   contribution, or never undecidable with every contribution it could make *absorbed* by the
//!   join of the policies that surely apply (a block absorbs everything but an unsatisfiable
//!   control; a challenge absorbs a challenge with no new requirement or session control).
//!
//! Otherwise the first policy in the way names a test that is not constant, and the cube is
//! split along one dimension of that test: by the test's value for a one-dimension test, into
//! single classes otherwise. Every split strictly shrinks a dimension of the cube, so the
//! refinement ends; it is exact because a determined cube's answer is then computed by the
//! evaluator itself on one of its requests (and checked against the join where no signal is
//! missing).

use super::cube::Cube;
use super::outcome::{Contribution, View};
use super::side::{is_single, Atom, Results, Side, TriSet, NO, UNK, YES};
use super::space::DimId;

/// The most cubes one analysis examines before it gives up with an error (a pack written to
/// explode the analysis gets a bounded run and a clear message, not an exhausted machine).
pub const MAX_NODES: usize = 200_000;

/// A split: the dimension and the parts its classes (in the cube) go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub dim: DimId,
    pub parts: Vec<Vec<usize>>,
}

/// A pack's answer on a cube.
#[derive(Debug, Clone)]
pub(crate) enum Verdict {
    Determined(Determined),
    Split(Split),
}

#[derive(Debug, Clone)]
pub(crate) struct Determined {
    /// The gate blocks every request of the cube.
    pub gate_blocks: bool,
    /// The join of the policies that surely apply.
    pub join: Contribution,
    /// Some policy is undecidable (a missing signal): the evaluator enumerates stand-ins.
    pub unknowns: bool,
}

/// What the examination of one policy found.
pub(crate) struct Examined {
    pub applies: Option<TriSet>,
    pub conditions_constant: bool,
    pub results: Results,
}

impl Side<'_> {
    /// Examines a policy's conditions, and its controls only where they can matter: when it
    /// surely applies, is undecidable with every condition constant, or never undecidable.
    pub(crate) fn examine_policy(&self, p: u32, cube: &Cube) -> Examined {
        let model = &self.policies[p as usize];
        let mut applies = Some(YES);
        let mut conditions_constant = true;
        for e in &model.conditions {
            let set = self.expr_set(e, cube);
            match set {
                Some(s) => {
                    if !is_single(s) {
                        conditions_constant = false;
                    }
                    if s == NO {
                        return Examined {
                            applies: Some(NO),
                            conditions_constant: true,
                            results: Results::Unknown,
                        };
                    }
                }
                None => conditions_constant = false,
            }
            applies = match (applies, set) {
                (Some(a), Some(s)) => Some(and_sets(a, s)),
                _ => None,
            };
        }
        // Undecidable somewhere: the evaluator then re-decides stand-ins, and reports the
        // signals the undecidable tests need, so every test (not only every condition) must
        // be constant for the cube to be answered alike.
        if applies.is_some_and(|a| a & UNK != 0) && conditions_constant {
            conditions_constant = model
                .conditions
                .iter()
                .all(|e| self.mixed_atom(e, cube).is_none());
        }
        let needed = match applies {
            Some(a) if a & UNK == 0 => true,
            Some(a) => a == UNK && conditions_constant,
            None => false,
        };
        let results = if needed {
            self.results(model, cube)
        } else {
            Results::Unknown
        };
        Examined {
            applies,
            conditions_constant,
            results,
        }
    }

    /// A lower bound of every answer on the cube: the join of the enforced policies that
    /// surely apply there with one contribution (a block when the gate surely blocks).
    pub(crate) fn sure_join(&self, cube: &Cube) -> Contribution {
        if self.atom_set(self.gate, cube) == Some(NO) {
            return Contribution {
                decision: crate::eval::Decision::Block,
                ..Contribution::allow()
            };
        }
        let mut join = Contribution::allow();
        for &p in &self.enforced {
            let ex = self.examine_policy(p, cube);
            if let (Some(a), Results::One(c)) = (ex.applies, &ex.results) {
                if a == YES {
                    join = join.join(c);
                }
            }
        }
        join
    }

    /// The pack's verdict on a cube, and the policies still in play there.
    pub(crate) fn examine(&self, cube: &Cube, active: &[u32], view: View) -> (Verdict, Vec<u32>) {
        match self.atom_set(self.gate, cube) {
            Some(s) if s == NO => {
                return (
                    Verdict::Determined(Determined {
                        gate_blocks: true,
                        join: Contribution::allow(),
                        unknowns: false,
                    }),
                    Vec::new(),
                )
            }
            Some(s) if s == YES => {}
            _ => {
                let split = self.split_atom(self.gate, cube);
                return (Verdict::Split(split), active.to_vec());
            }
        }
        let mut still = Vec::with_capacity(active.len());
        let mut sure: Vec<(u32, Contribution)> = Vec::new();
        let mut candidates: Vec<(u32, Vec<Contribution>, Examined)> = Vec::new();
        let mut in_way: Vec<(u32, Examined)> = Vec::new();
        let mut unknowns = false;
        for &p in active {
            let ex = self.examine_policy(p, cube);
            if ex.applies == Some(NO) {
                continue;
            }
            still.push(p);
            match (ex.applies, &ex.results) {
                (Some(a), Results::One(c)) if a == YES => sure.push((p, c.clone())),
                (Some(a), Results::One(_)) if a == UNK && ex.conditions_constant => unknowns = true,
                (Some(a), Results::One(c)) if a & UNK == 0 => {
                    let cs = vec![c.clone()];
                    candidates.push((p, cs, ex))
                }
                (Some(a), Results::Several(cs)) if a & UNK == 0 => {
                    let cs = cs.clone();
                    candidates.push((p, cs, ex))
                }
                _ => in_way.push((p, ex)),
            }
        }
        let join = sure
            .iter()
            .fold(Contribution::allow(), |j, (_, c)| j.join(c));
        for (p, cs, ex) in candidates {
            if !cs.iter().all(|c| c.absorbed_by(&join, view)) {
                in_way.push((p, ex));
            }
        }
        if in_way.is_empty() {
            return (
                Verdict::Determined(Determined {
                    gate_blocks: false,
                    join,
                    unknowns,
                }),
                still,
            );
        }
        (Verdict::Split(self.best_split(&in_way, cube)), still)
    }

    /// Among the policies in the way, the split that serves most of them, the ones that may
    /// block counting most: a policy that blocks on part of a cube often settles that part at
    /// once. Ties go to the dimension listed first.
    fn best_split(&self, in_way: &[(u32, Examined)], cube: &Cube) -> Split {
        let mut score: Vec<(DimId, u32)> = Vec::new();
        let mut first_atom: Vec<(DimId, usize)> = Vec::new();
        for (p, ex) in in_way {
            let model = &self.policies[*p as usize];
            let weight = self.weight(ex);
            let conditions_mixed =
                !ex.conditions_constant || ex.applies.is_none_or(|a| !is_single(a));
            let atoms: Vec<usize> = if conditions_mixed {
                model
                    .conditions
                    .iter()
                    .filter_map(|e| self.mixed_atom(e, cube))
                    .collect()
            } else {
                model
                    .controls
                    .iter()
                    .chain(model.session_unsupported.iter())
                    .copied()
                    .filter(|a| self.split_if_mixed(*a, cube).is_some())
                    .collect()
            };
            for a in atoms {
                let Some(d) = self.atom_dim(a, cube) else {
                    continue;
                };
                match score.iter_mut().find(|(x, _)| *x == d) {
                    Some((_, s)) => *s += weight,
                    None => score.push((d, weight)),
                }
                if !first_atom.iter().any(|(x, _)| *x == d) {
                    first_atom.push((d, a));
                }
            }
        }
        let best = score
            .iter()
            .max_by_key(|(d, s)| (*s, std::cmp::Reverse(*d)))
            .map(|(d, _)| *d);
        match best.and_then(|d| first_atom.iter().find(|(x, _)| *x == d)) {
            Some((d, a)) => self.split_atom_on(*a, *d, cube),
            None => {
                let (p, ex) = &in_way[0];
                self.split_policy(*p, ex, cube)
            }
        }
    }

    /// How much a policy in the way counts: by the most restrictive answer it can give.
    fn weight(&self, ex: &Examined) -> u32 {
        let top = match &ex.results {
            Results::One(c) => c.decision,
            Results::Several(cs) => cs
                .iter()
                .map(|c| c.decision)
                .max()
                .unwrap_or(crate::eval::Decision::Allow),
            Results::Unknown => crate::eval::Decision::Block,
        };
        match top {
            crate::eval::Decision::Block => 4,
            crate::eval::Decision::Challenge => 2,
            crate::eval::Decision::Allow => 1,
        }
    }

    /// The dimension a split of this atom would cut.
    fn atom_dim(&self, a: usize, cube: &Cube) -> Option<DimId> {
        match &self.atoms[a] {
            Atom::Single { dim, .. } => Some(*dim),
            Atom::Multi(m) => m
                .dims
                .iter()
                .copied()
                .find(|d| cube.count(self.space, *d) > 1),
            Atom::Const(_) => None,
        }
    }

    /// Splits along `dim` by what the atom tells apart there (one class per part when the
    /// atom's rows cannot be computed).
    fn split_atom_on(&self, a: usize, dim: DimId, cube: &Cube) -> Split {
        match &self.atoms[a] {
            Atom::Multi(m) => {
                let i = m.dims.iter().position(|d| *d == dim).unwrap_or(0);
                match self.rows(m, i, cube) {
                    Some(parts) if parts.len() > 1 => Split { dim, parts },
                    _ => self.split_atom(a, cube),
                }
            }
            _ => self.split_atom(a, cube),
        }
    }

    /// Where to split for a policy in the way: its first condition that is not constant,
    /// else its first control that is not.
    pub(crate) fn split_policy(&self, p: u32, ex: &Examined, cube: &Cube) -> Split {
        let model = &self.policies[p as usize];
        if !ex.conditions_constant || ex.applies.is_none_or(|a| !is_single(a)) {
            for e in &model.conditions {
                if let Some(a) = self.mixed_atom(e, cube) {
                    return self.split_atom(a, cube);
                }
            }
        }
        for a in model
            .controls
            .iter()
            .chain(model.session_unsupported.iter())
        {
            if let Some(split) = self.split_if_mixed(*a, cube) {
                return split;
            }
        }
        // Nothing is mixed, yet the policy was in the way: only possible when a value set was
        // too large to enumerate; split the first dimension with more than one class.
        self.split_widest(cube)
    }

    fn split_if_mixed(&self, a: usize, cube: &Cube) -> Option<Split> {
        match &self.atoms[a] {
            Atom::Const(_) => None,
            Atom::Single { .. } => match self.atom_set(a, cube) {
                Some(s) if is_single(s) => None,
                _ => Some(self.split_atom(a, cube)),
            },
            Atom::Multi(m) => match self.multi_values(m, cube) {
                Some(v) if v.len() <= 1 => None,
                _ => Some(self.split_atom(a, cube)),
            },
        }
    }

    /// Splits a cube along one dimension of an atom that is not constant on it.
    pub(crate) fn split_atom(&self, a: usize, cube: &Cube) -> Split {
        let space = self.space;
        match &self.atoms[a] {
            Atom::Single { dim, table, .. } => {
                let mut parts: Vec<(crate::eval::trace::Tri, Vec<usize>)> = Vec::new();
                for class in cube.classes(space, *dim) {
                    let t = table[class];
                    match parts.iter_mut().find(|(v, _)| *v == t) {
                        Some((_, list)) => list.push(class),
                        None => parts.push((t, vec![class])),
                    }
                }
                Split {
                    dim: *dim,
                    parts: parts.into_iter().map(|(_, l)| l).collect(),
                }
            }
            Atom::Multi(m) => {
                // Along the first dimension (in priority order) whose classes the atom tells
                // apart, group the classes by their row: the atom's values over the cube's
                // classes of the other dimensions. Classes with equal rows are
                // indistinguishable to this atom on this cube and stay together. If every
                // dimension's rows agreed the atom would be constant, so some dimension splits.
                for (i, dim) in m.dims.iter().copied().enumerate() {
                    if cube.count(space, dim) < 2 {
                        continue;
                    }
                    if let Some(parts) = self.rows(m, i, cube) {
                        if parts.len() > 1 {
                            return Split { dim, parts };
                        }
                    }
                }
                let Some(dim) = m.dims.iter().copied().find(|d| cube.count(space, *d) > 1) else {
                    return self.split_widest(cube);
                };
                Split {
                    dim,
                    parts: cube.classes(space, dim).map(|c| vec![c]).collect(),
                }
            }
            Atom::Const(_) => self.split_widest(cube),
        }
    }

    /// The classes of the atom's `i`-th dimension grouped by their rows (`None` when the rows
    /// are too long to compute).
    fn rows(&self, m: &super::side::Multi, i: usize, cube: &Cube) -> Option<Vec<Vec<usize>>> {
        let space = self.space;
        let dim = m.dims[i];
        let mut groups: Vec<(Vec<u16>, Vec<usize>)> = Vec::new();
        for class in cube.classes(space, dim) {
            let sub = cube.with_classes(space, dim, &[class]);
            let row = self.multi_row(m, &sub)?;
            match groups.iter_mut().find(|(r, _)| *r == row) {
                Some((_, list)) => list.push(class),
                None => groups.push((row, vec![class])),
            }
        }
        Some(groups.into_iter().map(|(_, l)| l).collect())
    }

    /// A policy's applicability on a cube, and where to split when it is not constant.
    pub(crate) fn applicability(&self, p: u32, cube: &Cube) -> (Option<TriSet>, Option<Split>) {
        let model = &self.policies[p as usize];
        let mut applies = Some(YES);
        for e in &model.conditions {
            let set = self.expr_set(e, cube);
            applies = match (applies, set) {
                (Some(a), Some(s)) => Some(and_sets(a, s)),
                _ => None,
            };
            if applies == Some(NO) {
                return (applies, None);
            }
        }
        if applies.is_some_and(is_single) {
            return (applies, None);
        }
        let split = model
            .conditions
            .iter()
            .find_map(|e| self.mixed_atom(e, cube))
            .map(|a| self.split_atom(a, cube));
        (applies, split)
    }

    pub(crate) fn split_any(&self, cube: &Cube) -> Split {
        self.split_widest(cube)
    }

    fn split_widest(&self, cube: &Cube) -> Split {
        let space = self.space;
        let dim = (0..space.dims.len())
            .find(|d| cube.count(space, *d) > 1)
            .unwrap_or(0);
        Split {
            dim,
            parts: cube.classes(space, dim).map(|c| vec![c]).collect(),
        }
    }
}

fn and_sets(a: TriSet, b: TriSet) -> TriSet {
    let mut out = 0;
    for (x, tx) in [(YES, 0), (NO, 1), (UNK, 2)] {
        if a & x == 0 {
            continue;
        }
        for (y, ty) in [(YES, 0), (NO, 1), (UNK, 2)] {
            if b & y == 0 {
                continue;
            }
            out |= match (tx, ty) {
                (1, _) | (_, 1) => NO,
                (0, 0) => YES,
                _ => UNK,
            };
        }
    }
    out
}

/// Whether to go on after a leaf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Stop,
}

/// What a goal says of a node before the packs are examined.
pub(crate) enum Pre {
    /// Examine the packs.
    Examine,
    /// Nothing more to learn here (e.g. two packs provably agree).
    Settled,
    /// Split here first.
    Split(Split),
    /// The question is answered: end the refinement.
    Stop,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefineError {
    /// The analysis would examine more than [`MAX_NODES`] cubes.
    TooLarge { nodes: usize },
    /// The evaluator disagreed with the analysis on a request: a bug, reported rather than
    /// hidden.
    Inconsistent { request: String, detail: String },
}

impl std::fmt::Display for RefineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RefineError::TooLarge { nodes } => write!(
                f,
                "the analysis needs more than {nodes} regions of the request space"
            ),
            RefineError::Inconsistent { request, detail } => write!(
                f,
                "internal error: the analysis and the evaluator disagree ({detail}) on\n{request}"
            ),
        }
    }
}

/// Refines `root` over the sides, calling `pre` on every node and `leaf` on every cube where
/// every side is determined. Depth first, in class order: deterministic.
pub(crate) fn refine(
    sides: &[&Side<'_>],
    view: View,
    root: Cube,
    pre: impl FnMut(&Cube, &[Vec<u32>]) -> Pre,
    leaf: impl FnMut(&Cube, &[Determined]) -> Result<Flow, RefineError>,
) -> Result<usize, RefineError> {
    refine_bounded(sides, view, root, MAX_NODES, pre, leaf)
}

/// [`refine`] with a smaller budget of cubes (at most [`MAX_NODES`]).
pub(crate) fn refine_bounded(
    sides: &[&Side<'_>],
    view: View,
    root: Cube,
    budget: usize,
    mut pre: impl FnMut(&Cube, &[Vec<u32>]) -> Pre,
    mut leaf: impl FnMut(&Cube, &[Determined]) -> Result<Flow, RefineError>,
) -> Result<usize, RefineError> {
    let budget = budget.min(MAX_NODES);
    let Some(space) = sides.first().map(|s| s.space) else {
        return Ok(0);
    };
    if root.is_empty(space) {
        return Ok(0);
    }
    let all: Vec<Vec<u32>> = sides.iter().map(|s| s.enforced.clone()).collect();
    let mut stack: Vec<(Cube, Vec<Vec<u32>>)> = vec![(root, all)];
    let mut nodes = 0usize;
    while let Some((cube, active)) = stack.pop() {
        nodes += 1;
        if nodes > budget {
            return Err(RefineError::TooLarge { nodes: budget });
        }
        let split = match pre(&cube, &active) {
            Pre::Stop => return Ok(nodes),
            Pre::Settled => continue,
            Pre::Split(s) => Some((s, active.clone())),
            Pre::Examine => None,
        };
        let (split, next_active) = match split {
            Some(s) => s,
            None => {
                let mut determined = Vec::with_capacity(sides.len());
                let mut first_split = None;
                let mut next_active = Vec::with_capacity(sides.len());
                for (side, act) in sides.iter().zip(&active) {
                    let (verdict, still) = side.examine(&cube, act, view);
                    next_active.push(still);
                    match verdict {
                        Verdict::Determined(d) => determined.push(d),
                        Verdict::Split(s) => {
                            if first_split.is_none() {
                                first_split = Some(s);
                            }
                        }
                    }
                }
                match first_split {
                    None => {
                        if leaf(&cube, &determined)? == Flow::Stop {
                            return Ok(nodes);
                        }
                        continue;
                    }
                    Some(s) => (s, next_active),
                }
            }
        };
        if std::env::var_os("ACCORD_DEBUG_SPLITS").is_some() && nodes % 5000 == 1 {
            let names: Vec<String> = sides
                .iter()
                .zip(&next_active)
                .map(|(_, a)| format!("{} active", a.len()))
                .collect();
            eprintln!(
                "node {nodes}: split {} into {} parts; {}\n  in {}",
                space.dims[split.dim].name,
                split.parts.len(),
                names.join(", "),
                super::region::describe(space, &cube, &Cube::full(space))
            );
        }
        for part in split.parts.iter().rev() {
            stack.push((
                cube.with_classes(space, split.dim, part),
                next_active.clone(),
            ));
        }
    }
    Ok(nodes)
}

/// The determined cube within `cube` that holds `point`: the refinement followed down the one
/// branch the point is in (a path, not a tree). Used to describe the region a witness found
/// by probing stands for, so what is said of the region holds for all of it.
pub(crate) fn leaf_around(sides: &[&Side<'_>], view: View, cube: &Cube, point: &[u16]) -> Cube {
    let Some(space) = sides.first().map(|s| s.space) else {
        return cube.clone();
    };
    let mut cube = cube.clone();
    let mut active: Vec<Vec<u32>> = sides.iter().map(|s| s.enforced.clone()).collect();
    for _ in 0..MAX_NODES {
        let mut first_split = None;
        for (side, act) in sides.iter().zip(active.iter_mut()) {
            let (verdict, still) = side.examine(&cube, act, view);
            *act = still;
            if let Verdict::Split(s) = verdict {
                first_split.get_or_insert(s);
            }
        }
        let Some(split) = first_split else {
            return cube;
        };
        let class = point[split.dim] as usize;
        let Some(part) = split.parts.iter().find(|p| p.contains(&class)) else {
            return cube;
        };
        let next = cube.with_classes(space, split.dim, part);
        if next == cube {
            return cube;
        }
        cube = next;
    }
    cube
}

//! One compiled pack seen over the request space: every test the evaluator makes, as an *atom*
//! tabulated by calling the evaluator's own functions on representative requests, and every
//! enforced policy as expressions over atoms. Evaluating an expression over a cube gives the set
//! of values it takes there (an over-approximation when atoms share dimensions, which only ever
//! causes an extra split, never a wrong answer).

mod build;

use std::cell::RefCell;
use std::collections::HashMap;

use build::SideBuilder;

use super::cube::Cube;
use super::outcome::{Contribution, SessionValues};
use super::space::{DimId, Point, Space};
use crate::eval::classify::{classify, gate};
use crate::eval::compile::Compiled;
use crate::eval::decide::{control_status, Ctx};
use crate::eval::device::device_condition_matches;
use crate::eval::resolve::resolve;
use crate::eval::trace::{PolicyResult, ResultFold, Status, Tri};
use crate::eval::AssumeMissing;
use crate::model::{Control, GrantOp, PolicyState};

/// A set of three-valued truths: bit 0 yes, bit 1 no, bit 2 unknown.
pub type TriSet = u8;
pub const YES: TriSet = 1;
pub const NO: TriSet = 2;
pub const UNK: TriSet = 4;

pub fn tri_bit(t: Tri) -> TriSet {
    match t {
        Tri::Yes => YES,
        Tri::No => NO,
        Tri::Unknown => UNK,
    }
}

fn tris(set: TriSet) -> impl Iterator<Item = Tri> {
    [Tri::Yes, Tri::No, Tri::Unknown]
        .into_iter()
        .filter(move |t| set & tri_bit(*t) != 0)
}

fn combine(a: TriSet, b: TriSet, f: fn(Tri, Tri) -> Tri) -> TriSet {
    let mut out = 0;
    for x in tris(a) {
        for y in tris(b) {
            out |= tri_bit(f(x, y));
        }
    }
    out
}

pub fn is_single(set: TriSet) -> bool {
    set.count_ones() == 1
}

/// Above this many combinations an atom is not enumerated on a cube: the cube is split first.
const PRODUCT_CAP: usize = 4096;
/// Above this many entries a multi-dimension atom's cache is a hash map, not a dense table.
const DENSE_CAP: usize = 1 << 22;

/// A test the evaluator makes.
#[derive(Debug, Clone)]
pub(crate) enum Atom {
    Const(Tri),
    /// A test of one dimension, tabulated per class (bit masks in the cube's word layout).
    Single {
        dim: DimId,
        masks: [Vec<u64>; 3],
        table: Vec<Tri>,
    },
    /// A test of several dimensions, evaluated lazily per combination and cached.
    Multi(Multi),
}

#[derive(Debug, Clone)]
pub(crate) struct Multi {
    pub dims: Vec<DimId>,
    pub kind: MultiKind,
    cache: RefCell<Cache>,
    values: RefCell<Vec<AtomValue>>,
}

impl Multi {
    /// The value a value id stands for.
    pub(crate) fn value(&self, id: u16) -> Option<AtomValue> {
        self.values.borrow().get(id as usize).cloned()
    }
}

#[derive(Debug, Clone)]
enum Cache {
    Dense(Vec<u16>),
    Sparse(HashMap<Vec<u16>, u16>),
}

#[derive(Debug, Clone)]
pub(crate) enum MultiKind {
    /// A grant control (one atom per distinct control of the pack).
    Control(Control),
    /// The device-filter condition of a policy (index in `Compiled::policies`).
    Devices(usize),
    /// The cross-tenant gate.
    Gate,
    /// A policy's session controls make it unsatisfiable: direct connect, or token protection
    /// with an unbound session (index in `Compiled::policies`).
    SessionBlock(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AtomValue {
    Tri(Tri),
    Control { status: Status, tenant: String },
    Gate(bool),
}

#[derive(Debug, Clone)]
pub(crate) enum Expr {
    Atom(usize),
    Const(Tri),
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Not(Box<Expr>),
}

/// An enforced policy as expressions over atoms.
#[derive(Debug, Clone)]
pub(crate) struct PolicyModel {
    /// Index in `Compiled::policies` (and `Pack::policies`).
    pub index: usize,
    pub state: PolicyState,
    pub name: String,
    pub conditions: Vec<Expr>,
    /// Atom per grant control, in grant order.
    pub controls: Vec<usize>,
    /// A `Single` atom over `who`: session controls make the policy unsatisfiable (direct
    /// connect), when the policy has any.
    pub session_unsupported: Option<usize>,
    pub session: SessionValues,
}

/// The set of values a policy's result takes on a cube.
#[derive(Debug, Clone)]
pub(crate) enum Results {
    One(Contribution),
    Several(Vec<Contribution>),
    /// Too many combinations to list (or a control too costly to enumerate).
    Unknown,
}

pub(crate) struct Side<'a> {
    pub c: &'a Compiled,
    pub space: &'a Space,
    pub atoms: Vec<Atom>,
    /// Every policy (only the `on` ones are enforced; the others are observed, or turned on
    /// by [`Side::with_state`]).
    pub policies: Vec<PolicyModel>,
    /// The `on` ones, as indexes into `policies`.
    pub enforced: Vec<u32>,
    pub gate: usize,
}

impl<'a> Side<'a> {
    pub fn new(c: &'a Compiled, space: &'a Space) -> Side<'a> {
        let mut b = SideBuilder {
            side: Side {
                c,
                space,
                atoms: Vec::new(),
                policies: Vec::new(),
                enforced: Vec::new(),
                gate: 0,
            },
            controls: Vec::new(),
            singles: HashMap::new(),
            app_keys: Vec::new(),
        };
        b.side.gate = b.gate_atom();
        b.app_keys = b.app_keys();
        for cp in &c.policies {
            if cp.state == PolicyState::On {
                b.side.enforced.push(b.side.policies.len() as u32);
            }
            let model = b.policy(cp);
            b.side.policies.push(model);
        }
        b.side
    }

    /// The same pack with one policy's state changed, compiled as `c` (which must be this
    /// side's pack with that change: see `Compiled::with_policy_state`).
    pub fn with_state(&self, c: &'a Compiled, index: usize, state: PolicyState) -> Side<'a> {
        let mut side = Side {
            c,
            space: self.space,
            atoms: self.atoms.clone(),
            policies: self.policies.clone(),
            enforced: Vec::new(),
            gate: self.gate,
        };
        for (i, m) in side.policies.iter_mut().enumerate() {
            if m.index == index {
                m.state = state;
            }
            if m.state == PolicyState::On {
                side.enforced.push(i as u32);
            }
        }
        side
    }

    /// A point with every dimension at its default but those given.
    pub fn point(&self, set: &[(DimId, u16)]) -> Point {
        let mut p = vec![0u16; self.space.dims.len()];
        for (d, c) in set {
            p[*d] = *c;
        }
        p
    }

    /// Runs `f` with the evaluator's context for a point (`None` if the request does not
    /// resolve in this pack, which the space rules out by construction).
    pub fn with_ctx<R>(&self, point: &[u16], f: impl FnOnce(&Ctx<'_, '_>) -> R) -> Option<R> {
        let request = self.space.request(point);
        let r = resolve(self.c, &request).ok()?;
        let (class, _) = classify(self.c, &r);
        let ctx = Ctx {
            c: self.c,
            r: &r,
            net: r.net,
            class,
            assume: AssumeMissing::Unknown,
        };
        Some(f(&ctx))
    }

    /// The values an atom takes on a cube, as a tri set (controls and the gate map to the
    /// value ids' count instead: see [`Side::multi_values`]); `None` when too many
    /// combinations.
    pub fn atom_set(&self, a: usize, cube: &Cube) -> Option<TriSet> {
        match &self.atoms[a] {
            Atom::Const(t) => Some(tri_bit(*t)),
            Atom::Single { dim, masks, .. } => {
                let mut s = 0;
                for (bit, mask) in [YES, NO, UNK].into_iter().zip(masks) {
                    if cube.meets(self.space, *dim, mask) {
                        s |= bit;
                    }
                }
                Some(s)
            }
            Atom::Multi(m) => {
                let ids = self.multi_values(m, cube)?;
                let values = m.values.borrow();
                let mut s = 0;
                for id in ids {
                    match &values[id as usize] {
                        AtomValue::Tri(t) => s |= tri_bit(*t),
                        AtomValue::Gate(g) => s |= if *g { YES } else { NO },
                        AtomValue::Control { .. } => s |= YES | NO,
                    }
                }
                Some(s)
            }
        }
    }

    /// The distinct value ids of a multi-dimension atom over a cube.
    pub fn multi_values(&self, m: &Multi, cube: &Cube) -> Option<Vec<u16>> {
        let mut out: Vec<u16> = Vec::new();
        self.for_each_value(m, cube, |id| {
            if !out.contains(&id) {
                out.push(id);
            }
        })?;
        Some(out)
    }

    /// The value ids of a multi-dimension atom over the cube's combinations, in order.
    pub fn multi_row(&self, m: &Multi, cube: &Cube) -> Option<Vec<u16>> {
        let mut out: Vec<u16> = Vec::new();
        self.for_each_value(m, cube, |id| out.push(id))?;
        Some(out)
    }

    fn for_each_value(&self, m: &Multi, cube: &Cube, mut f: impl FnMut(u16)) -> Option<()> {
        let lists: Vec<Vec<usize>> = m
            .dims
            .iter()
            .map(|d| cube.classes(self.space, *d).collect())
            .collect();
        let product = lists
            .iter()
            .try_fold(1usize, |n, l| n.checked_mul(l.len()))?;
        if product > PRODUCT_CAP {
            return None;
        }
        let mut idx = vec![0usize; lists.len()];
        let mut key: Vec<u16> = vec![0; lists.len()];
        for _ in 0..product {
            for (i, l) in lists.iter().enumerate() {
                key[i] = l[idx[i]] as u16;
            }
            f(self.multi_value(m, &key)?);
            // Next combination (mixed radix).
            for i in (0..idx.len()).rev() {
                idx[i] += 1;
                if idx[i] < lists[i].len() {
                    break;
                }
                idx[i] = 0;
            }
        }
        Some(())
    }

    /// The value id of a multi-dimension atom at one combination of its dimensions' classes.
    pub(crate) fn multi_value(&self, m: &Multi, key: &[u16]) -> Option<u16> {
        let slot = dense_slot(self.space, &m.dims, key);
        {
            let cache = m.cache.borrow();
            match (&*cache, slot) {
                (Cache::Dense(v), Some(i)) if v[i] != u16::MAX => return Some(v[i]),
                (Cache::Sparse(map), _) => {
                    if let Some(v) = map.get(key) {
                        return Some(*v);
                    }
                }
                _ => {}
            }
        }
        let set: Vec<(DimId, u16)> = m.dims.iter().copied().zip(key.iter().copied()).collect();
        let point = self.point(&set);
        let value = self.evaluate_multi(&m.kind, &point)?;
        let id = {
            let mut values = m.values.borrow_mut();
            match values.iter().position(|v| *v == value) {
                Some(i) => i as u16,
                None => {
                    values.push(value);
                    (values.len() - 1) as u16
                }
            }
        };
        let mut cache = m.cache.borrow_mut();
        match (&mut *cache, slot) {
            (Cache::Dense(v), Some(i)) => v[i] = id,
            (Cache::Sparse(map), _) => {
                map.insert(key.to_vec(), id);
            }
            _ => {}
        }
        Some(id)
    }

    fn evaluate_multi(&self, kind: &MultiKind, point: &[u16]) -> Option<AtomValue> {
        self.with_ctx(point, |ctx| match kind {
            MultiKind::Control(control) => {
                let (status, _, tenant) = control_status(ctx, control);
                AtomValue::Control {
                    status,
                    tenant: super::outcome::tenant_label(&ctx.class.home, tenant),
                }
            }
            MultiKind::Devices(i) => {
                let policy = &self.c.pack().policies[*i];
                let t = policy
                    .conditions
                    .devices
                    .as_ref()
                    .map_or(Tri::Yes, |cond| device_condition_matches(cond, ctx));
                AtomValue::Tri(t)
            }
            MultiKind::SessionBlock(i) => {
                let blocked = self
                    .c
                    .policies
                    .iter()
                    .find(|cp| cp.index == *i)
                    .is_some_and(|cp| {
                        crate::eval::decide::session_unsupported(ctx, cp)
                            || crate::eval::decide::token_unprotected(ctx, cp)
                    });
                AtomValue::Tri(Tri::from_bool(blocked))
            }
            MultiKind::Gate => {
                // Everything before Conditional Access: the cross-tenant gate, then the app's
                // assignment requirement (`eval::directory`), as the trace reads them.
                let (class, settings) = classify(self.c, ctx.r);
                let admitted = gate(self.c, ctx.r, &class, settings).allows()
                    && crate::eval::directory::assignment(self.c, ctx.r, &class)
                        .is_none_or(|a| a.allows());
                AtomValue::Gate(admitted)
            }
        })
    }

    /// The values a condition expression takes on a cube.
    pub fn expr_set(&self, e: &Expr, cube: &Cube) -> Option<TriSet> {
        Some(match e {
            Expr::Const(t) => tri_bit(*t),
            Expr::Atom(a) => self.atom_set(*a, cube)?,
            Expr::Or(items) => {
                let mut s = NO;
                for i in items {
                    s = combine(s, self.expr_set(i, cube)?, Tri::or);
                }
                s
            }
            Expr::And(items) => {
                let mut s = YES;
                for i in items {
                    s = combine(s, self.expr_set(i, cube)?, Tri::and);
                }
                s
            }
            Expr::Not(inner) => {
                let s = self.expr_set(inner, cube)?;
                let mut out = s & UNK;
                if s & YES != 0 {
                    out |= NO;
                }
                if s & NO != 0 {
                    out |= YES;
                }
                out
            }
        })
    }

    /// The first atom of an expression that is not constant on the cube.
    pub fn mixed_atom(&self, e: &Expr, cube: &Cube) -> Option<usize> {
        match e {
            Expr::Const(_) => None,
            Expr::Atom(a) => match self.atom_set(*a, cube) {
                Some(s) if is_single(s) => None,
                _ => Some(*a),
            },
            Expr::Or(items) | Expr::And(items) => {
                items.iter().find_map(|i| self.mixed_atom(i, cube))
            }
            Expr::Not(inner) => self.mixed_atom(inner, cube),
        }
    }

    /// The contributions a policy can make on a cube (assuming it applies).
    pub fn results(&self, p: &PolicyModel, cube: &Cube) -> Results {
        let mut per_control: Vec<Vec<(Status, String)>> = Vec::new();
        for a in &p.controls {
            let Atom::Multi(m) = &self.atoms[*a] else {
                return Results::Unknown;
            };
            let Some(ids) = self.multi_values(m, cube) else {
                return Results::Unknown;
            };
            let values = m.values.borrow();
            per_control.push(
                ids.iter()
                    .filter_map(|id| match &values[*id as usize] {
                        AtomValue::Control { status, tenant } => Some((*status, tenant.clone())),
                        _ => None,
                    })
                    .collect(),
            );
        }
        let session_sets: Vec<bool> = match p.session_unsupported {
            Some(a) => match self.atom_set(a, cube) {
                Some(s) => tris(s).map(|t| t == Tri::Yes).collect(),
                None => return Results::Unknown,
            },
            None => vec![false],
        };
        let combos = per_control
            .iter()
            .map(|v| v.len())
            .product::<usize>()
            .saturating_mul(session_sets.len());
        if combos > 64 {
            return Results::Unknown;
        }
        let mut out: Vec<Contribution> = Vec::new();
        let mut idx = vec![0usize; per_control.len()];
        for _ in 0..combos / session_sets.len().max(1) {
            let statuses: Vec<&(Status, String)> =
                per_control.iter().zip(&idx).map(|(v, i)| &v[*i]).collect();
            for unsupported in &session_sets {
                let c = self.contribution(p, &statuses, *unsupported);
                if !out.contains(&c) {
                    out.push(c);
                }
            }
            for i in (0..idx.len()).rev() {
                idx[i] += 1;
                if idx[i] < per_control[i].len() {
                    break;
                }
                idx[i] = 0;
            }
        }
        match out.len() {
            1 => Results::One(out.remove(0)),
            _ => Results::Several(out),
        }
    }

    /// A policy's contribution from its controls' statuses, folded as the evaluator folds them.
    pub(crate) fn contribution(
        &self,
        p: &PolicyModel,
        statuses: &[&(Status, String)],
        session_unsupported: bool,
    ) -> Contribution {
        let policy = &self.c.pack().policies[p.index];
        let mut fold = ResultFold::new(policy);
        for (s, _) in statuses {
            fold.grant(*s);
        }
        if session_unsupported {
            fold.session(Status::Unsatisfiable);
        }
        let result = fold.finish();
        let mut requirements = Vec::new();
        let mut asks_mfa = false;
        if result == PolicyResult::Challenge {
            let controls = policy
                .grant
                .as_ref()
                .map(|g| &g.controls[..])
                .unwrap_or(&[]);
            let items: Vec<String> = controls
                .iter()
                .zip(statuses)
                .filter_map(|(c, (s, tenant))| match s {
                    Status::Challenge(place) => {
                        Some(super::outcome::requirement_text(&c.value, *place, tenant))
                    }
                    _ => None,
                })
                .collect();
            let any = policy
                .grant
                .as_ref()
                .is_some_and(|g| g.op.value == GrantOp::Any);
            let challenged: Vec<bool> = controls
                .iter()
                .zip(statuses)
                .filter(|(_, (s, _))| matches!(s, Status::Challenge(_)))
                .map(|(c, _)| matches!(c.value, Control::Mfa | Control::AuthStrength(_)))
                .collect();
            asks_mfa = if any && challenged.len() > 1 {
                challenged.iter().all(|m| *m)
            } else {
                challenged.iter().any(|m| *m)
            };
            if any && items.len() > 1 {
                requirements.push(format!("any({})", items.join(", ")));
            } else {
                requirements = items;
            }
            requirements.sort();
            requirements.dedup();
        }
        Contribution {
            decision: result.decision(),
            requirements,
            session: p.session.clone(),
            unsatisfiable: result == PolicyResult::Unsatisfiable,
            blocks: result == PolicyResult::Block,
            asks_mfa,
        }
    }
}

/// The slot of a combination in a dense table over the dimensions' full class lists.
fn dense_slot(space: &Space, dims: &[DimId], key: &[u16]) -> Option<usize> {
    let mut slot = 0usize;
    for (d, k) in dims.iter().zip(key) {
        let n = space.dims[*d].classes.len();
        slot = slot.checked_mul(n)?.checked_add(*k as usize)?;
    }
    Some(slot)
}

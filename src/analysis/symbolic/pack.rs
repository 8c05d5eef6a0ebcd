//! A pack's decisions as sets of requests. Built from the very atoms the refinement uses (each a
//! table computed by the evaluator's own condition, control and gate functions on one request
//! per class or combination of classes, see `side`), so the two cannot read a pack differently.
//!
//! On requests that state every signal a stand-in would replace (platform, address, country:
//! the requests the lint rules ask about), the evaluator's decision is the most restrictive
//! result among the enforced policies that apply or may apply, or a block when the cross-tenant
//! settings refuse first (`eval::decide_fast`: with no missing signal, the decision is its
//! `worst`). As sets:
//!
//! ```text
//! at least challenge = ¬gate ∨ ⋁ over enforced Q of (Q may apply ∧ Q's controls give challenge or block)
//! block              = ¬gate ∨ ⋁ over enforced Q of (Q may apply ∧ Q's controls give block)
//! ```
//!
//! A policy's controls are a product of control atoms; each combination of their statuses is
//! folded by the evaluator's own fold (`Side::contribution`). Every request this module hands
//! out as a witness is decided again by the evaluator, and a disagreement is an error; a
//! property test compares the sets with the evaluator on random requests.

use std::collections::HashMap;

use biodivine_lib_bdd::Bdd;

use super::{and, and_not, or, Encoding, TooLarge};
use crate::analysis::side::{Atom, AtomValue, Expr, Multi, Side};
use crate::eval::trace::{Status, Tri};
use crate::eval::Decision;

/// The most combinations of classes one multi-dimension atom is tabulated over.
const PRODUCT_LIMIT: usize = 1 << 20;

/// Where a policy may apply, and what its controls give, as sets.
#[derive(Clone)]
pub(crate) struct PolicySets {
    /// Applies or may apply (its applicability is not `No`).
    pub may_apply: Bdd,
    /// Where its controls give each decision (allow, challenge, block), whether it applies or
    /// not: a partition of the valid points.
    pub gives: [Bdd; 3],
}

/// The slot of a decision in the arrays above.
pub(crate) fn index(d: Decision) -> usize {
    match d {
        Decision::Allow => 0,
        Decision::Challenge => 1,
        Decision::Block => 2,
    }
}

/// The sets of one side (built lazily, each once).
pub(crate) struct Symbolic {
    pub enc: Encoding,
    /// Per atom, where it is yes and where it is no.
    atoms: HashMap<usize, (Bdd, Bdd)>,
    /// Per atom of a control, its sets by status.
    controls: HashMap<usize, Vec<(Status, Bdd)>>,
    policies: HashMap<u32, PolicySets>,
}

impl Symbolic {
    pub fn new(enc: Encoding) -> Symbolic {
        Symbolic {
            enc,
            atoms: HashMap::new(),
            controls: HashMap::new(),
            policies: HashMap::new(),
        }
    }

    /// The sets of policy `p` (an index into `side.policies`).
    pub fn policy(&mut self, side: &Side<'_>, p: u32) -> Result<PolicySets, TooLarge> {
        if let Some(s) = self.policies.get(&p) {
            return Ok(s.clone());
        }
        let model = &side.policies[p as usize];
        // A conjunction of conditions is `No` where any condition is.
        let mut no = self.enc.fals();
        for e in &model.conditions {
            let (_, n) = self.expr(side, e)?;
            no = or(&no, &n)?;
        }
        let may_apply = and_not(self.enc.domain(), &no)?;
        // Each control's sets by status, then every combination folded as the evaluator folds.
        let mut per_control: Vec<Vec<(Status, Bdd)>> = Vec::new();
        for a in &model.controls {
            per_control.push(self.control(side, *a)?);
        }
        let unsupported: Vec<(bool, Bdd)> = match model.session_unsupported {
            Some(a) => {
                let (y, _) = self.atom(side, a)?;
                let rest = and_not(self.enc.domain(), &y)?;
                vec![(true, y), (false, rest)]
            }
            None => vec![(false, self.enc.domain().clone())],
        };
        let mut gives = [self.enc.fals(), self.enc.fals(), self.enc.fals()];
        let mut idx = vec![0usize; per_control.len()];
        loop {
            let mut set = self.enc.domain().clone();
            let mut statuses: Vec<(Status, String)> = Vec::with_capacity(idx.len());
            for (list, i) in per_control.iter().zip(&idx) {
                statuses.push((list[*i].0, String::new()));
                set = and(&set, &list[*i].1)?;
            }
            if !set.is_false() {
                let refs: Vec<&(Status, String)> = statuses.iter().collect();
                for (flag, part) in &unsupported {
                    let d = side.contribution(model, &refs, *flag).decision;
                    let s = and(&set, part)?;
                    gives[index(d)] = or(&gives[index(d)], &s)?;
                }
            }
            // Next combination (mixed radix); done when every digit wrapped.
            let mut carry = true;
            for i in (0..idx.len()).rev() {
                idx[i] += 1;
                if idx[i] < per_control[i].len() {
                    carry = false;
                    break;
                }
                idx[i] = 0;
            }
            if carry {
                break;
            }
        }
        let sets = PolicySets { may_apply, gives };
        self.policies.insert(p, sets.clone());
        Ok(sets)
    }

    /// The requests of `region` (which must state their signals) that the pack decides `d`.
    /// Computed within the region, policy by policy, so that every intermediate set stays as
    /// narrow as the region.
    pub fn decided(&mut self, side: &Side<'_>, region: &Bdd, d: Decision) -> Result<Bdd, TooLarge> {
        let (gate_yes, _) = self.atom(side, side.gate)?;
        let let_in = and(region, &gate_yes)?;
        // Below a block: let in, and no enforced policy that may apply blocks.
        let below = |this: &mut Self, slot: usize| -> Result<Bdd, TooLarge> {
            let mut out = let_in.clone();
            for &q in &side.enforced {
                if out.is_false() {
                    break;
                }
                let s = this.policy(side, q)?;
                let mut raises = s.gives[2].clone();
                if slot == 1 {
                    raises = or(&raises, &s.gives[1])?;
                }
                out = and_not(&out, &and(&s.may_apply, &raises)?)?;
            }
            Ok(out)
        };
        match d {
            Decision::Allow => below(self, 1),
            Decision::Challenge => {
                let not_block = below(self, 2)?;
                let allow = below(self, 1)?;
                and_not(&not_block, &allow)
            }
            Decision::Block => {
                let not_block = below(self, 2)?;
                and_not(region, &not_block)
            }
        }
    }

    /// Where a condition expression is yes, and where it is no (unknown elsewhere).
    fn expr(&mut self, side: &Side<'_>, e: &Expr) -> Result<(Bdd, Bdd), TooLarge> {
        Ok(match e {
            Expr::Const(t) => self.constant(*t),
            Expr::Atom(a) => self.atom(side, *a)?,
            Expr::And(items) => {
                let (mut y, mut n) = (self.enc.tru(), self.enc.fals());
                for i in items {
                    let (iy, inn) = self.expr(side, i)?;
                    y = and(&y, &iy)?;
                    n = or(&n, &inn)?;
                }
                (y, n)
            }
            Expr::Or(items) => {
                let (mut y, mut n) = (self.enc.fals(), self.enc.tru());
                for i in items {
                    let (iy, inn) = self.expr(side, i)?;
                    y = or(&y, &iy)?;
                    n = and(&n, &inn)?;
                }
                (y, n)
            }
            Expr::Not(inner) => {
                let (y, n) = self.expr(side, inner)?;
                (n, y)
            }
        })
    }

    fn constant(&self, t: Tri) -> (Bdd, Bdd) {
        let set = |b: bool| if b { self.enc.tru() } else { self.enc.fals() };
        (set(t == Tri::Yes), set(t == Tri::No))
    }

    /// Where a (yes/no/unknown or gate) atom is yes, and where it is no.
    fn atom(&mut self, side: &Side<'_>, a: usize) -> Result<(Bdd, Bdd), TooLarge> {
        if let Some(s) = self.atoms.get(&a) {
            return Ok(s.clone());
        }
        let sets = match &side.atoms[a] {
            Atom::Const(t) => self.constant(*t),
            Atom::Single { dim, table, .. } => {
                let of = |want: Tri| {
                    self.enc.classes(
                        *dim,
                        table
                            .iter()
                            .enumerate()
                            .filter(move |(_, t)| **t == want)
                            .map(|(c, _)| c),
                    )
                };
                (of(Tri::Yes), of(Tri::No))
            }
            Atom::Multi(m) => {
                let (mut y, mut n) = (self.enc.fals(), self.enc.fals());
                for (value, set) in self.tabulate(side, m)? {
                    match value {
                        AtomValue::Tri(Tri::Yes) | AtomValue::Gate(true) => y = or(&y, &set)?,
                        AtomValue::Tri(Tri::No) | AtomValue::Gate(false) => n = or(&n, &set)?,
                        _ => {}
                    }
                }
                (y, n)
            }
        };
        self.atoms.insert(a, sets.clone());
        Ok(sets)
    }

    /// A control atom's sets by status (the tenant a challenge happens in does not change a
    /// decision, so challenges in different tenants share one set).
    fn control(&mut self, side: &Side<'_>, a: usize) -> Result<Vec<(Status, Bdd)>, TooLarge> {
        if let Some(s) = self.controls.get(&a) {
            return Ok(s.clone());
        }
        let mut out: Vec<(Status, Bdd)> = Vec::new();
        // A control is always a multi-dimension atom; anything else gives no set, and the
        // policy then gives nothing, which the witnesses' re-decision would expose.
        if let Atom::Multi(m) = &side.atoms[a] {
            for (value, set) in self.tabulate(side, m)? {
                let AtomValue::Control { status, .. } = value else {
                    continue;
                };
                match out.iter_mut().find(|(s, _)| *s == status) {
                    Some((_, b)) => *b = or(b, &set)?,
                    None => out.push((status, set)),
                }
            }
        }
        self.controls.insert(a, out.clone());
        Ok(out)
    }

    /// A multi-dimension atom's sets by value, over every combination of its dimensions.
    fn tabulate(&self, side: &Side<'_>, m: &Multi) -> Result<Vec<(AtomValue, Bdd)>, TooLarge> {
        let space = side.space;
        let product = m.dims.iter().try_fold(1usize, |n, d| {
            n.checked_mul(space.dims[*d].classes.len())
                .filter(|n| *n <= PRODUCT_LIMIT)
        });
        if product.is_none() {
            return Err(TooLarge);
        }
        let mut key = vec![0u16; m.dims.len()];
        let by_id = self.tabulate_from(side, m, 0, &mut key)?;
        Ok(by_id
            .into_iter()
            .filter_map(|(id, set)| m.value(id).map(|v| (v, set)))
            .collect())
    }

    /// The sets by value id over the atom's dimensions from the `i`-th on, the earlier ones
    /// fixed in `key`.
    fn tabulate_from(
        &self,
        side: &Side<'_>,
        m: &Multi,
        i: usize,
        key: &mut Vec<u16>,
    ) -> Result<Vec<(u16, Bdd)>, TooLarge> {
        let Some(&dim) = m.dims.get(i) else {
            return Ok(match side.multi_value(m, key) {
                Some(id) => vec![(id, self.enc.tru())],
                None => Vec::new(),
            });
        };
        let mut out: Vec<(u16, Bdd)> = Vec::new();
        for class in 0..side.space.dims[dim].classes.len() {
            key[i] = class as u16;
            let here = self.enc.class(dim, class);
            for (id, set) in self.tabulate_from(side, m, i + 1, key)? {
                let part = and(&here, &set)?;
                match out.iter_mut().find(|(x, _)| *x == id) {
                    Some((_, b)) => *b = or(b, &part)?,
                    None => out.push((id, part)),
                }
            }
        }
        Ok(out)
    }
}

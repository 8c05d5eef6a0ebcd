//! `accord verify`: invariants written next to a pack, each proven over every request it
//! selects, or refuted with the smallest request that breaks it.
//!
//! # The verify file
//!
//! `*.verify.yaml` in the pack folder or its `tests/` folder:
//!
//! ```yaml
//! invariants:
//!   - name: no out-of-organization user reaches SharePoint without MFA
//!     for:                                  # a selector (see `analysis::selector`)
//!       user: external(any) from outside_organization
//!       app: sharepoint
//!       auth: { mfa: none }
//!     expect:
//!       requires: [mfa]                     # blocked, or challenged for MFA
//!   - name: embargoed countries are blocked for every external user
//!     for: { user: guests_or_external, network: { location: embargo } }
//!     expect: { decision: block }
//!   - name: guests are never asked for app protection
//!     for: { user: external(b2b_guest) from any }
//!     expect: { never_unsatisfiable: true }
//! ```
//!
//! Expectations, all of which must hold for every selected request:
//! - `decision: block` (or a list): the decision is one of them;
//! - `not: allow` (or a list): the decision is none of them;
//! - `requires: [mfa, terms_of_use "Partner terms", mfa in fabrikam]`: the request is blocked,
//!   or challenged with each of these among its requirements (an `any(...)` requirement counts
//!   for a control only when every alternative is that control); a bare `terms_of_use` or
//!   `auth_strength` stands for any of its kind;
//! - `never_unsatisfiable: true`: no policy in force holds a control this user can never
//!   satisfy (app protection for a guest, a device claim a partner's settings do not trust...);
//! - `applied: [policy]` / `not_applied: [policy]`: the policies apply to every selected request
//!   / to none (`on` and `report_only` policies; one that only *may* apply, for a signal the
//!   request leaves out, satisfies neither).
//!
//! A violated invariant reports its minimal counterexample: among every request that breaks
//! it, one with the fewest fields that differ from the request defaults (exact: the refinement
//! covers every request of the selector, and within each of its cubes the lightest request is
//! the one with every dimension at its lightest class).

pub mod file;

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use super::cube::Cube;
use super::diff::responsible;
use super::outcome::{Contribution, Outcome, View};
use super::refine::{leaf_around, refine, Flow, Pre};
use super::selector::{self, Selector};
use super::side::{is_single, Side, TriSet, NO, YES};
use super::space::Space;
use super::{evaluate, leaf_outcome, region, AnalysisError};
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::eval::{Compiled, Decision};
use crate::model::request::Request;
use crate::source::{FileId, Sources, Span};

pub const VERIFY_FILE_SUFFIX: &str = ".verify.yaml";

#[derive(Debug, Clone)]
pub struct VerifyFile {
    pub file: FileId,
    pub name: String,
    /// Problems of the file as a whole (nothing in it runs).
    pub diagnostics: Vec<Diagnostic>,
    pub invariants: Vec<Invariant>,
}

#[derive(Debug, Clone)]
pub struct Invariant {
    pub name: String,
    pub span: Span,
    pub selectors: Vec<Selector>,
    pub expect: Expect,
    /// Problems of this invariant (it is not run).
    pub problems: Vec<Diagnostic>,
    /// Policy names in `applied` / `not_applied`, with where they are written.
    pub policy_refs: Vec<(String, Span)>,
}

#[derive(Debug, Clone, Default)]
pub struct Expect {
    pub decision: Option<Vec<Decision>>,
    pub not: Vec<Decision>,
    pub requires: Vec<Pattern>,
    pub never_unsatisfiable: bool,
    pub applied: Vec<String>,
    pub not_applied: Vec<String>,
}

/// A requirement an invariant asks for: a control (as `accord whatif` writes it), optionally
/// where it happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub control: String,
    pub tenant: Option<String>,
}

impl std::fmt::Display for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.control)?;
        if let Some(t) = &self.tenant {
            write!(f, " in {t}")?;
        }
        Ok(())
    }
}

/// The verify files of a pack folder: `*.verify.yaml` in it and in its `tests/` folder, sorted.
pub fn discover(pack: &Path) -> std::io::Result<Vec<PathBuf>> {
    crate::input::pack_side_files(pack, VERIFY_FILE_SUFFIX)
}

/// A pack's verify files, read and parsed.
#[derive(Debug, Default)]
pub struct Invariants {
    pub sources: Sources,
    pub files: Vec<VerifyFile>,
}

impl Invariants {
    pub fn add(&mut self, path: impl Into<PathBuf>, text: String) -> FileId {
        let id = self.sources.add(path, text);
        let name = self
            .sources
            .get(id)
            .map(|f| f.name.clone())
            .unwrap_or_default();
        let parsed = file::parse(id, &name, self.sources.text(id));
        self.files.push(parsed);
        id
    }

    pub fn load(pack: &Path) -> std::io::Result<Invariants> {
        let mut all = Invariants::default();
        for path in discover(pack)? {
            let text = std::fs::read_to_string(&path)?;
            all.add(path, text);
        }
        Ok(all)
    }

    pub fn count(&self) -> usize {
        self.files
            .iter()
            .map(|f| {
                f.invariants
                    .len()
                    .max(usize::from(!f.diagnostics.is_empty()))
            })
            .sum()
    }
}

/// The smallest request that breaks an invariant, and why.
#[derive(Debug, Clone)]
pub struct Counterexample {
    pub request: Request,
    /// Fields that differ from the request defaults.
    pub weight: u32,
    pub outcome: Outcome,
    /// Every expectation it breaks, in words.
    pub broken: Vec<String>,
    /// The policies that decide it (or the cross-tenant settings).
    pub policies: Vec<String>,
    /// The region of requests that break the invariant the same way.
    pub region: String,
}

#[derive(Debug, Clone)]
pub enum Verdict {
    Holds,
    Violated(Box<Counterexample>),
    /// The invariant (or its file) could not be run as written: it counts as failed.
    Error(Vec<Diagnostic>),
}

#[derive(Debug, Clone)]
pub struct InvariantResult {
    pub name: String,
    pub file: FileId,
    pub span: Span,
    pub verdict: Verdict,
    /// Classes of requests examined.
    pub regions: usize,
}

impl InvariantResult {
    pub fn holds(&self) -> bool {
        matches!(self.verdict, Verdict::Holds)
    }
}

/// Runs every invariant whose name contains `filter` (ignoring case), in file order.
pub fn run(
    c: &Compiled,
    all: &Invariants,
    filter: Option<&str>,
) -> Result<Vec<InvariantResult>, AnalysisError> {
    run_with(c, all, filter, &super::progress::Silent)
}

/// [`run`], reporting the invariants proven so far to `progress`.
pub fn run_with(
    c: &Compiled,
    all: &Invariants,
    filter: Option<&str>,
    progress: &dyn super::progress::Progress,
) -> Result<Vec<InvariantResult>, AnalysisError> {
    let wanted =
        |name: &str| filter.is_none_or(|f| name.to_lowercase().contains(&f.to_lowercase()));
    let selectors: Vec<Selector> = all
        .files
        .iter()
        .flat_map(|f| &f.invariants)
        .flat_map(|i| i.selectors.iter().cloned())
        .collect();
    let space = Space::new(&[c], &Selector::extra(&selectors))?;
    let side = Side::new(c, &space);
    let mut out = Vec::new();
    let total = all
        .files
        .iter()
        .flat_map(|f| &f.invariants)
        .filter(|i| wanted(&i.name))
        .count() as u64;
    let mut done = 0u64;
    for f in &all.files {
        if !f.diagnostics.is_empty() {
            out.push(InvariantResult {
                name: format!("(file {})", f.name),
                file: f.file,
                span: f.diagnostics[0].span.unwrap_or_default(),
                verdict: Verdict::Error(f.diagnostics.clone()),
                regions: 0,
            });
            continue;
        }
        for inv in f.invariants.iter().filter(|i| wanted(&i.name)) {
            progress.report("invariants", done, total);
            done += 1;
            let (verdict, regions) = match check(&side, inv) {
                Ok(v) => v,
                Err(AnalysisError::Refine(e)) => return Err(AnalysisError::Refine(e)),
                Err(e) => (
                    Verdict::Error(vec![Diagnostic::error(
                        file::INVALID_SELECTOR,
                        format!("in `for`: {e}"),
                    )
                    .at(inv.span)]),
                    0,
                ),
            };
            out.push(InvariantResult {
                name: inv.name.clone(),
                file: f.file,
                span: inv.span,
                verdict,
                regions,
            });
        }
    }
    Ok(out)
}

/// An observed policy: its index in the side's models (`None`: the policy is `off`, so it never
/// applies), and whether it must apply.
type Observed = (String, Option<u32>, bool);

fn observed(side: &Side<'_>, inv: &Invariant) -> Result<Vec<Observed>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let names: Vec<&str> = side
        .c
        .pack()
        .policies
        .iter()
        .map(|p| p.name.value.as_str())
        .collect();
    for (name, must) in inv
        .expect
        .applied
        .iter()
        .map(|n| (n, true))
        .chain(inv.expect.not_applied.iter().map(|n| (n, false)))
    {
        if !names.contains(&name.as_str()) {
            let at = inv
                .policy_refs
                .iter()
                .find(|(n, _)| n == name)
                .map_or(inv.span, |(_, s)| *s);
            problems.push(
                Diagnostic::error(
                    file::UNKNOWN_POLICY,
                    format!("the pack has no policy `{name}`"),
                )
                .at(at)
                .help(
                    did_you_mean(name, names.iter().copied()).unwrap_or_else(|| {
                        "name a policy exactly as its `policy \"...\"` line writes it".into()
                    }),
                ),
            );
            continue;
        }
        let index = side
            .policies
            .iter()
            .position(|m| m.name == *name && m.state != crate::model::PolicyState::Off)
            .map(|i| i as u32);
        out.push((name.clone(), index, must));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The best counterexample so far: its weight, its region, its answer, what it breaks.
type Found = (u32, Cube, Outcome, Vec<String>);

fn check(side: &Side<'_>, inv: &Invariant) -> Result<(Verdict, usize), AnalysisError> {
    if !inv.problems.is_empty() {
        return Ok((Verdict::Error(inv.problems.clone()), 0));
    }
    let observed = match observed(side, inv) {
        Ok(o) => o,
        Err(problems) => return Ok((Verdict::Error(problems), 0)),
    };
    let space = side.space;
    let roots = selector::cubes(&inv.selectors, side)
        .map_err(|e| AnalysisError::Selector(e.to_string()))?;
    let sides = [side];
    // Only what the expectation looks at needs to be constant on a cube.
    let view = View {
        requirements: !inv.expect.requires.is_empty(),
        mfa: false,
        session: false,
        lockout: inv.expect.never_unsatisfiable,
    };
    let best: RefCell<Option<Found>> = RefCell::new(None);
    let mut regions = 0;
    let mut probed = 0;
    let within = roots.iter().skip(1).fold(
        roots.first().cloned().unwrap_or_else(|| Cube::full(space)),
        |h, c| h.hull(c),
    );
    let upward = observed.is_empty() && upward_closed(&inv.expect);
    let lighter = |weight: u32| best.borrow().as_ref().is_none_or(|(w, ..)| weight < *w);
    for root in roots {
        refine(
            &sides,
            view,
            root,
            |cube, _| {
                // Branch and bound: a cube whose lightest request is no lighter than the best
                // counterexample so far cannot hold a smaller one.
                let point = cube.lightest(space);
                let weight = space.weight(&point);
                if !lighter(weight) {
                    return Pre::Settled;
                }
                for (_, p, _) in &observed {
                    if let Some(p) = p {
                        if let Err(split) = side.observe(*p, cube) {
                            return Pre::Split(split);
                        }
                    }
                }
                // An expectation that only asks for "at least this strict", already met by the
                // policies that surely apply, holds on the whole cube: more policies only add.
                if upward && meets(&inv.expect, &side.sure_join(cube)) {
                    return Pre::Settled;
                }
                // The cube's lightest request, decided by the evaluator: when it breaks the
                // invariant it is the smallest counterexample the cube holds, and nothing
                // else in the cube needs a look.
                if observed.is_empty() {
                    if let Some(e) = evaluate(side.c, &space.request(&point)) {
                        let outcome = Outcome::of(&e);
                        let broken = broken(&inv.expect, &outcome, &[]);
                        if !broken.is_empty() {
                            probed += 1;
                            let leaf = leaf_around(&sides, view, cube, &point);
                            *best.borrow_mut() = Some((weight, leaf, outcome, broken));
                            return Pre::Settled;
                        }
                    }
                }
                Pre::Examine
            },
            |cube, det| {
                regions += 1;
                let (point, outcome) = leaf_outcome(side, &det[0], cube, view)?;
                let applicability: Vec<(String, TriSet, bool)> = observed
                    .iter()
                    .map(|(name, p, must)| {
                        let set = p.map_or(NO, |p| side.observe(p, cube).unwrap_or(0));
                        (name.clone(), set, *must)
                    })
                    .collect();
                let broken = broken(&inv.expect, &outcome, &applicability);
                if !broken.is_empty() {
                    let weight = space.weight(&point);
                    if lighter(weight) {
                        *best.borrow_mut() = Some((weight, cube.clone(), outcome, broken));
                    }
                }
                Ok(Flow::Continue)
            },
        )?;
    }
    let best = best.into_inner();
    let regions = regions + probed;
    let Some((weight, cube, outcome, broken)) = best else {
        return Ok((Verdict::Holds, regions));
    };
    let request = space.request(&cube.lightest(space));
    let policies = evaluate(side.c, &request)
        .map(|e| responsible(&e))
        .unwrap_or_default();
    Ok((
        Verdict::Violated(Box::new(Counterexample {
            region: region::describe(space, &cube, &within),
            request,
            weight,
            outcome,
            broken,
            policies,
        })),
        regions,
    ))
}

/// Whether every answer at least as strict as one that meets the expectation meets it too:
/// decisions from some level up, required controls; not lockouts or applicability.
fn upward_closed(expect: &Expect) -> bool {
    let decisions_ok = expect.decision.as_ref().is_none_or(|list| {
        list.contains(&Decision::Block)
            && (!list.contains(&Decision::Allow) || list.contains(&Decision::Challenge))
    });
    let not_ok = !expect.not.contains(&Decision::Block)
        && (!expect.not.contains(&Decision::Challenge) || expect.not.contains(&Decision::Allow));
    decisions_ok
        && not_ok
        && !expect.never_unsatisfiable
        && expect.applied.is_empty()
        && expect.not_applied.is_empty()
}

/// Whether a join of surely applying policies already meets an upward-closed expectation.
fn meets(expect: &Expect, join: &Contribution) -> bool {
    let d = join.decision;
    if expect.decision.as_ref().is_some_and(|l| !l.contains(&d)) || expect.not.contains(&d) {
        return false;
    }
    expect.requires.iter().all(|p| {
        d == Decision::Block
            || (d == Decision::Challenge
                && join.requirements.iter().any(|r| {
                    if r.starts_with("any(") {
                        return false;
                    }
                    match r.split_once(" in ") {
                        Some((control, tenant)) => p.matches(control, Some(tenant)),
                        None => p.matches(r, None),
                    }
                }))
    })
}

/// What an answer breaks of an expectation, in words (empty: it holds).
fn broken(expect: &Expect, o: &Outcome, applicability: &[(String, TriSet, bool)]) -> Vec<String> {
    let mut out = Vec::new();
    let d = o.decision.name();
    if let Some(list) = &expect.decision {
        if !list.contains(&o.decision) {
            let want: Vec<&str> = list.iter().map(|x| x.name()).collect();
            out.push(format!(
                "the decision is `{d}`, not `{}`",
                want.join("` or `")
            ));
        }
    }
    if expect.not.contains(&o.decision) {
        out.push(format!("the decision is `{d}`"));
    }
    for p in &expect.requires {
        let required = o.decision == Decision::Block
            || (o.decision == Decision::Challenge
                && o.required.iter().any(|alternatives| {
                    alternatives.iter().all(|(c, t)| p.matches(c, t.as_deref()))
                }));
        if !required {
            out.push(format!(
                "`{p}` is not required (the answer is {})",
                o.headline()
            ));
        }
    }
    if expect.never_unsatisfiable && o.unsatisfiable {
        out.push("the request is blocked by a control this user can never satisfy".to_string());
    }
    for (name, set, must) in applicability {
        let ok = if *must { *set == YES } else { *set == NO };
        if !ok {
            out.push(if *must {
                format!("policy `{name}` does not apply")
            } else {
                format!("policy `{name}` applies")
            });
        }
    }
    out
}

impl Side<'_> {
    /// A policy's applicability when it is constant on the cube, else where to split.
    pub(crate) fn observe(&self, p: u32, cube: &Cube) -> Result<TriSet, super::refine::Split> {
        let (set, split) = self.applicability(p, cube);
        match set {
            Some(s) if is_single(s) => Ok(s),
            _ => Err(split.unwrap_or_else(|| self.split_any(cube))),
        }
    }
}

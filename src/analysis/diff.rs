//! `accord diff`: every region of the request space whose answer differs between two packs,
//! merged into as few regions as possible, each with an example request and the policies that
//! decide it on each side.
//!
//! Both packs are refined over one space (built from both, so that every class means the same
//! in each). Where the packs share their tenants, organisation, locations and cross-tenant
//! settings, a cube on which every policy still in play is the same policy, equally enforced,
//! in both packs is settled at once: the two packs cannot answer differently there.

use serde_json::Value as Json;

use super::cube::Cube;
use super::example::request_json;
use super::outcome::{Outcome, View};
use super::refine::{refine, Flow, Pre};
use super::selector::{self, Selector};
use super::side::Side;
use super::space::{Space, SpaceError};
use super::{evaluate, leaf_outcome, region, AnalysisError};
use crate::eval::trace::Tri;
use crate::eval::{Compiled, Decision, Evaluation};
use crate::model::request::Request;
use crate::model::{MemberState, OrgMember, OrgRole, Organization, Pack, PolicyState, Spanned};

/// One region whose answer changed.
#[derive(Debug, Clone)]
pub struct Change {
    pub description: String,
    pub cube: Cube,
    pub before: Outcome,
    pub after: Outcome,
    /// A request of the region with the fewest non-default fields.
    pub example: Request,
    pub policies_before: Vec<String>,
    pub policies_after: Vec<String>,
}

impl Change {
    /// `ALLOW → CHALLENGE: mfa`.
    pub fn transition(&self) -> String {
        format!("{} → {}", self.before.headline(), self.after.headline())
    }

    pub fn example_json(&self) -> Json {
        request_json(&self.example)
    }
}

#[derive(Debug, Clone)]
pub struct DiffReport {
    pub space: Space,
    pub changes: Vec<Change>,
    /// The requests compared: the scope's cubes (every request outside them was left out).
    pub scope: Vec<Cube>,
    /// Cubes examined (for the curious and the benchmarks).
    pub nodes: usize,
    /// Policies for workload identities that differ between the packs (added, removed or
    /// changed, by name): workload requests are not in the analysed space, so the report names
    /// them rather than saying nothing changed.
    pub workload_policies: Vec<WorkloadPolicyChange>,
}

/// A policy for workload identities that is not the same in both packs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadPolicyChange {
    pub name: String,
    /// `added`, `removed` or `changed`.
    pub how: &'static str,
}

/// The policies for workload identities that differ between `old` and `new` (compared as
/// written, without positions), in `old`'s order then `new`'s additions.
pub fn workload_policy_changes(old: &Pack, new: &Pack) -> Vec<WorkloadPolicyChange> {
    let as_written = |p: &crate::model::Policy| serde_json::to_value(p).ok();
    let find =
        |pack: &Pack, name: &str| pack.policies.iter().find(|p| p.name.value == name).cloned();
    let mut out = Vec::new();
    for p in old.policies.iter().filter(|p| p.is_workload()) {
        let how = match find(new, &p.name.value) {
            None => Some("removed"),
            Some(q) if as_written(&q) != as_written(p) => Some("changed"),
            Some(_) => None,
        };
        if let Some(how) = how {
            out.push(WorkloadPolicyChange {
                name: p.name.value.clone(),
                how,
            });
        }
    }
    for p in new.policies.iter().filter(|p| p.is_workload()) {
        match find(old, &p.name.value) {
            None => out.push(WorkloadPolicyChange {
                name: p.name.value.clone(),
                how: "added",
            }),
            // A user policy that became one for workloads.
            Some(q) if !q.is_workload() => out.push(WorkloadPolicyChange {
                name: p.name.value.clone(),
                how: "changed",
            }),
            Some(_) => {}
        }
    }
    out
}

/// The policies that decide an answer: the enforced policies in force whose result gives the
/// decision (for an allow, every policy in force), or the cross-tenant settings.
pub fn responsible(e: &Evaluation<'_>) -> Vec<String> {
    if !e.trace.gate.allows() {
        return vec!["(cross-tenant access settings)".to_string()];
    }
    if let Some(a) = e.trace.assignment.filter(|a| !a.allows()) {
        return vec![format!("(assignment required by `{}`)", a.app.name.value)];
    }
    e.trace
        .policies
        .iter()
        .filter(|p| p.state() == PolicyState::On && p.applies != Tri::No)
        .filter(|p| {
            e.decision == Decision::Allow || p.result().is_some_and(|r| r.decision() == e.decision)
        })
        .map(|p| {
            let name = p.policy.name.value.clone();
            if p.applies == Tri::Unknown {
                format!("{name} (may apply)")
            } else {
                name
            }
        })
        .collect()
}

/// Whether two packs agree on everything but their policies (then a policy identical in both
/// decides identically in both).
pub(crate) fn same_environment(a: &Pack, b: &Pack) -> bool {
    let strip = |p: &Pack| Pack {
        policies: Vec::new(),
        sharing: Vec::new(),
        ..p.clone()
    };
    strip(a).same_as(&strip(b))
}

/// Whether the two packs (sharing their environment) answer alike on every request of the
/// cube, whatever the answer: every policy in play that is not identical in both packs either
/// does not apply there, or only ever adds what the identical policies that surely apply
/// already require (never undecidable). The identical policies then decide both packs alike.
pub(crate) fn provably_equal(
    view: View,
    sides: [&Side<'_>; 2],
    cube: &Cube,
    active: &[Vec<u32>],
    old_same: &[bool],
    new_same: &[bool],
) -> bool {
    use super::outcome::Contribution;
    use super::side::{Results, UNK, YES};
    let same = [old_same, new_same];
    if active[0].iter().all(|p| old_same[*p as usize])
        && active[1].iter().all(|p| new_same[*p as usize])
    {
        return true;
    }
    // The join of the identical policies that surely apply (taken from the old side).
    let mut join = Contribution::allow();
    for &p in &active[0] {
        if !old_same[p as usize] {
            continue;
        }
        let ex = sides[0].examine_policy(p, cube);
        if let (Some(a), Results::One(c)) = (ex.applies, &ex.results) {
            if a == YES {
                join = join.join(c);
            }
        }
    }
    for (side, list) in sides.iter().zip(active) {
        let s = same[if std::ptr::eq(*side, sides[0]) { 0 } else { 1 }];
        for &p in list {
            if s[p as usize] {
                continue;
            }
            let ex = side.examine_policy(p, cube);
            match (ex.applies, &ex.results) {
                (Some(a), _) if a == super::side::NO => {}
                (Some(a), Results::One(c)) if a & UNK == 0 => {
                    if !c.absorbed_by(&join, view) {
                        return false;
                    }
                }
                (Some(a), Results::Several(cs)) if a & UNK == 0 => {
                    if !cs.iter().all(|c| c.absorbed_by(&join, view)) {
                        return false;
                    }
                }
                _ => return false,
            }
        }
    }
    true
}

/// Where two sides differ only by some policies, the split that makes the first differing
/// policy whose conditions are not constant on the cube constant: outside the differing
/// policies' scope the sides agree ([`provably_equal`] settles it), so the refinement cuts
/// along their conditions first rather than determining every policy of both packs.
pub(crate) fn directed_split(
    sides: [&Side<'_>; 2],
    cube: &Cube,
    active: &[Vec<u32>],
    same: [&[bool]; 2],
) -> Option<super::refine::Split> {
    use super::side::is_single;
    for ((side, list), same) in sides.iter().zip(active).zip(same) {
        for &p in list {
            if same[p as usize] {
                continue;
            }
            let ex = side.examine_policy(p, cube);
            let mixed = !ex.conditions_constant || ex.applies.is_none_or(|a| !is_single(a));
            if mixed {
                return Some(side.split_policy(p, &ex, cube));
            }
        }
    }
    None
}

/// For each enforced policy of the old pack (index into `Side::policies`), whether the new
/// pack enforces the very same policy; and the same for the new pack's.
pub(crate) fn identical_policies(old: &Side<'_>, new: &Side<'_>) -> (Vec<bool>, Vec<bool>) {
    let value = |s: &Side<'_>, i: u32| {
        let m = &s.policies[i as usize];
        (
            m.name.clone(),
            m.state,
            serde_json::to_value(&s.c.pack().policies[m.index]).ok(),
        )
    };
    let old_values: Vec<_> = (0..old.policies.len() as u32)
        .map(|i| value(old, i))
        .collect();
    let new_values: Vec<_> = (0..new.policies.len() as u32)
        .map(|i| value(new, i))
        .collect();
    let old_same = old_values
        .iter()
        .map(|v| new_values.contains(v) && v.1 == PolicyState::On)
        .collect();
    let new_same = new_values
        .iter()
        .map(|v| old_values.contains(v) && v.1 == PolicyState::On)
        .collect();
    (old_same, new_same)
}

/// Every region, within `scope` (every request that states its signals when empty: see
/// [`Selector::everything`] for the rest), where `old` and `new` answer differently.
pub fn diff(
    old: &Compiled,
    new: &Compiled,
    scope: &[Selector],
) -> Result<DiffReport, AnalysisError> {
    diff_with(old, new, scope, &super::progress::Silent)
}

/// [`diff`], reporting the regions compared so far to `progress`.
pub fn diff_with(
    old: &Compiled,
    new: &Compiled,
    scope: &[Selector],
    progress: &dyn super::progress::Progress,
) -> Result<DiffReport, AnalysisError> {
    let extra = Selector::extra(scope);
    let space = Space::new(&[old, new], &extra)?;
    let sides = [Side::new(old, &space), Side::new(new, &space)];
    let default_scope = [Selector::default()];
    let scope = if scope.is_empty() {
        &default_scope[..]
    } else {
        scope
    };
    let roots =
        selector::cubes(scope, &sides[0]).map_err(|e| AnalysisError::Selector(e.to_string()))?;
    let (changes, nodes) = changes(
        &space,
        [&sides[0], &sides[1]],
        roots.clone(),
        View::ANSWER,
        progress,
    )?;
    Ok(DiffReport {
        space,
        changes,
        scope: roots,
        nodes,
        workload_policies: workload_policy_changes(old.pack(), new.pack()),
    })
}

/// The regions of `roots` where the two sides answer differently, merged, described and
/// exemplified; and the number of cubes examined.
pub(crate) fn changes(
    space: &Space,
    sides: [&Side<'_>; 2],
    roots: Vec<Cube>,
    view: View,
    progress: &dyn super::progress::Progress,
) -> Result<(Vec<Change>, usize), AnalysisError> {
    let mut compared = 0u64;
    let (old, new) = (sides[0].c, sides[1].c);
    let within = roots.iter().skip(1).fold(
        roots.first().cloned().unwrap_or_else(|| Cube::full(space)),
        |h, c| h.hull(c),
    );
    let shortcut = same_environment(old.pack(), new.pack());
    let (old_same, new_same) = identical_policies(sides[0], sides[1]);
    let mut changed: Vec<((Outcome, Outcome), Cube)> = Vec::new();
    let mut nodes = 0;
    for root in roots {
        nodes += refine(
            &sides,
            view,
            root,
            |cube, active| {
                if !shortcut {
                    Pre::Examine
                } else if provably_equal(view, sides, cube, active, &old_same, &new_same) {
                    Pre::Settled
                } else {
                    match directed_split(sides, cube, active, [&old_same, &new_same]) {
                        Some(split) => Pre::Split(split),
                        None => Pre::Examine,
                    }
                }
            },
            |cube, det| {
                compared += 1;
                if compared % 256 == 0 {
                    progress.report("regions compared", compared, 0);
                }
                let (_, before) = leaf_outcome(sides[0], &det[0], cube, view)?;
                let (_, after) = leaf_outcome(sides[1], &det[1], cube, view)?;
                if !before.same_as(&after, view) {
                    changed.push(((before.project(view), after.project(view)), cube.clone()));
                }
                Ok(Flow::Continue)
            },
        )?;
    }
    let merged = region::merge(space, changed);
    let mut out = Vec::with_capacity(merged.len());
    for ((before, after), cube) in merged {
        let point = cube.lightest(space);
        let example = space.request(&point);
        let (Some(eb), Some(ea)) = (evaluate(old, &example), evaluate(new, &example)) else {
            continue;
        };
        out.push(Change {
            description: region::describe(space, &cube, &within),
            policies_before: responsible(&eb),
            policies_after: responsible(&ea),
            cube,
            before,
            after,
            example: example.clone(),
        });
    }
    Ok((out, nodes))
}

/// A multi-tenant organisation what-if: the pack with `tenant` made `state` in the resource
/// tenant's organisation (added as a member if it is not one; an organisation is created, with
/// the resource tenant as its active owner, if there is none).
pub fn set_organization(pack: &Pack, tenant: &str, state: MemberState) -> Result<Pack, SpaceError> {
    let mut pack = pack.clone();
    let Some(resource) = pack.resource_tenant().map(|t| t.name.value.clone()) else {
        return Err(SpaceError::NoResource);
    };
    if tenant == resource {
        return Err(SpaceError::ResourceMismatch(format!(
            "`{tenant}` is the resource tenant: its own organisation state cannot be changed"
        )));
    }
    if pack.tenant(tenant).is_none() {
        let names: Vec<&str> = pack.tenants.iter().map(|t| t.name.value.as_str()).collect();
        let hint = crate::diagnostic::did_you_mean(tenant, names)
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        return Err(SpaceError::ResourceMismatch(format!(
            "`{tenant}` is not a declared tenant{hint}"
        )));
    }
    let member = |name: &str, role: OrgRole, state: MemberState| OrgMember {
        tenant: Spanned::synthetic(name.to_string()),
        role: Spanned::synthetic(role),
        state: Spanned::synthetic(state),
        span: Default::default(),
    };
    let org = pack
        .organizations
        .iter()
        .position(|o| o.members.iter().any(|m| m.tenant.value == resource));
    let org = match org {
        Some(i) => i,
        None => {
            pack.organizations.push(Organization {
                name: Spanned::synthetic(format!("{resource} organization")),
                members: vec![member(&resource, OrgRole::Owner, MemberState::Active)],
                span: Default::default(),
            });
            pack.organizations.len() - 1
        }
    };
    let members = &mut pack.organizations[org].members;
    match members.iter_mut().find(|m| m.tenant.value == tenant) {
        Some(m) => m.state.value = state,
        None => members.push(member(tenant, OrgRole::Member, state)),
    }
    Ok(pack)
}

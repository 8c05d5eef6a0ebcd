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
use super::outcome::Outcome;
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
    /// Cubes examined (for the curious and the benchmarks).
    pub nodes: usize,
}

/// The policies that decide an answer: the enforced policies in force whose result gives the
/// decision (for an allow, every policy in force), or the cross-tenant settings.
pub fn responsible(e: &Evaluation<'_>) -> Vec<String> {
    if !e.trace.gate.allows() {
        return vec!["(cross-tenant access settings)".to_string()];
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
fn same_environment(a: &Pack, b: &Pack) -> bool {
    let strip = |p: &Pack| Pack {
        policies: Vec::new(),
        sharing: Vec::new(),
        ..p.clone()
    };
    strip(a).same_as(&strip(b))
}

/// For each enforced policy of the old pack (index into `Side::policies`), whether the new
/// pack enforces the very same policy; and the same for the new pack's.
fn identical_policies(old: &Side<'_>, new: &Side<'_>) -> (Vec<bool>, Vec<bool>) {
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
    let within = roots.iter().skip(1).fold(
        roots.first().cloned().unwrap_or_else(|| Cube::full(&space)),
        |h, c| h.hull(c),
    );
    let shortcut = same_environment(old.pack(), new.pack());
    let (old_same, new_same) = identical_policies(&sides[0], &sides[1]);
    let mut changed: Vec<((Outcome, Outcome), Cube)> = Vec::new();
    let mut nodes = 0;
    for root in roots {
        nodes += refine(
            &sides,
            root,
            |_, active| {
                let settled = shortcut
                    && active[0].iter().all(|p| old_same[*p as usize])
                    && active[1].iter().all(|p| new_same[*p as usize])
                    && active[0].len() == active[1].len();
                if settled {
                    Pre::Settled
                } else {
                    Pre::Examine
                }
            },
            |cube, det| {
                let (_, before) = leaf_outcome(&sides[0], &det[0], cube)?;
                let (_, after) = leaf_outcome(&sides[1], &det[1], cube)?;
                if !before.same_answer(&after) {
                    changed.push(((before, after), cube.clone()));
                }
                Ok(Flow::Continue)
            },
        )?;
    }
    let merged = region::merge(&space, changed);
    let mut changes = Vec::with_capacity(merged.len());
    for ((before, after), cube) in merged {
        let point = cube.lightest(&space);
        let example = space.request(&point);
        let (Some(eb), Some(ea)) = (evaluate(old, &example), evaluate(new, &example)) else {
            continue;
        };
        changes.push(Change {
            description: region::describe(&space, &cube, &within),
            policies_before: responsible(&eb),
            policies_after: responsible(&ea),
            cube,
            before,
            after,
            example: example.clone(),
        });
    }
    Ok(DiffReport {
        space,
        changes,
        nodes,
    })
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

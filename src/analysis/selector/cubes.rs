//! Selectors as cubes of a pack's request space: names resolved against the pack, segments as
//! who classes, fields as class sets.

use crate::analysis::cube::Cube;
use crate::analysis::side::Side;
use crate::analysis::space::{CountryClass, DimKey, Home, Space, Value, Who};
use crate::diagnostic::did_you_mean;
use crate::eval::conditions::user_target;
use crate::eval::trace::Tri;
use crate::model::catalog;
use crate::model::request::{AccessKind, AppRef, UserType};
use crate::model::UserTarget;

use super::{AnyOf, Result, Selector, SelectorError, Signal};

/// The selectors as disjoint cubes (overlaps removed, so no request is counted twice).
pub(crate) fn cubes(selectors: &[Selector], side: &Side<'_>) -> Result<Vec<Cube>> {
    let space = side.space;
    let mut out: Vec<Cube> = Vec::new();
    for s in selectors {
        for cube in s.cubes(side)? {
            let mut pieces = vec![cube];
            for earlier in &out {
                pieces = pieces
                    .iter()
                    .flat_map(|p| p.minus(earlier, space))
                    .collect();
            }
            out.extend(pieces.into_iter().filter(|c| !c.is_empty(space)));
        }
    }
    Ok(out)
}

impl Selector {
    /// The cubes of one selector (several when it lists segments of different kinds).
    pub(crate) fn cubes(&self, side: &Side<'_>) -> Result<Vec<Cube>> {
        let space = side.space;
        let k = space.known;
        let mut cube = Cube::full(space);
        self.restrict_who(side, &mut cube)?;
        if let Some(names) = &self.names {
            let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
            let anyone_fits = lower.iter().any(|n| !named_user(space, n));
            cube.restrict(space, k.user, |c| {
                match &space.dims[k.user].classes[c].value {
                    Value::User(Some(n)) => lower.contains(n),
                    _ => anyone_fits,
                }
            });
        }
        if self.groups.as_ref().is_some_and(|g| g.is_empty()) {
            for (_, d) in &space.groups {
                cube.restrict(space, *d, |c| c == 0);
            }
        }
        let groups = self.groups.clone().unwrap_or_default();
        for (list, member) in [(&groups, 1usize), (&self.not_groups, 0)] {
            for g in list {
                if let Some(d) = space.group_dim(g) {
                    cube.restrict(space, d, |c| c == member);
                }
            }
        }
        for r in &self.roles {
            let role = catalog::role_by_name(r).or_else(|| catalog::role_by_id(r));
            if let Some(i) =
                role.and_then(|role| catalog::ROLES.iter().position(|x| x.id == role.id))
            {
                if let Some(d) = space.role_dim(i) {
                    cube.restrict(space, d, |c| c == 1);
                }
            }
        }
        if let Some(apps) = &self.apps {
            let all = self.all_cloud_apps;
            let any_other = apps.iter().any(|a| !listed_app(space, a));
            cube.restrict(space, k.app, |c| {
                match &space.dims[k.app].classes[c].value {
                    Value::App(AppRef::Named(_) | AppRef::Id(_))
                    | Value::OtherApp(AppRef::Id(_))
                        if all =>
                    {
                        true
                    }
                    Value::App(a) => apps.contains(a),
                    Value::OtherApp(AppRef::AuthContext(_)) => apps
                        .iter()
                        .any(|a| matches!(a, AppRef::AuthContext(_)) && !listed_app(space, a)),
                    Value::OtherApp(_) => {
                        any_other
                            && apps
                                .iter()
                                .any(|a| matches!(a, AppRef::Id(_)) && !listed_app(space, a))
                    }
                    _ => false,
                }
            });
        }
        if !self.not_apps.is_empty() || self.not_all_cloud_apps {
            let all = self.not_all_cloud_apps;
            let out = &self.not_apps;
            cube.restrict(space, k.app, |c| {
                match &space.dims[k.app].classes[c].value {
                    Value::App(AppRef::Named(_) | AppRef::Id(_))
                    | Value::OtherApp(AppRef::Id(_))
                        if all =>
                    {
                        false
                    }
                    Value::App(a) => !out.contains(a),
                    _ => true,
                }
            });
        }
        restrict_values(space, &mut cube, k.client, &self.client_apps, |v| match v {
            Value::Client(c) => Some(*c),
            _ => None,
        });
        if self.platforms.is_none() && !self.unstated[0] {
            cube.restrict(space, k.platform, |c| c != 0);
        }
        if self.ips.is_none() && !self.unstated[1] {
            cube.restrict(space, k.ip, |c| c != 0);
        }
        if self.countries.is_none() && !self.unstated[2] {
            cube.restrict(space, k.country, |c| {
                !matches!(
                    space.dims[k.country].classes[c].value,
                    Value::Country(CountryClass::Missing)
                )
            });
        }
        restrict_values(space, &mut cube, k.platform, &self.platforms, |v| match v {
            Value::Platform(None) => Some(Signal::Unstated),
            Value::Platform(Some(p)) => Some(Signal::Is(*p)),
            _ => None,
        });
        for (d, want) in [
            (k.compliant, self.compliant),
            (k.hybrid, self.hybrid_joined),
            (k.managed, self.managed),
            (k.approved_app, self.approved_app),
            (k.app_protection, self.app_protection),
            (k.token_bound, self.token_bound),
        ] {
            if let Some(w) = want {
                cube.restrict(space, d, |c| c == usize::from(w));
            }
        }
        restrict_values(
            space,
            &mut cube,
            k.registered,
            &self.registered,
            |v| match v {
                Value::Registered(r) => Some(*r),
                _ => None,
            },
        );
        self.restrict_network(side, &mut cube)?;
        restrict_values(space, &mut cube, k.mfa, &self.mfa, |v| match v {
            Value::Mfa(m) => Some(*m),
            _ => None,
        });
        restrict_values(space, &mut cube, k.flow, &self.flow, |v| match v {
            Value::Flow(f) => Some(*f),
            _ => None,
        });
        if self.terms_accepted.as_ref().is_some_and(|t| t.is_empty()) {
            for (_, d) in &space.terms {
                cube.restrict(space, *d, |c| c == 0);
            }
        }
        let accepted = self.terms_accepted.clone().unwrap_or_default();
        for (list, yes) in [(&accepted, 1usize), (&self.not_accepted, 0)] {
            for t in list {
                if let Some(d) = space.find(&DimKey::Terms(t.clone())) {
                    cube.restrict(space, d, |c| c == yes);
                }
            }
        }
        restrict_values(
            space,
            &mut cube,
            k.sign_in_risk,
            &self.sign_in_risk,
            |v| match v {
                Value::Risk(r) => Some(*r),
                _ => None,
            },
        );
        restrict_values(
            space,
            &mut cube,
            k.user_risk,
            &self.user_risk,
            |v| match v {
                Value::Risk(r) => Some(*r),
                _ => None,
            },
        );
        restrict_values(space, &mut cube, k.insider, &self.insider, |v| match v {
            Value::Insider(r) => Some(*r),
            _ => None,
        });
        self.segment_cubes(side, cube)
    }

    fn restrict_who(&self, side: &Side<'_>, cube: &mut Cube) -> Result<()> {
        let space = side.space;
        let d = space.known.who;
        if let Some(types) = &self.user_type {
            cube.restrict(space, d, |c| match &space.dims[d].classes[c].value {
                Value::Who(Who::Member) => types.contains(&UserType::Member),
                Value::Who(Who::InternalGuest) => types.contains(&UserType::Guest),
                Value::Who(Who::External { user_type, .. } | Who::NoEntra { user_type }) => {
                    types.contains(user_type)
                }
                _ => false,
            });
        }
        if let Some(kinds) = &self.kind {
            cube.restrict(space, d, |c| match &space.dims[d].classes[c].value {
                Value::Who(Who::External { kind, .. }) => kinds.contains(kind),
                Value::Who(Who::NoEntra { .. }) => kinds.contains(&AccessKind::Other),
                Value::Who(_) => kinds.contains(&AccessKind::B2bCollaboration),
                _ => false,
            });
        }
        if let Some(homes) = &self.home {
            let mut want: Vec<Option<Home>> = Vec::new();
            for h in homes {
                want.push(match h.as_str() {
                    "resource" => None,
                    "undeclared" | "other" => Some(Home::Undeclared),
                    name if name == space.resource.name => None,
                    name => match space.tenants.iter().position(|t| t.name == name) {
                        Some(i) => Some(Home::Tenant(i)),
                        None => {
                            let names = space.tenants.iter().map(|t| t.name.as_str()).chain([
                                space.resource.name.as_str(),
                                "resource",
                                "undeclared",
                            ]);
                            return Err(SelectorError::new(
                                "user.home",
                                format!("`{name}` is not a declared tenant"),
                            )
                            .help(did_you_mean(name, names).or_else(|| {
                                Some("name a declared tenant, `resource` or `undeclared`".into())
                            })));
                        }
                    },
                });
            }
            cube.restrict(space, d, |c| match &space.dims[d].classes[c].value {
                Value::Who(Who::Member | Who::InternalGuest) => want.contains(&None),
                Value::Who(Who::External { home, .. }) => want.contains(&Some(*home)),
                _ => false,
            });
        }
        Ok(())
    }

    fn restrict_network(&self, side: &Side<'_>, cube: &mut Cube) -> Result<()> {
        let space = side.space;
        let k = space.known;
        if let Some(ips) = &self.ips {
            cube.restrict(space, k.ip, |c| {
                if c == 0 {
                    return ips.contains(&Signal::Unstated);
                }
                let key = &space.ip_keys[c - 1];
                ips.iter().any(|s| match s {
                    Signal::Unstated => false,
                    Signal::Is(net) => space
                        .extra
                        .ranges
                        .iter()
                        .position(|r| r == net)
                        .is_some_and(|i| key.1.get(i).copied().unwrap_or(false)),
                })
            });
        }
        if let Some(countries) = &self.countries {
            cube.restrict(space, k.country, |c| {
                match &space.dims[k.country].classes[c].value {
                    Value::Country(CountryClass::Missing) => countries.contains(&Signal::Unstated),
                    Value::Country(CountryClass::Codes { named, .. }) => countries
                        .iter()
                        .any(|s| matches!(s, Signal::Is(x) if named.contains(x))),
                    _ => false,
                }
            });
        }
        let pack = side.c.pack();
        for (names, inside) in [(&self.locations, true), (&self.not_locations, false)] {
            for name in names {
                let Some(i) = pack.locations.iter().position(|l| l.name.value == *name) else {
                    return Err(SelectorError::new(
                        if inside {
                            "network.location"
                        } else {
                            "network.not_location"
                        },
                        format!("`{name}` is not a named location"),
                    )
                    .help(did_you_mean(
                        name,
                        pack.locations.iter().map(|l| l.name.value.as_str()),
                    )));
                };
                let is_ip = matches!(
                    side.c.locations.get(i).map(|l| &l.table),
                    Some(crate::eval::compile::LocationTable::Ip { .. })
                );
                let dim = if is_ip { k.ip } else { k.country };
                let classes: Vec<bool> = (0..space.dims[dim].classes.len())
                    .map(|c| {
                        let point = side.point(&[(dim, c as u16)]);
                        let request = space.request(&point);
                        let (loc_in, loc_known) =
                            side.c.locate(request.network.ip, request.network.country);
                        loc_known.get(i) && loc_in.get(i) == inside
                    })
                    .collect();
                cube.restrict(space, dim, |c| classes[c]);
            }
        }
        Ok(())
    }

    /// Applies the segments: who restrictions merge into the cube; group, user and role
    /// segments make one cube each.
    fn segment_cubes(&self, side: &Side<'_>, mut cube: Cube) -> Result<Vec<Cube>> {
        let space = side.space;
        for text in &self.not_segments {
            for target in parse_segment(text)? {
                leave_out(side, &mut cube, target);
            }
        }
        if self.segments.is_empty() {
            return Ok(vec![cube]);
        }
        let who = space.known.who;
        let mut who_keep = vec![false; space.dims[who].classes.len()];
        let mut any_who = false;
        let mut out = Vec::new();
        for text in &self.segments {
            for target in parse_segment(text)? {
                match target {
                    Segment::Who(keep) => {
                        any_who = true;
                        for (c, k) in keep(side).into_iter().enumerate() {
                            who_keep[c] |= k;
                        }
                    }
                    Segment::Target(UserTarget::Group(g)) => match space.group_dim(&g) {
                        Some(d) => out.push(cube.with_classes(space, d, &[1])),
                        None => out.push(cube.clone()),
                    },
                    Segment::Target(UserTarget::Role(r)) => {
                        let role = catalog::role_by_name(&r).or_else(|| catalog::role_by_id(&r));
                        let d = role
                            .and_then(|role| catalog::ROLES.iter().position(|x| x.id == role.id))
                            .and_then(|i| space.role_dim(i));
                        match d {
                            Some(d) => out.push(cube.with_classes(space, d, &[1])),
                            None => out.push(cube.clone()),
                        }
                    }
                    Segment::Target(UserTarget::User(u)) => {
                        let d = space.known.user;
                        let lower = u.to_lowercase();
                        let classes: Vec<usize> = (0..space.dims[d].classes.len())
                            .filter(|c| match &space.dims[d].classes[*c].value {
                                Value::User(Some(n)) => *n == lower,
                                _ => !named_user(space, &lower),
                            })
                            .collect();
                        out.push(cube.with_classes(space, d, &classes));
                    }
                    Segment::Target(UserTarget::All) => out.push(cube.clone()),
                    Segment::Target(UserTarget::None) => {}
                    Segment::Target(other) => {
                        let keep = who_table(side, &other);
                        any_who = true;
                        for (c, k) in keep.into_iter().enumerate() {
                            who_keep[c] |= k;
                        }
                    }
                }
            }
        }
        if any_who {
            let keep: Vec<usize> = (0..who_keep.len()).filter(|c| who_keep[*c]).collect();
            let restricted = cube.intersect(&cube.with_classes(space, who, &keep));
            out.insert(0, restricted);
        }
        Ok(out)
    }
}

/// Removes a segment's users from a cube.
fn leave_out(side: &Side<'_>, cube: &mut Cube, target: Segment) {
    let space = side.space;
    let who = space.known.who;
    match target {
        Segment::Who(keep) => {
            let keep = keep(side);
            cube.restrict(space, who, |c| !keep[c]);
        }
        Segment::Target(UserTarget::Group(g)) => {
            if let Some(d) = space.group_dim(&g) {
                cube.restrict(space, d, |c| c == 0);
            }
        }
        Segment::Target(UserTarget::Role(r)) => {
            let role = catalog::role_by_name(&r).or_else(|| catalog::role_by_id(&r));
            let d = role
                .and_then(|role| catalog::ROLES.iter().position(|x| x.id == role.id))
                .and_then(|i| space.role_dim(i));
            if let Some(d) = d {
                cube.restrict(space, d, |c| c == 0);
            }
        }
        Segment::Target(UserTarget::User(u)) => {
            let d = space.known.user;
            let lower = u.to_lowercase();
            cube.restrict(
                space,
                d,
                |c| !matches!(&space.dims[d].classes[c].value, Value::User(Some(n)) if *n == lower),
            );
        }
        Segment::Target(UserTarget::All) => cube.restrict(space, who, |_| false),
        Segment::Target(UserTarget::None) => {}
        Segment::Target(other) => {
            let keep = who_table(side, &other);
            cube.restrict(space, who, |c| !keep[c]);
        }
    }
}

enum Segment {
    Who(fn(&Side<'_>) -> Vec<bool>),
    Target(UserTarget),
}

fn internal_members(side: &Side<'_>) -> Vec<bool> {
    let d = &side.space.dims[side.space.known.who];
    d.classes
        .iter()
        .map(|c| matches!(c.value, Value::Who(Who::Member)))
        .collect()
}

fn internal(side: &Side<'_>) -> Vec<bool> {
    let d = &side.space.dims[side.space.known.who];
    d.classes
        .iter()
        .map(|c| matches!(c.value, Value::Who(Who::Member | Who::InternalGuest)))
        .collect()
}

/// The segments a text names: the selector's own words, or user targets as a policy writes
/// them (read by the policy parser itself).
fn parse_segment(text: &str) -> Result<Vec<Segment>> {
    match text.trim() {
        "internal_members" | "members" => return Ok(vec![Segment::Who(internal_members)]),
        "internal" => return Ok(vec![Segment::Who(internal)]),
        _ => {}
    }
    // A selector reads "any external user" as `external(any)` too (a policy writes
    // `external(all)`): the same set of external user types.
    let text = text.replace("external(any)", "external(all)");
    let text = text.as_str();
    let source =
        format!("policy \"selector\" {{\n  users {{ include {text} }}\n  apps {{ include all }}\n  grant block\n}}\n");
    let parsed = crate::syntax::parse_file(crate::source::FileId(0), &source);
    if let Some(d) = parsed.diagnostics.iter().find(|d| d.is_error()) {
        return Err(SelectorError::new(
            "user",
            format!("`{text}` is not a user segment: {}", d.message),
        )
        .help(Some(
            "write a segment as in a policy's `users` block, e.g. `external(b2b_guest) from outside_organization`, `group \"Sales\"`, `guests_or_external`, or `internal_members`".into(),
        )));
    }
    let Some(policy) = parsed.pack.policies.first() else {
        return Err(SelectorError::new(
            "user",
            format!("`{text}` is not a user segment"),
        ));
    };
    Ok(policy
        .users
        .include
        .iter()
        .map(|t| Segment::Target(t.value.clone()))
        .collect())
}

/// Which who classes a user target covers, in this pack.
fn who_table(side: &Side<'_>, target: &UserTarget) -> Vec<bool> {
    let mut scratch = side.c.clone();
    let m = scratch.user_m(side.c.pack(), target);
    let d = side.space.known.who;
    (0..side.space.dims[d].classes.len())
        .map(|c| {
            let point = side.point(&[(d, c as u16)]);
            side.with_ctx(&point, |ctx| user_target(ctx, &m)) == Some(Tri::Yes)
        })
        .collect()
}

fn named_user(space: &Space, lower: &str) -> bool {
    space.dims[space.known.user]
        .classes
        .iter()
        .any(|c| matches!(&c.value, Value::User(Some(n)) if n == lower))
}

fn listed_app(space: &Space, app: &AppRef) -> bool {
    space.dims[space.known.app]
        .classes
        .iter()
        .any(|c| matches!(&c.value, Value::App(a) if a == app))
}

fn restrict_values<T: PartialEq>(
    space: &Space,
    cube: &mut Cube,
    d: usize,
    want: &AnyOf<T>,
    value: impl Fn(&Value) -> Option<T>,
) {
    if let Some(want) = want {
        cube.restrict(space, d, |c| {
            value(&space.dims[d].classes[c].value).is_some_and(|v| want.contains(&v))
        });
    }
}

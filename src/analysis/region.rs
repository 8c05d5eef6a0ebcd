//! Readable regions: cubes with the same answer merged into as few cubes as possible, and each
//! cube described in an administrator's words ("B2B guests from `fabrikam`, any app but teams,
//! an address in no named location, no MFA yet").

use std::collections::HashMap;
use std::hash::Hash;

use super::cube::Cube;
use super::space::{DimId, DimKey, Home, Space, Value, Who};
use crate::model::request::{AccessKind, AppRef, UserType};

/// Merges cubes with equal keys wherever two differ in one dimension only, until nothing
/// merges. The union of two disjoint cubes that differ in one dimension is a cube, so the
/// result is still a partition of the same set. Order: first appearance.
pub fn merge<K: Clone + Eq + Hash>(space: &Space, items: Vec<(K, Cube)>) -> Vec<(K, Cube)> {
    let mut groups: Vec<(K, Vec<Cube>)> = Vec::new();
    let mut index: HashMap<K, usize> = HashMap::new();
    for (k, c) in items {
        match index.get(&k) {
            Some(i) => groups[*i].1.push(c),
            None => {
                index.insert(k.clone(), groups.len());
                groups.push((k, vec![c]));
            }
        }
    }
    let mut out = Vec::new();
    for (k, cubes) in groups {
        for c in merge_cubes(space, cubes) {
            out.push((k.clone(), c));
        }
    }
    out
}

fn merge_cubes(space: &Space, mut cubes: Vec<Cube>) -> Vec<Cube> {
    loop {
        let before = cubes.len();
        // Least important dimensions first, so the important ones stay apart longest.
        for d in (0..space.dims.len()).rev() {
            cubes = merge_along(space, cubes, d);
        }
        if cubes.len() == before {
            return cubes;
        }
    }
}

/// Merges the cubes that are equal outside dimension `d`.
fn merge_along(space: &Space, cubes: Vec<Cube>, d: DimId) -> Vec<Cube> {
    let mut buckets: Vec<Cube> = Vec::new();
    let mut seen: HashMap<Cube, usize> = HashMap::new();
    for c in cubes {
        let key = c.with_classes(space, d, &[]);
        match seen.get(&key) {
            Some(i) => {
                if let Some(m) = buckets[*i].merge(&c, space) {
                    buckets[*i] = m;
                }
            }
            None => {
                seen.insert(key, buckets.len());
                buckets.push(c);
            }
        }
    }
    buckets
}

/// The cube in words: one phrase per dimension it restricts beyond `within` (the requests
/// the question was about), in dimension order.
pub fn describe(space: &Space, cube: &Cube, within: &Cube) -> String {
    let mut parts = Vec::new();
    for d in 0..space.dims.len() {
        if cube.is_all(space, d) || cube.same_in(within, space, d) {
            continue;
        }
        if let Some(p) = phrase(space, cube, within, d) {
            parts.push(p);
        }
    }
    if parts.is_empty() {
        "every request".to_string()
    } else {
        parts.join(", ")
    }
}

fn phrase(space: &Space, cube: &Cube, within: &Cube, d: DimId) -> Option<String> {
    let dim = &space.dims[d];
    let inside: Vec<usize> = cube.classes(space, d).collect();
    let context: Vec<usize> = within.classes(space, d).collect();
    if inside.is_empty() {
        return Some(format!("no {}", dim.name));
    }
    if dim.key == DimKey::Who {
        return Some(who_phrase(space, &inside));
    }
    let labels = |list: &[usize]| -> Vec<String> {
        list.iter().map(|c| dim.classes[*c].label.clone()).collect()
    };
    if matches!(
        dim.key,
        DimKey::Group(_) | DimKey::Role(_) | DimKey::Terms(_)
    ) || dim.classes.len() == 2
    {
        return Some(labels(&inside).join(" or "));
    }
    if dim.key == DimKey::App {
        return Some(app_phrase(space, &inside));
    }
    let outside: Vec<usize> = context
        .iter()
        .copied()
        .filter(|c| !inside.contains(c))
        .collect();
    if inside.len() > 3 && outside.len() < inside.len() {
        let what = match dim.key {
            DimKey::User => "anyone".to_string(),
            _ => format!("any {}", dim.name),
        };
        Some(format!("{what} but {}", labels(&outside).join(", ")))
    } else {
        Some(labels(&inside).join(" or "))
    }
}

/// Cloud apps, user actions and authentication contexts are told apart: "any cloud app but
/// teams", "sharepoint or teams", "action register_security_info".
fn app_phrase(space: &Space, inside: &[usize]) -> String {
    let dim = &space.dims[space.known.app];
    let is_cloud = |c: usize| {
        matches!(
            &dim.classes[c].value,
            Value::App(AppRef::Named(_) | AppRef::Id(_)) | Value::OtherApp(AppRef::Id(_))
        )
    };
    let cloud: Vec<usize> = (0..dim.classes.len()).filter(|c| is_cloud(*c)).collect();
    let cloud_in: Vec<usize> = inside.iter().copied().filter(|c| is_cloud(*c)).collect();
    // The Office 365 suite is most of the catalog's apps: a set within it is said through it.
    let office: Vec<usize> = cloud
        .iter()
        .copied()
        .filter(
            |c| matches!(&dim.classes[*c].value, Value::App(AppRef::Named(a)) if a.in_office365()),
        )
        .collect();
    let mut parts = Vec::new();
    if cloud_in.len() == cloud.len() {
        parts.push("any cloud app".to_string());
    } else if cloud_in.len() > 3 && cloud_in.iter().all(|c| office.contains(c)) {
        let missing: Vec<String> = office
            .iter()
            .filter(|c| !cloud_in.contains(c))
            .map(|c| dim.classes[*c].label.clone())
            .collect();
        parts.push(if missing.is_empty() {
            "an Office 365 app".to_string()
        } else {
            format!("an Office 365 app but {}", missing.join(", "))
        });
    } else if cloud_in.len() > 3 && cloud_in.len() * 2 > cloud.len() {
        let missing: Vec<String> = cloud
            .iter()
            .filter(|c| !cloud_in.contains(c))
            .map(|c| dim.classes[*c].label.clone())
            .collect();
        parts.push(format!("any cloud app but {}", missing.join(", ")));
    } else if !cloud_in.is_empty() {
        let names: Vec<String> = cloud_in
            .iter()
            .map(|c| dim.classes[*c].label.clone())
            .collect();
        parts.push(names.join(" or "));
    }
    for c in inside.iter().filter(|c| !is_cloud(**c)) {
        parts.push(dim.classes[*c].label.clone());
    }
    parts.join(" or ")
}

/// "internal members", "B2B guests from `fabrikam` or `litware`", "anyone but internal members".
fn who_phrase(space: &Space, inside: &[usize]) -> String {
    let dim = &space.dims[space.known.who];
    let outside: Vec<usize> = (0..dim.classes.len())
        .filter(|c| !inside.contains(c))
        .collect();
    if !outside.is_empty() && outside.len() * 3 < inside.len() {
        return format!("anyone but {}", group_who(space, &outside));
    }
    group_who(space, inside)
}

fn group_who(space: &Space, classes: &[usize]) -> String {
    let dim = &space.dims[space.known.who];
    // (kind, type) -> homes, in first-appearance order.
    let mut external: Vec<((AccessKind, UserType), Vec<String>)> = Vec::new();
    let mut others: Vec<String> = Vec::new();
    for c in classes {
        match &dim.classes[*c].value {
            Value::Who(Who::External {
                home,
                user_type,
                kind,
            }) => {
                let from = match home {
                    Home::Tenant(i) => format!("`{}`", space.tenants[*i].name),
                    Home::Undeclared => "any undeclared tenant".to_string(),
                };
                match external.iter_mut().find(|(k, _)| *k == (*kind, *user_type)) {
                    Some((_, homes)) => homes.push(from),
                    None => external.push(((*kind, *user_type), vec![from])),
                }
            }
            _ => others.push(dim.classes[*c].label.clone()),
        }
    }
    let homes_total = space.tenants.len() + 1;
    for ((kind, user_type), homes) in external {
        let what = match kind {
            AccessKind::DirectConnect => "direct-connect",
            AccessKind::ServiceProvider => "service-provider",
            _ => "B2B",
        };
        let who = match user_type {
            UserType::Guest => "guests",
            UserType::Member => "members",
        };
        if homes.len() == homes_total {
            others.push(format!("{what} {who} from any tenant"));
        } else {
            others.push(format!("{what} {who} from {}", homes.join(" or ")));
        }
    }
    others.join("; ")
}

//! What "the same Graph object" means: the normalisations applied before comparing an imported
//! document with accord's export of it. Import relies on exactly these equivalences (it never
//! drops anything else silently), and the corpus round-trip test checks that
//! `normalize(input) == normalize(export(import(input)))` for every policy.
//!
//! The normalisations, in the order they are applied:
//!
//! 1. **Key style.** PowerShell SDK output is read with camelCase keys, its `AdditionalProperties`
//!    blocks merged into their parent and `/Date(ms)/` timestamps as ISO 8601 (see `decode`).
//! 2. **OData noise.** Members named `@odata.*`, annotations such as `includeUsers@odata.type`,
//!    and bound actions (`#microsoft.graph.restore`) are dropped, except the `@odata.type` of a
//!    named location, which says what kind it is.
//! 3. **Read-only properties.** `id`, `createdDateTime`, `modifiedDateTime`, `deletedDateTime`
//!    of the policy or location, the What-If outputs `policyApplies` and `analysisReasons`, and
//!    every member of an expanded `authenticationStrength` except its `id`.
//! 4. **Flags enums.** `guestOrExternalUserTypes`, `transferMethods`, `insiderRiskLevels`,
//!    `agentIdRiskLevels`, `templateApplicationLevel`: a comma-separated string and an array are
//!    the same set; order and `none` do not matter.
//! 5. **Enum casing and role names.** Enumerated values compare case-insensitively (`iOS` =
//!    `ios`, `All` = `all` in `clientAppTypes`); a directory role given by its display name
//!    (`Helpdesk Administrator`, as some community exports write) is its template id.
//! 6. **Defaults.** `clientAppTypes` containing `all` = not set; `externalTenants` with
//!    `membershipKind: all` = not set (every tenant); `grantControls` with no control = not set,
//!    and its `operator` is irrelevant with fewer than two controls; a session control with
//!    `isEnabled: false` = not set, one without `isEnabled` is enabled; `signInFrequency`
//!    `authenticationType: primaryAndSecondaryAuthentication` and `frequencyInterval: timeBased`
//!    are the defaults; `disableResilienceDefaults: false` = not set. For named locations,
//!    `isTrusted: false`, `includeUnknownCountriesAndRegions: false` and
//!    `countryLookupMethod: clientIpAddress` are the defaults. A `networkAccessSecurity` session
//!    control whose `policyId` is the `globalSecureAccessFilteringProfile`'s `profileId` is that
//!    link under its earlier name.
//! 7. **Global Secure Access traffic profiles.** The deprecated `conditions/applications`
//!    `networkAccess` and `globalSecureAccess` (`includeTrafficProfiles: m365 | internet |
//!    private`) are the app ids the platform migrated them to, in `includeApplications`
//!    ("Planned change to Conditional Access target resources assignment", Microsoft Learn).
//! 8. **Nothing.** `null`, `[]` and `{}` are the same as an absent member (so are objects that
//!    become empty through the rules above).

use serde_json::{Map, Value};

/// Which resource a document is: the defaults differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Policy,
    NamedLocation,
}

const FLAGS: &[&str] = &[
    "guestOrExternalUserTypes",
    "transferMethods",
    "insiderRiskLevels",
    "agentIdRiskLevels",
    "templateApplicationLevel",
];

const ENUMS: &[&str] = &[
    "state",
    "clientAppTypes",
    "includePlatforms",
    "excludePlatforms",
    "signInRiskLevels",
    "userRiskLevels",
    "servicePrincipalRiskLevels",
    "builtInControls",
    "operator",
    "membershipKind",
    "mode",
    "type",
    "cloudAppSecurityType",
    "authenticationType",
    "frequencyInterval",
    "countryLookupMethod",
    "accessType",
    "targetType",
];

const READ_ONLY: &[&str] = &[
    "id",
    "createdDateTime",
    "modifiedDateTime",
    "deletedDateTime",
    "policyApplies",
    "analysisReasons",
];

/// Session controls that carry `isEnabled` (§1.14).
const SWITCHED_SESSION_CONTROLS: &[&str] = &[
    "applicationEnforcedRestrictions",
    "cloudAppSecurity",
    "signInFrequency",
    "persistentBrowser",
    "secureSignInSession",
    "networkAccessSecurity",
    "globalSecureAccessFilteringProfile",
];

/// The normal form of one Graph document.
pub fn normalize(value: &Value, resource: Resource) -> Value {
    let mut v = strip_noise(value, true, resource);
    if let Value::Object(map) = &mut v {
        for key in READ_ONLY {
            map.remove(*key);
        }
        match resource {
            Resource::Policy => policy_defaults(map),
            Resource::NamedLocation => location_defaults(map),
        }
    }
    prune(v).unwrap_or(Value::Object(Map::new()))
}

/// Drops OData members, canonicalises flags and enum casing, recursively.
fn strip_noise(value: &Value, root: bool, resource: Resource) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let keep_type =
                    root && resource == Resource::NamedLocation && k.as_str() == "@odata.type";
                if !keep_type && (k.starts_with('@') || k.contains("@odata.") || k.starts_with('#'))
                {
                    continue;
                }
                let v = if FLAGS.contains(&k.as_str()) {
                    flags(v)
                } else if ENUMS.contains(&k.as_str()) {
                    lower(v)
                } else {
                    strip_noise(v, false, resource)
                };
                out.insert(k.clone(), v);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| strip_noise(v, false, resource))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A flags value as a sorted array of lower-case members without `none`.
fn flags(value: &Value) -> Value {
    let mut members: Vec<String> = match value {
        Value::String(s) => s
            .split(',')
            .map(|m| m.trim().to_ascii_lowercase())
            .collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .flat_map(|s| s.split(','))
            .map(|m| m.trim().to_ascii_lowercase())
            .collect(),
        other => return other.clone(),
    };
    members.retain(|m| !m.is_empty() && m != "none");
    members.sort();
    members.dedup();
    Value::Array(members.into_iter().map(Value::String).collect())
}

fn lower(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(s.to_ascii_lowercase()),
        Value::Array(items) => Value::Array(items.iter().map(lower).collect()),
        other => other.clone(),
    }
}

fn object_mut<'a>(
    map: &'a mut Map<String, Value>,
    key: &str,
) -> Option<&'a mut Map<String, Value>> {
    map.get_mut(key).and_then(Value::as_object_mut)
}

/// `null`, `[]`, `{}`, or an object whose members are all nothing.
fn is_nothing(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.values().all(|v| is_nothing(Some(v))),
        _ => false,
    }
}

fn policy_defaults(policy: &mut Map<String, Value>) {
    if let Some(users) = policy
        .get_mut("conditions")
        .and_then(|c| c.get_mut("users"))
    {
        for key in ["includeRoles", "excludeRoles"] {
            if let Some(Value::Array(roles)) = users.get_mut(key) {
                for role in roles.iter_mut() {
                    if let Some(r) = role.as_str().filter(|r| !super::names::is_guid(r)) {
                        if let Some(known) = crate::model::catalog::role_by_display(r) {
                            *role = Value::String(known.id.to_string());
                        }
                    }
                }
            }
        }
    }
    if let Some(apps) = policy
        .get_mut("conditions")
        .and_then(|c| c.get_mut("applications"))
        .and_then(Value::as_object_mut)
    {
        traffic_profiles_as_apps(apps);
    }
    if let Some(conditions) = object_mut(policy, "conditions") {
        let all_clients = conditions
            .get("clientAppTypes")
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|v| v.as_str() == Some("all")));
        if all_clients {
            conditions.remove("clientAppTypes");
        }
        if let Some(users) = object_mut(conditions, "users") {
            for key in [
                "includeGuestsOrExternalUsers",
                "excludeGuestsOrExternalUsers",
            ] {
                if let Some(guests) = object_mut(users, key) {
                    let all = guests
                        .get("externalTenants")
                        .and_then(Value::as_object)
                        .is_some_and(|t| {
                            t.get("membershipKind").and_then(Value::as_str) == Some("all")
                                && is_nothing(t.get("members"))
                        });
                    if all {
                        guests.remove("externalTenants");
                    }
                }
            }
        }
    }
    if let Some(grant) = object_mut(policy, "grantControls") {
        if let Some(Value::Object(strength)) = grant.get_mut("authenticationStrength") {
            strength.retain(|k, _| k == "id");
        }
        let count = |k: &str| grant.get(k).and_then(Value::as_array).map_or(0, Vec::len);
        let controls = count("builtInControls")
            + count("termsOfUse")
            + count("customAuthenticationFactors")
            + usize::from(!is_nothing(grant.get("authenticationStrength")));
        if controls == 0 {
            policy.remove("grantControls");
        } else if controls < 2 {
            grant.remove("operator");
        }
    }
    if let Some(session) = object_mut(policy, "sessionControls") {
        for key in SWITCHED_SESSION_CONTROLS {
            let Some(Value::Object(control)) = session.get_mut(*key) else {
                continue;
            };
            // The PowerShell SDK prints unset controls as objects of nulls.
            let unset = control.values().all(|v| is_nothing(Some(v)));
            if unset || control.get("isEnabled") == Some(&Value::Bool(false)) {
                session.remove(*key);
                continue;
            }
            control.insert("isEnabled".into(), Value::Bool(true));
            if *key == "signInFrequency" {
                let default = |k: &str, d: &str| {
                    control
                        .get(k)
                        .and_then(Value::as_str)
                        .is_some_and(|v| v.eq_ignore_ascii_case(d))
                };
                let auth = default("authenticationType", "primaryAndSecondaryAuthentication");
                let interval = default("frequencyInterval", "timeBased");
                if auth {
                    control.remove("authenticationType");
                }
                if interval {
                    control.remove("frequencyInterval");
                }
            }
        }
        // Rule 6: `networkAccessSecurity` naming the linked security profile is the same link.
        let profile = session
            .get("globalSecureAccessFilteringProfile")
            .and_then(|p| p.get("profileId"))
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Some(id) = profile {
            if super::import::same_profile(session.get("networkAccessSecurity"), &id) {
                session.remove("networkAccessSecurity");
            }
        }
        if session.get("disableResilienceDefaults") == Some(&Value::Bool(false)) {
            session.remove("disableResilienceDefaults");
        }
    }
}

/// Normalisation 7: the legacy traffic profiles accord reads join `includeApplications`.
fn traffic_profiles_as_apps(apps: &mut Map<String, Value>) {
    use super::import::traffic::{legacy_apps, LEGACY};
    for key in LEGACY {
        let Some(read) = apps.get(key).and_then(legacy_apps) else {
            continue;
        };
        apps.remove(key);
        let include = apps
            .entry("includeApplications")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = include {
            for app in read {
                let id = Value::String(app.app_id().to_string());
                if !list.contains(&id) {
                    list.push(id);
                }
            }
        }
    }
}

fn location_defaults(location: &mut Map<String, Value>) {
    for (key, default) in [
        ("isTrusted", Value::Bool(false)),
        ("includeUnknownCountriesAndRegions", Value::Bool(false)),
        (
            "countryLookupMethod",
            Value::String("clientipaddress".into()),
        ),
    ] {
        if location.get(key) == Some(&default) {
            location.remove(key);
        }
    }
    if let Some(Value::Array(ranges)) = location.get_mut("ipRanges") {
        for range in ranges.iter_mut() {
            if let Value::Object(r) = range {
                r.retain(|k, _| k == "cidrAddress");
            }
        }
    }
}

/// Removes `null`, `[]` and `{}` bottom-up; `None` when the value itself is nothing.
fn prune(value: Value) -> Option<Value> {
    match value {
        Value::Null => None,
        Value::Object(map) => {
            let out: Map<String, Value> = map
                .into_iter()
                .filter_map(|(k, v)| prune(v).map(|v| (k, v)))
                .collect();
            (!out.is_empty()).then_some(Value::Object(out))
        }
        Value::Array(items) => {
            let out: Vec<Value> = items.into_iter().filter_map(prune).collect();
            (!out.is_empty()).then_some(Value::Array(out))
        }
        other => Some(other),
    }
}

/// The pointers at which two normal forms differ (for test failure messages).
pub fn differences(left: &Value, right: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff("", left, right, &mut out);
    out
}

fn diff(pointer: &str, left: &Value, right: &Value, out: &mut Vec<String>) {
    match (left, right) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                let p = super::decode::child_pointer(pointer, k);
                match b.get(k) {
                    Some(vb) => diff(&p, va, vb, out),
                    None => out.push(format!("{p}: only in the first ({va})")),
                }
            }
            for (k, vb) in b {
                if !a.contains_key(k) {
                    let p = super::decode::child_pointer(pointer, k);
                    out.push(format!("{p}: only in the second ({vb})"));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                diff(&format!("{pointer}/{i}"), va, vb, out);
            }
        }
        (a, b) if a != b => out.push(format!("{pointer}: {a} != {b}")),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flags_string_and_array_are_the_same() {
        let a = json!({"conditions": {"users": {"includeGuestsOrExternalUsers": {
            "guestOrExternalUserTypes": "internalGuest,b2bCollaborationGuest",
            "externalTenants": {"@odata.type": "#x", "membershipKind": "all"}}}}});
        let b = json!({"conditions": {"users": {"includeGuestsOrExternalUsers": {
            "guestOrExternalUserTypes": ["b2bCollaborationGuest", "internalGuest"]}}}});
        assert_eq!(
            normalize(&a, Resource::Policy),
            normalize(&b, Resource::Policy)
        );
    }

    #[test]
    fn nulls_empties_read_only_and_defaults_vanish() {
        let a = json!({"id": "x", "displayName": "p", "state": "enabled",
            "sessionControls": null, "conditions": {"clientAppTypes": ["all"], "platforms": null,
            "users": {"includeUsers": ["All"], "excludeUsers": []}, "locations": []},
            "grantControls": {"operator": "AND", "builtInControls": ["mfa"], "termsOfUse": []}});
        let b = json!({"displayName": "p", "state": "enabled",
            "conditions": {"users": {"includeUsers": ["All"]}},
            "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}});
        assert_eq!(
            normalize(&a, Resource::Policy),
            normalize(&b, Resource::Policy)
        );
    }

    #[test]
    fn a_real_difference_is_reported() {
        let a = json!({"state": "enabled"});
        let b = json!({"state": "disabled"});
        let d = differences(
            &normalize(&a, Resource::Policy),
            &normalize(&b, Resource::Policy),
        );
        assert_eq!(d, vec!["/state: \"enabled\" != \"disabled\"".to_string()]);
    }
}

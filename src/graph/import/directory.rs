//! The names found in the input: groups and users (directory objects, `MigrationTable.json`),
//! named locations and tenants, plus `--names`. An id is replaced by a name only when exactly
//! one object of its kind has that name, and never by a name that means something else in Graph
//! (a user called `All` would turn into every user on export).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::graph::names::{is_guid, NameMap};
use crate::model::Tenant;
use crate::source::FileId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IdKind {
    Group,
    User,
    Location,
    Tenant,
}

/// Names that are Graph keywords in the lists where each kind of id appears.
fn reserved(kind: IdKind, name: &str) -> bool {
    match kind {
        IdKind::User => matches!(name, "All" | "None" | "GuestsOrExternalUsers"),
        IdKind::Location => {
            matches!(name, "All" | "AllTrusted")
                || matches!(
                    name.to_ascii_lowercase().as_str(),
                    "all" | "all_trusted" | "mfa_trusted_ips" | "compliant_network"
                )
        }
        IdKind::Group | IdKind::Tenant => false,
    }
}

#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// Names found in the input: (kind, lower-case id) -> name.
    found: BTreeMap<(IdKind, String), String>,
    /// Ids of objects whose kind is not known (`MigrationTable.json` entries of other types).
    any_kind: BTreeMap<String, String>,
    /// Ids whose name is shared by another id of the same kind.
    ambiguous: BTreeSet<(IdKind, String)>,
    /// `--names`.
    given: NameMap,
    /// Final names of named locations, by lower-case id.
    locations: BTreeMap<String, String>,
    /// Final names of named locations without an id, by where they are (file, JSON pointer).
    unidentified: BTreeMap<(FileId, String), String>,
    location_names: BTreeSet<String>,
    /// Every resolution made.
    used: NameMap,
}

impl Directory {
    /// A group, user or service principal, or a migration table's object list.
    pub fn read_object(&mut self, v: &Value) {
        if let Some(objects) = v.get("objects").and_then(Value::as_array) {
            for o in objects {
                let (Some(id), Some(name)) = (
                    o.get("id").and_then(Value::as_str),
                    o.get("displayName").and_then(Value::as_str),
                ) else {
                    continue;
                };
                let kind = match o.get("type").and_then(Value::as_str) {
                    Some(t) if t.eq_ignore_ascii_case("group") => Some(IdKind::Group),
                    Some(t) if t.eq_ignore_ascii_case("user") => Some(IdKind::User),
                    _ => None,
                };
                self.add(kind, id, name);
            }
            return;
        }
        let id = v.get("id").and_then(Value::as_str);
        let odata = v
            .get("@odata.type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_lowercase();
        let upn = v.get("userPrincipalName").and_then(Value::as_str);
        let display = v.get("displayName").and_then(Value::as_str);
        match (id, upn, display) {
            (Some(id), Some(upn), _) => self.add(Some(IdKind::User), id, upn),
            (Some(id), None, Some(name))
                if odata.ends_with("serviceprincipal") || v.get("appId").is_some() =>
            {
                self.add(None, id, name)
            }
            (Some(id), None, Some(name)) => self.add(Some(IdKind::Group), id, name),
            _ => {}
        }
    }

    /// A multi-tenant organisation member or a partner configuration: a tenant's name.
    pub fn read_tenant(&mut self, v: &Value) {
        let Some(id) = v.get("tenantId").and_then(Value::as_str) else {
            return;
        };
        let name = v
            .get("displayName")
            .or_else(|| v.pointer("/identitySynchronization/displayName"))
            .and_then(Value::as_str);
        if let Some(name) = name {
            self.add(Some(IdKind::Tenant), id, name);
        }
    }

    /// A named location: its id gets the location's (unique) name in the pack. A location
    /// without an id (as `accord export` writes them: `id` is read-only in Graph) is named
    /// here too, in input order, so that `--names` can resolve policy references to it.
    pub fn read_location(&mut self, file: FileId, pointer: &str, v: &Value) {
        let display = v.get("displayName").and_then(Value::as_str);
        let Some(id) = v.get("id").and_then(Value::as_str) else {
            let name = self.unique_location_name(display.unwrap_or(""));
            self.unidentified.insert((file, pointer.to_string()), name);
            return;
        };
        let display = display.unwrap_or(id).to_string();
        if !self.locations.contains_key(&id.to_ascii_lowercase()) {
            let name = self.unique_location_name(&display);
            self.locations.insert(id.to_ascii_lowercase(), name);
        }
    }

    /// Whether a name is one given to a named location of the input.
    pub fn is_location_name(&self, name: &str) -> bool {
        self.location_names.contains(name)
    }

    /// The name given to the location without an id at this place of the input.
    pub fn unidentified_location(&self, file: FileId, pointer: &str) -> Option<&str> {
        self.unidentified
            .get(&(file, pointer.to_string()))
            .map(String::as_str)
    }

    /// A name for a location that does not clash with another one or with `all`,
    /// `all_trusted` and `mfa_trusted_ips`.
    pub fn unique_location_name(&mut self, display: &str) -> String {
        let base = if reserved(IdKind::Location, display) {
            format!("{display} (location)")
        } else {
            display.to_string()
        };
        let mut name = base.clone();
        let mut n = 2;
        while self.location_names.contains(&name) {
            name = format!("{base} ({n})");
            n += 1;
        }
        self.location_names.insert(name.clone());
        name
    }

    /// The name given to the named location with this id, if the input holds it.
    pub fn location(&self, id: &str) -> Option<&str> {
        self.locations
            .get(&id.to_ascii_lowercase())
            .map(String::as_str)
    }

    fn add(&mut self, kind: Option<IdKind>, id: &str, name: &str) {
        if !is_guid(id) || name.is_empty() {
            return;
        }
        let id = id.to_ascii_lowercase();
        match kind {
            Some(k) => {
                self.found.insert((k, id), name.to_string());
            }
            None => {
                self.any_kind.insert(id, name.to_string());
            }
        }
    }

    /// Called once every object is read: finds the names shared by several ids.
    pub fn finish(&mut self, given: &NameMap) {
        self.given = given.clone();
        let mut by_name: BTreeMap<(IdKind, &str), Vec<&str>> = BTreeMap::new();
        for ((kind, id), name) in &self.found {
            by_name.entry((*kind, name)).or_default().push(id);
        }
        for ((kind, _), ids) in by_name {
            if ids.len() > 1 {
                for id in ids {
                    self.ambiguous.insert((kind, id.to_string()));
                }
            }
        }
    }

    /// The name for an id, recorded as used; `None` keeps the id.
    pub fn name(&mut self, kind: IdKind, id: &str) -> Option<&str> {
        let key = id.to_ascii_lowercase();
        let name = if kind == IdKind::Location {
            // Only locations the pack declares: a name from `--names` alone would refer to
            // nothing the pack holds. `--names` does name the input's locations that have no
            // id (the policies of an `accord export` refer to them by the ids in names.yaml).
            self.locations.get(&key).cloned().or_else(|| {
                self.given
                    .get(&key)
                    .filter(|n| self.unidentified.values().any(|u| u == n))
                    .map(str::to_string)
            })
        } else if self.ambiguous.contains(&(kind, key.clone())) {
            None
        } else {
            self.found
                .get(&(kind, key.clone()))
                .or_else(|| self.any_kind.get(&key))
                .cloned()
                .or_else(|| self.given.get(&key).map(str::to_string))
        };
        let name = name.filter(|n| !reserved(kind, n) && !is_guid(n))?;
        self.used.insert(&key, &name);
        self.used.get(&key)
    }

    /// A name for a tenant not declared yet: from its display name, else its id.
    pub fn tenant_name(&mut self, id: &str, tenants: &[Tenant]) -> String {
        let display = self
            .found
            .get(&(IdKind::Tenant, id.to_ascii_lowercase()))
            .cloned()
            .or_else(|| self.given.get(id).map(str::to_string));
        let Some(display) = display else {
            return id.to_string();
        };
        let base = ident_for(&display);
        let mut name = base.clone();
        let mut n = 2;
        while tenants.iter().any(|t| t.name.value == name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.used.insert(id, &name);
        name
    }

    pub fn used(&self) -> &NameMap {
        &self.used
    }
}

/// A lower-case identifier for a display name: `Woodgrove Bank` -> `woodgrove_bank`.
pub fn ident_for(display: &str) -> String {
    let mut out = String::new();
    for c in display.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_string();
    match out.chars().next() {
        None => "tenant".to_string(),
        Some(c) if c.is_ascii_digit() => format!("t_{out}"),
        Some(_) => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shared_names_are_not_used() {
        let mut d = Directory::default();
        d.read_object(&json!({"id": "6499f521-8620-4f4e-92a1-db47c79362e8", "displayName": "G", "securityEnabled": true}));
        d.read_object(&json!({"id": "2802b872-ccfb-4b29-a9a9-459808dfb11b", "displayName": "G", "securityEnabled": true}));
        d.read_object(&json!({"id": "813e2655-e8b9-4255-91f5-7761ee2824bb", "displayName": "H", "securityEnabled": true}));
        d.finish(&NameMap::new());
        assert_eq!(
            d.name(IdKind::Group, "6499f521-8620-4f4e-92a1-db47c79362e8"),
            None
        );
        assert_eq!(
            d.name(IdKind::Group, "813E2655-e8b9-4255-91f5-7761ee2824bb"),
            Some("H")
        );
        assert_eq!(d.used().len(), 1);
    }

    #[test]
    fn idents() {
        assert_eq!(ident_for("Woodgrove Bank"), "woodgrove_bank");
        assert_eq!(ident_for("123 Corp."), "t_123_corp");
        assert_eq!(ident_for("---"), "tenant");
    }
}

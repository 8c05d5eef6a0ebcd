//! Object ids and the names people know them by.
//!
//! Graph refers to groups, users, named locations and tenants by GUID. A pack reads better with
//! names, so import resolves ids through the directory objects found in its input and a
//! `--names` map (YAML, `id: name`); it writes every resolution it made to `names.yaml` in the
//! pack, and export reads that file back to turn the names into ids again.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// An `id -> name` map. Ids compare case-insensitively (they are GUIDs).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NameMap {
    by_id: BTreeMap<String, String>,
}

/// A name that more than one id maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguous(pub Vec<String>);

impl NameMap {
    pub fn new() -> Self {
        NameMap::default()
    }

    /// Parses a YAML mapping of ids to names.
    pub fn from_yaml(text: &str) -> Result<Self, String> {
        let raw: BTreeMap<String, String> = if text.trim().is_empty() {
            BTreeMap::new()
        } else {
            crate::yaml::from_str(text).map_err(|e| format!("{}{e}", e.position()))?
        };
        let mut map = NameMap::new();
        for (id, name) in raw {
            map.insert(&id, &name);
        }
        Ok(map)
    }

    /// The map as YAML, sorted by id.
    pub fn to_yaml(&self) -> String {
        if self.by_id.is_empty() {
            return "{}\n".to_string();
        }
        crate::yaml::to_string(&self.by_id).unwrap_or_default()
    }

    pub fn insert(&mut self, id: &str, name: &str) {
        self.by_id.insert(id.to_ascii_lowercase(), name.to_string());
    }

    pub fn get(&self, id: &str) -> Option<&str> {
        self.by_id.get(&id.to_ascii_lowercase()).map(String::as_str)
    }

    /// The id a name stands for: `Ok(None)` when no id has that name.
    pub fn id_of(&self, name: &str) -> Result<Option<&str>, Ambiguous> {
        let ids: Vec<&str> = self
            .by_id
            .iter()
            .filter(|(_, n)| n.as_str() == name)
            .map(|(id, _)| id.as_str())
            .collect();
        match ids.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one)),
            many => Err(Ambiguous(many.iter().map(|s| s.to_string()).collect())),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_id.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

pub use crate::model::is_guid;

/// A template placeholder such as `<BreakGlassGroup>`.
pub fn is_placeholder(s: &str) -> bool {
    s.len() > 2 && s.starts_with('<') && s.ends_with('>') && !s[1..s.len() - 1].contains('<')
}

/// The all-zero GUID: in `excludeLocations` it is the legacy "MFA trusted IPs" list.
pub const ZERO_GUID: &str = "00000000-0000-0000-0000-000000000000";

/// The id of Global Secure Access's compliant network named location, the same in every tenant
/// (Microsoft Graph beta, "Get compliantNetworkNamedLocation", whose example reads this id;
/// Microsoft Learn, "Enable compliant network check with Conditional Access").
pub const COMPLIANT_NETWORK_ID: &str = "3d46dbda-8382-466a-856d-eb00cbc6b910";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_round_trip_and_reverse_lookup() {
        let map = NameMap::from_yaml("6499F521-8620-4f4e-92a1-db47c79362e8: Break glass\n")
            .unwrap_or_default();
        assert_eq!(
            map.get("6499f521-8620-4f4e-92a1-db47c79362e8"),
            Some("Break glass")
        );
        assert_eq!(
            map.id_of("Break glass"),
            Ok(Some("6499f521-8620-4f4e-92a1-db47c79362e8"))
        );
        assert_eq!(NameMap::from_yaml(&map.to_yaml()), Ok(map));
    }

    #[test]
    fn guids_and_placeholders() {
        assert!(is_guid("6499f521-8620-4f4e-92a1-db47c79362e8"));
        assert!(!is_guid("6499f521-8620-4f4e-92a1"));
        assert!(is_placeholder("<BreakGlassGroup>"));
        assert!(!is_placeholder("<>"));
    }
}

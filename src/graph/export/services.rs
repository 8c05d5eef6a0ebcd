//! The service settings Graph v1.0 does not hold, written in the shape their PowerShell modules
//! print and take (PascalCase parameter names):
//!
//! - `spoTenant.json`: `Set-SPOTenant` parameters (SharePoint and OneDrive sharing);
//! - `teamsFederationConfiguration.json`: `Set-CsTenantFederationConfiguration`;
//! - `teamsMeetingPolicies/<name>.json`: `Set-CsTeamsMeetingPolicy` (`Identity` says which);
//! - `groupUnifiedSetting.json`: the Graph `directorySetting` body of the `Group.Unified`
//!   template (`AllowToAddGuests`).
//!
//! Extensions imported from those sources (`/spoTenant/...`, `/teamsFederation/...`,
//! `/teamsMeetingPolicies/<name>/...`, `/groupUnified/...`) are written back into them.

use serde_json::{json, Map, Value};

use super::{pascal_case, Exporter};
use crate::graph::decode::child_pointer;
use crate::model::*;

/// The extension prefixes this module writes; any other sharing extension prefix but Graph's
/// two resources names no resource.
pub(super) fn is_service_prefix(pointer: &str) -> bool {
    [
        "/spoTenant/",
        "/teamsFederation/",
        "/teamsMeetingPolicies/",
        "/groupUnified/",
        "/exchange/",
    ]
    .iter()
    .any(|p| pointer.starts_with(p))
}

/// `SharingCapability` as `Set-SPOTenant` takes it.
fn spo_capability(level: SharingLevel) -> &'static str {
    match level {
        SharingLevel::OnlyOrganization => "Disabled",
        SharingLevel::ExistingGuests => "ExistingExternalUserSharingOnly",
        SharingLevel::NewAndExistingGuests => "ExternalUserSharingOnly",
        SharingLevel::Anyone => "ExternalUserAndGuestSharing",
    }
}

/// `AutoAdmittedUsers`: the language's name in PascalCase.
fn lobby_value(l: LobbyBypass) -> String {
    l.name()
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn has_prefix(s: &Sharing, prefix: &str) -> bool {
    s.extensions
        .iter()
        .any(|e| e.pointer.value.starts_with(prefix))
}

impl Exporter<'_> {
    pub(super) fn services(&mut self, s: &Sharing) {
        self.spo_tenant(s);
        self.teams_federation(s);
        self.teams_meetings(s);
        self.group_unified(s);
    }

    fn push_service(&mut self, path: String, mut doc: Value, s: &Sharing, prefix: &str) {
        self.apply_extensions(&mut doc, &s.extensions, prefix);
        self.files.push((path, pascal_case(&doc)));
    }

    fn spo_tenant(&mut self, s: &Sharing) {
        let mut doc = Map::new();
        if let Some(l) = &s.sharepoint {
            doc.insert("sharingCapability".into(), json!(spo_capability(l.value)));
        }
        if let Some(l) = &s.onedrive {
            doc.insert(
                "oneDriveSharingCapability".into(),
                json!(spo_capability(l.value)),
            );
        }
        if let [d] = s.domains.as_slice() {
            let (mode, key) = match d.access.value {
                Access::Allow => ("AllowList", "sharingAllowedDomainList"),
                Access::Block => ("BlockList", "sharingBlockedDomainList"),
            };
            doc.insert("sharingDomainRestrictionMode".into(), json!(mode));
            let domains: Vec<&str> = d.domains.iter().map(|x| x.value.as_str()).collect();
            // Set-SPOTenant takes the list as one space-separated string.
            doc.insert(key.into(), json!(domains.join(" ")));
        }
        if let Some(p) = &s.people_picker_guests {
            doc.insert(
                "showPeoplePickerSuggestionsForGuestUsers".into(),
                json!(p.value),
            );
        }
        if let Some(r) = &s.external_resharing {
            doc.insert("preventExternalUsersFromResharing".into(), json!(!r.value));
        }
        if let Some(m) = &s.require_account_match {
            doc.insert(
                "requireAcceptingAccountMatchInvitedAccount".into(),
                json!(m.value),
            );
        }
        if let Some(e) = &s.guest_expiry {
            doc.insert(
                "externalUserExpirationRequired".into(),
                json!(e.value.is_some()),
            );
            if let Some(days) = e.value {
                doc.insert("externalUserExpireInDays".into(), json!(days));
            }
        }
        if let Some(e) = &s.anyone_link_expiry {
            // 0 removes the requirement (`Set-SPOTenant`).
            doc.insert(
                "requireAnonymousLinksExpireInDays".into(),
                json!(e.value.unwrap_or(0)),
            );
        }
        if let Some(l) = &s.default_link {
            let v = match l.value {
                DefaultLink::SpecificPeople => "Direct",
                DefaultLink::Organization => "Internal",
                DefaultLink::Anyone => "AnonymousAccess",
            };
            doc.insert("defaultSharingLinkType".into(), json!(v));
        }
        if let Some(p) = &s.default_link_permission {
            let v = match p.value {
                LinkPermission::View => "View",
                LinkPermission::Edit => "Edit",
            };
            doc.insert("defaultLinkPermission".into(), json!(v));
        }
        if doc.is_empty() && !has_prefix(s, "/spoTenant/") {
            return;
        }
        self.push_service("spoTenant.json".into(), Value::Object(doc), s, "/spoTenant");
    }

    fn teams_federation(&mut self, s: &Sharing) {
        let flags = [
            ("allowFederatedUsers", &s.teams_external_enabled),
            ("allowTeamsConsumer", &s.teams_consumer),
            ("allowTeamsConsumerInbound", &s.teams_consumer_inbound),
            (
                "treatDiscoveredPartnersAsUnverified",
                &s.teams_discovered_unverified,
            ),
        ];
        let any = flags.iter().any(|(_, f)| f.is_some())
            || !s.teams_external_domains.is_empty()
            || has_prefix(s, "/teamsFederation/");
        if !any {
            return;
        }
        let mut doc = Map::new();
        doc.insert("identity".into(), json!("Global"));
        for (key, flag) in flags {
            if let Some(f) = flag {
                doc.insert(key.into(), json!(f.value));
            }
        }
        let list = |access: Access| -> Option<Vec<String>> {
            let lists: Vec<&DomainList> = s
                .teams_external_domains
                .iter()
                .filter(|l| l.access.value == access)
                .collect();
            (!lists.is_empty()).then(|| {
                lists
                    .iter()
                    .flat_map(|l| l.domains.iter().map(|d| d.value.clone()))
                    .collect()
            })
        };
        // No allow list is open federation (`AllowAllKnownDomains`, printed as `[]`); an allow
        // list is an `AllowList` object, as Get-CsTenantFederationConfiguration prints it.
        doc.insert(
            "allowedDomains".into(),
            match list(Access::Allow) {
                Some(domains) => json!({"allowedDomain": domains}),
                None => json!([]),
            },
        );
        doc.insert(
            "blockedDomains".into(),
            json!(list(Access::Block).unwrap_or_default()),
        );
        self.push_service(
            "teamsFederationConfiguration.json".into(),
            Value::Object(doc),
            s,
            "/teamsFederation",
        );
    }

    fn teams_meetings(&mut self, s: &Sharing) {
        for m in &s.teams_meetings {
            let name = m.policy_name().to_string();
            let identity = match &m.name {
                Some(n) => format!("Tag:{}", n.value),
                None => "Global".to_string(),
            };
            let mut doc = Map::new();
            doc.insert("identity".into(), json!(identity));
            if let Some(l) = &m.lobby_bypass {
                doc.insert("autoAdmittedUsers".into(), json!(lobby_value(l.value)));
            }
            if let Some(a) = &m.anonymous_join {
                doc.insert("allowAnonymousUsersToJoinMeeting".into(), json!(a.value));
            }
            if let Some(d) = &m.dial_in_bypass {
                doc.insert("allowPSTNUsersToBypassLobby".into(), json!(d.value));
            }
            let path = self.path("teamsMeetingPolicies", &name);
            let prefix = child_pointer("/teamsMeetingPolicies", &name);
            self.push_service(path, Value::Object(doc), s, &prefix);
        }
    }

    fn group_unified(&mut self, s: &Sharing) {
        let mut values = Vec::new();
        if let Some(g) = &s.groups_guest_access {
            values.push(json!({"name": "AllowToAddGuests", "value": if g.value { "true" } else { "false" }}));
        }
        for e in &s.extensions {
            let Some(name) = e.pointer.value.strip_prefix("/groupUnified/") else {
                continue;
            };
            let value = serde_json::from_str::<Value>(&e.json.value)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_else(|| e.json.value.clone());
            values
                .push(json!({"name": name.replace("~1", "/").replace("~0", "~"), "value": value}));
        }
        if values.is_empty() {
            return;
        }
        // The Graph body of `POST /groupSettings` (camelCase: a Graph resource).
        self.files.push((
            "groupUnifiedSetting.json".into(),
            json!({
                "displayName": "Group.Unified",
                "templateId": "62375ab9-6b52-47ed-826b-58e47e0e304b",
                "values": values,
            }),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lobby_values_are_powershell_names() {
        assert_eq!(
            lobby_value(LobbyBypass::EveryoneInCompanyExcludingGuests),
            "EveryoneInCompanyExcludingGuests"
        );
        assert_eq!(lobby_value(LobbyBypass::OrganizerOnly), "OrganizerOnly");
    }
}

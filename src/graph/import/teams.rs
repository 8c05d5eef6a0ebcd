//! Teams external access and meeting policies, as `Get-CsTenantFederationConfiguration` and
//! `Get-CsTeamsMeetingPolicy` print them (`ConvertTo-Json`, standalone or in a ScubaGear
//! snapshot), and the Microsoft 365 groups setting (`Group.Unified`), into the `sharing` block.
//!
//! Properties accord does not model are kept as sharing extensions under `/teamsFederation`,
//! `/teamsMeetingPolicies/<policy>` and `/groupUnified`, so that export can write them back.

use serde_json::{Map, Value};

use super::tenant::as_list;
use super::{Ctx, Importer, Why};
use crate::diagnostic::Diagnostic;
use crate::graph::decode::child_pointer;
use crate::model::*;
use crate::source::Span;

fn syn<T>(v: T) -> Spanned<T> {
    Spanned::synthetic(v)
}

/// Members of Skype/Teams configuration objects that identify the object, not configure it.
const CONFIG_IDENTITY: &[&str] = &["key", "configMetadata", "configId", "identity", "element"];

/// The domains of an `AllowedDomains`/`BlockedDomains` value: `Some(vec![])` for none (or,
/// for the allow list, open federation: `AllowAllKnownDomains` prints as `[]`, `{}` or its
/// type name), `None` when the shape is not one accord reads.
///
/// Shapes seen: `{"AllowedDomain": "Domain=x"}`, `{"AllowedDomain": ["Domain=x", ...]}`,
/// `["Domain=x"]`, `[{"Domain": "x"}]`, `["x"]`.
pub(super) fn federation_domains(v: &Value) -> Option<Vec<String>> {
    fn one(v: &Value, out: &mut Vec<String>) -> Option<()> {
        match v {
            Value::String(s) => {
                let d = s.trim();
                let d = d
                    .strip_prefix("Domain=")
                    .or_else(|| d.strip_prefix("domain="))
                    .unwrap_or(d);
                if !d.is_empty() {
                    out.push(d.to_ascii_lowercase());
                }
                Some(())
            }
            Value::Object(m) => match m.get("domain") {
                Some(Value::String(s)) => one(&Value::String(s.clone()), out),
                _ => None,
            },
            _ => None,
        }
    }
    let mut out = Vec::new();
    match v {
        Value::Null => {}
        Value::String(s) if s.ends_with("AllowAllKnownDomains") => {}
        Value::Array(items) => {
            for item in items {
                one(item, &mut out)?;
            }
        }
        Value::Object(m) if m.is_empty() || m.contains_key("allowAllKnownDomains") => {}
        Value::Object(m) => {
            let inner = m.get("allowedDomain").or_else(|| m.get("blockedDomain"))?;
            for item in as_list(Some(inner)) {
                one(item, &mut out)?;
            }
        }
        other => one(other, &mut out)?,
    }
    Some(out)
}

impl Importer<'_> {
    fn object_of<'v>(&mut self, cx: &Ctx<'_>, v: &'v Value) -> Option<&'v Map<String, Value>> {
        let map = v.as_object();
        if map.is_none() {
            let d = Diagnostic::warning("W3003", "expected a JSON object here: skipped");
            self.push_at(cx, "", d);
        }
        map
    }

    /// The members of a configuration object other than its identity and `read`, as
    /// extensions (with those collected so far).
    fn the_rest(
        &mut self,
        cx: &mut Ctx<'_>,
        map: &Map<String, Value>,
        read: &[&str],
    ) -> Vec<Extension> {
        let mut extra = map.clone();
        for key in CONFIG_IDENTITY.iter().chain(read) {
            extra.remove(*key);
        }
        self.extras(cx, "", &extra);
        std::mem::take(&mut cx.extensions)
    }

    /// A boolean member, or an extension when it holds something else.
    fn flag(
        &mut self,
        cx: &mut Ctx<'_>,
        map: &Map<String, Value>,
        key: &str,
    ) -> Option<Spanned<bool>> {
        match map.get(key)? {
            Value::Bool(b) => Some(syn(*b)),
            Value::Null => None,
            other => {
                self.extension(cx, &format!("/{key}"), other, Why::Unexpected);
                None
            }
        }
    }

    /// `Get-CsTenantFederationConfiguration`.
    pub(super) fn teams_federation(&mut self, cx: &mut Ctx<'_>, v: &Value) {
        let Some(map) = self.object_of(cx, v) else {
            return;
        };
        cx.prefix = "/teamsFederation".into();
        let enabled = self.flag(cx, map, "allowFederatedUsers");
        let consumer = self.flag(cx, map, "allowTeamsConsumer");
        let consumer_inbound = self.flag(cx, map, "allowTeamsConsumerInbound");
        let discovered = self.flag(cx, map, "treatDiscoveredPartnersAsUnverified");
        let mut lists = Vec::new();
        for (key, access) in [
            ("allowedDomains", Access::Allow),
            ("blockedDomains", Access::Block),
        ] {
            let Some(value) = map.get(key) else { continue };
            match federation_domains(value) {
                // No allow list is open federation; no block list blocks nothing.
                Some(domains) if domains.is_empty() && !allow_list_object(value) => {}
                Some(domains) => lists.push(DomainList {
                    access: syn(access),
                    domains: domains.into_iter().map(syn).collect(),
                    span: Span::default(),
                }),
                None => self.extension(cx, &format!("/{key}"), value, Why::Unexpected),
            }
        }
        let mut extensions = self.the_rest(
            cx,
            map,
            &[
                "allowFederatedUsers",
                "allowTeamsConsumer",
                "allowTeamsConsumerInbound",
                "treatDiscoveredPartnersAsUnverified",
                "allowedDomains",
                "blockedDomains",
            ],
        );
        let sh = self.sharing_mut();
        for (slot, value) in [
            (&mut sh.teams_external_enabled, enabled),
            (&mut sh.teams_consumer, consumer),
            (&mut sh.teams_consumer_inbound, consumer_inbound),
            (&mut sh.teams_discovered_unverified, discovered),
        ] {
            if value.is_some() {
                *slot = value;
            }
        }
        sh.teams_external_domains = lists;
        sh.extensions.append(&mut extensions);
    }

    /// `Get-CsTeamsMeetingPolicy`: one policy (`Global`, or `Tag:<name>`).
    pub(super) fn meeting_policy(&mut self, cx: &mut Ctx<'_>, v: &Value) {
        let Some(map) = self.object_of(cx, v) else {
            return;
        };
        let identity = map
            .get("identity")
            .and_then(Value::as_str)
            .unwrap_or("Global");
        let name = identity
            .strip_prefix("Tag:")
            .unwrap_or(identity)
            .to_string();
        let name = (!name.eq_ignore_ascii_case("Global")).then_some(name);
        cx.prefix = child_pointer("/teamsMeetingPolicies", name.as_deref().unwrap_or("Global"));
        let lobby_bypass = match map.get("autoAdmittedUsers") {
            Some(Value::String(s)) => match lobby_bypass(s) {
                Some(l) => Some(syn(l)),
                None => {
                    let x = Value::String(s.clone());
                    self.extension(cx, "/autoAdmittedUsers", &x, Why::Unexpected);
                    None
                }
            },
            Some(Value::Null) | None => None,
            Some(other) => {
                self.extension(cx, "/autoAdmittedUsers", other, Why::Unexpected);
                None
            }
        };
        let anonymous_join = self.flag(cx, map, "allowAnonymousUsersToJoinMeeting");
        let dial_in_bypass = self.flag(cx, map, "allowPSTNUsersToBypassLobby");
        let mut extensions = self.the_rest(
            cx,
            map,
            &[
                "autoAdmittedUsers",
                "allowAnonymousUsersToJoinMeeting",
                "allowPSTNUsersToBypassLobby",
            ],
        );
        let policy = MeetingPolicy {
            name: name.map(syn),
            lobby_bypass,
            anonymous_join,
            dial_in_bypass,
            span: Span::default(),
        };
        let sh = self.sharing_mut();
        match sh
            .teams_meetings
            .iter_mut()
            .find(|m| m.policy_name() == policy.policy_name())
        {
            Some(old) => *old = policy,
            None => sh.teams_meetings.push(policy),
        }
        sh.extensions.append(&mut extensions);
    }

    /// `directory_settings`: the tenant-wide `Group.Unified` setting says whether Microsoft 365
    /// group owners may add guests (`AllowToAddGuests`); other settings are not modelled.
    pub(super) fn directory_setting(&mut self, cx: &mut Ctx<'_>, v: &Value) {
        let Some(map) = self.object_of(cx, v) else {
            return;
        };
        let group_unified = map.get("displayName").and_then(Value::as_str) == Some("Group.Unified")
            || map.get("templateId").and_then(Value::as_str)
                == Some("62375ab9-6b52-47ed-826b-58e47e0e304b");
        if !group_unified {
            let what = map
                .get("displayName")
                .and_then(Value::as_str)
                .unwrap_or("this directory setting");
            let d = Diagnostic::warning(
                "W3009",
                format!("directory setting `{what}` is not modelled by accord: skipped"),
            )
            .help("accord reads the `Group.Unified` setting (guests in Microsoft 365 groups)");
            self.push_at(cx, "", d);
            return;
        }
        cx.prefix = "/groupUnified".into();
        let mut guests = None;
        for (i, entry) in as_list(map.get("values")).into_iter().enumerate() {
            let (Some(name), Some(value)) = (
                entry.get("name").and_then(Value::as_str),
                entry.get("value").and_then(Value::as_str),
            ) else {
                self.extension(cx, &format!("/values/{i}"), entry, Why::Unexpected);
                continue;
            };
            match (name, value.to_ascii_lowercase().as_str()) {
                ("AllowToAddGuests", "true") => guests = Some(true),
                ("AllowToAddGuests", "false") => guests = Some(false),
                _ if value.is_empty() => {}
                _ => {
                    let rel = child_pointer("", name);
                    let x = Value::String(value.to_string());
                    // The pointer names the setting; its span is the entry's.
                    let d = Diagnostic::warning(
                        "W3002",
                        format!(
                            "`/groupUnified{rel}` is not modelled by accord: kept as an extension"
                        ),
                    )
                    .help("export writes it back unchanged; accord does not evaluate it");
                    self.push_at(cx, &format!("/values/{i}"), d);
                    cx.extensions.push(Extension {
                        pointer: syn(format!("/groupUnified{rel}")),
                        json: syn(x.to_string()),
                    });
                }
            }
        }
        let mut extensions = std::mem::take(&mut cx.extensions);
        let sh = self.sharing_mut();
        if let Some(g) = guests {
            sh.groups_guest_access = Some(syn(g));
        }
        sh.extensions.append(&mut extensions);
    }
}

/// An `AllowedDomains` object that is a list (`{"AllowedDomain": [...]}`, even empty: no
/// domain allowed) rather than `AllowAllKnownDomains`.
fn allow_list_object(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|m| m.contains_key("allowedDomain"))
}

/// `AutoAdmittedUsers` as PowerShell prints it (`EveryoneInCompanyExcludingGuests`).
pub(super) fn lobby_bypass(text: &str) -> Option<LobbyBypass> {
    let wanted = text.to_ascii_lowercase();
    LobbyBypass::ALL
        .into_iter()
        .find(|l| l.name().replace('_', "") == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn federation_domain_shapes() {
        let one = json!({"allowedDomain": "Domain=domains.r.us"});
        assert_eq!(
            federation_domains(&one),
            Some(vec!["domains.r.us".to_string()])
        );
        let many = json!({"allowedDomain": ["Domain=a.com", "Domain=B.com"]});
        assert_eq!(
            federation_domains(&many),
            Some(vec!["a.com".to_string(), "b.com".to_string()])
        );
        assert_eq!(federation_domains(&json!([])), Some(vec![]));
        assert_eq!(federation_domains(&json!({})), Some(vec![]));
        assert_eq!(
            federation_domains(&json!([{"domain": "c.com"}, "d.com"])),
            Some(vec!["c.com".to_string(), "d.com".to_string()])
        );
        assert_eq!(federation_domains(&json!([1])), None);
        assert!(allow_list_object(&json!({"allowedDomain": []})));
    }

    #[test]
    fn lobby_values() {
        assert_eq!(
            lobby_bypass("EveryoneInCompanyExcludingGuests"),
            Some(LobbyBypass::EveryoneInCompanyExcludingGuests)
        );
        assert_eq!(
            lobby_bypass("OrganizerOnly"),
            Some(LobbyBypass::OrganizerOnly)
        );
        assert_eq!(lobby_bypass("Nobody"), None);
    }
}

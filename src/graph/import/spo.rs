//! The SharePoint Online tenant (`Get-SPOTenant | ConvertTo-Json`, or the SharePoint REST API's
//! `SPO.Tenant` as ScubaGear's `SPO_tenant` holds it) into the `sharing` block.
//!
//! The REST API answers in OData verbose JSON: `__metadata` blocks, `{"__deferred": ...}`
//! navigation links and collections as `{"results": [...]}`. The first two carry no setting and
//! are noise; a collection is its `results`. `ODBSharingCapability` (REST) is
//! `OneDriveSharingCapability` (PowerShell). What is left is read as the SharePoint settings
//! are, with extensions under `/spoTenant`, which export writes back as `Set-SPOTenant`
//! parameters.

use serde_json::{Map, Value};

use super::{Ctx, Importer, Why};
use crate::model::{Sharing, Spanned};

/// Drops OData verbose noise and unwraps `{"results": [...]}` collections.
pub(super) fn rest_verbose(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            if let Some(results) = m
                .get("results")
                .filter(|_| m.keys().all(|k| k == "results" || k == "__metadata"))
            {
                return rest_verbose(results);
            }
            Value::Object(
                m.iter()
                    .filter(|(k, v)| !k.starts_with("__") && !is_deferred(v))
                    .map(|(k, v)| (k.clone(), rest_verbose(v)))
                    .collect::<Map<String, Value>>(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(rest_verbose).collect()),
        other => other.clone(),
    }
}

/// `{"__deferred": {"uri": ...}}`: a navigation link, not a value.
fn is_deferred(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|m| m.len() == 1 && m.contains_key("__deferred"))
}

/// Whether a SharePoint settings object is the SharePoint tenant as PowerShell or the REST API
/// print it rather than Graph's `sharepointSettings`: SPO-only members, or an integer
/// capability (Graph's enums are strings).
pub(super) fn is_spo_tenant(map: &Map<String, Value>) -> bool {
    const SPO_ONLY: &[&str] = &[
        "__metadata",
        "oneDriveSharingCapability",
        "odbSharingCapability",
        "preventExternalUsersFromResharing",
        "requireAcceptingAccountMatchInvitedAccount",
        "externalUserExpirationRequired",
        "defaultSharingLinkType",
        "showPeoplePickerSuggestionsForGuestUsers",
    ];
    SPO_ONLY.iter().any(|k| map.contains_key(*k))
        || map.get("sharingCapability").is_some_and(|c| {
            // Graph's enum values are camelCase strings; PowerShell prints an integer or the
            // PascalCase name.
            c.is_number()
                || c.as_str()
                    .is_some_and(|t| t.starts_with(char::is_uppercase))
        })
}

/// The SharePoint guest-sharing settings besides the levels and the domain list.
#[derive(Debug, Default)]
pub(super) struct SharepointDetails {
    people_picker_guests: Option<Spanned<bool>>,
}

impl SharepointDetails {
    /// Sets what this source says; what it does not say stays as an earlier source set it.
    pub(super) fn apply(self, sh: &mut Sharing) {
        if self.people_picker_guests.is_some() {
            sh.people_picker_guests = self.people_picker_guests;
        }
    }
}

impl Importer<'_> {
    /// Takes the settings accord models out of `extra` (the members left after the levels and
    /// the domain list); a value of the wrong type stays an extension (W3007).
    pub(super) fn sharepoint_details(
        &mut self,
        cx: &mut Ctx<'_>,
        extra: &mut Map<String, Value>,
    ) -> SharepointDetails {
        let mut d = SharepointDetails::default();
        if let Some(v) = extra.remove("showPeoplePickerSuggestionsForGuestUsers") {
            match v {
                Value::Bool(b) => d.people_picker_guests = Some(Spanned::synthetic(b)),
                Value::Null => {}
                other => self.extension(
                    cx,
                    "/showPeoplePickerSuggestionsForGuestUsers",
                    &other,
                    Why::Unexpected,
                ),
            }
        }
        d
    }

    pub(super) fn spo_tenant(&mut self, cx: &mut Ctx<'_>, v: &Value) {
        let mut clean = rest_verbose(v);
        if let Value::Object(m) = &mut clean {
            if let Some(odb) = m.remove("odbSharingCapability") {
                m.entry("oneDriveSharingCapability").or_insert(odb);
            }
        }
        cx.prefix = "/spoTenant".into();
        self.sharepoint(cx, &clean);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn verbose_noise_goes_and_collections_unwrap() {
        let v = json!({
            "__metadata": {"type": "SPO.Tenant"},
            "Sites": {"__deferred": {"uri": "x"}},
            "list": {"__metadata": {"type": "Collection(Edm.String)"}, "results": ["a"]},
            "n": 1
        });
        assert_eq!(rest_verbose(&v), json!({"list": ["a"], "n": 1}));
        assert!(is_spo_tenant(v.as_object().unwrap()));
        assert!(!is_spo_tenant(
            json!({"sharingCapability": "disabled"})
                .as_object()
                .unwrap()
        ));
    }
}

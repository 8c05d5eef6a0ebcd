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
use crate::model::{DefaultLink, Expiry, LinkPermission, Sharing, Spanned};

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
    external_resharing: Option<Spanned<bool>>,
    require_account_match: Option<Spanned<bool>>,
    guest_expiry: Option<Spanned<Expiry>>,
    anyone_link_expiry: Option<Spanned<Expiry>>,
    default_link: Option<Spanned<DefaultLink>>,
    default_link_permission: Option<Spanned<LinkPermission>>,
}

impl SharepointDetails {
    /// Sets what this source says; what it does not say stays as an earlier source set it.
    pub(super) fn apply(self, sh: &mut Sharing) {
        fn set<T>(slot: &mut Option<T>, v: Option<T>) {
            if v.is_some() {
                *slot = v;
            }
        }
        set(&mut sh.people_picker_guests, self.people_picker_guests);
        set(&mut sh.external_resharing, self.external_resharing);
        set(&mut sh.require_account_match, self.require_account_match);
        set(&mut sh.guest_expiry, self.guest_expiry);
        set(&mut sh.anyone_link_expiry, self.anyone_link_expiry);
        set(&mut sh.default_link, self.default_link);
        set(
            &mut sh.default_link_permission,
            self.default_link_permission,
        );
    }
}

/// A CSOM enum given as its integer or its name: `names[i]` is value `i`, and `values[i]` what
/// it means (`None`: "not set"). `None` when the value is neither.
fn csom<T: Copy>(v: &Value, names: &[&str], values: &[Option<T>]) -> Option<Option<T>> {
    let n = match v {
        Value::Number(n) => usize::try_from(n.as_u64()?).ok()?,
        Value::String(s) => names.iter().position(|x| x.eq_ignore_ascii_case(s))?,
        _ => return None,
    };
    values.get(n).copied()
}

/// `DefaultSharingLinkType`: `None` (0: not set), `Direct` (1), `Internal` (2),
/// `AnonymousAccess` (3).
fn default_link(v: &Value) -> Option<Option<DefaultLink>> {
    csom(
        v,
        &["None", "Direct", "Internal", "AnonymousAccess"],
        &[
            None,
            Some(DefaultLink::SpecificPeople),
            Some(DefaultLink::Organization),
            Some(DefaultLink::Anyone),
        ],
    )
}

/// `DefaultLinkPermission`: `None` (0: not set), `View` (1), `Edit` (2).
fn link_permission(v: &Value) -> Option<Option<LinkPermission>> {
    csom(
        v,
        &["None", "View", "Edit"],
        &[None, Some(LinkPermission::View), Some(LinkPermission::Edit)],
    )
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
        let mut flag = |im: &mut Self, cx: &mut Ctx<'_>, key: &str| -> Option<bool> {
            match extra.remove(key)? {
                Value::Bool(b) => Some(b),
                Value::Null => None,
                other => {
                    im.extension(cx, &format!("/{key}"), &other, Why::Unexpected);
                    None
                }
            }
        };
        d.people_picker_guests =
            flag(self, cx, "showPeoplePickerSuggestionsForGuestUsers").map(Spanned::synthetic);
        // PowerShell says "prevent"; Graph says "enabled".
        d.external_resharing = flag(self, cx, "preventExternalUsersFromResharing")
            .map(|p| !p)
            .or(flag(self, cx, "isResharingByExternalUsersEnabled"))
            .map(Spanned::synthetic);
        d.require_account_match = flag(self, cx, "requireAcceptingAccountMatchInvitedAccount")
            .or(flag(
                self,
                cx,
                "isRequireAcceptingUserToMatchInvitedUserEnabled",
            ))
            .map(Spanned::synthetic);
        let required = flag(self, cx, "externalUserExpirationRequired");
        let days = extra.remove("externalUserExpireInDays");
        let day_count = days
            .as_ref()
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok());
        match (required, day_count) {
            (Some(true), Some(n)) => d.guest_expiry = Some(Spanned::synthetic(Some(n))),
            (Some(false), _) => {
                d.guest_expiry = Some(Spanned::synthetic(None));
                // The day count of a policy that is off changes nothing, but is kept.
                if let Some(days) = &days {
                    self.extension(cx, "/externalUserExpireInDays", days, Why::Unmodelled);
                }
            }
            (_, _) => {
                if let Some(days) = &days {
                    self.extension(cx, "/externalUserExpireInDays", days, Why::Unexpected);
                }
            }
        }
        if let Some(v) = extra.remove("requireAnonymousLinksExpireInDays") {
            match v.as_i64() {
                // -1 (and 0) mean no expiry.
                Some(n) if n <= 0 => d.anyone_link_expiry = Some(Spanned::synthetic(None)),
                Some(n) => match u32::try_from(n) {
                    Ok(n) => d.anyone_link_expiry = Some(Spanned::synthetic(Some(n))),
                    Err(_) => self.extension(
                        cx,
                        "/requireAnonymousLinksExpireInDays",
                        &v,
                        Why::Unexpected,
                    ),
                },
                None => self.extension(
                    cx,
                    "/requireAnonymousLinksExpireInDays",
                    &v,
                    Why::Unexpected,
                ),
            }
        }
        if let Some(v) = extra.remove("defaultSharingLinkType") {
            match default_link(&v) {
                Some(link) => d.default_link = link.map(Spanned::synthetic),
                None => self.extension(cx, "/defaultSharingLinkType", &v, Why::Unexpected),
            }
        }
        if let Some(v) = extra.remove("defaultLinkPermission") {
            match link_permission(&v) {
                Some(p) => d.default_link_permission = p.map(Spanned::synthetic),
                None => self.extension(cx, "/defaultLinkPermission", &v, Why::Unexpected),
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

    #[test]
    fn csom_enums_by_number_or_name() {
        assert_eq!(
            default_link(&json!(1)),
            Some(Some(DefaultLink::SpecificPeople))
        );
        assert_eq!(
            default_link(&json!("AnonymousAccess")),
            Some(Some(DefaultLink::Anyone))
        );
        assert_eq!(default_link(&json!(0)), Some(None));
        assert_eq!(default_link(&json!(7)), None);
        assert_eq!(
            link_permission(&json!("edit")),
            Some(Some(LinkPermission::Edit))
        );
        assert_eq!(link_permission(&json!(true)), None);
    }
}

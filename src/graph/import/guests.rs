//! The guest settings of Entra External ID into `sharing { invitations { ... } }`:
//!
//! - `authorizationPolicy.guestUserRoleId` -> `guest_role` (three documented role templates);
//! - the B2B invitation allow or block list: Graph beta `b2bManagementPolicy` (and the legacy
//!   `policies` object of type `B2BManagementPolicy`), whose `definition` holds the JSON text
//!   `{"B2BManagementPolicy":{"InvitationsAllowedAndBlockedDomainsPolicy":{"AllowedDomains":[...],
//!   "BlockedDomains":[...]}}}` (Microsoft Learn, "Allow or block invitations to B2B users from
//!   specific organizations") -> `domains allow|block [...]`;
//! - `emailAuthenticationMethodConfiguration.allowExternalIdToUseEmailOtp` -> `email_otp`;
//! - `authenticationFlowsPolicy.selfServiceSignUp.isEnabled` -> `self_service_sign_up`.

use serde_json::{Map, Value};

use super::{Ctx, Importer, Why};
use crate::diagnostic::Diagnostic;
use crate::model::*;
use crate::source::Span;

fn syn<T>(v: T) -> Spanned<T> {
    Spanned::synthetic(v)
}

/// Whether an object is a B2B management policy (beta resource or legacy policy).
pub(crate) fn is_b2b_management(map: &Map<String, Value>) -> bool {
    map.get("type").and_then(Value::as_str) == Some("B2BManagementPolicy")
        || map
            .get("@odata.type")
            .and_then(Value::as_str)
            .is_some_and(|t| t.to_ascii_lowercase().ends_with("b2bmanagementpolicy"))
        || map.get("definition").is_some_and(|d| {
            d.as_array().is_some_and(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .any(|t| t.contains("B2BManagementPolicy"))
            })
        })
}

impl Importer<'_> {
    fn invitations_mut(&mut self) -> &mut Invitations {
        let sh = self.sharing_mut();
        sh.invitations
            .get_or_insert_with(|| Invitations::new(Span::default()))
    }

    /// `guestUserRoleId` of the authorization policy (taken out of `extra`).
    pub(super) fn guest_role(&mut self, cx: &mut Ctx<'_>, extra: &mut Map<String, Value>) {
        let Some(v) = extra.remove("guestUserRoleId") else {
            return;
        };
        match v.as_str().and_then(GuestRole::from_role_id) {
            Some(role) => self.invitations_mut().guest_role = Some(syn(role)),
            None if v.is_null() => {}
            None => self.extension(cx, "/guestUserRoleId", &v, Why::Unexpected),
        }
    }

    pub(super) fn b2b_management(&mut self, cx: &mut Ctx<'_>, v: &Value) {
        cx.prefix = "/b2bManagementPolicy".into();
        let definitions: Vec<&str> = v
            .get("definition")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut lists = Vec::new();
        for (i, text) in definitions.iter().enumerate() {
            let parsed: Option<Value> = serde_json::from_str(text).ok();
            let Some(policy) = parsed.as_ref().and_then(|p| {
                p.pointer("/B2BManagementPolicy/InvitationsAllowedAndBlockedDomainsPolicy")
            }) else {
                self.extension(
                    cx,
                    &format!("/definition/{i}"),
                    &Value::String(text.to_string()),
                    Why::Unexpected,
                );
                continue;
            };
            for (key, access) in [
                ("AllowedDomains", Access::Allow),
                ("BlockedDomains", Access::Block),
            ] {
                let Some(list) = policy.get(key) else {
                    continue;
                };
                let domains: Option<Vec<String>> = list.as_array().map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_ascii_lowercase)
                        .collect()
                });
                match domains {
                    // An empty list is no list: a block list is written with `AllowedDomains: []`
                    // beside it, and the reverse.
                    Some(d) if d.is_empty() => {}
                    Some(d) => lists.push(DomainList {
                        access: syn(access),
                        domains: d.into_iter().map(syn).collect(),
                        span: Span::default(),
                    }),
                    None => self.extension(
                        cx,
                        &format!("/definition/{i}"),
                        &Value::String(text.to_string()),
                        Why::Unexpected,
                    ),
                }
            }
        }
        let mut extensions = std::mem::take(&mut cx.extensions);
        let inv = self.invitations_mut();
        if !lists.is_empty() {
            inv.domains = lists;
        }
        self.sharing_mut().extensions.append(&mut extensions);
    }

    pub(super) fn email_otp(&mut self, cx: &mut Ctx<'_>, v: &Value) {
        let value = v.get("allowExternalIdToUseEmailOtp");
        // `default` is on for tenants that did not use the preview (on since October 2021).
        let on = match value
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("enabled" | "default") => Some(true),
            Some("disabled") => Some(false),
            _ => None,
        };
        match on {
            Some(on) => self.invitations_mut().email_otp = Some(syn(on)),
            None => {
                let d = Diagnostic::warning(
                    "W3007",
                    "`allowExternalIdToUseEmailOtp` holds a value accord cannot read: email one-time passcode not imported",
                )
                .help("the documented values are `default`, `enabled` and `disabled`");
                self.push_at(cx, "/allowExternalIdToUseEmailOtp", d);
            }
        }
    }

    pub(super) fn auth_flows(&mut self, cx: &mut Ctx<'_>, v: &Value) {
        match v.pointer("/selfServiceSignUp/isEnabled") {
            Some(Value::Bool(b)) => self.invitations_mut().self_service_sign_up = Some(syn(*b)),
            _ => {
                let d = Diagnostic::warning(
                    "W3007",
                    "`selfServiceSignUp/isEnabled` is not a boolean: self-service sign-up not imported",
                );
                self.push_at(cx, "/selfServiceSignUp", d);
            }
        }
    }
}

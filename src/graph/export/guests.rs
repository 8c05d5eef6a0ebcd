//! The guest settings of Entra External ID, as the Graph bodies that set them:
//!
//! - `b2bManagementPolicy.json`: the B2B invitation allow or block list (Graph beta
//!   `POST /policies/b2bManagementPolicies`; the `definition` is the JSON text documented on
//!   Microsoft Learn, "Allow or block invitations to B2B users from specific organizations");
//! - `emailAuthenticationMethodConfiguration.json`: `PATCH
//!   /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/email`;
//! - `authenticationFlowsPolicy.json`: `PATCH /policies/authenticationFlowsPolicy`.
//!
//! `guest_role` goes into `authorizationPolicy.json` (`guestUserRoleId`), with `from`.

use serde_json::json;

use super::Exporter;
use crate::model::*;

impl Exporter<'_> {
    pub(super) fn guests(&mut self, inv: &Invitations) {
        match inv.domains.as_slice() {
            [] => {}
            [d] => {
                let domains: Vec<&str> = d.domains.iter().map(|x| x.value.as_str()).collect();
                let (allowed, blocked) = match d.access.value {
                    Access::Allow => (domains, Vec::new()),
                    Access::Block => (Vec::new(), domains),
                };
                let definition = json!({"B2BManagementPolicy": {"InvitationsAllowedAndBlockedDomainsPolicy": {
                    "AllowedDomains": allowed, "BlockedDomains": blocked}}});
                self.files.push((
                    "b2bManagementPolicy.json".into(),
                    json!({
                        "displayName": "B2BManagementPolicy",
                        "isOrganizationDefault": true,
                        "definition": [definition.to_string()],
                    }),
                ));
            }
            [_, second, ..] => self.error(
                second.span,
                "E3022",
                "more than one invitation domain list cannot be exported".into(),
                "Entra has one collaboration restriction: an allow list or a block list",
            ),
        }
        if let Some(otp) = &inv.email_otp {
            self.files.push((
                "emailAuthenticationMethodConfiguration.json".into(),
                json!({
                    "@odata.type": "#microsoft.graph.emailAuthenticationMethodConfiguration",
                    "allowExternalIdToUseEmailOtp": if otp.value { "enabled" } else { "disabled" },
                }),
            ));
        }
        if let Some(s) = &inv.self_service_sign_up {
            self.files.push((
                "authenticationFlowsPolicy.json".into(),
                json!({"selfServiceSignUp": {"isEnabled": s.value}}),
            ));
        }
    }
}

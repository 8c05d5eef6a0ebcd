//! Named locations, cross-tenant access settings and sharing settings to Graph bodies.

use serde_json::{json, Map, Value};

use super::{Exporter, Kind};
use crate::model::*;
use crate::source::Span;

impl Exporter<'_> {
    pub(super) fn location(&mut self, l: &Location) -> Option<Value> {
        let mut doc = match &l.kind {
            LocationKind::Ip { ranges } => {
                let ranges: Vec<Value> = ranges
                    .iter()
                    .map(|r| {
                        let family = if r.contains(':') { "iPv6CidrRange" } else { "iPv4CidrRange" };
                        json!({"@odata.type": format!("#microsoft.graph.{family}"), "cidrAddress": r.value})
                    })
                    .collect();
                json!({
                    "@odata.type": "#microsoft.graph.ipNamedLocation",
                    "displayName": l.name.value,
                    "isTrusted": l.trusted.is_some(),
                    "ipRanges": ranges,
                })
            }
            LocationKind::Countries {
                codes,
                include_unknown,
                lookup,
            } => json!({
                "@odata.type": "#microsoft.graph.countryNamedLocation",
                "displayName": l.name.value,
                "countriesAndRegions": codes.iter().map(|c| c.value.clone()).collect::<Vec<_>>(),
                "includeUnknownCountriesAndRegions": include_unknown,
                "countryLookupMethod": match lookup {
                    CountryLookup::ClientIp => "clientIpAddress",
                    CountryLookup::Gps => "authenticatorAppGps",
                },
            }),
        };
        self.apply_extensions(&mut doc, &l.extensions, "");
        Some(doc)
    }

    pub(super) fn cross_tenant(&mut self) {
        let pack = self.pack;
        for x in &pack.cross_tenant {
            let mut doc = Map::new();
            let path = match &x.target {
                CrossTenantTarget::Default => "crossTenantAccessPolicy/default.json".to_string(),
                CrossTenantTarget::Tenant(n) => {
                    let Some(id) = self.tenant_id(n.span, &n.value) else {
                        continue;
                    };
                    doc.insert("tenantId".into(), Value::String(id.clone()));
                    format!("crossTenantAccessPolicy/partners/{id}.json")
                }
            };
            let is_default = x.target == CrossTenantTarget::Default;
            for r in &x.rules {
                let key = match (r.direction.value, r.kind.value) {
                    (Direction::Inbound, B2bKind::B2bCollaboration) => "b2bCollaborationInbound",
                    (Direction::Outbound, B2bKind::B2bCollaboration) => "b2bCollaborationOutbound",
                    (Direction::Inbound, B2bKind::B2bDirectConnect) => "b2bDirectConnectInbound",
                    (Direction::Outbound, B2bKind::B2bDirectConnect) => "b2bDirectConnectOutbound",
                };
                let inbound_default = is_default && r.direction.value == Direction::Inbound;
                if let Some(v) = self.b2b_setting(&r.setting, r.span, inbound_default) {
                    doc.insert(key.into(), v);
                }
            }
            if let Some(t) = &x.trust {
                doc.insert(
                    "inboundTrust".into(),
                    json!({
                        "isMfaAccepted": t.mfa,
                        "isCompliantDeviceAccepted": t.compliant_device,
                        "isHybridAzureADJoinedDeviceAccepted": t.hybrid_joined,
                    }),
                );
            }
            if let Some(c) = &x.auto_consent {
                doc.insert(
                    "automaticUserConsentSettings".into(),
                    json!({"inboundAllowed": c.inbound, "outboundAllowed": c.outbound}),
                );
            }
            if let Some(span) = x.service_provider {
                if is_default {
                    self.error(
                        span,
                        "E3022",
                        "`service_provider` in `cross_tenant default` cannot be exported".into(),
                        "only a partner can be a service provider",
                    );
                } else {
                    doc.insert("isServiceProvider".into(), Value::Bool(true));
                }
            }
            // A partner's `identitySynchronization` as `$expand=identitySynchronization`
            // returns it (validation keeps `user_sync` out of the default).
            if x.user_sync_inbound.is_some() && !is_default {
                doc.insert(
                    "identitySynchronization".into(),
                    json!({"userSyncInbound": {"isSyncAllowed": true}}),
                );
            }
            if let Some(tr) = &x.tenant_restrictions {
                // The default's users can only be `AllUsers` (validation, E1131), like inbound.
                if let Some(v) = self.b2b_setting(&tr.setting, tr.span, is_default) {
                    doc.insert("tenantRestrictions".into(), v);
                }
            }
            let mut doc = Value::Object(doc);
            self.apply_extensions(&mut doc, &x.extensions, "");
            self.files.push((path, doc));
        }
    }

    /// `crossTenantAccessPolicyB2BSetting`; an omitted dimension takes the other one's access
    /// type with target all (the language's rule, see the model).
    fn b2b_setting(&mut self, s: &B2bSetting, span: Span, inbound_default: bool) -> Option<Value> {
        let access_word = |a: Access| match a {
            Access::Allow => "allowed",
            Access::Block => "blocked",
        };
        let everything = |a: Access| {
            json!({
                "usersAndGroups": {"accessType": access_word(a), "targets": [{"target": "AllUsers", "targetType": "user"}]},
                "applications": {"accessType": access_word(a), "targets": [{"target": "AllApplications", "targetType": "application"}]},
            })
        };
        if let Some(a) = &s.short {
            return Some(everything(a.value));
        }
        let users_access = s.users.as_ref().map(|u| u.access.value);
        let apps_access = s.apps.as_ref().map(|a| a.access.value);
        let users = match &s.users {
            Some(u) => {
                let mut targets = Vec::new();
                for t in &u.targets {
                    let (target, ty) = match &t.value {
                        XtUserTarget::All => ("AllUsers".to_string(), "user"),
                        XtUserTarget::User(n) => (
                            self.partner_object(t.span, Kind::User, n, inbound_default)?,
                            "user",
                        ),
                        XtUserTarget::Group(n) => (
                            self.partner_object(t.span, Kind::Group, n, inbound_default)?,
                            "group",
                        ),
                    };
                    targets.push(json!({"target": target, "targetType": ty}));
                }
                json!({"accessType": access_word(u.access.value), "targets": targets})
            }
            None => json!({
                "accessType": access_word(apps_access.unwrap_or(Access::Allow)),
                "targets": [{"target": "AllUsers", "targetType": "user"}],
            }),
        };
        let apps = match &s.apps {
            Some(a) => {
                let mut targets = Vec::new();
                for t in &a.targets {
                    let target = match &t.value {
                        AppTarget::All => "AllApplications".to_string(),
                        AppTarget::Office365 => "Office365".to_string(),
                        AppTarget::Named(app) => app.app_id().to_string(),
                        AppTarget::App(id) => id.clone(),
                        _ => {
                            self.error(
                                t.span,
                                "E3022",
                                "this app target cannot be exported in a cross-tenant setting".into(),
                                "cross-tenant settings target `all`, `office365` or applications by id",
                            );
                            return None;
                        }
                    };
                    targets.push(json!({"target": target, "targetType": "application"}));
                }
                json!({"accessType": access_word(a.access.value), "targets": targets})
            }
            None => json!({
                "accessType": access_word(users_access.unwrap_or(Access::Allow)),
                "targets": [{"target": "AllApplications", "targetType": "application"}],
            }),
        };
        if s.users.is_none() && s.apps.is_none() {
            self.error(
                span,
                "E3022",
                "an empty B2B setting cannot be exported".into(),
                "write `= allow`, `= block`, or `users ...` / `apps ...` lines",
            );
            return None;
        }
        Some(json!({"usersAndGroups": users, "applications": apps}))
    }

    /// A user or group of a partner tenant in a B2B setting.
    fn partner_object(
        &mut self,
        span: Span,
        kind: Kind,
        name: &str,
        inbound_default: bool,
    ) -> Option<String> {
        if inbound_default {
            // Users and groups cannot be targeted in default inbound settings (§4.2).
            self.error(
                span,
                "E3022",
                format!(
                    "`{name}` cannot be exported: default inbound settings target all users only"
                ),
                "target users and groups in a partner's `cross_tenant` block",
            );
            return None;
        }
        Some(self.id_of(span, kind, name))
    }

    pub(super) fn sharing(&mut self) {
        let pack = self.pack;
        for s in &pack.sharing {
            let mut sp = Map::new();
            if let Some(l) = &s.sharepoint {
                sp.insert("sharingCapability".into(), json!(capability(l.value)));
            }
            if let Some(r) = &s.external_resharing {
                sp.insert("isResharingByExternalUsersEnabled".into(), json!(r.value));
            }
            if let Some(m) = &s.require_account_match {
                sp.insert(
                    "isRequireAcceptingUserToMatchInvitedUserEnabled".into(),
                    json!(m.value),
                );
            }
            match s.domains.as_slice() {
                [] => {}
                [d] => {
                    let (mode, key) = match d.access.value {
                        Access::Allow => ("allowList", "sharingAllowedDomainList"),
                        Access::Block => ("blockList", "sharingBlockedDomainList"),
                    };
                    sp.insert("sharingDomainRestrictionMode".into(), json!(mode));
                    let domains: Vec<&str> = d.domains.iter().map(|x| x.value.as_str()).collect();
                    sp.insert(key.into(), json!(domains));
                }
                [_, second, ..] => self.error(
                    second.span,
                    "E3022",
                    "more than one SharePoint domain list cannot be exported".into(),
                    "SharePoint has one restriction mode: an allow list or a block list",
                ),
            }
            // OneDrive, the people picker, Teams federation and meeting policies and the
            // Microsoft 365 groups setting are written by `services` in their own shapes.
            let mut not_exported: Vec<(&str, Span)> = Vec::new();
            if let Some(site) = s.sites.first() {
                not_exported.push(("site", site.span));
            }
            if let Some(t) = &s.teams_guest_access {
                not_exported.push(("teams guest_access", t.span));
            }
            // `calendar` statements are written into the default sharing policy (exchange.rs).
            if let Some(p) = &s.power_bi_guest_access {
                not_exported.push(("power_bi", p.span));
            }
            if let Some(v) = &s.viva_engage_external_networks {
                not_exported.push(("viva_engage", v.span));
            }
            for (what, span) in not_exported {
                self.warning(
                    span,
                    "W3026",
                    format!("sharing `{what}` is not part of Microsoft Graph v1.0: not exported"),
                    "set it with the service's own admin tools (SharePoint, Teams, Exchange PowerShell)",
                );
            }
            let mut sp = Value::Object(sp);
            self.apply_extensions(&mut sp, &s.extensions, "/sharepointSettings");
            if sp.as_object().is_some_and(|m| !m.is_empty()) {
                self.files.push(("sharepointSettings.json".into(), sp));
            }
            let mut authz = Map::new();
            if let Some(from) = s.invitations.as_ref().and_then(|i| i.from.as_ref()) {
                let v = match from.value {
                    InviteFrom::Everyone => "everyone",
                    InviteFrom::MembersAndGuests => "adminsGuestInvitersAndAllMembers",
                    InviteFrom::AdminsAndGuestInviters => "adminsAndGuestInviters",
                    InviteFrom::Nobody => "none",
                };
                authz.insert("allowInvitesFrom".into(), json!(v));
            }
            if let Some(r) = s.invitations.as_ref().and_then(|i| i.guest_role.as_ref()) {
                authz.insert("guestUserRoleId".into(), json!(r.value.role_id()));
            }
            let mut authz = Value::Object(authz);
            self.apply_extensions(&mut authz, &s.extensions, "/authorizationPolicy");
            if authz.as_object().is_some_and(|m| !m.is_empty()) {
                self.files.push(("authorizationPolicy.json".into(), authz));
            }
            for e in &s.extensions {
                let p = &e.pointer.value;
                if !(p.starts_with("/sharepointSettings/")
                    || p.starts_with("/authorizationPolicy/")
                    || super::services::is_service_prefix(p))
                {
                    self.error(
                        e.pointer.span,
                        "E3024",
                        format!("sharing extension `{p}` names no resource"),
                        "sharing extensions start with `/sharepointSettings/`, `/authorizationPolicy/`, `/spoTenant/`, `/teamsFederation/`, `/teamsMeetingPolicies/`, `/groupUnified/` or `/exchange/`",
                    );
                }
            }
            self.services(s);
            if let Some(inv) = &s.invitations {
                self.guests(inv);
            }
        }
    }
}

fn capability(level: SharingLevel) -> &'static str {
    match level {
        SharingLevel::OnlyOrganization => "disabled",
        SharingLevel::ExistingGuests => "existingExternalUserSharingOnly",
        SharingLevel::NewAndExistingGuests => "externalUserSharingOnly",
        SharingLevel::Anyone => "externalUserAndGuestSharing",
    }
}

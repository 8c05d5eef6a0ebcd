//! Named locations (§3), cross-tenant access settings (§4), the multi-tenant organisation (§5)
//! and sharing settings (§7) to their pack blocks.

use serde_json::Value;

use super::directory::IdKind;
use super::{Ctx, Importer, Provenance, Why};
use crate::diagnostic::Diagnostic;
use crate::graph::dto::{self, Maybe};
use crate::graph::names::is_guid;
use crate::model::catalog::FirstPartyApp;
use crate::model::*;
use crate::source::Span;

fn syn<T>(v: T) -> Spanned<T> {
    Spanned::synthetic(v)
}

impl Importer<'_> {
    pub(super) fn read_dto<T: serde::de::DeserializeOwned>(
        &mut self,
        cx: &Ctx<'_>,
        v: &Value,
    ) -> Option<T> {
        match serde_json::from_value(v.clone()) {
            Ok(t) => Some(t),
            Err(e) => {
                let d = Diagnostic::warning("W3003", format!("cannot read this object: {e}"));
                self.push_at(cx, "", d);
                None
            }
        }
    }

    pub(super) fn location(&mut self, cx: &mut Ctx<'_>, v: &Value) {
        let Some(l) = self.read_dto::<dto::NamedLocation>(cx, v) else {
            return;
        };
        let display = match &l.display_name {
            Some(Maybe::Ok(s)) => s.clone(),
            _ => String::new(),
        };
        let id = l.id.as_ref().and_then(Value::as_str);
        if let Some(id) = id {
            if !self.seen_id(cx, id, "named location") {
                return;
            }
        }
        let known = match id {
            Some(i) => self.directory.location(i),
            None => self.directory.unidentified_location(cx.file, &cx.base),
        };
        let name = match known {
            Some(n) => n.to_string(),
            None => self.directory.unique_location_name(&display),
        };
        if name != display {
            let d = Diagnostic::warning(
                "W3006",
                format!("named location `{display}` is named `{name}` in the pack"),
            )
            .help("location names are unique and `all`, `all_trusted`, `mfa_trusted_ips` are reserved; the display name is kept in an extension");
            self.push_at(cx, "/displayName", d);
            cx.extensions.push(Extension {
                pointer: syn("/displayName".to_string()),
                json: syn(Value::String(display.clone()).to_string()),
            });
        }
        let odata = l.odata_type.as_deref().unwrap_or("").to_ascii_lowercase();
        let is_country = odata.contains("country")
            || (!odata.contains("ip") && l.countries_and_regions.is_some());
        let mut trusted = None;
        let kind = if is_country {
            let codes = match &l.countries_and_regions {
                Some(Maybe::Ok(c)) => {
                    let mut codes = Vec::new();
                    for (i, code) in c.iter().enumerate() {
                        let upper = code.to_ascii_uppercase();
                        if crate::model::catalog::is_country(&upper) {
                            codes.push(syn(upper));
                            continue;
                        }
                        // The platform stores ISO 3166 codes only: anything else is a damaged
                        // export, and `accord check` would refuse it (E1024).
                        let d = Diagnostic::error(
                            "E3011",
                            format!("`{code}` is not an ISO 3166 country code"),
                        )
                        .help("`countriesAndRegions` holds two-letter ISO 3166-1 alpha-2 codes, such as `FR`: is the export damaged?");
                        self.push_at(cx, &format!("/countriesAndRegions/{i}"), d);
                    }
                    codes
                }
                Some(Maybe::Other(x)) => {
                    self.extension(cx, "/countriesAndRegions", x, Why::Unexpected);
                    Vec::new()
                }
                None => Vec::new(),
            };
            let include_unknown = matches!(
                l.include_unknown_countries_and_regions,
                Some(Maybe::Ok(true))
            );
            let lookup = match &l.country_lookup_method {
                Some(Maybe::Ok(m)) if m.eq_ignore_ascii_case("authenticatorAppGps") => {
                    CountryLookup::Gps
                }
                Some(Maybe::Ok(m)) if m.eq_ignore_ascii_case("clientIpAddress") => {
                    CountryLookup::ClientIp
                }
                None => CountryLookup::ClientIp,
                Some(Maybe::Ok(m)) => {
                    let m = Value::String(m.clone());
                    self.extension(cx, "/countryLookupMethod", &m, Why::Unexpected);
                    CountryLookup::ClientIp
                }
                Some(Maybe::Other(x)) => {
                    self.extension(cx, "/countryLookupMethod", x, Why::Unexpected);
                    CountryLookup::ClientIp
                }
            };
            // Only IP locations can be trusted (§3).
            if let Some(Maybe::Ok(true)) = l.is_trusted {
                self.extension(cx, "/isTrusted", &Value::Bool(true), Why::Unexpected);
            }
            LocationKind::Countries {
                codes,
                include_unknown,
                lookup,
            }
        } else {
            let mut ranges = Vec::new();
            match &l.ip_ranges {
                Some(Maybe::Ok(list)) => {
                    for (i, r) in list.iter().enumerate() {
                        match &r.cidr_address {
                            Some(c) => ranges.push(syn(c.clone())),
                            None => {
                                let whole = serde_json::to_value(r).unwrap_or(Value::Null);
                                self.extension(
                                    cx,
                                    &format!("/ipRanges/{i}"),
                                    &whole,
                                    Why::Unexpected,
                                );
                            }
                        }
                    }
                }
                Some(Maybe::Other(x)) => self.extension(cx, "/ipRanges", x, Why::Unexpected),
                None => {}
            }
            match &l.is_trusted {
                Some(Maybe::Ok(true)) => trusted = Some(Span::default()),
                Some(Maybe::Other(x)) => self.extension(cx, "/isTrusted", x, Why::Unexpected),
                _ => {}
            }
            if !is_guid(id.unwrap_or("")) && ranges.is_empty() && l.ip_ranges.is_none() {
                let d = Diagnostic::warning(
                    "W3003",
                    "this named location has neither IP ranges nor countries",
                );
                self.push_at(cx, "", d);
            }
            LocationKind::Ip { ranges }
        };
        // A location with no range or country accord can read would match nothing, which is
        // not what the tenant says (and `accord check` refuses an empty list: E1026).
        let empty = match &kind {
            LocationKind::Ip { ranges } => ranges.is_empty(),
            LocationKind::Countries { codes, .. } => codes.is_empty(),
        };
        if empty {
            let d = Diagnostic::error(
                "E3010",
                format!("the named location `{name}` has no IP range or country accord can read"),
            )
            .help("an IP location needs `ipRanges` entries with a `cidrAddress` (`203.0.113.0/24`), a country location `countriesAndRegions` codes: is the export complete?");
            self.push_at(cx, "", d);
        }
        self.extras(cx, "", &l.extra);
        self.pack.locations.push(Location {
            name: syn(name),
            kind,
            trusted,
            extensions: std::mem::take(&mut cx.extensions),
            span: Span::default(),
        });
        self.note_origin(|o| &mut o.locations, self.pack.locations.len() - 1);
        self.location_origins.push(Provenance {
            file: cx.file,
            pointer: cx.base.clone(),
            json: v.clone(),
        });
    }

    /// Global Secure Access's compliant network location is the platform's, the same in every
    /// tenant: policies name it `compliant_network`, and nothing of it is declared. What differs
    /// from the platform's object (another id or network type, not trusted) is reported.
    pub(super) fn compliant_network_location(&mut self, cx: &mut Ctx<'_>, v: &Value) {
        let id = v.get("id").and_then(Value::as_str);
        let kind = v.get("compliantNetworkType").and_then(Value::as_str);
        let trusted = v.get("isTrusted").and_then(Value::as_bool);
        let builtin = id
            .is_none_or(|i| i.eq_ignore_ascii_case(crate::graph::names::COMPLIANT_NETWORK_ID))
            && kind.is_none_or(|k| k.eq_ignore_ascii_case("allTenantCompliantNetworks"))
            && trusted != Some(false);
        if !builtin {
            let d = Diagnostic::warning(
                "W3060",
                "this compliant network location is not the platform's (id `3d46dbda-8382-466a-856d-eb00cbc6b910`, `allTenantCompliantNetworks`, trusted): skipped",
            )
            .help("policies refer to Global Secure Access's compliant network as `compliant_network`; accord knows no other compliant network location");
            self.push_at(cx, "", d);
        }
    }

    pub(super) fn cross_tenant(&mut self, cx: &mut Ctx<'_>, v: &Value, is_default: bool) {
        let Some(c) = self.read_dto::<dto::CrossTenantConfiguration>(cx, v) else {
            return;
        };
        let target = if is_default {
            CrossTenantTarget::Default
        } else {
            match &c.tenant_id {
                Some(Maybe::Ok(id)) if !is_guid(id) => {
                    self.not_a_tenant_id(cx, id);
                    return;
                }
                Some(Maybe::Ok(id)) => CrossTenantTarget::Tenant(self.tenant(id)),
                _ => {
                    let d = Diagnostic::warning(
                        "W3003",
                        "this partner configuration has no `tenantId`: skipped",
                    );
                    self.push_at(cx, "", d);
                    return;
                }
            }
        };
        let mut rules = Vec::new();
        for (key, field, direction, kind) in [
            (
                "b2bCollaborationInbound",
                &c.b2b_collaboration_inbound,
                Direction::Inbound,
                B2bKind::B2bCollaboration,
            ),
            (
                "b2bCollaborationOutbound",
                &c.b2b_collaboration_outbound,
                Direction::Outbound,
                B2bKind::B2bCollaboration,
            ),
            (
                "b2bDirectConnectInbound",
                &c.b2b_direct_connect_inbound,
                Direction::Inbound,
                B2bKind::B2bDirectConnect,
            ),
            (
                "b2bDirectConnectOutbound",
                &c.b2b_direct_connect_outbound,
                Direction::Outbound,
                B2bKind::B2bDirectConnect,
            ),
        ] {
            if let Some(setting) = self.b2b_setting(cx, &format!("/{key}"), field) {
                rules.push(B2bRule {
                    direction: syn(direction),
                    kind: syn(kind),
                    setting,
                    span: Span::default(),
                });
            }
        }
        let trust = match &c.inbound_trust {
            Some(Maybe::Ok(t)) => {
                self.extras(cx, "/inboundTrust", &t.extra);
                // A null member of inboundTrust is not accepted (normalisation 6).
                let yes = |f: &Option<Maybe<bool>>| matches!(f, Some(Maybe::Ok(true)));
                Some(Trust {
                    mfa: yes(&t.is_mfa_accepted),
                    compliant_device: yes(&t.is_compliant_device_accepted),
                    hybrid_joined: yes(&t.is_hybrid_joined_device_accepted),
                    span: Span::default(),
                })
            }
            Some(Maybe::Other(x)) => {
                self.extension(cx, "/inboundTrust", x, Why::Unexpected);
                None
            }
            None => None,
        };
        let auto_consent = match &c.automatic_user_consent_settings {
            Some(Maybe::Ok(a)) => {
                self.extras(cx, "/automaticUserConsentSettings", &a.extra);
                let inbound = matches!(a.inbound_allowed, Some(Maybe::Ok(true)));
                let outbound = matches!(a.outbound_allowed, Some(Maybe::Ok(true)));
                (inbound || outbound).then_some(AutoConsent {
                    inbound,
                    outbound,
                    span: Span::default(),
                })
            }
            Some(Maybe::Other(x)) => {
                self.extension(cx, "/automaticUserConsentSettings", x, Why::Unexpected);
                None
            }
            None => None,
        };
        let service_provider = match &c.is_service_provider {
            Some(Maybe::Ok(true)) => Some(Span::default()),
            Some(Maybe::Other(x)) => {
                self.extension(cx, "/isServiceProvider", x, Why::Unexpected);
                None
            }
            _ => None,
        };
        let user_sync = self.identity_sync(cx, c.identity_synchronization.as_ref(), is_default);
        let tenant_restrictions = self
            .b2b_setting(cx, "/tenantRestrictions", &c.tenant_restrictions)
            .map(|setting| TenantRestrictions {
                setting,
                span: Span::default(),
            });
        if c.is_in_multi_tenant_organization == Some(Value::Bool(true)) {
            let d = Diagnostic::info(
                "I3012",
                "`/isInMultiTenantOrganization` is read-only: the `organization` block says which tenants are in the multi-tenant organisation",
            )
            .help("import the organisation's tenants (`GET /tenantRelationships/multiTenantOrganization/tenants`) to declare it");
            self.push_at(cx, "/isInMultiTenantOrganization", d);
        }
        self.extras(cx, "", &c.extra);
        if matches!(target, CrossTenantTarget::Default) {
            self.default_targets_everyone(cx, &rules);
        }
        let block = CrossTenant {
            target,
            rules,
            trust,
            service_provider,
            auto_consent,
            user_sync_inbound: user_sync
                .filter(|allowed| *allowed)
                .map(|_| Span::default()),
            tenant_restrictions,
            extensions: std::mem::take(&mut cx.extensions),
            span: Span::default(),
        };
        self.add_cross_tenant(cx, block, user_sync);
    }

    /// A partner's `identitySynchronization`: whether its users may be synchronized in
    /// (`Some(false)` when the input says they may not, `None` when it does not say). An
    /// unreadable value is kept as an extension and allows nothing.
    fn identity_sync(
        &mut self,
        cx: &mut Ctx<'_>,
        v: Option<&Maybe<dto::IdentitySync>>,
        is_default: bool,
    ) -> Option<bool> {
        const KEY: &str = "/identitySynchronization";
        match v? {
            // Only a partner configuration has `identitySynchronization`.
            Maybe::Ok(s) if is_default => {
                let raw = serde_json::to_value(s).unwrap_or(Value::Null);
                self.extension(cx, KEY, &raw, Why::Unexpected);
                None
            }
            Maybe::Ok(s) => {
                self.extras(cx, KEY, &s.extra);
                match &s.user_sync_inbound {
                    Some(Maybe::Ok(u)) => {
                        self.extras(cx, &format!("{KEY}/userSyncInbound"), &u.extra);
                        match &u.is_sync_allowed {
                            Some(Maybe::Ok(allowed)) => Some(*allowed),
                            Some(Maybe::Other(x)) => {
                                let at = format!("{KEY}/userSyncInbound/isSyncAllowed");
                                self.extension(cx, &at, x, Why::Unexpected);
                                Some(false)
                            }
                            None => Some(false),
                        }
                    }
                    Some(Maybe::Other(x)) => {
                        self.extension(cx, &format!("{KEY}/userSyncInbound"), x, Why::Unexpected);
                        Some(false)
                    }
                    None => None,
                }
            }
            Maybe::Other(x) => {
                self.extension(cx, KEY, x, Why::Unexpected);
                None
            }
        }
    }

    /// `E3008`: the inbound default settings can only target all users (§4.2); a default that
    /// targets users or groups (a damaged or hand-edited export, found by the fuzz target) would
    /// be written as a block `accord check` refuses (E1031).
    fn default_targets_everyone(&mut self, cx: &Ctx<'_>, rules: &[B2bRule]) {
        for rule in rules
            .iter()
            .filter(|r| r.direction.value == Direction::Inbound)
        {
            let Some(users) = &rule.setting.users else {
                continue;
            };
            if users.targets.iter().any(|t| t.value != XtUserTarget::All) {
                let key = match rule.kind.value {
                    B2bKind::B2bCollaboration => "/b2bCollaborationInbound",
                    B2bKind::B2bDirectConnect => "/b2bDirectConnectInbound",
                };
                let d = Diagnostic::error(
                    "E3008",
                    "the inbound default settings target users or groups: the default can only target all users",
                )
                .help("move the users or groups to the partner's configuration");
                self.push_at(cx, &format!("{key}/usersAndGroups"), d);
            }
        }
    }

    /// The same partner (or the default) may come from several inputs (a list response and a
    /// single GET, a partner and its identity synchronisation): one block holds them all, and
    /// a setting given twice with different values keeps the later one, with a warning.
    fn add_cross_tenant(&mut self, cx: &Ctx<'_>, block: CrossTenant, user_sync: Option<bool>) {
        let same = |x: &CrossTenant| match (&x.target, &block.target) {
            (CrossTenantTarget::Default, CrossTenantTarget::Default) => true,
            (CrossTenantTarget::Tenant(a), CrossTenantTarget::Tenant(b)) => a.value == b.value,
            _ => false,
        };
        let Some(index) = self.pack.cross_tenant.iter().position(same) else {
            self.pack.cross_tenant.push(block);
            self.note_origin(|o| &mut o.cross_tenant, self.pack.cross_tenant.len() - 1);
            return;
        };
        self.note_origin(|o| &mut o.cross_tenant, index);
        let who = match &block.target {
            CrossTenantTarget::Default => "the default".to_string(),
            CrossTenantTarget::Tenant(n) => format!("partner `{}`", n.value),
        };
        let mut conflicts: Vec<String> = Vec::new();
        let existing = &mut self.pack.cross_tenant[index];
        for rule in block.rules {
            match existing.rules.iter_mut().find(|r| {
                r.direction.value == rule.direction.value && r.kind.value == rule.kind.value
            }) {
                Some(old) => {
                    if old.setting != rule.setting {
                        conflicts.push("a B2B setting".into());
                    }
                    *old = rule;
                }
                None => existing.rules.push(rule),
            }
        }
        if let Some(t) = block.trust {
            if existing.trust.as_ref().is_some_and(|old| *old != t) {
                conflicts.push("`trust`".into());
            }
            existing.trust = Some(t);
        }
        if block.service_provider.is_some() {
            existing.service_provider = block.service_provider;
        }
        if let Some(allowed) = user_sync {
            if existing.user_sync_inbound.is_some() && !allowed {
                conflicts.push("`user_sync inbound`".into());
            }
            existing.user_sync_inbound = block.user_sync_inbound;
        }
        if let Some(c) = block.auto_consent {
            if existing.auto_consent.as_ref().is_some_and(|old| *old != c) {
                conflicts.push("`automatic_consent`".into());
            }
            existing.auto_consent = Some(c);
        }
        for e in block.extensions {
            existing
                .extensions
                .retain(|x| x.pointer.value != e.pointer.value);
            existing.extensions.push(e);
        }
        for what in conflicts {
            let d = Diagnostic::warning(
                "W3027",
                format!("{who} sets {what} differently in an earlier input: this one is used"),
            )
            .help("import one export of the cross-tenant settings, or remove the stale file");
            self.push_at(cx, "", d);
        }
    }

    /// One of the four B2B settings; unreadable targets keep the whole setting as an extension.
    fn b2b_setting(
        &mut self,
        cx: &mut Ctx<'_>,
        rel: &str,
        field: &Option<Maybe<dto::B2bSetting>>,
    ) -> Option<B2bSetting> {
        let s = match field {
            Some(Maybe::Ok(s)) => s,
            Some(Maybe::Other(x)) => {
                self.extension(cx, rel, x, Why::Unexpected);
                return None;
            }
            None => return None,
        };
        let users = self.target_list(cx, &s.users_and_groups, |im, cx, t| {
            match (t.target.as_deref(), t.target_type.as_deref()) {
                (Some("AllUsers"), _) => Some(XtUserTarget::All),
                (Some(id), Some(ty)) if ty.eq_ignore_ascii_case("group") => {
                    Some(XtUserTarget::Group(im.resolve(cx, "", IdKind::Group, id)))
                }
                (Some(id), Some(ty)) if ty.eq_ignore_ascii_case("user") => {
                    Some(XtUserTarget::User(im.resolve(cx, "", IdKind::User, id)))
                }
                _ => None,
            }
        });
        let apps = self.target_list(cx, &s.applications, |_, _, t| match t.target.as_deref() {
            Some("AllApplications") => Some(AppTarget::All),
            Some("Office365") => Some(AppTarget::Office365),
            Some(id) if is_guid(id) => Some(match FirstPartyApp::from_id(id) {
                Some(app) => AppTarget::Named(app),
                None => AppTarget::App(id.to_string()),
            }),
            _ => None,
        });
        let (Ok(users), Ok(apps)) = (users, apps) else {
            let whole = serde_json::to_value(s).unwrap_or(Value::Null);
            self.extension(cx, rel, &whole, Why::Unexpected);
            return None;
        };
        self.extras(cx, rel, &s.extra);
        let everything = |access: Access,
                          u: &Option<TargetList<XtUserTarget>>,
                          a: &Option<TargetList<AppTarget>>| {
            matches!(u, Some(l) if l.access.value == access && matches!(l.targets.as_slice(), [t] if t.value == XtUserTarget::All))
                && matches!(a, Some(l) if l.access.value == access && matches!(l.targets.as_slice(), [t] if t.value == AppTarget::All))
        };
        let short = [Access::Allow, Access::Block]
            .into_iter()
            .find(|a| everything(*a, &users, &apps));
        if let Some(access) = short {
            return Some(B2bSetting {
                users: None,
                apps: None,
                short: Some(syn(access)),
                span: Span::default(),
            });
        }
        if users.is_none() && apps.is_none() {
            return None;
        }
        Some(B2bSetting {
            users,
            apps,
            short: None,
            span: Span::default(),
        })
    }

    /// `{accessType, targets}`: `Ok(None)` when absent, `Err` when unreadable.
    #[allow(clippy::type_complexity)]
    fn target_list<T>(
        &mut self,
        cx: &mut Ctx<'_>,
        field: &Option<Maybe<dto::TargetConfiguration>>,
        mut target: impl FnMut(&mut Self, &Ctx<'_>, &dto::Target) -> Option<T>,
    ) -> Result<Option<TargetList<T>>, ()> {
        let t = match field {
            Some(Maybe::Ok(t)) => t,
            Some(Maybe::Other(_)) => return Err(()),
            None => return Ok(None),
        };
        let access = match &t.access_type {
            Some(Maybe::Ok(a)) if a.eq_ignore_ascii_case("allowed") => Access::Allow,
            Some(Maybe::Ok(a)) if a.eq_ignore_ascii_case("blocked") => Access::Block,
            _ => return Err(()),
        };
        let mut targets = Vec::new();
        match &t.targets {
            Some(Maybe::Ok(list)) => {
                for item in list {
                    if !item.extra.iter().all(|(k, v)| super::is_noise(k, v)) {
                        return Err(());
                    }
                    targets.push(syn(target(self, cx, item).ok_or(())?));
                }
            }
            Some(Maybe::Other(_)) => return Err(()),
            None => {}
        }
        if !t.extra.iter().all(|(k, v)| super::is_noise(k, v)) {
            return Err(());
        }
        Ok(Some(TargetList {
            access: syn(access),
            targets,
        }))
    }

    /// The one sharing block of the pack (created on first use).
    pub(super) fn sharing_mut(&mut self) -> &mut Sharing {
        if self.pack.sharing.is_empty() {
            self.pack.sharing.push(Sharing::default());
        }
        let last = self.pack.sharing.len() - 1;
        self.note_origin(|o| &mut o.sharing, last);
        &mut self.pack.sharing[last]
    }

    pub(super) fn sharepoint(&mut self, cx: &mut Ctx<'_>, v: &Value) {
        let Some(s) = self.read_dto::<dto::SharepointSettings>(cx, v) else {
            return;
        };
        if cx.prefix.is_empty() {
            cx.prefix = "/sharepointSettings".into();
        }
        let mut sharepoint = None;
        let mut onedrive = None;
        for (key, field, slot) in [
            ("/sharingCapability", &s.sharing_capability, &mut sharepoint),
            (
                "/oneDriveSharingCapability",
                &s.one_drive_sharing_capability,
                &mut onedrive,
            ),
        ] {
            match field {
                None | Some(Value::Null) => {}
                Some(x) => match sharing_level(x) {
                    Some(level) => *slot = Some(syn(level)),
                    None => self.extension(cx, key, x, Why::Unexpected),
                },
            }
        }
        let allowed = s.sharing_allowed_domain_list.as_ref().and_then(domain_list);
        let blocked = s.sharing_blocked_domain_list.as_ref().and_then(domain_list);
        let mode = s
            .sharing_domain_restriction_mode
            .as_ref()
            .and_then(restriction_mode);
        let mut domains = Vec::new();
        for (key, list, raw, access) in [
            (
                "/sharingAllowedDomainList",
                allowed,
                &s.sharing_allowed_domain_list,
                Access::Allow,
            ),
            (
                "/sharingBlockedDomainList",
                blocked,
                &s.sharing_blocked_domain_list,
                Access::Block,
            ),
        ] {
            let (Some(list), Some(raw)) = (list, raw) else {
                continue;
            };
            if mode == Some(Some(access)) {
                domains.push(DomainList {
                    access: syn(access),
                    domains: list.into_iter().map(syn).collect(),
                    span: Span::default(),
                });
            } else if !list.is_empty() {
                // A list the restriction mode does not use has no effect, but is kept.
                // Kept as written (an array in Graph, one string in PowerShell).
                self.extension(cx, key, raw, Why::Unmodelled);
            }
        }
        match (&s.sharing_domain_restriction_mode, mode) {
            (Some(x), None) if !x.is_null() => {
                self.extension(cx, "/sharingDomainRestrictionMode", x, Why::Unexpected)
            }
            _ => {}
        }
        let mut extra = s.extra.clone();
        for key in READ_ONLY {
            extra.remove(*key);
        }
        let details = self.sharepoint_details(cx, &mut extra);
        self.extras(cx, "", &extra);
        let mut extensions = std::mem::take(&mut cx.extensions);
        let sh = self.sharing_mut();
        details.apply(sh);
        if sharepoint.is_some() {
            sh.sharepoint = sharepoint;
        }
        if onedrive.is_some() {
            sh.onedrive = onedrive;
        }
        // SharePoint has one restriction list: a second source of it (Graph's settings and
        // `Get-SPOTenant` output) says the same thing again, or replaces it.
        if !domains.is_empty() {
            sh.domains = domains;
        }
        sh.extensions.append(&mut extensions);
    }

    pub(super) fn authorization(&mut self, cx: &mut Ctx<'_>, v: &Value) {
        let Some(a) = self.read_dto::<dto::AuthorizationPolicy>(cx, v) else {
            return;
        };
        cx.prefix = "/authorizationPolicy".into();
        let options = [
            ("everyone", InviteFrom::Everyone),
            (
                "adminsGuestInvitersAndAllMembers",
                InviteFrom::MembersAndGuests,
            ),
            ("adminsAndGuestInviters", InviteFrom::AdminsAndGuestInviters),
            ("none", InviteFrom::Nobody),
        ];
        let from = match &a.allow_invites_from {
            Some(Maybe::Ok(f)) => match options.iter().find(|(n, _)| n.eq_ignore_ascii_case(f)) {
                Some((_, v)) => Some(syn(*v)),
                None => {
                    let x = Value::String(f.clone());
                    self.extension(cx, "/allowInvitesFrom", &x, Why::Unexpected);
                    None
                }
            },
            Some(Maybe::Other(x)) => {
                self.extension(cx, "/allowInvitesFrom", x, Why::Unexpected);
                None
            }
            None => None,
        };
        let mut extra = a.extra.clone();
        for key in READ_ONLY {
            extra.remove(*key);
        }
        self.guest_role(cx, &mut extra);
        self.extras(cx, "", &extra);
        let mut extensions = std::mem::take(&mut cx.extensions);
        let sh = self.sharing_mut();
        if let Some(from) = from {
            match &mut sh.invitations {
                Some(inv) => inv.from = Some(from),
                None => {
                    sh.invitations = Some(Invitations {
                        from: Some(from),
                        ..Invitations::new(Span::default())
                    })
                }
            }
        }
        sh.extensions.append(&mut extensions);
    }
}

/// Read-only members of settings resources (normalisation 3).
pub(super) const READ_ONLY: &[&str] = &[
    "id",
    "createdDateTime",
    "modifiedDateTime",
    "deletedDateTime",
];

/// A SharePoint sharing capability: Graph camelCase, PowerShell PascalCase, or the CSOM integer
/// (`Disabled`=0, `ExternalUserSharingOnly`=1, `ExternalUserAndGuestSharing`=2,
/// `ExistingExternalUserSharingOnly`=3, §7.1).
fn sharing_level(v: &Value) -> Option<SharingLevel> {
    match v {
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "disabled" => Some(SharingLevel::OnlyOrganization),
            "existingexternalusersharingonly" => Some(SharingLevel::ExistingGuests),
            "externalusersharingonly" => Some(SharingLevel::NewAndExistingGuests),
            "externaluserandguestsharing" => Some(SharingLevel::Anyone),
            _ => None,
        },
        Value::Number(n) => match n.as_u64() {
            Some(0) => Some(SharingLevel::OnlyOrganization),
            Some(1) => Some(SharingLevel::NewAndExistingGuests),
            Some(2) => Some(SharingLevel::Anyone),
            Some(3) => Some(SharingLevel::ExistingGuests),
            _ => None,
        },
        _ => None,
    }
}

/// `none`/`allowList`/`blockList` (or CSOM 0/1/2): `Some(None)` for none.
fn restriction_mode(v: &Value) -> Option<Option<Access>> {
    match v {
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "none" => Some(None),
            "allowlist" => Some(Some(Access::Allow)),
            "blocklist" => Some(Some(Access::Block)),
            _ => None,
        },
        Value::Number(n) => match n.as_u64() {
            Some(0) => Some(None),
            Some(1) => Some(Some(Access::Allow)),
            Some(2) => Some(Some(Access::Block)),
            _ => None,
        },
        _ => None,
    }
}

/// A domain list: a JSON array (Graph) or a space-separated string (PowerShell).
fn domain_list(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Array(items) => items
            .iter()
            .map(|d| d.as_str().map(str::to_string))
            .collect(),
        Value::String(s) => Some(s.split_whitespace().map(str::to_string).collect()),
        _ => None,
    }
}

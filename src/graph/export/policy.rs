//! A `policy` block to a `conditionalAccessPolicy` request body (§1 of the reference).

use serde_json::Value;

use super::{Exporter, Kind};
use crate::graph::dto::{self, Flags, Maybe};
use crate::graph::names::ZERO_GUID;
use crate::model::catalog::role_by_name;
use crate::model::*;
use crate::source::Span;

fn ok<T>(v: T) -> Option<Maybe<T>> {
    Some(Maybe::Ok(v))
}

fn list(v: Vec<String>) -> Option<dto::Strings> {
    (!v.is_empty()).then_some(Maybe::Ok(v))
}

const ALL_EXTERNAL_TYPES: &str = "internalGuest,b2bCollaborationGuest,b2bCollaborationMember,b2bDirectConnectUser,otherExternalUser,serviceProvider";

fn external_type(t: ExternalType) -> &'static str {
    match t {
        ExternalType::InternalGuest => "internalGuest",
        ExternalType::B2bGuest => "b2bCollaborationGuest",
        ExternalType::B2bMember => "b2bCollaborationMember",
        ExternalType::DirectConnect => "b2bDirectConnectUser",
        ExternalType::OtherExternal => "otherExternalUser",
        ExternalType::ServiceProvider => "serviceProvider",
    }
}

/// Which home tenants, resolved to ids.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tenants {
    All,
    Enumerated(Vec<String>),
}

/// A `conditionalAccessGuestsOrExternalUsers` to write.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Guests {
    /// Sorted; empty = every type.
    types: Vec<ExternalType>,
    tenants: Tenants,
}

impl Guests {
    fn to_dto(&self) -> dto::GuestsOrExternalUsers {
        let types = if self.types.is_empty() {
            ALL_EXTERNAL_TYPES.to_string()
        } else {
            let names: Vec<&str> = self.types.iter().map(|t| external_type(*t)).collect();
            names.join(",")
        };
        let tenants = match &self.tenants {
            Tenants::All => dto::ExternalTenants {
                odata_type: Some("#microsoft.graph.conditionalAccessAllExternalTenants".into()),
                membership_kind: ok("all".into()),
                ..Default::default()
            },
            Tenants::Enumerated(ids) => dto::ExternalTenants {
                odata_type: Some(
                    "#microsoft.graph.conditionalAccessEnumeratedExternalTenants".into(),
                ),
                membership_kind: ok("enumerated".into()),
                members: ok(ids.clone()),
                ..Default::default()
            },
        };
        dto::GuestsOrExternalUsers {
            guest_or_external_user_types: ok(Flags::Text(types)),
            external_tenants: ok(tenants),
            ..Default::default()
        }
    }
}

impl Exporter<'_> {
    pub(super) fn policy(&mut self, p: &Policy) -> Option<Value> {
        let errors_before = self.diagnostics.iter().filter(|d| d.is_error()).count();
        let users = self.users(p);
        let applications = self.applications(p);
        let mut conditions = self.conditions(&p.conditions, users, applications);
        super::workloads::workloads(&p.conditions, &mut conditions);
        let dto = dto::Policy {
            display_name: ok(p.name.value.clone()),
            state: ok(match p.state.value {
                PolicyState::On => "enabled",
                PolicyState::Off => "disabled",
                PolicyState::ReportOnly => "enabledForReportingButNotEnforced",
            }
            .to_string()),
            conditions: ok(conditions),
            grant_controls: p.grant.as_ref().and_then(|g| self.grant(g)).map(Maybe::Ok),
            session_controls: p.session.as_ref().map(|s| Maybe::Ok(session(s))),
            ..Default::default()
        };
        let mut doc = serde_json::to_value(dto).unwrap_or(Value::Null);
        self.apply_extensions(&mut doc, &p.extensions, "");
        let errors_after = self.diagnostics.iter().filter(|d| d.is_error()).count();
        (errors_after == errors_before).then_some(doc)
    }

    fn users(&mut self, p: &Policy) -> dto::Users {
        let mut u = dto::Users::default();
        let mut sides: [(Vec<String>, Vec<String>, Vec<String>); 2] = Default::default();
        let mut guests: [Vec<(Guests, Span)>; 2] = [Vec::new(), Vec::new()];
        for (side, targets) in [&p.users.include, &p.users.exclude].into_iter().enumerate() {
            for t in targets {
                let (users, groups, roles) = &mut sides[side];
                match &t.value {
                    UserTarget::All => users.push("All".into()),
                    UserTarget::None => users.push("None".into()),
                    UserTarget::GuestsOrExternal => users.push("GuestsOrExternalUsers".into()),
                    UserTarget::User(name) => users.push(self.id_of(t.span, Kind::User, name)),
                    UserTarget::Group(name) => groups.push(self.id_of(t.span, Kind::Group, name)),
                    UserTarget::Role(r) => match role_by_name(r) {
                        Some(role) => roles.push(role.id.to_string()),
                        None if crate::graph::names::is_guid(r) => roles.push(r.to_ascii_lowercase()),
                        None => self.error(
                            t.span,
                            "E3021",
                            format!("role `{r}` is not a built-in directory role"),
                            "use a role name of the catalog (such as `global_administrator`) or a role template id",
                        ),
                    },
                    UserTarget::External { types, origin } => {
                        let mut types: Vec<ExternalType> = types.iter().map(|t| t.value).collect();
                        types.sort();
                        types.dedup();
                        self.external(side, types, origin, &mut guests);
                    }
                }
            }
        }
        let [(iu, ig, ir), (eu, eg, er)] = sides;
        u.include_users = list(iu);
        u.include_groups = list(ig);
        u.include_roles = list(ir);
        u.exclude_users = list(eu);
        u.exclude_groups = list(eg);
        u.exclude_roles = list(er);
        for (side, found) in guests.into_iter().enumerate() {
            let Some(merged) = self.merge_guests(side, found) else {
                continue;
            };
            if side == 0 {
                u.include_guests_or_external_users = ok(merged.to_dto());
            } else {
                u.exclude_guests_or_external_users = ok(merged.to_dto());
            }
        }
        u
    }

    /// One `external(...)` target: to the guests of its side (and, for `outside_organization`,
    /// an exclusion).
    fn external(
        &mut self,
        side: usize,
        types: Vec<ExternalType>,
        origin: &Spanned<Origin>,
        guests: &mut [Vec<(Guests, Span)>; 2],
    ) {
        let span = origin.span;
        let tenants = match &origin.value {
            Origin::Any => Tenants::All,
            Origin::Tenants(names) => {
                let mut ids = Vec::new();
                for n in names {
                    if let Some(id) = self.tenant_id(n.span, &n.value) {
                        ids.push(id);
                    }
                }
                Tenants::Enumerated(ids)
            }
            Origin::Organization | Origin::OutsideOrganization => {
                let Some(ids) = self.organization_tenants(span) else {
                    return;
                };
                let outside = origin.value == Origin::OutsideOrganization;
                match (outside, side) {
                    (false, _) if ids.is_empty() => {
                        self.error(
                            span,
                            "E3022",
                            "`from organization` cannot be exported: the organisation has no active tenant besides the resource tenant".into(),
                            "Graph enumerates home tenants and cannot enumerate none; remove the target or add the member tenants",
                        );
                        return;
                    }
                    (false, _) => Tenants::Enumerated(ids),
                    (true, 0) => {
                        if !ids.is_empty() {
                            let exclusion = Guests {
                                types: types.clone(),
                                tenants: Tenants::Enumerated(ids),
                            };
                            guests[1].push((exclusion, span));
                        }
                        Tenants::All
                    }
                    (true, _) => {
                        self.error(
                            span,
                            "E3022",
                            "`exclude external(...) from outside_organization` cannot be exported".into(),
                            "Graph has one exclusion of external users per policy and cannot say \"every tenant except these\"; include `external(...) from organization` instead",
                        );
                        return;
                    }
                }
            }
        };
        guests[side].push((Guests { types, tenants }, span));
    }

    /// Tenant ids of the active members of the organisation, without the resource tenant.
    fn organization_tenants(&mut self, span: Span) -> Option<Vec<String>> {
        let pack = self.pack;
        let Some(org) = pack.organizations.first() else {
            self.error(
                span,
                "E3021",
                "the pack declares no organization".into(),
                "`from organization` and `from outside_organization` need an `organization` block",
            );
            return None;
        };
        let resource = pack.resource_tenant().map(|t| t.name.value.clone());
        let mut ids = Vec::new();
        for m in &org.members {
            if m.state.value != MemberState::Active || Some(&m.tenant.value) == resource.as_ref() {
                continue;
            }
            ids.push(self.tenant_id(m.tenant.span, &m.tenant.value)?);
        }
        Some(ids)
    }

    /// Graph has one guests object per side: targets merge when their tenants are the same.
    fn merge_guests(&mut self, side: usize, found: Vec<(Guests, Span)>) -> Option<Guests> {
        let mut iter = found.into_iter();
        let (mut merged, _) = iter.next()?;
        for (g, span) in iter {
            let same_tenants = match (&merged.tenants, &g.tenants) {
                (Tenants::All, Tenants::All) => true,
                (Tenants::Enumerated(a), Tenants::Enumerated(b)) => {
                    let mut a = a.clone();
                    let mut b = b.clone();
                    a.sort();
                    b.sort();
                    a == b
                }
                _ => false,
            };
            if !same_tenants {
                let which = if side == 0 { "include" } else { "exclude" };
                self.error(
                    span,
                    "E3022",
                    format!("the {which} list has external users from different home tenants: Graph cannot express it"),
                    "a policy holds one `includeGuestsOrExternalUsers` and one `excludeGuestsOrExternalUsers`, each with one tenant set; split the policy",
                );
                return None;
            }
            if merged.types.is_empty() || g.types.is_empty() {
                merged.types.clear();
            } else {
                merged.types.extend(g.types);
                merged.types.sort();
                merged.types.dedup();
                if merged.types.len() == ExternalType::ALL.len() {
                    merged.types.clear();
                }
            }
        }
        Some(merged)
    }

    fn applications(&mut self, p: &Policy) -> dto::Applications {
        let mut a = dto::Applications::default();
        let mut sides: [Vec<String>; 2] = Default::default();
        let mut actions = Vec::new();
        let mut contexts = Vec::new();
        for (side, targets) in [&p.apps.include, &p.apps.exclude].into_iter().enumerate() {
            for t in targets {
                match &t.value {
                    AppTarget::All => sides[side].push("All".into()),
                    AppTarget::None => sides[side].push("None".into()),
                    AppTarget::Office365 => sides[side].push("Office365".into()),
                    AppTarget::AdminPortals => sides[side].push("MicrosoftAdminPortals".into()),
                    AppTarget::Named(app) => sides[side].push(app.app_id().into()),
                    AppTarget::App(id) => sides[side].push(id.clone()),
                    AppTarget::Action(action) if side == 0 => actions.push(
                        match action {
                            UserAction::RegisterSecurityInfo => "urn:user:registersecurityinfo",
                            UserAction::RegisterDevice => "urn:user:registerdevice",
                        }
                        .to_string(),
                    ),
                    AppTarget::AuthContext(c) if side == 0 => contexts.push(c.clone()),
                    other => self.error(
                        t.span,
                        "E3022",
                        format!(
                            "`exclude {}` cannot be exported",
                            if matches!(other, AppTarget::Action(_)) {
                                "action"
                            } else {
                                "auth_context"
                            }
                        ),
                        "Graph only includes user actions and authentication contexts",
                    ),
                }
            }
        }
        let [include, exclude] = sides;
        a.include_applications = list(include);
        a.exclude_applications = list(exclude);
        a.include_user_actions = list(actions);
        a.include_authentication_context_class_references = list(contexts);
        a
    }

    fn conditions(
        &mut self,
        c: &Conditions,
        users: dto::Users,
        applications: dto::Applications,
    ) -> dto::Conditions {
        let mut out = dto::Conditions {
            users: ok(users),
            applications: ok(applications),
            ..Default::default()
        };
        // Graph requires clientAppTypes; an unset condition is every client app.
        out.client_app_types = ok(match &c.client_apps {
            Some(apps) if !apps.is_empty() => apps
                .iter()
                .map(|a| {
                    match a.value {
                        ClientApp::Browser => "browser",
                        ClientApp::MobileDesktop => "mobileAppsAndDesktopClients",
                        ClientApp::ExchangeActiveSync => "exchangeActiveSync",
                        ClientApp::Other => "other",
                    }
                    .to_string()
                })
                .collect(),
            _ => vec!["all".to_string()],
        });
        if let Some(p) = &c.platforms {
            let name = |p: &Spanned<Platform>| {
                match p.value {
                    Platform::All => "all",
                    Platform::Android => "android",
                    Platform::Ios => "iOS",
                    Platform::Windows => "windows",
                    Platform::Macos => "macOS",
                    Platform::Linux => "linux",
                    Platform::WindowsPhone => "windowsPhone",
                }
                .to_string()
            };
            out.platforms = ok(dto::Platforms {
                include_platforms: list(p.include.iter().map(name).collect()),
                exclude_platforms: list(p.exclude.iter().map(name).collect()),
                ..Default::default()
            });
        }
        if let Some(l) = &c.locations {
            let mut sides: [Vec<String>; 2] = Default::default();
            for (side, refs) in [&l.include, &l.exclude].into_iter().enumerate() {
                for r in refs {
                    let id = match &r.value {
                        LocationRef::All => "All".to_string(),
                        LocationRef::AllTrusted => "AllTrusted".to_string(),
                        LocationRef::MfaTrustedIps => ZERO_GUID.to_string(),
                        LocationRef::CompliantNetwork => {
                            crate::graph::names::COMPLIANT_NETWORK_ID.to_string()
                        }
                        LocationRef::Named(n) => self.id_of(r.span, Kind::Location, n),
                    };
                    sides[side].push(id);
                }
            }
            let [include, exclude] = sides;
            out.locations = ok(dto::Locations {
                include_locations: list(include),
                exclude_locations: list(exclude),
                ..Default::default()
            });
        }
        let risks = |r: &Option<ListCondition<RiskLevel>>| {
            r.as_ref()
                .and_then(|r| list(r.iter().map(|x| x.name().to_string()).collect()))
        };
        out.sign_in_risk_levels = risks(&c.sign_in_risk);
        out.user_risk_levels = risks(&c.user_risk);
        if let Some(r) = c.insider_risk.as_ref().filter(|r| !r.is_empty()) {
            let members: Vec<&str> = r.iter().map(|x| x.name()).collect();
            out.insider_risk_levels = ok(Flags::Text(members.join(",")));
        }
        if let Some(d) = &c.devices {
            out.devices = ok(dto::Devices {
                device_filter: ok(dto::Filter {
                    mode: ok(match d.mode.value {
                        FilterMode::Include => "include",
                        FilterMode::Exclude => "exclude",
                    }
                    .to_string()),
                    rule: ok(d.rule.value.clone()),
                    ..Default::default()
                }),
                ..Default::default()
            });
        }
        if let Some(f) = c.auth_flows.as_ref().filter(|f| !f.is_empty()) {
            let members: Vec<&str> = f
                .iter()
                .map(|x| match x.value {
                    AuthFlow::DeviceCode => "deviceCodeFlow",
                    AuthFlow::AuthTransfer => "authenticationTransfer",
                })
                .collect();
            out.authentication_flows = ok(dto::AuthenticationFlows {
                transfer_methods: ok(Flags::Text(members.join(","))),
                ..Default::default()
            });
        }
        out
    }

    fn grant(&mut self, g: &Grant) -> Option<dto::GrantControls> {
        if g.controls.is_empty() {
            return None;
        }
        let mut built_in = Vec::new();
        let mut strength: Option<String> = None;
        let mut terms = Vec::new();
        let mut custom = Vec::new();
        for c in &g.controls {
            match &c.value {
                Control::Block => built_in.push("block"),
                Control::Mfa => built_in.push("mfa"),
                Control::CompliantDevice => built_in.push("compliantDevice"),
                Control::HybridJoined => built_in.push("domainJoinedDevice"),
                Control::ApprovedApp => built_in.push("approvedApplication"),
                Control::AppProtection => built_in.push("compliantApplication"),
                Control::PasswordChange => built_in.push("passwordChange"),
                Control::TermsOfUse(t) => terms.push(self.id_of(c.span, Kind::TermsOfUse, t)),
                Control::Custom(id) => custom.push(id.clone()),
                Control::AuthStrength(s) => {
                    let id = self.strength_id(c.span, s);
                    if strength.is_some() {
                        self.error(
                            c.span,
                            "E3022",
                            "a policy with two authentication strengths cannot be exported".into(),
                            "Graph holds one `authenticationStrength` per policy",
                        );
                    }
                    strength = Some(id);
                }
            }
        }
        Some(dto::GrantControls {
            operator: ok(match g.op.value {
                GrantOp::All => "AND",
                GrantOp::Single | GrantOp::Any => "OR",
            }
            .to_string()),
            built_in_controls: list(built_in.into_iter().map(str::to_string).collect()),
            authentication_strength: strength.map(|id| {
                Maybe::Ok(dto::AuthenticationStrength {
                    id: ok(id),
                    ..Default::default()
                })
            }),
            terms_of_use: list(terms),
            custom_authentication_factors: list(custom),
            ..Default::default()
        })
    }
}

fn session(s: &Session) -> dto::SessionControls {
    let on = || dto::SessionControl {
        is_enabled: ok(true),
        ..Default::default()
    };
    let mut out = dto::SessionControls::default();
    if s.app_enforced_restrictions.is_some() {
        out.application_enforced_restrictions = ok(on());
    }
    if let Some(c) = &s.cloud_app_security {
        out.cloud_app_security = ok(dto::SessionControl {
            cloud_app_security_type: ok(match c.value {
                CloudAppSecurity::MonitorOnly => "monitorOnly",
                CloudAppSecurity::BlockDownloads => "blockDownloads",
                CloudAppSecurity::McasConfigured => "mcasConfigured",
            }
            .to_string()),
            ..on()
        });
    }
    if let Some(f) = &s.sign_in_frequency {
        let base = dto::SessionControl {
            authentication_type: ok(if s.sign_in_frequency_secondary.is_some() {
                "secondaryAuthentication"
            } else {
                "primaryAndSecondaryAuthentication"
            }
            .into()),
            ..on()
        };
        out.sign_in_frequency = ok(match f.value {
            SignInFrequency::EveryTime => dto::SessionControl {
                frequency_interval: ok("everyTime".into()),
                ..base
            },
            SignInFrequency::Every { value, unit } => dto::SessionControl {
                frequency_interval: ok("timeBased".into()),
                frequency_type: ok(match unit {
                    FrequencyUnit::Hours => "hours",
                    FrequencyUnit::Days => "days",
                }
                .to_string()),
                value: ok(value),
                ..base
            },
        });
    }
    if let Some(b) = &s.persistent_browser {
        out.persistent_browser = ok(dto::SessionControl {
            mode: ok(match b.value {
                PersistentBrowser::Always => "always",
                PersistentBrowser::Never => "never",
            }
            .to_string()),
            ..on()
        });
    }
    if let Some(c) = &s.continuous_access_evaluation {
        out.continuous_access_evaluation = ok(dto::SessionControl {
            mode: ok(match c.value {
                ContinuousAccessEvaluation::Strict => "strictEnforcement",
                ContinuousAccessEvaluation::StrictLocation => "strictLocation",
                ContinuousAccessEvaluation::Disabled => "disabled",
            }
            .to_string()),
            ..Default::default()
        });
    }
    if s.disable_resilience_defaults.is_some() {
        out.disable_resilience_defaults = ok(true);
    }
    if s.token_protection.is_some() {
        out.secure_sign_in_session = ok(on());
    }
    if let Some(p) = &s.security_profile {
        out.global_secure_access_filtering_profile = ok(dto::SessionControl {
            profile_id: ok(p.value.clone()),
            ..on()
        });
    }
    out
}

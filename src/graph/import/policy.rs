//! `conditionalAccessPolicy` (§1 of the reference) to a `policy` block.
//!
//! A list holding a value the language cannot say (a role given by display name, an unknown
//! client app type...) is kept whole as an extension, so that export writes it back exactly.

use serde_json::Value;

use super::directory::IdKind;
use super::{Ctx, Importer, Provenance, Why};
use crate::graph::dto::{self, Flags, Maybe, Strings};
use crate::graph::names::{is_guid, is_placeholder, COMPLIANT_NETWORK_ID, ZERO_GUID};
use crate::model::catalog::{role_by_display, role_by_id, BuiltInStrength, FirstPartyApp};
use crate::model::*;
use crate::source::Span;
use crate::syntax::device_filter::parse_device_filter;

type S<T> = Spanned<T>;

fn syn<T>(v: T) -> S<T> {
    Spanned::synthetic(v)
}

/// The members of a flags value, without `none`.
pub(super) fn flag_members(flags: &Flags) -> Vec<String> {
    let parts: Vec<String> = match flags {
        Flags::Text(s) => s.split(',').map(|m| m.trim().to_string()).collect(),
        Flags::List(l) => l
            .iter()
            .flat_map(|s| s.split(','))
            .map(|m| m.trim().to_string())
            .collect(),
    };
    parts
        .into_iter()
        .filter(|m| !m.is_empty() && !m.eq_ignore_ascii_case("none"))
        .collect()
}

/// A value of a list of ids that reads as a keyword (one word of letters and digits, no id, no
/// placeholder): `All`, `None`, or one the platform added after accord.
fn looks_like_keyword(s: &str) -> bool {
    !s.is_empty()
        && !is_guid(s)
        && !is_placeholder(s)
        && s.chars().all(|c| c.is_ascii_alphanumeric())
        && s.chars().any(|c| c.is_ascii_uppercase())
        && s.chars().any(|c| c.is_ascii_lowercase())
}

fn pick<T: Copy>(options: &[(&str, T)], value: &str) -> Option<T> {
    options
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(value))
        .map(|(_, v)| *v)
}

const CLIENT_APPS: &[(&str, ClientApp)] = &[
    ("browser", ClientApp::Browser),
    ("mobileAppsAndDesktopClients", ClientApp::MobileDesktop),
    ("exchangeActiveSync", ClientApp::ExchangeActiveSync),
    ("other", ClientApp::Other),
];

const PLATFORMS: &[(&str, Platform)] = &[
    ("all", Platform::All),
    ("android", Platform::Android),
    ("iOS", Platform::Ios),
    ("windows", Platform::Windows),
    ("macOS", Platform::Macos),
    ("linux", Platform::Linux),
    ("windowsPhone", Platform::WindowsPhone),
];

pub(super) const RISKS: &[(&str, RiskLevel)] = &[
    ("none", RiskLevel::None),
    ("low", RiskLevel::Low),
    ("medium", RiskLevel::Medium),
    ("high", RiskLevel::High),
];

const INSIDER_RISKS: &[(&str, InsiderRisk)] = &[
    ("minor", InsiderRisk::Minor),
    ("moderate", InsiderRisk::Moderate),
    ("elevated", InsiderRisk::Elevated),
];

const FLOWS: &[(&str, AuthFlow)] = &[
    ("deviceCodeFlow", AuthFlow::DeviceCode),
    ("authenticationTransfer", AuthFlow::AuthTransfer),
];

const EXTERNAL_TYPES: &[(&str, ExternalType)] = &[
    ("internalGuest", ExternalType::InternalGuest),
    ("b2bCollaborationGuest", ExternalType::B2bGuest),
    ("b2bCollaborationMember", ExternalType::B2bMember),
    ("b2bDirectConnectUser", ExternalType::DirectConnect),
    ("otherExternalUser", ExternalType::OtherExternal),
    ("serviceProvider", ExternalType::ServiceProvider),
];

const BUILT_IN_CONTROLS: &[(&str, u8)] = &[
    ("block", 0),
    ("mfa", 1),
    ("compliantDevice", 2),
    ("domainJoinedDevice", 3),
    ("approvedApplication", 4),
    ("compliantApplication", 5),
    ("passwordChange", 6),
];

impl Importer<'_> {
    pub(super) fn policy(&mut self, cx: &mut Ctx<'_>, v: &Value) {
        let p: dto::Policy = match serde_json::from_value(v.clone()) {
            Ok(p) => p,
            Err(e) => {
                let d = crate::diagnostic::Diagnostic::warning(
                    "W3003",
                    format!("cannot read this conditional access policy: {e}"),
                );
                self.push_at(cx, "", d);
                return;
            }
        };
        if let Some(Value::String(id)) = &p.id {
            if !self.seen_id(cx, id, "policy") {
                return;
            }
        }
        let display = match &p.display_name {
            Some(Maybe::Ok(s)) => s.clone(),
            Some(Maybe::Other(x)) => {
                self.extension(cx, "/displayName", x, Why::Unexpected);
                String::new()
            }
            None => String::new(),
        };
        let state = self.state(cx, p.state.as_ref());
        let conditions = match &p.conditions {
            Some(Maybe::Ok(c)) => Some(c),
            Some(Maybe::Other(x)) => {
                self.extension(cx, "/conditions", x, Why::Unexpected);
                None
            }
            None => None,
        };
        let default_users = dto::Users::default();
        let default_apps = dto::Applications::default();
        let users_dto = match conditions.and_then(|c| c.users.as_ref()) {
            Some(Maybe::Ok(u)) => u,
            Some(Maybe::Other(x)) => {
                self.extension(cx, "/conditions/users", x, Why::Unexpected);
                &default_users
            }
            None => &default_users,
        };
        let users = self.users(cx, users_dto);
        let apps_dto = match conditions.and_then(|c| c.applications.as_ref()) {
            Some(Maybe::Ok(a)) => a,
            Some(Maybe::Other(x)) => {
                self.extension(cx, "/conditions/applications", x, Why::Unexpected);
                &default_apps
            }
            None => &default_apps,
        };
        let apps = self.apps(cx, apps_dto);
        let conditions = match conditions {
            Some(c) => self.conditions(cx, c),
            None => Conditions::default(),
        };
        let grant = match &p.grant_controls {
            Some(Maybe::Ok(g)) => self.grant(cx, g),
            Some(Maybe::Other(x)) => {
                self.extension(cx, "/grantControls", x, Why::Unexpected);
                None
            }
            None => None,
        };
        let session = match &p.session_controls {
            Some(Maybe::Ok(s)) => self.session(cx, s),
            Some(Maybe::Other(x)) => {
                self.extension(cx, "/sessionControls", x, Why::Unexpected);
                None
            }
            None => None,
        };
        for (key, value) in [
            ("/templateId", &p.template_id),
            ("/description", &p.description),
        ] {
            if let Some(value) = value {
                if !super::is_noise("", value) && value.as_str() != Some("") {
                    self.extension(cx, key, value, Why::Unmodelled);
                }
            }
        }
        let mut extra = p.extra.clone();
        // What-If outputs (§2.5) say how a policy applied to one sign-in, not what it is.
        extra.remove("policyApplies");
        extra.remove("analysisReasons");
        self.extras(cx, "", &extra);
        // Conditional Access requires users and applications; a policy without them (a key
        // misspelt, a hand-edited export) is refused here, at its JSON pointer, rather than
        // written as a pack that fails `accord check`.
        let extends = |key: &str| {
            cx.extensions
                .iter()
                .any(|e| e.pointer.value.starts_with(key))
        };
        for (empty, pointer, what) in [
            (
                users.include.is_empty() && !conditions.is_workload(),
                "/conditions/users",
                "users",
            ),
            (
                apps.include.is_empty() && !extends("/conditions/applications"),
                "/conditions/applications",
                "applications",
            ),
        ] {
            if empty {
                let d = crate::diagnostic::Diagnostic::error(
                    "E3005",
                    format!("the policy includes no {what} (`{pointer}/include...`)"),
                )
                .help("Conditional Access needs both users and applications: is the property misspelt or missing from the export?");
                self.push_at(cx, "", d);
            }
        }
        // The platform requires a grant or a session control (found by the fuzz target: a policy
        // without either was written as a pack `accord check` refuses, E1065).
        let unmodelled_controls = cx.extensions.iter().any(|e| {
            e.pointer.value.starts_with("/grantControls")
                || e.pointer.value.starts_with("/sessionControls")
        });
        let grants = grant.as_ref().is_some_and(|g| !g.controls.is_empty());
        let controls_session = session.as_ref().is_some_and(|s| !s.is_empty());
        if !grants && !controls_session && !unmodelled_controls {
            let d = crate::diagnostic::Diagnostic::error(
                "E3005",
                "the policy grants nothing (no `grantControls` and no `sessionControls`)",
            )
            .help("Conditional Access needs a grant or a session control: is the property misspelt or missing from the export?");
            self.push_at(cx, "", d);
        }
        let name = self.unique_policy_name(cx, &display);
        self.pack.policies.push(Policy {
            name: syn(name),
            state: syn(state),
            state_written: true,
            users,
            apps,
            conditions,
            grant,
            session,
            extensions: std::mem::take(&mut cx.extensions),
            span: Span::default(),
        });
        self.note_origin(|o| &mut o.policies, self.pack.policies.len() - 1);
        self.policy_origins.push(Provenance {
            file: cx.file,
            pointer: cx.base.clone(),
            json: v.clone(),
        });
    }

    /// Policy names must be unique in a pack; Graph's display names need not be. A repeated
    /// name gets a ` (2)` suffix and keeps its display name in an extension.
    fn unique_policy_name(&mut self, cx: &mut Ctx<'_>, display: &str) -> String {
        let base = if display.trim().is_empty() {
            "unnamed policy".to_string()
        } else {
            display.to_string()
        };
        if self.pack.policy(&base).is_none() && base == display {
            return base;
        }
        let mut name = base.clone();
        let mut n = 2;
        while self.pack.policy(&name).is_some() {
            name = format!("{base} ({n})");
            n += 1;
        }
        let d = crate::diagnostic::Diagnostic::warning(
            "W3006",
            format!("another policy is already named `{display}`: this one is named `{name}`"),
        )
        .help("policy names are unique in a pack; its Graph display name is kept in an extension");
        self.push_at(cx, "/displayName", d);
        cx.extensions.push(Extension {
            pointer: syn("/displayName".to_string()),
            json: syn(Value::String(display.to_string()).to_string()),
        });
        name
    }

    fn state(&mut self, cx: &mut Ctx<'_>, state: Option<&Maybe<String>>) -> PolicyState {
        let options = [
            ("enabled", PolicyState::On),
            ("disabled", PolicyState::Off),
            ("enabledForReportingButNotEnforced", PolicyState::ReportOnly),
        ];
        match state {
            Some(Maybe::Ok(s)) => match pick(&options, s) {
                Some(st) => st,
                None => {
                    self.extension(cx, "/state", &Value::String(s.clone()), Why::Unexpected);
                    PolicyState::On
                }
            },
            Some(Maybe::Other(x)) => {
                self.extension(cx, "/state", x, Why::Unexpected);
                PolicyState::On
            }
            None => PolicyState::On,
        }
    }

    /// A string list, or `None` (with an extension when it is not a list of strings).
    pub(super) fn list<'a>(
        &mut self,
        cx: &mut Ctx<'_>,
        rel: &str,
        field: &'a Option<Strings>,
    ) -> Option<&'a [String]> {
        match field {
            Some(Maybe::Ok(v)) if !v.is_empty() => Some(v),
            Some(Maybe::Ok(_)) | None => None,
            Some(Maybe::Other(x)) => {
                self.extension(cx, rel, x, Why::Unexpected);
                None
            }
        }
    }

    /// Keeps a whole list as an extension because its item `i` cannot be read (W3007 there).
    fn list_kept(
        &mut self,
        cx: &mut Ctx<'_>,
        rel: &str,
        i: usize,
        items: &[String],
        message: String,
        help: &str,
    ) {
        let d = crate::diagnostic::Diagnostic::warning("W3007", message).help(help.to_string());
        self.push_at(cx, &format!("{rel}/{i}"), d);
        cx.extensions.push(Extension {
            pointer: syn(rel.to_string()),
            json: syn(Value::from(items.to_vec()).to_string()),
        });
    }

    /// Maps every item of a list; if one cannot be mapped, the whole list becomes an extension
    /// and the warning names the first item that could not.
    fn mapped<T>(
        &mut self,
        cx: &mut Ctx<'_>,
        rel: &str,
        items: &[String],
        what: &str,
        mut f: impl FnMut(&mut Self, &Ctx<'_>, &str, &str) -> Option<T>,
    ) -> Option<Vec<T>> {
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let item_rel = format!("{rel}/{i}");
            match f(self, cx, &item_rel, item) {
                Some(t) => out.push(t),
                None => {
                    self.list_kept(
                        cx,
                        rel,
                        i,
                        items,
                        format!("`{item}` at `{item_rel}` is not {what}: `{rel}` is kept as an extension"),
                        "export writes the list back unchanged; accord does not evaluate it",
                    );
                    return None;
                }
            }
        }
        Some(out)
    }

    /// A list of enumerated values (matched case-insensitively).
    pub(super) fn enums<T: Copy>(
        &mut self,
        cx: &mut Ctx<'_>,
        rel: &str,
        field: &Option<Strings>,
        what: &str,
        options: &[(&str, T)],
    ) -> Option<Vec<T>> {
        let items = self.list(cx, rel, field)?.to_vec();
        self.mapped(cx, rel, &items, what, |_, _, _, s| pick(options, s))
    }

    /// The members of a flags enum mapped to the model.
    pub(super) fn flags<T: Copy>(
        &mut self,
        cx: &mut Ctx<'_>,
        rel: &str,
        field: &Option<Maybe<Flags>>,
        what: &str,
        options: &[(&str, T)],
    ) -> Option<Vec<T>> {
        match field {
            None => None,
            Some(Maybe::Other(x)) => {
                self.extension(cx, rel, x, Why::Unexpected);
                None
            }
            Some(Maybe::Ok(f)) => {
                let members = flag_members(f);
                if members.is_empty() {
                    return None;
                }
                let out: Option<Vec<T>> = members.iter().map(|m| pick(options, m)).collect();
                if out.is_none() {
                    let d = crate::diagnostic::Diagnostic::warning(
                        "W3007",
                        format!("`{rel}` holds a value that is not {what}: kept as an extension"),
                    );
                    self.push_at(cx, rel, d);
                    let json = match f {
                        Flags::Text(s) => Value::String(s.clone()),
                        Flags::List(l) => Value::from(l.clone()),
                    };
                    cx.extensions.push(Extension {
                        pointer: syn(rel.to_string()),
                        json: syn(json.to_string()),
                    });
                }
                out
            }
        }
    }

    fn users(&mut self, cx: &mut Ctx<'_>, u: &dto::Users) -> Users {
        const BASE: &str = "/conditions/users";
        let mut lists: [Vec<S<UserTarget>>; 2] = [Vec::new(), Vec::new()];
        for (side, (key, field)) in [
            ("includeUsers", &u.include_users),
            ("excludeUsers", &u.exclude_users),
        ]
        .into_iter()
        .enumerate()
        {
            let rel = format!("{BASE}/{key}");
            let Some(items) = self.list(cx, &rel, field).map(<[String]>::to_vec) else {
                continue;
            };
            let magic = [
                ("All", UserTarget::All),
                ("None", UserTarget::None),
                ("GuestsOrExternalUsers", UserTarget::GuestsOrExternal),
            ];
            let mut targets = Vec::new();
            let mut unknown = None;
            for (i, s) in items.iter().enumerate() {
                if let Some((_, t)) = magic.iter().find(|(m, _)| m.eq_ignore_ascii_case(s)) {
                    targets.push(syn(t.clone()));
                } else if looks_like_keyword(s) {
                    unknown = Some((i, s));
                    break;
                } else {
                    let name = self.resolve(cx, &format!("{rel}/{i}"), IdKind::User, s);
                    targets.push(syn(UserTarget::User(name)));
                }
            }
            match unknown {
                // A value that is neither an object id, a name nor a keyword accord knows (a
                // keyword the platform added later): the list is kept whole as an extension, and
                // decided fail-closed (`model::unmodelled`).
                Some((i, s)) => self.list_kept(
                    cx,
                    &rel,
                    i,
                    &items,
                    format!("`{s}` at `{rel}/{i}` is not a keyword accord knows: `{rel}` is kept as an extension"),
                    "if it is a user's name, give the user's object id, or name it in `--names`",
                ),
                None => lists[side].extend(targets),
            }
        }
        for (side, (key, field)) in [
            (
                "includeGuestsOrExternalUsers",
                &u.include_guests_or_external_users,
            ),
            (
                "excludeGuestsOrExternalUsers",
                &u.exclude_guests_or_external_users,
            ),
        ]
        .into_iter()
        .enumerate()
        {
            let rel = format!("{BASE}/{key}");
            match field {
                Some(Maybe::Ok(g)) => {
                    if let Some(t) = self.external(cx, &rel, g) {
                        lists[side].push(syn(t));
                    }
                }
                Some(Maybe::Other(x)) => self.extension(cx, &rel, x, Why::Unexpected),
                None => {}
            }
        }
        for (side, (key, field)) in [
            ("includeRoles", &u.include_roles),
            ("excludeRoles", &u.exclude_roles),
        ]
        .into_iter()
        .enumerate()
        {
            let rel = format!("{BASE}/{key}");
            let Some(items) = self.list(cx, &rel, field).map(<[String]>::to_vec) else {
                continue;
            };
            let mut by_display = Vec::new();
            let roles = self.mapped(
                cx,
                &rel,
                &items,
                "a directory role template id",
                |_, cx, item_rel, s| {
                    if is_guid(s) {
                        return Some(UserTarget::Role(role_by_id(s).map_or_else(
                            || s.to_ascii_lowercase(),
                            |r| r.name.to_string(),
                        )));
                    }
                    // Some community exports name roles instead of giving template ids.
                    let role = role_by_display(s)?;
                    let d = crate::diagnostic::Diagnostic::info(
                        "I3015",
                        format!("role `{s}` is named by its display name: it is `{}`, exported as its template id", role.name),
                    );
                    by_display.push(d.at(cx.span(item_rel)));
                    Some(UserTarget::Role(role.name.to_string()))
                },
            );
            if roles.is_some() {
                self.diagnostics.append(&mut by_display);
            }
            lists[side].extend(roles.into_iter().flatten().map(syn));
        }
        for (side, (key, field)) in [
            ("includeGroups", &u.include_groups),
            ("excludeGroups", &u.exclude_groups),
        ]
        .into_iter()
        .enumerate()
        {
            let rel = format!("{BASE}/{key}");
            let Some(items) = self.list(cx, &rel, field).map(<[String]>::to_vec) else {
                continue;
            };
            for (i, s) in items.iter().enumerate() {
                let name = self.resolve(cx, &format!("{rel}/{i}"), IdKind::Group, s);
                lists[side].push(syn(UserTarget::Group(name)));
            }
        }
        self.extras(cx, BASE, &u.extra);
        self.redundant_beside_all(cx, u, &mut lists[0]);
        let [include, exclude] = lists;
        Users {
            include,
            exclude,
            span: Span::default(),
        }
    }

    /// Graph accepts groups, roles or guests beside `All` (or `None`) in the users included,
    /// where they change nothing; the language says `all` alone. Those lists are kept as
    /// extensions so that export still writes them.
    fn redundant_beside_all(
        &mut self,
        cx: &mut Ctx<'_>,
        u: &dto::Users,
        include: &mut Vec<S<UserTarget>>,
    ) {
        let word = match include.iter().find_map(|t| match t.value {
            UserTarget::All => Some("All"),
            UserTarget::None => Some("None"),
            _ => None,
        }) {
            Some(w) => w,
            None => return,
        };
        type IsKind = fn(&UserTarget) -> bool;
        let lists: [(&str, Option<Value>, IsKind); 3] = [
            (
                "includeGroups",
                u.include_groups
                    .as_ref()
                    .and_then(|x| serde_json::to_value(x).ok()),
                |t| matches!(t, UserTarget::Group(_)),
            ),
            (
                "includeRoles",
                u.include_roles
                    .as_ref()
                    .and_then(|x| serde_json::to_value(x).ok()),
                |t| matches!(t, UserTarget::Role(_)),
            ),
            (
                "includeGuestsOrExternalUsers",
                u.include_guests_or_external_users
                    .as_ref()
                    .and_then(|x| serde_json::to_value(x).ok()),
                |t| matches!(t, UserTarget::External { .. }),
            ),
        ];
        for (key, value, is_kind) in lists {
            let (Some(value), true) = (value, include.iter().any(|t| is_kind(&t.value))) else {
                continue;
            };
            let rel = format!("/conditions/users/{key}");
            let d = crate::diagnostic::Diagnostic::warning(
                "W3007",
                format!("`{rel}` beside `{word}` in `includeUsers` changes nothing: kept as an extension"),
            )
            .help("the language writes `include all` alone; export writes the list back unchanged");
            self.push_at(cx, &rel, d);
            cx.extensions.push(Extension {
                pointer: syn(rel),
                json: syn(super::clean(&value).to_string()),
            });
            include.retain(|t| !is_kind(&t.value));
        }
    }

    /// `includeGuestsOrExternalUsers` / `excludeGuestsOrExternalUsers` (§1.4).
    fn external(
        &mut self,
        cx: &mut Ctx<'_>,
        rel: &str,
        g: &dto::GuestsOrExternalUsers,
    ) -> Option<UserTarget> {
        let whole = || serde_json::to_value(g).unwrap_or(Value::Null);
        let types = match &g.guest_or_external_user_types {
            Some(Maybe::Ok(f)) => flag_members(f),
            Some(Maybe::Other(_)) => {
                self.extension(cx, rel, &whole(), Why::Unexpected);
                return None;
            }
            None => Vec::new(),
        };
        if types.is_empty() {
            // "none" and nothing are the same; anything else without types is unreadable.
            if g.external_tenants.is_some() || !g.extra.iter().all(|(k, v)| super::is_noise(k, v)) {
                self.extension(cx, rel, &whole(), Why::Unexpected);
            }
            return None;
        }
        let Some(mut types) = types
            .iter()
            .map(|t| pick(EXTERNAL_TYPES, t))
            .collect::<Option<Vec<_>>>()
        else {
            self.extension(cx, rel, &whole(), Why::Unexpected);
            return None;
        };
        types.sort();
        types.dedup();
        if types.len() == ExternalType::ALL.len() {
            types.clear();
        }
        let origin = match &g.external_tenants {
            None => Origin::Any,
            Some(Maybe::Other(_)) => {
                self.extension(cx, rel, &whole(), Why::Unexpected);
                return None;
            }
            Some(Maybe::Ok(t)) => {
                let kind = match &t.membership_kind {
                    Some(Maybe::Ok(k)) => Some(k.to_ascii_lowercase()),
                    _ => None,
                };
                let members = match &t.members {
                    Some(Maybe::Ok(m)) => m.clone(),
                    _ => Vec::new(),
                };
                let odata_enumerated = t
                    .odata_type
                    .as_deref()
                    .is_some_and(|o| o.to_ascii_lowercase().contains("enumerated"));
                match kind.as_deref() {
                    Some("all") | None if members.is_empty() && !odata_enumerated => Origin::Any,
                    Some("enumerated") | None if !members.is_empty() => {
                        let mut names = Vec::new();
                        for (i, id) in members.iter().enumerate() {
                            if is_placeholder(id) {
                                self.placeholder(
                                    cx,
                                    &format!("{rel}/externalTenants/members/{i}"),
                                    id,
                                );
                            } else if !is_guid(id) {
                                // Found by the fuzz target: a damaged tenant id was written as
                                // a tenant `accord check` refuses (E1004).
                                let d = crate::diagnostic::Diagnostic::error(
                                    "E3006",
                                    format!("tenant id `{id}` is not a GUID"),
                                )
                                .help("a tenant id is a GUID such as `2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01`: is the export damaged?");
                                self.push_at(cx, &format!("{rel}/externalTenants/members/{i}"), d);
                                continue;
                            }
                            names.push(self.tenant(id));
                        }
                        Origin::Tenants(names)
                    }
                    _ => {
                        self.extension(cx, rel, &whole(), Why::Unexpected);
                        return None;
                    }
                }
            }
        };
        if let Some(Maybe::Ok(t)) = &g.external_tenants {
            self.extras(cx, &format!("{rel}/externalTenants"), &t.extra);
        }
        self.extras(cx, rel, &g.extra);
        Some(UserTarget::External {
            types: types.into_iter().map(syn).collect(),
            origin: syn(origin),
        })
    }

    fn apps(&mut self, cx: &mut Ctx<'_>, a: &dto::Applications) -> Apps {
        const BASE: &str = "/conditions/applications";
        let mut lists: [Vec<S<AppTarget>>; 2] = [Vec::new(), Vec::new()];
        for (side, (key, field)) in [
            ("includeApplications", &a.include_applications),
            ("excludeApplications", &a.exclude_applications),
        ]
        .into_iter()
        .enumerate()
        {
            let rel = format!("{BASE}/{key}");
            let Some(items) = self.list(cx, &rel, field).map(<[String]>::to_vec) else {
                continue;
            };
            let targets = self.mapped(
                cx,
                &rel,
                &items,
                "an application id",
                |im, cx, item_rel, s| {
                    Some(match s {
                        "All" => AppTarget::All,
                        "None" => AppTarget::None,
                        "Office365" => AppTarget::Office365,
                        "MicrosoftAdminPortals" => AppTarget::AdminPortals,
                        _ if is_guid(s) => match FirstPartyApp::from_id(s) {
                            Some(app) => AppTarget::Named(app),
                            None => AppTarget::App(s.to_string()),
                        },
                        _ if is_placeholder(s) => {
                            im.placeholder(cx, item_rel, s);
                            AppTarget::App(s.to_string())
                        }
                        _ => return None,
                    })
                },
            );
            lists[side].extend(targets.into_iter().flatten().map(syn));
        }
        let rel = format!("{BASE}/includeUserActions");
        if let Some(items) = self
            .list(cx, &rel, &a.include_user_actions)
            .map(<[String]>::to_vec)
        {
            let actions = self.mapped(cx, &rel, &items, "a user action", |_, _, _, s| {
                match s.to_ascii_lowercase().as_str() {
                    "urn:user:registersecurityinfo" => {
                        Some(AppTarget::Action(UserAction::RegisterSecurityInfo))
                    }
                    "urn:user:registerdevice" => {
                        Some(AppTarget::Action(UserAction::RegisterDevice))
                    }
                    _ => None,
                }
            });
            lists[0].extend(actions.into_iter().flatten().map(syn));
        }
        let rel = format!("{BASE}/includeAuthenticationContextClassReferences");
        if let Some(items) = self
            .list(cx, &rel, &a.include_authentication_context_class_references)
            .map(<[String]>::to_vec)
        {
            lists[0].extend(items.into_iter().map(|c| syn(AppTarget::AuthContext(c))));
        }
        let mut extra = a.extra.clone();
        for app in self.legacy_traffic_profiles(cx, BASE, &mut extra) {
            if !lists[0].iter().any(|t| t.value == app) {
                lists[0].push(syn(app));
            }
        }
        self.extras(cx, BASE, &extra);
        let [include, exclude] = lists;
        Apps {
            include,
            exclude,
            span: Span::default(),
        }
    }

    fn conditions(&mut self, cx: &mut Ctx<'_>, c: &dto::Conditions) -> Conditions {
        let mut out = Conditions::default();
        let rel = "/conditions/clientAppTypes";
        let all_clients = matches!(&c.client_app_types, Some(Maybe::Ok(v)) if v.iter().any(|s| s.eq_ignore_ascii_case("all")));
        if !all_clients {
            out.client_apps = self
                .enums(
                    cx,
                    rel,
                    &c.client_app_types,
                    "a client app type",
                    CLIENT_APPS,
                )
                .map(|v| syn(v.into_iter().map(syn).collect()));
        }
        match &c.platforms {
            Some(Maybe::Ok(p)) => {
                let rel = "/conditions/platforms";
                let known = |l: &Option<Strings>| match l {
                    Some(Maybe::Ok(v)) => v.iter().all(|s| pick(PLATFORMS, s).is_some()),
                    Some(Maybe::Other(_)) => false,
                    None => true,
                };
                if known(&p.include_platforms) && known(&p.exclude_platforms) {
                    let list = |l: &Option<Strings>| -> Vec<S<Platform>> {
                        match l {
                            Some(Maybe::Ok(v)) => v
                                .iter()
                                .filter_map(|s| pick(PLATFORMS, s))
                                .map(syn)
                                .collect(),
                            _ => Vec::new(),
                        }
                    };
                    let (include, exclude) =
                        (list(&p.include_platforms), list(&p.exclude_platforms));
                    if include.is_empty() && !exclude.is_empty() {
                        // The language writes `include(...)` first; Graph requires it too.
                        let whole = serde_json::to_value(p).unwrap_or(Value::Null);
                        self.extension(cx, rel, &whole, Why::Unexpected);
                    } else {
                        if !include.is_empty() {
                            out.platforms = Some(IncludeExclude {
                                include,
                                exclude,
                                span: Span::default(),
                            });
                        }
                        self.extras(cx, rel, &p.extra);
                    }
                } else {
                    let whole = serde_json::to_value(p).unwrap_or(Value::Null);
                    self.extension(cx, rel, &whole, Why::Unexpected);
                }
            }
            Some(Maybe::Other(x)) => {
                self.extension(cx, "/conditions/platforms", x, Why::Unexpected)
            }
            None => {}
        }
        match &c.locations {
            Some(Maybe::Ok(l)) => {
                let rel = "/conditions/locations";
                let mut sides: [Vec<S<LocationRef>>; 2] = [Vec::new(), Vec::new()];
                for (side, (key, field)) in [
                    ("includeLocations", &l.include_locations),
                    ("excludeLocations", &l.exclude_locations),
                ]
                .into_iter()
                .enumerate()
                {
                    let list_rel = format!("{rel}/{key}");
                    let Some(items) = self.list(cx, &list_rel, field).map(<[String]>::to_vec)
                    else {
                        continue;
                    };
                    for (i, s) in items.iter().enumerate() {
                        let r = match s.as_str() {
                            "All" => LocationRef::All,
                            "AllTrusted" => LocationRef::AllTrusted,
                            ZERO_GUID => LocationRef::MfaTrustedIps,
                            id if id.eq_ignore_ascii_case(COMPLIANT_NETWORK_ID) => {
                                LocationRef::CompliantNetwork
                            }
                            _ => {
                                let pointer = format!("{list_rel}/{i}");
                                let name = self.resolve(cx, &pointer, IdKind::Location, s);
                                // Graph names locations by id (accord's own export by the
                                // name of a location in the same input); anything else, a
                                // damaged export, would be written as a reference `accord
                                // check` refuses (E1069, found by the fuzz target).
                                if !is_guid(s)
                                    && !is_placeholder(s)
                                    && !self.directory.is_location_name(&name)
                                {
                                    let d = crate::diagnostic::Diagnostic::error(
                                        "E3007",
                                        format!("location `{s}` is neither a named location id (a GUID) nor a location of the input"),
                                    )
                                    .help("Graph refers to named locations by id, or `All` and `AllTrusted`: is the export damaged?");
                                    self.push_at(cx, &pointer, d);
                                    continue;
                                }
                                LocationRef::Named(name)
                            }
                        };
                        sides[side].push(syn(r));
                    }
                }
                let [include, exclude] = sides;
                if include.is_empty() && !exclude.is_empty() {
                    let whole = serde_json::to_value(l).unwrap_or(Value::Null);
                    self.extension(cx, rel, &whole, Why::Unexpected);
                } else {
                    if !include.is_empty() {
                        out.locations = Some(IncludeExclude {
                            include,
                            exclude,
                            span: Span::default(),
                        });
                    }
                    self.extras(cx, rel, &l.extra);
                }
            }
            Some(Maybe::Other(x)) => {
                self.extension(cx, "/conditions/locations", x, Why::Unexpected)
            }
            None => {}
        }
        out.sign_in_risk = self
            .enums(
                cx,
                "/conditions/signInRiskLevels",
                &c.sign_in_risk_levels,
                "a risk level",
                RISKS,
            )
            .map(|v| syn(v.into_iter().map(syn).collect()));
        out.user_risk = self
            .enums(
                cx,
                "/conditions/userRiskLevels",
                &c.user_risk_levels,
                "a risk level",
                RISKS,
            )
            .map(|v| syn(v.into_iter().map(syn).collect()));
        out.insider_risk = self
            .flags(
                cx,
                "/conditions/insiderRiskLevels",
                &c.insider_risk_levels,
                "an insider risk level",
                INSIDER_RISKS,
            )
            .map(|v| syn(v.into_iter().map(syn).collect()));
        match &c.devices {
            Some(Maybe::Ok(d)) => {
                out.devices = self.device_filter(cx, d);
                self.extras(cx, "/conditions/devices", &d.extra);
            }
            Some(Maybe::Other(x)) => self.extension(cx, "/conditions/devices", x, Why::Unexpected),
            None => {}
        }
        match &c.authentication_flows {
            Some(Maybe::Ok(f)) => {
                let rel = "/conditions/authenticationFlows";
                out.auth_flows = self
                    .flags(
                        cx,
                        &format!("{rel}/transferMethods"),
                        &f.transfer_methods,
                        "an authentication flow",
                        FLOWS,
                    )
                    .map(|v| syn(v.into_iter().map(syn).collect()));
                self.extras(cx, rel, &f.extra);
            }
            Some(Maybe::Other(x)) => {
                self.extension(cx, "/conditions/authenticationFlows", x, Why::Unexpected)
            }
            None => {}
        }
        self.workloads(cx, c, &mut out);
        self.extras(cx, "/conditions", &c.extra);
        out
    }

    fn device_filter(&mut self, cx: &mut Ctx<'_>, d: &dto::Devices) -> Option<DeviceCondition> {
        let rel = "/conditions/devices/deviceFilter";
        let f = match &d.device_filter {
            Some(Maybe::Ok(f)) => f,
            Some(Maybe::Other(x)) => {
                self.extension(cx, rel, x, Why::Unexpected);
                return None;
            }
            None => return None,
        };
        let mode = match &f.mode {
            Some(Maybe::Ok(m)) if m.eq_ignore_ascii_case("include") => Some(FilterMode::Include),
            Some(Maybe::Ok(m)) if m.eq_ignore_ascii_case("exclude") => Some(FilterMode::Exclude),
            _ => None,
        };
        let rule = match &f.rule {
            Some(Maybe::Ok(r)) if !r.is_empty() => Some(r.clone()),
            _ => None,
        };
        match (mode, rule) {
            // The rule is parsed here as `syntax` parses it in a `.policy` file: a condition
            // without its parsed filter is one the evaluator cannot decide.
            (Some(mode), Some(rule)) => match parse_device_filter(&rule) {
                Ok(filter) => {
                    self.extras(cx, rel, &f.extra);
                    Some(DeviceCondition {
                        mode: syn(mode),
                        rule: syn(rule),
                        filter: Some(filter),
                    })
                }
                Err(errors) => {
                    let why = errors.first().map_or(String::new(), |e| e.message.clone());
                    let d = crate::diagnostic::Diagnostic::warning(
                        "W3007",
                        format!("`{rel}/rule` is not a device filter accord can read ({why}): `{rel}` is kept as an extension"),
                    )
                    .help("export writes it back unchanged; accord does not evaluate it");
                    self.push_at(cx, &format!("{rel}/rule"), d);
                    let whole = serde_json::to_value(f).unwrap_or(Value::Null);
                    cx.extensions.push(Extension {
                        pointer: syn(rel.to_string()),
                        json: syn(super::clean(&whole).to_string()),
                    });
                    None
                }
            },
            _ => {
                let whole = serde_json::to_value(f).unwrap_or(Value::Null);
                if !super::is_noise("", &whole) {
                    self.extension(cx, rel, &whole, Why::Unexpected);
                }
                None
            }
        }
    }

    fn grant(&mut self, cx: &mut Ctx<'_>, g: &dto::GrantControls) -> Option<Grant> {
        const BASE: &str = "/grantControls";
        let mut controls: Vec<S<Control>> = Vec::new();
        let rel = format!("{BASE}/builtInControls");
        if let Some(items) = self
            .list(cx, &rel, &g.built_in_controls)
            .map(<[String]>::to_vec)
        {
            let mapped = self.mapped(
                cx,
                &rel,
                &items,
                "a built-in grant control",
                |_, _, _, s| {
                    pick(BUILT_IN_CONTROLS, s).map(|n| match n {
                        0 => Control::Block,
                        1 => Control::Mfa,
                        2 => Control::CompliantDevice,
                        3 => Control::HybridJoined,
                        4 => Control::ApprovedApp,
                        5 => Control::AppProtection,
                        _ => Control::PasswordChange,
                    })
                },
            );
            controls.extend(mapped.into_iter().flatten().map(syn));
        }
        if let Some(Maybe::Ok(a)) = &g.authentication_strength {
            if let Ok(Value::Object(map)) = serde_json::to_value(a) {
                self.strength_object(cx, &format!("{BASE}/authenticationStrength"), &map);
            }
        }
        match &g.authentication_strength {
            Some(Maybe::Ok(a)) => match &a.id {
                // The other members of an expanded strength describe the strength policy
                // itself: a custom one is declared (`strength_object`).
                Some(Maybe::Ok(id)) => controls.push(syn(Control::AuthStrength(
                    match BuiltInStrength::from_id(id) {
                        Some(s) => AuthStrength::BuiltIn(s),
                        None => AuthStrength::Custom(id.clone()),
                    },
                ))),
                _ => {
                    let whole = serde_json::to_value(a).unwrap_or(Value::Null);
                    self.extension(
                        cx,
                        &format!("{BASE}/authenticationStrength"),
                        &whole,
                        Why::Unexpected,
                    );
                }
            },
            Some(Maybe::Other(x)) => self.extension(
                cx,
                &format!("{BASE}/authenticationStrength"),
                x,
                Why::Unexpected,
            ),
            None => {}
        }
        for (key, field, custom) in [
            ("termsOfUse", &g.terms_of_use, false),
            (
                "customAuthenticationFactors",
                &g.custom_authentication_factors,
                true,
            ),
        ] {
            let rel = format!("{BASE}/{key}");
            let Some(items) = self.list(cx, &rel, field).map(<[String]>::to_vec) else {
                continue;
            };
            for (i, s) in items.iter().enumerate() {
                if is_placeholder(s) {
                    self.placeholder(cx, &format!("{rel}/{i}"), s);
                }
                controls.push(syn(if custom {
                    Control::Custom(s.clone())
                } else {
                    Control::TermsOfUse(s.clone())
                }));
            }
        }
        self.extras(cx, BASE, &g.extra);
        if controls.is_empty() {
            return None;
        }
        let op = if controls.len() == 1 {
            GrantOp::Single
        } else {
            match &g.operator {
                Some(Maybe::Ok(o)) if o.eq_ignore_ascii_case("AND") => GrantOp::All,
                Some(Maybe::Ok(o)) if o.eq_ignore_ascii_case("OR") => GrantOp::Any,
                Some(Maybe::Ok(o)) => {
                    let v = Value::String(o.clone());
                    self.extension(cx, &format!("{BASE}/operator"), &v, Why::Unexpected);
                    GrantOp::Any
                }
                Some(Maybe::Other(x)) => {
                    self.extension(cx, &format!("{BASE}/operator"), x, Why::Unexpected);
                    GrantOp::Any
                }
                None => GrantOp::Any,
            }
        };
        Some(Grant {
            op: syn(op),
            controls,
            span: Span::default(),
        })
    }

    fn session(&mut self, cx: &mut Ctx<'_>, s: &dto::SessionControls) -> Option<Session> {
        const BASE: &str = "/sessionControls";
        let mut out = Session::default();
        // A control with `isEnabled: false` is not set (normalisation 6).
        let enabled = |c: &dto::SessionControl| !matches!(c.is_enabled, Some(Maybe::Ok(false)));
        let control = |im: &mut Self,
                       cx: &mut Ctx<'_>,
                       key: &str,
                       field: &Option<Maybe<dto::SessionControl>>|
         -> Option<dto::SessionControl> {
            let rel = format!("{BASE}/{key}");
            match field {
                Some(Maybe::Ok(c))
                    if enabled(c)
                        && !super::is_noise(
                            "",
                            &serde_json::to_value(c).unwrap_or(Value::Null),
                        ) =>
                {
                    Some(c.clone())
                }
                Some(Maybe::Ok(_)) | None => None,
                Some(Maybe::Other(x)) => {
                    im.extension(cx, &rel, x, Why::Unexpected);
                    None
                }
            }
        };
        let unreadable = |im: &mut Self, cx: &mut Ctx<'_>, key: &str, c: &dto::SessionControl| {
            let whole = serde_json::to_value(c).unwrap_or(Value::Null);
            im.extension(cx, &format!("{BASE}/{key}"), &whole, Why::Unexpected);
        };
        if let Some(c) = control(
            self,
            cx,
            "applicationEnforcedRestrictions",
            &s.application_enforced_restrictions,
        ) {
            out.app_enforced_restrictions = Some(Span::default());
            self.extras(
                cx,
                &format!("{BASE}/applicationEnforcedRestrictions"),
                &c.extra,
            );
        }
        if let Some(c) = control(self, cx, "cloudAppSecurity", &s.cloud_app_security) {
            let options = [
                ("monitorOnly", CloudAppSecurity::MonitorOnly),
                ("blockDownloads", CloudAppSecurity::BlockDownloads),
                ("mcasConfigured", CloudAppSecurity::McasConfigured),
            ];
            match &c.cloud_app_security_type {
                Some(Maybe::Ok(t)) if pick(&options, t).is_some() => {
                    out.cloud_app_security = pick(&options, t).map(syn);
                    self.extras(cx, &format!("{BASE}/cloudAppSecurity"), &c.extra);
                }
                _ => unreadable(self, cx, "cloudAppSecurity", &c),
            }
        }
        if let Some(c) = control(self, cx, "signInFrequency", &s.sign_in_frequency) {
            match sign_in_frequency(&c) {
                Some((f, secondary)) => {
                    out.sign_in_frequency = Some(syn(f));
                    out.sign_in_frequency_secondary = secondary.then(Span::default);
                    self.extras(cx, &format!("{BASE}/signInFrequency"), &c.extra);
                }
                None => unreadable(self, cx, "signInFrequency", &c),
            }
        }
        if let Some(c) = control(self, cx, "persistentBrowser", &s.persistent_browser) {
            let options = [
                ("always", PersistentBrowser::Always),
                ("never", PersistentBrowser::Never),
            ];
            match &c.mode {
                Some(Maybe::Ok(m)) if pick(&options, m).is_some() => {
                    out.persistent_browser = pick(&options, m).map(syn);
                    self.extras(cx, &format!("{BASE}/persistentBrowser"), &c.extra);
                }
                _ => unreadable(self, cx, "persistentBrowser", &c),
            }
        }
        if let Some(c) = control(
            self,
            cx,
            "continuousAccessEvaluation",
            &s.continuous_access_evaluation,
        ) {
            let options = [
                ("strictEnforcement", ContinuousAccessEvaluation::Strict),
                ("strictLocation", ContinuousAccessEvaluation::StrictLocation),
                ("disabled", ContinuousAccessEvaluation::Disabled),
            ];
            match &c.mode {
                Some(Maybe::Ok(m)) if pick(&options, m).is_some() && c.is_enabled.is_none() => {
                    out.continuous_access_evaluation = pick(&options, m).map(syn);
                    self.extras(cx, &format!("{BASE}/continuousAccessEvaluation"), &c.extra);
                }
                _ => unreadable(self, cx, "continuousAccessEvaluation", &c),
            }
        }
        // Token protection carries `isEnabled` only (Graph beta, secureSignInSession).
        if let Some(c) = control(self, cx, "secureSignInSession", &s.secure_sign_in_session) {
            out.token_protection = Some(Span::default());
            self.extras(cx, &format!("{BASE}/secureSignInSession"), &c.extra);
        }
        match &s.disable_resilience_defaults {
            Some(Maybe::Ok(true)) => out.disable_resilience_defaults = Some(Span::default()),
            Some(Maybe::Ok(false)) | None => {}
            Some(Maybe::Other(x)) => self.extension(
                cx,
                &format!("{BASE}/disableResilienceDefaults"),
                x,
                Why::Unexpected,
            ),
        }
        let mut extra = s.extra.clone();
        if let Some(c) = control(
            self,
            cx,
            "globalSecureAccessFilteringProfile",
            &s.global_secure_access_filtering_profile,
        ) {
            match &c.profile_id {
                Some(Maybe::Ok(id)) if is_guid(id) => {
                    // `networkAccessSecurity` is the same link under its earlier name (the
                    // session controls resource no longer lists it): one that names the same
                    // profile says nothing more.
                    if same_profile(extra.get("networkAccessSecurity"), id) {
                        extra.remove("networkAccessSecurity");
                    }
                    out.security_profile = Some(syn(id.clone()));
                    self.extras(
                        cx,
                        &format!("{BASE}/globalSecureAccessFilteringProfile"),
                        &c.extra,
                    );
                }
                _ => unreadable(self, cx, "globalSecureAccessFilteringProfile", &c),
            }
        }
        self.extras(cx, BASE, &extra);
        (!out.is_empty()).then_some(out)
    }
}

/// Whether a `networkAccessSecurity` session control links the security profile `id` (enabled,
/// `policyId` equal to it).
pub(crate) fn same_profile(legacy: Option<&Value>, id: &str) -> bool {
    legacy.and_then(Value::as_object).is_some_and(|o| {
        o.get("isEnabled").and_then(Value::as_bool) != Some(false)
            && o.get("policyId")
                .and_then(Value::as_str)
                .is_some_and(|p| p.eq_ignore_ascii_case(id))
            && o.keys()
                .all(|k| k == "policyId" || k == "isEnabled" || k.contains("@odata"))
    })
}

/// `signInFrequency` in the ranges the language accepts (1-23 hours, 1-365 days, every time),
/// and whether it asks for the secondary authentication only; anything else stays an extension.
fn sign_in_frequency(c: &dto::SessionControl) -> Option<(SignInFrequency, bool)> {
    let text = |f: &Option<Maybe<String>>| match f {
        Some(Maybe::Ok(s)) => Some(Some(s.to_ascii_lowercase())),
        None => Some(None),
        Some(Maybe::Other(_)) => None,
    };
    let secondary = match text(&c.authentication_type)?.as_deref() {
        None | Some("primaryandsecondaryauthentication") => false,
        Some("secondaryauthentication") => true,
        Some(_) => return None,
    };
    let interval = text(&c.frequency_interval)?;
    let unit = text(&c.frequency_type)?;
    let value = match &c.value {
        Some(Maybe::Ok(v)) => Some(*v),
        None => None,
        Some(Maybe::Other(_)) => return None,
    };
    let frequency = match (interval.as_deref(), unit.as_deref(), value) {
        (Some("everytime"), None, None) => Some(SignInFrequency::EveryTime),
        (Some("timebased") | None, Some("hours"), Some(v @ 1..=23)) => {
            Some(SignInFrequency::Every {
                value: v,
                unit: FrequencyUnit::Hours,
            })
        }
        (Some("timebased") | None, Some("days"), Some(v @ 1..=365)) => {
            Some(SignInFrequency::Every {
                value: v,
                unit: FrequencyUnit::Days,
            })
        }
        _ => None,
    };
    Some((frequency?, secondary))
}

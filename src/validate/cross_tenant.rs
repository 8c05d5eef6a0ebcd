//! Cross-tenant access settings (§4).

use super::index::Index;
use super::values::{guid_help, is_guid};
use super::{references, repeats, Findings};
use crate::diagnostic::Diagnostic;
use crate::model::{
    Access, AppTarget, B2bKind, B2bRule, CrossTenant, CrossTenantTarget, Direction, Pack,
    TargetList, XtUserTarget,
};
use crate::source::Span;

pub(super) fn check(pack: &Pack, index: &Index, out: &mut Findings) {
    duplicates(pack, out);
    for xt in &pack.cross_tenant {
        match &xt.target {
            CrossTenantTarget::Default => default_block(xt, out),
            CrossTenantTarget::Tenant(name) => {
                let resolved = references::tenant(pack, index, name, out);
                if resolved.is_some() && resolved == index.resource {
                    out.add(
                        Diagnostic::error(
                            "E1035",
                            format!("`{}` is the resource tenant itself", name.value),
                        )
                        .at(name.span)
                        .help(
                            "cross-tenant settings govern other tenants: use `cross_tenant \
                             default` or a partner tenant",
                        ),
                    );
                }
            }
        }
        for rule in &xt.rules {
            setting(rule, out);
        }
    }
}

/// `E1030`: one block per tenant, one `default`.
fn duplicates(pack: &Pack, out: &mut Findings) {
    let keys = pack.cross_tenant.iter().map(|xt| match &xt.target {
        CrossTenantTarget::Default => (None, keyword_or_name(xt)),
        CrossTenantTarget::Tenant(name) => (Some(name.value.clone()), name.span),
    });
    for (key, span, first) in repeats(keys) {
        let what = match &key {
            None => "`cross_tenant default` is declared twice".to_string(),
            Some(name) => format!("`cross_tenant {name}` is declared twice"),
        };
        out.add(
            Diagnostic::error("E1030", what)
                .at(span)
                .label(first, "first declared here")
                .help("merge the two blocks into one"),
        );
    }
}

/// The span of the `cross_tenant` keyword of a `default` block (which has no name to point at).
fn keyword_or_name(xt: &CrossTenant) -> Span {
    super::keyword_span(xt.span, "cross_tenant")
}

/// What the `default` block cannot hold (`E1031`, `E1033`, `E1037`, `E1110`).
fn default_block(xt: &CrossTenant, out: &mut Findings) {
    if let Some(span) = xt.service_provider {
        out.add(
            Diagnostic::error("E1033", "`service_provider` cannot be a default")
                .at(span)
                .help("mark the partner tenant: `cross_tenant <name> { service_provider }`"),
        );
    }
    if let Some(span) = xt.user_sync_inbound {
        // `identitySynchronization` exists only on a partner configuration (Graph
        // crossTenantAccessPolicyConfigurationPartner), never on the default.
        out.add(
            Diagnostic::error("E1110", "`user_sync inbound` cannot be a default")
                .at(span)
                .help("allow synchronization per partner: `cross_tenant <name> { user_sync inbound }`"),
        );
    }
    if let Some(consent) = &xt.auto_consent {
        // `automaticUserConsentSettings` is always false and read-only in the default (§4.1).
        out.add(
            Diagnostic::error("E1037", "`automatic_consent` cannot be a default")
                .at(consent.span)
                .help("set it per partner: `cross_tenant <name> { automatic_consent inbound }`"),
        );
    }
    for rule in xt
        .rules
        .iter()
        .filter(|r| r.direction.value == Direction::Inbound)
    {
        let Some(users) = &rule.setting.users else {
            continue;
        };
        for target in &users.targets {
            if target.value != XtUserTarget::All {
                // Inbound default settings can only target all users (§4.2).
                out.add(
                    Diagnostic::error(
                        "E1031",
                        "inbound default settings cannot target users or groups",
                    )
                    .at(target.span)
                    .help(
                        "the default applies to every external user: target `all` here, and \
                         move the user or group to a partner block `cross_tenant <name>`",
                    ),
                );
            }
        }
    }
}

/// One B2B setting (`E1032`, `E1034`, `E1036`, `E1038`, `E1055`).
fn setting(rule: &B2bRule, out: &mut Findings) {
    let s = &rule.setting;
    if s.short.is_none() && s.users.is_none() && s.apps.is_none() {
        out.add(
            Diagnostic::error("E1034", format!("`{}` sets nothing", rule_name(rule)))
                .at(s.span)
                .help("write `= allow`, `= block`, or `{ users allow ...  apps allow ... }`"),
        );
        return;
    }
    if let Some(users) = &s.users {
        all_alone(users, |t| *t == XtUserTarget::All, "users", out);
    }
    if let Some(apps) = &s.apps {
        all_alone(apps, |t| *t == AppTarget::All, "apps", out);
        for target in &apps.targets {
            app_target(&target.value, target.span, out);
        }
    }
    if let (Some(users), Some(apps)) = (&s.users, &s.apps) {
        consistency(users, apps, out);
    }
}

/// `inbound b2b_collaboration`, as written.
fn rule_name(rule: &B2bRule) -> String {
    let direction = match rule.direction.value {
        Direction::Inbound => "inbound",
        Direction::Outbound => "outbound",
    };
    let kind = match rule.kind.value {
        B2bKind::B2bCollaboration => "b2b_collaboration",
        B2bKind::B2bDirectConnect => "b2b_direct_connect",
    };
    format!("{direction} {kind}")
}

/// `E1036`: `all` and other targets in one list.
pub(super) fn all_alone<T>(
    list: &TargetList<T>,
    is_all: impl Fn(&T) -> bool,
    what: &str,
    out: &mut Findings,
) {
    if list.targets.len() < 2 {
        return;
    }
    for target in list.targets.iter().filter(|t| is_all(&t.value)) {
        out.add(
            Diagnostic::error("E1036", format!("`all` cannot be listed with other {what}"))
                .at(target.span)
                .help(format!(
                    "`all` already covers every one of them: keep `all` alone, or list the {what}"
                )),
        );
    }
}

/// Cross-tenant settings target app ids, `AllApplications` or `Office365` (§4.1).
pub(super) fn app_target(target: &AppTarget, span: Span, out: &mut Findings) {
    let unsupported = match target {
        AppTarget::All | AppTarget::Office365 | AppTarget::Named(_) => return,
        AppTarget::App(id) => {
            if !is_guid(id) {
                out.add(invalid_app_id(id, span));
            }
            return;
        }
        AppTarget::None => "none",
        AppTarget::AdminPortals => "admin_portals",
        AppTarget::Action(_) => "action",
        AppTarget::AuthContext(_) => "auth_context",
    };
    out.add(
        Diagnostic::error(
            "E1038",
            format!("`{unsupported}` cannot be a target of cross-tenant settings"),
        )
        .at(span)
        .help("cross-tenant settings target `all`, `office365`, named apps or `app \"<id>\"`"),
    );
}

/// `E1055`, shared with policies.
pub(super) fn invalid_app_id(id: &str, span: Span) -> Diagnostic {
    Diagnostic::error("E1055", format!("app id `{id}` is not a GUID"))
        .at(span)
        .help(guid_help(id, "an application (client) id"))
}

/// Blocking all users requires blocking all apps (§4.3); an allow-list of users beside all apps
/// blocked admits nobody. Only written
/// dimensions are compared: an omitted one follows the other (see `B2bSetting`).
fn consistency(users: &TargetList<XtUserTarget>, apps: &TargetList<AppTarget>, out: &mut Findings) {
    let blocks_all = |access: Access, all: bool| access == Access::Block && all;
    let all_users = users.targets.iter().any(|t| t.value == XtUserTarget::All);
    let all_apps = apps.targets.iter().any(|t| t.value == AppTarget::All);
    let users_span = list_span(users);
    let apps_span = list_span(apps);
    match (
        blocks_all(users.access.value, all_users),
        blocks_all(apps.access.value, all_apps),
    ) {
        (true, false) => out.add(
            Diagnostic::error("E1032", "blocking all users requires blocking all apps")
                .at(apps_span)
                .label(users_span, "all users are blocked here")
                .help("write `apps block all`, or block only some users"),
        ),
        // A block-list of users with all apps blocked is row 6 of the §4.3 table (those users get
        // nothing, everyone else everything); only an allow-list beside it admits nobody.
        (false, true) if users.access.value == Access::Allow => out.add(
            Diagnostic::error(
                "E1032",
                "blocking all apps leaves the allowed users nothing",
            )
            .at(users_span)
            .label(apps_span, "all apps are blocked here")
            .help("write `= block` to block everyone, or block only some apps"),
        ),
        _ => {}
    }
}

fn list_span<T>(list: &TargetList<T>) -> Span {
    match list.targets.last() {
        Some(last) => list.access.span.to(last.span),
        None => list.access.span,
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::codes_of;

    const NONE: [&str; 0] = [];

    #[test]
    fn duplicate_blocks() {
        assert_eq!(
            codes_of("cross_tenant fabrikam { trust mfa }\ncross_tenant fabrikam { trust none }"),
            ["E1030"]
        );
        assert_eq!(
            codes_of("cross_tenant default { trust mfa }\ncross_tenant default { trust none }"),
            ["E1030"]
        );
    }

    #[test]
    fn default_restrictions() {
        assert_eq!(
            codes_of(
                "cross_tenant default { inbound b2b_collaboration { users allow group \"g\" } }"
            ),
            ["E1031"]
        );
        assert_eq!(
            codes_of(
                "cross_tenant default { outbound b2b_collaboration { users allow group \"g\" } }"
            ),
            NONE
        );
        assert_eq!(
            codes_of("cross_tenant default { service_provider }"),
            ["E1033"]
        );
        assert_eq!(
            codes_of("cross_tenant default { automatic_consent inbound }"),
            ["E1037"]
        );
        assert_eq!(
            codes_of("cross_tenant default { user_sync inbound }"),
            ["E1110"]
        );
        assert_eq!(
            codes_of("cross_tenant fabrikam { service_provider automatic_consent inbound }"),
            NONE
        );
        assert_eq!(
            codes_of("cross_tenant fabrikam { user_sync inbound automatic_consent inbound }"),
            NONE
        );
    }

    #[test]
    fn all_users_and_all_apps_block_together() {
        let rule = |body: &str| {
            codes_of(&format!(
                "cross_tenant fabrikam {{ inbound b2b_collaboration {{ {body} }} }}"
            ))
        };
        assert_eq!(rule("users block all  apps block all"), NONE);
        assert_eq!(rule("users block all  apps allow sharepoint"), ["E1032"]);
        assert_eq!(rule("users allow group \"g\"  apps block all"), ["E1032"]);
        // Row 6 of the §4.3 table: g is blocked from everything, everyone else allowed.
        assert_eq!(rule("users block group \"g\"  apps block all"), NONE);
        assert_eq!(rule("users allow group \"g\"  apps block power_bi"), NONE);
        assert_eq!(rule("users block all"), NONE);
        assert_eq!(rule("apps block power_bi"), NONE);
    }

    #[test]
    fn setting_shapes() {
        let rule = |body: &str| {
            codes_of(&format!(
                "cross_tenant fabrikam {{ inbound b2b_collaboration {body} }}"
            ))
        };
        assert_eq!(rule("{ }"), ["E1034"]);
        assert_eq!(rule("{ users allow all, group \"g\" }"), ["E1036"]);
        assert_eq!(rule("{ apps allow admin_portals }"), ["E1038"]);
        assert_eq!(rule("{ apps allow action register_device }"), ["E1038"]);
        assert_eq!(rule("{ apps allow app \"not-a-guid\" }"), ["E1055"]);
        assert_eq!(
            rule("{ apps allow app \"00000003-0000-0000-c000-000000000000\", office365 }"),
            NONE
        );
    }

    #[test]
    fn partner_must_be_another_tenant() {
        assert_eq!(codes_of("cross_tenant contoso { trust mfa }"), ["E1035"]);
    }
}

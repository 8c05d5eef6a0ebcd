//! `accord diff` for the settings the exact analysis does not enumerate: outbound B2B settings
//! and tenant restrictions (issue 14, item 3). They are compared setting by setting, as each
//! tenant sees them (a partner's own setting, else the default it inherits, else the service
//! default), not over the space of outbound requests.

use std::collections::BTreeSet;

use crate::eval::trace::{AppName, XtUser};
use crate::model::{
    Access, AppTarget, B2bKind, B2bSetting, CrossTenant, CrossTenantTarget, Direction, Pack,
    XtUserTarget,
};

/// One effective setting that differs between two packs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SettingChange {
    /// A partner tenant's name, or `default`.
    pub tenant: String,
    /// `outbound b2b_collaboration`, `outbound b2b_direct_connect` or `tenant_restrictions`.
    pub setting: &'static str,
    pub before: String,
    pub after: String,
}

const SETTINGS: [&str; 3] = [
    "outbound b2b_collaboration",
    "outbound b2b_direct_connect",
    "tenant_restrictions",
];

/// Every outbound or tenant-restrictions setting whose effective value differs, for the default
/// and for every partner either pack has a block for (by name), in name order.
pub fn setting_changes(old: &Pack, new: &Pack) -> Vec<SettingChange> {
    let partners: BTreeSet<&str> = [old, new]
        .iter()
        .flat_map(|p| p.cross_tenant.iter().filter_map(CrossTenant::tenant_name))
        .collect();
    let tenants = std::iter::once(None).chain(partners.into_iter().map(Some));
    let mut out = Vec::new();
    for tenant in tenants {
        for setting in SETTINGS {
            let ((old_key, before), (new_key, after)) = (
                effective(old, tenant, setting),
                effective(new, tenant, setting),
            );
            // Compared by value: `= allow` written and the service default's allow are alike.
            if old_key != new_key {
                out.push(SettingChange {
                    tenant: tenant.unwrap_or("default").to_string(),
                    setting,
                    before,
                    after,
                });
            }
        }
    }
    out
}

fn block<'a>(pack: &'a Pack, tenant: Option<&str>) -> Option<&'a CrossTenant> {
    pack.cross_tenant
        .iter()
        .find(|x| match (&x.target, tenant) {
            (CrossTenantTarget::Default, None) => true,
            (CrossTenantTarget::Tenant(n), Some(t)) => n.value == t,
            _ => false,
        })
}

fn own<'a>(x: &'a CrossTenant, setting: &str) -> Option<&'a B2bSetting> {
    let outbound = |kind| x.rule(Direction::Outbound, kind).map(|r| &r.setting);
    match setting {
        "outbound b2b_collaboration" => outbound(B2bKind::B2bCollaboration),
        "outbound b2b_direct_connect" => outbound(B2bKind::B2bDirectConnect),
        _ => x.tenant_restrictions.as_ref().map(|t| &t.setting),
    }
}

/// The setting as the tenant sees it: its value, and the value with where it comes from (its
/// own, the default's, or the service default).
fn effective(pack: &Pack, tenant: Option<&str>, setting: &str) -> (String, String) {
    let partner = tenant.and_then(|t| block(pack, Some(t)));
    if let Some(s) = partner.and_then(|x| own(x, setting)) {
        return (text(s), text(s));
    }
    if let Some(s) = block(pack, None).and_then(|x| own(x, setting)) {
        let shown = if tenant.is_some() {
            format!("{} (the default)", text(s))
        } else {
            text(s)
        };
        return (text(s), shown);
    }
    let value = match setting {
        "outbound b2b_collaboration" => "allow",
        "outbound b2b_direct_connect" => "block",
        _ => "none",
    };
    let shown = match setting {
        "tenant_restrictions" => "none (no tenant restrictions)".to_string(),
        _ => format!("{value} (service default)"),
    };
    (value.to_string(), shown)
}

fn text(s: &B2bSetting) -> String {
    let word = |a: Access| if a == Access::Allow { "allow" } else { "block" };
    if let Some(a) = &s.short {
        return word(a.value).to_string();
    }
    // `{ users block all  apps block all }` is `= block` (an omitted list is `all` with the
    // other's access type).
    let users_all = s.users.as_ref().map(|u| {
        let all = matches!(u.targets.as_slice(), [t] if t.value == XtUserTarget::All);
        (u.access.value, all)
    });
    let apps_all = s.apps.as_ref().map(|a| {
        let all = matches!(a.targets.as_slice(), [t] if t.value == AppTarget::All);
        (a.access.value, all)
    });
    match (users_all, apps_all) {
        (Some((u, true)), Some((a, true))) if u == a => return word(u).to_string(),
        (Some((u, true)), None) | (None, Some((u, true))) => return word(u).to_string(),
        _ => {}
    }
    let mut parts = Vec::new();
    if let Some(u) = &s.users {
        let targets: Vec<String> = u
            .targets
            .iter()
            .map(|t| XtUser(&t.value).to_string())
            .collect();
        parts.push(format!(
            "users {} {}",
            word(u.access.value),
            targets.join(", ")
        ));
    }
    if let Some(a) = &s.apps {
        let targets: Vec<String> = a
            .targets
            .iter()
            .map(|t| AppName(&t.value).to_string())
            .collect();
        parts.push(format!(
            "apps {} {}",
            word(a.access.value),
            targets.join(", ")
        ));
    }
    if parts.is_empty() {
        "{ } (nothing: fail closed)".to_string()
    } else {
        format!("{{ {} }}", parts.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(text: &str) -> Pack {
        let loaded = crate::load::load_texts([("p.policy", text)]);
        loaded.pack
    }

    #[test]
    fn effective_settings_are_compared_with_inheritance() {
        let old = pack("tenant fabrikam { domains = [\"f.com\"] }\ncross_tenant default { tenant_restrictions = block }\ncross_tenant fabrikam { outbound b2b_collaboration = allow }");
        let new = pack("tenant fabrikam { domains = [\"f.com\"] }\ncross_tenant default { tenant_restrictions = block }\ncross_tenant fabrikam { tenant_restrictions = allow }");
        let changes = setting_changes(&old, &new);
        let got: Vec<(&str, &str, &str, &str)> = changes
            .iter()
            .map(|c| {
                (
                    c.tenant.as_str(),
                    c.setting,
                    c.before.as_str(),
                    c.after.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [(
                "fabrikam",
                "tenant_restrictions",
                "block (the default)",
                "allow"
            )]
        );
        assert!(setting_changes(&old, &old).is_empty());
        let spelled = pack("tenant fabrikam { domains = [\"f.com\"] }\ncross_tenant default { tenant_restrictions { users block all  apps block all } }\ncross_tenant fabrikam { outbound b2b_collaboration { users allow all } }");
        assert!(
            setting_changes(&old, &spelled).is_empty(),
            "{:?}",
            setting_changes(&old, &spelled)
        );
        let blocked =
            pack("cross_tenant default { outbound b2b_collaboration { users allow group \"g\" } }");
        let changes = setting_changes(&old, &blocked);
        let got: Vec<(&str, &str)> = changes
            .iter()
            .map(|c| (c.tenant.as_str(), c.setting))
            .collect();
        // fabrikam has no block in the new pack: it inherits the new default for both settings.
        assert_eq!(
            got,
            [
                ("default", "outbound b2b_collaboration"),
                ("default", "tenant_restrictions"),
                ("fabrikam", "outbound b2b_collaboration"),
                ("fabrikam", "tenant_restrictions"),
            ]
        );
    }
}

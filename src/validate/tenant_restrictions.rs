//! Tenant restrictions v2 (`tenant_restrictions` in a `cross_tenant` block): `E1130`-`E1133`.
//!
//! Microsoft Learn, "Set up tenant restrictions v2" (learn.microsoft.com/entra/external-id/
//! tenant-restrictions-v2), step 1 and step 2: default settings cannot be scoped to accounts or
//! groups; blocking all users and groups requires blocking all external applications and the
//! reverse; user granularity is not available for Microsoft Accounts. The targets are those of
//! every cross-tenant setting (Graph `crossTenantAccessPolicyTenantRestrictions` inherits
//! `crossTenantAccessPolicyB2BSetting`), checked as for B2B settings (`E1036`, `E1038`, `E1055`).

use super::cross_tenant::{all_alone, app_target};
use super::index::Index;
use super::Findings;
use crate::diagnostic::Diagnostic;
use crate::model::{
    Access, AppTarget, CrossTenant, CrossTenantTarget, Pack, TenantRestrictions, XtUserTarget,
};

/// The tenant that issues Microsoft Accounts (MSA), as the documentation names it.
pub(crate) const MICROSOFT_ACCOUNTS_TENANT: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

pub(super) fn check(pack: &Pack, index: &Index, out: &mut Findings) {
    for xt in &pack.cross_tenant {
        if let Some(tr) = &xt.tenant_restrictions {
            one(pack, index, xt, tr, out);
        }
    }
}

fn one(pack: &Pack, index: &Index, xt: &CrossTenant, tr: &TenantRestrictions, out: &mut Findings) {
    let s = &tr.setting;
    if s.short.is_none() && s.users.is_none() && s.apps.is_none() {
        out.add(
            Diagnostic::error("E1130", "`tenant_restrictions` sets nothing")
                .at(s.span)
                .help("write `= allow`, `= block`, or `{ users block all  apps block all }`"),
        );
        return;
    }
    if let Some(users) = &s.users {
        all_alone(users, |t| *t == XtUserTarget::All, "users", out);
        let scoped = users
            .targets
            .iter()
            .filter(|t| t.value != XtUserTarget::All);
        for target in scoped {
            match &xt.target {
                CrossTenantTarget::Default => out.add(
                    Diagnostic::error(
                        "E1131",
                        "default tenant restrictions cannot target users or groups",
                    )
                    .at(target.span)
                    .help(
                        "the default applies to every external account: target `all`, and name \
                         users or groups in a partner block `cross_tenant <name>`",
                    ),
                ),
                CrossTenantTarget::Tenant(name) if is_microsoft_accounts(pack, index, name) => out
                    .add(
                        Diagnostic::error(
                            "E1133",
                            "tenant restrictions for Microsoft Accounts cannot target users or groups",
                        )
                        .at(target.span)
                        .help("user granularity is not available for Microsoft Accounts: target `all` and choose the apps"),
                    ),
                CrossTenantTarget::Tenant(_) => {}
            }
        }
    }
    if let Some(apps) = &s.apps {
        all_alone(apps, |t| *t == AppTarget::All, "apps", out);
        for target in &apps.targets {
            app_target(&target.value, target.span, out);
        }
    }
    if let (Some(users), Some(apps)) = (&s.users, &s.apps) {
        let blocks_all = |access: Access, all: bool| access == Access::Block && all;
        let users_all = blocks_all(
            users.access.value,
            users.targets.iter().any(|t| t.value == XtUserTarget::All),
        );
        let apps_all = blocks_all(
            apps.access.value,
            apps.targets.iter().any(|t| t.value == AppTarget::All),
        );
        if users_all != apps_all {
            let (at, what) = if users_all {
                (
                    apps.access.span,
                    "blocking all users requires blocking all apps",
                )
            } else {
                (
                    users.access.span,
                    "blocking all apps requires blocking all users",
                )
            };
            out.add(
                Diagnostic::error("E1132", what)
                    .at(at)
                    .help("tenant restrictions block all users and all apps together: write `tenant_restrictions = block`, or scope one of the two lists"),
            );
        }
    }
}

fn is_microsoft_accounts(pack: &Pack, index: &Index, name: &crate::model::Name) -> bool {
    index
        .tenants
        .get(&name.value)
        .and_then(|i| pack.tenants.get(*i))
        .and_then(|t| t.id.as_ref())
        .is_some_and(|id| id.value.eq_ignore_ascii_case(MICROSOFT_ACCOUNTS_TENANT))
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::codes_of;

    const NONE: [&str; 0] = [];

    #[test]
    fn documented_constraints() {
        assert_eq!(
            codes_of("cross_tenant default { tenant_restrictions = block }"),
            NONE
        );
        assert_eq!(
            codes_of("cross_tenant default { tenant_restrictions { } }"),
            ["E1130"]
        );
        assert_eq!(
            codes_of("cross_tenant default { tenant_restrictions { users block group \"g\" } }"),
            ["E1131"]
        );
        assert_eq!(
            codes_of("cross_tenant default { tenant_restrictions { users block all apps allow office365 } }"),
            ["E1132"]
        );
        assert_eq!(
            codes_of(
                "cross_tenant default { tenant_restrictions { users allow all apps block all } }"
            ),
            ["E1132"]
        );
        assert_eq!(
            codes_of(
                "cross_tenant default { tenant_restrictions { users block all apps block all } }"
            ),
            NONE
        );
        let msa = "tenant msa { id = \"9188040d-6c67-4c5b-b112-36a304b66dad\" domains = [\"live.com\"] }\n";
        assert_eq!(
            codes_of(&format!("{msa}cross_tenant msa {{ tenant_restrictions {{ users allow user \"u\" apps allow all }} }}")),
            ["E1133"]
        );
        assert_eq!(
            codes_of(&format!("{msa}cross_tenant msa {{ tenant_restrictions {{ users allow all apps allow app \"18fbca16-2224-45f6-85b0-f7bf2b39b3f3\" }} }}")),
            NONE
        );
    }
}

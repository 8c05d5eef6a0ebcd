//! SHR001: a site more permissive than the organisation's SharePoint level.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};

pub static RULE: Rule = Rule {
    code: "SHR001",
    name: "site_above_sharepoint",
    severity: Severity::Error,
    summary: "a site's sharing level is more permissive than the tenant's SharePoint level",
    explanation: "A site can be as permissive as the organisation's SharePoint level or stricter, \
never more: the effective site level is the more restrictive of the two (§7.1, site level). A \
site written above the organisation level does not get what it says. Levels from most \
restrictive: `only_organization`, `existing_guests`, `new_and_existing_guests`, `anyone`.",
    fires: r#"sharing {
  sharepoint = existing_guests
  site "https://contoso.sharepoint.com/sites/partners" = anyone
}"#,
    quiet: r#"sharing {
  sharepoint = new_and_existing_guests
  site "https://contoso.sharepoint.com/sites/partners" = existing_guests
}"#,
    fix: "lower the site's level to the organisation's, or raise `sharepoint`",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for sharing in &ctx.pack.sharing {
        // Unset, SharePoint is at the platform default `anyone` (§7.1): nothing is above it.
        let Some(org) = &sharing.sharepoint else {
            continue;
        };
        for site in sharing.sites.iter().filter(|s| s.level.value > org.value) {
            out.push(
                RULE.finding(format!(
                    "site `{}` is set to `{}`, more permissive than the SharePoint level `{}`",
                    site.url.value,
                    site.level.value.name(),
                    org.value.name()
                ))
                .at(site.level.span)
                .label(org.span, "the organisation's level")
                .help(format!(
                    "the site is effectively `{}`: set it to that level or stricter",
                    org.value.name()
                )),
            );
        }
    }
}

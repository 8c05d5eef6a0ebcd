//! SHR003: a domain both allowed and blocked, or a domain list given twice.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};
use crate::model::{Access, DomainList};

pub static RULE: Rule = Rule {
    code: "SHR003",
    name: "conflicting_domain_lists",
    severity: Severity::Error,
    summary: "a domain is both allowed and blocked, or the same kind of domain list appears twice",
    explanation: "Each service keeps one domain restriction: SharePoint/OneDrive and each site an \
allow list or a block list (`SharingDomainRestrictionMode`, §7.2), Entra B2B invitations an allow \
list or a block list, never both (§7.6), Teams external access an allow list, or a block list \
honoured only when all known domains are allowed (§7.4). A domain in both an allow and a block \
list of the same scope, or a second list of the same kind, has no meaning the platform can store.",
    fires: r#"sharing {
  domains allow ["fabrikam.com"]
  domains block ["fabrikam.com"]
}"#,
    quiet: r#"sharing {
  domains allow ["fabrikam.com", "litware.com"]
}"#,
    fix: "keep one list per scope, and each domain in one of them",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for sharing in &ctx.pack.sharing {
        check_scope("SharePoint and OneDrive", &sharing.domains, out);
        for site in &sharing.sites {
            check_scope(&format!("site `{}`", site.url.value), &site.domains, out);
        }
        if let Some(inv) = &sharing.invitations {
            check_scope("invitations", &inv.domains, out);
        }
        check_scope(
            "Teams external access",
            &sharing.teams_external_domains,
            out,
        );
    }
}

fn word(access: Access) -> &'static str {
    match access {
        Access::Allow => "allow",
        Access::Block => "block",
    }
}

fn check_scope(scope: &str, lists: &[DomainList], out: &mut Vec<Diagnostic>) {
    for (i, list) in lists.iter().enumerate() {
        let earlier = &lists[..i];
        if let Some(first) = earlier.iter().find(|l| l.access.value == list.access.value) {
            out.push(
                RULE.finding(format!(
                    "a second `{}` domain list for {scope}",
                    word(list.access.value)
                ))
                .at(list.span)
                .label(first.span, "first list here")
                .help("merge the two lists into one"),
            );
        }
        for domain in &list.domains {
            let other = earlier
                .iter()
                .filter(|l| l.access.value != list.access.value)
                .find(|l| {
                    l.domains
                        .iter()
                        .any(|d| d.value.eq_ignore_ascii_case(&domain.value))
                });
            if let Some(other) = other {
                out.push(
                    RULE.finding(format!(
                        "domain `{}` is both allowed and blocked for {scope}",
                        domain.value
                    ))
                    .at(domain.span)
                    .label(
                        other.span,
                        format!("`{}` list here", word(other.access.value)),
                    )
                    .help("keep the domain in one list only"),
                );
            }
        }
    }
}

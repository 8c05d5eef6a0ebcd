//! SHR004: a partner domain SharePoint allows and Teams blocks, or the reverse.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};
use crate::model::{Access, DomainList, Spanned};
use crate::source::Span;

pub static RULE: Rule = Rule {
    code: "SHR004",
    name: "inconsistent_partner_domains",
    severity: Severity::Warning,
    summary: "a domain no declared tenant owns is allowed by SharePoint sharing and blocked by Teams external access, or the reverse",
    explanation: "SharePoint/OneDrive domain restrictions (§7.2) and Teams external access \
(§7.4) are separate lists: Teams blocks a domain that is on its block list or missing from its \
allow list, or every domain when external access is off. A partner domain that one service lets \
in and the other shuts out, and that belongs to none of the tenants the pack declares, is most \
likely a list that was updated in one place only.",
    fires: r#"tenant fabrikam { domains = ["fabrikam.com"] }
sharing {
  domains allow ["fabrikam.com", "adatum.com"]
  teams external_access allow ["fabrikam.com"]
}"#,
    quiet: r#"tenant fabrikam { domains = ["fabrikam.com"] }
sharing {
  domains allow ["fabrikam.com", "adatum.com"]
  teams external_access allow ["fabrikam.com", "adatum.com"]
}"#,
    fix: "add the domain to the other service's list, or remove it from both; declare the \
partner as a `tenant` if it is one",
    check,
};

/// Whether `lists` let `domain` in (`Some(true)`), shut it out (`Some(false)` with the span of
/// the list that does), or say nothing about it.
fn verdict(lists: &[DomainList], domain: &str) -> Option<(bool, Span)> {
    let listed = |l: &DomainList| {
        l.domains
            .iter()
            .any(|d| d.value.eq_ignore_ascii_case(domain))
    };
    for l in lists {
        match (l.access.value, listed(l)) {
            (Access::Allow, true) => return Some((true, l.span)),
            (Access::Block, true) => return Some((false, l.span)),
            _ => {}
        }
    }
    // An allow list is exhaustive: anything missing from it is shut out.
    lists
        .iter()
        .find(|l| l.access.value == Access::Allow)
        .map(|l| (false, l.span))
}

fn allowed(lists: &[DomainList]) -> impl Iterator<Item = &Spanned<String>> {
    lists
        .iter()
        .filter(|l| l.access.value == Access::Allow)
        .flat_map(|l| &l.domains)
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let known = |d: &str| {
        ctx.pack
            .tenants
            .iter()
            .flat_map(|t| &t.domains)
            .any(|k| k.value.eq_ignore_ascii_case(d))
    };
    for sharing in &ctx.pack.sharing {
        let teams_off = sharing.teams_external_enabled.as_ref().filter(|e| !e.value);
        let teams = |d: &str| match teams_off {
            Some(off) => Some((false, off.span)),
            None => verdict(&sharing.teams_external_domains, d),
        };
        for domain in allowed(&sharing.domains).filter(|d| !known(&d.value)) {
            if let Some((false, span)) = teams(&domain.value) {
                out.push(finding(
                    domain,
                    "SharePoint sharing allows",
                    "Teams external access blocks",
                    span,
                ));
            }
        }
        if teams_off.is_some() {
            continue;
        }
        for domain in allowed(&sharing.teams_external_domains).filter(|d| !known(&d.value)) {
            if let Some((false, span)) = verdict(&sharing.domains, &domain.value) {
                out.push(finding(
                    domain,
                    "Teams external access allows",
                    "SharePoint sharing blocks",
                    span,
                ));
            }
        }
    }
}

fn finding(domain: &Spanned<String>, allows: &str, blocks: &str, span: Span) -> Diagnostic {
    RULE.finding(format!(
        "{allows} `{}` but {blocks} it, and no declared tenant owns that domain",
        domain.value
    ))
    .at(domain.span)
    .label(span, "blocked here")
    .help("update both lists together, or declare the partner as a `tenant` with this domain")
}

//! MTO001: a tenant listed in more than one organisation.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};
use crate::model::{MemberState, OrgMember, Organization};

pub static RULE: Rule = Rule {
    code: "MTO001",
    name: "tenant_in_two_organizations",
    severity: Severity::Error,
    summary: "a tenant appears in more than one multi-tenant organisation",
    explanation: "A tenant can create or join only one multi-tenant organisation (§5.2, \
constraints). A pack listing the same tenant (other than `removed`) in two `organization` blocks \
describes a state the platform cannot be in.",
    fires: r#"organization "Contoso Group" { contoso owner active  fabrikam member active }
organization "Fabrikam Partners" { fabrikam owner active }"#,
    quiet: r#"organization "Contoso Group" { contoso owner active  fabrikam member active }"#,
    fix: "keep the tenant in one organisation, or mark the old membership `removed`",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut seen: Vec<(&Organization, &OrgMember)> = Vec::new();
    for org in &ctx.pack.organizations {
        for member in org
            .members
            .iter()
            .filter(|m| m.state.value != MemberState::Removed)
        {
            let first = seen
                .iter()
                .find(|(o, m)| m.tenant.value == member.tenant.value && !std::ptr::eq(*o, org));
            match first {
                Some((first_org, first_member)) => out.push(
                    RULE.finding(format!(
                        "tenant `{}` is a member of both `{}` and `{}`",
                        member.tenant.value, first_org.name.value, org.name.value
                    ))
                    .at(member.span)
                    .label(first_member.span, "first listed here")
                    .help("a tenant can belong to one organisation only: remove one membership or mark it `removed`"),
                ),
                None => seen.push((org, member)),
            }
        }
    }
}

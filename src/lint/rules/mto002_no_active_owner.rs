//! MTO002: an organisation without an active owner.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};
use crate::model::{MemberState, OrgRole};

pub static RULE: Rule = Rule {
    code: "MTO002",
    name: "no_active_owner",
    severity: Severity::Error,
    summary: "an organisation has no active owner",
    explanation: "A multi-tenant organisation must have at least one active owner; the owner is \
the tenant that creates it and the MTO is deleted when the last active owner leaves (§5.2). A \
pending owner does not count: pending tenants are not part of the organisation yet (§5.2).",
    fires: r#"organization "Contoso Group" { contoso owner pending  fabrikam member active }"#,
    quiet: r#"organization "Contoso Group" { contoso owner active  fabrikam member active }"#,
    fix: "make an active tenant `owner`, or mark the owner `active` once it has joined",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for org in &ctx.pack.organizations {
        let has_owner = org
            .members
            .iter()
            .any(|m| m.role.value == OrgRole::Owner && m.state.value == MemberState::Active);
        if has_owner {
            continue;
        }
        let mut d = RULE
            .finding(format!(
                "organization `{}` has no active owner",
                org.name.value
            ))
            .at(org.name.span);
        for owner in org
            .members
            .iter()
            .filter(|m| m.role.value == OrgRole::Owner)
        {
            d = d.label(owner.state.span, "this owner is not active");
        }
        out.push(d.help("an organisation needs at least one `owner active` tenant"));
    }
}

//! MTO003: more active tenants than an organisation may hold.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};
use crate::model::MemberState;

/// Active tenants an organisation may have, the owner included (§5.2).
pub const MAX_ACTIVE: usize = 100;

pub static RULE: Rule = Rule {
    code: "MTO003",
    name: "too_many_tenants",
    severity: Severity::Error,
    summary: "an organisation has more than 100 active tenants",
    explanation: "A multi-tenant organisation holds at most 100 active tenants, the owner \
included; the limit is checked when a tenant joins, and more may be added as pending (§5.2; an \
older limit of 5 is superseded, §9 point 6).",
    fires: r#"organization "Huge Group" {
  t1 owner active  t2 member active  # ... up to t101 member active
}"#,
    quiet: r#"organization "Contoso Group" { contoso owner active  fabrikam member pending }"#,
    fix: "keep at most 100 tenants `active`; the rest can stay `pending` until the limit is raised",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for org in &ctx.pack.organizations {
        let active: Vec<_> = org
            .members
            .iter()
            .filter(|m| m.state.value == MemberState::Active)
            .collect();
        if active.len() <= MAX_ACTIVE {
            continue;
        }
        // No label on the members: the snippet would list a hundred lines.
        out.push(
            RULE.finding(format!(
                "organization `{}` has {} active tenants, more than the {MAX_ACTIVE} allowed",
                org.name.value,
                active.len()
            ))
            .at(org.name.span)
            .help("at most 100 tenants can be active; keep the others `pending`"),
        );
    }
}

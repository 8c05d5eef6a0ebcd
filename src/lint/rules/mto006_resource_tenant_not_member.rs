//! MTO006: the declared organisation does not contain the resource tenant.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};
use crate::model::MemberState;

pub static RULE: Rule = Rule {
    code: "MTO006",
    name: "resource_tenant_not_member",
    severity: Severity::Error,
    summary: "the resource tenant is not a member of the organisation the pack declares",
    explanation: "In-organization and out-of-organization users are defined relative to the \
resource tenant's own multi-tenant organisation (§5.4). An `organization` block that does not \
list the resource tenant (or lists it as `removed`) cannot be the resource tenant's organisation, \
so `from organization` means nothing and the pack is inconsistent.",
    fires: r#"resource tenant contoso { }
organization "Fabrikam Group" { fabrikam owner active  litware member active }"#,
    quiet: r#"resource tenant contoso { }
organization "Contoso Group" { contoso owner active  fabrikam member active }"#,
    fix: "add the resource tenant to the organisation, or remove the `organization` block if the \
resource tenant is not in one",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(resource) = ctx.facts.resource else {
        return;
    };
    let is_member = |o: &crate::model::Organization| {
        o.members
            .iter()
            .any(|m| m.tenant.value == resource.name.value && m.state.value != MemberState::Removed)
    };
    if ctx.pack.organizations.is_empty() || ctx.pack.organizations.iter().any(is_member) {
        return;
    }
    for org in &ctx.pack.organizations {
        out.push(
            RULE.finding(format!(
                "resource tenant `{}` is not a member of organization `{}`",
                resource.name.value, org.name.value
            ))
            .at(org.name.span)
            .label(resource.name.span, "the resource tenant")
            .help(format!(
                "add `{} owner active` (or `member`) to the organisation",
                resource.name.value
            )),
        );
    }
}

//! MTO004: an active tenant of our organisation without cross-tenant settings of its own.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};
use crate::model::MemberState;

pub static RULE: Rule = Rule {
    code: "MTO004",
    name: "member_without_cross_tenant",
    severity: Severity::Warning,
    summary: "an active tenant of the organisation has no `cross_tenant` block of its own",
    explanation:
        "Every active tenant of a multi-tenant organisation must have cross-tenant access \
settings for every other active tenant (§5.2, constraints). The platform creates missing partner \
configurations in an unconfigured state that passes through to `default` (§5.3), so the pack no \
longer says what applies to the organisation's own users.",
    fires: r#"resource tenant contoso { }
tenant fabrikam { }
organization "Contoso Group" { contoso owner active  fabrikam member active }"#,
    quiet: r#"resource tenant contoso { }
tenant fabrikam { }
organization "Contoso Group" { contoso owner active  fabrikam member active }
cross_tenant fabrikam { trust mfa }"#,
    fix: "add a `cross_tenant <tenant> { ... }` block for each active member",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(org) = ctx.facts.organization else {
        return;
    };
    let resource = ctx.facts.resource.map(|r| r.name.value.as_str());
    for member in &org.members {
        let name = member.tenant.value.as_str();
        if member.state.value != MemberState::Active
            || Some(name) == resource
            || ctx.facts.partner(name).is_some()
        {
            continue;
        }
        out.push(
            RULE.finding(format!(
                "active member `{name}` of `{}` has no `cross_tenant` block of its own",
                org.name.value
            ))
            .at(member.span)
            .help(format!(
                "add `cross_tenant {name} {{ ... }}` with the settings its users should get"
            )),
        );
    }
}

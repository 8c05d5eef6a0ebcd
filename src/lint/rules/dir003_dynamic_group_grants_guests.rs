//! DIR003: a dynamic group whose rule takes in guests grants them access.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};
use crate::model::{Assignee, Audience, GroupKind};

pub static RULE: Rule = Rule {
    code: "DIR003",
    name: "dynamic_group_grants_guests",
    severity: Severity::Warning,
    summary: "a dynamic group that takes in every user (or every guest) is assigned to an app, or is a Microsoft 365 group open to guests",
    explanation: "A dynamic membership rule such as `user.objectId -ne null` (\"All users\") \
takes in external users too: \"If your organization is using the all users dynamic membership \
group condition ... this policy affects external users because they are in scope of all users\" \
(\"Common considerations for multitenant user management\", dynamic membership groups, \
https://learn.microsoft.com/entra/architecture/multi-tenant-common-considerations). Assigning \
such a group to an app that requires assignment admits every guest, which defeats the \
requirement; a Microsoft 365 group with such a rule and guests allowed makes every guest a \
member of its team and site.",
    fires: r#"directory {
  group "All users" { members = dynamic 'user.objectId -ne null' }
  app "Payroll" {
    id = "11111111-2222-4333-8444-555555555555"
    assignment_required
    assigned = [group "All users"]
  }
}"#,
    quiet: r#"directory {
  group "All members" { members = dynamic 'user.userType -eq "Member"' }
  app "Payroll" {
    id = "11111111-2222-4333-8444-555555555555"
    assignment_required
    assigned = [group "All members"]
  }
}"#,
    fix: "restrict the rule to members (`user.userType -eq \"Member\"`), or assign a group \
whose members are chosen",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let dirs = &ctx.pack.directory;
    for g in dirs.iter().flat_map(|d| &d.groups) {
        let Some(audience @ (Audience::AllUsers | Audience::Guests)) = g.audience() else {
            continue;
        };
        let who = if audience == Audience::AllUsers {
            "every user, guests included"
        } else {
            "every guest"
        };
        let rule_span = g.dynamic.as_ref().map(|r| r.span);
        for app in dirs.iter().flat_map(|d| &d.apps) {
            let Some(t) = app.assigned.iter().find(
                |t| matches!(&t.value, Assignee::Group(n) if n.eq_ignore_ascii_case(&g.name.value)),
            ) else {
                continue;
            };
            let mut d = RULE
                .finding(format!(
                    "dynamic group `{}` takes in {who}, and is assigned to `{}`",
                    g.name.value, app.name.value
                ))
                .at(t.span);
            if let Some(s) = rule_span {
                d = d.label(s, "the membership rule");
            }
            out.push(d.help(
                "assign a group whose rule excludes guests (`user.userType -eq \"Member\"`) or whose members are chosen",
            ));
        }
        let guests_allowed = g.guests.as_ref().is_none_or(|v| v.value);
        if g.kind() == GroupKind::Microsoft365 && guests_allowed {
            let mut d = RULE
                .finding(format!(
                    "Microsoft 365 group `{}` takes in {who} by its dynamic rule, and guests are allowed in it",
                    g.name.value
                ))
                .at(g.name.span);
            if let Some(s) = rule_span {
                d = d.label(s, "the membership rule");
            }
            out.push(d.help("set `guests = blocked`, or restrict the rule to members"));
        }
    }
}

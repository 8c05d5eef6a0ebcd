//! SHR006: Teams and Microsoft 365 Groups disagree on guest access.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};

pub static RULE: Rule = Rule {
    code: "SHR006",
    name: "teams_groups_guest_mismatch",
    severity: Severity::Info,
    summary: "Teams guest access is on while Groups guest access is off, or the reverse",
    explanation: "Teams guest access depends on guest access being enabled for Microsoft 365 \
Groups (§7.4), and guests of a group reach its Teams team (§7.5). With one on and the other off, \
guests are invited where they cannot work, or a setting that looks closed is open elsewhere. \
Groups guest access is on by default (§7.5); the rule compares a written Teams setting with the \
Groups setting or its default.",
    fires: r#"sharing {
  teams guest_access = on
  groups guest_access = off
}"#,
    quiet: r#"sharing {
  teams guest_access = on
  groups guest_access = on
}"#,
    fix: "turn both on or both off",
    check,
};

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for sharing in &ctx.pack.sharing {
        let Some(teams) = &sharing.teams_guest_access else {
            continue;
        };
        let groups = sharing.groups_guest_access.as_ref();
        let groups_on = groups.is_none_or(|g| g.value);
        if teams.value == groups_on {
            continue;
        }
        let mut d = RULE
            .finding(format!(
                "Teams guest access is {} but Groups guest access is {}{}",
                on_off(teams.value),
                on_off(groups_on),
                if groups.is_none() {
                    " (the default)"
                } else {
                    ""
                }
            ))
            .at(teams.span);
        if let Some(g) = groups {
            d = d.label(g.span, "Groups guest access");
        }
        out.push(d.help(format!(
            "set `groups guest_access = {}` or `teams guest_access = {}`",
            on_off(teams.value),
            on_off(groups_on)
        )));
    }
}

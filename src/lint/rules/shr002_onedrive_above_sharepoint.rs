//! SHR002: OneDrive more permissive than SharePoint.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};

pub static RULE: Rule = Rule {
    code: "SHR002",
    name: "onedrive_above_sharepoint",
    severity: Severity::Error,
    summary: "OneDrive's sharing level is more permissive than SharePoint's",
    explanation: "OneDrive's organisation-wide sharing level may equal SharePoint's or be more \
restrictive, never more permissive (§7.1, OneDrive). The rule fires when both are written and \
OneDrive's is above SharePoint's.",
    fires: r#"sharing {
  sharepoint = existing_guests
  onedrive   = anyone
}"#,
    quiet: r#"sharing {
  sharepoint = new_and_existing_guests
  onedrive   = existing_guests
}"#,
    fix: "set `onedrive` to SharePoint's level or stricter",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for sharing in &ctx.pack.sharing {
        let (Some(sp), Some(od)) = (&sharing.sharepoint, &sharing.onedrive) else {
            continue;
        };
        if od.value <= sp.value {
            continue;
        }
        out.push(
            RULE.finding(format!(
                "OneDrive is set to `{}`, more permissive than SharePoint's `{}`",
                od.value.name(),
                sp.value.name()
            ))
            .at(od.span)
            .label(sp.span, "SharePoint's level")
            .help(format!(
                "set `onedrive = {}` or a stricter level",
                sp.value.name()
            )),
        );
    }
}

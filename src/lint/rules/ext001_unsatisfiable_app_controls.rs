//! EXT001: approved-app or app-protection grants that external users can never meet.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::facts::{grant_met, EXTERNALLY_AUTHENTICATED};
use crate::lint::{Context, Rule};
use crate::model::{Control, PolicyState};

pub static RULE: Rule = Rule {
    code: "EXT001",
    name: "unsatisfiable_app_controls",
    severity: Severity::Error,
    summary: "a policy requires an approved app or app protection of guests or external users",
    explanation:
        "`approved_app` and `app_protection` need the device to be registered and managed \
in the resource tenant; a device can only be managed by its home tenant, so external users can \
never satisfy these controls and are locked out (§4.4, support matrix and \"MAM/approved app\"). \
The rule fires when the grant cannot be met without them: the control alone, inside `all(...)`, \
or an `any(...)` of only such controls. `off` policies are skipped; `report_only` ones are \
checked, since they are meant to be turned on.",
    fires: r#"policy "App protection on mobile" {
  users { include all }
  apps  { include office365 }
  grant any(approved_app, app_protection)
}"#,
    quiet: r#"policy "App protection on mobile" {
  users { include all  exclude guests_or_external }
  apps  { include office365 }
  grant any(approved_app, app_protection)
}"#,
    fix: "exclude `guests_or_external` from the policy, or offer a control externals can meet \
(`any(app_protection, mfa)`)",
    check,
};

fn is_app_control(c: &Control) -> bool {
    matches!(c, Control::ApprovedApp | Control::AppProtection)
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for policy in &ctx.pack.policies {
        let Some(grant) = &policy.grant else { continue };
        if policy.state.value == PolicyState::Off || grant.is_block() {
            continue;
        }
        let uses_app_controls = grant.controls.iter().any(|c| is_app_control(&c.value));
        if !uses_app_controls || grant_met(grant, |c| !is_app_control(c)) {
            continue;
        }
        let Some(reach) = ctx.facts.reaches_any(policy, &EXTERNALLY_AUTHENTICATED) else {
            continue;
        };
        out.push(
            RULE.finding(format!(
                "policy `{}` requires an approved app or app protection of guests and external users, who can never satisfy it",
                policy.name.value
            ))
            .at(grant.span)
            .label(reach, "this includes guests and external users")
            .help("exclude `guests_or_external` in `users { ... }`, or add a control they can meet such as `any(app_protection, mfa)`"),
        );
    }
}

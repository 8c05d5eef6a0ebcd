//! DIR004: a sensitive app that does not require assignment, which guests can reach.

use crate::diagnostic::{Diagnostic, Severity};
use crate::eval;
use crate::lint::{Context, Rule};
use crate::model::request::{AppRef, Request, RequestUser, UserType};

pub static RULE: Rule = Rule {
    code: "DIR004",
    name: "sensitive_app_open_to_guests",
    severity: Severity::Warning,
    summary: "an app marked `sensitive` does not require assignment, and the cross-tenant settings let B2B guests reach it",
    explanation: "Applications registered in a tenant are, by default, available to all users of \
the tenant who authenticate successfully, guests included: \"If an application has the User \
assignment required? property set to No, external users can access the application\" \
(\"Common considerations for multitenant user management\", deny by default, \
https://learn.microsoft.com/entra/architecture/multi-tenant-common-considerations; \"Restrict \
a Microsoft Entra app to a set of users\", \
https://learn.microsoft.com/entra/identity-platform/howto-restrict-your-app-to-a-set-of-users). \
The rule asks the cross-tenant gate (§4.3), for a B2B guest from each declared partner and from \
any other tenant, whether it lets the guest reach the app; Conditional Access may still ask \
for MFA, but it does not choose who may use the app.",
    fires: r#"directory {
  app "Payroll" { id = "11111111-2222-4333-8444-555555555555"  sensitive }
}"#,
    quiet: r#"directory {
  app "Payroll" {
    id = "11111111-2222-4333-8444-555555555555"
    sensitive
    assignment_required
    assigned = [group "Payroll team"]
  }
}"#,
    fix: "add `assignment_required` and assign the users or groups that need the app",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let c = ctx.compiled;
    for app in ctx.pack.directory.iter().flat_map(|d| &d.apps) {
        let (Some(sensitive), None, Some(id)) = (app.sensitive, app.assignment_required, &app.id)
        else {
            continue;
        };
        let mut homes: Vec<String> = ctx
            .pack
            .tenants
            .iter()
            .filter(|t| !t.resource)
            .filter_map(|t| {
                t.domains
                    .first()
                    .map(|d| d.value.clone())
                    .or_else(|| t.id.as_ref().map(|i| i.value.clone()))
            })
            .collect();
        homes.push(crate::analysis::space::UNDECLARED_TENANT.to_string());
        let open: Vec<String> = homes
            .into_iter()
            .filter(|home| guest_passes_gate(c, home, &id.value))
            .collect();
        if open.is_empty() {
            continue;
        }
        out.push(
            RULE.finding(format!(
                "sensitive app `{}` does not require assignment, and B2B guests from {} reach it",
                app.name.value,
                crate::lint::facts::and_list(
                    &open
                        .iter()
                        .map(|h| if h == crate::analysis::space::UNDECLARED_TENANT {
                            "any undeclared tenant".to_string()
                        } else {
                            format!("`{h}`")
                        })
                        .collect::<Vec<_>>()
                )
            ))
            .at(app.name.span)
            .label(sensitive, "marked sensitive")
            .help("add `assignment_required` and assign the users or groups that need it"),
        );
    }
}

/// Whether the cross-tenant gate admits a B2B guest (in no group) from `home` to the app.
fn guest_passes_gate(c: &eval::Compiled, home: &str, app_id: &str) -> bool {
    let request = Request {
        user: RequestUser {
            name: format!("guest@{home}"),
            user_type: UserType::Guest,
            home: Some(home.to_string()),
            kind: None,
            groups: Vec::new(),
            roles: Vec::new(),
            groups_unknown: false,
            roles_unknown: false,
            home_groups_unknown: false,
        },
        app: match crate::model::catalog::FirstPartyApp::from_id(app_id) {
            Some(a) => AppRef::Named(a),
            None => AppRef::Id(app_id.to_ascii_lowercase()),
        },
        client_app: crate::model::ClientApp::Browser,
        device: Default::default(),
        network: Default::default(),
        auth: Default::default(),
        risk: Default::default(),
    };
    let Ok(r) = eval::resolve(c, &request) else {
        return false;
    };
    let (class, settings) = eval::classify::classify(c, &r);
    eval::classify::gate(c, &r, &class, settings).allows()
}

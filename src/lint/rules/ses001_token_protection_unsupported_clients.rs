//! SES001: token protection on a policy whose scope includes clients or platforms that cannot
//! present a device-bound token, which the platform then blocks.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};
use crate::model::{ClientApp, Platform, Policy, PolicyState};

pub static RULE: Rule = Rule {
    code: "SES001",
    name: "token_protection_unsupported_clients",
    severity: Severity::Warning,
    summary: "token protection applies to browsers or platforms that cannot bind a token",
    explanation:
        "Token protection accepts only sign-in sessions whose token is bound to the device and \
blocks every other sign-in in the policy's scope. Only native applications can bind a token \
(browser-based applications are not supported), and only on Windows (generally available), macOS \
and iOS/iPadOS (preview) (Microsoft Learn, \"Token protection in Conditional Access\", \
https://learn.microsoft.com/entra/identity/conditional-access/concept-token-protection). A policy \
that leaves `client_apps` or `platforms` open therefore blocks browser sign-ins and Android or \
Linux devices outright, which is rarely what was meant. The documented setup is `client_apps = \
[mobile_desktop]` with `platforms = include(windows)` (plus `macos`, `ios` for the preview). `off` \
policies are skipped.",
    fires: r#"policy "Token protection for Exchange" {
  users    { include all }
  apps     { include exchange }
  session  { token_protection }
}"#,
    quiet: r#"policy "Token protection for Exchange" {
  users      { include all }
  apps       { include exchange }
  conditions { platforms = include(windows)  client_apps = [mobile_desktop] }
  session    { token_protection }
}"#,
    fix: "restrict the policy to `client_apps = [mobile_desktop]` and `platforms = include(windows)` \
(or the preview platforms `macos`, `ios`)",
    check,
};

/// Platforms with token protection support (generally available or preview).
const SUPPORTED: [Platform; 3] = [Platform::Windows, Platform::Macos, Platform::Ios];

/// The client app types in scope that cannot bind a token (`None`: the condition is absent).
fn unsupported_clients(policy: &Policy) -> Vec<&'static str> {
    match &policy.conditions.client_apps {
        None => vec!["browser", "legacy clients"],
        Some(list) => {
            let mut out = Vec::new();
            for c in &list.value {
                let name = match c.value {
                    ClientApp::MobileDesktop => continue,
                    ClientApp::Browser => "browser",
                    ClientApp::ExchangeActiveSync | ClientApp::Other => "legacy clients",
                };
                if !out.contains(&name) {
                    out.push(name);
                }
            }
            out
        }
    }
}

/// The platforms in scope without token protection support.
fn unsupported_platforms(policy: &Policy) -> Vec<&'static str> {
    let (include, exclude): (Vec<Platform>, Vec<Platform>) = match &policy.conditions.platforms {
        None => (vec![Platform::All], Vec::new()),
        Some(p) => (
            p.include.iter().map(|x| x.value).collect(),
            p.exclude.iter().map(|x| x.value).collect(),
        ),
    };
    Platform::ALL
        .into_iter()
        .filter(|p| *p != Platform::All && !SUPPORTED.contains(p))
        .filter(|p| include.contains(p) || include.contains(&Platform::All))
        .filter(|p| !exclude.contains(p) && !exclude.contains(&Platform::All))
        .map(Platform::name)
        .collect()
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for policy in &ctx.pack.policies {
        if policy.state.value == PolicyState::Off {
            continue;
        }
        let Some(span) = policy.session.as_ref().and_then(|s| s.token_protection) else {
            continue;
        };
        let clients = unsupported_clients(policy);
        let platforms = unsupported_platforms(policy);
        if clients.is_empty() && platforms.is_empty() {
            continue;
        }
        let listed: Vec<String> = clients
            .iter()
            .chain(&platforms)
            .map(|b| format!("`{b}`"))
            .collect();
        let mut finding = RULE
            .finding(format!(
                "policy `{}` requires token protection, which blocks every sign-in in its scope that cannot bind a token: {}",
                policy.name.value,
                listed.join(", ")
            ))
            .at(span);
        if let (Some(c), false) = (&policy.conditions.client_apps, clients.is_empty()) {
            finding = finding.label(c.span, "these client apps include more than native apps");
        }
        if let (Some(p), false) = (&policy.conditions.platforms, platforms.is_empty()) {
            finding = finding.label(p.span, "these platforms include unsupported ones");
        }
        out.push(finding.help(
            "add `client_apps = [mobile_desktop]` and `platforms = include(windows)` (or `macos`, `ios`) to the policy's conditions",
        ));
    }
}

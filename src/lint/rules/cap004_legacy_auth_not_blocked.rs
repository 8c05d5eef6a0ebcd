//! CAP004: no policy blocks legacy authentication.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::facts::is_on;
use crate::lint::{Context, Rule};
use crate::model::{ClientApp, Policy};

pub static RULE: Rule = Rule {
    code: "CAP004",
    name: "legacy_auth_not_blocked",
    severity: Severity::Info,
    summary: "no enabled policy blocks legacy authentication",
    explanation: "Legacy-authentication clients (`exchange_active_sync` and `other`: IMAP, POP, \
SMTP, EWS...) cannot do MFA or present device state (§1.7), so MFA policies do not protect them; \
the usual answer is a policy that blocks them, with \
`client_apps = [exchange_active_sync, other]` and `grant block`. The finding is about the whole \
pack and points at the resource tenant.",
    fires: r#"resource tenant contoso { }
policy "MFA for everyone" {
  users { include all  exclude group "Emergency access" }
  apps  { include all }
  grant mfa
}"#,
    quiet: r#"resource tenant contoso { }
policy "Block legacy authentication" {
  users      { include all  exclude group "Emergency access" }
  apps       { include all }
  conditions { client_apps = [exchange_active_sync, other] }
  grant block
}"#,
    fix: "add an enabled policy with `client_apps = [exchange_active_sync, other]` and \
`grant block`",
    check,
};

fn blocks_legacy(policy: &Policy) -> bool {
    let Some(apps) = &policy.conditions.client_apps else {
        return false;
    };
    let has = |c: ClientApp| apps.value.iter().any(|a| a.value == c);
    is_on(policy)
        && policy.grant.as_ref().is_some_and(|g| g.is_block())
        && has(ClientApp::ExchangeActiveSync)
        && has(ClientApp::Other)
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let pack = ctx.pack;
    if pack.policies.is_empty() || pack.policies.iter().any(blocks_legacy) {
        return;
    }
    let anchor = ctx
        .facts
        .resource
        .map(|t| t.name.span)
        .or_else(|| pack.policies.first().map(|p| p.name.span));
    let mut d = RULE.finding("no enabled policy blocks legacy authentication");
    if let Some(span) = anchor {
        d = d.at(span);
    }
    out.push(d.help(
        "add a policy with `conditions { client_apps = [exchange_active_sync, other] }` and `grant block`",
    ));
}

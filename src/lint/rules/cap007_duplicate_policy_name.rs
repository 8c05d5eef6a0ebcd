//! CAP007: two policies with the same name.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};

pub static RULE: Rule = Rule {
    code: "CAP007",
    name: "duplicate_policy_name",
    severity: Severity::Error,
    summary: "two policies share a name",
    explanation: "Entra identifies policies by id, so it accepts two policies with the same \
`displayName` (§1.1), but everything a person reads, the What If tool, sign-in logs and \
report-only results, names them by display name (§2.3, §2.4), and accord matches tests, traces \
and Graph exports by name. Two policies with one name cannot be told apart.",
    fires: r#"policy "MFA for guests" { users { include guests_or_external }  apps { include all }  grant mfa }
policy "MFA for guests" { users { include guests_or_external }  apps { include office365 }  grant mfa }"#,
    quiet: r#"policy "MFA for guests" { users { include guests_or_external }  apps { include all }  grant mfa }
policy "MFA for guests on Office 365" { users { include guests_or_external }  apps { include office365 }  grant mfa }"#,
    fix: "give each policy a distinct name",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let policies = &ctx.pack.policies;
    for (i, policy) in policies.iter().enumerate() {
        if let Some(first) = policies[..i]
            .iter()
            .find(|p| p.name.value == policy.name.value)
        {
            out.push(
                RULE.finding(format!("two policies are named `{}`", policy.name.value))
                    .at(policy.name.span)
                    .label(first.name.span, "first policy with this name")
                    .help("rename one of them"),
            );
        }
    }
}

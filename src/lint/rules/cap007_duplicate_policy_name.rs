//! CAP007: two policies with the same name.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};

pub static RULE: Rule = Rule {
    code: "CAP007",
    name: "duplicate_policy_name",
    severity: Severity::Error,
    summary: "two policies share a name, up to letter case and spacing",
    explanation: "Entra identifies policies by id, so it accepts two policies with the same \
`displayName` (§1.1), but everything a person reads, the What If tool, sign-in logs and \
report-only results, names them by display name (§2.3, §2.4). Validation already rejects two \
policies with exactly the same name (`E1050`: accord's tests and traces name policies); this rule \
catches names that differ only in letter case or spacing, which people cannot tell apart in those \
lists either.",
    fires: r#"policy "MFA for guests" { users { include guests_or_external }  apps { include all }  grant mfa }
policy "MFA for  Guests" { users { include guests_or_external }  apps { include office365 }  grant mfa }"#,
    quiet: r#"policy "MFA for guests" { users { include guests_or_external }  apps { include all }  grant mfa }
policy "MFA for guests on Office 365" { users { include guests_or_external }  apps { include office365 }  grant mfa }"#,
    fix: "give each policy a name that differs in words, not only in case or spacing",
    check,
};

/// A name as people compare it: letter case and runs of spaces ignored.
fn normalized(name: &str) -> String {
    name.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let policies = &ctx.pack.policies;
    for (i, policy) in policies.iter().enumerate() {
        let name = normalized(&policy.name.value);
        if let Some(first) = policies[..i]
            .iter()
            .find(|p| normalized(&p.name.value) == name)
        {
            out.push(
                RULE.finding(format!(
                    "policies `{}` and `{}` have the same name but for letter case or spacing",
                    first.name.value, policy.name.value
                ))
                .at(policy.name.span)
                .label(first.name.span, "the other policy")
                .help("rename one of them so that the names differ in words"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalized;

    #[test]
    fn case_and_spacing_do_not_count() {
        assert_eq!(normalized(" MFA  for\tGuests "), "mfa for guests");
    }
}

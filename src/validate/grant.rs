//! Grant controls (§1.13).

use super::policies::targets_all_apps;
use super::{keyword_span, repeats, Findings};
use crate::diagnostic::Diagnostic;
use crate::model::{Control, Grant, GrantOp, Policy};
use crate::source::Span;

pub(super) fn check(policy: &Policy, out: &mut Findings) {
    grants_something(policy, out);
    let Some(grant) = &policy.grant else { return };
    block_alone(grant, out);
    repeated(grant, out);
    password_change(policy, grant, out);
}

/// `E1065`: the platform requires a grant or a session control.
fn grants_something(policy: &Policy, out: &mut Findings) {
    let grant = policy.grant.as_ref().filter(|g| !g.controls.is_empty());
    let session = policy.session.as_ref().filter(|s| !s.is_empty());
    if grant.is_some() || session.is_some() {
        return;
    }
    // A control the language does not model (imported as an extension) still counts.
    let extended = super::policies::extends(policy, "/grantControls")
        || super::policies::extends(policy, "/sessionControls");
    if extended {
        return;
    }
    // A grant or session that lowering emptied is the reason: scope the finding to them.
    let scope = match (&policy.grant, &policy.session) {
        (Some(g), Some(s)) => g.span.to(s.span),
        (Some(g), None) => g.span,
        (None, Some(s)) => s.span,
        (None, None) => policy.name.span,
    };
    out.add_in(
        scope,
        Diagnostic::error(
            "E1065",
            format!("policy `{}` grants nothing", policy.name.value),
        )
        .at(policy.name.span)
        .help(
            "add a grant such as `grant mfa` or `grant block`, or a `session { ... }` control: \
             the platform requires one of them",
        ),
    );
}

/// `E1060`: `block` stands alone.
fn block_alone(grant: &Grant, out: &mut Findings) {
    let Some(block) = grant.controls.iter().find(|c| c.value == Control::Block) else {
        return;
    };
    let others: Vec<_> = grant
        .controls
        .iter()
        .filter(|c| c.value != Control::Block)
        .collect();
    if others.is_empty() {
        return;
    }
    let mut d = Diagnostic::error("E1060", "`block` cannot be combined with other controls")
        .at(block.span)
        .help("a blocked sign-in cannot satisfy a control: write `grant block` alone, or drop `block`");
    for other in others {
        d = d.label(
            other.span,
            format!("`{}` combined here", other.value.keyword()),
        );
    }
    out.add(d);
}

/// `E1061`: a control required twice; at most one authentication strength (a single
/// `authenticationStrength` in Graph).
fn repeated(grant: &Grant, out: &mut Findings) {
    let keys = grant.controls.iter().map(|c| {
        let key = match &c.value {
            Control::TermsOfUse(name) | Control::Custom(name) => {
                format!("{} {name:?}", c.value.keyword())
            }
            other => other.keyword().to_string(),
        };
        (key, c.span)
    });
    for (key, span, first) in repeats(keys) {
        let message = if key == "auth_strength" {
            "a policy requires one authentication strength at most".to_string()
        } else {
            format!("`{key}` is required twice")
        };
        out.add(
            Diagnostic::error("E1061", message)
                .at(span)
                .label(first, "first required here")
                .help("keep one of them"),
        );
    }
}

/// `E1062`-`E1064`: the platform's restrictions on `password_change` (§1.13).
fn password_change(policy: &Policy, grant: &Grant, out: &mut Findings) {
    let Some(change) = grant
        .controls
        .iter()
        .find(|c| c.value == Control::PasswordChange)
    else {
        return;
    };
    if !targets_all_apps(policy) {
        let mut d = Diagnostic::error(
            "E1062",
            "`password_change` requires a policy that targets all apps",
        )
        .at(change.span)
        .help("write `apps { include all }`");
        if policy.apps.span != policy.span {
            d = d.label(
                keyword_span(policy.apps.span, "apps"),
                "the policy targets these apps",
            );
        }
        out.add(d);
    }
    for other in grant.controls.iter().filter(|c| {
        !matches!(
            c.value,
            Control::PasswordChange | Control::Mfa | Control::Block
        )
    }) {
        out.add(
            Diagnostic::error(
                "E1063",
                format!(
                    "`password_change` cannot be combined with `{}`",
                    other.value.keyword()
                ),
            )
            .at(other.span)
            .label(change.span, "password change required here")
            .help("write `grant all(mfa, password_change)`, and require other controls in another policy"),
        );
    }
    if grant.op.value == GrantOp::Any {
        out.add(
            Diagnostic::error(
                "E1063",
                "`password_change` cannot be one choice of `any(...)`",
            )
            .at(keyword_span(grant.op.span, "any"))
            .label(change.span, "password change required here")
            .help("write `grant all(mfa, password_change)`: MFA comes before the change"),
        );
    }
    let c = &policy.conditions;
    let devices: Option<Span> = c.devices.as_ref().map(|d| d.mode.span.to(d.rule.span));
    let others = [
        ("platforms", c.platforms.as_ref().map(|x| x.span)),
        ("locations", c.locations.as_ref().map(|x| x.span)),
        ("client_apps", c.client_apps.as_ref().map(|x| x.span)),
        ("sign_in_risk", c.sign_in_risk.as_ref().map(|x| x.span)),
        ("insider_risk", c.insider_risk.as_ref().map(|x| x.span)),
        ("devices", devices),
        ("auth_flows", c.auth_flows.as_ref().map(|x| x.span)),
    ];
    for (name, span) in others {
        let Some(span) = span else { continue };
        out.add(
            Diagnostic::error(
                "E1064",
                format!("a `password_change` policy cannot have a `{name}` condition"),
            )
            .at(span)
            .label(change.span, "password change required here")
            .help("only users, all apps and `user_risk` may be conditions of such a policy"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::codes_of;

    const NONE: [&str; 0] = [];

    fn grant(g: &str) -> Vec<String> {
        codes_of(&format!(
            "policy \"p\" {{ users {{ include all }} apps {{ include all }} {g} }}"
        ))
    }

    #[test]
    fn a_policy_must_grant_or_control_the_session() {
        assert_eq!(grant(""), ["E1065"]);
        assert_eq!(grant("session { }"), ["E1065"]);
        assert_eq!(grant("session { sign_in_frequency = 8h }"), NONE);
        assert_eq!(grant("grant block"), NONE);
    }

    #[test]
    fn block_stands_alone() {
        assert_eq!(grant("grant any(block, mfa)"), ["E1060"]);
        assert_eq!(grant("grant all(mfa, block, compliant_device)"), ["E1060"]);
        assert_eq!(grant("grant all(block)"), NONE);
        assert_eq!(grant("grant any(mfa)"), NONE);
    }

    #[test]
    fn controls_are_required_once() {
        assert_eq!(grant("grant all(mfa, mfa)"), ["E1061"]);
        assert_eq!(
            grant("grant all(auth_strength mfa, auth_strength phishing_resistant)"),
            ["E1061"]
        );
        assert_eq!(
            grant("grant all(terms_of_use \"a\", terms_of_use \"b\")"),
            NONE
        );
        assert_eq!(
            grant("grant all(terms_of_use \"a\", terms_of_use \"a\")"),
            ["E1061"]
        );
    }

    #[test]
    fn password_change_restrictions() {
        assert_eq!(grant("grant all(mfa, password_change)"), NONE);
        assert_eq!(grant("grant password_change"), NONE);
        assert_eq!(
            grant("grant all(password_change, compliant_device)"),
            ["E1063"]
        );
        assert_eq!(grant("grant any(mfa, password_change)"), ["E1063"]);
        assert_eq!(
            grant("conditions { user_risk = [high] } grant all(mfa, password_change)"),
            NONE
        );
        assert_eq!(
            grant("conditions { sign_in_risk = [high]  platforms = include(ios) } grant all(mfa, password_change)"),
            ["E1064", "E1064"]
        );
        assert_eq!(
            grant("conditions { user_risk = [high]  insider_risk = [elevated] } grant all(mfa, password_change)"),
            ["E1064"]
        );
        assert_eq!(
            codes_of("policy \"p\" { users { include all } apps { include office365 } grant all(mfa, password_change) }"),
            ["E1062"]
        );
        assert_eq!(
            codes_of("policy \"p\" { users { include all } apps { include all exclude office365 } grant all(mfa, password_change) }"),
            NONE
        );
    }
}

//! EXT008: an authentication strength required of external users who cannot meet it.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::facts::{and_list, external_can_meet, grant_met, is_on, Home, Trusted};
use crate::lint::{Context, Rule};
use crate::model::strength::{Combinations, MethodsAt};
use crate::model::{AuthStrength, Control, ExternalType, Pack, Policy};

pub static RULE: Rule = Rule {
    code: "EXT008",
    name: "strength_externals_cannot_meet",
    severity: Severity::Warning,
    summary: "an authentication strength is required of external users who cannot meet it",
    explanation: "External users meet an authentication strength with the methods of the tenant \
where they do MFA (§4.4; Microsoft Learn, \"How Conditional Access authentication strength works \
for external users\"). Without inbound MFA trust a B2B collaboration user does MFA in the \
resource tenant, which offers externals only SMS, voice, Authenticator push and software OATH \
after their password: no passwordless or phishing-resistant combination can be performed there. \
With trust, only the home tenant's SMS, voice, Authenticator push and phone sign-in, OATH tokens, \
FIDO2, Windows Hello for Business and certificates count (no Temporary Access Pass, no federated \
MFA). Users without an Entra home tenant (email one-time passcode, Google, SAML/WS-Fed) cannot be \
given a strength at all. Such a policy blocks them. Direct-connect users without MFA trust are \
`EXT007`.",
    fires: r#"cross_tenant litware { inbound b2b_collaboration = allow }
policy "Phishing-resistant for guests" {
  users { include external(b2b_guest) from tenants(litware) }
  apps  { include all }
  grant auth_strength phishing_resistant
}"#,
    quiet: r#"cross_tenant litware { trust mfa }
policy "Phishing-resistant for guests" {
  users { include external(b2b_guest) from tenants(litware) }
  apps  { include all }
  grant auth_strength phishing_resistant
}"#,
    fix: "trust the partner's MFA (`trust mfa`) so that its users meet the strength at home, \
require a strength whose combinations externals can perform (such as `mfa`), or exclude the \
external users the strength cannot reach",
    check,
};

/// The segments checked: Entra-homed types per home tenant, then users without an Entra home.
const HOMED: [ExternalType; 4] = [
    ExternalType::B2bGuest,
    ExternalType::B2bMember,
    ExternalType::DirectConnect,
    ExternalType::ServiceProvider,
];

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for policy in ctx.pack.policies.iter().filter(|p| is_on(p)) {
        let Some(grant) = &policy.grant else { continue };
        let Some((span, name, combos)) = grant.controls.iter().find_map(|c| match &c.value {
            Control::AuthStrength(s) => strength(ctx.pack, s).map(|(n, k)| (c.span, n, k)),
            _ => None,
        }) else {
            continue;
        };
        let mut segments = Vec::new();
        for home in ctx.facts.homes() {
            let trust = ctx.facts.trust(&home);
            for ty in HOMED {
                if ctx.facts.reach(policy, ty, &home).is_none() || can_meet(combos, ty, &trust) {
                    continue;
                }
                if !blocked(policy, ty, &trust) {
                    continue;
                }
                segments.push(format!("{} from {}", ty_label(ty), home.label()));
            }
        }
        let other = ExternalType::OtherExternal;
        if ctx.facts.reach(policy, other, &Home::Other).is_some()
            && blocked(policy, other, &Trusted::default())
        {
            segments.push("users without an Entra home tenant".to_string());
        }
        if segments.is_empty() {
            continue;
        }
        out.push(
            RULE.finding(format!(
                "policy `{}` requires strength `{name}` of {}, who cannot meet it: they are blocked",
                policy.name.value,
                and_list(&segments)
            ))
            .at(span)
            .help("trust the partner's MFA (`trust mfa`), require a strength externals can perform, or exclude them"),
        );
    }
}

/// A strength's name and combinations; `None` for a custom one the pack does not declare
/// (validation reports it, and it is never met by anyone).
fn strength<'p>(pack: &'p Pack, s: &'p AuthStrength) -> Option<(&'p str, Combinations<'p>)> {
    match s {
        AuthStrength::BuiltIn(b) => Some((b.name(), b.combinations())),
        AuthStrength::Custom(r) => pack
            .strength(r)
            .map(|d| (d.name.value.as_str(), d.combinations())),
    }
}

/// Whether users of `ty` can perform a combination where they would be prompted (the
/// evaluator's rule, `eval::controls`). Direct connect without trust is `EXT007`'s finding.
fn can_meet(combos: Combinations<'_>, ty: ExternalType, trust: &Trusted) -> bool {
    match ty {
        ExternalType::ServiceProvider => combos.possible_at(MethodsAt::Home),
        ExternalType::DirectConnect => !trust.mfa || combos.possible_at(MethodsAt::Home),
        _ if trust.mfa => combos.possible_at(MethodsAt::Home),
        _ => combos.possible_at(MethodsAt::Resource),
    }
}

/// Whether the grant leaves these users no way in once the strength cannot be met.
fn blocked(policy: &Policy, ty: ExternalType, trust: &Trusted) -> bool {
    let Some(grant) = &policy.grant else {
        return false;
    };
    !grant_met(grant, |c| {
        !matches!(c, Control::AuthStrength(_)) && external_can_meet(c, ty, trust)
    })
}

fn ty_label(ty: ExternalType) -> &'static str {
    match ty {
        ExternalType::B2bGuest => "B2B guests",
        ExternalType::B2bMember => "B2B members",
        ExternalType::DirectConnect => "direct-connect users",
        ExternalType::ServiceProvider => "service-provider users",
        ExternalType::InternalGuest => "internal guests",
        ExternalType::OtherExternal => "other external users",
    }
}

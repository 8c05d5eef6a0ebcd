//! EXT004: `include all` policies that also hit external users who cannot meet them.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::facts::{
    external_can_meet, grant_met, Trusted, EXTERNALLY_AUTHENTICATED, HOME_TENANT_TYPES,
};
use crate::lint::{Context, Rule};
use crate::model::{Control, Policy, PolicyState, UserTarget};

pub static RULE: Rule = Rule {
    code: "EXT004",
    name: "all_users_include_externals",
    severity: Severity::Warning,
    summary:
        "a policy for `all` users also covers guests and external users, who cannot meet its grant",
    explanation: "`all` is every user object in the directory, B2B guests included (§1.3). A \
policy written with employees in mind then applies to external users too. The rule fires when \
such a policy does not exclude them and its grant is one they cannot meet: an approved app or \
app protection (§4.4, see `EXT001`), a device claim their tenant's settings do not trust (§4.4, \
see `EXT002`), or a `user_risk` condition, since an external user's risk is assessed by the home \
tenant and a guest sent to change their password is blocked (§4.6).",
    fires: r#"policy "Compliant devices for everyone" {
  users { include all }
  apps  { include office365 }
  grant compliant_device
}"#,
    quiet: r#"policy "Compliant devices for everyone" {
  users { include all  exclude guests_or_external }
  apps  { include office365 }
  grant compliant_device
}"#,
    fix: "add `exclude guests_or_external` and give external users a policy of their own",
    check,
};

/// Why externals cannot meet the policy, if they cannot.
fn grounds(ctx: &Context<'_>, policy: &Policy) -> Option<&'static str> {
    if policy.conditions.user_risk.is_some() {
        return Some("it has a `user_risk` condition, assessed by their home tenant");
    }
    let grant = policy.grant.as_ref().filter(|g| !g.is_block())?;
    let app = |c: &Control| matches!(c, Control::ApprovedApp | Control::AppProtection);
    if grant.controls.iter().any(|c| app(&c.value)) && !grant_met(grant, |c| !app(c)) {
        return Some("they can never use an approved app or app protection here");
    }
    let untrusted_device = ctx.facts.homes().iter().any(|home| {
        let trust = ctx.facts.trust(home);
        let trusted = Trusted {
            compliant_device: true,
            hybrid_joined: true,
            ..trust
        };
        HOME_TENANT_TYPES.iter().any(|ty| {
            ctx.facts.reach(policy, *ty, home).is_some()
                && !grant_met(grant, |c| external_can_meet(c, *ty, &trust))
                && grant_met(grant, |c| external_can_meet(c, *ty, &trusted))
        })
    });
    untrusted_device.then_some("their device claims are not trusted")
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for policy in &ctx.pack.policies {
        if policy.state.value == PolicyState::Off {
            continue;
        }
        let Some(all) = policy
            .users
            .include
            .iter()
            .find(|t| t.value == UserTarget::All)
        else {
            continue;
        };
        if ctx
            .facts
            .reaches_any(policy, &EXTERNALLY_AUTHENTICATED)
            .is_none()
        {
            continue;
        }
        let Some(why) = grounds(ctx, policy) else {
            continue;
        };
        out.push(
            RULE.finding(format!(
                "policy `{}` includes `all` users, so guests and external users too, but {why}",
                policy.name.value
            ))
            .at(all.span)
            .help("add `exclude guests_or_external` and cover external users with a policy they can meet"),
        );
    }
}

//! SHR005: `anyone` links next to a policy requiring MFA of all guests.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::facts::{control_span, grant_met, is_mfa, is_on};
use crate::lint::{Context, Rule};
use crate::model::catalog::FirstPartyApp;
use crate::model::{AppTarget, ExternalType, Policy, SharingLevel};
use crate::source::Span;

pub static RULE: Rule = Rule {
    code: "SHR005",
    name: "anyone_links_bypass_mfa",
    severity: Severity::Warning,
    summary:
        "`anyone` links are enabled while a Conditional Access policy requires MFA of all guests",
    explanation: "At the `anyone` level SharePoint and OneDrive allow unauthenticated links \
(§7.1); whoever opens one never signs in, so no Conditional Access policy applies and an MFA \
requirement for guests is bypassed. SharePoint is at `anyone` when it says so or, in a `sharing` \
block that does not set it, by the platform default (§7.1). The rule fires when an enabled policy \
requires MFA of B2B guests from every tenant on all apps, Office 365 or SharePoint.",
    fires: r#"sharing { sharepoint = anyone }
policy "MFA for guests" {
  users { include guests_or_external }
  apps  { include all }
  grant mfa
}"#,
    quiet: r#"sharing { sharepoint = new_and_existing_guests }
policy "MFA for guests" {
  users { include guests_or_external }
  apps  { include all }
  grant mfa
}"#,
    fix:
        "lower `sharepoint` to `new_and_existing_guests`, or suppress the finding with the reason \
anonymous links are wanted",
    check,
};

/// The policy's MFA control when it requires MFA of every guest on SharePoint.
fn guest_mfa(ctx: &Context<'_>, policy: &Policy) -> Option<Span> {
    let grant = policy.grant.as_ref().filter(|g| !g.is_block())?;
    if grant_met(grant, |c| !is_mfa(c)) {
        return None;
    }
    let covers_sharepoint = |t: &AppTarget| {
        matches!(
            t,
            AppTarget::All | AppTarget::Office365 | AppTarget::Named(FirstPartyApp::SharePoint)
        )
    };
    let included = policy
        .apps
        .include
        .iter()
        .any(|a| covers_sharepoint(&a.value));
    let excluded = policy
        .apps
        .exclude
        .iter()
        .any(|a| covers_sharepoint(&a.value));
    let every_guest = ctx
        .facts
        .homes()
        .iter()
        .all(|h| ctx.facts.reach(policy, ExternalType::B2bGuest, h).is_some());
    (included && !excluded && every_guest).then(|| control_span(grant, is_mfa))?
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for sharing in &ctx.pack.sharing {
        let (level, span) = match &sharing.sharepoint {
            Some(l) => (l.value, l.span),
            // The `sharing` keyword: the block that leaves SharePoint at its default.
            None => (
                SharingLevel::Anyone,
                Span::new(
                    sharing.span.file,
                    sharing.span.start as usize,
                    sharing.span.start as usize + 7,
                ),
            ),
        };
        if level != SharingLevel::Anyone {
            continue;
        }
        let policies: Vec<(&Policy, Span)> = ctx
            .pack
            .policies
            .iter()
            .filter(|p| is_on(p))
            .filter_map(|p| guest_mfa(ctx, p).map(|s| (p, s)))
            .collect();
        let Some((first, _)) = policies.first() else {
            continue;
        };
        let mut d = RULE
            .finding(format!(
                "`anyone` links are enabled while policy `{}` requires MFA of all guests: anonymous links bypass it",
                first.name.value
            ))
            .at(span);
        for (_, mfa) in &policies {
            d = d.label(*mfa, "MFA required of guests here");
        }
        out.push(d.help("set `sharepoint = new_and_existing_guests` so that every guest signs in"));
    }
}

//! EXT006: an external segment that no enabled policy asks for MFA (or blocks) on every app.

use crate::diagnostic::{Diagnostic, Severity};
use crate::eval::trace::{OrgStatus, UserKind};
use crate::eval::{Decision, Requirement};
use crate::lint::classes::decide;
use crate::lint::facts::{and_list, is_mfa};
use crate::lint::{Context, Rule};
use crate::model::ExternalType;

pub static RULE: Rule = Rule {
    code: "EXT006",
    name: "uncovered_external_segment",
    severity: Severity::Warning,
    summary: "no enabled policy requires MFA or blocks, on every app, for some external segment",
    explanation: "External users fall in four segments: B2B guests and B2B members, each from a \
tenant of the resource tenant's multi-tenant organisation or from outside it (§5.4). Policies \
written per segment easily leave one out, and a segment no policy covers signs in with a \
password alone (§2.2: no applicable policy, no requirement). The rule decides, with the \
evaluator, a sign-in of each segment for every app and every class of client app, platform, \
location and risk the pack tells apart, with no MFA done yet, and names the segments for which \
some sign-in is neither blocked nor asked for MFA. Packs without policies are not checked.",
    fires: r#"policy "MFA for guests" {
  users { include external(b2b_guest) from any }
  apps  { include all }
  grant mfa
}"#,
    quiet: r#"policy "MFA for guests and external members" {
  users { include external(b2b_guest, b2b_member) from any }
  apps  { include all }
  grant mfa
}"#,
    fix: "extend an MFA policy to the named segments (`external(b2b_guest, b2b_member) from any` \
on `all` apps), or block them",
    check,
};

const SEGMENTS: [(ExternalType, bool, &str); 4] = [
    (
        ExternalType::B2bGuest,
        true,
        "B2B guests from the organization",
    ),
    (
        ExternalType::B2bGuest,
        false,
        "B2B guests from outside the organization",
    ),
    (
        ExternalType::B2bMember,
        true,
        "B2B members from the organization",
    ),
    (
        ExternalType::B2bMember,
        false,
        "B2B members from outside the organization",
    ),
];

fn asks_mfa(requirements: &[Requirement<'_>]) -> bool {
    requirements.iter().any(|r| match r {
        Requirement::One(item) => is_mfa(item.control),
        Requirement::AnyOf(items) => items.iter().all(|i| is_mfa(i.control)),
    })
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if ctx.pack.policies.is_empty() {
        return;
    }
    let samples = ctx.samples();
    // Per segment: whether it has any sample, and the first uncovered one.
    let mut seen = [false; 4];
    let mut uncovered: [Option<String>; 4] = Default::default();
    for sample in &samples.requests {
        let who = &samples.who[sample.who];
        if who.external.is_none() || who.variant {
            continue;
        }
        let Some(eval) = decide(ctx.compiled, sample) else {
            continue;
        };
        // The segment is the evaluator's classification (a partner marked `service_provider`
        // makes its users service providers, not guests).
        let user = &eval.trace.user;
        let ty = match user.kind {
            UserKind::B2bGuest => ExternalType::B2bGuest,
            UserKind::B2bMember => ExternalType::B2bMember,
            _ => continue,
        };
        let in_org = user.organization == OrgStatus::In;
        let Some(seg) = SEGMENTS.iter().position(|s| s.0 == ty && s.1 == in_org) else {
            continue;
        };
        seen[seg] = true;
        if uncovered[seg].is_none()
            && eval.decision != Decision::Block
            && !asks_mfa(&eval.requirements)
        {
            uncovered[seg] = Some(format!(
                "{} is {}",
                samples.describe(sample),
                match eval.decision {
                    Decision::Allow => "allowed with no requirement".to_string(),
                    _ => format!("asked only for {}", requirement_list(&eval.requirements)),
                }
            ));
        }
    }
    let named: Vec<usize> = (0..4)
        .filter(|i| seen[*i] && uncovered[*i].is_some())
        .collect();
    if named.is_empty() {
        return;
    }
    let segments: Vec<String> = named.iter().map(|i| SEGMENTS[*i].2.to_string()).collect();
    let example = named
        .first()
        .and_then(|i| uncovered[*i].clone())
        .unwrap_or_default();
    let mut d = RULE.finding(format!(
        "no enabled policy requires MFA or blocks on every app for {}",
        and_list(&segments)
    ));
    if let Some(span) = ctx
        .facts
        .resource
        .map(|t| t.name.span)
        .or_else(|| ctx.pack.policies.first().map(|p| p.name.span))
    {
        d = d.at(span);
    }
    out.push(d.help(format!(
        "for example, {example}; extend an MFA policy to these users on `all` apps"
    )));
}

fn requirement_list(requirements: &[Requirement<'_>]) -> String {
    requirements
        .iter()
        .map(|r| format!("`{r}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

//! EXT006: an external segment that no enabled policy asks for MFA (or blocks) on every app.

use crate::analysis::example::request_yaml;
use crate::analysis::queries::Queries;
use crate::diagnostic::{Diagnostic, Severity};
use crate::eval::trace::UserKind;
use crate::eval::Decision;
use crate::lint::facts::and_list;
use crate::lint::{not_analysed, Context, Rule};

pub static RULE: Rule = Rule {
    code: "EXT006",
    name: "uncovered_external_segment",
    severity: Severity::Warning,
    summary: "no enabled policy requires MFA or blocks, on every app, for some external segment",
    explanation: "External users fall in four segments: B2B guests and B2B members, each from a \
tenant of the resource tenant's multi-tenant organisation or from outside it (§5.4). Policies \
written per segment easily leave one out, and a segment no policy covers signs in with a \
password alone (§2.2: no applicable policy, no requirement). The rule searches the whole \
request space, exactly (every home tenant, cloud app, client app, platform, location and risk \
the pack tells apart), for a sign-in of each segment with a password alone (no MFA done yet, an \
unmanaged device, no terms accepted) that is neither blocked nor asked for MFA, and names the \
segments for which one exists, with the smallest such sign-in. It looks at the segment as a \
whole: users in no group, role or user list a policy names (deliberate exceptions such as an \
emergency-access group are `accord verify`'s to state). Packs without policies are not checked.",
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

const SEGMENTS: [(UserKind, bool, &str); 4] = [
    (UserKind::B2bGuest, true, "B2B guests from the organization"),
    (
        UserKind::B2bGuest,
        false,
        "B2B guests from outside the organization",
    ),
    (
        UserKind::B2bMember,
        true,
        "B2B members from the organization",
    ),
    (
        UserKind::B2bMember,
        false,
        "B2B members from outside the organization",
    ),
];

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if ctx.pack.policies.is_empty() {
        return;
    }
    let space = match ctx.space() {
        Ok(s) => s,
        Err(e) => return out.push(not_analysed(&RULE, e)),
    };
    let queries = Queries::new(ctx.compiled, space);
    let mut named = Vec::new();
    let mut example = None;
    for (kind, in_org, label) in SEGMENTS {
        match queries.uncovered(kind, in_org) {
            Ok(Some(w)) => {
                named.push(label.to_string());
                example.get_or_insert(w);
            }
            Ok(None) => {}
            Err(e) => return out.push(not_analysed(&RULE, &e)),
        }
    }
    let Some(w) = example else {
        return;
    };
    let mut d = RULE.finding(format!(
        "no enabled policy requires MFA or blocks on every app for {}",
        and_list(&named)
    ));
    if let Some(span) = ctx
        .facts
        .resource
        .map(|t| t.name.span)
        .or_else(|| ctx.pack.policies.first().map(|p| p.name.span))
    {
        d = d.at(span);
    }
    let answer = match w.outcome.decision {
        Decision::Allow => "allowed with no requirement".to_string(),
        _ => format!("asked only for `{}`", w.outcome.requirements.join("`, `")),
    };
    let request: Vec<String> = request_yaml(&w.request)
        .lines()
        .map(str::to_string)
        .collect();
    out.push(d.help(format!(
        "for example `{}` is {answer}; extend an MFA policy to these users on `all` apps",
        request.join("; ")
    )));
}

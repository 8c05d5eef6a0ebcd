//! CAP001: a policy whose assignments exclude everything they include.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};
use crate::model::*;
use crate::source::Span;

pub static RULE: Rule = Rule {
    code: "CAP001",
    name: "never_applies",
    severity: Severity::Warning,
    summary: "a policy can never apply: it includes nothing once its exclusions are applied",
    explanation: "Every assignment of a policy must match for it to apply, and an exclusion beats \
an inclusion (§2.1). A policy that includes only `none`, or whose every included user, app, \
platform or location is also excluded (the same group in `include` and `exclude`, \
`include(all_trusted) exclude(all_trusted)`...), applies to no sign-in: it looks like protection \
but does nothing. `include none` is nobody (§1.3).",
    fires: r#"policy "Partners on SharePoint" {
  users { include group "Partners"  exclude group "Partners" }
  apps  { include sharepoint }
  grant mfa
}"#,
    quiet: r#"policy "Partners on SharePoint" {
  users { include group "Partners"  exclude group "Partners admins" }
  apps  { include sharepoint }
  grant mfa
}"#,
    fix: "remove the exclusion that cancels the inclusion, or delete the policy",
    check,
};

fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Whether excluding `exc` removes every user `inc` includes.
fn user_covered(inc: &UserTarget, exc: &UserTarget) -> bool {
    use UserTarget::*;
    match (inc, exc) {
        (_, All) => true,
        (GuestsOrExternal, GuestsOrExternal) | (External { .. }, GuestsOrExternal) => true,
        (GuestsOrExternal, External { types, origin }) => {
            types.is_empty() && origin.value == Origin::Any
        }
        (User(a), User(b)) | (Group(a), Group(b)) | (Role(a), Role(b)) => same(a, b),
        (
            External {
                types: t1,
                origin: o1,
            },
            External {
                types: t2,
                origin: o2,
            },
        ) => {
            let types_within = t2.is_empty()
                || (!t1.is_empty() && t1.iter().all(|t| t2.iter().any(|u| u.value == t.value)));
            let origin_within = match (&o1.value, &o2.value) {
                (_, Origin::Any) => true,
                (Origin::Tenants(a), Origin::Tenants(b)) => {
                    a.iter().all(|x| b.iter().any(|y| same(&x.value, &y.value)))
                }
                (a, b) => a == b,
            };
            types_within && origin_within
        }
        _ => false,
    }
}

fn app_covered(inc: &AppTarget, exc: &AppTarget) -> bool {
    match (inc, exc) {
        (_, AppTarget::All) => true,
        // The Office 365 suite (§1.5), as the catalog lists its apps.
        (AppTarget::Named(app), AppTarget::Office365) => app.in_office365(),
        (AppTarget::Named(app), AppTarget::AdminPortals) => app.in_admin_portals(),
        (AppTarget::App(a), AppTarget::App(b)) => same(a, b),
        (a, b) => a == b,
    }
}

fn platform_covered(inc: &Platform, exc: &Platform) -> bool {
    *exc == Platform::All || inc == exc
}

fn location_covered(pack: &Pack, inc: &LocationRef, exc: &LocationRef) -> bool {
    let trusted = |n: &str| pack.location(n).is_some_and(|l| l.is_trusted());
    match (inc, exc) {
        (_, LocationRef::All) => true,
        (LocationRef::Named(n), LocationRef::AllTrusted) => trusted(n),
        (LocationRef::MfaTrustedIps, LocationRef::AllTrusted) => true,
        (a, b) => a == b,
    }
}

/// When every included item is nothing (`none`) or removed by some exclusion: the pairs
/// `(included, excluded by)`.
fn all_covered<T>(
    include: &[Spanned<T>],
    exclude: &[Spanned<T>],
    nothing: impl Fn(&T) -> bool,
    covered: impl Fn(&T, &T) -> bool,
) -> Option<Vec<(Span, Span)>> {
    let mut pairs = Vec::new();
    for inc in include.iter().filter(|i| !nothing(&i.value)) {
        let exc = exclude.iter().find(|e| covered(&inc.value, &e.value))?;
        pairs.push((inc.span, exc.span));
    }
    Some(pairs)
}

/// One assignment of a policy: its name, its span, and what `all_covered` found.
type Dimension<'a> = (&'a str, Span, Option<Vec<(Span, Span)>>);

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // A policy for workload identities includes no user by design (`WID001` is its rule).
    for policy in ctx.pack.policies.iter().filter(|p| !p.is_workload()) {
        let c = &policy.conditions;
        let mut dims: Vec<Dimension<'_>> = vec![
            (
                "user",
                policy.users.span,
                all_covered(
                    &policy.users.include,
                    &policy.users.exclude,
                    |u| *u == UserTarget::None,
                    user_covered,
                ),
            ),
            (
                "app",
                policy.apps.span,
                all_covered(
                    &policy.apps.include,
                    &policy.apps.exclude,
                    |a| *a == AppTarget::None,
                    app_covered,
                ),
            ),
        ];
        if let Some(p) = &c.platforms {
            dims.push((
                "platform",
                p.span,
                all_covered(&p.include, &p.exclude, |_| false, platform_covered),
            ));
        }
        if let Some(l) = &c.locations {
            let covered = |a: &LocationRef, b: &LocationRef| location_covered(ctx.pack, a, b);
            dims.push((
                "location",
                l.span,
                all_covered(&l.include, &l.exclude, |_| false, covered),
            ));
        }
        let Some((what, span, pairs)) = dims.into_iter().find_map(|(w, s, e)| e.map(|e| (w, s, e)))
        else {
            continue;
        };
        let Some(((included, excluded), rest)) = pairs.split_first() else {
            out.push(
                RULE.finding(format!(
                    "policy `{}` can never apply: it includes no {what}",
                    policy.name.value
                ))
                .at(span)
                .help("include the users or apps the policy is for, or delete the policy"),
            );
            continue;
        };
        let mut d = RULE
            .finding(format!(
                "policy `{}` can never apply: every {what} it includes is also excluded",
                policy.name.value
            ))
            .at(*excluded)
            .label(*included, "included here");
        for (inc, exc) in rest {
            d = d.label(*inc, "included here");
            if exc != excluded {
                d = d.label(*exc, "and excluded here");
            }
        }
        out.push(d.help("an exclusion wins over an inclusion: remove or narrow this exclusion"));
    }
}

//! Calendar sharing with people outside (§7.7; issue 12, part 1): which level a user of ours
//! exposes to a person at a partner domain, and by which rule.
//!
//! Exchange Online has two mechanisms, judged separately (Microsoft Learn, "Sharing in Exchange
//! Online": business-to-business sharing is set up with organization relationships, user-to-user
//! sharing with sharing policies):
//!
//! - **sharing policy** (`calendar_level`): the policy assigned to the owner's mailboxes (named in
//!   the request, else the one listing the owner in `mailboxes`, else the default policy) caps
//!   what the user may share with the domain: its own entry, else `*`, else nothing. A disabled
//!   policy shares nothing. The `calendar "<domain>" = level` statements are entries of the default
//!   policy; without a declared default policy the platform's (`*:CalendarSharingFreeBusySimple`)
//!   applies.
//! - **organization relationship** (`organization_relationship`): an enabled relationship whose
//!   `DomainNames` hold the domain, with `FreeBusyAccessEnabled`, lets the partner look up free/busy
//!   up to `FreeBusyAccessLevel` (the most the response may hold), for the members of
//!   `FreeBusyAccessScope` only when it is set.
//!
//! With `via` the request names one mechanism; without it, the more detailed of the two decides.

use super::settings::same_domain;
use super::trace::{EffectiveLevel, Flow, ShareRule, Trace};
use super::Ctx;
use crate::model::exchange::{OrgRelationship, SharingPolicy};
use crate::model::share::CalendarVia;
use crate::model::CalendarLevel;
use crate::source::Span;

/// What one mechanism allows, and why.
struct Allowed {
    level: CalendarLevel,
    at: Option<Span>,
    whence: String,
}

/// The policy that applies to the owner's mailbox: `None` is the platform's default policy.
enum Policy<'a> {
    Declared(&'a SharingPolicy, String),
    PlatformDefault,
}

pub(super) fn calendar(ctx: &Ctx<'_>, requested: CalendarLevel, trace: &mut Trace) -> Flow {
    let domain = ctx.address.domain.as_str();
    let by_policy = match ctx.req.via {
        Some(CalendarVia::OrganizationRelationship) => None,
        _ => Some(sharing_policy(ctx, domain, trace)?),
    };
    let by_relationship = match ctx.req.via {
        Some(CalendarVia::SharingPolicy) => None,
        _ => Some(relationship(ctx, domain)),
    };
    // The mechanism that decides: the one named, else the more detailed (the sharing policy on a
    // tie, as before relationships were modelled).
    let (rule, deciding, other) = match (by_policy, by_relationship) {
        (Some(p), Some(r)) if r.level > p.level => {
            (ShareRule::OrganizationRelationship, r, Some(p))
        }
        (Some(p), r) => (ShareRule::CalendarLevel, p, r),
        (None, Some(r)) => (ShareRule::OrganizationRelationship, r, None),
        (None, None) => {
            return Err(trace.fail(
                ShareRule::RequestInvalid,
                "no calendar sharing mechanism to judge".to_string(),
                None,
            ))
        }
    };
    if let Some(o) = &other {
        let other_rule = match rule {
            ShareRule::CalendarLevel => ShareRule::OrganizationRelationship,
            _ => ShareRule::CalendarLevel,
        };
        trace.note(
            other_rule,
            format!("`{}` at most, by {}", o.level.name(), o.whence),
            o.at,
        );
    }
    trace.set_level(EffectiveLevel::Calendar(deciding.level));
    if requested <= deciding.level {
        trace.grant(
            rule,
            format!(
                "`{}` is within `{}`, allowed for `{domain}` by {}",
                requested.name(),
                deciding.level.name(),
                deciding.whence
            ),
            deciding.at,
        );
        return Ok(());
    }
    let detail = if deciding.level == CalendarLevel::None {
        "no calendar sharing".to_string()
    } else {
        format!("at most `{}`", deciding.level.name())
    };
    let also = match (&other, rule) {
        (Some(o), ShareRule::CalendarLevel) => {
            format!("; the organization relationship gives {}", describe(o))
        }
        (Some(o), _) => format!("; the sharing policy gives {}", describe(o)),
        (None, _) => String::new(),
    };
    Err(trace.fail(
        rule,
        format!(
            "`{}` is more than `{domain}` may get: {detail}, by {}{also}",
            requested.name(),
            deciding.whence
        ),
        deciding.at,
    ))
}

fn describe(a: &Allowed) -> String {
    if a.level == CalendarLevel::None {
        format!("nothing ({})", a.whence)
    } else {
        format!("`{}` ({})", a.level.name(), a.whence)
    }
}

/// The sharing policy that applies to the owner: named, else listing the owner, else default.
fn policy_of<'a>(ctx: &Ctx<'a>, trace: &mut Trace) -> Result<Policy<'a>, super::trace::Stopped> {
    let policies: Vec<&SharingPolicy> = ctx
        .pack
        .sharing
        .iter()
        .flat_map(|s| &s.exchange.sharing_policies)
        .collect();
    if let Some(name) = &ctx.req.sharing_policy {
        return match policies
            .iter()
            .find(|p| p.name.value.eq_ignore_ascii_case(name))
        {
            Some(p) => Ok(Policy::Declared(p, "named in the request".to_string())),
            None if name.eq_ignore_ascii_case("Default Sharing Policy")
                && !policies.iter().any(|p| p.is_default()) =>
            {
                Ok(Policy::PlatformDefault)
            }
            None => Err(trace.fail(
                ShareRule::RequestInvalid,
                format!(
                    "`sharing_policy: {name}`: the pack declares no sharing policy of that name"
                ),
                None,
            )),
        };
    }
    if let Some(owner) = &ctx.req.owner {
        let assigned = policies.iter().find(|p| {
            p.mailboxes
                .iter()
                .any(|m| m.value.trim().eq_ignore_ascii_case(owner.trim()))
        });
        if let Some(p) = assigned {
            return Ok(Policy::Declared(p, format!("assigned to `{owner}`")));
        }
    }
    Ok(match policies.iter().find(|p| p.is_default()) {
        Some(p) => Policy::Declared(p, "the default policy".to_string()),
        None => Policy::PlatformDefault,
    })
}

/// What the owner's sharing policy lets them share with the domain.
fn sharing_policy(
    ctx: &Ctx<'_>,
    domain: &str,
    trace: &mut Trace,
) -> Result<Allowed, super::trace::Stopped> {
    let policy = policy_of(ctx, trace)?;
    // `calendar "<domain>" = level` statements are entries of the default policy.
    let statements = ctx.settings.calendar.iter().map(|c| Entry {
        domain: &c.domain.value,
        level: c.level.value,
        at: c.span,
        text: format!("`calendar {:?} = {}`", c.domain.value, c.level.value.name()),
    });
    let (entries, label): (Vec<Entry<'_>>, String) = match &policy {
        Policy::Declared(p, why) => {
            let label = format!("sharing policy `{}` ({why})", p.name.value);
            if !p.is_enabled() {
                return Ok(Allowed {
                    level: CalendarLevel::None,
                    at: p.enabled.as_ref().map(|e| e.span),
                    whence: format!("{label}, which is disabled (`enabled = off`)"),
                });
            }
            let mut entries: Vec<Entry<'_>> = p
                .entries
                .iter()
                .map(|e| Entry {
                    domain: &e.domain.value,
                    level: e.calendar(),
                    at: e.span,
                    text: format!("`domain {:?}` of {label}", e.domain.value),
                })
                .collect();
            if p.is_default() {
                entries.extend(statements);
            }
            (entries, label)
        }
        Policy::PlatformDefault => (
            statements.collect(),
            "the default sharing policy".to_string(),
        ),
    };
    let own = strictest(entries.iter().filter(|e| same_domain(e.domain, domain)));
    if let Some(e) = own {
        return Ok(Allowed {
            level: e.level,
            at: Some(e.at),
            whence: e.text.clone(),
        });
    }
    let star = strictest(entries.iter().filter(|e| e.domain == "*"));
    if let Some(e) = star {
        return Ok(Allowed {
            level: e.level,
            at: Some(e.at),
            whence: format!("{} (`{domain}` has no entry of its own)", e.text),
        });
    }
    Ok(match policy {
        Policy::PlatformDefault => Allowed {
            level: CalendarLevel::FreeBusy,
            at: None,
            whence: format!(
                "the default sharing policy, which shares `free_busy` with every domain (no entry for `{domain}` and no `\"*\"`)"
            ),
        },
        Policy::Declared(p, _) => Allowed {
            level: CalendarLevel::None,
            at: Some(p.name.span),
            whence: format!("{label}, which has no entry for `{domain}` and no `\"*\"`"),
        },
    })
}

struct Entry<'a> {
    domain: &'a str,
    level: CalendarLevel,
    at: Span,
    text: String,
}

fn strictest<'e, 'a>(entries: impl Iterator<Item = &'e Entry<'a>>) -> Option<&'e Entry<'a>>
where
    'a: 'e,
{
    entries.min_by_key(|e| e.level)
}

/// What an organization relationship with the domain lets the partner look up.
fn relationship(ctx: &Ctx<'_>, domain: &str) -> Allowed {
    let found: Option<&OrgRelationship> = ctx
        .pack
        .sharing
        .iter()
        .flat_map(|s| &s.exchange.relationships)
        .find(|r| r.domains.iter().any(|d| same_domain(&d.value, domain)));
    let Some(r) = found else {
        return Allowed {
            level: CalendarLevel::None,
            at: None,
            whence: format!("no organization relationship with `{domain}`"),
        };
    };
    let label = format!("organization relationship `{}`", r.name.value);
    let none = |at: Option<Span>, why: String| Allowed {
        level: CalendarLevel::None,
        at,
        whence: format!("{label}, {why}"),
    };
    if r.enabled.as_ref().is_some_and(|e| !e.value) {
        return none(
            r.enabled.as_ref().map(|e| e.span),
            "which is disabled".to_string(),
        );
    }
    if !r.free_busy.as_ref().is_some_and(|f| f.value) {
        let at = r.free_busy.as_ref().map_or(r.name.span, |f| f.span);
        return none(
            Some(at),
            "which does not share free/busy (`free_busy` off, the default)".to_string(),
        );
    }
    let level = r
        .free_busy_level
        .as_ref()
        .map_or(crate::model::exchange::FreeBusyLevel::None, |l| l.value);
    let at = r.free_busy_level.as_ref().map_or(r.name.span, |l| l.span);
    if let Some(scope) = &r.free_busy_scope {
        match &ctx.req.owner_groups {
            None => {
                return none(
                    Some(scope.span),
                    format!(
                        "whose free/busy scope is group `{}`, and the request does not list the owner's groups (`owner_groups`)",
                        scope.value
                    ),
                )
            }
            Some(groups) if !groups.iter().any(|g| g.eq_ignore_ascii_case(&scope.value)) => {
                return none(
                    Some(scope.span),
                    format!("whose free/busy scope is group `{}`, which the owner is not in", scope.value),
                )
            }
            Some(_) => {}
        }
    }
    Allowed {
        level: level.calendar(),
        at: Some(at),
        whence: format!("{label} (`free_busy_level = {}`)", level.name()),
    }
}

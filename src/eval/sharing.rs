//! Sharing decisions: may something be shared with an external person? (issue 3, rule 5;
//! `../shared/reference/entra-semantics.md` §5.4, §6, §7).
//!
//! [`decide_share`] records every check in a trace of [`ShareStep`]s and computes the
//! [`ShareDecision`] from that record alone: the first failed check denies, otherwise the rule
//! that granted the share allows, and a trace in which nothing granted denies (fail closed).
//!
//! # Order of checks
//!
//! 1. The request: `site` only for `sharepoint`/`onedrive`, `level` only (and always) for
//!    `calendar`, `link: anyone` only for `sharepoint`/`onedrive` (`request_invalid`).
//! 2. The recipient: a readable address (`recipient_address`); their domain's declared tenant; an
//!    own-domain address must have a member account (`recipient_account`, except for calendar,
//!    whose policies are per domain); whether they are an in-organization member (see below).
//! 3. The service's rules, below; a new recipient (`existing: none`) also passes the invitation
//!    rules (`invitation_from`, `invitation_domain`, `invitation_cross_tenant`).
//!
//! # Rules by service
//!
//! | service | rules, in order |
//! |---|---|
//! | `sharepoint`, `onedrive` | effective level (`site_level`, `onedrive_level` notes); then `anyone_link_level`, or `new_guest_level` / `existing_guest_level`; the organisation's then the site's domain lists (`sharepoint_domain_allow|block`, `site_domain_allow|block`); invitation |
//! | `teams` | guests: `teams_guest_access`, `groups_guest_access` (Teams guest access depends on it, §7.4), invitation; in-organization members: `teams_external_access`, `teams_external_domain` |
//! | `groups` | `groups_guest_access`, invitation |
//! | `calendar` | `calendar_level` (the owner's sharing policy) or `organization_relationship` (free/busy lookup), see `calendar.rs` (`effective_level` is the allowed level, reported on deny too) |
//! | `power_bi` | `power_bi_guest_access`; new recipients: `power_bi_invite_role`, invitation |
//! | `viva_engage` | `viva_engage_external_networks` |
//!
//! When a level is too low for SharePoint/OneDrive the rule reported is the one that made the
//! difference: `site_level` when the site's own level is what refuses (the organisation would
//! allow it), `onedrive_level` when OneDrive's own setting would allow it but SharePoint clamps
//! it, else the requirement (`anyone_link_level`, `new_guest_level`, `existing_guest_level`).
//!
//! # Platform defaults for absent settings
//!
//! | setting | default | source |
//! |---|---|---|
//! | `sharepoint` | `anyone` | §7.1 |
//! | `onedrive` | `anyone`, then clamped to `sharepoint` | §7.1 |
//! | `site "<url>"` not declared | the organisation level | §7.1 (a site can only be as permissive as the organisation) |
//! | `domains` (SharePoint/OneDrive) | no restriction | §7.2 |
//! | `invitations { from }` | `everyone` | §7.6 |
//! | `invitations { domains }` | no list: the cross-tenant settings decide | §7.6, §4.3 |
//! | `cross_tenant` inbound `b2b_collaboration` | partner block, else `default`, else allowed | §4.2 |
//! | `teams guest_access` | `on` | not in the reference; Microsoft turned it on for all tenants in 2021 (UNVERIFIED) |
//! | `teams external_access` | `on`, every domain allowed | §7.4 (`AllowFederatedUsers` True, `AllowAllKnownDomains`) |
//! | `groups guest_access` | `on` | §7.5 |
//! | `calendar` | `"*"` → `free_busy` | §7.7 (default policy `*:CalendarSharingFreeBusySimple`, UNVERIFIED) |
//! | `power_bi guest_access` | `off` | §7.8 gives no default: fail closed |
//! | `viva_engage external_networks` | `off` | §7.9 gives no default: fail closed |
//!
//! Several `sharing` blocks merge to the strictest value of each setting, and all their lists apply.
//!
//! # In-organization members (§5.4)
//!
//! A recipient with `existing: member` whose domain belongs to a tenant that is *active* in an
//! organisation where the resource tenant is active too is an in-organization member
//! (classified in `recipient.rs`). Where the platform treats them as members:
//!
//! | service | treatment |
//! |---|---|
//! | `sharepoint`, `onedrive` | "people in your organization": external sharing level, domain lists and invitation rules do not apply (an Anyone link still needs `anyone`) |
//! | `groups` | a member: group guest access does not apply |
//! | `viva_engage` | a member of the network |
//! | `teams` | a member, but cross-tenant chat still needs external access for their domain |
//! | `calendar` | no member treatment: sharing policies are per domain |
//! | `power_bi` | no member treatment: B2B members are only in preview (treated as a guest) |
//!
//! A member account from a tenant that is pending, removed or outside the organisation is treated
//! as an existing guest account (the reference documents the member treatment only for
//! organisation members).
//!
//! # Other decisions
//!
//! - Domains match exactly, without case; no wildcards, no subdomains (§7.2, §7.7).
//! - An Anyone link is also checked against the domain lists for its addressee (fail closed).
//! - The Entra B2B domain list applies to SharePoint/OneDrive invitations too, as with the
//!   SharePoint and OneDrive integration with Entra B2B (§7.2), which the pack cannot switch off.
//! - At invitation time, the users dimension of the inbound B2B collaboration setting decides;
//!   membership in a group, or an object id, cannot be known from a share request, so a setting
//!   that depends on it denies with that reason.

mod calendar;
mod invitation;
mod recipient;
mod services;
mod settings;
mod sharepoint;
mod teams;
mod trace;

pub use teams::{decide_chat, decide_meeting, Lobby, LobbyOutcome, Mechanism, TeamsDecision};
pub use trace::{EffectiveLevel, ShareDecision, ShareRule, ShareStep, ShareVerdict, StepOutcome};

use crate::model::share::{LinkKind, ShareRequest, ShareService};
use crate::model::Pack;
use crate::validate::Validated;

use recipient::{Address, Recipient};
use settings::Settings;
use trace::{Flow, Trace};

/// Everything a rule needs to know about one request.
struct Ctx<'a> {
    pack: &'a Pack,
    settings: &'a Settings<'a>,
    req: &'a ShareRequest,
    address: Address,
    recipient: Recipient<'a>,
}

/// Decides a share request against a validated pack.
pub fn decide_share(pack: &Validated, req: &ShareRequest) -> ShareDecision {
    let pack = pack.pack();
    let settings = Settings::of(pack);
    let mut trace = Trace::default();
    // A failed check has already been recorded; the decision is read from the trace either way.
    let _ = evaluate(pack, &settings, req, &mut trace);
    trace.conclude()
}

fn evaluate(pack: &Pack, settings: &Settings<'_>, req: &ShareRequest, trace: &mut Trace) -> Flow {
    check_request(req, trace)?;
    let (address, recipient) = recipient::classify(pack, req, trace)?;
    let ctx = Ctx {
        pack,
        settings,
        req,
        address,
        recipient,
    };
    match req.service {
        ShareService::Sharepoint | ShareService::Onedrive => sharepoint::decide(&ctx, trace),
        ShareService::Teams => services::teams(&ctx, trace),
        ShareService::Groups => services::groups(&ctx, trace),
        ShareService::Calendar => services::calendar(&ctx, trace),
        ShareService::PowerBi => services::power_bi(&ctx, trace),
        ShareService::VivaEngage => services::viva_engage(&ctx, trace),
    }
}

/// Fields that do not fit the service make the request undecidable: deny and say which.
fn check_request(req: &ShareRequest, trace: &mut Trace) -> Flow {
    let service = req.service.name();
    let files = matches!(
        req.service,
        ShareService::Sharepoint | ShareService::Onedrive
    );
    let problem = if req.site.is_some() && !files {
        Some(format!(
            "`site` applies to sharepoint and onedrive requests only, not `{service}`"
        ))
    } else if req.link == LinkKind::Anyone && !files {
        Some(format!(
            "`link: anyone` applies to sharepoint and onedrive requests only, not `{service}`"
        ))
    } else if req.level.is_some() && req.service != ShareService::Calendar {
        Some(format!(
            "`level` applies to calendar requests only, not `{service}`"
        ))
    } else if let (Some(key), false) = (
        calendar_only_field(req),
        req.service == ShareService::Calendar,
    ) {
        Some(format!(
            "`{key}` applies to calendar requests only, not `{service}`"
        ))
    } else if req.level.is_none() && req.service == ShareService::Calendar {
        Some("a calendar request needs `level` (free_busy, free_busy_detail or reviewer)".into())
    } else {
        None
    };
    match problem {
        Some(p) => Err(trace.fail(trace::ShareRule::RequestInvalid, p, None)),
        None => Ok(()),
    }
}

/// The first calendar-only field a request sets, if any.
fn calendar_only_field(req: &ShareRequest) -> Option<&'static str> {
    [
        ("via", req.via.is_some()),
        ("owner", req.owner.is_some()),
        ("owner_groups", req.owner_groups.is_some()),
        ("sharing_policy", req.sharing_policy.is_some()),
    ]
    .into_iter()
    .find_map(|(k, set)| set.then_some(k))
}

/// "a" or "an" before a word, for reasons in plain English.
fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

#[cfg(test)]
mod tests;

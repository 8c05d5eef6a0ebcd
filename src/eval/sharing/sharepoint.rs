//! SharePoint and OneDrive: effective sharing level (§7.1) and domain restrictions (§7.2).

use crate::model::share::{LinkKind, ShareService, Sharer};
use crate::model::{Access, DomainList, SharingLevel, Site};

use super::invitation;
use super::recipient::{Account, Recipient};
use super::settings::{lists_domain, on_off, same_domain, show_list, Setting};
use super::trace::{EffectiveLevel, Flow, ShareRule, Trace};
use super::Ctx;

/// The effective level of the place shared from, and what set it.
struct Effective<'a> {
    level: SharingLevel,
    /// The organisation level for the service: SharePoint, or min(OneDrive, SharePoint).
    org_level: SharingLevel,
    sharepoint: Setting<SharingLevel>,
    onedrive: Option<Setting<SharingLevel>>,
    site: Option<&'a Site>,
    /// Words for the place: "site `https://...`" or "OneDrive".
    place: String,
}

pub(super) fn decide(ctx: &Ctx<'_>, trace: &mut Trace) -> Flow {
    let eff = effective(ctx, trace);
    trace.set_level(EffectiveLevel::Sharing(eff.level));
    if ctx.req.by == Sharer::Guest {
        resharing(ctx, trace)?;
    }
    if ctx.req.link == LinkKind::Anyone {
        // The link itself is anonymous, so who receives it does not change the level needed; the
        // addressee's domain is still checked, as the sharing dialog sends the link to them.
        require(
            trace,
            &eff,
            SharingLevel::Anyone,
            ShareRule::AnyoneLinkLevel,
        )?;
        if let Recipient::External { .. } = ctx.recipient {
            domain_lists(ctx, trace, eff.site)?;
        }
        return Ok(());
    }
    match ctx.recipient {
        Recipient::Internal => {
            trace.grant(
                ShareRule::InternalRecipient,
                format!(
                    "`{}` is a member of the organization; external sharing settings do not apply",
                    ctx.address.text
                ),
                None,
            );
            Ok(())
        }
        Recipient::InOrgMember { home, org } => {
            trace.grant(
                ShareRule::InOrganizationMember,
                format!(
                    "`{}` is an external member from `{}`, active in organization `{}`: \
                     SharePoint counts them as people in your organization (§5.4), so external \
                     sharing settings do not apply",
                    ctx.address.text, home.name.value, org.name.value
                ),
                None,
            );
            Ok(())
        }
        Recipient::External { account, .. } => {
            let (needed, rule) = match account {
                Account::New => (SharingLevel::NewAndExistingGuests, ShareRule::NewGuestLevel),
                Account::Existing => (SharingLevel::ExistingGuests, ShareRule::ExistingGuestLevel),
            };
            require(trace, &eff, needed, rule)?;
            domain_lists(ctx, trace, eff.site)?;
            if account == Account::New {
                invitation::check(ctx, trace)?;
                account_match(ctx, trace)?;
            }
            Ok(())
        }
    }
}

/// effective = min(site, organisation) for SharePoint; min(site, OneDrive, SharePoint) for
/// OneDrive (§7.1). A site the pack does not declare takes the organisation level.
fn effective<'a>(ctx: &Ctx<'a>, trace: &mut Trace) -> Effective<'a> {
    let sharepoint = ctx.settings.sharepoint;
    let onedrive = (ctx.req.service == ShareService::Onedrive).then_some(ctx.settings.onedrive);
    let org_level = match onedrive {
        Some(od) => od.value.min(sharepoint.value),
        None => sharepoint.value,
    };
    if let Some(od) = onedrive {
        let reason = format!(
            "OneDrive: {}; SharePoint: {}; OneDrive is never more permissive than SharePoint, \
             so OneDrive allows `{}`",
            od.describe("onedrive", SharingLevel::name),
            sharepoint.describe("sharepoint", SharingLevel::name),
            org_level.name()
        );
        trace.note(ShareRule::OnedriveLevel, reason, od.at.or(sharepoint.at));
    }
    let site = ctx.req.site.as_deref().and_then(|u| ctx.settings.site(u));
    let level = match site {
        Some(s) => {
            let level = s.level.value.min(org_level);
            trace.note(
                ShareRule::SiteLevel,
                format!(
                    "site `{}` is set to `{}` and the organization allows `{}`; a site is never \
                     more permissive than the organization, so the site allows `{}`",
                    s.url.value,
                    s.level.value.name(),
                    org_level.name(),
                    level.name()
                ),
                Some(s.level.span),
            );
            level
        }
        None => {
            if let Some(url) = &ctx.req.site {
                trace.note(
                    ShareRule::SiteLevel,
                    format!(
                        "site `{url}` has no setting in the pack, so it takes the organization \
                         level `{}`",
                        org_level.name()
                    ),
                    None,
                );
            }
            org_level
        }
    };
    let place = match (&ctx.req.site, ctx.req.service) {
        (Some(url), _) => format!("site `{url}`"),
        (None, ShareService::Onedrive) => "OneDrive".to_string(),
        (None, _) => "SharePoint".to_string(),
    };
    Effective {
        level,
        org_level,
        sharepoint,
        onedrive,
        site,
        place,
    }
}

/// The effective level must reach `needed`. When it does not, the rule reported is the one that
/// made the difference: the site's own level (the organisation would allow it), the SharePoint
/// clamp on OneDrive (OneDrive's own setting would allow it), else the requirement itself.
fn require(trace: &mut Trace, eff: &Effective<'_>, needed: SharingLevel, rule: ShareRule) -> Flow {
    let what = match rule {
        ShareRule::AnyoneLinkLevel => "an Anyone link",
        ShareRule::NewGuestLevel => "sharing with a new guest",
        _ => "sharing with an existing guest",
    };
    if eff.level >= needed {
        trace.grant(
            rule,
            format!(
                "{what} needs `{}`; {} allows `{}`",
                needed.name(),
                eff.place,
                eff.level.name()
            ),
            eff.site.map(|s| s.level.span).or(eff.sharepoint.at),
        );
        return Ok(());
    }
    if let Some(site) = eff.site.filter(|_| eff.org_level >= needed) {
        return Err(trace.fail(
            ShareRule::SiteLevel,
            format!(
                "{what} needs `{}`, but site `{}` is set to `{}` (the organization would allow \
                 `{}`)",
                needed.name(),
                site.url.value,
                site.level.value.name(),
                eff.org_level.name()
            ),
            Some(site.level.span),
        ));
    }
    if let Some(od) = eff.onedrive.filter(|od| od.value >= needed) {
        return Err(trace.fail(
            ShareRule::OnedriveLevel,
            format!(
                "{what} needs `{}`; OneDrive is set to `{}` but can never be more permissive than \
                 SharePoint, which is {}",
                needed.name(),
                od.value.name(),
                eff.sharepoint.describe("sharepoint", SharingLevel::name)
            ),
            eff.sharepoint.at,
        ));
    }
    // Name every setting that is below what is needed: each one alone would refuse.
    let mut limits: Vec<String> = Vec::new();
    let mut at = None;
    if let Some(site) = eff.site.filter(|s| s.level.value < needed) {
        limits.push(format!("site set to `{}`", site.level.value.name()));
        at = Some(site.level.span);
    }
    if let Some(od) = eff.onedrive.filter(|od| od.value < needed) {
        limits.push(od.describe("onedrive", SharingLevel::name));
        at = at.or(od.at);
    }
    if eff.sharepoint.value < needed {
        limits.push(eff.sharepoint.describe("sharepoint", SharingLevel::name));
        at = at.or(eff.sharepoint.at);
    }
    Err(trace.fail(
        rule,
        format!(
            "{what} needs `{}`, but {} allows only `{}` ({})",
            needed.name(),
            eff.place,
            eff.level.name(),
            limits.join("; ")
        ),
        at,
    ))
}

/// SharePoint/OneDrive domain restrictions (§7.2). Every list applies: the organisation's first,
/// then the site's. That is how "the organization wins on conflict" works out: a site allow list
/// can only narrow an organisation allow list, and under an organisation block list a site list
/// applies as well. (A site block list under an organisation allow list is not a platform
/// configuration; it applies too, which is the fail-closed reading.)
fn domain_lists(ctx: &Ctx<'_>, trace: &mut Trace, site: Option<&Site>) -> Flow {
    let domain = &ctx.address.domain;
    for list in &ctx.settings.domains {
        check_list(
            trace,
            list,
            domain,
            "the organization's SharePoint list",
            (
                ShareRule::SharepointDomainAllow,
                ShareRule::SharepointDomainBlock,
            ),
            site_note(site, domain),
        )?;
    }
    if let Some(site) = site {
        for list in &site.domains {
            check_list(
                trace,
                list,
                domain,
                &format!("the list of site `{}`", site.url.value),
                (ShareRule::SiteDomainAllow, ShareRule::SiteDomainBlock),
                String::new(),
            )?;
        }
    }
    Ok(())
}

/// When the site allow-lists a domain the organisation refuses, say that the organisation wins.
fn site_note(site: Option<&Site>, domain: &str) -> String {
    let listed = site.is_some_and(|s| {
        s.domains
            .iter()
            .any(|l| l.access.value == Access::Allow && lists_domain(l, domain))
    });
    if listed {
        "; the site's own list allows it, but the organization's list wins (§7.2)".to_string()
    } else {
        String::new()
    }
}

fn check_list(
    trace: &mut Trace,
    list: &DomainList,
    domain: &str,
    whose: &str,
    (allow_rule, block_rule): (ShareRule, ShareRule),
    extra: String,
) -> Flow {
    let listed = lists_domain(list, domain);
    let shown = show_list("domains", list, "");
    match (list.access.value, listed) {
        (Access::Allow, true) => {
            trace.pass(
                allow_rule,
                format!("`{domain}` is on {whose} {shown}"),
                Some(list.span),
            );
            Ok(())
        }
        (Access::Allow, false) => Err(trace.fail(
            allow_rule,
            format!("`{domain}` is not on {whose} {shown}{extra}"),
            Some(list.span),
        )),
        (Access::Block, true) => Err(trace.fail(
            block_rule,
            format!("`{domain}` is blocked by {whose} {shown}{extra}"),
            Some(list.span),
        )),
        (Access::Block, false) => {
            trace.pass(
                block_rule,
                format!("`{domain}` is not on {whose} {shown}"),
                Some(list.span),
            );
            Ok(())
        }
    }
}

/// §7.3: `PreventExternalUsersFromResharing` stops guests from sharing files, folders and sites
/// they do not own (Set-SPOTenant; "Manage sharing settings for SharePoint and OneDrive",
/// https://learn.microsoft.com/sharepoint/turn-external-sharing-on-or-off).
fn resharing(ctx: &Ctx<'_>, trace: &mut Trace) -> Flow {
    let setting = ctx.settings.external_resharing;
    let said = setting.describe("external_resharing", on_off);
    if !setting.value {
        let why = format!(
            "the sharer is a guest and {said}: guests may not share files, folders or sites they \
             do not own (`PreventExternalUsersFromResharing`)"
        );
        return Err(trace.fail(ShareRule::ExternalResharing, why, setting.at));
    }
    trace.pass(
        ShareRule::ExternalResharing,
        format!("the sharer is a guest and {said}: guests may reshare"),
        setting.at,
    );
    Ok(())
}

/// §7.3: with `RequireAcceptingAccountMatchInvitedAccount`, a new invitation can be redeemed
/// only by the account it was sent to; it affects new invitations only.
fn account_match(ctx: &Ctx<'_>, trace: &mut Trace) -> Flow {
    let setting = ctx.settings.require_account_match;
    let said = setting.describe("require_account_match", on_off);
    let invited = &ctx.address.text;
    let other = ctx
        .req
        .accepted_as
        .as_deref()
        .map(str::trim)
        .filter(|a| !same_address(a, invited));
    match (setting.value, other) {
        (true, Some(other)) => {
            let why = format!(
                "the invitation went to `{invited}` but would be accepted as `{other}`, and {said}: \
                 only the invited account may redeem it"
            );
            Err(trace.fail(ShareRule::AccountMatch, why, setting.at))
        }
        (true, None) => {
            trace.pass(
                ShareRule::AccountMatch,
                format!("{said}: only `{invited}` can redeem the invitation"),
                setting.at,
            );
            Ok(())
        }
        (false, Some(other)) => {
            trace.note(
                ShareRule::AccountMatch,
                format!(
                    "{said}: the invitation to `{invited}` can be redeemed by another account, here `{other}`"
                ),
                setting.at,
            );
            Ok(())
        }
        (false, None) => Ok(()),
    }
}

/// Two e-mail addresses are the same account when they are equal ignoring case.
fn same_address(a: &str, b: &str) -> bool {
    match (a.rsplit_once('@'), b.rsplit_once('@')) {
        (Some((la, da)), Some((lb, db))) => la.eq_ignore_ascii_case(lb) && same_domain(da, db),
        _ => a.eq_ignore_ascii_case(b),
    }
}

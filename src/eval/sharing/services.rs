//! Teams (§7.4), Microsoft 365 Groups (§7.5), calendar (§7.7), Power BI (§7.8) and Viva Engage
//! (§7.9).

use crate::model::share::Sharer;
use crate::model::{Access, Organization, Tenant};

use super::article;
use super::invitation;
use super::recipient::{Account, Recipient};
use super::settings::{lists_domain, on_off, show_list, Setting, Settings};
use super::trace::{Flow, ShareRule, Trace};
use super::Ctx;

/// A switch that must be on. `grant` makes it the rule that allows the share.
pub(super) fn switch(
    trace: &mut Trace,
    rule: ShareRule,
    setting: Setting<bool>,
    key: &str,
    effect: &str,
    grant: bool,
) -> Flow {
    let shown = setting.describe(key, on_off);
    if !setting.value {
        return Err(trace.fail(rule, format!("{shown}: {effect}"), setting.at));
    }
    let reason = format!("{shown} allows it");
    if grant {
        trace.grant(rule, reason, setting.at);
    } else {
        trace.pass(rule, reason, setting.at);
    }
    Ok(())
}

fn internal(ctx: &Ctx<'_>, trace: &mut Trace, service: &str) -> Flow {
    trace.grant(
        ShareRule::InternalRecipient,
        format!(
            "`{}` is in the organization; {service} external settings do not apply",
            ctx.address.text
        ),
        None,
    );
    Ok(())
}

fn member(ctx: &Ctx<'_>, trace: &mut Trace, home: &Tenant, org: &Organization, why: &str) -> Flow {
    trace.grant(
        ShareRule::InOrganizationMember,
        format!(
            "`{}` is an external member from `{}`, active in organization `{}`: {why}",
            ctx.address.text, home.name.value, org.name.value
        ),
        None,
    );
    Ok(())
}

/// Teams. A guest (new or existing) joins through guest access, which depends on Microsoft 365
/// Groups guest access (§7.4). An in-organization member is a member, not a guest, but chat and
/// calls across organisation tenants still go through external access (§5.4), so its switch and
/// domain lists decide for them.
pub(super) fn teams(ctx: &Ctx<'_>, trace: &mut Trace) -> Flow {
    match ctx.recipient {
        Recipient::Internal => internal(ctx, trace, "Teams"),
        Recipient::InOrgMember { home, org } => {
            trace.note(
                ShareRule::InOrganizationMember,
                format!(
                    "`{}` is a member from `{}` in organization `{}`; Teams chat across the \
                     organization's tenants still needs external access (§5.4)",
                    ctx.address.text, home.name.value, org.name.value
                ),
                None,
            );
            external_access(ctx.settings, &ctx.address.domain, trace)
        }
        Recipient::External { account, .. } => {
            switch(
                trace,
                ShareRule::TeamsGuestAccess,
                ctx.settings.teams_guest_access,
                "teams guest_access",
                "guests cannot be added to Teams",
                true,
            )?;
            switch(
                trace,
                ShareRule::GroupsGuestAccess,
                ctx.settings.groups_guest_access,
                "groups guest_access",
                "Teams guest access depends on Microsoft 365 Groups guest access (§7.4)",
                false,
            )?;
            if account == Account::New {
                invitation::check(ctx, trace)?;
            }
            Ok(())
        }
    }
}

/// Teams external access (§7.4): the master switch, then an explicit allow list (only listed
/// domains; block lists are then ignored) or else the block lists.
pub(super) fn external_access(settings: &Settings<'_>, domain: &str, trace: &mut Trace) -> Flow {
    switch(
        trace,
        ShareRule::TeamsExternalAccess,
        settings.teams_external_access,
        "teams external_access",
        "nobody from another domain can be reached, whatever the domain lists say",
        false,
    )?;
    let lists = &settings.teams_external_domains;
    let rule = ShareRule::TeamsExternalDomain;
    let allows: Vec<_> = lists
        .iter()
        .filter(|l| l.access.value == Access::Allow)
        .collect();
    if !allows.is_empty() {
        if lists.iter().any(|l| l.access.value == Access::Block) {
            trace.note(
                rule,
                "Teams ignores the block list when an explicit allow list is set (§7.4)"
                    .to_string(),
                None,
            );
        }
        if let Some(list) = allows.iter().find(|l| !lists_domain(l, domain)) {
            return Err(trace.fail(
                rule,
                format!(
                    "`{domain}` is not on the Teams external access allow list {}",
                    show_list("teams external_access", list, "")
                ),
                Some(list.span),
            ));
        }
        trace.grant(
            rule,
            format!("`{domain}` is on the Teams external access allow list"),
            allows.first().map(|l| l.span),
        );
        return Ok(());
    }
    if let Some(list) = lists.iter().find(|l| lists_domain(l, domain)) {
        return Err(trace.fail(
            rule,
            format!(
                "`{domain}` is blocked by {}",
                show_list("teams external_access", list, "")
            ),
            Some(list.span),
        ));
    }
    trace.grant(
        rule,
        format!(
            "Teams external access allows every domain not blocked, and `{domain}` is not blocked"
        ),
        lists.first().map(|l| l.span),
    );
    Ok(())
}

/// Microsoft 365 Groups: guests need guest access (§7.5); an in-organization member is a member.
pub(super) fn groups(ctx: &Ctx<'_>, trace: &mut Trace) -> Flow {
    match ctx.recipient {
        Recipient::Internal => internal(ctx, trace, "Groups"),
        Recipient::InOrgMember { home, org } => member(
            ctx,
            trace,
            home,
            org,
            "a member, not a guest, so group guest settings do not apply (§5.4)",
        ),
        Recipient::External { account, .. } => {
            switch(
                trace,
                ShareRule::GroupsGuestAccess,
                ctx.settings.groups_guest_access,
                "groups guest_access",
                "guests cannot be added to Microsoft 365 groups",
                true,
            )?;
            if account == Account::New {
                invitation::check(ctx, trace)?;
            }
            Ok(())
        }
    }
}

/// Calendar sharing (§7.7, `calendar.rs`): sharing policies and organization relationships are
/// per domain, and an in-organization member's mailbox lives in their home tenant, so they get
/// the domain's level like anyone from that domain.
pub(super) fn calendar(ctx: &Ctx<'_>, trace: &mut Trace) -> Flow {
    if let Recipient::Internal = ctx.recipient {
        return internal(ctx, trace, "calendar sharing policy");
    }
    let Some(requested) = ctx.req.level else {
        return Err(trace.fail(
            ShareRule::RequestInvalid,
            "a calendar request needs `level`".to_string(),
            None,
        ));
    };
    super::calendar::calendar(ctx, requested, trace)
}

/// Power BI (§7.8): guests need guest access; inviting through Power BI also needs the Guest
/// Inviter role. B2B members are only in preview there, so an in-organization member is treated
/// as a guest.
pub(super) fn power_bi(ctx: &Ctx<'_>, trace: &mut Trace) -> Flow {
    let account = match ctx.recipient {
        Recipient::Internal => return internal(ctx, trace, "Power BI"),
        Recipient::InOrgMember { .. } => {
            trace.note(
                ShareRule::InOrganizationMember,
                "Power BI supports B2B members only in preview (§7.8): treated as a guest"
                    .to_string(),
                None,
            );
            Account::Existing
        }
        Recipient::External { account, .. } => account,
    };
    switch(
        trace,
        ShareRule::PowerBiGuestAccess,
        ctx.settings.power_bi_guest_access,
        "power_bi guest_access",
        "guests get an error in Power BI, and nobody can invite guests through it",
        true,
    )?;
    if account == Account::New {
        let by = ctx.req.by;
        if !matches!(by, Sharer::Admin | Sharer::GuestInviter) {
            return Err(trace.fail(
                ShareRule::PowerBiInviteRole,
                format!(
                    "`{}` has no account, and inviting through Power BI needs the Guest Inviter \
                     role (§7.8); the sharer is a `{}`",
                    ctx.address.text,
                    by.name()
                ),
                None,
            ));
        }
        trace.pass(
            ShareRule::PowerBiInviteRole,
            format!(
                "{} `{}` may invite through Power BI",
                article(by.name()),
                by.name()
            ),
            None,
        );
        invitation::check(ctx, trace)?;
    }
    Ok(())
}

/// Viva Engage (§7.9): people outside the organization take part through external networks; an
/// in-organization member is provisioned as a member of the hub tenant's network.
pub(super) fn viva_engage(ctx: &Ctx<'_>, trace: &mut Trace) -> Flow {
    match ctx.recipient {
        Recipient::Internal => internal(ctx, trace, "Viva Engage"),
        Recipient::InOrgMember { home, org } => member(
            ctx,
            trace,
            home,
            org,
            "Viva Engage serves organization members as members of the network (§7.9)",
        ),
        Recipient::External { .. } => switch(
            trace,
            ShareRule::VivaEngageExternalNetworks,
            ctx.settings.viva_engage_external_networks,
            "viva_engage external_networks",
            "people outside the organization cannot take part",
            true,
        ),
    }
}

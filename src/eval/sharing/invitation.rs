//! Sharing with someone who has no account is also an invitation (§7.6): the sharer must be
//! allowed to invite, the Entra B2B domain list must allow the recipient's domain, and the
//! inbound B2B collaboration cross-tenant settings must not block them (§4.3, last paragraph).

use crate::model::share::Sharer;
use crate::model::{
    Access, AppTarget, B2bKind, B2bRule, B2bSetting, CrossTenantTarget, Direction, InviteFrom,
    Pack, Tenant, XtUserTarget,
};

use super::recipient::Recipient;
use super::settings::{lists_domain, show_list};
use super::trace::{Flow, ShareRule, Trace};
use super::Ctx;

pub(super) fn check(ctx: &Ctx<'_>, trace: &mut Trace) -> Flow {
    inviter(ctx, trace)?;
    domain_and_cross_tenant(ctx, trace)
}

/// Whether a sharer may invite under `allowInvitesFrom` (§7.6).
///
/// | `from` | member | guest | admin | guest_inviter |
/// |---|---|---|---|---|
/// | `everyone` | yes | yes | yes | yes |
/// | `members_and_guests` (`adminsGuestInvitersAndAllMembers`) | yes | no | yes | yes |
/// | `admins_and_guest_inviters` | no | no | yes | yes |
/// | `nobody` (`none`: admins included) | no | no | no | no |
///
/// `members_and_guests` is the platform's "members and users in admin roles, including guests
/// with member permissions"; a request cannot say a guest has member permissions, so a guest
/// sharer is refused there (fail closed).
pub(super) fn may_invite(from: InviteFrom, by: Sharer) -> bool {
    match from {
        InviteFrom::Everyone => true,
        InviteFrom::MembersAndGuests => by != Sharer::Guest,
        InviteFrom::AdminsAndGuestInviters => matches!(by, Sharer::Admin | Sharer::GuestInviter),
        InviteFrom::Nobody => false,
    }
}

fn inviter(ctx: &Ctx<'_>, trace: &mut Trace) -> Flow {
    let from = ctx.settings.invite_from;
    let setting = from.describe("invitations { from }", InviteFrom::name);
    let by = ctx.req.by.name();
    let a = super::article(by);
    if may_invite(from.value, ctx.req.by) {
        trace.pass(
            ShareRule::InvitationFrom,
            format!("{a} `{by}` may invite guests under {setting}"),
            from.at,
        );
        Ok(())
    } else {
        Err(trace.fail(
            ShareRule::InvitationFrom,
            format!(
                "`{}` has no account, so sharing invites them, and {a} `{by}` may not invite \
                 guests under {setting}",
                ctx.address.text
            ),
            from.at,
        ))
    }
}

/// §4.3 / §7.6: a domain on the block list is never invitable; on the allow list it is
/// invitable unless the partner's own cross-tenant settings block it ("explicitly"); on neither
/// (or with no list) the cross-tenant settings decide, the partner's or else `default`. With an
/// allow list, a domain not on it is not invitable. Every list of every block applies.
fn domain_and_cross_tenant(ctx: &Ctx<'_>, trace: &mut Trace) -> Flow {
    let domain = &ctx.address.domain;
    let lists = &ctx.settings.invite_domains;
    if let Some(list) = lists
        .iter()
        .find(|l| l.access.value == Access::Block && lists_domain(l, domain))
    {
        return Err(trace.fail(
            ShareRule::InvitationDomain,
            format!(
                "`{domain}` is blocked by the Entra B2B invitation list {}; a blocked domain is \
                 never invitable, whatever the cross-tenant settings say",
                show_list("invitations { domains", list, " }")
            ),
            Some(list.span),
        ));
    }
    let allow_lists: Vec<_> = lists
        .iter()
        .filter(|l| l.access.value == Access::Allow)
        .collect();
    if let Some(list) = allow_lists.iter().find(|l| !lists_domain(l, domain)) {
        return Err(trace.fail(
            ShareRule::InvitationDomain,
            format!(
                "`{domain}` is not on the Entra B2B invitation allow list {}",
                show_list("invitations { domains", list, " }")
            ),
            Some(list.span),
        ));
    }
    let home = match ctx.recipient {
        Recipient::External { home, .. } => home,
        _ => None,
    };
    let allow_listed = !allow_lists.is_empty();
    if allow_listed {
        trace.pass(
            ShareRule::InvitationDomain,
            format!(
                "`{domain}` is on the Entra B2B invitation allow list: invitable unless the \
                 partner's own cross-tenant settings block it"
            ),
            allow_lists.first().map(|l| l.span),
        );
    } else {
        trace.pass(
            ShareRule::InvitationDomain,
            format!(
                "`{domain}` is on no Entra B2B invitation list: the cross-tenant settings decide"
            ),
            lists.first().map(|l| l.span),
        );
    }
    cross_tenant(ctx, trace, home, allow_listed)
}

/// Which inbound B2B collaboration setting applies to the recipient's tenant.
enum Source<'a> {
    Partner(&'a Tenant, &'a B2bRule),
    Default(&'a B2bRule),
    Service,
}

fn inbound_collaboration<'a>(pack: &'a Pack, home: Option<&'a Tenant>) -> Source<'a> {
    let rule_of = |wanted: &dyn Fn(&CrossTenantTarget) -> bool| {
        pack.cross_tenant
            .iter()
            .filter(|c| wanted(&c.target))
            .find_map(|c| c.rule(Direction::Inbound, B2bKind::B2bCollaboration))
    };
    if let Some(t) = home {
        let partner = rule_of(
            &|target| matches!(target, CrossTenantTarget::Tenant(n) if n.value == t.name.value),
        );
        if let Some(rule) = partner {
            return Source::Partner(t, rule);
        }
    }
    match rule_of(&|target| matches!(target, CrossTenantTarget::Default)) {
        Some(rule) => Source::Default(rule),
        None => Source::Service,
    }
}

fn cross_tenant(
    ctx: &Ctx<'_>,
    trace: &mut Trace,
    home: Option<&Tenant>,
    allow_listed: bool,
) -> Flow {
    let rule = ShareRule::InvitationCrossTenant;
    let source = inbound_collaboration(ctx.pack, home);
    let (setting, whose) = match &source {
        Source::Partner(t, r) => (Some(*r), format!("`cross_tenant {}`", t.name.value)),
        Source::Default(r) => (Some(*r), "`cross_tenant default`".to_string()),
        Source::Service => (None, "the service default".to_string()),
    };
    if allow_listed && !matches!(source, Source::Partner(..)) {
        trace.pass(
            rule,
            format!(
                "no partner setting explicitly blocks `{}` ({whose} applies otherwise, and does \
                 not override the invitation allow list)",
                ctx.address.domain
            ),
            setting.map(|r| r.span),
        );
        return Ok(());
    }
    let Some(setting) = setting else {
        trace.pass(
            rule,
            "inbound B2B collaboration is allowed by the service default (§4.2)".to_string(),
            None,
        );
        return Ok(());
    };
    match invitation_verdict(
        &setting.setting,
        &ctx.address.text,
        ctx.req.groups.as_deref(),
    ) {
        Verdict::Allowed => {
            trace.pass(
                rule,
                format!(
                    "inbound B2B collaboration in {whose} allows `{}`",
                    ctx.address.text
                ),
                Some(setting.span),
            );
            Ok(())
        }
        Verdict::Blocked => Err(trace.fail(
            rule,
            format!(
                "inbound B2B collaboration in {whose} blocks `{}`, so they cannot be invited",
                ctx.address.text
            ),
            Some(setting.span),
        )),
        Verdict::Depends(targets) => Err(trace.fail(
            rule,
            format!(
                "inbound B2B collaboration in {whose} depends on whether `{}` is {targets}, which \
                 the request does not say (`groups:` lists the recipient's home groups); denied \
                 rather than guessed",
                ctx.address.text
            ),
            Some(setting.span),
        )),
    }
}

/// Whether a B2B setting lets a user be invited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Verdict {
    Allowed,
    Blocked,
    /// Depends on group membership or object ids the request does not state.
    Depends(String),
}

/// Membership of the recipient in a user target list.
enum Membership {
    In,
    Out,
    Unknown(String),
}

/// The invitation verdict of one inbound B2B collaboration setting for one address.
///
/// The users dimension decides who may be invited ("Allow access: allows the users and groups
/// specified to be invited"); the apps dimension only matters when it leaves no application at
/// all (§4.3 table: an allow-list lets its members in, its complement is blocked; a block-list
/// blocks its members, fail closed even when only some apps are blocked for them). An omitted
/// dimension takes the other's access with target `all` (README), so `{ apps block power_bi }`
/// blocks nobody from being invited.
/// `groups` are the recipient's home-tenant groups when the request lists them (all of them).
pub(super) fn invitation_verdict(
    setting: &B2bSetting,
    address: &str,
    groups: Option<&[String]>,
) -> Verdict {
    if let Some(short) = &setting.short {
        return match short.value {
            Access::Allow => Verdict::Allowed,
            Access::Block => Verdict::Blocked,
        };
    }
    let no_app_left = setting.apps.as_ref().is_some_and(|apps| {
        let all = apps.targets.iter().any(|t| t.value == AppTarget::All);
        match apps.access.value {
            Access::Block => all,
            Access::Allow => apps.targets.is_empty(),
        }
    });
    let Some(users) = &setting.users else {
        return if no_app_left {
            Verdict::Blocked
        } else {
            Verdict::Allowed
        };
    };
    let membership = membership(users.targets.iter().map(|t| &t.value), address, groups);
    match (users.access.value, membership) {
        (Access::Allow, Membership::Out) => Verdict::Blocked,
        (Access::Allow, _) if no_app_left => Verdict::Blocked,
        (Access::Allow, Membership::In) => Verdict::Allowed,
        (Access::Allow, Membership::Unknown(t)) => Verdict::Depends(t),
        (Access::Block, Membership::In) => Verdict::Blocked,
        (Access::Block, Membership::Out) => Verdict::Allowed,
        (Access::Block, Membership::Unknown(t)) => Verdict::Depends(t),
    }
}

fn membership<'a>(
    targets: impl Iterator<Item = &'a XtUserTarget>,
    address: &str,
    groups: Option<&[String]>,
) -> Membership {
    let mut unknown: Vec<String> = Vec::new();
    for target in targets {
        match target {
            XtUserTarget::All => return Membership::In,
            XtUserTarget::User(u) if u.eq_ignore_ascii_case(address) => return Membership::In,
            XtUserTarget::User(u) => unknown.push(format!("user `{u}`")),
            XtUserTarget::Group(g) => match groups {
                Some(listed) if listed.iter().any(|l| l.eq_ignore_ascii_case(g)) => {
                    return Membership::In
                }
                // The request lists every group of the recipient: not this one.
                Some(_) => {}
                None => unknown.push(format!("in group `{g}`")),
            },
        }
    }
    if unknown.is_empty() {
        Membership::Out
    } else {
        Membership::Unknown(unknown.join(" or "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Spanned, TargetList};
    use crate::source::Span;

    fn list<T>(access: Access, targets: Vec<T>) -> TargetList<T> {
        TargetList {
            access: Spanned::synthetic(access),
            targets: targets.into_iter().map(Spanned::synthetic).collect(),
        }
    }

    fn setting(
        users: Option<TargetList<XtUserTarget>>,
        apps: Option<TargetList<AppTarget>>,
    ) -> B2bSetting {
        B2bSetting {
            users,
            apps,
            short: None,
            span: Span::default(),
        }
    }

    #[test]
    fn the_invite_table() {
        use InviteFrom::*;
        use Sharer::*;
        let expected = [
            (Everyone, [true, true, true, true]),
            (MembersAndGuests, [true, false, true, true]),
            (AdminsAndGuestInviters, [false, false, true, true]),
            (Nobody, [false, false, false, false]),
        ];
        for (from, row) in expected {
            for (by, ok) in [Member, Guest, Admin, GuestInviter].into_iter().zip(row) {
                assert_eq!(may_invite(from, by), ok, "{from:?} {by:?}");
            }
        }
    }

    #[test]
    fn verdicts_follow_the_users_dimension() {
        let a = "carol@litware.com";
        let group = XtUserTarget::Group("Team".into());
        let carol = XtUserTarget::User("Carol@litware.com".into());
        let allow_group = setting(Some(list(Access::Allow, vec![group.clone()])), None);
        assert!(matches!(
            invitation_verdict(&allow_group, a, None),
            Verdict::Depends(_)
        ));
        // Listed groups decide it, in any case; an empty list is "in no group".
        let team = ["team".to_string()];
        assert_eq!(
            invitation_verdict(&allow_group, a, Some(&team)),
            Verdict::Allowed
        );
        assert_eq!(
            invitation_verdict(&allow_group, a, Some(&[])),
            Verdict::Blocked
        );
        let block_group = setting(Some(list(Access::Block, vec![group.clone()])), None);
        assert_eq!(
            invitation_verdict(&block_group, a, Some(&team)),
            Verdict::Blocked
        );
        assert_eq!(
            invitation_verdict(&block_group, a, Some(&[])),
            Verdict::Allowed
        );
        let allow_carol = setting(Some(list(Access::Allow, vec![carol.clone()])), None);
        assert_eq!(invitation_verdict(&allow_carol, a, None), Verdict::Allowed);
        assert_eq!(
            invitation_verdict(&allow_carol, "dan@litware.com", None),
            Verdict::Depends("user `Carol@litware.com`".into())
        );
        let block_carol = setting(Some(list(Access::Block, vec![carol])), None);
        assert_eq!(invitation_verdict(&block_carol, a, None), Verdict::Blocked);
        let block_all = setting(
            Some(list(Access::Block, vec![XtUserTarget::All])),
            Some(list(Access::Block, vec![AppTarget::All])),
        );
        assert_eq!(invitation_verdict(&block_all, a, None), Verdict::Blocked);
    }

    #[test]
    fn an_apps_only_setting_blocks_invitations_only_when_no_app_is_left() {
        let a = "carol@litware.com";
        let some = setting(None, Some(list(Access::Block, vec![AppTarget::Office365])));
        assert_eq!(invitation_verdict(&some, a, None), Verdict::Allowed);
        let all = setting(None, Some(list(Access::Block, vec![AppTarget::All])));
        assert_eq!(invitation_verdict(&all, a, None), Verdict::Blocked);
    }
}

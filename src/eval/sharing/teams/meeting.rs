//! `meeting:` requests: may the person join a meeting organized by one of our users under a
//! meeting policy, through which mechanism, and do they wait in the lobby?
//!
//! Joining:
//!
//! | account | joins as | rules |
//! |---|---|---|
//! | `member` | one of ours | `internal_recipient` |
//! | `guest` | a guest | the `share: teams` rules for an existing guest |
//! | `work` | a person of a trusted organization, when external access allows their domain; else anonymously | `teams_external_access`, `teams_external_domain`; else `meeting_anonymous_join` |
//! | `consumer` | an unmanaged Teams account when `teams consumer = on`; else anonymously | `teams_consumer`; else `meeting_anonymous_join` |
//! | `anonymous` | anonymous | `meeting_anonymous_join` |
//! | `dial_in` | a phone caller | `meeting_dial_in` |
//!
//! The lobby (`meeting_lobby`), by `lobby_bypass` (`AutoAdmittedUsers`; Microsoft Learn, "Control
//! who can bypass the meeting lobby in Microsoft Teams"), `Y` bypasses, `-` waits, `inv` bypasses
//! when invited:
//!
//! | joins as | everyone | same_and_federated | in_company | excluding_guests | invited_users | organizer_only |
//! |---|---|---|---|---|---|---|
//! | one of ours | Y | Y | Y | Y | inv | - |
//! | guest | Y | Y | Y | - | inv | - |
//! | trusted organization | Y | Y | - | - | inv | - |
//! | unmanaged Teams account | Y | - | - | - | inv | - |
//! | anonymous | Y | - | - | - | - | - |
//!
//! A phone caller bypasses only with `dial_in_bypass = on` (`AllowPSTNUsersToBypassLobby`: the
//! lobby setting does not apply to dial-in users). The organizer is not a request kind: they
//! never wait.

use super::super::services::{external_access, switch};
use super::super::settings::Meeting;
use super::super::trace::{ShareRule, Trace};
use super::{guest_access, person, Lobby, LobbyOutcome, Mechanism, TeamsCtx};
use crate::model::teams::{MeetingRequest, TeamsAccount};
use crate::model::LobbyBypass;

/// How the participant is seen by the lobby.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JoinsAs {
    Ours,
    Guest,
    Trusted,
    Consumer,
    Anonymous,
    Phone,
}

impl JoinsAs {
    fn words(self) -> &'static str {
        match self {
            JoinsAs::Ours => "one of our users",
            JoinsAs::Guest => "a guest",
            JoinsAs::Trusted => "a person from a trusted organization",
            JoinsAs::Consumer => "a Teams account not managed by an organization",
            JoinsAs::Anonymous => "an anonymous participant",
            JoinsAs::Phone => "a dial-in caller",
        }
    }
}

/// Records the decision's steps; returns the mechanism and, when they may join, the lobby.
pub(super) fn decide(
    ctx: &TeamsCtx<'_>,
    req: &MeetingRequest,
    trace: &mut Trace,
) -> (Option<Mechanism>, Option<Lobby>) {
    let name = req.policy.as_deref().unwrap_or("Global");
    let Some(policy) = ctx.settings.meeting(name) else {
        let _ = trace.fail(
            ShareRule::MeetingPolicy,
            format!("meeting policy `{name}` is not declared: declare `teams meeting \"{name}\" {{ ... }}`, or ask about `Global`"),
            None,
        );
        return (None, None);
    };
    trace.note(
        ShareRule::MeetingPolicy,
        format!(
            "the organizer's meeting policy `{name}`: {}",
            policy
                .lobby_bypass
                .describe("lobby_bypass", LobbyBypass::name)
        ),
        policy.lobby_bypass.at,
    );
    let needs_address = !matches!(req.account, TeamsAccount::Anonymous | TeamsAccount::DialIn);
    let with = match (&req.with, needs_address) {
        (Some(w), _) => w.clone(),
        (None, false) => String::new(),
        (None, true) => {
            let _ = trace.fail(
                ShareRule::RequestInvalid,
                format!(
                    "`account: {}` needs `with`, the person's address",
                    req.account.name()
                ),
                None,
            );
            return (None, None);
        }
    };
    let joined = join(ctx, req, &with, policy, trace);
    match joined {
        Ok((mechanism, joins_as)) => (Some(mechanism), Some(lobby(req, policy, joins_as, trace))),
        Err(mechanism) => (mechanism, None),
    }
}

/// Who they join as, through which mechanism; `Err` once a check has failed.
fn join(
    ctx: &TeamsCtx<'_>,
    req: &MeetingRequest,
    with: &str,
    policy: Meeting,
    trace: &mut Trace,
) -> Result<(Mechanism, JoinsAs), Option<Mechanism>> {
    let fail = |m: Mechanism| move |_| Some(m);
    match req.account {
        TeamsAccount::Member => {
            let (address, _) = person(ctx, with, true, trace).map_err(|_| None)?;
            trace.grant(
                ShareRule::InternalRecipient,
                format!("`{}` is one of our users", address.text),
                None,
            );
            Ok((Mechanism::Internal, JoinsAs::Ours))
        }
        TeamsAccount::Guest => {
            guest_access(ctx, with, trace).map_err(fail(Mechanism::GuestAccess))?;
            Ok((Mechanism::GuestAccess, JoinsAs::Guest))
        }
        TeamsAccount::Work => {
            let (address, _) = person(ctx, with, false, trace).map_err(|_| None)?;
            let mut probe = Trace::default();
            if external_access(&ctx.settings, &address.domain, &mut probe).is_ok() {
                trace.absorb(probe);
                return Ok((Mechanism::ExternalAccess, JoinsAs::Trusted));
            }
            trace.absorb_as_notes(probe);
            anonymous(policy, trace, "external access does not allow their domain, so they can join only anonymously from the link")
        }
        TeamsAccount::Consumer => {
            person(ctx, with, false, trace).map_err(|_| None)?;
            let mut probe = Trace::default();
            let unmanaged = switch(
                &mut probe,
                ShareRule::TeamsConsumer,
                ctx.settings.teams_consumer,
                "teams consumer",
                "our users cannot communicate with Teams accounts not managed by an organization",
                true,
            );
            if unmanaged.is_ok() {
                trace.absorb(probe);
                return Ok((Mechanism::ExternalAccess, JoinsAs::Consumer));
            }
            trace.absorb_as_notes(probe);
            anonymous(policy, trace, "external access does not take unmanaged Teams accounts, so they can join only anonymously from the link")
        }
        TeamsAccount::Anonymous => anonymous(policy, trace, "they do not sign in"),
        TeamsAccount::DialIn => {
            trace.grant(
                ShareRule::MeetingDialIn,
                "a dial-in caller joins by phone through the organizer's audio conferencing (not modelled: accord assumes the meeting has a dial-in number)".to_string(),
                None,
            );
            Ok((Mechanism::DialIn, JoinsAs::Phone))
        }
    }
}

/// Joining from the link without signing in.
fn anonymous(
    policy: Meeting,
    trace: &mut Trace,
    why: &str,
) -> Result<(Mechanism, JoinsAs), Option<Mechanism>> {
    let shown = policy
        .anonymous_join
        .describe("anonymous_join", super::super::settings::on_off);
    let rule = ShareRule::MeetingAnonymousJoin;
    if policy.anonymous_join.value {
        trace.grant(
            rule,
            format!("{why}; {shown} lets them"),
            policy.anonymous_join.at,
        );
        Ok((Mechanism::AnonymousJoin, JoinsAs::Anonymous))
    } else {
        let _ = trace.fail(
            rule,
            format!("{why}; {shown}: people who do not sign in cannot join"),
            policy.anonymous_join.at,
        );
        Err(Some(Mechanism::AnonymousJoin))
    }
}

/// Whether they wait in the lobby, recorded in the trace.
fn lobby(req: &MeetingRequest, policy: Meeting, joins_as: JoinsAs, trace: &mut Trace) -> Lobby {
    let rule = ShareRule::MeetingLobby;
    let (bypass, reason, at) = if joins_as == JoinsAs::Phone {
        let shown = policy
            .dial_in_bypass
            .describe("dial_in_bypass", super::super::settings::on_off);
        let reason = if policy.dial_in_bypass.value {
            format!("{shown}: dial-in callers join directly")
        } else {
            format!("{shown}: dial-in callers wait in the lobby (the lobby setting does not apply to them)")
        };
        (
            policy.dial_in_bypass.value,
            reason,
            policy.dial_in_bypass.at,
        )
    } else {
        let setting = policy.lobby_bypass;
        let bypass = bypasses(setting.value, joins_as, req.invited);
        let shown = setting.describe("lobby_bypass", LobbyBypass::name);
        let invited =
            if setting.value == LobbyBypass::InvitedUsers && joins_as != JoinsAs::Anonymous {
                if req.invited {
                    " (they are invited)"
                } else {
                    " (they are not on the invitation)"
                }
            } else {
                ""
            };
        let text = if bypass {
            format!("{shown} admits {} directly{invited}", joins_as.words())
        } else {
            format!("{shown} keeps {} in the lobby{invited}", joins_as.words())
        };
        (bypass, text, setting.at)
    };
    trace.note(rule, reason.clone(), at);
    Lobby {
        outcome: if bypass {
            LobbyOutcome::Bypass
        } else {
            LobbyOutcome::Wait
        },
        rule,
        reason,
    }
}

/// The lobby table of the module docs.
fn bypasses(setting: LobbyBypass, joins_as: JoinsAs, invited: bool) -> bool {
    use JoinsAs::*;
    use LobbyBypass as L;
    match setting {
        L::Everyone => joins_as != Phone,
        L::EveryoneInSameAndFederatedCompany => matches!(joins_as, Ours | Guest | Trusted),
        L::EveryoneInCompany => matches!(joins_as, Ours | Guest),
        L::EveryoneInCompanyExcludingGuests => joins_as == Ours,
        L::InvitedUsers => invited && !matches!(joins_as, Anonymous | Phone),
        L::OrganizerOnly => false,
    }
}

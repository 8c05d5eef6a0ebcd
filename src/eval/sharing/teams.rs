//! Teams communication decisions: can a person at a domain find, chat with or call our users,
//! work with them in a shared channel, or join a meeting of ours, and do they wait in the lobby?
//! (issue 12, part 2; `../shared/reference/entra-semantics.md` §7.4, §5.4.)
//!
//! Every answer says which of the platform's mechanisms carries the contact, because they are
//! governed by different settings (Microsoft Learn, "Manage external meetings and chat with people
//! and organizations using Microsoft identities"):
//!
//! | mechanism | who | decided by |
//! |---|---|---|
//! | `external_access` | a Teams work account in another tenant; a Teams consumer account | `Set-CsTenantFederationConfiguration`: `AllowFederatedUsers`, `AllowedDomains`/`BlockedDomains`, `AllowTeamsConsumer`, `AllowTeamsConsumerInbound`, `TreatDiscoveredPartnersAsUnverified` |
//! | `guest_access` | a B2B guest account in our tenant | the `share: teams` rules for an existing guest (Teams and Groups guest access) |
//! | `b2b_direct_connect` | shared channels with people of another tenant | the cross-tenant gate of `eval::decide`, reused, not duplicated |
//! | `anonymous_join` | a meeting joined from the link without signing in | `AllowAnonymousUsersToJoinMeeting` |
//! | `dial_in` | a meeting joined by phone | audio conferencing (not modelled) |
//! | `internal` | our own users (meetings only) | nothing external |
//!
//! As with share requests, the decision is read from a trace of steps: the first failed check
//! denies, otherwise the first granting rule allows, and nothing granting denies (fail closed).
//! A meeting answer that allows also says whether the person waits in the lobby, and by which
//! rule.

mod chat;
mod meeting;

use std::fmt;

use serde::Serialize;

use super::settings::Settings;
use super::trace::{ShareRule, ShareStep, ShareVerdict, Trace};
use crate::eval::Compiled;
use crate::model::teams::{ChatRequest, MeetingRequest};

/// How the person reaches our users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mechanism {
    ExternalAccess,
    GuestAccess,
    #[serde(rename = "b2b_direct_connect")]
    DirectConnect,
    AnonymousJoin,
    DialIn,
    Internal,
}

impl Mechanism {
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::ExternalAccess => "external_access",
            Mechanism::GuestAccess => "guest_access",
            Mechanism::DirectConnect => "b2b_direct_connect",
            Mechanism::AnonymousJoin => "anonymous_join",
            Mechanism::DialIn => "dial_in",
            Mechanism::Internal => "internal",
        }
    }

    /// In admin words.
    pub fn describe(self) -> &'static str {
        match self {
            Mechanism::ExternalAccess => "Teams federation with people outside the organization",
            Mechanism::GuestAccess => "a B2B guest account in our tenant",
            Mechanism::DirectConnect => "shared channels with another Entra tenant",
            Mechanism::AnonymousJoin => "joins the meeting without signing in",
            Mechanism::DialIn => "calls into the meeting by phone",
            Mechanism::Internal => "a user of our own organization",
        }
    }
}

/// Whether a meeting participant waits in the lobby.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LobbyOutcome {
    Bypass,
    Wait,
}

/// The lobby part of a meeting answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lobby {
    pub outcome: LobbyOutcome,
    pub rule: ShareRule,
    pub reason: String,
}

/// The answer to a `chat:` or `meeting:` request.
///
/// Serializes as `{"decision", "rule", "reason", "mechanism", "lobby"}` (`mechanism` is null when
/// the request itself is undecidable; `lobby` only on meeting answers that allow).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamsDecision {
    pub decision: ShareVerdict,
    pub rule: ShareRule,
    pub reason: String,
    pub mechanism: Option<Mechanism>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lobby: Option<Lobby>,
    #[serde(skip)]
    pub trace: Vec<ShareStep>,
}

impl TeamsDecision {
    pub fn is_allow(&self) -> bool {
        self.decision == ShareVerdict::Allow
    }

    fn from_trace(trace: Trace, mechanism: Option<Mechanism>, lobby: Option<Lobby>) -> Self {
        let d = trace.conclude();
        let lobby = if d.is_allow() { lobby } else { None };
        TeamsDecision {
            decision: d.decision,
            rule: d.rule,
            reason: d.reason,
            mechanism,
            lobby,
            trace: d.trace,
        }
    }
}

impl fmt::Display for TeamsDecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = match self.decision {
            ShareVerdict::Allow => "ALLOW",
            ShareVerdict::Deny => "DENY",
        };
        writeln!(f, "{word} by {}: {}", self.rule, self.reason)?;
        match self.mechanism {
            Some(m) => writeln!(f, "mechanism: {} ({})", m.name(), m.describe())?,
            None => writeln!(f, "mechanism: none (the request cannot be decided)")?,
        }
        if let Some(l) = &self.lobby {
            let outcome = match l.outcome {
                LobbyOutcome::Bypass => "BYPASS",
                LobbyOutcome::Wait => "WAIT",
            };
            writeln!(f, "lobby: {outcome} by {}: {}", l.rule, l.reason)?;
        }
        Ok(())
    }
}

/// What the chat and meeting rules read.
struct TeamsCtx<'a> {
    compiled: &'a Compiled,
    settings: Settings<'a>,
}

/// Decides a `chat:` request.
pub fn decide_chat(compiled: &Compiled, req: &ChatRequest) -> TeamsDecision {
    let ctx = TeamsCtx {
        compiled,
        settings: Settings::of(&compiled.pack),
    };
    let mut trace = Trace::default();
    let mechanism = chat::decide(&ctx, req, &mut trace);
    TeamsDecision::from_trace(trace, mechanism, None)
}

/// Decides a `meeting:` request.
pub fn decide_meeting(compiled: &Compiled, req: &MeetingRequest) -> TeamsDecision {
    let ctx = TeamsCtx {
        compiled,
        settings: Settings::of(&compiled.pack),
    };
    let mut trace = Trace::default();
    let (mechanism, lobby) = meeting::decide(&ctx, req, &mut trace);
    TeamsDecision::from_trace(trace, mechanism, lobby)
}

/// The person's address and the declared tenant owning its domain, recorded in the trace. An
/// address of our own domain is refused for the external mechanisms (`own` is allowed only for
/// `account: member`).
fn person<'a>(
    ctx: &TeamsCtx<'a>,
    with: &str,
    own: bool,
    trace: &mut Trace,
) -> Result<(super::recipient::Address, Option<&'a crate::model::Tenant>), super::trace::Stopped> {
    let (address, home, is_resource) = super::recipient::locate(&ctx.compiled.pack, with, trace)?;
    if is_resource != own {
        let why = if own {
            format!(
                "`account: member` is one of our users, but `{}` is not in a domain of the resource tenant",
                address.text
            )
        } else {
            format!(
                "`{}` is in a domain of the resource tenant: one of our users, not an external person (ask with `account: member`)",
                address.text
            )
        };
        return Err(trace.fail(ShareRule::RecipientAccount, why, None));
    }
    Ok((address, home))
}

/// A guest account: the `share: teams` rules for an existing guest decide (Teams guest access,
/// which depends on Microsoft 365 Groups guest access, §7.4).
fn guest_access(ctx: &TeamsCtx<'_>, with: &str, trace: &mut Trace) -> super::trace::Flow {
    use crate::model::share::{ExistingAccount, ShareRequest, ShareService};
    let share = ShareRequest {
        existing: ExistingAccount::Guest,
        ..ShareRequest::new(ShareService::Teams, with)
    };
    super::evaluate(&ctx.compiled.pack, &ctx.settings, &share, trace)
}

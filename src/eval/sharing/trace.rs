//! The structured record of a sharing decision, and the decision computed from it.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::model::{CalendarLevel, SharingLevel};
use crate::source::Span;

/// A sharing rule: the stable id that names which platform rule decided (or was checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ShareRule {
    /// The request itself is incomplete or contradictory (a `level` outside calendar requests...).
    RequestInvalid,
    /// The recipient's e-mail address cannot be read.
    RecipientAddress,
    /// The recipient's account does not fit their domain (an own-domain address without account).
    RecipientAccount,
    /// The recipient is a member of the resource tenant itself.
    InternalRecipient,
    /// The recipient is an external member from a tenant active in the same organisation (§5.4).
    InOrganizationMember,
    /// A site stricter than the organisation lowers the effective level (§7.1).
    SiteLevel,
    /// OneDrive is never more permissive than SharePoint (§7.1).
    OnedriveLevel,
    /// An Anyone link needs the effective level `anyone` (§7.1).
    AnyoneLinkLevel,
    /// A new guest needs `new_and_existing_guests` (§7.1).
    NewGuestLevel,
    /// An existing guest needs at least `existing_guests` (§7.1).
    ExistingGuestLevel,
    /// The organisation's SharePoint/OneDrive domain allow list (§7.2).
    SharepointDomainAllow,
    /// The organisation's SharePoint/OneDrive domain block list (§7.2).
    SharepointDomainBlock,
    /// A site's domain allow list (§7.2).
    SiteDomainAllow,
    /// A site's domain block list (§7.2).
    SiteDomainBlock,
    /// Who may invite guests (`allowInvitesFrom`, §7.6).
    InvitationFrom,
    /// The Entra B2B collaboration domain allow/block list (§7.6).
    InvitationDomain,
    /// Inbound B2B collaboration cross-tenant settings at invitation time (§4.3, last paragraph).
    InvitationCrossTenant,
    /// Teams guest access (§7.4).
    TeamsGuestAccess,
    /// The Teams external access master switch (§7.4).
    TeamsExternalAccess,
    /// The Teams external access domain lists (§7.4).
    TeamsExternalDomain,
    /// `AllowTeamsConsumer`: Teams accounts not managed by an organization.
    TeamsConsumer,
    /// `AllowTeamsConsumerInbound`: may such accounts start the conversation.
    TeamsConsumerInbound,
    /// External access with unmanaged Teams accounts is chat only.
    TeamsConsumerChatOnly,
    /// `TreatDiscoveredPartnersAsUnverified`: messages from discovered partners need contacts.
    TeamsDiscoveredPartners,
    /// Shared channels: the inbound B2B direct connect cross-tenant gate (§4, §7.4).
    SharedChannelCrossTenant,
    /// The organizer's Teams meeting policy.
    MeetingPolicy,
    /// `AllowAnonymousUsersToJoinMeeting`.
    MeetingAnonymousJoin,
    /// Joining by phone (PSTN).
    MeetingDialIn,
    /// Who waits in the meeting lobby (`AutoAdmittedUsers`, `AllowPSTNUsersToBypassLobby`).
    MeetingLobby,
    /// Microsoft 365 Groups guest access (§7.5).
    GroupsGuestAccess,
    /// Exchange calendar sharing levels per domain: the owner's sharing policy (§7.7).
    CalendarLevel,
    /// An Exchange organization relationship's free/busy access (§7.7).
    OrganizationRelationship,
    /// Power BI / Fabric guest access (§7.8).
    PowerBiGuestAccess,
    /// Inviting through Power BI also needs the Guest Inviter role (§7.8).
    PowerBiInviteRole,
    /// Viva Engage external networks (§7.9).
    VivaEngageExternalNetworks,
    /// No rule granted the share: fail closed.
    Undecided,
}

impl ShareRule {
    pub const ALL: [ShareRule; 36] = [
        ShareRule::RequestInvalid,
        ShareRule::RecipientAddress,
        ShareRule::RecipientAccount,
        ShareRule::InternalRecipient,
        ShareRule::InOrganizationMember,
        ShareRule::SiteLevel,
        ShareRule::OnedriveLevel,
        ShareRule::AnyoneLinkLevel,
        ShareRule::NewGuestLevel,
        ShareRule::ExistingGuestLevel,
        ShareRule::SharepointDomainAllow,
        ShareRule::SharepointDomainBlock,
        ShareRule::SiteDomainAllow,
        ShareRule::SiteDomainBlock,
        ShareRule::InvitationFrom,
        ShareRule::InvitationDomain,
        ShareRule::InvitationCrossTenant,
        ShareRule::TeamsGuestAccess,
        ShareRule::TeamsExternalAccess,
        ShareRule::TeamsExternalDomain,
        ShareRule::TeamsConsumer,
        ShareRule::TeamsConsumerInbound,
        ShareRule::TeamsConsumerChatOnly,
        ShareRule::TeamsDiscoveredPartners,
        ShareRule::SharedChannelCrossTenant,
        ShareRule::MeetingPolicy,
        ShareRule::MeetingAnonymousJoin,
        ShareRule::MeetingDialIn,
        ShareRule::MeetingLobby,
        ShareRule::GroupsGuestAccess,
        ShareRule::CalendarLevel,
        ShareRule::OrganizationRelationship,
        ShareRule::PowerBiGuestAccess,
        ShareRule::PowerBiInviteRole,
        ShareRule::VivaEngageExternalNetworks,
        ShareRule::Undecided,
    ];

    /// The stable snake_case id.
    pub fn id(self) -> &'static str {
        match self {
            ShareRule::RequestInvalid => "request_invalid",
            ShareRule::RecipientAddress => "recipient_address",
            ShareRule::RecipientAccount => "recipient_account",
            ShareRule::InternalRecipient => "internal_recipient",
            ShareRule::InOrganizationMember => "in_organization_member",
            ShareRule::SiteLevel => "site_level",
            ShareRule::OnedriveLevel => "onedrive_level",
            ShareRule::AnyoneLinkLevel => "anyone_link_level",
            ShareRule::NewGuestLevel => "new_guest_level",
            ShareRule::ExistingGuestLevel => "existing_guest_level",
            ShareRule::SharepointDomainAllow => "sharepoint_domain_allow",
            ShareRule::SharepointDomainBlock => "sharepoint_domain_block",
            ShareRule::SiteDomainAllow => "site_domain_allow",
            ShareRule::SiteDomainBlock => "site_domain_block",
            ShareRule::InvitationFrom => "invitation_from",
            ShareRule::InvitationDomain => "invitation_domain",
            ShareRule::InvitationCrossTenant => "invitation_cross_tenant",
            ShareRule::TeamsGuestAccess => "teams_guest_access",
            ShareRule::TeamsExternalAccess => "teams_external_access",
            ShareRule::TeamsExternalDomain => "teams_external_domain",
            ShareRule::TeamsConsumer => "teams_consumer",
            ShareRule::TeamsConsumerInbound => "teams_consumer_inbound",
            ShareRule::TeamsConsumerChatOnly => "teams_consumer_chat_only",
            ShareRule::TeamsDiscoveredPartners => "teams_discovered_partners_unverified",
            ShareRule::SharedChannelCrossTenant => "shared_channel_cross_tenant",
            ShareRule::MeetingPolicy => "meeting_policy",
            ShareRule::MeetingAnonymousJoin => "meeting_anonymous_join",
            ShareRule::MeetingDialIn => "meeting_dial_in",
            ShareRule::MeetingLobby => "meeting_lobby",
            ShareRule::GroupsGuestAccess => "groups_guest_access",
            ShareRule::CalendarLevel => "calendar_level",
            ShareRule::OrganizationRelationship => "organization_relationship",
            ShareRule::PowerBiGuestAccess => "power_bi_guest_access",
            ShareRule::PowerBiInviteRole => "power_bi_invite_role",
            ShareRule::VivaEngageExternalNetworks => "viva_engage_external_networks",
            ShareRule::Undecided => "undecided",
        }
    }

    pub fn from_id(id: &str) -> Option<ShareRule> {
        ShareRule::ALL.into_iter().find(|r| r.id() == id)
    }
}

impl fmt::Display for ShareRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for ShareRule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// The level a share was judged against: SharePoint/OneDrive sharing level, or calendar level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EffectiveLevel {
    Sharing(SharingLevel),
    Calendar(CalendarLevel),
}

impl EffectiveLevel {
    pub fn name(self) -> &'static str {
        match self {
            EffectiveLevel::Sharing(l) => l.name(),
            EffectiveLevel::Calendar(l) => l.name(),
        }
    }
}

impl fmt::Display for EffectiveLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for EffectiveLevel {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// What one step of the evaluation found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepOutcome {
    /// A fact the decision builds on (an effective level, the recipient's tenant).
    Note,
    /// A check that passed.
    Pass,
    /// The rule that allows the share, unless a later check fails.
    Grant,
    /// A check that failed: the share is denied.
    Fail,
}

/// One step of a sharing evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShareStep {
    pub rule: ShareRule,
    pub outcome: StepOutcome,
    pub reason: String,
    /// The pack setting the step is about; `None` for a platform default or the request itself.
    #[serde(skip)]
    pub at: Option<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareVerdict {
    Allow,
    Deny,
}

/// The answer to a share request.
///
/// Serializes as `{"decision": "allow|deny", "rule": ..., "reason": ..., "effective_level": ...}`
/// (the trace is data for renderers, not part of that contract). `Display` gives `ALLOW` or
/// `DENY: <reason>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShareDecision {
    pub decision: ShareVerdict,
    pub rule: ShareRule,
    pub reason: String,
    pub effective_level: Option<EffectiveLevel>,
    #[serde(skip)]
    pub trace: Vec<ShareStep>,
}

impl ShareDecision {
    pub fn is_allow(&self) -> bool {
        self.decision == ShareVerdict::Allow
    }
}

impl fmt::Display for ShareDecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.decision {
            ShareVerdict::Allow => f.write_str("ALLOW"),
            ShareVerdict::Deny => write!(f, "DENY: {}", self.reason),
        }
    }
}

/// Marks that a check failed and evaluation stops (the failure is already in the trace).
#[derive(Debug)]
pub(super) struct Stopped;

/// The result of a group of checks: `Err` once one has failed.
pub(super) type Flow = Result<(), Stopped>;

/// The trace under construction.
#[derive(Debug, Default)]
pub(super) struct Trace {
    steps: Vec<ShareStep>,
    effective_level: Option<EffectiveLevel>,
}

impl Trace {
    fn push(&mut self, rule: ShareRule, outcome: StepOutcome, reason: String, at: Option<Span>) {
        self.steps.push(ShareStep {
            rule,
            outcome,
            reason,
            at,
        });
    }

    pub(super) fn note(&mut self, rule: ShareRule, reason: String, at: Option<Span>) {
        self.push(rule, StepOutcome::Note, reason, at);
    }

    pub(super) fn pass(&mut self, rule: ShareRule, reason: String, at: Option<Span>) {
        self.push(rule, StepOutcome::Pass, reason, at);
    }

    pub(super) fn grant(&mut self, rule: ShareRule, reason: String, at: Option<Span>) {
        self.push(rule, StepOutcome::Grant, reason, at);
    }

    /// Records a failed check; the caller returns `Err` with the result.
    pub(super) fn fail(&mut self, rule: ShareRule, reason: String, at: Option<Span>) -> Stopped {
        self.push(rule, StepOutcome::Fail, reason, at);
        Stopped
    }

    /// Takes over another trace's steps, as they are.
    pub(super) fn absorb(&mut self, other: Trace) {
        self.steps.extend(other.steps);
    }

    /// Takes over another trace's steps as notes: checks that were tried and did not decide.
    pub(super) fn absorb_as_notes(&mut self, other: Trace) {
        self.steps.extend(other.steps.into_iter().map(|mut s| {
            s.outcome = StepOutcome::Note;
            s
        }));
    }

    pub(super) fn set_level(&mut self, level: EffectiveLevel) {
        self.effective_level = Some(level);
    }

    /// The decision, computed from the record alone: the first failed check denies; otherwise the
    /// first granting rule allows; a trace with neither denies (fail closed).
    pub(super) fn conclude(self) -> ShareDecision {
        let failed = self.steps.iter().find(|s| s.outcome == StepOutcome::Fail);
        let granted = self.steps.iter().find(|s| s.outcome == StepOutcome::Grant);
        let (decision, rule, reason) = match (failed, granted) {
            (Some(f), _) => (ShareVerdict::Deny, f.rule, f.reason.clone()),
            (None, Some(g)) => (ShareVerdict::Allow, g.rule, g.reason.clone()),
            (None, None) => (
                ShareVerdict::Deny,
                ShareRule::Undecided,
                "no sharing rule allows this request, so it is denied".to_string(),
            ),
        };
        ShareDecision {
            decision,
            rule,
            reason,
            effective_level: self.effective_level,
            trace: self.steps,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_round_trip() {
        let mut ids: Vec<&str> = ShareRule::ALL.iter().map(|r| r.id()).collect();
        for rule in ShareRule::ALL {
            assert_eq!(ShareRule::from_id(rule.id()), Some(rule));
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ShareRule::ALL.len());
    }

    #[test]
    fn a_failure_beats_an_earlier_grant() {
        let mut t = Trace::default();
        t.grant(ShareRule::NewGuestLevel, "ok".into(), None);
        let _ = t.fail(ShareRule::InvitationFrom, "no".into(), None);
        let d = t.conclude();
        assert_eq!(d.decision, ShareVerdict::Deny);
        assert_eq!(d.rule, ShareRule::InvitationFrom);
        assert_eq!(d.to_string(), "DENY: no");
    }

    #[test]
    fn the_first_grant_decides_an_allow() {
        let mut t = Trace::default();
        t.note(ShareRule::SiteLevel, "fact".into(), None);
        t.grant(ShareRule::ExistingGuestLevel, "ok".into(), None);
        t.pass(ShareRule::SharepointDomainAllow, "listed".into(), None);
        t.set_level(EffectiveLevel::Sharing(SharingLevel::ExistingGuests));
        let d = t.conclude();
        assert_eq!(d.to_string(), "ALLOW");
        assert_eq!(d.rule, ShareRule::ExistingGuestLevel);
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"decision": "allow", "rule": "existing_guest_level",
                               "reason": "ok", "effective_level": "existing_guests"})
        );
    }

    #[test]
    fn an_empty_trace_denies() {
        let d = Trace::default().conclude();
        assert_eq!(d.decision, ShareVerdict::Deny);
        assert_eq!(d.rule, ShareRule::Undecided);
        assert_eq!(
            serde_json::to_value(&d).unwrap()["effective_level"],
            serde_json::Value::Null
        );
    }
}

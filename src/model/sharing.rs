//! Microsoft 365 sharing settings (§7 of the reference).

use serde::Serialize;

use super::{Access, Extension, Spanned};
use crate::source::Span;

/// SharePoint/OneDrive sharing capability, least to most permissive (§7.1 rank order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SharingLevel {
    OnlyOrganization,
    ExistingGuests,
    NewAndExistingGuests,
    Anyone,
}

impl SharingLevel {
    pub const ALL: [SharingLevel; 4] = [
        SharingLevel::OnlyOrganization,
        SharingLevel::ExistingGuests,
        SharingLevel::NewAndExistingGuests,
        SharingLevel::Anyone,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SharingLevel::OnlyOrganization => "only_organization",
            SharingLevel::ExistingGuests => "existing_guests",
            SharingLevel::NewAndExistingGuests => "new_and_existing_guests",
            SharingLevel::Anyone => "anyone",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.name() == name)
    }
}

/// `domains allow [...]` or `domains block [...]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainList {
    pub access: Spanned<Access>,
    pub domains: Vec<Spanned<String>>,
    #[serde(skip)]
    pub span: Span,
}

/// `site "<url>" = level` or `site "<url>" { level = ...  domains allow [...] }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Site {
    pub url: Spanned<String>,
    pub level: Spanned<SharingLevel>,
    pub domains: Vec<DomainList>,
    /// The site's `ShowPeoplePickerSuggestionsForGuestUsers` (`Set-SPOSite`).
    pub people_picker_guests: Option<Spanned<bool>>,
    #[serde(skip)]
    pub span: Span,
}

/// Who may invite guests (`authorizationPolicy.allowInvitesFrom`, §7.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InviteFrom {
    Nobody,
    AdminsAndGuestInviters,
    MembersAndGuests,
    Everyone,
}

impl InviteFrom {
    pub const ALL: [InviteFrom; 4] = [
        InviteFrom::Nobody,
        InviteFrom::AdminsAndGuestInviters,
        InviteFrom::MembersAndGuests,
        InviteFrom::Everyone,
    ];

    pub fn name(self) -> &'static str {
        match self {
            InviteFrom::Nobody => "nobody",
            InviteFrom::AdminsAndGuestInviters => "admins_and_guest_inviters",
            InviteFrom::MembersAndGuests => "members_and_guests",
            InviteFrom::Everyone => "everyone",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Invitations {
    pub from: Option<Spanned<InviteFrom>>,
    pub domains: Vec<DomainList>,
    #[serde(skip)]
    pub span: Span,
}

/// Calendar sharing levels, least to most detailed (§7.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CalendarLevel {
    None,
    FreeBusy,
    FreeBusyDetail,
    Reviewer,
}

impl CalendarLevel {
    pub const ALL: [CalendarLevel; 4] = [
        CalendarLevel::None,
        CalendarLevel::FreeBusy,
        CalendarLevel::FreeBusyDetail,
        CalendarLevel::Reviewer,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CalendarLevel::None => "none",
            CalendarLevel::FreeBusy => "free_busy",
            CalendarLevel::FreeBusyDetail => "free_busy_detail",
            CalendarLevel::Reviewer => "reviewer",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.name() == name)
    }
}

/// `calendar "fabrikam.com" = free_busy_detail` (`"*"` is every other domain).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalendarShare {
    pub domain: Spanned<String>,
    pub level: Spanned<CalendarLevel>,
    #[serde(skip)]
    pub span: Span,
}

/// `AutoAdmittedUsers` of a Teams meeting policy: who joins without waiting in the lobby, from
/// the most open to the strictest (`Set-CsTeamsMeetingPolicy`; the meeting lobby page of Microsoft
/// Learn, "Control who can bypass the meeting lobby in Microsoft Teams").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LobbyBypass {
    /// `Everyone`: anonymous people too (dial-in users have their own switch).
    Everyone,
    /// `EveryoneInSameAndFederatedCompany`: our people, guests and people from trusted
    /// (federated) organisations.
    EveryoneInSameAndFederatedCompany,
    /// `EveryoneInCompany`: our people and guests.
    EveryoneInCompany,
    /// `EveryoneInCompanyExcludingGuests`: our people only.
    EveryoneInCompanyExcludingGuests,
    /// `InvitedUsers`: the people the organizer invited.
    InvitedUsers,
    /// `OrganizerOnly`: everyone but the organizer waits.
    OrganizerOnly,
}

impl LobbyBypass {
    pub const ALL: [LobbyBypass; 6] = [
        LobbyBypass::Everyone,
        LobbyBypass::EveryoneInSameAndFederatedCompany,
        LobbyBypass::EveryoneInCompany,
        LobbyBypass::EveryoneInCompanyExcludingGuests,
        LobbyBypass::InvitedUsers,
        LobbyBypass::OrganizerOnly,
    ];

    pub fn name(self) -> &'static str {
        match self {
            LobbyBypass::Everyone => "everyone",
            LobbyBypass::EveryoneInSameAndFederatedCompany => {
                "everyone_in_same_and_federated_company"
            }
            LobbyBypass::EveryoneInCompany => "everyone_in_company",
            LobbyBypass::EveryoneInCompanyExcludingGuests => "everyone_in_company_excluding_guests",
            LobbyBypass::InvitedUsers => "invited_users",
            LobbyBypass::OrganizerOnly => "organizer_only",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.name() == name)
    }
}

/// `teams meeting ["Name"] { ... }`: the lobby settings of a Teams meeting policy. Without a name
/// it is the org-wide default policy, `Global`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeetingPolicy {
    pub name: Option<Spanned<String>>,
    /// `AutoAdmittedUsers`.
    pub lobby_bypass: Option<Spanned<LobbyBypass>>,
    /// `AllowAnonymousUsersToJoinMeeting`.
    pub anonymous_join: Option<Spanned<bool>>,
    /// `AllowPSTNUsersToBypassLobby`.
    pub dial_in_bypass: Option<Spanned<bool>>,
    #[serde(skip)]
    pub span: Span,
}

impl MeetingPolicy {
    /// The policy's name: `Global` when the pack gives none.
    pub fn policy_name(&self) -> &str {
        self.name.as_ref().map_or("Global", |n| n.value.as_str())
    }
}

/// The `sharing { ... }` block. Every setting is optional; absent settings take the platform's
/// defaults (documented in the README).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Sharing {
    pub sharepoint: Option<Spanned<SharingLevel>>,
    pub onedrive: Option<Spanned<SharingLevel>>,
    pub sites: Vec<Site>,
    pub domains: Vec<DomainList>,
    pub invitations: Option<Invitations>,
    pub teams_guest_access: Option<Spanned<bool>>,
    /// `teams external_access = on|off` (the federation master switch).
    pub teams_external_enabled: Option<Spanned<bool>>,
    pub teams_external_domains: Vec<DomainList>,
    /// `teams consumer = on|off`: `AllowTeamsConsumer` (chat with unmanaged Teams accounts).
    pub teams_consumer: Option<Spanned<bool>>,
    /// `teams consumer_inbound = on|off`: `AllowTeamsConsumerInbound` (they may start it).
    pub teams_consumer_inbound: Option<Spanned<bool>>,
    /// `teams discovered_partners_unverified = on|off`: `TreatDiscoveredPartnersAsUnverified`.
    pub teams_discovered_unverified: Option<Spanned<bool>>,
    /// `teams meeting ["Name"] { ... }`: meeting policies' lobby settings.
    pub teams_meetings: Vec<MeetingPolicy>,
    pub groups_guest_access: Option<Spanned<bool>>,
    pub calendar: Vec<CalendarShare>,
    pub power_bi_guest_access: Option<Spanned<bool>>,
    pub viva_engage_external_networks: Option<Spanned<bool>>,
    /// `people_picker_guests = on|off`: `ShowPeoplePickerSuggestionsForGuestUsers` of
    /// `Set-SPOTenant` (off by default): guests hidden from the address list are found in the
    /// SharePoint people picker only with it on.
    pub people_picker_guests: Option<Spanned<bool>>,
    /// `exchange ...` statements: organization relationships, sharing policies, connectors and
    /// remote domains of Exchange Online.
    pub exchange: super::exchange::Exchange,
    /// Graph properties of the sharing resources accord does not model. Pointers start with the
    /// resource: `/sharepointSettings/...` or `/authorizationPolicy/...`.
    pub extensions: Vec<Extension>,
    #[serde(skip)]
    pub span: Span,
}

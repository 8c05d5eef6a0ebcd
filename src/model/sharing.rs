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

/// What guests may see in the directory (`authorizationPolicy.guestUserRoleId`, the role
/// template the platform gives guest users; Graph `authorizationPolicy`, "Restrict guest
/// access permissions in Microsoft Entra ID").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GuestRole {
    /// `a0b1b346-4d3e-4e8b-98f8-753987be4970` (User): the same access as members.
    SameAsMembers,
    /// `10dae51f-b6af-4016-8d66-8c2a99b929b3` (Guest User): limited access, the default.
    Limited,
    /// `2af84b1e-32c8-42b7-82bc-daa82404023b` (Restricted Guest User): their own objects only.
    Restricted,
}

impl GuestRole {
    pub const ALL: [GuestRole; 3] = [
        GuestRole::SameAsMembers,
        GuestRole::Limited,
        GuestRole::Restricted,
    ];

    pub fn name(self) -> &'static str {
        match self {
            GuestRole::SameAsMembers => "same_as_members",
            GuestRole::Limited => "limited",
            GuestRole::Restricted => "restricted",
        }
    }

    /// The role template id Graph stores.
    pub fn role_id(self) -> &'static str {
        match self {
            GuestRole::SameAsMembers => "a0b1b346-4d3e-4e8b-98f8-753987be4970",
            GuestRole::Limited => "10dae51f-b6af-4016-8d66-8c2a99b929b3",
            GuestRole::Restricted => "2af84b1e-32c8-42b7-82bc-daa82404023b",
        }
    }

    pub fn from_role_id(id: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.role_id().eq_ignore_ascii_case(id))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Invitations {
    pub from: Option<Spanned<InviteFrom>>,
    pub domains: Vec<DomainList>,
    /// `guest_role = ...`: `guestUserRoleId`.
    pub guest_role: Option<Spanned<GuestRole>>,
    /// `email_otp = on|off`: whether invited people without an Entra or Microsoft account may
    /// redeem with a one-time passcode sent by e-mail (`emailAuthenticationMethodConfiguration
    /// .allowExternalIdToUseEmailOtp`; on since October 2021 for tenants left at `default`).
    pub email_otp: Option<Spanned<bool>>,
    /// `self_service_sign_up = on|off`: guest self-service sign-up through user flows
    /// (`authenticationFlowsPolicy.selfServiceSignUp.isEnabled`, off by default).
    pub self_service_sign_up: Option<Spanned<bool>>,
    #[serde(skip)]
    pub span: Span,
}

impl Invitations {
    pub fn new(span: Span) -> Self {
        Invitations {
            from: None,
            domains: Vec::new(),
            guest_role: None,
            email_otp: None,
            self_service_sign_up: None,
            span,
        }
    }
}

/// The link a SharePoint or OneDrive share dialog selects first (`DefaultSharingLinkType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultLink {
    /// `Direct` (1): specific people.
    SpecificPeople,
    /// `Internal` (2): people in the organisation.
    Organization,
    /// `AnonymousAccess` (3): anyone with the link.
    Anyone,
}

impl DefaultLink {
    pub const ALL: [DefaultLink; 3] = [
        DefaultLink::SpecificPeople,
        DefaultLink::Organization,
        DefaultLink::Anyone,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DefaultLink::SpecificPeople => "specific_people",
            DefaultLink::Organization => "organization",
            DefaultLink::Anyone => "anyone",
        }
    }
}

/// The permission a new sharing link carries first (`DefaultLinkPermission`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkPermission {
    /// `View` (1).
    View,
    /// `Edit` (2).
    Edit,
}

impl LinkPermission {
    pub const ALL: [LinkPermission; 2] = [LinkPermission::View, LinkPermission::Edit];

    pub fn name(self) -> &'static str {
        match self {
            LinkPermission::View => "view",
            LinkPermission::Edit => "edit",
        }
    }
}

/// An expiry in days, or `off` (`None`).
pub type Expiry = Option<u32>;

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
    /// `external_resharing = on|off`: whether guests may share what they do not own (the
    /// reverse of `PreventExternalUsersFromResharing`; Graph
    /// `isResharingByExternalUsersEnabled`). On by default.
    pub external_resharing: Option<Spanned<bool>>,
    /// `require_account_match = on|off`: a guest must sign in with the account the
    /// invitation was sent to (`RequireAcceptingAccountMatchInvitedAccount`; Graph
    /// `isRequireAcceptingUserToMatchInvitedUserEnabled`). Off by default.
    pub require_account_match: Option<Spanned<bool>>,
    /// `guest_expiry = 60d | off`: guests lose access to SharePoint and OneDrive this many days
    /// after they were invited (`ExternalUserExpirationRequired`, `ExternalUserExpireInDays`).
    pub guest_expiry: Option<Spanned<Expiry>>,
    /// `anyone_link_expiry = 30d | off`: `RequireAnonymousLinksExpireInDays`.
    pub anyone_link_expiry: Option<Spanned<Expiry>>,
    /// `default_link = ...`: `DefaultSharingLinkType`.
    pub default_link: Option<Spanned<DefaultLink>>,
    /// `default_link_permission = view|edit`: `DefaultLinkPermission`.
    pub default_link_permission: Option<Spanned<LinkPermission>>,
    /// Graph properties of the sharing resources accord does not model. Pointers start with the
    /// resource: `/sharepointSettings/...` or `/authorizationPolicy/...`.
    pub extensions: Vec<Extension>,
    #[serde(skip)]
    pub span: Span,
}

//! The pack's sharing settings as the evaluator reads them: every `sharing` block merged, each
//! absent setting replaced by its platform default, each value remembering where it came from.
//!
//! Validation rejects a second `sharing` block (E1080); settings the platform would not hold
//! together (OneDrive above SharePoint, allow and block lists side by side) are left to the
//! linter and reach the evaluator. Where the platform has a rule for them it is applied (OneDrive
//! is clamped, Teams ignores block lists beside an allow list); otherwise every list applies. And
//! should several blocks ever reach it, the strictest value of each setting is used. Both are
//! fail closed: a share allowed under the strictest reading is allowed under every reading.

use crate::model::{
    CalendarShare, DomainList, InviteFrom, LobbyBypass, MeetingPolicy, Pack, SharingLevel, Site,
    Spanned,
};
use crate::source::Span;

/// A setting's value and its origin: the declaration in the pack, or `None` for the platform
/// default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Setting<T> {
    pub value: T,
    pub at: Option<Span>,
}

impl<T: Copy> Setting<T> {
    /// The setting in admin words: "`sharepoint = existing_guests`", or
    /// "`sharepoint` (not set: platform default `anyone`)".
    pub fn describe(&self, key: &str, name: impl Fn(T) -> &'static str) -> String {
        match self.at {
            Some(_) => format!("`{key} = {}`", name(self.value)),
            None => format!("`{key}` (not set: platform default `{}`)", name(self.value)),
        }
    }
}

pub(super) fn on_off(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}

/// Platform defaults for settings a pack leaves out (see the table in the module docs of
/// `eval::sharing`).
pub(super) mod defaults {
    use super::{InviteFrom, SharingLevel};

    /// §7.1: "the default for SharePoint and OneDrive is Anyone".
    pub const SHAREPOINT: SharingLevel = SharingLevel::Anyone;
    /// §7.1: same default; still clamped to the SharePoint level.
    pub const ONEDRIVE: SharingLevel = SharingLevel::Anyone;
    /// §7.6: `allowInvitesFrom` defaults to `everyone` (outside US Government clouds).
    pub const INVITE_FROM: InviteFrom = InviteFrom::Everyone;
    /// Not stated in the reference (§7.4 only says it depends on Entra and Groups guest access);
    /// Microsoft turned Teams guest access on for every tenant in February 2021 (UNVERIFIED here).
    pub const TEAMS_GUEST_ACCESS: bool = true;
    /// §7.4: `AllowFederatedUsers` defaults to True, with `AllowAllKnownDomains`.
    pub const TEAMS_EXTERNAL_ACCESS: bool = true;
    /// `AllowTeamsConsumer` and `AllowTeamsConsumerInbound` default to True
    /// (`Set-CsTenantFederationConfiguration`; §7.4 lists them without defaults).
    pub const TEAMS_CONSUMER: bool = true;
    pub const TEAMS_CONSUMER_INBOUND: bool = true;
    /// `TreatDiscoveredPartnersAsUnverified` defaults to False (`Set-CsTenantFederationConfiguration`).
    pub const TEAMS_DISCOVERED_UNVERIFIED: bool = false;
    /// `AutoAdmittedUsers`: the current default is `EveryoneInCompanyExcludingGuests`
    /// (`Set-CsTeamsMeetingPolicy`; older tenants had `EveryoneInCompany`, which admits guests:
    /// the stricter of the two is taken, fail closed).
    pub const LOBBY_BYPASS: super::LobbyBypass =
        super::LobbyBypass::EveryoneInCompanyExcludingGuests;
    /// `AllowAnonymousUsersToJoinMeeting` defaults to True (`Set-CsTeamsMeetingPolicy`).
    pub const ANONYMOUS_JOIN: bool = true;
    /// `AllowPSTNUsersToBypassLobby` defaults to False (`Set-CsTeamsMeetingPolicy`).
    pub const DIAL_IN_BYPASS: bool = false;
    /// §7.5: "Guest access to groups is on by default".
    pub const GROUPS_GUEST_ACCESS: bool = true;
    /// §7.8 does not give the default; an undocumented default is taken as off (fail closed).
    pub const POWER_BI_GUEST_ACCESS: bool = false;
    /// §7.9 does not give the default; external networks are created by verified admins only,
    /// so an absent setting is taken as off (fail closed).
    pub const VIVA_ENGAGE_EXTERNAL_NETWORKS: bool = false;
}

/// The merged view of every `sharing` block of a pack.
#[derive(Debug, Clone)]
pub(super) struct Settings<'a> {
    pub sharepoint: Setting<SharingLevel>,
    pub onedrive: Setting<SharingLevel>,
    pub sites: Vec<&'a Site>,
    pub domains: Vec<&'a DomainList>,
    pub invite_from: Setting<InviteFrom>,
    pub invite_domains: Vec<&'a DomainList>,
    pub teams_guest_access: Setting<bool>,
    pub teams_external_access: Setting<bool>,
    pub teams_external_domains: Vec<&'a DomainList>,
    pub teams_consumer: Setting<bool>,
    pub teams_consumer_inbound: Setting<bool>,
    pub teams_discovered_unverified: Setting<bool>,
    pub meetings: Vec<&'a MeetingPolicy>,
    pub groups_guest_access: Setting<bool>,
    pub calendar: Vec<&'a CalendarShare>,
    pub power_bi_guest_access: Setting<bool>,
    pub viva_engage_external_networks: Setting<bool>,
}

impl<'a> Settings<'a> {
    pub fn of(pack: &'a Pack) -> Settings<'a> {
        let blocks = &pack.sharing;
        let invitations = || blocks.iter().filter_map(|b| b.invitations.as_ref());
        Settings {
            sharepoint: strictest(
                blocks.iter().filter_map(|b| b.sharepoint.as_ref()),
                defaults::SHAREPOINT,
            ),
            onedrive: strictest(
                blocks.iter().filter_map(|b| b.onedrive.as_ref()),
                defaults::ONEDRIVE,
            ),
            sites: blocks.iter().flat_map(|b| b.sites.iter()).collect(),
            domains: blocks.iter().flat_map(|b| b.domains.iter()).collect(),
            invite_from: strictest(
                invitations().filter_map(|i| i.from.as_ref()),
                defaults::INVITE_FROM,
            ),
            invite_domains: invitations().flat_map(|i| i.domains.iter()).collect(),
            teams_guest_access: strictest(
                blocks.iter().filter_map(|b| b.teams_guest_access.as_ref()),
                defaults::TEAMS_GUEST_ACCESS,
            ),
            teams_external_access: strictest(
                blocks
                    .iter()
                    .filter_map(|b| b.teams_external_enabled.as_ref()),
                defaults::TEAMS_EXTERNAL_ACCESS,
            ),
            teams_external_domains: blocks
                .iter()
                .flat_map(|b| b.teams_external_domains.iter())
                .collect(),
            teams_consumer: strictest(
                blocks.iter().filter_map(|b| b.teams_consumer.as_ref()),
                defaults::TEAMS_CONSUMER,
            ),
            teams_consumer_inbound: strictest(
                blocks
                    .iter()
                    .filter_map(|b| b.teams_consumer_inbound.as_ref()),
                defaults::TEAMS_CONSUMER_INBOUND,
            ),
            // Here `on` is the stricter value: messages from discovered partners need contacts.
            teams_discovered_unverified: most_permissive(
                blocks
                    .iter()
                    .filter_map(|b| b.teams_discovered_unverified.as_ref()),
                defaults::TEAMS_DISCOVERED_UNVERIFIED,
            ),
            meetings: blocks
                .iter()
                .flat_map(|b| b.teams_meetings.iter())
                .collect(),
            groups_guest_access: strictest(
                blocks.iter().filter_map(|b| b.groups_guest_access.as_ref()),
                defaults::GROUPS_GUEST_ACCESS,
            ),
            calendar: blocks.iter().flat_map(|b| b.calendar.iter()).collect(),
            power_bi_guest_access: strictest(
                blocks
                    .iter()
                    .filter_map(|b| b.power_bi_guest_access.as_ref()),
                defaults::POWER_BI_GUEST_ACCESS,
            ),
            viva_engage_external_networks: strictest(
                blocks
                    .iter()
                    .filter_map(|b| b.viva_engage_external_networks.as_ref()),
                defaults::VIVA_ENGAGE_EXTERNAL_NETWORKS,
            ),
        }
    }

    /// The declared site a request URL names (case and a trailing `/` ignored); the strictest if
    /// several blocks declare it.
    pub fn site(&self, url: &str) -> Option<&'a Site> {
        self.sites
            .iter()
            .copied()
            .filter(|s| same_url(&s.url.value, url))
            .min_by_key(|s| s.level.value)
    }
}

/// The lobby settings of one meeting policy, each with its origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Meeting {
    pub lobby_bypass: Setting<LobbyBypass>,
    pub anonymous_join: Setting<bool>,
    pub dial_in_bypass: Setting<bool>,
}

impl Settings<'_> {
    /// The settings of the meeting policy `name` (case ignored; `Global` is the org-wide
    /// default, which holds the platform defaults when the pack does not declare it). `None` for
    /// an undeclared policy other than `Global`.
    pub fn meeting(&self, name: &str) -> Option<Meeting> {
        let declared = self
            .meetings
            .iter()
            .find(|m| m.policy_name().eq_ignore_ascii_case(name));
        if declared.is_none() && !name.eq_ignore_ascii_case("Global") {
            return None;
        }
        Some(Meeting {
            lobby_bypass: declared_or(
                declared.and_then(|m| m.lobby_bypass.as_ref()),
                defaults::LOBBY_BYPASS,
            ),
            anonymous_join: declared_or(
                declared.and_then(|m| m.anonymous_join.as_ref()),
                defaults::ANONYMOUS_JOIN,
            ),
            dial_in_bypass: declared_or(
                declared.and_then(|m| m.dial_in_bypass.as_ref()),
                defaults::DIAL_IN_BYPASS,
            ),
        })
    }
}

/// The most permissive declared value (the first of equals), or the default: for a setting
/// whose larger value is the stricter one.
fn most_permissive<'a, T: Ord + Copy + 'a>(
    declared: impl Iterator<Item = &'a Spanned<T>>,
    default: T,
) -> Setting<T> {
    declared_or(declared.max_by_key(|s| s.value), default)
}

/// The least permissive declared value (the first of equals), or the default.
fn strictest<'a, T: Ord + Copy + 'a>(
    declared: impl Iterator<Item = &'a Spanned<T>>,
    default: T,
) -> Setting<T> {
    declared_or(declared.min_by_key(|s| s.value), default)
}

/// A declared value with where it is, or the platform default.
fn declared_or<T: Copy>(declared: Option<&Spanned<T>>, default: T) -> Setting<T> {
    match declared {
        Some(s) => Setting {
            value: s.value,
            at: Some(s.span),
        },
        None => Setting {
            value: default,
            at: None,
        },
    }
}

/// Domains compare without case and without a final dot; no wildcards, no subdomains (§7.2, §7.7).
pub(super) fn same_domain(a: &str, b: &str) -> bool {
    a.trim_end_matches('.')
        .eq_ignore_ascii_case(b.trim_end_matches('.'))
}

pub(super) fn same_url(a: &str, b: &str) -> bool {
    a.trim()
        .trim_end_matches('/')
        .eq_ignore_ascii_case(b.trim().trim_end_matches('/'))
}

pub(super) fn lists_domain(list: &DomainList, domain: &str) -> bool {
    list.domains.iter().any(|d| same_domain(&d.value, domain))
}

/// A list in pack syntax: `domains allow ["a.com", "b.com"]` (`keyword` = `domains`), with
/// `close` appended inside the quotes (` }` for a list inside a block).
pub(super) fn show_list(keyword: &str, list: &DomainList, close: &str) -> String {
    let access = match list.access.value {
        crate::model::Access::Allow => "allow",
        crate::model::Access::Block => "block",
    };
    let domains: Vec<String> = list
        .domains
        .iter()
        .map(|d| format!("\"{}\"", d.value))
        .collect();
    format!("`{keyword} {access} [{}]{close}`", domains.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_texts;

    fn pack(text: &str) -> Pack {
        load_texts([("t.policy", text)]).pack
    }

    #[test]
    fn absent_settings_take_the_platform_defaults() {
        let p = Pack::default();
        let s = Settings::of(&p);
        assert_eq!(s.sharepoint.value, SharingLevel::Anyone);
        assert_eq!(s.sharepoint.at, None);
        assert_eq!(s.onedrive.value, SharingLevel::Anyone);
        assert_eq!(s.invite_from.value, InviteFrom::Everyone);
        assert!(s.teams_guest_access.value);
        assert!(s.teams_external_access.value);
        assert!(s.groups_guest_access.value);
        assert!(!s.power_bi_guest_access.value);
        assert!(!s.viva_engage_external_networks.value);
    }

    #[test]
    fn several_blocks_merge_to_the_strictest() {
        let p = pack(
            "sharing { sharepoint = anyone  teams guest_access = on }\n\
             sharing { sharepoint = existing_guests  teams guest_access = off }",
        );
        let s = Settings::of(&p);
        assert_eq!(s.sharepoint.value, SharingLevel::ExistingGuests);
        assert!(s.sharepoint.at.is_some());
        assert!(!s.teams_guest_access.value);
    }

    #[test]
    fn describe_says_where_a_value_comes_from() {
        let declared = Setting {
            value: SharingLevel::ExistingGuests,
            at: Some(Span::default()),
        };
        assert_eq!(
            declared.describe("sharepoint", SharingLevel::name),
            "`sharepoint = existing_guests`"
        );
        let default = Setting {
            value: true,
            at: None,
        };
        assert_eq!(
            default.describe("groups guest_access", on_off),
            "`groups guest_access` (not set: platform default `on`)"
        );
    }

    #[test]
    fn sites_and_domains_compare_loosely() {
        assert!(same_url(
            "https://contoso.sharepoint.com/sites/Finance/",
            "https://contoso.sharepoint.com/sites/finance"
        ));
        assert!(same_domain("Fabrikam.com.", "fabrikam.com"));
        assert!(!same_domain("eu.fabrikam.com", "fabrikam.com"));
    }
}

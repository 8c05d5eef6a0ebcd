//! What hover says about a keyword or a value: the language reference of README.md, one entry
//! per word, in brief. Values the catalog knows (apps, roles, strengths) are described from it.

use crate::model::catalog::{self, BuiltInStrength, FirstPartyApp};

/// `(word, what the platform does with it)`.
#[rustfmt::skip]
const WORDS: &[(&str, &str)] = &[
    ("resource", "`resource tenant NAME { ... }`: the one tenant that owns the apps and data the pack protects."),
    ("tenant", "`tenant NAME { id = \"<guid>\"  domains = [...] }`: a tenant the pack talks about; `id` is its GUID, `domains` its verified domains (they recognise a user's home tenant from an address)."),
    ("id", "The tenant's GUID (Entra tenant id)."),
    ("domains", "In `tenant`: verified domains. In `sharing`: `domains allow|block [...]` is the SharePoint/OneDrive domain restriction; in `invitations` the B2B collaboration domain list; after `teams external_access` the Teams federation list."),
    ("organization", "`organization NAME { TENANT ROLE STATE ... }`: the multi-tenant organisation. Only `active` members are part of it (`from organization`)."),
    ("owner", "Member role: the tenant that owns the multi-tenant organisation."),
    ("member", "Member role of the multi-tenant organisation."),
    ("active", "Member state: the tenant is part of the organisation."),
    ("pending", "Member state: invited, not yet part of the organisation (its users count as `outside_organization`)."),
    ("removed", "Member state: no longer part of the organisation."),
    ("location", "`location NAME { ip = [...] | countries = [...] ... }`: a named location for the `locations` condition."),
    ("ip", "IP ranges (CIDR, IPv4 and IPv6) of a named location."),
    ("countries", "ISO 3166 alpha-2 country codes, in uppercase, of a country location."),
    ("unknown_countries", "A country location also matches addresses that map to no country."),
    ("trusted", "Marks an IP location as trusted: `all_trusted` matches it (only IP locations can be trusted)."),
    ("lookup", "`lookup = client_ip | gps`: how a country location finds the country (default `client_ip`)."),
    ("cross_tenant", "`cross_tenant default|TENANT { ... }`: cross-tenant access settings. A partner block overrides `default` setting by setting; without `default` the service defaults apply (B2B collaboration allowed, direct connect blocked, no trust)."),
    ("default", "The cross-tenant settings for every tenant without a block of its own."),
    ("inbound", "Settings for users of other tenants coming into ours."),
    ("outbound", "Settings for our users going to other tenants."),
    ("b2b_collaboration", "B2B collaboration: the external user gets a guest account in the resource tenant."),
    ("b2b_direct_connect", "B2B direct connect: Teams shared channels without a guest account; blocked both ways by default."),
    ("trust", "`trust mfa, compliant_device, hybrid_joined` or `trust none`: the claims made by the user's home tenant that Conditional Access accepts. Without `trust mfa` a guest who did MFA at home must do MFA again here."),
    ("mfa", "In `trust`: accept MFA done in the home tenant. As a grant control: require multifactor authentication."),
    ("compliant_device", "In `trust`: accept the home tenant's Intune compliance claim. As a grant control: require a device marked compliant."),
    ("hybrid_joined", "In `trust`: accept the home tenant's hybrid join claim. As a grant control: require a Microsoft Entra hybrid joined device."),
    ("service_provider", "The partner is a cloud service provider: its users are `service_provider` users."),
    ("automatic_consent", "`automatic_consent inbound, outbound`: automatic invitation redemption in each direction."),
    ("user_sync", "`user_sync inbound`: cross-tenant synchronization may create and update this partner's users here (Graph `identitySynchronization`, `isSyncAllowed`). Synced users are B2B members unless the partner's mapping says Guest."),
    ("tenant_restrictions", "`tenant_restrictions = block` or `{ users ... apps ... }`: tenant restrictions v2. Which accounts issued by this tenant (by any tenant, in `default`) our users may use, and for which apps, on networks and devices that enforce tenant restrictions. Never applies to our own accounts."),
    ("policy", "`policy \"NAME\" { ... }`: a Conditional Access policy. It applies when every condition matches; then its grant controls are required (all policies that apply are combined: every block wins, every grant must be met)."),
    ("state", "`state = on | off | report_only` (default `on`). Report-only policies are evaluated and reported, never enforced."),
    ("report_only", "The policy is evaluated and reported, never enforced."),
    ("users", "In a policy: `users { include ... exclude ... }` (exclusions win). In cross-tenant settings: `users allow|block TARGETS`."),
    ("apps", "In a policy: `apps { include ... exclude ... }`, the cloud apps, actions or authentication contexts. In cross-tenant settings: `apps allow|block APPS`."),
    ("include", "The targets the policy or condition applies to."),
    ("exclude", "Targets left out even when included: an exclusion always wins."),
    ("all", "Every user, app, platform or location (by context). In `grant all(...)`: every control is required."),
    ("any", "In `grant any(...)`: at least one control. In `from any`: users from every tenant."),
    ("none", "No user or app (a policy that targets nobody), or no risk, or `trust none`."),
    ("guests_or_external", "Every guest or external user type from any tenant."),
    ("external", "`external(TYPES) from ORIGIN`: external users by type (`internal_guest`, `b2b_guest`, `b2b_member`, `direct_connect`, `other_external`, `service_provider`, `all`) and home tenant."),
    ("from", "In `external(...) from`: the users' home tenants (`any`, `organization`, `outside_organization`, `tenants(...)`). In `invitations`: who may invite guests."),
    ("outside_organization", "Users whose home tenant is not an active member of our multi-tenant organisation (pending members included)."),
    ("tenants", "`tenants(a, b)`: users whose home tenant is one of these."),
    ("internal_guest", "Users of our tenant with a guest user type (local guest accounts)."),
    ("b2b_guest", "B2B collaboration guests: external users with a guest account here."),
    ("b2b_member", "B2B collaboration members: external users with a member account here (as multi-tenant organisations sync them)."),
    ("direct_connect", "B2B direct connect users (Teams shared channels), who have no account here."),
    ("other_external", "Any other external user (for example an external member not from a synced organisation)."),
    ("user", "`user \"upn or id\"`: one user."),
    ("group", "`group \"name\"`: the members of a group (transitive, as the platform evaluates)."),
    ("role", "`role NAME`: users with a built-in directory role assigned at directory scope."),
    ("app", "`app \"<application id>\"`: any application by its id."),
    ("action", "`action register_security_info | register_device`: a user action instead of an app."),
    ("auth_context", "`auth_context \"c1\"`: an authentication context an app asks for."),
    ("conditions", "`conditions { ... }`: every set condition must match; an unset condition matches everything."),
    ("platforms", "`platforms = include(...) exclude(...)`: device platforms (`android ios windows macos linux windows_phone all`). An unknown platform does not match an include."),
    ("locations", "`locations = include(...) exclude(...)`: named locations, `all`, `all_trusted`, `mfa_trusted_ips`, by the sign-in's IP or country."),
    ("all_trusted", "Every location marked `trusted` (and the MFA trusted IPs)."),
    ("mfa_trusted_ips", "The legacy MFA trusted IPs list."),
    ("client_apps", "`client_apps = [browser, mobile_desktop, exchange_active_sync, other]`: the kind of client."),
    ("sign_in_risk", "`sign_in_risk = [low, medium, high, none]`: the sign-in risk Identity Protection computed."),
    ("user_risk", "`user_risk = [low, medium, high, none]`: the user risk Identity Protection computed."),
    ("insider_risk", "`insider_risk = [minor, moderate, elevated]`: the Purview adaptive protection level."),
    ("devices", "`devices = include|exclude '<rule>'`: a device filter in the platform's rule language (at most 3,072 characters)."),
    ("auth_flows", "`auth_flows = [device_code, auth_transfer]`: the authentication flows the policy covers."),
    ("grant", "`grant CONTROL`, `grant all(...)` or `grant any(...)`: what a user must satisfy when the policy applies; `grant block` blocks."),
    ("block", "Blocks access (as a grant control it stands alone); in cross-tenant settings, blocks the targets."),
    ("allow", "Allows the targets (an allow-list: everything else is blocked)."),
    ("approved_app", "Require an approved client app (retired by the platform in favour of `app_protection`)."),
    ("app_protection", "Require an app protection (Intune) policy."),
    ("password_change", "Require a password change (with `mfa`, for user risk policies)."),
    ("terms_of_use", "`terms_of_use \"NAME\"`: the user must accept these terms of use."),
    ("auth_strength", "In a grant: `auth_strength mfa|passwordless|phishing_resistant`, or a custom strength by its quoted name or id: which authentication methods satisfy the policy. At top level: `auth_strength \"<name>\" { id = \"...\"  allow fido2  allow password + sms }` declares a custom strength, one allowed combination per `allow`."),
    ("custom", "`custom \"<control id>\"`: a custom control (a third-party provider)."),
    ("session", "`session { ... }`: session controls applied when the policy applies."),
    ("sign_in_frequency", "`sign_in_frequency = 8h | 1d | every_time`: how long before the user must sign in again."),
    ("persistent_browser", "`persistent_browser = always | never`: whether the browser session survives closing the browser."),
    ("app_enforced_restrictions", "Pass device information to Exchange and SharePoint so they limit the session."),
    ("continuous_access_evaluation", "`continuous_access_evaluation = strict | disabled`: continuous access evaluation's mode."),
    ("cloud_app_security", "`cloud_app_security = monitor_only | block_downloads | mcas_configured`: route the session through Defender for Cloud Apps."),
    ("disable_resilience_defaults", "Do not extend existing sessions during an outage of the policy service."),
    ("extension", "`extension { \"/json/pointer\" = <json> }`: a Graph property accord does not model, kept verbatim for export. The evaluator does not read it."),
    ("sharing", "`sharing { ... }`: SharePoint, OneDrive, invitation, Teams, Microsoft 365 groups, calendar, Power BI and Viva Engage external sharing settings."),
    ("sharepoint", "In `sharing`: the tenant-wide SharePoint sharing level. As an app: SharePoint Online."),
    ("onedrive", "The OneDrive sharing level (never more permissive than SharePoint's)."),
    ("site", "`site \"<url>\" = LEVEL` or `{ level = ...  domains ... }`: one site's sharing (never more permissive than the tenant's)."),
    ("level", "A site's sharing level."),
    ("invitations", "`invitations { from = ...  domains ... }`: who may invite guests, and to which domains."),
    ("teams", "`teams guest_access = on|off`, `teams external_access = on|off` or `allow|block [domains]`, `teams consumer = on|off`, `teams consumer_inbound = on|off`, `teams discovered_partners_unverified = on|off`, `teams meeting [\"Name\"] { ... }`. As an app: Microsoft Teams."),
    ("consumer", "`teams consumer = on|off`: AllowTeamsConsumer, external access with Teams accounts not managed by an organization (chat only; on by default)."),
    ("consumer_inbound", "`teams consumer_inbound = on|off`: AllowTeamsConsumerInbound, whether such accounts may find our users and start the conversation (on by default)."),
    ("discovered_partners_unverified", "`teams discovered_partners_unverified = on|off`: TreatDiscoveredPartnersAsUnverified; with open federation, messages from a domain nobody listed reach our user only from someone in their contacts (off by default)."),
    ("exchange", "`exchange organization_relationship|sharing_policy|inbound_connector|outbound_connector|remote_domain \"Name\" { ... }`: an Exchange Online object (Set-OrganizationRelationship, Set-SharingPolicy, Set-InboundConnector, Set-OutboundConnector, Set-RemoteDomain)."),
    ("organization_relationship", "Set-OrganizationRelationship: `domains`, `enabled`, `free_busy = on|off` (FreeBusyAccessEnabled), `free_busy_level = none|availability_only|limited_details`, `free_busy_scope = \"group\"`."),
    ("sharing_policy", "Set-SharingPolicy: `default`, `enabled`, `domain \"d\" = [free_busy_simple|free_busy_detail|free_busy_reviewer|contacts_sharing]` (`\"*\"`: every domain), `mailboxes`."),
    ("inbound_connector", "Set-InboundConnector: `sender_domains`, `sender_ips`, `require_tls` (default on), `certificate` (TlsSenderCertificateName), `restrict_to_ips`, `restrict_to_certificate`, `enabled`, `type`."),
    ("outbound_connector", "Set-OutboundConnector: `recipient_domains`, `tls = encryption_only|certificate_validation|domain_validation` (absent: opportunistic), `tls_domain`, `smart_hosts`, `enabled`, `type`."),
    ("remote_domain", "Set-RemoteDomain: `domain` (DomainName, `\"*\"` for every domain), `auto_forward` (AutoForwardEnabled, default on), `auto_reply` (AutoReplyEnabled, default on)."),
    ("meeting", "`teams meeting [\"Name\"] { lobby_bypass = ...  anonymous_join = on|off  dial_in_bypass = on|off }`: a Teams meeting policy's lobby settings; no name is the org-wide default `Global`."),
    ("lobby_bypass", "AutoAdmittedUsers: who joins without waiting in the lobby: `everyone`, `everyone_in_same_and_federated_company`, `everyone_in_company`, `everyone_in_company_excluding_guests` (default), `invited_users`, `organizer_only`."),
    ("anonymous_join", "AllowAnonymousUsersToJoinMeeting: whether people who do not sign in may join (on by default)."),
    ("dial_in_bypass", "AllowPSTNUsersToBypassLobby: whether phone callers skip the lobby (off by default)."),
    ("guest_access", "Whether guests may be added (Teams, groups, Power BI)."),
    ("external_access", "Teams federation: chat and meetings with users of other organisations."),
    ("groups", "`groups guest_access = on|off`: whether Microsoft 365 groups may have guests."),
    ("calendar", "`calendar \"domain\" = none | free_busy | free_busy_detail | reviewer`: calendar sharing with a domain (`\"*\"` for every other)."),
    ("power_bi", "`power_bi guest_access = on|off`. As an app: Power BI."),
    ("viva_engage", "`viva_engage external_networks = on|off`. As an app: Viva Engage."),
    ("external_networks", "Whether Viva Engage external networks are allowed."),
    ("anyone", "Sharing level: anyone with the link, no sign-in."),
    ("new_and_existing_guests", "Sharing level: new guests (invited by sharing) and existing guests."),
    ("existing_guests", "Sharing level: only guests already in the directory."),
    ("only_organization", "Sharing level: no external sharing."),
    ("on", "Enabled."),
    ("off", "Disabled (for a policy's `state`: not evaluated at all)."),
    ("office365", "The Office 365 app group: Exchange, SharePoint, Teams and the other Office apps."),
    ("admin_portals", "The Microsoft admin portals app group."),
    ("every_time", "Sign-in frequency: reauthenticate on every sign-in."),
    ("people_picker_guests", "`people_picker_guests = on|off` (in `sharing` or a `site` block): `ShowPeoplePickerSuggestionsForGuestUsers`. Off by default: guests hidden from the address list are not found by the SharePoint people picker."),
    ("external_resharing", "`external_resharing = on|off` (in `sharing`): whether guests may share files, folders and sites they do not own (the reverse of `PreventExternalUsersFromResharing`). On by default."),
    ("require_account_match", "`require_account_match = on|off` (in `sharing`): a guest must accept a SharePoint invitation with the account it was sent to (`RequireAcceptingAccountMatchInvitedAccount`). Off by default."),
    ("guest_expiry", "`guest_expiry = 60d | off` (in `sharing`): guests lose SharePoint and OneDrive access this many days after they were invited (`ExternalUserExpireInDays`, 30 to 730)."),
    ("anyone_link_expiry", "`anyone_link_expiry = 30d | off` (in `sharing`): Anyone links expire after this many days (`RequireAnonymousLinksExpireInDays`, 1 to 730)."),
    ("default_link", "`default_link = specific_people | organization | anyone` (in `sharing`): the link the share dialog selects first (`DefaultSharingLinkType`)."),
    ("default_link_permission", "`default_link_permission = view | edit` (in `sharing`): `DefaultLinkPermission`."),
    ("guest_role", "`guest_role = same_as_members | limited | restricted` (in `invitations`): what guests may see in the directory (`authorizationPolicy.guestUserRoleId`). `limited` by default."),
    ("email_otp", "`email_otp = on|off` (in `invitations`): invited people without an Entra or Microsoft account may redeem with a one-time passcode sent by e-mail (`allowExternalIdToUseEmailOtp`)."),
    ("self_service_sign_up", "`self_service_sign_up = on|off` (in `invitations`): guest self-service sign-up through user flows (`authenticationFlowsPolicy`). Off by default."),
    ("directory", "`directory { user ... contact ... group ... app ... }`: the objects that represent people and apps in the resource tenant's directory."),
    ("contact", "`contact \"address\" { display_name = ...  address_list = shown|hidden }`: a mail contact (an address in the address list, not a security principal)."),
    ("upn", "A directory user's user principal name (a guest's is `alias_domain#EXT#@tenant`)."),
    ("mail", "A directory user's e-mail address."),
    ("type", "A directory user's userType: `member` (default) or `guest`."),
    ("home", "A directory user's home tenant (a declared tenant; default: the resource tenant)."),
    ("mail_enabled", "The user is mail-enabled in Exchange Online (a mailbox or a MailUser). Invited guests are; invited external members cannot be."),
    ("address_list", "`address_list = shown | hidden`: whether the object shows in the global address list. External users are hidden by default, contacts and employees shown."),
    ("display_name", "A mail contact's display name."),
    ("description", "A custom authentication strength's description (Graph `description`)."),
    ("kind", "A group's kind: `security` (default), `mail_enabled_security`, `microsoft365`, `distribution` (distribution groups cannot be assigned to apps)."),
    ("guests", "`guests = allowed | blocked`: whether a Microsoft 365 group may have guests (its own `AllowToAddGuests`)."),
    ("members", "`members = dynamic '<rule>'`: a dynamic membership rule. `user.objectId -ne null` (\"All users\") takes in guests too."),
    ("dynamic", "A dynamic membership rule follows."),
    ("assignment_required", "The app admits only users assigned to it, directly or through a group they are a direct member of (Global Administrators excepted); others are blocked before Conditional Access (AADSTS50105)."),
    ("assigned", "`assigned = [user \"x\", group \"y\"]`: who the app is assigned to."),
    ("sensitive", "Marks an app as holding sensitive data: lint DIR004 wants it to require assignment when guests can reach it."),
];

/// The reference text for a word, if it is a keyword or a known value.
pub fn word(word: &str) -> Option<String> {
    if let Some((_, doc)) = WORDS.iter().find(|(w, d)| *w == word && !d.is_empty()) {
        return Some(format!("`{word}`: {doc}"));
    }
    if let Some(app) = FirstPartyApp::from_name(word) {
        return Some(format!(
            "`{word}`: the first-party app {} (application id `{}`)",
            app.display(),
            app.app_id()
        ));
    }
    if let Some(s) = BuiltInStrength::from_name(word) {
        return Some(format!(
            "`{word}`: the built-in authentication strength {} (id `{}`)",
            s.display(),
            s.id()
        ));
    }
    if let Some(r) = catalog::ROLES.iter().find(|r| r.name == word) {
        return Some(format!(
            "`{word}`: the built-in directory role {} (template id `{}`)",
            r.display, r.id
        ));
    }
    None
}

/// Every documented keyword (for completion details).
pub fn keywords() -> impl Iterator<Item = &'static str> {
    WORDS.iter().filter(|(_, d)| !d.is_empty()).map(|(w, _)| *w)
}

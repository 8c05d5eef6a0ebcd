//! The provisioning what-if: what the directory does when a person is invited, created as a mail
//! contact, converted to a member or synchronized, given the objects that already hold the same
//! address.
//!
//! Source: "Common considerations for multitenant user management", directory object
//! considerations (https://learn.microsoft.com/entra/architecture/multi-tenant-common-considerations).
//! Its table, row by row (the rule each row is decided by):
//!
//! | existing, same address | action | outcome | rule |
//! |---|---|---|---|
//! | nothing | invite as B2B member | a member user that is not mail-enabled | `new_member` |
//! | nothing | invite as B2B guest | a mail-enabled guest user | `new_guest` |
//! | a mail contact | invite as B2B member | error: conflict of proxy addresses | `contact_blocks_member` |
//! | a mail contact | invite as B2B guest | a guest user that is not mail-enabled, beside the contact | `contact_degrades_guest` |
//! | a mail-enabled guest | create a mail contact | error | `mail_user_blocks_contact` |
//! | a mail-enabled member | create a mail contact | error | `mail_user_blocks_contact` |
//!
//! Also from that page: "A mail contact object can't convert to a user object" (group
//! memberships do not carry over, `contact_not_convertible`); accounts invited as external
//! members cannot be mail-enabled, and the way to a mail-enabled external member is to invite a
//! guest, show it in the address list, then set userType to Member (`convert_shown_guest`;
//! converting a hidden guest is `convert_hidden_guest`, with the page's warning); external users
//! are hidden from the address list until unhidden, external members invited through B2B show
//! in it; guests visible in the address list are found by the SharePoint people picker whatever
//! `ShowPeoplePickerSuggestionsForGuestUsers` says, hidden ones only with it on (tenant or site).
//!
//! accord's decisions where the page is silent (README, "Provisioning"):
//! - an existing external user with the address: an invitation creates no second object
//!   (`user_exists`); a user of the resource tenant that owns the address makes any invitation or
//!   synchronization an error (`internal_owns_address`);
//! - creating a contact beside a user that is not mail-enabled works (the state row 4 leaves);
//!   beside another contact it is an error (`contact_exists`);
//! - cross-tenant synchronization creates external members as an invitation as member does, and
//!   matches an existing user of the same address (a guest stays a guest: the userType mapping
//!   applies on creation); a contact blocks it (contacts are not converted);
//! - synchronization needs `user_sync inbound` on the home tenant's `cross_tenant` block
//!   (`sync_not_allowed` otherwise, before anything else is looked at), and creates a guest when
//!   the request states the configuration's userType mapping as `guest` (`sync_creates_guest`).

mod answer;

pub use answer::{Existing, ProvisionDecision, ProvisionOutcome, ProvisionRule, ResultObject};

use crate::eval::compile::Compiled;
use crate::model::provision::{ProvisionAction, ProvisionRequest, SyncUserType};
use crate::model::request::UserType;
use crate::model::{AddressList, DirContact, DirUser, Pack};

/// The objects that answer to an address (users by name, UPN or mail; contacts by address).
fn holders<'a>(pack: &'a Pack, address: &str) -> (Option<&'a DirUser>, Option<&'a DirContact>) {
    let key = address.to_lowercase();
    let user = pack
        .directory
        .iter()
        .flat_map(|d| &d.users)
        .find(|u| u.names().any(|n| n.value.to_lowercase() == key));
    let contact = pack
        .directory
        .iter()
        .flat_map(|d| &d.contacts)
        .find(|c| c.address.value.to_lowercase() == key);
    (user, contact)
}

fn existing(c: &Compiled, user: Option<&DirUser>, contact: bool) -> Existing {
    let Some(u) = user else {
        return if contact {
            Existing::Contact
        } else {
            Existing::Nothing
        };
    };
    let internal = u
        .home
        .as_ref()
        .is_none_or(|h| c.tenant_index(&h.value) == c.resource);
    let guest = u
        .user_type
        .as_ref()
        .is_some_and(|t| t.value == UserType::Guest);
    match (internal, guest, u.mail_enabled.is_some()) {
        (true, _, _) => Existing::InternalUser,
        (false, true, true) => Existing::MailEnabledGuest,
        (false, true, false) => Existing::Guest,
        (false, false, true) => Existing::MailEnabledMember,
        (false, false, false) => Existing::Member,
    }
}

/// Whether guests hidden from the address list are found by the people picker: the site's
/// setting when the request names a site that sets it, else the tenant's (default off).
fn picker_shows_guests(pack: &Pack, site: Option<&str>) -> (bool, String) {
    let sharing = pack.sharing.first();
    let norm = |u: &str| u.trim_end_matches('/').to_lowercase();
    if let (Some(url), Some(sh)) = (site, sharing) {
        if let Some(v) = sh
            .sites
            .iter()
            .find(|s| norm(&s.url.value) == norm(url))
            .and_then(|s| s.people_picker_guests.as_ref())
        {
            return (
                v.value,
                format!(
                    "site `{url}` sets `people_picker_guests = {}`",
                    on_off(v.value)
                ),
            );
        }
    }
    match sharing.and_then(|s| s.people_picker_guests.as_ref()) {
        Some(v) => (
            v.value,
            format!("`people_picker_guests = {}`", on_off(v.value)),
        ),
        None => (
            false,
            "`people_picker_guests` (not set: off by default)".to_string(),
        ),
    }
}

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

/// Decides a provisioning request.
pub fn decide_provision(c: &Compiled, req: &ProvisionRequest) -> ProvisionDecision {
    let pack = &c.pack;
    let address = req.address.trim();
    let (user, contact) = holders(pack, address);
    let existing = existing(c, user, contact.is_some());
    let (picker_on, picker_why) = picker_shows_guests(pack, req.site.as_deref());
    let mut notes = Vec::new();
    // The object a user action leaves, with its visibility.
    let object = |notes: &mut Vec<String>,
                  user_type: Option<UserType>,
                  mail_enabled: bool,
                  default: AddressList| {
        let address_list = req.address_list.unwrap_or(default);
        let people_picker = match user_type {
            None => false,
            Some(UserType::Member) => true,
            Some(UserType::Guest) => address_list == AddressList::Shown || picker_on,
        };
        match (user_type, address_list) {
            (None, _) => notes.push(
                "a mail contact is not a security principal: the SharePoint people picker does \
                 not offer it for sharing"
                    .to_string(),
            ),
            (Some(UserType::Guest), AddressList::Shown) => notes.push(
                "a guest shown in the address list is found by the SharePoint people picker \
                 whatever `people_picker_guests` says"
                    .to_string(),
            ),
            (Some(UserType::Guest), AddressList::Hidden) => notes.push(format!(
                "a guest hidden from the address list is found by the SharePoint people picker \
                 only with `people_picker_guests` on: {picker_why}"
            )),
            (Some(UserType::Member), _) => {}
        }
        Some(ResultObject {
            object: if user_type.is_some() {
                "user"
            } else {
                "contact"
            },
            user_type: user_type.map(|t| match t {
                UserType::Member => "member",
                UserType::Guest => "guest",
            }),
            mail_enabled,
            address_list,
            people_picker,
        })
    };
    use ProvisionAction as A;
    use ProvisionOutcome as O;
    if req.action == A::Sync {
        if let Some(refused) = sync_gate(c, req, address, user, existing, &mut notes) {
            return refused;
        }
    }
    use ProvisionRule as R;
    let (outcome, rule, result, reason): (O, R, Option<ResultObject>, String) =
        match (req.action, existing) {
            (A::InviteMember | A::InviteGuest | A::Sync, Existing::InternalUser) => (
                O::Error,
                R::InternalOwnsAddress,
                None,
                format!("`{address}` belongs to a user of this tenant: its proxy address collides; that person signs in with the existing account"),
            ),
            (A::InviteMember, Existing::Nothing) => (
                O::Created,
                R::NewMember,
                object(&mut notes, Some(UserType::Member), false, AddressList::Shown),
                "an invitation as B2B member creates a member user that is not mail-enabled (accounts invited as external members cannot be mail-enabled)".into(),
            ),
            (A::InviteGuest, Existing::Nothing) => (
                O::Created,
                R::NewGuest,
                object(&mut notes, Some(UserType::Guest), true, AddressList::Hidden),
                "an invitation as B2B guest creates a mail-enabled guest user, hidden from the address list until unhidden".into(),
            ),
            (A::InviteMember, Existing::Contact) => (
                O::Error,
                R::ContactBlocksMember,
                None,
                format!("a mail contact holds `{address}`: inviting a B2B member fails with a conflict of proxy addresses"),
            ),
            (A::InviteGuest, Existing::Contact) => (
                O::Created,
                R::ContactDegradesGuest,
                object(&mut notes, Some(UserType::Guest), false, AddressList::Hidden),
                format!("a mail contact holds `{address}`: the guest user is created but cannot be mail-enabled, and the contact stays (a mail contact and a mail-enabled user cannot share an address)"),
            ),
            (A::InviteMember | A::InviteGuest, _) => (
                O::Unchanged,
                R::UserExists,
                None,
                format!("{} already holds `{address}`: the invitation creates no second object", existing.describe()),
            ),
            (A::CreateContact, Existing::MailEnabledGuest | Existing::MailEnabledMember) => (
                O::Error,
                R::MailUserBlocksContact,
                None,
                format!("{} holds `{address}`: creating a mail contact throws an exception (a mail contact and a mail-enabled user cannot coexist with the same address)", existing.describe()),
            ),
            (A::CreateContact, Existing::InternalUser) => {
                if user.is_some_and(|u| u.mail_enabled.is_some()) {
                    (
                        O::Error,
                        R::MailUserBlocksContact,
                        None,
                        format!("a mail-enabled user of this tenant holds `{address}`: a mail contact cannot share its address"),
                    )
                } else {
                    (
                        O::Created,
                        R::ContactBesideUser,
                        object(&mut notes, None, true, AddressList::Shown),
                        format!("the user holding `{address}` is not mail-enabled: the mail contact is created beside it"),
                    )
                }
            }
            (A::CreateContact, Existing::Contact) => (
                O::Error,
                R::ContactExists,
                None,
                format!("a mail contact already holds `{address}`: proxy addresses are unique"),
            ),
            (A::CreateContact, Existing::Guest | Existing::Member) => (
                O::Created,
                R::ContactBesideUser,
                object(&mut notes, None, true, AddressList::Shown),
                format!("{} holds `{address}`: the mail contact is created beside it (the state an invitation over a contact leaves)", existing.describe()),
            ),
            (A::CreateContact, Existing::Nothing) => (
                O::Created,
                R::NewContact,
                object(&mut notes, None, true, AddressList::Shown),
                "a mail contact is created and shown in the address list".into(),
            ),
            (A::ConvertToMember, Existing::Nothing) => (
                O::Error,
                R::NothingToConvert,
                None,
                format!("no user holds `{address}`"),
            ),
            (A::ConvertToMember, Existing::Contact) => (
                O::Error,
                R::ContactNotConvertible,
                None,
                "a mail contact cannot be converted to a user: its group memberships and other access do not carry over; invite the person and remove the contact".into(),
            ),
            (A::ConvertToMember, Existing::MailEnabledMember | Existing::Member) => (
                O::Unchanged,
                R::AlreadyMember,
                None,
                format!("{} is already a member", existing.describe()),
            ),
            (A::ConvertToMember, Existing::InternalUser) => {
                if user.is_some_and(|u| u.user_type.as_ref().is_some_and(|t| t.value == UserType::Guest)) {
                    let shown = dir_address_list(user, AddressList::Shown);
                    (
                        O::Changed,
                        R::ConvertGuest,
                        object(&mut notes, Some(UserType::Member), user.is_some_and(|u| u.mail_enabled.is_some()), shown),
                        "the internal guest becomes an internal member".into(),
                    )
                } else {
                    (
                        O::Unchanged,
                        R::AlreadyMember,
                        None,
                        "a member of this tenant already".into(),
                    )
                }
            }
            (A::ConvertToMember, Existing::MailEnabledGuest) => {
                let shown = dir_address_list(user, AddressList::Hidden);
                if shown == AddressList::Shown {
                    (
                        O::Changed,
                        R::ConvertShownGuest,
                        object(&mut notes, Some(UserType::Member), true, AddressList::Shown),
                        "the mail-enabled guest, shown in the address list, becomes a mail-enabled external member (a MailUser in Exchange Online): the documented way to a mail-enabled external member".into(),
                    )
                } else {
                    notes.push(
                        "show the guest in the address list before setting userType to Member: Exchange Online then keeps it a MailUser (Entra `showInAddressList` and Exchange `HiddenFromAddressListsEnabled` must agree)"
                            .to_string(),
                    );
                    (
                        O::Changed,
                        R::ConvertHiddenGuest,
                        object(&mut notes, Some(UserType::Member), true, AddressList::Hidden),
                        "the guest is hidden from the address list: converted to member now, Exchange Online may not handle it as a MailUser".into(),
                    )
                }
            }
            (A::ConvertToMember, Existing::Guest) => (
                O::Changed,
                R::ConvertGuest,
                object(&mut notes, Some(UserType::Member), false, dir_address_list(user, AddressList::Hidden)),
                "the guest becomes an external member, still not mail-enabled".into(),
            ),
            (A::Sync, Existing::Contact) => (
                O::Error,
                R::ContactBlocksSync,
                None,
                format!("a mail contact holds `{address}`: cross-tenant synchronization collides with it (contacts are not converted to users)"),
            ),
            (A::Sync, Existing::Nothing) => match sync_home(c, req, address) {
                Some(home) if req.user_type == Some(SyncUserType::Guest) => (
                    O::Created,
                    R::SyncCreatesGuest,
                    object(&mut notes, Some(UserType::Guest), false, AddressList::Hidden),
                    format!("cross-tenant synchronization from `{home}` creates an external guest user (the configuration maps userType to Guest), not mail-enabled"),
                ),
                Some(home) => (
                    O::Created,
                    R::SyncCreatesMember,
                    object(&mut notes, Some(UserType::Member), false, AddressList::Shown),
                    format!("cross-tenant synchronization from `{home}` creates an external member user (userType Member, the configuration's default), not mail-enabled"),
                ),
                None => (
                    O::Error,
                    R::SyncNeedsHome,
                    None,
                    format!("`{address}` is not in a declared partner tenant: cross-tenant synchronization provisions users of a partner tenant; give `home`"),
                ),
            },
            (A::Sync, _) => (
                O::Unchanged,
                R::SyncMatchesUser,
                None,
                format!("{} holds `{address}`: synchronization matches it and keeps its userType (the userType mapping applies when a user is created)", existing.describe()),
            ),
        };
    ProvisionDecision {
        outcome,
        rule,
        existing,
        result,
        reason,
        notes,
    }
}

fn dir_address_list(user: Option<&DirUser>, default: AddressList) -> AddressList {
    user.and_then(|u| u.address_list.as_ref())
        .map_or(default, |a| a.value)
}

/// The partner tenant a synchronized person comes from: `home`, else the address's domain.
/// Whether our cross-tenant settings let the person's home tenant synchronize users in
/// (`user_sync inbound`, Graph `identitySynchronization.userSyncInbound.isSyncAllowed`; only a
/// partner configuration has it, reference §4.5). Not allowed: the synchronization is refused
/// whatever the directory holds. Allowed without `automatic_consent inbound`: a note, since the
/// configuration guide has the target tenant redeem invitations automatically (Microsoft Learn,
/// "Configure cross-tenant synchronization", steps 2 and 3,
/// https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure).
fn sync_gate(
    c: &Compiled,
    req: &ProvisionRequest,
    address: &str,
    user: Option<&DirUser>,
    existing: Existing,
    notes: &mut Vec<String>,
) -> Option<ProvisionDecision> {
    let home = sync_home(c, req, address).or_else(|| {
        let h = user?.home.as_ref()?;
        let i = c.tenant_index(&h.value)?;
        (Some(i) != c.resource).then(|| c.pack.tenants[i].name.value.as_str())
    })?;
    let block = c.pack.cross_tenant.iter().find(|x| {
        x.tenant_name()
            .is_some_and(|n| n.eq_ignore_ascii_case(home))
    });
    if block.and_then(|x| x.user_sync_inbound).is_none() {
        return Some(ProvisionDecision {
            outcome: ProvisionOutcome::Error,
            rule: ProvisionRule::SyncNotAllowed,
            existing,
            result: None,
            reason: format!(
                "the cross-tenant settings do not let `{home}` synchronize users into this tenant: add `user_sync inbound` to `cross_tenant {home}` (Graph identitySynchronization, isSyncAllowed)"
            ),
            notes: std::mem::take(notes),
        });
    }
    if !block
        .and_then(|x| x.auto_consent.as_ref())
        .is_some_and(|a| a.inbound)
    {
        notes.push(format!(
            "`cross_tenant {home}` has no `automatic_consent inbound`: the configuration guide has the target tenant redeem invitations automatically so that synchronized users get no consent prompt"
        ));
    }
    None
}

fn sync_home<'a>(c: &'a Compiled, req: &ProvisionRequest, address: &str) -> Option<&'a str> {
    let key = match &req.home {
        Some(h) => h.clone(),
        None => address.rsplit_once('@')?.1.to_string(),
    };
    let i = c.tenant_index(&key)?;
    (Some(i) != c.resource).then(|| c.pack.tenants[i].name.value.as_str())
}

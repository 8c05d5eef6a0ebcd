//! Directory objects: the users, mail contacts, groups and enterprise apps that represent partners
//! in the resource tenant's directory (issue 12, §3).
//!
//! ```text
//! directory {
//!   user "bob@fabrikam.com" { type = guest  home = fabrikam  mail_enabled  groups = ["Partners"] }
//!   contact "carol@litware.com" { display_name = "Carol (Litware)" }
//!   group "All users" { kind = security  members = dynamic 'user.objectId -ne null' }
//!   app "Payroll" { id = "..."  assignment_required  assigned = [group "Finance"] }
//! }
//! ```
//!
//! Sources (cited in README.md's semantics section): the multitenant "common considerations"
//! page (https://learn.microsoft.com/entra/architecture/multi-tenant-common-considerations) for
//! mail contacts, guests, members, the address list and the people picker; "Restrict a Microsoft
//! Entra app to a set of users" (https://learn.microsoft.com/entra/identity-platform/howto-restrict-your-app-to-a-set-of-users)
//! and Graph `servicePrincipal.appRoleAssignmentRequired` for assignment.

use serde::{Deserialize, Serialize};

use super::request::UserType;
use super::{Name, Spanned};
use crate::source::Span;

/// Whether an object shows in the global address list (Entra `showInAddressList`, the reverse
/// of Exchange's `HiddenFromAddressListsEnabled`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AddressList {
    Shown,
    Hidden,
}

impl AddressList {
    pub const ALL: [AddressList; 2] = [AddressList::Shown, AddressList::Hidden];

    pub fn name(self) -> &'static str {
        match self {
            AddressList::Shown => "shown",
            AddressList::Hidden => "hidden",
        }
    }
}

/// `user "<name>" { ... }`: a user object of the resource directory. The name is how requests
/// and policies name the user (a UPN or an e-mail address); `upn` and `mail` are other names of
/// the same object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DirUser {
    pub name: Name,
    pub id: Option<Spanned<String>>,
    pub upn: Option<Spanned<String>>,
    pub mail: Option<Spanned<String>>,
    /// `userType` in the resource tenant (default `member`).
    pub user_type: Option<Spanned<UserType>>,
    /// The home tenant, a declared tenant's name (default: the resource tenant).
    pub home: Option<Name>,
    /// Mail-enabled in Exchange Online (a mailbox or a MailUser).
    #[serde(serialize_with = "super::serialize_present")]
    pub mail_enabled: Option<Span>,
    /// Default: shown for users of the resource tenant, hidden for external users (external
    /// users are hidden from the address list until unhidden, common considerations).
    pub address_list: Option<Spanned<AddressList>>,
    /// The groups the user is a direct member of (names, as policies write them).
    pub groups: Vec<Spanned<String>>,
    #[serde(skip)]
    pub span: Span,
}

impl DirUser {
    /// Every name the object answers to (the name, the UPN, the mail), as written.
    pub fn names(&self) -> impl Iterator<Item = &Spanned<String>> {
        std::iter::once(&self.name)
            .chain(self.upn.as_ref())
            .chain(self.mail.as_ref())
    }

    /// The address Exchange would stamp: the mail, else the name when it is an address.
    pub fn address(&self) -> Option<&str> {
        self.mail.as_ref().map(|m| m.value.as_str()).or_else(|| {
            self.name
                .value
                .contains('@')
                .then_some(self.name.value.as_str())
        })
    }
}

/// `contact "<address>" { ... }`: a mail contact (an Exchange `MailContact`, a Graph
/// `orgContact`): an address in the address list, not a security principal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DirContact {
    pub address: Spanned<String>,
    pub id: Option<Spanned<String>>,
    pub display_name: Option<Spanned<String>>,
    /// Default: shown.
    pub address_list: Option<Spanned<AddressList>>,
    #[serde(skip)]
    pub span: Span,
}

/// What kind of group (Graph `groupTypes`, `securityEnabled`, `mailEnabled`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    Security,
    MailEnabledSecurity,
    Microsoft365,
    Distribution,
}

impl GroupKind {
    pub const ALL: [GroupKind; 4] = [
        GroupKind::Security,
        GroupKind::MailEnabledSecurity,
        GroupKind::Microsoft365,
        GroupKind::Distribution,
    ];

    pub fn name(self) -> &'static str {
        match self {
            GroupKind::Security => "security",
            GroupKind::MailEnabledSecurity => "mail_enabled_security",
            GroupKind::Microsoft365 => "microsoft365",
            GroupKind::Distribution => "distribution",
        }
    }

    /// Whether the group can hold an app assignment: group-based assignment is for security
    /// groups (and Microsoft 365 groups, which are security-enabled), not distribution lists.
    pub fn assignable(self) -> bool {
        self != GroupKind::Distribution
    }
}

/// `group "<name>" { ... }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DirGroup {
    pub name: Name,
    pub id: Option<Spanned<String>>,
    /// Default `security`.
    pub kind: Option<Spanned<GroupKind>>,
    /// Microsoft 365 groups: whether guests may be added (`AllowToAddGuests` of the group's
    /// `Group.Unified.Guest` setting; default: the tenant's `groups guest_access`).
    pub guests: Option<Spanned<bool>>,
    /// `members = dynamic '<rule>'`: a dynamic membership rule, kept as written.
    pub dynamic: Option<Spanned<String>>,
    #[serde(skip)]
    pub span: Span,
}

/// Who a dynamic membership rule takes in, as far as accord reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Every user object, guests included (`user.objectId -ne null`, the "All users" rule).
    AllUsers,
    /// `user.userType -eq "Member"`.
    Members,
    /// `user.userType -eq "Guest"`.
    Guests,
    /// A rule accord does not read: membership comes from users' `groups` only.
    Other,
}

impl DirGroup {
    pub fn kind(&self) -> GroupKind {
        self.kind.as_ref().map_or(GroupKind::Security, |k| k.value)
    }

    /// Who the dynamic rule takes in (`None` for an assigned group).
    pub fn audience(&self) -> Option<Audience> {
        self.dynamic.as_ref().map(|r| audience(&r.value))
    }
}

/// Reads the three rules an admin writes for "everyone", "members", "guests"; case, blanks and
/// one pair of parentheses are ignored, as the rule language ignores them.
pub fn audience(rule: &str) -> Audience {
    let mut text: String = rule
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    while text.starts_with('(') && text.ends_with(')') {
        text = text[1..text.len() - 1].to_string();
    }
    match text.as_str() {
        "user.objectid-nenull" | "user.accountenabled-eqtrue" => Audience::AllUsers,
        "user.usertype-eq\"member\"" => Audience::Members,
        "user.usertype-eq\"guest\"" => Audience::Guests,
        _ => Audience::Other,
    }
}

/// A principal an app is assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Assignee {
    User(String),
    Group(String),
}

/// `app "<name>" { ... }`: an enterprise app (a service principal of the resource tenant).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DirApp {
    pub name: Name,
    /// The application (client) id: what requests and policies name (`app "<id>"`).
    pub id: Option<Spanned<String>>,
    /// `assignment_required`: Graph `appRoleAssignmentRequired`, the portal's "Assignment
    /// required?" (default no: every user of the tenant who signs in may use the app).
    #[serde(serialize_with = "super::serialize_present")]
    pub assignment_required: Option<Span>,
    pub assigned: Vec<Spanned<Assignee>>,
    /// The app holds sensitive data (an accord marker for lint DIR004).
    #[serde(serialize_with = "super::serialize_present")]
    pub sensitive: Option<Span>,
    #[serde(skip)]
    pub span: Span,
}

/// A `directory { ... }` block. A pack may have several (one per file, say): their objects
/// form one directory.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Directory {
    pub users: Vec<DirUser>,
    pub contacts: Vec<DirContact>,
    pub groups: Vec<DirGroup>,
    pub apps: Vec<DirApp>,
    #[serde(skip)]
    pub span: Span,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audiences_of_the_rules_admins_write() {
        assert_eq!(audience("user.objectId -ne null"), Audience::AllUsers);
        assert_eq!(audience("(user.objectid -ne null)"), Audience::AllUsers);
        assert_eq!(audience("(user.userType -eq \"Guest\")"), Audience::Guests);
        assert_eq!(audience("user.userType -eq \"Member\""), Audience::Members);
        assert_eq!(audience("user.department -eq \"Sales\""), Audience::Other);
    }
}

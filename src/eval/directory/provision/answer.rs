//! The answer to a provisioning request: what existed, the rule that decided, the outcome and
//! the object left (the JSON answer's shape is these types' serialization).

use serde::Serialize;

use crate::model::AddressList;

/// What exists with the same address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Existing {
    Nothing,
    Contact,
    /// A user of the resource tenant.
    InternalUser,
    MailEnabledGuest,
    Guest,
    MailEnabledMember,
    Member,
}

impl Existing {
    pub fn describe(self) -> &'static str {
        match self {
            Existing::Nothing => "nothing",
            Existing::Contact => "a mail contact",
            Existing::InternalUser => "a user of this tenant",
            Existing::MailEnabledGuest => "a mail-enabled external guest",
            Existing::Guest => "an external guest that is not mail-enabled",
            Existing::MailEnabledMember => "a mail-enabled external member",
            Existing::Member => "an external member that is not mail-enabled",
        }
    }
}

/// The rule that decided (see the table in the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionRule {
    NewMember,
    NewGuest,
    ContactBlocksMember,
    ContactDegradesGuest,
    MailUserBlocksContact,
    NewContact,
    ContactExists,
    ContactBesideUser,
    UserExists,
    InternalOwnsAddress,
    NothingToConvert,
    ContactNotConvertible,
    ConvertShownGuest,
    ConvertHiddenGuest,
    ConvertGuest,
    AlreadyMember,
    SyncCreatesMember,
    SyncMatchesUser,
    ContactBlocksSync,
    SyncNeedsHome,
    SyncNotAllowed,
    SyncCreatesGuest,
}

impl ProvisionRule {
    pub const ALL: [ProvisionRule; 22] = [
        ProvisionRule::NewMember,
        ProvisionRule::NewGuest,
        ProvisionRule::ContactBlocksMember,
        ProvisionRule::ContactDegradesGuest,
        ProvisionRule::MailUserBlocksContact,
        ProvisionRule::NewContact,
        ProvisionRule::ContactExists,
        ProvisionRule::ContactBesideUser,
        ProvisionRule::UserExists,
        ProvisionRule::InternalOwnsAddress,
        ProvisionRule::NothingToConvert,
        ProvisionRule::ContactNotConvertible,
        ProvisionRule::ConvertShownGuest,
        ProvisionRule::ConvertHiddenGuest,
        ProvisionRule::ConvertGuest,
        ProvisionRule::AlreadyMember,
        ProvisionRule::SyncCreatesMember,
        ProvisionRule::SyncMatchesUser,
        ProvisionRule::ContactBlocksSync,
        ProvisionRule::SyncNeedsHome,
        ProvisionRule::SyncNotAllowed,
        ProvisionRule::SyncCreatesGuest,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ProvisionRule::NewMember => "new_member",
            ProvisionRule::NewGuest => "new_guest",
            ProvisionRule::ContactBlocksMember => "contact_blocks_member",
            ProvisionRule::ContactDegradesGuest => "contact_degrades_guest",
            ProvisionRule::MailUserBlocksContact => "mail_user_blocks_contact",
            ProvisionRule::NewContact => "new_contact",
            ProvisionRule::ContactExists => "contact_exists",
            ProvisionRule::ContactBesideUser => "contact_beside_user",
            ProvisionRule::UserExists => "user_exists",
            ProvisionRule::InternalOwnsAddress => "internal_owns_address",
            ProvisionRule::NothingToConvert => "nothing_to_convert",
            ProvisionRule::ContactNotConvertible => "contact_not_convertible",
            ProvisionRule::ConvertShownGuest => "convert_shown_guest",
            ProvisionRule::ConvertHiddenGuest => "convert_hidden_guest",
            ProvisionRule::ConvertGuest => "convert_guest",
            ProvisionRule::AlreadyMember => "already_member",
            ProvisionRule::SyncCreatesMember => "sync_creates_member",
            ProvisionRule::SyncMatchesUser => "sync_matches_user",
            ProvisionRule::ContactBlocksSync => "contact_blocks_sync",
            ProvisionRule::SyncNeedsHome => "sync_needs_home",
            ProvisionRule::SyncNotAllowed => "sync_not_allowed",
            ProvisionRule::SyncCreatesGuest => "sync_creates_guest",
        }
    }

    pub fn from_id(id: &str) -> Option<ProvisionRule> {
        Self::ALL.into_iter().find(|r| r.id() == id)
    }
}

/// `created`, `changed` (an existing object updated), `unchanged` (nothing new), or `error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionOutcome {
    Created,
    Changed,
    Unchanged,
    Error,
}

/// The object the action leaves for the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultObject {
    /// `user` or `contact`.
    pub object: &'static str,
    /// `member` or `guest` (users only).
    pub user_type: Option<&'static str>,
    pub mail_enabled: bool,
    pub address_list: AddressList,
    /// Found by the SharePoint people picker (of the request's site, else the tenant).
    pub people_picker: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProvisionDecision {
    pub outcome: ProvisionOutcome,
    pub rule: ProvisionRule,
    pub existing: Existing,
    pub result: Option<ResultObject>,
    pub reason: String,
    /// What else the admin should know (the people picker, the page's warnings).
    pub notes: Vec<String>,
}

impl std::fmt::Display for ProvisionDecision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let word = match self.outcome {
            ProvisionOutcome::Created => "CREATED",
            ProvisionOutcome::Changed => "CHANGED",
            ProvisionOutcome::Unchanged => "UNCHANGED",
            ProvisionOutcome::Error => "ERROR",
        };
        writeln!(f, "{word}: {}", self.reason)?;
        writeln!(f, "rule: {}", self.rule.id())?;
        writeln!(f, "existing: {}", self.existing.describe())?;
        if let Some(r) = &self.result {
            let mut what = match r.user_type {
                Some(t) => format!("{t} user"),
                None => r.object.to_string(),
            };
            what.push_str(if r.mail_enabled {
                ", mail-enabled"
            } else {
                ", not mail-enabled"
            });
            writeln!(
                f,
                "result: {what}; {} in the address list; {} by the SharePoint people picker",
                r.address_list.name(),
                if r.people_picker {
                    "found"
                } else {
                    "not found"
                }
            )?;
        }
        for n in &self.notes {
            writeln!(f, "note: {n}")?;
        }
        Ok(())
    }
}

//! Share requests: "may this be shared with that external person?" (issue 3, rule 5).
//!
//! The document shape is a public contract (tests outside the repository use it):
//!
//! ```yaml
//! share:
//!   service: sharepoint             # sharepoint | onedrive | teams | groups | calendar | power_bi | viva_engage
//!   site: "https://contoso.sharepoint.com/sites/finance"   # optional
//!   with: carol@litware.com         # the recipient's e-mail
//!   existing: none                  # none | guest | member (default none)
//!   link: specific_people           # anyone | specific_people (default specific_people)
//!   level: free_busy_detail         # calendar only
//!   by: member                      # member | guest | admin | guest_inviter (default member)
//!   groups: [Project]               # optional: the recipient's groups in their home tenant
//!   via: organization_relationship  # calendar only: sharing_policy | organization_relationship (default: either)
//!   owner: alice@contoso.com        # calendar only: our user whose calendar it is
//!   owner_groups: [Project Falcon]  # calendar only: that user's groups (free/busy scope)
//!   sharing_policy: Partners        # calendar only: the user's sharing policy (default: by `owner`, else the default policy)
//! ```
//!
//! Parsing only checks the shape and the enumerated values. Whether the fields make sense together
//! (a `level` for SharePoint, a malformed address) is decided by `eval::sharing`, which denies such
//! a request with the reason rather than guessing.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use thiserror::Error;

use super::CalendarLevel;
use crate::diagnostic::did_you_mean;

/// The service a share request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareService {
    Sharepoint,
    Onedrive,
    Teams,
    Groups,
    Calendar,
    PowerBi,
    VivaEngage,
}

impl ShareService {
    pub fn name(self) -> &'static str {
        match self {
            ShareService::Sharepoint => "sharepoint",
            ShareService::Onedrive => "onedrive",
            ShareService::Teams => "teams",
            ShareService::Groups => "groups",
            ShareService::Calendar => "calendar",
            ShareService::PowerBi => "power_bi",
            ShareService::VivaEngage => "viva_engage",
        }
    }
}

/// The recipient's account in the resource directory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExistingAccount {
    /// No account yet: sharing creates one, so it is also an invitation.
    #[default]
    None,
    /// A guest account (`userType` Guest).
    Guest,
    /// A member account (`userType` Member): an employee, or an external member from
    /// cross-tenant synchronisation.
    Member,
}

impl ExistingAccount {
    pub fn name(self) -> &'static str {
        match self {
            ExistingAccount::None => "none",
            ExistingAccount::Guest => "guest",
            ExistingAccount::Member => "member",
        }
    }
}

/// The kind of sharing link.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// An unauthenticated "Anyone" link.
    Anyone,
    #[default]
    SpecificPeople,
}

impl LinkKind {
    pub fn name(self) -> &'static str {
        match self {
            LinkKind::Anyone => "anyone",
            LinkKind::SpecificPeople => "specific_people",
        }
    }
}

/// Who shares: what matters is whether they may invite guests (§7.6).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sharer {
    #[default]
    Member,
    Guest,
    /// An administrator with a role that may invite (User Administrator and the like).
    Admin,
    /// A holder of the Guest Inviter role.
    GuestInviter,
}

impl Sharer {
    pub fn name(self) -> &'static str {
        match self {
            Sharer::Member => "member",
            Sharer::Guest => "guest",
            Sharer::Admin => "admin",
            Sharer::GuestInviter => "guest_inviter",
        }
    }
}

/// How a calendar reaches a person outside: a user shares it under their sharing policy, or the
/// organizations' relationship lets the partner look up free/busy (Microsoft Learn, "Sharing in
/// Exchange Online": user-to-user sharing and business-to-business sharing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CalendarVia {
    SharingPolicy,
    OrganizationRelationship,
}

impl CalendarVia {
    pub fn name(self) -> &'static str {
        match self {
            CalendarVia::SharingPolicy => "sharing_policy",
            CalendarVia::OrganizationRelationship => "organization_relationship",
        }
    }
}

/// The `share:` body of a share request.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ShareRequest {
    pub service: ShareService,
    #[serde(default)]
    pub site: Option<String>,
    /// The recipient's e-mail address, as written (checked when deciding).
    pub with: String,
    #[serde(default)]
    pub existing: ExistingAccount,
    #[serde(default)]
    pub link: LinkKind,
    /// The requested calendar sharing level (calendar requests only).
    #[serde(default, deserialize_with = "calendar_level")]
    pub level: Option<CalendarLevel>,
    #[serde(default)]
    pub by: Sharer,
    /// The recipient's groups in their home tenant (names or object ids, as cross-tenant settings
    /// name them), all of them; `None` when the request does not say, and a partner setting
    /// scoped to groups then cannot be decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<String>>,
    /// Calendar only: which mechanism to judge (`None`: either).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<CalendarVia>,
    /// Calendar only: our user whose calendar is shared (picks their sharing policy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Calendar only: the owner's groups, for an organization relationship's free/busy scope;
    /// `None` when the request does not say, and a scoped relationship then does not apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_groups: Option<Vec<String>>,
    /// Calendar only: the sharing policy assigned to the owner's mailbox, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sharing_policy: Option<String>,
}

/// A whole share request document: `share: { ... }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ShareDocument {
    pub share: ShareRequest,
}

/// A share request document that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ShareRequestError {
    /// Not YAML/JSON, or not the documented shape.
    #[error("invalid share request: {message}")]
    Invalid {
        message: String,
        line: Option<usize>,
        column: Option<usize>,
    },
}

impl ShareRequest {
    /// A request with every optional field at its default.
    pub fn new(service: ShareService, with: impl Into<String>) -> ShareRequest {
        ShareRequest {
            service,
            site: None,
            with: with.into(),
            existing: ExistingAccount::None,
            link: LinkKind::SpecificPeople,
            level: None,
            by: Sharer::Member,
            groups: None,
            via: None,
            owner: None,
            owner_groups: None,
            sharing_policy: None,
        }
    }

    /// Reads a share request document (YAML, or JSON which is YAML too).
    pub fn parse(text: &str) -> Result<ShareRequest, ShareRequestError> {
        let share = parse_share_yaml(text)?.share;
        // A recipient that is not an address at all is a mistake in the request, not a
        // sharing decision: an error here, never a `DENY` that reads like policy.
        let with = share.with.trim();
        let looks_like_address = with.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.contains('@')
        });
        if !looks_like_address {
            let (line, column) = crate::yaml::key_position(text, "share.with").unzip();
            return Err(ShareRequestError::Invalid {
                message: format!(
                    "`with: {with}` is not an e-mail address: write the recipient's address, such as `carol@litware.com`"
                ),
                line,
                column,
            });
        }
        Ok(share)
    }
}

/// Reads the document through the one module that knows the YAML library.
fn parse_share_yaml(text: &str) -> Result<ShareDocument, ShareRequestError> {
    crate::yaml::from_str::<ShareDocument>(text).map_err(|e| ShareRequestError::Invalid {
        message: e.message,
        line: e.line,
        column: e.column,
    })
}

/// `level` is a calendar level name; an unknown one is an error with a "did you mean".
fn calendar_level<'de, D: Deserializer<'de>>(d: D) -> Result<Option<CalendarLevel>, D::Error> {
    let Some(name) = Option::<String>::deserialize(d)? else {
        return Ok(None);
    };
    match CalendarLevel::from_name(&name) {
        Some(level) => Ok(Some(level)),
        None => Err(serde::de::Error::custom(UnknownLevel(name))),
    }
}

struct UnknownLevel(String);

impl fmt::Display for UnknownLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = CalendarLevel::ALL.iter().map(|l| l.name()).collect();
        write!(
            f,
            "unknown calendar level `{}`, expected one of {}",
            self.0,
            names.join(", ")
        )?;
        if let Some(hint) = did_you_mean(&self.0, names.iter().copied()) {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_the_optional_fields() {
        let req = ShareRequest::parse("share:\n  service: sharepoint\n  with: carol@litware.com\n")
            .unwrap();
        assert_eq!(req.service, ShareService::Sharepoint);
        assert_eq!(req.site, None);
        assert_eq!(req.existing, ExistingAccount::None);
        assert_eq!(req.link, LinkKind::SpecificPeople);
        assert_eq!(req.level, None);
        assert_eq!(req.by, Sharer::Member);
    }

    #[test]
    fn every_field_of_the_documented_shape_is_read() {
        let text = r#"
share:
  service: calendar
  site: "https://contoso.sharepoint.com/sites/finance"
  with: carol@litware.com
  existing: guest
  link: anyone
  level: free_busy_detail
  by: guest_inviter
"#;
        let req = ShareRequest::parse(text).unwrap();
        assert_eq!(req.service, ShareService::Calendar);
        assert_eq!(
            req.site.as_deref(),
            Some("https://contoso.sharepoint.com/sites/finance")
        );
        assert_eq!(req.existing, ExistingAccount::Guest);
        assert_eq!(req.link, LinkKind::Anyone);
        assert_eq!(req.level, Some(CalendarLevel::FreeBusyDetail));
        assert_eq!(req.by, Sharer::GuestInviter);
    }

    #[test]
    fn json_is_accepted() {
        let req = ShareRequest::parse(
            r#"{"share": {"service": "power_bi", "with": "a@b.com", "existing": "member"}}"#,
        )
        .unwrap();
        assert_eq!(req.service, ShareService::PowerBi);
        assert_eq!(req.existing, ExistingAccount::Member);
    }

    #[test]
    fn unknown_fields_and_values_are_errors() {
        let extra = ShareRequest::parse("share:\n  service: teams\n  with: a@b.com\n  who: x\n");
        assert!(
            matches!(extra, Err(ShareRequestError::Invalid { message: m, .. }) if m.contains("who"))
        );
        let service = ShareRequest::parse("share:\n  service: exchange\n  with: a@b.com\n");
        assert!(
            matches!(service, Err(ShareRequestError::Invalid { message: m, .. }) if m.contains("exchange"))
        );
        let top = ShareRequest::parse("share:\n  service: teams\n  with: a@b.com\nuser: x\n");
        assert!(top.is_err());
        let missing = ShareRequest::parse("share:\n  service: teams\n");
        assert!(
            matches!(missing, Err(ShareRequestError::Invalid { message: m, .. }) if m.contains("with"))
        );
    }

    #[test]
    fn an_unknown_calendar_level_suggests_the_closest() {
        let err = ShareRequest::parse(
            "share:\n  service: calendar\n  with: a@b.com\n  level: free_busy_detial\n",
        )
        .unwrap_err();
        let ShareRequestError::Invalid { message, line, .. } = err;
        assert!(line.is_some(), "the error says where");
        assert!(
            message.contains("did you mean `free_busy_detail`?"),
            "{message}"
        );
    }
}

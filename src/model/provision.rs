//! Provisioning requests: "what does the directory do if we provision this person?" (issue 12).
//!
//! The document shape is a public contract:
//!
//! ```yaml
//! provision:
//!   action: invite_guest      # invite_guest | invite_member | create_contact | convert_to_member | sync
//!   address: bob@fabrikam.com # the person's e-mail address (what collides with existing objects)
//!   home: fabrikam            # optional: the person's home tenant (sync: default from the domain)
//!   address_list: shown       # optional: shown | hidden, set on the new object (default: the platform's)
//!   site: "https://contoso.sharepoint.com/sites/x"   # optional: the site whose people picker to ask
//!   user_type: member         # sync only: the source tenant's userType mapping (default member)
//! ```
//!
//! Parsing checks the shape and the values; `eval::directory::provision` decides.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::AddressList;

/// What the admin (or a synchronisation) does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionAction {
    /// Invite as a B2B guest (`userType` Guest).
    InviteGuest,
    /// Invite as a B2B member (`userType` Member, through the API).
    InviteMember,
    /// Create a mail contact (Exchange `New-MailContact`, or a GAL synchronisation).
    CreateContact,
    /// Set an existing user's `userType` to Member.
    ConvertToMember,
    /// Cross-tenant synchronization of the person from their home tenant.
    Sync,
}

impl ProvisionAction {
    pub fn name(self) -> &'static str {
        match self {
            ProvisionAction::InviteGuest => "invite_guest",
            ProvisionAction::InviteMember => "invite_member",
            ProvisionAction::CreateContact => "create_contact",
            ProvisionAction::ConvertToMember => "convert_to_member",
            ProvisionAction::Sync => "sync",
        }
    }
}

/// The `provision:` body.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProvisionRequest {
    pub action: ProvisionAction,
    pub address: String,
    #[serde(default)]
    pub home: Option<String>,
    #[serde(default)]
    pub address_list: Option<AddressList>,
    #[serde(default)]
    pub site: Option<String>,
    /// `sync` only: the userType the source tenant's attribute mapping gives new users
    /// (the configuration's default is Member).
    #[serde(default)]
    pub user_type: Option<SyncUserType>,
}

/// The userType a cross-tenant synchronization configuration maps new users to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncUserType {
    Member,
    Guest,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProvisionDocument {
    pub provision: ProvisionRequest,
}

/// A provisioning document that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid provisioning request: {message}")]
pub struct ProvisionRequestError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl ProvisionRequest {
    /// Reads a provisioning document (YAML, or JSON).
    pub fn parse(text: &str) -> Result<ProvisionRequest, ProvisionRequestError> {
        let doc: ProvisionDocument =
            crate::yaml::from_str(text).map_err(|e| ProvisionRequestError {
                message: e.message,
                line: e.line,
                column: e.column,
            })?;
        let req = doc.provision;
        let address = req.address.trim();
        let ok = address
            .split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.contains('@'));
        if !ok {
            let (line, column) = crate::yaml::key_position(text, "provision.address").unzip();
            return Err(ProvisionRequestError {
                message: format!(
                    "`address: {address}` is not an e-mail address: write the person's address, such as `bob@fabrikam.com`"
                ),
                line,
                column,
            });
        }
        if req.user_type.is_some() && req.action != ProvisionAction::Sync {
            let (line, column) = crate::yaml::key_position(text, "provision.user_type").unzip();
            return Err(ProvisionRequestError {
                message: format!(
                    "`user_type` is the userType mapping of a cross-tenant synchronization: it does not apply to `action: {}`",
                    req.action.name()
                ),
                line,
                column,
            });
        }
        Ok(req)
    }
}

/// True when a document is a provisioning request (a top-level `provision:` key).
pub fn is_provision_document(text: &str) -> bool {
    matches!(
        crate::yaml::from_str::<serde_json::Value>(text),
        Ok(serde_json::Value::Object(map)) if map.contains_key("provision")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_shape_is_read() {
        let r = ProvisionRequest::parse(
            "provision:\n  action: invite_guest\n  address: bob@fabrikam.com\n  address_list: shown\n",
        )
        .unwrap();
        assert_eq!(r.action, ProvisionAction::InviteGuest);
        assert_eq!(r.address_list, Some(AddressList::Shown));
        assert!(is_provision_document(
            "provision: {action: sync, address: a@b.com}"
        ));
    }

    #[test]
    fn bad_values_and_addresses_are_errors() {
        let e = ProvisionRequest::parse("provision:\n  action: invite\n  address: a@b.com\n")
            .unwrap_err();
        assert!(e.message.contains("invite_guest"), "{}", e.message);
        let e =
            ProvisionRequest::parse("provision:\n  action: sync\n  address: bob\n").unwrap_err();
        assert!(e.message.contains("not an e-mail address"));
        assert!(e.line.is_some());
        let e = ProvisionRequest::parse(
            "provision:\n  action: invite_guest\n  address: a@b.com\n  user_type: guest\n",
        )
        .unwrap_err();
        assert!(e.message.contains("does not apply"), "{}", e.message);
        assert_eq!(e.line, Some(4));
        let r = ProvisionRequest::parse(
            "provision: {action: sync, address: a@b.com, user_type: guest}",
        )
        .unwrap();
        assert_eq!(r.user_type, Some(SyncUserType::Guest));
    }
}

//! Teams requests: "can this person reach our users in Teams, and how?" (issue 12, part 2).
//!
//! Two document shapes, a public contract like `share:`:
//!
//! ```yaml
//! chat:
//!   with: carol@litware.com   # the external person's address (their Teams sign-in)
//!   account: work             # work | consumer | guest (default work)
//!   action: chat              # find | chat | call | shared_channel (default chat)
//!   started_by: them          # them | us: who starts the conversation (default them)
//!   in_contacts: false        # the person is in our user's contacts (default false)
//! ```
//!
//! ```yaml
//! meeting:
//!   with: carol@litware.com   # optional for anonymous and dial_in participants
//!   account: work             # member | guest | work | consumer | anonymous | dial_in (default work)
//!   invited: false            # on the meeting invitation (default false)
//!   policy: Global            # the organizer's meeting policy (default Global)
//! ```
//!
//! Parsing checks the shape and the values; whether they make sense together (an anonymous
//! chat, a guest in a shared channel) is decided by `eval::sharing`, which denies such a request
//! with the reason rather than guessing.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The kind of account the person uses in Teams.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamsAccount {
    /// A member of our own tenant (meetings only: the lobby question).
    Member,
    /// A B2B guest account in our tenant (guest access).
    Guest,
    /// A Teams work or school account in another tenant (external access, federation).
    #[default]
    Work,
    /// A Teams account not managed by an organization (a Microsoft account).
    Consumer,
    /// Someone who joins a meeting from the link without signing in.
    Anonymous,
    /// Someone who calls into a meeting by phone (PSTN).
    DialIn,
}

impl TeamsAccount {
    pub fn name(self) -> &'static str {
        match self {
            TeamsAccount::Member => "member",
            TeamsAccount::Guest => "guest",
            TeamsAccount::Work => "work",
            TeamsAccount::Consumer => "consumer",
            TeamsAccount::Anonymous => "anonymous",
            TeamsAccount::DialIn => "dial_in",
        }
    }
}

/// What the person wants to do with our users.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatAction {
    /// Search for our user by address.
    Find,
    /// One-to-one or group chat.
    #[default]
    Chat,
    /// A Teams audio or video call.
    Call,
    /// Work with our users in a shared channel (B2B direct connect).
    SharedChannel,
}

impl ChatAction {
    pub fn name(self) -> &'static str {
        match self {
            ChatAction::Find => "find",
            ChatAction::Chat => "chat",
            ChatAction::Call => "call",
            ChatAction::SharedChannel => "shared_channel",
        }
    }
}

/// Who starts the conversation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StartedBy {
    /// The external person (inbound).
    #[default]
    Them,
    /// Our user (outbound).
    Us,
}

impl StartedBy {
    pub fn name(self) -> &'static str {
        match self {
            StartedBy::Them => "them",
            StartedBy::Us => "us",
        }
    }
}

/// The `chat:` body.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChatRequest {
    pub with: String,
    #[serde(default)]
    pub account: TeamsAccount,
    #[serde(default)]
    pub action: ChatAction,
    #[serde(default)]
    pub started_by: StartedBy,
    #[serde(default)]
    pub in_contacts: bool,
}

/// The `meeting:` body.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingRequest {
    #[serde(default)]
    pub with: Option<String>,
    #[serde(default)]
    pub account: TeamsAccount,
    #[serde(default)]
    pub invited: bool,
    #[serde(default)]
    pub policy: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChatDocument {
    chat: ChatRequest,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct MeetingDocument {
    meeting: MeetingRequest,
}

/// A `chat:` or `meeting:` document that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid {kind} request: {message}")]
pub struct TeamsRequestError {
    /// `chat` or `meeting`.
    pub kind: &'static str,
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl TeamsRequestError {
    fn from_yaml(kind: &'static str, e: crate::yaml::YamlError) -> Self {
        TeamsRequestError {
            kind,
            message: e.message,
            line: e.line,
            column: e.column,
        }
    }
}

impl ChatRequest {
    /// Reads a `chat:` document (YAML, or JSON).
    pub fn parse(text: &str) -> Result<ChatRequest, TeamsRequestError> {
        let doc: ChatDocument =
            crate::yaml::from_str(text).map_err(|e| TeamsRequestError::from_yaml("chat", e))?;
        check_address("chat", text, &doc.chat.with)?;
        Ok(doc.chat)
    }
}

impl MeetingRequest {
    /// Reads a `meeting:` document (YAML, or JSON).
    pub fn parse(text: &str) -> Result<MeetingRequest, TeamsRequestError> {
        let doc: MeetingDocument =
            crate::yaml::from_str(text).map_err(|e| TeamsRequestError::from_yaml("meeting", e))?;
        if let Some(with) = &doc.meeting.with {
            check_address("meeting", text, with)?;
        }
        Ok(doc.meeting)
    }
}

/// `with` must look like an address: a mistake in the request is an error, never a `DENY`.
fn check_address(kind: &'static str, text: &str, with: &str) -> Result<(), TeamsRequestError> {
    let with = with.trim();
    let ok = with
        .split_once('@')
        .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.contains('@'));
    if ok {
        return Ok(());
    }
    let (line, column) = crate::yaml::key_position(text, &format!("{kind}.with")).unzip();
    Err(TeamsRequestError {
        kind,
        message: format!(
            "`with: {with}` is not an e-mail address: write the person's address, such as `carol@litware.com`"
        ),
        line,
        column,
    })
}

/// `Some("chat")` or `Some("meeting")` when the document is a Teams request (its top-level key).
pub fn teams_document_kind(text: &str) -> Option<&'static str> {
    match crate::yaml::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(map)) if map.contains_key("chat") => Some("chat"),
        Ok(serde_json::Value::Object(map)) if map.contains_key("meeting") => Some("meeting"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_the_optional_fields() {
        let c = ChatRequest::parse("chat:\n  with: carol@litware.com\n").unwrap();
        assert_eq!(c.account, TeamsAccount::Work);
        assert_eq!(c.action, ChatAction::Chat);
        assert_eq!(c.started_by, StartedBy::Them);
        assert!(!c.in_contacts);
        let m = MeetingRequest::parse("meeting: {account: anonymous}").unwrap();
        assert_eq!(m.with, None);
        assert_eq!(m.account, TeamsAccount::Anonymous);
        assert!(!m.invited);
        assert_eq!(
            teams_document_kind("meeting: {account: dial_in}"),
            Some("meeting")
        );
        assert_eq!(teams_document_kind("chat: {with: a@b.com}"), Some("chat"));
        assert_eq!(teams_document_kind("share: {with: a@b.com}"), None);
    }

    #[test]
    fn bad_values_and_addresses_are_errors() {
        let e = ChatRequest::parse("chat:\n  with: a@b.com\n  action: video\n").unwrap_err();
        assert!(e.message.contains("shared_channel"), "{}", e.message);
        let e = ChatRequest::parse("chat:\n  with: carol\n").unwrap_err();
        assert!(e.message.contains("not an e-mail address"));
        assert_eq!(e.line, Some(2));
        let e = MeetingRequest::parse("meeting:\n  account: work\n  lobby: x\n").unwrap_err();
        assert!(e.message.contains("lobby"), "{}", e.message);
    }
}

//! Mail requests: "what happens to a message between us and a partner?" (issue 12, part 1).
//!
//! The document shape is a public contract, like `share:`:
//!
//! ```yaml
//! mail:
//!   direction: inbound          # inbound (they send to us) | outbound (we send to them); default inbound
//!   domain: fabrikam.com        # the sender's domain (inbound) or the recipient's (outbound)
//!   ip: 203.0.113.10            # inbound: the address of the server that connects to us
//!   tls: true                   # the connection is (inbound) or can be (outbound) TLS; default true
//!   certificate: mail.fabrikam.com   # the name on the other server's TLS certificate
//!   auto_forward: false         # outbound: the message is forwarded automatically (a rule)
//!   auto_reply: false           # outbound: the message is an automatic reply
//! ```
//!
//! Parsing checks the shape and the values; whether they fit the direction (an `ip` on an
//! outbound message) is decided by `eval::exchange`, which answers such a request with the reason
//! rather than guessing.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Which way the message goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MailDirection {
    /// From the partner to our organization.
    #[default]
    Inbound,
    /// From our organization to the partner.
    Outbound,
}

impl MailDirection {
    pub fn name(self) -> &'static str {
        match self {
            MailDirection::Inbound => "inbound",
            MailDirection::Outbound => "outbound",
        }
    }
}

fn yes() -> bool {
    true
}

/// The `mail:` body.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MailRequest {
    #[serde(default)]
    pub direction: MailDirection,
    pub domain: String,
    #[serde(default)]
    pub ip: Option<IpAddr>,
    #[serde(default = "yes")]
    pub tls: bool,
    #[serde(default)]
    pub certificate: Option<String>,
    #[serde(default)]
    pub auto_forward: bool,
    #[serde(default)]
    pub auto_reply: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct MailDocument {
    mail: MailRequest,
}

/// A `mail:` document that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid mail request: {message}")]
pub struct MailRequestError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl MailRequest {
    /// Reads a `mail:` document (YAML, or JSON).
    pub fn parse(text: &str) -> Result<MailRequest, MailRequestError> {
        let doc: MailDocument = crate::yaml::from_str(text).map_err(|e| MailRequestError {
            message: e.message,
            line: e.line,
            column: e.column,
        })?;
        let mail = doc.mail;
        let domain = mail.domain.trim();
        if domain.contains('@') || !domain.contains('.') || domain.contains(' ') {
            let (line, column) = crate::yaml::key_position(text, "mail.domain").unzip();
            return Err(MailRequestError {
                message: format!(
                    "`domain: {domain}` is not a mail domain: write the domain alone, such as `fabrikam.com`"
                ),
                line,
                column,
            });
        }
        Ok(mail)
    }
}

/// Whether the document is a mail request (its top-level key is `mail`).
pub fn is_mail_document(text: &str) -> bool {
    matches!(
        crate::yaml::from_str::<serde_json::Value>(text),
        Ok(serde_json::Value::Object(map)) if map.contains_key("mail")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_the_optional_fields() {
        let m = MailRequest::parse("mail:\n  domain: fabrikam.com\n").unwrap();
        assert_eq!(m.direction, MailDirection::Inbound);
        assert!(m.tls);
        assert_eq!(m.ip, None);
        assert!(!m.auto_forward && !m.auto_reply);
        assert!(is_mail_document("mail: {domain: a.com}"));
        assert!(!is_mail_document("share: {domain: a.com}"));
    }

    #[test]
    fn bad_values_are_errors_with_a_place() {
        let e = MailRequest::parse("mail:\n  domain: carol@fabrikam.com\n").unwrap_err();
        assert!(e.message.contains("not a mail domain"), "{}", e.message);
        assert_eq!(e.line, Some(2));
        let e = MailRequest::parse("mail:\n  domain: a.com\n  ip: 300.1.1.1\n").unwrap_err();
        assert!(e.line.is_some(), "{e}");
        let e = MailRequest::parse("mail:\n  domain: a.com\n  direction: sideways\n").unwrap_err();
        assert!(e.message.contains("outbound"), "{}", e.message);
    }
}

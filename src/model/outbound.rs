//! Outbound requests: "can alice@contoso reach fabrikam's SharePoint from the corporate
//! network?" (issue 14, item 3).
//!
//! The document shape is a public contract, like `share:`:
//!
//! ```yaml
//! outbound:
//!   user: alice@contoso.com   # one of our users (required)
//!   groups: [Sales]           # our groups the user is in (omitted: unknown, fail closed)
//!   tenant: fabrikam          # the resource tenant: a declared name, a tenant id or a domain
//!   app: sharepoint           # the app in that tenant: a first-party app name or an app id
//!   kind: b2b_collaboration   # b2b_collaboration (default) | direct_connect
//!   enforcement: none         # none (default) | proxy | universal | windows_device
//!   account: own              # own (default) | anonymous | { tenant, name, groups }
//! ```
//!
//! `enforcement` says whether the sign-in carries our tenant restrictions v2 signal: `proxy`
//! (our network's proxy adds the header: authentication plane only), `universal` (Global Secure
//! Access tags the traffic: authentication and data plane) or `windows_device` (a Windows device
//! with our tenant restrictions policy). `account` is the identity used to sign in: our own
//! account (the user's, in our tenant), no account (anonymous access to a shared link or a
//! meeting), or an account another tenant issued (`tenant` is the issuing tenant, `name` and
//! `groups` the account and its groups there).

use serde::{Deserialize, Serialize};

use super::request::RequestError;

/// B2B collaboration (a guest account in the other tenant) or direct connect (Teams shared
/// channels, no account there).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboundKind {
    #[default]
    B2bCollaboration,
    DirectConnect,
}

/// How the sign-in reaches Microsoft Entra with (or without) our tenant restrictions signal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Enforcement {
    /// Not from a network or device of ours that enforces tenant restrictions.
    #[default]
    None,
    /// The corporate proxy adds `sec-Restrict-Tenant-Access-Policy` (authentication plane).
    Proxy,
    /// Universal tenant restrictions through Global Secure Access (authentication and data plane).
    Universal,
    /// A Windows device with our tenant restrictions policy (authentication and data plane).
    WindowsDevice,
}

impl Enforcement {
    pub fn name(self) -> &'static str {
        match self {
            Enforcement::None => "none",
            Enforcement::Proxy => "proxy",
            Enforcement::Universal => "universal",
            Enforcement::WindowsDevice => "windows_device",
        }
    }
}

/// The identity used to sign in.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Account {
    /// `own` or `anonymous`.
    Word(AccountWord),
    /// An account issued by another tenant.
    External(ExternalAccount),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountWord {
    Own,
    Anonymous,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalAccount {
    /// The issuing tenant: a declared name, a tenant id or a domain.
    pub tenant: String,
    #[serde(default)]
    pub name: Option<String>,
    /// The account's groups in the issuing tenant (omitted: unknown, fail closed).
    #[serde(default)]
    pub groups: Option<Vec<String>>,
}

impl Default for Account {
    fn default() -> Self {
        Account::Word(AccountWord::Own)
    }
}

/// The `outbound:` body.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OutboundRequest {
    pub user: String,
    #[serde(default)]
    pub groups: Option<Vec<String>>,
    pub tenant: String,
    pub app: String,
    #[serde(default)]
    pub kind: OutboundKind,
    #[serde(default)]
    pub enforcement: Enforcement,
    #[serde(default)]
    pub account: Account,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OutboundDocument {
    pub outbound: OutboundRequest,
}

impl OutboundRequest {
    /// Reads an outbound document (YAML, or JSON); an error points at the line and column.
    pub fn parse(text: &str) -> Result<OutboundRequest, RequestError> {
        let doc: OutboundDocument = crate::yaml::from_str(text).map_err(|e| {
            let mut err = RequestError::new("outbound", e.message).help(
                "an outbound request is `outbound: { user, groups, tenant, app, kind, enforcement, account }` (see `accord whatif --help`)",
            );
            err.line = e.line;
            err.column = e.column;
            err
        })?;
        Ok(doc.outbound)
    }
}

/// True when a document is an outbound request (a top-level `outbound:` key).
pub fn is_outbound_document(text: &str) -> bool {
    matches!(
        crate::yaml::from_str::<serde_json::Value>(text),
        Ok(serde_json::Value::Object(map)) if map.contains_key("outbound")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_shape_is_read() {
        let r = OutboundRequest::parse(
            "outbound:\n  user: alice@contoso.com\n  groups: [Sales]\n  tenant: fabrikam\n  app: sharepoint\n  enforcement: proxy\n  account: {tenant: litware, name: alice@litware.com}\n",
        )
        .unwrap();
        assert_eq!(r.enforcement, Enforcement::Proxy);
        assert_eq!(r.kind, OutboundKind::B2bCollaboration);
        assert!(
            matches!(&r.account, Account::External(a) if a.tenant == "litware" && a.groups.is_none())
        );
        let r = OutboundRequest::parse(
            "outbound: {user: a@contoso.com, tenant: f, app: teams, account: anonymous}",
        )
        .unwrap();
        assert_eq!(r.account, Account::Word(AccountWord::Anonymous));
        assert!(is_outbound_document(
            "outbound: {user: a, tenant: b, app: c}"
        ));
        let e = OutboundRequest::parse("outbound: {user: a, tenant: b, app: c, enforce: proxy}")
            .unwrap_err();
        assert!(e.message.contains("enforce"), "{}", e.message);
        assert!(
            OutboundRequest::parse("outbound: {user: a, tenant: b, app: c, enforcement: vpn}")
                .is_err()
        );
    }
}

//! Workload requests: "may this service principal get a token, from here, at this risk?"
//! (issue 14, item 2; agent identities, item 6).
//!
//! The document shape is a public contract, like `share:` and `mail:`:
//!
//! ```yaml
//! workload:
//!   service_principal: 8f2c...      # the service principal's object id (required)
//!   name: Payroll sync              # its display name, for the trace only
//!   single_tenant: true             # an app registered in this tenant alone; default true
//!   managed_identity: false         # a managed identity; default false
//!   agent: false                    # an agent identity (preview); default false
//!   app: all                        # the resource: an application id; absent = not known
//!   ip: 203.0.113.10                # the address the token is requested from
//!   country: FR                     # the country of that address
//!   risk: none                      # service principal risk: none, low, medium, high
//!   attributes: {Ops_Tier: gold}    # custom security attributes (`Set_Attribute: value`)
//! ```
//!
//! A signal left out is not a default: a policy that needs it is "not decided" and the
//! evaluator fails closed (`eval::workload`).

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::request::{kw, opt_country, Country};
use super::RiskLevel;

fn yes() -> bool {
    true
}

/// The `workload:` body.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkloadRequest {
    pub service_principal: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default = "yes")]
    pub single_tenant: bool,
    #[serde(default)]
    pub managed_identity: bool,
    #[serde(default)]
    pub agent: bool,
    #[serde(default)]
    pub app: Option<String>,
    #[serde(default)]
    pub ip: Option<IpAddr>,
    #[serde(default, deserialize_with = "opt_country")]
    pub country: Option<Country>,
    #[serde(default, deserialize_with = "kw::opt")]
    pub risk: Option<RiskLevel>,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkloadDocument {
    workload: WorkloadRequest,
}

/// A `workload:` document that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
#[error("invalid workload request: {message}")]
pub struct WorkloadRequestError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl WorkloadRequest {
    /// Reads a `workload:` document (YAML, or JSON).
    pub fn parse(text: &str) -> Result<WorkloadRequest, WorkloadRequestError> {
        let doc: WorkloadDocument =
            crate::yaml::from_str(text).map_err(|e| WorkloadRequestError {
                message: e.message,
                line: e.line,
                column: e.column,
            })?;
        let w = doc.workload;
        if w.service_principal.trim().is_empty() {
            let (line, column) =
                crate::yaml::key_position(text, "workload.service_principal").unzip();
            return Err(WorkloadRequestError {
                message: "`service_principal` is empty: write the service principal's object id"
                    .to_string(),
                line,
                column,
            });
        }
        Ok(w)
    }

    /// The service principal as people read it: its name when given, else its id.
    pub fn label(&self) -> String {
        match &self.name {
            Some(n) => format!("`{n}` ({})", self.service_principal),
            None => format!("`{}`", self.service_principal),
        }
    }
}

/// Whether the document is a workload request (its top-level key is `workload`).
pub fn is_workload_document(text: &str) -> bool {
    matches!(
        crate::yaml::from_str::<serde_json::Value>(text),
        Ok(serde_json::Value::Object(map)) if map.contains_key("workload")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_errors() {
        let w = WorkloadRequest::parse("workload:\n  service_principal: sp-1\n").unwrap();
        assert!(w.single_tenant && !w.managed_identity && !w.agent);
        assert_eq!((w.risk, w.ip, w.country), (None, None, None));
        assert!(is_workload_document("workload: {service_principal: x}"));
        assert!(!is_workload_document("mail: {domain: a.com}"));
        let e = WorkloadRequest::parse("workload:\n  service_principal: x\n  risk: severe\n")
            .unwrap_err();
        assert!(e.message.contains("severe"), "{}", e.message);
        assert!(e.line.is_some());
        let e = WorkloadRequest::parse("workload:\n  service_principal: ' '\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = WorkloadRequest::parse("workload:\n  principal: x\n").unwrap_err();
        assert!(e.message.contains("principal"), "{}", e.message);
    }
}

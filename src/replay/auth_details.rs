//! The admin center's CSV download puts each sign-in's authentication steps in a file of its
//! own (`InteractiveSignIns_AuthDetails_<dates>.csv` next to `InteractiveSignIns_<dates>.csv`):
//! one row per step, joined to its sign-in by `Request ID`, with `Authentication method`,
//! `Authentication method detail`, `Succeeded`, `Result detail` and `Requirement` (the columns of
//! the portal's "Authentication details" tab). Without the join, a sign-in of the main file says
//! only its `Multifactor authentication result` and method.
//!
//! Such a file is found among the logs by its header, read before the sign-ins (its rows are
//! folded into [`AuthSteps`] per request, a few dozen bytes each; the portal's download is
//! bounded, and so is this index: [`MAX_REQUESTS`]), and not replayed itself.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use super::read::{self, InputError};
use super::record::AuthSteps;

/// More request ids than this in authentication-details files is refused: the admin center's
/// download holds far fewer, and the index must stay small.
pub const MAX_REQUESTS: usize = 2_000_000;

/// Authentication steps by request id (lowercase).
#[derive(Debug, Clone, Default)]
pub struct AuthDetails {
    by_request: HashMap<Box<str>, AuthSteps>,
    /// The files read, with their step rows.
    pub files: Vec<(PathBuf, u64)>,
}

impl AuthDetails {
    pub fn is_empty(&self) -> bool {
        self.by_request.is_empty()
    }

    pub fn len(&self) -> usize {
        self.by_request.len()
    }

    /// The steps logged for a sign-in's request id.
    pub fn steps(&self, request_id: &str) -> Option<AuthSteps> {
        let id = request_id.trim();
        self.by_request
            .get(id)
            .or_else(|| self.by_request.get(id.to_ascii_lowercase().as_str()))
            .copied()
    }
}

/// Whether CSV headers are an authentication-details file's (not a sign-in file's).
pub fn is_auth_details(headers: &[String]) -> bool {
    let has = |name: &str| headers.iter().any(|h| h.eq_ignore_ascii_case(name));
    has("Request ID")
        && has("Authentication method")
        && !has("Username")
        && !has("User ID")
        && !has("userPrincipalName")
}

/// The CSV headers of a file, when it is CSV (its first character is not `{` or `[`).
fn csv_headers(path: &Path) -> Result<Option<Vec<String>>, InputError> {
    let err = |message: String| InputError {
        file: path.display().to_string(),
        at: None,
        message,
        help: None,
    };
    let (mut input, _) =
        read::open(path, Arc::new(AtomicU64::new(0))).map_err(|e| err(e.to_string()))?;
    let head = input.fill_buf().map_err(|e| err(e.to_string()))?;
    let first = head.iter().find(|b| !b.is_ascii_whitespace());
    if matches!(first, Some(b'{' | b'[') | None) {
        return Ok(None);
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::Headers)
        .from_reader(input);
    let headers = reader
        .headers()
        .map_err(|e| err(format!("invalid CSV: {e}")))?;
    Ok(Some(headers.iter().map(|h| h.trim().to_string()).collect()))
}

/// Splits `files` into sign-in logs and authentication-details files, and reads the latter.
/// Standard input (`-`) is always a log.
pub fn split(files: &[PathBuf]) -> Result<(Vec<PathBuf>, AuthDetails), InputError> {
    let mut logs = Vec::new();
    let mut details = AuthDetails::default();
    for f in files {
        let is_details =
            f != Path::new("-") && csv_headers(f)?.is_some_and(|headers| is_auth_details(&headers));
        if is_details {
            let rows = load(f, &mut details)?;
            details.files.push((f.clone(), rows));
        } else {
            logs.push(f.clone());
        }
    }
    Ok((logs, details))
}

/// Adds one file's steps; returns its row count.
fn load(path: &Path, into: &mut AuthDetails) -> Result<u64, InputError> {
    let name = path.display().to_string();
    let (input, _) = read::open(path, Arc::new(AtomicU64::new(0))).map_err(|e| InputError {
        file: name.clone(),
        at: None,
        message: e.to_string(),
        help: None,
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::Headers)
        .from_reader(input);
    let csv_err = |e: csv::Error| InputError {
        file: name.clone(),
        at: e.position().map(|p| super::frame::Pos {
            line: p.line(),
            column: 1,
        }),
        message: format!("invalid CSV: {e}"),
        help: None,
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(csv_err)?
        .iter()
        .map(|h| h.trim().trim_matches('\u{feff}').to_string())
        .collect();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(id), Some(method)) = (column("Request ID"), column("Authentication method")) else {
        return Ok(0);
    };
    let detail = column("Authentication method detail");
    let result = column("Result detail");
    let succeeded = column("Succeeded");
    let mut rows = 0u64;
    for row in reader.records() {
        let row = row.map_err(csv_err)?;
        rows += 1;
        let Some(request) = row.get(id).map(str::trim).filter(|r| !r.is_empty()) else {
            continue;
        };
        let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).filter(|t| !t.is_empty());
        let ok = cell(succeeded).and_then(|t| match t.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" | "success" => Some(true),
            "false" | "no" | "0" | "failure" => Some(false),
            _ => None,
        });
        // A claim ("MFA requirement satisfied by claim in the token") is said in the result
        // detail; the method detail names the device or number.
        let why = cell(result).or(cell(detail));
        let key: Box<str> = request.to_ascii_lowercase().into();
        if !into.by_request.contains_key(&key) && into.by_request.len() >= MAX_REQUESTS {
            return Err(InputError {
                file: name.clone(),
                at: row.position().map(|p| super::frame::Pos {
                    line: p.line(),
                    column: 1,
                }),
                message: format!(
                    "authentication details of more than {MAX_REQUESTS} sign-ins: accord keeps them in memory to join them"
                ),
                help: Some("split the download by date, and replay each part with its own details file".into()),
            });
        }
        into.by_request
            .entry(key)
            .or_default()
            .step(Some(row.get(method).unwrap_or("")), why, ok);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_headers_are_told_from_sign_in_headers() {
        let h = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(is_auth_details(&h(&[
            "Request ID",
            "Date",
            "Authentication method",
            "Succeeded"
        ])));
        assert!(!is_auth_details(&h(&[
            "Request ID",
            "Username",
            "Multifactor authentication auth method"
        ])));
        assert!(!is_auth_details(&h(&["Request ID", "Date"])));
    }
}

//! What actually happened to a sign-in, as the log recorded it.
//!
//! From `status.errorCode` (Log Analytics `ResultType`, the portal's "Sign-in error code") and
//! `conditionalAccessStatus`: `0` is an allowed sign-in; `conditionalAccessStatus: failure` or
//! a `53xxx` code (`53003` "blocked by Conditional Access", `53000` device not compliant,
//! `53001` not domain joined, `53002` not an approved app...) a block; the codes that ask the
//! user for a second factor (`50074`, `50076`, `50079`, `50072`, `50158`) a challenge that was
//! not completed in this sign-in. Every other failure (a wrong password, a locked account) ends
//! the sign-in before access is decided, so it is `failed` and not compared with a decision.
//! Source: <https://learn.microsoft.com/entra/identity-platform/reference-error-codes>.

use super::record::SignIn;
use super::values::CaStatus;
use crate::eval::Decision;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Logged {
    Allow,
    Challenge,
    Block,
    /// Failed for a reason other than an access decision.
    Failed,
    /// The record says nothing about its outcome.
    Unknown,
}

impl Logged {
    pub const ALL: [Logged; 5] = [
        Logged::Allow,
        Logged::Challenge,
        Logged::Block,
        Logged::Failed,
        Logged::Unknown,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Logged::Allow => "allow",
            Logged::Challenge => "challenge",
            Logged::Block => "block",
            Logged::Failed => "failed",
            Logged::Unknown => "unknown",
        }
    }

    /// The decision this outcome is, when it is one.
    pub fn decision(self) -> Option<Decision> {
        match self {
            Logged::Allow => Some(Decision::Allow),
            Logged::Challenge => Some(Decision::Challenge),
            Logged::Block => Some(Decision::Block),
            Logged::Failed | Logged::Unknown => None,
        }
    }
}

/// The codes of a second-factor prompt the user did not complete in this sign-in.
const CHALLENGES: [i64; 5] = [50072, 50074, 50076, 50079, 50158];

pub fn logged(s: &SignIn<'_>) -> Logged {
    if s.ca_status.known() == Some(CaStatus::Failure) {
        return Logged::Block;
    }
    match s.status.error_code.or(s.result_type.0) {
        Some(0) => Logged::Allow,
        Some(c) if (53000..54000).contains(&c) || (530000..540000).contains(&c) => Logged::Block,
        Some(c) if CHALLENGES.contains(&c) => Logged::Challenge,
        Some(_) => Logged::Failed,
        None => match s.status.word_success {
            Some(true) => Logged::Allow,
            Some(false) => Logged::Failed,
            None => Logged::Unknown,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(json: &str) -> Logged {
        logged(&serde_json::from_str::<SignIn>(json).unwrap())
    }

    #[test]
    fn outcomes_from_codes_and_status() {
        assert_eq!(
            of(r#"{"status":{"errorCode":0},"conditionalAccessStatus":"success"}"#),
            Logged::Allow
        );
        assert_eq!(
            of(r#"{"status":{"errorCode":53003},"conditionalAccessStatus":"failure"}"#),
            Logged::Block
        );
        assert_eq!(of(r#"{"status":{"errorCode":50126}}"#), Logged::Failed);
        assert_eq!(of(r#"{"ResultType":"50074"}"#), Logged::Challenge);
        assert_eq!(of(r#"{"Status":"Success"}"#), Logged::Allow);
        assert_eq!(
            of(r#"{"conditionalAccessStatus":"failure"}"#),
            Logged::Block
        );
        assert_eq!(of(r#"{}"#), Logged::Unknown);
    }
}

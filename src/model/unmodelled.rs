//! What a policy's `extension` entries mean for a decision.
//!
//! An extension is a Graph property accord does not model, kept verbatim so that export writes it
//! back. The evaluator cannot read it, so it must never make a decision more permissive than the
//! platform's (fail closed, the README's "Unmodelled properties"). Conditional Access is
//! monotone: a policy that applies can only add requirements, and the conditions of a policy are
//! and-ed while the targets inside `includeUsers`, `includeGroups`, `includeRoles`... (and inside
//! the application include lists) are or-ed. So:
//! - ignoring an unmodelled **condition** or **exclusion** only makes the policy apply more, which
//!   is stricter;
//! - ignoring an unmodelled **include list** would make it apply less: accord takes it to include
//!   every user (or every application) instead;
//! - ignoring an unmodelled **grant control** would drop a requirement: accord keeps the controls
//!   it knows only when the operator is `OR` (an alternative is dropped, which is stricter), and
//!   decides `block` otherwise.
//!
//! Sources: the reference's §2.1 and §2.2; Microsoft Graph, conditionalAccessPolicy, conditionalAccessConditionSet,
//! conditionalAccessUsers, conditionalAccessApplications and conditionalAccessGrantControls
//! (v1.0 resource pages); Microsoft Learn, "Building a Conditional Access policy" (all
//! assignments must be satisfied; "Multiple Conditional Access policies may apply... all
//! policies must be satisfied").

use serde::Serialize;

use super::policy::Policy;
use super::Extension;

/// How an unmodelled property of a policy is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Metadata that does not change any decision (`displayName`, `description`, ...).
    Inert,
    /// An and-ed condition, an exclusion or an unknown `state`: ignored, so the policy applies
    /// at least as widely as on the platform (stricter, never more permissive).
    Ignored,
    /// A session control: it does not change whether access is granted.
    Session,
    /// An include list of users: the policy is taken to include every user.
    AllUsers,
    /// An include list of applications, actions, contexts or traffic: every application.
    AllApps,
    /// A grant control: kept alternatives under `OR`, `block` otherwise.
    Grant,
}

impl Effect {
    /// Whether accord decides the policy differently from what it says, to fail closed.
    pub fn widens(self) -> bool {
        matches!(self, Effect::AllUsers | Effect::AllApps | Effect::Grant)
    }

    /// How the effect is said to a user.
    pub fn describe(self) -> &'static str {
        match self {
            Effect::Inert => "metadata, no effect on decisions",
            Effect::Ignored => {
                "ignored: the policy is taken to apply whatever it says (stricter, never more permissive)"
            }
            Effect::Session => "a session control: it does not change whether access is granted",
            Effect::AllUsers => "taken to include every user (fail closed)",
            Effect::AllApps => "taken to include every application (fail closed)",
            Effect::Grant => {
                "a grant control accord cannot evaluate: the known alternatives of an `OR` grant are kept, otherwise the policy blocks (fail closed)"
            }
        }
    }
}

/// The effect of one extension entry of a policy.
pub fn effect(extension: &Extension) -> Effect {
    effect_of(&extension.pointer.value, &extension.json.value)
}

/// The effect of a property at `pointer` (a JSON pointer into the policy's Graph JSON) whose
/// value is the JSON text `json`.
pub fn effect_of(pointer: &str, json: &str) -> Effect {
    let mut parts = pointer.trim_start_matches('/').split('/');
    let top = parts.next().unwrap_or("");
    let second = parts.next();
    let third = parts.next();
    match top {
        "displayName" | "description" | "templateId" | "id" | "createdDateTime"
        | "modifiedDateTime" | "deletedDateTime" => Effect::Inert,
        "state" => Effect::Ignored,
        "sessionControls" => Effect::Session,
        "grantControls" => Effect::Grant,
        "conditions" => match second {
            // The whole condition set could not be read: its users and apps are unknown.
            None => Effect::AllUsers,
            Some("users") => match third {
                None => Effect::AllUsers,
                Some(key) if key.starts_with("include") => Effect::AllUsers,
                Some(_) => Effect::Ignored,
            },
            Some("applications") => match third {
                None => Effect::AllApps,
                Some(key) if key.starts_with("include") => Effect::AllApps,
                // Global Secure Access traffic profiles are targets beside the applications.
                Some("networkAccess" | "globalSecureAccess") => Effect::AllApps,
                // A filter in include mode adds applications; in exclude mode it removes some.
                Some("applicationFilter") => {
                    if filter_mode_is_exclude(json) {
                        Effect::Ignored
                    } else {
                        Effect::AllApps
                    }
                }
                Some(_) => Effect::Ignored,
            },
            // Every other condition is and-ed with the rest (`clientApplications` and `agents`
            // name workload and agent identities, which no user request is).
            Some(_) => Effect::Ignored,
        },
        // A property the Graph resource does not document at all: it cannot be evaluated, and
        // the platform ignores properties it does not know either.
        _ => Effect::Inert,
    }
}

fn filter_mode_is_exclude(json: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| {
            v.get("mode")
                .and_then(|m| m.as_str())
                .map(|m| m.eq_ignore_ascii_case("exclude"))
        })
        .unwrap_or(false)
}

/// Whether a grant with an unmodelled control keeps what it says (it already blocks, or it is an
/// `any(...)` with a control accord models: dropping the unknown alternative is stricter);
/// otherwise the policy is decided as `block`.
pub fn grant_kept(grant: Option<&super::policy::Grant>) -> bool {
    grant.is_some_and(|g| {
        g.is_block() || (g.op.value == super::policy::GrantOp::Any && !g.controls.is_empty())
    })
}

/// The extensions of a policy with their effect, leaving out metadata.
pub fn effects(policy: &Policy) -> Vec<(&Extension, Effect)> {
    policy
        .extensions
        .iter()
        .map(|e| (e, effect(e)))
        .filter(|(_, effect)| *effect != Effect::Inert)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_lists_widen_and_exclusions_are_ignored() {
        assert_eq!(
            effect_of("/conditions/users/includeRoles", "[]"),
            Effect::AllUsers
        );
        assert_eq!(
            effect_of(
                "/conditions/users/includeGuestsOrExternalUsers/externalTenants",
                "{}"
            ),
            Effect::AllUsers
        );
        assert_eq!(
            effect_of("/conditions/users/excludeRoles", "[]"),
            Effect::Ignored
        );
        assert_eq!(
            effect_of("/conditions/applications/includeApplications", "[]"),
            Effect::AllApps
        );
        assert_eq!(
            effect_of("/conditions/applications/networkAccess", "{}"),
            Effect::AllApps
        );
        assert_eq!(
            effect_of(
                "/conditions/applications/applicationFilter",
                r#"{"mode":"exclude","rule":"x"}"#
            ),
            Effect::Ignored
        );
        assert_eq!(
            effect_of(
                "/conditions/applications/applicationFilter",
                r#"{"mode":"include","rule":"x"}"#
            ),
            Effect::AllApps
        );
        assert_eq!(effect_of("/conditions", "{}"), Effect::AllUsers);
        assert_eq!(
            effect_of("/conditions/clientApplications", "{}"),
            Effect::Ignored
        );
        assert_eq!(
            effect_of("/grantControls/builtInControls", "[]"),
            Effect::Grant
        );
        assert_eq!(
            effect_of("/sessionControls/secureSignInSession", "{}"),
            Effect::Session
        );
        assert_eq!(effect_of("/displayName", "\"x\""), Effect::Inert);
        assert_eq!(effect_of("/state", "\"x\""), Effect::Ignored);
    }
}

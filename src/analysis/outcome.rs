//! What a class of requests gets: the decision, what the user must complete, the session, and
//! whether a control the user can never satisfy is in the way. Built from the evaluator's own
//! answer for a representative request ([`Outcome::of`]), and, for the engine's bookkeeping, from
//! one policy's contribution ([`Contribution`]).

use serde_json::{json, Value};

use crate::eval::trace::{PolicyResult, Tri};
use crate::eval::{Decision, DecisionSet, Evaluation, SessionOutcome, Signals};
use crate::model::{
    CloudAppSecurity, ContinuousAccessEvaluation, PersistentBrowser, PolicyState, Session,
};

/// Session controls as values, merged the way the evaluator merges them (most restrictive per
/// setting); which policy set them is not part of the value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SessionValues {
    /// Sign-in frequency in hours, 0 for every time.
    pub sign_in_frequency: Option<u64>,
    /// The sign-in frequency in force asks for the secondary authentication only.
    pub sign_in_frequency_secondary: bool,
    pub persistent_browser: Option<PersistentBrowser>,
    pub app_enforced_restrictions: bool,
    pub continuous_access_evaluation: Option<ContinuousAccessEvaluation>,
    pub cloud_app_security: Option<CloudAppSecurity>,
    pub disable_resilience_defaults: bool,
    /// Global Secure Access security profiles, lowercase, sorted.
    pub security_profiles: std::collections::BTreeSet<String>,
}

fn cae_rank(v: ContinuousAccessEvaluation) -> u8 {
    match v {
        ContinuousAccessEvaluation::Disabled => 0,
        ContinuousAccessEvaluation::Strict => 1,
        ContinuousAccessEvaluation::StrictLocation => 2,
    }
}

fn mcas_rank(v: CloudAppSecurity) -> u8 {
    match v {
        CloudAppSecurity::MonitorOnly => 0,
        CloudAppSecurity::McasConfigured => 1,
        CloudAppSecurity::BlockDownloads => 2,
    }
}

impl SessionValues {
    pub fn of_policy(s: Option<&Session>) -> SessionValues {
        let Some(s) = s else {
            return SessionValues::default();
        };
        SessionValues {
            sign_in_frequency: s.sign_in_frequency.as_ref().map(|f| f.value.hours()),
            sign_in_frequency_secondary: s.sign_in_frequency.is_some()
                && s.sign_in_frequency_secondary.is_some(),
            persistent_browser: s.persistent_browser.as_ref().map(|b| b.value),
            app_enforced_restrictions: s.app_enforced_restrictions.is_some(),
            continuous_access_evaluation: s.continuous_access_evaluation.as_ref().map(|c| c.value),
            cloud_app_security: s.cloud_app_security.as_ref().map(|c| c.value),
            disable_resilience_defaults: s.disable_resilience_defaults.is_some(),
            security_profiles: s
                .security_profile
                .iter()
                .map(|p| p.value.to_ascii_lowercase())
                .collect(),
        }
    }

    pub fn of_outcome(s: &SessionOutcome<'_>) -> SessionValues {
        SessionValues {
            sign_in_frequency: s.sign_in_frequency.map(|(f, _)| f.hours()),
            sign_in_frequency_secondary: s.sign_in_frequency_secondary,
            persistent_browser: s.persistent_browser.map(|(b, _)| b),
            app_enforced_restrictions: s.app_enforced_restrictions.is_some(),
            continuous_access_evaluation: s.continuous_access_evaluation.map(|(c, _)| c),
            cloud_app_security: s.cloud_app_security.map(|(c, _)| c),
            disable_resilience_defaults: s.disable_resilience_defaults.is_some(),
            security_profiles: s
                .security_profiles
                .iter()
                .map(|(id, _)| id.to_ascii_lowercase())
                .collect(),
        }
    }

    pub fn join(&self, o: &SessionValues) -> SessionValues {
        SessionValues {
            sign_in_frequency: match (self.sign_in_frequency, o.sign_in_frequency) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
            sign_in_frequency_secondary: match (self.sign_in_frequency, o.sign_in_frequency) {
                (Some(a), Some(b)) if a < b => self.sign_in_frequency_secondary,
                (Some(a), Some(b)) if b < a => o.sign_in_frequency_secondary,
                (Some(_), Some(_)) => {
                    self.sign_in_frequency_secondary && o.sign_in_frequency_secondary
                }
                (Some(_), None) => self.sign_in_frequency_secondary,
                (None, Some(_)) => o.sign_in_frequency_secondary,
                (None, None) => false,
            },
            persistent_browser: match (self.persistent_browser, o.persistent_browser) {
                (Some(PersistentBrowser::Never), _) | (_, Some(PersistentBrowser::Never)) => {
                    Some(PersistentBrowser::Never)
                }
                (a, b) => a.or(b),
            },
            app_enforced_restrictions: self.app_enforced_restrictions
                || o.app_enforced_restrictions,
            continuous_access_evaluation: match (
                self.continuous_access_evaluation,
                o.continuous_access_evaluation,
            ) {
                (Some(a), Some(b)) => Some(if cae_rank(b) > cae_rank(a) { b } else { a }),
                (a, b) => a.or(b),
            },
            cloud_app_security: match (self.cloud_app_security, o.cloud_app_security) {
                (Some(a), Some(b)) => Some(if mcas_rank(b) > mcas_rank(a) { b } else { a }),
                (a, b) => a.or(b),
            },
            disable_resilience_defaults: self.disable_resilience_defaults
                || o.disable_resilience_defaults,
            security_profiles: self
                .security_profiles
                .union(&o.security_profiles)
                .cloned()
                .collect(),
        }
    }

    /// Whether merging `self` into `o` changes nothing.
    pub fn within(&self, o: &SessionValues) -> bool {
        self.join(o) == *o
    }

    pub fn is_empty(&self) -> bool {
        *self == SessionValues::default()
    }

    /// `sign_in_frequency 8h`, `persistent_browser never`... in a fixed order.
    pub fn entries(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(h) = self.sign_in_frequency {
            out.push(format!(
                "sign_in_frequency {}{}",
                match h {
                    0 => "every_time".to_string(),
                    h if h % 24 == 0 => format!("{}d", h / 24),
                    h => format!("{h}h"),
                },
                if self.sign_in_frequency_secondary {
                    " secondary_authentication"
                } else {
                    ""
                }
            ));
        }
        if let Some(b) = self.persistent_browser {
            out.push(format!(
                "persistent_browser {}",
                match b {
                    PersistentBrowser::Always => "always",
                    PersistentBrowser::Never => "never",
                }
            ));
        }
        if self.app_enforced_restrictions {
            out.push("app_enforced_restrictions".into());
        }
        if let Some(c) = self.continuous_access_evaluation {
            out.push(format!(
                "continuous_access_evaluation {}",
                match c {
                    ContinuousAccessEvaluation::Strict => "strict",
                    ContinuousAccessEvaluation::StrictLocation => "strict_location",
                    ContinuousAccessEvaluation::Disabled => "disabled",
                }
            ));
        }
        if let Some(m) = self.cloud_app_security {
            out.push(format!(
                "cloud_app_security {}",
                match m {
                    CloudAppSecurity::MonitorOnly => "monitor_only",
                    CloudAppSecurity::McasConfigured => "mcas_configured",
                    CloudAppSecurity::BlockDownloads => "block_downloads",
                }
            ));
        }
        if self.disable_resilience_defaults {
            out.push("disable_resilience_defaults".into());
        }
        for id in &self.security_profiles {
            out.push(format!("security_profile {id}"));
        }
        out
    }
}

/// What part of an answer a question looks at. The refinement tells requests apart only where
/// that part can differ, so a narrower view explores far fewer cubes: `accord diff` looks at
/// everything, a decision invariant at the decision alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct View {
    /// The requirements of a challenge.
    pub requirements: bool,
    /// Only whether a challenge asks for MFA (or an authentication strength).
    pub mfa: bool,
    /// The session controls of a request let in.
    pub session: bool,
    /// Whether a block comes only from controls the user can never satisfy.
    pub lockout: bool,
}

impl View {
    pub const FULL: View = View {
        requirements: true,
        mfa: true,
        session: true,
        lockout: true,
    };
    pub const DECISION: View = View {
        requirements: false,
        mfa: false,
        session: false,
        lockout: false,
    };
    /// What `accord diff` compares: the decision, the requirements and the session.
    pub const ANSWER: View = View {
        requirements: true,
        mfa: false,
        session: true,
        lockout: false,
    };
    pub const MFA: View = View {
        requirements: false,
        mfa: true,
        session: false,
        lockout: false,
    };
}

/// What one applicable enforced policy adds to a decision.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Contribution {
    pub decision: Decision,
    /// Requirements (as `accord whatif` prints them), sorted; only for a `challenge` result.
    pub requirements: Vec<String>,
    pub session: SessionValues,
    /// The policy holds a control this user can never satisfy.
    pub unsatisfiable: bool,
    /// The policy blocks (a `block` control).
    pub blocks: bool,
    /// A challenge that asks for MFA or an authentication strength (in an `any(...)`, every
    /// alternative does).
    pub asks_mfa: bool,
}

impl Contribution {
    pub fn allow() -> Contribution {
        Contribution {
            decision: Decision::Allow,
            requirements: Vec::new(),
            session: SessionValues::default(),
            unsatisfiable: false,
            blocks: false,
            asks_mfa: false,
        }
    }

    pub fn join(&self, o: &Contribution) -> Contribution {
        let mut requirements = self.requirements.clone();
        for r in &o.requirements {
            if !requirements.contains(r) {
                requirements.push(r.clone());
            }
        }
        requirements.sort();
        Contribution {
            decision: self.decision.max(o.decision),
            requirements,
            session: self.session.join(&o.session),
            unsatisfiable: self.unsatisfiable || o.unsatisfiable,
            blocks: self.blocks || o.blocks,
            asks_mfa: self.asks_mfa || o.asks_mfa,
        }
    }

    /// Blocked only by controls the user can never satisfy (no `block` control).
    pub fn locked_out(&self) -> bool {
        self.decision == Decision::Block && self.unsatisfiable && !self.blocks
    }

    /// Whether adding `self` to the join `j` leaves the outcome as it is: nothing is asked
    /// once a request is blocked, but whether it is blocked by a `block` control or only by
    /// controls the user cannot satisfy stays as it is.
    pub fn absorbed_by(&self, j: &Contribution, view: View) -> bool {
        match j.decision {
            Decision::Block => !view.lockout || j.join(self).locked_out() == j.locked_out(),
            Decision::Challenge => {
                self.decision <= Decision::Challenge
                    && (!view.requirements
                        || self.requirements.iter().all(|r| j.requirements.contains(r)))
                    && (!view.mfa || !self.asks_mfa || j.asks_mfa)
                    && (!view.session || self.session.within(&j.session))
            }
            Decision::Allow => {
                self.decision == Decision::Allow
                    && (!view.session || self.session.within(&j.session))
            }
        }
    }

    pub fn of_result(result: PolicyResult) -> Decision {
        result.decision()
    }
}

/// Why a request is blocked, when it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockedBy {
    /// Before any Conditional Access policy: the cross-tenant access settings, or an app that
    /// requires assignment (`eval::directory`).
    Gate,
    /// A `block` control, or a control the user cannot satisfy.
    Policies,
}

/// The answer for a class of requests.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Outcome {
    pub decision: Decision,
    /// Sorted, as `accord whatif` prints them.
    pub requirements: Vec<String>,
    /// The same requirements as alternatives of (control, tenant where it happens when that is
    /// the home tenant): one alternative unless the grant is `any(...)`.
    pub required: Vec<Vec<(String, Option<String>)>>,
    pub session: SessionValues,
    pub possible: DecisionSet,
    pub depends_on: Signals,
    /// Blocked only by controls this user can never satisfy (no `block` control, not the
    /// cross-tenant settings): a lockout rather than a ban.
    pub unsatisfiable: bool,
    pub blocked_by: Option<BlockedBy>,
    /// A challenge some requirement of which is MFA or an authentication strength (in an
    /// `any(...)`, every alternative is).
    pub asks_mfa: bool,
}

impl Outcome {
    /// The outcome the evaluator gives a request.
    pub fn of(e: &Evaluation<'_>) -> Outcome {
        let home = e.trace.user.home;
        let item = |i: &crate::eval::RequirementItem<'_>| {
            (
                crate::eval::trace::ControlName(i.control).to_string(),
                (i.place == crate::eval::trace::Place::Home).then(|| tenant_label(&home, i.tenant)),
            )
        };
        let text = |i: &crate::eval::RequirementItem<'_>| {
            requirement_text(i.control, i.place, &tenant_label(&home, i.tenant))
        };
        let mut requirements: Vec<String> = e
            .requirements
            .iter()
            .map(|r| match r {
                crate::eval::Requirement::One(i) => text(i),
                crate::eval::Requirement::AnyOf(items) => {
                    let list: Vec<String> = items.iter().map(text).collect();
                    format!("any({})", list.join(", "))
                }
            })
            .collect();
        requirements.sort();
        requirements.dedup();
        let mut required: Vec<Vec<(String, Option<String>)>> = e
            .requirements
            .iter()
            .map(|r| match r {
                crate::eval::Requirement::One(i) => vec![item(i)],
                crate::eval::Requirement::AnyOf(items) => items.iter().map(item).collect(),
            })
            .collect();
        required.sort();
        required.dedup();
        let in_force = |r: PolicyResult| {
            e.trace.policies.iter().any(|p| {
                p.state() == PolicyState::On && p.applies != Tri::No && p.result() == Some(r)
            })
        };
        let unsatisfiable = e.decision == Decision::Block
            && e.trace.admitted()
            && in_force(PolicyResult::Unsatisfiable)
            && !in_force(PolicyResult::Block);
        let is_mfa = |c: &crate::model::Control| {
            matches!(
                c,
                crate::model::Control::Mfa | crate::model::Control::AuthStrength(_)
            )
        };
        let asks_mfa = e.requirements.iter().any(|r| match r {
            crate::eval::Requirement::One(i) => is_mfa(i.control),
            crate::eval::Requirement::AnyOf(items) => items.iter().all(|i| is_mfa(i.control)),
        });
        let blocked_by = (e.decision == Decision::Block).then(|| {
            if e.trace.admitted() {
                BlockedBy::Policies
            } else {
                BlockedBy::Gate
            }
        });
        Outcome {
            decision: e.decision,
            requirements,
            required,
            session: SessionValues::of_outcome(&e.session),
            possible: e.possible,
            depends_on: e.depends_on,
            unsatisfiable,
            blocked_by,
            asks_mfa,
        }
    }

    /// The outcome as a view sees it: what the view does not look at is cleared.
    pub fn project(&self, view: View) -> Outcome {
        let mut o = self.clone();
        if !view.requirements {
            o.requirements.clear();
            o.required.clear();
        }
        if !view.mfa {
            o.asks_mfa = false;
        }
        if !view.session {
            o.session = SessionValues::default();
        }
        if !view.lockout {
            o.unsatisfiable = false;
        }
        o
    }

    /// Whether two outcomes agree on what the view looks at.
    pub fn same_as(&self, o: &Outcome, view: View) -> bool {
        self.decision == o.decision
            && (!view.requirements || self.requirements == o.requirements)
            && (!view.session || self.session == o.session)
            && (!view.mfa || self.asks_mfa == o.asks_mfa)
            && (!view.lockout || self.unsatisfiable == o.unsatisfiable)
    }

    /// `BLOCK`, `CHALLENGE: mfa, terms_of_use "Partner terms"`, `ALLOW (session: ...)`.
    pub fn headline(&self) -> String {
        let mut s = self.decision.name().to_uppercase();
        if self.decision == Decision::Challenge && !self.requirements.is_empty() {
            s.push_str(": ");
            s.push_str(&self.requirements.join(", "));
        }
        let others: Vec<&str> = self
            .possible
            .iter()
            .filter(|d| *d != self.decision)
            .map(|d| d.name())
            .collect();
        if !others.is_empty() {
            s.push_str(&format!(
                " ({} possible) depending on {}",
                others.join(", ").to_uppercase(),
                self.depends_on
            ));
        }
        if self.decision != Decision::Block && !self.session.is_empty() {
            s.push_str(&format!(
                " [session: {}]",
                self.session.entries().join(", ")
            ));
        }
        s
    }

    /// As in `accord whatif --format json`: `decision`, `requirements`, plus `session`.
    pub fn json(&self) -> Value {
        json!({
            "decision": self.decision.name(),
            "requirements": self.requirements,
            "possible": self.possible.iter().map(|d| d.name()).collect::<Vec<_>>(),
            "depends_on": self.depends_on.names().collect::<Vec<_>>(),
            "session": self.session.entries(),
        })
    }
}

/// A requirement as `accord whatif` prints it (`mfa in fabrikam`).
pub(crate) fn requirement_text(
    control: &crate::model::Control,
    place: crate::eval::trace::Place,
    tenant: &str,
) -> String {
    let mut s = crate::eval::trace::ControlName(control).to_string();
    if place == crate::eval::trace::Place::Home {
        s.push_str(" in ");
        s.push_str(tenant);
    }
    s
}

/// The tenant a challenge happens in, as a class of requests names it: an undeclared home
/// tenant is whatever the request wrote, so the class says "their home tenant".
pub(crate) fn tenant_label(home: &crate::eval::trace::Home<'_>, tenant: &str) -> String {
    match home {
        crate::eval::trace::Home::Undeclared(n) if *n == tenant => "their home tenant".to_string(),
        _ => tenant.to_string(),
    }
}

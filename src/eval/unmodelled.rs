//! Fail-closed decisions for policies with unmodelled properties.
//!
//! `compile` decides a policy that carries `extension` entries as the stricter policy that
//! `model::unmodelled` describes: an unmodelled include list of users (or applications) becomes
//! `include all`, an unmodelled grant control makes the policy block unless the grant is an `OR`
//! that keeps a control accord models, and everything else is ignored, which only makes the
//! policy apply more. The rewritten pack is what every later step sees (the decision, the trace,
//! the exact analysis), so they stay consistent; `FailClosed` records say what was rewritten.

use serde::Serialize;

use crate::model::unmodelled::{self, Effect};
use crate::model::{AppTarget, Control, Grant, GrantOp, Pack, Spanned, UserTarget};

/// One unmodelled property of a policy and how it is decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailClosed {
    /// The policy's index in the pack.
    #[serde(skip)]
    pub policy: usize,
    /// The policy's name.
    pub name: String,
    /// The JSON pointer of the property in the policy's Graph JSON.
    pub pointer: String,
    pub effect: Effect,
}

impl FailClosed {
    /// One line for people.
    pub fn describe(&self) -> String {
        format!("`{}`: {}", self.pointer, self.effect.describe())
    }
}

/// The pack as accord decides it, and what was rewritten to fail closed.
pub(crate) fn fail_closed(mut pack: Pack) -> (Pack, Vec<FailClosed>) {
    let mut notes = Vec::new();
    for (index, policy) in pack.policies.iter_mut().enumerate() {
        let effects: Vec<(String, Effect)> = unmodelled::effects(policy)
            .into_iter()
            .map(|(e, effect)| (e.pointer.value.clone(), effect))
            .collect();
        for (pointer, effect) in effects {
            // The whole condition set could not be read: neither its users nor its apps are known.
            let all_apps = effect == Effect::AllApps || pointer == "/conditions";
            if effect == Effect::AllUsers {
                let span = policy.users.span;
                policy.users.include = vec![Spanned::new(UserTarget::All, span)];
            }
            if all_apps {
                let span = policy.apps.span;
                policy.apps.include = vec![Spanned::new(AppTarget::All, span)];
            }
            if effect == Effect::Grant && pointer == "/grantControls/operator" {
                // An operator accord cannot read: requiring every control is the stricter reading.
                if let Some(g) = policy.grant.as_mut() {
                    if g.controls.len() > 1 {
                        g.op.value = GrantOp::All;
                    }
                }
            } else if effect == Effect::Grant && !unmodelled::grant_kept(policy.grant.as_ref()) {
                let span = policy.grant.as_ref().map(|g| g.span).unwrap_or(policy.span);
                policy.grant = Some(Grant {
                    op: Spanned::new(GrantOp::Single, span),
                    controls: vec![Spanned::new(Control::Block, span)],
                    span,
                });
            }
            notes.push(FailClosed {
                policy: index,
                name: policy.name.value.clone(),
                pointer,
                effect,
            });
        }
        if policy.is_workload() {
            // A policy for workload identities never applies to a user's sign-in (Microsoft
            // Learn, "Conditional Access for workload identities"), whatever an unmodelled
            // include list above was widened to: user decisions and the exact analysis see it
            // as including no user; `eval::workload` decides it.
            let span = policy.users.span;
            policy.users.include = vec![Spanned::new(UserTarget::None, span)];
            policy.users.exclude.clear();
        }
    }
    (pack, notes)
}

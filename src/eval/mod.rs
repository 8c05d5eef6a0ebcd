//! The evaluator: decide what Entra would do with an access request, and why.
//!
//! ```text
//! compile(&Validated) -> Compiled              indexed, immutable, Send + Sync
//! resolve(&Compiled, &Request) -> Resolved     names looked up once (errors: exit code 2)
//! decide(&Compiled, &Request) -> Evaluation    classification, gate, policies -> Trace;
//!                                              decision, requirements, session from the trace
//! decide_fast(&Compiled, &Resolved) -> Outcome the decision alone (`fast.rs`), proven equal
//!                                              to `decide`
//! matrix::evaluate(...)                        a cartesian product of partial requests
//! ```
//!
//! The order of a decision (issue 3, reference §2, §4, §6):
//! 1. classify the user (§6.3) and their organisation (§5.4);
//! 2. the cross-tenant gate: inbound B2B collaboration (or direct connect) for the home tenant,
//!    partner settings over the default setting by setting (§4.2), users and apps as §4.3 says;
//!    a block here ends the decision before Conditional Access;
//! 3. every `on` and `report_only` policy: every condition (all failures recorded);
//! 4. every control of an applicable policy: satisfied, challenge (where), unsatisfiable, block;
//! 5. combine enforced policies: block > unsatisfiable > challenge > allow; report-only policies
//!    are listed apart and never enforced; `off` policies are ignored.
//!
//! Missing signals (platform, IP, country) make the conditions that need them unknown; the
//! possible outcomes are computed by re-deciding stand-in requests (see `missing`), and the
//! decision is the most restrictive of them.

pub(crate) mod bits;
pub(crate) mod classify;
pub(crate) mod compile;
pub(crate) mod conditions;
pub(crate) mod controls;
pub(crate) mod decide;
pub(crate) mod device;
pub mod device_filter;
pub mod directory;
pub(crate) mod fast;
pub mod mail;
pub mod matrix;
pub(crate) mod missing;
pub mod outbound;
pub(crate) mod resolve;
pub mod sharing;
pub mod trace;
pub mod unmodelled;
pub mod workload;

pub use compile::{compile, Compiled};
pub use decide::{
    decide, decide_resolved, decide_with, AssumeMissing, Evaluation, Options, Outcome, Requirement,
    RequirementItem, SessionOutcome,
};
pub use fast::{decide_exhaustive, decide_explained, decide_fast, policy_results, Explanation};
pub use resolve::{resolve, Resolved};
pub use trace::{Decision, DecisionSet, PolicyResult, Signals, Trace, Tri};

#[cfg(test)]
mod tests {
    use super::Compiled;

    #[test]
    fn compiled_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Compiled>();
    }
}

//! `accord test`: test cases stored next to a pack, run against the evaluator.
//!
//! A pack states what must stay true in `*.test.yaml` files, in the pack folder or its `tests/`
//! subfolder. Every case is decided by the evaluator ([`crate::eval::decide_resolved`] for access
//! requests, [`crate::eval::sharing::decide_share`] for share requests); this module only reads
//! the files, resolves `extends`, and compares the decision with the expectation.
//!
//! # The test file
//!
//! ```yaml
//! # policies/contoso-group/tests/access.test.yaml
//! requests:                         # optional: named base requests (partial requests)
//!   fabrikam member:
//!     user: { name: dana@fabrikam.com, type: member, home: fabrikam }
//!     device: { platform: windows }
//!     network: { ip: 198.51.100.7, country: FR }
//!   fabrikam member on sharepoint:
//!     extends: fabrikam member      # a base may extend another base
//!     app: sharepoint
//!   litware invitation:             # a base with `share:` is a share request
//!     share: { service: sharepoint, with: carol@litware.com, by: admin }
//!
//! cases:
//!   - name: a fabrikam member on a compliant laptop reaches SharePoint without a second MFA prompt
//!     extends: fabrikam member on sharepoint
//!     request:                      # the `accord whatif` request shape; overrides what it extends
//!       device: { compliant: true, registered: home }
//!       auth: { mfa: home }
//!     expect: allow                 # allow | block | challenge
//!     applied: ["Require MFA for external users"]         # each must apply
//!     not_applied: ["App protection on mobile for employees"]  # none may apply
//!
//!   - name: without MFA the fabrikam member is challenged in fabrikam
//!     extends: a fabrikam member on a compliant laptop reaches SharePoint without a second MFA prompt
//!     request: { auth: { mfa: none } }
//!     expect: challenge
//!     requirements: [mfa in fabrikam]   # the exact set (see below)
//!     reason_contains: "trust MFA"       # a substring of the `accord whatif` explanation
//!
//!   - name: nobody outside the organisation reaches the finance site
//!     share:                        # a share request (the `accord whatif` share shape)
//!       service: sharepoint
//!       site: "https://contoso.sharepoint.com/sites/finance"
//!       with: carol@litware.com
//!       existing: guest
//!     expect: deny                  # allow | deny
//!     rule: site_level              # optional: the sharing rule that decided
//!     reason_contains: only_organization
//! ```
//!
//! - `requests` maps names to partial requests: an access request (the keys of `accord whatif`'s
//!   request: `user`, `app`, `client_app`, `device`, `network`, `auth`, `risk`) or a share
//!   request (`share: {...}`), each with an optional `extends`.
//! - `cases` is a list; every case has a `name` (unique in its file) and `expect`, and a request:
//!   `request:` (access), `share:` (share), or only `extends:`.
//! - `extends` names a base request or another case of the same file (not both: that name is
//!   ambiguous). Chains are allowed; a cycle is an error. The chain is merged from its root: an
//!   access request field by field ([`crate::model::request::RequestDoc::merge`]: a later value
//!   replaces an earlier one, lists included), a share request key by key. A field cannot be
//!   taken away (`null` means "not given"): to leave a signal out, do not extend a request that
//!   states it. An access request cannot extend a share request, nor the other way round.
//! - After merging, a request must be complete (`user.name` and `app`; `share.service` and
//!   `share.with`), and defaults apply as in `accord whatif`. A signal left out (platform, IP,
//!   country) is unknown, and the decision is the most restrictive possible one.
//!
//! Expectations (all but `expect` optional):
//!
//! | key | access cases | share cases |
//! |---|---|---|
//! | `expect` | `allow`, `block` or `challenge` | `allow` or `deny` |
//! | `requirements` | the exact set of what the user must complete; an item is a control (`mfa`, `compliant_device`, `terms_of_use "Partner terms"` or just `terms_of_use`), optionally with where it happens (`mfa in fabrikam`), or `any(approved_app, app_protection)` | - |
//! | `applied` | policies that must apply: every condition matches (`on` and `report_only` policies; an `off` policy never applies) | - |
//! | `not_applied` | policies that must not apply | - |
//! | `reason_contains` | a substring of the explanation `accord whatif` prints | a substring of the explanation (decision, rule and every step) |
//! | `rule` | - | the sharing rule that decided (`site_level`, `invitation_from`...) |
//!
//! A policy that *may* apply (it depends on a signal the request leaves out) satisfies neither
//! `applied` nor `not_applied`: state the signal. When the cross-tenant settings block, no policy
//! is evaluated and none applies.
//!
//! # Errors are failures
//!
//! A file that is not valid YAML or not this shape, a case naming an unknown policy, an unknown
//! base request, a request naming an undeclared tenant, an unknown app or any other invalid
//! value is an error with the file, line and column: the case (or the whole file) counts as
//! failed, never as passed.

pub(crate) mod file;
pub(crate) mod locate;
mod run;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::eval::sharing::ShareDecision;
use crate::eval::Evaluation;
use crate::source::{FileId, Sources};

pub use file::{ExpectDecision, Expected, TestFile};
pub use run::{Actual, Mismatch};

/// How a test file's name ends.
pub const TEST_FILE_SUFFIX: &str = ".test.yaml";

/// Turns decisions into the explanation text `reason_contains` searches and failures show.
/// The library does not format decisions; the caller passes the renderer (`render::testing`).
pub trait Explain {
    fn access(&self, evaluation: &Evaluation<'_>) -> String;
    fn share(&self, decision: &ShareDecision) -> String;
    /// A `chat:` or `meeting:` answer: its text, with mechanism and lobby.
    fn teams(&self, decision: &crate::eval::sharing::TeamsDecision) -> String {
        decision.to_string()
    }
    /// A `mail:` answer: its outcome and reason.
    fn mail(&self, decision: &crate::eval::mail::MailDecision) -> String {
        decision.to_string()
    }
    /// An `outbound:` answer: its decision and every gate.
    fn outbound(&self, decision: &crate::eval::outbound::OutboundDecision<'_>) -> String {
        decision.to_string()
    }

    /// A `workload:` answer: its verdict and reason (the CLI passes the whole trace).
    fn workload(&self, decision: &crate::eval::workload::WorkloadDecision) -> String {
        decision.reason.clone()
    }
}

/// The test files of one pack, their texts, and what parsing found.
#[derive(Debug, Default)]
pub struct Suite {
    pub sources: Sources,
    pub files: Vec<TestFile>,
}

impl Suite {
    /// Parses one test file and adds it to the suite.
    pub fn add(&mut self, path: impl Into<PathBuf>, text: String) -> FileId {
        let id = self.sources.add(path, text);
        let name = self
            .sources
            .get(id)
            .map(|f| f.name.clone())
            .unwrap_or_default();
        let parsed = file::parse(id, &name, self.sources.text(id));
        self.files.push(parsed);
        id
    }

    /// Reads and parses every test file of a pack folder (see [`discover`]).
    pub fn load(pack: &Path) -> std::io::Result<Suite> {
        let mut suite = Suite::default();
        for path in discover(pack)? {
            let text = crate::input::read(&path, crate::input::Kind::Yaml)
                .map_err(std::io::Error::other)?;
            suite.add(path, text.text);
        }
        Ok(suite)
    }

    /// Runs every case whose name contains `filter` (ignoring case), in file and case order.
    pub fn run(
        &self,
        pack: &crate::validate::Validated,
        filter: Option<&str>,
        explain: &dyn Explain,
    ) -> Vec<CaseResult> {
        let compiled = crate::eval::compile(pack);
        let ctx = run::Ctx {
            validated: pack,
            compiled: &compiled,
            sources: &self.sources,
            explain,
        };
        let mut out = Vec::new();
        for f in &self.files {
            out.extend(run::run_file(&ctx, f, filter));
        }
        out
    }
}

/// The test files of a pack folder: `*.test.yaml` in the folder and in its `tests/` subfolder,
/// sorted by path. A single `.policy` file has no test files.
pub fn discover(pack: &Path) -> std::io::Result<Vec<PathBuf>> {
    crate::input::pack_side_files(pack, TEST_FILE_SUFFIX)
}

/// A pass, a failure (the decision differs from the expectation) or an error (the case could
/// not be run as written: it counts as a failure).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
    Error,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
        }
    }
}

/// The result of one case (or of a file that could not be read as test cases).
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    /// The test file, as named in the suite's sources.
    pub file: String,
    /// 1-based line of the case (of the problem, for a file that did not parse).
    pub line: usize,
    /// The case's name; empty for a problem of the whole file.
    pub name: String,
    pub status: Status,
    /// What the case expects (`None` when it could not be read).
    pub expected: Option<Expected>,
    /// What the evaluator decided (`None` when the case did not run).
    pub actual: Option<Actual>,
    /// For a failure: every expectation that does not hold.
    pub mismatches: Vec<Mismatch>,
    /// For an error: the problems, pointing into the suite's sources.
    pub diagnostics: Vec<Diagnostic>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.status == Status::Pass
    }
}

/// `(passed, failed)`: errors count as failed.
pub fn tally(results: &[CaseResult]) -> (usize, usize) {
    let passed = results.iter().filter(|r| r.passed()).count();
    (passed, results.len() - passed)
}

#[cfg(test)]
mod tests;

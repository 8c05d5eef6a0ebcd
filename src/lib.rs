//! accord: a policy engine for cross-tenant access.
//!
//! The pipeline:
//!
//! ```text
//! .policy text --syntax::parse_file--> model::Pack (+ comments, diagnostics)
//!                                          |
//!                                  validate::validate --> Validated (the only way to get one)
//!                                          |
//!              eval::compile(&Validated) -> Compiled  (indexed, immutable, Send + Sync)
//!              eval::decide(&Compiled, &Request) -> Result<Evaluation, RequestError>
//!                  (the decision computed from its trace; a request naming an undeclared
//!                   tenant is an error, never an allow; eval::decide_fast is the
//!                   decision-only path, proven equal by the test suite)
//!              testing::Suite::run(&Validated, ...) -> Vec<CaseResult>
//!                  (`*.test.yaml` cases decided by the evaluator and compared with what they
//!                   expect; an unknown policy, tenant, app or base request is an error)
//!              fmt::format_file(...) -> canonical text
//!              lsp::workspace::analyse(...) -> PackState  (the editor's view: `accord lsp`
//!                  re-parses the edited file only, then checks and lints the whole pack)
//! ```
//!
//! The library returns data; only `render` and `cli` print.

pub mod analysis;
pub mod cli;
pub mod diagnostic;
pub mod eval;
pub mod fmt;
pub mod graph;
pub mod input;
pub mod lint;
pub mod load;
pub mod lsp;
pub mod model;
pub mod render;
pub mod replay;
pub mod source;
pub mod syntax;
pub mod testing;
pub mod validate;
pub mod yaml;

use diagnostic::Diagnostic;
use load::Loaded;
use validate::Validation;

/// Parses (already done in `loaded`) and validates a pack. Lowering errors of any file make the
/// pack invalid; validation still runs over what parsed, so that every problem is reported.
pub fn check(loaded: &Loaded) -> Validation {
    let mut diagnostics: Vec<Diagnostic> = loaded.diagnostics();
    if !loaded.all_parsed() {
        // A file that did not parse contributes nothing: checking references now would only
        // report the declarations it holds as missing.
        return Validation {
            validated: None,
            diagnostics,
        };
    }
    // Lowering errors explain some validation findings (a dropped value leaves a list empty):
    // those are left out, so each problem is reported once.
    let mut validation = validate::validate_after(loaded.pack.clone(), &diagnostics);
    diagnostics.append(&mut validation.diagnostics);
    let failed = diagnostic::has_errors(&diagnostics);
    Validation {
        validated: if failed { None } else { validation.validated },
        diagnostics,
    }
}

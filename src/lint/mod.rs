//! `accord lint`: rules that find packs which are valid but wrong, risky or untidy.
//!
//! `lint::run(&Validated, &Compiled, &Selection)`: rules that need decisions (EXT006, CAP002,
//! CAP005) ask exact questions of the whole request space (`crate::analysis::queries`).
//!
//! Each rule lives in its own file under `rules/` with its documentation (what `accord rules CODE`
//! prints) and is listed once in [`registry::RULES`]. [`run`] applies the selected rules to a
//! validated pack; [`lint`] is the whole pipeline for a loaded pack: check, run, then apply the
//! `# accord: allow(CODE) reason` suppressions written in the source ([`suppress`]).

pub mod facts;
pub mod registry;
pub mod rules;
pub mod suppress;

use std::cell::OnceCell;

use crate::analysis::space::Space;
use crate::analysis::AnalysisError;
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::eval::Compiled;
use crate::load::Loaded;
use crate::model::Pack;
use crate::validate::Validated;

pub use facts::Facts;
pub use registry::{rule, Rule, RULES};

/// Which codes a run reports: `--only` narrows to a list, `--allow` removes codes from it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    only: Vec<String>,
    allow: Vec<String>,
}

impl Selection {
    /// Every rule.
    pub fn all() -> Self {
        Selection::default()
    }

    /// Every rule but these (known codes, uppercase).
    pub fn all_but(codes: &[&str]) -> Self {
        Selection {
            only: Vec::new(),
            allow: codes.iter().map(|c| c.to_string()).collect(),
        }
    }

    /// Only these rules (known codes, uppercase).
    pub fn only(codes: &[&str]) -> Self {
        Selection {
            only: codes.iter().map(|c| c.to_string()).collect(),
            allow: Vec::new(),
        }
    }

    /// Checks the codes against the registry (and the suppression codes); an unknown code is a
    /// usage error, returned as a message with a "did you mean" when one is close.
    pub fn new(only: &[String], allow: &[String]) -> Result<Self, String> {
        let known = || {
            RULES
                .iter()
                .map(|r| r.code)
                .chain(suppress::CODES.iter().copied())
        };
        let normalize = |code: &String| -> Result<String, String> {
            let upper = code.to_ascii_uppercase();
            if known().any(|k| k == upper) {
                return Ok(upper);
            }
            let hint = did_you_mean(code, known())
                .map(|h| format!(": {h}"))
                .unwrap_or_default();
            Err(format!("unknown lint code `{code}`{hint}"))
        };
        let selection = Selection {
            only: only.iter().map(normalize).collect::<Result<Vec<_>, _>>()?,
            allow: allow.iter().map(normalize).collect::<Result<Vec<_>, _>>()?,
        };
        // `--only X --allow X` would report nothing and look like a clean pack.
        if !selection.only.is_empty() && selection.only.iter().all(|c| selection.allow.contains(c))
        {
            return Err(format!(
                "every `--only` code is also given to `--allow` (`{}`): nothing would be reported",
                selection.only.join("`, `")
            ));
        }
        Ok(selection)
    }

    /// Whether findings with this code are reported.
    pub fn enables(&self, code: &str) -> bool {
        (self.only.is_empty() || self.only.iter().any(|c| c == code))
            && !self.allow.iter().any(|c| c == code)
    }
}

/// What a rule sees: the validated pack, the facts derived from it once for all rules, and the
/// compiled pack with its request space for the rules that need decisions.
pub struct Context<'a> {
    pub pack: &'a Pack,
    pub facts: Facts<'a>,
    pub compiled: &'a Compiled,
    /// Where rules that take long (the exact analysis) say how far they are.
    pub progress: &'a dyn crate::analysis::progress::Progress,
    space: OnceCell<Result<Space, AnalysisError>>,
}

impl<'a> Context<'a> {
    pub fn new(validated: &'a Validated, compiled: &'a Compiled) -> Self {
        let pack = validated.pack();
        Context {
            pack,
            facts: Facts::new(pack),
            compiled,
            progress: &crate::analysis::progress::Silent,
            space: OnceCell::new(),
        }
    }

    /// The pack's request space (built on first use: only decision rules need it).
    pub fn space(&self) -> Result<&Space, &AnalysisError> {
        self.space
            .get_or_init(|| crate::analysis::queries::space_of(self.compiled))
            .as_ref()
    }
}

/// A rule that needs the exact analysis could not run it (a pack too large or device filters
/// too complex): said as an info finding, never a silent pass.
pub fn not_analysed(rule: &Rule, e: &AnalysisError) -> Diagnostic {
    Diagnostic::info(rule.code, format!("not checked: {e}"))
        .help("the exact analysis refused the pack; see `accord verify` for the limits")
}

/// Runs the selected rules over a validated pack. Findings come sorted by file and position, then
/// code, so the output is the same from run to run.
pub fn run(validated: &Validated, compiled: &Compiled, selection: &Selection) -> Vec<Diagnostic> {
    run_with(
        validated,
        compiled,
        selection,
        &crate::analysis::progress::Silent,
    )
}

/// [`run`], saying which rule runs (and how far the long ones are) to `progress`.
pub fn run_with(
    validated: &Validated,
    compiled: &Compiled,
    selection: &Selection,
    progress: &dyn crate::analysis::progress::Progress,
) -> Vec<Diagnostic> {
    let mut ctx = Context::new(validated, compiled);
    ctx.progress = progress;
    let mut findings = Vec::new();
    let rules: Vec<&Rule> = RULES
        .iter()
        .copied()
        .filter(|r| selection.enables(r.code))
        .collect();
    for (i, rule) in rules.iter().enumerate() {
        progress.report("lint rules", i as u64, rules.len() as u64);
        (rule.check)(&ctx, &mut findings);
    }
    sort(&mut findings);
    findings
}

/// Sorts diagnostics by file, start, end, then code.
pub fn sort(findings: &mut [Diagnostic]) {
    findings.sort_by(|a, b| {
        let key = |d: &Diagnostic| d.span.map(|s| (s.file, s.start, s.end));
        key(a)
            .cmp(&key(b))
            .then_with(|| a.code.cmp(&b.code))
            .then_with(|| a.message.cmp(&b.message))
    });
}

/// The outcome of linting one pack.
#[derive(Debug, Clone, Default)]
pub struct LintReport {
    /// False when the pack failed `check`: `diagnostics` then holds the check diagnostics only.
    pub valid: bool,
    /// Check diagnostics (warnings, when valid), then lint findings and suppression problems.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings silenced by a suppression comment.
    pub suppressed: Vec<suppress::Suppressed>,
}

/// Checks, lints and applies suppressions: everything `accord lint` does for one pack.
pub fn lint(loaded: &Loaded, selection: &Selection) -> LintReport {
    lint_with(loaded, selection, &crate::analysis::progress::Silent)
}

/// [`lint`], reporting how far it is to `progress`.
pub fn lint_with(
    loaded: &Loaded,
    selection: &Selection,
    progress: &dyn crate::analysis::progress::Progress,
) -> LintReport {
    let validation = crate::check(loaded);
    let Some(validated) = validation.validated else {
        return LintReport {
            valid: false,
            diagnostics: validation.diagnostics,
            suppressed: Vec::new(),
        };
    };
    let compiled = crate::eval::compile(&validated);
    let findings = run_with(&validated, &compiled, selection, progress);
    let applied = suppress::apply(loaded, findings);
    let mut diagnostics = validation.diagnostics;
    let mut rest: Vec<Diagnostic> = applied
        .kept
        .into_iter()
        .chain(
            applied
                .problems
                .into_iter()
                .filter(|d| selection.enables(&d.code)),
        )
        .collect();
    sort(&mut rest);
    diagnostics.extend(rest);
    LintReport {
        valid: true,
        diagnostics,
        suppressed: applied.suppressed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_only_and_allow() {
        let s = Selection::new(&["ext001".into(), "CAP007".into()], &["CAP007".into()]).unwrap();
        assert!(s.enables("EXT001"));
        assert!(!s.enables("CAP007"));
        assert!(!s.enables("EXT002"));
        assert!(Selection::all().enables("SHR006"));
        let nothing = Selection::new(&["EXT001".into()], &["ext001".into()]).unwrap_err();
        assert!(nothing.contains("nothing would be reported"), "{nothing}");
    }

    #[test]
    fn unknown_codes_are_refused_with_a_suggestion() {
        let e = Selection::new(&["EXT01".into()], &[]).unwrap_err();
        assert!(e.contains("unknown lint code `EXT01`"), "{e}");
        assert!(e.contains("did you mean"), "{e}");
    }
}

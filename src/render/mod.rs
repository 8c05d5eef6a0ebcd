//! Turning diagnostics (and later, decisions) into text. Only `cli` calls this module.

pub mod analysis;
pub mod human;
pub mod json;
pub mod mail;
pub mod matrix;
pub mod outbound;
pub mod replay;
pub mod rules;
pub mod sarif;
pub mod snippet;
pub mod testing;
pub mod whatif;
pub mod workload;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Sources, Span};

/// Where a span is, for people: file name, 1-based line and column of its start and end.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

pub fn position(sources: &Sources, span: Span) -> Option<Position> {
    let file = sources.get(span.file)?;
    let (line, column) = file.line_col(span.start as usize);
    let (end_line, end_column) = file.line_col(span.end as usize);
    Some(Position {
        file: file.name.clone(),
        line,
        column,
        end_line,
        end_column,
    })
}

/// `2 errors, 1 warning, 0 infos`-style summary, with correct plurals.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{}, {}, {}",
        plural(count(Severity::Error), "error", "errors"),
        plural(count(Severity::Warning), "warning", "warnings"),
        plural(count(Severity::Info), "info", "infos"),
    )
}

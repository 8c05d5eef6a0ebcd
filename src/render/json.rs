//! Diagnostics as JSON, for machines.

use serde::Serialize;

use super::position;
use crate::diagnostic::Diagnostic;
use crate::source::Sources;

#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub code: &'a str,
    pub severity: &'static str,
    pub message: &'a str,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub hint: Option<&'a str>,
}

pub fn diagnostics<'a>(
    sources: &Sources,
    diagnostics: &'a [Diagnostic],
) -> Vec<JsonDiagnostic<'a>> {
    diagnostics
        .iter()
        .map(|d| {
            let p = d.span.and_then(|s| position(sources, s));
            JsonDiagnostic {
                code: &d.code,
                severity: d.severity.as_str(),
                message: &d.message,
                file: p.as_ref().map(|p| p.file.clone()),
                line: p.as_ref().map(|p| p.line),
                column: p.as_ref().map(|p| p.column),
                end_line: p.as_ref().map(|p| p.end_line),
                end_column: p.as_ref().map(|p| p.end_column),
                hint: d.help.as_deref(),
            }
        })
        .collect()
}

/// A pretty-printed JSON array of diagnostics.
pub fn render(sources: &Sources, list: &[Diagnostic]) -> String {
    serde_json::to_string_pretty(&diagnostics(sources, list)).unwrap_or_else(|_| "[]".to_string())
}

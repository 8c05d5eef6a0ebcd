//! Diagnostics as SARIF 2.1.0, the format GitHub code scanning reads to show findings inline.
//!
//! One run, one tool (`accord`) whose rules carry their summary, explanation and fix; one result
//! per diagnostic with a physical location (file and region). Columns count characters
//! (`columnKind: unicodeCodePoints`), as everywhere in accord, and a region's end column is the
//! column just past its last character, as SARIF defines it.

use serde_json::{json, Value};

use super::position;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Sources;

/// The SARIF schema the output follows.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// What SARIF says about one rule (built by the caller from the lint registry).
#[derive(Debug, Clone)]
pub struct SarifRule {
    pub id: String,
    pub name: String,
    pub summary: String,
    /// The long help: explanation, examples and fix, as plain text.
    pub help: String,
    pub severity: Severity,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative path or a `file://` URI, percent-encoded where URIs need it.
fn uri(name: &str) -> String {
    let mut out = String::new();
    if name.starts_with('/') {
        out.push_str("file://");
    }
    for b in name.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/:@!$&'()*+,;=".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn rule_json(rule: &SarifRule) -> Value {
    json!({
        "id": rule.id,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": rule.help.lines().next().unwrap_or(&rule.summary) },
        "help": { "text": rule.help },
        "defaultConfiguration": { "level": level(rule.severity) },
    })
}

fn result_json(sources: &Sources, d: &Diagnostic, rules: &[SarifRule]) -> Value {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let mut result = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": { "text": message },
    });
    if let Some(index) = rules.iter().position(|r| r.id == d.code) {
        result["ruleIndex"] = json!(index);
    }
    if let Some(p) = d.span.and_then(|s| position(sources, s)) {
        result["locations"] = json!([{
            "physicalLocation": {
                "artifactLocation": { "uri": uri(&p.file) },
                "region": {
                    "startLine": p.line,
                    "startColumn": p.column,
                    "endLine": p.end_line,
                    "endColumn": p.end_column,
                }
            }
        }]);
    }
    let related: Vec<Value> = d
        .labels
        .iter()
        .filter_map(|l| {
            let p = position(sources, l.span)?;
            Some(json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": uri(&p.file) },
                    "region": {
                        "startLine": p.line,
                        "startColumn": p.column,
                        "endLine": p.end_line,
                        "endColumn": p.end_column,
                    }
                },
                "message": { "text": l.message },
            }))
        })
        .enumerate()
        .map(|(i, mut v)| {
            v["id"] = json!(i);
            v
        })
        .collect();
    if !related.is_empty() {
        result["relatedLocations"] = Value::Array(related);
    }
    result
}

/// The SARIF log for diagnostics from one or more packs. `runs` pairs each pack's sources with
/// its diagnostics; all results go into one run.
pub fn document(runs: &[(&Sources, &[Diagnostic])], rules: &[SarifRule]) -> Value {
    // Every result names a rule of the run: codes from `accord check` (syntax, validation) get
    // a rule entry of their own, so that code scanning can show and group them.
    let mut rules = rules.to_vec();
    for (_, diags) in runs {
        for d in diags.iter() {
            if !rules.iter().any(|r| r.id == d.code) {
                rules.push(check_rule(d));
            }
        }
    }
    let rules = rules.as_slice();
    let results: Vec<Value> = runs
        .iter()
        .flat_map(|(sources, diags)| diags.iter().map(|d| result_json(sources, d, rules)))
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "accord",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules.iter().map(rule_json).collect::<Vec<_>>(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// The rule entry of a code `accord check` reports (not a lint rule).
fn check_rule(d: &Diagnostic) -> SarifRule {
    let what = match d.code.get(..2) {
        Some("E0") => "a syntax error",
        Some("E1") | Some("W1") => "a validation problem",
        Some("E2") => "a request or test file problem",
        _ => "a problem",
    };
    SarifRule {
        id: d.code.clone(),
        name: d.code.clone(),
        summary: format!("{what} reported by `accord check`"),
        help: format!(
            "{what} reported by `accord check`: the pack is not valid as written. Run `accord check` for the message, its place and a hint; the code ranges are listed in the README."
        ),
        severity: d.severity,
    }
}

/// [`document`], pretty-printed.
pub fn render(runs: &[(&Sources, &[Diagnostic])], rules: &[SarifRule]) -> String {
    serde_json::to_string_pretty(&document(runs, rules)).unwrap_or_else(|_| "{}".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            uri("policies/my pack/a.policy"),
            "policies/my%20pack/a.policy"
        );
        assert_eq!(uri("/tmp/a.policy"), "file:///tmp/a.policy");
    }
}

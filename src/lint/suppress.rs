//! Suppressions written in the source: `# accord: allow(EXT003) reason`.
//!
//! A suppression comment on its own line applies to the next line that holds code: it silences
//! the listed codes for findings that start on that line, or that lie inside a top-level item
//! (a policy, a `cross_tenant` block...) starting on that line. A comment at the end of a line
//! applies to that line. Several suppression comments may be stacked.
//!
//! The reason is required: a suppression without one still applies but is reported (`SUP001`),
//! so that every silenced finding in a pack says why. A malformed suppression or an unknown code
//! is reported too (`SUP002`), since it silences nothing the author meant it to.

use serde::Serialize;

use super::registry::RULES;
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::load::Loaded;
use crate::source::{FileId, Span};

/// A suppression comment without a reason.
pub const MISSING_REASON: &str = "SUP001";
/// A suppression comment that cannot be read, or names an unknown code.
pub const MALFORMED: &str = "SUP002";
/// The codes this module reports (selectable like rule codes).
pub const CODES: [&str; 2] = [MISSING_REASON, MALFORMED];

/// What `accord rules` and SARIF say about the suppression codes: code, name, summary, help.
pub const DOCS: [(&str, &str, &str, &str); 2] = [
    (
        MISSING_REASON,
        "suppression_without_reason",
        "a suppression comment gives no reason",
        "`# accord: allow(CODE) reason` silences a finding on the next line; the reason is \
required so that every silenced finding in a pack says why. The suppression still applies.",
    ),
    (
        MALFORMED,
        "malformed_suppression",
        "a suppression comment cannot be read or names an unknown code",
        "A comment starting with `accord:` must read `accord: allow(CODE, ...) reason` with known \
codes; otherwise it silences nothing the author meant it to.",
    ),
];

/// A finding silenced by a suppression comment.
#[derive(Debug, Clone, Serialize)]
pub struct Suppressed {
    pub finding: Diagnostic,
    pub reason: String,
    /// The suppression comment.
    pub comment: Span,
}

/// The findings once suppressions are applied.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    pub kept: Vec<Diagnostic>,
    pub suppressed: Vec<Suppressed>,
    /// Problems with the suppression comments themselves (`SUP001`, `SUP002`).
    pub problems: Vec<Diagnostic>,
}

/// One readable suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Directive {
    codes: Vec<String>,
    reason: String,
    comment: Span,
    /// The 1-based line it applies to.
    line: usize,
}

/// What the text after `#` says, if it is a suppression at all (it starts with `accord:`).
/// `Ok((codes, reason))`, or `Err(message)` for a malformed one.
pub fn parse(text: &str) -> Option<Result<(Vec<String>, String), String>> {
    let rest = text.trim_start().strip_prefix("accord:")?.trim_start();
    let Some(args) = rest.strip_prefix("allow(") else {
        return Some(Err(
            "malformed suppression: expected `accord: allow(CODE) reason`".to_string(),
        ));
    };
    let Some(close) = args.find(')') else {
        return Some(Err(
            "malformed suppression: `allow(` is not closed".to_string()
        ));
    };
    let codes: Vec<String> = args[..close]
        .split(',')
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    if codes.is_empty() {
        return Some(Err(
            "malformed suppression: no code in `allow()`".to_string()
        ));
    }
    Some(Ok((codes, args[close + 1..].trim().to_string())))
}

/// Applies the suppression comments of every file of `loaded` to `findings`.
pub fn apply(loaded: &Loaded, findings: Vec<Diagnostic>) -> Applied {
    let mut applied = Applied::default();
    let mut directives: Vec<Directive> = Vec::new();
    for (file, parsed) in &loaded.files {
        for comment in &parsed.comments {
            let Some(result) = parse(&comment.text) else {
                continue;
            };
            match result {
                Err(message) => applied.problems.push(malformed(comment.span, message)),
                Ok((codes, reason)) => {
                    check_codes(&codes, comment.span, &mut applied.problems);
                    if reason.is_empty() {
                        applied.problems.push(
                            Diagnostic::warning(MISSING_REASON, "suppression without a reason")
                                .at(comment.span)
                                .help(format!(
                                    "say why after the codes: `# accord: allow({}) <why this is intended>`",
                                    codes.join(", ")
                                )),
                        );
                    }
                    if let Some(line) = target_line(loaded, *file, comment.span, comment.own_line) {
                        directives.push(Directive {
                            codes,
                            reason,
                            comment: comment.span,
                            line,
                        });
                    }
                }
            }
        }
    }
    for finding in findings {
        match directives.iter().find(|d| silences(loaded, d, &finding)) {
            Some(d) => applied.suppressed.push(Suppressed {
                finding,
                reason: d.reason.clone(),
                comment: d.comment,
            }),
            None => applied.kept.push(finding),
        }
    }
    applied
}

fn malformed(span: Span, message: String) -> Diagnostic {
    Diagnostic::warning(MALFORMED, message)
        .at(span)
        .help("write `# accord: allow(EXT003) reason` on the line before the construct")
}

fn check_codes(codes: &[String], span: Span, problems: &mut Vec<Diagnostic>) {
    let known = || RULES.iter().map(|r| r.code).chain(CODES.iter().copied());
    for code in codes {
        if !known().any(|k| k == code) {
            let help = did_you_mean(code, known())
                .unwrap_or_else(|| "`accord rules` lists the codes".to_string());
            problems.push(
                Diagnostic::warning(
                    MALFORMED,
                    format!("unknown lint code `{code}` in suppression"),
                )
                .at(span)
                .help(help),
            );
        }
    }
}

/// 1-based line of a byte offset.
fn line_of(loaded: &Loaded, file: FileId, offset: u32) -> Option<usize> {
    loaded
        .sources
        .get(file)
        .map(|f| f.line_col(offset as usize).0)
}

/// The line a suppression comment applies to: its own line for a trailing comment, else the next
/// line that is neither blank nor a comment.
fn target_line(loaded: &Loaded, file: FileId, comment: Span, own_line: bool) -> Option<usize> {
    let line = line_of(loaded, file, comment.start)?;
    if !own_line {
        return Some(line);
    }
    let text = loaded.sources.text(file);
    text.lines()
        .enumerate()
        .skip(line)
        .find(|(_, l)| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .map(|(i, _)| i + 1)
}

fn silences(loaded: &Loaded, directive: &Directive, finding: &Diagnostic) -> bool {
    let Some(span) = finding.span else {
        return false;
    };
    if span.file != directive.comment.file || !directive.codes.contains(&finding.code) {
        return false;
    }
    if line_of(loaded, span.file, span.start) == Some(directive.line) {
        return true;
    }
    loaded
        .pack
        .items_in(span.file)
        .iter()
        .map(|i| i.span())
        .filter(|s| s.start <= span.start && span.end <= s.end)
        .any(|s| line_of(loaded, s.file, s.start) == Some(directive.line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_and_reason() {
        assert_eq!(
            parse(" accord: allow(EXT003, cap003) partners do MFA at home"),
            Some(Ok((
                vec!["EXT003".to_string(), "CAP003".to_string()],
                "partners do MFA at home".to_string()
            )))
        );
        assert_eq!(
            parse(" accord: allow(EXT003)"),
            Some(Ok((vec!["EXT003".to_string()], String::new())))
        );
        assert!(matches!(parse(" accord: alow(EXT003) x"), Some(Err(_))));
        assert!(matches!(parse(" accord: allow(EXT003 x"), Some(Err(_))));
        assert_eq!(parse(" a plain comment"), None);
    }
}

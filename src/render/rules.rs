//! The lint rules as text: the list `accord rules` prints, one rule's documentation for
//! `accord rules CODE`, and the rule descriptions SARIF carries.

use super::sarif::SarifRule;
use crate::diagnostic::Severity;
use crate::lint::{suppress, Rule, RULES};

/// Word-wraps `text` to `width` columns, each line starting with `indent`.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent.len() + line.len() + 1 + word.len() > width {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines().map(|l| format!("{prefix}{l}\n")).collect()
}

/// One line per rule (and per suppression code): code, severity, summary.
pub fn list() -> String {
    let mut out = String::new();
    for r in RULES {
        out.push_str(&format!(
            "{}  {:<7}  {}\n",
            r.code,
            r.severity.as_str(),
            r.summary
        ));
    }
    for (code, _, summary, _) in suppress::DOCS {
        out.push_str(&format!(
            "{code}  {:<7}  {summary}\n",
            Severity::Warning.as_str()
        ));
    }
    out.push_str("\n`accord rules CODE` explains a rule, with examples.\n");
    out
}

/// Everything about one rule: what, why, an example that fires, one that does not, the fix.
pub fn explain(rule: &Rule) -> String {
    let mut out = format!(
        "{} {} ({})\n{}\n\nWhy:\n{}\nFires:\n{}\nDoes not fire:\n{}\nFix:\n{}",
        rule.code,
        rule.name,
        rule.severity,
        rule.summary,
        wrap(rule.explanation, 100, "  "),
        indent(rule.fires, "    "),
        indent(rule.quiet, "    "),
        wrap(rule.fix, 100, "  "),
    );
    out.push_str(&format!(
        "\nSilence one finding with `# accord: allow({}) <reason>` on the line before it.\n",
        rule.code
    ));
    out
}

/// The documentation of a suppression code (`SUP001`...), if `code` is one.
pub fn explain_suppression(code: &str) -> Option<String> {
    let (code, name, summary, help) = suppress::DOCS
        .iter()
        .find(|(c, ..)| c.eq_ignore_ascii_case(code))?;
    Some(format!(
        "{code} {name} (warning)\n{summary}\n\nWhy:\n{}",
        wrap(help, 100, "  ")
    ))
}

/// The rules as SARIF describes them: every lint rule, then the suppression codes.
pub fn sarif_rules() -> Vec<SarifRule> {
    let mut rules: Vec<SarifRule> = RULES
        .iter()
        .map(|r| SarifRule {
            id: r.code.to_string(),
            name: r.name.to_string(),
            summary: r.summary.to_string(),
            help: format!(
                "{}\n\nExample that fires:\n{}\nExample that does not:\n{}\nFix: {}",
                r.explanation,
                indent(r.fires, "    "),
                indent(r.quiet, "    "),
                r.fix
            ),
            severity: r.severity,
        })
        .collect();
    rules.extend(
        suppress::DOCS
            .iter()
            .map(|(code, name, summary, help)| SarifRule {
                id: code.to_string(),
                name: name.to_string(),
                summary: summary.to_string(),
                help: help.to_string(),
                severity: Severity::Warning,
            }),
    );
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_words_and_width() {
        let text = "one two three four five six seven";
        let wrapped = wrap(text, 12, "  ");
        assert!(wrapped.lines().all(|l| l.len() <= 12), "{wrapped}");
        assert_eq!(
            wrapped.split_whitespace().collect::<Vec<_>>().join(" "),
            text
        );
    }
}

//! pest errors turned into diagnostics a person can act on.

use pest::error::{Error, InputLocation};

use super::Rule;
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::source::{FileId, Span};

/// `E0001`: the file is not well-formed.
pub(super) fn syntax_error(file: FileId, text: &str, error: &Error<Rule>) -> Diagnostic {
    let pos = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let mut expected: Vec<String> = Vec::new();
    if let Some(attempts) = error.parse_attempts() {
        // The token type is not exported by pest; its Display gives the literal text.
        for token in attempts.expected_tokens() {
            let token = token.to_string();
            if token != "BUILTIN_RULE" && !token.contains("..") {
                expected.push(token);
            }
        }
        for stack in attempts.call_stacks() {
            let rule = stack.deepest.get_rule().or(stack.parent.as_ref());
            if let Some(d) = rule.and_then(|r| describe(*r)) {
                expected.push(d.to_string());
            }
        }
    }
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &error.variant {
        expected.extend(
            positives
                .iter()
                .filter_map(|r| describe(*r))
                .map(str::to_string),
        );
    }
    expected.sort();
    expected.dedup();
    // Whitespace "expected" tokens are noise: pest attempts them everywhere.
    expected.retain(|t| !t.trim().is_empty() && t != "#");

    let found = found_at(text, pos);
    let span = Span::new(
        file,
        pos,
        pos + found.len().max(usize::from(pos < text.len())),
    );
    let found_text = if found.is_empty() {
        if pos >= text.len() {
            "end of file".to_string()
        } else {
            format!("`{}`", text[pos..].chars().next().unwrap_or(' '))
        }
    } else {
        format!("`{found}`")
    };
    let mut diagnostic = Diagnostic::error("E0001", format!("unexpected {found_text}")).at(span);
    let keywords: Vec<&str> = expected
        .iter()
        .map(String::as_str)
        .filter(|t| t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .collect();
    let suggestion = if found.is_empty() {
        None
    } else {
        did_you_mean(found, keywords.iter().copied())
    };
    let list = expected_list(&expected);
    if !list.is_empty() {
        diagnostic = diagnostic.label(span, format!("expected {list}"));
    }
    let help = match (suggestion, pos >= text.len()) {
        (Some(s), _) => s,
        (None, true) => "a block is not closed: check that every `{` has its `}`".to_string(),
        (None, false) if !list.is_empty() => format!("write {list} here"),
        (None, false) => "see the language reference in README.md".to_string(),
    };
    diagnostic.help(help)
}

/// The word (or quoted string) at `pos`.
fn found_at(text: &str, pos: usize) -> &str {
    let rest = text.get(pos..).unwrap_or("");
    let len = if let Some(inside) = rest.strip_prefix('"') {
        inside.find('"').map_or(rest.len(), |n| n + 2)
    } else {
        rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
            .unwrap_or(rest.len())
    };
    &rest[..len.min(rest.len())]
}

fn expected_list(expected: &[String]) -> String {
    let shown: Vec<String> = expected
        .iter()
        .take(12)
        .map(|t| {
            if t.starts_with("a ") || t.starts_with("an ") {
                t.clone()
            } else {
                format!("`{t}`")
            }
        })
        .collect();
    match shown.len() {
        0 => String::new(),
        1 => shown[0].clone(),
        n => {
            let more = if expected.len() > 12 { ", ..." } else { "" };
            format!("one of {}{more}", shown[..n].join(", "))
        }
    }
}

/// How a non-keyword rule reads in "expected ...".
fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::string | Rule::raw_string => "a quoted string",
        Rule::ident => "a name",
        Rule::name => "a name or a quoted string",
        Rule::string_list => "a list of strings",
        Rule::ident_list => "a list of names",
        Rule::duration => "a duration such as `8h` or `1d`",
        Rule::json_value => "a JSON value",
        Rule::EOI => "end of file",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::source::FileId;
    use crate::syntax::parse_file;

    fn first_error(text: &str) -> crate::diagnostic::Diagnostic {
        let parsed = parse_file(FileId(0), text);
        assert!(!parsed.parsed);
        parsed.diagnostics[0].clone()
    }

    #[test]
    fn misspelt_item_keyword_gets_a_suggestion() {
        let d = first_error("polcy \"x\" { }");
        assert_eq!(d.code, "E0001");
        assert_eq!(d.message, "unexpected `polcy`");
        assert_eq!(d.help.as_deref(), Some("did you mean `policy`?"));
    }

    #[test]
    fn unclosed_block_points_at_end_of_file() {
        let text = "tenant a { id = \"x\"";
        let d = first_error(text);
        assert_eq!(d.message, "unexpected end of file");
        assert_eq!(d.span.map(|s| s.start as usize), Some(text.len()));
    }
}

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
    if suggestion.is_none() && expected.iter().any(|t| t == "}") {
        if let Some(brace) = unclosed_brace(text, pos) {
            return unclosed(file, text, brace, span, &found_text);
        }
    }
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

/// The words (keywords and the first word of values) the parser would accept at `pos` after a
/// failed parse that stopped there; empty when it stopped elsewhere.
pub(super) fn expected_words(error: &Error<Rule>, pos: usize) -> Vec<String> {
    let at = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    if at != pos {
        return Vec::new();
    }
    let mut words: Vec<String> = Vec::new();
    if let Some(attempts) = error.parse_attempts() {
        for token in attempts.expected_tokens() {
            let token = token.to_string();
            if !token.is_empty() && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                words.push(token);
            }
        }
    }
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &error.variant {
        for rule in positives {
            let name = format!("{rule:?}");
            if let Some(keyword) = name.strip_prefix("k_") {
                words.push(keyword.to_string());
            }
        }
    }
    words.sort();
    words.dedup();
    words
}

/// The innermost `{` still open at `pos`, when the file as a whole has more `{` than `}` (so
/// the problem is a missing `}`, not a misspelt word inside a closed block). Strings and
/// comments are skipped.
fn unclosed_brace(text: &str, pos: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut open: Vec<usize> = Vec::new();
    let mut at_pos: Option<Option<usize>> = None;
    let mut i = 0;
    while i < bytes.len() {
        if at_pos.is_none() && i >= pos {
            at_pos = Some(open.last().copied());
        }
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' => open.push(i),
            b'}' => {
                open.pop();
            }
            _ => {}
        }
        i += 1;
    }
    let at_pos = at_pos.unwrap_or(open.last().copied());
    if open.is_empty() {
        return None;
    }
    // The brace must be on an earlier line: on the same line the parser's place is clear.
    at_pos.filter(|b| text[*b..pos.min(text.len())].contains('\n'))
}

/// `E0001` at the `{` that is not closed, with the place the parser stopped as a label.
fn unclosed(file: FileId, text: &str, brace: usize, stop: Span, found: &str) -> Diagnostic {
    let line = text[..stop.start as usize].matches('\n').count() + 1;
    Diagnostic::error("E0001", "this `{` is not closed")
        .at(Span::new(file, brace, brace + 1))
        .label(Span::new(file, brace, brace + 1), "opened here")
        .label(stop, format!("expected `}}` before {found}"))
        .help(format!(
            "add the `}}` that closes this block before {found} (line {line})"
        ))
}

/// The word (or quoted string) at `pos`.
fn found_at(text: &str, pos: usize) -> &str {
    let rest = text.get(pos..).unwrap_or("");
    let len = if let Some(after) = rest.strip_prefix('"') {
        after.find('"').map_or(rest.len(), |n| n + 2)
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
    fn a_missing_brace_is_reported_at_the_brace_it_leaves_open() {
        let text = "policy \"x\" {\n  apps  { include all\n  grant mfa\n}\n";
        let d = first_error(text);
        assert_eq!(d.message, "this `{` is not closed");
        assert_eq!(
            d.span.map(|s| s.start as usize),
            Some(text.find("{ include").unwrap_or(0))
        );
        assert_eq!(
            d.help.as_deref(),
            Some("add the `}` that closes this block before `grant` (line 3)")
        );
        // A misspelt word inside closed blocks is still a misspelt word.
        let typo = first_error("policy \"x\" {\n  users {\n    exlude all\n  }\n}\n");
        assert_eq!(typo.message, "unexpected `exlude`");
    }

    #[test]
    fn unclosed_block_points_at_end_of_file() {
        let text = "tenant a { id = \"x\"";
        let d = first_error(text);
        assert_eq!(d.message, "unexpected end of file");
        assert_eq!(d.span.map(|s| s.start as usize), Some(text.len()));
    }
}

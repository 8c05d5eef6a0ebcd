//! Comments, collected beside the grammar (which skips them) so the formatter can put them back.

use serde::Serialize;

use crate::source::{FileId, Span};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// From `#` to the end of the line (newline excluded).
    pub span: Span,
    /// The text after `#`, trailing spaces removed.
    pub text: String,
    /// True when nothing but blanks precedes it on its line.
    pub own_line: bool,
}

/// Finds every `#` comment outside string literals.
pub fn scan_comments(file: FileId, text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut i = 0;
    let mut line_start = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                line_start = i + 1;
                i += 1;
            }
            b'"' => i = skip_string(bytes, i, b'"', true),
            b'\'' => i = skip_string(bytes, i, b'\'', false),
            b'#' => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                let own_line = text[line_start..i].trim().is_empty();
                comments.push(Comment {
                    span: Span::new(file, i, end),
                    text: text[i + 1..end].trim_end().to_string(),
                    own_line,
                });
                i = end;
            }
            _ => i += 1,
        }
    }
    comments
}

/// `text` with each comment replaced by blanks (strings untouched).
pub(crate) fn without_comments(text: &str) -> String {
    let mut out = text.to_string();
    for c in scan_comments(FileId(0), text).iter().rev() {
        out.replace_range(c.span.range(), &" ".repeat(c.span.range().len()));
    }
    out
}

/// The length of `text` without its trailing blanks and comments (the grammar's `WHITESPACE`
/// and `COMMENT`), strings skipped so that a `#` inside one is not taken for a comment.
pub(crate) fn token_end(text: &str) -> usize {
    // Skipped text always ends with a blank: a comment stops before its newline, which follows.
    if !text.ends_with([' ', '\t', '\r', '\n']) {
        return text.len();
    }
    let bytes = text.as_bytes();
    let mut end = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' => i = text[i..].find('\n').map_or(text.len(), |n| i + n),
            b'"' => {
                i = skip_string(bytes, i, b'"', true);
                end = i;
            }
            b'\'' => {
                i = skip_string(bytes, i, b'\'', false);
                end = i;
            }
            _ => {
                i += 1;
                end = i;
            }
        }
    }
    end.min(text.len())
}

/// Index just past a string literal opened at `start` (or at the end of its line if unclosed).
fn skip_string(bytes: &[u8], start: usize, quote: u8, escapes: bool) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if escapes => i += 2,
            b'\n' => return i,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_comments_blanks_comments_only() {
        let text = "{\"a#\": 1, # note\n \"b\": 2}";
        assert_eq!(without_comments(text), "{\"a#\": 1,       \n \"b\": 2}");
    }

    #[test]
    fn token_end_drops_trailing_blanks_and_comments_only() {
        assert_eq!(token_end("trust mfa  # why\n  "), "trust mfa".len());
        assert_eq!(token_end("a \"# x\" \n"), "a \"# x\"".len());
        assert_eq!(token_end("a 'r # y' # z\n"), "a 'r # y'".len());
        assert_eq!(token_end("include(é)"), "include(é)".len());
        assert_eq!(token_end("é \n"), "é".len());
    }

    #[test]
    fn comments_outside_strings_only() {
        let text = "# head\npolicy \"a # not\" { # tail\n devices = include 'x # y' }\n";
        let found = scan_comments(FileId(0), text);
        let texts: Vec<_> = found
            .iter()
            .map(|c| (c.text.as_str(), c.own_line))
            .collect();
        assert_eq!(texts, vec![(" head", true), (" tail", false)]);
    }
}

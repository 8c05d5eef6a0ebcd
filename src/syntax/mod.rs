//! Text to model: the only module that knows pest.
//!
//! [`parse_file`] parses one `.policy` file into the items it declares plus the comments it holds
//! (kept aside for the formatter) and every problem found. A syntax error stops the parse of the
//! file it is in; problems inside well-formed syntax (an unknown platform, a bad duration...) are
//! all reported.

mod comments;
pub mod device_filter;
mod errors;
mod lower;

use pest::Parser;
use serde::Serialize;

pub use comments::{scan_comments, Comment};

use crate::diagnostic::Diagnostic;
use crate::model::Pack;
use crate::source::{FileId, Span};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/accord.pest"]
struct AccordParser;

/// One parsed file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ParsedFile {
    /// The items of this file (empty when the file has a syntax error).
    pub pack: Pack,
    pub comments: Vec<Comment>,
    pub diagnostics: Vec<Diagnostic>,
    /// False when the file did not parse at all.
    pub parsed: bool,
}

/// Parses the text of one file.
pub fn parse_file(file: FileId, text: &str) -> ParsedFile {
    let comments = scan_comments(file, text);
    // pest's detailed attempts (the literal tokens, `{` and keywords, of "expected ..."
    // messages) cost about as much as the parse itself; a file that parses does not need them,
    // so only a file that fails is parsed again with them, for its message.
    let parsed = AccordParser::parse(Rule::file, text)
        .or_else(|_| with_error_detail(|| AccordParser::parse(Rule::file, text)));
    match parsed {
        Ok(mut pairs) => {
            let mut lowering = lower::Lowering::new(file, text);
            let pack = match pairs.next() {
                Some(pair) => lowering.file(pair),
                None => Pack::default(),
            };
            ParsedFile {
                pack,
                comments,
                diagnostics: lowering.diagnostics,
                parsed: true,
            }
        }
        Err(error) => ParsedFile {
            pack: Pack::default(),
            comments,
            diagnostics: vec![errors::syntax_error(file, text, &error)],
            parsed: false,
        },
    }
}

/// The keywords the grammar accepts at the end of `prefix` (the text before the cursor), for
/// completion. Between items every item keyword fits; after a syntax error earlier in the text
/// nothing is known and the list is empty.
pub fn expected_keywords(prefix: &str) -> Vec<String> {
    match with_error_detail(|| AccordParser::parse(Rule::file, prefix)) {
        Ok(_) => [
            "location",
            "organization",
            "cross_tenant",
            "directory",
            "policy",
            "resource",
            "sharing",
            "tenant",
        ]
        .iter()
        .map(|k| k.to_string())
        .collect(),
        Err(error) => errors::expected_words(&error, prefix.len()),
    }
}

/// Runs a parse with pest's detailed attempts on, for its error message. The switch is global
/// to the process (pest reads it when a parse starts), so it is turned on and back off under one
/// lock: a parse on another thread meanwhile is only slower, never less detailed, and every
/// parse that needs the detail gets it.
pub(crate) fn with_error_detail<T>(parse: impl FnOnce() -> T) -> T {
    static DETAIL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _held = DETAIL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    pest::set_error_detail(true);
    let out = parse();
    pest::set_error_detail(false);
    out
}

/// The span of a pair, without the blanks and comments pest leaves at its end: a rule ending in
/// an optional or repeated part that matched nothing (`inc_list ~ exc_list?`) keeps the skipped
/// text after its last token. Model spans end at the last token, so that a comment after a
/// statement is not inside it.
pub(crate) fn span_of(file: FileId, span: pest::Span<'_>) -> Span {
    let end = span.start() + comments::token_end(span.as_str());
    Span::new(file, span.start(), end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_spans_stop_at_their_last_token() {
        let text = "cross_tenant x {\n  trust mfa   # why\n}\n";
        let parsed = parse_file(FileId(0), text);
        let trust = parsed.pack.cross_tenant[0].trust.as_ref().map(|t| t.span);
        let start = text.find("trust").unwrap_or(0);
        assert_eq!(
            trust,
            Some(Span::new(FileId(0), start, start + "trust mfa".len()))
        );
    }

    #[test]
    fn comments_inside_extension_json_are_skipped() {
        let text = "location a { ip = [] extension { \"/x\" = [1, # one\n 2] } }";
        let parsed = parse_file(FileId(0), text);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let json = parsed.pack.locations[0].extensions[0].json.value.clone();
        assert_eq!(json, "[1,2]");
    }
}

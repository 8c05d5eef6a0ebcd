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
    // Literal tokens (`{`, keywords) in "expected ..." messages need pest's detailed attempts.
    pest::set_error_detail(true);
    let comments = scan_comments(file, text);
    match AccordParser::parse(Rule::file, text) {
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

pub(crate) fn span_of(file: FileId, span: pest::Span<'_>) -> Span {
    Span::new(file, span.start(), span.end())
}

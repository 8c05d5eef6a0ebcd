//! rustc-style rendering of diagnostics with caret snippets (miette).

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, Report};

use super::position;
use super::snippet::{escaped, Snippet};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Sources;

/// Rendering settings: snapshots use no colour and a fixed width.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            color: false,
            width: 100,
        }
    }
}

/// Renders every diagnostic, each followed by a blank line.
pub fn render(sources: &Sources, diagnostics: &[Diagnostic], style: Style) -> String {
    render_with_notes(sources, diagnostics, style, |_| None)
}

/// Like [`render`], with a `note:` line after a diagnostic when `note` gives one (the linter
/// adds what the rule is about and where to read more).
pub fn render_with_notes(
    sources: &Sources,
    diagnostics: &[Diagnostic],
    style: Style,
    note: impl Fn(&Diagnostic) -> Option<String>,
) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&render_one(sources, d, style));
        if let Some(n) = note(d) {
            out.push_str(&format!("  note: {n}\n"));
        }
        out.push('\n');
    }
    out
}

/// Splits text into words at spaces, except inside backticks: a name in a "did you mean"
/// (`Compliant device for in-organization members`) is never wrapped across lines, so that it
/// can be copied and pasted whole.
fn words_keeping_code(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    let mut words = Vec::new();
    let mut start = 0;
    let mut in_code = false;
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => in_code = !in_code,
            b' ' if !in_code => {
                let mut end = i;
                while end < bytes.len() && bytes[end] == b' ' {
                    end += 1;
                }
                words.push(textwrap::core::Word::from(&line[start..end]));
                start = end;
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if start < line.len() {
        words.push(textwrap::core::Word::from(&line[start..]));
    }
    Box::new(words.into_iter())
}

pub fn render_one(sources: &Sources, d: &Diagnostic, style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_word_separator(textwrap::WordSeparator::Custom(words_keeping_code))
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_break_words(false);
    // The header is written rustc-style below; miette draws only the snippet and the help.
    let mut diag = MietteDiagnostic::new(String::new()).with_severity(match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    });
    let mut notes: Vec<String> = Vec::new();
    let mut help = d.help.clone();
    let file = d.span.and_then(|s| sources.get(s.file).map(|f| (s, f)));
    let snippet = file.map(|(span, f)| {
        let spans: Vec<(usize, usize)> = std::iter::once(span)
            .chain(
                d.labels
                    .iter()
                    .map(|l| l.span)
                    .filter(|l| l.file == span.file),
            )
            .map(|s| (s.start as usize, s.end as usize))
            .collect();
        Snippet::new(f, &spans)
    });
    let at = |offset: u32| {
        snippet
            .as_ref()
            .map_or(offset as usize, |s| s.offset(offset as usize))
    };
    if let Some((span, f)) = file {
        // The primary label carries the first secondary label on the same span, if any.
        let primary_text = d
            .labels
            .iter()
            .find(|l| l.span == span)
            .map(|l| escaped(&l.message));
        let (start, end) = (at(span.start), at(span.end));
        diag = diag.and_label(LabeledSpan::new_primary_with_span(
            primary_text,
            (
                start,
                (end - start).max(usize::from(span.start as usize >= f.text.len())),
            ),
        ));
        for label in d.labels.iter().filter(|l| l.span != span) {
            if label.span.file == span.file {
                let (start, end) = (at(label.span.start), at(label.span.end));
                diag = diag.and_label(LabeledSpan::new_with_span(
                    Some(escaped(&label.message)),
                    (start, end.saturating_sub(start)),
                ));
            } else if let Some(p) = position(sources, label.span) {
                notes.push(format!(
                    "{}: {}:{}:{}",
                    label.message, p.file, p.line, p.column
                ));
            }
        }
    }
    if !notes.is_empty() {
        let joined = notes.join("; ");
        help = Some(match help {
            Some(h) => format!("{h} ({joined})"),
            None => joined,
        });
    }
    if let Some(h) = help {
        diag = diag.with_help(escaped(&h));
    }
    let report = match snippet {
        Some(source) => Report::new(diag).with_source_code(source),
        None => Report::new(diag),
    };
    let mut body = String::new();
    let mut out = format!(
        "{}[{}]: {}\n",
        d.severity,
        escaped(&d.code),
        escaped(&d.message)
    );
    if handler.render_report(&mut body, report.as_ref()).is_ok() {
        // miette's first line holds the (empty) message after its severity symbol: drop it.
        let rest = body.split_once('\n').map_or("", |(_, rest)| rest);
        out.push_str(rest);
    }
    out
}

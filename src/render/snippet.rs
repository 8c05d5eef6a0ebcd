//! The source text a caret snippet is drawn from, cut to a window around the spans.
//!
//! miette draws the whole of every line it shows: a diagnostic on a 200,000-character line (a
//! minified Graph export, a pasted blob) printed all of it. [`Snippet::new`] keeps the text as it
//! is when the shown lines are short, and otherwise gives miette a stand-in text: the lines
//! before the snippet empty (so line numbers stay right), the shown lines cut to
//! [`WINDOW`] characters around the spans with `…` where text was cut, and the lines after it
//! left out. The `file:line:column` header still gives the column in the real line.

use miette::{MietteError, MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents};

use crate::source::SourceFile;

/// The most characters of one line a snippet shows.
pub const WINDOW: usize = 120;
/// How many characters before the span start the window begins.
const LEAD: usize = 40;
/// Above this many bytes a file is shown through a stand-in of its shown lines only.
const WHOLE_TEXT_MAX: usize = 64 * 1024;

/// A snippet's source: the file, or a windowed stand-in for it.
pub struct Snippet {
    source: NamedSource<String>,
    /// For a stand-in: the primary span in it, and the real 0-based line and column.
    primary: Option<(SourceSpan, usize, usize)>,
    /// Byte offsets of the original mapped into the stand-in (identity for the file itself).
    map: Vec<(usize, usize, usize)>,
}

impl Snippet {
    /// `spans` are the byte ranges the diagnostic labels (the primary first).
    pub fn new(file: &SourceFile, spans: &[(usize, usize)]) -> Snippet {
        let text = &file.text;
        let line_of = |offset: usize| file.line_col(offset).0 - 1;
        let mut shown: Vec<usize> = Vec::new();
        for &(start, end) in spans {
            for line in line_of(start).saturating_sub(1)..=line_of(end) + 1 {
                shown.push(line);
            }
        }
        shown.sort_unstable();
        shown.dedup();
        let long = shown
            .iter()
            .filter_map(|l| file.line(*l))
            .any(|l| l.chars().count() > WINDOW);
        // A large file is never handed to miette whole: it copies and scans the text for every
        // diagnostic, and an import of a whole-tenant snapshot (1.7 MB, 1,400 warnings) spent
        // seconds doing so. The stand-in holds the shown lines only.
        if !long && text.len() <= WHOLE_TEXT_MAX {
            return Snippet {
                source: NamedSource::new(file.name.clone(), visible(text)),
                primary: None,
                map: Vec::new(),
            };
        }
        let mut out = String::new();
        let mut map = Vec::new();
        let last = shown
            .last()
            .copied()
            .unwrap_or(0)
            .min(file.line_count().saturating_sub(1));
        let mut next = shown.iter().peekable();
        for i in 0..=last {
            // Lines before and between the shown ones are empty: line numbers stay right.
            if next.peek() == Some(&&i) {
                next.next();
                let line = file.line(i).unwrap_or("");
                let offset = file.line_start(i);
                let starts: Vec<usize> = spans
                    .iter()
                    .filter(|(s, _)| *s >= offset && *s <= offset + line.len())
                    .map(|(s, _)| s - offset)
                    .collect();
                let (lo, hi) = window(line, starts.first().copied().unwrap_or(0));
                if lo > 0 {
                    out.push('…');
                }
                map.push((offset + lo, offset + hi, out.len()));
                out.push_str(&line[lo..hi]);
                if hi < line.len() {
                    out.push('…');
                }
            }
            if i < last {
                out.push('\n');
            }
        }
        let mut snippet = Snippet {
            source: NamedSource::new(file.name.clone(), visible(&out)),
            primary: None,
            map,
        };
        if let Some(&(start, end)) = spans.first() {
            let (line, column) = file.line_col(start);
            let (s, e) = (snippet.offset(start), snippet.offset(end));
            snippet.primary = Some(((s, e.saturating_sub(s)).into(), line - 1, column - 1));
        }
        snippet
    }

    /// Where an offset of the original text is in the snippet's text.
    pub fn offset(&self, original: usize) -> usize {
        if self.map.is_empty() {
            return original;
        }
        for &(lo, hi, at) in &self.map {
            if original >= lo && original <= hi {
                return at + (original - lo);
            }
        }
        // Outside every window: the nearest window edge.
        self.map
            .iter()
            .min_by_key(|(lo, hi, _)| lo.abs_diff(original).min(hi.abs_diff(original)))
            .map_or(
                0,
                |&(lo, hi, at)| {
                    if original < lo {
                        at
                    } else {
                        at + (hi - lo)
                    }
                },
            )
    }
}

/// The text with every control character but tab, line feed and carriage return replaced by one
/// of the same UTF-8 length (`?` for C0 and DEL, `¿` for C1), so that a file cannot send escape
/// sequences to the terminal through a snippet, and byte offsets stay valid.
pub fn visible(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{7f}' => '?',
            '\u{80}'..='\u{9f}' => '¿',
            _ => c,
        })
        .collect()
}

/// A message with its control characters escaped (`\u{1b}`): user input in a message cannot
/// drive the terminal either.
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && c != '\n' && c != '\t' {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// A byte range of `line` of at most [`WINDOW`] characters that starts [`LEAD`] characters
/// before `start` (on character boundaries).
fn window(line: &str, start: usize) -> (usize, usize) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let at = chars.partition_point(|(i, _)| *i < start);
    let first = at.saturating_sub(LEAD);
    let last = (first + WINDOW).min(chars.len());
    let first = last.saturating_sub(WINDOW).min(first);
    let lo = chars.get(first).map_or(line.len(), |(i, _)| *i);
    let hi = chars.get(last).map_or(line.len(), |(i, _)| *i);
    (lo, hi)
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self
            .source
            .read_span(span, context_lines_before, context_lines_after)?;
        match self.primary {
            // The header's line and column are those of the real file.
            Some((primary, line, column))
                if primary == *span && context_lines_before == 0 && context_lines_after == 0 =>
            {
                Ok(Box::new(MietteSpanContents::new_named(
                    self.source.name().to_string(),
                    contents.data(),
                    *contents.span(),
                    line,
                    column,
                    contents.line_count(),
                )))
            }
            _ => Ok(contents),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_cannot_reach_the_terminal() {
        let text = "a\u{1b}[2Jb\u{9b}c\td\n";
        assert_eq!(visible(text), "a?[2Jb¿c\td\n");
        assert_eq!(visible(text).len(), text.len());
        assert_eq!(escaped("x\u{1b}]0;owned\u{7}"), "x\\u{1b}]0;owned\\u{7}");
    }

    #[test]
    fn short_lines_are_kept_and_long_ones_cut_around_the_span() {
        let f = SourceFile::new("a", "x\nyy\n".to_string());
        let s = Snippet::new(&f, &[(2, 3)]);
        assert_eq!(s.offset(2), 2);

        let long = format!("a\n{}ERROR{}\nb\n", "x".repeat(10_000), "y".repeat(10_000));
        let f = SourceFile::new("big", long);
        let s = Snippet::new(&f, &[(10_002, 10_007)]);
        let text = s.source.inner();
        assert!(text.len() < 400, "{} bytes", text.len());
        assert!(text.starts_with("a\n…"), "{text}");
        let at = s.offset(10_002);
        assert_eq!(&text[at..at + 5], "ERROR");
        assert_eq!(s.primary.map(|p| (p.1, p.2)), Some((1, 10_000)));
    }

    #[test]
    fn a_large_file_of_short_lines_gives_miette_its_shown_lines_only() {
        // 20,000 short lines (about 200 KB): the stand-in keeps lines 9,999 to 10,001 and empty
        // lines before them, never the whole text.
        let text: String = (0..20_000)
            .map(|i| format!("line {i:05} of text\n"))
            .collect();
        let at = text.find("line 10000").unwrap();
        let f = SourceFile::new("large", text.clone());
        let s = Snippet::new(&f, &[(at, at + 10)]);
        let inner = s.source.inner();
        assert!(inner.len() < 10_200, "{} bytes", inner.len());
        assert_eq!(inner.lines().count(), 10_002);
        let o = s.offset(at);
        assert_eq!(&inner[o..o + 10], "line 10000");
        assert!(inner.contains("line 09999 of text\nline 10000 of text\nline 10001 of text"));
        assert!(!inner.contains("line 09998"));
        // A small file is still given whole.
        let small = SourceFile::new("small", text[..2_000].to_string());
        let s = Snippet::new(&small, &[(40, 44)]);
        assert_eq!(s.source.inner().len(), 2_000);
    }
}

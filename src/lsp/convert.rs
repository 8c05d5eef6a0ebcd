//! Between accord's byte spans, paths and diagnostics and the protocol's positions (UTF-16 code
//! units, 0-based), URIs and diagnostics.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types as lsp;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Span;

use super::workspace::PackState;

/// Line starts of a text, for offset <-> position conversion.
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    pub fn position(&self, offset: usize) -> lsp::Position {
        let offset = offset.min(self.text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let character = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.encode_utf16().count());
        lsp::Position::new(line as u32, character as u32)
    }

    pub fn range(&self, start: usize, end: usize) -> lsp::Range {
        lsp::Range::new(self.position(start), self.position(end))
    }

    /// The byte offset of a position (clamped to its line, and to the text).
    pub fn offset(&self, position: lsp::Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .map_or(self.text.len(), |e| e - 1);
        let mut units = 0u32;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= position.character {
                return start + i;
            }
            units += c.len_utf16() as u32;
        }
        end
    }
}

/// `file:///a/b%20c.policy` -> `/a/b c.policy`; `None` for other schemes.
pub fn uri_to_path(uri: &lsp::Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&rest[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    let mut path = String::from_utf8(out).ok()?;
    // `file:///C:/x` on Windows.
    if path.len() > 2 && path.as_bytes()[2] == b':' {
        path.remove(0);
    }
    Some(PathBuf::from(path))
}

/// A path as a `file://` URI, percent-encoding what RFC 3986 does not allow in a path.
pub fn path_to_uri(path: &Path) -> Option<lsp::Uri> {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !s.starts_with('/') {
        out.push('/');
    }
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:@!$&'()*+,;=".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    lsp::Uri::from_str(&out).ok()
}

fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
    }
}

/// A span as a protocol location in the pack's files.
pub fn location(pack: &PackState, span: Span) -> Option<lsp::Location> {
    let file = pack.files.get(span.file.0 as usize)?;
    let lines = Lines::new(&file.text);
    Some(lsp::Location::new(
        path_to_uri(&file.path)?,
        lines.range(span.start as usize, span.end as usize),
    ))
}

/// One diagnostic for the editor: the same code, message and span as `accord check --format
/// json`; the hint follows the message on its own line (`help: ...`), as the text output
/// prints it, and secondary labels are related information.
pub fn diagnostic(pack: &PackState, d: &Diagnostic) -> lsp::Diagnostic {
    let range = d
        .span
        .and_then(|s| {
            let f = pack.files.get(s.file.0 as usize)?;
            Some(Lines::new(&f.text).range(s.start as usize, s.end as usize))
        })
        .unwrap_or_default();
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .filter_map(|l| {
            Some(lsp::DiagnosticRelatedInformation {
                location: location(pack, l.span)?,
                message: l.message.clone(),
            })
        })
        .collect();
    lsp::Diagnostic {
        range,
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.clone())),
        code_description: None,
        source: Some("accord".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "ab\n\u{e9}\u{1F600}x\n";
        let lines = Lines::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(lines.position(x), lsp::Position::new(1, 3));
        assert_eq!(lines.offset(lsp::Position::new(1, 3)), x);
        assert_eq!(lines.offset(lsp::Position::new(0, 99)), 2);
        assert_eq!(lines.offset(lsp::Position::new(9, 0)), text.len());
    }

    #[test]
    fn uris_round_trip() {
        let p = PathBuf::from("/tmp/my pack/a#1.policy");
        let uri = path_to_uri(&p).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/my%20pack/a%231.policy");
        assert_eq!(uri_to_path(&uri), Some(p));
    }
}

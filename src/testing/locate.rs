//! Where things are in a test file's text.
//!
//! The YAML library gives positions for syntax errors only, not for the values it returns, so
//! cases, keys and values are found again in the text: the items of the top-level `cases:` list
//! by their indentation, the entries of `requests:` by their keys, and a value by searching its
//! text from its key on, inside the lines of the case (or base request) it belongs to. Every
//! lookup falls back to something coarser (the case's first line) rather than failing.

use std::ops::Range;

/// A test file's lines, for lookups.
pub(crate) struct Layout<'t> {
    text: &'t str,
    /// Byte offset of every line start.
    starts: Vec<usize>,
}

/// A range of 0-based line indexes.
pub(crate) type Lines = Range<usize>;

impl<'t> Layout<'t> {
    pub fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        if starts.last() == Some(&text.len()) && text.ends_with('\n') {
            starts.pop();
        }
        Layout { text, starts }
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// The byte offset where a line starts (the end of the text past the last line).
    pub fn offset(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.text.len())
    }

    /// A line without its line break.
    pub fn line(&self, line: usize) -> &'t str {
        let start = self.offset(line);
        let end = self.offset(line + 1).min(self.text.len());
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }

    /// The byte offset of a 1-based line and column, as YAML errors give them.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let start = self.offset(line.saturating_sub(1));
        let text = self.line(line.saturating_sub(1));
        let within: usize = text
            .chars()
            .take(column.saturating_sub(1))
            .map(char::len_utf8)
            .sum();
        start + within
    }

    fn indent(&self, line: usize) -> usize {
        let l = self.line(line);
        l.len() - l.trim_start_matches(' ').len()
    }

    /// Blank lines and comments hold no YAML.
    fn is_blank(&self, line: usize) -> bool {
        let t = self.line(line).trim_start();
        t.is_empty() || t.starts_with('#')
    }

    /// The line of a top-level `key:`.
    pub fn top_key(&self, key: &str) -> Option<usize> {
        (0..self.len()).find(|&i| key_of(self.line(i)).is_some_and(|k| k == key))
    }

    /// The lines of a top-level section: after its key, up to the next top-level key.
    pub fn section(&self, key_line: usize) -> Lines {
        let end = (key_line + 1..self.len())
            .find(|&i| {
                let l = self.line(i);
                !self.is_blank(i) && !l.starts_with([' ', '-', '\t']) && !l.starts_with("...")
            })
            .unwrap_or(self.len());
        key_line + 1..end
    }

    /// The first line of every item of a block sequence: the lines that start with `- ` at the
    /// indentation of the first item. Empty for a flow sequence (`[...]`).
    pub fn sequence_items(&self, lines: Lines) -> Vec<usize> {
        let Some(first) = lines
            .clone()
            .find(|&i| !self.is_blank(i) && is_item(self.line(i)))
        else {
            return Vec::new();
        };
        let indent = self.indent(first);
        lines
            .filter(|&i| self.indent(i) == indent && is_item(self.line(i)))
            .collect()
    }

    /// The entries of a block mapping: `(key, line)` at the indentation of the first key.
    pub fn mapping_entries(&self, lines: Lines) -> Vec<(String, usize)> {
        let Some(first) = lines
            .clone()
            .find(|&i| !self.is_blank(i) && key_of(self.line(i).trim_start()).is_some())
        else {
            return Vec::new();
        };
        let indent = self.indent(first);
        lines
            .filter(|&i| self.indent(i) == indent && !self.is_blank(i))
            .filter_map(|i| key_of(self.line(i).trim_start()).map(|k| (k, i)))
            .collect()
    }

    /// Splits `lines` at the given starts: each start up to the next (the last to the end).
    pub fn blocks(starts: &[usize], lines: &Lines) -> Vec<Lines> {
        starts
            .iter()
            .enumerate()
            .map(|(n, &s)| s..starts.get(n + 1).copied().unwrap_or(lines.end))
            .collect()
    }

    /// The first line in `lines` that holds `text`.
    pub fn line_holding(&self, lines: Lines, text: &str) -> Option<usize> {
        lines.into_iter().find(|&i| self.line(i).contains(text))
    }

    /// The byte range of `key:` in `lines` (the first one).
    pub fn key(&self, lines: &Lines, key: &str) -> Option<Range<usize>> {
        let text = self
            .text
            .get(self.offset(lines.start)..self.offset(lines.end))?;
        let base = self.offset(lines.start);
        find_word(text, key, |rest| rest.trim_start().starts_with(':'))
            .map(|r| base + r.start..base + r.end)
    }

    /// The byte range of `value` in `lines`, searched from `key:` when given (and found), else
    /// from the start; a quoted occurrence is preferred.
    pub fn value(&self, lines: &Lines, key: Option<&str>, value: &str) -> Option<Range<usize>> {
        if value.is_empty() {
            return None;
        }
        let from = key
            .and_then(|k| self.key(lines, k))
            .map_or(self.offset(lines.start), |r| r.end);
        let end = self.offset(lines.end).max(from);
        let text = self.text.get(from..end)?;
        for quote in ['"', '\''] {
            let quoted = format!("{quote}{value}{quote}");
            if let Some(at) = text.find(&quoted) {
                return Some(from + at + 1..from + at + 1 + value.len());
            }
        }
        find_word(text, value, |_| true).map(|r| from + r.start..from + r.end)
    }
}

fn is_item(line: &str) -> bool {
    let t = line.trim_start();
    t == "-" || t.starts_with("- ")
}

/// The key of a `key: value` (or `- key: value`) line, unquoted.
fn key_of(line: &str) -> Option<String> {
    let t = line.strip_prefix("- ").unwrap_or(line).trim_start();
    if t.is_empty() || t.starts_with('#') || t.starts_with(['-', '{', '[']) {
        return None;
    }
    let (key, rest) = match t.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let close = t[1..].find(q)? + 1;
            (t[1..close].to_string(), &t[close + 1..])
        }
        _ => {
            let colon = t.find(": ").or_else(|| t.strip_suffix(':').map(str::len))?;
            (t[..colon].trim_end().to_string(), &t[colon..])
        }
    };
    rest.trim_start().starts_with(':').then_some(key)
}

/// The first occurrence of `word` not inside a longer word, for which `after` holds on the text
/// that follows it.
fn find_word(text: &str, word: &str, after: impl Fn(&str) -> bool) -> Option<Range<usize>> {
    let inside = |c: char| c.is_alphanumeric() || matches!(c, '_' | '@' | '.');
    let mut from = 0;
    while let Some(at) = text.get(from..)?.find(word) {
        let start = from + at;
        let end = start + word.len();
        let before_ok = text[..start].chars().next_back().is_none_or(|c| !inside(c));
        let after_ok = text[end..].chars().next().is_none_or(|c| !inside(c));
        if before_ok && after_ok && after(&text[end..]) {
            return Some(start..end);
        }
        from = start + word.len().max(1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
# comment
requests:
  base one:
    user: { name: a@b.com }
  \"base: two\":
    app: teams

cases:
- name: first
  request: { app: sharepoint }
  expect: allow
- name: second
  applied: [\"Require MFA\", Other]
  expect: block
";

    #[test]
    fn sections_items_and_entries() {
        let l = Layout::new(FILE);
        let cases = l.top_key("cases").unwrap();
        assert_eq!(cases, 7);
        let section = l.section(cases);
        assert_eq!(l.sequence_items(section.clone()), vec![8, 11]);
        let requests = l.section(l.top_key("requests").unwrap());
        assert_eq!(requests, 2..7);
        assert_eq!(
            l.mapping_entries(requests),
            vec![("base one".to_string(), 2), ("base: two".to_string(), 4)]
        );
        let blocks = Layout::blocks(&[8, 11], &section);
        assert_eq!(blocks, vec![8..11, 11..14]);
    }

    #[test]
    fn values_are_found_after_their_key() {
        let l = Layout::new(FILE);
        let second = 11..14;
        let r = l.value(&second, Some("applied"), "Require MFA").unwrap();
        assert_eq!(&FILE[r], "Require MFA");
        let r = l.value(&second, Some("applied"), "Other").unwrap();
        assert_eq!(&FILE[r], "Other");
        let r = l.key(&(8..11), "expect").unwrap();
        assert_eq!(l.offset_of(11, 3), r.start);
        // `app` inside `applied` is not the key `app`.
        assert_eq!(l.key(&second, "app"), None);
    }
}

//! Where things were written: the order of a block's statements, the statements the model
//! keeps no span for, and the extent of blocks the model keeps no span for.

use super::doc::{Node, Range};
use crate::syntax::Comment;

/// The source of the file printed (empty for a model without source).
#[derive(Clone, Copy)]
pub(super) struct Source<'a> {
    pub text: &'a str,
    pub comments: &'a [Comment],
}

impl<'a> Source<'a> {
    /// A block's statements in source order, each with the range it was written at.
    ///
    /// A statement whose position is unknown (and cannot be found) stays right after the one
    /// listed before it, or first, so that a second run puts it at the same place and the
    /// output is a fixed point. A model built by a program has no positions at all, so its
    /// statements keep the order the builders list them in.
    pub fn ordered<'n>(
        &self,
        children: &'n [Node],
        parent: Option<Range>,
    ) -> Vec<(&'n Node, Option<Range>)> {
        let mut key = parent.map_or(0, |p| p.start);
        let mut keyed: Vec<(usize, &'n Node, Option<Range>)> = Vec::with_capacity(children.len());
        for child in children {
            let range = child.range.or_else(|| {
                let (keyword, tokens) = child.found_by?;
                self.locate(parent?, keyword, tokens)
            });
            if let Some(r) = range {
                key = r.start;
            }
            keyed.push((key, child, range));
        }
        keyed.sort_by_key(|(k, _, _)| *k);
        keyed.into_iter().map(|(_, n, r)| (n, r)).collect()
    }

    /// The last statement of the block at `within` that starts with `keyword`, spanning
    /// `tokens` tokens (the block's head, up to its `{`, is not searched).
    fn locate(&self, within: Range, keyword: &str, tokens: usize) -> Option<Range> {
        let all = self.tokens(within);
        let body = all.iter().position(|&(s, e)| self.is(s, e, "{"))? + 1;
        let all = all.get(body..)?;
        let at = all.iter().rposition(|&(s, e)| self.is(s, e, keyword))?;
        let last = all.get(at + tokens.max(1) - 1)?;
        Some(Range {
            start: all.get(at)?.0,
            end: last.1,
        })
    }

    fn is(&self, start: usize, end: usize, word: &str) -> bool {
        self.text.get(start..end) == Some(word)
    }

    /// The tokens in `within` as byte ranges: words, strings and single punctuation marks
    /// (blanks and comments skipped).
    fn tokens(&self, within: Range) -> Vec<(usize, usize)> {
        let bytes = self.text.as_bytes();
        let end = within.end.min(bytes.len());
        let word = |b: u8| b.is_ascii_alphanumeric() || b"_-.+".contains(&b);
        let mut found = Vec::new();
        let mut i = within.start;
        while i < end {
            let start = i;
            match bytes[i] {
                b' ' | b'\t' | b'\r' | b'\n' => {
                    i += 1;
                    continue;
                }
                b'#' => {
                    i = self.text[i..].find('\n').map_or(end, |n| i + n);
                    continue;
                }
                b'"' | b'\'' => i = string_end(bytes, i),
                b if word(b) => {
                    while i < end && word(bytes[i]) {
                        i += 1;
                    }
                }
                _ => i += 1,
            }
            found.push((start, i.min(end)));
        }
        found
    }

    /// The range of a block's statements widened to its `head {` and its `}` (over the blanks
    /// and comments between), so that comments next to the braces count as inside it.
    pub fn whole_block(&self, head: &str, r: Range) -> Range {
        let mut whole = r;
        let before = self.skip_back(r.start);
        if before > 0 && self.text.as_bytes().get(before - 1) == Some(&b'{') {
            let head_end = self.skip_back(before - 1);
            let head_start = head_end.saturating_sub(head.len());
            if self.text.get(head_start..head_end) == Some(head) {
                whole.start = head_start;
            }
        }
        let after = self.skip_forward(r.end);
        if self.text.as_bytes().get(after) == Some(&b'}') {
            whole.end = after + 1;
        }
        whole
    }

    /// The first position at or after `pos` that is neither a blank nor in a comment.
    fn skip_forward(&self, mut pos: usize) -> usize {
        let bytes = self.text.as_bytes();
        loop {
            while bytes.get(pos).is_some_and(u8::is_ascii_whitespace) {
                pos += 1;
            }
            let at = self
                .comments
                .binary_search_by_key(&pos, |c| c.span.start as usize);
            match at.ok().and_then(|i| self.comments.get(i)) {
                Some(c) => pos = c.span.end as usize,
                None => return pos,
            }
        }
    }

    /// The last position at or before `pos` that follows neither a blank nor a comment.
    fn skip_back(&self, mut pos: usize) -> usize {
        let bytes = self.text.as_bytes();
        loop {
            while pos > 0 && bytes.get(pos - 1).is_some_and(u8::is_ascii_whitespace) {
                pos -= 1;
            }
            let at = self
                .comments
                .binary_search_by_key(&pos, |c| c.span.end as usize);
            match at.ok().and_then(|i| self.comments.get(i)) {
                Some(c) => pos = c.span.start as usize,
                None => return pos,
            }
        }
    }
}

/// Index just past the string literal opened at `start` (`"` with escapes, `'` without).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
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

    fn texts(ordered: &[(&Node, Option<Range>)]) -> Vec<String> {
        ordered
            .iter()
            .map(|(n, _)| match &n.kind {
                super::super::doc::Kind::Line(t) => t.clone(),
                super::super::doc::Kind::Block { head, .. } => head.clone(),
            })
            .collect()
    }

    fn at(start: usize) -> Option<Range> {
        Some(Range {
            start,
            end: start + 1,
        })
    }

    #[test]
    fn statements_without_a_position_follow_their_builder_neighbour() {
        let source = Source {
            text: "",
            comments: &[],
        };
        let children = vec![
            Node::line("countries", at(30)),
            Node::line("unknown_countries", None),
            Node::line("trusted", at(10)),
        ];
        let ordered = source.ordered(&children, at(0));
        assert_eq!(
            texts(&ordered),
            ["trusted", "countries", "unknown_countries"]
        );
        let synthetic = vec![Node::line("z", None), Node::line("a", None)];
        assert_eq!(texts(&source.ordered(&synthetic, None)), ["z", "a"]);
    }

    #[test]
    fn keywords_are_found_in_the_body_only_outside_strings_and_comments() {
        let text = "location lookup { countries = [\"lookup\"] # lookup\n lookup = gps }";
        let source = Source {
            text,
            comments: &[],
        };
        let whole = Range {
            start: 0,
            end: text.len(),
        };
        let found = source.locate(whole, "lookup", 3);
        let start = text.rfind("lookup = gps").unwrap_or(0);
        assert_eq!(
            found,
            Some(Range {
                start,
                end: start + "lookup = gps".len()
            })
        );
    }
}

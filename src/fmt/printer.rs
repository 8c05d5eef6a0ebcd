//! Lays out the tree: breaks blocks, puts comments back by position, keeps blank lines.
//!
//! The printer walks the tree in output order, which is source order for a parsed file, with a
//! cursor into the file's comments. Before a statement it prints every comment written before
//! it: own-line comments on their own line at the current indentation, trailing comments at the
//! end of the line printed last (the one they followed). Comments written inside a block that
//! are still pending at its `}` are printed inside it.

use super::doc::{Kind, Layout, Node, Range};
use super::place::Source;
use crate::syntax::Comment;

/// The column limit for putting a block on one line (trailing comments do not count).
pub(super) const WIDTH: usize = 100;
const INDENT: &str = "  ";

/// One output line: `code` at `depth`, then an optional comment. Blank when both are empty.
#[derive(Debug, Clone, Default)]
struct Out {
    depth: usize,
    code: String,
    comment: Option<String>,
}

impl Out {
    fn is_blank(&self) -> bool {
        self.code.is_empty() && self.comment.is_none()
    }
}

pub(super) struct Printer<'a> {
    source: Source<'a>,
    /// The first comment not printed yet.
    next: usize,
    out: Vec<Out>,
    depth: usize,
    /// Where the last printed thing ended in the source (blank lines are looked for after it).
    last_end: usize,
    /// A block was just opened: no blank line before its first line.
    fresh_block: bool,
    /// A new top-level item follows: separate it (or its comments) by one blank line.
    force_blank: bool,
}

impl<'a> Printer<'a> {
    /// `text` and `comments` are those of the file printed (empty for a model without source).
    pub fn new(text: &'a str, comments: &'a [Comment]) -> Self {
        Printer {
            source: Source { text, comments },
            next: 0,
            out: Vec::new(),
            depth: 0,
            last_end: 0,
            fresh_block: false,
            force_blank: false,
        }
    }

    /// Prints top-level items, one blank line apart, then the comments left at the end.
    pub fn items(mut self, items: &[Node]) -> String {
        for (i, item) in items.iter().enumerate() {
            self.force_blank = i > 0;
            self.node(item, item.range);
        }
        self.force_blank = false;
        self.flush_before(self.source.text.len());
        self.render()
    }

    /// Prints a node written at `range` (its own, or where its block found it).
    fn node(&mut self, node: &Node, range: Option<Range>) {
        let range = match (&node.kind, range) {
            (Kind::Block { head, .. }, Some(r)) if node.open_end => {
                Some(self.source.whole_block(head, r))
            }
            (_, other) => other,
        };
        match &node.kind {
            Kind::Line(text) => self.statement(text.clone(), range),
            Kind::Block { head, children, .. } => {
                let children = self.source.ordered(children, range);
                match self.one_line(node, &children, range) {
                    Some(text) => self.statement(text, range),
                    None => self.multi_line(head, &children, range),
                }
            }
        }
    }

    /// The one-line form of a block, when its layout allows it, it holds no block and no
    /// comment, and it fits in [`WIDTH`] at the current indentation.
    fn one_line(
        &self,
        node: &Node,
        children: &[(&Node, Option<Range>)],
        range: Option<Range>,
    ) -> Option<String> {
        let Kind::Block { head, layout, .. } = &node.kind else {
            return None;
        };
        if range.is_some_and(|r| self.has_comment_in(r)) {
            return None;
        }
        if children.is_empty() {
            return Some(format!("{head} {{}}"));
        }
        let single_ok = *layout == Layout::FitSingle && children.len() == 1;
        if !(*layout == Layout::Fit || single_ok) {
            return None;
        }
        let mut parts = Vec::with_capacity(children.len());
        for (child, _) in children {
            match &child.kind {
                Kind::Line(text) => parts.push(text.as_str()),
                Kind::Block { .. } => return None,
            }
        }
        let text = format!("{head} {{ {} }}", parts.join("  "));
        let width = self.depth * INDENT.len() + text.chars().count();
        (width <= WIDTH).then_some(text)
    }

    fn multi_line(
        &mut self,
        head: &str,
        children: &[(&Node, Option<Range>)],
        range: Option<Range>,
    ) {
        if let Some(r) = range {
            self.flush_before(r.start);
        }
        self.separate(range.map(|r| r.start));
        self.push(format!("{head} {{"), None);
        if let Some(r) = range {
            // Blank lines before the block were dealt with: look for them inside it from now on.
            self.last_end = self.last_end.max(r.start);
        }
        self.depth += 1;
        self.fresh_block = true;
        for (child, child_range) in children {
            self.node(child, *child_range);
        }
        if let Some(r) = range {
            self.flush_before(r.end);
        }
        self.depth -= 1;
        self.push("}".to_string(), None);
        if let Some(r) = range {
            self.last_end = self.last_end.max(r.end);
            self.trailing_after(r.end);
        }
    }

    /// One statement line. Comments written inside it (a list broken over lines) go before it,
    /// except a single trailing one when the line has no trailing comment of its own.
    fn statement(&mut self, text: String, range: Option<Range>) {
        let Some(r) = range else {
            self.separate(None);
            self.push(text, None);
            return;
        };
        self.flush_before(r.start);
        let inner = self.take_before(r.end);
        let own_trailing = self.trailing_comment_after(r.end).is_some();
        self.separate(Some(r.start));
        let trailing = match inner {
            [only] if !only.own_line && !own_trailing => Some(only.text.clone()),
            _ => {
                for c in inner {
                    self.push(String::new(), Some(c.text.clone()));
                }
                None
            }
        };
        self.push(text, trailing);
        self.last_end = self.last_end.max(r.end);
        self.trailing_after(r.end);
    }

    /// The pending comment that trails a line ending at `end` in the source: on the same line,
    /// with nothing but blanks between (or the `]` or `)` of a list, since a statement's range
    /// may stop at its last value).
    fn trailing_comment_after(&self, end: usize) -> Option<&'a Comment> {
        let comments: &'a [Comment] = self.source.comments;
        let c = comments.get(self.next)?;
        let between = self.source.text.get(end..c.span.start as usize)?;
        let trails = !c.own_line && between.bytes().all(|b| b" \t])".contains(&b));
        trails.then_some(c)
    }

    /// Attaches the comment that trails the line just printed right away: the next statement
    /// might not flush it (a block's `}`, a statement found late) and would take it as its own.
    fn trailing_after(&mut self, end: usize) {
        let free = self.out.last().is_some_and(|o| o.comment.is_none());
        if let (Some(c), true) = (self.trailing_comment_after(end), free) {
            self.next += 1;
            self.attach(c);
            self.last_end = self.last_end.max(c.span.end as usize);
        }
    }

    /// Prints the pending comments that start before `pos`.
    fn flush_before(&mut self, pos: usize) {
        for c in self.take_before(pos) {
            if c.own_line {
                self.separate(Some(c.span.start as usize));
                self.push(String::new(), Some(c.text.clone()));
            } else {
                self.attach(c);
            }
            self.last_end = self.last_end.max(c.span.end as usize);
        }
    }

    /// The pending comments that start before `pos`, marked printed.
    fn take_before(&mut self, pos: usize) -> &'a [Comment] {
        let comments: &'a [Comment] = self.source.comments;
        let rest = comments.get(self.next..).unwrap_or(&[]);
        let n = rest.partition_point(|c| (c.span.start as usize) < pos);
        self.next += n;
        rest.get(..n).unwrap_or(&[])
    }

    /// A trailing comment goes at the end of the last printed line; when that line already has
    /// one (or there is none), on a line of its own.
    fn attach(&mut self, comment: &Comment) {
        let last = self.out.iter_mut().rev().find(|o| !o.is_blank());
        match last {
            Some(line) if line.comment.is_none() && !line.code.is_empty() => {
                line.comment = Some(comment.text.clone());
            }
            _ => self.push(String::new(), Some(comment.text.clone())),
        }
    }

    fn has_comment_in(&self, r: Range) -> bool {
        let first = self
            .source
            .comments
            .partition_point(|c| (c.span.start as usize) < r.start);
        self.source
            .comments
            .get(first)
            .is_some_and(|c| (c.span.start as usize) < r.end)
    }

    /// Before a line that starts at `start` in the source: one blank line between top-level
    /// items, and one where the source had at least one (never right after `{`).
    fn separate(&mut self, start: Option<usize>) {
        let blank = !self.out.is_empty()
            && (self.force_blank
                || (!self.fresh_block && start.is_some_and(|s| self.blank_in_source(s))));
        self.force_blank = false;
        self.fresh_block = false;
        if blank && self.out.last().is_some_and(|o| !o.is_blank()) {
            self.out.push(Out::default());
        }
    }

    fn blank_in_source(&self, start: usize) -> bool {
        let Some(between) = self.source.text.get(self.last_end..start) else {
            return false;
        };
        let mut newlines = 0;
        for c in between.chars() {
            match c {
                '\n' => newlines += 1,
                c if c.is_whitespace() => {}
                _ => newlines = 0,
            }
            if newlines >= 2 {
                return true;
            }
        }
        false
    }

    fn push(&mut self, code: String, comment: Option<String>) {
        self.fresh_block = false;
        self.out.push(Out {
            depth: self.depth,
            code,
            comment,
        });
    }

    fn render(&self) -> String {
        let mut s = String::new();
        for o in &self.out {
            if !o.is_blank() {
                s.push_str(&INDENT.repeat(o.depth));
            }
            s.push_str(&o.code);
            if let Some(c) = &o.comment {
                if !o.code.is_empty() {
                    s.push_str("  ");
                }
                s.push('#');
                s.push_str(c);
            }
            s.push('\n');
        }
        s
    }
}

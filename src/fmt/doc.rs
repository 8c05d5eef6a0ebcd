//! The layout tree: what to print, before deciding where lines break.
//!
//! Each item becomes a tree of statements (one line each) and blocks (`head { ... }`). The
//! printer decides whether a block fits on one line; the tree only says whether it may.

use crate::source::Span;

/// A source range, kept to put comments back and to order statements as they were written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Range {
    pub start: usize,
    pub end: usize,
}

impl Range {
    pub fn of(span: Span) -> Range {
        Range {
            start: span.start as usize,
            end: span.end as usize,
        }
    }

    /// The smallest range covering every span (none for no span).
    pub fn cover(spans: impl IntoIterator<Item = Span>) -> Option<Range> {
        spans.into_iter().map(Range::of).reduce(|a, b| Range {
            start: a.start.min(b.start),
            end: a.end.max(b.end),
        })
    }
}

/// When a block may print on one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    /// Never (policies, organizations, sharing: they read as documents).
    Multi,
    /// When it fits.
    Fit,
    /// When it fits and holds at most one statement (cross-tenant blocks read as tables).
    FitSingle,
}

#[derive(Debug, Clone)]
pub(super) enum Kind {
    Line(String),
    Block {
        head: String,
        layout: Layout,
        children: Vec<Node>,
    },
}

#[derive(Debug, Clone)]
pub(super) struct Node {
    pub kind: Kind,
    /// Where the statement was written; `None` when the model does not say.
    pub range: Option<Range>,
    /// The range ends at the last statement, not at the block's `}` (an `extension` block has
    /// no span of its own): the printer extends it to the braces.
    pub open_end: bool,
    /// For a statement the model keeps no span for: its keyword and how many tokens it has,
    /// so the printer can find it in its block's source.
    pub found_by: Option<(&'static str, usize)>,
}

impl Node {
    pub fn line(text: impl Into<String>, range: Option<Range>) -> Node {
        Node {
            kind: Kind::Line(text.into()),
            range,
            open_end: false,
            found_by: None,
        }
    }

    /// A block. Its statements print in source order (the printer sorts them); a model built
    /// by a program has no positions and prints in the order given here.
    pub fn block(
        head: impl Into<String>,
        layout: Layout,
        range: Option<Range>,
        children: Vec<Node>,
    ) -> Node {
        Node {
            kind: Kind::Block {
                head: head.into(),
                layout,
                children,
            },
            range,
            open_end: false,
            found_by: None,
        }
    }

    /// Marks the range as ending at the last statement (see [`Node::open_end`]).
    pub fn with_open_end(mut self) -> Node {
        self.open_end = true;
        self
    }

    /// Says how to find a statement without a span (see [`Node::found_by`]).
    pub fn found_by(mut self, keyword: &'static str, tokens: usize) -> Node {
        self.found_by = Some((keyword, tokens));
        self
    }
}

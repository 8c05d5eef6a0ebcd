//! Parsing device-filter rules: the only code that knows `grammar/device_filter.pest`.
//!
//! A rule travels inside a policy file as a string, so positions here are byte offsets within the
//! rule; the caller maps them into the file. Every problem found is returned, syntax first: a rule
//! that does not parse has no comparisons to check.

use pest::error::InputLocation;
use pest::iterators::Pair;
use pest::Parser;
use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::model::device_filter::{
    check_comparison, check_rule_length, Comparison, DeviceFilter, DeviceProperty, FilterOp,
    FilterPart, FilterProblem, FilterValue, MAX_RULE_CHARS,
};
use crate::source::Span;

mod grammar {
    // Kept private so `Rule` and `Pair` never reach a public signature.
    #[derive(pest_derive::Parser)]
    #[grammar = "../grammar/device_filter.pest"]
    pub(super) struct DeviceFilterParser;
}

use grammar::{DeviceFilterParser, Rule};

/// Deeper nesting is refused before parsing: a generous limit for a 3,072-character rule that keeps
/// the recursive parser, printer and evaluator far from the stack's end on any input.
pub const MAX_NESTING: usize = 32;

/// One problem in a rule, located by byte offsets within the rule text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilterError {
    pub start: usize,
    pub end: usize,
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
}

impl FilterError {
    fn syntax(start: usize, end: usize, message: String, help: Option<String>) -> Self {
        FilterError {
            start,
            end,
            code: "E0201",
            message,
            help,
        }
    }

    fn from_problem(problem: &FilterProblem, (start, end): (usize, usize)) -> Self {
        FilterError {
            start,
            end,
            code: problem.code(),
            message: problem.message(),
            help: problem.help(),
        }
    }

    /// The error as a diagnostic at `span`, the caller's mapping of `start..end` into its file.
    pub fn to_diagnostic(&self, span: Span) -> Diagnostic {
        let diagnostic = Diagnostic::error(self.code, self.message.clone()).at(span);
        match &self.help {
            Some(help) => diagnostic.help(help.clone()),
            None => diagnostic,
        }
    }
}

/// Parses and validates a device-filter rule, returning every problem found.
pub fn parse_device_filter(rule: &str) -> Result<DeviceFilter, Vec<FilterError>> {
    let mut errors = Vec::new();
    if let Some(problem) = check_rule_length(rule) {
        errors.push(FilterError::from_problem(&problem, excess_span(rule)));
    }
    if let Some(error) = check_structure(rule) {
        errors.push(error);
        return Err(errors);
    }
    let parsed = DeviceFilterParser::parse(Rule::filter, rule)
        .or_else(|_| super::with_error_detail(|| DeviceFilterParser::parse(Rule::filter, rule)));
    let filter = match parsed {
        Ok(mut pairs) => pairs
            .next()
            .and_then(|pair| lower_filter(pair, &mut errors)),
        Err(error) => {
            errors.push(describe_parse_error(rule, &error));
            None
        }
    };
    match filter {
        Some(filter) if errors.is_empty() => Ok(filter),
        _ => {
            if errors.is_empty() {
                errors.push(internal_error(
                    0,
                    rule.len(),
                    "the rule produced no expression",
                ));
            }
            Err(errors)
        }
    }
}

/// Points at the characters past the limit, which is what the author has to remove.
fn excess_span(rule: &str) -> (usize, usize) {
    let start = rule
        .char_indices()
        .nth(MAX_RULE_CHARS)
        .map_or(rule.len(), |(i, _)| i);
    (start, rule.len())
}

// ---------------------------------------------------------------------------------------------
// Structure: quotes and brackets, checked before pest so the message names the real culprit (pest
// would only say what it expected at the end of the rule).

fn check_structure(rule: &str) -> Option<FilterError> {
    let mut openers: Vec<(char, usize)> = Vec::new();
    let mut string_start: Option<usize> = None;
    let mut chars = rule.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if string_start.is_some() {
            match c {
                '\\' if matches!(chars.peek(), Some((_, '"' | '\\'))) => {
                    chars.next();
                }
                '"' => string_start = None,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => string_start = Some(i),
            '(' | '[' => {
                openers.push((c, i));
                if openers.len() > MAX_NESTING {
                    return Some(FilterError::syntax(
                        i,
                        i + 1,
                        format!("brackets are nested more than {MAX_NESTING} deep"),
                        Some("simplify the rule; accord refuses deeper nesting".into()),
                    ));
                }
            }
            ')' | ']' => {
                let expected_opener = if c == ')' { '(' } else { '[' };
                match openers.pop() {
                    Some((opener, _)) if opener == expected_opener => {}
                    Some((opener, at)) => return Some(mismatched(opener, at, c, i)),
                    None => {
                        return Some(FilterError::syntax(
                            i,
                            i + 1,
                            format!("unmatched `{c}`"),
                            Some(format!("remove it or add the opening `{expected_opener}`")),
                        ))
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(start) = string_start {
        return Some(FilterError::syntax(
            start,
            rule.len(),
            "unterminated string".into(),
            Some("close the string with `\"`; write `\\\"` for a quote inside it".into()),
        ));
    }
    openers.pop().map(|(opener, at)| {
        FilterError::syntax(
            at,
            at + 1,
            format!("unclosed `{opener}`"),
            Some(format!("add the closing `{}`", closer_of(opener))),
        )
    })
}

fn mismatched(opener: char, opener_at: usize, closer: char, at: usize) -> FilterError {
    FilterError::syntax(
        at,
        at + 1,
        format!("`{closer}` closes the `{opener}` at offset {opener_at}"),
        Some(format!("close it with `{}` first", closer_of(opener))),
    )
}

fn closer_of(opener: char) -> char {
    if opener == '(' {
        ')'
    } else {
        ']'
    }
}

// ---------------------------------------------------------------------------------------------
// Parse errors: pest names the rules it expected; say that in the rule's own vocabulary.

fn describe_parse_error(rule: &str, error: &pest::error::Error<Rule>) -> FilterError {
    let pos = match error.location {
        InputLocation::Pos(pos) => pos,
        InputLocation::Span((start, _)) => start,
    };
    let pos = pos.min(rule.len());
    let expected = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => expectations(positives),
        pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let found = token_at(rule, pos);
    let found_text = match found.as_str() {
        "" => "the end of the rule".to_string(),
        blank if blank.trim().is_empty() => "a space".to_string(),
        word => format!("`{word}`"),
    };
    let message = format!("expected {}, found {found_text}", expected_text(&expected));
    let help = parse_help(&found, &expected);
    FilterError::syntax(pos, pos + found.len(), message, help)
}

/// What the parser could have accepted at the error, in the order a rule is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Expected {
    Comparison,
    PropertyName,
    Operator,
    Value,
    Comma,
    ListEnd,
    And,
    Or,
    GroupEnd,
    End,
}

impl Expected {
    fn text(self) -> &'static str {
        match self {
            Expected::Comparison => "a comparison `device.<property> <operator> <value>`",
            Expected::PropertyName => "a property name",
            Expected::Operator => "an operator",
            Expected::Value => "a value",
            Expected::Comma => "`,`",
            Expected::ListEnd => "`]`",
            Expected::And => "`-and`",
            Expected::Or => "`-or`",
            Expected::GroupEnd => "`)`",
            Expected::End => "the end of the rule",
        }
    }
}

fn expectations(positives: &[Rule]) -> Vec<Expected> {
    let mut expected: Vec<Expected> = positives.iter().filter_map(|r| expected_of(*r)).collect();
    expected.sort_unstable();
    expected.dedup();
    expected
}

fn expected_of(rule: Rule) -> Option<Expected> {
    let expected = match rule {
        Rule::EOI => Expected::End,
        Rule::and_kw => Expected::And,
        Rule::or_kw => Expected::Or,
        Rule::group_end => Expected::GroupEnd,
        Rule::list_comma => Expected::Comma,
        Rule::list_end => Expected::ListEnd,
        Rule::op_eq
        | Rule::op_ne
        | Rule::op_starts_with
        | Rule::op_not_starts_with
        | Rule::op_ends_with
        | Rule::op_not_ends_with
        | Rule::op_contains
        | Rule::op_not_contains
        | Rule::op_in
        | Rule::op_not_in
        | Rule::operator => Expected::Operator,
        Rule::property
        | Rule::comparison
        | Rule::primary
        | Rule::group
        | Rule::or_expr
        | Rule::and_expr => Expected::Comparison,
        Rule::property_name => Expected::PropertyName,
        Rule::value | Rule::list | Rule::string | Rule::string_inner | Rule::boolean => {
            Expected::Value
        }
        Rule::filter | Rule::WHITESPACE | Rule::word_end => return None,
    };
    Some(expected)
}

fn expected_text(expected: &[Expected]) -> String {
    let texts: Vec<&str> = expected.iter().map(|e| e.text()).collect();
    match texts.as_slice() {
        [] => Expected::Comparison.text().to_string(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Advice for the mistakes people make most, judged by what would have fitted where they made it.
fn parse_help(found: &str, expected: &[Expected]) -> Option<String> {
    let lower = found.to_ascii_lowercase();
    if expected.contains(&Expected::Operator) {
        return operator_help(found, &lower);
    }
    if expected.contains(&Expected::And) {
        if lower == "and" || lower == "or" {
            return Some(format!("combinators start with a dash: `-{lower}`"));
        }
        return Some("join comparisons with `-and` or `-or`".into());
    }
    if expected.contains(&Expected::Value) {
        return value_help(found, &lower);
    }
    if expected.contains(&Expected::Comma) {
        return Some("separate list items with `,`".into());
    }
    if expected.contains(&Expected::Comparison) || expected.contains(&Expected::PropertyName) {
        return Some("a comparison looks like `device.isCompliant -eq True`".into());
    }
    None
}

fn operator_help(found: &str, lower: &str) -> Option<String> {
    let ops = FilterOp::ALL.map(FilterOp::token);
    if let Some(op) = FilterOp::from_token(&format!("-{lower}")) {
        return Some(format!("operators start with a dash: `{op}`"));
    }
    let listed = || {
        format!(
            "the operators are {}",
            ops.map(|op| format!("`{op}`")).join(", ")
        )
    };
    if found.starts_with('-') {
        return crate::diagnostic::did_you_mean(found, ops).or_else(|| Some(listed()));
    }
    Some(listed())
}

fn value_help(found: &str, lower: &str) -> Option<String> {
    if found.starts_with('\'') {
        return Some("quote strings with `\"`".into());
    }
    if lower == "true" || lower == "false" {
        return Some("a list holds quoted strings only".into());
    }
    if found.trim().is_empty() || "()[],".contains(found) {
        return Some(
            "values are quoted strings, `True`/`False`, or lists like `[\"a\", \"b\"]`".into(),
        );
    }
    Some(format!("quote the value: `\"{found}\"`"))
}

/// The token at `pos`: a whole quoted string, a word (up to a space or bracket), or the single
/// delimiter there. Capped so a message never quotes half the rule.
fn token_at(rule: &str, pos: usize) -> String {
    const MAX_CHARS: usize = 40;
    let rest = rule.get(pos..).unwrap_or("");
    if let Some(body) = rest.strip_prefix('"') {
        let mut escaped = false;
        let end = body.char_indices().find(|&(_, c)| {
            let closes = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            closes
        });
        let len = end.map_or(rest.len(), |(i, _)| i + 2);
        return rest
            .get(..len)
            .unwrap_or(rest)
            .chars()
            .take(MAX_CHARS)
            .collect();
    }
    let is_delimiter = |c: char| c.is_whitespace() || "()[],\"".contains(c);
    let word: String = rest
        .chars()
        .take_while(|c| !is_delimiter(*c))
        .take(MAX_CHARS)
        .collect();
    if word.is_empty() {
        rest.chars().next().map(String::from).unwrap_or_default()
    } else {
        word
    }
}

fn internal_error(start: usize, end: usize, what: &str) -> FilterError {
    FilterError::syntax(
        start,
        end,
        format!("internal parser error: {what}"),
        Some("this is a bug in accord; please report it with the rule".into()),
    )
}

fn unexpected(pair: &Pair<'_, Rule>) -> FilterError {
    let span = pair.as_span();
    internal_error(
        span.start(),
        span.end(),
        &format!("unexpected grammar rule `{:?}`", pair.as_rule()),
    )
}

// ---------------------------------------------------------------------------------------------
// Lowering: one function per grammar rule. Each returns `None` after recording why, and keeps
// going through sibling comparisons so every validation problem is reported at once.

fn lower_filter(pair: Pair<'_, Rule>, errors: &mut Vec<FilterError>) -> Option<DeviceFilter> {
    let span = pair.as_span();
    match pair.into_inner().find(|p| p.as_rule() == Rule::or_expr) {
        Some(expr) => lower_or(expr, errors),
        None => {
            errors.push(internal_error(
                span.start(),
                span.end(),
                "no expression in the rule",
            ));
            None
        }
    }
}

fn lower_or(pair: Pair<'_, Rule>, errors: &mut Vec<FilterError>) -> Option<DeviceFilter> {
    let operands = pair
        .into_inner()
        .filter(|p| p.as_rule() != Rule::or_kw)
        .map(|p| match p.as_rule() {
            Rule::and_expr => lower_and(p, errors),
            _ => record(errors, unexpected(&p)),
        })
        .collect();
    combine(operands, DeviceFilter::Or)
}

fn lower_and(pair: Pair<'_, Rule>, errors: &mut Vec<FilterError>) -> Option<DeviceFilter> {
    let operands = pair
        .into_inner()
        .filter(|p| p.as_rule() != Rule::and_kw)
        .map(|p| match p.as_rule() {
            Rule::group => lower_group(p, errors),
            Rule::comparison => lower_comparison(p, errors),
            _ => record(errors, unexpected(&p)),
        })
        .collect();
    combine(operands, DeviceFilter::And)
}

/// A single operand is the expression itself: `-and`/`-or` nodes always have two or more.
fn combine(
    operands: Vec<Option<DeviceFilter>>,
    build: fn(Vec<DeviceFilter>) -> DeviceFilter,
) -> Option<DeviceFilter> {
    let mut operands: Vec<DeviceFilter> = operands.into_iter().collect::<Option<_>>()?;
    if operands.len() == 1 {
        operands.pop()
    } else {
        Some(build(operands))
    }
}

fn lower_group(pair: Pair<'_, Rule>, errors: &mut Vec<FilterError>) -> Option<DeviceFilter> {
    let span = pair.as_span();
    match pair.into_inner().next() {
        Some(inner) if inner.as_rule() == Rule::or_expr => lower_or(inner, errors),
        Some(inner) => record(errors, unexpected(&inner)),
        None => record(
            errors,
            internal_error(span.start(), span.end(), "empty parentheses"),
        ),
    }
}

fn record<T>(errors: &mut Vec<FilterError>, error: FilterError) -> Option<T> {
    errors.push(error);
    None
}

/// Where each part of a comparison is, for pointing validation problems at it.
struct ComparisonSpans {
    property: (usize, usize),
    operator: (usize, usize),
    value: (usize, usize),
    items: Vec<(usize, usize)>,
    whole: (usize, usize),
}

impl ComparisonSpans {
    fn of(&self, part: FilterPart) -> (usize, usize) {
        match part {
            FilterPart::Property => self.property,
            FilterPart::Operator => self.operator,
            FilterPart::Value => self.value,
            FilterPart::ListItem(i) => self.items.get(i).copied().unwrap_or(self.value),
            FilterPart::Rule => self.whole,
        }
    }
}

fn lower_comparison(pair: Pair<'_, Rule>, errors: &mut Vec<FilterError>) -> Option<DeviceFilter> {
    let whole = span_of(&pair);
    let mut inner = pair.into_inner();
    let (Some(property), Some(operator), Some(value)) = (inner.next(), inner.next(), inner.next())
    else {
        return record(
            errors,
            internal_error(whole.0, whole.1, "a comparison without three parts"),
        );
    };
    let property_span = span_of(&property);
    let operator_span = span_of(&operator);
    let value_span = span_of(&value);
    let property = lower_property(property, errors);
    let op = lower_operator(&operator, errors);
    let (value, items) = lower_value(value, errors)?;
    let comparison = Comparison {
        property: property?,
        op: op?,
        value,
    };
    let spans = ComparisonSpans {
        property: property_span,
        operator: operator_span,
        value: value_span,
        items,
        whole,
    };
    let problems = check_comparison(&comparison);
    if problems.is_empty() {
        return Some(DeviceFilter::Comparison(comparison));
    }
    errors.extend(
        problems
            .iter()
            .map(|p| FilterError::from_problem(p, spans.of(p.part()))),
    );
    None
}

fn span_of(pair: &Pair<'_, Rule>) -> (usize, usize) {
    (pair.as_span().start(), pair.as_span().end())
}

/// Points an unknown name at the name itself, not at the `device.` before it.
fn lower_property(pair: Pair<'_, Rule>, errors: &mut Vec<FilterError>) -> Option<DeviceProperty> {
    let whole = span_of(&pair);
    let Some(name) = pair
        .into_inner()
        .find(|p| p.as_rule() == Rule::property_name)
    else {
        return record(
            errors,
            internal_error(whole.0, whole.1, "a property without a name"),
        );
    };
    let text = name.as_str();
    match DeviceProperty::from_name(text) {
        Some(property) => Some(property),
        None => {
            let problem = FilterProblem::UnknownProperty {
                name: text.to_string(),
            };
            record(errors, FilterError::from_problem(&problem, span_of(&name)))
        }
    }
}

fn lower_operator(pair: &Pair<'_, Rule>, errors: &mut Vec<FilterError>) -> Option<FilterOp> {
    let op = match pair.as_rule() {
        Rule::op_eq => FilterOp::Eq,
        Rule::op_ne => FilterOp::Ne,
        Rule::op_starts_with => FilterOp::StartsWith,
        Rule::op_not_starts_with => FilterOp::NotStartsWith,
        Rule::op_ends_with => FilterOp::EndsWith,
        Rule::op_not_ends_with => FilterOp::NotEndsWith,
        Rule::op_contains => FilterOp::Contains,
        Rule::op_not_contains => FilterOp::NotContains,
        Rule::op_in => FilterOp::In,
        Rule::op_not_in => FilterOp::NotIn,
        _ => return record(errors, unexpected(pair)),
    };
    Some(op)
}

/// The value, and for a list the span of each item (for pointing at a bad one).
fn lower_value(
    pair: Pair<'_, Rule>,
    errors: &mut Vec<FilterError>,
) -> Option<(FilterValue, Vec<(usize, usize)>)> {
    match pair.as_rule() {
        Rule::string => Some((FilterValue::String(lower_string(&pair)), Vec::new())),
        Rule::boolean => {
            let value = pair.as_str().eq_ignore_ascii_case("true");
            Some((FilterValue::Bool(value), Vec::new()))
        }
        Rule::list => {
            let strings: Vec<Pair<'_, Rule>> = pair
                .into_inner()
                .filter(|p| p.as_rule() == Rule::string)
                .collect();
            let spans = strings.iter().map(span_of).collect();
            let items = strings.iter().map(lower_string).collect();
            Some((FilterValue::List(items), spans))
        }
        _ => record(errors, unexpected(&pair)),
    }
}

/// Undoes the two escapes the grammar knows, `\"` and `\\`; other backslashes are literal.
fn lower_string(pair: &Pair<'_, Rule>) -> String {
    let raw = pair.as_str();
    let inner = raw
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(raw);
    let mut text = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&next @ ('"' | '\\')) = chars.peek() {
                text.push(next);
                chars.next();
                continue;
            }
        }
        text.push(c);
    }
    text
}

#[cfg(test)]
mod tests;

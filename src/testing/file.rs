//! Reading a test file: base requests, cases and their expectations (the format is documented
//! in the parent module). Problems are diagnostics attached to the file (nothing can run), to a
//! request (every case built on it fails) or to a case.

use serde::Serialize;
use serde_json::{Map, Value};

use super::locate::{Layout, Lines};
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::eval::sharing::ShareRule;
use crate::model::request::RequestDoc;
use crate::source::{FileId, Span};

/// Invalid YAML, or not the shape of a test file.
pub(crate) const INVALID_FILE: &str = "E2101";
/// A request that cannot be read or completed: an unknown field or value (an unknown app...).
pub(crate) const INVALID_REQUEST: &str = "E2102";
/// `extends` names no base request and no case.
pub(crate) const UNKNOWN_BASE: &str = "E2103";
/// `extends` goes round in a circle.
pub(crate) const EXTENDS_CYCLE: &str = "E2104";
/// `applied` / `not_applied` names a policy the pack does not have.
pub(crate) const UNKNOWN_POLICY: &str = "E2105";
/// A request (or a requirement) names a tenant the pack does not declare.
pub(crate) const UNKNOWN_TENANT: &str = "E2106";
/// An expectation that cannot be checked: an unknown decision, rule or control.
pub(crate) const INVALID_EXPECTATION: &str = "E2107";
/// Two cases of one file with the same name.
pub(crate) const DUPLICATE_CASE: &str = "E2108";

const TOP_KEYS: [&str; 2] = ["requests", "cases"];
const CASE_KEYS: [&str; 15] = [
    "name",
    "extends",
    "request",
    "share",
    "chat",
    "meeting",
    "mail",
    "outbound",
    "workload",
    "expect",
    "requirements",
    "applied",
    "not_applied",
    "reason_contains",
    "rule",
];
const CONTROLS: [&str; 9] = [
    "mfa",
    "compliant_device",
    "hybrid_joined",
    "approved_app",
    "app_protection",
    "password_change",
    "terms_of_use",
    "auth_strength",
    "custom",
];

/// One parsed test file.
#[derive(Debug, Clone)]
pub struct TestFile {
    pub file: FileId,
    /// The file's name, as in the suite's sources.
    pub name: String,
    /// Problems of the whole file: when there is one, no case runs.
    pub diagnostics: Vec<Diagnostic>,
    pub cases: Vec<Case>,
    /// Base requests, then the request of every case (a case's `node` indexes this).
    pub(crate) nodes: Vec<Node>,
}

/// A named partial request: a base request or a case's.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub name: String,
    /// Where it is written, for finding values in it.
    pub lines: Lines,
    pub extends: Option<(String, Span)>,
    pub body: Body,
    pub problems: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
pub(crate) enum Body {
    /// Only `extends` (or nothing).
    Empty,
    Access(Box<RequestDoc>),
    /// The keys of a `share:`, `chat:` or `meeting:` request, merged key by key.
    Share(ShareKind, Map<String, Value>),
}

/// The requests decided allow or deny by a rule: `share:`, and Teams' `chat:` and `meeting:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ShareKind {
    Share,
    Chat,
    Meeting,
    /// Exchange mail flow: decided by an outcome (accepted, rejected...), not allow or deny.
    Mail,
    /// One of our users reaching another tenant's app: decided allow or block.
    Outbound,
    /// A service principal's token request: decided allow or block (`eval::workload`).
    Workload,
}

impl ShareKind {
    const ALL: [ShareKind; 6] = [
        ShareKind::Share,
        ShareKind::Chat,
        ShareKind::Meeting,
        ShareKind::Mail,
        ShareKind::Outbound,
        ShareKind::Workload,
    ];

    pub(crate) fn key(self) -> &'static str {
        match self {
            ShareKind::Share => "share",
            ShareKind::Chat => "chat",
            ShareKind::Meeting => "meeting",
            ShareKind::Mail => "mail",
            ShareKind::Outbound => "outbound",
            ShareKind::Workload => "workload",
        }
    }

    /// Removes the first of `share`, `chat` and `meeting` from a mapping.
    fn take(fields: &mut Map<String, Value>) -> Option<(ShareKind, Value)> {
        ShareKind::ALL
            .into_iter()
            .find_map(|k| fields.remove(k.key()).map(|v| (k, v)))
    }
}

/// One case as written.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    /// 1-based line where the case starts.
    pub line: usize,
    /// `None` when the expectation could not be read (see `problems`).
    pub expected: Option<Expected>,
    pub(crate) node: usize,
    /// Policy names in `applied` and `not_applied`, and tenants in `requirements`, with where.
    pub(crate) policy_refs: Vec<(String, Span)>,
    pub(crate) tenant_refs: Vec<(String, Span)>,
    pub(crate) expect_at: Span,
    pub(crate) problems: Vec<Diagnostic>,
}

/// The decision a case expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpectDecision {
    Allow,
    Block,
    Challenge,
    Deny,
    /// A `mail:` outcome (`eval::mail::MailOutcome`).
    Mail(crate::eval::mail::MailOutcome),
}

impl ExpectDecision {
    const ALL: [(&'static str, ExpectDecision); 4] = [
        ("allow", ExpectDecision::Allow),
        ("block", ExpectDecision::Block),
        ("challenge", ExpectDecision::Challenge),
        ("deny", ExpectDecision::Deny),
    ];

    /// A decision by its name: an access or share decision, or a mail outcome.
    fn from_name(text: &str) -> Option<ExpectDecision> {
        Self::ALL
            .iter()
            .find(|(n, _)| *n == text)
            .map(|(_, d)| *d)
            .or_else(|| crate::eval::mail::MailOutcome::from_name(text).map(ExpectDecision::Mail))
    }

    fn names() -> Vec<&'static str> {
        let mut names: Vec<&str> = Self::ALL.iter().map(|(n, _)| *n).collect();
        names.extend(crate::eval::mail::MailOutcome::ALL.iter().map(|o| o.name()));
        names
    }

    pub fn name(self) -> &'static str {
        match self {
            ExpectDecision::Allow => "allow",
            ExpectDecision::Block => "block",
            ExpectDecision::Challenge => "challenge",
            ExpectDecision::Deny => "deny",
            ExpectDecision::Mail(o) => o.name(),
        }
    }
}

/// What a case expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expected {
    pub decision: ExpectDecision,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requirements: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub applied: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_applied: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_contains: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// Everything parsing needs at hand.
pub(crate) struct Reader<'t> {
    pub(crate) file: FileId,
    pub(crate) layout: Layout<'t>,
}

impl Reader<'_> {
    pub(crate) fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.file, range.start, range.end)
    }

    /// The first non-blank text of a line range (where a problem without a better place goes).
    pub(crate) fn lines_start(&self, lines: &Lines) -> Span {
        let line = self.layout.line(lines.start);
        let indent = line.len() - line.trim_start().len();
        let start = self.layout.offset(lines.start) + indent;
        self.span(start..start + line.trim().len())
    }

    /// `value` after `key` in `lines`, else `key`, else the first line.
    pub fn at(&self, lines: &Lines, key: &str, value: Option<&str>) -> Span {
        value
            .and_then(|v| self.layout.value(lines, Some(key), v))
            .or_else(|| self.layout.key(lines, key))
            .map_or_else(|| self.lines_start(lines), |r| self.span(r))
    }
}

/// Parses a test file. Never fails: problems are diagnostics in the result.
pub(crate) fn parse(file: FileId, name: &str, text: &str) -> TestFile {
    let r = Reader {
        file,
        layout: Layout::new(text),
    };
    let mut out = TestFile {
        file,
        name: name.to_string(),
        diagnostics: Vec::new(),
        cases: Vec::new(),
        nodes: Vec::new(),
    };
    let everything = 0..r.layout.len().max(1);
    let top = match crate::yaml::value_without_duplicate_keys(text) {
        Ok(Value::Object(top)) => top,
        Ok(Value::Null) => {
            out.diagnostics.push(
                Diagnostic::error(INVALID_FILE, "the test file is empty")
                    .at(r.lines_start(&everything))
                    .help("write `cases:` with a list of cases (see `accord test --help`)"),
            );
            return out;
        }
        Ok(_) => {
            out.diagnostics.push(
                Diagnostic::error(INVALID_FILE, "a test file is a mapping with `cases`")
                    .at(r.lines_start(&everything))
                    .help("write `cases:` with a list of cases, and optionally `requests:`"),
            );
            return out;
        }
        Err(e) => {
            let at = match (e.line, e.column) {
                (Some(l), Some(c)) => r.layout.offset_of(l, c),
                _ => 0,
            };
            out.diagnostics.push(
                Diagnostic::error(INVALID_FILE, format!("invalid YAML: {}", e.message))
                    .at(r.span(at..at)),
            );
            return out;
        }
    };
    for key in top.keys().filter(|k| !TOP_KEYS.contains(&k.as_str())) {
        let at = r.at(&everything, key, None);
        let mut d = Diagnostic::error(INVALID_FILE, format!("unknown key `{key}`")).at(at);
        d.help = Some(did_you_mean(key, TOP_KEYS).unwrap_or_else(|| {
            "a test file has `requests` (named base requests) and `cases`".to_string()
        }));
        out.diagnostics.push(d);
    }
    if let Some(requests) = top.get("requests") {
        read_requests(&r, requests, &mut out);
    }
    match top.get("cases") {
        Some(Value::Array(cases)) => read_cases(&r, cases, &mut out),
        Some(_) => {
            let at = r.at(&everything, "cases", None);
            out.diagnostics.push(
                Diagnostic::error(INVALID_FILE, "`cases` must be a list of cases")
                    .at(at)
                    .help("write each case as a list item: `- name: ...`"),
            );
        }
        None => out.diagnostics.push(
            Diagnostic::error(INVALID_FILE, "the test file has no `cases`")
                .at(r.lines_start(&everything))
                .help("add `cases:` with a list of cases"),
        ),
    }
    out
}

/// The lines of every entry of the top-level `requests:` mapping, by name.
fn read_requests(r: &Reader<'_>, requests: &Value, out: &mut TestFile) {
    let key_line = r.layout.top_key("requests").unwrap_or(0);
    let section = r.layout.section(key_line);
    let Value::Object(map) = requests else {
        out.diagnostics.push(
            Diagnostic::error(
                INVALID_FILE,
                "`requests` must map names to partial requests",
            )
            .at(r.lines_start(&(key_line..key_line + 1))),
        );
        return;
    };
    let entries = r.layout.mapping_entries(section.clone());
    let starts: Vec<usize> = entries.iter().map(|(_, l)| *l).collect();
    let blocks = Layout::blocks(&starts, &section);
    for (name, value) in map {
        let lines = entries
            .iter()
            .position(|(k, _)| k == name)
            .and_then(|i| blocks.get(i).cloned())
            .unwrap_or(key_line..section.end);
        let mut node = Node {
            name: name.clone(),
            lines: lines.clone(),
            extends: None,
            body: Body::Empty,
            problems: Vec::new(),
        };
        match value {
            Value::Object(fields) => {
                let mut fields = fields.clone();
                node.extends = take_extends(r, &lines, &mut fields, &mut node.problems);
                node.body = match ShareKind::take(&mut fields) {
                    Some((kind, share)) => {
                        if let Some(other) = fields.keys().next() {
                            node.problems.push(
                                Diagnostic::error(
                                    INVALID_REQUEST,
                                    format!("a {0} request has only `{0}` (and `extends`), not `{other}`", kind.key()),
                                )
                                .at(r.at(&lines, other, None)),
                            );
                        }
                        share_body(r, &lines, kind, share, &mut node.problems)
                    }
                    None => access_body(r, &lines, fields, &mut node.problems),
                };
            }
            _ => node.problems.push(
                Diagnostic::error(
                    INVALID_REQUEST,
                    format!("the base request `{name}` must be a mapping"),
                )
                .at(r.lines_start(&lines))
                .help("write the fields of a request: `user: {...}`, `app: ...`"),
            ),
        }
        out.nodes.push(node);
    }
}

/// Removes and reads `extends`.
fn take_extends(
    r: &Reader<'_>,
    lines: &Lines,
    fields: &mut Map<String, Value>,
    problems: &mut Vec<Diagnostic>,
) -> Option<(String, Span)> {
    match fields.remove("extends")? {
        Value::String(target) => {
            let at = r.at(lines, "extends", Some(&target));
            Some((target, at))
        }
        _ => {
            problems.push(
                Diagnostic::error(INVALID_REQUEST, "`extends` names one base request or case")
                    .at(r.at(lines, "extends", None)),
            );
            None
        }
    }
}

fn access_body(
    r: &Reader<'_>,
    lines: &Lines,
    fields: Map<String, Value>,
    problems: &mut Vec<Diagnostic>,
) -> Body {
    if fields.is_empty() {
        return Body::Empty;
    }
    match serde_json::from_value::<RequestDoc>(Value::Object(fields)) {
        Ok(doc) => Body::Access(Box::new(doc)),
        Err(e) => {
            problems.push(request_problem(r, lines, &e.to_string()));
            Body::Empty
        }
    }
}

fn share_body(
    r: &Reader<'_>,
    lines: &Lines,
    kind: ShareKind,
    share: Value,
    problems: &mut Vec<Diagnostic>,
) -> Body {
    match share {
        Value::Object(map) => Body::Share(kind, map),
        _ => {
            problems.push(
                Diagnostic::error(
                    INVALID_REQUEST,
                    format!("`{}` must be a mapping: `{{ with, ... }}`", kind.key()),
                )
                .at(r.at(lines, kind.key(), None)),
            );
            Body::Empty
        }
    }
}

/// A deserialization message as a diagnostic placed on the value it names (the first
/// backquoted word), with the "did you mean" as the hint.
pub(crate) fn request_problem_at(
    message: &str,
    place: impl Fn(Option<&str>) -> Span,
) -> Diagnostic {
    let (message, help) = split_suggestion(message);
    let token = backquoted(&message);
    let mut d = Diagnostic::error(INVALID_REQUEST, format!("invalid request: {message}"))
        .at(place(token.as_deref()));
    d.help = help;
    d
}

fn request_problem(r: &Reader<'_>, lines: &Lines, message: &str) -> Diagnostic {
    request_problem_at(message, |token| {
        token
            .and_then(|t| r.layout.value(lines, None, t))
            .map_or_else(|| r.lines_start(lines), |range| r.span(range))
    })
}

/// The first `backquoted` word of a message.
fn backquoted(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_string())
}

/// Moves a "did you mean" out of a message into a hint, or makes one from serde's "unknown
/// field/variant `x`, expected one of `a`, `b`".
pub(crate) fn split_suggestion(message: &str) -> (String, Option<String>) {
    if let Some(at) = message.find("did you mean `") {
        let end = message[at..]
            .find('?')
            .map_or(message.len(), |e| at + e + 1);
        let help = message[at..end].to_string();
        let before = message[..at].trim_end_matches([' ', ':', ';', ',']);
        let after = message[end..].trim_start();
        let message = if after.is_empty() {
            before.to_string()
        } else {
            format!("{before} {after}")
        };
        return (message, Some(help));
    }
    let help = message.find("expected one of").and_then(|at| {
        let candidates: Vec<&str> = message[at..].split('`').skip(1).step_by(2).collect();
        did_you_mean(&backquoted(message)?, candidates)
    });
    (message.to_string(), help)
}

fn read_cases(r: &Reader<'_>, cases: &[Value], out: &mut TestFile) {
    let key_line = r.layout.top_key("cases").unwrap_or(0);
    let section = r.layout.section(key_line);
    let mut starts = r.layout.sequence_items(section.clone());
    if starts.len() != cases.len() {
        // Not a block list (a flow list, or something unusual): find each case by its name.
        starts = cases
            .iter()
            .map(|c| {
                c.get("name")
                    .and_then(Value::as_str)
                    .and_then(|n| r.layout.line_holding(section.clone(), n))
                    .unwrap_or(key_line)
            })
            .collect();
    }
    let blocks = Layout::blocks(&starts, &section);
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (i, value) in cases.iter().enumerate() {
        let lines = blocks.get(i).cloned().unwrap_or(key_line..section.end);
        let mut case = read_case(r, i, value, &lines, out);
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == case.name) {
            case.problems.push(
                Diagnostic::error(
                    DUPLICATE_CASE,
                    format!("two cases are named `{}`", case.name),
                )
                .at(r.at(&lines, "name", Some(&case.name)))
                .help(format!(
                    "the first is on line {first}; give each case its own name"
                )),
            );
        } else {
            seen.push((case.name.clone(), case.line));
        }
        out.cases.push(case);
    }
}

fn read_case(
    r: &Reader<'_>,
    index: usize,
    value: &Value,
    lines: &Lines,
    out: &mut TestFile,
) -> Case {
    let mut problems = Vec::new();
    let empty = Map::new();
    let fields = match value {
        Value::Object(fields) => fields,
        _ => {
            problems.push(
                Diagnostic::error(INVALID_FILE, "a case must be a mapping")
                    .at(r.lines_start(lines))
                    .help("write `- name: ...` followed by the case's keys"),
            );
            &empty
        }
    };
    let name = match fields.get("name") {
        Some(Value::String(n)) => n.clone(),
        _ => {
            if value.is_object() {
                problems.push(
                    Diagnostic::error(INVALID_FILE, "the case has no `name`")
                        .at(r.lines_start(lines))
                        .help("add `name: <what the case checks>`"),
                );
            }
            format!("case {}", index + 1)
        }
    };
    for key in fields.keys().filter(|k| !CASE_KEYS.contains(&k.as_str())) {
        let mut d = Diagnostic::error(INVALID_FILE, format!("unknown case key `{key}`"))
            .at(r.at(lines, key, None));
        d.help = Some(did_you_mean(key, CASE_KEYS).unwrap_or_else(|| {
            format!(
                "a case has {}",
                CASE_KEYS.map(|k| format!("`{k}`")).join(", ")
            )
        }));
        problems.push(d);
    }
    let mut node = Node {
        name: name.clone(),
        lines: lines.clone(),
        extends: None,
        body: Body::Empty,
        problems: Vec::new(),
    };
    let mut own = fields.clone();
    node.extends = take_extends(r, lines, &mut own, &mut node.problems);
    match (own.remove("request"), ShareKind::take(&mut own)) {
        (Some(request), Some(_)) => {
            if let Value::Object(req) = request {
                node.body = access_body(r, lines, req, &mut node.problems);
            }
            problems.push(
                Diagnostic::error(INVALID_FILE, "a case has `request` or `share`, not both")
                    .at(r.at(lines, "share", None))
                    .help("make two cases: one for the access request, one for the share request"),
            );
        }
        (Some(Value::Object(req)), None) => {
            node.body = access_body(r, lines, req, &mut node.problems);
        }
        (Some(_), None) => node.problems.push(
            Diagnostic::error(INVALID_REQUEST, "`request` must be a mapping")
                .at(r.at(lines, "request", None))
                .help("write an `accord whatif` request: `{ user: {...}, app: ... }`"),
        ),
        (None, Some((kind, share))) => {
            node.body = share_body(r, lines, kind, share, &mut node.problems)
        }
        (None, None) => {}
    }
    let mut case = Case {
        name,
        line: lines.start + 1,
        expected: None,
        node: out.nodes.len(),
        policy_refs: Vec::new(),
        tenant_refs: Vec::new(),
        expect_at: r.at(
            lines,
            "expect",
            fields.get("expect").and_then(Value::as_str),
        ),
        problems,
    };
    out.nodes.push(node);
    case.expected = read_expected(r, fields, lines, &mut case);
    case
}

/// A string, or a list of strings; anything else is a problem.
fn strings(
    r: &Reader<'_>,
    lines: &Lines,
    key: &str,
    value: &Value,
    case: &mut Case,
) -> Vec<String> {
    let (out, ok) = match value {
        Value::String(s) => return vec![s.clone()],
        Value::Array(list) => {
            let out: Vec<String> = list
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            let ok = out.len() == list.len();
            (out, ok)
        }
        _ => (Vec::new(), false),
    };
    if !ok {
        case.problems.push(
            Diagnostic::error(
                INVALID_EXPECTATION,
                format!("`{key}` must be a list of names"),
            )
            .at(r.at(lines, key, None))
            .help(format!("write `{key}: [\"...\", \"...\"]`")),
        );
    }
    out
}

fn read_expected(
    r: &Reader<'_>,
    fields: &Map<String, Value>,
    lines: &Lines,
    case: &mut Case,
) -> Option<Expected> {
    let decision = match fields.get("expect") {
        Some(Value::String(text)) => {
            let found = ExpectDecision::from_name(text);
            if found.is_none() {
                let mut d =
                    Diagnostic::error(INVALID_EXPECTATION, format!("unknown decision `{text}`"))
                        .at(r.at(lines, "expect", Some(text)));
                d.help = Some(
                    did_you_mean(text, ExpectDecision::names()).unwrap_or_else(|| {
                        "access cases expect allow, block or challenge; share cases allow or deny; mail cases an outcome (accepted, rejected...)"
                            .to_string()
                    }),
                );
                case.problems.push(d);
            }
            found
        }
        _ => {
            case.problems.push(
                Diagnostic::error(INVALID_EXPECTATION, "the case has no `expect`")
                    .at(r.at(lines, "expect", None))
                    .help("add `expect: allow` (access: allow | block | challenge; share: allow | deny)"),
            );
            None
        }
    };
    let names = |key: &str, case: &mut Case| -> Vec<String> {
        let Some(v) = fields.get(key) else {
            return Vec::new();
        };
        let list = strings(r, lines, key, v, case);
        for n in &list {
            let at = r.at(lines, key, Some(n));
            case.policy_refs.push((n.clone(), at));
        }
        list
    };
    let applied = names("applied", case);
    let not_applied = names("not_applied", case);
    let requirements = fields.get("requirements").map(|v| {
        let list = strings(r, lines, "requirements", v, case);
        for item in &list {
            check_requirement(r, lines, item, case);
        }
        list
    });
    let reason_contains = match fields.get("reason_contains") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            case.problems.push(
                Diagnostic::error(INVALID_EXPECTATION, "`reason_contains` must be a string")
                    .at(r.at(lines, "reason_contains", None)),
            );
            None
        }
    };
    let rule = match fields.get("rule") {
        None => None,
        Some(Value::String(s)) => {
            if ShareRule::from_id(s).is_none()
                && crate::eval::mail::MailRule::from_id(s).is_none()
                && crate::eval::outbound::OutboundRule::from_id(s).is_none()
            {
                let ids = ShareRule::ALL.map(|r| r.id());
                let mut d =
                    Diagnostic::error(INVALID_EXPECTATION, format!("unknown sharing rule `{s}`"))
                        .at(r.at(lines, "rule", Some(s)));
                d.help = Some(
                    did_you_mean(s, ids)
                        .unwrap_or_else(|| format!("sharing rules: {}", ids.join(", "))),
                );
                case.problems.push(d);
            }
            Some(s.clone())
        }
        Some(_) => {
            case.problems.push(
                Diagnostic::error(INVALID_EXPECTATION, "`rule` must be a sharing rule id")
                    .at(r.at(lines, "rule", None)),
            );
            None
        }
    };
    Some(Expected {
        decision: decision?,
        requirements,
        applied,
        not_applied,
        reason_contains,
        rule,
    })
}

/// A requirement is a control, optionally `in <tenant>`, or `any(...)` of controls.
fn check_requirement(r: &Reader<'_>, lines: &Lines, item: &str, case: &mut Case) {
    let item = item.trim();
    let parts: Vec<&str> = match item.strip_prefix("any(").and_then(|s| s.strip_suffix(')')) {
        Some(inner) => inner.split(',').map(str::trim).collect(),
        None => vec![item],
    };
    for part in parts {
        let (control, tenant) = match part.rsplit_once(" in ") {
            Some((c, t)) if !t.contains('"') => (c.trim(), Some(t.trim())),
            _ => (part, None),
        };
        let keyword = control.split([' ', '(']).next().unwrap_or(control);
        if !CONTROLS.contains(&keyword) {
            let mut d = Diagnostic::error(
                INVALID_EXPECTATION,
                format!("`{keyword}` is not a control a user can complete"),
            )
            .at(r.at(lines, "requirements", Some(keyword)));
            d.help =
                Some(did_you_mean(keyword, CONTROLS).unwrap_or_else(|| {
                    format!("requirements are controls: {}", CONTROLS.join(", "))
                }));
            case.problems.push(d);
        }
        if let Some(t) = tenant {
            let at = r.at(lines, "requirements", Some(t));
            case.tenant_refs.push((t.to_string(), at));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_move_into_the_hint() {
        let (m, h) = split_suggestion(
            "unknown app `sharepoitn`: did you mean `sharepoint`? (name one of `a`)",
        );
        assert_eq!(m, "unknown app `sharepoitn` (name one of `a`)");
        assert_eq!(h.as_deref(), Some("did you mean `sharepoint`?"));
        let (m, h) = split_suggestion("unknown field `tpye`, expected one of `name`, `type`");
        assert_eq!(m, "unknown field `tpye`, expected one of `name`, `type`");
        assert_eq!(h.as_deref(), Some("did you mean `type`?"));
    }
}

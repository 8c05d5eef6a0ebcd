//! Running cases: resolve `extends`, build the request, let the evaluator decide, and compare.

use serde::Serialize;
use serde_json::{Map, Value};

use super::file::{
    request_problem_at, Body, Case, ExpectDecision, Expected, ShareKind, TestFile, EXTENDS_CYCLE,
    INVALID_EXPECTATION, INVALID_REQUEST, UNKNOWN_BASE, UNKNOWN_POLICY, UNKNOWN_TENANT,
};
use super::locate::Layout;
use super::{CaseResult, Explain, Status};
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::eval::mail::decide_mail;
use crate::eval::outbound::decide_outbound;
use crate::eval::sharing::{decide_chat, decide_meeting, decide_share};
use crate::eval::trace::{ControlName, Tri};
use crate::eval::workload::decide_workload;
use crate::eval::{self, Compiled, Evaluation, Options, Requirement};
use crate::model::mail::MailRequest;
use crate::model::outbound::OutboundRequest;
use crate::model::request::{is_guid, RequestDoc, RequestError};
use crate::model::share::ShareRequest;
use crate::model::teams::{ChatRequest, MeetingRequest};
use crate::model::workload::WorkloadRequest;
use crate::source::{Sources, Span};
use crate::validate::Validated;

/// What the evaluator decided for a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actual {
    /// `allow`, `block` or `challenge`; `allow` or `deny` for a share request.
    pub decision: String,
    /// Access requests: what the user must complete, as `accord whatif` writes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requirements: Option<Vec<String>>,
    /// Access requests: the policies that apply (`on` and `report_only`), in pack order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied: Option<Vec<String>>,
    /// Share requests: the rule that decided, and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The explanation (from [`Explain`]).
    #[serde(skip)]
    pub explanation: String,
}

/// One expectation that does not hold: the expected and the actual side, for a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// `decision`, `requirements`, `applied`, `not_applied`, `rule` or `reason_contains`.
    pub field: &'static str,
    pub expected: String,
    pub actual: String,
}

pub(crate) struct Ctx<'a> {
    pub validated: &'a Validated,
    pub compiled: &'a Compiled,
    pub sources: &'a Sources,
    pub explain: &'a dyn Explain,
}

/// What a case's chain holds.
enum Kind {
    Access(RequestDoc),
    Share(ShareKind, Map<String, Value>),
}

/// Runs the cases of one file that match the filter; a file that did not parse is one error.
pub(crate) fn run_file(ctx: &Ctx<'_>, f: &TestFile, filter: Option<&str>) -> Vec<CaseResult> {
    if !f.diagnostics.is_empty() {
        let line = f
            .diagnostics
            .iter()
            .find_map(|d| d.span)
            .and_then(|s| {
                ctx.sources
                    .get(s.file)
                    .map(|src| src.line_col(s.start as usize).0)
            })
            .unwrap_or(1);
        return vec![CaseResult {
            file: f.name.clone(),
            line,
            name: String::new(),
            status: Status::Error,
            expected: None,
            actual: None,
            mismatches: Vec::new(),
            diagnostics: f.diagnostics.clone(),
        }];
    }
    let layout = Layout::new(ctx.sources.text(f.file));
    let filter = filter.map(str::to_lowercase);
    f.cases
        .iter()
        .filter(|c| {
            filter
                .as_deref()
                .is_none_or(|t| c.name.to_lowercase().contains(t))
        })
        .map(|c| run_case(ctx, &layout, f, c))
        .collect()
}

fn run_case(ctx: &Ctx<'_>, layout: &Layout<'_>, f: &TestFile, case: &Case) -> CaseResult {
    let mut result = CaseResult {
        file: f.name.clone(),
        line: case.line,
        name: case.name.clone(),
        status: Status::Error,
        expected: case.expected.clone(),
        actual: None,
        mismatches: Vec::new(),
        diagnostics: case.problems.clone(),
    };
    let chain = match chain(f, case.node) {
        Ok(chain) => chain,
        Err(d) => {
            result.diagnostics.push(d);
            return result;
        }
    };
    for &n in &chain {
        result
            .diagnostics
            .extend(f.nodes[n].problems.iter().cloned());
    }
    check_names(ctx, case, &mut result.diagnostics);
    let kind = match kind(f, layout, &chain, case) {
        Ok(kind) => kind,
        Err(d) => {
            result.diagnostics.push(d);
            return result;
        }
    };
    let Some(expected) = case.expected.clone() else {
        return result;
    };
    let key_at = |key: &str| {
        layout
            .key(&f.nodes[case.node].lines, key)
            .map_or(case.expect_at, |r| Span::new(f.file, r.start, r.end))
    };
    check_expectation_kind(&kind, &expected, case, &key_at, &mut result.diagnostics);
    if !result.diagnostics.is_empty() {
        return result;
    }
    let place =
        |key: Option<&str>, value: Option<&str>| locate(f, layout, &chain, case, key, value);
    let outcome = match kind {
        Kind::Access(doc) => run_access(ctx, &doc, &expected, &place),
        Kind::Share(kind, map) => run_share(ctx, kind, map, &expected, &place),
    };
    match outcome {
        Ok((actual, mismatches)) => {
            result.status = if mismatches.is_empty() {
                Status::Pass
            } else {
                Status::Fail
            };
            result.actual = Some(actual);
            result.mismatches = mismatches;
        }
        Err(d) => result.diagnostics.push(d),
    }
    result
}

/// The nodes a case is built from, root first.
fn chain(f: &TestFile, start: usize) -> Result<Vec<usize>, Diagnostic> {
    let mut out = vec![start];
    let mut current = start;
    while let Some((target, at)) = &f.nodes[current].extends {
        let found: Vec<usize> = (0..f.nodes.len())
            .filter(|&i| f.nodes[i].name == *target)
            .collect();
        let next = match found.as_slice() {
            [one] => *one,
            [] => {
                let names = f.nodes.iter().map(|n| n.name.as_str());
                let mut d = Diagnostic::error(
                    UNKNOWN_BASE,
                    format!("`extends` names `{target}`, which is no base request and no case of this file"),
                )
                .at(*at);
                d.help = Some(did_you_mean(target, names).unwrap_or_else(|| {
                    "name a key of `requests:` or the `name` of another case".to_string()
                }));
                return Err(d);
            }
            _ => {
                return Err(Diagnostic::error(
                    UNKNOWN_BASE,
                    format!("`{target}` names both a base request and a case"),
                )
                .at(*at)
                .help("rename one of them so that `extends` names one request"))
            }
        };
        if let Some(pos) = out.iter().position(|&n| n == next) {
            let mut names: Vec<&str> = out[pos..]
                .iter()
                .map(|&n| f.nodes[n].name.as_str())
                .collect();
            names.push(&f.nodes[next].name);
            return Err(Diagnostic::error(
                EXTENDS_CYCLE,
                format!("`extends` goes round in a circle: {}", names.join(" -> ")),
            )
            .at(*at)
            .help("a request extends another that is complete without it; remove one `extends`"));
        }
        out.push(next);
        current = next;
    }
    out.reverse();
    Ok(out)
}

/// Policies in `applied`/`not_applied` and tenants in `requirements` must exist.
fn check_names(ctx: &Ctx<'_>, case: &Case, out: &mut Vec<Diagnostic>) {
    let pack = ctx.validated.pack();
    let policies = || pack.policies.iter().map(|p| p.name.value.as_str());
    for (name, at) in &case.policy_refs {
        if !policies().any(|p| p == name) {
            let mut d = Diagnostic::error(
                UNKNOWN_POLICY,
                format!("the pack has no policy named `{name}`"),
            )
            .at(*at);
            d.help = Some(did_you_mean(name, policies()).unwrap_or_else(|| {
                "name a policy exactly as the pack writes it (`accord whatif` lists them)"
                    .to_string()
            }));
            out.push(d);
        }
    }
    let tenants = || pack.tenants.iter().map(|t| t.name.value.as_str());
    for (name, at) in &case.tenant_refs {
        let address = name.contains('.') || is_guid(name);
        if !address && !tenants().any(|t| t == name) {
            let mut d =
                Diagnostic::error(UNKNOWN_TENANT, format!("`{name}` is not a declared tenant"))
                    .at(*at);
            d.help = Some(did_you_mean(name, tenants()).unwrap_or_else(|| {
                "write `mfa in <tenant>` with a declared tenant's name".to_string()
            }));
            out.push(d);
        }
    }
}

/// Merges the chain into one access or share request.
fn kind(
    f: &TestFile,
    layout: &Layout<'_>,
    chain: &[usize],
    case: &Case,
) -> Result<Kind, Diagnostic> {
    let mut access: Option<RequestDoc> = None;
    let mut share: Option<(ShareKind, Map<String, Value>)> = None;
    let mut first: Option<(&str, bool)> = None;
    for &n in chain {
        let node = &f.nodes[n];
        let is_share = match &node.body {
            Body::Empty => continue,
            Body::Access(doc) => {
                access.get_or_insert_with(RequestDoc::default).merge(doc);
                false
            }
            Body::Share(kind, map) => {
                let (merged_kind, merged) = share.get_or_insert_with(|| (*kind, Map::new()));
                if merged_kind != kind {
                    return Err(Diagnostic::error(
                        INVALID_REQUEST,
                        format!(
                            "`{}` is a {} request, but it extends a {} request",
                            node.name,
                            kind.key(),
                            merged_kind.key()
                        ),
                    )
                    .at(case_start(f, layout, case))
                    .help("a request extends requests of its own kind"));
                }
                for (k, v) in map {
                    merged.insert(k.clone(), v.clone());
                }
                true
            }
        };
        match first {
            None => first = Some((&node.name, is_share)),
            Some((root, root_share)) if root_share != is_share => {
                let (a, b) = if is_share {
                    ("a share", "an access")
                } else {
                    ("an access", "a share")
                };
                // Shown at the case's own `extends`: that is where the chain is chosen.
                let at = f.nodes[case.node]
                    .extends
                    .as_ref()
                    .map_or(case_start(f, layout, case), |(_, at)| *at);
                return Err(Diagnostic::error(
                    INVALID_REQUEST,
                    format!(
                        "`{}` is {a} request, but it extends `{root}`, {b} request",
                        node.name
                    ),
                )
                .at(at)
                .help(
                    "an access request extends access requests, a share request share requests",
                ));
            }
            Some(_) => {}
        }
    }
    match (access, share) {
        (Some(doc), None) => Ok(Kind::Access(doc)),
        (None, Some((kind, map))) => Ok(Kind::Share(kind, map)),
        _ => Err(Diagnostic::error(INVALID_REQUEST, "the case has no request")
            .at(case_start(f, layout, case))
            .help("add `request: {...}` (an access request), `share: {...}` or `extends: <base request>`")),
    }
}

/// The first line of a case, where a problem of the whole case is shown.
fn case_start(f: &TestFile, layout: &Layout<'_>, case: &Case) -> Span {
    let first = f.nodes[case.node].lines.start;
    let line = layout.line(first);
    let start = layout.offset(first) + (line.len() - line.trim_start().len());
    Span::new(f.file, start, start + line.trim().len())
}

/// Keys that do not fit the kind of request, and a decision of the other kind.
fn check_expectation_kind(
    kind: &Kind,
    e: &Expected,
    case: &Case,
    key_at: &dyn Fn(&str) -> Span,
    out: &mut Vec<Diagnostic>,
) {
    let share = matches!(kind, Kind::Share(..));
    let mail = matches!(kind, Kind::Share(ShareKind::Mail, _));
    let outbound = matches!(kind, Kind::Share(ShareKind::Outbound, _));
    let workload = matches!(kind, Kind::Share(ShareKind::Workload, _));
    let wrong_decision = match (share, mail, e.decision) {
        _ if outbound => match e.decision {
            ExpectDecision::Allow | ExpectDecision::Block => None,
            _ => Some("outbound requests are decided allow or block"),
        },
        _ if workload => match e.decision {
            ExpectDecision::Allow | ExpectDecision::Block => None,
            _ => Some("workload requests are decided allow or block"),
        },
        (_, true, ExpectDecision::Mail(_)) => None,
        (_, true, _) => Some(
            "mail requests are decided accepted, accepted_without_tls, delivered, delivered_without_tls, rejected or blocked",
        ),
        (_, false, ExpectDecision::Mail(_)) => {
            Some("mail outcomes are for `mail:` cases: access cases expect allow, block or challenge, share cases allow or deny")
        }
        (false, _, ExpectDecision::Deny) => {
            Some("access requests are decided allow, block or challenge: did you mean `block`?")
        }
        (true, _, ExpectDecision::Block | ExpectDecision::Challenge) => {
            Some("share requests are decided allow or deny: did you mean `deny`?")
        }
        _ => None,
    };
    if let Some(help) = wrong_decision {
        out.push(
            Diagnostic::error(
                INVALID_EXPECTATION,
                format!(
                    "{} case cannot expect `{}`",
                    if share { "a share" } else { "an access" },
                    e.decision.name()
                ),
            )
            .at(case.expect_at)
            .help(help),
        );
    }
    let misplaced: Vec<&str> = if share {
        [
            ("requirements", e.requirements.is_some()),
            ("applied", !e.applied.is_empty()),
            ("not_applied", !e.not_applied.is_empty()),
        ]
        .iter()
        .filter(|(_, present)| *present)
        .map(|(k, _)| *k)
        .collect()
    } else if e.rule.is_some() {
        vec!["rule"]
    } else {
        Vec::new()
    };
    for key in misplaced {
        out.push(
            Diagnostic::error(
                INVALID_EXPECTATION,
                format!(
                    "`{key}` is for {} cases",
                    if share { "access" } else { "share" }
                ),
            )
            .at(key_at(key))
            .help(if share {
                "a share case checks `expect`, `rule` and `reason_contains`"
            } else {
                "an access case checks `expect`, `requirements`, `applied`, `not_applied` and `reason_contains`"
            }),
        );
    }
}

/// Where `value` (after `key`) is written along the chain, the case first.
fn locate(
    f: &TestFile,
    layout: &Layout<'_>,
    chain: &[usize],
    case: &Case,
    key: Option<&str>,
    value: Option<&str>,
) -> Span {
    let span = |r: std::ops::Range<usize>| Span::new(f.file, r.start, r.end);
    for &n in chain.iter().rev() {
        let lines = &f.nodes[n].lines;
        if let Some(v) = value {
            if let Some(r) = layout.value(lines, key, v) {
                if key.is_none_or(|k| layout.key(lines, k).is_some()) {
                    return span(r);
                }
            }
        }
    }
    for &n in chain.iter().rev() {
        if let Some(r) = key.and_then(|k| layout.key(&f.nodes[n].lines, k)) {
            return span(r);
        }
    }
    case.expect_at
}

type Outcome = Result<(Actual, Vec<Mismatch>), Diagnostic>;

fn request_error(
    e: &RequestError,
    code: &str,
    value: Option<&str>,
    place: &dyn Fn(Option<&str>, Option<&str>) -> Span,
) -> Diagnostic {
    let key = e.path.rsplit('.').next().filter(|k| !k.is_empty());
    let (message, mut help) = super::file::split_suggestion(&e.message);
    if help.is_none() {
        help.clone_from(&e.help);
    }
    let mut d = Diagnostic::error(code, message).at(place(key, value));
    d.help = help;
    d
}

fn run_access(
    ctx: &Ctx<'_>,
    doc: &RequestDoc,
    expected: &Expected,
    place: &dyn Fn(Option<&str>, Option<&str>) -> Span,
) -> Outcome {
    let (request, _) = eval::directory::complete(ctx.compiled, doc).map_err(|e| {
        let mut d = request_error(&e, INVALID_REQUEST, None, place);
        d.message = format!("invalid request: {}", d.message);
        d
    })?;
    let resolved = eval::resolve(ctx.compiled, &request).map_err(|e| {
        let (code, value) = match e.path.as_str() {
            "user.home" => (UNKNOWN_TENANT, request.user.home.as_deref()),
            _ => (INVALID_REQUEST, None),
        };
        request_error(&e, code, value, place)
    })?;
    let evaluation = eval::decide_resolved(ctx.compiled, &resolved, Options::default());
    let actual = Actual {
        decision: evaluation.decision.name().to_string(),
        requirements: Some(
            evaluation
                .requirements
                .iter()
                .map(|r| r.to_string())
                .collect(),
        ),
        applied: Some(
            evaluation
                .trace
                .policies
                .iter()
                .chain(&evaluation.trace.report_only)
                .filter(|p| p.applies == Tri::Yes)
                .map(|p| p.policy.name.value.clone())
                .collect(),
        ),
        rule: None,
        reason: None,
        explanation: ctx.explain.access(&evaluation),
    };
    let mut mismatches = Vec::new();
    if expected.decision.name() != actual.decision {
        mismatches.push(Mismatch {
            field: "decision",
            expected: expected.decision.name().to_string(),
            actual: actual.decision.clone(),
        });
    }
    if let Some(want) = &expected.requirements {
        if !same_requirements(want, &evaluation.requirements) {
            mismatches.push(Mismatch {
                field: "requirements",
                expected: format!("[{}]", want.join(", ")),
                actual: format!(
                    "[{}]",
                    actual
                        .requirements
                        .as_deref()
                        .unwrap_or_default()
                        .join(", ")
                ),
            });
        }
    }
    for name in &expected.applied {
        let status = applies(&evaluation, name);
        if status != "applies" {
            mismatches.push(Mismatch {
                field: "applied",
                expected: format!("{name:?}"),
                actual: format!("{name:?} {status}"),
            });
        }
    }
    for name in &expected.not_applied {
        let status = applies(&evaluation, name);
        if status != "does not apply" && status != "is off" && !status.starts_with("was not") {
            mismatches.push(Mismatch {
                field: "not_applied",
                expected: format!("{name:?}"),
                actual: format!("{name:?} {status}"),
            });
        }
    }
    reason_mismatch(expected, &actual, &mut mismatches);
    Ok((actual, mismatches))
}

/// Whether a policy applies, in words: `applies`, `does not apply`, `may apply (...)`.
fn applies(e: &Evaluation<'_>, name: &str) -> String {
    let found = e
        .trace
        .policies
        .iter()
        .chain(&e.trace.report_only)
        .find(|p| p.policy.name.value == name);
    match found {
        None => "was not evaluated: the cross-tenant settings block first".to_string(),
        Some(p) if p.state() == crate::model::PolicyState::Off => "is off".to_string(),
        Some(p) => match p.applies {
            Tri::Yes => "applies".to_string(),
            Tri::No => "does not apply".to_string(),
            Tri::Unknown => format!("may apply (depending on {})", p.needs),
        },
    }
}

/// Spaces do not matter; a requirement may be written with or without where it happens.
fn squash(s: &str) -> String {
    s.split_whitespace().collect()
}

fn requirement_forms(r: &Requirement<'_>) -> Vec<String> {
    let mut forms = vec![squash(&r.to_string())];
    match r {
        Requirement::One(item) => {
            forms.push(squash(&ControlName(item.control).to_string()));
            forms.push(item.control.keyword().to_string());
        }
        Requirement::AnyOf(items) => {
            let names: Vec<String> = items
                .iter()
                .map(|i| ControlName(i.control).to_string())
                .collect();
            forms.push(squash(&format!("any({})", names.join(","))));
            let keywords: Vec<&str> = items.iter().map(|i| i.control.keyword()).collect();
            forms.push(format!("any({})", keywords.join(",")));
        }
    }
    forms
}

fn same_requirements(want: &[String], got: &[Requirement<'_>]) -> bool {
    let forms: Vec<Vec<String>> = got.iter().map(requirement_forms).collect();
    let want: Vec<String> = want.iter().map(|w| squash(w)).collect();
    let every_wanted = want.iter().all(|w| forms.iter().any(|f| f.contains(w)));
    let every_got = forms.iter().all(|f| want.iter().any(|w| f.contains(w)));
    every_wanted && every_got
}

fn reason_mismatch(expected: &Expected, actual: &Actual, out: &mut Vec<Mismatch>) {
    if let Some(text) = &expected.reason_contains {
        if !actual.explanation.contains(text.as_str()) {
            out.push(Mismatch {
                field: "reason_contains",
                expected: format!("{text:?}"),
                actual: "not in the explanation".to_string(),
            });
        }
    }
}

/// A `share:`, `chat:` or `meeting:` request: decided allow or deny by a rule.
fn run_share(
    ctx: &Ctx<'_>,
    kind: ShareKind,
    map: Map<String, Value>,
    expected: &Expected,
    place: &dyn Fn(Option<&str>, Option<&str>) -> Span,
) -> Outcome {
    let problem =
        |e: serde_json::Error| request_problem_at(&e.to_string(), |token| place(None, token));
    let value = Value::Object(map);
    let (allow, rule, reason, explanation) = match kind {
        ShareKind::Share => {
            let request: ShareRequest = serde_json::from_value(value).map_err(problem)?;
            let d = decide_share(ctx.validated, &request);
            let explanation = ctx.explain.share(&d);
            (d.is_allow(), d.rule, d.reason, explanation)
        }
        ShareKind::Mail => {
            let request: MailRequest = serde_json::from_value(value).map_err(problem)?;
            let d = decide_mail(ctx.validated, &request);
            let explanation = ctx.explain.mail(&d);
            return verdict_case(
                expected,
                d.outcome.name(),
                d.rule.id(),
                &d.reason,
                explanation,
            );
        }
        ShareKind::Outbound => {
            let request: OutboundRequest = serde_json::from_value(value).map_err(problem)?;
            let d = decide_outbound(ctx.compiled, &request)
                .map_err(|e| request_problem_at(&e.to_string(), |token| place(None, token)))?;
            let explanation = ctx.explain.outbound(&d);
            return verdict_case(expected, d.verdict(), d.rule.id(), &d.reason, explanation);
        }
        ShareKind::Workload => {
            let request: WorkloadRequest = serde_json::from_value(value).map_err(problem)?;
            let d = decide_workload(ctx.compiled, &request);
            let explanation = ctx.explain.workload(&d);
            return verdict_case(
                expected,
                d.decision.name(),
                "workload",
                &d.reason,
                explanation,
            );
        }
        ShareKind::Chat | ShareKind::Meeting => {
            let d = if kind == ShareKind::Chat {
                let request: ChatRequest = serde_json::from_value(value).map_err(problem)?;
                decide_chat(ctx.compiled, &request)
            } else {
                let request: MeetingRequest = serde_json::from_value(value).map_err(problem)?;
                decide_meeting(ctx.compiled, &request)
            };
            let explanation = ctx.explain.teams(&d);
            (d.is_allow(), d.rule, d.reason, explanation)
        }
    };
    allow_or_deny(expected, allow, rule.id(), &reason, explanation)
}

/// The expectations of an allow-or-deny case against what was decided.
fn allow_or_deny(
    expected: &Expected,
    allow: bool,
    rule: &str,
    reason: &str,
    explanation: String,
) -> Outcome {
    let verdict = if allow { "allow" } else { "deny" };
    verdict_case(expected, verdict, rule, reason, explanation)
}

/// The expectations of a case decided by a named verdict and a rule.
fn verdict_case(
    expected: &Expected,
    verdict: &str,
    rule: &str,
    reason: &str,
    explanation: String,
) -> Outcome {
    let verdict = verdict.to_string();
    let rule = rule.to_string();
    let actual = Actual {
        decision: verdict.clone(),
        requirements: None,
        applied: None,
        rule: Some(rule.clone()),
        reason: Some(reason.to_string()),
        explanation,
    };
    let mut mismatches = Vec::new();
    if expected.decision.name() != verdict {
        mismatches.push(Mismatch {
            field: "decision",
            expected: expected.decision.name().to_string(),
            actual: verdict.to_string(),
        });
    }
    if let Some(want) = &expected.rule {
        if *want != rule {
            mismatches.push(Mismatch {
                field: "rule",
                expected: want.clone(),
                actual: rule,
            });
        }
    }
    reason_mismatch(expected, &actual, &mut mismatches);
    Ok((actual, mismatches))
}

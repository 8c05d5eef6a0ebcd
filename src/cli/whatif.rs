//! `accord whatif`: decide one request (or a matrix of them) against a pack and explain it.
//!
//! Exit codes: 0 when decided (whatever the decision), 1 when the pack has errors, 2 on usage,
//! I/O or request errors (an unknown field, value, tenant name, app or role is never an allow).

use std::path::Path;

use super::{AssumeMissingArg, WhatifArgs, WhatifFormat, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::diagnostic::{has_errors, Diagnostic};
use crate::eval::matrix::{self, EvaluateError, Matrix};
use crate::eval::{self, AssumeMissing, Options};
use crate::model::mail::{is_mail_document, MailRequest};
use crate::model::outbound::{is_outbound_document, OutboundRequest};
use crate::model::provision::{is_provision_document, ProvisionRequest};
use crate::model::request::{is_share_document, RequestDoc, RequestError};
use crate::model::share::{ShareRequest, ShareRequestError};
use crate::model::teams::{teams_document_kind, ChatRequest, MeetingRequest};
use crate::model::workload::{is_workload_document, WorkloadRequest};
use crate::render::matrix::{MatrixFormat, MatrixWriter};
use crate::render::{self, human::Style};
use crate::source::{Sources, Span};
use crate::validate::Validated;

pub fn run(args: &WhatifArgs, color: bool) -> u8 {
    let style = Style {
        color,
        ..Style::default()
    };
    let loaded = match crate::load::load_pack(&args.pack) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let validation = crate::check(&loaded);
    let validated = match validation.validated {
        Some(v) if !has_errors(&validation.diagnostics) => v,
        _ => {
            eprint!(
                "{}",
                render::human::render(&loaded.sources, &validation.diagnostics, style)
            );
            eprintln!(
                "{}: {}",
                args.pack.display(),
                render::summary(&validation.diagnostics)
            );
            return EXIT_FINDINGS;
        }
    };
    let options = Options {
        assume_missing: match args.assume_missing {
            AssumeMissingArg::Unknown => AssumeMissing::Unknown,
            AssumeMissingArg::NotMatching => AssumeMissing::NotMatching,
        },
    };
    if let Some(path) = &args.matrix {
        return run_matrix(&validated, path, args, options, style);
    }
    if args.format == WhatifFormat::Csv {
        eprintln!("error: `--format csv` is for `--matrix` tables");
        return EXIT_USAGE;
    }
    let source = match (&args.request_file, &args.request) {
        (Some(_), Some(_)) => {
            eprintln!("error: give the request once: as an argument or with `--request`");
            return EXIT_USAGE;
        }
        (Some(p), None) | (None, Some(p)) => Some(p.as_path()),
        (None, None) => None,
    };
    let (name, text) = match source {
        Some(p) => match crate::input::read(p, crate::input::Kind::Yaml) {
            Ok(t) => (p.display().to_string(), t.text),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_USAGE;
            }
        },
        None if !args.set.is_empty() => ("--set".to_string(), String::new()),
        None => {
            eprintln!("error: no request: give a request file, `--request -` for stdin, or `--set path=value`");
            return EXIT_USAGE;
        }
    };
    if is_share_document(&text) {
        return run_share(&validated, &name, &text, args.format, style);
    }
    if is_provision_document(&text) {
        return run_provision(&validated, &name, &text, args.format, style);
    }
    if is_mail_document(&text) {
        return run_mail(&validated, &name, &text, args.format, style);
    }
    if is_outbound_document(&text) {
        return run_outbound(&validated, &name, &text, args.format, style);
    }
    if let Some(kind) = teams_document_kind(&text) {
        return run_teams(&validated, kind, &name, &text, args.format, style);
    }
    if is_workload_document(&text) {
        return run_workload(&validated, &name, &text, args.format, style);
    }
    let mut doc = if text.trim().is_empty() {
        RequestDoc::default()
    } else {
        match RequestDoc::parse(&text) {
            Ok(d) => d,
            Err(e) => return request_error(&name, &text, &e, style),
        }
    };
    for assignment in &args.set {
        match RequestDoc::from_assignment(assignment) {
            Ok(over) => doc.merge(&over),
            Err(e) => return request_error("--set", "", &e, style),
        }
    }
    let compiled = eval::compile(&validated);
    let (request, filled) = match eval::directory::complete(&compiled, &doc) {
        Ok(r) => r,
        Err(e) => return request_error(&name, &text, &e, style),
    };
    let resolved = match eval::resolve(&compiled, &request) {
        Ok(r) => r,
        Err(e) => return request_error(&name, &text, &e, style),
    };
    let evaluation = eval::decide_resolved(&compiled, &resolved, options);
    match args.format {
        WhatifFormat::Json => emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&render::whatif::json_filled(&evaluation, &filled))
                .unwrap_or_else(|_| "{}".into())
        )),
        _ => emit(&render::whatif::text_filled(
            &evaluation,
            render::whatif::View {
                color,
                applied_only: args.applied_only,
            },
            &filled,
        )),
    }
    EXIT_OK
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// A share request: may something be shared with an external person (`eval::sharing`).
fn run_share(
    validated: &Validated,
    name: &str,
    text: &str,
    format: WhatifFormat,
    style: Style,
) -> u8 {
    let request = match ShareRequest::parse(text) {
        Ok(r) => r,
        Err(ShareRequestError::Invalid {
            message,
            line,
            column,
        }) => {
            let mut err = RequestError::new("share", message).help(
                "a share request is `share: { service, with, ... }` (see `accord whatif --help`)",
            );
            err.line = line;
            err.column = column;
            return request_error(name, text, &err, style);
        }
    };
    let decision = crate::eval::sharing::decide_share(validated, &request);
    emit_answer(&decision, format!("{decision}\n"), format)
}

/// Prints a share or provisioning answer as JSON or as its text, and returns exit 0.
fn emit_answer(answer: &impl serde::Serialize, text: String, format: WhatifFormat) -> u8 {
    match format {
        WhatifFormat::Json => emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(answer).unwrap_or_else(|_| "{}".into())
        )),
        _ => emit(&text),
    }
    EXIT_OK
}

/// A provisioning request: what the directory does with an address (`eval::directory`).
fn run_provision(
    validated: &Validated,
    name: &str,
    text: &str,
    format: WhatifFormat,
    style: Style,
) -> u8 {
    let request = match ProvisionRequest::parse(text) {
        Ok(r) => r,
        Err(e) => {
            let mut err = RequestError::new("provision", e.message).help(
                "a provisioning request is `provision: { action, address, ... }` (see `accord whatif --help`)",
            );
            err.line = e.line;
            err.column = e.column;
            return request_error(name, text, &err, style);
        }
    };
    let compiled = eval::compile(validated);
    let decision = eval::directory::decide_provision(&compiled, &request);
    emit_answer(&decision, decision.to_string(), format)
}

/// A `chat:` or `meeting:` request: Teams external access, guest access, shared channels and
/// the meeting lobby (`eval::sharing::decide_chat`, `decide_meeting`).
fn run_teams(
    validated: &Validated,
    kind: &str,
    name: &str,
    text: &str,
    format: WhatifFormat,
    style: Style,
) -> u8 {
    let compiled = eval::compile(validated);
    let decision = if kind == "chat" {
        ChatRequest::parse(text).map(|r| eval::sharing::decide_chat(&compiled, &r))
    } else {
        MeetingRequest::parse(text).map(|r| eval::sharing::decide_meeting(&compiled, &r))
    };
    match decision {
        Ok(d) => emit_answer(&d, d.to_string(), format),
        Err(e) => {
            let shape = if kind == "chat" {
                "a chat request is `chat: { with, account, action, ... }` (see `accord whatif --help`)"
            } else {
                "a meeting request is `meeting: { account, with, invited, policy }` (see `accord whatif --help`)"
            };
            let mut err = RequestError::new(e.kind, e.message).help(shape);
            err.line = e.line;
            err.column = e.column;
            request_error(name, text, &err, style)
        }
    }
}

/// A `mail:` request: which connector handles a message with a partner domain, and what
/// happens to it (`eval::mail`).
fn run_mail(
    validated: &Validated,
    name: &str,
    text: &str,
    format: WhatifFormat,
    style: Style,
) -> u8 {
    match MailRequest::parse(text) {
        Ok(r) => {
            let d = eval::mail::decide_mail(validated, &r);
            rendered(format, || render::mail::json(&d), || render::mail::text(&d))
        }
        Err(e) => unreadable(
            (name, text),
            "mail",
            "a mail request is `mail: { direction, domain, ip, tls, certificate, auto_forward, auto_reply }` (see `accord whatif --help`)",
            (e.message, e.line, e.column),
            style,
        ),
    }
}

/// Prints an answer with its JSON or its text renderer, and returns exit 0.
fn rendered(
    format: WhatifFormat,
    json: impl FnOnce() -> String,
    text: impl FnOnce() -> String,
) -> u8 {
    match format {
        WhatifFormat::Json => emit(&json()),
        _ => emit(&text()),
    }
    EXIT_OK
}

/// A request document of `kind` that could not be read: a diagnostic pointing into it (its
/// message, line and column), with the document's shape as help; exit 2.
fn unreadable(
    (name, text): (&str, &str),
    kind: &str,
    shape: &str,
    (message, line, column): (String, Option<usize>, Option<usize>),
    style: Style,
) -> u8 {
    let mut err = RequestError::new(kind, message).help(shape);
    err.line = line;
    err.column = column;
    request_error(name, text, &err, style)
}

/// A `workload:` request: may a service principal get a token (`eval::workload`).
fn run_workload(
    validated: &Validated,
    name: &str,
    text: &str,
    format: WhatifFormat,
    style: Style,
) -> u8 {
    match WorkloadRequest::parse(text) {
        Ok(r) => {
            let compiled = eval::compile(validated);
            let d = eval::workload::decide_workload(&compiled, &r);
            rendered(format, || render::workload::json(&d), || render::workload::text(&d))
        }
        Err(e) => unreadable(
            (name, text),
            "workload",
            "a workload request is `workload: { service_principal, name, single_tenant, managed_identity, agent, app, ip, country, risk, attributes }` (see `accord whatif --help`)",
            (e.message, e.line, e.column),
            style,
        ),
    }
}

/// An `outbound:` request: our outbound B2B settings and tenant restrictions
/// (`eval::outbound`).
fn run_outbound(
    validated: &Validated,
    name: &str,
    text: &str,
    format: WhatifFormat,
    style: Style,
) -> u8 {
    let compiled = eval::compile(validated);
    let decided = OutboundRequest::parse(text)
        .and_then(|r| eval::outbound::decide_outbound(&compiled, &r).map_err(|e| at_key(text, e)));
    match decided {
        Ok(d) => {
            match format {
                WhatifFormat::Json => emit(&render::outbound::json(&d)),
                _ => emit(&render::outbound::text(&d)),
            }
            EXIT_OK
        }
        Err(err) => request_error(name, text, &err, style),
    }
}

/// A request error placed at its key in the request text, when it names one.
fn at_key(text: &str, mut err: RequestError) -> RequestError {
    if let Some((line, column)) = crate::yaml::key_position(text, &err.path) {
        err.line = Some(line);
        err.column = Some(column);
    }
    err
}

/// Prints a request error as a diagnostic pointing into the request file, and returns exit 2.
fn request_error(name: &str, text: &str, e: &RequestError, style: Style) -> u8 {
    let mut sources = Sources::default();
    let file = sources.add(name, text.to_string());
    let mut d = Diagnostic::error("E2001", e.message.clone());
    match place(text, e) {
        Some((line, col)) => {
            if let Some(offset) = offset_of(text, line, col) {
                d = d.at(Span::new(file, offset, offset));
            }
        }
        None if !e.path.is_empty() => d.message = format!("`{}`: {}", e.path, d.message),
        None => d.message = format!("`{name}`: {}", d.message),
    }
    if let Some(h) = &e.help {
        d = d.help(h.clone());
    }
    eprint!("{}", render::human::render(&sources, &[d], style));
    EXIT_USAGE
}

/// Where a request error is: its own position, unless that is the start of the document (serde
/// reports some value errors at the enclosing mapping) and the field or the value it names can
/// be found; else the field's key, or the value named in backticks.
fn place(text: &str, e: &RequestError) -> Option<(usize, usize)> {
    let named_value = || {
        let start = e.message.find('`')? + 1;
        let end = e.message[start..].find('`')? + start;
        crate::yaml::value_position(text, &e.message[start..end])
    };
    let found = || {
        (!e.path.is_empty())
            .then(|| crate::yaml::key_position(text, &e.path))
            .flatten()
            .or_else(named_value)
    };
    match (e.line, e.column) {
        (Some(1), Some(1)) => found().or(Some((1, 1))),
        (Some(l), Some(c)) => Some((l, c)),
        _ => found(),
    }
}

/// The byte offset of a 1-based line and column.
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    Some((start + column.saturating_sub(1)).min(text.len()))
}

fn run_matrix(
    validated: &Validated,
    path: &Path,
    args: &WhatifArgs,
    options: Options,
    style: Style,
) -> u8 {
    let name = path.display().to_string();
    let text = match crate::input::read(path, crate::input::Kind::Yaml) {
        Ok(t) => t.text,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let m = match Matrix::parse(&text, args.max_rows) {
        Ok(m) => m,
        Err(e) => return request_error(&name, &text, &e, style),
    };
    if m.rows() > matrix::WARN_ROWS {
        eprintln!(
            "warning: the matrix has {} combinations: this takes a while and writes a lot",
            matrix::thousands(m.rows())
        );
    }
    let format = match args.format {
        WhatifFormat::Text => MatrixFormat::Text,
        WhatifFormat::Csv => MatrixFormat::Csv,
        WhatifFormat::Json => MatrixFormat::Json,
    };
    let compiled = eval::compile(validated);
    let stdout = std::io::stdout().lock();
    let mut writer = match MatrixWriter::new(std::io::BufWriter::new(stdout), &m, format) {
        Ok(w) => w,
        Err(_) => return EXIT_OK,
    };
    let result = matrix::evaluate(&compiled, &m, options, matrix::CHUNK_ROWS, |rows| {
        writer.rows(&m, rows)
    });
    match result {
        Ok(()) => {
            let _ = writer.finish();
            EXIT_OK
        }
        Err(EvaluateError::Row(e)) => request_error(&name, "", &e, style),
        // A closed pipe (`| head`) ends the run; nothing is left to tell anyone.
        Err(EvaluateError::Sink(_)) => EXIT_OK,
    }
}

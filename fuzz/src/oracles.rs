//! What each fuzz target checks, as plain functions over bytes.
//!
//! This file depends on `accord` and `std` only, so that the integration suite can include it
//! (`tests/suite/hostile/fuzz_regressions.rs`) and replay every input the campaign ever crashed
//! on through exactly the checks that found it. Beyond "no panic", each oracle asserts a
//! property that must hold for any input:
//!
//! - `policy`: a file that parses cleanly formats to text that parses cleanly to the same model
//!   (spans ignored), and formatting is idempotent; a pack that validates compiles, lints and
//!   exports; every diagnostic renders.
//! - `device_filter`: a rule that parses prints to a rule that parses to the same filter.
//! - `request`: a request either is an error or is decided, and the decision-only path agrees
//!   with the traced decision.
//! - `matrix`: a matrix either is an error or each of its rows is decided as the same request
//!   decided alone would be, and its requirements and deciding policies are the trace's.
//! - `test_file`: every case of a test file is run (or reported as an error) without a panic.
//! - `graph_import`: an import without errors writes a pack that passes `accord check`.

use std::sync::OnceLock;

use accord::eval::{self, Compiled, Options};
use accord::validate::Validated;

/// The pack requests are decided against: the shipped `contoso-group` (an organisation, partners,
/// locations, device filters and sharing: most of the evaluator is reachable from it).
pub fn contoso() -> &'static (Validated, Compiled) {
    static PACK: OnceLock<(Validated, Compiled)> = OnceLock::new();
    PACK.get_or_init(|| {
        let loaded = accord::load::load_texts(CONTOSO_FILES);
        let validated = accord::check(&loaded)
            .validated
            .expect("the shipped contoso-group pack checks");
        let compiled = eval::compile(&validated);
        (validated, compiled)
    })
}

/// Bytes as the CLI would read them from a file (BOM, UTF-16, limits), or `None` when the CLI
/// would refuse them with an error.
fn text(data: &[u8], kind: accord::input::Kind) -> Option<String> {
    let text = accord::input::decode("fuzz-input", data).ok()?.text;
    accord::input::check("fuzz-input", &text, kind).ok()?;
    Some(text)
}

/// Renders diagnostics as the CLI does, so that odd spans reach the snippet code.
fn render(sources: &accord::source::Sources, diagnostics: &[accord::diagnostic::Diagnostic]) {
    let style = accord::render::human::Style::default();
    let _ = accord::render::human::render(sources, diagnostics, style);
    let _ = accord::render::json::render(sources, diagnostics);
}

pub fn policy(data: &[u8]) {
    let Some(text) = text(data, accord::input::Kind::Policy) else {
        return;
    };
    let loaded = accord::load::load_texts([("fuzz.policy", text.as_str())]);
    let validation = accord::check(&loaded);
    render(&loaded.sources, &validation.diagnostics);
    if let Some(validated) = &validation.validated {
        let compiled = eval::compile(validated);
        let findings = accord::lint::run(validated, &compiled, &accord::lint::Selection::all());
        render(&loaded.sources, &findings);
        let _ = accord::graph::export(validated, &Default::default());
    }
    let (id, parsed) = &loaded.files[0];
    if !accord::fmt::formattable(parsed) {
        return;
    }
    let once = accord::fmt::format_file(parsed, *id, &text);
    let reparsed = accord::syntax::parse_file(*id, &once);
    assert!(
        accord::fmt::formattable(&reparsed),
        "the formatted text does not parse: {:?}\n{once}",
        reparsed.diagnostics
    );
    assert!(
        reparsed.pack.same_as(&parsed.pack),
        "formatting changed the model:\n{once}"
    );
    let twice = accord::fmt::format_file(&reparsed, *id, &once);
    assert_eq!(once, twice, "formatting is not idempotent");
}

pub fn device_filter(data: &[u8]) {
    let Ok(rule) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(filter) = accord::syntax::device_filter::parse_device_filter(rule) else {
        return;
    };
    let printed = filter.to_string();
    let again = match accord::syntax::device_filter::parse_device_filter(&printed) {
        Ok(again) => again,
        // The length limit is the platform's limit on the rule as written; the canonical print
        // (escapes written out, brackets added) may be longer than the text it came from, and is
        // never parsed again by accord (fmt and export keep the text as written).
        Err(errors)
            if printed.chars().count() > accord::model::device_filter::MAX_RULE_CHARS
                && errors.iter().all(|e| e.message.contains("characters long")) =>
        {
            return;
        }
        Err(e) => panic!("`{printed}` (printed from `{rule}`) does not parse: {e:?}"),
    };
    assert_eq!(again, filter, "printing `{rule}` as `{printed}` changed it");
}

/// Decides one request, checking the fast path against the trace.
fn decide_checked(compiled: &Compiled, request: &accord::model::request::Request) {
    let Ok(resolved) = eval::resolve(compiled, request) else {
        return;
    };
    for options in [
        Options::default(),
        Options {
            assume_missing: eval::AssumeMissing::NotMatching,
        },
    ] {
        let traced = eval::decide_resolved(compiled, &resolved, options);
        let fast = eval::decide_fast(compiled, &resolved, options);
        assert_eq!(
            (traced.decision, traced.possible, traced.depends_on),
            (fast.decision, fast.possible, fast.depends_on),
            "the fast path disagrees with the trace for {request:?}"
        );
        let _ = accord::render::whatif::text(&traced);
    }
}

pub fn request(data: &[u8]) {
    let Some(text) = text(data, accord::input::Kind::Yaml) else {
        return;
    };
    let (validated, compiled) = contoso();
    if accord::model::request::is_share_document(&text) {
        if let Ok(share) = accord::model::share::ShareRequest::parse(&text) {
            let _ = accord::eval::sharing::decide_share(validated, &share);
        }
        return;
    }
    if let Ok(request) = accord::model::request::Request::parse(&text) {
        decide_checked(compiled, &request);
    }
}

pub fn matrix(data: &[u8]) {
    use accord::eval::matrix::{self, Matrix};
    let Some(text) = text(data, accord::input::Kind::Yaml) else {
        return;
    };
    let Ok(m) = Matrix::parse(&text, 4096) else {
        return;
    };
    let (_, compiled) = contoso();
    let Ok(rows) = matrix::evaluate_all(compiled, &m, Options::default()) else {
        return;
    };
    for row in rows {
        // Rows are filled from the pack's directory as `accord whatif` fills them.
        let (request, _) = eval::directory::complete(compiled, &m.document(row.index))
            .expect("a decided row is a valid request");
        let resolved = eval::resolve(compiled, &request).expect("a decided row resolves");
        let alone = eval::decide_fast(compiled, &resolved, Options::default());
        assert_eq!(row.outcome, alone, "row {} decided differently", row.index);
        if alone.decision != eval::Decision::Allow {
            let traced = eval::decide_resolved(compiled, &resolved, Options::default());
            assert_eq!(
                (
                    row.requirements,
                    row.deciding,
                    row.gate_blocked,
                    row.assignment_blocked
                ),
                {
                    let (requirements, deciding, gate) = matrix::explain_traced(&traced);
                    let assignment = matrix::assignment_blocked_traced(&traced);
                    (requirements, deciding, gate, assignment)
                },
                "row {} is explained differently from its trace",
                row.index
            );
        }
    }
}

pub fn test_file(data: &[u8]) {
    let Some(text) = text(data, accord::input::Kind::Yaml) else {
        return;
    };
    let (validated, _) = contoso();
    let mut suite = accord::testing::Suite::default();
    suite.add("fuzz.test.yaml", text);
    let results = suite.run(validated, None, &accord::render::testing::WhatifText);
    let _ =
        accord::render::testing::results_text(&suite.sources, &results, true, Default::default());
}

pub fn graph_import(data: &[u8]) {
    // The first byte picks the options, so that both syntaxes and `--tenant` are reached.
    let Some((&flags, bytes)) = data.split_first() else {
        return;
    };
    let options = accord::graph::ImportOptions {
        lenient: flags & 1 == 1,
        tenant: (flags & 2 == 2).then(|| "contoso.com".to_string()),
        ..Default::default()
    };
    let input = accord::graph::InputFile {
        path: "fuzz.json".into(),
        bytes: bytes.to_vec(),
    };
    let import = accord::graph::import(&[input], &options);
    render(&import.sources, &import.diagnostics);
    if accord::diagnostic::has_errors(&import.diagnostics) {
        return;
    }
    let files = accord::graph::files::pack_files(&import.pack, "");
    let loaded = accord::load::load_texts(files.iter().map(|f| (f.name.as_str(), f.text.as_str())));
    let validation = accord::check(&loaded);
    let errors: Vec<_> = validation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(
        errors.is_empty(),
        "the imported pack does not check: {errors:?}\n{}",
        files
            .iter()
            .map(|f| format!("# {}\n{}", f.name, f.text))
            .collect::<String>()
    );
}

/// The options byte of `signin_log`: bit 0 `--lenient`, bit 1 `--assume-missing not_matching`,
/// bit 2 `--baseline` (the pack itself).
pub fn signin_log(data: &[u8]) {
    use accord::replay::{engine::Rows, map, read, record::SignIn, Engine};
    use std::sync::atomic::AtomicU64;
    use std::sync::Arc;
    let Some((&flags, bytes)) = data.split_first() else {
        return;
    };
    let (_, compiled) = contoso();
    let options = Options {
        assume_missing: if flags & 2 == 2 {
            eval::AssumeMissing::NotMatching
        } else {
            eval::AssumeMissing::Unknown
        },
    };
    let baseline = (flags & 4 == 4).then_some(compiled);
    // `accord replay` streams files from disk; the log goes through a file of this process.
    let path = std::env::temp_dir().join(format!("accord-fuzz-signins-{}", std::process::id()));
    if std::fs::write(&path, bytes).is_err() {
        return;
    }
    let mut chunks = Vec::new();
    let read = read::read_file(&path, Arc::new(AtomicU64::new(0)), &mut |c| chunks.push(c));
    let _ = std::fs::remove_file(&path);
    if let Err(e) = &read {
        let _ = e.to_string();
    }
    let mut engine = Engine::new(compiled, baseline, None, options);
    engine.lenient = flags & 1 == 1;
    engine.rows = Rows::All;
    let mut summary = engine.empty_summary();
    let mut rows = Vec::new();
    for chunk in &chunks {
        let result = engine.chunk(chunk);
        rows.extend(result.rows);
        summary.merge(result.summary);
    }
    assert_eq!(
        summary.read,
        summary.replayed + summary.skipped_total(),
        "read != replayed + skipped: {summary:?}"
    );
    assert_eq!(summary.decisions.iter().sum::<u64>(), summary.replayed);
    assert_eq!(rows.len() as u64, summary.replayed, "one row per sign-in");
    if baseline.is_some() {
        assert_eq!(
            summary.changed_total(),
            0,
            "the pack changes its own decisions"
        );
        assert_eq!(summary.baseline_decisions, summary.decisions);
    }
    let limits = accord::replay::limits::limits(compiled.pack(), false);
    let view = accord::render::replay::View {
        pack_name: "contoso-group",
        pack: compiled.pack(),
        baseline_name: baseline.map(|_| "contoso-group"),
        baseline: baseline.map(|b| b.pack()),
        summary: &summary,
        limits: &limits,
    };
    let json = accord::render::replay::json(&view);
    assert_eq!(
        json.pointer("/read").and_then(|v| v.as_u64()),
        Some(summary.read),
        "the JSON report says how many sign-ins were read"
    );
    let _ = accord::render::replay::text(&view);
    let _ = accord::render::replay::markdown(&view);
    for r in &rows {
        let _ = accord::render::replay::csv_record(r);
    }
    // Every record the engine replayed, mapped again and decided by both paths.
    let resource_tenant = compiled
        .pack()
        .resource_tenant()
        .and_then(|t| t.id.as_ref())
        .map(|id| id.value.to_ascii_lowercase());
    let context = map::Context {
        resource_tenant,
        resource_name: compiled
            .pack()
            .resource_tenant()
            .map(|t| t.name.value.clone()),
        directory: None,
    };
    let mut decide = |s: SignIn<'_>| {
        let mut notes = map::Notes::default();
        if let map::Mapped::Replay(request) = map::map(&s.unfold(), &context, &mut notes) {
            decide_checked(compiled, &request);
        }
    };
    for chunk in &chunks {
        match &chunk.body {
            read::Body::Json { data, records, .. } => {
                for &(start, end, line) in records {
                    each_signin(&data[start..end], line, 0, &mut decide);
                }
            }
            read::Body::Csv { headers, rows } => {
                for row in rows {
                    let cells = headers
                        .iter()
                        .map(String::as_str)
                        .zip(row.iter().map(accord::replay::fields::Cell));
                    let map =
                        serde::de::value::MapDeserializer::<_, serde::de::value::Error>::new(cells);
                    if let Ok(s) = <SignIn as serde::Deserialize>::deserialize(map) {
                        decide(s);
                    }
                }
            }
        }
    }
}

/// The sign-ins of one JSON record: the record, or the elements of a list response.
fn each_signin(
    bytes: &[u8],
    line: u64,
    depth: usize,
    f: &mut dyn FnMut(accord::replay::record::SignIn<'_>),
) {
    use accord::replay::record::SignIn;
    let Ok(s) = serde_json::from_slice::<SignIn>(bytes) else {
        return;
    };
    if s.page.is_none() {
        return f(s);
    }
    if depth > 8 {
        return;
    }
    let mut inner = Vec::new();
    let mut framer = accord::replay::frame::Framer::new(bytes, line);
    if framer.run(&mut |b, l| inner.push((b.to_vec(), l))).is_ok() {
        for (b, l) in inner {
            each_signin(&b, l, depth + 1, f);
        }
    }
}

/// The folder the `lsp` oracle's documents live in: it does not exist, so the server's pack is
/// the open documents only (the files of `contoso-group`, opened first).
pub const LSP_FOLDER: &str = "/accord-fuzz/contoso-group";

/// The files of `policies/contoso-group`, as (name, text).
pub const CONTOSO_FILES: [(&str, &str); 7] = [
    (
        "tenants.policy",
        include_str!("../../policies/contoso-group/tenants.policy"),
    ),
    (
        "locations.policy",
        include_str!("../../policies/contoso-group/locations.policy"),
    ),
    (
        "cross_tenant.policy",
        include_str!("../../policies/contoso-group/cross_tenant.policy"),
    ),
    (
        "policies.policy",
        include_str!("../../policies/contoso-group/policies.policy"),
    ),
    (
        "sharing.policy",
        include_str!("../../policies/contoso-group/sharing.policy"),
    ),
    (
        "directory.policy",
        include_str!("../../policies/contoso-group/directory.policy"),
    ),
    (
        "strengths.policy",
        include_str!("../../policies/contoso-group/strengths.policy"),
    ),
];

/// A server with every file of `contoso-group` open (analysed once, cloned for each input).
fn lsp_server() -> accord::lsp::Server {
    static SERVER: OnceLock<accord::lsp::Server> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            let mut server = accord::lsp::Server::default();
            for (name, text) in CONTOSO_FILES {
                let open = serde_json::json!({
                    "jsonrpc": "2.0",
                    "method": "textDocument/didOpen",
                    "params": {"textDocument": {
                        "uri": format!("file://{LSP_FOLDER}/{name}"),
                        "languageId": "accord", "version": 1, "text": text}}
                });
                let message = serde_json::from_value(open).expect("a didOpen notification");
                server.handle(message);
            }
            server
        })
        .clone()
}

/// Whether `params` are what `method` takes (a request the server must answer without error).
fn well_formed(method: &str, params: &serde_json::Value) -> bool {
    use lsp_types::request::{self as r, Request as _};
    fn is<T: serde::de::DeserializeOwned>(params: &serde_json::Value) -> bool {
        serde_json::from_value::<T>(params.clone()).is_ok()
    }
    let file_uri = params
        .pointer("/textDocument/uri")
        .and_then(|u| u.as_str())
        .is_some_and(|u| u.starts_with("file:///"));
    match method {
        r::Initialize::METHOD => is::<lsp_types::InitializeParams>(params),
        r::Shutdown::METHOD => true,
        r::HoverRequest::METHOD => file_uri && is::<lsp_types::HoverParams>(params),
        r::GotoDefinition::METHOD => file_uri && is::<lsp_types::GotoDefinitionParams>(params),
        r::References::METHOD => file_uri && is::<lsp_types::ReferenceParams>(params),
        r::Completion::METHOD => file_uri && is::<lsp_types::CompletionParams>(params),
        r::Formatting::METHOD => file_uri && is::<lsp_types::DocumentFormattingParams>(params),
        r::CodeActionRequest::METHOD => file_uri && is::<lsp_types::CodeActionParams>(params),
        r::DocumentSymbolRequest::METHOD => {
            file_uri && is::<lsp_types::DocumentSymbolParams>(params)
        }
        r::SemanticTokensFullRequest::METHOD => {
            file_uri && is::<lsp_types::SemanticTokensParams>(params)
        }
        _ => false,
    }
}

/// A script of LSP messages, one JSON-RPC message per line (lines that are not one are
/// skipped), driven through the server in-process after the files of `contoso-group` are
/// opened. Every request gets exactly one response with its id, without error when the
/// request is well formed; published diagnostics and hover ranges lie within their document.
pub fn lsp(script: &[u8]) {
    use lsp_server::Message;
    let Ok(script) = std::str::from_utf8(script) else {
        return;
    };
    let mut server = lsp_server();
    // The text of every open document, to check the positions the server sends back.
    let mut texts: std::collections::BTreeMap<String, String> = CONTOSO_FILES
        .iter()
        .map(|(name, text)| (format!("file://{LSP_FOLDER}/{name}"), text.to_string()))
        .collect();
    for line in script.lines() {
        let Ok(message) = serde_json::from_str::<Message>(line) else {
            continue;
        };
        let request = match &message {
            Message::Request(r) => Some((r.id.clone(), r.method.clone(), r.params.clone())),
            Message::Notification(n) => {
                let uri = n
                    .params
                    .pointer("/textDocument/uri")
                    .and_then(|u| u.as_str());
                let text = match n.method.as_str() {
                    "textDocument/didOpen" => n.params.pointer("/textDocument/text"),
                    "textDocument/didChange" => n
                        .params
                        .get("contentChanges")
                        .and_then(|c| c.as_array())
                        .and_then(|c| c.last())
                        .and_then(|c| c.get("text")),
                    _ => None,
                };
                if let (Some(uri), Some(text)) = (uri, text.and_then(|t| t.as_str())) {
                    texts.insert(uri.to_string(), text.to_string());
                }
                if let (Some(uri), "textDocument/didClose") = (uri, n.method.as_str()) {
                    texts.remove(uri);
                }
                None
            }
            Message::Response(_) => None,
        };
        let out = server.handle(message);
        for m in &out {
            if let Message::Notification(n) = m {
                let uri = n.params.get("uri").and_then(|u| u.as_str()).unwrap_or("");
                let Some(text) = texts.get(uri) else { continue };
                let diagnostics = n.params.get("diagnostics").and_then(|d| d.as_array());
                for d in diagnostics.into_iter().flatten() {
                    assert_range_within(text, d.get("range"), "a diagnostic");
                }
            }
        }
        let Some((id, method, params)) = request else {
            continue;
        };
        let responses: Vec<&lsp_server::Response> = out
            .iter()
            .filter_map(|m| match m {
                Message::Response(r) => Some(r),
                _ => None,
            })
            .collect();
        assert_eq!(
            responses.len(),
            1,
            "`{method}` got {} responses",
            responses.len()
        );
        let response = responses[0];
        assert_eq!(response.id, id, "the response to `{method}` has another id");
        if well_formed(&method, &params) {
            assert!(
                response.response_result.is_ok(),
                "`{method}` answered {:?} to {params}",
                response.response_result
            );
        }
        let uri = params.pointer("/textDocument/uri").and_then(|u| u.as_str());
        let result = response.response_result.as_ref().ok();
        if let (Some(text), Some(result)) = (uri.and_then(|u| texts.get(u)), result) {
            if method == "textDocument/hover" {
                assert_range_within(text, result.get("range"), "a hover");
            }
            // An open `.policy` document has tokens (a closed one that is not on disk has
            // none: `null`, found by the campaign; it is no longer in `texts`).
            if method == "textDocument/semanticTokens/full"
                && uri.is_some_and(|u| u.ends_with(".policy"))
            {
                let data = result.get("data").and_then(|d| d.as_array());
                assert!(
                    data.is_some_and(|d| d.len() % 5 == 0),
                    "semantic tokens: {result}"
                );
            }
        }
    }
}

/// An LSP range (when there is one) lies within `text`: its lines exist, and it does not end
/// before it starts.
fn assert_range_within(text: &str, range: Option<&serde_json::Value>, what: &str) {
    let Some(range) = range else { return };
    let at = |p: &str| {
        let line = range
            .pointer(&format!("/{p}/line"))
            .and_then(|v| v.as_u64());
        let character = range
            .pointer(&format!("/{p}/character"))
            .and_then(|v| v.as_u64());
        (line.unwrap_or(u64::MAX), character.unwrap_or(u64::MAX))
    };
    let (start, end) = (at("start"), at("end"));
    let lines = text.split('\n').count() as u64;
    assert!(
        start <= end && end.0 < lines.max(1),
        "{what} range {range} is outside a document of {lines} lines"
    );
}

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
        let loaded = accord::load::load_texts([
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
        ]);
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
        let request = accord::model::request::Request::from_doc(&m.document(row.index))
            .expect("a decided row is a valid request");
        let resolved = eval::resolve(compiled, &request).expect("a decided row resolves");
        let alone = eval::decide_fast(compiled, &resolved, Options::default());
        assert_eq!(row.outcome, alone, "row {} decided differently", row.index);
        if alone.decision != eval::Decision::Allow {
            let traced = eval::decide_resolved(compiled, &resolved, Options::default());
            assert_eq!(
                (row.requirements, row.deciding, row.gate_blocked),
                matrix::explain_traced(&traced),
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

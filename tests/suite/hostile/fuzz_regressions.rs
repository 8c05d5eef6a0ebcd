//! Every input the fuzz campaign crashed on, replayed through the oracle that found it.
//!
//! `tests/fixtures/fuzz/<target>/<name>` holds the inputs (as libFuzzer saved them, minimised);
//! the oracles are the fuzz crate's own (`fuzz/src/oracles.rs`, included here so that the
//! suite and the campaign check exactly the same properties). Adding a regression: copy the
//! artifact into the target's folder with a name that says what it found.

#[path = "../../../fuzz/src/oracles.rs"]
#[allow(dead_code)]
mod oracles;

use std::path::Path;

/// A fuzz oracle: panics when its property does not hold.
type Oracle = fn(&[u8]);

fn replay(target: &str, oracle: Oracle) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut files: Vec<_> = entries.map(|e| e.expect("entry").path()).collect();
    files.sort();
    for file in &files {
        let bytes = std::fs::read(file).expect("read the regression input");
        let run = std::panic::catch_unwind(|| oracle(&bytes));
        assert!(run.is_ok(), "{} fails its oracle again", file.display());
    }
    files.len()
}

#[test]
fn every_crash_the_campaign_found_stays_fixed() {
    let targets: [(&str, Oracle); 8] = [
        ("policy", oracles::policy),
        ("device_filter", oracles::device_filter),
        ("request", oracles::request),
        ("matrix", oracles::matrix),
        ("test_file", oracles::test_file),
        ("graph_import", oracles::graph_import),
        ("signin_log", oracles::signin_log),
        ("lsp", oracles::lsp),
    ];
    let mut replayed = 0;
    for (target, oracle) in targets {
        replayed += replay(target, oracle);
    }
    // The seeds below are the shallowest inputs of each oracle: they keep the oracles
    // themselves exercised even when no crash is recorded for a target.
    oracles::policy(include_bytes!(
        "../../../policies/contoso-group/policies.policy"
    ));
    oracles::device_filter(b"device.model -eq \"x\" -or (device.isCompliant -eq True)");
    oracles::request(
        b"user: { name: bob@fabrikam.com, type: guest, home: fabrikam }\napp: sharepoint\n",
    );
    oracles::matrix(include_bytes!(
        "../../../policies/contoso-group/matrix.yaml"
    ));
    oracles::test_file(include_bytes!(
        "../../../policies/contoso-group/tests/access.test.yaml"
    ));
    let mut graph = vec![3u8];
    graph.extend_from_slice(include_bytes!(
        "../../fixtures/graph/powershell/policy.json"
    ));
    oracles::graph_import(&graph);
    for log in [
        &include_bytes!("../../../policies/contoso-group/signins.jsonl")[..],
        include_bytes!("../../fixtures/replay/portal-download.csv"),
        include_bytes!("../../fixtures/replay/powershell-utf16le.json"),
    ] {
        for flags in [0u8, 7] {
            let mut input = vec![flags];
            input.extend_from_slice(log);
            oracles::signin_log(&input);
        }
    }
    oracles::lsp(LSP_SESSION.as_bytes());
    let _ = replayed;
}

/// A short editing session: a location renamed (which breaks a reference in another file),
/// then requests on both files, and a line that is not a message.
const LSP_SESSION: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}
{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///accord-fuzz/contoso-group/locations.policy","version":2},"contentChanges":[{"text":"location office { ip = [\"203.0.113.0/24\"] trusted }\n"}]}}
{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///accord-fuzz/contoso-group/locations.policy"},"position":{"line":0,"character":10}}}
{"jsonrpc":"2.0","id":3,"method":"textDocument/completion","params":{"textDocument":{"uri":"file:///accord-fuzz/contoso-group/policies.policy"},"position":{"line":3,"character":4}}}
{"jsonrpc":"2.0","id":4,"method":"textDocument/semanticTokens/full","params":{"textDocument":{"uri":"file:///accord-fuzz/contoso-group/policies.policy"}}}
{"jsonrpc":"2.0","id":5,"method":"textDocument/formatting","params":{"textDocument":{"uri":"file:///accord-fuzz/contoso-group/locations.policy"},"options":{"tabSize":2,"insertSpaces":true}}}
{"jsonrpc":"2.0","id":6,"method":"textDocument/definition","params":{"textDocument":{"uri":"file:///accord-fuzz/contoso-group/policies.policy"},"position":{"line":99999,"character":99999}}}
not a message
{"jsonrpc":"2.0","id":7,"method":"shutdown"}"#;

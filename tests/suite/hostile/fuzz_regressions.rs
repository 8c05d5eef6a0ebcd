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
    let targets: [(&str, Oracle); 6] = [
        ("policy", oracles::policy),
        ("device_filter", oracles::device_filter),
        ("request", oracles::request),
        ("matrix", oracles::matrix),
        ("test_file", oracles::test_file),
        ("graph_import", oracles::graph_import),
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
    let _ = replayed;
}

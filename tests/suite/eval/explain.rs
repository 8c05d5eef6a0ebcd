//! The matrix's requirements and deciding policies, computed on the decision-only path
//! (`eval::decide_explained`), equal what the traced decision says, over generated packs and
//! requests and over every row of the shipped matrices.

use accord::eval::matrix::{self, Matrix};
use accord::eval::{self, AssumeMissing, Decision, Options};
use accord::model::request::Request;
use proptest::prelude::*;

use super::generate;
use super::support::compile_text;

fn fast(
    compiled: &eval::Compiled,
    resolved: &eval::Resolved<'_>,
    options: Options,
) -> (Vec<String>, Vec<String>, bool, bool) {
    let (outcome, why) = eval::decide_explained(compiled, resolved, options);
    assert_eq!(outcome, eval::decide_fast(compiled, resolved, options));
    (
        why.requirements.iter().map(|r| r.to_string()).collect(),
        why.deciding.iter().map(|p| p.to_string()).collect(),
        why.gate_blocked,
        why.assignment_blocked,
    )
}

/// The traced decision's columns, in the order of `fast`.
fn traced_columns(traced: &eval::Evaluation<'_>) -> (Vec<String>, Vec<String>, bool, bool) {
    let (requirements, deciding, gate) = matrix::explain_traced(traced);
    (
        requirements,
        deciding,
        gate,
        matrix::assignment_blocked_traced(traced),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn explanations_equal_the_trace(pack_seed in any::<u64>(), request_seed in any::<u64>()) {
        let spec = generate::pack(pack_seed, 10 + (pack_seed % 20) as usize);
        let compiled = compile_text(&spec.render());
        for assume in [AssumeMissing::Unknown, AssumeMissing::NotMatching] {
            let options = Options { assume_missing: assume };
            for k in 0..30u64 {
                let text = generate::request_yaml(request_seed.wrapping_add(k));
                let request = Request::parse(&text).expect("generated requests parse");
                let Ok(resolved) = eval::resolve(&compiled, &request) else { continue };
                let traced = eval::decide_resolved(&compiled, &resolved, options);
                if traced.decision == Decision::Allow {
                    continue;
                }
                prop_assert_eq!(
                    fast(&compiled, &resolved, options),
                    traced_columns(&traced),
                    "request:\n{}\npack:\n{}", text, spec.render()
                );
            }
        }
    }
}

#[test]
fn every_shipped_matrix_row_is_explained_as_the_trace_explains_it() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let mut checked = 0;
    for entry in std::fs::read_dir(&root).expect("policies") {
        let pack = entry.expect("entry").path();
        let Ok(text) = std::fs::read_to_string(pack.join("matrix.yaml")) else {
            continue;
        };
        let loaded = accord::load::load_pack(&pack).expect("loads");
        let Some(validated) = accord::check(&loaded).validated else {
            continue;
        };
        let compiled = eval::compile(&validated);
        let m = Matrix::parse(&text, matrix::MAX_ROWS).expect("matrix");
        let rows = matrix::evaluate_all(&compiled, &m, Options::default()).expect("rows");
        for row in rows {
            let (request, _) =
                eval::directory::complete(&compiled, &m.document(row.index)).expect("request");
            let resolved = eval::resolve(&compiled, &request).expect("resolves");
            let traced = eval::decide_resolved(&compiled, &resolved, Options::default());
            let expected = if traced.decision == Decision::Allow {
                (Vec::new(), Vec::new(), false, false)
            } else {
                traced_columns(&traced)
            };
            assert_eq!(
                (
                    row.requirements,
                    row.deciding,
                    row.gate_blocked,
                    row.assignment_blocked
                ),
                expected,
                "{}: row {}",
                pack.display(),
                row.index
            );
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} rows");
}

//! Helpers shared by the evaluator tests.

use accord::eval::{self, Compiled};
use accord::model::request::{Request, RequestDoc};

/// Parses, validates and compiles a pack given as text; panics on any diagnostic error.
pub fn compile_text(text: &str) -> Compiled {
    let loaded = accord::load::load_texts([("pack.policy", text)]);
    let validation = accord::check(&loaded);
    let errors: Vec<String> = validation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(errors.is_empty(), "pack does not check: {errors:#?}");
    eval::compile(validation.validated.as_ref().expect("validated"))
}

/// Compiles a pack folder of the repository.
pub fn compile_dir(path: &str) -> Compiled {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let loaded = accord::load::load_pack(&root.join(path)).expect("pack loads");
    let validation = accord::check(&loaded);
    eval::compile(validation.validated.as_ref().expect("pack validates"))
}

/// A request from a YAML/JSON text.
pub fn request(text: &str) -> Request {
    Request::parse(text).unwrap_or_else(|e| panic!("bad request {text}: {e}"))
}

/// A request from a JSON value.
pub fn request_value(v: serde_json::Value) -> Request {
    let doc: RequestDoc =
        serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("bad request {v}: {e}"));
    Request::from_doc(&doc).unwrap_or_else(|e| panic!("bad request {v}: {e}"))
}

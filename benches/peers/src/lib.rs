//! accord against the engines a team would otherwise encode its rules in: Cedar (`cedar-policy`)
//! and Rego (`regorus`). The same generated packs and requests as `benches/evaluate.rs`; each
//! pack is translated by code here ([`cedar`], [`rego`]) so that the three encodings stay
//! equivalent, and [`agree`] checks that they decide every request alike before anything is timed.
//!
//! The encodings, what they leave out and why are described in `README.md` beside this file.

#[path = "../../../tests/suite/eval/generate.rs"]
mod generate;

pub mod agree;
pub mod cedar;
pub mod ir;
pub mod rego;
pub mod settings;
pub mod workload;

use accord::eval::Decision;

/// A construct of the pack (or of a request) that a translator does not express. The generated
/// packs never use one: a translator that meets one refuses the whole pack instead of
/// approximating it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not translated: {}", self.0)
    }
}

impl std::error::Error for Unsupported {}

/// A decision with what explains it, in terms every engine can state: whether the cross-tenant
/// gate blocked, and otherwise the enforced policies whose result is the decision (sorted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub decision: Decision,
    pub gate_blocked: bool,
    pub deciding: Vec<String>,
}

//! The evaluator: scenario tables, properties, the fast path, snapshots of explanations.

mod fast_path;
mod properties;
mod requests;
mod scenarios;
mod snapshots;
pub mod support;

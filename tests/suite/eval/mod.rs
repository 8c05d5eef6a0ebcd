//! The evaluator: scenario tables, properties, the fast path, snapshots of explanations.

mod allocation;
mod combine;
mod explain;
mod fast_path;
pub mod generate;
mod membership;
mod properties;
mod requests;
mod scenarios;
mod snapshots;
pub mod support;
mod workloads;

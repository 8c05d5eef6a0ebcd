//! `accord replay`: what a pack would have done to real sign-ins.
//!
//! ```text
//! log files --read--> chunks of records (JSON Lines, JSON documents via frame, CSV)
//!     --engine (rayon, per chunk)--> record::SignIn (the mapped fields only, borrowed)
//!                                --map--> model::request::Request (+ unmapped / missing notes)
//!                                --eval::resolve, eval::decide_fast, eval::policy_results-->
//!                                   the pack's decision and per-policy impact (and the
//!                                   baseline's); outcome::logged: what the log recorded
//!     --summary (merged in input order)--> Summary + rows of changed sign-ins
//! ```
//!
//! Memory does not grow with the log: files are streamed, at most a few chunks are in flight,
//! and every list the summary keeps is bounded (`summary::MAX_KEYS`, `MAX_SAMPLES`).
//! `read == replayed + skipped` always: a record that cannot be read, mapped or resolved is
//! skipped with its reason, never counted as allowed.

pub mod auth_details;
pub mod directory;
pub mod engine;
pub mod fields;
pub mod frame;
mod keys;
pub mod limits;
pub mod map;
pub mod outcome;
pub mod read;
pub mod record;
pub mod run;
pub mod summary;
pub mod values;

pub use engine::{Engine, Rows};
pub use run::{run, Progress, Stop};
pub use summary::{Row, Summary};

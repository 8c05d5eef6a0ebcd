//! The integration suite: one test binary, a module per area.

mod graph;
mod invalid;
mod sharing;

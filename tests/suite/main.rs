//! The integration suite: one test binary, one module per area.

mod invalid;
mod lint;
mod sharing;

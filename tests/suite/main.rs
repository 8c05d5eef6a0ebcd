//! The integration suite: one test binary (each extra binary links the crate again), a module
//! per area.

mod fmt;
mod invalid;
mod lint;
mod sharing;

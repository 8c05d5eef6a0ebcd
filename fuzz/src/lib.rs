//! Helpers of the fuzz targets: a target is one small file under `fuzz_targets/` that calls
//! one oracle. Adding a target: write its oracle in `oracles.rs` (so that the integration suite
//! replays its crashes), a three-line file in `fuzz_targets/`, a `[[bin]]` in `Cargo.toml`, and
//! a row in `README.md`.

pub mod oracles;
pub mod session;
pub mod structured;

#![no_main]
//! See `accord_fuzz::oracles::request` for what this target checks.
libfuzzer_sys::fuzz_target!(|data: &[u8]| accord_fuzz::oracles::request(data));

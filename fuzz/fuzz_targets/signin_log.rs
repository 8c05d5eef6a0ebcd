#![no_main]
//! See `accord_fuzz::oracles::signin_log` for what this target checks.
libfuzzer_sys::fuzz_target!(|data: &[u8]| accord_fuzz::oracles::signin_log(data));

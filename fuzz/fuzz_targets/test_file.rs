#![no_main]
//! See `accord_fuzz::oracles::test_file` for what this target checks.
libfuzzer_sys::fuzz_target!(|data: &[u8]| accord_fuzz::oracles::test_file(data));

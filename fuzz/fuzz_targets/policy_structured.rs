#![no_main]
//! An `arbitrary` model of a pack printed as text, then the `policy` oracle: the fuzzer mutates
//! the structure, so most inputs parse and reach validation, formatting and linting.
libfuzzer_sys::fuzz_target!(|pack: accord_fuzz::structured::Pack| {
    accord_fuzz::oracles::policy(pack.to_string().as_bytes())
});

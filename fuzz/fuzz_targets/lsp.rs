#![no_main]
//! An `arbitrary` editing session written as LSP messages, then the `lsp` oracle (see
//! `accord_fuzz::session`). With `ACCORD_FUZZ_SCRIPT=<file>`, the script of the last input run
//! is written there: that is what a regression test replays (`fuzz/README.md`).
libfuzzer_sys::fuzz_target!(|session: accord_fuzz::session::Session| {
    let script = session.script();
    if let Some(path) = std::env::var_os("ACCORD_FUZZ_SCRIPT") {
        let _ = std::fs::write(path, &script);
    }
    accord_fuzz::oracles::lsp(script.as_bytes())
});

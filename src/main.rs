//! The `accord` command: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = accord::cli::Cli::parse();
    ExitCode::from(accord::cli::run(cli))
}

/// Rust ignores SIGPIPE, so `accord ... | head` would panic on the next print; restore the
/// default so the process simply ends, as command-line tools do.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called once at start-up before any thread exists; SIG_DFL is a valid disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

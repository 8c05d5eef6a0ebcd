//! The `accord` command: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = accord::cli::Cli::parse();
    ExitCode::from(accord::cli::run(cli))
}

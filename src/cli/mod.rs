//! The command line: one file per subcommand. Each parses its arguments, calls the library and
//! picks a renderer. Exit codes: 0 success, 1 findings (errors, failed tests, `--check` diffs),
//! 2 usage or input/output errors.

mod check;
mod fmt;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "accord",
    version,
    about = "Policy engine for cross-tenant access: Conditional Access, cross-tenant settings and sharing, as code",
    long_about = "accord reads a policy pack (a folder of .policy files describing a tenant's external-access \
posture), checks it, formats it, and decides access requests the way Microsoft Entra would.",
    after_help = "Examples:\n  accord check policies/contoso-group\n  accord fmt --check policies/contoso-group\n  accord whatif policies/contoso-group request.yaml"
)]
pub struct Cli {
    /// Colour the output: auto (when stdout is a terminal), always or never.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse and validate packs; print every problem with file:line:col, a snippet and a hint.
    #[command(
        after_help = "Examples:\n  accord check policies/contoso-group\n  accord check --format json my-pack/ > problems.json\n\nExit code: 0 when clean (warnings allowed), 1 when there are errors, 2 on usage or I/O errors."
    )]
    Check(CheckArgs),
    /// Format packs canonically (comments kept). Prints to stdout unless --write or --check.
    #[command(
        after_help = "Examples:\n  accord fmt policies/contoso-group            # print the formatted files\n  accord fmt --write policies/contoso-group    # rewrite them in place\n  accord fmt --check policies/contoso-group    # CI: exit 1 and show a diff if not formatted\n\nA file with a syntax error is reported and never rewritten."
    )]
    Fmt(FmtArgs),
}

#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// Pack folders or single .policy files.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Rewrite files in place (only files that parsed, and only when they change).
    #[arg(long, conflicts_with = "check")]
    pub write: bool,
    /// Exit 1 and print a diff when any file is not formatted.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Pack folders or single .policy files.
    #[arg(required = true)]
    pub packs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Whether to colour output written to stdout.
pub(crate) fn use_color(color: Color) -> bool {
    match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

pub fn run(cli: Cli) -> u8 {
    let color = use_color(cli.color);
    match cli.command {
        Command::Check(args) => check::run(&args, color),
        Command::Fmt(args) => fmt::run(&args, color),
    }
}

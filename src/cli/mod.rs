//! The command line: one file per subcommand. Each parses its arguments, calls the library and
//! picks a renderer. Exit codes: 0 success, 1 findings (errors, failed tests, `--check` diffs),
//! 2 usage or input/output errors.

mod check;
mod whatif;

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
    /// Decide an access request the way Entra would, and explain every policy's part in it.
    #[command(
        after_help = "Examples:\n  accord whatif policies/contoso-group request.yaml\n  accord whatif policies/contoso-group request.yaml --set user.type=guest --set auth.mfa=home\n  cat request.json | accord whatif policies/contoso-group --request - --format json\n  accord whatif policies/contoso-group --matrix matrix.yaml --format csv\n\nA request is YAML or JSON: user (name, type, home, kind, groups, roles), app, client_app,\ndevice (platform, compliant, hybrid_joined, registered, approved_app, app_protection,\nattributes), network (ip, country), auth (mfa, methods, terms_accepted, flow), risk (sign_in,\nuser). A signal left out (platform, ip, country) is unknown: every possible outcome is computed\nand the decision is the most restrictive; `--assume-missing not_matching` does what the\nplatform's What-If does instead (the condition is not satisfied).\n\nA matrix file has `base:` (a partial request) and `dimensions:` (each a mapping of named\npartial requests, or a list of values for a dimension named by a request path such as\n`app` or `auth.mfa`); every combination is decided, one row each.\n\nExit code: 0 when decided, 1 when the pack has errors, 2 on usage, I/O or request errors."
    )]
    Whatif(WhatifArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum WhatifFormat {
    #[default]
    Text,
    Json,
    /// Matrix tables only.
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AssumeMissingArg {
    Unknown,
    NotMatching,
}

#[derive(Debug, clap::Args)]
pub struct WhatifArgs {
    /// The pack: a folder or a single .policy file.
    pub pack: PathBuf,
    /// The request file (YAML or JSON); `-` reads stdin.
    pub request: Option<PathBuf>,
    /// The request file, as an option (`--request -` reads stdin).
    #[arg(long = "request", value_name = "FILE")]
    pub request_file: Option<PathBuf>,
    /// Override a request field: `--set user.type=guest` (repeatable; the value is read as YAML).
    #[arg(long, value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Output format (`csv` is for `--matrix`).
    #[arg(long, value_enum, default_value_t = WhatifFormat::Text)]
    pub format: WhatifFormat,
    /// What a condition that needs a missing signal does: `unknown` (compute every outcome) or
    /// `not_matching` (the platform's What-If: not satisfied).
    #[arg(long, value_enum, default_value_t = AssumeMissingArg::Unknown)]
    pub assume_missing: AssumeMissingArg,
    /// Decide every combination of a matrix file instead of one request.
    #[arg(long, value_name = "MATRIX.yaml", conflicts_with_all = ["request", "request_file", "set"])]
    pub matrix: Option<PathBuf>,
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
        Command::Whatif(args) => whatif::run(&args, color),
    }
}

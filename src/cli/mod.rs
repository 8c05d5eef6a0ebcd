//! The command line: one file per subcommand. Each parses its arguments, calls the library and
//! picks a renderer. Exit codes: 0 success, 1 findings (errors, failed tests, `--check` diffs),
//! 2 usage or input/output errors.

mod check;
mod fmt;
pub mod lint;
mod rules;

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
    /// Find risky or inconsistent settings in packs: rules with stable codes, each explained by
    /// `accord rules CODE`.
    #[command(
        after_help = "Examples:\n  accord lint policies/contoso-group\n  accord lint --format sarif policies/contoso-group > accord.sarif\n  accord lint --deny warnings --allow EXT003 my-pack/\n\nSilence one finding with `# accord: allow(CODE) reason` on the line before the construct.\n\nExit code: 0 when there is no error (and no warning with `--deny warnings`), 1 otherwise or when a pack does not pass `accord check`, 2 on usage or I/O errors."
    )]
    Lint(LintArgs),
    /// List the lint rules, or explain one with examples: `accord rules EXT001`.
    Rules(RulesArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LintFormat {
    /// rustc-style findings with snippets, then a summary line.
    #[default]
    Text,
    /// One JSON object per finding.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
}

/// What `--deny` turns into failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Warnings fail the run (exit code 1), like errors.
    Warnings,
}

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Pack folders or single .policy files.
    #[arg(required = true)]
    pub packs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LintFormat::Text)]
    pub format: LintFormat,
    /// Fail on warnings too.
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,
    /// Do not report this code (repeatable).
    #[arg(long, value_name = "CODE")]
    pub allow: Vec<String>,
    /// Report only these codes (repeatable).
    #[arg(long, value_name = "CODE")]
    pub only: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// A rule code such as `EXT001`; without it, every rule is listed.
    pub code: Option<String>,
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
        Command::Lint(args) => lint::run(&args, color),
        Command::Rules(args) => rules::run(&args),
    }
}

//! The command line: one file per subcommand. Each parses its arguments, calls the library and
//! picks a renderer. Exit codes: 0 success, 1 findings (errors, failed tests, `--check` diffs),
//! 2 usage or input/output errors.

mod check;
mod diff;
mod export;
mod fmt;
mod import;
pub mod lint;
mod lsp;
mod packs;
pub mod replay;
mod rules;
mod test;
mod verify;
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
    /// Read Microsoft Graph JSON (exports, templates, PowerShell output) and write a pack.
    #[command(
        after_help = "Inputs: files or folders (walked recursively for *.json): conditional access policies, named \
locations, cross-tenant access settings (default and partners), the multi-tenant organisation and its tenants, SharePoint \
settings (Graph or Get-SPOTenant), the authorization policy, the Exchange objects of Get-OrganizationRelationship, Get-SharingPolicy, \
Get-InboundConnector, Get-OutboundConnector and Get-RemoteDomain (piped to ConvertTo-Json), Teams federation and meeting policies \
(Get-CsTenantFederationConfiguration, Get-CsTeamsMeetingPolicy), the Group.Unified setting, the Graph users, contacts, groups \
and service principals lists (into the directory block), and a whole-tenant ScubaGear ProviderSettingsExport.json. UTF-8 (with or without BOM) and UTF-16 with BOM; \
Graph camelCase or PowerShell SDK PascalCase.\n\nThe pack is checked before anything is written. Into a non-empty folder, `--force` replaces only the files an earlier \
import wrote (they start with a `# Written by accord import` line) and keeps every other file; `--dry-run` lists what would \
be written, replaced, removed and kept.\n\nExamples:\n  accord import Config/ -o my-pack --tenant contoso.com\n  accord import policies.json namedLocations.json -o my-pack --names names.yaml\n  accord import Config/ -o my-pack --force --dry-run --quiet\n\nExit code: 0 when imported (warnings allowed), 1 when an input has errors or the pack would not check (nothing is written), 2 on usage or I/O errors."
    )]
    Import(ImportArgs),
    /// Write a pack as Microsoft Graph v1.0 JSON (request bodies for the Graph API).
    #[command(
        after_help = "Writes policies/<name>.json (POST /identity/conditionalAccess/policies), namedLocations/<name>.json, \
crossTenantAccessPolicy/default.json and crossTenantAccessPolicy/partners/<tenant id>.json, sharepointSettings.json, \
authorizationPolicy.json, and in their PowerShell shapes spoTenant.json (Set-SPOTenant), teamsFederationConfiguration.json \
(Set-CsTenantFederationConfiguration), teamsMeetingPolicies/<name>.json (Set-CsTeamsMeetingPolicy) and \
groupUnifiedSetting.json (the Group.Unified directory setting). Group, user and location names become ids through names.yaml (written by `accord import`).\n\nExamples:\n  accord export my-pack -o graph/\n  accord export my-pack --stdout --format graph-powershell\n\nExit code: 0 when exported, 1 when the pack has errors or a construct Graph cannot express, 2 on usage or I/O errors."
    )]
    Export(ExportArgs),
    /// Format packs canonically (comments kept). Prints to stdout unless --write or --check.
    #[command(
        after_help = "Examples:\n  accord fmt policies/contoso-group            # print the formatted files\n  accord fmt --write policies/contoso-group    # rewrite them in place\n  accord fmt --check policies/contoso-group    # CI: exit 1 and show a diff if not formatted\n\nA file with a syntax error is reported and never rewritten."
    )]
    Fmt(FmtArgs),
    /// Decide an access request the way Entra would, and explain every policy's part in it.
    #[command(
        after_help = "Examples:\n  accord whatif policies/contoso-group request.yaml\n  accord whatif policies/contoso-group request.yaml --set user.type=guest --set auth.mfa=home\n  cat request.json | accord whatif policies/contoso-group --request - --format json\n  accord whatif policies/contoso-group --matrix matrix.yaml --format csv\n\nA request is YAML or JSON: user (name, type, home, kind, groups, roles), app, client_app,\ndevice (platform, compliant, hybrid_joined, registered, approved_app, app_protection,\nattributes), network (ip, country), auth (mfa, methods, terms_accepted, flow), risk (sign_in,\nuser: none | low | medium | high; insider: none | minor | moderate | elevated; all default\nnone, as in the platform's What-If). A signal left out (platform, ip, country) is unknown: every\npossible outcome is computed and the decision is the most restrictive; `--assume-missing\nnot_matching` does what the platform's What-If does instead (the condition is not satisfied).\n\nA document with a top-level `share:`, `provision:`, `chat:`, `meeting:` or `mail:` key is that kind\nof request instead (see the README); `mail: { direction, domain, ip, tls, certificate,\nauto_forward, auto_reply }` says which Exchange connector handles a message and its outcome;\n`workload: { service_principal, name, single_tenant, managed_identity, agent, app, ip, country,\nrisk, attributes }` decides a service principal's token request against the policies for\nworkload identities (a left-out signal an enforced policy needs blocks, not decided).\n`outbound: { user, groups, tenant, app, kind, enforcement, account }` says whether one of our\nusers reaches another tenant's app (outbound B2B settings and tenant restrictions v2).\n\nA matrix file has `base:` (a partial request) and `dimensions:` (each a mapping of named\npartial requests, or a list of values for a dimension named by a request path such as\n`app`, `auth.mfa` or `risk.insider`); every combination is decided, one row each, with its\nrequirements and the policies that decided it, written as decided; a matrix with more than\n`--max-rows` combinations (default 10,000,000) is refused before any is decided.\n\nExit code: 0 when decided, 1 when the pack has errors, 2 on usage, I/O or request errors."
    )]
    Whatif(WhatifArgs),
    /// Find risky or inconsistent settings in packs: rules with stable codes, each explained by
    /// `accord rules CODE`.
    #[command(
        after_help = "Examples:\n  accord lint policies/contoso-group\n  accord lint --format sarif policies/contoso-group > accord.sarif\n  accord lint --deny warnings --allow EXT003 my-pack/\n\nSilence one finding with `# accord: allow(CODE) reason` on the line before the construct.\n\nExit code: 0 when there is no error (and no warning with `--deny warnings`), 1 otherwise or when a pack does not pass `accord check`, 2 on usage or I/O errors."
    )]
    Lint(LintArgs),
    /// List the lint rules, or explain one with examples: `accord rules EXT001`.
    #[command(
        after_help = "Examples:\n  accord rules            # every rule: code, severity, summary\n  accord rules EXT001     # what it checks, why, an example that fires, one that does not, the fix"
    )]
    Rules(RulesArgs),
    /// Run a pack's test cases (`*.test.yaml`): each states a request and the decision it must get.
    #[command(after_help = TEST_HELP)]
    Test(TestArgs),
    /// Replay sign-in logs against a pack: what it would have done to real sign-ins.
    #[command(after_help = replay::REPLAY_HELP)]
    Replay(replay::ReplayArgs),
    /// Compare two packs over every possible request: each region decided differently, with
    /// an example request and the policies responsible on each side.
    #[command(after_help = DIFF_HELP)]
    Diff(DiffArgs),
    /// Prove a pack's invariants (`*.verify.yaml`) over every request they select, or show the
    /// smallest request that breaks each one that does not hold.
    #[command(after_help = VERIFY_HELP)]
    Verify(VerifyArgs),
    /// Run the language server (LSP over stdin/stdout) for editors: diagnostics, formatting,
    /// hover, definition, references, completion, code actions, outline, semantic tokens.
    #[command(
        after_help = "Editors start it themselves: see editors/ (VS Code, Neovim, Helix) and README.md.\n\nA pack is the folder a .policy file is in; open documents take the place of their files on disk."
    )]
    Lsp,
}

const DIFF_HELP: &str = r#"Examples:
  accord diff old-pack/ new-pack/                      # two packs
  accord diff --git HEAD policies/contoso-group        # the working pack against a commit
  accord diff policies/contoso-group --set-organization tailspin=active   # "what if tailspin joins?"
  accord diff old/ new/ --scope '{user: guests_or_external, app: sharepoint}'
  accord diff old/ new/ --format markdown > comment.md # for a pull request

Every request is covered, exactly: the request space is split into regions that each pack
decides alike, and every region whose decision, requirements or session controls differ is
reported, merged with its neighbours where the change is the same, with one example request
(`accord whatif` accepts it as is) and the policies that decide it before and after.

--scope takes a selector (a file, or YAML inline): a partial request whose fields may be a
value, a list or `any`, and `user` may be a segment as a policy writes it
(`external(b2b_guest) from outside_organization`, `group "Sales"`, `internal_members`).

Exit code: 0 when nothing changed, 1 when something did, 2 on errors."#;

const VERIFY_HELP: &str = r#"Verify files are `*.verify.yaml` in the pack folder or its `tests/` folder:

  invariants:
    - name: no out-of-organization user reaches SharePoint without MFA
      for: { user: external(any) from outside_organization, app: sharepoint, auth: { mfa: none } }
      expect: { requires: [mfa] }      # blocked, or challenged for MFA
    - name: embargoed countries are blocked for every external user
      for: { user: guests_or_external, network: { location: embargo } }
      expect: { decision: block }
    - name: guests are never asked for what they cannot do
      for: { user: external(b2b_guest) from any }
      expect: { never_unsatisfiable: true }

`for` is a selector (as `accord diff --scope`); `expect` holds `decision` (one or a list),
`not`, `requires`, `never_unsatisfiable`, `applied` and `not_applied` (policy names).
Each invariant is proven over every request it selects; one that does not hold prints its
minimal counterexample (the fewest fields that differ from the request defaults), ready for
`accord whatif`. `accord test` runs a pack's invariants too.

Examples:
  accord verify policies/contoso-group
  accord verify policies/contoso-group --format json

Exit code: 0 when every invariant holds, 1 when one does not (or has an error), 2 on usage or
I/O errors."#;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum DiffFormat {
    #[default]
    Text,
    Json,
    /// For a pull-request comment.
    Markdown,
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The old pack (with `--git` or `--set-organization` alone: the pack to compare).
    pub old: PathBuf,
    /// The new pack.
    pub new: Option<PathBuf>,
    /// Compare the pack as it was at this git revision (old) with the working files (new).
    #[arg(long, value_name = "REV")]
    pub git: Option<String>,
    /// Make a tenant active, pending or removed in the new pack's multi-tenant organisation
    /// (repeatable): `--set-organization tailspin=active`.
    #[arg(long, value_name = "TENANT=STATE")]
    pub set_organization: Vec<String>,
    /// Only these requests: a selector file, or a selector as inline YAML.
    #[arg(long, value_name = "SELECTOR")]
    pub scope: Option<String>,
    /// Also compare requests that leave out the platform, IP or country (decided, as by
    /// `accord whatif`, as the most restrictive possible outcome).
    #[arg(long)]
    pub include_unstated: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
}

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Pack folders.
    #[arg(required = true)]
    pub packs: Vec<PathBuf>,
    /// Run only the invariants whose name contains this text (ignoring case).
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Also list the invariants that hold.
    #[arg(short, long)]
    pub verbose: bool,
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

/// `accord test --help`: the test file format in brief (the full reference is `crate::testing`).
const TEST_HELP: &str = r#"Test files are `*.test.yaml` in the pack folder or its `tests/` folder. A file has
`requests:` (named partial requests, optional) and `cases:`, a list of cases:

  requests:
    fabrikam member: { user: { name: dana@fabrikam.com, type: member, home: fabrikam } }
  cases:
    - name: a fabrikam member on a compliant laptop reaches SharePoint without a second MFA prompt
      extends: fabrikam member        # a base request or another case, whose fields this overrides
      request: { app: sharepoint, device: { platform: windows, compliant: true, registered: home },
                 auth: { mfa: home } }  # the `accord whatif` request shape
      expect: allow                   # allow | block | challenge (share requests: allow | deny)
      requirements: []                # optional: exactly what the user must complete (mfa, ...)
      applied: ["Require MFA for external users"]   # optional: policies that must apply
      not_applied: []                 # optional: policies that must not apply
      reason_contains: trust MFA      # optional: text the explanation must contain
    - name: nobody outside the organisation reaches the finance site
      share: { service: sharepoint, site: "https://contoso.sharepoint.com/sites/finance",
               with: carol@litware.com, existing: guest }
      expect: deny
      rule: site_level                # optional, share requests: the sharing rule that decided
    - name: a personal Teams account cannot start a chat with our users
      chat: { with: sam@outlook.com, account: consumer }   # or `meeting: {...}` (Teams requests)
      expect: deny
      rule: teams_consumer_inbound

A case naming an unknown policy, tenant, app or base request, or with an invalid request, is an
error, and counts as failed.

Examples:
  accord test policies/contoso-group
  accord test policies/contoso-group policies/strict-partner --filter litware
  accord test policies/contoso-group/tests/sharing.test.yaml      # one file
  accord test my-pack --format json

Output: one `FAIL <file>:<line> <case>` per failed case with `- expected ...` and `+ actual ...` lines
and the explanation; `--verbose` also lists `PASS` lines; the last line is `N passed, N failed`.

Exit code: 0 when every case passed, 1 when a case failed (or has an error, or the pack has
errors), 2 on usage or I/O errors (no test files, a --filter that matches nothing)."#;

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Pack folders (or single test files).
    #[arg(required = true)]
    pub packs: Vec<PathBuf>,
    /// Run only the cases whose name contains this text (ignoring case).
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Also list the cases that passed.
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Graph JSON files or folders.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The pack folder to write.
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// A YAML map of object ids to names (`<id>: <name>`), used where the input has no name.
    #[arg(long, value_name = "MAP.yaml")]
    pub names: Option<PathBuf>,
    /// The resource tenant (the tenant the input was exported from): its id or a domain.
    #[arg(long, value_name = "ID|DOMAIN")]
    pub tenant: Option<String>,
    /// Write into a non-empty output folder: replace or remove the files an earlier import
    /// wrote there; every other file is kept.
    #[arg(long)]
    pub force: bool,
    /// Say what would be written, replaced, removed and kept, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print errors only, and a count of warnings and infos per code.
    #[arg(short, long)]
    pub quiet: bool,
    /// Accept comments and trailing commas in the JSON (each with a warning).
    #[arg(long)]
    pub lenient: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum GraphFormat {
    /// Graph v1.0 request bodies (camelCase keys).
    #[default]
    Graph,
    /// The PascalCase shape the Graph PowerShell SDK prints.
    GraphPowershell,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["output", "stdout"])))]
pub struct ExportArgs {
    /// The pack folder (or a single .policy file).
    pub pack: PathBuf,
    /// The folder to write the JSON files into.
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Print every document as one JSON object keyed by file path instead.
    #[arg(long)]
    pub stdout: bool,
    /// The JSON dialect.
    #[arg(long, value_enum, default_value_t = GraphFormat::Graph)]
    pub format: GraphFormat,
    /// The id map (default: names.yaml in the pack folder, when present).
    #[arg(long, value_name = "MAP.yaml")]
    pub names: Option<PathBuf>,
    /// Write into an existing, non-empty folder.
    #[arg(long)]
    pub force: bool,
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
    /// Also accepted as `not_matching`, the spelling of the request paths.
    #[value(alias = "not_matching")]
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
    /// List only the policies that apply (or may apply), with a count of the others.
    #[arg(long)]
    pub applied_only: bool,
    /// Decide every combination of a matrix file instead of one request.
    #[arg(long, value_name = "MATRIX.yaml", conflicts_with_all = ["request", "request_file", "set"])]
    pub matrix: Option<PathBuf>,
    /// The most combinations a matrix may have; a larger one is refused before any is decided.
    #[arg(long, value_name = "N", default_value_t = crate::eval::matrix::MAX_ROWS, requires = "matrix")]
    pub max_rows: usize,
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
        Command::Import(args) => import::run(&args, color),
        Command::Export(args) => export::run(&args, color),
        Command::Fmt(args) => fmt::run(&args, color),
        Command::Whatif(args) => whatif::run(&args, color),
        Command::Lint(args) => lint::run(&args, color),
        Command::Rules(args) => rules::run(&args),
        Command::Test(args) => test::run(&args, color),
        Command::Replay(args) => replay::run(&args, color),
        Command::Diff(args) => diff::run(&args, color),
        Command::Verify(args) => verify::run(&args, color),
        Command::Lsp => lsp::run(),
    }
}

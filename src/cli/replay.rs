//! `accord replay`: what a pack would have done to real sign-ins (`crate::replay`).
//!
//! Exit codes: 0 when replayed (whatever would change), 1 when a pack has errors, 2 on usage
//! or I/O errors and malformed records without `--lenient`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::ValueEnum;

use super::{AssumeMissingArg, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::diagnostic::has_errors;
use crate::eval::{self, AssumeMissing, Compiled, Options};
use crate::render::{self, human::Style};
use crate::replay::{self, directory::Directory, limits, Engine, Rows, Stop};

pub const REPLAY_HELP: &str =
    "Logs: files or folders (walked for *.json, *.jsonl, *.ndjson, *.csv), `-` for stdin:
  - Microsoft Graph signIn objects (v1.0 or beta): one object, a JSON array, a list response
    {\"value\": [...]} (as the API and `Get-MgAuditLogSignIn | ConvertTo-Json` write them), or
    JSON Lines; camelCase or the PowerShell SDK's PascalCase; the portal's \"Download JSON\";
  - the diagnostic-settings export to a storage account (JSON Lines with `properties`) or
    Event Hubs ({\"records\": [...]});
  - Log Analytics / Sentinel SigninLogs and AADNonInteractiveUserSignInLogs rows, as JSON
    or CSV (nested columns as JSON strings);
  - the portal's CSV download (InteractiveSignIns_*.csv, NonInteractiveSignIns_*.csv).
UTF-8 (with or without BOM) or UTF-16 with a BOM. Service-principal and managed-identity
sign-ins are skipped and counted, as is every record that cannot be mapped.

Each sign-in is decided by the pack and compared with what the log recorded
(status.errorCode, conditionalAccessStatus), or with --baseline's decision. Every log value
accord cannot map is counted and reported; a sign-in that cannot be decided is skipped,
never counted as allowed.

Examples:
  accord replay policies/contoso-group policies/contoso-group/signins.jsonl
  accord replay proposed/ signins/ --baseline current/ --directory users.json --format markdown
  accord replay proposed/ signins.jsonl --format csv > changed.csv
  accord replay proposed/ signins.jsonl --format json --csv changed.csv

Exit code: 0 when replayed (whatever would change), 1 when a pack has errors, 2 on usage or
I/O errors, or malformed records without --lenient.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReplayFormat {
    #[default]
    Text,
    Json,
    /// One row per changed sign-in (every sign-in with `--rows all`).
    Csv,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum RowsArg {
    #[default]
    Changed,
    All,
}

#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// The pack to replay: a folder or a single .policy file.
    pub pack: PathBuf,
    /// Sign-in log files or folders (`-` reads stdin).
    #[arg(required = true)]
    pub logs: Vec<PathBuf>,
    /// Compare with this pack's decisions instead of the log's outcomes (the pack in force).
    #[arg(long, value_name = "PACK")]
    pub baseline: Option<PathBuf>,
    /// Group membership: Graph users with `memberOf` (JSON), or a YAML map `upn: [groups]`.
    #[arg(long, value_name = "FILE")]
    pub directory: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReplayFormat::Text)]
    pub format: ReplayFormat,
    /// Also write the CSV rows to this file.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Which sign-ins are CSV rows.
    #[arg(long, value_enum, default_value_t = RowsArg::Changed)]
    pub rows: RowsArg,
    /// Skip malformed records and unreadable files (each reported and counted), and accept
    /// comments and trailing commas in JSON, instead of stopping.
    #[arg(long)]
    pub lenient: bool,
    /// What a condition that needs a signal the record lacks does (see `accord whatif`).
    #[arg(long, value_enum, default_value_t = AssumeMissingArg::Unknown)]
    pub assume_missing: AssumeMissingArg,
    /// Worker threads (default: every core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

fn compile(path: &std::path::Path, style: Style) -> Result<Compiled, u8> {
    let loaded = crate::load::load_pack(path).map_err(|e| {
        eprintln!("error: {e}");
        EXIT_USAGE
    })?;
    let validation = crate::check(&loaded);
    match validation.validated {
        Some(v) if !has_errors(&validation.diagnostics) => Ok(eval::compile(&v)),
        _ => {
            eprint!(
                "{}",
                render::human::render(&loaded.sources, &validation.diagnostics, style)
            );
            eprintln!(
                "{}: {}",
                path.display(),
                render::summary(&validation.diagnostics)
            );
            Err(EXIT_FINDINGS)
        }
    }
}

pub fn run(args: &ReplayArgs, color: bool) -> u8 {
    let style = Style {
        color,
        ..Style::default()
    };
    let pack = match compile(&args.pack, style) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let baseline = match &args.baseline {
        Some(p) => match compile(p, style) {
            Ok(c) => Some(c),
            Err(code) => return code,
        },
        None => None,
    };
    let directory = match &args.directory {
        Some(p) => {
            let keep =
                |g: &str| pack.has_group(g) || baseline.as_ref().is_some_and(|b| b.has_group(g));
            match Directory::load(p, &keep) {
                Ok(d) => Some(d),
                Err(e) => {
                    eprintln!("error: {e}");
                    return EXIT_USAGE;
                }
            }
        }
        None => None,
    };
    let mut files = Vec::new();
    for l in &args.logs {
        match replay::read::log_files(l) {
            Ok(mut f) if !f.is_empty() => files.append(&mut f),
            Ok(_) => {
                eprintln!(
                    "error: `{}` holds no *.json, *.jsonl, *.ndjson or *.csv file",
                    l.display()
                );
                return EXIT_USAGE;
            }
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", l.display());
                return EXIT_USAGE;
            }
        }
    }
    if let Some(n) = args.threads {
        // The global pool can only be built once; a second build (in tests) keeps the first.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
    let options = Options {
        assume_missing: match args.assume_missing {
            AssumeMissingArg::Unknown => AssumeMissing::Unknown,
            AssumeMissingArg::NotMatching => AssumeMissing::NotMatching,
        },
    };
    // The admin center's `_AuthDetails` CSV files are joined to their sign-ins, not replayed.
    let (files, auth_details) = match replay::auth_details::split(&files) {
        Ok(split) => split,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    if files.is_empty() {
        eprintln!("error: every file given is an authentication-details CSV: give the sign-in CSV of the same download too");
        return EXIT_USAGE;
    }
    let mut engine = Engine::new(&pack, baseline.as_ref(), directory.as_ref(), options);
    engine.lenient = args.lenient;
    engine.auth_details = (!auth_details.is_empty()).then_some(&auth_details);
    let want_rows = args.format == ReplayFormat::Csv || args.csv.is_some();
    engine.rows = match (want_rows, args.rows) {
        (false, _) => Rows::None,
        (true, RowsArg::Changed) => Rows::Changed,
        (true, RowsArg::All) => Rows::All,
    };
    type Out = csv::Writer<Box<dyn Write>>;
    let mut stdout_csv: Option<Out> = (args.format == ReplayFormat::Csv)
        .then(|| csv::Writer::from_writer(Box::new(std::io::stdout()) as Box<dyn Write>));
    let mut file_csv: Option<Out> = match &args.csv {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Some(csv::Writer::from_writer(
                Box::new(std::io::BufWriter::new(f)) as Box<dyn Write>,
            )),
            Err(e) => {
                eprintln!("error: cannot write `{}`: {e}", p.display());
                return EXIT_USAGE;
            }
        },
        None => None,
    };
    for w in stdout_csv.iter_mut().chain(file_csv.iter_mut()) {
        let _ = w.write_record(render::replay::CSV_HEADER);
    }
    let bar = progress_bar();
    let started = std::time::Instant::now();
    let result = replay::run(
        &engine,
        &files,
        &mut |p| {
            if let Some(b) = &bar {
                b.set_length(p.total_bytes.max(p.bytes));
                b.set_position(p.bytes);
                let secs = started.elapsed().as_secs_f64().max(1e-3);
                b.set_message(format!(
                    "{} sign-ins, {:.0}/s",
                    p.records,
                    p.records as f64 / secs
                ));
            }
        },
        &mut |rows| {
            for w in stdout_csv.iter_mut().chain(file_csv.iter_mut()) {
                for r in rows {
                    let _ = w.write_record(render::replay::csv_record(r));
                }
            }
        },
    );
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    for w in stdout_csv.iter_mut().chain(file_csv.iter_mut()) {
        let _ = w.flush();
    }
    let mut summary = match result {
        Ok(s) => s,
        Err(Stop::Input(e)) => {
            eprintln!("error: {e}");
            eprintln!("help: `--lenient` reports the file and goes on with the others");
            return EXIT_USAGE;
        }
        Err(Stop::Malformed { issues, count }) => {
            for i in &issues {
                eprintln!("error: {i}");
            }
            eprintln!(
                "error: {count} malformed record(s); stopped\nhelp: fix the log, or replay with `--lenient` to skip (and count) malformed records"
            );
            return EXIT_USAGE;
        }
    };
    for (path, _) in &auth_details.files {
        summary.files.push(replay::summary::FileSummary {
            path: path.display().to_string(),
            notes: replay::read::FileNotes {
                shape: "csv authentication details (joined by Request ID)",
                encoding: "",
                frame: Default::default(),
            },
            error: None,
        });
    }
    let pack_name = args.pack.display().to_string();
    let baseline_name = args.baseline.as_ref().map(|p| p.display().to_string());
    let limits = limits::limits(pack.pack(), directory.is_some());
    let view = render::replay::View {
        pack_name: &pack_name,
        pack: pack.pack(),
        baseline_name: baseline_name.as_deref(),
        baseline: baseline.as_ref().map(|b| b.pack()),
        summary: &summary,
        limits: &limits,
    };
    let text = match args.format {
        ReplayFormat::Csv => return EXIT_OK,
        ReplayFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&render::replay::json(&view))
                .unwrap_or_else(|_| "{}".into())
        ),
        ReplayFormat::Markdown => render::replay::markdown(&view),
        ReplayFormat::Text => render::replay::text(&view),
    };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    EXIT_OK
}

/// Bytes read, sign-ins per second and the time left, on a terminal only.
fn progress_bar() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} {bytes}/{total_bytes} [{bar:30}] {bytes_per_sec} {msg} eta {eta}",
    )
    .ok()?
    .progress_chars("=> ");
    bar.set_style(style);
    Some(bar)
}

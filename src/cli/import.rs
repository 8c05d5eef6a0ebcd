//! `accord import`: Graph JSON in, a pack folder out.
//!
//! Nothing a user wrote is lost: every file import writes starts with [`HEADER`]; `--force`
//! replaces and removes only such files (and `names.yaml` written by import), keeps every other
//! file, and refuses to overwrite a file accord did not write. The written pack is checked
//! *before* anything is written, and `--dry-run` says what would be written, replaced, removed
//! and kept, and writes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{ImportArgs, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::diagnostic::{has_errors, Diagnostic, Severity};
use crate::graph::files::{pack_files, PackFile};
use crate::graph::names::{is_guid, NameMap};
use crate::graph::{self, ImportOptions};
use crate::render::{self, human::Style};
use crate::validate::values::domain_problem;

/// The first line of every file `accord import` writes: how `--force` tells its own files from
/// a user's.
pub const HEADER: &str =
    "# Written by `accord import`; `accord import --force` replaces this file.\n";

pub fn run(args: &ImportArgs, color: bool) -> u8 {
    if let Some(tenant) = &args.tenant {
        if let Err(e) = check_tenant(tenant) {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    }
    let names = match &args.names {
        Some(path) => match crate::input::read(path, crate::input::Kind::Yaml)
            .map_err(|e| e.to_string())
            .and_then(|t| NameMap::from_yaml(&t.text))
        {
            Ok(n) => n,
            Err(e) => {
                eprintln!("error: cannot read the names map `{}`: {e}", path.display());
                return EXIT_USAGE;
            }
        },
        None => NameMap::new(),
    };
    let existing = match existing_files(&args.output, args.force) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let inputs = match graph::read_inputs(&args.paths) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    if inputs.is_empty() {
        eprintln!("error: no .json file in the given paths");
        return EXIT_USAGE;
    }
    let options = ImportOptions {
        names,
        tenant: args.tenant.clone(),
        lenient: args.lenient,
    };
    let import = graph::import(&inputs, &options);
    let style = Style {
        color,
        ..Style::default()
    };
    print_diagnostics(&import.sources, &import.diagnostics, args.quiet, style);
    if has_errors(&import.diagnostics) {
        println!(
            "{}: {}; nothing written",
            import.summary(),
            render::summary(&import.diagnostics)
        );
        return EXIT_FINDINGS;
    }
    let mut files = pack_files(&import.pack, HEADER);
    if !import.names.is_empty() {
        files.push(PackFile {
            name: "names.yaml".to_string(),
            text: format!("{HEADER}{}", import.names.to_yaml()),
        });
    }
    // The pack must check as it would be written; if it does not, nothing is written.
    let policies: Vec<&PackFile> = files
        .iter()
        .filter(|f| f.name.ends_with(".policy"))
        .collect();
    let loaded =
        crate::load::load_texts(policies.iter().map(|f| (f.name.as_str(), f.text.as_str())));
    let validation = crate::check(&loaded);
    print_diagnostics(&loaded.sources, &validation.diagnostics, args.quiet, style);
    if has_errors(&validation.diagnostics) {
        println!(
            "{}; the pack would not pass `accord check`: nothing written",
            import.summary()
        );
        return EXIT_FINDINGS;
    }
    let plan = match Plan::new(&args.output, &files, &existing) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    if args.dry_run {
        print!("{}", plan.describe(&args.output));
        println!("{} (dry run: nothing written)", import.summary());
        return EXIT_OK;
    }
    if let Err(e) = plan.apply(&args.output, &files) {
        eprintln!("error: {e}");
        return EXIT_USAGE;
    }
    if !plan.kept.is_empty() {
        let n = plan.kept.len();
        println!(
            "kept {n} {} accord did not write",
            if n == 1 { "file" } else { "files" }
        );
    }
    println!("{} ({})", import.summary(), args.output.display());
    EXIT_OK
}

/// `--tenant` is a tenant id (a GUID) or a verified domain; anything else is refused before
/// any input is read.
fn check_tenant(tenant: &str) -> Result<(), String> {
    if is_guid(tenant) {
        return Ok(());
    }
    let lower = tenant.to_ascii_lowercase();
    if tenant.contains('-') && tenant.len() == 36 && !tenant.contains('.') {
        return Err(format!(
            "`--tenant {tenant}` is not a valid tenant id (a GUID)"
        ));
    }
    match domain_problem(&lower) {
        None => Ok(()),
        Some(help) => Err(format!(
            "`--tenant {tenant}` is neither a tenant id nor a domain ({help})"
        )),
    }
}

/// Prints diagnostics; with `quiet`, only errors. Either way, more than a few warnings or
/// infos of one code end with a count per code.
fn print_diagnostics(
    sources: &crate::source::Sources,
    diagnostics: &[Diagnostic],
    quiet: bool,
    style: Style,
) {
    let shown: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| !quiet || d.severity == Severity::Error)
        .cloned()
        .collect();
    print!("{}", render::human::render(sources, &shown, style));
    let mut by_code: BTreeMap<(&str, Severity), usize> = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.severity != Severity::Error) {
        *by_code.entry((d.code.as_str(), d.severity)).or_default() += 1;
    }
    let total: usize = by_code.values().sum();
    if quiet && total > 0 || total > 10 {
        let parts: Vec<String> = by_code
            .iter()
            .map(|((code, severity), n)| format!("{code} ({severity}) × {n}"))
            .collect();
        println!("by code: {}", parts.join(", "));
    }
}

/// A file already in the output folder: written by accord import (its first line is
/// [`HEADER`]), or not.
struct Existing {
    name: String,
    ours: bool,
}

/// The files of the output folder. A non-empty folder is refused unless forced.
fn existing_files(dir: &Path, force: bool) -> Result<Vec<Existing>, String> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            return Err(format!("`{}` is not a folder", dir.display()))
        }
        Err(e) => return Err(format!("cannot read `{}`: {e}", dir.display())),
    };
    let mut out = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let ours = path.is_file() && starts_with_header(&path);
        out.push(Existing { name, ours });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    if !out.is_empty() && !force {
        return Err(format!(
            "`{}` is not empty: pass `--force` to replace the files accord import wrote there (`--dry-run` shows what would change)",
            dir.display()
        ));
    }
    Ok(out)
}

/// Whether a file's first bytes are [`HEADER`] (only those are read).
fn starts_with_header(path: &Path) -> bool {
    use std::io::Read;
    let mut first = Vec::with_capacity(HEADER.len());
    std::fs::File::open(path)
        .and_then(|f| f.take(HEADER.len() as u64).read_to_end(&mut first))
        .is_ok()
        && first == HEADER.as_bytes()
}

/// What an import does to the output folder.
struct Plan {
    write: Vec<String>,
    replace: Vec<String>,
    remove: Vec<String>,
    kept: Vec<String>,
}

impl Plan {
    fn new(dir: &Path, files: &[PackFile], existing: &[Existing]) -> Result<Plan, String> {
        let mut plan = Plan {
            write: Vec::new(),
            replace: Vec::new(),
            remove: Vec::new(),
            kept: Vec::new(),
        };
        let mut clashes = Vec::new();
        for f in files {
            match existing.iter().find(|e| e.name == f.name) {
                Some(e) if e.ours => plan.replace.push(f.name.clone()),
                Some(_) => clashes.push(f.name.clone()),
                None => plan.write.push(f.name.clone()),
            }
        }
        if !clashes.is_empty() {
            return Err(format!(
                "{} in `{}` would be overwritten but accord import did not write {}: move {} away first",
                clashes.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "),
                dir.display(),
                if clashes.len() == 1 { "it" } else { "them" },
                if clashes.len() == 1 { "it" } else { "them" },
            ));
        }
        for e in existing {
            if files.iter().any(|f| f.name == e.name) {
                continue;
            }
            if e.ours {
                plan.remove.push(e.name.clone());
            } else {
                plan.kept.push(e.name.clone());
            }
        }
        Ok(plan)
    }

    fn describe(&self, dir: &Path) -> String {
        let mut out = String::new();
        for (what, list) in [
            ("would write", &self.write),
            ("would replace", &self.replace),
            ("would remove", &self.remove),
            ("would keep", &self.kept),
        ] {
            for name in list {
                out.push_str(&format!("{what} {}\n", dir.join(name).display()));
            }
        }
        out
    }

    fn apply(&self, dir: &Path, files: &[PackFile]) -> Result<(), String> {
        let io =
            |p: PathBuf| move |e: std::io::Error| format!("cannot write `{}`: {e}", p.display());
        std::fs::create_dir_all(dir).map_err(io(dir.to_path_buf()))?;
        for name in &self.remove {
            let p = dir.join(name);
            std::fs::remove_file(&p).map_err(io(p.clone()))?;
        }
        for f in files {
            let p = dir.join(&f.name);
            std::fs::write(&p, &f.text).map_err(io(p.clone()))?;
        }
        Ok(())
    }
}

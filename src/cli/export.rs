//! `accord export`: a pack to Graph JSON.

use std::path::{Path, PathBuf};

use super::{ExportArgs, GraphFormat, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::diagnostic::has_errors;
use crate::graph::names::NameMap;
use crate::graph::{self, ExportFormat, ExportOptions};
use crate::render::{self, human::Style};

pub fn run(args: &ExportArgs, color: bool) -> u8 {
    let names = match names(args) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let loaded = match crate::load::load_pack(&args.pack) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let style = Style {
        color,
        ..Style::default()
    };
    let validation = crate::check(&loaded);
    let Some(validated) = validation.validated.as_ref() else {
        print!(
            "{}",
            render::human::render(&loaded.sources, &validation.diagnostics, style)
        );
        println!(
            "{}: {}; nothing exported",
            args.pack.display(),
            render::summary(&validation.diagnostics)
        );
        return EXIT_FINDINGS;
    };
    let options = ExportOptions {
        format: match args.format {
            GraphFormat::Graph => ExportFormat::Graph,
            GraphFormat::GraphPowershell => ExportFormat::GraphPowershell,
        },
        names,
    };
    let export = graph::export(validated, &options);
    // Diagnostics go to stderr so that `--stdout` prints JSON only.
    eprint!(
        "{}",
        render::human::render(&loaded.sources, &export.diagnostics, style)
    );
    if has_errors(&export.diagnostics) {
        eprintln!(
            "{}: {}; nothing exported",
            args.pack.display(),
            render::summary(&export.diagnostics)
        );
        return EXIT_FINDINGS;
    }
    if args.stdout {
        println!("{}", pretty(&export.bundle()));
        return EXIT_OK;
    }
    let Some(dir) = &args.output else {
        return EXIT_USAGE;
    };
    if let Err(e) = write(dir, &export.files, args.force) {
        eprintln!("error: {e}");
        return EXIT_USAGE;
    }
    eprintln!("exported {} files to {}", export.files.len(), dir.display());
    EXIT_OK
}

/// `--names`, or `names.yaml` in the pack folder.
fn names(args: &ExportArgs) -> Result<NameMap, String> {
    let path: Option<PathBuf> = match &args.names {
        Some(p) => Some(p.clone()),
        None => Some(args.pack.join("names.yaml")).filter(|p| p.is_file()),
    };
    let Some(path) = path else {
        return Ok(NameMap::new());
    };
    crate::input::read(&path, crate::input::Kind::Yaml)
        .map_err(|e| e.to_string())
        .and_then(|t| NameMap::from_yaml(&t.text))
        .map_err(|e| format!("cannot read the names map `{}`: {e}", path.display()))
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".to_string())
}

fn write(dir: &Path, files: &[(String, serde_json::Value)], force: bool) -> Result<(), String> {
    let io = |e: std::io::Error| format!("cannot write to `{}`: {e}", dir.display());
    if let Ok(mut entries) = std::fs::read_dir(dir) {
        if entries.next().is_some() && !force {
            return Err(format!(
                "`{}` is not empty: pass `--force` to write into it",
                dir.display()
            ));
        }
    }
    for (path, value) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&target, pretty(value) + "\n").map_err(io)?;
    }
    Ok(())
}

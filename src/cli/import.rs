//! `accord import`: Graph JSON in, a pack folder out.

use std::path::Path;

use super::{ImportArgs, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::diagnostic::has_errors;
use crate::graph::files::pack_files;
use crate::graph::names::NameMap;
use crate::graph::{self, ImportOptions};
use crate::render::{self, human::Style};

pub fn run(args: &ImportArgs, color: bool) -> u8 {
    let names = match &args.names {
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| NameMap::from_yaml(&t))
        {
            Ok(n) => n,
            Err(e) => {
                eprintln!("error: cannot read the names map `{}`: {e}", path.display());
                return EXIT_USAGE;
            }
        },
        None => NameMap::new(),
    };
    if let Err(e) = check_output(&args.output, args.force) {
        eprintln!("error: {e}");
        return EXIT_USAGE;
    }
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
    print!(
        "{}",
        render::human::render(&import.sources, &import.diagnostics, style)
    );
    if has_errors(&import.diagnostics) {
        println!(
            "{}: {}; nothing written",
            import.summary(),
            render::summary(&import.diagnostics)
        );
        return EXIT_FINDINGS;
    }
    let files = pack_files(&import.pack, "");
    if let Err(e) = write_pack(&args.output, &files, &import.names, args.force) {
        eprintln!("error: {e}");
        return EXIT_USAGE;
    }
    // The pack must check as written; a problem here is an importer bug worth showing.
    let loaded = crate::load::load_texts(files.iter().map(|f| (f.name.as_str(), f.text.as_str())));
    let validation = crate::check(&loaded);
    print!(
        "{}",
        render::human::render(&loaded.sources, &validation.diagnostics, style)
    );
    if has_errors(&validation.diagnostics) {
        println!("{}; the written pack does not check", import.summary());
        return EXIT_FINDINGS;
    }
    println!("{} ({})", import.summary(), args.output.display());
    EXIT_OK
}

/// Refuses a non-empty output folder unless forced.
fn check_output(dir: &Path, force: bool) -> Result<(), String> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() && !force {
                return Err(format!(
                    "`{}` is not empty: pass `--force` to replace its .policy files",
                    dir.display()
                ));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            Err(format!("`{}` is not a folder", dir.display()))
        }
        Err(e) => Err(format!("cannot read `{}`: {e}", dir.display())),
    }
}

/// Writes the files; with `force`, first removes the .policy files and names.yaml it replaces.
fn write_pack(
    dir: &Path,
    files: &[graph::files::PackFile],
    names: &NameMap,
    force: bool,
) -> Result<(), String> {
    let io = |e: std::io::Error| format!("cannot write to `{}`: {e}", dir.display());
    std::fs::create_dir_all(dir).map_err(io)?;
    if force {
        for entry in std::fs::read_dir(dir).map_err(io)?.filter_map(Result::ok) {
            let path = entry.path();
            let stale = path.extension().is_some_and(|e| e == "policy")
                || path.file_name().is_some_and(|n| n == "names.yaml");
            if stale && path.is_file() {
                std::fs::remove_file(&path).map_err(io)?;
            }
        }
    }
    for f in files {
        std::fs::write(dir.join(&f.name), &f.text).map_err(io)?;
    }
    if !names.is_empty() {
        std::fs::write(dir.join("names.yaml"), names.to_yaml()).map_err(io)?;
    }
    Ok(())
}

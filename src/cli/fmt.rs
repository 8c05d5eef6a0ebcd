//! `accord fmt`: canonical formatting, to stdout, in place (`--write`) or as a check (`--check`).

use std::path::{Path, PathBuf};

use super::{FmtArgs, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::input::Encoding;
use crate::load::{load_pack, Loaded};
use crate::render::{self, human::Style};

/// One file's formatting outcome.
struct Formatted {
    path: PathBuf,
    original: String,
    formatted: Option<String>,
    /// Written back in the encoding it was read in (UTF-8, with a BOM, UTF-16).
    encoding: Encoding,
}

pub fn run(args: &FmtArgs, color: bool) -> u8 {
    let mut files: Vec<Formatted> = Vec::new();
    let mut broken = false;
    for path in &args.paths {
        let loaded = match load_pack(path) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_USAGE;
            }
        };
        broken |= !report_problems(&loaded, color);
        files.extend(format_all(&loaded));
    }
    let changed: Vec<&Formatted> = files
        .iter()
        .filter(|f| f.formatted.as_ref().is_some_and(|t| *t != f.original))
        .collect();
    if args.check {
        for f in &changed {
            print!(
                "{}",
                diff(&f.path, &f.original, f.formatted.as_deref().unwrap_or(""))
            );
        }
        if !changed.is_empty() {
            eprintln!("{} file(s) would be reformatted", changed.len());
        }
        return if broken || !changed.is_empty() {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        };
    }
    if args.write {
        for f in &changed {
            let Some(text) = &f.formatted else { continue };
            if let Err(e) = write_atomically(&f.path, &f.encoding.encode(text)) {
                eprintln!("error: cannot write `{}`: {e}", f.path.display());
                return EXIT_USAGE;
            }
            eprintln!("formatted {}", f.path.display());
        }
    } else {
        let many = files.len() > 1;
        for f in &files {
            if let Some(text) = &f.formatted {
                if many {
                    println!("# ==> {} <==", f.path.display());
                }
                print!("{text}");
            }
        }
    }
    if broken {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Prints the parse problems of a pack; true when every file can be formatted.
fn report_problems(loaded: &Loaded, color: bool) -> bool {
    let problems = loaded.diagnostics();
    if problems.is_empty() {
        return true;
    }
    let style = Style {
        color,
        ..Style::default()
    };
    eprint!(
        "{}",
        render::human::render(&loaded.sources, &problems, style)
    );
    !loaded
        .files
        .iter()
        .any(|(_, parsed)| !crate::fmt::formattable(parsed))
}

/// Formats every file that parsed without error; the others get `formatted: None` and are never
/// written, so nothing a user wrote is lost.
fn format_all(loaded: &Loaded) -> Vec<Formatted> {
    loaded
        .files
        .iter()
        .filter_map(|(id, parsed)| {
            let file = loaded.sources.get(*id)?;
            let formatted = crate::fmt::formattable(parsed).then(|| {
                let canonical = crate::fmt::format_file(parsed, *id, &file.text);
                crate::fmt::with_line_endings_of(&file.text, canonical)
            });
            Some(Formatted {
                path: file.path.clone(),
                original: file.text.clone(),
                formatted,
                encoding: loaded
                    .encodings
                    .get(id.0 as usize)
                    .copied()
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// Replaces a file's contents so that an interruption (a kill, a full disk) leaves either the
/// old file or the new one, never a truncated one: the text goes to a temporary file in the
/// same folder, which is flushed to disk and renamed over the file. A symbolic link is written
/// through (its target is replaced, the link stays), and the file keeps its permissions and,
/// where we may set them, its owner and group.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let target = std::fs::canonicalize(path)?;
    let meta = std::fs::metadata(&target)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".accord-fmt-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.as_file().set_permissions(meta.permissions())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Only root may give a file away; for anyone else the owner is already theirs, and a
        // group they are not in is kept by leaving the error aside (the mode is what matters).
        let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(meta.uid()), Some(meta.gid()));
    }
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

fn diff(path: &Path, old: &str, new: &str) -> String {
    let name = path.display().to_string();
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&name, &name)
        .to_string()
}

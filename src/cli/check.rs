//! `accord check`.

use super::{CheckArgs, Format, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::diagnostic::has_errors;
use crate::render::{self, human::Style};

pub fn run(args: &CheckArgs, color: bool) -> u8 {
    let mut exit = EXIT_OK;
    let mut json = Vec::new();
    for path in &args.packs {
        let loaded = match crate::load::load_pack(path) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_USAGE;
            }
        };
        let validation = crate::check(&loaded);
        if has_errors(&validation.diagnostics) {
            exit = EXIT_FINDINGS;
        }
        match args.format {
            Format::Text => {
                let style = Style {
                    color,
                    ..Style::default()
                };
                print!(
                    "{}",
                    render::human::render(&loaded.sources, &validation.diagnostics, style)
                );
                println!(
                    "{}: {}",
                    path.display(),
                    render::summary(&validation.diagnostics)
                );
            }
            Format::Json => {
                json.extend(
                    render::json::diagnostics(&loaded.sources, &validation.diagnostics)
                        .into_iter()
                        .filter_map(|d| serde_json::to_value(d).ok()),
                );
            }
        }
    }
    if args.format == Format::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_else(|_| "[]".into())
        );
    }
    exit
}

//! What several commands do first: load a pack, check it, print its errors if it has any.

use crate::diagnostic::has_errors;
use crate::eval::Compiled;
use crate::load::Loaded;
use crate::render::{self, human::Style};
use crate::validate::Validated;

/// The validated pack, or `None` after printing its errors to stderr.
pub(crate) fn validated(loaded: &Loaded, name: &str, style: Style) -> Option<Validated> {
    let validation = crate::check(loaded);
    match validation.validated {
        Some(v) if !has_errors(&validation.diagnostics) => Some(v),
        _ => {
            eprint!(
                "{}",
                render::human::render(&loaded.sources, &validation.diagnostics, style)
            );
            eprintln!("{name}: {}", render::summary(&validation.diagnostics));
            None
        }
    }
}

pub(crate) fn compile(loaded: &Loaded, name: &str, style: Style) -> Option<Compiled> {
    validated(loaded, name, style).map(|v| crate::eval::compile(&v))
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
pub(crate) fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

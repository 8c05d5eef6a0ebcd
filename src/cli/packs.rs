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

/// A spinner with the elapsed time on stderr, on a terminal only, for runs that can take
/// seconds (the exact analysis of a large pack); cleared when `f` returns.
pub(crate) fn with_spinner<R>(message: String, f: impl FnOnce() -> R) -> R {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return f();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        bar.set_style(style);
    }
    bar.set_message(message);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let out = f();
    bar.finish_and_clear();
    out
}

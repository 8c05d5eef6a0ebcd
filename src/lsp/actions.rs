//! Code actions: the mechanical fixes that diagnostics already describe.
//!
//! - a "did you mean `x`?" hint: replace the misspelt word with `x`;
//! - EXT003 ("add `trust mfa`"): add `mfa` to the `trust` of each named tenant's cross-tenant
//!   block; a block without `trust` (it inherits `default`'s) gets `trust mfa` plus what
//!   `default` trusts, so nothing it inherited is lost; a tenant without a block gets a new one
//!   that states only that `trust` (everything else still comes from `default`);
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

/// A cross-tenant block in the code tokens of a file: its name token, the index of its `trust`
/// (at depth 1) and of its closing brace.
struct Block {
    name: String,
    trust: Option<usize>,
    open: usize,
    close: usize,
}

/// The code tokens (no comments) of a file and its cross-tenant blocks.
fn blocks(f: &FileState) -> (Vec<&super::lex::Token>, Vec<Block>) {
    let code: Vec<_> = f
        .index
        .tokens
        .iter()
        .filter(|t| t.kind != Lexeme::Comment)
        .collect();
    let mut out = Vec::new();
    for (i, t) in code.iter().enumerate() {
        if t.text(&f.text) != "cross_tenant" {
            continue;
        }
        let Some(name) = code.get(i + 1) else {
            continue;
        };
        if code.get(i + 2).is_none_or(|t| t.text(&f.text) != "{") {
            continue;
        }
        let mut depth = 0;
        let mut j = i + 2;
        let mut trust = None;
        let mut close = None;
        while let Some(tok) = code.get(j) {
            match tok.text(&f.text) {
                "{" => depth += 1,
                "}" => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(j);
                        break;
                    }
                }
                "trust" if depth == 1 => trust = Some(j),
                _ => {}
            }
            j += 1;
        }
        let Some(close) = close else { continue };
        out.push(Block {
            name: super::lex::name_value(name, &f.text),
            trust,
            open: i + 2,
            close,
        });
    }
    (code, out)
}

/// The claims a `trust` statement lists (the words after it, up to the next statement).
fn trust_list(code: &[&super::lex::Token], text: &str, at: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut k = at + 1;
    while let Some(tok) = code.get(k) {
        let word = tok.text(text);
        if matches!(word, "mfa" | "compliant_device" | "hybrid_joined" | "none") {
            out.push(word.to_string());
            k += 1;
            if code.get(k).is_some_and(|t| t.text(text) == ",") {
                k += 1;
                continue;
            }
        }
        break;
    }
    out
}

/// EXT003: make each tenant the finding names trust MFA done at home.
fn trust_mfa(
    pack: &PackState,
    d: &Diagnostic,
    shown: &lsp::Diagnostic,
) -> Vec<lsp::CodeActionOrCommand> {
    let named: Vec<&str> = d.message.split('`').skip(1).step_by(2).collect();
    // What `default` trusts: a block without `trust` inherits it.
    let mut inherited: Vec<String> = Vec::new();
    for f in &pack.files {
        let (code, list) = blocks(f);
        for b in list.iter().filter(|b| b.name == "default") {
            if let Some(t) = b.trust {
                inherited = trust_list(&code, &f.text, t);
            }
        }
    }
    inherited.retain(|w| w != "none" && w != "mfa");
    let mut with_mfa = vec!["mfa".to_string()];
    with_mfa.extend(inherited);
    let new_trust = format!("trust {}", with_mfa.join(", "));
    let mut out = Vec::new();
    let mut has_block: Vec<String> = Vec::new();
    for f in &pack.files {
        let (code, list) = blocks(f);
        let lines = Lines::new(&f.text);
        for b in list {
            if !named.contains(&b.name.as_str()) {
                continue;
            }
            has_block.push(b.name.clone());
            let edit_ = match b.trust {
                Some(k) => match code.get(k + 1) {
                    Some(first) if first.text(&f.text) == "none" => {
                        lsp::TextEdit::new(lines.range(first.start, first.end), "mfa".into())
                    }
                    _ => {
                        let at = lines.position(code[k].end);
                        lsp::TextEdit::new(lsp::Range::new(at, at), " mfa,".into())
                    }
                },
                None => {
                    let (open, close) = (code[b.open], code[b.close]);
                    let one_line = !f.text[open.start..close.start].contains('\n');
                    if one_line {
                        let at = lines.position(close.start);
                        lsp::TextEdit::new(lsp::Range::new(at, at), format!("{new_trust} "))
                    } else {
                        let line_start = f.text[..close.start].rfind('\n').map_or(0, |i| i + 1);
                        let at = lines.position(line_start);
                        lsp::TextEdit::new(lsp::Range::new(at, at), format!("  {new_trust}\n"))
                    }
                }
            };
            if let Some(e) = edit(f, vec![edit_]) {
                out.push(action(
                    format!("trust MFA done in `{}`", b.name),
                    shown,
                    e,
                    false,
                ));
            }
        }
    }
    // Tenants without a block: a new one at the end of the file holding the finding.
    let Some(file) = d.span.and_then(|s| pack.files.get(s.file.0 as usize)) else {
        return out;
    };
    let lines = Lines::new(&file.text);
    for tenant in named {
        let declared = pack
            .loaded
            .pack
            .tenants
            .iter()
            .any(|t| t.name.value == tenant);
        if !declared || has_block.iter().any(|n| n == tenant) {
            continue;
        }
        let at = lines.position(file.text.len());
        let sep = if file.text.ends_with('\n') || file.text.is_empty() {
            "\n"
        } else {
            "\n\n"
        };
        let text = format!("{sep}cross_tenant {tenant} {{\n  {new_trust}\n}}\n");
        if let Some(e) = edit(
            file,
            vec![lsp::TextEdit::new(lsp::Range::new(at, at), text)],
        ) {
            out.push(action(
                format!("trust MFA done in `{tenant}` (a new cross-tenant block)"),
                shown,
                e,
                false,
            ));
        }
    }
    out
}

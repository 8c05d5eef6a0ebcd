//! Names across a pack: definition, references, hover on a name, and the outline.

use lsp_types as lsp;

use super::convert::{path_to_uri, Lines};
use super::lex::{Lexeme, NameKind, NameRef, Token};
use super::workspace::{FileState, PackState};

/// The token under (or just before) a byte offset.
pub fn token_at(file: &FileState, offset: usize) -> Option<Token> {
    let tokens = &file.index.tokens;
    let i = tokens.partition_point(|t| t.end < offset);
    tokens
        .get(i)
        .filter(|t| t.start <= offset && offset <= t.end)
        .copied()
}

/// The name occurrence under a byte offset.
pub fn name_at(file: &FileState, offset: usize) -> Option<&NameRef> {
    file.index
        .names
        .iter()
        .find(|n| n.start <= offset && offset <= n.end)
}

/// Every occurrence of a name in the pack, in file order: `(file index, occurrence)`.
pub fn occurrences<'a>(
    pack: &'a PackState,
    kind: NameKind,
    name: &'a str,
) -> impl Iterator<Item = (usize, &'a NameRef)> + 'a {
    pack.files.iter().enumerate().flat_map(move |(i, f)| {
        f.index
            .names
            .iter()
            .filter(move |n| n.kind == kind && n.name == name)
            .map(move |n| (i, n))
    })
}

fn location(pack: &PackState, file: usize, start: usize, end: usize) -> Option<lsp::Location> {
    let f = pack.files.get(file)?;
    Some(lsp::Location::new(
        path_to_uri(&f.path)?,
        Lines::new(&f.text).range(start, end),
    ))
}

/// Where the name under the cursor is declared. Groups, users, terms of use and custom
/// strengths live in the directory, not in the pack: their first mention stands in.
pub fn definition(pack: &PackState, file: usize, offset: usize) -> Vec<lsp::Location> {
    let Some(name) = pack.files.get(file).and_then(|f| name_at(f, offset)) else {
        return Vec::new();
    };
    let mut found: Vec<(usize, &NameRef)> = occurrences(pack, name.kind, &name.name)
        .filter(|(_, n)| n.declaration)
        .collect();
    if found.is_empty() && !name.kind.is_declared() {
        found = occurrences(pack, name.kind, &name.name).take(1).collect();
    }
    found
        .into_iter()
        .filter_map(|(i, n)| location(pack, i, n.start, n.end))
        .collect()
}

/// Every place the name under the cursor is used (and declared, when asked).
pub fn references(
    pack: &PackState,
    file: usize,
    offset: usize,
    include_declaration: bool,
) -> Vec<lsp::Location> {
    let Some(name) = pack.files.get(file).and_then(|f| name_at(f, offset)) else {
        return Vec::new();
    };
    occurrences(pack, name.kind, &name.name)
        .filter(|(_, n)| include_declaration || !n.declaration)
        .filter_map(|(i, n)| location(pack, i, n.start, n.end))
        .collect()
}

fn place(pack: &PackState, file: usize, offset: usize) -> String {
    let f = &pack.files[file];
    let line = f.text[..offset.min(f.text.len())].matches('\n').count() + 1;
    let name = f
        .path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    format!("{name}:{line}")
}

/// Hover on a name: its declaration (the item's text, up to 15 lines) and where it is used.
pub fn hover_name(pack: &PackState, file: usize, name: &NameRef) -> String {
    let mut out = format!("{} `{}`\n", name.kind.noun(), name.name);
    let decls: Vec<(usize, &NameRef)> = occurrences(pack, name.kind, &name.name)
        .filter(|(_, n)| n.declaration)
        .collect();
    for (i, d) in &decls {
        let f = &pack.files[*i];
        if let Some(item) = f
            .index
            .items
            .iter()
            .find(|it| it.start <= d.start && d.end <= it.end)
        {
            let body: Vec<&str> = f.text[item.start..item.end].lines().take(15).collect();
            out.push_str(&format!(
                "\n```accord\n{}\n```\ndeclared at {}\n",
                body.join("\n"),
                place(pack, *i, d.start)
            ));
        }
    }
    if decls.is_empty() && name.kind.is_declared() {
        out.push_str("\nnot declared in this pack\n");
    }
    let uses: Vec<String> = occurrences(pack, name.kind, &name.name)
        .filter(|(_, n)| !n.declaration)
        .map(|(i, n)| place(pack, i, n.start))
        .collect();
    let _ = file;
    match uses.len() {
        0 => out.push_str("\nnot used\n"),
        n => {
            let shown: Vec<&str> = uses.iter().take(10).map(String::as_str).collect();
            let more = if n > 10 {
                format!(" and {} more", n - 10)
            } else {
                String::new()
            };
            out.push_str(&format!(
                "\nused {n} time{}: {}{more}\n",
                if n == 1 { "" } else { "s" },
                shown.join(", ")
            ));
        }
    }
    out
}

/// The outline: one symbol per item (tenant, organization, location, cross-tenant settings,
/// policy, sharing).
#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written even though it is.
pub fn document_symbols(file: &FileState) -> Vec<lsp::DocumentSymbol> {
    let lines = Lines::new(&file.text);
    file.index
        .items
        .iter()
        .map(|it| {
            let kind = match it.keyword.as_str() {
                "resource tenant" | "tenant" => lsp::SymbolKind::NAMESPACE,
                "organization" => lsp::SymbolKind::PACKAGE,
                "location" => lsp::SymbolKind::CONSTANT,
                "cross_tenant" => lsp::SymbolKind::INTERFACE,
                "policy" => lsp::SymbolKind::CLASS,
                _ => lsp::SymbolKind::OBJECT,
            };
            let name = if it.name.is_empty() {
                it.keyword.clone()
            } else {
                it.name.clone()
            };
            lsp::DocumentSymbol {
                name,
                detail: Some(it.keyword.clone()),
                kind,
                tags: None,
                deprecated: None,
                range: lines.range(it.start, it.end),
                selection_range: lines.range(it.name_start, it.name_end),
                children: None,
            }
        })
        .collect()
}

/// Whether a token can hold a name (for the cursor tests of the other features).
pub fn is_word(t: &Token) -> bool {
    matches!(t.kind, Lexeme::Ident | Lexeme::Str)
}

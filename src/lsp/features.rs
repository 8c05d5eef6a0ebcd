//! Hover, completion, code actions, semantic tokens and formatting for one document.

use std::sync::OnceLock;

use lsp_types as lsp;

use super::convert::Lines;
use super::docs;
use super::lex::{self, Lexeme, NameKind};
use super::navigate::{self, name_at, token_at};
use super::workspace::{FileState, PackState};
use crate::model::catalog::{self, BuiltInStrength, FirstPartyApp};
use crate::model::{
    AddressList, CalendarLevel, ClientApp, DefaultLink, GroupKind, GuestRole, InsiderRisk,
    InviteFrom, LinkPermission, Platform, RiskLevel, SharingLevel,
};
use crate::source::FileId;

/// The grammar's keywords, read from `grammar/accord.pest` itself (`k_x = @{ "x" ... }`), so
/// that highlighting and completion never drift from the parser.
pub fn grammar_keywords() -> &'static [String] {
    static KEYWORDS: OnceLock<Vec<String>> = OnceLock::new();
    KEYWORDS.get_or_init(|| {
        let grammar = include_str!("../../grammar/accord.pest");
        let mut words: Vec<String> = grammar
            .lines()
            .filter(|l| l.starts_with("k_"))
            .filter_map(|l| l.split('"').nth(1))
            .map(str::to_string)
            .collect();
        words.sort();
        words.dedup();
        words
    })
}

fn is_keyword(word: &str) -> bool {
    grammar_keywords()
        .binary_search_by(|k| k.as_str().cmp(word))
        .is_ok()
}

/// Hover: a name's declaration and uses, a keyword's or value's reference text, a lint code's
/// documentation (in a suppression comment or a diagnostic's code).
pub fn hover(pack: &PackState, file: usize, offset: usize) -> Option<lsp::Hover> {
    let f = pack.files.get(file)?;
    let token = token_at(f, offset)?;
    let lines = Lines::new(&f.text);
    let text = if let Some(name) = name_at(f, offset) {
        navigate::hover_name(pack, file, name)
    } else {
        match token.kind {
            Lexeme::Ident => docs::word(token.text(&f.text))?,
            Lexeme::Comment => {
                let code = code_at(token.text(&f.text), offset - token.start)?;
                rule_doc(&code)?
            }
            _ => return None,
        }
    };
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: text,
        }),
        range: Some(lines.range(token.start, token.end)),
    })
}

/// The word (a lint code) at `at` in a comment.
fn code_at(comment: &str, at: usize) -> Option<String> {
    let bytes = comment.as_bytes();
    let mut s = at.min(bytes.len());
    while s > 0 && bytes[s - 1].is_ascii_alphanumeric() {
        s -= 1;
    }
    let mut e = at.min(bytes.len());
    while e < bytes.len() && bytes[e].is_ascii_alphanumeric() {
        e += 1;
    }
    (e > s).then(|| comment[s..e].to_ascii_uppercase())
}

/// What `accord rules CODE` prints, as a code block.
pub fn rule_doc(code: &str) -> Option<String> {
    let text = match crate::lint::rule(code) {
        Some(rule) => crate::render::rules::explain(rule),
        None => crate::render::rules::explain_suppression(code)?,
    };
    Some(format!("```text\n{text}```"))
}

fn quoted(name: &str) -> String {
    let ident = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ident && !is_keyword(name) {
        name.to_string()
    } else {
        serde_json::to_string(name).unwrap_or_default()
    }
}

fn declared(pack: &PackState, kind: NameKind) -> Vec<String> {
    let mut names: Vec<String> = pack
        .files
        .iter()
        .flat_map(|f| f.index.names.iter())
        .filter(|n| n.kind == kind && (n.declaration || !kind.is_declared()))
        .map(|n| n.name.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

fn item(label: String, kind: lsp::CompletionItemKind) -> lsp::CompletionItem {
    let documentation = docs::word(&label).map(|d| {
        lsp::Documentation::MarkupContent(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: d,
        })
    });
    lsp::CompletionItem {
        label,
        kind: Some(kind),
        documentation,
        ..Default::default()
    }
}

/// The values a statement takes, by its first word (or the word before the cursor).
fn values_for(
    pack: &PackState,
    head: &str,
    prev: &str,
    block: &str,
) -> Vec<(String, lsp::CompletionItemKind)> {
    use lsp::CompletionItemKind as K;
    let v = |names: Vec<&str>| -> Vec<(String, K)> {
        names
            .into_iter()
            .map(|n| (n.to_string(), K::ENUM_MEMBER))
            .collect()
    };
    let refs = |kind| -> Vec<(String, K)> {
        declared(pack, kind)
            .into_iter()
            .map(|n| (quoted(&n), K::REFERENCE))
            .collect()
    };
    match prev {
        "cross_tenant" => {
            let mut out = refs(NameKind::Tenant);
            out.push(("default".into(), K::KEYWORD));
            return out;
        }
        "tenants" | "(" if head != "locations" && (prev == "tenants" || block == "tenants") => {
            return refs(NameKind::Tenant)
        }
        "role" => return v(catalog::ROLES.iter().map(|r| r.name).collect()),
        "auth_strength" => return v(BuiltInStrength::ALL.iter().map(|s| s.name()).collect()),
        "from" if head != "from" => {
            let mut out = v(vec!["any", "organization", "outside_organization"]);
            out.push(("tenants".into(), K::KEYWORD));
            return out;
        }
        _ => {}
    }
    match head {
        "platforms" => {
            let mut names: Vec<&str> = Platform::ALL.iter().map(|p| p.name()).collect();
            names.push("all");
            v(names)
        }
        "locations" => {
            let mut out = v(vec![
                "all",
                "all_trusted",
                "mfa_trusted_ips",
                "compliant_network",
            ]);
            out.extend(refs(NameKind::Location));
            out
        }
        "client_apps" => v(ClientApp::ALL.iter().map(|c| c.name()).collect()),
        "sign_in_risk" | "user_risk" | "service_principal_risk" | "agent_risk" => {
            v(RiskLevel::ALL.iter().map(|c| c.name()).collect())
        }
        "insider_risk" => v(InsiderRisk::ALL.iter().map(|c| c.name()).collect()),
        "auth_flows" => v(vec!["device_code", "auth_transfer"]),
        "sharepoint" | "onedrive" | "level" | "site" if block == "sharing" || head == "level" => {
            v(SharingLevel::ALL.iter().map(|c| c.name()).collect())
        }
        "from" => v(InviteFrom::ALL.iter().map(|c| c.name()).collect()),
        "calendar" => v(CalendarLevel::ALL.iter().map(|c| c.name()).collect()),
        "state" => v(vec!["on", "off", "report_only"]),
        "persistent_browser" => v(vec!["always", "never"]),
        "continuous_access_evaluation" => v(vec!["strict", "strict_location", "disabled"]),
        "cloud_app_security" => v(vec!["monitor_only", "block_downloads", "mcas_configured"]),
        "sign_in_frequency" => v(vec!["every_time"]),
        "lookup" => v(vec!["client_ip", "gps"]),
        "type" if block == "user" => v(vec!["member", "guest"]),
        "address_list" => v(AddressList::ALL.iter().map(|a| a.name()).collect()),
        "kind" => v(GroupKind::ALL.iter().map(|k| k.name()).collect()),
        "guests" => v(vec!["allowed", "blocked"]),
        "people_picker_guests"
        | "external_resharing"
        | "require_account_match"
        | "email_otp"
        | "self_service_sign_up" => v(vec!["on", "off"]),
        "guest_expiry" | "anyone_link_expiry" => v(vec!["off", "30d", "60d", "90d"]),
        "default_link" => v(DefaultLink::ALL.iter().map(|l| l.name()).collect()),
        "default_link_permission" => v(LinkPermission::ALL.iter().map(|l| l.name()).collect()),
        "guest_role" => v(GuestRole::ALL.iter().map(|l| l.name()).collect()),
        "grant" => v(vec![
            "block",
            "mfa",
            "compliant_device",
            "hybrid_joined",
            "approved_app",
            "app_protection",
            "password_change",
        ]),
        "include" | "exclude" if block == "apps" => {
            let mut names = vec!["all", "none", "office365", "admin_portals"];
            names.extend(FirstPartyApp::ALL.iter().map(|a| a.name()));
            v(names)
        }
        "include" | "exclude" if block == "users" => v(vec!["all", "none", "guests_or_external"]),
        "external" => v(vec![
            "internal_guest",
            "b2b_guest",
            "b2b_member",
            "direct_connect",
            "other_external",
            "service_provider",
            "all",
        ]),
        "apps" if block != "apps" => {
            let mut names = vec!["all"];
            names.extend(FirstPartyApp::ALL.iter().map(|a| a.name()));
            v(names)
        }
        _ => Vec::new(),
    }
}

/// Completion at a byte offset: the keywords the grammar accepts there, declared names and
/// the values of the statement being written.
pub fn completion(pack: &PackState, file: usize, offset: usize) -> Vec<lsp::CompletionItem> {
    use lsp::CompletionItemKind as K;
    let Some(f) = pack.files.get(file) else {
        return Vec::new();
    };
    let offset = offset.min(f.text.len());
    let code: Vec<lex::Token> = f
        .index
        .tokens
        .iter()
        .copied()
        .filter(|t| t.kind != Lexeme::Comment)
        .collect();
    // Inside a string: names of the kind the keyword before it takes.
    if let Some(t) = token_at(f, offset).filter(|t| t.kind == Lexeme::Str && t.start < offset) {
        let i = code.partition_point(|c| c.start < t.start);
        let prev = i
            .checked_sub(1)
            .map(|p| code[p].text(&f.text))
            .unwrap_or("");
        let kind = match prev {
            "group" => NameKind::Group,
            "user" => NameKind::User,
            "terms_of_use" => NameKind::TermsOfUse,
            "auth_strength" => NameKind::AuthStrength,
            "tenant" | "cross_tenant" | "tenants" | "(" | "," => NameKind::Tenant,
            _ => return Vec::new(),
        };
        return declared(pack, kind)
            .into_iter()
            .map(|n| item(n, K::REFERENCE))
            .collect();
    }
    // The word being typed starts here.
    let bytes = f.text.as_bytes();
    let mut start = offset;
    while start > 0
        && (bytes[start - 1].is_ascii_alphanumeric() || matches!(bytes[start - 1], b'_' | b'-'))
    {
        start -= 1;
    }
    if let Some(c) = f.text[..offset].rfind('#') {
        if !f.text[c..offset].contains('\n') && !in_string(&f.text, c) {
            return Vec::new();
        }
    }
    let before: Vec<lex::Token> = code.iter().copied().filter(|t| t.end <= start).collect();
    let heads = lex::statement_heads(&before, &f.text);
    let word = |i: usize| before[i].text(&f.text);
    let (head, prev) = match before.len() {
        0 => ("", ""),
        n => {
            let last = word(n - 1);
            // After `{` or `}` a new statement begins; after a name on the same line too.
            let starts_new = matches!(last, "{" | "}")
                || f.text[before[n - 1].end..start].contains('\n')
                    && !matches!(last, "," | "=" | "(" | "[");
            if starts_new {
                ("", last)
            } else {
                (word(heads[n - 1]), last)
            }
        }
    };
    // The enclosing block's keyword, and `tenants` when inside its parentheses.
    let mut blocks: Vec<&str> = Vec::new();
    let mut paren: Vec<&str> = Vec::new();
    for (i, t) in before.iter().enumerate() {
        match t.text(&f.text) {
            "{" => blocks.push(word(heads[i])),
            "}" => {
                blocks.pop();
            }
            "(" => paren.push(if i > 0 { word(i - 1) } else { "" }),
            ")" => {
                paren.pop();
            }
            _ => {}
        }
    }
    let block = match paren.last() {
        Some(&"tenants") => "tenants",
        _ => blocks.last().copied().unwrap_or(""),
    };
    let mut out: Vec<lsp::CompletionItem> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut add = |label: String, kind: K, out: &mut Vec<lsp::CompletionItem>| {
        if seen.insert(label.clone()) {
            out.push(item(label, kind));
        }
    };
    if block == "organization" {
        let field = before
            .iter()
            .rev()
            .take_while(|t| t.text(&f.text) != "{")
            .count()
            % 3;
        let values: Vec<String> = match field {
            0 => declared(pack, NameKind::Tenant)
                .iter()
                .map(|n| quoted(n))
                .collect(),
            1 => vec!["owner".into(), "member".into()],
            _ => vec!["active".into(), "pending".into(), "removed".into()],
        };
        for v in values {
            add(v, K::ENUM_MEMBER, &mut out);
        }
        return out;
    }
    for (label, kind) in values_for(pack, head, prev, block) {
        add(label, kind, &mut out);
    }
    for k in crate::syntax::expected_keywords(&f.text[..start]) {
        add(k, K::KEYWORD, &mut out);
    }
    out
}

/// Whether byte `at` lies inside a string on its line.
fn in_string(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    lex::tokens(&text[line_start..]).iter().any(|t| {
        matches!(t.kind, Lexeme::Str | Lexeme::RawStr)
            && t.start + line_start < at
            && at < t.end + line_start
    })
}

/// Semantic token types, in the legend's order.
pub const TOKEN_TYPES: [lsp::SemanticTokenType; 10] = [
    lsp::SemanticTokenType::KEYWORD,
    lsp::SemanticTokenType::STRING,
    lsp::SemanticTokenType::COMMENT,
    lsp::SemanticTokenType::NUMBER,
    lsp::SemanticTokenType::NAMESPACE,
    lsp::SemanticTokenType::VARIABLE,
    lsp::SemanticTokenType::CLASS,
    lsp::SemanticTokenType::ENUM_MEMBER,
    lsp::SemanticTokenType::PARAMETER,
    lsp::SemanticTokenType::OPERATOR,
];

/// Every token of a file, classified: names by what they name, grammar keywords, values.
pub fn semantic_tokens(file: &FileState) -> Vec<lsp::SemanticToken> {
    let lines = Lines::new(&file.text);
    let mut names = file.index.names.iter().peekable();
    let mut out = Vec::new();
    let (mut last_line, mut last_col) = (0u32, 0u32);
    for t in &file.index.tokens {
        while names.peek().is_some_and(|n| n.end <= t.start) {
            names.next();
        }
        let name = names.peek().filter(|n| n.start == t.start).map(|n| n.kind);
        let ty = match (t.kind, name) {
            (_, Some(NameKind::Tenant | NameKind::Organization)) => 4,
            (_, Some(NameKind::Location)) => 5,
            (_, Some(NameKind::Policy)) => 6,
            (_, Some(_)) => 8,
            (Lexeme::Ident, None) if is_keyword(t.text(&file.text)) => 0,
            (Lexeme::Ident, None) => 7,
            (Lexeme::Str | Lexeme::RawStr, None) => 1,
            (Lexeme::Comment, None) => 2,
            (Lexeme::Number, None) => 3,
            (Lexeme::Punct, None) if t.text(&file.text) == "=" => 9,
            _ => continue,
        };
        let start = lines.position(t.start);
        let end = lines.position(t.end);
        let length = if end.line == start.line {
            end.character - start.character
        } else {
            continue;
        };
        let delta_line = start.line - last_line;
        let delta_start = if delta_line == 0 {
            start.character - last_col
        } else {
            start.character
        };
        out.push(lsp::SemanticToken {
            delta_line,
            delta_start,
            length,
            token_type: ty,
            token_modifiers_bitset: 0,
        });
        last_line = start.line;
        last_col = start.character;
    }
    out
}

/// Whole-document formatting as `accord fmt` does it; nothing for a file that does not parse
/// (or whose text did not all make it into the model), or that is already formatted.
pub fn format(file: &FileState, id: FileId) -> Option<Vec<lsp::TextEdit>> {
    if !crate::fmt::formattable(&file.parsed) {
        return None;
    }
    let canonical = crate::fmt::with_line_endings_of(
        &file.text,
        crate::fmt::format_file(&file.parsed, id, &file.text),
    );
    if canonical == file.text {
        return Some(Vec::new());
    }
    let lines = Lines::new(&file.text);
    Some(vec![lsp::TextEdit::new(
        lines.range(0, file.text.len()),
        canonical,
    )])
}

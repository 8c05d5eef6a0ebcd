//! A forgiving lexer for `.policy` text, and the names it can tell from their context.
//!
//! The editor works on text that is often broken (the user is typing), so navigation, outline,
//! highlighting and completion cannot wait for a parse: they read tokens. Token rules follow
//! `grammar/accord.pest` (identifiers, JSON-escaped strings, `'raw'` device rules, `#` comments);
//! what a name refers to comes from the keyword in front of it, as in the grammar.

/// What a token is, lexically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lexeme {
    Ident,
    /// A double-quoted string (possibly unterminated at the end of its line).
    Str,
    /// A single-quoted device rule.
    RawStr,
    /// A number or a duration (`8h`).
    Number,
    Comment,
    /// One of `{ } ( ) [ ] , = :`.
    Punct,
    /// Any other character: never valid in a pack.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: Lexeme,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        source.get(self.start..self.end).unwrap_or("")
    }
}

fn ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// Every token of a text, comments included, in order.
pub fn tokens(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let kind = match c {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                Lexeme::Comment
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' && i + 1 < bytes.len() && bytes[i + 1] != b'\n' {
                        2
                    } else {
                        1
                    };
                }
                if i < bytes.len() && bytes[i] == b'"' {
                    i += 1;
                }
                Lexeme::Str
            }
            b'\'' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'\'' && bytes[i] != b'\n' {
                    i += 1;
                }
                if i < bytes.len() && bytes[i] == b'\'' {
                    i += 1;
                }
                Lexeme::RawStr
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while i < bytes.len() && ident_char(bytes[i]) {
                    i += 1;
                }
                Lexeme::Ident
            }
            c if c.is_ascii_digit()
                || (c == b'-' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) =>
            {
                i += 1;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'.' | b'+' | b'-'))
                {
                    i += 1;
                }
                Lexeme::Number
            }
            b'{' | b'}' | b'(' | b')' | b'[' | b']' | b',' | b'=' | b':' => {
                i += 1;
                Lexeme::Punct
            }
            _ => {
                // One whole character, so that a span never splits UTF-8.
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                Lexeme::Other
            }
        };
        out.push(Token {
            kind,
            start,
            end: i,
        });
    }
    out
}

/// The kinds of named things a pack declares or refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameKind {
    Tenant,
    Organization,
    Location,
    Policy,
    Group,
    User,
    TermsOfUse,
    AuthStrength,
}

impl NameKind {
    pub fn noun(self) -> &'static str {
        match self {
            NameKind::Tenant => "tenant",
            NameKind::Organization => "organization",
            NameKind::Location => "location",
            NameKind::Policy => "policy",
            NameKind::Group => "group",
            NameKind::User => "user",
            NameKind::TermsOfUse => "terms of use",
            NameKind::AuthStrength => "authentication strength",
        }
    }

    /// Whether the language declares this kind of thing (the others exist in the directory and
    /// are only named where they are used).
    pub fn is_declared(self) -> bool {
        matches!(
            self,
            NameKind::Tenant | NameKind::Organization | NameKind::Location | NameKind::Policy
        )
    }
}

/// One occurrence of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRef {
    pub kind: NameKind,
    /// The name as the model holds it (a string's value, unquoted).
    pub name: String,
    /// The token's byte range.
    pub start: usize,
    pub end: usize,
    /// True for the declaration itself.
    pub declaration: bool,
}

/// A top-level item (for the outline): its keyword, name and byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub keyword: String,
    pub name: String,
    pub start: usize,
    pub end: usize,
    /// The byte range of its name (or keyword when it has none).
    pub name_start: usize,
    pub name_end: usize,
}

/// What the lexer could learn about one file.
#[derive(Debug, Clone, Default)]
pub struct FileIndex {
    pub tokens: Vec<Token>,
    pub names: Vec<NameRef>,
    pub items: Vec<Item>,
}

/// A name token's value: an identifier as written, a string decoded (an undecodable one as
/// written between its quotes).
pub fn name_value(token: &Token, text: &str) -> String {
    let raw = token.text(text);
    match token.kind {
        Lexeme::Str => serde_json::from_str::<String>(raw)
            .unwrap_or_else(|_| raw.trim_matches('"').to_string()),
        _ => raw.to_string(),
    }
}

const LOCATION_KEYWORDS: [&str; 4] = ["all", "all_trusted", "mfa_trusted_ips", "compliant_network"];
const ITEM_KEYWORDS: [&str; 8] = [
    "resource",
    "tenant",
    "organization",
    "location",
    "cross_tenant",
    "policy",
    "sharing",
    "directory",
];

/// Indexes one file's text.
pub fn index(text: &str) -> FileIndex {
    let tokens = tokens(text);
    let code: Vec<Token> = tokens
        .iter()
        .copied()
        .filter(|t| t.kind != Lexeme::Comment)
        .collect();
    let word = |i: usize| code.get(i).map(|t| t.text(text)).unwrap_or("");
    let is_name = |i: usize| {
        code.get(i)
            .is_some_and(|t| matches!(t.kind, Lexeme::Ident | Lexeme::Str))
    };
    let mut names = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    let push = |names: &mut Vec<NameRef>, kind, i: usize, declaration| {
        let t: Token = code[i];
        names.push(NameRef {
            kind,
            name: name_value(&t, text),
            start: t.start,
            end: t.end,
            declaration,
        });
    };
    let heads = statement_heads(&code, text);
    let head_word = |i: usize| word(heads[i]);
    // The brace stack: the keyword that opened each block.
    let mut blocks: Vec<&str> = Vec::new();
    // The open item: its index in `items`.
    let mut open_item: Option<usize> = None;
    // Inside `tenants(...)` / `locations = include(...)`: the kind of the names in the parens.
    let mut paren_kind: Option<NameKind> = None;
    // Position within an organization member line (name, role, state).
    let mut member_field = 0usize;
    let mut i = 0;
    while i < code.len() {
        let t = code[i];
        let w = t.text(text);
        let prev = if i > 0 { word(i - 1) } else { "" };
        match (t.kind, w) {
            (Lexeme::Punct, "{") => {
                blocks.push(head_word(i));
                member_field = 0;
            }
            (Lexeme::Punct, "}") => {
                blocks.pop();
                if blocks.is_empty() {
                    if let Some(k) = open_item.take() {
                        items[k].end = t.end;
                    }
                }
            }
            (Lexeme::Punct, ")") => paren_kind = None,
            (Lexeme::Ident, _) if blocks.is_empty() && ITEM_KEYWORDS.contains(&w) => {
                if !(w == "tenant" && prev == "resource" && open_item.is_some()) {
                    let keyword = if w == "resource" {
                        "resource tenant"
                    } else {
                        w
                    };
                    let name_at = if w == "resource" { i + 2 } else { i + 1 };
                    let (name, ns, ne) =
                        if !matches!(w, "sharing" | "directory") && is_name(name_at) {
                            let n = code[name_at];
                            (name_value(&n, text), n.start, n.end)
                        } else {
                            (String::new(), t.start, t.end)
                        };
                    if let Some(k) = open_item.take() {
                        items[k].end = t.start;
                    }
                    items.push(Item {
                        keyword: keyword.to_string(),
                        name,
                        start: t.start,
                        end: text.len(),
                        name_start: ns,
                        name_end: ne,
                    });
                    open_item = Some(items.len() - 1);
                }
                if is_name(i + 1) && word(i + 1) != "{" {
                    match w {
                        "tenant" => push(&mut names, NameKind::Tenant, i + 1, true),
                        "organization" => push(&mut names, NameKind::Organization, i + 1, true),
                        "location" => push(&mut names, NameKind::Location, i + 1, true),
                        "policy" => push(&mut names, NameKind::Policy, i + 1, true),
                        "cross_tenant" if word(i + 1) != "default" => {
                            push(&mut names, NameKind::Tenant, i + 1, false)
                        }
                        _ => {}
                    }
                }
            }
            (Lexeme::Ident | Lexeme::Str, _)
                if blocks.last() == Some(&"organization") && blocks.len() == 1 =>
            {
                if member_field == 0 {
                    push(&mut names, NameKind::Tenant, i, false);
                }
                member_field = (member_field + 1) % 3;
            }
            (Lexeme::Ident, "tenants") if word(i + 1) == "(" => {
                paren_kind = Some(NameKind::Tenant);
                i += 1;
            }
            (Lexeme::Ident, "include" | "exclude")
                if word(i + 1) == "(" && head_word(i) == "locations" =>
            {
                paren_kind = Some(NameKind::Location);
                i += 1;
            }
            (Lexeme::Ident | Lexeme::Str, _) if paren_kind.is_some() => {
                let kind = paren_kind.unwrap_or(NameKind::Tenant);
                if !(kind == NameKind::Location
                    && t.kind == Lexeme::Ident
                    && LOCATION_KEYWORDS.contains(&w))
                {
                    push(&mut names, kind, i, false);
                }
            }
            (Lexeme::Str, _) if matches!(prev, "group" | "user" | "terms_of_use") => {
                let kind = match prev {
                    "group" => NameKind::Group,
                    "user" => NameKind::User,
                    _ => NameKind::TermsOfUse,
                };
                push(&mut names, kind, i, false);
            }
            (Lexeme::Str, _) if prev == "auth_strength" => {
                push(&mut names, NameKind::AuthStrength, i, false);
            }
            _ => {}
        }
        i += 1;
    }
    FileIndex {
        tokens,
        names,
        items,
    }
}

/// For every code token (comments left out), the index of the first token of its statement.
///
/// Statements are not terminated in the language; a new one starts after `{` or `}`, or on a
/// new line outside brackets unless the line break sits next to a `,` or `=` (a list or an
/// assignment that goes on).
pub fn statement_heads(code: &[Token], text: &str) -> Vec<usize> {
    let mut heads = Vec::with_capacity(code.len());
    let mut depth = 0usize;
    let mut head = 0usize;
    for (i, t) in code.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| code[p].text(text)).unwrap_or("{");
        let w = t.text(text);
        let new_line = i > 0
            && text
                .get(code[i - 1].end..t.start)
                .is_some_and(|s| s.contains('\n'));
        let starts = i == 0
            || (depth == 0 && matches!(prev, "{" | "}"))
            || (depth == 0
                && new_line
                && !matches!(prev, "," | "=" | "(" | "[")
                && !matches!(w, "," | "=" | "(" | ")" | "[" | "]" | "{"));
        if starts {
            head = i;
        }
        heads.push(head);
        match w {
            "(" | "[" => depth += 1,
            ")" | "]" => depth = depth.saturating_sub(1),
            "{" | "}" => depth = 0,
            _ => {}
        }
    }
    heads
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACK: &str = r#"resource tenant contoso { id = "x" }
tenant "fabrikam" { id = "y" }
organization "Contoso Group" {
  contoso owner active
  fabrikam member active
}
location hq { ip = ["10.0.0.0/8"] trusted }
cross_tenant fabrikam { trust mfa }
# a comment naming policy "x"
policy "p" {
  users { include external(b2b_guest) from tenants(fabrikam, "contoso") exclude group "G" }
  conditions { locations = include(all) exclude(hq, all_trusted) }
  grant all(mfa, terms_of_use "ToU")
}
"#;

    #[test]
    fn names_are_found_by_the_keyword_before_them() {
        let idx = index(PACK);
        let got: Vec<(NameKind, &str, bool)> = idx
            .names
            .iter()
            .map(|n| (n.kind, n.name.as_str(), n.declaration))
            .collect();
        assert_eq!(
            got,
            vec![
                (NameKind::Tenant, "contoso", true),
                (NameKind::Tenant, "fabrikam", true),
                (NameKind::Organization, "Contoso Group", true),
                (NameKind::Tenant, "contoso", false),
                (NameKind::Tenant, "fabrikam", false),
                (NameKind::Location, "hq", true),
                (NameKind::Tenant, "fabrikam", false),
                (NameKind::Policy, "p", true),
                (NameKind::Tenant, "fabrikam", false),
                (NameKind::Tenant, "contoso", false),
                (NameKind::Group, "G", false),
                (NameKind::Location, "hq", false),
                (NameKind::TermsOfUse, "ToU", false),
            ]
        );
        let items: Vec<(&str, &str)> = idx
            .items
            .iter()
            .map(|i| (i.keyword.as_str(), i.name.as_str()))
            .collect();
        assert_eq!(
            items,
            vec![
                ("resource tenant", "contoso"),
                ("tenant", "fabrikam"),
                ("organization", "Contoso Group"),
                ("location", "hq"),
                ("cross_tenant", "fabrikam"),
                ("policy", "p"),
            ]
        );
        assert!(PACK[idx.items[5].start..idx.items[5].end].ends_with('}'));
    }

    #[test]
    fn broken_text_still_lexes() {
        let t = tokens("policy \"unterminated\n é { '");
        assert_eq!(t.len(), 5);
        assert_eq!(t[2].kind, Lexeme::Other);
        assert_eq!(t[4].kind, Lexeme::RawStr);
    }
}

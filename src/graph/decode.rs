//! Bytes to JSON values, remembering where every value is.
//!
//! Exports come in several encodings (UTF-8 with or without a BOM, UTF-16LE/BE with a BOM: the
//! IntuneManagement exports in the corpus are UTF-16LE) and in two key styles (Graph camelCase,
//! and PascalCase as the PowerShell SDK prints objects, with unknown properties nested in
//! `AdditionalProperties` blocks). This module turns all of them into one shape: a
//! [`serde_json::Value`] with camelCase keys, `AdditionalProperties` merged into their parent and
//! `/Date(ms)/` timestamps rewritten as ISO 8601, plus the byte span of every JSON pointer so that
//! diagnostics can point into the file.
//!
//! Parsing is jsonc-parser's, set to strict JSON. With `lenient`, it also accepts `//` and
//! `/* */` comments and trailing commas (two of Microsoft's own documentation samples have one),
//! each reported as a warning.

use std::collections::HashMap;

use jsonc_parser::ast;
use serde_json::{Map, Number, Value};

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

pub use crate::input::Encoding;

/// Decodes bytes by their BOM (`EF BB BF`, `FF FE`, `FE FF`); UTF-8 without one. The rules are
/// those of every input (`crate::input::decode`).
pub fn decode_text(bytes: &[u8]) -> Result<(String, Encoding), String> {
    crate::input::decode("input", bytes)
        .map(|t| (t.text, t.encoding))
        .map_err(|e| e.to_string())
}

/// The encoding a file's first bytes announce (`EF BB BF`, `FF FE`, `FE FF`; UTF-8 without a
/// BOM) and the length of the BOM, for readers that stream a file (`accord replay`) instead of
/// loading it.
pub fn sniff_bom(bytes: &[u8]) -> (Encoding, usize) {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        (Encoding::Utf8Bom, 3)
    } else if bytes.starts_with(&[0xFF, 0xFE]) {
        (Encoding::Utf16Le, 2)
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        (Encoding::Utf16Be, 2)
    } else {
        (Encoding::Utf8, 0)
    }
}

/// A parsed document.
#[derive(Debug, Clone)]
pub struct Document {
    pub value: Value,
    /// The span of each JSON pointer (of the normalised value): the key of an object member,
    /// or the value itself for array items and the root.
    pub spans: HashMap<String, Span>,
    /// Warnings (lenient syntax, duplicate keys).
    pub diagnostics: Vec<Diagnostic>,
}

impl Document {
    /// The span of a pointer, or of its closest ancestor that has one.
    pub fn span(&self, pointer: &str) -> Option<Span> {
        let mut p = pointer;
        loop {
            if let Some(s) = self.spans.get(p) {
                return Some(*s);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }
}

/// Parses `text`; an error is returned as a diagnostic at the offending position.
///
/// The syntax is jsonc-parser's, set to strict JSON, or to JSON with comments and trailing commas
/// when `lenient`; this module only turns its tree into the shape described above.
pub fn parse(file: FileId, text: &str, lenient: bool) -> Result<Document, Box<Diagnostic>> {
    let options = jsonc_parser::ParseOptions {
        allow_comments: lenient,
        allow_trailing_commas: lenient,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let collect = jsonc_parser::CollectOptions {
        comments: jsonc_parser::CommentCollectionStrategy::Separate,
        tokens: true,
    };
    let parsed = jsonc_parser::parse_to_ast(text, &collect, &options)
        .map_err(|e| syntax_error(file, text, &e))?;
    let mut reader = Reader {
        file,
        spans: HashMap::new(),
        diagnostics: lenient_warnings(file, &parsed),
    };
    let value = match &parsed.value {
        Some(root) => reader.value(root, "", None),
        None => {
            let at = Span::new(file, text.len(), text.len());
            return Err(Box::new(
                Diagnostic::error("E3001", "invalid JSON: the file holds no JSON value").at(at),
            ));
        }
    };
    Ok(Document {
        value,
        spans: reader.spans,
        diagnostics: reader.diagnostics,
    })
}

/// `E3001` at the place jsonc-parser stopped, with advice for what `--lenient` accepts.
fn syntax_error(file: FileId, text: &str, e: &jsonc_parser::errors::ParseError) -> Box<Diagnostic> {
    use jsonc_parser::errors::ParseErrorKind as K;
    let range = e.range();
    let end = range.end.max(range.start + 1).min(text.len());
    let kind = e.kind().to_string();
    let mut message = kind.clone();
    if let Some(first) = message.get(..1) {
        message.replace_range(..1, &first.to_lowercase());
    }
    let help = match e.kind() {
        K::CommentsNotAllowed => Some("remove the comment, or import with `--lenient`"),
        K::TrailingCommasNotAllowed => Some("remove the comma, or import with `--lenient`"),
        K::NestingDepthExceeded => Some("a Graph export is never this deeply nested"),
        _ => None,
    };
    let mut d = Diagnostic::error("E3001", format!("invalid JSON: {message}")).at(Span::new(
        file,
        range.start,
        end,
    ));
    if let Some(h) = help {
        d = d.help(h);
    }
    Box::new(d)
}

/// `W3001` for every comment and trailing comma that lenient parsing let through.
fn lenient_warnings(file: FileId, parsed: &jsonc_parser::ParseResult<'_>) -> Vec<Diagnostic> {
    use jsonc_parser::common::Ranged;
    use jsonc_parser::tokens::Token;
    let mut found: Vec<(usize, usize, &str)> = Vec::new();
    for comments in parsed.comments.iter().flat_map(|m| m.values()) {
        for c in comments.iter() {
            let r = c.range();
            found.push((r.start, r.end, "comment in JSON accepted (`--lenient`)"));
        }
    }
    let tokens = parsed.tokens.as_deref().unwrap_or(&[]);
    for pair in tokens.windows(2) {
        if matches!(pair[0].token, Token::Comma)
            && matches!(pair[1].token, Token::CloseBrace | Token::CloseBracket)
        {
            let r = pair[0].range;
            found.push((
                r.start,
                r.end,
                "trailing comma in JSON accepted (`--lenient`)",
            ));
        }
    }
    // A comment is filed under the tokens on both sides of it: report it once.
    found.sort_unstable();
    found.dedup();
    found
        .into_iter()
        .map(|(start, end, message)| {
            Diagnostic::warning("W3001", message).at(Span::new(file, start, end))
        })
        .collect()
}

/// The JSON pointer of `key` inside `parent` (RFC 6901 escapes).
pub fn child_pointer(parent: &str, key: &str) -> String {
    format!("{parent}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// Graph's camelCase for a key as PowerShell prints it (`IncludeUsers` -> `includeUsers`).
/// Keys starting with `@` or `#` (OData annotations and actions) are left alone; acronyms at the
/// start go lower case together (`IPRanges` -> `ipRanges`), except the last capital when a
/// lower-case letter follows it.
pub fn camel_case(key: &str) -> String {
    let first = key.chars().next();
    if !first.is_some_and(|c| c.is_ascii_uppercase()) {
        return key.to_string();
    }
    let chars: Vec<char> = key.chars().collect();
    let mut upper_run = chars.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if upper_run > 1 && upper_run < chars.len() && chars[upper_run].is_ascii_lowercase() {
        upper_run -= 1;
    }
    let upper_run = upper_run.max(1);
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < upper_run {
                c.to_ascii_lowercase()
            } else {
                *c
            }
        })
        .collect()
}

/// `/Date(1690000000000)/` (optionally with a `+0200` offset) as an ISO 8601 UTC timestamp.
pub fn dotnet_date(text: &str) -> Option<String> {
    let inner = text.strip_prefix("/Date(")?.strip_suffix(")/")?;
    let digits_end = inner
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || (*i == 0 && *c == '-')))
        .map(|(i, _)| i)
        .unwrap_or(inner.len());
    let rest = &inner[digits_end..];
    let offset_ok = rest.is_empty()
        || (rest.len() == 5
            && (rest.starts_with('+') || rest.starts_with('-'))
            && rest[1..].chars().all(|c| c.is_ascii_digit()));
    if !offset_ok {
        return None;
    }
    let ms: i64 = inner[..digits_end].parse().ok()?;
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()?;
    let (y, m, d) = (t.year(), u8::from(t.month()), t.day());
    let clock = format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second());
    Some(match t.millisecond() {
        0 => format!("{y:04}-{m:02}-{d:02}T{clock}Z"),
        millis => format!("{y:04}-{m:02}-{d:02}T{clock}.{millis:03}Z"),
    })
}

/// Walks jsonc-parser's tree into a [`Value`], recording spans and warnings.
struct Reader {
    file: FileId,
    spans: HashMap<String, Span>,
    diagnostics: Vec<Diagnostic>,
}

impl Reader {
    fn span(&self, range: jsonc_parser::common::Range) -> Span {
        Span::new(self.file, range.start, range.end)
    }

    /// A value at `pointer`; its span is the member name's when it has one.
    fn value(&mut self, node: &ast::Value<'_>, pointer: &str, key_span: Option<Span>) -> Value {
        use jsonc_parser::common::Ranged;
        let value = match node {
            ast::Value::Object(o) => self.object(o, pointer),
            ast::Value::Array(a) => Value::Array(
                a.elements
                    .iter()
                    .enumerate()
                    .map(|(i, e)| self.value(e, &format!("{pointer}/{i}"), None))
                    .collect(),
            ),
            ast::Value::StringLit(s) => {
                Value::String(dotnet_date(&s.value).unwrap_or_else(|| s.value.to_string()))
            }
            // Strict number syntax was enforced by the parser; serde_json keeps its precision.
            ast::Value::NumberLit(n) => {
                n.value.parse::<Number>().map_or(Value::Null, Value::Number)
            }
            ast::Value::BooleanLit(b) => Value::Bool(b.value),
            ast::Value::NullKeyword(_) => Value::Null,
        };
        let span = key_span.unwrap_or_else(|| self.span(node.range()));
        self.spans.entry(pointer.to_string()).or_insert(span);
        value
    }

    fn object(&mut self, object: &ast::Object<'_>, pointer: &str) -> Value {
        let mut map = Map::new();
        // Members of `AdditionalProperties` blocks (PowerShell SDK) belong to this object.
        let mut additional: Vec<(String, Value)> = Vec::new();
        for prop in &object.properties {
            let (raw_key, key_range) = match &prop.name {
                ast::ObjectPropName::String(s) => (s.value.to_string(), s.range),
                ast::ObjectPropName::Word(w) => (w.value.to_string(), w.range),
            };
            let key_span = self.span(key_range);
            let key = camel_case(&raw_key);
            if key == "additionalProperties" {
                if let ast::Value::Object(inner) = &prop.value {
                    // Children are recorded at this object's pointer.
                    if let Value::Object(inner) = self.object(inner, pointer) {
                        additional.extend(inner);
                    }
                    continue;
                }
            }
            let child = child_pointer(pointer, &key);
            let value = self.value(&prop.value, &child, Some(key_span));
            if map.insert(key, value).is_some() {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "W3008",
                        format!("duplicate member `{raw_key}`: the last value is used"),
                    )
                    .at(key_span),
                );
            }
        }
        for (k, v) in additional {
            // A typed property wins over the same name in `AdditionalProperties`.
            if !map.contains_key(&k) {
                map.insert(k, v);
            }
        }
        Value::Object(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str, lenient: bool) -> Document {
        match parse(FileId(0), text, lenient) {
            Ok(d) => d,
            Err(e) => panic!("{}", e.message),
        }
    }

    #[test]
    fn decodes_every_bom() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("{}".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("{}".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode_text(&le).map(|x| x.1), Ok(Encoding::Utf16Le));
        assert_eq!(decode_text(&be).map(|x| x.0), Ok("{}".to_string()));
        assert_eq!(
            decode_text(b"\xEF\xBB\xBF{}").map(|x| x.1),
            Ok(Encoding::Utf8Bom)
        );
        assert!(decode_text(b"\xFF\xFE{").is_err());
    }

    #[test]
    fn strict_rejects_trailing_commas_and_lenient_warns() {
        let text = "{\n  \"a\": [1, 2,],\n}";
        let err = match parse(FileId(0), text, false) {
            Err(e) => e,
            Ok(_) => panic!("accepted a trailing comma"),
        };
        assert_eq!(err.code, "E3001");
        assert_eq!(err.span.map(|s| s.start), Some(14));
        let doc = parse_ok(text, true);
        assert_eq!(doc.value, serde_json::json!({"a": [1, 2]}));
        assert_eq!(doc.diagnostics.len(), 2);
    }

    #[test]
    fn lenient_accepts_comments() {
        let doc = parse_ok("// head\n{\"a\": /* x */ 1}", true);
        assert_eq!(doc.value, serde_json::json!({"a": 1}));
        let warned: Vec<u32> = doc
            .diagnostics
            .iter()
            .filter(|d| d.code == "W3001")
            .filter_map(|d| d.span.map(|s| s.start))
            .collect();
        assert_eq!(
            warned,
            vec![0, 14],
            "each comment is reported once, where it is"
        );
        assert!(parse(FileId(0), "{\"a\": 1} // x", false).is_err());
    }

    #[test]
    fn powershell_keys_become_camel_case_and_additional_properties_merge() {
        let doc = parse_ok(
            r#"{"DisplayName": "x", "Conditions": {"Users": {"IncludeUsers": ["All"]},
               "AdditionalProperties": {"insiderRiskLevels": "elevated"}},
               "CreatedDateTime": "/Date(1690000000000)/", "IPRanges": []}"#,
            false,
        );
        assert_eq!(
            doc.value,
            serde_json::json!({"displayName": "x", "conditions": {"users": {"includeUsers": ["All"]},
                "insiderRiskLevels": "elevated"}, "createdDateTime": "2023-07-22T04:26:40Z",
                "ipRanges": []})
        );
        assert!(doc.spans.contains_key("/conditions/insiderRiskLevels"));
        assert!(doc.spans.contains_key("/conditions/users/includeUsers/0"));
    }

    #[test]
    fn dotnet_dates_become_iso_8601() {
        assert_eq!(
            dotnet_date("/Date(1690000000000)/").as_deref(),
            Some("2023-07-22T04:26:40Z")
        );
        assert_eq!(
            dotnet_date("/Date(1690000000123+0200)/").as_deref(),
            Some("2023-07-22T04:26:40.123Z")
        );
        assert_eq!(
            dotnet_date("/Date(-86400000)/").as_deref(),
            Some("1969-12-31T00:00:00Z")
        );
        assert_eq!(dotnet_date("/Date(12x)/"), None);
        assert_eq!(dotnet_date("2023-07-22"), None);
    }

    #[test]
    fn camel_case_handles_acronyms() {
        assert_eq!(camel_case("IPRanges"), "ipRanges");
        assert_eq!(camel_case("IsMfaAccepted"), "isMfaAccepted");
        assert_eq!(camel_case("@odata.type"), "@odata.type");
        assert_eq!(camel_case("ID"), "id");
        assert_eq!(camel_case("includeUsers"), "includeUsers");
    }

    #[test]
    fn duplicate_keys_warn_and_keep_the_last() {
        let doc = parse_ok(r#"{"a": null, "a": {"b": 1}}"#, false);
        assert_eq!(doc.value, serde_json::json!({"a": {"b": 1}}));
        assert_eq!(doc.diagnostics[0].code, "W3008");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        let err = match parse(FileId(0), &text, false) {
            Err(e) => e,
            Ok(_) => panic!("accepted 5,000 levels of nesting"),
        };
        assert_eq!(err.code, "E3001");
        assert!(err.message.contains("nesting"), "{}", err.message);
    }

    #[test]
    fn strict_json_refuses_json5_extensions() {
        for text in ["{'a': 1}", "{a: 1}", "[0x10]", "[+1]", "[.5]", "[NaN]"] {
            assert!(parse(FileId(0), text, true).is_err(), "{text}");
        }
    }

    #[test]
    fn escapes_and_surrogates() {
        let doc = parse_ok(r#"["\u0027a\u0027", "\ud83d\ude00", "\/"]"#, false);
        assert_eq!(doc.value, serde_json::json!(["'a'", "😀", "/"]));
    }
}

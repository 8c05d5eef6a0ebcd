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
//! The reader is strict JSON. With `lenient`, it also accepts `//` and `/* */` comments and
//! trailing commas (two of Microsoft's own documentation samples have one), each with a warning.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

/// The text encoding a file was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

/// Decodes bytes by their BOM (`EF BB BF`, `FF FE`, `FE FF`); UTF-8 without one.
pub fn decode_text(bytes: &[u8]) -> Result<(String, Encoding), String> {
    let utf16 = |body: &[u8], le: bool| -> Result<String, String> {
        if body.len() % 2 != 0 {
            return Err("UTF-16 text with an odd number of bytes".to_string());
        }
        let units: Vec<u16> = body
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units).map_err(|_| "invalid UTF-16 text".to_string())
    };
    if let Some(body) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        let text = std::str::from_utf8(body).map_err(|e| format!("invalid UTF-8 text: {e}"))?;
        return Ok((text.to_string(), Encoding::Utf8Bom));
    }
    if let Some(body) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Ok((utf16(body, true)?, Encoding::Utf16Le));
    }
    if let Some(body) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Ok((utf16(body, false)?, Encoding::Utf16Be));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!("not UTF-8 and no byte-order mark (expected UTF-8, or UTF-16 with a BOM): {e}")
    })?;
    Ok((text.to_string(), Encoding::Utf8))
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
pub fn parse(file: FileId, text: &str, lenient: bool) -> Result<Document, Box<Diagnostic>> {
    let mut reader = Reader {
        file,
        text,
        bytes: text.as_bytes(),
        pos: 0,
        lenient,
        spans: HashMap::new(),
        diagnostics: Vec::new(),
    };
    reader.skip_space()?;
    let value = reader.value("", None, 0)?;
    reader.skip_space()?;
    if reader.pos < reader.bytes.len() {
        return Err(reader.error("unexpected text after the JSON value", None));
    }
    Ok(Document {
        value,
        spans: reader.spans,
        diagnostics: reader.diagnostics,
    })
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
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let time = format!("{:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60);
    Some(if millis == 0 {
        format!("{y:04}-{m:02}-{d:02}T{time}Z")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{time}.{millis:03}Z")
    })
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

const MAX_DEPTH: usize = 128;

struct Reader<'a> {
    file: FileId,
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    lenient: bool,
    spans: HashMap<String, Span>,
    diagnostics: Vec<Diagnostic>,
}

type R<T> = Result<T, Box<Diagnostic>>;

impl Reader<'_> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    fn error(&self, message: &str, help: Option<&str>) -> Box<Diagnostic> {
        let end = (self.pos + 1).min(self.bytes.len());
        let mut d = Diagnostic::error("E3001", format!("invalid JSON: {message}"))
            .at(self.span(self.pos, end));
        if let Some(h) = help {
            d = d.help(h);
        }
        Box::new(d)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips whitespace, and comments in lenient mode.
    fn skip_space(&mut self) -> R<()> {
        loop {
            while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
                self.pos += 1;
            }
            if self.peek() != Some(b'/') {
                return Ok(());
            }
            let start = self.pos;
            let end = match self.bytes.get(self.pos + 1) {
                Some(b'/') => self.text[start..]
                    .find('\n')
                    .map(|i| start + i)
                    .unwrap_or(self.bytes.len()),
                Some(b'*') => match self.text[start + 2..].find("*/") {
                    Some(i) => start + 2 + i + 2,
                    None => return Err(self.error("unterminated comment", None)),
                },
                _ => return Err(self.error("unexpected `/`", None)),
            };
            if !self.lenient {
                return Err(self.error(
                    "comments are not allowed in JSON",
                    Some("remove the comment, or import with `--lenient`"),
                ));
            }
            self.diagnostics.push(
                Diagnostic::warning("W3001", "comment in JSON accepted (`--lenient`)")
                    .at(self.span(start, end)),
            );
            self.pos = end;
        }
    }

    fn value(&mut self, pointer: &str, key_span: Option<Span>, depth: usize) -> R<Value> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting is too deep", None));
        }
        let start = self.pos;
        let value = match self.peek() {
            Some(b'{') => self.object(pointer, depth)?,
            Some(b'[') => self.array(pointer, depth)?,
            Some(b'"') => {
                let s = self.string()?;
                match dotnet_date(&s) {
                    Some(iso) => Value::String(iso),
                    None => Value::String(s),
                }
            }
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return Err(self.error("expected a value", None)),
            None => return Err(self.error("unexpected end of file, expected a value", None)),
        };
        let span = key_span.unwrap_or_else(|| self.span(start, self.pos));
        self.spans.entry(pointer.to_string()).or_insert(span);
        Ok(value)
    }

    fn literal(&mut self, word: &str, value: Value) -> R<Value> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value", None))
        }
    }

    fn number(&mut self) -> R<Value> {
        let start = self.pos;
        while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        let text = &self.text[start..self.pos];
        match text.parse::<Number>() {
            Ok(n) => Ok(Value::Number(n)),
            Err(_) => {
                self.pos = start;
                Err(self.error(&format!("invalid number `{text}`"), None))
            }
        }
    }

    fn string(&mut self) -> R<String> {
        // At the opening quote.
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run_start..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escape = self.peek();
                    self.pos += 1;
                    match escape {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => out.push(self.unicode_escape()?),
                        _ => {
                            self.pos -= 1;
                            return Err(self.error("invalid escape in string", None));
                        }
                    }
                }
                Some(_) => {
                    return Err(self.error(
                        "control character in string",
                        Some("write it escaped, for example `\\n`"),
                    ))
                }
                None => return Err(self.error("unterminated string", None)),
            }
        }
    }

    fn hex4(&mut self) -> R<u32> {
        let digits = self.text.get(self.pos..self.pos + 4).unwrap_or("");
        match u32::from_str_radix(digits, 16) {
            Ok(v) if digits.len() == 4 => {
                self.pos += 4;
                Ok(v)
            }
            _ => Err(self.error("invalid `\\u` escape", None)),
        }
    }

    fn unicode_escape(&mut self) -> R<char> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first) {
            if !self.text[self.pos..].starts_with("\\u") {
                return Err(self.error("unpaired surrogate in `\\u` escape", None));
            }
            self.pos += 2;
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(self.error("unpaired surrogate in `\\u` escape", None));
            }
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid `\\u` escape", None))
    }

    /// A trailing comma before `close`: an error, or a warning in lenient mode.
    fn trailing_comma(&mut self, comma: usize) -> R<()> {
        if !self.lenient {
            self.pos = comma;
            return Err(self.error(
                "trailing comma",
                Some("remove the comma, or import with `--lenient`"),
            ));
        }
        self.diagnostics.push(
            Diagnostic::warning("W3001", "trailing comma in JSON accepted (`--lenient`)")
                .at(self.span(comma, comma + 1)),
        );
        Ok(())
    }

    fn array(&mut self, pointer: &str, depth: usize) -> R<Value> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_space()?;
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            let child = format!("{pointer}/{}", items.len());
            items.push(self.value(&child, None, depth + 1)?);
            self.skip_space()?;
            match self.peek() {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_space()?;
                    if self.peek() == Some(b']') {
                        self.trailing_comma(comma)?;
                        self.pos += 1;
                        return Ok(Value::Array(items));
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error("expected `,` or `]`", None)),
            }
        }
    }

    fn object(&mut self, pointer: &str, depth: usize) -> R<Value> {
        self.pos += 1;
        let mut map = Map::new();
        // Members of `AdditionalProperties` blocks (PowerShell SDK) belong to this object.
        let mut additional: Vec<(String, Value)> = Vec::new();
        self.skip_space()?;
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(map));
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a member name in double quotes", None));
            }
            let key_start = self.pos;
            let raw_key = self.string()?;
            let key_span = self.span(key_start, self.pos);
            self.skip_space()?;
            if self.peek() != Some(b':') {
                return Err(self.error("expected `:` after the member name", None));
            }
            self.pos += 1;
            self.skip_space()?;
            let key = camel_case(&raw_key);
            if key == "additionalProperties" && self.peek() == Some(b'{') {
                // Children are recorded at this object's pointer.
                if let Value::Object(inner) = self.object(pointer, depth + 1)? {
                    additional.extend(inner);
                }
            } else {
                let child = child_pointer(pointer, &key);
                let value = self.value(&child, Some(key_span), depth + 1)?;
                if map.insert(key.clone(), value).is_some() {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            "W3008",
                            format!("duplicate member `{raw_key}`: the last value is used"),
                        )
                        .at(key_span),
                    );
                }
            }
            self.skip_space()?;
            match self.peek() {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_space()?;
                    if self.peek() == Some(b'}') {
                        self.trailing_comma(comma)?;
                        self.pos += 1;
                        break;
                    }
                }
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.error("expected `,` or `}`", None)),
            }
        }
        for (k, v) in additional {
            // A typed property wins over the same name in `AdditionalProperties`.
            if !map.contains_key(&k) {
                map.insert(k, v);
            }
        }
        Ok(Value::Object(map))
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
    fn escapes_and_surrogates() {
        let doc = parse_ok(r#"["\u0027a\u0027", "\ud83d\ude00", "\/"]"#, false);
        assert_eq!(doc.value, serde_json::json!(["'a'", "😀", "/"]));
    }
}

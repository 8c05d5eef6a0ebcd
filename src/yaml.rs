//! The only module that knows the YAML library.
//!
//! `serde_yaml` is no longer developed upstream; keeping every use behind this module lets us
//! swap it for a maintained fork in one place. YAML 1.2 is a superset of JSON, so JSON documents
//! (requests, matrices, scenario tables) go through here too.

use serde::de::DeserializeOwned;
use thiserror::Error;

/// A document that did not deserialize, with the 1-based position of the problem when known.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct YamlError {
    /// The library's message without its trailing position.
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl YamlError {
    /// `line:column: ` when the position is known, else nothing.
    pub fn position(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{l}:{c}: "),
            _ => String::new(),
        }
    }
}

/// Deserializes one YAML (or JSON) document.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| {
        let location = e.location();
        let mut message = e.to_string();
        // serde_yaml appends " at line L column C"; we keep the position apart.
        if let Some(at) = message.rfind(" at line ") {
            message.truncate(at);
        }
        YamlError {
            message,
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
        }
    })
}

/// Reads a YAML (or JSON) document as a JSON value, refusing a mapping that repeats a key
/// (the YAML library would keep the last value silently, and a test file that loses an
/// expectation that way would pass without checking it).
pub fn value_without_duplicate_keys(text: &str) -> Result<serde_json::Value, YamlError> {
    from_str::<strict::StrictValue>(text).map(|v| v.0)
}

mod strict {
    use std::fmt;

    use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Number, Value};

    /// A JSON value deserialized with duplicate mapping keys refused.
    pub struct StrictValue(pub Value);

    impl<'de> Deserialize<'de> for StrictValue {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(StrictVisitor).map(StrictValue)
        }
    }

    struct StrictVisitor;

    impl<'de> Visitor<'de> for StrictVisitor {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any YAML value")
        }
        fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
            Ok(Value::Bool(v))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
            Ok(Value::Number(v.into()))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
            Ok(Value::Number(v.into()))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
            Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
        }
        fn visit_str<E>(self, v: &str) -> Result<Value, E> {
            Ok(Value::String(v.to_string()))
        }
        fn visit_string<E>(self, v: String) -> Result<Value, E> {
            Ok(Value::String(v))
        }
        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_none<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
            StrictValue::deserialize(d).map(|v| v.0)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut out = Vec::new();
            while let Some(StrictValue(v)) = seq.next_element()? {
                out.push(v);
            }
            Ok(Value::Array(out))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut out = Map::new();
            while let Some(StrictValue(key)) = map.next_key()? {
                let key = match key {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                let StrictValue(value) = map.next_value()?;
                if out.contains_key(&key) {
                    return Err(de::Error::custom(format!(
                        "the key `{key}` is written twice"
                    )));
                }
                out.insert(key, value);
            }
            Ok(Value::Object(out))
        }
    }
}

/// The 1-based line and column of the key at a dotted path (`user.home`) in a YAML or JSON
/// text, found without parsing: each segment is looked for as a key (at the start of a line,
/// after `{`, `,` or `- `, quoted or not, followed by `:`) after the previous one. Used to point
/// at a field when the error about it comes from a later stage that has no position.
pub fn key_position(text: &str, path: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    let mut found = None;
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        let at = find_key(text, segment, from)?;
        found = Some(at);
        from = at + segment.len();
    }
    found.map(|at| line_col(text, at))
}

/// The 1-based line and column of the first place `value` is written as a scalar value
/// (after `:`, `[`, `,` or `- `, quoted or not).
pub fn value_position(text: &str, value: &str) -> Option<(usize, usize)> {
    if value.is_empty() {
        return None;
    }
    let mut from = 0;
    while let Some(i) = text[from..].find(value).map(|i| i + from) {
        let before = text[..i].trim_end_matches([' ', '"', '\'']);
        let after = text[i + value.len()..].trim_start_matches(['"', '\'']);
        let starts = before.ends_with([':', '[', ',', '-']);
        let ends = after.is_empty() || after.starts_with([' ', ',', ']', '}', '\n', '\r', '#']);
        if starts && ends {
            return Some(line_col(text, i));
        }
        from = i + value.len();
    }
    None
}

fn find_key(text: &str, key: &str, from: usize) -> Option<usize> {
    let mut start = from;
    while let Some(i) = text.get(start..)?.find(key).map(|i| i + start) {
        let before = text[..i]
            .trim_end_matches(['"', '\''])
            .trim_end_matches(' ');
        let after = text[i + key.len()..]
            .trim_start_matches(['"', '\''])
            .trim_start_matches(' ');
        let starts = before.is_empty() || before.ends_with(['\n', '{', ',', '-']);
        if starts && after.starts_with(':') {
            return Some(i);
        }
        start = i + key.len();
    }
    None
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// Writes a value as YAML.
pub fn to_string<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        a: u32,
    }

    #[test]
    fn errors_carry_line_and_column() {
        let err = from_str::<Doc>("a: 1\nb: 2\n").err().unwrap();
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("unknown field `b`"), "{}", err.message);
        assert!(!err.message.contains(" at line "));
    }

    #[test]
    fn repeated_keys_are_refused_with_their_position() {
        let err = value_without_duplicate_keys("a: 1\nb:\n  c: 1\n  c: 2\n").unwrap_err();
        assert!(
            err.message.contains("`c` is written twice"),
            "{}",
            err.message
        );
        assert!(err.line.is_some());
        let v = value_without_duplicate_keys("a: [1, x]\n1: ~\n").unwrap();
        assert_eq!(v, serde_json::json!({"a": [1, "x"], "1": null}));
    }

    #[test]
    fn keys_and_values_are_found_by_path() {
        let text = "user:\n  name: bob\n  home: fabrikm\napp: sharepont\n";
        assert_eq!(key_position(text, "user.home"), Some((3, 3)));
        assert_eq!(key_position(text, "app"), Some((4, 1)));
        assert_eq!(value_position(text, "sharepont"), Some((4, 6)));
        let json = r#"{"user": {"name": "bob", "home": "x"}, "app": "teams"}"#;
        assert_eq!(key_position(json, "user.home"), Some((1, 27)));
        assert_eq!(key_position(text, "device.platform"), None);
    }

    #[test]
    fn json_is_yaml() {
        let doc: Doc = from_str(r#"{"a": 3}"#).unwrap();
        assert_eq!(doc.a, 3);
    }
}

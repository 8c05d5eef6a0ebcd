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
    fn json_is_yaml() {
        let doc: Doc = from_str(r#"{"a": 3}"#).unwrap();
        assert_eq!(doc.a, 3);
    }
}

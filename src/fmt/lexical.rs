//! How single tokens print: names, strings, device rules and lists.

use crate::model::Spanned;

/// A name bare when the grammar reads it back as an identifier, quoted otherwise.
pub(super) fn name(value: &str) -> String {
    if is_ident(value) {
        value.to_string()
    } else {
        quoted(value)
    }
}

/// True for `[A-Za-z_][A-Za-z0-9_-]*`, the grammar's `ident`.
pub(super) fn is_ident(value: &str) -> bool {
    let mut chars = value.chars();
    let head = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    head && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A double-quoted string with JSON escapes: the grammar's strings are JSON strings and the
/// lowering unescapes them with serde_json, so escaping with serde_json round-trips exactly.
pub(super) fn quoted(value: &str) -> String {
    serde_json::Value::from(value).to_string()
}

/// A device rule in single quotes, so that its own `"` need no escaping, unless it holds a `'`
/// (which ends a single-quoted string) or a control character (kept visible as an escape).
pub(super) fn device_rule(rule: &str) -> String {
    if rule.contains('\'') || rule.chars().any(char::is_control) {
        quoted(rule)
    } else {
        format!("'{rule}'")
    }
}

/// `["a", "b"]`.
pub(super) fn string_list(values: &[Spanned<String>]) -> String {
    let items: Vec<String> = values.iter().map(|v| quoted(&v.value)).collect();
    format!("[{}]", items.join(", "))
}

/// `[a, b]`, from names already printed.
pub(super) fn bracketed(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

/// `a, b`, from items already printed.
pub(super) fn commas(items: &[String]) -> String {
    items.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_bare_only_when_they_read_back_as_identifiers() {
        assert_eq!(name("fabrikam"), "fabrikam");
        assert_eq!(name("_x-1"), "_x-1");
        assert_eq!(name("Contoso Group"), "\"Contoso Group\"");
        assert_eq!(name("1abc"), "\"1abc\"");
        assert_eq!(name("-x"), "\"-x\"");
        assert_eq!(name(""), "\"\"");
        assert_eq!(name("café"), "\"café\"");
    }

    #[test]
    fn strings_use_json_escapes() {
        assert_eq!(quoted("a\"b\\c\nd\te#"), r#""a\"b\\c\nd\te#""#);
        assert_eq!(quoted("é😀"), "\"é😀\"");
        assert_eq!(quoted("\u{1}"), "\"\\u0001\"");
    }

    #[test]
    fn device_rules_prefer_single_quotes() {
        assert_eq!(
            device_rule(r#"device.model -eq "x""#),
            r#"'device.model -eq "x"'"#
        );
        assert_eq!(device_rule("it's"), r#""it's""#);
        assert_eq!(device_rule("a\nb"), r#""a\nb""#);
    }
}

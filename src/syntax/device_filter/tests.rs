use proptest::prelude::*;

use super::*;
use crate::model::device_filter::PropertyKind;

fn cmp(property: DeviceProperty, op: FilterOp, value: FilterValue) -> DeviceFilter {
    DeviceFilter::Comparison(Comparison {
        property,
        op,
        value,
    })
}

fn model_is(text: &str) -> DeviceFilter {
    cmp(
        DeviceProperty::Model,
        FilterOp::Eq,
        FilterValue::String(text.into()),
    )
}

fn parse_ok(rule: &str) -> DeviceFilter {
    match parse_device_filter(rule) {
        Ok(filter) => filter,
        Err(errors) => panic!("`{rule}` did not parse: {errors:#?}"),
    }
}

fn parse_err(rule: &str) -> Vec<FilterError> {
    match parse_device_filter(rule) {
        Ok(filter) => panic!("`{rule}` parsed as {filter:?}"),
        Err(errors) => errors,
    }
}

/// The one error of a rule, with the text it points at.
fn single_error(rule: &str) -> (FilterError, &str) {
    let errors = parse_err(rule);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let error = errors[0].clone();
    let pointed = &rule[error.start..error.end];
    (error, pointed)
}

#[test]
fn parses_the_reference_example() {
    let filter = parse_ok(
        r#"device.isCompliant -eq True -and device.extensionAttribute1 -startsWith "SAW""#,
    );
    assert_eq!(
        filter,
        DeviceFilter::And(vec![
            cmp(
                DeviceProperty::IsCompliant,
                FilterOp::Eq,
                FilterValue::Bool(true)
            ),
            cmp(
                DeviceProperty::ExtensionAttribute1,
                FilterOp::StartsWith,
                FilterValue::String("SAW".into())
            ),
        ])
    );
}

#[test]
fn parses_every_operator() {
    for op in FilterOp::ALL {
        let value = if op.takes_list() {
            FilterValue::List(vec!["x".into()])
        } else {
            FilterValue::String("x".into())
        };
        let rule = format!("device.displayName {} {value}", op.token());
        assert_eq!(
            parse_ok(&rule),
            cmp(DeviceProperty::DisplayName, op, value),
            "{rule}"
        );
    }
}

#[test]
fn operators_keywords_and_booleans_ignore_case() {
    let filter = parse_ok(
        r#"DEVICE.ISCOMPLIANT -EQ true -AND device.model -NOTstartswith "a" -Or device.model -eq "b""#,
    );
    assert_eq!(
        filter,
        DeviceFilter::Or(vec![
            DeviceFilter::And(vec![
                cmp(
                    DeviceProperty::IsCompliant,
                    FilterOp::Eq,
                    FilterValue::Bool(true)
                ),
                cmp(
                    DeviceProperty::Model,
                    FilterOp::NotStartsWith,
                    FilterValue::String("a".into())
                ),
            ]),
            model_is("b"),
        ])
    );
    assert_eq!(
        parse_ok("device.isCompliant -ne fALSE"),
        cmp(
            DeviceProperty::IsCompliant,
            FilterOp::Ne,
            FilterValue::Bool(false)
        )
    );
}

#[test]
fn and_binds_tighter_than_or() {
    let filter =
        parse_ok(r#"device.model -eq "a" -or device.model -eq "b" -and device.model -eq "c""#);
    assert_eq!(
        filter,
        DeviceFilter::Or(vec![
            model_is("a"),
            DeviceFilter::And(vec![model_is("b"), model_is("c")]),
        ])
    );
    let filter =
        parse_ok(r#"device.model -eq "a" -and device.model -eq "b" -or device.model -eq "c""#);
    assert_eq!(
        filter,
        DeviceFilter::Or(vec![
            DeviceFilter::And(vec![model_is("a"), model_is("b")]),
            model_is("c"),
        ])
    );
}

#[test]
fn chains_are_flat_and_parentheses_group() {
    let filter =
        parse_ok(r#"device.model -eq "a" -and device.model -eq "b" -and device.model -eq "c""#);
    assert_eq!(
        filter,
        DeviceFilter::And(vec![model_is("a"), model_is("b"), model_is("c")])
    );
    let filter =
        parse_ok(r#"(device.model -eq "a" -or device.model -eq "b") -and device.model -eq "c""#);
    assert_eq!(
        filter,
        DeviceFilter::And(vec![
            DeviceFilter::Or(vec![model_is("a"), model_is("b")]),
            model_is("c"),
        ])
    );
    let filter =
        parse_ok(r#"(device.model -eq "a" -and device.model -eq "b") -and device.model -eq "c""#);
    assert_eq!(
        filter,
        DeviceFilter::And(vec![
            DeviceFilter::And(vec![model_is("a"), model_is("b")]),
            model_is("c"),
        ])
    );
    assert_eq!(parse_ok(r#"((( device.model -eq "a" )))"#), model_is("a"));
}

#[test]
fn parses_lists_and_spacing() {
    assert_eq!(
        parse_ok("device.deviceId -in [\"a\",\"b\" ,  \"c\"]"),
        cmp(
            DeviceProperty::DeviceId,
            FilterOp::In,
            FilterValue::List(vec!["a".into(), "b".into(), "c".into()])
        )
    );
    assert_eq!(
        parse_ok("\n\tdevice.mdmAppId\n-notIn\t[ \"a\" ]  "),
        cmp(
            DeviceProperty::MdmAppId,
            FilterOp::NotIn,
            FilterValue::List(vec!["a".into()])
        )
    );
}

#[test]
fn strings_unescape_quotes_and_backslashes_only() {
    assert_eq!(
        parse_ok(r#"device.model -eq "say \"hi\" \\ DOMAIN\host""#),
        model_is(r#"say "hi" \ DOMAIN\host"#)
    );
    assert_eq!(parse_ok(r#"device.model -eq """#), model_is(""));
}

#[test]
fn syntax_errors_are_e0201_and_point_at_the_token() {
    let (error, pointed) = single_error(r#"device.model -equals "a""#);
    assert_eq!(error.code, "E0201");
    assert_eq!(pointed, "-equals");
    assert_eq!(error.message, "expected an operator, found `-equals`");
    assert_eq!(error.help.as_deref(), Some("did you mean `-eq`?"));

    let (error, pointed) = single_error(r#"device.model eq "a""#);
    assert_eq!(pointed, "eq");
    assert_eq!(
        error.help.as_deref(),
        Some("operators start with a dash: `-eq`")
    );

    let (error, pointed) = single_error(r#"device.model -eq "a" and device.model -eq "b""#);
    assert_eq!(pointed, "and");
    assert_eq!(
        error.message,
        "expected `-and`, `-or` or the end of the rule, found `and`"
    );
    assert_eq!(
        error.help.as_deref(),
        Some("combinators start with a dash: `-and`")
    );

    let (error, pointed) = single_error("device.model -eq");
    assert_eq!(pointed, "");
    assert_eq!(error.start, 16);
    assert_eq!(error.message, "expected a value, found the end of the rule");

    let (error, pointed) = single_error("device.model -eq Sales");
    assert_eq!(pointed, "Sales");
    assert_eq!(error.message, "expected a value, found `Sales`");

    let (error, _) = single_error("device.model -eq 'a'");
    assert_eq!(error.help.as_deref(), Some("quote strings with `\"`"));

    let (error, pointed) = single_error("");
    assert_eq!((error.code, pointed), ("E0201", ""));
    assert_eq!(
        error.message,
        "expected a comparison `device.<property> <operator> <value>`, found the end of the rule"
    );

    let (error, pointed) = single_error(r#"model -eq "a""#);
    assert_eq!((error.code, pointed), ("E0201", "model"));
}

#[test]
fn list_errors_point_inside_the_list() {
    let (error, pointed) = single_error(r#"device.deviceId -in ["a" "b"]"#);
    assert_eq!(pointed, "\"b\"");
    assert_eq!(error.message, "expected `,` or `]`, found `\"b\"`");
    assert_eq!(error.help.as_deref(), Some("separate list items with `,`"));

    let (error, pointed) = single_error(r#"device.deviceId -in [True]"#);
    assert_eq!(pointed, "True");
    assert_eq!(
        error.help.as_deref(),
        Some("a list holds quoted strings only")
    );

    let (error, pointed) = single_error(r#"device.deviceId -in ["a", ]"#);
    assert_eq!(
        (error.message.as_str(), pointed),
        ("expected a value, found `]`", "]")
    );
}

#[test]
fn help_follows_what_would_have_fitted() {
    let (error, _) = single_error("device.isCompliant -eq yes");
    assert_eq!(error.help.as_deref(), Some("quote the value: `\"yes\"`"));
    let (error, pointed) = single_error(r#"device.model -eq "a" -andx device.model -eq "b""#);
    assert_eq!(pointed, "-andx");
    assert_eq!(
        error.help.as_deref(),
        Some("join comparisons with `-and` or `-or`")
    );
    let (error, pointed) = single_error(r#"-eq "a""#);
    assert_eq!(pointed, "-eq");
    assert_eq!(
        error.help.as_deref(),
        Some("a comparison looks like `device.isCompliant -eq True`")
    );
    let (error, _) = single_error(r#"device. -eq "a""#);
    assert_eq!(error.message, "expected a property name, found a space");
}

#[test]
fn bracket_and_quote_errors_name_the_culprit() {
    let (error, pointed) = single_error(r#"(device.model -eq "a""#);
    assert_eq!((error.code, pointed), ("E0201", "("));
    assert_eq!(error.message, "unclosed `(`");

    let (error, pointed) = single_error(r#"device.model -eq "a")"#);
    assert_eq!(pointed, ")");
    assert_eq!(error.message, "unmatched `)`");

    let (error, pointed) = single_error(r#"device.deviceId -in ["a")"#);
    assert_eq!(pointed, ")");
    assert_eq!(error.message, "`)` closes the `[` at offset 20");

    let (error, pointed) = single_error(r#"device.model -eq "a"#);
    assert_eq!(pointed, "\"a");
    assert_eq!(error.message, "unterminated string");

    // A `)` inside a string is text, not a bracket.
    assert_eq!(parse_ok(r#"device.model -eq "a)""#), model_is("a)"));

    let deep = format!("{}device.model -eq \"a\"{}", "(".repeat(40), ")".repeat(40));
    let (error, _) = single_error(&deep);
    assert_eq!(error.start, MAX_NESTING);
    assert_eq!(error.message, "brackets are nested more than 32 deep");
    let ok = format!("{}device.model -eq \"a\"{}", "(".repeat(32), ")".repeat(32));
    assert_eq!(parse_ok(&ok), model_is("a"));
}

#[test]
fn unknown_property_is_e0202_with_a_suggestion() {
    let (error, pointed) = single_error(r#"device.extensionAtribute1 -eq "a""#);
    assert_eq!(error.code, "E0202");
    assert_eq!(pointed, "extensionAtribute1");
    assert_eq!(
        error.message,
        "unknown device property `extensionAtribute1`"
    );
    assert_eq!(
        error.help.as_deref(),
        Some("did you mean `extensionAttribute1`?")
    );
}

#[test]
fn operator_not_allowed_is_e0203_at_the_operator() {
    let (error, pointed) = single_error(r#"device.deviceId -startsWith "a""#);
    assert_eq!((error.code, pointed), ("E0203", "-startsWith"));
    assert_eq!(
        error.help.as_deref(),
        Some("`device.deviceId` accepts `-eq`, `-ne`, `-in`, `-notIn`")
    );
    let (error, pointed) = single_error(r#"device.physicalIds -eq "a""#);
    assert_eq!((error.code, pointed), ("E0203", "-eq"));
    let (error, _) = single_error("device.isCompliant -in [\"True\"]");
    assert_eq!(error.code, "E0203");
    let (error, _) = single_error(r#"device.trustType -contains "Azure""#);
    assert_eq!(error.code, "E0203");
}

#[test]
fn bad_values_are_e0204_at_the_value() {
    let cases = [
        (
            r#"device.deviceId -in "a""#,
            "\"a\"",
            "`-in` needs a list of values",
        ),
        (
            r#"device.model -eq ["a"]"#,
            "[\"a\"]",
            "`-eq` needs a single value",
        ),
        (
            "device.model -notIn []",
            "[]",
            "the list after `-notIn` is empty",
        ),
        (
            r#"device.isCompliant -eq "True""#,
            "\"True\"",
            "`device.isCompliant` compares with `True` or `False`",
        ),
        (
            "device.model -eq True",
            "True",
            "`device.model` compares with a quoted string, not a boolean",
        ),
        (
            r#"device.trustType -eq "Hybrid""#,
            "\"Hybrid\"",
            "`Hybrid` is not a value of `device.trustType`",
        ),
        (
            r#"device.deviceOwnership -ne "Corporate""#,
            "\"Corporate\"",
            "`Corporate` is not a value of `device.deviceOwnership`",
        ),
        (
            r#"device.profileType -eq "VM""#,
            "\"VM\"",
            "`VM` is not a value of `device.profileType`",
        ),
    ];
    for (rule, expected_pointed, expected_message) in cases {
        let (error, pointed) = single_error(rule);
        assert_eq!(error.code, "E0204", "{rule}");
        assert_eq!(pointed, expected_pointed, "{rule}");
        assert_eq!(error.message, expected_message, "{rule}");
        assert!(error.help.is_some(), "{rule}");
    }
}

#[test]
fn too_long_is_e0205_pointing_past_the_limit() {
    let value = "a".repeat(MAX_RULE_CHARS);
    let rule = format!("device.model -eq \"{value}\"");
    let errors = parse_err(&rule);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, "E0205");
    assert_eq!(errors[0].start, MAX_RULE_CHARS);
    assert_eq!(errors[0].end, rule.len());
    assert_eq!(
        errors[0].message,
        format!(
            "the rule is {} characters long, more than the 3072 allowed",
            rule.len()
        )
    );
}

#[test]
fn reports_every_validation_problem_not_only_the_first() {
    let rule = concat!(
        r#"device.colour -eq "red" -or device.isCompliant -contains True"#,
        r#" -and (device.trustType -eq "Hybrid" -or device.deviceId -in ["a", "b"])"#,
        r#" -and device.profileType -ne "VM""#,
    );
    let errors = parse_err(rule);
    let found: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.code, &rule[e.start..e.end]))
        .collect();
    assert_eq!(
        found,
        vec![
            ("E0202", "colour"),
            ("E0203", "-contains"),
            ("E0204", "\"Hybrid\""),
            ("E0204", "\"VM\""),
        ]
    );
}

#[test]
fn too_long_is_reported_with_the_other_problems() {
    let padding = " ".repeat(MAX_RULE_CHARS);
    let rule = format!(r#"device.colour -eq "red"{padding}"#);
    let codes: Vec<&str> = parse_err(&rule).iter().map(|e| e.code).collect();
    assert_eq!(codes, vec!["E0205", "E0202"]);
}

#[test]
fn errors_convert_to_diagnostics() {
    let (error, _) = single_error(r#"device.isCompliannt -eq True"#);
    let span = Span::new(crate::source::FileId(3), 100, 111);
    let diagnostic = error.to_diagnostic(span);
    assert_eq!(diagnostic.code, "E0202");
    assert_eq!(diagnostic.span, Some(span));
    assert_eq!(
        diagnostic.help.as_deref(),
        Some("did you mean `isCompliant`?")
    );
    assert!(diagnostic.is_error());
}

// ---------------------------------------------------------------------------------------------
// Properties: any valid filter prints to text that parses back to it; no input panics.

fn valid_string(property: DeviceProperty) -> BoxedStrategy<String> {
    match property.kind() {
        PropertyKind::Enumerated(values) => proptest::sample::select(values)
            .prop_map(String::from)
            .boxed(),
        _ => "[a-zA-Z0-9 \"\\\\()\\[\\],.:é-]{0,8}".boxed(),
    }
}

fn valid_comparison() -> impl Strategy<Value = DeviceFilter> {
    proptest::sample::select(DeviceProperty::ALL.to_vec())
        .prop_flat_map(|property| {
            let op = proptest::sample::select(property.allowed_ops().to_vec());
            (Just(property), op)
        })
        .prop_flat_map(|(property, op)| {
            let value = if property == DeviceProperty::IsCompliant {
                any::<bool>().prop_map(FilterValue::Bool).boxed()
            } else if op.takes_list() {
                proptest::collection::vec(valid_string(property), 1..4)
                    .prop_map(FilterValue::List)
                    .boxed()
            } else {
                valid_string(property).prop_map(FilterValue::String).boxed()
            };
            value.prop_map(move |value| cmp(property, op, value))
        })
}

fn valid_filter() -> impl Strategy<Value = DeviceFilter> {
    valid_comparison().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 2..4).prop_map(DeviceFilter::And),
            proptest::collection::vec(inner, 2..4).prop_map(DeviceFilter::Or),
        ]
    })
}

/// Words and punctuation of the rule language, so random rules get deep into the grammar.
fn rule_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("device.".to_string()),
        Just("device.isCompliant".to_string()),
        Just("device.model".to_string()),
        Just("device.physicalIds".to_string()),
        Just("device.trustType".to_string()),
        proptest::sample::select(FilterOp::ALL.to_vec()).prop_map(|op| op.token().to_string()),
        Just("-and".to_string()),
        Just("-or".to_string()),
        Just("True".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(",".to_string()),
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just(" ".to_string()),
        "\\PC{0,3}",
    ]
}

proptest! {
    #[test]
    fn display_then_parse_gives_the_same_filter(filter in valid_filter()) {
        let text = filter.to_string();
        prop_assume!(text.chars().count() <= MAX_RULE_CHARS);
        prop_assert_eq!(parse_device_filter(&text), Ok(filter));
    }

    #[test]
    fn arbitrary_text_never_panics(rule in "\\PC{0,80}") {
        check_errors_are_well_formed(&rule);
    }

    #[test]
    fn rule_shaped_text_never_panics(parts in proptest::collection::vec(rule_fragment(), 0..24)) {
        check_errors_are_well_formed(&parts.concat());
    }
}

/// Errors must point inside the rule, on character boundaries, so callers can slice with them.
fn check_errors_are_well_formed(rule: &str) {
    if let Err(errors) = parse_device_filter(rule) {
        assert!(!errors.is_empty());
        for error in errors {
            assert!(
                error.start <= error.end && error.end <= rule.len(),
                "{error:?}"
            );
            assert!(rule.is_char_boundary(error.start) && rule.is_char_boundary(error.end));
            assert!(error.code.starts_with("E020"), "{error:?}");
            assert!(!error.message.ends_with('.'), "{error:?}");
        }
    }
}

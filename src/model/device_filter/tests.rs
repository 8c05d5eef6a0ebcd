use super::*;

fn cmp(property: DeviceProperty, op: FilterOp, value: FilterValue) -> Comparison {
    Comparison {
        property,
        op,
        value,
    }
}

fn s(text: &str) -> FilterValue {
    FilterValue::String(text.to_string())
}

#[test]
fn every_property_name_round_trips_and_ignores_case() {
    for p in DeviceProperty::ALL {
        assert_eq!(DeviceProperty::from_name(p.name()), Some(p));
        assert_eq!(DeviceProperty::from_name(&p.name().to_uppercase()), Some(p));
    }
    assert_eq!(DeviceProperty::from_name("extensionAttribute16"), None);
}

#[test]
fn every_operator_token_round_trips() {
    for op in FilterOp::ALL {
        assert_eq!(FilterOp::from_token(op.token()), Some(op));
        assert_eq!(FilterOp::from_token(&op.token().to_lowercase()), Some(op));
    }
    assert_eq!(FilterOp::NotIn.positive(), FilterOp::In);
    assert!(FilterOp::NotEndsWith.is_negative());
    assert!(!FilterOp::Contains.is_negative());
}

#[test]
fn operator_table_matches_the_reference() {
    use DeviceProperty as P;
    use FilterOp as O;
    assert_eq!(P::DeviceId.allowed_ops(), &[O::Eq, O::Ne, O::In, O::NotIn]);
    assert_eq!(P::MdmAppId.allowed_ops(), &[O::Eq, O::Ne, O::In, O::NotIn]);
    assert_eq!(P::ExtensionAttribute15.allowed_ops().len(), 10);
    assert_eq!(P::IsCompliant.allowed_ops(), &[O::Eq, O::Ne]);
    assert_eq!(P::TrustType.allowed_ops(), &[O::Eq, O::Ne]);
    assert_eq!(P::PhysicalIds.allowed_ops(), &[O::Contains, O::NotContains]);
    assert_eq!(
        P::SystemLabels.allowed_ops(),
        &[O::Contains, O::NotContains]
    );
}

#[test]
fn display_prints_canonical_spelling_and_escapes() {
    let c = cmp(
        DeviceProperty::ExtensionAttribute1,
        FilterOp::NotStartsWith,
        s("a\"b\\c"),
    );
    assert_eq!(
        c.to_string(),
        r#"device.extensionAttribute1 -notStartsWith "a\"b\\c""#
    );
    let b = cmp(
        DeviceProperty::IsCompliant,
        FilterOp::Eq,
        FilterValue::Bool(false),
    );
    assert_eq!(b.to_string(), "device.isCompliant -eq False");
    let l = cmp(
        DeviceProperty::DeviceId,
        FilterOp::NotIn,
        FilterValue::List(vec!["a".into(), "b".into()]),
    );
    assert_eq!(l.to_string(), r#"device.deviceId -notIn ["a", "b"]"#);
}

#[test]
fn display_brackets_only_what_would_regroup() {
    let a = DeviceFilter::Comparison(cmp(DeviceProperty::Model, FilterOp::Eq, s("a")));
    let b = DeviceFilter::Comparison(cmp(DeviceProperty::Model, FilterOp::Eq, s("b")));
    let and = DeviceFilter::And(vec![a.clone(), b.clone()]);
    let or = DeviceFilter::Or(vec![a.clone(), b.clone()]);
    let or_of_and = DeviceFilter::Or(vec![and.clone(), a.clone()]);
    assert_eq!(
        or_of_and.to_string(),
        r#"device.model -eq "a" -and device.model -eq "b" -or device.model -eq "a""#
    );
    let and_of_or = DeviceFilter::And(vec![or.clone(), and.clone()]);
    assert_eq!(
        and_of_or.to_string(),
        r#"(device.model -eq "a" -or device.model -eq "b") -and (device.model -eq "a" -and device.model -eq "b")"#
    );
    let or_of_or = DeviceFilter::Or(vec![a, or]);
    assert_eq!(
        or_of_or.to_string(),
        r#"device.model -eq "a" -or (device.model -eq "a" -or device.model -eq "b")"#
    );
}

#[test]
fn operator_not_allowed_is_e0203_and_lists_alternatives() {
    let problems = check_comparison(&cmp(
        DeviceProperty::IsCompliant,
        FilterOp::Contains,
        FilterValue::Bool(true),
    ));
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code(), "E0203");
    assert_eq!(problems[0].part(), FilterPart::Operator);
    assert_eq!(
        problems[0].message(),
        "operator `-contains` cannot be used with `device.isCompliant`"
    );
    assert_eq!(
        problems[0].help().as_deref(),
        Some("`device.isCompliant` accepts `-eq`, `-ne`")
    );
}

#[test]
fn value_shape_problems_are_e0204() {
    use DeviceProperty as P;
    use FilterOp as O;
    let cases = [
        (
            cmp(P::DeviceId, O::In, s("x")),
            FilterProblem::ListRequired { op: O::In },
        ),
        (
            cmp(P::Model, O::Eq, FilterValue::List(vec!["x".into()])),
            FilterProblem::SingleValueRequired { op: O::Eq },
        ),
        (
            cmp(P::Model, O::NotIn, FilterValue::List(vec![])),
            FilterProblem::EmptyList { op: O::NotIn },
        ),
        (
            cmp(P::IsCompliant, O::Eq, s("True")),
            FilterProblem::BooleanRequired {
                property: P::IsCompliant,
            },
        ),
        (
            cmp(P::Model, O::Eq, FilterValue::Bool(true)),
            FilterProblem::BooleanNotAllowed { property: P::Model },
        ),
        (
            cmp(P::TrustType, O::Eq, s("AzureADJoined")),
            FilterProblem::ValueNotAllowed {
                property: P::TrustType,
                value: "AzureADJoined".into(),
                item: None,
            },
        ),
    ];
    for (comparison, expected) in cases {
        let problems = check_comparison(&comparison);
        assert_eq!(problems, vec![expected.clone()], "{comparison}");
        assert_eq!(problems[0].code(), "E0204");
    }
}

#[test]
fn enumerated_values_ignore_case_and_suggest() {
    use DeviceProperty as P;
    assert!(check_comparison(&cmp(P::TrustType, FilterOp::Ne, s("azuread"))).is_empty());
    assert!(check_comparison(&cmp(P::ProfileType, FilterOp::Eq, s("IoT"))).is_empty());
    assert!(check_comparison(&cmp(P::DeviceOwnership, FilterOp::Eq, s("Company"))).is_empty());
    let problems = check_comparison(&cmp(P::DeviceOwnership, FilterOp::Eq, s("Personl")));
    assert_eq!(
        problems[0].help().as_deref(),
        Some("did you mean `Personal`?")
    );
    let problems = check_comparison(&cmp(P::ProfileType, FilterOp::Eq, s("zzz")));
    assert_eq!(
        problems[0].help().as_deref(),
        Some("`device.profileType` is one of `RegisteredDevice`, `SecureVM`, `Printer`, `Shared`, `IoT`")
    );
}

#[test]
fn valid_comparisons_have_no_problems() {
    use DeviceProperty as P;
    use FilterOp as O;
    let ok = [
        cmp(P::IsCompliant, O::Ne, FilterValue::Bool(false)),
        cmp(P::DeviceId, O::In, FilterValue::List(vec!["a".into()])),
        cmp(P::PhysicalIds, O::Contains, s("[ZTDId]:x")),
        cmp(P::OperatingSystemVersion, O::StartsWith, s("10.")),
    ];
    for c in ok {
        assert_eq!(check_comparison(&c), vec![], "{c}");
    }
}

#[test]
fn unknown_property_suggests_a_close_name() {
    let problem = FilterProblem::UnknownProperty {
        name: "isCompliannt".into(),
    };
    assert_eq!(problem.code(), "E0202");
    assert_eq!(problem.message(), "unknown device property `isCompliannt`");
    assert_eq!(
        problem.help().as_deref(),
        Some("did you mean `isCompliant`?")
    );
    let far = FilterProblem::UnknownProperty { name: "zzz".into() };
    let help = far.help().unwrap_or_default();
    assert!(
        help.starts_with("the device properties are `deviceId`, `mdmAppId`, `displayName`"),
        "{help}"
    );
    assert!(help.contains(", `extensionAttribute1`…`extensionAttribute15`, `deviceOwnership`"));
    assert!(help.ends_with("`physicalIds`, `systemLabels`"), "{help}");
}

#[test]
fn rule_length_counts_characters() {
    assert_eq!(check_rule_length(&"é".repeat(MAX_RULE_CHARS)), None);
    let problem = check_rule_length(&"a".repeat(MAX_RULE_CHARS + 1));
    assert_eq!(problem, Some(FilterProblem::TooLong { chars: 3073 }));
    assert_eq!(problem.map(|p| p.code()), Some("E0205"));
}

use super::*;
use crate::syntax::device_filter::parse_device_filter;

fn rule(text: &str) -> DeviceFilter {
    match parse_device_filter(text) {
        Ok(filter) => filter,
        Err(errors) => panic!("`{text}` did not parse: {errors:#?}"),
    }
}

fn saw() -> DeviceAttributes {
    DeviceAttributes {
        display_name: Some("SAW-Finance-042".into()),
        extension_attribute1: Some("SAW".into()),
        is_compliant: Some(true),
        trust_type: Some("AzureAD".into()),
        device_ownership: Some("Company".into()),
        device_id: Some("11111111-2222-3333-4444-555555555555".into()),
        physical_ids: Some(vec!["[ZTDId]:abc".into(), "[OrderId]:Finance".into()]),
        system_labels: Some(Vec::new()),
        ..DeviceAttributes::default()
    }
}

/// Every operator against a registered device, in both outcomes.
#[test]
fn each_operator_on_a_registered_device() {
    let device = saw();
    let cases = [
        (r#"device.displayName -eq "saw-finance-042""#, true),
        (r#"device.displayName -eq "SAW-Finance""#, false),
        (r#"device.displayName -ne "SAW-Finance""#, true),
        (r#"device.displayName -ne "SAW-FINANCE-042""#, false),
        (r#"device.displayName -startsWith "saw-""#, true),
        (r#"device.displayName -startsWith "Finance""#, false),
        (r#"device.displayName -notStartsWith "PAW""#, true),
        (r#"device.displayName -notStartsWith "SAW""#, false),
        (r#"device.displayName -endsWith "-042""#, true),
        (r#"device.displayName -endsWith "SAW""#, false),
        (r#"device.displayName -notEndsWith "SAW""#, true),
        (r#"device.displayName -notEndsWith "042""#, false),
        (r#"device.displayName -contains "finance""#, true),
        (r#"device.displayName -contains "HR""#, false),
        (r#"device.displayName -notContains "HR""#, true),
        (r#"device.displayName -notContains "Fin""#, false),
        (r#"device.displayName -in ["x", "SAW-Finance-042"]"#, true),
        (r#"device.displayName -in ["x", "SAW-Finance"]"#, false),
        (r#"device.displayName -notIn ["x"]"#, true),
        (r#"device.displayName -notIn ["saw-finance-042"]"#, false),
        ("device.isCompliant -eq True", true),
        ("device.isCompliant -eq False", false),
        ("device.isCompliant -ne False", true),
        ("device.isCompliant -ne True", false),
        (r#"device.trustType -eq "azuread""#, true),
        (r#"device.trustType -ne "AzureAD""#, false),
        (r#"device.deviceOwnership -eq "Personal""#, false),
    ];
    for (text, expected) in cases {
        assert_eq!(matches(&rule(text), Some(&device)), expected, "{text}");
    }
}

/// §1.11: `-contains` on a collection is a whole-element test, not a substring test.
#[test]
fn collections_contain_whole_elements() {
    let device = saw();
    let cases = [
        (r#"device.physicalIds -contains "[ZTDId]:abc""#, true),
        (r#"device.physicalIds -contains "[ztdid]:ABC""#, true),
        (r#"device.physicalIds -contains "[ZTDId]""#, false),
        (r#"device.physicalIds -notContains "[ZTDId]""#, true),
        (
            r#"device.physicalIds -notContains "[OrderId]:Finance""#,
            false,
        ),
        (r#"device.systemLabels -contains "AzureResource""#, false),
        (r#"device.systemLabels -notContains "AzureResource""#, true),
    ];
    for (text, expected) in cases {
        assert_eq!(matches(&rule(text), Some(&device)), expected, "{text}");
    }
}

/// §1.11 and reference rule 19: every property of an unregistered device is null, so positive
/// operators never match it and negative ones always do.
#[test]
fn unregistered_device_matches_negative_operators_only() {
    let cases = [
        (r#"device.extensionAttribute1 -eq "SAW""#, false),
        (r#"device.extensionAttribute1 -ne "SAW""#, true),
        (r#"device.model -startsWith "a""#, false),
        (r#"device.model -notStartsWith "a""#, true),
        (r#"device.model -endsWith "a""#, false),
        (r#"device.model -notEndsWith "a""#, true),
        (r#"device.model -contains "a""#, false),
        (r#"device.model -notContains "a""#, true),
        (r#"device.deviceId -in ["a"]"#, false),
        (r#"device.deviceId -notIn ["a"]"#, true),
        ("device.isCompliant -eq True", false),
        ("device.isCompliant -eq False", false),
        ("device.isCompliant -ne True", true),
        (r#"device.physicalIds -contains "a""#, false),
        (r#"device.systemLabels -notContains "a""#, true),
        (r#"device.model -eq """#, false),
    ];
    for (text, expected) in cases {
        assert_eq!(matches(&rule(text), None), expected, "{text}");
    }
}

/// A property a registered device does not carry is null in the same way.
#[test]
fn absent_property_on_a_registered_device_is_null() {
    let device = saw();
    assert_eq!(device.extension_attribute2, None);
    assert!(!matches(
        &rule(r#"device.extensionAttribute2 -eq "SAW""#),
        Some(&device)
    ));
    assert!(matches(
        &rule(r#"device.extensionAttribute2 -ne "SAW""#),
        Some(&device)
    ));
    assert!(!matches(&rule(r#"device.model -in ["a"]"#), Some(&device)));
    let no_compliance = DeviceAttributes::default();
    assert!(!matches(
        &rule("device.isCompliant -eq False"),
        Some(&no_compliance)
    ));
    assert!(matches(
        &rule("device.isCompliant -ne False"),
        Some(&no_compliance)
    ));
    assert!(matches(
        &rule(r#"device.physicalIds -notContains "x""#),
        Some(&no_compliance)
    ));
}

#[test]
fn combinators_follow_precedence() {
    let device = saw();
    // false -or (true -and true)
    let filter = rule(
        r#"device.model -eq "x" -or device.isCompliant -eq True -and device.extensionAttribute1 -eq "SAW""#,
    );
    assert!(matches(&filter, Some(&device)));
    // (false -or true) -and false
    let filter = rule(
        r#"(device.model -eq "x" -or device.isCompliant -eq True) -and device.extensionAttribute1 -eq "PAW""#,
    );
    assert!(!matches(&filter, Some(&device)));
    assert!(!matches(&filter, None));
}

/// Reference rule 19, as a policy would use it: an `exclude` filter on `-eq` leaves an
/// unregistered device in scope, while `-ne` takes it out.
#[test]
fn reference_rule_19_exclude_filter() {
    let excluded = |text: &str, device: Option<&DeviceAttributes>| matches(&rule(text), device);
    assert!(!excluded(r#"device.extensionAttribute1 -eq "SAW""#, None));
    assert!(excluded(r#"device.extensionAttribute1 -ne "SAW""#, None));
    assert!(excluded(
        r#"device.extensionAttribute1 -eq "SAW""#,
        Some(&saw())
    ));
}

#[test]
fn attributes_deserialize_from_camel_case() {
    let json = r#"{
        "isCompliant": false,
        "extensionAttribute1": "SAW",
        "trustType": "ServerAD",
        "operatingSystemVersion": "10.0.22631",
        "mdmAppId": "0000000a-0000-0000-c000-000000000000",
        "physicalIds": ["[USER-GID]:x"],
        "systemLabels": []
    }"#;
    let device: DeviceAttributes = match serde_json::from_str(json) {
        Ok(device) => device,
        Err(error) => panic!("{error}"),
    };
    assert_eq!(device.is_compliant, Some(false));
    assert_eq!(device.extension_attribute1.as_deref(), Some("SAW"));
    assert_eq!(device.trust_type.as_deref(), Some("ServerAD"));
    assert_eq!(
        device.operating_system_version.as_deref(),
        Some("10.0.22631")
    );
    assert_eq!(device.physical_ids, Some(vec!["[USER-GID]:x".to_string()]));
    assert_eq!(device.system_labels, Some(Vec::new()));
    assert_eq!(device.model, None);
}

#[test]
fn attributes_refuse_unknown_fields() {
    let result: Result<DeviceAttributes, _> = serde_json::from_str(r#"{"isCompliannt": true}"#);
    let message = result.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.contains("unknown field `isCompliannt`"),
        "{message}"
    );
}

/// Hand-built filters the validator would refuse still evaluate: the positive operator fails.
#[test]
fn invalid_combinations_do_not_match_positively() {
    let device = saw();
    let bad = DeviceFilter::Comparison(Comparison {
        property: DeviceProperty::IsCompliant,
        op: FilterOp::Eq,
        value: FilterValue::String("True".into()),
    });
    assert!(!matches(&bad, Some(&device)));
    let bad = DeviceFilter::Comparison(Comparison {
        property: DeviceProperty::PhysicalIds,
        op: FilterOp::Eq,
        value: FilterValue::String("[ZTDId]:abc".into()),
    });
    assert!(!matches(&bad, Some(&device)));
}

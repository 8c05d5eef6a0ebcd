//! The importer's general check (E3013): whatever a damaged Graph object holds, an import that
//! reports no error writes a pack `accord check` accepts. Each test here is an inconsistency
//! that no specific import error (E3005-E3012) catches.

use std::path::PathBuf;

use accord::diagnostic::{has_errors, Diagnostic};
use accord::graph::{self, Import, ImportOptions, InputFile};

use super::{accord, all, code, path, scratch};

fn import(json: &str, lenient: bool) -> Import {
    let input = InputFile {
        path: PathBuf::from("export.json"),
        bytes: json.as_bytes().to_vec(),
    };
    let options = ImportOptions {
        tenant: Some("contoso.com".to_string()),
        lenient,
        ..ImportOptions::default()
    };
    graph::import(&[input], &options)
}

fn errors(import: &Import) -> Vec<&Diagnostic> {
    import.diagnostics.iter().filter(|d| d.is_error()).collect()
}

/// The text a span covers in the import's sources.
fn spanned(import: &Import, d: &Diagnostic) -> String {
    let span = d.span.expect("a place");
    import.sources.text(span.file)[span.range()].to_string()
}

/// The pack as `accord import` would write it, checked as `accord check` would.
fn checks(import: &Import) -> bool {
    let files = graph::files::pack_files(&import.pack, "");
    let loaded = accord::load::load_texts(files.iter().map(|f| (f.name.as_str(), f.text.as_str())));
    !has_errors(&accord::check(&loaded).diagnostics)
}

const BAD_RANGE: &str = r##"{"value": [
  {"@odata.type": "#microsoft.graph.ipNamedLocation", "id": "0c2f4bb8-1a3c-4e4d-9a71-3a1f2b3c4d5e",
   "displayName": "Head office", "isTrusted": true,
   "ipRanges": [{"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "203.0.113.0/24"},
                {"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "203.0.113.7/33"}]}
]}"##;

/// An IP range that is not a CIDR range (`accord check`: E1021) is imported as written; the
/// general check refuses it at the named location's JSON pointer, with `check`'s code and the
/// line of the pack as it would have been written.
#[test]
fn a_range_that_is_not_cidr_is_an_import_error_at_its_location() {
    let import = import(BAD_RANGE, false);
    let errors = errors(&import);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = errors[0];
    assert_eq!(e.code, "E3013");
    assert!(
        e.message.starts_with(
            "the named location `Head office`, read from `/value/0`, would be written as a pack `accord check` refuses: "
        ) && e.message.contains("`203.0.113.7/33`")
            && e.message.ends_with("(E1021)"),
        "{}",
        e.message
    );
    // The primary span is the Graph object; a label shows the line as it would be written.
    let object = spanned(&import, e);
    assert!(
        object.starts_with('{') && object.contains("Head office") && object.ends_with('}'),
        "{object}"
    );
    let written = e
        .labels
        .iter()
        .find(|l| l.message == "as it would be written")
        .expect("a label in the pack as written");
    let file = import
        .sources
        .get(written.span.file)
        .expect("the written file");
    assert_eq!(file.name, "locations.policy");
    assert_eq!(&file.text[written.span.range()], "\"203.0.113.7/33\"");
    assert!(e.help.as_deref().is_some_and(|h| h.contains("CIDR")));
    assert!(
        !checks(&import),
        "the pack as imported would fail the check"
    );
}

/// `--lenient` is about JSON syntax only: it never drops an object (leaving a location or a
/// policy out changes what the pack decides), so the same error stands.
#[test]
fn lenient_does_not_drop_the_object() {
    let strict = import(BAD_RANGE, false);
    let lenient = import(BAD_RANGE, true);
    assert_eq!(strict.diagnostics, lenient.diagnostics);
    assert_eq!(lenient.pack.locations.len(), 1);
}

/// Found by the `graph_import` fuzz target on the first run with this check: a multi-tenant
/// organisation partner *template* whose `templateApplicationLevel` key was damaged is read as
/// the cross-tenant default, and its `automaticUserConsentSettings` were written as
/// `automatic_consent` in `cross_tenant default`, which `accord check` refuses (E1037: read-only
/// there). No specific check caught it; the general one does, at the object.
#[test]
fn automatic_consent_in_the_default_settings_is_an_import_error() {
    let json = r#"{
      "templateApplicationLevelX": "newPartners,existingPartners",
      "inboundTrust": {"isMfaAccepted": true},
      "automaticUserConsentSettings": {"inboundAllowed": true, "outboundAllowed": true}
    }"#;
    let import = import(json, false);
    let errors = errors(&import);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code, "E3013");
    assert!(
        errors[0].message.starts_with(
            "the default cross-tenant settings, read from the file's object, would be written as a pack `accord check` refuses:"
        ) && errors[0].message.ends_with("(E1037)"),
        "{}",
        errors[0].message
    );
    assert!(spanned(&import, errors[0]).contains("automaticUserConsentSettings"));
}

/// Also found by the fuzz target: a policy that requires a password change but does not target
/// all applications (a damaged `includeApplications`), refused by `accord check` (E1062).
#[test]
fn password_change_without_all_apps_is_an_import_error() {
    let json = r##"{"@odata.type": "#microsoft.graph.conditionalAccessPolicy", "displayName": "Risky users change password",
      "state": "enabled",
      "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["Office365"]},
                     "userRiskLevels": ["high"]},
      "grantControls": {"operator": "AND", "builtInControls": ["mfa", "passwordChange"]}}"##;
    let import = import(json, false);
    let errors = errors(&import);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].code == "E3013" && errors[0].message.ends_with("(E1062)"),
        "{}",
        errors[0].message
    );
}

/// More named locations than the platform holds (E1028): a limit of the whole pack, reported at
/// the location that goes over it.
#[test]
fn more_locations_than_the_platform_holds_is_an_import_error() {
    let locations: Vec<String> = (0..196)
        .map(|i| {
            format!(
                r##"{{"@odata.type": "#microsoft.graph.ipNamedLocation", "id": "0c2f4bb8-1a3c-4e4d-9a71-{i:012}",
                 "displayName": "Site {i}", "ipRanges": [{{"cidrAddress": "198.51.100.{}/32"}}]}}"##,
                i % 250
            )
        })
        .collect();
    let import = import(&format!("[{}]", locations.join(",\n")), false);
    let errors = errors(&import);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code, "E3013");
    assert!(
        errors[0].message.starts_with(
            "the named location `Site 195`, read from `/195`, would be written as a pack `accord check` refuses:"
        ) && errors[0].message.ends_with("(E1028)"),
        "{}",
        errors[0].message
    );
}

/// An object that already has a specific import error is not reported again by the general
/// check (a policy without users: E3005, not also E3013 for `check`'s E1051).
#[test]
fn a_specific_error_is_not_repeated_by_the_general_check() {
    let json = r##"{"@odata.type": "#microsoft.graph.conditionalAccessPolicy", "displayName": "No users",
      "state": "enabled",
      "conditions": {"users": {"includeUsers": []}, "applications": {"includeApplications": ["All"]}},
      "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}"##;
    let import = import(json, false);
    let codes: Vec<&str> = errors(&import).iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, vec!["E3005"]);
}

/// From the command line: the error, exit code 1, and nothing written.
#[test]
fn cli_import_reports_the_general_check_and_writes_nothing() {
    let dir = scratch("import-general-check");
    std::fs::write(dir.join("export.json"), BAD_RANGE).expect("write");
    let out = accord(&[
        "import",
        path(&dir.join("export.json")),
        "-o",
        path(&dir.join("out")),
        "--tenant",
        "contoso.com",
    ]);
    assert_eq!(code(&out), 1, "{}", all(&out));
    let text = all(&out);
    assert!(
        text.contains("error[E3013]: the named location `Head office`, read from `/value/0`"),
        "{text}"
    );
    assert!(text.contains("nothing written"), "{text}");
    assert!(!dir.join("out").exists());
}

//! Authentication strength policies: Graph import of a standalone `authenticationStrengthPolicies`
//! list and of a policy's expanded `authenticationStrength`, export, and the round trip.
//! Graph v1.0 "authenticationStrengthPolicy resource type" and "List
//! authenticationStrengthPolicies" (https://learn.microsoft.com/graph/api/resources/authenticationstrengthpolicy).

use accord::graph::{self, ExportFormat, ImportOptions};
use accord::model::strength::{AuthMode, CombinationText};
use accord::model::{AuthStrength, Control};
use serde_json::{json, Value};

use super::{codes, export, fixtures, import, reimport_export};

fn combos(pack: &accord::model::Pack, name: &str) -> Vec<String> {
    pack.strengths
        .iter()
        .find(|s| s.name.value == name)
        .map(|s| {
            s.combinations
                .iter()
                .map(|c| CombinationText(&c.modes).to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn custom_strengths_import_export_and_read_back() {
    let im = import(&fixtures().join("strengths"), &ImportOptions::default());
    assert!(
        !accord::diagnostic::has_errors(&im.diagnostics),
        "{:#?}",
        im.diagnostics
    );
    // Built-in strengths are the catalog's: only the two custom ones are declared.
    let names: Vec<&str> = im
        .pack
        .strengths
        .iter()
        .map(|s| s.name.value.as_str())
        .collect();
    assert_eq!(names, ["Partner keys", "Keys of one model"]);
    // The list wins over the policy's partial expansion; an unknown mode drops its combination.
    assert_eq!(
        combos(&im.pack, "Partner keys"),
        ["fido2", "windows_hello", "password + oath_hardware"]
    );
    // A combination `combinationConfigurations` restricts is never met (fail closed).
    assert_eq!(
        combos(&im.pack, "Keys of one model"),
        ["certificate_multi_factor"]
    );
    let c = codes(&im.diagnostics);
    assert!(c.contains(&"W3007") && c.contains(&"W3032"), "{c:?}");
    // The policy names the strength it requires by name.
    let control = &im.pack.policies[0].grant.as_ref().expect("grant").controls[0].value;
    assert_eq!(
        *control,
        Control::AuthStrength(AuthStrength::Custom("Partner keys".into()))
    );

    let ex = export(&im, ExportFormat::Graph);
    let doc = |path: &str| -> &Value {
        &ex.files
            .iter()
            .find(|(p, _)| p == path)
            .unwrap_or_else(|| {
                panic!(
                    "no {path} in {:?}",
                    ex.files.iter().map(|f| &f.0).collect::<Vec<_>>()
                )
            })
            .1
    };
    assert_eq!(
        doc("policies/partner-keys-for-guests.json")["grantControls"]["authenticationStrength"],
        json!({"id": "5a1f0c3e-2b4d-4e6f-8a9b-0c1d2e3f4a5b"})
    );
    // Export writes the original lists back, the combinations accord left out included.
    let partner = doc("authenticationStrengthPolicies/partner-keys.json");
    assert_eq!(partner["displayName"], "Partner keys");
    assert_eq!(partner["description"], "FIDO2 or WHfB");
    assert_eq!(
        partner["allowedCombinations"],
        json!([
            "fido2",
            "windowsHelloForBusiness",
            "password,hardwareOath",
            "passkeyRoaming"
        ])
    );
    let model = doc("authenticationStrengthPolicies/keys-of-one-model.json");
    assert_eq!(
        model["allowedCombinations"],
        json!(["fido2", "x509CertificateMultiFactor"])
    );
    assert_eq!(
        model["combinationConfigurations"][0]["appliesToCombinations"],
        json!(["fido2"])
    );

    // Read back: the same pack.
    let back = reimport_export(&im);
    assert!(back.pack.strengths.len() == 2);
    assert_eq!(
        combos(&back.pack, "Partner keys"),
        combos(&im.pack, "Partner keys")
    );
    assert_eq!(back.pack.policies[0].grant, im.pack.policies[0].grant);
}

#[test]
fn a_declared_strength_exports_with_graph_mode_names() {
    let text = r#"
resource tenant contoso { id = "11111111-1111-4111-8111-111111111111" domains = ["contoso.com"] }
auth_strength "Every mode" {
  id = "22222222-2222-4222-8222-222222222222"
  allow password + sms
  allow authenticator_passwordless
  allow temporary_access_pass_one_time
  allow sms + federated_single_factor
  allow qr_code_pin
}
policy "p" {
  users { include all }
  apps { include all }
  grant auth_strength "Every mode"
}
"#;
    let loaded = accord::load::load_texts([("p.policy", text)]);
    let validation = accord::check(&loaded);
    let validated = validation.validated.expect("valid");
    let ex = graph::export(&validated, &graph::ExportOptions::default());
    assert!(!ex.has_errors(), "{:#?}", ex.diagnostics);
    let strength = &ex
        .files
        .iter()
        .find(|(p, _)| p.starts_with("authenticationStrengthPolicies/"))
        .expect("a strength document")
        .1;
    assert_eq!(
        strength["allowedCombinations"],
        json!([
            "password,sms",
            "deviceBasedPush",
            "temporaryAccessPassOneTime",
            "sms,federatedSingleFactor",
            "qrCodePin"
        ])
    );
    // Every mode's Graph name reads back as the mode.
    for m in AuthMode::ALL {
        assert_eq!(AuthMode::from_graph(m.graph()), Some(m));
    }
}

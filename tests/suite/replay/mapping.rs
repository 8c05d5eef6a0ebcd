//! How log values become a request where the documentation is silent (each decision is in the
//! README's semantics section, "Replaying sign-in logs").

use accord::eval::{Decision, Options};
use accord::replay::directory::Directory;
use accord::replay::map::{Field, SkipReason};
use accord::replay::{self, Engine, Row, Rows, Summary};
use serde_json::{json, Value};

use super::super::eval::support::compile_dir;
use super::generated::scratch;

const CONTOSO: &str = "2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01";
const FABRIKAM: &str = "8d0e5b8a-6b1f-4bd7-8f0e-6c9f4a1c2b02";
const TAILSPIN: &str = "5a3f1d2c-9e8b-4c7a-b6d5-1f2e3d4c5b03";
const SHAREPOINT: &str = "00000003-0000-0ff1-ce00-000000000000";

/// A guest's sign-in to SharePoint from a compliant Windows laptop in France, with `extra`.
fn guest(home: &str, extra: Value) -> Value {
    let mut r = json!({
        "id": "r1", "userPrincipalName": "x@partner.example", "userType": "member",
        "homeTenantId": home, "resourceTenantId": CONTOSO, "crossTenantAccessType": "b2bCollaboration",
        "resourceId": SHAREPOINT, "clientAppUsed": "Browser", "ipAddress": "198.51.100.7",
        "location": {"countryOrRegion": "FR"},
        "deviceDetail": {"operatingSystem": "Windows 10", "isCompliant": true, "trustType": "Azure AD joined"},
        "status": {"errorCode": 0}, "conditionalAccessStatus": "success",
    });
    for (k, v) in extra.as_object().expect("object") {
        r[k] = v.clone();
    }
    r
}

fn replay(records: &[Value], directory: Option<&Directory>) -> (Summary, Vec<Row>) {
    let pack = compile_dir("policies/contoso-group");
    // A folder of its own per call: the tests run in parallel.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = scratch(&format!("replay-mapping-{call}"));
    let path = dir.join("log.jsonl");
    let text: String = records.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&path, text).expect("write");
    let mut engine = Engine::new(&pack, None, directory, Options::default());
    engine.rows = Rows::All;
    let mut rows = Vec::new();
    let s = replay::run(&engine, &[path], &mut |_| {}, &mut |r| {
        rows.extend_from_slice(r)
    })
    .expect("replays");
    (s, rows)
}

fn decision(record: Value) -> Decision {
    let (_, rows) = replay(&[record], None);
    rows[0].decision
}

#[test]
fn an_mfa_claim_of_an_external_user_counts_as_home_mfa() {
    let claim = json!({"authenticationDetails": [{"authenticationMethod": "Previously satisfied",
        "succeeded": true, "authenticationStepResultDetail": "MFA requirement satisfied by claim in the token"}]});
    // Fabrikam's MFA is trusted: the claim satisfies MFA (and its device claim the device control).
    assert_eq!(decision(guest(FABRIKAM, claim.clone())), Decision::Allow);
    // Tailspin's is not: the same claim does not, the guest is challenged here.
    assert_eq!(decision(guest(TAILSPIN, claim)), Decision::Challenge);
    // A second factor used in this sign-in was used here, trusted or not.
    let here = json!({"authenticationDetails": [{"authenticationMethod": "Text message", "succeeded": true}]});
    assert_eq!(decision(guest(TAILSPIN, here)), Decision::Allow);
    // A failed step proves nothing.
    let failed = json!({"authenticationDetails": [{"authenticationMethod": "Text message", "succeeded": false}]});
    assert_eq!(decision(guest(TAILSPIN, failed)), Decision::Challenge);
}

#[test]
fn required_mfa_on_a_successful_sign_in_was_satisfied() {
    let r = guest(
        TAILSPIN,
        json!({"authenticationRequirement": "multiFactorAuthentication"}),
    );
    let (s, rows) = replay(&[r], None);
    // Home MFA (the stricter place), which Tailspin's settings do not trust: challenge.
    assert_eq!(rows[0].decision, Decision::Challenge);
    assert_eq!(s.inferred[Field::Mfa as usize], 1);
    let employee = json!({"id": "e1", "userPrincipalName": "alice@contoso.com", "resourceId": SHAREPOINT,
        "crossTenantAccessType": "none", "authenticationRequirement": "multiFactorAuthentication",
        "status": {"errorCode": 0}, "clientAppUsed": "Browser", "ipAddress": "203.0.113.9",
        "location": {"countryOrRegion": "US"}, "deviceDetail": {"operatingSystem": "Windows 10"}});
    assert_eq!(decision(employee), Decision::Allow);
}

#[test]
fn unmapped_values_are_counted_and_never_guessed() {
    let r = guest(
        TAILSPIN,
        json!({
            "deviceDetail": {"operatingSystem": "ChromeOS"},
            "riskLevelDuringSignIn": "hidden",
            "clientAppUsed": "Quantum client",
            "ipAddress": "not-an-address",
            "authenticationContextClassReferences": [{"id": "c1", "detail": "required"}],
        }),
    );
    let (s, rows) = replay(&[r], None);
    let values = |f: Field| -> Vec<String> {
        s.unmapped
            .get(&f)
            .map(|t| t.counts.keys().cloned().collect())
            .unwrap_or_default()
    };
    assert_eq!(values(Field::OperatingSystem), ["ChromeOS"]);
    assert_eq!(values(Field::RiskLevelDuringSignIn), ["hidden"]);
    assert_eq!(values(Field::ClientAppUsed), ["Quantum client"]);
    assert_eq!(values(Field::IpAddress), ["not-an-address"]);
    assert_eq!(values(Field::AuthenticationContext).len(), 1);
    // An unknown client app is read as a legacy client (`other`), the reading that satisfies
    // nothing; the unknown OS leaves the platform a missing signal.
    assert_eq!(rows[0].client_app, "other");
    assert_eq!(rows[0].platform, "");
    assert_eq!(rows[0].decision, Decision::Block);
}

#[test]
fn actors_other_tenants_and_unknown_access_types_are_skipped_with_reasons() {
    let sp = json!({"id": "s1", "servicePrincipalId": "sp1", "signInEventTypes": ["servicePrincipal"], "resourceId": SHAREPOINT});
    let mi = json!({"id": "s2", "userPrincipalName": "vm", "managedServiceIdentity": {"msiType": "userAssigned"}, "resourceId": SHAREPOINT});
    let outbound = guest(
        FABRIKAM,
        json!({"id": "s3", "userPrincipalName": "alice@contoso.com", "resourceTenantId": FABRIKAM}),
    );
    let support = guest(
        FABRIKAM,
        json!({"id": "s4", "crossTenantAccessType": "microsoftSupport"}),
    );
    let passthrough = guest(
        FABRIKAM,
        json!({"id": "s5", "crossTenantAccessType": "passthrough"}),
    );
    let future = guest(
        FABRIKAM,
        json!({"id": "s6", "crossTenantAccessType": "unknownFutureValue"}),
    );
    let no_user = json!({"id": "s7", "resourceId": SHAREPOINT});
    let (s, rows) = replay(
        &[sp, mi, outbound, support, passthrough, future, no_user],
        None,
    );
    assert!(rows.is_empty());
    assert_eq!(s.read, 7);
    assert_eq!(s.replayed, 0);
    for r in [
        SkipReason::ServicePrincipal,
        SkipReason::ManagedIdentity,
        SkipReason::OtherResourceTenant,
        SkipReason::MicrosoftSupport,
        SkipReason::Passthrough,
        SkipReason::UnmappedAccessType,
        SkipReason::NoUser,
    ] {
        assert_eq!(s.skipped[r as usize], 1, "{}", r.name());
    }
    assert_eq!(
        s.decisions,
        [0, 0, 0],
        "a skipped sign-in is never counted as allowed"
    );
}

#[test]
fn missing_fields_take_stated_defaults() {
    // No crossTenantAccessType and no userType: a home tenant other than ours makes an external
    // user, a guest by default; a guest UPN in #EXT# form gives the home domain when the home
    // tenant id is missing too.
    let r = json!({"id": "m1", "userPrincipalName": "erin_tailspintoys.com#EXT#@contoso.onmicrosoft.com",
        "resourceId": SHAREPOINT, "crossTenantAccessType": "b2bCollaboration", "clientAppUsed": "Browser",
        "ipAddress": "192.0.2.1", "location": {"countryOrRegion": "GB"},
        "deviceDetail": {"operatingSystem": "Windows 10"}, "status": {"errorCode": 50074}});
    let (s, rows) = replay(&[r], None);
    assert_eq!(
        rows[0].partner, "tailspin",
        "the home domain names the declared tenant"
    );
    assert_eq!(s.inferred[Field::HomeTenantId as usize], 1);
    assert_eq!(s.inferred[Field::UserType as usize], 1);
    assert_eq!(rows[0].decision, Decision::Challenge);
    let r = json!({"id": "m2", "userPrincipalName": "zed@contoso.com", "homeTenantId": FABRIKAM,
        "appId": SHAREPOINT, "clientAppUsed": "Browser", "ipAddress": "192.0.2.1",
        "location": {"countryOrRegion": "GB"}, "deviceDetail": {"operatingSystem": "Windows 10"}});
    let (s, rows) = replay(&[r], None);
    assert_eq!(rows[0].partner, "fabrikam");
    assert_eq!(s.inferred[Field::CrossTenantAccessType as usize], 1);
    assert_eq!(
        s.inferred[Field::ResourceId as usize],
        1,
        "the client app id stands in for a missing resource"
    );
}

#[test]
fn the_directory_gives_group_membership() {
    let employee = json!({"id": "d1", "userPrincipalName": "breakglass@contoso.com", "resourceId": SHAREPOINT,
        "crossTenantAccessType": "none", "clientAppUsed": "Browser", "ipAddress": "203.0.113.9",
        "location": {"countryOrRegion": "US"}, "deviceDetail": {"operatingSystem": "Windows 10"},
        "status": {"errorCode": 0}});
    let (without, rows) = replay(std::slice::from_ref(&employee), None);
    assert_eq!(
        rows[0].decision,
        Decision::Challenge,
        "without the directory: no group, MFA required"
    );
    assert_eq!(without.changed, [0, 1, 0]);
    let dir = scratch("replay-directory");
    let path = dir.join("users.yaml");
    std::fs::write(
        &path,
        "breakglass@contoso.com: [Emergency access, Cafeteria]\n",
    )
    .unwrap();
    let pack = compile_dir("policies/contoso-group");
    let directory = Directory::load(&path, &|g| pack.has_group(g)).expect("loads");
    let (with, rows) = replay(&[employee], Some(&directory));
    assert_eq!(
        rows[0].decision,
        Decision::Allow,
        "Emergency access is excluded from the MFA policy"
    );
    assert_eq!(with.changed_total(), 0);
}

/// The device properties sign-in logs carry (`deviceDetail`: `deviceId`, `displayName`,
/// `trustType`, `isCompliant`; https://learn.microsoft.com/graph/api/resources/devicedetail)
/// reach device filters; a filter on a property logs do not carry (extension attributes, model)
/// is undecided, fail closed, rather than read as null.
#[test]
fn device_filters_read_the_logged_device_properties_and_no_others() {
    use accord::eval::Tri;
    use accord::replay::map::{map, Context, Mapped, Notes};
    use accord::replay::record::SignIn;
    let pack = super::super::eval::support::compile_text(
        r#"resource tenant contoso { id = "2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01" domains = ["contoso.com"] }
policy "Block devices that are not hybrid joined" {
  users { include all }
  apps { include all }
  conditions { devices = exclude 'device.trustType -eq "ServerAD"' }
  grant block
}
policy "MFA except on privileged workstations" {
  users { include all }
  apps { include all }
  conditions { devices = exclude 'device.extensionAttribute1 -eq "SAW" -or device.displayName -startsWith "SAW-"' }
  grant mfa
}
"#,
    );
    let record = |trust: &str, name: &str| {
        json!({
            "id": "r", "userPrincipalName": "alice@contoso.com", "userType": "member",
            "homeTenantId": CONTOSO, "resourceTenantId": CONTOSO, "crossTenantAccessType": "none",
            "resourceId": SHAREPOINT, "clientAppUsed": "Browser", "ipAddress": "198.51.100.7",
            "location": {"countryOrRegion": "FR"},
            "authenticationDetails": [{"authenticationMethod": "Password", "succeeded": true}],
            "deviceDetail": {"deviceId": "d-1", "displayName": name, "operatingSystem": "Windows 10",
                              "isCompliant": true, "trustType": trust},
            "status": {"errorCode": 0},
        })
        .to_string()
    };
    let ctx = Context {
        resource_tenant: Some(CONTOSO.into()),
        resource_name: Some("contoso".into()),
        directory: None,
    };
    let decide = |text: String| {
        let s: SignIn = serde_json::from_str(&text).expect("parses");
        let Mapped::Replay(request) = map(&s, &ctx, &mut Notes::default()) else {
            panic!("replayed")
        };
        let e = accord::eval::decide(&pack, &request).expect("decides");
        let applies: Vec<Tri> = e.trace.policies.iter().map(|p| p.applies).collect();
        (
            e.decision,
            applies,
            e.depends_on.names().collect::<Vec<_>>(),
        )
    };
    // Hybrid joined (`ServerAD`): excluded from the block; a `SAW-` name excludes it from MFA.
    let (d, applies, _) = decide(record("Hybrid Azure AD joined", "SAW-0042"));
    assert_eq!(applies, [Tri::No, Tri::No]);
    assert_eq!(d, Decision::Allow);
    // Azure AD joined: the block applies, whatever the rest.
    let (d, applies, _) = decide(record("Azure AD joined", "SAW-0042"));
    assert_eq!(applies[0], Tri::Yes);
    assert_eq!(d, Decision::Block);
    // Another name: whether the MFA policy applies turns on extensionAttribute1, which logs
    // do not carry: undecided, so the decision takes the MFA challenge (fail closed).
    let (d, applies, depends) = decide(record("Hybrid Azure AD joined", "LAPTOP-7"));
    assert_eq!(applies, [Tri::No, Tri::Unknown]);
    assert_eq!(d, Decision::Challenge);
    assert_eq!(depends, ["device.attributes"]);
}

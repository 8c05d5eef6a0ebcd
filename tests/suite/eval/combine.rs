//! Combining policies: session controls merge to the most restrictive, `any(...)` requirements,
//! and the stable JSON shape.

use accord::eval;
use accord::model::{PersistentBrowser, SignInFrequency};

use super::support::{compile_text, request};

const PACK: &str = r#"
resource tenant contoso { domains = ["contoso.com"] }
policy "Daily sign-in, browser kept" {
  users { include all }
  apps  { include all }
  session { sign_in_frequency = 1d  persistent_browser = always  cloud_app_security = monitor_only }
}
policy "Eight hours, browser never" {
  users { include all }
  apps  { include sharepoint }
  session { sign_in_frequency = 8h  persistent_browser = never  cloud_app_security = block_downloads  app_enforced_restrictions }
}
policy "Every time on Teams" {
  users { include all }
  apps  { include teams }
  session { sign_in_frequency = every_time  continuous_access_evaluation = strict }
}
policy "Report-only every time" {
  state = report_only
  users { include all }
  apps  { include exchange }
  session { sign_in_frequency = every_time }
}
policy "MFA or terms on Graph" {
  users { include all }
  apps  { include graph }
  grant any(mfa, terms_of_use "T", compliant_device)
}
"#;

#[test]
fn session_controls_merge_to_the_most_restrictive() {
    let c = compile_text(PACK);
    let r = request("user: { name: a@contoso.com }\napp: sharepoint\ndevice: { platform: ios }\nnetwork: { ip: 192.0.2.1, country: US }");
    let e = eval::decide(&c, &r).expect("decides");
    assert_eq!(e.decision.name(), "allow");
    let s = &e.session;
    assert_eq!(
        s.sign_in_frequency,
        Some((
            SignInFrequency::Every {
                value: 8,
                unit: accord::model::FrequencyUnit::Hours
            },
            "Eight hours, browser never"
        ))
    );
    assert_eq!(
        s.persistent_browser,
        Some((PersistentBrowser::Never, "Eight hours, browser never"))
    );
    assert_eq!(
        s.cloud_app_security.map(|(_, p)| p),
        Some("Eight hours, browser never")
    );
    assert_eq!(
        s.app_enforced_restrictions,
        Some("Eight hours, browser never")
    );
    let json = accord::render::whatif::json(&e);
    assert_eq!(json["session"]["sign_in_frequency"]["value"], "8h");
    assert_eq!(json["session"]["persistent_browser"]["value"], "never");
    assert_eq!(
        json["session"]["cloud_app_security"]["value"],
        "block_downloads"
    );

    let r = request("user: { name: a@contoso.com }\napp: teams\ndevice: { platform: ios }\nnetwork: { ip: 192.0.2.1, country: US }");
    let e = eval::decide(&c, &r).expect("decides");
    assert_eq!(
        e.session.sign_in_frequency.map(|(f, _)| f),
        Some(SignInFrequency::EveryTime)
    );
    assert_eq!(
        e.session.persistent_browser.map(|(b, _)| b),
        Some(PersistentBrowser::Always)
    );

    // Report-only session controls are never applied.
    let r = request("user: { name: a@contoso.com }\napp: exchange\ndevice: { platform: ios }\nnetwork: { ip: 192.0.2.1, country: US }");
    let e = eval::decide(&c, &r).expect("decides");
    assert_eq!(
        e.session.sign_in_frequency.map(|(_, p)| p),
        Some("Daily sign-in, browser kept")
    );
}

#[test]
fn any_requirements_list_every_control_that_can_be_done_now() {
    let c = compile_text(PACK);
    let r = request("user: { name: a@contoso.com }\napp: graph\ndevice: { platform: ios }\nnetwork: { ip: 192.0.2.1, country: US }");
    let e = eval::decide(&c, &r).expect("decides");
    let text = accord::render::whatif::text(&e);
    assert!(
        text.starts_with("CHALLENGE: any(mfa, terms_of_use \"T\")\n"),
        "{text}"
    );
    let json = accord::render::whatif::json(&e);
    assert_eq!(
        json["requirements"][0]["any"][1]["control"],
        "terms_of_use \"T\""
    );
}

#[test]
fn json_fields_are_stable() {
    let c = compile_text(PACK);
    let r = request("user: { name: a@contoso.com }\napp: graph");
    let e = eval::decide(&c, &r).expect("decides");
    let json = accord::render::whatif::json(&e);
    let keys: Vec<&str> = json
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "decision",
            "possible",
            "depends_on",
            "requirements",
            "user",
            "gate",
            "assignment",
            "policies",
            "report_only",
            "session",
            "scenarios"
        ]
    );
    let policy = &json["policies"][0];
    let keys: Vec<&str> = policy
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "name",
            "state",
            "applies",
            "reason",
            "result",
            "depends_on",
            "conditions",
            "controls"
        ]
    );
    assert_eq!(json["user"]["organization"], "internal");
}

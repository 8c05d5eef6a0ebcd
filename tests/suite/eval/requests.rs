//! Request errors are errors (exit code 2) with a "did you mean", never an allow; and the
//! `accord whatif` command line end to end.

use std::io::Write;
use std::process::{Command, Stdio};

use accord::eval;
use accord::model::request::{Request, RequestDoc};

use super::support::{compile_dir, request};

const PACK: &str = "policies/contoso-group";

fn resolve_error(text: &str) -> String {
    let c = compile_dir(PACK);
    let r = request(text);
    match eval::resolve(&c, &r) {
        Ok(_) => panic!("`{text}` resolved"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn an_undeclared_tenant_name_is_an_error_with_a_suggestion() {
    let e = resolve_error("user: { name: a@x.com, type: guest, home: fabrikm }\napp: teams");
    assert!(e.contains("`fabrikm` is not a declared tenant"), "{e}");
    assert!(e.contains("did you mean `fabrikam`?"), "{e}");
}

#[test]
fn undeclared_ids_and_domains_are_accepted() {
    let c = compile_dir(PACK);
    for home in ["adatum.com", "4f9e1c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b"] {
        let r = request(&format!(
            "user: {{ name: a@x.com, type: guest, home: {home} }}\napp: teams"
        ));
        assert!(eval::resolve(&c, &r).is_ok(), "{home}");
    }
}

#[test]
fn direct_connect_needs_an_external_home() {
    let e = resolve_error("user: { name: a@contoso.com, kind: direct_connect }\napp: teams");
    assert!(e.contains("needs an external home tenant"), "{e}");
}

#[test]
fn unknown_fields_values_apps_and_roles_are_errors() {
    let cases = [
        (
            "user: { name: a, tpye: guest }\napp: teams",
            "did you mean `type`?",
        ),
        (
            "user: { name: a, type: gest }\napp: teams",
            "did you mean `guest`?",
        ),
        (
            "user: { name: a }\napp: sharepont",
            "did you mean `sharepoint`?",
        ),
        (
            "user: { name: a, roles: [global_adminstrator] }\napp: teams",
            "did you mean `global_administrator`?",
        ),
        (
            "user: { name: a }\napp: teams\ndevice: { platform: andriod }",
            "did you mean `android`?",
        ),
        (
            "user: { name: a }\napp: teams\nclient_app: browsr",
            "did you mean `browser`?",
        ),
        (
            "user: { name: a }\napp: teams\nauth: { mfa: hom }",
            "did you mean `home`?",
        ),
        (
            "user: { name: a }\napp: teams\nrisk: { sign_in: hihg }",
            "did you mean `high`?",
        ),
        (
            "user: { name: a }\napp: teams\nrisk: { insider: elevatd }",
            "did you mean `elevated`?",
        ),
        (
            "user: { name: a }\napp: teams\nnetwork: { country: France }",
            "is not a country",
        ),
        (
            "user: { name: a }\napp: teams\nnetwork: { ip: 300.1.1.1 }",
            "invalid IP address",
        ),
        (
            "user: { name: a }\napp: office365",
            "a request names one app",
        ),
        ("app: teams", "no `user`"),
        ("user: { name: a }", "no `app`"),
    ];
    for (text, want) in cases {
        let e = match Request::parse(text) {
            Ok(_) => panic!("`{text}` parsed"),
            Err(e) => e.to_string(),
        };
        assert!(e.contains(want), "`{text}`: {e}");
    }
}

#[test]
fn requests_may_be_json() {
    let r =
        Request::parse(r#"{"user": {"name": "a@contoso.com", "type": "guest"}, "app": "teams"}"#)
            .expect("json parses");
    assert_eq!(r.user.name, "a@contoso.com");
}

#[test]
fn a_request_that_cannot_resolve_never_decides() {
    let c = compile_dir(PACK);
    let r = request("user: { name: a@x.com, type: guest, home: nobody }\napp: teams");
    assert!(eval::decide(&c, &r).is_err());
}

#[test]
fn overrides_merge_field_by_field() {
    let mut doc =
        RequestDoc::parse("user: { name: a@x.com, type: member, groups: [A] }\napp: teams")
            .expect("parses");
    doc.merge(&RequestDoc::from_assignment("user.type=guest").expect("parses"));
    let r = Request::from_doc(&doc).expect("complete");
    assert_eq!(r.user.groups, vec!["A".to_string()]);
    assert_eq!(r.user.user_type.name(), "guest");
}

fn accord(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("writes");
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().expect("finishes");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_decides_from_stdin_with_overrides() {
    let (code, out, err) = accord(
        &["whatif", PACK, "--request", "-", "--set", "auth.mfa=home", "--color", "never"],
        Some("user: { name: bob@fabrikam.com, type: guest, home: fabrikam }\napp: sharepoint\nnetwork: { ip: 192.0.2.1, country: FR }\ndevice: { platform: windows }\n"),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("ALLOW\n"), "{out}");
}

#[test]
fn cli_request_errors_exit_2() {
    let (code, _, err) = accord(
        &["whatif", PACK, "--request", "-", "--color", "never"],
        Some("user: { name: bob@fabrikam.com, type: guest, home: fabrikm }\napp: sharepoint\n"),
    );
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `fabrikam`?"), "{err}");
    let (code, _, err) = accord(
        &[
            "whatif",
            PACK,
            "--set",
            "user.name=a",
            "--set",
            "app=sharepoitn",
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `sharepoint`?"), "{err}");
}

#[test]
fn cli_share_documents_are_decided_by_the_sharing_rules() {
    // contoso-group: admins may invite fabrikam people to SharePoint; the finance site is
    // internal only.
    let (code, out, err) = accord(
        &["whatif", PACK, "--request", "-", "--color", "never"],
        Some("share:\n  service: sharepoint\n  with: carol@fabrikam.com\n  by: admin\n"),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "ALLOW");
    let (code, out, err) = accord(
        &["whatif", PACK, "--request", "-", "--format", "json"],
        Some("share:\n  service: sharepoint\n  site: \"https://contoso.sharepoint.com/sites/finance\"\n  with: carol@litware.com\n"),
    );
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["decision"], "deny");
    assert_eq!(json["rule"], "site_level");
    assert_eq!(json["effective_level"], "only_organization");
    let (code, _, err) = accord(
        &["whatif", PACK, "--request", "-", "--color", "never"],
        Some("share:\n  service: sharepont\n  with: carol@litware.com\n"),
    );
    assert_eq!(code, 2);
    assert!(err.contains("sharepont"), "{err}");
}

#[test]
fn cli_matrix_tables() {
    let dir = std::env::temp_dir().join(format!("accord-matrix-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("m.yaml");
    std::fs::write(
        &path,
        "base:\n  device: { platform: windows }\n  network: { ip: 192.0.2.1, country: FR }\ndimensions:\n  user:\n    employee: { user: { name: a@contoso.com } }\n    fabrikam guest: { user: { name: b@fabrikam.com, type: guest, home: fabrikam } }\n  app: [sharepoint, power_bi]\n  auth.mfa: [none, home]\n",
    )
    .expect("writes");
    let p = path.to_string_lossy().into_owned();
    let (code, out, err) = accord(&["whatif", PACK, "--matrix", &p, "--format", "csv"], None);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 9, "{out}");
    assert_eq!(
        lines[0],
        "user,app,auth.mfa,decision,depends_on,requirements,policies"
    );
    assert!(
        lines[5].starts_with("fabrikam guest,sharepoint,none,challenge,,mfa"),
        "{}",
        lines[5]
    );
    assert_eq!(lines[6], "fabrikam guest,sharepoint,home,allow,,,");
    let (code, out, _) = accord(&["whatif", PACK, "--matrix", &p, "--format", "json"], None);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v.as_array().map(Vec::len), Some(8));
    assert_eq!(v[4]["decision"], "challenge");
    // What to do and which policy asks for it, not only the decision (issue 15).
    assert_eq!(v[4]["requirements"], serde_json::json!(["mfa in fabrikam"]));
    assert_eq!(
        v[4]["policies"],
        serde_json::json!(["Require MFA for external users"])
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `risk.insider` from `--set` and from a matrix dimension, and the JSON naming the condition.
#[test]
fn cli_insider_risk_overrides_matrix_and_json() {
    let dir = std::env::temp_dir().join(format!("accord-insider-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let pack = dir.join("insider.policy");
    std::fs::write(
        &pack,
        "resource tenant contoso { domains = [\"contoso.com\"] }\npolicy \"Block elevated insider risk\" {\n  users { include all }\n  apps { include all }\n  conditions { insider_risk = [elevated] }\n  grant block\n}\n",
    )
    .expect("writes");
    let pack = pack.to_string_lossy().into_owned();
    let request = "user: { name: a@contoso.com }\napp: teams\ndevice: { platform: windows }\nnetwork: { ip: 192.0.2.1, country: US }\n";
    let condition = |json: &serde_json::Value| json["policies"][0]["conditions"][2].clone();

    let (code, out, err) = accord(
        &["whatif", &pack, "--request", "-", "--format", "json"],
        Some(request),
    );
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["decision"], "allow");
    assert_eq!(json["policies"][0]["applies"], false);
    assert_eq!(
        condition(&json),
        serde_json::json!({"condition": "insider_risk", "outcome": "no",
            "reason": "insider_risk: none is not in [elevated]"})
    );

    let (code, out, err) = accord(
        &[
            "whatif",
            &pack,
            "--request",
            "-",
            "--set",
            "risk.insider=elevated",
            "--format",
            "json",
        ],
        Some(request),
    );
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["decision"], "block");
    assert_eq!(
        condition(&json),
        serde_json::json!({"condition": "insider_risk", "outcome": "yes",
            "reason": "insider_risk: elevated is in [elevated]"})
    );

    let matrix = dir.join("m.yaml");
    std::fs::write(
        &matrix,
        "base:\n  user: { name: a@contoso.com }\n  app: teams\n  device: { platform: windows }\n  network: { ip: 192.0.2.1, country: US }\ndimensions:\n  risk.insider: [none, minor, moderate, elevated]\n",
    )
    .expect("writes");
    let m = matrix.to_string_lossy().into_owned();
    let (code, out, err) = accord(&["whatif", &pack, "--matrix", &m, "--format", "csv"], None);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "risk.insider,decision,depends_on,requirements,policies",
            "none,allow,,,",
            "minor,allow,,,",
            "moderate,allow,,,",
            "elevated,block,,,Block elevated insider risk",
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

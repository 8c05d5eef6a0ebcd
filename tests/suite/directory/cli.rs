//! `accord whatif` from the command line on the shipped pack: a request naming a declared user
//! is filled from the directory and meets Payroll's assignment step; a `provision:` request is
//! answered by the provisioning what-if, in text and JSON.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `accord whatif` on the shipped pack with the request on stdin: exit code and stdout.
pub(crate) fn whatif(request: &str, json: bool) -> (i32, String) {
    let mut args = vec![
        "whatif",
        "policies/contoso-group",
        "--request",
        "-",
        "--color",
        "never",
    ];
    if json {
        args.extend(["--format", "json"]);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(&args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run accord");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(request.as_bytes())
        .expect("write the request");
    let out = child.wait_with_output().expect("accord ends");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code().unwrap_or(-1), text)
}

const PAYROLL: &str = "6c5f9d3e-2b1a-4c8d-9e7f-0a1b2c3d4e05";

#[test]
fn a_declared_user_is_filled_and_meets_the_assignment_step() {
    let request = format!(
        "user: {{ name: dana@fabrikam.com }}\napp: \"{PAYROLL}\"\ndevice: {{ platform: windows }}\n\
         network: {{ ip: 192.0.2.44, country: FR }}\nauth: {{ mfa: home }}\n"
    );
    let (code, text) = whatif(&request, false);
    assert_eq!(code, 0, "{text}");
    assert!(text.starts_with("BLOCK\n"), "{text}");
    for line in [
        "directory: user.type = member (from the directory)",
        "directory: user.home = fabrikam (from the directory)",
        "directory: user.groups = [Fabrikam project, All employees] (from the directory)",
        "app assignment: blocked: `Payroll` requires assignment",
        "conditional access: not evaluated",
    ] {
        assert!(text.contains(line), "missing `{line}`:\n{text}");
    }
    let (_, json) = whatif(&request, true);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["decision"], "block");
    assert_eq!(v["assignment"]["app"], "Payroll");
    assert_eq!(v["assignment"]["by"], "not_assigned");
    assert_eq!(v["user"]["filled"][0]["field"], "user.type");
    assert_eq!(v["user"]["filled"][0]["from"], "directory");
    assert_eq!(v["policies"].as_array().map(Vec::len), Some(0));
}

#[test]
fn the_request_overrides_the_directory_and_says_so() {
    let request = format!(
        "user: {{ name: dana@fabrikam.com, groups: [Finance] }}\napp: \"{PAYROLL}\"\n\
         device: {{ platform: windows }}\nnetwork: {{ ip: 192.0.2.44, country: FR }}\nauth: {{ mfa: home }}\n"
    );
    let (_, text) = whatif(&request, false);
    assert!(text.starts_with("ALLOW\n"), "{text}");
    assert!(
        text.contains("directory: user.groups = [Finance] as the request states (the directory says [Fabrikam project, All employees])"),
        "{text}"
    );
    assert!(
        text.contains("the user is in the assigned group `Finance`"),
        "{text}"
    );
}

#[test]
fn provisioning_requests_are_answered_from_the_cli() {
    let (code, text) = whatif(
        "provision: { action: invite_member, address: tom@tailspintoys.com }\n",
        false,
    );
    assert_eq!(code, 0, "{text}");
    assert!(
        text.starts_with("ERROR: a mail contact holds `tom@tailspintoys.com`"),
        "{text}"
    );
    assert!(text.contains("rule: contact_blocks_member"), "{text}");
    let (_, json) = whatif(
        "provision: { action: invite_guest, address: tom@tailspintoys.com }\n",
        true,
    );
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["outcome"], "created");
    assert_eq!(v["rule"], "contact_degrades_guest");
    assert_eq!(v["existing"], "contact");
    assert_eq!(v["result"]["mail_enabled"], false);
    let (code, text) = whatif("provision: { action: adopt, address: x@y.com }\n", false);
    assert_eq!(code, 2, "a bad provisioning request is an error: {text}");
}

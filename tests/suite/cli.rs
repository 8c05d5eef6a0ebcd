//! The `accord` binary as a user runs it: exit codes, output streams, files left untouched.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn accord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run accord")
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A scratch folder under the target dir, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

#[test]
fn check_exit_codes() {
    let clean = accord(&["check", "policies/contoso-group"]);
    assert_eq!(code(&clean), 0, "{}", stdout(&clean));
    assert!(stdout(&clean).contains("0 errors"));

    let broken = accord(&["check", "tests/fixtures/invalid/02-unknown-keyword.policy"]);
    assert_eq!(code(&broken), 1);
    let text = stdout(&broken);
    assert!(text.contains("error[E0001]"), "{text}");
    assert!(text.contains("02-unknown-keyword.policy:4:1"), "{text}");
    assert!(text.contains("did you mean `policy`?"), "{text}");

    let missing = accord(&["check", "no/such/pack"]);
    assert_eq!(code(&missing), 2);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read"));

    let usage = accord(&["check"]);
    assert_eq!(code(&usage), 2);
}

#[test]
fn check_json_names_file_line_and_column() {
    let out = accord(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/invalid/03-unknown-platform.policy",
    ]);
    assert_eq!(code(&out), 1);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let first = &json[0];
    assert_eq!(first["code"], "E0002");
    assert_eq!(first["severity"], "error");
    assert!(first["line"].as_u64().is_some_and(|l| l > 0));
    assert!(first["column"].as_u64().is_some_and(|c| c > 0));
    assert!(first["hint"]
        .as_str()
        .is_some_and(|h| h.contains("android")));
}

#[test]
fn shipped_packs_are_formatted() {
    for pack in [
        "policies/contoso-group",
        "policies/b2b-guest-baseline",
        "policies/strict-partner",
    ] {
        let out = accord(&["fmt", "--check", pack]);
        assert_eq!(code(&out), 0, "{pack} is not formatted:\n{}", stdout(&out));
    }
}

#[test]
fn fmt_write_rewrites_only_files_that_parsed() {
    let dir = scratch("fmt-write");
    let good = dir.join("a.policy");
    let bad = dir.join("b.policy");
    let good_text = "tenant   a {   id = \"x\" }   # note\n";
    let bad_text = "tenant b { id = \n";
    std::fs::write(&good, good_text).expect("write");
    std::fs::write(&bad, bad_text).expect("write");
    let out = accord(&["fmt", "--write", dir.to_str().expect("utf-8 path")]);
    assert_eq!(code(&out), 1, "a file with a syntax error makes fmt fail");
    assert_eq!(
        std::fs::read_to_string(&good).expect("read"),
        "tenant a { id = \"x\" }  # note\n"
    );
    assert_eq!(std::fs::read_to_string(&bad).expect("read"), bad_text);

    let check = accord(&["fmt", "--check", good.to_str().expect("utf-8 path")]);
    assert_eq!(code(&check), 0);
}

#[test]
fn fmt_check_shows_a_diff_and_fails() {
    let dir = scratch("fmt-check");
    let file = dir.join("a.policy");
    std::fs::write(&file, "tenant a {id=\"x\"}\n").expect("write");
    let out = accord(&["fmt", "--check", file.to_str().expect("utf-8 path")]);
    assert_eq!(code(&out), 1);
    let diff = stdout(&out);
    assert!(diff.contains("-tenant a {id=\"x\"}"), "{diff}");
    assert!(diff.contains("+tenant a { id = \"x\" }"), "{diff}");
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "tenant a {id=\"x\"}\n",
        "--check never writes"
    );
}

/// A Global Secure Access security profile is a session control (issue 14 §5): shown in the
/// whatif session section, text and JSON, every linked profile once, and never part of the
/// decision; an id that is not a GUID is E1140.
#[test]
fn security_profiles_are_shown_in_the_session() {
    let pack = "tests/fixtures/session/security_profiles.policy";
    let request = "tests/fixtures/session/contractor.yaml";
    let text = accord(&["whatif", pack, request, "--color", "never"]);
    assert_eq!(code(&text), 0, "{}", stdout(&text));
    let out = stdout(&text);
    assert!(out.starts_with("ALLOW"), "{out}");
    let session = out
        .lines()
        .find(|l| l.starts_with("session: "))
        .unwrap_or_else(|| panic!("no session line: {out}"));
    assert_eq!(
        session,
        "session: sign_in_frequency = 1h secondary_authentication (from \"MFA every hour for contractors\"), \
         security_profile = \"3b40eb9f-0624-4690-9d91-e9e413e023aa\" (from \"Web filtering for everyone\"), \
         security_profile = \"7c1f0a52-93d4-4a8e-b1e2-5f3c2d9e8a10\" (from \"Stricter web filtering for contractors\")"
    );

    let json = accord(&["whatif", pack, request, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON");
    assert_eq!(v["decision"], "allow");
    let profiles = v["session"]["security_profiles"]
        .as_array()
        .expect("a list");
    assert_eq!(profiles.len(), 2, "{profiles:?}");
    assert_eq!(
        profiles[1]["policy"],
        "Stricter web filtering for contractors"
    );
    assert_eq!(
        v["session"]["sign_in_frequency"]["value"],
        "1h secondary_authentication"
    );
    // Someone outside the group gets the 8h full sign-in, the only frequency that applies.
    let member = accord(&[
        "whatif",
        pack,
        request,
        "--set",
        "user.groups=[]",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&member)).expect("JSON");
    assert_eq!(v["session"]["sign_in_frequency"]["value"], "8h");

    // Without MFA the contractor policy challenges: the profiles do not change that.
    let no_mfa = accord(&[
        "whatif",
        pack,
        request,
        "--set",
        "auth.mfa=none",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&no_mfa)).expect("JSON");
    assert_eq!(v["decision"], "challenge");

    let bad = accord(&[
        "check",
        "tests/fixtures/session/bad_profile.policy",
        "--color",
        "never",
    ]);
    assert_eq!(code(&bad), 1);
    let out = stdout(&bad);
    assert!(out.contains("error[E1140]"), "{out}");
    assert!(out.contains("bad_profile.policy:6:32"), "{out}");
}

/// Continuous access evaluation `strict_location` (issue 14 §5; Learn, "Strictly enforce location
/// policies using continuous access evaluation"): the session shows it, over `strict`, with a
/// note that the resource-observed IP is not decided; the decision comes from `network.ip`.
#[test]
fn strict_location_is_shown_with_its_limit() {
    let pack = "tests/fixtures/session/strict_location.policy";
    let request = "tests/fixtures/session/office.yaml";
    let text = accord(&["whatif", pack, request, "--color", "never"]);
    assert_eq!(code(&text), 0, "{}", stdout(&text));
    let out = stdout(&text);
    assert!(out.starts_with("ALLOW"), "{out}");
    assert!(
        out.contains(
            "session: continuous_access_evaluation = strict_location (from \"Strict location for Exchange\")"
        ),
        "{out}"
    );
    assert!(
        out.contains("  note: continuous access evaluation strict_location: the resource also enforces the location policies on the IP address it sees, which accord does not decide"),
        "{out}"
    );
    let json = accord(&["whatif", pack, request, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON");
    let cae = &v["session"]["continuous_access_evaluation"];
    assert_eq!(cae["value"], "strict_location");
    assert!(cae["note"]
        .as_str()
        .is_some_and(|n| n.contains("does not decide")));
    // Outside the office the sign-in itself is blocked: no session, no note.
    let away = accord(&[
        "whatif",
        pack,
        request,
        "--set",
        "network.ip=198.51.100.7",
        "--color",
        "never",
    ]);
    let out = stdout(&away);
    assert!(out.starts_with("BLOCK"), "{out}");
    assert!(!out.contains("note:"), "{out}");
}

/// Token protection in whatif's session section (issue 14 §5): a granted, bound session names
/// the policy that asked for it; an unbound one is blocked and has no session.
#[test]
fn token_protection_is_shown_in_the_session() {
    let pack = "tests/fixtures/session/token_protection.policy";
    let request = "tests/fixtures/session/bound.yaml";
    let bound = stdout(&accord(&["whatif", pack, request, "--color", "never"]));
    assert!(bound.starts_with("ALLOW"), "{bound}");
    assert!(
        bound.contains("session: token_protection = on (from \"Token protection for Exchange\")"),
        "{bound}"
    );
    let json = accord(&["whatif", pack, request, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON");
    assert_eq!(v["session"]["token_protection"]["value"], "on");
    let unbound = stdout(&accord(&[
        "whatif",
        pack,
        request,
        "--set",
        "device.token_bound=false",
        "--color",
        "never",
    ]));
    assert!(unbound.starts_with("BLOCK"), "{unbound}");
    assert!(!unbound.contains("session:"), "{unbound}");
}

//! The command as a user runs it: the JSON contract, the formats, exit codes, progress.

use std::process::{Command, Output};

use serde_json::Value;

use super::generated::scratch;

fn accord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run accord")
}

fn json_of(out: &Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

const SAMPLE: &str = "policies/contoso-group/signins.jsonl";
/// The groups and roles of the sample's users (without it, membership is unknown).
const DIRECTORY: &str = "policies/contoso-group/directory.yaml";

#[test]
fn the_json_contract() {
    let out = accord(&[
        "replay",
        "policies/contoso-group",
        SAMPLE,
        "--directory",
        DIRECTORY,
        "--format",
        "json",
    ]);
    assert!(
        out.stderr.is_empty(),
        "no progress bar when stderr is not a terminal: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j = json_of(&out);
    let n = |v: &Value| v.as_u64().expect("a count");
    assert_eq!(n(&j["read"]), 10);
    assert_eq!(n(&j["replayed"]), 8);
    assert_eq!(n(&j["skipped"]), 2);
    assert_eq!(n(&j["read"]), n(&j["replayed"]) + n(&j["skipped"]));
    let by_reason: u64 = j["skipped_by_reason"]
        .as_object()
        .unwrap()
        .values()
        .map(n)
        .sum();
    assert_eq!(by_reason, 2);
    assert_eq!(n(&j["skipped_by_reason"]["service_principal"]), 1);
    assert_eq!(n(&j["skipped_by_reason"]["managed_identity"]), 1);
    assert_eq!(
        j["decisions"],
        serde_json::json!({"allow": 5, "challenge": 1, "block": 2})
    );
    assert_eq!(
        j["changed"],
        serde_json::json!({"newly_block": 0, "newly_challenge": 0, "newly_allow": 0, "total": 0})
    );
    assert_eq!(j["compared_with"], "log");
    let policies = j["policies"].as_array().unwrap();
    // Every policy of the pack: the token protection pilot, the internet traffic policy, and the three for workload
    // identities (they apply to no user sign-in of the log; its service principal sign-ins are
    // skipped).
    assert_eq!(policies.len(), 14);
    let embargo = policies
        .iter()
        .find(|p| p["name"] == "Block embargoed countries for out-of-organization users")
        .unwrap();
    assert_eq!(
        (
            n(&embargo["applied"]),
            n(&embargo["blocked"]),
            n(&embargo["challenged"])
        ),
        (1, 1, 0)
    );
    let risky = policies
        .iter()
        .find(|p| p["name"] == "Risky sign-ins")
        .unwrap();
    assert_eq!(risky["state"], "report_only");
    assert_eq!(
        (n(&risky["applied"]), n(&risky["challenged"])),
        (1, 1),
        "report-only impact is counted"
    );
    assert_eq!(n(&j["fidelity"]["disagreements"]), 0);
    assert_eq!(
        n(&j["undetermined"]),
        0,
        "the directory settles every membership"
    );
}

/// Without `--directory`, group and role membership is a missing signal (issue 9): policies that
/// read a group or role only *may* apply, the decision is the most restrictive outcome (never an
/// allow the known membership would not give), and the report says which signal is missing.
#[test]
fn without_a_directory_membership_is_unknown_and_fails_closed() {
    let with = json_of(&accord(&[
        "replay",
        "policies/contoso-group",
        SAMPLE,
        "--directory",
        DIRECTORY,
        "--format",
        "json",
        "--rows",
        "all",
    ]));
    let without = json_of(&accord(&[
        "replay",
        "policies/contoso-group",
        SAMPLE,
        "--format",
        "json",
        "--rows",
        "all",
    ]));
    let n = |v: &Value| v.as_u64().expect("a count");
    assert!(n(&without["undetermined"]) > 0, "{without}");
    let policy = |j: &Value, name: &str| {
        j["policies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .cloned()
            .unwrap()
    };
    // The legacy-authentication block excludes "Emergency access": with the membership
    // unknown it may apply (and still decides block: fail closed).
    let legacy_with = policy(&with, "Block legacy authentication");
    let legacy_without = policy(&without, "Block legacy authentication");
    assert_eq!(
        (n(&legacy_with["applied"]), n(&legacy_with["may_apply"])),
        (1, 0)
    );
    assert_eq!(
        (
            n(&legacy_without["applied"]),
            n(&legacy_without["may_apply"])
        ),
        (0, 1)
    );
    // No decision is less restrictive without the directory.
    let rank = |d: &Value| match d.as_str() {
        Some("allow") => 0,
        Some("challenge") => 1,
        _ => 2,
    };
    let (a, b) = (
        with["decisions"].as_object().unwrap(),
        without["decisions"].as_object().unwrap(),
    );
    let total = |m: &serde_json::Map<String, Value>| m.values().map(n).sum::<u64>();
    assert_eq!(total(a), total(b));
    for d in ["allow", "challenge", "block"] {
        let at_least = |m: &serde_json::Map<String, Value>| {
            m.iter()
                .filter(|(k, _)| {
                    rank(&Value::String(k.to_string())) >= rank(&Value::String(d.into()))
                })
                .map(|(_, v)| n(v))
                .sum::<u64>()
        };
        assert!(at_least(b) >= at_least(a), "{d}: {a:?} vs {b:?}");
    }
    let limits = without["limits"].to_string();
    assert!(
        limits.contains("group membership (user.groups)"),
        "{limits}"
    );
    assert!(limits.contains("unknown, a missing signal"), "{limits}");
    assert!(!with["limits"].to_string().contains("user.groups"));
}

#[test]
fn a_proposed_pack_against_a_baseline_in_every_format() {
    let dir = scratch("replay-cli-proposed");
    for f in [
        "cross_tenant.policy",
        "locations.policy",
        "policies.policy",
        "sharing.policy",
        "strengths.policy",
        "tenants.policy",
    ] {
        let text = std::fs::read_to_string(format!(
            "{}/policies/contoso-group/{f}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        // The proposal: Tailspin's MFA is trusted too.
        let text = text.replace(
            "cross_tenant litware {",
            "cross_tenant tailspin {\n  trust mfa\n}\n\ncross_tenant litware {",
        );
        std::fs::write(dir.join(f), text).unwrap();
    }
    let proposed = dir.to_str().unwrap();
    let j = json_of(&accord(&[
        "replay",
        proposed,
        SAMPLE,
        "--baseline",
        "policies/contoso-group",
        "--format",
        "json",
    ]));
    assert_eq!(j["compared_with"], "baseline");
    // Nothing in the sample changes: Tailspin's guests did no MFA at home.
    assert_eq!(j["changed"]["total"], 0);
    assert_eq!(j["baseline_decisions"], j["decisions"]);

    // A log where Erin did MFA at home: newly allowed under the proposal.
    let log = dir.join("erin.jsonl");
    let sample =
        std::fs::read_to_string(format!("{}/{SAMPLE}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let erin = sample.lines().find(|l| l.contains("erin@tailspintoys.com")).unwrap().replace(
        r#"[{"authenticationMethod": "Password", "succeeded": true}]"#,
        r#"[{"authenticationMethod": "Previously satisfied", "succeeded": true, "authenticationStepResultDetail": "MFA requirement satisfied by claim in the token"}]"#,
    );
    std::fs::write(&log, format!("{erin}\n")).unwrap();
    let log = log.to_str().unwrap();
    let j = json_of(&accord(&[
        "replay",
        proposed,
        log,
        "--baseline",
        "policies/contoso-group",
        "--format",
        "json",
    ]));
    assert_eq!(j["changed"]["newly_allow"], 1);
    assert_eq!(
        j["top"]["partners"][0],
        serde_json::json!({"key": "tailspin", "count": 1})
    );
    assert_eq!(j["changed_samples"][0]["baseline"], "challenge");

    let csv = accord(&[
        "replay",
        proposed,
        log,
        "--baseline",
        "policies/contoso-group",
        "--format",
        "csv",
    ]);
    let csv = String::from_utf8(csv.stdout).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[0].starts_with("file,line,id,created,user,partner,app"),
        "{csv}"
    );
    assert!(
        lines[1].contains("erin@tailspintoys.com,tailspin,Microsoft Teams Services"),
        "{csv}"
    );
    assert!(
        lines[1].contains(",challenge,allow,allow,newly_allow,"),
        "{csv}"
    );

    let md = accord(&[
        "replay",
        proposed,
        log,
        "--baseline",
        "policies/contoso-group",
        "--format",
        "markdown",
    ]);
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.contains("| newly_allow | 1 |"), "{md}");
    assert!(md.contains("## Most affected partner tenants"), "{md}");
}

#[test]
fn exit_codes() {
    let bad = accord(&[
        "replay",
        "policies/contoso-group",
        "tests/fixtures/replay/malformed.jsonl",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("malformed.jsonl:3:"), "{err}");
    assert!(err.contains("--lenient"), "{err}");
    let ok = accord(&[
        "replay",
        "policies/contoso-group",
        "tests/fixtures/replay/malformed.jsonl",
        "--lenient",
        "--format",
        "json",
    ]);
    let j = json_of(&ok);
    assert_eq!(j["skipped_by_reason"]["malformed"], 1);
    assert_eq!(j["issues"][0]["line"], 3);
    let missing = accord(&["replay", "policies/contoso-group", "no/such.jsonl"]);
    assert_eq!(missing.status.code(), Some(2));
    let broken_pack = accord(&[
        "replay",
        "tests/fixtures/invalid/02-unknown-keyword.policy",
        SAMPLE,
    ]);
    assert_eq!(broken_pack.status.code(), Some(1));
}

#[test]
fn the_text_report_of_the_sample() {
    let out = accord(&[
        "replay",
        "policies/contoso-group",
        SAMPLE,
        "--directory",
        DIRECTORY,
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("replayed 8 of 10 sign-ins against policies/contoso-group\n"),
        "{text}"
    );
    assert!(
        text.contains("skipped 2: 1 service_principal, 1 managed_identity"),
        "{text}"
    );
    assert!(
        text.contains("decisions: 5 allow, 1 challenge, 2 block"),
        "{text}"
    );
    assert!(text.contains("0 change"), "{text}");
    assert!(
        text.contains("Block legacy authentication [on]: 1 / 1 / 0"),
        "{text}"
    );
    insta::assert_snapshot!("replay_sample_text", text);
}

/// The admin center's download folder (sign-ins and their `_AuthDetails` file) replays as one:
/// the details file is listed as joined, not replayed; alone, it is refused with a hint.
#[test]
fn a_download_folder_with_its_auth_details_file() {
    let folder = "tests/fixtures/replay/portal-auth-details";
    let j = json_of(&accord(&[
        "replay",
        "policies/contoso-group",
        folder,
        "--format",
        "json",
    ]));
    assert_eq!(j["read"], 4);
    let shapes: Vec<&str> = j["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["shape"].as_str())
        .collect();
    assert!(
        shapes.contains(&"csv authentication details (joined by Request ID)"),
        "{shapes:?}"
    );
    let alone = accord(&[
        "replay",
        "policies/contoso-group",
        "tests/fixtures/replay/portal-auth-details/InteractiveSignIns_AuthDetails_2026-11-02_2026-11-03.csv",
    ]);
    assert_eq!(alone.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&alone.stderr).contains("authentication-details"));
}

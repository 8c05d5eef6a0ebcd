//! Every input shape, each with a fixture (`tests/fixtures/replay/README.md` names the
//! documented fields each uses): the same sign-ins give the same decisions from each.

use std::path::{Path, PathBuf};

use accord::eval::Options;
use accord::replay::map::SkipReason;
use accord::replay::{self, Engine, Stop, Summary};

use super::super::eval::support::compile_dir;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/replay")
        .join(name)
}

/// Replays as the CLI does: authentication-details CSVs joined, not replayed.
pub fn replay_files(files: &[PathBuf], lenient: bool) -> Result<Summary, Stop> {
    let pack = compile_dir("policies/contoso-group");
    let (files, details) = accord::replay::auth_details::split(files).map_err(Stop::Input)?;
    let mut engine = Engine::new(&pack, None, None, Options::default());
    engine.lenient = lenient;
    engine.auth_details = (!details.is_empty()).then_some(&details);
    replay::run(&engine, &files, &mut |_| {}, &mut |_| {})
}

fn summary(name: &str) -> Summary {
    replay_files(&[fixture(name)], false).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// Alice allow, Dana allow, Erin challenge (logged 50074), Frank block (logged 53003).
fn assert_the_four(name: &str, s: &Summary) {
    assert_eq!(s.replayed, 4, "{name}");
    assert_eq!(s.read, s.replayed + s.skipped_total(), "{name}");
    assert_eq!(s.decisions, [2, 1, 1], "{name}: allow, challenge, block");
    assert_eq!(
        &s.logged[..3],
        &[2, 1, 1],
        "{name}: logged allow, challenge, block"
    );
    assert_eq!(s.compared, 4, "{name}");
    assert_eq!(s.changed_total(), 0, "{name}: {:?}", s.changed_samples);
    assert_eq!(s.fidelity_disagreements(), 0, "{name}");
    assert!(s.unmapped.is_empty(), "{name}: {:?}", s.unmapped);
    // The logged per-policy results agree with the pack's.
    for p in &s.policies {
        assert_eq!(
            p.disagree_logged_applied + p.disagree_logged_not_applied,
            0,
            "{name}: {p:?}"
        );
    }
}

#[test]
fn graph_beta_as_array_json_lines_and_export_wrappers() {
    for name in [
        "graph-beta-array.json",
        "graph-beta.jsonl",
        "diagnostic-export.jsonl",
        "eventhubs-records.json",
    ] {
        let s = summary(name);
        assert_eq!(s.read, 5, "{name}");
        assert_eq!(
            s.skipped[SkipReason::ServicePrincipal as usize],
            1,
            "{name}"
        );
        assert_the_four(name, &s);
        // Logged policies appear in the pack by name.
        let logged: u64 = s
            .policies
            .iter()
            .map(|p| p.logged_applied + p.logged_not_applied)
            .sum();
        assert!(logged >= 6, "{name}: {logged}");
        assert!(s.unlisted_policies.counts.is_empty(), "{name}");
    }
}

#[test]
fn powershell_pascal_case_in_utf8_and_utf16() {
    for name in ["powershell.json", "powershell-utf16le.json"] {
        let s = summary(name);
        assert_eq!(s.read, 4, "{name}");
        assert_the_four(name, &s);
    }
    assert_eq!(
        summary("powershell-utf16le.json").files[0].notes.encoding,
        "utf-16le"
    );
}

#[test]
fn log_analytics_json_and_csv() {
    for name in [
        "log-analytics-signinlogs.json",
        "log-analytics-noninteractive.csv",
        "log-analytics-query-api.json",
    ] {
        let s = summary(name);
        assert_eq!(s.read, 4, "{name}");
        assert_the_four(name, &s);
    }
}

#[test]
fn the_portal_csv_download() {
    let s = summary("portal-download.csv");
    assert_eq!(s.read, 4);
    assert_the_four("portal-download.csv", &s);
    assert_eq!(s.files[0].notes.shape, "csv");
    // The download has no risk column: a missing signal, counted.
    assert_eq!(
        s.missing[accord::replay::map::Field::RiskLevelDuringSignIn as usize],
        4
    );
}

/// The admin center's download writes authentication steps to an `_AuthDetails` file joined by
/// `Request ID`: with it, the sign-in file's blank MFA columns are filled from the steps (MFA
/// seen, not inferred from "required and succeeded"); the details file is not a log.
#[test]
fn the_portal_download_with_its_auth_details_file() {
    let folder = fixture("portal-auth-details");
    let main = folder.join("InteractiveSignIns_2026-11-02_2026-11-03.csv");
    let details = folder.join("InteractiveSignIns_AuthDetails_2026-11-02_2026-11-03.csv");
    let joined = replay_files(&[main.clone(), details], false).expect("replays");
    assert_eq!(joined.read, 4, "the details file is not replayed");
    assert_the_four("joined", &joined);
    let mfa = accord::replay::map::Field::Mfa as usize;
    assert_eq!(joined.inferred[mfa], 0, "MFA read from the steps");
    let alone = replay_files(&[main], false).expect("replays");
    assert_eq!(alone.read, 4);
    assert_eq!(
        alone.inferred[mfa], 2,
        "without the details, Alice's and Dana's MFA is inferred from the requirement"
    );
    // A folder holding both is the same as naming both.
    let from_folder = replay_files(
        &accord::replay::read::log_files(&folder).expect("lists"),
        false,
    )
    .expect("replays");
    assert_eq!(from_folder.read, 4);
    assert_eq!(from_folder.inferred[mfa], 0);
}

#[test]
fn a_single_object_and_a_v1_list_response() {
    let one = summary("graph-single.json");
    assert_eq!((one.read, one.replayed, one.decisions), (1, 1, [1, 0, 0]));

    // v1.0's original resource has no authenticationDetails: Alice's MFA is not visible, so
    // the pack challenges a sign-in the log allowed; both the change and the fidelity
    // disagreement say so, and the page's nextLink is reported.
    let page = summary("graph-v1-page.json");
    assert_eq!((page.read, page.replayed), (2, 2));
    assert_eq!(page.changed, [0, 1, 0]);
    assert_eq!(
        page.fidelity_disagree[1][0], 1,
        "pack challenge, logged allow"
    );
    assert_eq!(page.changed_samples[0].user, "alice@contoso.com");
    assert_eq!(page.changed_samples[0].policies, ["Employees: require MFA"]);
    assert_eq!(page.files[0].notes.frame.next_links, 1);
    assert_eq!(
        page.missing[accord::replay::map::Field::CrossTenantAccessType as usize],
        2
    );
}

#[test]
fn a_malformed_line_is_an_error_with_its_line_or_skipped_with_lenient() {
    match replay_files(&[fixture("malformed.jsonl")], false) {
        Err(Stop::Malformed { issues, count }) => {
            assert_eq!(count, 1);
            assert_eq!(issues[0].line, 3);
            assert!(
                issues[0].file.ends_with("malformed.jsonl"),
                "{:?}",
                issues[0]
            );
            assert!(
                issues[0].message.contains("EOF while parsing"),
                "{}",
                issues[0].message
            );
        }
        other => panic!("expected a malformed-record stop, got {other:?}"),
    }
    let s = replay_files(&[fixture("malformed.jsonl")], true).expect("lenient replays");
    assert_eq!(s.read, 4);
    assert_eq!(s.replayed, 3);
    assert_eq!(s.skipped[SkipReason::Malformed as usize], 1);
    assert_eq!(
        s.read,
        s.replayed + s.skipped_total(),
        "nothing is dropped silently"
    );
    assert_eq!(s.issues[0].line, 3);
}

#[test]
fn microsofts_own_example_needs_lenient_for_its_trailing_comma() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/microsoftgraph__microsoft-graph-docs-contrib/_extracted/signIns/signin-get.v1.INVALID-trailing-comma.json");
    match replay_files(std::slice::from_ref(&example), false) {
        Err(Stop::Malformed { issues, .. }) => {
            assert!(
                issues[0].message.contains("trailing comma"),
                "{}",
                issues[0].message
            );
            assert_eq!(issues[0].line, 64, "the comma's line in the file");
        }
        other => panic!("expected a stop, got {other:?}"),
    }
    let s = replay_files(&[example], true).expect("lenient replays");
    assert_eq!((s.read, s.replayed, s.lenient_accepted), (1, 1, 1));
    // Graph explorer for an employee without visible MFA: the pack challenges.
    assert_eq!(s.decisions, [0, 1, 0]);
    assert_eq!(
        s.unlisted_policies.counts.len(),
        2,
        "the example's policies are not in contoso-group"
    );
}

#[test]
fn many_files_and_folders_add_up() {
    let files = accord::replay::read::log_files(&fixture("")).expect("the folder lists");
    let all = replay_files(&files, true).expect("the folder replays");
    let names = [
        "diagnostic-export.jsonl",
        "eventhubs-records.json",
        "graph-beta-array.json",
        "graph-beta.jsonl",
        "graph-single.json",
        "graph-v1-page.json",
        "log-analytics-noninteractive.csv",
        "log-analytics-query-api.json",
        "log-analytics-signinlogs.json",
        "malformed.jsonl",
        "portal-auth-details/InteractiveSignIns_2026-11-02_2026-11-03.csv",
        "portal-download.csv",
        "powershell-utf16le.json",
        "powershell.json",
    ];
    let one_by_one: u64 = names
        .iter()
        .map(|n| replay_files(&[fixture(n)], true).expect("replays").read)
        .sum();
    assert_eq!(all.read, one_by_one);
    assert_eq!(all.files.len(), names.len());
    assert_eq!(all.read, all.replayed + all.skipped_total());
}

//! Teams requests: the scenario tables under `tests/fixtures/teams/*.yaml`.
//!
//! Each file holds a pack (inline `pack:` or `pack_dir:`) and `cases:`, each with its `source:`
//! (a section of the reference or the Microsoft Learn page it follows), the request in its public
//! shape (`chat:` or `meeting:`), and the exact `decision`, `rule`, `mechanism` and, for meetings
//! that allow, `lobby` expected.

use std::collections::BTreeSet;

use accord::eval::sharing::{decide_chat, decide_meeting, ShareRule};
use accord::model::teams::{ChatRequest, MeetingRequest};
use serde::Deserialize;

use super::sharing::{tables_in, validated};

/// The rules only `chat:` and `meeting:` requests reach (the share tables cannot).
pub const TEAMS_ONLY_RULES: [&str; 9] = [
    "teams_consumer",
    "teams_consumer_inbound",
    "teams_consumer_chat_only",
    "teams_discovered_partners_unverified",
    "shared_channel_cross_tenant",
    "meeting_policy",
    "meeting_anonymous_join",
    "meeting_dial_in",
    "meeting_lobby",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    source: String,
    #[serde(default)]
    chat: Option<serde_yaml::Value>,
    #[serde(default)]
    meeting: Option<serde_yaml::Value>,
    decision: String,
    rule: String,
    mechanism: Option<String>,
    #[serde(default)]
    lobby: Option<String>,
    #[serde(default)]
    reason_contains: Vec<String>,
}

fn text_of(key: &str, body: &serde_yaml::Value) -> String {
    let mut doc = serde_yaml::Mapping::new();
    doc.insert(key.into(), body.clone());
    serde_yaml::to_string(&doc).expect("the request serializes")
}

#[test]
fn teams_scenarios() {
    let mut count = 0;
    let mut failures = Vec::new();
    let mut rules_seen: BTreeSet<String> = BTreeSet::new();
    let mut mechanisms_seen: BTreeSet<String> = BTreeSet::new();
    for (path, table) in tables_in::<Case>("tests/fixtures/teams") {
        let validated = validated(&path, &table);
        let compiled = accord::eval::compile(&validated);
        let file = path.file_name().map(|f| f.to_string_lossy().to_string());
        let file = file.unwrap_or_default();
        for case in &table.cases {
            count += 1;
            assert!(
                case.source.starts_with('§') || case.source.contains("learn.microsoft.com"),
                "{file}: `{}` must cite a section or a Microsoft Learn page",
                case.name
            );
            assert!(
                ShareRule::from_id(&case.rule).is_some(),
                "{file}: `{}`: unknown rule `{}`",
                case.name,
                case.rule
            );
            let d = match (&case.chat, &case.meeting) {
                (Some(c), None) => {
                    let req = ChatRequest::parse(&text_of("chat", c))
                        .unwrap_or_else(|e| panic!("{file}: {}: {e}", case.name));
                    decide_chat(&compiled, &req)
                }
                (None, Some(m)) => {
                    let req = MeetingRequest::parse(&text_of("meeting", m))
                        .unwrap_or_else(|e| panic!("{file}: {}: {e}", case.name));
                    decide_meeting(&compiled, &req)
                }
                _ => panic!("{file}: `{}`: give one of `chat` or `meeting`", case.name),
            };
            rules_seen.insert(d.rule.id().to_string());
            if let Some(l) = &d.lobby {
                rules_seen.insert(l.rule.id().to_string());
            }
            let json = serde_json::to_value(&d).expect("serializes");
            let got_mechanism = json["mechanism"].as_str().map(str::to_string);
            if let Some(m) = &got_mechanism {
                mechanisms_seen.insert(m.clone());
            }
            let got_lobby = json["lobby"]["outcome"].as_str().map(str::to_string);
            let mut wrong = Vec::new();
            if json["decision"] != case.decision.as_str() {
                wrong.push(format!(
                    "decision {} (want {})",
                    json["decision"], case.decision
                ));
            }
            if d.rule.id() != case.rule {
                wrong.push(format!("rule {} (want {})", d.rule, case.rule));
            }
            if got_mechanism != case.mechanism {
                wrong.push(format!(
                    "mechanism {got_mechanism:?} (want {:?})",
                    case.mechanism
                ));
            }
            if got_lobby != case.lobby {
                wrong.push(format!("lobby {got_lobby:?} (want {:?})", case.lobby));
            }
            for words in &case.reason_contains {
                let all = format!("{d}");
                if !all.contains(words.as_str()) {
                    wrong.push(format!("answer lacks {words:?}"));
                }
            }
            if !wrong.is_empty() {
                failures.push(format!(
                    "{file}: `{}`: {}\n{d}",
                    case.name,
                    wrong.join(", ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    assert!(count >= 15, "only {count} teams scenarios");
    let missing: Vec<&str> = TEAMS_ONLY_RULES
        .iter()
        .copied()
        .filter(|r| !rules_seen.contains(*r))
        .collect();
    assert!(missing.is_empty(), "no scenario decided by {missing:?}");
    for m in [
        "external_access",
        "guest_access",
        "b2b_direct_connect",
        "anonymous_join",
        "dial_in",
        "internal",
    ] {
        assert!(mechanisms_seen.contains(m), "no scenario goes through {m}");
    }
}

/// `accord whatif` answers `chat:` and `meeting:` requests from the command line, in text and
/// JSON, and refuses a request it cannot read with exit code 2.
#[test]
fn teams_requests_are_answered_from_the_cli() {
    use super::directory::cli::whatif;
    let (code, text) = whatif(
        "chat: { with: sam@outlook.com, account: consumer }\n",
        false,
    );
    assert_eq!(code, 0, "{text}");
    assert!(
        text.starts_with("DENY by teams_consumer_inbound: "),
        "{text}"
    );
    assert!(text.contains("mechanism: external_access"), "{text}");
    let (_, json) = whatif("meeting: { with: carol@litware.com }\n", true);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["decision"], "allow");
    assert_eq!(v["rule"], "meeting_anonymous_join");
    assert_eq!(v["mechanism"], "anonymous_join");
    assert_eq!(v["lobby"]["outcome"], "wait");
    assert_eq!(v["lobby"]["rule"], "meeting_lobby");
    let (_, json) = whatif(
        "chat: { with: ann@fabrikam.com, action: shared_channel }\n",
        true,
    );
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["mechanism"], "b2b_direct_connect");
    assert_eq!(v["decision"], "allow");
    assert!(v.get("lobby").is_none(), "a chat answer has no lobby: {v}");
    let (code, text) = whatif("chat: { with: ann@fabrikam.com, action: video }\n", false);
    assert_eq!(code, 2, "a bad chat request is an error: {text}");
    let (code, text) = whatif("meeting: { with: ann }\n", false);
    assert_eq!(code, 2, "a bad address is an error: {text}");
}

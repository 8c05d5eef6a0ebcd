//! Mail flow: the scenario tables under `tests/fixtures/mail/*.yaml`.
//!
//! Each file holds a pack and `cases:`, each with its `source:` (the Microsoft Learn page it
//! follows), the request in its public shape (`mail:`), and the exact `outcome` and `rule`
//! expected, with the connector and smart-host route when the case names them.

use std::collections::BTreeSet;

use accord::eval::mail::{decide_mail, MailOutcome, MailRule};
use accord::model::mail::MailRequest;
use serde::Deserialize;

use super::sharing::{tables_in, validated};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    source: String,
    mail: serde_yaml::Value,
    outcome: String,
    rule: String,
    #[serde(default)]
    connector: Option<String>,
    #[serde(default)]
    route: Option<Vec<String>>,
    #[serde(default)]
    reason_contains: Vec<String>,
}

#[test]
fn mail_scenarios() {
    let mut count = 0;
    let mut failures = Vec::new();
    let mut rules_seen: BTreeSet<&'static str> = BTreeSet::new();
    let mut outcomes_seen: BTreeSet<&'static str> = BTreeSet::new();
    for (path, table) in tables_in::<Case>("tests/fixtures/mail") {
        let pack = validated(&path, &table);
        let file = path.file_name().map(|f| f.to_string_lossy().to_string());
        let file = file.unwrap_or_default();
        for case in &table.cases {
            count += 1;
            assert!(
                case.source.contains("learn.microsoft.com") || case.source.contains("PARTNER"),
                "{file}: `{}` must cite a Microsoft Learn page",
                case.name
            );
            assert!(
                MailRule::from_id(&case.rule).is_some(),
                "{file}: unknown rule `{}`",
                case.rule
            );
            assert!(
                MailOutcome::from_name(&case.outcome).is_some(),
                "{file}: unknown outcome `{}`",
                case.outcome
            );
            let mut doc = serde_yaml::Mapping::new();
            doc.insert("mail".into(), case.mail.clone());
            let text = serde_yaml::to_string(&doc).expect("the request serializes");
            let req =
                MailRequest::parse(&text).unwrap_or_else(|e| panic!("{file}: {}: {e}", case.name));
            let d = decide_mail(&pack, &req);
            rules_seen.insert(d.rule.id());
            outcomes_seen.insert(d.outcome.name());
            let mut wrong = Vec::new();
            if d.outcome.name() != case.outcome {
                wrong.push(format!(
                    "outcome {} (want {})",
                    d.outcome.name(),
                    case.outcome
                ));
            }
            if d.rule.id() != case.rule {
                wrong.push(format!("rule {} (want {})", d.rule, case.rule));
            }
            if let Some(c) = &case.connector {
                if d.connector.as_deref() != Some(c.as_str()) {
                    wrong.push(format!("connector {:?} (want {c:?})", d.connector));
                }
            }
            if let Some(r) = &case.route {
                if &d.route != r {
                    wrong.push(format!("route {:?} (want {r:?})", d.route));
                }
            }
            for words in &case.reason_contains {
                if !d.reason.contains(words.as_str()) {
                    wrong.push(format!("reason lacks {words:?}"));
                }
            }
            if !wrong.is_empty() {
                failures.push(format!(
                    "{file}: `{}`: {}\n    {d}",
                    case.name,
                    wrong.join(", ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    assert!(count >= 15, "only {count} mail scenarios");
    for o in MailOutcome::ALL {
        assert!(
            outcomes_seen.contains(o.name()),
            "no scenario ends {}",
            o.name()
        );
    }
    let undecided = [MailRule::ConnectorSkipped, MailRule::Undecided];
    for r in MailRule::ALL.into_iter().filter(|r| !undecided.contains(r)) {
        assert!(
            rules_seen.contains(r.id()),
            "no scenario decided by {}",
            r.id()
        );
    }
}

/// `accord whatif` answers `mail:` requests from the command line on the shipped pack, in text
/// and JSON, and refuses a request it cannot read with exit code 2.
#[test]
fn mail_requests_are_answered_from_the_cli() {
    use super::directory::cli::whatif;
    let (code, text) = whatif("mail: { domain: fabrikam.com, ip: 198.51.100.9 }\n", false);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.starts_with("REJECTED: inbound connector `From Fabrikam`"),
        "{text}"
    );
    assert!(text.contains("  rule: restrict_to_ips\n"), "{text}");
    assert!(text.contains("  connector: From Fabrikam\n"), "{text}");
    let (_, json) = whatif(
        "mail: { direction: outbound, domain: fabrikam.com, certificate: mail.fabrikam.com }\n",
        true,
    );
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["outcome"], "delivered");
    assert_eq!(v["rule"], "outbound_connector");
    assert_eq!(v["connector"], "To Fabrikam");
    assert_eq!(v["route"], serde_json::json!(["mail.fabrikam.com"]));
    assert!(v["steps"].as_array().is_some_and(|s| s.len() >= 2), "{v}");
    let (code, _) = whatif("mail: { domain: carol@fabrikam.com }\n", false);
    assert_eq!(code, 2);
}

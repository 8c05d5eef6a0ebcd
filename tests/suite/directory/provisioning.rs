//! The provisioning what-if: `tests/fixtures/provisioning/*.yaml`, the documented table row by
//! row and the cases around it. The request goes through the public parser.

use std::collections::BTreeSet;

use accord::eval;
use accord::eval::directory::{decide_provision, ProvisionRule};
use accord::model::provision::ProvisionRequest;
use serde::Deserialize;

use super::{cites, load, tables};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    source: String,
    provision: serde_yaml::Value,
    outcome: String,
    rule: String,
    existing: String,
    /// The object left, as the JSON answer gives it (`null` for none).
    #[serde(default)]
    result: Option<serde_json::Value>,
    #[serde(default)]
    reason_contains: Vec<String>,
    #[serde(default)]
    notes_contain: Vec<String>,
}

#[test]
fn provisioning_scenarios() {
    let mut count = 0;
    let mut table_rows = 0;
    let mut failures = Vec::new();
    let mut rules: BTreeSet<&'static str> = BTreeSet::new();
    for path in tables("tests/fixtures/provisioning") {
        let (table, pack) = load::<Case>(&path);
        let c = eval::compile(&pack);
        for case in &table.cases {
            count += 1;
            assert!(
                cites(&case.source, &table.sources),
                "`{}` cites its source",
                case.name
            );
            if case.source.contains("table row") {
                table_rows += 1;
            }
            let want_rule = ProvisionRule::from_id(&case.rule)
                .unwrap_or_else(|| panic!("`{}`: unknown rule `{}`", case.name, case.rule));
            let mut doc = serde_yaml::Mapping::new();
            doc.insert("provision".into(), case.provision.clone());
            let req_text = serde_yaml::to_string(&doc).expect("serializes");
            let req = ProvisionRequest::parse(&req_text)
                .unwrap_or_else(|e| panic!("`{}`: {e}", case.name));
            let d = decide_provision(&c, &req);
            rules.insert(d.rule.id());
            let json = serde_json::to_value(&d).expect("serializes");
            let mut wrong = Vec::new();
            if json["outcome"] != serde_json::json!(case.outcome) {
                wrong.push(format!(
                    "outcome: got {}, want {}",
                    json["outcome"], case.outcome
                ));
            }
            if d.rule != want_rule {
                wrong.push(format!("rule: got {}, want {}", d.rule.id(), case.rule));
            }
            if json["existing"] != serde_json::json!(case.existing) {
                wrong.push(format!(
                    "existing: got {}, want {}",
                    json["existing"], case.existing
                ));
            }
            let want_result = case.result.clone().unwrap_or(serde_json::Value::Null);
            if json["result"] != want_result {
                wrong.push(format!(
                    "result: got {}, want {want_result}",
                    json["result"]
                ));
            }
            for w in &case.reason_contains {
                if !d.reason.contains(w.as_str()) {
                    wrong.push(format!("reason lacks {w:?}: {}", d.reason));
                }
            }
            for w in &case.notes_contain {
                if !d.notes.iter().any(|n| n.contains(w.as_str())) {
                    wrong.push(format!("notes lack {w:?}: {:?}", d.notes));
                }
            }
            if !wrong.is_empty() {
                failures.push(format!("{}:\n  {}", case.name, wrong.join("\n  ")));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(count >= 15, "only {count} provisioning scenarios");
    assert_eq!(
        table_rows, 6,
        "the documented table has six rows, each a case"
    );
    assert!(rules.len() >= 15, "rules covered: {rules:?}");
}

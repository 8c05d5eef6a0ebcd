//! Outbound requests: the scenario tables under `tests/fixtures/outbound/*.yaml`.
//!
//! Each case cites its Microsoft Learn page (`source:`), gives the request in its public shape
//! (`outbound:`) and the exact decision and rule expected.

use std::collections::BTreeSet;

use accord::eval::outbound::{decide_outbound, OutboundRule};
use accord::model::outbound::OutboundRequest;
use serde::Deserialize;

use super::sharing::{tables_in, validated};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    source: String,
    outbound: serde_yaml::Value,
    expect: String,
    rule: String,
    #[serde(default)]
    reason_contains: Vec<String>,
}

#[test]
fn outbound_scenarios() {
    let mut count = 0;
    let mut failures = Vec::new();
    let mut rules_seen: BTreeSet<&'static str> = BTreeSet::new();
    for (path, table) in tables_in::<Case>("tests/fixtures/outbound") {
        let pack = validated(&path, &table);
        let compiled = accord::eval::compile(&pack);
        let file = path.file_name().map(|f| f.to_string_lossy().to_string());
        let file = file.unwrap_or_default();
        for case in &table.cases {
            count += 1;
            assert!(
                case.source.contains("learn.microsoft.com"),
                "{file}: `{}` must cite a Microsoft Learn page",
                case.name
            );
            assert!(
                OutboundRule::from_id(&case.rule).is_some(),
                "{file}: unknown rule `{}`",
                case.rule
            );
            let mut doc = serde_yaml::Mapping::new();
            doc.insert("outbound".into(), case.outbound.clone());
            let text = serde_yaml::to_string(&doc).expect("the request serializes");
            let req = OutboundRequest::parse(&text)
                .unwrap_or_else(|e| panic!("{file}: {}: {e}", case.name));
            let d = decide_outbound(&compiled, &req)
                .unwrap_or_else(|e| panic!("{file}: {}: {e}", case.name));
            rules_seen.insert(d.rule.id());
            let mut wrong = Vec::new();
            if d.verdict() != case.expect {
                wrong.push(format!("decision {} (want {})", d.verdict(), case.expect));
            }
            if d.rule.id() != case.rule {
                wrong.push(format!("rule {} (want {})", d.rule.id(), case.rule));
            }
            for words in &case.reason_contains {
                if !d.to_string().contains(words.as_str()) {
                    wrong.push(format!("trace lacks {words:?}"));
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
    assert!(count >= 15, "only {count} outbound scenarios");
    for r in OutboundRule::ALL {
        assert!(
            rules_seen.contains(r.id()),
            "no scenario decided by {}",
            r.id()
        );
    }
}

/// A tenant named in a request, as the imported pack knows it: by id (import names partner
/// tenants by their ids).
fn by_id(pack: &accord::model::Pack, value: &mut serde_yaml::Value) {
    if let Some(name) = value.as_str() {
        let id = pack
            .tenants
            .iter()
            .find(|t| t.name.value == name)
            .and_then(|t| t.id.as_ref());
        if let Some(id) = id {
            *value = serde_yaml::Value::String(id.value.clone());
        }
    }
}

/// Export then import gives back tenant restrictions and outbound settings that decide every
/// scenario the same way (evaluator equivalence), with nothing left as an extension.
#[test]
fn outbound_decisions_survive_export_and_import() {
    use accord::graph::{self, ExportOptions, ImportOptions};
    for (path, table) in tables_in::<Case>("tests/fixtures/outbound") {
        let before = validated(&path, &table);
        let export = graph::export(&before, &ExportOptions::default());
        assert!(
            export.diagnostics.iter().all(|d| !d.is_error()),
            "{:#?}",
            export.diagnostics
        );
        let default = export
            .files
            .iter()
            .find(|(p, _)| p.ends_with("default.json"))
            .map(|(_, v)| v)
            .expect("the default configuration is exported");
        assert_eq!(
            default["tenantRestrictions"]["usersAndGroups"]["accessType"],
            "blocked"
        );
        let inputs: Vec<graph::InputFile> = export
            .files
            .iter()
            .map(|(p, v)| graph::InputFile {
                path: p.into(),
                bytes: serde_json::to_vec(v).expect("serialise"),
            })
            .collect();
        let back = graph::import(&inputs, &ImportOptions::default());
        for xt in &back.pack.cross_tenant {
            assert!(
                xt.extensions.is_empty(),
                "kept as an extension: {:?}",
                xt.extensions
            );
        }
        let trv2 = back.pack.cross_tenant.iter();
        assert_eq!(
            trv2.filter(|x| x.tenant_restrictions.is_some()).count(),
            before
                .pack()
                .cross_tenant
                .iter()
                .filter(|x| x.tenant_restrictions.is_some())
                .count()
        );
        let after = accord::validate::validate(back.pack.clone())
            .validated
            .expect("the imported pack validates");
        let (c0, c1) = (
            accord::eval::compile(&before),
            accord::eval::compile(&after),
        );
        for case in &table.cases {
            let mut doc = serde_yaml::Mapping::new();
            doc.insert("outbound".into(), case.outbound.clone());
            let text = serde_yaml::to_string(&doc).expect("serialise");
            let r0 = OutboundRequest::parse(&text).expect("request");
            let mut moved = case.outbound.clone();
            if let Some(m) = moved.as_mapping_mut() {
                if let Some(t) = m.get_mut("tenant") {
                    by_id(before.pack(), t);
                }
                if let Some(a) = m.get_mut("account").and_then(|a| a.as_mapping_mut()) {
                    if let Some(t) = a.get_mut("tenant") {
                        by_id(before.pack(), t);
                    }
                }
            }
            let mut doc = serde_yaml::Mapping::new();
            doc.insert("outbound".into(), moved);
            let text = serde_yaml::to_string(&doc).expect("serialise");
            let r1 = OutboundRequest::parse(&text).expect("request");
            let d0 = decide_outbound(&c0, &r0).expect("decided before");
            let d1 = decide_outbound(&c1, &r1).expect("decided after");
            assert_eq!(
                (d0.verdict(), d0.rule),
                (d1.verdict(), d1.rule),
                "`{}` decides differently after the round trip:\n{d0}\n{d1}",
                case.name
            );
        }
    }
}

/// `accord whatif` answers `outbound:` requests on the shipped pack, in text and JSON, and
/// refuses an unknown tenant name with exit code 2.
#[test]
fn outbound_requests_are_answered_from_the_cli() {
    use super::directory::cli::whatif;
    let (code, text) = whatif(
        "outbound: { user: alice@contoso.com, groups: [Sales], tenant: fabrikam, app: sharepoint }\n",
        false,
    );
    assert_eq!(code, 0, "{text}");
    assert!(
        text.starts_with(
            "ALLOW: alice@contoso.com with their own account to fabrikam [outbound_b2b_collaboration]"
        ),
        "{text}"
    );
    assert!(
        text.contains("tenant restrictions: not applicable"),
        "{text}"
    );
    assert!(text.contains("not in this pack"), "{text}");
    let (code, json) = whatif(
        "outbound: { user: alice@contoso.com, tenant: adatum.com, app: sharepoint, enforcement: proxy, account: { tenant: adatum.com } }\n",
        true,
    );
    assert_eq!(code, 0, "{json}");
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["decision"], "block");
    assert_eq!(v["rule"], "tenant_restrictions");
    assert_eq!(v["gates"]["outbound_b2b"]["allows"], true);
    assert_eq!(v["gates"]["tenant_restrictions"]["allows"], false);
    let (code, out) = whatif(
        "outbound: { user: alice@contoso.com, tenant: fabrikm, app: sharepoint }\n",
        false,
    );
    assert_eq!(code, 2, "{out}");
    assert!(out.is_empty(), "an error is no answer: {out}");
}

/// `accord diff` lists outbound and tenant-restrictions settings that differ, and exits 1.
#[test]
fn diff_lists_outbound_and_tenant_restrictions_changes() {
    let dir = std::env::temp_dir().join(format!("accord-outbound-diff-{}", std::process::id()));
    let (old, new) = (dir.join("old"), dir.join("new"));
    for (p, xt) in [
        (&old, "cross_tenant default { tenant_restrictions = block }\ncross_tenant fabrikam { outbound b2b_collaboration = allow }\n"),
        (&new, "cross_tenant default { tenant_restrictions { users block all  apps block all } }\ncross_tenant fabrikam { outbound b2b_collaboration = allow  tenant_restrictions = allow }\n"),
    ] {
        std::fs::create_dir_all(p).expect("temp dir");
        let text = format!(
            "resource tenant contoso {{ domains = [\"contoso.com\"] }}\ntenant fabrikam {{ domains = [\"fabrikam.com\"] }}\n{xt}"
        );
        std::fs::write(p.join("pack.policy"), text).expect("write");
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["diff", "--color", "never"])
        .arg(&old)
        .arg(&new)
        .output()
        .expect("accord runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("1 outbound or tenant restrictions setting differs"),
        "{text}"
    );
    assert!(
        text.contains("- fabrikam tenant_restrictions: block (the default) → allow"),
        "{text}"
    );
    // The first line speaks of sign-ins (the analysed space), never "no change" above a list
    // of changes.
    assert!(!text.contains("no change"), "{text}");
    assert!(text.starts_with("no sign-in decided differently"), "{text}");
}

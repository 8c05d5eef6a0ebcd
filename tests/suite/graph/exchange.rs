//! Exchange Online objects: the readers on the real ScubaGear snapshot's values, `accord import`
//! of standalone `Get-... | ConvertTo-Json` files, and the export read back.

use std::path::PathBuf;

use accord::graph::import::exchange;
use accord::graph::{self, ExportOptions, ImportOptions};
use accord::model::exchange::{FreeBusyLevel, SharingAction};
use serde_json::Value;

use super::{crate_dir, reparse};

/// The ScubaGear sample report (CC0), as SOURCES.md in `../shared/tenant-exports` describes it.
fn scubagear() -> Value {
    let path = crate_dir().join(
        "../shared/tenant-exports/cisagov__ScubaGear/PowerShell/ScubaGear/Sample-Reports/ProviderSettingsExport.json",
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = String::from_utf8(bytes).expect("UTF-8");
    serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("JSON")
}

/// The files `accord export` wrote, as `accord import` reads them.
fn inputs_of(export: &graph::Export) -> Vec<graph::InputFile> {
    export
        .files
        .iter()
        .map(|(p, v)| graph::InputFile {
            path: PathBuf::from(p),
            bytes: serde_json::to_vec(v).expect("serialise"),
        })
        .collect()
}

#[test]
fn the_readers_take_scubagear_values() {
    let v = scubagear();
    let r = exchange::org_relationships(&v["org_relationships"]);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let summary: Vec<(String, Vec<String>, bool, Option<FreeBusyLevel>)> = r
        .items
        .iter()
        .map(|o| {
            (
                o.name.value.clone(),
                o.domains.iter().map(|d| d.value.clone()).collect(),
                o.free_busy.as_ref().is_some_and(|f| f.value),
                o.free_busy_level.as_ref().map(|l| l.value),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "example.net".into(),
                vec!["tqhjy.onmicrosoft.com".into()],
                true,
                Some(FreeBusyLevel::LimitedDetails)
            ),
            (
                "example".into(),
                vec!["vt02s.onmicrosoft.com".into()],
                false,
                Some(FreeBusyLevel::None)
            ),
            (
                "Test domain".into(),
                vec!["testdomain.onmicrosoft.com".into()],
                true,
                Some(FreeBusyLevel::AvailabilityOnly)
            ),
        ]
    );
    let p = exchange::sharing_policies(&v["sharing_policy"]);
    assert_eq!(p.items.len(), 1);
    let policy = &p.items[0];
    assert!(policy.is_default() && !policy.is_enabled());
    assert_eq!(
        policy.entries[0].domain.value,
        "vt02shelloworld.onmicrosoft.com"
    );
    assert_eq!(
        policy.entries[0].actions[0].value,
        SharingAction::FreeBusySimple
    );
    let i = exchange::inbound_connectors(&v["inbound_connectors"]);
    let c = &i.items[0];
    assert_eq!(c.name.value, "inbound connector test 1");
    assert_eq!(
        c.sender_domains[0].value, "test.domain.com",
        "`smtp:...;1` is the domain alone"
    );
    assert_eq!(c.require_tls.as_ref().map(|t| t.value), Some(true));
    assert_eq!(c.restrict_to_ips.as_ref().map(|t| t.value), Some(false));
    // ScubaGear writes `[null]` when the tenant has no outbound connector.
    let o = exchange::outbound_connectors(&v["outbound_connectors"]);
    assert!(o.items.is_empty() && o.problems.is_empty());
    let d = exchange::remote_domains(&v["remote_domains"]);
    assert_eq!(d.items[0].domain_name(), "*");
    assert_eq!(
        d.items[0].auto_forward.as_ref().map(|a| a.value),
        Some(false)
    );
    assert_eq!(d.items[0].auto_reply.as_ref().map(|a| a.value), Some(true));
}

/// The five arrays as standalone files (as `Get-... | ConvertTo-Json` writes them) import into a
/// pack that checks, reads back the same, and whose export imports back to the same objects.
#[test]
fn standalone_powershell_files_import_and_round_trip() {
    let v = scubagear();
    let inputs: Vec<graph::InputFile> = [
        "org_relationships",
        "sharing_policy",
        "inbound_connectors",
        "remote_domains",
    ]
    .iter()
    .map(|k| graph::InputFile {
        path: PathBuf::from(format!("{k}.json")),
        bytes: serde_json::to_vec_pretty(&v[*k]).expect("serialise"),
    })
    .collect();
    let import = graph::import(&inputs, &ImportOptions::default());
    let codes: Vec<&str> = import.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        codes,
        ["W3004"],
        "only the placeholder tenant: {:#?}",
        import.diagnostics
    );
    let x = &import.pack.sharing[0].exchange;
    assert_eq!(
        (
            x.relationships.len(),
            x.sharing_policies.len(),
            x.inbound_connectors.len(),
            x.remote_domains.len()
        ),
        (3, 1, 1, 1)
    );
    let loaded = reparse(&import);
    let text: String = accord::graph::files::pack_files(&import.pack, "")
        .iter()
        .filter(|f| f.name == "sharing.policy")
        .map(|f| f.text.clone())
        .collect();
    insta::assert_snapshot!("exchange_import_scubagear", text);
    let validated = accord::check(&loaded).validated.expect("checks");
    let export = graph::export(&validated, &ExportOptions::default());
    assert!(!export.has_errors(), "{:#?}", export.diagnostics);
    let paths: Vec<&str> = export.files.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "exchange/organization-relationships.json",
            "exchange/sharing-policies.json",
            "exchange/inbound-connectors.json",
            "exchange/remote-domains.json"
        ]
    );
    let back = graph::import(&inputs_of(&export), &ImportOptions::default());
    assert!(
        back.pack.sharing[0].exchange == import.pack.sharing[0].exchange,
        "the export reads back differently"
    );
}

/// Settings accord does not model (here `MailTipsAccessEnabled` and `TreatMessagesAsInternal`)
/// are kept as sharing extensions under `/exchange/<kind>/<Name>/<Setting>`, reported (W3034),
/// and written back into the same object by `accord export`; a setting left at its default is
/// neither kept nor reported.
#[test]
fn unmodelled_exchange_settings_are_kept_and_written_back() {
    let relationship = r#"[{"Name": "Fabrikam/EU", "DomainNames": ["fabrikam.com"], "Enabled": true,
        "FreeBusyAccessEnabled": true, "FreeBusyAccessLevel": "AvailabilityOnly",
        "MailTipsAccessEnabled": true, "ArchiveAccessEnabled": false}]"#;
    let connector = r#"{"Name": "From Fabrikam", "ConnectorType": "Partner", "Enabled": true,
        "SenderDomains": ["smtp:fabrikam.com;1"], "RequireTls": true,
        "TreatMessagesAsInternal": true}"#;
    let inputs = [
        graph::InputFile {
            path: PathBuf::from("relationships.json"),
            bytes: relationship.as_bytes().to_vec(),
        },
        graph::InputFile {
            path: PathBuf::from("connector.json"),
            bytes: connector.as_bytes().to_vec(),
        },
    ];
    let import = graph::import(&inputs, &ImportOptions::default());
    let w3034 = import
        .diagnostics
        .iter()
        .filter(|d| d.code == "W3034")
        .count();
    assert_eq!(w3034, 2, "{:#?}", import.diagnostics);
    let kept: Vec<(&str, &str)> = import.pack.sharing[0]
        .extensions
        .iter()
        .map(|e| (e.pointer.value.as_str(), e.json.value.as_str()))
        .collect();
    assert_eq!(
        kept,
        [
            (
                "/exchange/organization-relationships/Fabrikam~1EU/MailTipsAccessEnabled",
                "true"
            ),
            (
                "/exchange/inbound-connectors/From Fabrikam/TreatMessagesAsInternal",
                "true"
            ),
        ]
    );
    let loaded = reparse(&import);
    let validated = accord::check(&loaded).validated.expect("checks");
    let export = graph::export(&validated, &ExportOptions::default());
    assert!(!export.has_errors(), "{:#?}", export.diagnostics);
    let file = |name: &str| {
        export
            .files
            .iter()
            .find(|(p, _)| p == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("{name} not exported"))
    };
    let rel = file("exchange/organization-relationships.json");
    assert_eq!(rel[0]["Name"], "Fabrikam/EU");
    assert_eq!(rel[0]["MailTipsAccessEnabled"], true);
    assert!(rel[0].get("ArchiveAccessEnabled").is_none());
    let inbound = file("exchange/inbound-connectors.json");
    assert_eq!(inbound[0]["TreatMessagesAsInternal"], true);
}

/// `calendar "<domain>" = level` statements are entries of the default sharing policy: export
/// writes them into it (into the platform's default, written out, when the pack declares none),
/// and the exported policy decides every `share: calendar` request as the statements did. A
/// `none` statement has no entry that says it: warned about (W3026) and left out.
#[test]
fn calendar_statements_are_exported_into_the_default_sharing_policy() {
    let packs = [
        // No declared default: the platform's `*:CalendarSharingFreeBusySimple` comes along.
        r#"resource tenant contoso { domains = ["contoso.com"] }
sharing {
  calendar "fabrikam.com" = free_busy_detail
  calendar "litware.com" = reviewer
}"#,
        // A declared default: statements join it, the stricter wins on the same domain.
        r#"resource tenant contoso { domains = ["contoso.com"] }
sharing {
  calendar "fabrikam.com" = free_busy
  calendar "northwind.com" = free_busy_detail
  exchange sharing_policy "Default Sharing Policy" {
    default
    domain "*" = [free_busy_simple]
    domain "fabrikam.com" = [free_busy_reviewer]
    domain "tailspintoys.com" = [free_busy_detail]
  }
}"#,
    ];
    let domains = [
        "fabrikam.com",
        "litware.com",
        "northwind.com",
        "tailspintoys.com",
        "adatum.com",
    ];
    let levels = ["free_busy", "free_busy_detail", "reviewer"];
    for text in packs {
        let loaded = accord::load::load_texts([("pack.policy", text)]);
        let before = accord::check(&loaded).validated.expect("checks");
        let export = graph::export(&before, &ExportOptions::default());
        assert!(!export.has_errors(), "{:#?}", export.diagnostics);
        assert!(
            !export.diagnostics.iter().any(|d| d.code == "W3026"),
            "{:#?}",
            export.diagnostics
        );
        let back = graph::import(&inputs_of(&export), &ImportOptions::default());
        assert!(back.pack.sharing[0].calendar.is_empty());
        let after = accord::check(&reparse(&back)).validated.expect("checks");
        let mut compared = 0;
        for domain in domains {
            for level in levels {
                let req = accord::model::share::ShareRequest::parse(&format!(
                    "share: {{ service: calendar, with: someone@{domain}, level: {level}, via: sharing_policy }}"
                ))
                .expect("request");
                let a = accord::eval::sharing::decide_share(&before, &req);
                let b = accord::eval::sharing::decide_share(&after, &req);
                assert_eq!(
                    (a.decision, a.effective_level.map(|l| l.name())),
                    (b.decision, b.effective_level.map(|l| l.name())),
                    "{domain} {level}: {} / {}",
                    a.reason,
                    b.reason
                );
                compared += 1;
            }
        }
        assert_eq!(compared, 15);
    }
    // `none`: warned about, not written.
    let loaded = accord::load::load_texts([(
        "pack.policy",
        "resource tenant contoso { }\nsharing { calendar \"litware.com\" = none }",
    )]);
    let validated = accord::check(&loaded).validated.expect("checks");
    let export = graph::export(&validated, &ExportOptions::default());
    assert!(export
        .diagnostics
        .iter()
        .any(|d| d.code == "W3026" && d.message.contains("litware.com")));
}

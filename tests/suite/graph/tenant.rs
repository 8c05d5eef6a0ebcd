//! Whole-tenant import: ScubaGear's `ProviderSettingsExport.json` (the real one in
//! `../shared/tenant-exports/cisagov__ScubaGear/`) and the standalone PowerShell shapes of the
//! same settings, and export of them back in their services' shapes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{codes, crate_dir, export, import, import_json, reparse};
use accord::diagnostic::Severity;
use accord::graph::files::pack_files;
use accord::graph::{self, ExportFormat, Import, ImportOptions};
use accord::model::*;

fn snapshot_path() -> PathBuf {
    let path = crate_dir().join(
        "../shared/tenant-exports/cisagov__ScubaGear/PowerShell/ScubaGear/Sample-Reports/ProviderSettingsExport.json",
    );
    assert!(
        path.is_file(),
        "the ScubaGear snapshot is missing: {}",
        path.display()
    );
    path
}

fn scubagear() -> Import {
    import(&snapshot_path(), &ImportOptions::default())
}

/// The written pack with every `extension` entry replaced by a count per resource: the
/// snapshot reviews what accord models; the extensions are counted (and asserted) here.
fn reviewable(import: &Import) -> String {
    let mut out = String::new();
    for f in pack_files(&import.pack, "") {
        if !matches!(f.name.as_str(), "tenant.policy" | "sharing.policy") {
            out.push_str(&format!("== {} (a policy)\n", f.name));
            continue;
        }
        out.push_str(&format!("== {}\n", f.name));
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for line in f.text.lines() {
            let t = line.trim_start();
            if let Some(rest) = t.strip_prefix("\"/") {
                let resource = rest.split('/').next().unwrap_or("").to_string();
                *counts.entry(resource).or_default() += 1;
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
        for (resource, n) in counts {
            out.push_str(&format!("   ({n} extension entries under /{resource})\n"));
        }
    }
    out
}

#[test]
fn the_scubagear_snapshot_imports_as_one_pack() {
    let im = scubagear();
    let errors: Vec<_> = im
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.message.clone())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let pack = &im.pack;
    // The snapshot's seven Conditional Access policies, through the Graph policy importer.
    assert_eq!(pack.policies.len(), 7);
    // Our tenant: ScubaGear's `tenant_id` and the organization object agree; Teams' and
    // `tenant_details.TenantId` give another id (the sample is redacted): W3040 says so.
    let ours = pack.resource_tenant().expect("a resource tenant");
    assert_eq!(ours.name.value, "tqhjy");
    assert_eq!(
        ours.id.as_ref().map(|i| i.value.as_str()),
        Some("3c19c757-3b55-411f-b03f-2bcc514a598d")
    );
    assert_eq!(ours.domains.len(), 1);
    assert_eq!(ours.domains[0].value, "tqhjy.onmicrosoft.com");
    assert_eq!(pack.tenants.len(), 1);
    let c = codes(&im.diagnostics);
    assert!(c.contains(&"W3040") && c.contains(&"I3040"), "{c:?}");
    // SharePoint: `SharingCapability` 0 and `ODBSharingCapability` 0 (Disabled), the allow
    // list (`SharingDomainRestrictionMode` 1) with its two domains.
    let [sh] = pack.sharing.as_slice() else {
        panic!("one sharing block")
    };
    assert_eq!(
        sh.sharepoint.as_ref().map(|l| l.value),
        Some(SharingLevel::OnlyOrganization)
    );
    assert_eq!(
        sh.onedrive.as_ref().map(|l| l.value),
        Some(SharingLevel::OnlyOrganization)
    );
    let [domains] = sh.domains.as_slice() else {
        panic!("one SharePoint domain list")
    };
    assert_eq!(domains.access.value, Access::Allow);
    let listed: Vec<&str> = domains.domains.iter().map(|d| d.value.as_str()).collect();
    assert_eq!(listed, ["admirable.us", "good.org"]);
    // The authorization policy: `AllowInvitesFrom` adminsAndGuestInviters.
    assert_eq!(
        sh.invitations
            .as_ref()
            .and_then(|i| i.from.as_ref())
            .map(|f| f.value),
        Some(InviteFrom::AdminsAndGuestInviters)
    );
    // Teams federation: `AllowFederatedUsers` false, one allowed domain, consumers off.
    assert_eq!(
        sh.teams_external_enabled.as_ref().map(|b| b.value),
        Some(false)
    );
    let [teams] = sh.teams_external_domains.as_slice() else {
        panic!("one Teams domain list")
    };
    assert_eq!(teams.access.value, Access::Allow);
    assert_eq!(teams.domains[0].value, "domains.r.us");
    assert_eq!(sh.teams_consumer.as_ref().map(|b| b.value), Some(false));
    assert_eq!(
        sh.teams_consumer_inbound.as_ref().map(|b| b.value),
        Some(false)
    );
    // Eleven meeting policies; Global admits our people only, `Custom Policy 1` refuses
    // anonymous joins.
    assert_eq!(sh.teams_meetings.len(), 11);
    let global = sh
        .teams_meetings
        .iter()
        .find(|m| m.name.is_none())
        .expect("Global");
    assert_eq!(
        global.lobby_bypass.as_ref().map(|l| l.value),
        Some(LobbyBypass::EveryoneInCompanyExcludingGuests)
    );
    let custom = sh
        .teams_meetings
        .iter()
        .find(|m| m.policy_name() == "Custom Policy 1")
        .expect("Custom Policy 1");
    assert_eq!(custom.anonymous_join.as_ref().map(|b| b.value), Some(false));
    // `Group.Unified`: `AllowToAddGuests` True.
    assert_eq!(sh.groups_guest_access.as_ref().map(|b| b.value), Some(true));
    // The Exchange sections are read by the readers of the PowerShell shapes: the snapshot's
    // three organization relationships, its default sharing policy, inbound connector and
    // `Default` remote domain (its `outbound_connectors` is `[null]`: none).
    let x = &sh.exchange;
    let names = |v: Vec<&str>| v.join(", ");
    assert_eq!(
        names(
            x.relationships
                .iter()
                .map(|r| r.name.value.as_str())
                .collect()
        ),
        "example.net, example, Test domain"
    );
    assert_eq!(
        names(
            x.sharing_policies
                .iter()
                .map(|p| p.name.value.as_str())
                .collect()
        ),
        "Default Sharing Policy"
    );
    assert_eq!(x.inbound_connectors.len(), 1);
    assert!(x.outbound_connectors.is_empty());
    assert_eq!(
        names(
            x.remote_domains
                .iter()
                .map(|r| r.name.value.as_str())
                .collect()
        ),
        "Default"
    );
    // `transport_config` is not modelled: reported, like every other such section.
    assert!(im
        .diagnostics
        .iter()
        .any(|d| d.code == "W3009" && d.message.contains("transport_config")));
    assert!(im
        .diagnostics
        .iter()
        .any(|d| d.code == "W3009" && d.message.contains("`/privileged_users`")));
    // Nothing dropped silently: unmodelled properties are extensions, one W3002 each.
    let w3002 = c.iter().filter(|c| **c == "W3002").count();
    assert_eq!(w3002, sh.extensions.len());
    assert!(sh.extensions.iter().any(|e| e.pointer.value
        == "/spoTenant/preventExternalUsersFromResharing"
        || e.pointer.value.starts_with("/spoTenant/")));
    // The written pack passes `accord check` and reads back as the same pack.
    reparse(&im);
    insta::assert_snapshot!("tenant__scubagear_pack", reviewable(&im));
}

#[test]
fn the_snapshot_exports_in_its_services_shapes_and_reads_back() {
    let im = scubagear();
    let out = export(&im, ExportFormat::Graph);
    assert!(!out.has_errors(), "{:?}", out.diagnostics);
    let paths: Vec<&str> = out.files.iter().map(|(p, _)| p.as_str()).collect();
    for wanted in [
        "spoTenant.json",
        "teamsFederationConfiguration.json",
        "teamsMeetingPolicies/global.json",
        "groupUnifiedSetting.json",
        "authorizationPolicy.json",
    ] {
        assert!(paths.contains(&wanted), "{wanted} not in {paths:?}");
    }
    assert_eq!(
        paths
            .iter()
            .filter(|p| p.starts_with("teamsMeetingPolicies/"))
            .count(),
        11
    );
    let doc = |p: &str| &out.files.iter().find(|(q, _)| q == p).expect(p).1;
    let spo = doc("spoTenant.json");
    assert_eq!(spo["SharingCapability"], "Disabled");
    assert_eq!(spo["SharingDomainRestrictionMode"], "AllowList");
    assert_eq!(spo["SharingAllowedDomainList"], "admirable.us good.org");
    let fed = doc("teamsFederationConfiguration.json");
    assert_eq!(fed["AllowFederatedUsers"], false);
    assert_eq!(fed["AllowedDomains"]["AllowedDomain"][0], "domains.r.us");
    let global = doc("teamsMeetingPolicies/global.json");
    assert_eq!(global["Identity"], "Global");
    assert_eq!(
        global["AutoAdmittedUsers"],
        "EveryoneInCompanyExcludingGuests"
    );
    // Import of the export: the same sharing settings (meeting policies and extensions in
    // another order: files are read in path order, JSON members in key order).
    let back = graph::import(&super::inputs_of(&out), &ImportOptions::default());
    assert!(!accord::diagnostic::has_errors(&back.diagnostics));
    let sorted = |s: &Sharing| {
        let mut s = s.clone();
        s.teams_meetings
            .sort_by(|a, b| a.policy_name().cmp(b.policy_name()));
        s.extensions
            .sort_by(|a, b| a.pointer.value.cmp(&b.pointer.value));
        serde_json::to_value(s).expect("serialise")
    };
    assert_eq!(sorted(&im.pack.sharing[0]), sorted(&back.pack.sharing[0]));
}

#[test]
fn standalone_powershell_objects_import() {
    // `Get-CsTenantFederationConfiguration | ConvertTo-Json`: open federation but two blocked
    // domains.
    let fed = r#"{"Identity": "Global", "AllowedDomains": {}, "BlockedDomains": ["Domain=evil.com", "Domain=spam.org"],
        "AllowFederatedUsers": true, "AllowTeamsConsumer": true, "AllowTeamsConsumerInbound": false,
        "TreatDiscoveredPartnersAsUnverified": true, "SharedSipAddressSpace": false}"#;
    let im = import_json(fed, &ImportOptions::default());
    let sh = &im.pack.sharing[0];
    assert_eq!(
        sh.teams_external_enabled.as_ref().map(|b| b.value),
        Some(true)
    );
    assert_eq!(
        sh.teams_discovered_unverified.as_ref().map(|b| b.value),
        Some(true)
    );
    let [blocked] = sh.teams_external_domains.as_slice() else {
        panic!("one list: no allow list is open federation")
    };
    assert_eq!(blocked.access.value, Access::Block);
    assert_eq!(blocked.domains.len(), 2);
    assert_eq!(sh.extensions.len(), 1, "SharedSipAddressSpace is kept");
    // `Get-CsTeamsMeetingPolicy | ConvertTo-Json`: an array of policies.
    let meetings = r#"[{"Identity": "Global", "AutoAdmittedUsers": "EveryoneInCompany", "AllowAnonymousUsersToJoinMeeting": false},
        {"Identity": "Tag:Board", "AutoAdmittedUsers": "OrganizerOnly", "AllowPSTNUsersToBypassLobby": false},
        {"Identity": "Tag:Odd", "AutoAdmittedUsers": "Somebody"}]"#;
    let im = import_json(meetings, &ImportOptions::default());
    let sh = &im.pack.sharing[0];
    assert_eq!(sh.teams_meetings.len(), 3);
    assert_eq!(
        sh.teams_meetings[1].lobby_bypass.as_ref().map(|l| l.value),
        Some(LobbyBypass::OrganizerOnly)
    );
    // An unknown lobby value is kept, not guessed (W3007), and the policy has no lobby setting.
    assert!(sh.teams_meetings[2].lobby_bypass.is_none());
    assert!(codes(&im.diagnostics).contains(&"W3007"));
    // `Get-SPOTenant | ConvertTo-Json` (Windows PowerShell prints enums as integers).
    let spo = r#"{"SharingCapability": 1, "OneDriveSharingCapability": 3, "SharingDomainRestrictionMode": 2,
        "SharingBlockedDomainList": "gmail.com outlook.com", "ShowPeoplePickerSuggestionsForGuestUsers": true}"#;
    let im = import_json(spo, &ImportOptions::default());
    let sh = &im.pack.sharing[0];
    assert_eq!(
        sh.sharepoint.as_ref().map(|l| l.value),
        Some(SharingLevel::NewAndExistingGuests)
    );
    assert_eq!(
        sh.onedrive.as_ref().map(|l| l.value),
        Some(SharingLevel::ExistingGuests)
    );
    assert_eq!(sh.domains[0].access.value, Access::Block);
    assert_eq!(sh.domains[0].domains.len(), 2);
    reparse(&im);
}

#[test]
fn a_file_accord_cannot_place_is_a_clear_warning() {
    let im = import_json(
        r#"{"Identity": "Global", "AllowIPVideo": true}"#,
        &ImportOptions::default(),
    );
    assert_eq!(codes(&im.diagnostics), ["W3004", "W3003"]);
    assert!(im.diagnostics[1]
        .message
        .contains("not a Graph object accord imports"));
}

/// Graph `users`, `contacts`, `groups` and `servicePrincipals` lists fill the directory block
/// (README "Directory objects"); the pack written checks clean.
#[test]
fn graph_directory_lists_fill_the_directory_block() {
    let path = crate_dir().join("tests/fixtures/graph/directory/objects.json");
    let options = ImportOptions {
        tenant: Some("contoso.com".into()),
        ..ImportOptions::default()
    };
    let im = import(&path, &options);
    assert_eq!(codes(&im.diagnostics), ["I3042"]);
    let [dir] = im.pack.directory.as_slice() else {
        panic!("one directory block")
    };
    // A guest is named by its address; its `#EXT#` UPN is another name of it.
    let bob = &dir.users[0];
    assert_eq!(bob.name.value, "bob@fabrikam.com");
    assert_eq!(
        bob.upn.as_ref().map(|u| u.value.as_str()),
        Some("bob_fabrikam.com#EXT#@contoso.onmicrosoft.com")
    );
    assert_eq!(
        bob.user_type.as_ref().map(|t| t.value),
        Some(accord::model::request::UserType::Guest)
    );
    assert_eq!(
        bob.address_list.as_ref().map(|a| a.value),
        Some(AddressList::Hidden)
    );
    assert!(bob.mail_enabled.is_some());
    assert_eq!(bob.groups[0].value, "Partners");
    assert_eq!(dir.contacts[0].address.value, "carol@litware.com");
    let partners = &dir.groups[0];
    assert_eq!(partners.kind(), GroupKind::Microsoft365);
    assert_eq!(partners.guests.as_ref().map(|g| g.value), Some(false));
    assert_eq!(dir.groups[1].audience(), Some(Audience::AllUsers));
    let app = &dir.apps[0];
    assert!(app.assignment_required.is_some());
    assert_eq!(
        app.id.as_ref().map(|i| i.value.as_str()),
        Some("6c5f9d3e-2b1a-4c8d-9e7f-0a1b2c3d4e05")
    );
    assert_eq!(app.assigned[0].value, Assignee::Group("Partners".into()));
    reparse(&im);
    // The same user twice (a list and a single GET) is one object; two groups with one name
    // cannot both be named in the pack (W3042).
    let twice = r#"[{"id": "x1", "displayName": "Dup", "groupTypes": []},
                    {"id": "x2", "displayName": "Dup", "groupTypes": []}]"#;
    let im = import_json(twice, &options);
    assert_eq!(codes(&im.diagnostics), ["W3042", "I3042"]);
    assert_eq!(im.pack.directory[0].groups.len(), 1);
}

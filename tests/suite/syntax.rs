//! The parser, construct by construct: what each piece of text becomes in the model.

use accord::model::catalog::{BuiltInStrength, FirstPartyApp};
use accord::model::*;
use accord::source::FileId;
use accord::syntax::parse_file;

/// Parses text that must be free of problems.
fn parse(text: &str) -> Pack {
    let parsed = parse_file(FileId(0), text);
    assert!(parsed.parsed, "{:#?}", parsed.diagnostics);
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    parsed.pack
}

fn policy(body: &str) -> Policy {
    let mut pack = parse(&format!("policy \"p\" {{ {body} }}"));
    pack.policies.remove(0)
}

#[test]
fn tenants_and_the_resource_tenant() {
    let pack = parse(
        "resource tenant contoso { id = \"2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01\" domains = [\"contoso.com\", \"contoso.onmicrosoft.com\"] }\n\
         tenant \"Fabrikam Ltd\" { domains = [\"fabrikam.com\",] }",
    );
    assert_eq!(pack.tenants.len(), 2);
    let contoso = &pack.tenants[0];
    assert!(contoso.resource);
    assert_eq!(contoso.name.value, "contoso");
    assert_eq!(
        contoso.id.as_ref().map(|i| i.value.as_str()),
        Some("2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01")
    );
    assert_eq!(contoso.domains.len(), 2);
    let fabrikam = &pack.tenants[1];
    assert!(!fabrikam.resource);
    assert_eq!(fabrikam.name.value, "Fabrikam Ltd");
    assert_eq!(fabrikam.id, None);
    assert_eq!(
        pack.resource_tenant().map(|t| t.name.value.as_str()),
        Some("contoso")
    );
}

#[test]
fn organization_members() {
    let pack = parse("organization \"Contoso Group\" { contoso owner active  fabrikam member pending  litware member removed }");
    let org = &pack.organizations[0];
    assert_eq!(org.name.value, "Contoso Group");
    let members: Vec<(&str, OrgRole, MemberState)> = org
        .members
        .iter()
        .map(|m| (m.tenant.value.as_str(), m.role.value, m.state.value))
        .collect();
    assert_eq!(
        members,
        vec![
            ("contoso", OrgRole::Owner, MemberState::Active),
            ("fabrikam", OrgRole::Member, MemberState::Pending),
            ("litware", OrgRole::Member, MemberState::Removed),
        ]
    );
}

#[test]
fn named_locations() {
    let pack = parse(
        "location hq { ip = [\"203.0.113.0/24\", \"2001:db8:10::/48\"] trusted }\n\
         location embargo { countries = [\"KP\", \"IR\"] unknown_countries lookup = gps }",
    );
    let hq = &pack.locations[0];
    assert!(hq.is_trusted());
    match &hq.kind {
        LocationKind::Ip { ranges } => assert_eq!(ranges[1].value, "2001:db8:10::/48"),
        other => panic!("{other:?}"),
    }
    let embargo = &pack.locations[1];
    assert!(!embargo.is_trusted());
    match &embargo.kind {
        LocationKind::Countries {
            codes,
            include_unknown,
            lookup,
        } => {
            let codes: Vec<&str> = codes.iter().map(|c| c.value.as_str()).collect();
            assert_eq!(codes, vec!["KP", "IR"]);
            assert!(*include_unknown);
            assert_eq!(*lookup, CountryLookup::Gps);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn cross_tenant_short_and_full_forms() {
    let pack = parse(
        "cross_tenant default { inbound b2b_collaboration = allow  inbound b2b_direct_connect = block  trust none }\n\
         cross_tenant fabrikam { outbound b2b_collaboration = allow  trust mfa, hybrid_joined  automatic_consent inbound, outbound }\n\
         cross_tenant litware { inbound b2b_collaboration { users allow group \"Team\", user \"a@litware.com\"  apps block power_bi, app \"0000000a-0000-0000-c000-000000000000\" } }\n\
         cross_tenant northwind { service_provider }",
    );
    let default = &pack.cross_tenant[0];
    assert_eq!(default.target, CrossTenantTarget::Default);
    let collab = default
        .rule(Direction::Inbound, B2bKind::B2bCollaboration)
        .expect("inbound collaboration");
    assert_eq!(
        collab.setting.short.as_ref().map(|a| a.value),
        Some(Access::Allow)
    );
    let direct = default
        .rule(Direction::Inbound, B2bKind::B2bDirectConnect)
        .expect("inbound direct connect");
    assert_eq!(
        direct.setting.short.as_ref().map(|a| a.value),
        Some(Access::Block)
    );
    let trust = default.trust.as_ref().expect("trust");
    assert!(!trust.mfa && !trust.compliant_device && !trust.hybrid_joined);

    let fabrikam = &pack.cross_tenant[1];
    assert_eq!(fabrikam.tenant_name(), Some("fabrikam"));
    assert!(fabrikam
        .rule(Direction::Outbound, B2bKind::B2bCollaboration)
        .is_some());
    let trust = fabrikam.trust.as_ref().expect("trust");
    assert!(trust.mfa && !trust.compliant_device && trust.hybrid_joined);
    let consent = fabrikam.auto_consent.as_ref().expect("consent");
    assert!(consent.inbound && consent.outbound);

    let litware = &pack.cross_tenant[2];
    let setting = &litware.rules[0].setting;
    assert_eq!(setting.short, None);
    let users = setting.users.as_ref().expect("users");
    assert_eq!(users.access.value, Access::Allow);
    let targets: Vec<&XtUserTarget> = users.targets.iter().map(|t| &t.value).collect();
    assert_eq!(
        targets,
        vec![
            &XtUserTarget::Group("Team".into()),
            &XtUserTarget::User("a@litware.com".into())
        ]
    );
    let apps = setting.apps.as_ref().expect("apps");
    assert_eq!(apps.access.value, Access::Block);
    assert_eq!(
        apps.targets[0].value,
        AppTarget::Named(FirstPartyApp::PowerBi)
    );
    assert_eq!(
        apps.targets[1].value,
        AppTarget::App("0000000a-0000-0000-c000-000000000000".into())
    );
    assert!(pack.cross_tenant[3].service_provider.is_some());
}

#[test]
fn user_targets() {
    let p = policy(
        "users { include all, external(b2b_guest, direct_connect) from organization  \
         include external(all) from tenants(fabrikam, \"Lit Ware\")  \
         exclude guests_or_external, user \"bg@contoso.com\", group \"Emergency access\", role global_administrator, role \"62e90394-69f5-4237-9190-012177145e10\", external(b2b_member) from outside_organization, none }",
    );
    let include: Vec<&UserTarget> = p.users.include.iter().map(|t| &t.value).collect();
    assert_eq!(include[0], &UserTarget::All);
    match include[1] {
        UserTarget::External { types, origin } => {
            let types: Vec<ExternalType> = types.iter().map(|t| t.value).collect();
            assert_eq!(
                types,
                vec![ExternalType::B2bGuest, ExternalType::DirectConnect]
            );
            assert_eq!(origin.value, Origin::Organization);
        }
        other => panic!("{other:?}"),
    }
    match include[2] {
        UserTarget::External { types, origin } => {
            assert!(types.is_empty(), "external(all) is every type");
            match &origin.value {
                Origin::Tenants(names) => {
                    let names: Vec<&str> = names.iter().map(|n| n.value.as_str()).collect();
                    assert_eq!(names, vec!["fabrikam", "Lit Ware"]);
                }
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    }
    let exclude: Vec<&UserTarget> = p.users.exclude.iter().map(|t| &t.value).collect();
    assert_eq!(exclude[0], &UserTarget::GuestsOrExternal);
    assert_eq!(exclude[1], &UserTarget::User("bg@contoso.com".into()));
    assert_eq!(exclude[2], &UserTarget::Group("Emergency access".into()));
    assert_eq!(exclude[3], &UserTarget::Role("global_administrator".into()));
    assert_eq!(
        exclude[4],
        &UserTarget::Role("62e90394-69f5-4237-9190-012177145e10".into())
    );
    assert!(matches!(
        exclude[5],
        UserTarget::External { origin, .. } if origin.value == Origin::OutsideOrganization
    ));
    assert_eq!(exclude[6], &UserTarget::None);
}

#[test]
fn external_without_from_means_any() {
    let p = policy("users { include external(b2b_guest) }");
    assert!(matches!(
        &p.users.include[0].value,
        UserTarget::External { origin, .. } if origin.value == Origin::Any
    ));
}

#[test]
fn app_targets() {
    let p = policy(
        "apps { include all, office365, admin_portals, exchange, sharepoint, teams, power_bi, viva_engage, azure_management, graph, none  \
         include app \"00000003-0000-0000-c000-000000000000\", action register_security_info, action register_device, auth_context \"c1\" }",
    );
    let include: Vec<&AppTarget> = p.apps.include.iter().map(|t| &t.value).collect();
    assert_eq!(include[0], &AppTarget::All);
    assert_eq!(include[1], &AppTarget::Office365);
    assert_eq!(include[2], &AppTarget::AdminPortals);
    let named: Vec<FirstPartyApp> = include
        .iter()
        .filter_map(|t| match t {
            AppTarget::Named(a) => Some(*a),
            _ => None,
        })
        .collect();
    // The seven written above, which are the catalog's first seven.
    assert_eq!(named, FirstPartyApp::ALL[..7].to_vec());
    assert_eq!(include[10], &AppTarget::None);
    assert_eq!(
        include[11],
        &AppTarget::App("00000003-0000-0000-c000-000000000000".into())
    );
    assert_eq!(
        include[12],
        &AppTarget::Action(UserAction::RegisterSecurityInfo)
    );
    assert_eq!(include[13], &AppTarget::Action(UserAction::RegisterDevice));
    assert_eq!(include[14], &AppTarget::AuthContext("c1".into()));
}

#[test]
fn conditions() {
    let p = policy(
        "conditions { platforms = include(all) exclude(ios, windows_phone)  \
         locations = include(all) exclude(all_trusted, mfa_trusted_ips, hq, \"Branch office\")  \
         client_apps = [browser, mobile_desktop, exchange_active_sync, other]  \
         sign_in_risk = [low, medium]  user_risk = [high]  \
         devices = exclude 'device.extensionAttribute1 -eq \"SAW\"'  \
         auth_flows = [device_code, auth_transfer] }",
    );
    let c = &p.conditions;
    let platforms = c.platforms.as_ref().expect("platforms");
    assert_eq!(platforms.include[0].value, Platform::All);
    let excluded: Vec<Platform> = platforms.exclude.iter().map(|x| x.value).collect();
    assert_eq!(excluded, vec![Platform::Ios, Platform::WindowsPhone]);
    let locations = c.locations.as_ref().expect("locations");
    assert_eq!(locations.include[0].value, LocationRef::All);
    let excluded: Vec<&LocationRef> = locations.exclude.iter().map(|x| &x.value).collect();
    assert_eq!(
        excluded,
        vec![
            &LocationRef::AllTrusted,
            &LocationRef::MfaTrustedIps,
            &LocationRef::Named("hq".into()),
            &LocationRef::Named("Branch office".into())
        ]
    );
    let clients: Vec<ClientApp> = c
        .client_apps
        .as_ref()
        .expect("clients")
        .iter()
        .map(|x| x.value)
        .collect();
    assert_eq!(clients, ClientApp::ALL.to_vec());
    let sign_in: Vec<RiskLevel> = c
        .sign_in_risk
        .as_ref()
        .expect("risk")
        .iter()
        .map(|x| x.value)
        .collect();
    assert_eq!(sign_in, vec![RiskLevel::Low, RiskLevel::Medium]);
    let user: Vec<RiskLevel> = c
        .user_risk
        .as_ref()
        .expect("risk")
        .iter()
        .map(|x| x.value)
        .collect();
    assert_eq!(user, vec![RiskLevel::High]);
    let devices = c.devices.as_ref().expect("devices");
    assert_eq!(devices.mode.value, FilterMode::Exclude);
    assert_eq!(devices.rule.value, "device.extensionAttribute1 -eq \"SAW\"");
    assert!(
        devices.filter.is_some(),
        "the rule is parsed by the device-filter grammar"
    );
    let flows: Vec<AuthFlow> = c
        .auth_flows
        .as_ref()
        .expect("flows")
        .iter()
        .map(|x| x.value)
        .collect();
    assert_eq!(flows, vec![AuthFlow::DeviceCode, AuthFlow::AuthTransfer]);
}

#[test]
fn grants() {
    let single = policy("grant mfa").grant.expect("grant");
    assert_eq!(single.op.value, GrantOp::Single);
    assert_eq!(single.controls[0].value, Control::Mfa);
    let all = policy("grant all(compliant_device, hybrid_joined, terms_of_use \"Partner terms\", auth_strength phishing_resistant, auth_strength \"custom-id\", custom \"ctl\")")
        .grant
        .expect("grant");
    assert_eq!(all.op.value, GrantOp::All);
    let controls: Vec<&Control> = all.controls.iter().map(|c| &c.value).collect();
    assert_eq!(
        controls,
        vec![
            &Control::CompliantDevice,
            &Control::HybridJoined,
            &Control::TermsOfUse("Partner terms".into()),
            &Control::AuthStrength(AuthStrength::BuiltIn(BuiltInStrength::PhishingResistant)),
            &Control::AuthStrength(AuthStrength::Custom("custom-id".into())),
            &Control::Custom("ctl".into()),
        ]
    );
    let any = policy("grant any(approved_app, app_protection, password_change)")
        .grant
        .expect("grant");
    assert_eq!(any.op.value, GrantOp::Any);
    assert_eq!(any.controls[2].value, Control::PasswordChange);
    assert!(policy("grant block").grant.expect("grant").is_block());
}

#[test]
fn sessions_and_states() {
    let p = policy(
        "state = report_only  session { sign_in_frequency = 8h  persistent_browser = never  app_enforced_restrictions  \
         continuous_access_evaluation = strict  cloud_app_security = block_downloads  disable_resilience_defaults }",
    );
    assert_eq!(p.state.value, PolicyState::ReportOnly);
    assert!(p.state_written);
    let s = p.session.expect("session");
    assert_eq!(
        s.sign_in_frequency.map(|f| f.value),
        Some(SignInFrequency::Every {
            value: 8,
            unit: FrequencyUnit::Hours
        })
    );
    assert_eq!(
        s.persistent_browser.map(|x| x.value),
        Some(PersistentBrowser::Never)
    );
    assert!(s.app_enforced_restrictions.is_some());
    assert_eq!(
        s.continuous_access_evaluation.map(|x| x.value),
        Some(ContinuousAccessEvaluation::Strict)
    );
    assert_eq!(
        s.cloud_app_security.map(|x| x.value),
        Some(CloudAppSecurity::BlockDownloads)
    );
    assert!(s.disable_resilience_defaults.is_some());

    let every = policy("session { sign_in_frequency = every_time }")
        .session
        .expect("session");
    assert_eq!(
        every.sign_in_frequency.map(|f| f.value),
        Some(SignInFrequency::EveryTime)
    );
    let days = policy("session { sign_in_frequency = 7d }")
        .session
        .expect("session");
    assert_eq!(days.sign_in_frequency.map(|f| f.value.hours()), Some(168));
    let default_state = policy("grant mfa");
    assert_eq!(default_state.state.value, PolicyState::On);
    assert!(!default_state.state_written);
}

#[test]
fn extensions_keep_json() {
    let p = policy("extension { \"/conditions/insiderRiskLevels\" = \"elevated\"  \"/sessionControls/x\" = { \"a\": [1, true, null] } }");
    let ext: Vec<(&str, &str)> = p
        .extensions
        .iter()
        .map(|e| (e.pointer.value.as_str(), e.json.value.as_str()))
        .collect();
    assert_eq!(
        ext,
        vec![
            ("/conditions/insiderRiskLevels", "\"elevated\""),
            ("/sessionControls/x", "{\"a\":[1,true,null]}")
        ]
    );
}

#[test]
fn sharing_statements() {
    let pack = parse(
        "sharing {\n\
           sharepoint = new_and_existing_guests\n\
           onedrive = existing_guests\n\
           site \"https://contoso.sharepoint.com/sites/finance\" = only_organization\n\
           site \"https://contoso.sharepoint.com/sites/partners\" { level = existing_guests  domains allow [\"fabrikam.com\"] }\n\
           domains allow [\"fabrikam.com\", \"litware.com\"]\n\
           invitations { from = admins_and_guest_inviters  domains block [\"gmail.com\"] }\n\
           teams guest_access = on\n\
           teams external_access = off\n\
           teams external_access allow [\"fabrikam.com\"]\n\
           groups guest_access = off\n\
           calendar \"fabrikam.com\" = free_busy_detail\n\
           calendar \"*\" = none\n\
           power_bi guest_access = off\n\
           viva_engage external_networks = on\n\
         }",
    );
    let s = &pack.sharing[0];
    assert_eq!(
        s.sharepoint.as_ref().map(|l| l.value),
        Some(SharingLevel::NewAndExistingGuests)
    );
    assert_eq!(
        s.onedrive.as_ref().map(|l| l.value),
        Some(SharingLevel::ExistingGuests)
    );
    assert_eq!(s.sites.len(), 2);
    assert_eq!(s.sites[0].level.value, SharingLevel::OnlyOrganization);
    assert_eq!(s.sites[1].level.value, SharingLevel::ExistingGuests);
    assert_eq!(s.sites[1].domains[0].domains[0].value, "fabrikam.com");
    assert_eq!(s.domains[0].access.value, Access::Allow);
    assert_eq!(s.domains[0].domains.len(), 2);
    let inv = s.invitations.as_ref().expect("invitations");
    assert_eq!(
        inv.from.as_ref().map(|f| f.value),
        Some(InviteFrom::AdminsAndGuestInviters)
    );
    assert_eq!(inv.domains[0].access.value, Access::Block);
    assert_eq!(s.teams_guest_access.as_ref().map(|b| b.value), Some(true));
    assert_eq!(
        s.teams_external_enabled.as_ref().map(|b| b.value),
        Some(false)
    );
    assert_eq!(s.teams_external_domains[0].domains[0].value, "fabrikam.com");
    assert_eq!(s.groups_guest_access.as_ref().map(|b| b.value), Some(false));
    let calendar: Vec<(&str, CalendarLevel)> = s
        .calendar
        .iter()
        .map(|c| (c.domain.value.as_str(), c.level.value))
        .collect();
    assert_eq!(
        calendar,
        vec![
            ("fabrikam.com", CalendarLevel::FreeBusyDetail),
            ("*", CalendarLevel::None)
        ]
    );
    assert_eq!(
        s.power_bi_guest_access.as_ref().map(|b| b.value),
        Some(false)
    );
    assert_eq!(
        s.viva_engage_external_networks.as_ref().map(|b| b.value),
        Some(true)
    );
}

#[test]
fn every_span_points_at_its_text() {
    let text = "policy \"Guests\" {\n  users { include guests_or_external }\n  grant mfa\n}\n";
    let pack = parse(text);
    let p = &pack.policies[0];
    assert_eq!(&text[p.name.span.range()], "\"Guests\"");
    assert_eq!(&text[p.users.include[0].span.range()], "guests_or_external");
    let grant = p.grant.as_ref().expect("grant");
    assert_eq!(&text[grant.controls[0].span.range()], "mfa");
    assert_eq!(&text[p.span.range()], text.trim_end());
}

#[test]
fn the_issue_example_pack_parses_whole() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let loaded = accord::load::load_pack(&root.join("policies/contoso-group")).expect("loads");
    let pack = &loaded.pack;
    assert_eq!(pack.tenants.len(), 5);
    assert_eq!(pack.organizations[0].members.len(), 3);
    assert_eq!(pack.locations.len(), 2);
    assert_eq!(pack.cross_tenant.len(), 4);
    assert!(pack.policies.len() >= 5);
    assert_eq!(pack.sharing.len(), 1);
    let validation = accord::check(&loaded);
    assert!(
        validation.diagnostics.is_empty(),
        "{:#?}",
        validation.diagnostics
    );
}

//! `accord import` / `accord export` against the public corpus in `../shared/corpus` and the
//! fixtures in `tests/fixtures/graph/`.
//!
//! `equivalence` decides generated requests on each imported policy set and on the pack
//! re-imported from its export.

use std::path::{Path, PathBuf};

use accord::diagnostic::{Diagnostic, Severity};
use accord::graph::files::{pack_files, render_pack_file};
use accord::graph::names::NameMap;
use accord::graph::normalize::{differences, normalize, Resource};
use accord::graph::{self, ExportFormat, ExportOptions, Import, ImportOptions};
use accord::model::*;
use serde_json::Value;

mod equivalence;
mod exchange;
mod strengths;
mod tenant;
mod unknown_values;
mod workloads;

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The corpus sits beside the repository (CI checks out `shared/` next to it). Missing is a
/// failure, never a skip.
fn corpus() -> PathBuf {
    let path = crate_dir().join("../shared/corpus");
    assert!(
        path.join("SOURCES.md").is_file(),
        "the Graph corpus is missing: expected {} (check out `shared/` beside the repository)",
        path.display()
    );
    path
}

fn fixtures() -> PathBuf {
    crate_dir().join("tests/fixtures/graph")
}

/// The corpus source folders (`<owner>__<repo>`), sorted.
fn sources() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus())
        .expect("read the corpus")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 5, "the corpus has five source folders");
    dirs
}

fn import(path: &Path, options: &ImportOptions) -> Import {
    let inputs = graph::read_inputs(&[path.to_path_buf()]).expect("read the inputs");
    graph::import(&inputs, options)
}

fn lenient() -> ImportOptions {
    ImportOptions {
        lenient: true,
        ..ImportOptions::default()
    }
}

/// One line per diagnostic: severity, code, file (relative to the corpus or fixtures),
/// line:column and message.
fn listing(import: &Import) -> String {
    let prefixes = [
        corpus().display().to_string(),
        fixtures().display().to_string(),
    ];
    let mut out = String::new();
    for d in &import.diagnostics {
        let place = d
            .span
            .and_then(|s| accord::render::position(&import.sources, s))
            .map(|p| {
                let mut file = p.file.clone();
                for prefix in &prefixes {
                    if let Some(rest) = file.strip_prefix(prefix.as_str()) {
                        file = rest.trim_start_matches('/').to_string();
                    }
                }
                format!("{file}:{}:{}", p.line, p.column)
            })
            .unwrap_or_else(|| "-".to_string());
        out.push_str(&format!(
            "{} {} {place} {}\n",
            d.severity, d.code, d.message
        ));
    }
    out.push_str(&import.summary());
    out.push('\n');
    out
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&str> {
    diagnostics.iter().map(|d| d.code.as_str()).collect()
}

/// The pack as written by `accord import`, read back: it must check clean and be the same pack.
fn reparse(import: &Import) -> accord::load::Loaded {
    let files = pack_files(&import.pack, "");
    let loaded = accord::load::load_texts(files.iter().map(|f| (f.name.as_str(), f.text.as_str())));
    let validation = accord::check(&loaded);
    assert!(
        !accord::diagnostic::has_errors(&validation.diagnostics),
        "the imported pack does not check:\n{}",
        accord::render::human::render(&loaded.sources, &validation.diagnostics, Default::default())
    );
    // Flags such as `trusted` are `Option<Span>` in the model: compare them as flags.
    let written = unspan(serde_json::to_value(&import.pack).expect("serialise"));
    let read = unspan(serde_json::to_value(&loaded.pack).expect("serialise"));
    assert!(
        written == read,
        "the written pack reads back differently: {:#?}",
        differences(&written, &read)
    );
    loaded
}

/// Replaces serialized spans (`{"file", "start", "end"}`) by `true`.
fn unspan(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            if map.len() == 3
                && ["file", "start", "end"]
                    .iter()
                    .all(|k| map.contains_key(*k))
            {
                return Value::Bool(true);
            }
            Value::Object(map.into_iter().map(|(k, v)| (k, unspan(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(unspan).collect()),
        other => other,
    }
}

fn export(import: &Import, format: ExportFormat) -> graph::Export {
    let validation = accord::validate::validate(import.pack.clone());
    let validated = validation.validated.expect("the imported pack validates");
    let export = graph::export(
        &validated,
        &ExportOptions {
            format,
            names: import.names.clone(),
        },
    );
    let errors: Vec<&Diagnostic> = export.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "export failed: {errors:#?}");
    export
}

fn documents<'a>(export: &'a graph::Export, dir: &str) -> Vec<&'a Value> {
    export
        .files
        .iter()
        .filter(|(p, _)| p.starts_with(dir))
        .map(|(_, v)| v)
        .collect()
}

/// `normalize(input) == normalize(export(import(input)))` for every policy and location.
fn assert_round_trip(import: &Import, export: &graph::Export) -> usize {
    let mut failures = Vec::new();
    let pairs = [
        (
            &import.policy_origins,
            documents(export, "policies/"),
            Resource::Policy,
        ),
        (
            &import.location_origins,
            documents(export, "namedLocations/"),
            Resource::NamedLocation,
        ),
    ];
    let mut checked = 0;
    for (origins, exported, resource) in pairs {
        assert_eq!(origins.len(), exported.len());
        for (origin, out) in origins.iter().zip(exported) {
            let a = normalize(&origin.json, resource);
            let b = normalize(out, resource);
            if a != b {
                let file = import
                    .sources
                    .get(origin.file)
                    .map(|f| f.name.clone())
                    .unwrap_or_default();
                failures.push(format!(
                    "{file}{}: {:#?}",
                    origin.pointer,
                    differences(&a, &b)
                ));
            }
            checked += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "round trip differs:\n{}",
        failures.join("\n")
    );
    checked
}

// ---- (a) every corpus file imports -----------------------------------------------------------

#[test]
fn every_corpus_file_imports_and_the_pack_checks() {
    let mut files = 0;
    for source in sources() {
        let strict = import(&source, &ImportOptions::default());
        files += strict.sources.files().count();
        // Only Microsoft's two samples with a trailing comma fail, with file, line and column.
        for d in strict.diagnostics.iter().filter(|d| d.is_error()) {
            let p = d
                .span
                .and_then(|s| accord::render::position(&strict.sources, s))
                .expect("an invalid-JSON error has a position");
            assert_eq!(d.code, "E3001", "{}: {}", p.file, d.message);
            assert!(p.file.contains("INVALID-trailing-comma"), "{}", p.file);
        }
        let lenient = import(&source, &lenient());
        assert!(
            !accord::diagnostic::has_errors(&lenient.diagnostics),
            "{}:\n{}",
            source.display(),
            listing(&lenient)
        );
        reparse(&lenient);
    }
    assert_eq!(files, 315, "every corpus JSON file was read");
}

#[test]
fn invalid_json_names_file_line_and_column() {
    let dir = corpus().join("microsoftgraph__microsoft-graph-docs-contrib/_extracted");
    let cases = [
        (
            dir.join("crossTenantAccessPolicy/default.get.v1.INVALID-trailing-comma.json"),
            (7, 49),
        ),
        (
            dir.join("signIns/signin-get.v1.INVALID-trailing-comma.json"),
            (63, 18),
        ),
    ];
    for (path, (line, column)) in cases {
        let strict = import(&path, &ImportOptions::default());
        let errors: Vec<&Diagnostic> = strict.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 1, "{}", listing(&strict));
        assert_eq!(
            errors[0].message,
            "invalid JSON: trailing commas are not allowed"
        );
        let p = accord::render::position(&strict.sources, errors[0].span.expect("a span"))
            .expect("a position");
        assert_eq!((p.line, p.column), (line, column), "{}", path.display());
        assert!(strict.pack.policies.is_empty() && strict.pack.cross_tenant.is_empty());

        let lenient = import(&path, &lenient());
        assert!(!accord::diagnostic::has_errors(&lenient.diagnostics));
        assert!(codes(&lenient.diagnostics).contains(&"W3001"));
    }
}

// ---- (b) round trip ----------------------------------------------------------------------------

#[test]
fn corpus_round_trips_through_export() {
    let mut checked = 0;
    for source in sources() {
        let import = import(&source, &lenient());
        let export = export(&import, ExportFormat::Graph);
        checked += assert_round_trip(&import, &export);
    }
    // 262 policies and 2 named locations (the third is a compliant-network location, skipped).
    assert_eq!(checked, 264);
}

#[test]
fn powershell_export_reads_back_as_the_graph_export() {
    let source = corpus().join("j0eyv__ConditionalAccessBaseline");
    let import = import(&source, &lenient());
    let graph = export(&import, ExportFormat::Graph);
    let powershell = export(&import, ExportFormat::GraphPowershell);
    assert_eq!(graph.files.len(), powershell.files.len());
    for ((path, g), (_, p)) in graph.files.iter().zip(&powershell.files) {
        let text = serde_json::to_string_pretty(p).expect("serialise");
        assert!(text.contains("\"DisplayName\"") || !path.starts_with("policies/"));
        let back = accord::graph::decode::parse(accord::source::FileId(0), &text, false)
            .expect("PowerShell-shaped JSON parses");
        assert_eq!(
            normalize(&back.value, Resource::Policy),
            normalize(g, Resource::Policy),
            "{path}"
        );
    }
}

// ---- (c) snapshots -------------------------------------------------------------------------------

#[test]
fn import_summaries_per_source_folder() {
    for source in sources() {
        let name = source
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let import = import(&source, &lenient());
        // Hard facts first, so a careless snapshot accept cannot bless a regression.
        let warnings = import.count(Severity::Warning);
        let expected = match name.as_str() {
            "AlexFilipin__ConditionalAccess" => (214, 0),
            "Azure-Samples__azure-ad-conditional-access-apis" => (6, 0),
            "Fortigi__ConditionalAccess" => (4, 0),
            "j0eyv__ConditionalAccessBaseline" => (36, 2),
            "microsoftgraph__microsoft-graph-docs-contrib" => (2, 0),
            other => panic!("unexpected corpus folder {other}"),
        };
        assert_eq!(
            (import.pack.policies.len(), import.pack.locations.len()),
            expected,
            "{name}"
        );
        assert!(warnings > 0, "{name}");
        insta::assert_snapshot!(format!("import_summary__{name}"), listing(&import));
    }
}

/// A dozen corpus policies that between them use every construct the importer maps.
const SNAPSHOT_POLICIES: &[(&str, &str)] = &[
    // named location exclusion, groups resolved through Config/Groups
    ("j0eyv__ConditionalAccessBaseline", "CA001-Global-AttackSurfaceReduction-AnyApp-AnyPlatform-BLOCK-CountryWhitelist"),
    // authentication flows
    ("j0eyv__ConditionalAccessBaseline", "CA004-Global-IdentityProtection-AnyApp-AnyPlatform-AuthenticationFlows"),
    // platforms, client apps, device filter, app enforced restrictions
    ("j0eyv__ConditionalAccessBaseline", "CA005-Global-DataProtection-Office365-iOSenAndroid-ClientApps-Unmanaged-AppEnforcedRestrictions"),
    // roles by template id, sign-in frequency
    ("j0eyv__ConditionalAccessBaseline", "CA102-Admins-IdentityProtection-AllApps-AnyPlatform-SigninFrequency"),
    // built-in authentication strength (expanded), excluded app id, template id extension
    ("j0eyv__ConditionalAccessBaseline", "CA105-Admins-IdentityProtection-AnyApp-AnyPlatform-PhishingResistantMFA"),
    // user action register device
    ("j0eyv__ConditionalAccessBaseline", "CA003-Global-BaseProtection-RegisterOrJoin-AnyPlatform-MFA"),
    // an app by id that is not first-party, sign-in frequency every time
    ("j0eyv__ConditionalAccessBaseline", "CA203-Internals-AppProtection-MicrosoftIntuneEnrollment-AnyPlatform-MFA"),
    // every external user type, every tenant
    ("j0eyv__ConditionalAccessBaseline", "CA400-GuestUsers-IdentityProtection-AnyApp-AnyPlatform-MFA"),
    // agents: unmodelled conditions as extensions
    ("j0eyv__ConditionalAccessBaseline", "CA504-Agents-IdentityProtection-AllAgentUsers-AllResources-BlockRiskyAgents"),
    // insider risk, placeholders
    ("AlexFilipin__ConditionalAccess", "601 - <RING> - Compliance - All Apps: Block Access when Elevated Insider Risk is detected"),
    // terms of use, every external type, report-only
    ("AlexFilipin__ConditionalAccess", "210 - <RING> - Base protection - All apps: Require ToU for external Users"),
    // cloud app security, browser only, external users
    ("AlexFilipin__ConditionalAccess", "508 - <RING> - Data protection - All Apps: Block Downloads When using a browser for external Users"),
    // workload identities: users none, service principal risk as extensions
    ("AlexFilipin__ConditionalAccess", "701 - <RING> - Workload Protection - All apps: Block Access When risk Level detected"),
    // persistent browser, untrusted devices via device filter
    ("AlexFilipin__ConditionalAccess", "500 - <RING> - Data protection - All apps: No persistent browser session When on untrusted device"),
    // register security information, guests excluded by the legacy keyword, all_trusted,
    // grant any(...)
    ("AlexFilipin__ConditionalAccess", "201 - <RING> - Base protection - Register security information: Require MFA or trusted device or trusted location For internal users"),
    // old schema: sign-in risk
    ("Azure-Samples__azure-ad-conditional-access-apis", "CA001: Require MFA for medium + sign-in risk"),
    // display names where Graph wants ids: whole lists kept as extensions
    ("Fortigi__ConditionalAccess", "CA-01- All Apps - All Admins - Require MFA"),
    // Global Secure Access: the deprecated traffic profile read as the app it migrated to
    ("AlexFilipin__ConditionalAccess", "801 - <RING> - Global Secure Access - M365 Traffic: Require Strong Auth"),
    // What-If output: policyApplies and analysisReasons are dropped; grant all(...)
    ("microsoftgraph__microsoft-graph-docs-contrib", "All Users except au1_All resources_user risk H_Password change"),
];

#[test]
fn generated_policy_text() {
    let mut imports: Vec<(String, Import)> = Vec::new();
    for (source, policy) in SNAPSHOT_POLICIES {
        if !imports.iter().any(|(s, _)| s == source) {
            imports.push((
                source.to_string(),
                import(&corpus().join(source), &lenient()),
            ));
        }
        let (_, import) = imports.iter().find(|(s, _)| s == source).expect("imported");
        let found = import
            .pack
            .policies
            .iter()
            .find(|p| p.name.value == *policy)
            .unwrap_or_else(|| panic!("no policy `{policy}` in {source}"));
        let text = render_pack_file(&Pack {
            policies: vec![found.clone()],
            ..Pack::default()
        });
        let name = accord::graph::files::slug(policy);
        insta::assert_snapshot!(format!("policy__{name}"), text);
    }
}

#[test]
fn settings_of_the_documentation_samples() {
    let source = corpus().join("microsoftgraph__microsoft-graph-docs-contrib");
    let import = import(&source, &lenient());
    let pack = &import.pack;
    // The organisation: Contoso active owner, two pending members (§5.1 sample).
    let org = &pack.organizations[0];
    assert_eq!(org.name.value, "Contoso organization");
    let states: Vec<(&str, MemberState)> = org
        .members
        .iter()
        .map(|m| (m.tenant.value.as_str(), m.state.value))
        .collect();
    assert_eq!(
        states,
        vec![
            ("contoso", MemberState::Active),
            // Two different tenants are called Fabrikam in Microsoft's samples.
            ("fabrikam_2", MemberState::Pending),
            ("woodgrove_bank", MemberState::Pending)
        ]
    );
    // Cross-tenant: the default (lenient) and two partners; Fabrikam's GET and its identity
    // synchronisation merge into one block.
    assert_eq!(pack.cross_tenant.len(), 3);
    assert!(pack
        .cross_tenant
        .iter()
        .any(|x| x.target == CrossTenantTarget::Default));
    let sharing = &pack.sharing[0];
    assert_eq!(
        sharing.sharepoint.as_ref().map(|l| l.value),
        Some(SharingLevel::Anyone)
    );
    assert_eq!(sharing.domains[0].access.value, Access::Allow);
    let files = pack_files(pack, "");
    let text: String = files
        .iter()
        .filter(|f| {
            ["tenant.policy", "cross_tenant.policy", "sharing.policy"].contains(&f.name.as_str())
        })
        .map(|f| format!("# ---- {}\n{}", f.name, f.text))
        .collect();
    insta::assert_snapshot!("settings__documentation_samples", text);
}

// ---- (d) fixtures ----------------------------------------------------------------------------------

#[test]
fn powershell_sdk_output_imports() {
    let import = import(
        &fixtures().join("powershell/policy.json"),
        &ImportOptions::default(),
    );
    assert_eq!(
        codes(&import.diagnostics),
        vec!["W3004"],
        "{}",
        listing(&import)
    );
    let p = &import.pack.policies[0];
    assert_eq!(p.name.value, "Guests from Fabrikam: MFA on Office 365");
    assert_eq!(p.state.value, PolicyState::ReportOnly);
    let tenant = import
        .pack
        .tenants
        .iter()
        .find(|t| {
            t.id.as_ref()
                .is_some_and(|i| i.value == "8d0e5b8a-6b1f-4bd7-8f0e-6c9f4a1c2b02")
        })
        .expect("the enumerated tenant is declared");
    assert_eq!(
        p.users.include[0].value,
        UserTarget::External {
            types: vec![
                Spanned::synthetic(ExternalType::B2bGuest),
                Spanned::synthetic(ExternalType::B2bMember)
            ],
            origin: Spanned::synthetic(Origin::Tenants(vec![tenant.name.clone()])),
        }
    );
    assert_eq!(
        p.users.exclude[0].value,
        UserTarget::Group("9f3c2c53-9a5c-4f0b-8d0e-2f1c9a7b6e01".into())
    );
    assert_eq!(p.apps.include[0].value, AppTarget::Office365);
    assert_eq!(
        p.conditions
            .devices
            .as_ref()
            .map(|d| (d.mode.value, d.rule.value.as_str())),
        Some((FilterMode::Exclude, "device.isCompliant -eq True"))
    );
    assert_eq!(
        p.session
            .as_ref()
            .and_then(|s| s.sign_in_frequency.as_ref())
            .map(|f| f.value),
        Some(SignInFrequency::Every {
            value: 7,
            unit: FrequencyUnit::Days
        })
    );
    // Unset controls (objects of nulls) stay unset.
    let session = p.session.as_ref().expect("a session");
    assert!(session.app_enforced_restrictions.is_none() && session.persistent_browser.is_none());
    reparse(&import);
    let export = export(&import, ExportFormat::Graph);
    assert_round_trip(&import, &export);
}

#[test]
fn truncated_powershell_output_is_an_error() {
    let import = import(
        &fixtures().join("truncated/policy.json"),
        &ImportOptions::default(),
    );
    assert_eq!(codes(&import.diagnostics), vec!["W3004", "E3004"]);
    assert!(import.diagnostics[1].message.contains("`/conditions`"));
    assert!(import.pack.policies.is_empty());
}

#[test]
fn utf16_big_endian_input_imports() {
    let bytes = std::fs::read(fixtures().join("utf16be/export.json")).expect("read");
    assert_eq!(&bytes[..2], &[0xFE, 0xFF]);
    let import = import(&fixtures().join("utf16be"), &ImportOptions::default());
    assert_eq!(codes(&import.diagnostics), vec!["W3004"]);
    let location = &import.pack.locations[0];
    assert_eq!(location.name.value, "Zürich office");
    assert!(location.is_trusted());
    let p = &import.pack.policies[0];
    assert_eq!(p.state.value, PolicyState::Off);
    let locations = p.conditions.locations.as_ref().expect("locations");
    assert_eq!(
        locations.exclude[0].value,
        LocationRef::Named("Zürich office".into())
    );
    assert_eq!(
        import.names.get("7b6a5c4d-6666-4c9d-8e3f-4a5b6c7d8e09"),
        Some("Zürich office")
    );
    reparse(&import);
    let export = export(&import, ExportFormat::Graph);
    assert_round_trip(&import, &export);
}

#[test]
fn lenient_mode_accepts_comments_and_trailing_commas() {
    let path = fixtures().join("lenient/policy.json");
    let strict = import(&path, &ImportOptions::default());
    let error = strict
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("an error");
    assert_eq!(error.message, "invalid JSON: comments are not allowed");
    let p = accord::render::position(&strict.sources, error.span.expect("span")).expect("pos");
    assert_eq!((p.line, p.column), (1, 1));

    let lenient = import(&path, &lenient());
    assert_eq!(
        codes(&lenient.diagnostics),
        vec!["W3001", "W3001", "W3001", "W3001", "W3001", "W3001", "W3001", "W3004", "I3005"],
        "{}",
        listing(&lenient)
    );
    let policy = &lenient.pack.policies[0];
    assert_eq!(
        policy.conditions.client_apps.as_ref().map(|c| c.len()),
        Some(2)
    );
    // The placeholder is kept as a name and reported once, as info.
    assert_eq!(
        policy.users.exclude[0].value,
        UserTarget::Group("<BreakGlassGroup>".into())
    );
    assert!(lenient.diagnostics[8]
        .message
        .contains("`<BreakGlassGroup>`"));
    assert_eq!(lenient.diagnostics[8].severity, Severity::Info);
}

#[test]
fn names_map_turns_ids_into_names_and_back() {
    let text = std::fs::read_to_string(fixtures().join("names/names.yaml")).expect("read");
    let options = ImportOptions {
        names: NameMap::from_yaml(&text).expect("a names map"),
        tenant: Some("contoso.com".into()),
        lenient: false,
    };
    let import = import(&fixtures().join("names/policies.json"), &options);
    assert!(import.diagnostics.is_empty(), "{}", listing(&import));
    let resource = import.pack.resource_tenant().expect("a resource tenant");
    assert_eq!(resource.name.value, "contoso");
    assert_eq!(resource.domains[0].value, "contoso.com");
    let p = &import.pack.policies[0];
    let include: Vec<&UserTarget> = p.users.include.iter().map(|t| &t.value).collect();
    assert_eq!(
        include,
        vec![
            &UserTarget::Role("global_administrator".into()),
            &UserTarget::Role("security_administrator".into())
        ]
    );
    let exclude: Vec<&UserTarget> = p.users.exclude.iter().map(|t| &t.value).collect();
    assert_eq!(
        exclude,
        vec![
            &UserTarget::User("breakglass@contoso.com".into()),
            &UserTarget::Group("Emergency access".into()),
            // Not in the map: stays a (quoted) id.
            &UserTarget::Group("d5f4e3c2-4444-4a7b-8c1d-2e3f4a5b6c07".into()),
        ]
    );
    let locations = p.conditions.locations.as_ref().expect("locations");
    assert_eq!(
        locations
            .exclude
            .iter()
            .map(|l| l.value.clone())
            .collect::<Vec<_>>(),
        vec![
            // `--names` names it, but the input holds no such location: it stays an id.
            LocationRef::Named("e6a5f4d3-5555-4b8c-9d2e-3f4a5b6c7d08".into()),
            LocationRef::MfaTrustedIps
        ]
    );
    assert_eq!(
        p.grant.as_ref().map(|g| g.controls[0].value.clone()),
        Some(Control::AuthStrength(AuthStrength::BuiltIn(
            accord::model::catalog::BuiltInStrength::PhishingResistant
        )))
    );
    // names.yaml holds exactly the resolutions made, and export turns the names back into ids.
    assert_eq!(import.names.len(), 2);
    let export = export(&import, ExportFormat::Graph);
    assert_round_trip(&import, &export);
}

#[test]
fn organisation_partners_and_origins() {
    let options = ImportOptions {
        tenant: Some("2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01".into()),
        ..ImportOptions::default()
    };
    let mut import = import(&fixtures().join("organization"), &options);
    assert_eq!(
        codes(&import.diagnostics),
        vec!["I3012"],
        "{}",
        listing(&import)
    );
    let pack = &import.pack;
    let names: Vec<(&str, bool)> = pack
        .tenants
        .iter()
        .map(|t| (t.name.value.as_str(), t.resource))
        .collect();
    assert_eq!(
        names,
        vec![
            ("contoso", true),
            ("fabrikam", false),
            ("tailspin_toys", false)
        ]
    );
    assert_eq!(pack.organizations[0].name.value, "Contoso Group");
    let partner = &pack.cross_tenant[0];
    assert_eq!(partner.tenant_name(), Some("fabrikam"));
    let trust = partner.trust.as_ref().expect("trust");
    assert!(trust.mfa && trust.compliant_device && !trust.hybrid_joined);
    assert!(partner
        .auto_consent
        .as_ref()
        .is_some_and(|c| c.inbound && c.outbound));
    let rule = &partner.rules[0];
    assert_eq!(
        rule.setting
            .apps
            .as_ref()
            .map(|a| a.targets[0].value.clone()),
        Some(AppTarget::Named(
            accord::model::catalog::FirstPartyApp::Teams
        ))
    );
    reparse(&import);

    // `from organization`: the active members except the resource tenant (not the pending one).
    let ids = |doc: &Value, side: &str| -> Value {
        doc.pointer(&format!("/conditions/users/{side}/externalTenants/members"))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let fabrikam = serde_json::json!(["8d0e5b8a-6b1f-4bd7-8f0e-6c9f4a1c2b02"]);
    for origin in [Origin::Organization, Origin::OutsideOrganization] {
        let UserTarget::External { origin: o, .. } =
            &mut import.pack.policies[0].users.include[0].value
        else {
            panic!("an external target")
        };
        *o = Spanned::synthetic(origin.clone());
        let export = export(&import, ExportFormat::Graph);
        let doc = documents(&export, "policies/")[0];
        if origin == Origin::Organization {
            assert_eq!(ids(doc, "includeGuestsOrExternalUsers"), fabrikam);
            assert_eq!(ids(doc, "excludeGuestsOrExternalUsers"), Value::Null);
        } else {
            assert_eq!(
                doc.pointer(
                    "/conditions/users/includeGuestsOrExternalUsers/externalTenants/membershipKind"
                ),
                Some(&Value::String("all".into()))
            );
            assert_eq!(ids(doc, "excludeGuestsOrExternalUsers"), fabrikam);
            assert_eq!(
                doc.pointer(
                    "/conditions/users/excludeGuestsOrExternalUsers/guestOrExternalUserTypes"
                ),
                Some(&Value::String("b2bCollaborationMember".into()))
            );
        }
    }
}

/// Constructs Graph cannot express are errors naming them.
#[test]
fn inexpressible_constructs_are_export_errors() {
    let pack = r#"
resource tenant contoso { id = "2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01" }
tenant fabrikam { id = "8d0e5b8a-6b1f-4bd7-8f0e-6c9f4a1c2b02" }
tenant litware {}
organization "Contoso Group" {
  contoso owner active
  fabrikam member active
}
policy "outside excluded" {
  users { include all  exclude external(all) from outside_organization }
  apps { include all }
  grant block
}
policy "two origins" {
  users { include external(b2b_guest) from organization, external(b2b_member) from any }
  apps { include all }
  grant mfa
}
policy "tenant without id" {
  users { include external(b2b_guest) from tenants(litware) }
  apps { include all }
  grant mfa
}
"#;
    let loaded = accord::load::load_texts([("p.policy", pack)]);
    let validation = accord::check(&loaded);
    let validated = validation.validated.expect("valid");
    let export = graph::export(&validated, &ExportOptions::default());
    // (Constructs validation already rejects, such as an excluded user action, never get here.)
    let errors: Vec<(&str, String)> = export
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code.as_str(), d.message.clone()))
        .collect();
    assert_eq!(
        errors,
        vec![
            ("E3022", "`exclude external(...) from outside_organization` cannot be exported".to_string()),
            ("E3022", "the include list has external users from different home tenants: Graph cannot express it".to_string()),
            ("E3021", "tenant `litware` has no id".to_string()),
        ]
    );
    // Every error points at the construct in the pack.
    assert!(export.diagnostics.iter().all(|d| d.span.is_some()));
    assert_eq!(documents(&export, "policies/").len(), 0);

    let lonely = r#"
resource tenant contoso { id = "2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01" }
tenant fabrikam { id = "8d0e5b8a-6b1f-4bd7-8f0e-6c9f4a1c2b02" }
organization "Contoso Group" {
  contoso owner active
  fabrikam member pending
}
policy "members" {
  users { include external(b2b_member) from organization }
  apps { include all }
  grant mfa
}
"#;
    let loaded = accord::load::load_texts([("p.policy", lonely)]);
    let validated = accord::check(&loaded).validated.expect("valid");
    let export = graph::export(&validated, &ExportOptions::default());
    assert_eq!(
        codes(&export.diagnostics),
        vec!["E3022", "W3028"],
        "an organisation without another active tenant cannot be enumerated (and the organisation itself is not exported)"
    );
}

#[test]
fn shipped_packs_export() {
    for pack in ["contoso-group", "b2b-guest-baseline", "strict-partner"] {
        let loaded =
            accord::load::load_pack(&crate_dir().join("policies").join(pack)).expect("load");
        let validation = accord::check(&loaded);
        let validated = validation.validated.expect("the shipped pack checks");
        let export = graph::export(&validated, &ExportOptions::default());
        assert!(!export.has_errors(), "{pack}: {:#?}", export.diagnostics);
        assert_eq!(
            documents(&export, "policies/").len(),
            loaded.pack.policies.len(),
            "{pack}"
        );
        // Re-importing the export gives the same policies (ids that had no names stay names).
        let back = graph::import(&inputs_of(&export), &ImportOptions::default());
        assert!(!accord::diagnostic::has_errors(&back.diagnostics), "{pack}");
        assert_eq!(
            back.pack.policies.len(),
            loaded.pack.policies.len(),
            "{pack}"
        );
    }
}

#[test]
fn cli_import_refuses_a_non_empty_folder_and_prints_a_summary() {
    let out = std::env::temp_dir().join(format!("accord-import-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).expect("mkdir");
    std::fs::write(out.join("keep.txt"), "x").expect("write");
    let run = |force: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_accord"));
        cmd.args(["--color", "never", "import"])
            .arg(corpus().join("j0eyv__ConditionalAccessBaseline"))
            .arg("-o")
            .arg(&out);
        if force {
            cmd.arg("--force");
        }
        cmd.output().expect("run accord")
    };
    let refused = run(false);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    let done = run(true);
    assert_eq!(
        done.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&done.stdout)
    );
    let stdout = String::from_utf8_lossy(&done.stdout);
    assert!(
        // The compliant network location is the platform's own: read, no longer skipped; the
        // workload policies' clientApplications and CAE strictLocation (CA104, CA209) are
        // modelled, no longer extensions.
        stdout.contains("imported 36 policies, 2 locations, 13 warnings"),
        "{stdout}"
    );
    assert!(
        out.join("keep.txt").is_file(),
        "only .policy files are replaced"
    );
    assert!(out.join("names.yaml").is_file() && out.join("tenant.policy").is_file());
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["--color", "never", "check"])
        .arg(&out)
        .output()
        .expect("run accord check");
    assert_eq!(check.status.code(), Some(0));
    let export = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["export", "--stdout"])
        .arg(&out)
        .output()
        .expect("run accord export");
    assert_eq!(
        export.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let bundle: Value = serde_json::from_slice(&export.stdout).expect("JSON on stdout");
    assert_eq!(bundle.as_object().map(|o| o.len()), Some(36 + 2));
    let _ = std::fs::remove_dir_all(&out);
}

// ---- (e) regressions found by the equivalence test -------------------------------------------------

/// Imports JSON given as text.
fn import_json(json: &str, options: &ImportOptions) -> Import {
    let inputs = [graph::InputFile {
        path: PathBuf::from("input.json"),
        bytes: json.as_bytes().to_vec(),
    }];
    graph::import(&inputs, options)
}

/// The documents of an export as import inputs.
fn inputs_of(export: &graph::Export) -> Vec<graph::InputFile> {
    export
        .files
        .iter()
        .map(|(path, v)| graph::InputFile {
            path: PathBuf::from(path),
            bytes: serde_json::to_vec(v).expect("serialise"),
        })
        .collect()
}

/// `accord export`, then `accord import --names names.yaml` of what it wrote.
fn reimport_export(import: &Import) -> Import {
    let export = export(import, ExportFormat::Graph);
    let inputs = inputs_of(&export);
    let options = ImportOptions {
        names: import.names.clone(),
        ..ImportOptions::default()
    };
    let back = graph::import(&inputs, &options);
    assert!(!accord::diagnostic::has_errors(&back.diagnostics));
    back
}

/// Exported named locations have no `id` (read-only in Graph) while the exported policies
/// name them by the ids of names.yaml: importing the export with `--names` resolves those ids
/// to the locations it declares, also for a location renamed on import.
#[test]
fn reimported_policies_name_the_exported_locations() {
    let json = r##"[
      {"@odata.type": "#microsoft.graph.ipNamedLocation", "id": "7b6a5c4d-6666-4c9d-8e3f-4a5b6c7d8e09",
       "displayName": "Zürich office", "isTrusted": true,
       "ipRanges": [{"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "198.51.100.0/24"}]},
      {"@odata.type": "#microsoft.graph.countryNamedLocation", "id": "0c7f1d2e-1111-4a2b-8c3d-4e5f6a7b8c01",
       "displayName": "All", "countriesAndRegions": ["KP"], "includeUnknownCountriesAndRegions": false},
      {"displayName": "Block outside Zürich", "state": "enabled",
       "conditions": {"clientAppTypes": ["all"], "users": {"includeUsers": ["All"]},
         "applications": {"includeApplications": ["All"]},
         "locations": {"includeLocations": ["0c7f1d2e-1111-4a2b-8c3d-4e5f6a7b8c01"],
                       "excludeLocations": ["7b6a5c4d-6666-4c9d-8e3f-4a5b6c7d8e09"]}},
       "grantControls": {"operator": "OR", "builtInControls": ["block"]}}
    ]"##;
    let first = import_json(json, &ImportOptions::default());
    let expected = (
        vec![LocationRef::Named("All (location)".into())],
        vec![LocationRef::Named("Zürich office".into())],
    );
    let refs = |import: &Import| {
        let l = import.pack.policies[0]
            .conditions
            .locations
            .as_ref()
            .expect("locations");
        let values = |side: &[Spanned<LocationRef>]| -> Vec<LocationRef> {
            side.iter().map(|r| r.value.clone()).collect()
        };
        (values(&l.include), values(&l.exclude))
    };
    assert_eq!(refs(&first), expected);
    let back = reimport_export(&first);
    assert_eq!(refs(&back), expected, "{}", listing(&back));
    let names: Vec<&str> = back
        .pack
        .locations
        .iter()
        .map(|l| l.name.value.as_str())
        .collect();
    assert_eq!(names, vec!["Zürich office", "All (location)"]);
    // No "not declared" warning: the references resolve.
    let validation = accord::validate::validate(back.pack.clone());
    assert!(
        validation.diagnostics.is_empty(),
        "{:#?}",
        validation.diagnostics
    );
    // Without the names map, an id stays an id (nothing says which location it is).
    let blind = graph::import(
        &export(&first, ExportFormat::Graph)
            .files
            .iter()
            .map(|(path, v)| graph::InputFile {
                path: PathBuf::from(path),
                bytes: serde_json::to_vec(v).expect("serialise"),
            })
            .collect::<Vec<_>>(),
        &ImportOptions::default(),
    );
    assert_eq!(
        refs(&blind).1,
        vec![LocationRef::Named(
            "7b6a5c4d-6666-4c9d-8e3f-4a5b6c7d8e09".into()
        )]
    );
}

/// The importer parses device-filter rules as the `.policy` parser does: an imported pack
/// evaluates its device filters without being written to disk first. A rule accord cannot
/// read is kept whole as an extension, with a warning, and exported back unchanged.
#[test]
fn imported_device_filters_are_parsed() {
    let policy = |rule: &str| {
        format!(
            r#"{{"displayName": "Unmanaged devices: block", "state": "enabled",
               "conditions": {{"clientAppTypes": ["all"], "users": {{"includeUsers": ["All"]}},
                 "applications": {{"includeApplications": ["All"]}},
                 "devices": {{"deviceFilter": {{"mode": "exclude", "rule": {rule}}}}}}},
               "grantControls": {{"operator": "OR", "builtInControls": ["block"]}}}}"#,
            rule = serde_json::to_string(rule).expect("a JSON string")
        )
    };
    let import = import_json(
        &policy("device.isCompliant -eq True"),
        &ImportOptions::default(),
    );
    let devices = import.pack.policies[0]
        .conditions
        .devices
        .as_ref()
        .expect("a device condition");
    assert!(devices.filter.is_some(), "the rule is parsed");
    let validated = accord::validate::validate(import.pack.clone())
        .validated
        .expect("valid");
    let compiled = accord::eval::compile(&validated);
    let decide = |compliant: bool| {
        let request = accord::model::request::Request::parse(&format!(
            "user: {{ name: a@contoso.com }}\napp: teams\nclient_app: browser\n\
             device: {{ platform: windows, registered: resource, compliant: {compliant} }}\n\
             network: {{ ip: 203.0.113.1, country: FR }}\n"
        ))
        .expect("a request");
        let evaluation = accord::eval::decide(&compiled, &request).expect("decides");
        (evaluation.decision, evaluation.depends_on)
    };
    use accord::eval::{Decision, Signals};
    assert_eq!(decide(true), (Decision::Allow, Signals::NONE));
    assert_eq!(decide(false), (Decision::Block, Signals::NONE));

    let rule = "device.trustType -eq \"AzureAD\" -and (";
    let unreadable = import_json(&policy(rule), &ImportOptions::default());
    let warning = unreadable
        .diagnostics
        .iter()
        .find(|d| d.code == "W3007")
        .unwrap_or_else(|| panic!("a W3007 warning:\n{}", listing(&unreadable)));
    assert!(
        warning.message.starts_with(
            "`/conditions/devices/deviceFilter/rule` is not a device filter accord can read"
        ),
        "{}",
        warning.message
    );
    let p = &unreadable.pack.policies[0];
    assert!(p.conditions.devices.is_none());
    assert_eq!(
        p.extensions[0].pointer.value,
        "/conditions/devices/deviceFilter"
    );
    reparse(&unreadable);
    let export = export(&unreadable, ExportFormat::Graph);
    assert_round_trip(&unreadable, &export);
}

/// A directory block has no settings document: export warns about it, at its place, and
/// writes everything else. `people_picker_guests` is a `Set-SPOTenant` parameter: it is written
/// to `spoTenant.json`.
#[test]
fn the_directory_is_reported_not_exported_and_the_people_picker_goes_to_spo_tenant() {
    let text = r#"resource tenant contoso { id = "2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01"  domains = ["contoso.com"] }
sharing { people_picker_guests = on }
directory {
  user "bob@fabrikam.com" { type = guest }
  app Payroll { id = "11111111-2222-4333-8444-555555555555"  assignment_required }
}
"#;
    let loaded = accord::load::load_texts([("p.policy", text)]);
    let validated = accord::check(&loaded).validated.expect("valid");
    let export = graph::export(&validated, &ExportOptions::default());
    assert_eq!(codes(&export.diagnostics), vec!["W3029"]);
    assert!(export.diagnostics[0]
        .message
        .contains("`directory` block is not exported"));
    let spo = &export
        .files
        .iter()
        .find(|(p, _)| p == "spoTenant.json")
        .expect("spoTenant.json")
        .1;
    assert_eq!(spo["ShowPeoplePickerSuggestionsForGuestUsers"], true);
    assert!(!export.has_errors());
}

/// `identitySynchronization` (reference §4.5): `isSyncAllowed: true` is `user_sync inbound`,
/// `false` allows nothing, an unreadable value is kept as an extension and allows nothing, and
/// the default (which has no such property in Graph) keeps it as an extension. Exported back as
/// the partner's `identitySynchronization`.
#[test]
fn identity_synchronization_is_user_sync_inbound() {
    let partner = |sync: &str| {
        format!(
            r##"{{"@odata.type": "#microsoft.graph.crossTenantAccessPolicyConfigurationPartner",
                "tenantId": "9c5d131d-b1c3-4fc4-9e3f-c6557947d551",
                "identitySynchronization": {{"displayName": "Fabrikam", "userSyncInbound": {{"isSyncAllowed": {sync}}}}}}}"##
        )
    };
    let synced = |import: &Import| {
        import
            .pack
            .cross_tenant
            .iter()
            .filter(|x| x.user_sync_inbound.is_some())
            .count()
    };
    let allowed = import_json(&partner("true"), &ImportOptions::default());
    assert_eq!(synced(&allowed), 1, "{}", listing(&allowed));
    assert!(allowed.pack.cross_tenant[0].extensions.is_empty());
    let exported = export(&allowed, ExportFormat::Graph);
    let text = serde_json::to_string(&exported.files).expect("serialise");
    assert!(
        text.contains(r#""identitySynchronization":{"userSyncInbound":{"isSyncAllowed":true}}"#),
        "{text}"
    );
    assert_eq!(synced(&reimport_export(&allowed)), 1);

    let refused = import_json(&partner("false"), &ImportOptions::default());
    assert_eq!(synced(&refused), 0);
    assert!(refused.pack.cross_tenant[0].extensions.is_empty());

    let unreadable = import_json(&partner(r#""yes""#), &ImportOptions::default());
    assert_eq!(synced(&unreadable), 0);
    let pointers: Vec<&str> = unreadable.pack.cross_tenant[0]
        .extensions
        .iter()
        .map(|e| e.pointer.value.as_str())
        .collect();
    assert_eq!(
        pointers,
        ["/identitySynchronization/userSyncInbound/isSyncAllowed"]
    );

    let default = import_json(
        r##"{"@odata.type": "#microsoft.graph.crossTenantAccessPolicyConfigurationDefault",
            "identitySynchronization": {"userSyncInbound": {"isSyncAllowed": true}}}"##,
        &ImportOptions::default(),
    );
    assert_eq!(synced(&default), 0);
    assert_eq!(default.pack.cross_tenant[0].extensions.len(), 1);
}

/// Global Secure Access session and targets (issue 14 §5): the security profile link is the
/// session control `security_profile`, `networkAccessSecurity` naming the same profile is that
/// link under its earlier name (not an extension), and a different one stays an extension; the
/// deprecated traffic profiles read as the apps they migrated to. Export writes the profile back.
#[test]
fn global_secure_access_profiles_import_and_export() {
    let policy = |legacy: &str| {
        format!(
            r#"{{"displayName": "Web filtering", "state": "enabled",
            "conditions": {{"users": {{"includeUsers": ["All"]}},
              "applications": {{"networkAccess": {{"includeTrafficProfiles": "internet"}}}}}},
            "sessionControls": {{
              "networkAccessSecurity": {{"policyId": "{legacy}", "isEnabled": true}},
              "globalSecureAccessFilteringProfile": {{"profileId": "3b40eb9f-0624-4690-9d91-e9e413e023aa", "isEnabled": true}}}}}}"#
        )
    };
    let same = import_json(
        &policy("3b40eb9f-0624-4690-9d91-e9e413e023aa"),
        &ImportOptions::default(),
    );
    assert!(
        !codes(&same.diagnostics).contains(&"W3002"),
        "{:?}",
        same.diagnostics
    );
    let p = &same.pack.policies[0];
    assert!(p.extensions.is_empty(), "{:?}", p.extensions);
    assert_eq!(
        p.session
            .as_ref()
            .and_then(|s| s.security_profile.as_ref())
            .map(|s| s.value.as_str()),
        Some("3b40eb9f-0624-4690-9d91-e9e413e023aa")
    );
    assert_eq!(
        p.apps.include[0].value,
        AppTarget::Named(catalog::FirstPartyApp::InternetAccess)
    );
    let exported = export(&same, ExportFormat::Graph);
    let doc = documents(&exported, "policies")[0];
    assert_eq!(
        doc["sessionControls"]["globalSecureAccessFilteringProfile"]["profileId"],
        "3b40eb9f-0624-4690-9d91-e9e413e023aa"
    );
    assert_eq!(
        doc["conditions"]["applications"]["includeApplications"][0],
        "5dc48733-b5df-475c-a49b-fa307ef00853"
    );
    let back = reimport_export(&same);
    assert_eq!(
        back.pack.policies[0].session, same.pack.policies[0].session,
        "the session reads back"
    );

    let other = import_json(
        &policy("00000000-0000-0000-0000-000000000001"),
        &ImportOptions::default(),
    );
    let p = &other.pack.policies[0];
    assert_eq!(p.extensions.len(), 1, "{:?}", p.extensions);
    assert_eq!(
        p.extensions[0].pointer.value,
        "/sessionControls/networkAccessSecurity"
    );
}

/// `signInFrequency.authenticationType: secondaryAuthentication` is `sign_in_frequency = ...
/// secondary_authentication` (issue 14 §5), written back the same; an unknown value stays an
/// extension.
#[test]
fn sign_in_frequency_secondary_authentication_round_trips() {
    let policy = |auth: &str| {
        format!(
            r#"{{"displayName": "MFA every hour", "state": "enabled",
            "conditions": {{"users": {{"includeUsers": ["All"]}}, "applications": {{"includeApplications": ["All"]}}}},
            "sessionControls": {{"signInFrequency": {{"isEnabled": true, "type": "hours", "value": 1,
              "frequencyInterval": "timeBased", "authenticationType": "{auth}"}}}}}}"#
        )
    };
    let secondary = import_json(
        &policy("secondaryAuthentication"),
        &ImportOptions::default(),
    );
    let p = &secondary.pack.policies[0];
    assert!(p.extensions.is_empty(), "{:?}", p.extensions);
    let session = p.session.as_ref().expect("a session");
    assert!(session.sign_in_frequency_secondary.is_some());
    let text = render_pack_file(&secondary.pack);
    assert!(
        text.contains("sign_in_frequency = 1h secondary_authentication"),
        "{text}"
    );
    let exported = export(&secondary, ExportFormat::Graph);
    let doc = documents(&exported, "policies")[0];
    assert_eq!(
        doc["sessionControls"]["signInFrequency"]["authenticationType"],
        "secondaryAuthentication"
    );
    let back = reimport_export(&secondary);
    assert_eq!(
        back.pack.policies[0].session,
        secondary.pack.policies[0].session
    );
    let both = import_json(
        &policy("primaryAndSecondaryAuthentication"),
        &ImportOptions::default(),
    );
    let session = both.pack.policies[0].session.as_ref().expect("a session");
    assert!(session.sign_in_frequency_secondary.is_none());
    let unknown = import_json(&policy("tertiary"), &ImportOptions::default());
    assert_eq!(unknown.pack.policies[0].extensions.len(), 1);
}

//! Generated logs: a log whose outcomes come from a pack replays against that pack with no
//! change and no disagreement; after one policy edit, exactly the sign-ins whose `eval::decide`
//! decision the edit changes are reported, each in its direction.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use accord::eval::{self, Compiled, Decision, Options};
use accord::model::catalog::FirstPartyApp;
use accord::model::request::{
    AccessKind, AppRef, Auth, Country, Device, MfaPlace, Network, Registered, Request, RequestUser,
    Risk, UserType,
};
use accord::model::{ClientApp, Platform, RiskLevel};
use accord::replay::{self, Engine, Rows};
use serde_json::json;

use super::super::eval::support::compile_text;

const RESOURCE: &str = "2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01";

/// A small deterministic generator (xorshift), so that failures reproduce.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Who signs in: (upn, home tenant id or None for ours, user type, kind).
const PEOPLE: [(&str, Option<&str>, UserType, AccessKind); 6] = [
    (
        "alice@contoso.com",
        None,
        UserType::Member,
        AccessKind::B2bCollaboration,
    ),
    (
        "frank@contoso.com",
        None,
        UserType::Member,
        AccessKind::B2bCollaboration,
    ),
    (
        "dana@fabrikam.com",
        Some("8d0e5b8a-6b1f-4bd7-8f0e-6c9f4a1c2b02"),
        UserType::Member,
        AccessKind::B2bCollaboration,
    ),
    (
        "dana@fabrikam.com",
        Some("8d0e5b8a-6b1f-4bd7-8f0e-6c9f4a1c2b02"),
        UserType::Member,
        AccessKind::DirectConnect,
    ),
    (
        "erin@tailspintoys.com",
        Some("5a3f1d2c-9e8b-4c7a-b6d5-1f2e3d4c5b03"),
        UserType::Guest,
        AccessKind::B2bCollaboration,
    ),
    (
        "olga@woodgrove.example",
        Some("0e6c3a1d-7b9f-4d2e-8a5c-3f1b2d4e6a07"),
        UserType::Guest,
        AccessKind::B2bCollaboration,
    ),
];

const APPS: [FirstPartyApp; 4] = [
    FirstPartyApp::SharePoint,
    FirstPartyApp::Teams,
    FirstPartyApp::Exchange,
    FirstPartyApp::Graph,
];

/// (clientAppUsed as logged, accord's client app)
const CLIENTS: [(&str, ClientApp); 5] = [
    ("Browser", ClientApp::Browser),
    ("Mobile Apps and Desktop clients", ClientApp::MobileDesktop),
    ("Exchange ActiveSync", ClientApp::ExchangeActiveSync),
    ("IMAP4", ClientApp::Other),
    ("Authenticated SMTP", ClientApp::Other),
];

const SYSTEMS: [(&str, Platform); 5] = [
    ("Windows 10", Platform::Windows),
    ("Ios", Platform::Ios),
    ("Android", Platform::Android),
    ("MacOs", Platform::Macos),
    ("Linux", Platform::Linux),
];

/// One generated sign-in: the request accord should read, and the log record.
pub struct Generated {
    pub id: String,
    pub request: Request,
    pub record: serde_json::Value,
}

pub fn generate(seed: u64, count: usize, pack: &Compiled) -> Vec<Generated> {
    let mut g = Gen(seed | 1);
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let (upn, home, user_type, kind) = *g.pick(&PEOPLE);
        let external = home.is_some();
        let app = *g.pick(&APPS);
        // Direct connect reaches Teams and SharePoint only.
        let app = if kind == AccessKind::DirectConnect
            && !matches!(app, FirstPartyApp::Teams | FirstPartyApp::SharePoint)
        {
            FirstPartyApp::Teams
        } else {
            app
        };
        let (client_text, client) = *g.pick(&CLIENTS);
        let (os_text, platform) = *g.pick(&SYSTEMS);
        let compliant = g.chance(50);
        let trust = *g.pick(&[
            None,
            Some("Azure AD joined"),
            Some("Hybrid Azure AD joined"),
        ]);
        let ip = *g.pick(&[
            "203.0.113.10",
            "198.51.100.7",
            "192.0.2.33",
            "2001:db8:10::5",
        ]);
        let country = *g.pick(&["US", "FR", "GB", "IR", "KP"]);
        let mfa = if external {
            *g.pick(&[MfaPlace::None, MfaPlace::Resource, MfaPlace::Home])
        } else {
            *g.pick(&[MfaPlace::None, MfaPlace::Resource])
        };
        let risk = *g.pick(&[
            RiskLevel::None,
            RiskLevel::Low,
            RiskLevel::Medium,
            RiskLevel::High,
        ]);
        let request = Request {
            user: RequestUser {
                name: upn.to_string(),
                user_type,
                home: home.map(str::to_string),
                kind: external.then_some(kind),
                groups: Vec::new(),
                roles: Vec::new(),
                groups_unknown: false,
                roles_unknown: false,
                home_groups_unknown: false,
            },
            app: AppRef::Named(app),
            client_app: client,
            device: Device {
                platform: Some(platform),
                compliant,
                hybrid_joined: trust == Some("Hybrid Azure AD joined"),
                registered: match (trust, external) {
                    (None, _) => Registered::None,
                    (Some(_), true) => Registered::Home,
                    (Some(_), false) => Registered::Resource,
                },
                ..Device::default()
            },
            network: Network {
                ip: Some(ip.parse().expect("ip")),
                country: Country::parse(country),
                compliant_network: None,
            },
            auth: Auth {
                mfa,
                methods: match mfa {
                    MfaPlace::Resource => vec![
                        accord::model::catalog::AuthMethod::Password,
                        accord::model::catalog::AuthMethod::AuthenticatorPush,
                    ],
                    _ => vec![accord::model::catalog::AuthMethod::Password],
                },
                ..Auth::default()
            },
            risk: Risk {
                sign_in: risk,
                ..Risk::default()
            },
        };
        let decision = eval::decide(pack, &request)
            .expect("generated requests resolve")
            .decision;
        let (code, ca) = match decision {
            Decision::Allow => (0, "success"),
            Decision::Challenge => (50074, "success"),
            Decision::Block => (53003, "failure"),
        };
        let mut steps = vec![json!({"authenticationMethod": "Password", "succeeded": true})];
        match mfa {
            MfaPlace::Resource => steps.push(json!({"authenticationMethod": "Mobile app notification", "succeeded": true, "authenticationStepResultDetail": "MFA successfully completed"})),
            MfaPlace::Home => steps.push(json!({"authenticationMethod": "Previously satisfied", "succeeded": true, "authenticationStepResultDetail": "MFA requirement satisfied by claim in the token"})),
            MfaPlace::None => {}
        }
        let id = format!("00000000-0000-4000-8000-{i:012}");
        let record = json!({
            "id": id,
            "createdDateTime": "2026-11-02T10:00:00Z",
            "userPrincipalName": upn,
            "userType": match user_type { UserType::Member => "member", UserType::Guest => "guest" },
            "homeTenantId": home.unwrap_or(RESOURCE),
            "resourceTenantId": RESOURCE,
            "crossTenantAccessType": match (external, kind) {
                (false, _) => "none",
                (true, AccessKind::DirectConnect) => "b2bDirectConnect",
                (true, _) => "b2bCollaboration",
            },
            "appId": "d3590ed6-52b3-4102-aeff-aad2292ab01c",
            "resourceId": app.app_id(),
            "resourceDisplayName": app.display(),
            "clientAppUsed": client_text,
            "ipAddress": ip,
            "location": {"countryOrRegion": country},
            "deviceDetail": {"operatingSystem": os_text, "isCompliant": compliant, "trustType": trust},
            "authenticationDetails": steps,
            "riskLevelDuringSignIn": match risk { RiskLevel::None => "none", RiskLevel::Low => "low", RiskLevel::Medium => "medium", RiskLevel::High => "high" },
            "status": {"errorCode": code},
            "conditionalAccessStatus": ca,
            // About 3 KB of the fields a real record also has and replay skips.
            "userAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
            "networkLocationDetails": [{"networkType": "trustedNamedLocation", "networkNames": ["hq"]}],
            "authenticationProcessingDetails": [{"key": "Legacy TLS (TLS 1.0, 1.1, 3DES)", "value": "False"}, {"key": "Is CAE Token", "value": "False"}],
        });
        out.push(Generated {
            id,
            request,
            record,
        });
    }
    out
}

pub fn write_jsonl(path: &Path, log: &[Generated]) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("create log"));
    for g in log {
        writeln!(f, "{}", g.record).expect("write");
    }
}

pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn contoso_text() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/contoso-group");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("pack")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "policy"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("read"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Replays `log` against `pack`, every sign-in a row.
fn replay_rows(
    pack: &Compiled,
    baseline: Option<&Compiled>,
    log: &Path,
) -> (replay::Summary, Vec<replay::Row>) {
    let mut engine = Engine::new(pack, baseline, None, Options::default());
    engine.rows = Rows::All;
    let mut rows = Vec::new();
    let summary = replay::run(&engine, &[log.to_path_buf()], &mut |_| {}, &mut |r| {
        rows.extend_from_slice(r)
    })
    .unwrap_or_else(|_| panic!("replay stops"));
    (summary, rows)
}

#[test]
fn a_log_made_by_the_pack_replays_with_no_change() {
    let pack = compile_text(&contoso_text());
    let log = generate(42, 600, &pack);
    let dir = scratch("replay-generated-same");
    let path = dir.join("log.jsonl");
    write_jsonl(&path, &log);
    let (s, rows) = replay_rows(&pack, None, &path);
    assert_eq!(s.read, 600);
    assert_eq!(s.replayed, 600, "skipped: {:?}", s.skipped);
    assert_eq!(s.read, s.replayed + s.skipped_total());
    assert_eq!(s.compared, 600);
    assert_eq!(
        s.changed_total(),
        0,
        "first changes: {:?}",
        s.changed_samples.iter().take(3).collect::<Vec<_>>()
    );
    assert_eq!(s.fidelity_disagreements(), 0);
    // Every row's decision is eval::decide's on the generating request.
    assert_eq!(rows.len(), 600);
    for (row, g) in rows.iter().zip(&log) {
        assert_eq!(row.id, g.id);
        assert_eq!(
            row.decision,
            eval::decide(&pack, &g.request).unwrap().decision,
            "{}",
            g.record
        );
    }
    // The mix exercises every decision.
    assert!(s.decisions.iter().all(|n| *n > 30), "{:?}", s.decisions);
}

#[test]
fn one_policy_edit_reports_exactly_the_sign_ins_it_changes() {
    let original_text = contoso_text();
    let original = compile_text(&original_text);
    let edited_text = original_text.replace(
        "policy \"Employees: require MFA\" {\n  users { include all  exclude guests_or_external, group \"Emergency access\" }\n  apps { include all }\n  grant mfa",
        "policy \"Employees: require MFA\" {\n  users { include all  exclude guests_or_external, group \"Emergency access\" }\n  apps { include all }\n  grant all(mfa, compliant_device)",
    );
    assert_ne!(edited_text, original_text, "the edit applies");
    let edited = compile_text(&edited_text);
    let log = generate(7, 800, &original);
    let dir = scratch("replay-generated-edit");
    let path = dir.join("log.jsonl");
    write_jsonl(&path, &log);

    let mut expected = BTreeSet::new();
    let mut by_direction = [0u64; 3];
    for g in &log {
        let before = eval::decide(&original, &g.request).unwrap().decision;
        let after = eval::decide(&edited, &g.request).unwrap().decision;
        if before != after {
            expected.insert(g.id.clone());
            by_direction[after as usize] += 1;
        }
    }
    assert!(
        expected.len() > 20,
        "the edit changes something: {}",
        expected.len()
    );

    for baseline in [None, Some(&original)] {
        let (s, rows) = replay_rows(&edited, baseline, &path);
        let changed: BTreeSet<String> = rows
            .iter()
            .filter(|r| r.decision != r.baseline.unwrap_or_else(|| r.logged.decision().unwrap()))
            .map(|r| r.id.clone())
            .collect();
        assert_eq!(changed, expected, "baseline: {}", baseline.is_some());
        assert_eq!(s.changed_total(), expected.len() as u64);
        assert_eq!(s.changed, by_direction);
        // Only employees' sign-ins change, and the edited policy is what decides them.
        for r in rows.iter().filter(|r| expected.contains(&r.id)) {
            assert!(r.user.ends_with("@contoso.com"), "{r:?}");
            assert!(
                r.policies.iter().any(|p| p == "Employees: require MFA"),
                "{r:?}"
            );
        }
    }
}

#[test]
fn per_policy_results_equal_the_trace() {
    use accord::eval::Tri;
    let pack = compile_text(&contoso_text());
    for g in generate(99, 300, &pack) {
        let resolved = eval::resolve(&pack, &g.request).unwrap();
        let traced = eval::decide_resolved(&pack, &resolved, Options::default());
        let mut fast = Vec::new();
        let gate = eval::policy_results(&pack, &resolved, Options::default(), |i, t, r| {
            fast.push((i, t, r))
        });
        assert_eq!(gate, traced.trace.gate.allows());
        let policies = &pack.pack().policies;
        let mut from_trace = Vec::new();
        for p in traced
            .trace
            .policies
            .iter()
            .chain(&traced.trace.report_only)
        {
            if let Some(result) = p.result() {
                let i = policies
                    .iter()
                    .position(|x| std::ptr::eq(x, p.policy))
                    .unwrap();
                from_trace.push((i, p.applies, result));
            }
        }
        from_trace.sort_by_key(|x| x.0);
        assert!(fast.iter().all(|(_, t, _)| *t != Tri::No));
        assert_eq!(fast, from_trace, "{}", g.record);
    }
}

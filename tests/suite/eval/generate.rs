//! Deterministic generators of packs and requests, for the property tests and the benchmark
//! (`benches/evaluate.rs` includes this file). A pack is generated as a [`PackSpec`] (so that
//! properties can change one thing and render again) and rendered to policy-language text.

#![allow(dead_code)]

use std::fmt::Write as _;

/// SplitMix64: small, fast, good enough to spread test inputs.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A side stream for a newer feature, leaving this stream as it is: packs and requests
    /// generated before the feature existed stay the same, so the properties' coverage and the
    /// benchmark's workload do not shift under it.
    pub fn fork(&self, salt: u64) -> Rng {
        Rng::new(self.0 ^ salt.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// A non-empty random subset, in the original order.
    pub fn subset<T: Clone>(&mut self, items: &[T], percent: u64) -> Vec<T> {
        let mut v: Vec<T> = items
            .iter()
            .filter(|_| self.chance(percent))
            .cloned()
            .collect();
        if v.is_empty() {
            v.push(self.pick(items).clone());
        }
        v
    }
}

pub const PARTNERS: [&str; 5] = ["p0", "p1", "p2", "p3", "p4"];
pub const GROUPS: [&str; 4] = ["g0", "g1", "g2", "g3"];
pub const APPS: [&str; 7] = [
    "exchange",
    "sharepoint",
    "teams",
    "power_bi",
    "viva_engage",
    "azure_management",
    "graph",
];
pub const CUSTOM_APP: &str = "cccccccc-0000-4000-8000-000000000003";
pub const USERS: [&str; 3] = ["u0@contoso.com", "u1@p0.com", "u2@p1.com"];
pub const COUNTRIES: [&str; 7] = ["US", "FR", "DE", "KP", "IR", "CN", "BR"];
pub const EXTERNAL_TYPES: [&str; 6] = [
    "internal_guest",
    "b2b_guest",
    "b2b_member",
    "direct_connect",
    "other_external",
    "service_provider",
];

#[derive(Debug, Clone)]
pub struct TrustSpec {
    pub mfa: bool,
    pub compliant_device: bool,
    pub hybrid_joined: bool,
}

impl TrustSpec {
    fn render(&self) -> String {
        let mut claims = Vec::new();
        if self.mfa {
            claims.push("mfa");
        }
        if self.compliant_device {
            claims.push("compliant_device");
        }
        if self.hybrid_joined {
            claims.push("hybrid_joined");
        }
        if claims.is_empty() {
            "trust none".into()
        } else {
            format!("trust {}", claims.join(", "))
        }
    }
}

#[derive(Debug, Clone)]
pub struct CrossTenantSpec {
    /// `None` = the default block.
    pub tenant: Option<String>,
    /// Rendered rule lines (`inbound b2b_collaboration = allow`, full forms...).
    pub rules: Vec<String>,
    pub trust: Option<TrustSpec>,
    pub service_provider: bool,
}

#[derive(Debug, Clone)]
pub struct PolicySpec {
    pub name: String,
    pub state: &'static str,
    pub include_users: Vec<String>,
    pub exclude_users: Vec<String>,
    pub include_apps: Vec<String>,
    pub exclude_apps: Vec<String>,
    pub conditions: Vec<String>,
    pub grant: Option<String>,
    pub session: Option<String>,
}

impl PolicySpec {
    fn render(&self, out: &mut String) {
        let _ = writeln!(out, "policy {:?} {{", self.name);
        let _ = writeln!(out, "  state = {}", self.state);
        let _ = write!(out, "  users {{ include {}", self.include_users.join(", "));
        if !self.exclude_users.is_empty() {
            let _ = write!(out, "  exclude {}", self.exclude_users.join(", "));
        }
        out.push_str(" }\n");
        let _ = write!(out, "  apps {{ include {}", self.include_apps.join(", "));
        if !self.exclude_apps.is_empty() {
            let _ = write!(out, "  exclude {}", self.exclude_apps.join(", "));
        }
        out.push_str(" }\n");
        if !self.conditions.is_empty() {
            let _ = writeln!(out, "  conditions {{ {} }}", self.conditions.join("  "));
        }
        if let Some(g) = &self.grant {
            let _ = writeln!(out, "  grant {g}");
        }
        if let Some(s) = &self.session {
            let _ = writeln!(out, "  session {{ {s} }}");
        }
        out.push_str("}\n");
    }
}

#[derive(Debug, Clone)]
pub struct PackSpec {
    pub org_states: Vec<&'static str>,
    pub cross_tenant: Vec<CrossTenantSpec>,
    pub locations: Vec<String>,
    pub policies: Vec<PolicySpec>,
    /// A `directory` block (apps that require assignment), or nothing.
    pub directory: Option<String>,
}

impl PackSpec {
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("resource tenant contoso { id = \"00000000-0000-4000-8000-0000000000c0\" domains = [\"contoso.com\"] }\n");
        for (i, p) in PARTNERS.iter().enumerate() {
            let _ = writeln!(
                out,
                "tenant {p} {{ id = \"00000000-0000-4000-8000-00000000000{i}\" domains = [\"{p}.com\"] }}"
            );
        }
        out.push_str("organization \"Group\" {\n  contoso owner active\n");
        for (p, s) in PARTNERS.iter().zip(&self.org_states) {
            if *s != "none" {
                let _ = writeln!(out, "  {p} member {s}");
            }
        }
        out.push_str("}\n");
        for x in &self.cross_tenant {
            let _ = writeln!(
                out,
                "cross_tenant {} {{",
                x.tenant.as_deref().unwrap_or("default")
            );
            for r in &x.rules {
                let _ = writeln!(out, "  {r}");
            }
            if let Some(t) = &x.trust {
                let _ = writeln!(out, "  {}", t.render());
            }
            if x.service_provider {
                out.push_str("  service_provider\n");
            }
            out.push_str("}\n");
        }
        for l in &self.locations {
            out.push_str(l);
            out.push('\n');
        }
        for p in &self.policies {
            p.render(&mut out);
        }
        if let Some(d) = &self.directory {
            out.push_str(d);
        }
        out
    }
}

/// Power BI's application id: a first-party app may require assignment too.
const POWER_BI_ID: &str = "00000009-0000-0000-c000-000000000000";

/// A directory of apps that require assignment (the custom app, sometimes Power BI), each
/// assigned to some of the users and groups requests name; drawn from its own stream, so that
/// the rest of a pack is the same with or without it.
fn directory(rng: &mut Rng) -> Option<String> {
    if !rng.chance(50) {
        return None;
    }
    let mut out = String::from("directory {\n");
    out.push_str("  group \"everyone\" { members = dynamic 'user.objectId -ne null' }\n");
    for (i, id) in [CUSTOM_APP, POWER_BI_ID].iter().enumerate() {
        if i == 1 && !rng.chance(40) {
            continue;
        }
        let mut assigned: Vec<String> = rng
            .subset(&USERS, 30)
            .iter()
            .map(|u| format!("user \"{u}\""))
            .collect();
        assigned.extend(
            rng.subset(&GROUPS, 35)
                .iter()
                .map(|g| format!("group \"{g}\"")),
        );
        let required = if rng.chance(85) {
            "assignment_required  "
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  app \"app{i}\" {{ id = \"{id}\"  {required}assigned = [{}] }}",
            assigned.join(", ")
        );
    }
    out.push_str("}\n");
    Some(out)
}

const DIRECTORY_SALT: u64 = 0x0D12_EC70;

fn access(rng: &mut Rng) -> &'static str {
    if rng.chance(85) {
        "allow"
    } else {
        "block"
    }
}

/// A B2B rule that validation accepts: a `default` block targets no groups (E1031), and blocking
/// all users goes with blocking all apps and the reverse (E1032).
fn b2b_rule(rng: &mut Rng, kind: &str, is_default: bool) -> String {
    if rng.chance(60) {
        return format!("inbound {kind} = {}", access(rng));
    }
    let mut users: Option<(&str, Vec<String>)> = None;
    let mut apps: Option<(&str, Vec<String>)> = None;
    if rng.chance(70) {
        let targets: Vec<String> = if is_default || rng.chance(30) {
            vec!["all".into()]
        } else {
            rng.subset(&GROUPS, 40)
                .iter()
                .map(|g| format!("group \"{g}\""))
                .collect()
        };
        users = Some((access(rng), targets));
    }
    if rng.chance(70) || users.is_none() {
        let targets: Vec<String> = if rng.chance(30) {
            vec!["all".into()]
        } else {
            rng.subset(&APPS, 30)
                .iter()
                .map(|a| a.to_string())
                .collect()
        };
        apps = Some((access(rng), targets));
    }
    let block_all = |d: &Option<(&str, Vec<String>)>| {
        d.as_ref()
            .is_some_and(|(a, t)| *a == "block" && t == &["all".to_string()])
    };
    if let (Some(_), Some(_)) = (&users, &apps) {
        if block_all(&users) || block_all(&apps) {
            users = Some(("block", vec!["all".into()]));
            apps = Some(("block", vec!["all".into()]));
        }
    }
    let mut parts = Vec::new();
    if let Some((a, t)) = users {
        parts.push(format!("users {a} {}", t.join(", ")));
    }
    if let Some((a, t)) = apps {
        parts.push(format!("apps {a} {}", t.join(", ")));
    }
    format!("inbound {kind} {{ {} }}", parts.join("  "))
}

fn trust(rng: &mut Rng) -> TrustSpec {
    TrustSpec {
        mfa: rng.chance(50),
        compliant_device: rng.chance(40),
        hybrid_joined: rng.chance(30),
    }
}

fn location(rng: &mut Rng, i: usize) -> String {
    if rng.chance(60) {
        let mut ranges = Vec::new();
        for _ in 0..1 + rng.below(3) {
            if rng.chance(75) {
                let prefix = 16 + rng.below(13);
                ranges.push(format!(
                    "\"10.{}.{}.0/{prefix}\"",
                    rng.below(4),
                    rng.below(4) * 64
                ));
            } else {
                ranges.push(format!("\"2001:db8:{:x}::/48\"", rng.below(4)));
            }
        }
        let trusted = if rng.chance(50) { " trusted" } else { "" };
        format!(
            "location loc{i} {{ ip = [{}]{trusted} }}",
            ranges.join(", ")
        )
    } else {
        let codes: Vec<String> = rng
            .subset(&COUNTRIES, 30)
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect();
        let unknown = if rng.chance(30) {
            " unknown_countries"
        } else {
            ""
        };
        format!(
            "location loc{i} {{ countries = [{}]{unknown} }}",
            codes.join(", ")
        )
    }
}

fn user_target(rng: &mut Rng) -> String {
    match rng.below(20) {
        0..=3 => "all".into(),
        4..=7 => "guests_or_external".into(),
        8 | 9 => format!("group \"{}\"", rng.pick(&GROUPS)),
        10 => "role global_administrator".into(),
        11 => format!("user \"{}\"", rng.pick(&USERS)),
        _ => {
            let types = if rng.chance(35) {
                "all".to_string()
            } else {
                rng.subset(&EXTERNAL_TYPES, 45).join(", ")
            };
            let origin = match rng.below(8) {
                0 => "organization".to_string(),
                1 => "outside_organization".to_string(),
                2 => format!("tenants({})", rng.subset(&PARTNERS, 40).join(", ")),
                _ => "any".to_string(),
            };
            format!("external({types}) from {origin}")
        }
    }
}

fn app_target(rng: &mut Rng) -> String {
    match rng.below(20) {
        0..=4 => "all".into(),
        5..=9 => "office365".into(),
        10 => format!("app \"{CUSTOM_APP}\""),
        11 => "auth_context \"c1\"".into(),
        _ => rng.pick(&APPS).to_string(),
    }
}

fn conditions(rng: &mut Rng, locations: usize) -> Vec<String> {
    let mut c = Vec::new();
    if rng.chance(25) {
        let platforms = ["ios", "android", "windows", "macos", "linux"];
        if rng.chance(30) {
            c.push(format!(
                "platforms = include(all) exclude({})",
                rng.subset(&platforms, 30).join(", ")
            ));
        } else {
            c.push(format!(
                "platforms = include({})",
                rng.subset(&platforms, 40).join(", ")
            ));
        }
    }
    if rng.chance(35) && locations > 0 {
        let names: Vec<String> = (0..locations).map(|i| format!("loc{i}")).collect();
        let inc = if rng.chance(40) {
            "all".to_string()
        } else {
            rng.subset(&names, 40).join(", ")
        };
        let exc = if rng.chance(50) {
            let mut e = rng.subset(&names, 30);
            if rng.chance(30) {
                e.push("all_trusted".into());
            }
            format!(" exclude({})", e.join(", "))
        } else {
            String::new()
        };
        c.push(format!("locations = include({inc}){exc}"));
    }
    // The compliant network, on a stream of its own (the rest of the pack is what it was).
    let mut gsa = rng.fork(0x4753_4131);
    if gsa.chance(8) && !c.iter().any(|x| x.starts_with("locations")) {
        c.push(
            if gsa.chance(70) {
                "locations = include(all) exclude(compliant_network)"
            } else {
                "locations = include(compliant_network)"
            }
            .into(),
        );
    }
    if rng.chance(20) {
        let clients = ["browser", "mobile_desktop", "exchange_active_sync", "other"];
        c.push(format!(
            "client_apps = [{}]",
            rng.subset(&clients, 50).join(", ")
        ));
    }
    if rng.chance(15) {
        let levels = ["low", "medium", "high"];
        c.push(format!(
            "sign_in_risk = [{}]",
            rng.subset(&levels, 50).join(", ")
        ));
    }
    if rng.chance(10) {
        let levels = ["medium", "high"];
        c.push(format!(
            "user_risk = [{}]",
            rng.subset(&levels, 50).join(", ")
        ));
    }
    if rng.chance(5) {
        c.push("auth_flows = [device_code]".into());
    }
    if rng.chance(3) {
        c.push("devices = exclude 'device.trustType -eq \"AzureAD\"'".into());
    }
    let mut side = rng.fork(INSIDER_SALT);
    if side.chance(12) {
        c.push(format!(
            "insider_risk = [{}]",
            side.subset(&INSIDER_LEVELS, 45).join(", ")
        ));
    }
    c
}

/// The levels an `insider_risk` condition may list (a request may also say `none`).
pub const INSIDER_LEVELS: [&str; 3] = ["minor", "moderate", "elevated"];
const INSIDER_SALT: u64 = 0x1051_DE42;

fn grant(rng: &mut Rng) -> Option<String> {
    let controls = [
        "mfa",
        "mfa",
        "mfa",
        "mfa",
        "terms_of_use \"T\"",
        "terms_of_use \"T\"",
        "compliant_device",
        "hybrid_joined",
        "approved_app",
        "app_protection",
        "terms_of_use \"T\"",
        "auth_strength phishing_resistant",
    ];
    match rng.below(20) {
        0 => Some("block".into()),
        1 => None,
        2..=9 => Some(rng.pick(&controls).to_string()),
        10..=13 => Some(format!(
            "all({})",
            distinct(rng.subset(&controls, 25)).join(", ")
        )),
        _ => Some(format!(
            "any({})",
            distinct(rng.subset(&controls, 25)).join(", ")
        )),
    }
}

/// The items in first-seen order, each once (a control may be required once: E1061).
fn distinct(items: Vec<&'static str>) -> Vec<&'static str> {
    let mut seen = Vec::new();
    for i in items {
        if !seen.contains(&i) {
            seen.push(i);
        }
    }
    seen
}

/// `all` stands alone in an include list (E1053); targets appear once.
fn include_list(items: Vec<String>) -> Vec<String> {
    if items.iter().any(|t| t == "all") {
        return vec!["all".into()];
    }
    let mut seen: Vec<String> = Vec::new();
    for i in items {
        if !seen.contains(&i) {
            seen.push(i);
        }
    }
    seen
}

/// A policy over the generated pack's names.
pub fn policy(rng: &mut Rng, name: String, locations: usize) -> PolicySpec {
    let state = match rng.below(10) {
        0 => "off",
        1 | 2 => "report_only",
        _ => "on",
    };
    let include_users = include_list((0..1 + rng.below(2)).map(|_| user_target(rng)).collect());
    // `all` cannot be excluded (E1054).
    let exclude_users: Vec<String> = if rng.chance(40) {
        vec![user_target(rng)]
    } else {
        Vec::new()
    };
    let exclude_users = exclude_users.into_iter().filter(|t| t != "all").collect();
    let mut include_apps = include_list((0..1 + rng.below(2)).map(|_| app_target(rng)).collect());
    let exclude_apps = if rng.chance(20) {
        vec![rng.pick(&APPS).to_string()]
    } else {
        Vec::new()
    };
    let mut grant = grant(rng);
    let mut conditions = conditions(rng, locations);
    let mut exclude_apps = exclude_apps;
    if rng.chance(3) {
        // The one shape password change allows (§1.13): all apps, with MFA, on user risk only.
        grant = Some("all(mfa, password_change)".into());
        include_apps = vec!["all".into()];
        exclude_apps.clear();
        conditions = vec!["user_risk = [high]".into()];
        return PolicySpec {
            name,
            state,
            include_users,
            exclude_users,
            include_apps,
            exclude_apps,
            conditions,
            grant,
            session: None,
        };
    }
    let mut session = if rng.chance(15) {
        Some("sign_in_frequency = 8h  persistent_browser = never".to_string())
    } else {
        None
    };
    // Token protection, on a stream of its own (the rest of the pack is what it was before).
    let mut token = rng.fork(0x544F_4B45);
    if token.chance(12) {
        session = Some(match session {
            Some(s) => format!("{s}  token_protection"),
            None => "token_protection".to_string(),
        });
    }
    if grant.is_none() && session.is_none() {
        grant = Some("mfa".into());
    }
    PolicySpec {
        name,
        state,
        include_users,
        exclude_users,
        include_apps,
        exclude_apps,
        conditions,
        grant,
        session,
    }
}

/// A pack with `policies` policies.
pub fn pack(seed: u64, policies: usize) -> PackSpec {
    let mut rng = Rng::new(seed);
    let org_states = PARTNERS
        .iter()
        .map(|_| *rng.pick(&["active", "active", "pending", "removed", "none"]))
        .collect();
    let mut cross_tenant = Vec::new();
    if rng.chance(80) {
        let mut rules = vec![b2b_rule(&mut rng, "b2b_collaboration", true)];
        if rng.chance(60) {
            rules.push(b2b_rule(&mut rng, "b2b_direct_connect", true));
        }
        cross_tenant.push(CrossTenantSpec {
            tenant: None,
            rules,
            trust: rng.chance(70).then(|| trust(&mut rng)),
            service_provider: false,
        });
    }
    for (i, p) in PARTNERS.iter().enumerate() {
        if rng.chance(70) {
            let mut rules = Vec::new();
            if rng.chance(60) {
                rules.push(b2b_rule(&mut rng, "b2b_collaboration", false));
            }
            if rng.chance(50) {
                rules.push(b2b_rule(&mut rng, "b2b_direct_connect", false));
            }
            cross_tenant.push(CrossTenantSpec {
                tenant: Some(p.to_string()),
                rules,
                trust: rng.chance(60).then(|| trust(&mut rng)),
                service_provider: i == 4,
            });
        }
    }
    let n_locations = 2 + rng.below(4);
    let locations = (0..n_locations).map(|i| location(&mut rng, i)).collect();
    let policies = (0..policies)
        .map(|i| policy(&mut rng, format!("policy {i}"), n_locations))
        .collect();
    PackSpec {
        org_states,
        cross_tenant,
        locations,
        policies,
        directory: directory(&mut Rng::new(seed).fork(DIRECTORY_SALT)),
    }
}

/// A request document (YAML flow style) drawn from the pack's names.
pub fn request_yaml(seed: u64) -> String {
    let mut rng = Rng::new(seed.wrapping_mul(31).wrapping_add(7));
    let mut user = vec![format!("name: {}", rng.pick(&USERS))];
    match rng.below(10) {
        0 | 1 => {}
        2 => user.push("type: guest".into()),
        3 => user.push(format!(
            "home: {}, kind: direct_connect",
            rng.pick(&PARTNERS)
        )),
        4 => user.push("type: guest, kind: other".into()),
        5 => user.push("home: p4".into()),
        6 => user.push("type: guest, home: elsewhere.com".into()),
        _ => user.push(format!(
            "type: {}, home: {}",
            rng.pick(&["guest", "member"]),
            rng.pick(&PARTNERS)
        )),
    }
    if rng.chance(60) {
        user.push(format!("groups: [{}]", rng.subset(&GROUPS, 40).join(", ")));
    }
    if rng.chance(15) {
        user.push("roles: [global_administrator]".into());
    }
    let app = match rng.below(12) {
        0 => CUSTOM_APP.to_string(),
        1 => "\"auth_context:c1\"".to_string(),
        2 => "\"action:register_security_info\"".to_string(),
        _ => rng.pick(&APPS).to_string(),
    };
    let mut parts = vec![
        format!("user: {{ {} }}", user.join(", ")),
        format!("app: {app}"),
    ];
    parts.push(format!(
        "client_app: {}",
        rng.pick(&[
            "browser",
            "browser",
            "mobile_desktop",
            "exchange_active_sync",
            "other"
        ])
    ));
    let mut device = Vec::new();
    if rng.chance(80) {
        device.push(format!(
            "platform: {}",
            rng.pick(&[
                "android",
                "ios",
                "windows",
                "macos",
                "linux",
                "windows_phone"
            ])
        ));
    }
    device.push(format!("compliant: {}", rng.chance(50)));
    device.push(format!("hybrid_joined: {}", rng.chance(30)));
    // On a stream of its own, so that the rest of the request (and every mix built on this
    // generator, the benchmarks' included) is what it was before `managed` existed.
    let mut managed = rng.fork(0x4D41_4E41);
    if managed.chance(50) {
        device.push(format!("managed: {}", managed.chance(50)));
    }
    device.push(format!(
        "registered: {}",
        rng.pick(&["home", "resource", "none"])
    ));
    device.push(format!("approved_app: {}", rng.chance(40)));
    device.push(format!("app_protection: {}", rng.chance(40)));
    // On a stream of its own, as `managed`: left out (not stated) a third of the time.
    let mut token = rng.fork(0x544F_4B42);
    if !token.chance(33) {
        device.push(format!("token_bound: {}", token.chance(50)));
    }
    parts.push(format!("device: {{ {} }}", device.join(", ")));
    let mut network = Vec::new();
    if rng.chance(80) {
        let ip = match rng.below(4) {
            0 => format!("\"2001:db8:{:x}::{:x}\"", rng.below(5), rng.below(999)),
            1 => format!("192.0.2.{}", rng.below(255)),
            _ => format!("10.{}.{}.{}", rng.below(5), rng.below(256), rng.below(256)),
        };
        network.push(format!("ip: {ip}"));
    }
    if rng.chance(80) {
        let c = if rng.chance(10) {
            "unknown"
        } else {
            rng.pick(&COUNTRIES)
        };
        network.push(format!("country: {c}"));
    }
    // On a stream of its own: left out (not stated) a third of the time.
    let mut gsa = rng.fork(0x4753_4132);
    if !gsa.chance(33) {
        network.push(format!("compliant_network: {}", gsa.chance(50)));
    }
    parts.push(format!("network: {{ {} }}", network.join(", ")));
    parts.push(format!(
        "auth: {{ mfa: {}, methods: [{}], terms_accepted: [{}], flow: {} }}",
        rng.pick(&["none", "home", "resource"]),
        rng.subset(&["password", "sms", "fido2", "authenticator_push"], 40)
            .join(", "),
        if rng.chance(30) { "T" } else { "" },
        rng.pick(&["none", "none", "none", "device_code"])
    ));
    let sign_in = rng.pick(&["none", "none", "low", "medium", "high"]);
    let user_risk = rng.pick(&["none", "none", "none", "high"]);
    let insider = rng
        .fork(INSIDER_SALT)
        .pick(&["none", "none", "none", "minor", "moderate", "elevated"]);
    parts.push(format!(
        "risk: {{ sign_in: {sign_in}, user: {user_risk}, insider: {insider} }}"
    ));
    parts.join("\n")
}

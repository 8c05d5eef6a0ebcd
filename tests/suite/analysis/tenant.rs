//! A generated tenant shaped like the real ones, at any size up to the platform's limit of 195
//! Conditional Access policies: named groups, named locations and partner tenants, and policies
//! drawn from the patterns real baselines use (MFA for everyone but break-glass, per-group app
//! rules, partner-specific guest rules, location blocks, device and risk rules, admin roles).
//!
//! Shared by `benches/analysis.rs`, `benches/evaluate.rs` and the analysis tests (`#[path]`), so
//! the figures in the README are measured on the packs the tests check.

#![allow(dead_code)]

/// The size of a generated tenant.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub policies: usize,
    pub groups: usize,
    pub locations: usize,
    pub partners: usize,
}

impl Shape {
    /// The platform's limit: 195 policies, 50 named groups, 30 named locations, 10 partners.
    pub const LIMIT: Shape = Shape {
        policies: 195,
        groups: 50,
        locations: 30,
        partners: 10,
    };

    pub fn with_policies(self, policies: usize) -> Shape {
        Shape { policies, ..self }
    }
}

/// SplitMix64: reproducible without a crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const APPS: [&str; 8] = [
    "exchange",
    "sharepoint",
    "teams",
    "power_bi",
    "azure_management",
    "graph",
    "office365",
    "viva_engage",
];
const ROLES: [&str; 4] = [
    "global_administrator",
    "security_administrator",
    "exchange_administrator",
    "sharepoint_administrator",
];
const COUNTRIES: [&str; 12] = [
    "US", "FR", "DE", "GB", "NL", "KP", "IR", "SY", "CU", "RU", "CN", "BR",
];

fn group(i: usize) -> String {
    format!("group \"Team {i:02}\"")
}

fn partner(i: usize) -> String {
    format!("partner{i:02}")
}

fn location(i: usize) -> String {
    format!("site{i:02}")
}

/// The pack's text (one file).
pub fn tenant(seed: u64, shape: Shape) -> String {
    let mut rng = Rng(seed);
    let mut out = String::new();
    out.push_str(
        "resource tenant contoso { id = \"2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01\"  domains = [\"contoso.com\"] }\n",
    );
    for p in 0..shape.partners {
        out.push_str(&format!(
            "tenant {} {{ id = \"{:08x}-0000-4000-8000-{:012x}\"  domains = [\"{}.com\"] }}\n",
            partner(p),
            p + 1,
            p + 1,
            partner(p)
        ));
    }
    out.push_str("organization \"Contoso Group\" {\n  contoso owner active\n");
    for p in 0..shape.partners.min(4) {
        let state = if p == 3 { "pending" } else { "active" };
        out.push_str(&format!("  {} member {state}\n", partner(p)));
    }
    out.push_str("}\n");
    out.push_str(
        "cross_tenant default {\n  inbound b2b_collaboration = allow\n  inbound b2b_direct_connect = block\n  trust none\n}\n",
    );
    for p in 0..shape.partners {
        let trust = match p % 3 {
            0 => "trust mfa, compliant_device",
            1 => "trust mfa",
            _ => "trust none",
        };
        let direct = if p % 2 == 0 { "allow" } else { "block" };
        out.push_str(&format!(
            "cross_tenant {} {{\n  inbound b2b_collaboration = allow\n  inbound b2b_direct_connect = {direct}\n  {trust}\n}}\n",
            partner(p)
        ));
    }
    for l in 0..shape.locations {
        if l % 3 == 2 {
            let a = COUNTRIES[l % COUNTRIES.len()];
            let b = COUNTRIES[(l * 7 + 3) % COUNTRIES.len()];
            let countries = if a == b {
                format!("\"{a}\"")
            } else {
                format!("\"{a}\", \"{b}\"")
            };
            out.push_str(&format!(
                "location {} {{ countries = [{countries}] }}\n",
                location(l)
            ));
        } else {
            let trusted = if l % 3 == 0 { "  trusted" } else { "" };
            out.push_str(&format!(
                "location {} {{ ip = [\"40.{}.0.0/16\", \"2001:db8:{:x}::/48\"]{trusted} }}\n",
                location(l),
                l,
                l
            ));
        }
    }
    // The baseline every real tenant has, so some invariants hold (and proving them takes
    // the whole refinement, not one counterexample).
    let baseline = [
        "policy \"Baseline: block legacy authentication\" {\n  users { include all  exclude group \"Break glass\" }\n  apps { include all }\n  conditions { client_apps = [exchange_active_sync, other] }\n  grant block\n}\n".to_string(),
        "policy \"Baseline: MFA for guests and external users\" {\n  users { include guests_or_external  exclude group \"Break glass\" }\n  apps { include all }\n  grant mfa\n}\n".to_string(),
        format!("policy \"Baseline: block outsiders in embargoed places\" {{\n  users {{ include external(all) from outside_organization }}\n  apps {{ include all }}\n  conditions {{ locations = include({}) }}\n  grant block\n}}\n", location(2 % shape.locations.max(1))),
    ];
    for (i, b) in baseline.iter().enumerate() {
        if i < shape.policies {
            out.push_str(b);
        }
    }
    for i in baseline.len()..shape.policies {
        out.push_str(&policy(&mut rng, i, shape));
    }
    out
}

fn policy(rng: &mut Rng, i: usize, shape: Shape) -> String {
    let state = match rng.below(10) {
        0 => "off",
        1 | 2 => "report_only",
        _ => "on",
    };
    let breakglass = "group \"Break glass\"";
    let some_group = |rng: &mut Rng| group(rng.below(shape.groups.max(1)));
    let some_location = |rng: &mut Rng| location(rng.below(shape.locations.max(1)));
    let (users, apps, conditions, grant) = match rng.below(10) {
        // Everyone but break-glass, an app, MFA.
        0 => (
            format!("include all  exclude {breakglass}"),
            rng.pick(&APPS).to_string(),
            String::new(),
            "mfa",
        ),
        // A team on its app, from anywhere but its site.
        1 | 2 => (
            format!("include {}  exclude {breakglass}", some_group(rng)),
            rng.pick(&APPS).to_string(),
            format!("locations = include(all) exclude({})", some_location(rng)),
            *rng.pick(&["mfa", "compliant_device", "any(mfa, compliant_device)"]),
        ),
        // A partner's guests.
        3 | 4 if shape.partners > 0 => (
            format!(
                "include external(b2b_guest, b2b_member) from tenants({})  exclude {}",
                partner(rng.below(shape.partners)),
                some_group(rng)
            ),
            rng.pick(&APPS).to_string(),
            String::new(),
            *rng.pick(&["mfa", "all(mfa, compliant_device)", "block"]),
        ),
        // Out-of-organisation users from a country list.
        5 => (
            "include external(all) from outside_organization".to_string(),
            "all".to_string(),
            format!("locations = include({})", some_location(rng)),
            "block",
        ),
        // Admin roles.
        6 => (
            format!("include role {}", rng.pick(&ROLES)),
            rng.pick(&["all", "azure_management"]).to_string(),
            String::new(),
            *rng.pick(&["mfa", "all(mfa, compliant_device)"]),
        ),
        // Mobile platforms for a team.
        7 => (
            format!("include {}", some_group(rng)),
            "office365".to_string(),
            "platforms = include(ios, android)  client_apps = [mobile_desktop]".to_string(),
            "any(approved_app, app_protection)",
        ),
        // Legacy clients.
        8 => (
            format!("include all  exclude {breakglass}, {}", some_group(rng)),
            "all".to_string(),
            "client_apps = [exchange_active_sync, other]".to_string(),
            "block",
        ),
        // Risky sign-ins for guests or a team.
        _ => (
            if rng.chance(50) {
                "include guests_or_external".to_string()
            } else {
                format!("include {}", some_group(rng))
            },
            "all".to_string(),
            "sign_in_risk = [medium, high]".to_string(),
            "mfa",
        ),
    };
    let conditions = if conditions.is_empty() {
        String::new()
    } else {
        format!("  conditions {{ {conditions} }}\n")
    };
    format!(
        "policy \"P{i:03}\" {{\n  state = {state}\n  users {{ {users} }}\n  apps {{ include {apps} }}\n{conditions}  grant {grant}\n}}\n"
    )
}

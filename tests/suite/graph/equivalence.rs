//! Evaluator equivalence of import and export (issue 5, "Correctness"): for every imported
//! policy set, the pack re-imported from its own Graph export decides every generated request
//! exactly as the imported pack does.
//!
//! Policy sets: each corpus source folder (Microsoft's documentation samples included: their
//! organisation and partners drive the user segments), and the Graph fixtures that hold
//! policies. Each is decided twice: as imported, and with every policy `on` (most corpus
//! policies are report-only or off, whose controls never reach a decision). In the first run
//! the imported pack is also compared with itself as written to `.policy` files and read back.
//!
//! The requests come from the pack's own equivalence classes (groups, roles, users, apps,
//! contexts, locations, tenants, risk levels and flows it mentions), crossed with the signals
//! every pack cares about (platform, device state, MFA, client app). The cartesian product is
//! sampled with a fixed seed, every value of every dimension at least once, at most
//! [`MAX_REQUESTS`] requests per policy set.
//!
//! Compared per request: the decision, the possible decisions, the signals they depend on, the
//! requirements, the merged session, and which enforced and report-only policies apply (by
//! name). A request that does not resolve must fail to resolve on both packs.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use std::path::PathBuf;

use accord::eval::trace::{PolicyTrace, Tri};
use accord::eval::{self, Compiled, Decision, DecisionSet, Evaluation, Requirement};
use accord::eval::{SessionOutcome, Signals};
use accord::graph::files::pack_files;
use accord::graph::names::NameMap;
use accord::graph::{self, ExportFormat, ExportOptions, Import, ImportOptions, InputFile};
use accord::model::catalog::{self, FirstPartyApp};
use accord::model::request::{Request, RequestDoc};
use accord::model::*;
use serde_json::{json, Map, Value};

use super::{fixtures, import, lenient, listing, sources};
use crate::eval::generate::Rng;

/// The most requests decided per policy set (on each pack compared).
const MAX_REQUESTS: usize = 2_000;

/// One policy set: where it came from and how it was imported.
struct PolicySet {
    label: String,
    options: ImportOptions,
    import: Import,
}

/// Every corpus source folder, and the fixtures that hold policies (they cover what the corpus
/// does not: organisations, names maps, the PowerShell shape).
fn policy_sets() -> Vec<PolicySet> {
    let mut sets = Vec::new();
    for source in sources() {
        let label = source
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let options = lenient();
        let import = import(&source, &options);
        sets.push(PolicySet {
            label,
            options,
            import,
        });
    }
    let names = std::fs::read_to_string(fixtures().join("names/names.yaml")).expect("read");
    let fixture_sets = [
        (
            "organization",
            ImportOptions {
                tenant: Some("2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01".into()),
                ..ImportOptions::default()
            },
        ),
        (
            "names",
            ImportOptions {
                names: NameMap::from_yaml(&names).expect("a names map"),
                tenant: Some("contoso.com".into()),
                lenient: false,
            },
        ),
        ("powershell", ImportOptions::default()),
        ("utf16be", ImportOptions::default()),
        ("lenient", lenient()),
        ("strengths", ImportOptions::default()),
    ];
    for (dir, options) in fixture_sets {
        let import = import(&fixtures().join(dir), &options);
        sets.push(PolicySet {
            label: format!("fixtures/graph/{dir}"),
            options,
            import,
        });
    }
    sets
}

fn compile(pack: &Pack, label: &str) -> Compiled {
    let validation = accord::validate::validate(pack.clone());
    let errors: Vec<String> = validation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    let validated = validation
        .validated
        .unwrap_or_else(|| panic!("{label}: the pack does not validate: {errors:#?}"));
    eval::compile(&validated)
}

/// Exports the imported pack to Graph JSON and imports that JSON again, as `accord export`
/// then `accord import --names names.yaml --tenant <the pack's resource tenant>` would (the
/// export holds policies and settings, not which tenant they are for).
fn reimport(set: &PolicySet) -> Import {
    let validated = accord::validate::validate(set.import.pack.clone())
        .validated
        .unwrap_or_else(|| panic!("{}: the imported pack validates", set.label));
    let export = graph::export(
        &validated,
        &ExportOptions {
            format: ExportFormat::Graph,
            names: set.import.names.clone(),
        },
    );
    assert!(
        !export.has_errors(),
        "{}: export failed: {:#?}",
        set.label,
        export.diagnostics
    );
    let inputs: Vec<InputFile> = export
        .files
        .iter()
        .map(|(path, v)| InputFile {
            path: PathBuf::from(path),
            bytes: serde_json::to_vec_pretty(v).expect("serialise"),
        })
        .collect();
    let options = ImportOptions {
        names: set.import.names.clone(),
        tenant: set.options.tenant.clone().or_else(|| {
            let resource = set.import.pack.resource_tenant()?;
            resource.id.as_ref().map(|i| i.value.clone())
        }),
        lenient: false,
    };
    let back = graph::import(&inputs, &options);
    assert!(
        !accord::diagnostic::has_errors(&back.diagnostics),
        "{}: the export does not import again:\n{}",
        set.label,
        listing(&back)
    );
    back
}

// ---- what a pack mentions ------------------------------------------------------------------------

/// The names, ids and levels a pack's policies and cross-tenant settings mention.
#[derive(Default)]
struct Mentions {
    groups: BTreeSet<String>,
    users: BTreeSet<String>,
    /// Role template ids.
    roles: BTreeSet<&'static str>,
    app_ids: BTreeSet<String>,
    contexts: BTreeSet<String>,
    sign_in_risk: BTreeSet<RiskLevel>,
    user_risk: BTreeSet<RiskLevel>,
    flows: BTreeSet<AuthFlow>,
    terms: BTreeSet<String>,
    strengths: bool,
}

impl Mentions {
    fn of(pack: &Pack) -> Mentions {
        let mut m = Mentions::default();
        for p in &pack.policies {
            for t in p.users.include.iter().chain(&p.users.exclude) {
                match &t.value {
                    UserTarget::Group(g) => {
                        m.groups.insert(g.clone());
                    }
                    UserTarget::User(u) => {
                        m.users.insert(u.clone());
                    }
                    UserTarget::Role(r) => {
                        if let Some(role) =
                            catalog::role_by_name(r).or_else(|| catalog::role_by_id(r))
                        {
                            m.roles.insert(role.id);
                        }
                    }
                    _ => {}
                }
            }
            for t in p.apps.include.iter().chain(&p.apps.exclude) {
                m.app(&t.value);
            }
            let c = &p.conditions;
            let levels = |l: &Option<ListCondition<RiskLevel>>| -> Vec<RiskLevel> {
                l.iter()
                    .flat_map(|l| l.value.iter().map(|x| x.value))
                    .collect()
            };
            m.sign_in_risk.extend(levels(&c.sign_in_risk));
            m.user_risk.extend(levels(&c.user_risk));
            if let Some(flows) = &c.auth_flows {
                m.flows.extend(flows.value.iter().map(|f| f.value));
            }
            for control in p.grant.iter().flat_map(|g| &g.controls) {
                match &control.value {
                    Control::TermsOfUse(t) => {
                        m.terms.insert(t.clone());
                    }
                    Control::AuthStrength(_) => m.strengths = true,
                    _ => {}
                }
            }
        }
        for x in &pack.cross_tenant {
            for rule in &x.rules {
                for t in rule.setting.users.iter().flat_map(|l| &l.targets) {
                    match &t.value {
                        XtUserTarget::Group(g) => {
                            m.groups.insert(g.clone());
                        }
                        XtUserTarget::User(u) => {
                            m.users.insert(u.clone());
                        }
                        XtUserTarget::All => {}
                    }
                }
                for t in rule.setting.apps.iter().flat_map(|l| &l.targets) {
                    m.app(&t.value);
                }
            }
        }
        m
    }

    fn app(&mut self, t: &AppTarget) {
        match t {
            // Only what a request can name: app ids, and contexts `c1` ... `c99`.
            AppTarget::App(id) if accord::model::request::is_guid(id) => {
                self.app_ids.insert(id.to_ascii_lowercase());
            }
            AppTarget::AuthContext(c) if request_app(&format!("auth_context:{c}")) => {
                self.contexts.insert(c.clone());
            }
            _ => {}
        }
    }
}

fn request_app(text: &str) -> bool {
    accord::model::request::AppRef::parse(text).is_ok()
}

// ---- the dimensions -----------------------------------------------------------------------------

/// Named partial requests (JSON documents that merge into a request).
struct Dimension {
    name: &'static str,
    values: Vec<(String, Value)>,
}

/// A tenant as a request names it: by id (names may differ between packs, ids do not), else a
/// domain, else its name.
fn home_of(t: &Tenant) -> String {
    t.id.as_ref()
        .map(|i| i.value.clone())
        .or_else(|| t.domains.first().map(|d| d.value.clone()))
        .unwrap_or_else(|| t.name.value.clone())
}

/// A tenant id no pack declares: the `default` cross-tenant settings apply to it.
const OUTSIDE_TENANT: &str = "0e5c1f2a-7b3d-4e6f-8a9b-0c1d2e3f4a5b";
/// An app id no pack names.
const OTHER_APP: &str = "6f1e2d3c-4b5a-4968-8776-655443322110";

fn user_dimension(pack: &Pack, m: &Mentions) -> Dimension {
    let mut values: Vec<(String, Value)> = Vec::new();
    let member = |extra: Value| {
        let mut user = json!({"name": "member@resource.example", "type": "member"});
        merge(&mut user, &extra);
        json!({ "user": user })
    };
    values.push(("member".into(), member(json!({}))));
    for g in &m.groups {
        values.push((
            format!("member of group {g}"),
            member(json!({"groups": [g]})),
        ));
    }
    for r in &m.roles {
        values.push((
            format!("member with role {r}"),
            member(json!({"roles": [r]})),
        ));
    }
    if !m.groups.is_empty() || !m.roles.is_empty() {
        values.push((
            "member of every group, with every role".into(),
            member(json!({"groups": m.groups, "roles": m.roles})),
        ));
    }
    // Included through one group, excluded through another: every group but one.
    if m.groups.len() > 1 {
        for g in &m.groups {
            let others: Vec<&String> = m.groups.iter().filter(|o| *o != g).collect();
            values.push((
                format!("member of every group but {g}, with every role"),
                member(json!({"groups": others, "roles": m.roles})),
            ));
        }
    }
    for u in &m.users {
        values.push((format!("user {u}"), member(json!({"name": u}))));
    }
    values.push((
        "internal guest".into(),
        json!({"user": {"name": "guest@resource.example", "type": "guest"}}),
    ));
    // External users: from each declared tenant (in the organisation or not), and from a
    // tenant the pack does not declare.
    let in_org: BTreeSet<&str> = pack
        .organizations
        .iter()
        .flat_map(|o| &o.members)
        .filter(|m| m.state.value == MemberState::Active)
        .map(|m| m.tenant.value.as_str())
        .collect();
    let service_providers: BTreeSet<&str> = pack
        .cross_tenant
        .iter()
        .filter(|x| x.service_provider.is_some())
        .filter_map(|x| x.tenant_name())
        .collect();
    let mut homes: Vec<(String, String)> = pack
        .tenants
        .iter()
        .filter(|t| !t.resource)
        .map(|t| {
            let how = if in_org.contains(t.name.value.as_str()) {
                "in-organization"
            } else {
                "partner"
            };
            (format!("{how} tenant {}", t.name.value), home_of(t))
        })
        .collect();
    homes.push(("an outside tenant".into(), OUTSIDE_TENANT.into()));
    for (label, home) in &homes {
        let user = |kind: &str, user_type: &str, groups: &BTreeSet<String>| {
            json!({"user": {"name": "external@home.example", "home": home, "kind": kind,
                            "type": user_type, "groups": groups}})
        };
        let none = BTreeSet::new();
        values.push((
            format!("b2b guest from {label}"),
            user("b2b_collaboration", "guest", &none),
        ));
        values.push((
            format!("b2b member from {label}"),
            user("b2b_collaboration", "member", &none),
        ));
        values.push((
            format!("direct connect from {label}"),
            user("direct_connect", "member", &none),
        ));
        if !m.groups.is_empty() {
            values.push((
                format!("b2b guest of every group from {label}"),
                user("b2b_collaboration", "guest", &m.groups),
            ));
        }
        let is_sp = pack
            .tenants
            .iter()
            .any(|t| home_of(t) == *home && service_providers.contains(t.name.value.as_str()));
        if is_sp || home == OUTSIDE_TENANT {
            values.push((
                format!("service provider from {label}"),
                user("service_provider", "member", &none),
            ));
        }
    }
    values.push((
        "other external (no Entra home)".into(),
        json!({"user": {"name": "someone@gmail.example", "kind": "other", "type": "guest"}}),
    ));
    Dimension {
        name: "user",
        values,
    }
}

fn app_dimension(m: &Mentions) -> Dimension {
    let mut apps: Vec<String> = FirstPartyApp::ALL
        .iter()
        .map(|a| a.name().to_string())
        .collect();
    apps.extend(m.app_ids.iter().cloned());
    apps.push(OTHER_APP.into());
    apps.push("action:register_security_info".into());
    apps.push("action:register_device".into());
    if m.contexts.is_empty() {
        apps.push("auth_context:c1".into());
    }
    apps.extend(m.contexts.iter().map(|c| format!("auth_context:{c}")));
    Dimension {
        name: "app",
        values: apps
            .into_iter()
            .map(|a| (a.clone(), json!({ "app": a })))
            .collect(),
    }
}

/// Every range of every IP location that parses.
fn ranges(pack: &Pack) -> Vec<ipnet::IpNet> {
    pack.locations
        .iter()
        .filter_map(|l| match &l.kind {
            LocationKind::Ip { ranges } => Some(ranges),
            LocationKind::Countries { .. } => None,
        })
        .flatten()
        .filter_map(|r| r.value.parse().ok())
        .collect()
}

fn location_dimension(pack: &Pack) -> Dimension {
    let ranges = ranges(pack);
    let codes: BTreeSet<String> = pack
        .locations
        .iter()
        .filter_map(|l| match &l.kind {
            LocationKind::Countries { codes, .. } => Some(codes),
            LocationKind::Ip { .. } => None,
        })
        .flatten()
        .map(|c| c.value.to_ascii_uppercase())
        .collect();
    let outside_ip: IpAddr = [
        "192.0.2.10",
        "198.51.100.10",
        "203.0.113.10",
        "2001:db8:ffff::10",
    ]
    .iter()
    .filter_map(|a| a.parse::<IpAddr>().ok())
    .find(|a| !ranges.iter().any(|r| r.contains(a)))
    .expect("an address outside every location");
    let outside_country = ["AQ", "BV", "HM", "TF", "GS"]
        .into_iter()
        .find(|c| !codes.contains(*c))
        .expect("a country outside every location");
    let mut values = vec![
        ("missing".to_string(), json!({})),
        (
            "outside every location".to_string(),
            json!({"network": {"ip": outside_ip, "country": outside_country,
                               "compliant_network": false}}),
        ),
        (
            "through the compliant network".to_string(),
            json!({"network": {"ip": outside_ip, "country": outside_country,
                               "compliant_network": true}}),
        ),
    ];
    for l in &pack.locations {
        let network = match &l.kind {
            LocationKind::Ip { ranges } => {
                let Some(net) = ranges
                    .iter()
                    .find_map(|r| r.value.parse::<ipnet::IpNet>().ok())
                else {
                    continue;
                };
                let ip = net.hosts().next().unwrap_or(net.addr());
                json!({"ip": ip, "country": outside_country})
            }
            LocationKind::Countries {
                codes,
                include_unknown,
                ..
            } => match codes.first() {
                Some(code) => json!({"ip": outside_ip, "country": code.value}),
                None if *include_unknown => json!({"ip": outside_ip, "country": "unknown"}),
                None => continue,
            },
        };
        values.push((
            format!("in {}", l.name.value),
            json!({ "network": network }),
        ));
    }
    Dimension {
        name: "location",
        values,
    }
}

fn device_dimension() -> Dimension {
    let values = [
        ("no device", json!({})),
        ("unregistered", json!({"registered": "none"})),
        (
            "compliant, registered at home",
            json!({"registered": "home", "compliant": true,
                   "attributes": {"trustType": "AzureAD", "deviceOwnership": "Company"}}),
        ),
        (
            "compliant, registered at the resource",
            json!({"registered": "resource", "compliant": true, "token_bound": true,
                   "attributes": {"trustType": "AzureAD", "deviceOwnership": "Company"}}),
        ),
        (
            "hybrid joined",
            json!({"registered": "resource", "hybrid_joined": true, "token_bound": false,
                   "attributes": {"trustType": "ServerAD", "deviceOwnership": "Company"}}),
        ),
        (
            "personal, registered",
            json!({"registered": "resource",
                   "attributes": {"trustType": "Workplace", "deviceOwnership": "Personal"}}),
        ),
        (
            "approved app with app protection on iOS",
            json!({"platform": "ios", "approved_app": true, "app_protection": true}),
        ),
        (
            "approved app with app protection on Android",
            json!({"platform": "android", "approved_app": true, "app_protection": true}),
        ),
    ];
    Dimension {
        name: "device",
        values: values
            .into_iter()
            .map(|(l, d)| (l.to_string(), json!({ "device": d })))
            .collect(),
    }
}

fn platform_dimension() -> Dimension {
    let mut values = vec![("missing".to_string(), json!({}))];
    for p in ["windows", "macos", "linux", "ios", "android"] {
        values.push((p.to_string(), json!({"device": {"platform": p}})));
    }
    Dimension {
        name: "platform",
        values,
    }
}

fn auth_dimension(m: &Mentions) -> Dimension {
    let mut values: Vec<(String, Value)> = ["none", "home", "resource"]
        .into_iter()
        .map(|mfa| (format!("mfa {mfa}"), json!({"auth": {"mfa": mfa}})))
        .collect();
    if m.strengths {
        values.push((
            "mfa resource with a security key".into(),
            json!({"auth": {"mfa": "resource", "methods": ["fido2"]}}),
        ));
        values.push((
            "mfa home with a security key".into(),
            json!({"auth": {"mfa": "home", "methods": ["fido2"]}}),
        ));
        values.push((
            "mfa home with password and a hardware token".into(),
            json!({"auth": {"mfa": "home", "methods": ["password", "oath_hardware"]}}),
        ));
        values.push((
            "mfa resource with password and SMS".into(),
            json!({"auth": {"mfa": "resource", "methods": ["password", "sms"]}}),
        ));
        values.push((
            "certificate, no MFA flag".into(),
            json!({"auth": {"methods": ["certificate_multi_factor"]}}),
        ));
    }
    if !m.terms.is_empty() {
        values.push((
            "mfa none, every terms of use accepted".into(),
            json!({"auth": {"mfa": "none", "terms_accepted": m.terms}}),
        ));
        values.push((
            "mfa resource, every terms of use accepted".into(),
            json!({"auth": {"mfa": "resource", "terms_accepted": m.terms}}),
        ));
    }
    Dimension {
        name: "auth",
        values,
    }
}

fn client_dimension() -> Dimension {
    Dimension {
        name: "client_app",
        values: ["browser", "mobile_desktop", "exchange_active_sync", "other"]
            .into_iter()
            .map(|c| (c.to_string(), json!({ "client_app": c })))
            .collect(),
    }
}

fn risk_dimension(name: &'static str, key: &str, levels: &BTreeSet<RiskLevel>) -> Dimension {
    let mut all = vec![RiskLevel::None];
    all.extend(levels.iter().copied().filter(|l| *l != RiskLevel::None));
    Dimension {
        name,
        values: all
            .into_iter()
            .map(|l| (l.name().to_string(), json!({"risk": { key: l.name() }})))
            .collect(),
    }
}

fn flow_dimension(m: &Mentions) -> Dimension {
    let mut values = vec![("none".to_string(), json!({}))];
    for f in &m.flows {
        values.push((f.name().to_string(), json!({"auth": {"flow": f.name()}})));
    }
    Dimension {
        name: "flow",
        values,
    }
}

fn dimensions(pack: &Pack) -> Vec<Dimension> {
    let m = Mentions::of(pack);
    vec![
        user_dimension(pack, &m),
        app_dimension(&m),
        location_dimension(pack),
        platform_dimension(),
        device_dimension(),
        auth_dimension(&m),
        client_dimension(),
        risk_dimension("sign_in_risk", "sign_in", &m.sign_in_risk),
        risk_dimension("user_risk", "user", &m.user_risk),
        flow_dimension(&m),
    ]
}

/// Deep merge: objects member by member, anything else replaced.
fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                merge(b.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// The value index of every dimension for each request: the whole product when it is small,
/// else a fixed-seed sample in which every value of every dimension occurs at least once.
fn sample(dims: &[Dimension], seed: u64) -> Vec<Vec<usize>> {
    let product = dims
        .iter()
        .fold(1usize, |n, d| n.saturating_mul(d.values.len()));
    if product <= MAX_REQUESTS {
        return (0..product)
            .map(|mut index| {
                let mut row = vec![0; dims.len()];
                for (i, d) in dims.iter().enumerate().rev() {
                    row[i] = index % d.values.len();
                    index /= d.values.len();
                }
                row
            })
            .collect();
    }
    let widest = dims.iter().map(|d| d.values.len()).max().unwrap_or(1);
    assert!(
        widest <= MAX_REQUESTS,
        "a dimension has more values than requests"
    );
    let mut rng = Rng::new(seed);
    // The first rows walk every dimension's values, each from a random offset so that they do
    // not always meet the same values of the others; the rest are drawn at random.
    let offsets: Vec<usize> = dims.iter().map(|d| rng.below(d.values.len())).collect();
    (0..MAX_REQUESTS)
        .map(|i| {
            dims.iter()
                .zip(&offsets)
                .map(|(d, offset)| {
                    let n = d.values.len();
                    if i < n {
                        (i + offset) % n
                    } else {
                        rng.below(n)
                    }
                })
                .collect()
        })
        .collect()
}

/// FNV-1a: a seed per policy set that does not depend on the order of the sets.
fn seed_of(label: &str) -> u64 {
    label.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A generated request: the dimension values it was made of, its document, and the request.
struct Generated {
    labels: String,
    doc: Value,
    request: Request,
}

/// The generated requests of a pack.
fn requests(pack: &Pack, label: &str) -> Vec<Generated> {
    let dims = dimensions(pack);
    sample(&dims, seed_of(label))
        .into_iter()
        .map(|row| {
            let mut doc = Value::Object(Map::new());
            let mut labels = Vec::new();
            for (i, d) in row.iter().zip(&dims) {
                let (value_label, partial) = &d.values[*i];
                merge(&mut doc, partial);
                labels.push(format!("{}: {value_label}", d.name));
            }
            let parsed: RequestDoc = serde_json::from_value(doc.clone())
                .unwrap_or_else(|e| panic!("{label}: generated request {doc} does not read: {e}"));
            let request = Request::from_doc(&parsed)
                .unwrap_or_else(|e| panic!("{label}: generated request {doc} is incomplete: {e}"));
            Generated {
                labels: labels.join("; "),
                doc,
                request,
            }
        })
        .collect()
}

// ---- the comparison -----------------------------------------------------------------------------

/// Everything compared about one decision.
#[derive(Debug, PartialEq)]
struct Answer<'a> {
    decision: Decision,
    possible: DecisionSet,
    depends_on: Signals,
    requirements: Vec<Requirement<'a>>,
    session: SessionOutcome<'a>,
    /// Enforced policies that apply or may apply, by name (sorted), with whether they do.
    applied: Vec<(&'a str, Tri)>,
    /// The same for report-only policies.
    report_only: Vec<(&'a str, Tri)>,
}

fn applied<'a>(traces: &[PolicyTrace<'a>]) -> Vec<(&'a str, Tri)> {
    let mut out: Vec<(&'a str, Tri)> = traces
        .iter()
        .filter(|p| p.applies != Tri::No)
        .map(|p| (p.policy.name.value.as_str(), p.applies))
        .collect();
    // Stable: policies of the same name stay in pack order, which export and import keep.
    out.sort_by_key(|p| p.0);
    out
}

fn answer(e: Evaluation<'_>) -> Answer<'_> {
    Answer {
        decision: e.decision,
        possible: e.possible,
        depends_on: e.depends_on,
        requirements: e.requirements,
        session: e.session,
        applied: applied(&e.trace.policies),
        report_only: applied(&e.trace.report_only),
    }
}

/// The fields in which two answers differ.
fn differing(a: &Answer<'_>, b: &Answer<'_>) -> Vec<&'static str> {
    let fields = [
        ("decision", a.decision == b.decision),
        ("possible decisions", a.possible == b.possible),
        ("signals depended on", a.depends_on == b.depends_on),
        ("requirements", a.requirements == b.requirements),
        ("session", a.session == b.session),
        ("applied policies", a.applied == b.applied),
        (
            "applied report-only policies",
            a.report_only == b.report_only,
        ),
    ];
    fields
        .into_iter()
        .filter(|(_, same)| !same)
        .map(|(name, _)| name)
        .collect()
}

/// What the comparisons saw, to show that the requests reach the policies.
#[derive(Default)]
struct Tally {
    requests: usize,
    decisions: BTreeMap<Decision, usize>,
    /// Policies that apply or may apply, enforced or report-only, summed over requests.
    applied: usize,
}

/// Decides every request on every pack; the first request on which a pack differs from the
/// first one, if any.
fn compare(
    label: &str,
    packs: &[(&str, Compiled)],
    requests: &[Generated],
    tally: &mut Tally,
) -> Option<String> {
    let ((first_name, first), others) = packs.split_first()?;
    for (i, g) in requests.iter().enumerate() {
        let a = eval::decide(first, &g.request).map(answer);
        tally.requests += 1;
        if let Ok(a) = &a {
            *tally.decisions.entry(a.decision).or_default() += 1;
            tally.applied += a.applied.len() + a.report_only.len();
        }
        for (name, other) in others {
            let b = eval::decide(other, &g.request).map(answer);
            let differ = match (&a, &b) {
                (Ok(a), Ok(b)) => differing(a, b),
                (Err(_), Err(_)) => Vec::new(),
                _ => vec!["resolution"],
            };
            if !differ.is_empty() {
                return Some(format!(
                    "policy set `{label}`, request #{i} ({}): {} differ\n{}\n{first_name}: {a:#?}\n{name}: {b:#?}",
                    g.labels,
                    differ.join(", "),
                    serde_json::to_string_pretty(&g.doc).unwrap_or_default()
                ));
            }
        }
    }
    None
}

/// The pack with every policy `on`: most corpus policies are report-only or off, whose
/// controls never reach the decision; enforcing them all (in every pack alike) compares what
/// their grants and sessions would do too.
fn every_policy_on(pack: &Pack) -> Pack {
    let mut pack = pack.clone();
    for p in &mut pack.policies {
        p.state.value = PolicyState::On;
    }
    pack
}

/// The imported pack as `accord import` writes it (`.policy` files), read back.
fn written(import: &Import) -> Pack {
    let files = pack_files(&import.pack, "");
    accord::load::load_texts(files.iter().map(|f| (f.name.as_str(), f.text.as_str()))).pack
}

/// Compares one policy set's packs: the failures, what was seen, and a line for the log.
fn check(set: &PolicySet) -> (Vec<String>, Tally, String) {
    let back = reimport(set);
    assert_eq!(
        back.pack.policies.len(),
        set.import.pack.policies.len(),
        "{}: every policy comes back",
        set.label
    );
    let requests = requests(&set.import.pack, &set.label);
    let mut failures = Vec::new();
    let mut total = Tally::default();
    let mut log = String::new();
    // The policies as imported, compared with the same pack as written to disk too (the
    // in-memory pack must be the one the user gets); then with every policy on.
    let variants: [(&str, Pack, Pack, Option<Pack>); 2] = [
        (
            "as imported",
            set.import.pack.clone(),
            back.pack.clone(),
            Some(written(&set.import)),
        ),
        (
            "every policy on",
            every_policy_on(&set.import.pack),
            every_policy_on(&back.pack),
            None,
        ),
    ];
    // Each variant on its own thread: the largest set takes most of the time.
    let results: Vec<(String, Option<String>, Tally)> = std::thread::scope(|s| {
        let handles: Vec<_> = variants
            .into_iter()
            .map(|(variant, imported, reimported, on_disk)| {
                let requests = &requests;
                s.spawn(move || {
                    let label = format!("{} ({variant})", set.label);
                    let mut packs = vec![
                        ("imported", compile(&imported, &label)),
                        ("re-imported from the export", compile(&reimported, &label)),
                    ];
                    if let Some(pack) = on_disk {
                        packs.push(("imported, as written to disk", compile(&pack, &label)));
                    }
                    let mut tally = Tally::default();
                    let failure = compare(&label, &packs, requests, &mut tally);
                    (label, failure, tally)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a comparison panicked"))
            .collect()
    });
    for (label, failure, tally) in results {
        failures.extend(failure);
        log.push_str(&format!(
            "{label}: {} policies, {} requests, {} policies applied, decisions {:?}\n",
            set.import.pack.policies.len(),
            tally.requests,
            tally.applied,
            tally.decisions
        ));
        total.requests += tally.requests;
        total.applied += tally.applied;
        for (d, n) in tally.decisions {
            *total.decisions.entry(d).or_default() += n;
        }
    }
    (failures, total, log)
}

#[test]
fn reimported_export_decides_like_the_import() {
    let sets = policy_sets();
    let results: Vec<(Vec<String>, Tally, String)> = std::thread::scope(|s| {
        let handles: Vec<_> = sets.iter().map(|set| s.spawn(|| check(set))).collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a policy set's comparison panicked"))
            .collect()
    });
    let mut failures = Vec::new();
    let mut total = Tally::default();
    for (f, tally, log) in results {
        eprint!("{log}");
        failures.extend(f);
        total.requests += tally.requests;
        total.applied += tally.applied;
        for (d, n) in tally.decisions {
            *total.decisions.entry(d).or_default() += n;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The requests reach the policies: every decision is at least 1% of the answers, and
    // policies apply.
    for d in Decision::ALL {
        let n = total.decisions.get(&d).copied().unwrap_or(0);
        assert!(n * 100 > total.requests, "{d}: {n} of {}", total.requests);
    }
    assert!(total.applied > total.requests, "{} applied", total.applied);
}

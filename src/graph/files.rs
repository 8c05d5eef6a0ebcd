//! An imported pack as files: one `.policy` file per policy (named after the policy), plus
//! `tenant.policy`, `locations.policy`, `cross_tenant.policy` and `sharing.policy` when the pack
//! has such items.
//!
//! The text of each file comes from [`render_pack_file`]. Until the canonical formatter lands,
//! that is a plain printer of the model below; it is the only place that prints pack text here.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::model::*;

/// A file of the pack: its name (no directory) and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackFile {
    pub name: String,
    pub text: String,
}

/// The file names the importer reserves for the non-policy items.
const RESERVED: &[&str] = &["tenant", "locations", "cross_tenant", "sharing"];

/// Splits a pack into files. Policy file names are slugged display names, made unique.
pub fn pack_files(pack: &Pack, header: &str) -> Vec<PackFile> {
    let mut files = Vec::new();
    let mut add = |name: &str, part: Pack, note: &str| {
        let mut text = String::new();
        text.push_str(header);
        text.push_str(note);
        text.push_str(&render_pack_file(&part));
        files.push(PackFile {
            name: format!("{name}.policy"),
            text,
        });
    };
    if !pack.tenants.is_empty() || !pack.organizations.is_empty() {
        let part = Pack {
            tenants: pack.tenants.clone(),
            organizations: pack.organizations.clone(),
            ..Pack::default()
        };
        let placeholder = pack
            .resource_tenant()
            .is_some_and(|t| t.name.value == super::import::PLACEHOLDER_TENANT && t.id.is_none());
        let note = if placeholder {
            "# PLACEHOLDER: the input did not say which tenant it came from. Set the id and domains\n\
             # of `imported` (or import again with `--tenant <id|domain>`).\n"
        } else {
            ""
        };
        add("tenant", part, note);
    }
    if !pack.locations.is_empty() {
        let part = Pack {
            locations: pack.locations.clone(),
            ..Pack::default()
        };
        add("locations", part, "");
    }
    if !pack.cross_tenant.is_empty() {
        let part = Pack {
            cross_tenant: pack.cross_tenant.clone(),
            ..Pack::default()
        };
        add("cross_tenant", part, "");
    }
    if !pack.sharing.is_empty() {
        let part = Pack {
            sharing: pack.sharing.clone(),
            ..Pack::default()
        };
        add("sharing", part, "");
    }
    let mut taken: BTreeSet<String> = RESERVED.iter().map(|s| s.to_string()).collect();
    for policy in &pack.policies {
        let base = slug(&policy.name.value);
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}-{n}");
            n += 1;
        }
        taken.insert(name.clone());
        let part = Pack {
            policies: vec![policy.clone()],
            ..Pack::default()
        };
        add(&name, part, "");
    }
    files
}

/// A file name for a display name: lower case, runs of other characters as one `-`, at most
/// 80 characters.
pub fn slug(display: &str) -> String {
    let mut out = String::new();
    for c in display.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.trim_matches('-').chars().take(80).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "policy".to_string()
    } else {
        out
    }
}

/// The text of a pack file. Switches to the canonical formatter once it lands.
pub fn render_pack_file(pack: &Pack) -> String {
    let mut p = Printer::default();
    p.pack(pack);
    p.out
}

const KEYWORDS: &[&str] = &[
    "resource",
    "tenant",
    "tenants",
    "id",
    "domains",
    "organization",
    "location",
    "ip",
    "countries",
    "unknown_countries",
    "trusted",
    "lookup",
    "cross_tenant",
    "default",
    "inbound",
    "outbound",
    "b2b_collaboration",
    "b2b_direct_connect",
    "allow",
    "block",
    "users",
    "apps",
    "all",
    "any",
    "none",
    "user",
    "group",
    "role",
    "trust",
    "mfa",
    "compliant_device",
    "hybrid_joined",
    "service_provider",
    "automatic_consent",
    "policy",
    "state",
    "include",
    "exclude",
    "external",
    "from",
    "app",
    "action",
    "auth_context",
    "conditions",
    "platforms",
    "locations",
    "client_apps",
    "sign_in_risk",
    "user_risk",
    "insider_risk",
    "devices",
    "auth_flows",
    "grant",
    "terms_of_use",
    "auth_strength",
    "custom",
    "session",
    "sign_in_frequency",
    "persistent_browser",
    "app_enforced_restrictions",
    "continuous_access_evaluation",
    "cloud_app_security",
    "disable_resilience_defaults",
    "extension",
    "sharing",
    "sharepoint",
    "onedrive",
    "site",
    "level",
    "invitations",
    "teams",
    "guest_access",
    "external_access",
    "on",
    "off",
    "groups",
    "calendar",
    "power_bi",
    "viva_engage",
    "external_networks",
];

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// A name as an identifier when it is one (and not a keyword), else quoted.
fn name(s: &str) -> String {
    let mut chars = s.chars();
    let ident = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ident && !KEYWORDS.contains(&s) && !crate::graph::names::is_guid(s) {
        s.to_string()
    } else {
        quote(s)
    }
}

fn strings(list: &[Spanned<String>]) -> String {
    let items: Vec<String> = list.iter().map(|s| quote(s)).collect();
    format!("[{}]", items.join(", "))
}

fn user_target(t: &UserTarget) -> String {
    match t {
        UserTarget::All => "all".into(),
        UserTarget::None => "none".into(),
        UserTarget::GuestsOrExternal => "guests_or_external".into(),
        UserTarget::User(u) => format!("user {}", quote(u)),
        UserTarget::Group(g) => format!("group {}", quote(g)),
        UserTarget::Role(r) => format!("role {}", name(r)),
        UserTarget::External { types, origin } => {
            let types: Vec<&str> = if types.is_empty() {
                vec!["all"]
            } else {
                types.iter().map(|t| t.name()).collect()
            };
            let origin = match &origin.value {
                Origin::Any => String::new(),
                Origin::Organization => " from organization".into(),
                Origin::OutsideOrganization => " from outside_organization".into(),
                Origin::Tenants(names) => {
                    let names: Vec<String> = names.iter().map(|n| name(n)).collect();
                    format!(" from tenants({})", names.join(", "))
                }
            };
            format!("external({}){origin}", types.join(", "))
        }
    }
}

fn app_target(t: &AppTarget) -> String {
    match t {
        AppTarget::All => "all".into(),
        AppTarget::None => "none".into(),
        AppTarget::Office365 => "office365".into(),
        AppTarget::AdminPortals => "admin_portals".into(),
        AppTarget::Named(a) => a.name().into(),
        AppTarget::App(id) => format!("app {}", quote(id)),
        AppTarget::Action(a) => format!("action {}", a.name()),
        AppTarget::AuthContext(c) => format!("auth_context {}", quote(c)),
    }
}

fn control(c: &Control) -> String {
    match c {
        Control::TermsOfUse(t) => format!("terms_of_use {}", quote(t)),
        Control::AuthStrength(AuthStrength::BuiltIn(s)) => format!("auth_strength {}", s.name()),
        Control::AuthStrength(AuthStrength::Custom(id)) => format!("auth_strength {}", quote(id)),
        Control::Custom(id) => format!("custom {}", quote(id)),
        other => other.keyword().into(),
    }
}

fn location_ref(l: &LocationRef) -> String {
    match l {
        LocationRef::All => "all".into(),
        LocationRef::AllTrusted => "all_trusted".into(),
        LocationRef::MfaTrustedIps => "mfa_trusted_ips".into(),
        LocationRef::Named(n) => name(n),
    }
}

fn level(l: SharingLevel) -> &'static str {
    l.name()
}

#[derive(Default)]
struct Printer {
    out: String,
    items: usize,
}

impl Printer {
    fn line(&mut self, indent: usize, text: &str) {
        let _ = writeln!(self.out, "{}{text}", "  ".repeat(indent));
    }

    fn item_gap(&mut self) {
        if self.items > 0 {
            self.out.push('\n');
        }
        self.items += 1;
    }

    fn pack(&mut self, pack: &Pack) {
        for t in &pack.tenants {
            self.item_gap();
            self.tenant(t);
        }
        for o in &pack.organizations {
            self.item_gap();
            self.line(0, &format!("organization {} {{", name(&o.name)));
            for m in &o.members {
                let role = match m.role.value {
                    OrgRole::Owner => "owner",
                    OrgRole::Member => "member",
                };
                let state = match m.state.value {
                    MemberState::Active => "active",
                    MemberState::Pending => "pending",
                    MemberState::Removed => "removed",
                };
                self.line(1, &format!("{} {role} {state}", name(&m.tenant)));
            }
            self.line(0, "}");
        }
        for l in &pack.locations {
            self.item_gap();
            self.location(l);
        }
        for x in &pack.cross_tenant {
            self.item_gap();
            self.cross_tenant(x);
        }
        for p in &pack.policies {
            self.item_gap();
            self.policy(p);
        }
        for s in &pack.sharing {
            self.item_gap();
            self.sharing(s);
        }
    }

    fn tenant(&mut self, t: &Tenant) {
        let head = if t.resource {
            "resource tenant"
        } else {
            "tenant"
        };
        let mut body = Vec::new();
        if let Some(id) = &t.id {
            body.push(format!("id = {}", quote(id)));
        }
        if !t.domains.is_empty() {
            body.push(format!("domains = {}", strings(&t.domains)));
        }
        if body.is_empty() {
            self.line(0, &format!("{head} {} {{}}", name(&t.name)));
            return;
        }
        self.line(0, &format!("{head} {} {{", name(&t.name)));
        for b in body {
            self.line(1, &b);
        }
        self.line(0, "}");
    }

    fn extensions(&mut self, indent: usize, extensions: &[Extension]) {
        if extensions.is_empty() {
            return;
        }
        self.line(indent, "extension {");
        for e in extensions {
            self.line(
                indent + 1,
                &format!("{} = {}", quote(&e.pointer), e.json.value),
            );
        }
        self.line(indent, "}");
    }

    fn location(&mut self, l: &Location) {
        self.line(0, &format!("location {} {{", name(&l.name)));
        match &l.kind {
            LocationKind::Ip { ranges } => self.line(1, &format!("ip = {}", strings(ranges))),
            LocationKind::Countries {
                codes,
                include_unknown,
                lookup,
            } => {
                self.line(1, &format!("countries = {}", strings(codes)));
                if *include_unknown {
                    self.line(1, "unknown_countries");
                }
                if *lookup == CountryLookup::Gps {
                    self.line(1, "lookup = gps");
                }
            }
        }
        if l.trusted.is_some() {
            self.line(1, "trusted");
        }
        self.extensions(1, &l.extensions);
        self.line(0, "}");
    }

    fn cross_tenant(&mut self, x: &CrossTenant) {
        let target = match &x.target {
            CrossTenantTarget::Default => "default".to_string(),
            CrossTenantTarget::Tenant(n) => name(n),
        };
        self.line(0, &format!("cross_tenant {target} {{"));
        for r in &x.rules {
            let dir = match r.direction.value {
                Direction::Inbound => "inbound",
                Direction::Outbound => "outbound",
            };
            let kind = match r.kind.value {
                B2bKind::B2bCollaboration => "b2b_collaboration",
                B2bKind::B2bDirectConnect => "b2b_direct_connect",
            };
            let access = |a: Access| match a {
                Access::Allow => "allow",
                Access::Block => "block",
            };
            if let Some(short) = &r.setting.short {
                self.line(1, &format!("{dir} {kind} = {}", access(short.value)));
                continue;
            }
            self.line(1, &format!("{dir} {kind} {{"));
            if let Some(u) = &r.setting.users {
                let targets: Vec<String> = u
                    .targets
                    .iter()
                    .map(|t| match &t.value {
                        XtUserTarget::All => "all".to_string(),
                        XtUserTarget::User(s) => format!("user {}", quote(s)),
                        XtUserTarget::Group(s) => format!("group {}", quote(s)),
                    })
                    .collect();
                self.line(
                    2,
                    &format!("users {} {}", access(u.access.value), targets.join(", ")),
                );
            }
            if let Some(a) = &r.setting.apps {
                let targets: Vec<String> = a.targets.iter().map(|t| app_target(t)).collect();
                self.line(
                    2,
                    &format!("apps {} {}", access(a.access.value), targets.join(", ")),
                );
            }
            self.line(1, "}");
        }
        if let Some(t) = &x.trust {
            let mut claims = Vec::new();
            if t.mfa {
                claims.push("mfa");
            }
            if t.compliant_device {
                claims.push("compliant_device");
            }
            if t.hybrid_joined {
                claims.push("hybrid_joined");
            }
            let claims = if claims.is_empty() {
                "none".to_string()
            } else {
                claims.join(", ")
            };
            self.line(1, &format!("trust {claims}"));
        }
        if x.service_provider.is_some() {
            self.line(1, "service_provider");
        }
        if let Some(c) = &x.auto_consent {
            let mut dirs = Vec::new();
            if c.inbound {
                dirs.push("inbound");
            }
            if c.outbound {
                dirs.push("outbound");
            }
            self.line(1, &format!("automatic_consent {}", dirs.join(", ")));
        }
        self.extensions(1, &x.extensions);
        self.line(0, "}");
    }

    /// `include a, b` lines: one line, or one target per line when there are many.
    fn targets(&mut self, indent: usize, keyword: &str, items: &[String]) {
        if items.is_empty() {
            return;
        }
        if items.len() <= 4 {
            self.line(indent, &format!("{keyword} {}", items.join(", ")));
        } else {
            for i in items {
                self.line(indent, &format!("{keyword} {i}"));
            }
        }
    }

    fn policy(&mut self, p: &Policy) {
        self.line(0, &format!("policy {} {{", quote(&p.name)));
        if p.state_written || p.state.value != PolicyState::On {
            self.line(1, &format!("state = {}", p.state.as_str()));
        }
        if !p.users.include.is_empty() || !p.users.exclude.is_empty() {
            self.line(1, "users {");
            let inc: Vec<String> = p.users.include.iter().map(|t| user_target(t)).collect();
            let exc: Vec<String> = p.users.exclude.iter().map(|t| user_target(t)).collect();
            self.targets(2, "include", &inc);
            self.targets(2, "exclude", &exc);
            self.line(1, "}");
        }
        if !p.apps.include.is_empty() || !p.apps.exclude.is_empty() {
            self.line(1, "apps {");
            let inc: Vec<String> = p.apps.include.iter().map(|t| app_target(t)).collect();
            let exc: Vec<String> = p.apps.exclude.iter().map(|t| app_target(t)).collect();
            self.targets(2, "include", &inc);
            self.targets(2, "exclude", &exc);
            self.line(1, "}");
        }
        self.conditions(&p.conditions);
        if let Some(g) = &p.grant {
            let controls: Vec<String> = g.controls.iter().map(|c| control(c)).collect();
            let text = match (g.op.value, controls.as_slice()) {
                (GrantOp::Single, [one]) => one.clone(),
                (GrantOp::All, _) => format!("all({})", controls.join(", ")),
                _ => format!("any({})", controls.join(", ")),
            };
            self.line(1, &format!("grant {text}"));
        }
        if let Some(s) = &p.session {
            self.session(s);
        }
        self.extensions(1, &p.extensions);
        self.line(0, "}");
    }

    fn conditions(&mut self, c: &Conditions) {
        let mut lines = Vec::new();
        let inc_exc = |ie: &IncludeExclude<String>| {
            let mut s = format!(
                "include({})",
                ie.include
                    .iter()
                    .map(|x| x.value.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if !ie.exclude.is_empty() {
                let _ = write!(
                    s,
                    " exclude({})",
                    ie.exclude
                        .iter()
                        .map(|x| x.value.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            s
        };
        let names = |ie: Vec<String>| -> Vec<Spanned<String>> {
            ie.into_iter().map(Spanned::synthetic).collect()
        };
        if let Some(p) = &c.platforms {
            let ie = IncludeExclude {
                include: names(p.include.iter().map(|x| x.name().to_string()).collect()),
                exclude: names(p.exclude.iter().map(|x| x.name().to_string()).collect()),
                span: p.span,
            };
            lines.push(format!("platforms = {}", inc_exc(&ie)));
        }
        if let Some(l) = &c.locations {
            let ie = IncludeExclude {
                include: names(l.include.iter().map(|x| location_ref(x)).collect()),
                exclude: names(l.exclude.iter().map(|x| location_ref(x)).collect()),
                span: l.span,
            };
            lines.push(format!("locations = {}", inc_exc(&ie)));
        }
        let list = |items: Vec<&str>| format!("[{}]", items.join(", "));
        if let Some(a) = &c.client_apps {
            lines.push(format!(
                "client_apps = {}",
                list(a.iter().map(|x| x.name()).collect())
            ));
        }
        if let Some(r) = &c.sign_in_risk {
            lines.push(format!(
                "sign_in_risk = {}",
                list(r.iter().map(|x| x.name()).collect())
            ));
        }
        if let Some(r) = &c.user_risk {
            lines.push(format!(
                "user_risk = {}",
                list(r.iter().map(|x| x.name()).collect())
            ));
        }
        if let Some(r) = &c.insider_risk {
            lines.push(format!(
                "insider_risk = {}",
                list(r.iter().map(|x| x.name()).collect())
            ));
        }
        if let Some(d) = &c.devices {
            let mode = match d.mode.value {
                FilterMode::Include => "include",
                FilterMode::Exclude => "exclude",
            };
            let rule = if d.rule.contains('\'') || d.rule.contains('\n') {
                quote(&d.rule)
            } else {
                format!("'{}'", d.rule.value)
            };
            lines.push(format!("devices = {mode} {rule}"));
        }
        if let Some(f) = &c.auth_flows {
            lines.push(format!(
                "auth_flows = {}",
                list(f.iter().map(|x| x.name()).collect())
            ));
        }
        if lines.is_empty() {
            return;
        }
        self.line(1, "conditions {");
        for l in lines {
            self.line(2, &l);
        }
        self.line(1, "}");
    }

    fn session(&mut self, s: &Session) {
        self.line(1, "session {");
        if let Some(f) = &s.sign_in_frequency {
            let v = match f.value {
                SignInFrequency::EveryTime => "every_time".to_string(),
                SignInFrequency::Every {
                    value,
                    unit: FrequencyUnit::Hours,
                } => format!("{value}h"),
                SignInFrequency::Every {
                    value,
                    unit: FrequencyUnit::Days,
                } => format!("{value}d"),
            };
            self.line(2, &format!("sign_in_frequency = {v}"));
        }
        if let Some(b) = &s.persistent_browser {
            let v = match b.value {
                PersistentBrowser::Always => "always",
                PersistentBrowser::Never => "never",
            };
            self.line(2, &format!("persistent_browser = {v}"));
        }
        if s.app_enforced_restrictions.is_some() {
            self.line(2, "app_enforced_restrictions");
        }
        if let Some(c) = &s.continuous_access_evaluation {
            let v = match c.value {
                ContinuousAccessEvaluation::Strict => "strict",
                ContinuousAccessEvaluation::Disabled => "disabled",
            };
            self.line(2, &format!("continuous_access_evaluation = {v}"));
        }
        if let Some(c) = &s.cloud_app_security {
            let v = match c.value {
                CloudAppSecurity::MonitorOnly => "monitor_only",
                CloudAppSecurity::BlockDownloads => "block_downloads",
                CloudAppSecurity::McasConfigured => "mcas_configured",
            };
            self.line(2, &format!("cloud_app_security = {v}"));
        }
        if s.disable_resilience_defaults.is_some() {
            self.line(2, "disable_resilience_defaults");
        }
        self.line(1, "}");
    }

    fn domain_lists(&mut self, indent: usize, lists: &[DomainList]) {
        for d in lists {
            let access = match d.access.value {
                Access::Allow => "allow",
                Access::Block => "block",
            };
            self.line(indent, &format!("domains {access} {}", strings(&d.domains)));
        }
    }

    fn sharing(&mut self, s: &Sharing) {
        self.line(0, "sharing {");
        if let Some(l) = &s.sharepoint {
            self.line(1, &format!("sharepoint = {}", level(l.value)));
        }
        if let Some(l) = &s.onedrive {
            self.line(1, &format!("onedrive = {}", level(l.value)));
        }
        for site in &s.sites {
            if site.domains.is_empty() {
                self.line(
                    1,
                    &format!("site {} = {}", quote(&site.url), level(site.level.value)),
                );
            } else {
                self.line(1, &format!("site {} {{", quote(&site.url)));
                self.line(2, &format!("level = {}", level(site.level.value)));
                self.domain_lists(2, &site.domains);
                self.line(1, "}");
            }
        }
        self.domain_lists(1, &s.domains);
        if let Some(inv) = &s.invitations {
            self.line(1, "invitations {");
            if let Some(f) = &inv.from {
                self.line(2, &format!("from = {}", f.name()));
            }
            self.domain_lists(2, &inv.domains);
            self.line(1, "}");
        }
        let on_off = |b: bool| if b { "on" } else { "off" };
        if let Some(b) = &s.teams_guest_access {
            self.line(1, &format!("teams guest_access = {}", on_off(b.value)));
        }
        if let Some(b) = &s.teams_external_enabled {
            self.line(1, &format!("teams external_access = {}", on_off(b.value)));
        }
        for d in &s.teams_external_domains {
            let access = match d.access.value {
                Access::Allow => "allow",
                Access::Block => "block",
            };
            self.line(
                1,
                &format!("teams external_access {access} {}", strings(&d.domains)),
            );
        }
        if let Some(b) = &s.groups_guest_access {
            self.line(1, &format!("groups guest_access = {}", on_off(b.value)));
        }
        for c in &s.calendar {
            self.line(
                1,
                &format!("calendar {} = {}", quote(&c.domain), c.level.name()),
            );
        }
        if let Some(b) = &s.power_bi_guest_access {
            self.line(1, &format!("power_bi guest_access = {}", on_off(b.value)));
        }
        if let Some(b) = &s.viva_engage_external_networks {
            self.line(
                1,
                &format!("viva_engage external_networks = {}", on_off(b.value)),
            );
        }
        self.extensions(1, &s.extensions);
        self.line(0, "}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slug("200 - <RING> - Base protection - All apps: Require MFA"),
            "200-ring-base-protection-all-apps-require-mfa"
        );
        assert_eq!(slug("***"), "policy");
    }

    #[test]
    fn names_are_quoted_when_needed() {
        assert_eq!(name("fabrikam"), "fabrikam");
        assert_eq!(name("default"), "\"default\"");
        assert_eq!(name("Woodgrove Bank"), "\"Woodgrove Bank\"");
    }
}

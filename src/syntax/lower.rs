//! Lowering: pest pairs to model nodes, one function per grammar rule.
//!
//! Enumerated values arrive as identifiers and are checked here (`E0002` with "did you mean").
//! A rule the lowering does not expect is reported as an internal error (`E0099`), never a panic.

mod directory;
mod exchange;
mod strength;
mod teams;
mod workloads;

use pest::iterators::Pair;

use super::{span_of, Rule};
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::model::catalog::{BuiltInStrength, FirstPartyApp};
use crate::model::*;
use crate::source::{FileId, Span};

pub(super) struct Lowering<'t> {
    file: FileId,
    text: &'t str,
    pub(super) diagnostics: Vec<Diagnostic>,
}

type P<'i> = Pair<'i, Rule>;

impl<'t> Lowering<'t> {
    pub(super) fn new(file: FileId, text: &'t str) -> Self {
        Lowering {
            file,
            text,
            diagnostics: Vec::new(),
        }
    }

    fn span(&self, pair: &P<'_>) -> Span {
        span_of(self.file, pair.as_span())
    }

    fn unexpected(&mut self, pair: &P<'_>) {
        let d = Diagnostic::error(
            "E0099",
            format!(
                "internal: unexpected `{:?}` while reading the file",
                pair.as_rule()
            ),
        )
        .at(self.span(pair))
        .help("this is a bug in accord; please report it with the file");
        self.diagnostics.push(d);
    }

    /// A `string` pair unescaped (JSON escapes), or a `raw_string` without its quotes.
    fn string(&mut self, pair: &P<'_>) -> Spanned<String> {
        let span = self.span(pair);
        let raw = pair.as_str();
        let value = if pair.as_rule() == Rule::raw_string {
            raw.get(1..raw.len().saturating_sub(1))
                .unwrap_or("")
                .to_string()
        } else {
            match serde_json::from_str::<String>(raw) {
                Ok(s) => s,
                Err(_) => {
                    self.diagnostics.push(
                        Diagnostic::error("E0003", format!("invalid string {raw}"))
                            .at(span)
                            .help("escapes are those of JSON: `\\\"`, `\\\\`, `\\n`, `\\uXXXX`"),
                    );
                    raw.trim_matches('"').to_string()
                }
            }
        };
        Spanned::new(value, span)
    }

    /// A `name` (identifier or string), or an `ident`/`string` directly.
    fn name(&mut self, pair: P<'_>) -> Name {
        match pair.as_rule() {
            Rule::name => match pair.into_inner().next() {
                Some(inner) => self.name(inner),
                None => Spanned::new(String::new(), Span::default()),
            },
            Rule::string => self.string(&pair),
            _ => Spanned::new(pair.as_str().to_string(), self.span(&pair)),
        }
    }

    fn strings(&mut self, list: P<'_>) -> Vec<Spanned<String>> {
        list.into_inner().map(|p| self.string(&p)).collect()
    }

    /// The identifier inside a statement, which must be one of `options`.
    fn choice_in<T: Copy>(
        &mut self,
        pair: P<'_>,
        what: &str,
        options: &[(&str, T)],
    ) -> Option<Spanned<T>> {
        let v = pair.into_inner().find(|x| x.as_rule() == Rule::ident)?;
        self.choice(&v, what, options)
    }

    /// An identifier that must be one of `options`; `E0002` otherwise.
    fn choice<T: Copy>(
        &mut self,
        pair: &P<'_>,
        what: &str,
        options: &[(&str, T)],
    ) -> Option<Spanned<T>> {
        let text = pair.as_str();
        let span = self.span(pair);
        if let Some((_, v)) = options.iter().find(|(n, _)| *n == text) {
            return Some(Spanned::new(*v, span));
        }
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        let help = did_you_mean(text, names.iter().copied()).unwrap_or_else(|| {
            format!(
                "expected one of {}",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
        self.diagnostics.push(
            Diagnostic::error("E0002", format!("unknown {what} `{text}`"))
                .at(span)
                .help(help),
        );
        None
    }

    fn duplicate(&mut self, what: &str, span: Span, first: Span) {
        self.diagnostics.push(
            Diagnostic::error("E0004", format!("`{what}` is set twice"))
                .at(span)
                .label(first, "first set here")
                .help("keep one of them"),
        );
    }

    pub(super) fn file(&mut self, pair: P<'_>) -> Pack {
        let mut pack = Pack::default();
        for item in pair.into_inner() {
            match item.as_rule() {
                Rule::tenant_decl => pack.tenants.push(self.tenant(item)),
                Rule::organization => pack.organizations.push(self.organization(item)),
                Rule::location => pack.locations.push(self.location(item)),
                Rule::cross_tenant => pack.cross_tenant.push(self.cross_tenant(item)),
                Rule::policy => pack.policies.push(self.policy(item)),
                Rule::sharing => pack.sharing.push(self.sharing(item)),
                Rule::directory => pack.directory.push(self.directory(item)),
                Rule::strength_decl => pack.strengths.push(self.strength(item)),
                Rule::EOI => {}
                _ => self.unexpected(&item),
            }
        }
        pack
    }

    // ---- tenants ----------------------------------------------------------------------------

    fn tenant(&mut self, pair: P<'_>) -> Tenant {
        let span = self.span(&pair);
        let mut tenant = Tenant {
            name: Spanned::new(String::new(), span),
            resource: false,
            id: None,
            domains: Vec::new(),
            span,
        };
        let mut domains_span: Option<Span> = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::k_resource => tenant.resource = true,
                Rule::k_tenant => {}
                Rule::name => tenant.name = self.name(p),
                Rule::tenant_id => {
                    let s = self.span(&p);
                    if let Some(v) = p.into_inner().find(|x| x.as_rule() == Rule::string) {
                        if let Some(first) = &tenant.id {
                            let first = first.span;
                            self.duplicate("id", s, first);
                        }
                        tenant.id = Some(self.string(&v));
                    }
                }
                Rule::tenant_domains => {
                    let s = self.span(&p);
                    if let Some(first) = domains_span {
                        self.duplicate("domains", s, first);
                    }
                    domains_span = Some(s);
                    if let Some(list) = p.into_inner().find(|x| x.as_rule() == Rule::string_list) {
                        tenant.domains.extend(self.strings(list));
                    }
                }
                _ => self.unexpected(&p),
            }
        }
        tenant
    }

    fn organization(&mut self, pair: P<'_>) -> Organization {
        let span = self.span(&pair);
        let mut org = Organization {
            name: Spanned::new(String::new(), span),
            members: Vec::new(),
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::k_organization => {}
                Rule::name => org.name = self.name(p),
                Rule::org_member => {
                    if let Some(m) = self.org_member(p) {
                        org.members.push(m);
                    }
                }
                _ => self.unexpected(&p),
            }
        }
        org
    }

    fn org_member(&mut self, pair: P<'_>) -> Option<OrgMember> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let tenant = self.name(inner.next()?);
        let role_pair = inner.next()?;
        let state_pair = inner.next()?;
        let role = self.choice(
            &role_pair,
            "organization role",
            &[("owner", OrgRole::Owner), ("member", OrgRole::Member)],
        );
        let state = self.choice(
            &state_pair,
            "membership state",
            &[
                ("active", MemberState::Active),
                ("pending", MemberState::Pending),
                ("removed", MemberState::Removed),
            ],
        );
        Some(OrgMember {
            tenant,
            role: role?,
            state: state?,
            span,
        })
    }

    // ---- locations --------------------------------------------------------------------------

    fn location(&mut self, pair: P<'_>) -> Location {
        let span = self.span(&pair);
        let mut name = Spanned::new(String::new(), span);
        let mut ranges: Option<(Vec<Spanned<String>>, Span)> = None;
        let mut countries: Option<(Vec<Spanned<String>>, Span)> = None;
        let mut include_unknown = false;
        let mut lookup = CountryLookup::ClientIp;
        let mut trusted = None;
        let mut extensions = Vec::new();
        for p in pair.into_inner() {
            let s = self.span(&p);
            match p.as_rule() {
                Rule::k_location => {}
                Rule::name => name = self.name(p),
                Rule::loc_ip | Rule::loc_countries => {
                    let is_ip = p.as_rule() == Rule::loc_ip;
                    let list = p.into_inner().find(|x| x.as_rule() == Rule::string_list);
                    let values = list.map(|l| self.strings(l)).unwrap_or_default();
                    let slot = if is_ip { &mut ranges } else { &mut countries };
                    if let Some((_, first)) = slot {
                        let first = *first;
                        self.duplicate(if is_ip { "ip" } else { "countries" }, s, first);
                    } else {
                        *slot = Some((values, s));
                    }
                }
                Rule::loc_unknown => include_unknown = true,
                Rule::loc_trusted => trusted = Some(s),
                Rule::loc_lookup => {
                    if let Some(v) = p.into_inner().find(|x| x.as_rule() == Rule::ident) {
                        if let Some(l) = self.choice(
                            &v,
                            "country lookup",
                            &[
                                ("client_ip", CountryLookup::ClientIp),
                                ("gps", CountryLookup::Gps),
                            ],
                        ) {
                            lookup = l.value;
                        }
                    }
                }
                Rule::extension => extensions.extend(self.extension(p)),
                _ => self.unexpected(&p),
            }
        }
        let kind = match (ranges, countries) {
            (Some((ranges, _)), None) => LocationKind::Ip { ranges },
            (None, Some((codes, _))) => LocationKind::Countries {
                codes,
                include_unknown,
                lookup,
            },
            (Some((ranges, ip_span)), Some((_, c_span))) => {
                self.diagnostics.push(
                    Diagnostic::error(
                        "E0005",
                        format!("location `{}` has both `ip` and `countries`", name.value),
                    )
                    .at(c_span)
                    .label(ip_span, "`ip` set here")
                    .help(
                        "a named location is either IP ranges or countries: declare two locations",
                    ),
                );
                LocationKind::Ip { ranges }
            }
            (None, None) => {
                self.diagnostics.push(
                    Diagnostic::error(
                        "E0006",
                        format!("location `{}` has neither `ip` nor `countries`", name.value),
                    )
                    .at(name.span)
                    .help("add `ip = [\"203.0.113.0/24\"]` or `countries = [\"FR\"]`"),
                );
                LocationKind::Ip { ranges: Vec::new() }
            }
        };
        if matches!(kind, LocationKind::Ip { .. })
            && (include_unknown || lookup != CountryLookup::ClientIp)
        {
            self.diagnostics.push(
                Diagnostic::error("E0007", format!("`unknown_countries` and `lookup` apply only to country locations, not to `{}`", name.value))
                    .at(span)
                    .help("remove them, or make the location a `countries` location"),
            );
        }
        Location {
            name,
            kind,
            trusted,
            extensions,
            span,
        }
    }

    // ---- cross-tenant -----------------------------------------------------------------------

    fn cross_tenant(&mut self, pair: P<'_>) -> CrossTenant {
        let span = self.span(&pair);
        let mut xt = CrossTenant {
            target: CrossTenantTarget::Default,
            rules: Vec::new(),
            trust: None,
            service_provider: None,
            auto_consent: None,
            user_sync_inbound: None,
            tenant_restrictions: None,
            extensions: Vec::new(),
            span,
        };
        for p in pair.into_inner() {
            let s = self.span(&p);
            match p.as_rule() {
                Rule::k_cross_tenant => {}
                Rule::k_default => xt.target = CrossTenantTarget::Default,
                Rule::name => xt.target = CrossTenantTarget::Tenant(self.name(p)),
                Rule::xt_rule => {
                    if let Some(rule) = self.xt_rule(p) {
                        if let Some(first) = xt.rule(rule.direction.value, rule.kind.value) {
                            let first = first.span;
                            let what = format!(
                                "{} {}",
                                dir_name(rule.direction.value),
                                kind_name(rule.kind.value)
                            );
                            self.duplicate(&what, s, first);
                        } else {
                            xt.rules.push(rule);
                        }
                    }
                }
                Rule::xt_trust => {
                    let mut trust = Trust {
                        mfa: false,
                        compliant_device: false,
                        hybrid_joined: false,
                        span: s,
                    };
                    for c in p.into_inner().filter(|x| x.as_rule() == Rule::trust_claim) {
                        match c.into_inner().next().map(|k| k.as_rule()) {
                            Some(Rule::k_mfa) => trust.mfa = true,
                            Some(Rule::k_compliant_device) => trust.compliant_device = true,
                            Some(Rule::k_hybrid_joined) => trust.hybrid_joined = true,
                            _ => {}
                        }
                    }
                    if let Some(first) = &xt.trust {
                        let first = first.span;
                        self.duplicate("trust", s, first);
                    }
                    xt.trust = Some(trust);
                }
                Rule::xt_service_provider => xt.service_provider = Some(s),
                Rule::xt_tenant_restrictions => {
                    let mut setting = B2bSetting {
                        users: None,
                        apps: None,
                        short: None,
                        span: s,
                    };
                    for part in p.into_inner() {
                        match part.as_rule() {
                            Rule::k_tenant_restrictions => {}
                            _ => self.b2b_setting_part(part, &mut setting),
                        }
                    }
                    if let Some(first) = &xt.tenant_restrictions {
                        let first = first.span;
                        self.duplicate("tenant_restrictions", s, first);
                    } else {
                        xt.tenant_restrictions = Some(TenantRestrictions { setting, span: s });
                    }
                }
                Rule::xt_user_sync => {
                    if let Some(first) = xt.user_sync_inbound {
                        self.duplicate("user_sync inbound", s, first);
                    }
                    xt.user_sync_inbound = Some(s);
                }
                Rule::xt_consent => {
                    let mut consent = AutoConsent {
                        inbound: false,
                        outbound: false,
                        span: s,
                    };
                    for d in p.into_inner().filter(|x| x.as_rule() == Rule::direction) {
                        match d.into_inner().next().map(|k| k.as_rule()) {
                            Some(Rule::k_inbound) => consent.inbound = true,
                            Some(Rule::k_outbound) => consent.outbound = true,
                            _ => {}
                        }
                    }
                    xt.auto_consent = Some(consent);
                }
                Rule::extension => xt.extensions.extend(self.extension(p)),
                _ => self.unexpected(&p),
            }
        }
        xt
    }

    fn access(&mut self, pair: &P<'_>) -> Spanned<Access> {
        let span = self.span(pair);
        let allow = pair.clone().into_inner().next().map(|k| k.as_rule()) == Some(Rule::k_allow);
        Spanned::new(if allow { Access::Allow } else { Access::Block }, span)
    }

    fn xt_rule(&mut self, pair: P<'_>) -> Option<B2bRule> {
        let span = self.span(&pair);
        let mut direction = None;
        let mut kind = None;
        let mut setting = B2bSetting {
            users: None,
            apps: None,
            short: None,
            span,
        };
        for p in pair.into_inner() {
            let s = self.span(&p);
            match p.as_rule() {
                Rule::direction => {
                    let inbound =
                        p.into_inner().next().map(|k| k.as_rule()) == Some(Rule::k_inbound);
                    direction = Some(Spanned::new(
                        if inbound {
                            Direction::Inbound
                        } else {
                            Direction::Outbound
                        },
                        s,
                    ));
                }
                Rule::b2b_kind => {
                    let collab = p.into_inner().next().map(|k| k.as_rule())
                        == Some(Rule::k_b2b_collaboration);
                    kind = Some(Spanned::new(
                        if collab {
                            B2bKind::B2bCollaboration
                        } else {
                            B2bKind::B2bDirectConnect
                        },
                        s,
                    ));
                }
                Rule::access | Rule::xt_block => self.b2b_setting_part(p, &mut setting),
                _ => self.unexpected(&p),
            }
        }
        Some(B2bRule {
            direction: direction?,
            kind: kind?,
            setting,
            span,
        })
    }

    /// The `= allow` / `{ users ... apps ... }` part of a B2B setting or of tenant restrictions.
    fn b2b_setting_part(&mut self, p: P<'_>, setting: &mut B2bSetting) {
        let s = self.span(&p);
        match p.as_rule() {
            Rule::access => {
                setting.short = Some(self.access(&p));
                setting.span = s;
            }
            Rule::xt_block => {
                setting.span = s;
                for d in p.into_inner() {
                    let ds = self.span(&d);
                    match d.as_rule() {
                        Rule::xt_users => {
                            let list = self.xt_users(d);
                            if let Some(first) = &setting.users {
                                let first = first.access.span;
                                self.duplicate("users", ds, first);
                            } else {
                                setting.users = Some(list);
                            }
                        }
                        Rule::xt_apps => {
                            let list = self.xt_apps(d);
                            if let Some(first) = &setting.apps {
                                let first = first.access.span;
                                self.duplicate("apps", ds, first);
                            } else {
                                setting.apps = Some(list);
                            }
                        }
                        _ => self.unexpected(&d),
                    }
                }
            }
            _ => self.unexpected(&p),
        }
    }

    fn xt_users(&mut self, pair: P<'_>) -> TargetList<XtUserTarget> {
        let span = self.span(&pair);
        let mut access = Spanned::new(Access::Allow, span);
        let mut targets = Vec::new();
        for p in pair.into_inner() {
            let s = self.span(&p);
            match p.as_rule() {
                Rule::k_users => {}
                Rule::access => access = self.access(&p),
                Rule::xt_user_target => {
                    let mut inner = p.into_inner();
                    let head = inner.next().map(|k| k.as_rule());
                    let arg = inner
                        .next()
                        .map(|v| self.string(&v).value)
                        .unwrap_or_default();
                    let target = match head {
                        Some(Rule::k_user) => XtUserTarget::User(arg),
                        Some(Rule::k_group) => XtUserTarget::Group(arg),
                        _ => XtUserTarget::All,
                    };
                    targets.push(Spanned::new(target, s));
                }
                _ => self.unexpected(&p),
            }
        }
        TargetList { access, targets }
    }

    fn xt_apps(&mut self, pair: P<'_>) -> TargetList<AppTarget> {
        let span = self.span(&pair);
        let mut access = Spanned::new(Access::Allow, span);
        let mut targets = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::k_apps => {}
                Rule::access => access = self.access(&p),
                Rule::app_target => {
                    if let Some(t) = self.app_target(p) {
                        targets.push(t);
                    }
                }
                _ => self.unexpected(&p),
            }
        }
        TargetList { access, targets }
    }

    // ---- policies ---------------------------------------------------------------------------

    fn policy(&mut self, pair: P<'_>) -> Policy {
        let span = self.span(&pair);
        let mut policy = Policy {
            name: Spanned::new(String::new(), span),
            state: Spanned::new(PolicyState::On, span),
            state_written: false,
            users: Users {
                include: Vec::new(),
                exclude: Vec::new(),
                span,
            },
            apps: Apps {
                include: Vec::new(),
                exclude: Vec::new(),
                span,
            },
            conditions: Conditions::default(),
            grant: None,
            session: None,
            extensions: Vec::new(),
            span,
        };
        let mut seen: Vec<(&'static str, Span)> = Vec::new();
        for p in pair.into_inner() {
            let s = self.span(&p);
            let section = match p.as_rule() {
                Rule::state_stmt => Some("state"),
                Rule::users_block => Some("users"),
                Rule::workloads_block => Some("workloads"),
                Rule::apps_block => Some("apps"),
                Rule::conditions_block => Some("conditions"),
                Rule::grant_stmt => Some("grant"),
                Rule::session_block => Some("session"),
                _ => None,
            };
            if let Some(section) = section {
                if let Some((_, first)) = seen.iter().find(|(n, _)| *n == section) {
                    let first = *first;
                    self.duplicate(section, s, first);
                    continue;
                }
                seen.push((section, s));
            }
            match p.as_rule() {
                Rule::k_policy => {}
                Rule::string => policy.name = self.string(&p),
                Rule::state_stmt => {
                    if let Some(v) = p.into_inner().find(|x| x.as_rule() == Rule::ident) {
                        let options = [
                            ("on", PolicyState::On),
                            ("off", PolicyState::Off),
                            ("report_only", PolicyState::ReportOnly),
                        ];
                        if let Some(state) = self.choice(&v, "policy state", &options) {
                            policy.state = state;
                            policy.state_written = true;
                        }
                    }
                }
                Rule::users_block => {
                    policy.users = self.users(p);
                }
                Rule::apps_block => policy.apps = self.apps(p),
                Rule::workloads_block => policy.conditions.workloads = Some(self.workloads(p)),
                Rule::conditions_block => {
                    // `workloads` may come first; it is kept in the condition set.
                    let workloads = policy.conditions.workloads.take();
                    policy.conditions = self.conditions(p);
                    policy.conditions.workloads = workloads;
                }
                Rule::grant_stmt => policy.grant = self.grant(p),
                Rule::session_block => policy.session = Some(self.session(p)),
                Rule::extension => policy.extensions.extend(self.extension(p)),
                _ => self.unexpected(&p),
            }
        }
        policy
    }

    fn users(&mut self, pair: P<'_>) -> Users {
        let span = self.span(&pair);
        let (include, exclude) = self.targets(
            pair,
            [Rule::users_include, Rule::users_exclude, Rule::user_target],
            Self::user_target,
        );
        Users {
            include,
            exclude,
            span,
        }
    }

    /// The `include ...` / `exclude ...` lines of a `users` or `apps` block: `rules` names the
    /// include line, the exclude line and the target rule.
    fn targets<T>(
        &mut self,
        pair: P<'_>,
        rules: [Rule; 3],
        mut target: impl FnMut(&mut Self, P<'_>) -> Option<Spanned<T>>,
    ) -> (Vec<Spanned<T>>, Vec<Spanned<T>>) {
        let [include_rule, exclude_rule, target_rule] = rules;
        let (mut include, mut exclude) = (Vec::new(), Vec::new());
        for p in pair.into_inner() {
            let into = match p.as_rule() {
                Rule::k_users | Rule::k_apps => continue,
                r if r == include_rule => &mut include,
                r if r == exclude_rule => &mut exclude,
                _ => {
                    self.unexpected(&p);
                    continue;
                }
            };
            for t in p.into_inner().filter(|x| x.as_rule() == target_rule) {
                if let Some(t) = target(self, t) {
                    into.push(t);
                }
            }
        }
        (include, exclude)
    }

    fn user_target(&mut self, pair: P<'_>) -> Option<Spanned<UserTarget>> {
        let span = self.span(&pair);
        let inner = pair.into_inner().next()?;
        let target = match inner.as_rule() {
            Rule::ut_user => UserTarget::User(self.arg_string(inner)?),
            Rule::ut_group => UserTarget::Group(self.arg_string(inner)?),
            Rule::ut_role => {
                let name = inner.into_inner().find(|x| x.as_rule() == Rule::name)?;
                UserTarget::Role(self.name(name).value)
            }
            Rule::ut_keyword => {
                let ident = inner.into_inner().next()?;
                let options = [
                    ("all", UserTarget::All),
                    ("none", UserTarget::None),
                    ("guests_or_external", UserTarget::GuestsOrExternal),
                ];
                let text = ident.as_str();
                match options.iter().find(|(n, _)| *n == text) {
                    Some((_, t)) => t.clone(),
                    None => {
                        let mut names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
                        names.extend(["user", "group", "role", "external"]);
                        let help = did_you_mean(text, names.iter().copied())
                            .unwrap_or_else(|| "a user target is `all`, `none`, `guests_or_external`, `user \"upn\"`, `group \"name\"`, `role name` or `external(...) from ...`".to_string());
                        self.diagnostics.push(
                            Diagnostic::error("E0002", format!("unknown user target `{text}`"))
                                .at(self.span(&ident))
                                .help(help),
                        );
                        return None;
                    }
                }
            }
            Rule::ut_external => self.external_target(inner)?,
            _ => {
                self.unexpected(&inner);
                return None;
            }
        };
        Some(Spanned::new(target, span))
    }

    /// The string argument of `user "..."`, `group "..."`, `app "..."`...
    fn arg_string(&mut self, pair: P<'_>) -> Option<String> {
        let s = pair.into_inner().find(|x| x.as_rule() == Rule::string)?;
        Some(self.string(&s).value)
    }

    fn external_target(&mut self, pair: P<'_>) -> Option<UserTarget> {
        let span = self.span(&pair);
        let mut types = Vec::new();
        let mut all = false;
        let mut origin = Spanned::new(Origin::Any, span);
        let type_options: Vec<(&str, Option<ExternalType>)> = std::iter::once(("all", None))
            .chain(ExternalType::ALL.iter().map(|t| (t.name(), Some(*t))))
            .collect();
        for p in pair.into_inner() {
            let s = self.span(&p);
            match p.as_rule() {
                Rule::k_external | Rule::k_from => {}
                Rule::ident => {
                    if let Some(t) = self.choice(&p, "external user type", &type_options) {
                        match t.value {
                            None => all = true,
                            Some(ty) => types.push(Spanned::new(ty, t.span)),
                        }
                    }
                }
                Rule::origin => {
                    let inner = p.into_inner().next()?;
                    let value = match inner.as_rule() {
                        Rule::origin_tenants => {
                            let names = inner
                                .into_inner()
                                .filter(|x| x.as_rule() == Rule::name)
                                .map(|n| self.name(n))
                                .collect();
                            Origin::Tenants(names)
                        }
                        _ => {
                            let options = [
                                ("any", 0u8),
                                ("organization", 1),
                                ("outside_organization", 2),
                                ("tenants", 3),
                            ];
                            match self.choice(&inner, "origin", &options)?.value {
                                0 => Origin::Any,
                                1 => Origin::Organization,
                                2 => Origin::OutsideOrganization,
                                _ => {
                                    self.diagnostics.push(
                                        Diagnostic::error(
                                            "E0002",
                                            "`tenants` needs a list of tenant names",
                                        )
                                        .at(s)
                                        .help("write `from tenants(fabrikam, litware)`"),
                                    );
                                    return None;
                                }
                            }
                        }
                    };
                    origin = Spanned::new(value, s);
                }
                _ => self.unexpected(&p),
            }
        }
        if all {
            // `external(all)` is every type: the model says so with an empty list.
            types.clear();
        }
        Some(UserTarget::External { types, origin })
    }

    fn apps(&mut self, pair: P<'_>) -> Apps {
        let span = self.span(&pair);
        let (include, exclude) = self.targets(
            pair,
            [Rule::apps_include, Rule::apps_exclude, Rule::app_target],
            Self::app_target,
        );
        Apps {
            include,
            exclude,
            span,
        }
    }

    fn app_target(&mut self, pair: P<'_>) -> Option<Spanned<AppTarget>> {
        let span = self.span(&pair);
        let inner = pair.into_inner().next()?;
        let target = match inner.as_rule() {
            Rule::at_app => AppTarget::App(self.arg_string(inner)?),
            Rule::at_auth_context => AppTarget::AuthContext(self.arg_string(inner)?),
            Rule::at_action => {
                let ident = inner.into_inner().find(|x| x.as_rule() == Rule::ident)?;
                let options = [
                    ("register_security_info", UserAction::RegisterSecurityInfo),
                    ("register_device", UserAction::RegisterDevice),
                ];
                AppTarget::Action(self.choice(&ident, "user action", &options)?.value)
            }
            Rule::at_name => {
                let ident = inner.into_inner().next()?;
                let mut options: Vec<(&str, AppTarget)> = vec![
                    ("all", AppTarget::All),
                    ("none", AppTarget::None),
                    ("office365", AppTarget::Office365),
                    ("admin_portals", AppTarget::AdminPortals),
                ];
                options.extend(
                    FirstPartyApp::ALL
                        .iter()
                        .map(|a| (a.name(), AppTarget::Named(*a))),
                );
                let text = ident.as_str();
                match options.iter().find(|(n, _)| *n == text) {
                    Some((_, t)) => t.clone(),
                    None => {
                        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
                        let help = did_you_mean(text, names.iter().copied()).unwrap_or_else(|| {
                            format!(
                                "name an app ({}), or write `app \"<application id>\"`",
                                names
                                    .iter()
                                    .map(|n| format!("`{n}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )
                        });
                        self.diagnostics.push(
                            Diagnostic::error("E0002", format!("unknown app `{text}`"))
                                .at(self.span(&ident))
                                .help(help),
                        );
                        return None;
                    }
                }
            }
            _ => {
                self.unexpected(&inner);
                return None;
            }
        };
        Some(Spanned::new(target, span))
    }

    fn conditions(&mut self, pair: P<'_>) -> Conditions {
        let mut c = Conditions {
            span: self.span(&pair),
            ..Conditions::default()
        };
        for p in pair.into_inner() {
            let s = self.span(&p);
            let rule = p.as_rule();
            let key = match rule {
                Rule::k_conditions => continue,
                Rule::cond_platforms => "platforms",
                Rule::cond_locations => "locations",
                Rule::cond_client_apps => "client_apps",
                Rule::cond_sign_in_risk => "sign_in_risk",
                Rule::cond_user_risk => "user_risk",
                Rule::cond_insider_risk => "insider_risk",
                Rule::cond_devices => "devices",
                Rule::cond_auth_flows => "auth_flows",
                Rule::cond_sp_risk => "service_principal_risk",
                Rule::cond_agent_risk => "agent_risk",
                _ => {
                    self.unexpected(&p);
                    continue;
                }
            };
            let already = match rule {
                Rule::cond_platforms => c.platforms.as_ref().map(|x| x.span),
                Rule::cond_locations => c.locations.as_ref().map(|x| x.span),
                Rule::cond_client_apps => c.client_apps.as_ref().map(|x| x.span),
                Rule::cond_sign_in_risk => c.sign_in_risk.as_ref().map(|x| x.span),
                Rule::cond_user_risk => c.user_risk.as_ref().map(|x| x.span),
                Rule::cond_insider_risk => c.insider_risk.as_ref().map(|x| x.span),
                Rule::cond_devices => c.devices.as_ref().map(|x| x.mode.span.to(x.rule.span)),
                Rule::cond_sp_risk => c.service_principal_risk.as_ref().map(|x| x.span),
                Rule::cond_agent_risk => c.agent_risk.as_ref().map(|x| x.span),
                _ => c.auth_flows.as_ref().map(|x| x.span),
            };
            if let Some(first) = already {
                self.duplicate(key, s, first);
                continue;
            }
            match rule {
                Rule::cond_platforms => {
                    let options: Vec<(&str, Platform)> =
                        Platform::ALL.iter().map(|p| (p.name(), *p)).collect();
                    c.platforms = self.inc_exc(p, "platform", |l, n| {
                        l.named_choice(n, "platform", &options)
                    });
                }
                Rule::cond_locations => {
                    c.locations = self.inc_exc(p, "location", |_, n| {
                        let value = match n.value.as_str() {
                            "all" => LocationRef::All,
                            "all_trusted" => LocationRef::AllTrusted,
                            "mfa_trusted_ips" => LocationRef::MfaTrustedIps,
                            "compliant_network" => LocationRef::CompliantNetwork,
                            other => LocationRef::Named(other.to_string()),
                        };
                        Some(Spanned::new(value, n.span))
                    });
                }
                Rule::cond_client_apps => {
                    let options: Vec<(&str, ClientApp)> =
                        ClientApp::ALL.iter().map(|p| (p.name(), *p)).collect();
                    c.client_apps = Some(self.ident_list(p, s, "client app", &options));
                }
                Rule::cond_sign_in_risk
                | Rule::cond_user_risk
                | Rule::cond_sp_risk
                | Rule::cond_agent_risk => {
                    let options: Vec<(&str, RiskLevel)> =
                        RiskLevel::ALL.iter().map(|p| (p.name(), *p)).collect();
                    let list = Some(self.ident_list(p, s, "risk level", &options));
                    match rule {
                        Rule::cond_sign_in_risk => c.sign_in_risk = list,
                        Rule::cond_user_risk => c.user_risk = list,
                        Rule::cond_sp_risk => c.service_principal_risk = list,
                        _ => c.agent_risk = list,
                    }
                }
                Rule::cond_insider_risk => {
                    let options: Vec<(&str, InsiderRisk)> =
                        InsiderRisk::ALL.iter().map(|p| (p.name(), *p)).collect();
                    c.insider_risk = Some(self.ident_list(p, s, "insider risk level", &options));
                }
                Rule::cond_auth_flows => {
                    let options = [
                        ("device_code", AuthFlow::DeviceCode),
                        ("auth_transfer", AuthFlow::AuthTransfer),
                    ];
                    c.auth_flows = Some(self.ident_list(p, s, "authentication flow", &options));
                }
                _ => c.devices = self.devices(p),
            }
        }
        c
    }

    /// Like `choice`, for a `Name` already lowered.
    fn named_choice<T: Copy>(
        &mut self,
        name: &Name,
        what: &str,
        options: &[(&str, T)],
    ) -> Option<Spanned<T>> {
        if let Some((_, v)) = options.iter().find(|(n, _)| *n == name.value) {
            return Some(Spanned::new(*v, name.span));
        }
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        let help = did_you_mean(&name.value, names.iter().copied()).unwrap_or_else(|| {
            format!(
                "expected one of {}",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
        self.diagnostics.push(
            Diagnostic::error("E0002", format!("unknown {what} `{}`", name.value))
                .at(name.span)
                .help(help),
        );
        None
    }

    fn inc_exc<T>(
        &mut self,
        pair: P<'_>,
        _what: &str,
        mut item: impl FnMut(&mut Self, &Name) -> Option<Spanned<T>>,
    ) -> Option<IncludeExclude<T>> {
        let ie = pair.into_inner().find(|x| x.as_rule() == Rule::inc_exc)?;
        let mut result = IncludeExclude {
            include: Vec::new(),
            exclude: Vec::new(),
            span: self.span(&ie),
        };
        for list in ie.into_inner() {
            let include = list.as_rule() == Rule::inc_list;
            for n in list.into_inner().filter(|x| x.as_rule() == Rule::name) {
                let name = self.name(n);
                if let Some(v) = item(self, &name) {
                    if include {
                        result.include.push(v);
                    } else {
                        result.exclude.push(v);
                    }
                }
            }
        }
        Some(result)
    }

    fn ident_list<T: Copy>(
        &mut self,
        pair: P<'_>,
        span: Span,
        what: &str,
        options: &[(&str, T)],
    ) -> ListCondition<T> {
        let mut values = Vec::new();
        if let Some(list) = pair.into_inner().find(|x| x.as_rule() == Rule::ident_list) {
            for v in list.into_inner() {
                if let Some(x) = self.choice(&v, what, options) {
                    values.push(x);
                }
            }
        }
        Spanned::new(values, span)
    }

    fn devices(&mut self, pair: P<'_>) -> Option<DeviceCondition> {
        let mut mode = None;
        let mut rule = None;
        for p in pair.into_inner() {
            let s = self.span(&p);
            match p.as_rule() {
                Rule::k_devices => {}
                Rule::k_include => mode = Some(Spanned::new(FilterMode::Include, s)),
                Rule::k_exclude => mode = Some(Spanned::new(FilterMode::Exclude, s)),
                Rule::string | Rule::raw_string => rule = Some(self.string(&p)),
                _ => self.unexpected(&p),
            }
        }
        let rule = rule?;
        let filter = self.device_filter(&rule);
        Some(DeviceCondition {
            mode: mode?,
            rule,
            filter,
        })
    }

    fn grant(&mut self, pair: P<'_>) -> Option<Grant> {
        let span = self.span(&pair);
        let body = pair.into_inner().find(|x| x.as_rule() != Rule::k_grant)?;
        let body_span = self.span(&body);
        let (op, controls) = match body.as_rule() {
            Rule::grant_all | Rule::grant_any => {
                let op = if body.as_rule() == Rule::grant_all {
                    GrantOp::All
                } else {
                    GrantOp::Any
                };
                let controls = body
                    .into_inner()
                    .filter(|x| x.as_rule() == Rule::control)
                    .filter_map(|c| self.control(c))
                    .collect();
                (op, controls)
            }
            Rule::control => (GrantOp::Single, self.control(body).into_iter().collect()),
            _ => {
                self.unexpected(&body);
                return None;
            }
        };
        Some(Grant {
            op: Spanned::new(op, body_span),
            controls,
            span,
        })
    }

    fn control(&mut self, pair: P<'_>) -> Option<Spanned<Control>> {
        let span = self.span(&pair);
        let inner = pair.into_inner().next()?;
        let control = match inner.as_rule() {
            Rule::ctl_terms => Control::TermsOfUse(self.arg_string(inner)?),
            Rule::ctl_custom => Control::Custom(self.arg_string(inner)?),
            Rule::ctl_strength => {
                let n = inner.into_inner().find(|x| x.as_rule() == Rule::name)?;
                let quoted =
                    n.clone().into_inner().next().map(|x| x.as_rule()) == Some(Rule::string);
                let name = self.name(n);
                if quoted {
                    Control::AuthStrength(AuthStrength::Custom(name.value))
                } else {
                    let options: Vec<(&str, BuiltInStrength)> = BuiltInStrength::ALL
                        .iter()
                        .map(|s| (s.name(), *s))
                        .collect();
                    let s = self.named_choice(&name, "authentication strength", &options)?;
                    Control::AuthStrength(AuthStrength::BuiltIn(s.value))
                }
            }
            Rule::ctl_name => {
                let ident = inner.into_inner().next()?;
                let options = [
                    ("block", 0u8),
                    ("mfa", 1),
                    ("compliant_device", 2),
                    ("hybrid_joined", 3),
                    ("approved_app", 4),
                    ("app_protection", 5),
                    ("password_change", 6),
                    ("terms_of_use", 7),
                    ("auth_strength", 8),
                    ("custom", 9),
                ];
                match self.choice(&ident, "grant control", &options)?.value {
                    0 => Control::Block,
                    1 => Control::Mfa,
                    2 => Control::CompliantDevice,
                    3 => Control::HybridJoined,
                    4 => Control::ApprovedApp,
                    5 => Control::AppProtection,
                    6 => Control::PasswordChange,
                    n => {
                        let (kw, example) = match n {
                            7 => ("terms_of_use", "terms_of_use \"Partner terms\""),
                            8 => ("auth_strength", "auth_strength phishing_resistant"),
                            _ => ("custom", "custom \"<control id>\""),
                        };
                        self.diagnostics.push(
                            Diagnostic::error("E0008", format!("`{kw}` needs an argument"))
                                .at(span)
                                .help(format!("write `{example}`")),
                        );
                        return None;
                    }
                }
            }
            _ => {
                self.unexpected(&inner);
                return None;
            }
        };
        Some(Spanned::new(control, span))
    }

    fn session(&mut self, pair: P<'_>) -> Session {
        let mut session = Session {
            span: self.span(&pair),
            ..Session::default()
        };
        let mut seen: Vec<(Rule, Span)> = Vec::new();
        for p in pair.into_inner() {
            let s = self.span(&p);
            let rule = p.as_rule();
            if rule == Rule::k_session {
                continue;
            }
            if let Some((_, first)) = seen.iter().find(|(r, _)| *r == rule) {
                let first = *first;
                let key = p
                    .as_str()
                    .split(|c: char| c == '=' || c.is_whitespace())
                    .next()
                    .unwrap_or("")
                    .to_string();
                self.duplicate(&key, s, first);
                continue;
            }
            seen.push((rule, s));
            match rule {
                Rule::ss_frequency => {
                    for v in p.into_inner() {
                        match v.as_rule() {
                            Rule::k_sign_in_frequency => {}
                            Rule::k_secondary_authentication => {
                                session.sign_in_frequency_secondary = Some(self.span(&v));
                            }
                            _ => session.sign_in_frequency = self.frequency(&v),
                        }
                    }
                }
                Rule::ss_persistent => {
                    if let Some(v) = p.into_inner().find(|x| x.as_rule() == Rule::ident) {
                        let options = [
                            ("always", PersistentBrowser::Always),
                            ("never", PersistentBrowser::Never),
                        ];
                        session.persistent_browser =
                            self.choice(&v, "persistent browser mode", &options);
                    }
                }
                Rule::ss_aer => session.app_enforced_restrictions = Some(s),
                Rule::ss_cae => {
                    if let Some(v) = p.into_inner().find(|x| x.as_rule() == Rule::ident) {
                        let options = [
                            ("strict", ContinuousAccessEvaluation::Strict),
                            (
                                "strict_location",
                                ContinuousAccessEvaluation::StrictLocation,
                            ),
                            ("disabled", ContinuousAccessEvaluation::Disabled),
                        ];
                        session.continuous_access_evaluation =
                            self.choice(&v, "continuous access evaluation mode", &options);
                    }
                }
                Rule::ss_mcas => {
                    if let Some(v) = p.into_inner().find(|x| x.as_rule() == Rule::ident) {
                        let options = [
                            ("monitor_only", CloudAppSecurity::MonitorOnly),
                            ("block_downloads", CloudAppSecurity::BlockDownloads),
                            ("mcas_configured", CloudAppSecurity::McasConfigured),
                        ];
                        session.cloud_app_security =
                            self.choice(&v, "cloud app security mode", &options);
                    }
                }
                Rule::ss_resilience => session.disable_resilience_defaults = Some(s),
                Rule::ss_token_protection => session.token_protection = Some(s),
                Rule::ss_security_profile => {
                    if let Some(v) = p.into_inner().find(|x| x.as_rule() == Rule::string) {
                        session.security_profile = Some(self.string(&v));
                    }
                }
                _ => self.unexpected(&p),
            }
        }
        session
    }

    fn frequency(&mut self, pair: &P<'_>) -> Option<Spanned<SignInFrequency>> {
        let span = self.span(pair);
        let text = pair.as_str();
        if pair.as_rule() == Rule::ident {
            if text == "every_time" {
                return Some(Spanned::new(SignInFrequency::EveryTime, span));
            }
            self.diagnostics.push(
                Diagnostic::error("E0009", format!("invalid sign-in frequency `{text}`"))
                    .at(span)
                    .help("write a duration in hours (`1h`..`23h`) or days (`1d`..`365d`), or `every_time`"),
            );
            return None;
        }
        let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
        let unit = &text[digits.len()..];
        let value: Option<u32> = digits.parse().ok();
        let parsed = match (value, unit) {
            (Some(v @ 1..=23), "h") => Some(SignInFrequency::Every {
                value: v,
                unit: FrequencyUnit::Hours,
            }),
            (Some(v @ 1..=365), "d") => Some(SignInFrequency::Every {
                value: v,
                unit: FrequencyUnit::Days,
            }),
            _ => None,
        };
        match parsed {
            Some(f) => Some(Spanned::new(f, span)),
            None => {
                // The platform accepts 1-23 hours or 1-365 days (portal limits).
                let help = match (value, unit) {
                    (Some(v), "h") if v >= 24 && v % 24 == 0 => format!("write `{}d`", v / 24),
                    (_, "h") | (_, "d") => {
                        "hours go from `1h` to `23h`, days from `1d` to `365d`".to_string()
                    }
                    _ => "the unit is `h` (hours) or `d` (days), e.g. `8h` or `7d`".to_string(),
                };
                self.diagnostics.push(
                    Diagnostic::error("E0009", format!("invalid duration `{text}`"))
                        .at(span)
                        .help(help),
                );
                None
            }
        }
    }

    fn extension(&mut self, pair: P<'_>) -> Vec<Extension> {
        let mut out = Vec::new();
        for entry in pair.into_inner().filter(|x| x.as_rule() == Rule::ext_entry) {
            let mut inner = entry.into_inner();
            let (Some(key), Some(value)) = (inner.next(), inner.next()) else {
                continue;
            };
            let pointer = self.string(&key);
            let value_span = self.span(&value);
            if !pointer.value.starts_with('/') {
                self.diagnostics.push(
                    Diagnostic::error(
                        "E0010",
                        format!("`{}` is not a JSON pointer", pointer.value),
                    )
                    .at(pointer.span)
                    .help(
                        "a JSON pointer starts with `/`, e.g. `\"/conditions/insiderRiskLevels\"`",
                    ),
                );
            }
            // The grammar allows comments between JSON tokens; serde_json does not.
            let json_text = super::comments::without_comments(value.as_str());
            match serde_json::from_str::<serde_json::Value>(&json_text) {
                Ok(v) => out.push(Extension {
                    pointer,
                    json: Spanned::new(v.to_string(), value_span),
                }),
                Err(e) => self.diagnostics.push(
                    Diagnostic::error("E0011", format!("invalid JSON value: {e}"))
                        .at(value_span)
                        .help("extension values are JSON"),
                ),
            }
        }
        out
    }

    // ---- sharing ----------------------------------------------------------------------------

    fn sharing(&mut self, pair: P<'_>) -> Sharing {
        let mut sh = Sharing {
            span: self.span(&pair),
            ..Sharing::default()
        };
        let levels: Vec<(&str, SharingLevel)> =
            SharingLevel::ALL.iter().map(|l| (l.name(), *l)).collect();
        for p in pair.into_inner() {
            let s = self.span(&p);
            match p.as_rule() {
                Rule::k_sharing => {}
                Rule::sh_sharepoint | Rule::sh_onedrive => {
                    let is_sp = p.as_rule() == Rule::sh_sharepoint;
                    let key = if is_sp { "sharepoint" } else { "onedrive" };
                    let v = p.into_inner().find(|x| x.as_rule() == Rule::ident);
                    let level = v.and_then(|v| self.choice(&v, "sharing level", &levels));
                    let slot = if is_sp {
                        &mut sh.sharepoint
                    } else {
                        &mut sh.onedrive
                    };
                    if let Some(first) = slot {
                        let first = first.span;
                        self.duplicate(key, s, first);
                    } else {
                        *slot = level;
                    }
                }
                Rule::sh_site => {
                    if let Some(site) = self.site(p, &levels) {
                        sh.sites.push(site);
                    }
                }
                Rule::domain_list => sh.domains.push(self.domain_list(p)),
                Rule::sh_invitations => {
                    let inv = self.invitations(p);
                    if let Some(first) = &sh.invitations {
                        let first = first.span;
                        self.duplicate("invitations", s, first);
                    } else {
                        sh.invitations = Some(inv);
                    }
                }
                Rule::sh_teams => self.teams(p, &mut sh),
                Rule::sh_exchange => self.exchange(p, &mut sh),
                Rule::sh_groups => {
                    let v = self.on_off(p);
                    Self::set_once(
                        &mut self.diagnostics,
                        &mut sh.groups_guest_access,
                        v,
                        "groups guest_access",
                    );
                }
                Rule::sh_power_bi => {
                    let v = self.on_off(p);
                    Self::set_once(
                        &mut self.diagnostics,
                        &mut sh.power_bi_guest_access,
                        v,
                        "power_bi guest_access",
                    );
                }
                Rule::sh_viva => {
                    let v = self.on_off(p);
                    Self::set_once(
                        &mut self.diagnostics,
                        &mut sh.viva_engage_external_networks,
                        v,
                        "viva_engage external_networks",
                    );
                }
                Rule::extension => sh.extensions.extend(self.extension(p)),
                Rule::sh_people_picker => {
                    let v = self.on_off(p);
                    Self::set_once(
                        &mut self.diagnostics,
                        &mut sh.people_picker_guests,
                        v,
                        "people_picker_guests",
                    );
                }
                Rule::sh_resharing | Rule::sh_account_match => {
                    let (slot, key) = if p.as_rule() == Rule::sh_resharing {
                        (&mut sh.external_resharing, "external_resharing")
                    } else {
                        (&mut sh.require_account_match, "require_account_match")
                    };
                    let v = self.on_off(p);
                    Self::set_once(&mut self.diagnostics, slot, v, key);
                }
                Rule::sh_guest_expiry | Rule::sh_link_expiry => {
                    let guest = p.as_rule() == Rule::sh_guest_expiry;
                    let v = self.expiry(p);
                    let (slot, key) = if guest {
                        (&mut sh.guest_expiry, "guest_expiry")
                    } else {
                        (&mut sh.anyone_link_expiry, "anyone_link_expiry")
                    };
                    Self::set_once(&mut self.diagnostics, slot, v, key);
                }
                Rule::sh_default_link => {
                    let options: Vec<(&str, DefaultLink)> =
                        DefaultLink::ALL.iter().map(|l| (l.name(), *l)).collect();
                    let v = self.choice_in(p, "default link", &options);
                    Self::set_once(
                        &mut self.diagnostics,
                        &mut sh.default_link,
                        v,
                        "default_link",
                    );
                }
                Rule::sh_default_link_permission => {
                    let options: Vec<(&str, LinkPermission)> =
                        LinkPermission::ALL.iter().map(|l| (l.name(), *l)).collect();
                    let v = self.choice_in(p, "link permission", &options);
                    Self::set_once(
                        &mut self.diagnostics,
                        &mut sh.default_link_permission,
                        v,
                        "default_link_permission",
                    );
                }
                Rule::sh_calendar => {
                    let mut inner = p.into_inner().filter(|x| x.as_rule() != Rule::k_calendar);
                    let (Some(domain), Some(level)) = (inner.next(), inner.next()) else {
                        continue;
                    };
                    let domain = self.string(&domain);
                    let options: Vec<(&str, CalendarLevel)> =
                        CalendarLevel::ALL.iter().map(|l| (l.name(), *l)).collect();
                    if let Some(level) = self.choice(&level, "calendar sharing level", &options) {
                        sh.calendar.push(CalendarShare {
                            domain,
                            level,
                            span: s,
                        });
                    }
                }
                _ => self.unexpected(&p),
            }
        }
        sh
    }

    fn set_once<T>(
        diags: &mut Vec<Diagnostic>,
        slot: &mut Option<Spanned<T>>,
        value: Option<Spanned<T>>,
        key: &str,
    ) {
        let Some(value) = value else { return };
        if let Some(first) = slot {
            diags.push(
                Diagnostic::error("E0004", format!("`{key}` is set twice"))
                    .at(value.span)
                    .label(first.span, "first set here")
                    .help("keep one of them"),
            );
        } else {
            *slot = Some(value);
        }
    }

    /// The `on_off` inside a statement.
    fn on_off(&mut self, pair: P<'_>) -> Option<Spanned<bool>> {
        let v = pair.into_inner().find(|x| x.as_rule() == Rule::on_off)?;
        self.on_off_value(&v)
    }

    fn on_off_value(&mut self, pair: &P<'_>) -> Option<Spanned<bool>> {
        let on = pair.clone().into_inner().next().map(|k| k.as_rule()) == Some(Rule::k_on);
        Some(Spanned::new(on, self.span(pair)))
    }

    fn site(&mut self, pair: P<'_>, levels: &[(&str, SharingLevel)]) -> Option<Site> {
        let span = self.span(&pair);
        let mut url = None;
        let mut level = None;
        let mut domains = Vec::new();
        let mut people_picker_guests = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::k_site => {}
                Rule::sh_people_picker => {
                    let v = self.on_off(p);
                    Self::set_once(
                        &mut self.diagnostics,
                        &mut people_picker_guests,
                        v,
                        "people_picker_guests",
                    );
                }
                Rule::string => url = Some(self.string(&p)),
                Rule::ident => level = self.choice(&p, "sharing level", levels),
                Rule::site_level => {
                    if let Some(v) = p.into_inner().find(|x| x.as_rule() == Rule::ident) {
                        level = self.choice(&v, "sharing level", levels);
                    }
                }
                Rule::domain_list => domains.push(self.domain_list(p)),
                _ => self.unexpected(&p),
            }
        }
        let url = url?;
        let Some(level) = level else {
            self.diagnostics.push(
                Diagnostic::error(
                    "E0012",
                    format!("site `{}` has no sharing level", url.value),
                )
                .at(span)
                .help("write `level = existing_guests` (or another level) inside the block"),
            );
            return None;
        };
        Some(Site {
            url,
            level,
            domains,
            people_picker_guests,
            span,
        })
    }

    fn domain_list(&mut self, pair: P<'_>) -> DomainList {
        let span = self.span(&pair);
        let mut access = Spanned::new(Access::Allow, span);
        let mut domains = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::k_domains => {}
                Rule::access => access = self.access(&p),
                Rule::string_list => domains = self.strings(p),
                _ => self.unexpected(&p),
            }
        }
        DomainList {
            access,
            domains,
            span,
        }
    }

    fn invitations(&mut self, pair: P<'_>) -> Invitations {
        let mut inv = Invitations::new(self.span(&pair));
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::k_invitations => {}
                Rule::inv_from => {
                    if let Some(v) = p.into_inner().find(|x| x.as_rule() == Rule::ident) {
                        let options: Vec<(&str, InviteFrom)> =
                            InviteFrom::ALL.iter().map(|l| (l.name(), *l)).collect();
                        inv.from = self.choice(&v, "invitation setting", &options);
                    }
                }
                Rule::domain_list => inv.domains.push(self.domain_list(p)),
                Rule::inv_guest_role => {
                    if let Some(v) = p.into_inner().find(|x| x.as_rule() == Rule::ident) {
                        let options: Vec<(&str, GuestRole)> =
                            GuestRole::ALL.iter().map(|l| (l.name(), *l)).collect();
                        inv.guest_role = self.choice(&v, "guest role", &options);
                    }
                }
                Rule::inv_email_otp => {
                    let v = self.on_off(p);
                    Self::set_once(&mut self.diagnostics, &mut inv.email_otp, v, "email_otp");
                }
                Rule::inv_self_service => {
                    let v = self.on_off(p);
                    Self::set_once(
                        &mut self.diagnostics,
                        &mut inv.self_service_sign_up,
                        v,
                        "self_service_sign_up",
                    );
                }
                _ => self.unexpected(&p),
            }
        }
        inv
    }

    /// `off` or a number of days (`60d`): `E0002` for another unit.
    fn expiry(&mut self, pair: P<'_>) -> Option<Spanned<Expiry>> {
        let v = pair
            .into_inner()
            .find(|x| matches!(x.as_rule(), Rule::k_off | Rule::duration))?;
        let span = self.span(&v);
        if v.as_rule() == Rule::k_off {
            return Some(Spanned::new(None, span));
        }
        let text = v.as_str();
        match text.strip_suffix('d').and_then(|n| n.parse::<u32>().ok()) {
            Some(days) => Some(Spanned::new(Some(days), span)),
            None => {
                self.diagnostics.push(
                    Diagnostic::error("E0002", format!("`{text}` is not a number of days"))
                        .at(span)
                        .help("write days with a `d`, such as `60d`, or `off`"),
                );
                None
            }
        }
    }

    /// Parses a device rule; problems are reported at their place inside the string.
    fn device_filter(
        &mut self,
        rule: &Spanned<String>,
    ) -> Option<crate::model::device_filter::DeviceFilter> {
        match super::device_filter::parse_device_filter(&rule.value) {
            Ok(filter) => Some(filter),
            Err(errors) => {
                let raw = self.text.get(rule.span.range()).unwrap_or("");
                let start = rule.span.start as usize;
                for e in errors {
                    let span = Span::new(
                        self.file,
                        start + source_offset(raw, e.start),
                        start + source_offset(raw, e.end),
                    );
                    self.diagnostics.push(e.to_diagnostic(span));
                }
                None
            }
        }
    }
}

fn dir_name(d: Direction) -> &'static str {
    match d {
        Direction::Inbound => "inbound",
        Direction::Outbound => "outbound",
    }
}

fn kind_name(k: B2bKind) -> &'static str {
    match k {
        B2bKind::B2bCollaboration => "b2b_collaboration",
        B2bKind::B2bDirectConnect => "b2b_direct_connect",
    }
}

/// The offset in a string literal's source text (quotes included) of a byte offset in its
/// unescaped value: escapes are walked so that errors inside device rules point at the right place.
fn source_offset(raw: &str, value_offset: usize) -> usize {
    if raw.starts_with('\'') {
        return (value_offset + 1).min(raw.len());
    }
    let mut value_pos = 0;
    let mut chars = raw.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        if value_pos >= value_offset {
            return i;
        }
        if c == '\\' {
            match chars.next() {
                Some((_, 'u')) => {
                    let hex: String = (0..4)
                        .filter_map(|_| chars.next().map(|(_, h)| h))
                        .collect();
                    let decoded = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                    value_pos += decoded.map_or(1, char::len_utf8);
                }
                Some(_) => value_pos += 1,
                None => return i,
            }
        } else {
            value_pos += c.len_utf8();
        }
    }
    raw.len().saturating_sub(1)
}

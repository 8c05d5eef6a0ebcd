//! Lowering of the `exchange <kind> "<name>" { ... }` statements of a `sharing` block:
//! organization relationships, sharing policies, connectors and remote domains.
//!
//! The grammar reads every setting as `key [= value]`; the keys each kind accepts and the values
//! they take are checked here, so that a typo gets a "did you mean".

use super::{Lowering, P};
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::model::exchange::*;
use crate::model::{Sharing, Spanned};
use crate::source::Span;
use crate::syntax::Rule;

/// A setting as written.
struct Setting {
    key: Spanned<String>,
    /// `domain "<d>"`: the string after the key.
    target: Option<Spanned<String>>,
    value: Option<Value>,
    span: Span,
}

enum Value {
    Name(Spanned<String>),
    Text(Spanned<String>),
    Strings(Vec<Spanned<String>>),
    Names(Vec<Spanned<String>>),
}

impl Value {
    fn span(&self, fallback: Span) -> Span {
        match self {
            Value::Name(n) | Value::Text(n) => n.span,
            Value::Strings(v) | Value::Names(v) => v.first().map_or(fallback, |x| x.span),
        }
    }
}

const RELATIONSHIP_KEYS: [&str; 5] = [
    "domains",
    "enabled",
    "free_busy",
    "free_busy_level",
    "free_busy_scope",
];
const POLICY_KEYS: [&str; 4] = ["default", "enabled", "domain", "mailboxes"];
const INBOUND_KEYS: [&str; 8] = [
    "type",
    "enabled",
    "sender_domains",
    "sender_ips",
    "require_tls",
    "certificate",
    "restrict_to_ips",
    "restrict_to_certificate",
];
const OUTBOUND_KEYS: [&str; 6] = [
    "type",
    "enabled",
    "recipient_domains",
    "tls",
    "tls_domain",
    "smart_hosts",
];
const REMOTE_KEYS: [&str; 3] = ["domain", "auto_forward", "auto_reply"];

impl Lowering<'_> {
    /// One `exchange ...` statement into the sharing block.
    pub(super) fn exchange(&mut self, pair: P<'_>, sh: &mut Sharing) {
        let span = self.span(&pair);
        let mut kind = None;
        let mut name = None;
        let mut settings = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::k_exchange => {}
                Rule::exo_kind => kind = p.into_inner().next().map(|k| k.as_rule()),
                Rule::string => name = Some(self.string(&p)),
                Rule::exo_setting => settings.push(self.exo_setting(p)),
                _ => self.unexpected(&p),
            }
        }
        let Some(name) = name else { return };
        let x = &mut sh.exchange;
        match kind {
            Some(Rule::k_organization_relationship) => {
                let r = self.relationship(name, settings, span);
                x.relationships.push(r);
            }
            Some(Rule::k_sharing_policy) => {
                let p = self.sharing_policy(name, settings, span);
                x.sharing_policies.push(p);
            }
            Some(Rule::k_inbound_connector) => {
                let c = self.inbound_connector(name, settings, span);
                x.inbound_connectors.push(c);
            }
            Some(Rule::k_outbound_connector) => {
                let c = self.outbound_connector(name, settings, span);
                x.outbound_connectors.push(c);
            }
            Some(Rule::k_remote_domain) => {
                let d = self.remote_domain(name, settings, span);
                x.remote_domains.push(d);
            }
            _ => {}
        }
    }

    fn exo_setting(&mut self, pair: P<'_>) -> Setting {
        let span = self.span(&pair);
        let mut key = Spanned::new(String::new(), span);
        let mut target = None;
        let mut value = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => key = Spanned::new(p.as_str().to_string(), self.span(&p)),
                Rule::string => target = Some(self.string(&p)),
                Rule::exo_value => {
                    let Some(v) = p.into_inner().next() else {
                        continue;
                    };
                    value = Some(match v.as_rule() {
                        Rule::string_list => Value::Strings(self.strings(v)),
                        Rule::ident_list => Value::Names(
                            v.into_inner()
                                .map(|i| Spanned::new(i.as_str().to_string(), self.span(&i)))
                                .collect(),
                        ),
                        Rule::string => Value::Text(self.string(&v)),
                        _ => Value::Name(Spanned::new(v.as_str().to_string(), self.span(&v))),
                    });
                }
                _ => self.unexpected(&p),
            }
        }
        Setting {
            key,
            target,
            value,
            span,
        }
    }

    /// `E0002` for a key the kind does not have, with the closest one.
    fn unknown_key(&mut self, what: &str, s: &Setting, keys: &[&str]) {
        let help = did_you_mean(&s.key.value, keys.iter().copied()).unwrap_or_else(|| {
            let list: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
            format!("{what} settings are {}", list.join(", "))
        });
        self.diagnostics.push(
            Diagnostic::error("E0002", format!("unknown {what} setting `{}`", s.key.value))
                .at(s.key.span)
                .help(help),
        );
    }

    /// `E0013`: a setting whose value has the wrong form.
    fn bad_value(&mut self, s: &Setting, expected: &str) {
        let at = s.value.as_ref().map_or(s.span, |v| v.span(s.span));
        self.diagnostics.push(
            Diagnostic::error("E0013", format!("`{}` expects {expected}", s.key.value))
                .at(at)
                .help(format!("write `{} = {expected}`", s.key.value)),
        );
    }

    fn exo_bool(&mut self, s: &Setting) -> Option<Spanned<bool>> {
        match &s.value {
            Some(Value::Name(n)) if n.value == "on" => Some(Spanned::new(true, s.span)),
            Some(Value::Name(n)) if n.value == "off" => Some(Spanned::new(false, s.span)),
            // A bare flag (`default`) is `on`.
            None if s.target.is_none() => Some(Spanned::new(true, s.span)),
            _ => {
                self.bad_value(s, "on or off");
                None
            }
        }
    }

    fn exo_text(&mut self, s: &Setting) -> Option<Spanned<String>> {
        match &s.value {
            Some(Value::Text(t)) => Some(Spanned::new(t.value.clone(), s.span)),
            _ => {
                self.bad_value(s, "a \"string\"");
                None
            }
        }
    }

    fn exo_strings(&mut self, s: &Setting) -> Vec<Spanned<String>> {
        match &s.value {
            Some(Value::Strings(v)) => v.clone(),
            _ => {
                self.bad_value(s, "a list of strings, [\"...\"]");
                Vec::new()
            }
        }
    }

    fn exo_choice<T: Copy>(
        &mut self,
        s: &Setting,
        what: &str,
        options: &[(&str, T)],
    ) -> Option<Spanned<T>> {
        let Some(Value::Name(n)) = &s.value else {
            let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
            self.bad_value(s, &names.join(" | "));
            return None;
        };
        let known = options.iter().find(|(name, _)| *name == n.value);
        match known {
            Some((_, v)) => Some(Spanned::new(*v, s.span)),
            None => {
                let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
                let help = did_you_mean(&n.value, names.iter().copied())
                    .unwrap_or_else(|| format!("expected one of {}", names.join(", ")));
                self.diagnostics.push(
                    Diagnostic::error("E0002", format!("unknown {what} `{}`", n.value))
                        .at(n.span)
                        .help(help),
                );
                None
            }
        }
    }

    /// Puts a value in its slot, or reports the second setting of one key (`E0004`).
    fn exo_once<T>(&mut self, slot: &mut Option<Spanned<T>>, v: Option<Spanned<T>>, key: &str) {
        let Some(v) = v else { return };
        match slot {
            Some(first) => {
                let first = first.span;
                self.duplicate(key, v.span, first);
            }
            None => *slot = Some(v),
        }
    }

    /// `key = on|off` into its slot (once).
    fn bool_into(&mut self, s: &Setting, slot: &mut Option<Spanned<bool>>) {
        let v = self.exo_bool(s);
        self.exo_once(slot, v, &s.key.value);
    }

    /// `key = "text"` into its slot (once).
    fn text_into(&mut self, s: &Setting, slot: &mut Option<Spanned<String>>) {
        let v = self.exo_text(s);
        self.exo_once(slot, v, &s.key.value);
    }

    fn connector_type(&mut self, s: &Setting) -> Option<Spanned<ConnectorType>> {
        let options: Vec<(&str, ConnectorType)> =
            ConnectorType::ALL.iter().map(|t| (t.name(), *t)).collect();
        self.exo_choice(s, "connector type", &options)
    }

    fn relationship(
        &mut self,
        name: Spanned<String>,
        settings: Vec<Setting>,
        span: Span,
    ) -> OrgRelationship {
        let mut r = OrgRelationship {
            name,
            domains: Vec::new(),
            enabled: None,
            free_busy: None,
            free_busy_level: None,
            free_busy_scope: None,
            span,
        };
        let levels: Vec<(&str, FreeBusyLevel)> =
            FreeBusyLevel::ALL.iter().map(|l| (l.name(), *l)).collect();
        for s in &settings {
            match s.key.value.as_str() {
                "domains" => r.domains.extend(self.exo_strings(s)),
                "enabled" => self.bool_into(s, &mut r.enabled),
                "free_busy" => self.bool_into(s, &mut r.free_busy),
                "free_busy_level" => {
                    let v = self.exo_choice(s, "free/busy level", &levels);
                    self.exo_once(&mut r.free_busy_level, v, "free_busy_level");
                }
                "free_busy_scope" => self.text_into(s, &mut r.free_busy_scope),
                _ => self.unknown_key("organization relationship", s, &RELATIONSHIP_KEYS),
            }
        }
        r
    }

    fn sharing_policy(
        &mut self,
        name: Spanned<String>,
        settings: Vec<Setting>,
        span: Span,
    ) -> SharingPolicy {
        let mut p = SharingPolicy {
            name,
            default: None,
            enabled: None,
            entries: Vec::new(),
            mailboxes: Vec::new(),
            span,
        };
        let actions: Vec<(&str, SharingAction)> =
            SharingAction::ALL.iter().map(|a| (a.name(), *a)).collect();
        for s in &settings {
            match s.key.value.as_str() {
                "default" => self.bool_into(s, &mut p.default),
                "enabled" => self.bool_into(s, &mut p.enabled),
                "mailboxes" => p.mailboxes.extend(self.exo_strings(s)),
                "domain" => {
                    let no_names = Vec::new();
                    let names = match &s.value {
                        Some(Value::Names(names)) => names,
                        // `[]` reads as an empty list of strings.
                        Some(Value::Strings(v)) if v.is_empty() => &no_names,
                        _ => &no_names,
                    };
                    let (Some(domain), true) = (&s.target, s.value.is_some()) else {
                        self.bad_value(s, "\"<domain>\" = [actions]");
                        continue;
                    };
                    if matches!(&s.value, Some(Value::Strings(v)) if !v.is_empty())
                        || matches!(&s.value, Some(Value::Name(_) | Value::Text(_)))
                    {
                        self.bad_value(s, "\"<domain>\" = [actions]");
                        continue;
                    }
                    let mut list = Vec::new();
                    for n in names {
                        let one = Setting {
                            key: s.key.clone(),
                            target: None,
                            value: Some(Value::Name(n.clone())),
                            span: n.span,
                        };
                        list.extend(self.exo_choice(&one, "sharing action", &actions));
                    }
                    p.entries.push(SharingEntry {
                        domain: domain.clone(),
                        actions: list,
                        span: s.span,
                    });
                }
                _ => self.unknown_key("sharing policy", s, &POLICY_KEYS),
            }
        }
        p
    }

    fn inbound_connector(
        &mut self,
        name: Spanned<String>,
        settings: Vec<Setting>,
        span: Span,
    ) -> InboundConnector {
        let mut c = InboundConnector {
            name,
            kind: None,
            enabled: None,
            sender_domains: Vec::new(),
            sender_ips: Vec::new(),
            require_tls: None,
            certificate: None,
            restrict_to_ips: None,
            restrict_to_certificate: None,
            span,
        };
        for s in &settings {
            match s.key.value.as_str() {
                "type" => {
                    let v = self.connector_type(s);
                    self.exo_once(&mut c.kind, v, "type");
                }
                "enabled" => self.bool_into(s, &mut c.enabled),
                "sender_domains" => c.sender_domains.extend(self.exo_strings(s)),
                "sender_ips" => c.sender_ips.extend(self.exo_strings(s)),
                "require_tls" => self.bool_into(s, &mut c.require_tls),
                "certificate" => self.text_into(s, &mut c.certificate),
                "restrict_to_ips" => self.bool_into(s, &mut c.restrict_to_ips),
                "restrict_to_certificate" => self.bool_into(s, &mut c.restrict_to_certificate),
                _ => self.unknown_key("inbound connector", s, &INBOUND_KEYS),
            }
        }
        c
    }

    fn outbound_connector(
        &mut self,
        name: Spanned<String>,
        settings: Vec<Setting>,
        span: Span,
    ) -> OutboundConnector {
        let mut c = OutboundConnector {
            name,
            kind: None,
            enabled: None,
            recipient_domains: Vec::new(),
            tls: None,
            tls_domain: None,
            smart_hosts: Vec::new(),
            span,
        };
        let tls: Vec<(&str, OutboundTls)> =
            OutboundTls::ALL.iter().map(|t| (t.name(), *t)).collect();
        for s in &settings {
            match s.key.value.as_str() {
                "type" => {
                    let v = self.connector_type(s);
                    self.exo_once(&mut c.kind, v, "type");
                }
                "enabled" => self.bool_into(s, &mut c.enabled),
                "recipient_domains" => c.recipient_domains.extend(self.exo_strings(s)),
                "tls" => {
                    let v = self.exo_choice(s, "TLS setting", &tls);
                    self.exo_once(&mut c.tls, v, "tls");
                }
                "tls_domain" => self.text_into(s, &mut c.tls_domain),
                "smart_hosts" => c.smart_hosts.extend(self.exo_strings(s)),
                _ => self.unknown_key("outbound connector", s, &OUTBOUND_KEYS),
            }
        }
        c
    }

    fn remote_domain(
        &mut self,
        name: Spanned<String>,
        settings: Vec<Setting>,
        span: Span,
    ) -> RemoteDomain {
        let mut d = RemoteDomain {
            name,
            domain: None,
            auto_forward: None,
            auto_reply: None,
            span,
        };
        for s in &settings {
            match s.key.value.as_str() {
                "domain" => self.text_into(s, &mut d.domain),
                "auto_forward" => self.bool_into(s, &mut d.auto_forward),
                "auto_reply" => self.bool_into(s, &mut d.auto_reply),
                _ => self.unknown_key("remote domain", s, &REMOTE_KEYS),
            }
        }
        d
    }
}

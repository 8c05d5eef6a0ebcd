//! Exchange Online objects in the shape `Get-OrganizationRelationship`, `Get-SharingPolicy`,
//! `Get-InboundConnector`, `Get-OutboundConnector` and `Get-RemoteDomain` print through
//! `ConvertTo-Json`: one array per kind, PascalCase keys, the settings the pack sets (an absent
//! setting is left out, and keeps the platform's default when applied with `Set-...`).
//! `accord import` reads these files back.

use serde_json::{json, Map, Value};

use super::Exporter;
use crate::graph::decode::child_pointer;
use crate::model::exchange::*;
use crate::model::{CalendarLevel, CalendarShare, Extension, Spanned};
use crate::source::Span;

fn put_bool(m: &mut Map<String, Value>, key: &str, v: &Option<Spanned<bool>>) {
    if let Some(v) = v {
        m.insert(key.to_string(), Value::Bool(v.value));
    }
}

fn put_text(m: &mut Map<String, Value>, key: &str, v: Option<&str>) {
    if let Some(v) = v {
        m.insert(key.to_string(), Value::String(v.to_string()));
    }
}

fn list(v: &[Spanned<String>]) -> Value {
    Value::Array(v.iter().map(|s| Value::String(s.value.clone())).collect())
}

fn object(name: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("Name".to_string(), json!(name));
    m
}

fn relationship(r: &OrgRelationship) -> Value {
    let mut m = object(&r.name.value);
    m.insert("DomainNames".into(), list(&r.domains));
    put_bool(&mut m, "Enabled", &r.enabled);
    put_bool(&mut m, "FreeBusyAccessEnabled", &r.free_busy);
    put_text(
        &mut m,
        "FreeBusyAccessLevel",
        r.free_busy_level.as_ref().map(|l| l.value.powershell()),
    );
    put_text(
        &mut m,
        "FreeBusyAccessScope",
        r.free_busy_scope.as_ref().map(|s| s.value.as_str()),
    );
    Value::Object(m)
}

fn sharing_policy(p: &SharingPolicy) -> Value {
    let mut m = object(&p.name.value);
    let domains: Vec<Value> = p
        .entries
        .iter()
        .map(|e| {
            let actions: Vec<&str> = e.actions.iter().map(|a| a.value.powershell()).collect();
            Value::String(format!("{}:{}", e.domain.value, actions.join(", ")))
        })
        .collect();
    m.insert("Domains".into(), Value::Array(domains));
    m.insert("Default".into(), Value::Bool(p.is_default()));
    // Always written, as `Get-SharingPolicy` prints it: import recognises a sharing policy by
    // `Domains`, `Default` and `Enabled` together.
    m.insert("Enabled".into(), Value::Bool(p.is_enabled()));
    Value::Object(m)
}

fn inbound(c: &InboundConnector) -> Value {
    let mut m = object(&c.name.value);
    put_text(
        &mut m,
        "ConnectorType",
        c.kind.as_ref().map(|k| k.value.powershell()),
    );
    put_bool(&mut m, "Enabled", &c.enabled);
    m.insert("SenderDomains".into(), list(&c.sender_domains));
    m.insert("SenderIPAddresses".into(), list(&c.sender_ips));
    put_bool(&mut m, "RequireTls", &c.require_tls);
    put_text(
        &mut m,
        "TlsSenderCertificateName",
        c.certificate.as_ref().map(|s| s.value.as_str()),
    );
    put_bool(&mut m, "RestrictDomainsToIPAddresses", &c.restrict_to_ips);
    put_bool(
        &mut m,
        "RestrictDomainsToCertificate",
        &c.restrict_to_certificate,
    );
    Value::Object(m)
}

fn outbound(c: &OutboundConnector) -> Value {
    let mut m = object(&c.name.value);
    put_text(
        &mut m,
        "ConnectorType",
        c.kind.as_ref().map(|k| k.value.powershell()),
    );
    put_bool(&mut m, "Enabled", &c.enabled);
    m.insert("RecipientDomains".into(), list(&c.recipient_domains));
    put_text(
        &mut m,
        "TlsSettings",
        c.tls.as_ref().map(|t| t.value.powershell()),
    );
    put_text(
        &mut m,
        "TlsDomain",
        c.tls_domain.as_ref().map(|s| s.value.as_str()),
    );
    m.insert("SmartHosts".into(), list(&c.smart_hosts));
    m.insert("UseMXRecord".into(), Value::Bool(c.smart_hosts.is_empty()));
    Value::Object(m)
}

fn remote_domain(d: &RemoteDomain) -> Value {
    let mut m = object(&d.name.value);
    m.insert("DomainName".into(), json!(d.domain_name()));
    put_bool(&mut m, "AutoForwardEnabled", &d.auto_forward);
    put_bool(&mut m, "AutoReplyEnabled", &d.auto_reply);
    Value::Object(m)
}

/// The JSON objects of one kind.
type Objects = fn(&Exchange) -> Vec<Value>;

/// The sharing action a `calendar "<domain>" = level` statement stands for (`none` has none).
fn calendar_action(level: CalendarLevel) -> Option<SharingAction> {
    match level {
        CalendarLevel::None => None,
        CalendarLevel::FreeBusy => Some(SharingAction::FreeBusySimple),
        CalendarLevel::FreeBusyDetail => Some(SharingAction::FreeBusyDetail),
        CalendarLevel::Reviewer => Some(SharingAction::FreeBusyReviewer),
    }
}

fn same_domain(a: &str, b: &str) -> bool {
    a.trim_end_matches('.')
        .eq_ignore_ascii_case(b.trim_end_matches('.'))
}

impl Exporter<'_> {
    /// The sharing policies as `Set-SharingPolicy` takes them. The `calendar "<domain>" = level`
    /// statements are entries of the default policy (the platform's, which shares
    /// `CalendarSharingFreeBusySimple` with every domain, when the pack declares none), so they
    /// are written into it; a statement and an entry for the same domain become the stricter
    /// one, as `share: calendar` decides. `none` has no entry that says it: not exported (W3026).
    fn sharing_policies_with_calendar(&mut self) -> Vec<SharingPolicy> {
        let pack = self.pack;
        let mut policies: Vec<SharingPolicy> = pack
            .sharing
            .iter()
            .flat_map(|s| s.exchange.sharing_policies.iter().cloned())
            .collect();
        let statements: Vec<&CalendarShare> = pack
            .sharing
            .iter()
            .flat_map(|s| s.calendar.iter())
            .collect();
        if statements.is_empty() {
            return policies;
        }
        let index = match policies.iter().position(SharingPolicy::is_default) {
            Some(i) => i,
            None => {
                let name = |n: &str| Spanned::synthetic(n.to_string());
                let everyone = statements.iter().any(|c| c.domain.value == "*");
                policies.push(SharingPolicy {
                    name: name("Default Sharing Policy"),
                    default: Some(Spanned::synthetic(true)),
                    enabled: None,
                    entries: (!everyone)
                        .then(|| SharingEntry {
                            domain: name("*"),
                            actions: vec![Spanned::synthetic(SharingAction::FreeBusySimple)],
                            span: Span::default(),
                        })
                        .into_iter()
                        .collect(),
                    mailboxes: Vec::new(),
                    span: Span::default(),
                });
                policies.len() - 1
            }
        };
        for c in statements {
            let Some(action) = calendar_action(c.level.value) else {
                self.warning(
                    c.span,
                    "W3026",
                    format!(
                        "`calendar {:?} = none` has no sharing policy entry that says it: not exported",
                        c.domain.value
                    ),
                    "Exchange shares nothing with a domain whose entry is missing only when there is no `*` entry: remove `*`, or keep the domain out of the exported policy",
                );
                continue;
            };
            let entry = SharingEntry {
                domain: c.domain.clone(),
                actions: vec![Spanned::synthetic(action)],
                span: c.span,
            };
            let entries = &mut policies[index].entries;
            match entries
                .iter_mut()
                .find(|e| same_domain(&e.domain.value, &c.domain.value))
            {
                Some(e) if e.calendar() <= c.level.value => {}
                Some(e) => *e = entry,
                None => entries.push(entry),
            }
        }
        policies
    }

    /// One file per kind of Exchange object the pack declares.
    pub(super) fn exchange(&mut self) {
        let policies = self.sharing_policies_with_calendar();
        let all = |f: Objects, pack: &crate::model::Pack| -> Vec<Value> {
            pack.sharing.iter().flat_map(|s| f(&s.exchange)).collect()
        };
        let kinds: [(&str, Objects); 5] = [
            ("organization-relationships", |x| {
                x.relationships.iter().map(relationship).collect()
            }),
            ("sharing-policies", |x| {
                x.sharing_policies.iter().map(sharing_policy).collect()
            }),
            ("inbound-connectors", |x| {
                x.inbound_connectors.iter().map(inbound).collect()
            }),
            ("outbound-connectors", |x| {
                x.outbound_connectors.iter().map(outbound).collect()
            }),
            ("remote-domains", |x| {
                x.remote_domains.iter().map(remote_domain).collect()
            }),
        ];
        for (file, read) in kinds {
            let mut values = if file == "sharing-policies" {
                policies.iter().map(sharing_policy).collect()
            } else {
                all(read, self.pack)
            };
            if values.is_empty() {
                continue;
            }
            // Settings imported but not modelled (`/exchange/<file>/<Name>/<Setting>`).
            let extensions: Vec<Extension> = self
                .pack
                .sharing
                .iter()
                .flat_map(|s| s.extensions.iter().cloned())
                .collect();
            for v in &mut values {
                let Some(name) = v.get("Name").and_then(Value::as_str).map(str::to_string) else {
                    continue;
                };
                let prefix = child_pointer(&format!("/exchange/{file}"), &name);
                self.apply_extensions(v, &extensions, &prefix);
            }
            let path = self.path("exchange", file);
            self.files.push((path, Value::Array(values)));
        }
    }
}

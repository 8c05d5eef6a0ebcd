//! Exchange Online objects as `Get-OrganizationRelationship`, `Get-SharingPolicy`,
//! `Get-InboundConnector`, `Get-OutboundConnector` and `Get-RemoteDomain` print them through
//! `ConvertTo-Json` (PascalCase keys; one object or an array), into the model.
//!
//! Each reader takes the `serde_json::Value` of such an array (or single object) and returns the
//! objects with the problems found, each at a JSON pointer relative to that value. Keys are
//! matched without case, so the same readers serve the PowerShell text and the camelCase values
//! `decode` makes of it, and whole-tenant snapshots that embed these arrays (ScubaGear's
//! `org_relationships`, `sharing_policy`, `inbound_connectors`, `outbound_connectors`,
//! `remote_domains`). `null` entries (ScubaGear writes `[null]` for no connector) are skipped.
//!
//! Settings accord does not model (mail tips, archive access, TNEF...) are reported once per
//! object when they hold something other than their default, as `W3034`.

use serde_json::{Map, Value};

use crate::diagnostic::Diagnostic;
use crate::graph::decode::child_pointer;
use crate::model::exchange::*;
use crate::model::{Extension, Spanned};

/// What a reader found: the objects, and problems at JSON pointers inside the value read.
#[derive(Debug, Clone)]
pub struct Read<T> {
    pub items: Vec<T>,
    pub problems: Vec<(String, Diagnostic)>,
    /// Settings accord does not model, as sharing extensions under
    /// `/exchange/<kind>/<Name>/<Setting>` (`accord export` writes them back into the object).
    pub kept: Vec<Extension>,
}

impl<T> Default for Read<T> {
    fn default() -> Self {
        Read {
            items: Vec::new(),
            problems: Vec::new(),
            kept: Vec::new(),
        }
    }
}

/// The objects of a value: the items of an array (with their pointers), or the value itself.
fn objects(v: &Value) -> Vec<(String, &Map<String, Value>)> {
    match v {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, x)| x.as_object().map(|m| (format!("/{i}"), m)))
            .collect(),
        Value::Object(m) => vec![(String::new(), m)],
        _ => Vec::new(),
    }
}

/// A key, without case.
fn get<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    m.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

fn text(m: &Map<String, Value>, key: &str) -> Option<String> {
    get(m, key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn flag(m: &Map<String, Value>, key: &str) -> Option<Spanned<bool>> {
    get(m, key).and_then(Value::as_bool).map(Spanned::synthetic)
}

/// A list of strings: a JSON array, or a single string.
fn strings(m: &Map<String, Value>, key: &str) -> Vec<String> {
    match get(m, key) {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        Some(Value::String(s)) if !s.trim().is_empty() => vec![s.trim().to_string()],
        _ => Vec::new(),
    }
}

fn spanned(list: Vec<String>) -> Vec<Spanned<String>> {
    list.into_iter().map(Spanned::synthetic).collect()
}

/// An SMTP address space as connectors print it (`smtp:fabrikam.com;1`): the domain alone,
/// lower case.
fn address_space(text: &str) -> String {
    let t = text.trim();
    let t = t
        .split_once(':')
        .filter(|(kind, _)| kind.eq_ignore_ascii_case("smtp"))
        .map_or(t, |(_, rest)| rest);
    let t = t.split(';').next().unwrap_or(t);
    t.trim().to_ascii_lowercase()
}

fn name_of(
    m: &Map<String, Value>,
    pointer: &str,
    kind: &str,
    problems: &mut Vec<(String, Diagnostic)>,
) -> Option<Spanned<String>> {
    match text(m, "Name").or_else(|| text(m, "Identity")) {
        Some(n) => Some(Spanned::synthetic(n)),
        None => {
            problems.push((
                pointer.to_string(),
                Diagnostic::warning("W3033", format!("{kind} without `Name`: skipped"))
                    .help("export the objects with `Get-... | ConvertTo-Json` so that each keeps its Name"),
            ));
            None
        }
    }
}

/// `W3034` for settings accord does not model that hold something: kept as sharing extensions
/// under `/exchange/<file>/<Name>/<Setting>`, `file` being the kind's export file.
fn unmodelled(
    m: &Map<String, Value>,
    pointer: &str,
    (kind, file): (&str, &str),
    name: &str,
    keys: &[(&str, Value)],
    problems: &mut Vec<(String, Diagnostic)>,
    kept: &mut Vec<Extension>,
) {
    let set: Vec<&str> = keys
        .iter()
        .filter(|(k, default)| {
            get(m, k).is_some_and(|v| {
                !v.is_null() && v != default && v.as_array().is_none_or(|a| !a.is_empty())
            })
        })
        .map(|(k, _)| *k)
        .collect();
    if set.is_empty() {
        return;
    }
    let base = child_pointer(&format!("/exchange/{file}"), name);
    for key in &set {
        if let Some(v) = get(m, key) {
            kept.push(Extension {
                pointer: Spanned::synthetic(child_pointer(&base, key)),
                json: Spanned::synthetic(v.to_string()),
            });
        }
    }
    problems.push((
        pointer.to_string(),
        Diagnostic::warning(
            "W3034",
            format!(
                "{kind} `{name}` sets {} which accord does not model: kept as extensions",
                set.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            ),
        )
        .help("accord decides free/busy, calendar sharing, partner connectors and automatic forwarding/replies; `accord export` writes these settings back"),
    ));
}

/// `Get-OrganizationRelationship | ConvertTo-Json`.
pub fn org_relationships(v: &Value) -> Read<OrgRelationship> {
    let mut out = Read::default();
    for (ptr, m) in objects(v) {
        let Some(name) = name_of(m, &ptr, "organization relationship", &mut out.problems) else {
            continue;
        };
        let level = text(m, "FreeBusyAccessLevel");
        let free_busy_level = match level.as_deref() {
            None => None,
            Some(l) => match FreeBusyLevel::ALL
                .into_iter()
                .find(|x| x.powershell().eq_ignore_ascii_case(l))
            {
                Some(x) => Some(Spanned::synthetic(x)),
                None => {
                    out.problems.push((
                        format!("{ptr}/FreeBusyAccessLevel"),
                        Diagnostic::warning("W3035", format!("unknown FreeBusyAccessLevel `{l}`: left out"))
                            .help("the levels are None, AvailabilityOnly and LimitedDetails; without one, free/busy is `none`"),
                    ));
                    None
                }
            },
        };
        let f = false;
        unmodelled(
            m,
            &ptr,
            ("organization relationship", "organization-relationships"),
            &name.value,
            &[
                ("MailTipsAccessEnabled", f.into()),
                ("ArchiveAccessEnabled", f.into()),
                ("DeliveryReportEnabled", f.into()),
                ("PhotosEnabled", f.into()),
                ("MailboxMoveEnabled", f.into()),
                ("PeopleSearchEnabled", f.into()),
            ],
            &mut out.problems,
            &mut out.kept,
        );
        out.items.push(OrgRelationship {
            domains: spanned(
                strings(m, "DomainNames")
                    .into_iter()
                    .map(|d| d.to_ascii_lowercase())
                    .collect(),
            ),
            enabled: flag(m, "Enabled"),
            free_busy: flag(m, "FreeBusyAccessEnabled"),
            free_busy_level,
            free_busy_scope: text(m, "FreeBusyAccessScope").map(Spanned::synthetic),
            name,
            span: Default::default(),
        });
    }
    out
}

/// One `domain:Action, Action` entry of a sharing policy.
fn sharing_entry(text: &str) -> Result<SharingEntry, String> {
    let (domain, actions) = text
        .split_once(':')
        .ok_or_else(|| format!("`{text}` is not `domain:Action`"))?;
    let domain = domain.trim();
    let domain = if domain == "*" || domain.eq_ignore_ascii_case("anonymous") {
        domain.to_string()
    } else {
        domain.to_ascii_lowercase()
    };
    let mut list = Vec::new();
    for a in actions.split(',').map(str::trim).filter(|a| !a.is_empty()) {
        let action = SharingAction::from_powershell(a)
            .ok_or_else(|| format!("unknown sharing action `{a}`"))?;
        list.push(Spanned::synthetic(action));
    }
    Ok(SharingEntry {
        domain: Spanned::synthetic(domain),
        actions: list,
        span: Default::default(),
    })
}

/// `Get-SharingPolicy | ConvertTo-Json`.
pub fn sharing_policies(v: &Value) -> Read<SharingPolicy> {
    let mut out = Read::default();
    for (ptr, m) in objects(v) {
        let Some(name) = name_of(m, &ptr, "sharing policy", &mut out.problems) else {
            continue;
        };
        let mut entries = Vec::new();
        for (i, d) in strings(m, "Domains").iter().enumerate() {
            match sharing_entry(d) {
                Ok(e) => entries.push(e),
                Err(why) => out.problems.push((
                    format!("{ptr}/Domains/{i}"),
                    Diagnostic::warning("W3035", format!("{why}: entry left out"))
                        .help("entries are `domain:CalendarSharingFreeBusySimple, ContactsSharing` (`*` for every domain)"),
                )),
            }
        }
        out.items.push(SharingPolicy {
            name,
            default: flag(m, "Default").filter(|d| d.value),
            enabled: flag(m, "Enabled"),
            entries,
            mailboxes: Vec::new(),
            span: Default::default(),
        });
    }
    out
}

fn connector_type(m: &Map<String, Value>) -> Option<Spanned<ConnectorType>> {
    let t = text(m, "ConnectorType")?;
    ConnectorType::ALL
        .into_iter()
        .find(|k| k.powershell().eq_ignore_ascii_case(&t))
        .map(Spanned::synthetic)
}

/// `Get-InboundConnector | ConvertTo-Json`.
pub fn inbound_connectors(v: &Value) -> Read<InboundConnector> {
    let mut out = Read::default();
    for (ptr, m) in objects(v) {
        let Some(name) = name_of(m, &ptr, "inbound connector", &mut out.problems) else {
            continue;
        };
        let f = false;
        unmodelled(
            m,
            &ptr,
            ("inbound connector", "inbound-connectors"),
            &name.value,
            &[
                ("TreatMessagesAsInternal", f.into()),
                ("CloudServicesMailEnabled", f.into()),
                ("EFSkipIPs", Value::Array(vec![])),
                ("EFSkipLastIP", f.into()),
                ("AssociatedAcceptedDomains", Value::Array(vec![])),
                ("TrustedOrganizations", Value::Array(vec![])),
            ],
            &mut out.problems,
            &mut out.kept,
        );
        out.items.push(InboundConnector {
            kind: connector_type(m),
            enabled: flag(m, "Enabled"),
            sender_domains: spanned(
                strings(m, "SenderDomains")
                    .iter()
                    .map(|d| address_space(d))
                    .collect(),
            ),
            sender_ips: spanned(strings(m, "SenderIPAddresses")),
            require_tls: flag(m, "RequireTls"),
            certificate: text(m, "TlsSenderCertificateName").map(Spanned::synthetic),
            restrict_to_ips: flag(m, "RestrictDomainsToIPAddresses"),
            restrict_to_certificate: flag(m, "RestrictDomainsToCertificate"),
            name,
            span: Default::default(),
        });
    }
    out
}

/// `Get-OutboundConnector | ConvertTo-Json`.
pub fn outbound_connectors(v: &Value) -> Read<OutboundConnector> {
    let mut out = Read::default();
    for (ptr, m) in objects(v) {
        let Some(name) = name_of(m, &ptr, "outbound connector", &mut out.problems) else {
            continue;
        };
        let tls = text(m, "TlsSettings").and_then(|t| {
            OutboundTls::ALL
                .into_iter()
                .find(|x| x.powershell().eq_ignore_ascii_case(&t))
        });
        let f = false;
        unmodelled(
            m,
            &ptr,
            ("outbound connector", "outbound-connectors"),
            &name.value,
            &[
                ("IsTransportRuleScoped", f.into()),
                ("RouteAllMessagesViaOnPremises", f.into()),
                ("CloudServicesMailEnabled", f.into()),
                ("AllAcceptedDomains", f.into()),
            ],
            &mut out.problems,
            &mut out.kept,
        );
        out.items.push(OutboundConnector {
            kind: connector_type(m),
            enabled: flag(m, "Enabled"),
            recipient_domains: spanned(
                strings(m, "RecipientDomains")
                    .iter()
                    .map(|d| address_space(d))
                    .collect(),
            ),
            tls: tls.map(Spanned::synthetic),
            tls_domain: text(m, "TlsDomain").map(Spanned::synthetic),
            smart_hosts: spanned(strings(m, "SmartHosts")),
            name,
            span: Default::default(),
        });
    }
    out
}

/// `Get-RemoteDomain | ConvertTo-Json`.
pub fn remote_domains(v: &Value) -> Read<RemoteDomain> {
    let mut out = Read::default();
    for (ptr, m) in objects(v) {
        let Some(name) = name_of(m, &ptr, "remote domain", &mut out.problems) else {
            continue;
        };
        let f = false;
        unmodelled(
            m,
            &ptr,
            ("remote domain", "remote-domains"),
            &name.value,
            &[
                ("IsInternal", f.into()),
                ("TrustedMailOutboundEnabled", f.into()),
                ("TrustedMailInboundEnabled", f.into()),
            ],
            &mut out.problems,
            &mut out.kept,
        );
        out.items.push(RemoteDomain {
            domain: text(m, "DomainName").map(|d| Spanned::synthetic(d.to_ascii_lowercase())),
            auto_forward: flag(m, "AutoForwardEnabled"),
            auto_reply: flag(m, "AutoReplyEnabled"),
            name,
            span: Default::default(),
        });
    }
    out
}

/// Which of the five shapes an object is (by its properties, camelCase or PascalCase).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExchangeKind {
    OrgRelationship,
    SharingPolicy,
    InboundConnector,
    OutboundConnector,
    RemoteDomain,
}

pub fn kind_of(m: &Map<String, Value>) -> Option<ExchangeKind> {
    let has = |k: &str| get(m, k).is_some();
    if has("DomainNames") && (has("FreeBusyAccessLevel") || has("FreeBusyAccessEnabled")) {
        return Some(ExchangeKind::OrgRelationship);
    }
    if has("Domains") && has("Default") && has("Enabled") && !has("DomainNames") {
        return Some(ExchangeKind::SharingPolicy);
    }
    if has("SenderDomains") && (has("RequireTls") || has("RestrictDomainsToIPAddresses")) {
        return Some(ExchangeKind::InboundConnector);
    }
    if has("RecipientDomains") && (has("TlsSettings") || has("SmartHosts") || has("UseMXRecord")) {
        return Some(ExchangeKind::OutboundConnector);
    }
    if has("DomainName") && (has("AutoForwardEnabled") || has("AutoReplyEnabled")) {
        return Some(ExchangeKind::RemoteDomain);
    }
    None
}

/// Reads one object of a known kind into the Exchange objects of a pack.
/// Settings accord does not model go to `extensions` (the sharing block's).
pub fn read_into(
    kind: ExchangeKind,
    v: &Value,
    x: &mut Exchange,
    extensions: &mut Vec<Extension>,
) -> Vec<(String, Diagnostic)> {
    match kind {
        ExchangeKind::OrgRelationship => {
            let r = org_relationships(v);
            x.relationships.extend(r.items);
            extensions.extend(r.kept);
            r.problems
        }
        ExchangeKind::SharingPolicy => {
            let r = sharing_policies(v);
            x.sharing_policies.extend(r.items);
            extensions.extend(r.kept);
            r.problems
        }
        ExchangeKind::InboundConnector => {
            let r = inbound_connectors(v);
            x.inbound_connectors.extend(r.items);
            extensions.extend(r.kept);
            r.problems
        }
        ExchangeKind::OutboundConnector => {
            let r = outbound_connectors(v);
            x.outbound_connectors.extend(r.items);
            extensions.extend(r.kept);
            r.problems
        }
        ExchangeKind::RemoteDomain => {
            let r = remote_domains(v);
            x.remote_domains.extend(r.items);
            extensions.extend(r.kept);
            r.problems
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn address_spaces_lose_their_type_and_cost() {
        assert_eq!(address_space("smtp:Test.Domain.com;1"), "test.domain.com");
        assert_eq!(address_space("*.fabrikam.com"), "*.fabrikam.com");
    }

    #[test]
    fn sharing_entries_read_their_actions() {
        let e =
            sharing_entry("Fabrikam.com: CalendarSharingFreeBusyDetail, ContactsSharing").unwrap();
        assert_eq!(e.domain.value, "fabrikam.com");
        assert_eq!(e.actions.len(), 2);
        assert!(sharing_entry("fabrikam.com:Calendar").is_err());
        assert!(sharing_entry("fabrikam.com").is_err());
    }

    #[test]
    fn a_single_object_and_null_entries_are_read() {
        let one = json!({"Name": "Default", "DomainName": "*", "AutoForwardEnabled": false});
        let r = remote_domains(&one);
        assert_eq!(r.items.len(), 1);
        assert_eq!(
            r.items[0].auto_forward.as_ref().map(|a| a.value),
            Some(false)
        );
        let none = json!([null]);
        assert!(outbound_connectors(&none).items.is_empty());
        let camel = json!([{"name": "x", "domainNames": ["A.com"], "freeBusyAccessEnabled": true, "freeBusyAccessLevel": "AvailabilityOnly"}]);
        let r = org_relationships(&camel);
        assert_eq!(r.items[0].domains[0].value, "a.com");
        assert_eq!(
            kind_of(camel[0].as_object().unwrap()),
            Some(ExchangeKind::OrgRelationship)
        );
    }
}

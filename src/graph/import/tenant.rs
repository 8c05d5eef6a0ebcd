//! Whole-tenant snapshots: ScubaGear's `ProviderSettingsExport.json` (one JSON object whose
//! members are what each of its PowerShell providers read: `conditional_access_policies`,
//! `SPO_tenant`, `federation_configuration`, ...), split into the objects the other readers
//! know, plus the tenant's own identity (`tenant_details`, `domain_settings`).
//!
//! A section accord does not model is reported (W3009) with its pointer, never dropped
//! silently; ScubaGear's run metadata (versions, dates, the command lists) is not tenant
//! configuration and is left out, but a command ScubaGear could not run is a warning (W3041):
//! the snapshot then lacks what that command returns.

use serde_json::{Map, Value};

use super::directory::ident_for;
use super::exchange::ExchangeKind;
use super::{Ctx, Importer, Kind};
use crate::diagnostic::Diagnostic;
use crate::graph::names::is_guid;
use crate::model::{Spanned, Tenant};
use crate::source::{FileId, Span};

/// The Exchange Online sections of a snapshot, read by the readers of the PowerShell shapes
/// (`super::exchange`) as a standalone `Get-OrganizationRelationship | ConvertTo-Json` is;
/// `transport_config` is not modelled and is reported like any other such section.
pub(crate) const EXCHANGE_SECTIONS: &[(&str, ExchangeKind)] = &[
    ("org_relationships", ExchangeKind::OrgRelationship),
    ("sharing_policy", ExchangeKind::SharingPolicy),
    ("inbound_connectors", ExchangeKind::InboundConnector),
    ("outbound_connectors", ExchangeKind::OutboundConnector),
    ("remote_domains", ExchangeKind::RemoteDomain),
];

/// ScubaGear's own bookkeeping: not tenant configuration.
fn is_run_metadata(key: &str) -> bool {
    matches!(
        key,
        "baseline_version"
            | "module_version"
            | "date"
            | "timestamp_zulu"
            | "report_uuid"
            | "tenant_id"
            | "scuba_config"
            | "cap_table_data"
            | "oneDrive_PnP_Flag"
    ) || key.ends_with("_successful_commands")
}

/// Whether an object is a whole-tenant snapshot (ScubaGear's provider export).
pub(crate) fn is_snapshot(map: &Map<String, Value>) -> bool {
    let markers = [
        "conditional_access_policies",
        "spo_tenant",
        "tenant_details",
        "federation_configuration",
        "meeting_policies",
        "authorization_policies",
    ];
    markers.iter().filter(|k| map.contains_key(**k)).count() >= 2
        || (map.contains_key("module_version") && map.contains_key("report_uuid"))
}

/// One section of a snapshot: where it is, what it is.
pub(crate) struct Section {
    pub pointer: String,
    pub kind: Kind,
}

/// The objects of a snapshot, each with the kind its section says it is (a section's name is
/// a better witness than the object's properties: `SPO_tenant` is the SharePoint tenant).
pub(crate) fn sections(base: &str, map: &Map<String, Value>) -> Vec<Section> {
    let mut out = Vec::new();
    for (key, value) in map {
        let pointer = crate::graph::decode::child_pointer(base, key);
        let kind = match key.as_str() {
            "conditional_access_policies" => Kind::Policy,
            "spo_tenant" => Kind::SpoTenant,
            "authorization_policies" => Kind::Authorization,
            "federation_configuration" => Kind::TeamsFederation,
            "meeting_policies" => Kind::MeetingPolicy,
            "tenant_details" | "teams_tenant_info" | "domain_settings" => Kind::TenantIdentity,
            "directory_settings" => Kind::DirectorySetting,
            k if k.ends_with("_unsuccessful_commands") => Kind::FailedCommands,
            k if is_run_metadata(k) => continue,
            k => match EXCHANGE_SECTIONS.iter().find(|(name, _)| *name == k) {
                Some((_, e)) => Kind::Exchange(*e),
                None => Kind::SnapshotSection,
            },
        };
        let per_item = !matches!(
            kind,
            Kind::SnapshotSection | Kind::FailedCommands | Kind::Exchange(_)
        );
        match value {
            Value::Array(items) if per_item => {
                out.extend((0..items.len()).map(|i| Section {
                    pointer: format!("{pointer}/{i}"),
                    kind,
                }));
            }
            Value::Null => {}
            _ => out.push(Section { pointer, kind }),
        }
    }
    out
}

/// Our tenant as a snapshot describes it.
#[derive(Debug, Clone, Default)]
pub(crate) struct OurTenant {
    pub id: Option<String>,
    pub display_name: Option<String>,
    pub domains: Vec<String>,
    /// Other ids the snapshot gives for the tenant (a damaged or redacted export).
    pub other_ids: Vec<String>,
    pub file: Option<FileId>,
}

impl OurTenant {
    fn id(&mut self, id: Option<&str>) {
        let Some(id) = id.filter(|i| is_guid(i)) else {
            return;
        };
        match &self.id {
            None => self.id = Some(id.to_ascii_lowercase()),
            Some(first) if first.eq_ignore_ascii_case(id) => {}
            Some(_) => {
                if !self.other_ids.iter().any(|o| o.eq_ignore_ascii_case(id)) {
                    self.other_ids.push(id.to_ascii_lowercase());
                }
            }
        }
    }

    fn domain(&mut self, d: &str) {
        let d = d.trim().to_ascii_lowercase();
        if d.contains('.') && !self.domains.contains(&d) {
            self.domains.push(d);
        }
    }

    /// Reads what the snapshot says about the tenant, most authoritative first: ScubaGear's
    /// `tenant_id`, the organization object (`tenant_details`: `AADAdditionalData` is Graph's
    /// `organization`), Teams' tenant record, the domain settings.
    pub fn read(&mut self, file: FileId, root: &Map<String, Value>) {
        self.file = Some(file);
        let str_at = |v: &Value, p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_string);
        self.id(root.get("tenant_id").and_then(Value::as_str));
        for details in as_list(root.get("tenant_details")) {
            for org in as_list(details.get("aadAdditionalData")) {
                self.organization(org);
            }
            self.id(details.get("tenantId").and_then(Value::as_str));
            if self.display_name.is_none() {
                self.display_name = str_at(details, "/displayName");
            }
            if let Some(d) = str_at(details, "/domainName") {
                self.domain(&d);
            }
        }
        for teams in as_list(root.get("teams_tenant_info")) {
            self.id(teams.get("tenantId").and_then(Value::as_str));
            for d in as_list(teams.get("sipDomain")) {
                if let Some(d) = d.as_str() {
                    self.domain(d);
                }
            }
        }
        for domain in as_list(root.get("domain_settings")) {
            let verified = domain.get("isVerified").and_then(Value::as_bool) != Some(false);
            if let (Some(name), true) = (domain.get("id").and_then(Value::as_str), verified) {
                self.domain(name);
            }
        }
    }

    /// Graph's `organization` (`GET /organization`): id, display name, verified domains.
    pub fn organization(&mut self, org: &Value) {
        self.id(org.get("id").and_then(Value::as_str));
        if self.display_name.is_none() {
            self.display_name = org
                .get("displayName")
                .and_then(Value::as_str)
                .map(str::to_string);
        }
        for d in as_list(org.get("verifiedDomains")) {
            if let Some(name) = d.get("name").and_then(Value::as_str) {
                self.domain(name);
            }
        }
    }
}

/// A JSON array's items, or a lone object as a list of one (PowerShell's `ConvertTo-Json`
/// writes a one-item collection as the item itself).
pub(crate) fn as_list(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

impl Importer<'_> {
    /// Declares the resource tenant a snapshot describes (id, name, verified domains).
    pub(super) fn snapshot_tenant(&mut self, ours: &OurTenant) -> bool {
        let Some(id) = ours.id.clone() else {
            return false;
        };
        let name = ours
            .display_name
            .as_deref()
            .map(ident_for)
            .filter(|n| n != "tenant")
            .unwrap_or_else(|| "resource_tenant".to_string());
        let domains = ours
            .domains
            .iter()
            .cloned()
            .map(Spanned::synthetic)
            .collect();
        self.pack.tenants.push(Tenant {
            name: Spanned::synthetic(name.clone()),
            resource: true,
            id: Some(Spanned::synthetic(id.clone())),
            domains,
            span: Span::default(),
        });
        let at = Span::new(ours.file.unwrap_or_default(), 0, 0);
        self.diagnostics.push(
            Diagnostic::info(
                "I3040",
                format!("the resource tenant is `{name}` (`{id}`), as the snapshot describes it"),
            )
            .at(at)
            .help("pass `--tenant <id|domain>` to name another tenant"),
        );
        if !ours.other_ids.is_empty() {
            let others = ours
                .other_ids
                .iter()
                .map(|o| format!("`{o}`"))
                .collect::<Vec<_>>()
                .join(", ");
            self.diagnostics.push(
                Diagnostic::warning(
                    "W3040",
                    format!("the snapshot also names the tenant {others}: `{id}` is used"),
                )
                .at(at)
                .help("ScubaGear's `tenant_id` and the organization object's `Id` are used first; is the export redacted or assembled from two tenants?"),
            );
        }
        true
    }

    /// `tenant_details`, `teams_tenant_info`, `domain_settings`: read for the resource tenant
    /// (before pass 2); the rest of these records is directory bookkeeping (licences, plans,
    /// addresses), reported once per record.
    pub(super) fn tenant_identity(&mut self, cx: &mut Ctx<'_>) {
        let d = Diagnostic::info(
            "I3041",
            "read for the tenant's id, name and verified domains; the rest of this record is not modelled",
        )
        .help("licences, service plans and contact details do not decide access");
        self.push_at(cx, "", d);
    }

    /// A snapshot section accord does not model.
    pub(super) fn snapshot_section(&mut self, cx: &mut Ctx<'_>) {
        let d = Diagnostic::warning(
            "W3009",
            format!("`{}` of the tenant snapshot is not modelled by accord: skipped", cx.base),
        )
        .help("accord reads the snapshot's Conditional Access policies, SharePoint, authorization, Teams federation and meeting settings, Microsoft 365 group settings and the tenant's identity");
        self.push_at(cx, "", d);
    }

    /// `*_unsuccessful_commands`: ScubaGear could not run these, so the snapshot lacks what
    /// they return (a pack built from it would decide on defaults instead).
    pub(super) fn failed_commands(&mut self, cx: &mut Ctx<'_>, v: &Value) {
        let failed: Vec<&str> = as_list(Some(v)).iter().filter_map(|c| c.as_str()).collect();
        if failed.is_empty() {
            return;
        }
        let d = Diagnostic::warning(
            "W3041",
            format!(
                "ScubaGear could not run {}: the snapshot lacks what {} return",
                failed.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "),
                if failed.len() == 1 { "it" } else { "they" }
            ),
        )
        .help("settings missing from the snapshot take the platform defaults in the pack: run ScubaGear again with the permissions it needs");
        self.push_at(cx, "", d);
    }
}

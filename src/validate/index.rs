//! Lookups by name, id and domain, built once per pack.
//!
//! Validation uses them to resolve references; a [`super::Validated`] keeps them for the
//! evaluator. Each key maps to its first declaration (validation reports the others).

use std::collections::BTreeMap;

use ipnet::IpNet;

use super::values;
use crate::model::{CrossTenantTarget, LocationKind, Pack};

#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    /// Tenant name -> index in `pack.tenants`.
    pub(crate) tenants: BTreeMap<String, usize>,
    /// Lowercase tenant id -> index in `pack.tenants`.
    pub(crate) tenant_ids: BTreeMap<String, usize>,
    /// Lowercase domain -> index in `pack.tenants`.
    pub(crate) domains: BTreeMap<String, usize>,
    /// The first tenant marked `resource`.
    pub(crate) resource: Option<usize>,
    /// The organization that lists the resource tenant.
    pub(crate) organization: Option<usize>,
    /// Location name -> index in `pack.locations`.
    pub(crate) locations: BTreeMap<String, usize>,
    /// Per location (same order as `pack.locations`): the ranges that parse.
    pub(crate) ranges: Vec<Vec<IpNet>>,
    pub(crate) default_cross_tenant: Option<usize>,
    /// Tenant name -> index in `pack.cross_tenant`.
    pub(crate) partner_cross_tenant: BTreeMap<String, usize>,
}

impl Index {
    pub(crate) fn build(pack: &Pack) -> Index {
        let mut index = Index::default();
        for (i, tenant) in pack.tenants.iter().enumerate() {
            index.tenants.entry(tenant.name.value.clone()).or_insert(i);
            if let Some(id) = &tenant.id {
                index
                    .tenant_ids
                    .entry(id.value.to_ascii_lowercase())
                    .or_insert(i);
            }
            for domain in &tenant.domains {
                index
                    .domains
                    .entry(domain.value.to_ascii_lowercase())
                    .or_insert(i);
            }
        }
        index.resource = pack.tenants.iter().position(|t| t.resource);
        if let Some(resource) = index.resource.and_then(|i| pack.tenants.get(i)) {
            index.organization = pack.organizations.iter().position(|o| {
                o.members
                    .iter()
                    .any(|m| m.tenant.value == resource.name.value)
            });
        }
        for (i, location) in pack.locations.iter().enumerate() {
            index
                .locations
                .entry(location.name.value.clone())
                .or_insert(i);
            let ranges = match &location.kind {
                LocationKind::Ip { ranges } => ranges
                    .iter()
                    .filter_map(|r| values::parse_cidr(&r.value).ok())
                    .collect(),
                LocationKind::Countries { .. } => Vec::new(),
            };
            index.ranges.push(ranges);
        }
        for (i, xt) in pack.cross_tenant.iter().enumerate() {
            match &xt.target {
                CrossTenantTarget::Default => {
                    index.default_cross_tenant.get_or_insert(i);
                }
                CrossTenantTarget::Tenant(name) => {
                    index
                        .partner_cross_tenant
                        .entry(name.value.clone())
                        .or_insert(i);
                }
            }
        }
        index
    }
}

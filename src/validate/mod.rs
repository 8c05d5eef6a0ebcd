//! Resolution and checks after parsing: the only way to obtain a [`Validated`] pack.
//!
//! Every problem is reported at once, each with a stable code, the span of the offending node,
//! secondary labels where they help (the first declaration of a duplicate) and a `help`. Warnings
//! do not stop a pack from validating. Pointers like §3 are sections of
//! `shared/reference/entra-semantics.md`.
//!
//! | Code  | Severity | Meaning |
//! |-------|----------|---------|
//! | E1001 | error    | the pack declares no `resource tenant` |
//! | E1002 | error    | a second `resource tenant` |
//! | E1003 | error    | two tenants with the same name |
//! | E1004 | error    | a tenant id that is not a GUID |
//! | E1005 | error    | two tenants with the same id |
//! | E1006 | error    | a domain declared twice (by one tenant or two) |
//! | E1007 | error    | a domain name that is not plausible (scheme, `@`, uppercase, wildcard...) |
//! | E1008 | error    | an unknown tenant name (organization member, `cross_tenant`, `tenants(...)`) |
//! | E1009 | error    | the same tenant twice in an organization |
//! | E1010 | error    | an organization without an `owner` |
//! | E1011 | error    | an organization without members |
//! | E1014 | error    | `from organization` in a pack without an organization |
//! | E1020 | error    | two locations with the same name |
//! | E1021 | error    | an IP range that is not a CIDR range (a bare address needs `/32` or `/128`) |
//! | E1022 | error    | a CIDR mask of /8 or shorter (the platform takes masks larger than /8, §3) |
//! | E1023 | warning  | a private or local range (locations see the public egress address, §3) |
//! | E1024 | error    | a country that is not an ISO 3166 alpha-2 code |
//! | E1025 | error    | `trusted` on a country location (only IP locations can be trusted, §3) |
//! | E1026 | error    | a location with an empty `ip` or `countries` list |
//! | E1027 | error    | more than 2000 ranges in one location (§3) |
//! | E1028 | error    | more than 195 named locations (§3) |
//! | E1030 | error    | two `cross_tenant` blocks for the same tenant, or two `default`s |
//! | E1031 | error    | users or groups targeted in `cross_tenant default` inbound settings (§4.2) |
//! | E1032 | error    | all users blocked without all apps blocked, or allowed users with all apps blocked (§4.3) |
//! | E1033 | error    | `service_provider` on `cross_tenant default` |
//! | E1034 | error    | an empty full-form setting `{ }` |
//! | E1035 | error    | `cross_tenant` for the resource tenant itself |
//! | E1036 | error    | `all` with other targets in one cross-tenant list |
//! | E1037 | error    | `automatic_consent` on `cross_tenant default` (read-only there, §4.1) |
//! | E1038 | error    | an app target that cross-tenant settings cannot hold |
//! | E1050 | error    | two policies with the same name |
//! | E1051 | error    | a policy that includes no users |
//! | E1052 | error    | a policy that includes no apps |
//! | E1053 | error    | `all` or `none` with other targets in `include` |
//! | E1054 | error    | a target that cannot be excluded (`all`, `none`, user actions...) |
//! | E1055 | error    | an app id that is not a GUID |
//! | E1056 | error    | an authentication context id other than `c1`..`c99` |
//! | E1057 | error    | an unknown directory role |
//! | E1058 | warning  | a role id that is not a built-in role known to accord |
//! | E1059 | warning  | the same type twice in `external(...)` |
//! | E1060 | error    | `block` combined with other controls |
//! | E1061 | error    | the same control twice, or two authentication strengths |
//! | E1062 | error    | `password_change` in a policy that does not target all apps (§1.13) |
//! | E1063 | error    | `password_change` with controls other than `mfa`, or under `any(...)` (§1.13) |
//! | E1064 | error    | `password_change` with conditions other than user risk (§1.13) |
//! | E1065 | error    | a policy that grants nothing (no grant and no session control) |
//! | E1066 | error    | an empty `include(...)` of platforms or locations |
//! | W1067 | warning  | `include(all)` with other platforms or locations |
//! | E1068 | error    | `exclude(all)` of platforms or locations |
//! | E1069 | error    | an unknown location |
//! | W1069 | warning  | a location id (a GUID) the pack does not declare: decisions on it fail closed |
//! | E1070 | error    | an empty list condition (`sign_in_risk = []`...) |
//! | W1071 | warning  | `persistent_browser` in a policy that does not target all apps (§1.14) |
//! | E1072 | error    | a policy with an empty name |
//! | E1073 | error    | two custom authentication strengths with the same name or id |
//! | E1074 | error    | a custom strength id that is not a GUID |
//! | E1075 | error    | a custom strength without an `allow` combination |
//! | E1076 | error    | `auth_strength "<name>"` naming no declared strength |
//! | W1076 | warning  | `auth_strength "<id>"` naming a strength the pack does not declare (never met) |
//! | E1080 | error    | a second `sharing` block |
//! | E1081 | error    | a site URL that is not an `https://` URL |
//! | E1082 | error    | two sites with the same URL |
//! | E1083 | error    | two `teams meeting` blocks for the same meeting policy |
//! | E1085 | error    | the same calendar domain twice |
//! | E1086 | error    | two Exchange objects of one kind with the same name |
//! | E1087 | error    | two default sharing policies |
//! | E1088 | error    | a connector sender IP that is not an address or CIDR range |
//! | E1089 | error    | a guest or Anyone-link expiry outside 1 to 730 days |
//! | E1090 | error    | two directory objects of one kind with the same name or address |
//! | E1091 | error    | an enterprise app without `id` |
//! | E1092 | error    | a distribution group assigned to an app |
//! | E1093 | error    | a directory `mail`, `upn` or contact address that is not an address |
//! | E1094 | error    | `guests` on a group that is not a Microsoft 365 group |
//! | E1110 | error    | `user_sync inbound` on `cross_tenant default` |
//! | E1140 | error    | a `security_profile` id that is not a GUID |
//! | W1095 | warning  | a report-only policy that targets a user action (never evaluated) |
//! | W1096 | warning  | a dynamic membership rule accord does not read |

mod cross_tenant;
mod directory;
mod exchange;
mod grant;
mod index;
mod locations;
mod policies;
mod references;
mod sharing;
mod strengths;
mod tenant_restrictions;
mod tenants;
pub(crate) mod values;
mod workloads;

use std::collections::BTreeMap;

use ipnet::IpNet;

use crate::diagnostic::{has_errors, Diagnostic, Severity};
use crate::model::{CrossTenant, Location, OrgMember, Organization, Pack, Sharing, Tenant};
use crate::source::Span;

use index::Index;

/// A pack whose references resolve and whose values are in range. Only [`validate`] builds one.
///
/// Besides the pack it holds the lookups the evaluator needs, computed once.
#[derive(Debug, Clone)]
pub struct Validated {
    pack: Pack,
    index: Index,
    /// A copy of the resource tenant, so that reaching it needs no index that could be wrong.
    resource: Tenant,
}

impl Validated {
    pub fn pack(&self) -> &Pack {
        &self.pack
    }

    /// The one tenant that owns the apps and data the pack governs.
    pub fn resource_tenant(&self) -> &Tenant {
        &self.resource
    }

    /// The multi-tenant organization the resource tenant belongs to, if the pack declares one.
    pub fn organization_of_resource(&self) -> Option<&Organization> {
        self.index
            .organization
            .and_then(|i| self.pack.organizations.get(i))
    }

    /// The resource tenant's organization entry for a tenant (by name), if it is listed there.
    pub fn org_member(&self, tenant: &str) -> Option<&OrgMember> {
        self.organization_of_resource()?
            .members
            .iter()
            .find(|m| m.tenant.value == tenant)
    }

    pub fn tenant(&self, name: &str) -> Option<&Tenant> {
        self.lookup(&self.index.tenants, name)
    }

    /// A tenant by id, ignoring case (ids are GUIDs).
    pub fn tenant_by_id(&self, id: &str) -> Option<&Tenant> {
        self.lookup(&self.index.tenant_ids, &id.to_ascii_lowercase())
    }

    /// A tenant by one of its domains, ignoring case.
    pub fn tenant_by_domain(&self, domain: &str) -> Option<&Tenant> {
        self.lookup(&self.index.domains, &domain.to_ascii_lowercase())
    }

    pub fn location(&self, name: &str) -> Option<&Location> {
        let i = *self.index.locations.get(name)?;
        self.pack.locations.get(i)
    }

    /// The parsed ranges of an IP location (empty for country locations and unknown names).
    pub fn location_ranges(&self, name: &str) -> &[IpNet] {
        self.index
            .locations
            .get(name)
            .and_then(|i| self.index.ranges.get(*i))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The `cross_tenant default` block, if the pack has one.
    pub fn cross_tenant_default(&self) -> Option<&CrossTenant> {
        self.index
            .default_cross_tenant
            .and_then(|i| self.pack.cross_tenant.get(i))
    }

    /// The partner block of a tenant (by name), if the pack has one.
    pub fn cross_tenant_for(&self, tenant: &str) -> Option<&CrossTenant> {
        let i = *self.index.partner_cross_tenant.get(tenant)?;
        self.pack.cross_tenant.get(i)
    }

    /// The `sharing` block, if the pack has one.
    pub fn sharing(&self) -> Option<&Sharing> {
        self.pack.sharing.first()
    }

    fn lookup(&self, map: &BTreeMap<String, usize>, key: &str) -> Option<&Tenant> {
        self.pack.tenants.get(*map.get(key)?)
    }
}

/// The outcome of validation: the pack when there is no error, and every diagnostic found.
#[derive(Debug, Clone)]
pub struct Validation {
    pub validated: Option<Validated>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks a parsed pack.
pub fn validate(pack: Pack) -> Validation {
    validate_after(pack, &[])
}

/// Checks a pack that earlier stages (parsing, lowering, import) already reported `earlier` about.
///
/// Lowering drops a node it cannot read (an unknown platform, a bad duration), which can make a
/// list look empty or a policy look incomplete. A finding is left out when an earlier error lies
/// inside the node it is about, since it is then most likely a consequence of that error.
pub fn validate_after(pack: Pack, earlier: &[Diagnostic]) -> Validation {
    let index = Index::build(&pack);
    let mut findings = Findings::default();
    tenants::check(&pack, &index, &mut findings);
    locations::check(&pack, &mut findings);
    cross_tenant::check(&pack, &index, &mut findings);
    tenant_restrictions::check(&pack, &index, &mut findings);
    policies::check(&pack, &index, &mut findings);
    sharing::check(&pack, &mut findings);
    directory::check(&pack, &index, &mut findings);
    strengths::check(&pack, &mut findings);
    let diagnostics = findings.into_diagnostics(earlier);
    let resource = index.resource.and_then(|i| pack.tenants.get(i)).cloned();
    let validated = match resource {
        Some(resource) if !has_errors(&diagnostics) => Some(Validated {
            pack,
            index,
            resource,
        }),
        _ => None,
    };
    Validation {
        validated,
        diagnostics,
    }
}

/// The diagnostics found so far, each with its scope: the span of the node it is about.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    items: Vec<(Option<Span>, Diagnostic)>,
}

impl Findings {
    /// A finding about the node its primary span points at.
    fn add(&mut self, diagnostic: Diagnostic) {
        self.items.push((diagnostic.span, diagnostic));
    }

    /// A finding about a node larger than its primary span (a list, a block, a policy).
    fn add_in(&mut self, scope: Span, diagnostic: Diagnostic) {
        self.items.push((Some(scope), diagnostic));
    }

    /// The findings in source order (those without a span first), without the consequences
    /// of `earlier` errors.
    fn into_diagnostics(self, earlier: &[Diagnostic]) -> Vec<Diagnostic> {
        let earlier_errors: Vec<Span> = earlier
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .filter_map(|d| d.span)
            .collect();
        let mut diagnostics: Vec<Diagnostic> = self
            .items
            .into_iter()
            .filter(|(scope, _)| {
                !scope.is_some_and(|s| earlier_errors.iter().any(|e| contains(s, *e)))
            })
            .map(|(_, d)| d)
            .collect();
        // Stable: findings at one place keep the order the checks found them in.
        diagnostics.sort_by_key(|d| d.span.map(|s| (s.file, s.start)));
        diagnostics
    }
}

fn contains(outer: Span, inner: Span) -> bool {
    !outer.is_empty()
        && outer.file == inner.file
        && outer.start <= inner.start
        && inner.end <= outer.end
}

/// Every repeat of a key after its first occurrence: `(key, repeat, first)`, in source order.
fn repeats<K: Ord + Clone>(items: impl IntoIterator<Item = (K, Span)>) -> Vec<(K, Span, Span)> {
    let mut first: BTreeMap<K, Span> = BTreeMap::new();
    let mut out = Vec::new();
    for (key, span) in items {
        match first.get(&key) {
            Some(f) => out.push((key, span, *f)),
            None => {
                first.insert(key, span);
            }
        }
    }
    out
}

/// The span of the keyword a block starts with (`users` of `users { ... }`), so that a finding
/// about a whole block underlines one word rather than many lines.
fn keyword_span(block: Span, keyword: &str) -> Span {
    if block.is_empty() {
        return block;
    }
    let end = (block.start as usize + keyword.len()).min(block.end as usize);
    Span::new(block.file, block.start as usize, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_texts;

    /// A small valid pack to build on: tests add one problem each.
    pub(crate) const BASE: &str = r#"
resource tenant contoso { id = "2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01"  domains = ["contoso.com"] }
tenant fabrikam { id = "8d0e5b8a-6b1f-4bd7-8f0e-6c9f4a1c2b02"  domains = ["fabrikam.com"] }
"#;

    /// Validates `BASE` followed by `extra` (which must parse) and returns the codes found.
    pub(crate) fn codes_of(extra: &str) -> Vec<String> {
        let text = format!("{BASE}{extra}");
        let loaded = load_texts([("test.policy", text.as_str())]);
        assert!(
            loaded.diagnostics().is_empty(),
            "the test input must lower cleanly: {:?}",
            loaded.diagnostics()
        );
        validate(loaded.pack)
            .diagnostics
            .into_iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn base_pack_is_clean() {
        assert_eq!(codes_of(""), Vec::<String>::new());
    }

    #[test]
    fn validated_exposes_lookups() {
        let text = format!(
            "{BASE}{}",
            r#"
organization "Group" { contoso owner active  fabrikam member pending }
location hq { ip = ["203.0.113.0/24"] trusted }
cross_tenant default { inbound b2b_collaboration = allow }
cross_tenant fabrikam { trust mfa }
sharing { sharepoint = existing_guests }
"#
        );
        let loaded = load_texts([("t.policy", text.as_str())]);
        let validation = validate(loaded.pack);
        assert!(
            validation.diagnostics.is_empty(),
            "{:?}",
            validation.diagnostics
        );
        let Some(v) = validation.validated else {
            panic!("the pack must validate");
        };
        assert_eq!(v.resource_tenant().name.value, "contoso");
        assert_eq!(
            v.organization_of_resource().map(|o| o.name.value.as_str()),
            Some("Group")
        );
        assert!(v.org_member("fabrikam").is_some());
        assert!(v.org_member("litware").is_none());
        assert_eq!(
            v.tenant_by_id("8D0E5B8A-6B1F-4BD7-8F0E-6C9F4A1C2B02")
                .map(|t| t.name.value.as_str()),
            Some("fabrikam")
        );
        assert_eq!(
            v.tenant_by_domain("Contoso.com")
                .map(|t| t.name.value.as_str()),
            Some("contoso")
        );
        assert!(v.tenant("fabrikam").is_some());
        assert!(v.tenant("nobody").is_none());
        assert_eq!(v.location_ranges("hq").len(), 1);
        assert!(v.location_ranges("nowhere").is_empty());
        assert!(v.location("hq").is_some());
        assert!(v.cross_tenant_default().is_some());
        assert!(v.cross_tenant_for("fabrikam").is_some());
        assert!(v.cross_tenant_for("contoso").is_none());
        assert!(v.sharing().is_some());
    }

    #[test]
    fn no_validated_pack_when_there_is_an_error() {
        let loaded = load_texts([("t.policy", "tenant a { }")]);
        let validation = validate(loaded.pack);
        assert!(validation.validated.is_none());
    }

    #[test]
    fn warnings_do_not_stop_validation() {
        let text = format!("{BASE}location lan {{ ip = [\"10.1.0.0/16\"] }}");
        let loaded = load_texts([("t.policy", text.as_str())]);
        let validation = validate(loaded.pack);
        assert_eq!(validation.diagnostics.len(), 1);
        assert_eq!(validation.diagnostics[0].code, "E1023");
        assert!(validation.validated.is_some());
    }

    #[test]
    fn findings_inside_an_earlier_error_are_left_out() {
        let text = format!(
            "{BASE}{}",
            "policy \"p\" { users { include all } apps { include all } conditions { platforms = include(andriod) } grant mfa }"
        );
        let loaded = load_texts([("t.policy", text.as_str())]);
        let earlier = loaded.diagnostics();
        assert_eq!(earlier.len(), 1);
        // Alone, validation sees an empty `include(...)`; after lowering it knows why.
        let alone = validate(loaded.pack.clone());
        assert_eq!(alone.diagnostics.len(), 1);
        assert_eq!(alone.diagnostics[0].code, "E1066");
        let after = validate_after(loaded.pack, &earlier);
        assert!(after.diagnostics.is_empty(), "{:?}", after.diagnostics);
    }

    #[test]
    fn repeats_pairs_each_repeat_with_the_first() {
        let s = |n: usize| Span::new(crate::source::FileId(0), n, n + 1);
        let found = repeats([("a", s(0)), ("b", s(1)), ("a", s(2)), ("a", s(3))]);
        assert_eq!(found, vec![("a", s(2), s(0)), ("a", s(3), s(0))]);
    }
}

//! One file per rule: its documentation, then its check. Listed once in `registry::RULES`.

pub mod cap001_never_applies;
pub mod cap002_shadowed_policy;
pub mod cap003_no_emergency_exclusion;
pub mod cap004_legacy_auth_not_blocked;
pub mod cap005_policy_not_enforced;
pub mod cap006_unused_location;
pub mod cap007_duplicate_policy_name;
pub mod ext001_unsatisfiable_app_controls;
pub mod ext002_untrusted_device_claim;
pub mod ext003_untrusted_mfa;
pub mod ext004_all_users_include_externals;
pub mod ext005_risk_for_externals;
pub mod ext006_uncovered_external_segment;
pub mod ext007_direct_connect_untrusted_mfa;
pub mod mto001_tenant_in_two_organizations;
pub mod mto002_no_active_owner;
pub mod mto003_too_many_tenants;
pub mod mto004_member_without_cross_tenant;
pub mod mto005_organization_with_pending_member;
pub mod mto006_resource_tenant_not_member;
pub mod shr001_site_above_sharepoint;
pub mod shr002_onedrive_above_sharepoint;
pub mod shr003_conflicting_domain_lists;
pub mod shr004_inconsistent_partner_domains;
pub mod shr005_anyone_links_bypass_mfa;
pub mod shr006_teams_groups_guest_mismatch;

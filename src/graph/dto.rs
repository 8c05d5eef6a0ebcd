//! A serde mirror of the Microsoft Graph resources accord reads and writes. No logic.
//!
//! Every property is optional (Graph omits or nulls what is not set). A property whose JSON has
//! an unexpected shape is kept as [`Maybe::Other`] rather than failing the whole document, and
//! every object keeps the members it does not name in `extra`, so the importer can turn them into
//! `extension` entries. Shapes are those of §1, §3, §4, §5 and §7 of
//! `../shared/reference/entra-semantics.md`; keys arrive camelCase (see `decode`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A value of the expected shape, or whatever JSON was there instead.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Maybe<T> {
    Ok(T),
    Other(Value),
}

/// A Graph flags enum: one comma-separated string on the wire, an array in some exports.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Flags {
    Text(String),
    List(Vec<String>),
}

pub type Strings = Maybe<Vec<String>>;

// ---- conditionalAccessPolicy (§1) ------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_id: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<Maybe<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_date_time: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_date_time: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<Maybe<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Maybe<Conditions>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant_controls: Option<Maybe<GrantControls>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_controls: Option<Maybe<SessionControls>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Conditions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub users: Option<Maybe<Users>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applications: Option<Maybe<Applications>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_app_types: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platforms: Option<Maybe<Platforms>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locations: Option<Maybe<Locations>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_in_risk_levels: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_risk_levels: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub insider_risk_levels: Option<Maybe<Flags>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub devices: Option<Maybe<Devices>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_flows: Option<Maybe<AuthenticationFlows>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_applications: Option<Maybe<ClientApplications>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_principal_risk_levels: Option<Strings>,
    /// Beta: `conditionalAccessAgentIdRiskLevels`, a multi-valued enumeration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_id_risk_levels: Option<Maybe<Flags>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `conditionalAccessClientApplications`: the workload identities of a policy (v1.0, and the
/// beta's agent identity fields).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientApplications {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_service_principals: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclude_service_principals: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_principal_filter: Option<Maybe<Filter>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_agent_id_service_principals: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclude_agent_id_service_principals: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_id_service_principal_filter: Option<Maybe<Filter>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Users {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_users: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclude_users: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_groups: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclude_groups: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_roles: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclude_roles: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_guests_or_external_users: Option<Maybe<GuestsOrExternalUsers>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclude_guests_or_external_users: Option<Maybe<GuestsOrExternalUsers>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `conditionalAccessGuestsOrExternalUsers` (§1.4).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GuestsOrExternalUsers {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guest_or_external_user_types: Option<Maybe<Flags>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_tenants: Option<Maybe<ExternalTenants>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `conditionalAccessExternalTenants`: all, or enumerated `members`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalTenants {
    #[serde(rename = "@odata.type", skip_serializing_if = "Option::is_none")]
    pub odata_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub membership_kind: Option<Maybe<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<Strings>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Applications {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_applications: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclude_applications: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_user_actions: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_authentication_context_class_references: Option<Strings>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `conditionalAccessPlatforms`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Platforms {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_platforms: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclude_platforms: Option<Strings>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `conditionalAccessLocations`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Locations {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_locations: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclude_locations: Option<Strings>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Devices {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_filter: Option<Maybe<Filter>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `conditionalAccessFilter` (§1.11).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<Maybe<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<Maybe<String>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticationFlows {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfer_methods: Option<Maybe<Flags>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `conditionalAccessGrantControls` (§1.13).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GrantControls {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<Maybe<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub built_in_controls: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_strength: Option<Maybe<AuthenticationStrength>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms_of_use: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_authentication_factors: Option<Strings>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `authenticationStrengthPolicy`: on write only `id` is sent; reads expand the whole policy.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticationStrength {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Maybe<String>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `conditionalAccessSessionControls` (§1.14).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionControls {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_enforced_restrictions: Option<Maybe<SessionControl>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_app_security: Option<Maybe<SessionControl>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_in_frequency: Option<Maybe<SessionControl>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persistent_browser: Option<Maybe<SessionControl>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub continuous_access_evaluation: Option<Maybe<SessionControl>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_resilience_defaults: Option<Maybe<bool>>,
    /// Token protection (`secureSignInSession`, beta; `isEnabled` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secure_sign_in_session: Option<Maybe<SessionControl>>,
    /// The Global Secure Access security profile (beta; `profileId` and `isEnabled`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_secure_access_filtering_profile: Option<Maybe<SessionControl>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Every session control shares `isEnabled`; the others carry one or two settings.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionControl {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_enabled: Option<Maybe<bool>>,
    /// `cloudAppSecurity.cloudAppSecurityType`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_app_security_type: Option<Maybe<String>>,
    /// `signInFrequency.type` (`hours` | `days`).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub frequency_type: Option<Maybe<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Maybe<u32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_type: Option<Maybe<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frequency_interval: Option<Maybe<String>>,
    /// `persistentBrowser.mode` and `continuousAccessEvaluation.mode`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<Maybe<String>>,
    /// `globalSecureAccessFilteringProfile.profileId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_id: Option<Maybe<String>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// ---- named locations (§3) --------------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NamedLocation {
    #[serde(rename = "@odata.type", skip_serializing_if = "Option::is_none")]
    pub odata_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<Maybe<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_date_time: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_date_time: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_ranges: Option<Maybe<Vec<IpRange>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_trusted: Option<Maybe<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub countries_and_regions: Option<Strings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_unknown_countries_and_regions: Option<Maybe<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_lookup_method: Option<Maybe<String>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IpRange {
    #[serde(rename = "@odata.type", skip_serializing_if = "Option::is_none")]
    pub odata_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cidr_address: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// ---- cross-tenant access settings (§4) -------------------------------------------------------

/// `crossTenantAccessPolicyConfigurationDefault` and `...Partner` (the partner adds `tenantId`,
/// `isServiceProvider`, `isInMultiTenantOrganization` and `identitySynchronization`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CrossTenantConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<Maybe<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_service_default: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inbound_trust: Option<Maybe<InboundTrust>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub automatic_user_consent_settings: Option<Maybe<AutomaticUserConsent>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b2b_collaboration_inbound: Option<Maybe<B2bSetting>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b2b_collaboration_outbound: Option<Maybe<B2bSetting>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b2b_direct_connect_inbound: Option<Maybe<B2bSetting>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b2b_direct_connect_outbound: Option<Maybe<B2bSetting>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_service_provider: Option<Maybe<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_in_multi_tenant_organization: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_synchronization: Option<Maybe<IdentitySync>>,
    /// `crossTenantAccessPolicyTenantRestrictions`: a B2B setting (plus `devices`, beta, kept
    /// as an extension).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_restrictions: Option<Maybe<B2bSetting>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `crossTenantIdentitySyncPolicyPartner` (a partner's `identitySynchronization`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentitySync {
    /// Read-only, the partner's id again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<Value>,
    /// Informational: the importer names the tenant with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_sync_inbound: Option<Maybe<UserSyncInbound>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `crossTenantUserSyncInbound`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSyncInbound {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_sync_allowed: Option<Maybe<bool>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InboundTrust {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_mfa_accepted: Option<Maybe<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_compliant_device_accepted: Option<Maybe<bool>>,
    #[serde(
        rename = "isHybridAzureADJoinedDeviceAccepted",
        alias = "isHybridAzureAdJoinedDeviceAccepted",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_hybrid_joined_device_accepted: Option<Maybe<bool>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AutomaticUserConsent {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inbound_allowed: Option<Maybe<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outbound_allowed: Option<Maybe<bool>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `crossTenantAccessPolicyB2BSetting`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct B2bSetting {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub users_and_groups: Option<Maybe<TargetConfiguration>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applications: Option<Maybe<TargetConfiguration>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `crossTenantAccessPolicyTargetConfiguration`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_type: Option<Maybe<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub targets: Option<Maybe<Vec<Target>>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// ---- multi-tenant organisation (§5) ----------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MultiTenantOrganization {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<Maybe<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<Maybe<String>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `multiTenantOrganizationMember`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MultiTenantOrganizationMember {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<Maybe<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<Maybe<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Maybe<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<Maybe<String>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// ---- sharing (§7) ----------------------------------------------------------------------------

/// `sharepointSettings` (Graph), also read from `Get-SPOTenant` output (PascalCase, enums as
/// PascalCase names or CSOM integers, domain lists as space-separated strings).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SharepointSettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing_capability: Option<Value>,
    /// Only in `Get-SPOTenant` output; Graph has no separate OneDrive level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub one_drive_sharing_capability: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing_domain_restriction_mode: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing_allowed_domain_list: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing_blocked_domain_list: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `authorizationPolicy` (§7.6).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizationPolicy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_invites_from: Option<Maybe<String>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// ---- directory objects used only for names ---------------------------------------------------

/// A group, user or other directory object: only its id and the name people know it by.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryObject {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_principal_name: Option<String>,
}

/// IntuneManagement's `MigrationTable.json`: the source tenant and the objects it exported.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MigrationTable {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    #[serde(default)]
    pub objects: Vec<MigrationObject>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MigrationObject {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub object_type: Option<String>,
}

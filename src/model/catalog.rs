//! The platform's well-known names and ids, as static tables.
//!
//! Built-in directory roles, the first-party apps the policy language names, ISO 3166-1 country
//! codes, the built-in authentication strengths and the authentication methods that satisfy them.
//! The parser and validator resolve names here (the `*_names()` iterators feed "did you mean"
//! suggestions), the evaluator asks which methods satisfy a strength, and the Graph importer and
//! exporter translate between names and ids.
//!
//! Every id was checked against the published source named beside its table; none is inferred.
//! Platform rules live in `../shared/reference/entra-semantics.md`.

use std::fmt;

use super::strength::{AuthMode, Combinations};

// ---------------------------------------------------------------------------------------------
// Directory roles
// ---------------------------------------------------------------------------------------------

/// A built-in Microsoft Entra directory role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Role {
    /// The policy language's spelling: snake_case of `display`.
    pub name: &'static str,
    /// The role template id, a lowercase GUID. Conditional Access `includeRoles`/`excludeRoles`
    /// hold template ids, which are the same in every tenant (entra-semantics.md §1.3).
    pub id: &'static str,
    /// The display name used by Microsoft's built-in roles reference.
    pub display: &'static str,
}

const fn role(name: &'static str, id: &'static str, display: &'static str) -> Role {
    Role { name, id, display }
}

/// Every built-in directory role with a verified template id.
///
/// Conditional Access honours only built-in roles assigned at directory scope
/// (entra-semantics.md §1.3), so custom roles are deliberately absent.
// One role per line, unwrapped, so the table reads (and diffs) like the reference it copies.
#[rustfmt::skip]
pub static ROLES: &[Role] = &[
    // The "All roles" table of Microsoft's built-in roles reference: MicrosoftDocs/entra-docs,
    // docs/identity/role-based-access-control/permissions-reference.md (ms.date 01/20/2026).
    role("agent_id_administrator", "db506228-d27e-4b7d-95e5-295956d6615f", "Agent ID Administrator"),
    role("agent_id_developer", "adb2368d-a9be-41b5-8667-d96778e081b0", "Agent ID Developer"),
    role("agent_registry_administrator", "6b942400-691f-4bf0-9d12-d8a254a2baf5", "Agent Registry Administrator"),
    role("ai_administrator", "d2562ede-74db-457e-a7b6-544e236ebb61", "AI Administrator"),
    role("application_administrator", "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator"),
    role("application_developer", "cf1c38e5-3621-4004-a7cb-879624dced7c", "Application Developer"),
    role("attack_payload_author", "9c6df0f2-1e7c-4dc3-b195-66dfbd24aa8f", "Attack Payload Author"),
    role("attack_simulation_administrator", "c430b396-e693-46cc-96f3-db01bf8bb62a", "Attack Simulation Administrator"),
    role("attribute_assignment_administrator", "58a13ea3-c632-46ae-9ee0-9c0d43cd7f3d", "Attribute Assignment Administrator"),
    role("attribute_assignment_reader", "ffd52fa5-98dc-465c-991d-fc073eb59f8f", "Attribute Assignment Reader"),
    role("attribute_definition_administrator", "8424c6f0-a189-499e-bbd0-26c1753c96d4", "Attribute Definition Administrator"),
    role("attribute_definition_reader", "1d336d2c-4ae8-42ef-9711-b3604ce3fc2c", "Attribute Definition Reader"),
    role("attribute_log_administrator", "5b784334-f94b-471a-a387-e7219fc49ca2", "Attribute Log Administrator"),
    role("attribute_log_reader", "9c99539d-8186-4804-835f-fd51ef9e2dcd", "Attribute Log Reader"),
    role("attribute_provisioning_administrator", "ecb2c6bf-0ab6-418e-bd87-7986f8d63bbe", "Attribute Provisioning Administrator"),
    role("attribute_provisioning_reader", "422218e4-db15-4ef9-bbe0-8afb41546d79", "Attribute Provisioning Reader"),
    role("authentication_administrator", "c4e39bd9-1100-46d3-8c65-fb160da0071f", "Authentication Administrator"),
    role("authentication_extensibility_administrator", "25a516ed-2fa0-40ea-a2d0-12923a21473a", "Authentication Extensibility Administrator"),
    role("authentication_policy_administrator", "0526716b-113d-4c15-b2c8-68e3c22b9f80", "Authentication Policy Administrator"),
    role("azure_devops_administrator", "e3973bdf-4987-49ae-837a-ba8e231c7286", "Azure DevOps Administrator"),
    role("azure_information_protection_administrator", "7495fdc4-34c4-4d15-a289-98788ce399fd", "Azure Information Protection Administrator"),
    role("b2c_ief_keyset_administrator", "aaf43236-0c0d-4d5f-883a-6955382ac081", "B2C IEF Keyset Administrator"),
    role("b2c_ief_policy_administrator", "3edaf663-341e-4475-9f94-5c398ef6c070", "B2C IEF Policy Administrator"),
    role("billing_administrator", "b0f54661-2d74-4c50-afa3-1ec803f12efe", "Billing Administrator"),
    role("cloud_app_security_administrator", "892c5842-a9a6-463a-8041-72aa08ca3cf6", "Cloud App Security Administrator"),
    role("cloud_application_administrator", "158c047a-c907-4556-b7ef-446551a6b5f7", "Cloud Application Administrator"),
    role("cloud_device_administrator", "7698a772-787b-4ac8-901f-60d6b08affd2", "Cloud Device Administrator"),
    role("compliance_administrator", "17315797-102d-40b4-93e0-432062caca18", "Compliance Administrator"),
    role("compliance_data_administrator", "e6d1a23a-da11-4be4-9570-befc86d067a7", "Compliance Data Administrator"),
    role("conditional_access_administrator", "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", "Conditional Access Administrator"),
    role("customer_lockbox_access_approver", "5c4f9dcd-47dc-4cf7-8c9a-9e4207cbfc91", "Customer LockBox Access Approver"),
    role("desktop_analytics_administrator", "38a96431-2bdf-4b4c-8b6e-5d3d8abac1a4", "Desktop Analytics Administrator"),
    role("directory_readers", "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", "Directory Readers"),
    role("directory_synchronization_accounts", "d29b2b05-8046-44ba-8758-1e26182fcf32", "Directory Synchronization Accounts"),
    role("directory_writers", "9360feb5-f418-4baa-8175-e2a00bac4301", "Directory Writers"),
    role("domain_name_administrator", "8329153b-31d0-4727-b945-745eb3bc5f31", "Domain Name Administrator"),
    role("dragon_administrator", "e93e3737-fa85-474a-aee4-7d3fb86510f3", "Dragon Administrator"),
    role("dynamics_365_administrator", "44367163-eba1-44c3-98af-f5787879f96a", "Dynamics 365 Administrator"),
    role("dynamics_365_business_central_administrator", "963797fb-eb3b-4cde-8ce3-5878b3f32a3f", "Dynamics 365 Business Central Administrator"),
    role("edge_administrator", "3f1acade-1e04-4fbc-9b69-f0302cd84aef", "Edge Administrator"),
    role("exchange_administrator", "29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator"),
    role("exchange_backup_administrator", "49eb8f75-97e9-4e37-9b2b-6c3ebfcffa31", "Exchange Backup Administrator"),
    role("exchange_recipient_administrator", "31392ffb-586c-42d1-9346-e59415a2cc4e", "Exchange Recipient Administrator"),
    role("extended_directory_user_administrator", "dd13091a-6207-4fc0-82ba-3641e056ab95", "Extended Directory User Administrator"),
    role("external_id_user_flow_administrator", "6e591065-9bad-43ed-90f3-e9424366d2f0", "External ID User Flow Administrator"),
    role("external_id_user_flow_attribute_administrator", "0f971eea-41eb-4569-a71e-57bb8a3eff1e", "External ID User Flow Attribute Administrator"),
    role("external_identity_provider_administrator", "be2f45a1-457d-42af-a067-6ec1fa63bc45", "External Identity Provider Administrator"),
    role("fabric_administrator", "a9ea8996-122f-4c74-9520-8edcd192826c", "Fabric Administrator"),
    role("global_administrator", "62e90394-69f5-4237-9190-012177145e10", "Global Administrator"),
    role("global_reader", "f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Global Reader"),
    role("global_secure_access_administrator", "ac434307-12b9-4fa1-a708-88bf58caabc1", "Global Secure Access Administrator"),
    role("global_secure_access_log_reader", "843318fb-79a6-4168-9e6f-aa9a07481cc4", "Global Secure Access Log Reader"),
    role("groups_administrator", "fdd7a751-b60b-444a-984c-02652fe8fa1c", "Groups Administrator"),
    role("guest_inviter", "95e79109-95c0-4d8e-aee3-d01accf2d47b", "Guest Inviter"),
    role("helpdesk_administrator", "729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator"),
    role("hybrid_identity_administrator", "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2", "Hybrid Identity Administrator"),
    role("identity_governance_administrator", "45d8d3c5-c802-45c6-b32a-1d70b5e1e86e", "Identity Governance Administrator"),
    role("insights_administrator", "eb1f4a8d-243a-41f0-9fbd-c7cdf6c5ef7c", "Insights Administrator"),
    role("insights_analyst", "25df335f-86eb-4119-b717-0ff02de207e9", "Insights Analyst"),
    role("insights_business_leader", "31e939ad-9672-4796-9c2e-873181342d2d", "Insights Business Leader"),
    role("intune_administrator", "3a2c62db-5318-420d-8d74-23affee5d9d5", "Intune Administrator"),
    role("iot_device_administrator", "2ea5ce4c-b2d8-4668-bd81-3680bd2d227a", "IoT Device Administrator"),
    role("kaizala_administrator", "74ef975b-6605-40af-a5d2-b9539d836353", "Kaizala Administrator"),
    role("knowledge_administrator", "b5a8dcf3-09d5-43a9-a639-8e29ef291470", "Knowledge Administrator"),
    role("knowledge_manager", "744ec460-397e-42ad-a462-8b3f9747a02c", "Knowledge Manager"),
    role("license_administrator", "4d6ac14f-3453-41d0-bef9-a3e0c569773a", "License Administrator"),
    role("lifecycle_workflows_administrator", "59d46f88-662b-457b-bceb-5c3809e5908f", "Lifecycle Workflows Administrator"),
    role("message_center_privacy_reader", "ac16e43d-7b2d-40e0-ac05-243ff356ab5b", "Message Center Privacy Reader"),
    role("message_center_reader", "790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b", "Message Center Reader"),
    role("microsoft_365_backup_administrator", "1707125e-0aa2-4d4d-8655-a7c786c76a25", "Microsoft 365 Backup Administrator"),
    role("microsoft_365_migration_administrator", "8c8b803f-96e1-4129-9349-20738d9f9652", "Microsoft 365 Migration Administrator"),
    role("microsoft_365_support_engineer", "00cf5c54-4693-4f59-a0ac-ab79ef0a974d", "Microsoft 365 Support Engineer"),
    role("microsoft_entra_joined_device_local_administrator", "9f06204d-73c1-4d4c-880a-6edb90606fd8", "Microsoft Entra Joined Device Local Administrator"),
    role("microsoft_graph_data_connect_administrator", "ee67aa9c-e510-4759-b906-227085a7fd4d", "Microsoft Graph Data Connect Administrator"),
    role("microsoft_hardware_warranty_administrator", "1501b917-7653-4ff9-a4b5-203eaf33784f", "Microsoft Hardware Warranty Administrator"),
    role("microsoft_hardware_warranty_specialist", "281fe777-fb20-4fbb-b7a3-ccebce5b0d96", "Microsoft Hardware Warranty Specialist"),
    role("network_administrator", "d37c8bed-0711-4417-ba38-b4abe66ce4c2", "Network Administrator"),
    role("office_apps_administrator", "2b745bdf-0803-4d80-aa65-822c4493daac", "Office Apps Administrator"),
    role("organizational_branding_administrator", "92ed04bf-c94a-4b82-9729-b799a7a4c178", "Organizational Branding Administrator"),
    role("organizational_data_source_administrator", "9d70768a-0cbc-4b4c-aea3-2e124b2477f4", "Organizational Data Source Administrator"),
    role("organizational_messages_approver", "e48398e2-f4bb-4074-8f31-4586725e205b", "Organizational Messages Approver"),
    role("organizational_messages_writer", "507f53e4-4e52-4077-abd3-d2e1558b6ea2", "Organizational Messages Writer"),
    role("partner_tier1_support", "4ba39ca4-527c-499a-b93d-d9b492c50246", "Partner Tier1 Support"),
    role("partner_tier2_support", "e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8", "Partner Tier2 Support"),
    role("password_administrator", "966707d0-3269-4727-9be2-8c3a10f19b9d", "Password Administrator"),
    role("people_administrator", "024906de-61e5-49c8-8572-40335f1e0e10", "People Administrator"),
    role("permissions_management_administrator", "af78dc32-cf4d-46f9-ba4e-4428526346b5", "Permissions Management Administrator"),
    role("places_administrator", "78b0ccd1-afc2-4f92-9116-b41aedd09592", "Places Administrator"),
    role("power_platform_administrator", "11648597-926c-4cf3-9c36-bcebb0ba8dcc", "Power Platform Administrator"),
    role("printer_administrator", "644ef478-e28f-4e28-b9dc-3fdde9aa0b1f", "Printer Administrator"),
    role("printer_technician", "e8cef6f1-e4bd-4ea8-bc07-4b8d950f4477", "Printer Technician"),
    role("privileged_authentication_administrator", "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "Privileged Authentication Administrator"),
    role("privileged_role_administrator", "e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator"),
    role("reports_reader", "4a5d8f65-41da-4de4-8968-e035b65339cf", "Reports Reader"),
    role("search_administrator", "0964bb5e-9bdb-4d7b-ac29-58e794862a40", "Search Administrator"),
    role("search_editor", "8835291a-918c-4fd7-a9ce-faa49f0cf7d9", "Search Editor"),
    role("security_administrator", "194ae4cb-b126-40b2-bd5b-6091b380977d", "Security Administrator"),
    role("security_operator", "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f", "Security Operator"),
    role("security_reader", "5d6b6bb7-de71-4623-b4af-96380a352509", "Security Reader"),
    role("service_support_administrator", "f023fd81-a637-4b56-95fd-791ac0226033", "Service Support Administrator"),
    role("sharepoint_administrator", "f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "SharePoint Administrator"),
    role("sharepoint_advanced_management_administrator", "99009c4a-3b3f-4957-82a9-9d35e12db77e", "SharePoint Advanced Management Administrator"),
    role("sharepoint_backup_administrator", "9d3e04ba-3ee4-4d1b-a3a7-9aef423a09be", "SharePoint Backup Administrator"),
    role("sharepoint_embedded_administrator", "1a7d78b6-429f-476b-b8eb-35fb715fffd4", "SharePoint Embedded Administrator"),
    role("skype_for_business_administrator", "75941009-915a-4869-abe7-691bff18279e", "Skype for Business Administrator"),
    role("teams_administrator", "69091246-20e8-4a56-aa4d-066075b2a7a8", "Teams Administrator"),
    role("teams_communications_administrator", "baf37b3a-610e-45da-9e62-d9d1e5e8914b", "Teams Communications Administrator"),
    role("teams_communications_support_engineer", "f70938a0-fc10-4177-9e90-2178f8765737", "Teams Communications Support Engineer"),
    role("teams_communications_support_specialist", "fcf91098-03e3-41a9-b5ba-6f0ec8188a12", "Teams Communications Support Specialist"),
    role("teams_devices_administrator", "3d762c5a-1b6c-493f-843e-55a3b42923d4", "Teams Devices Administrator"),
    role("teams_reader", "1076ac91-f3d9-41a7-a339-dcdf5f480acc", "Teams Reader"),
    role("teams_telephony_administrator", "aa38014f-0993-46e9-9b45-30501a20909d", "Teams Telephony Administrator"),
    role("tenant_creator", "112ca1a2-15ad-4102-995e-45b0bc479a6a", "Tenant Creator"),
    role("usage_summary_reports_reader", "75934031-6c7e-415a-99d7-48dbd49e875e", "Usage Summary Reports Reader"),
    role("user_administrator", "fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator"),
    role("user_experience_success_manager", "27460883-1df1-4691-b032-3b79643e5e63", "User Experience Success Manager"),
    role("virtual_visits_administrator", "e300d9e7-4a2b-4295-9eff-f1c78b36cc98", "Virtual Visits Administrator"),
    role("viva_glint_tenant_administrator", "0ec3f692-38d6-4d14-9e69-0377ca7797ad", "Viva Glint Tenant Administrator"),
    role("viva_goals_administrator", "92b086b3-e367-4ef2-b869-1de128fb986e", "Viva Goals Administrator"),
    role("viva_pulse_administrator", "87761b17-1ed2-4af3-9acd-92a150038160", "Viva Pulse Administrator"),
    role("windows_365_administrator", "11451d60-acb2-45eb-a7d6-43d0f0125c13", "Windows 365 Administrator"),
    role("windows_update_deployment_administrator", "32696413-001a-46ae-978c-ce0f6b3620d2", "Windows Update Deployment Administrator"),
    role("yammer_administrator", "810a2642-a034-447f-a5e8-41beaa378541", "Yammer Administrator"),
    // Roles that reference lists as deprecated or "not shown in the portal" without a template id.
    // Device Join, Device Managers, Device Users, Workplace Device Join: the role template id
    // table of the older Azure AD roles article (Microsoft's localized copy of
    // directory-assign-admin-roles.md). User, Guest User, Restricted Guest User: the Graph
    // authorizationPolicy `guestUserRoleId` description, which names these three templates.
    // They appear in real policy exports that include "every role", so imports must resolve them.
    // On Premises Directory Sync Account: not in any Microsoft page read; two independent role
    // dumps (Maester's generated table, a tenant `roleDefinitions` listing of 2026-04) agree.
    role("device_join", "9c094953-4995-41c8-84c8-3ebb9b32c93f", "Device Join"),
    role("device_managers", "2b499bcd-da44-4968-8aec-78e1674fa64d", "Device Managers"),
    role("device_users", "d405c6df-0af8-4e3b-95e4-4d06e542189e", "Device Users"),
    role("guest_user", "10dae51f-b6af-4016-8d66-8c2a99b929b3", "Guest User"),
    role("on_premises_directory_sync_account", "a92aed5d-d78a-4d16-b381-09adb37eb3b0", "On Premises Directory Sync Account"),
    role("restricted_guest_user", "2af84b1e-32c8-42b7-82bc-daa82404023b", "Restricted Guest User"),
    role("user", "a0b1b346-4d3e-4e8b-98f8-753987be4970", "User"),
    role("workplace_device_join", "c34f683f-4d5a-4403-affd-6615e00e3a7f", "Workplace Device Join"),
    // Roles published after the 01/2026 snapshot above. entra-docs has an include file for
    // these (…/role-based-access-control/includes/<role>.md), but includes carry no id, and no
    // newer copy of the reference was in the search corpus. Each id below was read from at least
    // two independent third-party copies (a tenant `roleDefinitions` listing of 2026-04,
    // Maester's table generated from the live page, a TypeScript catalog synced with it); Entra
    // Backup and Purview Workload Content also appear in captured diffs of the live page.
    // Entra Backup Administrator is targeted by the j0eyv baseline in the test corpus.
    role("ai_reader", "1fe13547-53f6-408d-ac04-7f8eed167b38", "AI Reader"),
    role("authentication_extensibility_password_administrator", "0b00bede-4072-4d22-b441-e7df02a1ef63", "Authentication Extensibility Password Administrator"),
    role("customer_delegated_admin_relationship_administrator", "fc8ad4e2-40e4-4724-8317-bcda7503ecbf", "Customer Delegated Admin Relationship Administrator"),
    role("entra_backup_administrator", "b6a27b2b-f905-4b2e-81b5-0d90e0ef1fdb", "Entra Backup Administrator"),
    role("entra_backup_reader", "f42252d9-5400-4d7b-b9ef-cc582dbb8577", "Entra Backup Reader"),
    role("purview_workload_content_administrator", "3f04f91a-4ad7-4bd3-bcfa-49882ea1a88a", "Purview Workload Content Administrator"),
    role("purview_workload_content_reader", "e07494ad-1654-4dd2-922e-6f81a71bf00f", "Purview Workload Content Reader"),
    role("purview_workload_content_writer", "02d5655b-c1cf-4e5f-98da-5fb919085bf6", "Purview Workload Content Writer"),
    role("teams_external_collaboration_administrator", "2fe872fb-daa8-4afc-8f6c-53c4565cfef4", "Teams External Collaboration Administrator"),
    role("tenant_governance_administrator", "1981f584-96e9-4a6f-95b0-f522373f8fae", "Tenant Governance Administrator"),
    role("tenant_governance_reader", "e0a4caa6-fe82-443f-b92f-d87341d17b2e", "Tenant Governance Reader"),
    role("tenant_governance_relationship_administrator", "b8e31d83-1534-480f-9b10-0338ded51b7e", "Tenant Governance Relationship Administrator"),
    role("tenant_governance_relationship_reader", "124577f8-48ed-456a-839f-13b419002e33", "Tenant Governance Relationship Reader"),
];

/// Older display names that Graph or the portal used for roles since renamed, so an import that
/// names roles by display name (as some community exports do) still resolves them.
///
/// Sources: "Azure AD roles that aren't shown in the portal" (Microsoft docs, 2020: Company,
/// CRM Service and Lync Service Administrator are the API names of Global, Dynamics 365 and Skype
/// for Business Administrator); the 06/2025 permissions reference still titled `9f06204d` "Azure
/// AD Joined Device Local Administrator".
#[rustfmt::skip]
pub static LEGACY_ROLE_NAMES: &[(&str, &str)] = &[
    ("Company Administrator", "62e90394-69f5-4237-9190-012177145e10"),
    ("CRM Service Administrator", "44367163-eba1-44c3-98af-f5787879f96a"),
    ("Lync Service Administrator", "75941009-915a-4869-abe7-691bff18279e"),
    ("Azure AD Joined Device Local Administrator", "9f06204d-73c1-4d4c-880a-6edb90606fd8"),
];

/// The role with this policy-language name (exact match; names are lowercase snake_case).
pub fn role_by_name(name: &str) -> Option<&'static Role> {
    ROLES.iter().find(|r| r.name == name)
}

/// The role with this template id. Graph returns lowercase GUIDs but hand-written exports do not
/// always, so the comparison ignores ASCII case.
pub fn role_by_id(id: &str) -> Option<&'static Role> {
    ROLES.iter().find(|r| r.id.eq_ignore_ascii_case(id))
}

/// The role with this display name, current or legacy (see [`LEGACY_ROLE_NAMES`]), ignoring
/// ASCII case. For imports of exports that carry names instead of ids.
pub fn role_by_display(display: &str) -> Option<&'static Role> {
    ROLES
        .iter()
        .find(|r| r.display.eq_ignore_ascii_case(display))
        .or_else(|| {
            LEGACY_ROLE_NAMES
                .iter()
                .find(|(legacy, _)| legacy.eq_ignore_ascii_case(display))
                .and_then(|(_, id)| role_by_id(id))
        })
}

/// Every role name, for "did you mean" suggestions.
pub fn role_names() -> impl Iterator<Item = &'static str> {
    ROLES.iter().map(|r| r.name)
}

// ---------------------------------------------------------------------------------------------
// First-party apps
// ---------------------------------------------------------------------------------------------

pub use super::apps::{app_names, FirstPartyApp};

/// Other Microsoft first-party app ids seen in real policy exports, with display names, so
/// imported packs can say in a comment what an id is. Not used for matching.
///
/// Each group names its source, Microsoft's own pages except where a comment says otherwise;
/// ids no source names are left out. The [`FirstPartyApp`] ids are not repeated here (see
/// [`well_known_app_display`]).
#[rustfmt::skip]
pub static WELL_KNOWN_APPS: &[(&str, &str)] = &[
    // "Verify first-party Microsoft applications in sign-in reports" (MicrosoftDocs/
    // SupportArticles-docs, support/azure/active-directory/verify-first-party-apps-sign-in.md).
    ("23523755-3a2b-41ca-9315-f81f3f566a95", "ACOM Azure Website"),
    ("e9f49c6b-5ce5-44c8-925d-015017e9f7ad", "Azure Data Lake"),
    ("835b2a73-6e10-4aa5-a979-21dfda45231c", "Azure Lab Services Portal"),
    ("37182072-3c9c-4f6a-a4b3-b3f91cacffce", "AzureSupportCenter"),
    ("9ea1ad79-fdb6-4f9a-8bc3-2b70f96e34c7", "Bing"),
    ("00000007-0000-0000-c000-000000000000", "Common Data Service"),
    ("bb2a2e3a-c5e7-4f0a-88e0-8e01fd3fc1f4", "CPIM Service"),
    ("e64aa8bc-8eb4-40e2-898b-cf261a25954f", "CRM Power BI Integration"),
    ("60c8bde5-3167-4f92-8fdb-059f6176dc0f", "Enterprise Roaming and Backup"),
    ("a57aca87-cbc0-4f3c-8b9e-dc095fdc8978", "IAM Supportability"),
    ("16aeb910-ce68-41d1-9ac3-9e1673ac9575", "IrisSelectionFrontDoor"),
    ("d73f4b35-55c9-48c7-8b10-651f6f2acb2e", "MCAPI Authorization Prod"),
    ("944f0bd1-117b-4b1c-af26-804ed95e767e", "Media Analysis and Transformation Service"),
    ("0cd196ee-71bf-4fd6-a57c-b491ffd4fb1e", "Media Analysis and Transformation Service"),
    ("ee272b19-4411-433f-8f28-5c13cb6fd407", "Microsoft 365 Support Service"),
    ("0000000c-0000-0000-c000-000000000000", "Microsoft App Access Panel"),
    ("65d91a3d-ab74-42e6-8a2f-0add61688c74", "Microsoft Approval Management"),
    ("38049638-cc2c-4cde-abe4-4479d721ed44", "Microsoft Approval Management"),
    ("29d9ed98-a469-4536-ade2-f981bc1d605e", "Microsoft Authentication Broker"),
    ("04b07795-8ddb-461a-bbee-02f9e1bf7b46", "Microsoft Azure CLI"),
    ("cf36b471-5b44-428c-9ce7-313bf84528de", "Microsoft Bing Search"),
    ("2d7f3606-b07d-41d1-b9d2-0d0c9296a6e8", "Microsoft Bing Search for Microsoft Edge"),
    ("1786c5ed-9644-47b2-8aa0-7201292175b6", "Microsoft Bing Default Search Engine"),
    ("3090ab82-f1c1-4cdf-af2c-5d7a6f3e2cc7", "Microsoft Cloud App Security"),
    ("18fbca16-2224-45f6-85b0-f7bf2b39b3f3", "Microsoft Docs"),
    ("00000015-0000-0000-c000-000000000000", "Microsoft Dynamics ERP"),
    ("6253bca8-faf2-4587-8f2f-b056d80998a7", "Microsoft Edge Insider Addons Prod"),
    ("74bcdadc-2fdc-4bb3-8459-76d06952a0e9", "Microsoft Intune Web Company Portal"),
    ("fc0f3af4-6835-4174-b806-f7db311fd2f3", "Microsoft Intune Windows Agent"),
    ("67e3df25-268a-4324-a550-0de1c7f97287", "Microsoft Office Web Apps Service"),
    ("d176f6e7-38e5-40c9-8a78-3998aab820e7", "Microsoft Online Syndication Partner Portal"),
    ("93625bc8-bfe2-437a-97e0-3d0060024faa", "Microsoft password reset service"),
    ("871c010f-5e61-4fb1-83ac-98610a7e9110", "Microsoft Power BI"),
    ("28b567f6-162c-4f54-99a0-6887f387bbcc", "Microsoft Storefronts"),
    ("98db8bd6-0cc0-4e67-9de5-f187f1cd1b41", "Microsoft Substrate Management"),
    ("fdf9885b-dd37-42bf-82e5-c3129ef5a302", "Microsoft Support"),
    ("00b41c95-dab0-4487-9791-b9d2c32c80f2", "Office 365 Management"),
    ("2abdc806-e091-4495-9b10-b04d93c3f040", "Office Online Client AAD- Augmentation Loop"),
    ("b23dd4db-9142-4734-867f-3577f640ad0c", "Office Online Client AAD- Loki"),
    ("17d5e35f-655b-4fb0-8ae6-86356e9a49f5", "Office Online Client AAD- Maker"),
    ("b6e69c34-5f1f-4c34-8cdf-7fea120b8670", "Office Online Client MSA- Loki"),
    ("a9b49b65-0a12-430b-9540-c80b3332c127", "Office Online Search"),
    ("4d5c2d63-cf83-4365-853c-925fd1a64357", "OfficeShredderWacClient"),
    ("27922004-5251-4030-b22d-91ecd9a37ea4", "Outlook Mobile"),
    ("ffcb16e8-f789-467c-8ce9-f826a080d987", "SharedWithMe"),
    ("b4bddae8-ab25-483e-8670-df09b9f1d0ea", "Signup"),
    ("268761a2-03f3-40df-8a8b-c3db24145b6b", "Universal Store Native Client"),
    ("5572c4c0-d078-44ce-b81c-6cbf8d3ed39e", "Vortex [wsfed enabled]"),
    ("00000002-0000-0000-c000-000000000000", "Windows Azure Active Directory"),
    ("a3b79187-70b2-4139-83f9-6016c58cd27b", "WindowsDefenderATP Portal"),
    ("26a7ee05-5602-4d76-a7ba-eae8b7b67941", "Windows Search"),
    ("1b3c667f-cde3-4090-b60b-3d2abd0117f0", "Windows Spotlight"),
    ("45a330b1-b1ec-4cc1-9161-9f03992aa49f", "Windows Store for Business"),
    ("c1c74fed-04c9-4704-80dc-9f79a2e515cb", "Yammer Web"),
    ("e1ef36fd-b883-4dbf-97f0-9ece4b576fc6", "Yammer Web Embed"),
    // Azure Virtual Desktop MFA article (Microsoft docs, localized copies): the feed provider it
    // says must not be targeted (the app to target is `azure_virtual_desktop`).
    ("50e95039-b200-4007-bc97-8d5790743a63", "Windows Virtual Desktop Azure Resource Manager Provider"),
    // The default client of Microsoft Graph PowerShell and the Microsoft Graph CLI. No Microsoft
    // page in the search corpus states this id; many independent sources agree on it.
    ("14d82eec-204b-4c2f-b7e8-296a70dab67e", "Microsoft Graph Command Line Tools"),
];

/// A display name for an app id, from [`FirstPartyApp`] or [`WELL_KNOWN_APPS`], ignoring ASCII
/// case. `None` for ids this catalog does not know.
pub fn well_known_app_display(id: &str) -> Option<&'static str> {
    FirstPartyApp::from_id(id)
        .map(FirstPartyApp::display)
        .or_else(|| {
            WELL_KNOWN_APPS
                .iter()
                .find(|(app_id, _)| app_id.eq_ignore_ascii_case(id))
                .map(|(_, display)| *display)
        })
}

// ---------------------------------------------------------------------------------------------
// Countries
// ---------------------------------------------------------------------------------------------

/// Every officially assigned ISO 3166-1 alpha-2 code (249), sorted.
///
/// Country named locations (`countriesAndRegions`) take ISO 3166 two-letter codes
/// (entra-semantics.md §3). Reserved codes that are not country codes (`UK`, `EU`) are absent,
/// so a policy naming them is an error rather than a location that never matches. Source: the
/// ISO 3166-1 tables shipped by Debian's iso-codes 4.15 and tzdata 2025b, which agree.
pub static COUNTRIES: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// Whether `code` is an officially assigned ISO 3166-1 alpha-2 code. Exact match: codes are
/// uppercase in Graph, and accepting `fr` here would let a formatter round trip change the text.
pub fn is_country(code: &str) -> bool {
    COUNTRIES.binary_search(&code).is_ok()
}

// ---------------------------------------------------------------------------------------------
// Authentication strengths and methods
// ---------------------------------------------------------------------------------------------
//
// Source for everything below: "Conditional Access authentication strength" (entra-docs
// docs/identity/authentication/concept-authentication-strengths.md, table "Authentication
// method combination"), with ids and combination lists cross-checked against Graph's "List
// authenticationStrengthPolicies" (microsoft-graph-docs-contrib api-reference/v1.0/api/
// authenticationstrengthroot-list-policies.md).

/// Microsoft's built-in authentication strengths. Their ids are fixed GUIDs, the same in every
/// tenant (entra-semantics.md §1.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BuiltInStrength {
    Mfa,
    Passwordless,
    PhishingResistant,
}

impl BuiltInStrength {
    pub const ALL: [BuiltInStrength; 3] = [
        BuiltInStrength::Mfa,
        BuiltInStrength::Passwordless,
        BuiltInStrength::PhishingResistant,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            BuiltInStrength::Mfa => "mfa",
            BuiltInStrength::Passwordless => "passwordless",
            BuiltInStrength::PhishingResistant => "phishing_resistant",
        }
    }

    pub const fn id(self) -> &'static str {
        match self {
            BuiltInStrength::Mfa => "00000000-0000-0000-0000-000000000002",
            BuiltInStrength::Passwordless => "00000000-0000-0000-0000-000000000003",
            BuiltInStrength::PhishingResistant => "00000000-0000-0000-0000-000000000004",
        }
    }

    /// The portal's names. Graph's v1.0 example spells the third "Phishing resistant MFA"; the
    /// portal and the concept article hyphenate it.
    pub const fn display(self) -> &'static str {
        match self {
            BuiltInStrength::Mfa => "Multifactor authentication",
            BuiltInStrength::Passwordless => "Passwordless MFA",
            BuiltInStrength::PhishingResistant => "Phishing-resistant MFA",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.id().eq_ignore_ascii_case(id))
    }

    /// The method combinations that satisfy this strength, as Graph lists them: any one
    /// combination, all of whose modes were performed, is enough.
    pub const fn allowed_combinations(self) -> &'static [&'static [AuthMode]] {
        match self {
            BuiltInStrength::Mfa => super::strength::MFA,
            BuiltInStrength::Passwordless => super::strength::PASSWORDLESS,
            BuiltInStrength::PhishingResistant => super::strength::PHISHING_RESISTANT,
        }
    }

    pub const fn combinations(self) -> Combinations<'static> {
        Combinations::BuiltIn(self.allowed_combinations())
    }
}

impl fmt::Display for BuiltInStrength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Every built-in strength name, for "did you mean" suggestions.
pub fn strength_names() -> impl Iterator<Item = &'static str> {
    BuiltInStrength::ALL.into_iter().map(BuiltInStrength::name)
}

/// The authentication methods a request can report (`auth.methods`), in the terms the
/// authentication strengths article uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AuthMethod {
    Password,
    Sms,
    Voice,
    /// Microsoft Authenticator push notification, a second factor after a password.
    AuthenticatorPush,
    /// Microsoft Authenticator phone sign-in (Graph `deviceBasedPush`), passwordless.
    AuthenticatorPasswordless,
    OathSoftware,
    OathHardware,
    Fido2,
    /// Windows Hello for Business.
    WindowsHello,
    CertificateMultiFactor,
    CertificateSingleFactor,
    TemporaryAccessPass,
    /// Email one-time passcode, used by guests without an Entra account.
    EmailOtp,
    /// MFA performed by a federated identity provider and claimed in the token.
    FederatedMultiFactor,
}

impl AuthMethod {
    pub const ALL: [AuthMethod; 14] = [
        AuthMethod::Password,
        AuthMethod::Sms,
        AuthMethod::Voice,
        AuthMethod::AuthenticatorPush,
        AuthMethod::AuthenticatorPasswordless,
        AuthMethod::OathSoftware,
        AuthMethod::OathHardware,
        AuthMethod::Fido2,
        AuthMethod::WindowsHello,
        AuthMethod::CertificateMultiFactor,
        AuthMethod::CertificateSingleFactor,
        AuthMethod::TemporaryAccessPass,
        AuthMethod::EmailOtp,
        AuthMethod::FederatedMultiFactor,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            AuthMethod::Password => "password",
            AuthMethod::Sms => "sms",
            AuthMethod::Voice => "voice",
            AuthMethod::AuthenticatorPush => "authenticator_push",
            AuthMethod::AuthenticatorPasswordless => "authenticator_passwordless",
            AuthMethod::OathSoftware => "oath_software",
            AuthMethod::OathHardware => "oath_hardware",
            AuthMethod::Fido2 => "fido2",
            AuthMethod::WindowsHello => "windows_hello",
            AuthMethod::CertificateMultiFactor => "certificate_multi_factor",
            AuthMethod::CertificateSingleFactor => "certificate_single_factor",
            AuthMethod::TemporaryAccessPass => "temporary_access_pass",
            AuthMethod::EmailOtp => "email_otp",
            AuthMethod::FederatedMultiFactor => "federated_multi_factor",
        }
    }

    /// The method's name in Microsoft's authentication strengths article.
    pub const fn display(self) -> &'static str {
        match self {
            AuthMethod::Password => "Password",
            AuthMethod::Sms => "SMS",
            AuthMethod::Voice => "Voice call",
            AuthMethod::AuthenticatorPush => "Microsoft Authenticator push notification",
            AuthMethod::AuthenticatorPasswordless => "Microsoft Authenticator (phone sign-in)",
            AuthMethod::OathSoftware => "Software OATH token",
            AuthMethod::OathHardware => "Hardware OATH token",
            AuthMethod::Fido2 => "FIDO2 security key",
            AuthMethod::WindowsHello => "Windows Hello for Business",
            AuthMethod::CertificateMultiFactor => "Certificate-based authentication (multifactor)",
            AuthMethod::CertificateSingleFactor => {
                "Certificate-based authentication (single-factor)"
            }
            AuthMethod::TemporaryAccessPass => "Temporary Access Pass",
            AuthMethod::EmailOtp => "Email one-time passcode",
            AuthMethod::FederatedMultiFactor => "Federated multifactor",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }
}

impl fmt::Display for AuthMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Every authentication method name, for "did you mean" suggestions.
pub fn auth_method_names() -> impl Iterator<Item = &'static str> {
    AuthMethod::ALL.into_iter().map(AuthMethod::name)
}

/// Whether the methods used in a sign-in satisfy a built-in strength: some allowed combination
/// has all of its modes among `methods`. Extra methods never hurt, order doesn't matter.
pub fn satisfies(strength: BuiltInStrength, methods: &[AuthMethod]) -> bool {
    strength
        .combinations()
        .met_by(methods, super::strength::MethodsAt::Anywhere)
        .is_some()
}

/// Whether the methods amount to multifactor authentication. The built-in MFA strength is
/// defined as exactly the combinations that satisfy "Require multifactor authentication", and
/// the two controls can't be combined for that reason (concept article, "Limitations").
pub fn is_multi_factor(methods: &[AuthMethod]) -> bool {
    satisfies(BuiltInStrength::Mfa, methods)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Lowercase 8-4-4-4-12 hex, the form Graph returns and the exporter writes.
    fn is_lowercase_guid(s: &str) -> bool {
        let groups: Vec<&str> = s.split('-').collect();
        groups.len() == 5
            && groups
                .iter()
                .zip([8, 4, 4, 4, 12])
                .all(|(g, len)| g.len() == len)
            && groups
                .iter()
                .all(|g| g.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')))
    }

    fn is_snake_case(s: &str) -> bool {
        !s.is_empty()
            && !s.starts_with('_')
            && !s.ends_with('_')
            && !s.contains("__")
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    }

    /// How a display name becomes a policy-language name.
    fn snake_of(display: &str) -> String {
        let mut out = String::new();
        for c in display.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('_') {
                out.push('_');
            }
        }
        out.trim_matches('_').to_string()
    }

    #[test]
    fn guid_shape_check_rejects_near_misses() {
        assert!(is_lowercase_guid("62e90394-69f5-4237-9190-012177145e10"));
        assert!(!is_lowercase_guid("62E90394-69F5-4237-9190-012177145E10"));
        assert!(!is_lowercase_guid("62e90394-69f5-4237-9190-012177145e1"));
        assert!(!is_lowercase_guid("62e90394-69f5-4237-9190012177145e10"));
        assert!(!is_lowercase_guid("g2e90394-69f5-4237-9190-012177145e10"));
    }

    #[test]
    fn role_ids_are_unique_lowercase_guids() {
        let mut seen = HashSet::new();
        for r in ROLES {
            assert!(is_lowercase_guid(r.id), "{} has id {}", r.name, r.id);
            assert!(seen.insert(r.id), "duplicate id {}", r.id);
        }
    }

    #[test]
    fn role_names_are_unique_snake_case_of_the_display_name() {
        let mut names = HashSet::new();
        let mut displays = HashSet::new();
        for r in ROLES {
            assert!(is_snake_case(r.name), "{}", r.name);
            assert_eq!(r.name, snake_of(r.display), "{}", r.display);
            assert!(names.insert(r.name), "duplicate name {}", r.name);
            assert!(
                displays.insert(r.display),
                "duplicate display {}",
                r.display
            );
        }
    }

    #[test]
    fn roles_cover_the_reference_and_round_trip() {
        // 123 in the 01/2026 reference, 8 hidden or deprecated, 13 published since.
        assert_eq!(ROLES.len(), 144);
        for r in ROLES {
            assert_eq!(role_by_name(r.name), Some(r));
            assert_eq!(role_by_id(r.id), Some(r));
            assert_eq!(role_by_id(&r.id.to_uppercase()), Some(r));
            assert_eq!(role_by_display(r.display), Some(r));
        }
        assert_eq!(role_names().count(), ROLES.len());
    }

    #[test]
    fn well_known_roles_have_their_documented_ids() {
        let cases = [
            (
                "global_administrator",
                "62e90394-69f5-4237-9190-012177145e10",
            ),
            ("guest_inviter", "95e79109-95c0-4d8e-aee3-d01accf2d47b"),
            (
                "security_administrator",
                "194ae4cb-b126-40b2-bd5b-6091b380977d",
            ),
            (
                "conditional_access_administrator",
                "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
            ),
            ("user_administrator", "fe930be7-5e62-47db-91af-98c3a49a38b1"),
            (
                "billing_administrator",
                "b0f54661-2d74-4c50-afa3-1ec803f12efe",
            ),
            ("guest_user", "10dae51f-b6af-4016-8d66-8c2a99b929b3"),
            (
                "entra_backup_administrator",
                "b6a27b2b-f905-4b2e-81b5-0d90e0ef1fdb",
            ),
        ];
        for (name, id) in cases {
            assert_eq!(role_by_name(name).map(|r| r.id), Some(id), "{name}");
        }
    }

    #[test]
    fn role_lookups_reject_unknowns() {
        assert_eq!(role_by_name("Global Administrator"), None);
        assert_eq!(role_by_name("global_admin"), None);
        assert_eq!(role_by_id("00000000-0000-0000-0000-000000000000"), None);
        assert_eq!(role_by_id(""), None);
        assert_eq!(role_by_display("Global Admin"), None);
    }

    #[test]
    fn legacy_role_names_resolve_to_current_roles() {
        for (legacy, id) in LEGACY_ROLE_NAMES {
            let role = role_by_id(id);
            assert!(role.is_some(), "{legacy} points at unknown id {id}");
            assert_eq!(role_by_display(legacy), role);
        }
        assert_eq!(
            role_by_display("company administrator").map(|r| r.name),
            Some("global_administrator")
        );
    }

    #[test]
    fn first_party_apps_round_trip() {
        let mut names = HashSet::new();
        let mut ids = HashSet::new();
        for app in FirstPartyApp::ALL {
            assert!(is_snake_case(app.name()), "{}", app.name());
            assert!(is_lowercase_guid(app.app_id()), "{}", app.app_id());
            assert!(names.insert(app.name()));
            assert!(ids.insert(app.app_id()));
            assert_eq!(FirstPartyApp::from_name(app.name()), Some(app));
            assert_eq!(FirstPartyApp::from_id(app.app_id()), Some(app));
            assert_eq!(
                FirstPartyApp::from_id(&app.app_id().to_uppercase()),
                Some(app)
            );
            assert_eq!(app.to_string(), app.name());
        }
        assert_eq!(app_names().count(), FirstPartyApp::ALL.len());
        assert_eq!(FirstPartyApp::from_name("Exchange"), None);
        assert_eq!(FirstPartyApp::from_name("office365"), None);
        assert_eq!(
            FirstPartyApp::from_id("00000002-0000-0000-c000-000000000000"),
            None
        );
    }

    #[test]
    fn first_party_app_ids_are_the_documented_ones() {
        assert_eq!(
            FirstPartyApp::from_id("00000002-0000-0ff1-ce00-000000000000"),
            Some(FirstPartyApp::Exchange)
        );
        assert_eq!(
            FirstPartyApp::from_id("00000003-0000-0ff1-ce00-000000000000"),
            Some(FirstPartyApp::SharePoint)
        );
        // SharePoint and Graph differ only in the last two groups; a mix-up would be silent.
        assert_eq!(
            FirstPartyApp::from_id("00000003-0000-0000-c000-000000000000"),
            Some(FirstPartyApp::Graph)
        );
        assert_eq!(
            FirstPartyApp::from_id("797f4846-ba00-4fd7-ba43-dac1f8f63013"),
            Some(FirstPartyApp::AzureManagement)
        );
    }

    #[test]
    fn office365_grouping_membership() {
        let in_suite: Vec<&str> = FirstPartyApp::ALL
            .into_iter()
            .filter(|a| a.in_office365())
            .map(FirstPartyApp::name)
            .collect();
        // Every app of the suite list with a documented id, and nothing else.
        assert_eq!(in_suite.len(), 25, "{in_suite:?}");
        for name in [
            "exchange",
            "sharepoint",
            "teams",
            "viva_engage",
            "onenote",
            "forms",
        ] {
            assert!(in_suite.contains(&name), "{name}");
        }
        for name in [
            "power_bi",
            "azure_management",
            "graph",
            "intune",
            "azure_portal",
        ] {
            assert!(!in_suite.contains(&name), "{name}");
        }
        let portals: Vec<&str> = FirstPartyApp::ALL
            .into_iter()
            .filter(|a| a.in_admin_portals())
            .map(FirstPartyApp::name)
            .collect();
        assert_eq!(portals, ["azure_portal", "defender_intune_purview_portals"]);
    }

    #[test]
    fn well_known_apps_are_unique_verified_guids_not_repeating_first_party_apps() {
        let mut seen = HashSet::new();
        for (id, display) in WELL_KNOWN_APPS {
            assert!(is_lowercase_guid(id), "{id}");
            assert!(!display.is_empty());
            assert!(seen.insert(*id), "duplicate id {id}");
            assert_eq!(FirstPartyApp::from_id(id), None, "{id} is a FirstPartyApp");
        }
        assert_eq!(
            well_known_app_display("0000000A-0000-0000-C000-000000000000"),
            Some("Microsoft Intune")
        );
        assert_eq!(
            well_known_app_display("d4ebce55-015a-49b5-a083-c84d1797ae8c"),
            Some("Microsoft Intune Enrollment")
        );
        assert_eq!(
            well_known_app_display("cc15fd57-2c6c-4117-a88c-83b1d56b4bbe"),
            Some("Microsoft Teams Services")
        );
        assert_eq!(
            well_known_app_display("ffffffff-ffff-ffff-ffff-ffffffffffff"),
            None
        );
    }

    #[test]
    fn countries_are_the_249_assigned_codes_sorted() {
        assert_eq!(COUNTRIES.len(), 249);
        assert!(
            COUNTRIES.windows(2).all(|w| w[0] < w[1]),
            "sorted and unique"
        );
        assert!(COUNTRIES
            .iter()
            .all(|c| c.len() == 2 && c.chars().all(|ch| ch.is_ascii_uppercase())));
        for code in ["FR", "KP", "IR", "SY", "US", "AD", "ZW", "AQ", "SS", "XK"] {
            // XK (Kosovo) is user-assigned, not officially assigned.
            assert_eq!(is_country(code), code != "XK", "{code}");
        }
        for code in ["UK", "EU", "fr", "us", "", "USA", "F", "ZZ"] {
            assert!(!is_country(code), "{code}");
        }
    }

    #[test]
    fn strengths_round_trip() {
        let mut ids = HashSet::new();
        for s in BuiltInStrength::ALL {
            assert!(is_snake_case(s.name()));
            assert!(is_lowercase_guid(s.id()));
            assert!(ids.insert(s.id()));
            assert_eq!(BuiltInStrength::from_name(s.name()), Some(s));
            assert_eq!(BuiltInStrength::from_id(s.id()), Some(s));
            assert_eq!(s.to_string(), s.name());
        }
        assert_eq!(
            BuiltInStrength::from_id("00000000-0000-0000-0000-000000000004"),
            Some(BuiltInStrength::PhishingResistant)
        );
        assert_eq!(
            BuiltInStrength::from_id("00000000-0000-0000-0000-000000000001"),
            None
        );
        assert_eq!(BuiltInStrength::from_name("MFA"), None);
        assert_eq!(BuiltInStrength::Mfa.display(), "Multifactor authentication");
        assert_eq!(strength_names().count(), 3);
    }

    #[test]
    fn auth_methods_round_trip() {
        let mut names = HashSet::new();
        for m in AuthMethod::ALL {
            assert!(is_snake_case(m.name()), "{}", m.name());
            assert!(names.insert(m.name()));
            assert_eq!(AuthMethod::from_name(m.name()), Some(m));
            assert_eq!(m.to_string(), m.name());
        }
        // ALL must list every variant: this match stops compiling when one is added.
        for m in AuthMethod::ALL {
            match m {
                AuthMethod::Password
                | AuthMethod::Sms
                | AuthMethod::Voice
                | AuthMethod::AuthenticatorPush
                | AuthMethod::AuthenticatorPasswordless
                | AuthMethod::OathSoftware
                | AuthMethod::OathHardware
                | AuthMethod::Fido2
                | AuthMethod::WindowsHello
                | AuthMethod::CertificateMultiFactor
                | AuthMethod::CertificateSingleFactor
                | AuthMethod::TemporaryAccessPass
                | AuthMethod::EmailOtp
                | AuthMethod::FederatedMultiFactor => {}
            }
        }
        assert_eq!(names.len(), 14);
        assert_eq!(auth_method_names().count(), 14);
        assert_eq!(AuthMethod::from_name("fido"), None);
    }

    /// (methods, satisfies MFA, passwordless, phishing-resistant)
    const STRENGTH_CASES: &[(&[AuthMethod], bool, bool, bool)] = {
        use AuthMethod::*;
        &[
            (&[Fido2], true, true, true),
            (&[WindowsHello], true, true, true),
            (&[CertificateMultiFactor], true, true, true),
            (&[AuthenticatorPasswordless], true, true, false),
            (&[TemporaryAccessPass], true, false, false),
            (&[Password, Sms], true, false, false),
            (&[Sms, Password], true, false, false),
            (&[Password, Voice], true, false, false),
            (&[Password, AuthenticatorPush], true, false, false),
            (&[Password, OathSoftware], true, false, false),
            (&[Password, OathHardware], true, false, false),
            (&[FederatedMultiFactor], true, false, false),
            // Extra methods never take a satisfied strength away.
            (&[Password, WindowsHello], true, true, true),
            (&[Password, Sms, Fido2], true, true, true),
            // Single factors and non-combinations satisfy nothing.
            (&[], false, false, false),
            (&[Password], false, false, false),
            (&[Sms], false, false, false),
            (&[AuthenticatorPush], false, false, false),
            (&[OathHardware], false, false, false),
            (&[EmailOtp], false, false, false),
            (&[Password, EmailOtp], false, false, false),
            (&[Sms, Voice], false, false, false),
            (&[CertificateSingleFactor], false, false, false),
            (&[Password, CertificateSingleFactor], false, false, false),
        ]
    };

    #[test]
    fn strength_satisfaction_follows_the_documented_table() {
        for (methods, mfa, passwordless, phishing_resistant) in STRENGTH_CASES {
            assert_eq!(
                satisfies(BuiltInStrength::Mfa, methods),
                *mfa,
                "{methods:?}"
            );
            assert_eq!(is_multi_factor(methods), *mfa, "{methods:?}");
            assert_eq!(
                satisfies(BuiltInStrength::Passwordless, methods),
                *passwordless,
                "{methods:?}"
            );
            assert_eq!(
                satisfies(BuiltInStrength::PhishingResistant, methods),
                *phishing_resistant,
                "{methods:?}"
            );
        }
    }

    /// Over every subset of methods: stronger strengths imply weaker ones, and adding a method
    /// never turns a satisfied strength into an unsatisfied one.
    #[test]
    fn strengths_nest_and_are_monotone_over_all_method_sets() {
        let all = AuthMethod::ALL;
        for mask in 0u32..(1 << all.len()) {
            let set: Vec<AuthMethod> = (0..all.len())
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| all[i])
                .collect();
            let pr = satisfies(BuiltInStrength::PhishingResistant, &set);
            let pl = satisfies(BuiltInStrength::Passwordless, &set);
            let mfa = satisfies(BuiltInStrength::Mfa, &set);
            assert!(!pr || pl, "{set:?}");
            assert!(!pl || mfa, "{set:?}");
            for extra in all {
                let mut bigger = set.clone();
                bigger.push(extra);
                for s in BuiltInStrength::ALL {
                    assert!(!satisfies(s, &set) || satisfies(s, &bigger), "{s} {set:?}");
                }
            }
        }
    }
}

/// These serialize as their policy-language names, so the model's JSON reads like the language.
macro_rules! serialize_as_name {
    ($($t:ty),*) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.name())
            }
        }
    )*};
}
serialize_as_name!(FirstPartyApp, BuiltInStrength, AuthMethod);

//! TEMPORARY stub: replaced by the full catalog (roles, apps, countries, strengths).
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FirstPartyApp {
    Exchange,
    SharePoint,
    Teams,
    PowerBi,
    VivaEngage,
    AzureManagement,
    Graph,
}

impl FirstPartyApp {
    pub const ALL: [FirstPartyApp; 7] = [
        FirstPartyApp::Exchange,
        FirstPartyApp::SharePoint,
        FirstPartyApp::Teams,
        FirstPartyApp::PowerBi,
        FirstPartyApp::VivaEngage,
        FirstPartyApp::AzureManagement,
        FirstPartyApp::Graph,
    ];
    pub fn name(self) -> &'static str {
        match self {
            FirstPartyApp::Exchange => "exchange",
            FirstPartyApp::SharePoint => "sharepoint",
            FirstPartyApp::Teams => "teams",
            FirstPartyApp::PowerBi => "power_bi",
            FirstPartyApp::VivaEngage => "viva_engage",
            FirstPartyApp::AzureManagement => "azure_management",
            FirstPartyApp::Graph => "graph",
        }
    }
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The application (client) id of the app's resource service principal.
    pub fn app_id(self) -> &'static str {
        match self {
            FirstPartyApp::Exchange => "00000002-0000-0ff1-ce00-000000000000",
            FirstPartyApp::SharePoint => "00000003-0000-0ff1-ce00-000000000000",
            FirstPartyApp::Teams => "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe",
            FirstPartyApp::PowerBi => "00000009-0000-0000-c000-000000000000",
            FirstPartyApp::VivaEngage => "00000005-0000-0ff1-ce00-000000000000",
            FirstPartyApp::AzureManagement => "797f4846-ba00-4fd7-ba43-dac1f8f63013",
            FirstPartyApp::Graph => "00000003-0000-0000-c000-000000000000",
        }
    }

    /// The app with this application id (case-insensitive).
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|a| a.app_id().eq_ignore_ascii_case(id))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
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
    pub fn name(self) -> &'static str {
        match self {
            BuiltInStrength::Mfa => "mfa",
            BuiltInStrength::Passwordless => "passwordless",
            BuiltInStrength::PhishingResistant => "phishing_resistant",
        }
    }
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The id of the built-in `authenticationStrengthPolicy` (§1.13 of the reference).
    pub fn id(self) -> &'static str {
        match self {
            BuiltInStrength::Mfa => "00000000-0000-0000-0000-000000000002",
            BuiltInStrength::Passwordless => "00000000-0000-0000-0000-000000000003",
            BuiltInStrength::PhishingResistant => "00000000-0000-0000-0000-000000000004",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.id().eq_ignore_ascii_case(id))
    }
}

pub fn is_country(code: &str) -> bool {
    code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase())
}

pub struct Role {
    pub name: &'static str,
    pub id: &'static str,
    pub display: &'static str,
}

/// Built-in directory roles, by template id. Source: Microsoft Entra built-in roles reference
/// (`MicrosoftDocs/entra-docs`, `permissions-reference.md`, "All roles" table). A subset, until the
/// full catalog lands.
pub static ROLES: &[Role] = &[
    Role {
        name: "application_administrator",
        id: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
        display: "Application Administrator",
    },
    Role {
        name: "application_developer",
        id: "cf1c38e5-3621-4004-a7cb-879624dced7c",
        display: "Application Developer",
    },
    Role {
        name: "attack_payload_author",
        id: "9c6df0f2-1e7c-4dc3-b195-66dfbd24aa8f",
        display: "Attack Payload Author",
    },
    Role {
        name: "attack_simulation_administrator",
        id: "c430b396-e693-46cc-96f3-db01bf8bb62a",
        display: "Attack Simulation Administrator",
    },
    Role {
        name: "attribute_assignment_administrator",
        id: "58a13ea3-c632-46ae-9ee0-9c0d43cd7f3d",
        display: "Attribute Assignment Administrator",
    },
    Role {
        name: "attribute_assignment_reader",
        id: "ffd52fa5-98dc-465c-991d-fc073eb59f8f",
        display: "Attribute Assignment Reader",
    },
    Role {
        name: "attribute_definition_administrator",
        id: "8424c6f0-a189-499e-bbd0-26c1753c96d4",
        display: "Attribute Definition Administrator",
    },
    Role {
        name: "attribute_definition_reader",
        id: "1d336d2c-4ae8-42ef-9711-b3604ce3fc2c",
        display: "Attribute Definition Reader",
    },
    Role {
        name: "authentication_administrator",
        id: "c4e39bd9-1100-46d3-8c65-fb160da0071f",
        display: "Authentication Administrator",
    },
    Role {
        name: "authentication_extensibility_administrator",
        id: "25a516ed-2fa0-40ea-a2d0-12923a21473a",
        display: "Authentication Extensibility Administrator",
    },
    Role {
        name: "authentication_policy_administrator",
        id: "0526716b-113d-4c15-b2c8-68e3c22b9f80",
        display: "Authentication Policy Administrator",
    },
    Role {
        name: "azure_devops_administrator",
        id: "e3973bdf-4987-49ae-837a-ba8e231c7286",
        display: "Azure DevOps Administrator",
    },
    Role {
        name: "azure_information_protection_administrator",
        id: "7495fdc4-34c4-4d15-a289-98788ce399fd",
        display: "Azure Information Protection Administrator",
    },
    Role {
        name: "b2c_ief_keyset_administrator",
        id: "aaf43236-0c0d-4d5f-883a-6955382ac081",
        display: "B2C IEF Keyset Administrator",
    },
    Role {
        name: "b2c_ief_policy_administrator",
        id: "3edaf663-341e-4475-9f94-5c398ef6c070",
        display: "B2C IEF Policy Administrator",
    },
    Role {
        name: "billing_administrator",
        id: "b0f54661-2d74-4c50-afa3-1ec803f12efe",
        display: "Billing Administrator",
    },
    Role {
        name: "cloud_app_security_administrator",
        id: "892c5842-a9a6-463a-8041-72aa08ca3cf6",
        display: "Cloud App Security Administrator",
    },
    Role {
        name: "cloud_application_administrator",
        id: "158c047a-c907-4556-b7ef-446551a6b5f7",
        display: "Cloud Application Administrator",
    },
    Role {
        name: "cloud_device_administrator",
        id: "7698a772-787b-4ac8-901f-60d6b08affd2",
        display: "Cloud Device Administrator",
    },
    Role {
        name: "compliance_administrator",
        id: "17315797-102d-40b4-93e0-432062caca18",
        display: "Compliance Administrator",
    },
    Role {
        name: "compliance_data_administrator",
        id: "e6d1a23a-da11-4be4-9570-befc86d067a7",
        display: "Compliance Data Administrator",
    },
    Role {
        name: "conditional_access_administrator",
        id: "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
        display: "Conditional Access Administrator",
    },
    Role {
        name: "customer_lockbox_access_approver",
        id: "5c4f9dcd-47dc-4cf7-8c9a-9e4207cbfc91",
        display: "Customer LockBox Access Approver",
    },
    Role {
        name: "desktop_analytics_administrator",
        id: "38a96431-2bdf-4b4c-8b6e-5d3d8abac1a4",
        display: "Desktop Analytics Administrator",
    },
    Role {
        name: "directory_readers",
        id: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
        display: "Directory Readers",
    },
    Role {
        name: "directory_synchronization_accounts",
        id: "d29b2b05-8046-44ba-8758-1e26182fcf32",
        display: "Directory Synchronization Accounts",
    },
    Role {
        name: "directory_writers",
        id: "9360feb5-f418-4baa-8175-e2a00bac4301",
        display: "Directory Writers",
    },
    Role {
        name: "domain_name_administrator",
        id: "8329153b-31d0-4727-b945-745eb3bc5f31",
        display: "Domain Name Administrator",
    },
    Role {
        name: "dynamics_365_administrator",
        id: "44367163-eba1-44c3-98af-f5787879f96a",
        display: "Dynamics 365 Administrator",
    },
    Role {
        name: "edge_administrator",
        id: "3f1acade-1e04-4fbc-9b69-f0302cd84aef",
        display: "Edge Administrator",
    },
    Role {
        name: "exchange_administrator",
        id: "29232cdf-9323-42fd-ade2-1d097af3e4de",
        display: "Exchange Administrator",
    },
    Role {
        name: "exchange_recipient_administrator",
        id: "31392ffb-586c-42d1-9346-e59415a2cc4e",
        display: "Exchange Recipient Administrator",
    },
    Role {
        name: "external_id_user_flow_administrator",
        id: "6e591065-9bad-43ed-90f3-e9424366d2f0",
        display: "External ID User Flow Administrator",
    },
    Role {
        name: "external_id_user_flow_attribute_administrator",
        id: "0f971eea-41eb-4569-a71e-57bb8a3eff1e",
        display: "External ID User Flow Attribute Administrator",
    },
    Role {
        name: "external_identity_provider_administrator",
        id: "be2f45a1-457d-42af-a067-6ec1fa63bc45",
        display: "External Identity Provider Administrator",
    },
    Role {
        name: "fabric_administrator",
        id: "a9ea8996-122f-4c74-9520-8edcd192826c",
        display: "Fabric Administrator",
    },
    Role {
        name: "global_administrator",
        id: "62e90394-69f5-4237-9190-012177145e10",
        display: "Global Administrator",
    },
    Role {
        name: "global_reader",
        id: "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
        display: "Global Reader",
    },
    Role {
        name: "global_secure_access_administrator",
        id: "ac434307-12b9-4fa1-a708-88bf58caabc1",
        display: "Global Secure Access Administrator",
    },
    Role {
        name: "groups_administrator",
        id: "fdd7a751-b60b-444a-984c-02652fe8fa1c",
        display: "Groups Administrator",
    },
    Role {
        name: "guest_inviter",
        id: "95e79109-95c0-4d8e-aee3-d01accf2d47b",
        display: "Guest Inviter",
    },
    Role {
        name: "helpdesk_administrator",
        id: "729827e3-9c14-49f7-bb1b-9608f156bbb8",
        display: "Helpdesk Administrator",
    },
    Role {
        name: "hybrid_identity_administrator",
        id: "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2",
        display: "Hybrid Identity Administrator",
    },
    Role {
        name: "identity_governance_administrator",
        id: "45d8d3c5-c802-45c6-b32a-1d70b5e1e86e",
        display: "Identity Governance Administrator",
    },
    Role {
        name: "insights_administrator",
        id: "eb1f4a8d-243a-41f0-9fbd-c7cdf6c5ef7c",
        display: "Insights Administrator",
    },
    Role {
        name: "insights_business_leader",
        id: "31e939ad-9672-4796-9c2e-873181342d2d",
        display: "Insights Business Leader",
    },
    Role {
        name: "intune_administrator",
        id: "3a2c62db-5318-420d-8d74-23affee5d9d5",
        display: "Intune Administrator",
    },
    Role {
        name: "kaizala_administrator",
        id: "74ef975b-6605-40af-a5d2-b9539d836353",
        display: "Kaizala Administrator",
    },
    Role {
        name: "knowledge_administrator",
        id: "b5a8dcf3-09d5-43a9-a639-8e29ef291470",
        display: "Knowledge Administrator",
    },
    Role {
        name: "knowledge_manager",
        id: "744ec460-397e-42ad-a462-8b3f9747a02c",
        display: "Knowledge Manager",
    },
    Role {
        name: "license_administrator",
        id: "4d6ac14f-3453-41d0-bef9-a3e0c569773a",
        display: "License Administrator",
    },
    Role {
        name: "lifecycle_workflows_administrator",
        id: "59d46f88-662b-457b-bceb-5c3809e5908f",
        display: "Lifecycle Workflows Administrator",
    },
    Role {
        name: "message_center_privacy_reader",
        id: "ac16e43d-7b2d-40e0-ac05-243ff356ab5b",
        display: "Message Center Privacy Reader",
    },
    Role {
        name: "message_center_reader",
        id: "790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b",
        display: "Message Center Reader",
    },
    Role {
        name: "microsoft_entra_joined_device_local_administrator",
        id: "9f06204d-73c1-4d4c-880a-6edb90606fd8",
        display: "Microsoft Entra Joined Device Local Administrator",
    },
    Role {
        name: "network_administrator",
        id: "d37c8bed-0711-4417-ba38-b4abe66ce4c2",
        display: "Network Administrator",
    },
    Role {
        name: "office_apps_administrator",
        id: "2b745bdf-0803-4d80-aa65-822c4493daac",
        display: "Office Apps Administrator",
    },
    Role {
        name: "partner_tier1_support",
        id: "4ba39ca4-527c-499a-b93d-d9b492c50246",
        display: "Partner Tier1 Support",
    },
    Role {
        name: "partner_tier2_support",
        id: "e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8",
        display: "Partner Tier2 Support",
    },
    Role {
        name: "password_administrator",
        id: "966707d0-3269-4727-9be2-8c3a10f19b9d",
        display: "Password Administrator",
    },
    Role {
        name: "permissions_management_administrator",
        id: "af78dc32-cf4d-46f9-ba4e-4428526346b5",
        display: "Permissions Management Administrator",
    },
    Role {
        name: "power_platform_administrator",
        id: "11648597-926c-4cf3-9c36-bcebb0ba8dcc",
        display: "Power Platform Administrator",
    },
    Role {
        name: "printer_administrator",
        id: "644ef478-e28f-4e28-b9dc-3fdde9aa0b1f",
        display: "Printer Administrator",
    },
    Role {
        name: "printer_technician",
        id: "e8cef6f1-e4bd-4ea8-bc07-4b8d950f4477",
        display: "Printer Technician",
    },
    Role {
        name: "privileged_authentication_administrator",
        id: "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
        display: "Privileged Authentication Administrator",
    },
    Role {
        name: "privileged_role_administrator",
        id: "e8611ab8-c189-46e8-94e1-60213ab1f814",
        display: "Privileged Role Administrator",
    },
    Role {
        name: "reports_reader",
        id: "4a5d8f65-41da-4de4-8968-e035b65339cf",
        display: "Reports Reader",
    },
    Role {
        name: "search_administrator",
        id: "0964bb5e-9bdb-4d7b-ac29-58e794862a40",
        display: "Search Administrator",
    },
    Role {
        name: "search_editor",
        id: "8835291a-918c-4fd7-a9ce-faa49f0cf7d9",
        display: "Search Editor",
    },
    Role {
        name: "security_administrator",
        id: "194ae4cb-b126-40b2-bd5b-6091b380977d",
        display: "Security Administrator",
    },
    Role {
        name: "security_operator",
        id: "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f",
        display: "Security Operator",
    },
    Role {
        name: "security_reader",
        id: "5d6b6bb7-de71-4623-b4af-96380a352509",
        display: "Security Reader",
    },
    Role {
        name: "service_support_administrator",
        id: "f023fd81-a637-4b56-95fd-791ac0226033",
        display: "Service Support Administrator",
    },
    Role {
        name: "sharepoint_administrator",
        id: "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
        display: "SharePoint Administrator",
    },
    Role {
        name: "skype_for_business_administrator",
        id: "75941009-915a-4869-abe7-691bff18279e",
        display: "Skype for Business Administrator",
    },
    Role {
        name: "teams_administrator",
        id: "69091246-20e8-4a56-aa4d-066075b2a7a8",
        display: "Teams Administrator",
    },
    Role {
        name: "teams_communications_administrator",
        id: "baf37b3a-610e-45da-9e62-d9d1e5e8914b",
        display: "Teams Communications Administrator",
    },
    Role {
        name: "teams_communications_support_engineer",
        id: "f70938a0-fc10-4177-9e90-2178f8765737",
        display: "Teams Communications Support Engineer",
    },
    Role {
        name: "teams_communications_support_specialist",
        id: "fcf91098-03e3-41a9-b5ba-6f0ec8188a12",
        display: "Teams Communications Support Specialist",
    },
    Role {
        name: "teams_devices_administrator",
        id: "3d762c5a-1b6c-493f-843e-55a3b42923d4",
        display: "Teams Devices Administrator",
    },
    Role {
        name: "tenant_creator",
        id: "112ca1a2-15ad-4102-995e-45b0bc479a6a",
        display: "Tenant Creator",
    },
    Role {
        name: "usage_summary_reports_reader",
        id: "75934031-6c7e-415a-99d7-48dbd49e875e",
        display: "Usage Summary Reports Reader",
    },
    Role {
        name: "user_administrator",
        id: "fe930be7-5e62-47db-91af-98c3a49a38b1",
        display: "User Administrator",
    },
    Role {
        name: "virtual_visits_administrator",
        id: "e300d9e7-4a2b-4295-9eff-f1c78b36cc98",
        display: "Virtual Visits Administrator",
    },
    Role {
        name: "windows_365_administrator",
        id: "11451d60-acb2-45eb-a7d6-43d0f0125c13",
        display: "Windows 365 Administrator",
    },
    Role {
        name: "windows_update_deployment_administrator",
        id: "32696413-001a-46ae-978c-ce0f6b3620d2",
        display: "Windows Update Deployment Administrator",
    },
    Role {
        name: "yammer_administrator",
        id: "810a2642-a034-447f-a5e8-41beaa378541",
        display: "Yammer Administrator",
    },
];

pub fn role_by_name(name: &str) -> Option<&'static Role> {
    ROLES.iter().find(|r| r.name == name)
}

/// The role with this template id (case-insensitive).
pub fn role_by_id(id: &str) -> Option<&'static Role> {
    ROLES.iter().find(|r| r.id.eq_ignore_ascii_case(id))
}

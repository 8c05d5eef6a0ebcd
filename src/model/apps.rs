//! The Microsoft first-party apps the policy language names, and the platform's own groupings
//! of them: `office365` ("Office 365") and `admin_portals` ("Microsoft Admin Portals").
//!
//! Sources, per entry below:
//! - ids and display names: "Verify first-party Microsoft applications in sign-in reports"
//!   (Microsoft Learn, https://learn.microsoft.com/troubleshoot/entra/entra-id/governance/verify-first-party-apps-sign-in;
//!   MicrosoftDocs/SupportArticles-docs, support/azure/active-directory/verify-first-party-apps-sign-in.md),
//!   except where an entry names another page;
//! - the Office 365 suite: "Apps included in Conditional Access Office 365 app suite"
//!   (https://learn.microsoft.com/entra/identity/conditional-access/reference-office-365-application-contents).
//!   It lists display names, not ids: an app is in the suite here when its display name is on
//!   that list;
//! - Microsoft Admin Portals: "Conditional Access: Target resources", section "Microsoft Admin
//!   Portals" (https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps#microsoft-admin-portals),
//!   with the portals' app ids from "Cross-tenant access settings for B2B collaboration"
//!   (entra-docs docs/external-id/cross-tenant-access-settings-b2b-collaboration).

use std::fmt;

/// The platform grouping an app belongs to, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppGroup {
    None,
    /// Covered by a policy that targets `Office365`.
    Office365,
    /// Covered by a policy that targets `MicrosoftAdminPortals`.
    AdminPortals,
}

/// What the catalog knows of one app: the language's name, the app id Conditional Access stores
/// in `includeApplications`, the display name, and its grouping.
pub struct AppInfo {
    pub name: &'static str,
    pub id: &'static str,
    pub display: &'static str,
    pub group: AppGroup,
}

const fn app(
    name: &'static str,
    id: &'static str,
    display: &'static str,
    group: AppGroup,
) -> AppInfo {
    AppInfo {
        name,
        id,
        display,
        group,
    }
}

use AppGroup::{AdminPortals as PORTALS, None as NONE, Office365 as O365};

/// The Microsoft first-party apps the policy language names directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FirstPartyApp {
    Exchange,
    SharePoint,
    Teams,
    PowerBi,
    VivaEngage,
    AzureManagement,
    Graph,
    ExchangeOnlineProtection,
    Forms,
    Office,
    Office365Portal,
    StreamPortal,
    TeamsClient,
    TeamsWebClient,
    Whiteboard,
    SuiteUx,
    Office365Search,
    Delve,
    OfficeAddinSso,
    OfficeCoreSso,
    OfficeCom,
    ShellWcss,
    OfficeClientService,
    OneDriveSyncEngine,
    OneNote,
    SharePointExtensibility,
    SkypeForBusiness,
    Sway,
    AzurePortal,
    AdminCenters,
    Intune,
    IntuneEnrollment,
    MyApps,
    MyProfile,
    MySignIns,
    AzureVirtualDesktop,
    ProjectOnline,
    MicrosoftTraffic,
    InternetAccess,
    PrivateAccess,
}

/// One entry per [`FirstPartyApp`], in declaration order.
#[rustfmt::skip]
const APPS: [AppInfo; 40] = [
    app("exchange", "00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online", O365),
    app("sharepoint", "00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online", O365),
    // "Microsoft Teams Services", the resource; the Teams clients are `teams_client` and
    // `teams_web_client`.
    app("teams", "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe", "Microsoft Teams Services", O365),
    app("power_bi", "00000009-0000-0000-c000-000000000000", "Power BI Service", NONE),
    // The sign-in table still calls this app "Yammer"; the suite list calls it "Viva Engage",
    // the product's current name.
    app("viva_engage", "00000005-0000-0ff1-ce00-000000000000", "Viva Engage (Yammer)", O365),
    // A grouping of its own on the platform ("Windows Azure Service Management API"), not an
    // admin portal: the Azure portal is `azure_portal`.
    app("azure_management", "797f4846-ba00-4fd7-ba43-dac1f8f63013", "Windows Azure Service Management API", NONE),
    // An umbrella resource Conditional Access does not let admins target as a cloud app
    // (concept-conditional-access-cloud-apps.md); here because requests and sign-in logs name it.
    app("graph", "00000003-0000-0000-c000-000000000000", "Microsoft Graph", NONE),
    app("exchange_online_protection", "00000007-0000-0ff1-ce00-000000000000", "Microsoft Exchange Online Protection", O365),
    app("forms", "c9a559d2-7aab-4f13-a6ed-e7e9c52aec87", "Microsoft Forms", O365),
    app("office", "d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Office", O365),
    app("office365_portal", "00000006-0000-0ff1-ce00-000000000000", "Microsoft Office 365 Portal", O365),
    app("stream_portal", "cf53fce8-def6-4aeb-8d30-b158e7b1cf83", "Microsoft Stream Portal", O365),
    app("teams_client", "1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams", O365),
    app("teams_web_client", "5e3ce6c0-2b1f-4285-8d4b-75ee78787346", "Microsoft Teams Web Client", O365),
    app("whiteboard", "95de633a-083e-42f5-b444-a4295d8e9314", "Microsoft Whiteboard Services", O365),
    app("o365_suite_ux", "4345a7b9-9a63-4910-a426-35363201d503", "O365 Suite UX", O365),
    app("office365_search", "66a88757-258c-4c72-893c-3e8bed4d6899", "Office 365 Search Service", O365),
    app("delve", "94c63fef-13a3-47bc-8074-75af8c65887a", "Office Delve", O365),
    app("office_online_addin_sso", "93d53678-613d-4013-afc1-62e9e444a0a5", "Office Online Add-in SSO", O365),
    app("office_online_core_sso", "243c63a3-247d-41c5-9d83-7788c43f1c43", "Office Online Core SSO", O365),
    app("office_com", "4b233688-031c-404b-9a80-a4f3f2351f90", "Office.com", O365),
    app("office365_shell", "89bee1f7-5e6e-4d8a-9f3d-ecd601259da7", "Office365 Shell WCSS-Client", O365),
    app("office_client_service", "0f698dd4-f011-4d23-a33e-b36416dcb1e6", "OfficeClientService", O365),
    app("onedrive_sync_engine", "ab9b8c07-8f02-4f72-87fa-80105867a763", "OneDrive SyncEngine", O365),
    app("onenote", "2d4d3d8e-2be3-4bef-9f87-7875a61c29de", "OneNote", O365),
    app("sharepoint_web_extensibility", "08e18876-6177-487e-b8b5-cf950c1e598c", "SharePoint Online Web Client Extensibility", O365),
    app("skype_for_business", "00000004-0000-0ff1-ce00-000000000000", "Skype for Business Online", O365),
    app("sway", "905fcf26-4eb7-48a0-9ff0-8dcc7194b5ba", "Sway", O365),
    // Also serves the Microsoft Entra admin center (cross-tenant access settings article).
    app("azure_portal", "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal", PORTALS),
    // One app id for three portals (cross-tenant access settings article).
    app("defender_intune_purview_portals", "80ccca67-54bd-44ab-8625-4b79c4dc7775", "Microsoft 365 Defender portal, Microsoft Intune admin center and Microsoft Purview portal", PORTALS),
    // Intune's mobility management policies, whose ids are the app ids (Graph
    // `mobileDeviceManagementPolicies` response in Microsoft's Windows 365 troubleshooting
    // article). Baselines exclude it and `intune_enrollment` from compliant-device policies.
    app("intune", "0000000a-0000-0000-c000-000000000000", "Microsoft Intune", NONE),
    app("intune_enrollment", "d4ebce55-015a-49b5-a083-c84d1797ae8c", "Microsoft Intune Enrollment", NONE),
    // My Apps, My Profile, My Sign ins: the cross-tenant access settings article's application
    // allowlist.
    app("my_apps", "2793995e-0a7d-40d7-bd35-6968ba142197", "My Apps", NONE),
    app("my_profile", "8c59ead7-d703-4a27-9e55-c96a0054c8d2", "My Profile", NONE),
    app("my_sign_ins", "19db86c3-b2b9-44cc-b339-36da233a3be2", "My Sign ins", NONE),
    // Azure Virtual Desktop MFA article: the app to target.
    app("azure_virtual_desktop", "9cdead84-a844-4324-93f2-b2e6bb768d07", "Azure Virtual Desktop (Windows Virtual Desktop)", NONE),
    // Project for the web deployment article: the table calls it Project Online, the service
    // principal's display name is Portfolios.
    app("project_online", "f53895d3-095d-408f-8e93-8f94b391404e", "Portfolios (Project Online)", NONE),
    // Global Secure Access's traffic forwarding profiles as Conditional Access targets: the apps
    // that replaced the beta `networkAccess`/`globalSecureAccess` traffic profiles ("Planned
    // change to Conditional Access target resources assignment", Microsoft Learn,
    // https://learn.microsoft.com/entra/identity/conditional-access/reference-resources-change,
    // table "New Global Secure Access App IDs"). A request names the profile its traffic goes
    // through (`app: internet_access`).
    app("microsoft_traffic", "c08f52c9-8f03-4558-a0ea-9a4c878cf343", "Microsoft apps with Global Secure Access", NONE),
    app("internet_access", "5dc48733-b5df-475c-a49b-fa307ef00853", "All internet resources with Global Secure Access", NONE),
    app("private_access", "e92b9b37-1b47-4c01-9fbc-91d84450870e", "All private resources with Global Secure Access", NONE),
];

impl FirstPartyApp {
    pub const ALL: [FirstPartyApp; 40] = [
        FirstPartyApp::Exchange,
        FirstPartyApp::SharePoint,
        FirstPartyApp::Teams,
        FirstPartyApp::PowerBi,
        FirstPartyApp::VivaEngage,
        FirstPartyApp::AzureManagement,
        FirstPartyApp::Graph,
        FirstPartyApp::ExchangeOnlineProtection,
        FirstPartyApp::Forms,
        FirstPartyApp::Office,
        FirstPartyApp::Office365Portal,
        FirstPartyApp::StreamPortal,
        FirstPartyApp::TeamsClient,
        FirstPartyApp::TeamsWebClient,
        FirstPartyApp::Whiteboard,
        FirstPartyApp::SuiteUx,
        FirstPartyApp::Office365Search,
        FirstPartyApp::Delve,
        FirstPartyApp::OfficeAddinSso,
        FirstPartyApp::OfficeCoreSso,
        FirstPartyApp::OfficeCom,
        FirstPartyApp::ShellWcss,
        FirstPartyApp::OfficeClientService,
        FirstPartyApp::OneDriveSyncEngine,
        FirstPartyApp::OneNote,
        FirstPartyApp::SharePointExtensibility,
        FirstPartyApp::SkypeForBusiness,
        FirstPartyApp::Sway,
        FirstPartyApp::AzurePortal,
        FirstPartyApp::AdminCenters,
        FirstPartyApp::Intune,
        FirstPartyApp::IntuneEnrollment,
        FirstPartyApp::MyApps,
        FirstPartyApp::MyProfile,
        FirstPartyApp::MySignIns,
        FirstPartyApp::AzureVirtualDesktop,
        FirstPartyApp::ProjectOnline,
        FirstPartyApp::MicrosoftTraffic,
        FirstPartyApp::InternetAccess,
        FirstPartyApp::PrivateAccess,
    ];

    const fn info(self) -> &'static AppInfo {
        &APPS[self as usize]
    }

    pub const fn name(self) -> &'static str {
        self.info().name
    }

    /// The app id (`appId`), the value Conditional Access stores in `includeApplications`.
    pub const fn app_id(self) -> &'static str {
        self.info().id
    }

    pub const fn display(self) -> &'static str {
        self.info().display
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|app| app.name() == name)
    }

    /// The app with this app id, ignoring ASCII case (hand-written exports are not always
    /// lowercase).
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|app| app.app_id().eq_ignore_ascii_case(id))
    }

    /// The app a deprecated Global Secure Access traffic profile (Graph beta
    /// `networkAccess`/`globalSecureAccess` `includeTrafficProfiles`, a `trafficForwardingType`:
    /// `m365`, `internet`, `private`) migrated to ("Planned change to Conditional Access target
    /// resources assignment"; value by value, accord's reading).
    pub fn from_traffic_profile(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "m365" => Some(FirstPartyApp::MicrosoftTraffic),
            "internet" => Some(FirstPartyApp::InternetAccess),
            "private" => Some(FirstPartyApp::PrivateAccess),
            _ => None,
        }
    }

    /// Whether the `Office365` grouping covers this app, so that a policy targeting `Office365`
    /// applies to requests for it (a request for SharePoint Online is matched by a policy
    /// targeting Office 365).
    pub const fn in_office365(self) -> bool {
        matches!(self.info().group, AppGroup::Office365)
    }

    /// Whether the `MicrosoftAdminPortals` grouping covers this app: the admin portals' own app
    /// ids, not the services they manage (the Exchange admin center is not Exchange Online).
    pub const fn in_admin_portals(self) -> bool {
        matches!(self.info().group, AppGroup::AdminPortals)
    }
}

impl fmt::Display for FirstPartyApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Every first-party app name, for "did you mean" suggestions.
pub fn app_names() -> impl Iterator<Item = &'static str> {
    FirstPartyApp::ALL.into_iter().map(FirstPartyApp::name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_follows_the_enum() {
        for (i, app) in FirstPartyApp::ALL.iter().enumerate() {
            assert_eq!(*app as usize, i, "ALL is in declaration order");
        }
    }

    #[test]
    fn office365_and_admin_portals_expand_as_documented() {
        use FirstPartyApp::*;
        for app in [
            Exchange, SharePoint, Teams, VivaEngage, Forms, OneNote, Delve, Sway,
        ] {
            assert!(app.in_office365() && !app.in_admin_portals(), "{app}");
        }
        for app in [AzurePortal, AdminCenters] {
            assert!(app.in_admin_portals() && !app.in_office365(), "{app}");
        }
        for app in [
            PowerBi,
            AzureManagement,
            Graph,
            Intune,
            IntuneEnrollment,
            MyApps,
            MicrosoftTraffic,
            InternetAccess,
            PrivateAccess,
        ] {
            assert!(!app.in_office365() && !app.in_admin_portals(), "{app}");
        }
    }
}

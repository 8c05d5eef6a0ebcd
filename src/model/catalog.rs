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
}

pub fn is_country(code: &str) -> bool {
    code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase())
}

pub struct Role {
    pub name: &'static str,
    pub id: &'static str,
    pub display: &'static str,
}

pub static ROLES: &[Role] = &[Role {
    name: "global_administrator",
    id: "62e90394-69f5-4237-9190-012177145e10",
    display: "Global Administrator",
}];

pub fn role_by_name(name: &str) -> Option<&'static Role> {
    ROLES.iter().find(|r| r.name == name)
}

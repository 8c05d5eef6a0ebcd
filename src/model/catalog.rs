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
    /// The application (client) id of the first-party app.
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
    /// The app whose id this is (case-insensitive).
    pub fn from_app_id(id: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|a| a.app_id().eq_ignore_ascii_case(id))
    }
    /// Whether the `Office365` suite grouping covers the app (§1.5).
    pub fn in_office365(self) -> bool {
        matches!(
            self,
            FirstPartyApp::Exchange
                | FirstPartyApp::SharePoint
                | FirstPartyApp::Teams
                | FirstPartyApp::VivaEngage
        )
    }
}

/// Authentication methods a session may have used (§4.4 Table 1 names them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    Password,
    Sms,
    Voice,
    AuthenticatorPush,
    AuthenticatorPasswordless,
    OathSoftware,
    OathHardware,
    Fido2,
    WindowsHello,
    Certificate,
    TemporaryAccessPass,
}

impl AuthMethod {
    pub const ALL: [AuthMethod; 11] = [
        AuthMethod::Password,
        AuthMethod::Sms,
        AuthMethod::Voice,
        AuthMethod::AuthenticatorPush,
        AuthMethod::AuthenticatorPasswordless,
        AuthMethod::OathSoftware,
        AuthMethod::OathHardware,
        AuthMethod::Fido2,
        AuthMethod::WindowsHello,
        AuthMethod::Certificate,
        AuthMethod::TemporaryAccessPass,
    ];
    pub fn name(self) -> &'static str {
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
            AuthMethod::Certificate => "certificate",
            AuthMethod::TemporaryAccessPass => "temporary_access_pass",
        }
    }
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }
}

/// Whether the methods used in a session meet a built-in authentication strength.
pub fn satisfies(strength: BuiltInStrength, methods: &[AuthMethod]) -> bool {
    use AuthMethod as M;
    let any = |set: &[AuthMethod]| methods.iter().any(|m| set.contains(m));
    let phishing_resistant = [M::Fido2, M::WindowsHello, M::Certificate];
    let passwordless = [
        M::AuthenticatorPasswordless,
        M::Fido2,
        M::WindowsHello,
        M::Certificate,
    ];
    let second_factor = [
        M::Sms,
        M::Voice,
        M::AuthenticatorPush,
        M::OathSoftware,
        M::OathHardware,
    ];
    match strength {
        BuiltInStrength::PhishingResistant => any(&phishing_resistant),
        BuiltInStrength::Passwordless => any(&passwordless),
        BuiltInStrength::Mfa => {
            any(&passwordless)
                || methods.contains(&M::TemporaryAccessPass)
                || (methods.contains(&M::Password) && any(&second_factor))
        }
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

pub static ROLES: &[Role] = &[
    Role {
        name: "global_administrator",
        id: "62e90394-69f5-4237-9190-012177145e10",
        display: "Global Administrator",
    },
    Role {
        name: "user_administrator",
        id: "fe930be7-5e62-47db-91af-98c3a49a38b1",
        display: "User Administrator",
    },
    Role {
        name: "guest_inviter",
        id: "95e79109-95c0-4d8e-aee3-d01accf2d47b",
        display: "Guest Inviter",
    },
];

pub fn role_by_name(name: &str) -> Option<&'static Role> {
    ROLES.iter().find(|r| r.name == name)
}

pub fn role_by_id(id: &str) -> Option<&'static Role> {
    ROLES.iter().find(|r| r.id.eq_ignore_ascii_case(id))
}

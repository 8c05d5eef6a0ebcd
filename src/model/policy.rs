//! Conditional Access policies (§1 and §2 of the reference).

use serde::Serialize;

use super::catalog::{BuiltInStrength, FirstPartyApp};
use super::device_filter::DeviceFilter;
use super::{Extension, Name, Spanned};
use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyState {
    On,
    Off,
    ReportOnly,
}

impl PolicyState {
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyState::On => "on",
            PolicyState::Off => "off",
            PolicyState::ReportOnly => "report_only",
        }
    }
}

/// The guest and external user types of `conditionalAccessGuestOrExternalUserTypes` (§1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExternalType {
    InternalGuest,
    B2bGuest,
    B2bMember,
    DirectConnect,
    OtherExternal,
    ServiceProvider,
}

impl ExternalType {
    pub const ALL: [ExternalType; 6] = [
        ExternalType::InternalGuest,
        ExternalType::B2bGuest,
        ExternalType::B2bMember,
        ExternalType::DirectConnect,
        ExternalType::OtherExternal,
        ExternalType::ServiceProvider,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ExternalType::InternalGuest => "internal_guest",
            ExternalType::B2bGuest => "b2b_guest",
            ExternalType::B2bMember => "b2b_member",
            ExternalType::DirectConnect => "direct_connect",
            ExternalType::OtherExternal => "other_external",
            ExternalType::ServiceProvider => "service_provider",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// Which home tenants an `external(...)` target covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Any,
    /// Active tenants of the resource tenant's multi-tenant organisation.
    Organization,
    /// Every tenant that is not an active tenant of the organisation (pending ones included).
    OutsideOrganization,
    Tenants(Vec<Name>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UserTarget {
    All,
    None,
    GuestsOrExternal,
    /// A user by UPN or object id.
    User(String),
    /// A group by display name or object id.
    Group(String),
    /// A built-in directory role (snake_case name from the catalog, or a template id).
    Role(String),
    External {
        /// Empty means `all` types.
        types: Vec<Spanned<ExternalType>>,
        origin: Spanned<Origin>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UserAction {
    RegisterSecurityInfo,
    RegisterDevice,
}

impl UserAction {
    pub fn name(self) -> &'static str {
        match self {
            UserAction::RegisterSecurityInfo => "register_security_info",
            UserAction::RegisterDevice => "register_device",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AppTarget {
    All,
    None,
    Office365,
    AdminPortals,
    Named(FirstPartyApp),
    /// An application (client) id.
    App(String),
    Action(UserAction),
    AuthContext(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Users {
    pub include: Vec<Spanned<UserTarget>>,
    pub exclude: Vec<Spanned<UserTarget>>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Apps {
    pub include: Vec<Spanned<AppTarget>>,
    pub exclude: Vec<Spanned<AppTarget>>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    All,
    Android,
    Ios,
    Windows,
    Macos,
    Linux,
    WindowsPhone,
}

impl Platform {
    pub const ALL: [Platform; 7] = [
        Platform::All,
        Platform::Android,
        Platform::Ios,
        Platform::Windows,
        Platform::Macos,
        Platform::Linux,
        Platform::WindowsPhone,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Platform::All => "all",
            Platform::Android => "android",
            Platform::Ios => "ios",
            Platform::Windows => "windows",
            Platform::Macos => "macos",
            Platform::Linux => "linux",
            Platform::WindowsPhone => "windows_phone",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationRef {
    All,
    AllTrusted,
    /// The legacy "MFA trusted IPs" list (the all-zero location id in Graph).
    MfaTrustedIps,
    /// Global Secure Access's compliant network location (`compliantNetworkNamedLocation`,
    /// the platform-provided id `3d46dbda-8382-466a-856d-eb00cbc6b910`).
    CompliantNetwork,
    Named(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientApp {
    Browser,
    MobileDesktop,
    ExchangeActiveSync,
    Other,
}

impl ClientApp {
    pub const ALL: [ClientApp; 4] = [
        ClientApp::Browser,
        ClientApp::MobileDesktop,
        ClientApp::ExchangeActiveSync,
        ClientApp::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ClientApp::Browser => "browser",
            ClientApp::MobileDesktop => "mobile_desktop",
            ClientApp::ExchangeActiveSync => "exchange_active_sync",
            ClientApp::Other => "other",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Legacy authentication clients cannot do MFA or present device state (§1.7).
    pub fn is_legacy(self) -> bool {
        matches!(self, ClientApp::ExchangeActiveSync | ClientApp::Other)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    None,
    Low,
    Medium,
    High,
}

impl RiskLevel {
    pub const ALL: [RiskLevel; 4] = [
        RiskLevel::None,
        RiskLevel::Low,
        RiskLevel::Medium,
        RiskLevel::High,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RiskLevel::None => "none",
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// Insider risk levels (`insiderRiskLevels`, §1.10): a policy with this condition applies only
/// to users whose insider risk (Purview adaptive protection) is one of the listed levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InsiderRisk {
    Minor,
    Moderate,
    Elevated,
}

impl InsiderRisk {
    pub const ALL: [InsiderRisk; 3] = [
        InsiderRisk::Minor,
        InsiderRisk::Moderate,
        InsiderRisk::Elevated,
    ];

    pub fn name(self) -> &'static str {
        match self {
            InsiderRisk::Minor => "minor",
            InsiderRisk::Moderate => "moderate",
            InsiderRisk::Elevated => "elevated",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// Authentication flows (`authenticationFlows.transferMethods`, §1.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthFlow {
    DeviceCode,
    AuthTransfer,
}

impl AuthFlow {
    pub fn name(self) -> &'static str {
        match self {
            AuthFlow::DeviceCode => "device_code",
            AuthFlow::AuthTransfer => "auth_transfer",
        }
    }
}

/// `include(a, b) exclude(c)`: a condition with both lists, as the platform has them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncludeExclude<T> {
    pub include: Vec<Spanned<T>>,
    pub exclude: Vec<Spanned<T>>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FilterMode {
    Include,
    Exclude,
}

/// `devices = include "<rule>"`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceCondition {
    pub mode: Spanned<FilterMode>,
    /// The rule as written (the text inside the quotes, unescaped).
    pub rule: Spanned<String>,
    /// The parsed rule; `None` when it did not parse (the parser reported why).
    #[serde(skip)]
    pub filter: Option<DeviceFilter>,
}

/// A list-valued condition such as `client_apps = [browser]`.
pub type ListCondition<T> = Spanned<Vec<Spanned<T>>>;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Conditions {
    pub platforms: Option<IncludeExclude<Platform>>,
    pub locations: Option<IncludeExclude<LocationRef>>,
    pub client_apps: Option<ListCondition<ClientApp>>,
    pub sign_in_risk: Option<ListCondition<RiskLevel>>,
    pub user_risk: Option<ListCondition<RiskLevel>>,
    /// `insider_risk = [elevated]`; absent = insider risk is not a condition.
    pub insider_risk: Option<ListCondition<InsiderRisk>>,
    pub devices: Option<DeviceCondition>,
    pub auth_flows: Option<ListCondition<AuthFlow>>,
    /// The `workloads { ... }` block of the policy: Graph keeps it in the condition set
    /// (`conditions.clientApplications`), so it sits here; absent = a policy for users.
    pub workloads: Option<Workloads>,
    /// `service_principal_risk = [high]` (`servicePrincipalRiskLevels`); absent = not a condition.
    pub service_principal_risk: Option<ListCondition<RiskLevel>>,
    /// `agent_risk = [high]` (beta `agentIdRiskLevels`); absent = not a condition.
    pub agent_risk: Option<ListCondition<RiskLevel>>,
    #[serde(skip)]
    pub span: Span,
}

impl Conditions {
    /// Whether the condition set makes the policy one for workload identities.
    pub fn is_workload(&self) -> bool {
        self.workloads.is_some()
    }
}

/// A workload identity a policy targets (`conditionalAccessClientApplications`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkloadTarget {
    /// `all`: every single-tenant service principal of the tenant (`ServicePrincipalsInMyTenant`).
    All,
    /// `service_principal "<object id>"`.
    ServicePrincipal(String),
    /// `agent "<object id>"` (beta `includeAgentIdServicePrincipals`): an agent identity.
    Agent(String),
    /// `all_agents`: every agent identity (beta `includeAgentIdServicePrincipals: ["All"]`).
    AllAgents,
}

/// `workloads { include ... exclude ... filter include "<rule>" }`: a policy for workload
/// identities instead of users.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Workloads {
    pub include: Vec<Spanned<WorkloadTarget>>,
    pub exclude: Vec<Spanned<WorkloadTarget>>,
    /// `servicePrincipalFilter`: a rule over custom security attributes.
    pub filter: Option<WorkloadFilter>,
    /// `agent_filter include "<rule>"` (beta `agentIdServicePrincipalFilter`).
    pub agent_filter: Option<WorkloadFilter>,
    #[serde(skip)]
    pub span: Span,
}

impl Workloads {
    /// Whether the block names agent identities (targets or filter): a preview accord reports
    /// as not decided.
    pub fn names_agents(&self) -> bool {
        self.agent_filter.is_some()
            || self.include.iter().chain(&self.exclude).any(|t| {
                matches!(
                    t.value,
                    WorkloadTarget::Agent(_) | WorkloadTarget::AllAgents
                )
            })
    }
}

/// A filter over the custom security attributes of service principals, as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkloadFilter {
    pub mode: Spanned<FilterMode>,
    pub rule: Spanned<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthStrength {
    BuiltIn(BuiltInStrength),
    /// A custom authentication strength policy id.
    Custom(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Control {
    Block,
    Mfa,
    CompliantDevice,
    HybridJoined,
    ApprovedApp,
    AppProtection,
    PasswordChange,
    TermsOfUse(String),
    AuthStrength(AuthStrength),
    /// A custom control (`customAuthenticationFactors`); never satisfiable across tenants.
    Custom(String),
}

impl Control {
    /// The keyword that introduces the control in the language.
    pub fn keyword(&self) -> &'static str {
        match self {
            Control::Block => "block",
            Control::Mfa => "mfa",
            Control::CompliantDevice => "compliant_device",
            Control::HybridJoined => "hybrid_joined",
            Control::ApprovedApp => "approved_app",
            Control::AppProtection => "app_protection",
            Control::PasswordChange => "password_change",
            Control::TermsOfUse(_) => "terms_of_use",
            Control::AuthStrength(_) => "auth_strength",
            Control::Custom(_) => "custom",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantOp {
    /// `grant mfa`: one control.
    Single,
    /// `grant all(...)`: every control (`AND`).
    All,
    /// `grant any(...)`: at least one (`OR`).
    Any,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grant {
    pub op: Spanned<GrantOp>,
    pub controls: Vec<Spanned<Control>>,
    #[serde(skip)]
    pub span: Span,
}

impl Grant {
    pub fn is_block(&self) -> bool {
        self.controls.iter().any(|c| c.value == Control::Block)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FrequencyUnit {
    Hours,
    Days,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignInFrequency {
    EveryTime,
    Every { value: u32, unit: FrequencyUnit },
}

impl SignInFrequency {
    /// Length in hours (`every_time` is 0: the strictest).
    pub fn hours(self) -> u64 {
        match self {
            SignInFrequency::EveryTime => 0,
            SignInFrequency::Every { value, unit } => match unit {
                FrequencyUnit::Hours => u64::from(value),
                FrequencyUnit::Days => u64::from(value) * 24,
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PersistentBrowser {
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContinuousAccessEvaluation {
    Strict,
    Disabled,
    /// `strictLocation`: resources also enforce the location policies on the IP address they
    /// see (Learn, "Strictly enforce location policies using continuous access evaluation").
    StrictLocation,
}

/// Defender for Cloud Apps session control (`cloudAppSecurity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CloudAppSecurity {
    MonitorOnly,
    BlockDownloads,
    McasConfigured,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Session {
    pub sign_in_frequency: Option<Spanned<SignInFrequency>>,
    pub persistent_browser: Option<Spanned<PersistentBrowser>>,
    #[serde(serialize_with = "super::serialize_present")]
    pub app_enforced_restrictions: Option<Span>,
    pub continuous_access_evaluation: Option<Spanned<ContinuousAccessEvaluation>>,
    pub cloud_app_security: Option<Spanned<CloudAppSecurity>>,
    #[serde(serialize_with = "super::serialize_present")]
    pub disable_resilience_defaults: Option<Span>,
    /// Token protection (Graph `secureSignInSession`): the platform blocks a sign-in whose
    /// session token is not bound to the device.
    #[serde(serialize_with = "super::serialize_present")]
    pub token_protection: Option<Span>,
    /// The Global Secure Access security profile (web filtering) linked to the policy (Graph
    /// `globalSecureAccessFilteringProfile.profileId`). It filters the traffic of the session;
    /// it does not change whether access is granted.
    pub security_profile: Option<Spanned<String>>,
    /// The sign-in frequency asks for the secondary authentication (MFA) only, not the whole
    /// sign-in (Graph `signInFrequency.authenticationType: secondaryAuthentication`).
    #[serde(serialize_with = "super::serialize_present")]
    pub sign_in_frequency_secondary: Option<Span>,
    #[serde(skip)]
    pub span: Span,
}

impl Session {
    pub fn is_empty(&self) -> bool {
        self.sign_in_frequency.is_none()
            && self.persistent_browser.is_none()
            && self.app_enforced_restrictions.is_none()
            && self.continuous_access_evaluation.is_none()
            && self.cloud_app_security.is_none()
            && self.disable_resilience_defaults.is_none()
            && self.token_protection.is_none()
            && self.security_profile.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    pub name: Name,
    /// `on` when the policy does not say.
    pub state: Spanned<PolicyState>,
    /// Whether `state = ...` was written (the formatter keeps an explicit `state = on`).
    pub state_written: bool,
    pub users: Users,
    pub apps: Apps,
    pub conditions: Conditions,
    pub grant: Option<Grant>,
    pub session: Option<Session>,
    pub extensions: Vec<Extension>,
    #[serde(skip)]
    pub span: Span,
}

impl Policy {
    /// Whether the policy is for workload identities (it has a `workloads` block): such a
    /// policy never applies to a user's sign-in, and a user policy never to a workload's.
    pub fn is_workload(&self) -> bool {
        self.conditions.workloads.is_some()
    }
}

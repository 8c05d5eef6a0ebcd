//! The vocabulary of sign-in logs: how each logged value reads as an accord request value.
//!
//! The same value is spelled differently by each source: Graph writes `b2bCollaboration`, the
//! portal's CSV download `B2B collaboration`, Log Analytics `b2bCollaboration` again. Every
//! comparison here is on [`norm`]: lowercase ASCII letters and digits only, so that all three
//! spellings meet. A value that is not in a table is *unmapped*: the caller counts and reports
//! it, and never guesses.
//!
//! Sources: the Graph `signIn` resource (v1.0 and beta) for the enumerations
//! (`crossTenantAccessType`, `authenticationProtocol`, `originalTransferMethod`,
//! `conditionalAccessStatus`, `riskLevel`), `appliedConditionalAccessPolicy` for the policy
//! results, Conditional Access's client-app condition (reference §1.7) for `clientAppUsed`, and
//! `deviceDetail` for the device fields. The README's semantics section says where each is cited.

use crate::model::{ClientApp, Platform, RiskLevel};

/// Lowercase ASCII letters and digits of `text`, the rest dropped (`B2B collaboration` ->
/// `b2bcollaboration`). Allocation-free comparisons use [`norm_eq`].
pub fn norm(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// [`norm`] into a buffer, without allocating: the first 64 normalised characters (the values
/// compared are shorter).
pub struct Normed {
    buf: [u8; 64],
    len: usize,
}

impl Normed {
    pub fn new(text: &str) -> Normed {
        let mut n = Normed {
            buf: [0; 64],
            len: 0,
        };
        for b in text.bytes().filter(u8::is_ascii_alphanumeric) {
            if n.len == n.buf.len() {
                break;
            }
            n.buf[n.len] = b.to_ascii_lowercase();
            n.len += 1;
        }
        n
    }

    pub fn as_str(&self) -> &str {
        // ASCII letters and digits only.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

/// Whether `text` normalises to `want` (which must already be normalised).
pub fn norm_eq(text: &str, want: &str) -> bool {
    let mut w = want.bytes();
    for b in text.bytes().filter(u8::is_ascii_alphanumeric) {
        if w.next() != Some(b.to_ascii_lowercase()) {
            return false;
        }
    }
    w.next().is_none()
}

/// The first entry of `table` whose key `text` normalises to.
fn lookup<T: Copy>(text: &str, table: &[(&str, T)]) -> Option<T> {
    table
        .iter()
        .find(|(k, _)| norm_eq(text, k))
        .map(|(_, v)| *v)
}

/// `clientAppUsed`. Modern clients are `Browser` and `Mobile Apps and Desktop clients`;
/// `Exchange ActiveSync` is its own condition value; every other legacy protocol the platform
/// logs (SMTP, IMAP, POP, MAPI, EWS, Autodiscover, OAB, RPC, PowerShell, Reporting Web
/// Services, "Other clients") is Conditional Access's `other` (reference §1.7).
pub fn client_app(text: &str) -> Option<ClientApp> {
    const TABLE: &[(&str, ClientApp)] = &[
        ("browser", ClientApp::Browser),
        ("mobileappsanddesktopclients", ClientApp::MobileDesktop),
        ("mobileappsanddesktopclient", ClientApp::MobileDesktop),
        ("modernclients", ClientApp::MobileDesktop),
        ("exchangeactivesync", ClientApp::ExchangeActiveSync),
        ("otherclients", ClientApp::Other),
        ("otherclient", ClientApp::Other),
        ("imap", ClientApp::Other),
        ("imap4", ClientApp::Other),
        ("pop", ClientApp::Other),
        ("pop3", ClientApp::Other),
        ("smtp", ClientApp::Other),
        ("authenticatedsmtp", ClientApp::Other),
        ("mapi", ClientApp::Other),
        ("mapioverhttp", ClientApp::Other),
        ("exchangewebservices", ClientApp::Other),
        ("autodiscover", ClientApp::Other),
        ("offlineaddressbook", ClientApp::Other),
        ("outlookanywhererpcoverhttp", ClientApp::Other),
        ("exchangeonlinepowershell", ClientApp::Other),
        ("exchangeremotepowershell", ClientApp::Other),
        ("reportingwebservices", ClientApp::Other),
        ("universaloutlook", ClientApp::Other),
    ];
    lookup(text, TABLE)
}

/// `deviceDetail.operatingSystem` ("Windows 10", "Windows10", "iOS 17.2", "MacOs", "Android",
/// "Linux"): the platform by the leading word. Conditional Access knows six platforms; any
/// other OS (ChromeOS, "Unknown") is unmapped, and the platform is then a missing signal.
pub fn platform(text: &str) -> Option<Platform> {
    let normed = Normed::new(text);
    let n = normed.as_str();
    let starts = |p: &str| n.starts_with(p);
    if starts("windowsphone") || starts("windowsmobile") {
        Some(Platform::WindowsPhone)
    } else if starts("windows") {
        Some(Platform::Windows)
    } else if starts("ios") || starts("ipados") || starts("iphone") || starts("ipad") {
        Some(Platform::Ios)
    } else if starts("macos") || starts("macosx") || starts("osx") || n == "mac" {
        Some(Platform::Macos)
    } else if starts("android") {
        Some(Platform::Android)
    } else if starts("linux") || starts("ubuntu") {
        Some(Platform::Linux)
    } else {
        None
    }
}

/// `deviceDetail.trustType` (Graph: `Azure AD joined`, `Hybrid Azure AD joined`, `Azure AD
/// registered`, newer logs `Microsoft Entra ...`; the device-filter names `AzureAD`,
/// `ServerAD`, `Workplace`, reference §1.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustType {
    Joined,
    HybridJoined,
    Registered,
}

impl TrustType {
    pub fn parse(text: &str) -> Option<TrustType> {
        const TABLE: &[(&str, TrustType)] = &[
            ("azureadjoined", TrustType::Joined),
            ("microsoftentrajoined", TrustType::Joined),
            ("azuread", TrustType::Joined),
            ("hybridazureadjoined", TrustType::HybridJoined),
            ("microsoftentrahybridjoined", TrustType::HybridJoined),
            ("serverad", TrustType::HybridJoined),
            ("domainjoined", TrustType::HybridJoined),
            ("azureadregistered", TrustType::Registered),
            ("microsoftentraregistered", TrustType::Registered),
            ("workplace", TrustType::Registered),
            ("workplacejoined", TrustType::Registered),
        ];
        lookup(text, TABLE)
    }

    /// The device-filter property value (`device.trustType`).
    pub fn filter_value(self) -> &'static str {
        match self {
            TrustType::Joined => "AzureAD",
            TrustType::HybridJoined => "ServerAD",
            TrustType::Registered => "Workplace",
        }
    }
}

/// `crossTenantAccessType` (Graph `signInAccessType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessType {
    None,
    B2bCollaboration,
    B2bDirectConnect,
    ServiceProvider,
    MicrosoftSupport,
    Passthrough,
}

impl AccessType {
    pub fn parse(text: &str) -> Option<AccessType> {
        const TABLE: &[(&str, AccessType)] = &[
            ("none", AccessType::None),
            ("b2bcollaboration", AccessType::B2bCollaboration),
            ("b2bdirectconnect", AccessType::B2bDirectConnect),
            ("serviceprovider", AccessType::ServiceProvider),
            ("microsoftsupport", AccessType::MicrosoftSupport),
            ("passthrough", AccessType::Passthrough),
        ];
        lookup(text, TABLE)
    }
}

/// `riskLevelDuringSignIn`. `hidden` (the tenant has no Identity Protection licence) reads as
/// `none`: a risk condition needs that licence to be enforced at all, so no logged sign-in was
/// ever decided on a hidden risk. It is still counted as unmapped, so the report says so.
pub fn risk(text: &str) -> Option<RiskLevel> {
    const TABLE: &[(&str, RiskLevel)] = &[
        ("none", RiskLevel::None),
        ("low", RiskLevel::Low),
        ("medium", RiskLevel::Medium),
        ("high", RiskLevel::High),
    ];
    lookup(text, TABLE)
}

/// `authenticationProtocol` / `originalTransferMethod`: the authentication flow (§1.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowValue {
    /// A protocol with no transfer flow: `none`, `oAuth2`, `ropc`, `wsFederation`, `saml20`,
    /// `nativeAuth`.
    NoFlow,
    DeviceCode,
    AuthTransfer,
}

impl FlowValue {
    pub fn parse(text: &str) -> Option<FlowValue> {
        const TABLE: &[(&str, FlowValue)] = &[
            ("none", FlowValue::NoFlow),
            ("oauth2", FlowValue::NoFlow),
            ("oauth20", FlowValue::NoFlow),
            ("ropc", FlowValue::NoFlow),
            ("wsfederation", FlowValue::NoFlow),
            ("saml20", FlowValue::NoFlow),
            ("nativeauth", FlowValue::NoFlow),
            ("devicecode", FlowValue::DeviceCode),
            ("devicecodeflow", FlowValue::DeviceCode),
            ("authenticationtransfer", FlowValue::AuthTransfer),
        ];
        lookup(text, TABLE)
    }
}

/// `conditionalAccessStatus` (and the portal's "Conditional Access" column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaStatus {
    Success,
    Failure,
    NotApplied,
}

impl CaStatus {
    pub fn parse(text: &str) -> Option<CaStatus> {
        const TABLE: &[(&str, CaStatus)] = &[
            ("success", CaStatus::Success),
            ("failure", CaStatus::Failure),
            ("notapplied", CaStatus::NotApplied),
        ];
        lookup(text, TABLE)
    }
}

/// `appliedConditionalAccessPolicy.result`. Report-only results are what the policy *would*
/// have done: `reportOnlyInterrupted` is the report-only workbook's "user action required".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoggedResult {
    Success,
    Failure,
    NotApplied,
    NotEnabled,
    ReportOnlySuccess,
    ReportOnlyFailure,
    ReportOnlyNotApplied,
    ReportOnlyInterrupted,
    Unknown,
}

impl LoggedResult {
    pub fn parse(text: &str) -> Option<LoggedResult> {
        const TABLE: &[(&str, LoggedResult)] = &[
            ("success", LoggedResult::Success),
            ("failure", LoggedResult::Failure),
            ("notapplied", LoggedResult::NotApplied),
            ("notenabled", LoggedResult::NotEnabled),
            ("reportonlysuccess", LoggedResult::ReportOnlySuccess),
            ("reportonlyfailure", LoggedResult::ReportOnlyFailure),
            ("reportonlynotapplied", LoggedResult::ReportOnlyNotApplied),
            ("reportonlyinterrupted", LoggedResult::ReportOnlyInterrupted),
            ("unknown", LoggedResult::Unknown),
            ("unknownfuturevalue", LoggedResult::Unknown),
        ];
        lookup(text, TABLE)
    }

    /// Whether the platform says the policy applied: `Some(true)` / `Some(false)`, `None` when
    /// the log cannot tell (disabled, unknown).
    pub fn applied(self) -> Option<bool> {
        match self {
            LoggedResult::Success
            | LoggedResult::Failure
            | LoggedResult::ReportOnlySuccess
            | LoggedResult::ReportOnlyFailure
            | LoggedResult::ReportOnlyInterrupted => Some(true),
            LoggedResult::NotApplied | LoggedResult::ReportOnlyNotApplied => Some(false),
            LoggedResult::NotEnabled | LoggedResult::Unknown => None,
        }
    }
}

/// The tenant id of Microsoft accounts (consumer MSA identities reach a tenant as B2B guests
/// without an Entra home organisation; accord's `kind: other`).
pub const MSA_TENANT: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_value_meets() {
        assert_eq!(norm("B2B collaboration"), "b2bcollaboration");
        assert!(norm_eq(
            "Mobile Apps and Desktop clients",
            "mobileappsanddesktopclients"
        ));
        assert!(!norm_eq("Browsers", "browser"));
        assert!(!norm_eq("Brow", "browser"));
        assert_eq!(
            AccessType::parse("B2B direct connect"),
            Some(AccessType::B2bDirectConnect)
        );
        assert_eq!(
            AccessType::parse("b2bCollaboration"),
            Some(AccessType::B2bCollaboration)
        );
        assert_eq!(AccessType::parse("unknownFutureValue"), None);
    }

    #[test]
    fn client_apps_as_the_platform_logs_them() {
        assert_eq!(client_app("Browser"), Some(ClientApp::Browser));
        assert_eq!(
            client_app("Mobile Apps and Desktop clients"),
            Some(ClientApp::MobileDesktop)
        );
        assert_eq!(
            client_app("Exchange ActiveSync"),
            Some(ClientApp::ExchangeActiveSync)
        );
        assert_eq!(
            client_app("Exchange Active Sync"),
            Some(ClientApp::ExchangeActiveSync)
        );
        for legacy in [
            "IMAP4",
            "POP3",
            "Authenticated SMTP",
            "Other clients",
            "MAPI Over HTTP",
        ] {
            assert_eq!(client_app(legacy), Some(ClientApp::Other), "{legacy}");
        }
        assert_eq!(client_app("Quantum client"), None);
    }

    #[test]
    fn operating_systems_by_leading_word() {
        assert_eq!(platform("Windows 10"), Some(Platform::Windows));
        assert_eq!(platform("Windows10"), Some(Platform::Windows));
        assert_eq!(platform("iOS 17.2"), Some(Platform::Ios));
        assert_eq!(platform("Ios"), Some(Platform::Ios));
        assert_eq!(platform("MacOs"), Some(Platform::Macos));
        assert_eq!(platform("Mac OS X"), Some(Platform::Macos));
        assert_eq!(platform("Android 14"), Some(Platform::Android));
        assert_eq!(platform("Windows Phone 8.1"), Some(Platform::WindowsPhone));
        assert_eq!(platform("ChromeOS"), None);
        assert_eq!(platform(""), None);
    }

    #[test]
    fn policy_results_say_whether_the_policy_applied() {
        assert_eq!(
            LoggedResult::parse("reportOnlyInterrupted").and_then(LoggedResult::applied),
            Some(true)
        );
        assert_eq!(
            LoggedResult::parse("notApplied").and_then(LoggedResult::applied),
            Some(false)
        );
        assert_eq!(
            LoggedResult::parse("notEnabled").and_then(LoggedResult::applied),
            None
        );
        assert_eq!(
            TrustType::parse("Hybrid Azure AD joined"),
            Some(TrustType::HybridJoined)
        );
        assert_eq!(FlowValue::parse("deviceCode"), Some(FlowValue::DeviceCode));
        assert_eq!(risk("hidden"), None);
    }
}

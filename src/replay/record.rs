//! One sign-in record as the logs write it: only the fields replay maps, every other field
//! skipped unparsed (serde skips unknown keys without allocating).
//!
//! One type reads every shape, because the shapes name the same facts:
//!
//! | fact | Graph `signIn` (camelCase; PowerShell PascalCase) | Log Analytics `SigninLogs` / `AADNonInteractiveUserSignInLogs` | portal CSV download |
//! |---|---|---|---|
//! | user | `userPrincipalName`, `userId`, `userType` | `UserPrincipalName`, `UserId`, `UserType` | `Username`, `User ID`, `User type` |
//! | tenants | `homeTenantId`, `resourceTenantId`, `crossTenantAccessType` | same, PascalCase | `Home tenant ID`, `Resource tenant ID`, `Cross tenant access type` |
//! | app | `appId`, `resourceId` | `AppId`, `ResourceIdentity` (`ResourceId` is an Azure path there) | `Application ID`, `Resource ID` |
//! | client app | `clientAppUsed` | `ClientAppUsed` | `Client app` |
//! | device | `deviceDetail` object | `DeviceDetail` (dynamic, or a JSON string) | `Operating System`, `Compliant`, `Managed`, `Join Type` |
//! | network | `ipAddress`, `location.countryOrRegion` | `IPAddress`, `Location` (the country code), `LocationDetails` | `IP address`, `Location` ("City, State, CC") |
//! | authentication | `authenticationRequirement`, `authenticationDetails`, `mfaDetail` | same, JSON strings | `Authentication requirement`, `Multifactor authentication result` / `auth method` |
//! | risk | `riskLevelDuringSignIn` | `RiskLevelDuringSignIn` | — |
//! | flow | `authenticationProtocol`, `originalTransferMethod` | same | `Authentication Protocol`, `Original transfer method` |
//! | outcome | `status.errorCode`, `conditionalAccessStatus`, `appliedConditionalAccessPolicies` | `ResultType`, `Status`, `ConditionalAccessStatus`, `ConditionalAccessPolicies` | `Sign-in error code`, `Status`, `Conditional Access` |
//! | actor | `signInEventTypes`, `servicePrincipalId`, `managedServiceIdentity` | `Category` / `Type` (table name) | `Service principal ID`, `Managed Identity type` |
//!
//! Sources: <https://learn.microsoft.com/graph/api/resources/signin> (v1.0 and beta),
//! <https://learn.microsoft.com/azure/azure-monitor/reference/tables/signinlogs> and
//! `aadnoninteractiveusersigninlogs`, the portal's sign-in log download. The diagnostic-settings
//! export (storage account, Event Hubs) wraps the Graph object in `properties`; the PowerShell
//! SDK puts properties its model lacks in `AdditionalProperties`: both are read. The key
//! spellings of each field are in `keys`.

use serde::Deserialize;

use super::fields::{byte_keyed, Classified, Flag, Int, Nested, Text, Vocab};
use super::values::{self, AccessType, CaStatus, FlowValue, LoggedResult, TrustType};
use crate::model::catalog::AuthMethod;
use crate::model::request::Country;
use crate::model::{ClientApp, Platform, RiskLevel};

impl Vocab for ClientApp {
    fn read(text: &str) -> Option<Self> {
        values::client_app(text)
    }
}
impl Vocab for Platform {
    fn read(text: &str) -> Option<Self> {
        values::platform(text)
    }
}
impl Vocab for TrustType {
    fn read(text: &str) -> Option<Self> {
        TrustType::parse(text)
    }
}
impl Vocab for AccessType {
    fn read(text: &str) -> Option<Self> {
        AccessType::parse(text)
    }
}
impl Vocab for RiskLevel {
    fn read(text: &str) -> Option<Self> {
        values::risk(text)
    }
}
impl Vocab for FlowValue {
    fn read(text: &str) -> Option<Self> {
        FlowValue::parse(text)
    }
}
impl Vocab for CaStatus {
    fn read(text: &str) -> Option<Self> {
        CaStatus::parse(text)
    }
}
impl Vocab for LoggedResult {
    fn read(text: &str) -> Option<Self> {
        LoggedResult::parse(text)
    }
}
impl Vocab for Country {
    fn read(text: &str) -> Option<Self> {
        // "unknown" is accord's word for "no country"; a log that writes it means no value.
        if text.eq_ignore_ascii_case("unknown") {
            return None;
        }
        Country::parse(text)
    }
}

/// `userType`: `member` or `guest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoggedUserType {
    Member,
    Guest,
}
impl Vocab for LoggedUserType {
    fn read(text: &str) -> Option<Self> {
        if values::norm_eq(text, "member") {
            Some(LoggedUserType::Member)
        } else if values::norm_eq(text, "guest") {
            Some(LoggedUserType::Guest)
        } else {
            None
        }
    }
}

/// `authenticationRequirement`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    SingleFactor,
    MultiFactor,
}
impl Vocab for Requirement {
    fn read(text: &str) -> Option<Self> {
        if values::norm_eq(text, "singlefactorauthentication") {
            Some(Requirement::SingleFactor)
        } else if values::norm_eq(text, "multifactorauthentication") {
            Some(Requirement::MultiFactor)
        } else {
            None
        }
    }
}

/// The sign-in record. Every field is optional: which ones a shape has varies.
#[derive(Debug, Default)]
pub struct SignIn<'a> {
    pub id: Option<Text<'a>>,
    pub created: Option<Text<'a>>,
    pub upn: Option<Text<'a>>,
    pub user_id: Option<Text<'a>>,
    pub user_type: Classified<LoggedUserType>,
    pub home_tenant: Option<Text<'a>>,
    pub resource_tenant: Option<Text<'a>>,
    pub access_type: Classified<AccessType>,
    pub app_id: Option<Text<'a>>,
    pub app_name: Option<Text<'a>>,
    pub resource_id: Option<Text<'a>>,
    pub resource_identity: Option<Text<'a>>,
    pub resource_name: Option<Text<'a>>,
    pub client_app: Classified<ClientApp>,
    pub device: Nested<DeviceDetail>,
    /// The portal CSV's device columns (Graph nests them in `deviceDetail`).
    pub csv_os: Classified<Platform>,
    pub csv_compliant: Flag,
    pub csv_managed: Flag,
    pub csv_join: Classified<TrustType>,
    pub ip: Option<Text<'a>>,
    /// Graph's `location` object, Log Analytics' country code, the portal's "City, State, CC".
    pub location: LocationValue,
    pub location_details: Nested<LocationDetail>,
    pub requirement: Classified<Requirement>,
    pub auth_details: Nested<AuthSteps>,
    pub mfa_detail: Nested<MfaDetail>,
    pub csv_mfa_result: Option<Text<'a>>,
    pub csv_mfa_method: Option<Text<'a>>,
    pub sign_in_risk: Classified<RiskLevel>,
    pub protocol: Classified<FlowValue>,
    pub transfer: Classified<FlowValue>,
    pub status: StatusValue,
    pub result_type: Int,
    pub ca_status: Classified<CaStatus>,
    pub applied: AppliedPolicies<'a>,
    pub interactive: Flag,
    pub event_types: EventTypes,
    pub service_principal: Option<Text<'a>>,
    pub msi: Nested<ManagedIdentity>,
    pub csv_msi_type: Option<Text<'a>>,
    /// Log Analytics' table name (`Type`) or diagnostic category (`Category`, `category`).
    pub table: Option<Text<'a>>,
    pub category: Option<Text<'a>>,
    pub auth_contexts: Nested<serde_json::Value>,
    /// The diagnostic-settings export: the Graph object under `properties`.
    pub properties: Option<Box<SignIn<'a>>>,
    /// The PowerShell SDK: properties its model lacks.
    pub additional: Option<Box<SignIn<'a>>>,
    /// A list response or an Event Hubs batch where a record was expected.
    pub page: Option<serde::de::IgnoredAny>,
}

/// `deviceDetail`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeviceDetail {
    pub os: Classified<Platform>,
    pub compliant: Flag,
    pub managed: Flag,
    pub trust: Classified<TrustType>,
    /// The device object's id and name: device filters read them (`device.deviceId`,
    /// `device.displayName`).
    pub device_id: Option<String>,
    pub display_name: Option<String>,
}

byte_keyed!(DeviceDetail {
    device_id: [b"deviceId", b"DeviceId"],
    display_name: [b"displayName", b"DisplayName"],
    os: [b"operatingSystem", b"OperatingSystem"],
    compliant: [b"isCompliant", b"IsCompliant"],
    managed: [b"isManaged", b"IsManaged"],
    trust: [b"trustType", b"TrustType"],
});

/// `location` / `LocationDetails` (`signInLocation`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocationDetail {
    pub country: Classified<Country>,
}

byte_keyed!(LocationDetail {
    country: [b"countryOrRegion", b"CountryOrRegion"]
});

/// Graph's `location` object, or a string: Log Analytics' `Location` column is the country
/// code; the portal CSV's "Location" is "City, State, CC" (the country is the last part).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocationValue(pub Classified<Country>);

impl<'de> Deserialize<'de> for LocationValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{self, MapAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LocationValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a location object or a country code")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<LocationValue, E> {
                let last = v.rsplit(',').next().unwrap_or(v);
                Ok(LocationValue(Classified::from_text(last)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<LocationValue, A::Error> {
                let l = LocationDetail::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(LocationValue(l.country))
            }
            fn visit_none<E: de::Error>(self) -> Result<LocationValue, E> {
                Ok(LocationValue::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<LocationValue, E> {
                Ok(LocationValue::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// `status` (`signInStatus`), Log Analytics' `Status` (dynamic or a JSON string), or the
/// portal's "Status" word (`Success`, `Failure`, `Interrupted`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StatusValue {
    pub error_code: Option<i64>,
    /// The portal's word: `Some(true)` success, `Some(false)` failure or interrupted.
    pub word_success: Option<bool>,
}

impl<'de> Deserialize<'de> for StatusValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{self, MapAccess, Visitor};
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Inner {
            #[serde(rename = "errorCode", alias = "ErrorCode")]
            error_code: Int,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StatusValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a status object or word")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StatusValue, E> {
                let t = v.trim();
                if t.starts_with('{') {
                    let i: Inner = serde_json::from_str(t).map_err(|e| {
                        E::custom(format!("a JSON string that does not hold valid JSON: {e}"))
                    })?;
                    return Ok(StatusValue {
                        error_code: i.error_code.0,
                        word_success: None,
                    });
                }
                Ok(StatusValue {
                    error_code: None,
                    word_success: if values::norm_eq(t, "success") {
                        Some(true)
                    } else if t.is_empty() {
                        None
                    } else {
                        Some(false)
                    },
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<StatusValue, A::Error> {
                let i = Inner::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(StatusValue {
                    error_code: i.error_code.0,
                    word_success: None,
                })
            }
            fn visit_none<E: de::Error>(self) -> Result<StatusValue, E> {
                Ok(StatusValue::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<StatusValue, E> {
                Ok(StatusValue::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// What `authenticationDetails` says about the session's authentication, as facts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuthSteps {
    /// A succeeded step used a second factor during this sign-in.
    pub second_factor: bool,
    /// A succeeded step was satisfied by a claim (the token, a previous sign-in, an external
    /// provider) rather than a method used now.
    pub claim: bool,
    /// The methods of succeeded steps, as a bit set over `AuthMethod::ALL`.
    pub methods: u16,
    /// Steps whose method accord does not know (counted as unmapped).
    pub unknown_methods: u16,
}

impl AuthSteps {
    pub fn methods(&self) -> impl Iterator<Item = AuthMethod> + '_ {
        AuthMethod::ALL
            .into_iter()
            .enumerate()
            .filter(|(i, _)| self.methods & (1 << i) != 0)
            .map(|(_, m)| m)
    }

    /// Records one step.
    pub fn step(&mut self, method: Option<&str>, detail: Option<&str>, succeeded: Option<bool>) {
        if succeeded == Some(false) {
            return;
        }
        let claimed = |t: &str| {
            let normed = values::Normed::new(t);
            let n = normed.as_str();
            n.contains("claim")
                || n.contains("previouslysatisfied")
                || n.contains("satisfiedbytoken")
        };
        if detail.is_some_and(claimed) || method.is_some_and(claimed) {
            self.claim = true;
            return;
        }
        let Some(m) = method.filter(|m| !m.trim().is_empty()) else {
            return;
        };
        match auth_method(m) {
            Some(method) => {
                let i = AuthMethod::ALL
                    .iter()
                    .position(|x| *x == method)
                    .unwrap_or(0);
                self.methods |= 1 << i;
                if is_second_factor(method) {
                    self.second_factor = true;
                }
            }
            None => self.unknown_methods += 1,
        }
    }
}

/// Methods that are a second factor (or a passwordless strong method) on their own.
fn is_second_factor(m: AuthMethod) -> bool {
    !matches!(
        m,
        AuthMethod::Password | AuthMethod::EmailOtp | AuthMethod::CertificateSingleFactor
    )
}

/// A logged method name as accord's method. The names are the portal's and Graph's
/// (`authenticationDetail.authenticationMethod`: "Password", "SMS", "Voice", "Authenticator
/// App", "Software OATH token", ...; the portal writes "Text message", "Mobile app
/// notification", ...).
pub fn auth_method(text: &str) -> Option<AuthMethod> {
    let normed = values::Normed::new(text);
    let n = normed.as_str();
    let has = |p: &str| n.contains(p);
    Some(
        if n == "password" || has("passwordhash") || has("passthrough") {
            AuthMethod::Password
        } else if has("passwordless") || has("phonesignin") {
            AuthMethod::AuthenticatorPasswordless
        } else if has("fido") || has("passkey") || has("securitykey") {
            AuthMethod::Fido2
        } else if has("windowshello") {
            AuthMethod::WindowsHello
        } else if has("temporaryaccesspass") {
            AuthMethod::TemporaryAccessPass
        } else if has("hardwareoath") {
            AuthMethod::OathHardware
        } else if has("oath") || has("verificationcode") {
            AuthMethod::OathSoftware
        } else if has("sms") || has("textmessage") {
            AuthMethod::Sms
        } else if has("voice") || has("phonecall") {
            AuthMethod::Voice
        } else if has("authenticatorapp") || has("notification") || has("push") {
            AuthMethod::AuthenticatorPush
        } else if has("emailotp") || has("onetimepasscode") || has("emailcode") {
            AuthMethod::EmailOtp
        } else if has("certificate") || has("x509") {
            // Single- or multi-factor depends on the tenant's certificate binding, which the log
            // does not say: the weaker reading (fail closed).
            AuthMethod::CertificateSingleFactor
        } else if has("federated") {
            AuthMethod::FederatedMultiFactor
        } else {
            return None;
        },
    )
}

impl<'de> Deserialize<'de> for AuthSteps {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Default)]
        struct Step<'a> {
            method: Option<Text<'a>>,
            detail: Option<Text<'a>>,
            succeeded: Flag,
        }
        byte_keyed!(Step<'a> {
            method: [b"authenticationMethod", b"AuthenticationMethod"],
            detail: [b"authenticationStepResultDetail", b"AuthenticationStepResultDetail"],
            succeeded: [b"succeeded", b"Succeeded"],
        });
        let steps: Vec<Step<'_>> = Vec::deserialize(d)?;
        let mut facts = AuthSteps::default();
        for s in &steps {
            facts.step(
                s.method.as_ref().map(Text::as_str),
                s.detail.as_ref().map(Text::as_str),
                s.succeeded.0,
            );
        }
        Ok(facts)
    }
}

/// `mfaDetail` (deprecated, still written): a method means MFA was performed.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct MfaDetail {
    #[serde(rename = "authMethod", alias = "AuthMethod")]
    pub method: Option<String>,
    #[serde(rename = "authDetail", alias = "AuthDetail")]
    pub detail: Option<String>,
}

/// `managedServiceIdentity` (beta): `msiType` other than `none` marks a managed identity.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct ManagedIdentity {
    #[serde(rename = "msiType", alias = "MsiType")]
    pub msi_type: Option<String>,
}

/// One `appliedConditionalAccessPolicy`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AppliedPolicy<'a> {
    pub name: Option<Text<'a>>,
    pub result: Classified<LoggedResult>,
}

byte_keyed!(AppliedPolicy<'a> {
    name: [b"displayName", b"DisplayName"],
    result: [b"result", b"Result"],
});

/// `appliedConditionalAccessPolicies`: a list, or a JSON string of one (Log Analytics).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AppliedPolicies<'a>(pub Vec<AppliedPolicy<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for AppliedPolicies<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{self, SeqAccess, Visitor};
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = AppliedPolicies<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of applied policies")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(p) = seq.next_element::<AppliedPolicy<'a>>()? {
                    out.push(p);
                }
                Ok(AppliedPolicies(out))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                let t = v.trim();
                if t.is_empty() || t == "null" {
                    return Ok(AppliedPolicies::default());
                }
                let list: Vec<AppliedPolicy<'_>> = serde_json::from_str(t).map_err(|e| {
                    E::custom(format!("a JSON string that does not hold valid JSON: {e}"))
                })?;
                Ok(AppliedPolicies(
                    list.into_iter()
                        .map(|p| AppliedPolicy {
                            name: p.name.map(Text::into_owned),
                            result: p.result,
                        })
                        .collect(),
                ))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(AppliedPolicies::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(AppliedPolicies::default())
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// `signInEventTypes`, as flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventTypes {
    pub service_principal: bool,
    pub managed_identity: bool,
}

impl<'de> Deserialize<'de> for EventTypes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let list: Nested<Vec<Option<String>>> = Nested::deserialize(d)?;
        let mut e = EventTypes::default();
        for t in list.0.unwrap_or_default().into_iter().flatten() {
            e.service_principal |= values::norm_eq(&t, "serviceprincipal");
            e.managed_identity |= values::norm_eq(&t, "managedidentity");
        }
        Ok(e)
    }
}

impl<'a> SignIn<'a> {
    /// The record with its wrappers unfolded: the diagnostic export's `properties` becomes the
    /// record (its `category` kept), and PowerShell's `AdditionalProperties` fill what the
    /// record leaves unset.
    pub fn unfold(mut self) -> SignIn<'a> {
        if let Some(inner) = self.properties.take() {
            let category = self.category.take().or(self.table.take());
            self = inner.unfold();
            if self.category.is_none() {
                self.category = category;
            }
        }
        if let Some(extra) = self.additional.take() {
            self.fill_from(extra.unfold());
        }
        self
    }

    fn fill_from(&mut self, o: SignIn<'a>) {
        macro_rules! fill_opt {
            ($($f:ident),*) => { $( if self.$f.is_none() { self.$f = o.$f; } )* };
        }
        macro_rules! fill_class {
            ($($f:ident),*) => { $( if self.$f.is_absent() { self.$f = o.$f; } )* };
        }
        fill_opt!(
            id,
            created,
            upn,
            user_id,
            home_tenant,
            resource_tenant,
            app_id,
            app_name,
            resource_id,
            resource_identity,
            resource_name,
            ip,
            service_principal,
            category
        );
        fill_class!(
            user_type,
            access_type,
            client_app,
            requirement,
            sign_in_risk,
            protocol,
            transfer,
            ca_status
        );
        if self.device.0.is_none() {
            self.device = o.device;
        }
        if self.auth_details.0.is_none() {
            self.auth_details = o.auth_details;
        }
        if self.mfa_detail.0.is_none() {
            self.mfa_detail = o.mfa_detail;
        }
        if self.location.0.is_absent() {
            self.location = o.location;
        }
        if self.applied.0.is_empty() {
            self.applied = o.applied;
        }
        if self.event_types == EventTypes::default() {
            self.event_types = o.event_types;
        }
        if self.msi.0.is_none() {
            self.msi = o.msi;
        }
        if self.status == StatusValue::default() {
            self.status = o.status;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_camel_case_and_powershell_pascal_case_read_alike() {
        let camel: SignIn = serde_json::from_str(
            r#"{"userPrincipalName":"a@contoso.com","clientAppUsed":"Browser",
                "deviceDetail":{"operatingSystem":"Windows 10","isCompliant":true,"trustType":"Azure AD joined"},
                "location":{"countryOrRegion":"US"},"status":{"errorCode":0},
                "appliedConditionalAccessPolicies":[{"displayName":"P","result":"reportOnlyInterrupted"}]}"#,
        )
        .unwrap();
        let pascal: SignIn = serde_json::from_str(
            r#"{"UserPrincipalName":"a@contoso.com","ClientAppUsed":"Browser",
                "DeviceDetail":{"OperatingSystem":"Windows 10","IsCompliant":true,"TrustType":"Azure AD joined"},
                "Location":{"CountryOrRegion":"US"},"Status":{"ErrorCode":0},
                "AppliedConditionalAccessPolicies":[{"DisplayName":"P","Result":"reportOnlyInterrupted"}]}"#,
        )
        .unwrap();
        for s in [&camel, &pascal] {
            assert_eq!(s.upn.as_ref().map(Text::as_str), Some("a@contoso.com"));
            assert_eq!(s.client_app, Classified::Known(ClientApp::Browser));
            let d = s.device.0.as_ref().unwrap();
            assert_eq!(d.os, Classified::Known(Platform::Windows));
            assert_eq!(d.compliant, Flag(Some(true)));
            assert_eq!(d.trust, Classified::Known(TrustType::Joined));
            assert_eq!(
                s.location.0,
                Classified::Known(Country::parse("US").unwrap())
            );
            assert_eq!(s.status.error_code, Some(0));
            assert_eq!(
                s.applied.0[0].result,
                Classified::Known(LoggedResult::ReportOnlyInterrupted)
            );
        }
    }

    #[test]
    fn log_analytics_json_strings_are_read_as_objects() {
        let s: SignIn = serde_json::from_str(
            r#"{"UserPrincipalName":"a@contoso.com","Location":"FR","ResultType":"53003",
                "DeviceDetail":"{\"operatingSystem\":\"Ios\",\"isCompliant\":false}",
                "Status":"{\"errorCode\":53003}",
                "AuthenticationDetails":"[{\"authenticationMethod\":\"Password\",\"succeeded\":true},{\"authenticationMethod\":\"Mobile app notification\",\"succeeded\":true}]",
                "ConditionalAccessPolicies":"[{\"displayName\":\"Block\",\"result\":\"failure\"}]"}"#,
        )
        .unwrap();
        assert_eq!(
            s.location.0,
            Classified::Known(Country::parse("FR").unwrap())
        );
        assert_eq!(s.result_type, Int(Some(53003)));
        assert_eq!(s.status.error_code, Some(53003));
        assert_eq!(s.device.0.unwrap().os, Classified::Known(Platform::Ios));
        let a = s.auth_details.0.unwrap();
        assert!(a.second_factor && !a.claim);
        assert_eq!(
            a.methods().collect::<Vec<_>>(),
            [AuthMethod::Password, AuthMethod::AuthenticatorPush]
        );
        assert_eq!(
            s.applied.0[0].name.as_ref().map(Text::as_str),
            Some("Block")
        );
    }

    #[test]
    fn wrappers_unfold() {
        let s: SignIn = serde_json::from_str(
            r#"{"time":"2024-01-01T00:00:00Z","category":"NonInteractiveUserSignInLogs",
                "properties":{"userPrincipalName":"a@contoso.com","crossTenantAccessType":"none"}}"#,
        )
        .unwrap();
        let s = s.unfold();
        assert_eq!(s.upn.as_ref().map(Text::as_str), Some("a@contoso.com"));
        assert_eq!(
            s.category.as_ref().map(Text::as_str),
            Some("NonInteractiveUserSignInLogs")
        );
        let p: SignIn = serde_json::from_str(
            r#"{"UserPrincipalName":"b@fabrikam.com",
                "AdditionalProperties":{"crossTenantAccessType":"b2bCollaboration","homeTenantId":"x"}}"#,
        )
        .unwrap();
        let p = p.unfold();
        assert_eq!(
            p.access_type,
            Classified::Known(AccessType::B2bCollaboration)
        );
        assert_eq!(p.home_tenant.as_ref().map(Text::as_str), Some("x"));
    }

    #[test]
    fn claims_and_methods_are_told_apart() {
        let mut a = AuthSteps::default();
        a.step(
            Some("Previously satisfied"),
            Some("MFA requirement satisfied by claim in the token"),
            Some(true),
        );
        assert!(a.claim && !a.second_factor);
        let mut b = AuthSteps::default();
        b.step(Some("Text message"), None, Some(false));
        assert!(!b.second_factor, "a failed step proves nothing");
        b.step(Some("FIDO2 security key"), None, Some(true));
        assert!(b.second_factor);
        b.step(Some("Carrier pigeon"), None, Some(true));
        assert_eq!(b.unknown_methods, 1);
    }
}

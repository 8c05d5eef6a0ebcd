//! Reading a [`SignIn`] from any shape: its keys in every spelling the shapes use (Graph
//! camelCase, PowerShell and Log Analytics PascalCase, the portal CSV's column titles), matched
//! by length as raw bytes.

use serde::de::IgnoredAny;
use serde::Deserialize;

use super::fields::Text;
use super::record::SignIn;

/// The fields of [`SignIn`]; keys are matched by length first (a record has dozens of keys and
/// most are not replay's: serde's derived matcher compared each against every name, which cost
/// more than parsing the JSON).
#[derive(Clone, Copy)]
enum F {
    Id,
    Created,
    Upn,
    UserId,
    UserType,
    HomeTenant,
    ResourceTenant,
    AccessType,
    AppId,
    AppName,
    ResourceId,
    ResourceIdentity,
    ResourceName,
    ClientApp,
    Device,
    CsvOs,
    CsvCompliant,
    CsvManaged,
    CsvJoin,
    Ip,
    Location,
    LocationDetails,
    Requirement,
    AuthDetails,
    MfaDetail,
    CsvMfaResult,
    CsvMfaMethod,
    SignInRisk,
    Protocol,
    Transfer,
    Status,
    ResultType,
    CaStatus,
    Applied,
    Interactive,
    EventTypes,
    ServicePrincipal,
    Msi,
    CsvMsiType,
    Table,
    Category,
    AuthContexts,
    Properties,
    Additional,
    Page,
}

/// The field a key names, in any of the shapes' spellings.
fn field(key: &[u8]) -> Option<F> {
    Some(match key.len() {
        2 => match key {
            b"id" => F::Id,
            b"Id" => F::Id,
            _ => return None,
        },
        4 => match key {
            b"Type" => F::Table,
            _ => return None,
        },
        5 => match key {
            b"appId" => F::AppId,
            b"AppId" => F::AppId,
            b"value" => F::Page,
            _ => return None,
        },
        6 => match key {
            b"userId" => F::UserId,
            b"UserId" => F::UserId,
            b"status" => F::Status,
            b"Status" => F::Status,
            _ => return None,
        },
        7 => match key {
            b"User ID" => F::UserId,
            b"Managed" => F::CsvManaged,
            b"records" => F::Page,
            _ => return None,
        },
        8 => match key {
            b"Username" => F::Upn,
            b"userType" => F::UserType,
            b"UserType" => F::UserType,
            b"Resource" => F::ResourceName,
            b"location" => F::Location,
            b"Location" => F::Location,
            b"category" => F::Category,
            b"Category" => F::Category,
            _ => return None,
        },
        9 => match key {
            b"User type" => F::UserType,
            b"Compliant" => F::CsvCompliant,
            b"Join Type" => F::CsvJoin,
            b"ipAddress" => F::Ip,
            b"IpAddress" => F::Ip,
            b"IPAddress" => F::Ip,
            b"mfaDetail" => F::MfaDetail,
            b"MfaDetail" => F::MfaDetail,
            _ => return None,
        },
        10 => match key {
            b"Request ID" => F::Id,
            b"Date (UTC)" => F::Created,
            b"resourceId" => F::ResourceId,
            b"ResourceId" => F::ResourceId,
            b"Client app" => F::ClientApp,
            b"IP address" => F::Ip,
            b"ResultType" => F::ResultType,
            b"properties" => F::Properties,
            _ => return None,
        },
        11 => match key {
            b"Application" => F::AppName,
            b"Resource ID" => F::ResourceId,
            _ => return None,
        },
        12 => match key {
            b"homeTenantId" => F::HomeTenant,
            b"HomeTenantId" => F::HomeTenant,
            b"deviceDetail" => F::Device,
            b"DeviceDetail" => F::Device,
            _ => return None,
        },
        13 => match key {
            b"TimeGenerated" => F::Created,
            b"clientAppUsed" => F::ClientApp,
            b"ClientAppUsed" => F::ClientApp,
            b"isInteractive" => F::Interactive,
            b"IsInteractive" => F::Interactive,
            _ => return None,
        },
        14 => match key {
            b"Home tenant ID" => F::HomeTenant,
            b"Application ID" => F::AppId,
            b"appDisplayName" => F::AppName,
            b"AppDisplayName" => F::AppName,
            _ => return None,
        },
        15 => match key {
            b"createdDateTime" => F::Created,
            b"CreatedDateTime" => F::Created,
            b"locationDetails" => F::LocationDetails,
            b"LocationDetails" => F::LocationDetails,
            _ => return None,
        },
        16 => match key {
            b"resourceTenantId" => F::ResourceTenant,
            b"ResourceTenantId" => F::ResourceTenant,
            b"resourceIdentity" => F::ResourceIdentity,
            b"ResourceIdentity" => F::ResourceIdentity,
            b"Operating System" => F::CsvOs,
            b"signInEventTypes" => F::EventTypes,
            b"SignInEventTypes" => F::EventTypes,
            _ => return None,
        },
        17 => match key {
            b"userPrincipalName" => F::Upn,
            b"UserPrincipalName" => F::Upn,
            _ => return None,
        },
        18 => match key {
            b"Resource tenant ID" => F::ResourceTenant,
            b"Sign-in error code" => F::ResultType,
            b"Conditional Access" => F::CaStatus,
            b"servicePrincipalId" => F::ServicePrincipal,
            b"ServicePrincipalId" => F::ServicePrincipal,
            _ => return None,
        },
        19 => match key {
            b"TimeGenerated [UTC]" => F::Created,
            b"resourceDisplayName" => F::ResourceName,
            b"ResourceDisplayName" => F::ResourceName,
            _ => return None,
        },
        20 => match key {
            b"Service principal ID" => F::ServicePrincipal,
            b"AdditionalProperties" => F::Additional,
            _ => return None,
        },
        21 => match key {
            b"crossTenantAccessType" => F::AccessType,
            b"CrossTenantAccessType" => F::AccessType,
            b"authenticationDetails" => F::AuthDetails,
            b"AuthenticationDetails" => F::AuthDetails,
            b"riskLevelDuringSignIn" => F::SignInRisk,
            b"RiskLevelDuringSignIn" => F::SignInRisk,
            b"Managed Identity type" => F::CsvMsiType,
            _ => return None,
        },
        22 => match key {
            b"authenticationProtocol" => F::Protocol,
            b"AuthenticationProtocol" => F::Protocol,
            b"originalTransferMethod" => F::Transfer,
            b"OriginalTransferMethod" => F::Transfer,
            b"managedServiceIdentity" => F::Msi,
            b"ManagedServiceIdentity" => F::Msi,
            _ => return None,
        },
        23 => match key {
            b"Authentication Protocol" => F::Protocol,
            b"conditionalAccessStatus" => F::CaStatus,
            b"ConditionalAccessStatus" => F::CaStatus,
            _ => return None,
        },
        24 => match key {
            b"Cross tenant access type" => F::AccessType,
            b"Original transfer method" => F::Transfer,
            _ => return None,
        },
        25 => match key {
            b"authenticationRequirement" => F::Requirement,
            b"AuthenticationRequirement" => F::Requirement,
            b"ConditionalAccessPolicies" => F::Applied,
            _ => return None,
        },
        26 => match key {
            b"Authentication requirement" => F::Requirement,
            _ => return None,
        },
        27 => match key {
            b"Risk level (during sign-in)" => F::SignInRisk,
            _ => return None,
        },
        32 => match key {
            b"appliedConditionalAccessPolicies" => F::Applied,
            b"AppliedConditionalAccessPolicies" => F::Applied,
            _ => return None,
        },
        33 => match key {
            b"Multifactor authentication result" => F::CsvMfaResult,
            _ => return None,
        },
        36 => match key {
            b"authenticationContextClassReferences" => F::AuthContexts,
            b"AuthenticationContextClassReferences" => F::AuthContexts,
            _ => return None,
        },
        38 => match key {
            b"Multifactor authentication auth method" => F::CsvMfaMethod,
            _ => return None,
        },
        _ => return None,
    })
}

/// A key, read as raw bytes where the deserializer can (serde_json then skips validating every
/// key as UTF-8: most keys are not replay's), and looked up at once.
struct Key(Option<F>);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a property name")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Key, E> {
                Ok(Key(field(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key(field(v.as_bytes())))
            }
        }
        d.deserialize_bytes(V)
    }
}

fn non_empty(t: Option<Text<'_>>) -> Option<Text<'_>> {
    t.filter(|t| !t.0.trim().is_empty())
}

impl<'de: 'a, 'a> Deserialize<'de> for SignIn<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{MapAccess, Visitor};
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = SignIn<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a sign-in record (a JSON object)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SignIn<'a>, A::Error> {
                let mut s = SignIn::default();
                while let Some(key) = map.next_key::<Key>()? {
                    match key.0 {
                        Some(F::Id) => s.id = non_empty(map.next_value()?),
                        Some(F::Created) => s.created = non_empty(map.next_value()?),
                        Some(F::Upn) => s.upn = non_empty(map.next_value()?),
                        Some(F::UserId) => s.user_id = non_empty(map.next_value()?),
                        Some(F::UserType) => s.user_type = map.next_value()?,
                        Some(F::HomeTenant) => s.home_tenant = non_empty(map.next_value()?),
                        Some(F::ResourceTenant) => s.resource_tenant = non_empty(map.next_value()?),
                        Some(F::AccessType) => s.access_type = map.next_value()?,
                        Some(F::AppId) => s.app_id = non_empty(map.next_value()?),
                        Some(F::AppName) => s.app_name = non_empty(map.next_value()?),
                        Some(F::ResourceId) => s.resource_id = non_empty(map.next_value()?),
                        Some(F::ResourceIdentity) => {
                            s.resource_identity = non_empty(map.next_value()?)
                        }
                        Some(F::ResourceName) => s.resource_name = non_empty(map.next_value()?),
                        Some(F::ClientApp) => s.client_app = map.next_value()?,
                        Some(F::Device) => s.device = map.next_value()?,
                        Some(F::CsvOs) => s.csv_os = map.next_value()?,
                        Some(F::CsvCompliant) => s.csv_compliant = map.next_value()?,
                        Some(F::CsvManaged) => s.csv_managed = map.next_value()?,
                        Some(F::CsvJoin) => s.csv_join = map.next_value()?,
                        Some(F::Ip) => s.ip = non_empty(map.next_value()?),
                        Some(F::Location) => s.location = map.next_value()?,
                        Some(F::LocationDetails) => s.location_details = map.next_value()?,
                        Some(F::Requirement) => s.requirement = map.next_value()?,
                        Some(F::AuthDetails) => s.auth_details = map.next_value()?,
                        Some(F::MfaDetail) => s.mfa_detail = map.next_value()?,
                        Some(F::CsvMfaResult) => s.csv_mfa_result = non_empty(map.next_value()?),
                        Some(F::CsvMfaMethod) => s.csv_mfa_method = non_empty(map.next_value()?),
                        Some(F::SignInRisk) => s.sign_in_risk = map.next_value()?,
                        Some(F::Protocol) => s.protocol = map.next_value()?,
                        Some(F::Transfer) => s.transfer = map.next_value()?,
                        Some(F::Status) => s.status = map.next_value()?,
                        Some(F::ResultType) => s.result_type = map.next_value()?,
                        Some(F::CaStatus) => s.ca_status = map.next_value()?,
                        Some(F::Applied) => s.applied = map.next_value()?,
                        Some(F::Interactive) => s.interactive = map.next_value()?,
                        Some(F::EventTypes) => s.event_types = map.next_value()?,
                        Some(F::ServicePrincipal) => {
                            s.service_principal = non_empty(map.next_value()?)
                        }
                        Some(F::Msi) => s.msi = map.next_value()?,
                        Some(F::CsvMsiType) => s.csv_msi_type = non_empty(map.next_value()?),
                        Some(F::Table) => s.table = non_empty(map.next_value()?),
                        Some(F::Category) => s.category = non_empty(map.next_value()?),
                        Some(F::AuthContexts) => s.auth_contexts = map.next_value()?,
                        Some(F::Properties) => s.properties = map.next_value()?,
                        Some(F::Additional) => s.additional = map.next_value()?,
                        Some(F::Page) => {
                            map.next_value::<IgnoredAny>()?;
                            s.page = Some(IgnoredAny);
                        }
                        None => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(s)
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

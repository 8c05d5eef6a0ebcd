//! Authentication strengths: the method modes a strength's combinations are made of, the
//! built-in strengths' combinations as Graph lists them, custom strengths declared in a pack,
//! and the rule that decides whether a session's methods meet a strength, wherever they were
//! performed.
//!
//! Sources: "Conditional Access authentication strength" (Microsoft Learn,
//! https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths),
//! Graph's `authenticationMethodModes` and "List authenticationStrengthPolicies" (v1.0,
//! https://learn.microsoft.com/graph/api/authenticationstrengthroot-list-policies), and "How
//! Conditional Access authentication strength works for external users"
//! (https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strength-external-users),
//! summarised in `../shared/reference/entra-semantics.md` §1.13 and §4.4.

use std::fmt;

use serde::Serialize;

use super::catalog::AuthMethod;
use super::{Extension, Name, Spanned};
use crate::source::Span;

/// One of Graph's `authenticationMethodModes`: the building block of an allowed combination
/// (`"password,sms"` is the two modes `password` and `sms`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AuthMode {
    Password,
    Voice,
    HardwareOath,
    SoftwareOath,
    Sms,
    Fido2,
    WindowsHelloForBusiness,
    MicrosoftAuthenticatorPush,
    DeviceBasedPush,
    TemporaryAccessPassOneTime,
    TemporaryAccessPassMultiUse,
    Email,
    X509CertificateSingleFactor,
    X509CertificateMultiFactor,
    FederatedSingleFactor,
    FederatedMultiFactor,
    QrCodePin,
}

impl AuthMode {
    pub const ALL: [AuthMode; 17] = [
        AuthMode::Password,
        AuthMode::Voice,
        AuthMode::HardwareOath,
        AuthMode::SoftwareOath,
        AuthMode::Sms,
        AuthMode::Fido2,
        AuthMode::WindowsHelloForBusiness,
        AuthMode::MicrosoftAuthenticatorPush,
        AuthMode::DeviceBasedPush,
        AuthMode::TemporaryAccessPassOneTime,
        AuthMode::TemporaryAccessPassMultiUse,
        AuthMode::Email,
        AuthMode::X509CertificateSingleFactor,
        AuthMode::X509CertificateMultiFactor,
        AuthMode::FederatedSingleFactor,
        AuthMode::FederatedMultiFactor,
        AuthMode::QrCodePin,
    ];

    /// The policy language's spelling: the request's method name where one method is the mode.
    pub const fn name(self) -> &'static str {
        match self {
            AuthMode::Password => "password",
            AuthMode::Voice => "voice",
            AuthMode::HardwareOath => "oath_hardware",
            AuthMode::SoftwareOath => "oath_software",
            AuthMode::Sms => "sms",
            AuthMode::Fido2 => "fido2",
            AuthMode::WindowsHelloForBusiness => "windows_hello",
            AuthMode::MicrosoftAuthenticatorPush => "authenticator_push",
            AuthMode::DeviceBasedPush => "authenticator_passwordless",
            AuthMode::TemporaryAccessPassOneTime => "temporary_access_pass_one_time",
            AuthMode::TemporaryAccessPassMultiUse => "temporary_access_pass_multi_use",
            AuthMode::Email => "email_otp",
            AuthMode::X509CertificateSingleFactor => "certificate_single_factor",
            AuthMode::X509CertificateMultiFactor => "certificate_multi_factor",
            AuthMode::FederatedSingleFactor => "federated_single_factor",
            AuthMode::FederatedMultiFactor => "federated_multi_factor",
            AuthMode::QrCodePin => "qr_code_pin",
        }
    }

    /// Graph's spelling (`authenticationMethodModes`).
    pub const fn graph(self) -> &'static str {
        match self {
            AuthMode::Password => "password",
            AuthMode::Voice => "voice",
            AuthMode::HardwareOath => "hardwareOath",
            AuthMode::SoftwareOath => "softwareOath",
            AuthMode::Sms => "sms",
            AuthMode::Fido2 => "fido2",
            AuthMode::WindowsHelloForBusiness => "windowsHelloForBusiness",
            AuthMode::MicrosoftAuthenticatorPush => "microsoftAuthenticatorPush",
            AuthMode::DeviceBasedPush => "deviceBasedPush",
            AuthMode::TemporaryAccessPassOneTime => "temporaryAccessPassOneTime",
            AuthMode::TemporaryAccessPassMultiUse => "temporaryAccessPassMultiUse",
            AuthMode::Email => "email",
            AuthMode::X509CertificateSingleFactor => "x509CertificateSingleFactor",
            AuthMode::X509CertificateMultiFactor => "x509CertificateMultiFactor",
            AuthMode::FederatedSingleFactor => "federatedSingleFactor",
            AuthMode::FederatedMultiFactor => "federatedMultiFactor",
            AuthMode::QrCodePin => "qrCodePin",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }

    /// Graph's names are camelCase; the comparison ignores case as Graph's own filters do.
    pub fn from_graph(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|m| m.graph().eq_ignore_ascii_case(text.trim()))
    }

    /// The request method (`auth.methods`) that performs this mode. A request has no way to say
    /// "federated single factor" or "QR code + PIN", so those modes are never performed (a
    /// combination that needs one is never met: fail closed). Both kinds of Temporary Access Pass
    /// are the request's `temporary_access_pass`.
    pub const fn method(self) -> Option<AuthMethod> {
        Some(match self {
            AuthMode::Password => AuthMethod::Password,
            AuthMode::Voice => AuthMethod::Voice,
            AuthMode::HardwareOath => AuthMethod::OathHardware,
            AuthMode::SoftwareOath => AuthMethod::OathSoftware,
            AuthMode::Sms => AuthMethod::Sms,
            AuthMode::Fido2 => AuthMethod::Fido2,
            AuthMode::WindowsHelloForBusiness => AuthMethod::WindowsHello,
            AuthMode::MicrosoftAuthenticatorPush => AuthMethod::AuthenticatorPush,
            AuthMode::DeviceBasedPush => AuthMethod::AuthenticatorPasswordless,
            AuthMode::TemporaryAccessPassOneTime | AuthMode::TemporaryAccessPassMultiUse => {
                AuthMethod::TemporaryAccessPass
            }
            AuthMode::Email => AuthMethod::EmailOtp,
            AuthMode::X509CertificateSingleFactor => AuthMethod::CertificateSingleFactor,
            AuthMode::X509CertificateMultiFactor => AuthMethod::CertificateMultiFactor,
            AuthMode::FederatedMultiFactor => AuthMethod::FederatedMultiFactor,
            AuthMode::FederatedSingleFactor | AuthMode::QrCodePin => return None,
        })
    }
}

impl fmt::Display for AuthMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for AuthMode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// Every mode name, for "did you mean" suggestions.
pub fn mode_names() -> impl Iterator<Item = &'static str> {
    AuthMode::ALL.into_iter().map(AuthMode::name)
}

/// Where the methods that could meet a strength were performed, which decides the methods that
/// count (external users, "How Conditional Access authentication strength works for external
/// users", table "Home tenant" / "Resource tenant"; entra-semantics.md §4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MethodsAt {
    /// The resource tenant's own users: every method counts.
    Anywhere,
    /// An external user's home tenant, claims accepted through inbound MFA trust: SMS, voice,
    /// Authenticator push and phone sign-in, software and hardware OATH, FIDO2, Windows Hello
    /// for Business and certificate-based authentication.
    Home,
    /// The resource tenant, for an external user: SMS, voice, Authenticator push and software
    /// OATH only. The password stays the first factor the home tenant checked.
    Resource,
}

impl MethodsAt {
    /// Whether a method performed here counts toward a strength.
    pub const fn accepts(self, method: AuthMethod) -> bool {
        use AuthMethod as M;
        match self {
            MethodsAt::Anywhere => true,
            MethodsAt::Home => matches!(
                method,
                M::Password
                    | M::Sms
                    | M::Voice
                    | M::AuthenticatorPush
                    | M::AuthenticatorPasswordless
                    | M::OathSoftware
                    | M::OathHardware
                    | M::Fido2
                    | M::WindowsHello
                    | M::CertificateMultiFactor
                    | M::CertificateSingleFactor
            ),
            MethodsAt::Resource => matches!(
                method,
                M::Password | M::Sms | M::Voice | M::AuthenticatorPush | M::OathSoftware
            ),
        }
    }

    /// Whether a mode can be performed here at all.
    pub fn offers(self, mode: AuthMode) -> bool {
        mode.method().is_some_and(|m| self.accepts(m))
    }

    pub const ALL: [MethodsAt; 3] = [MethodsAt::Anywhere, MethodsAt::Home, MethodsAt::Resource];
}

/// Whether the session's methods perform every mode of a combination, counting only the methods
/// accepted where they were performed. Allocation-free: the decision path calls it.
pub fn combination_met(combination: &[AuthMode], methods: &[AuthMethod], at: MethodsAt) -> bool {
    !combination.is_empty()
        && combination.iter().all(|mode| {
            mode.method()
                .is_some_and(|m| at.accepts(m) && methods.contains(&m))
        })
}

/// Whether a combination could be performed at all where the user is prompted.
pub fn combination_possible(combination: &[AuthMode], at: MethodsAt) -> bool {
    !combination.is_empty() && combination.iter().all(|mode| at.offers(*mode))
}

/// A strength's allowed combinations, built-in (static tables) or declared in a pack.
#[derive(Debug, Clone, Copy)]
pub enum Combinations<'a> {
    BuiltIn(&'static [&'static [AuthMode]]),
    Declared(&'a [Combination]),
}

impl<'a> Combinations<'a> {
    pub fn len(&self) -> usize {
        match self {
            Combinations::BuiltIn(c) => c.len(),
            Combinations::Declared(c) => c.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> Option<&'a [AuthMode]> {
        match self {
            Combinations::BuiltIn(c) => c.get(i).copied(),
            Combinations::Declared(c) => c.get(i).map(|c| c.modes.as_slice()),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a [AuthMode]> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// The first combination the methods meet where they were performed.
    pub fn met_by(&self, methods: &[AuthMethod], at: MethodsAt) -> Option<&'a [AuthMode]> {
        self.iter().find(|c| combination_met(c, methods, at))
    }

    /// Whether some combination can be performed where the user would be prompted.
    pub fn possible_at(&self, at: MethodsAt) -> bool {
        self.iter().any(|c| combination_possible(c, at))
    }
}

/// Displays a combination as the language writes it: `password + sms`.
pub struct CombinationText<'a>(pub &'a [AuthMode]);

impl fmt::Display for CombinationText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, m) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" + ")?;
            }
            f.write_str(m.name())?;
        }
        Ok(())
    }
}

/// One allowed combination of a declared strength: `allow password + sms`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Combination {
    pub modes: Vec<AuthMode>,
    #[serde(skip)]
    pub span: Span,
}

/// A custom authentication strength (`authenticationStrengthPolicy` with `policyType`
/// `custom`): `auth_strength "Partner passkeys" { id = "..."  allow fido2 }`. Policies require
/// it with `grant auth_strength "Partner passkeys"` (its name or its id).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrengthDef {
    pub name: Name,
    /// The Graph id, when the strength exists in a tenant (import keeps it, export writes it).
    pub id: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    pub combinations: Vec<Combination>,
    pub extensions: Vec<Extension>,
    #[serde(skip)]
    pub span: Span,
}

impl StrengthDef {
    /// Whether a policy's `auth_strength "<reference>"` names this strength.
    pub fn is_named(&self, reference: &str) -> bool {
        self.name.value == reference
            || self
                .id
                .as_ref()
                .is_some_and(|id| id.value.eq_ignore_ascii_case(reference))
    }

    pub fn combinations(&self) -> Combinations<'_> {
        Combinations::Declared(&self.combinations)
    }
}

// Graph's "List authenticationStrengthPolicies" (v1.0) lists the built-in strengths'
// `allowedCombinations`; these are the lists of its second example. The first example also lists
// `password,x509CertificateSingleFactor` for MFA, which the concept article's table does not:
// failing closed, it does not count (and `password,x509CertificateMultiFactor` adds nothing to
// `x509CertificateMultiFactor`).
pub(crate) const MFA: &[&[AuthMode]] = {
    use AuthMode::*;
    &[
        &[WindowsHelloForBusiness],
        &[Fido2],
        &[X509CertificateMultiFactor],
        &[DeviceBasedPush],
        &[TemporaryAccessPassOneTime],
        &[TemporaryAccessPassMultiUse],
        &[Password, MicrosoftAuthenticatorPush],
        &[Password, SoftwareOath],
        &[Password, HardwareOath],
        &[Password, Sms],
        &[Password, Voice],
        &[FederatedMultiFactor],
        &[MicrosoftAuthenticatorPush, FederatedSingleFactor],
        &[SoftwareOath, FederatedSingleFactor],
        &[HardwareOath, FederatedSingleFactor],
        &[Sms, FederatedSingleFactor],
        &[Voice, FederatedSingleFactor],
    ]
};

pub(crate) const PASSWORDLESS: &[&[AuthMode]] = {
    use AuthMode::*;
    &[
        &[WindowsHelloForBusiness],
        &[Fido2],
        &[X509CertificateMultiFactor],
        &[DeviceBasedPush],
    ]
};

pub(crate) const PHISHING_RESISTANT: &[&[AuthMode]] = {
    use AuthMode::*;
    &[
        &[WindowsHelloForBusiness],
        &[Fido2],
        &[X509CertificateMultiFactor],
    ]
};

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn modes_round_trip_both_spellings() {
        let mut names = HashSet::new();
        for m in AuthMode::ALL {
            assert!(names.insert(m.name()));
            assert_eq!(AuthMode::from_name(m.name()), Some(m));
            assert_eq!(AuthMode::from_graph(m.graph()), Some(m));
        }
        assert_eq!(
            AuthMode::from_graph("WINDOWSHELLOFORBUSINESS"),
            Some(AuthMode::WindowsHelloForBusiness)
        );
        assert_eq!(AuthMode::from_graph("passkey"), None);
        // Where a mode is one request method, the names agree, so one vocabulary serves both.
        for m in AuthMode::ALL {
            if let Some(method) = m.method() {
                if !matches!(
                    m,
                    AuthMode::TemporaryAccessPassOneTime | AuthMode::TemporaryAccessPassMultiUse
                ) {
                    assert_eq!(m.name(), method.name());
                }
            }
        }
    }

    #[test]
    fn external_method_sets_follow_the_documented_table() {
        use AuthMethod::*;
        // Resource tenant column: SMS, voice, push, software OATH (password: the first factor).
        let resource: Vec<AuthMethod> = AuthMethod::ALL
            .into_iter()
            .filter(|m| MethodsAt::Resource.accepts(*m))
            .collect();
        assert_eq!(
            resource,
            vec![Password, Sms, Voice, AuthenticatorPush, OathSoftware]
        );
        for m in [
            AuthenticatorPasswordless,
            OathHardware,
            Fido2,
            WindowsHello,
            CertificateMultiFactor,
        ] {
            assert!(
                MethodsAt::Home.accepts(m) && !MethodsAt::Resource.accepts(m),
                "{m}"
            );
        }
        for m in [TemporaryAccessPass, EmailOtp, FederatedMultiFactor] {
            assert!(
                !MethodsAt::Home.accepts(m) && !MethodsAt::Resource.accepts(m),
                "{m}"
            );
        }
        assert!(AuthMethod::ALL
            .iter()
            .all(|m| MethodsAt::Anywhere.accepts(*m)));
    }

    #[test]
    fn combinations_need_every_mode_performed_where_it_counts() {
        let c = [AuthMode::Password, AuthMode::Sms];
        let m = [AuthMethod::Sms, AuthMethod::Password];
        assert!(combination_met(&c, &m, MethodsAt::Anywhere));
        assert!(combination_met(&c, &m, MethodsAt::Resource));
        assert!(!combination_met(
            &c,
            &[AuthMethod::Sms],
            MethodsAt::Anywhere
        ));
        assert!(!combination_met(&[], &m, MethodsAt::Anywhere));
        let fido = [AuthMode::Fido2];
        assert!(combination_met(
            &fido,
            &[AuthMethod::Fido2],
            MethodsAt::Home
        ));
        assert!(!combination_met(
            &fido,
            &[AuthMethod::Fido2],
            MethodsAt::Resource
        ));
        assert!(!combination_possible(&fido, MethodsAt::Resource));
        // Modes a request cannot state are never met, anywhere.
        let fed = [AuthMode::Sms, AuthMode::FederatedSingleFactor];
        assert!(!combination_met(
            &fed,
            &AuthMethod::ALL,
            MethodsAt::Anywhere
        ));
        assert!(Combinations::BuiltIn(MFA).possible_at(MethodsAt::Resource));
        assert!(!Combinations::BuiltIn(PASSWORDLESS).possible_at(MethodsAt::Resource));
        assert!(!Combinations::BuiltIn(PHISHING_RESISTANT).possible_at(MethodsAt::Resource));
        assert!(Combinations::BuiltIn(PHISHING_RESISTANT).possible_at(MethodsAt::Home));
        assert_eq!(CombinationText(&c).to_string(), "password + sms");
    }
}

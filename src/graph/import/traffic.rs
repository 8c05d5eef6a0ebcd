//! Global Secure Access traffic profiles in a policy's applications.
//!
//! Graph beta first targeted them with `conditions/applications/networkAccess` and
//! `.../globalSecureAccess` (`{"includeTrafficProfiles": "m365"}`); both are deprecated for
//! three first-party apps, and the platform rewrote remaining policies to those apps ("Planned
//! change to Conditional Access target resources assignment", Microsoft Learn,
//! https://learn.microsoft.com/entra/identity/conditional-access/reference-resources-change).
//! accord reads the old form as the apps the platform migrated it to, so a policy names
//! `microsoft_traffic`, `internet_access` or `private_access` whichever form it came in, and
//! export writes the app ids.

use serde_json::{Map, Value};

use super::{Ctx, Importer, Why};
use crate::model::catalog::FirstPartyApp;
use crate::model::AppTarget;

/// The deprecated properties that carried traffic profiles.
pub(crate) const LEGACY: [&str; 2] = ["networkAccess", "globalSecureAccess"];

/// The apps one legacy object includes, or `None` when any part of it is not a traffic profile
/// accord knows (then it stays an extension, which fails closed: every application).
pub(crate) fn legacy_apps(value: &Value) -> Option<Vec<FirstPartyApp>> {
    let object = value.as_object()?;
    let mut apps = Vec::new();
    for (key, v) in object {
        if super::is_noise(key, v) {
            continue;
        }
        if key != "includeTrafficProfiles" {
            return None;
        }
        let items: Vec<&str> = match v {
            Value::String(s) => s.split(',').collect(),
            Value::Array(a) => a.iter().map(Value::as_str).collect::<Option<_>>()?,
            _ => return None,
        };
        for item in items {
            apps.push(FirstPartyApp::from_traffic_profile(item)?);
        }
    }
    Some(apps)
}

impl Importer<'_> {
    /// Takes the legacy traffic profile properties out of `extra` (the applications' unmodelled
    /// members) and returns the apps they include; what cannot be read stays an extension.
    pub(super) fn legacy_traffic_profiles(
        &mut self,
        cx: &mut Ctx<'_>,
        base: &str,
        extra: &mut Map<String, Value>,
    ) -> Vec<AppTarget> {
        let mut out: Vec<AppTarget> = Vec::new();
        for key in LEGACY {
            let Some(value) = extra.remove(key) else {
                continue;
            };
            if super::is_noise(key, &value) {
                continue;
            }
            match legacy_apps(&value) {
                Some(apps) => {
                    for app in apps {
                        let target = AppTarget::Named(app);
                        if !out.contains(&target) {
                            out.push(target);
                        }
                    }
                }
                None => self.extension(cx, &format!("{base}/{key}"), &value, Why::Unexpected),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_profiles_read_as_the_apps_they_migrated_to() {
        let read = |s: &str| legacy_apps(&serde_json::from_str(s).unwrap());
        assert_eq!(
            read(r#"{"includeTrafficProfiles":"m365"}"#),
            Some(vec![FirstPartyApp::MicrosoftTraffic])
        );
        assert_eq!(
            read(r#"{"includeTrafficProfiles":"internet, private"}"#),
            Some(vec![
                FirstPartyApp::InternetAccess,
                FirstPartyApp::PrivateAccess
            ])
        );
        assert_eq!(
            read(r#"{"includeTrafficProfiles":["internet"],"@odata.type":"x"}"#),
            Some(vec![FirstPartyApp::InternetAccess])
        );
        // Anything else stays an extension (fail closed).
        assert_eq!(read(r#"{"includeTrafficProfiles":"teams"}"#), None);
        assert_eq!(read(r#"{"excludeTrafficProfiles":"m365"}"#), None);
        assert_eq!(read(r#""m365""#), None);
    }
}

//! Whether a device matches a device-filter rule.
//!
//! Platform facts (`../shared/reference/entra-semantics.md` §1.11):
//! - An unregistered device has every property null, and so has a registered device for a property
//!   it does not carry (extension attributes, for instance, are only there for Intune-managed,
//!   compliant or hybrid-joined devices). A positive operator (`-eq`, `-startsWith`, `-endsWith`,
//!   `-contains`, `-in`) never matches null; a negative one (`-ne`, `-not...`) always does. So each
//!   negative operator is computed as the complement of its positive one.
//! - `-contains` is a substring test on a string property but a whole-element test on a collection
//!   (`physicalIds`, `systemLabels`).
//!
//! String comparisons ignore case. §1.11 does not say; the platform's rule syntax is the dynamic
//! membership syntax, whose documentation states that string operations are not case sensitive, and
//! the enumerated values (`AzureAD`, `Company`...) are accepted in any case by validation, so a rule
//! validated here must not then fail on case alone (UNVERIFIED against the live service).

use serde::Deserialize;

use crate::model::device_filter::{
    Comparison, DeviceFilter, DeviceProperty, FilterOp, FilterValue,
};

/// What is known about the device of a sign-in, as a scenario or request states it.
///
/// Every field is optional: a missing one is null to the filter, exactly like the same property on
/// an unregistered device.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeviceAttributes {
    pub device_id: Option<String>,
    pub mdm_app_id: Option<String>,
    pub display_name: Option<String>,
    pub enrollment_profile_name: Option<String>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub operating_system: Option<String>,
    pub operating_system_version: Option<String>,
    pub extension_attribute1: Option<String>,
    pub extension_attribute2: Option<String>,
    pub extension_attribute3: Option<String>,
    pub extension_attribute4: Option<String>,
    pub extension_attribute5: Option<String>,
    pub extension_attribute6: Option<String>,
    pub extension_attribute7: Option<String>,
    pub extension_attribute8: Option<String>,
    pub extension_attribute9: Option<String>,
    pub extension_attribute10: Option<String>,
    pub extension_attribute11: Option<String>,
    pub extension_attribute12: Option<String>,
    pub extension_attribute13: Option<String>,
    pub extension_attribute14: Option<String>,
    pub extension_attribute15: Option<String>,
    pub device_ownership: Option<String>,
    pub is_compliant: Option<bool>,
    pub profile_type: Option<String>,
    pub trust_type: Option<String>,
    pub physical_ids: Option<Vec<String>>,
    pub system_labels: Option<Vec<String>>,
}

/// A property's value on one device, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attribute<'a> {
    Null,
    Text(&'a str),
    Bool(bool),
    Collection(&'a [String]),
}

impl DeviceAttributes {
    /// Forgets `extensionAttribute1..15` (what the resource tenant cannot see of an unmanaged
    /// device).
    pub fn clear_extension_attributes(&mut self) {
        for a in [
            &mut self.extension_attribute1,
            &mut self.extension_attribute2,
            &mut self.extension_attribute3,
            &mut self.extension_attribute4,
            &mut self.extension_attribute5,
            &mut self.extension_attribute6,
            &mut self.extension_attribute7,
            &mut self.extension_attribute8,
            &mut self.extension_attribute9,
            &mut self.extension_attribute10,
            &mut self.extension_attribute11,
            &mut self.extension_attribute12,
            &mut self.extension_attribute13,
            &mut self.extension_attribute14,
            &mut self.extension_attribute15,
        ] {
            *a = None;
        }
    }

    fn attribute(&self, property: DeviceProperty) -> Attribute<'_> {
        use DeviceProperty as P;
        match property {
            P::IsCompliant => self.is_compliant.map_or(Attribute::Null, Attribute::Bool),
            P::PhysicalIds => collection(&self.physical_ids),
            P::SystemLabels => collection(&self.system_labels),
            text => self.text(text).map_or(Attribute::Null, Attribute::Text),
        }
    }

    /// A text property's value (`None` for the boolean and collection properties).
    /// Whether the property has a value here (null otherwise).
    pub fn states(&self, property: DeviceProperty) -> bool {
        self.attribute(property) != Attribute::Null
    }

    pub fn text(&self, property: DeviceProperty) -> Option<&str> {
        use DeviceProperty as P;
        let field = match property {
            P::DeviceId => &self.device_id,
            P::MdmAppId => &self.mdm_app_id,
            P::DisplayName => &self.display_name,
            P::EnrollmentProfileName => &self.enrollment_profile_name,
            P::Manufacturer => &self.manufacturer,
            P::Model => &self.model,
            P::OperatingSystem => &self.operating_system,
            P::OperatingSystemVersion => &self.operating_system_version,
            P::ExtensionAttribute1 => &self.extension_attribute1,
            P::ExtensionAttribute2 => &self.extension_attribute2,
            P::ExtensionAttribute3 => &self.extension_attribute3,
            P::ExtensionAttribute4 => &self.extension_attribute4,
            P::ExtensionAttribute5 => &self.extension_attribute5,
            P::ExtensionAttribute6 => &self.extension_attribute6,
            P::ExtensionAttribute7 => &self.extension_attribute7,
            P::ExtensionAttribute8 => &self.extension_attribute8,
            P::ExtensionAttribute9 => &self.extension_attribute9,
            P::ExtensionAttribute10 => &self.extension_attribute10,
            P::ExtensionAttribute11 => &self.extension_attribute11,
            P::ExtensionAttribute12 => &self.extension_attribute12,
            P::ExtensionAttribute13 => &self.extension_attribute13,
            P::ExtensionAttribute14 => &self.extension_attribute14,
            P::ExtensionAttribute15 => &self.extension_attribute15,
            P::DeviceOwnership => &self.device_ownership,
            P::ProfileType => &self.profile_type,
            P::TrustType => &self.trust_type,
            P::IsCompliant | P::PhysicalIds | P::SystemLabels => return None,
        };
        field.as_deref()
    }
}

fn collection(items: &Option<Vec<String>>) -> Attribute<'_> {
    items
        .as_deref()
        .map_or(Attribute::Null, Attribute::Collection)
}

/// Whether `device` (`None`: unregistered) satisfies `filter`.
pub fn matches(filter: &DeviceFilter, device: Option<&DeviceAttributes>) -> bool {
    match filter {
        DeviceFilter::And(operands) => operands.iter().all(|f| matches(f, device)),
        DeviceFilter::Or(operands) => operands.iter().any(|f| matches(f, device)),
        DeviceFilter::Comparison(comparison) => comparison_matches(comparison, device),
    }
}

fn comparison_matches(comparison: &Comparison, device: Option<&DeviceAttributes>) -> bool {
    let attribute = device.map_or(Attribute::Null, |d| d.attribute(comparison.property));
    let positive = positive_matches(comparison.op.positive(), attribute, &comparison.value);
    positive != comparison.op.is_negative()
}

/// The positive operator's result. A combination validation refuses (a list after `-eq`, a string
/// for `isCompliant`...) is treated like null: the positive operator does not match.
fn positive_matches(op: FilterOp, attribute: Attribute<'_>, value: &FilterValue) -> bool {
    match (attribute, value) {
        (Attribute::Null, _) => false,
        (Attribute::Bool(actual), FilterValue::Bool(wanted)) => {
            op == FilterOp::Eq && actual == *wanted
        }
        (Attribute::Collection(items), FilterValue::String(wanted)) => {
            op == FilterOp::Contains && items.iter().any(|item| same_text(item, wanted))
        }
        (Attribute::Text(actual), FilterValue::String(wanted)) => text_matches(op, actual, wanted),
        (Attribute::Text(actual), FilterValue::List(wanted)) => {
            op == FilterOp::In && wanted.iter().any(|w| same_text(actual, w))
        }
        _ => false,
    }
}

fn text_matches(op: FilterOp, actual: &str, wanted: &str) -> bool {
    let actual = actual.to_lowercase();
    let wanted = wanted.to_lowercase();
    match op {
        FilterOp::Eq => actual == wanted,
        FilterOp::StartsWith => actual.starts_with(&wanted),
        FilterOp::EndsWith => actual.ends_with(&wanted),
        FilterOp::Contains => actual.contains(&wanted),
        _ => false,
    }
}

fn same_text(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

#[cfg(test)]
mod tests;

//! The device-filter rule of a Conditional Access policy, as a plain expression tree.
//!
//! A rule such as `device.isCompliant -eq True -and device.extensionAttribute1 -startsWith "SAW"`
//! is parsed by `syntax::device_filter` into a [`DeviceFilter`] and evaluated by
//! `eval::device_filter`. This module owns what the rule *means*: the documented properties, the
//! operators each property accepts, the values it accepts, and the canonical text of a rule
//! (`Display`). Platform facts: `../shared/reference/entra-semantics.md` §1.11.

use std::fmt;

use serde::Serialize;

use crate::diagnostic::did_you_mean;

/// The platform refuses longer rules (`conditionalAccessFilter.rule`, §1.11).
pub const MAX_RULE_CHARS: usize = 3072;

/// A device-filter rule.
///
/// The parser builds `And`/`Or` with two or more operands and keeps the grouping the author wrote:
/// `(a -and b) -and c` is `And[And[a, b], c]`, so printing and reparsing gives the same tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DeviceFilter {
    And(Vec<DeviceFilter>),
    Or(Vec<DeviceFilter>),
    Comparison(Comparison),
}

/// `device.<property> <op> <value>`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub property: DeviceProperty,
    pub op: FilterOp,
    pub value: FilterValue,
}

/// The device properties a filter may name (§1.11 table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DeviceProperty {
    DeviceId,
    MdmAppId,
    DisplayName,
    EnrollmentProfileName,
    Manufacturer,
    Model,
    OperatingSystem,
    OperatingSystemVersion,
    ExtensionAttribute1,
    ExtensionAttribute2,
    ExtensionAttribute3,
    ExtensionAttribute4,
    ExtensionAttribute5,
    ExtensionAttribute6,
    ExtensionAttribute7,
    ExtensionAttribute8,
    ExtensionAttribute9,
    ExtensionAttribute10,
    ExtensionAttribute11,
    ExtensionAttribute12,
    ExtensionAttribute13,
    ExtensionAttribute14,
    ExtensionAttribute15,
    DeviceOwnership,
    IsCompliant,
    ProfileType,
    TrustType,
    PhysicalIds,
    SystemLabels,
}

/// What a property holds, which decides the operators and values it accepts (§1.11 table rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropertyKind {
    /// `deviceId`, `mdmAppId`: equality and membership only.
    Identifier,
    /// Free text: every string operator.
    Text,
    /// One of a fixed set of strings, compared with `-eq`/`-ne` only.
    Enumerated(&'static [&'static str]),
    /// `isCompliant`: `True`/`False` with `-eq`/`-ne`.
    Boolean,
    /// A collection of strings, tested with `-contains`/`-notContains` (whole-element match).
    Collection,
}

impl DeviceProperty {
    /// `extensionAttribute1..15`: visible to filters only on managed, compliant or hybrid-joined
    /// devices.
    pub fn is_extension_attribute(self) -> bool {
        use DeviceProperty as P;
        matches!(
            self,
            P::ExtensionAttribute1
                | P::ExtensionAttribute2
                | P::ExtensionAttribute3
                | P::ExtensionAttribute4
                | P::ExtensionAttribute5
                | P::ExtensionAttribute6
                | P::ExtensionAttribute7
                | P::ExtensionAttribute8
                | P::ExtensionAttribute9
                | P::ExtensionAttribute10
                | P::ExtensionAttribute11
                | P::ExtensionAttribute12
                | P::ExtensionAttribute13
                | P::ExtensionAttribute14
                | P::ExtensionAttribute15
        )
    }

    pub const ALL: [DeviceProperty; 29] = [
        DeviceProperty::DeviceId,
        DeviceProperty::MdmAppId,
        DeviceProperty::DisplayName,
        DeviceProperty::EnrollmentProfileName,
        DeviceProperty::Manufacturer,
        DeviceProperty::Model,
        DeviceProperty::OperatingSystem,
        DeviceProperty::OperatingSystemVersion,
        DeviceProperty::ExtensionAttribute1,
        DeviceProperty::ExtensionAttribute2,
        DeviceProperty::ExtensionAttribute3,
        DeviceProperty::ExtensionAttribute4,
        DeviceProperty::ExtensionAttribute5,
        DeviceProperty::ExtensionAttribute6,
        DeviceProperty::ExtensionAttribute7,
        DeviceProperty::ExtensionAttribute8,
        DeviceProperty::ExtensionAttribute9,
        DeviceProperty::ExtensionAttribute10,
        DeviceProperty::ExtensionAttribute11,
        DeviceProperty::ExtensionAttribute12,
        DeviceProperty::ExtensionAttribute13,
        DeviceProperty::ExtensionAttribute14,
        DeviceProperty::ExtensionAttribute15,
        DeviceProperty::DeviceOwnership,
        DeviceProperty::IsCompliant,
        DeviceProperty::ProfileType,
        DeviceProperty::TrustType,
        DeviceProperty::PhysicalIds,
        DeviceProperty::SystemLabels,
    ];

    /// The documented camelCase spelling, as printed after `device.`.
    pub fn name(self) -> &'static str {
        use DeviceProperty as P;
        match self {
            P::DeviceId => "deviceId",
            P::MdmAppId => "mdmAppId",
            P::DisplayName => "displayName",
            P::EnrollmentProfileName => "enrollmentProfileName",
            P::Manufacturer => "manufacturer",
            P::Model => "model",
            P::OperatingSystem => "operatingSystem",
            P::OperatingSystemVersion => "operatingSystemVersion",
            P::ExtensionAttribute1 => "extensionAttribute1",
            P::ExtensionAttribute2 => "extensionAttribute2",
            P::ExtensionAttribute3 => "extensionAttribute3",
            P::ExtensionAttribute4 => "extensionAttribute4",
            P::ExtensionAttribute5 => "extensionAttribute5",
            P::ExtensionAttribute6 => "extensionAttribute6",
            P::ExtensionAttribute7 => "extensionAttribute7",
            P::ExtensionAttribute8 => "extensionAttribute8",
            P::ExtensionAttribute9 => "extensionAttribute9",
            P::ExtensionAttribute10 => "extensionAttribute10",
            P::ExtensionAttribute11 => "extensionAttribute11",
            P::ExtensionAttribute12 => "extensionAttribute12",
            P::ExtensionAttribute13 => "extensionAttribute13",
            P::ExtensionAttribute14 => "extensionAttribute14",
            P::ExtensionAttribute15 => "extensionAttribute15",
            P::DeviceOwnership => "deviceOwnership",
            P::IsCompliant => "isCompliant",
            P::ProfileType => "profileType",
            P::TrustType => "trustType",
            P::PhysicalIds => "physicalIds",
            P::SystemLabels => "systemLabels",
        }
    }

    /// Looks a property up by name, ignoring case.
    ///
    /// Case is ignored because the platform accepts operators in any case and the related Intune
    /// filter syntax accepts property names in any case too (UNVERIFIED for Conditional Access);
    /// the canonical printer restores the documented spelling either way.
    pub fn from_name(name: &str) -> Option<DeviceProperty> {
        DeviceProperty::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(name))
    }

    pub fn kind(self) -> PropertyKind {
        use DeviceProperty as P;
        match self {
            P::DeviceId | P::MdmAppId => PropertyKind::Identifier,
            P::DeviceOwnership => PropertyKind::Enumerated(&["Personal", "Company"]),
            P::ProfileType => PropertyKind::Enumerated(&[
                "RegisteredDevice",
                "SecureVM",
                "Printer",
                "Shared",
                "IoT",
            ]),
            P::TrustType => PropertyKind::Enumerated(&["AzureAD", "ServerAD", "Workplace"]),
            P::IsCompliant => PropertyKind::Boolean,
            P::PhysicalIds | P::SystemLabels => PropertyKind::Collection,
            _ => PropertyKind::Text,
        }
    }

    /// The operators the platform accepts for this property (§1.11 table).
    pub fn allowed_ops(self) -> &'static [FilterOp] {
        use FilterOp as O;
        match self.kind() {
            PropertyKind::Identifier => &[O::Eq, O::Ne, O::In, O::NotIn],
            PropertyKind::Text => &FilterOp::ALL,
            PropertyKind::Enumerated(_) | PropertyKind::Boolean => &[O::Eq, O::Ne],
            PropertyKind::Collection => &[O::Contains, O::NotContains],
        }
    }
}

impl fmt::Display for DeviceProperty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A comparison operator. Each negative operator is the exact complement of its positive one,
/// which is what makes unregistered devices match them (§1.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FilterOp {
    Eq,
    Ne,
    StartsWith,
    NotStartsWith,
    EndsWith,
    NotEndsWith,
    Contains,
    NotContains,
    In,
    NotIn,
}

impl FilterOp {
    pub const ALL: [FilterOp; 10] = [
        FilterOp::Eq,
        FilterOp::Ne,
        FilterOp::StartsWith,
        FilterOp::NotStartsWith,
        FilterOp::EndsWith,
        FilterOp::NotEndsWith,
        FilterOp::Contains,
        FilterOp::NotContains,
        FilterOp::In,
        FilterOp::NotIn,
    ];

    /// The documented spelling, e.g. `-startsWith`.
    pub fn token(self) -> &'static str {
        match self {
            FilterOp::Eq => "-eq",
            FilterOp::Ne => "-ne",
            FilterOp::StartsWith => "-startsWith",
            FilterOp::NotStartsWith => "-notStartsWith",
            FilterOp::EndsWith => "-endsWith",
            FilterOp::NotEndsWith => "-notEndsWith",
            FilterOp::Contains => "-contains",
            FilterOp::NotContains => "-notContains",
            FilterOp::In => "-in",
            FilterOp::NotIn => "-notIn",
        }
    }

    /// Looks an operator up by its token (with the dash), ignoring case as the platform does.
    pub fn from_token(token: &str) -> Option<FilterOp> {
        FilterOp::ALL
            .into_iter()
            .find(|op| op.token().eq_ignore_ascii_case(token))
    }

    pub fn is_negative(self) -> bool {
        self != self.positive()
    }

    /// The positive operator this one negates (itself when it is positive).
    pub fn positive(self) -> FilterOp {
        match self {
            FilterOp::Ne => FilterOp::Eq,
            FilterOp::NotStartsWith => FilterOp::StartsWith,
            FilterOp::NotEndsWith => FilterOp::EndsWith,
            FilterOp::NotContains => FilterOp::Contains,
            FilterOp::NotIn => FilterOp::In,
            positive => positive,
        }
    }

    /// `-in`/`-notIn` take a list; every other operator takes one value.
    pub fn takes_list(self) -> bool {
        matches!(self, FilterOp::In | FilterOp::NotIn)
    }
}

impl fmt::Display for FilterOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.token())
    }
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FilterValue {
    String(String),
    Bool(bool),
    List(Vec<String>),
}

impl fmt::Display for FilterValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilterValue::String(s) => write_quoted(f, s),
            FilterValue::Bool(true) => f.write_str("True"),
            FilterValue::Bool(false) => f.write_str("False"),
            FilterValue::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write_quoted(f, item)?;
                }
                f.write_str("]")
            }
        }
    }
}

/// Escapes `"` and `\` so the parser reads back exactly `s` (it treats `\"` and `\\` as escapes).
fn write_quoted(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        if c == '"' || c == '\\' {
            f.write_str("\\")?;
        }
        write!(f, "{c}")?;
    }
    f.write_str("\"")
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "device.{} {} {}", self.property, self.op, self.value)
    }
}

impl fmt::Display for DeviceFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeviceFilter::Comparison(c) => fmt::Display::fmt(c, f),
            DeviceFilter::And(operands) => write_operands(f, operands, "-and", true),
            DeviceFilter::Or(operands) => write_operands(f, operands, "-or", false),
        }
    }
}

/// Parenthesises exactly the operands that would otherwise regroup on reparsing: any nested `And`
/// or `Or` under an `And` (`-and` binds tighter, and an unbracketed `-and` chain would flatten),
/// and a nested `Or` under an `Or`. An `And` under an `Or` needs none.
fn write_operands(
    f: &mut fmt::Formatter<'_>,
    operands: &[DeviceFilter],
    keyword: &str,
    is_and: bool,
) -> fmt::Result {
    for (i, operand) in operands.iter().enumerate() {
        if i > 0 {
            write!(f, " {keyword} ")?;
        }
        let bracket = match operand {
            DeviceFilter::Comparison(_) => false,
            DeviceFilter::And(_) => is_and,
            DeviceFilter::Or(_) => true,
        };
        if bracket {
            write!(f, "({operand})")?;
        } else {
            fmt::Display::fmt(operand, f)?;
        }
    }
    Ok(())
}

/// Which part of a comparison a [`FilterProblem`] is about, so the parser can point at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterPart {
    Property,
    Operator,
    Value,
    /// One string of a `[...]` list, by position.
    ListItem(usize),
    /// The whole rule (its length).
    Rule,
}

/// A rule that parses but that the platform would refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterProblem {
    UnknownProperty {
        name: String,
    },
    OperatorNotAllowed {
        property: DeviceProperty,
        op: FilterOp,
    },
    ListRequired {
        op: FilterOp,
    },
    SingleValueRequired {
        op: FilterOp,
    },
    EmptyList {
        op: FilterOp,
    },
    BooleanRequired {
        property: DeviceProperty,
    },
    BooleanNotAllowed {
        property: DeviceProperty,
    },
    ValueNotAllowed {
        property: DeviceProperty,
        value: String,
        item: Option<usize>,
    },
    TooLong {
        chars: usize,
    },
}

impl FilterProblem {
    pub fn code(&self) -> &'static str {
        match self {
            FilterProblem::UnknownProperty { .. } => "E0202",
            FilterProblem::OperatorNotAllowed { .. } => "E0203",
            FilterProblem::ListRequired { .. }
            | FilterProblem::SingleValueRequired { .. }
            | FilterProblem::EmptyList { .. }
            | FilterProblem::BooleanRequired { .. }
            | FilterProblem::BooleanNotAllowed { .. }
            | FilterProblem::ValueNotAllowed { .. } => "E0204",
            FilterProblem::TooLong { .. } => "E0205",
        }
    }

    pub fn part(&self) -> FilterPart {
        match self {
            FilterProblem::UnknownProperty { .. } => FilterPart::Property,
            FilterProblem::OperatorNotAllowed { .. } => FilterPart::Operator,
            FilterProblem::ValueNotAllowed {
                item: Some(index), ..
            } => FilterPart::ListItem(*index),
            FilterProblem::TooLong { .. } => FilterPart::Rule,
            _ => FilterPart::Value,
        }
    }

    pub fn message(&self) -> String {
        match self {
            FilterProblem::UnknownProperty { name } => {
                format!("unknown device property `{name}`")
            }
            FilterProblem::OperatorNotAllowed { property, op } => {
                format!("operator `{op}` cannot be used with `device.{property}`")
            }
            FilterProblem::ListRequired { op } => format!("`{op}` needs a list of values"),
            FilterProblem::SingleValueRequired { op } => format!("`{op}` needs a single value"),
            FilterProblem::EmptyList { op } => format!("the list after `{op}` is empty"),
            FilterProblem::BooleanRequired { property } => {
                format!("`device.{property}` compares with `True` or `False`")
            }
            FilterProblem::BooleanNotAllowed { property } => {
                format!("`device.{property}` compares with a quoted string, not a boolean")
            }
            FilterProblem::ValueNotAllowed {
                property, value, ..
            } => format!("`{value}` is not a value of `device.{property}`"),
            FilterProblem::TooLong { chars } => format!(
                "the rule is {chars} characters long, more than the {MAX_RULE_CHARS} allowed"
            ),
        }
    }

    pub fn help(&self) -> Option<String> {
        match self {
            FilterProblem::UnknownProperty { name } => {
                did_you_mean(name, DeviceProperty::ALL.iter().map(|p| p.name()))
                    .or_else(|| Some(format!("the device properties are {}", property_list())))
            }
            FilterProblem::OperatorNotAllowed { property, .. } => Some(format!(
                "`device.{property}` accepts {}",
                backticked(property.allowed_ops().iter().map(|op| op.token()))
            )),
            FilterProblem::ListRequired { .. } => {
                Some("write the values as a list, e.g. `[\"a\", \"b\"]`".into())
            }
            FilterProblem::SingleValueRequired { .. } => {
                Some("use `-in` or `-notIn` to compare with a list".into())
            }
            FilterProblem::EmptyList { .. } => Some("give at least one value".into()),
            FilterProblem::BooleanRequired { .. } => {
                Some("write `True` or `False` without quotes".into())
            }
            FilterProblem::BooleanNotAllowed { .. } => {
                Some("only `device.isCompliant` takes `True` or `False`".into())
            }
            FilterProblem::ValueNotAllowed {
                property, value, ..
            } => Some(enumerated_help(*property, value)),
            FilterProblem::TooLong { .. } => {
                Some("split the rule or use fewer, broader comparisons".into())
            }
        }
    }
}

fn enumerated_help(property: DeviceProperty, value: &str) -> String {
    let allowed = match property.kind() {
        PropertyKind::Enumerated(values) => values,
        _ => &[][..],
    };
    did_you_mean(value, allowed.iter().copied()).unwrap_or_else(|| {
        format!(
            "`device.{property}` is one of {}",
            backticked(allowed.iter().copied())
        )
    })
}

/// Every property name, with the fifteen extension attributes shortened to a range.
fn property_list() -> String {
    let names = DeviceProperty::ALL.iter().filter_map(|p| match p {
        DeviceProperty::ExtensionAttribute1 => Some("extensionAttribute1`…`extensionAttribute15"),
        p if p.name().starts_with("extensionAttribute") => None,
        p => Some(p.name()),
    });
    backticked(names)
}

fn backticked<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The problems the platform would refuse the rule for, checked on its text alone.
pub fn check_rule_length(rule: &str) -> Option<FilterProblem> {
    let chars = rule.chars().count();
    (chars > MAX_RULE_CHARS).then_some(FilterProblem::TooLong { chars })
}

/// Everything wrong with one comparison, in the order a reader meets it.
///
/// When the operator is not allowed for the property, the value is not checked further: what it
/// should look like depends on the operator the author will pick instead.
pub fn check_comparison(comparison: &Comparison) -> Vec<FilterProblem> {
    let Comparison {
        property,
        op,
        value,
    } = comparison;
    if !property.allowed_ops().contains(op) {
        return vec![FilterProblem::OperatorNotAllowed {
            property: *property,
            op: *op,
        }];
    }
    match (op.takes_list(), value) {
        (true, FilterValue::List(items)) if items.is_empty() => {
            vec![FilterProblem::EmptyList { op: *op }]
        }
        (true, FilterValue::List(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| check_string(*property, item, Some(i)))
            .collect(),
        (true, _) => vec![FilterProblem::ListRequired { op: *op }],
        (false, FilterValue::List(_)) => vec![FilterProblem::SingleValueRequired { op: *op }],
        (false, FilterValue::Bool(_)) if *property == DeviceProperty::IsCompliant => Vec::new(),
        (false, FilterValue::Bool(_)) => vec![FilterProblem::BooleanNotAllowed {
            property: *property,
        }],
        (false, FilterValue::String(s)) => check_string(*property, s, None).into_iter().collect(),
    }
}

/// A quoted string is fine for every property but `isCompliant`; enumerated properties also need
/// one of their documented values (compared ignoring case, like every string comparison).
fn check_string(
    property: DeviceProperty,
    value: &str,
    item: Option<usize>,
) -> Option<FilterProblem> {
    match property.kind() {
        PropertyKind::Boolean => Some(FilterProblem::BooleanRequired { property }),
        PropertyKind::Enumerated(allowed)
            if !allowed.iter().any(|a| a.eq_ignore_ascii_case(value)) =>
        {
            Some(FilterProblem::ValueNotAllowed {
                property,
                value: value.to_string(),
                item,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;

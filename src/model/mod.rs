//! The typed model of a policy pack.
//!
//! Plain Rust data, serde-serializable, independent of the text it was parsed from (or the Graph
//! JSON it was imported from). Every node keeps its [`Span`]; spans are skipped when serializing,
//! so two models are "the same pack" exactly when their serializations are equal (see
//! [`Pack::same_as`]). Only `validate` turns a `Pack` into something the evaluator accepts.

pub mod apps;
pub mod catalog;
pub mod cross_tenant;
pub mod device_filter;
pub mod directory;
pub mod exchange;
pub mod location;
pub mod mail;
pub mod outbound;
pub mod policy;
pub mod provision;
pub mod request;
pub mod share;
pub mod sharing;
pub mod strength;
pub mod teams;
pub mod tenant;
pub mod unmodelled;
pub mod workload;

use serde::Serialize;

pub use cross_tenant::*;
pub use directory::*;
pub use location::*;
pub use policy::*;
pub use sharing::*;
pub use strength::{Combination, StrengthDef};
pub use tenant::*;

use crate::source::{FileId, Span};

/// Whether a string is written like a GUID: `8-4-4-4-12` hexadecimal digits, either case (Graph
/// writes them in lowercase). Tenant, app, role, group and location ids all look like this.
pub fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A value with the span it was written at. Serializes as the bare value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }

    /// A value made by a program rather than read from a file (importer, generators).
    pub fn synthetic(value: T) -> Self {
        Spanned {
            value,
            span: Span::default(),
        }
    }
}

impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// Serializes a flag statement (`trusted`, `service_provider`...) kept as the span it was written
/// at: only its presence is part of the pack, so that [`Pack::same_as`] ignores where it was.
pub(crate) fn serialize_present<S: serde::Serializer>(
    value: &Option<Span>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_bool(value.is_some())
}

/// A name as written: an identifier (`fabrikam`) or a quoted string (`"Litware project team"`).
pub type Name = Spanned<String>;

/// An `extension { "<json pointer>" = <json> }` entry: a Graph property accord does not model,
/// kept verbatim so that export restores it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Extension {
    pub pointer: Spanned<String>,
    /// The JSON value, as compact JSON text.
    pub json: Spanned<String>,
}

/// A whole policy pack: every item of every file, in file order then source order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Pack {
    pub tenants: Vec<Tenant>,
    pub organizations: Vec<Organization>,
    pub locations: Vec<Location>,
    pub cross_tenant: Vec<CrossTenant>,
    pub policies: Vec<Policy>,
    pub sharing: Vec<Sharing>,
    pub directory: Vec<Directory>,
    /// Custom authentication strengths (`auth_strength "<name>" { ... }`).
    pub strengths: Vec<StrengthDef>,
}

impl Pack {
    /// Structural equality ignoring spans (and so ignoring layout and comments).
    pub fn same_as(&self, other: &Pack) -> bool {
        serde_json::to_value(self).ok() == serde_json::to_value(other).ok()
    }

    /// Appends the items of another pack (used to merge the files of a folder).
    pub fn extend(&mut self, other: Pack) {
        self.tenants.extend(other.tenants);
        self.organizations.extend(other.organizations);
        self.locations.extend(other.locations);
        self.cross_tenant.extend(other.cross_tenant);
        self.policies.extend(other.policies);
        self.sharing.extend(other.sharing);
        self.directory.extend(other.directory);
        self.strengths.extend(other.strengths);
    }

    /// The declared resource tenant (the first, if a broken pack declares several).
    pub fn resource_tenant(&self) -> Option<&Tenant> {
        self.tenants.iter().find(|t| t.resource)
    }

    pub fn tenant(&self, name: &str) -> Option<&Tenant> {
        self.tenants.iter().find(|t| t.name.value == name)
    }

    pub fn location(&self, name: &str) -> Option<&Location> {
        self.locations.iter().find(|l| l.name.value == name)
    }

    /// The declared custom strength a policy's `auth_strength "<reference>"` names (by name or id).
    pub fn strength(&self, reference: &str) -> Option<&StrengthDef> {
        self.strengths.iter().find(|s| s.is_named(reference))
    }

    pub fn policy(&self, name: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| p.name.value == name)
    }

    /// The spans of every top-level item of one file, with what they are, in source order.
    pub fn items_in(&self, file: FileId) -> Vec<ItemRef<'_>> {
        let mut items: Vec<ItemRef<'_>> = Vec::new();
        items.extend(self.tenants.iter().map(ItemRef::Tenant));
        items.extend(self.organizations.iter().map(ItemRef::Organization));
        items.extend(self.locations.iter().map(ItemRef::Location));
        items.extend(self.cross_tenant.iter().map(ItemRef::CrossTenant));
        items.extend(self.policies.iter().map(ItemRef::Policy));
        items.extend(self.sharing.iter().map(ItemRef::Sharing));
        items.extend(self.directory.iter().map(ItemRef::Directory));
        items.extend(self.strengths.iter().map(ItemRef::Strength));
        items.retain(|i| i.span().file == file);
        items.sort_by_key(|i| i.span().start);
        items
    }
}

/// A borrowed top-level item.
#[derive(Debug, Clone, Copy)]
pub enum ItemRef<'a> {
    Tenant(&'a Tenant),
    Organization(&'a Organization),
    Location(&'a Location),
    CrossTenant(&'a CrossTenant),
    Policy(&'a Policy),
    Sharing(&'a Sharing),
    Directory(&'a Directory),
    Strength(&'a StrengthDef),
}

impl ItemRef<'_> {
    pub fn span(&self) -> Span {
        match self {
            ItemRef::Tenant(x) => x.span,
            ItemRef::Organization(x) => x.span,
            ItemRef::Location(x) => x.span,
            ItemRef::CrossTenant(x) => x.span,
            ItemRef::Policy(x) => x.span,
            ItemRef::Sharing(x) => x.span,
            ItemRef::Directory(x) => x.span,
            ItemRef::Strength(x) => x.span,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::source::FileId;
    use crate::syntax::parse_file;

    #[test]
    fn same_as_ignores_where_flag_statements_were_written() {
        let a = parse_file(
            FileId(0),
            "location hq { ip = [] trusted }\ncross_tenant x { service_provider }\n\
             policy \"p\" { session { app_enforced_restrictions disable_resilience_defaults } }",
        );
        let b = parse_file(
            FileId(0),
            "\n\nlocation hq {\n  trusted\n  ip = []\n}\ncross_tenant x {\n  service_provider\n}\n\
             policy \"p\" {\n  session {\n    disable_resilience_defaults\n    app_enforced_restrictions\n  }\n}\n",
        );
        assert!(a.pack.same_as(&b.pack));
        let c = parse_file(
            FileId(0),
            "location hq { ip = [] }\ncross_tenant x { service_provider }\n\
             policy \"p\" { session { app_enforced_restrictions disable_resilience_defaults } }",
        );
        assert!(!a.pack.same_as(&c.pack));
    }
}

//! A validated pack to Microsoft Graph v1.0 JSON.
//!
//! One document per Conditional Access policy (the body of
//! `POST /identity/conditionalAccess/policies`), per named location
//! (`POST /identity/conditionalAccess/namedLocations`), the cross-tenant default and one per
//! partner (`PATCH /policies/crossTenantAccessPolicy/default`, `POST .../partners`), and the
//! SharePoint and authorization policy settings the pack sets, one per custom authentication
//! strength (`POST /policies/authenticationStrengthPolicies`), and the Exchange Online objects
//! (one array per kind, as `Get-OrganizationRelationship | ConvertTo-Json` prints them). `graph-powershell` writes the
//! same documents with the PascalCase keys of the Graph PowerShell SDK.
//!
//! Names become ids again through the tenants of the pack (tenant ids) and `names.yaml`
//! (groups, users, locations...). A construct the platform cannot express is an error naming
//! it; export never approximates silently.
//!
//! # Origins of external users
//!
//! Conditional Access has no "in our multi-tenant organisation" user type (§1.4, §5.4 of the
//! reference); it can only enumerate home tenants. So:
//!
//! - `external(...) from organization` exports as `externalTenants` enumerating the tenant ids
//!   of the organisation's **active** members, without the resource tenant itself (a tenant's
//!   own users are not external to it). Pending and removed members are not part of the
//!   organisation. An organisation with no such tenant is an error (Graph cannot enumerate
//!   nothing).
//! - `external(...) from outside_organization` exports as the same user types from **all**
//!   external tenants in `includeGuestsOrExternalUsers`, plus an
//!   `excludeGuestsOrExternalUsers` of the same types enumerating the active member tenants.
//!   As Graph has one exclusion object per policy, a policy that also excludes other external
//!   users cannot be exported.
//! - `from tenants(a, b)` enumerates those tenants' ids; `from any` is all tenants.
//!
//! The membership is copied at export time: when the organisation changes, export again.

mod exchange;
mod guests;
mod policy;
mod services;
mod settings;
mod strength;
mod workloads;

use serde_json::{Map, Value};

use super::names::NameMap;
use crate::diagnostic::Diagnostic;
use crate::model::{Extension, Pack};
use crate::source::Span;
use crate::validate::Validated;

/// The JSON dialect written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExportFormat {
    /// Graph v1.0 request bodies (camelCase).
    #[default]
    Graph,
    /// The same objects as the Graph PowerShell SDK prints them (PascalCase keys, OData
    /// annotations inside `AdditionalProperties`).
    GraphPowershell,
}

#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    pub format: ExportFormat,
    /// `names.yaml`: the ids of groups, users, locations... named in the pack.
    pub names: NameMap,
}

/// The documents written, by relative path, and the problems found.
#[derive(Debug, Clone, Default)]
pub struct Export {
    pub files: Vec<(String, Value)>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Export {
    pub fn has_errors(&self) -> bool {
        crate::diagnostic::has_errors(&self.diagnostics)
    }

    /// All documents as one JSON object keyed by path (for `--stdout`).
    pub fn bundle(&self) -> Value {
        Value::Object(
            self.files
                .iter()
                .map(|(p, v)| (p.clone(), v.clone()))
                .collect(),
        )
    }
}

/// Exports a validated pack.
pub fn export(validated: &Validated, options: &ExportOptions) -> Export {
    export_pack(validated.pack(), options)
}

/// Exports a pack (the caller vouches it is valid: `export` is the checked entry point).
pub fn export_pack(pack: &Pack, options: &ExportOptions) -> Export {
    let mut ex = Exporter {
        pack,
        names: &options.names,
        diagnostics: Vec::new(),
        files: Vec::new(),
        taken: std::collections::BTreeSet::new(),
    };
    for p in &pack.policies {
        if let Some(v) = ex.policy(p) {
            let path = ex.path("policies", &p.name.value);
            ex.files.push((path, v));
        }
    }
    for l in &pack.locations {
        if let Some(v) = ex.location(l) {
            let path = ex.path("namedLocations", &l.name.value);
            ex.files.push((path, v));
        }
    }
    for st in &pack.strengths {
        let v = ex.strength(st);
        let path = ex.path("authenticationStrengthPolicies", &st.name.value);
        ex.files.push((path, v));
    }
    ex.cross_tenant();
    ex.sharing();
    ex.exchange();
    for o in &pack.organizations {
        // Its membership is used above (`from organization` targets), but the organisation
        // itself is not one of the documents written: say so rather than drop it silently.
        ex.warning(
            o.span,
            "W3028",
            format!(
                "the multi-tenant organisation `{}` is not exported",
                o.name.value
            ),
            "accord export writes policies, named locations, cross-tenant settings and sharing settings; create the organisation and its tenants in Entra (`/tenantRelationships/multiTenantOrganization`)",
        );
    }
    for d in &pack.directory {
        // Users, contacts, groups and app assignments are directory objects, not settings:
        // export writes none of them, and says so rather than drop the block silently.
        ex.warning(
            d.span,
            "W3029",
            "the `directory` block is not exported".to_string(),
            "accord export writes settings, not directory objects: invite users, create contacts and groups, and assign apps in Entra (Graph `invitations`, `contacts`, `groups`, `servicePrincipals/{id}/appRoleAssignedTo`)",
        );
    }
    if options.format == ExportFormat::GraphPowershell {
        // Exchange objects are written in their PowerShell shape already.
        for (path, v) in &mut ex.files {
            if !path.starts_with("exchange/") {
                *v = pascal_case(v);
            }
        }
    }
    Export {
        files: ex.files,
        diagnostics: ex.diagnostics,
    }
}

/// Which kind of object a name stands for (in messages).
#[derive(Debug, Clone, Copy)]
enum Kind {
    User,
    Group,
    Location,
    TermsOfUse,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Group => "group",
            Kind::Location => "location",
            Kind::TermsOfUse => "terms of use",
        }
    }
}

struct Exporter<'a> {
    pack: &'a Pack,
    names: &'a NameMap,
    diagnostics: Vec<Diagnostic>,
    files: Vec<(String, Value)>,
    taken: std::collections::BTreeSet<String>,
}

impl Exporter<'_> {
    fn error(&mut self, span: Span, code: &str, message: String, help: &str) {
        let mut d = Diagnostic::error(code, message).help(help);
        if span != Span::default() {
            d = d.at(span);
        }
        self.diagnostics.push(d);
    }

    fn warning(&mut self, span: Span, code: &str, message: String, help: &str) {
        let mut d = Diagnostic::warning(code, message).help(help);
        if span != Span::default() {
            d = d.at(span);
        }
        self.diagnostics.push(d);
    }

    /// A unique `dir/<slug>.json` path.
    fn path(&mut self, dir: &str, display: &str) -> String {
        let base = super::files::slug(display);
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&format!("{dir}/{name}")) {
            name = format!("{base}-{n}");
            n += 1;
        }
        self.taken.insert(format!("{dir}/{name}"));
        format!("{dir}/{name}.json")
    }

    /// The id for a name used in the pack: an id stays, a placeholder stays, a name is looked
    /// up in `names.yaml`; an unknown name is exported as written, with a warning.
    fn id_of(&mut self, span: Span, kind: Kind, name: &str) -> String {
        if super::names::is_guid(name) || super::names::is_placeholder(name) {
            return name.to_string();
        }
        match self.names.id_of(name) {
            Ok(Some(id)) => id.to_string(),
            Ok(None) => {
                self.warning(
                    span,
                    "W3021",
                    format!("{} `{name}` has no id: exported as written", kind.word()),
                    "Graph refers to it by object id: add `<id>: <name>` to names.yaml, or write the id",
                );
                name.to_string()
            }
            Err(ambiguous) => {
                self.error(
                    span,
                    "E3023",
                    format!(
                        "{} `{name}` stands for several ids in names.yaml ({})",
                        kind.word(),
                        ambiguous.0.join(", ")
                    ),
                    "give each object a distinct name in names.yaml",
                );
                name.to_string()
            }
        }
    }

    /// The id of a tenant declared in the pack, or an error.
    fn tenant_id(&mut self, span: Span, name: &str) -> Option<String> {
        match self.pack.tenant(name).and_then(|t| t.id.as_ref()) {
            Some(id) => Some(id.value.clone()),
            None if super::names::is_guid(name) => Some(name.to_string()),
            None => {
                self.error(
                    span,
                    "E3021",
                    format!("tenant `{name}` has no id"),
                    "Graph names tenants by id: add `id = \"<tenant id>\"` to its tenant block",
                );
                None
            }
        }
    }

    /// Writes the extensions of an item into its document; they win over exported values.
    fn apply_extensions(&mut self, doc: &mut Value, extensions: &[Extension], strip: &str) {
        for e in extensions {
            let Some(pointer) = e.pointer.value.strip_prefix(strip) else {
                continue;
            };
            let value: Value = match serde_json::from_str(&e.json.value) {
                Ok(v) => v,
                Err(err) => {
                    self.error(
                        e.json.span,
                        "E3024",
                        format!("extension `{}` is not valid JSON: {err}", e.pointer.value),
                        "extension values are JSON",
                    );
                    continue;
                }
            };
            match set_pointer(doc, pointer, value) {
                Ok(Some(old)) if pointer != "/displayName" && !old.is_null() => self.warning(
                    e.pointer.span,
                    "W3025",
                    format!(
                        "extension `{}` replaces a value accord exports ({old})",
                        e.pointer.value
                    ),
                    "remove the extension to export what the pack says",
                ),
                Ok(_) => {}
                Err(why) => self.error(
                    e.pointer.span,
                    "E3024",
                    format!("extension `{}` cannot be applied: {why}", e.pointer.value),
                    "an extension's key is a JSON pointer into the exported object",
                ),
            }
        }
    }
}

/// Sets the value at a JSON pointer, creating objects on the way; returns the value replaced.
pub fn set_pointer(doc: &mut Value, pointer: &str, value: Value) -> Result<Option<Value>, String> {
    if pointer.is_empty() {
        return Ok(Some(std::mem::replace(doc, value)));
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(format!("`{pointer}` does not start with `/`"));
    };
    let tokens: Vec<String> = rest
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut current = doc;
    for (i, token) in tokens.iter().enumerate() {
        let last = i + 1 == tokens.len();
        if current.is_null() {
            *current = Value::Object(Map::new());
        }
        current = match current {
            Value::Object(map) => {
                if last {
                    return Ok(map.insert(token.clone(), value));
                }
                map.entry(token.clone()).or_insert(Value::Null)
            }
            Value::Array(items) => {
                let index: usize = token
                    .parse()
                    .map_err(|_| format!("`{token}` is not an array index"))?;
                if index > items.len() {
                    return Err(format!("index {index} is past the end of the array"));
                }
                if index == items.len() {
                    items.push(Value::Null);
                }
                if last {
                    return Ok(Some(std::mem::replace(&mut items[index], value)));
                }
                &mut items[index]
            }
            _ => {
                let at = tokens[..i].join("/");
                return Err(format!("`/{at}` is not an object"));
            }
        };
    }
    Ok(None)
}

/// PascalCase keys, OData members moved into `AdditionalProperties` (PowerShell SDK shape).
pub fn pascal_case(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            let mut additional = Map::new();
            for (k, v) in map {
                if k.starts_with('@') {
                    additional.insert(k.clone(), v.clone());
                    continue;
                }
                let mut chars = k.chars();
                let key: String = match chars.next() {
                    Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
                    None => String::new(),
                };
                out.insert(key, pascal_case(v));
            }
            if !additional.is_empty() {
                out.insert("AdditionalProperties".into(), Value::Object(additional));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(pascal_case).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pointers_create_objects_and_report_replacements() {
        let mut doc = json!({"conditions": {"users": {}}});
        assert_eq!(
            set_pointer(&mut doc, "/conditions/insiderRiskLevels", json!("elevated")),
            Ok(None)
        );
        assert_eq!(
            set_pointer(
                &mut doc,
                "/sessionControls/secureSignInSession/isEnabled",
                json!(true)
            ),
            Ok(None)
        );
        assert_eq!(
            doc,
            json!({"conditions": {"users": {}, "insiderRiskLevels": "elevated"},
                   "sessionControls": {"secureSignInSession": {"isEnabled": true}}})
        );
        assert!(set_pointer(&mut doc, "/conditions/insiderRiskLevels/x", json!(1)).is_err());
    }

    #[test]
    fn powershell_shape() {
        let v = json!({"displayName": "x", "externalTenants": {"@odata.type": "#t", "membershipKind": "all"}});
        assert_eq!(
            pascal_case(&v),
            json!({"DisplayName": "x", "ExternalTenants": {"MembershipKind": "all",
                   "AdditionalProperties": {"@odata.type": "#t"}}})
        );
    }
}

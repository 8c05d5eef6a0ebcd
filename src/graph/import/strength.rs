//! Authentication strength policies (`authenticationStrengthPolicy`, Graph v1.0): a standalone
//! list (`GET /policies/authenticationStrengthPolicies`) or the expanded strength inside a
//! policy's `grantControls.authenticationStrength`. Built-in strengths are the catalog's; a
//! custom one becomes an `auth_strength "<displayName>" { ... }` declaration.
//!
//! Fail closed: a combination accord cannot read (an unknown mode) or one that
//! `combinationConfigurations` restricts (FIDO2 key models, certificate issuers) is left out of
//! the declaration, so it is never met, and the original `allowedCombinations` is kept as an
//! extension that export writes back.

use serde_json::{Map, Value};

use super::{Ctx, Importer, Why};
use crate::diagnostic::Diagnostic;
use crate::model::catalog::BuiltInStrength;
use crate::model::strength::{AuthMode, Combination};
use crate::model::{AuthStrength, Control, Spanned, StrengthDef};

/// Members of a strength policy that hold nothing accord needs (read-only or derived).
const IGNORED: &[&str] = &[
    "id",
    "displayName",
    "description",
    "allowedCombinations",
    "combinationConfigurations",
    "policyType",
    "requirementsSatisfied",
    "createdDateTime",
    "modifiedDateTime",
];

impl Importer<'_> {
    /// A standalone strength policy (one object of a list response).
    pub(super) fn strength_policy(&mut self, cx: &mut Ctx<'_>, v: &Value) {
        let Some(map) = v.as_object() else { return };
        self.strength_object(cx, "", map);
    }

    /// A strength object at `rel` of the current item: declared when custom and expanded.
    pub(super) fn strength_object(
        &mut self,
        cx: &mut Ctx<'_>,
        rel: &str,
        map: &Map<String, Value>,
    ) {
        let id = map.get("id").and_then(Value::as_str).unwrap_or("");
        let builtin = map.get("policyType").and_then(Value::as_str) == Some("builtIn")
            || BuiltInStrength::from_id(id).is_some();
        let listed = map
            .get("allowedCombinations")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty());
        // An unexpanded reference (PowerShell prints one with every member null) says nothing.
        if builtin || !listed {
            return;
        }
        // A strength read from a list wins over one expanded in a policy, which may be partial.
        let standalone = rel.is_empty();
        if let Some(i) = self
            .pack
            .strengths
            .iter()
            .position(|s| !id.is_empty() && s.is_named(id))
        {
            if !standalone || !self.expanded_strengths.contains(&id.to_ascii_lowercase()) {
                return;
            }
            self.pack.strengths.remove(i);
            self.expanded_strengths
                .retain(|x| *x != id.to_ascii_lowercase());
        }
        if !standalone && !id.is_empty() {
            self.expanded_strengths.push(id.to_ascii_lowercase());
        }
        let name = match map.get("displayName").and_then(Value::as_str) {
            Some(n) if !n.trim().is_empty() => n.to_string(),
            _ if !id.is_empty() => id.to_string(),
            _ => {
                let d = Diagnostic::warning("W3031", "an authentication strength without `displayName` or `id`: skipped")
                    .help("export the strength policies with `GET /policies/authenticationStrengthPolicies`");
                self.push_at(cx, rel, d);
                return;
            }
        };
        let restricted = restricted_modes(map);
        let mut combinations = Vec::new();
        let mut dropped = false;
        let list = map.get("allowedCombinations").and_then(Value::as_array);
        for (i, entry) in list.into_iter().flatten().enumerate() {
            let at = format!("{rel}/allowedCombinations/{i}");
            let text = entry.as_str().unwrap_or("");
            let modes: Option<Vec<AuthMode>> = text.split(',').map(AuthMode::from_graph).collect();
            match modes {
                Some(modes) if modes.iter().any(|m| restricted.contains(m)) => {
                    dropped = true;
                    let d = Diagnostic::warning(
                        "W3032",
                        format!("combination `{text}` is restricted by `combinationConfigurations`: it is never met"),
                    )
                    .help("accord does not evaluate FIDO2 key or certificate restrictions; leaving the combination out fails closed");
                    self.push_at(cx, &at, d);
                }
                Some(modes) if !modes.is_empty() => combinations.push(Combination {
                    modes,
                    span: cx.span(&at),
                }),
                _ => {
                    dropped = true;
                    let d = Diagnostic::warning(
                        "W3007",
                        format!("`{text}` is not an authentication method combination accord reads: it is never met"),
                    )
                    .help("leaving the combination out fails closed; export writes the original list back");
                    self.push_at(cx, &at, d);
                }
            }
        }
        let mut extensions = std::mem::take(&mut cx.extensions);
        let prefix = rel.to_string();
        if dropped {
            if let Some(all) = map.get("allowedCombinations") {
                self.extension(
                    cx,
                    &format!("{prefix}/allowedCombinations"),
                    all,
                    Why::Unexpected,
                );
            }
            if let Some(c) = map.get("combinationConfigurations") {
                self.extension(
                    cx,
                    &format!("{prefix}/combinationConfigurations"),
                    c,
                    Why::Unmodelled,
                );
            }
        }
        for (key, value) in map {
            if !IGNORED.contains(&key.as_str()) {
                let at = format!("{prefix}/{key}");
                self.extension(cx, &at, value, Why::Unmodelled);
            }
        }
        // Extensions of a strength are the strength's, not the enclosing policy's.
        let own = std::mem::take(&mut cx.extensions);
        cx.extensions.append(&mut extensions);
        let own = own
            .into_iter()
            .map(|mut e| {
                if let Some(p) = e.pointer.value.strip_prefix(&prefix) {
                    e.pointer.value = p.to_string();
                }
                e
            })
            .collect();
        let text = |k: &str| {
            map.get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(|s| Spanned::new(s.to_string(), cx.span(&format!("{rel}/{k}"))))
        };
        self.pack.strengths.push(StrengthDef {
            name: Spanned::new(name, cx.span(&format!("{rel}/displayName"))),
            id: text("id"),
            description: text("description"),
            combinations,
            extensions: own,
            span: cx.span(rel),
        });
    }

    /// Policies refer to a custom strength by id; once every strength is read, a declared one
    /// is referred to by its name (export turns it back into the id).
    pub(super) fn name_strength_references(&mut self) {
        let Self { pack, .. } = self;
        let names: Vec<(String, String)> = pack
            .strengths
            .iter()
            .filter_map(|s| {
                s.id.as_ref()
                    .map(|id| (id.value.to_ascii_lowercase(), s.name.value.clone()))
            })
            .collect();
        let unique = |name: &str| {
            pack.strengths
                .iter()
                .filter(|s| s.name.value == name)
                .count()
                == 1
        };
        let renames: Vec<(String, String)> = names.into_iter().filter(|(_, n)| unique(n)).collect();
        for p in &mut pack.policies {
            for c in p.grant.iter_mut().flat_map(|g| &mut g.controls) {
                if let Control::AuthStrength(AuthStrength::Custom(reference)) = &mut c.value {
                    let key = reference.to_ascii_lowercase();
                    if let Some((_, name)) = renames.iter().find(|(id, _)| *id == key) {
                        *reference = name.clone();
                    }
                }
            }
        }
    }
}

/// The modes `combinationConfigurations` restrict (each configuration's `appliesToCombinations`).
fn restricted_modes(map: &Map<String, Value>) -> Vec<AuthMode> {
    let mut out = Vec::new();
    let configs = map
        .get("combinationConfigurations")
        .and_then(Value::as_array);
    for c in configs.into_iter().flatten() {
        let applies = c.get("appliesToCombinations").and_then(Value::as_array);
        for a in applies.into_iter().flatten().filter_map(Value::as_str) {
            for m in a.split(',').filter_map(AuthMode::from_graph) {
                if !out.contains(&m) {
                    out.push(m);
                }
            }
        }
    }
    out
}

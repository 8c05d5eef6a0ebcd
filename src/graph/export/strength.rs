//! Custom authentication strengths (`POST /policies/authenticationStrengthPolicies`), and the
//! id a policy's `authenticationStrength` refers to.

use serde_json::{json, Map, Value};

use super::Exporter;
use crate::model::{AuthStrength, StrengthDef};
use crate::source::Span;

impl Exporter<'_> {
    /// One document per declared strength. Its `id` is written when known, so that the
    /// policies' references resolve when the documents are read back (Graph ignores it on
    /// create and assigns one).
    pub(super) fn strength(&mut self, s: &StrengthDef) -> Value {
        let mut doc = Map::new();
        if let Some(id) = &s.id {
            doc.insert("id".into(), json!(id.value));
        }
        doc.insert("displayName".into(), json!(s.name.value));
        if let Some(d) = &s.description {
            doc.insert("description".into(), json!(d.value));
        }
        let combos: Vec<Value> = s
            .combinations
            .iter()
            .map(|c| {
                let modes: Vec<&str> = c.modes.iter().map(|m| m.graph()).collect();
                json!(modes.join(","))
            })
            .collect();
        doc.insert("allowedCombinations".into(), Value::Array(combos));
        let mut doc = Value::Object(doc);
        self.apply_extensions(&mut doc, &s.extensions, "");
        doc
    }

    /// The Graph id of the strength a policy requires.
    pub(super) fn strength_id(&mut self, span: Span, s: &AuthStrength) -> String {
        let reference = match s {
            AuthStrength::BuiltIn(b) => return b.id().to_string(),
            AuthStrength::Custom(r) => r,
        };
        match self.pack.strength(reference) {
            Some(def) => match &def.id {
                Some(id) => id.value.clone(),
                None => {
                    self.warning(
                        span,
                        "W3030",
                        format!("authentication strength `{reference}` has no id: exported as written"),
                        "create the strength (its document is exported too), then add `id = \"<id>\"` to its declaration",
                    );
                    reference.clone()
                }
            },
            None => reference.clone(),
        }
    }
}

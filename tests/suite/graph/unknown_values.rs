//! Fail closed on import, whatever the input (issue 14, item 9): a value accord does not model
//! never makes a decision more permissive.
//!
//! Generated packs are exported to Graph JSON; then, one at a time, every string of a policy's
//! JSON that holds an enumerated value (a state, a client app type, a risk level, a platform, a
//! built-in control, an operator, a guest type, a membership kind, a magic value such as `All`
//! or `AllTrusted`, a session mode...) is replaced by a value the platform might add tomorrow,
//! and the result imported again. Either the import refuses it (nothing is written), or the
//! imported pack decides every generated request at least as strictly as the unmutated import:
//! never `allow` where the original challenges or blocks, never `challenge` where it blocks.
//! The README's "Unmodelled properties" says how each kind of unknown value is decided.

use std::path::PathBuf;

use accord::eval::{self, Compiled, Decision};
use accord::graph::{self, ExportFormat, ExportOptions, ImportOptions, InputFile};
use accord::model::request::Request;
use serde_json::Value;

use crate::eval::generate;

const UNKNOWN: &str = "accordUnknownValue";
const PACKS: u64 = 16;
const REQUESTS: u64 = 40;

fn strictness(d: Decision) -> u8 {
    match d {
        Decision::Allow => 0,
        Decision::Challenge => 1,
        Decision::Block => 2,
    }
}

/// Whether a JSON string at `pointer` is an enumerated value (rather than a name, an id, a
/// domain, an address or a free text). Lists that hold ids or names hold a few magic values too.
fn is_enum_value(pointer: &str, s: &str) -> bool {
    let key = pointer
        .rsplit('/')
        .find(|k| k.parse::<usize>().is_err())
        .unwrap_or("");
    let magic: &[&str] = match key {
        "includeUsers" | "excludeUsers" => &["All", "None", "GuestsOrExternalUsers"],
        "includeApplications" | "excludeApplications" => {
            &["All", "None", "Office365", "MicrosoftAdminPortals"]
        }
        "includeLocations" | "excludeLocations" => &["All", "AllTrusted"],
        "includeGroups"
        | "excludeGroups"
        | "includeRoles"
        | "excludeRoles"
        | "includeAuthenticationContextClassReferences"
        | "termsOfUse"
        | "customAuthenticationFactors"
        | "members"
        | "tenantId"
        | "displayName"
        | "description"
        | "id"
        | "templateId"
        | "rule" => &[],
        _ => {
            let looks_like_id = s.len() == 36 && s.chars().filter(|c| *c == '-').count() == 4;
            return !s.is_empty() && !looks_like_id && !s.contains('@') && !s.contains(' ');
        }
    };
    magic.contains(&s)
}

/// Every (pointer, mutated string) of a policy's JSON.
fn mutations(v: &Value, pointer: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::String(s) if is_enum_value(pointer, s) => {
            // A flags enum (`guestOrExternalUserTypes`) holds several members in one string.
            if s.contains(',') {
                let members: Vec<&str> = s.split(',').collect();
                for i in 0..members.len() {
                    let mut m = members.clone();
                    m[i] = UNKNOWN;
                    out.push((pointer.to_string(), m.join(",")));
                }
            } else {
                out.push((pointer.to_string(), UNKNOWN.to_string()));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                mutations(item, &format!("{pointer}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                mutations(item, &format!("{pointer}/{k}"), out);
            }
        }
        _ => {}
    }
}

/// The pack's Graph export; `None` when Graph cannot express it (some generated targets).
fn export(text: &str) -> Option<Vec<(String, Value)>> {
    let loaded = accord::load::load_texts([("pack.policy", text)]);
    let validated = accord::check(&loaded)
        .validated
        .expect("the generated pack checks");
    let export = graph::export(
        &validated,
        &ExportOptions {
            format: ExportFormat::Graph,
            names: Default::default(),
        },
    );
    (!export.has_errors()).then_some(export.files)
}

/// Imports the exported files; `None` when the import refuses them.
fn import(files: &[(String, Value)]) -> Option<Compiled> {
    let inputs: Vec<InputFile> = files
        .iter()
        .map(|(path, v)| InputFile {
            path: PathBuf::from(path),
            bytes: serde_json::to_vec(v).expect("serialise"),
        })
        .collect();
    let options = ImportOptions {
        tenant: Some("00000000-0000-4000-8000-0000000000c0".into()),
        lenient: true,
        ..ImportOptions::default()
    };
    let import = graph::import(&inputs, &options);
    if accord::diagnostic::has_errors(&import.diagnostics) {
        return None;
    }
    let validation = accord::validate::validate(import.pack);
    if accord::diagnostic::has_errors(&validation.diagnostics) {
        return None;
    }
    validation.validated.map(|v| eval::compile(&v))
}

fn is_policy(v: &Value) -> bool {
    v.get("conditions").is_some() && v.get("displayName").is_some()
}

#[test]
fn an_unknown_enumerated_value_never_makes_a_decision_more_permissive() {
    let requests: Vec<Request> = (0..REQUESTS)
        .map(|s| Request::parse(&generate::request_yaml(9_000 + s)).expect("a request parses"))
        .collect();
    let mut tried = 0;
    let mut refused = 0;
    let mut exported = 0;
    for seed in 0..PACKS {
        let text = generate::pack(4_200 + seed, 8).render();
        let Some(files) = export(&text) else {
            continue;
        };
        // Unmutated, the export may still not import (a generated pack Graph words differently).
        let Some(original) = import(&files) else {
            continue;
        };
        exported += 1;
        let baseline: Vec<Option<Decision>> = requests
            .iter()
            .map(|r| eval::decide(&original, r).ok().map(|e| e.decision))
            .collect();
        for (fi, (_, doc)) in files.iter().enumerate() {
            let policies: Vec<(String, &Value)> = match doc {
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| is_policy(v))
                    .map(|(i, v)| (format!("/{i}"), v))
                    .collect(),
                v if is_policy(v) => vec![(String::new(), v)],
                _ => Vec::new(),
            };
            for (base, policy) in policies {
                let mut found = Vec::new();
                mutations(policy, &base, &mut found);
                for (pointer, value) in found {
                    let mut mutated = files.clone();
                    if let Some(slot) = mutated[fi].1.pointer_mut(&pointer) {
                        *slot = Value::String(value.clone());
                    }
                    tried += 1;
                    let Some(compiled) = import(&mutated) else {
                        refused += 1;
                        continue;
                    };
                    for (request, before) in requests.iter().zip(&baseline) {
                        let Some(before) = before else { continue };
                        let Ok(after) = eval::decide(&compiled, request) else {
                            continue;
                        };
                        assert!(
                            strictness(after.decision) >= strictness(*before),
                            "pack {seed}: `{pointer}` = {value:?} made {:?} -> {:?} for {:?}",
                            before,
                            after.decision,
                            request
                        );
                    }
                }
            }
        }
    }
    eprintln!("{exported} packs, {tried} mutations, {refused} refused");
    assert!(
        exported >= 6,
        "only {exported} generated packs could be exported"
    );
    assert!(tried > 200, "only {tried} mutations");
    assert!(refused < tried, "every mutation was refused");
}

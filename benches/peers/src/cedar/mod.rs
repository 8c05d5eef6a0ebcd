//! The pack as Cedar: a schema, one `forbid` policy per way an enforced Conditional Access
//! policy can stop a sign-in, hand-written `forbid` policies for the cross-tenant gate, and
//! entities for tenants (their effective cross-tenant settings as attributes), groups and apps.
//!
//! A Cedar answer is allow or deny with the policies that determined it, so the three-valued
//! decision is carried by which policies fire. Each enforced policy `P` becomes:
//! - `b<i>` (`@outcome("block")`): `P` applies and its result is unsatisfiable or block;
//! - `c<i>` (`@outcome("challenge")`): `P` applies and its result is not satisfied;
//!
//! and the gate policies are `g<i>` (`@outcome("block")`). With one `permit` for everything, the
//! decision is block when a `b`/`g` policy is among the reasons, challenge when only `c` policies
//! are, and allow otherwise: one `is_authorized` call, then a look at the first byte of each
//! reason's id. A policy's result is computed by the expressions the grant controls give
//! (`sat`/`unsat` per control, folded with `&&`/`||` for `all(...)`/`any(...)`).
//!
//! Cedar has no functions, `let` or iteration over data, so the user's classification (§6.3),
//! each control's status (§4.4) and each location's ranges are written out, inline, wherever a
//! policy needs them: the text is what a team would have to write by hand or generate. Locations
//! become `context.ip.isInRange(ip("..."))` disjunctions and country sets.

use std::str::FromStr;

use accord::eval::Decision;
use accord::model::catalog;
use accord::model::request::{Request, UserType};
use cedar_policy::{
    Authorizer, Context, Entities, EntityUid, Policy, PolicyId, PolicySet, Schema, ValidationMode,
    Validator,
};
use serde_json::{json, Value};

use crate::ir;
use crate::settings::{self, AppKey, Setting, TenantFacts};
use crate::{Explained, Unsupported};

const SIGN_IN: &str = r#"Action::"signIn""#;

mod expr;

use expr::{policy_forbids, DIRECT_CONNECT, VIA_COLLABORATION};

const SCHEMA: &str = include_str!("schema.cedarschema");

/// The cross-tenant gate (§4.3), the same text for every pack: the home tenant's effective
/// settings are attributes of its `Tenant` entity.
const GATE: [&str; 4] = [
    // B2B direct connect reaches Teams shared channels (and their SharePoint sites) only.
    r#"forbid(principal, action == Action::"signIn", resource) when {
  DIRECT_CONNECT && !(resource == App::"teams" || resource == App::"sharepoint")
};"#,
    r#"forbid(principal, action == Action::"signIn", resource) when {
  DIRECT_CONNECT && SETTING_BLOCKS(principal.home.directConnect)
};"#,
    // `kind: service_provider` from a tenant not marked `service_provider`.
    r#"forbid(principal, action == Action::"signIn", resource) when {
  VIA_COLLABORATION && context.kind == "service_provider" && !principal.home.serviceProvider
};"#,
    r#"forbid(principal, action == Action::"signIn", resource) when {
  VIA_COLLABORATION && SETTING_BLOCKS(principal.home.collaboration)
};"#,
];

/// An allow-list allows its members, a block-list its complement; the dimensions intersect,
/// except that two block-lists deny only the pair (§4.3).
const SETTING_BLOCKS: &str = r#"(S.mode == "block" || S.mode == "empty" || (S.mode == "lists" && (if !S.usersAllow && !S.appsAllow then ((S.usersAll || principal in S.userGroups) && (S.appsAll || resource in S.apps)) else !((S.usersAllow == (S.usersAll || principal in S.userGroups)) && (S.appsAllow == (S.appsAll || resource in S.apps))))))"#;

/// A pack translated to Cedar.
/// Where the user's classification (§6.3) is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Classification {
    /// In the policies, from the principal's home tenant, userType and the request's kind: all
    /// of the work in Cedar.
    InPolicies,
    /// By the caller, as the principal's `kind` attribute: what a deployment might do to spare
    /// Cedar the repeated expressions (the classification is then outside the timed engine).
    Precomputed,
}

pub struct CedarPack {
    pub schema: Schema,
    pub policies: PolicySet,
    /// The policy text, for reading (`peers` prints its size).
    pub text: String,
    authorizer: Authorizer,
    base_entities: Vec<Value>,
    tenants: Vec<TenantFacts>,
}

/// One request as Cedar input.
pub struct CedarQuery {
    pub request: cedar_policy::Request,
    pub entities: Entities,
}

impl CedarPack {
    pub fn new(pack: &accord::model::Pack) -> Result<CedarPack, Unsupported> {
        CedarPack::with(pack, Classification::InPolicies)
    }

    pub fn with(
        pack: &accord::model::Pack,
        classification: Classification,
    ) -> Result<CedarPack, Unsupported> {
        let ir = ir::lower(pack)?;
        let tenants = settings::tenants(pack)?;
        let mut text = String::new();
        let mut policies = PolicySet::new();
        let mut add = |id: String, src: String, text: &mut String| -> Result<(), Unsupported> {
            let src = match classification {
                Classification::InPolicies => src,
                Classification::Precomputed => expr::precomputed(&src),
            };
            let p = Policy::parse(Some(PolicyId::new(id.clone())), &src).map_err(|e| {
                Unsupported(format!("cedar policy {id} does not parse: {e}\n{src}"))
            })?;
            policies
                .add(p)
                .map_err(|e| Unsupported(format!("cedar policy {id}: {e}")))?;
            text.push_str(&src);
            text.push('\n');
            Ok(())
        };
        add(
            "allow".into(),
            format!("permit(principal, action == {SIGN_IN}, resource);"),
            &mut text,
        )?;
        for (i, gate) in GATE.iter().enumerate() {
            let src = format!("@outcome(\"block\")\n{}", expand_gate(gate));
            add(format!("g{i}"), src, &mut text)?;
        }
        for (i, p) in ir.policies.iter().enumerate() {
            for (id, outcome, cond) in policy_forbids(&ir, p) {
                let src = format!(
                    "@ca({name:?})\n@outcome(\"{outcome}\")\nforbid(principal, action == {SIGN_IN}, resource) when {{\n  {cond}\n}};",
                    name = p.name
                );
                add(format!("{id}{i}"), src, &mut text)?;
            }
        }
        let schema =
            Schema::from_cedarschema_str(&format!("{SCHEMA}\n{}", device_attributes_type()))
                .map_err(|e| Unsupported(format!("cedar schema: {e}")))?
                .0;
        let validation = Validator::new(schema.clone()).validate(&policies, ValidationMode::Strict);
        if !validation.validation_passed() {
            let errors: Vec<String> = validation
                .validation_errors()
                .map(|e| e.to_string())
                .collect();
            return Err(Unsupported(format!(
                "the generated Cedar does not validate: {}",
                errors.join("; ")
            )));
        }
        Ok(CedarPack {
            base_entities: base_entities(&tenants),
            tenants,
            schema,
            policies,
            text,
            authorizer: Authorizer::new(),
        })
    }

    /// The request as Cedar input: the principal with its groups, roles and home tenant, the
    /// resource, and the context. Requests that leave out a signal are refused (Cedar has no
    /// unknown value).
    pub fn query(
        &self,
        pack: &accord::model::Pack,
        r: &Request,
    ) -> Result<CedarQuery, Unsupported> {
        let (Some(platform), Some(ip), Some(country)) =
            (r.device.platform, r.network.ip, r.network.country)
        else {
            return Err(Unsupported("a request that leaves out a signal".into()));
        };
        let mut entities = self.base_entities.clone();
        let name = r.user.name.to_lowercase();
        entities.push(json!({
            "uid": { "type": "User", "id": name },
            "attrs": {
                "userType": match r.user.user_type { UserType::Member => "member", UserType::Guest => "guest" },
                "home": { "__entity": { "type": "Tenant", "id": settings::home_key(pack, r) } },
                "roles": r.user.roles,
                "kind": settings::user_kind(&self.tenants, pack, r),
            },
            "parents": r.user.groups.iter().map(|g| json!({ "type": "Group", "id": g.to_lowercase() })).collect::<Vec<_>>(),
        }));
        let entities = Entities::from_json_value(Value::Array(entities), Some(&self.schema))
            .map_err(|e| Unsupported(format!("cedar entities: {e}")))?;
        let attributes = ir::device_attributes(r);
        let d = &r.device;
        let context = json!({
            "kind": r.user.kind.map_or("unstated", |k| k.name()),
            "clientApp": r.client_app.name(),
            "platform": platform.name(),
            "ip": { "__extn": { "fn": "ip", "arg": ip.to_string() } },
            "country": country.to_string(),
            "mfa": r.auth.mfa.name(),
            "methods": r.auth.methods.iter().map(|m| m.name()).collect::<Vec<_>>(),
            "termsAccepted": r.auth.terms_accepted,
            "flow": r.auth.flow.name(),
            "signInRisk": r.risk.sign_in.name(),
            "userRisk": r.risk.user.name(),
            "insiderRisk": r.risk.insider.name(),
            "device": {
                "compliant": d.compliant, "hybridJoined": d.hybrid_joined,
                "registered": d.registered.name(), "approvedApp": d.approved_app,
                "appProtection": d.app_protection,
            },
            "deviceAttributes": attributes,
        });
        let action = uid(SIGN_IN);
        let context = Context::from_json_value(context, Some((&self.schema, &action)))
            .map_err(|e| Unsupported(format!("cedar context: {e}")))?;
        let principal = uid(&format!("User::{name:?}"));
        let resource = uid(&resource_uid(&settings::request_app(&r.app)));
        let request =
            cedar_policy::Request::new(principal, action, resource, context, Some(&self.schema))
                .map_err(|e| Unsupported(format!("cedar request: {e}")))?;
        Ok(CedarQuery { request, entities })
    }

    /// The decision: one authorisation, then the outcome of the policies that determined it.
    pub fn decide(&self, q: &CedarQuery) -> Decision {
        let response = self
            .authorizer
            .is_authorized(&q.request, &self.policies, &q.entities);
        if response.decision() == cedar_policy::Decision::Allow {
            return Decision::Allow;
        }
        let mut decision = Decision::Block;
        for id in response.diagnostics().reason() {
            match AsRef::<str>::as_ref(id).as_bytes().first() {
                Some(b'b' | b'g') => return Decision::Block,
                Some(b'c') => decision = Decision::Challenge,
                // A deny with no forbid among the reasons (an error stopped the permit): block.
                _ => {}
            }
        }
        decision
    }

    /// The decision with what explains it; errors (an expression that fails to evaluate makes
    /// Cedar skip its policy) are returned, never ignored.
    pub fn explain(&self, q: &CedarQuery) -> Result<Explained, String> {
        let response = self
            .authorizer
            .is_authorized(&q.request, &self.policies, &q.entities);
        let errors: Vec<String> = response
            .diagnostics()
            .errors()
            .map(|e| e.to_string())
            .collect();
        if !errors.is_empty() {
            return Err(errors.join("; "));
        }
        let decision = self.decide(q);
        let reasons: Vec<&PolicyId> = response.diagnostics().reason().collect();
        let gate_blocked = reasons
            .iter()
            .any(|id| AsRef::<str>::as_ref(*id).starts_with('g'));
        let wanted = match decision {
            Decision::Block => "block",
            _ => "challenge",
        };
        let mut deciding: Vec<String> = if gate_blocked || decision == Decision::Allow {
            Vec::new()
        } else {
            reasons
                .iter()
                .filter(|id| self.policies.annotation(id, "outcome") == Some(wanted))
                .filter_map(|id| self.policies.annotation(id, "ca").map(str::to_string))
                .collect()
        };
        deciding.sort();
        deciding.dedup();
        Ok(Explained {
            decision,
            gate_blocked,
            deciding,
        })
    }
}

fn uid(text: &str) -> EntityUid {
    EntityUid::from_str(text).unwrap_or_else(|e| panic!("`{text}` is an entity uid: {e}"))
}

pub(crate) fn resource_uid(app: &AppKey) -> String {
    match app {
        AppKey::App(n) => format!("App::{n:?}"),
        AppKey::Action(n) => format!("UserAction::{n:?}"),
        AppKey::Context(n) => format!("AuthContext::{n:?}"),
    }
}

fn expand_gate(gate: &str) -> String {
    gate.replace(
        "SETTING_BLOCKS(principal.home.directConnect)",
        &SETTING_BLOCKS.replace("S.", "principal.home.directConnect."),
    )
    .replace(
        "SETTING_BLOCKS(principal.home.collaboration)",
        &SETTING_BLOCKS.replace("S.", "principal.home.collaboration."),
    )
    .replace("DIRECT_CONNECT", DIRECT_CONNECT)
    .replace("VIA_COLLABORATION", VIA_COLLABORATION)
}

/// Optional string attributes, one per device property a filter may compare (requests carry
/// them lowercased: filter comparisons ignore case).
fn device_attributes_type() -> String {
    let fields: Vec<String> = accord::model::device_filter::DeviceProperty::ALL
        .iter()
        .map(|p| format!("{}?: String", p.name()))
        .collect();
    format!("type DeviceAttributes = {{ {} }};", fields.join(", "))
}

/// Tenants (effective settings as attributes), the Office 365 app group and its apps.
fn base_entities(tenants: &[TenantFacts]) -> Vec<Value> {
    let mut out = Vec::new();
    for t in tenants {
        out.push(json!({
            "uid": { "type": "Tenant", "id": t.key },
            "attrs": {
                "resource": t.resource, "entra": t.entra, "inOrg": t.in_org,
                "serviceProvider": t.service_provider,
                "trustMfa": t.trust_mfa, "trustCompliant": t.trust_compliant,
                "trustHybrid": t.trust_hybrid,
                "collaboration": setting_record(&t.collaboration),
                "directConnect": setting_record(&t.direct_connect),
            },
            "parents": [],
        }));
    }
    out.push(
        json!({ "uid": { "type": "AppGroup", "id": "office365" }, "attrs": {}, "parents": [] }),
    );
    for a in catalog::FirstPartyApp::ALL {
        let parents: Vec<Value> = if a.in_office365() {
            vec![json!({ "type": "AppGroup", "id": "office365" })]
        } else {
            Vec::new()
        };
        out.push(
            json!({ "uid": { "type": "App", "id": a.name() }, "attrs": {}, "parents": parents }),
        );
    }
    out
}

fn setting_record(s: &Setting) -> Value {
    let (mode, l) = match s {
        Setting::Allow => ("allow", None),
        Setting::Block => ("block", None),
        Setting::Empty => ("empty", None),
        Setting::Lists(l) => ("lists", Some(l)),
    };
    let groups: Vec<Value> = l
        .map(|l| {
            l.groups
                .iter()
                .map(|g| json!({ "type": "Group", "id": g }))
                .collect()
        })
        .unwrap_or_default();
    let apps: Vec<Value> = l
        .map(|l| {
            l.apps
                .iter()
                .map(|a| json!({ "type": "App", "id": a }))
                .collect()
        })
        .unwrap_or_default();
    json!({
        "mode": mode,
        "usersAllow": l.is_some_and(|l| l.users_allow),
        "usersAll": l.is_some_and(|l| l.users_all),
        "userGroups": groups,
        "appsAllow": l.is_some_and(|l| l.apps_allow),
        "appsAll": l.is_some_and(|l| l.apps_all),
        "apps": apps,
    })
}

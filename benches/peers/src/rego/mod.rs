//! The pack as Rego for regorus: a hand-written module that classifies the user (§6.3), applies
//! the cross-tenant gate (§4.3) and computes each grant control's status (§4.4) as rules and
//! functions, a generated module with one rule per enforced policy, and the configuration
//! (tenants with their effective settings, named locations, catalog groupings) as JSON data.
//!
//! Each enforced policy adds `[name, result]` to the set `results` when it applies, its result
//! ranked as accord folds it (0 satisfied, 1 challenge, 2 unsatisfiable, 3 block); `decision`
//! is the most restrictive (`block` first if the gate blocks). Rules without arguments are
//! evaluated once per query (location membership, the user's kind, each control's status), as a
//! team writing Rego would arrange it.

use accord::eval::Decision;
use accord::model::request::{Request, UserType};
use regorus::{Engine, Value};
use serde_json::json;

use crate::ir::{self, Ir, LocationKindIr};
use crate::settings::{self, AppKey, Setting};
use crate::{Explained, Unsupported};

mod module;

use module::module;

const LIBRARY: &str = include_str!("library.rego");

/// A pack translated to Rego, loaded in a regorus engine.
pub struct RegoPack {
    pub engine: Engine,
    /// The generated module (the library is [`LIBRARY`]).
    pub policies: String,
    pub data: serde_json::Value,
}

impl RegoPack {
    pub fn new(pack: &accord::model::Pack) -> Result<RegoPack, Unsupported> {
        let ir = ir::lower(pack)?;
        let policies = module(&ir);
        let data = data(pack, &ir)?;
        let mut engine = Engine::new();
        engine
            .add_policy("library.rego".into(), LIBRARY.into())
            .map_err(|e| Unsupported(format!("the Rego library: {e}")))?;
        engine
            .add_policy("policies.rego".into(), policies.clone())
            .map_err(|e| Unsupported(format!("the generated Rego: {e}")))?;
        engine
            .add_data(
                Value::from_json_str(&data.to_string()).map_err(|e| Unsupported(e.to_string()))?,
            )
            .map_err(|e| Unsupported(format!("the Rego data: {e}")))?;
        Ok(RegoPack {
            engine,
            policies,
            data,
        })
    }

    /// The request as Rego input. Requests that leave out a signal are refused, as for Cedar.
    pub fn input(pack: &accord::model::Pack, r: &Request) -> Result<Value, Unsupported> {
        let (Some(platform), Some(ip), Some(country)) =
            (r.device.platform, r.network.ip, r.network.country)
        else {
            return Err(Unsupported("a request that leaves out a signal".into()));
        };
        let (kind, name) = match settings::request_app(&r.app) {
            AppKey::App(n) => ("app", n),
            AppKey::Action(n) => ("action", n),
            AppKey::Context(n) => ("context", n),
        };
        let attributes = ir::device_attributes(r);
        let d = &r.device;
        let input = json!({
            "user": {
                "name": r.user.name.to_lowercase(),
                "type": match r.user.user_type { UserType::Member => "member", UserType::Guest => "guest" },
                "home": settings::home_key(pack, r),
                "groups": r.user.groups.iter().map(|g| g.to_lowercase()).collect::<Vec<_>>(),
                "roles": r.user.roles,
            },
            "kind": r.user.kind.map_or("unstated", |k| k.name()),
            "app": { "type": kind, "key": format!("{kind}:{name}"), "name": name },
            "client_app": r.client_app.name(),
            "device": {
                "platform": platform.name(),
                "compliant": d.compliant, "hybrid_joined": d.hybrid_joined,
                "registered": d.registered.name(), "approved_app": d.approved_app,
                "app_protection": d.app_protection,
                "attributes": attributes,
            },
            "network": { "ip": ip.to_string(), "country": country.to_string() },
            "auth": {
                "mfa": r.auth.mfa.name(),
                "methods": r.auth.methods.iter().map(|m| m.name()).collect::<Vec<_>>(),
                "terms_accepted": r.auth.terms_accepted,
                "flow": r.auth.flow.name(),
            },
            "risk": {
                "sign_in": r.risk.sign_in.name(),
                "user": r.risk.user.name(),
                "insider": r.risk.insider.name(),
            },
        });
        Value::from_json_str(&input.to_string()).map_err(|e| Unsupported(e.to_string()))
    }

    /// The decision: `data.accord.decision` for this input.
    pub fn decide(&mut self, input: &Value) -> Result<Decision, String> {
        self.engine.set_input(input.clone());
        let v = self
            .engine
            .eval_rule("data.accord.decision".into())
            .map_err(|e| e.to_string())?;
        decision(&v)
    }

    pub fn explain(&mut self, input: &Value) -> Result<Explained, String> {
        let decision = self.decide(input)?;
        let gate = self
            .engine
            .eval_rule("data.accord.gate_blocks".into())
            .map_err(|e| e.to_string())?;
        let deciding = self
            .engine
            .eval_rule("data.accord.deciding".into())
            .map_err(|e| e.to_string())?;
        let mut names: Vec<String> = match &deciding {
            Value::Set(s) => s
                .iter()
                .map(|v| {
                    v.as_string()
                        .map(|s| s.to_string())
                        .map_err(|e| e.to_string())
                })
                .collect::<Result<_, _>>()?,
            other => return Err(format!("`deciding` is {other}")),
        };
        names.sort();
        Ok(Explained {
            decision,
            gate_blocked: gate == Value::from(true),
            deciding: if decision == Decision::Allow {
                Vec::new()
            } else {
                names
            },
        })
    }
}

pub fn decision(v: &Value) -> Result<Decision, String> {
    match v
        .as_string()
        .map_err(|_| format!("the decision is {v}"))?
        .as_ref()
    {
        "allow" => Ok(Decision::Allow),
        "challenge" => Ok(Decision::Challenge),
        "block" => Ok(Decision::Block),
        other => Err(format!("the decision is `{other}`")),
    }
}

/// The configuration as data: tenants with their effective settings, named locations (by name),
/// the Office 365 grouping, and the method combinations of each built-in strength.
fn data(pack: &accord::model::Pack, ir: &Ir) -> Result<serde_json::Value, Unsupported> {
    let mut tenants = serde_json::Map::new();
    for t in settings::tenants(pack)? {
        tenants.insert(
            t.key.clone(),
            json!({
                "resource": t.resource, "entra": t.entra, "in_org": t.in_org,
                "service_provider": t.service_provider,
                "trust_mfa": t.trust_mfa, "trust_compliant": t.trust_compliant,
                "trust_hybrid": t.trust_hybrid,
                "collaboration": setting(&t.collaboration),
                "direct_connect": setting(&t.direct_connect),
            }),
        );
    }
    let mut locations = serde_json::Map::new();
    for l in &ir.locations {
        locations.insert(
            l.name.clone(),
            match &l.kind {
                LocationKindIr::Ip(ranges) => {
                    json!({ "kind": "ip", "ranges": ranges, "trusted": l.trusted })
                }
                LocationKindIr::Countries { codes, unknown } => json!({
                    "kind": "countries", "codes": codes, "unknown": unknown, "trusted": l.trusted,
                }),
            },
        );
    }
    let strengths: serde_json::Map<String, serde_json::Value> =
        accord::model::catalog::BuiltInStrength::ALL
            .iter()
            .map(|s| (s.name().to_string(), json!(ir::strength_combinations(*s))))
            .collect();
    Ok(json!({
        "tenants": tenants,
        "locations": locations,
        "office365": settings::office365(),
        "strengths": strengths,
    }))
}

fn setting(s: &Setting) -> serde_json::Value {
    match s {
        Setting::Allow => json!({ "mode": "allow" }),
        Setting::Block => json!({ "mode": "block" }),
        Setting::Empty => json!({ "mode": "empty" }),
        Setting::Lists(l) => json!({
            "mode": "lists",
            "users_allow": l.users_allow, "users_all": l.users_all, "groups": l.groups,
            "apps_allow": l.apps_allow, "apps_all": l.apps_all, "apps": l.apps,
        }),
    }
}

/// The same Rego compiled to regorus's bytecode VM (RVM), entry point `data.accord.decision`.
pub struct RegoVm {
    vm: regorus::rvm::RegoVM,
}

impl RegoVm {
    pub fn new(rego: &mut RegoPack) -> Result<RegoVm, String> {
        let entry = "data.accord.decision";
        let compiled = rego
            .engine
            .compile_with_entrypoint(&regorus::Rc::from(entry))
            .map_err(|e| e.to_string())?;
        let program =
            regorus::languages::rego::compiler::Compiler::compile_from_policy(&compiled, &[entry])
                .map_err(|e| e.to_string())?;
        let mut vm = regorus::rvm::RegoVM::new();
        vm.load_program(program);
        vm.set_data(Value::from_json_str(&rego.data.to_string()).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
        Ok(RegoVm { vm })
    }

    pub fn decide(&mut self, input: &Value) -> Result<Decision, String> {
        self.vm.set_input(input.clone());
        let v = self.vm.execute().map_err(|e| e.to_string())?;
        decision(&v)
    }
}

//! The check that comes before any timing: accord, Cedar and regorus decide every request of
//! the mix that states every signal alike, and agree on why (the gate, or the same enforced
//! policies with the decision as their result). A disagreement is a bug in a translator.

use accord::eval::{self, Decision, Options};

use crate::cedar::CedarPack;
use crate::rego::RegoPack;
use crate::workload::{states_every_signal, Workload};
use crate::Explained;

/// What the check saw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Agreement {
    /// Requests decided by all three engines (those that state every signal).
    pub compared: usize,
    /// Requests that leave out a signal: decided by accord alone.
    pub accord_only: usize,
    /// Among the compared: how many allow, challenge, block; and blocked by the gate.
    pub allow: usize,
    pub challenge: usize,
    pub block: usize,
    pub gate_blocked: usize,
    /// One line per request on which an engine disagrees (empty when all agree).
    pub disagreements: Vec<String>,
}

/// accord's decision and explanation of one request, in the common terms.
pub fn accord_explained(
    c: &eval::Compiled,
    request: &accord::model::request::Request,
) -> Explained {
    let r = eval::resolve(c, request).expect("generated requests resolve");
    let (outcome, explanation) = eval::decide_explained(c, &r, Options::default());
    let traced = eval::decide_resolved(c, &r, Options::default());
    assert_eq!(
        traced.decision, outcome.decision,
        "accord's traced and decision-only paths disagree"
    );
    let mut deciding: Vec<String> = explanation.deciding.iter().map(|s| s.to_string()).collect();
    deciding.sort();
    Explained {
        decision: outcome.decision,
        gate_blocked: explanation.gate_blocked,
        deciding,
    }
}

/// Decides every request of the workload with the three engines and compares.
pub fn check(w: &Workload, cedar: &CedarPack, rego: &mut RegoPack) -> Agreement {
    let mut out = Agreement::default();
    let pack = w.pack();
    for (k, request) in w.requests.iter().enumerate() {
        if !states_every_signal(request) {
            out.accord_only += 1;
            continue;
        }
        out.compared += 1;
        let a = accord_explained(&w.compiled, request);
        let c = cedar
            .query(pack, request)
            .map_err(|e| e.to_string())
            .and_then(|q| cedar.explain(&q));
        let g = RegoPack::input(pack, request)
            .map_err(|e| e.to_string())
            .and_then(|i| rego.explain(&i));
        match a.decision {
            Decision::Allow => out.allow += 1,
            Decision::Challenge => out.challenge += 1,
            Decision::Block => out.block += 1,
        }
        if a.gate_blocked {
            out.gate_blocked += 1;
        }
        let same = |x: &Result<Explained, String>| x.as_ref().is_ok_and(|x| *x == a);
        if !same(&c) || !same(&g) {
            out.disagreements.push(format!(
                "request {k} ({} policies):\n  accord: {a:?}\n  cedar:  {c:?}\n  rego:   {g:?}\n  request: {}",
                w.policies,
                crate::workload::request_text(k as u64).replace('\n', "; ")
            ));
        }
    }
    out
}

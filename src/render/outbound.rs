//! An `outbound:` answer: the decision and its rule, then each gate with the setting that
//! decided it, and what the other tenant decides on its side.

use serde_json::json;

use crate::eval::outbound::OutboundDecision;

/// `ALLOW: <who> to <tenant> [rule]`, then one line per gate.
pub fn text(d: &OutboundDecision<'_>) -> String {
    format!("{d}\n")
}

/// The answer as JSON: `decision`, `rule`, `reason`, and the text of each gate.
pub fn json(d: &OutboundDecision<'_>) -> String {
    let doc = json!({
        "decision": d.verdict(),
        "rule": d.rule.id(),
        "reason": d.reason,
        "who": d.who,
        "resource_tenant": d.resource,
        "gates": {
            "outbound_b2b": {"allows": d.outbound.allows(), "reason": d.outbound.to_string()},
            "tenant_restrictions": {
                "allows": d.tenant_restrictions.allows(),
                "reason": d.tenant_restrictions.to_string(),
            },
        },
        "not_decided": format!("{}: its inbound cross-tenant settings and Conditional Access (not in this pack)", d.resource),
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into())
    )
}

//! A `mail:` answer as text: the outcome and its reason, the connector and route, then every
//! step that was checked.

use crate::eval::mail::MailDecision;

/// `REJECTED: <reason>`, then `connector:`, `route:` and the steps, one per line.
pub fn text(d: &MailDecision) -> String {
    let mut out = format!("{d}\n");
    out.push_str(&format!("  rule: {}\n", d.rule));
    if let Some(c) = &d.connector {
        out.push_str(&format!("  connector: {c}\n"));
    }
    if !d.route.is_empty() {
        out.push_str(&format!("  route: {}\n", d.route.join(", ")));
    }
    if !d.steps.is_empty() {
        out.push_str("  steps:\n");
        for s in &d.steps {
            let mark = match s.outcome {
                Some(o) => o.name(),
                None => "note",
            };
            out.push_str(&format!("    - [{mark}] {}: {}\n", s.rule, s.reason));
        }
    }
    out
}

/// The answer as the JSON document of the public contract.
pub fn json(d: &MailDecision) -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(d).unwrap_or_else(|_| "{}".into())
    )
}

//! Custom authentication strengths and the policies that require one (§1.13).

use super::{repeats, Findings};
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::model::{is_guid, AuthStrength, Control, Pack};

pub(super) fn check(pack: &Pack, out: &mut Findings) {
    for (name, span, first) in repeats(
        pack.strengths
            .iter()
            .map(|s| (s.name.value.clone(), s.name.span)),
    ) {
        out.add(
            Diagnostic::error(
                "E1073",
                format!("authentication strength `{name}` is declared twice"),
            )
            .at(span)
            .label(first, "first declared here")
            .help("give each custom strength its own name"),
        );
    }
    let ids = pack.strengths.iter().filter_map(|s| {
        s.id.as_ref()
            .map(|i| (i.value.to_ascii_lowercase(), i.span))
    });
    for (id, span, first) in repeats(ids) {
        out.add(
            Diagnostic::error(
                "E1073",
                format!("two authentication strengths have the id `{id}`"),
            )
            .at(span)
            .label(first, "first used here")
            .help("a strength's id is its Graph id: each strength has its own"),
        );
    }
    for s in &pack.strengths {
        if let Some(id) = s.id.as_ref().filter(|i| !is_guid(&i.value)) {
            out.add(
                Diagnostic::error("E1074", format!("strength id `{}` is not a GUID", id.value))
                    .at(id.span)
                    .help("Graph ids look like `9f3e1c2a-5b7d-4e8f-a1b2-c3d4e5f6a7b8`; leave `id` out for a strength not yet created"),
            );
        }
        if s.combinations.is_empty() {
            out.add(
                Diagnostic::error("E1075", format!("authentication strength `{}` allows no combination", s.name.value))
                    .at(s.name.span)
                    .help("add at least one `allow` line, such as `allow fido2` or `allow password + sms`"),
            );
        }
    }
    references(pack, out);
}

/// `E1076`: `auth_strength "<reference>"` names no declared strength and is not an id.
/// `W1076`: an id the pack does not declare: accord cannot tell which methods it allows, so it is
/// never met (fail closed).
fn references(pack: &Pack, out: &mut Findings) {
    for policy in &pack.policies {
        for control in policy.grant.iter().flat_map(|g| &g.controls) {
            let Control::AuthStrength(AuthStrength::Custom(reference)) = &control.value else {
                continue;
            };
            if pack.strength(reference).is_some() {
                continue;
            }
            if is_guid(reference) {
                out.add(
                    Diagnostic::warning("W1076", format!("authentication strength `{reference}` is not declared"))
                        .at(control.span)
                        .help("declare it (`auth_strength \"<name>\" { id = \"...\"  allow ... }`) or import the tenant's `authenticationStrengthPolicies`: until then it is never met"),
                );
                continue;
            }
            let help = did_you_mean(reference, pack.strengths.iter().map(|s| s.name.value.as_str()))
                .unwrap_or_else(|| "declare it with `auth_strength \"<name>\" { allow ... }`, or use a built-in strength: `mfa`, `passwordless`, `phishing_resistant` (unquoted)".into());
            out.add(
                Diagnostic::error(
                    "E1076",
                    format!("unknown authentication strength `{reference}`"),
                )
                .at(control.span)
                .help(help),
            );
        }
    }
}

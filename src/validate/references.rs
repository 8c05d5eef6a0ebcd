//! Resolving names: tenants, locations and directory roles, with "did you mean".

use super::index::Index;
use super::values::is_guid;
use super::Findings;
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::model::catalog::{role_by_name, ROLES};
use crate::model::{Name, Pack};
use crate::source::Span;

/// The index of the tenant `name` refers to; `E1008` when there is none.
pub(super) fn tenant(pack: &Pack, index: &Index, name: &Name, out: &mut Findings) -> Option<usize> {
    if let Some(i) = index.tenants.get(&name.value) {
        return Some(*i);
    }
    let names = pack.tenants.iter().map(|t| t.name.value.as_str());
    let help = did_you_mean(&name.value, names).unwrap_or_else(|| {
        format!(
            "declare it with `tenant {} {{ id = \"<tenant id>\" }}`",
            display_name(&name.value)
        )
    });
    out.add(
        Diagnostic::error("E1008", format!("unknown tenant `{}`", name.value))
            .at(name.span)
            .help(help),
    );
    None
}

/// Checks a named location reference (`E1069`, or the warning `W1069` for an undeclared id).
pub(super) fn location(pack: &Pack, index: &Index, name: &str, span: Span, out: &mut Findings) {
    if index.locations.contains_key(name) {
        return;
    }
    if is_guid(name) {
        // Graph names locations by id: an imported policy may refer to a named location the
        // import did not receive. The evaluator cannot tell whether a sign-in is in it, so it
        // fails closed (the condition is unknown and the most restrictive outcome is taken).
        out.add(
            Diagnostic::warning(
                "W1069",
                format!(
                    "location `{name}` is not declared in this pack: decisions that depend on it \
                     take the most restrictive outcome"
                ),
            )
            .at(span)
            .help("import the tenant's named locations too, or declare the location"),
        );
        return;
    }
    let names = pack.locations.iter().map(|l| l.name.value.as_str()).chain([
        "all",
        "all_trusted",
        "mfa_trusted_ips",
        "compliant_network",
    ]);
    let help = did_you_mean(name, names).unwrap_or_else(|| {
        format!(
            "declare it with `location {} {{ ip = [...] }}`, or use `all`, `all_trusted` or \
             `mfa_trusted_ips`",
            display_name(name)
        )
    });
    out.add(
        Diagnostic::error("E1069", format!("unknown location `{name}`"))
            .at(span)
            .help(help),
    );
}

/// Checks a `role <name>` target: a catalog name or a role template id (`E1057`, `E1058`).
pub(super) fn role(name: &str, span: Span, out: &mut Findings) {
    if role_by_name(name).is_some() {
        return;
    }
    if is_guid(name) {
        if !ROLES.iter().any(|r| r.id.eq_ignore_ascii_case(name)) {
            // Only built-in directory roles count in Conditional Access (§1.3).
            out.add(
                Diagnostic::warning(
                    "E1058",
                    format!("`{name}` is not the template id of a built-in role known to accord"),
                )
                .at(span)
                .help(
                    "Conditional Access honours built-in directory roles only: check the id, \
                     or write the role's name such as `global_administrator`",
                ),
            );
        }
        return;
    }
    let spelled = name.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    let help = match role_by_name(&spelled) {
        Some(r) => format!("write the role's name in snake_case: `{}`", r.name),
        None => did_you_mean(name, ROLES.iter().map(|r| r.name)).unwrap_or_else(|| {
            "name a built-in directory role in snake_case (such as `global_administrator`), \
             or give its template id"
                .to_string()
        }),
    };
    out.add(
        Diagnostic::error("E1057", format!("unknown directory role `{name}`"))
            .at(span)
            .help(help),
    );
}

/// A name as it would be written in a declaration: bare when it is an identifier.
fn display_name(name: &str) -> String {
    let ident = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ident {
        name.to_string()
    } else {
        format!("{name:?}")
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::codes_of;

    #[test]
    fn unknown_tenant_in_organization() {
        assert_eq!(
            codes_of("organization \"G\" { contoso owner active  fabrikan member active }"),
            ["E1008"]
        );
    }

    #[test]
    fn unknown_tenant_in_cross_tenant_and_origin() {
        assert_eq!(codes_of("cross_tenant litware { trust mfa }"), ["E1008"]);
        assert_eq!(
            codes_of(
                "policy \"p\" { users { include external(b2b_guest) from tenants(fabrikam, litware) } apps { include all } grant mfa }"
            ),
            ["E1008"]
        );
    }

    #[test]
    fn unknown_location() {
        let policy = |loc: &str| {
            format!(
                "location hq {{ ip = [\"203.0.113.0/24\"] }}\npolicy \"p\" {{ users {{ include all }} apps {{ include all }} conditions {{ locations = include({loc}) }} grant mfa }}"
            )
        };
        assert_eq!(codes_of(&policy("hq")), Vec::<String>::new());
        assert_eq!(codes_of(&policy("all_trusted")), Vec::<String>::new());
        assert_eq!(codes_of(&policy("mfa_trusted_ips")), Vec::<String>::new());
        assert_eq!(codes_of(&policy("hqq")), ["E1069"]);
    }

    #[test]
    fn roles_by_name_or_id() {
        let policy = |role: &str| {
            format!(
                "policy \"p\" {{ users {{ include role {role} }} apps {{ include all }} grant mfa }}"
            )
        };
        assert_eq!(
            codes_of(&policy("global_administrator")),
            Vec::<String>::new()
        );
        assert_eq!(
            codes_of(&policy("\"62e90394-69f5-4237-9190-012177145e10\"")),
            Vec::<String>::new()
        );
        assert_eq!(
            codes_of(&policy("\"00000000-1111-2222-3333-444444444444\"")),
            ["E1058"]
        );
        assert_eq!(codes_of(&policy("global_admin")), ["E1057"]);
        assert_eq!(codes_of(&policy("\"Global Administrator\"")), ["E1057"]);
    }
}

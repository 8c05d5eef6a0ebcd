//! Tenants and the multi-tenant organization (§5).

use super::index::Index;
use super::values::{domain_problem, guid_help, is_guid};
use super::{references, repeats, Findings};
use crate::diagnostic::Diagnostic;
use crate::model::{OrgRole, Pack};
use crate::source::{FileId, Span};

pub(super) fn check(pack: &Pack, index: &Index, out: &mut Findings) {
    resource_tenant(pack, out);
    names(pack, out);
    ids(pack, out);
    domains(pack, out);
    organizations(pack, index, out);
}

/// Exactly one tenant owns the apps and data the pack governs (`E1001`, `E1002`).
fn resource_tenant(pack: &Pack, out: &mut Findings) {
    let resources: Vec<_> = pack.tenants.iter().filter(|t| t.resource).collect();
    match resources.as_slice() {
        [] => {
            let mut d = Diagnostic::error("E1001", "the pack declares no resource tenant").help(
                "add `resource tenant <name> { id = \"<tenant id>\" }` for the tenant that owns \
                 the apps and data, or write `resource` before its `tenant`",
            );
            if let Some(file) = first_file(pack) {
                d = d.at(Span::new(file, 0, 0));
            }
            out.add(d);
        }
        [first, rest @ ..] => {
            for other in rest {
                out.add(
                    Diagnostic::error(
                        "E1002",
                        format!("`{}` is a second resource tenant", other.name.value),
                    )
                    .at(other.name.span)
                    .label(first.name.span, "the resource tenant is declared here")
                    .help("a pack governs one resource tenant: declare the others with `tenant`"),
                );
            }
        }
    }
}

/// The first file that holds an item: where a finding about the whole pack points.
fn first_file(pack: &Pack) -> Option<FileId> {
    let spans = pack
        .tenants
        .iter()
        .map(|t| t.span)
        .chain(pack.organizations.iter().map(|o| o.span))
        .chain(pack.locations.iter().map(|l| l.span))
        .chain(pack.cross_tenant.iter().map(|x| x.span))
        .chain(pack.policies.iter().map(|p| p.span))
        .chain(pack.sharing.iter().map(|s| s.span));
    spans.map(|s| s.file).min()
}

/// `E1003`.
fn names(pack: &Pack, out: &mut Findings) {
    let items = pack
        .tenants
        .iter()
        .map(|t| (t.name.value.clone(), t.name.span));
    for (name, span, first) in repeats(items) {
        out.add(
            Diagnostic::error("E1003", format!("tenant `{name}` is declared twice"))
                .at(span)
                .label(first, "first declared here")
                .help("give each tenant its own name, or merge the two declarations"),
        );
    }
}

/// `E1004`, `E1005`.
fn ids(pack: &Pack, out: &mut Findings) {
    let mut valid = Vec::new();
    for tenant in &pack.tenants {
        let Some(id) = &tenant.id else { continue };
        if is_guid(&id.value) {
            valid.push((id.value.to_ascii_lowercase(), id.span));
        } else {
            out.add(
                Diagnostic::error("E1004", format!("tenant id `{}` is not a GUID", id.value))
                    .at(id.span)
                    .help(guid_help(&id.value, "a tenant id")),
            );
        }
    }
    for (id, span, first) in repeats(valid) {
        out.add(
            Diagnostic::error("E1005", format!("tenant id `{id}` belongs to two tenants"))
                .at(span)
                .label(first, "first declared here")
                .help("a tenant id names one tenant: keep one declaration"),
        );
    }
}

/// `E1006`, `E1007`.
fn domains(pack: &Pack, out: &mut Findings) {
    let mut valid = Vec::new();
    for domain in pack.tenants.iter().flat_map(|t| &t.domains) {
        match domain_problem(&domain.value) {
            None => valid.push((domain.value.clone(), domain.span)),
            Some(help) => out.add(invalid_domain(&domain.value, domain.span, help)),
        }
    }
    for (domain, span, first) in repeats(valid) {
        out.add(
            Diagnostic::error("E1006", format!("domain `{domain}` is declared twice"))
                .at(span)
                .label(first, "first declared here")
                .help("a domain is verified in one tenant only: keep one declaration"),
        );
    }
}

/// `E1007`, shared by every place that holds a domain.
pub(super) fn invalid_domain(domain: &str, span: Span, help: String) -> Diagnostic {
    Diagnostic::error("E1007", format!("`{domain}` is not a domain name"))
        .at(span)
        .help(help)
}

/// `E1008`-`E1011`.
fn organizations(pack: &Pack, index: &Index, out: &mut Findings) {
    for org in &pack.organizations {
        if org.members.is_empty() {
            out.add_in(
                org.span,
                Diagnostic::error(
                    "E1011",
                    format!("organization `{}` has no members", org.name.value),
                )
                .at(org.name.span)
                .help("list its tenants, one a line: `contoso owner active`"),
            );
            continue;
        }
        for member in &org.members {
            references::tenant(pack, index, &member.tenant, out);
        }
        let members = org
            .members
            .iter()
            .map(|m| (m.tenant.value.clone(), m.tenant.span));
        for (name, span, first) in repeats(members) {
            out.add(
                Diagnostic::error(
                    "E1009",
                    format!("tenant `{name}` is listed twice in the organization"),
                )
                .at(span)
                .label(first, "first listed here")
                .help("a tenant has one role and one state: keep one line"),
            );
        }
        if !org.members.iter().any(|m| m.role.value == OrgRole::Owner) {
            out.add_in(
                org.span,
                Diagnostic::error(
                    "E1010",
                    format!("organization `{}` has no owner", org.name.value),
                )
                .at(org.name.span)
                .help(
                    // §5.2: at least one owner (the linter checks that one is active).
                    "mark the tenant that created the organization as owner: `contoso owner active`",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::load::load_texts;
    use crate::validate::tests::codes_of;
    use crate::validate::validate;

    fn codes(text: &str) -> Vec<String> {
        let loaded = load_texts([("t.policy", text)]);
        assert!(
            loaded.diagnostics().is_empty(),
            "{:?}",
            loaded.diagnostics()
        );
        validate(loaded.pack)
            .diagnostics
            .into_iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn exactly_one_resource_tenant() {
        assert_eq!(codes("tenant a { }"), ["E1001"]);
        assert_eq!(codes(""), ["E1001"]);
        assert_eq!(
            codes("resource tenant a { }  resource tenant b { }  resource tenant c { }"),
            ["E1002", "E1002"]
        );
    }

    #[test]
    fn no_resource_tenant_points_at_the_first_file() {
        let loaded = load_texts([("a.policy", "# nothing"), ("b.policy", "tenant x { }")]);
        let v = validate(loaded.pack);
        let span = v.diagnostics[0].span.map(|s| (s.file.0, s.start, s.end));
        assert_eq!(span, Some((1, 0, 0)));
        let empty = validate(load_texts([("a.policy", "")]).pack);
        assert_eq!(empty.diagnostics[0].span, None);
    }

    #[test]
    fn duplicate_tenants_ids_and_domains() {
        assert_eq!(codes_of("tenant fabrikam { }"), ["E1003"]);
        assert_eq!(
            codes_of("tenant litware { id = \"8D0E5B8A-6B1F-4BD7-8F0E-6C9F4A1C2B02\" }"),
            ["E1005"]
        );
        assert_eq!(
            codes_of("tenant litware { domains = [\"fabrikam.com\"] }"),
            ["E1006"]
        );
        assert_eq!(
            codes_of("tenant litware { domains = [\"litware.com\", \"litware.com\"] }"),
            ["E1006"]
        );
    }

    #[test]
    fn tenant_values() {
        assert_eq!(codes_of("tenant litware { id = \"litware\" }"), ["E1004"]);
        assert_eq!(
            codes_of("tenant litware { domains = [\"https://litware.com\", \"Litware.net\"] }"),
            ["E1007", "E1007"]
        );
    }

    #[test]
    fn organization_rules() {
        assert_eq!(
            codes_of("organization \"G\" { contoso owner active  fabrikam member active }"),
            Vec::<String>::new()
        );
        assert_eq!(
            codes_of("organization \"G\" { contoso member active  fabrikam member active }"),
            ["E1010"]
        );
        assert_eq!(codes_of("organization \"G\" { }"), ["E1011"]);
        assert_eq!(
            codes_of("organization \"G\" { contoso owner active  contoso member active }"),
            ["E1009"]
        );
        // Which organizations the resource tenant is in, and whether it is in two, is the
        // linter's business (MTO001, MTO006): such a pack is still decidable.
        assert!(codes_of("organization \"G\" { fabrikam owner active }").is_empty());
        assert!(codes_of(
            "organization \"G\" { contoso owner active }\norganization \"H\" { contoso owner active }"
        )
        .is_empty());
    }
}

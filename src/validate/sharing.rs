//! Microsoft 365 sharing settings (§7).

use super::tenants::invalid_domain;
use super::values::{domain_problem, site_url_problem};
use super::{repeats, Findings};
use crate::diagnostic::Diagnostic;
use crate::model::{DomainList, Pack, Sharing};

pub(super) fn check(pack: &Pack, out: &mut Findings) {
    if let [first, rest @ ..] = pack.sharing.as_slice() {
        for other in rest {
            out.add(
                Diagnostic::error("E1080", "`sharing` is declared twice")
                    .at(super::keyword_span(other.span, "sharing"))
                    .label(
                        super::keyword_span(first.span, "sharing"),
                        "first declared here",
                    )
                    .help("merge the two blocks into one"),
            );
        }
    }
    for sharing in &pack.sharing {
        sites(sharing, out);
        domain_lists(&sharing.domains, out);
        if let Some(invitations) = &sharing.invitations {
            domain_lists(&invitations.domains, out);
        }
        domain_lists(&sharing.teams_external_domains, out);
        calendar(sharing, out);
        meeting_policies(sharing, out);
        super::exchange::check(sharing, out);
    }
}

/// `E1083`: two `teams meeting` blocks for the same policy (no name is `Global`).
fn meeting_policies(sharing: &Sharing, out: &mut Findings) {
    let names = sharing.teams_meetings.iter().map(|m| {
        let at = m.name.as_ref().map_or(m.span, |n| n.span);
        (m.policy_name().to_ascii_lowercase(), at)
    });
    for (_, span, first) in repeats(names) {
        let name = sharing
            .teams_meetings
            .iter()
            .find(|m| m.name.as_ref().map_or(m.span, |n| n.span) == span)
            .map_or("Global", |m| m.policy_name());
        out.add(
            Diagnostic::error("E1083", format!("meeting policy `{name}` is set twice"))
                .at(span)
                .label(first, "first set here")
                .help("a meeting policy has one lobby setting: merge the two blocks (no name is the org-wide default `Global`)"),
        );
    }
}

/// `E1081`, `E1082`.
fn sites(sharing: &Sharing, out: &mut Findings) {
    let mut valid = Vec::new();
    for site in &sharing.sites {
        match site_url_problem(&site.url.value) {
            None => valid.push((normalized_url(&site.url.value), site.url.span)),
            Some(help) => out.add(
                Diagnostic::error("E1081", format!("`{}` is not an https URL", site.url.value))
                    .at(site.url.span)
                    .help(help),
            ),
        }
        domain_lists(&site.domains, out);
    }
    for (url, span, first) in repeats(valid) {
        out.add(
            Diagnostic::error("E1082", format!("site `{url}` is set twice"))
                .at(span)
                .label(first, "first set here")
                .help("a site has one sharing level: keep one entry"),
        );
    }
}

/// Host names ignore case and a trailing `/` names the same site.
fn normalized_url(url: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    match trimmed.strip_prefix("https://") {
        Some(rest) => {
            let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
            if path.is_empty() {
                format!("https://{}", host.to_ascii_lowercase())
            } else {
                format!("https://{}/{path}", host.to_ascii_lowercase())
            }
        }
        None => trimmed.to_string(),
    }
}

/// `E1007`. Two lists, or an allow list beside a block list, are the linter's `SHR003`.
fn domain_lists(lists: &[DomainList], out: &mut Findings) {
    for domain in lists.iter().flat_map(|l| &l.domains) {
        if let Some(help) = domain_problem(&domain.value) {
            out.add(invalid_domain(&domain.value, domain.span, help));
        }
    }
}

/// `E1007` (a domain or `"*"`), `E1085`.
fn calendar(sharing: &Sharing, out: &mut Findings) {
    let mut valid = Vec::new();
    for share in &sharing.calendar {
        let domain = &share.domain;
        if domain.value == "*" {
            valid.push((domain.value.clone(), domain.span));
            continue;
        }
        match domain_problem(&domain.value) {
            None => valid.push((domain.value.clone(), domain.span)),
            Some(help) => out.add(invalid_domain(
                &domain.value,
                domain.span,
                format!("{help} (or `\"*\"` for every other domain)"),
            )),
        }
    }
    for (domain, span, first) in repeats(valid) {
        out.add(
            Diagnostic::error(
                "E1085",
                format!("calendar sharing with `{domain}` is set twice"),
            )
            .at(span)
            .label(first, "first set here")
            .help("a domain has one calendar sharing level: keep one line"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::codes_of;

    const NONE: [&str; 0] = [];

    fn sharing(body: &str) -> Vec<String> {
        codes_of(&format!("sharing {{ {body} }}"))
    }

    #[test]
    fn one_sharing_block() {
        assert_eq!(codes_of("sharing { }\nsharing { }"), ["E1080"]);
    }

    #[test]
    fn onedrive_is_not_more_permissive() {
        assert_eq!(
            // The linter's SHR002 reports this: the pack is still decidable.
            sharing("sharepoint = existing_guests  onedrive = anyone"),
            NONE
        );
        assert_eq!(
            sharing("sharepoint = anyone  onedrive = existing_guests"),
            NONE
        );
        assert_eq!(sharing("onedrive = anyone"), NONE);
    }

    #[test]
    fn sites() {
        assert_eq!(
            sharing("site \"https://contoso.sharepoint.com/sites/a\" = existing_guests"),
            NONE
        );
        assert_eq!(
            sharing("site \"http://contoso.sharepoint.com/sites/a\" = existing_guests"),
            ["E1081"]
        );
        assert_eq!(
            sharing(
                "site \"https://contoso.sharepoint.com/sites/a\" = existing_guests\n\
                 site \"https://Contoso.sharepoint.com/sites/a/\" = anyone"
            ),
            ["E1082"]
        );
        assert_eq!(
            sharing(
                "site \"https://contoso.sharepoint.com/sites/a\" { level = anyone  domains allow [\"a.com\"]  domains block [\"b.com\"] }"
            ),
            NONE
        );
    }

    #[test]
    fn domain_lists() {
        // Conflicting or repeated lists are the linter's SHR003; only the domains are checked.
        assert_eq!(
            sharing("invitations { domains allow [\"a.com\"]  domains block [\"b.com\"] }"),
            NONE
        );
        assert_eq!(
            sharing("invitations { domains block [\"a.com\"]  domains block [\"b.com\"] }"),
            NONE
        );
        assert_eq!(
            sharing("domains allow [\"a.com\"]  domains block [\"b.com\"]"),
            NONE
        );
        assert_eq!(
            sharing(
                "teams external_access allow [\"a.com\"]  teams external_access block [\"b.com\"]"
            ),
            NONE
        );
        // Different settings may each have their own kind of list.
        assert_eq!(
            sharing("domains allow [\"a.com\"]  invitations { domains block [\"gmail.com\"] }"),
            NONE
        );
        assert_eq!(
            sharing("domains allow [\"A.com\", \"bob@b.com\"]"),
            ["E1007", "E1007"]
        );
    }

    #[test]
    fn calendar() {
        assert_eq!(
            sharing("calendar \"*\" = none  calendar \"fabrikam.com\" = free_busy"),
            NONE
        );
        assert_eq!(
            sharing("calendar \"fabrikam.com\" = free_busy  calendar \"fabrikam.com\" = reviewer"),
            ["E1085"]
        );
        assert_eq!(
            sharing("calendar \"*.fabrikam.com\" = free_busy"),
            ["E1007"]
        );
    }
}

//! Microsoft 365 sharing settings (§7).

use super::tenants::invalid_domain;
use super::values::{domain_problem, site_url_problem};
use super::{repeats, Findings};
use crate::diagnostic::Diagnostic;
use crate::model::{Access, DomainList, Pack, Sharing};

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
        onedrive_within_sharepoint(sharing, out);
        sites(sharing, out);
        domain_lists(&sharing.domains, Setting::SharePoint, out);
        if let Some(invitations) = &sharing.invitations {
            domain_lists(&invitations.domains, Setting::Invitations, out);
        }
        domain_lists(&sharing.teams_external_domains, Setting::Teams, out);
        calendar(sharing, out);
    }
}

/// `E1086`: OneDrive may be as restrictive as SharePoint or more, never more permissive (§7.1).
fn onedrive_within_sharepoint(sharing: &Sharing, out: &mut Findings) {
    let (Some(sharepoint), Some(onedrive)) = (&sharing.sharepoint, &sharing.onedrive) else {
        return;
    };
    if onedrive.value > sharepoint.value {
        out.add(
            Diagnostic::error(
                "E1086",
                format!(
                    "OneDrive (`{}`) cannot be more permissive than SharePoint (`{}`)",
                    onedrive.value.name(),
                    sharepoint.value.name()
                ),
            )
            .at(onedrive.span)
            .label(sharepoint.span, "SharePoint level set here")
            .help(format!(
                "set `onedrive` to `{}` or a more restrictive level, or raise `sharepoint`",
                sharepoint.value.name()
            )),
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
        domain_lists(&site.domains, Setting::SharePoint, out);
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

/// Which setting a domain list belongs to: each reads its lists its own way.
#[derive(Debug, Clone, Copy)]
enum Setting {
    SharePoint,
    Invitations,
    Teams,
}

impl Setting {
    /// §7.2 (SharePoint), §7.6 (invitations) and §7.4 (Teams) of the reference.
    fn both_help(self) -> &'static str {
        match self {
            Setting::SharePoint => {
                "SharePoint restricts domains with an allow list or a block list: keep one"
            }
            Setting::Invitations => {
                "invitations take an allow list or a block list, never both: keep one"
            }
            Setting::Teams => "Teams ignores the block list once an allow list is set: keep one",
        }
    }
}

/// `E1007`, `E1083`, `E1084`.
fn domain_lists(lists: &[DomainList], setting: Setting, out: &mut Findings) {
    for domain in lists.iter().flat_map(|l| &l.domains) {
        if let Some(help) = domain_problem(&domain.value) {
            out.add(invalid_domain(&domain.value, domain.span, help));
        }
    }
    let mut first_allow = None;
    let mut first_block = None;
    for list in lists {
        let (same, other) = match list.access.value {
            Access::Allow => (&mut first_allow, first_block),
            Access::Block => (&mut first_block, first_allow),
        };
        let word = access_word(list.access.value);
        if let Some(first) = *same {
            out.add(
                Diagnostic::error("E1084", format!("a second `{word}` list of domains"))
                    .at(list.access.span)
                    .label(first, "first list here")
                    .help("merge the two lists into one"),
            );
            continue;
        }
        *same = Some(list.access.span);
        if let Some(other_span) = other {
            out.add(
                Diagnostic::error(
                    "E1083",
                    "domains cannot have both an allow list and a block list here",
                )
                .at(list.access.span)
                .label(
                    other_span,
                    format!("`{}` list here", access_word(opposite(list.access.value))),
                )
                .help(setting.both_help()),
            );
        }
    }
}

fn access_word(access: Access) -> &'static str {
    match access {
        Access::Allow => "allow",
        Access::Block => "block",
    }
}

fn opposite(access: Access) -> Access {
    match access {
        Access::Allow => Access::Block,
        Access::Block => Access::Allow,
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
            sharing("sharepoint = existing_guests  onedrive = anyone"),
            ["E1086"]
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
            ["E1083"]
        );
    }

    #[test]
    fn domain_lists() {
        assert_eq!(
            sharing("invitations { domains allow [\"a.com\"]  domains block [\"b.com\"] }"),
            ["E1083"]
        );
        assert_eq!(
            sharing("invitations { domains block [\"a.com\"]  domains block [\"b.com\"] }"),
            ["E1084"]
        );
        assert_eq!(
            sharing("domains allow [\"a.com\"]  domains block [\"b.com\"]"),
            ["E1083"]
        );
        assert_eq!(
            sharing(
                "teams external_access allow [\"a.com\"]  teams external_access block [\"b.com\"]"
            ),
            ["E1083"]
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

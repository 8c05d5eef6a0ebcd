//! Checks of single values: GUIDs, CIDR ranges, country codes, domains, URLs, context ids.
//!
//! Each check returns what is wrong as a `help` text (or the parsed value); the caller words the
//! message and places the span.

use std::net::IpAddr;
use std::str::FromStr;

use ipnet::IpNet;

use crate::model::catalog::is_country;

pub(crate) use crate::model::is_guid;

/// Help for a value that should be a GUID.
pub(crate) fn guid_help(text: &str, example_of: &str) -> String {
    let trimmed = text.trim_matches(|c| c == '{' || c == '}');
    if trimmed != text && is_guid(trimmed) {
        return format!("write it without braces: `{trimmed}`");
    }
    format!("{example_of} is a GUID such as `2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01`")
}

/// What is wrong with an IP range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CidrProblem {
    /// An address without a prefix length.
    Bare(IpAddr),
    /// Not an address or a range at all.
    Invalid,
}

/// Parses a CIDR range (`203.0.113.0/24`, `2001:db8::/48`). Host bits may be set: Graph accepts
/// `12.34.221.11/22` (§3), which means the network that holds the address.
pub(crate) fn parse_cidr(text: &str) -> Result<IpNet, CidrProblem> {
    if let Ok(net) = IpNet::from_str(text) {
        return Ok(net.trunc());
    }
    match IpAddr::from_str(text) {
        Ok(addr) => Err(CidrProblem::Bare(addr)),
        Err(_) => Err(CidrProblem::Invalid),
    }
}

/// The platform takes only masks larger than /8 (§3: "CIDR masks must be larger than /8"). We
/// read "larger than" strictly, as the documentation does ("only CIDR masks greater than /8 are
/// allowed"), and apply it to IPv6 too, since the documentation does not tell them apart.
pub(crate) const MIN_PREFIX: u8 = 9;

/// Ranges that are never a public egress address: private, loopback, link-local, unique-local.
pub(crate) fn is_private(net: &IpNet) -> bool {
    match net.network() {
        IpAddr::V4(a) => a.is_private() || a.is_loopback() || a.is_link_local(),
        IpAddr::V6(a) => {
            let first = a.segments()[0];
            a.is_loopback() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
        }
    }
}

/// Help for a country code that is not ISO 3166-1 alpha-2, `None` when it is one.
pub(crate) fn country_problem(code: &str) -> Option<String> {
    // `UK` is reserved in ISO 3166 but not assigned: the United Kingdom is `GB`.
    if code.eq_ignore_ascii_case("uk") {
        return Some("the ISO 3166 code of the United Kingdom is `GB`".to_string());
    }
    if is_country(code) {
        return None;
    }
    let upper = code.to_ascii_uppercase();
    if upper != code && is_country(&upper) {
        return Some(format!("country codes are uppercase: `{upper}`"));
    }
    Some(
        "write a two-letter ISO 3166-1 alpha-2 code in uppercase, such as `FR` or `KP`".to_string(),
    )
}

/// Help for a domain name that is not plausible, `None` when it is.
pub(crate) fn domain_problem(domain: &str) -> Option<String> {
    if let Some(rest) = domain.split_once("://").map(|(_, r)| r) {
        let host = rest.split('/').next().unwrap_or(rest);
        return Some(format!(
            "write the domain alone, without a scheme: `{host}`"
        ));
    }
    if let Some((_, host)) = domain.rsplit_once('@') {
        return Some(format!("write the domain part of the address: `{host}`"));
    }
    if domain.contains('*') {
        return Some("wildcards are not supported: list each domain".to_string());
    }
    let lower = domain.to_ascii_lowercase();
    if lower != domain && plausible_host(&lower) {
        return Some(format!("write domains in lowercase: `{lower}`"));
    }
    if !domain.is_ascii() {
        return Some("write an internationalised domain in its ASCII (`xn--`) form".to_string());
    }
    if plausible_host(domain) {
        None
    } else {
        Some(
            "a domain is lowercase letters, digits and hyphens in dot-separated labels, such as \
             `fabrikam.com`"
                .to_string(),
        )
    }
}

/// Lowercase labels of letters, digits and inner hyphens, at least two, the last one starting
/// with a letter (so that an IP address is not taken for a domain).
fn plausible_host(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    host.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
}

/// Help for a site URL that is not an `https://` URL, `None` when it is one.
pub(crate) fn site_url_problem(url: &str) -> Option<String> {
    let example = "`https://contoso.sharepoint.com/sites/finance`";
    let Some(rest) = url.strip_prefix("https://") else {
        if let Some(rest) = url.strip_prefix("http://") {
            return Some(format!(
                "SharePoint sites are served over HTTPS: `https://{rest}`"
            ));
        }
        if url.contains("://") {
            return Some(format!(
                "a site URL starts with `https://`, such as {example}"
            ));
        }
        return Some(format!("write the full URL: `https://{url}`"));
    };
    if url.chars().any(char::is_whitespace) {
        return Some("a URL has no spaces: encode them as `%20`".to_string());
    }
    let host = rest.split('/').next().unwrap_or(rest);
    if plausible_host(&host.to_ascii_lowercase()) {
        None
    } else {
        Some(format!(
            "`{host}` is not a host name; write a URL such as {example}"
        ))
    }
}

/// Help for an authentication context id that is not `c1`..`c99` (§1.5), `None` when it is one.
pub(crate) fn auth_context_problem(id: &str) -> Option<String> {
    let valid = |s: &str| {
        s.strip_prefix('c').is_some_and(|n| {
            !n.starts_with('0')
                && n.chars().all(|c| c.is_ascii_digit())
                && n.parse::<u8>().is_ok_and(|v| (1..=99).contains(&v))
        })
    };
    if valid(id) {
        return None;
    }
    let lower = id.to_ascii_lowercase();
    if valid(&lower) {
        return Some(format!("write it in lowercase: `{lower}`"));
    }
    Some("authentication context ids go from `c1` to `c99`".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids() {
        assert!(is_guid("2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01"));
        assert!(is_guid("2B7C6F6E-4A5C-4C1E-9A53-2D6F1F5B7A01"));
        assert!(!is_guid("2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a0"));
        assert!(!is_guid("2b7c6f6e4a5c4c1e9a532d6f1f5b7a01"));
        assert!(!is_guid("2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a0g"));
        assert!(!is_guid("{2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01}"));
        assert!(guid_help("{2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01}", "x").contains("braces"));
    }

    #[test]
    fn cidr_ranges() {
        assert!(parse_cidr("203.0.113.0/24").is_ok());
        assert!(parse_cidr("2001:db8:10::/48").is_ok());
        assert_eq!(
            parse_cidr("12.34.221.11/22").map(|n| n.to_string()),
            Ok("12.34.220.0/22".to_string())
        );
        assert!(matches!(
            parse_cidr("203.0.113.7"),
            Err(CidrProblem::Bare(_))
        ));
        assert!(matches!(
            parse_cidr("2001:db8::1"),
            Err(CidrProblem::Bare(_))
        ));
        assert_eq!(parse_cidr("203.0.113.0/33"), Err(CidrProblem::Invalid));
        assert_eq!(parse_cidr("300.0.113.0/24"), Err(CidrProblem::Invalid));
        assert_eq!(
            parse_cidr("203.0.113.0-203.0.113.9"),
            Err(CidrProblem::Invalid)
        );
    }

    #[test]
    fn private_ranges() {
        let net = |s: &str| parse_cidr(s).unwrap_or_else(|_| panic!("{s}"));
        assert!(is_private(&net("10.1.0.0/16")));
        assert!(is_private(&net("192.168.1.0/24")));
        assert!(is_private(&net("127.0.0.1/32")));
        assert!(is_private(&net("fd00:1::/48")));
        assert!(is_private(&net("fe80::/64")));
        assert!(!is_private(&net("203.0.113.0/24")));
        assert!(!is_private(&net("2001:db8::/48")));
    }

    #[test]
    fn countries() {
        assert_eq!(country_problem("FR"), None);
        assert!(country_problem("UK").is_some_and(|h| h.contains("`GB`")));
        assert!(country_problem("uk").is_some_and(|h| h.contains("`GB`")));
        assert!(country_problem("fr").is_some_and(|h| h.contains("`FR`")));
        assert!(country_problem("FRA").is_some_and(|h| h.contains("alpha-2")));
        assert!(country_problem("").is_some());
    }

    #[test]
    fn domains() {
        assert_eq!(domain_problem("fabrikam.com"), None);
        assert_eq!(domain_problem("sub-1.fabrikam.co.uk"), None);
        assert!(
            domain_problem("https://fabrikam.com/x").is_some_and(|h| h.contains("`fabrikam.com`"))
        );
        assert!(domain_problem("bob@fabrikam.com").is_some_and(|h| h.contains("`fabrikam.com`")));
        assert!(domain_problem("Fabrikam.com").is_some_and(|h| h.contains("`fabrikam.com`")));
        assert!(domain_problem("*.fabrikam.com").is_some_and(|h| h.contains("wildcard")));
        assert!(domain_problem("fabrikam").is_some());
        assert!(domain_problem("fabrikam..com").is_some());
        assert!(domain_problem("-fabrikam.com").is_some());
        assert!(domain_problem("203.0.113.1").is_some());
        assert!(domain_problem("fabrikam com").is_some());
        assert!(domain_problem("bücher.de").is_some_and(|h| h.contains("xn--")));
    }

    #[test]
    fn site_urls() {
        assert_eq!(
            site_url_problem("https://contoso.sharepoint.com/sites/finance"),
            None
        );
        assert_eq!(site_url_problem("https://contoso.sharepoint.com"), None);
        assert!(site_url_problem("http://contoso.sharepoint.com/sites/x")
            .is_some_and(|h| h.contains("`https://contoso.sharepoint.com/sites/x`")));
        assert!(site_url_problem("contoso.sharepoint.com/sites/x")
            .is_some_and(|h| h.contains("`https://contoso.sharepoint.com/sites/x`")));
        assert!(site_url_problem("ftp://contoso.sharepoint.com").is_some());
        assert!(site_url_problem("https://").is_some());
        assert!(site_url_problem("https://contoso.sharepoint.com/sites/my site").is_some());
    }

    #[test]
    fn auth_contexts() {
        assert_eq!(auth_context_problem("c1"), None);
        assert_eq!(auth_context_problem("c99"), None);
        assert!(auth_context_problem("c0").is_some());
        assert!(auth_context_problem("c100").is_some());
        assert!(auth_context_problem("c01").is_some());
        assert!(auth_context_problem("C5").is_some_and(|h| h.contains("`c5`")));
        assert!(auth_context_problem("ctx").is_some());
    }
}

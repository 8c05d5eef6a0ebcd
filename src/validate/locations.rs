//! Named locations (§3).

use super::values::{country_problem, is_private, parse_cidr, CidrProblem, MIN_PREFIX};
use super::{repeats, Findings};
use crate::diagnostic::Diagnostic;
use crate::model::{Location, LocationKind, Pack, Spanned};

/// Limits of named locations (§3).
const MAX_LOCATIONS: usize = 195;
const MAX_RANGES: usize = 2000;

pub(super) fn check(pack: &Pack, out: &mut Findings) {
    let names = pack
        .locations
        .iter()
        .map(|l| (l.name.value.clone(), l.name.span));
    for (name, span, first) in repeats(names) {
        out.add(
            Diagnostic::error("E1020", format!("location `{name}` is declared twice"))
                .at(span)
                .label(first, "first declared here")
                .help("give each location its own name, or merge their ranges"),
        );
    }
    if let Some(extra) = pack.locations.get(MAX_LOCATIONS) {
        out.add(
            Diagnostic::error(
                "E1028",
                format!(
                    "the pack declares {} named locations, more than the platform's {MAX_LOCATIONS}",
                    pack.locations.len()
                ),
            )
            .at(extra.name.span)
            .help("merge locations, or drop those no policy uses"),
        );
    }
    for location in &pack.locations {
        match &location.kind {
            LocationKind::Ip { ranges } => ip_location(location, ranges, out),
            LocationKind::Countries { codes, .. } => country_location(location, codes, out),
        }
    }
}

fn ip_location(location: &Location, ranges: &[Spanned<String>], out: &mut Findings) {
    if ranges.is_empty() {
        out.add_in(location.span, empty_list(location, "ip", "an IP range"));
    }
    if let Some(extra) = ranges.get(MAX_RANGES) {
        out.add(
            Diagnostic::error(
                "E1027",
                format!(
                    "location `{}` has {} ranges, more than the platform's {MAX_RANGES}",
                    location.name.value,
                    ranges.len()
                ),
            )
            .at(extra.span)
            .help("split the ranges over several locations, or merge adjacent ones"),
        );
    }
    for range in ranges {
        ip_range(range, out);
    }
}

/// `E1021`-`E1023`.
fn ip_range(range: &Spanned<String>, out: &mut Findings) {
    let text = &range.value;
    let net = match parse_cidr(text) {
        Ok(net) => net,
        Err(problem) => {
            let help = match problem {
                CidrProblem::Bare(addr) => {
                    let len = if addr.is_ipv4() { 32 } else { 128 };
                    format!("a single address is a range of one: `{addr}/{len}`")
                }
                CidrProblem::Invalid => "write an IPv4 or IPv6 range in CIDR notation, such as \
                                         `203.0.113.0/24` or `2001:db8::/48`"
                    .to_string(),
            };
            out.add(
                Diagnostic::error("E1021", format!("`{text}` is not a CIDR range"))
                    .at(range.span)
                    .help(help),
            );
            return;
        }
    };
    if net.prefix_len() < MIN_PREFIX {
        out.add(
            Diagnostic::error(
                "E1022",
                format!("`{text}` is too wide: the platform takes masks larger than /8"),
            )
            .at(range.span)
            .help(format!(
                "use a prefix of /{MIN_PREFIX} or longer; split a wide block into several ranges"
            )),
        );
    } else if is_private(&net) {
        out.add(
            Diagnostic::warning(
                "E1023",
                format!("`{text}` is a private or local range: it never matches a sign-in"),
            )
            .at(range.span)
            .help(
                // §3: the location is the public egress address, never an intranet one.
                "a location sees the public egress address, not an intranet one: list your \
                 public ranges",
            ),
        );
    }
}

/// `E1024`-`E1026`.
fn country_location(location: &Location, codes: &[Spanned<String>], out: &mut Findings) {
    if codes.is_empty() {
        out.add_in(
            location.span,
            empty_list(location, "countries", "a country"),
        );
    }
    for code in codes {
        if let Some(help) = country_problem(&code.value) {
            out.add(
                Diagnostic::error(
                    "E1024",
                    format!("`{}` is not an ISO 3166 country code", code.value),
                )
                .at(code.span)
                .help(help),
            );
        }
    }
    if let Some(trusted) = location.trusted {
        out.add(
            Diagnostic::error(
                "E1025",
                format!(
                    "country location `{}` cannot be trusted",
                    location.name.value
                ),
            )
            .at(trusted)
            // §3: only IP-range locations can be trusted.
            .help("only IP-range locations can be marked trusted: remove `trusted`"),
        );
    }
}

fn empty_list(location: &Location, key: &str, what: &str) -> Diagnostic {
    Diagnostic::error(
        "E1026",
        format!(
            "location `{}` has an empty `{key}` list",
            location.name.value
        ),
    )
    .at(location.name.span)
    .help(format!("list at least {what}, or remove the location"))
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::codes_of;

    fn ip(ranges: &str) -> Vec<String> {
        codes_of(&format!("location hq {{ ip = [{ranges}] }}"))
    }

    #[test]
    fn ip_ranges() {
        assert_eq!(
            ip("\"203.0.113.0/24\", \"2001:db8:10::/48\""),
            Vec::<String>::new()
        );
        assert_eq!(ip("\"203.0.113.7\""), ["E1021"]);
        assert_eq!(ip("\"2001:db8::1\""), ["E1021"]);
        assert_eq!(ip("\"203.0.113.0/24/2\", \"hq\""), ["E1021", "E1021"]);
        assert_eq!(ip("\"203.0.0.0/9\""), Vec::<String>::new());
        assert_eq!(ip("\"203.0.0.0/8\""), ["E1022"]);
        assert_eq!(ip("\"2000::/3\""), ["E1022"]);
        assert_eq!(ip("\"192.168.0.0/16\""), ["E1023"]);
        assert_eq!(ip(""), ["E1026"]);
    }

    #[test]
    fn too_many_ranges() {
        let ranges: Vec<String> = (0..2001)
            .map(|i| format!("\"198.{}.{}.0/24\"", 18 + i / 256, i % 256))
            .collect();
        assert_eq!(ip(&ranges.join(", ")), ["E1027"]);
    }

    #[test]
    fn too_many_locations() {
        let locations: String = (0..196)
            .map(|i| format!("location l{i} {{ ip = [\"203.0.113.{i}/32\"] }}\n"))
            .collect();
        assert_eq!(codes_of(&locations), ["E1028"]);
    }

    #[test]
    fn countries() {
        assert_eq!(
            codes_of("location x { countries = [\"KP\", \"IR\"] unknown_countries }"),
            Vec::<String>::new()
        );
        assert_eq!(
            codes_of("location x { countries = [\"UK\", \"fr\", \"FRA\"] }"),
            ["E1024", "E1024", "E1024"]
        );
        assert_eq!(codes_of("location x { countries = [] }"), ["E1026"]);
    }

    #[test]
    fn only_ip_locations_are_trusted() {
        assert_eq!(
            codes_of("location x { ip = [\"203.0.113.0/24\"] trusted }"),
            Vec::<String>::new()
        );
        assert_eq!(
            codes_of("location x { countries = [\"FR\"] trusted }"),
            ["E1025"]
        );
    }

    #[test]
    fn duplicate_locations() {
        assert_eq!(
            codes_of(
                "location x { countries = [\"FR\"] }\nlocation x { ip = [\"203.0.113.0/24\"] }"
            ),
            ["E1020"]
        );
    }
}

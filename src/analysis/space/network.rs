//! Address and country classes: one per distinct membership in the packs' locations.

use super::*;

/// Membership of an address in every pack's IP locations.
pub(super) fn ip_vector(packs: &[&Compiled], ip: IpAddr) -> Vec<(LocBits, LocBits)> {
    packs
        .iter()
        .map(|c| {
            let (i, k) = c.locate(Some(ip), None);
            (mask(i, c.ip_mask), mask(k, c.ip_mask))
        })
        .collect()
}

pub(super) fn mask(bits: LocBits, m: LocBits) -> LocBits {
    LocBits::default().replace(m, bits)
}

/// What tells address classes apart: membership per pack, and in each selector range.
pub type IpKey = (Vec<(LocBits, LocBits)>, Vec<bool>);

pub(super) fn ip_key(packs: &[&Compiled], extra: &Extra, ip: IpAddr) -> IpKey {
    (
        ip_vector(packs, ip),
        extra.ranges.iter().map(|r| r.contains(&ip)).collect(),
    )
}

pub(super) fn ip_classes(packs: &[&Compiled], extra: &Extra) -> (Vec<Class>, Vec<IpKey>) {
    // Familiar documentation addresses first, so that examples read well; then every range
    // boundary, which together reach every membership vector.
    let mut candidates: Vec<IpAddr> = [
        "198.51.100.7",
        "203.0.113.7",
        "192.0.2.10",
        "2001:db8:ffff::7",
    ]
    .iter()
    .filter_map(|s| s.parse().ok())
    .collect();
    candidates.push(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    candidates.push(IpAddr::V6(Ipv6Addr::UNSPECIFIED));
    let push_v4 = |s: u32, e: u32, out: &mut Vec<IpAddr>| {
        // A host inside the range reads better than its network address.
        out.push(IpAddr::V4(Ipv4Addr::from(if e > s { s + 1 } else { s })));
        out.push(IpAddr::V4(Ipv4Addr::from(s)));
        out.push(IpAddr::V4(Ipv4Addr::from(e.saturating_add(1))));
    };
    let push_v6 = |s: u128, e: u128, out: &mut Vec<IpAddr>| {
        out.push(IpAddr::V6(Ipv6Addr::from(if e > s { s + 1 } else { s })));
        out.push(IpAddr::V6(Ipv6Addr::from(s)));
        out.push(IpAddr::V6(Ipv6Addr::from(e.saturating_add(1))));
    };
    for c in packs {
        for l in &c.locations {
            if let LocationTable::Ip { v4, v6, .. } = &l.table {
                for (s, e) in v4 {
                    push_v4(*s, *e, &mut candidates);
                }
                for (s, e) in v6 {
                    push_v6(*s, *e, &mut candidates);
                }
            }
        }
    }
    for r in &extra.ranges {
        match r {
            ipnet::IpNet::V4(n) => push_v4(
                u32::from(n.network()),
                u32::from(n.broadcast()),
                &mut candidates,
            ),
            ipnet::IpNet::V6(n) => push_v6(
                u128::from(n.network()),
                u128::from(n.broadcast()),
                &mut candidates,
            ),
        }
    }
    let mut seen: Vec<IpKey> = Vec::new();
    let mut v = vec![class("an unstated IP address", 0, Value::Ip(None))];
    for ip in candidates {
        let key = ip_key(packs, extra, ip);
        if seen.contains(&key) {
            continue;
        }
        let label = location_label(packs, &key.0, "an address", ip);
        seen.push(key);
        v.push(class(label, 1, Value::Ip(Some(ip))));
    }
    (v, seen)
}

/// "an address in `hq`" / "an address in no named location" / per pack when they differ.
pub(super) fn location_label(
    packs: &[&Compiled],
    vector: &[(LocBits, LocBits)],
    what: &str,
    example: impl std::fmt::Display,
) -> String {
    let names_in = |c: &Compiled, bits: LocBits| -> Vec<String> {
        c.pack()
            .locations
            .iter()
            .enumerate()
            .filter(|(i, _)| bits.get(*i))
            .map(|(_, l)| format!("`{}`", l.name.value))
            .collect()
    };
    let per_pack: Vec<Vec<String>> = packs
        .iter()
        .zip(vector)
        .map(|(c, (inside, _))| names_in(c, *inside))
        .collect();
    let describe = |names: &Vec<String>| {
        if names.is_empty() {
            "in no named location".to_string()
        } else {
            format!("in {}", names.join(" and "))
        }
    };
    let first = per_pack.first().cloned().unwrap_or_default();
    if per_pack.iter().all(|n| *n == first) {
        format!("{what} {} (e.g. {example})", describe(&first))
    } else {
        let parts: Vec<String> = per_pack
            .iter()
            .zip(["before", "after"])
            .map(|(n, side)| format!("{} {side}", describe(n)))
            .collect();
        format!("{what} {} (e.g. {example})", parts.join(", "))
    }
}

/// Country codes that every pack tells apart alike: (membership vector, the code a selector
/// names, the codes).
type CountryGroup = (Vec<(LocBits, LocBits)>, Option<[u8; 2]>, Vec<Country>);

pub(super) fn country_vector(packs: &[&Compiled], country: Country) -> Vec<(LocBits, LocBits)> {
    packs
        .iter()
        .map(|c| {
            let (i, k) = c.locate(None, Some(country));
            (mask(i, c.country_mask), mask(k, c.country_mask))
        })
        .collect()
}

pub(super) fn country_classes(packs: &[&Compiled], extra: &Extra) -> Vec<Class> {
    let mut named: Vec<[u8; 2]> = Vec::new();
    for c in packs {
        for l in &c.locations {
            if let LocationTable::Countries { codes, .. } = &l.table {
                named.extend(codes.iter().copied());
            }
        }
    }
    for c in &extra.countries {
        if let Country::Code(code) = c {
            named.push(*code);
        }
    }
    named.sort_unstable();
    named.dedup();
    // Group codes by (membership vector, named by a selector).
    let mut groups: Vec<CountryGroup> = Vec::new();
    for code in &named {
        let country = Country::Code(*code);
        let vector = country_vector(packs, country);
        // A code a selector names is its own class, so the selector can address it alone.
        let pinned = extra.countries.contains(&country).then_some(*code);
        match groups
            .iter_mut()
            .find(|(v, p, _)| *v == vector && *p == pinned)
        {
            Some((_, _, list)) => list.push(country),
            None => groups.push((vector, pinned, vec![country])),
        }
    }
    let mut v = vec![class(
        "an unstated country",
        0,
        Value::Country(CountryClass::Missing),
    )];
    let familiar = ["US", "FR", "DE", "GB", "JP", "BR", "IN", "CA", "AU"];
    let outside = familiar
        .iter()
        .filter_map(|c| Country::parse(c))
        .chain((b'A'..=b'Z').flat_map(|a| (b'A'..=b'Z').map(move |b| Country::Code([a, b]))))
        .find(|c| {
            matches!(c, Country::Code(code) if named.binary_search(code).is_err())
                && Country::parse(&c.to_string()).is_some()
        });
    // First, so that examples use a familiar country that no location names.
    if let Some(outside) = outside {
        v.push(class(
            format!("any other country (e.g. {outside})"),
            1,
            Value::Country(CountryClass::Codes {
                representative: outside,
                named: Vec::new(),
            }),
        ));
    }

    for (vector, _, list) in &groups {
        let codes: Vec<String> = list.iter().map(|c| c.to_string()).collect();
        let shown = if codes.len() > 6 {
            format!("{} and {} more", codes[..6].join(", "), codes.len() - 6)
        } else {
            codes.join(", ")
        };
        v.push(class(
            location_label(packs, vector, &format!("a country ({shown})"), list[0])
                .replace(&format!(" (e.g. {})", list[0]), ""),
            1,
            Value::Country(CountryClass::Codes {
                representative: list[0],
                named: list.clone(),
            }),
        ));
    }
    let unknown_vector = country_vector(packs, Country::Unknown);
    v.push(class(
        location_label(packs, &unknown_vector, "an unknown country", "unknown")
            .replace(" (e.g. unknown)", ""),
        1,
        Value::Country(CountryClass::Codes {
            representative: Country::Unknown,
            named: vec![Country::Unknown],
        }),
    ));
    v
}

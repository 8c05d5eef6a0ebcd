//! Missing signals: instead of guessing, accord re-decides stand-in requests, one per class of
//! equivalent values, and reports every possible outcome.
//!
//! Classes are exact. For addresses, location membership is constant between consecutive range
//! boundaries, so the addresses `0`, every range start and every range end + 1 (IPv4 and IPv6)
//! reach every membership vector; candidates are then deduplicated by the vector. For countries:
//! every code a location names, `unknown`, and one code no location names. For platforms: each
//! of the six platforms.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::bits::Bits;
use super::compile::{Compiled, LocationTable};
use super::resolve::Resolved;
use super::trace::Signals;
use crate::model::request::{Country, Keyword};
use crate::model::Platform;

/// One address per class of equivalent addresses.
pub(crate) fn ip_classes(c: &Compiled) -> Vec<IpAddr> {
    let mut candidates: Vec<IpAddr> = vec![
        IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    ];
    for l in &c.locations {
        if let LocationTable::Ip { v4, v6, .. } = &l.table {
            for (s, e) in v4 {
                candidates.push(IpAddr::V4(Ipv4Addr::from(*s)));
                candidates.push(IpAddr::V4(Ipv4Addr::from(e.saturating_add(1))));
            }
            for (s, e) in v6 {
                candidates.push(IpAddr::V6(Ipv6Addr::from(*s)));
                candidates.push(IpAddr::V6(Ipv6Addr::from(e.saturating_add(1))));
            }
        }
    }
    dedupe(c, candidates, |c, ip| c.locate(Some(*ip), None))
}

/// One country per class of equivalent countries.
pub(crate) fn country_classes(c: &Compiled) -> Vec<Country> {
    let mut named: Vec<[u8; 2]> = Vec::new();
    for l in &c.locations {
        if let LocationTable::Countries { codes, .. } = &l.table {
            named.extend(codes.iter().copied());
        }
    }
    named.sort_unstable();
    named.dedup();
    let mut candidates: Vec<Country> = named.iter().map(|c| Country::Code(*c)).collect();
    candidates.push(Country::Unknown);
    // A country no location names: prefer a familiar one, else the first free code.
    let familiar = ["US", "FR", "DE", "GB", "JP", "BR", "IN", "CA", "AU"];
    let outside = familiar
        .iter()
        .filter_map(|c| Country::parse(c))
        .chain((b'A'..=b'Z').flat_map(|a| (b'A'..=b'Z').map(move |b| Country::Code([a, b]))))
        .find(|c| matches!(c, Country::Code(code) if named.binary_search(code).is_err()));
    candidates.extend(outside);
    dedupe(c, candidates, |c, country| c.locate(None, Some(*country)))
}

fn dedupe<T: Copy>(
    c: &Compiled,
    candidates: Vec<T>,
    locate: impl Fn(&Compiled, &T) -> (Bits, Bits),
) -> Vec<T> {
    let mut seen: Vec<(Bits, Bits)> = Vec::new();
    let mut out = Vec::new();
    for cand in candidates {
        let key = locate(c, &cand);
        if !seen.contains(&key) {
            seen.push(key);
            out.push(cand);
        }
    }
    out
}

/// Calls `f` with a stand-in request for every combination of classes of the `missing` signals.
pub(crate) fn for_each_scenario<'q>(
    c: &Compiled,
    r: &Resolved<'q>,
    missing: Signals,
    mut f: impl FnMut(&Resolved<'q>, Option<Platform>, Option<IpAddr>, Option<Country>),
) {
    let platforms: Vec<Option<Platform>> = if missing.contains(Signals::PLATFORM) {
        Platform::all().iter().map(|p| Some(*p)).collect()
    } else {
        vec![None]
    };
    let ips: Vec<Option<IpAddr>> = if missing.contains(Signals::IP) {
        c.ip_classes.iter().map(|ip| Some(*ip)).collect()
    } else {
        vec![None]
    };
    let countries: Vec<Option<Country>> = if missing.contains(Signals::COUNTRY) {
        c.country_classes.iter().map(|x| Some(*x)).collect()
    } else {
        vec![None]
    };
    for p in &platforms {
        for ip in &ips {
            for country in &countries {
                let stand_in = r.with_signals(c, *p, *ip, *country);
                f(&stand_in, *p, *ip, *country);
            }
        }
    }
}

//! Missing signals: instead of guessing, accord re-decides stand-in requests, one per class of
//! equivalent values, and reports every possible outcome.
//!
//! Classes are exact. For addresses, location membership is constant between consecutive range
//! boundaries, so the addresses `0`, every range start and every range end + 1 (IPv4 and IPv6)
//! reach every membership vector; candidates are then deduplicated by the vector. For countries:
//! every code a location names, `unknown`, and one code no location names. For platforms: each
//! of the six platforms.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::bits::LocBits;
use super::compile::{Compiled, LocationTable};
use super::resolve::Net;
use super::trace::Signals;
use crate::model::request::{Country, Keyword};
use crate::model::Platform;

/// One address per class of equivalent addresses.
pub(crate) fn ip_classes(c: &Compiled) -> Vec<(IpAddr, LocBits, LocBits)> {
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
pub(crate) fn country_classes(c: &Compiled) -> Vec<(Country, LocBits, LocBits)> {
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
    locate: impl Fn(&Compiled, &T) -> (LocBits, LocBits),
) -> Vec<(T, LocBits, LocBits)> {
    let mut out: Vec<(T, LocBits, LocBits)> = Vec::new();
    for cand in candidates {
        let (inside, known) = locate(c, &cand);
        if !out.iter().any(|(_, i, k)| *i == inside && *k == known) {
            out.push((cand, inside, known));
        }
    }
    out
}

/// Calls `f` with stand-in signals for every combination of classes of the `missing` signals.
/// Allocates nothing: the decision-only path calls it for every request that leaves out a
/// signal an applicable policy needs.
pub(crate) fn for_each_scenario(c: &Compiled, net: Net, missing: Signals, mut f: impl FnMut(Net)) {
    let platforms: &[Platform] = if missing.contains(Signals::PLATFORM) {
        Platform::all()
    } else {
        &[]
    };
    let ips = if missing.contains(Signals::IP) {
        &c.ip_classes[..]
    } else {
        &[]
    };
    let countries = if missing.contains(Signals::COUNTRY) {
        &c.country_classes[..]
    } else {
        &[]
    };
    // An empty list of stand-ins is one pass with the request's own value.
    let passes = |n: usize| n.max(1);
    for p in 0..passes(platforms.len()) {
        for i in 0..passes(ips.len()) {
            for k in 0..passes(countries.len()) {
                let mut stand_in = net;
                if let Some(p) = platforms.get(p) {
                    stand_in.platform = Some(*p);
                }
                if let Some((ip, ip_in, ip_known)) = ips.get(i) {
                    stand_in.ip = Some(*ip);
                    stand_in.loc_in = stand_in.loc_in.replace(c.ip_mask, *ip_in);
                    stand_in.loc_known = stand_in.loc_known.replace(c.ip_mask, *ip_known);
                }
                if let Some((country, c_in, c_known)) = countries.get(k) {
                    stand_in.country = Some(*country);
                    stand_in.loc_in = stand_in.loc_in.replace(c.country_mask, *c_in);
                    stand_in.loc_known = stand_in.loc_known.replace(c.country_mask, *c_known);
                }
                f(stand_in);
            }
        }
    }
}

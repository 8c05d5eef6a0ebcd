//! Exchange Online objects of the `sharing` block: names, domains and addresses.

use super::tenants::invalid_domain;
use super::values::domain_problem;
use super::{repeats, Findings};
use crate::diagnostic::Diagnostic;
use crate::model::exchange::{sender_ip_range, Exchange};
use crate::model::{Sharing, Spanned};

pub(super) fn check(sharing: &Sharing, out: &mut Findings) {
    let x = &sharing.exchange;
    names(x, out);
    defaults(x, out);
    for r in &x.relationships {
        for d in &r.domains {
            domain(d, false, out);
        }
    }
    for p in &x.sharing_policies {
        for e in &p.entries {
            let special = e.domain.value == "*" || e.domain.value.eq_ignore_ascii_case("anonymous");
            if !special {
                domain(&e.domain, false, out);
            }
        }
    }
    for c in &x.inbound_connectors {
        for d in &c.sender_domains {
            domain(d, true, out);
        }
        for ip in &c.sender_ips {
            if sender_ip_range(&ip.value).is_none() {
                out.add(
                    Diagnostic::error(
                        "E1088",
                        format!("`{}` is not an IP address or CIDR range", ip.value),
                    )
                    .at(ip.span)
                    .help("write an address (`203.0.113.10`) or a range (`203.0.113.0/24`)"),
                );
            }
        }
    }
    for c in &x.outbound_connectors {
        for d in &c.recipient_domains {
            domain(d, true, out);
        }
    }
    for r in &x.remote_domains {
        if let Some(d) = &r.domain {
            domain(d, true, out);
        }
    }
}

/// `E1007` for a domain that is not one; `wildcards`: `*` and `*.x` are allowed.
fn domain(d: &Spanned<String>, wildcards: bool, out: &mut Findings) {
    let text = d.value.as_str();
    let base = if wildcards {
        if text == "*" {
            return;
        }
        text.strip_prefix("*.").unwrap_or(text)
    } else {
        text
    };
    if let Some(help) = domain_problem(base) {
        let help = if wildcards {
            format!("{help} (`*.x` covers a domain and its subdomains, `*` every domain)")
        } else {
            help
        };
        out.add(invalid_domain(text, d.span, help));
    }
}

/// `E1086`: two objects of one kind with the same name (names are case-insensitive in Exchange).
fn names(x: &Exchange, out: &mut Findings) {
    let kinds: [(&str, Vec<&Spanned<String>>); 5] = [
        (
            "organization relationship",
            (x.relationships.iter().map(|r| &r.name).collect()),
        ),
        (
            "sharing policy",
            (x.sharing_policies.iter().map(|p| &p.name).collect()),
        ),
        (
            "inbound connector",
            (x.inbound_connectors.iter().map(|c| &c.name).collect()),
        ),
        (
            "outbound connector",
            (x.outbound_connectors.iter().map(|c| &c.name).collect()),
        ),
        (
            "remote domain",
            (x.remote_domains.iter().map(|d| &d.name).collect()),
        ),
    ];
    for (kind, items) in kinds {
        let keyed = items.iter().map(|n| (n.value.to_ascii_lowercase(), n.span));
        for (name, span, first) in repeats(keyed) {
            out.add(
                Diagnostic::error("E1086", format!("{kind} `{name}` is declared twice"))
                    .at(span)
                    .label(first, "first declared here")
                    .help("Exchange names are unique per kind (without case): merge them or rename one"),
            );
        }
    }
}

/// `E1087`: more than one default sharing policy.
fn defaults(x: &Exchange, out: &mut Findings) {
    let mut defaults = x.sharing_policies.iter().filter(|p| p.is_default());
    let Some(first) = defaults.next() else { return };
    for other in defaults {
        out.add(
            Diagnostic::error(
                "E1087",
                format!(
                    "sharing policies `{}` and `{}` are both the default",
                    first.name.value, other.name.value
                ),
            )
            .at(other.name.span)
            .label(first.name.span, "the default already")
            .help("an organization has one default sharing policy: remove `default` from one"),
        );
    }
}

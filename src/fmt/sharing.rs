//! The `sharing` block.

use super::doc::{Layout, Node, Range};
use super::items::access_name;
use super::lexical::{quoted, string_list};
use crate::model::*;
use crate::source::Span;

/// Statements in the order of the language reference (for a model built by a program; a parsed
/// one keeps its source order).
pub(super) fn sharing(s: &Sharing) -> Node {
    let mut children = Vec::new();
    if let Some(l) = &s.sharepoint {
        children.push(at(format!("sharepoint = {}", l.value.name()), l.span));
    }
    if let Some(l) = &s.onedrive {
        children.push(at(format!("onedrive = {}", l.value.name()), l.span));
    }
    children.extend(s.sites.iter().map(site));
    for d in &s.domains {
        children.push(at(domain_list("domains", d), d.span));
    }
    children.extend(s.invitations.as_ref().map(invitations));
    let switch = |keyword: &str, value: &Option<Spanned<bool>>| {
        value
            .as_ref()
            .map(|v| at(format!("{keyword} = {}", on_off(v.value)), v.span))
    };
    children.extend(switch("teams guest_access", &s.teams_guest_access));
    children.extend(switch("teams external_access", &s.teams_external_enabled));
    for d in &s.teams_external_domains {
        children.push(at(domain_list("teams external_access", d), d.span));
    }
    children.extend(switch("teams consumer", &s.teams_consumer));
    children.extend(switch("teams consumer_inbound", &s.teams_consumer_inbound));
    children.extend(switch(
        "teams discovered_partners_unverified",
        &s.teams_discovered_unverified,
    ));
    children.extend(s.teams_meetings.iter().map(meeting_policy));
    children.extend(switch("groups guest_access", &s.groups_guest_access));
    for c in &s.calendar {
        let text = format!(
            "calendar {} = {}",
            quoted(&c.domain.value),
            c.level.value.name()
        );
        children.push(at(text, c.span));
    }
    children.extend(switch("power_bi guest_access", &s.power_bi_guest_access));
    children.extend(switch(
        "viva_engage external_networks",
        &s.viva_engage_external_networks,
    ));
    children.extend(switch("people_picker_guests", &s.people_picker_guests));
    children.extend(super::exchange::exchange(&s.exchange));
    children.extend(super::items::extension(&s.extensions));
    Node::block("sharing", Layout::Multi, Some(Range::of(s.span)), children)
}

fn at(text: String, span: Span) -> Node {
    Node::line(text, Some(Range::of(span)))
}

/// `domains allow ["a.com"]`.
fn domain_list(keyword: &str, d: &DomainList) -> String {
    format!(
        "{keyword} {} {}",
        access_name(d.access.value),
        string_list(&d.domains)
    )
}

fn on_off(value: bool) -> &'static str {
    if value {
        "on"
    } else {
        "off"
    }
}

/// `site "<url>" = level`, or the block form when the site has its own domain lists.
fn site(site: &Site) -> Node {
    let url = quoted(&site.url.value);
    let range = Some(Range::of(site.span));
    if site.domains.is_empty() && site.people_picker_guests.is_none() {
        return Node::line(format!("site {url} = {}", site.level.value.name()), range);
    }
    let mut children = vec![Node::line(
        format!("level = {}", site.level.value.name()),
        Some(Range::of(site.level.span)),
    )];
    for d in &site.domains {
        children.push(at(domain_list("domains", d), d.span));
    }
    if let Some(v) = &site.people_picker_guests {
        children.push(at(
            format!("people_picker_guests = {}", on_off(v.value)),
            v.span,
        ));
    }
    Node::block(format!("site {url}"), Layout::Fit, range, children)
}

/// `teams meeting ["Name"] { ... }`.
fn meeting_policy(m: &MeetingPolicy) -> Node {
    let mut children = Vec::new();
    if let Some(l) = &m.lobby_bypass {
        children.push(at(format!("lobby_bypass = {}", l.value.name()), l.span));
    }
    for (key, value) in [
        ("anonymous_join", &m.anonymous_join),
        ("dial_in_bypass", &m.dial_in_bypass),
    ] {
        if let Some(v) = value {
            children.push(at(format!("{key} = {}", on_off(v.value)), v.span));
        }
    }
    let head = match &m.name {
        Some(n) => format!("teams meeting {}", quoted(&n.value)),
        None => "teams meeting".to_string(),
    };
    Node::block(head, Layout::Fit, Some(Range::of(m.span)), children)
}

fn invitations(inv: &Invitations) -> Node {
    let mut children = Vec::new();
    if let Some(from) = &inv.from {
        children.push(Node::line(
            format!("from = {}", from.value.name()),
            Some(Range::of(from.span)),
        ));
    }
    for d in &inv.domains {
        children.push(at(domain_list("domains", d), d.span));
    }
    Node::block(
        "invitations",
        Layout::Fit,
        Some(Range::of(inv.span)),
        children,
    )
}

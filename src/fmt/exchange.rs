//! The `exchange ...` statements of a `sharing` block.

use super::doc::{Layout, Node, Range};
use super::lexical::{quoted, string_list};
use crate::model::exchange::*;
use crate::model::Spanned;
use crate::source::Span;

/// Every Exchange object, kind by kind (a parsed block keeps its source order).
pub(super) fn exchange(x: &Exchange) -> Vec<Node> {
    let mut out = Vec::new();
    out.extend(x.relationships.iter().map(relationship));
    out.extend(x.sharing_policies.iter().map(sharing_policy));
    out.extend(x.inbound_connectors.iter().map(inbound));
    out.extend(x.outbound_connectors.iter().map(outbound));
    out.extend(x.remote_domains.iter().map(remote_domain));
    out
}

fn at(text: String, span: Span) -> Node {
    Node::line(text, Some(Range::of(span)))
}

fn object(kind: &str, name: &Spanned<String>, span: Span, children: Vec<Node>) -> Node {
    let head = format!("exchange {kind} {}", quoted(&name.value));
    Node::block(head, Layout::Multi, Some(Range::of(span)), children)
}

fn switch(out: &mut Vec<Node>, key: &str, v: &Option<Spanned<bool>>) {
    if let Some(v) = v {
        let value = if v.value { "on" } else { "off" };
        out.push(at(format!("{key} = {value}"), v.span));
    }
}

fn text(out: &mut Vec<Node>, key: &str, v: &Option<Spanned<String>>) {
    if let Some(v) = v {
        out.push(at(format!("{key} = {}", quoted(&v.value)), v.span));
    }
}

fn list(out: &mut Vec<Node>, key: &str, v: &[Spanned<String>]) {
    if let Some(first) = v.first() {
        out.push(at(format!("{key} = {}", string_list(v)), first.span));
    }
}

fn name<T: Copy>(out: &mut Vec<Node>, key: &str, v: &Option<Spanned<T>>, n: fn(T) -> &'static str) {
    if let Some(v) = v {
        out.push(at(format!("{key} = {}", n(v.value)), v.span));
    }
}

fn relationship(r: &OrgRelationship) -> Node {
    let mut c = Vec::new();
    list(&mut c, "domains", &r.domains);
    switch(&mut c, "enabled", &r.enabled);
    switch(&mut c, "free_busy", &r.free_busy);
    name(
        &mut c,
        "free_busy_level",
        &r.free_busy_level,
        FreeBusyLevel::name,
    );
    text(&mut c, "free_busy_scope", &r.free_busy_scope);
    object("organization_relationship", &r.name, r.span, c)
}

fn sharing_policy(p: &SharingPolicy) -> Node {
    let mut c = Vec::new();
    match &p.default {
        // The default policy is written as the bare flag, as the language reference shows it.
        Some(d) if d.value => c.push(at("default".to_string(), d.span)),
        other => switch(&mut c, "default", other),
    }
    switch(&mut c, "enabled", &p.enabled);
    for e in &p.entries {
        let actions: Vec<&str> = e.actions.iter().map(|a| a.value.name()).collect();
        let line = format!(
            "domain {} = [{}]",
            quoted(&e.domain.value),
            actions.join(", ")
        );
        c.push(at(line, e.span));
    }
    list(&mut c, "mailboxes", &p.mailboxes);
    object("sharing_policy", &p.name, p.span, c)
}

fn inbound(x: &InboundConnector) -> Node {
    let mut c = Vec::new();
    name(&mut c, "type", &x.kind, ConnectorType::name);
    switch(&mut c, "enabled", &x.enabled);
    list(&mut c, "sender_domains", &x.sender_domains);
    list(&mut c, "sender_ips", &x.sender_ips);
    switch(&mut c, "require_tls", &x.require_tls);
    text(&mut c, "certificate", &x.certificate);
    switch(&mut c, "restrict_to_ips", &x.restrict_to_ips);
    switch(
        &mut c,
        "restrict_to_certificate",
        &x.restrict_to_certificate,
    );
    object("inbound_connector", &x.name, x.span, c)
}

fn outbound(x: &OutboundConnector) -> Node {
    let mut c = Vec::new();
    name(&mut c, "type", &x.kind, ConnectorType::name);
    switch(&mut c, "enabled", &x.enabled);
    list(&mut c, "recipient_domains", &x.recipient_domains);
    name(&mut c, "tls", &x.tls, OutboundTls::name);
    text(&mut c, "tls_domain", &x.tls_domain);
    list(&mut c, "smart_hosts", &x.smart_hosts);
    object("outbound_connector", &x.name, x.span, c)
}

fn remote_domain(d: &RemoteDomain) -> Node {
    let mut c = Vec::new();
    text(&mut c, "domain", &d.domain);
    switch(&mut c, "auto_forward", &d.auto_forward);
    switch(&mut c, "auto_reply", &d.auto_reply);
    object("remote_domain", &d.name, d.span, c)
}

//! Tenants, the organization, named locations, cross-tenant settings and extensions.

use super::doc::{Layout, Node, Range};
use super::lexical::{commas, name, quoted, string_list};
use crate::model::*;

pub(super) fn tenant(t: &Tenant) -> Node {
    let keyword = if t.resource {
        "resource tenant"
    } else {
        "tenant"
    };
    let mut children = Vec::new();
    if let Some(id) = &t.id {
        children.push(Node::line(
            format!("id = {}", quoted(&id.value)),
            Some(Range::of(id.span)),
        ));
    }
    // `domains = []` says nothing the model keeps: an empty list is not printed.
    if !t.domains.is_empty() {
        children.push(Node::line(
            format!("domains = {}", string_list(&t.domains)),
            Range::cover(t.domains.iter().map(|d| d.span)),
        ));
    }
    let head = format!("{keyword} {}", name(&t.name.value));
    Node::block(head, Layout::Fit, Some(Range::of(t.span)), children)
}

pub(super) fn organization(o: &Organization) -> Node {
    let members = o
        .members
        .iter()
        .map(|m| {
            let text = format!(
                "{} {} {}",
                name(&m.tenant.value),
                role_name(m.role.value),
                state_name(m.state.value)
            );
            Node::line(text, Some(Range::of(m.span)))
        })
        .collect();
    let head = format!("organization {}", name(&o.name.value));
    Node::block(head, Layout::Multi, Some(Range::of(o.span)), members)
}

fn role_name(role: OrgRole) -> &'static str {
    match role {
        OrgRole::Owner => "owner",
        OrgRole::Member => "member",
    }
}

fn state_name(state: MemberState) -> &'static str {
    match state {
        MemberState::Active => "active",
        MemberState::Pending => "pending",
        MemberState::Removed => "removed",
    }
}

pub(super) fn location(l: &Location) -> Node {
    let mut children = Vec::new();
    match &l.kind {
        LocationKind::Ip { ranges } => children.push(Node::line(
            format!("ip = {}", string_list(ranges)),
            Range::cover(ranges.iter().map(|r| r.span)),
        )),
        LocationKind::Countries {
            codes,
            include_unknown,
            lookup,
        } => {
            children.push(Node::line(
                format!("countries = {}", string_list(codes)),
                Range::cover(codes.iter().map(|c| c.span)),
            ));
            // The model keeps no position for these two: the printer looks for them.
            if *include_unknown {
                children
                    .push(Node::line("unknown_countries", None).found_by("unknown_countries", 1));
            }
            // `client_ip` is the default, and the model cannot tell whether it was written.
            if *lookup == CountryLookup::Gps {
                children.push(Node::line("lookup = gps", None).found_by("lookup", 3));
            }
        }
    }
    if let Some(span) = l.trusted {
        children.push(Node::line("trusted", Some(Range::of(span))));
    }
    children.extend(extension(&l.extensions));
    let head = format!("location {}", name(&l.name.value));
    Node::block(head, Layout::Fit, Some(Range::of(l.span)), children)
}

pub(super) fn cross_tenant(x: &CrossTenant) -> Node {
    let mut children: Vec<Node> = x.rules.iter().map(b2b_rule).collect();
    if let Some(t) = &x.trust {
        children.push(Node::line(trust(t), Some(Range::of(t.span))));
    }
    if let Some(span) = x.service_provider {
        children.push(Node::line("service_provider", Some(Range::of(span))));
    }
    if let Some(span) = x.user_sync_inbound {
        children.push(Node::line("user_sync inbound", Some(Range::of(span))));
    }
    if let Some(tr) = &x.tenant_restrictions {
        let head = "tenant_restrictions".to_string();
        children.push(b2b_setting(head, &tr.setting, Some(Range::of(tr.span))));
    }
    if let Some(c) = &x.auto_consent {
        let mut directions = Vec::new();
        if c.inbound {
            directions.push("inbound".to_string());
        }
        if c.outbound {
            directions.push("outbound".to_string());
        }
        let text = format!("automatic_consent {}", commas(&directions));
        children.push(Node::line(text, Some(Range::of(c.span))));
    }
    children.extend(extension(&x.extensions));
    let head = match &x.target {
        CrossTenantTarget::Default => "cross_tenant default".to_string(),
        // A tenant named `default` must be quoted, or it would read as the default block.
        CrossTenantTarget::Tenant(n) if n.value == "default" => {
            format!("cross_tenant {}", quoted(&n.value))
        }
        CrossTenantTarget::Tenant(n) => format!("cross_tenant {}", name(&n.value)),
    };
    Node::block(head, Layout::FitSingle, Some(Range::of(x.span)), children)
}

fn trust(t: &Trust) -> String {
    let claims: Vec<String> = [
        (t.mfa, "mfa"),
        (t.compliant_device, "compliant_device"),
        (t.hybrid_joined, "hybrid_joined"),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, claim)| claim.to_string())
    .collect();
    if claims.is_empty() {
        "trust none".to_string()
    } else {
        format!("trust {}", commas(&claims))
    }
}

/// `inbound b2b_collaboration = allow`, or the full form as a block. The short form wins when
/// a program sets both (the parser never does).
fn b2b_rule(rule: &B2bRule) -> Node {
    let head = format!(
        "{} {}",
        direction_name(rule.direction.value),
        kind_name(rule.kind.value)
    );
    b2b_setting(head, &rule.setting, Some(Range::of(rule.span)))
}

/// A B2B setting or tenant restrictions after `head`: `head = allow`, or `head { ... }`.
fn b2b_setting(head: String, setting: &B2bSetting, range: Option<Range>) -> Node {
    if let Some(access) = &setting.short {
        return Node::line(format!("{head} = {}", access_name(access.value)), range);
    }
    let mut children = Vec::new();
    if let Some(users) = &setting.users {
        let targets: Vec<String> = users.targets.iter().map(|t| xt_user(&t.value)).collect();
        children.push(target_list("users", users, &targets));
    }
    if let Some(apps) = &setting.apps {
        let targets: Vec<String> = apps
            .targets
            .iter()
            .map(|t| super::policy::app_target(&t.value))
            .collect();
        children.push(target_list("apps", apps, &targets));
    }
    Node::block(head, Layout::Fit, range, children)
}

fn target_list<T>(keyword: &str, list: &TargetList<T>, targets: &[String]) -> Node {
    let text = format!(
        "{keyword} {} {}",
        access_name(list.access.value),
        commas(targets)
    );
    let spans = std::iter::once(list.access.span).chain(list.targets.iter().map(|t| t.span));
    Node::line(text, Range::cover(spans))
}

fn xt_user(target: &XtUserTarget) -> String {
    match target {
        XtUserTarget::All => "all".to_string(),
        XtUserTarget::User(u) => format!("user {}", quoted(u)),
        XtUserTarget::Group(g) => format!("group {}", quoted(g)),
    }
}

pub(super) fn access_name(access: Access) -> &'static str {
    match access {
        Access::Allow => "allow",
        Access::Block => "block",
    }
}

fn direction_name(direction: Direction) -> &'static str {
    match direction {
        Direction::Inbound => "inbound",
        Direction::Outbound => "outbound",
    }
}

fn kind_name(kind: B2bKind) -> &'static str {
    match kind {
        B2bKind::B2bCollaboration => "b2b_collaboration",
        B2bKind::B2bDirectConnect => "b2b_direct_connect",
    }
}

/// All the extension entries of an item in one `extension { ... }` block (several blocks in the
/// source merge into one list in the model).
pub(super) fn extension(entries: &[Extension]) -> Option<Node> {
    if entries.is_empty() {
        return None;
    }
    let children: Vec<Node> = entries
        .iter()
        .map(|e| {
            // The model keeps the value as compact JSON, which the grammar's `json_value` reads.
            let text = format!("{} = {}", quoted(&e.pointer.value), e.json.value);
            Node::line(text, Range::cover([e.pointer.span, e.json.span]))
        })
        .collect();
    let range = Range::cover(entries.iter().flat_map(|e| [e.pointer.span, e.json.span]));
    Some(Node::block("extension", Layout::Fit, range, children).with_open_end())
}

/// `auth_strength "<name>" { id = "..."  description = "..."  allow a + b ... }`.
pub(super) fn strength(s: &StrengthDef) -> Node {
    let mut children = Vec::new();
    if let Some(id) = &s.id {
        children.push(Node::line(
            format!("id = {}", quoted(&id.value)),
            Some(Range::of(id.span)),
        ));
    }
    if let Some(d) = &s.description {
        children.push(Node::line(
            format!("description = {}", quoted(&d.value)),
            Some(Range::of(d.span)),
        ));
    }
    for c in &s.combinations {
        children.push(Node::line(
            format!(
                "allow {}",
                crate::model::strength::CombinationText(&c.modes)
            ),
            Some(Range::of(c.span)),
        ));
    }
    children.extend(extension(&s.extensions));
    let head = format!("auth_strength {}", quoted(&s.name.value));
    Node::block(head, Layout::Multi, Some(Range::of(s.span)), children)
}

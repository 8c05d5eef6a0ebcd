//! The `directory` block.

use super::doc::{Layout, Node, Range};
use super::lexical::{bracketed, device_rule, name, quoted, string_list};
use crate::model::request::UserType;
use crate::model::*;
use crate::source::Span;

pub(super) fn directory(d: &Directory) -> Node {
    let mut children: Vec<Node> = Vec::new();
    children.extend(d.users.iter().map(user));
    children.extend(d.contacts.iter().map(contact));
    children.extend(d.groups.iter().map(group));
    children.extend(d.apps.iter().map(app));
    Node::block(
        "directory",
        Layout::Multi,
        Some(Range::of(d.span)),
        children,
    )
}

fn at(text: String, span: Span) -> Node {
    Node::line(text, Some(Range::of(span)))
}

fn string_setting(key: &str, value: &Option<Spanned<String>>) -> Option<Node> {
    value
        .as_ref()
        .map(|v| at(format!("{key} = {}", quoted(&v.value)), v.span))
}

fn address_list(value: &Option<Spanned<AddressList>>) -> Option<Node> {
    value
        .as_ref()
        .map(|v| at(format!("address_list = {}", v.value.name()), v.span))
}

fn user(u: &DirUser) -> Node {
    let mut children: Vec<Node> = Vec::new();
    children.extend(string_setting("id", &u.id));
    children.extend(string_setting("upn", &u.upn));
    children.extend(string_setting("mail", &u.mail));
    if let Some(t) = &u.user_type {
        let word = match t.value {
            UserType::Member => "member",
            UserType::Guest => "guest",
        };
        children.push(at(format!("type = {word}"), t.span));
    }
    if let Some(h) = &u.home {
        children.push(at(format!("home = {}", name(&h.value)), h.span));
    }
    if let Some(span) = u.mail_enabled {
        children.push(at("mail_enabled".into(), span));
    }
    children.extend(address_list(&u.address_list));
    if !u.groups.is_empty() {
        children.push(Node::line(
            format!("groups = {}", string_list(&u.groups)),
            Range::cover(u.groups.iter().map(|g| g.span)),
        ));
    }
    let head = format!("user {}", name(&u.name.value));
    Node::block(head, Layout::Fit, Some(Range::of(u.span)), children)
}

fn contact(c: &DirContact) -> Node {
    let mut children: Vec<Node> = Vec::new();
    children.extend(string_setting("id", &c.id));
    children.extend(string_setting("display_name", &c.display_name));
    children.extend(address_list(&c.address_list));
    let head = format!("contact {}", name(&c.address.value));
    Node::block(head, Layout::Fit, Some(Range::of(c.span)), children)
}

fn group(g: &DirGroup) -> Node {
    let mut children: Vec<Node> = Vec::new();
    children.extend(string_setting("id", &g.id));
    if let Some(k) = &g.kind {
        children.push(at(format!("kind = {}", k.value.name()), k.span));
    }
    if let Some(v) = &g.guests {
        let word = if v.value { "allowed" } else { "blocked" };
        children.push(at(format!("guests = {word}"), v.span));
    }
    if let Some(rule) = &g.dynamic {
        let text = format!("members = dynamic {}", device_rule(&rule.value));
        children.push(at(text, rule.span));
    }
    let head = format!("group {}", name(&g.name.value));
    Node::block(head, Layout::Fit, Some(Range::of(g.span)), children)
}

fn app(a: &DirApp) -> Node {
    let mut children: Vec<Node> = Vec::new();
    children.extend(string_setting("id", &a.id));
    if let Some(span) = a.assignment_required {
        children.push(at("assignment_required".into(), span));
    }
    if !a.assigned.is_empty() {
        let items: Vec<String> = a
            .assigned
            .iter()
            .map(|t| match &t.value {
                Assignee::User(u) => format!("user {}", quoted(u)),
                Assignee::Group(g) => format!("group {}", quoted(g)),
            })
            .collect();
        children.push(Node::line(
            format!("assigned = {}", bracketed(&items)),
            Range::cover(a.assigned.iter().map(|t| t.span)),
        ));
    }
    if let Some(span) = a.sensitive {
        children.push(at("sensitive".into(), span));
    }
    let head = format!("app {}", name(&a.name.value));
    Node::block(head, Layout::Fit, Some(Range::of(a.span)), children)
}

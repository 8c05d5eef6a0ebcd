//! Lowering of `directory { ... }`: users, mail contacts, groups and enterprise apps.

use super::{Lowering, P};
use crate::model::request::UserType;
use crate::model::*;
use crate::source::Span;
use crate::syntax::Rule;

/// A setting that may be written once per object: a second one is `E0004`.
fn once<T>(low: &mut Lowering<'_>, slot: &mut Option<T>, value: Option<T>, key: &str, span: Span)
where
    T: HasSpan,
{
    let Some(value) = value else { return };
    match slot {
        Some(first) => {
            let first = first.span_of();
            low.duplicate(key, span, first);
        }
        None => *slot = Some(value),
    }
}

/// Where a setting was written.
trait HasSpan {
    fn span_of(&self) -> Span;
}

impl<T> HasSpan for Spanned<T> {
    fn span_of(&self) -> Span {
        self.span
    }
}

impl HasSpan for Span {
    fn span_of(&self) -> Span {
        *self
    }
}

impl Lowering<'_> {
    pub(super) fn directory(&mut self, pair: P<'_>) -> Directory {
        let mut dir = Directory {
            span: self.span(&pair),
            ..Directory::default()
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::k_directory => {}
                Rule::dir_user => dir.users.push(self.dir_user(p)),
                Rule::dir_contact => dir.contacts.push(self.dir_contact(p)),
                Rule::dir_group => dir.groups.push(self.dir_group(p)),
                Rule::dir_app => dir.apps.push(self.dir_app(p)),
                _ => self.unexpected(&p),
            }
        }
        dir
    }

    /// The string value of a `key = value` statement, spanning the whole statement (so that
    /// the formatter keeps comments around it in place).
    fn value_string(&mut self, pair: P<'_>) -> Option<Spanned<String>> {
        let span = self.span(&pair);
        let v = pair
            .into_inner()
            .find(|x| matches!(x.as_rule(), Rule::string | Rule::raw_string))?;
        Some(Spanned::new(self.string(&v).value, span))
    }

    fn value_choice<T: Copy>(
        &mut self,
        pair: P<'_>,
        what: &str,
        options: &[(&str, T)],
    ) -> Option<Spanned<T>> {
        let span = self.span(&pair);
        let v = pair.into_inner().find(|x| x.as_rule() == Rule::ident)?;
        self.choice(&v, what, options)
            .map(|c| Spanned::new(c.value, span))
    }

    fn address_list(&mut self, pair: P<'_>) -> Option<Spanned<AddressList>> {
        let options: Vec<(&str, AddressList)> =
            AddressList::ALL.iter().map(|a| (a.name(), *a)).collect();
        self.value_choice(pair, "address list setting", &options)
    }

    fn dir_user(&mut self, pair: P<'_>) -> DirUser {
        let mut u = DirUser {
            name: Spanned::new(String::new(), Span::default()),
            id: None,
            upn: None,
            mail: None,
            user_type: None,
            home: None,
            mail_enabled: None,
            address_list: None,
            groups: Vec::new(),
            span: self.span(&pair),
        };
        let mut groups: Option<Span> = None;
        for p in pair.into_inner() {
            let s = self.span(&p);
            match p.as_rule() {
                Rule::k_user => {}
                Rule::name => u.name = self.name(p),
                Rule::dir_id => {
                    let v = self.value_string(p);
                    once(self, &mut u.id, v, "id", s);
                }
                Rule::dir_upn => {
                    let v = self.value_string(p);
                    once(self, &mut u.upn, v, "upn", s);
                }
                Rule::dir_mail => {
                    let v = self.value_string(p);
                    once(self, &mut u.mail, v, "mail", s);
                }
                Rule::dir_type => {
                    let options = [("member", UserType::Member), ("guest", UserType::Guest)];
                    let v = self.value_choice(p, "user type", &options);
                    once(self, &mut u.user_type, v, "type", s);
                }
                Rule::dir_home => {
                    let v = p
                        .into_inner()
                        .find(|x| x.as_rule() == Rule::name)
                        .map(|n| Spanned::new(self.name(n).value, s));
                    once(self, &mut u.home, v, "home", s);
                }
                Rule::dir_mail_enabled => {
                    once(self, &mut u.mail_enabled, Some(s), "mail_enabled", s)
                }
                Rule::dir_address_list => {
                    let v = self.address_list(p);
                    once(self, &mut u.address_list, v, "address_list", s);
                }
                Rule::dir_groups => {
                    if let Some(first) = groups {
                        self.duplicate("groups", s, first);
                        continue;
                    }
                    groups = Some(s);
                    if let Some(list) = p.into_inner().find(|x| x.as_rule() == Rule::string_list) {
                        u.groups = self.strings(list);
                    }
                }
                _ => self.unexpected(&p),
            }
        }
        u
    }

    fn dir_contact(&mut self, pair: P<'_>) -> DirContact {
        let mut c = DirContact {
            address: Spanned::new(String::new(), Span::default()),
            id: None,
            display_name: None,
            address_list: None,
            span: self.span(&pair),
        };
        for p in pair.into_inner() {
            let s = self.span(&p);
            match p.as_rule() {
                Rule::k_contact => {}
                Rule::name => c.address = self.name(p),
                Rule::dir_id => {
                    let v = self.value_string(p);
                    once(self, &mut c.id, v, "id", s);
                }
                Rule::dir_display_name => {
                    let v = self.value_string(p);
                    once(self, &mut c.display_name, v, "display_name", s);
                }
                Rule::dir_address_list => {
                    let v = self.address_list(p);
                    once(self, &mut c.address_list, v, "address_list", s);
                }
                _ => self.unexpected(&p),
            }
        }
        c
    }

    fn dir_group(&mut self, pair: P<'_>) -> DirGroup {
        let mut g = DirGroup {
            name: Spanned::new(String::new(), Span::default()),
            id: None,
            kind: None,
            guests: None,
            dynamic: None,
            span: self.span(&pair),
        };
        for p in pair.into_inner() {
            let s = self.span(&p);
            match p.as_rule() {
                Rule::k_group => {}
                Rule::name => g.name = self.name(p),
                Rule::dir_id => {
                    let v = self.value_string(p);
                    once(self, &mut g.id, v, "id", s);
                }
                Rule::dir_kind => {
                    let options: Vec<(&str, GroupKind)> =
                        GroupKind::ALL.iter().map(|k| (k.name(), *k)).collect();
                    let v = self.value_choice(p, "group kind", &options);
                    once(self, &mut g.kind, v, "kind", s);
                }
                Rule::dir_guests => {
                    let options = [("allowed", true), ("blocked", false)];
                    let v = self.value_choice(p, "guest setting", &options);
                    once(self, &mut g.guests, v, "guests", s);
                }
                Rule::dir_members => {
                    let v = self.value_string(p);
                    once(self, &mut g.dynamic, v, "members", s);
                }
                _ => self.unexpected(&p),
            }
        }
        g
    }

    fn dir_app(&mut self, pair: P<'_>) -> DirApp {
        let mut a = DirApp {
            name: Spanned::new(String::new(), Span::default()),
            id: None,
            assignment_required: None,
            assigned: Vec::new(),
            sensitive: None,
            span: self.span(&pair),
        };
        let mut assigned: Option<Span> = None;
        for p in pair.into_inner() {
            let s = self.span(&p);
            match p.as_rule() {
                Rule::k_app => {}
                Rule::name => a.name = self.name(p),
                Rule::dir_id => {
                    let v = self.value_string(p);
                    once(self, &mut a.id, v, "id", s);
                }
                Rule::dir_assignment_required => once(
                    self,
                    &mut a.assignment_required,
                    Some(s),
                    "assignment_required",
                    s,
                ),
                Rule::dir_sensitive => once(self, &mut a.sensitive, Some(s), "sensitive", s),
                Rule::dir_assigned => {
                    if let Some(first) = assigned {
                        self.duplicate("assigned", s, first);
                        continue;
                    }
                    assigned = Some(s);
                    for t in p.into_inner() {
                        match t.as_rule() {
                            Rule::k_assigned => {}
                            Rule::assignee => {
                                if let Some(x) = self.assignee(t) {
                                    a.assigned.push(x);
                                }
                            }
                            _ => self.unexpected(&t),
                        }
                    }
                }
                _ => self.unexpected(&p),
            }
        }
        a
    }

    fn assignee(&mut self, pair: P<'_>) -> Option<Spanned<Assignee>> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let keyword = inner.next()?.as_rule();
        let value = self.string(&inner.next()?).value;
        let target = match keyword {
            Rule::k_user => Assignee::User(value),
            _ => Assignee::Group(value),
        };
        Some(Spanned::new(target, span))
    }
}

//! `directory` blocks: references and the constraints the directory itself enforces.
//!
//! | Code | What |
//! |---|---|
//! | E1008 | a user's `home` names an undeclared tenant |
//! | E1055 | an app id that is not a GUID |
//! | E1090 | two objects of one kind answer to the same name or address |
//! | E1091 | an enterprise app without `id` (requests and policies name apps by id) |
//! | E1092 | a distribution group assigned to an app (group-based assignment needs a security group) |
//! | E1093 | a `mail`, `upn` or contact address that is not an e-mail address |
//! | E1094 | `guests = ...` on a group that is not a Microsoft 365 group |
//! | W1096 | a dynamic membership rule accord does not read (membership comes from users' `groups`) |

use std::collections::BTreeMap;

use super::{references, values, Findings, Index};
use crate::diagnostic::Diagnostic;
use crate::model::{Assignee, Audience, Directory, GroupKind, Pack, Spanned};
use crate::source::Span;

pub(super) fn check(pack: &Pack, index: &Index, out: &mut Findings) {
    let blocks = &pack.directory;
    duplicates(blocks, out);
    let groups: BTreeMap<String, GroupKind> = blocks
        .iter()
        .flat_map(|d| &d.groups)
        .map(|g| (g.name.value.to_lowercase(), g.kind()))
        .collect();
    for d in blocks {
        for u in &d.users {
            if let Some(home) = &u.home {
                references::tenant(pack, index, home, out);
            }
            for a in u.upn.iter().chain(&u.mail) {
                address(a, out);
            }
        }
        for c in &d.contacts {
            address(&c.address, out);
        }
        for g in &d.groups {
            if let Some(guests) = &g.guests {
                if g.kind() != GroupKind::Microsoft365 {
                    out.add(
                        Diagnostic::error(
                            "E1094",
                            format!(
                                "`guests` is a Microsoft 365 group setting, and `{}` is a {} group",
                                g.name.value,
                                g.kind().name()
                            ),
                        )
                        .at(guests.span)
                        .help("add `kind = microsoft365`, or drop `guests`"),
                    );
                }
            }
            if let (Some(rule), Some(Audience::Other)) = (&g.dynamic, g.audience()) {
                out.add(
                    Diagnostic::warning(
                        "W1096",
                        format!(
                            "accord does not read the membership rule of `{}`",
                            g.name.value
                        ),
                    )
                    .at(rule.span)
                    .help(
                        "accord reads `user.objectId -ne null` (every user, guests included) and \
                         `user.userType -eq \"Member\"` or `\"Guest\"`; for any other rule, list \
                         the group in the `groups` of the users it holds",
                    ),
                );
            }
        }
        for a in &d.apps {
            match &a.id {
                None => out.add(
                    Diagnostic::error(
                        "E1091",
                        format!("enterprise app `{}` has no `id`", a.name.value),
                    )
                    .at(a.name.span)
                    .help("add `id = \"<application (client) id>\"`: requests and policies name apps by id"),
                ),
                Some(id) if !crate::model::is_guid(&id.value) => {
                    out.add(super::cross_tenant::invalid_app_id(&id.value, id.span))
                }
                Some(_) => {}
            }
            for t in &a.assigned {
                if let Assignee::Group(g) = &t.value {
                    if groups.get(&g.to_lowercase()) == Some(&GroupKind::Distribution) {
                        out.add(
                            Diagnostic::error(
                                "E1092",
                                format!("`{g}` is a distribution group and cannot be assigned to `{}`", a.name.value),
                            )
                            .at(t.span)
                            .help("group-based assignment takes security groups (and Microsoft 365 groups): assign a security group"),
                        );
                    }
                }
            }
        }
    }
}

fn address(a: &Spanned<String>, out: &mut Findings) {
    let ok = a.value.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && values::domain_problem(&domain.to_ascii_lowercase()).is_none()
    });
    if !ok {
        out.add(
            Diagnostic::error("E1093", format!("`{}` is not an e-mail address", a.value))
                .at(a.span)
                .help("write the address as `name@domain`"),
        );
    }
}

/// `E1090`: users answer to their name, UPN and mail; contacts to their address; groups and
/// apps to their name (and apps to their id). Names compare without case, as the directory does.
fn duplicates(blocks: &[Directory], out: &mut Findings) {
    let mut report = |what: &str, items: Vec<(String, Span)>| {
        for (key, span, first) in super::repeats(items) {
            out.add(
                Diagnostic::error("E1090", format!("two {what} answer to `{key}`"))
                    .at(span)
                    .label(first, "first declared here")
                    .help("each name, UPN and address belongs to one directory object"),
            );
        }
    };
    let users: Vec<(String, Span)> = blocks
        .iter()
        .flat_map(|d| &d.users)
        .flat_map(|u| {
            // A user whose name is also its mail or UPN answers to it once.
            let mut own: Vec<(String, Span)> = Vec::new();
            for n in u.names() {
                let key = n.value.to_lowercase();
                if !own.iter().any(|(k, _)| *k == key) {
                    own.push((key, n.span));
                }
            }
            own
        })
        .collect();
    report("users", users);
    let contacts = blocks
        .iter()
        .flat_map(|d| &d.contacts)
        .map(|c| (c.address.value.to_lowercase(), c.address.span))
        .collect();
    report("contacts", contacts);
    let groups = blocks
        .iter()
        .flat_map(|d| &d.groups)
        .map(|g| (g.name.value.to_lowercase(), g.name.span))
        .collect();
    report("groups", groups);
    let apps = blocks
        .iter()
        .flat_map(|d| &d.apps)
        .map(|a| (a.name.value.to_lowercase(), a.name.span))
        .chain(
            blocks
                .iter()
                .flat_map(|d| &d.apps)
                .filter_map(|a| a.id.as_ref())
                .map(|id| (id.value.to_lowercase(), id.span)),
        )
        .collect();
    report("apps", apps);
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::codes_of;

    #[test]
    fn a_clean_directory() {
        let text = r#"
directory {
  user "bob@fabrikam.com" { type = guest  home = fabrikam  mail_enabled  groups = ["Partners"] }
  contact "carol@litware.com" { display_name = "Carol" }
  group "Partners" { kind = microsoft365  guests = allowed }
  group "Everyone" { members = dynamic 'user.objectId -ne null' }
  app "Payroll" { id = "11111111-2222-4333-8444-555555555555"  assignment_required  assigned = [group "Partners"] }
}"#;
        assert_eq!(codes_of(text), Vec::<String>::new());
    }

    #[test]
    fn every_problem_has_its_code() {
        let text = r#"
directory {
  user "bob@fabrikam.com" { home = fabrikan  mail = "bob" }
  user "BOB@fabrikam.com" { }
  group "Lists" { kind = distribution  guests = allowed }
  group "Sales" { members = dynamic 'user.department -eq "Sales"' }
  app "Payroll" { assigned = [group "Lists"] }
  app "Other" { id = "not-a-guid" }
}"#;
        assert_eq!(
            codes_of(text),
            ["E1008", "E1093", "E1090", "E1094", "W1096", "E1091", "E1092", "E1055"]
        );
    }
}

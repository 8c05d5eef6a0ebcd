//! DIR002: an external member that is mail-enabled but hidden from the address list.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};
use crate::model::request::UserType;
use crate::model::AddressList;

pub static RULE: Rule = Rule {
    code: "DIR002",
    name: "mail_enabled_member_hidden",
    severity: Severity::Warning,
    summary: "a mail-enabled external member hidden from the address list (a guest converted out of order)",
    explanation: "Accounts invited as external members cannot be mail-enabled; a mail-enabled \
external member is a guest converted to member. The guidance gives the order: invite as guest, \
show the account in the address list, then set userType to Member, so that Exchange Online \
handles it as a MailUser; a guest converted while hidden can run into how Exchange Online \
handles B2B accounts (\"Common considerations for multitenant user management\", converting an \
external user's UserType, \
https://learn.microsoft.com/entra/architecture/multi-tenant-common-considerations). External \
users are hidden from the address list unless unhidden, so an external member without \
`address_list = shown` is hidden.",
    fires: r#"directory {
  user "dana@fabrikam.com" { type = member  home = fabrikam  mail_enabled }
}"#,
    quiet: r#"directory {
  user "dana@fabrikam.com" { type = member  home = fabrikam  mail_enabled  address_list = shown }
}"#,
    fix: "show the user in the address list (`address_list = shown`, `Set-MailUser \
-HiddenFromAddressListsEnabled $false`), as the conversion requires",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let resource = ctx.facts.resource.map(|t| t.name.value.as_str());
    for u in ctx.pack.directory.iter().flat_map(|d| &d.users) {
        let external = u
            .home
            .as_ref()
            .is_some_and(|h| Some(h.value.as_str()) != resource);
        let member = u
            .user_type
            .as_ref()
            .is_none_or(|t| t.value == UserType::Member);
        let hidden = u
            .address_list
            .as_ref()
            .is_none_or(|a| a.value == AddressList::Hidden);
        let Some(mail) = u.mail_enabled else { continue };
        if !(external && member && hidden) {
            continue;
        }
        let mut d = RULE
            .finding(format!(
                "external member `{}` is mail-enabled but hidden from the address list",
                u.name.value
            ))
            .at(u.name.span)
            .label(mail, "mail-enabled");
        if let Some(a) = &u.address_list {
            d = d.label(a.span, "hidden");
        }
        out.push(d.help(
            "show it in the address list (`address_list = shown`): the conversion from guest to \
             member keeps a MailUser only for a guest shown there",
        ));
    }
}

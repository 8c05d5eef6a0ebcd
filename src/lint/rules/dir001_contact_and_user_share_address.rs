//! DIR001: a mail contact and a user answer to the same address.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};

pub static RULE: Rule = Rule {
    code: "DIR001",
    name: "contact_and_user_share_address",
    severity: Severity::Warning,
    summary: "a mail contact and a user of the directory hold the same e-mail address",
    explanation: "A mail contact and a mail-enabled external member or guest cannot coexist in \
the same tenant with the same address: inviting someone whose address a contact holds creates \
a user that is not mail-enabled, inviting them as a member fails with a proxy address \
conflict, and creating a contact for the address of a mail-enabled user throws an exception \
(\"Common considerations for multitenant user management\", directory object considerations, \
https://learn.microsoft.com/entra/architecture/multi-tenant-common-considerations; reference \
§8 collects the proxy-address conflicts). A contact \
beside a mail-enabled user is a state the directory refuses; beside a user that is not \
mail-enabled it is the degraded state an invitation over a contact leaves (mail to the person \
goes to the contact, and a mail contact can never be converted to the user).",
    fires: r#"directory {
  user "bob@fabrikam.com" { type = guest  home = fabrikam  mail_enabled }
  contact "bob@fabrikam.com" { display_name = "Bob (Fabrikam)" }
}"#,
    quiet: r#"directory {
  user "bob@fabrikam.com" { type = guest  home = fabrikam  mail_enabled }
  contact "carol@litware.com" { display_name = "Carol (Litware)" }
}"#,
    fix: "keep one object per person: remove the contact and rely on the guest (shown in the \
address list if it must be found), or remove the guest",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let users: Vec<_> = ctx.pack.directory.iter().flat_map(|d| &d.users).collect();
    for contact in ctx.pack.directory.iter().flat_map(|d| &d.contacts) {
        let key = contact.address.value.to_lowercase();
        let Some(user) = users
            .iter()
            .find(|u| u.names().any(|n| n.value.to_lowercase() == key))
        else {
            continue;
        };
        let (message, help) = if user.mail_enabled.is_some() {
            (
                format!(
                    "mail contact `{}` and the mail-enabled user `{}` hold the same address, which the directory refuses",
                    contact.address.value, user.name.value
                ),
                "remove the contact: the mail-enabled user already receives mail at this address",
            )
        } else {
            (
                format!(
                    "mail contact `{}` holds the address of user `{}`, which therefore cannot be mail-enabled",
                    contact.address.value, user.name.value
                ),
                "remove the contact and mail-enable the user, or drop the user if the contact is all you need",
            )
        };
        out.push(
            RULE.finding(message)
                .at(contact.address.span)
                .label(user.name.span, "the user")
                .help(help),
        );
    }
}

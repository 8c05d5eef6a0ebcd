//! Who the recipient is: their address, home tenant and what the resource tenant makes of them.
//!
//! This is the one place where an external member is treated as a member. §5.4: a user with
//! `userType` Member whose home tenant is *active* in the resource tenant's multi-tenant
//! organisation is an in-organization external member, and "MTO members count as people in your
//! organization" for SharePoint. Any other external account (a guest, or a member whose tenant is
//! pending, removed or outside the organisation) is treated as a guest account: the reference
//! documents the member treatment for organisation members only, so accord does not extend it
//! (fail closed). Each service then says whether it honours the member treatment (see the table in
//! `eval::sharing`).

use crate::model::share::{ExistingAccount, ShareRequest, ShareService};
use crate::model::{MemberState, Organization, Pack, Tenant};

use super::settings::same_domain;
use super::trace::{ShareRule, Stopped, Trace};

/// A readable e-mail address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Address {
    /// As written, without surrounding spaces.
    pub text: String,
    /// The domain, lower case.
    pub domain: String,
}

/// Reads `local@domain`: one `@`, a non-empty local part, a domain of at least two dot-separated
/// labels of letters, digits and hyphens. Anything else is refused rather than guessed at.
pub(super) fn parse_address(text: &str) -> Result<Address, String> {
    let text = text.trim();
    let Some((local, domain)) = text.split_once('@') else {
        return Err(format!("`{text}` is not an e-mail address: it has no `@`"));
    };
    if local.is_empty() || local.chars().any(|c| c.is_whitespace() || c == '@') {
        return Err(format!(
            "`{text}` is not an e-mail address: its local part is invalid"
        ));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) {
        return Err(format!(
            "`{text}` is not an e-mail address: `{domain}` is not a domain name"
        ));
    }
    Ok(Address {
        text: text.to_string(),
        domain: domain.to_ascii_lowercase(),
    })
}

/// The kind of account an external recipient has (or will have) in the resource directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Account {
    /// No account: sharing invites them.
    New,
    /// An existing guest account, or an external member not treated as a member.
    Existing,
}

/// What the resource tenant makes of the recipient.
#[derive(Debug, Clone, Copy)]
pub(super) enum Recipient<'a> {
    /// A member of the resource tenant itself.
    Internal,
    /// An external member from a tenant active in the same organisation (§5.4).
    InOrgMember {
        home: &'a Tenant,
        org: &'a Organization,
    },
    /// Anyone else; `home` is the declared tenant owning their domain, if any.
    External {
        home: Option<&'a Tenant>,
        account: Account,
    },
}

/// The declared tenant that owns a domain.
pub(super) fn tenant_of<'a>(pack: &'a Pack, domain: &str) -> Option<&'a Tenant> {
    pack.tenants
        .iter()
        .find(|t| t.domains.iter().any(|d| same_domain(&d.value, domain)))
}

/// Reads the address and finds the declared tenant owning its domain (and whether it is the
/// resource tenant), recording it in the trace.
pub(super) fn locate<'a>(
    pack: &'a Pack,
    with: &str,
    trace: &mut Trace,
) -> Result<(Address, Option<&'a Tenant>, bool), Stopped> {
    let address = match parse_address(with) {
        Ok(a) => a,
        Err(why) => return Err(trace.fail(ShareRule::RecipientAddress, why, None)),
    };
    let home = tenant_of(pack, &address.domain);
    let is_resource = matches!((home, pack.resource_tenant()), (Some(h), Some(r)) if h.name.value == r.name.value);
    let who = match home {
        Some(t) => format!(
            "`{}` belongs to tenant `{}` (domain `{}`)",
            address.text, t.name.value, address.domain
        ),
        None => format!(
            "`{}` belongs to no declared tenant (domain `{}`)",
            address.text, address.domain
        ),
    };
    trace.note(ShareRule::RecipientAddress, who, None);
    Ok((address, home, is_resource))
}

/// Classifies the recipient, recording how in the trace.
pub(super) fn classify<'a>(
    pack: &'a Pack,
    req: &ShareRequest,
    trace: &mut Trace,
) -> Result<(Address, Recipient<'a>), Stopped> {
    let (address, home, is_resource) = locate(pack, &req.with, trace)?;
    let resource = pack.resource_tenant();

    // Calendar sharing policies are per domain, whatever account the person has (§7.7).
    let accounts_matter = req.service != ShareService::Calendar;
    let recipient = match (req.existing, home) {
        (_, Some(_)) if is_resource && !accounts_matter => {
            trace.note(
                ShareRule::InternalRecipient,
                format!("`{}` is in a domain of the resource tenant", address.text),
                None,
            );
            Recipient::Internal
        }
        (ExistingAccount::Member, Some(_)) if is_resource => {
            trace.note(
                ShareRule::InternalRecipient,
                format!("`{}` is a member of the resource tenant", address.text),
                None,
            );
            Recipient::Internal
        }
        (ExistingAccount::None, Some(t)) if is_resource => {
            return Err(trace.fail(
                ShareRule::RecipientAccount,
                format!(
                    "`{}` is in `{}`, a domain of the resource tenant `{}`, but the request says \
                     they have no account; an address of the organization's own domain cannot be \
                     invited as a guest",
                    address.text, address.domain, t.name.value
                ),
                None,
            ));
        }
        (ExistingAccount::Member, Some(h)) => match shared_organization(pack, resource, h) {
            Ok(org) => {
                trace.note(
                    ShareRule::InOrganizationMember,
                    format!(
                        "`{}` is an external member from `{}`, active with the resource tenant in \
                         organization `{}`: an in-organization member (§5.4)",
                        address.text, h.name.value, org.name.value
                    ),
                    None,
                );
                Recipient::InOrgMember { home: h, org }
            }
            Err(why) => {
                trace.note(
                    ShareRule::InOrganizationMember,
                    format!(
                        "`{}` has a member account but is not an in-organization member ({why}): \
                         treated as an existing guest account",
                        address.text
                    ),
                    None,
                );
                Recipient::External {
                    home: Some(h),
                    account: Account::Existing,
                }
            }
        },
        (ExistingAccount::None, home) => Recipient::External {
            home,
            account: Account::New,
        },
        (_, home) => Recipient::External {
            home,
            account: Account::Existing,
        },
    };
    Ok((address, recipient))
}

/// The organisation in which both tenants are active, or why there is none.
pub(super) fn shared_organization<'a>(
    pack: &'a Pack,
    resource: Option<&Tenant>,
    home: &Tenant,
) -> Result<&'a Organization, String> {
    let Some(resource) = resource else {
        return Err("the pack declares no resource tenant".to_string());
    };
    let state = |org: &Organization, name: &str| {
        org.members
            .iter()
            .find(|m| m.tenant.value == name)
            .map(|m| m.state.value)
    };
    let mut why = format!(
        "no organization holds both `{}` and `{}`",
        resource.name.value, home.name.value
    );
    for org in &pack.organizations {
        let (Some(r), Some(h)) = (
            state(org, &resource.name.value),
            state(org, &home.name.value),
        ) else {
            continue;
        };
        if r == MemberState::Active && h == MemberState::Active {
            return Ok(org);
        }
        let (tenant, st) = if h == MemberState::Active {
            (&resource.name.value, r)
        } else {
            (&home.name.value, h)
        };
        why = format!(
            "`{tenant}` is `{}` in organization `{}`, not active",
            state_name(st),
            org.name.value
        );
    }
    Err(why)
}

fn state_name(state: MemberState) -> &'static str {
    match state {
        MemberState::Active => "active",
        MemberState::Pending => "pending",
        MemberState::Removed => "removed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_read_strictly() {
        let a = parse_address(" Carol@LitWare.com ").unwrap();
        assert_eq!(a.text, "Carol@LitWare.com");
        assert_eq!(a.domain, "litware.com");
        for bad in [
            "carol",
            "@litware.com",
            "carol@",
            "carol@litware",
            "carol@lit ware.com",
            "carol@@litware.com",
            "carol@litware..com",
            "carol@-litware.com",
            "ca rol@litware.com",
        ] {
            assert!(parse_address(bad).is_err(), "{bad} should be refused");
        }
    }
}

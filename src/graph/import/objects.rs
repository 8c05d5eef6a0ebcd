//! Graph directory objects into the `directory` block: `users` (userType, mail, UPN,
//! `showInAddressList`, `memberOf` when expanded), `contacts` (orgContact), `groups`
//! (`groupTypes`, `securityEnabled`/`mailEnabled`, `membershipRule`, the `Group.Unified.Guest`
//! setting when expanded) and `servicePrincipals` (`appId`, `appRoleAssignmentRequired`,
//! `appRoleAssignedTo` when expanded).
//!
//! Only these properties are read; a directory object's other attributes (names, phone
//! numbers, licences...) do not decide access and are not kept (one info per import says how
//! many objects were read). An object whose name another object of its kind already has is
//! skipped with a warning: the directory block names each object once (E1090).

use serde_json::{Map, Value};

use super::tenant::as_list;
use super::{Ctx, Importer};
use crate::diagnostic::Diagnostic;
use crate::model::request::UserType;
use crate::model::*;
use crate::source::Span;

fn syn<T>(v: T) -> Spanned<T> {
    Spanned::synthetic(v)
}

/// The template of a Microsoft 365 group's own guest setting.
const GROUP_GUEST_TEMPLATE: &str = "08d542b9-071f-4e16-94b0-74abb372e3d9";

/// Which directory object a Graph object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ObjectKind {
    User,
    Contact,
    Group,
    ServicePrincipal,
}

/// Recognises a user, contact, group or service principal by `@odata.type` or properties.
pub(crate) fn object_kind(v: &Map<String, Value>) -> Option<ObjectKind> {
    let odata = v
        .get("@odata.type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_ascii_lowercase();
    let has = |k: &str| v.get(k).is_some();
    if odata.ends_with("orgcontact") {
        return Some(ObjectKind::Contact);
    }
    if odata.ends_with("serviceprincipal") || (has("appId") && has("appRoleAssignmentRequired")) {
        return Some(ObjectKind::ServicePrincipal);
    }
    if odata.ends_with(".user") || has("userPrincipalName") {
        return Some(ObjectKind::User);
    }
    if odata.ends_with(".group") || has("groupTypes") || has("securityEnabled") {
        return Some(ObjectKind::Group);
    }
    None
}

fn text<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn address_list(v: &Value) -> Option<Spanned<AddressList>> {
    match v.get("showInAddressList") {
        Some(Value::Bool(true)) => Some(syn(AddressList::Shown)),
        Some(Value::Bool(false)) => Some(syn(AddressList::Hidden)),
        _ => None,
    }
}

impl Importer<'_> {
    /// The one directory block of the pack (created on first use).
    fn directory_mut(&mut self) -> &mut Directory {
        if self.pack.directory.is_empty() {
            self.pack.directory.push(Directory::default());
        }
        let last = self.pack.directory.len() - 1;
        &mut self.pack.directory[last]
    }

    /// Pass 2 for a user, contact, group or service principal.
    pub(super) fn directory_object(&mut self, cx: &mut Ctx<'_>, v: &Value) {
        let added = match v.as_object().and_then(object_kind) {
            Some(ObjectKind::User) => self.dir_user(v),
            Some(ObjectKind::Contact) => self.dir_contact(v),
            Some(ObjectKind::Group) => self.dir_group(v),
            Some(ObjectKind::ServicePrincipal) => self.dir_app(v),
            None => return,
        };
        match added {
            Ok(true) => self.objects_read += 1,
            Ok(false) => {}
            Err(name) => {
                let d = Diagnostic::warning(
                    "W3042",
                    format!("another directory object is already named `{name}`: skipped"),
                )
                .help("the directory block names each object once; give one of them another name in the pack");
                self.push_at(cx, "", d);
            }
        }
    }

    fn dir_user(&mut self, v: &Value) -> Result<bool, String> {
        let upn = text(v, "userPrincipalName");
        let mail = text(v, "mail");
        let user_type = match text(v, "userType").map(str::to_ascii_lowercase).as_deref() {
            Some("guest") => Some(UserType::Guest),
            Some("member") => Some(UserType::Member),
            _ => None,
        };
        // A guest's UPN is `name_domain#EXT#@tenant`: the pack names guests by their address.
        let name = match (user_type, mail, upn) {
            (Some(UserType::Guest), Some(m), _) => m,
            (_, _, Some(u)) => u,
            (_, Some(m), None) => m,
            _ => return Ok(false),
        };
        let dir = self.directory_mut();
        let taken = dir
            .users
            .iter()
            .any(|u| u.names().any(|n| n.value.eq_ignore_ascii_case(name)));
        if taken {
            return Err(name.to_string());
        }
        let groups = as_list(v.get("memberOf"))
            .into_iter()
            .filter(|g| {
                g.get("@odata.type")
                    .and_then(Value::as_str)
                    .is_none_or(|t| t.to_ascii_lowercase().ends_with("group"))
            })
            .filter_map(|g| text(g, "displayName"))
            .map(|g| syn(g.to_string()))
            .collect();
        dir.users.push(DirUser {
            name: syn(name.to_string()),
            id: text(v, "id").map(|i| syn(i.to_string())),
            upn: upn.filter(|u| *u != name).map(|u| syn(u.to_string())),
            mail: mail.filter(|m| *m != name).map(|m| syn(m.to_string())),
            user_type: user_type.map(syn),
            home: None,
            // A user with a mail address is mail-enabled (a mailbox, or a MailUser for an
            // invited guest: "common considerations").
            mail_enabled: mail.map(|_| Span::default()),
            address_list: address_list(v),
            groups,
            span: Span::default(),
        });
        Ok(true)
    }

    fn dir_contact(&mut self, v: &Value) -> Result<bool, String> {
        let Some(address) = text(v, "mail") else {
            return Ok(false);
        };
        let dir = self.directory_mut();
        if dir
            .contacts
            .iter()
            .any(|c| c.address.value.eq_ignore_ascii_case(address))
        {
            return Err(address.to_string());
        }
        dir.contacts.push(DirContact {
            address: syn(address.to_string()),
            id: text(v, "id").map(|i| syn(i.to_string())),
            display_name: text(v, "displayName").map(|d| syn(d.to_string())),
            address_list: address_list(v),
            span: Span::default(),
        });
        Ok(true)
    }

    fn dir_group(&mut self, v: &Value) -> Result<bool, String> {
        let Some(name) = text(v, "displayName") else {
            return Ok(false);
        };
        let types: Vec<String> = as_list(v.get("groupTypes"))
            .into_iter()
            .filter_map(Value::as_str)
            .map(str::to_ascii_lowercase)
            .collect();
        let flag = |k: &str| v.get(k).and_then(Value::as_bool) == Some(true);
        let kind = if types.iter().any(|t| t == "unified") {
            GroupKind::Microsoft365
        } else {
            match (flag("securityEnabled"), flag("mailEnabled")) {
                (true, true) => GroupKind::MailEnabledSecurity,
                (false, true) => GroupKind::Distribution,
                _ => GroupKind::Security,
            }
        };
        let dynamic = text(v, "membershipRule")
            .filter(|_| types.iter().any(|t| t == "dynamicmembership"))
            .map(|r| syn(r.to_string()));
        // The group's own `Group.Unified.Guest` setting, when the export expanded `settings`.
        let guests = as_list(v.get("settings"))
            .into_iter()
            .filter(|s| text(s, "templateId") == Some(GROUP_GUEST_TEMPLATE))
            .flat_map(|s| as_list(s.get("values")))
            .find(|e| text(e, "name") == Some("AllowToAddGuests"))
            .and_then(|e| text(e, "value"))
            .map(|x| syn(x.eq_ignore_ascii_case("true")))
            .filter(|_| kind == GroupKind::Microsoft365);
        let dir = self.directory_mut();
        if dir.groups.iter().any(|g| g.name.value == name) {
            return Err(name.to_string());
        }
        dir.groups.push(DirGroup {
            name: syn(name.to_string()),
            id: text(v, "id").map(|i| syn(i.to_string())),
            kind: (kind != GroupKind::Security).then(|| syn(kind)),
            guests,
            dynamic,
            span: Span::default(),
        });
        Ok(true)
    }

    fn dir_app(&mut self, v: &Value) -> Result<bool, String> {
        let (Some(name), Some(app_id)) = (text(v, "displayName"), text(v, "appId")) else {
            return Ok(false);
        };
        let assigned = as_list(v.get("appRoleAssignedTo"))
            .into_iter()
            .filter_map(|a| {
                let who = text(a, "principalDisplayName")?.to_string();
                match text(a, "principalType")? {
                    "User" => Some(Assignee::User(who)),
                    "Group" => Some(Assignee::Group(who)),
                    _ => None,
                }
            })
            .map(syn)
            .collect();
        let dir = self.directory_mut();
        if dir.apps.iter().any(|a| a.name.value == name) {
            return Err(name.to_string());
        }
        dir.apps.push(DirApp {
            name: syn(name.to_string()),
            id: Some(syn(app_id.to_string())),
            assignment_required: (v.get("appRoleAssignmentRequired") == Some(&Value::Bool(true)))
                .then(Span::default),
            assigned,
            sensitive: None,
            span: Span::default(),
        });
        Ok(true)
    }

    /// One info for the directory objects read (their other properties are not kept).
    pub(super) fn report_objects(&mut self) {
        if self.objects_read == 0 {
            return;
        }
        self.diagnostics.push(
            Diagnostic::info(
                "I3042",
                format!(
                    "{} directory {} read into the `directory` block: only their type, names, mail, address-list visibility, groups, dynamic rule, guest setting and app assignment are kept",
                    self.objects_read,
                    if self.objects_read == 1 { "object" } else { "objects" }
                ),
            )
            .help("other attributes of users, contacts, groups and service principals do not decide access"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kind(v: Value) -> Option<ObjectKind> {
        object_kind(v.as_object().unwrap())
    }

    #[test]
    fn kinds_of_objects() {
        assert_eq!(
            kind(json!({"@odata.type": "#microsoft.graph.orgContact", "mail": "a@b.com"})),
            Some(ObjectKind::Contact)
        );
        assert_eq!(
            kind(json!({"appId": "x", "appRoleAssignmentRequired": true})),
            Some(ObjectKind::ServicePrincipal)
        );
        assert_eq!(
            kind(json!({"id": "x", "userPrincipalName": "a@b.com"})),
            Some(ObjectKind::User)
        );
        assert_eq!(
            kind(json!({"id": "x", "groupTypes": []})),
            Some(ObjectKind::Group)
        );
        assert_eq!(kind(json!({"id": "x"})), None);
    }
}

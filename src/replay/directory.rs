//! `--directory`: who is in which group, for sign-ins (logs name users, not their groups).
//!
//! Either Graph users with their memberships (`GET /users?$expand=memberOf` pages, or
//! `Get-MgUser -ExpandProperty MemberOf | ConvertTo-Json`): `id`, `userPrincipalName`,
//! `userType` and `memberOf` entries (`#microsoft.graph.group` with `id` and `displayName`,
//! `#microsoft.graph.directoryRole` with `roleTemplateId`); or a YAML map from a UPN (or user
//! id) to its group names, or to `{ groups: [...], roles: [...], type: guest }`.
//!
//! Only memberships the pack reads are kept (a tenant's groups are many, a pack names few), so
//! the directory's memory is about its users, not their memberships.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use serde::Deserialize;

use super::fields::{opt_text, Classified, Nested, Text};
use super::read::{self, Body};
use super::record::LoggedUserType;
use crate::model::catalog;
use crate::model::request::UserType;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DirUser {
    pub user_type: Option<UserType>,
    pub groups: Vec<String>,
    pub roles: Vec<&'static str>,
}

#[derive(Debug, Clone, Default)]
pub struct Directory {
    users: Vec<DirUser>,
    /// Lowercase user ids and UPNs -> index in `users`.
    keys: HashMap<String, usize>,
}

impl Directory {
    pub fn len(&self) -> usize {
        self.users.len()
    }
    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
    }

    /// The user with this id or UPN (any case).
    pub fn user(&self, id: Option<&str>, upn: Option<&str>) -> Option<&DirUser> {
        let find = |k: &str| self.keys.get(&k.to_lowercase()).map(|i| &self.users[*i]);
        id.and_then(find).or_else(|| upn.and_then(find))
    }

    fn add(&mut self, keys: impl IntoIterator<Item = String>, user: DirUser) {
        let i = self.users.len();
        self.users.push(user);
        for k in keys {
            self.keys.insert(k.to_lowercase(), i);
        }
    }

    /// Reads a directory file; `keep` says which group names or ids the packs read.
    pub fn load(path: &Path, keep: &dyn Fn(&str) -> bool) -> Result<Directory, String> {
        let is_yaml = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
        if is_yaml {
            // Bounded like every YAML input (size, encoding, line length, nesting).
            let text =
                crate::input::read(path, crate::input::Kind::Yaml).map_err(|e| e.to_string())?;
            return Self::from_yaml(&text.text, keep)
                .map_err(|e| format!("{}: {e}", path.display()));
        }
        let mut dir = Directory::default();
        let mut problem = None;
        read::read_file(path, Arc::new(AtomicU64::new(0)), &mut |chunk| {
            let Body::Json { data, records, .. } = &chunk.body else {
                problem.get_or_insert_with(|| {
                    format!(
                        "{}: a directory is Graph users (JSON) or a YAML map, not CSV",
                        path.display()
                    )
                });
                return;
            };
            for (s, e, line) in records {
                match serde_json::from_slice::<GraphUser>(&data[*s..*e]) {
                    Ok(u) => dir.add_graph(u, keep),
                    Err(err) => {
                        problem.get_or_insert_with(|| {
                            format!("{}:{line}: not a Graph user: {err}", path.display())
                        });
                    }
                }
            }
        })
        .map_err(|e| e.to_string())?;
        match problem {
            Some(p) => Err(p),
            None => Ok(dir),
        }
    }

    fn add_graph(&mut self, u: GraphUser<'_>, keep: &dyn Fn(&str) -> bool) {
        let mut user = DirUser {
            user_type: match u.user_type {
                Classified::Known(LoggedUserType::Guest) => Some(UserType::Guest),
                Classified::Known(LoggedUserType::Member) => Some(UserType::Member),
                _ => None,
            },
            ..DirUser::default()
        };
        for m in u.member_of.0.unwrap_or_default() {
            let kind = m.odata_type.as_deref().unwrap_or("").to_ascii_lowercase();
            if kind.ends_with("directoryrole") {
                if let Some(r) = m.role_template_id.as_deref().and_then(catalog::role_by_id) {
                    user.roles.push(r.id);
                }
                continue;
            }
            for g in [m.display_name, m.id].into_iter().flatten() {
                if keep(&g) && !user.groups.contains(&g) {
                    user.groups.push(g);
                }
            }
        }
        let keys = [u.id, u.upn]
            .into_iter()
            .flatten()
            .map(|t| t.as_str().to_string());
        self.add(keys, user);
    }

    fn from_yaml(text: &str, keep: &dyn Fn(&str) -> bool) -> Result<Directory, String> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Entry {
            Groups(Vec<String>),
            Full {
                #[serde(default)]
                groups: Vec<String>,
                #[serde(default)]
                roles: Vec<String>,
                #[serde(default, rename = "type")]
                user_type: Option<String>,
            },
        }
        let map: BTreeMap<String, Entry> =
            crate::yaml::from_str(text).map_err(|e| e.to_string())?;
        let mut dir = Directory::default();
        for (key, entry) in map {
            let (groups, roles, user_type) = match entry {
                Entry::Groups(g) => (g, Vec::new(), None),
                Entry::Full {
                    groups,
                    roles,
                    user_type,
                } => (groups, roles, user_type),
            };
            let mut user = DirUser {
                groups: groups.into_iter().filter(|g| keep(g)).collect(),
                ..DirUser::default()
            };
            for r in roles {
                let role = catalog::role_by_name(&r)
                    .or_else(|| catalog::role_by_id(&r))
                    .ok_or_else(|| format!("`{key}`: unknown role `{r}` (write a built-in role name such as `global_administrator`, or its template id)"))?;
                user.roles.push(role.id);
            }
            user.user_type = match user_type.as_deref() {
                None => None,
                Some("member") => Some(UserType::Member),
                Some("guest") => Some(UserType::Guest),
                Some(other) => {
                    return Err(format!(
                        "`{key}`: unknown user type `{other}` (expected `member` or `guest`)"
                    ))
                }
            };
            dir.add([key], user);
        }
        Ok(dir)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GraphUser<'a> {
    #[serde(borrow, deserialize_with = "opt_text", alias = "Id")]
    id: Option<Text<'a>>,
    #[serde(
        borrow,
        deserialize_with = "opt_text",
        rename = "userPrincipalName",
        alias = "UserPrincipalName"
    )]
    upn: Option<Text<'a>>,
    #[serde(rename = "userType", alias = "UserType")]
    user_type: Classified<LoggedUserType>,
    #[serde(rename = "memberOf", alias = "MemberOf")]
    member_of: Nested<Vec<Membership>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Membership {
    #[serde(rename = "@odata.type")]
    odata_type: Option<String>,
    #[serde(alias = "Id")]
    id: Option<String>,
    #[serde(rename = "displayName", alias = "DisplayName")]
    display_name: Option<String>,
    #[serde(rename = "roleTemplateId", alias = "RoleTemplateId")]
    role_template_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_users_keep_only_the_groups_the_pack_reads() {
        let dir = std::env::temp_dir().join(format!("accord-dir-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("users.json");
        std::fs::write(
            &p,
            r##"{"value":[{"id":"u1","userPrincipalName":"Alice@contoso.com","userType":"Member",
              "memberOf":[{"@odata.type":"#microsoft.graph.group","id":"g1","displayName":"Emergency access"},
                          {"@odata.type":"#microsoft.graph.group","id":"g2","displayName":"Cafeteria"},
                          {"@odata.type":"#microsoft.graph.directoryRole","roleTemplateId":"62e90394-69f5-4237-9190-012177145e10"}]}]}"##,
        )
        .unwrap();
        let d = Directory::load(&p, &|g| g == "Emergency access").unwrap();
        let u = d.user(None, Some("alice@CONTOSO.com")).unwrap();
        assert_eq!(u.groups, ["Emergency access"]);
        assert_eq!(u.roles, ["62e90394-69f5-4237-9190-012177145e10"]);
        assert_eq!(u.user_type, Some(UserType::Member));
        assert_eq!(d.user(Some("U1"), None), Some(u));
    }

    #[test]
    fn a_yaml_map_lists_groups_or_more() {
        let d = Directory::from_yaml(
            "alice@contoso.com: [Emergency access, Cafeteria]\nbob@fabrikam.com: { groups: [Partners], roles: [global_administrator], type: guest }\n",
            &|_| true,
        )
        .unwrap();
        assert_eq!(
            d.user(None, Some("alice@contoso.com"))
                .unwrap()
                .groups
                .len(),
            2
        );
        let bob = d.user(None, Some("bob@fabrikam.com")).unwrap();
        assert_eq!(bob.user_type, Some(UserType::Guest));
        assert_eq!(bob.roles.len(), 1);
        let e = Directory::from_yaml("x: { roles: [global_admin] }\n", &|_| true).unwrap_err();
        assert!(e.contains("unknown role"), "{e}");
    }
}

//! Filling a request document from the directory: a request that names a declared user gets the
//! user's type, home tenant and groups; what the request states wins, and the answer says so.
//! Dynamic groups whose rule accord reads (`All users`, members, guests) are added for any user
//! with a user object, declared or not, when the request does not state its groups: the rule
//! decides membership, not the admin.
//!
//! Filling reads documents, not complete requests: `decide` on a complete `Request` reads only
//! what the request says, so the exact analysis (which ranges over every membership) is
//! unaffected.

use serde::Serialize;

use super::super::compile::Compiled;
use crate::model::request::{AccessKind, Membership, RequestDoc, RequestError, UserDoc, UserType};
use crate::model::{Audience, DirUser};

/// Where a filled value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "from")]
pub enum FillSource {
    /// The declared user.
    Directory,
    /// Dynamic groups whose rules take the user in.
    Dynamic,
    /// The request states another value than the directory; the request's is used.
    Overridden { directory: String },
}

/// One field of the request completed (or kept against the directory).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Filled {
    /// The request path (`user.type`).
    pub field: &'static str,
    /// The value used.
    pub value: String,
    #[serde(flatten)]
    pub source: FillSource,
}

impl std::fmt::Display for Filled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.source {
            FillSource::Directory => {
                write!(f, "{} = {} (from the directory)", self.field, self.value)
            }
            FillSource::Dynamic => write!(
                f,
                "{} = {} (dynamic groups whose rule takes this user in)",
                self.field, self.value
            ),
            FillSource::Overridden { directory } => write!(
                f,
                "{} = {} as the request states (the directory says {directory})",
                self.field, self.value
            ),
        }
    }
}

fn type_name(t: UserType) -> &'static str {
    match t {
        UserType::Member => "member",
        UserType::Guest => "guest",
    }
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

/// Completes `doc` from the directory and returns what was filled or overridden.
pub fn fill(c: &Compiled, doc: &mut RequestDoc) -> Vec<Filled> {
    let mut out = Vec::new();
    let Some(user) = doc.user.as_mut() else {
        return out;
    };
    let Some(name) = user.name.clone() else {
        return out;
    };
    let declared = c
        .directory
        .users
        .get(&name.trim().to_lowercase())
        .and_then(|(b, u)| c.pack.directory.get(*b)?.users.get(*u));
    if let Some(d) = declared {
        fill_declared(c, d, user, &mut out);
    }
    // Users without an object here (direct connect, service providers) are in no group.
    if matches!(
        user.kind,
        Some(AccessKind::DirectConnect | AccessKind::ServiceProvider)
    ) {
        return out;
    }
    if user.groups.is_none() {
        let user_type = user.user_type.unwrap_or(UserType::Member);
        let dynamic = dynamic_groups(c, user_type);
        if !dynamic.is_empty() {
            out.push(Filled {
                field: "user.groups",
                value: list(&dynamic),
                source: FillSource::Dynamic,
            });
            user.groups = Some(Membership::Listed(dynamic));
        }
    }
    out
}

/// The declared user's type, home and groups, each unless the request states it.
fn fill_declared(c: &Compiled, d: &DirUser, user: &mut UserDoc, out: &mut Vec<Filled>) {
    let dir_type = d.user_type.as_ref().map_or(UserType::Member, |t| t.value);
    match user.user_type {
        None => {
            user.user_type = Some(dir_type);
            out.push(Filled {
                field: "user.type",
                value: type_name(dir_type).into(),
                source: FillSource::Directory,
            });
        }
        Some(t) if t != dir_type => out.push(Filled {
            field: "user.type",
            value: type_name(t).into(),
            source: FillSource::Overridden {
                directory: type_name(dir_type).into(),
            },
        }),
        Some(_) => {}
    }
    let dir_home = d
        .home
        .as_ref()
        .map_or_else(|| c.resource_name().to_string(), |h| h.value.clone());
    match &user.home {
        None if user.kind != Some(AccessKind::Other) => {
            user.home = Some(dir_home.clone());
            out.push(Filled {
                field: "user.home",
                value: dir_home,
                source: FillSource::Directory,
            });
        }
        Some(h) if c.tenant_index(h) != c.tenant_index(&dir_home) => out.push(Filled {
            field: "user.home",
            value: h.clone(),
            source: FillSource::Overridden {
                directory: dir_home,
            },
        }),
        _ => {}
    }
    let effective = user.user_type.unwrap_or(dir_type);
    let mut groups: Vec<String> = d.groups.iter().map(|g| g.value.clone()).collect();
    for g in dynamic_groups(c, effective) {
        if !groups.iter().any(|x| x.eq_ignore_ascii_case(&g)) {
            groups.push(g);
        }
    }
    match &user.groups {
        None => {
            out.push(Filled {
                field: "user.groups",
                value: list(&groups),
                source: FillSource::Directory,
            });
            user.groups = Some(Membership::Listed(groups));
        }
        Some(stated) => {
            let same = match stated {
                Membership::Listed(l) => {
                    l.len() == groups.len()
                        && l.iter()
                            .all(|x| groups.iter().any(|g| g.eq_ignore_ascii_case(x)))
                }
                Membership::Unknown => false,
            };
            if !same {
                let value = match stated {
                    Membership::Listed(l) => list(l),
                    Membership::Unknown => "unknown".into(),
                };
                out.push(Filled {
                    field: "user.groups",
                    value,
                    source: FillSource::Overridden {
                        directory: list(&groups),
                    },
                });
            }
        }
    }
}

/// The dynamic groups whose rule takes in a user of this type.
fn dynamic_groups(c: &Compiled, user_type: UserType) -> Vec<String> {
    c.pack
        .directory
        .iter()
        .flat_map(|d| &d.groups)
        .filter(|g| match g.audience() {
            Some(Audience::AllUsers) => true,
            Some(Audience::Members) => user_type == UserType::Member,
            Some(Audience::Guests) => user_type == UserType::Guest,
            Some(Audience::Other) | None => false,
        })
        .map(|g| g.name.value.clone())
        .collect()
}

/// Fills a document and completes it into a request.
pub fn complete(
    c: &Compiled,
    doc: &RequestDoc,
) -> Result<(crate::model::request::Request, Vec<Filled>), RequestError> {
    let mut doc = doc.clone();
    let filled = fill(c, &mut doc);
    let request = crate::model::request::Request::from_doc(&doc)?;
    Ok((request, filled))
}

//! The app-assignment step: does an app that requires assignment admit this user?

use std::fmt;

use super::super::compile::Compiled;
use super::super::resolve::Resolved;
use super::super::trace::{Classification, Signals, UserKind};
use crate::model::catalog;
use crate::model::{Assignee, DirApp};

/// The template id of Global Administrator, whom assignment does not apply to.
const GLOBAL_ADMINISTRATOR: &str = "62e90394-69f5-4237-9190-012177145e10";

/// The index of Global Administrator in `catalog::ROLES`.
pub(crate) fn global_administrator() -> Option<usize> {
    catalog::ROLES
        .iter()
        .position(|x| x.id == GLOBAL_ADMINISTRATOR)
}

/// Why an app that requires assignment admits the user, or does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignmentVerdict<'a> {
    /// Assigned directly (the assignee as written).
    User(&'a str),
    /// Assigned through a group the user is in.
    Group(&'a str),
    /// "If the user is a Global Administrator, user assignment requirement will not be
    /// applicable."
    GlobalAdministrator,
    /// Neither the user nor any group of theirs is assigned.
    NotAssigned,
    /// B2B direct connect and service-provider users have no user object here to assign.
    NoUserObject(UserKind),
    /// Only an unknown membership (`groups: unknown`, `roles: unknown`) could admit the user.
    Unknown(Signals),
}

/// The assignment step of a request for an app that requires assignment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assignment<'a> {
    pub app: &'a DirApp,
    pub verdict: AssignmentVerdict<'a>,
}

impl Assignment<'_> {
    pub fn allows(&self) -> bool {
        matches!(
            self.verdict,
            AssignmentVerdict::User(_)
                | AssignmentVerdict::Group(_)
                | AssignmentVerdict::GlobalAdministrator
        )
    }

    /// Blocks (fail closed) only because a membership is unknown; the other membership could
    /// admit the user.
    pub fn uncertain(&self) -> bool {
        matches!(self.verdict, AssignmentVerdict::Unknown(_))
    }

    /// The signals an uncertain verdict depends on.
    pub fn signals(&self) -> Signals {
        match self.verdict {
            AssignmentVerdict::Unknown(s) => s,
            _ => Signals::NONE,
        }
    }
}

/// The assignment step, when the request's app requires assignment (`None` otherwise).
pub(crate) fn assignment<'a>(
    c: &'a Compiled,
    r: &Resolved<'_>,
    class: &Classification<'_>,
) -> Option<Assignment<'a>> {
    let rule = c.directory.required(r.app)?;
    let app = c
        .pack
        .directory
        .get(rule.at.0)
        .and_then(|d| d.apps.get(rule.at.1))?;
    let verdict = verdict(c, r, class, rule, app);
    Some(Assignment { app, verdict })
}

fn verdict<'a>(
    c: &'a Compiled,
    r: &Resolved<'_>,
    class: &Classification<'_>,
    rule: &super::RequiredApp,
    app: &'a DirApp,
) -> AssignmentVerdict<'a> {
    if matches!(
        class.kind,
        UserKind::DirectConnect | UserKind::ServiceProvider
    ) {
        return AssignmentVerdict::NoUserObject(class.kind);
    }
    let user = &r.request.user;
    if global_administrator().is_some_and(|i| r.roles.get(i)) {
        return AssignmentVerdict::GlobalAdministrator;
    }
    let written = |pred: &dyn Fn(&Assignee) -> bool| {
        app.assigned
            .iter()
            .find(|t| pred(&t.value))
            .map(|t| match &t.value {
                Assignee::User(n) | Assignee::Group(n) => n.as_str(),
            })
    };
    // The decision-only path allocates nothing (tests/suite/eval/allocation.rs): names are
    // compared with the interned lowercase keys char by char, not lowercased into new strings.
    let same = |n: &str, key: Option<&String>| {
        key.is_some_and(|k| n.chars().flat_map(char::to_lowercase).eq(k.chars()))
    };
    if let Some(id) = r.user.filter(|u| rule.users.contains(u)) {
        let key = c.users.iter().find(|(_, v)| **v == id).map(|(k, _)| k);
        let name = written(&|a| matches!(a, Assignee::User(n) if same(n, key)));
        return AssignmentVerdict::User(name.unwrap_or(""));
    }
    if let Some(g) = rule.groups.iter().find(|g| r.groups.get(**g as usize)) {
        let key = c.groups.iter().find(|(_, v)| *v == g).map(|(k, _)| k);
        let name = written(&|a| matches!(a, Assignee::Group(n) if same(n, key)));
        return AssignmentVerdict::Group(name.unwrap_or(""));
    }
    let mut unknown = Signals::NONE;
    if user.groups_unknown && !rule.groups.is_empty() {
        unknown = unknown.union(Signals::GROUPS);
    }
    if user.roles_unknown {
        unknown = unknown.union(Signals::ROLES);
    }
    if unknown.is_empty() {
        AssignmentVerdict::NotAssigned
    } else {
        AssignmentVerdict::Unknown(unknown)
    }
}

impl fmt::Display for Assignment<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let app = &self.app.name.value;
        match self.verdict {
            AssignmentVerdict::User(u) => {
                write!(f, "allowed: `{app}` requires assignment, and `{u}` is assigned")
            }
            AssignmentVerdict::Group(g) => write!(
                f,
                "allowed: `{app}` requires assignment, and the user is in the assigned group `{g}`"
            ),
            AssignmentVerdict::GlobalAdministrator => write!(
                f,
                "allowed: `{app}` requires assignment, which does not apply to Global Administrators"
            ),
            AssignmentVerdict::NotAssigned => write!(
                f,
                "blocked: `{app}` requires assignment, and neither the user nor a group of theirs \
                 is assigned (AADSTS50105, before Conditional Access)"
            ),
            AssignmentVerdict::NoUserObject(kind) => write!(
                f,
                "blocked: `{app}` requires assignment, and a {} user has no user object in this \
                 directory to assign (AADSTS50105)",
                kind.name()
            ),
            AssignmentVerdict::Unknown(s) => write!(
                f,
                "blocked: `{app}` requires assignment, and only a membership the request leaves \
                 unknown ({s}) could assign the user (fail closed)"
            ),
        }
    }
}

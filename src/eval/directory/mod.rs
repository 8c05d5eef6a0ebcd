//! Directory objects in decisions (issue 12, §3): the app-assignment step before Conditional
//! Access, filling a request that names a declared user, and the provisioning what-if.
//!
//! The hooks into `decide` are narrow: [`assignment`] is called once after the cross-tenant gate
//! and its result stored in the trace (`Trace::assignment`); a request document is completed
//! with [`fill`] before `Request::from_doc` by the callers that read documents (whatif, matrices,
//! test files). Nothing here changes how a complete `Request` is classified or matched: the
//! exact analysis sees the assignment through the gate atom (`analysis::side`).
//!
//! # The assignment step
//!
//! An enterprise app with `assignment_required` (Graph `servicePrincipal.appRoleAssignmentRequired`)
//! admits only the users assigned to it, directly or through a group they are a direct member of;
//! the others get `AADSTS50105` when they sign in, before any Conditional Access policy is
//! evaluated. Sources: "Restrict a Microsoft Entra app to a set of users"
//! (https://learn.microsoft.com/entra/identity-platform/howto-restrict-your-app-to-a-set-of-users:
//! users "need to be assigned to the application, or they won't be able to sign-in or obtain an
//! access token"; "If the user is a Global Administrator, user assignment requirement will not be
//! applicable"), "Manage users and groups assignment to an application"
//! (https://learn.microsoft.com/entra/identity/enterprise-apps/assign-user-or-group-access-portal:
//! only the users in an assigned group have access, the assignment does not cascade to nested
//! groups, and distribution groups can be assigned only when security-enabled).
//!
//! accord's decisions where the pages are silent (README, "Directory objects"):
//! - the cross-tenant gate comes first: a user it blocks never reaches the app's sign-in;
//! - B2B direct connect and service-provider users have no user object in the resource tenant, so
//!   no assignment can name them: an app that requires assignment blocks them;
//! - a request's `groups` are its direct memberships; `groups: unknown` with an assigned group is
//!   undecided and fails closed (as an unknown membership in the gate), and so is
//!   `roles: unknown` (the Global Administrator exemption).

mod assign;
pub(crate) mod fill;
pub mod provision;

use std::collections::HashMap;

pub(crate) use assign::assignment;
pub use assign::{Assignment, AssignmentVerdict};
pub use fill::{complete, fill, FillSource, Filled};
pub use provision::{decide_provision, ProvisionDecision, ProvisionOutcome, ProvisionRule};

use super::compile::{AppKey, AppM, Compiled};
use crate::model::{AppTarget, Assignee, Pack};

/// An app that requires assignment, with its assignees interned.
#[derive(Debug, Clone)]
pub(crate) struct RequiredApp {
    pub key: AppKey,
    /// (block, app) in `pack.directory`.
    pub at: (usize, usize),
    /// Interned user names (`Compiled::users`).
    pub users: Vec<u32>,
    /// Interned group names (`Compiled::groups`).
    pub groups: Vec<u32>,
}

/// The directory as the evaluator reads it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    pub required: Vec<RequiredApp>,
    /// Every name, UPN and mail of a declared user (lowercase) -> (block, user).
    pub users: HashMap<String, (usize, usize)>,
}

impl Index {
    /// The assignment rule of an app, if it requires assignment.
    pub fn required(&self, app: AppKey) -> Option<&RequiredApp> {
        self.required.iter().find(|a| a.key == app)
    }
}

/// Builds the index, interning assignees and app ids in the compiled pack so that requests and
/// the analysis see them as the policies' names.
pub(crate) fn compile(c: &mut Compiled, pack: &Pack) -> Index {
    let mut index = Index::default();
    for (b, block) in pack.directory.iter().enumerate() {
        for (u, user) in block.users.iter().enumerate() {
            for n in user.names() {
                index.users.entry(n.value.to_lowercase()).or_insert((b, u));
            }
        }
        for (a, app) in block.apps.iter().enumerate() {
            let (Some(id), Some(_)) = (&app.id, app.assignment_required) else {
                continue;
            };
            let key = match c.app_m(&AppTarget::App(id.value.clone())) {
                AppM::Named(f) => AppKey::Named(f),
                AppM::Id(i) => AppKey::Id(Some(i)),
                _ => continue,
            };
            if index.required.iter().any(|r| r.key == key) {
                continue;
            }
            let mut users = Vec::new();
            let mut groups = Vec::new();
            for t in &app.assigned {
                match &t.value {
                    Assignee::User(n) => users.push(c.user_id(n)),
                    Assignee::Group(g) => groups.push(c.group_id(g)),
                }
            }
            index.required.push(RequiredApp {
                key,
                at: (b, a),
                users,
                groups,
            });
        }
    }
    index
}

/// The index of Global Administrator in `catalog::ROLES` when an app of the pack requires
/// assignment: that role is exempt from it, so it tells requests apart (the analysis' roles).
pub(crate) fn global_administrator(c: &Compiled) -> Option<usize> {
    if c.directory.required.is_empty() {
        return None;
    }
    assign::global_administrator()
}

/// The app ids of the directory apps that require assignment (for the analysis' app classes).
pub(crate) fn required_app_keys(c: &Compiled) -> impl Iterator<Item = AppKey> + '_ {
    c.directory.required.iter().map(|r| r.key)
}

//! What sign-in logs do not record, for the policies of a pack that read it: each such policy
//! is replayed on a stated default, and the report says so next to the numbers.

use crate::model::{Control, Pack, UserTarget};

/// One limit: the signal, the default replay uses, and the policies it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    pub signal: &'static str,
    pub replayed_as: &'static str,
    pub policies: Vec<String>,
}

/// The limits that concern `pack`; `directory` says whether group membership was given.
pub fn limits(pack: &Pack, directory: bool) -> Vec<Limit> {
    let mut user_risk = Vec::new();
    let mut insider = Vec::new();
    let mut app_controls = Vec::new();
    let mut terms = Vec::new();
    let mut filters = Vec::new();
    let mut groups = Vec::new();
    let mut roles = Vec::new();
    for p in &pack.policies {
        let name = p.name.value.clone();
        let c = &p.conditions;
        if c.user_risk.is_some() {
            user_risk.push(name.clone());
        }
        if c.insider_risk.is_some() {
            insider.push(name.clone());
        }
        if c.devices.is_some() {
            filters.push(name.clone());
        }
        let controls = p
            .grant
            .iter()
            .flat_map(|g| g.controls.iter().map(|c| &c.value));
        for control in controls {
            match control {
                Control::ApprovedApp | Control::AppProtection => {
                    push_once(&mut app_controls, &name)
                }
                Control::TermsOfUse(_) => push_once(&mut terms, &name),
                _ => {}
            }
        }
        for t in p.users.include.iter().chain(&p.users.exclude) {
            match &t.value {
                UserTarget::Group(_) => push_once(&mut groups, &name),
                UserTarget::Role(_) => push_once(&mut roles, &name),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    let mut add = |signal, replayed_as, policies: Vec<String>| {
        if !policies.is_empty() {
            out.push(Limit {
                signal,
                replayed_as,
                policies,
            });
        }
    };
    add(
        "user risk (risk.user)",
        "none: sign-in logs record the sign-in's risk, not the user's",
        user_risk,
    );
    add(
        "insider risk (risk.insider)",
        "none: not in sign-in logs",
        insider,
    );
    add(
        "approved app / app protection (device.approved_app, device.app_protection)",
        "false: not in sign-in logs",
        app_controls,
    );
    add(
        "accepted terms of use (auth.terms_accepted)",
        "none accepted: not in sign-in logs",
        terms,
    );
    add(
        "device properties for device filters (device.attributes)",
        "deviceId, displayName, trustType and isCompliant from the log; a filter reading another property is undecided (most restrictive outcome)",
        filters,
    );
    if !directory {
        add(
            "group membership (user.groups)",
            "unknown, a missing signal (the most restrictive outcome is taken): give --directory",
            groups,
        );
        add(
            "directory roles (user.roles)",
            "unknown, a missing signal (the most restrictive outcome is taken): give --directory",
            roles,
        );
    }
    out
}

fn push_once(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|n| n == name) {
        list.push(name.to_string());
    }
}

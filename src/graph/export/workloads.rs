//! A policy's `workloads { ... }` block and workload risk conditions to
//! `conditions.clientApplications`, `servicePrincipalRiskLevels` and the beta's
//! `agentIdRiskLevels` (issue 14, items 2 and 6).

use crate::graph::dto::{self, Flags, Maybe};
use crate::model::{Conditions, FilterMode, WorkloadFilter, WorkloadTarget};

fn ok<T>(v: T) -> Option<Maybe<T>> {
    Some(Maybe::Ok(v))
}

fn filter(f: &WorkloadFilter) -> dto::Filter {
    dto::Filter {
        mode: ok(match f.mode.value {
            FilterMode::Include => "include",
            FilterMode::Exclude => "exclude",
        }
        .to_string()),
        rule: ok(f.rule.value.clone()),
        ..Default::default()
    }
}

/// Writes the workload fields of `c` into `out`; a policy for workload identities includes no
/// user (`includeUsers: ["None"]`, as the platform writes it).
pub(super) fn workloads(c: &Conditions, out: &mut dto::Conditions) {
    if let Some(w) = &c.workloads {
        let ids = |list: &[crate::model::Spanned<WorkloadTarget>], agent: bool| -> Vec<String> {
            list.iter()
                .filter_map(|t| match (&t.value, agent) {
                    (WorkloadTarget::All, false) => Some("ServicePrincipalsInMyTenant".into()),
                    (WorkloadTarget::ServicePrincipal(id), false) => Some(id.clone()),
                    (WorkloadTarget::Agent(id), true) => Some(id.clone()),
                    (WorkloadTarget::AllAgents, true) => Some("All".into()),
                    _ => None,
                })
                .collect()
        };
        let some = |v: Vec<String>| (!v.is_empty()).then(|| Maybe::Ok(v));
        out.client_applications = ok(dto::ClientApplications {
            include_service_principals: ok(ids(&w.include, false)),
            exclude_service_principals: ok(ids(&w.exclude, false)),
            service_principal_filter: w.filter.as_ref().map(|f| Maybe::Ok(filter(f))),
            include_agent_id_service_principals: some(ids(&w.include, true)),
            exclude_agent_id_service_principals: some(ids(&w.exclude, true)),
            agent_id_service_principal_filter: w
                .agent_filter
                .as_ref()
                .map(|f| Maybe::Ok(filter(f))),
            ..Default::default()
        });
        if let Some(Maybe::Ok(users)) = &mut out.users {
            let nobody = users
                .include_users
                .as_ref()
                .is_none_or(|u| matches!(u, Maybe::Ok(v) if v.is_empty()));
            let no_one_else = users.include_groups.is_none()
                && users.include_roles.is_none()
                && users.include_guests_or_external_users.is_none();
            if nobody && no_one_else {
                users.include_users = ok(vec!["None".to_string()]);
            }
        }
    }
    if let Some(r) = c.service_principal_risk.as_ref().filter(|r| !r.is_empty()) {
        out.service_principal_risk_levels = ok(r.iter().map(|x| x.name().to_string()).collect());
    }
    if let Some(r) = c.agent_risk.as_ref().filter(|r| !r.is_empty()) {
        let members: Vec<&str> = r.iter().map(|x| x.name()).collect();
        out.agent_id_risk_levels = ok(Flags::Text(members.join(",")));
    }
}

//! `conditions.clientApplications`, `servicePrincipalRiskLevels` and the beta's agent identity
//! fields to a policy's `workloads { ... }` block and risk conditions (issue 14, items 2 and 6).
//!
//! An include entry that is neither `ServicePrincipalsInMyTenant` nor an object id becomes
//! `all` (W3050): reading it as nothing would make the policy block fewer service principals
//! than on the platform. An exclude entry accord cannot read is dropped (W3050), which only
//! makes the policy block more. A filter is kept as written.

use serde_json::Value;

use super::policy::RISKS;
use super::{Ctx, Importer, Why};
use crate::diagnostic::Diagnostic;
use crate::graph::dto::{self, Maybe, Strings};
use crate::graph::names::is_guid;
use crate::model::*;
use crate::source::Span;

const IN_MY_TENANT: &str = "ServicePrincipalsInMyTenant";
/// The beta's value for every agent identity (`includeAgentIdServicePrincipals`).
const ALL_AGENTS: &str = "All";

impl Importer<'_> {
    pub(super) fn workloads(
        &mut self,
        cx: &mut Ctx<'_>,
        c: &dto::Conditions,
        out: &mut Conditions,
    ) {
        let rel = "/conditions/clientApplications";
        match &c.client_applications {
            Some(Maybe::Ok(a)) => {
                out.workloads = self.client_applications(cx, rel, a);
                self.extras(cx, rel, &a.extra);
            }
            Some(Maybe::Other(x)) => self.extension(cx, rel, x, Why::Unexpected),
            None => {}
        }
        out.service_principal_risk = self
            .enums(
                cx,
                "/conditions/servicePrincipalRiskLevels",
                &c.service_principal_risk_levels,
                "a risk level",
                RISKS,
            )
            .map(|v| Spanned::synthetic(v.into_iter().map(Spanned::synthetic).collect()));
        // Agent risk on a policy for agent *users* (beta `conditions.agents`) is kept as an
        // extension with the rest of that preview: accord decides no agent user's sign-in.
        if out.workloads.is_none() {
            if let Some(v) = &c.agent_id_risk_levels {
                let json = serde_json::to_value(v).unwrap_or(Value::Null);
                self.extension(cx, "/conditions/agentIdRiskLevels", &json, Why::Unmodelled);
            }
            return;
        }
        out.agent_risk = self
            .flags(
                cx,
                "/conditions/agentIdRiskLevels",
                &c.agent_id_risk_levels,
                "an agent risk level",
                RISKS,
            )
            .map(|v| Spanned::synthetic(v.into_iter().map(Spanned::synthetic).collect()));
    }

    fn client_applications(
        &mut self,
        cx: &mut Ctx<'_>,
        rel: &str,
        a: &dto::ClientApplications,
    ) -> Option<Workloads> {
        let mut w = Workloads {
            include: Vec::new(),
            exclude: Vec::new(),
            filter: self.workload_filter(
                cx,
                &format!("{rel}/servicePrincipalFilter"),
                &a.service_principal_filter,
            ),
            agent_filter: self.workload_filter(
                cx,
                &format!("{rel}/agentIdServicePrincipalFilter"),
                &a.agent_id_service_principal_filter,
            ),
            span: Span::default(),
        };
        let lists: [(&str, &Option<Strings>, bool, bool); 4] = [
            (
                "includeServicePrincipals",
                &a.include_service_principals,
                true,
                false,
            ),
            (
                "excludeServicePrincipals",
                &a.exclude_service_principals,
                false,
                false,
            ),
            (
                "includeAgentIdServicePrincipals",
                &a.include_agent_id_service_principals,
                true,
                true,
            ),
            (
                "excludeAgentIdServicePrincipals",
                &a.exclude_agent_id_service_principals,
                false,
                true,
            ),
        ];
        for (key, field, include, agent) in lists {
            let list_rel = format!("{rel}/{key}");
            let Some(items) = self.list(cx, &list_rel, field).map(<[String]>::to_vec) else {
                continue;
            };
            for (i, item) in items.iter().enumerate() {
                let target = if is_guid(item) {
                    Some(if agent {
                        WorkloadTarget::Agent(item.to_ascii_lowercase())
                    } else {
                        WorkloadTarget::ServicePrincipal(item.to_ascii_lowercase())
                    })
                } else if !agent && item == IN_MY_TENANT {
                    Some(WorkloadTarget::All)
                } else if agent && item == ALL_AGENTS {
                    Some(WorkloadTarget::AllAgents)
                } else if item.eq_ignore_ascii_case("None") {
                    None
                } else {
                    let d = Diagnostic::warning(
                        "W3050",
                        format!("`{item}` is neither `{IN_MY_TENANT}` nor an object id"),
                    )
                    .help(if include {
                        "read as `all` (the stricter reading: the policy blocks at least what it does on the platform)"
                    } else {
                        "left out of the exclusions (the stricter reading: the policy blocks at least what it does on the platform)"
                    });
                    self.push_at(cx, &format!("{list_rel}/{i}"), d);
                    include.then_some(if agent {
                        WorkloadTarget::AllAgents
                    } else {
                        WorkloadTarget::All
                    })
                };
                let Some(target) = target else { continue };
                let list = if include {
                    &mut w.include
                } else {
                    &mut w.exclude
                };
                if !list.iter().any(|t| t.value == target) {
                    list.push(Spanned::synthetic(target));
                }
            }
        }
        // `all` (`all_agents`) stands alone among service principals (agents): it covers them.
        if w.include.iter().any(|t| t.value == WorkloadTarget::All) {
            w.include
                .retain(|t| !matches!(t.value, WorkloadTarget::ServicePrincipal(_)));
        }
        if w.include
            .iter()
            .any(|t| t.value == WorkloadTarget::AllAgents)
        {
            w.include
                .retain(|t| !matches!(t.value, WorkloadTarget::Agent(_)));
        }
        let empty = w.include.is_empty()
            && w.exclude.is_empty()
            && w.filter.is_none()
            && w.agent_filter.is_none();
        (!empty).then_some(w)
    }

    fn workload_filter(
        &mut self,
        cx: &mut Ctx<'_>,
        rel: &str,
        field: &Option<Maybe<dto::Filter>>,
    ) -> Option<WorkloadFilter> {
        match field {
            Some(Maybe::Ok(f)) => {
                let mode = match &f.mode {
                    Some(Maybe::Ok(m)) if m.eq_ignore_ascii_case("include") => FilterMode::Include,
                    Some(Maybe::Ok(m)) if m.eq_ignore_ascii_case("exclude") => FilterMode::Exclude,
                    _ => {
                        let whole = serde_json::to_value(f).unwrap_or(Value::Null);
                        self.extension(cx, rel, &whole, Why::Unexpected);
                        return None;
                    }
                };
                let rule = match &f.rule {
                    Some(Maybe::Ok(r)) if !r.trim().is_empty() => r.clone(),
                    _ => {
                        let whole = serde_json::to_value(f).unwrap_or(Value::Null);
                        self.extension(cx, rel, &whole, Why::Unexpected);
                        return None;
                    }
                };
                self.extras(cx, rel, &f.extra);
                Some(WorkloadFilter {
                    mode: Spanned::synthetic(mode),
                    rule: Spanned::synthetic(rule),
                })
            }
            Some(Maybe::Other(x)) => {
                self.extension(cx, rel, x, Why::Unexpected);
                None
            }
            None => None,
        }
    }
}

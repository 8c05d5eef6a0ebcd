//! Lowering of a policy's `workloads { ... }` block: the service principals (and, in preview,
//! the agent identities) a Conditional Access policy for workload identities targets.

use super::{Lowering, P};
use crate::model::*;
use crate::syntax::Rule;

impl Lowering<'_> {
    /// `workloads { include ... exclude ... filter include "<rule>" }`.
    pub(super) fn workloads(&mut self, pair: P<'_>) -> Workloads {
        let mut w = Workloads {
            include: Vec::new(),
            exclude: Vec::new(),
            filter: None,
            agent_filter: None,
            span: self.span(&pair),
        };
        for p in pair.into_inner() {
            let s = self.span(&p);
            match p.as_rule() {
                Rule::k_workloads => {}
                Rule::wl_include | Rule::wl_exclude => {
                    let include = p.as_rule() == Rule::wl_include;
                    for t in p.into_inner().filter(|x| x.as_rule() == Rule::wl_target) {
                        if let Some(t) = self.workload_target(t) {
                            if include {
                                w.include.push(t);
                            } else {
                                w.exclude.push(t);
                            }
                        }
                    }
                }
                Rule::wl_filter | Rule::wl_agent_filter => {
                    let (slot, key) = if p.as_rule() == Rule::wl_filter {
                        (&w.filter, "filter")
                    } else {
                        (&w.agent_filter, "agent_filter")
                    };
                    if let Some(first) = slot {
                        let first = first.mode.span.to(first.rule.span);
                        self.duplicate(key, s, first);
                        continue;
                    }
                    let filter = self.workload_filter(p);
                    if key == "filter" {
                        w.filter = filter;
                    } else {
                        w.agent_filter = filter;
                    }
                }
                _ => self.unexpected(&p),
            }
        }
        w
    }

    fn workload_target(&mut self, pair: P<'_>) -> Option<Spanned<WorkloadTarget>> {
        let span = self.span(&pair);
        let inner = pair.into_inner().next()?;
        let target = match inner.as_rule() {
            Rule::wl_sp => WorkloadTarget::ServicePrincipal(self.arg_string(inner)?),
            Rule::wl_agent => WorkloadTarget::Agent(self.arg_string(inner)?),
            Rule::wl_keyword => {
                let ident = inner.into_inner().next()?;
                let options = [("all", false), ("all_agents", true)];
                let agents = self.choice(&ident, "workload target", &options)?;
                if agents.value {
                    WorkloadTarget::AllAgents
                } else {
                    WorkloadTarget::All
                }
            }
            _ => {
                self.unexpected(&inner);
                return None;
            }
        };
        Some(Spanned::new(target, span))
    }

    fn workload_filter(&mut self, pair: P<'_>) -> Option<WorkloadFilter> {
        let mut mode = None;
        let mut rule = None;
        for p in pair.into_inner() {
            let s = self.span(&p);
            match p.as_rule() {
                Rule::k_filter | Rule::k_agent_filter => {}
                Rule::k_include => mode = Some(Spanned::new(FilterMode::Include, s)),
                Rule::k_exclude => mode = Some(Spanned::new(FilterMode::Exclude, s)),
                Rule::string | Rule::raw_string => rule = Some(self.string(&p)),
                _ => self.unexpected(&p),
            }
        }
        Some(WorkloadFilter {
            mode: mode?,
            rule: rule?,
        })
    }
}

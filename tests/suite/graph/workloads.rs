//! Workload identities through Graph (issue 14, items 2 and 6): the corpus policies that use
//! `clientApplications`, `servicePrincipalRiskLevels` and the beta's agent identity fields import
//! to modelled `workloads` policies (no extension left for them) and export back to the same
//! fields; the pack re-imported from the export decides every generated `workload:` request as
//! the imported pack does.
//!
//! Sources: Microsoft Graph, conditionalAccessClientApplications (v1.0, beta) and
//! conditionalAccessConditionSet (`servicePrincipalRiskLevels`, beta `agentIdRiskLevels`);
//! Microsoft Learn, "Conditional Access for workload identities".

use std::net::IpAddr;

use accord::eval::workload::{decide_workload, WorkloadDecision};
use accord::eval::{self, Compiled};
use accord::graph::{ExportFormat, Import};
use accord::model::request::Country;
use accord::model::workload::WorkloadRequest;
use accord::model::*;

use super::{corpus, export, import, lenient, reimport_export};

/// The corpus files with workload or agent identity targets (one folder each).
fn workload_sets() -> Vec<(&'static str, Import)> {
    let alex = corpus().join("AlexFilipin__ConditionalAccess/PolicyRepository/Workload Protection");
    let joey = corpus().join("j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess");
    let agents: Vec<std::path::PathBuf> = std::fs::read_dir(&joey)
        .expect("read the corpus")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("CA501") || n.starts_with("CA502"))
        })
        .collect();
    assert_eq!(agents.len(), 2, "CA501 and CA502 target agent identities");
    let inputs = accord::graph::read_inputs(&agents).expect("read the inputs");
    vec![
        ("Workload Protection", import(&alex, &lenient())),
        (
            "agent identities",
            accord::graph::import(&inputs, &lenient()),
        ),
    ]
}

fn compile(pack: &Pack) -> Compiled {
    let validation = accord::validate::validate(pack.clone());
    assert!(
        !accord::diagnostic::has_errors(&validation.diagnostics),
        "{:?}",
        validation.diagnostics
    );
    eval::compile(&validation.validated.expect("valid"))
}

#[test]
fn corpus_workload_policies_are_modelled_not_extensions() {
    for (label, set) in workload_sets() {
        assert!(!set.pack.policies.is_empty(), "{label}");
        for p in &set.pack.policies {
            let w =
                p.conditions.workloads.as_ref().unwrap_or_else(|| {
                    panic!("{label}: `{}` is not a workload policy", p.name.value)
                });
            assert!(!w.include.is_empty(), "{label}: {}", p.name.value);
            let left: Vec<&str> = p
                .extensions
                .iter()
                .map(|e| e.pointer.value.as_str())
                .filter(|ptr| {
                    ptr.starts_with("/conditions/clientApplications")
                        || ptr.starts_with("/conditions/servicePrincipalRiskLevels")
                        || ptr.starts_with("/conditions/agentIdRiskLevels")
                })
                .collect();
            assert!(left.is_empty(), "{label}: {}: {left:?}", p.name.value);
            assert_eq!(
                p.grant.as_ref().map(|g| g.is_block()),
                Some(true),
                "{label}: workload policies block"
            );
        }
    }
}

#[test]
fn the_risk_policy_keeps_its_levels_and_the_location_policy_its_locations() {
    let sets = workload_sets();
    let alex = &sets[0].1.pack;
    let risk = alex
        .policies
        .iter()
        .find(|p| p.name.value.contains("risk Level"))
        .expect("policy 701");
    let levels: Vec<RiskLevel> = risk
        .conditions
        .service_principal_risk
        .as_ref()
        .expect("servicePrincipalRiskLevels")
        .iter()
        .map(|r| r.value)
        .collect();
    assert_eq!(levels, [RiskLevel::High, RiskLevel::Medium, RiskLevel::Low]);
    let location = alex
        .policies
        .iter()
        .find(|p| p.name.value.contains("untrusted Location"))
        .expect("policy 700");
    let l = location.conditions.locations.as_ref().expect("locations");
    assert_eq!(l.include[0].value, LocationRef::All);
    assert_eq!(l.exclude[0].value, LocationRef::AllTrusted);
    let agents = &sets[1].1.pack;
    let high = agents
        .policies
        .iter()
        .find(|p| p.name.value.starts_with("CA501"))
        .expect("CA501");
    let w = high.conditions.workloads.as_ref().expect("workloads");
    assert_eq!(w.include[0].value, WorkloadTarget::AllAgents);
    let agent_risk: Vec<RiskLevel> = high
        .conditions
        .agent_risk
        .as_ref()
        .expect("agentIdRiskLevels")
        .iter()
        .map(|r| r.value)
        .collect();
    assert_eq!(agent_risk, [RiskLevel::High]);
}

#[test]
fn the_export_writes_the_graph_fields_back() {
    for (label, set) in workload_sets() {
        let exported = export(&set, ExportFormat::Graph);
        let policies: Vec<&serde_json::Value> = exported
            .files
            .iter()
            .filter(|(path, _)| path.contains("olicies"))
            .map(|(_, v)| v)
            .collect();
        assert!(
            !policies.is_empty(),
            "{label}: {:?}",
            exported.files.iter().map(|(p, _)| p).collect::<Vec<_>>()
        );
        for p in policies {
            let c = &p["conditions"];
            let apps = &c["clientApplications"];
            let sp = apps["includeServicePrincipals"].as_array();
            let agents = apps["includeAgentIdServicePrincipals"].as_array();
            let target = sp.into_iter().chain(agents).flatten().next();
            assert!(target.is_some(), "{label}: {p}");
            assert_eq!(
                c["users"]["includeUsers"],
                serde_json::json!(["None"]),
                "{label}"
            );
        }
    }
    let sets = workload_sets();
    let exported = export(&sets[0].1, ExportFormat::Graph);
    let text = serde_json::to_string(&exported.files).expect("json");
    assert!(text.contains(r#""includeServicePrincipals":["ServicePrincipalsInMyTenant"]"#));
    assert!(text.contains(r#""servicePrincipalRiskLevels":["high","medium","low"]"#));
    let exported = export(&sets[1].1, ExportFormat::Graph);
    let text = serde_json::to_string(&exported.files).expect("json");
    assert!(
        text.contains(r#""includeAgentIdServicePrincipals":["All"]"#),
        "{text}"
    );
    assert!(text.contains(r#""agentIdRiskLevels":"high""#), "{text}");
}

/// Workload requests over every class the packs distinguish: ids (a listed one and another),
/// addresses (a location range's start and an address outside), risk (each level and none),
/// and the scope flags.
fn requests(pack: &Pack) -> Vec<WorkloadRequest> {
    let mut ids = vec!["0d6c5e2f-7a41-4b3e-9c88-2f1e6a7d4c10".to_string()];
    for p in &pack.policies {
        if let Some(w) = &p.conditions.workloads {
            for t in w.include.iter().chain(&w.exclude) {
                if let WorkloadTarget::ServicePrincipal(id) | WorkloadTarget::Agent(id) = &t.value {
                    ids.push(id.clone());
                }
            }
        }
    }
    let mut ips: Vec<Option<IpAddr>> = vec![None, Some("198.51.100.7".parse().expect("ip"))];
    for l in &pack.locations {
        if let LocationKind::Ip { ranges } = &l.kind {
            if let Some(r) = ranges.first() {
                if let Ok(net) = r.value.parse::<ipnet::IpNet>() {
                    ips.push(Some(net.network()));
                }
            }
        }
    }
    let risks = [
        None,
        Some(RiskLevel::None),
        Some(RiskLevel::Low),
        Some(RiskLevel::Medium),
        Some(RiskLevel::High),
    ];
    let mut out = Vec::new();
    for id in &ids {
        for ip in &ips {
            for risk in risks {
                for (single_tenant, managed_identity, agent) in [
                    (true, false, false),
                    (false, false, false),
                    (true, true, false),
                    (true, false, true),
                ] {
                    out.push(WorkloadRequest {
                        service_principal: id.clone(),
                        name: None,
                        single_tenant,
                        managed_identity,
                        agent,
                        app: None,
                        ip: *ip,
                        country: ip.map(|_| Country::Unknown),
                        risk,
                        attributes: Default::default(),
                    });
                }
            }
        }
    }
    out
}

fn summary(d: &WorkloadDecision) -> (String, bool, Vec<String>, Vec<String>, Vec<&'static str>) {
    (
        d.decision.name().to_string(),
        d.decided,
        d.blocked_by.clone(),
        d.report_only.clone(),
        d.depends_on.clone(),
    )
}

fn all_on(pack: &Pack) -> Pack {
    let mut pack = pack.clone();
    for p in &mut pack.policies {
        p.state.value = PolicyState::On;
    }
    pack
}

#[test]
fn the_reimported_export_decides_workload_requests_alike() {
    for (label, set) in workload_sets() {
        let back = reimport_export(&set);
        for (mode, a, b) in [
            ("as imported", set.pack.clone(), back.pack.clone()),
            ("every policy on", all_on(&set.pack), all_on(&back.pack)),
        ] {
            let (ca, cb) = (compile(&a), compile(&b));
            let requests = requests(&a);
            assert!(requests.len() >= 40, "{label}: {}", requests.len());
            let mut blocked = 0;
            for r in &requests {
                let (da, db) = (decide_workload(&ca, r), decide_workload(&cb, r));
                assert_eq!(summary(&da), summary(&db), "{label}, {mode}: {r:?}");
                blocked += usize::from(da.decision.name() == "block");
            }
            if mode == "every policy on" {
                assert!(blocked > 0, "{label}: some request is blocked");
            }
        }
    }
}

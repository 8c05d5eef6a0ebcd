//! Policies for workload identities and user sign-ins never meet (issue 14, item 2): a user's
//! request is never matched by a workload policy, even one whose user include list import could
//! not read (which the fail-closed reading otherwise widens to every user), and a `workload:`
//! request is never matched by a user policy. Source: Microsoft Learn, "Conditional Access for
//! workload identities" (policies are assigned to service principals instead of users); Graph
//! conditionalAccessConditionSet ("either users or clientApplications is required").

use accord::eval::trace::Tri;
use accord::eval::workload::{decide_workload, WorkloadOutcome};
use accord::eval::{self, Decision};
use accord::model::workload::WorkloadRequest;

use super::support::{compile_dir, compile_text, request};

const PACK: &str = r#"
resource tenant contoso { domains = ["contoso.com"] }
policy "Block every workload" {
  workloads { include all }
  apps { include all }
  grant block
  # An include list import could not read: for a user policy it would mean every user.
  extension { "/conditions/users/includeRoles" = ["Company Administrator"] }
}
policy "MFA for everyone" {
  users { include all }
  apps { include all }
  grant mfa
}
"#;

#[test]
fn a_user_sign_in_is_never_matched_by_a_workload_policy() {
    let c = compile_text(PACK);
    let r =
        request("user: { name: alice@contoso.com }\napp: sharepoint\nauth: { mfa: resource }\n");
    let e = eval::decide(&c, &r).expect("decided");
    assert_eq!(e.decision, Decision::Allow, "{e:?}");
    let workload = e
        .trace
        .policies
        .iter()
        .find(|p| p.policy.name.value == "Block every workload")
        .expect("listed");
    assert_eq!(workload.applies, Tri::No);
    // The shipped pack: every user decision of its access tests stays as before, and the
    // workload policies never apply to a user.
    let c = compile_dir("policies/contoso-group");
    for text in [
        "user: { name: alice@contoso.com }\napp: sharepoint\nnetwork: { ip: 198.51.100.7, country: US }\n",
        "user: { name: bob@fabrikam.com, type: guest, home: fabrikam }\napp: teams\n",
    ] {
        let r = request(text);
        let e = eval::decide(&c, &r).expect("decided");
        for p in e.trace.policies.iter().chain(&e.trace.report_only) {
            if p.policy.is_workload() {
                assert_eq!(p.applies, Tri::No, "{}: {text}", p.policy.name.value);
            }
        }
    }
}

#[test]
fn a_workload_request_is_never_matched_by_a_user_policy() {
    let c = compile_text(PACK);
    let w = WorkloadRequest::parse(
        "workload: { service_principal: 0d6c5e2f-7a41-4b3e-9c88-2f1e6a7d4c10, ip: 203.0.113.1, country: FR, risk: none }",
    )
    .expect("request");
    let d = decide_workload(&c, &w);
    assert_eq!(d.decision, WorkloadOutcome::Block);
    assert_eq!(d.blocked_by, ["Block every workload"]);
    let user = d
        .policies
        .iter()
        .find(|p| p.name == "MFA for everyone")
        .expect("listed");
    assert_eq!(user.applies, Tri::No);
    assert!(user.for_users());
    // Without the workload policy, nothing blocks the service principal: the user policy's
    // `include all` and `grant mfa` never reach it.
    let only_users = compile_text(
        r#"resource tenant contoso { domains = ["contoso.com"] }
policy "Block everyone" { users { include all } apps { include all } grant block }"#,
    );
    let d = decide_workload(&only_users, &w);
    assert_eq!(d.decision, WorkloadOutcome::Allow, "{d:?}");
    assert!(d.decided);
}

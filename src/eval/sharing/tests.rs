use super::*;
use crate::load::load_texts;
use crate::model::share::ExistingAccount;
use crate::model::SharingLevel;

const TENANTS: &str = r#"
resource tenant contoso { domains = ["contoso.com"] }
tenant fabrikam { domains = ["fabrikam.com"] }
tenant litware  { domains = ["litware.com"] }
organization "Group" {
  contoso  owner  active
  fabrikam member active
  litware  member pending
}
"#;

fn validated(sharing: &str) -> Validated {
    let loaded = load_texts([("tenants.policy", TENANTS), ("sharing.policy", sharing)]);
    let validation = crate::check(&loaded);
    assert!(
        validation.diagnostics.is_empty(),
        "{:?}",
        validation.diagnostics
    );
    validation.validated.expect("valid pack")
}

fn request(service: ShareService, with: &str) -> ShareRequest {
    ShareRequest::new(service, with)
}

#[test]
fn an_empty_pack_allows_a_new_guest_with_the_defaults() {
    let pack = validated("");
    let d = decide_share(
        &pack,
        &request(ShareService::Sharepoint, "carol@northwind.com"),
    );
    assert_eq!(d.decision, ShareVerdict::Allow, "{d:?}");
    assert_eq!(d.rule, ShareRule::NewGuestLevel);
    assert_eq!(
        d.effective_level,
        Some(EffectiveLevel::Sharing(SharingLevel::Anyone))
    );
    // the invitation was checked, by every rule, after the grant
    let rules: Vec<ShareRule> = d.trace.iter().map(|s| s.rule).collect();
    for rule in [
        ShareRule::InvitationFrom,
        ShareRule::InvitationDomain,
        ShareRule::InvitationCrossTenant,
    ] {
        assert!(rules.contains(&rule), "{rules:?}");
    }
}

#[test]
fn the_decision_is_the_first_failure_of_the_trace() {
    let pack = validated("sharing { sharepoint = existing_guests }");
    let d = decide_share(
        &pack,
        &request(ShareService::Sharepoint, "carol@northwind.com"),
    );
    let first_fail = d
        .trace
        .iter()
        .find(|s| s.outcome == StepOutcome::Fail)
        .expect("a failed step");
    assert_eq!(d.rule, first_fail.rule);
    assert_eq!(d.reason, first_fail.reason);
    assert_eq!(d.rule, ShareRule::NewGuestLevel);
    assert!(d
        .to_string()
        .starts_with("DENY: sharing with a new guest needs"));
    assert!(
        d.reason.contains("`sharepoint = existing_guests`"),
        "{}",
        d.reason
    );
}

#[test]
fn a_bad_address_is_denied_not_guessed() {
    let pack = validated("");
    for with in ["carol", "carol@", "carol@litware"] {
        let d = decide_share(&pack, &request(ShareService::Groups, with));
        assert_eq!(d.decision, ShareVerdict::Deny);
        assert_eq!(d.rule, ShareRule::RecipientAddress);
    }
}

#[test]
fn fields_that_do_not_fit_the_service_are_denied() {
    let pack = validated("");
    let mut teams_site = request(ShareService::Teams, "carol@fabrikam.com");
    teams_site.site = Some("https://contoso.sharepoint.com/sites/x".into());
    let mut calendar_no_level = request(ShareService::Calendar, "carol@fabrikam.com");
    calendar_no_level.level = None;
    let mut groups_anyone = request(ShareService::Groups, "carol@fabrikam.com");
    groups_anyone.link = LinkKind::Anyone;
    let mut sp_level = request(ShareService::Sharepoint, "carol@fabrikam.com");
    sp_level.level = Some(crate::model::CalendarLevel::Reviewer);
    for req in [teams_site, calendar_no_level, groups_anyone, sp_level] {
        let d = decide_share(&pack, &req);
        assert_eq!(d.rule, ShareRule::RequestInvalid, "{req:?}");
        assert_eq!(d.decision, ShareVerdict::Deny);
    }
}

#[test]
fn a_pending_tenant_member_is_not_treated_as_a_member() {
    let pack = validated("sharing { sharepoint = only_organization }");
    let mut fab = request(ShareService::Sharepoint, "ann@fabrikam.com");
    fab.existing = ExistingAccount::Member;
    let d = decide_share(&pack, &fab);
    assert_eq!(
        (d.decision, d.rule),
        (ShareVerdict::Allow, ShareRule::InOrganizationMember)
    );
    let mut lit = request(ShareService::Sharepoint, "ann@litware.com");
    lit.existing = ExistingAccount::Member;
    let d = decide_share(&pack, &lit);
    assert_eq!(
        (d.decision, d.rule),
        (ShareVerdict::Deny, ShareRule::ExistingGuestLevel)
    );
    assert!(d
        .trace
        .iter()
        .any(|s| s.reason.contains("`litware` is `pending`")));
}

#[test]
fn an_own_domain_address_needs_an_account_except_for_calendar() {
    let pack = validated("");
    let d = decide_share(&pack, &request(ShareService::Groups, "bob@contoso.com"));
    assert_eq!(d.rule, ShareRule::RecipientAccount);
    let mut cal = request(ShareService::Calendar, "bob@contoso.com");
    cal.level = Some(crate::model::CalendarLevel::Reviewer);
    let d = decide_share(&pack, &cal);
    assert_eq!(
        (d.decision, d.rule),
        (ShareVerdict::Allow, ShareRule::InternalRecipient)
    );
}

#[test]
fn json_and_text_shapes() {
    let pack = validated("sharing { calendar \"*\" = free_busy }");
    let mut req = request(ShareService::Calendar, "carol@litware.com");
    req.level = Some(crate::model::CalendarLevel::Reviewer);
    let d = decide_share(&pack, &req);
    let json = serde_json::to_value(&d).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["decision", "rule", "reason", "effective_level"]);
    assert_eq!(json["decision"], "deny");
    assert_eq!(json["rule"], "calendar_level");
    assert_eq!(json["effective_level"], "free_busy");
    assert_eq!(d.to_string(), format!("DENY: {}", d.reason));
}

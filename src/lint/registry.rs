//! The rule list: one line per rule. Codes are stable forever: a retired rule keeps
//! its code reserved and is never reused for another meaning.

use super::rules::*;
use super::Context;
use crate::diagnostic::{Diagnostic, Severity};

/// One lint rule: its identity, its documentation (what `accord rules CODE` prints) and its check.
pub struct Rule {
    /// Stable code, e.g. `EXT001`.
    pub code: &'static str,
    /// Short snake_case name, e.g. `unsatisfiable_app_controls`.
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Why it matters: the platform fact, with its section of the reference.
    pub explanation: &'static str,
    /// A pack excerpt that triggers the rule.
    pub fires: &'static str,
    /// A pack excerpt that does not.
    pub quiet: &'static str,
    /// How to fix a finding.
    pub fix: &'static str,
    /// Pushes one diagnostic per finding (built with [`Rule::finding`]).
    pub check: fn(&Context<'_>, &mut Vec<Diagnostic>),
}

impl Rule {
    /// A diagnostic with this rule's code and default severity.
    pub fn finding(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.severity, self.code, message)
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule")
            .field("code", &self.code)
            .field("severity", &self.severity)
            .finish()
    }
}

/// Every rule, grouped as the documentation lists them: external users, multi-tenant
/// organisation, sharing, policy hygiene, directory objects.
pub static RULES: &[&Rule] = &[
    &ext001_unsatisfiable_app_controls::RULE,
    &ext002_untrusted_device_claim::RULE,
    &ext003_untrusted_mfa::RULE,
    &ext004_all_users_include_externals::RULE,
    &ext005_risk_for_externals::RULE,
    &ext006_uncovered_external_segment::RULE,
    &ext007_direct_connect_untrusted_mfa::RULE,
    &ext008_strength_externals_cannot_meet::RULE,
    &mto001_tenant_in_two_organizations::RULE,
    &mto002_no_active_owner::RULE,
    &mto003_too_many_tenants::RULE,
    &mto004_member_without_cross_tenant::RULE,
    &mto005_organization_with_pending_member::RULE,
    &mto006_resource_tenant_not_member::RULE,
    &mto007_sync_into_blocked_collaboration::RULE,
    &xtr001_trv2_allows_partner_blocked_outbound::RULE,
    &shr001_site_above_sharepoint::RULE,
    &shr002_onedrive_above_sharepoint::RULE,
    &shr003_conflicting_domain_lists::RULE,
    &shr004_inconsistent_partner_domains::RULE,
    &shr005_anyone_links_bypass_mfa::RULE,
    &shr006_teams_groups_guest_mismatch::RULE,
    &shr007_teams_federation_b2b_blocked::RULE,
    &shr008_free_busy_with_blocked_partner::RULE,
    &shr009_partner_connector_unrestricted::RULE,
    &shr010_auto_forward_to_external::RULE,
    &cap001_never_applies::RULE,
    &cap002_shadowed_policy::RULE,
    &cap003_no_emergency_exclusion::RULE,
    &cap004_legacy_auth_not_blocked::RULE,
    &cap005_policy_not_enforced::RULE,
    &cap006_unused_location::RULE,
    &cap007_duplicate_policy_name::RULE,
    &cap008_internal_guest_origin::RULE,
    &cap009_unmodelled_fail_closed::RULE,
    &dir001_contact_and_user_share_address::RULE,
    &dir002_mail_enabled_member_hidden::RULE,
    &dir003_dynamic_group_grants_guests::RULE,
    &dir004_sensitive_app_open_to_guests::RULE,
    &ses001_token_protection_unsupported_clients::RULE,
    &wid001_workload_blocked_everywhere::RULE,
];

/// The rules that ask exact questions of the whole request space (`Context::space`). They cost
/// far more than the others on a large pack, so the language server runs them in the
/// background after an edit rather than on every keystroke; `accord lint` runs them as any rule.
pub const WHOLE_SPACE: [&str; 3] = ["EXT006", "CAP002", "CAP005"];

/// The rule with this code (exact, case-insensitive).
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        let mut unique = codes.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(codes.len(), unique.len(), "codes must be unique");
        for r in RULES {
            assert_eq!(r.code.len(), 6, "{}", r.code);
            assert!(r.code[..3].chars().all(|c| c.is_ascii_uppercase()));
            assert!(r.code[3..].chars().all(|c| c.is_ascii_digit()));
            assert!(
                !r.summary.ends_with('.'),
                "{}: summary ends with a period",
                r.code
            );
            // The research reference, or for what it does not cover the Microsoft Learn page
            // the rule rests on.
            assert!(
                r.explanation.contains('§')
                    || r.explanation.contains("https://learn.microsoft.com/"),
                "{}: cite the reference or a Microsoft Learn page",
                r.code
            );
        }
    }

    #[test]
    fn examples_parse() {
        for r in RULES {
            for (what, text) in [("fires", r.fires), ("quiet", r.quiet)] {
                let parsed = crate::syntax::parse_file(crate::source::FileId(0), text);
                assert!(
                    parsed.parsed && parsed.diagnostics.is_empty(),
                    "{} {what} example: {:?}",
                    r.code,
                    parsed.diagnostics
                );
            }
        }
    }

    /// Every rule that reads the request space is in `WHOLE_SPACE` (else the editor would run
    /// it on every keystroke), and every listed code is a rule.
    #[test]
    fn whole_space_rules_are_listed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lint/rules");
        let mut found = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("rules folder") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("read rule");
            if text.contains("ctx.space()") {
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                found.push(name[..6].to_ascii_uppercase());
            }
        }
        found.sort();
        let mut listed: Vec<String> = WHOLE_SPACE.iter().map(|c| c.to_string()).collect();
        listed.sort();
        assert_eq!(found, listed);
        assert!(WHOLE_SPACE.iter().all(|c| rule(c).is_some()));
    }
}

//! Conditional Access policies: names, assignments, conditions and session (§1).
//! Grant controls are in `grant.rs`.

use super::cross_tenant::invalid_app_id;
use super::index::Index;
use super::values::{auth_context_problem, is_guid};
use super::{grant, keyword_span, references, repeats, Findings};
use crate::diagnostic::Diagnostic;
use crate::model::{
    AppTarget, ExternalType, IncludeExclude, ListCondition, LocationRef, Origin, Pack, Platform,
    Policy, PolicyState, Spanned, UserTarget,
};
use crate::source::Span;

pub(super) fn check(pack: &Pack, index: &Index, out: &mut Findings) {
    names(pack, out);
    for policy in &pack.policies {
        users(pack, index, policy, out);
        apps(policy, out);
        conditions(pack, index, policy, out);
        grant::check(policy, out);
        super::workloads::check(policy, out);
        session(policy, out);
        report_only_actions(policy, out);
    }
}

/// `E1050`, `E1072`.
fn names(pack: &Pack, out: &mut Findings) {
    for policy in &pack.policies {
        if policy.name.value.trim().is_empty() {
            out.add(
                Diagnostic::error("E1072", "a policy has an empty name")
                    .at(policy.name.span)
                    .help("name the policy after what it does, e.g. `\"Require MFA for guests\"`"),
            );
        }
    }
    let names = pack
        .policies
        .iter()
        .map(|p| (p.name.value.clone(), p.name.span));
    for (name, span, first) in repeats(names) {
        out.add(
            Diagnostic::error("E1050", format!("policy `{name}` is declared twice"))
                .at(span)
                .label(first, "first declared here")
                .help("policy names identify policies in reports and tests: rename one"),
        );
    }
}

/// Where a finding about a possibly absent block points: the block's keyword when the block is
/// written (lowering gives an absent block the policy's span), the policy name otherwise.
fn block_or_name(policy: &Policy, block: Span, keyword: &str) -> (Span, Span) {
    if block == policy.span {
        (policy.name.span, policy.name.span)
    } else {
        (keyword_span(block, keyword), block)
    }
}

fn users(pack: &Pack, index: &Index, policy: &Policy, out: &mut Findings) {
    let users = &policy.users;
    // A policy for workload identities includes no user (`validate::workloads`).
    if users.include.is_empty() && !policy.is_workload() {
        let (at, scope) = block_or_name(policy, users.span, "users");
        out.add_in(
            scope,
            Diagnostic::error(
                "E1051",
                format!("policy `{}` includes no users", policy.name.value),
            )
            .at(at)
            .help("add `users { include all }`, or include the users the policy is for"),
        );
    }
    alone_in_include(&users.include, "users", out, |t| match t {
        UserTarget::All => Some("all"),
        UserTarget::None => Some("none"),
        _ => None,
    });
    for target in &users.exclude {
        let word = match target.value {
            UserTarget::All => "all",
            UserTarget::None => "none",
            _ => continue,
        };
        out.add(not_excludable(
            word,
            target.span,
            "set `state = off` to turn a policy off",
        ));
    }
    for target in users.include.iter().chain(&users.exclude) {
        match &target.value {
            UserTarget::Role(role) => references::role(role, target.span, out),
            UserTarget::External { types, origin } => {
                external(pack, index, types, origin, out);
            }
            _ => {}
        }
    }
}

/// `external(...) from ...`: repeated types (`E1059`) and the origin's references.
fn external(
    pack: &Pack,
    index: &Index,
    types: &[Spanned<ExternalType>],
    origin: &Spanned<Origin>,
    out: &mut Findings,
) {
    let items = types.iter().map(|t| (t.value, t.span));
    for (ty, span, first) in repeats(items) {
        out.add(
            Diagnostic::warning("E1059", format!("`{}` is listed twice", ty.name()))
                .at(span)
                .label(first, "first listed here")
                .help("remove the repeat"),
        );
    }
    match &origin.value {
        Origin::Tenants(names) => {
            for name in names {
                references::tenant(pack, index, name, out);
            }
        }
        Origin::Organization if pack.organizations.is_empty() => out.add(
            Diagnostic::error(
                "E1014",
                "`from organization` refers to an organization the pack does not declare",
            )
            .at(origin.span)
            .help("declare the organization, or name the tenants: `from tenants(fabrikam)`"),
        ),
        _ => {}
    }
}

/// `E1053`: `all` and `none` stand alone in an `include`.
fn alone_in_include<T>(
    include: &[Spanned<T>],
    what: &str,
    out: &mut Findings,
    word: impl Fn(&T) -> Option<&'static str>,
) {
    if include.len() < 2 {
        return;
    }
    for target in include {
        let Some(word) = word(&target.value) else {
            continue;
        };
        let help = if word == "all" {
            format!("`all` already includes every one: keep `all` alone, or list the {what}")
        } else {
            format!("`none` includes nothing: remove it, or remove the other {what}")
        };
        out.add(
            Diagnostic::error(
                "E1053",
                format!("`{word}` cannot be included with other {what}"),
            )
            .at(target.span)
            .help(help),
        );
    }
}

/// Whether an `extension` entry of the policy sets something at or below `prefix`.
pub(super) fn extends(policy: &Policy, prefix: &str) -> bool {
    policy.extensions.iter().any(|e| {
        let p = e.pointer.value.as_str();
        p == prefix
            || p.strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// `E1054`.
fn not_excludable(what: &str, span: Span, help: &str) -> Diagnostic {
    Diagnostic::error("E1054", format!("`{what}` cannot be excluded"))
        .at(span)
        .help(help.to_string())
}

fn apps(policy: &Policy, out: &mut Findings) {
    let apps = &policy.apps;
    // An imported policy may target what the language cannot name (Global Secure Access traffic,
    // agent resources): its `extension` then holds the applications.
    if apps.include.is_empty() && !extends(policy, "/conditions/applications") {
        let (at, scope) = block_or_name(policy, apps.span, "apps");
        out.add_in(
            scope,
            Diagnostic::error(
                "E1052",
                format!("policy `{}` includes no apps", policy.name.value),
            )
            .at(at)
            .help("add `apps { include all }`, or include the apps the policy protects"),
        );
    }
    alone_in_include(&apps.include, "apps", out, |t| match t {
        AppTarget::All => Some("all"),
        AppTarget::None => Some("none"),
        _ => None,
    });
    // Exclusions hold app ids, `Office365` and `MicrosoftAdminPortals` only (§1.5).
    for target in &apps.exclude {
        let (word, help) = match target.value {
            AppTarget::All | AppTarget::None => (
                if target.value == AppTarget::All {
                    "all"
                } else {
                    "none"
                },
                "set `state = off` to turn a policy off",
            ),
            AppTarget::Action(_) => (
                "action",
                "a policy either targets user actions or apps: include the action in its own policy",
            ),
            AppTarget::AuthContext(_) => (
                "auth_context",
                "an authentication context is included by the policies that require it",
            ),
            _ => continue,
        };
        out.add(not_excludable(word, target.span, help));
    }
    for target in apps.include.iter().chain(&apps.exclude) {
        match &target.value {
            AppTarget::App(id) if !is_guid(id) => out.add(invalid_app_id(id, target.span)),
            AppTarget::AuthContext(id) => {
                if let Some(help) = auth_context_problem(id) {
                    out.add(
                        Diagnostic::error(
                            "E1056",
                            format!("`{id}` is not an authentication context id"),
                        )
                        .at(target.span)
                        .help(help),
                    );
                }
            }
            _ => {}
        }
    }
}

fn conditions(pack: &Pack, index: &Index, policy: &Policy, out: &mut Findings) {
    let c = &policy.conditions;
    if let Some(platforms) = &c.platforms {
        include_exclude(platforms, "platforms", |p| *p == Platform::All, out);
    }
    if let Some(locations) = &c.locations {
        include_exclude(locations, "locations", |l| *l == LocationRef::All, out);
        for location in locations.include.iter().chain(&locations.exclude) {
            if let LocationRef::Named(name) = &location.value {
                references::location(pack, index, name, location.span, out);
            }
        }
    }
    not_empty(&c.client_apps, "client_apps", out);
    not_empty(&c.sign_in_risk, "sign_in_risk", out);
    not_empty(&c.user_risk, "user_risk", out);
    not_empty(&c.insider_risk, "insider_risk", out);
    not_empty(&c.auth_flows, "auth_flows", out);
}

/// `E1066`-`E1068` for the conditions with `include(...) exclude(...)`.
fn include_exclude<T>(
    ie: &IncludeExclude<T>,
    what: &str,
    is_all: impl Fn(&T) -> bool,
    out: &mut Findings,
) {
    if ie.include.is_empty() {
        out.add_in(
            ie.span,
            Diagnostic::error("E1066", format!("`{what}` includes nothing"))
                .at(ie.span)
                .help(format!(
                    "write `{what} = include(...)` with at least one entry, or remove the condition"
                )),
        );
    }
    if ie.include.len() > 1 {
        for all in ie.include.iter().filter(|x| is_all(&x.value)) {
            out.add(
                Diagnostic::warning(
                    "W1067",
                    format!("`all` already includes every one of the {what}"),
                )
                .at(all.span)
                .help("keep `include(all)` alone: the other entries change nothing"),
            );
        }
    }
    for all in ie.exclude.iter().filter(|x| is_all(&x.value)) {
        out.add(
            Diagnostic::error("E1068", format!("`exclude(all)` leaves no {what} to match"))
                .at(all.span)
                .help("exclude some of them, or set `state = off` to turn the policy off"),
        );
    }
}

/// `E1070`.
pub(super) fn not_empty<T>(list: &Option<ListCondition<T>>, what: &str, out: &mut Findings) {
    let Some(list) = list else { return };
    if list.value.is_empty() {
        out.add_in(
            list.span,
            Diagnostic::error("E1070", format!("`{what}` lists nothing"))
                .at(list.span)
                .help("list at least one value, or remove the condition to match every value"),
        );
    }
}

/// True when the policy targets "All resources": `include all` (exclusions do not change the
/// selection the platform checks).
pub(super) fn targets_all_apps(policy: &Policy) -> bool {
    matches!(policy.apps.include.as_slice(), [one] if one.value == AppTarget::All)
}

/// `W1095`: report-only mode does not evaluate policies that target user actions
/// (https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-report-only,
/// "Policies that target user actions ... are not evaluated in report-only mode"). The Graph API
/// accepts the state (the public corpus holds such policies), so this is a warning, not an error.
fn report_only_actions(policy: &Policy, out: &mut Findings) {
    if policy.state.value != PolicyState::ReportOnly {
        return;
    }
    let Some(action) = policy
        .apps
        .include
        .iter()
        .find(|t| matches!(t.value, AppTarget::Action(_)))
    else {
        return;
    };
    out.add(
        Diagnostic::warning(
            "W1095",
            "report-only mode does not evaluate a policy that targets a user action",
        )
        .at(policy.state.span)
        .label(action.span, "the user action")
        .help("turn it `on` to enforce it (its report-only results never reach the sign-in logs), or `off`"),
    );
}

/// `W1071`: persistent browser sessions need all apps (§1.14).
fn session(policy: &Policy, out: &mut Findings) {
    let Some(session) = &policy.session else {
        return;
    };
    if let Some(profile) = &session.security_profile {
        if !crate::model::is_guid(&profile.value) {
            out.add(
                Diagnostic::error(
                    "E1140",
                    format!("security profile id `{}` is not a GUID", profile.value),
                )
                .at(profile.span)
                .help("a Global Secure Access security profile is named by its id (Graph `filteringProfile.id`), such as `3b40eb9f-0624-4690-9d91-e9e413e023aa`"),
            );
        }
    }
    if let Some(persistent) = &session.persistent_browser {
        if !targets_all_apps(policy) {
            let (apps, _) = block_or_name(policy, policy.apps.span, "apps");
            out.add(
                Diagnostic::warning(
                    "W1071",
                    "`persistent_browser` works only in a policy that targets all apps",
                )
                .at(persistent.span)
                .label(apps, "the policy targets these apps")
                .help("write `apps { include all }`, or move the session control to such a policy"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::tests::codes_of;

    const NONE: [&str; 0] = [];

    fn policy(body: &str) -> Vec<String> {
        codes_of(&format!("policy \"p\" {{ {body} }}"))
    }

    #[test]
    fn report_only_user_actions_are_never_evaluated() {
        assert_eq!(
            policy("state = report_only users { include all } apps { include action register_security_info } grant mfa"),
            ["W1095"]
        );
        assert!(policy(
            "state = on users { include all } apps { include action register_security_info } grant mfa"
        )
        .is_empty());
        assert!(
            policy("state = report_only users { include all } apps { include all } grant mfa")
                .is_empty()
        );
    }

    #[test]
    fn names_are_unique_and_not_empty() {
        let p = "users { include all } apps { include all } grant mfa";
        assert_eq!(
            codes_of(&format!("policy \"a\" {{ {p} }}\npolicy \"a\" {{ {p} }}")),
            ["E1050"]
        );
        assert_eq!(codes_of(&format!("policy \" \" {{ {p} }}")), ["E1072"]);
    }

    #[test]
    fn users_must_be_included() {
        assert_eq!(policy("apps { include all } grant mfa"), ["E1051"]);
        assert_eq!(
            policy("users { exclude guests_or_external } apps { include all } grant mfa"),
            ["E1051"]
        );
        assert_eq!(policy("users { include all } grant mfa"), ["E1052"]);
        assert_eq!(policy("grant mfa"), ["E1051", "E1052"]);
    }

    #[test]
    fn all_and_none_stand_alone() {
        assert_eq!(
            policy("users { include none, group \"g\" } apps { include all } grant mfa"),
            ["E1053"]
        );
        assert_eq!(
            policy("users { include all, guests_or_external } apps { include all } grant mfa"),
            ["E1053"]
        );
        assert_eq!(
            policy("users { include all } apps { include all, sharepoint } grant mfa"),
            ["E1053"]
        );
        assert_eq!(
            policy("users { include none } apps { include all } grant mfa"),
            NONE
        );
    }

    #[test]
    fn what_cannot_be_excluded() {
        assert_eq!(
            policy("users { include all exclude all } apps { include all } grant mfa"),
            ["E1054"]
        );
        assert_eq!(
            policy("users { include all } apps { include all exclude none } grant mfa"),
            ["E1054"]
        );
        assert_eq!(
            policy("users { include all } apps { include all exclude action register_device, auth_context \"c1\" } grant mfa"),
            ["E1054", "E1054"]
        );
        assert_eq!(
            policy("users { include all } apps { include all exclude office365, admin_portals } grant mfa"),
            NONE
        );
    }

    #[test]
    fn app_ids_and_contexts() {
        assert_eq!(
            policy("users { include all } apps { include app \"graph\" } grant mfa"),
            ["E1055"]
        );
        assert_eq!(
            policy("users { include all } apps { include auth_context \"c100\" } grant mfa"),
            ["E1056"]
        );
        assert_eq!(
            policy("users { include all } apps { include auth_context \"c7\" } grant mfa"),
            NONE
        );
    }

    #[test]
    fn external_targets() {
        assert_eq!(
            policy(
                "users { include external(b2b_guest, b2b_guest) } apps { include all } grant mfa"
            ),
            ["E1059"]
        );
        assert_eq!(
            policy("users { include external(b2b_guest) from organization } apps { include all } grant mfa"),
            ["E1014"]
        );
        assert_eq!(
            policy("users { include external(b2b_guest) from outside_organization } apps { include all } grant mfa"),
            NONE
        );
    }

    #[test]
    fn platform_and_location_lists() {
        let cond = |c: &str| {
            policy(&format!(
                "users {{ include all }} apps {{ include all }} conditions {{ {c} }} grant mfa"
            ))
        };
        assert_eq!(cond("platforms = include(all) exclude(ios)"), NONE);
        assert_eq!(cond("platforms = include(all, ios)"), ["W1067"]);
        assert_eq!(cond("platforms = include(ios) exclude(all)"), ["E1068"]);
        assert_eq!(cond("locations = include(all) exclude(all_trusted)"), NONE);
        assert_eq!(cond("locations = include(all, all_trusted)"), ["W1067"]);
        assert_eq!(
            cond("locations = include(all_trusted) exclude(all)"),
            ["E1068"]
        );
    }

    #[test]
    fn empty_list_conditions() {
        let cond = |c: &str| {
            policy(&format!(
                "users {{ include all }} apps {{ include all }} conditions {{ {c} }} grant mfa"
            ))
        };
        assert_eq!(cond("sign_in_risk = []"), ["E1070"]);
        assert_eq!(cond("user_risk = []"), ["E1070"]);
        assert_eq!(cond("client_apps = []"), ["E1070"]);
        assert_eq!(cond("auth_flows = []"), ["E1070"]);
        // An empty insider risk list would scope the policy to nobody, and export as no
        // condition at all (everybody).
        assert_eq!(cond("insider_risk = []"), ["E1070"]);
        assert_eq!(cond("insider_risk = [minor, elevated]"), NONE);
        assert_eq!(
            cond("sign_in_risk = [high]  user_risk = [low, medium]"),
            NONE
        );
    }

    #[test]
    fn persistent_browser_needs_all_apps() {
        let with = |apps: &str| {
            policy(&format!(
                "users {{ include all }} apps {{ {apps} }} session {{ persistent_browser = never }}"
            ))
        };
        assert_eq!(with("include all"), NONE);
        assert_eq!(with("include office365"), ["W1071"]);
        assert_eq!(with("include all exclude office365"), NONE);
    }
}

//! Strategies for random policies and sharing blocks (see `model_gen` for what "valid" means).

use accord::model::catalog::BuiltInStrength;
use accord::model::*;
use accord::source::Span;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;

use super::model_gen::{app_target, extensions, name, text};

fn s<T>(value: T) -> Spanned<T> {
    Spanned::synthetic(value)
}

fn origin() -> impl Strategy<Value = Origin> {
    prop_oneof![
        Just(Origin::Any),
        Just(Origin::Organization),
        Just(Origin::OutsideOrganization),
        vec(name().prop_map(s), 1..3).prop_map(Origin::Tenants),
    ]
}

fn user_target() -> impl Strategy<Value = UserTarget> {
    let types = vec(select(ExternalType::ALL.to_vec()).prop_map(s), 0..4);
    prop_oneof![
        Just(UserTarget::All),
        Just(UserTarget::None),
        Just(UserTarget::GuestsOrExternal),
        text().prop_map(UserTarget::User),
        text().prop_map(UserTarget::Group),
        name().prop_map(UserTarget::Role),
        (types, origin()).prop_map(|(types, o)| UserTarget::External {
            types,
            origin: s(o),
        }),
    ]
}

fn users() -> impl Strategy<Value = Users> {
    let list = || vec(user_target().prop_map(s), 0..3);
    (list(), list()).prop_map(|(include, exclude)| Users {
        include,
        exclude,
        span: Span::default(),
    })
}

fn apps() -> impl Strategy<Value = Apps> {
    let list = || vec(app_target().prop_map(s), 0..3);
    (list(), list()).prop_map(|(include, exclude)| Apps {
        include,
        exclude,
        span: Span::default(),
    })
}

/// `include(...)` needs at least one value; `exclude(...)` is optional.
fn inc_exc<T: std::fmt::Debug, S: Strategy<Value = T>>(
    item: impl Fn() -> S,
) -> impl Strategy<Value = IncludeExclude<T>> {
    (vec(item().prop_map(s), 1..3), vec(item().prop_map(s), 0..3)).prop_map(|(include, exclude)| {
        IncludeExclude {
            include,
            exclude,
            span: Span::default(),
        }
    })
}

fn list<T: std::fmt::Debug + Clone + 'static>(
    values: &[T],
) -> impl Strategy<Value = ListCondition<T>> {
    vec(select(values.to_vec()).prop_map(s), 0..4).prop_map(s)
}

/// A location reference: the lowering reads the names `all`, `all_trusted` and
/// `mfa_trusted_ips` as the built-in references whether quoted or not, so a location of that
/// name cannot be referenced; the generator leaves those names to the built-ins.
fn location_ref() -> impl Strategy<Value = LocationRef> {
    prop_oneof![
        Just(LocationRef::All),
        Just(LocationRef::AllTrusted),
        Just(LocationRef::MfaTrustedIps),
        name()
            .prop_filter("reserved location names", |n| {
                !["all", "all_trusted", "mfa_trusted_ips"].contains(&n.as_str())
            })
            .prop_map(LocationRef::Named),
    ]
}

/// A `workloads` block: service principal and agent targets, and both filters.
fn workloads() -> impl Strategy<Value = Workloads> {
    let target = || {
        prop_oneof![
            Just(WorkloadTarget::All),
            text().prop_map(WorkloadTarget::ServicePrincipal),
            text().prop_map(WorkloadTarget::Agent),
        ]
        .prop_map(s)
    };
    let filter = || {
        option::of(
            (
                select(vec![FilterMode::Include, FilterMode::Exclude]),
                text(),
            )
                .prop_map(|(mode, value)| {
                    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
                    WorkloadFilter {
                        mode: s(mode),
                        rule: s(format!(
                            "CustomSecurityAttribute.Ops_Tier -eq \"{escaped}\""
                        )),
                    }
                }),
        )
    };
    (vec(target(), 0..3), vec(target(), 0..2), filter(), filter()).prop_map(
        |(include, exclude, filter, agent_filter)| Workloads {
            include,
            exclude,
            filter,
            agent_filter,
            span: Span::default(),
        },
    )
}

fn conditions() -> impl Strategy<Value = Conditions> {
    let risks = RiskLevel::ALL;
    let devices = (
        select(vec![FilterMode::Include, FilterMode::Exclude]),
        text(),
    )
        .prop_map(|(mode, value)| {
            // A valid rule whose value holds the tricky characters (the device-filter grammar
            // escapes only `"` and `\\`), so the policy-level string escaping is what is tested.
            let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
            let rule = format!("device.model -eq \"{escaped}\"");
            let filter = accord::syntax::device_filter::parse_device_filter(&rule).ok();
            DeviceCondition {
                mode: s(mode),
                rule: s(rule),
                filter,
            }
        });
    (
        option::of(inc_exc(|| select(Platform::ALL.to_vec()))),
        option::of(inc_exc(location_ref)),
        option::of(list(&ClientApp::ALL)),
        option::of(list(&risks)),
        option::of(list(&risks)),
        (option::of(list(&InsiderRisk::ALL)), option::of(devices)),
        option::of(list(&[AuthFlow::DeviceCode, AuthFlow::AuthTransfer])),
        (
            option::of(workloads()),
            option::of(list(&risks)),
            option::of(list(&risks)),
        ),
    )
        .prop_map(
            |(
                platforms,
                locations,
                client_apps,
                sign_in_risk,
                user_risk,
                (insider_risk, devices),
                auth_flows,
                (workloads, service_principal_risk, agent_risk),
            )| {
                Conditions {
                    platforms,
                    locations,
                    client_apps,
                    sign_in_risk,
                    user_risk,
                    insider_risk,
                    devices,
                    auth_flows,
                    workloads,
                    service_principal_risk,
                    agent_risk,
                    span: Span::default(),
                }
            },
        )
}

fn control() -> impl Strategy<Value = Control> {
    prop_oneof![
        select(vec![
            Control::Block,
            Control::Mfa,
            Control::CompliantDevice,
            Control::HybridJoined,
            Control::ApprovedApp,
            Control::AppProtection,
            Control::PasswordChange,
        ]),
        text().prop_map(Control::TermsOfUse),
        select(BuiltInStrength::ALL.to_vec())
            .prop_map(|b| Control::AuthStrength(AuthStrength::BuiltIn(b))),
        name().prop_map(|c| Control::AuthStrength(AuthStrength::Custom(c))),
        text().prop_map(Control::Custom),
    ]
}

fn grant() -> impl Strategy<Value = Grant> {
    let grant = |op, controls: Vec<Control>| Grant {
        op: s(op),
        controls: controls.into_iter().map(s).collect(),
        span: Span::default(),
    };
    prop_oneof![
        control().prop_map(move |c| grant(GrantOp::Single, vec![c])),
        (
            select(vec![GrantOp::All, GrantOp::Any]),
            vec(control(), 1..4)
        )
            .prop_map(move |(op, cs)| grant(op, cs)),
    ]
}

fn session() -> impl Strategy<Value = Session> {
    // The platform's limits, which the parser enforces: 1-23 hours or 1-365 days.
    let frequency = prop_oneof![
        Just(SignInFrequency::EveryTime),
        (1u32..=23).prop_map(|value| SignInFrequency::Every {
            value,
            unit: FrequencyUnit::Hours
        }),
        (1u32..=365).prop_map(|value| SignInFrequency::Every {
            value,
            unit: FrequencyUnit::Days
        }),
    ];
    let persistent = select(vec![PersistentBrowser::Always, PersistentBrowser::Never]);
    let cae = select(vec![
        ContinuousAccessEvaluation::Strict,
        ContinuousAccessEvaluation::StrictLocation,
        ContinuousAccessEvaluation::Disabled,
    ]);
    let mcas = select(vec![
        CloudAppSecurity::MonitorOnly,
        CloudAppSecurity::BlockDownloads,
        CloudAppSecurity::McasConfigured,
    ]);
    (
        option::of(frequency),
        option::of(persistent),
        any::<bool>(),
        option::of(cae),
        option::of(mcas),
        any::<bool>(),
        any::<bool>(),
        option::of(select(vec![
            "3b40eb9f-0624-4690-9d91-e9e413e023aa".to_string(),
            "00000000-0000-0000-0000-000000000000".to_string(),
        ])),
        any::<bool>(),
    )
        .prop_map(
            |(f, p, aer, cae, mcas, resilience, token, profile, secondary)| Session {
                sign_in_frequency_secondary: (f.is_some() && secondary).then(Span::default),
                sign_in_frequency: f.map(s),
                persistent_browser: p.map(s),
                app_enforced_restrictions: aer.then(Span::default),
                continuous_access_evaluation: cae.map(s),
                cloud_app_security: mcas.map(s),
                disable_resilience_defaults: resilience.then(Span::default),
                token_protection: token.then(Span::default),
                security_profile: profile.map(s),
                span: Span::default(),
            },
        )
}

pub fn policy() -> impl Strategy<Value = Policy> {
    let state = select(vec![
        PolicyState::On,
        PolicyState::Off,
        PolicyState::ReportOnly,
    ]);
    (
        text(),
        state,
        any::<bool>(),
        users(),
        apps(),
        conditions(),
        option::of(grant()),
        option::of(session()),
        extensions(),
    )
        .prop_map(
            |(n, state, written, users, apps, conditions, grant, session, extensions)| Policy {
                name: s(n),
                state: s(state),
                // The parser sets it exactly when `state = ...` is written, and a state other
                // than `on` must be written.
                state_written: written || state != PolicyState::On,
                users,
                apps,
                conditions,
                grant,
                session,
                extensions,
                span: Span::default(),
            },
        )
}

fn level() -> impl Strategy<Value = SharingLevel> {
    select(SharingLevel::ALL.to_vec())
}

fn domain_list() -> impl Strategy<Value = DomainList> {
    (
        select(vec![Access::Allow, Access::Block]),
        vec(text().prop_map(s), 0..3),
    )
        .prop_map(|(a, domains)| DomainList {
            access: s(a),
            domains,
            span: Span::default(),
        })
}

pub fn sharing() -> impl Strategy<Value = Sharing> {
    let site = (
        text(),
        level(),
        vec(domain_list(), 0..3),
        option::of(any::<bool>()),
    )
        .prop_map(|(url, l, domains, picker)| Site {
            url: s(url),
            level: s(l),
            domains,
            people_picker_guests: picker.map(s),
            span: Span::default(),
        });
    let invitations = (
        option::of(select(InviteFrom::ALL.to_vec())),
        vec(domain_list(), 0..3),
        option::of(select(GuestRole::ALL.to_vec())),
        option::of(any::<bool>()),
        option::of(any::<bool>()),
    )
        .prop_map(|(from, domains, role, otp, sign_up)| Invitations {
            from: from.map(s),
            domains,
            guest_role: role.map(s),
            email_otp: otp.map(s),
            self_service_sign_up: sign_up.map(s),
            span: Span::default(),
        });
    let switch = || option::of(any::<bool>().prop_map(s));
    let expiry = || option::of(option::of(1u32..=730).prop_map(s));
    let guest_details = (
        switch(),
        switch(),
        expiry(),
        expiry(),
        option::of(select(DefaultLink::ALL.to_vec()).prop_map(s)),
        option::of(select(LinkPermission::ALL.to_vec()).prop_map(s)),
    );
    let calendar = (text(), select(CalendarLevel::ALL.to_vec())).prop_map(|(d, l)| CalendarShare {
        domain: s(d),
        level: s(l),
        span: Span::default(),
    });
    let levels = (option::of(level()), option::of(level()));
    let lists = (
        vec(site, 0..3),
        vec(domain_list(), 0..3),
        option::of(invitations),
        vec(domain_list(), 0..3),
        vec(calendar, 0..3),
    );
    let switches = (switch(), switch(), switch(), switch(), switch(), switch());
    let teams = (switch(), switch(), switch(), vec(meeting_policy(), 0..3));
    (
        levels,
        lists,
        switches,
        teams,
        guest_details,
        extensions(),
        exchange(),
    )
        .prop_map(
            |(
                (sp, od),
                (sites, domains, invitations, teams_domains, calendar),
                switches,
                (consumer, consumer_inbound, discovered, meetings),
                (resharing, account_match, guest_expiry, anyone_link_expiry, link, permission),
                extensions,
                exchange,
            )| Sharing {
                external_resharing: resharing,
                require_account_match: account_match,
                guest_expiry,
                anyone_link_expiry,
                default_link: link,
                default_link_permission: permission,
                sharepoint: sp.map(s),
                onedrive: od.map(s),
                sites,
                domains,
                invitations,
                teams_guest_access: switches.0,
                teams_external_enabled: switches.1,
                teams_external_domains: teams_domains,
                teams_consumer: consumer,
                teams_consumer_inbound: consumer_inbound,
                teams_discovered_unverified: discovered,
                teams_meetings: meetings,
                groups_guest_access: switches.2,
                calendar,
                power_bi_guest_access: switches.3,
                viva_engage_external_networks: switches.4,
                people_picker_guests: switches.5,
                exchange,
                extensions,
                span: Span::default(),
            },
        )
}

/// The `exchange ...` objects, each setting present or not. Lists are never empty: the printer
/// leaves out an empty list, which reads back as the same (empty) list.
fn exchange() -> impl Strategy<Value = accord::model::exchange::Exchange> {
    use accord::model::exchange::*;
    let switch = || option::of(any::<bool>().prop_map(s));
    let strings = || vec(text().prop_map(s), 0..3);
    let relationship = (
        text(),
        strings(),
        switch(),
        switch(),
        option::of(select(FreeBusyLevel::ALL.to_vec()).prop_map(s)),
        option::of(text().prop_map(s)),
    )
        .prop_map(
            |(n, domains, enabled, free_busy, free_busy_level, free_busy_scope)| OrgRelationship {
                name: s(n),
                domains,
                enabled,
                free_busy,
                free_busy_level,
                free_busy_scope,
                span: Span::default(),
            },
        );
    let entry = (
        text(),
        vec(select(SharingAction::ALL.to_vec()).prop_map(s), 0..3),
    )
        .prop_map(|(d, actions)| SharingEntry {
            domain: s(d),
            actions,
            span: Span::default(),
        });
    let policy = (text(), switch(), switch(), vec(entry, 0..3), strings()).prop_map(
        |(n, default, enabled, entries, mailboxes)| SharingPolicy {
            name: s(n),
            default,
            enabled,
            entries,
            mailboxes,
            span: Span::default(),
        },
    );
    let kind = || option::of(select(ConnectorType::ALL.to_vec()).prop_map(s));
    let inbound = (
        text(),
        kind(),
        switch(),
        strings(),
        strings(),
        switch(),
        option::of(text().prop_map(s)),
        (switch(), switch()),
    )
        .prop_map(
            |(
                n,
                kind,
                enabled,
                sender_domains,
                sender_ips,
                require_tls,
                certificate,
                (ips, cert),
            )| InboundConnector {
                name: s(n),
                kind,
                enabled,
                sender_domains,
                sender_ips,
                require_tls,
                certificate,
                restrict_to_ips: ips,
                restrict_to_certificate: cert,
                span: Span::default(),
            },
        );
    let outbound = (
        text(),
        kind(),
        switch(),
        strings(),
        option::of(select(OutboundTls::ALL.to_vec()).prop_map(s)),
        option::of(text().prop_map(s)),
        strings(),
    )
        .prop_map(
            |(n, kind, enabled, recipient_domains, tls, tls_domain, smart_hosts)| {
                OutboundConnector {
                    name: s(n),
                    kind,
                    enabled,
                    recipient_domains,
                    tls,
                    tls_domain,
                    smart_hosts,
                    span: Span::default(),
                }
            },
        );
    let remote = (text(), option::of(text().prop_map(s)), switch(), switch()).prop_map(
        |(n, domain, auto_forward, auto_reply)| RemoteDomain {
            name: s(n),
            domain,
            auto_forward,
            auto_reply,
            span: Span::default(),
        },
    );
    (
        vec(relationship, 0..2),
        vec(policy, 0..2),
        vec(inbound, 0..2),
        vec(outbound, 0..2),
        vec(remote, 0..2),
    )
        .prop_map(
            |(
                relationships,
                sharing_policies,
                inbound_connectors,
                outbound_connectors,
                remote_domains,
            )| Exchange {
                relationships,
                sharing_policies,
                inbound_connectors,
                outbound_connectors,
                remote_domains,
            },
        )
}

/// A `teams meeting` block with any of its settings.
fn meeting_policy() -> impl Strategy<Value = MeetingPolicy> {
    let switch = || option::of(any::<bool>().prop_map(s));
    (
        option::of(text().prop_map(s)),
        option::of(select(LobbyBypass::ALL.to_vec()).prop_map(s)),
        switch(),
        switch(),
    )
        .prop_map(
            |(name, lobby_bypass, anonymous_join, dial_in_bypass)| MeetingPolicy {
                name,
                lobby_bypass,
                anonymous_join,
                dial_in_bypass,
                span: Span::default(),
            },
        )
}

/// A `directory` block with every kind of object and every setting.
pub fn directory() -> impl Strategy<Value = Directory> {
    use accord::model::request::UserType;
    let opt_text = || option::of(text().prop_map(s));
    let address_list = || option::of(select(AddressList::ALL.to_vec()).prop_map(s));
    let flag = || option::of(Just(Span::default()));
    let user = (
        (text(), opt_text(), opt_text(), opt_text()),
        (
            option::of(select(vec![UserType::Member, UserType::Guest]).prop_map(s)),
            opt_text(),
            flag(),
            address_list(),
            vec(text().prop_map(s), 0..3),
        ),
    )
        .prop_map(
            |((name, id, upn, mail), (user_type, home, mail_enabled, address_list, groups))| {
                DirUser {
                    name: s(name),
                    id,
                    upn,
                    mail,
                    user_type,
                    home,
                    mail_enabled,
                    address_list,
                    groups,
                    span: Span::default(),
                }
            },
        );
    let contact = (text(), opt_text(), opt_text(), address_list()).prop_map(
        |(address, id, display_name, address_list)| DirContact {
            address: s(address),
            id,
            display_name,
            address_list,
            span: Span::default(),
        },
    );
    let group = (
        text(),
        opt_text(),
        option::of(select(GroupKind::ALL.to_vec()).prop_map(s)),
        option::of(any::<bool>().prop_map(s)),
        opt_text(),
    )
        .prop_map(|(name, id, kind, guests, dynamic)| DirGroup {
            name: s(name),
            id,
            kind,
            guests,
            dynamic,
            span: Span::default(),
        });
    let assignee = prop_oneof![
        text().prop_map(|t| s(Assignee::User(t))),
        text().prop_map(|t| s(Assignee::Group(t))),
    ];
    let app = (text(), opt_text(), flag(), vec(assignee, 0..3), flag()).prop_map(
        |(name, id, assignment_required, assigned, sensitive)| DirApp {
            name: s(name),
            id,
            assignment_required,
            assigned,
            sensitive,
            span: Span::default(),
        },
    );
    (
        vec(user, 0..3),
        vec(contact, 0..2),
        vec(group, 0..3),
        vec(app, 0..2),
    )
        .prop_map(|(users, contacts, groups, apps)| Directory {
            users,
            contacts,
            groups,
            apps,
            span: Span::default(),
        })
}

pub fn pack() -> impl Strategy<Value = Pack> {
    use super::model_gen::{cross_tenant, location, organization, tenant};
    (
        vec(tenant(), 0..3),
        vec(organization(), 0..2),
        vec(location(), 0..3),
        vec(cross_tenant(), 0..3),
        vec(policy(), 0..3),
        vec(sharing(), 0..2),
        vec(directory(), 0..2),
        vec(strength(), 0..2),
    )
        .prop_map(
            |(
                tenants,
                organizations,
                locations,
                cross_tenant,
                policies,
                sharing,
                directory,
                strengths,
            )| {
                Pack {
                    tenants,
                    organizations,
                    locations,
                    cross_tenant,
                    policies,
                    sharing,
                    directory,
                    strengths,
                }
            },
        )
}

/// A custom authentication strength: any modes, one to three per combination.
pub fn strength() -> impl Strategy<Value = StrengthDef> {
    use accord::model::strength::AuthMode;
    let combination = vec(select(AuthMode::ALL.to_vec()), 1..4).prop_map(|mut modes| {
        // The parser keeps a mode once per combination.
        let mut seen = Vec::new();
        modes.retain(|m| {
            let new = !seen.contains(m);
            seen.push(*m);
            new
        });
        Combination {
            modes,
            span: Span::default(),
        }
    });
    (
        text(),
        option::of(text()),
        option::of(text()),
        vec(combination, 0..4),
        extensions(),
    )
        .prop_map(
            |(n, id, description, combinations, extensions)| StrengthDef {
                name: s(n),
                id: id.map(s),
                description: description.map(s),
                combinations,
                extensions,
                span: Span::default(),
            },
        )
}

//! Strategies for random valid models: every construct the language can write, with spans left
//! synthetic (the round trip compares with `same_as`, which ignores them).
//!
//! "Valid" here means "what the parser can produce without an error": no statement set twice,
//! non-empty lists where the grammar needs one item, values in their documented ranges.

use accord::model::catalog::FirstPartyApp;
use accord::model::*;
use accord::source::Span;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

fn s<T>(value: T) -> Spanned<T> {
    Spanned::synthetic(value)
}

/// Text that needs escaping or could be mistaken for syntax: quotes, backslashes, `#`, `'`,
/// braces, control characters and non-ASCII.
pub fn text() -> impl Strategy<Value = String> {
    let tricky = select(vec![
        '"', '\\', '#', '\'', '{', '}', '[', ']', ',', '=', ' ', '\n', '\t', '\r', '\u{0}',
        '\u{7f}', '/', 'é', 'ß', '😀', '\u{2028}', '\u{feff}',
    ]);
    let plain = prop_oneof![prop::char::range('a', 'z'), prop::char::range('0', '9')];
    vec(prop_oneof![2 => plain, 1 => tricky], 0..10).prop_map(String::from_iter)
}

/// Identifiers, keywords of the language (which are legal names) or free text.
pub fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z_][A-Za-z0-9_-]{0,8}",
        select(vec![
            "default", "tenant", "include", "exclude", "all", "none", "users", "apps", "from",
            "any", "owner", "on", "off", "trusted",
        ])
        .prop_map(str::to_string),
        text(),
    ]
}

fn spanned_texts(max: usize) -> impl Strategy<Value = Vec<Spanned<String>>> {
    vec(text().prop_map(s), 0..max)
}

pub fn json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        select(vec![0.5, -1.25e-7, 3.0e21, -0.0, 1e300]).prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            vec((text(), inner), 0..4).prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

pub fn extensions() -> impl Strategy<Value = Vec<Extension>> {
    vec(
        (text(), json()).prop_map(|(p, v)| Extension {
            pointer: s(format!("/{p}")),
            json: s(v.to_string()),
        }),
        0..3,
    )
}

pub fn tenant() -> impl Strategy<Value = Tenant> {
    (name(), any::<bool>(), option::of(text()), spanned_texts(3)).prop_map(
        |(n, resource, id, domains)| Tenant {
            name: s(n),
            resource,
            id: id.map(s),
            domains,
            span: Span::default(),
        },
    )
}

pub fn organization() -> impl Strategy<Value = Organization> {
    let role = select(vec![OrgRole::Owner, OrgRole::Member]);
    let state = select(vec![
        MemberState::Active,
        MemberState::Pending,
        MemberState::Removed,
    ]);
    let member = (name(), role, state).prop_map(|(t, r, st)| OrgMember {
        tenant: s(t),
        role: s(r),
        state: s(st),
        span: Span::default(),
    });
    (name(), vec(member, 0..4)).prop_map(|(n, members)| Organization {
        name: s(n),
        members,
        span: Span::default(),
    })
}

pub fn location() -> impl Strategy<Value = Location> {
    let lookup = select(vec![CountryLookup::ClientIp, CountryLookup::Gps]);
    let kind = prop_oneof![
        spanned_texts(3).prop_map(|ranges| LocationKind::Ip { ranges }),
        (spanned_texts(3), any::<bool>(), lookup).prop_map(|(codes, include_unknown, lookup)| {
            LocationKind::Countries {
                codes,
                include_unknown,
                lookup,
            }
        }),
    ];
    (name(), kind, any::<bool>(), extensions()).prop_map(|(n, kind, trusted, extensions)| {
        Location {
            name: s(n),
            kind,
            trusted: trusted.then(Span::default),
            extensions,
            span: Span::default(),
        }
    })
}

fn access() -> impl Strategy<Value = Access> {
    select(vec![Access::Allow, Access::Block])
}

pub fn app_target() -> impl Strategy<Value = AppTarget> {
    prop_oneof![
        Just(AppTarget::All),
        Just(AppTarget::None),
        Just(AppTarget::Office365),
        Just(AppTarget::AdminPortals),
        select(FirstPartyApp::ALL.to_vec()).prop_map(AppTarget::Named),
        text().prop_map(AppTarget::App),
        select(vec![
            UserAction::RegisterSecurityInfo,
            UserAction::RegisterDevice
        ])
        .prop_map(AppTarget::Action),
        text().prop_map(AppTarget::AuthContext),
    ]
}

fn xt_user() -> impl Strategy<Value = XtUserTarget> {
    prop_oneof![
        Just(XtUserTarget::All),
        text().prop_map(XtUserTarget::User),
        text().prop_map(XtUserTarget::Group),
    ]
}

fn target_list<T: std::fmt::Debug>(
    target: impl Strategy<Value = T>,
) -> impl Strategy<Value = TargetList<T>> {
    (access(), vec(target.prop_map(s), 1..4)).prop_map(|(a, targets)| TargetList {
        access: s(a),
        targets,
    })
}

fn b2b_setting() -> impl Strategy<Value = B2bSetting> {
    let setting = |short, users, apps| B2bSetting {
        users,
        apps,
        short,
        span: Span::default(),
    };
    prop_oneof![
        access().prop_map(move |a| setting(Some(s(a)), None, None)),
        (
            option::of(target_list(xt_user())),
            option::of(target_list(app_target()))
        )
            .prop_map(move |(users, apps)| setting(None, users, apps)),
    ]
}

pub fn cross_tenant() -> impl Strategy<Value = CrossTenant> {
    let target = prop_oneof![
        Just(CrossTenantTarget::Default),
        name().prop_map(|n| CrossTenantTarget::Tenant(s(n))),
    ];
    let keys = vec![
        (Direction::Inbound, B2bKind::B2bCollaboration),
        (Direction::Inbound, B2bKind::B2bDirectConnect),
        (Direction::Outbound, B2bKind::B2bCollaboration),
        (Direction::Outbound, B2bKind::B2bDirectConnect),
    ];
    // Each direction and kind at most once (the parser reports a repeat); any order.
    let rules = subsequence(keys, 0..=4)
        .prop_shuffle()
        .prop_flat_map(|keys| {
            let n = keys.len();
            (Just(keys), vec(b2b_setting(), n))
        })
        .prop_map(|(keys, settings)| {
            keys.into_iter()
                .zip(settings)
                .map(|((d, k), setting)| B2bRule {
                    direction: s(d),
                    kind: s(k),
                    setting,
                    span: Span::default(),
                })
                .collect::<Vec<_>>()
        });
    let trust = (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(m, c, h)| Trust {
        mfa: m,
        compliant_device: c,
        hybrid_joined: h,
        span: Span::default(),
    });
    // `automatic_consent` names at least one direction.
    let consent =
        select(vec![(true, false), (false, true), (true, true)]).prop_map(|(i, o)| AutoConsent {
            inbound: i,
            outbound: o,
            span: Span::default(),
        });
    (
        target,
        rules,
        option::of(trust),
        any::<bool>(),
        option::of(consent),
        any::<bool>(),
        extensions(),
    )
        .prop_map(
            |(target, rules, trust, sp, auto_consent, sync, extensions)| CrossTenant {
                target,
                rules,
                trust,
                service_provider: sp.then(Span::default),
                auto_consent,
                user_sync_inbound: sync.then(Span::default),
                tenant_restrictions: None,
                extensions,
                span: Span::default(),
            },
        )
}

//! Whether a policy applies (§2.1): users, apps and every configured condition, each recorded
//! with its reason. Exclusions beat inclusions; an unconfigured condition matches everything; a
//! condition that needs a missing signal is `Unknown` (or not satisfied, with
//! `--assume-missing=not_matching`, as the platform's What-If does).

use super::compile::{
    client_bit, external_bit, flow_bit, insider_bit, kind_slot, platform_bit, risk_bit, AppM,
    Compiled, CompiledPolicy, LocM, LocationTable, OriginM, UserM,
};
use super::decide::{AssumeMissing, Ctx, Sink};
use super::resolve::{HomeIdx, Net};
use super::trace::{
    AppsReason, Condition, ConditionTrace, LocationsReason, OrgStatus, Signals, Tri, UserKind,
    UsersReason,
};
use crate::model::request::{Flow, InsiderRiskLevel, UserType};
use crate::model::{AuthFlow, ClientApp, ExternalType, Platform, RiskLevel, Spanned};

/// Evaluates every condition of an enforced or report-only policy. Returns applicability and,
/// for `Unknown`, the signals it depends on. A sink that does not record would stop at the
/// first failing condition; deciding uses [`applies_fast`] instead.
pub(crate) fn applies<'a, S: Sink<'a>>(
    ctx: &Ctx<'a, '_>,
    cp: &'a CompiledPolicy,
    sink: &mut S,
) -> (Tri, Signals) {
    let policy = &ctx.c.pack.policies[cp.index];
    let mut result = Tri::Yes;
    let mut needs = Signals::NONE;
    let mut record = |condition: Condition<'a>, outcome: Tri, n: Signals, sink: &mut S| -> bool {
        let (outcome, n) = missing_as(ctx.assume, outcome, n);
        if outcome == Tri::Unknown {
            needs = needs.union(n);
        }
        result = result.and(outcome);
        if S::RECORD {
            sink.condition(ConditionTrace {
                condition,
                outcome,
                needs: if outcome == Tri::Unknown {
                    n
                } else {
                    Signals::NONE
                },
                policy,
            });
        }
        S::RECORD || result != Tri::No
    };

    let (t, n, reason) = users(ctx, cp, policy);
    if !record(Condition::Users(reason), t, n, sink) {
        return (Tri::No, Signals::NONE);
    }
    let (t, reason) = apps(ctx, cp, policy);
    if !record(Condition::Apps(reason), t, Signals::NONE, sink) {
        return (Tri::No, Signals::NONE);
    }
    let r = ctx.r;
    if let Some((inc, exc)) = cp.platforms {
        let t = platforms(inc, exc, ctx.net.platform);
        if !record(
            Condition::Platforms(ctx.net.platform),
            t,
            Signals::PLATFORM,
            sink,
        ) {
            return (Tri::No, Signals::NONE);
        }
    }
    if let Some((inc, exc)) = &cp.locations {
        let (t, n, reason) = locations(ctx, inc, exc, policy);
        if !record(Condition::Locations(reason), t, n, sink) {
            return (Tri::No, Signals::NONE);
        }
    }
    let req = r.request;
    if let Some(mask) = cp.client_apps {
        let t = client_app_matches(mask, req.client_app);
        if !record(
            Condition::ClientApps(req.client_app),
            t,
            Signals::NONE,
            sink,
        ) {
            return (Tri::No, Signals::NONE);
        }
    }
    if let Some(mask) = cp.sign_in_risk {
        let t = risk_matches(mask, req.risk.sign_in);
        if !record(
            Condition::SignInRisk(req.risk.sign_in),
            t,
            Signals::NONE,
            sink,
        ) {
            return (Tri::No, Signals::NONE);
        }
    }
    if let Some(mask) = cp.user_risk {
        let t = risk_matches(mask, req.risk.user);
        if !record(Condition::UserRisk(req.risk.user), t, Signals::NONE, sink) {
            return (Tri::No, Signals::NONE);
        }
    }
    if let Some(mask) = cp.insider_risk {
        let t = insider_matches(mask, req.risk.insider);
        if !record(
            Condition::InsiderRisk(req.risk.insider),
            t,
            Signals::NONE,
            sink,
        ) {
            return (Tri::No, Signals::NONE);
        }
    }
    if let Some(mask) = cp.auth_flows {
        let t = flow_matches(mask, req.auth.flow);
        if !record(Condition::AuthFlows(req.auth.flow), t, Signals::NONE, sink) {
            return (Tri::No, Signals::NONE);
        }
    }
    if cp.has_devices {
        if let Some(cond) = &policy.conditions.devices {
            let visible = super::device::attributes_visible(ctx);
            let t = super::device::device_condition_matches(cond, ctx);
            let condition = Condition::Devices {
                registered: req.device.registered,
                visible,
            };
            if !record(condition, t, Signals::DEVICE, sink) {
                return (Tri::No, Signals::NONE);
            }
        }
    }
    (
        result,
        if result == Tri::Unknown {
            needs
        } else {
            Signals::NONE
        },
    )
}

/// A condition undecided for want of a signal the request can leave out is not satisfied under
/// `--assume-missing=not_matching` (the platform's What-If behaviour).
fn missing_as(assume: AssumeMissing, outcome: Tri, needs: Signals) -> (Tri, Signals) {
    match (outcome, assume) {
        (Tri::Unknown, AssumeMissing::NotMatching)
            if Signals::MISSABLE
                .union(Signals::COMPLIANT_NETWORK)
                .contains(needs) =>
        {
            (Tri::No, Signals::NONE)
        }
        _ => (outcome, needs),
    }
}

/// [`applies`] for the decision-only path, for a policy the app index lists for the request's
/// app (so the app condition holds): nothing recorded, the conditions that are a mask test
/// first, each side of a target list only as far as it can change the outcome. The same answer
/// as `applies`: Kleene conjunction does not depend on order, and `needs` counts only when no
/// condition fails, when every condition was evaluated in both. The suite's fast-path
/// properties compare the two paths over generated packs.
pub(crate) fn applies_fast(ctx: &Ctx<'_, '_>, cp: &CompiledPolicy) -> (Tri, Signals) {
    const NO: (Tri, Signals) = (Tri::No, Signals::NONE);
    let req = ctx.r.request;
    // No included target can cover a user of this segment; and the conditions below read
    // signals a request always states: never `Unknown`.
    if cp.users_kinds & kind_slot(ctx.class.kind, req.user.user_type) == 0
        || cp
            .client_apps
            .is_some_and(|m| m & client_bit(req.client_app) == 0)
        || cp
            .sign_in_risk
            .is_some_and(|m| m & risk_bit(req.risk.sign_in) == 0)
        || cp
            .user_risk
            .is_some_and(|m| m & risk_bit(req.risk.user) == 0)
        || cp
            .insider_risk
            .is_some_and(|m| insider_matches(m, req.risk.insider) == Tri::No)
        || cp
            .auth_flows
            .is_some_and(|m| flow_matches(m, req.auth.flow) == Tri::No)
    {
        return NO;
    }
    let mut result = Tri::Yes;
    let mut needs = Signals::NONE;
    let mut fold = |t: Tri, n: Signals| -> bool {
        let (t, n) = missing_as(ctx.assume, t, n);
        if t == Tri::Unknown {
            needs = needs.union(n);
        }
        result = result.and(t);
        result != Tri::No
    };
    if let Some((inc, exc)) = cp.platforms {
        if !fold(platforms(inc, exc, ctx.net.platform), Signals::PLATFORM) {
            return NO;
        }
    }
    let (t, n) = users_fast(ctx, cp);
    if !fold(t, n) {
        return NO;
    }
    if let Some((inc, exc)) = &cp.locations {
        let (t, n) = locations_fast(ctx, inc, exc);
        if !fold(t, n) {
            return NO;
        }
    }
    if cp.has_devices {
        if let Some(cond) = &ctx.c.pack.policies[cp.index].conditions.devices {
            let t = super::device::device_condition_matches(cond, ctx);
            if !fold(t, Signals::DEVICE) {
                return NO;
            }
        }
    }
    if result == Tri::Unknown {
        (result, needs)
    } else {
        (result, Signals::NONE)
    }
}

/// OR over a target list, stopping at the first `Yes`.
fn any_of<M>(list: &[M], test: impl Fn(&M) -> Tri) -> Tri {
    let mut out = Tri::No;
    for m in list {
        match test(m) {
            Tri::Yes => return Tri::Yes,
            t => out = out.or(t),
        }
    }
    out
}

/// The users condition as [`users`] decides it, without the reason; the exclusions are read
/// only when the inclusions do not already fail.
fn users_fast(ctx: &Ctx<'_, '_>, cp: &CompiledPolicy) -> (Tri, Signals) {
    let inc = any_of(&cp.users_include, |t| user_target(ctx, t));
    if inc == Tri::No {
        return (Tri::No, Signals::NONE);
    }
    let t = inc.and(any_of(&cp.users_exclude, |t| user_target(ctx, t)).negate());
    if t == Tri::Unknown {
        (t, users_needs(ctx, cp))
    } else {
        (t, Signals::NONE)
    }
}

/// The signals the undecided user targets of a policy wait for.
fn users_needs(ctx: &Ctx<'_, '_>, cp: &CompiledPolicy) -> Signals {
    let mut needs = Signals::NONE;
    for m in cp.users_include.iter().chain(&cp.users_exclude) {
        if user_target(ctx, m) == Tri::Unknown {
            needs = needs.union(user_target_needs(m));
        }
    }
    needs
}

/// The locations condition as [`locations`] decides it, without the reason.
fn locations_fast(ctx: &Ctx<'_, '_>, inc: &[LocM], exc: &[LocM]) -> (Tri, Signals) {
    let mut needs = Signals::NONE;
    let mut side = |list: &[LocM]| {
        let mut out = Tri::No;
        for l in list {
            let (t, n) = location(ctx.c, &ctx.net, *l);
            if t == Tri::Unknown {
                needs = needs.union(n);
            }
            out = out.or(t);
        }
        out
    };
    let i = side(inc);
    if i == Tri::No {
        return (Tri::No, Signals::NONE);
    }
    let t = i.and(side(exc).negate());
    (
        t,
        if t == Tri::Unknown {
            needs
        } else {
            Signals::NONE
        },
    )
}

/// `client_apps = [...]`: the request's client app is listed.
pub(crate) fn client_app_matches(mask: u8, client: ClientApp) -> Tri {
    Tri::from_bool(mask & client_bit(client) != 0)
}

/// `sign_in_risk` / `user_risk`: the request's level is listed.
pub(crate) fn risk_matches(mask: u8, level: RiskLevel) -> Tri {
    Tri::from_bool(mask & risk_bit(level) != 0)
}

/// `insider_risk`: `none` is no member of the condition's flags (§1.10): such a user is out of
/// scope. It is the request's default, not a missing signal, as in the What-If API (§2.5).
pub(crate) fn insider_matches(mask: u8, level: InsiderRiskLevel) -> Tri {
    let bit = level.level().map_or(0, insider_bit);
    Tri::from_bool(mask & bit != 0)
}

/// `auth_flows`: a sign-in without a special flow matches no listed flow.
pub(crate) fn flow_matches(mask: u8, flow: Flow) -> Tri {
    let bit = match flow {
        Flow::None => 0,
        Flow::DeviceCode => flow_bit(AuthFlow::DeviceCode),
        Flow::AuthTransfer => flow_bit(AuthFlow::AuthTransfer),
    };
    Tri::from_bool(mask & bit != 0)
}

/// The guest/external user types that describe the user, as a mask over `external_bit`.
///
/// Users without an Entra home tenant (`kind: other`: social, one-time passcode, federation)
/// are the `other_external` segment, but Microsoft classifies such an account with a guest
/// object as `b2bCollaborationGuest` (§6.3); they match `other_external` and, by userType,
/// `b2b_guest` or `b2b_member` (more policies apply: fail closed).
fn external_types(ctx: &Ctx<'_, '_>) -> u8 {
    kind_external_bits(ctx.class.kind, ctx.r.request.user.user_type)
}

/// [`external_types`] of a user of this segment and user type.
pub(crate) fn kind_external_bits(kind: UserKind, user_type: UserType) -> u8 {
    match kind {
        UserKind::Member => 0,
        UserKind::InternalGuest => external_bit(ExternalType::InternalGuest),
        UserKind::B2bGuest => external_bit(ExternalType::B2bGuest),
        UserKind::B2bMember => external_bit(ExternalType::B2bMember),
        UserKind::DirectConnect => external_bit(ExternalType::DirectConnect),
        UserKind::ServiceProvider => external_bit(ExternalType::ServiceProvider),
        UserKind::OtherExternal => {
            external_bit(ExternalType::OtherExternal)
                | match user_type {
                    UserType::Guest => external_bit(ExternalType::B2bGuest),
                    UserType::Member => external_bit(ExternalType::B2bMember),
                }
        }
    }
}

/// One user target. `all` covers every user, direct connect users included (§9 open point 2:
/// accord fails closed and lets more policies apply).
pub(crate) fn user_target(ctx: &Ctx<'_, '_>, t: &UserM) -> Tri {
    let r = ctx.r;
    let kind = ctx.class.kind;
    match t {
        UserM::All => Tri::Yes,
        UserM::None => Tri::No,
        UserM::GuestsOrExternal => Tri::from_bool(kind != UserKind::Member),
        UserM::User(u) => Tri::from_bool(r.user == Some(*u)),
        UserM::Group(g) => membership(r.groups.get(*g as usize), r.request.user.groups_unknown),
        UserM::Role(Some(i)) => membership(r.roles.get(*i), r.request.user.roles_unknown),
        UserM::Role(None) => Tri::Unknown,
        UserM::External { types, origin } => {
            if types & external_types(ctx) == 0 {
                return Tri::No;
            }
            // The origin filters on the home tenant; internal guests (home = resource tenant)
            // match `any` only.
            match origin {
                OriginM::Any => Tri::Yes,
                OriginM::Organization => Tri::from_bool(ctx.class.organization == OrgStatus::In),
                OriginM::Outside => Tri::from_bool(ctx.class.organization == OrgStatus::Out),
                OriginM::Tenants(list) => {
                    let home = match r.home {
                        HomeIdx::Tenant(i) => Some(i),
                        _ => None,
                    };
                    if home.is_some() && list.contains(&home) {
                        Tri::Yes
                    } else if list.contains(&None) {
                        Tri::Unknown
                    } else {
                        Tri::No
                    }
                }
            }
        }
    }
}

/// A listed membership is a fact; an unlisted one is unknown when the request says so.
fn membership(listed: bool, others_unknown: bool) -> Tri {
    match (listed, others_unknown) {
        (true, _) => Tri::Yes,
        (false, true) => Tri::Unknown,
        (false, false) => Tri::No,
    }
}

/// The signal an undecided user target waits for.
fn user_target_needs(t: &UserM) -> Signals {
    match t {
        UserM::Group(_) => Signals::GROUPS,
        UserM::Role(Some(_)) => Signals::ROLES,
        _ => Signals::UNRESOLVED,
    }
}

/// OR over a target list: the outcome and the first target that matched.
fn any_target<'a, M, T>(
    list: &[M],
    written: &'a [Spanned<T>],
    test: impl Fn(&M) -> Tri,
) -> (Tri, Option<&'a Spanned<T>>) {
    let mut out = Tri::No;
    for (i, m) in list.iter().enumerate() {
        let t = test(m);
        if t == Tri::Yes {
            return (Tri::Yes, written.get(i));
        }
        out = out.or(t);
    }
    (out, None)
}

fn users<'a>(
    ctx: &Ctx<'a, '_>,
    cp: &CompiledPolicy,
    policy: &'a crate::model::Policy,
) -> (Tri, Signals, UsersReason<'a>) {
    let (inc, included_by) = any_target(&cp.users_include, &policy.users.include, |t| {
        user_target(ctx, t)
    });
    let (exc, excluded_by) = any_target(&cp.users_exclude, &policy.users.exclude, |t| {
        user_target(ctx, t)
    });
    let t = inc.and(exc.negate());
    let needs = if t == Tri::Unknown {
        users_needs(ctx, cp)
    } else {
        Signals::NONE
    };
    (
        t,
        needs,
        UsersReason {
            included_by,
            excluded_by,
        },
    )
}

fn apps<'a>(
    ctx: &Ctx<'a, '_>,
    cp: &CompiledPolicy,
    policy: &'a crate::model::Policy,
) -> (Tri, AppsReason<'a>) {
    let app = ctx.r.app;
    let test = |m: &AppM| Tri::from_bool(m.matches(app));
    let (inc, included_by) = any_target(&cp.apps_include, &policy.apps.include, test);
    let (exc, excluded_by) = any_target(&cp.apps_exclude, &policy.apps.exclude, test);
    (
        inc.and(exc.negate()),
        AppsReason {
            included_by,
            excluded_by,
        },
    )
}

/// `include(...)` with `all` covers every platform, even an unknown one.
pub(crate) fn platforms(inc: u8, exc: u8, platform: Option<Platform>) -> Tri {
    let all = platform_bit(Platform::All);
    let test = |mask: u8| -> Tri {
        if mask & all != 0 {
            return Tri::Yes;
        }
        if mask == 0 {
            return Tri::No;
        }
        match platform {
            Some(p) => Tri::from_bool(mask & platform_bit(p) != 0),
            None => Tri::Unknown,
        }
    };
    test(inc).and(test(exc).negate())
}

/// One location reference, with the signals an `Unknown` needs. Reads only the pack and the
/// request's network signals (`net`).
pub(crate) fn location(c: &Compiled, net: &Net, l: LocM) -> (Tri, Signals) {
    match l {
        // `all` is any address on the Internet: no signal needed.
        LocM::All => (Tri::Yes, Signals::NONE),
        // The legacy MFA trusted IPs list is not part of a pack: accord treats it as empty.
        LocM::MfaTrustedIps => (Tri::No, Signals::NONE),
        LocM::Unresolved => (Tri::Unknown, Signals::UNRESOLVED),
        // Global Secure Access's compliant network: the request says whether the sign-in came
        // through it; when it does not, the condition is unknown.
        LocM::CompliantNetwork => match net.compliant_network {
            Some(through) => (Tri::from_bool(through), Signals::NONE),
            None => (Tri::Unknown, Signals::COMPLIANT_NETWORK),
        },
        LocM::Named(i) => {
            if net.loc_known.get(i) {
                return (Tri::from_bool(net.loc_in.get(i)), Signals::NONE);
            }
            match c.locations.get(i).map(|l| &l.table) {
                Some(LocationTable::Ip { .. }) if net.ip.is_none() => (Tri::Unknown, Signals::IP),
                Some(LocationTable::Countries { .. }) => (Tri::Unknown, Signals::COUNTRY),
                _ => (Tri::Unknown, Signals::UNRESOLVED),
            }
        }
        LocM::AllTrusted => {
            let mut out = Tri::No;
            let mut needs = Signals::NONE;
            for (i, info) in c.locations.iter().enumerate() {
                if info.trusted {
                    let (t, n) = location(c, net, LocM::Named(i));
                    if t == Tri::Unknown {
                        needs = needs.union(n);
                    }
                    out = out.or(t);
                }
            }
            (
                out,
                if out == Tri::Unknown {
                    needs
                } else {
                    Signals::NONE
                },
            )
        }
    }
}

fn locations<'a>(
    ctx: &Ctx<'a, '_>,
    inc: &[LocM],
    exc: &[LocM],
    policy: &'a crate::model::Policy,
) -> (Tri, Signals, LocationsReason<'a>) {
    let (written_inc, written_exc) = policy
        .conditions
        .locations
        .as_ref()
        .map(|l| (&l.include[..], &l.exclude[..]))
        .unwrap_or((&[], &[]));
    let mut needs = Signals::NONE;
    let mut side = |list: &[LocM], written: &'a [Spanned<crate::model::LocationRef>]| {
        let mut out = Tri::No;
        let mut by = None;
        for (i, l) in list.iter().enumerate() {
            let (t, n) = location(ctx.c, &ctx.net, *l);
            if t == Tri::Yes && by.is_none() {
                by = written.get(i);
            }
            if t == Tri::Unknown {
                needs = needs.union(n);
            }
            out = out.or(t);
        }
        (out, by)
    };
    let (i, included_by) = side(inc, written_inc);
    let (e, excluded_by) = side(exc, written_exc);
    let t = i.and(e.negate());
    (
        t,
        if t == Tri::Unknown {
            needs
        } else {
            Signals::NONE
        },
        LocationsReason {
            included_by,
            excluded_by,
            ip: ctx.net.ip,
            country: ctx.net.country,
        },
    )
}

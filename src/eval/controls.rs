//! Grant controls: satisfied, challenge (interactive, now, and where), unsatisfiable, or block.
//! The external-user rules are §4.4 (support matrix, trust, MAM, service providers, non-Entra
//! users), §4.6 (password change) and §1.7 (legacy clients).

use super::decide::Ctx;
use super::trace::{Because, Home, Place, Status, UserKind};
use crate::model::request::{Flow, MfaPlace, Registered};
use crate::model::strength::MethodsAt;
use crate::model::{AuthStrength, Control};

/// The status of one grant control for this request, why, and the tenant a challenge happens in.
pub(crate) fn status<'a>(ctx: &Ctx<'a, '_>, control: &'a Control) -> (Status, Because<'a>) {
    let req = ctx.r.request;
    if *control == Control::Block {
        return (Status::Block, Because::Block);
    }
    if req.client_app.is_legacy() {
        return (Status::Unsatisfiable, Because::Legacy(req.client_app));
    }
    let resource = ctx.class.resource;
    let kind = ctx.class.kind;
    match control {
        Control::Block => (Status::Block, Because::Block),
        Control::Mfa => mfa(ctx),
        Control::AuthStrength(s) => strength(ctx, s),
        Control::CompliantDevice => device(ctx, "compliant", req.device.compliant, |t| {
            t.compliant_device
        }),
        Control::HybridJoined => device(ctx, "hybrid joined", req.device.hybrid_joined, |t| {
            t.hybrid_joined
        }),
        Control::ApprovedApp | Control::AppProtection => {
            if kind.is_external() {
                return (Status::Unsatisfiable, Because::MamExternal { resource });
            }
            let (ok, what) = if *control == Control::ApprovedApp {
                (req.device.approved_app, "an approved client app")
            } else {
                (
                    req.device.app_protection,
                    "protected by an app protection policy",
                )
            };
            if ok {
                (Status::Satisfied, Because::MamOk)
            } else {
                (Status::Unsatisfiable, Because::MamMissing { what })
            }
        }
        Control::PasswordChange => {
            if kind.is_external() {
                (
                    Status::Unsatisfiable,
                    Because::PasswordExternal { resource },
                )
            } else {
                (
                    Status::Challenge(Place::Resource),
                    Because::PasswordChangeNow,
                )
            }
        }
        Control::TermsOfUse(name) => {
            if kind == UserKind::DirectConnect {
                (
                    Status::Unsatisfiable,
                    Because::DirectConnectUnsupported {
                        what: "terms of use",
                        resource,
                    },
                )
            } else if req.auth.terms_accepted.iter().any(|t| t == name) {
                (Status::Satisfied, Because::TermsAccepted)
            } else {
                (
                    Status::Challenge(Place::Resource),
                    Because::TermsNeeded { resource },
                )
            }
        }
        Control::Custom(_) => {
            if kind.is_external() {
                (Status::Unsatisfiable, Because::CustomExternal)
            } else {
                (Status::Challenge(Place::Resource), Because::CustomNeeded)
            }
        }
    }
}

/// The home tenant's name for messages.
pub(crate) fn home_name<'a>(ctx: &Ctx<'a, '_>) -> &'a str {
    match ctx.class.home {
        Home::Resource(n) | Home::Declared(n) | Home::Undeclared(n) => n,
        Home::NoEntra => "the user's identity provider",
    }
}

fn mfa<'a>(ctx: &Ctx<'a, '_>) -> (Status, Because<'a>) {
    let done = ctx.r.request.auth.mfa;
    let resource = ctx.class.resource;
    let home = home_name(ctx);
    let trust = ctx.class.trust;
    let trusted = trust.is_some_and(|t| t.mfa);
    let source = trust
        .map(|t| t.source)
        .unwrap_or(super::trace::Source::ServiceDefault);
    match ctx.class.kind {
        UserKind::Member | UserKind::InternalGuest => {
            if done == MfaPlace::None {
                (
                    Status::Challenge(Place::Resource),
                    Because::MfaNeededHere { resource },
                )
            } else {
                (Status::Satisfied, Because::MfaDoneHere { resource })
            }
        }
        UserKind::B2bGuest | UserKind::B2bMember => match (done, trusted) {
            (MfaPlace::Resource, _) => (Status::Satisfied, Because::MfaDoneHere { resource }),
            (MfaPlace::Home, true) => (Status::Satisfied, Because::MfaHomeTrusted { home, source }),
            (MfaPlace::Home, false) => (
                Status::Challenge(Place::Resource),
                Because::MfaHomeNotTrusted {
                    home,
                    source,
                    resource,
                },
            ),
            (MfaPlace::None, true) => (
                Status::Challenge(Place::Home),
                Because::MfaNoneTrusted { home, source },
            ),
            (MfaPlace::None, false) => (
                Status::Challenge(Place::Resource),
                Because::MfaNoneNotTrusted { source, resource },
            ),
        },
        // Direct connect users have no account in the resource tenant: no MFA there (§4.4).
        UserKind::DirectConnect => match (done, trusted) {
            (_, false) => (
                Status::Unsatisfiable,
                Because::DirectConnectNoMfaTrust { source, resource },
            ),
            (MfaPlace::Home, true) => (Status::Satisfied, Because::MfaHomeTrusted { home, source }),
            (_, true) => (
                Status::Challenge(Place::Home),
                Because::MfaNoneTrusted { home, source },
            ),
        },
        // GDAP: MFA is done at home and always accepted, whatever the trust setting (§4.4).
        UserKind::ServiceProvider => {
            if done == MfaPlace::None {
                (
                    Status::Challenge(Place::Home),
                    Because::ServiceProviderMfaNeeded { home },
                )
            } else {
                (Status::Satisfied, Because::ServiceProviderMfaDone { home })
            }
        }
        // Non-Entra users always do MFA in the resource tenant (§4.4).
        UserKind::OtherExternal => {
            if done == MfaPlace::Resource {
                (
                    Status::Satisfied,
                    Because::OtherExternalMfa {
                        done: true,
                        resource,
                    },
                )
            } else {
                (
                    Status::Challenge(Place::Resource),
                    Because::OtherExternalMfa {
                        done: false,
                        resource,
                    },
                )
            }
        }
    }
}

/// An authentication strength: some allowed combination performed where it counts.
///
/// The resource tenant's own users: every method of the session counts, a missing one is
/// prompted here. External Entra users ("How Conditional Access authentication strength works
/// for external users", §4.4): methods performed at home count only through inbound MFA trust and
/// only those the home-tenant column lists; methods performed here (`auth.mfa: resource`) only
/// those the resource-tenant column lists (SMS, voice, push, software OATH). The prompt happens at
/// home with trust, here without; a strength none of whose combinations can be performed there
/// cannot be met. Users without an Entra home tenant cannot be given a strength at all (use the
/// MFA grant, same article). A custom strength the pack does not declare is never met.
fn strength<'a>(ctx: &Ctx<'a, '_>, s: &'a AuthStrength) -> (Status, Because<'a>) {
    let (name, combos) = match s {
        AuthStrength::BuiltIn(b) => (b.name(), b.combinations()),
        AuthStrength::Custom(reference) => match ctx.c.pack.strength(reference) {
            Some(def) => (def.name.value.as_str(), def.combinations()),
            None => return (Status::Unsatisfiable, Because::CustomStrength),
        },
    };
    let req = ctx.r.request;
    let methods = req.auth.methods.as_slice();
    let resource = ctx.class.resource;
    let kind = ctx.class.kind;
    let met = |combination, tenant| {
        (
            Status::Satisfied,
            Because::StrengthMet {
                strength: name,
                combination,
                tenant,
            },
        )
    };
    match kind {
        UserKind::Member | UserKind::InternalGuest => {
            return match combos.met_by(methods, MethodsAt::Anywhere) {
                Some(c) => met(c, resource),
                None => (
                    Status::Challenge(Place::Resource),
                    Because::StrengthNotMet {
                        strength: name,
                        place: resource,
                        at: MethodsAt::Anywhere,
                    },
                ),
            };
        }
        UserKind::OtherExternal => {
            return (
                Status::Unsatisfiable,
                Because::StrengthEntraOnly { resource },
            )
        }
        UserKind::B2bGuest
        | UserKind::B2bMember
        | UserKind::DirectConnect
        | UserKind::ServiceProvider => {}
    }
    let home = home_name(ctx);
    let trust = ctx.class.trust;
    // GDAP: home MFA is always accepted, whatever the trust setting (§4.4).
    let trusted = kind == UserKind::ServiceProvider || trust.is_some_and(|t| t.mfa);
    // Direct connect and service-provider users have no MFA registration here.
    let done_here = req.auth.mfa == MfaPlace::Resource
        && matches!(kind, UserKind::B2bGuest | UserKind::B2bMember);
    if done_here {
        if let Some(c) = combos.met_by(methods, MethodsAt::Resource) {
            return met(c, resource);
        }
    } else if trusted {
        if let Some(c) = combos.met_by(methods, MethodsAt::Home) {
            return met(c, home);
        }
    }
    if kind == UserKind::DirectConnect && !trusted {
        let source = trust
            .map(|t| t.source)
            .unwrap_or(super::trace::Source::ServiceDefault);
        return (
            Status::Unsatisfiable,
            Because::DirectConnectNoMfaTrust { source, resource },
        );
    }
    let (place, at, tenant) = if trusted {
        (Place::Home, MethodsAt::Home, home)
    } else {
        (Place::Resource, MethodsAt::Resource, resource)
    };
    if combos.possible_at(at) {
        (
            Status::Challenge(place),
            Because::StrengthNotMet {
                strength: name,
                place: tenant,
                at,
            },
        )
    } else {
        (
            Status::Unsatisfiable,
            Because::StrengthUnreachable {
                strength: name,
                place: tenant,
                at,
            },
        )
    }
}

/// `compliant_device` / `hybrid_joined`: internal users need the device registered in the
/// resource tenant; external users need a home-tenant claim the partner settings trust (§4.4).
fn device<'a>(
    ctx: &Ctx<'a, '_>,
    claim: &'static str,
    flag: bool,
    trusted: impl Fn(&super::trace::TrustView<'_>) -> bool,
) -> (Status, Because<'a>) {
    let req = ctx.r.request;
    let resource = ctx.class.resource;
    if req.auth.flow == Flow::DeviceCode {
        return (Status::Unsatisfiable, Because::DeviceCodeFlow);
    }
    let registered = req.device.registered;
    match ctx.class.kind {
        UserKind::Member | UserKind::InternalGuest => {
            if registered == Registered::None {
                (
                    Status::Unsatisfiable,
                    Because::DeviceNotRegisteredHere {
                        resource,
                        registered,
                    },
                )
            } else if flag {
                (
                    Status::Satisfied,
                    Because::DeviceOk {
                        claim,
                        tenant: resource,
                    },
                )
            } else {
                (
                    Status::Unsatisfiable,
                    Because::DeviceMissing {
                        claim,
                        tenant: resource,
                    },
                )
            }
        }
        UserKind::OtherExternal => (
            Status::Unsatisfiable,
            Because::DeviceOtherExternal { resource },
        ),
        _ => {
            let trust = ctx.class.trust;
            let home = home_name(ctx);
            match trust {
                Some(t) if trusted(&t) => {
                    if registered != Registered::Home {
                        (
                            Status::Unsatisfiable,
                            Because::DeviceNotFromHome {
                                claim,
                                home,
                                registered,
                            },
                        )
                    } else if flag {
                        (
                            Status::Satisfied,
                            Because::DeviceOk {
                                claim,
                                tenant: home,
                            },
                        )
                    } else {
                        (
                            Status::Unsatisfiable,
                            Because::DeviceMissing {
                                claim,
                                tenant: home,
                            },
                        )
                    }
                }
                _ => (
                    Status::Unsatisfiable,
                    Because::DeviceNotTrusted {
                        claim,
                        source: trust
                            .map(|t| t.source)
                            .unwrap_or(super::trace::Source::ServiceDefault),
                        resource,
                    },
                ),
            }
        }
    }
}

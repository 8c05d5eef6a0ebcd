//! The device-filter condition (§1.11), behind one function the device-filter evaluator plugs
//! into. Until the parsed filter (`DeviceCondition::filter`) and
//! `crate::eval::device_filter::matches` land, a condition whose filter is `None` cannot be
//! decided: it is `Unknown`, and the decision fails closed (the policy counts as applying).

use super::decide::Ctx;
use super::trace::{Tri, UserKind};
use crate::model::request::Registered;
use crate::model::DeviceCondition;

/// Whether the resource tenant sees the device's properties: for internal users when the device
/// is registered, for external users only when it is registered in their home tenant and the
/// partner settings trust a device claim (§1.11: "device attributes come from the home tenant
/// only when the resource tenant trusts device claims"). Otherwise the device is seen as
/// unregistered: every property null.
pub(crate) fn attributes_visible(ctx: &Ctx<'_, '_>) -> bool {
    let device = &ctx.r.request.device;
    match ctx.class.kind {
        UserKind::Member | UserKind::InternalGuest => device.registered != Registered::None,
        UserKind::OtherExternal => false,
        _ => {
            device.registered == Registered::Home
                && ctx
                    .class
                    .trust
                    .is_some_and(|t| t.compliant_device || t.hybrid_joined)
        }
    }
}

/// Whether the device condition puts the request in scope (mode applied: `include` = the
/// filter matches, `exclude` = it does not).
///
/// To wire the evaluator: with `Some(filter)`, compute
/// `let attrs = attributes_visible(ctx).then(|| /* DeviceAttributes from
/// ctx.r.request.device.attributes and the compliant/registered flags */);`
/// then `let m = crate::eval::device_filter::matches(filter, attrs.as_ref());` and return
/// `Tri::from_bool(m == (cond.mode.value == FilterMode::Include))`.
pub(crate) fn device_condition_matches(cond: &DeviceCondition, ctx: &Ctx<'_, '_>) -> Tri {
    let _ = attributes_visible(ctx);
    match &cond.filter {
        None => Tri::Unknown,
        Some(_filter) => Tri::Unknown,
    }
}

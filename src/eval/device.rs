//! The device-filter condition (§1.11): which device properties the resource tenant sees, and
//! whether the policy's filter puts the request in scope.

use super::decide::Ctx;
use super::trace::{Tri, UserKind};
use crate::eval::device_filter::{matches, DeviceAttributes};
use crate::model::device_filter::{DeviceFilter, DeviceProperty};
use crate::model::request::Registered;
use crate::model::{DeviceCondition, FilterMode};

/// The filter over a device whose unstated properties are unknown (not null): Kleene logic,
/// so `a -or b` with `b` true is true whatever `a` is. `isCompliant` is always known
/// (`device.compliant`). `ext_null`: the extension attributes are known to be null (an unmanaged
/// device, see `resolve`), not unknown.
fn partial_match(filter: &DeviceFilter, attrs: &DeviceAttributes, ext_null: bool) -> Tri {
    match filter {
        DeviceFilter::And(parts) => parts
            .iter()
            .fold(Tri::Yes, |t, p| t.and(partial_match(p, attrs, ext_null))),
        DeviceFilter::Or(parts) => parts
            .iter()
            .fold(Tri::No, |t, p| t.or(partial_match(p, attrs, ext_null))),
        DeviceFilter::Comparison(c) => {
            if c.property == DeviceProperty::IsCompliant
                || attrs.states(c.property)
                || (ext_null && c.property.is_extension_attribute())
            {
                Tri::from_bool(matches(filter, Some(attrs)))
            } else {
                Tri::Unknown
            }
        }
    }
}

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
/// filter matches, `exclude` = it does not). A device the resource tenant cannot see is
/// unregistered: every property is null (§1.11). `isCompliant` comes from `device.compliant`
/// unless the request's attributes state it.
pub(crate) fn device_condition_matches(cond: &DeviceCondition, ctx: &Ctx<'_, '_>) -> Tri {
    // A rule that did not parse never reaches here (the pack would not validate); fail closed
    // all the same.
    let Some(filter) = &cond.filter else {
        return Tri::Unknown;
    };
    let device = &ctx.r.request.device;
    let visible = attributes_visible(ctx);
    if device.attributes_partial && visible {
        let ext_null = !super::resolve::extension_attributes_seen(device);
        let t = partial_match(filter, &ctx.r.device, ext_null);
        return match cond.mode.value {
            FilterMode::Include => t,
            FilterMode::Exclude => t.negate(),
        };
    }
    let matched = matches(filter, visible.then_some(&ctx.r.device));
    Tri::from_bool(matched == (cond.mode.value == FilterMode::Include))
}

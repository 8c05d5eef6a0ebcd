//! `chat:` requests: find, chat, call, or a shared channel.
//!
//! | account | action | rules, in order |
//! |---|---|---|
//! | `work` | `find`, `chat`, `call` | `teams_external_access`, `teams_external_domain`; for a chat or call they start: `teams_discovered_partners_unverified` |
//! | `work` | `shared_channel` | `shared_channel_cross_tenant` (the B2B direct connect gate) |
//! | `consumer` | `find`, `chat` | `teams_consumer`; started by them (a search is): `teams_consumer_inbound` |
//! | `consumer` | `call` | denied: `teams_consumer_chat_only` |
//! | `guest` | `find`, `chat`, `call` | the `share: teams` rules for an existing guest |
//!
//! Anything else (`member`, `anonymous`, `dial_in`, a guest or consumer in a shared channel) is
//! `request_invalid`.

use super::super::services::{external_access, switch};
use super::super::trace::{Flow, ShareRule, Trace};
use super::{guest_access, person, Mechanism, TeamsCtx};
use crate::model::catalog::FirstPartyApp;
use crate::model::request::{AccessKind, AppRef, Request, RequestDoc, UserDoc};
use crate::model::teams::{ChatAction, ChatRequest, StartedBy, TeamsAccount};
use crate::model::Access;

/// Records the decision's steps; returns the mechanism the request goes through.
pub(super) fn decide(
    ctx: &TeamsCtx<'_>,
    req: &ChatRequest,
    trace: &mut Trace,
) -> Option<Mechanism> {
    let mechanism = mechanism(req);
    let Some(m) = mechanism else {
        let why = match req.account {
            TeamsAccount::Member => "`account: member` is one of our users: a chat inside the organization is not external".to_string(),
            TeamsAccount::Anonymous | TeamsAccount::DialIn => format!(
                "`account: {}` applies to meeting requests only: a chat needs a Teams account (work, consumer or guest)",
                req.account.name()
            ),
            _ => format!(
                "a shared channel takes people of another Entra tenant through B2B direct connect, not a `{}` account: ask with `account: work`",
                req.account.name()
            ),
        };
        let _ = trace.fail(ShareRule::RequestInvalid, why, None);
        return None;
    };
    let _ = match m {
        Mechanism::DirectConnect => shared_channel(ctx, req, trace),
        Mechanism::GuestAccess => guest_access(ctx, &req.with, trace),
        _ if req.account == TeamsAccount::Consumer => consumer(ctx, req, trace),
        _ => federated(ctx, req, trace),
    };
    mechanism
}

fn mechanism(req: &ChatRequest) -> Option<Mechanism> {
    match (req.account, req.action) {
        (TeamsAccount::Work, ChatAction::SharedChannel) => Some(Mechanism::DirectConnect),
        (_, ChatAction::SharedChannel) => None,
        (TeamsAccount::Work | TeamsAccount::Consumer, _) => Some(Mechanism::ExternalAccess),
        (TeamsAccount::Guest, _) => Some(Mechanism::GuestAccess),
        (TeamsAccount::Member | TeamsAccount::Anonymous | TeamsAccount::DialIn, _) => None,
    }
}

/// Who starts it: a search is always theirs.
fn inbound(req: &ChatRequest) -> bool {
    req.action == ChatAction::Find || req.started_by == StartedBy::Them
}

/// A work account in another tenant: federation, then unverified discovered partners.
fn federated(ctx: &TeamsCtx<'_>, req: &ChatRequest, trace: &mut Trace) -> Flow {
    let (address, home) = person(ctx, &req.with, false, trace)?;
    let pack = &ctx.compiled.pack;
    if let (Some(h), Some(r)) = (home, pack.resource_tenant()) {
        if let Ok(org) = super::super::recipient::shared_organization(pack, Some(r), h) {
            trace.note(
                ShareRule::InOrganizationMember,
                format!(
                    "`{}` is active with us in organization `{}`; chat and calls across the organization's tenants still go through external access (§5.4)",
                    h.name.value, org.name.value
                ),
                None,
            );
        }
    }
    external_access(&ctx.settings, &address.domain, trace)?;
    if req.action == ChatAction::Find || !inbound(req) {
        return Ok(());
    }
    discovered_partners(ctx, req, &address.domain, trace)
}

/// `TreatDiscoveredPartnersAsUnverified`: with open federation (no allow list) a domain is a
/// discovered partner, and its messages reach our user only from someone in their contacts.
/// The documentation speaks of messages; accord holds calls to the same rule (fail closed).
fn discovered_partners(
    ctx: &TeamsCtx<'_>,
    req: &ChatRequest,
    domain: &str,
    trace: &mut Trace,
) -> Flow {
    let setting = ctx.settings.teams_discovered_unverified;
    let key = "teams discovered_partners_unverified";
    let shown = setting.describe(key, super::super::settings::on_off);
    let rule = ShareRule::TeamsDiscoveredPartners;
    if !setting.value {
        trace.pass(
            rule,
            format!("{shown}: messages from discovered partners are delivered"),
            setting.at,
        );
        return Ok(());
    }
    let listed = ctx
        .settings
        .teams_external_domains
        .iter()
        .any(|l| l.access.value == Access::Allow);
    if listed {
        trace.pass(
            rule,
            format!("{shown}, but `{domain}` is an allowed domain, not a discovered partner"),
            setting.at,
        );
        return Ok(());
    }
    if req.in_contacts {
        trace.pass(
            rule,
            format!("{shown}: `{domain}` is a discovered partner, and the sender is in our user's contacts"),
            setting.at,
        );
        return Ok(());
    }
    Err(trace.fail(
        rule,
        format!(
            "{shown}: `{domain}` is a discovered partner (open federation, no allow list), so its {} reaches our user only from someone in their contacts",
            if req.action == ChatAction::Call { "call" } else { "messages" }
        ),
        setting.at,
    ))
}

/// A Teams account not managed by an organization: chat only, and they start it only with
/// `AllowTeamsConsumerInbound`.
fn consumer(ctx: &TeamsCtx<'_>, req: &ChatRequest, trace: &mut Trace) -> Flow {
    let (address, _) = person(ctx, &req.with, false, trace)?;
    switch(
        trace,
        ShareRule::TeamsConsumer,
        ctx.settings.teams_consumer,
        "teams consumer",
        "our users cannot communicate with Teams accounts not managed by an organization",
        true,
    )?;
    if inbound(req) {
        let effect = if req.action == ChatAction::Find {
            "people with unmanaged Teams accounts cannot discover our users"
        } else {
            "people with unmanaged Teams accounts cannot start a conversation; only our users can"
        };
        switch(
            trace,
            ShareRule::TeamsConsumerInbound,
            ctx.settings.teams_consumer_inbound,
            "teams consumer_inbound",
            effect,
            false,
        )?;
    }
    if req.action == ChatAction::Call {
        return Err(trace.fail(
            ShareRule::TeamsConsumerChatOnly,
            format!(
                "`{}` has a Teams account not managed by an organization: external access with such accounts is chat only",
                address.text
            ),
            None,
        ));
    }
    Ok(())
}

/// Shared channels: the cross-tenant gate of `eval::decide` for a B2B direct connect user of the
/// person's home tenant reaching Teams. Conditional Access then applies at sign-in (ask `accord
/// whatif` with `kind: direct_connect` for it).
fn shared_channel(ctx: &TeamsCtx<'_>, req: &ChatRequest, trace: &mut Trace) -> Flow {
    let (address, home) = person(ctx, &req.with, false, trace)?;
    let doc = RequestDoc {
        user: Some(UserDoc {
            name: Some(address.text.clone()),
            home: Some(home.map_or(address.domain.clone(), |t| t.name.value.clone())),
            kind: Some(AccessKind::DirectConnect),
            ..UserDoc::default()
        }),
        app: Some(AppRef::Named(FirstPartyApp::Teams)),
        ..RequestDoc::default()
    };
    let rule = ShareRule::SharedChannelCrossTenant;
    let evaluation = Request::from_doc(&doc)
        .map_err(|e| e.message)
        .and_then(|r| {
            crate::eval::decide(ctx.compiled, &r)
                .map(|e| (e.trace.gate.allows(), e.trace.gate.to_string()))
                .map_err(|e| e.message)
        });
    match evaluation {
        Ok((true, gate)) => {
            trace.grant(
                rule,
                format!("cross-tenant B2B direct connect gate {gate}"),
                None,
            );
            Ok(())
        }
        Ok((false, gate)) => Err(trace.fail(
            rule,
            format!("cross-tenant B2B direct connect gate {gate}"),
            None,
        )),
        Err(why) => Err(trace.fail(
            rule,
            format!("the cross-tenant gate cannot decide: {why}"),
            None,
        )),
    }
}

//! MTO007: cross-tenant synchronization is allowed in from a partner whose users inbound B2B
//! collaboration blocks.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::facts::{allows_some, own_or_default};
use crate::lint::{Context, Rule};
use crate::model::{B2bKind, Direction};

pub static RULE: Rule = Rule {
    code: "MTO007",
    name: "sync_into_blocked_collaboration",
    severity: Severity::Warning,
    summary: "users may be synchronized in from a partner whose inbound B2B collaboration is blocked for everyone",
    explanation: "`user_sync inbound` (Graph `identitySynchronization.userSyncInbound.isSyncAllowed`, \
§4.5) lets the partner's cross-tenant synchronization create and update users here. Those users \
are B2B collaboration users (§5.4): when they sign in, the inbound B2B collaboration settings for \
their home tenant apply like for any invited guest (§4.2). A partner whose block (or, without \
one, the default) blocks inbound B2B collaboration for every user gets accounts here that can \
never sign in: the synchronization runs, licences and address lists fill up, and nobody can \
use the accounts. One of the two settings is usually stale.",
    fires: r#"tenant fabrikam { }
cross_tenant default { inbound b2b_collaboration = block }
cross_tenant fabrikam { user_sync inbound }"#,
    quiet: r#"tenant fabrikam { }
cross_tenant default { inbound b2b_collaboration = block }
cross_tenant fabrikam { inbound b2b_collaboration = allow  user_sync inbound }"#,
    fix: "allow inbound B2B collaboration from the partner (at least for the synchronized users), \
or remove `user_sync inbound`",
    check,
};

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for block in &ctx.pack.cross_tenant {
        let (Some(name), Some(span)) = (block.tenant_name(), block.user_sync_inbound) else {
            continue;
        };
        let found = own_or_default(
            ctx.facts.default,
            block,
            name,
            Direction::Inbound,
            B2bKind::B2bCollaboration,
        );
        let Some((rule, whose)) = found else {
            continue;
        };
        if allows_some(&rule.setting) {
            continue;
        }
        out.push(
            RULE.finding(format!(
                "users of `{name}` may be synchronized in, but {whose} blocks inbound B2B collaboration for all of them"
            ))
            .at(span)
            .label(rule.span, "inbound B2B collaboration blocked here")
            .help("synchronized users are B2B collaboration users: allow them in, or stop the synchronization"),
        );
    }
}

//! Lowering of the `teams ...` statements of a `sharing` block: guest access, external access
//! (federation), Teams consumer accounts and meeting policies' lobby settings.

use super::{Lowering, P};
use crate::model::*;
use crate::syntax::Rule;

impl Lowering<'_> {
    /// One `teams ...` statement into the sharing block.
    pub(super) fn teams(&mut self, pair: P<'_>, sh: &mut Sharing) {
        for t in pair.into_inner() {
            if let Some((slot, key)) = switch_slot(sh, t.as_rule()) {
                let v = self.on_off(t);
                Self::set_once(&mut self.diagnostics, slot, v, key);
                continue;
            }
            match t.as_rule() {
                Rule::k_teams => {}
                Rule::teams_external => self.teams_external(t, sh),
                Rule::teams_meeting => {
                    let policy = self.meeting_policy(t);
                    sh.teams_meetings.push(policy);
                }
                _ => self.unexpected(&t),
            }
        }
    }

    /// `external_access = on|off` or `external_access allow|block [...]`.
    fn teams_external(&mut self, t: P<'_>, sh: &mut Sharing) {
        let ts = self.span(&t);
        let mut access = None;
        for x in t.into_inner() {
            match x.as_rule() {
                Rule::k_external_access => {}
                Rule::on_off => {
                    let v = self.on_off_value(&x);
                    Self::set_once(
                        &mut self.diagnostics,
                        &mut sh.teams_external_enabled,
                        v,
                        "teams external_access",
                    );
                }
                Rule::access => access = Some(self.access(&x)),
                Rule::string_list => {
                    let domains = self.strings(x);
                    if let Some(access) = access.take() {
                        sh.teams_external_domains.push(DomainList {
                            access,
                            domains,
                            span: ts,
                        });
                    }
                }
                _ => self.unexpected(&x),
            }
        }
    }

    /// `meeting ["Name"] { lobby_bypass = ...  anonymous_join = on|off  dial_in_bypass = on|off }`.
    fn meeting_policy(&mut self, t: P<'_>) -> MeetingPolicy {
        let mut policy = MeetingPolicy {
            name: None,
            lobby_bypass: None,
            anonymous_join: None,
            dial_in_bypass: None,
            span: self.span(&t),
        };
        let lobbies: Vec<(&str, LobbyBypass)> =
            LobbyBypass::ALL.iter().map(|l| (l.name(), *l)).collect();
        for x in t.into_inner() {
            match x.as_rule() {
                Rule::k_meeting => {}
                Rule::string => policy.name = Some(self.string(&x)),
                Rule::mt_lobby => {
                    let span = self.span(&x);
                    let v = x.into_inner().find(|v| v.as_rule() == Rule::ident);
                    let value = v.and_then(|v| self.choice(&v, "lobby setting", &lobbies));
                    match (&policy.lobby_bypass, value) {
                        (Some(first), Some(_)) => {
                            let first = first.span;
                            self.duplicate("lobby_bypass", span, first);
                        }
                        (None, value) => policy.lobby_bypass = value,
                        (Some(_), None) => {}
                    }
                }
                Rule::mt_anonymous => {
                    let v = self.on_off(x);
                    Self::set_once(
                        &mut self.diagnostics,
                        &mut policy.anonymous_join,
                        v,
                        "anonymous_join",
                    );
                }
                Rule::mt_dial_in => {
                    let v = self.on_off(x);
                    Self::set_once(
                        &mut self.diagnostics,
                        &mut policy.dial_in_bypass,
                        v,
                        "dial_in_bypass",
                    );
                }
                _ => self.unexpected(&x),
            }
        }
        policy
    }
}

/// The slot and name of a `teams x = on|off` switch.
fn switch_slot(sh: &mut Sharing, rule: Rule) -> Option<(&mut Option<Spanned<bool>>, &'static str)> {
    Some(match rule {
        Rule::teams_guest => (&mut sh.teams_guest_access, "teams guest_access"),
        Rule::teams_consumer => (&mut sh.teams_consumer, "teams consumer"),
        Rule::teams_consumer_inbound => (&mut sh.teams_consumer_inbound, "teams consumer_inbound"),
        Rule::teams_discovered => (
            &mut sh.teams_discovered_unverified,
            "teams discovered_partners_unverified",
        ),
        _ => return None,
    })
}

//! Replaying one chunk of records: parse, map, decide with the pack (and the baseline),
//! compare with the log, count.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;

use super::directory::Directory;
use super::fields::{Cell, Text};
use super::frame::Framer;
use super::map::{self, Context, Mapped, Notes, SkipReason};
use super::outcome::{self, Logged};
use super::read::{Body, Chunk};
use super::record::SignIn;
use super::summary::{decision_index, Issue, PolicyStats, Row, Summary, MAX_SAMPLES};
use crate::eval::{self, Compiled, Decision, Options, PolicyResult, Tri};
use crate::model::request::{AppRef, Request};
use crate::model::PolicyState;

/// Which sign-ins become rows (for `--format csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rows {
    /// None (text, JSON and Markdown keep samples only).
    #[default]
    None,
    Changed,
    All,
}

/// Everything replaying needs, shared by the workers.
pub struct Engine<'a> {
    pub pack: &'a Compiled,
    pub baseline: Option<&'a Compiled>,
    pub options: Options,
    pub lenient: bool,
    pub rows: Rows,
    /// Authentication steps from the admin center's `_AuthDetails` files, by request id, for
    /// records that carry none of their own.
    pub auth_details: Option<&'a super::auth_details::AuthDetails>,
    context: Context<'a>,
    /// Lowercase tenant ids -> the pack's tenant names.
    tenant_names: HashMap<String, String>,
    /// Policy display names -> index, for the fidelity pack (exact, then lowercase).
    fidelity_names: HashMap<String, usize>,
}

/// A chunk's outcome: its counts and, in order, its rows.
pub struct ChunkResult {
    pub summary: Summary,
    pub rows: Vec<Row>,
    /// Per-record buffers, kept across the chunk's records (no allocation per record).
    scratch: Scratch,
}

#[derive(Default)]
struct Scratch {
    deciding: Vec<usize>,
    applied: Vec<(usize, Tri)>,
}

impl<'a> Engine<'a> {
    pub fn new(
        pack: &'a Compiled,
        baseline: Option<&'a Compiled>,
        directory: Option<&'a Directory>,
        options: Options,
    ) -> Engine<'a> {
        let p = pack.pack();
        let resource_tenant = p
            .resource_tenant()
            .and_then(|t| t.id.as_ref())
            .map(|id| id.value.to_ascii_lowercase());
        let mut tenant_names = HashMap::new();
        for t in &p.tenants {
            let keys =
                t.id.iter()
                    .chain(&t.domains)
                    .map(|k| k.value.to_ascii_lowercase());
            for k in keys {
                tenant_names.insert(k, t.name.value.clone());
            }
        }
        let fidelity = baseline.unwrap_or(pack);
        let mut fidelity_names = HashMap::new();
        for (i, pol) in fidelity.pack().policies.iter().enumerate() {
            let name = &pol.name.value;
            fidelity_names.entry(name.clone()).or_insert(i);
            fidelity_names.entry(name.to_lowercase()).or_insert(i);
        }
        Engine {
            pack,
            baseline,
            options,
            lenient: false,
            rows: Rows::None,
            auth_details: None,
            context: Context {
                resource_tenant,
                resource_name: p.resource_tenant().map(|t| t.name.value.clone()),
                directory,
            },
            tenant_names,
            fidelity_names,
        }
    }

    pub fn empty_summary(&self) -> Summary {
        Summary::new(
            self.pack.pack().policies.len(),
            self.baseline.map_or(0, |b| b.pack().policies.len()),
        )
    }

    /// Replays one chunk.
    pub fn chunk(&self, chunk: &Chunk) -> ChunkResult {
        let mut out = ChunkResult {
            summary: self.empty_summary(),
            rows: Vec::new(),
            scratch: Scratch::default(),
        };
        match &chunk.body {
            Body::Json {
                data,
                records,
                lines,
            } => {
                for &(s, e, line) in records {
                    self.json_record(&chunk.file, &data[s..e], line, *lines, &mut out);
                }
            }
            Body::Csv { headers, rows } => {
                for row in rows {
                    let line = row.position().map_or(0, |p| p.line());
                    let cells = headers.iter().map(String::as_str).zip(row.iter().map(Cell));
                    let map =
                        serde::de::value::MapDeserializer::<_, serde::de::value::Error>::new(cells);
                    out.summary.read += 1;
                    match SignIn::deserialize(map) {
                        Ok(s) => self.record(&chunk.file, line, s, &mut out),
                        Err(e) => self.malformed(&chunk.file, line, 1, e.to_string(), &mut out),
                    }
                }
            }
        }
        out
    }

    fn json_record(
        &self,
        file: &Arc<str>,
        bytes: &[u8],
        line: u64,
        one_line: bool,
        out: &mut ChunkResult,
    ) {
        out.summary.read += 1;
        match serde_json::from_slice::<SignIn>(bytes) {
            Ok(s) if s.page.is_some() => {
                // A list response or batch where a record was expected: its records instead.
                out.summary.read -= 1;
                let mut framer = Framer::new(bytes, line);
                let mut inner = Vec::new();
                if let Err(e) = framer.run(&mut |b, l| inner.push((b.to_vec(), l))) {
                    out.summary.read += 1;
                    let (l, c, m) = match e {
                        super::frame::FrameError::Syntax { at, message } => {
                            (at.line, at.column, message)
                        }
                        super::frame::FrameError::Io(e) => (line, 1, e.to_string()),
                    };
                    self.malformed(file, l, c, m, out);
                    return;
                }
                for (b, l) in inner {
                    // The elements themselves, not the page again.
                    match serde_json::from_slice::<SignIn>(&b) {
                        Ok(s) if s.page.is_none() => {
                            out.summary.read += 1;
                            self.record(file, l, s, out);
                        }
                        _ => self.json_record(file, &b, l, one_line, out),
                    }
                }
            }
            Ok(s) => self.record(file, line, s, out),
            Err(e) => {
                if self.lenient {
                    if let Some(v) = lenient_value(bytes) {
                        if let Ok(s) = SignIn::deserialize(&v) {
                            out.summary.lenient_accepted += 1;
                            self.record(file, line, s, out);
                            return;
                        }
                    }
                }
                let (l, c) = if one_line {
                    (line, e.column() as u64)
                } else {
                    (line + e.line().saturating_sub(1) as u64, e.column() as u64)
                };
                // serde_json's message ends with its own position in the record: the file's
                // position is given instead.
                let text = e.to_string();
                let text = match text.rfind(" at line ") {
                    Some(i) => text[..i].to_string(),
                    None => text,
                };
                let message = format!("not a valid sign-in record: {text}");
                self.malformed(file, l, c, message, out);
            }
        }
    }

    fn malformed(
        &self,
        file: &Arc<str>,
        line: u64,
        column: u64,
        message: String,
        out: &mut ChunkResult,
    ) {
        out.summary.skip(SkipReason::Malformed);
        out.summary.issue(Issue {
            file: file.to_string(),
            line,
            column,
            message,
        });
    }

    /// One parsed record.
    fn record(&self, file: &Arc<str>, line: u64, s: SignIn<'_>, out: &mut ChunkResult) {
        let mut scratch = std::mem::take(&mut out.scratch);
        scratch.deciding.clear();
        scratch.applied.clear();
        self.replay_record(file, line, s, out, &mut scratch);
        out.scratch = scratch;
    }

    fn replay_record(
        &self,
        file: &Arc<str>,
        line: u64,
        s: SignIn<'_>,
        out: &mut ChunkResult,
        scratch: &mut Scratch,
    ) {
        let mut s = s.unfold();
        if s.auth_details.0.is_none() {
            if let (Some(details), Some(id)) = (self.auth_details, &s.id) {
                if let Some(steps) = details.steps(id.as_str()) {
                    s.auth_details = super::fields::Nested(Some(steps));
                }
            }
        }
        let mut notes = Notes::default();
        let mapped = map::map(&s, &self.context, &mut notes);
        out.summary.note(&notes);
        let request = match mapped {
            Mapped::Skip(r) => {
                out.summary.skip(r);
                return;
            }
            Mapped::Replay(r) => r,
        };
        let resolved = match eval::resolve(self.pack, &request) {
            Ok(r) => r,
            Err(e) => {
                out.summary.skip(SkipReason::Undecidable);
                out.summary.undecidable.add(&e.message, 1);
                return;
            }
        };
        out.summary.replayed += 1;
        let outcome = eval::decide_fast(self.pack, &resolved, self.options);
        let decision = outcome.decision;
        out.summary.decisions[decision_index(decision)] += 1;
        if outcome.possible.len() > 1 {
            out.summary.undetermined += 1;
        }
        // Per-policy impact of the pack, and which enforced policies make the decision.
        let deciding = &mut scratch.deciding;
        let policies = &self.pack.pack().policies;
        let pack_applied = &mut scratch.applied;
        eval::policy_results(self.pack, &resolved, self.options, |i, t, r| {
            let st = &mut out.summary.policies[i];
            if t == Tri::Yes {
                st.applied += 1;
                match r {
                    PolicyResult::Block | PolicyResult::Unsatisfiable => st.blocked += 1,
                    PolicyResult::Challenge => st.challenged += 1,
                    PolicyResult::Satisfied => st.satisfied += 1,
                }
            } else {
                st.may_apply += 1;
            }
            if policies[i].state.value == PolicyState::On && r.decision() != Decision::Allow {
                deciding.push(i);
            }
            pack_applied.push((i, t));
        });
        let baseline = self.baseline.and_then(|b| {
            let r = eval::resolve(b, &request).ok()?;
            let d = eval::decide_fast(b, &r, self.options).decision;
            let mut applied = Vec::new();
            eval::policy_results(b, &r, self.options, |i, t, _| applied.push((i, t)));
            Some((d, applied))
        });
        if let Some((d, _)) = &baseline {
            out.summary.baseline_decisions[decision_index(*d)] += 1;
        }
        let logged = outcome::logged(&s);
        out.summary.logged[logged as usize] += 1;
        // Fidelity: the pack that was in force (the baseline, else the pack) against the log.
        let (fidelity_decision, fidelity_applied) = match &baseline {
            Some((d, a)) => (Some(*d), a.as_slice()),
            None if self.baseline.is_some() => (None, &[][..]),
            None => (Some(decision), pack_applied.as_slice()),
        };
        let mut disagrees = false;
        if let (Some(fd), Some(ld)) = (fidelity_decision, logged.decision()) {
            out.summary.fidelity_compared += 1;
            if fd != ld {
                disagrees = true;
                out.summary.fidelity_disagree[decision_index(fd)][decision_index(ld)] += 1;
            }
        }
        if fidelity_decision.is_some() {
            self.policy_fidelity(&s, fidelity_applied, &mut out.summary);
        }
        let reference = match &baseline {
            Some((d, _)) => Some(*d),
            None if self.baseline.is_some() => None,
            None => logged.decision(),
        };
        let changed = reference.is_some_and(|r| r != decision);
        if reference.is_some() {
            out.summary.compared += 1;
        }
        let want_row = changed
            || self.rows == Rows::All
            || (disagrees && out.summary.fidelity_samples.len() < MAX_SAMPLES);
        if !want_row {
            return;
        }
        let row = self.row(
            file,
            line,
            &s,
            &request,
            logged,
            baseline.as_ref().map(|b| b.0),
            &outcome,
            deciding,
            disagrees,
        );
        if changed {
            out.summary.changed[decision_index(decision)] += 1;
            out.summary.top_users.add(&row.user, 1);
            if !row.partner.is_empty() {
                out.summary.top_partners.add(&row.partner, 1);
            }
            out.summary.top_apps.add(&row.app, 1);
            out.summary.top_countries.add(
                if row.country.is_empty() {
                    "(none)"
                } else {
                    &row.country
                },
                1,
            );
            if out.summary.changed_samples.len() < MAX_SAMPLES {
                out.summary.changed_samples.push(row.clone());
            }
        }
        if disagrees && out.summary.fidelity_samples.len() < MAX_SAMPLES {
            out.summary.fidelity_samples.push(row.clone());
        }
        if self.rows == Rows::All || (self.rows == Rows::Changed && changed) {
            out.rows.push(row);
        }
    }

    /// Each logged policy result against the fidelity pack's applicability of the policy of the
    /// same name.
    fn policy_fidelity(&self, s: &SignIn<'_>, applied: &[(usize, Tri)], summary: &mut Summary) {
        let stats: &mut Vec<PolicyStats> = if self.baseline.is_some() {
            &mut summary.baseline_policies
        } else {
            &mut summary.policies
        };
        for p in &s.applied.0 {
            let Some(name) = p
                .name
                .as_ref()
                .map(Text::as_str)
                .filter(|n| !n.trim().is_empty())
            else {
                continue;
            };
            let index = self
                .fidelity_names
                .get(name)
                .or_else(|| self.fidelity_names.get(&name.to_lowercase()));
            let Some(&i) = index else {
                summary.unlisted_policies.add(name, 1);
                continue;
            };
            let Some(logged_applied) = p.result.known().and_then(|r| r.applied()) else {
                continue;
            };
            // A policy that only may apply (a signal is missing) is not a disagreement.
            let ours = applied.iter().find(|(j, _)| *j == i).map(|(_, t)| *t);
            let st = &mut stats[i];
            if logged_applied {
                st.logged_applied += 1;
                if ours.is_none() {
                    st.disagree_logged_applied += 1;
                }
            } else {
                st.logged_not_applied += 1;
                if ours == Some(Tri::Yes) {
                    st.disagree_logged_not_applied += 1;
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        &self,
        file: &Arc<str>,
        line: u64,
        s: &SignIn<'_>,
        request: &Request,
        logged: Logged,
        baseline: Option<Decision>,
        outcome: &eval::Outcome,
        deciding: &[usize],
        disagrees: bool,
    ) -> Row {
        let text = |t: &Option<Text<'_>>| {
            t.as_ref()
                .map(|t| t.as_str().to_string())
                .unwrap_or_default()
        };
        let partner = request
            .user
            .home
            .as_ref()
            .map(|h| {
                self.tenant_names
                    .get(h)
                    .cloned()
                    .unwrap_or_else(|| h.clone())
            })
            .unwrap_or_default();
        let app = s
            .resource_name
            .as_ref()
            .map(|t| t.as_str().to_string())
            .unwrap_or_else(|| match &request.app {
                AppRef::Named(a) => a.name().to_string(),
                other => other.to_string(),
            });
        Row {
            file: file.clone(),
            line,
            id: text(&s.id),
            created: text(&s.created),
            user: request.user.name.clone(),
            partner,
            app,
            client_app: request.client_app.name(),
            platform: request.device.platform.map_or("", |p| p.name()),
            country: request
                .network
                .country
                .map(|c| c.to_string())
                .unwrap_or_default(),
            ip: request
                .network
                .ip
                .map(|i| i.to_string())
                .unwrap_or_default(),
            logged,
            baseline,
            decision: outcome.decision,
            possible: outcome.possible,
            policies: deciding
                .iter()
                .map(|i| self.pack.pack().policies[*i].name.value.clone())
                .collect(),
            disagrees_with_log: disagrees,
        }
    }
}

/// A record that strict JSON refuses, read the way `accord import --lenient` reads JSON
/// (comments and trailing commas accepted).
fn lenient_value(bytes: &[u8]) -> Option<serde_json::Value> {
    let text = std::str::from_utf8(bytes).ok()?;
    crate::graph::decode::parse(crate::source::FileId(0), text, true)
        .ok()
        .map(|d| d.value)
}

//! The replay's totals: counts that merge (each chunk is summed on its own, in parallel, then
//! merged in input order) and bounded lists, so that memory does not grow with the log.

use std::collections::{BTreeMap, HashMap};

use super::map::{Field, Notes, SkipReason};
use super::outcome::Logged;
use super::read::{FileNotes, InputError};
use crate::eval::{Decision, DecisionSet};

/// At most this many distinct keys per top list, unmapped field or unlisted policy name; the
/// rest are counted together (and the report says the list is cut).
pub const MAX_KEYS: usize = 50_000;
/// At most this many example sign-ins and problems kept.
pub const MAX_SAMPLES: usize = 200;

/// Counts by key, bounded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub counts: HashMap<String, u64>,
    /// Counts of keys that did not fit.
    pub other: u64,
}

impl Tally {
    pub fn add(&mut self, key: &str, n: u64) {
        if let Some(c) = self.counts.get_mut(key) {
            *c += n;
        } else if self.counts.len() < MAX_KEYS {
            self.counts.insert(key.to_string(), n);
        } else {
            self.other += n;
        }
    }

    pub fn merge(&mut self, o: Tally) {
        self.other += o.other;
        for (k, v) in o.counts {
            self.add(&k, v);
        }
    }

    /// The `n` largest, ties by key (deterministic).
    pub fn top(&self, n: usize) -> Vec<(&str, u64)> {
        let mut v: Vec<(&str, u64)> = self.counts.iter().map(|(k, c)| (k.as_str(), *c)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v.truncate(n);
        v
    }

    pub fn total(&self) -> u64 {
        self.counts.values().sum::<u64>() + self.other
    }
}

/// What one policy did over the replay (the report-only workbook's numbers), and how that
/// compares with what the log says the platform did with it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PolicyStats {
    /// Sign-ins the policy applies to.
    pub applied: u64,
    /// Sign-ins it may apply to (a signal it needs is missing from the record).
    pub may_apply: u64,
    pub blocked: u64,
    pub challenged: u64,
    pub satisfied: u64,
    /// Sign-ins whose log lists this policy as applied / not applied.
    pub logged_applied: u64,
    pub logged_not_applied: u64,
    /// Of those, where accord disagrees: the log says applied, accord does not / the reverse.
    pub disagree_logged_applied: u64,
    pub disagree_logged_not_applied: u64,
}

impl PolicyStats {
    fn merge(&mut self, o: &PolicyStats) {
        self.applied += o.applied;
        self.may_apply += o.may_apply;
        self.blocked += o.blocked;
        self.challenged += o.challenged;
        self.satisfied += o.satisfied;
        self.logged_applied += o.logged_applied;
        self.logged_not_applied += o.logged_not_applied;
        self.disagree_logged_applied += o.disagree_logged_applied;
        self.disagree_logged_not_applied += o.disagree_logged_not_applied;
    }
}

/// One replayed sign-in, as the report lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub file: std::sync::Arc<str>,
    pub line: u64,
    pub id: String,
    pub created: String,
    pub user: String,
    /// The partner tenant (its pack name when declared), empty for our own users.
    pub partner: String,
    pub app: String,
    pub client_app: &'static str,
    pub platform: &'static str,
    pub country: String,
    pub ip: String,
    pub logged: Logged,
    pub baseline: Option<Decision>,
    pub decision: Decision,
    pub possible: DecisionSet,
    /// Enforced policies that block or challenge this sign-in under the pack.
    pub policies: Vec<String>,
    /// The fidelity pack (the baseline, else the pack) decides otherwise than the log.
    pub disagrees_with_log: bool,
}

/// A record that could not be read (`--lenient` skips it and keeps it here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// A file's part in the replay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSummary {
    pub path: String,
    pub notes: FileNotes,
    pub error: Option<InputError>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub read: u64,
    pub replayed: u64,
    pub skipped: [u64; SkipReason::ALL.len()],
    /// By the pack's decision.
    pub decisions: [u64; 3],
    /// By the baseline's decision (with `--baseline`).
    pub baseline_decisions: [u64; 3],
    /// By what the log recorded.
    pub logged: [u64; Logged::ALL.len()],
    /// Sign-ins with something to compare with (the baseline's decision, else a logged
    /// decision), and those whose outcome changes, by the pack's new decision.
    pub compared: u64,
    pub changed: [u64; 3],
    /// The fidelity pack against the log: sign-ins compared, and disagreements by
    /// `[pack decision][logged decision]`.
    pub fidelity_compared: u64,
    pub fidelity_disagree: [[u64; 3]; 3],
    /// Sign-ins whose pack decision depends on a signal the record lacks.
    pub undetermined: u64,
    pub policies: Vec<PolicyStats>,
    /// Per policy of the fidelity pack (the baseline when given; else `policies` holds it).
    pub baseline_policies: Vec<PolicyStats>,
    /// Logged policies that no pack policy is named after.
    pub unlisted_policies: Tally,
    pub unmapped: BTreeMap<Field, Tally>,
    pub missing: [u64; Field::ALL.len()],
    pub inferred: [u64; Field::ALL.len()],
    /// Records accepted only thanks to `--lenient` (comments, trailing commas).
    pub lenient_accepted: u64,
    pub top_users: Tally,
    pub top_partners: Tally,
    pub top_apps: Tally,
    pub top_countries: Tally,
    /// Why requests did not resolve, by message.
    pub undecidable: Tally,
    pub changed_samples: Vec<Row>,
    pub fidelity_samples: Vec<Row>,
    pub issues: Vec<Issue>,
    pub issue_count: u64,
    pub files: Vec<FileSummary>,
}

pub fn decision_index(d: Decision) -> usize {
    match d {
        Decision::Allow => 0,
        Decision::Challenge => 1,
        Decision::Block => 2,
    }
}

impl Summary {
    pub fn new(policies: usize, baseline_policies: usize) -> Summary {
        Summary {
            policies: vec![PolicyStats::default(); policies],
            baseline_policies: vec![PolicyStats::default(); baseline_policies],
            ..Summary::default()
        }
    }

    pub fn skipped_total(&self) -> u64 {
        self.skipped.iter().sum()
    }

    pub fn skip(&mut self, r: SkipReason) {
        self.skipped[r as usize] += 1;
    }

    pub fn changed_total(&self) -> u64 {
        self.changed.iter().sum()
    }

    pub fn fidelity_disagreements(&self) -> u64 {
        self.fidelity_disagree.iter().flatten().sum()
    }

    pub fn note(&mut self, notes: &Notes) {
        for (f, v) in &notes.unmapped {
            self.unmapped.entry(*f).or_default().add(v, 1);
        }
        for f in notes.missing.iter() {
            self.missing[f as usize] += 1;
        }
        for f in notes.inferred.iter() {
            self.inferred[f as usize] += 1;
        }
    }

    pub fn issue(&mut self, issue: Issue) {
        self.issue_count += 1;
        if self.issues.len() < MAX_SAMPLES {
            self.issues.push(issue);
        }
    }

    /// Adds `o` (the summary of the records after this one's).
    pub fn merge(&mut self, o: Summary) {
        self.read += o.read;
        self.replayed += o.replayed;
        for (a, b) in self.skipped.iter_mut().zip(o.skipped) {
            *a += b;
        }
        for i in 0..3 {
            self.decisions[i] += o.decisions[i];
            self.baseline_decisions[i] += o.baseline_decisions[i];
            self.changed[i] += o.changed[i];
            for j in 0..3 {
                self.fidelity_disagree[i][j] += o.fidelity_disagree[i][j];
            }
        }
        for (a, b) in self.logged.iter_mut().zip(o.logged) {
            *a += b;
        }
        self.compared += o.compared;
        self.fidelity_compared += o.fidelity_compared;
        self.undetermined += o.undetermined;
        for (a, b) in self.policies.iter_mut().zip(&o.policies) {
            a.merge(b);
        }
        for (a, b) in self.baseline_policies.iter_mut().zip(&o.baseline_policies) {
            a.merge(b);
        }
        self.unlisted_policies.merge(o.unlisted_policies);
        for (f, t) in o.unmapped {
            self.unmapped.entry(f).or_default().merge(t);
        }
        for i in 0..Field::ALL.len() {
            self.missing[i] += o.missing[i];
            self.inferred[i] += o.inferred[i];
        }
        self.lenient_accepted += o.lenient_accepted;
        self.top_users.merge(o.top_users);
        self.top_partners.merge(o.top_partners);
        self.top_apps.merge(o.top_apps);
        self.top_countries.merge(o.top_countries);
        self.undecidable.merge(o.undecidable);
        for (list, more) in [
            (&mut self.changed_samples, o.changed_samples),
            (&mut self.fidelity_samples, o.fidelity_samples),
        ] {
            let room = MAX_SAMPLES.saturating_sub(list.len());
            list.extend(more.into_iter().take(room));
        }
        self.issue_count += o.issue_count;
        let room = MAX_SAMPLES.saturating_sub(self.issues.len());
        self.issues.extend(o.issues.into_iter().take(room));
        self.files.extend(o.files);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tallies_are_bounded_and_sorted() {
        let mut t = Tally::default();
        t.add("b", 2);
        t.add("a", 2);
        t.add("c", 5);
        assert_eq!(t.top(2), [("c", 5), ("a", 2)]);
        for i in 0..MAX_KEYS + 10 {
            t.add(&format!("k{i}"), 1);
        }
        assert_eq!(t.counts.len(), MAX_KEYS);
        assert_eq!(t.total(), 9 + MAX_KEYS as u64 + 10);
    }

    #[test]
    fn summaries_merge_counts_and_keep_sample_order() {
        let mut a = Summary::new(1, 0);
        a.read = 2;
        a.skip(SkipReason::ServicePrincipal);
        a.policies[0].applied = 1;
        let mut b = Summary::new(1, 0);
        b.read = 3;
        b.skip(SkipReason::ServicePrincipal);
        b.policies[0].applied = 4;
        b.issue(Issue {
            file: "f".into(),
            line: 9,
            column: 1,
            message: "m".into(),
        });
        a.merge(b);
        assert_eq!(a.read, 5);
        assert_eq!(a.skipped[SkipReason::ServicePrincipal as usize], 2);
        assert_eq!(a.policies[0].applied, 5);
        assert_eq!(a.issues[0].to_string(), "f:9:1: m");
    }
}

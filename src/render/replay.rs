//! `accord replay` output: text, JSON (the contract below), Markdown, and CSV rows.
//!
//! The JSON object (tests outside the repository read it; fields are only ever added):
//!
//! - `read`, `replayed`, `skipped` (`read == replayed + skipped`), `skipped_by_reason`
//!   (every reason, with its count);
//! - `decisions`: `{allow, challenge, block}` by the pack's decision (replayed sign-ins);
//!   `baseline_decisions` the same for `--baseline`;
//! - `compared_with`: `log` or `baseline`; `compared`: sign-ins with something to compare
//!   with; `changed`: `{newly_block, newly_challenge, newly_allow, total}`, by the pack's new
//!   decision, for sign-ins whose outcome differs from the log's (or the baseline's);
//! - `logged`: `{allow, challenge, block, failed, unknown}` as the log recorded them;
//! - `undetermined`: sign-ins whose decision depends on a signal the record lacks (decided
//!   as the most restrictive possibility);
//! - `policies`: per policy of the pack, in pack order: `name`, `state`, `applied`,
//!   `may_apply`, `blocked`, `challenged`, `satisfied`, and against the log (without
//!   `--baseline`) `logged_applied`, `logged_not_applied`, `disagree_logged_applied`,
//!   `disagree_logged_not_applied`; `baseline_policies` the same for the baseline;
//! - `fidelity`: the pack in force (the baseline, else the pack) against the log: `pack`,
//!   `compared`, `disagreements`, `by_decision` (`{pack, logged, count}`), `samples`;
//! - `top`: `users`, `partners`, `apps`, `countries` among changed sign-ins (`{key, count}`);
//! - `unmapped` (`{field, value, count}`), `missing` and `inferred` (`{field: count}`),
//!   `limits` (`{signal, replayed_as, policies}`), `unlisted_logged_policies`,
//!   `undecidable` (`{message, count}`), `changed_samples`, `files`, `issues`,
//!   `issue_count`, `lenient_accepted`.
//!
//! A sample or CSV row: `file`, `line`, `id`, `created`, `user`, `partner`, `app`,
//! `client_app`, `platform`, `country`, `ip`, `logged`, `baseline`, `decision`, `possible`,
//! `change`, `policies`.

use std::fmt::Write as _;

use serde_json::{json, Map, Value};

use crate::eval::Decision;
use crate::model::Pack;
use crate::replay::limits::Limit;
use crate::replay::map::{Field, SkipReason};
use crate::replay::outcome::Logged;
use crate::replay::summary::{PolicyStats, Row, Summary, Tally};

/// What a report is about.
pub struct View<'a> {
    pub pack_name: &'a str,
    pub pack: &'a Pack,
    pub baseline_name: Option<&'a str>,
    pub baseline: Option<&'a Pack>,
    pub summary: &'a Summary,
    pub limits: &'a [Limit],
}

const TOP: usize = 10;

/// The direction of a change, named by the new decision.
pub fn change_name(d: Decision) -> &'static str {
    match d {
        Decision::Block => "newly_block",
        Decision::Challenge => "newly_challenge",
        Decision::Allow => "newly_allow",
    }
}

fn three(counts: &[u64; 3]) -> Value {
    json!({"allow": counts[0], "challenge": counts[1], "block": counts[2]})
}

fn policies_json(pack: &Pack, stats: &[PolicyStats], against_log: bool) -> Value {
    Value::Array(
        pack.policies
            .iter()
            .zip(stats)
            .map(|(p, s)| {
                let mut o = json!({
                    "name": p.name.value,
                    "state": p.state.value.as_str(),
                    "applied": s.applied,
                    "may_apply": s.may_apply,
                    "blocked": s.blocked,
                    "challenged": s.challenged,
                    "satisfied": s.satisfied,
                });
                if against_log {
                    o["logged_applied"] = json!(s.logged_applied);
                    o["logged_not_applied"] = json!(s.logged_not_applied);
                    o["disagree_logged_applied"] = json!(s.disagree_logged_applied);
                    o["disagree_logged_not_applied"] = json!(s.disagree_logged_not_applied);
                }
                o
            })
            .collect(),
    )
}

fn tally_json(t: &Tally, n: usize) -> Value {
    Value::Array(
        t.top(n)
            .into_iter()
            .map(|(k, c)| json!({"key": k, "count": c}))
            .collect(),
    )
}

pub fn row_json(r: &Row) -> Value {
    json!({
        "file": &*r.file,
        "line": r.line,
        "id": r.id,
        "created": r.created,
        "user": r.user,
        "partner": r.partner,
        "app": r.app,
        "client_app": r.client_app,
        "platform": r.platform,
        "country": r.country,
        "ip": r.ip,
        "logged": r.logged.name(),
        "baseline": r.baseline.map(|d| d.name()),
        "decision": r.decision.name(),
        "possible": r.possible.iter().map(|d| d.name()).collect::<Vec<_>>(),
        "change": change_of(r).map(change_name),
        "policies": r.policies,
    })
}

/// The new decision when the row's outcome changed.
fn change_of(r: &Row) -> Option<Decision> {
    let reference = match r.baseline {
        Some(b) => Some(b),
        None => r.logged.decision(),
    };
    reference.filter(|x| *x != r.decision).map(|_| r.decision)
}

pub fn json(v: &View<'_>) -> Value {
    let s = v.summary;
    let mut skipped = Map::new();
    for r in SkipReason::ALL {
        skipped.insert(r.name().into(), json!(s.skipped[r as usize]));
    }
    let mut logged = Map::new();
    for l in Logged::ALL {
        logged.insert(l.name().into(), json!(s.logged[l as usize]));
    }
    let fields = |counts: &[u64]| {
        let mut m = Map::new();
        for f in Field::ALL {
            if counts[f as usize] > 0 {
                m.insert(f.name().into(), json!(counts[f as usize]));
            }
        }
        Value::Object(m)
    };
    let mut unmapped = Vec::new();
    for (f, t) in &s.unmapped {
        for (value, count) in t.top(usize::MAX) {
            unmapped.push(json!({"field": f.name(), "value": value, "count": count}));
        }
        if t.other > 0 {
            unmapped.push(json!({"field": f.name(), "value": null, "count": t.other}));
        }
    }
    let mut by_decision = Vec::new();
    for (i, pd) in Decision::ALL.iter().enumerate() {
        for (j, ld) in Decision::ALL.iter().enumerate() {
            let n = s.fidelity_disagree[i][j];
            if n > 0 {
                by_decision.push(json!({"pack": pd.name(), "logged": ld.name(), "count": n}));
            }
        }
    }
    let mut out = json!({
        "pack": v.pack_name,
        "read": s.read,
        "replayed": s.replayed,
        "skipped": s.skipped_total(),
        "skipped_by_reason": skipped,
        "decisions": three(&s.decisions),
        "compared_with": if v.baseline.is_some() { "baseline" } else { "log" },
        "compared": s.compared,
        "changed": {
            "newly_block": s.changed[2],
            "newly_challenge": s.changed[1],
            "newly_allow": s.changed[0],
            "total": s.changed_total(),
        },
        "logged": logged,
        "undetermined": s.undetermined,
        "policies": policies_json(v.pack, &s.policies, v.baseline.is_none()),
        "fidelity": {
            "pack": if v.baseline.is_some() { "baseline" } else { "pack" },
            "compared": s.fidelity_compared,
            "disagreements": s.fidelity_disagreements(),
            "by_decision": by_decision,
            "samples": s.fidelity_samples.iter().map(row_json).collect::<Vec<_>>(),
        },
        "top": {
            "users": tally_json(&s.top_users, TOP),
            "partners": tally_json(&s.top_partners, TOP),
            "apps": tally_json(&s.top_apps, TOP),
            "countries": tally_json(&s.top_countries, TOP),
        },
        "unmapped": unmapped,
        "missing": fields(&s.missing),
        "inferred": fields(&s.inferred),
        "limits": v.limits.iter().map(|l| json!({
            "signal": l.signal, "replayed_as": l.replayed_as, "policies": l.policies,
        })).collect::<Vec<_>>(),
        "unlisted_logged_policies": tally_json(&s.unlisted_policies, usize::MAX),
        "undecidable": s.undecidable.top(usize::MAX).into_iter()
            .map(|(m, c)| json!({"message": m, "count": c})).collect::<Vec<_>>(),
        "changed_samples": s.changed_samples.iter().map(row_json).collect::<Vec<_>>(),
        "files": s.files.iter().map(|f| json!({
            "path": f.path,
            "shape": f.notes.shape,
            "encoding": f.notes.encoding,
            "next_links": f.notes.frame.next_links,
            "error": f.error.as_ref().map(|e| e.to_string()),
        })).collect::<Vec<_>>(),
        "issues": s.issues.iter().map(|i| json!({
            "file": i.file, "line": i.line, "column": i.column, "message": i.message,
        })).collect::<Vec<_>>(),
        "issue_count": s.issue_count,
        "lenient_accepted": s.lenient_accepted,
    });
    if let (Some(name), Some(b)) = (v.baseline_name, v.baseline) {
        out["baseline"] = json!(name);
        out["baseline_decisions"] = three(&s.baseline_decisions);
        out["baseline_policies"] = policies_json(b, &s.baseline_policies, true);
    }
    out
}

/// The CSV header of rows.
pub const CSV_HEADER: [&str; 17] = [
    "file",
    "line",
    "id",
    "created",
    "user",
    "partner",
    "app",
    "client_app",
    "platform",
    "country",
    "ip",
    "logged",
    "baseline",
    "decision",
    "possible",
    "change",
    "policies",
];

pub fn csv_record(r: &Row) -> [String; 17] {
    [
        r.file.to_string(),
        r.line.to_string(),
        r.id.clone(),
        r.created.clone(),
        r.user.clone(),
        r.partner.clone(),
        r.app.clone(),
        r.client_app.to_string(),
        r.platform.to_string(),
        r.country.clone(),
        r.ip.clone(),
        r.logged.name().to_string(),
        r.baseline.map(|d| d.name().to_string()).unwrap_or_default(),
        r.decision.name().to_string(),
        r.possible
            .iter()
            .map(|d| d.name())
            .collect::<Vec<_>>()
            .join("|"),
        change_of(r).map(change_name).unwrap_or("").to_string(),
        r.policies.join("; "),
    ]
}

fn n(x: u64) -> String {
    let s = x.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn reasons(s: &Summary) -> String {
    SkipReason::ALL
        .iter()
        .filter(|r| s.skipped[**r as usize] > 0)
        .map(|r| format!("{} {}", n(s.skipped[*r as usize]), r.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn row_line(r: &Row) -> String {
    let mut t = format!("{}:{} {} -> {}", r.file, r.line, r.user, r.app);
    if !r.partner.is_empty() {
        let _ = write!(t, " (from {})", r.partner);
    }
    let from = match r.baseline {
        Some(b) => format!("baseline {}", b.name()),
        None => format!("logged {}", r.logged.name()),
    };
    let _ = write!(t, ": {from}, pack {}", r.decision.name());
    if !r.policies.is_empty() {
        let _ = write!(t, " by {}", r.policies.join(", "));
    }
    t
}

pub fn text(v: &View<'_>) -> String {
    let s = v.summary;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "replayed {} of {} sign-ins against {}",
        n(s.replayed),
        n(s.read),
        v.pack_name
    );
    if s.skipped_total() > 0 {
        let _ = writeln!(o, "skipped {}: {}", n(s.skipped_total()), reasons(s));
    }
    let _ = writeln!(
        o,
        "decisions: {} allow, {} challenge, {} block{}",
        n(s.decisions[0]),
        n(s.decisions[1]),
        n(s.decisions[2]),
        if s.undetermined > 0 {
            format!(
                " ({} depend on a signal the log lacks: most restrictive taken)",
                n(s.undetermined)
            )
        } else {
            String::new()
        }
    );
    let against = match v.baseline_name {
        Some(b) => format!("the baseline {b}"),
        None => "the log".to_string(),
    };
    let _ = writeln!(
        o,
        "compared with {against}: {} sign-ins; {} change: {} newly block, {} newly challenge, {} newly allow",
        n(s.compared),
        n(s.changed_total()),
        n(s.changed[2]),
        n(s.changed[1]),
        n(s.changed[0])
    );
    for (title, t) in [
        ("users", &s.top_users),
        ("partners", &s.top_partners),
        ("apps", &s.top_apps),
        ("countries", &s.top_countries),
    ] {
        let top = t.top(5);
        if !top.is_empty() {
            let list: Vec<String> = top
                .iter()
                .map(|(k, c)| format!("{k} ({})", n(*c)))
                .collect();
            let _ = writeln!(o, "  most affected {title}: {}", list.join(", "));
        }
    }
    let _ = writeln!(
        o,
        "\npolicies ({}): applied / blocked / challenged{}",
        v.pack_name,
        if v.baseline.is_none() {
            " / log disagrees (applied, not applied)"
        } else {
            ""
        }
    );
    for (p, st) in v.pack.policies.iter().zip(&s.policies) {
        let _ = write!(
            o,
            "  {} [{}]: {} / {} / {}",
            p.name.value,
            p.state.value.as_str(),
            n(st.applied),
            n(st.blocked),
            n(st.challenged)
        );
        if st.may_apply > 0 {
            let _ = write!(o, " (+{} may apply)", n(st.may_apply));
        }
        if v.baseline.is_none() && st.logged_applied + st.logged_not_applied > 0 {
            let _ = write!(
                o,
                " / {}, {}",
                n(st.disagree_logged_applied),
                n(st.disagree_logged_not_applied)
            );
        }
        o.push('\n');
    }
    let _ = writeln!(
        o,
        "\nfidelity ({} against the log): {} disagreements in {} sign-ins with a logged decision",
        v.baseline_name.unwrap_or(v.pack_name),
        n(s.fidelity_disagreements()),
        n(s.fidelity_compared)
    );
    for (i, pd) in Decision::ALL.iter().enumerate() {
        for (j, ld) in Decision::ALL.iter().enumerate() {
            let c = s.fidelity_disagree[i][j];
            if c > 0 {
                let _ = writeln!(o, "  pack {}, logged {}: {}", pd.name(), ld.name(), n(c));
            }
        }
    }
    for r in s.fidelity_samples.iter().take(TOP) {
        let _ = writeln!(o, "  {}", row_line(r));
    }
    if !s.unlisted_policies.counts.is_empty() {
        let list: Vec<String> = s
            .unlisted_policies
            .top(TOP)
            .iter()
            .map(|(k, c)| format!("{k} ({})", n(*c)))
            .collect();
        let _ = writeln!(o, "  logged policies not in the pack: {}", list.join(", "));
    }
    if !s.changed_samples.is_empty() {
        let _ = writeln!(
            o,
            "\nchanged sign-ins (first {}):",
            s.changed_samples.len().min(TOP)
        );
        for r in s.changed_samples.iter().take(TOP) {
            let _ = writeln!(o, "  {}", row_line(r));
        }
    }
    mapping_text(v, &mut o);
    o
}

fn mapping_text(v: &View<'_>, o: &mut String) {
    let s = v.summary;
    if !s.unmapped.is_empty() {
        let _ = writeln!(o, "\nunmapped values (replayed without them):");
        for (f, t) in &s.unmapped {
            let list: Vec<String> = t
                .top(TOP)
                .iter()
                .map(|(k, c)| format!("`{k}` ({})", n(*c)))
                .collect();
            let _ = writeln!(o, "  {}: {}", f.name(), list.join(", "));
        }
    }
    let missing: Vec<String> = Field::ALL
        .iter()
        .filter(|f| s.missing[**f as usize] > 0)
        .map(|f| format!("{} ({})", f.name(), n(s.missing[*f as usize])))
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(o, "missing signals: {}", missing.join(", "));
    }
    let inferred: Vec<String> = Field::ALL
        .iter()
        .filter(|f| s.inferred[**f as usize] > 0)
        .map(|f| format!("{} ({})", f.name(), n(s.inferred[*f as usize])))
        .collect();
    if !inferred.is_empty() {
        let _ = writeln!(o, "inferred: {}", inferred.join(", "));
    }
    for l in v.limits {
        let _ = writeln!(
            o,
            "not in sign-in logs: {}, replayed as {}; concerns {}",
            l.signal,
            l.replayed_as,
            l.policies.join(", ")
        );
    }
    for (m, c) in s.undecidable.top(TOP) {
        let _ = writeln!(o, "undecidable ({}): {m}", n(c));
    }
    if s.lenient_accepted > 0 {
        let _ = writeln!(
            o,
            "{} records read only thanks to --lenient (comments, trailing commas)",
            n(s.lenient_accepted)
        );
    }
    for i in &s.issues {
        let _ = writeln!(o, "skipped malformed record: {i}");
    }
    for f in &s.files {
        if let Some(e) = &f.error {
            let _ = writeln!(o, "file not fully read: {e}");
        }
        if f.notes.frame.next_links > 0 {
            let _ = writeln!(
                o,
                "{}: a list response with @odata.nextLink: later pages are not in this file",
                f.path
            );
        }
    }
}

pub fn markdown(v: &View<'_>) -> String {
    let s = v.summary;
    let mut o = String::new();
    let _ = writeln!(o, "# Replay of `{}`\n", v.pack_name);
    let _ = writeln!(o, "| | sign-ins |\n|---|---:|");
    let _ = writeln!(o, "| read | {} |", n(s.read));
    let _ = writeln!(o, "| replayed | {} |", n(s.replayed));
    let _ = writeln!(o, "| skipped | {} |", n(s.skipped_total()));
    for r in SkipReason::ALL {
        if s.skipped[r as usize] > 0 {
            let _ = writeln!(
                o,
                "| &nbsp;&nbsp;{} | {} |",
                r.name(),
                n(s.skipped[r as usize])
            );
        }
    }
    for (i, d) in Decision::ALL.iter().enumerate() {
        let _ = writeln!(o, "| decision {} | {} |", d.name(), n(s.decisions[i]));
    }
    let against = if v.baseline.is_some() {
        "baseline"
    } else {
        "log"
    };
    let _ = writeln!(o, "| compared with the {against} | {} |", n(s.compared));
    for (i, d) in Decision::ALL.iter().enumerate().rev() {
        let _ = writeln!(o, "| {} | {} |", change_name(*d), n(s.changed[i]));
    }
    let _ = writeln!(o, "\n## Policies\n");
    let _ = writeln!(
        o,
        "| policy | state | applied | may apply | blocked | challenged | satisfied |"
    );
    let _ = writeln!(o, "|---|---|---:|---:|---:|---:|---:|");
    for (p, st) in v.pack.policies.iter().zip(&s.policies) {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} |",
            p.name.value.replace('|', "\\|"),
            p.state.value.as_str(),
            n(st.applied),
            n(st.may_apply),
            n(st.blocked),
            n(st.challenged),
            n(st.satisfied)
        );
    }
    for (title, t) in [
        ("users", &s.top_users),
        ("partner tenants", &s.top_partners),
        ("apps", &s.top_apps),
        ("countries", &s.top_countries),
    ] {
        let top = t.top(TOP);
        if top.is_empty() {
            continue;
        }
        let _ = writeln!(
            o,
            "\n## Most affected {title}\n\n| | changed sign-ins |\n|---|---:|"
        );
        for (k, c) in top {
            let _ = writeln!(o, "| {} | {} |", k.replace('|', "\\|"), n(c));
        }
    }
    let _ = writeln!(
        o,
        "\n## Fidelity\n\n`{}` disagrees with the log on {} of {} sign-ins with a logged decision.",
        v.baseline_name.unwrap_or(v.pack_name),
        n(s.fidelity_disagreements()),
        n(s.fidelity_compared)
    );
    let mut notes = String::new();
    mapping_text(v, &mut notes);
    if !notes.trim().is_empty() {
        let _ = writeln!(o, "\n## Mapping\n\n```text\n{}```", notes.trim_start());
    }
    o
}

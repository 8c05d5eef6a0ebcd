//! Reading a `*.verify.yaml` file. Problems are diagnostics with file, line and column; an
//! invariant with a problem is not run (and counts as failed).

use serde_json::{Map, Value};

use super::{Expect, Invariant, Pattern, VerifyFile};
use crate::analysis::selector::Selector;
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::eval::Decision;
use crate::source::FileId;
use crate::testing::file::Reader;
use crate::testing::locate::{Layout, Lines};

/// Invalid YAML, or not the shape of a verify file.
pub const INVALID_FILE: &str = "E2201";
/// An invariant without a name, or two with the same name.
pub const INVALID_NAME: &str = "E2202";
/// A selector (`for:`) that cannot be read or does not fit the pack.
pub const INVALID_SELECTOR: &str = "E2203";
/// An expectation (`expect:`) that cannot be checked.
pub const INVALID_EXPECTATION: &str = "E2204";
/// `applied` / `not_applied` names a policy the pack does not have.
pub const UNKNOWN_POLICY: &str = "E2205";

const INVARIANT_KEYS: [&str; 3] = ["name", "for", "expect"];
const EXPECT_KEYS: [&str; 6] = [
    "decision",
    "not",
    "requires",
    "never_unsatisfiable",
    "applied",
    "not_applied",
];
const CONTROLS: [&str; 9] = [
    "mfa",
    "compliant_device",
    "hybrid_joined",
    "approved_app",
    "app_protection",
    "password_change",
    "terms_of_use",
    "auth_strength",
    "custom",
];

/// Parses a verify file. Never fails: problems are diagnostics in the result.
pub fn parse(file: FileId, name: &str, text: &str) -> VerifyFile {
    let r = Reader {
        file,
        layout: Layout::new(text),
    };
    let mut out = VerifyFile {
        file,
        name: name.to_string(),
        diagnostics: Vec::new(),
        invariants: Vec::new(),
    };
    let everything = 0..r.layout.len().max(1);
    let top = match crate::yaml::value_without_duplicate_keys(text) {
        Ok(Value::Object(top)) => top,
        Ok(_) => {
            out.diagnostics.push(
                Diagnostic::error(INVALID_FILE, "a verify file is a mapping with `invariants`")
                    .at(r.lines_start(&everything))
                    .help("write `invariants:` with a list of invariants (see `accord verify --help`)"),
            );
            return out;
        }
        Err(e) => {
            let at = match (e.line, e.column) {
                (Some(l), Some(c)) => r.layout.offset_of(l, c),
                _ => 0,
            };
            out.diagnostics.push(
                Diagnostic::error(INVALID_FILE, format!("invalid YAML: {}", e.message))
                    .at(r.span(at..at)),
            );
            return out;
        }
    };
    for key in top.keys().filter(|k| k.as_str() != "invariants") {
        out.diagnostics.push(
            Diagnostic::error(INVALID_FILE, format!("unknown key `{key}`"))
                .at(r.at(&everything, key, None))
                .help("a verify file has one key, `invariants`"),
        );
    }
    let Some(Value::Array(items)) = top.get("invariants") else {
        out.diagnostics.push(
            Diagnostic::error(INVALID_FILE, "the verify file has no list of `invariants`")
                .at(r.lines_start(&everything))
                .help("write `invariants:` and one `- name: ...` item per invariant"),
        );
        return out;
    };
    let key_line = r.layout.top_key("invariants").unwrap_or(0);
    let section = r.layout.section(key_line);
    let starts = r.layout.sequence_items(section.clone());
    let blocks = Layout::blocks(&starts, &section);
    for (i, item) in items.iter().enumerate() {
        let lines = blocks.get(i).cloned().unwrap_or_else(|| section.clone());
        let inv = read_invariant(&r, &lines, item);
        if out
            .invariants
            .iter()
            .any(|o| o.name == inv.name && !inv.name.is_empty())
        {
            out.diagnostics.push(
                Diagnostic::error(
                    INVALID_NAME,
                    format!("two invariants are named `{}`", inv.name),
                )
                .at(inv.span)
                .help("give every invariant of a file its own name"),
            );
        }
        out.invariants.push(inv);
    }
    out
}

fn read_invariant(r: &Reader<'_>, lines: &Lines, item: &Value) -> Invariant {
    let mut inv = Invariant {
        name: String::new(),
        span: r.lines_start(lines),
        selectors: Vec::new(),
        expect: Expect::default(),
        problems: Vec::new(),
        policy_refs: Vec::new(),
    };
    let Value::Object(map) = item else {
        inv.problems.push(
            Diagnostic::error(
                INVALID_FILE,
                "an invariant is a mapping with `name`, `for` and `expect`",
            )
            .at(inv.span),
        );
        return inv;
    };
    for key in map.keys().filter(|k| !INVARIANT_KEYS.contains(&k.as_str())) {
        let mut d = Diagnostic::error(INVALID_FILE, format!("unknown key `{key}`"))
            .at(r.at(lines, key, None));
        d.help = Some(did_you_mean(key, INVARIANT_KEYS).unwrap_or_else(|| {
            "an invariant has `name`, `for` (which requests) and `expect` (what holds)".into()
        }));
        inv.problems.push(d);
    }
    match map.get("name") {
        Some(Value::String(n)) if !n.trim().is_empty() => {
            inv.name = n.clone();
            inv.span = r.at(lines, "name", Some(n));
        }
        _ => inv.problems.push(
            Diagnostic::error(INVALID_NAME, "the invariant has no `name`")
                .at(inv.span)
                .help("add `name:` saying in words what must hold"),
        ),
    }
    match Selector::parse_any(map.get("for").unwrap_or(&Value::Null)) {
        Ok(s) => inv.selectors = s,
        Err(e) => {
            let key = e.path.rsplit('.').next().unwrap_or("for").to_string();
            let mut d = Diagnostic::error(INVALID_SELECTOR, format!("in `for`: {}", e.message))
                .at(r.at(lines, if key.is_empty() { "for" } else { &key }, None));
            d.help = e.help.or_else(|| {
                Some("`for` is a partial request: each field a value, a list or `any`".into())
            });
            inv.problems.push(d);
        }
    }
    match map.get("expect") {
        Some(Value::Object(e)) => read_expect(r, lines, e, &mut inv),
        _ => inv.problems.push(
            Diagnostic::error(INVALID_EXPECTATION, "the invariant has no `expect` mapping")
                .at(r.at(lines, "expect", None))
                .help("add `expect:` with `decision`, `not`, `requires`, `never_unsatisfiable`, `applied` or `not_applied`"),
        ),
    }
    inv
}

fn strings(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(a) => a.iter().map(|x| x.as_str().map(str::to_string)).collect(),
        _ => None,
    }
}

fn decisions(
    r: &Reader<'_>,
    lines: &Lines,
    key: &str,
    v: &Value,
    inv: &mut Invariant,
) -> Vec<Decision> {
    let mut out = Vec::new();
    for s in strings(v).unwrap_or_default() {
        match Decision::ALL.iter().find(|d| d.name() == s) {
            Some(d) => out.push(*d),
            None => inv.problems.push(
                Diagnostic::error(INVALID_EXPECTATION, format!("`{s}` is not a decision"))
                    .at(r.at(lines, key, Some(&s)))
                    .help(
                        did_you_mean(&s, ["allow", "challenge", "block"]).unwrap_or_else(|| {
                            "a decision is `allow`, `challenge` or `block`".into()
                        }),
                    ),
            ),
        }
    }
    if out.is_empty() && strings(v).is_none() {
        inv.problems.push(
            Diagnostic::error(
                INVALID_EXPECTATION,
                format!("`{key}` takes a decision or a list of decisions"),
            )
            .at(r.at(lines, key, None)),
        );
    }
    out
}

fn read_expect(r: &Reader<'_>, lines: &Lines, e: &Map<String, Value>, inv: &mut Invariant) {
    if e.is_empty() {
        inv.problems.push(
            Diagnostic::error(INVALID_EXPECTATION, "`expect` says nothing")
                .at(r.at(lines, "expect", None)),
        );
    }
    for (key, value) in e {
        match key.as_str() {
            "decision" => inv.expect.decision = Some(decisions(r, lines, key, value, inv)),
            "not" => inv.expect.not = decisions(r, lines, key, value, inv),
            "requires" => {
                let Some(items) = strings(value) else {
                    inv.problems.push(
                        Diagnostic::error(
                            INVALID_EXPECTATION,
                            "`requires` takes a control or a list of controls",
                        )
                        .at(r.at(lines, key, None)),
                    );
                    continue;
                };
                for item in items {
                    match Pattern::parse(&item) {
                        Some(p) => inv.expect.requires.push(p),
                        None => {
                            let keyword = item.split([' ', '(']).next().unwrap_or("").to_string();
                            inv.problems.push(
                                Diagnostic::error(
                                    INVALID_EXPECTATION,
                                    format!("`{keyword}` is not a control a user can complete"),
                                )
                                .at(r.at(lines, key, Some(&keyword)))
                                .help(
                                    did_you_mean(&keyword, CONTROLS).unwrap_or_else(|| {
                                        format!(
                                            "requirements are controls: {}",
                                            CONTROLS.join(", ")
                                        )
                                    }),
                                ),
                            );
                        }
                    }
                }
            }
            "never_unsatisfiable" => match value {
                Value::Bool(b) => inv.expect.never_unsatisfiable = *b,
                _ => inv.problems.push(
                    Diagnostic::error(
                        INVALID_EXPECTATION,
                        "`never_unsatisfiable` is `true` or `false`",
                    )
                    .at(r.at(lines, key, None)),
                ),
            },
            "applied" | "not_applied" => {
                let Some(names) = strings(value) else {
                    inv.problems.push(
                        Diagnostic::error(
                            INVALID_EXPECTATION,
                            format!("`{key}` takes a policy name or a list of policy names"),
                        )
                        .at(r.at(lines, key, None))
                        .help("quote a name that holds `: `, e.g. `[\"Guests: short sessions\"]`"),
                    );
                    continue;
                };
                for name in names {
                    let at = r.at(lines, key, Some(&name));
                    inv.policy_refs.push((name.clone(), at));
                    if key == "applied" {
                        inv.expect.applied.push(name);
                    } else {
                        inv.expect.not_applied.push(name);
                    }
                }
            }
            other => inv.problems.push(
                Diagnostic::error(
                    INVALID_EXPECTATION,
                    format!("unknown expectation `{other}`"),
                )
                .at(r.at(lines, other, None))
                .help(did_you_mean(other, EXPECT_KEYS).unwrap_or_else(|| {
                    format!("an expectation is one of {}", EXPECT_KEYS.join(", "))
                })),
            ),
        }
    }
}

impl Pattern {
    /// `mfa`, `mfa in fabrikam`, `terms_of_use "Partner terms"`, `terms_of_use` (any terms).
    pub fn parse(text: &str) -> Option<Pattern> {
        let text = text.trim();
        let (control, tenant) = match text.rsplit_once(" in ") {
            Some((c, t)) if !t.contains('"') => (c.trim(), Some(t.trim().to_string())),
            _ => (text, None),
        };
        let keyword = control.split([' ', '(']).next().unwrap_or(control);
        CONTROLS.contains(&keyword).then(|| Pattern {
            control: control.to_string(),
            tenant,
        })
    }

    /// Whether one alternative of a requirement is this control (in this tenant, if given).
    pub fn matches(&self, control: &str, tenant: Option<&str>) -> bool {
        let control_ok = control == self.control
            || (!self.control.contains(' ') && control.split(' ').next() == Some(&self.control));
        control_ok
            && match &self.tenant {
                Some(t) => tenant == Some(t.as_str()),
                None => true,
            }
    }
}

//! The VS Code extension's TextMate grammar (`editors/vscode/syntaxes/accord.tmLanguage.json`)
//! scopes every character of the shipped packs.
//!
//! VS Code runs TextMate grammars with Oniguruma; the patterns here use only what
//! `fancy-regex` evaluates the same way (look-around, classes, alternation), so this small
//! tokenizer (match rules, begin/end regions, includes, captures) applies them as the editor
//! does, without Node or a download at test time.

use std::path::{Path, PathBuf};

use fancy_regex::Regex;
use serde_json::Value;

enum Rule {
    Match {
        regex: Regex,
        named: bool,
        captures: Vec<usize>,
    },
    Region {
        begin: Regex,
        end: Regex,
        named: bool,
        patterns: Vec<Rule>,
    },
}

fn grammar() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("editors/vscode/syntaxes/accord.tmLanguage.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("grammar")).expect("grammar JSON")
}

fn rules(list: &Value, repo: &Value, depth: usize) -> Vec<Rule> {
    assert!(depth < 10, "include cycle");
    let mut out = Vec::new();
    for p in list.as_array().into_iter().flatten() {
        out.extend(rule(p, repo, depth));
    }
    out
}

fn rule(p: &Value, repo: &Value, depth: usize) -> Vec<Rule> {
    if let Some(inc) = p["include"].as_str() {
        let name = inc.strip_prefix('#').expect("repository include");
        return rule(&repo[name], repo, depth + 1);
    }
    let named = p["name"].is_string();
    if let Some(m) = p["match"].as_str() {
        let captures = p["captures"]
            .as_object()
            .map(|c| c.keys().filter_map(|k| k.parse().ok()).collect())
            .unwrap_or_default();
        return vec![Rule::Match {
            regex: Regex::new(m).unwrap_or_else(|e| panic!("{m}: {e}")),
            named,
            captures,
        }];
    }
    if let (Some(b), Some(e)) = (p["begin"].as_str(), p["end"].as_str()) {
        return vec![Rule::Region {
            begin: Regex::new(b).expect("begin"),
            end: Regex::new(e).expect("end"),
            named,
            patterns: rules(&p["patterns"], repo, depth + 1),
        }];
    }
    rules(&p["patterns"], repo, depth + 1)
}

/// The byte offsets of every non-blank character no rule scopes, per line (1-based line).
fn unscoped(top: &[Rule], text: &str) -> Vec<(usize, usize)> {
    let mut problems = Vec::new();
    // The open regions: (end regex, named, patterns).
    let mut stack: Vec<&Rule> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut scoped = vec![false; line.len()];
        let mut pos = 0;
        let mut guard = 0;
        while pos <= line.len() && guard < 10_000 {
            guard += 1;
            let in_named = stack
                .iter()
                .any(|r| matches!(r, Rule::Region { named: true, .. }));
            let patterns: &[Rule] = match stack.last() {
                Some(Rule::Region { patterns, .. }) => patterns,
                _ => top,
            };
            let end = match stack.last() {
                Some(Rule::Region { end, .. }) => end
                    .find_from_pos(line, pos)
                    .ok()
                    .flatten()
                    .map(|m| (m.start(), m.end())),
                _ => None,
            };
            // The earliest pattern match (first in the list on a tie).
            let mut best: Option<(usize, usize, &Rule, Option<fancy_regex::Captures<'_, str>>)> =
                None;
            for r in patterns {
                let (start, end_, caps) = match r {
                    Rule::Match { regex, .. } => {
                        match regex.captures_from_pos(line, pos).ok().flatten() {
                            Some(c) => {
                                let m = c.get(0).expect("group 0");
                                (m.start(), m.end(), Some(c))
                            }
                            None => continue,
                        }
                    }
                    Rule::Region { begin, .. } => {
                        match begin.find_from_pos(line, pos).ok().flatten() {
                            Some(m) => (m.start(), m.end(), None),
                            None => continue,
                        }
                    }
                };
                if best.as_ref().is_none_or(|b| start < b.0) {
                    best = Some((start, end_, r, caps));
                }
            }
            let mark = |scoped: &mut Vec<bool>, a: usize, b: usize| {
                scoped[a..b].iter_mut().for_each(|s| *s = true)
            };
            match (end, best) {
                (Some((s, e)), b) if b.as_ref().is_none_or(|b| s <= b.0) => {
                    mark(&mut scoped, pos, e);
                    stack.pop();
                    pos = e;
                    if e == s && s >= line.len() {
                        continue;
                    }
                }
                (_, Some((s, e, r, caps))) => {
                    if in_named {
                        mark(&mut scoped, pos, s);
                    }
                    match r {
                        Rule::Match {
                            named, captures, ..
                        } => {
                            if *named || in_named {
                                mark(&mut scoped, s, e);
                            }
                            for k in captures {
                                if let Some(m) = caps.as_ref().and_then(|c| c.get(*k)) {
                                    mark(&mut scoped, m.start(), m.end());
                                }
                            }
                        }
                        Rule::Region { named, .. } => {
                            if *named || in_named {
                                mark(&mut scoped, s, e);
                            }
                            stack.push(r);
                        }
                    }
                    // A zero-length match must not stop the line.
                    pos = if e > pos {
                        e
                    } else {
                        pos + line[pos..].chars().next().map_or(1, char::len_utf8)
                    };
                }
                _ => {
                    if in_named {
                        mark(&mut scoped, pos, line.len());
                    }
                    break;
                }
            }
        }
        for (i, c) in line.char_indices() {
            if !c.is_whitespace() && !scoped[i] {
                problems.push((n + 1, i + 1));
            }
        }
    }
    problems
}

fn top() -> Vec<Rule> {
    let g = grammar();
    rules(&g["patterns"], &g["repository"], 0)
}

fn policy_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let p = entry.expect("entry").path();
        if p.is_dir() {
            policy_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "policy") {
            out.push(p);
        }
    }
}

#[test]
fn the_textmate_grammar_scopes_every_shipped_pack() {
    let top = top();
    let mut files = Vec::new();
    policy_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("policies"),
        &mut files,
    );
    assert!(files.len() >= 20, "{files:?}");
    let mut problems = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        for (line, col) in unscoped(&top, &text) {
            problems.push(format!("{}:{line}:{col}", f.display()));
        }
    }
    assert!(problems.is_empty(), "unscoped characters: {problems:?}");
}

#[test]
fn the_tokenizer_finds_unscoped_text_and_strings_scope_what_they_hold() {
    let top = top();
    // A backtick is no token of the language: it must be reported.
    assert_eq!(unscoped(&top, "policy \"x\" { ` }"), vec![(1, 14)]);
    // Inside strings and comments anything goes.
    assert!(unscoped(
        &top,
        "site \"`\\u00e9\" = x  # `~`\ndevices = include 'a `b`'"
    )
    .is_empty());
}

#[test]
fn the_textmate_keywords_are_the_grammar_keywords() {
    let g = grammar();
    let pattern = g["repository"]["keyword"]["match"]
        .as_str()
        .expect("keyword rule");
    let inner = pattern
        .split("(?<![A-Za-z0-9_-])(")
        .nth(1)
        .and_then(|s| s.split(")(?!").next())
        .expect("alternation");
    let mut listed: Vec<&str> = inner.split('|').collect();
    listed.sort();
    let grammar_words: Vec<&str> = accord::lsp::features::grammar_keywords()
        .iter()
        .map(String::as_str)
        .collect();
    assert_eq!(
        listed, grammar_words,
        "editors/vscode keeps up with grammar/accord.pest"
    );
}

//! The formatter: round trips over the shipped packs and fixtures, over random models, and a
//! parser that never panics.

mod model_gen;
mod policy_gen;
mod robust;

use std::path::{Path, PathBuf};

use accord::fmt::{format_file, format_pack, formattable};
use accord::source::FileId;
use accord::syntax::{parse_file, ParsedFile};
use proptest::prelude::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.policy` file under `dir`, sorted (none when `dir` does not exist).
fn policy_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "policy") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn comment_texts(parsed: &ParsedFile) -> Vec<&str> {
    parsed.comments.iter().map(|c| c.text.as_str()).collect()
}

/// The formatter's contract on one text that parses cleanly: same model, same comments,
/// idempotent. Returns the formatted text.
pub fn assert_round_trip(text: &str, what: &str) -> String {
    let parsed = parse_file(FileId(0), text);
    assert!(formattable(&parsed), "{what}: {:?}", parsed.diagnostics);
    let once = format_file(&parsed, FileId(0), text);
    let reparsed = parse_file(FileId(0), &once);
    assert!(
        formattable(&reparsed),
        "{what}: formatted text does not parse cleanly: {:?}\n{once}",
        reparsed.diagnostics
    );
    assert!(
        reparsed.pack.same_as(&parsed.pack),
        "{what}: formatting changed the model\n{once}"
    );
    assert_eq!(
        comment_texts(&reparsed),
        comment_texts(&parsed),
        "{what}: comments changed\n{once}"
    );
    let twice = format_file(&reparsed, FileId(0), &once);
    assert!(
        twice == once,
        "{what}: formatting is not idempotent\n--- source\n{text}\n--- once\n{once}\n--- twice\n{twice}"
    );
    once
}

/// `text` with CRLF line ends and each two leading spaces made a tab.
fn windows_style(text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let body = line.trim_start_matches(' ');
            let indent = line.len() - body.len();
            format!(
                "{}{}{body}",
                "\t".repeat(indent / 2),
                " ".repeat(indent % 2)
            )
        })
        .collect();
    lines.join("\r\n") + "\r\n"
}

#[test]
fn shipped_packs_and_fixtures_round_trip() {
    let mut files = policy_files(&root().join("policies"));
    let shipped = files.len();
    assert!(shipped >= 5, "the example pack is missing");
    files.extend(policy_files(&root().join("tests/fixtures")));
    let mut checked = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable fixture");
        let parsed = parse_file(FileId(0), &text);
        // Invalid fixtures are there to fail; only what parses cleanly has a canonical form.
        if formattable(&parsed) {
            let what = path.display().to_string();
            let canonical = assert_round_trip(&text, &what);
            // Windows line endings and tab indentation format to the same canonical text.
            let crlf = windows_style(&text);
            assert_eq!(
                assert_round_trip(&crlf, &what),
                canonical,
                "{what} with CRLF"
            );
            checked += 1;
        }
    }
    assert!(checked >= shipped, "every shipped file must be checked");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn printed_models_parse_back_to_themselves(pack in policy_gen::pack()) {
        let text = format_pack(&pack);
        let parsed = parse_file(FileId(0), &text);
        prop_assert!(parsed.parsed, "{:?}\n{text}", parsed.diagnostics);
        prop_assert!(parsed.diagnostics.is_empty(), "{:?}\n{text}", parsed.diagnostics);
        prop_assert!(parsed.pack.same_as(&pack), "{text}");
        prop_assert!(parsed.comments.is_empty(), "a string was read as a comment\n{text}");
        // The printed text is canonical: formatting it again changes nothing.
        prop_assert_eq!(format_file(&parsed, FileId(0), &text), text);
    }
}

/// Byte offsets of `text` between two tokens (outside string literals, not inside a word or a
/// number): places where a comment or a line break can go without changing what the text says.
fn gaps_outside_strings(text: &str) -> Vec<usize> {
    let word = |c: char| c.is_ascii_alphanumeric() || "_-.+".contains(c);
    let mut found = Vec::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut previous: Option<char> = None;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => {
                if !(previous.is_some_and(word) && word(c)) {
                    found.push(i);
                }
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
            }
        }
        previous = Some(c);
    }
    found
}

fn insertion() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(vec![
        " # trailing\n",
        "\n# own line\n",
        "\n    #indented, no space after the hash\n",
        " # it's \"quoted\" { with braces }\n",
        "\n\n\n",
        "\n#\n",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Comments and blank lines dropped anywhere between tokens of any construct survive
    /// formatting, in order, and the result is a fixed point.
    #[test]
    fn comments_anywhere_survive(
        pack in policy_gen::pack(),
        inserts in proptest::collection::vec(
            (any::<proptest::sample::Index>(), insertion()), 0..8),
    ) {
        let mut text = format_pack(&pack);
        let gaps = gaps_outside_strings(&text);
        if !gaps.is_empty() {
            let mut at: Vec<(usize, &str)> =
                inserts.iter().map(|(i, s)| (*i.get(&gaps), *s)).collect();
            at.sort_by_key(|a| std::cmp::Reverse(a.0));
            for (pos, s) in at {
                text.insert_str(pos, s);
            }
        }
        assert_round_trip(&text, "text with comments");
    }
}

//! What a new user trips on (issue 15's list of findings): each message names the file, the
//! line and the column, shows a short snippet, and gives advice; nothing is lost silently.

use super::{accord, all, code, path, scratch, small_pack, PACK, REQUEST};

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn an_unclosed_brace_is_reported_at_the_brace() {
    let out = accord(&["check", "tests/fixtures/invalid/01-missing-brace.policy"]);
    assert_eq!(code(&out), 1);
    let text = all(&out);
    assert!(
        text.contains("error[E0001]: this `{` is not closed"),
        "{text}"
    );
    assert!(text.contains("01-missing-brace.policy:6:9]"), "{text}");
    assert!(text.contains("expected `}` before `grant`"), "{text}");
}

#[test]
fn a_file_that_is_not_policy_text_is_not_parsed_as_a_pack() {
    let dir = small_pack("swapped");
    std::fs::write(dir.join("request.yaml"), REQUEST).expect("write");
    std::fs::write(dir.join("a.test.yaml"), "cases: []\n").expect("write");
    // PACK and REQUEST swapped.
    let out = accord(&["whatif", path(&dir.join("request.yaml")), path(&dir)]);
    assert_eq!(code(&out), 2, "{}", all(&out));
    assert!(
        all(&out).contains(
            "is not a pack: it is a YAML file (a request or a matrix?); the pack comes first"
        ),
        "{}",
        all(&out)
    );
    let out = accord(&["check", path(&dir.join("a.test.yaml"))]);
    assert_eq!(code(&out), 2);
    assert!(all(&out).contains("it is a test file"), "{}", all(&out));
    let out = accord(&["check", "tests/fixtures/graph/powershell/policy.json"]);
    assert!(all(&out).contains("it is a JSON file"), "{}", all(&out));
}

#[test]
fn request_errors_point_at_the_field() {
    let dir = small_pack("request-places");
    let cases = [
        // An unknown app: the `app:` line, not 1:1.
        (
            "user:\n  name: alice@contoso.com\napp: sharepont\n",
            "request.yaml:3:6]",
            "did you mean `sharepoint`?",
        ),
        // An undeclared tenant name: the `home:` key.
        (
            "user:\n  name: bob@fabrikam.com\n  home: fabrikm\napp: teams\n",
            "request.yaml:3:3]",
            "is not a declared tenant",
        ),
        // A list at the root: said so, not "has no `user`".
        (
            "- user: { name: a@contoso.com }\n- app: teams\n",
            "request.yaml:1:1]",
            "the request is a list, not a mapping",
        ),
        // Two documents: no position, but the file is named.
        (
            "user: { name: a@contoso.com }\n---\napp: teams\n",
            "request.yaml`: ",
            "more than one document",
        ),
    ];
    for (text, place, message) in cases {
        std::fs::write(dir.join("request.yaml"), text).expect("write");
        let out = accord(&["whatif", path(&dir), path(&dir.join("request.yaml"))]);
        assert_eq!(code(&out), 2, "{text}");
        let shown = all(&out);
        assert!(shown.contains(place), "{text}: {shown}");
        assert!(shown.contains(message), "{text}: {shown}");
        assert!(!shown.contains("has no `user`"), "{shown}");
    }
}

/// Decision: country codes are uppercase everywhere, in requests as in packs (Graph writes them
/// in uppercase); a lowercase code is an error that gives the uppercase one.
#[test]
fn lowercase_country_codes_follow_one_rule_in_packs_and_requests() {
    let dir = small_pack("countries");
    std::fs::write(
        dir.join("request.yaml"),
        "user: { name: alice@contoso.com }\napp: teams\nnetwork: { country: fr }\n",
    )
    .expect("write");
    let out = accord(&["whatif", path(&dir), path(&dir.join("request.yaml"))]);
    assert_eq!(code(&out), 2, "{}", all(&out));
    assert!(
        all(&out).contains("`fr`: write country codes in uppercase, `FR`"),
        "{}",
        all(&out)
    );
    let set = accord(&[
        "whatif",
        path(&dir),
        "--set",
        "user.name=alice@contoso.com",
        "--set",
        "app=teams",
        "--set",
        "network.country=FR",
    ]);
    assert_eq!(code(&set), 0, "{}", all(&set));
    std::fs::write(
        dir.join("loc.policy"),
        "location paris { countries = [\"fr\"] }\n",
    )
    .expect("write");
    let pack = accord(&["check", path(&dir)]);
    assert_eq!(code(&pack), 1);
    assert!(all(&pack).contains("uppercase"), "{}", all(&pack));
}

#[test]
fn a_share_recipient_that_is_not_an_address_is_an_error_not_a_deny() {
    let dir = small_pack("share-address");
    std::fs::write(
        dir.join("share.yaml"),
        "share:\n  service: sharepoint\n  with: carol at litware\n",
    )
    .expect("write");
    let out = accord(&["whatif", path(&dir), path(&dir.join("share.yaml"))]);
    assert_eq!(code(&out), 2, "{}", all(&out));
    assert!(!stdout(&out).contains("DENY"), "{}", all(&out));
    assert!(
        all(&out).contains("`with: carol at litware` is not an e-mail address"),
        "{}",
        all(&out)
    );
    assert!(all(&out).contains("share.yaml:3:3]"), "{}", all(&out));
}

#[test]
fn warnings_never_carry_an_error_code() {
    let dir = scratch("warning-codes");
    std::fs::write(
        dir.join("pack.policy"),
        format!(
            "{PACK}\npolicy \"b\" {{\n  users {{ include all }}\n  apps {{ include office365 }}\n  conditions {{ platforms = include(all, ios)  locations = include(\"6d8b39e5-039a-4034-bf3a-e0b4f8cd60b6\") }}\n  session {{ persistent_browser = never }}\n}}\n"
        ),
    )
    .expect("write");
    let out = accord(&["check", "--format", "json", path(&dir)]);
    let list: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let codes: Vec<(String, String)> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["severity"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    for expected in ["W1067", "W1069", "W1071"] {
        assert!(
            codes.contains(&(expected.to_string(), "warning".to_string())),
            "{expected} missing: {codes:?}"
        );
    }
    for (c, severity) in &codes {
        assert_eq!(
            c.starts_with('E'),
            severity == "error",
            "{c} is a {severity}"
        );
    }
}

#[test]
fn sarif_has_a_rule_for_every_result() {
    let out = accord(&[
        "lint",
        "--format",
        "sarif",
        "tests/fixtures/invalid/20-unknown-location.policy",
    ]);
    let log: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("sarif");
    let run = &log["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    let results = run["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for r in results {
        let id = r["ruleId"].as_str().expect("ruleId");
        let index = r["ruleIndex"].as_u64().expect("a ruleIndex") as usize;
        assert_eq!(rules[index], id, "{r}");
    }
    assert!(rules.contains(&"E1069"), "{rules:?}");
}

#[test]
fn lint_only_and_allow_of_the_same_code_is_a_usage_error() {
    let out = accord(&[
        "lint",
        "policies/contoso-group",
        "--only",
        "EXT003",
        "--allow",
        "ext003",
    ]);
    assert_eq!(code(&out), 2, "{}", all(&out));
    assert!(
        all(&out).contains("nothing would be reported"),
        "{}",
        all(&out)
    );
}

#[test]
fn whatif_colours_the_decision_when_asked_and_can_list_applied_policies_only() {
    let request = "tests/fixtures/whatif/01-employee-at-hq.yaml";
    let plain = accord(&["whatif", "policies/contoso-group", request]);
    let colour = accord(&[
        "--color",
        "always",
        "whatif",
        "policies/contoso-group",
        request,
    ]);
    assert_eq!(code(&colour), 0);
    assert!(!stdout(&plain).contains('\u{1b}'), "no colour unless asked");
    assert!(stdout(&colour).contains("\u{1b}["), "{}", stdout(&colour));
    let never = accord(&[
        "--color",
        "never",
        "whatif",
        "policies/contoso-group",
        request,
    ]);
    assert_eq!(stdout(&never), stdout(&plain));

    let applied = accord(&[
        "whatif",
        "policies/contoso-group",
        request,
        "--applied-only",
    ]);
    assert_eq!(code(&applied), 0);
    let full = stdout(&plain);
    let short = stdout(&applied);
    assert!(full.lines().any(|l| l.starts_with("  - ")), "{full}");
    assert!(!short.lines().any(|l| l.starts_with("  - ")), "{short}");
    assert!(short.contains("more that do not apply"), "{short}");
    assert_eq!(full.lines().next(), short.lines().next(), "same decision");
}

#[test]
fn a_failing_test_case_says_which_side_is_expected() {
    let dir = small_pack("test-sides");
    std::fs::write(
        dir.join("wrong.test.yaml"),
        "cases:\n  - name: alice is allowed\n    request: { user: { name: alice@contoso.com }, app: teams }\n    expect: allow\n",
    )
    .expect("write");
    let out = accord(&["test", path(&dir)]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.contains("  - expected decision: allow"), "{text}");
    assert!(text.contains("  + actual   decision: challenge"), "{text}");
}

#[test]
fn did_you_mean_never_wraps_a_name_across_lines() {
    let dir = scratch("wrap");
    let long = "Compliant device for in-organization members on SharePoint and Teams";
    std::fs::write(
        dir.join("pack.policy"),
        format!("{PACK}\npolicy \"{long}\" {{\n  users {{ include all }}\n  apps {{ include all }}\n  grant mfa\n}}\n"),
    )
    .expect("write");
    std::fs::write(
        dir.join("t.test.yaml"),
        format!("cases:\n  - name: x\n    request: {{ user: {{ name: alice@contoso.com }}, app: teams }}\n    expect: challenge\n    applied: [\"{}\"]\n", long.replace("Teams", "Temas")),
    )
    .expect("write");
    let out = accord(&["test", path(&dir)]);
    let text = all(&out);
    assert!(
        text.contains(&format!("`{long}`")),
        "the name is cut: {text}"
    );
}

#[test]
fn export_says_it_does_not_write_the_organisation() {
    let out = accord(&["export", "policies/contoso-group", "--stdout"]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "warning[W3028]: the multi-tenant organisation `Contoso Group` is not exported"
        ),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn import_refuses_what_is_not_graph_json_and_an_invalid_tenant() {
    let dir = scratch("import-bare");
    std::fs::write(dir.join("n.json"), "42\n").expect("write");
    let out = accord(&[
        "import",
        path(&dir.join("n.json")),
        "-o",
        path(&dir.join("out")),
    ]);
    assert_eq!(code(&out), 1, "{}", all(&out));
    assert!(
        all(&out).contains("error[E3003]: the file holds a JSON number, not Graph objects"),
        "{}",
        all(&out)
    );
    assert!(!dir.join("out").exists());

    let bad = accord(&[
        "import",
        "tests/fixtures/graph/powershell/policy.json",
        "-o",
        path(&dir.join("out")),
        "--tenant",
        "https://contoso.com",
    ]);
    assert_eq!(code(&bad), 2, "{}", all(&bad));
    assert!(
        all(&bad).contains("is neither a tenant id nor a domain"),
        "{}",
        all(&bad)
    );
    assert!(!dir.join("out").exists(), "nothing written");
}

#[test]
fn import_quiet_prints_errors_only_and_counts_the_rest_per_code() {
    let dir = scratch("import-quiet");
    let out = accord(&[
        "import",
        "../shared/corpus/Fortigi__ConditionalAccess",
        "-o",
        path(&dir.join("out")),
        "--quiet",
    ]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    let text = stdout(&out);
    assert!(!text.contains("warning["), "{text}");
    assert!(text.contains("by code: "), "{text}");
    assert!(text.contains("(warning) × "), "{text}");
}

#[test]
fn snippets_of_long_lines_are_cut_to_a_window() {
    let dir = scratch("long-snippet");
    // One line of minified JSON, 200,000 characters, with a problem at its end.
    let padding = "x".repeat(200_000);
    let json = format!("{{\"displayName\": \"{padding}\", \"state\": tru }}");
    let column = json.find("tru ").expect("the mistake") + 1;
    std::fs::write(dir.join("p.json"), &json).expect("write");
    let out = accord(&[
        "import",
        path(&dir.join("p.json")),
        "-o",
        path(&dir.join("out")),
    ]);
    assert_eq!(code(&out), 1, "{}", all(&out));
    let text = all(&out);
    assert!(text.len() < 5_000, "{} bytes of output", text.len());
    assert!(text.contains('…'), "{text}");
    assert!(
        text.contains(&format!("p.json:1:{column}]")),
        "the real column: {text}"
    );
}

/// Not in the list, but what an attacker who controls one file tries: escape sequences
/// in names, to clear or retitle the reviewer's terminal. Messages escape them, snippets and
/// matrix tables replace them.
#[test]
fn no_control_character_from_a_file_reaches_the_terminal() {
    let dir = scratch("escapes");
    std::fs::write(
        dir.join("pack.policy"),
        "resource tenant contoso { id = \"2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01\" }\npolicy \"x\u{1b}[2J\" { users { include all } apps { include all } conditions { locations = include(\"\u{1b}]0;pwned\u{7}\") } grant mfa }\n",
    )
    .expect("write");
    let out = accord(&["check", path(&dir)]);
    assert_eq!(code(&out), 1, "{}", all(&out));
    assert!(!all(&out).contains('\u{1b}'), "{:?}", all(&out));
    assert!(all(&out).contains("\\u{1b}"), "{}", all(&out));

    let pack = small_pack("escapes-matrix");
    std::fs::write(
        pack.join("m.yaml"),
        "dimensions:\n  user:\n    \"\\e[31mred\": { user: { name: a@contoso.com } }\n  app: [teams]\n",
    )
    .expect("write");
    let out = accord(&[
        "whatif",
        path(&pack),
        "--matrix",
        path(&pack.join("m.yaml")),
    ]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert!(!stdout(&out).contains('\u{1b}'), "{:?}", stdout(&out));
    assert!(stdout(&out).contains("\\u{1b}[31mred"), "{}", stdout(&out));
}

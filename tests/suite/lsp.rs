//! `accord lsp` as an editor runs it: a process spoken to in JSON-RPC over stdio.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

/// A language client: writes framed messages, reads them on a thread.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications read while waiting for a response.
    pending: Vec<Value>,
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start accord lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(m) = read_message(&mut reader) {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages: rx,
            next_id: 1,
            pending: Vec::new(),
        };
        let caps = client.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        );
        assert!(
            caps["capabilities"]["hoverProvider"]
                .as_bool()
                .unwrap_or(false),
            "{caps}"
        );
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn recv(&mut self) -> Value {
        self.messages
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answers within a minute (and is still running)")
    }

    /// Sends a request and returns its result; panics on an error response.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.try_request(method, params.clone());
        assert!(
            response.get("error").is_none(),
            "{method} {params}: {response}"
        );
        response["result"].clone()
    }

    fn try_request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let m = self.recv();
            if m["id"] == json!(id) {
                return m;
            }
            self.pending.push(m);
        }
    }

    /// The diagnostics next published for `uri` (after the last open or change).
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let is_it = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        if let Some(i) = self.pending.iter().position(is_it) {
            let m = self.pending.remove(i);
            return m["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
        }
        loop {
            let m = self.recv();
            if is_it(&m) {
                return m["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
            self.pending.push(m);
        }
    }

    /// Drops the notifications received so far (so the next `diagnostics` is fresh).
    fn settle(&mut self) {
        // A request's response comes after every notification the previous messages caused.
        self.request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": "file:///nonexistent/x.policy" } }),
        );
        self.pending.clear();
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.settle();
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "accord", "version": 1, "text": text } }),
        );
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.settle();
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    fn shutdown(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().expect("wait");
        assert!(status.success(), "{status}");
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// A copy of the contoso-group pack's policy files.
fn contoso_copy(name: &str) -> PathBuf {
    let dir = scratch(name);
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/contoso-group");
    for entry in std::fs::read_dir(&src).expect("pack") {
        let p = entry.expect("entry").path();
        if p.extension().is_some_and(|e| e == "policy") {
            std::fs::copy(&p, dir.join(p.file_name().expect("name"))).expect("copy");
        }
    }
    dir
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn pos(text: &str, needle: &str, nth: usize) -> Value {
    let at = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` in text"))
        .0;
    let line = text[..at].matches('\n').count();
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": line, "character": col })
}

/// `accord check --format json` as `(file name, line, column, code, message, hint)`, 0-based.
fn check_json(pack: &Path) -> Vec<(String, u64, u64, String, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["check", "--format", "json"])
        .arg(pack)
        .output()
        .expect("run accord check");
    let list: Vec<Value> = serde_json::from_slice(&out.stdout).expect("check json");
    list.iter()
        .map(|d| {
            let file = Path::new(d["file"].as_str().unwrap_or(""))
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let mut message = d["message"].as_str().unwrap_or("").to_string();
            if let Some(h) = d["hint"].as_str() {
                message.push_str("\nhelp: ");
                message.push_str(h);
            }
            (
                file,
                d["line"].as_u64().unwrap_or(0) - 1,
                d["column"].as_u64().unwrap_or(0) - 1,
                d["code"].as_str().unwrap_or("").to_string(),
                message,
            )
        })
        .collect()
}

fn lsp_shape(file: &str, list: &[Value]) -> Vec<(String, u64, u64, String, String)> {
    list.iter()
        .map(|d| {
            (
                file.to_string(),
                d["range"]["start"]["line"].as_u64().unwrap_or(99),
                d["range"]["start"]["character"].as_u64().unwrap_or(99),
                d["code"].as_str().unwrap_or("").to_string(),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn labels(result: &Value) -> Vec<String> {
    result
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["label"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn an_editing_session_from_errors_to_a_clean_pack() {
    let dir = contoso_copy("lsp-session");
    let locations = dir.join("locations.policy");
    let policies = dir.join("policies.policy");
    let good = std::fs::read_to_string(&locations).expect("read");
    // Renaming a location breaks the reference in another file.
    let broken = good.replace("location embargo", "location embargoes");
    std::fs::write(&locations, &broken).expect("write");
    let expected = check_json(&dir);
    assert!(
        expected
            .iter()
            .any(|d| d.0 == "policies.policy" && d.3.starts_with('E')),
        "{expected:?}"
    );

    let mut c = Client::start();
    c.open(&uri(&locations), &broken);
    let mut got = lsp_shape("locations.policy", &c.diagnostics(&uri(&locations)));
    got.extend(lsp_shape(
        "policies.policy",
        &c.diagnostics(&uri(&policies)),
    ));
    let mut want = expected.clone();
    want.sort();
    got.sort();
    assert_eq!(
        got, want,
        "the server's diagnostics are `accord check --format json`'s"
    );

    // The quick fix the "did you mean" hint describes, applied and re-checked.
    let policies_text = std::fs::read_to_string(&policies).expect("read");
    let error = c.diagnostics_for_request(&policies);
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri(&policies) }, "range": error["range"], "context": { "diagnostics": [error] } }),
    );
    let fix = actions
        .as_array()
        .and_then(|a| {
            a.iter().find(|x| {
                x["title"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("replace with")
            })
        })
        .cloned()
        .unwrap_or_else(|| panic!("a replace action in {actions}"));
    assert_eq!(fix["title"], "replace with `embargoes`");
    let edit = &fix["edit"]["changes"][uri(&policies)][0];
    let fixed = apply(&policies_text, edit);
    assert!(fixed.contains("include(embargoes)"), "{fixed}");
    c.open(&uri(&policies), &fixed);
    assert_eq!(c.diagnostics(&uri(&policies)), Vec::<Value>::new());
    assert_eq!(c.diagnostics(&uri(&locations)), Vec::<Value>::new());

    // Undo both: the original pack, which lints clean.
    c.change(&uri(&locations), 2, &good);
    let still = c.diagnostics(&uri(&policies));
    assert!(still.iter().any(|d| d["severity"] == 1), "{still:?}");
    c.change(&uri(&policies), 2, &policies_text);
    assert_eq!(c.diagnostics(&uri(&policies)), Vec::<Value>::new());
    c.shutdown();
}

fn apply(text: &str, edit: &Value) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap_or(0) as usize;
        let ch = p["character"].as_u64().unwrap_or(0) as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + ch
    };
    let (s, e) = (
        offset(&edit["range"]["start"]),
        offset(&edit["range"]["end"]),
    );
    format!(
        "{}{}{}",
        &text[..s],
        edit["newText"].as_str().unwrap_or(""),
        &text[e..]
    )
}

impl Client {
    /// The first diagnostic with `code` the server publishes for `path` (waiting for the
    /// background tier when needed).
    fn diagnostics_for_request_any(&mut self, path: &Path, code: &str) -> Value {
        let text = std::fs::read_to_string(path).expect("read");
        self.open(&uri(path), &text);
        for _ in 0..4 {
            let list = self.diagnostics(&uri(path));
            if let Some(d) = list.into_iter().find(|d| d["code"] == code) {
                return d;
            }
        }
        panic!("no {code} published")
    }

    /// The first error the server published for `path` since the last call (re-asked by
    /// reopening nothing: the diagnostics are taken from the pending notifications or the
    /// next publication).
    fn diagnostics_for_request(&mut self, path: &Path) -> Value {
        let text = std::fs::read_to_string(path).expect("read");
        self.open(&uri(path), &text);
        let list = self.diagnostics(&uri(path));
        list.into_iter()
            .find(|d| d["severity"] == 1)
            .expect("an error")
    }
}

#[test]
fn navigation_hover_completion_and_formatting() {
    let dir = contoso_copy("lsp-navigation");
    let policies = dir.join("policies.policy");
    let tenants = dir.join("tenants.policy");
    let xt = dir.join("cross_tenant.policy");
    let text = std::fs::read_to_string(&policies).expect("read");
    let xt_text = std::fs::read_to_string(&xt).expect("read");
    let mut c = Client::start();
    c.open(&uri(&policies), &text);
    c.settle();
    let doc = |p: &Path, at: Value| json!({ "textDocument": { "uri": uri(p) }, "position": at });

    // Definition of a location used in policies.policy: its declaration in locations.policy.
    let def = c.request(
        "textDocument/definition",
        doc(&policies, pos(&text, "include(embargo)", 0).clone()),
    );
    let def_embargo = c.request(
        "textDocument/definition",
        doc(&policies, shift(pos(&text, "include(embargo)", 0), 9)),
    );
    assert_eq!(def, json!([]), "`include` is not a name");
    assert_eq!(def_embargo[0]["uri"], uri(&dir.join("locations.policy")));
    assert_eq!(
        def_embargo[0]["range"]["start"],
        json!({ "line": 3, "character": 9 })
    );

    // References of a tenant from its cross-tenant block: declaration, organization member,
    // the block itself.
    let refs = c.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": uri(&xt) }, "position": shift(pos(&xt_text, "cross_tenant fabrikam", 0), 14), "context": { "includeDeclaration": true } }),
    );
    let files: Vec<&str> = refs
        .as_array()
        .expect("refs")
        .iter()
        .filter_map(|r| r["uri"].as_str())
        .collect();
    assert!(
        files.contains(&uri(&tenants).as_str()) && files.contains(&uri(&xt).as_str()),
        "{refs}"
    );
    assert!(files.len() >= 3, "{refs}");

    // Hover: a name shows its declaration and uses; a keyword its reference text; a lint code
    // in a suppression what `accord rules` says.
    let h = c.request(
        "textDocument/hover",
        doc(&xt, shift(pos(&xt_text, "cross_tenant fabrikam", 0), 14)),
    );
    let v = h["contents"]["value"].as_str().unwrap_or("");
    assert!(
        v.starts_with("tenant `fabrikam`")
            && v.contains("declared at tenants.policy:")
            && v.contains("used "),
        "{v}"
    );
    let h = c.request("textDocument/hover", doc(&xt, pos(&xt_text, "trust", 0)));
    assert!(
        h["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .contains("home tenant"),
        "{h}"
    );
    let h = c.request(
        "textDocument/hover",
        doc(&policies, shift(pos(&text, "EXT003", 0), 2)),
    );
    assert!(
        h["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .contains("EXT003"),
        "{h}"
    );

    // Outline.
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri(&policies) } }),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .expect("symbols")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert!(
        names.contains(&"Require MFA for external users") || names.len() >= 5,
        "{names:?}"
    );
    assert_eq!(
        names.len(),
        text.matches("\npolicy ").count() + usize::from(text.starts_with("policy "))
    );

    // Semantic tokens: five integers per token, every token on one line.
    let tokens = c.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": uri(&policies) } }),
    );
    let data = tokens["data"].as_array().expect("data");
    assert!(data.len() > 100 && data.len() % 5 == 0);

    // Completion at a dozen places of a document being written.
    let scratch_doc = dir.join("new.policy");
    let cases: &[(&str, &[&str])] = &[
        (
            "",
            &["policy", "tenant", "location", "sharing", "cross_tenant"],
        ),
        (
            "policy \"x\" {\n  ",
            &["users", "apps", "conditions", "grant", "session", "state"],
        ),
        ("policy \"x\" {\n  state = ", &["on", "off", "report_only"]),
        (
            "policy \"x\" {\n  grant ",
            &[
                "mfa",
                "block",
                "all",
                "any",
                "terms_of_use",
                "auth_strength",
            ],
        ),
        (
            "policy \"x\" {\n  grant auth_strength ",
            &["phishing_resistant", "passwordless"],
        ),
        (
            "policy \"x\" {\n  conditions { platforms = include(",
            &["ios", "android", "all"],
        ),
        (
            "policy \"x\" {\n  conditions { locations = include(",
            &["hq", "embargo", "all_trusted"],
        ),
        (
            "policy \"x\" {\n  conditions { client_apps = [",
            &["browser", "other"],
        ),
        (
            "policy \"x\" {\n  conditions { sign_in_risk = [",
            &["high", "medium"],
        ),
        (
            "policy \"x\" {\n  apps { include ",
            &["sharepoint", "office365", "all"],
        ),
        (
            "policy \"x\" {\n  users { include external(b2b_guest) from ",
            &["organization", "any", "tenants"],
        ),
        (
            "policy \"x\" {\n  users { include external(b2b_guest) from tenants(",
            &["fabrikam", "litware"],
        ),
        (
            "policy \"x\" {\n  users { exclude group \"",
            &["Emergency access"],
        ),
        ("cross_tenant ", &["fabrikam", "default"]),
        (
            "sharing {\n  sharepoint = ",
            &["existing_guests", "only_organization"],
        ),
        (
            "cross_tenant fabrikam {\n  trust ",
            &["mfa", "none", "compliant_device"],
        ),
    ];
    for (i, (before, want)) in cases.iter().enumerate() {
        let body = format!("{before}\n");
        if i == 0 {
            c.open(&uri(&scratch_doc), &body);
        } else {
            c.change(&uri(&scratch_doc), i as i64 + 1, &body);
        }
        let at = pos(&body, "\n", before.matches('\n').count());
        let got = labels(&c.request("textDocument/completion", doc(&scratch_doc, at)));
        for w in *want {
            assert!(
                got.iter().any(|g| g == w || g.trim_matches('"') == *w),
                "after {before:?}: `{w}` not in {got:?}"
            );
        }
    }

    // Formatting: what `accord fmt` prints; nothing for a file that does not parse.
    let messy =
        "policy   \"y\" {\nusers {   include all }\n   apps { include all }\n grant mfa }\n";
    let file = dir.join("messy.policy");
    std::fs::write(&file, messy).expect("write");
    c.open(&uri(&file), messy);
    let edits = c.request("textDocument/formatting", json!({ "textDocument": { "uri": uri(&file) }, "options": { "tabSize": 2, "insertSpaces": true } }));
    let fmt = Command::new(env!("CARGO_BIN_EXE_accord"))
        .arg("fmt")
        .arg(&file)
        .output()
        .expect("fmt");
    assert_eq!(
        apply(messy, &edits[0]),
        String::from_utf8_lossy(&fmt.stdout)
    );
    c.change(&uri(&file), 2, "policy \"y\" { users {");
    let none = c.request("textDocument/formatting", json!({ "textDocument": { "uri": uri(&file) }, "options": { "tabSize": 2, "insertSpaces": true } }));
    assert_eq!(none, Value::Null);
    c.shutdown();
}

/// The whole-space lint rules (here CAP005) run in the background after an edit: the first
/// publication has every other diagnostic, a later one adds their findings, exactly as
/// `accord lint` reports them; after an edit that removes the cause, they are gone.
#[test]
fn whole_space_findings_follow_in_the_background() {
    let dir = scratch("lsp-background");
    let file = dir.join("pack.policy");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint/CAP005/fires.policy"),
    )
    .expect("fixture");
    std::fs::write(&file, &text).expect("write");
    let lint = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["lint", "--format", "json"])
        .arg(&dir)
        .output()
        .expect("lint");
    let expected: Vec<Value> = serde_json::from_slice(&lint.stdout).expect("lint json");
    let mut want: Vec<(String, u64)> = expected
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    want.sort();
    assert_eq!(
        want.iter().filter(|(c, _)| c == "CAP005").count(),
        2,
        "{want:?}"
    );

    let mut c = Client::start();
    c.open(&uri(&file), &text);
    // Publications until one holds the CAP005 findings (the first may not).
    let mut got = Vec::new();
    for _ in 0..5 {
        let list = c.diagnostics(&uri(&file));
        got = list
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or("").to_string(),
                    d["range"]["start"]["line"].as_u64().unwrap_or(0) + 1,
                )
            })
            .collect::<Vec<_>>();
        got.sort();
        if got.iter().any(|(code, _)| code == "CAP005") {
            break;
        }
    }
    assert_eq!(got, want, "the server ends with `accord lint`'s findings");

    // Turning the report-only trial on: its CAP005 finding disappears.
    let on = text.replacen("state = report_only  # expect: CAP005", "state = on", 1);
    assert_ne!(on, text);
    c.change(&uri(&file), 2, &on);
    let mut codes = Vec::new();
    for _ in 0..5 {
        codes = c
            .diagnostics(&uri(&file))
            .iter()
            .filter_map(|d| d["code"].as_str().map(str::to_string))
            .collect::<Vec<_>>();
        if codes.iter().filter(|c| *c == "CAP005").count() == 1 {
            break;
        }
    }
    assert_eq!(
        codes.iter().filter(|c| *c == "CAP005").count(),
        1,
        "{codes:?}"
    );
    c.shutdown();
}

/// The EXT003 quick fixes make every named partner trust MFA done at home, whether its block
/// states a `trust`, inherits `default`'s, or does not exist; the suppression fix silences a
/// finding. Each is applied and the pack re-checked by the server and by `accord lint`.
#[test]
fn lint_quick_fixes_applied_and_rechecked() {
    let dir = scratch("lsp-quick-fixes");
    let file = dir.join("pack.policy");
    let fixture = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint/EXT003/fires.policy"),
    )
    .expect("fixture")
    // `default` trusts compliant devices: a block without `trust` inherits that, and the fix
    // must keep it. Litware loses its block: the fix must add one.
    .replace(
        "cross_tenant fabrikam {",
        "cross_tenant default { trust compliant_device }\ncross_tenant fabrikam {",
    )
    .replace(
        "cross_tenant litware  { inbound b2b_collaboration = allow }\n",
        "",
    );
    std::fs::write(&file, &fixture).expect("write");
    let mut text = fixture.clone();
    let mut c = Client::start();
    c.open(&uri(&file), &text);
    let mut version = 1;
    let ext003 = |list: &[Value]| list.iter().find(|d| d["code"] == "EXT003").cloned();
    let mut applied = Vec::new();
    loop {
        let list = c.diagnostics(&uri(&file));
        let Some(d) = ext003(&list) else { break };
        let actions = c.request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri(&file) }, "range": d["range"], "context": { "diagnostics": [d] } }),
        );
        let fix = actions
            .as_array()
            .and_then(|a| {
                a.iter().find(|x| {
                    x["title"]
                        .as_str()
                        .unwrap_or("")
                        .starts_with("trust MFA done in")
                })
            })
            .cloned()
            .unwrap_or_else(|| panic!("a trust action in {actions}"));
        applied.push(fix["title"].as_str().unwrap_or("").to_string());
        text = apply(&text, &fix["edit"]["changes"][uri(&file)][0]);
        version += 1;
        c.change(&uri(&file), version, &text);
        assert!(applied.len() <= 2, "{applied:?}\n{text}");
    }
    // Fabrikam and Litware (Tailspin already trusts MFA).
    assert_eq!(applied.len(), 2, "one fix per tenant: {applied:?}");
    assert!(text.contains("cross_tenant fabrikam { inbound b2b_collaboration = allow trust mfa, compliant_device }"), "{text}");
    assert!(
        text.contains("cross_tenant litware {\n  trust mfa, compliant_device\n}"),
        "{text}"
    );
    std::fs::write(&file, &text).expect("write");
    let lint = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["lint", "--format", "json"])
        .arg(&file)
        .output()
        .expect("lint");
    let findings: Vec<Value> = serde_json::from_slice(&lint.stdout).expect("json");
    assert!(
        findings
            .iter()
            .all(|d| d["code"] != "EXT003" && d["severity"] != "error"),
        "{findings:?}"
    );

    // The suppression fix on another finding (CAP004 on the resource tenant).
    let list = c.diagnostics_for_request_any(&file, "CAP004");
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri(&file) }, "range": list["range"], "context": { "diagnostics": [list] } }),
    );
    let suppress = actions
        .as_array()
        .and_then(|a| {
            a.iter().find(|x| {
                x["title"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("suppress CAP004")
            })
        })
        .cloned()
        .unwrap_or_else(|| panic!("a suppression in {actions}"));
    text = apply(&text, &suppress["edit"]["changes"][uri(&file)][0]);
    assert!(
        text.contains("# accord: allow(CAP004) <why this is intended>\nresource tenant"),
        "{text}"
    );
    version += 1;
    c.change(&uri(&file), version, &text);
    let mut codes = Vec::new();
    for _ in 0..4 {
        codes = c
            .diagnostics(&uri(&file))
            .iter()
            .filter_map(|d| d["code"].as_str().map(str::to_string))
            .collect();
        if codes.iter().any(|c| c == "EXT006") {
            break;
        }
    }
    assert!(!codes.iter().any(|c| c == "CAP004"), "{codes:?}");
    c.shutdown();
}

fn shift(mut p: Value, by: u64) -> Value {
    p["character"] = json!(p["character"].as_u64().unwrap_or(0) + by);
    p
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 8, ..Default::default() })]
    /// Random edits of a real file never crash the server: every request is answered.
    #[test]
    fn random_edits_never_crash_the_server(edits in proptest::collection::vec((0usize..4000, 0usize..6, "[ -~\\n{}()\"#é]{0,6}"), 1..12)) {
        let dir = contoso_copy("lsp-fuzz");
        let path = dir.join("policies.policy");
        let mut text = std::fs::read_to_string(&path).expect("read");
        let mut c = Client::start();
        c.open(&uri(&path), &text);
        for (k, (at, cut, insert)) in edits.iter().enumerate() {
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) { at -= 1; }
            let mut end = (at + cut).min(text.len());
            while !text.is_char_boundary(end) { end += 1; }
            text.replace_range(at..end, insert);
            c.change(&uri(&path), k as i64 + 2, &text);
            let lines = text.matches('\n').count() as u64;
            let p = json!({ "line": (at as u64 * 7) % (lines + 1), "character": (k as u64 * 5) % 40 });
            for method in ["textDocument/hover", "textDocument/completion", "textDocument/definition"] {
                let r = c.try_request(method, json!({ "textDocument": { "uri": uri(&path) }, "position": p }));
                proptest::prop_assert!(r.get("error").is_none(), "{method}: {r}");
            }
            let r = c.try_request("textDocument/formatting", json!({ "textDocument": { "uri": uri(&path) }, "options": { "tabSize": 2, "insertSpaces": true } }));
            proptest::prop_assert!(r.get("error").is_none(), "{r}");
        }
        c.shutdown();
    }
}

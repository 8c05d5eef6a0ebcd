//! Resource bounds and encodings: every file type gets the same answer, and none hangs, runs
//! away with memory or panics.

use std::time::Duration;

use super::{accord, accord_stdin, all, code, path, scratch, small_pack, PACK, REQUEST};

fn utf16le(text: &str) -> Vec<u8> {
    [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect()
}

fn utf16be(text: &str) -> Vec<u8> {
    [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect()
}

fn bom(text: &str) -> Vec<u8> {
    [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat()
}

/// Decision: a UTF-8 BOM is accepted in every file accord reads, and so is UTF-16 (LE or BE)
/// with a BOM, as Graph import always did: Windows PowerShell 5 writes `>` redirections as
/// UTF-16LE with a BOM, and a request made that way should just work.
#[test]
fn byte_order_marks_are_accepted_in_every_file_type() {
    for (label, encode) in [
        ("utf-8 bom", bom as fn(&str) -> Vec<u8>),
        ("utf-16le", utf16le),
        ("utf-16be", utf16be),
    ] {
        let dir = scratch(&format!("bom-{}", label.replace(' ', "-")));
        std::fs::write(dir.join("pack.policy"), encode(PACK)).expect("pack");
        std::fs::write(dir.join("request.yaml"), encode(REQUEST)).expect("request");
        let matrix = "dimensions:\n  user:\n    alice: { user: { name: alice@contoso.com } }\n  app: [sharepoint, teams]\n";
        std::fs::write(dir.join("matrix.yaml"), encode(matrix)).expect("matrix");
        let tests = "cases:\n  - name: alice is asked for MFA\n    request: { user: { name: alice@contoso.com }, app: sharepoint }\n    expect: challenge\n";
        std::fs::write(dir.join("pack.test.yaml"), encode(tests)).expect("tests");

        let check = accord(&["check", path(&dir)]);
        assert_eq!(code(&check), 0, "{label}: {}", all(&check));
        let whatif = accord(&["whatif", path(&dir), path(&dir.join("request.yaml"))]);
        assert_eq!(code(&whatif), 0, "{label}: {}", all(&whatif));
        assert!(
            all(&whatif).starts_with("CHALLENGE"),
            "{label}: {}",
            all(&whatif)
        );
        let m = accord(&[
            "whatif",
            path(&dir),
            "--matrix",
            path(&dir.join("matrix.yaml")),
            "--format",
            "csv",
        ]);
        assert_eq!(code(&m), 0, "{label}: {}", all(&m));
        assert_eq!(String::from_utf8_lossy(&m.stdout).lines().count(), 3);
        let test = accord(&["test", path(&dir)]);
        assert_eq!(code(&test), 0, "{label}: {}", all(&test));
        assert!(all(&test).contains("1 passed, 0 failed"), "{}", all(&test));
    }
    // From standard input too.
    let pack = small_pack("bom-stdin");
    let out = accord_stdin(&["whatif", path(&pack), "--request", "-"], &bom(REQUEST));
    assert_eq!(code(&out), 0, "{}", all(&out));
}

#[test]
fn utf16_without_a_bom_and_invalid_utf8_are_named_with_their_place() {
    let dir = small_pack("bad-encodings");
    let no_bom: Vec<u8> = REQUEST.encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(dir.join("utf16.yaml"), no_bom).expect("write");
    let out = accord(&["whatif", path(&dir), path(&dir.join("utf16.yaml"))]);
    assert_eq!(code(&out), 2, "{}", all(&out));
    assert!(
        all(&out).contains("UTF-16 without a byte-order mark?"),
        "{}",
        all(&out)
    );

    let bad = dir.join("bad.policy");
    std::fs::write(&bad, b"# ok\n# caf\xe9 in Latin-1\n").expect("write");
    let out = accord(&["check", path(&bad)]);
    assert_eq!(code(&out), 2, "{}", all(&out));
    assert!(
        all(&out).contains("not valid UTF-8: invalid byte at line 2, column 6 (byte offset 10)"),
        "{}",
        all(&out)
    );

    std::fs::write(&bad, b"# a NUL\n\0").expect("write");
    let out = accord(&["check", path(&bad)]);
    assert_eq!(code(&out), 2);
    assert!(
        all(&out).contains("holds a NUL byte at line 2, column 1 (byte offset 8)"),
        "{}",
        all(&out)
    );
}

/// Runs accord with a deadline: a hang is a failure, not a stuck test run. The output is read
/// while the process runs (a full pipe must not look like a hang).
fn finishes(args: &[&str]) -> std::process::Output {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run accord");
    let id = child.id();
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(child.wait_with_output());
    });
    match receive.recv_timeout(Duration::from_secs(60)) {
        Ok(out) => out.expect("output"),
        Err(_) => {
            let _ = std::process::Command::new("kill")
                .args(["-9", &id.to_string()])
                .status();
            panic!("accord {args:?} did not finish in 60 s");
        }
    }
}

#[cfg(unix)]
#[test]
fn devices_fifos_and_folders_are_refused_not_read() {
    let pack = small_pack("devices");
    let out = finishes(&["check", "/dev/zero"]);
    assert_eq!(code(&out), 2, "{}", all(&out));
    assert!(
        all(&out).contains("`/dev/zero` is not a regular file (a device)"),
        "{}",
        all(&out)
    );
    let out = finishes(&["whatif", path(&pack), "/dev/zero"]);
    assert_eq!(code(&out), 2);
    assert!(
        all(&out).contains("not a regular file (a device)"),
        "{}",
        all(&out)
    );

    let fifo = pack.join("request.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let out = finishes(&["whatif", path(&pack), path(&fifo)]);
    assert_eq!(code(&out), 2);
    assert!(
        all(&out).contains("not a regular file (a FIFO)"),
        "{}",
        all(&out)
    );
    let out = finishes(&["whatif", path(&pack), "--matrix", path(&fifo)]);
    assert!(all(&out).contains("(a FIFO)"), "{}", all(&out));
    let out = finishes(&["whatif", path(&pack), path(&pack)]);
    assert!(
        all(&out).contains("not a regular file (a folder)"),
        "{}",
        all(&out)
    );
}

#[test]
fn long_lines_are_refused_with_their_line_number() {
    let dir = scratch("long-line");
    let long = format!("{PACK}# {}\n", "x".repeat(200_000));
    std::fs::write(dir.join("pack.policy"), long).expect("write");
    let out = accord(&["check", path(&dir)]);
    assert_eq!(code(&out), 2, "{}", all(&out));
    assert!(
        all(&out)
            .contains("line 8 is 200002 bytes long; accord reads lines of at most 65536 bytes"),
        "{}",
        all(&out)
    );
    let request = format!(
        "user: {{ name: \"{}\" }}\napp: teams\n",
        "a".repeat(100_000)
    );
    std::fs::write(dir.join("request.yaml"), request).expect("write");
    std::fs::write(dir.join("pack.policy"), PACK).expect("write");
    let out = accord(&["whatif", path(&dir), path(&dir.join("request.yaml"))]);
    assert_eq!(code(&out), 2);
    assert!(
        all(&out).contains("line 1 is 100018 bytes long"),
        "{}",
        all(&out)
    );
}

/// 200,000 nested brackets did not finish in 20 s in the YAML library; now every YAML reader
/// refuses them before parsing, at the bracket that goes too deep.
#[test]
fn deep_nesting_is_refused_at_once_in_requests_matrices_and_test_files() {
    let dir = small_pack("deep");
    // 60,000 brackets: under the line limit, so that the depth limit is what answers.
    let deep = format!("user: {}\n", "[".repeat(60_000));
    for name in ["request.yaml", "matrix.yaml", "deep.test.yaml"] {
        std::fs::write(dir.join(name), &deep).expect("write");
    }
    let request = finishes(&["whatif", path(&dir), path(&dir.join("request.yaml"))]);
    let matrix = finishes(&[
        "whatif",
        path(&dir),
        "--matrix",
        path(&dir.join("matrix.yaml")),
    ]);
    let tests = finishes(&["test", path(&dir)]);
    for (what, out) in [
        ("request", request),
        ("matrix", matrix),
        ("test file", tests),
    ] {
        assert_ne!(code(&out), 0, "{what}");
        assert!(
            all(&out).contains("line 1, column 71: nested more than 64 levels deep"),
            "{what}: {}",
            all(&out)
        );
    }
    // Block style: a sequence of sequences written `- - - x`.
    let dashes = format!("user:\n{}x\n", "- ".repeat(1000));
    std::fs::write(dir.join("request.yaml"), dashes).expect("write");
    let out = finishes(&["whatif", path(&dir), path(&dir.join("request.yaml"))]);
    assert_eq!(code(&out), 2);
    assert!(
        all(&out).contains("nested more than 64 levels"),
        "{}",
        all(&out)
    );
}

#[test]
fn deep_nesting_in_policy_text_and_graph_json_is_an_error_not_a_crash() {
    let dir = scratch("deep-policy");
    let deep = format!("{PACK}location x {{ ip = {} }}\n", "[\n".repeat(100_000));
    std::fs::write(dir.join("pack.policy"), &deep).expect("write");
    let out = finishes(&["check", path(&dir)]);
    assert_eq!(code(&out), 1, "{}", all(&out));
    assert!(all(&out).contains("error[E0001]"), "{}", all(&out));

    let json = dir.join("deep.json");
    std::fs::write(
        &json,
        format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)),
    )
    .expect("write");
    let out = finishes(&["import", path(&json), "-o", path(&dir.join("out"))]);
    assert_eq!(code(&out), 1, "{}", all(&out));
    assert!(all(&out).contains("nesting"), "{}", all(&out));
    assert!(!dir.join("out").exists(), "nothing is written");
}

/// "Billion laughs": aliases that expand exponentially are refused by the YAML library with a
/// clear error in every YAML reader.
#[test]
fn yaml_alias_bombs_are_refused_everywhere() {
    let dir = small_pack("alias-bomb");
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (i, c) in ('b'..='j').enumerate() {
        let prev = char::from(b'a' + i as u8);
        bomb.push_str(&format!(
            "{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    let request = format!("{bomb}user: {{ name: *j }}\napp: teams\n");
    let matrix = format!("{bomb}dimensions: {{ app: *j }}\n");
    let tests = format!("{bomb}cases: *j\n");
    std::fs::write(dir.join("request.yaml"), request).expect("write");
    std::fs::write(dir.join("matrix.yaml"), matrix).expect("write");
    std::fs::write(dir.join("bomb.test.yaml"), tests).expect("write");
    let outs = [
        finishes(&["whatif", path(&dir), path(&dir.join("request.yaml"))]),
        finishes(&[
            "whatif",
            path(&dir),
            "--matrix",
            path(&dir.join("matrix.yaml")),
        ]),
        finishes(&["test", path(&dir)]),
    ];
    for out in outs {
        assert_ne!(code(&out), 0);
        assert!(
            all(&out).contains("repetition limit exceeded"),
            "{}",
            all(&out)
        );
    }
}

#[test]
fn a_matrix_over_the_row_limit_is_refused_before_any_work_with_its_product() {
    let dir = small_pack("max-rows");
    let six = "dimensions:\n  user:\n    a: { user: { name: a@contoso.com } }\n    b: { user: { name: b@contoso.com } }\n  app: [sharepoint, teams, exchange]\n";
    std::fs::write(dir.join("matrix.yaml"), six).expect("write");
    let m = path(&dir.join("matrix.yaml")).to_string();
    let out = accord(&["whatif", path(&dir), "--matrix", &m, "--max-rows", "5"]);
    assert_eq!(code(&out), 2, "{}", all(&out));
    assert!(
        all(&out).contains("the matrix has 6 combinations (2 × 3), more than the limit of 5"),
        "{}",
        all(&out)
    );
    assert!(all(&out).contains("--max-rows"), "{}", all(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).is_empty(),
        "no row is written"
    );
    let out = accord(&["whatif", path(&dir), "--matrix", &m, "--max-rows", "6"]);
    assert_eq!(code(&out), 0, "{}", all(&out));

    // 10^10 rows against the default limit: refused at once, nothing decided.
    let values: Vec<String> = (0..10).map(|i| format!("v{i}: {{}}")).collect();
    let dims: Vec<String> = (0..10)
        .map(|d| format!("  d{d}: {{ {} }}", values.join(", ")))
        .collect();
    std::fs::write(
        dir.join("huge.yaml"),
        format!("dimensions:\n{}\n", dims.join("\n")),
    )
    .expect("write");
    let out = finishes(&[
        "whatif",
        path(&dir),
        "--matrix",
        path(&dir.join("huge.yaml")),
    ]);
    assert_eq!(code(&out), 2, "{}", all(&out));
    assert!(
        all(&out).contains("10,000,000,000 combinations"),
        "{}",
        all(&out)
    );
}

/// A matrix with `dimensions` of ten empty values each, `n` of them, after `user` (2) and `app`
/// (3): 6 × 10^n rows.
fn wide_matrix(n: usize) -> String {
    let values: Vec<String> = (0..10).map(|i| format!("v{i}: {{}}")).collect();
    let dims: Vec<String> = (0..n)
        .map(|d| format!("  d{d}: {{ {} }}", values.join(", ")))
        .collect();
    format!(
        "dimensions:\n  user:\n    a: {{ user: {{ name: a@contoso.com }} }}\n    b: {{ user: {{ name: b@contoso.com }} }}\n  app: [sharepoint, teams, exchange]\n{}\n",
        dims.join("\n")
    )
}

/// Matrices are streamed: rows are decided and handed on a chunk at a time, and a sink that
/// stops (a closed pipe) stops the work, so memory does not grow with the matrix.
#[test]
fn a_matrix_is_decided_a_chunk_at_a_time() {
    use accord::eval::matrix::{self, EvaluateError, Matrix};
    let loaded = accord::load::load_texts([("pack.policy", PACK)]);
    let validated = accord::check(&loaded).validated.expect("the pack checks");
    let compiled = accord::eval::compile(&validated);
    let m = Matrix::parse(&wide_matrix(2), matrix::MAX_ROWS).expect("the matrix parses");
    assert_eq!(m.rows(), 600);
    let mut chunks = Vec::new();
    let all = matrix::evaluate(&compiled, &m, Default::default(), 64, |rows| {
        chunks.push(rows.len());
        Ok::<(), ()>(())
    });
    assert!(all.is_ok());
    assert_eq!(chunks.iter().sum::<usize>(), 600);
    assert!(chunks.iter().all(|n| *n <= 64), "{chunks:?}");
    assert_eq!(chunks.len(), 10);
    let mut calls = 0;
    let stopped = matrix::evaluate(&compiled, &m, Default::default(), 64, |_| {
        calls += 1;
        Err("closed")
    });
    assert!(matches!(stopped, Err(EvaluateError::Sink("closed"))));
    assert_eq!(calls, 1, "nothing is decided after the sink stops");
}

/// Above a million rows the CLI says the run will be long, before the first row; the rows are
/// written as they are decided, and a reader that stops reading (`| head`) ends the run.
#[test]
fn a_large_matrix_is_announced_and_streamed() {
    use std::io::Read;
    let dir = small_pack("large-matrix");
    std::fs::write(dir.join("matrix.yaml"), wide_matrix(6)).expect("write");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args([
            "whatif",
            path(&dir),
            "--matrix",
            path(&dir.join("matrix.yaml")),
            "--format",
            "csv",
        ])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run accord");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 4096];
    let n = stdout.read(&mut first).expect("rows before the end");
    assert!(n > 0);
    // Six million rows are never all decided: the pipe closes and the run ends.
    drop(stdout);
    let out = child.wait_with_output().expect("accord ends");
    // Ended as `| head` ends a Unix tool: by SIGPIPE, or on the write error.
    #[cfg(unix)]
    let piped = std::os::unix::process::ExitStatusExt::signal(&out.status) == Some(13);
    #[cfg(not(unix))]
    let piped = false;
    assert!(piped || code(&out) == 0, "{:?} {}", out.status, all(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "warning: the matrix has 6,000,000 combinations: this takes a while and writes a lot"
        ),
        "{stderr}"
    );
}

#[test]
fn duplicate_dimension_or_value_names_in_a_matrix_are_errors() {
    let dir = small_pack("matrix-duplicates");
    let twice = "dimensions:\n  user:\n    alice: { user: { name: a@contoso.com } }\n    alice: { user: { name: b@contoso.com } }\n  app: [teams]\n";
    std::fs::write(dir.join("m.yaml"), twice).expect("write");
    let out = accord(&["whatif", path(&dir), "--matrix", path(&dir.join("m.yaml"))]);
    assert_eq!(code(&out), 2, "{}", all(&out));
    assert!(
        all(&out).contains("the key `alice` is written twice"),
        "{}",
        all(&out)
    );
    assert!(all(&out).contains("m.yaml:3:5"), "{}", all(&out));
    let dims = "dimensions:\n  app: [teams]\n  app: [sharepoint]\n";
    std::fs::write(dir.join("m.yaml"), dims).expect("write");
    let out = accord(&["whatif", path(&dir), "--matrix", path(&dir.join("m.yaml"))]);
    assert_eq!(code(&out), 2);
    assert!(
        all(&out).contains("the key `app` is written twice"),
        "{}",
        all(&out)
    );
}

#[test]
fn a_folder_with_too_many_files_is_refused() {
    let dir = small_pack("many-files");
    for i in 0..=10_000 {
        std::fs::write(dir.join(format!("f{i:05}.policy")), "").expect("write");
    }
    let out = accord(&["check", path(&dir)]);
    assert_eq!(code(&out), 2, "{}", all(&out));
    assert!(
        all(&out).contains("the folder holds more than 10000 files"),
        "{}",
        all(&out)
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_skipped_in_packs_and_refused_by_import() {
    use std::os::unix::fs::symlink;
    let dir = small_pack("loops");
    symlink(".", dir.join("self")).expect("link");
    symlink("loop.policy", dir.join("loop.policy")).expect("self link");
    let out = accord(&["check", path(&dir)]);
    assert_eq!(code(&out), 0, "{}", all(&out));

    let json = scratch("loops-import");
    std::fs::copy(
        "tests/fixtures/graph/powershell/policy.json",
        json.join("policy.json"),
    )
    .expect("copy");
    symlink(".", json.join("again")).expect("link");
    let out = finishes(&["import", path(&json), "-o", path(&dir.join("out"))]);
    assert_eq!(code(&out), 2, "{}", all(&out));
    assert!(
        all(&out).contains("is a symbolic link loop: it leads back to"),
        "{}",
        all(&out)
    );
    // Two links to one file: read once.
    std::fs::remove_file(json.join("again")).expect("unlink");
    symlink("policy.json", json.join("same.json")).expect("link");
    let out = accord(&["import", path(&json), "-o", path(&dir.join("out"))]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    assert!(all(&out).contains("imported 1 policy"), "{}", all(&out));
}

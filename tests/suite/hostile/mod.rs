//! Hostile and careless input (issue 15): resource bounds, encodings, files that must never be
//! lost, the mistakes a new user makes, and every input the fuzz campaign crashed on.

mod bytes;
mod fuzz_regressions;
mod import_check;
mod inputs;
mod messages;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Runs the binary from the repository root.
pub fn accord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .output()
        .expect("run accord")
}

/// Runs the binary with `input` on standard input.
pub fn accord_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run accord");
    let mut stdin = child.stdin.take().expect("stdin");
    let _ = stdin.write_all(input);
    drop(stdin);
    child.wait_with_output().expect("accord output")
}

pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// stdout and stderr together, for messages that may go to either.
pub fn all(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A scratch folder under the target dir, emptied first.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("hostile")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

pub fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A small valid pack (one file) for the tests that need one.
pub const PACK: &str = r#"resource tenant contoso { id = "2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01"  domains = ["contoso.com"] }

policy "Require MFA" {
  users { include all }
  apps { include all }
  grant mfa
}
"#;

/// A request the small pack decides.
pub const REQUEST: &str = "user: { name: alice@contoso.com }\napp: sharepoint\n";

/// Writes `PACK` into a fresh folder and returns its path.
pub fn small_pack(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join("pack.policy"), PACK).expect("write pack");
    dir
}

//! Nothing a user wrote is lost: `fmt --write` and `import -o` never truncate, replace or delete
//! what they should not.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use super::{accord, all, code, path, scratch, PACK};

/// `PACK` as a user might have written it: not formatted.
const UNFORMATTED: &str = "resource tenant contoso {   id = \"2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01\" domains = [\"contoso.com\"] }\npolicy \"Require MFA\" { users { include all } apps { include all } grant mfa }\n";

/// FNV-1a: a checksum of the file's bytes, so that a failure message says *that* it changed.
fn checksum(p: &Path) -> u64 {
    std::fs::read(p)
        .expect("read")
        .iter()
        .fold(0xcbf29ce484222325u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
        })
}

#[test]
fn fmt_write_leaves_a_file_that_does_not_parse_untouched() {
    let dir = scratch("fmt-broken");
    let good = dir.join("a.policy");
    let broken = dir.join("b.policy");
    std::fs::write(&good, UNFORMATTED).expect("write");
    std::fs::write(&broken, "policy \"x\" {\n  users { include all\n").expect("write");
    let before = checksum(&broken);
    let out = accord(&["fmt", "--write", path(&dir)]);
    assert_eq!(code(&out), 1, "{}", all(&out));
    assert_eq!(checksum(&broken), before, "a broken file was rewritten");
    assert_ne!(std::fs::read_to_string(&good).expect("read"), UNFORMATTED);
    let check = accord(&["fmt", "--check", path(&good)]);
    assert_eq!(
        code(&check),
        0,
        "the good file was formatted: {}",
        all(&check)
    );
}

#[cfg(unix)]
#[test]
fn fmt_write_goes_through_symlinks_and_keeps_permissions() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let dir = scratch("fmt-links");
    let real = scratch("fmt-links-target").join("real.policy");
    std::fs::write(&real, UNFORMATTED).expect("write");
    symlink(&real, dir.join("linked.policy")).expect("link");
    let private = dir.join("private.policy");
    let readonly = dir.join("readonly.policy");
    for (file, mode) in [(&private, 0o600), (&readonly, 0o444)] {
        std::fs::write(file, UNFORMATTED).expect("write");
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }
    let out = accord(&["fmt", "--write", path(&dir)]);
    assert_eq!(code(&out), 0, "{}", all(&out));

    let link = std::fs::symlink_metadata(dir.join("linked.policy")).expect("link");
    assert!(
        link.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    assert_ne!(std::fs::read_to_string(&real).expect("target"), UNFORMATTED);
    for (file, mode) in [(&private, 0o600), (&readonly, 0o444)] {
        let meta = std::fs::metadata(file).expect("meta");
        assert_eq!(
            meta.permissions().mode() & 0o777,
            mode,
            "{}",
            file.display()
        );
        assert_ne!(std::fs::read_to_string(file).expect("read"), UNFORMATTED);
    }
    // The owner and group are kept (where the test may give a file away, i.e. as root).
    use std::os::unix::fs::MetadataExt;
    let given = dir.join("given.policy");
    std::fs::write(&given, UNFORMATTED).expect("write");
    if std::os::unix::fs::chown(&given, Some(4242), Some(4243)).is_ok() {
        let out = accord(&["fmt", "--write", path(&given)]);
        assert_eq!(code(&out), 0, "{}", all(&out));
        let meta = std::fs::metadata(&given).expect("meta");
        assert_eq!((meta.uid(), meta.gid()), (4242, 4243));
        assert_ne!(std::fs::read_to_string(&given).expect("read"), UNFORMATTED);
    }
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("accord-fmt")), "{names:?}");
}

#[test]
fn fmt_keeps_crlf_line_ends_and_the_encoding() {
    let dir = scratch("fmt-crlf");
    let file = dir.join("pack.policy");
    std::fs::write(&file, UNFORMATTED.replace('\n', "\r\n")).expect("write");
    let out = accord(&["fmt", "--write", path(&file)]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    let text = std::fs::read_to_string(&file).expect("read");
    assert!(text.contains("\r\n"), "{text:?}");
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "{text:?}"
    );
    let check = accord(&["fmt", "--check", path(&file)]);
    assert_eq!(
        code(&check),
        0,
        "a formatted CRLF file is formatted: {}",
        all(&check)
    );
    // A formatted LF file is not flagged either, and `fmt --check` on CRLF text that is
    // otherwise canonical is clean.
    std::fs::write(&file, PACK.replace('\n', "\r\n")).expect("write");
    let check = accord(&["fmt", "--check", path(&file)]);
    assert_eq!(code(&check), 0, "{}", all(&check));

    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(UNFORMATTED.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(&file, utf16).expect("write");
    let out = accord(&["fmt", "--write", path(&file)]);
    assert_eq!(code(&out), 0, "{}", all(&out));
    let bytes = std::fs::read(&file).expect("read");
    assert_eq!(&bytes[..2], &[0xFF, 0xFE], "still UTF-16LE with its BOM");
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let text = String::from_utf16(&units).expect("utf-16");
    assert_eq!(text, PACK, "formatted, in UTF-16");
}

/// A `fmt --write` killed at any moment leaves the old file or the new one, never a truncated
/// or mixed one. The kill times spread over the whole run of a large file, so that some land
/// while the new text is being written.
#[cfg(unix)]
#[test]
fn fmt_write_killed_at_any_time_leaves_the_old_or_the_new_file() {
    let dir = scratch("fmt-kill");
    let file = dir.join("big.policy");
    let mut old = String::from(UNFORMATTED);
    for i in 0..4000 {
        old.push_str(&format!(
            "policy \"p{i}\" {{ users {{ include all }} apps {{ include all }} grant mfa }}\n"
        ));
    }
    std::fs::write(&file, &old).expect("write");
    // The new text, from a run that finishes.
    let copy = dir.join("copy.policy");
    std::fs::write(&copy, &old).expect("write");
    let start = Instant::now();
    let out = accord(&["fmt", "--write", path(&copy)]);
    let full = start.elapsed();
    assert_eq!(code(&out), 0, "{}", all(&out));
    let new = std::fs::read_to_string(&copy).expect("read");
    assert_ne!(new, old);

    let mut outcomes = (0, 0);
    for i in 0..24u32 {
        std::fs::write(&file, &old).expect("reset");
        let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(["fmt", "--write", path(&file)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        // Kill times from the start to one and a half times a full run; the last run is left
        // to finish, so that the new text is seen at least once whatever the machine's load.
        if i < 23 {
            std::thread::sleep(full.mul_f64(f64::from(i) / 15.0));
            let _ = child.kill();
        }
        let _ = child.wait();
        let now = std::fs::read_to_string(&file).expect("read");
        if now == old {
            outcomes.0 += 1;
        } else if now == new {
            outcomes.1 += 1;
        } else {
            panic!("kill {i} left a file that is neither: {} bytes", now.len());
        }
    }
    assert_eq!(outcomes.0 + outcomes.1, 24, "{outcomes:?}");
    assert!(
        outcomes.1 > 0,
        "the run left to finish wrote the new text: {outcomes:?}"
    );
}

fn graph_fixture(dir: &Path) {
    std::fs::copy(
        "tests/fixtures/graph/powershell/policy.json",
        dir.join("policy.json"),
    )
    .expect("copy");
}

#[test]
fn import_into_a_non_empty_folder_needs_force_and_keeps_hand_written_files() {
    let input = scratch("import-input");
    graph_fixture(&input);
    let out_dir = scratch("import-output");
    std::fs::write(out_dir.join("README.md"), "my notes\n").expect("write");
    std::fs::write(out_dir.join("mine.policy"), "# written by hand\n").expect("write");
    std::fs::create_dir(out_dir.join("tests")).expect("mkdir");
    std::fs::write(out_dir.join("tests/a.test.yaml"), "cases: []\n").expect("write");

    let refused = accord(&["import", path(&input), "-o", path(&out_dir)]);
    assert_eq!(code(&refused), 2, "{}", all(&refused));
    assert!(all(&refused).contains("is not empty"), "{}", all(&refused));
    assert!(all(&refused).contains("--force"), "{}", all(&refused));

    let dry = accord(&[
        "import",
        path(&input),
        "-o",
        path(&out_dir),
        "--force",
        "--dry-run",
    ]);
    assert_eq!(code(&dry), 0, "{}", all(&dry));
    let text = all(&dry);
    assert!(text.contains("would write"), "{text}");
    assert!(
        text.contains("would keep") && text.contains("mine.policy"),
        "{text}"
    );
    assert!(
        !out_dir.join("names.yaml").exists(),
        "a dry run writes nothing"
    );

    let forced = accord(&["import", path(&input), "-o", path(&out_dir), "--force"]);
    assert_eq!(code(&forced), 0, "{}", all(&forced));
    for kept in ["README.md", "mine.policy", "tests/a.test.yaml"] {
        assert!(out_dir.join(kept).exists(), "{kept} was deleted");
    }
    assert_eq!(
        std::fs::read_to_string(out_dir.join("mine.policy")).expect("read"),
        "# written by hand\n"
    );
    assert!(
        all(&forced).contains("kept 3 files accord did not write"),
        "{}",
        all(&forced)
    );
}

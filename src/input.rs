//! Reading the files a user names: one place for what accord accepts and for its limits.
//!
//! Every file accord reads (packs, requests, matrices, test files, Graph JSON, name maps) comes
//! through here, so that hostile or accidental input gets the same answer everywhere:
//!
//! - only regular files (and `-`, standard input) are read: a FIFO, a device (`/dev/zero`) or a
//!   folder where a file is expected is refused before anything is read;
//! - a file larger than [`Limits::file_bytes`] is refused; standard input is read up to the same
//!   bound, never further;
//! - text is UTF-8, with or without a byte-order mark, or UTF-16 (LE or BE) *with* a byte-order
//!   mark (what Windows PowerShell 5's `>` and `Out-File` write); UTF-16 without one is refused
//!   with a hint, since it cannot be told apart from binary data reliably;
//! - invalid UTF-8 is refused with the line, column and byte offset of its first bad byte, and
//!   a NUL byte (binary data, or UTF-16 read as UTF-8) likewise;
//! - a line longer than [`Limits::line_bytes`] in a `.policy` or YAML file is refused (Graph JSON
//!   is exempt: exports are often one minified line);
//! - YAML and JSON nested deeper than [`MAX_DEPTH`] is refused before the YAML library sees it
//!   (its parser is quadratic in the depth).
//!
//! The original encoding and line endings are kept in [`Text`], so that `accord fmt --write`
//! writes a file back the way it found it.

use std::io::Read;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// The largest file accord reads, in bytes (64 MiB: a whole-tenant Graph export is a few MiB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The longest line of a `.policy` or YAML file, in bytes.
pub const MAX_LINE_BYTES: usize = 64 * 1024;
/// The deepest nesting of brackets and indentation levels in a YAML or JSON document. Requests,
/// matrices and test files are a handful of levels deep; Graph JSON uses jsonc-parser's own
/// limit (see `graph::decode`).
pub const MAX_DEPTH: usize = 64;
/// The most `.policy` files one pack folder may hold.
pub const MAX_PACK_FILES: usize = 10_000;

/// How a file's bytes encoded its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    #[default]
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    /// The text as bytes in this encoding, byte-order mark included.
    pub fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Encoding::Utf8 => text.as_bytes().to_vec(),
            Encoding::Utf8Bom => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
            Encoding::Utf16Le => std::iter::once(0xFEFF)
                .chain(text.encode_utf16())
                .flat_map(u16::to_le_bytes)
                .collect(),
            Encoding::Utf16Be => std::iter::once(0xFEFF)
                .chain(text.encode_utf16())
                .flat_map(u16::to_be_bytes)
                .collect(),
        }
    }
}

/// A decoded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The text, without its byte-order mark.
    pub text: String,
    pub encoding: Encoding,
}

/// What kind of text a file holds, for the checks that depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `.policy` text: line length limit.
    Policy,
    /// YAML or JSON read through `yaml`: line length and depth limits.
    Yaml,
    /// Graph JSON: decoded only (the JSON parser has its own depth limit).
    Json,
}

/// Why a file was not read. Each names the file; the CLI prints it as `error: {self}`.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum InputError {
    #[error("cannot read `{path}`: {message}")]
    Io { path: String, message: String },
    #[error("`{path}` is not a regular file ({what}){hint}", hint = if *what == "a folder" { "" } else { "; to read standard input, give `-`" })]
    NotAFile { path: String, what: &'static str },
    #[error("`{path}` is larger than {limit} bytes")]
    TooLarge { path: String, limit: u64 },
    #[error("`{path}` is not valid UTF-8: invalid byte at line {line}, column {column} (byte offset {offset}){hint}")]
    NotUtf8 {
        path: String,
        line: usize,
        column: usize,
        offset: usize,
        hint: &'static str,
    },
    #[error(
        "`{path}` holds a NUL byte at line {line}, column {column} (byte offset {offset}){hint}"
    )]
    Nul {
        path: String,
        line: usize,
        column: usize,
        offset: usize,
        hint: &'static str,
    },
    #[error("`{path}`: {message}")]
    Encoding { path: String, message: String },
    #[error("`{path}`: line {line} is {length} bytes long; accord reads lines of at most {MAX_LINE_BYTES} bytes")]
    LongLine {
        path: String,
        line: usize,
        length: usize,
    },
    #[error("`{path}`: line {line}, column {column}: nested more than {MAX_DEPTH} levels deep; accord refuses deeper documents")]
    TooDeep {
        path: String,
        line: usize,
        column: usize,
    },
}

impl InputError {
    /// The 1-based line and column the error is about, when it is about one place.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            InputError::NotUtf8 { line, column, .. }
            | InputError::Nul { line, column, .. }
            | InputError::TooDeep { line, column, .. } => Some((*line, *column)),
            InputError::LongLine { line, .. } => Some((*line, 1)),
            _ => None,
        }
    }
}

/// Reads a file (or standard input for `-`) and decodes it as `kind`.
pub fn read(path: &Path, kind: Kind) -> Result<Text, InputError> {
    let bytes = read_bytes(path)?;
    let name = path.display().to_string();
    let text = decode(&name, &bytes)?;
    check(&name, &text.text, kind)?;
    Ok(text)
}

/// Reads at most [`MAX_FILE_BYTES`] of a regular file, or of standard input for `-`.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, InputError> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| InputError::Io {
        path: name.clone(),
        message: e.to_string(),
    };
    let too_large = || InputError::TooLarge {
        path: name.clone(),
        limit: MAX_FILE_BYTES,
    };
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(too_large());
        }
        return Ok(bytes);
    }
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(InputError::NotAFile {
            path: name,
            what: file_type_name(&meta),
        });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// `a folder`, `a FIFO`, `a device`... for a path that is not a regular file.
pub fn file_type_name(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// Decodes bytes by their byte-order mark; see the module documentation.
pub fn decode(name: &str, bytes: &[u8]) -> Result<Text, InputError> {
    let encoding_error = |message: &str| InputError::Encoding {
        path: name.to_string(),
        message: message.to_string(),
    };
    let (text, encoding) = if let Some(body) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        (utf8(name, body, 3)?, Encoding::Utf8Bom)
    } else if let Some(body) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let text = utf16(body, u16::from_le_bytes).map_err(encoding_error)?;
        (text, Encoding::Utf16Le)
    } else if let Some(body) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let text = utf16(body, u16::from_be_bytes).map_err(encoding_error)?;
        (text, Encoding::Utf16Be)
    } else {
        (utf8(name, bytes, 0)?, Encoding::Utf8)
    };
    if let Some(at) = text.find('\0') {
        let (line, column) = line_col(&text, at);
        return Err(InputError::Nul {
            path: name.to_string(),
            line,
            column,
            offset: at,
            hint: if looks_like_utf16(bytes) {
                " (UTF-16 without a byte-order mark? save it as UTF-8)"
            } else {
                " (a binary file?)"
            },
        });
    }
    Ok(Text { text, encoding })
}

fn utf8(name: &str, bytes: &[u8], bom: usize) -> Result<String, InputError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let good = e.valid_up_to();
            // The valid prefix gives the position; the column counts characters.
            let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or("");
            let (line, column) = line_col(prefix, good);
            Err(InputError::NotUtf8 {
                path: name.to_string(),
                line,
                column,
                offset: good + bom,
                hint: if looks_like_utf16(bytes) {
                    " (UTF-16 without a byte-order mark? save it as UTF-8)"
                } else {
                    ""
                },
            })
        }
    }
}

fn utf16(body: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, &'static str> {
    if body.len() % 2 != 0 {
        return Err("UTF-16 text with an odd number of bytes");
    }
    let units = body.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| "invalid UTF-16 text (an unpaired surrogate)")
}

/// UTF-16 text of mostly ASCII has a NUL in every other byte.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(512)];
    if sample.len() < 4 {
        return false;
    }
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let half = sample.len() / 2;
    zeros_at(0) * 10 >= half * 7 || zeros_at(1) * 10 >= half * 7
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// The checks that depend on the kind of text: line length and nesting depth.
pub fn check(name: &str, text: &str, kind: Kind) -> Result<(), InputError> {
    if kind == Kind::Json {
        return Ok(());
    }
    for (i, line) in text.split('\n').enumerate() {
        if line.len() > MAX_LINE_BYTES {
            return Err(InputError::LongLine {
                path: name.to_string(),
                line: i + 1,
                length: line.len(),
            });
        }
    }
    if kind == Kind::Yaml {
        if let Some(offset) = too_deep(text) {
            let (line, column) = line_col(text, offset);
            return Err(InputError::TooDeep {
                path: name.to_string(),
                line,
                column,
            });
        }
    }
    Ok(())
}

/// The offset where a YAML document gets deeper than [`MAX_DEPTH`], if it does.
///
/// An upper bound of the depth, found without parsing: open flow brackets (outside quotes and
/// comments), plus, at the start of each line, the indentation (each block level indents by one
/// column at least) and the `- ` / `? ` indicators written on the same line (`- - - x`). It
/// over-counts only documents indented by more than [`MAX_DEPTH`] columns, which no request,
/// matrix or test file is.
pub fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut flow: usize = 0;
    let mut i = 0;
    let mut line_start = true;
    while i < bytes.len() {
        if line_start {
            line_start = false;
            let mut j = i;
            let mut block = 0;
            while j < bytes.len() && bytes[j] == b' ' {
                j += 1;
                block += 1;
            }
            while j + 1 < bytes.len() && matches!(bytes[j], b'-' | b'?') && bytes[j + 1] == b' ' {
                block += 2;
                j += 2;
                while j < bytes.len() && bytes[j] == b' ' {
                    j += 1;
                }
            }
            if flow + block / 2 > MAX_DEPTH {
                return Some(j.min(bytes.len()));
            }
            i = j;
            continue;
        }
        match bytes[i] {
            b'\n' => line_start = true,
            b'[' | b'{' => {
                flow += 1;
                if flow > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => flow = flow.saturating_sub(1),
            b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            quote @ (b'"' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote && bytes[i] != b'\n' {
                    if quote == b'"' && bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The regular files of a folder, following symbolic links, refusing more than `limit`.
pub fn folder_files(dir: &Path, limit: usize) -> Result<Vec<PathBuf>, InputError> {
    let io = |e: std::io::Error| InputError::Io {
        path: dir.display().to_string(),
        message: e.to_string(),
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_file() {
            files.push(path);
            if files.len() > limit {
                return Err(InputError::Io {
                    path: dir.display().to_string(),
                    message: format!("the folder holds more than {limit} files"),
                });
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The files of a pack folder and of its `tests/` folder whose names end with `suffix`
/// (`.test.yaml`, `.verify.yaml`), sorted by path; none for a single `.policy` file. Each
/// folder is refused above [`MAX_PACK_FILES`] files, as a pack folder is.
pub fn pack_side_files(pack: &Path, suffix: &str) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    if !pack.is_dir() {
        return Ok(files);
    }
    for dir in [pack.to_path_buf(), pack.join("tests")] {
        if !dir.is_dir() {
            continue;
        }
        let found =
            folder_files(&dir, MAX_PACK_FILES).map_err(|e| std::io::Error::other(e.to_string()))?;
        files.extend(found.into_iter().filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(suffix))
        }));
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_order_marks_are_read_and_kept() {
        for encoding in [
            Encoding::Utf8,
            Encoding::Utf8Bom,
            Encoding::Utf16Le,
            Encoding::Utf16Be,
        ] {
            let bytes = encoding.encode("a: é\r\n");
            let text = decode("x", &bytes).unwrap();
            assert_eq!(text.text, "a: é\r\n");
            assert_eq!(text.encoding, encoding);
            assert_eq!(text.encoding.encode(&text.text), bytes);
        }
    }

    #[test]
    fn invalid_utf8_names_its_line_column_and_offset() {
        let err = decode("p.policy", b"ab\ncd\xffe").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`p.policy` is not valid UTF-8: invalid byte at line 2, column 3 (byte offset 5)"
        );
        let with_bom = decode("p.policy", b"\xEF\xBB\xBFab\xff").unwrap_err();
        assert!(with_bom.to_string().contains("byte offset 5"), "{with_bom}");
    }

    #[test]
    fn utf16_without_a_bom_is_named() {
        let bytes: Vec<u8> = "user:\n  name: x\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let err = decode("r.yaml", &bytes).unwrap_err();
        assert!(
            err.to_string()
                .contains("UTF-16 without a byte-order mark?"),
            "{err}"
        );
        let nul = decode("r.yaml", b"a: 1\nb\0").unwrap_err();
        assert_eq!(
            nul.to_string(),
            "`r.yaml` holds a NUL byte at line 2, column 2 (byte offset 6) (a binary file?)"
        );
    }

    #[test]
    fn depth_is_bounded_in_flow_and_block_styles() {
        let ok = "a: { b: [1, [2, {c: 3}]] }\nlist:\n  - - x\n";
        assert_eq!(too_deep(ok), None);
        let flow = format!("a: {}", "[".repeat(MAX_DEPTH + 1));
        assert_eq!(too_deep(&flow), Some(3 + MAX_DEPTH));
        let dashes = format!("{}x\n", "- ".repeat(MAX_DEPTH + 1));
        assert!(too_deep(&dashes).is_some());
        // Brackets inside strings and comments do not count.
        let quoted = format!("a: \"{}\" # {}\n", "[".repeat(100), "{".repeat(100));
        assert_eq!(too_deep(&quoted), None);
        let err = check("m.yaml", &flow, Kind::Yaml).unwrap_err();
        assert_eq!(err.position(), Some((1, 4 + MAX_DEPTH)));
    }

    #[test]
    fn long_lines_are_refused_except_in_json() {
        let long = "x".repeat(MAX_LINE_BYTES + 1);
        let err = check("p.policy", &format!("a\n{long}\n"), Kind::Policy).unwrap_err();
        assert!(
            err.to_string().contains("line 2 is 65537 bytes long"),
            "{err}"
        );
        assert!(check("g.json", &long, Kind::Json).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_folders_are_not_read() {
        let err = read_bytes(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(
            err,
            InputError::NotAFile {
                path: "/dev/zero".into(),
                what: "a device"
            }
        );
        let err = read_bytes(Path::new("/")).unwrap_err();
        assert!(err.to_string().contains("a folder"), "{err}");
    }
}

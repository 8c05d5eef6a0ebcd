//! Reading a pack from disk: a folder of `.policy` files (sorted by name) or single files.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::diagnostic::Diagnostic;
use crate::input::{self, Encoding, InputError};
use crate::model::Pack;
use crate::source::{FileId, Sources};
use crate::syntax::{parse_file, ParsedFile};

/// Problems that stop a run before any file is read (exit code 2).
#[derive(Debug, Error)]
pub enum LoadError {
    #[error("cannot read `{path}`: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{0}` holds no `.policy` file")]
    Empty(PathBuf),
    /// A file that is not text accord reads (see `input`): the message names it and the place.
    #[error("{0}")]
    Input(#[from] InputError),
    #[error("`{path}` is not a pack: {why}")]
    NotPolicy { path: PathBuf, why: String },
}

/// A parsed pack: its files, their parse results and the merged model.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub sources: Sources,
    pub files: Vec<(FileId, ParsedFile)>,
    pub pack: Pack,
    /// How each file was encoded (by file id), so that `fmt --write` writes it back the same way.
    pub encodings: Vec<Encoding>,
}

impl Loaded {
    /// Parse diagnostics of every file, in file order.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.files
            .iter()
            .flat_map(|(_, f)| f.diagnostics.iter().cloned())
            .collect()
    }

    /// True when every file parsed (there may still be lowering errors).
    pub fn all_parsed(&self) -> bool {
        self.files.iter().all(|(_, f)| f.parsed)
    }

    /// Adds one file's text to the pack.
    pub fn add_text(&mut self, path: impl Into<PathBuf>, text: String) -> FileId {
        let id = self.sources.add(path, text);
        self.encodings.resize(id.0 as usize + 1, Encoding::Utf8);
        let parsed = parse_file(id, self.sources.text(id));
        self.pack.extend(parsed.pack.clone());
        self.files.push((id, parsed));
        id
    }
}

/// The `.policy` files a path names: the file itself, or a folder's files sorted by name.
pub fn policy_files(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_dir() {
        not_policy_text(path)?;
        return Ok(vec![path.to_path_buf()]);
    }
    // Entries are not followed into subfolders, so a symbolic link loop cannot recurse; a link
    // that loops is not a file and is left out like any other non-file.
    let files: Vec<PathBuf> = input::folder_files(path, input::MAX_PACK_FILES)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "policy"))
        .collect();
    if files.is_empty() {
        return Err(LoadError::Empty(path.to_path_buf()));
    }
    Ok(files)
}

/// Loads one pack: a folder, or one file.
pub fn load_pack(path: &Path) -> Result<Loaded, LoadError> {
    let mut loaded = Loaded::default();
    for file in policy_files(path)? {
        let text = input::read(&file, input::Kind::Policy)?;
        let id = loaded.add_text(file, text.text);
        loaded.encodings[id.0 as usize] = text.encoding;
    }
    Ok(loaded)
}

/// Refuses a file given as a pack that is clearly something else (a test file, a request, a
/// matrix, Graph JSON: PACK and REQUEST swapped), before it is parsed as policy text.
fn not_policy_text(path: &Path) -> Result<(), LoadError> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let lower = name.to_ascii_lowercase();
    let why = if lower.ends_with(crate::testing::TEST_FILE_SUFFIX) {
        "it is a test file (`*.test.yaml`); give the pack folder, e.g. `accord test <PACK>`"
    } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        "it is a YAML file (a request or a matrix?); the pack comes first: `accord whatif <PACK> <REQUEST>`"
    } else if lower.ends_with(".json") {
        "it is a JSON file (a request, or Graph JSON for `accord import`?); the pack comes first: `accord whatif <PACK> <REQUEST>`"
    } else {
        return Ok(());
    };
    Err(LoadError::NotPolicy {
        path: path.to_path_buf(),
        why: why.to_string(),
    })
}

/// Parses a pack held in memory, as `(file name, text)` pairs (tests, tools).
pub fn load_texts<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Loaded {
    let mut loaded = Loaded::default();
    for (name, text) in files {
        loaded.add_text(name, text.to_string());
    }
    loaded
}

/// Loads a pack as it was at a git revision (`accord diff --git REV PACK`): the `.policy` files
/// the folder held at that commit (or the one file), read with `git show`.
pub fn load_pack_at_revision(path: &Path, rev: &str) -> Result<Loaded, String> {
    use std::process::Command;
    let git = |dir: &Path, args: &[&str]| -> Result<String, String> {
        let out = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run `git`: {e}"))?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
        }
        String::from_utf8(out.stdout).map_err(|_| "git printed text that is not UTF-8".to_string())
    };
    let canonical = std::fs::canonicalize(path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let is_dir = canonical.is_dir();
    let dir = if is_dir {
        canonical.clone()
    } else {
        canonical
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    };
    let root = PathBuf::from(
        git(&dir, &["rev-parse", "--show-toplevel"])
            .map_err(|e| format!("`{}` is not in a git repository: {e}", path.display()))?
            .trim(),
    );
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    let rel = canonical
        .strip_prefix(&root)
        .map_err(|_| format!("`{}` is outside the repository", path.display()))?
        .to_string_lossy()
        .replace('\\', "/");
    let files: Vec<String> = if is_dir {
        let prefix = if rel.is_empty() {
            String::new()
        } else {
            format!("{rel}/")
        };
        let listing = git(&root, &["ls-tree", "--name-only", rev, "--", &prefix])
            .map_err(|e| format!("cannot list `{rel}` at `{rev}`: {e}"))?;
        let mut files: Vec<String> = listing
            .lines()
            .filter(|l| l.ends_with(".policy"))
            .map(str::to_string)
            .collect();
        files.sort();
        files
    } else {
        vec![rel.clone()]
    };
    if files.is_empty() {
        return Err(format!("`{rel}` holds no `.policy` file at `{rev}`"));
    }
    let mut loaded = Loaded::default();
    for f in files {
        let text = git(&root, &["show", &format!("{rev}:{f}")])
            .map_err(|e| format!("cannot read `{f}` at `{rev}`: {e}"))?;
        loaded.add_text(format!("{f}@{rev}"), text);
    }
    Ok(loaded)
}

//! Reading a pack from disk: a folder of `.policy` files (sorted by name) or single files.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::diagnostic::Diagnostic;
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
    #[error("`{0}` is not valid UTF-8")]
    NotUtf8(PathBuf),
}

/// A parsed pack: its files, their parse results and the merged model.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub sources: Sources,
    pub files: Vec<(FileId, ParsedFile)>,
    pub pack: Pack,
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
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(io)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "policy"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(LoadError::Empty(path.to_path_buf()));
    }
    Ok(files)
}

/// Loads one pack: a folder, or one file.
pub fn load_pack(path: &Path) -> Result<Loaded, LoadError> {
    let mut loaded = Loaded::default();
    for file in policy_files(path)? {
        let bytes = std::fs::read(&file).map_err(|source| LoadError::Io {
            path: file.clone(),
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|_| LoadError::NotUtf8(file.clone()))?;
        loaded.add_text(file, text);
    }
    Ok(loaded)
}

/// Parses a pack held in memory, as `(file name, text)` pairs (tests, tools).
pub fn load_texts<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Loaded {
    let mut loaded = Loaded::default();
    for (name, text) in files {
        loaded.add_text(name, text.to_string());
    }
    loaded
}

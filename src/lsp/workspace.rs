//! The packs an editor has open, analysed incrementally.
//!
//! A pack is a folder of `.policy` files, as on the command line. Open documents override the
//! files on disk. After an edit only the edited file is parsed again: every other file keeps its
//! parse (its file id is its rank in the sorted folder, so its spans stay valid); the pack is then
//! merged, validated and linted as `accord lint` does, so a change in one file re-checks the
//! references of all the others.
//!
//! Linting comes in two tiers. [`analyse`] runs every rule but those that ask exact questions of
//! the whole request space ([`crate::lint::registry::WHOLE_SPACE`]): what an edit needs at once.
//! [`whole_space_findings`] runs those, on a snapshot of the pack, in the server's background
//! worker; their findings join the pack's report when they come back for the same analysis
//! ([`PackState::generation`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::lint::registry::WHOLE_SPACE;
use crate::lint::{self, LintReport, Selection};
use crate::load::Loaded;
use crate::source::FileId;
use crate::syntax::{parse_file, ParsedFile};

use super::lex::{self, FileIndex};

/// One file of a pack, parsed and indexed.
#[derive(Debug, Clone)]
pub struct FileState {
    pub path: PathBuf,
    pub text: String,
    pub parsed: ParsedFile,
    pub index: FileIndex,
}

/// A pack's files and the outcome of its last analysis.
#[derive(Debug, Clone, Default)]
pub struct PackState {
    pub files: Vec<FileState>,
    /// Shared with the background worker (a snapshot: never changed after the analysis).
    pub loaded: Arc<Loaded>,
    pub report: LintReport,
    /// The files the last analysis parsed again (the others kept their parse).
    pub reparsed: Vec<FileId>,
    /// Counts the analyses of this pack: background findings for an older one are dropped.
    pub generation: u64,
    /// The whole-space rules' findings have joined `report` (or the pack is not valid, and
    /// they will not run).
    pub complete: bool,
}

impl PackState {
    /// The file with this path.
    pub fn file(&self, path: &Path) -> Option<(FileId, &FileState)> {
        self.files
            .iter()
            .enumerate()
            .find(|(_, f)| f.path == path)
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// The diagnostics of one file, in report order; a diagnostic without a place goes to the
    /// first file.
    pub fn diagnostics_of(&self, file: FileId) -> Vec<&Diagnostic> {
        self.report
            .diagnostics
            .iter()
            .filter(|d| d.span.map_or(FileId(0), |s| s.file) == file)
            .collect()
    }
}

/// Parses again only the files whose text changed (or moved in the sort order), then checks
/// and lints the whole pack.
pub fn analyse(previous: Option<&PackState>, texts: Vec<(PathBuf, String)>) -> PackState {
    let mut files = Vec::with_capacity(texts.len());
    let mut reparsed = Vec::new();
    for (i, (path, text)) in texts.into_iter().enumerate() {
        let id = FileId(i as u32);
        let reused = previous
            .and_then(|p| p.files.get(i))
            .filter(|f| f.path == path && f.text == text);
        let state = match reused {
            Some(f) => f.clone(),
            None => {
                reparsed.push(id);
                FileState {
                    parsed: parse_file(id, &text),
                    index: lex::index(&text),
                    path,
                    text,
                }
            }
        };
        files.push(state);
    }
    let mut loaded = Loaded::default();
    for f in &files {
        loaded.sources.add(f.path.clone(), f.text.clone());
        loaded.encodings.push(crate::input::Encoding::Utf8);
        loaded.pack.extend(f.parsed.pack.clone());
    }
    loaded.files = files
        .iter()
        .enumerate()
        .map(|(i, f)| (FileId(i as u32), f.parsed.clone()))
        .collect();
    let report = lint::lint(&loaded, &Selection::all_but(&WHOLE_SPACE));
    PackState {
        files,
        complete: !report.valid,
        loaded: Arc::new(loaded),
        report,
        reparsed,
        generation: previous.map_or(1, |p| p.generation + 1),
    }
}

/// The findings of the whole-space rules for a loaded pack (suppressions applied): what
/// [`analyse`] leaves out. Empty for a pack that does not check.
pub fn whole_space_findings(loaded: &Loaded) -> Vec<Diagnostic> {
    let report = lint::lint(loaded, &Selection::only(&WHOLE_SPACE));
    if !report.valid {
        return Vec::new();
    }
    report
        .diagnostics
        .into_iter()
        .filter(|d| WHOLE_SPACE.contains(&d.code.as_str()))
        .collect()
}

impl PackState {
    /// Adds the whole-space findings computed for `generation`; false (nothing changed) when
    /// the pack was analysed again since.
    pub fn complete_with(&mut self, generation: u64, findings: Vec<Diagnostic>) -> bool {
        if generation != self.generation || self.complete {
            return false;
        }
        self.report.diagnostics.extend(findings);
        // The report's order: check diagnostics first, then findings by place.
        let checks = self
            .report
            .diagnostics
            .iter()
            .take_while(|d| {
                crate::lint::rule(&d.code).is_none()
                    && !crate::lint::suppress::CODES.contains(&d.code.as_str())
            })
            .count();
        lint::sort(&mut self.report.diagnostics[checks..]);
        self.complete = true;
        true
    }
}

/// Every open pack, by folder, with the documents the editor holds.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    /// Open documents: path -> text.
    pub open: BTreeMap<PathBuf, String>,
    /// Analysed packs: folder (or, for a file outside any pack, the file itself) -> state.
    pub packs: BTreeMap<PathBuf, PackState>,
}

impl Workspace {
    /// The key of the pack a file belongs to: its folder.
    pub fn pack_key(path: &Path) -> PathBuf {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    }

    /// The pack's files: the `.policy` files of the folder on disk, sorted by name, with open
    /// documents in place of their disk text (and open documents not yet saved added).
    pub fn pack_texts(&self, key: &Path) -> Vec<(PathBuf, String)> {
        let mut texts: BTreeMap<PathBuf, String> = BTreeMap::new();
        if let Ok(paths) = crate::load::policy_files(key) {
            for p in paths {
                if let Ok(t) = crate::input::read(&p, crate::input::Kind::Policy) {
                    texts.insert(p, t.text);
                }
            }
        }
        for (p, t) in &self.open {
            if Self::pack_key(p) == key && p.extension().is_some_and(|e| e == "policy") {
                texts.insert(p.clone(), t.clone());
            }
        }
        texts.into_iter().collect()
    }

    /// Analyses the pack of `path` again and returns its key.
    pub fn refresh(&mut self, path: &Path) -> PathBuf {
        let key = Self::pack_key(path);
        let texts = self.pack_texts(&key);
        let state = analyse(self.packs.get(&key), texts);
        self.packs.insert(key.clone(), state);
        key
    }

    /// The pack holding `path` (analysed on first use).
    pub fn pack_of(&mut self, path: &Path) -> &PackState {
        let key = Self::pack_key(path);
        if !self.packs.contains_key(&key) {
            self.refresh(path);
        }
        &self.packs[&key]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_reparses_only_its_file_and_rechecks_the_pack() {
        let a = (
            PathBuf::from("p/a.policy"),
            "resource tenant c { id = \"11111111-1111-1111-1111-111111111111\" }\nlocation hq { ip = [\"10.0.0.0/16\"] }\n".to_string(),
        );
        let b = (
            PathBuf::from("p/b.policy"),
            "policy \"x\" { users { include all } apps { include all } conditions { locations = include(hq) } grant mfa }\n".to_string(),
        );
        let first = analyse(None, vec![a.clone(), b.clone()]);
        assert!(
            !crate::diagnostic::has_errors(&first.report.diagnostics),
            "{:?}",
            first.report.diagnostics
        );
        // Renaming the location in a.policy breaks the reference in b.policy.
        let a2 = (a.0.clone(), a.1.replace("hq", "office"));
        let second = analyse(Some(&first), vec![a2, b]);
        let errors: Vec<_> = second
            .report
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(
            errors
                .iter()
                .any(|d| d.span.is_some_and(|s| s.file == FileId(1))),
            "{errors:?}"
        );
        assert_eq!(second.reparsed, vec![FileId(0)]);
        assert_eq!(first.reparsed, vec![FileId(0), FileId(1)]);
        assert_eq!(second.files[1].parsed.pack.policies.len(), 1);
    }
}

//! Directory objects (issue 12): the app-assignment step and requests filled from the directory
//! (`tests/fixtures/directory/*.yaml`), the provisioning what-if
//! (`tests/fixtures/provisioning/*.yaml`). Scenario tables are specifications, asserted exactly;
//! each case cites its source (a Microsoft Learn page, or a section of the reference).

pub(crate) mod cli;
mod provisioning;
mod scenarios;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// A scenario table: the pack (inline or a repository folder), the pages its cases cite by short
/// name, and the cases.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table<C> {
    #[serde(default)]
    pub pack: Option<String>,
    #[serde(default)]
    pub pack_dir: Option<String>,
    /// Short names of the pages the cases cite.
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
    pub cases: Vec<C>,
}

/// Reads a table, checks its sources and validates its pack.
pub fn load<C: serde::de::DeserializeOwned>(
    path: &Path,
) -> (Table<C>, accord::validate::Validated) {
    let text = std::fs::read_to_string(path).expect("readable");
    let table: Table<C> =
        serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    check_sources(path, &table.sources);
    let pack = validated(path, table.pack.as_deref(), table.pack_dir.as_deref());
    (table, pack)
}

/// The YAML files of a fixture folder, sorted.
pub fn tables(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
}

/// A case's source: a Microsoft Learn page (or another https page), a section of the reference
/// (`§N`), or the name of an entry of the table's `sources` (each an https page or a README
/// section), written as a word of the source.
pub fn cites(source: &str, sources: &BTreeMap<String, String>) -> bool {
    let named = source
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .any(|w| sources.contains_key(w));
    source.contains("https://") || source.contains('§') || named
}

/// Checks a table's `sources`: each names a page (`https://`) or a section of README.md.
fn check_sources(path: &Path, sources: &BTreeMap<String, String>) {
    for (name, at) in sources {
        assert!(
            at.starts_with("https://") || at.starts_with("README.md"),
            "{}: source `{name}` is neither a page nor a README section: {at}",
            path.display()
        );
    }
}

/// The validated pack of a table: inline `pack:` text or a repository folder `pack_dir:`.
fn validated(
    path: &Path,
    pack: Option<&str>,
    pack_dir: Option<&str>,
) -> accord::validate::Validated {
    let loaded = match (pack, pack_dir) {
        (Some(text), None) => accord::load::load_texts([("pack.policy", text)]),
        (None, Some(dir)) => {
            let root = Path::new(env!("CARGO_MANIFEST_DIR"));
            accord::load::load_pack(&root.join(dir)).expect("the pack loads")
        }
        _ => panic!(
            "{}: give exactly one of `pack` or `pack_dir`",
            path.display()
        ),
    };
    let validation = accord::check(&loaded);
    let errors: Vec<String> = validation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    validation.validated.expect("validated")
}

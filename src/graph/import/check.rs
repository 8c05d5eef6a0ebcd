//! The importer's last step: the pack, as `accord import` would write it, must pass
//! `accord check`.
//!
//! The specific checks of the importer (E3005-E3012) describe the damaged Graph objects found so
//! far in terms of their JSON. This one catches whatever they miss: the pack is printed as its
//! files, parsed and validated exactly as `accord check` would, and every error that remains
//! becomes `E3013` at the Graph object the offending item was read from (its span and JSON
//! pointer, with the line of the pack as it would be written). So an import that reports no
//! error always writes a pack that `accord check` accepts. An item whose Graph object already
//! has an import error is not reported again.
//!
//! To point at the object, the importer records where each item of the pack came from
//! ([`Origins`]); an item printed to text and parsed again is found by its position in the
//! lists of the pack, which printing keeps (each kind of item is written to one file, in order,
//! and each policy to a file of its own).

use std::collections::BTreeMap;

use super::Importer;
use crate::diagnostic::Diagnostic;
use crate::load::Loaded;
use crate::model::{CrossTenantTarget, Pack};
use crate::source::{FileId, Span};

/// A Graph object an item of the pack was read from: its span and its JSON pointer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Origin {
    pub(super) span: Span,
    pub(super) pointer: String,
}

impl Origin {
    /// `` `/value/3` `` or, for an object that is a whole file, `the file's object`.
    fn describe(&self) -> String {
        if self.pointer.is_empty() {
            "the file's object".to_string()
        } else {
            format!("`{}`", self.pointer)
        }
    }

    fn contains(&self, span: Span) -> bool {
        self.span.file == span.file && self.span.start <= span.start && span.end <= self.span.end
    }
}

/// The Graph objects each item of the pack was read from, by the item's index in its list of
/// the pack (a cross-tenant block or the sharing block may merge several objects).
#[derive(Debug, Default)]
pub(crate) struct Origins {
    pub(super) tenants: Vec<Vec<Origin>>,
    pub(super) organizations: Vec<Vec<Origin>>,
    /// By organisation, then member: the tenant object each member was read from.
    pub(super) members: Vec<Vec<Option<Origin>>>,
    pub(super) locations: Vec<Vec<Origin>>,
    pub(super) cross_tenant: Vec<Vec<Origin>>,
    pub(super) policies: Vec<Vec<Origin>>,
    pub(super) sharing: Vec<Vec<Origin>>,
}

impl Origins {
    /// Records `origin` (if any) as a source of item `index` of `list`.
    pub(super) fn note(list: &mut Vec<Vec<Origin>>, index: usize, origin: Option<&Origin>) {
        if list.len() <= index {
            list.resize(index + 1, Vec::new());
        }
        if let Some(o) = origin {
            if !list[index].contains(o) {
                list[index].push(o.clone());
            }
        }
    }
}

impl Origins {
    /// The objects an item was read from (none for an item that no object made: the resource
    /// tenant named by `--tenant`).
    fn of(&self, item: Item) -> Vec<Origin> {
        let list = match item {
            Item::Tenant(i) => self.tenants.get(i),
            Item::Organization(i, Some(m)) => {
                if let Some(o) = self.member(i, m) {
                    return vec![o.clone()];
                }
                self.organizations.get(i)
            }
            Item::Organization(i, None) => self.organizations.get(i),
            Item::Location(i) => self.locations.get(i),
            Item::CrossTenant(i) => self.cross_tenant.get(i),
            Item::Policy(i) => self.policies.get(i),
            Item::Sharing(i) => self.sharing.get(i),
        };
        list.cloned().unwrap_or_default()
    }

    /// The object member `m` of organisation `org` was read from.
    pub(super) fn member(&self, org: usize, m: usize) -> Option<&Origin> {
        self.members.get(org)?.get(m)?.as_ref()
    }

    /// Forgets organisation `index` (left out of the pack) and returns where it came from.
    pub(super) fn take_organization(&mut self, index: usize) -> Vec<Origin> {
        if index < self.members.len() {
            self.members.remove(index);
        }
        if index < self.organizations.len() {
            self.organizations.remove(index)
        } else {
            Vec::new()
        }
    }
}

/// An item of the pack, by its index in its list (and, in an organisation, the member's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Tenant(usize),
    Organization(usize, Option<usize>),
    Location(usize),
    CrossTenant(usize),
    Policy(usize),
    Sharing(usize),
}

impl Item {
    /// What the item is, for messages (`the named location `hq``).
    fn describe(self, pack: &Pack) -> String {
        let name = |n: Option<&String>| n.map_or(String::new(), |n| format!(" `{n}`"));
        match self {
            Item::Tenant(i) => format!(
                "the tenant{}",
                name(pack.tenants.get(i).map(|t| &t.name.value))
            ),
            Item::Organization(i, _) => format!(
                "the multi-tenant organisation{}",
                name(pack.organizations.get(i).map(|o| &o.name.value))
            ),
            Item::Location(i) => format!(
                "the named location{}",
                name(pack.locations.get(i).map(|l| &l.name.value))
            ),
            Item::CrossTenant(i) => match pack.cross_tenant.get(i).map(|c| &c.target) {
                Some(CrossTenantTarget::Tenant(t)) => {
                    format!("the cross-tenant settings of `{}`", t.value)
                }
                _ => "the default cross-tenant settings".to_string(),
            },
            Item::Policy(i) => format!(
                "the policy{}",
                name(pack.policies.get(i).map(|p| &p.name.value))
            ),
            Item::Sharing(_) => "the sharing settings".to_string(),
        }
    }
}

/// The item of `loaded` (the pack as written, parsed again) whose text holds `span`. Printing
/// keeps the order of every list, so the index is also the item's index in the imported pack;
/// a policy file that does not parse again is found by its place among the files.
fn item_at(loaded: &Loaded, policies: usize, span: Span) -> Option<Item> {
    let pack = &loaded.pack;
    let find = |spans: &mut dyn Iterator<Item = Span>| {
        spans.enumerate().find_map(|(i, s)| {
            (s.file == span.file && s.start <= span.start && span.end <= s.end).then_some(i)
        })
    };
    if let Some(i) = find(&mut pack.tenants.iter().map(|t| t.span)) {
        return Some(Item::Tenant(i));
    }
    if let Some(i) = find(&mut pack.organizations.iter().map(|o| o.span)) {
        let member = find(&mut pack.organizations[i].members.iter().map(|m| m.span));
        return Some(Item::Organization(i, member));
    }
    if let Some(i) = find(&mut pack.locations.iter().map(|l| l.span)) {
        return Some(Item::Location(i));
    }
    if let Some(i) = find(&mut pack.cross_tenant.iter().map(|c| c.span)) {
        return Some(Item::CrossTenant(i));
    }
    if let Some(i) = find(&mut pack.policies.iter().map(|p| p.span)) {
        return Some(Item::Policy(i));
    }
    if let Some(i) = find(&mut pack.sharing.iter().map(|s| s.span)) {
        return Some(Item::Sharing(i));
    }
    // Each policy is the only item of its file, and the policy files come last.
    let file = loaded.files.iter().position(|(id, _)| *id == span.file)?;
    let first_policy = loaded.files.len().checked_sub(policies)?;
    file.checked_sub(first_policy).map(Item::Policy)
}

impl Importer<'_> {
    /// `E3013` for every error `accord check` would report on the pack as written.
    pub(super) fn check_written(&mut self) {
        let files = crate::graph::files::pack_files(&self.pack, "");
        let loaded =
            crate::load::load_texts(files.iter().map(|f| (f.name.as_str(), f.text.as_str())));
        let validation = crate::check(&loaded);
        let reported: Vec<Span> = self
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .filter_map(|d| d.span)
            .collect();
        // Files of the pack as written, added to the sources when an error points into them.
        let mut written: BTreeMap<FileId, FileId> = BTreeMap::new();
        for error in validation.diagnostics.iter().filter(|d| d.is_error()) {
            let item = error
                .span
                .and_then(|s| item_at(&loaded, self.pack.policies.len(), s));
            let origins = item.map(|i| self.origins.of(i)).unwrap_or_default();
            if origins
                .iter()
                .any(|o| reported.iter().any(|r| o.contains(*r)))
            {
                continue;
            }
            let printed = error.span.map(|s| {
                let id = *written.entry(s.file).or_insert_with(|| {
                    let file = loaded.sources.get(s.file);
                    self.sources.add(
                        file.map(|f| f.path.clone()).unwrap_or_default(),
                        file.map(|f| f.text.clone()).unwrap_or_default(),
                    )
                });
                Span { file: id, ..s }
            });
            let what = match item {
                Some(item) => item.describe(&self.pack),
                None => "the pack".to_string(),
            };
            let from = match origins.first() {
                Some(o) => format!(", read from {},", o.describe()),
                None => String::new(),
            };
            let help = match &error.help {
                Some(h) => format!("is the export damaged? the pack was not written; `accord check` would say: {h}"),
                None => "is the export damaged? the pack was not written".to_string(),
            };
            let mut d = Diagnostic::error(
                "E3013",
                format!(
                    "{what}{from} would be written as a pack `accord check` refuses: {} ({})",
                    error.message, error.code
                ),
            )
            .help(help);
            match (origins.first(), printed) {
                (Some(o), printed) => {
                    d = d.at(o.span);
                    for other in &origins[1..] {
                        d = d.label(other.span, "also read from here");
                    }
                    if let Some(p) = printed {
                        d = d.label(p, "as it would be written");
                    }
                }
                (None, Some(p)) => d = d.at(p),
                (None, None) => {}
            }
            self.diagnostics.push(d);
        }
    }
}

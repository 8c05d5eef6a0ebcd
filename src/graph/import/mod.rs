//! Graph JSON to a pack.
//!
//! Every input file is decoded (any encoding, any key style, see `decode`), split into the
//! objects it holds (one object, an array, or a `{"value": ...}` list response) and each object
//! is recognised by its `@odata.type` or, failing that, by its properties. Directory objects
//! (groups, users, IntuneManagement's `MigrationTable.json`) and the named locations and tenants
//! found are read first, so that ids anywhere else can be replaced by names.
//!
//! Nothing is dropped silently: a property accord does not model becomes an `extension` entry
//! (and a `W3002` warning naming its JSON pointer); what `normalize` documents as noise
//! (OData annotations, read-only properties, defaults, nulls) is the only thing left out.

mod check;
mod directory;
pub mod exchange;
mod guests;
mod objects;
mod organization;
mod policy;
mod settings;
mod spo;
mod strength;
mod teams;
mod tenant;
pub(crate) mod traffic;
mod workloads;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::decode::{self, Document};
use super::names::{is_guid, is_placeholder, NameMap};
use crate::diagnostic::Diagnostic;
use crate::model::{Extension, Name, Pack, Spanned, Tenant};
use crate::source::{FileId, Sources, Span};

use check::{Origin, Origins};
pub use directory::Directory;
pub(crate) use policy::same_profile;

/// One input file, as read from disk.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// `--names`: extra `id -> name` resolutions.
    pub names: NameMap,
    /// `--tenant`: the resource tenant's id or one of its domains.
    pub tenant: Option<String>,
    /// `--lenient`: accept comments and trailing commas. It changes how JSON is read, never
    /// which objects are imported: an object that would make the pack fail `accord check` is an
    /// error with or without it (leaving a policy out would change the pack's decisions).
    pub lenient: bool,
}

/// Where an imported item came from, with its JSON as decoded (for round-trip checks).
#[derive(Debug, Clone)]
pub struct Provenance {
    pub file: FileId,
    /// The item's JSON pointer inside its file (`""` for a whole-file object).
    pub pointer: String,
    pub json: Value,
}

/// The result of an import.
#[derive(Debug, Clone, Default)]
pub struct Import {
    pub pack: Pack,
    /// The input files (decoded text), for rendering diagnostics.
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    /// Every id the import replaced by a name (written to `names.yaml`).
    pub names: NameMap,
    /// Where each policy of `pack.policies` came from, in the same order.
    pub policy_origins: Vec<Provenance>,
    /// Where each location of `pack.locations` came from, in the same order.
    pub location_origins: Vec<Provenance>,
}

impl Import {
    pub fn count(&self, severity: crate::diagnostic::Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// `imported 36 policies, 3 locations, 12 warnings`.
    pub fn summary(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "imported {}, {}, {}",
            plural(self.pack.policies.len(), "policy", "policies"),
            plural(self.pack.locations.len(), "location", "locations"),
            plural(
                self.count(crate::diagnostic::Severity::Warning),
                "warning",
                "warnings"
            ),
        )
    }
}

/// A problem reading inputs from disk; the message names the path.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ReadError {
    pub path: PathBuf,
    pub message: String,
}

impl ReadError {
    fn io(path: &Path, e: &std::io::Error) -> Self {
        ReadError {
            path: path.to_path_buf(),
            message: format!("cannot read `{}`: {e}", path.display()),
        }
    }
}

/// The most input files one import reads (a whole-tenant export is a few thousand).
pub const MAX_INPUT_FILES: usize = 100_000;
/// The deepest folder nesting an import walks.
const MAX_FOLDER_DEPTH: usize = 32;

/// The `.json` files a path names: the file itself, or every `.json` file below a folder
/// (recursively, sorted by path). The extension is matched case-insensitively (`Convert.Json`).
/// Symbolic links are followed, but a link back to a folder being walked is a loop and an
/// error, and a file reached twice (through two links) is read once.
pub fn input_paths(path: &Path) -> Result<Vec<PathBuf>, ReadError> {
    let mut walk = Walk::default();
    walk.visit(path, true)?;
    Ok(walk.files)
}

#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    seen: std::collections::HashSet<PathBuf>,
    /// The canonical folders being walked, outermost first.
    ancestors: Vec<PathBuf>,
}

impl Walk {
    fn visit(&mut self, path: &Path, named: bool) -> Result<(), ReadError> {
        let meta = std::fs::metadata(path).map_err(|e| ReadError::io(path, &e))?;
        let canonical = std::fs::canonicalize(path).map_err(|e| ReadError::io(path, &e))?;
        if !meta.is_dir() {
            let json = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            if (named || json) && self.seen.insert(canonical) {
                if self.files.len() >= MAX_INPUT_FILES {
                    return Err(ReadError {
                        path: path.to_path_buf(),
                        message: format!("the inputs hold more than {MAX_INPUT_FILES} .json files"),
                    });
                }
                self.files.push(path.to_path_buf());
            }
            return Ok(());
        }
        if let Some(outer) = self.ancestors.iter().find(|a| **a == canonical) {
            return Err(ReadError {
                path: path.to_path_buf(),
                message: format!(
                    "`{}` is a symbolic link loop: it leads back to `{}`",
                    path.display(),
                    outer.display()
                ),
            });
        }
        if self.ancestors.len() >= MAX_FOLDER_DEPTH {
            return Err(ReadError {
                path: path.to_path_buf(),
                message: format!(
                    "`{}` is more than {MAX_FOLDER_DEPTH} folders deep",
                    path.display()
                ),
            });
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| ReadError::io(path, &e))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        self.ancestors.push(canonical);
        for entry in entries {
            self.visit(&entry, false)?;
        }
        self.ancestors.pop();
        Ok(())
    }
}

/// Reads every input file of the given paths (regular files only, each up to the size limit
/// of `crate::input`).
pub fn read_inputs(paths: &[PathBuf]) -> Result<Vec<InputFile>, ReadError> {
    let mut inputs = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for path in paths {
        for file in input_paths(path)? {
            // The same file named twice (a folder and a file in it) is read once.
            if !seen.insert(std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone())) {
                continue;
            }
            let bytes = crate::input::read_bytes(&file).map_err(|e| ReadError {
                path: file.clone(),
                message: e.to_string(),
            })?;
            inputs.push(InputFile { path: file, bytes });
        }
    }
    Ok(inputs)
}

/// What a JSON object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Policy,
    NamedLocation,
    /// Global Secure Access's compliant network location: built in (`compliant_network`).
    CompliantNetworkLocation,
    CrossTenantDefault,
    CrossTenantPartner,
    Organization,
    OrganizationMember,
    Sharepoint,
    /// The SharePoint tenant as `Get-SPOTenant` or the SharePoint REST API print it.
    SpoTenant,
    Authorization,
    /// A custom authentication strength policy.
    StrengthPolicy,
    /// `Get-CsTenantFederationConfiguration`.
    TeamsFederation,
    /// `Get-CsTeamsMeetingPolicy` (one policy).
    MeetingPolicy,
    /// A directory setting (`Group.Unified`).
    DirectorySetting,
    /// The B2B invitation allow or block list (`b2bManagementPolicy`).
    B2bManagement,
    /// `emailAuthenticationMethodConfiguration` (email one-time passcode for guests).
    EmailOtp,
    /// `authenticationFlowsPolicy` (guest self-service sign-up).
    AuthFlows,
    /// A whole-tenant snapshot (ScubaGear's `ProviderSettingsExport.json`): split into sections.
    TenantSnapshot,
    /// A record of the tenant itself (`tenant_details`, Graph `organization`...): read for the
    /// resource tenant.
    TenantIdentity,
    /// A snapshot section accord does not model.
    SnapshotSection,
    /// A snapshot's list of the commands its tool could not run.
    FailedCommands,
    /// Users, contacts, groups, service principals: read for their names (pass 1) and into
    /// the `directory` block (pass 2).
    DirectoryObject,
    MigrationTable,
    /// An Exchange Online object as PowerShell prints it (`Get-OrganizationRelationship`...).
    Exchange(exchange::ExchangeKind),
    /// A Graph resource accord knows but does not model.
    Unmodelled(&'static str),
    Unknown,
}

/// One object found in an input file.
struct Item {
    file: FileId,
    doc: usize,
    pointer: String,
    kind: Kind,
}

/// Imports every input file into one pack.
pub fn import(inputs: &[InputFile], options: &ImportOptions) -> Import {
    let mut im = Importer::new(options);
    let mut docs: Vec<Document> = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    let mut ours = tenant::OurTenant::default();
    for input in inputs {
        let Some((file, doc)) = im.read(input) else {
            continue;
        };
        if !doc.value.is_object() && !doc.value.is_array() {
            // A bare number or string is not an export with nothing in it: it is not an export.
            let what = match &doc.value {
                Value::String(_) => "a JSON string",
                Value::Number(_) => "a JSON number",
                Value::Bool(_) => "a JSON boolean",
                _ => "JSON `null`",
            };
            let at = doc.span("").unwrap_or(Span::new(file, 0, 0));
            im.diagnostics.push(
                Diagnostic::error("E3003", format!("the file holds {what}, not Graph objects"))
                    .at(at)
                    .help("give Graph JSON: an object, an array of objects, or a list response `{\"value\": [...]}`"),
            );
            continue;
        }
        for (pointer, value) in split_items(&doc.value) {
            let kind = value.as_object().map_or(Kind::Unknown, kind_of);
            if let (Kind::TenantSnapshot, Some(map)) = (kind, value.as_object()) {
                ours.read(file, map);
                for s in tenant::sections(&pointer, map) {
                    items.push(Item {
                        file,
                        doc: docs.len(),
                        pointer: s.pointer,
                        kind: s.kind,
                    });
                }
                continue;
            }
            if kind == Kind::TenantIdentity {
                ours.file = Some(file);
                ours.organization(value);
            }
            items.push(Item {
                file,
                doc: docs.len(),
                pointer,
                kind,
            });
        }
        docs.push(doc);
    }
    let value_of = |item: &Item| -> Value {
        docs[item.doc]
            .value
            .pointer(&item.pointer)
            .cloned()
            .unwrap_or(Value::Null)
    };
    // Pass 1: names (directory objects, tenants, locations) and the resource tenant.
    for item in &items {
        let v = value_of(item);
        match item.kind {
            Kind::DirectoryObject | Kind::MigrationTable => im.directory.read_object(&v),
            Kind::OrganizationMember | Kind::CrossTenantPartner => im.directory.read_tenant(&v),
            Kind::NamedLocation => im.directory.read_location(item.file, &item.pointer, &v),
            _ => {}
        }
    }
    im.directory.finish(&options.names);
    im.resource_tenant(&items, &docs, &ours);
    // Pass 2: everything else, in input order.
    for item in &items {
        let v = value_of(item);
        let doc = &docs[item.doc];
        let mut cx = Ctx {
            file: item.file,
            doc,
            base: item.pointer.clone(),
            prefix: String::new(),
            extensions: Vec::new(),
        };
        im.current = Some(Origin {
            span: cx.span(""),
            pointer: item.pointer.clone(),
        });
        if im.truncated(&mut cx, &v) {
            continue;
        }
        match item.kind {
            Kind::Policy => im.policy(&mut cx, &v),
            Kind::NamedLocation => im.location(&mut cx, &v),
            Kind::CompliantNetworkLocation => im.compliant_network_location(&mut cx, &v),
            Kind::CrossTenantDefault => im.cross_tenant(&mut cx, &v, true),
            Kind::CrossTenantPartner => im.cross_tenant(&mut cx, &v, false),
            Kind::Organization => im.organization(&mut cx, &v),
            Kind::OrganizationMember => im.organization_member(&mut cx, &v),
            Kind::Sharepoint => im.sharepoint(&mut cx, &v),
            Kind::SpoTenant => im.spo_tenant(&mut cx, &v),
            Kind::Authorization => im.authorization(&mut cx, &v),
            Kind::StrengthPolicy => im.strength_policy(&mut cx, &v),
            Kind::Exchange(k) => {
                let sharing = im.sharing_mut();
                let problems =
                    exchange::read_into(k, &v, &mut sharing.exchange, &mut sharing.extensions);
                for (rel, d) in problems {
                    im.push_at(&cx, &rel, d);
                }
            }
            Kind::TeamsFederation => im.teams_federation(&mut cx, &v),
            Kind::MeetingPolicy => im.meeting_policy(&mut cx, &v),
            Kind::DirectorySetting => im.directory_setting(&mut cx, &v),
            Kind::B2bManagement => im.b2b_management(&mut cx, &v),
            Kind::EmailOtp => im.email_otp(&mut cx, &v),
            Kind::AuthFlows => im.auth_flows(&mut cx, &v),
            Kind::TenantIdentity => im.tenant_identity(&mut cx),
            Kind::SnapshotSection => im.snapshot_section(&mut cx),
            Kind::FailedCommands => im.failed_commands(&mut cx, &v),
            // Split into its sections when read.
            Kind::TenantSnapshot => {}
            Kind::DirectoryObject => im.directory_object(&mut cx, &v),
            Kind::MigrationTable => {}
            Kind::Unmodelled(what) => {
                let d = Diagnostic::warning(
                    "W3009",
                    format!("{what} is not modelled by accord: skipped"),
                )
                .help("accord imports policies, named locations, cross-tenant settings, the multi-tenant organisation and sharing settings");
                im.push_at(&cx, "", d);
            }
            Kind::Unknown => {
                let d = Diagnostic::warning(
                    "W3003",
                    "not a Graph object accord imports: skipped",
                )
                .help("accord imports conditionalAccessPolicy, namedLocation, cross-tenant access settings, multiTenantOrganization (and its tenants), sharepointSettings or Get-SPOTenant, authorizationPolicy, authenticationStrengthPolicy, the Exchange objects of Get-OrganizationRelationship, Get-SharingPolicy, Get-InboundConnector, Get-OutboundConnector and Get-RemoteDomain, Get-CsTenantFederationConfiguration, Get-CsTeamsMeetingPolicy, the Group.Unified setting, users, contacts, groups, servicePrincipals, and ScubaGear's ProviderSettingsExport.json");
                im.push_at(&cx, "", d);
            }
        }
    }
    im.current = None;
    im.finish()
}

/// The objects of a document: itself, the items of an array, or of a `value` list.
fn split_items(value: &Value) -> Vec<(String, &Value)> {
    match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("/{i}"), v))
            .collect(),
        Value::Object(map) => match map.get("value") {
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("/value/{i}"), v))
                .collect(),
            Some(v @ Value::Object(_)) => vec![("/value".to_string(), v)],
            _ => vec![(String::new(), value)],
        },
        other => vec![(String::new(), other)],
    }
}

const XT_KEYS: &[&str] = &[
    "inboundTrust",
    "b2bCollaborationInbound",
    "b2bCollaborationOutbound",
    "b2bDirectConnectInbound",
    "b2bDirectConnectOutbound",
    "automaticUserConsentSettings",
    "isServiceProvider",
    "identitySynchronization",
    "tenantRestrictions",
];

/// Recognises an object by `@odata.type`, then by its properties.
pub(crate) fn kind_of(map: &Map<String, Value>) -> Kind {
    let odata = map.get("@odata.type").and_then(Value::as_str).map(|t| {
        t.trim_start_matches("#microsoft.graph.")
            .to_ascii_lowercase()
    });
    let has = |k: &str| map.contains_key(k);
    let str_of = |k: &str| map.get(k).and_then(Value::as_str).unwrap_or("");
    match odata.as_deref() {
        Some("conditionalaccesspolicy") => return Kind::Policy,
        Some("ipnamedlocation" | "countrynamedlocation" | "namedlocation") => {
            return Kind::NamedLocation
        }
        Some("compliantnetworknamedlocation") => return Kind::CompliantNetworkLocation,
        Some("group" | "user" | "serviceprincipal") => return Kind::DirectoryObject,
        Some("crosstenantaccesspolicyconfigurationdefault") => return Kind::CrossTenantDefault,
        Some("crosstenantaccesspolicyconfigurationpartner") => return Kind::CrossTenantPartner,
        Some("multitenantorganization") => return Kind::Organization,
        Some("multitenantorganizationmember") => return Kind::OrganizationMember,
        Some("sharepointsettings") => return Kind::Sharepoint,
        Some("authorizationpolicy") => return Kind::Authorization,
        Some("authenticationstrengthpolicy") => return Kind::StrengthPolicy,
        _ => {}
    }
    if map.get("conditions").is_some_and(Value::is_object)
        && (has("displayName") || has("grantControls") || has("sessionControls") || has("state"))
    {
        return Kind::Policy;
    }
    if has("compliantNetworkType") {
        return Kind::CompliantNetworkLocation;
    }
    if has("ipRanges") || has("countriesAndRegions") {
        return Kind::NamedLocation;
    }
    if has("templateApplicationLevel") {
        return Kind::Unmodelled("a multi-tenant organisation template");
    }
    if has("tenantId") && matches!(str_of("role"), "owner" | "member") {
        return Kind::OrganizationMember;
    }
    if has("tenantId") && XT_KEYS.iter().any(|k| has(k)) {
        return Kind::CrossTenantPartner;
    }
    if has("isServiceDefault") || (!has("tenantId") && XT_KEYS.iter().any(|k| has(k))) {
        return Kind::CrossTenantDefault;
    }
    if tenant::is_snapshot(map) {
        return Kind::TenantSnapshot;
    }
    if guests::is_b2b_management(map) {
        return Kind::B2bManagement;
    }
    if has("allowExternalIdToUseEmailOtp") {
        return Kind::EmailOtp;
    }
    if has("selfServiceSignUp") {
        return Kind::AuthFlows;
    }
    if has("sharingCapability")
        || has("sharingDomainRestrictionMode")
        || has("oneDriveSharingCapability")
    {
        return if spo::is_spo_tenant(map) {
            Kind::SpoTenant
        } else {
            Kind::Sharepoint
        };
    }
    if (has("allowedDomains") && has("blockedDomains"))
        || (has("allowFederatedUsers") && (has("allowedDomains") || has("blockedDomains")))
    {
        return Kind::TeamsFederation;
    }
    if has("autoAdmittedUsers") || has("allowAnonymousUsersToJoinMeeting") {
        return Kind::MeetingPolicy;
    }
    if has("templateId") && map.get("values").is_some_and(Value::is_array) {
        return Kind::DirectorySetting;
    }
    if has("verifiedDomains") && has("id") && (has("tenantType") || has("displayName")) {
        return Kind::TenantIdentity;
    }
    if has("allowInvitesFrom") {
        return Kind::Authorization;
    }
    if has("allowedCombinations") && (has("displayName") || has("policyType")) {
        return Kind::StrengthPolicy;
    }
    if has("tenantId") && map.get("objects").is_some_and(Value::is_array) {
        return Kind::MigrationTable;
    }
    let org_keys = [
        "@odata.context",
        "id",
        "displayName",
        "description",
        "createdDateTime",
        "state",
        "joinRequest",
        "tenants",
    ];
    if matches!(str_of("state"), "active" | "inactive")
        && map.keys().all(|k| org_keys.contains(&k.as_str()))
    {
        return Kind::Organization;
    }
    if has("userId") && has("ipAddress") {
        return Kind::Unmodelled("a sign-in log entry (`accord replay` reads sign-in logs)");
    }
    if objects::object_kind(map).is_some_and(|k| {
        matches!(
            k,
            objects::ObjectKind::Contact | objects::ObjectKind::ServicePrincipal
        )
    }) {
        return Kind::DirectoryObject;
    }
    let group_keys = [
        "securityEnabled",
        "groupTypes",
        "mailNickname",
        "mailEnabled",
    ];
    if has("id") && has("displayName") && group_keys.iter().any(|k| has(k)) {
        return Kind::DirectoryObject;
    }
    if has("id") && has("userPrincipalName") {
        return Kind::DirectoryObject;
    }
    if let Some(k) = exchange::kind_of(map) {
        return Kind::Exchange(k);
    }
    Kind::Unknown
}

/// The item being imported: where it is, and the extensions collected for it.
pub(crate) struct Ctx<'d> {
    file: FileId,
    doc: &'d Document,
    /// The item's pointer in its file.
    base: String,
    /// Prepended to extension pointers: sharing extensions say which resource they belong to.
    prefix: String,
    extensions: Vec<Extension>,
}

impl Ctx<'_> {
    /// The span of a pointer relative to the item.
    fn span(&self, rel: &str) -> Span {
        self.doc
            .span(&format!("{}{rel}", self.base))
            .unwrap_or(Span::new(self.file, 0, 0))
    }
}

/// Why a value became an extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    /// A property accord does not model.
    Unmodelled,
    /// A value accord cannot read at this place (unknown enum value, unexpected shape...).
    Unexpected,
}

pub(crate) struct Importer<'o> {
    options: &'o ImportOptions,
    sources: Sources,
    diagnostics: Vec<Diagnostic>,
    pack: Pack,
    directory: Directory,
    /// Placeholders seen: text -> (uses, first place).
    placeholders: BTreeMap<String, (usize, Span)>,
    policy_origins: Vec<Provenance>,
    location_origins: Vec<Provenance>,
    /// Ids of the policies and locations imported, with where they came from.
    seen: BTreeMap<String, Span>,
    /// The Graph object being imported (pass 2), and where every item came from.
    current: Option<Origin>,
    origins: Origins,
    /// Ids of the custom strengths declared from a policy's expanded `authenticationStrength`
    /// (a strength policy list read later replaces them).
    expanded_strengths: Vec<String>,
    /// Directory objects read into the `directory` block.
    objects_read: usize,
}

impl<'o> Importer<'o> {
    fn new(options: &'o ImportOptions) -> Self {
        Importer {
            options,
            sources: Sources::new(),
            diagnostics: Vec::new(),
            pack: Pack::default(),
            directory: Directory::default(),
            placeholders: BTreeMap::new(),
            policy_origins: Vec::new(),
            location_origins: Vec::new(),
            seen: BTreeMap::new(),
            current: None,
            origins: Origins::default(),
            expanded_strengths: Vec::new(),
            objects_read: 0,
        }
    }

    /// Records the object being imported as a source of item `index` of one of the pack's
    /// lists (chosen by `list`).
    fn note_origin(&mut self, list: fn(&mut Origins) -> &mut Vec<Vec<Origin>>, index: usize) {
        let current = self.current.clone();
        Origins::note(list(&mut self.origins), index, current.as_ref());
    }

    /// False (with an info) when an object with this id was imported already: exports often
    /// hold the same object twice (a list response and one file per object).
    fn seen_id(&mut self, cx: &Ctx<'_>, id: &str, what: &str) -> bool {
        let key = id.to_ascii_lowercase();
        let here = cx.span("");
        if let Some(first) = self.seen.get(&key) {
            let d = Diagnostic::info(
                "I3014",
                format!("{what} `{id}` was imported already: skipped"),
            )
            .label(*first, "imported from here")
            .help("the input holds the same object twice");
            self.diagnostics.push(d.at(here));
            return false;
        }
        self.seen.insert(key, here);
        true
    }

    /// Decodes and parses one file; problems become diagnostics.
    fn read(&mut self, input: &InputFile) -> Option<(FileId, Document)> {
        let name = input.path.display().to_string();
        let text = match crate::input::decode(&name, &input.bytes) {
            Ok(t) => t.text,
            Err(e) => {
                self.diagnostics.push(
                    Diagnostic::error("E3002", e.to_string())
                        .help("save the file as UTF-8, or as UTF-16 with a byte-order mark"),
                );
                return None;
            }
        };
        let file = self.sources.add(&input.path, text);
        match decode::parse(file, self.sources.text(file), self.options.lenient) {
            Ok(mut doc) => {
                self.diagnostics.append(&mut doc.diagnostics);
                Some((file, doc))
            }
            Err(d) => {
                self.diagnostics.push(*d);
                None
            }
        }
    }

    fn push_at(&mut self, cx: &Ctx<'_>, rel: &str, d: Diagnostic) {
        self.diagnostics.push(d.at(cx.span(rel)));
    }

    /// Keeps `value` at `rel` as an extension of the current item, with a warning.
    fn extension(&mut self, cx: &mut Ctx<'_>, rel: &str, value: &Value, why: Why) {
        // `null`, `[]` and `{}` say nothing, whatever shape was expected (normalisation 7).
        if is_noise("", value) {
            return;
        }
        let shown = format!("{}{rel}", cx.prefix);
        let d = match why {
            Why::Unmodelled => Diagnostic::warning(
                "W3002",
                format!("`{shown}` is not modelled by accord: kept as an extension"),
            )
            .help("export writes it back unchanged; accord does not evaluate it"),
            Why::Unexpected => Diagnostic::warning(
                "W3007",
                format!("`{shown}` holds a value accord cannot read here: kept as an extension"),
            )
            .help("export writes it back unchanged; accord does not evaluate it"),
        };
        self.push_at(cx, rel, d);
        cx.extensions.push(Extension {
            pointer: Spanned::synthetic(shown),
            json: Spanned::synthetic(clean(value).to_string()),
        });
    }

    /// Members of `extra` that are not noise become extensions.
    fn extras(&mut self, cx: &mut Ctx<'_>, parent: &str, extra: &Map<String, Value>) {
        for (key, value) in extra {
            if is_noise(key, value) {
                continue;
            }
            let rel = decode::child_pointer(parent, key);
            self.extension(cx, &rel, value, Why::Unmodelled);
        }
    }

    /// Reports (and skips) objects that PowerShell's `ConvertTo-Json` truncated to type names.
    fn truncated(&mut self, cx: &mut Ctx<'_>, value: &Value) -> bool {
        fn find(v: &Value, pointer: &str) -> Option<(String, String)> {
            match v {
                Value::String(s)
                    if s.starts_with("Microsoft.Graph.PowerShell.Models.")
                        || s == "System.Collections.Hashtable" =>
                {
                    Some((pointer.to_string(), s.clone()))
                }
                Value::Object(m) => m
                    .iter()
                    .find_map(|(k, x)| find(x, &decode::child_pointer(pointer, k))),
                Value::Array(a) => a
                    .iter()
                    .enumerate()
                    .find_map(|(i, x)| find(x, &format!("{pointer}/{i}"))),
                _ => None,
            }
        }
        let Some((rel, text)) = find(value, "") else {
            return false;
        };
        let d = Diagnostic::error(
            "E3004",
            format!("`{rel}` holds `{text}` instead of its value: the export was truncated"),
        )
        .help("PowerShell's `ConvertTo-Json` stops at depth 2 by default: export again with `ConvertTo-Json -Depth 10`");
        self.push_at(cx, &rel, d);
        true
    }

    /// Records a placeholder use (reported once per placeholder, as info).
    fn placeholder(&mut self, cx: &Ctx<'_>, rel: &str, text: &str) {
        let span = cx.span(rel);
        let entry = self
            .placeholders
            .entry(text.to_string())
            .or_insert((0, span));
        entry.0 += 1;
    }

    /// The name for an id of some kind (group, user, location, tenant), as the pack says it.
    fn resolve(&mut self, cx: &Ctx<'_>, rel: &str, kind: directory::IdKind, id: &str) -> String {
        if is_placeholder(id) {
            self.placeholder(cx, rel, id);
            return id.to_string();
        }
        if !is_guid(id) {
            return id.to_string();
        }
        match self.directory.name(kind, id) {
            Some(name) => name.to_string(),
            None => id.to_string(),
        }
    }

    /// Declares a tenant (once) and returns its name.
    fn tenant(&mut self, id: &str) -> Name {
        if let Some(t) = self.pack.tenants.iter().find(|t| {
            t.id.as_ref()
                .is_some_and(|i| i.value.eq_ignore_ascii_case(id))
        }) {
            return Spanned::synthetic(t.name.value.clone());
        }
        let name = self.directory.tenant_name(id, &self.pack.tenants);
        self.pack.tenants.push(Tenant {
            name: Spanned::synthetic(name.clone()),
            resource: false,
            id: Some(Spanned::synthetic(id.to_string())),
            domains: Vec::new(),
            span: Span::default(),
        });
        self.note_origin(|o| &mut o.tenants, self.pack.tenants.len() - 1);
        Spanned::synthetic(name)
    }

    /// Declares the resource tenant from `--tenant`, a `MigrationTable.json`, or a placeholder.
    fn resource_tenant(&mut self, items: &[Item], docs: &[Document], ours: &tenant::OurTenant) {
        let from_table = items
            .iter()
            .filter(|i| i.kind == Kind::MigrationTable)
            .find_map(|i| {
                docs[i.doc]
                    .value
                    .pointer(&i.pointer)
                    .and_then(|v| v.get("tenantId"))
                    .and_then(Value::as_str)
                    .filter(|t| is_guid(t))
                    .map(|t| (t.to_string(), i.file))
            });
        let given = self.options.tenant.clone();
        match (given, from_table) {
            (Some(t), _) if is_guid(&t) => {
                self.tenant(&t);
                self.mark_resource(&t);
            }
            (Some(domain), _) => {
                let name = directory::ident_for(domain.split('.').next().unwrap_or("resource"));
                self.pack.tenants.push(Tenant {
                    name: Spanned::synthetic(name),
                    resource: true,
                    id: None,
                    domains: vec![Spanned::synthetic(domain.to_ascii_lowercase())],
                    span: Span::default(),
                });
            }
            (None, _) if self.snapshot_tenant(ours) => {}
            (None, Some((id, file))) => {
                self.tenant(&id);
                self.mark_resource(&id);
                self.diagnostics.push(
                    Diagnostic::info(
                        "I3011",
                        format!("the resource tenant is `{id}`, the source tenant named in this migration table"),
                    )
                    .at(Span::new(file, 0, 0))
                    .help("pass `--tenant <id|domain>` to name another tenant"),
                );
            }
            (None, None) => {
                self.pack.tenants.push(Tenant {
                    name: Spanned::synthetic(PLACEHOLDER_TENANT.to_string()),
                    resource: true,
                    id: None,
                    domains: Vec::new(),
                    span: Span::default(),
                });
                self.diagnostics.push(
                    Diagnostic::warning(
                        "W3004",
                        format!("the input does not say which tenant it came from: the pack declares a placeholder resource tenant `{PLACEHOLDER_TENANT}`"),
                    )
                    .help("import again with `--tenant <id|domain>`, or set the id and domains of `resource tenant imported` in tenant.policy"),
                );
            }
        }
    }

    /// Marks the tenant with this id as the resource tenant; one known only by its id is
    /// named `resource_tenant`, which reads better than its GUID everywhere it is named.
    fn mark_resource(&mut self, id: &str) {
        for t in &mut self.pack.tenants {
            if t.id
                .as_ref()
                .is_some_and(|i| i.value.eq_ignore_ascii_case(id))
            {
                t.resource = true;
                if is_guid(&t.name.value) {
                    t.name = Spanned::synthetic("resource_tenant".to_string());
                }
            }
        }
    }

    fn finish(mut self) -> Import {
        self.finish_organizations();
        self.report_objects();
        for (text, (uses, span)) in std::mem::take(&mut self.placeholders) {
            self.diagnostics.push(
                Diagnostic::info(
                    "I3005",
                    format!(
                        "placeholder `{text}` kept as a name ({uses} {})",
                        if uses == 1 { "use" } else { "uses" }
                    ),
                )
                .at(span)
                .help("replace it with the real name or id before deploying"),
            );
        }
        self.name_strength_references();
        // Last, the general check: the pack as it would be written must pass `accord check`.
        self.check_written();
        let names = self.directory.used().clone();
        Import {
            pack: self.pack,
            sources: self.sources,
            diagnostics: self.diagnostics,
            names,
            policy_origins: self.policy_origins,
            location_origins: self.location_origins,
        }
    }
}

/// The name of the resource tenant written when the input does not say which tenant it is.
pub const PLACEHOLDER_TENANT: &str = "imported";

/// Members that normalisation says carry no information (see `normalize`): OData annotations,
/// bound actions, and nothing (`null`, `[]`, `{}`).
pub(crate) fn is_noise(key: &str, value: &Value) -> bool {
    key.starts_with('@')
        || key.contains("@odata.")
        || key.starts_with('#')
        || match value {
            Value::Null => true,
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.iter().all(|(k, v)| is_noise(k, v)),
            _ => false,
        }
}

/// A value without its noise members (annotations, nulls, empties), for extension entries.
fn clean(value: &Value) -> Value {
    match value {
        Value::Object(o) => Value::Object(
            o.iter()
                .filter(|(k, v)| !is_noise(k, v))
                .map(|(k, v)| (k.clone(), clean(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(clean).collect()),
        other => other.clone(),
    }
}

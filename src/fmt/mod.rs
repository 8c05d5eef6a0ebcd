//! The canonical formatter (`accord fmt`).
//!
//! [`format_file`] prints one parsed file with its comments; [`format_pack`] prints a whole
//! model without comments (for models built by a program, such as the Graph importer). Both
//! print the model, not the text: `parse(format(x))` is the same pack as `parse(x)`, and
//! formatting is idempotent.
//!
//! # Canonical style
//!
//! - Two-space indentation, one statement per line, single spaces between tokens, `, ` between
//!   list items; no column alignment (a change touches only its own lines).
//! - One blank line between top-level items. Inside a block, a blank line is kept where the
//!   source had one or more (never more than one, never right after `{` or before `}`).
//! - Policies, `organization` and `sharing` blocks are always multi-line. Tenants, locations,
//!   `users`, `apps`, `conditions`, `session`, `invitations`, `site` and `extension` blocks,
//!   and the full form of a B2B setting print on one line (`location hq { ip = [...]  trusted }`,
//!   statements two spaces apart) when they hold no comment and no nested block and fit in
//!   100 columns with their indentation; otherwise multi-line. A `cross_tenant` block prints on
//!   one line only when it holds a single statement (`cross_tenant x { service_provider }`).
//!   An empty block without comments prints as `head {}`.
//! - Statements keep their source order (the two the model keeps no span for,
//!   `unknown_countries` and `lookup = gps`, are found in the source by keyword). A model built
//!   by a program (no positions) prints in the order of the language reference. Statements the
//!   model merges print merged: repeated `include`/`exclude` lines of a `users` or `apps` block
//!   become one line, and all the `extension` blocks of an item one block.
//! - Names print bare when they are identifiers (`[A-Za-z_][A-Za-z0-9_-]*`), quoted otherwise;
//!   a tenant named `default` is quoted after `cross_tenant`, and a custom authentication
//!   strength is always quoted (quoting is what makes it custom). Strings use JSON escapes.
//! - Device rules print in single quotes unless the rule holds a `'` or a control character,
//!   then as a JSON string. `external(...)` prints `all` for an empty type list and always
//!   prints its `from <origin>`. Extension values print as compact JSON, all the entries of an
//!   item in one `extension { ... }` block.
//! - What the model cannot tell from the default is not printed: `state = on` only when it
//!   was written, `lookup = client_ip` never, empty `users`/`apps`/`conditions` blocks and
//!   `domains = []` in a tenant never. An empty `session {}` is printed (the model keeps it).
//!
//! # Comments
//!
//! Comments are put back by position. An own-line comment before a statement (or an item)
//! stays before it, indented like it; a trailing comment stays at the end of the line of the
//! statement it followed (two spaces before `#`); comments at the end of a block stay inside
//! it before `}`; comments at the end of the file stay at the end. A block that holds a
//! comment is printed multi-line. Comments written inside a single statement (a list broken
//! over lines) move before it, except a lone trailing one when the statement has no trailing
//! comment of its own: that one stays at the end of the line. The text after `#` is kept as
//! written.

mod directory;
mod doc;
mod exchange;
mod items;
mod lexical;
mod place;
mod policy;
mod printer;
mod sharing;

use doc::Node;
use printer::Printer;

use crate::diagnostic::has_errors;
use crate::model::{ItemRef, Pack};
use crate::source::FileId;
use crate::syntax::{Comment, ParsedFile};

/// Prints one parsed file canonically, with its comments.
///
/// `text` is the source of `file` (it tells where blank lines were). Only format a file for
/// which [`formattable`] is true: what the parser could not read into the model (an unknown
/// keyword value, a statement set twice) is not in the model, so it would be lost.
pub fn format_file(parsed: &ParsedFile, file: FileId, text: &str) -> String {
    let items: Vec<Node> = parsed.pack.items_in(file).into_iter().map(item).collect();
    let comments: Vec<Comment> = parsed
        .comments
        .iter()
        .filter(|c| c.span.file == file)
        .cloned()
        .collect();
    Printer::new(text, &comments).items(&items)
}

/// Prints a whole model, without comments: tenants, organizations, locations, cross-tenant
/// settings, policies, then sharing, one blank line apart.
pub fn format_pack(pack: &Pack) -> String {
    let items: Vec<Node> = pack
        .tenants
        .iter()
        .map(ItemRef::Tenant)
        .chain(pack.organizations.iter().map(ItemRef::Organization))
        .chain(pack.locations.iter().map(ItemRef::Location))
        .chain(pack.cross_tenant.iter().map(ItemRef::CrossTenant))
        .chain(pack.policies.iter().map(ItemRef::Policy))
        .chain(pack.sharing.iter().map(ItemRef::Sharing))
        .chain(pack.directory.iter().map(ItemRef::Directory))
        .map(item)
        .collect();
    Printer::new("", &[]).items(&items)
}

/// The canonical text (`\n` line ends) with the line ends of the original: a file written with
/// CRLF stays CRLF, so that `fmt --check` does not flag every line of a Windows checkout.
pub fn with_line_endings_of(original: &str, canonical: String) -> String {
    let crlf = original
        .find('\n')
        .is_some_and(|i| original[..i].ends_with('\r'));
    if crlf {
        canonical.replace('\n', "\r\n")
    } else {
        canonical
    }
}

/// True when formatting the file keeps everything it says: it parsed, and lowering reported
/// no error (an error means part of the text did not make it into the model).
pub fn formattable(parsed: &ParsedFile) -> bool {
    parsed.parsed && !has_errors(&parsed.diagnostics)
}

fn item(item: ItemRef<'_>) -> Node {
    match item {
        ItemRef::Tenant(t) => items::tenant(t),
        ItemRef::Organization(o) => items::organization(o),
        ItemRef::Location(l) => items::location(l),
        ItemRef::CrossTenant(x) => items::cross_tenant(x),
        ItemRef::Policy(p) => policy::policy(p),
        ItemRef::Sharing(s) => sharing::sharing(s),
        ItemRef::Directory(d) => directory::directory(d),
    }
}

#[cfg(test)]
mod tests;

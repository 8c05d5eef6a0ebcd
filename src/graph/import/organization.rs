//! The multi-tenant organisation (§5): the organisation object and its tenants, merged into
//! one `organization` block, and what makes that block one `accord check` accepts.

use serde_json::Value;

use super::settings::READ_ONLY;
use super::{Ctx, Importer};
use crate::diagnostic::Diagnostic;
use crate::graph::dto::{self, Maybe};
use crate::graph::names::is_guid;
use crate::model::*;
use crate::source::Span;

fn syn<T>(v: T) -> Spanned<T> {
    Spanned::synthetic(v)
}

impl Importer<'_> {
    /// The one organisation of the pack (created on first use).
    fn organization_mut(&mut self) -> &mut Organization {
        if self.pack.organizations.is_empty() {
            self.pack.organizations.push(Organization {
                name: syn("multi-tenant organization".to_string()),
                members: Vec::new(),
                span: Span::default(),
            });
        }
        let last = self.pack.organizations.len() - 1;
        self.note_origin(|o| &mut o.organizations, last);
        &mut self.pack.organizations[last]
    }

    pub(super) fn organization(&mut self, cx: &mut Ctx<'_>, v: &Value) {
        let Some(o) = self.read_dto::<dto::MultiTenantOrganization>(cx, v) else {
            return;
        };
        if matches!(&o.state, Some(Maybe::Ok(s)) if s.eq_ignore_ascii_case("inactive")) {
            let d = Diagnostic::info(
                "I3013",
                "the multi-tenant organisation is `inactive` (not created): no organization block",
            );
            self.push_at(cx, "/state", d);
            return;
        }
        if let Some(Value::String(desc)) = &o.description {
            if !desc.is_empty() {
                let d = Diagnostic::warning(
                    "W3010",
                    "`/description` is not modelled and an organization block has no extensions: dropped",
                );
                self.push_at(cx, "/description", d);
            }
        }
        if let Some(Maybe::Ok(name)) = &o.display_name {
            self.organization_mut().name = syn(name.clone());
        } else {
            self.organization_mut();
        }
        self.dropped(cx, &o.extra);
    }

    pub(super) fn organization_member(&mut self, cx: &mut Ctx<'_>, v: &Value) {
        let Some(m) = self.read_dto::<dto::MultiTenantOrganizationMember>(cx, v) else {
            return;
        };
        let role = match &m.role {
            Some(Maybe::Ok(r)) if r.eq_ignore_ascii_case("owner") => Some(OrgRole::Owner),
            Some(Maybe::Ok(r)) if r.eq_ignore_ascii_case("member") => Some(OrgRole::Member),
            // `member` is the default role (§5.1).
            None => Some(OrgRole::Member),
            _ => None,
        };
        let state = match &m.state {
            Some(Maybe::Ok(s)) if s.eq_ignore_ascii_case("active") => Some(MemberState::Active),
            Some(Maybe::Ok(s)) if s.eq_ignore_ascii_case("pending") => Some(MemberState::Pending),
            Some(Maybe::Ok(s)) if s.eq_ignore_ascii_case("removed") => Some(MemberState::Removed),
            _ => None,
        };
        let (Some(Maybe::Ok(id)), Some(role), Some(state)) = (&m.tenant_id, role, state) else {
            let d = Diagnostic::warning(
                "W3003",
                "this organisation member has no tenant id, or a role or state accord does not know: skipped",
            );
            self.push_at(cx, "", d);
            return;
        };
        if !is_guid(id) {
            self.not_a_tenant_id(cx, id);
            return;
        }
        let tenant = self.tenant(id);
        self.organization_mut().members.push(OrgMember {
            tenant,
            role: syn(role),
            state: syn(state),
            span: Span::default(),
        });
        let org = self.pack.organizations.len() - 1;
        let members = &mut self.origins.members;
        if members.len() <= org {
            members.resize(org + 1, Vec::new());
        }
        members[org].push(self.current.clone());
        let mut extra = m.extra.clone();
        // Read-only bookkeeping of the organisation service (§5.1).
        for key in [
            "addedByTenantId",
            "addedDateTime",
            "joinedDateTime",
            "transitionDetails",
        ] {
            extra.remove(key);
        }
        self.dropped(cx, &extra);
    }

    /// `E3006`: a `tenantId` that is not a GUID would be written as a tenant `accord check`
    /// refuses (found by the `graph_import` fuzz target).
    pub(super) fn not_a_tenant_id(&mut self, cx: &Ctx<'_>, id: &str) {
        let d = Diagnostic::error("E3006", format!("`tenantId` `{id}` is not a GUID"))
            .help("a tenant id is a GUID such as `2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01`: is the export damaged?");
        self.push_at(cx, "/tenantId", d);
    }

    /// Warns about members of an object that has no place for extensions.
    fn dropped(&mut self, cx: &Ctx<'_>, extra: &serde_json::Map<String, Value>) {
        for (k, v) in extra {
            if super::is_noise(k, v) || READ_ONLY.contains(&k.as_str()) {
                continue;
            }
            let rel = crate::graph::decode::child_pointer("", k);
            let d = Diagnostic::warning(
                "W3010",
                format!(
                    "`{rel}` is not modelled and an organization block has no extensions: dropped"
                ),
            );
            self.push_at(cx, &rel, d);
        }
    }

    /// What only the whole organisation shows, once every input is read.
    pub(super) fn finish_organizations(&mut self) {
        // An organisation read without its tenants would be written as an empty block, which
        // `accord check` refuses (E1011): leave it out and say so.
        let mut index = 0;
        while index < self.pack.organizations.len() {
            if !self.pack.organizations[index].members.is_empty() {
                index += 1;
                continue;
            }
            let o = self.pack.organizations.remove(index);
            let origins = self.origins.take_organization(index);
            let mut d = Diagnostic::warning(
                "W3011",
                format!(
                    "the multi-tenant organisation `{}` lists no tenants: no organization block written",
                    o.name.value
                ),
            )
            .help("import its tenants too: `GET /tenantRelationships/multiTenantOrganization/tenants`");
            if let Some(first) = origins.first() {
                d = d.at(first.span);
            }
            self.diagnostics.push(d);
        }
        for (index, o) in self.pack.organizations.iter().enumerate() {
            let origins = self.origins.organizations.get(index);
            let at = origins.and_then(|o| o.first()).map(|o| o.span);
            // An organisation always has an owner; one without (a damaged export, found by the
            // fuzz target) would be written as a block `accord check` refuses (E1010).
            if !o.members.iter().any(|m| m.role.value == OrgRole::Owner) {
                let mut d = Diagnostic::error(
                    "E3009",
                    format!(
                        "the multi-tenant organisation `{}` has no owner among its tenants",
                        o.name.value
                    ),
                )
                .help("the tenant that created the organisation is its owner (`role: owner`): is the export of its tenants complete?");
                if let Some(span) = at {
                    d = d.at(span);
                }
                self.diagnostics.push(d);
            }
            // A tenant is a member of an organisation once (one role, one state); an export
            // that lists it twice (found by the fuzz target) would be refused by `accord check`
            // (E1009).
            let mut seen: Vec<(&str, Option<Span>)> = Vec::new();
            for (m, member) in o.members.iter().enumerate() {
                let t = member.tenant.value.as_str();
                let here = self.origins.member(index, m).map(|o| o.span);
                match seen.iter().find(|(s, _)| s.eq_ignore_ascii_case(t)) {
                    Some((_, first)) => {
                        let mut d = Diagnostic::error(
                            "E3012",
                            format!(
                                "the multi-tenant organisation `{}` lists tenant `{t}` twice",
                                o.name.value
                            ),
                        )
                        .help("a tenant has one role and one state in an organisation: is the export damaged?");
                        if let Some(span) = here.or(at) {
                            d = d.at(span);
                        }
                        if let Some(first) = first {
                            d = d.label(*first, "listed first here");
                        }
                        self.diagnostics.push(d);
                    }
                    None => seen.push((t, here)),
                }
            }
        }
    }
}

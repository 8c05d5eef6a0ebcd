//! An imported pack as files: one `.policy` file per policy (named after the policy), plus
//! `tenant.policy`, `locations.policy`, `cross_tenant.policy`, `sharing.policy` and
//! `strengths.policy` (custom authentication strengths) when the pack has such items.
//!
//! The text of each file comes from [`render_pack_file`], the canonical formatter.

use std::collections::BTreeSet;

use crate::model::*;

/// A file of the pack: its name (no directory) and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackFile {
    pub name: String,
    pub text: String,
}

/// The file names the importer reserves for the non-policy items.
const RESERVED: &[&str] = &[
    "tenant",
    "locations",
    "cross_tenant",
    "sharing",
    "strengths",
];

/// Splits a pack into files. Policy file names are slugged display names, made unique.
pub fn pack_files(pack: &Pack, header: &str) -> Vec<PackFile> {
    let mut files = Vec::new();
    let mut add = |name: &str, part: Pack, note: &str| {
        let mut text = String::new();
        text.push_str(header);
        text.push_str(note);
        text.push_str(&render_pack_file(&part));
        files.push(PackFile {
            name: format!("{name}.policy"),
            text,
        });
    };
    if !pack.tenants.is_empty() || !pack.organizations.is_empty() {
        let part = Pack {
            tenants: pack.tenants.clone(),
            organizations: pack.organizations.clone(),
            ..Pack::default()
        };
        let placeholder = pack
            .resource_tenant()
            .is_some_and(|t| t.name.value == super::import::PLACEHOLDER_TENANT && t.id.is_none());
        let note = if placeholder {
            "# PLACEHOLDER: the input did not say which tenant it came from. Set the id and domains\n\
             # of `imported` (or import again with `--tenant <id|domain>`).\n"
        } else {
            ""
        };
        add("tenant", part, note);
    }
    if !pack.locations.is_empty() {
        let part = Pack {
            locations: pack.locations.clone(),
            ..Pack::default()
        };
        add("locations", part, "");
    }
    if !pack.cross_tenant.is_empty() {
        let part = Pack {
            cross_tenant: pack.cross_tenant.clone(),
            ..Pack::default()
        };
        add("cross_tenant", part, "");
    }
    if !pack.sharing.is_empty() {
        let part = Pack {
            sharing: pack.sharing.clone(),
            ..Pack::default()
        };
        add("sharing", part, "");
    }
    if !pack.strengths.is_empty() {
        let part = Pack {
            strengths: pack.strengths.clone(),
            ..Pack::default()
        };
        add("strengths", part, "");
    }
    let mut taken: BTreeSet<String> = RESERVED.iter().map(|s| s.to_string()).collect();
    for policy in &pack.policies {
        let base = slug(&policy.name.value);
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}-{n}");
            n += 1;
        }
        taken.insert(name.clone());
        let part = Pack {
            policies: vec![policy.clone()],
            ..Pack::default()
        };
        add(&name, part, "");
    }
    files
}

/// A file name for a display name: lower case, runs of other characters as one `-`, at most
/// 80 characters.
pub fn slug(display: &str) -> String {
    let mut out = String::new();
    for c in display.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.trim_matches('-').chars().take(80).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "policy".to_string()
    } else {
        out
    }
}

/// The text of a pack file: the canonical formatter's.
pub fn render_pack_file(pack: &Pack) -> String {
    crate::fmt::format_pack(pack)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slug("200 - <RING> - Base protection - All apps: Require MFA"),
            "200-ring-base-protection-all-apps-require-mfa"
        );
        assert_eq!(slug("***"), "policy");
    }
}

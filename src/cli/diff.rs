//! `accord diff`: what a change does to every request, as regions with examples.
//!
//! Exit codes: 0 when nothing changed, 1 when some region is decided differently (so that CI
//! can ask for a review), 2 on errors (a pack that does not check, a bad scope, I/O).

use std::path::Path;

use super::{DiffArgs, DiffFormat, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::analysis::diff::{diff_with, set_organization};
use crate::analysis::selector::Selector;
use crate::analysis::settings_diff::setting_changes;
use crate::load::Loaded;
use crate::model::MemberState;
use crate::render::{self, human::Style};

pub fn run(args: &DiffArgs, color: bool) -> u8 {
    let style = Style {
        color,
        ..Style::default()
    };
    match run_inner(args, style) {
        Ok(changed) if changed => EXIT_FINDINGS,
        Ok(_) => EXIT_OK,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}");
            }
            EXIT_USAGE
        }
    }
}

fn run_inner(args: &DiffArgs, style: Style) -> Result<bool, String> {
    let (old_loaded, old_name) = match (&args.git, &args.new) {
        (Some(rev), None) => (
            crate::load::load_pack_at_revision(&args.old, rev)?,
            format!("{}@{rev}", args.old.display()),
        ),
        (Some(_), Some(_)) => {
            return Err("`--git REV` compares one pack with itself at REV: give one pack".into())
        }
        (None, _) => (load(&args.old)?, args.old.display().to_string()),
    };
    let (new_loaded, mut new_name) =
        match &args.new {
            Some(p) => (load(p)?, p.display().to_string()),
            None if args.git.is_some() => (load(&args.old)?, args.old.display().to_string()),
            None if !args.set_organization.is_empty() => {
                (old_loaded.clone(), args.old.display().to_string())
            }
            None => return Err(
                "give two packs, or one pack with `--git REV` or `--set-organization TENANT=STATE`"
                    .into(),
            ),
        };
    let old = super::packs::compile(&old_loaded, &old_name, style).ok_or_else(String::new)?;
    let mut new_pack = super::packs::validated(&new_loaded, &new_name, style)
        .ok_or_else(String::new)?
        .pack()
        .clone();
    for assignment in &args.set_organization {
        let (tenant, state) = assignment.split_once('=').ok_or_else(|| {
            format!("`--set-organization {assignment}`: write TENANT=active|pending|removed")
        })?;
        let state = match state.trim() {
            "active" => MemberState::Active,
            "pending" => MemberState::Pending,
            "removed" => MemberState::Removed,
            other => {
                return Err(format!(
                    "`{other}` is not an organisation state: write `active`, `pending` or `removed`"
                ))
            }
        };
        new_pack = set_organization(&new_pack, tenant.trim(), state).map_err(|e| e.to_string())?;
        new_name = format!("{new_name} with {} {}", tenant.trim(), state_name(state));
    }
    let validation = crate::validate::validate(new_pack);
    let Some(new_validated) = validation.validated else {
        eprint!(
            "{}",
            render::human::render(&new_loaded.sources, &validation.diagnostics, style)
        );
        return Err(format!("`{new_name}` does not check"));
    };
    let new = crate::eval::compile(&new_validated);
    let mut scope = match &args.scope {
        Some(text) => read_scope(text)?,
        None => Vec::new(),
    };
    if args.include_unstated {
        if scope.is_empty() {
            scope.push(Selector::everything());
        }
        for s in &mut scope {
            s.unstated = [true; 3];
        }
    }
    let report = super::packs::with_progress(
        format!("comparing `{old_name}` and `{new_name}` over every request"),
        |progress| diff_with(&old, &new, &scope, progress),
    )
    .map_err(|e| e.to_string())?;
    // Outbound requests are not part of the enumerated space: their settings are listed.
    let settings = setting_changes(old.pack(), new.pack());
    let text = match args.format {
        DiffFormat::Text => {
            render::analysis::diff_text(&report, &old_name, &new_name)
                + &render::analysis::settings_text(&settings)
        }
        DiffFormat::Json => render::analysis::diff_json(&report, &old, &new, &settings),
        DiffFormat::Markdown => {
            render::analysis::diff_markdown(&report, &old_name, &new_name)
                + &render::analysis::settings_text(&settings)
        }
    };
    super::packs::emit(&text);
    Ok(!report.changes.is_empty() || !settings.is_empty() || !report.workload_policies.is_empty())
}

fn state_name(s: MemberState) -> &'static str {
    match s {
        MemberState::Active => "active",
        MemberState::Pending => "pending",
        MemberState::Removed => "removed",
    }
}

fn load(path: &Path) -> Result<Loaded, String> {
    crate::load::load_pack(path).map_err(|e| e.to_string())
}

/// `--scope`: a selector file, or the selector written inline as YAML.
fn read_scope(arg: &str) -> Result<Vec<Selector>, String> {
    let path = Path::new(arg);
    let text = if path.is_file() {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read `{arg}`: {e}"))?
    } else {
        arg.to_string()
    };
    let value: serde_json::Value =
        crate::yaml::from_str(&text).map_err(|e| format!("`--scope`: {}", e.message))?;
    Selector::parse_any(&value).map_err(|e| format!("`--scope`: {e}"))
}

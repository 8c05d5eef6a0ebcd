//! Invalid packs: every fixture under `tests/fixtures/invalid/` names, on its first line, the
//! codes it must produce (`# expect: E1003 E1021`). The codes are asserted exactly before the
//! rendered output is compared with its snapshot, so accepting a careless snapshot cannot hide a
//! check that stopped firing.

use std::collections::BTreeSet;
use std::path::Path;

use accord::diagnostic::has_errors;
use accord::load::load_pack;
use accord::render::human::{render, Style};

fn expected_codes(text: &str, fixture: &Path) -> BTreeSet<String> {
    let first = text.lines().next().unwrap_or_default();
    let Some(codes) = first.strip_prefix("# expect:") else {
        panic!("{} must start with `# expect: <codes>`", fixture.display());
    };
    let codes: BTreeSet<String> = codes.split_whitespace().map(str::to_string).collect();
    assert!(!codes.is_empty(), "{} expects no code", fixture.display());
    codes
}

#[test]
fn invalid_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .canonicalize()
        .expect("the crate root exists");
    insta::glob!("../fixtures/invalid", "*.policy", |path| {
        // Load through the path relative to the crate root (the test's working directory), so
        // the rendered file names, and the snapshots, do not depend on where the repo lives.
        let relative = path
            .strip_prefix(&root)
            .expect("fixtures live in the crate");
        let text = std::fs::read_to_string(path).expect("fixture is readable");
        let expected = expected_codes(&text, relative);

        let loaded = load_pack(relative).expect("fixture loads");
        let validation = accord::check(&loaded);
        let found: BTreeSet<String> = validation
            .diagnostics
            .iter()
            .map(|d| d.code.clone())
            .collect();
        let rendered = render(&loaded.sources, &validation.diagnostics, Style::default());
        assert_eq!(found, expected, "{}:\n{rendered}", relative.display());
        assert!(
            has_errors(&validation.diagnostics),
            "{} reports no error",
            relative.display()
        );
        assert!(validation.validated.is_none());
        insta::assert_snapshot!(rendered);
    });
}

#[test]
fn contoso_group_checks_clean() {
    let loaded = load_pack(Path::new("policies/contoso-group")).expect("the pack loads");
    let validation = accord::check(&loaded);
    assert!(
        validation.diagnostics.is_empty(),
        "{}",
        render(&loaded.sources, &validation.diagnostics, Style::default())
    );
    let validated = validation.validated.expect("the pack validates");
    assert_eq!(validated.resource_tenant().name.value, "contoso");
    assert_eq!(
        validated
            .organization_of_resource()
            .map(|o| o.name.value.as_str()),
        Some("Contoso Group")
    );
    assert_eq!(
        validated
            .tenant_by_domain("tailspintoys.com")
            .map(|t| t.name.value.as_str()),
        Some("tailspin")
    );
    assert_eq!(validated.location_ranges("hq").len(), 2);
}

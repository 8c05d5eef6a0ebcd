//! Exact analysis of the request space: the partition, `accord diff` and `accord verify`.

mod exactness;
mod properties;
mod scenarios;
mod strengths;
pub mod tenant;

/// The generated tenants the benchmark measures are valid packs at every size it measures.
#[test]
fn generated_tenants_check() {
    for policies in [25, 50, 100, 195] {
        let text = tenant::tenant(7, tenant::Shape::LIMIT.with_policies(policies));
        let loaded = accord::load::load_texts([("tenant.policy", text.as_str())]);
        let checked = accord::check(&loaded);
        assert!(
            checked.validated.is_some(),
            "{policies} policies: {:?}",
            checked.diagnostics
        );
        if let Ok(dir) = std::env::var("ACCORD_WRITE_TENANT") {
            let path = std::path::Path::new(&dir).join(format!("t{policies}"));
            std::fs::create_dir_all(&path).unwrap();
            std::fs::write(path.join("tenant.policy"), &text).unwrap();
        }
    }
}

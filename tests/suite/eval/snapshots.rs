//! Text and JSON explanations of representative requests against `policies/contoso-group`.
//!
//! Each request file says what it must decide (`# expect: block`); that is asserted before the
//! snapshot is compared, so accepting a careless snapshot cannot bless a wrong decision.

use accord::eval::{self, Options};
use accord::model::request::Request;

use super::support::compile_dir;

#[test]
fn whatif_explanations() {
    let compiled = compile_dir("policies/contoso-group");
    insta::glob!("../../fixtures/whatif", "*.yaml", |path| {
        let text = std::fs::read_to_string(path).expect("reads");
        let expect = text
            .lines()
            .find_map(|l| l.strip_prefix("# expect: "))
            .expect("a `# expect: <decision>` line");
        let request = Request::parse(&text).expect("request parses");
        let evaluation =
            eval::decide_with(&compiled, &request, Options::default()).expect("request resolves");
        assert_eq!(
            evaluation.decision.name(),
            expect.trim(),
            "{}",
            path.display()
        );
        let json = accord::render::whatif::json(&evaluation);
        assert_eq!(json["decision"], expect.trim());
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        settings.set_snapshot_path("snapshots");
        settings.bind(|| {
            insta::assert_snapshot!("text", accord::render::whatif::text(&evaluation));
            let pretty = serde_json::to_string_pretty(&json).expect("json");
            insta::assert_snapshot!("json", pretty);
        });
    });
}

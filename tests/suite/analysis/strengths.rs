//! Authentication strengths against the evaluator: on the strength scenario pack, over every
//! user kind, MFA place and many method sets, the decision-only path equals the traced path, and
//! `diff` of an edit to a custom strength reports exactly the requests whose answer changes
//! (the methods classes must tell apart what the strength reads: the methods, and which of them
//! count at home and in the resource tenant).

use accord::analysis::diff::diff;
use accord::analysis::outcome::{Outcome, View};
use accord::eval::{self, Compiled, Options};
use accord::model::catalog::AuthMethod;
use accord::model::request::Request;
use proptest::prelude::*;

use super::exactness::config;
use crate::eval::generate::Rng;
use crate::eval::support::compile_text;

fn scenario_pack() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/scenarios/strengths.yaml"
    );
    let text = std::fs::read_to_string(path).expect("the strength scenarios");
    let doc: serde_json::Value = accord::yaml::from_str(&text).expect("yaml");
    doc["pack"].as_str().expect("a pack").to_string()
}

const USERS: &[&str] = &[
    "{ name: a@contoso.com }",
    "{ name: bob@fabrikam.com, type: guest, home: fabrikam }",
    "{ name: dana@fabrikam.com, type: member, home: fabrikam }",
    "{ name: l@litware.com, type: guest, home: litware }",
    "{ name: bob@fabrikam.com, home: fabrikam, kind: direct_connect }",
    "{ name: t@northwind.com, home: northwind }",
    "{ name: s@gmail.com, type: guest, kind: other }",
];

fn request(rng: &mut Rng) -> String {
    let apps: Vec<String> = (1..=8)
        .map(|i| format!("aaaaaaaa-0000-4000-8000-00000000000{i}"))
        .chain(["teams".to_string()])
        .collect();
    let names: Vec<&str> = AuthMethod::ALL.iter().map(|m| m.name()).collect();
    let methods = rng.subset(&names, 25).join(", ");
    format!(
        "user: {}\napp: {}\nclient_app: {}\ndevice: {{ platform: windows }}\nnetwork: {{ ip: 198.51.100.7, country: US }}\nauth: {{ mfa: {}, methods: [{methods}] }}\n",
        rng.pick(USERS),
        rng.pick(&apps),
        rng.pick(&["browser", "browser", "mobile_desktop", "other"]),
        rng.pick(&["none", "home", "resource"]),
    )
}

fn decided(c: &Compiled, r: &Request) -> Option<Outcome> {
    let resolved = eval::resolve(c, r).ok()?;
    Some(Outcome::of(&eval::decide_resolved(
        c,
        &resolved,
        Options::default(),
    )))
}

proptest! {
    #![proptest_config(config(8))]

    #[test]
    fn strengths_decide_alike_on_both_paths_and_diff_is_exact(seed in any::<u64>()) {
        let text = scenario_pack();
        let old = compile_text(&text);
        // The edit: the custom strength loses its FIDO2 combination and gains SMS after a
        // password, which only the resource tenant offers externals.
        let edited = text.replacen("  allow fido2\n", "  allow password + sms\n", 1);
        prop_assert_ne!(&edited, &text);
        let new = compile_text(&edited);
        let report = diff(&old, &new, &[]).expect("diff");
        prop_assert!(!report.changes.is_empty());
        let mut rng = Rng::new(seed);
        let mut compared = 0;
        for _ in 0..150 {
            let text = request(&mut rng);
            let r = Request::parse(&text).expect("the request parses");
            let Ok(resolved) = eval::resolve(&old, &r) else { continue };
            let traced = eval::decide_resolved(&old, &resolved, Options::default());
            let fast = eval::decide_fast(&old, &resolved, Options::default());
            prop_assert_eq!(traced.outcome(), fast, "request:\n{}", text);
            let Ok(point) = report.space.point_of(&[&old, &new], &r) else { continue };
            if !report.scope.iter().any(|c| c.holds(&report.space, &point)) {
                continue;
            }
            let (Some(before), Some(after)) = (decided(&old, &r), decided(&new, &r)) else { continue };
            let changed = !before.same_as(&after, View::ANSWER);
            let reported = report.changes.iter().any(|c| c.cube.holds(&report.space, &point));
            prop_assert_eq!(changed, reported, "request:\n{}", text);
            compared += 1;
        }
        prop_assert!(compared > 100, "only {} requests compared", compared);
    }
}

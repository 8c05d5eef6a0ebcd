//! CAP006: a named location no policy uses.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};
use crate::model::{Location, LocationRef, Pack};

pub static RULE: Rule = Rule {
    code: "CAP006",
    name: "unused_location",
    severity: Severity::Warning,
    summary: "a named location is never used by any policy",
    explanation: "Named locations matter only through the policies that include or exclude them, \
by name or, for trusted ones, through `all_trusted` (§1.9, §3: `AllTrusted` is every location \
with `isTrusted`). A location no policy refers to is dead configuration, often a sign that a \
policy names the wrong one, or that a location meant to be trusted is not marked `trusted`. (The \
other half of the issue's rule, a trusted location without ranges, cannot reach the linter: \
validation rejects an empty `ip` list, `E1026`.)",
    fires: r#"location branch { ip = ["198.51.100.0/24"] }
policy "Block outside the office" {
  users      { include all  exclude group "Emergency access" }
  apps       { include all }
  conditions { locations = include(all) exclude(all_trusted) }
  grant block
}"#,
    quiet: r#"location branch { ip = ["198.51.100.0/24"]  trusted }
policy "Block outside the office" {
  users      { include all  exclude group "Emergency access" }
  apps       { include all }
  conditions { locations = include(all) exclude(all_trusted) }
  grant block
}"#,
    fix: "refer to the location from a policy (or mark it `trusted` when `all_trusted` should \
cover it), or delete it",
    check,
};

fn used(pack: &Pack, location: &Location) -> bool {
    pack.policies
        .iter()
        .filter_map(|p| p.conditions.locations.as_ref())
        .flat_map(|l| l.include.iter().chain(&l.exclude))
        .any(|r| match &r.value {
            LocationRef::Named(n) => *n == location.name.value,
            LocationRef::AllTrusted => location.is_trusted(),
            _ => false,
        })
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for location in ctx.pack.locations.iter().filter(|l| !used(ctx.pack, l)) {
        out.push(
            RULE.finding(format!(
                "location `{}` is not used by any policy",
                location.name.value
            ))
            .at(location.name.span)
            .help("refer to it from a policy's `locations` condition, or delete it"),
        );
    }
}

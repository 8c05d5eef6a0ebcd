//! CAP006: a named location no policy uses, or a trusted location without ranges.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Context, Rule};
use crate::model::{Location, LocationKind, LocationRef, Pack};

pub static RULE: Rule = Rule {
    code: "CAP006",
    name: "unused_location",
    severity: Severity::Warning,
    summary: "a named location is never used, or a trusted location is empty",
    explanation: "Named locations matter only through the policies that include or exclude them, \
by name or, for trusted ones, through `all_trusted` (§1.9, §3). A location no policy refers to is \
dead configuration, often a sign that a policy names the wrong one. A trusted IP location without \
ranges makes `all_trusted` match nothing from it while it reads as a trusted network (§3: \
`AllTrusted` is every location with `isTrusted`).",
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
cover it), delete it, or give a trusted location its ranges",
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
    for location in &ctx.pack.locations {
        let empty_trusted = location.is_trusted()
            && matches!(&location.kind, LocationKind::Ip { ranges } if ranges.is_empty());
        if empty_trusted {
            out.push(
                RULE.finding(format!(
                    "trusted location `{}` has no IP ranges",
                    location.name.value
                ))
                .at(location.name.span)
                .help("add the ranges of the trusted network, or delete the location"),
            );
        } else if !used(ctx.pack, location) {
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
}

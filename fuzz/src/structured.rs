//! An `arbitrary` model of a pack, printed as `.policy` text.
//!
//! Random bytes rarely get past the first token; this model lets the fuzzer mutate *structure*
//! (which items, which conditions, which names refer to which) so that most inputs parse and
//! reach validation, the formatter and the linter. Names come from small pools so that
//! references often resolve, and sometimes do not. Comments are sprinkled between items to
//! exercise the formatter's re-attachment.

use std::fmt::{self, Display, Formatter, Write as _};

use arbitrary::Arbitrary;

const TENANTS: [&str; 4] = ["contoso", "fabrikam", "litware", "tailspin"];
const LOCATIONS: [&str; 3] = ["hq", "embargo", "travel"];
const GROUPS: [&str; 3] = ["Partners", "Emergency access", "weird \\\"name\\\""];
const APPS: [&str; 6] = [
    "all",
    "office365",
    "sharepoint",
    "teams",
    "power_bi",
    "exchange",
];
const PLATFORMS: [&str; 5] = ["android", "ios", "windows", "macos", "linux"];
const CONTROLS: [&str; 6] = [
    "mfa",
    "compliant_device",
    "hybrid_joined",
    "approved_app",
    "app_protection",
    "password_change",
];
const RISKS: [&str; 4] = ["none", "low", "medium", "high"];
const EXTERNAL: [&str; 5] = [
    "b2b_guest",
    "b2b_member",
    "direct_connect",
    "other_external",
    "all",
];
const FROM: [&str; 3] = ["any", "organization", "outside_organization"];

fn pick<T: Copy>(pool: &[T], i: u8) -> T {
    pool[i as usize % pool.len()]
}

#[derive(Debug, Arbitrary)]
pub struct Pack {
    items: Vec<Item>,
}

#[derive(Debug, Arbitrary)]
enum Item {
    Tenant {
        resource: bool,
        name: u8,
        id: u8,
        domains: Vec<u8>,
    },
    Organization(Vec<(u8, bool, u8)>),
    Location {
        name: u8,
        ip: Option<(u8, u8, u8)>,
        countries: Vec<u8>,
        trusted: bool,
    },
    CrossTenant {
        name: Option<u8>,
        inbound: Vec<(bool, bool)>,
        trust: Vec<u8>,
        provider: bool,
    },
    Policy(Box<Policy>),
    Comment(u8),
}

#[derive(Debug, Arbitrary)]
struct Policy {
    name: u8,
    state: Option<u8>,
    include_users: Vec<UserTarget>,
    exclude_users: Vec<UserTarget>,
    apps: Vec<u8>,
    platforms: Vec<u8>,
    locations: Vec<u8>,
    sign_in_risk: Vec<u8>,
    device_filter: Option<(bool, u8)>,
    grant: Grant,
    frequency: Option<u16>,
}

#[derive(Debug, Arbitrary)]
enum UserTarget {
    All,
    Guests,
    Group(u8),
    User(u8),
    External(Vec<u8>, u8),
    Role(bool),
}

#[derive(Debug, Arbitrary)]
enum Grant {
    Block,
    One(u8),
    All(Vec<u8>),
    Any(Vec<u8>),
    Terms,
}

fn list<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
    items.iter().map(f).collect::<Vec<_>>().join(", ")
}

impl Display for UserTarget {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            UserTarget::All => f.write_str("all"),
            UserTarget::Guests => f.write_str("guests_or_external"),
            UserTarget::Group(g) => write!(f, "group \"{}\"", pick(&GROUPS, *g)),
            UserTarget::User(u) => write!(f, "user \"user{u}@contoso.com\""),
            UserTarget::External(kinds, from) => {
                let kinds = if kinds.is_empty() {
                    "all".to_string()
                } else {
                    list(kinds, |k| pick(&EXTERNAL, *k).to_string())
                };
                let from = match from % 4 {
                    3 => format!("tenants({})", pick(&TENANTS, *from)),
                    _ => pick(&FROM, *from).to_string(),
                };
                write!(f, "external({kinds}) from {from}")
            }
            UserTarget::Role(global) => f.write_str(if *global {
                "role global_administrator"
            } else {
                "role security_reader"
            }),
        }
    }
}

impl Display for Grant {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let controls = |c: &[u8]| list(c, |c| pick(&CONTROLS, *c).to_string());
        match self {
            Grant::Block => f.write_str("grant block"),
            Grant::One(c) => write!(f, "grant {}", pick(&CONTROLS, *c)),
            Grant::All(c) => write!(f, "grant all({})", controls(c)),
            Grant::Any(c) => write!(f, "grant any({})", controls(c)),
            Grant::Terms => f.write_str("grant all(mfa, terms_of_use \"Partner terms\")"),
        }
    }
}

impl Display for Policy {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        writeln!(f, "policy \"P{}\" {{", self.name % 8)?;
        if let Some(s) = self.state {
            writeln!(f, "  state = {}", pick(&["on", "off", "report_only"], s))?;
        }
        let mut users = String::new();
        if !self.include_users.is_empty() {
            let _ = write!(
                users,
                " include {}",
                list(&self.include_users, |u| u.to_string())
            );
        }
        if !self.exclude_users.is_empty() {
            let _ = write!(
                users,
                " exclude {}",
                list(&self.exclude_users, |u| u.to_string())
            );
        }
        writeln!(f, "  users {{{users} }}")?;
        let apps = if self.apps.is_empty() {
            "all".to_string()
        } else {
            list(&self.apps, |a| pick(&APPS, *a).to_string())
        };
        writeln!(f, "  apps {{ include {apps} }}")?;
        let mut conditions = Vec::new();
        if !self.platforms.is_empty() {
            let p = list(&self.platforms, |p| pick(&PLATFORMS, *p).to_string());
            conditions.push(format!("platforms = include({p})"));
        }
        if !self.locations.is_empty() {
            let l = list(&self.locations, |l| pick(&LOCATIONS, *l).to_string());
            conditions.push(format!("locations = include({l}) exclude(all_trusted)"));
        }
        if !self.sign_in_risk.is_empty() {
            let r = list(&self.sign_in_risk, |r| pick(&RISKS, *r).to_string());
            conditions.push(format!("sign_in_risk = [{r}]"));
        }
        if let Some((include, model)) = self.device_filter {
            let mode = if include { "include" } else { "exclude" };
            conditions.push(format!(
                "devices = {mode}(\"device.model -eq \\\"M{model}\\\" -or device.isCompliant -eq True\")"
            ));
        }
        if !conditions.is_empty() {
            writeln!(
                f,
                "  conditions {{\n    {}\n  }}",
                conditions.join("\n    ")
            )?;
        }
        writeln!(f, "  {}", self.grant)?;
        if let Some(h) = self.frequency {
            writeln!(f, "  session {{ sign_in_frequency = {}h }}", h % 1000)?;
        }
        f.write_str("}\n")
    }
}

impl Display for Item {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Item::Tenant {
                resource,
                name,
                id,
                domains,
            } => {
                let kind = if *resource {
                    "resource tenant"
                } else {
                    "tenant"
                };
                let domains = list(domains, |d| format!("\"d{d}.example.com\""));
                writeln!(
                    f,
                    "{kind} {} {{ id = \"{:08x}-0000-4000-8000-000000000000\" domains = [{domains}] }}",
                    pick(&TENANTS, *name),
                    id
                )
            }
            Item::Organization(members) => {
                writeln!(f, "organization \"Group\" {{")?;
                for (tenant, owner, state) in members {
                    let role = if *owner { "owner" } else { "member" };
                    let state = pick(&["active", "pending", "removed"], *state);
                    writeln!(f, "  {} {role} {state}", pick(&TENANTS, *tenant))?;
                }
                f.write_str("}\n")
            }
            Item::Location {
                name,
                ip,
                countries,
                trusted,
            } => {
                let body = match ip {
                    Some((a, b, bits)) => format!(
                        "ip = [\"{a}.{b}.0.0/{}\"]{}",
                        8 + bits % 25,
                        if *trusted { " trusted" } else { "" }
                    ),
                    None => format!(
                        "countries = [{}]{}",
                        list(countries, |c| format!(
                            "\"{}\"",
                            pick(&["FR", "KP", "US", "fr", "XX"], *c)
                        )),
                        if *trusted { " unknown_countries" } else { "" }
                    ),
                };
                writeln!(f, "location {} {{ {body} }}", pick(&LOCATIONS, *name))
            }
            Item::CrossTenant {
                name,
                inbound,
                trust,
                provider,
            } => {
                let name = name.map_or("default", |n| pick(&TENANTS, n));
                writeln!(f, "cross_tenant {name} {{")?;
                for (direct, allow) in inbound {
                    let what = if *direct {
                        "b2b_direct_connect"
                    } else {
                        "b2b_collaboration"
                    };
                    let access = if *allow { "allow" } else { "block" };
                    writeln!(f, "  inbound {what} = {access}")?;
                }
                if !trust.is_empty() {
                    let t = list(trust, |t| {
                        pick(&["mfa", "compliant_device", "hybrid_joined", "none"], *t).to_string()
                    });
                    writeln!(f, "  trust {t}")?;
                }
                if *provider {
                    writeln!(f, "  service_provider")?;
                }
                f.write_str("}\n")
            }
            Item::Policy(p) => p.fmt(f),
            Item::Comment(n) => writeln!(f, "# note {n}"),
        }
    }
}

impl Display for Pack {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for item in &self.items {
            writeln!(f, "{item}")?;
        }
        Ok(())
    }
}

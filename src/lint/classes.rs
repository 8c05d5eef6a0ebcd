//! The sign-ins a pack tells apart, as evaluator requests: the equivalence classes that rules
//! needing decisions (EXT006, CAP002, CAP005) decide with the evaluator instead of reasoning
//! about policies themselves.
//!
//! One request per combination of: who (an internal member or guest; for every home tenant the
//! pack declares and for an undeclared one, a B2B guest, a B2B member and a direct-connect user;
//! a service provider where a partner is marked so; an external user without an Entra tenant;
//! and internal members and B2B guests in each group, user and role the policies name, one at a
//! time), every first-party app plus each app id the policies name and one they do not, the
//! client apps and platforms the policies tell apart, the evaluator's own address and country
//! classes, and the risk levels the policies name. Every signal is stated, so no condition is
//! left unknown. Memberships are taken one at a time: a result that needs a user in two named
//! groups at once is out of reach.

use std::net::IpAddr;

use super::facts::{Facts, Home};
use crate::eval::{self, Compiled, Decision, Evaluation, Options};
use crate::model::catalog::{self, FirstPartyApp};
use crate::model::request::{
    AccessKind, AppRef, Auth, Country, Device, InsiderRiskLevel, Network, Request, RequestUser,
    Risk, UserType,
};
use crate::model::*;

/// A tenant id the pack does not declare: "tenants the pack does not declare".
pub const UNDECLARED_HOME: &str = "11111111-2222-4333-8444-555555555555";
/// An app id no policy names.
const OTHER_APP: &str = "22222222-3333-4444-8555-666666666666";

/// Who signs in, with what rules need to group them.
#[derive(Debug, Clone)]
pub struct Who<'a> {
    pub label: String,
    /// External type and home, for external users.
    pub external: Option<(ExternalType, Home<'a>)>,
    /// In a named group, user or role (a variant of a base user).
    pub variant: bool,
    pub user: RequestUser,
}

/// One sampled sign-in.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Index into [`Samples::who`].
    pub who: usize,
    pub request: Request,
}

#[derive(Debug, Clone)]
pub struct Samples<'a> {
    pub who: Vec<Who<'a>>,
    pub requests: Vec<Sample>,
}

fn person(
    name: &str,
    user_type: UserType,
    home: Option<String>,
    kind: Option<AccessKind>,
) -> RequestUser {
    RequestUser {
        name: name.to_string(),
        user_type,
        home,
        kind,
        groups: Vec::new(),
        roles: Vec::new(),
    }
}

fn people<'a>(pack: &'a Pack, facts: &Facts<'a>) -> Vec<Who<'a>> {
    let mut who = vec![
        Who {
            label: "internal members".into(),
            external: None,
            variant: false,
            user: person("member@resource.test", UserType::Member, None, None),
        },
        Who {
            label: "internal guests".into(),
            external: Some((ExternalType::InternalGuest, Home::Other)),
            variant: false,
            user: person("guest@resource.test", UserType::Guest, None, None),
        },
    ];
    for home in facts.homes() {
        let (id, from) = match home {
            Home::Tenant(t) => (t.name.value.clone(), home.label()),
            Home::Other => (UNDECLARED_HOME.to_string(), home.label()),
        };
        let mut kinds = vec![
            (
                ExternalType::B2bGuest,
                UserType::Guest,
                AccessKind::B2bCollaboration,
                "B2B guests",
            ),
            (
                ExternalType::B2bMember,
                UserType::Member,
                AccessKind::B2bCollaboration,
                "B2B members",
            ),
            (
                ExternalType::DirectConnect,
                UserType::Guest,
                AccessKind::DirectConnect,
                "direct-connect users",
            ),
        ];
        let provider = match home {
            Home::Tenant(t) => facts
                .partner(&t.name.value)
                .is_some_and(|p| p.service_provider.is_some()),
            Home::Other => false,
        };
        if provider {
            kinds.push((
                ExternalType::ServiceProvider,
                UserType::Guest,
                AccessKind::ServiceProvider,
                "service providers",
            ));
        }
        for (ty, user_type, kind, what) in kinds {
            who.push(Who {
                label: format!("{what} from {from}"),
                external: Some((ty, home)),
                variant: false,
                user: person("user@home.test", user_type, Some(id.clone()), Some(kind)),
            });
        }
    }
    who.push(Who {
        label: "external users without an Entra tenant".into(),
        external: Some((ExternalType::OtherExternal, Home::Other)),
        variant: false,
        user: person(
            "someone@mail.test",
            UserType::Guest,
            None,
            Some(AccessKind::Other),
        ),
    });
    // Named groups, users and roles, one at a time, for internal members and B2B guests.
    let mut named: Vec<&UserTarget> = Vec::new();
    for p in &pack.policies {
        for t in p.users.include.iter().chain(&p.users.exclude) {
            if matches!(
                t.value,
                UserTarget::User(_) | UserTarget::Group(_) | UserTarget::Role(_)
            ) && !named.contains(&&t.value)
            {
                named.push(&t.value);
            }
        }
    }
    let bases: Vec<Who<'a>> = who
        .iter()
        .filter(|w| {
            w.external.is_none() || w.external.is_some_and(|(t, _)| t == ExternalType::B2bGuest)
        })
        .cloned()
        .collect();
    for target in named {
        for base in &bases {
            let mut w = base.clone();
            w.variant = true;
            match target {
                UserTarget::User(upn) => {
                    w.user.name = upn.clone();
                    w.label = format!("`{upn}`");
                }
                UserTarget::Group(g) => {
                    w.user.groups.push(g.clone());
                    w.label = format!("{} in group `{g}`", base.label);
                }
                UserTarget::Role(r) => {
                    let Some(role) = catalog::role_by_name(r)
                        .or_else(|| catalog::ROLES.iter().find(|x| x.id == r))
                    else {
                        continue;
                    };
                    w.user.roles.push(role.id);
                    w.label = format!("{} with role `{r}`", base.label);
                }
                _ => continue,
            }
            who.push(w);
        }
    }
    who
}

fn apps(pack: &Pack) -> Vec<AppRef> {
    let mut apps: Vec<AppRef> = FirstPartyApp::ALL.into_iter().map(AppRef::Named).collect();
    for p in &pack.policies {
        for a in p.apps.include.iter().chain(&p.apps.exclude) {
            if let AppTarget::App(id) = &a.value {
                let app = AppRef::Id(id.to_ascii_lowercase());
                if !apps.contains(&app) {
                    apps.push(app);
                }
            }
        }
    }
    apps.push(AppRef::Id(OTHER_APP.to_string()));
    apps
}

fn client_apps(pack: &Pack) -> Vec<ClientApp> {
    if pack
        .policies
        .iter()
        .any(|p| p.conditions.client_apps.is_some())
    {
        ClientApp::ALL.to_vec()
    } else {
        vec![ClientApp::Browser]
    }
}

fn platforms(pack: &Pack) -> Vec<Platform> {
    let mut named: Vec<Platform> = pack
        .policies
        .iter()
        .filter_map(|p| p.conditions.platforms.as_ref())
        .flat_map(|l| l.include.iter().chain(&l.exclude))
        .map(|p| p.value)
        .filter(|p| *p != Platform::All)
        .collect();
    named.sort_unstable();
    named.dedup();
    let unnamed = Platform::ALL
        .into_iter()
        .find(|p| *p != Platform::All && !named.contains(p));
    named.extend(unnamed);
    named
}

fn risks(pack: &Pack) -> Vec<Risk> {
    let levels = |pick: fn(&Conditions) -> Option<&ListCondition<RiskLevel>>| {
        let mut l: Vec<RiskLevel> = pack
            .policies
            .iter()
            .filter_map(|p| pick(&p.conditions))
            .flat_map(|c| c.value.iter().map(|x| x.value))
            .filter(|x| *x != RiskLevel::None)
            .collect();
        l.sort_unstable();
        l.dedup();
        l
    };
    let mut risks = vec![Risk::default()];
    for s in levels(|c| c.sign_in_risk.as_ref()) {
        risks.push(Risk {
            sign_in: s,
            ..Risk::default()
        });
    }
    for u in levels(|c| c.user_risk.as_ref()) {
        risks.push(Risk {
            user: u,
            ..Risk::default()
        });
    }
    let mut insider: Vec<InsiderRisk> = pack
        .policies
        .iter()
        .filter_map(|p| p.conditions.insider_risk.as_ref())
        .flat_map(|c| c.value.iter().map(|x| x.value))
        .collect();
    insider.sort_unstable();
    insider.dedup();
    for level in insider {
        risks.push(Risk {
            insider: match level {
                InsiderRisk::Minor => InsiderRiskLevel::Minor,
                InsiderRisk::Moderate => InsiderRiskLevel::Moderate,
                InsiderRisk::Elevated => InsiderRiskLevel::Elevated,
            },
            ..Risk::default()
        });
    }
    risks
}

/// Addresses and countries: the evaluator's classes, each address with the first country
/// class and each country with the first address class, so every location is reached.
fn networks(c: &Compiled) -> Vec<Network> {
    let ips: Vec<IpAddr> = c.ip_classes.iter().map(|x| x.0).collect();
    let countries: Vec<Country> = c.country_classes.iter().map(|x| x.0).collect();
    let (Some(ip0), Some(country0)) = (ips.first(), countries.first()) else {
        return vec![Network::default()];
    };
    let mut out: Vec<Network> = ips
        .iter()
        .map(|ip| Network {
            ip: Some(*ip),
            country: Some(*country0),
        })
        .collect();
    out.extend(countries.iter().skip(1).map(|k| Network {
        ip: Some(*ip0),
        country: Some(*k),
    }));
    out
}

impl<'a> Samples<'a> {
    /// The sample of one pack (`facts` and `compiled` of the same pack).
    pub fn new(pack: &'a Pack, facts: &Facts<'a>, compiled: &Compiled) -> Self {
        let who = people(pack, facts);
        let (apps, clients, platforms, risks, nets) = (
            apps(pack),
            client_apps(pack),
            platforms(pack),
            risks(pack),
            networks(compiled),
        );
        let mut requests = Vec::new();
        for (i, w) in who.iter().enumerate() {
            for app in &apps {
                for client in &clients {
                    for platform in &platforms {
                        for net in &nets {
                            for risk in &risks {
                                requests.push(Sample {
                                    who: i,
                                    request: Request {
                                        user: w.user.clone(),
                                        app: app.clone(),
                                        client_app: *client,
                                        device: Device {
                                            platform: Some(*platform),
                                            ..Device::default()
                                        },
                                        network: *net,
                                        auth: Auth::default(),
                                        risk: *risk,
                                    },
                                });
                            }
                        }
                    }
                }
            }
        }
        Samples { who, requests }
    }

    /// "B2B guests from `litware` on sharepoint (browser, windows, 203.0.113.0 US)".
    pub fn describe(&self, sample: &Sample) -> String {
        let r = &sample.request;
        let mut extra = vec![r.client_app.name().to_string()];
        if let Some(p) = r.device.platform {
            extra.push(p.name().to_string());
        }
        if let (Some(ip), Some(country)) = (r.network.ip, r.network.country) {
            extra.push(format!("{ip} {country}"));
        }
        if r.risk.sign_in != RiskLevel::None {
            extra.push(format!("sign-in risk {}", r.risk.sign_in.name()));
        }
        if r.risk.user != RiskLevel::None {
            extra.push(format!("user risk {}", r.risk.user.name()));
        }
        format!(
            "{} on {} ({})",
            self.who[sample.who].label,
            r.app,
            extra.join(", ")
        )
    }
}

/// The decision for one sample, or `None` when the evaluator refuses the request.
pub fn decide<'c>(c: &'c Compiled, sample: &'c Sample) -> Option<Evaluation<'c>> {
    let resolved = eval::resolve(c, &sample.request).ok()?;
    Some(eval::decide_resolved(c, &resolved, Options::default()))
}

/// The decision alone (the evaluator's fast path, proven equal to the traced one).
pub fn decision(c: &Compiled, sample: &Sample) -> Option<Decision> {
    let resolved = eval::resolve(c, &sample.request).ok()?;
    Some(eval::decide_fast(c, &resolved, Options::default()).decision)
}

//! The class of every dimension a concrete request falls in: how a property test (or any
//! caller holding a request) finds the cube that answers for it.

use super::*;

impl Space {
    /// The point of a request (`packs` as given to [`Space::new`]). `Err` for what the space
    /// does not cover: device attributes (device-filter properties), or a request the packs
    /// would refuse (a direct-connect user from the resource tenant).
    pub fn point_of(&self, packs: &[&Compiled], r: &Request) -> Result<Point, String> {
        let k = &self.known;
        let mut p: Point = vec![0; self.dims.len()];
        p[k.who] = self.who_class(packs, r)?;
        p[k.user] = self
            .find_class(
                k.user,
                |v| matches!(v, Value::User(Some(n)) if *n == r.user.name.to_lowercase()),
            )
            .unwrap_or(0);
        for (_, d) in &self.groups {
            let member = r.user.groups.iter().any(|g| self.group_dim(g) == Some(*d));
            p[*d] = u16::from(member);
        }
        for (_, d) in &self.roles {
            let has = r.user.roles.iter().any(|id| {
                catalog::ROLES
                    .iter()
                    .position(|x| x.id == *id)
                    .and_then(|i| self.role_dim(i))
                    == Some(*d)
            });
            p[*d] = u16::from(has);
        }
        p[k.app] = self
            .find_class(k.app, |v| matches!(v, Value::App(a) if *a == r.app))
            .or_else(|| {
                let context = matches!(r.app, AppRef::AuthContext(_));
                self.find_class(k.app, |v| match v {
                    Value::OtherApp(AppRef::AuthContext(_)) => context,
                    Value::OtherApp(_) => !context,
                    _ => false,
                })
            })
            .ok_or("no app class")?;
        p[k.client] = self
            .find_class(k.client, |v| *v == Value::Client(r.client_app))
            .ok_or("no client class")?;
        p[k.platform] = self
            .find_class(k.platform, |v| *v == Value::Platform(r.device.platform))
            .ok_or("no platform class")?;
        p[k.ip] = match r.network.ip {
            None => 0,
            Some(ip) => {
                let key = ip_key(packs, &self.extra, ip);
                let i = self
                    .ip_keys
                    .iter()
                    .position(|x| *x == key)
                    .ok_or("no address class")?;
                (i + 1) as u16
            }
        };
        p[k.country] = match r.network.country {
            None => 0,
            Some(c) => self
                .find_class(k.country, |v| {
                    matches!(v, Value::Country(CountryClass::Codes { named, .. }) if named.contains(&c))
                })
                .or_else(|| {
                    self.find_class(k.country, |v| {
                        matches!(v, Value::Country(CountryClass::Codes { named, .. }) if named.is_empty())
                    })
                })
                .ok_or("no country class")?,
        };
        p[k.sign_in_risk] = self
            .find_class(k.sign_in_risk, |v| *v == Value::Risk(r.risk.sign_in))
            .ok_or("no risk class")?;
        p[k.user_risk] = self
            .find_class(k.user_risk, |v| *v == Value::Risk(r.risk.user))
            .ok_or("no risk class")?;
        p[k.insider] = self
            .find_class(k.insider, |v| *v == Value::Insider(r.risk.insider))
            .ok_or("no insider class")?;
        p[k.flow] = self
            .find_class(k.flow, |v| *v == Value::Flow(r.auth.flow))
            .ok_or("no flow class")?;
        p[k.mfa] = self
            .find_class(k.mfa, |v| *v == Value::Mfa(r.auth.mfa))
            .ok_or("no mfa class")?;
        let vector = strength_vector(&self.strengths, &r.auth.methods);
        p[k.methods] = self
            .find_class(k.methods, |v| match v {
                Value::Methods(m) => strength_vector(&self.strengths, m) == vector,
                _ => false,
            })
            .ok_or("no methods class")?;
        for (t, d) in &self.terms {
            p[*d] = u16::from(r.auth.terms_accepted.contains(t));
        }
        p[k.compliant] = u16::from(r.device.compliant);
        p[k.hybrid] = u16::from(r.device.hybrid_joined);
        p[k.managed] = u16::from(r.device.managed);
        p[k.approved_app] = u16::from(r.device.approved_app);
        p[k.app_protection] = u16::from(r.device.app_protection);
        // Not stated is decided as not bound (`eval::decide::token_protection`).
        p[k.token_bound] = u16::from(r.device.token_bound == Some(true));
        p[k.compliant_network] = match r.network.compliant_network {
            None => 0,
            Some(false) => 1,
            Some(true) => 2,
        };
        for (property, d, tests) in &self.devices {
            p[*d] = self.device_class(*d, *property, tests, r.device.attributes.as_ref())?;
        }
        p[k.registered] = self
            .find_class(k.registered, |v| {
                *v == Value::Registered(r.device.registered)
            })
            .ok_or("no registration class")?;
        Ok(p)
    }

    fn device_class(
        &self,
        d: DimId,
        property: crate::model::device_filter::DeviceProperty,
        tests: &device::Tests,
        attrs: Option<&crate::eval::device_filter::DeviceAttributes>,
    ) -> Result<u16, String> {
        use crate::model::device_filter::PropertyKind;
        use device::Attribute;
        let none = || Ok(0);
        let Some(attrs) = attrs else { return none() };
        match property.kind() {
            PropertyKind::Boolean => match attrs.is_compliant {
                None => none(),
                Some(b) => self
                    .find_class(d, |v| *v == Value::Attribute(Attribute::Bool(b)))
                    .ok_or_else(|| "no class".into()),
            },
            PropertyKind::Collection => {
                let items = match property {
                    crate::model::device_filter::DeviceProperty::PhysicalIds => &attrs.physical_ids,
                    _ => &attrs.system_labels,
                };
                let held: Vec<String> = tests
                    .contains
                    .iter()
                    .filter(|l| items.iter().flatten().any(|i| i.to_lowercase() == **l))
                    .cloned()
                    .collect();
                if held.is_empty() {
                    return none();
                }
                self.find_class(d, |v| *v == Value::Attribute(Attribute::List(held.clone())))
                    .ok_or_else(|| "no class".into())
            }
            _ => match attrs.text(property) {
                None => none(),
                Some(text) => {
                    let want = device::text_vector(tests, text);
                    self.find_class(d, |v| match v {
                        Value::Attribute(Attribute::Text(w)) => {
                            device::text_vector(tests, w) == want
                        }
                        _ => false,
                    })
                    .ok_or_else(|| format!("no class for `{}` = {text:?}", property.name()))
                }
            },
        }
    }

    fn find_class(&self, d: DimId, test: impl Fn(&Value) -> bool) -> Option<u16> {
        self.dims[d]
            .classes
            .iter()
            .position(|c| test(&c.value))
            .map(|i| i as u16)
    }

    fn who_class(&self, packs: &[&Compiled], r: &Request) -> Result<u16, String> {
        let u = &r.user;
        let k = self.known.who;
        let home = match (&u.home, u.kind) {
            (_, Some(AccessKind::Other)) => {
                return self
                    .find_class(k, |v| {
                        *v == Value::Who(Who::NoEntra {
                            user_type: u.user_type,
                        })
                    })
                    .ok_or_else(|| "no class".to_string())
            }
            // No `home`: a declared partner's e-mail domain makes the user that partner's, as
            // `eval::resolve` infers it.
            (None, _) => packs
                .iter()
                .find_map(|c| {
                    crate::eval::resolve::inferred_home(c, &u.name).map(|i| &c.pack().tenants[i])
                })
                .map(|t| {
                    self.tenants
                        .iter()
                        .position(|x| x.name == t.name.value)
                        .map_or(Home::Undeclared, Home::Tenant)
                }),
            (Some(text), _) => {
                let declared = packs
                    .iter()
                    .find_map(|c| c.tenant_index(text).map(|i| &c.pack().tenants[i]));
                match declared {
                    Some(t) if t.resource => None,
                    Some(t) => Some(
                        self.tenants
                            .iter()
                            .position(|x| x.name == t.name.value)
                            .map_or(Home::Undeclared, Home::Tenant),
                    ),
                    None => Some(Home::Undeclared),
                }
            }
        };
        let who = match home {
            None => match u.kind {
                Some(AccessKind::DirectConnect | AccessKind::ServiceProvider) => return Err(
                    "a direct-connect or service-provider user from the resource tenant is refused"
                        .into(),
                ),
                _ => match u.user_type {
                    UserType::Member => Who::Member,
                    UserType::Guest => Who::InternalGuest,
                },
            },
            Some(home) => Who::External {
                home,
                user_type: u.user_type,
                kind: u.kind.unwrap_or(AccessKind::B2bCollaboration),
            },
        };
        self.find_class(k, |v| *v == Value::Who(who.clone()))
            .ok_or_else(|| "no class".to_string())
    }
}

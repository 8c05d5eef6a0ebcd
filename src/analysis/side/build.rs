//! Building a [`Side`]: every test the evaluator makes on a pack, tabulated as atoms over the
//! space's classes (by calling the evaluator's own functions on one request per class), and
//! every policy as expressions over them.

use std::cell::RefCell;
use std::collections::HashMap;

use super::{Atom, Cache, Expr, Multi, MultiKind, PolicyModel, Side, DENSE_CAP};
use crate::analysis::outcome::SessionValues;
use crate::analysis::space::{DimId, DimKey, Space, Value};
use crate::eval::compile::{
    apps_match, AppKey, Compiled, CompiledPolicy, LocM, LocationTable, UserM,
};
use crate::eval::conditions::{
    client_app_matches, flow_matches, insider_matches, location, platforms, risk_matches,
    user_target,
};
use crate::eval::decide::{session_unsupported, Ctx};
use crate::eval::resolve::Net;
use crate::eval::trace::Tri;
use crate::model::Control;

pub(super) struct SideBuilder<'a> {
    pub(super) side: Side<'a>,
    /// Control atoms by control.
    pub(super) controls: Vec<(Control, usize)>,
    /// Single atoms by (dimension, table), shared across policies.
    pub(super) singles: HashMap<(DimId, Vec<Tri>), usize>,
    /// The app of each app class, as this pack interns it.
    pub(super) app_keys: Vec<Option<AppKey>>,
}

impl<'a> SideBuilder<'a> {
    fn space(&self) -> &'a Space {
        self.side.space
    }

    fn push(&mut self, atom: Atom) -> usize {
        self.side.atoms.push(atom);
        self.side.atoms.len() - 1
    }

    /// A single-dimension atom from its table (a constant when every class agrees).
    fn single(&mut self, dim: DimId, table: Vec<Tri>) -> Expr {
        if let Some(first) = table.first() {
            if table.iter().all(|t| t == first) {
                return Expr::Const(*first);
            }
        }
        if let Some(a) = self.singles.get(&(dim, table.clone())) {
            return Expr::Atom(*a);
        }
        let space = self.space();
        let words = space.dims[dim].words;
        let mut masks = [vec![0u64; words], vec![0u64; words], vec![0u64; words]];
        for (i, t) in table.iter().enumerate() {
            let m = match t {
                Tri::Yes => 0,
                Tri::No => 1,
                Tri::Unknown => 2,
            };
            masks[m][i / 64] |= 1 << (i % 64);
        }
        let a = self.push(Atom::Single {
            dim,
            masks,
            table: table.clone(),
        });
        self.singles.insert((dim, table), a);
        Expr::Atom(a)
    }

    /// Tabulates `f` over one dimension's classes, the other dimensions at their defaults.
    fn tabulate(&self, dim: DimId, f: impl Fn(&Ctx<'_, '_>) -> Tri) -> Vec<Tri> {
        let n = self.space().dims[dim].classes.len();
        (0..n)
            .map(|c| {
                let point = self.side.point(&[(dim, c as u16)]);
                // A request the pack cannot resolve is never in scope: fail closed is the
                // evaluator's job, and the space only builds resolvable requests.
                self.side.with_ctx(&point, &f).unwrap_or(Tri::Unknown)
            })
            .collect()
    }

    fn multi(&mut self, dims: Vec<DimId>, kind: MultiKind) -> usize {
        let space = self.space();
        let size = dims
            .iter()
            .try_fold(1usize, |n, d| n.checked_mul(space.dims[*d].classes.len()));
        let cache = match size {
            Some(n) if n <= DENSE_CAP => Cache::Dense(vec![u16::MAX; n]),
            _ => Cache::Sparse(HashMap::new()),
        };
        self.push(Atom::Multi(Multi {
            dims,
            kind,
            cache: RefCell::new(cache),
            values: RefCell::new(Vec::new()),
        }))
    }

    pub(super) fn gate_atom(&mut self) -> usize {
        let k = self.space().known;
        let mut dims = vec![k.who, k.user, k.app];
        for (name, d) in &self.space().group_dims {
            if (self.xt_names_group(name) || self.assigns_group(name)) && !dims.contains(d) {
                dims.push(*d);
            }
        }
        // Global Administrators are exempt from assignment.
        if let Some(d) = crate::eval::directory::global_administrator(self.side.c)
            .and_then(|r| self.space().role_dim(r))
        {
            if !dims.contains(&d) {
                dims.push(d);
            }
        }
        dims.sort_unstable();
        self.multi(dims, MultiKind::Gate)
    }

    /// An app that requires assignment is assigned to this group (lowercase name).
    fn assigns_group(&self, name: &str) -> bool {
        let c = self.side.c;
        let Some(id) = c.groups.get(&name.to_lowercase()) else {
            return false;
        };
        c.directory.required.iter().any(|a| a.groups.contains(id))
    }

    fn xt_names_group(&self, name: &str) -> bool {
        let key = name.to_lowercase();
        self.side.c.pack().cross_tenant.iter().any(|xt| {
            xt.rules.iter().any(|r| {
                r.setting.users.as_ref().is_some_and(|u| {
                    u.targets.iter().any(|t| {
                        matches!(&t.value, crate::model::XtUserTarget::Group(g) if g.to_lowercase() == key)
                    })
                })
            })
        })
    }

    fn control(&mut self, control: &Control) -> usize {
        if let Some((_, a)) = self.controls.iter().find(|(c, _)| c == control) {
            return *a;
        }
        let k = self.space().known;
        let mut dims = match control {
            Control::Block => Vec::new(),
            Control::Mfa => vec![k.who, k.client, k.mfa],
            // A custom strength resolves in each pack on its own: the dimensions a declared one
            // reads are read for every custom reference.
            Control::AuthStrength(_) => vec![k.who, k.client, k.mfa, k.methods],
            Control::CompliantDevice => {
                vec![k.who, k.client, k.flow, k.registered, k.compliant]
            }
            Control::HybridJoined => vec![k.who, k.client, k.flow, k.registered, k.hybrid],
            Control::ApprovedApp => vec![k.who, k.client, k.approved_app],
            Control::AppProtection => vec![k.who, k.client, k.app_protection],
            Control::PasswordChange | Control::Custom(_) => vec![k.who, k.client],
            Control::TermsOfUse(name) => {
                let mut v = vec![k.who, k.client];
                if let Some(d) = self.space().find(&DimKey::Terms(name.clone())) {
                    v.push(d);
                }
                v
            }
        };
        dims.sort_unstable();
        let a = self.multi(dims, MultiKind::Control(control.clone()));
        self.controls.push((control.clone(), a));
        a
    }

    fn user_target(&mut self, t: &UserM) -> Expr {
        let space = self.space();
        let k = space.known;
        let c = self.side.c;
        match t {
            UserM::All => Expr::Const(Tri::Yes),
            UserM::None => Expr::Const(Tri::No),
            UserM::Role(None) => Expr::Const(Tri::Unknown),
            UserM::User(u) => {
                let table = space.dims[k.user]
                    .classes
                    .iter()
                    .map(|cl| match &cl.value {
                        Value::User(Some(n)) => Tri::from_bool(c.users.get(n) == Some(u)),
                        _ => Tri::No,
                    })
                    .collect();
                self.single(k.user, table)
            }
            UserM::Group(g) => {
                let name = c
                    .groups
                    .iter()
                    .find(|(_, v)| *v == g)
                    .map(|(n, _)| n.clone());
                match name.and_then(|n| space.group_dim(&n)) {
                    Some(d) => self.single(d, vec![Tri::No, Tri::Yes]),
                    None => Expr::Const(Tri::No),
                }
            }
            UserM::Role(Some(i)) => match space.role_dim(*i) {
                Some(d) => self.single(d, vec![Tri::No, Tri::Yes]),
                None => Expr::Const(Tri::No),
            },
            UserM::GuestsOrExternal | UserM::External { .. } => {
                let table = self.tabulate(k.who, |ctx| user_target(ctx, t));
                self.single(k.who, table)
            }
        }
    }

    fn location(&mut self, l: LocM) -> Expr {
        let c = self.side.c;
        let space = self.space();
        let k = space.known;
        match l {
            LocM::AllTrusted => {
                let trusted: Vec<usize> = c
                    .locations
                    .iter()
                    .enumerate()
                    .filter(|(_, info)| info.trusted)
                    .map(|(i, _)| i)
                    .collect();
                Expr::Or(
                    trusted
                        .into_iter()
                        .map(|i| self.location(LocM::Named(i)))
                        .collect(),
                )
            }
            LocM::Named(i) => {
                let is_ip = matches!(
                    c.locations.get(i).map(|x| &x.table),
                    Some(LocationTable::Ip { .. })
                );
                let dim = if is_ip { k.ip } else { k.country };
                let table = space.dims[dim]
                    .classes
                    .iter()
                    .map(|cl| {
                        let net = class_net(c, &cl.value);
                        location(c, &net, l).0
                    })
                    .collect();
                self.single(dim, table)
            }
            LocM::CompliantNetwork => {
                let dim = k.compliant_network;
                let table = space.dims[dim]
                    .classes
                    .iter()
                    .map(|cl| location(c, &class_net(c, &cl.value), l).0)
                    .collect();
                self.single(dim, table)
            }
            other => {
                let net = class_net(c, &Value::Ip(None));
                Expr::Const(location(c, &net, other).0)
            }
        }
    }

    pub(super) fn policy(&mut self, cp: &CompiledPolicy) -> PolicyModel {
        let space = self.space();
        let k = space.known;
        let c = self.side.c;
        let policy = &c.pack().policies[cp.index];
        let mut conditions = Vec::new();
        let inc: Vec<Expr> = cp
            .users_include
            .iter()
            .map(|t| self.user_target(t))
            .collect();
        let exc: Vec<Expr> = cp
            .users_exclude
            .iter()
            .map(|t| self.user_target(t))
            .collect();
        conditions.push(Expr::And(vec![
            Expr::Or(inc),
            Expr::Not(Box::new(Expr::Or(exc))),
        ]));
        let table = self
            .app_keys
            .iter()
            .map(|key| match key {
                Some(key) => Tri::from_bool(apps_match(cp, *key)),
                None => Tri::Unknown,
            })
            .collect();
        conditions.push(self.single(k.app, table));
        if let Some((inc, exc)) = cp.platforms {
            let table = space.dims[k.platform]
                .classes
                .iter()
                .map(|cl| match &cl.value {
                    Value::Platform(p) => platforms(inc, exc, *p),
                    _ => Tri::Unknown,
                })
                .collect();
            conditions.push(self.single(k.platform, table));
        }
        if let Some((inc, exc)) = &cp.locations {
            let i: Vec<Expr> = inc.iter().map(|l| self.location(*l)).collect();
            let e: Vec<Expr> = exc.iter().map(|l| self.location(*l)).collect();
            conditions.push(Expr::And(vec![
                Expr::Or(i),
                Expr::Not(Box::new(Expr::Or(e))),
            ]));
        }
        let mut flat = |mask: Option<u8>, dim: DimId, f: &dyn Fn(u8, &Value) -> Tri| {
            if let Some(mask) = mask {
                let table = space.dims[dim]
                    .classes
                    .iter()
                    .map(|cl| f(mask, &cl.value))
                    .collect();
                let e = self.single(dim, table);
                conditions.push(e);
            }
        };
        flat(cp.client_apps, k.client, &|m, v| match v {
            Value::Client(x) => client_app_matches(m, *x),
            _ => Tri::Unknown,
        });
        flat(cp.sign_in_risk, k.sign_in_risk, &|m, v| match v {
            Value::Risk(x) => risk_matches(m, *x),
            _ => Tri::Unknown,
        });
        flat(cp.user_risk, k.user_risk, &|m, v| match v {
            Value::Risk(x) => risk_matches(m, *x),
            _ => Tri::Unknown,
        });
        flat(cp.insider_risk, k.insider, &|m, v| match v {
            Value::Insider(x) => insider_matches(m, *x),
            _ => Tri::Unknown,
        });
        flat(cp.auth_flows, k.flow, &|m, v| match v {
            Value::Flow(x) => flow_matches(m, *x),
            _ => Tri::Unknown,
        });
        if cp.has_devices {
            let mut dims = vec![k.who, k.registered, k.compliant];
            if let Some(filter) = policy
                .conditions
                .devices
                .as_ref()
                .and_then(|d| d.filter.as_ref())
            {
                let tested =
                    crate::analysis::space::device::property_tests(std::iter::once(filter));
                // Extension attributes are seen only on managed, compliant or hybrid-joined
                // devices (`eval::resolve::extension_attributes_seen`).
                if tested.keys().any(|p| p.is_extension_attribute()) {
                    dims.extend([k.hybrid, k.managed]);
                }
                for property in tested.keys() {
                    if let Some(d) = space.find(&DimKey::Device(*property)) {
                        dims.push(d);
                    }
                }
            }
            dims.sort_unstable();
            let a = self.multi(dims, MultiKind::Devices(cp.index));
            conditions.push(Expr::Atom(a));
        }
        let controls = policy
            .grant
            .iter()
            .flat_map(|g| &g.controls)
            .map(|ctl| self.control(&ctl.value))
            .collect();
        let session_unsupported = if cp.token_protection {
            // Token protection blocks an unbound session; direct connect users get no session
            // controls at all: one atom over both, folded as the evaluator folds them.
            let mut dims = vec![k.who, k.token_bound];
            dims.sort_unstable();
            Some(self.multi(dims, MultiKind::SessionBlock(cp.index)))
        } else if cp.has_session {
            let table = self.tabulate(k.who, |ctx| Tri::from_bool(session_unsupported(ctx, cp)));
            match self.single(k.who, table) {
                Expr::Atom(a) => Some(a),
                Expr::Const(Tri::Yes) => {
                    let a = self.push(Atom::Const(Tri::Yes));
                    Some(a)
                }
                _ => None,
            }
        } else {
            None
        };
        PolicyModel {
            index: cp.index,
            state: cp.state,
            name: policy.name.value.clone(),
            conditions,
            controls,
            session_unsupported,
            session: SessionValues::of_policy(policy.session.as_ref()),
        }
    }

    /// The app of each app class, as this pack interns it.
    pub(super) fn app_keys(&self) -> Vec<Option<AppKey>> {
        let k = self.space().known;
        let n = self.space().dims[k.app].classes.len();
        (0..n)
            .map(|class| {
                let point = self.side.point(&[(k.app, class as u16)]);
                self.side.with_ctx(&point, |ctx| ctx.r.app)
            })
            .collect()
    }
}

/// The network signals a location class gives (the other signal left out).
fn class_net(c: &Compiled, value: &Value) -> Net {
    use crate::analysis::space::CountryClass;
    let (ip, country) = match value {
        Value::Ip(ip) => (*ip, None),
        Value::Country(CountryClass::Codes { representative, .. }) => (None, Some(*representative)),
        _ => (None, None),
    };
    let (loc_in, loc_known) = c.locate(ip, country);
    Net {
        platform: None,
        ip,
        country,
        loc_in,
        loc_known,
        compliant_network: match value {
            Value::Stated(s) => *s,
            _ => None,
        },
    }
}

//! Facts several rules share, derived once from the pack: the resource tenant's organisation,
//! each home tenant's effective cross-tenant settings, which external users a policy reaches, and
//! what an external user can satisfy.
//!
//! These are static readings of the settings (§4.2 inheritance, §4.4 support matrix). Rules that
//! need an actual decision over requests use the evaluator instead.

use crate::model::*;
use crate::source::Span;

/// Where an external user's account lives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Home<'a> {
    /// A tenant the pack declares.
    Tenant(&'a Tenant),
    /// Any tenant the pack does not declare: it has no settings of its own, so `default` applies.
    Other,
}

impl Home<'_> {
    /// How a message names it.
    pub fn label(&self) -> String {
        match self {
            Home::Tenant(t) => format!("`{}`", t.name.value),
            Home::Other => "tenants the pack does not declare".to_string(),
        }
    }
}

/// Which home-tenant claims the resource tenant accepts from one home tenant (§4.1, §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Trusted {
    pub mfa: bool,
    pub compliant_device: bool,
    pub hybrid_joined: bool,
    /// The `trust` line this comes from (`None`: the service default, which trusts nothing).
    pub span: Option<Span>,
}

/// The external user types whose account lives in another Entra tenant, so that cross-tenant
/// trust settings decide which of their claims count (§4.4, §6.3).
pub const HOME_TENANT_TYPES: [ExternalType; 4] = [
    ExternalType::B2bGuest,
    ExternalType::B2bMember,
    ExternalType::DirectConnect,
    ExternalType::ServiceProvider,
];

/// The external types that authenticate outside the resource tenant: every type but internal
/// guests, whose credentials (and devices) are managed here (§6.2).
pub const EXTERNALLY_AUTHENTICATED: [ExternalType; 5] = [
    ExternalType::B2bGuest,
    ExternalType::B2bMember,
    ExternalType::DirectConnect,
    ExternalType::OtherExternal,
    ExternalType::ServiceProvider,
];

pub struct Facts<'a> {
    pack: &'a Pack,
    pub resource: Option<&'a Tenant>,
    /// The organisation the resource tenant belongs to (`removed` memberships do not count).
    pub organization: Option<&'a Organization>,
    pub default: Option<&'a CrossTenant>,
}

impl<'a> Facts<'a> {
    pub fn new(pack: &'a Pack) -> Self {
        let resource = pack.resource_tenant();
        let organization = resource.and_then(|r| {
            pack.organizations.iter().find(|o| {
                o.members.iter().any(|m| {
                    m.tenant.value == r.name.value && m.state.value != MemberState::Removed
                })
            })
        });
        let default = pack
            .cross_tenant
            .iter()
            .find(|c| c.target == CrossTenantTarget::Default);
        Facts {
            pack,
            resource,
            organization,
            default,
        }
    }

    fn is_resource(&self, name: &str) -> bool {
        self.resource.is_some_and(|r| r.name.value == name)
    }

    /// Every home an external user can come from: declared tenants other than the resource
    /// tenant, in-organization tenants first (then declaration order), then [`Home::Other`].
    pub fn homes(&self) -> Vec<Home<'a>> {
        let mut homes: Vec<Home<'a>> = self
            .pack
            .tenants
            .iter()
            .filter(|t| !self.is_resource(&t.name.value))
            .map(Home::Tenant)
            .collect();
        homes.sort_by_key(|h| !self.in_organization(h));
        homes.push(Home::Other);
        homes
    }

    /// Whether a tenant is an active member of the resource tenant's organisation (§5.4: pending
    /// and removed tenants are not part of it).
    pub fn in_organization(&self, home: &Home<'_>) -> bool {
        let Home::Tenant(t) = home else { return false };
        self.organization.is_some_and(|o| {
            o.members
                .iter()
                .any(|m| m.tenant.value == t.name.value && m.state.value == MemberState::Active)
        })
    }

    /// The settings block of one partner tenant, if the pack has one.
    pub fn partner(&self, name: &str) -> Option<&'a CrossTenant> {
        self.pack
            .cross_tenant
            .iter()
            .find(|c| c.tenant_name() == Some(name))
    }

    /// The declared partner tenant (not the resource tenant) that holds a domain, without case.
    pub fn tenant_of_domain(&self, domain: &str) -> Option<&'a Tenant> {
        self.pack.tenants.iter().find(|t| {
            !t.resource
                && t.domains
                    .iter()
                    .any(|d| d.value.eq_ignore_ascii_case(domain.trim()))
        })
    }

    /// When the cross-tenant settings let nobody from a tenant in for inbound B2B collaboration:
    /// the rule that blocks (the partner's own, else the default's) and where it is, in words.
    pub fn b2b_inbound_blocked(&self, tenant: &Tenant) -> Option<(&'a B2bRule, String)> {
        let inbound = |c: &'a CrossTenant| c.rule(Direction::Inbound, B2bKind::B2bCollaboration);
        let name = &tenant.name.value;
        let (rule, whose) = match self.partner(name).and_then(inbound) {
            Some(r) => (r, format!("its own `cross_tenant {name}` block")),
            None => (
                self.default.and_then(inbound)?,
                "the `cross_tenant default` block".to_string(),
            ),
        };
        (!allows_some(&rule.setting)).then_some((rule, whose))
    }

    fn partner_of(&self, home: &Home<'_>) -> Option<&'a CrossTenant> {
        match home {
            Home::Tenant(t) => self.partner(&t.name.value),
            Home::Other => None,
        }
    }

    /// Effective inbound trust: the partner's `trust`, else the default's, else nothing (§4.2:
    /// an unset partner property inherits the default; the service default trusts no claim).
    pub fn trust(&self, home: &Home<'_>) -> Trusted {
        let trust = self
            .partner_of(home)
            .and_then(|p| p.trust.as_ref())
            .or_else(|| self.default.and_then(|d| d.trust.as_ref()));
        match trust {
            Some(t) => Trusted {
                mfa: t.mfa,
                compliant_device: t.compliant_device,
                hybrid_joined: t.hybrid_joined,
                span: Some(t.span),
            },
            None => Trusted::default(),
        }
    }

    /// The `inbound b2b_direct_connect` rule that lets some users of `home` in, if any (§4.2: the
    /// partner's rule, else the default's; the service default blocks direct connect).
    pub fn direct_connect_inbound(&self, home: &Home<'_>) -> Option<&'a B2bRule> {
        let rule = self
            .partner_of(home)
            .and_then(|p| p.rule(Direction::Inbound, B2bKind::B2bDirectConnect))
            .or_else(|| {
                self.default
                    .and_then(|d| d.rule(Direction::Inbound, B2bKind::B2bDirectConnect))
            })?;
        allows_some(&rule.setting).then_some(rule)
    }

    /// The include target through which `policy` reaches external users of type `ty` from
    /// `home`, unless an exclusion removes them (exclusion wins, §2.1). User, group and role
    /// targets are not counted: the pack does not say who is in them.
    pub fn reach(&self, policy: &'a Policy, ty: ExternalType, home: &Home<'_>) -> Option<Span> {
        let include = policy
            .users
            .include
            .iter()
            .find(|t| self.covers(&t.value, ty, home))?;
        if policy
            .users
            .exclude
            .iter()
            .any(|t| self.covers(&t.value, ty, home))
        {
            return None;
        }
        Some(include.span)
    }

    /// The first include target that reaches any of `types` from any home.
    pub fn reaches_any(&self, policy: &'a Policy, types: &[ExternalType]) -> Option<Span> {
        let homes = self.homes();
        types
            .iter()
            .flat_map(|ty| homes.iter().map(move |h| (*ty, h)))
            .find_map(|(ty, h)| self.reach(policy, ty, h))
    }

    /// Whether one user target covers external users of `ty` from `home`.
    pub fn covers(&self, target: &UserTarget, ty: ExternalType, home: &Home<'_>) -> bool {
        match target {
            UserTarget::All | UserTarget::GuestsOrExternal => true,
            UserTarget::External { types, origin } => {
                (types.is_empty() || types.iter().any(|t| t.value == ty))
                    && self.origin_covers(&origin.value, home)
            }
            _ => false,
        }
    }

    fn origin_covers(&self, origin: &Origin, home: &Home<'_>) -> bool {
        match origin {
            Origin::Any => true,
            Origin::Organization => self.in_organization(home),
            Origin::OutsideOrganization => !self.in_organization(home),
            Origin::Tenants(names) => match home {
                Home::Tenant(t) => names.iter().any(|n| n.value == t.name.value),
                Home::Other => false,
            },
        }
    }
}

/// Whether a B2B setting lets anyone in at all. In the full form an omitted dimension takes the
/// other's access type with target `all`; only "all users blocked" together with "all apps
/// blocked" lets nobody in (§4.3 table).
pub fn allows_some(setting: &B2bSetting) -> bool {
    if let Some(short) = &setting.short {
        return short.value == Access::Allow;
    }
    let users_all_blocked = match &setting.users {
        Some(u) => {
            u.access.value == Access::Block
                && u.targets.iter().any(|t| t.value == XtUserTarget::All)
        }
        None => setting
            .apps
            .as_ref()
            .is_some_and(|a| a.access.value == Access::Block),
    };
    let apps_all_blocked = match &setting.apps {
        Some(a) => {
            a.access.value == Access::Block && a.targets.iter().any(|t| t.value == AppTarget::All)
        }
        None => setting
            .users
            .as_ref()
            .is_some_and(|u| u.access.value == Access::Block),
    };
    !(users_all_blocked && apps_all_blocked)
}

/// A partner block's own rule for `direction` and `kind`, else the default's that it inherits,
/// with how to name where it comes from (`None`: the service default applies).
pub fn own_or_default<'a>(
    default: Option<&'a CrossTenant>,
    block: &'a CrossTenant,
    name: &str,
    direction: Direction,
    kind: B2bKind,
) -> Option<(&'a B2bRule, String)> {
    match block.rule(direction, kind) {
        Some(r) => Some((r, format!("`cross_tenant {name}`"))),
        None => default
            .and_then(|d| d.rule(direction, kind))
            .map(|r| (r, "`cross_tenant default`, which it inherits,".to_string())),
    }
}

/// Whether a grant can be met when each control is met or not as `met` says (§1.13: one control,
/// all of them, or any one of them).
pub fn grant_met(grant: &Grant, met: impl Fn(&Control) -> bool) -> bool {
    match grant.op.value {
        GrantOp::Single | GrantOp::All => grant.controls.iter().all(|c| met(&c.value)),
        GrantOp::Any => grant.controls.iter().any(|c| met(&c.value)),
    }
}

/// Whether an external user of type `ty` whose home tenant is trusted as `trust` can meet one
/// control (§4.4 support matrix). App-based controls and password change can never be met by
/// external users; custom controls do not work across tenants.
pub fn external_can_meet(control: &Control, ty: ExternalType, trust: &Trusted) -> bool {
    match control {
        Control::Block => false,
        // Service-provider (GDAP) MFA is always done at home and always trusted (§4.4).
        Control::Mfa | Control::AuthStrength(_) => match ty {
            ExternalType::DirectConnect => trust.mfa,
            _ => true,
        },
        Control::CompliantDevice => trust.compliant_device,
        Control::HybridJoined => trust.hybrid_joined,
        Control::TermsOfUse(_) => ty != ExternalType::DirectConnect,
        Control::ApprovedApp
        | Control::AppProtection
        | Control::PasswordChange
        | Control::Custom(_) => false,
    }
}

/// Whether a control is an MFA requirement (plain MFA or an authentication strength).
pub fn is_mfa(control: &Control) -> bool {
    matches!(control, Control::Mfa | Control::AuthStrength(_))
}

/// The span of the first control of the grant for which `pick` holds.
pub fn control_span(grant: &Grant, pick: impl Fn(&Control) -> bool) -> Option<Span> {
    grant
        .controls
        .iter()
        .find(|c| pick(&c.value))
        .map(|c| c.span)
}

/// Whether a policy is in force (`on`). Rules about what a policy does to users skip `off`
/// policies; `report_only` ones are included where noted, since they are meant to be enabled.
pub fn is_on(policy: &Policy) -> bool {
    policy.state.value == PolicyState::On
}

/// "`a`, `b` and `c`".
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_texts;

    const PACK: &str = r#"
resource tenant contoso { domains = ["contoso.com"] }
tenant fabrikam { domains = ["fabrikam.com"] }
tenant litware  { domains = ["litware.com"] }
organization "Contoso Group" { contoso owner active  fabrikam member active  litware member pending }
cross_tenant default  { inbound b2b_direct_connect = block  trust mfa }
cross_tenant fabrikam { inbound b2b_direct_connect { users block group "x" }  trust compliant_device }
cross_tenant litware  { inbound b2b_collaboration = allow }
policy "p" {
  users { include external(b2b_guest) from organization  exclude external(all) from tenants(fabrikam) }
  apps  { include all }
  grant mfa
}
"#;

    fn with_facts(check: impl Fn(&Pack, &Facts<'_>)) {
        let loaded = load_texts([("p.policy", PACK)]);
        assert!(
            loaded.diagnostics().is_empty(),
            "{:?}",
            loaded.diagnostics()
        );
        check(&loaded.pack, &Facts::new(&loaded.pack));
    }

    #[test]
    fn trust_comes_from_the_partner_else_the_default() {
        with_facts(|pack, facts| {
            let fabrikam = Home::Tenant(pack.tenant("fabrikam").unwrap());
            let litware = Home::Tenant(pack.tenant("litware").unwrap());
            let t = facts.trust(&fabrikam);
            assert!(
                !t.mfa && t.compliant_device,
                "the partner's own line wins whole"
            );
            assert!(facts.trust(&litware).mfa, "no `trust` line: the default's");
            assert!(facts.trust(&Home::Other).mfa);
        });
    }

    #[test]
    fn homes_put_active_members_first_then_undeclared_tenants() {
        with_facts(|_, facts| {
            let labels: Vec<String> = facts.homes().iter().map(Home::label).collect();
            assert_eq!(
                labels,
                [
                    "`fabrikam`",
                    "`litware`",
                    "tenants the pack does not declare"
                ]
            );
            assert!(facts.in_organization(&facts.homes()[0]));
            assert!(!facts.in_organization(&facts.homes()[1]), "pending");
        });
    }

    #[test]
    fn direct_connect_is_let_in_by_a_partial_block_list_only() {
        with_facts(|pack, facts| {
            let fabrikam = Home::Tenant(pack.tenant("fabrikam").unwrap());
            let litware = Home::Tenant(pack.tenant("litware").unwrap());
            // `users block group "x"` implies `apps block all`: everyone else gets in.
            assert!(facts.direct_connect_inbound(&fabrikam).is_some());
            assert!(
                facts.direct_connect_inbound(&litware).is_none(),
                "default blocks"
            );
        });
    }

    #[test]
    fn reach_applies_origin_and_exclusions() {
        with_facts(|pack, facts| {
            let policy = &pack.policies[0];
            let fabrikam = Home::Tenant(pack.tenant("fabrikam").unwrap());
            let litware = Home::Tenant(pack.tenant("litware").unwrap());
            assert!(facts
                .reach(policy, ExternalType::B2bGuest, &fabrikam)
                .is_none());
            assert!(facts
                .reach(policy, ExternalType::B2bGuest, &litware)
                .is_none());
            assert!(facts
                .reach(policy, ExternalType::B2bMember, &Home::Other)
                .is_none());
        });
    }

    #[test]
    fn grants_are_met_per_operator() {
        let trust = Trusted {
            mfa: false,
            ..Trusted::default()
        };
        let loaded = load_texts([(
            "p.policy",
            "policy \"a\" { users { include all } apps { include all } grant any(compliant_device, mfa) }\npolicy \"b\" { users { include all } apps { include all } grant all(compliant_device, mfa) }",
        )]);
        let met = |i: usize, ty| {
            let grant = loaded.pack.policies[i].grant.as_ref().unwrap();
            grant_met(grant, |c| external_can_meet(c, ty, &trust))
        };
        assert!(met(0, ExternalType::B2bGuest));
        assert!(!met(0, ExternalType::DirectConnect));
        assert!(!met(1, ExternalType::B2bGuest));
    }
}

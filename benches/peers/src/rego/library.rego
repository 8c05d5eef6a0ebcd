# The hand-written part of the Rego translation (see `src/rego/mod.rs`): the user's
# classification, the cross-tenant gate, each grant control's status and the decision.
package accord

# ---- the user: classification (§6.3), in accord's order ------------------------------------
home := data.tenants[input.user.home]

internal if home.resource

entra_external if {
	home.entra
	not home.resource
}

kind := "member" if {
	home.resource
	input.user.type == "member"
}

kind := "internal_guest" if {
	home.resource
	input.user.type == "guest"
}

kind := "other_external" if not home.entra

kind := "direct_connect" if {
	entra_external
	input.kind == "direct_connect"
}

kind := "service_provider" if {
	entra_external
	input.kind != "direct_connect"
	home.service_provider
}

kind := "b2b_member" if {
	entra_external
	input.kind != "direct_connect"
	not home.service_provider
	input.user.type == "member"
}

kind := "b2b_guest" if {
	entra_external
	input.kind != "direct_connect"
	not home.service_provider
	input.user.type == "guest"
}

# Users without an Entra home are `other_external` and, by userType, `b2b_guest`/`b2b_member`.
external_types contains kind if kind != "member"

external_types contains "b2b_guest" if {
	kind == "other_external"
	input.user.type == "guest"
}

external_types contains "b2b_member" if {
	kind == "other_external"
	input.user.type == "member"
}

# ---- the cross-tenant gate (§4.3) -----------------------------------------------------------
gate_blocks if {
	kind == "direct_connect"
	not direct_connect_app
}

gate_blocks if {
	kind == "direct_connect"
	setting_blocks(home.direct_connect)
}

gate_blocks if {
	collaboration_kind
	input.kind == "service_provider"
	not home.service_provider
}

gate_blocks if {
	collaboration_kind
	setting_blocks(home.collaboration)
}

direct_connect_app if input.app.key in {"app:teams", "app:sharepoint"}

collaboration_kind if kind in {"b2b_guest", "b2b_member", "service_provider"}

setting_blocks(s) if s.mode == "block"

setting_blocks(s) if s.mode == "empty"

# Two block-lists deny only the pair; otherwise each dimension must let the request through.
setting_blocks(s) if {
	s.mode == "lists"
	not s.users_allow
	not s.apps_allow
	users_listed(s)
	apps_listed(s)
}

setting_blocks(s) if {
	s.mode == "lists"
	not both_block(s)
	not passes(s)
}

both_block(s) if {
	not s.users_allow
	not s.apps_allow
}

passes(s) if {
	s.users_allow == users_listed(s)
	s.apps_allow == apps_listed(s)
}

# (Else-branches call rules rather than iterate: regorus's RVM does not fall through a branch
# whose iteration finds nothing; the interpreter does either way.)
users_listed(s) := true if s.users_all
else := true if in_listed_group(s)
else := false

in_listed_group(s) if {
	some g in input.user.groups
	g in s.groups
}

apps_listed(s) := true if s.apps_all
else := true if {
	input.app.type == "app"
	input.app.name in s.apps
} else := false

# ---- conditions -----------------------------------------------------------------------------
located contains name if {
	some name, l in data.locations
	l.kind == "ip"
	some range in l.ranges
	net.cidr_contains(range, input.network.ip)
}

located contains name if {
	some name, l in data.locations
	l.kind == "countries"
	input.network.country in l.codes
}

located contains name if {
	some name, l in data.locations
	l.kind == "countries"
	l.unknown
	input.network.country == "unknown"
}

# What a policy's location lists name: the locations, and `all_trusted` when one is trusted.
places contains name if some name in located

places contains "all_trusted" if {
	some name in located
	data.locations[name].trusted
}

# The resource tenant sees device properties of internal users' registered devices, and of
# external users' home-registered devices when it trusts device claims (§1.11).
device_visible if {
	internal
	input.device.registered != "none"
}

device_visible if {
	entra_external
	input.device.registered == "home"
	home.trust_compliant
}

device_visible if {
	entra_external
	input.device.registered == "home"
	home.trust_hybrid
}

# ---- grant controls (§4.4): 0 satisfied, 1 challenge, 2 unsatisfiable -----------------------
legacy if input.client_app in {"exchange_active_sync", "other"}

b2b if kind in {"b2b_guest", "b2b_member"}

mfa_satisfied if {
	internal
	input.auth.mfa != "none"
}

mfa_satisfied if {
	b2b
	input.auth.mfa == "resource"
}

mfa_satisfied if {
	b2b
	input.auth.mfa == "home"
	home.trust_mfa
}

mfa_satisfied if {
	kind == "direct_connect"
	home.trust_mfa
	input.auth.mfa == "home"
}

mfa_satisfied if {
	kind == "service_provider"
	input.auth.mfa != "none"
}

mfa_satisfied if {
	kind == "other_external"
	input.auth.mfa == "resource"
}

# Where an MFA challenge happens: at home for trusted B2B users who have not done MFA, for
# direct connect users (with trust) and for service providers.
mfa_challenge_at_home if {
	b2b
	input.auth.mfa == "none"
	home.trust_mfa
}

mfa_challenge_at_home if {
	kind == "direct_connect"
	home.trust_mfa
	input.auth.mfa != "home"
}

mfa_challenge_at_home if {
	kind == "service_provider"
	input.auth.mfa == "none"
}

mfa := 2 if legacy
else := 0 if mfa_satisfied
else := 2 if {
	kind == "direct_connect"
	not home.trust_mfa
} else := 1

# A built-in strength: MFA where MFA counts, with methods of an allowed combination. External
# users who would do MFA in the resource tenant cannot meet a strength above `mfa` there.
strength(name) := 2 if legacy
else := 2 if mfa == 2
else := 0 if {
	mfa == 0
	methods_meet(name)
} else := 2 if {
	name != "mfa"
	kind in {"b2b_guest", "b2b_member", "other_external"}
	not strength_at_home
} else := 1

strength_at_home if {
	mfa == 1
	mfa_challenge_at_home
}

strength_at_home if {
	mfa == 0
	input.auth.mfa == "home"
	not internal
}

methods_meet(name) if {
	some combination in data.strengths[name]
	every method in combination {
		method in input.auth.methods
	}
}

device_control(flag, trusted) := 2 if legacy
else := 2 if input.auth.flow == "device_code"
else := 0 if {
	internal
	input.device.registered != "none"
	flag
} else := 0 if {
	entra_external
	trusted
	input.device.registered == "home"
	flag
} else := 2

compliant_device := device_control(input.device.compliant, home.trust_compliant)

hybrid_joined := device_control(input.device.hybrid_joined, home.trust_hybrid)

app_control(flag) := 2 if legacy
else := 0 if {
	internal
	flag
} else := 2

approved_app := app_control(input.device.approved_app)

app_protection := app_control(input.device.app_protection)

password_change := 2 if legacy
else := 2 if not internal
else := 1

terms(name) := 2 if legacy
else := 2 if kind == "direct_connect"
else := 0 if name in input.auth.terms_accepted
else := 1

# Session controls are unsupported for direct connect users.
session := 2 if kind == "direct_connect"
else := 0

# ---- the decision ---------------------------------------------------------------------------
decision := "block" if gate_blocks
else := "block" if some_block
else := "challenge" if some_challenge
else := "allow"

some_block if {
	some [_, r] in results
	r >= 2
}

some_challenge if {
	some [_, r] in results
	r == 1
}

outcome(r) := "block" if r >= 2
else := "challenge" if r == 1
else := "allow"

deciding := {name |
	not gate_blocks
	some [name, r] in results
	outcome(r) == decision
}

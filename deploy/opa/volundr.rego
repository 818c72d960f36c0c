# Volundr authorization for Open Policy Agent: the same rules as the built-in adapter
# (packages/adapters/authz/src/role-rules.ts) and the Cerbos policies (deploy/cerbos/policies);
# docs/authorization.md has the table. Change them together.
#
# Load:   opa run --server --addr :8181 deploy/opa/volundr.rego
# Query:  POST /v1/data/volundr/authz
#         {"input": {"principal": {"userId", "email", "name", "tenantId", "roles": [...]},
#                    "action": "read",
#                    "resource": {"kind", "id"?, "ownerId"?, "tenantId", "attributes"?}}}
# Answer: {"result": {"allow": true|false, "reason": "...", ...the package's helper rules}}
# The adapter reads `allow` and `reason` and ignores the rest of the package document.
package volundr.authz

import rego.v1

default allow := false

allow if count(granting) > 0

principal := input.principal

resource := input.resource

action := input.action

member_roles := {"volundr:admin", "volundr:developer", "volundr:viewer"}

# What an owner with the developer role may do to their own session, chronicle or preset.
owner_actions := {
	"read", "list", "update", "delete", "start", "stop", "archive", "restore", "chat", "reforge",
	"report_usage", "report_activity", "report_timeline", "report_chronicle",
}

# Derived roles. Every one requires the principal's tenant to be the resource's tenant, so a
# principal of another tenant derives nothing and is denied everything.
same_tenant if principal.tenantId == resource.tenantId

is_member if {
	same_tenant
	some role in principal.roles
	role in member_roles
}

has_role(role) if {
	same_tenant
	role in principal.roles
}

# Any member who owns the resource (a user resource is owned by that user).
is_owner if {
	is_member
	resource.ownerId == principal.userId
}

derived contains "tenant_member" if is_member

derived contains "tenant_admin" if has_role("volundr:admin")

# An admin can do whatever a developer can, and more.
develops if has_role("volundr:developer")

develops if has_role("volundr:admin")

derived contains "tenant_developer" if develops

derived contains "tenant_viewer" if has_role("volundr:viewer")

derived contains "owner" if is_owner

# An owner who may change what they own: a viewer-only owner stays read-only.
derived contains "developer_owner" if {
	is_owner
	develops
}

# A developer creating something for themselves: no owner given yet, or their own id.
derived contains "developer_creator" if {
	develops
	not resource.ownerId
}

derived contains "developer_creator" if {
	develops
	resource.ownerId == principal.userId
}

# Reasons, kept for the audit log: it must tell an admin acting on someone else's resource apart.
admin_reason := sprintf("tenant admin acting on another user's %s (owner %s)", [resource.kind, resource.ownerId]) if {
	resource.ownerId != principal.userId
} else := "tenant admin"

creator_reason := sprintf("developer creating their own %s", [resource.kind])

# Rules per resource kind, in order: the first that grants gives the reason; nothing else is allowed.
admin_everything := {"role": "tenant_admin", "actions": {"*"}, "reason": admin_reason}

developer_creates := {"role": "developer_creator", "actions": {"create"}, "reason": creator_reason}

# Session, chronicle and preset: the things developers make and own.
work_rules := [
	admin_everything,
	{"role": "developer_owner", "actions": owner_actions, "reason": "owner"},
	{"role": "tenant_viewer", "actions": {"read", "list"}, "reason": "tenant viewer (read-only)"},
	developer_creates,
]

rules_by_kind := {
	"session": work_rules,
	"chronicle": work_rules,
	"preset": work_rules,
	# A tenant resource's tenantId is the tenant itself; sub-tenants are created in the parent.
	"tenant": [
		admin_everything,
		{"role": "tenant_member", "actions": {"read"}, "reason": "tenant member"},
	],
	"user": [
		admin_everything,
		{"role": "owner", "actions": {"read", "list"}, "reason": "own user record"},
	],
	# Owner only, admins included: whoever can read or mint someone's token can act as them.
	"personal_access_token": [
		{"role": "owner", "actions": {"read", "list", "delete"}, "reason": "owner"},
		developer_creates,
	],
	# Stored credentials are private: the tenant viewer's read-everything does not reach them.
	"credential": [
		admin_everything,
		{"role": "developer_owner", "actions": {"read", "list", "update", "delete"}, "reason": "owner"},
		developer_creates,
	],
	# The audit log is append-only and written by the system: admins read it, nobody changes it.
	"audit": [{"role": "tenant_admin", "actions": {"read", "list"}, "reason": "tenant admin"}],
}

granting := [rule |
	some rule in rules_by_kind[resource.kind]
	rule.role in derived
	grants_action(rule.actions)
]

grants_action(actions) if "*" in actions

grants_action(actions) if action in actions

reason := granting[0].reason if {
	count(granting) > 0
} else := "resource belongs to another tenant" if {
	not same_tenant
} else := "principal has no Volundr role in this tenant" if {
	not is_member
} else := sprintf("no rule lets %s %s a %s%s", [concat(", ", principal.roles), action, resource.kind, whose])

whose := "" if {
	not resource.ownerId
} else := " (own)" if {
	resource.ownerId == principal.userId
} else := " (another user's)"

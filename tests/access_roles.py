"""The roles and role sets the route x role tables use (tests/access_rules*.py)."""

from collections.abc import Set as AbstractSet

ROLES = ("anonymous", "member", "other_member", "advisor", "board", "admin")
PUBLIC = "public"

LOGGED_IN = frozenset({"member", "other_member", "advisor", "board", "admin"})
ADMIN = frozenset({"admin"})
STAFF = frozenset({"advisor", "admin"})
MEMBERS = frozenset({"member", "other_member"})
READS_ASSESSMENTS = MEMBERS | STAFF
# Rows about alice's own objects: bob ("other_member") gets 404, as for a missing one.
OWN_MEMBER = frozenset({"member"})
OWN_MEMBER_AND_STAFF = OWN_MEMBER | STAFF

# Placeholders that are not cast ids: values no route knows, so nothing real is touched.
FILLERS = {"token": "no-such-token", "key": "no-such-catalogue", "version": "0.0"}

Rule = tuple[str, str, AbstractSet[str] | str]

"""The roles and role sets the route x role tables use (tests/access_rules*.py)."""

from collections.abc import Set as AbstractSet

# "member_admin" is carol, alice's colleague at org_a and its leader (services.colleagues):
# a row that allows "member" allows her too, so only rows of the leaders' own routes name her.
ROLES = ("anonymous", "member", "member_admin", "other_member", "advisor", "board", "admin")
PUBLIC = "public"

LOGGED_IN = frozenset({"member", "member_admin", "other_member", "advisor", "board", "admin"})
ADMIN = frozenset({"admin"})
STAFF = frozenset({"advisor", "admin"})
MEMBERS = frozenset({"member", "other_member"})
READS_ASSESSMENTS = MEMBERS | STAFF
# Rows about alice's own objects: bob ("other_member") gets 404, as for a missing one.
OWN_MEMBER = frozenset({"member"})
OWN_MEMBER_AND_STAFF = OWN_MEMBER | STAFF

# Placeholders that are not cast ids: values no route knows, so nothing real is touched.
FILLERS = {"token": "no-such-token", "key": "no-such-catalogue", "version": "0.0"}

# The routes a member's leader may use and a plain member may not (the admin may too).
LEADERS = frozenset({"member_admin", "admin"})

Rule = tuple[str, str, AbstractSet[str] | str]


def allows(allowed: AbstractSet[str] | str, role: str) -> bool:
    """Whether a row lets the role in; a leader is a member with more rights."""
    return allowed == PUBLIC or role in allowed or (role == "member_admin"
                                                    and "member" in allowed)

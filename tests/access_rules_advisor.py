"""Route x role rows for LOS advisors' workspace (app/web/advisor/, its API routes).

Same form as tests/access_rules.py, which adds these rows to its RULES.
"""

from tests.access_roles import Rule

ADVISOR_RULES: list[Rule] = [
]

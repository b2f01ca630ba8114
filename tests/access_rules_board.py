"""Route x role rows for the board's dashboard (app/web/board/, app/api/aggregates.py).

Same form as tests/access_rules.py, which adds these rows to its RULES.
"""

from tests.access_roles import Rule

BOARD_RULES: list[Rule] = [
]

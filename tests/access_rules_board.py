"""Route x role rows for the board's dashboard (app/web/board/, app/api/aggregates.py,
app/api/references.py).

Same form as tests/access_rules.py, which adds these rows to its RULES.
"""

from tests.access_roles import ADMIN, Rule

# The sector's figures: the board, LOS' advisors and admins; never a member.
SECTOR_READERS = frozenset({"board", "advisor", "admin"})

BOARD_RULES: list[Rule] = [
    ("GET", "/api/v1/aggregates?cycle_id={cycle}", SECTOR_READERS),
    ("GET", "/api/v1/aggregates/trend", SECTOR_READERS),
    # The dashboard and its downloads (app/web/board/dashboard.py, exports.py); with a
    # cycle, so the downloads have figures to give.
    ("GET", "/board", SECTOR_READERS),
    ("GET", "/board/charts/distribution.csv?cycle_id={cycle}", SECTOR_READERS),
    ("GET", "/board/charts/distribution.xlsx?cycle_id={cycle}", SECTOR_READERS),
    # Sector reference figures (app/api/references.py): read by the sector's readers,
    # written by admins only.
    ("GET", "/api/v1/reference-figures", SECTOR_READERS),
    ("POST", "/api/v1/reference-figures", ADMIN),
    ("DELETE", "/api/v1/reference-figures/{reference}", ADMIN),
]

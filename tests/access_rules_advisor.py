"""Route x role rows for LOS advisors' workspace (app/web/advisor/, its API routes).

Same form as tests/access_rules.py, which adds these rows to its RULES.
"""

from tests.access_roles import FILLERS, STAFF, Rule

FILLERS["case"] = "999999"  # no such case: allowed roles get 404

ADVISOR_RULES: list[Rule] = [
    # Flagged members (app/web/advisor/flags.py, app/api/flags.py)
    ("GET", "/advisor/flags", STAFF),
    ("GET", "/advisor/flags.csv", STAFF),
    ("GET", "/advisor/flags.xlsx", STAFF),
    ("GET", "/api/v1/flags", STAFF),
    # The gap heatmap (app/web/advisor/heatmap.py)
    ("GET", "/advisor/heatmap", STAFF),
    # The member dossier, its contact log and cases (app/web/advisor/dossier.py)
    ("GET", "/advisor/members/{org_a}", STAFF),
    ("POST", "/advisor/members/{org_a}/contacts", STAFF),
    ("POST", "/advisor/members/{org_a}/cases", STAFF),
    ("POST", "/advisor/members/{org_a}/cases/{case}", STAFF),
    ("POST", "/advisor/members/{org_a}/actions", STAFF),
    # The same, JSON (app/api/support.py)
    ("GET", "/api/v1/organisations/{org_a}/cases", STAFF),
    ("POST", "/api/v1/organisations/{org_a}/cases", STAFF),
    ("PATCH", "/api/v1/organisations/{org_a}/cases/{case}", STAFF),
    ("GET", "/api/v1/organisations/{org_a}/contacts", STAFF),
    ("POST", "/api/v1/organisations/{org_a}/contacts", STAFF),
]

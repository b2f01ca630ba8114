"""Who may call which route: one row per method and path, checked by tests/web/test_access.py.

A row is `(method, path_template, allowed)`:
- `path_template` is a concrete path with placeholders: `{org_a}`, `{org_b}`, `{alice}`,
  `{bob}`, `{advisor}`, `{board}`, `{admin}` become ids from the `cast` fixture (alice is
  "member" and belongs to org_a; bob is "other_member" and belongs to org_b; carol,
  "member_admin", is alice's colleague and org_a's leader); `{token}`,
  `{key}` and `{version}` become harmless made-up values (add new ones to FILLERS);
  `{assessment_a}` is alice's assessment in an open `{cycle}`, and `{indicator}`,
  `{requirement}` (keys) and `{requirement_number}` are its first ones, `{inspection_a}`
  an inspection of alice's organisation (test_access.py creates them only for rows that
  name them).
  A row belongs to the route that serves the filled-in path, found as the router finds it.
- `allowed` is a set of role names from ROLES, or PUBLIC (anyone, no login needed). A
  row that allows "member" allows "member_admin" too (tests.access_roles.allows).

Allowed roles never get 401, 403, the login page or 404: a role that may use the route
finds the object. The exception is a row naming a FILLERS placeholder: no such object
exists, so 404 is the right answer for everyone. Other logged-in roles get 403, except
that bob may get 404 on a row about alice's own objects (one that allows "member" but not
"other_member"), as for a missing one; anonymous visitors get the login page (HTML) or
401 (API). A new route without a row here fails the meta-test, and so does a row whose
route is gone: append rows, in any order.

KNOWN_BUGS, at the end, lists the rows and roles where the app still answers against its
rule; the test expects them to fail (xfail, strict), so a fix shows up as a failure until
its entry is removed.
"""

from tests.access_roles import (
    ADMIN,
    FILLERS,
    LEADERS,
    LOGGED_IN,
    MEMBERS,
    OWN_MEMBER,
    OWN_MEMBER_AND_STAFF,
    PUBLIC,
    READS_ASSESSMENTS,
    STAFF,
    Rule,
)
from tests.access_rules_advisor import ADVISOR_RULES
from tests.access_rules_board import BOARD_RULES

FILLERS["browser_session"] = "999999"  # no such session: 404 to whoever asks to end it
RULES: list[Rule] = [
    # Infrastructure and documentation
    ("GET", "/healthz", PUBLIC),
    ("GET", "/openapi.json", PUBLIC),
    ("GET", "/docs", PUBLIC),
    # Account pages everyone shares (app/web/account.py)
    ("GET", "/login", PUBLIC),
    ("POST", "/login", PUBLIC),
    ("POST", "/logout", PUBLIC),
    ("POST", "/language", PUBLIC),
    ("GET", "/password/forgot", PUBLIC),
    ("POST", "/password/forgot", PUBLIC),
    ("GET", "/password/reset/{token}", PUBLIC),
    ("POST", "/password/reset/{token}", PUBLIC),
    ("GET", "/invitation/{token}", PUBLIC),
    ("POST", "/invitation/{token}", PUBLIC),
    # My account, every logged-in person's own (app/web/my_account.py, app/api/me.py); the
    # email link needs its own person logged in, so a made-up token is 410 to everyone
    ("GET", "/account", LOGGED_IN),
    ("POST", "/account/name", LOGGED_IN),
    ("POST", "/account/email", LOGGED_IN),
    ("POST", "/account/password", LOGGED_IN),
    ("POST", "/account/sessions/{browser_session}/end", LOGGED_IN),
    ("POST", "/account/sessions/end-others", LOGGED_IN),
    ("GET", "/account/email/{token}", LOGGED_IN),
    ("POST", "/account/email/{token}", LOGGED_IN),
    ("PATCH", "/api/v1/me", LOGGED_IN),
    # Home pages (app/web/home.py)
    ("GET", "/", LOGGED_IN),
    # Catalogue reading (app/web/catalogues.py)
    ("GET", "/catalogues", LOGGED_IN),
    ("GET", "/catalogue", LOGGED_IN),
    ("GET", "/catalogues/{key}/{version}", LOGGED_IN),
    # Catalogue administration (app/web/admin/catalogues.py)
    ("GET", "/admin/catalogues", ADMIN),
    ("POST", "/admin/catalogues/load", ADMIN),
    ("GET", "/admin/catalogues/diff", ADMIN),
    # JSON API (app/api/)
    ("POST", "/api/v1/auth/token", PUBLIC),
    ("GET", "/api/v1/me", LOGGED_IN),
    ("GET", "/api/v1/catalogues", LOGGED_IN),
    ("GET", "/api/v1/catalogues/{key}/{version}", LOGGED_IN),
    # Member organisations, users, member import and outbox (app/web/admin/organisations.py,
    # member_import.py, users.py, outbox.py)
    ("GET", "/admin/organisations", ADMIN),
    ("GET", "/admin/organisations/new", ADMIN),
    ("POST", "/admin/organisations", ADMIN),
    ("GET", "/admin/organisations/{org_a}", ADMIN),
    ("POST", "/admin/organisations/{org_a}", ADMIN),
    ("POST", "/admin/organisations/{org_a}/deactivate", ADMIN),
    ("POST", "/admin/organisations/{org_a}/reactivate", ADMIN),
    ("GET", "/admin/organisations/import", ADMIN),
    ("GET", "/admin/organisations/import/medlemmer-eksempel.csv", ADMIN),
    ("POST", "/admin/organisations/import", ADMIN),
    ("POST", "/admin/organisations/import/confirm", ADMIN),
    ("GET", "/admin/users", ADMIN),
    ("GET", "/admin/users/new", ADMIN),
    ("POST", "/admin/users", ADMIN),
    ("GET", "/admin/users/{alice}", ADMIN),
    ("POST", "/admin/users/{alice}", ADMIN),
    ("POST", "/admin/users/{alice}/resend-invitation", ADMIN),
    ("POST", "/admin/users/{alice}/deactivate", ADMIN),
    ("POST", "/admin/users/{alice}/reactivate", ADMIN),
    ("GET", "/admin/outbox", ADMIN),
    # Cycles and assessments, JSON (app/api/cycles.py, app/api/assessments.py)
    ("GET", "/api/v1/cycles", LOGGED_IN),
    ("GET", "/api/v1/assessments", READS_ASSESSMENTS),
    ("POST", "/api/v1/assessments", MEMBERS),
    ("GET", "/api/v1/assessments/{assessment_a}", OWN_MEMBER_AND_STAFF),
    ("PUT", "/api/v1/assessments/{assessment_a}/answers/{indicator}", OWN_MEMBER),
    ("PUT", "/api/v1/assessments/{assessment_a}/reflections/{requirement}", OWN_MEMBER),
    ("PUT", "/api/v1/assessments/{assessment_a}/injunction", OWN_MEMBER),
    ("POST", "/api/v1/assessments/{assessment_a}/submit", OWN_MEMBER),
    ("POST", "/api/v1/assessments/{assessment_a}/reopen", STAFF),
    ("POST", "/api/v1/assessments/{assessment_a}/requirements/{requirement}/confirm-carried-over",
     OWN_MEMBER),
    # The member's self-assessment pages (app/web/member/form.py, answers.py,
    # injunction.py, submit.py)
    ("POST", "/assessments", MEMBERS),
    ("GET", "/assessments/{assessment_a}/requirements/{requirement_number}", OWN_MEMBER_AND_STAFF),
    ("POST", "/assessments/{assessment_a}/requirements/{requirement_number}", OWN_MEMBER),
    ("POST", "/assessments/{assessment_a}/carry-over", OWN_MEMBER),
    ("POST", "/assessments/{assessment_a}/requirements/{requirement_number}/confirm-carried-over",
     OWN_MEMBER),
    ("GET", "/assessments/{assessment_a}/answers/{indicator}", OWN_MEMBER_AND_STAFF),
    ("POST", "/assessments/{assessment_a}/answers/{indicator}", OWN_MEMBER),
    ("GET", "/assessments/{assessment_a}/reflections/{requirement_number}", OWN_MEMBER_AND_STAFF),
    ("POST", "/assessments/{assessment_a}/reflections/{requirement_number}", OWN_MEMBER),
    ("GET", "/assessments/{assessment_a}/injunction", OWN_MEMBER_AND_STAFF),
    ("POST", "/assessments/{assessment_a}/injunction", OWN_MEMBER),
    ("GET", "/assessments/{assessment_a}/submit", OWN_MEMBER_AND_STAFF),
    ("POST", "/assessments/{assessment_a}/submit", OWN_MEMBER),
    ("GET", "/assessments/{assessment_a}/submit/confirm", OWN_MEMBER),
    ("GET", "/assessments/{assessment_a}/submitted", OWN_MEMBER_AND_STAFF),
    ("GET", "/assessments/{assessment_a}/history", OWN_MEMBER_AND_STAFF),
    ("POST", "/assessments/{assessment_a}/reopen", STAFF),
]

# Evidence: files and links per requirement (app/web/member/evidence.py,
# app/api/evidence.py). `{evidence}` is an id no evidence has: allowed roles get 404, the
# board 403 before any lookup; tests/web/test_evidence.py and tests/api/test_evidence_api.py
# check the same routes with real evidence.
FILLERS["evidence"] = "987654321"
RULES += [
    ("POST", "/assessments/{assessment_a}/requirements/{requirement}/evidence", OWN_MEMBER),
    ("POST", "/assessments/{assessment_a}/evidence/{evidence}/delete", OWN_MEMBER),
    ("GET", "/evidence/{evidence}/download", OWN_MEMBER_AND_STAFF),
    ("GET", "/api/v1/assessments/{assessment_a}/evidence", OWN_MEMBER_AND_STAFF),
    ("POST", "/api/v1/assessments/{assessment_a}/evidence", OWN_MEMBER),
    ("GET", "/api/v1/evidence/{evidence}", OWN_MEMBER_AND_STAFF),
    ("DELETE", "/api/v1/evidence/{evidence}", OWN_MEMBER),
]
# Results, report and action plan (app/web/member/results.py, app/web/member/actions.py)
FILLERS["action"] = "999999"  # no such action: allowed roles get 404, never 401/403
RULES += [
    ("GET", "/assessments/{assessment_a}/results", OWN_MEMBER_AND_STAFF),
    ("GET", "/assessments/{assessment_a}/report", OWN_MEMBER_AND_STAFF),
    ("POST", "/assessments/{assessment_a}/actions", OWN_MEMBER_AND_STAFF),
    ("POST", "/assessments/{assessment_a}/actions/{action}", OWN_MEMBER_AND_STAFF),
    # Follow-up actions, JSON (app/api/actions.py); members create for their own organisation
    ("GET", "/api/v1/actions", READS_ASSESSMENTS),
    ("POST", "/api/v1/actions", READS_ASSESSMENTS),
    ("PATCH", "/api/v1/actions/{action}", READS_ASSESSMENTS),
    # Inspection reports and calibration (app/web/inspections.py, app/api/inspections.py):
    # a member its own organisation's, LOS staff any member's; the board none.
    ("GET", "/organisations/{org_a}/inspections", OWN_MEMBER_AND_STAFF),
    ("GET", "/organisations/{org_a}/inspections/new", OWN_MEMBER_AND_STAFF),
    ("POST", "/organisations/{org_a}/inspections/new", OWN_MEMBER_AND_STAFF),
    ("GET", "/organisations/{org_a}/inspections/{inspection_a}", OWN_MEMBER_AND_STAFF),
    ("POST", "/organisations/{org_a}/inspections/{inspection_a}", OWN_MEMBER_AND_STAFF),
    ("GET", "/api/v1/organisations/{org_a}/inspections", OWN_MEMBER_AND_STAFF),
    ("POST", "/api/v1/organisations/{org_a}/inspections", OWN_MEMBER_AND_STAFF),
    ("PUT", "/api/v1/organisations/{org_a}/inspections/{inspection_a}", OWN_MEMBER_AND_STAFF),
    # The report's PDF (app/web/inspection_report.py, app/api/inspection_report.py): the same
    # rule; `{inspection_a}` has a stored report whenever a row names .../report.
    ("POST", "/organisations/{org_a}/inspections/{inspection_a}/report", OWN_MEMBER_AND_STAFF),
    ("GET", "/organisations/{org_a}/inspections/{inspection_a}/report", OWN_MEMBER_AND_STAFF),
    ("POST", "/organisations/{org_a}/inspections/{inspection_a}/report/delete",
     OWN_MEMBER_AND_STAFF),
    ("PUT", "/api/v1/organisations/{org_a}/inspections/{inspection_a}/report",
     OWN_MEMBER_AND_STAFF),
    ("GET", "/api/v1/organisations/{org_a}/inspections/{inspection_a}/report",
     OWN_MEMBER_AND_STAFF),
    ("DELETE", "/api/v1/organisations/{org_a}/inspections/{inspection_a}/report",
     OWN_MEMBER_AND_STAFF),
    ("GET", "/api/v1/calibration?cycle_id={cycle}&organisation_id={org_a}",
     OWN_MEMBER_AND_STAFF),
    ("GET", "/api/v1/calibration/history?organisation_id={org_a}", OWN_MEMBER_AND_STAFF),
    # The action plan page, an action's edit page and its cancel step
    # (app/web/member/plan.py): the organisation's own users and LOS staff, as on the results
    # page; bob gets 404, the board 403.
    ("GET", "/organisations/{org_a}/actions", OWN_MEMBER_AND_STAFF),
    ("POST", "/organisations/{org_a}/actions", OWN_MEMBER_AND_STAFF),
    ("GET", "/organisations/{org_a}/actions/{action}", OWN_MEMBER_AND_STAFF),
    ("POST", "/organisations/{org_a}/actions/{action}", OWN_MEMBER_AND_STAFF),
    ("GET", "/organisations/{org_a}/actions/{action}/cancel", OWN_MEMBER_AND_STAFF),
    ("POST", "/organisations/{org_a}/actions/{action}/cancel", OWN_MEMBER_AND_STAFF),
    # The audit trail (app/api/audit.py): whole for admins; advisors name an organisation
    # (tests/api/test_audit_api.py), so the bare path is admin only.
    ("GET", "/api/v1/audit", ADMIN),
    ("GET", "/admin/audit", ADMIN),
    ("GET", "/admin/audit.csv", ADMIN),
    # Advisors' members, assigned in bulk (app/web/admin/assignments.py)
    ("GET", "/admin/assignments", ADMIN),
    ("POST", "/admin/assignments", ADMIN),
    # Annual cycles (app/web/admin/cycles.py)
    ("GET", "/admin/cycles", ADMIN),
    ("POST", "/admin/cycles", ADMIN),
    ("GET", "/admin/cycles/{cycle}", ADMIN),
    ("POST", "/admin/cycles/{cycle}", ADMIN),
    # A round's members, their reminders and the CSV (app/web/admin/cycle_round.py)
    ("GET", "/admin/cycles/{cycle}/round", ADMIN),
    ("GET", "/admin/cycles/{cycle}/round.csv", ADMIN),
    ("POST", "/admin/cycles/{cycle}/round/reminders", ADMIN),
    # Sector reference figures (app/web/admin/references.py)
    ("GET", "/admin/references", ADMIN),
    ("POST", "/admin/references", ADMIN),
    ("POST", "/admin/references/{reference}/delete", ADMIN),
    ("GET", "/admin/references/referencetal-eksempel.csv", ADMIN),
    ("POST", "/admin/references/import", ADMIN),
    ("POST", "/admin/references/import/confirm", ADMIN),
    # Inspection scores of several members from CSV (app/web/admin/inspection_import.py)
    ("GET", "/admin/inspections/import", ADMIN),
    ("GET", "/admin/inspections/import/tilsyn-eksempel.csv", ADMIN),
    ("POST", "/admin/inspections/import", ADMIN),
    ("POST", "/admin/inspections/import/confirm", ADMIN),
]

# Personal data (app/web/data_export.py, app/web/admin/users.py): all of an organisation's
# data for its own members and admins (bob gets 404); deleting a user, admins only.
RULES += [
    ("GET", "/organisations/{org_a}/data.zip", OWN_MEMBER | ADMIN),
    ("GET", "/admin/users/{alice}/delete", ADMIN),
    ("POST", "/admin/users/{alice}/delete", ADMIN),
]

# Colleagues (app/web/colleagues.py): every member user of the organisation reads the list
# (bob gets 404), its leaders and LOS' admins change it; a plain member gets 403 before
# anything is looked up, so does bob. tests/web/test_colleagues.py has the tampering cases.
RULES += [
    ("GET", "/organisations/{org_a}/colleagues", OWN_MEMBER | ADMIN),
    ("POST", "/organisations/{org_a}/colleagues", LEADERS),
    ("POST", "/organisations/{org_a}/colleagues/{alice}/resend-invitation", LEADERS),
    ("GET", "/organisations/{org_a}/colleagues/{alice}/remove", LEADERS),
    ("POST", "/organisations/{org_a}/colleagues/{alice}/remove", LEADERS),
    ("POST", "/organisations/{org_a}/colleagues/{alice}/reactivate", LEADERS),
    ("POST", "/organisations/{org_a}/colleagues/{alice}/leader", LEADERS),
]

# The advisors' and the board's pages: one module of rows per audience.
RULES += ADVISOR_RULES + BOARD_RULES

# Rows and roles where the app answers against its rule today: (method, path_template, role).
# tests/web/test_access.py marks each xfail(strict=True); when the app is fixed, the test
# fails until the entry is removed here. Say what the app answers and why it is wrong.
KNOWN_BUGS: set[tuple[str, str, str]] = set()
